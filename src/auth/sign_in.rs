//! Signing in with an e-mail address and a password, and the slowing down of guesses.
//!
//! Every failed attempt is written to `sign_in_failures` twice: once under the SHA-256 of the
//! e-mail address typed (whether or not an account has it) and once under that of the client
//! address. When one key has [`ACCOUNT_LIMIT`] (per address: [`ADDRESS_LIMIT`]) failures in
//! the last [`WINDOW_MINUTES`] minutes, the next attempt must wait, 30 seconds after the
//! limit, doubling with each further failure up to 15 minutes. While it waits, an attempt is
//! refused without looking at the password (so a correct guess does not get through either)
//! and is not counted. Known and unknown addresses get the same answers, in the same time (an
//! unknown address is checked against a dummy hash). A successful sign-in clears its
//! account's failures. Nothing lives in memory: several servers share the counts.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::passwords;
use crate::db::models::UserRow;
use crate::db::schema::{sign_in_failures, users};
use crate::db::DbConn;
use crate::domain::accounts::{hash_token, new_id};
use crate::error::AppResult;

/// Failures per account (e-mail address) before waiting.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failures per client address before waiting (higher: an office shares one address).
pub const ADDRESS_LIMIT: i64 = 20;
/// Failures older than this no longer count.
pub const WINDOW_MINUTES: i64 = 15;
/// The first wait after reaching a limit; it doubles with every further failure.
pub const FIRST_WAIT_SECONDS: i64 = 30;
/// The longest wait.
pub const MAX_WAIT_SECONDS: i64 = 15 * 60;

/// The two kinds of key failures are counted under.
const ACCOUNT: &str = "account";
const ADDRESS: &str = "address";

/// An e-mail address as it is stored and compared: trimmed, lower case.
pub fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// What is needed to check an attempt, read in one go.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// Seconds to wait before trying again, when a limit is reached.
    pub wait_seconds: Option<i64>,
    /// The active user with this e-mail address and their password hash, if any.
    pub user: Option<(UserRow, Option<String>)>,
}

/// Seconds still to wait for one key, from its failures of the window.
fn wait_for(
    conn: &mut DbConn,
    scope: &str,
    key_hash: &str,
    limit: i64,
    now: NaiveDateTime,
) -> AppResult<Option<i64>> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let times: Vec<NaiveDateTime> = sign_in_failures::table
        .filter(sign_in_failures::scope.eq(scope))
        .filter(sign_in_failures::key_hash.eq(key_hash))
        .filter(sign_in_failures::failed_at.gt(since))
        .select(sign_in_failures::failed_at)
        .order(sign_in_failures::failed_at.desc())
        .load(conn)?;
    let count = times.len() as i64;
    if count < limit {
        return Ok(None);
    }
    let doublings = (count - limit).min(10) as u32;
    let wait = (FIRST_WAIT_SECONDS * 2i64.pow(doublings)).min(MAX_WAIT_SECONDS);
    let until = times[0] + Duration::seconds(wait);
    let left = (until - now).num_seconds();
    Ok((left > 0).then_some(left.max(1)))
}

fn keys(email: &str, address: &str) -> (String, String) {
    (hash_token(&normal_email(email)), hash_token(address.trim()))
}

/// Reads what an attempt needs: whether it must wait, and the account.
pub fn prepare(
    conn: &mut DbConn,
    email: &str,
    address: &str,
    now: NaiveDateTime,
) -> AppResult<Attempt> {
    let (account, client) = keys(email, address);
    let wait = [
        wait_for(conn, ACCOUNT, &account, ACCOUNT_LIMIT, now)?,
        wait_for(conn, ADDRESS, &client, ADDRESS_LIMIT, now)?,
    ]
    .into_iter()
    .flatten()
    .max();
    if wait.is_some() {
        return Ok(Attempt {
            wait_seconds: wait,
            user: None,
        });
    }
    let email = normal_email(email);
    let user: Option<(UserRow, Option<String>)> = users::table
        .filter(users::email.eq(&email))
        .filter(users::active.eq(true))
        .select((UserRow::as_select(), users::password_hash))
        .first(conn)
        .optional()?;
    Ok(Attempt {
        wait_seconds: None,
        user,
    })
}

/// Whether the password is right for the attempt's user (false without one). Slow on purpose
/// (argon2id): call it outside database transactions.
pub fn password_matches(attempt: &Attempt, password: &str) -> bool {
    match &attempt.user {
        Some((_, Some(hash))) => passwords::verify(password, hash),
        _ => {
            // Same work as for a known account, then refuse.
            passwords::verify(password, passwords::dummy_hash());
            false
        }
    }
}

/// Records a failed attempt under both keys.
pub fn record_failure(
    conn: &mut DbConn,
    email: &str,
    address: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let (account, client) = keys(email, address);
    for (scope, key_hash) in [(ACCOUNT, account), (ADDRESS, client)] {
        diesel::insert_into(sign_in_failures::table)
            .values((
                sign_in_failures::id.eq(new_id()),
                sign_in_failures::scope.eq(scope),
                sign_in_failures::key_hash.eq(key_hash),
                sign_in_failures::failed_at.eq(now),
            ))
            .execute(conn)?;
    }
    // Housekeeping: what is out of every window is of no use.
    diesel::delete(
        sign_in_failures::table
            .filter(sign_in_failures::failed_at.lt(now - Duration::minutes(WINDOW_MINUTES))),
    )
    .execute(conn)?;
    Ok(())
}

/// Clears an account's failures after it signed in.
pub fn clear_failures(conn: &mut DbConn, email: &str) -> AppResult<()> {
    diesel::delete(
        sign_in_failures::table
            .filter(sign_in_failures::scope.eq(ACCOUNT))
            .filter(sign_in_failures::key_hash.eq(hash_token(&normal_email(email)))),
    )
    .execute(conn)?;
    Ok(())
}

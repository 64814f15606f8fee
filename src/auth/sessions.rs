//! Sessions of people signed in on the pages, kept in the database so that any number of
//! servers share them.
//!
//! The cookie holds a 256-bit random secret; the table keeps only its SHA-256, the user, a CSRF
//! token for the session's forms, when it started and when it was last used. A session ends
//! when it is idle for longer than `SESSION_IDLE_MINUTES`, `SESSION_MAX_HOURS` after it
//! started, at sign-out (the row is deleted), and at once when its user is disabled (every
//! look-up reads the user). The role is read at every request too, so a new role applies on
//! the next page.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;

use crate::auth::Caller;
use crate::db::models::UserRow;
use crate::db::schema::{sessions, users};
use crate::db::DbConn;
use crate::domain::accounts::{hash_token, new_id};
use crate::error::AppResult;
use crate::i18n::Lang;

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub idle: Duration,
    pub max: Duration,
}

impl Lifetimes {
    pub fn of(config: &crate::config::Config) -> Lifetimes {
        Lifetimes {
            idle: Duration::minutes(config.session_idle_minutes),
            max: Duration::hours(config.session_max_hours),
        }
    }
}

/// `last_seen_at` is written at most this often, so that reading pages does not turn every
/// request into a write.
pub const TOUCH_EVERY: Duration = Duration::seconds(60);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub secret_hash: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

/// A live session and whose it is.
#[derive(Debug, Clone)]
pub struct Live {
    pub session: SessionRow,
    pub caller: Caller,
    /// The language the person chose, if they did.
    pub lang: Option<Lang>,
    pub email: Option<String>,
}

impl Live {
    /// Whether `last_seen_at` is old enough to be written again.
    pub fn needs_touch(&self, now: NaiveDateTime) -> bool {
        now - self.session.last_seen_at >= TOUCH_EVERY
    }
}

/// 32 random bytes in hex.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl Caller {
    /// The caller a user's row makes.
    pub fn of_user(u: &UserRow) -> Caller {
        Caller {
            user_id: u.id.clone(),
            organisation_id: u.organisation_id.clone(),
            role: u.role,
            name: u.name.clone(),
        }
    }
}

/// Starts a session for a user: returns the secret for the cookie (never stored) and the row.
pub fn start(
    conn: &mut DbConn,
    user_id: &str,
    now: NaiveDateTime,
) -> AppResult<(String, SessionRow)> {
    let secret = random_secret();
    let row = SessionRow {
        id: new_id(),
        secret_hash: hash_token(&secret),
        user_id: user_id.to_string(),
        csrf_token: random_secret(),
        created_at: now,
        last_seen_at: now,
    };
    diesel::insert_into(sessions::table)
        .values(&row)
        .execute(conn)?;
    Ok((secret, row))
}

/// The live session of a cookie's secret: `None` when unknown, expired (idle or too old) or
/// when its user is disabled.
pub fn find(
    conn: &mut DbConn,
    secret: &str,
    lifetimes: Lifetimes,
    now: NaiveDateTime,
) -> AppResult<Option<Live>> {
    let found: Option<(SessionRow, UserRow, Option<String>)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::secret_hash.eq(hash_token(secret)))
        .select((SessionRow::as_select(), UserRow::as_select(), users::lang))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(session, user, lang)| {
        let live = user.active
            && now - session.last_seen_at < lifetimes.idle
            && now - session.created_at < lifetimes.max;
        live.then(|| Live {
            caller: Caller::of_user(&user),
            lang: lang.and_then(|l| l.parse().ok()),
            email: user.email.clone(),
            session,
        })
    }))
}

/// Records that the session was used now.
pub fn touch(conn: &mut DbConn, session_id: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Ends the session of a cookie's secret (sign-out). Unknown secrets are ignored.
pub fn end(conn: &mut DbConn, secret: &str) -> AppResult<()> {
    diesel::delete(sessions::table.filter(sessions::secret_hash.eq(hash_token(secret))))
        .execute(conn)?;
    Ok(())
}

/// Ends every session of a user (after a password reset, or when an admin disables them).
pub fn end_all_of(conn: &mut DbConn, user_id: &str) -> AppResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?)
}

/// Removes sessions that can no longer be used (housekeeping after sign-in; expired sessions
/// are refused whether or not they are removed).
pub fn sweep(conn: &mut DbConn, lifetimes: Lifetimes, now: NaiveDateTime) -> AppResult<()> {
    diesel::delete(
        sessions::table.filter(
            sessions::last_seen_at
                .lt(now - lifetimes.idle)
                .or(sessions::created_at.lt(now - lifetimes.max)),
        ),
    )
    .execute(conn)?;
    Ok(())
}

/// Saves the language a person chose.
pub fn set_lang(conn: &mut DbConn, user_id: &str, lang: Lang) -> AppResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::lang.eq(lang.code()))
        .execute(conn)?;
    Ok(())
}

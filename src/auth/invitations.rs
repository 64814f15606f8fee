//! One-time links that let a person choose a password: an invitation for someone who has none
//! yet, a password reset for someone who has one. An admin creates the link (the API's
//! `POST /users/{id}/invitation` or the people page); it holds a 256-bit random secret, of
//! which only the SHA-256 is stored; it is shown once and stays valid `INVITATION_DAYS` days.
//! A new link for the same person replaces the unused ones. Using it sets the password (and
//! the e-mail address when the person has none), spends the link and ends the person's other
//! sessions.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::sessions::{self, random_secret, SessionRow};
use crate::auth::{passwords, Caller, Perm};
use crate::db::models::UserRow;
use crate::db::schema::{invitations, users};
use crate::db::DbConn;
use crate::domain::accounts::{hash_token, new_id};
use crate::domain::ids::UserId;
use crate::error::{AppError, AppResult, FieldError};

crate::text_enum!(
    /// Why the link was made.
    LinkPurpose {
        Invitation => "invitation",
        PasswordReset => "password_reset",
    }
);

/// The path of a link, after the public base URL.
pub fn path_of(secret: &str) -> String {
    format!("/welcome/{secret}")
}

/// A link just made: the secret (shown once) and until when it works.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub secret: String,
    pub purpose: LinkPurpose,
    pub expires_at: NaiveDateTime,
}

/// Makes a link for a user. Callers: an admin (`caller` given, `ManageAccounts`), or the
/// command line and the first start (`caller` None). A disabled user gets none (409).
pub fn create(
    conn: &mut DbConn,
    caller: Option<&Caller>,
    user_id: &UserId,
    days: i64,
    now: NaiveDateTime,
) -> AppResult<NewLink> {
    if let Some(c) = caller {
        c.require(Perm::ManageAccounts)?;
    }
    let user: (bool, Option<String>) = users::table
        .find(user_id.as_str())
        .select((users::active, users::password_hash))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The user"))?;
    if !user.0 {
        return Err(AppError::conflict(
            "This user is disabled; enable them before sending a link.",
        ));
    }
    let purpose = if user.1.is_some() {
        LinkPurpose::PasswordReset
    } else {
        LinkPurpose::Invitation
    };
    // Earlier links that were not used stop working.
    diesel::update(
        invitations::table
            .filter(invitations::user_id.eq(user_id.as_str()))
            .filter(invitations::used_at.is_null())
            .filter(invitations::expires_at.gt(now)),
    )
    .set(invitations::expires_at.eq(now))
    .execute(conn)?;
    let secret = random_secret();
    let expires_at = now + Duration::days(days);
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(new_id()),
            invitations::user_id.eq(user_id.as_str()),
            invitations::secret_hash.eq(hash_token(&secret)),
            invitations::purpose.eq(purpose.as_str()),
            invitations::created_by.eq(caller.map(|c| c.user_id.clone())),
            invitations::created_at.eq(now),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(NewLink {
        secret,
        purpose,
        expires_at,
    })
}

/// Why a link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// No link has this secret.
    Unknown,
    /// It was used already.
    Used,
    /// It is too old (or was replaced by a newer one).
    Expired,
}

/// A usable link: whose it is.
#[derive(Debug, Clone)]
pub struct Usable {
    pub invitation_id: String,
    pub user: UserRow,
    pub purpose: LinkPurpose,
}

/// The link of a secret, if it can still be used.
pub fn open(
    conn: &mut DbConn,
    secret: &str,
    now: NaiveDateTime,
) -> AppResult<Result<Usable, Unusable>> {
    type Found = (
        String,
        String,
        Option<NaiveDateTime>,
        NaiveDateTime,
        UserRow,
    );
    let found: Option<Found> = invitations::table
        .inner_join(users::table.on(users::id.eq(invitations::user_id)))
        .filter(invitations::secret_hash.eq(hash_token(secret)))
        .select((
            invitations::id,
            invitations::purpose,
            invitations::used_at,
            invitations::expires_at,
            UserRow::as_select(),
        ))
        .first(conn)
        .optional()?;
    let Some((id, purpose, used_at, expires_at, user)) = found else {
        return Ok(Err(Unusable::Unknown));
    };
    if used_at.is_some() {
        return Ok(Err(Unusable::Used));
    }
    if expires_at <= now || !user.active {
        return Ok(Err(Unusable::Expired));
    }
    Ok(Ok(Usable {
        invitation_id: id,
        user,
        purpose: purpose.parse().unwrap_or(LinkPurpose::Invitation),
    }))
}

/// Checks what a person typed on the link's page: the e-mail address (only asked when they
/// have none; required then) and the new password. Returns the address to keep.
pub fn check_choice(
    conn: &mut DbConn,
    usable: &Usable,
    email: Option<&str>,
    password: &str,
) -> AppResult<String> {
    let mut errors = Vec::new();
    let email = match &usable.user.email {
        Some(e) => Some(e.clone()),
        None => {
            let typed = email
                .map(crate::auth::sign_in::normal_email)
                .unwrap_or_default();
            if typed.is_empty() || !validator::ValidateEmail::validate_email(&typed) {
                errors.push(FieldError::new("email", "is not a valid e-mail address"));
                None
            } else {
                let taken: i64 = users::table
                    .filter(users::email.eq(&typed))
                    .count()
                    .get_result(conn)?;
                if taken > 0 {
                    errors.push(FieldError::new(
                        "email",
                        "is the address of another account; use your own",
                    ));
                }
                Some(typed)
            }
        }
    };
    if let Err(weak) = passwords::check(password, email.as_deref()) {
        errors.push(FieldError::new("password", weak.message()));
    }
    match (errors.is_empty(), email) {
        (true, Some(e)) => Ok(e),
        _ => Err(AppError::invalid_fields(errors)),
    }
}

/// Uses a link: sets the password hash (made by the caller, outside the transaction) and the
/// e-mail address, spends the link, ends the person's other sessions and starts a new one.
/// The link is checked again inside the transaction, so it works only once.
pub fn accept(
    conn: &mut DbConn,
    secret: &str,
    email: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> AppResult<Result<(String, SessionRow, UserRow), Unusable>> {
    let usable = match open(conn, secret, now)? {
        Ok(u) => u,
        Err(why) => return Ok(Err(why)),
    };
    let spent = diesel::update(
        invitations::table
            .find(&usable.invitation_id)
            .filter(invitations::used_at.is_null()),
    )
    .set(invitations::used_at.eq(now))
    .execute(conn)?;
    if spent == 0 {
        return Ok(Err(Unusable::Used));
    }
    diesel::update(users::table.find(&usable.user.id))
        .set((
            users::email.eq(email),
            users::password_hash.eq(password_hash),
        ))
        .execute(conn)?;
    sessions::end_all_of(conn, &usable.user.id)?;
    let (cookie, row) = sessions::start(conn, &usable.user.id, now)?;
    let user = UserRow {
        email: Some(email.to_string()),
        ..usable.user
    };
    Ok(Ok((cookie, row, user)))
}

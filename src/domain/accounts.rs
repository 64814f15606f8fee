//! Organisations, users and API tokens.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{policy, Caller, Perm};
use crate::db::models::{OrganisationRow, TokenRow, UserRow};
use crate::db::schema::{api_tokens, organisations, users};
use crate::db::{now, DbConn};
use crate::domain::ids::{OrganisationId, TokenId, UserId};
use crate::error::{AppError, AppResult, FieldError};

crate::text_enum!(
    /// The role of a user; exactly one per user.
    Role {
        Admin => "admin",
        Coordinator => "coordinator",
        LendingStaff => "lending_staff",
        Refurbisher => "refurbisher",
        SocialWorker => "social_worker",
        Requester => "requester",
    }
);

crate::text_enum!(
    /// What kind of organisation this is.
    OrgKind {
        LendingService => "lending_service",
        Workshop => "workshop",
        WelfareOffice => "welfare_office",
        School => "school",
        CityService => "city_service",
        NonProfit => "non_profit",
        DonorCompany => "donor_company",
    }
);

/// Prefix of every token, so that a leaked one is recognisable in a secret scanner.
pub const TOKEN_PREFIX: &str = "dl_";

/// A new random bearer token (256 bits) and the hash that is stored for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    let hash = hash_token(&token);
    (token, hash)
}

/// Only this hash is stored; tokens are 256-bit random values, so a fast hash is enough.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn new_id() -> String {
    Uuid::new_v4().to_string()
}

pub fn insert_organisation(
    conn: &mut DbConn,
    name: &str,
    short_name: &str,
    kind: OrgKind,
    address: Option<String>,
) -> AppResult<OrganisationRow> {
    let taken: i64 = organisations::table
        .filter(organisations::name.eq(name))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::conflict_with(
            format!("An organisation named {name:?} already exists."),
            serde_json::json!({ "field": "name" }),
        ));
    }
    let row = OrganisationRow {
        id: new_id(),
        name: name.to_string(),
        short_name: short_name.to_string(),
        kind,
        address,
        created_at: now(),
        opening_hours: None,
        return_instructions: None,
    };
    diesel::insert_into(organisations::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

pub fn insert_user(
    conn: &mut DbConn,
    organisation_id: &str,
    name: &str,
    email: Option<String>,
    role: Role,
) -> AppResult<UserRow> {
    let org_exists: i64 = organisations::table
        .filter(organisations::id.eq(organisation_id))
        .count()
        .get_result(conn)?;
    if org_exists == 0 {
        return Err(AppError::invalid(
            "organisation_id",
            "no organisation has this id",
        ));
    }
    if let Some(email) = &email {
        let taken: i64 = users::table
            .filter(users::email.eq(email))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(AppError::conflict_with(
                "A user with this e-mail address already exists.",
                serde_json::json!({ "field": "email" }),
            ));
        }
    }
    let row = UserRow {
        id: new_id(),
        organisation_id: organisation_id.to_string(),
        name: name.to_string(),
        email,
        role,
        active: true,
        created_at: now(),
    };
    diesel::insert_into(users::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// Issues a token for a user; the plain token is returned once and never stored.
pub fn issue_token(
    conn: &mut DbConn,
    user_id: &UserId,
    label: &str,
    expires_at: Option<NaiveDateTime>,
) -> AppResult<(TokenRow, String)> {
    let (token, hash) = new_token();
    let row = TokenRow {
        id: new_id(),
        user_id: user_id.to_string(),
        token_hash: hash,
        label: label.to_string(),
        created_at: now(),
        expires_at,
        revoked_at: None,
    };
    diesel::insert_into(api_tokens::table)
        .values(&row)
        .execute(conn)?;
    Ok((row, token))
}

/// The user behind a bearer token, if the token is known, not revoked, not expired and the
/// user is active.
pub fn user_for_token(conn: &mut DbConn, token: &str) -> AppResult<Option<UserRow>> {
    let hash = hash_token(token);
    let found: Option<(TokenRow, UserRow)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash))
        .select((TokenRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()?;
    let now = now();
    Ok(found.and_then(|(t, u)| {
        let live = t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now) && u.active;
        live.then_some(u)
    }))
}

/// Creates an admin (and, if needed, the organisation it belongs to) and a token for it.
pub fn bootstrap_admin(
    conn: &mut DbConn,
    name: &str,
    organisation: &str,
) -> AppResult<(UserRow, String)> {
    let existing: Option<OrganisationRow> = organisations::table
        .filter(organisations::name.eq(organisation))
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()?;
    let org = match existing {
        Some(org) => org,
        None => insert_organisation(
            conn,
            organisation,
            &short_name_of(organisation),
            OrgKind::LendingService,
            None,
        )?,
    };
    let user = insert_user(conn, &org.id, name, None, Role::Admin)?;
    let (_, token) = issue_token(conn, &UserId::from(user.id.as_str()), "bootstrap", None)?;
    Ok((user, token))
}

/// A short name for labels when none is given: the first 12 characters.
pub fn short_name_of(name: &str) -> String {
    name.chars().take(12).collect()
}

/// True when no user exists yet (first start).
pub fn no_users(conn: &mut DbConn) -> AppResult<bool> {
    let n: i64 = users::table.count().get_result(conn)?;
    Ok(n == 0)
}

// ---------------------------------------------------------------------------------------
// Administration of organisations and users (admins).

/// Longest texts an organisation may carry, in characters.
const NAME_MAX: usize = 200;
const SHORT_NAME_MAX: usize = 20;
const ADDRESS_MAX: usize = 300;
const OPENING_HOURS_MAX: usize = 500;
const RETURN_INSTRUCTIONS_MAX: usize = 1000;

/// What an admin may change on an organisation. Absent fields stay as they are; an empty
/// text clears an optional field (address, opening hours, return instructions).
#[derive(Debug, Clone, Default)]
pub struct OrganisationPatch {
    /// 1 to 200 characters; unique.
    pub name: Option<String>,
    /// Printed on labels; 1 to 20 characters.
    pub short_name: Option<String>,
    /// Postal address on one line, printed on documents (where to pick up).
    pub address: Option<String>,
    /// When devices can be picked up and returned, e.g. "ma–vr 9–12 u en 13–16 u".
    pub opening_hours: Option<String>,
    /// How and where to bring devices back, printed on booking confirmations.
    pub return_instructions: Option<String>,
}

/// What an admin may change on a user. Disabling (`active: false`) refuses the user's tokens
/// at once; enabling again makes them work again unless revoked or expired.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    /// 1 to 200 characters.
    pub name: Option<String>,
    /// A valid e-mail address, unique; an empty text removes it.
    pub email: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// A required text: trimmed, 1 to `max` characters.
fn required_text(
    field: &str,
    value: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value.trim();
    let n = v.chars().count();
    if n == 0 || n > max {
        errors.push(FieldError::new(
            field,
            format!("is required (1 to {max} characters)"),
        ));
        return None;
    }
    Some(v.to_string())
}

/// An optional text: trimmed; empty means "none".
fn optional_text(
    field: &str,
    value: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<Option<String>> {
    let v = value.trim();
    if v.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
        return None;
    }
    Some((!v.is_empty()).then(|| v.to_string()))
}

/// Changes an organisation (admins). 422 naming the fields for bad values, 409 when the new
/// name belongs to another organisation.
pub fn update_organisation(
    conn: &mut DbConn,
    caller: &Caller,
    id: &OrganisationId,
    patch: OrganisationPatch,
) -> AppResult<OrganisationRow> {
    caller.require(Perm::ManageAccounts)?;
    let mut row: OrganisationRow = crate::locked_first!(
        conn,
        organisations::table
            .find(id.as_str())
            .select(OrganisationRow::as_select())
    )
    .optional()?
    .ok_or_else(|| AppError::not_found("The organisation"))?;
    let mut errors = Vec::new();
    if let Some(v) = &patch.name {
        if let Some(v) = required_text("name", v, NAME_MAX, &mut errors) {
            row.name = v;
        }
    }
    if let Some(v) = &patch.short_name {
        if let Some(v) = required_text("short_name", v, SHORT_NAME_MAX, &mut errors) {
            row.short_name = v;
        }
    }
    for (field, value, max, target) in [
        ("address", &patch.address, ADDRESS_MAX, &mut row.address),
        (
            "opening_hours",
            &patch.opening_hours,
            OPENING_HOURS_MAX,
            &mut row.opening_hours,
        ),
        (
            "return_instructions",
            &patch.return_instructions,
            RETURN_INSTRUCTIONS_MAX,
            &mut row.return_instructions,
        ),
    ] {
        if let Some(v) = value {
            if let Some(v) = optional_text(field, v, max, &mut errors) {
                *target = v;
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    if patch.name.is_some() {
        let taken: i64 = organisations::table
            .filter(organisations::name.eq(&row.name))
            .filter(organisations::id.ne(&row.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(AppError::conflict_with(
                format!("An organisation named {:?} already exists.", row.name),
                serde_json::json!({ "field": "name" }),
            ));
        }
    }
    diesel::update(organisations::table.find(&row.id))
        .set((
            organisations::name.eq(&row.name),
            organisations::short_name.eq(&row.short_name),
            organisations::address.eq(&row.address),
            organisations::opening_hours.eq(&row.opening_hours),
            organisations::return_instructions.eq(&row.return_instructions),
        ))
        .execute(conn)?;
    Ok(row)
}

/// Changes a user (admins): name, e-mail, role, or disables them. The last active admin
/// cannot be disabled or given another role (409), so the service is never left without one.
pub fn update_user(
    conn: &mut DbConn,
    caller: &Caller,
    id: &UserId,
    patch: UserPatch,
) -> AppResult<UserRow> {
    caller.require(Perm::ManageAccounts)?;
    let mut row: UserRow = crate::locked_first!(
        conn,
        users::table.find(id.as_str()).select(UserRow::as_select())
    )
    .optional()?
    .ok_or_else(|| AppError::not_found("The user"))?;
    let mut errors = Vec::new();
    if let Some(v) = &patch.name {
        if let Some(v) = required_text("name", v, NAME_MAX, &mut errors) {
            row.name = v;
        }
    }
    if let Some(v) = &patch.email {
        let v = v.trim().to_lowercase();
        if v.is_empty() {
            row.email = None;
        } else if validator::ValidateEmail::validate_email(&v) {
            row.email = Some(v);
        } else {
            errors.push(FieldError::new("email", "is not a valid e-mail address"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    if let Some(email) = row.email.as_ref().filter(|_| patch.email.is_some()) {
        let taken: i64 = users::table
            .filter(users::email.eq(email))
            .filter(users::id.ne(&row.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(AppError::conflict_with(
                "A user with this e-mail address already exists.",
                serde_json::json!({ "field": "email" }),
            ));
        }
    }
    // An admin is whoever may manage accounts (the policy); the service keeps one.
    let administers = |u: &UserRow| u.active && policy::allows(u.role, Perm::ManageAccounts);
    let was_admin = administers(&row);
    if let Some(role) = patch.role {
        row.role = role;
    }
    if let Some(active) = patch.active {
        row.active = active;
    }
    if was_admin && !administers(&row) {
        let admin_roles = policy::roles_with(Perm::ManageAccounts);
        // Lock every active admin so that two admins demoting each other at the same moment
        // cannot both succeed.
        let admins: Vec<String> = match conn {
            DbConn::Postgres(c) => users::table
                .filter(users::role.eq_any(admin_roles))
                .filter(users::active.eq(true))
                .select(users::id)
                .for_update()
                .load(c)?,
            DbConn::Sqlite(c) => users::table
                .filter(users::role.eq_any(admin_roles))
                .filter(users::active.eq(true))
                .select(users::id)
                .load(c)?,
        };
        if admins.iter().all(|a| *a == row.id) {
            return Err(AppError::conflict_with(
                "This is the last active admin; make another user admin first.",
                serde_json::json!({ "user_id": row.id }),
            ));
        }
    }
    diesel::update(users::table.find(&row.id))
        .set((
            users::name.eq(&row.name),
            users::email.eq(&row.email),
            users::role.eq(row.role),
            users::active.eq(row.active),
        ))
        .execute(conn)?;
    // A disabled person's sessions on the pages end for good (their API tokens are only
    // suspended: see above).
    if !row.active {
        crate::auth::sessions::end_all_of(conn, &row.id)?;
    }
    Ok(row)
}

/// Whether a user exists and is active: tokens are issued only to active users.
fn require_active_user(conn: &mut DbConn, id: &UserId) -> AppResult<()> {
    let active: Option<bool> = users::table
        .find(id.as_str())
        .select(users::active)
        .first(conn)
        .optional()?;
    match active {
        None => Err(AppError::not_found("The user")),
        Some(false) => Err(AppError::conflict_with(
            "This user is disabled; enable them before issuing a token.",
            serde_json::json!({ "active": false }),
        )),
        Some(true) => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// The entry points of the accounts endpoints: each authorises, then reads or writes.

/// A new organisation, as an admin gives it.
#[derive(Debug, Clone, Validate)]
pub struct NewOrganisation {
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub name: String,
    #[validate(length(min = 1, max = 20))]
    pub short_name: Option<String>,
    pub kind: OrgKind,
    #[validate(length(max = 300))]
    pub address: Option<String>,
    #[validate(length(max = 500))]
    pub opening_hours: Option<String>,
    #[validate(length(max = 1000))]
    pub return_instructions: Option<String>,
}

/// Creates an organisation (admins); the short name defaults to the start of the name.
pub fn create_organisation(
    conn: &mut DbConn,
    caller: &Caller,
    new: NewOrganisation,
) -> AppResult<OrganisationRow> {
    caller.require(Perm::ManageAccounts)?;
    new.validate()?;
    let short = new
        .short_name
        .clone()
        .unwrap_or_else(|| short_name_of(&new.name));
    let row = insert_organisation(conn, new.name.trim(), short.trim(), new.kind, new.address)?;
    if new.opening_hours.is_none() && new.return_instructions.is_none() {
        return Ok(row);
    }
    let id = OrganisationId::from(row.id);
    update_organisation(
        conn,
        caller,
        &id,
        OrganisationPatch {
            opening_hours: new.opening_hours,
            return_instructions: new.return_instructions,
            ..OrganisationPatch::default()
        },
    )
}

/// Organisations by name, one page after the name `after`; the next page's start when there
/// is one.
pub fn list_organisations(
    conn: &mut DbConn,
    caller: &Caller,
    limit: i64,
    after: Option<String>,
) -> AppResult<(Vec<OrganisationRow>, Option<String>)> {
    caller.require(Perm::ReadOrganisations)?;
    let mut q = organisations::table
        .select(OrganisationRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(organisations::name.gt(after));
    }
    let rows: Vec<OrganisationRow> = q
        .order(organisations::name.asc())
        .limit(limit + 1)
        .load(conn)?;
    Ok(page(rows, limit, |r| r.name.clone()))
}

/// The first `limit` rows, and the key of the last one when more follow.
fn page<T>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> (Vec<T>, Option<String>) {
    if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        let next = rows.last().map(key);
        (rows, next)
    } else {
        (rows, None)
    }
}

pub fn get_organisation(
    conn: &mut DbConn,
    caller: &Caller,
    id: &OrganisationId,
) -> AppResult<OrganisationRow> {
    caller.require(Perm::ReadOrganisations)?;
    organisations::table
        .find(id.as_str())
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The organisation"))
}

/// A new user, as an admin gives it.
#[derive(Debug, Clone, Validate)]
pub struct NewUser {
    pub organisation_id: OrganisationId,
    #[validate(length(min = 1, max = 200, message = "is required (1 to 200 characters)"))]
    pub name: String,
    #[validate(email)]
    pub email: Option<String>,
    pub role: Role,
}

/// Creates a user in an organisation (admins).
pub fn create_user(conn: &mut DbConn, caller: &Caller, new: NewUser) -> AppResult<UserRow> {
    caller.require(Perm::ManageAccounts)?;
    new.validate()?;
    insert_user(
        conn,
        new.organisation_id.as_str(),
        new.name.trim(),
        new.email.map(|e| e.trim().to_lowercase()),
        new.role,
    )
}

/// Users in id order, one page after the id `after` (admins).
pub fn list_users(
    conn: &mut DbConn,
    caller: &Caller,
    limit: i64,
    after: Option<String>,
) -> AppResult<(Vec<UserRow>, Option<String>)> {
    caller.require(Perm::ManageAccounts)?;
    let mut q = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(after) = after {
        q = q.filter(users::id.gt(after));
    }
    let rows: Vec<UserRow> = q.order(users::id.asc()).limit(limit + 1).load(conn)?;
    Ok(page(rows, limit, |r| r.id.clone()))
}

/// One user (admins), or a 404.
pub fn get_user(conn: &mut DbConn, caller: &Caller, id: &UserId) -> AppResult<UserRow> {
    caller.require(Perm::ManageAccounts)?;
    users::table
        .find(id.as_str())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The user"))
}

/// The caller's own account (everyone).
pub fn me(conn: &mut DbConn, caller: &Caller) -> AppResult<UserRow> {
    Ok(users::table
        .find(&caller.user_id)
        .select(UserRow::as_select())
        .first(conn)?)
}

/// A token to issue, as an admin asks for it.
#[derive(Debug, Clone, Validate)]
pub struct NewToken {
    #[validate(length(min = 1, max = 100, message = "is required (1 to 100 characters)"))]
    pub label: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Issues a token for an active user (admins): the row and the secret, shown once.
pub fn create_token(
    conn: &mut DbConn,
    caller: &Caller,
    user_id: &UserId,
    new: NewToken,
) -> AppResult<(TokenRow, String)> {
    caller.require(Perm::ManageAccounts)?;
    new.validate()?;
    if new.expires_at.is_some_and(|e| e <= Utc::now()) {
        return Err(AppError::invalid("expires_at", "must be in the future"));
    }
    require_active_user(conn, user_id)?;
    let expires = new.expires_at.map(|e| {
        use chrono::SubsecRound;
        e.naive_utc().trunc_subsecs(6)
    });
    issue_token(conn, user_id, new.label.trim(), expires)
}

/// A user's tokens, oldest first (admins).
pub fn tokens_of(conn: &mut DbConn, caller: &Caller, user_id: &UserId) -> AppResult<Vec<TokenRow>> {
    caller.require(Perm::ManageAccounts)?;
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id.as_str()))
        .order(api_tokens::created_at.asc())
        .select(TokenRow::as_select())
        .load(conn)?)
}

/// Revokes a token: admins any token, everyone their own; a token of someone else is a 404
/// for those who may not manage accounts. Revoking twice keeps the first moment.
pub fn revoke_token(conn: &mut DbConn, caller: &Caller, id: &TokenId) -> AppResult<TokenRow> {
    let row: TokenRow = api_tokens::table
        .find(id.as_str())
        .select(TokenRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The token"))?;
    if row.user_id != caller.user_id && !caller.can(Perm::ManageAccounts) {
        return Err(AppError::not_found("The token"));
    }
    let when = row.revoked_at.unwrap_or_else(now);
    diesel::update(api_tokens::table.find(&row.id))
        .set(api_tokens::revoked_at.eq(when))
        .execute(conn)?;
    Ok(TokenRow {
        revoked_at: Some(when),
        ..row
    })
}

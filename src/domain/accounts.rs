//! Organisations, users and API tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::models::{OrganisationRow, TokenRow, UserRow};
use crate::db::schema::{api_tokens, organisations, users};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};

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
    user_id: &str,
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
    let (_, token) = issue_token(conn, &user.id, "bootstrap", None)?;
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

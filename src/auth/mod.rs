//! Bearer-token authentication and the `Caller` every protected handler receives and hands to
//! the domain. The rules themselves: [`policy`] (who may do what) and [`visibility`] (who sees
//! which records), both asked by the domain.

pub mod invitations;
pub mod passwords;
pub mod policy;
pub mod sessions;
pub mod sign_in;
pub mod visibility;

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};

use crate::domain::accounts::{self, Role};
use crate::domain::lifecycle::Action;
use crate::error::AppError;
use crate::startup::AppState;
pub use policy::Perm;

/// The authenticated user making the request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: String,
    pub organisation_id: String,
    pub role: Role,
    pub name: String,
}

impl Caller {
    /// Refuses with 403 unless the caller's role is granted `perm` in the policy table.
    pub fn require(&self, perm: Perm) -> Result<(), AppError> {
        if policy::allows(self.role, perm) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "The role {} may not do this.",
                self.role
            )))
        }
    }

    /// Whether this caller sees every organisation's data (admins and coordinators).
    pub fn sees_everything(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Coordinator)
    }

    pub fn can(&self, perm: Perm) -> bool {
        policy::allows(self.role, perm)
    }

    /// Refuses with 403 unless the caller's role may take `action` through the action
    /// endpoint ([`policy::allows_action`]).
    pub fn require_action(&self, action: Action) -> Result<(), AppError> {
        self.require(Perm::ActOnDevices)?;
        if policy::allows_action(self.role, action) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "A {} may not perform {action}.",
                self.role
            )))
        }
    }
}

/// The token from `Authorization: Bearer …`, if the header is present and well formed.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then(|| token.to_string())
}

/// Resolves the caller of a request, if it carries a valid token.
pub async fn resolve(req: &HttpRequest) -> Result<Option<Caller>, AppError> {
    let Some(token) = bearer_token(req) else {
        return Ok(None);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::internal("application state missing"))?
        .clone();
    let user = state
        .db
        .read(move |conn| accounts::user_for_token(conn, &token))
        .await?;
    Ok(user.map(|u| Caller {
        user_id: u.id,
        organisation_id: u.organisation_id,
        role: u.role,
        name: u.name,
    }))
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let has_header = req.headers().contains_key(header::AUTHORIZATION);
            match resolve(&req).await? {
                Some(caller) => Ok(caller),
                None if has_header => Err(AppError::Unauthorized(
                    "The bearer token is unknown, revoked or expired, or its user is disabled."
                        .into(),
                )),
                None => Err(AppError::Unauthorized(
                    "Send an API token in the header `Authorization: Bearer <token>`.".into(),
                )),
            }
        })
    }
}

/// A caller that may be absent (public pages such as the scan landing).
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequest for MaybeCaller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeCaller(resolve(&req).await?)) })
    }
}

//! `GET /health`: the service is up and its database answers.

use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, Problem};
use crate::startup::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the response is 200.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}

/// Checks the database with a trivial query.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Up, database reachable", body = Health),
        (status = 503, description = "Database unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state
        .db
        .read(|conn| {
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
                .get_result::<i32>(conn)
                .map_err(|e| AppError::Unavailable(e.to_string()))
        })
        .await?;
    let database = match state.db.backend() {
        crate::db::Backend::Postgres => "postgres",
        crate::db::Backend::Sqlite => "sqlite",
    };
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: database.into(),
    }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health);
}

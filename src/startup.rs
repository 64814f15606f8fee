//! Builds the application from a configuration and a bound listener, so that tests can start
//! it on port 0.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Server, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{from_fn, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, App, HttpServer};
use utoipa_swagger_ui::SwaggerUi;

use crate::api;
use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;
use crate::labels::LabelCatalog;
use crate::observability::{self, Metrics};

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    pub config: Config,
    /// The built-in label stocks, with those of `config.labels_dir` added at start-up.
    pub labels: LabelCatalog,
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Opens the database (applying migrations), binds the listener and prepares the server.
    pub fn build(config: Config) -> Result<Application, String> {
        let db = Db::connect(&config.database_url, config.pool_size)?;
        let listener = TcpListener::bind((config.host.as_str(), config.port))
            .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
        Self::with(config, db, listener)
    }

    /// Builds the server around an open database and a bound listener.
    pub fn with(config: Config, db: Db, listener: TcpListener) -> Result<Application, String> {
        let port = listener
            .local_addr()
            .map_err(|e| format!("listener has no address: {e}"))?
            .port();
        let server =
            run(listener, db, config).map_err(|e| format!("cannot start the server: {e}"))?;
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs until SIGTERM/SIGINT, then finishes the requests in flight (graceful shutdown).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Turns any error response that is not yet a problem document (405, body too large, ...)
/// into one, so that every error a client sees has the same shape.
fn ensure_problem<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    // A page written for people on purpose (the scan landing's friendly 404) stays as it is.
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_problem || is_page {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let error = match status.as_u16() {
        400 => AppError::BadRequest("The request could not be understood.".into()),
        404 => AppError::not_found("This path"),
        405 => AppError::MethodNotAllowed,
        413 => AppError::PayloadTooLarge("The body is larger than the limit.".into()),
        414 => AppError::UriTooLong("The URL is too long.".into()),
        415 => AppError::UnsupportedMediaType("This content type is not accepted here.".into()),
        s if s >= 500 => AppError::Internal(format!("unhandled {status}")),
        _ => AppError::BadRequest(format!(
            "The request failed: {}.",
            status.canonical_reason().unwrap_or("error")
        )),
    };
    let (req, _) = res.into_parts();
    let response = actix_web::ResponseError::error_response(&error);
    let response = response.map_body(|_, b: BoxBody| b);
    let res = ServiceResponse::new(req, response).map_into_right_body::<B>();
    let _: &ServiceResponse<EitherBody<B, BoxBody>> = &res;
    Ok(ErrorHandlerResponse::Response(res))
}

/// Loads the label stocks; a template that cannot be used is logged and skipped, and the
/// server starts with the others.
fn load_labels(config: &Config) -> LabelCatalog {
    let (labels, warnings) = LabelCatalog::load(config.labels_dir.as_deref());
    for warning in &warnings {
        log::warn!("label stocks: {warning}");
    }
    let from = match &config.labels_dir {
        Some(dir) => format!("built in and from {}", dir.display()),
        None => "built in".into(),
    };
    log::info!("label stocks: {} loaded, {from}", labels.len());
    labels
}

pub fn run(listener: TcpListener, db: Db, config: Config) -> std::io::Result<Server> {
    let workers = config.workers;
    let limit = config.max_body_bytes;
    let labels = load_labels(&config);
    let state = web::Data::new(AppState { db, config, labels });
    let metrics = web::Data::new(Metrics::default());
    // Built once, before the workers start, and kept as JSON text only.
    api::openapi::spec();
    crate::memory::give_back_freed();
    let mut server = HttpServer::new(move || {
        App::new()
            .wrap(actix_web::middleware::from_fn(api::privacy::guard))
            // Innermost: refuses NUL characters and over-long URLs before any handler.
            .wrap(from_fn(api::input::screen))
            .wrap(ErrorHandlers::new().default_handler(ensure_problem))
            // Request id, one log line per request (route pattern, status, duration: never
            // headers, tokens, query strings or bodies) and request metrics.
            .wrap(from_fn(observability::observe))
            // Outermost but one: security headers on every response, pages and errors alike.
            .wrap(from_fn(crate::web::security::headers))
            .app_data(state.clone())
            .app_data(metrics.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(limit)
                    .error_handler(api::json_error),
            )
            .app_data(web::PayloadConfig::new(limit))
            .app_data(web::QueryConfig::default().error_handler(api::query_error))
            .app_data(web::PathConfig::default().error_handler(api::path_error))
            .configure(crate::web::configure)
            .configure(api::configure)
            .service(observability::get_metrics)
            .route("/openapi.json", web::get().to(api::openapi::openapi_json))
            .service(
                SwaggerUi::new("/docs/{_:.*}")
                    .config(utoipa_swagger_ui::Config::from("/openapi.json")),
            )
            .default_service(web::to(api::not_found_fallback))
    })
    .shutdown_timeout(30)
    .client_request_timeout(Duration::from_secs(30))
    .listen(listener)?;
    if let Some(n) = workers {
        server = server.workers(n.max(1));
    }
    Ok(server.run())
}

//! The static files of the pages (`static/`), embedded in the binary and served under names
//! that carry a hash of their content (`/static/app.1a2b3c4d5e.css`), so that browsers keep
//! them for a year and a new version gets a new name. Templates take the URL from [`url`].
//! To add a file: put it in `static/` and add a line to [`FILES`].

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use sha2::{Digest, Sha256};

/// `(name, content type, bytes)` of every file.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/app.js"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../../static/icon.svg"),
    ),
    (
        "scan.svg",
        "image/svg+xml",
        include_bytes!("../../static/scan.svg"),
    ),
];

/// One file with its hashed name.
struct Asset {
    name: &'static str,
    hashed: String,
    content_type: &'static str,
    bytes: &'static [u8],
}

fn assets() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, content_type, bytes)| {
                let digest = hex::encode(Sha256::digest(bytes));
                let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
                Asset {
                    name,
                    hashed: format!("{stem}.{}.{ext}", &digest[..12]),
                    content_type,
                    bytes,
                }
            })
            .collect()
    })
}

/// The URL of a static file by its plain name (`app.css` → `/static/app.<hash>.css`). An
/// unknown name gives `/static/<name>`, which answers 404 (a unit test checks the templates).
pub fn url(name: &str) -> String {
    match assets().iter().find(|a| a.name == name) {
        Some(a) => format!("/static/{}", a.hashed),
        None => format!("/static/{name}"),
    }
}

/// Serves a file by its hashed name, cached for a year.
#[get("/static/{name}")]
pub async fn serve(name: web::Path<String>) -> HttpResponse {
    match assets().iter().find(|a| a.hashed == *name) {
        Some(a) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, a.content_type))
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .body(a.bytes),
        None => HttpResponse::NotFound()
            .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body("not found"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        let css = url("app.css");
        assert!(
            css.starts_with("/static/app.") && css.ends_with(".css"),
            "{css}"
        );
        assert_eq!(css.len(), "/static/app..css".len() + 12);
        assert_ne!(url("app.js"), url("app.css"));
    }
}

//! The home page of a signed-in person: what their role finds, with links to those places.

use actix_web::{get, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::web::frame::{Frame, NavItem};
use crate::web::prelude::*;
use crate::web::{PageError, Viewer};

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub frame: Frame,
    pub name: String,
    /// The places of the person's role, without the home page itself.
    pub places: Vec<NavItem>,
    /// The key of the sentence that says what this role does here.
    pub role_key: String,
}
crate::page!(HomePage);

#[derive(Debug, Deserialize)]
pub struct HomeQuery {
    pub welcome: Option<String>,
}

#[get("/")]
pub async fn home(viewer: Viewer, query: web::Query<HomeQuery>) -> Result<HttpResponse, PageError> {
    let mut frame = Frame::signed_in(&viewer, "/", "web-home-title");
    if query.welcome.is_some() {
        frame = frame.clone().with_notice(frame.t("web-welcome-done"));
    }
    let places = frame
        .nav
        .iter()
        .filter(|p| p.href != "/")
        .cloned()
        .collect();
    render(&HomePage {
        role_key: format!(
            "web-home-role-{}",
            viewer.caller.role.as_str().replace('_', "-")
        ),
        name: viewer.caller.name.clone(),
        places,
        frame,
    })
}

//! A browser without JavaScript for the page tests: a cookie jar over HTTP that follows no
//! redirects and asks for HTML, as a browser does.

use std::collections::HashMap;

use reqwest::header::{HeaderMap, CONTENT_TYPE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;

use crate::helpers::TestApp;

/// A page as read: status, headers, body text, and the cookies it set.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> String {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    pub fn header(&self, name: reqwest::header::HeaderName) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    /// The value of the hidden CSRF field of the page's forms.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let i = self.body.find(marker).expect("a csrf field") + marker.len();
        self.body[i..].chars().take_while(|c| *c != '"').collect()
    }

    pub fn assert_html(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert!(
            self.header(CONTENT_TYPE).starts_with("text/html"),
            "{:?}",
            self.headers
        );
        self
    }
}

/// A browser: a cookie jar over the test app's client, following no redirects.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub client: reqwest::Client,
    pub cookies: HashMap<String, String>,
    /// Every Set-Cookie line seen, to check attributes.
    pub set_cookies: Vec<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookies: HashMap::new(),
            set_cookies: Vec::new(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn read(&mut self, res: reqwest::Response) -> Page {
        let status = res.status();
        let headers = res.headers().clone();
        for line in headers.get_all(SET_COOKIE) {
            let line = line.to_str().expect("ascii").to_string();
            let pair = line.split(';').next().unwrap_or("");
            let (name, value) = pair.split_once('=').expect("name=value");
            if value.is_empty() || line.to_ascii_lowercase().contains("max-age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
            self.set_cookies.push(line);
        }
        let body = res.text().await.expect("body");
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let res = self
            .client
            .get(self.app.url(path))
            .header("cookie", self.cookie_header())
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .send()
            .await
            .expect("sent");
        self.read(res).await
    }

    pub async fn post_with(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Page {
        let mut req = self
            .client
            .post(self.app.url(path))
            .header("cookie", self.cookie_header())
            .form(form);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let res = req.send().await.expect("sent");
        self.read(res).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_with(path, form, None).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.post(
            "/sign-in",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }

    pub fn session(&self) -> Option<String> {
        self.cookies.get("dl_session").cloned()
    }
}

/// A password that follows the rules.
pub const PASSWORD: &str = "de fiets staat achter het stadhuis";

/// A person with `role` in `organisation`, invited by the admin through the API, who chose a
/// password through the welcome link: signed in in the returned browser. Also their user id.
pub async fn signed_in_as<'a>(
    app: &'a TestApp,
    organisation: &str,
    role: &str,
    name: &str,
) -> (Browser<'a>, String) {
    let email = format!(
        "{}.{}@example.be",
        name.to_lowercase(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let r = app
        .post(
            "/users",
            &app.admin_token,
            serde_json::json!({ "organisation_id": organisation, "name": name, "role": role,
                                "email": email }),
        )
        .await;
    r.assert_status(201);
    let id = r.body["id"].as_str().expect("id").to_string();
    let link = app.welcome_path(&id).await;
    let mut b = Browser::new(app);
    let done = b.post(&link, &[("password", PASSWORD)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(b.session().is_some(), "signed in by the link");
    (b, id)
}

/// A download as read (a PDF is not text): status, headers and bytes.
pub struct Download {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn content_type(&self) -> String {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

impl Browser<'_> {
    /// Posts a form as the page's form does: with the session's CSRF token, read from the
    /// start page's frame first.
    pub async fn submit(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let token = self.get("/").await.csrf();
        let mut fields: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        fields.extend_from_slice(form);
        self.post(path, &fields).await
    }

    /// Downloads a file (a PDF) with the session's cookies.
    pub async fn download(&mut self, path: &str) -> Download {
        let res = self
            .client
            .get(self.app.url(path))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("sent");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.expect("body").to_vec();
        Download {
            status,
            headers,
            bytes,
        }
    }
}

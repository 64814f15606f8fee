//! A small W3C WebDriver client over HTTP, driving Debian's `chromium` through `chromedriver`.
//!
//! One chromedriver process serves the whole test binary (started on first use, on a free
//! port); each test opens its own browser session with a fresh profile. The driver runs under a
//! small shell that watches a pipe from this process: when the test binary exits (normally,
//! after a panic, or killed), the pipe closes and the shell ends its whole process group, so
//! neither chromedriver nor any Chromium is left running.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The W3C name of the key that marks a web element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a wait polls before it gives up.
pub const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

/// The WebDriver key codes the tests need.
pub mod keys {
    pub const ENTER: &str = "\u{E007}";
    pub const TAB: &str = "\u{E004}";
}

/// The screen the browser shows the page on (CSS pixels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// 390 × 844, touch, device pixel ratio 2 (the pages honour `width=device-width`).
    Phone,
    /// 1280 × 800, mouse, ratio 1.
    Desktop,
    /// 820 × 1180 (a tablet at the desk), touch, device pixel ratio 2.
    Tablet,
}

impl Screen {
    pub fn size(self) -> (u32, u32) {
        match self {
            Screen::Phone => (390, 844),
            Screen::Desktop => (1280, 800),
            Screen::Tablet => (820, 1180),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Screen::Phone => "phone",
            Screen::Desktop => "desktop",
            Screen::Tablet => "tablet",
        }
    }
}

struct Driver {
    address: String,
    /// Held open for the life of the process: its closing tells the watcher to stop everything.
    _watch: Child,
}

static DRIVER: OnceLock<Driver> = OnceLock::new();

fn chromedriver_path() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// The shared chromedriver, started on first use.
fn driver() -> &'static Driver {
    DRIVER.get_or_init(|| {
        let path = chromedriver_path();
        assert!(
            std::path::Path::new(&path).exists(),
            "{path} is missing: the browser tests need Debian's chromium and chromium-driver \
             (`bash .ci/test` installs them)"
        );
        let port = free_port();
        // sh starts the driver in its own process group, then waits for its standard input to
        // close (this process ending) and ends the group: chromedriver and every browser.
        let watch = Command::new("sh")
            .arg("-c")
            .arg(
                "\"$0\" --port=\"$1\" --log-level=SEVERE >/dev/null 2>&1 & read -r _; kill -TERM 0",
            )
            .arg(&path)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let address = format!("127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            if let Ok(body) = http_sync("GET", &address, "/status", None) {
                if serde_json::from_str::<Value>(&body)
                    .map(|v| v["value"]["ready"] == true)
                    .unwrap_or(false)
                {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not become ready on {address}"
            );
            std::thread::sleep(POLL);
        }
        Driver {
            address,
            _watch: watch,
        }
    })
}

/// A blocking HTTP/1.1 request without a client library: used where no async runtime may be
/// running (start-up, and closing a session from `Drop`, even while a test panics).
fn http_sync(
    method: &str,
    address: &str,
    path: &str,
    body: Option<&str>,
) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    // Read the head, then exactly Content-Length bytes: the driver may keep the connection.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk)?;
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            let body_start = end + 4;
            let complete = match length {
                Some(len) => buf.len() >= body_start + len,
                None => n == 0,
            };
            if complete {
                let stop = length.map_or(buf.len(), |len| body_start + len);
                return Ok(String::from_utf8_lossy(&buf[body_start..stop]).into_owned());
            }
        }
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the driver closed the connection early",
            ));
        }
    }
}

/// A WebDriver error, as the driver reported it.
#[derive(Debug)]
pub struct WdError {
    pub error: String,
    pub message: String,
}

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

/// One browser session (one Chromium with its own profile); closed when dropped.
pub struct Session {
    client: reqwest::Client,
    driver: &'static str,
    id: String,
    pub screen: Screen,
    _profile: tempfile::TempDir,
}

/// An element of the current page.
#[derive(Clone)]
pub struct Element {
    client: reqwest::Client,
    base: String,
    pub id: String,
}

async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value, WdError> {
    let mut req = client.request(method.clone(), url);
    if let Some(b) = body {
        req = req.json(&b);
    } else if method == reqwest::Method::POST {
        req = req.json(&json!({}));
    }
    let resp = req.send().await.map_err(|e| WdError {
        error: "no answer from chromedriver".into(),
        message: e.to_string(),
    })?;
    let ok = resp.status().is_success();
    let v: Value = resp.json().await.map_err(|e| WdError {
        error: "unreadable answer from chromedriver".into(),
        message: e.to_string(),
    })?;
    let value = v.get("value").cloned().unwrap_or(Value::Null);
    if ok {
        Ok(value)
    } else {
        Err(WdError {
            error: value["error"]
                .as_str()
                .unwrap_or("unknown error")
                .to_string(),
            message: value["message"]
                .as_str()
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .to_string(),
        })
    }
}

fn by_css(css: &str) -> Value {
    json!({ "using": "css selector", "value": css })
}

fn as_string(v: Value) -> String {
    match v {
        Value::String(s) => s,
        _ => String::new(),
    }
}

fn element_id(v: &Value) -> Option<String> {
    v.get(ELEMENT_KEY)
        .and_then(Value::as_str)
        .map(str::to_string)
}

impl Session {
    /// Opens a new headless Chromium at this screen size.
    pub async fn start(screen: Screen) -> Session {
        let driver = driver();
        let profile = tempfile::tempdir().expect("profile folder");
        let (w, h) = screen.size();
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-crash-reporter".into(),
            "--disable-extensions".into(),
            "--lang=nl-BE".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut options = json!({ "args": [], "prefs": { "intl.accept_languages": "nl-BE,nl" } });
        match screen {
            Screen::Phone | Screen::Tablet => {
                options["mobileEmulation"] = json!({
                    "deviceMetrics": { "width": w, "height": h, "pixelRatio": 2.0, "touch": true }
                });
            }
            Screen::Desktop => args.push(format!("--window-size={w},{h}")),
        }
        options["args"] = json!(args);
        let client = reqwest::Client::new();
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": { "script": 30000, "pageLoad": 30000, "implicit": 0 },
            "goog:chromeOptions": options,
        } } });
        let url = format!("http://{}/session", driver.address);
        let v = call(&client, reqwest::Method::POST, &url, Some(caps))
            .await
            .unwrap_or_else(|e| panic!("cannot start Chromium through chromedriver: {e}"));
        let id = v["sessionId"].as_str().expect("session id").to_string();
        let session = Session {
            client,
            driver: &driver.address,
            id,
            screen,
            _profile: profile,
        };
        if screen == Screen::Desktop {
            // The window size includes the (simulated) browser bar; fix the viewport itself.
            session
                .cdp(
                    "Emulation.setDeviceMetricsOverride",
                    json!({ "width": w, "height": h, "deviceScaleFactor": 1, "mobile": false }),
                )
                .await;
        }
        session
    }

    fn url_of(&self, tail: &str) -> String {
        format!("http://{}/session/{}{tail}", self.driver, self.id)
    }

    async fn cmd(&self, method: reqwest::Method, tail: &str, body: Option<Value>) -> Value {
        self.try_cmd(method, tail, body)
            .await
            .unwrap_or_else(|e| panic!("WebDriver {tail}: {e}"))
    }

    async fn post(&self, tail: &str, body: Value) -> Value {
        self.cmd(reqwest::Method::POST, tail, Some(body)).await
    }

    async fn get_string(&self, tail: &str) -> String {
        as_string(self.cmd(reqwest::Method::GET, tail, None).await)
    }

    async fn try_cmd(
        &self,
        method: reqwest::Method,
        tail: &str,
        body: Option<Value>,
    ) -> Result<Value, WdError> {
        call(&self.client, method, &self.url_of(tail), body).await
    }

    /// A Chrome DevTools command through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.post("/goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
            .await
    }

    /// Opens a URL and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    pub async fn current_url(&self) -> String {
        self.get_string("/url").await
    }

    pub async fn title(&self) -> String {
        self.get_string("/title").await
    }

    /// Runs a script (a function body; `arguments` holds `args`) and returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    /// Runs an asynchronous script: it calls `arguments[arguments.length - 1](result)`.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.post("/execute/async", json!({ "script": script, "args": args }))
            .await
    }

    /// The first element matching a CSS selector now, if any.
    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let v = self
            .try_cmd(reqwest::Method::POST, "/element", Some(by_css(css)))
            .await
            .ok()?;
        self.element(&v)
    }

    fn element(&self, v: &Value) -> Option<Element> {
        element_id(v).map(|id| Element {
            client: self.client.clone(),
            base: self.url_of(""),
            id,
        })
    }

    /// Every element matching a CSS selector now.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let v = self.post("/elements", by_css(css)).await;
        v.as_array()
            .map(|a| a.iter().filter_map(|e| self.element(e)).collect())
            .unwrap_or_default()
    }

    /// Waits (up to `WAIT`) for an element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Element {
        let started = Instant::now();
        loop {
            if let Some(e) = self.try_find(css).await {
                return e;
            }
            if started.elapsed() > WAIT {
                panic!(
                    "no element matches `{css}` after {WAIT:?} on {}",
                    self.where_am_i().await
                );
            }
            actix_web::rt::time::sleep(POLL).await;
        }
    }

    /// Waits (up to `WAIT`) until a script returns a truthy value; returns that value.
    pub async fn wait_until(&self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let v = self
                .try_cmd(
                    reqwest::Method::POST,
                    "/execute/sync",
                    Some(json!({ "script": script, "args": [] })),
                )
                .await
                .unwrap_or(Value::Null);
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return v;
            }
            if started.elapsed() > WAIT {
                panic!("waited {WAIT:?} for {what} on {}", self.where_am_i().await);
            }
            actix_web::rt::time::sleep(POLL).await;
        }
    }

    /// Waits until the address bar shows a path that starts with `prefix` (after a form posts).
    pub async fn wait_for_path(&self, prefix: &str) -> String {
        let script = format!(
            "return document.readyState === 'complete' && location.pathname.startsWith({}) \
             ? location.pathname + location.search : null",
            json!(prefix)
        );
        as_string(
            self.wait_until(&format!("the page {prefix}"), &script)
                .await,
        )
    }

    /// The address and the start of the visible text, for a failure message.
    pub async fn where_am_i(&self) -> String {
        let text: String = self.page_text().await.chars().take(400).collect();
        format!("{}, which says: {text:?}", self.current_url().await)
    }

    /// The visible text of the page.
    pub async fn page_text(&self) -> String {
        self.execute(
            "return document.body ? document.body.innerText : ''",
            vec![],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// The focused element.
    pub async fn active_element(&self) -> Element {
        let v = self
            .cmd(reqwest::Method::GET, "/element/active", None)
            .await;
        self.element(&v).expect("a focused element")
    }

    /// Presses keys on whatever has the focus (as a keyboard does: Tab moves the focus).
    pub async fn press(&self, keys: &[&str]) {
        let mut actions = Vec::new();
        for k in keys {
            actions.push(json!({ "type": "keyDown", "value": k }));
            actions.push(json!({ "type": "keyUp", "value": k }));
        }
        self.cmd(
            reqwest::Method::POST,
            "/actions",
            Some(json!({ "actions": [ { "type": "key", "id": "keyboard", "actions": actions } ] })),
        )
        .await;
    }

    /// Types text on whatever has the focus.
    pub async fn type_text(&self, text: &str) {
        let keys: Vec<String> = text.chars().map(|c| c.to_string()).collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        self.press(&refs).await;
    }

    /// A PNG of the viewport.
    pub async fn screenshot_png(&self) -> Vec<u8> {
        use base64::Engine as _;
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .expect("a base64 screenshot")
    }

    /// Deletes every cookie (signs the browser out without a form).
    pub async fn delete_cookies(&self) {
        self.cmd(reqwest::Method::DELETE, "/cookie", None).await;
    }

    /// The browser's cookies (name, value, httpOnly, sameSite, …).
    pub async fn cookies(&self) -> Vec<Value> {
        self.cmd(reqwest::Method::GET, "/cookie", None)
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Blocking on purpose: Drop may run while a test unwinds, outside any runtime.
        let _ = http_sync(
            "DELETE",
            self.driver,
            &format!("/session/{}", self.id),
            None,
        );
    }
}

impl Element {
    async fn cmd(&self, method: reqwest::Method, tail: &str, body: Option<Value>) -> Value {
        let url = format!("{}/element/{}{tail}", self.base, self.id);
        call(&self.client, method, &url, body)
            .await
            .unwrap_or_else(|e| panic!("WebDriver element{tail}: {e}"))
    }

    pub async fn click(&self) {
        self.cmd(reqwest::Method::POST, "/click", None).await;
    }

    /// Types into the element (use `keys::ENTER` to press Enter).
    pub async fn send_keys(&self, text: &str) {
        self.cmd(
            reqwest::Method::POST,
            "/value",
            Some(json!({ "text": text })),
        )
        .await;
    }

    pub async fn clear(&self) {
        self.cmd(reqwest::Method::POST, "/clear", None).await;
    }

    /// The rendered text.
    pub async fn text(&self) -> String {
        as_string(self.cmd(reqwest::Method::GET, "/text", None).await)
    }

    /// An HTML attribute as written in the page.
    pub async fn attribute(&self, name: &str) -> Option<String> {
        self.cmd(reqwest::Method::GET, &format!("/attribute/{name}"), None)
            .await
            .as_str()
            .map(str::to_string)
    }

    /// A DOM property (`value`, `checked`, …).
    pub async fn property(&self, name: &str) -> Value {
        self.cmd(reqwest::Method::GET, &format!("/property/{name}"), None)
            .await
    }

    /// The current value of a form field.
    pub async fn value(&self) -> String {
        match self.property("value").await {
            Value::String(s) => s,
            Value::Null => String::new(),
            v => v.to_string(),
        }
    }

    /// This element as a script argument.
    pub fn as_arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

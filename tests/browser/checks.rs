//! What every page test checks: axe-core (WCAG 2.0/2.1/2.2 A and AA), no sideways scrolling,
//! touch targets of 44 × 44 CSS px, and a screenshot for review.
//!
//! Each check has a `…_findings` form that returns what it found (used by the tests that prove
//! the checks can fail) and an asserting form that fails the test with a readable list.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use crate::webdriver::{Screen, Session};

/// The smallest touch target the issue asks for (WCAG 2.5.8 asks 24, 2.5.5 AAA asks 44).
pub const MIN_TARGET_PX: f64 = 44.0;

/// The WCAG tags axe runs: 2.0, 2.1 and 2.2, levels A and AA.
const AXE_TAGS: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

fn axe_source() -> &'static str {
    static AXE: OnceLock<String> = OnceLock::new();
    AXE.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/browser/node_modules/axe-core/axe.min.js"
        );
        std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!("{path}: {e}; run `npm ci` in tests/browser (`bash .ci/test` does)")
        })
    })
}

/// One axe-core rule that failed, with the elements it failed on.
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{}] {}: {} — on {}",
            self.impact,
            self.id,
            self.help,
            self.targets.join(", ")
        )
    }
}

/// Runs axe-core on the current page and returns every violation, whatever its impact.
pub async fn axe_violations(session: &Session) -> Vec<Violation> {
    // The page's Content-Security-Policy does not apply to scripts the driver runs.
    let loaded = session
        .execute(
            &format!("{}\n;return typeof window.axe === 'object';", axe_source()),
            vec![],
        )
        .await;
    assert_eq!(loaded, Value::Bool(true), "axe-core did not load");
    let script = format!(
        "const done = arguments[arguments.length - 1];\
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {} }}, resultTypes: ['violations'] }})\
           .then(r => done({{ violations: r.violations.map(v => ({{ id: v.id, impact: v.impact || '', \
             help: v.help, targets: v.nodes.map(n => n.target.join(' ')) }})) }}))\
           .catch(e => done({{ error: String(e) }}));",
        serde_json::to_string(&AXE_TAGS).expect("tags")
    );
    let result = session.execute_async(&script, vec![]).await;
    if let Some(e) = result["error"].as_str() {
        panic!("axe-core failed to run: {e}");
    }
    let as_str = |v: &Value| v.as_str().unwrap_or_default().to_string();
    result["violations"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| Violation {
                    id: as_str(&v["id"]),
                    impact: as_str(&v["impact"]),
                    help: as_str(&v["help"]),
                    targets: v["targets"]
                        .as_array()
                        .map(|t| t.iter().map(as_str).collect())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Fails on any serious or critical axe-core violation; lesser ones are printed as notes.
pub async fn axe_clean(session: &Session) {
    let all = axe_violations(session).await;
    let (bad, minor): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|v| matches!(v.impact.as_str(), "serious" | "critical"));
    let url = session.current_url().await;
    for v in &minor {
        eprintln!("axe note on {url}: {v}");
    }
    assert!(
        bad.is_empty(),
        "axe-core found {} serious or critical violation(s) on {url} ({}):\n{}",
        bad.len(),
        session.screen.name(),
        bad.iter()
            .map(|v| format!("  {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Describes an element for a failure message: `tag#id.class "text"`.
const DESCRIBE_JS: &str = "const describe = (e) => { \
    let s = e.tagName.toLowerCase(); \
    if (e.id) s += '#' + e.id; \
    if (typeof e.className === 'string' && e.className.trim()) \
      s += '.' + e.className.trim().split(/\\s+/).join('.'); \
    const t = (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' '); \
    if (t) s += ' \"' + t.slice(0, 40) + '\"'; \
    return s; };";

/// Why the page scrolls sideways, if it does: the document is wider than the screen (which
/// a phone answers by zooming out), or the page is laid out wider than the screen because it
/// lacks `<meta name="viewport" content="width=device-width">`.
pub async fn sideways_scroll_findings(session: &Session) -> Option<String> {
    let (screen_w, _) = session.screen.size();
    let script = format!(
        "{DESCRIBE_JS} \
         const screenW = arguments[0]; \
         const limit = Math.min(document.documentElement.clientWidth, screenW); \
         const sw = Math.max(document.documentElement.scrollWidth, \
                             document.body ? document.body.scrollWidth : 0); \
         const wide = sw > limit ? [...document.querySelectorAll('body *')] \
           .filter(e => {{ const r = e.getBoundingClientRect(); \
             return r.width > 0 && r.right + window.scrollX > limit + 1; }}) \
           .slice(0, 5).map(e => describe(e) + ' (' + Math.round(e.getBoundingClientRect().width) + ' px wide)') : []; \
         const viewport = !!document.querySelector('meta[name=viewport][content*=device-width]'); \
         return {{ inner: window.innerWidth, limit: limit, scroll: sw, wide: wide, viewport: viewport }};"
    );
    let v = session.execute(&script, vec![screen_w.into()]).await;
    let inner = v["inner"].as_f64().unwrap_or(0.0);
    let limit = v["limit"].as_f64().unwrap_or(0.0);
    let scroll = v["scroll"].as_f64().unwrap_or(0.0);
    if v["viewport"] != true && session.screen == Screen::Phone {
        return Some(format!(
            "no <meta name=\"viewport\" content=\"width=device-width\">: the phone lays the page \
             out {inner} px wide on its {screen_w} px screen"
        ));
    }
    if scroll > limit {
        let wide: Vec<String> = v["wide"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        return Some(format!(
            "the document is {scroll} px wide on a {limit} px screen; too wide: {}",
            wide.join(", ")
        ));
    }
    None
}

/// Fails when the page scrolls sideways.
pub async fn no_sideways_scroll(session: &Session) {
    if let Some(why) = sideways_scroll_findings(session).await {
        panic!(
            "sideways scrolling on {} ({}): {why}",
            session.current_url().await,
            session.screen.name()
        );
    }
}

/// Every visible interactive element smaller than 44 × 44 CSS px, described.
///
/// Counted: `a[href]`, `button`, `input` (not hidden), `select`, `textarea`, `summary`,
/// `[role=button]`. Not counted (decisions):
/// - a link inside running text (an inline `a` whose block has other text around it): WCAG
///   2.5.8 exempts it, and making every link in a sentence 44 px tall would break the text;
/// - an element not rendered or visually hidden (a box of 1 px² or less, e.g. a skip link
///   until it gets the focus);
/// - a checkbox or radio button is measured together with its labels (the box around both),
///   since a tap on the label ticks it.
pub async fn small_target_findings(session: &Session) -> Vec<String> {
    let script = format!(
        "{DESCRIBE_JS} \
         const min = {MIN_TARGET_PX} - 0.5; \
         const blockOf = (e) => {{ let p = e.parentElement; \
           while (p && getComputedStyle(p).display.startsWith('inline')) p = p.parentElement; \
           return p; }}; \
         const inRunningText = (e) => {{ \
           if (e.tagName !== 'A' || getComputedStyle(e).display !== 'inline') return false; \
           const b = blockOf(e); if (!b) return false; \
           const own = (e.innerText || '').trim().length; \
           return (b.innerText || '').trim().length > own; }}; \
         const box = (e) => {{ const r = e.getBoundingClientRect(); return [r.width, r.height]; }}; \
         const out = []; \
         for (const e of document.querySelectorAll( \
             'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')) {{ \
           if (e.getClientRects().length === 0) continue; \
           const cs = getComputedStyle(e); \
           if (cs.visibility === 'hidden' || cs.display === 'none') continue; \
           let [w, h] = box(e); \
           if (w * h <= 1) continue; \
           if (inRunningText(e)) continue; \
           if (e.type === 'checkbox' || e.type === 'radio') {{ \
             const r = e.getBoundingClientRect(); \
             let [l, t, rr, b] = [r.left, r.top, r.right, r.bottom]; \
             for (const lab of (e.labels || [])) {{ const q = lab.getBoundingClientRect(); \
               l = Math.min(l, q.left); t = Math.min(t, q.top); \
               rr = Math.max(rr, q.right); b = Math.max(b, q.bottom); }} \
             w = rr - l; h = b - t; }} \
           if (w < min || h < min) out.push(describe(e) + ' is ' + Math.round(w) + ' × ' + Math.round(h) + ' px'); \
         }} \
         return out;"
    );
    session
        .execute(&script, vec![])
        .await
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Fails when a visible interactive element is smaller than 44 × 44 CSS px.
pub async fn targets_big_enough(session: &Session) {
    let small = small_target_findings(session).await;
    assert!(
        small.is_empty(),
        "touch targets under {MIN_TARGET_PX} × {MIN_TARGET_PX} px on {} ({}):\n  {}",
        session.current_url().await,
        session.screen.name(),
        small.join("\n  ")
    );
}

/// Where screenshots go: `target/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(&tmp).join("screenshots")
}

/// Writes a PNG of the viewport to `target/screenshots/{name}-{screen}.png`.
pub async fn screenshot(session: &Session, name: &str) -> PathBuf {
    let png = session.screenshot_png().await;
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let path = dir.join(format!("{safe}-{}.png", session.screen.name()));
    std::fs::write(&path, png).expect("screenshot written");
    path
}

/// Everything a page must pass, and a screenshot of it: axe-core clean, no sideways scroll,
/// targets big enough.
pub async fn page_is_fit(session: &Session, name: &str) {
    screenshot(session, name).await;
    axe_clean(session).await;
    no_sideways_scroll(session).await;
    targets_big_enough(session).await;
}

/// Both screens, for tests that run a page at each size.
pub const SCREENS: [Screen; 2] = [Screen::Phone, Screen::Desktop];

/// Why the focused element shows no focus, if it does not: it must match `:focus-visible`
/// (the browser shows keyboard focus) and draw an outline or a box shadow.
pub async fn focus_findings(session: &Session) -> Option<String> {
    let script = format!(
        "{DESCRIBE_JS} \
         const e = document.activeElement; \
         if (!e || e === document.body) return 'nothing has the focus'; \
         const cs = getComputedStyle(e); \
         const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1; \
         const shadow = cs.boxShadow && cs.boxShadow !== 'none'; \
         if (!e.matches(':focus-visible')) return describe(e) + ' has the focus but not :focus-visible'; \
         if (!outline && !shadow) return describe(e) + ' has the focus but no outline or shadow'; \
         return null;"
    );
    session
        .execute(&script, vec![])
        .await
        .as_str()
        .map(str::to_string)
}

/// Fails when the focused element shows no visible focus.
pub async fn focus_visible(session: &Session) {
    if let Some(why) = focus_findings(session).await {
        panic!(
            "focus not visible on {} ({}): {why}",
            session.current_url().await,
            session.screen.name()
        );
    }
}

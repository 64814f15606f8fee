//! Browser tests: real Chromium (Debian's `chromium` through `chromium-driver`) drives the real
//! server, at phone (390 × 844) and desktop (1280 × 800) size, on SQLite and PostgreSQL, with
//! axe-core on every page. `bash .ci/test` installs Chromium, chromedriver and axe-core when
//! they are missing. Screenshots land in `target/screenshots/`.

// The API tests' harness: a server per test on its own database, and `dual_test!`.
#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

mod checks;
mod people;
mod webdriver;

mod bookings;
mod frame;
mod harness;
mod landing;
mod loans;
mod ops;
mod reports;
mod workshop;

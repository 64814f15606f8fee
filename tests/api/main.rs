//! The black-box test suite: one binary, driving the real HTTP app.

mod helpers;

mod access;
mod foundation;
mod inventory;
mod loans;
mod refurbishment;

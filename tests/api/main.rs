//! The black-box test suite: one binary, driving the real HTTP app.

mod helpers;

mod access;
mod bookings;
mod foundation;
mod inventory;
mod labels;
mod loans;
mod refurbishment;
mod robustness;

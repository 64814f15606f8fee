//! The black-box test suite: one binary, driving the real HTTP app.

mod helpers;

mod access;
mod admin;
mod allocation;
mod bench;
mod bench_pages;
mod bookings;
mod documents;
mod figures;
mod foundation;
mod gdpr;
mod inventory;
mod labels;
mod loans;
mod ops;
mod refurbishment;
mod robustness;
mod visibility;
mod web_bookings;
mod web_client;
mod web_loans;
mod web_ops;
mod web_reports;
mod web_sign_in;
mod workshop;

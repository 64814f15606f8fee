//! Digilend: lending refurbished devices for digital inclusion.
//!
//! A library with a thin binary: `startup` builds the HTTP app from a `config` and a bound
//! listener; `api` holds the handlers; `domain` the rules; `db` the storage for SQLite and
//! PostgreSQL through one code path; `documents` and `labels` render PDFs and labels.

pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod documents;
pub mod domain;
pub mod error;
pub mod fonts;
pub mod i18n;
pub mod labels;
pub mod memory;
pub mod observability;
pub(crate) mod pdf;
pub mod qr;
pub mod startup;
pub mod web;

//! Digilend: lending refurbished devices for digital inclusion.
pub mod documents;
pub mod qr;

//! Digilend: lending refurbished devices for digital inclusion.
pub mod qr;

//! Digilend: lending refurbished devices for digital inclusion.
pub mod labels;
pub mod qr;

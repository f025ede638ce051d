//! # kensa-probe-tls: the TLS probe's wire codec
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

pub mod codec;
pub mod hello;
pub mod suites;
#[rustfmt::skip]
mod suites_table;

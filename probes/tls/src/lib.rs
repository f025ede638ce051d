//! # kensa-probe-tls (in progress)
#![forbid(unsafe_code)]

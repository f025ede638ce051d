//! Shared test support.
#![allow(dead_code, unreachable_pub, missing_docs, clippy::type_complexity)]

pub mod fixture_gen;

//! # kensa: verifiable evidence about cloud providers' public endpoints
//!
//! The harness crate. Data flows one way:
//!
//! ```text
//! catalog ──► plan ──► engine ──► evidence.jsonl ──► controls ──► findings ──► grades ──► reports
//! (TOML)     (lazy     (tokio,     (hash-chained,
//!             targets)  dial seam)  single writer)
//! ```
//!
//! - [`catalog`] parses and validates the target catalog (file:line:col errors);
//! - [`plan`] turns it lazily into [`engine::TargetSpec`]s;
//! - [`engine`] probes them in parallel within the limits of the dial seam
//!   ([`kensa_probe::Net`]), catching panics and timeouts as outcomes;
//! - [`evidence`] writes and verifies the hash-chained evidence stream;
//! - [`scan`] ties these together for one run; [`cli`] is the command line;
//! - [`assess`] judges the evidence: controls, profiles, findings and grades.
//!
//! Probes live in their own crates under `probes/` and know nothing of this crate.

#![forbid(unsafe_code)]

pub mod assess;
pub mod bundle;
pub mod catalog;
pub mod cli;
pub mod compare;
pub mod config;
pub mod declaration;
pub mod demo;
pub mod diff;
pub mod engine;
pub mod escape;
pub mod evidence;
pub mod lint;
pub mod output;
pub mod pg;
pub mod pipeline;
pub mod plan;
pub mod probes;
pub mod progress;
pub mod recheck;
pub mod report;
pub mod residency;
pub mod runlock;
pub mod scan;
pub mod serve;
pub mod store;
pub mod suggest;
pub mod worker;

use std::time::SystemTime;

/// Format a wall-clock time as RFC 3339 in UTC with microseconds (`2026-11-22T03:15:00.123456Z`).
pub fn rfc3339(t: SystemTime) -> String {
    let dt = time::OffsetDateTime::from(t);
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    dt.format(&fmt)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000000Z".to_owned())
}

/// The tool name and version, as recorded in evidence.
pub const TOOL: &str = concat!("kensa ", env!("CARGO_PKG_VERSION"));

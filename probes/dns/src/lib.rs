//! # kensa-probe-dns: what the DNS says about an endpoint's name
//!
//! For one host name, through every resolver the user named (`--resolver IP:PORT`, else the
//! system's), record:
//!
//! - the A and AAAA answers with TTLs and the CNAME chain hop by hop; the union of the
//!   addresses is what the other probes then connect to (the harness resolves once per target
//!   through this probe);
//! - answers for the client prefixes named in the catalog, asked with EDNS Client Subnet
//!   (RFC 7871), so geo-steered DNS shows;
//! - the zone: apex, SOA, and the name servers with their addresses (so residency can place
//!   them);
//! - CAA, found by climbing the tree (RFC 8659 §3), parsed;
//! - HTTPS records (RFC 9460: ALPN, ECH present, address hints; at the name for port 443,
//!   at `_PORT._https.NAME` for other ports, RFC 9460 §9.1) and TLSA at `_PORT._tcp`
//!   (RFC 6698, DANE);
//! - DNSSEC: the validation state (secure, insecure, bogus, indeterminate; validated by
//!   hickory-resolver against the IANA root anchors or a user-supplied anchor file) of each
//!   address answer and of the SOA, NS, CAA, HTTPS, TLSA, DS and DNSKEY answers, and the
//!   DS/DNSKEY algorithms of the zone;
//! - dangling records: a CNAME whose target does not exist (NXDOMAIN), exists without
//!   addresses (NODATA), or cannot be looked up (SERVFAIL, timeout, …), each recorded as such.
//!
//! One observation takes at most [`Config::budget`]: the address questions come first, the
//! rest runs concurrently in the time left, and whatever has not finished is recorded as
//! timed out, so the addresses are never lost to a slow resolver.
//!
//! Questions are asked with hickory-proto messages over UDP (TCP when truncated), so every
//! RCODE, TTL and hop is seen as served; the validation state comes from a validating
//! hickory-resolver pointed at the same resolver. DNS traffic goes only to the configured
//! resolvers. Failures (NXDOMAIN, SERVFAIL, timeouts, bogus answers, malformed replies) are
//! recorded as evidence, never raised. The probe observes only: whether a CAA set permits the
//! certificate's issuer is decided by the certificate analysis, whether DNSSEC is required by
//! the controls.

#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod cache;
mod interpret;
mod observe;
mod probe;
mod validate;
mod wire;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

pub use cache::MAX_QUESTIONS_PER_NAME;
pub use interpret::{ReplyFacts, interpret_reply};
pub use observe::*;
pub use probe::{Dns, observe_host};
pub use wire::{MAX_DNS_SOCKETS, dns_sockets_peak};

/// The stable id of this probe.
pub const PROBE_ID: &str = "dns.resolve";

/// The version of the probe's observation format.
pub const PROBE_VERSION: &str = "1.1.0";

/// The most CNAME hops followed before the chain is recorded as `chain-too-long` (RFC 1034
/// puts no limit; resolvers in the wild stop between 8 and 16).
pub const MAX_CNAME_HOPS: usize = 16;

/// The most name servers whose addresses are looked up (a delegation holds at most 13 in one
/// UDP reply in practice).
pub const MAX_NAME_SERVERS: usize = 13;

/// The default [`Config::budget`]: 8 s, under the harness's 10 s resolve limit.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(8);

/// Where a resolver came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResolverSource {
    /// Named by the user (`--resolver`).
    Explicit,
    /// Read from the system's configuration (`/etc/resolv.conf`).
    System,
}

impl ResolverSource {
    /// `explicit` or `system`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Explicit => "explicit",
            Self::System => "system",
        }
    }
}

/// One recursive resolver to ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolverAddr {
    /// Its address and port.
    pub addr: SocketAddr,
    /// Where it came from.
    pub source: ResolverSource,
}

/// The DNSSEC trust anchors validation starts from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Anchors {
    /// The IANA root zone KSKs built into hickory (2017 and 2024 keys).
    #[default]
    IanaRoot,
    /// DNSKEY records in presentation format, read from a file (for islands of trust such as
    /// test zones).
    File(PathBuf),
    /// DNSKEY records in presentation format, given as text (a scan configuration carries
    /// its anchors by content); `name` says where they came from.
    Text {
        /// Where the text came from (a file name), for error messages.
        name: String,
        /// The DNSKEY lines.
        text: String,
    },
}

/// How the probe asks.
#[derive(Clone, Debug)]
pub struct Config {
    /// The resolvers to ask, in order; the first one that answers also supplies the zone,
    /// CAA, HTTPS, TLSA and DNSSEC facts.
    pub resolvers: Vec<ResolverAddr>,
    /// Timeout per question, per attempt.
    pub timeout: Duration,
    /// UDP attempts per question.
    pub attempts: u8,
    /// Trust anchors for DNSSEC validation.
    pub anchors: Anchors,
    /// The most time one name's observation may take, all resolvers, questions and validating
    /// lookups included. The address questions are asked first; the zone, CAA, HTTPS, TLSA,
    /// DS/DNSKEY questions, the client-subnet questions and the validating lookups then run
    /// concurrently in what is left. A question still unanswered when the budget runs out is
    /// recorded as `timeout` (a validation state as `indeterminate`) and
    /// [`Observation::budget_exhausted`] is set, so the answers that did come are kept. Keep it
    /// below the harness's resolve limit (10 s), which discards the whole observation.
    pub budget: Duration,
}

impl Config {
    /// A configuration with the given resolvers and defaults (2 s timeout, 2 attempts, IANA
    /// root anchors, 8 s budget).
    pub fn new(resolvers: Vec<ResolverAddr>) -> Self {
        Self {
            resolvers,
            timeout: Duration::from_secs(2),
            attempts: 2,
            anchors: Anchors::IanaRoot,
            budget: DEFAULT_BUDGET,
        }
    }
}

/// The system's resolvers, from `/etc/resolv.conf` (never used by tests).
pub fn system_resolvers() -> Result<Vec<ResolverAddr>, Error> {
    let (conf, _) = hickory_resolver::system_conf::read_system_conf()
        .map_err(|e| Error::SystemConfig(e.to_string()))?;
    let mut out: Vec<ResolverAddr> = Vec::new();
    for ns in conf.name_servers() {
        let addr = SocketAddr::new(ns.ip, 53);
        if !out.iter().any(|r| r.addr == addr) {
            out.push(ResolverAddr {
                addr,
                source: ResolverSource::System,
            });
        }
    }
    if out.is_empty() {
        return Err(Error::SystemConfig(
            "the system configuration names no name server".to_owned(),
        ));
    }
    Ok(out)
}

/// A client prefix for EDNS Client Subnet queries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientPrefix {
    /// The prefix's address (host bits are cleared when sent).
    pub address: IpAddr,
    /// The prefix length (≤ 32 for IPv4, ≤ 128 for IPv6).
    pub len: u8,
}

impl std::fmt::Display for ClientPrefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.address, self.len)
    }
}

impl std::str::FromStr for ClientPrefix {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || Error::BadPrefix(s.to_owned());
        let (a, l) = s.split_once('/').ok_or_else(bad)?;
        let address: IpAddr = a.parse().map_err(|_| bad())?;
        let len: u8 = l.parse().map_err(|_| bad())?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        if len > max {
            return Err(bad());
        }
        Ok(Self { address, len })
    }
}

/// Errors of the DNS probe's set-up (lookups themselves never fail: they are evidence).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The system's resolver configuration could not be read.
    #[error("cannot read the system's resolver configuration: {0}")]
    SystemConfig(String),
    /// A trust-anchor file could not be read or parsed.
    #[error("cannot use the DNSSEC trust anchor file {path}: {reason}")]
    Anchors {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A validating resolver could not be built.
    #[error("cannot set up a validating resolver for {0}: {1}")]
    Resolver(SocketAddr, String),
    /// A client prefix is not `ADDRESS/LEN`.
    #[error("not a client prefix (ADDRESS/LEN): {0}")]
    BadPrefix(String),
    /// No resolver was configured.
    #[error("no resolver to ask")]
    NoResolver,
}

impl Error {
    /// The outcome this error maps to: all of them are the user's input or configuration.
    pub fn outcome(&self) -> kensa_probe::Outcome {
        kensa_probe::Outcome::InvalidInput
    }
}

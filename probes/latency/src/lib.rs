//! # kensa-probe-latency: TCP connect-time distributions
//!
//! For every address of a target, open `samples` TCP connections through the dial seam (with
//! a random pause of up to `jitter` between them, so samples do not line up with a periodic
//! load on the peer), and record each connect time. Summaries (minimum, median, 90th
//! percentile, maximum, nearest-rank) are given per address and per address family.
//!
//! The minimum connect time is what residency physics uses later: a TCP handshake takes one
//! round trip, so `min` bounds the distance to the peer.
//!
//! This probe observes only: it never says whether a latency is good or bad. It sends nothing
//! after the TCP handshake and closes each connection at once.

#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use kensa_probe::{DialError, Outcome, Scope};
use serde::{Deserialize, Serialize};

/// The stable id of this probe.
pub const PROBE_ID: &str = "latency.tcp";
/// The version of this probe's observation format and method.
pub const PROBE_VERSION: &str = "1";

/// How the probe samples.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Connections per address. Default 5.
    pub samples: u32,
    /// Timeout of one connect. Default 3 s.
    pub connect_timeout: Duration,
    /// Upper bound of the random pause before each sample after the first. Default 50 ms.
    pub jitter: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            samples: 5,
            connect_timeout: Duration::from_secs(3),
            jitter: Duration::from_millis(50),
        }
    }
}

/// Why the probe gathered no evidence at all.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The target has no address to connect to.
    #[error("the target has no address to connect to")]
    NoAddresses,
    /// The configuration asks for zero samples.
    #[error("samples must be at least 1")]
    NoSamples,
}

impl Error {
    /// The outcome this error stands for.
    pub fn outcome(&self) -> Outcome {
        Outcome::InvalidInput
    }
}

/// An IP address family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// IPv4.
    Ipv4,
    /// IPv6.
    Ipv6,
}

impl Family {
    fn of(ip: IpAddr) -> Self {
        if ip.is_ipv4() { Self::Ipv4 } else { Self::Ipv6 }
    }
}

/// Summary statistics of connect times, in microseconds (nearest-rank percentiles).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Number of successful samples summarised.
    pub n: usize,
    /// Fastest connect, µs.
    pub min_us: u64,
    /// Median connect (nearest-rank 50th percentile), µs.
    pub median_us: u64,
    /// 90th percentile (nearest-rank), µs.
    pub p90_us: u64,
    /// Slowest connect, µs.
    pub max_us: u64,
}

impl Stats {
    /// Summarise samples (µs); `None` when there are none.
    pub fn from_samples(samples: &[u64]) -> Option<Self> {
        let mut s = samples.to_vec();
        s.sort_unstable();
        let rank = |p: usize| -> Option<u64> {
            // Nearest rank: the ceil(p/100 * n)-th smallest value (1-based).
            let idx = (p * s.len()).div_ceil(100).max(1) - 1;
            s.get(idx).copied()
        };
        Some(Self {
            n: s.len(),
            min_us: *s.first()?,
            median_us: rank(50)?,
            p90_us: rank(90)?,
            max_us: *s.last()?,
        })
    }
}

/// A sample that did not connect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleFailure {
    /// Which sample (0-based) failed.
    pub sample: u32,
    /// How it ended (`refused`, `timeout`, `reset`, `not-allowed`, ...).
    pub outcome: Outcome,
    /// The error text.
    pub error: String,
}

/// What was observed for one address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressLatency {
    /// The address connected to.
    pub address: IpAddr,
    /// Its family.
    pub family: Family,
    /// Connect times of the successful samples in the order taken, µs.
    pub samples_us: Vec<u64>,
    /// The samples that failed.
    pub failures: Vec<SampleFailure>,
    /// Summary of `samples_us`; absent when no sample connected.
    pub stats: Option<Stats>,
}

/// Summaries over all addresses of one family.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyStats {
    /// Over every IPv4 sample; absent when none connected.
    pub ipv4: Option<Stats>,
    /// Over every IPv6 sample; absent when none connected.
    pub ipv6: Option<Stats>,
}

/// The evidence this probe records for a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The TCP port connected to.
    pub port: u16,
    /// Samples attempted per address.
    pub samples_per_address: u32,
    /// Connect timeout of each sample, ms.
    pub connect_timeout_ms: u64,
    /// Per address, in the order the target lists them.
    pub addresses: Vec<AddressLatency>,
    /// Per address family.
    pub families: FamilyStats,
}

impl Observation {
    /// `success` when at least one sample connected; otherwise the outcome of the first failure.
    pub fn outcome(&self) -> Outcome {
        if self.addresses.iter().any(|a| !a.samples_us.is_empty()) {
            return Outcome::Success;
        }
        self.addresses
            .iter()
            .flat_map(|a| a.failures.first())
            .map(|f| f.outcome)
            .next()
            .unwrap_or(Outcome::Internal)
    }

    /// The first failure's error text, when no sample connected.
    pub fn error(&self) -> Option<String> {
        if self.outcome() == Outcome::Success {
            return None;
        }
        self.addresses
            .iter()
            .flat_map(|a| a.failures.first())
            .map(|f| f.error.clone())
            .next()
    }
}

/// Sample every address of the scope on `port`.
pub async fn probe(scope: &Scope, port: u16, config: &Config) -> Result<Observation, Error> {
    if scope.addresses().is_empty() {
        return Err(Error::NoAddresses);
    }
    if config.samples == 0 {
        return Err(Error::NoSamples);
    }
    let mut set = tokio::task::JoinSet::new();
    for (i, &ip) in scope.addresses().iter().enumerate() {
        let scope = scope.clone();
        let config = config.clone();
        set.spawn(async move { (i, sample_address(&scope, ip, port, &config).await) });
    }
    let mut addresses: Vec<(usize, AddressLatency)> = Vec::with_capacity(set.len());
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(pair) => addresses.push(pair),
            // A panic in a sampling task is a bug; let the harness record it as `internal`.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {}
        }
    }
    addresses.sort_by_key(|(i, _)| *i);
    let addresses: Vec<AddressLatency> = addresses.into_iter().map(|(_, a)| a).collect();
    let family = |f: Family| {
        let all: Vec<u64> = addresses
            .iter()
            .filter(|a| a.family == f)
            .flat_map(|a| a.samples_us.iter().copied())
            .collect();
        Stats::from_samples(&all)
    };
    let families = FamilyStats {
        ipv4: family(Family::Ipv4),
        ipv6: family(Family::Ipv6),
    };
    Ok(Observation {
        port,
        samples_per_address: config.samples,
        connect_timeout_ms: u64::try_from(config.connect_timeout.as_millis()).unwrap_or(u64::MAX),
        addresses,
        families,
    })
}

async fn sample_address(scope: &Scope, ip: IpAddr, port: u16, config: &Config) -> AddressLatency {
    let addr = SocketAddr::new(ip, port);
    let mut rng = Jitter::new();
    let mut samples_us = Vec::with_capacity(usize::try_from(config.samples).unwrap_or(0));
    let mut failures = Vec::new();
    for sample in 0..config.samples {
        if sample > 0 && !config.jitter.is_zero() {
            tokio::time::sleep(rng.below(config.jitter)).await;
        }
        match scope.connect(addr, config.connect_timeout).await {
            Ok(conn) => {
                let us = u64::try_from(conn.connect_time().as_micros()).unwrap_or(u64::MAX);
                samples_us.push(us);
                drop(conn);
            }
            Err(e) => {
                let stop = matches!(e, DialError::OutOfScope { .. } | DialError::Private { .. });
                failures.push(SampleFailure {
                    sample,
                    outcome: e.outcome(),
                    error: e.to_string(),
                });
                // The seam's refusal will not change between samples: do not ask again.
                if stop {
                    break;
                }
            }
        }
    }
    AddressLatency {
        address: ip,
        family: Family::of(ip),
        stats: Stats::from_samples(&samples_us),
        samples_us,
        failures,
    }
}

/// A small xorshift generator seeded from the standard library's random hasher keys; jitter
/// needs no cryptographic randomness.
struct Jitter(u64);

impl Jitter {
    fn new() -> Self {
        let seed = RandomState::new().build_hasher().finish() | 1;
        Self(seed)
    }

    fn below(&mut self, max: Duration) -> Duration {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        let max_us = u64::try_from(max.as_micros()).unwrap_or(u64::MAX).max(1);
        Duration::from_micros(x % max_us)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use kensa_probe::{Host, Limits, Net, TargetId, TcpConnector};

    use super::*;

    #[test]
    fn nearest_rank_stats() {
        let s = Stats::from_samples(&[50, 10, 40, 20, 30]).unwrap();
        assert_eq!(
            s,
            Stats {
                n: 5,
                min_us: 10,
                median_us: 30,
                p90_us: 50,
                max_us: 50
            }
        );
        let s = Stats::from_samples(&(1..=10).collect::<Vec<_>>()).unwrap();
        assert_eq!((s.median_us, s.p90_us), (5, 9));
        assert_eq!(Stats::from_samples(&[]), None);
        assert_eq!(Stats::from_samples(&[7]).map(|s| s.p90_us), Some(7));
    }

    fn scope_for(addrs: Vec<IpAddr>, allow_private: bool) -> Scope {
        let net = Net::new(Arc::new(TcpConnector), Limits::default(), allow_private);
        let mut t = kensa_probe::Target::new(TargetId::new("t"), Host::Name("a.test".into()), 1);
        t.addresses = addrs;
        net.scope(&t)
    }

    #[tokio::test]
    async fn samples_a_listener() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        let scope = scope_for(vec![l.local_addr().unwrap().ip()], true);
        let cfg = Config {
            samples: 3,
            jitter: Duration::from_millis(1),
            ..Config::default()
        };
        let obs = probe(&scope, port, &cfg).await.unwrap();
        assert_eq!(obs.outcome(), Outcome::Success);
        assert_eq!(obs.addresses.len(), 1);
        assert_eq!(obs.addresses[0].samples_us.len(), 3);
        assert_eq!(obs.families.ipv4.map(|s| s.n), Some(3));
        assert_eq!(obs.families.ipv6, None);
    }

    #[tokio::test]
    async fn private_address_is_refused_once() {
        let scope = scope_for(vec!["127.0.0.1".parse().unwrap()], false);
        let obs = probe(&scope, 9, &Config::default()).await.unwrap();
        assert_eq!(obs.outcome(), Outcome::NotAllowed);
        assert_eq!(obs.addresses[0].failures.len(), 1);
    }

    #[tokio::test]
    async fn no_addresses_is_invalid_input() {
        let scope = scope_for(vec![], true);
        let err = probe(&scope, 9, &Config::default()).await.unwrap_err();
        assert_eq!(err.outcome(), Outcome::InvalidInput);
    }
}

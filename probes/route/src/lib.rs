//! # kensa-probe-route: `route.trace`
//!
//! The network path from the vantage to each serving address of a target: probes with
//! increasing TTL (TCP SYNs to the target's port, or UDP datagrams), and the ICMP *time
//! exceeded* answers of the routers on the way, as a traceroute does. The packets are sent and
//! matched by [`trippy_core`] (raw sockets; kensa writes no socket code and no `unsafe` for
//! it). Each hop records the addresses that answered, how many probes were sent and answered,
//! and the round-trip times; the harness adds each responder's AS number, network owner and
//! country from the residency sources through [`Networks`].
//!
//! ## Scope and politeness
//!
//! The destination of every trace is one of the target's own addresses, checked by the dial
//! seam ([`Scope::hold`]: scope, private and metadata addresses refused without
//! `--allow-private`), and the trace holds that address's per-host and global permits and
//! one rate slot for its whole duration, like one connection. The routers on the way are
//! only *observed*: their answers are recorded, nothing is ever sent to them. At most
//! [`MAX_TRACES`] traces run at once in a process and one at a time per destination (every
//! raw ICMP socket sees every answer; trippy-core keeps a trace's own by the destination and
//! ports quoted in it), each of at most `rounds × max_ttl` probes, at most `max_inflight`
//! unanswered at once.
//!
//! ## Privileges
//!
//! Raw sockets need `CAP_NET_RAW` (root, or `setcap cap_net_raw+ep` on the binary). Without
//! it the probe ends with [`Error::Permission`] (`invalid-input`, the configuration's fault,
//! with a message saying so), never with a network outcome.

#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use kensa_probe::{DialError, Outcome, Scope};
use serde::{Deserialize, Serialize};

/// The stable probe id.
pub const PROBE_ID: &str = "route.trace";
/// The probe's version (recorded in `run-begin`).
pub const PROBE_VERSION: &str = "0.1.0";

/// What the probes are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// TCP SYNs to the target's own port (a firewall that lets the service through lets
    /// the probes through; the destination answers with SYN-ACK or RST).
    #[default]
    Tcp,
    /// UDP datagrams to `udp_port` (the destination answers with ICMP port unreachable).
    Udp,
}

/// The probe's configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// TCP (default) or UDP.
    pub protocol: Protocol,
    /// The destination port of UDP probes. Default 33434 (traceroute's).
    pub udp_port: u16,
    /// The largest TTL tried (1..=254). Default 30.
    pub max_ttl: u8,
    /// Rounds per address (every TTL once per round). Default 3.
    pub rounds: usize,
    /// Probes without an answer at once. Default 8.
    pub max_inflight: u8,
    /// The longest a round waits for answers, ms. Default 1000.
    pub round_timeout_ms: u64,
    /// How long a round goes on after the destination answered, ms (late answers from
    /// earlier hops). Default 100.
    pub grace_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            protocol: Protocol::Tcp,
            udp_port: 33434,
            max_ttl: 30,
            rounds: 3,
            max_inflight: 8,
            round_timeout_ms: 1000,
            grace_ms: 100,
        }
    }
}

/// The network facts of one responder, from the harness's residency sources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    /// Autonomous system number, when a source knows it.
    pub asn: Option<u32>,
    /// The AS's organisation (the network's owner), when a source knows it.
    pub as_org: Option<String>,
    /// Where the sources place the address (ISO 3166-1 alpha-2), when one does.
    pub country: Option<String>,
    /// The country the network is registered to, when a source knows it.
    pub registered_country: Option<String>,
}

/// Looks up the network facts of a responder (the harness's geolocation and ASN sources).
/// Pure lookups: nothing is sent to the address.
pub trait Networks: Send + Sync {
    /// The facts known about `ip`.
    fn network(&self, ip: IpAddr) -> Network;
}

/// No sources: every responder's facts are unknown.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoNetworks;

impl Networks for NoNetworks {
    fn network(&self, _ip: IpAddr) -> Network {
        Network::default()
    }
}

/// One address that answered at a hop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responder {
    /// The address the answer came from (observed, never dialled).
    pub address: IpAddr,
    /// How many probes it answered.
    pub replies: usize,
    /// Its network facts.
    #[serde(flatten)]
    pub network: Network,
}

/// One hop: the probes sent with one TTL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    /// The TTL (1 = the first router).
    pub ttl: u8,
    /// Probes sent with this TTL.
    pub sent: usize,
    /// Answers received.
    pub received: usize,
    /// The addresses that answered, most answers first (more than one: load-balanced paths).
    /// Empty: a silent hop (`*`), whose network is unknown.
    pub responders: Vec<Responder>,
    /// Whether the answer came from the destination itself.
    pub destination: bool,
    /// Shortest round-trip time, µs.
    pub rtt_best_us: Option<u64>,
    /// Mean round-trip time, µs.
    pub rtt_avg_us: Option<u64>,
    /// Longest round-trip time, µs.
    pub rtt_worst_us: Option<u64>,
}

/// The path to one address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Path {
    /// The serving address traced to.
    pub destination: IpAddr,
    /// Whether the destination answered (its hop is the last one).
    pub reached: bool,
    /// The hops from TTL 1 to the destination (or to the last router that answered when the
    /// destination did not).
    pub hops: Vec<Hop>,
    /// Hops that no address answered (their network, and country, are unknown).
    pub silent_hops: usize,
    /// Distinct countries of the responders, in path order (the destination's included).
    pub countries: Vec<String>,
    /// The country of the first hop's first responder (the vantage's own network: where the
    /// path starts), when it answered and a source places it.
    pub origin_country: Option<String>,
    /// The destination's country by the same sources (whether or not it answered).
    pub destination_country: Option<String>,
    /// Responders no source places in a country.
    pub unplaced_responders: usize,
    /// Why this address could not be traced (the other fields are then empty).
    pub error: Option<String>,
    /// The outcome of this address's trace.
    pub outcome: Outcome,
}

/// What the probe observed for a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The probes' protocol.
    pub protocol: Protocol,
    /// Their destination port (the target's port for TCP).
    pub port: u16,
    /// The largest TTL tried.
    pub max_ttl: u8,
    /// Rounds per address.
    pub rounds: usize,
    /// One path per address of the target, in the target's order.
    pub paths: Vec<Path>,
}

impl Observation {
    /// `success` when some path has an answering hop; else the first path's outcome.
    pub fn outcome(&self) -> Outcome {
        if self
            .paths
            .iter()
            .any(|p| p.hops.iter().any(|h| !h.responders.is_empty()))
        {
            return Outcome::Success;
        }
        self.paths.first().map_or(Outcome::InvalidInput, |p| {
            if p.outcome == Outcome::Success {
                Outcome::Timeout
            } else {
                p.outcome
            }
        })
    }

    /// The error of a non-success outcome.
    pub fn error(&self) -> Option<String> {
        if self.outcome() == Outcome::Success {
            return None;
        }
        Some(
            self.paths
                .iter()
                .find_map(|p| p.error.clone())
                .unwrap_or_else(|| "no hop answered".to_owned()),
        )
    }
}

/// Why there is no observation at all.
#[derive(Clone, Debug, thiserror::Error)]
pub enum Error {
    /// Raw sockets are not permitted to this process.
    #[error(
        "route.trace needs raw sockets (CAP_NET_RAW): run kensa as root or give the binary the \
         capability (setcap cap_net_raw+ep); {0}"
    )]
    Permission(String),
    /// The target has no address.
    #[error("the target has no address to trace to")]
    NoAddress,
    /// The configuration is unusable.
    #[error("route.trace configuration: {0}")]
    Config(String),
    /// The dial seam refused every address.
    #[error("{0}")]
    Dial(#[from] DialError),
}

impl Error {
    /// The outcome this error stands for.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::Permission(_) | Self::NoAddress | Self::Config(_) => Outcome::InvalidInput,
            Self::Dial(e) => e.outcome(),
        }
    }
}

/// Traces in flight in a process at most (each holds a blocking thread and raw sockets).
pub const MAX_TRACES: usize = 8;

static TRACES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_TRACES);

/// One trace at a time per destination. Every trace's raw ICMP socket sees every answer;
/// trippy-core keeps a trace's own by the destination and ports inside the quoted packet, so
/// traces to different destinations never mix, and traces to the same one must not overlap.
static BY_DESTINATION: std::sync::LazyLock<
    std::sync::Mutex<HashMap<IpAddr, Weak<tokio::sync::Mutex<()>>>>,
> = std::sync::LazyLock::new(Default::default);

fn destination_lock(addr: IpAddr) -> Arc<tokio::sync::Mutex<()>> {
    let mut map = BY_DESTINATION
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(l) = map.get(&addr).and_then(Weak::upgrade) {
        return l;
    }
    let l = Arc::new(tokio::sync::Mutex::new(()));
    map.insert(addr, Arc::downgrade(&l));
    map.retain(|_, w| w.strong_count() > 0);
    l
}

/// Trace the path to every address of the target, through the dial seam's checks and
/// permits, and look up each responder in `networks`.
pub async fn probe(
    scope: &Scope,
    port: u16,
    config: &Config,
    networks: &dyn Networks,
) -> Result<Observation, Error> {
    if config.max_ttl == 0 || config.max_ttl > trippy_core::MAX_TTL || config.rounds == 0 {
        return Err(Error::Config(format!(
            "max_ttl must be 1..={} and rounds at least 1",
            trippy_core::MAX_TTL
        )));
    }
    let addrs = scope.addresses().to_vec();
    if addrs.is_empty() {
        return Err(Error::NoAddress);
    }
    privileged().map_err(Error::Permission)?;
    let mut paths = Vec::with_capacity(addrs.len());
    let mut refused = None;
    for addr in addrs {
        if scope.check(addr).is_err() {
            // Refused at once (and counted as refused) without waiting for a turn.
            let e = match scope.hold(addr).await {
                Err(e) => e,
                Ok(_) => DialError::Closed,
            };
            paths.push(failed_path(addr, e.outcome(), e.to_string()));
            refused.get_or_insert(e);
            continue;
        }
        let lock = destination_lock(addr);
        let turn = lock.lock().await;
        let Ok(slot) = TRACES.acquire().await else {
            return Err(Error::Config("the tracer is shut down".into()));
        };
        let hold = match scope.hold(addr).await {
            Ok(h) => h,
            Err(e) => {
                paths.push(failed_path(addr, e.outcome(), e.to_string()));
                refused.get_or_insert(e);
                continue;
            }
        };
        let cfg = config.clone();
        let traced = tokio::task::spawn_blocking(move || trace(addr, port, &cfg)).await;
        drop(hold);
        drop(slot);
        drop(turn);
        let traced = match traced {
            Ok(t) => t,
            Err(e) => {
                paths.push(failed_path(
                    addr,
                    Outcome::Internal,
                    format!("trace task: {e}"),
                ));
                continue;
            }
        };
        match traced {
            Ok(hops) => paths.push(path_of(addr, hops, networks)),
            Err(TraceError::Permission(why)) => return Err(Error::Permission(why)),
            Err(TraceError::Other(outcome, why)) => paths.push(failed_path(addr, outcome, why)),
        }
    }
    if let Some(e) = refused
        && paths.iter().all(|p| p.error.is_some())
    {
        return Err(Error::Dial(e));
    }
    Ok(Observation {
        protocol: config.protocol,
        port: match config.protocol {
            Protocol::Tcp => port,
            Protocol::Udp => config.udp_port,
        },
        max_ttl: config.max_ttl,
        rounds: config.rounds,
        paths,
    })
}

fn failed_path(addr: IpAddr, outcome: Outcome, error: String) -> Path {
    Path {
        destination: addr,
        reached: false,
        hops: Vec::new(),
        silent_hops: 0,
        countries: Vec::new(),
        origin_country: None,
        destination_country: None,
        unplaced_responders: 0,
        error: Some(error),
        outcome,
    }
}

/// A hop as the tracer left it, before the network look-ups.
#[derive(Debug)]
struct RawHop {
    ttl: u8,
    sent: usize,
    received: usize,
    /// (address, replies), most replies first.
    addrs: Vec<(IpAddr, usize)>,
    best: Option<Duration>,
    avg: Option<Duration>,
    worst: Option<Duration>,
}

#[derive(Debug)]
enum TraceError {
    Permission(String),
    Other(Outcome, String),
}

fn ms_to_duration(ms: f64) -> Option<Duration> {
    (ms.is_finite() && ms >= 0.0).then(|| Duration::from_secs_f64(ms / 1000.0))
}

/// Run trippy's tracer to `addr` (blocking: call on a blocking thread).
fn trace(addr: IpAddr, port: u16, config: &Config) -> Result<Vec<RawHop>, TraceError> {
    use trippy_core::{Builder, MultipathStrategy, PortDirection, PrivilegeMode};
    let (protocol, direction) = match config.protocol {
        Protocol::Tcp => (
            trippy_core::Protocol::Tcp,
            PortDirection::new_fixed_dest(port),
        ),
        Protocol::Udp => (
            trippy_core::Protocol::Udp,
            PortDirection::new_fixed_dest(config.udp_port),
        ),
    };
    let round = Duration::from_millis(config.round_timeout_ms.max(1));
    let tracer = Builder::new(addr)
        .privilege_mode(PrivilegeMode::Privileged)
        .protocol(protocol)
        .multipath_strategy(MultipathStrategy::Classic)
        .port_direction(direction)
        .max_ttl(config.max_ttl)
        .max_rounds(Some(config.rounds))
        .max_inflight(config.max_inflight.max(1))
        .min_round_duration(Duration::ZERO)
        .max_round_duration(round)
        .grace_duration(Duration::from_millis(config.grace_ms))
        .tcp_connect_timeout(round)
        .build()
        .map_err(|e| TraceError::Other(Outcome::InvalidInput, e.to_string()))?;
    if let Err(e) = tracer.run() {
        return Err(classify_error(&e));
    }
    let state = tracer.snapshot();
    Ok(state
        .hops()
        .iter()
        .map(|h| {
            let mut addrs: Vec<(IpAddr, usize)> =
                h.addrs_with_counts().map(|(a, n)| (*a, *n)).collect();
            addrs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let received = h.total_recv();
            RawHop {
                ttl: h.ttl(),
                sent: h.total_sent(),
                received,
                addrs,
                best: h.best_ms().and_then(ms_to_duration),
                avg: (received > 0).then(|| ms_to_duration(h.avg_ms())).flatten(),
                worst: h.worst_ms().and_then(ms_to_duration),
            }
        })
        .collect())
}

/// Whether this process may open raw sockets (Linux: `CAP_NET_RAW` in the effective set,
/// raised from the permitted set when it is there; elsewhere: root or an elevated token).
fn privileged() -> Result<(), String> {
    match trippy_privilege::Privilege::acquire_privileges() {
        Ok(p) if p.has_privileges() => Ok(()),
        Ok(_) => Err("this process does not have the capability".to_owned()),
        Err(e) => Err(format!("cannot read this process's capabilities: {e}")),
    }
}

/// A missing privilege is the configuration's fault and says so; other failures of the
/// tracer are local (sockets, binding), never the network's. (trippy-core does not export
/// its I/O error kinds: a socket refused for want of privilege shows as EPERM or EACCES.)
fn classify_error(e: &trippy_core::Error) -> TraceError {
    use trippy_core::Error as E;
    let text = e.to_string();
    let permission = match e {
        E::PrivilegeError(_) => true,
        E::IoError(_) | E::ProbeFailed(_) => permission_text(&text),
        _ => false,
    };
    if permission {
        TraceError::Permission(text)
    } else {
        TraceError::Other(Outcome::Internal, format!("tracer: {text}"))
    }
}

/// EPERM or EACCES in an I/O error's text (std's `Display` ends with `(os error N)`).
fn permission_text(text: &str) -> bool {
    text.contains("(os error 1)") || text.contains("(os error 13)")
}

fn path_of(dest: IpAddr, raw: Vec<RawHop>, networks: &dyn Networks) -> Path {
    // Up to the destination's hop, or to the last hop that answered.
    let end = raw
        .iter()
        .position(|h| h.addrs.iter().any(|(a, _)| *a == dest))
        .map(|i| i + 1)
        .or_else(|| raw.iter().rposition(|h| !h.addrs.is_empty()).map(|i| i + 1))
        .unwrap_or(0);
    let reached = raw
        .iter()
        .take(end)
        .any(|h| h.addrs.iter().any(|(a, _)| *a == dest));
    let us = |d: Option<Duration>| d.map(|d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
    let mut countries: Vec<String> = Vec::new();
    let mut unplaced = 0;
    let mut silent = 0;
    let hops: Vec<Hop> = raw
        .into_iter()
        .take(end)
        .map(|h| {
            if h.addrs.is_empty() {
                silent += 1;
            }
            let responders: Vec<Responder> = h
                .addrs
                .iter()
                .map(|(a, n)| {
                    let network = networks.network(*a);
                    match &network.country {
                        Some(c) if !countries.contains(c) => countries.push(c.clone()),
                        Some(_) => {}
                        None => unplaced += 1,
                    }
                    Responder {
                        address: *a,
                        replies: *n,
                        network,
                    }
                })
                .collect();
            Hop {
                ttl: h.ttl,
                sent: h.sent,
                received: h.received,
                destination: h.addrs.iter().any(|(a, _)| *a == dest),
                responders,
                rtt_best_us: us(h.best),
                rtt_avg_us: us(h.avg),
                rtt_worst_us: us(h.worst),
            }
        })
        .collect();
    let answered = hops.iter().any(|h| !h.responders.is_empty());
    let origin_country = hops
        .first()
        .filter(|h| h.ttl == 1)
        .and_then(|h| h.responders.first())
        .and_then(|r| r.network.country.clone());
    let destination_country = networks.network(dest).country;
    Path {
        destination: dest,
        reached,
        hops,
        silent_hops: silent,
        countries,
        origin_country,
        destination_country,
        unplaced_responders: unplaced,
        error: (!answered).then(|| "no hop answered".to_owned()),
        outcome: if answered {
            Outcome::Success
        } else {
            Outcome::Timeout
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn ip(d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, d, 1))
    }

    struct Table;
    impl Networks for Table {
        fn network(&self, ip: IpAddr) -> Network {
            let IpAddr::V4(v4) = ip else {
                return Network::default();
            };
            match v4.octets() {
                [10, 0, 1, _] => Network {
                    asn: Some(64500),
                    as_org: Some("Home Net".into()),
                    country: Some("JP".into()),
                    registered_country: Some("JP".into()),
                },
                [10, 0, 2, _] => Network {
                    asn: Some(64501),
                    as_org: Some("Abroad Net".into()),
                    country: Some("US".into()),
                    registered_country: Some("US".into()),
                },
                _ => Network::default(),
            }
        }
    }

    fn raw(ttl: u8, addrs: &[IpAddr]) -> RawHop {
        RawHop {
            ttl,
            sent: 3,
            received: addrs.len(),
            addrs: addrs.iter().map(|a| (*a, 1)).collect(),
            best: Some(Duration::from_micros(120)),
            avg: Some(Duration::from_micros(150)),
            worst: Some(Duration::from_micros(200)),
        }
    }

    #[test]
    fn a_path_stops_at_the_destination_and_places_every_responder() {
        let dest = ip(1);
        let hops = vec![
            raw(1, &[ip(1)]),
            raw(2, &[ip(2)]),
            raw(3, &[]),
            raw(4, &[dest]),
            raw(5, &[dest]),
        ];
        // The destination's address also answered at TTL 1 in this made-up path: the path
        // ends at its first appearance.
        let p = path_of(dest, hops, &Table);
        assert!(p.reached);
        assert_eq!(p.hops.len(), 1);
        let dest = IpAddr::V4(Ipv4Addr::new(10, 0, 9, 9));
        let hops = vec![
            raw(1, &[ip(1)]),
            raw(2, &[ip(2)]),
            raw(3, &[]),
            raw(4, &[dest]),
            raw(5, &[dest]),
        ];
        let p = path_of(dest, hops, &Table);
        assert!(p.reached);
        assert_eq!(p.hops.len(), 4);
        assert_eq!(p.silent_hops, 1);
        assert_eq!(p.countries, vec!["JP".to_owned(), "US".to_owned()]);
        assert_eq!(p.origin_country.as_deref(), Some("JP"));
        assert_eq!(p.destination_country, None);
        assert_eq!(p.unplaced_responders, 1, "the destination is in no table");
        assert_eq!(p.hops.get(1).map(|h| h.rtt_best_us), Some(Some(120)));
        assert!(p.hops.get(3).is_some_and(|h| h.destination));
        assert_eq!(p.outcome, Outcome::Success);
    }

    #[test]
    fn an_unreached_destination_keeps_the_hops_up_to_the_last_answer() {
        let dest = IpAddr::V4(Ipv4Addr::new(10, 0, 9, 9));
        let p = path_of(
            dest,
            vec![raw(1, &[ip(1)]), raw(2, &[]), raw(3, &[])],
            &Table,
        );
        assert!(!p.reached);
        assert_eq!(p.hops.len(), 1);
        let p = path_of(dest, vec![raw(1, &[]), raw(2, &[])], &NoNetworks);
        assert!(p.hops.is_empty());
        assert_eq!(p.outcome, Outcome::Timeout);
        let obs = Observation {
            protocol: Protocol::Tcp,
            port: 443,
            max_ttl: 30,
            rounds: 3,
            paths: vec![p],
        };
        assert_eq!(obs.outcome(), Outcome::Timeout);
        assert_eq!(obs.error().as_deref(), Some("no hop answered"));
    }

    #[test]
    fn traces_to_one_destination_share_a_lock_and_others_do_not() {
        let a = destination_lock(ip(1));
        let b = destination_lock(ip(1));
        let c = destination_lock(ip(2));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        let held = a.try_lock().unwrap();
        assert!(b.try_lock().is_err(), "the same destination waits");
        assert!(c.try_lock().is_ok(), "another destination does not");
        drop(held);
    }

    #[test]
    fn permission_errors_are_the_configurations_fault() {
        let eperm = std::io::Error::from_raw_os_error(1).to_string();
        let eacces = std::io::Error::from_raw_os_error(13).to_string();
        assert!(permission_text(&format!(
            "Failed to create new socket: {eperm}"
        )));
        assert!(permission_text(&eacces));
        let other = std::io::Error::from_raw_os_error(111).to_string();
        assert!(!permission_text(&other));
        let e = trippy_core::Error::Other("x".into());
        assert!(matches!(
            classify_error(&e),
            TraceError::Other(Outcome::Internal, _)
        ));
        let err = Error::Permission("EPERM".into());
        assert_eq!(err.outcome(), Outcome::InvalidInput);
        assert!(err.to_string().contains("CAP_NET_RAW"));
    }
}

//! Helpers of the loopback tests: the scan entry point, and readers that turn an
//! [`Observation`] into plain sets and lists to compare against a server's known configuration.
//!
//! Every server a test scans is started by that test on 127.0.0.1 with a kernel-chosen port:
//! [`process`] (openssl s_server, gnutls-serv), [`scripted`] (hand-built answers), [`pq`]
//! (in-process rustls with aws-lc-rs). No name is ever resolved.

#![allow(dead_code)]

pub(crate) mod pq;
pub(crate) mod process;
pub(crate) mod scripted;

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use kensa_probe::{Host, Limits, Net, Target, TargetId, TcpConnector};
use kensa_probe_tls::codec::{NamedGroup, ProtocolVersion};
use kensa_probe_tls::probe::{Answer, Config, Observation, probe};

/// 127.0.0.1: the only address any test talks to.
pub(crate) const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// The target `127.0.0.1:port` (no SNI: the host is an IP literal).
pub(crate) fn target(port: u16) -> Target {
    let mut t = Target::new(TargetId::new("loopback"), Host::Ip(LOOPBACK), port);
    t.addresses = vec![LOOPBACK];
    t
}

/// Short timeouts so the suite stays fast. Real servers get 2 s per answer (s_server serves
/// one connection at a time, so an answer may wait behind others), scripted ones 1 s.
pub(crate) fn config(read_timeout_ms: u64) -> Config {
    Config {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_millis(read_timeout_ms),
        ..Config::default()
    }
}

/// Scan `127.0.0.1:port` through the real dial seam (private addresses allowed), with the
/// default limits (5 connections in flight to the host). A scan that does not finish within
/// a minute fails the test instead of hanging it.
pub(crate) async fn scan(port: u16, config: &Config) -> Observation {
    let target = target(port);
    let net = Net::new(Arc::new(TcpConnector), Limits::unrated(), true);
    let scope = net.scope(&target);
    let obs = tokio::time::timeout(Duration::from_secs(60), probe(&scope, &target, config))
        .await
        .expect("the scan hung for a minute")
        .expect("the scan gathered no evidence");
    eprintln!(
        "scan of 127.0.0.1:{port}: {} connections, {} ms",
        obs.connections, obs.elapsed_ms
    );
    // KENSA_LOOPBACK_DUMP=DIR writes each observation there, for debugging.
    if let Some(dir) = std::env::var_os("KENSA_LOOPBACK_DUMP") {
        let path = std::path::Path::new(&dir).join(format!("scan-{port}.json"));
        let json = serde_json::to_string_pretty(&obs).expect("json");
        std::fs::write(path, json).expect("dump");
    }
    obs
}

/// The accepted versions, lowest first.
pub(crate) fn versions(obs: &Observation) -> Vec<ProtocolVersion> {
    let mut v: Vec<ProtocolVersion> = obs
        .protocols
        .iter()
        .filter(|p| p.accepted)
        .map(|p| p.version)
        .collect();
    v.sort();
    v
}

/// The first answer the server gave for `v`.
pub(crate) fn answer(obs: &Observation, v: ProtocolVersion) -> Answer {
    obs.protocols
        .iter()
        .find(|p| p.version == v)
        .map(|p| p.answer.clone())
        .unwrap_or_else(|| panic!("no entry for {v:?}"))
}

/// IANA names of the suites accepted at `v`, in the order the observation lists them (the
/// server's order when it imposes one); empty when none.
pub(crate) fn suites(obs: &Observation, v: ProtocolVersion) -> Vec<String> {
    obs.cipher_suites
        .iter()
        .find(|vs| vs.version == v)
        .map(|vs| vs.accepted.iter().map(|e| e.suite.to_string()).collect())
        .unwrap_or_default()
}

/// The suites accepted at `v` as a set of IANA names.
pub(crate) fn suite_set(obs: &Observation, v: ProtocolVersion) -> BTreeSet<String> {
    suites(obs, v).into_iter().collect()
}

/// `server_order` for `v` (`None` also when `v` has no suites).
pub(crate) fn server_order(obs: &Observation, v: ProtocolVersion) -> Option<bool> {
    obs.cipher_suites
        .iter()
        .find(|vs| vs.version == v)
        .and_then(|vs| vs.server_order)
}

/// Names of a list of groups.
pub(crate) fn names(groups: &[NamedGroup]) -> Vec<String> {
    groups.iter().map(ToString::to_string).collect()
}

/// A set of owned strings.
pub(crate) fn set<const N: usize>(items: [&str; N]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A list of owned strings.
pub(crate) fn list<const N: usize>(items: [&str; N]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Lower-case hex.
pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

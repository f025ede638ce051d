//! The probes the harness knows, their stable ids, and the adapter from each probe crate to
//! the engine.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use kensa_probe::{Outcome, Scope, Target};

use crate::config::{ConfigError, ScanConfig};
use serde::Serialize;
use serde_json::value::RawValue;

/// The stable id of a probe. Ids are never renamed and never reused once retired; the
/// `stable_ids` test guards the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ProbeId {
    /// `latency.tcp`: TCP connect-time distributions per address (crate kensa-probe-latency).
    LatencyTcp,
    /// `tls.scan`: versions, suites, groups, extensions and checks (crate kensa-probe-tls).
    TlsScan,
    /// `http.headers`: HSTS, security headers, banners, HTTP→HTTPS redirect, time to first
    /// byte (crate kensa-probe-http).
    HttpHeaders,
    /// `x509.chain`: the certificate chains `tls.scan` captured, analysed and judged per trust
    /// store (crate kensa-probe-x509; no network).
    X509Chain,
    /// `dns.resolve`: A/AAAA with CNAME chains per resolver, zone and name servers, CAA,
    /// HTTPS, TLSA, DNSSEC state (crate kensa-probe-dns). It runs first and supplies the
    /// addresses the other probes connect to.
    DnsResolve,
    /// `geo.residency`: where every serving address and name server is (provider ranges,
    /// geolocation databases, RTT physics), with verdicts and jurisdiction exposure (crate
    /// kensa-probe-geo; no network).
    GeoResidency,
    /// `route.trace`: the network path to each serving address (TCP or UDP with increasing
    /// TTL), each hop's responders with AS number, network owner and country (crate
    /// kensa-probe-route). Off by default: it needs raw sockets (`CAP_NET_RAW`).
    RouteTrace,
}

impl ProbeId {
    /// Every probe id in use.
    pub const ALL: [Self; 7] = [
        Self::LatencyTcp,
        Self::TlsScan,
        Self::HttpHeaders,
        Self::X509Chain,
        Self::DnsResolve,
        Self::GeoResidency,
        Self::RouteTrace,
    ];

    /// Ids that were used once and must never be used again.
    pub const RETIRED: &'static [&'static str] = &[];

    /// The stable string id.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::LatencyTcp => kensa_probe_latency::PROBE_ID,
            Self::TlsScan => kensa_probe_tls::probe::PROBE_ID,
            Self::HttpHeaders => kensa_probe_http::PROBE_ID,
            Self::X509Chain => kensa_probe_x509::PROBE_ID,
            Self::DnsResolve => kensa_probe_dns::PROBE_ID,
            Self::GeoResidency => kensa_probe_geo::PROBE_ID,
            Self::RouteTrace => kensa_probe_route::PROBE_ID,
        }
    }

    /// Whether the probe runs when no `--probes` list is given. `route.trace` does not: it
    /// needs raw sockets (`CAP_NET_RAW`) and sends packets with short TTLs that the routers
    /// on the way answer; an evaluator asks for it by name.
    pub const fn by_default(self) -> bool {
        !matches!(self, Self::RouteTrace)
    }

    /// One line saying what the probe observes (from [`REGISTRY`]).
    pub fn description(self) -> &'static str {
        REGISTRY
            .iter()
            .find(|p| p.id == self)
            .map_or("", |p| p.description)
    }

    /// The CEL variable controls read this probe's observation from (from [`REGISTRY`]).
    pub fn cel_var(self) -> &'static str {
        REGISTRY
            .iter()
            .find(|p| p.id == self)
            .map_or("", |p| p.cel_var)
    }
}

/// What one probe run produced: the fields of an evidence record that the probe decides.
#[derive(Clone, Debug)]
pub struct ProbeResult {
    /// How the probe ended.
    pub outcome: Outcome,
    /// The observation (the probe crate's `Observation`), serialised once, in the probe's
    /// task, so the single writer only copies it.
    pub observation: Option<Box<RawValue>>,
    /// Error text for a non-success outcome.
    pub error: Option<String>,
    /// A one-line human summary for the scan table (not part of the evidence).
    pub summary: String,
}

impl ProbeResult {
    /// A result with no observation.
    pub fn failed(outcome: Outcome, error: impl Into<String>) -> Self {
        let error = error.into();
        Self {
            outcome,
            observation: None,
            summary: error.clone(),
            error: Some(error),
        }
    }

    /// A result carrying an observation; `summary` is the scan table's detail column.
    pub fn observed<T: Serialize>(
        outcome: Outcome,
        obs: &T,
        error: Option<String>,
        summary: String,
    ) -> Self {
        match serde_json::value::to_raw_value(obs) {
            Ok(v) => Self {
                outcome,
                observation: Some(v),
                summary: error.clone().unwrap_or(summary),
                error,
            },
            Err(e) => Self::failed(
                Outcome::Internal,
                format!("cannot serialise observation: {e}"),
            ),
        }
    }
}

/// What an earlier probe of the same target produced, for probes that build on it (the
/// certificate analysis reads the TLS scan's chains).
#[derive(Clone, Debug)]
pub struct Earlier {
    /// The earlier probe's id.
    pub probe: &'static str,
    /// How it ended.
    pub outcome: Outcome,
    /// Its observation.
    pub observation: Option<Box<RawValue>>,
    /// How to read the certificate chains out of its observation, when it captures any
    /// ([`Probe::chain_reader`]).
    pub chains: Option<kensa_probe::ChainReader>,
}

/// The future a [`Probe`] returns.
pub type ProbeFuture<'a> = Pin<Box<dyn Future<Output = ProbeResult> + Send + 'a>>;

/// A probe as the engine sees it. Implementations adapt a probe crate's `probe` function.
pub trait Probe: Send + Sync {
    /// The stable id (see [`ProbeId`]); test probes may use their own.
    fn id(&self) -> &'static str;
    /// The probe's version.
    fn version(&self) -> &'static str;
    /// Run against one target, connecting only through `scope`; `earlier` holds the results
    /// of the probes that ran before it on this target, in order.
    fn run<'a>(
        &'a self,
        target: &'a Target,
        scope: &'a Scope,
        earlier: &'a [Earlier],
    ) -> ProbeFuture<'a>;

    /// Whether this probe resolves the target's host. The engine runs such a probe first for
    /// a target without addresses, and gives the other probes the addresses it found.
    fn resolves(&self) -> bool {
        false
    }

    /// The addresses a resolving probe found, from its result (empty when none).
    fn addresses(&self, _result: &ProbeResult) -> Vec<std::net::IpAddr> {
        Vec::new()
    }

    /// For a resolving probe: how the engine resolves host names with the same set-up (its
    /// resolvers), so a scan sets them up once.
    fn resolver(&self) -> Option<Arc<dyn crate::engine::Resolve>> {
        None
    }

    /// The residency sources this probe loaded (recorded in `run-begin`'s options).
    fn geo_sources(&self) -> Option<&[GeoSource]> {
        None
    }

    /// For a probe that captures certificate chains (TLS today; STARTTLS or QUIC later): how
    /// to read them from its observation. `x509.chain` analyses the chains of every earlier
    /// probe on the target that has one.
    fn chain_reader(&self) -> Option<kensa_probe::ChainReader> {
        None
    }
}

/// The DNS probe. Its set-up (the resolvers, a validating resolver each) is made once per run;
/// when it failed (no resolver could be configured), every target with a host name records
/// that as `invalid-input`.
#[derive(Debug)]
pub struct DnsProbe {
    /// The set-up, or why there is none.
    pub dns: Result<Arc<kensa_probe_dns::Dns>, String>,
}

impl Probe for DnsProbe {
    fn id(&self) -> &'static str {
        ProbeId::DnsResolve.as_str()
    }

    fn version(&self) -> &'static str {
        kensa_probe_dns::PROBE_VERSION
    }

    fn resolves(&self) -> bool {
        true
    }

    fn resolver(&self) -> Option<Arc<dyn crate::engine::Resolve>> {
        Some(dns_resolver(&self.dns))
    }

    fn addresses(&self, result: &ProbeResult) -> Vec<std::net::IpAddr> {
        #[derive(serde::Deserialize)]
        struct Addresses {
            addresses: Vec<std::net::IpAddr>,
        }
        result
            .observation
            .as_ref()
            .and_then(|raw| serde_json::from_str::<Addresses>(raw.get()).ok())
            .map(|a| a.addresses)
            .unwrap_or_default()
    }

    fn run<'a>(
        &'a self,
        target: &'a Target,
        _scope: &'a Scope,
        _earlier: &'a [Earlier],
    ) -> ProbeFuture<'a> {
        Box::pin(async move {
            let host = target.host.to_string();
            let dns = match &self.dns {
                Ok(d) => d,
                Err(e) if target.host.ip().is_none() => {
                    return ProbeResult::failed(Outcome::InvalidInput, e.clone());
                }
                Err(_) => {
                    // An IP literal needs no resolver: record that nothing applies.
                    return ProbeResult::observed(
                        Outcome::Success,
                        &serde_json::json!({"name": host, "applicable": false}),
                        None,
                        "IP literal: no DNS".to_owned(),
                    );
                }
            };
            let subnets: Vec<kensa_probe_dns::ClientPrefix> = target
                .client_subnets
                .iter()
                .filter_map(|s| s.parse().ok())
                .collect();
            let (outcome, obs, error) =
                kensa_probe_dns::observe_host(dns, &host, target.port, &subnets).await;
            let summary = dns_summary(&obs);
            ProbeResult::observed(outcome, &obs, error, summary)
        })
    }
}

/// `2 addresses via 1 resolver, CNAME x3, CAA at example.com., DNSSEC secure`
fn dns_summary(obs: &kensa_probe_dns::Observation) -> String {
    if !obs.applicable {
        return "IP literal: no DNS".to_owned();
    }
    let hops = obs
        .resolvers
        .first()
        .map_or(0, |r| r.a.cname_chain.len().max(r.aaaa.cname_chain.len()));
    let mut parts = vec![format!(
        "{} address{} via {} resolver{}",
        obs.addresses.len(),
        if obs.addresses.len() == 1 { "" } else { "es" },
        obs.resolvers.len(),
        if obs.resolvers.len() == 1 { "" } else { "s" }
    )];
    if hops > 0 {
        parts.push(format!("CNAME x{hops}"));
    }
    match &obs.caa.found_at {
        Some(at) => parts.push(format!("CAA at {at}")),
        None if obs.caa.complete => parts.push("no CAA".to_owned()),
        None => parts.push("CAA unknown".to_owned()),
    }
    let state = serde_json::to_value(obs.dnssec.state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    parts.push(format!("DNSSEC {state}"));
    if !obs.dangling.is_empty() {
        parts.push(format!("{} dangling", obs.dangling.len()));
    }
    parts.join(", ")
}

/// The latency probe.
#[derive(Clone, Debug, Default)]
pub struct LatencyProbe {
    /// Its configuration.
    pub config: kensa_probe_latency::Config,
}

impl Probe for LatencyProbe {
    fn id(&self) -> &'static str {
        ProbeId::LatencyTcp.as_str()
    }

    fn version(&self) -> &'static str {
        kensa_probe_latency::PROBE_VERSION
    }

    fn run<'a>(
        &'a self,
        target: &'a Target,
        scope: &'a Scope,
        _earlier: &'a [Earlier],
    ) -> ProbeFuture<'a> {
        Box::pin(async move {
            match kensa_probe_latency::probe(scope, target.port, &self.config).await {
                Ok(obs) => {
                    let summary = latency_summary(&obs);
                    ProbeResult::observed(obs.outcome(), &obs, obs.error(), summary)
                }
                Err(e) => ProbeResult::failed(e.outcome(), e.to_string()),
            }
        })
    }
}

/// The TLS scan.
#[derive(Clone, Debug, Default)]
pub struct TlsProbe {
    /// Its configuration.
    pub config: kensa_probe_tls::probe::Config,
}

impl Probe for TlsProbe {
    fn id(&self) -> &'static str {
        ProbeId::TlsScan.as_str()
    }

    fn version(&self) -> &'static str {
        kensa_probe_tls::probe::PROBE_VERSION
    }

    fn chain_reader(&self) -> Option<kensa_probe::ChainReader> {
        Some(kensa_probe_tls::probe::read_supplied_chains)
    }

    fn run<'a>(
        &'a self,
        target: &'a Target,
        scope: &'a Scope,
        _earlier: &'a [Earlier],
    ) -> ProbeFuture<'a> {
        Box::pin(async move {
            match kensa_probe_tls::probe::probe(scope, target, &self.config).await {
                Ok(obs) => {
                    let summary = tls_summary(&obs);
                    let outcome = tls_outcome(&obs);
                    let error = tls_error_text(outcome).map(str::to_owned);
                    ProbeResult::observed(outcome, &obs, error, summary)
                }
                Err(e) => ProbeResult::failed(e.outcome(), e.to_string()),
            }
        })
    }
}

/// What a `tls.scan` that accepted no version says (issue 23: "accepted no version" only
/// for a server that answered and refused; one that never replied timed out or hung up).
fn tls_error_text(outcome: Outcome) -> Option<&'static str> {
    match outcome {
        Outcome::Success => None,
        Outcome::Timeout => Some("the server never answered a ClientHello (timeout)"),
        Outcome::Reset => Some("the server closed the connection without answering a ClientHello"),
        Outcome::ProtocolViolation => {
            Some("the server answered the ClientHello with something that is not TLS")
        }
        _ => Some("the server accepted no SSL/TLS version offered"),
    }
}

/// `success` when some version is accepted; otherwise what the TLS 1.3 and 1.2 hellos got:
/// alerts are a refused handshake, silence a timeout, garbage a protocol violation.
fn tls_outcome(obs: &kensa_probe_tls::probe::Observation) -> Outcome {
    use kensa_probe_tls::probe::Answer;
    if obs.protocols.iter().any(|p| p.accepted) {
        return Outcome::Success;
    }
    let answers: Vec<&Answer> = obs
        .protocols
        .iter()
        .rev()
        .take(2)
        .map(|p| &p.answer)
        .collect();
    if answers
        .iter()
        .any(|a| matches!(a, Answer::Alert { .. } | Answer::OtherVersion { .. }))
    {
        Outcome::HandshakeFailure
    } else if answers
        .iter()
        .any(|a| matches!(a, Answer::Malformed { .. }))
    {
        Outcome::ProtocolViolation
    } else if answers.iter().any(|a| matches!(a, Answer::Timeout)) {
        Outcome::Timeout
    } else {
        Outcome::Reset
    }
}

/// `TLSv1.2 TLSv1.3; 9 suites (server order); groups X25519MLKEM768 x25519; 31 connections`
fn tls_summary(obs: &kensa_probe_tls::probe::Observation) -> String {
    let name = |v: &dyn erased_serde_name::Name| v.name();
    let versions: Vec<String> = obs
        .protocols
        .iter()
        .filter(|p| p.accepted)
        .map(|p| name(&p.version))
        .collect();
    let suites: usize = obs.cipher_suites.iter().map(|v| v.accepted.len()).sum();
    let mut groups: Vec<String> = obs.groups.tls13.iter().map(|g| name(g)).collect();
    if groups.is_empty() {
        groups = obs.groups.tls12.iter().map(|g| name(g)).collect();
    }
    let addresses = match &obs.address_agreement {
        Some(a) if a.consistent => format!("; {} addresses alike", a.addresses.len()),
        Some(a) => format!(
            "; {} addresses, {} differences",
            a.addresses.len(),
            a.differences.len()
        ),
        None => String::new(),
    };
    format!(
        "{}; {} suites; groups {}; {} connections, {} ms{addresses}",
        if versions.is_empty() {
            "no version".to_owned()
        } else {
            versions.join(" ")
        },
        suites,
        if groups.is_empty() {
            "-".to_owned()
        } else {
            groups.join(" ")
        },
        obs.connections,
        obs.elapsed_ms
    )
}

mod erased_serde_name {
    /// The JSON string a value serialises to (wire enums serialise as their IANA names).
    pub(super) trait Name {
        fn name(&self) -> String;
    }
    impl<T: serde::Serialize> Name for T {
        fn name(&self) -> String {
            match serde_json::to_value(self) {
                Ok(serde_json::Value::String(s)) => s,
                Ok(v) => v.to_string(),
                Err(_) => "?".to_owned(),
            }
        }
    }
}

/// The HTTP probe.
#[derive(Clone, Debug, Default)]
pub struct HttpProbe {
    /// Its configuration.
    pub config: kensa_probe_http::Config,
}

impl Probe for HttpProbe {
    fn id(&self) -> &'static str {
        ProbeId::HttpHeaders.as_str()
    }

    fn version(&self) -> &'static str {
        kensa_probe_http::PROBE_VERSION
    }

    fn run<'a>(
        &'a self,
        target: &'a Target,
        scope: &'a Scope,
        _earlier: &'a [Earlier],
    ) -> ProbeFuture<'a> {
        Box::pin(async move {
            match kensa_probe_http::probe(scope, target, &self.config).await {
                Ok(obs) => {
                    let summary = http_summary(&obs);
                    ProbeResult::observed(obs.outcome(), &obs, obs.error(), summary)
                }
                Err(e) => ProbeResult::failed(e.outcome(), e.to_string()),
            }
        })
    }
}

/// `200 HTTP/2, HSTS max-age 31536000, TTFB 0.62 ms, http→https`
fn http_summary(obs: &kensa_probe_http::Observation) -> String {
    if obs.plain_http_only {
        let why = obs.failure.as_ref().map_or("failed", |f| f.outcome.id());
        return format!("plain HTTP only: HTTPS {why}, http does not redirect to https");
    }
    let Some(r) = &obs.response else {
        return String::new();
    };
    let hsts = match &r.hsts {
        Some(h) if h.valid => format!("HSTS max-age {}", h.max_age_s.unwrap_or(0)),
        Some(_) => "HSTS invalid".to_owned(),
        None => "no HSTS".to_owned(),
    };
    let plain = match &obs.plain_http {
        Some(p) if p.https_same_host => ", http→https",
        Some(_) => ", http does not redirect to https",
        None => "",
    };
    format!(
        "{} {}, {}, TTFB {:.2} ms{}",
        r.status,
        r.http_version,
        hsts,
        r.time_to_first_byte_us as f64 / 1000.0,
        plain
    )
}

/// The certificate analysis of the chains `tls.scan` captured (it must run after it).
#[derive(Clone, Debug)]
pub struct X509Probe {
    /// The trust stores to judge against (Mozilla's first, then the user's).
    pub stores: Arc<Vec<kensa_probe_x509::TrustStore>>,
    /// CAA identifiers the user gave for CAs kensa's table does not know.
    pub extra_cas: Arc<Vec<kensa_probe_x509::CaIdentifiers>>,
}

impl Probe for X509Probe {
    fn id(&self) -> &'static str {
        ProbeId::X509Chain.as_str()
    }

    fn version(&self) -> &'static str {
        kensa_probe_x509::PROBE_VERSION
    }

    fn run<'a>(
        &'a self,
        target: &'a Target,
        scope: &'a Scope,
        earlier: &'a [Earlier],
    ) -> ProbeFuture<'a> {
        Box::pin(async move { x509_of(&self.stores, &self.extra_cas, target, scope, earlier) })
    }
}

fn x509_of(
    stores: &[kensa_probe_x509::TrustStore],
    extra_cas: &[kensa_probe_x509::CaIdentifiers],
    target: &Target,
    scope: &Scope,
    earlier: &[Earlier],
) -> ProbeResult {
    use kensa_probe_x509::{ChainInput, Input};
    let suppliers: Vec<&Earlier> = earlier.iter().filter(|e| e.chains.is_some()).collect();
    if suppliers.is_empty() {
        return ProbeResult::failed(
            Outcome::InvalidInput,
            // tls.scan is the one registered probe that supplies chains (`chain_reader`).
            "x509.chain analyses what tls.scan captured; tls.scan did not run",
        );
    }
    let mut chains = Vec::new();
    let mut too_large = Vec::new();
    let mut ended = Vec::new();
    for e in &suppliers {
        let (Outcome::Success, Some(raw), Some(read)) = (e.outcome, &e.observation, e.chains)
        else {
            ended.push((e.probe, e.outcome));
            continue;
        };
        let supplied = match read(raw.get()) {
            Ok(c) => c,
            Err(why) => return ProbeResult::failed(Outcome::Internal, why),
        };
        for c in supplied {
            // Labels name the supplying probe when more than one supplies chains.
            let mut label = if suppliers.len() > 1 {
                format!("{}:{}", e.probe, c.label)
            } else {
                c.label
            };
            if let Some(o) = &c.oversized {
                too_large.extend(kensa_probe_x509::chain_too_large(
                    &label,
                    o.certificate_message_bytes,
                    o.cut,
                    o.leaf_read,
                ));
                if o.cut {
                    // Only the leaf (or nothing) was read: never analysed as a chain as served.
                    if c.certificates.is_empty() {
                        continue;
                    }
                    label.push_str("/leaf-only");
                }
            }
            match ChainInput::from_hex(&label, &c.certificates, c.ocsp_response.as_deref()) {
                Ok(input) => chains.push(input),
                Err(e) => {
                    return ProbeResult::failed(Outcome::Internal, format!("chain {label}: {e}"));
                }
            }
        }
    }
    if ended.len() == suppliers.len() {
        // No supplier succeeded: say how the first one ended (its outcome is x509's).
        if let Some((probe, outcome)) = ended.first() {
            return ProbeResult::failed(
                *outcome,
                format!("no certificate chain to analyse: {probe} ended with {outcome}"),
            );
        }
    }
    let host = target
        .server_name()
        .map_or_else(|| target.host.to_string(), str::to_owned);
    let input = Input {
        host,
        scan_time: scope.clock().now(),
        chains,
        trust_stores: stores,
        caa: caa_policy(earlier),
        extra_cas,
    };
    let mut analysis = kensa_probe_x509::analyse(&input);
    analysis.chains_too_large = too_large;
    let summary = x509_summary(&analysis);
    ProbeResult::observed(Outcome::Success, &analysis, None, summary)
}

/// The CAA policy the DNS probe found for this target, for the certificate analysis to judge
/// the issuer against (`None` when dns.resolve did not run or did not apply).
fn caa_policy(earlier: &[Earlier]) -> Option<kensa_probe_x509::CaaPolicy> {
    let dns_id = ProbeId::DnsResolve.as_str();
    let dns = earlier.iter().find(|e| e.probe == dns_id)?;
    let obs: kensa_probe_dns::Observation =
        serde_json::from_str(dns.observation.as_ref()?.get()).ok()?;
    if !obs.applicable {
        return None;
    }
    let domains = |tag: &str| -> Vec<Option<String>> {
        obs.caa
            .records
            .iter()
            .filter(|r| r.tag.eq_ignore_ascii_case(tag))
            .map(|r| r.issuer_domain.clone())
            .collect()
    };
    const KNOWN: [&str; 4] = ["issue", "issuewild", "iodef", "issuemail"];
    Some(kensa_probe_x509::CaaPolicy {
        found_at: obs.caa.found_at.clone(),
        complete: obs.caa.complete,
        issue: domains("issue"),
        issuewild: domains("issuewild"),
        unknown_critical: obs
            .caa
            .records
            .iter()
            .filter(|r| r.critical && !KNOWN.iter().any(|k| r.tag.eq_ignore_ascii_case(k)))
            .map(|r| r.tag.clone())
            .collect(),
    })
}

fn display_name<T: Serialize>(v: &T) -> String {
    erased_serde_name::Name::name(v)
}

/// `mozilla: untrusted (expired, hostname-mismatch); leaf expires in -3 days`
fn x509_summary(obs: &kensa_probe_x509::Observation) -> String {
    let too_large = obs.chains_too_large.first().map(|t| {
        format!(
            "; {}: certificate message of {} bytes{}",
            t.finding,
            t.certificate_message_bytes,
            if t.cut { " over the cap" } else { "" }
        )
    });
    let Some(chain) = obs.chains.first() else {
        return match too_large {
            Some(t) => format!("no chain read{t}"),
            None => "no certificate served".to_owned(),
        };
    };
    let verdicts: Vec<String> = chain
        .trust
        .iter()
        .map(|t| {
            if t.reasons.is_empty() {
                format!("{}: trusted", t.store)
            } else {
                let reasons: Vec<String> = t.reasons.iter().map(display_name).collect();
                format!("{}: untrusted ({})", t.store, reasons.join(", "))
            }
        })
        .collect();
    let days = chain
        .certificates
        .first()
        .and_then(|c| c.details.as_ref())
        .map(|d| format!("; leaf expires in {} days", d.validity.days_left))
        .unwrap_or_default();
    format!(
        "{}{}{}{}",
        verdicts.join(", "),
        days,
        if obs.chains.len() > 1 {
            format!(" ({} chains)", obs.chains.len())
        } else {
            String::new()
        },
        too_large.unwrap_or_default()
    )
}

/// `connect median 0.16 ms, min 0.10 ms (5/5 samples, 1 address)`
fn latency_summary(obs: &kensa_probe_latency::Observation) -> String {
    let all: Vec<u64> = obs
        .addresses
        .iter()
        .flat_map(|a| a.samples_us.iter().copied())
        .collect();
    let attempted = obs.addresses.len() * usize::try_from(obs.samples_per_address).unwrap_or(0);
    let Some(s) = kensa_probe_latency::Stats::from_samples(&all) else {
        return String::new();
    };
    let ms = |us: u64| us as f64 / 1000.0;
    format!(
        "connect median {:.2} ms, min {:.2} ms ({}/{} samples, {} address{})",
        ms(s.median_us),
        ms(s.min_us),
        s.n,
        attempted,
        obs.addresses.len(),
        if obs.addresses.len() == 1 { "" } else { "es" }
    )
}

/// The residency probe (`geo.residency`, crate kensa-probe-geo): no network. It places every
/// address the endpoint resolved to (all resolvers and client subnets) and every name server
/// with the loaded range files and databases and, given a vantage with coordinates, the
/// latency probe's minimum connect time; it records the jurisdiction exposure (networks,
/// name-server operators, the certificate issuer of the first chain's leaf, CDNs from the
/// CNAME targets of every resolver's A and AAAA answers and from the ASN). It runs last,
/// after `dns.resolve`, `latency.tcp` and `x509.chain`, whose evidence it reads.
pub struct GeoProbe {
    /// The loaded ranges, databases and ASN table; `Err` says why there are none.
    pub classifier: Result<Arc<kensa_probe_geo::verdict::Classifier>, String>,
    /// The vantage, when its coordinates are known (RTT physics needs them).
    pub vantage: Option<kensa_probe_geo::physics::Vantage>,
    /// What was loaded (file, type, build date, stale flag, package version): recorded in
    /// every observation so a verdict names its sources.
    pub sources: Arc<Vec<GeoSource>>,
}

impl std::fmt::Debug for GeoProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoProbe")
            .field("sources", &self.sources)
            .finish_non_exhaustive()
    }
}

// The residency observation's types live in the geo crate (a probe crate owns its
// observation); the adapter above builds them.
pub use kensa_probe_geo::observation::{GeoObservation, GeoSource};

fn earlier_obs<T: serde::de::DeserializeOwned>(earlier: &[Earlier], id: ProbeId) -> Option<T> {
    let e = earlier.iter().find(|e| e.probe == id.as_str())?;
    serde_json::from_str(e.observation.as_ref()?.get()).ok()
}

/// The country (`C`, OID 2.5.4.6) of an RFC 4514 distinguished name such as
/// `CN=Example CA,O=Example\, Inc.,C=JP`, upper case. Attributes are split at unescaped `,`
/// and `+` (so neither an escaped comma in another value nor a multi-valued RDN hides or fakes
/// it); a value that is not two ASCII letters (e.g. hex-encoded, `#…`) counts as absent.
fn country_of(dn: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for ch in dn.chars() {
        if escaped {
            cur.push('\\');
            cur.push(ch);
            escaped = false;
            continue;
        }
        match ch {
            '\\' => escaped = true,
            ',' | '+' => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    parts.push(cur);
    parts.iter().find_map(|p| {
        let (ty, value) = p.split_once('=')?;
        let ty = ty.trim();
        if !(ty.eq_ignore_ascii_case("C") || ty == "2.5.4.6") {
            return None;
        }
        let v = value.trim();
        (v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic())).then(|| v.to_ascii_uppercase())
    })
}

impl Probe for GeoProbe {
    fn id(&self) -> &'static str {
        ProbeId::GeoResidency.as_str()
    }

    fn geo_sources(&self) -> Option<&[GeoSource]> {
        Some(&self.sources)
    }

    fn version(&self) -> &'static str {
        kensa_probe_geo::PROBE_VERSION
    }

    fn run<'a>(
        &'a self,
        target: &'a Target,
        scope: &'a Scope,
        earlier: &'a [Earlier],
    ) -> ProbeFuture<'a> {
        Box::pin(async move { self.observe(target, scope, earlier) })
    }
}

impl GeoProbe {
    fn observe(&self, target: &Target, scope: &Scope, earlier: &[Earlier]) -> ProbeResult {
        use kensa_probe_geo::physics::RttSample;
        use kensa_probe_geo::verdict::{Issuer, NameServerResidency, endpoint_residency};
        let classifier = match &self.classifier {
            Ok(c) => c,
            Err(e) => return ProbeResult::failed(Outcome::InvalidInput, e.clone()),
        };
        let Some(declared) = target.declared_country.as_deref() else {
            return ProbeResult::failed(
                Outcome::InvalidInput,
                "no declared country (ad-hoc target): residency is judged against a catalog's \
                 declared_country",
            );
        };
        let dns: Option<kensa_probe_dns::Observation> = earlier_obs(earlier, ProbeId::DnsResolve)
            .filter(|o: &kensa_probe_dns::Observation| o.applicable);
        let (mut addresses, addresses_from) = match &dns {
            Some(d) => (d.addresses.clone(), "dns.resolve"),
            None => (target.addresses.clone(), "target"),
        };
        if let Some(d) = &dns {
            for s in &d.client_subnets {
                for r in s.a.records.iter().chain(s.aaaa.records.iter()) {
                    if !addresses.contains(&r.address) {
                        addresses.push(r.address);
                    }
                }
            }
        }
        // Minimum connect time per address, from this run's latency probe.
        let latency: Option<kensa_probe_latency::Observation> =
            earlier_obs(earlier, ProbeId::LatencyTcp);
        let rtts = |ip: std::net::IpAddr| -> Vec<RttSample> {
            let (Some(v), Some(l)) = (&self.vantage, &latency) else {
                return Vec::new();
            };
            l.addresses
                .iter()
                .filter(|a| a.address == ip)
                .filter_map(|a| a.samples_us.iter().min())
                .map(|us| RttSample {
                    vantage: v.clone(),
                    rtt_min_ms: *us as f64 / 1000.0,
                })
                .collect()
        };
        let now = scope.clock().now();
        let mut verdicts = Vec::with_capacity(addresses.len());
        for ip in &addresses {
            match classifier.classify(*ip, declared, &rtts(*ip), now) {
                Ok(v) => verdicts.push(v),
                Err(e) => return ProbeResult::failed(e.outcome(), e.to_string()),
            }
        }
        let mut name_servers = Vec::new();
        let mut ns_pairs = Vec::new();
        if let Some(zone) = dns.as_ref().and_then(|d| d.zone.as_ref()) {
            for ns in &zone.name_servers {
                let mut v = Vec::new();
                for ip in &ns.addresses {
                    ns_pairs.push((ns.name.clone(), *ip));
                    match classifier.classify(*ip, declared, &[], now) {
                        Ok(r) => v.push(r),
                        Err(e) => return ProbeResult::failed(e.outcome(), e.to_string()),
                    }
                }
                name_servers.push(NameServerResidency {
                    name: ns.name.clone(),
                    addresses: v,
                });
            }
        }
        // Every CNAME target any resolver gave (A and AAAA, with and without a client subnet):
        // a CDN in front may show only in some answers (geo-steered DNS).
        let mut cname_chain: Vec<String> = Vec::new();
        if let Some(d) = &dns {
            let lookups = d
                .resolvers
                .iter()
                .flat_map(|r| [&r.a, &r.aaaa])
                .chain(d.client_subnets.iter().flat_map(|s| [&s.a, &s.aaaa]));
            for l in lookups {
                for h in &l.cname_chain {
                    if !cname_chain.contains(&h.target) {
                        cname_chain.push(h.target.clone());
                    }
                }
            }
        }
        let x509: Option<kensa_probe_x509::Observation> = earlier_obs(earlier, ProbeId::X509Chain);
        let issuer = x509
            .as_ref()
            .and_then(|x| x.chains.first())
            .and_then(|c| c.certificates.first())
            .and_then(|leaf| leaf.details.as_ref())
            .map(|leaf| Issuer {
                organization: leaf.issuer_organization.clone(),
                country: country_of(&leaf.issuer),
            });
        let endpoint = target.id.to_string();
        let jurisdiction =
            match classifier.jurisdiction(&endpoint, &addresses, &cname_chain, &ns_pairs, issuer) {
                Ok(j) => j,
                Err(e) => return ProbeResult::failed(e.outcome(), e.to_string()),
            };
        let residency = endpoint_residency(&endpoint, declared, verdicts, name_servers);
        let summary = format!(
            "{declared}: {} address{} {} ({} verified, {} consistent, {} unverified, {} out, {} conflicting, {} unknown)",
            residency.counts.total(),
            if residency.counts.total() == 1 {
                ""
            } else {
                "es"
            },
            match residency.all_in_country {
                kensa_probe_geo::verdict::Tri::Yes => "all in country",
                kensa_probe_geo::verdict::Tri::No => "NOT all in country",
                kensa_probe_geo::verdict::Tri::Undetermined => "undetermined",
            },
            residency.counts.verified,
            residency.counts.consistent,
            residency.counts.unverified,
            residency.counts.out_of_country,
            residency.counts.conflicting,
            residency.counts.unknown,
        );
        let obs = GeoObservation {
            sources: &self.sources,
            vantage: self.vantage.as_ref(),
            addresses_from,
            residency,
            jurisdiction,
        };
        ProbeResult::observed(Outcome::Success, &obs, None, summary)
    }
}

// ---------------------------------------------------------------------------------------------
// The registry: one table from which the probe ids, the CEL variables, the `--probes` help and
// the options digest come. Each probe's set-up lives with its adapter, below.

/// One probe kind: its id, version, the CEL variable controls read its observation from, a
/// description, and the factory that sets it up from a [`ScanConfig`].
pub struct ProbeInfo {
    /// The stable id.
    pub id: ProbeId,
    /// The probe's version (recorded in `run-begin`).
    pub version: &'static str,
    /// The CEL variable holding its observation in controls (`tls`, `x509`, ...).
    pub cel_var: &'static str,
    /// One line saying what it observes.
    pub description: &'static str,
    /// Set the probe up for a scan.
    pub factory: fn(&ScanConfig) -> Result<Arc<dyn Probe>, ConfigError>,
}

impl std::fmt::Debug for ProbeInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProbeInfo")
            .field("id", &self.id)
            .field("version", &self.version)
            .field("cel_var", &self.cel_var)
            .finish_non_exhaustive()
    }
}

/// Every probe, in the order they run on a target (`dns.resolve` first: it supplies the
/// addresses; `x509.chain` after `tls.scan`, whose chains it reads; `geo.residency` last).
pub static REGISTRY: [ProbeInfo; 7] = [
    ProbeInfo {
        id: ProbeId::DnsResolve,
        version: kensa_probe_dns::PROBE_VERSION,
        cel_var: "dns",
        description: "DNS: A/AAAA and CNAME chains per resolver, zone and name servers, CAA, HTTPS, TLSA, DNSSEC",
        factory: |c| Ok(Arc::new(DnsProbe { dns: dns_setup(c)? })),
    },
    ProbeInfo {
        id: ProbeId::LatencyTcp,
        version: kensa_probe_latency::PROBE_VERSION,
        cel_var: "latency",
        description: "TCP connect time per address: min/median/p90/max",
        factory: |c| {
            Ok(Arc::new(LatencyProbe {
                config: kensa_probe_latency::Config {
                    samples: c.samples,
                    connect_timeout: Duration::from_millis(c.connect_timeout_ms),
                    ..kensa_probe_latency::Config::default()
                },
            }))
        },
    },
    ProbeInfo {
        id: ProbeId::TlsScan,
        version: kensa_probe_tls::probe::PROBE_VERSION,
        cel_var: "tls",
        description: "TLS versions, cipher suites, groups, extensions, chains and active checks",
        factory: |c| {
            Ok(Arc::new(TlsProbe {
                config: kensa_probe_tls::probe::Config {
                    connect_timeout: Duration::from_millis(c.connect_timeout_ms),
                    read_timeout: Duration::from_millis(c.read_timeout_ms),
                    jarm: c.jarm,
                    ..kensa_probe_tls::probe::Config::default()
                },
            }))
        },
    },
    ProbeInfo {
        id: ProbeId::X509Chain,
        version: kensa_probe_x509::PROBE_VERSION,
        cel_var: "x509",
        description: "certificate chains: fields, chain as served, trust per store with every reason, OCSP",
        factory: |c| {
            let mut stores = vec![kensa_probe_x509::TrustStore::mozilla()];
            for s in &c.trust_stores {
                stores.push(
                    kensa_probe_x509::TrustStore::from_pem(&s.name, s.pem.as_bytes())
                        .map_err(|e| ConfigError(format!("--trust-store {}: {e}", s.name)))?,
                );
            }
            let extra_cas = c
                .caa_identifiers
                .iter()
                .map(|x| kensa_probe_x509::CaIdentifiers {
                    organization: x.organization.clone(),
                    identifiers: x.identifiers.clone(),
                })
                .collect();
            Ok(Arc::new(X509Probe {
                stores: Arc::new(stores),
                extra_cas: Arc::new(extra_cas),
            }))
        },
    },
    ProbeInfo {
        id: ProbeId::HttpHeaders,
        version: kensa_probe_http::PROBE_VERSION,
        cel_var: "http",
        description: "HTTPS response headers (HSTS, security headers, banners), HTTP->HTTPS redirect, TTFB",
        factory: |c| {
            Ok(Arc::new(HttpProbe {
                config: kensa_probe_http::Config {
                    connect_timeout: Duration::from_millis(c.connect_timeout_ms),
                    request_timeout: Duration::from_millis(c.read_timeout_ms),
                    ..kensa_probe_http::Config::default()
                },
            }))
        },
    },
    ProbeInfo {
        id: ProbeId::GeoResidency,
        version: kensa_probe_geo::PROBE_VERSION,
        cel_var: "geo",
        description: "residency of every serving address and name server (ranges, databases, RTT physics); jurisdiction",
        factory: |c| Ok(Arc::new(geo_setup(c)?)),
    },
    ProbeInfo {
        id: ProbeId::RouteTrace,
        version: kensa_probe_route::PROBE_VERSION,
        cel_var: "route",
        description: "network path to each serving address (TCP/UDP TTL rounds): hops, RTT, ASN, owner, country; needs CAP_NET_RAW, off by default",
        factory: |c| route_setup(c),
    },
];

/// The registry entry of a probe id.
pub fn info(id: &str) -> Option<&'static ProbeInfo> {
    REGISTRY.iter().find(|p| p.id.as_str() == id.trim())
}

/// The `--probes` help: every id with its description, in run order.
pub fn probes_help() -> String {
    let mut s = String::from(
        "The probes to run, comma-separated (default: all but route.trace, which needs raw \
         sockets; x509.chain needs tls.scan; without \
         dns.resolve, host names are still resolved through the same resolvers but no DNS \
         evidence is recorded; geo.residency uses whatever of dns.resolve, latency.tcp and \
         x509.chain ran):",
    );
    for p in &REGISTRY {
        s.push_str(&format!("\n  {:<14} {}", p.id.as_str(), p.description));
    }
    s
}

/// A scan's probes, set up from its configuration, with the resolver that supplies the
/// addresses of host names and the options recorded in `run-begin`.
pub struct Prepared {
    /// The selected probes, in run order.
    pub probes: Vec<Arc<dyn Probe>>,
    /// How host names are resolved (the DNS probe's resolvers, or the system's).
    pub resolver: Arc<dyn crate::engine::Resolve>,
    /// [`ScanConfig::probe_options`] with the residency sources loaded.
    pub probe_options: serde_json::Value,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.probes.iter().map(|p| p.id()).collect();
        f.debug_struct("Prepared")
            .field("probes", &ids)
            .finish_non_exhaustive()
    }
}

/// Set up the probes a configuration selects. Must run inside a tokio runtime (the DNS
/// probe's validating resolvers are made there).
pub fn prepare(config: &ScanConfig) -> Result<Prepared, ConfigError> {
    config.validate()?;
    let probes = REGISTRY
        .iter()
        .filter(|p| config.runs(p.id.as_str()))
        .map(|p| (p.factory)(config))
        .collect::<Result<Vec<_>, _>>()?;
    // The residency sources are recorded whether or not the probe runs (the options digest
    // of a run is the same for the same inputs).
    let geo_sources = match probes.iter().find_map(|p| p.geo_sources()) {
        Some(s) => s.to_vec(),
        None => geo_setup(config)?.sources.as_ref().clone(),
    };
    // Host names are resolved through the DNS probe's resolvers, set up once; without it,
    // through the same resolvers.
    let resolver = match probes.iter().find_map(|p| p.resolver()) {
        Some(r) => r,
        None => dns_resolver(&dns_setup(config)?),
    };
    Ok(Prepared {
        probes,
        resolver,
        probe_options: config.probe_options(&geo_sources),
    })
}

fn dns_resolver(
    dns: &Result<Arc<kensa_probe_dns::Dns>, String>,
) -> Arc<dyn crate::engine::Resolve> {
    match dns {
        Ok(d) => Arc::new(crate::engine::DnsResolver(Arc::clone(d))),
        Err(_) => Arc::new(crate::engine::SystemResolver),
    }
}

/// The DNS probe's set-up. Explicit resolvers and anchors that cannot be used are
/// configuration errors; a system without a resolver configuration is recorded per target
/// instead (`Ok(Err(why))`).
pub fn dns_setup(
    config: &ScanConfig,
) -> Result<Result<Arc<kensa_probe_dns::Dns>, String>, ConfigError> {
    use kensa_probe_dns::{Anchors, Config, ResolverAddr, ResolverSource};
    let mut resolvers = Vec::new();
    for r in &config.resolvers {
        resolvers.push(ResolverAddr {
            addr: crate::config::parse_resolver(r)?,
            source: ResolverSource::Explicit,
        });
    }
    if resolvers.is_empty() {
        match kensa_probe_dns::system_resolvers() {
            Ok(r) => resolvers = r,
            Err(e) => return Ok(Err(e.to_string())),
        }
    }
    let mut c = Config::new(resolvers);
    c.timeout = Duration::from_millis(config.dns_timeout_ms.max(1));
    if let Some(a) = &config.dnssec_anchors {
        c.anchors = Anchors::Text {
            name: a.name.clone(),
            text: a.text.clone(),
        };
    }
    kensa_probe_dns::Dns::new(&c)
        .map(|d| Ok(Arc::new(d)))
        .map_err(|e| ConfigError(e.to_string()))
}

/// The warning for a geolocation database older than 90 days: it names the command that
/// updates the default one.
pub fn stale_database_warning(file: &str, build_date: &str, age_days: u64) -> String {
    format!(
        "geolocation database {file} was built {build_date} ({age_days} days ago): older than \
         90 days; run `kensa geodb update` (or pass a newer --geoip FILE)"
    )
}

/// Load the residency sources. Files the configuration names must load (else an error naming
/// the file and the place); with no database named, the data directory's defaults are used,
/// and when there are none the probe records why for every target.
pub fn geo_setup(config: &ScanConfig) -> Result<GeoProbe, ConfigError> {
    use kensa_probe_geo::verdict::Classifier;
    use kensa_probe_geo::{asn::AsnTable, mmdb::GeoDb, physics, ranges::RangeIndex};
    let file_name = crate::config::file_name;
    let usage = ConfigError;
    let mut sources = Vec::new();
    let mut ranges = RangeIndex::new();
    for d in &config.geo.ranges {
        let f = d.local_path();
        let summary = ranges
            .load_file(&f, None)
            .map_err(|e| usage(format!("--ranges {}: {e}", f.display())))?;
        sources.push(GeoSource {
            kind: "ranges".into(),
            file: file_name(&f),
            detail: format!("{:?}", summary.format),
            build_date: None,
            stale: false,
            entries: Some(summary.ranges),
            package: None,
        });
    }
    let mut dbs: Vec<std::path::PathBuf> =
        config.geo.geoip.iter().map(|d| d.local_path()).collect();
    let mut asn_files: Vec<std::path::PathBuf> =
        config.geo.asn_csv.iter().map(|d| d.local_path()).collect();
    let mut note = None;
    // Installed files: name → "package@version (sha256 …)".
    let mut installed: std::collections::HashMap<String, String> = Default::default();
    if dbs.is_empty() {
        let dir = crate::config::data_dir(config.geo.data_dir.as_deref());
        match kensa_probe_geo::geodb::Manifest::load(&dir) {
            Ok(m) => {
                for p in &m.packages {
                    for f in &p.files {
                        installed.insert(
                            file_name(std::path::Path::new(&f.path)),
                            format!("{}@{} (sha256 {})", p.package, p.version, f.sha256),
                        );
                    }
                }
                let (mmdb, csv) = m.default_files(&dir);
                match mmdb {
                    Some(p) => dbs.push(p),
                    None => {
                        // The path goes to the log only: evidence names no local paths the
                        // user did not pass (tests/secrets.rs).
                        if config.runs(ProbeId::GeoResidency.as_str()) {
                            tracing::warn!(
                                "no geolocation database in the data directory {}",
                                dir.display()
                            );
                        }
                        note = Some(
                            "no geolocation database: pass --geoip FILE or run `kensa geodb \
                             update` (the data directory has none)"
                                .to_string(),
                        );
                    }
                }
                if asn_files.is_empty() {
                    asn_files = csv;
                }
            }
            Err(e) => return Err(usage(format!("data directory {}: {e}", dir.display()))),
        }
    }
    let now = std::time::SystemTime::now();
    let mut databases = Vec::new();
    for f in &dbs {
        let db = GeoDb::open(f).map_err(|e| usage(format!("--geoip {}: {e}", f.display())))?;
        let info = db.info(now);
        // Only when residency is judged (issue 23: not on every command), saying what to do.
        if info.stale && config.runs(ProbeId::GeoResidency.as_str()) {
            tracing::warn!(
                "{}",
                stale_database_warning(&file_name(f), &info.build_date, info.age_days)
            );
        }
        sources.push(GeoSource {
            kind: "database".into(),
            file: file_name(f),
            detail: info.database_type.clone(),
            build_date: Some(info.build_date.clone()),
            stale: info.stale,
            entries: None,
            package: installed.get(&file_name(f)).cloned(),
        });
        databases.push(db);
    }
    let mut asn = None;
    if !asn_files.is_empty() {
        let mut t = AsnTable::default();
        for f in &asn_files {
            let n = t
                .load_file(f)
                .map_err(|e| usage(format!("ASN table {}: {e}", f.display())))?;
            sources.push(GeoSource {
                kind: "asn".into(),
                file: file_name(f),
                detail: "start,end,asn,org".into(),
                build_date: None,
                stale: false,
                entries: Some(n),
                package: installed.get(&file_name(f)).cloned(),
            });
        }
        asn = Some(t);
    }
    let classifier = if databases.is_empty() && config.geo.ranges.is_empty() {
        Err(note.unwrap_or_else(|| "no residency source loaded".to_owned()))
    } else {
        Ok(Arc::new(Classifier {
            ranges,
            databases,
            asn,
            physics: physics::Physics::default(),
            allow_special_purpose: config.settings.allow_private,
        }))
    };
    let vantage = match &config.vantage {
        Some(crate::evidence::Vantage {
            name,
            lat: Some(lat),
            lon: Some(lon),
        }) => Some(physics::Vantage {
            name: name.clone(),
            lat: *lat,
            lon: *lon,
        }),
        _ => None,
    };
    Ok(GeoProbe {
        classifier,
        vantage,
        sources: Arc::new(sources),
    })
}

// ---------------------------------------------------------------------------------------------
// route.trace

/// The path probe (`route.trace`, crate kensa-probe-route): a traceroute to each serving
/// address through the dial seam's checks and permits; each responder placed with the same
/// residency sources as `geo.residency` (ASN table and databases: AS number, owner, country;
/// provider ranges: country). The responders are observed, never dialled.
pub struct RouteProbe {
    /// The tracer's configuration.
    pub config: kensa_probe_route::Config,
    /// The residency sources, when any loaded (else every responder's facts are unknown).
    pub classifier: Option<Arc<kensa_probe_geo::verdict::Classifier>>,
}

impl std::fmt::Debug for RouteProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteProbe")
            .field("config", &self.config)
            .field("sources", &self.classifier.is_some())
            .finish()
    }
}

/// The residency sources as the route probe's look-up of a responder.
struct HopNetworks<'a>(&'a kensa_probe_geo::verdict::Classifier);

impl kensa_probe_route::Networks for HopNetworks<'_> {
    fn network(&self, ip: std::net::IpAddr) -> kensa_probe_route::Network {
        let mut n = kensa_probe_route::Network::default();
        if let Ok(x) = self.0.network("", ip) {
            n.asn = x.asn;
            n.as_org = x.as_org;
            n.registered_country = x.registered_country;
            n.country = x.located_country;
        }
        // A provider's own range (or geofeed) with a country places the address first.
        if let Some(c) = self
            .0
            .ranges
            .lookup(ip)
            .into_iter()
            .find_map(|r| r.country.clone())
        {
            n.country = Some(c);
        }
        n
    }
}

impl Probe for RouteProbe {
    fn id(&self) -> &'static str {
        ProbeId::RouteTrace.as_str()
    }

    fn version(&self) -> &'static str {
        kensa_probe_route::PROBE_VERSION
    }

    fn run<'a>(
        &'a self,
        target: &'a Target,
        scope: &'a Scope,
        _earlier: &'a [Earlier],
    ) -> ProbeFuture<'a> {
        Box::pin(async move {
            let none = kensa_probe_route::NoNetworks;
            let with;
            let networks: &dyn kensa_probe_route::Networks = match &self.classifier {
                Some(c) => {
                    with = HopNetworks(c);
                    &with
                }
                None => &none,
            };
            match kensa_probe_route::probe(scope, target.port, &self.config, networks).await {
                Ok(obs) => {
                    let summary = route_summary(&obs);
                    ProbeResult::observed(obs.outcome(), &obs, obs.error(), summary)
                }
                Err(e) => ProbeResult::failed(e.outcome(), e.to_string()),
            }
        })
    }
}

/// `3 hops to 10.0.3.2 (reached; JP US), 1 silent`
fn route_summary(obs: &kensa_probe_route::Observation) -> String {
    obs.paths
        .iter()
        .map(|p| {
            let mut s = format!(
                "{} hop{} to {} ({}",
                p.hops.len(),
                if p.hops.len() == 1 { "" } else { "s" },
                p.destination,
                if p.reached { "reached" } else { "not reached" }
            );
            if !p.countries.is_empty() {
                s.push_str(&format!("; {}", p.countries.join(" ")));
            }
            s.push(')');
            if p.silent_hops > 0 {
                s.push_str(&format!(", {} silent", p.silent_hops));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Set up the route probe: its options from the configuration, and the residency sources
/// (loaded as for `geo.residency`; none loaded leaves the responders unplaced).
pub fn route_setup(config: &ScanConfig) -> Result<Arc<dyn Probe>, ConfigError> {
    let classifier = geo_setup(config)?.classifier.ok();
    Ok(Arc::new(RouteProbe {
        config: config.route.clone(),
        classifier,
    }))
}

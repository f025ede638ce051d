//! The parallel probing core.
//!
//! Targets are pulled lazily from an iterator, at most `targets_in_flight` at a time, so memory
//! grows with what is in flight, not with the catalog. Each target task resolves the host once
//! (unless the catalog pinned addresses or the host is an IP literal), builds the target's
//! [`Scope`](kensa_probe::Scope) on the run's dial seam, and runs every probe in turn, each in
//! its own task with a timeout, inside the target's deadline. A panic in a probe becomes an
//! `internal` evidence record; a timeout becomes `timeout`. Every result goes through a bounded
//! channel to the single writer.

use std::any::Any;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use kensa_probe::{Limits, Net, Outcome, Target};
use serde::Serialize;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use crate::evidence::{AddressSource, Evidence, SCHEMA_VERSION, TargetRef, Vantage};
use crate::probes::{Earlier, Probe, ProbeResult};
use crate::rfc3339;

/// One unit of work: an endpoint of a provider, ready to probe.
#[derive(Clone, Debug)]
pub struct TargetSpec {
    /// The provider id.
    pub provider: String,
    /// The target; `addresses` is empty when the host must be resolved.
    pub target: Target,
    /// Where the addresses come from (`literal`, `pinned`; `resolved` is set by the engine).
    pub source: AddressSource,
    /// What an earlier session of the run recorded for this target (`kensa scan --resume`):
    /// those probes are not run again.
    pub prior: Option<Prior>,
}

/// What an earlier session of a resumed run recorded for one target.
#[derive(Clone, Debug)]
pub struct Prior {
    /// The target as recorded: its addresses and their source are reused, not resolved again.
    pub target: TargetRef,
    /// The probes already recorded, with their outcome and observation: later probes read
    /// them as they would have in one session.
    pub done: Vec<Earlier>,
    /// For an unresolved target, why resolution failed (the probes still to run record it).
    pub resolve_error: Option<String>,
}

/// The future a [`Resolve`] returns.
pub type ResolveFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<IpAddr>, String>> + Send + 'a>>;

/// Resolves host names to addresses: the engine's only use of DNS.
pub trait Resolve: Send + Sync {
    /// The addresses of `host`.
    fn resolve<'a>(&'a self, host: &'a str) -> ResolveFuture<'a>;
}

/// Resolution through the operating system (getaddrinfo). The DNS probe will bring explicit
/// resolvers; tests use IP literals or pinned addresses and never reach this.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve<'a>(&'a self, host: &'a str) -> ResolveFuture<'a> {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host, 0))
                .await
                .map_err(|e| format!("cannot resolve {host}: {e}"))?;
            let mut out: Vec<IpAddr> = Vec::new();
            for a in addrs {
                if !out.contains(&a.ip()) {
                    out.push(a.ip());
                }
            }
            if out.is_empty() {
                return Err(format!("{host} has no addresses"));
            }
            Ok(out)
        })
    }
}

/// Resolution through kensa's DNS probe (the `--resolver`s, else the system's resolvers),
/// for runs that do not record `dns.resolve` evidence.
#[derive(Debug)]
pub struct DnsResolver(pub Arc<kensa_probe_dns::Dns>);

impl Resolve for DnsResolver {
    fn resolve<'a>(&'a self, host: &'a str) -> ResolveFuture<'a> {
        Box::pin(async move {
            let (_, obs, error) = kensa_probe_dns::observe_host(&self.0, host, 443, &[]).await;
            if obs.addresses.is_empty() {
                return Err(error.unwrap_or_else(|| format!("{host} has no addresses")));
            }
            Ok(obs.addresses)
        })
    }
}

/// What the engine hands the writer: an evidence record and its one-line summary.
#[derive(Debug)]
pub struct Gathered {
    /// The evidence record.
    pub evidence: Evidence,
    /// A one-line human summary for the scan table (not part of the evidence).
    pub summary: String,
}

/// Engine limits and timeouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Connections in flight across the run.
    pub max_connections: usize,
    /// Connections in flight per host.
    pub per_host: usize,
    /// Sustained new connections per second to one host (0 = unlimited).
    pub rate_per_host: u32,
    /// New connections one host may receive at once before `rate_per_host` applies.
    pub burst_per_host: u32,
    /// Targets being probed at once.
    pub targets_in_flight: usize,
    /// Time limit of one probe on one target, ms.
    pub probe_timeout_ms: u64,
    /// Time limit of everything done for one target, ms.
    pub target_deadline_ms: u64,
    /// Time limit of resolving one host name, ms.
    pub resolve_timeout_ms: u64,
    /// Whether private, loopback and link-local addresses may be probed.
    pub allow_private: bool,
    /// The most addresses of one endpoint that are probed (`--max-addresses-per-endpoint`);
    /// the rest are left out and counted in the evidence (`addresses_left_out`).
    pub max_addresses_per_endpoint: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            max_connections: Limits::default().global,
            per_host: Limits::default().per_host,
            rate_per_host: Limits::default().rate_per_host,
            burst_per_host: Limits::default().burst_per_host,
            targets_in_flight: 64,
            probe_timeout_ms: 60_000,
            target_deadline_ms: 180_000,
            resolve_timeout_ms: 10_000,
            allow_private: false,
            max_addresses_per_endpoint: kensa_probe::DEFAULT_MAX_ADDRESSES,
        }
    }
}

impl Settings {
    /// The dial-seam limits.
    pub fn limits(&self) -> Limits {
        Limits {
            global: self.max_connections,
            per_host: self.per_host,
            rate_per_host: self.rate_per_host,
            burst_per_host: self.burst_per_host,
        }
    }
}

/// What the engine reports when it returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EngineSummary {
    /// Targets whose probes all ran.
    pub targets_done: u64,
    /// Whether the run was stopped before every target was done.
    pub interrupted: bool,
}

/// The probing engine of one run.
pub struct Engine {
    shared: Arc<Shared>,
}

/// What every target task of a run shares.
struct Shared {
    net: Net,
    resolver: Arc<dyn Resolve>,
    probes: Vec<Arc<dyn Probe>>,
    settings: Settings,
    run_id: String,
    vantage: Option<Vantage>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("settings", &self.shared.settings)
            .field("run_id", &self.shared.run_id)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine over the dial seam `net`.
    pub fn new(
        net: Net,
        resolver: Arc<dyn Resolve>,
        probes: Vec<Arc<dyn Probe>>,
        settings: Settings,
        run_id: &str,
        vantage: Option<Vantage>,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                net,
                resolver,
                probes,
                settings,
                run_id: run_id.to_owned(),
                vantage,
            }),
        }
    }

    /// Probe every target, sending evidence to `sink`, until done or until `stop` turns true.
    /// On stop, no new target starts, in-flight probes are abandoned (their partial work is not
    /// evidence) and the dial seam is closed.
    pub async fn run(
        &self,
        targets: impl Iterator<Item = TargetSpec>,
        sink: mpsc::Sender<Gathered>,
        mut stop: watch::Receiver<bool>,
    ) -> EngineSummary {
        let slots = Arc::new(Semaphore::new(
            self.shared.settings.targets_in_flight.max(1),
        ));
        let mut set: JoinSet<()> = JoinSet::new();
        let mut summary = EngineSummary::default();
        for spec in targets {
            while let Some(done) = set.try_join_next() {
                summary.targets_done += u64::from(done.is_ok());
            }
            let permit = tokio::select! {
                p = Arc::clone(&slots).acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => break,
                },
                () = stopped(&mut stop) => {
                    summary.interrupted = true;
                    break;
                }
            };
            let task = TargetTask {
                shared: Arc::clone(&self.shared),
                sink: sink.clone(),
            };
            set.spawn(async move {
                task.run(spec).await;
                drop(permit);
            });
        }
        if !summary.interrupted {
            loop {
                tokio::select! {
                    done = set.join_next() => match done {
                        Some(r) => summary.targets_done += u64::from(r.is_ok()),
                        None => break,
                    },
                    () = stopped(&mut stop) => {
                        summary.interrupted = true;
                        break;
                    }
                }
            }
        }
        if summary.interrupted {
            self.shared.net.close();
            set.abort_all();
            while set.join_next().await.is_some() {}
        }
        summary
    }
}

/// Resolves when the stop flag turns true; never, when the sender is gone.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|s| *s).await.is_err() {
        std::future::pending::<()>().await;
    }
}

struct TargetTask {
    shared: Arc<Shared>,
    sink: mpsc::Sender<Gathered>,
}

impl TargetTask {
    async fn run(self, spec: TargetSpec) {
        let Shared {
            net,
            resolver,
            probes,
            settings,
            run_id,
            vantage,
        } = &*self.shared;
        let clock = Arc::clone(net.clock());
        let begun = clock.instant();
        let deadline = Duration::from_millis(settings.target_deadline_ms);
        let TargetSpec {
            provider,
            mut target,
            mut source,
            prior,
        } = spec;

        let mut resolve_error = None;
        let mut addresses_left_out = 0;
        // A resolving probe (dns.resolve) that already ran for this target: its index in
        // `probes`, result, start time and duration.
        let mut resolved_by: Option<(usize, ProbeResult, SystemTime, Duration)> = None;
        let mut done = Vec::new();
        if let Some(prior) = prior {
            target.addresses = prior.target.addresses;
            source = prior.target.address_source;
            resolve_error = prior.resolve_error;
            if source == AddressSource::Unresolved && resolve_error.is_none() {
                resolve_error = Some(format!("{} has no addresses", target.host));
            }
            addresses_left_out = prior.target.addresses_left_out;
            done = prior.done;
        } else if target.addresses.is_empty() {
            let host = target.host.to_string();
            let limit = Duration::from_millis(settings.resolve_timeout_ms).min(deadline);
            if let Some((i, probe)) = probes.iter().enumerate().find(|(_, p)| p.resolves()) {
                // The resolving probe gets a scope with no addresses: it cannot dial the target.
                let started_at = clock.now();
                let t0 = clock.instant();
                let result = run_probe(
                    Arc::clone(probe),
                    Arc::new(target.clone()),
                    net.scope(&target),
                    Arc::from(Vec::new()),
                    limit,
                )
                .await;
                let addrs = probe.addresses(&result);
                if addrs.is_empty() {
                    resolve_error = Some(
                        result
                            .error
                            .clone()
                            .unwrap_or_else(|| format!("{host} has no addresses")),
                    );
                } else {
                    target.addresses = addrs;
                    source = AddressSource::Resolved;
                }
                let took = clock.instant().saturating_duration_since(t0);
                resolved_by = Some((i, result, started_at, took));
            } else {
                match tokio::time::timeout(limit, resolver.resolve(&host)).await {
                    Ok(Ok(addrs)) => {
                        target.addresses = addrs;
                        source = AddressSource::Resolved;
                    }
                    Ok(Err(e)) => resolve_error = Some(e),
                    Err(_) => resolve_error = Some(format!("resolving {host} timed out")),
                }
            }
            if resolve_error.is_some() {
                source = AddressSource::Unresolved;
            }
        }
        if addresses_left_out == 0 {
            // A hostile answer with thousands of records must not become thousands of
            // connections (issue 19): probe at most the cap, and record the cut.
            let (chosen, left_out) = kensa_probe::choose_addresses(
                &target.addresses,
                settings.max_addresses_per_endpoint,
            );
            target.addresses = chosen;
            addresses_left_out = u64::try_from(left_out).unwrap_or(u64::MAX);
        }
        let target_ref = TargetRef {
            id: target.id.to_string(),
            provider,
            host: target.host.to_string(),
            port: target.port,
            sni: target.sni.clone(),
            addresses: target.addresses.clone(),
            address_source: source,
            addresses_left_out,
        };
        let scope = net.scope(&target);
        let target = Arc::new(target);
        let mut earlier: Vec<Earlier> = Vec::with_capacity(probes.len());

        for (index, probe) in probes.iter().enumerate() {
            if let Some(i) = done.iter().position(|d: &Earlier| d.probe == probe.id()) {
                // Recorded by an earlier session: read, not run again.
                earlier.push(done.remove(i));
                continue;
            }
            let mut started_at = clock.now();
            let t0 = clock.instant();
            let spent = t0.saturating_duration_since(begun);
            let limit = Duration::from_millis(settings.probe_timeout_ms)
                .min(deadline.saturating_sub(spent));
            let mut took = None;
            let result = if let Some((_, r, at, d)) = resolved_by.take_if(|(i, ..)| *i == index) {
                started_at = at;
                took = Some(d);
                r
            } else if let Some(e) = &resolve_error {
                ProbeResult::failed(Outcome::DnsFailure, e.clone())
            } else if limit.is_zero() {
                ProbeResult::failed(
                    Outcome::Timeout,
                    format!(
                        "the target deadline ({} ms) passed before the probe started",
                        settings.target_deadline_ms
                    ),
                )
            } else {
                run_probe(
                    Arc::clone(probe),
                    Arc::clone(&target),
                    scope.clone(),
                    Arc::from(earlier.as_slice()),
                    limit,
                )
                .await
            };
            earlier.push(Earlier {
                probe: probe.id(),
                outcome: result.outcome,
                observation: result.observation.clone(),
                chains: probe.chain_reader(),
            });
            let elapsed = took.unwrap_or_else(|| clock.instant().saturating_duration_since(t0));
            let ev = Evidence {
                schema_version: SCHEMA_VERSION,
                run_id: run_id.clone(),
                target: target_ref.clone(),
                probe: probe.id().to_owned(),
                probe_version: probe.version().to_owned(),
                vantage: vantage.clone(),
                started_at: rfc3339(started_at),
                elapsed_us: u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
                outcome: result.outcome,
                fault: result.outcome.fault(),
                observation: result.observation,
                error: result.error,
            };
            let gathered = Gathered {
                evidence: ev,
                summary: result.summary,
            };
            if self.sink.send(gathered).await.is_err() {
                // The writer is gone (it failed and reported why); nothing more can be kept.
                return;
            }
        }
    }
}

/// Run one probe in its own task, so a panic is caught and a timeout can abandon it.
async fn run_probe(
    probe: Arc<dyn Probe>,
    target: Arc<Target>,
    scope: kensa_probe::Scope,
    earlier: Arc<[Earlier]>,
    limit: Duration,
) -> ProbeResult {
    let exhausted = || kensa_probe::NetStats::get(&scope.stats().local_exhaustion);
    let exhausted_before = exhausted();
    let probe_scope = scope.clone();
    let mut handle = tokio::spawn(async move { probe.run(&target, &probe_scope, &earlier).await });
    match tokio::time::timeout(limit, &mut handle).await {
        // A connect failed for want of a local resource (EMFILE, ...): whatever the probe
        // concluded from it would be false evidence about the peer (issue 19).
        Ok(Ok(_)) if exhausted() > exhausted_before => ProbeResult::failed(
            Outcome::Internal,
            "this machine ran out of open files or socket buffers during the probe; \
             its observations are discarded (raise the open-file limit or lower --max-connections)",
        ),
        Ok(Ok(r)) => r,
        Ok(Err(e)) if e.is_panic() => ProbeResult::failed(
            Outcome::Internal,
            format!("the probe panicked: {}", panic_message(e.into_panic())),
        ),
        Ok(Err(_)) => ProbeResult::failed(Outcome::Internal, "the probe task was cancelled"),
        Err(_) => {
            handle.abort();
            ProbeResult::failed(
                Outcome::Timeout,
                format!("the probe did not finish within {} ms", limit.as_millis()),
            )
        }
    }
}

fn panic_message(p: Box<dyn Any + Send>) -> String {
    match p.downcast::<String>() {
        Ok(s) => *s,
        Err(p) => p
            .downcast::<&'static str>()
            .map(|s| (*s).to_owned())
            .unwrap_or_else(|_| "(no message)".to_owned()),
    }
}

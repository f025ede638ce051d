//! One scan: catalog in, hash-chained evidence out.
//!
//! The run directory is locked ([`crate::runlock`]) and the evidence file created (and
//! `run-begin` written) before any probe runs, so an unwritable output directory stops the scan
//! before it touches the network. A single writer thread appends each record as it arrives; if
//! writing fails mid-run, the engine is stopped and what was written stays verifiable.
//!
//! **Resuming** (`kensa scan --resume RUN_DIR`): a run that crashed, was killed, ran out of
//! disk or was interrupted is continued in place. Its chain is checked first (a tampered run is
//! never continued), the catalog and the options that affect results must match the digests in
//! `run-begin`, a torn last line is cut off, a `run-resume` line continues the chain, and only
//! the (target, probe) pairs with no record yet are probed; a partly probed target reuses its
//! recorded addresses and earlier observations. The run then ends with the usual `run-end`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use kensa_probe::{Connector, Net, Outcome};
use serde::Serialize;
use tokio::sync::{mpsc, watch};

use crate::catalog::{Catalog, Listing};
use crate::engine::{Engine, Gathered, Prior, Resolve, Settings};
use crate::evidence::{
    self, AddressSource, EVIDENCE_FILE, Evidence, EvidenceWriter, Integrity, ProbeRef,
    ProviderInfo, Record, RunBegin, RunResume, RunStatus, SCHEMA_VERSION, Vantage,
};
use crate::probes::{Earlier, Probe};
use crate::runlock::{LockError, RunLock};
use crate::{TOOL, plan, rfc3339};

/// A callback run by the writer for each evidence record it wrote.
pub type RecordHook = Box<dyn Fn(&Evidence) + Send>;

/// Everything a scan needs besides the catalog.
pub struct ScanOptions {
    /// The run directory to create (or, with `resume`, to continue).
    pub out: PathBuf,
    /// The run id (with `resume`, the recorded one is kept instead).
    pub run_id: String,
    /// Engine limits and timeouts.
    pub settings: Settings,
    /// Where the scan runs from.
    pub vantage: Option<Vantage>,
    /// The probes to run on every endpoint.
    pub probes: Vec<Arc<dyn Probe>>,
    /// How connections are opened (real TCP, or a fake in benches).
    pub connector: Arc<dyn Connector>,
    /// How host names are resolved.
    pub resolver: Arc<dyn Resolve>,
    /// Called once per evidence record written (progress display).
    pub on_record: Option<RecordHook>,
    /// The clock probes read (the system's; tests pin it to judge fixed-date certificates).
    pub clock: Arc<dyn kensa_probe::Clock>,
    /// Continue the run in `out` (`kensa scan --resume`) instead of starting a new one.
    pub resume: bool,
    /// The probes' own options that affect results (samples, connect and read timeouts, trust
    /// stores, resolvers, residency sources...), as a JSON object: recorded in `run-begin`
    /// with the probes, their versions and the timeouts, and compared when resuming.
    pub probe_options: serde_json::Value,
}

impl std::fmt::Debug for ScanOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanOptions")
            .field("out", &self.out)
            .field("run_id", &self.run_id)
            .field("settings", &self.settings)
            .field("resume", &self.resume)
            .finish_non_exhaustive()
    }
}

/// Why a scan could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The configuration cannot be used (a trust store, resolver or database that does not
    /// load); nothing was probed.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The run directory or evidence file could not be created.
    #[error("cannot create the evidence file in {dir}: {source}")]
    Create {
        /// The run directory.
        dir: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The run directory is locked by another process, or cannot be locked.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The run cannot be resumed.
    #[error("cannot resume {dir}: {why}")]
    Refused {
        /// The run directory.
        dir: String,
        /// Why.
        why: Refusal,
    },
    /// Writing evidence failed mid-run; the records before it are intact.
    #[error(
        "writing evidence to {file} failed after {written} records: {source}; \
         the records written are intact (check with `kensa verify`) and the run can be \
         completed with `kensa scan --resume`"
    )]
    Write {
        /// The evidence file.
        file: String,
        /// Evidence records written before the failure.
        written: u64,
        /// The cause.
        source: std::io::Error,
    },
}

/// Why `kensa scan --resume` refuses to continue a run.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// There is no evidence file.
    #[error("there is no evidence file {file} to resume")]
    NoRun {
        /// The evidence file looked for.
        file: String,
    },
    /// The evidence file cannot be read.
    #[error("cannot read {file}: {source}")]
    Unreadable {
        /// The evidence file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The hash chain is broken: a tampered run is never continued.
    #[error(
        "its evidence does not verify ({file}:{line}: {message}); a tampered run is never \
         continued (see `kensa verify`)"
    )]
    Tampered {
        /// The evidence file.
        file: String,
        /// The first bad line (1-based).
        line: u64,
        /// What is wrong there.
        message: String,
    },
    /// The run already ended with `run-end` (complete).
    #[error("the run is already complete ({records} evidence records); nothing to resume")]
    Complete {
        /// Its evidence records.
        records: u64,
    },
    /// `run-begin` has no catalog or options digest (written by an older kensa).
    #[error(
        "its run-begin records no catalog and options digests (written by an older kensa), so \
         the same catalog and options cannot be checked"
    )]
    NoDigests,
    /// The catalog is not the one the run began with.
    #[error(
        "the catalog differs from the one the run began with (catalog_digest {recorded} \
         recorded, {now} now): give the same catalog"
    )]
    CatalogDiffers {
        /// The digest in `run-begin`.
        recorded: String,
        /// The digest of the catalog given now.
        now: String,
    },
    /// Options that affect results differ from those the run began with.
    #[error("options differ from those the run began with: {differences}; give the same options")]
    OptionsDiffer {
        /// Each difference, as `name: recorded → now`.
        differences: String,
    },
}

/// One line of the scan summary: a probe result in brief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Target id.
    pub target: String,
    /// Probe id.
    pub probe: String,
    /// Outcome.
    pub outcome: Outcome,
    /// A short human summary of the observation or the error.
    pub detail: String,
}

/// What a finished scan reports.
#[derive(Clone, Debug, Serialize)]
pub struct ScanReport {
    /// The run id.
    pub run_id: String,
    /// The run directory.
    pub run_dir: String,
    /// The evidence file.
    pub evidence: String,
    /// How the run ended.
    pub status: RunStatus,
    /// Evidence records written.
    pub records: u64,
    /// Records per outcome.
    pub outcomes: BTreeMap<Outcome, u64>,
    /// Hash of the `run-end` line (the head of the whole chain).
    pub head: String,
    /// Connections the dial seam opened.
    pub connections: u64,
    /// One row per evidence record written by this session, sorted by target then probe: the
    /// first [`MAX_ROWS`] written, so memory stays flat however large the catalog (every
    /// record is in `evidence.jsonl`).
    pub rows: Vec<Row>,
    /// Records written but not in `rows` (beyond [`MAX_ROWS`]).
    #[serde(skip_serializing_if = "is_zero")]
    pub rows_omitted: u64,
    /// With `--resume`: the evidence records earlier sessions wrote (not probed again).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resumed_after: Option<u64>,
}

/// The most rows a [`ScanReport`] keeps for the scan table.
pub const MAX_ROWS: usize = 10_000;

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Where a scan's evidence goes: a run directory (its `evidence.jsonl`), new or resumed.
pub struct Sink {
    /// The run directory to create (or, with `resume`, to continue).
    pub dir: PathBuf,
    /// Continue the run in `dir` instead of starting a new one.
    pub resume: bool,
    /// The run id of a new run (default: [`new_run_id`]).
    pub run_id: Option<String>,
    /// Called once per evidence record written (a progress display).
    pub on_record: Option<RecordHook>,
}

impl Sink {
    /// A new run in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            resume: false,
            run_id: None,
            on_record: None,
        }
    }
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink")
            .field("dir", &self.dir)
            .field("resume", &self.resume)
            .field("run_id", &self.run_id)
            .finish_non_exhaustive()
    }
}

/// Something that runs a scan to its end from synchronous code: the command line's runner
/// (its runtime, Ctrl-C, progress bar), [`BlockingRunner`], or a service's. Journeys that scan
/// (`demo`, `recheck`) take one, so they never own a runtime or a signal handler.
pub trait ScanRunner {
    /// Scan `catalog` as `config` says into `sink`.
    fn run_scan(
        &self,
        catalog: &Catalog,
        config: &crate::config::ScanConfig,
        sink: Sink,
    ) -> Result<ScanReport, ScanError>;
}

/// A [`ScanRunner`] for library users: a runtime of its own per scan, no signal handling, no
/// progress display.
#[derive(Clone, Copy, Debug, Default)]
pub struct BlockingRunner;

impl ScanRunner for BlockingRunner {
    fn run_scan(
        &self,
        catalog: &Catalog,
        config: &crate::config::ScanConfig,
        sink: Sink,
    ) -> Result<ScanReport, ScanError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                ScanError::Config(crate::config::ConfigError(format!(
                    "cannot start the async runtime: {e}"
                )))
            })?;
        let (_stop_tx, stop_rx) = watch::channel(false);
        rt.block_on(run(catalog, config, sink, stop_rx))
    }
}

/// Scan `catalog` as `config` says, writing evidence to `sink`: the library's one entry to a
/// scan. Async and callable from inside any tokio runtime (several at once); it never exits
/// the process and writes nothing to stderr itself (progress goes through
/// `sink.on_record`, logs through `tracing`). `stop` turning true interrupts it: new work
/// stops, what was gathered is written, and the run ends `interrupted`.
pub async fn run<C: Listing + ?Sized>(
    catalog: &C,
    config: &crate::config::ScanConfig,
    sink: Sink,
    stop: watch::Receiver<bool>,
) -> Result<ScanReport, ScanError> {
    let prepared = crate::probes::prepare(config)?;
    let opts = ScanOptions {
        run_id: sink.run_id.unwrap_or_else(new_run_id),
        out: sink.dir,
        settings: config.settings,
        vantage: config.vantage.clone(),
        probes: prepared.probes,
        connector: Arc::new(kensa_probe::TcpConnector),
        resolver: prepared.resolver,
        on_record: sink.on_record,
        clock: Arc::new(kensa_probe::SystemClock),
        resume: sink.resume,
        probe_options: prepared.probe_options,
    };
    scan(catalog, opts, stop).await
}

/// Run a scan of `catalog` with probes, connector and clock given (tests and benches use a
/// fake connector or a pinned clock; [`run`] is the usual entry). `stop` turning true
/// interrupts it (Ctrl-C).
pub async fn scan<C: Listing + ?Sized>(
    catalog: &C,
    opts: ScanOptions,
    stop: watch::Receiver<bool>,
) -> Result<ScanReport, ScanError> {
    let ScanOptions {
        out,
        run_id,
        settings,
        vantage,
        probes,
        connector,
        resolver,
        on_record,
        clock,
        resume,
        probe_options,
    } = opts;
    let dir = out.display().to_string();
    let probe_refs: Vec<ProbeRef> = probes
        .iter()
        .map(|p| ProbeRef {
            id: p.id().to_owned(),
            version: p.version().to_owned(),
        })
        .collect();
    let options = fingerprint(&probe_refs, &settings, vantage.as_ref(), probe_options);
    let options_digest = evidence::sha256_hex(options.to_string().as_bytes());
    let catalog_digest = catalog_digest(catalog);

    let (mut writer, run_id, mut seen, resumed_after, _lock) = if resume {
        let file = out.join(EVIDENCE_FILE);
        if !file.is_file() {
            return Err(ScanError::Refused {
                dir,
                why: Refusal::NoRun {
                    file: file.display().to_string(),
                },
            });
        }
        let lock = RunLock::take(&out)?;
        let wanted = Wanted {
            probes: &probes,
            catalog_digest: &catalog_digest,
            options: &options,
            options_digest: &options_digest,
        };
        let r = reopen(&file, &wanted).map_err(|why| ScanError::Refused {
            dir: dir.clone(),
            why,
        })?;
        let mut writer =
            EvidenceWriter::reopen(&file, &r.tail).map_err(|source| ScanError::Write {
                file: file.display().to_string(),
                written: r.tail.report.evidence_records,
                source,
            })?;
        let before = writer.evidence_count();
        let line = Record::RunResume(RunResume {
            run_id: r.run_id.clone(),
            tool: TOOL.to_owned(),
            resumed_at: rfc3339(SystemTime::now()),
            records_before: before,
            dropped_tail_bytes: r.dropped,
            settings: serde_json::to_value(settings).unwrap_or_default(),
        });
        writer.append(&line).map_err(|source| ScanError::Write {
            file: file.display().to_string(),
            written: before,
            source,
        })?;
        tracing::info!(
            records = before,
            targets_done = r
                .seen
                .values()
                .filter(|s| matches!(s, Seen::Complete))
                .count(),
            dropped_tail_bytes = r.dropped,
            "resuming run {}",
            r.run_id
        );
        (writer, r.run_id, r.seen, Some(before), lock)
    } else {
        let create = |source| ScanError::Create {
            dir: dir.clone(),
            source,
        };
        std::fs::create_dir_all(&out).map_err(create)?;
        let lock = RunLock::take(&out)?;
        let mut writer = EvidenceWriter::create(&out).map_err(create)?;
        let begin = Record::RunBegin(RunBegin {
            schema_version: SCHEMA_VERSION,
            run_id: run_id.clone(),
            tool: TOOL.to_owned(),
            started_at: rfc3339(SystemTime::now()),
            catalog: catalog.source().to_owned(),
            providers: catalog.provider_count(),
            endpoints: catalog.endpoint_count(),
            probes: probe_refs,
            vantage: vantage.clone(),
            settings: serde_json::to_value(settings).unwrap_or_default(),
            provider_details: catalog
                .providers()
                .map(|(p, _)| ProviderInfo {
                    id: p.id.clone(),
                    name: Some(p.name.clone()),
                    declared_country: p.declared_country.clone(),
                    applies_for: p.applies_for.clone(),
                    declaration: p.declared.as_deref().cloned(),
                })
                .collect(),
            catalog_digest: Some(catalog_digest),
            options: Some(options),
            options_digest: Some(options_digest),
        });
        writer.append(&begin).map_err(create)?;
        (writer, run_id, HashMap::new(), None, lock)
    };
    let file = writer.path().display().to_string();

    let (tx, mut rx) = mpsc::channel::<Gathered>(1024);
    let (stop_tx, stop_rx) = watch::channel(false);
    let stop_for_writer = stop_tx.clone();
    let writer_thread = std::thread::spawn(move || {
        let mut rows = Vec::new();
        let mut omitted = 0u64;
        let mut failure = None;
        while let Some(Gathered {
            evidence: ev,
            summary,
        }) = rx.blocking_recv()
        {
            if rows.len() < MAX_ROWS {
                rows.push(Row {
                    target: ev.target.id.clone(),
                    probe: ev.probe.clone(),
                    outcome: ev.outcome,
                    detail: summary,
                });
            } else {
                omitted += 1;
            }
            let record = Record::Evidence(ev);
            if let Err(e) = writer.append(&record) {
                failure = Some(e);
                // Stop the engine; nothing more can be kept.
                let _ = stop_for_writer.send(true);
                break;
            }
            if let (Some(f), Record::Evidence(ev)) = (&on_record, &record) {
                f(ev);
            }
        }
        (writer, rows, omitted, failure)
    });

    // Forward the caller's stop signal to the engine.
    let mut outer_stop = stop;
    let forward_stop = stop_tx.clone();
    let forwarder = tokio::spawn(async move {
        if outer_stop.wait_for(|s| *s).await.is_ok() {
            let _ = forward_stop.send(true);
        }
    });

    let net = Net::with_clock(connector, settings.limits(), settings.allow_private, clock);
    let engine = Engine::new(net.clone(), resolver, probes, settings, &run_id, vantage);
    // Targets whose every probe is recorded are skipped; partly probed ones carry what was.
    let targets =
        plan::targets(catalog).filter_map(|mut spec| match seen.remove(spec.target.id.as_str()) {
            Some(Seen::Complete) => None,
            Some(Seen::Partial(prior)) => {
                spec.prior = Some(prior);
                Some(spec)
            }
            None => Some(spec),
        });
    let summary = engine.run(targets, tx, stop_rx).await;
    forwarder.abort();
    drop(stop_tx);

    let joined = tokio::task::spawn_blocking(move || writer_thread.join()).await;
    let Ok(Ok((writer, mut rows, rows_omitted, failure))) = joined else {
        return Err(ScanError::Write {
            file,
            written: 0,
            source: std::io::Error::other("the evidence writer thread panicked"),
        });
    };
    if let Some(source) = failure {
        return Err(ScanError::Write {
            file,
            written: writer.evidence_count(),
            source,
        });
    }
    let status = if summary.interrupted {
        RunStatus::Interrupted
    } else {
        RunStatus::Complete
    };
    let records = writer.evidence_count();
    let outcomes = writer.outcomes().clone();
    let head = writer
        .finish(&run_id, rfc3339(SystemTime::now()), status)
        .map_err(|source| ScanError::Write {
            file: file.clone(),
            written: records,
            source,
        })?;
    rows.sort_by(|a, b| (&a.target, &a.probe).cmp(&(&b.target, &b.probe)));
    Ok(ScanReport {
        run_id,
        run_dir: dir,
        evidence: file,
        status,
        records,
        outcomes,
        head,
        connections: kensa_probe::NetStats::get(&net.stats().established),
        rows,
        rows_omitted,
        resumed_after,
    })
}

/// The options that affect results, as recorded in `run-begin` (`options`): concurrency limits
/// are left out, so a resumed run may use other ones.
fn fingerprint(
    probes: &[ProbeRef],
    settings: &Settings,
    vantage: Option<&Vantage>,
    probe_options: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "tool": TOOL,
        "probes": probes,
        "probe_timeout_ms": settings.probe_timeout_ms,
        "target_deadline_ms": settings.target_deadline_ms,
        "resolve_timeout_ms": settings.resolve_timeout_ms,
        "allow_private": settings.allow_private,
        "vantage": vantage,
        "probe_options": probe_options,
    })
}

/// SHA-256 (hex) of a catalog's content: every provider and endpoint field, in catalog order;
/// not the file's path, comments or layout.
pub fn catalog_digest<C: Listing + ?Sized>(catalog: &C) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for (p, endpoints) in catalog.providers() {
        let line = serde_json::json!({
            "provider": p.id,
            "name": p.name,
            "declared_country": p.declared_country,
            "applies_for": p.applies_for,
            "client_subnets": p.client_subnets,
        });
        ctx.update(line.to_string().as_bytes());
        ctx.update(b"\n");
        for e in endpoints {
            let line = serde_json::json!({
                "host": e.host.to_string(),
                "port": e.port,
                "sni": e.sni,
                "addresses": e.addresses,
                "service": e.service,
            });
            ctx.update(line.to_string().as_bytes());
            ctx.update(b"\n");
        }
    }
    evidence::hex(ctx.finish().as_ref())
}

/// What the earlier sessions recorded for a target.
enum Seen {
    /// Every probe of the run.
    Complete,
    /// Some probes.
    Partial(Prior),
}

/// What a resumed run must match.
struct Wanted<'a> {
    probes: &'a [Arc<dyn Probe>],
    catalog_digest: &'a str,
    options: &'a serde_json::Value,
    options_digest: &'a str,
}

/// A run read for resuming.
struct Reopened {
    run_id: String,
    tail: evidence::ChainTail,
    /// Bytes of a torn last line to drop.
    dropped: u64,
    seen: HashMap<String, Seen>,
}

/// Read the run's evidence for resuming: check its chain and digests, and what each target
/// has. Only partly probed targets keep their observations, so memory follows what was in
/// flight when the run stopped.
fn reopen(file: &Path, wanted: &Wanted<'_>) -> Result<Reopened, Refusal> {
    let name = file.display().to_string();
    let planned = wanted.probes.len();
    let mut begin: Option<RunBegin> = None;
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let tail = evidence::read_chain(file, |v| match v.record {
        Record::RunBegin(b) => begin = Some(b.clone()),
        Record::Evidence(e) => {
            let Some((probe, chains)) = wanted
                .probes
                .iter()
                .map(|p| (p.id(), p.chain_reader()))
                .find(|(id, _)| *id == e.probe)
            else {
                return;
            };
            let entry = seen.entry(e.target.id.clone()).or_insert_with(|| {
                Seen::Partial(Prior {
                    target: e.target.clone(),
                    done: Vec::new(),
                    resolve_error: None,
                })
            });
            if let Seen::Partial(prior) = entry {
                if !prior.done.iter().any(|d| d.probe == probe) {
                    prior.done.push(Earlier {
                        probe,
                        outcome: e.outcome,
                        observation: e.observation.clone(),
                        chains,
                    });
                }
                if e.target.address_source == AddressSource::Unresolved
                    && prior.resolve_error.is_none()
                {
                    prior.resolve_error.clone_from(&e.error);
                }
                if prior.done.len() >= planned {
                    *entry = Seen::Complete;
                }
            }
        }
        Record::RunResume(_) | Record::RunEnd(_) => {}
    })
    .map_err(|source| Refusal::Unreadable {
        file: name.clone(),
        source,
    })?;
    let report = &tail.report;
    match (report.integrity, report.run_status) {
        (Integrity::Tampered, _) => {
            let (line, message) = report
                .problem
                .as_ref()
                .map(|p| (p.line, p.message.clone()))
                .unwrap_or((0, "unknown problem".into()));
            return Err(Refusal::Tampered {
                file: name,
                line,
                message,
            });
        }
        (Integrity::Intact, Some(RunStatus::Complete)) => {
            return Err(Refusal::Complete {
                records: report.evidence_records,
            });
        }
        _ => {}
    }
    let Some(begin) = begin else {
        return Err(Refusal::NoDigests);
    };
    let (Some(recorded_catalog), Some(recorded_digest)) =
        (begin.catalog_digest, begin.options_digest)
    else {
        return Err(Refusal::NoDigests);
    };
    if recorded_catalog != wanted.catalog_digest {
        return Err(Refusal::CatalogDiffers {
            recorded: recorded_catalog,
            now: wanted.catalog_digest.to_owned(),
        });
    }
    if recorded_digest != wanted.options_digest {
        let recorded = begin.options.unwrap_or_default();
        let mut differences = Vec::new();
        differ("", &recorded, wanted.options, &mut differences);
        if differences.is_empty() {
            differences.push(format!(
                "options_digest {recorded_digest} recorded, {} now",
                wanted.options_digest
            ));
        }
        return Err(Refusal::OptionsDiffer {
            differences: differences.join("; "),
        });
    }
    let len = std::fs::metadata(file)
        .map_err(|source| Refusal::Unreadable {
            file: name.clone(),
            source,
        })?
        .len();
    Ok(Reopened {
        run_id: begin.run_id,
        dropped: len.saturating_sub(tail.intact_bytes),
        tail,
        seen,
    })
}

/// The differences between two JSON values, as `path: recorded → now`, object keys descended.
fn differ(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    if let (Value::Object(x), Value::Object(y)) = (a, b) {
        let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
        for k in keys {
            let sub = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            differ(
                &sub,
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
                out,
            );
        }
    } else if a != b {
        out.push(format!("{path}: {} → {}", brief(a), brief(b)));
    }
}

/// A value's compact JSON, cut at 80 characters.
fn brief(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// A new run id: UTC time plus 6 random hex digits (`20261122T031500Z-1a2b3c`).
pub fn new_run_id() -> String {
    let now = time::OffsetDateTime::now_utc();
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let stamp = now.format(&fmt).unwrap_or_else(|_| "run".to_owned());
    let mut r = [0u8; 3];
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut r);
    format!("{stamp}-{:02x}{:02x}{:02x}", r[0], r[1], r[2])
}

/// The default run directory for a run id: `runs/<run id>`.
pub fn default_run_dir(run_id: &str) -> PathBuf {
    Path::new("runs").join(run_id)
}

/// The scan summary's line naming the DNS resolvers the scan asked (issue 23: without
/// `--resolver` the system's are asked, which should never be silent). `None` when the scan
/// asks no resolver: every host is an IP literal or has pinned addresses, and `dns.resolve`
/// does not run.
pub fn resolvers_note<C: Listing + ?Sized>(
    catalog: &C,
    config: &crate::config::ScanConfig,
) -> Option<String> {
    let dns_probe = config.runs("dns.resolve");
    let asks = catalog
        .providers()
        .flat_map(|(_, endpoints)| endpoints)
        .any(|e| {
            matches!(e.host, kensa_probe::Host::Name(_)) && (dns_probe || e.addresses.is_empty())
        });
    if !asks {
        return None;
    }
    if !config.resolvers.is_empty() {
        let asked: Vec<String> = config
            .resolvers
            .iter()
            .map(|r| {
                crate::config::parse_resolver(r)
                    .map(|a| a.to_string())
                    .unwrap_or_else(|_| r.clone())
            })
            .collect();
        return Some(format!("DNS: asked {} (--resolver)", asked.join(", ")));
    }
    Some(match kensa_probe_dns::system_resolvers() {
        Ok(found) => {
            let asked: Vec<String> = found.iter().map(|r| r.addr.to_string()).collect();
            format!(
                "DNS: asked the system's resolvers {} (/etc/resolv.conf; --resolver to choose)",
                asked.join(", ")
            )
        }
        Err(e) => format!(
            "DNS: the system's resolver configuration could not be read ({e}); --resolver \
             names the resolvers to ask"
        ),
    })
}

/// What to do when `--out DIR` holds a run already (issue 23: not `File exists (os error
/// 17)`): a run that did not complete can be resumed; a complete (or unreadable, or
/// tampered) one cannot, so only a new `--out` is offered for it.
pub fn existing_run_hint(dir: &str) -> String {
    let report = evidence::verify(&evidence::evidence_path(Path::new(dir)));
    let resumable = report.as_ref().is_ok_and(|r| {
        r.integrity == Integrity::Incomplete
            || (r.integrity == Integrity::Intact && r.run_status == Some(RunStatus::Interrupted))
    });
    if resumable {
        format!(
            "{dir} holds a run already that did not complete (its evidence.jsonl exists and \
             is never overwritten): complete it with `--resume {dir}`, or choose a new `--out` \
             directory"
        )
    } else {
        let what = match report {
            Ok(r) if r.integrity == Integrity::Intact => "a complete run",
            Ok(r) if r.integrity == Integrity::Tampered => "a run that fails verification",
            _ => "an evidence file",
        };
        format!(
            "{dir} holds {what} already (its evidence.jsonl exists and is never \
             overwritten): choose a new `--out` directory"
        )
    }
}

//! One scan: catalog in, hash-chained evidence out.
//!
//! The evidence file is created (and `run-begin` written) before any probe runs, so an
//! unwritable output directory stops the scan before it touches the network. A single writer
//! thread appends each record as it arrives; if writing fails mid-run, the engine is stopped and
//! what was written stays verifiable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use kensa_probe::{Connector, Net, Outcome};
use serde::Serialize;
use tokio::sync::{mpsc, watch};

use crate::catalog::Catalog;
use crate::engine::{Engine, Gathered, Resolve, Settings};
use crate::evidence::{
    Evidence, EvidenceWriter, ProbeRef, ProviderInfo, Record, RunBegin, RunStatus, SCHEMA_VERSION,
    Vantage,
};
use crate::probes::Probe;
use crate::{TOOL, plan, rfc3339};

/// A callback run by the writer for each evidence record it wrote.
pub type RecordHook = Box<dyn Fn(&Evidence) + Send>;

/// Everything a scan needs besides the catalog.
pub struct ScanOptions {
    /// The run directory to create.
    pub out: PathBuf,
    /// The run id.
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
}

impl std::fmt::Debug for ScanOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanOptions")
            .field("out", &self.out)
            .field("run_id", &self.run_id)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Why a scan could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The run directory or evidence file could not be created.
    #[error("cannot create the evidence file in {dir}: {source}")]
    Create {
        /// The run directory.
        dir: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing evidence failed mid-run; the records before it are intact.
    #[error(
        "writing evidence to {file} failed after {written} records: {source}; \
         the records written are intact (check with `kensa verify`)"
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
    /// One row per evidence record, sorted by target then probe.
    pub rows: Vec<Row>,
}

/// Run a scan of `catalog`. `stop` turning true interrupts it (Ctrl-C).
pub async fn scan(
    catalog: &Catalog,
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
    } = opts;
    let dir = out.display().to_string();
    let mut writer = EvidenceWriter::create(&out).map_err(|source| ScanError::Create {
        dir: dir.clone(),
        source,
    })?;
    let file = writer.path().display().to_string();
    let begin = Record::RunBegin(RunBegin {
        schema_version: SCHEMA_VERSION,
        run_id: run_id.clone(),
        tool: TOOL.to_owned(),
        started_at: rfc3339(SystemTime::now()),
        catalog: catalog.source.clone(),
        providers: catalog.providers.len(),
        endpoints: catalog.endpoint_count(),
        probes: probes
            .iter()
            .map(|p| ProbeRef {
                id: p.id().to_owned(),
                version: p.version().to_owned(),
            })
            .collect(),
        vantage: vantage.clone(),
        settings: serde_json::to_value(settings).unwrap_or_default(),
        provider_details: catalog
            .providers
            .iter()
            .map(|p| ProviderInfo {
                id: p.id.clone(),
                name: Some(p.name.clone()),
                declared_country: p.declared_country.clone(),
                applies_for: p.applies_for.clone(),
            })
            .collect(),
    });
    writer.append(&begin).map_err(|source| ScanError::Create {
        dir: dir.clone(),
        source,
    })?;

    let (tx, mut rx) = mpsc::channel::<Gathered>(1024);
    let (stop_tx, stop_rx) = watch::channel(false);
    let stop_for_writer = stop_tx.clone();
    let writer_thread = std::thread::spawn(move || {
        let mut rows = Vec::new();
        let mut failure = None;
        while let Some(Gathered {
            evidence: ev,
            summary,
        }) = rx.blocking_recv()
        {
            rows.push(Row {
                target: ev.target.id.clone(),
                probe: ev.probe.clone(),
                outcome: ev.outcome,
                detail: summary,
            });
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
        (writer, rows, failure)
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
    let summary = engine.run(plan::targets(catalog), tx, stop_rx).await;
    forwarder.abort();
    drop(stop_tx);

    let joined = tokio::task::spawn_blocking(move || writer_thread.join()).await;
    let Ok(Ok((writer, mut rows, failure))) = joined else {
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
    })
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

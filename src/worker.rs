//! `kensa worker`: claims jobs of its vantage from the PostgreSQL queue, scans their targets,
//! and records each job's evidence as a hash chain of its own.
//!
//! The loop: put back jobs whose lease expired ([`Pg::reap`]), claim up to `batch` jobs
//! ([`Pg::claim`], `FOR UPDATE SKIP LOCKED`), scan them in one scan (one per run), heartbeat
//! the lease meanwhile, and record the results ([`Pg::complete`], refused when the lease was
//! lost). Idle, it waits for a `NOTIFY` on [`queue::CHANNEL`] (or a lease period, to put back
//! expired leases and heartbeat); it never polls in a loop. Errors talking to the database
//! (a restarted server) are logged and retried with a backoff; the pool reconnects.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::watch;

use crate::catalog::Catalog;
use crate::evidence::{self, GENESIS, ProviderInfo, Record, RunEnd, RunStatus, Vantage};
use crate::pg::queue::{self, Job, JobResult, Refused, RunInfo, WorkerIdent};
use crate::pg::store::Line;
use crate::pg::{Pg, PgError, PoolSettings};
use crate::probes::ProbeId;

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// The database URL.
    pub url: String,
    /// Its vantage (name and place).
    pub vantage: Vantage,
    /// Its id in the `workers` table.
    pub worker_id: String,
    /// How long a claimed job is the worker's without a heartbeat.
    pub lease: Duration,
    /// Jobs claimed (and scanned) at once.
    pub batch: i64,
    /// The connection pool.
    pub pool: PoolSettings,
    /// Stop when no job of the vantage is queued or running.
    pub exit_when_idle: bool,
}

/// What a worker did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct WorkerSummary {
    /// The worker id.
    pub worker_id: String,
    /// Jobs recorded.
    pub jobs_done: usize,
    /// Jobs whose result was refused because the lease was lost.
    pub lease_lost: usize,
    /// Jobs refused for duplicate evidence.
    pub duplicate: usize,
    /// Scans that failed (their jobs were given back).
    pub scans_failed: usize,
    /// Runs whose last job this worker recorded.
    pub runs_done: Vec<String>,
    /// Runs this worker assessed, recorded and diffed (their completion).
    pub runs_completed: Vec<String>,
    /// Connections its scans opened to targets.
    pub connections: u64,
    /// Queued jobs this worker will not take.
    pub refused: Vec<Refused>,
}

/// Why a worker stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The database could not be used at start.
    #[error(transparent)]
    Db(#[from] PgError),
}

/// The probe ids this kensa knows.
pub fn known_probes() -> Vec<String> {
    ProbeId::ALL.iter().map(|p| p.as_str().to_owned()).collect()
}

/// A default worker id: `HOST-PID-RANDOM`.
pub fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".into());
    format!("{host}-{}-{}", std::process::id(), queue::random_hex(2))
}

/// Run a worker until `stop` (or, with `exit_when_idle`, until its vantage has no work).
pub async fn run(
    opts: WorkerOptions,
    mut stop: watch::Receiver<bool>,
) -> Result<WorkerSummary, WorkerError> {
    let pg = Pg::connect(&opts.url, opts.pool).await?;
    let me = WorkerIdent {
        id: opts.worker_id.clone(),
        vantage: opts.vantage.clone(),
    };
    pg.register_worker(&me).await?;
    let known = known_probes();
    let mut summary = WorkerSummary {
        worker_id: me.id.clone(),
        ..WorkerSummary::default()
    };
    tracing::info!(
        worker = %me.id,
        vantage = %me.vantage.name,
        "worker started on {} (lease {:?}, batch {})",
        pg.name(),
        opts.lease,
        opts.batch
    );
    let tick = (opts.lease / 3).clamp(Duration::from_millis(200), Duration::from_secs(10));
    let mut listener: Option<(
        tokio_postgres::Client,
        tokio::sync::mpsc::UnboundedReceiver<String>,
    )> = None;
    let mut last_reap: Option<Instant> = None;
    let mut backoff = Duration::from_millis(200);
    let mut reported: HashSet<String> = HashSet::new();
    let mut runs: HashMap<String, RunState> = HashMap::new();
    loop {
        if *stop.borrow() {
            break;
        }
        if listener.is_none() {
            match pg.listen(queue::CHANNEL).await {
                Ok(l) => listener = Some(l),
                Err(e) => tracing::warn!("LISTEN failed (retrying): {e}"),
            }
        }
        if last_reap.is_none_or(|t| t.elapsed() >= tick) {
            match pg.reap().await {
                Ok(_) => {
                    last_reap = Some(Instant::now());
                    // Runs whose completion a worker left unfinished (it died), or that
                    // failed and are due again.
                    match pg.runs_to_complete().await {
                        Ok(runs) => complete_runs(&pg, &me.id, runs, &mut summary).await,
                        Err(e) => tracing::warn!("database error: {e}"),
                    }
                }
                Err(e) => {
                    tracing::warn!("database error (retrying in {backoff:?}): {e}");
                    sleep_or_stop(backoff, &mut stop).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    continue;
                }
            }
        }
        let (token, jobs) = match pg.claim(&me, &known, opts.batch, opts.lease).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("database error (retrying in {backoff:?}): {e}");
                sleep_or_stop(backoff, &mut stop).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        backoff = Duration::from_millis(200);
        if jobs.is_empty() {
            match pg.refused_jobs(&me.vantage.name, &known).await {
                Ok(refused) => {
                    for r in &refused {
                        if reported.insert(r.run_id.clone()) {
                            tracing::error!("{r}");
                        }
                    }
                    summary.refused = refused;
                }
                Err(e) => tracing::warn!("database error: {e}"),
            }
            if opts.exit_when_idle {
                match pg.pending_for(&me.vantage.name, &known).await {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => tracing::warn!("database error: {e}"),
                }
            }
            let _ = pg.heartbeat(&me.id, None, opts.lease).await;
            // Idle: wait for a NOTIFY, a tick (expired leases, heartbeat), or stop.
            let notified = async {
                match listener.as_mut() {
                    Some((_, rx)) => rx.recv().await.is_some(),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                alive = notified => {
                    if !alive {
                        tracing::warn!("the LISTEN connection closed: reconnecting");
                        listener = None;
                        sleep_or_stop(backoff, &mut stop).await;
                    }
                }
                () = tokio::time::sleep(tick) => {}
                _ = stop.changed() => {}
            }
            continue;
        }
        process(&pg, &me, &opts, &token, jobs, &mut runs, &mut summary).await;
    }
    let _ = pg.worker_stopped(&me.id).await;
    tracing::info!(
        "worker stopped: {} jobs recorded, {} refused (lease lost), {} duplicate",
        summary.jobs_done,
        summary.lease_lost,
        summary.duplicate
    );
    Ok(summary)
}

/// Complete each of `runs` whose completion this worker can take ([`Pg::claim_completion`]):
/// assessed with every vantage's evidence, recorded, diffed, webhook told
/// ([`crate::pg::complete::complete_run`], on the blocking pool).
async fn complete_runs(pg: &Pg, me: &str, runs: Vec<String>, summary: &mut WorkerSummary) {
    for run in runs {
        match pg.claim_completion(&run, me).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!("run {run}: cannot take its completion: {e}");
                continue;
            }
        }
        let (p, h, r) = (pg.clone(), tokio::runtime::Handle::current(), run.clone());
        let done =
            tokio::task::spawn_blocking(move || crate::pg::complete::complete_run(&p, &h, &r))
                .await;
        match done {
            Ok(Ok(s)) => {
                tracing::info!(
                    "run {run}: assessed with every vantage's evidence and recorded ({}                      providers{})",
                    s.providers.len(),
                    if s.regression { ", REGRESSED" } else { "" }
                );
                summary.runs_completed.push(run);
            }
            Ok(Err(e)) => tracing::error!(
                "run {run}: completion failed: {e}; tried again after {:?}",
                crate::pg::complete::COMPLETION_LEASE
            ),
            Err(e) => tracing::error!("run {run}: completion failed: {e}"),
        }
    }
}

async fn sleep_or_stop(d: Duration, stop: &mut watch::Receiver<bool>) {
    tokio::select! {
        () = tokio::time::sleep(d) => {}
        _ = stop.changed() => {}
    }
}

/// Scan and record one claimed batch, run by run.
async fn process(
    pg: &Pg,
    me: &WorkerIdent,
    opts: &WorkerOptions,
    token: &str,
    jobs: Vec<Job>,
    runs: &mut HashMap<String, RunState>,
    summary: &mut WorkerSummary,
) {
    let claimed = u64::try_from(jobs.len()).unwrap_or(u64::MAX);
    // Heartbeat the lease while scanning; a lost lease is noted (the results will be refused).
    let lost = Arc::new(AtomicBool::new(false));
    let (lost_tx, lost_rx) = watch::channel(false);
    let hb = {
        let (pg, id, token, lost) = (pg.clone(), me.id.clone(), token.to_owned(), lost.clone());
        let every = (opts.lease / 3).max(Duration::from_millis(100));
        let lease = opts.lease;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                match pg.heartbeat(&id, Some(&token), lease).await {
                    Ok(n) if n < claimed && !lost.swap(true, Ordering::SeqCst) => {
                        tracing::warn!(
                            "lease lost for {} of {claimed} jobs: stopping the scan; its results \
                             would be refused",
                            claimed - n
                        );
                        let _ = lost_tx.send(true);
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!("heartbeat failed: {e}"),
                }
            }
        })
    };
    let mut by_run: BTreeMap<String, Vec<Job>> = BTreeMap::new();
    for j in jobs {
        by_run.entry(j.run_id.clone()).or_default().push(j);
    }
    // Keep the set-up of this batch's runs only: a long-running worker does not hold every
    // past run's probes (trust stores, geolocation databases) in memory.
    runs.retain(|id, _| by_run.contains_key(id));
    // Politeness across scans: a host scanned by the previous scan of this batch waits for
    // that scan's per-host bucket to refill before the next scan's fresh one starts.
    let mut last: Option<(HashSet<String>, Instant)> = None;
    let mut free_at = Instant::now();
    for (run_id, jobs) in by_run {
        let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
        let hosts: HashSet<String> = jobs.iter().map(|j| j.host.clone()).collect();
        if let Some((before, until)) = &last
            && !before.is_disjoint(&hosts)
        {
            tokio::time::sleep_until((*until).into()).await;
        }
        let outcome = scan_and_chain(pg, opts, &run_id, &jobs, runs, lost_rx.clone()).await;
        let until = match &outcome {
            Ok((_, until, connections)) => {
                summary.connections += connections;
                *until
            }
            // A failed scan: as if it had used every host's whole burst just now.
            Err(_) => {
                Instant::now()
                    + runs
                        .get(&run_id)
                        .map_or(Duration::ZERO, |r| refill_time(&r.info.config))
            }
        };
        free_at = free_at.max(until);
        last = Some((hosts, until));
        let outcome = outcome.map(|(r, _, _)| r);
        match outcome {
            Ok(results) => {
                let deadline = Instant::now() + opts.lease;
                let mut wait = Duration::from_millis(200);
                loop {
                    match pg.complete(&me.id, token, &results).await {
                        Ok(c) => {
                            summary.jobs_done += c.done.len();
                            summary.lease_lost += c.lease_lost.len();
                            summary.duplicate += c.duplicate.len();
                            for r in &c.runs_done {
                                tracing::info!("run {r}: its last job is recorded");
                                summary.runs_done.push(r.clone());
                            }
                            complete_runs(pg, &me.id, c.runs_done, summary).await;
                            break;
                        }
                        Err(e) if Instant::now() < deadline => {
                            tracing::warn!("recording failed (retrying in {wait:?}): {e}");
                            tokio::time::sleep(wait).await;
                            wait = (wait * 2).min(Duration::from_secs(5));
                        }
                        Err(e) => {
                            tracing::error!(
                                "recording failed until the lease ran out: {e}; the jobs will be \
                                 run again by a worker"
                            );
                            break;
                        }
                    }
                }
            }
            Err(why) => {
                summary.scans_failed += 1;
                tracing::error!("run {run_id}: scanning {} jobs failed: {why}", ids.len());
                if let Err(e) = pg.release(token, &ids, &why).await {
                    tracing::warn!("could not give the jobs back ({e}); their lease will expire");
                }
            }
        }
    }
    hb.abort();
    let cooldown = free_at.saturating_duration_since(Instant::now());
    if let Err(e) = pg.release_hosts(token, cooldown).await {
        tracing::warn!("could not let go of the hosts ({e}); their lease will expire");
    }
}

/// How long a host's token bucket takes to refill after a scan: `burst_per_host /
/// rate_per_host` (nothing without a rate).
pub fn refill_time(config: &crate::config::ScanConfig) -> Duration {
    let s = &config.settings;
    if s.rate_per_host == 0 {
        return Duration::ZERO;
    }
    Duration::from_secs_f64(f64::from(s.burst_per_host.max(1)) / f64::from(s.rate_per_host))
}

async fn scan_and_chain(
    pg: &Pg,
    opts: &WorkerOptions,
    run_id: &str,
    jobs: &[Job],
    runs: &mut HashMap<String, RunState>,
    stop: watch::Receiver<bool>,
) -> Result<(Vec<JobResult>, Instant, u64), String> {
    if !runs.contains_key(run_id) {
        let info = pg.run_info(run_id).await.map_err(|e| e.to_string())?;
        let catalog = crate::catalog::parse(&info.catalog_source, &info.catalog_text)
            .map_err(|e| format!("the run's catalog does not parse: {e}"))?;
        let (config, prepared) = prepare(&info, &opts.vantage)?;
        runs.insert(
            run_id.to_owned(),
            RunState {
                info,
                catalog,
                config,
                prepared,
            },
        );
    }
    let run = runs
        .get(run_id)
        .ok_or_else(|| "the run vanished".to_owned())?;
    let (info, catalog) = (&run.info, &run.catalog);
    let wanted: HashSet<&str> = jobs.iter().map(|j| j.target.as_str()).collect();
    let mut part = catalog.clone();
    for p in &mut part.providers {
        let id = p.id.clone();
        p.endpoints
            .retain(|e| wanted.contains(e.target_id(&id).as_str()));
    }
    part.providers.retain(|p| !p.endpoints.is_empty());
    if part.endpoint_count() != jobs.len() {
        return Err(format!(
            "{} of the jobs' targets are not in the run's catalog",
            jobs.len().saturating_sub(part.endpoint_count())
        ));
    }
    let dir = tempfile::Builder::new()
        .prefix("kensa-job-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let out = dir.path().join("run");
    let started = Instant::now();
    let (connections, records) = scan_jobs(run, &part, &out, stop).await?;
    let free_at = bucket_full_at(&info.config, started, Instant::now(), connections);
    Ok((
        chain_results(info, catalog, jobs, &opts.vantage, &out, records)?,
        free_at,
        connections,
    ))
}

/// When every host's token bucket of a scan is full again, at the latest: the scan began
/// at `started` with full buckets and ended at `ended` after `connections` connections in all
/// (to any host). A GCRA bucket's theoretical arrival time grows by `1 / rate` a connection
/// from at most `started`, and is at most one interval past the last connection: so it is
/// at most `max(started + connections / rate, ended + 1 / rate)`.
pub fn bucket_full_at(
    config: &crate::config::ScanConfig,
    started: Instant,
    ended: Instant,
    connections: u64,
) -> Instant {
    let rate = config.settings.rate_per_host;
    if rate == 0 || connections == 0 {
        return ended;
    }
    #[allow(clippy::cast_precision_loss)]
    let spent = Duration::from_secs_f64(connections as f64 / f64::from(rate));
    (started + spent).max(ended + Duration::from_secs_f64(1.0 / f64::from(rate)))
}

/// What a worker keeps of a run it has jobs of: the run, its catalog, and its scan set up
/// once ([`crate::probes::prepare`]: probes, trust stores, resolvers, residency sources), so
/// each batch's scan does not build them again.
pub struct RunState {
    info: RunInfo,
    catalog: Catalog,
    config: crate::config::ScanConfig,
    prepared: crate::probes::Prepared,
}

/// The run's scan configuration from `vantage`, its data files found in this worker's data
/// directory, and its probes set up.
fn prepare(
    run: &RunInfo,
    vantage: &Vantage,
) -> Result<(crate::config::ScanConfig, crate::probes::Prepared), String> {
    let mut config = run.config.clone();
    config.vantage = Some(vantage.clone());
    let missing = config.locate(&[crate::config::data_dir(None)]);
    if !missing.is_empty() {
        return Err(format!(
            "the run's geolocation files are not in this worker's data directory: {}",
            missing.join(", ")
        ));
    }
    let prepared = crate::probes::prepare(&config).map_err(|e| e.to_string())?;
    Ok((config, prepared))
}

/// The one place the worker runs a scan: `part` (the jobs' targets) with the run's scan
/// configuration and probes as set up once ([`RunState`]), into the run directory `out` under
/// the run's id (what [`crate::scan::run`] does, without setting the probes up again); `stop`
/// interrupts it (the lease was lost). Returns the connections opened and the evidence
/// records as written (kept as the scan writes them, so its file is not read back).
async fn scan_jobs(
    run: &RunState,
    part: &Catalog,
    out: &Path,
    stop: watch::Receiver<bool>,
) -> Result<(u64, Vec<evidence::Evidence>), String> {
    let p = &run.prepared;
    let kept: Arc<std::sync::Mutex<Vec<evidence::Evidence>>> = Arc::default();
    let hook = {
        let kept = Arc::clone(&kept);
        move |e: &evidence::Evidence| {
            if let Ok(mut k) = kept.lock() {
                k.push(e.clone());
            }
        }
    };
    let opts = crate::scan::ScanOptions {
        run_id: run.info.run_id.clone(),
        out: out.to_owned(),
        settings: run.config.settings,
        vantage: run.config.vantage.clone(),
        probes: p.probes.clone(),
        connector: Arc::new(kensa_probe::TcpConnector),
        resolver: Arc::clone(&p.resolver),
        on_record: Some(Box::new(hook)),
        clock: Arc::new(kensa_probe::SystemClock),
        resume: false,
        probe_options: p.probe_options.clone(),
    };
    let report = crate::scan::scan(part, opts, stop)
        .await
        .map_err(|e| e.to_string())?;
    match report.status {
        RunStatus::Complete => {
            let records = std::mem::take(
                &mut *kept
                    .lock()
                    .map_err(|_| "the scan's records were lost".to_owned())?,
            );
            Ok((report.connections, records))
        }
        RunStatus::Interrupted => Err("the scan was interrupted".into()),
    }
}

/// Split the batch's evidence into one chain per job: `run-begin` (the scan's, naming the
/// run, its catalog digest and the job's provider), the job's records as written, `run-end`.
fn chain_results(
    info: &RunInfo,
    catalog: &Catalog,
    jobs: &[Job],
    vantage: &Vantage,
    out: &Path,
    records: Vec<evidence::Evidence>,
) -> Result<Vec<JobResult>, String> {
    // The scan's `run-begin` is its file's first line; its records were kept as written.
    let file = out.join(evidence::EVIDENCE_FILE);
    let mut first = String::new();
    std::fs::File::open(&file)
        .and_then(|f| std::io::BufRead::read_line(&mut std::io::BufReader::new(f), &mut first))
        .map_err(|e| format!("cannot read the scan's evidence: {e}"))?;
    let begin = serde_json::from_str::<serde_json::Value>(&first)
        .ok()
        .filter(|v| v.get("type").and_then(serde_json::Value::as_str) == Some("run-begin"))
        .and_then(|mut v| v.get_mut("data").map(serde_json::Value::take))
        .and_then(|d| serde_json::from_value::<evidence::RunBegin>(d).ok())
        .ok_or_else(|| "the scan wrote no run-begin".to_owned())?;
    let mut by_target: HashMap<String, Vec<evidence::Evidence>> = HashMap::new();
    for e in records {
        by_target.entry(e.target.id.clone()).or_default().push(e);
    }
    let finished = crate::rfc3339(std::time::SystemTime::now());
    let enc = |prev: &str, seq: u64, r: &Record| {
        evidence::encode_line(prev, seq, r)
            .map(|(line, hash)| (line.trim_end_matches('\n').to_owned(), hash))
            .map_err(|e| format!("cannot encode a record: {e}"))
    };
    let mut results = Vec::new();
    for job in jobs {
        let provider = catalog.providers.iter().find(|p| p.id == job.provider);
        let b = evidence::RunBegin {
            run_id: info.run_id.clone(),
            catalog: info.catalog_source.clone(),
            providers: 1,
            endpoints: 1,
            vantage: Some(vantage.clone()),
            provider_details: provider
                .map(|p| ProviderInfo {
                    id: p.id.clone(),
                    name: Some(p.name.clone()),
                    declared_country: p.declared_country.clone(),
                    applies_for: p.applies_for.clone(),
                    declaration: p.declared.as_deref().cloned(),
                })
                .into_iter()
                .collect(),
            catalog_digest: Some(info.catalog_digest.clone()),
            ..begin.clone()
        };
        let (begin_line, mut prev) = enc(GENESIS, 0, &Record::RunBegin(b))?;
        let mut seq = 1u64;
        let mut lines = Vec::new();
        let mut outcomes = BTreeMap::new();
        for e in by_target.remove(&job.target).unwrap_or_default() {
            *outcomes.entry(e.outcome).or_insert(0u64) += 1;
            let rec = Record::Evidence(e);
            let (text, hash) = enc(&prev, seq, &rec)?;
            if let Record::Evidence(e) = &rec {
                lines.push(Line::of_evidence(seq, hash.clone(), text, e));
            }
            prev = hash;
            seq += 1;
        }
        let end = Record::RunEnd(RunEnd {
            run_id: info.run_id.clone(),
            finished_at: finished.clone(),
            status: RunStatus::Complete,
            records: u64::try_from(lines.len()).unwrap_or(u64::MAX),
            outcomes,
            head: prev.clone(),
        });
        let (end_line, _) = enc(&prev, seq, &end)?;
        results.push(JobResult {
            job_id: job.id,
            run_id: info.run_id.clone(),
            vantage: job.vantage.clone(),
            begin: begin_line,
            evidence: lines,
            end: end_line,
        });
    }
    Ok(results)
}

//! Run completion: when the last job of a queued run ends, the run is assessed with every
//! vantage's evidence, recorded in the store, diffed against each provider's previous run,
//! and the re-check webhook fires — the library steps `kensa recheck` takes locally
//! ([`crate::pipeline::grade`], [`crate::store::RunStore::record_run`],
//! [`crate::recheck::provider_rechecks`], [`crate::recheck::notify`]).
//!
//! - The worker whose batch finished the run takes its completion under a lease
//!   ([`Pg::claim_completion`], [`COMPLETION_LEASE`]); a worker that dies while completing
//!   leaves it to the next worker that looks ([`Pg::runs_to_complete`], on every reap tick).
//! - The run as assessed and recorded ([`Pg::gathered_run`]) is one chain: a `run-begin`
//!   naming the whole catalog, every vantage's verified records (the vantages in the reverse
//!   of their enqueued order, so for probes every vantage sees alike the first named vantage's
//!   record is the one graded), and each target's `geo.residency` judged again with the RTT
//!   discs of every vantage that measured it ([`crate::residency::multi_vantage_geo`]).
//!   Its evidence rows stay the jobs' (one per vantage); its lines are kept in `run_lines`.
//! - Recording is idempotent (a run already recorded is read back, not graded again); the
//!   webhook fires at least once (a worker that dies between the POST and noting it may
//!   cause a second POST).
//! - `kensa recheck --db postgres://… --vantages A,B` ([`enqueue_cycle`]) enqueues under the
//!   store's advisory cycle lock, waits for the completion (`LISTEN` on
//!   [`super::queue::RUNS_CHANNEL`]) and prints the same summary.

use std::time::Duration;

use super::queue::{NewRun, RUNS_CHANNEL};
use super::store::PgRunStore;
use super::{Pg, PgError};
use crate::evidence::{EvidenceWriter, Record, RunStatus};
use crate::recheck::{RecheckError, RecheckOptions, RecheckSummary};
use crate::store::{LoadedRun, RunStore as _, StoreError};

/// How long a worker holds a run's completion before another may take it over (and how long
/// a failed completion waits before it is tried again).
pub const COMPLETION_LEASE: Duration = Duration::from_secs(300);

/// Why a run could not be completed.
#[derive(Debug, thiserror::Error)]
pub enum CompletionError {
    /// The database.
    #[error(transparent)]
    Db(#[from] PgError),
    /// Grading or the store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The diff.
    #[error(transparent)]
    Recheck(#[from] RecheckError),
}

/// A run's completion, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionState {
    /// When it was assessed and recorded.
    pub assessed: Option<String>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// Jobs not yet done or failed.
    pub remaining: i64,
}

impl Pg {
    /// Take the completion of `run_id` for `worker`: only a run whose jobs are all finished,
    /// not yet assessed, and whose completion nobody holds (or whose holder's lease expired).
    pub async fn claim_completion(&self, run_id: &str, worker: &str) -> Result<bool, PgError> {
        let c = self.client().await?;
        c.query_opt(
            "UPDATE queue_runs SET completing_by = $2,
                    completing_until = now() + make_interval(secs => $3)
             WHERE run_id = $1 AND state = 'done' AND assessed IS NULL
               AND (completing_until IS NULL OR completing_until < now())
             RETURNING 1",
            &[&run_id, &worker, &COMPLETION_LEASE.as_secs_f64()],
        )
        .await
        .map(|r| r.is_some())
        .map_err(|e| self.err("take a run's completion", &e))
    }

    /// Runs whose jobs are all finished but that are not assessed yet, and whose completion
    /// nobody holds.
    pub async fn runs_to_complete(&self) -> Result<Vec<String>, PgError> {
        let c = self.client().await?;
        Ok(c.query(
            "SELECT run_id FROM queue_runs
                 WHERE state = 'done' AND assessed IS NULL
                   AND (completing_until IS NULL OR completing_until < now())
                 ORDER BY finished",
            &[],
        )
        .await
        .map_err(|e| self.err("look for runs to complete", &e))?
        .iter()
        .map(|r| r.get(0))
        .collect())
    }

    /// The run's completion state.
    pub async fn completion(&self, run_id: &str) -> Result<CompletionState, PgError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT assessed::text, completion_error, remaining FROM queue_runs
                 WHERE run_id = $1",
                &[&run_id],
            )
            .await
            .map_err(|e| self.err("read a run's completion", &e))?
            .ok_or_else(|| PgError::NotFound {
                db: self.name().to_owned(),
                message: format!("no queued run {run_id}"),
            })?;
        Ok(CompletionState {
            assessed: row.get(0),
            error: row.get(1),
            remaining: row.get(2),
        })
    }

    /// Note the end of a completion: assessed (with the summary, and whether the webhook was
    /// told), or failed (`error`; tried again after [`COMPLETION_LEASE`]). Announced on
    /// [`RUNS_CHANNEL`].
    async fn completion_done(
        &self,
        run_id: &str,
        summary: Option<&str>,
        notified: bool,
        error: Option<&str>,
    ) -> Result<(), PgError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE queue_runs SET
                    assessed = CASE WHEN $2::text IS NULL THEN assessed ELSE now() END,
                    summary = coalesce($2, summary),
                    notified = CASE WHEN $3 THEN now() ELSE notified END,
                    completion_error = $4,
                    completing_until = CASE WHEN $2::text IS NULL THEN completing_until END
             WHERE run_id = $1",
            &[&run_id, &summary, &notified, &error],
        )
        .await
        .map_err(|e| self.err("record a run's completion", &e))?;
        c.execute("SELECT pg_notify($1, $2)", &[&RUNS_CHANNEL, &run_id])
            .await
            .map_err(|e| self.err("announce a run's completion", &e))?;
        Ok(())
    }

    /// The whole run as one chain to assess and record (see the module documentation), and
    /// the webhook to tell. Every job chain is verified first; a run with a broken chain is
    /// refused.
    pub async fn gathered_run(
        &self,
        run_id: &str,
    ) -> Result<(LoadedRun, Option<String>), CompletionError> {
        // One read of the job chains: verified, and their records gathered per vantage.
        let (v, mut gathered) = self.verify_and_gather(run_id).await?;
        if !v.ok() {
            return Err(PgError::NotFound {
                db: self.name().to_owned(),
                message: format!(
                    "run {run_id} does not verify ({} broken chains, {} stray evidence rows); not \
                     assessed (see `kensa verify --db … {run_id}`)",
                    v.broken.len(),
                    v.orphans
                ),
            }
            .into());
        }
        let info = self.run_info(run_id).await?;
        let catalog =
            crate::catalog::parse(&info.catalog_source, &info.catalog_text).map_err(|e| {
                PgError::NotFound {
                    db: self.name().to_owned(),
                    message: format!("run {run_id}: its catalog does not parse: {e}"),
                }
            })?;
        let mut records = Vec::new();
        let mut first = None;
        for vantage in info.vantages.iter().rev() {
            let g = gathered.remove(vantage).unwrap_or_default();
            records.extend(g.records);
            first = first.or(g.first_begin);
        }
        let evidence: Vec<crate::evidence::Evidence> = records
            .iter()
            .filter_map(|r| match r {
                Record::Evidence(e) => Some(e.clone()),
                _ => None,
            })
            .collect();
        match crate::residency::multi_vantage_geo(&evidence) {
            Ok((geo, merged)) => {
                for f in &merged.flagged {
                    tracing::warn!(
                        "run {run_id}: vantage {} not trusted for residency: {}",
                        f.vantage,
                        f.reason
                    );
                }
                records.extend(geo.into_iter().map(Record::Evidence));
            }
            Err(crate::residency::MergeError::NothingToMerge) => {}
            Err(e) => {
                return Err(PgError::NotFound {
                    db: self.name().to_owned(),
                    message: format!("run {run_id}: residency: {e}"),
                }
                .into());
            }
        }
        let mut begin = super::export::whole_run_begin(&info, &catalog, first);
        begin.vantage = None;
        let unfinished: i64 = self.unfinished_per_vantage(run_id).await?.values().sum();
        let tmp = tempfile::Builder::new()
            .prefix("kensa-run-")
            .tempdir()
            .map_err(|source| PgError::Io {
                path: "a temporary directory".into(),
                source,
            })?;
        let dir = tmp.path().join("run");
        let io = |source| PgError::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut w = EvidenceWriter::create(&dir).map_err(io)?;
        w.append(&Record::RunBegin(begin)).map_err(io)?;
        for r in &records {
            w.append(r).map_err(io)?;
        }
        let status = if unfinished == 0 {
            RunStatus::Complete
        } else {
            RunStatus::Interrupted
        };
        w.finish(run_id, crate::rfc3339(std::time::SystemTime::now()), status)
            .map_err(io)?;
        let mut loaded = LoadedRun::read(&dir)?;
        loaded.dir = None;
        let c = self.client().await?;
        let webhook: Option<String> = c
            .query_one(
                "SELECT notify_webhook FROM queue_runs WHERE run_id = $1",
                &[&run_id],
            )
            .await
            .map_err(|e| self.err("read the run's webhook", &e))?
            .get(0);
        Ok((loaded, webhook))
    }

    /// Wait until `run_id` is assessed or its completion failed; the failure, if any.
    /// Wakes on [`RUNS_CHANNEL`], and looks every few seconds anyway.
    pub async fn wait_completed(&self, run_id: &str) -> Result<Option<String>, PgError> {
        let mut listener = self.listen(RUNS_CHANNEL).await.ok();
        let started = std::time::Instant::now();
        let mut told = 0u64;
        loop {
            let s = self.completion(run_id).await?;
            if s.assessed.is_some() {
                return Ok(None);
            }
            if let Some(e) = s.error {
                return Ok(Some(e));
            }
            let minutes = started.elapsed().as_secs() / 60;
            if minutes > told {
                told = minutes;
                tracing::info!(
                    "run {run_id}: waiting for the workers ({} jobs left; `kensa status`)",
                    s.remaining
                );
            }
            let wait = tokio::time::sleep(Duration::from_secs(3));
            match listener.as_mut() {
                Some((_, rx)) => {
                    tokio::select! {
                        m = rx.recv() => if m.is_none() { listener = None; },
                        () = wait => {}
                    }
                }
                None => wait.await,
            }
        }
    }
}

/// Complete `run_id`: gather it, grade and record it (unless it is recorded already), diff
/// each provider against its previous run, tell the webhook, and note the completion. For a
/// thread of `handle`'s blocking pool (`spawn_blocking`). The caller holds the completion
/// ([`Pg::claim_completion`]); a failure is noted in the run too.
pub fn complete_run(
    pg: &Pg,
    handle: &tokio::runtime::Handle,
    run_id: &str,
) -> Result<RecheckSummary, CompletionError> {
    let result = complete_inner(pg, handle, run_id);
    match &result {
        Ok((summary, notified, error)) => {
            let json = serde_json::to_string(summary).unwrap_or_default();
            handle.block_on(pg.completion_done(
                run_id,
                Some(&json),
                *notified,
                error.as_deref(),
            ))?;
        }
        Err(e) => {
            let _ = handle.block_on(pg.completion_done(run_id, None, false, Some(&e.to_string())));
        }
    }
    result.map(|(s, _, _)| s)
}

fn complete_inner(
    pg: &Pg,
    handle: &tokio::runtime::Handle,
    run_id: &str,
) -> Result<(RecheckSummary, bool, Option<String>), CompletionError> {
    let mut st = PgRunStore::with_handle(pg.clone(), handle.clone());
    let (run, webhook) = if st.contains_run(run_id)? {
        let (_, webhook) = handle.block_on(pg.gathered_run(run_id))?;
        (st.load_run(run_id)?, webhook)
    } else {
        let (loaded, webhook) = handle.block_on(pg.gathered_run(run_id))?;
        let assessment = crate::pipeline::grade(&loaded)?;
        st.record_run(&loaded, &assessment)?;
        (loaded.run, webhook)
    };
    let providers = crate::recheck::provider_rechecks(&st, &run, run_id)?;
    let summary = RecheckSummary::new(
        run_id.to_owned(),
        format!("{}#{run_id}", pg.name()),
        pg.name().to_owned(),
        providers,
    );
    let (mut notified, mut error) = (false, None);
    if let Some(url) = webhook {
        match crate::recheck::notify(&url, &summary) {
            Ok(()) => notified = true,
            Err(e) => {
                tracing::warn!("run {run_id}: {e}");
                error = Some(e.to_string());
            }
        }
    }
    Ok((summary, notified, error))
}

/// `kensa recheck --db postgres://…` (and each cycle of `watch`): under the store's advisory
/// cycle lock, enqueue the catalog for the workers of `--vantages`, wait until the workers
/// have finished and one of them has completed the run (assessed, recorded, diffed, webhook
/// told), and return the same summary and exit status a local re-check gives.
pub fn enqueue_cycle(url: &str, args: &RecheckOptions) -> Result<RecheckSummary, RecheckError> {
    let fail = |m: String| RecheckError::Scan(m);
    if args.vantages.is_empty() {
        return Err(fail(
            "with --db postgres://… the catalog is enqueued for workers: name their vantages \
             with --vantages NAME,..."
                .into(),
        ));
    }
    let [file] = args.targets.as_slice() else {
        return Err(fail(
            "with --db postgres://… give one catalog file (workers read it from the database)"
                .into(),
        ));
    };
    let text = std::fs::read_to_string(file).map_err(|e| fail(format!("{file}: {e}")))?;
    let catalog = crate::catalog::parse(file, &text).map_err(|e| fail(e.to_string()))?;
    let st = PgRunStore::connect(url).map_err(|e| fail(e.to_string()))?;
    let _lock = st.lock_cycle()?;
    let probes = if args.config.probes.is_empty() {
        crate::worker::known_probes()
    } else {
        args.config.probes.clone()
    };
    let pg = st.pg().clone();
    let done = st
        .block_on(pg.enqueue(&NewRun {
            catalog: &catalog,
            catalog_text: &text,
            config: &args.config,
            probes: &probes,
            vantages: &args.vantages,
            notify_webhook: args.notify_webhook.as_deref(),
        }))
        .map_err(|e| fail(e.to_string()))?;
    tracing::info!(
        "run {}: {} jobs enqueued for {}; waiting for the workers",
        done.run_id,
        done.jobs,
        args.vantages.join(", ")
    );
    if let Some(e) = st
        .block_on(pg.wait_completed(&done.run_id))
        .map_err(|e| fail(e.to_string()))?
    {
        // The run is recorded even when only the webhook failed.
        if !st.contains_run(&done.run_id)? {
            return Err(fail(format!("run {}: {e}", done.run_id)));
        }
        tracing::warn!("run {}: {e}", done.run_id);
    }
    let run = st.load_run(&done.run_id)?;
    let providers = crate::recheck::provider_rechecks(&st, &run, &done.run_id)?;
    Ok(RecheckSummary::new(
        done.run_id.clone(),
        format!("{}#{}", pg.name(), done.run_id),
        pg.name().to_owned(),
        providers,
    ))
}

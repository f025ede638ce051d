//! The job queue: one run, jobs of target × vantage.
//!
//! - [`Pg::enqueue`] writes the run (its catalog text and scan configuration) and its jobs in
//!   one transaction and `NOTIFY`s each vantage's workers on [`CHANNEL`].
//! - [`Pg::claim`] takes up to N queued jobs of one vantage with `SELECT … FOR UPDATE SKIP
//!   LOCKED` (concurrent workers never wait for each other nor take the same job), under a
//!   lease token valid for the lease time; [`Pg::heartbeat`] extends it, and says when it
//!   was lost. Only jobs enqueued by this kensa version and asking for probes it knows are
//!   claimed: the others stay queued ([`Pg::refused_jobs`] names them).
//! - [`Pg::reap`] puts jobs whose lease expired (a worker killed, a machine gone) back in the
//!   queue.
//! - [`Pg::complete`] records each job's chained evidence lines and marks it done in one
//!   transaction, only while the job's lease is still the worker's: a late result of a worker
//!   that lost its lease is refused (and logged), and the unique key on (run, target, probe,
//!   vantage) refuses any second record of the same evidence.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use tokio_postgres::error::SqlState;

use super::store::{Line, insert_evidence};
use super::{Pg, PgError};

/// The `NOTIFY` channel that wakes idle workers; the payload is the vantage name.
pub const CHANNEL: &str = "kensa_jobs";

/// The `NOTIFY` channel on which a run's completion (assessed, recorded) is announced; the
/// payload is the run id.
pub const RUNS_CHANNEL: &str = "kensa_runs";

/// Jobs of hosts a claim leased that are claimed with it at most (host affinity: one scan,
/// so one per-host token bucket, for a host's jobs of a run).
pub const HOST_BATCH: i64 = 1000;

/// Attempts after which a job whose scans keep failing is marked failed.
pub const MAX_ATTEMPTS: i32 = 5;

/// What [`Pg::enqueue`] is given.
#[derive(Debug)]
pub struct NewRun<'a> {
    /// The catalog.
    pub catalog: &'a crate::catalog::Catalog,
    /// Its text (workers parse it again).
    pub catalog_text: &'a str,
    /// The scan configuration every job is scanned with.
    pub config: &'a crate::config::ScanConfig,
    /// The probe ids the jobs run.
    pub probes: &'a [String],
    /// The vantage names: one job per target and vantage.
    pub vantages: &'a [String],
    /// POST the run's re-check summary here when it is complete (`kensa recheck --db`).
    pub notify_webhook: Option<&'a str>,
}

/// What [`Pg::enqueue`] did.
#[derive(Clone, Debug, Serialize)]
pub struct Enqueued {
    /// The new run id.
    pub run_id: String,
    /// Jobs queued.
    pub jobs: i64,
    /// Targets.
    pub targets: usize,
    /// Vantages.
    pub vantages: Vec<String>,
}

/// A claimed job.
#[derive(Clone, Debug)]
pub struct Job {
    /// Its id.
    pub id: i64,
    /// The run.
    pub run_id: String,
    /// The vantage name.
    pub vantage: String,
    /// The target id.
    pub target: String,
    /// The provider id.
    pub provider: String,
    /// Attempts so far, this one included.
    pub attempts: i32,
    /// The target's host (jobs of one host and vantage are leased to one worker at a time).
    pub host: String,
}

/// A run's shared data, as workers read it.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The run id.
    pub run_id: String,
    /// When it was enqueued (RFC 3339).
    pub started_at: String,
    /// The kensa that enqueued it.
    pub tool: String,
    /// The catalog's source name.
    pub catalog_source: String,
    /// The catalog's text.
    pub catalog_text: String,
    /// SHA-256 of the catalog's content ([`crate::scan::catalog_digest`]).
    pub catalog_digest: String,
    /// The scan configuration.
    pub config: crate::config::ScanConfig,
    /// The probe ids.
    pub probes: Vec<String>,
    /// The vantages.
    pub vantages: Vec<String>,
    /// `running` or `done`.
    pub state: String,
    /// Jobs in all.
    pub jobs_total: i64,
    /// Jobs not yet done or failed.
    pub remaining: i64,
}

/// One job's result: its chain, ready to record.
#[derive(Clone, Debug)]
pub struct JobResult {
    /// The job.
    pub job_id: i64,
    /// The run.
    pub run_id: String,
    /// The vantage.
    pub vantage: String,
    /// The chain's `run-begin` line.
    pub begin: String,
    /// Its evidence lines, in order.
    pub evidence: Vec<Line>,
    /// Its `run-end` line.
    pub end: String,
}

/// What [`Pg::complete`] did with a batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Completed {
    /// Jobs recorded.
    pub done: Vec<i64>,
    /// Jobs refused: the lease was lost (another worker has or will have the job).
    pub lease_lost: Vec<i64>,
    /// Jobs refused because some of their evidence was recorded already (marked failed).
    pub duplicate: Vec<i64>,
    /// Runs whose last job this batch completed.
    pub runs_done: Vec<String>,
}

/// Jobs a worker will not take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refused {
    /// The run.
    pub run_id: String,
    /// The kensa that enqueued them.
    pub tool: String,
    /// Probe ids this kensa does not know.
    pub unknown_probes: Vec<String>,
    /// How many jobs.
    pub jobs: i64,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} queued jobs of run {} refused: ",
            self.jobs, self.run_id
        )?;
        if self.tool != crate::TOOL {
            write!(
                f,
                "enqueued by {}, this worker is {} (run a worker of the same version)",
                self.tool,
                crate::TOOL
            )?;
            if !self.unknown_probes.is_empty() {
                write!(f, "; ")?;
            }
        }
        if !self.unknown_probes.is_empty() {
            write!(
                f,
                "they ask for probe(s) {} this kensa does not know",
                self.unknown_probes.join(", ")
            )?;
        }
        write!(f, "; the jobs stay queued")
    }
}

/// The queue's state for `kensa status`.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    /// The database.
    pub db: String,
    /// Jobs per vantage and state.
    pub queue: BTreeMap<String, BTreeMap<String, i64>>,
    /// Workers not stopped, with their last heartbeat.
    pub workers: Vec<WorkerRow>,
    /// Leases held (running jobs whose lease has not expired).
    pub leases_held: i64,
    /// Running jobs whose lease expired (to be put back by the next worker that looks).
    pub leases_expired: i64,
    /// Jobs finished per minute over the last five minutes.
    pub jobs_per_minute: f64,
    /// Runs still running.
    pub runs: Vec<RunProgress>,
}

/// A worker, as `kensa status` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct WorkerRow {
    /// Its id.
    pub worker_id: String,
    /// Its vantage.
    pub vantage: String,
    /// Its kensa.
    pub tool: String,
    /// Its last heartbeat (RFC 3339).
    pub heartbeat: String,
    /// Seconds since then.
    pub seconds_since: f64,
    /// Whether the heartbeat is recent (within 3 × the heartbeat interval of a 60 s lease).
    pub alive: bool,
    /// Jobs it has recorded.
    pub jobs_done: i64,
}

/// A run in progress.
#[derive(Clone, Debug, Serialize)]
pub struct RunProgress {
    /// The run id.
    pub run_id: String,
    /// Jobs in all.
    pub jobs_total: i64,
    /// Jobs not yet done.
    pub remaining: i64,
    /// When it was enqueued.
    pub started_at: String,
}

/// A worker's identity in the `workers` table.
#[derive(Clone, Debug)]
pub struct WorkerIdent {
    /// A unique id (`HOST-PID-RANDOM` by default).
    pub id: String,
    /// The vantage it probes from.
    pub vantage: crate::evidence::Vantage,
}

/// A random lowercase hex string of `bytes` bytes.
pub fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b);
    crate::evidence::hex(&b)
}

const TS: &str = r#"'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'"#;

impl Pg {
    /// Create a run and its jobs (every target × every vantage) in one transaction, and wake
    /// the vantages' workers.
    pub async fn enqueue(&self, new: &NewRun<'_>) -> Result<Enqueued, PgError> {
        let run_id = crate::scan::new_run_id();
        let mut targets = Vec::new();
        let mut providers = Vec::new();
        let mut hosts = Vec::new();
        for p in &new.catalog.providers {
            for e in &p.endpoints {
                targets.push(e.target_id(&p.id).to_string());
                providers.push(p.id.clone());
                hosts.push(e.host.to_string().to_ascii_lowercase());
            }
        }
        let n_jobs = i64::try_from(targets.len() * new.vantages.len()).unwrap_or(i64::MAX);
        let config = serde_json::to_string(new.config).unwrap_or_default();
        let e = |what: &'static str| move |err: tokio_postgres::Error| self.err(what, &err);
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(e("begin the enqueue"))?;
        tx.execute(
            "INSERT INTO queue_runs (run_id, started_at, tool, catalog_source, catalog_text,
                                     catalog_digest, config, probes, vantages, jobs_total,
                                     remaining, notify_webhook)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)",
            &[
                &run_id,
                &crate::rfc3339(std::time::SystemTime::now()),
                &crate::TOOL,
                &new.catalog.source,
                &new.catalog_text,
                &crate::scan::catalog_digest(new.catalog),
                &config,
                &new.probes,
                &new.vantages,
                &n_jobs,
                &new.notify_webhook,
            ],
        )
        .await
        .map_err(e("write the run"))?;
        tx.execute(
            "INSERT INTO jobs (run_id, vantage, target, provider, tool, probes, host)
             SELECT $1, v.name, t.target, t.provider, $2, $3, t.host
             FROM unnest($4::text[], $5::text[], $7::text[])
                  WITH ORDINALITY AS t(target, provider, host, n)
             CROSS JOIN unnest($6::text[]) WITH ORDINALITY AS v(name, m)
             ORDER BY t.n, v.m",
            &[
                &run_id,
                &crate::TOOL,
                &new.probes,
                &targets,
                &providers,
                &new.vantages,
                &hosts,
            ],
        )
        .await
        .map_err(e("write the jobs"))?;
        for v in new.vantages {
            tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, v])
                .await
                .map_err(e("notify the workers"))?;
        }
        tx.commit().await.map_err(e("commit the enqueue"))?;
        Ok(Enqueued {
            run_id,
            jobs: n_jobs,
            targets: targets.len(),
            vantages: new.vantages.to_vec(),
        })
    }

    /// Register (or refresh) a worker.
    pub async fn register_worker(&self, w: &WorkerIdent) -> Result<(), PgError> {
        let c = self.client().await?;
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".into());
        c.execute(
            "INSERT INTO workers (worker_id, vantage, lat, lon, tool, host, pid)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (worker_id) DO UPDATE SET heartbeat = now(), stopped = NULL",
            &[
                &w.id,
                &w.vantage.name,
                &w.vantage.lat,
                &w.vantage.lon,
                &crate::TOOL,
                &host,
                &i64::from(std::process::id()),
            ],
        )
        .await
        .map_err(|e| self.err("register the worker", &e))?;
        Ok(())
    }

    /// Mark a worker stopped.
    pub async fn worker_stopped(&self, worker_id: &str) -> Result<(), PgError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE workers SET stopped = now() WHERE worker_id = $1",
            &[&worker_id],
        )
        .await
        .map_err(|e| self.err("mark the worker stopped", &e))?;
        Ok(())
    }

    /// Claim up to `n` queued jobs of `vantage` under a new lease token (returned). Only jobs
    /// of this kensa version whose probes are all in `known_probes` are claimed.
    pub async fn claim(
        &self,
        worker: &WorkerIdent,
        known_probes: &[String],
        n: i64,
        lease: Duration,
    ) -> Result<(String, Vec<Job>), PgError> {
        let token = random_hex(16);
        let c = self.client().await?;
        // One statement, so one round trip and one commit a claim. The order (enqueued, id) is
        // the partial index of queued jobs' own, which the primary key cannot give: ordered by
        // id alone, the planner walks the primary key over every job claimed before
        // (measured: 35 ms a claim behind 20,000 claimed jobs, 0.2 ms through the partial
        // index). The batch size is written into the statement (one prepared statement per
        // size), so a generic plan knows the limit is small. The jobs of the hosts this claim
        // leased are looked up host by host (`LATERAL`, the `jobs_queued_host` index): a
        // join of the leased hosts with the queued jobs walked all 100,000 queued jobs of the
        // bench when no host was leased (156 ms a claim). The update finds its rows by
        // primary key (`= ANY(ARRAY(…))`): joined with the claimed ids, the planner chose a
        // sequential scan of every job (26 ms a claim at 100,000 jobs). A candidate's host
        // lease is looked up by primary key (a scalar subquery): as `NOT EXISTS`, the planner
        // hashed every lease row of the vantage on each claim, and leases stay an hour (with
        // a host per job, 70 jobs claimed/s after 50,000 claimed).
        let n = n.clamp(1, 10_000);
        let stmt = c
            .prepare_cached(&format!(
                "WITH cand AS (
                    SELECT id, run_id, host FROM jobs
                    WHERE state = 'queued' AND vantage = $1 AND tool = $2 AND probes <@ $3
                      AND (host = '' OR coalesce((
                            SELECT h.until FROM host_leases h
                            WHERE h.vantage = $1 AND h.host = jobs.host), '-infinity') <= now())
                    ORDER BY enqueued, id LIMIT {n}
                    FOR UPDATE SKIP LOCKED),
                 got AS (
                    INSERT INTO host_leases (vantage, host, token, until)
                    SELECT DISTINCT $1, host, $4, now() + make_interval(secs => $6)
                    FROM cand WHERE host <> ''
                    ON CONFLICT (vantage, host) DO UPDATE
                        SET token = EXCLUDED.token, until = EXCLUDED.until
                        WHERE host_leases.until <= now()
                    RETURNING host),
                 more AS (
                    SELECT m.id FROM got CROSS JOIN LATERAL (
                        SELECT id FROM jobs
                        WHERE state = 'queued' AND vantage = $1 AND host = got.host
                          AND tool = $2 AND probes <@ $3
                          AND run_id IN (SELECT run_id FROM cand)
                        ORDER BY enqueued, id LIMIT {HOST_BATCH}
                        FOR UPDATE SKIP LOCKED) m
                    LIMIT {HOST_BATCH}),
                 c AS (
                    SELECT id FROM cand WHERE host = '' OR host IN (SELECT host FROM got)
                    UNION SELECT id FROM more)
                 UPDATE jobs j SET state = 'running', attempts = j.attempts + 1,
                        lease_token = $4, leased_by = $5,
                        lease_until = now() + make_interval(secs => $6), started = now()
                 WHERE j.id = ANY (ARRAY(SELECT id FROM c))
                 RETURNING j.id, j.run_id, j.vantage, j.target, j.provider, j.attempts, j.host"
            ))
            .await
            .map_err(|e| self.err("prepare the claim", &e))?;
        let rows = c
            .query(
                &stmt,
                &[
                    &worker.vantage.name,
                    &crate::TOOL,
                    &known_probes,
                    &token,
                    &worker.id,
                    &lease.as_secs_f64(),
                ],
            )
            .await
            .map_err(|e| self.err("claim jobs", &e))?;
        let mut jobs: Vec<Job> = rows
            .iter()
            .map(|r| Job {
                id: r.get(0),
                run_id: r.get(1),
                vantage: r.get(2),
                target: r.get(3),
                provider: r.get(4),
                attempts: r.get(5),
                host: r.get(6),
            })
            .collect();
        jobs.sort_by_key(|j| j.id);
        Ok((token, jobs))
    }

    /// Extend the lease of the jobs held under `token`, and the worker's heartbeat. Returns
    /// how many jobs the token still holds (fewer than claimed: the lease was lost).
    pub async fn heartbeat(
        &self,
        worker_id: &str,
        token: Option<&str>,
        lease: Duration,
    ) -> Result<u64, PgError> {
        let c = self.client().await?;
        let Some(token) = token else {
            c.execute(
                "UPDATE workers SET heartbeat = now() WHERE worker_id = $1",
                &[&worker_id],
            )
            .await
            .map_err(|e| self.err("heartbeat", &e))?;
            return Ok(0);
        };
        // One statement (one round trip): the worker's heartbeat, its host leases and its
        // jobs' lease.
        let held: i64 = c
            .query_one(
                "WITH w AS (
                    UPDATE workers SET heartbeat = now() WHERE worker_id = $1),
                 h AS (
                    UPDATE host_leases
                    SET until = greatest(until, now() + make_interval(secs => $3))
                    WHERE token = $2),
                 j AS (
                    UPDATE jobs SET lease_until = now() + make_interval(secs => $3)
                    WHERE lease_token = $2 AND state = 'running' RETURNING 1)
                 SELECT count(*) FROM j",
                &[&worker_id, &token, &lease.as_secs_f64()],
            )
            .await
            .map_err(|e| self.err("heartbeat and extend the leases", &e))?
            .get(0);
        Ok(u64::try_from(held).unwrap_or(0))
    }

    /// Let go of the hosts leased under `token` after `cooldown`: no worker of the vantage
    /// (this one included) starts a host again before its token bucket could have refilled
    /// (`burst_per_host / rate_per_host`), so a fresh bucket in the next scan never gives a
    /// host more than one bucket would have.
    pub async fn release_hosts(&self, token: &str, cooldown: Duration) -> Result<(), PgError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE host_leases SET until = now() + make_interval(secs => $2) WHERE token = $1",
            &[&token, &cooldown.as_secs_f64()],
        )
        .await
        .map_err(|e| self.err("release the host leases", &e))?;
        Ok(())
    }

    /// Put jobs whose lease expired back in the queue (and wake their vantages' workers).
    /// Returns how many.
    pub async fn reap(&self) -> Result<u64, PgError> {
        let c = self.client().await?;
        c.execute(
            "DELETE FROM host_leases WHERE until < now() - interval '1 hour'",
            &[],
        )
        .await
        .map_err(|e| self.err("forget old host leases", &e))?;
        let rows = c
            .query(
                "WITH r AS (
                    UPDATE jobs SET state = 'queued', lease_token = NULL, leased_by = NULL,
                                    lease_until = NULL,
                                    error = 'lease expired (the worker stopped heartbeating)'
                    WHERE state = 'running' AND lease_until < now()
                    RETURNING vantage)
                 SELECT vantage, count(*) FROM r GROUP BY vantage",
                &[],
            )
            .await
            .map_err(|e| self.err("put expired jobs back", &e))?;
        let mut n = 0u64;
        for r in &rows {
            let v: String = r.get(0);
            let k: i64 = r.get(1);
            n += u64::try_from(k).unwrap_or(0);
            tracing::warn!("{k} jobs of vantage {v} lost their lease: queued again");
            c.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &v])
                .await
                .map_err(|e| self.err("notify the workers", &e))?;
        }
        Ok(n)
    }

    /// Give jobs `ids` held under `token` back after a failed scan: queued again, or failed
    /// after [`MAX_ATTEMPTS`].
    pub async fn release(&self, token: &str, ids: &[i64], error: &str) -> Result<(), PgError> {
        let mut c = self.client().await?;
        let e = |what: &'static str| move |err: tokio_postgres::Error| self.err(what, &err);
        let tx = c.transaction().await.map_err(e("begin the release"))?;
        let failed = tx
            .query(
                "UPDATE jobs SET state = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'queued' END,
                        lease_token = NULL, leased_by = NULL, lease_until = NULL, error = $2,
                        finished = CASE WHEN attempts >= $3 THEN now() END
                 WHERE lease_token = $1 AND state = 'running' AND id = ANY($4)
                 RETURNING run_id, state, vantage",
                &[&token, &error, &MAX_ATTEMPTS, &ids],
            )
            .await
            .map_err(e("release jobs"))?;
        let mut per_run: BTreeMap<String, i64> = BTreeMap::new();
        for r in &failed {
            let state: &str = r.get(1);
            if state == "failed" {
                *per_run.entry(r.get(0)).or_default() += 1;
            } else {
                tx.execute(
                    "SELECT pg_notify($1, $2)",
                    &[&CHANNEL, &r.get::<_, String>(2)],
                )
                .await
                .map_err(e("notify the workers"))?;
            }
        }
        for (run, n) in per_run {
            finish_jobs(&tx, &run, n)
                .await
                .map_err(e("count down the run"))?;
        }
        tx.commit().await.map_err(e("commit the release"))
    }

    /// Record a batch of finished jobs held under `token`: the jobs still held are marked done
    /// and their chains' evidence written in a few set-wise statements in one transaction;
    /// jobs whose lease was lost are refused (logged) and nothing of them is written. When
    /// some evidence was recorded already (the unique key on run, target, probe, vantage),
    /// the transaction is rolled back and the batch recorded job by job
    /// ([`Self::complete_each`]), so only the duplicate job is refused.
    pub async fn complete(
        &self,
        worker_id: &str,
        token: &str,
        results: &[JobResult],
    ) -> Result<Completed, PgError> {
        let mut c = self.client().await?;
        let e = |what: &'static str| move |err: tokio_postgres::Error| self.err(what, &err);
        let tx = c.transaction().await.map_err(e("begin recording"))?;
        let ids: Vec<i64> = results.iter().map(|r| r.job_id).collect();
        let begins: Vec<&str> = results.iter().map(|r| r.begin.as_str()).collect();
        let ends: Vec<&str> = results.iter().map(|r| r.end.as_str()).collect();
        let held: std::collections::HashSet<i64> = tx
            .query(
                "UPDATE jobs j SET state = 'done', finished = now(), begin_line = x.b,
                        end_line = x.e, lease_token = NULL, lease_until = NULL, error = NULL
                 FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(id, b, e)
                 WHERE j.id = x.id AND j.lease_token = $4 AND j.state = 'running'
                 RETURNING j.id",
                &[&ids, &begins, &ends, &token],
            )
            .await
            .map_err(e("mark jobs done"))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Completed::default();
        let mut cols = EvidenceColumns::default();
        let mut expected = 0usize;
        for r in results {
            if held.contains(&r.job_id) {
                for l in &r.evidence {
                    cols.push(r, l);
                    expected += 1;
                }
            } else {
                tracing::warn!(
                    job = r.job_id,
                    "late result refused: job {} of run {} ({} records) is no longer this \
                     worker's lease (it expired and the job was given to another worker)",
                    r.job_id,
                    r.run_id,
                    r.evidence.len()
                );
                out.lease_lost.push(r.job_id);
            }
        }
        let inserted = tx
            .execute(
                "INSERT INTO evidence (run_id, vantage, job_id, seq, hash, target, provider,
                                       probe, outcome, started_at, elapsed_us, error, line)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[],
                                      $5::text[], $6::text[], $7::text[], $8::text[],
                                      $9::text[], $10::text[], $11::bigint[], $12::text[],
                                      $13::text[])
                 ON CONFLICT ON CONSTRAINT evidence_once DO NOTHING",
                &[
                    &cols.run_id,
                    &cols.vantage,
                    &cols.job_id,
                    &cols.seq,
                    &cols.hash,
                    &cols.target,
                    &cols.provider,
                    &cols.probe,
                    &cols.outcome,
                    &cols.started_at,
                    &cols.elapsed_us,
                    &cols.error,
                    &cols.line,
                ],
            )
            .await
            .map_err(e("write evidence"))?;
        if usize::try_from(inserted).unwrap_or(0) != expected {
            tx.rollback().await.map_err(e("roll back"))?;
            drop(c);
            return self.complete_each(worker_id, token, results).await;
        }
        let mut per_run: BTreeMap<String, i64> = BTreeMap::new();
        for r in results.iter().filter(|r| held.contains(&r.job_id)) {
            out.done.push(r.job_id);
            *per_run.entry(r.run_id.clone()).or_default() += 1;
        }
        for (run, n) in &per_run {
            if finish_jobs(&tx, run, *n)
                .await
                .map_err(e("count down the run"))?
            {
                out.runs_done.push(run.clone());
            }
        }
        let n_done = i64::try_from(out.done.len()).unwrap_or(0);
        tx.execute(
            "UPDATE workers SET jobs_done = jobs_done + $2, heartbeat = now()
             WHERE worker_id = $1",
            &[&worker_id, &n_done],
        )
        .await
        .map_err(e("count the worker's jobs"))?;
        tx.commit().await.map_err(e("commit the jobs"))?;
        Ok(out)
    }

    /// Record a batch of finished jobs held under `token`, each in its own savepoint: the
    /// job's chain and evidence are written and the job marked done only while the lease is
    /// still this worker's; otherwise (or when its evidence was recorded already) nothing of
    /// the job is written, and the refusal is logged.
    pub async fn complete_each(
        &self,
        worker_id: &str,
        token: &str,
        results: &[JobResult],
    ) -> Result<Completed, PgError> {
        let mut c = self.client().await?;
        let e = |what: &'static str| move |err: tokio_postgres::Error| self.err(what, &err);
        let mut tx = c.transaction().await.map_err(e("begin recording"))?;
        let mut out = Completed::default();
        let mut per_run: BTreeMap<String, i64> = BTreeMap::new();
        for r in results {
            let sp = tx.savepoint("job").await.map_err(e("savepoint"))?;
            let held = sp
                .query_opt(
                    "UPDATE jobs SET state = 'done', finished = now(), begin_line = $3,
                            end_line = $4, lease_token = NULL, lease_until = NULL, error = NULL
                     WHERE id = $1 AND lease_token = $2 AND state = 'running'
                     RETURNING id",
                    &[&r.job_id, &token, &r.begin, &r.end],
                )
                .await
                .map_err(e("mark a job done"))?;
            if held.is_none() {
                tracing::warn!(
                    job = r.job_id,
                    "late result refused: job {} of run {} ({} records) is no longer this \
                     worker's lease (it expired and the job was given to another worker)",
                    r.job_id,
                    r.run_id,
                    r.evidence.len()
                );
                sp.rollback().await.map_err(e("roll back a job"))?;
                out.lease_lost.push(r.job_id);
                continue;
            }
            let mut dup = None;
            for l in &r.evidence {
                match insert_evidence(&sp, &r.run_id, &r.vantage, Some(r.job_id), l).await {
                    Ok(()) => {}
                    Err(err) if err.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                        dup = Some(format!(
                            "{} {} from {}",
                            l.text_of("/target/id").unwrap_or_default(),
                            l.text_of("/probe").unwrap_or_default(),
                            r.vantage
                        ));
                        break;
                    }
                    Err(err) => return Err(self.err("write evidence", &err)),
                }
            }
            if let Some(what) = dup {
                sp.rollback().await.map_err(e("roll back a job"))?;
                tracing::warn!(
                    job = r.job_id,
                    "duplicate evidence refused: run {} already has a record of {what}; job {} \
                     marked failed, nothing of it written",
                    r.run_id,
                    r.job_id
                );
                tx.execute(
                    "UPDATE jobs SET state = 'failed', finished = now(), lease_token = NULL,
                            error = $3
                     WHERE id = $1 AND lease_token = $2",
                    &[
                        &r.job_id,
                        &token,
                        &format!("duplicate evidence refused: {what}"),
                    ],
                )
                .await
                .map_err(e("mark a job failed"))?;
                out.duplicate.push(r.job_id);
                *per_run.entry(r.run_id.clone()).or_default() += 1;
                continue;
            }
            sp.commit().await.map_err(e("release a savepoint"))?;
            out.done.push(r.job_id);
            *per_run.entry(r.run_id.clone()).or_default() += 1;
        }
        for (run, n) in &per_run {
            if finish_jobs(&tx, run, *n)
                .await
                .map_err(e("count down the run"))?
            {
                out.runs_done.push(run.clone());
            }
        }
        let n_done = i64::try_from(out.done.len()).unwrap_or(0);
        tx.execute(
            "UPDATE workers SET jobs_done = jobs_done + $2, heartbeat = now()
             WHERE worker_id = $1",
            &[&worker_id, &n_done],
        )
        .await
        .map_err(e("count the worker's jobs"))?;
        tx.commit().await.map_err(e("commit the jobs"))?;
        Ok(out)
    }

    /// Queued jobs of `vantage` this worker will not take (another kensa version, or probes
    /// it does not know), per run.
    pub async fn refused_jobs(
        &self,
        vantage: &str,
        known_probes: &[String],
    ) -> Result<Vec<Refused>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT run_id, tool, probes, count(*) FROM jobs
                 WHERE state = 'queued' AND vantage = $1
                   AND NOT (tool = $2 AND probes <@ $3)
                 GROUP BY run_id, tool, probes ORDER BY run_id",
                &[&vantage, &crate::TOOL, &known_probes],
            )
            .await
            .map_err(|e| self.err("look for refused jobs", &e))?;
        Ok(rows
            .iter()
            .map(|r| {
                let probes: Vec<String> = r.get(2);
                Refused {
                    run_id: r.get(0),
                    tool: r.get(1),
                    unknown_probes: probes
                        .into_iter()
                        .filter(|p| !known_probes.contains(p))
                        .collect(),
                    jobs: r.get(3),
                }
            })
            .collect())
    }

    /// Jobs of `vantage` this worker could still have to run: queued ones it would claim,
    /// and running ones (whose lease may expire).
    pub async fn pending_for(
        &self,
        vantage: &str,
        known_probes: &[String],
    ) -> Result<i64, PgError> {
        let c = self.client().await?;
        c.query_one(
            "SELECT count(*) FROM jobs WHERE vantage = $1 AND
                ((state = 'queued' AND tool = $2 AND probes <@ $3) OR state = 'running')",
            &[&vantage, &crate::TOOL, &known_probes],
        )
        .await
        .map(|r| r.get(0))
        .map_err(|e| self.err("count pending jobs", &e))
    }

    /// A run's shared data.
    pub async fn run_info(&self, run_id: &str) -> Result<RunInfo, PgError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT run_id, started_at, tool, catalog_source, catalog_text, catalog_digest,
                        config, probes, vantages, state, jobs_total, remaining
                 FROM queue_runs WHERE run_id = $1",
                &[&run_id],
            )
            .await
            .map_err(|e| self.err("read the run", &e))?
            .ok_or_else(|| PgError::NotFound {
                db: self.name().to_owned(),
                message: format!("no queued run {run_id} (see `kensa status`)"),
            })?;
        let config: String = row.get(6);
        let config = crate::config::ScanConfig::from_json(&config).map_err(|e| PgError::Sql {
            db: self.name().to_owned(),
            what: format!("read run {run_id}'s configuration"),
            message: e.to_string(),
        })?;
        Ok(RunInfo {
            run_id: row.get(0),
            started_at: row.get(1),
            tool: row.get(2),
            catalog_source: row.get(3),
            catalog_text: row.get(4),
            catalog_digest: row.get(5),
            config,
            probes: row.get(7),
            vantages: row.get(8),
            state: row.get(9),
            jobs_total: row.get(10),
            remaining: row.get(11),
        })
    }

    /// The queue's state.
    pub async fn status(&self) -> Result<Status, PgError> {
        let c = self.client().await?;
        let e = |what: &'static str| move |err: tokio_postgres::Error| self.err(what, &err);
        let mut queue: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for r in c
            .query(
                "SELECT vantage, state, count(*) FROM jobs GROUP BY vantage, state",
                &[],
            )
            .await
            .map_err(e("count jobs"))?
        {
            queue
                .entry(r.get(0))
                .or_default()
                .insert(r.get(1), r.get(2));
        }
        let workers = c
            .query(
                &format!(
                    "SELECT worker_id, vantage, tool, to_char(heartbeat AT TIME ZONE 'UTC', {TS}),
                            extract(epoch FROM now() - heartbeat)::float8, jobs_done
                     FROM workers WHERE stopped IS NULL ORDER BY vantage, worker_id"
                ),
                &[],
            )
            .await
            .map_err(e("read workers"))?
            .iter()
            .map(|r| {
                let since: f64 = r.get(4);
                WorkerRow {
                    worker_id: r.get(0),
                    vantage: r.get(1),
                    tool: r.get(2),
                    heartbeat: r.get(3),
                    seconds_since: since,
                    alive: since < 60.0,
                    jobs_done: r.get(5),
                }
            })
            .collect();
        let leases = c
            .query_one(
                "SELECT count(*) FILTER (WHERE lease_until >= now()),
                        count(*) FILTER (WHERE lease_until < now())
                 FROM jobs WHERE state = 'running'",
                &[],
            )
            .await
            .map_err(e("count leases"))?;
        let recent: i64 = c
            .query_one(
                "SELECT count(*) FROM jobs
                 WHERE state IN ('done', 'failed') AND finished > now() - interval '5 minutes'",
                &[],
            )
            .await
            .map_err(e("count recent jobs"))?
            .get(0);
        let runs = c
            .query(
                "SELECT run_id, jobs_total, remaining, started_at FROM queue_runs
                 WHERE state = 'running' ORDER BY created",
                &[],
            )
            .await
            .map_err(e("read runs"))?
            .iter()
            .map(|r| RunProgress {
                run_id: r.get(0),
                jobs_total: r.get(1),
                remaining: r.get(2),
                started_at: r.get(3),
            })
            .collect();
        Ok(Status {
            db: self.name().to_owned(),
            queue,
            workers,
            leases_held: leases.get(0),
            leases_expired: leases.get(1),
            #[allow(clippy::cast_precision_loss)]
            jobs_per_minute: recent as f64 / 5.0,
            runs,
        })
    }
}

/// Count `n` jobs of `run` as finished; true when they were its last ones (the run is then
/// marked done). The run's row lock orders concurrent workers, so exactly one sees zero.
async fn finish_jobs(
    c: &impl deadpool_postgres::GenericClient,
    run: &str,
    n: i64,
) -> Result<bool, tokio_postgres::Error> {
    let row = c
        .query_one(
            "UPDATE queue_runs SET remaining = remaining - $2,
                    state = CASE WHEN remaining - $2 <= 0 THEN 'done' ELSE state END,
                    finished = CASE WHEN remaining - $2 <= 0 THEN now() ELSE finished END
             WHERE run_id = $1 RETURNING remaining",
            &[&run, &n],
        )
        .await?;
    let left: i64 = row.get(0);
    Ok(left <= 0)
}

/// Evidence rows as column arrays, for one `INSERT … SELECT FROM unnest(…)`.
#[derive(Default)]
struct EvidenceColumns {
    run_id: Vec<String>,
    vantage: Vec<String>,
    job_id: Vec<i64>,
    seq: Vec<i64>,
    hash: Vec<String>,
    target: Vec<String>,
    provider: Vec<String>,
    probe: Vec<String>,
    outcome: Vec<String>,
    started_at: Vec<Option<String>>,
    elapsed_us: Vec<Option<i64>>,
    error: Vec<Option<String>>,
    line: Vec<String>,
}

impl EvidenceColumns {
    fn push(&mut self, r: &JobResult, l: &Line) {
        self.run_id.push(r.run_id.clone());
        self.vantage.push(r.vantage.clone());
        self.job_id.push(r.job_id);
        self.seq.push(l.seq);
        self.hash.push(l.hash.clone());
        self.target
            .push(l.text_of("/target/id").unwrap_or_default());
        self.provider
            .push(l.text_of("/target/provider").unwrap_or_default());
        self.probe.push(l.text_of("/probe").unwrap_or_default());
        self.outcome.push(l.text_of("/outcome").unwrap_or_default());
        self.started_at.push(l.text_of("/started_at"));
        self.elapsed_us
            .push(l.data.get("elapsed_us").and_then(serde_json::Value::as_i64));
        self.error.push(l.text_of("/error"));
        self.line.push(l.text.clone());
    }
}

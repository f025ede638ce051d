//! Verify a queued run's evidence in PostgreSQL, and export it as the `evidence.jsonl` files a
//! local scan writes (one run directory per vantage), so `kensa assess`, `report` and
//! `bundle` read it unchanged.
//!
//! Each job's records form a hash chain of their own, stored verbatim: its `run-begin` line
//! (`jobs.begin_line`), its evidence lines (`evidence.line`, by `seq`) and its `run-end` line
//! (`jobs.end_line`). [`Pg::verify_run`] checks every chain with [`crate::evidence`]'s own
//! verifier. An exported file is a new chain (one per vantage) over the records of chains that
//! verified: its `run-begin` names the whole catalog; its records are the jobs' records,
//! unchanged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Pg, PgError};
use crate::evidence::{self, EvidenceWriter, Integrity, ProviderInfo, Record, RunStatus};

/// One job chain that does not verify.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BrokenChain {
    /// The job.
    pub job_id: i64,
    /// Its target.
    pub target: String,
    /// Its vantage.
    pub vantage: String,
    /// What is wrong (the line is 1-based within the job's chain).
    pub problem: String,
}

/// What [`Pg::verify_run`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunVerification {
    /// The database.
    pub db: String,
    /// The run.
    pub run_id: String,
    /// Jobs in all.
    pub jobs: i64,
    /// Jobs done (with a chain).
    pub jobs_done: i64,
    /// Jobs failed.
    pub jobs_failed: i64,
    /// Chains that verified.
    pub chains_intact: i64,
    /// Evidence records in the chains that verified.
    pub records: u64,
    /// Chains that did not.
    pub broken: Vec<BrokenChain>,
    /// Evidence rows that belong to no finished job's chain.
    pub orphans: i64,
}

impl RunVerification {
    /// Whether every chain verified and no evidence is outside one.
    pub fn ok(&self) -> bool {
        self.broken.is_empty() && self.orphans == 0
    }
}

/// One vantage's evidence records of a run, from the job chains that verified.
#[derive(Debug, Default)]
pub(crate) struct VantageRecords {
    /// The records, job by job (in job id order), each job's in its chain's order.
    pub records: Vec<Record>,
    /// The first job's `run-begin`.
    pub first_begin: Option<evidence::RunBegin>,
}

struct JobChain {
    id: i64,
    target: String,
    vantage: String,
    text: String,
}

impl Pg {
    async fn done_jobs(
        &self,
        run_id: &str,
        vantage: Option<&str>,
    ) -> Result<Vec<(i64, String, String, String, String)>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT id, target, vantage, coalesce(begin_line, ''), coalesce(end_line, '')
                 FROM jobs WHERE run_id = $1 AND state = 'done'
                   AND ($2::text IS NULL OR vantage = $2)
                 ORDER BY id",
                &[&run_id, &vantage],
            )
            .await
            .map_err(|e| self.err("read the run's jobs", &e))?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
            .collect())
    }

    /// The chains of `run_id`'s finished jobs (of `vantage`, or all), by job id: two queries
    /// (the jobs, then their evidence lines in chain order), not one a job.
    async fn job_chains(
        &self,
        run_id: &str,
        vantage: Option<&str>,
    ) -> Result<Vec<JobChain>, PgError> {
        let jobs = self.done_jobs(run_id, vantage).await?;
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT e.job_id, e.line FROM evidence e JOIN jobs j ON j.id = e.job_id
                 WHERE e.run_id = $1 AND j.run_id = $1 AND j.state = 'done'
                   AND ($2::text IS NULL OR j.vantage = $2)
                 ORDER BY e.job_id, e.seq",
                &[&run_id, &vantage],
            )
            .await
            .map_err(|e| self.err("read the run's evidence", &e))?;
        let mut lines = rows
            .iter()
            .map(|r| (r.get::<_, i64>(0), r.get::<_, &str>(1)));
        let mut next = lines.next();
        let mut out = Vec::with_capacity(jobs.len());
        for job in jobs {
            let mut text = String::new();
            text.push_str(&job.3);
            text.push('\n');
            // Both are ordered by job id; lines of a job not listed cannot occur (joined).
            while let Some((id, line)) = next {
                if id > job.0 {
                    break;
                }
                if id == job.0 {
                    text.push_str(line);
                    text.push('\n');
                }
                next = lines.next();
            }
            text.push_str(&job.4);
            text.push('\n');
            out.push(JobChain {
                id: job.0,
                target: job.1,
                vantage: job.2,
                text,
            });
        }
        Ok(out)
    }

    /// Check every job chain of `run_id`: each must verify intact with `evidence`'s verifier,
    /// name this run, and hold only its own target's records.
    pub async fn verify_run(&self, run_id: &str) -> Result<RunVerification, PgError> {
        Ok(self.verify_and_gather(run_id).await?.0)
    }

    /// [`Self::verify_run`], and the records of the chains that verified, per vantage (jobs
    /// in id order), with each vantage's first `run-begin`: one read of the run's chains.
    pub(crate) async fn verify_and_gather(
        &self,
        run_id: &str,
    ) -> Result<(RunVerification, BTreeMap<String, VantageRecords>), PgError> {
        let info = self.run_info(run_id).await?;
        let c = self.client().await?;
        let counts = c
            .query_one(
                "SELECT count(*) FILTER (WHERE state = 'done'),
                        count(*) FILTER (WHERE state = 'failed')
                 FROM jobs WHERE run_id = $1",
                &[&run_id],
            )
            .await
            .map_err(|e| self.err("count the run's jobs", &e))?;
        let orphans: i64 = c
            .query_one(
                "SELECT count(*) FROM evidence e
                 WHERE e.run_id = $1 AND e.job_id IS NOT NULL AND NOT EXISTS
                   (SELECT 1 FROM jobs j WHERE j.id = e.job_id AND j.state = 'done')",
                &[&run_id],
            )
            .await
            .map_err(|e| self.err("look for stray evidence", &e))?
            .get(0);
        drop(c);
        let mut out = RunVerification {
            db: self.name().to_owned(),
            run_id: run_id.to_owned(),
            jobs: info.jobs_total,
            jobs_done: counts.get(0),
            jobs_failed: counts.get(1),
            chains_intact: 0,
            records: 0,
            broken: Vec::new(),
            orphans,
        };
        let mut gathered: BTreeMap<String, VantageRecords> = BTreeMap::new();
        for chain in self.job_chains(run_id, None).await? {
            let mut records = Vec::new();
            let mut begin = None;
            match check_chain(&chain, run_id, |r| match r {
                Record::Evidence(_) => records.push(r.clone()),
                Record::RunBegin(b) if begin.is_none() => begin = Some(b.clone()),
                _ => {}
            }) {
                Ok(n) => {
                    out.chains_intact += 1;
                    out.records += n;
                    let v = gathered.entry(chain.vantage).or_default();
                    v.records.extend(records);
                    if v.first_begin.is_none() {
                        v.first_begin = begin;
                    }
                }
                Err(problem) => out.broken.push(BrokenChain {
                    job_id: chain.id,
                    target: chain.target,
                    vantage: chain.vantage,
                    problem,
                }),
            }
        }
        Ok((out, gathered))
    }

    /// Export `run_id` into `dir`: `dir/VANTAGE/evidence.jsonl` for each vantage, after
    /// verifying every chain (a run with a broken chain is not exported). The run-end status
    /// is `complete` when every job of the vantage is done, else `interrupted`.
    pub async fn export_run(&self, run_id: &str, dir: &Path) -> Result<Vec<PathBuf>, PgError> {
        let (v, mut gathered) = self.verify_and_gather(run_id).await?;
        if !v.ok() {
            let first = v
                .broken
                .first()
                .map(|b| {
                    format!(
                        "job {} ({} from {}): {}",
                        b.job_id, b.target, b.vantage, b.problem
                    )
                })
                .unwrap_or_else(|| format!("{} evidence rows outside any finished job", v.orphans));
            return Err(PgError::NotFound {
                db: self.name().to_owned(),
                message: format!(
                    "run {run_id} does not verify ({} broken chains; first: {first}); not exported \
                     (see `kensa verify --db … {run_id}`)",
                    v.broken.len()
                ),
            });
        }
        let info = self.run_info(run_id).await?;
        let catalog =
            crate::catalog::parse(&info.catalog_source, &info.catalog_text).map_err(|e| {
                PgError::NotFound {
                    db: self.name().to_owned(),
                    message: format!("run {run_id}: its catalog does not parse: {e}"),
                }
            })?;
        let per_vantage = self.unfinished_per_vantage(run_id).await?;
        let mut written = Vec::new();
        for vantage in &info.vantages {
            let out = dir.join(vantage);
            let io = |source| PgError::Io {
                path: out.display().to_string(),
                source,
            };
            let VantageRecords {
                records,
                first_begin,
            } = gathered.remove(vantage).unwrap_or_default();
            let begin = whole_run_begin(&info, &catalog, first_begin);
            let mut w = EvidenceWriter::create(&out).map_err(io)?;
            w.append(&Record::RunBegin(begin)).map_err(io)?;
            for r in &records {
                w.append(r).map_err(io)?;
            }
            let status = if per_vantage.get(vantage).copied().unwrap_or(0) == 0 {
                RunStatus::Complete
            } else {
                RunStatus::Interrupted
            };
            let file = w.path().to_path_buf();
            w.finish(run_id, crate::rfc3339(std::time::SystemTime::now()), status)
                .map_err(io)?;
            written.push(file);
        }
        Ok(written)
    }
}

impl Pg {
    /// How many jobs of each vantage of `run_id` are not done.
    pub(crate) async fn unfinished_per_vantage(
        &self,
        run_id: &str,
    ) -> Result<BTreeMap<String, i64>, PgError> {
        let c = self.client().await?;
        Ok(c.query(
            "SELECT vantage, count(*) FILTER (WHERE state <> 'done') FROM jobs
                 WHERE run_id = $1 GROUP BY vantage",
            &[&run_id],
        )
        .await
        .map_err(|e| self.err("count the run's jobs", &e))?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
    }
}

/// The `run-begin` of a whole queued run: the catalog's providers and endpoints, over the
/// first job's `run-begin` (its probes, settings and options).
pub(crate) fn whole_run_begin(
    info: &super::queue::RunInfo,
    catalog: &crate::catalog::Catalog,
    first_begin: Option<evidence::RunBegin>,
) -> evidence::RunBegin {
    let base = first_begin.unwrap_or_else(|| evidence::RunBegin {
        schema_version: evidence::SCHEMA_VERSION,
        run_id: info.run_id.clone(),
        tool: info.tool.clone(),
        started_at: info.started_at.clone(),
        catalog: info.catalog_source.clone(),
        providers: 0,
        endpoints: 0,
        probes: Vec::new(),
        vantage: None,
        settings: serde_json::Value::Null,
        provider_details: Vec::new(),
        catalog_digest: None,
        options: None,
        options_digest: None,
    });
    evidence::RunBegin {
        run_id: info.run_id.clone(),
        tool: info.tool.clone(),
        started_at: info.started_at.clone(),
        catalog: info.catalog_source.clone(),
        providers: catalog.providers.len(),
        endpoints: catalog.endpoint_count(),
        provider_details: catalog
            .providers
            .iter()
            .map(|p| ProviderInfo {
                id: p.id.clone(),
                name: Some(p.name.clone()),
                declared_country: p.declared_country.clone(),
                applies_for: p.applies_for.clone(),
                declaration: p.declared.as_deref().cloned(),
            })
            .collect(),
        catalog_digest: Some(info.catalog_digest.clone()),
        ..base
    }
}

/// Verify one job chain; returns its evidence records count, or what is wrong.
fn check_chain(
    chain: &JobChain,
    run_id: &str,
    mut visit: impl FnMut(&Record),
) -> Result<u64, String> {
    let mut wrong: Option<String> = None;
    let tail = evidence::chain_reader(
        &format!("job {}", chain.id),
        std::io::Cursor::new(chain.text.as_bytes()),
        |v| {
            let r = v.record;
            let run = match r {
                Record::RunBegin(b) => &b.run_id,
                Record::Evidence(e) => {
                    if e.target.id != chain.target && wrong.is_none() {
                        wrong = Some(format!(
                            "a record of target {} in the chain of {}",
                            e.target.id, chain.target
                        ));
                    }
                    &e.run_id
                }
                Record::RunResume(x) => &x.run_id,
                Record::RunEnd(x) => &x.run_id,
            };
            if run != run_id && wrong.is_none() {
                wrong = Some(format!("a record of run {run} in run {run_id}"));
            }
            visit(r);
        },
    )
    .map_err(|e| e.to_string())?;
    let rep = tail.report;
    if rep.integrity != Integrity::Intact {
        return Err(match rep.problem {
            Some(p) => format!("line {}: {}", p.line, p.message),
            None => format!("{:?}: the chain has no run-end", rep.integrity).to_lowercase(),
        });
    }
    if let Some(w) = wrong {
        return Err(w);
    }
    Ok(rep.evidence_records)
}

//! The run store on PostgreSQL: the same tables and semantics as the SQLite store
//! ([`crate::store::Store`]): a run imported once (its evidence, targets, and the findings and
//! grades of [`crate::store::assess_runs`], in one transaction), a provider's runs oldest
//! first, the run before another, the latest run per provider, grades in profile order.
//! Evidence rows also carry the vantage and the verbatim chained line.

use std::collections::BTreeMap;
use std::path::PathBuf;

use deadpool_postgres::GenericClient;
use serde_json::Value;

use super::{Pg, PgError};
use crate::assess::doc::{self, Run};
use crate::assess::grade::Assessment;
use crate::evidence;
use crate::store::{
    GradeRow, Imported, LoadedRun, RunStore, RunSummary, StoreError, StoredEvidence, profile_order,
};

/// One `evidence` line of a run file, kept verbatim.
#[derive(Debug, Clone)]
pub struct Line {
    /// Its `seq`.
    pub seq: i64,
    /// Its `hash`.
    pub hash: String,
    /// Its `type`.
    pub kind: String,
    /// Its `data`.
    pub data: Value,
    /// The line without its newline.
    pub text: String,
}

impl Line {
    /// Parse one chained line (not verified here).
    pub fn parse(text: &str) -> Option<Self> {
        let v: Value = serde_json::from_str(text).ok()?;
        Some(Self {
            seq: v.get("seq").and_then(Value::as_i64).unwrap_or(-1),
            hash: v
                .get("hash")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            kind: v
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            data: v.get("data").cloned().unwrap_or(Value::Null),
            text: text.to_owned(),
        })
    }

    /// The line `text` of evidence record `e`, encoded at `seq` with `hash`, without parsing
    /// the text again: `data` holds only the fields the `evidence` row's columns take (target
    /// id and provider, probe, outcome, start, elapsed time, error), not the observation.
    pub fn of_evidence(seq: u64, hash: String, text: String, e: &evidence::Evidence) -> Self {
        Self {
            seq: i64::try_from(seq).unwrap_or(i64::MAX),
            hash,
            kind: "evidence".into(),
            data: serde_json::json!({
                "target": {"id": e.target.id, "provider": e.target.provider},
                "probe": e.probe,
                "outcome": e.outcome,
                "started_at": e.started_at,
                "elapsed_us": e.elapsed_us,
                "error": e.error,
            }),
            text,
        }
    }

    /// The string at a JSON pointer of `data`.
    pub fn text_of(&self, pointer: &str) -> Option<String> {
        self.data
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

/// Insert one evidence line (of an imported file, or of a job's chain).
pub(crate) async fn insert_evidence(
    c: &impl GenericClient,
    run_id: &str,
    vantage: &str,
    job_id: Option<i64>,
    l: &Line,
) -> Result<(), tokio_postgres::Error> {
    let stmt = c
        .prepare_cached(
            "INSERT INTO evidence (run_id, vantage, job_id, seq, hash, target, provider, probe,
                                   outcome, started_at, elapsed_us, error, line)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .await?;
    c.execute(
        &stmt,
        &[
            &run_id,
            &vantage,
            &job_id,
            &l.seq,
            &l.hash,
            &l.text_of("/target/id").unwrap_or_default(),
            &l.text_of("/target/provider").unwrap_or_default(),
            &l.text_of("/probe").unwrap_or_default(),
            &l.text_of("/outcome").unwrap_or_default(),
            &l.text_of("/started_at"),
            &l.data.get("elapsed_us").and_then(Value::as_i64),
            &l.text_of("/error"),
            &l.text,
        ],
    )
    .await?;
    Ok(())
}

/// Write a run's row, providers, targets, findings and grades (not its evidence).
pub(crate) async fn insert_assessment(
    tx: &impl GenericClient,
    run: &Run,
    assessment: &Assessment,
    run_dir: &str,
    begin: &Value,
    end: &Value,
    head: &str,
) -> Result<usize, tokio_postgres::Error> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    tx.execute(
        "INSERT INTO runs (run_id, run_dir, started, ended, status, tool, vantage, head,
                           integrity, imported)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &run.run_id,
            &run_dir,
            &s(begin, "started_at"),
            &s(end, "finished_at"),
            &s(end, "status"),
            &s(begin, "tool"),
            &begin
                .get("vantage")
                .filter(|v| !v.is_null())
                .map(Value::to_string),
            &head,
            &id_of(&run.integrity),
            &crate::rfc3339(std::time::SystemTime::now()),
        ],
    )
    .await?;
    for p in &assessment.providers {
        tx.execute(
            "INSERT INTO providers (run_id, provider, name, declared_country, applies_for,
                                    grade, fails_applies_for)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &run.run_id,
                &p.provider.id,
                &p.provider.name,
                &p.provider.declared_country,
                &p.provider.applies_for,
                &p.grade,
                &p.fails_applies_for,
            ],
        )
        .await?;
    }
    for t in &run.targets {
        let tv = t.doc.get("target").cloned().unwrap_or(Value::Null);
        let port: Option<i32> = tv
            .get("port")
            .and_then(Value::as_i64)
            .and_then(|p| i32::try_from(p).ok());
        tx.execute(
            "INSERT INTO targets (run_id, target, provider, host, port, sni, addresses,
                                  address_source)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &run.run_id,
                &t.target,
                &t.provider,
                &s(&tv, "host"),
                &port,
                &s(&tv, "sni"),
                &tv.get("addresses")
                    .cloned()
                    .unwrap_or(Value::Array(Vec::new()))
                    .to_string(),
                &s(&tv, "address_source"),
            ],
        )
        .await?;
    }
    // Findings in one statement (a run has thousands: a round trip each would cost more
    // than the grading).
    let mut cols: [Vec<String>; 6] = Default::default();
    for p in &assessment.providers {
        for v in &p.profiles {
            tx.execute(
                "INSERT INTO grades (run_id, provider, profile, version, verdict, passed, detail)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &run.run_id,
                    &p.provider.id,
                    &v.profile,
                    &v.version,
                    &v.verdict,
                    &v.passed,
                    &v.detail,
                ],
            )
            .await?;
            for f in v.targets.iter().flat_map(|t| &t.findings) {
                let detail = serde_json::json!({
                    "reason": f.reason,
                    "evidence": f.evidence,
                    "records": f.records,
                });
                for (c, x) in cols.iter_mut().zip([
                    p.provider.id.clone(),
                    f.target.clone(),
                    v.profile.clone(),
                    f.control.clone(),
                    f.result.as_str().to_owned(),
                    detail.to_string(),
                ]) {
                    c.push(x);
                }
            }
        }
    }
    let [provider, target, profile, control, outcome, detail] = &cols;
    let findings = provider.len();
    tx.execute(
        "INSERT INTO findings (run_id, provider, target, profile, control, outcome, detail)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                  $7::text[])",
        &[
            &run.run_id,
            provider,
            target,
            profile,
            control,
            outcome,
            detail,
        ],
    )
    .await?;
    Ok(findings)
}

fn id_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

const SUMMARY_SELECT: &str = "SELECT r.run_id, r.run_dir, r.started, r.ended, r.status,
        r.integrity, p.provider, p.name, p.declared_country, p.applies_for, p.grade
     FROM runs r JOIN providers p ON p.run_id = r.run_id";

impl Pg {
    /// Whether a run is recorded in the store.
    pub async fn has_run(&self, run_id: &str) -> Result<bool, PgError> {
        let c = self.client().await?;
        c.query_opt("SELECT 1 FROM runs WHERE run_id = $1", &[&run_id])
            .await
            .map(|r| r.is_some())
            .map_err(|e| self.err("look up a run", &e))
    }

    /// Record a graded run, as the SQLite store does ([`crate::store::RunStore::record_run`]):
    /// its lines as written (`run_lines`), its evidence rows (with the run's vantage), targets,
    /// findings and grades, in one transaction; a run already present is left as it is.
    pub async fn record_run(
        &self,
        loaded: &LoadedRun,
        assessment: &Assessment,
    ) -> Result<Imported, PgError> {
        let run = &loaded.run;
        if run.run_id.is_empty() {
            return Err(PgError::NotFound {
                db: self.name().to_owned(),
                message: format!(
                    "{}: no run id (no run-begin record); not recorded",
                    run.file
                ),
            });
        }
        let lines: Vec<Line> = loaded.lines.iter().filter_map(|l| Line::parse(l)).collect();
        let find = |kind: &str| {
            lines
                .iter()
                .rev()
                .find(|l| l.kind == kind)
                .map(|l| l.data.clone())
                .unwrap_or(Value::Null)
        };
        let (begin, end) = (find("run-begin"), find("run-end"));
        let vantage = begin
            .pointer("/vantage/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let dir = loaded
            .dir
            .as_ref()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        let mut c = self.client().await?;
        let e = |what: &'static str| move |err: tokio_postgres::Error| self.err(what, &err);
        let tx = c.transaction().await.map_err(e("begin the import"))?;
        // Another writer may be recording it: the first to take the run's lock writes it.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&run.run_id],
        )
        .await
        .map_err(e("lock the run id"))?;
        if tx
            .query_opt("SELECT 1 FROM runs WHERE run_id = $1", &[&run.run_id])
            .await
            .map_err(e("look up a run"))?
            .is_some()
        {
            return Ok(Imported::AlreadyPresent {
                run_id: run.run_id.clone(),
            });
        }
        let findings = insert_assessment(&tx, run, assessment, &dir, &begin, &end, &loaded.head)
            .await
            .map_err(e("write the run"))?;
        let seqs: Vec<i64> = (0..i64::try_from(loaded.lines.len()).unwrap_or(0)).collect();
        tx.execute(
            "INSERT INTO run_lines (run_id, seq, line)
             SELECT $1, s, l FROM unnest($2::bigint[], $3::text[]) AS x(s, l)",
            &[&run.run_id, &seqs, &loaded.lines],
        )
        .await
        .map_err(e("write the run's lines"))?;
        let mut records = 0;
        // A queued run's evidence is in the table already, one row per vantage as its jobs
        // recorded it; the run's lines (every vantage's records in one chain) are kept above.
        let queued = tx
            .query_opt("SELECT 1 FROM queue_runs WHERE run_id = $1", &[&run.run_id])
            .await
            .map_err(e("look up a queued run"))?
            .is_some();
        for l in lines
            .iter()
            .filter(|l| l.kind == "evidence")
            .filter(|_| !queued)
        {
            insert_evidence(&tx, &run.run_id, &vantage, None, l)
                .await
                .map_err(e("write evidence"))?;
            records += 1;
        }
        tx.commit().await.map_err(e("commit the import"))?;
        Ok(Imported::Written {
            run_id: run.run_id.clone(),
            records,
            findings,
        })
    }

    /// Read a recorded run back: its lines verified again and the chain's head compared with
    /// the one recorded ([`crate::store::RunStore::load_run`]).
    pub async fn load_run(&self, run_id: &str) -> Result<Run, PgError> {
        let c = self.client().await?;
        let e = |what: &'static str| move |err: tokio_postgres::Error| self.err(what, &err);
        let recorded: String = c
            .query_opt("SELECT head FROM runs WHERE run_id = $1", &[&run_id])
            .await
            .map_err(e("look up a run"))?
            .ok_or_else(|| PgError::NotFound {
                db: self.name().to_owned(),
                message: format!("no run {run_id} in the store"),
            })?
            .get(0);
        let lines: Vec<String> = c
            .query(
                "SELECT line FROM run_lines WHERE run_id = $1 ORDER BY seq",
                &[&run_id],
            )
            .await
            .map_err(e("read run lines"))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let name = format!("{}#{run_id}", self.name());
        let source = evidence::Records::Lines {
            name: &name,
            lines: Box::new(lines.into_iter()),
        };
        let (run, tail) = doc::load_records(&name, source)?;
        if tail.report.head != recorded {
            return Err(PgError::NotFound {
                db: self.name().to_owned(),
                message: format!(
                    "run {run_id} was edited in the database: its chain head is {} but {recorded} \
                     was recorded",
                    tail.report.head
                ),
            });
        }
        Ok(run)
    }

    async fn summaries(
        &self,
        sql: &str,
        args: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<RunSummary>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(sql, args)
            .await
            .map_err(|e| self.err("read runs", &e))?;
        let mut out: Vec<RunSummary> = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(RunSummary {
                run_id: r.get(0),
                run_dir: PathBuf::from(r.get::<_, String>(1)),
                started: r.get(2),
                ended: r.get(3),
                status: r.get(4),
                integrity: r.get(5),
                provider: r.get(6),
                name: r.get(7),
                declared_country: r.get(8),
                applies_for: r.get(9),
                grade: r.get(10),
                grades: Vec::new(),
            });
        }
        // Every summary's grades in one query (not one per run).
        let (runs, providers): (Vec<String>, Vec<String>) = out
            .iter()
            .map(|s| (s.run_id.clone(), s.provider.clone()))
            .unzip();
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT g.run_id, g.provider, g.profile, g.version, g.verdict, g.passed
                 FROM grades g
                 JOIN unnest($1::text[], $2::text[]) AS k(run_id, provider)
                   ON g.run_id = k.run_id AND g.provider = k.provider",
                &[&runs, &providers],
            )
            .await
            .map_err(|e| self.err("read grades", &e))?;
        let mut by: BTreeMap<(String, String), Vec<GradeRow>> = BTreeMap::new();
        for r in rows {
            by.entry((r.get(0), r.get(1))).or_default().push(GradeRow {
                profile: r.get(2),
                version: r.get(3),
                verdict: r.get(4),
                passed: r.get(5),
            });
        }
        for s in &mut out {
            if let Some(mut g) = by.remove(&(s.run_id.clone(), s.provider.clone())) {
                g.sort_by_key(|g| profile_order(&g.profile));
                s.grades = g;
            }
        }
        Ok(out)
    }

    /// The verdicts of `provider` in run `run_id`, kensa levels first.
    pub async fn grades(&self, run_id: &str, provider: &str) -> Result<Vec<GradeRow>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT profile, version, verdict, passed FROM grades
                 WHERE run_id = $1 AND provider = $2",
                &[&run_id, &provider],
            )
            .await
            .map_err(|e| self.err("read grades", &e))?;
        let mut out: Vec<GradeRow> = rows
            .iter()
            .map(|r| GradeRow {
                profile: r.get(0),
                version: r.get(1),
                verdict: r.get(2),
                passed: r.get(3),
            })
            .collect();
        out.sort_by_key(|g| profile_order(&g.profile));
        Ok(out)
    }

    /// Every run of `provider`, oldest first.
    pub async fn provider_runs(&self, provider: &str) -> Result<Vec<RunSummary>, PgError> {
        self.summaries(
            &format!("{SUMMARY_SELECT} WHERE p.provider = $1 ORDER BY r.started, r.run_id"),
            &[&provider],
        )
        .await
    }

    /// The run of `provider` just before `run_id` (by start time), if any.
    pub async fn previous_run(
        &self,
        provider: &str,
        run_id: &str,
    ) -> Result<Option<RunSummary>, PgError> {
        let runs = self.provider_runs(provider).await?;
        let before = match runs.iter().position(|r| r.run_id == run_id) {
            Some(i) => i.checked_sub(1).and_then(|j| runs.get(j)),
            None => runs.last(),
        };
        Ok(before.cloned())
    }

    /// The latest run of each provider, by provider id.
    pub async fn latest_run_per_provider(&self) -> Result<Vec<RunSummary>, PgError> {
        self.summaries(
            &format!(
                "{SUMMARY_SELECT}
                 WHERE r.run_id = (SELECT r2.run_id FROM runs r2
                                   JOIN providers p2 ON p2.run_id = r2.run_id
                                   WHERE p2.provider = p.provider
                                   ORDER BY r2.started DESC, r2.run_id DESC LIMIT 1)
                 ORDER BY p.provider"
            ),
            &[],
        )
        .await
    }

    /// Every provider id in the store.
    pub async fn providers(&self) -> Result<Vec<String>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT DISTINCT provider FROM providers ORDER BY provider",
                &[],
            )
            .await
            .map_err(|e| self.err("read providers", &e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// The evidence records of `probe` for `provider`'s targets in run `run_id` (every
    /// vantage), by vantage, job and seq.
    pub async fn evidence_for(
        &self,
        run_id: &str,
        provider: &str,
        probe: &str,
    ) -> Result<Vec<StoredEvidence>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT seq, hash, target, probe, outcome, line FROM evidence
                 WHERE run_id = $1 AND provider = $2 AND probe = $3
                 ORDER BY vantage, job_id NULLS FIRST, seq",
                &[&run_id, &provider, &probe],
            )
            .await
            .map_err(|e| self.err("read evidence", &e))?;
        let mut out = Vec::new();
        for r in rows {
            let seq: i64 = r.get(0);
            let line: String = r.get(5);
            let observation = Line::parse(&line)
                .and_then(|l| l.data.get("observation").cloned())
                .unwrap_or(Value::Null);
            out.push(StoredEvidence {
                seq,
                hash: r.get(1),
                target: r.get(2),
                probe: r.get(3),
                outcome: r.get(4),
                observation,
            });
        }
        Ok(out)
    }

    /// Row counts of each store table.
    pub async fn counts(&self) -> Result<BTreeMap<String, i64>, PgError> {
        let c = self.client().await?;
        let mut out = BTreeMap::new();
        for t in [
            "runs",
            "providers",
            "targets",
            "evidence",
            "findings",
            "grades",
        ] {
            let n: i64 = c
                .query_one(&format!("SELECT count(*) FROM {t}"), &[])
                .await
                .map_err(|e| self.err("count rows", &e))?
                .get(0);
            out.insert(t.to_owned(), n);
        }
        Ok(out)
    }
}

/// The run store on PostgreSQL behind [`RunStore`], for synchronous callers: it owns a small
/// runtime and blocks on each call, so it must not be called from inside an async task (use
/// [`Pg`]'s async methods there). Errors are [`crate::store::StoreError::Io`] naming the
/// database (never the password).
pub struct PgRunStore {
    pg: Pg,
    rt: Rt,
}

/// The runtime a [`PgRunStore`] blocks on: its own, or a handle of the caller's (from a
/// thread of the caller's blocking pool).
enum Rt {
    Own(tokio::runtime::Runtime),
    Handle(tokio::runtime::Handle),
}

impl Rt {
    fn block_on<F: Future>(&self, f: F) -> F::Output {
        match self {
            Self::Own(rt) => rt.block_on(f),
            Self::Handle(h) => h.block_on(f),
        }
    }
}

/// The advisory lock key of the re-check cycle ("KNSC").
const CYCLE_LOCK: i64 = 0x4B4E_5343;

/// The session that holds the cycle's advisory lock: the lock lasts as long as its
/// connection, so it is released however the holder ends (the server drops a dead
/// client's session).
struct AdvisoryLock(#[allow(dead_code)] tokio_postgres::Client);

impl std::fmt::Debug for PgRunStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgRunStore")
            .field("db", &self.pg.name())
            .finish()
    }
}

impl PgRunStore {
    /// Connect to `url` (migrating its schema, refusing a foreign or newer database).
    pub fn connect(url: &str) -> Result<Self, PgError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|source| PgError::Io {
                path: "the async runtime".into(),
                source,
            })?;
        let pg = rt.block_on(Pg::connect(url, super::PoolSettings::default()))?;
        Ok(Self {
            pg,
            rt: Rt::Own(rt),
        })
    }

    /// The store over `pg`, blocking on `handle`: for a thread of that runtime's blocking
    /// pool (`spawn_blocking`), never for one of its async tasks.
    pub fn with_handle(pg: Pg, handle: tokio::runtime::Handle) -> Self {
        Self {
            pg,
            rt: Rt::Handle(handle),
        }
    }

    /// The async store underneath.
    pub fn pg(&self) -> &Pg {
        &self.pg
    }

    /// Block on `f` with the store's runtime.
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    fn wrap(&self, e: PgError) -> StoreError {
        match e {
            PgError::Assess(a) => StoreError::Assess(a),
            other => StoreError::Io {
                path: self.pg.name().to_owned(),
                source: std::io::Error::other(other.to_string()),
            },
        }
    }
}

impl RunStore for PgRunStore {
    fn record_run(
        &mut self,
        loaded: &LoadedRun,
        assessment: &Assessment,
    ) -> Result<Imported, StoreError> {
        self.rt
            .block_on(self.pg.record_run(loaded, assessment))
            .map_err(|e| self.wrap(e))
    }

    fn load_run(&self, run_id: &str) -> Result<Run, StoreError> {
        self.rt
            .block_on(self.pg.load_run(run_id))
            .map_err(|e| self.wrap(e))
    }

    fn contains_run(&self, run_id: &str) -> Result<bool, StoreError> {
        self.rt
            .block_on(self.pg.has_run(run_id))
            .map_err(|e| self.wrap(e))
    }

    fn previous_run_of(
        &self,
        provider: &str,
        run_id: &str,
    ) -> Result<Option<RunSummary>, StoreError> {
        self.rt
            .block_on(self.pg.previous_run(provider, run_id))
            .map_err(|e| self.wrap(e))
    }

    fn grade_history(&self, provider: &str) -> Result<Vec<RunSummary>, StoreError> {
        self.rt
            .block_on(self.pg.provider_runs(provider))
            .map_err(|e| self.wrap(e))
    }

    fn latest_per_provider(&self) -> Result<Vec<RunSummary>, StoreError> {
        self.rt
            .block_on(self.pg.latest_run_per_provider())
            .map_err(|e| self.wrap(e))
    }

    /// A PostgreSQL advisory lock (session level, taken without waiting) on a connection of
    /// its own: two re-check cycles on one database never overlap, from any machine, and a
    /// holder that dies releases it with its session.
    fn lock_cycle(&self) -> Result<crate::recheck::CycleLock, crate::recheck::RecheckError> {
        let name = self.pg.name().to_owned();
        let locked = |source: std::io::Error| crate::recheck::RecheckError::Lock {
            lock: format!("{name} (advisory lock {CYCLE_LOCK:#x})"),
            source,
        };
        let client = self
            .rt
            .block_on(self.pg.connect_one())
            .map_err(|e| locked(std::io::Error::other(e.to_string())))?;
        let me = format!("kensa recheck pid {}", std::process::id());
        let got: bool = self
            .rt
            .block_on(async {
                client
                    .execute("SELECT set_config('application_name', $1, false)", &[&me])
                    .await?;
                client
                    .query_one("SELECT pg_try_advisory_lock($1)", &[&CYCLE_LOCK])
                    .await
                    .map(|r| r.get(0))
            })
            .map_err(|e| {
                locked(std::io::Error::other(
                    self.pg.err("take the lock", &e).to_string(),
                ))
            })?;
        if got {
            return Ok(crate::recheck::CycleLock::held(AdvisoryLock(client)));
        }
        // Who holds it: the holder named its session.
        let holder: String = self
            .rt
            .block_on(client.query_opt(
                "SELECT a.application_name FROM pg_locks l
                 JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND l.granted
                   AND l.classid = ($1::bigint >> 32)::oid
                   AND l.objid = ($1::bigint & 4294967295)::oid
                   AND l.objsubid = 1",
                &[&CYCLE_LOCK],
            ))
            .ok()
            .flatten()
            .map(|r| r.get::<_, String>(0))
            .unwrap_or_default();
        let pid = holder
            .strip_prefix("kensa recheck pid ")
            .map_or_else(|| format!("unknown: {holder}"), str::to_owned);
        Err(crate::recheck::RecheckError::Locked {
            lock: format!("{name} (advisory lock {CYCLE_LOCK:#x})"),
            pid,
        })
    }
}

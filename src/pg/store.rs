//! The run store on PostgreSQL: the same tables and semantics as the SQLite store
//! ([`crate::store::Store`]): a run imported once (its evidence, targets, and the findings and
//! grades of [`crate::store::assess_runs`], in one transaction), a provider's runs oldest
//! first, the run before another, the latest run per provider, grades in profile order.
//! Evidence rows also carry the vantage and the verbatim chained line.

use std::collections::BTreeMap;
use std::path::PathBuf;

use deadpool_postgres::GenericClient;
use futures_util::StreamExt as _;
use serde_json::Value;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::Type;

use super::{Pg, PgError};
use crate::assess::doc::{self, Run};
use crate::assess::grade::Assessment;
use crate::evidence;
use crate::store::{
    GradeFn, GradeRow, Imported, LoadedRun, RunStore, RunSummary, StoreError, StoredEvidence,
    StoredFinding, StoredGrade, StoredRuns, profile_order,
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

    /// Parse one chained line for the columns the store writes: as [`Line::parse`], but an
    /// evidence line's `data` keeps only what the `evidence` row's columns take (target id
    /// and provider, probe, outcome, start, elapsed time, error); its observation is skipped
    /// unparsed (the import of a 10,000-target run parses 112 MB of lines).
    pub fn parse_columns(text: &str) -> Option<Self> {
        #[derive(serde::Deserialize)]
        struct Head<'a> {
            seq: Option<i64>,
            hash: Option<String>,
            #[serde(rename = "type")]
            kind: Option<String>,
            #[serde(borrow)]
            data: Option<&'a serde_json::value::RawValue>,
        }
        /// The evidence data the columns take; absent fields stay absent.
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Columns {
            #[serde(skip_serializing_if = "Option::is_none")]
            target: Option<Value>,
            #[serde(skip_serializing_if = "Option::is_none")]
            probe: Option<Value>,
            #[serde(skip_serializing_if = "Option::is_none")]
            outcome: Option<Value>,
            #[serde(skip_serializing_if = "Option::is_none")]
            started_at: Option<Value>,
            #[serde(skip_serializing_if = "Option::is_none")]
            elapsed_us: Option<Value>,
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<Value>,
        }
        let h: Head<'_> = serde_json::from_str(text).ok()?;
        let kind = h.kind.unwrap_or_default();
        let data = match h.data {
            None => Value::Null,
            Some(raw) if kind == "evidence" => {
                let c: Columns = serde_json::from_str(raw.get()).ok()?;
                serde_json::to_value(c).ok()?
            }
            Some(raw) => serde_json::from_str(raw.get()).ok()?,
        };
        Some(Self {
            seq: h.seq.unwrap_or(-1),
            hash: h.hash.unwrap_or_default(),
            kind,
            data,
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

/// The evidence rows of an imported run's `lines` (its `evidence` lines; no job), in one
/// `COPY`. Returns how many.
async fn copy_evidence<'l>(
    tx: &tokio_postgres::Transaction<'_>,
    run_id: &str,
    vantage: &str,
    lines: impl Iterator<Item = &'l Line>,
) -> Result<usize, tokio_postgres::Error> {
    let writer = copy_in(
        tx,
        "evidence",
        &[
            ("run_id", Type::TEXT),
            ("vantage", Type::TEXT),
            ("seq", Type::INT8),
            ("hash", Type::TEXT),
            ("target", Type::TEXT),
            ("provider", Type::TEXT),
            ("probe", Type::TEXT),
            ("outcome", Type::TEXT),
            ("started_at", Type::TEXT),
            ("elapsed_us", Type::INT8),
            ("error", Type::TEXT),
            ("line", Type::TEXT),
        ],
    )
    .await?;
    let mut writer = std::pin::pin!(writer);
    let mut n = 0;
    for l in lines.filter(|l| l.kind == "evidence") {
        writer
            .as_mut()
            .write(&[
                &run_id,
                &vantage,
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
            ])
            .await?;
        n += 1;
    }
    writer.finish().await?;
    Ok(n)
}

/// The findings from which an import analyzes the tables it filled (sampling costs ~0.4 s
/// at 900,000 findings).
const ANALYZE_AFTER_FINDINGS: usize = 100_000;

/// Why [`Pg::record_run_with`] recorded nothing: the store failed, or the assessment it
/// waited for did (the transaction is rolled back either way).
#[derive(Debug)]
pub(crate) enum RecordError<E> {
    /// The database.
    Pg(PgError),
    /// The assessment.
    Assessment(E),
}

/// A `COPY … FROM STDIN BINARY` of `columns` of `table` in `tx`: one row per `write`.
async fn copy_in(
    tx: &tokio_postgres::Transaction<'_>,
    table: &str,
    columns: &[(&str, Type)],
) -> Result<BinaryCopyInWriter, tokio_postgres::Error> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let types: Vec<Type> = columns.iter().map(|(_, t)| t.clone()).collect();
    let sink = tx
        .copy_in(&format!(
            "COPY {table} ({}) FROM STDIN BINARY",
            names.join(", ")
        ))
        .await?;
    Ok(BinaryCopyInWriter::new(sink, &types))
}

/// Write a run's row and its targets (its assessment follows in [`insert_graded`]).
async fn insert_run(
    tx: &tokio_postgres::Transaction<'_>,
    run: &Run,
    run_dir: &str,
    begin: &Value,
    end: &Value,
    head: &str,
) -> Result<(), tokio_postgres::Error> {
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
    let writer = copy_in(
        tx,
        "targets",
        &[
            ("run_id", Type::TEXT),
            ("target", Type::TEXT),
            ("provider", Type::TEXT),
            ("host", Type::TEXT),
            ("port", Type::INT4),
            ("sni", Type::TEXT),
            ("addresses", Type::TEXT),
            ("address_source", Type::TEXT),
        ],
    )
    .await?;
    let mut writer = std::pin::pin!(writer);
    for t in &run.targets {
        let tv = t.doc.get("target").unwrap_or(&Value::Null);
        let port: Option<i32> = tv
            .get("port")
            .and_then(Value::as_i64)
            .and_then(|p| i32::try_from(p).ok());
        let addresses = tv
            .get("addresses")
            .map_or_else(|| "[]".to_owned(), Value::to_string);
        writer
            .as_mut()
            .write(&[
                &run.run_id,
                &t.target,
                &t.provider,
                &s(tv, "host"),
                &port,
                &s(tv, "sni"),
                &addresses,
                &s(tv, "address_source"),
            ])
            .await?;
    }
    writer.finish().await?;
    Ok(())
}

/// Write a run's providers, grades and findings (findings and grades keep their order in
/// `ord`: the named profiles first, then each `applies_for`, as [`crate::store::Store`]'s
/// rowids do).
async fn insert_graded(
    tx: &tokio_postgres::Transaction<'_>,
    run_id: &str,
    assessment: &Assessment,
) -> Result<usize, tokio_postgres::Error> {
    for p in &assessment.providers {
        tx.execute(
            "INSERT INTO providers (run_id, provider, name, declared_country, applies_for,
                                    grade, fails_applies_for)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &run_id,
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
    let grade = tx
        .prepare(
            "INSERT INTO grades (run_id, provider, profile, version, verdict, passed, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .await?;
    for p in &assessment.providers {
        for v in &p.profiles {
            tx.execute(
                &grade,
                &[
                    &run_id,
                    &p.provider.id,
                    &v.profile,
                    &v.version,
                    &v.verdict,
                    &v.passed,
                    &v.detail,
                ],
            )
            .await?;
        }
    }
    // Findings streamed in one COPY (a run has hundreds of thousands: a statement each, or
    // all of them in one bound array, would cost more than the grading).
    let writer = copy_in(
        tx,
        "findings",
        &[
            ("run_id", Type::TEXT),
            ("provider", Type::TEXT),
            ("target", Type::TEXT),
            ("profile", Type::TEXT),
            ("control", Type::TEXT),
            ("outcome", Type::TEXT),
            ("detail", Type::TEXT),
        ],
    )
    .await?;
    let mut writer = std::pin::pin!(writer);
    let mut findings = 0;
    for p in &assessment.providers {
        for v in &p.profiles {
            for f in v.targets.iter().flat_map(|t| &t.findings) {
                let detail = crate::store::finding_detail(f);
                writer
                    .as_mut()
                    .write(&[
                        &run_id,
                        &p.provider.id,
                        &f.target,
                        &v.profile,
                        &f.control,
                        &f.result.as_str(),
                        &detail,
                    ])
                    .await?;
                findings += 1;
            }
        }
    }
    writer.finish().await?;
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
        let ready = std::future::ready(Ok::<_, std::convert::Infallible>(assessment));
        self.record_run_with(loaded, ready)
            .await
            .map_err(|e| match e {
                RecordError::Pg(e) => e,
                RecordError::Assessment(never) => match never {},
            })
    }

    /// [`Pg::record_run`] with the assessment still being made: the run's row, targets, lines
    /// and evidence are written (streamed with `COPY`) while `assessment` is awaited, then its
    /// providers, grades and findings, and the transaction commits. An assessment that fails
    /// rolls everything back.
    pub(crate) async fn record_run_with<A, E>(
        &self,
        loaded: &LoadedRun,
        assessment: impl Future<Output = Result<A, E>>,
    ) -> Result<Imported, RecordError<E>>
    where
        A: std::borrow::Borrow<Assessment>,
    {
        let run = &loaded.run;
        if run.run_id.is_empty() {
            return Err(RecordError::Pg(PgError::NotFound {
                db: self.name().to_owned(),
                message: format!(
                    "{}: no run id (no run-begin record); not recorded",
                    run.file
                ),
            }));
        }
        // Each line once, for its columns (the lines were verified as they were read).
        let lines: Vec<Option<Line>> = loaded
            .lines
            .iter()
            .map(|l| Line::parse_columns(l))
            .collect();
        let lines: &[Option<Line>] = &lines;
        let parsed = || lines.iter().flatten();
        let find = |kind: &str| {
            lines
                .iter()
                .rev()
                .flatten()
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
        let mut c = self.client().await.map_err(RecordError::Pg)?;
        let e = |what: &'static str| {
            move |err: tokio_postgres::Error| RecordError::Pg(self.err(what, &err))
        };
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
        insert_run(&tx, run, &dir, &begin, &end, &loaded.head)
            .await
            .map_err(e("write the run"))?;
        let writer = copy_in(
            &tx,
            "run_lines",
            &[
                ("run_id", Type::TEXT),
                ("seq", Type::INT8),
                ("line", Type::TEXT),
                ("provider", Type::TEXT),
                ("probe", Type::TEXT),
            ],
        )
        .await
        .map_err(e("write the run's lines"))?;
        let mut writer = std::pin::pin!(writer);
        for ((seq, line), parsed) in (0_i64..).zip(&loaded.lines).zip(lines) {
            let column = |p: &str| parsed.as_ref().and_then(|l| l.text_of(p));
            writer
                .as_mut()
                .write(&[
                    &run.run_id,
                    &seq,
                    line,
                    &column("/target/provider"),
                    &column("/probe"),
                ])
                .await
                .map_err(e("write the run's lines"))?;
        }
        writer.finish().await.map_err(e("write the run's lines"))?;
        let mut records = 0;
        // A queued run's evidence is in the table already, one row per vantage as its jobs
        // recorded it; the run's lines (every vantage's records in one chain) are kept above.
        let queued = tx
            .query_opt("SELECT 1 FROM queue_runs WHERE run_id = $1", &[&run.run_id])
            .await
            .map_err(e("look up a queued run"))?
            .is_some();
        if !queued {
            records = copy_evidence(&tx, &run.run_id, &vantage, parsed())
                .await
                .map_err(e("write evidence"))?;
        }
        let assessment = assessment.await.map_err(RecordError::Assessment)?;
        let findings = insert_graded(&tx, &run.run_id, assessment.borrow())
            .await
            .map_err(e("write the assessment"))?;
        tx.commit().await.map_err(e("commit the import"))?;
        // A large run changes the tables' statistics at once: without them the planner reads
        // the next diff's findings through a sort that spills (5.7–6.1 s instead of 4.5 s
        // for two 10,000-target runs) until autovacuum analyzes the tables, up to a minute
        // later. Statistics are an optimisation: a failure is only logged.
        if findings >= ANALYZE_AFTER_FINDINGS
            && let Err(err) = c
                .batch_execute("ANALYZE findings, run_lines, evidence")
                .await
        {
            tracing::warn!("{}", self.err("analyze after the import", &err));
        }
        Ok(Imported::Written {
            run_id: run.run_id.clone(),
            records,
            findings,
        })
    }

    /// Read a recorded run back: its lines verified again and the chain's head compared with
    /// the one recorded ([`crate::store::RunStore::load_run`]).
    pub async fn load_run(&self, run_id: &str) -> Result<Run, PgError> {
        self.load_run_keeping(run_id, None).await
    }

    /// [`Pg::load_run`], building only the observations of the probes `keep` accepts
    /// (`None`: all).
    pub async fn load_run_keeping(
        &self,
        run_id: &str,
        keep: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<Run, PgError> {
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
        let (run, tail) = doc::load_records_observing(&name, source, keep)?;
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

    /// The providers of run `run_id` with their kensa grade, in id order.
    pub async fn stored_providers(
        &self,
        run_id: &str,
    ) -> Result<Vec<(String, Option<String>)>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT provider, grade FROM providers WHERE run_id = $1 ORDER BY provider",
                &[&run_id],
            )
            .await
            .map_err(|e| self.err("read providers", &e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// The verdicts of run `run_id`, in the order recorded.
    pub async fn stored_grades(&self, run_id: &str) -> Result<Vec<StoredGrade>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT provider, profile, verdict, passed FROM grades WHERE run_id = $1
                 ORDER BY ord",
                &[&run_id],
            )
            .await
            .map_err(|e| self.err("read grades", &e))?;
        Ok(rows
            .iter()
            .map(|r| StoredGrade {
                provider: r.get(0),
                profile: r.get(1),
                verdict: r.get(2),
                passed: r.get(3),
            })
            .collect())
    }

    /// Every finding of run `run_id`, provider by provider (in the database's order of their
    /// ids), each provider's in the order recorded, handed to `each` as the rows arrive (never
    /// all held); `detail` is empty unless `with_detail`.
    pub async fn stored_findings(
        &self,
        run_id: &str,
        with_detail: bool,
        each: &mut dyn FnMut(StoredFinding<'_>),
    ) -> Result<(), PgError> {
        let c = self.client().await?;
        let e = |err: tokio_postgres::Error| self.err("read findings", &err);
        let args: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&run_id, &with_detail];
        let rows = c
            .query_raw(
                "SELECT provider, target, profile, control, outcome,
                        CASE WHEN $2 THEN detail ELSE '' END
                 FROM findings WHERE run_id = $1 ORDER BY provider, ord",
                args,
            )
            .await
            .map_err(e)?;
        let mut rows = std::pin::pin!(rows);
        while let Some(r) = rows.next().await {
            let r = r.map_err(e)?;
            each(StoredFinding::from_columns(|i| r.try_get(i).map_err(e))?);
        }
        Ok(())
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
}

/// A [`PgError`] as the run store's error: an assessment error as it is, anything else
/// [`StoreError::Postgres`] (whose message names the database once).
impl From<PgError> for StoreError {
    fn from(e: PgError) -> Self {
        match e {
            PgError::Assess(a) => StoreError::Assess(a),
            other => StoreError::Postgres(Box::new(other)),
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
            .map_err(StoreError::from)
    }

    /// Graded on a thread of its own while the run's row, targets, lines and evidence are
    /// streamed into the transaction; its providers, grades and findings follow.
    fn record_run_graded(
        &mut self,
        loaded: &LoadedRun,
        grade: &GradeFn,
    ) -> Result<Imported, StoreError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let recorded = std::thread::scope(|s| {
            s.spawn(move || {
                // The receiver is gone only when the import failed first.
                let _ = tx.send(grade(loaded));
            });
            let graded = async {
                match rx.await {
                    Ok(r) => r,
                    Err(_) => Err(StoreError::Io {
                        path: self.pg.name().to_owned(),
                        source: std::io::Error::other("the grading thread ended without a result"),
                    }),
                }
            };
            self.rt.block_on(self.pg.record_run_with(loaded, graded))
        });
        recorded.map_err(|e| match e {
            RecordError::Pg(e) => e.into(),
            RecordError::Assessment(e) => e,
        })
    }

    fn load_run(&self, run_id: &str) -> Result<Run, StoreError> {
        self.rt
            .block_on(self.pg.load_run(run_id))
            .map_err(StoreError::from)
    }

    fn contains_run(&self, run_id: &str) -> Result<bool, StoreError> {
        self.rt
            .block_on(self.pg.has_run(run_id))
            .map_err(StoreError::from)
    }

    fn previous_run_of(
        &self,
        provider: &str,
        run_id: &str,
    ) -> Result<Option<RunSummary>, StoreError> {
        self.rt
            .block_on(self.pg.previous_run(provider, run_id))
            .map_err(StoreError::from)
    }

    fn grade_history(&self, provider: &str) -> Result<Vec<RunSummary>, StoreError> {
        self.rt
            .block_on(self.pg.provider_runs(provider))
            .map_err(StoreError::from)
    }

    fn latest_per_provider(&self) -> Result<Vec<RunSummary>, StoreError> {
        self.rt
            .block_on(self.pg.latest_run_per_provider())
            .map_err(StoreError::from)
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

impl StoredRuns for PgRunStore {
    fn db_name(&self) -> String {
        self.pg.name().to_owned()
    }
    fn stored_providers(&self, run_id: &str) -> Result<Vec<(String, Option<String>)>, StoreError> {
        self.rt
            .block_on(self.pg.stored_providers(run_id))
            .map_err(StoreError::from)
    }
    fn stored_grades(&self, run_id: &str) -> Result<Vec<StoredGrade>, StoreError> {
        self.rt
            .block_on(self.pg.stored_grades(run_id))
            .map_err(StoreError::from)
    }
    fn stored_findings(
        &self,
        run_id: &str,
        with_detail: bool,
        each: &mut dyn FnMut(StoredFinding<'_>),
    ) -> Result<(), StoreError> {
        self.rt
            .block_on(self.pg.stored_findings(run_id, with_detail, each))
            .map_err(StoreError::from)
    }
    fn load_run_observing(
        &self,
        run_id: &str,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Run, StoreError> {
        self.rt
            .block_on(self.pg.load_run_keeping(run_id, Some(keep)))
            .map_err(StoreError::from)
    }
    /// The same pool, blocking on the same runtime (another connection of the pool).
    fn reader(&self) -> Option<Box<dyn StoredRuns + Send>> {
        let handle = match &self.rt {
            Rt::Own(rt) => rt.handle().clone(),
            Rt::Handle(h) => h.clone(),
        };
        Some(Box::new(Self::with_handle(self.pg.clone(), handle)))
    }
}

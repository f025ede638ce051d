//! What `kensa serve` reads and writes in a PostgreSQL store beyond the run store: API tokens,
//! the audit log, a run's findings, its evidence records as assessed, and the progress of a
//! queued re-check. The same tables and answers as the SQLite store's
//! ([`crate::store::Store::findings`], [`crate::store::Store::evidence_record`], …).
//!
//! A queued run's evidence rows are its jobs' (one per vantage, each job's chain numbered on
//! its own); the run as assessed is the one chain kept in `run_lines` (every vantage's records
//! and the residency judged with every vantage's discs). Findings name records of that chain,
//! so the evidence the service shows is read from `run_lines`: the record a finding names is
//! the one shown, and for a (target, probe) measured from several vantages the one graded (the
//! last in the chain) is the one the pages summarise.

use serde_json::Value;

use super::store::Line;
use super::{Pg, PgError};
use crate::store::{AuditRow, FindingRow, StoredEvidence, TokenRow};

/// A queued run's progress, as the service shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueuedProgress {
    /// Jobs in all.
    pub jobs_total: i64,
    /// Jobs a worker holds now.
    pub jobs_running: i64,
    /// Jobs finished (done or failed).
    pub jobs_done: i64,
    /// Evidence records the workers wrote so far.
    pub records: i64,
    /// When the run was assessed and recorded (its completion), if it was.
    pub assessed: Option<String>,
    /// Why its completion failed, if it did.
    pub completion_error: Option<String>,
    /// The completion's re-check summary (JSON), once assessed.
    pub summary: Option<String>,
}

fn stored(l: &Line) -> StoredEvidence {
    StoredEvidence {
        seq: l.seq,
        hash: l.hash.clone(),
        target: l.text_of("/target/id").unwrap_or_default(),
        probe: l.text_of("/probe").unwrap_or_default(),
        outcome: l.text_of("/outcome").unwrap_or_default(),
        observation: l.data.get("observation").cloned().unwrap_or(Value::Null),
    }
}

impl Pg {
    /// Store a new token's SHA-256 (hex) with its role; returns its number.
    pub async fn insert_token(
        &self,
        hash: &str,
        role: &str,
        label: Option<&str>,
    ) -> Result<i64, PgError> {
        let c = self.client().await?;
        c.query_one(
            "INSERT INTO api_tokens (hash, role, label, created) VALUES ($1, $2, $3, $4)
             RETURNING id",
            &[
                &hash,
                &role,
                &label,
                &crate::rfc3339(std::time::SystemTime::now()),
            ],
        )
        .await
        .map(|r| r.get(0))
        .map_err(|e| self.err("write a token", &e))
    }

    /// The token whose SHA-256 (hex) is `hash`, unless revoked.
    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>, PgError> {
        let c = self.client().await?;
        let row = c
            .query_opt(
                "SELECT id, role, label, created, revoked FROM api_tokens
                 WHERE hash = $1 AND revoked IS NULL",
                &[&hash],
            )
            .await
            .map_err(|e| self.err("look up a token", &e))?;
        Ok(row.map(|r| token_row(&r)))
    }

    /// Every token, newest first.
    pub async fn tokens(&self) -> Result<Vec<TokenRow>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT id, role, label, created, revoked FROM api_tokens ORDER BY id DESC",
                &[],
            )
            .await
            .map_err(|e| self.err("read tokens", &e))?;
        Ok(rows.iter().map(token_row).collect())
    }

    /// Revoke token `id`; whether it was active.
    pub async fn revoke_token(&self, id: i64) -> Result<bool, PgError> {
        let c = self.client().await?;
        c.execute(
            "UPDATE api_tokens SET revoked = $2 WHERE id = $1 AND revoked IS NULL",
            &[&id, &crate::rfc3339(std::time::SystemTime::now())],
        )
        .await
        .map(|n| n > 0)
        .map_err(|e| self.err("revoke a token", &e))
    }

    /// Append an entry to the audit log.
    pub async fn audit(&self, actor: &str, action: &str, detail: &Value) -> Result<(), PgError> {
        let c = self.client().await?;
        c.execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)",
            &[
                &crate::rfc3339(std::time::SystemTime::now()),
                &actor,
                &action,
                &detail.to_string(),
            ],
        )
        .await
        .map_err(|e| self.err("write the audit log", &e))?;
        Ok(())
    }

    /// The latest `limit` audit entries, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditRow>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT id, at, actor, action, detail FROM audit ORDER BY id DESC LIMIT $1",
                &[&limit],
            )
            .await
            .map_err(|e| self.err("read the audit log", &e))?;
        Ok(rows
            .iter()
            .map(|r| AuditRow {
                id: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                detail: r.get(4),
            })
            .collect())
    }

    /// The findings of `provider` in run `run_id`, by profile, target and control.
    pub async fn findings(&self, run_id: &str, provider: &str) -> Result<Vec<FindingRow>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT target, profile, control, outcome, detail FROM findings
                 WHERE run_id = $1 AND provider = $2 ORDER BY profile, target, control",
                &[&run_id, &provider],
            )
            .await
            .map_err(|e| self.err("read findings", &e))?;
        Ok(rows
            .iter()
            .map(|r| FindingRow {
                target: r.get(0),
                profile: r.get(1),
                control: r.get(2),
                outcome: r.get(3),
                detail: serde_json::from_str(&r.get::<_, String>(4)).unwrap_or(Value::Null),
            })
            .collect())
    }

    /// The lines of run `run_id` as recorded (not verified here), or none.
    pub async fn run_lines(&self, run_id: &str) -> Result<Vec<String>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT line FROM run_lines WHERE run_id = $1 ORDER BY seq",
                &[&run_id],
            )
            .await
            .map_err(|e| self.err("read run lines", &e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// The evidence records of `probe` for `provider`'s targets in run `run_id` as assessed
    /// (its recorded chain), one per target: for a target measured from several vantages,
    /// the one graded (the last).
    pub async fn assessed_evidence(
        &self,
        run_id: &str,
        provider: &str,
        probe: &str,
    ) -> Result<Vec<StoredEvidence>, PgError> {
        let c = self.client().await?;
        // Prepared once per pooled connection: `kensa compare` asks four times per provider.
        let stmt = c
            .prepare_cached(
                "SELECT line FROM run_lines
                 WHERE run_id = $1 AND provider = $2 AND probe = $3
                 ORDER BY seq",
            )
            .await
            .map_err(|e| self.err("read evidence", &e))?;
        let rows = c
            .query(&stmt, &[&run_id, &provider, &probe])
            .await
            .map_err(|e| self.err("read evidence", &e))?;
        let mut by_target: Vec<StoredEvidence> = Vec::new();
        for r in rows {
            let Some(l) = Line::parse(&r.get::<_, String>(0)).filter(|l| l.kind == "evidence")
            else {
                continue;
            };
            let e = stored(&l);
            match by_target.iter_mut().find(|x| x.target == e.target) {
                Some(x) => *x = e,
                None => by_target.push(e),
            }
        }
        Ok(by_target)
    }

    /// The evidence record `seq` of run `run_id`'s recorded chain, if that provider's.
    pub async fn evidence_record(
        &self,
        run_id: &str,
        provider: &str,
        seq: i64,
    ) -> Result<Option<StoredEvidence>, PgError> {
        let c = self.client().await?;
        // A line's seq is its place in the chain (the writer numbers them from 0), which is
        // the key `run_lines` keeps it under.
        let row = c
            .query_opt(
                "SELECT line FROM run_lines WHERE run_id = $1 AND seq = $2",
                &[&run_id, &seq],
            )
            .await
            .map_err(|e| self.err("read evidence", &e))?;
        Ok(row
            .and_then(|r| Line::parse(&r.get::<_, String>(0)))
            .filter(|l| {
                l.kind == "evidence"
                    && l.seq == seq
                    && l.text_of("/target/provider").as_deref() == Some(provider)
            })
            .map(|l| stored(&l)))
    }

    /// A number that changes whenever a run is recorded (the service's cache key).
    pub async fn change_version(&self) -> Result<i64, PgError> {
        let c = self.client().await?;
        let r = c
            .query_one(
                "SELECT count(*), coalesce(max(imported), '') FROM runs",
                &[],
            )
            .await
            .map_err(|e| self.err("read the store's version", &e))?;
        let n: i64 = r.get(0);
        let last: String = r.get(1);
        let digest = ring::digest::digest(&ring::digest::SHA256, last.as_bytes());
        let mut b = [0u8; 8];
        for (d, s) in b.iter_mut().zip(digest.as_ref()) {
            *d = *s;
        }
        Ok(n ^ i64::from_le_bytes(b))
    }

    /// The progress of queued run `run_id` (`None`: no such queued run).
    pub async fn queued_progress(&self, run_id: &str) -> Result<Option<QueuedProgress>, PgError> {
        let c = self.client().await?;
        let Some(r) = c
            .query_opt(
                "SELECT q.jobs_total,
                        (SELECT count(*) FROM jobs j WHERE j.run_id = q.run_id
                                                       AND j.state = 'running'),
                        (SELECT count(*) FROM jobs j WHERE j.run_id = q.run_id
                                                       AND j.state IN ('done', 'failed')),
                        (SELECT count(*) FROM evidence e WHERE e.run_id = q.run_id),
                        q.assessed::text, q.completion_error, q.summary
                 FROM queue_runs q WHERE q.run_id = $1",
                &[&run_id],
            )
            .await
            .map_err(|e| self.err("read a run's progress", &e))?
        else {
            return Ok(None);
        };
        Ok(Some(QueuedProgress {
            jobs_total: r.get(0),
            jobs_running: r.get(1),
            jobs_done: r.get(2),
            records: r.get(3),
            assessed: r.get(4),
            completion_error: r.get(5),
            summary: r.get(6),
        }))
    }

    /// Queued runs whose catalog source starts with `prefix` and that are not assessed yet
    /// (the re-checks a stopped service left to the workers), oldest first.
    pub async fn unassessed_runs(&self, prefix: &str) -> Result<Vec<(String, String)>, PgError> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT run_id, catalog_source FROM queue_runs
                 WHERE assessed IS NULL AND starts_with(catalog_source, $1)
                 ORDER BY created",
                &[&prefix],
            )
            .await
            .map_err(|e| self.err("read queued runs", &e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

fn token_row(r: &tokio_postgres::Row) -> TokenRow {
    TokenRow {
        id: r.get(0),
        role: r.get(1),
        label: r.get(2),
        created: r.get(3),
        revoked: r.get(4),
    }
}

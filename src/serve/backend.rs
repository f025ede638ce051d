//! The one place `kensa serve` reads the run store and starts re-checks.
//!
//! Every handler goes through [`Backend`]; nothing else in `src/serve/` touches
//! [`crate::store`], [`crate::pg`], [`crate::recheck`] or the catalog file. The store is
//! either SQLite ([`crate::store::Store`]) or PostgreSQL ([`crate::pg::store::PgRunStore`]),
//! both behind [`ServeStore`] (the library's [`crate::store::RunStore`] plus the reads the
//! pages need); the handlers cannot tell them apart. Store calls block: [`Backend::call`]
//! runs them on tokio's blocking pool (SQLite with a connection from a small pool, PostgreSQL
//! through its connection pool on a runtime of its own).
//!
//! Re-checks: with SQLite the service scans itself (`recheck::run_cycle` on a thread);
//! with PostgreSQL it enqueues the provider's catalog entry for the workers of the
//! service's `--vantages` and follows the queued run (jobs claimed and finished, records
//! written) until a worker has completed it (assessed, recorded, diffed).
//!
//! The providers overview (latest grade per profile, residency, certificate expiry, a trend)
//! is computed once per change of the database — SQLite's `PRAGMA data_version` on a
//! connection of its own, PostgreSQL's count and latest import time of its runs — and shared
//! by every request until then.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde::Serialize;
use serde_json::Value;

use crate::pg::store::PgRunStore;
use crate::store::{
    AuditRow, EvidenceSource, FindingRow, GradeRow, RunStore as _, RunSummary, Store, StoreError,
    StoredEvidence, TokenRow,
};

/// The catalog source of the runs the service enqueues (followed by the provider id): how a
/// restarted service finds the re-checks it left to the workers.
pub const QUEUED_RECHECK_SOURCE: &str = "kensa serve re-check of ";

/// What the service reads and writes in a run store: the library's run store
/// ([`crate::store::RunStore`]: runs read back verified, grade histories) and the reads of
/// its pages. Implemented by the SQLite store and by the PostgreSQL store.
pub trait ServeStore: crate::store::StoredRuns {
    /// A number that changes whenever a run is recorded.
    fn change_version(&self) -> Result<i64, StoreError>;
    /// Every provider's latest run.
    fn latest(&self) -> Result<Vec<RunSummary>, StoreError>;
    /// A provider's runs, oldest first.
    fn runs_of(&self, provider: &str) -> Result<Vec<RunSummary>, StoreError>;
    /// The findings of a provider in a run.
    fn findings_of(&self, run_id: &str, provider: &str) -> Result<Vec<FindingRow>, StoreError>;
    /// One evidence record of a provider's run, by its seq in the run's chain.
    fn record(
        &self,
        run_id: &str,
        provider: &str,
        seq: i64,
    ) -> Result<Option<StoredEvidence>, StoreError>;
    /// A run's lines as recorded.
    fn lines(&self, run_id: &str) -> Result<Vec<String>, StoreError>;
    /// A run read back and verified (its chain head checked).
    fn run(&self, run_id: &str) -> Result<crate::assess::doc::Run, StoreError>;
    /// The active token of this hash.
    fn token(&self, hash: &str) -> Result<Option<TokenRow>, StoreError>;
    /// Append to the audit log.
    fn audit_entry(&self, actor: &str, action: &str, detail: &Value) -> Result<(), StoreError>;
    /// The latest audit entries, newest first.
    fn audit_entries(&self, limit: i64) -> Result<Vec<AuditRow>, StoreError>;
}

impl ServeStore for Store {
    fn change_version(&self) -> Result<i64, StoreError> {
        self.data_version()
    }
    fn latest(&self) -> Result<Vec<RunSummary>, StoreError> {
        self.latest_run_per_provider()
    }
    fn runs_of(&self, provider: &str) -> Result<Vec<RunSummary>, StoreError> {
        self.provider_runs(provider)
    }
    fn findings_of(&self, run_id: &str, provider: &str) -> Result<Vec<FindingRow>, StoreError> {
        self.findings(run_id, provider)
    }
    fn record(
        &self,
        run_id: &str,
        provider: &str,
        seq: i64,
    ) -> Result<Option<StoredEvidence>, StoreError> {
        self.evidence_record(run_id, provider, seq)
    }
    fn lines(&self, run_id: &str) -> Result<Vec<String>, StoreError> {
        self.run_lines(run_id)
    }
    fn run(&self, run_id: &str) -> Result<crate::assess::doc::Run, StoreError> {
        self.load_run(run_id)
    }
    fn token(&self, hash: &str) -> Result<Option<TokenRow>, StoreError> {
        self.token_by_hash(hash)
    }
    fn audit_entry(&self, actor: &str, action: &str, detail: &Value) -> Result<(), StoreError> {
        self.audit(actor, action, detail)
    }
    fn audit_entries(&self, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        self.audit_log(limit)
    }
}

impl EvidenceSource for PgRunStore {
    fn evidence_of(
        &self,
        run_id: &str,
        provider: &str,
        probe: &str,
    ) -> Result<Vec<StoredEvidence>, StoreError> {
        self.block_on(self.pg().assessed_evidence(run_id, provider, probe))
            .map_err(StoreError::from)
    }
}

impl ServeStore for PgRunStore {
    fn change_version(&self) -> Result<i64, StoreError> {
        self.block_on(self.pg().change_version())
            .map_err(StoreError::from)
    }
    fn latest(&self) -> Result<Vec<RunSummary>, StoreError> {
        self.latest_per_provider()
    }
    fn runs_of(&self, provider: &str) -> Result<Vec<RunSummary>, StoreError> {
        self.grade_history(provider)
    }
    fn findings_of(&self, run_id: &str, provider: &str) -> Result<Vec<FindingRow>, StoreError> {
        self.block_on(self.pg().findings(run_id, provider))
            .map_err(StoreError::from)
    }
    fn record(
        &self,
        run_id: &str,
        provider: &str,
        seq: i64,
    ) -> Result<Option<StoredEvidence>, StoreError> {
        self.block_on(self.pg().evidence_record(run_id, provider, seq))
            .map_err(StoreError::from)
    }
    fn lines(&self, run_id: &str) -> Result<Vec<String>, StoreError> {
        self.block_on(self.pg().run_lines(run_id))
            .map_err(StoreError::from)
    }
    fn run(&self, run_id: &str) -> Result<crate::assess::doc::Run, StoreError> {
        self.load_run(run_id)
    }
    fn token(&self, hash: &str) -> Result<Option<TokenRow>, StoreError> {
        self.block_on(self.pg().token_by_hash(hash))
            .map_err(StoreError::from)
    }
    fn audit_entry(&self, actor: &str, action: &str, detail: &Value) -> Result<(), StoreError> {
        self.block_on(self.pg().audit(actor, action, detail))
            .map_err(StoreError::from)
    }
    fn audit_entries(&self, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        self.block_on(self.pg().audit_log(limit))
            .map_err(StoreError::from)
    }
}

/// How many runs the trend of the providers overview shows.
pub const TREND_RUNS: usize = 30;

/// Why a backend call failed.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something asked for is not there.
    #[error("{0}")]
    NotFound(String),
    /// The request was understood but cannot be carried out (a catalog rule, a busy re-check).
    #[error("{0}")]
    Invalid(String),
    /// The blocking task failed.
    #[error("internal error: {0}")]
    Internal(String),
}

/// One provider's row of the overview.
#[derive(Clone, Debug, Serialize)]
pub struct ProviderRow {
    /// The provider id.
    pub provider: String,
    /// Its name.
    pub name: Option<String>,
    /// Its declared country.
    pub declared_country: Option<String>,
    /// The profile it applies for.
    pub applies_for: Option<String>,
    /// Its verdict under that profile in its latest run.
    pub applies_for_verdict: Option<String>,
    /// Whether that verdict passes (`None`: inconclusive or not assessed).
    pub applies_for_passed: Option<bool>,
    /// The kensa grade of its latest run.
    pub grade: Option<String>,
    /// Verdicts per profile of its latest run.
    pub grades: Vec<GradeRow>,
    /// Residency: `in-country`, `abroad` (some address placed outside), `conflicting` or
    /// `unknown`.
    pub residency: String,
    /// Share of its addresses placed in the declared country.
    pub in_country_share: Option<f64>,
    /// Days to the nearest certificate expiry (negative: expired).
    pub cert_days_left: Option<i64>,
    /// Its latest run.
    pub run_id: String,
    /// When that run started.
    pub last_run: Option<String>,
    /// How many runs it has.
    pub runs: usize,
    /// The kensa level (0 for `none`, absent when inconclusive) of its last runs, oldest first.
    pub trend: Vec<Option<u8>>,
    /// TLS versions accepted by any endpoint.
    pub tls_versions: Vec<String>,
    /// Endpoints offering a post-quantum group.
    pub pq_offered: usize,
    /// Endpoints with a TLS scan.
    pub tls_targets: usize,
}

/// A provider's page.
#[derive(Clone, Debug, Serialize)]
pub struct ProviderDetail {
    /// The overview row.
    pub row: ProviderRow,
    /// Every run, newest first.
    pub runs: Vec<RunSummary>,
    /// The failed and inconclusive findings of the latest run.
    pub open_findings: Vec<FindingRow>,
    /// The endpoints of the latest run.
    pub endpoints: Vec<EndpointView>,
}

/// One endpoint as seen in a run.
#[derive(Clone, Debug, Serialize)]
pub struct EndpointView {
    /// The target id.
    pub target: String,
    /// TLS versions accepted.
    pub tls_versions: Vec<String>,
    /// TLS 1.3 groups accepted.
    pub groups: Vec<String>,
    /// Whether a post-quantum group is offered.
    pub pq: bool,
    /// The leaf certificate's subject, if seen.
    pub subject: Option<String>,
    /// Days until it expires.
    pub days_left: Option<i64>,
    /// Addresses and where they were placed (`address`, `status`, countries).
    pub addresses: Vec<(String, String, String)>,
}

/// A run of a provider.
#[derive(Clone, Debug, Serialize)]
pub struct RunDetail {
    /// The run.
    pub summary: RunSummary,
    /// Its findings.
    pub findings: Vec<FindingRow>,
}

/// A re-check's state.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum JobState {
    /// Scanning.
    Running,
    /// Finished; the new run is in the store.
    Succeeded,
    /// Failed (the message says why).
    Failed,
}

/// A re-check job.
#[derive(Clone, Debug, Serialize)]
pub struct Job {
    /// Its number.
    pub id: u64,
    /// The provider.
    pub provider: String,
    /// Who started it.
    pub actor: String,
    /// When.
    pub started: String,
    /// When it ended.
    pub ended: Option<String>,
    /// Its state.
    pub state: JobState,
    /// Evidence records written so far.
    pub records: u64,
    /// With PostgreSQL: the queued run (its id is the new run's).
    pub queued_run: Option<String>,
    /// With PostgreSQL: the run's jobs (target × vantage).
    pub jobs_total: Option<u64>,
    /// With PostgreSQL: jobs a worker holds now.
    pub jobs_running: Option<u64>,
    /// With PostgreSQL: jobs finished.
    pub jobs_done: Option<u64>,
    /// The new run, when it succeeded.
    pub run_id: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// Whether the provider regressed.
    pub regression: Option<bool>,
}

/// The catalog as the service shows and edits it.
#[derive(Clone, Debug, Serialize)]
pub struct CatalogView {
    /// The file.
    pub path: String,
    /// Its providers.
    pub providers: Vec<CatalogProvider>,
}

/// One provider of the catalog.
#[derive(Clone, Debug, Serialize)]
pub struct CatalogProvider {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The declared country.
    pub declared_country: Option<String>,
    /// The profile it applies for.
    pub applies_for: Option<String>,
    /// Its endpoints as `host:port`.
    pub endpoints: Vec<String>,
}

/// An edit of the catalog.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum CatalogEdit {
    /// Add an endpoint to a provider.
    AddEndpoint {
        /// The provider.
        provider: String,
        /// The host.
        host: String,
        /// The port (443 when absent).
        port: Option<u16>,
    },
    /// Remove an endpoint (`host:port` as listed) from a provider.
    RemoveEndpoint {
        /// The provider.
        provider: String,
        /// The endpoint as `host:port`.
        endpoint: String,
    },
    /// Change what a provider applies for.
    SetAppliesFor {
        /// The provider.
        provider: String,
        /// The new level or profile.
        applies_for: String,
    },
}

struct Overview {
    version: i64,
    rows: Arc<Vec<ProviderRow>>,
}

/// The run store of the service.
enum Db {
    /// A SQLite file: a small pool of connections and one that watches for commits.
    Sqlite {
        path: PathBuf,
        pool: Mutex<Vec<Store>>,
        watch: Mutex<Store>,
    },
    /// PostgreSQL (its own pool and runtime); re-checks are enqueued for `vantages`.
    Pg {
        store: Option<Arc<PgRunStore>>,
        vantages: Vec<String>,
    },
}

/// The store, the catalog and the re-checks, as the service sees them.
pub struct Backend {
    db: Db,
    overview: tokio::sync::Mutex<Option<Overview>>,
    catalog: Option<PathBuf>,
    work: PathBuf,
    scan: crate::config::ScanConfig,
    jobs: Mutex<BTreeMap<u64, Job>>,
    catalog_lock: Mutex<()>,
    bundle_key: Option<Arc<crate::bundle::keys::SigningKey>>,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backend")
            .field("db", &self.db_name())
            .finish()
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        // The PostgreSQL store owns a runtime, which must not be dropped on an async task.
        if let Db::Pg { store, .. } = &mut self.db
            && let Some(s) = store.take()
        {
            let _ = std::thread::Builder::new()
                .name("kensa-serve-pg-drop".into())
                .spawn(move || drop(s));
        }
    }
}

const PROBES: [&str; 6] = [
    "dns.resolve",
    "latency.tcp",
    "tls.scan",
    "x509.chain",
    "http.headers",
    "geo.residency",
];

impl Backend {
    /// Open the run database at `db` (migrating it), with an optional catalog file for
    /// re-checks and edits, a work directory for re-check runs, and the scan configuration of
    /// re-checks.
    pub fn open(
        db: &Path,
        catalog: Option<PathBuf>,
        work: PathBuf,
        scan: crate::config::ScanConfig,
    ) -> Result<Self, BackendError> {
        let watch = Store::open(db)?;
        Self::with_db(
            Db::Sqlite {
                path: db.to_owned(),
                pool: Mutex::new(Vec::new()),
                watch: Mutex::new(watch),
            },
            catalog,
            work,
            scan,
        )
    }

    /// Open the PostgreSQL store at `url` (migrating it; a foreign or newer database is
    /// refused by name), with an optional catalog, and the vantages whose workers run its
    /// re-checks.
    pub fn open_pg(
        url: &str,
        catalog: Option<PathBuf>,
        work: PathBuf,
        scan: crate::config::ScanConfig,
        vantages: Vec<String>,
    ) -> Result<Self, BackendError> {
        for v in &vantages {
            if v.is_empty() || v.contains('@') || v.contains('/') {
                return Err(BackendError::Invalid(format!(
                    "invalid vantage name `{v}` in --vantages: a name, without a place"
                )));
            }
        }
        let store = PgRunStore::connect(url).map_err(|e| BackendError::Invalid(e.to_string()))?;
        Self::with_db(
            Db::Pg {
                store: Some(Arc::new(store)),
                vantages,
            },
            catalog,
            work,
            scan,
        )
    }

    fn with_db(
        db: Db,
        catalog: Option<PathBuf>,
        work: PathBuf,
        scan: crate::config::ScanConfig,
    ) -> Result<Self, BackendError> {
        if let Some(c) = &catalog {
            crate::catalog::load(c).map_err(|e| BackendError::Invalid(e.to_string()))?;
        }
        Ok(Self {
            db,
            overview: tokio::sync::Mutex::new(None),
            catalog,
            work,
            scan,
            jobs: Mutex::new(BTreeMap::new()),
            catalog_lock: Mutex::new(()),
            bundle_key: None,
        })
    }

    /// Sign evidence bundles with `key` (`kensa serve --bundle-key`).
    pub fn set_bundle_key(&mut self, key: crate::bundle::keys::SigningKey) {
        self.bundle_key = Some(Arc::new(key));
    }

    /// Whether bundles are offered (a signing key was given).
    pub fn bundles(&self) -> bool {
        self.bundle_key.is_some()
    }

    /// A signed evidence bundle of a provider's run (`kensa bundle`'s archive, from the lines
    /// the store keeps, verified again): its file name and bytes.
    pub async fn bundle(
        self: &Arc<Self>,
        provider: String,
        run_id: String,
    ) -> Result<(String, Vec<u8>), BackendError> {
        let Some(key) = self.bundle_key.clone() else {
            return Err(BackendError::Invalid(
                "the service was started without --bundle-key: no bundles to sign".into(),
            ));
        };
        self.call(move |_, st| {
            find_run(st, &provider, &run_id)?;
            let mut text = st.lines(&run_id)?.join("\n");
            text.push('\n');
            let (archive, _) =
                crate::bundle::build(&format!("run {run_id}"), text.as_bytes(), &key)
                    .map_err(|e| BackendError::Invalid(e.to_string()))?;
            let safe: String = run_id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            Ok((format!("kensa-{safe}.bundle"), archive))
        })
        .await
    }

    /// The database: the SQLite file, or `postgres://USER@HOST:PORT/DB` (no password).
    pub fn db_name(&self) -> String {
        match &self.db {
            Db::Sqlite { path, .. } => path.display().to_string(),
            Db::Pg { store, .. } => store
                .as_ref()
                .map(|s| s.pg().name().to_owned())
                .unwrap_or_default(),
        }
    }

    /// Whether the store is PostgreSQL (re-checks are enqueued for workers).
    pub fn is_postgres(&self) -> bool {
        matches!(self.db, Db::Pg { .. })
    }

    fn pg_store(&self) -> Option<&Arc<PgRunStore>> {
        match &self.db {
            Db::Pg { store, .. } => store.as_ref(),
            Db::Sqlite { .. } => None,
        }
    }

    fn with_store<T>(
        &self,
        f: impl FnOnce(&dyn ServeStore) -> Result<T, BackendError>,
    ) -> Result<T, BackendError> {
        let (path, pool) = match &self.db {
            Db::Sqlite { path, pool, .. } => (path, pool),
            Db::Pg { store, .. } => {
                let st = store
                    .as_ref()
                    .ok_or_else(|| BackendError::Internal("the store is closed".into()))?;
                return f(st.as_ref());
            }
        };
        let taken = pool.lock().ok().and_then(|mut p| p.pop());
        let st = match taken {
            Some(s) => s,
            None => Store::open_existing(path)?,
        };
        let out = f(&st);
        if let Ok(mut p) = pool.lock()
            && p.len() < 8
        {
            p.push(st);
        }
        out
    }

    /// Run `f` with the store on the blocking pool.
    pub async fn call<T, F>(self: &Arc<Self>, f: F) -> Result<T, BackendError>
    where
        T: Send + 'static,
        F: FnOnce(&Self, &dyn ServeStore) -> Result<T, BackendError> + Send + 'static,
    {
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || me.with_store(|st| f(&me, st)))
            .await
            .map_err(|e| BackendError::Internal(e.to_string()))?
    }

    /// The providers overview (shared until the database changes).
    pub async fn overview(self: &Arc<Self>) -> Result<Arc<Vec<ProviderRow>>, BackendError> {
        let me = Arc::clone(self);
        let version = tokio::task::spawn_blocking(move || match &me.db {
            Db::Sqlite { watch, .. } => watch
                .lock()
                .map_err(|_| BackendError::Internal("poisoned".into()))?
                .data_version()
                .map_err(BackendError::from),
            Db::Pg { .. } => me.with_store(|st| Ok(st.change_version()?)),
        })
        .await
        .map_err(|e| BackendError::Internal(e.to_string()))??;
        // One build at a time; the others wait for it and share it.
        let mut cache = self.overview.lock().await;
        if let Some(o) = cache.as_ref()
            && o.version == version
        {
            return Ok(Arc::clone(&o.rows));
        }
        let rows = Arc::new(self.call(|_, st| build_overview(st)).await?);
        *cache = Some(Overview {
            version,
            rows: Arc::clone(&rows),
        });
        Ok(rows)
    }

    /// A provider's page.
    pub async fn provider(self: &Arc<Self>, id: String) -> Result<ProviderDetail, BackendError> {
        let rows = self.overview().await?;
        let row = rows
            .iter()
            .find(|r| r.provider == id)
            .cloned()
            .ok_or_else(|| BackendError::NotFound(format!("no provider `{id}` in the store")))?;
        self.call(move |_, st| {
            let mut runs = st.runs_of(&id)?;
            runs.reverse();
            let open_findings = st
                .findings_of(&row.run_id, &id)?
                .into_iter()
                .filter(|f| f.outcome == "fail" || f.outcome == "inconclusive")
                .collect();
            let endpoints = endpoints(st, &row.run_id, &id)?;
            Ok(ProviderDetail {
                row,
                runs,
                open_findings,
                endpoints,
            })
        })
        .await
    }

    /// A run of a provider.
    pub async fn run(
        self: &Arc<Self>,
        provider: String,
        run_id: String,
    ) -> Result<RunDetail, BackendError> {
        self.call(move |_, st| {
            let summary = find_run(st, &provider, &run_id)?;
            let findings = st.findings_of(&run_id, &provider)?;
            Ok(RunDetail { summary, findings })
        })
        .await
    }

    /// One evidence record of a provider's run.
    pub async fn evidence(
        self: &Arc<Self>,
        provider: String,
        run_id: String,
        seq: i64,
    ) -> Result<StoredEvidence, BackendError> {
        self.call(move |_, st| {
            st.record(&run_id, &provider, seq)?.ok_or_else(|| {
                BackendError::NotFound(format!(
                    "no evidence record #{seq} of provider `{provider}` in run `{run_id}`"
                ))
            })
        })
        .await
    }

    /// What changed for `provider` between two of its runs, as `kensa diff --db DB OLD NEW`
    /// gives it: by the assessments recorded at import (no grading again), each run's
    /// evidence read back verified (no run directory needed).
    pub async fn diff(
        self: &Arc<Self>,
        provider: String,
        old: String,
        new: String,
    ) -> Result<crate::diff::ProviderDiff, BackendError> {
        self.call(move |_, st| {
            find_run(st, &provider, &old)?;
            find_run(st, &provider, &new)?;
            let d = crate::diff::diff_stored(st, &old, &new)
                .map_err(|e| BackendError::Invalid(e.to_string()))?;
            d.providers
                .into_iter()
                .find(|p| p.provider == provider)
                .ok_or_else(|| BackendError::NotFound(format!("`{provider}` is not in both runs")))
        })
        .await
    }

    /// Look up an API token by its hash.
    pub async fn token(self: &Arc<Self>, hash: String) -> Result<Option<TokenRow>, BackendError> {
        self.call(move |_, st| Ok(st.token(&hash)?)).await
    }

    /// The audit log (newest first).
    pub async fn audit_log(self: &Arc<Self>, limit: i64) -> Result<Vec<AuditRow>, BackendError> {
        self.call(move |_, st| Ok(st.audit_entries(limit)?)).await
    }

    /// The catalog (`None` when the service was started without `--catalog`).
    pub async fn catalog(self: &Arc<Self>) -> Result<Option<CatalogView>, BackendError> {
        let Some(path) = self.catalog.clone() else {
            return Ok(None);
        };
        tokio::task::spawn_blocking(move || {
            let c =
                crate::catalog::load(&path).map_err(|e| BackendError::Invalid(e.to_string()))?;
            Ok(Some(CatalogView {
                path: path.display().to_string(),
                providers: c
                    .providers
                    .iter()
                    .map(|p| CatalogProvider {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        declared_country: p.declared_country.clone(),
                        applies_for: p.applies_for.clone(),
                        endpoints: p
                            .endpoints
                            .iter()
                            .map(|e| format!("{}:{}", e.host, e.port))
                            .collect(),
                    })
                    .collect(),
            }))
        })
        .await
        .map_err(|e| BackendError::Internal(e.to_string()))?
    }

    /// Apply `edit` to the catalog file: validated with the catalog's own rules (an edit that
    /// breaks one is refused with the catalog's message and the file is left as it was),
    /// written atomically, and recorded in the audit log with `actor`.
    pub async fn edit_catalog(
        self: &Arc<Self>,
        actor: String,
        edit: CatalogEdit,
    ) -> Result<(), BackendError> {
        let Some(path) = self.catalog.clone() else {
            return Err(BackendError::Invalid(
                "the service was started without --catalog: nothing to edit".into(),
            ));
        };
        self.call(move |me, st| {
            let _one_at_a_time = me
                .catalog_lock
                .lock()
                .map_err(|_| BackendError::Internal("poisoned".into()))?;
            let text = std::fs::read_to_string(&path)
                .map_err(|e| BackendError::Internal(format!("{}: {e}", path.display())))?;
            let new = super::catalog_edit::apply(&text, &edit)?;
            crate::catalog::parse(&path.display().to_string(), &new)
                .map_err(|e| BackendError::Invalid(e.to_string()))?;
            let tmp = path.with_extension("toml.tmp");
            std::fs::write(&tmp, &new)
                .and_then(|()| std::fs::rename(&tmp, &path))
                .map_err(|e| BackendError::Internal(format!("{}: {e}", path.display())))?;
            let detail = serde_json::to_value(&edit).unwrap_or(Value::Null);
            let action = match &edit {
                CatalogEdit::AddEndpoint { .. } => "catalog.add-endpoint",
                CatalogEdit::RemoveEndpoint { .. } => "catalog.remove-endpoint",
                CatalogEdit::SetAppliesFor { .. } => "catalog.set-applies-for",
            };
            st.audit_entry(&actor, action, &detail)?;
            Ok(())
        })
        .await
    }

    /// Every re-check job, newest first.
    pub fn jobs(&self) -> Vec<Job> {
        let mut v: Vec<Job> = self
            .jobs
            .lock()
            .map(|j| j.values().cloned().collect())
            .unwrap_or_default();
        v.reverse();
        v
    }

    /// One re-check job.
    pub fn job(&self, id: u64) -> Option<Job> {
        self.jobs.lock().ok().and_then(|j| j.get(&id).cloned())
    }

    /// Start a re-check of `provider` with its catalog entry, on a thread of its own (the scan
    /// has its own runtime, as `kensa recheck`); returns the job.
    pub async fn start_recheck(
        self: &Arc<Self>,
        actor: String,
        provider: String,
    ) -> Result<Job, BackendError> {
        let Some(catalog) = self.catalog.clone() else {
            return Err(BackendError::Invalid(
                "the service was started without --catalog: nothing to re-check with".into(),
            ));
        };
        if self
            .jobs()
            .iter()
            .any(|j| j.provider == provider && j.state == JobState::Running)
        {
            return Err(BackendError::Invalid(format!(
                "a re-check of `{provider}` is already running"
            )));
        }
        let text = tokio::fs::read_to_string(&catalog)
            .await
            .map_err(|e| BackendError::Internal(format!("{}: {e}", catalog.display())))?;
        let one = super::catalog_edit::only_provider(&text, &provider)?;
        if self.is_postgres() {
            return self.enqueue_recheck(actor, provider, one).await;
        }
        let id = {
            let mut jobs = self
                .jobs
                .lock()
                .map_err(|_| BackendError::Internal("poisoned".into()))?;
            let id = jobs.keys().next_back().map_or(1, |k| k + 1);
            jobs.insert(
                id,
                Job {
                    id,
                    provider: provider.clone(),
                    actor: actor.clone(),
                    started: crate::rfc3339(SystemTime::now()),
                    ended: None,
                    state: JobState::Running,
                    records: 0,
                    queued_run: None,
                    jobs_total: None,
                    jobs_running: None,
                    jobs_done: None,
                    run_id: None,
                    error: None,
                    regression: None,
                },
            );
            id
        };
        let dir = self.work.join(format!(
            "recheck-{id}-{}-{}",
            provider,
            crate::scan::new_run_id()
        ));
        let detail = serde_json::json!({"provider": provider, "job": id, "dir": dir});
        self.call(move |_, st| Ok(st.audit_entry(&actor, "recheck.start", &detail)?))
            .await?;
        let me = Arc::clone(self);
        std::thread::spawn(move || me.run_recheck(id, &dir, &one));
        self.job(id)
            .ok_or_else(|| BackendError::Internal("job vanished".into()))
    }

    fn set_job(&self, id: u64, f: impl FnOnce(&mut Job)) {
        if let Ok(mut jobs) = self.jobs.lock()
            && let Some(j) = jobs.get_mut(&id)
        {
            f(j);
        }
    }

    fn run_recheck(self: &Arc<Self>, id: u64, dir: &Path, catalog_text: &str) {
        self.finish_recheck(id, dir, Some(catalog_text));
    }

    /// Run a re-check in `dir`: a new one (`catalog_text` given: written to
    /// `dir/catalog.toml`, then `recheck::run_cycle`), or the continuation of one a killed
    /// service left (`None`: the run in `dir/run` resumed, imported and diffed).
    fn finish_recheck(self: &Arc<Self>, id: u64, dir: &Path, catalog_text: Option<&str>) {
        let run_dir = dir.join("run");
        let progress = {
            let me = Arc::clone(self);
            let evidence = run_dir.join(crate::evidence::EVIDENCE_FILE);
            let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let flag = Arc::clone(&done);
            let h = std::thread::spawn(move || {
                while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                    let n = std::fs::read(&evidence)
                        .map(|b| b.iter().filter(|c| **c == b'\n').count())
                        .unwrap_or(0);
                    me.set_job(id, |j| j.records = u64::try_from(n).unwrap_or(0));
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
            });
            (done, h)
        };
        let result = (|| -> Result<crate::recheck::RecheckSummary, String> {
            let cat = dir.join("catalog.toml");
            let Some(catalog_text) = catalog_text else {
                return self.resume_cycle(&cat, &run_dir);
            };
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            std::fs::write(&cat, catalog_text).map_err(|e| format!("{}: {e}", cat.display()))?;
            let opts = crate::recheck::RecheckOptions {
                targets: vec![cat.display().to_string()],
                config: self.scan.clone(),
                out: Some(run_dir.clone()),
                db: self.sqlite_path()?.to_owned(),
                notify_webhook: None,
                vantages: Vec::new(),
            };
            crate::recheck::run_cycle(&opts, &crate::scan::BlockingRunner)
                .map_err(|e| e.to_string())
        })();
        progress.0.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = progress.1.join();
        let n = std::fs::read(run_dir.join(crate::evidence::EVIDENCE_FILE))
            .map(|b| b.iter().filter(|c| **c == b'\n').count())
            .unwrap_or(0);
        self.set_job(id, |j| j.records = u64::try_from(n).unwrap_or(0));
        let now = crate::rfc3339(SystemTime::now());
        match result {
            Ok(summary) => self.set_job(id, |j| {
                j.state = JobState::Succeeded;
                j.ended = Some(now);
                j.regression = Some(summary.regression);
                j.run_id = Some(summary.run_id);
            }),
            Err(e) => {
                tracing::warn!(job = id, "re-check failed: {e}");
                self.set_job(id, |j| {
                    j.state = JobState::Failed;
                    j.ended = Some(now);
                    j.error = Some(e);
                });
            }
        }
    }
}

impl Backend {
    /// Resume the re-checks a previous service left unfinished (killed mid-scan, or between
    /// the scan and the import): each `recheck-*` directory of the work directory whose run
    /// is not in the store is continued (`scan --resume`: only what was not recorded is
    /// probed, the chain goes on with a `run-resume` line), imported and diffed, as a job
    /// started by `kensa serve (resumed)`. Returns how many.
    pub fn resume_interrupted(self: &Arc<Self>) -> usize {
        if self.is_postgres() {
            return self.follow_queued_rechecks();
        }
        let Ok(entries) = std::fs::read_dir(&self.work) else {
            return 0;
        };
        let mut dirs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("recheck-"))
                    && p.join("catalog.toml").is_file()
                    && p.join("run").join(crate::evidence::EVIDENCE_FILE).is_file()
            })
            .collect();
        dirs.sort();
        let mut n = 0;
        for dir in dirs {
            let run_dir = dir.join("run");
            let rep = match crate::evidence::verify(&run_dir.join(crate::evidence::EVIDENCE_FILE)) {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!("{}: cannot read the run ({e}); not resumed", dir.display());
                    continue;
                }
            };
            let Some(run_id) = rep.run_id.clone() else {
                continue;
            };
            let recorded = self
                .with_store(|st| Ok(st.lines(&run_id).map(|l| !l.is_empty())?))
                .unwrap_or(true);
            if recorded {
                continue;
            }
            let provider = crate::catalog::load(&dir.join("catalog.toml"))
                .ok()
                .and_then(|c| c.providers.first().map(|p| p.id.clone()))
                .unwrap_or_default();
            let id = {
                let Ok(mut jobs) = self.jobs.lock() else {
                    return n;
                };
                let id = jobs.keys().next_back().map_or(1, |k| k + 1);
                jobs.insert(
                    id,
                    Job {
                        id,
                        provider: provider.clone(),
                        actor: "kensa serve (resumed)".into(),
                        started: crate::rfc3339(SystemTime::now()),
                        ended: None,
                        state: JobState::Running,
                        records: rep.evidence_records,
                        queued_run: None,
                        jobs_total: None,
                        jobs_running: None,
                        jobs_done: None,
                        run_id: None,
                        error: None,
                        regression: None,
                    },
                );
                id
            };
            tracing::info!(
                job = id,
                "resuming the interrupted re-check in {}",
                dir.display()
            );
            let detail =
                serde_json::json!({"provider": provider, "job": id, "dir": dir, "run": run_id});
            let _ = self
                .with_store(|st| Ok(st.audit_entry("kensa serve", "recheck.resume", &detail)?));
            let me = Arc::clone(self);
            std::thread::spawn(move || me.finish_recheck(id, &dir, None));
            n += 1;
        }
        n
    }
}

impl Backend {
    /// The rest of an interrupted re-check: the scan resumed (unless it had ended), the run
    /// imported and each provider diffed (`recheck::provider_rechecks`), under the cycle
    /// lock as `recheck::run_cycle`.
    fn resume_cycle(
        &self,
        cat: &Path,
        run_dir: &Path,
    ) -> Result<crate::recheck::RecheckSummary, String> {
        use crate::scan::ScanRunner as _;
        let db = self.sqlite_path()?.to_owned();
        let _lock = crate::recheck::CycleLock::take(&db).map_err(|e| e.to_string())?;
        let rep = crate::evidence::verify(&run_dir.join(crate::evidence::EVIDENCE_FILE))
            .map_err(|e| format!("{}: {e}", run_dir.display()))?;
        if rep.run_status.is_none() {
            let catalog = crate::catalog::load_targets(&[cat.display().to_string()])
                .map_err(|e| e.to_string())?;
            let sink = crate::scan::Sink {
                dir: run_dir.to_owned(),
                resume: true,
                run_id: None,
                on_record: None,
            };
            crate::scan::BlockingRunner
                .run_scan(&catalog, &self.scan, sink)
                .map_err(|e| e.to_string())?;
        }
        let mut st = Store::open(&db).map_err(|e| e.to_string())?;
        let (_, loaded) =
            crate::pipeline::import_run_dir(&mut st, run_dir).map_err(|e| e.to_string())?;
        let run_id = loaded.run.run_id.clone();
        let providers = crate::recheck::provider_rechecks(&st, &loaded.run, &run_id)
            .map_err(|e| e.to_string())?;
        Ok(crate::recheck::RecheckSummary::new(
            run_id,
            run_dir.display().to_string(),
            db.display().to_string(),
            providers,
        ))
    }
}

/// How often the service looks at a queued re-check's progress.
const QUEUED_POLL: std::time::Duration = std::time::Duration::from_millis(300);

impl Backend {
    fn sqlite_path(&self) -> Result<&Path, String> {
        match &self.db {
            Db::Sqlite { path, .. } => Ok(path),
            Db::Pg { .. } => Err("not a SQLite store".into()),
        }
    }

    fn new_job(&self, provider: &str, actor: &str, queued_run: &str) -> Result<u64, BackendError> {
        let mut jobs = self
            .jobs
            .lock()
            .map_err(|_| BackendError::Internal("poisoned".into()))?;
        let id = jobs.keys().next_back().map_or(1, |k| k + 1);
        jobs.insert(
            id,
            Job {
                id,
                provider: provider.to_owned(),
                actor: actor.to_owned(),
                started: crate::rfc3339(SystemTime::now()),
                ended: None,
                state: JobState::Running,
                records: 0,
                queued_run: Some(queued_run.to_owned()),
                jobs_total: None,
                jobs_running: None,
                jobs_done: None,
                run_id: None,
                error: None,
                regression: None,
            },
        );
        Ok(id)
    }

    /// With PostgreSQL: enqueue `provider`'s catalog entry (`one`) for the workers of the
    /// service's vantages, as `kensa enqueue` does, and follow the run until a worker has
    /// completed it.
    async fn enqueue_recheck(
        self: &Arc<Self>,
        actor: String,
        provider: String,
        one: String,
    ) -> Result<Job, BackendError> {
        let Db::Pg { vantages, .. } = &self.db else {
            return Err(BackendError::Internal("not a PostgreSQL store".into()));
        };
        if vantages.is_empty() {
            return Err(BackendError::Invalid(
                "re-checks over PostgreSQL are enqueued for workers: start kensa serve with \
                 --vantages NAME,... (the vantages whose workers run them)"
                    .into(),
            ));
        }
        let vantages = vantages.clone();
        let source = format!("{QUEUED_RECHECK_SOURCE}{provider}");
        let catalog = crate::catalog::parse(&source, &one)
            .map_err(|e| BackendError::Invalid(e.to_string()))?;
        let config = self.scan.clone();
        let probes: Vec<String> = if config.probes.is_empty() {
            crate::worker::known_probes()
                .into_iter()
                .filter(|p| config.runs(p))
                .collect()
        } else {
            config.probes.clone()
        };
        let (p2, a2) = (provider.clone(), actor.clone());
        let (id, run_id) = self
            .call(move |me, _| {
                let st = me
                    .pg_store()
                    .ok_or_else(|| BackendError::Internal("the store is closed".into()))?;
                let done = st
                    .block_on(st.pg().enqueue(&crate::pg::queue::NewRun {
                        catalog: &catalog,
                        catalog_text: &one,
                        config: &config,
                        probes: &probes,
                        vantages: &vantages,
                        notify_webhook: None,
                    }))
                    .map_err(|e| BackendError::Invalid(e.to_string()))?;
                let id = me.new_job(&p2, &a2, &done.run_id)?;
                me.set_job(id, |j| j.jobs_total = u64::try_from(done.jobs).ok());
                let detail = serde_json::json!({"provider": p2, "job": id, "run": done.run_id,
                                                "jobs": done.jobs, "vantages": done.vantages});
                st.audit_entry(&a2, "recheck.enqueue", &detail)?;
                Ok((id, done.run_id))
            })
            .await?;
        tracing::info!(job = id, "re-check of {provider} enqueued as run {run_id}");
        let me = Arc::clone(self);
        std::thread::spawn(move || me.follow_queued(id, &run_id));
        self.job(id)
            .ok_or_else(|| BackendError::Internal("job vanished".into()))
    }

    /// Follow queued run `run_id` of job `id` until it is completed (assessed and recorded by
    /// a worker) or its completion failed: the jobs claimed and finished, the records written.
    fn follow_queued(self: &Arc<Self>, id: u64, run_id: &str) {
        let Some(st) = self.pg_store().cloned() else {
            return;
        };
        loop {
            match st.block_on(st.pg().queued_progress(run_id)) {
                Ok(Some(p)) => {
                    let n = |v: i64| u64::try_from(v).ok();
                    self.set_job(id, |j| {
                        j.records = n(p.records).unwrap_or(0);
                        j.jobs_total = n(p.jobs_total);
                        j.jobs_running = n(p.jobs_running);
                        j.jobs_done = n(p.jobs_done);
                    });
                    let now = || Some(crate::rfc3339(SystemTime::now()));
                    if p.assessed.is_some() {
                        let summary: Value = p
                            .summary
                            .as_deref()
                            .and_then(|s| serde_json::from_str(s).ok())
                            .unwrap_or(Value::Null);
                        let regression = summary.get("regression").and_then(Value::as_bool);
                        self.set_job(id, |j| {
                            j.state = JobState::Succeeded;
                            j.ended = now();
                            j.run_id = Some(run_id.to_owned());
                            j.regression = regression;
                            // The webhook's failure, if any, is noted; the run is recorded.
                            j.error = p.completion_error.clone();
                        });
                        return;
                    }
                    if let Some(e) = p.completion_error {
                        self.set_job(id, |j| {
                            j.state = JobState::Failed;
                            j.ended = now();
                            j.error = Some(format!("run {run_id} could not be completed: {e}"));
                        });
                        return;
                    }
                }
                Ok(None) => {
                    self.set_job(id, |j| {
                        j.state = JobState::Failed;
                        j.ended = Some(crate::rfc3339(SystemTime::now()));
                        j.error = Some(format!("run {run_id} is no longer queued"));
                    });
                    return;
                }
                // The database may be restarting: look again.
                Err(e) => tracing::warn!(job = id, "re-check progress: {e}"),
            }
            std::thread::sleep(QUEUED_POLL);
        }
    }

    /// With PostgreSQL: the re-checks a previous service enqueued that are not completed yet
    /// (the workers went on without it) are followed again, as jobs started by `kensa serve
    /// (resumed)`. Returns how many.
    fn follow_queued_rechecks(self: &Arc<Self>) -> usize {
        let Some(st) = self.pg_store().cloned() else {
            return 0;
        };
        let runs = match st.block_on(st.pg().unassessed_runs(QUEUED_RECHECK_SOURCE)) {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!("cannot look for unfinished re-checks: {e}");
                return 0;
            }
        };
        let mut n = 0;
        for (run_id, source) in runs {
            let provider = source
                .strip_prefix(QUEUED_RECHECK_SOURCE)
                .unwrap_or_default()
                .to_owned();
            let Ok(id) = self.new_job(&provider, "kensa serve (resumed)", &run_id) else {
                continue;
            };
            tracing::info!(job = id, "following the unfinished re-check run {run_id}");
            let me = Arc::clone(self);
            std::thread::spawn(move || me.follow_queued(id, &run_id));
            n += 1;
        }
        n
    }
}

fn find_run(st: &dyn ServeStore, provider: &str, run_id: &str) -> Result<RunSummary, BackendError> {
    st.runs_of(provider)?
        .into_iter()
        .find(|r| r.run_id == run_id)
        .ok_or_else(|| {
            BackendError::NotFound(format!("no run `{run_id}` of provider `{provider}`"))
        })
}

/// `kensa-level-N` → N, `none` → 0, anything else → `None`.
pub fn level_of(grade: Option<&str>) -> Option<u8> {
    match grade? {
        "none" => Some(0),
        g => g.strip_prefix("kensa-level-")?.parse().ok(),
    }
}

fn build_overview(st: &dyn ServeStore) -> Result<Vec<ProviderRow>, BackendError> {
    let latest = st.latest()?;
    let mut out = Vec::with_capacity(latest.len());
    for s in &latest {
        let row = crate::compare::row(st, s)?;
        let runs = st.runs_of(&s.provider)?;
        let trend: Vec<Option<u8>> = runs
            .iter()
            .rev()
            .take(TREND_RUNS)
            .rev()
            .map(|r| level_of(r.grade.as_deref()))
            .collect();
        let af = s
            .applies_for
            .as_ref()
            .and_then(|af| s.grades.iter().find(|g| &g.profile == af));
        let residency = residency_verdict(st, &s.run_id, &s.provider)?;
        out.push(ProviderRow {
            provider: s.provider.clone(),
            name: s.name.clone(),
            declared_country: s.declared_country.clone(),
            applies_for: s.applies_for.clone(),
            applies_for_verdict: af.map(|g| g.verdict.clone()),
            applies_for_passed: af.and_then(|g| g.passed),
            grade: s.grade.clone(),
            grades: s.grades.clone(),
            residency,
            in_country_share: row.in_country_share,
            cert_days_left: row.cert_days_left,
            run_id: s.run_id.clone(),
            last_run: s.started.clone(),
            runs: runs.len(),
            trend,
            tls_versions: row.tls_versions,
            pq_offered: row.pq_offered,
            tls_targets: row.tls_targets,
        });
    }
    Ok(out)
}

/// The residency verdict of a provider's serving addresses in a run: `in-country` when every
/// one is placed there, `abroad` when any is placed outside, otherwise `conflicting` (the
/// sources disagree) or `unknown` (no residency evidence, or none decided).
fn residency_verdict(
    st: &dyn ServeStore,
    run_id: &str,
    provider: &str,
) -> Result<String, BackendError> {
    let mut statuses = Vec::new();
    for e in st.evidence_of(run_id, provider, "geo.residency")? {
        if e.outcome == "success" {
            statuses.extend(
                crate::diff::residency_of(&e.target, &e.observation)
                    .into_iter()
                    .filter(|r| r.role == "endpoint" && !r.address.is_empty())
                    .map(|r| r.status),
            );
        }
    }
    let v = if statuses.is_empty() {
        "unknown"
    } else if statuses.iter().all(|s| s == "in-country") {
        "in-country"
    } else if statuses.iter().any(|s| s == "out-of-country") {
        "abroad"
    } else if statuses.iter().any(|s| s == "conflicting") {
        "conflicting"
    } else {
        "unknown"
    };
    Ok(v.to_owned())
}

fn endpoints(
    st: &dyn ServeStore,
    run_id: &str,
    provider: &str,
) -> Result<Vec<EndpointView>, BackendError> {
    let mut by: BTreeMap<String, EndpointView> = BTreeMap::new();
    fn get<'a>(by: &'a mut BTreeMap<String, EndpointView>, t: &str) -> &'a mut EndpointView {
        by.entry(t.to_owned()).or_insert_with(|| EndpointView {
            target: t.to_owned(),
            tls_versions: Vec::new(),
            groups: Vec::new(),
            pq: false,
            subject: None,
            days_left: None,
            addresses: Vec::new(),
        })
    }
    for probe in PROBES {
        for e in st.evidence_of(run_id, provider, probe)? {
            if e.outcome != "success" {
                get(&mut by, &e.target);
                continue;
            }
            let o = &e.observation;
            match probe {
                "tls.scan" => {
                    let ep = get(&mut by, &e.target);
                    for p in o
                        .get("protocols")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if p.get("accepted").and_then(Value::as_bool) == Some(true)
                            && let Some(v) = p.get("version").and_then(Value::as_str)
                        {
                            ep.tls_versions.push(v.to_owned());
                        }
                    }
                    ep.groups = o
                        .pointer("/groups/tls13")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    ep.pq = ep.groups.iter().any(|g| g.contains("MLKEM"));
                }
                "x509.chain" => {
                    let mut seen = std::collections::BTreeSet::new();
                    let mut certs = Vec::new();
                    crate::diff::certificates_of(&e.target, o, &mut seen, &mut certs);
                    let ep = get(&mut by, &e.target);
                    if let Some(c) = certs.iter().min_by_key(|c| c.4) {
                        ep.subject = Some(c.2.clone());
                        ep.days_left = Some(c.4);
                    }
                }
                "geo.residency" => {
                    let rs = crate::diff::residency_of(&e.target, o);
                    let ep = get(&mut by, &e.target);
                    for r in rs {
                        if r.role == "endpoint" && !r.address.is_empty() {
                            ep.addresses
                                .push((r.address, r.status, r.other_countries.join(", ")));
                        }
                    }
                }
                _ => {
                    get(&mut by, &e.target);
                }
            }
        }
    }
    Ok(by.into_values().collect())
}

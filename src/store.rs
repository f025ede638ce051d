//! The run database (SQLite): runs, providers, targets, evidence, findings and grades, so
//! operators and researchers can query history across runs.
//!
//! [`Store::open`] creates the file when it is absent and brings its schema up to date with
//! the migrations of [`MIGRATIONS`] (`PRAGMA user_version` counts those applied; each step runs
//! in one transaction). The file is marked with kensa's `PRAGMA application_id` and kept in
//! WAL mode, so readers work while a scan writes. A file that is not SQLite, is corrupt, belongs
//! to another application or has a newer schema is refused with a [`StoreError`] naming it, and
//! is never written to.
//!
//! [`Store::import_run`] reads a run's `evidence.jsonl`, assesses it with the kensa levels and
//! every built-in profile a provider `applies_for` ([`crate::assess::set::ProfileSet`]), and writes everything in
//! one transaction; a run already imported (same run id) is left as it is.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde_json::Value;

use crate::assess::AssessError;
use crate::assess::doc::{self, Run};
use crate::assess::grade::Assessment;
use crate::assess::profile::KENSA_LEVELS;
use crate::evidence;

/// kensa's `PRAGMA application_id` ("KNSA").
pub const APPLICATION_ID: i32 = 0x4B4E_5341;

/// The environment variable naming the default run database.
pub const DB_ENV: &str = "KENSA_DB";

/// The default run database when neither `--db` nor `KENSA_DB` names one.
pub const DEFAULT_DB: &str = "kensa.db";

/// How long a connection waits for another's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The schema migrations, in order: `user_version` N means the first N have been applied.
/// Append only; never edit a step that has shipped.
pub const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    "CREATE TABLE runs (
        run_id    TEXT PRIMARY KEY NOT NULL,
        run_dir   TEXT NOT NULL,
        started   TEXT,
        ended     TEXT,
        status    TEXT,
        tool      TEXT,
        vantage   TEXT,
        head      TEXT NOT NULL,
        integrity TEXT NOT NULL,
        imported  TEXT NOT NULL
    ) STRICT;
    CREATE TABLE providers (
        run_id            TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        provider          TEXT NOT NULL,
        name              TEXT,
        declared_country  TEXT,
        applies_for       TEXT,
        grade             TEXT,
        fails_applies_for INTEGER NOT NULL,
        PRIMARY KEY (run_id, provider)
    ) STRICT;
    CREATE INDEX providers_by_provider ON providers(provider);
    CREATE TABLE targets (
        run_id         TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        target         TEXT NOT NULL,
        provider       TEXT NOT NULL,
        host           TEXT,
        port           INTEGER,
        sni            TEXT,
        addresses      TEXT NOT NULL,
        address_source TEXT,
        PRIMARY KEY (run_id, target)
    ) STRICT;
    CREATE TABLE evidence (
        run_id      TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        hash        TEXT NOT NULL,
        target      TEXT NOT NULL,
        provider    TEXT NOT NULL,
        probe       TEXT NOT NULL,
        outcome     TEXT NOT NULL,
        started_at  TEXT,
        elapsed_us  INTEGER,
        error       TEXT,
        observation TEXT,
        PRIMARY KEY (run_id, seq)
    ) STRICT;
    CREATE INDEX evidence_by_provider ON evidence(run_id, provider, probe);
    CREATE TABLE findings (
        run_id   TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        provider TEXT NOT NULL,
        target   TEXT NOT NULL,
        profile  TEXT NOT NULL,
        control  TEXT NOT NULL,
        outcome  TEXT NOT NULL,
        detail   TEXT NOT NULL
    ) STRICT;
    CREATE INDEX findings_by_run ON findings(run_id, provider, profile);
    CREATE TABLE grades (
        run_id   TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        provider TEXT NOT NULL,
        profile  TEXT NOT NULL,
        version  TEXT NOT NULL,
        verdict  TEXT NOT NULL,
        passed   INTEGER,
        detail   TEXT,
        PRIMARY KEY (run_id, provider, profile)
    ) STRICT;",
    // 2: every verified line of a run's evidence as written, so a run can be read back
    // (verified again, its head compared with `runs.head`) with no run directory.
    "CREATE TABLE run_lines (
        run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        seq    INTEGER NOT NULL,
        line   TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    ) STRICT;",
    // 3: `kensa serve`: API tokens (only their SHA-256) and the audit log of what was done
    // through the service (catalog edits, re-checks, tokens).
    "CREATE TABLE api_tokens (
        id       INTEGER PRIMARY KEY,
        hash     TEXT NOT NULL UNIQUE,
        role     TEXT NOT NULL,
        label    TEXT,
        created  TEXT NOT NULL,
        revoked  TEXT
    ) STRICT;
    CREATE TABLE audit (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        detail  TEXT NOT NULL
    ) STRICT;",
];

/// The schema version this kensa writes.
pub fn latest_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// Why the run database cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not a SQLite database.
    #[error(
        "{path}: not a SQLite database ({why}); refusing to use it as the run database \
         (it was left untouched; pass --db FILE to name another)"
    )]
    NotSqlite {
        /// The file.
        path: String,
        /// What was found instead.
        why: String,
    },
    /// The file is SQLite but damaged.
    #[error(
        "{path}: the SQLite database is corrupt ({message}); it was left untouched \
         (pass --db FILE to name another)"
    )]
    Corrupt {
        /// The file.
        path: String,
        /// SQLite's message.
        message: String,
    },
    /// A SQLite database of another application.
    #[error(
        "{path}: a SQLite database of another application (application_id {found:#010x}, \
         {tables} tables; kensa's is {APPLICATION_ID:#010x}); it was left untouched \
         (pass --db FILE to name another)"
    )]
    Foreign {
        /// The file.
        path: String,
        /// Its application id.
        found: i32,
        /// How many tables it has.
        tables: i64,
    },
    /// A kensa database written by a newer kensa.
    #[error(
        "{path}: schema version {found} is newer than this kensa knows (up to {known}); \
         upgrade kensa (the file was left untouched)"
    )]
    TooNew {
        /// The file.
        path: String,
        /// Its `user_version`.
        found: i64,
        /// The latest this kensa knows.
        known: i64,
    },
    /// No database at the path (for commands that only read).
    #[error(
        "{path}: no run database here (`kensa scan` writes one; --db FILE or {DB_ENV} names \
         another)"
    )]
    Missing {
        /// The file.
        path: String,
    },
    /// The file could not be read or created.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A SQLite operation failed.
    #[error("{path}: {what}: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// What kensa was doing.
        what: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The run could not be read or assessed.
    #[error("{0}")]
    Assess(#[from] AssessError),
    /// The PostgreSQL store failed (its message names the database, without its password).
    #[error("{0}")]
    Postgres(Box<crate::pg::PgError>),
    /// The run's evidence has no run id.
    #[error("{0}: no run id (the evidence has no run-begin record); not imported")]
    NoRunId(String),
    /// No such run in the database.
    #[error("{path}: no run {run_id} in this database")]
    UnknownRun {
        /// The database.
        path: String,
        /// The run id asked for.
        run_id: String,
    },
    /// The run was imported by an older kensa that kept no evidence lines.
    #[error(
        "{path}: run {run_id} was recorded by an older kensa without its evidence lines; \
         read it from its run directory instead"
    )]
    NoLines {
        /// The database.
        path: String,
        /// The run id.
        run_id: String,
    },
    /// The run's lines in the database do not end in the head recorded at import.
    #[error(
        "{path}: run {run_id} was edited in the database (its evidence chain ends in {found}, \
         not {recorded} as recorded at import); refusing to use it"
    )]
    Edited {
        /// The database.
        path: String,
        /// The run id.
        run_id: String,
        /// The head recorded at import.
        recorded: String,
        /// The head of the lines found.
        found: String,
    },
}

/// The run database named by `--db`, else `KENSA_DB`, else `./kensa.db`.
pub fn db_path(given: Option<&Path>) -> PathBuf {
    if let Some(p) = given {
        return p.to_owned();
    }
    match std::env::var_os(DB_ENV).filter(|v| !v.is_empty()) {
        Some(v) => PathBuf::from(v),
        None => PathBuf::from(DEFAULT_DB),
    }
}

/// A provider's verdict under one profile, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GradeRow {
    /// The profile id.
    pub profile: String,
    /// The profile version.
    pub version: String,
    /// The verdict (a level, `pass`/`fail`, or `inconclusive`).
    pub verdict: String,
    /// Whether the verdict passes the profile (`None`: inconclusive).
    pub passed: Option<bool>,
}

/// One provider in one run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    /// The run id.
    pub run_id: String,
    /// The run directory (absolute, as imported).
    pub run_dir: PathBuf,
    /// `run-begin`'s time.
    pub started: Option<String>,
    /// `run-end`'s time.
    pub ended: Option<String>,
    /// How the run ended (`complete`, `interrupted`), when it did.
    pub status: Option<String>,
    /// What `kensa verify` said at import (`intact`, `incomplete`).
    pub integrity: String,
    /// The provider id.
    pub provider: String,
    /// Its name.
    pub name: Option<String>,
    /// Its declared country.
    pub declared_country: Option<String>,
    /// The profile it applies for.
    pub applies_for: Option<String>,
    /// The kensa grade.
    pub grade: Option<String>,
    /// Its verdicts, profile by profile (kensa levels first, then by id).
    pub grades: Vec<GradeRow>,
}

/// What [`Store::import_run`] did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Imported {
    /// The run was written.
    Written {
        /// The run id.
        run_id: String,
        /// Evidence records written.
        records: usize,
        /// Findings written.
        findings: usize,
    },
    /// The run was in the database as an interrupted or incomplete run whose chain the new
    /// evidence continues (`kensa scan --resume`): the completed run replaced it.
    Replaced {
        /// The run id.
        run_id: String,
        /// Evidence records written.
        records: usize,
        /// Findings written.
        findings: usize,
    },
    /// The run was in the database already; nothing was written.
    AlreadyPresent {
        /// The run id.
        run_id: String,
    },
}

/// Reading a run's evidence records of one probe for one provider (the SQLite store, and
/// the PostgreSQL store as `kensa serve` reads it).
pub trait EvidenceSource {
    /// The records of `probe` for `provider`'s targets in run `run_id`.
    fn evidence_of(
        &self,
        run_id: &str,
        provider: &str,
        probe: &str,
    ) -> Result<Vec<StoredEvidence>, StoreError>;
}

impl EvidenceSource for Store {
    fn evidence_of(
        &self,
        run_id: &str,
        provider: &str,
        probe: &str,
    ) -> Result<Vec<StoredEvidence>, StoreError> {
        self.evidence_for(run_id, provider, probe)
    }
}

/// One stored evidence record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredEvidence {
    /// The record's sequence number.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// The target id.
    pub target: String,
    /// The probe id.
    pub probe: String,
    /// The probe's outcome id.
    pub outcome: String,
    /// The observation (`null` when the probe recorded none).
    pub observation: Value,
}

/// A run read once through [`evidence::Records`]: the graded form, the verified lines as
/// written (what the store keeps), the chain's head, and the run directory it came from.
#[derive(Clone, Debug)]
pub struct LoadedRun {
    /// The run, as the assessment reads it.
    pub run: Run,
    /// Every verified line (without newlines), in order.
    pub lines: Vec<String>,
    /// The hash-chain head of the verified lines.
    pub head: String,
    /// The run directory (absolute), when read from one.
    pub dir: Option<PathBuf>,
}

impl LoadedRun {
    /// Read a run from its lines (a chain built in memory, e.g. a queued run's vantages
    /// gathered by [`crate::pg`]); `name` names it in messages.
    pub fn from_lines(name: &str, lines: Vec<String>) -> Result<Self, StoreError> {
        let mut kept = Vec::with_capacity(lines.len());
        let source = evidence::Records::Lines {
            name,
            lines: Box::new(lines.into_iter()),
        };
        let (run, tail) = doc::load_records_with(name, source, |v| kept.push(v.line.to_owned()))?;
        Ok(Self {
            run,
            lines: kept,
            head: tail.report.head,
            dir: None,
        })
    }

    /// Read a run directory (or evidence file).
    pub fn read(run_dir: &Path) -> Result<Self, StoreError> {
        let file = evidence::evidence_path(run_dir);
        let name = file.display().to_string();
        let mut lines = Vec::new();
        let source = evidence::Records::File(&file);
        let (run, tail) = doc::load_records_with(&name, source, |v| lines.push(v.line.to_owned()))?;
        let dir = if run_dir.is_file() {
            run_dir.parent().unwrap_or(run_dir).to_owned()
        } else {
            run_dir.to_owned()
        };
        Ok(Self {
            run,
            lines,
            head: tail.report.head,
            dir: Some(std::path::absolute(&dir).unwrap_or(dir)),
        })
    }
}

/// A finding's `detail` column, as both stores write it: its reason, evidence values and
/// records as a JSON object (read back by `kensa diff` and the service).
pub(crate) fn finding_detail(f: &crate::assess::eval::Finding) -> String {
    serde_json::json!({
        "reason": f.reason,
        "evidence": f.evidence,
        "records": f.records,
    })
    .to_string()
}

/// How a run is graded for [`RunStore::record_run_graded`] ([`crate::pipeline::grade`]).
pub type GradeFn = dyn Fn(&LoadedRun) -> Result<Assessment, StoreError> + Sync;

/// What a run store does: record a graded run, read runs back, and answer the history
/// questions of `diff`, `history`, `compare` and `recheck`. The store never grades: callers
/// grade (with [`crate::assess::set::ProfileSet`]) and hand run and assessment over, or hand
/// over the grading function ([`RunStore::record_run_graded`]) for the store to run beside its
/// writes. SQLite ([`Store`]) is the embedded implementation.
pub trait RunStore {
    /// Record `loaded` and its `assessment` in one transaction (a run already present is left
    /// as it is).
    fn record_run(
        &mut self,
        loaded: &LoadedRun,
        assessment: &Assessment,
    ) -> Result<Imported, StoreError>;
    /// Grade `loaded` with `grade` and record both in one transaction, as
    /// [`RunStore::record_run`] does. A store may write the evidence while the run is graded
    /// (the SQLite store does); by default it grades first.
    fn record_run_graded(
        &mut self,
        loaded: &LoadedRun,
        grade: &GradeFn,
    ) -> Result<Imported, StoreError> {
        let assessment = grade(loaded)?;
        self.record_run(loaded, &assessment)
    }
    /// Read a run back: its lines verified again through [`evidence::Records`] and the chain's
    /// head compared with the one recorded at import (an edited run is refused).
    fn load_run(&self, run_id: &str) -> Result<Run, StoreError>;
    /// Whether a run is recorded.
    fn contains_run(&self, run_id: &str) -> Result<bool, StoreError>;
    /// Whether `loaded` supersedes the run recorded under its id: the recorded run did not
    /// complete (interrupted, or no run-end) and `loaded` continues its chain with more lines
    /// (`kensa scan --resume`). [`RunStore::record_run`] then replaces it. A store that cannot
    /// tell keeps what it has.
    fn superseded_by(&self, loaded: &LoadedRun) -> Result<bool, StoreError> {
        let _ = loaded;
        Ok(false)
    }
    /// The provider's run before `run_id` (or its latest, when `run_id` is not its run).
    fn previous_run_of(
        &self,
        provider: &str,
        run_id: &str,
    ) -> Result<Option<RunSummary>, StoreError>;
    /// A provider's runs with their grades, oldest first (its grade history).
    fn grade_history(&self, provider: &str) -> Result<Vec<RunSummary>, StoreError>;
    /// Every provider's latest run.
    fn latest_per_provider(&self) -> Result<Vec<RunSummary>, StoreError>;
    /// Take the re-check cycle lock of this store.
    fn lock_cycle(&self) -> Result<crate::recheck::CycleLock, crate::recheck::RecheckError>;
}

/// The assessment [`Store::record_inner`] records: given, or made while the evidence is
/// written.
enum Grading<'a> {
    Done(&'a Assessment),
    Grade(&'a GradeFn),
}

impl RunStore for Store {
    fn record_run(
        &mut self,
        loaded: &LoadedRun,
        assessment: &Assessment,
    ) -> Result<Imported, StoreError> {
        self.record_inner(loaded, Grading::Done(assessment))
    }

    fn record_run_graded(
        &mut self,
        loaded: &LoadedRun,
        grade: &GradeFn,
    ) -> Result<Imported, StoreError> {
        self.record_inner(loaded, Grading::Grade(grade))
    }

    fn load_run(&self, run_id: &str) -> Result<Run, StoreError> {
        self.load_run_keeping(run_id, None)
    }

    fn contains_run(&self, run_id: &str) -> Result<bool, StoreError> {
        self.has_run(run_id)
    }

    fn superseded_by(&self, loaded: &LoadedRun) -> Result<bool, StoreError> {
        self.supersedes(&self.conn, loaded)
    }

    fn previous_run_of(
        &self,
        provider: &str,
        run_id: &str,
    ) -> Result<Option<RunSummary>, StoreError> {
        self.previous_run(provider, run_id)
    }

    fn grade_history(&self, provider: &str) -> Result<Vec<RunSummary>, StoreError> {
        self.provider_runs(provider)
    }

    fn latest_per_provider(&self) -> Result<Vec<RunSummary>, StoreError> {
        self.latest_run_per_provider()
    }

    fn lock_cycle(&self) -> Result<crate::recheck::CycleLock, crate::recheck::RecheckError> {
        crate::recheck::CycleLock::take(Path::new(&self.path))
    }
}

/// The order profiles are listed in: the kensa levels, then the others by id.
pub fn profile_order(id: &str) -> (usize, String) {
    match KENSA_LEVELS.iter().position(|l| *l == id) {
        Some(i) => (i, String::new()),
        None => (KENSA_LEVELS.len(), id.to_owned()),
    }
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The run database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: String,
}

impl Store {
    /// Open the database at `path`, creating it (and its directory) when absent, and migrate
    /// its schema. An existing file that is not a kensa database is refused and left as it is.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_inner(path, true)
    }

    /// Open an existing database (commands that only read): a missing file is
    /// [`StoreError::Missing`].
    pub fn open_existing(path: &Path) -> Result<Self, StoreError> {
        Self::open_inner(path, false)
    }

    fn open_inner(path: &Path, create: bool) -> Result<Self, StoreError> {
        let name = path.display().to_string();
        let io = |source| StoreError::Io {
            path: name.clone(),
            source,
        };
        let exists = match std::fs::metadata(path) {
            Ok(m) if m.is_file() => true,
            Ok(_) => {
                return Err(StoreError::NotSqlite {
                    path: name,
                    why: "not a regular file".into(),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(io(e)),
        };
        if exists {
            check_header(path, &name)?;
        } else if !create {
            return Err(StoreError::Missing { path: name });
        } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let flags = if exists {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let sql = |what: &str| {
            let path = name.clone();
            let what = what.to_owned();
            move |source: rusqlite::Error| classify(path, what, source)
        };
        let mut conn = Connection::open_with_flags(path, flags).map_err(sql("open"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(sql("set busy_timeout"))?;
        // Read only, until the file is known to be kensa's (or empty).
        let (app_id, version, tables) = identify(&conn).map_err(sql("read the header"))?;
        let empty = app_id == 0 && version == 0 && tables == 0;
        if !empty && app_id != APPLICATION_ID {
            return Err(StoreError::Foreign {
                path: name,
                found: app_id,
                tables,
            });
        }
        if version > latest_version() {
            return Err(StoreError::TooNew {
                path: name,
                found: version,
                known: latest_version(),
            });
        }
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(sql("set journal_mode=WAL"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!("{name}: journal_mode is {mode}, not WAL; readers may wait for writers");
        }
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(sql("enable foreign keys"))?;
        if version < latest_version() || app_id != APPLICATION_ID {
            migrate(&mut conn, &name)?;
        }
        Ok(Self { conn, path: name })
    }

    /// The database file, as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err("read user_version", e))
    }

    fn err(&self, what: &str, source: rusqlite::Error) -> StoreError {
        classify(self.path.clone(), what.to_owned(), source)
    }

    /// Whether a run is in the database.
    pub fn has_run(&self, run_id: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT 1 FROM runs WHERE run_id = ?1", [run_id], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.err("look up a run", e))
    }

    /// Import a run directory (or evidence file): [`crate::pipeline::import_run_dir`] (read
    /// once, graded outside the store, then [`RunStore::record_run`]). A run already present is
    /// left as it is.
    pub fn import_run(&mut self, run_dir: &Path) -> Result<Imported, StoreError> {
        crate::pipeline::import_run_dir(self, run_dir).map(|(i, _)| i)
    }

    fn record_inner(
        &mut self,
        loaded: &LoadedRun,
        grading: Grading<'_>,
    ) -> Result<Imported, StoreError> {
        let run = &loaded.run;
        if run.run_id.is_empty() {
            return Err(StoreError::NoRunId(run.file.clone()));
        }
        if self.has_run(&run.run_id)? && !self.supersedes(&self.conn, loaded)? {
            return Ok(Imported::AlreadyPresent {
                run_id: run.run_id.clone(),
            });
        }
        let lines = parse_lines(&loaded.lines);
        let head = loaded.head.clone();
        let dir = loaded.dir.clone();
        let path = self.path.clone();
        let e = |what: &'static str| {
            let path = path.clone();
            move |source| classify(path, what.to_owned(), source)
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e("begin the import"))?;
        // Another writer may have imported it meanwhile.
        let present = tx
            .query_row(
                "SELECT 1 FROM runs WHERE run_id = ?1",
                [&run.run_id],
                |_| Ok(()),
            )
            .optional()
            .map_err(e("look up a run"))?;
        // A resumed run replaces its interrupted import (under the write lock, checked again).
        let mut replaced = false;
        if present.is_some() {
            if !Self::supersedes_in(&tx, &path, loaded)? {
                return Ok(Imported::AlreadyPresent {
                    run_id: run.run_id.clone(),
                });
            }
            // Providers, targets, evidence, findings, grades and lines go with it (CASCADE).
            tx.execute("DELETE FROM runs WHERE run_id = ?1", [&run.run_id])
                .map_err(e("replace the interrupted run"))?;
            replaced = true;
        }
        let begin = &lines.begin;
        let end = &lines.end;
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        tx.execute(
            "INSERT INTO runs (run_id, run_dir, started, ended, status, tool, vantage, head,
                               integrity, imported)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                run.run_id,
                dir.as_ref()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default(),
                s(begin, "started_at"),
                s(end, "finished_at"),
                s(end, "status"),
                s(begin, "tool"),
                begin
                    .get("vantage")
                    .filter(|v| !v.is_null())
                    .map(Value::to_string),
                head,
                id_of(&run.integrity),
                crate::rfc3339(std::time::SystemTime::now()),
            ],
        )
        .map_err(e("write the run"))?;
        // The run is graded (on its own threads) while its evidence is written; the
        // assessment's rows follow. An error on either side rolls the whole import back.
        let (records, findings) = std::thread::scope(|sc| -> Result<_, StoreError> {
            let graded = match grading {
                Grading::Done(a) => Ok(a),
                Grading::Grade(grade) => Err(sc.spawn(|| grade(loaded))),
            };
            let records = Self::write_evidence(&tx, &path, loaded)?;
            let owned;
            let assessment = match graded {
                Ok(a) => a,
                Err(h) => {
                    owned = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
                    &owned
                }
            };
            let findings = Self::write_assessment(&tx, &path, &run.run_id, assessment)?;
            Ok((records, findings))
        })?;
        tx.commit().map_err(e("commit the import"))?;
        let run_id = run.run_id.clone();
        Ok(if replaced {
            Imported::Replaced {
                run_id,
                records,
                findings,
            }
        } else {
            Imported::Written {
                run_id,
                records,
                findings,
            }
        })
    }

    /// The evidence part of an import: the run's targets, evidence records and lines (the
    /// number of evidence records written).
    fn write_evidence(
        tx: &rusqlite::Transaction<'_>,
        path: &str,
        loaded: &LoadedRun,
    ) -> Result<usize, StoreError> {
        let run = &loaded.run;
        let e = |what: &'static str| {
            let path = path.to_owned();
            move |source| classify(path, what.to_owned(), source)
        };
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let mut records = 0;
        for t in &run.targets {
            let tv = t.doc.get("target").cloned().unwrap_or(Value::Null);
            tx.execute(
                "INSERT INTO targets (run_id, target, provider, host, port, sni, addresses,
                                  address_source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    run.run_id,
                    t.target,
                    t.provider,
                    s(&tv, "host"),
                    tv.get("port").and_then(Value::as_i64),
                    s(&tv, "sni"),
                    tv.get("addresses")
                        .cloned()
                        .unwrap_or(Value::Array(Vec::new()))
                        .to_string(),
                    s(&tv, "address_source"),
                ],
            )
            .map_err(e("write a target"))?;
        }
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO evidence (run_id, seq, hash, target, provider, probe, outcome,
                                       started_at, elapsed_us, error, observation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .map_err(e("prepare evidence"))?;
            for r in loaded.lines.iter().filter_map(|l| parse_evidence(l)) {
                records += 1;
                ins.execute(params![
                    run.run_id,
                    r.seq,
                    r.hash,
                    r.target,
                    r.provider,
                    s(&r.data, "probe"),
                    s(&r.data, "outcome"),
                    s(&r.data, "started_at"),
                    r.data.get("elapsed_us").and_then(Value::as_i64),
                    s(&r.data, "error"),
                    r.data
                        .get("observation")
                        .filter(|v| !v.is_null())
                        .map(Value::to_string),
                ])
                .map_err(e("write evidence"))?;
            }
        }
        {
            let mut ins = tx
                .prepare("INSERT INTO run_lines (run_id, seq, line) VALUES (?1, ?2, ?3)")
                .map_err(e("prepare run lines"))?;
            for (seq, line) in loaded.lines.iter().enumerate() {
                ins.execute(params![
                    run.run_id,
                    i64::try_from(seq).unwrap_or(i64::MAX),
                    line
                ])
                .map_err(e("write a run line"))?;
            }
        }
        Ok(records)
    }

    /// The assessment part of an import: providers, grades and findings (the number of
    /// findings written).
    fn write_assessment(
        tx: &rusqlite::Transaction<'_>,
        path: &str,
        run_id: &str,
        assessment: &Assessment,
    ) -> Result<usize, StoreError> {
        let e = |what: &'static str| {
            let path = path.to_owned();
            move |source| classify(path, what.to_owned(), source)
        };
        for p in &assessment.providers {
            tx.execute(
                "INSERT INTO providers (run_id, provider, name, declared_country, applies_for,
                                    grade, fails_applies_for)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    run_id,
                    p.provider.id,
                    p.provider.name,
                    p.provider.declared_country,
                    p.provider.applies_for,
                    p.grade,
                    p.fails_applies_for,
                ],
            )
            .map_err(e("write a provider"))?;
        }
        let mut findings = 0;
        {
            let mut grade_ins = tx
                .prepare(
                    "INSERT INTO grades (run_id, provider, profile, version, verdict, passed,
                                     detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(e("prepare grades"))?;
            let mut finding_ins = tx
                .prepare(
                    "INSERT INTO findings (run_id, provider, target, profile, control, outcome,
                                       detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(e("prepare findings"))?;
            for p in &assessment.providers {
                for v in &p.profiles {
                    grade_ins
                        .execute(params![
                            run_id,
                            p.provider.id,
                            v.profile,
                            v.version,
                            v.verdict,
                            v.passed,
                            v.detail,
                        ])
                        .map_err(e("write a grade"))?;
                    for f in v.targets.iter().flat_map(|t| &t.findings) {
                        finding_ins
                            .execute(params![
                                run_id,
                                p.provider.id,
                                f.target,
                                v.profile,
                                f.control,
                                f.result.as_str(),
                                finding_detail(f),
                            ])
                            .map_err(e("write a finding"))?;
                        findings += 1;
                    }
                }
            }
        }
        Ok(findings)
    }

    fn supersedes(&self, conn: &Connection, loaded: &LoadedRun) -> Result<bool, StoreError> {
        Self::supersedes_in(conn, &self.path, loaded)
    }

    /// See [`RunStore::superseded_by`]: the recorded run has no `complete` status, and its
    /// last line is the same line of `loaded`, which has more (the chain links every line to
    /// the one before it, so the recorded lines are a prefix of the new ones).
    fn supersedes_in(
        conn: &Connection,
        path: &str,
        loaded: &LoadedRun,
    ) -> Result<bool, StoreError> {
        let e = |what: &str| {
            let path = path.to_owned();
            let what = what.to_owned();
            move |source| classify(path, what, source)
        };
        let status: Option<Option<String>> = conn
            .query_row(
                "SELECT status FROM runs WHERE run_id = ?1",
                [&loaded.run.run_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(e("look up a run"))?;
        let Some(status) = status else {
            return Ok(false);
        };
        if status.as_deref() == Some("complete") {
            return Ok(false);
        }
        let last: Option<(i64, String)> = conn
            .query_row(
                "SELECT seq, line FROM run_lines WHERE run_id = ?1 ORDER BY seq DESC LIMIT 1",
                [&loaded.run.run_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(e("read run lines"))?;
        let Some((seq, line)) = last else {
            return Ok(false);
        };
        let Ok(seq) = usize::try_from(seq) else {
            return Ok(false);
        };
        Ok(loaded.lines.len() > seq + 1 && loaded.lines.get(seq) == Some(&line))
    }

    fn summaries(&self, sql: &str, args: &[&str]) -> Result<Vec<RunSummary>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(sql)
            .map_err(|e| self.err("prepare a query", e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(RunSummary {
                    run_id: r.get(0)?,
                    run_dir: PathBuf::from(r.get::<_, String>(1)?),
                    started: r.get(2)?,
                    ended: r.get(3)?,
                    status: r.get(4)?,
                    integrity: r.get(5)?,
                    provider: r.get(6)?,
                    name: r.get(7)?,
                    declared_country: r.get(8)?,
                    applies_for: r.get(9)?,
                    grade: r.get(10)?,
                    grades: Vec::new(),
                })
            })
            .map_err(|e| self.err("read runs", e))?;
        let mut out = Vec::new();
        for r in rows {
            let mut s = r.map_err(|e| self.err("read runs", e))?;
            s.grades = self.grades(&s.run_id, &s.provider)?;
            out.push(s);
        }
        Ok(out)
    }

    /// The verdicts of `provider` in run `run_id`, kensa levels first.
    pub fn grades(&self, run_id: &str, provider: &str) -> Result<Vec<GradeRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT profile, version, verdict, passed FROM grades
                 WHERE run_id = ?1 AND provider = ?2",
            )
            .map_err(|e| self.err("prepare a query", e))?;
        let rows = stmt
            .query_map([run_id, provider], |r| {
                Ok(GradeRow {
                    profile: r.get(0)?,
                    version: r.get(1)?,
                    verdict: r.get(2)?,
                    passed: r.get(3)?,
                })
            })
            .map_err(|e| self.err("read grades", e))?;
        let mut out: Vec<GradeRow> = rows
            .collect::<Result<_, _>>()
            .map_err(|e| self.err("read grades", e))?;
        out.sort_by_key(|g| profile_order(&g.profile));
        Ok(out)
    }

    /// Every run of `provider`, oldest first.
    pub fn provider_runs(&self, provider: &str) -> Result<Vec<RunSummary>, StoreError> {
        self.summaries(
            &format!("{SUMMARY_SELECT} WHERE p.provider = ?1 ORDER BY r.started, r.run_id"),
            &[provider],
        )
    }

    /// The run of `provider` just before `run_id` (by start time), if any.
    pub fn previous_run(
        &self,
        provider: &str,
        run_id: &str,
    ) -> Result<Option<RunSummary>, StoreError> {
        let runs = self.provider_runs(provider)?;
        let before = match runs.iter().position(|r| r.run_id == run_id) {
            Some(i) => i.checked_sub(1).and_then(|j| runs.get(j)),
            // Not imported: the latest run is the previous one.
            None => runs.last(),
        };
        Ok(before.cloned())
    }

    /// The latest run of each provider, by provider id.
    pub fn latest_run_per_provider(&self) -> Result<Vec<RunSummary>, StoreError> {
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
    }

    /// Every provider id in the database.
    pub fn providers(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT provider FROM providers ORDER BY provider")
            .map_err(|e| self.err("prepare a query", e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .map_err(|e| self.err("read providers", e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.err("read providers", e))
    }

    /// The evidence records of `probe` for `provider`'s targets in run `run_id`, by seq.
    pub fn evidence_for(
        &self,
        run_id: &str,
        provider: &str,
        probe: &str,
    ) -> Result<Vec<StoredEvidence>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                // INDEXED BY: without ANALYZE statistics SQLite walks the primary key
                // (run_id, seq) to skip the sort, i.e. every record of the run: 10 ms per
                // call with 1,000 providers in a run, against 0.05 ms through this index.
                "SELECT seq, hash, target, probe, outcome, observation
                 FROM evidence INDEXED BY evidence_by_provider
                 WHERE run_id = ?1 AND provider = ?2 AND probe = ?3 ORDER BY seq",
            )
            .map_err(|e| self.err("prepare a query", e))?;
        let rows = stmt
            .query_map([run_id, provider, probe], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .map_err(|e| self.err("read evidence", e))?;
        let mut out = Vec::new();
        for r in rows {
            let (seq, hash, target, probe, outcome, obs) =
                r.map_err(|e| self.err("read evidence", e))?;
            let observation = match obs {
                Some(text) => serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
                    path: self.path.clone(),
                    message: format!("evidence {run_id} #{seq}: observation is not JSON: {e}"),
                })?,
                None => Value::Null,
            };
            out.push(StoredEvidence {
                seq,
                hash,
                target,
                probe,
                outcome,
                observation,
            });
        }
        Ok(out)
    }

    /// Row counts of each table (for tests and `--json` diagnostics).
    pub fn counts(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        let mut out = BTreeMap::new();
        for t in [
            "runs",
            "providers",
            "targets",
            "evidence",
            "findings",
            "grades",
        ] {
            let n: i64 = self
                .conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .map_err(|e| self.err("count rows", e))?;
            out.insert(t.to_owned(), n);
        }
        Ok(out)
    }
}

const SUMMARY_SELECT: &str = "SELECT r.run_id, r.run_dir, r.started, r.ended, r.status,
        r.integrity, p.provider, p.name, p.declared_country, p.applies_for, p.grade
     FROM runs r JOIN providers p ON p.run_id = r.run_id";

fn id_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Map SQLite's "not a database"/"corrupt" codes to [`StoreError::Corrupt`].
fn classify(path: String, what: String, source: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match source.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path,
            message: source.to_string(),
        },
        _ => StoreError::Sqlite { path, what, source },
    }
}

fn check_header(path: &Path, name: &str) -> Result<(), StoreError> {
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: name.to_owned(),
        source,
    })?;
    let mut n = 0;
    while n < head.len() {
        let got = f
            .read(head.get_mut(n..).unwrap_or_default())
            .map_err(|source| StoreError::Io {
                path: name.to_owned(),
                source,
            })?;
        if got == 0 {
            break;
        }
        n += got;
    }
    if n == 0 {
        return Err(StoreError::NotSqlite {
            path: name.to_owned(),
            why: "the file is empty".into(),
        });
    }
    if n < head.len() || &head != SQLITE_HEADER {
        return Err(StoreError::NotSqlite {
            path: name.to_owned(),
            why: "it does not start with the SQLite header".into(),
        });
    }
    Ok(())
}

/// `(application_id, user_version, tables)`, reading only.
fn identify(conn: &Connection) -> rusqlite::Result<(i32, i64, i64)> {
    let app: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    Ok((app, version, tables))
}

fn migrate(conn: &mut Connection, name: &str) -> Result<(), StoreError> {
    let e = |what: &str| {
        let path = name.to_owned();
        let what = what.to_owned();
        move |source| classify(path, what, source)
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(e("begin the migration"))?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let (app_id, version, tables) = identify(&tx).map_err(e("read the header"))?;
    if app_id != APPLICATION_ID && !(app_id == 0 && version == 0 && tables == 0) {
        return Err(StoreError::Foreign {
            path: name.to_owned(),
            found: app_id,
            tables,
        });
    }
    if version > latest_version() {
        return Err(StoreError::TooNew {
            path: name.to_owned(),
            found: version,
            known: latest_version(),
        });
    }
    let done = usize::try_from(version).unwrap_or(0);
    for (i, step) in MIGRATIONS.iter().enumerate().skip(done) {
        tx.execute_batch(step)
            .map_err(e(&format!("schema migration {}", i + 1)))?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(e("set application_id"))?;
    tx.pragma_update(None, "user_version", latest_version())
        .map_err(e("set user_version"))?;
    tx.commit().map_err(e("commit the migration"))
}

struct EvidenceLine {
    seq: i64,
    hash: String,
    target: String,
    provider: String,
    data: Value,
}

/// The `data` of a run's `run-begin` and (last) `run-end` lines.
struct Lines {
    begin: Value,
    end: Value,
}

/// The kind of a verified line, read without building its value.
#[derive(serde::Deserialize)]
struct Kind<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
}

fn line_data(line: &str) -> Value {
    serde_json::from_str::<Value>(line)
        .ok()
        .and_then(|mut v| v.get_mut("data").map(Value::take))
        .unwrap_or(Value::Null)
}

/// Find the `run-begin` and last `run-end` data (the evidence lines are parsed one at a time
/// as they are written, [`parse_evidence`], so the run is not held a second time as values).
fn parse_lines(raw: &[String]) -> Lines {
    let mut out = Lines {
        begin: Value::Null,
        end: Value::Null,
    };
    for line in raw {
        // Every line here was verified by `evidence::Records`.
        match serde_json::from_str::<Kind<'_>>(line).map(|k| k.kind) {
            Ok(k) if k == "run-begin" => out.begin = line_data(line),
            Ok(k) if k == "run-end" => out.end = line_data(line),
            _ => {}
        }
    }
    out
}

/// One verified line, when it is an evidence record.
fn parse_evidence(line: &str) -> Option<EvidenceLine> {
    if serde_json::from_str::<Kind<'_>>(line).ok()?.kind != "evidence" {
        return None;
    }
    let v = serde_json::from_str::<Value>(line).ok()?;
    let data = v.get("data").cloned().unwrap_or(Value::Null);
    let text = |p: &str| {
        data.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Some(EvidenceLine {
        seq: v.get("seq").and_then(Value::as_i64).unwrap_or(-1),
        hash: v
            .get("hash")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        target: text("/target/id"),
        provider: text("/target/provider"),
        data,
    })
}

/// An API token of `kensa serve`, as stored (the secret itself is never stored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    /// The token's number (names it in the audit log).
    pub id: i64,
    /// `viewer`, `evaluator` or `admin`.
    pub role: String,
    /// A free-text label.
    pub label: Option<String>,
    /// When it was created.
    pub created: String,
    /// When it was revoked, if it was.
    pub revoked: Option<String>,
}

/// One entry of the audit log of `kensa serve`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    /// Its number.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who (`token #N (role)`).
    pub actor: String,
    /// What kind of change (`catalog.add-endpoint`, `recheck.start`, ...).
    pub action: String,
    /// What exactly (JSON text).
    pub detail: String,
}

/// One stored finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingRow {
    /// The target id.
    pub target: String,
    /// The profile id.
    pub profile: String,
    /// The control id.
    pub control: String,
    /// `pass`, `fail`, `inconclusive`, `not-applicable`.
    pub outcome: String,
    /// `{"reason", "evidence", "records"}` as written by [`Store::import_run`].
    pub detail: Value,
}

impl Store {
    /// Run `run_id` read back and verified ([`RunStore::load_run`]), with only the
    /// observations of the probes `keep` takes built (`None`: all;
    /// [`StoredRuns::load_run_observing`]).
    fn load_run_keeping(
        &self,
        run_id: &str,
        keep: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<Run, StoreError> {
        let recorded: Option<String> = self
            .conn
            .query_row("SELECT head FROM runs WHERE run_id = ?1", [run_id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err("look up a run", e))?;
        let Some(recorded) = recorded else {
            return Err(StoreError::UnknownRun {
                path: self.path.clone(),
                run_id: run_id.to_owned(),
            });
        };
        let mut stmt = self
            .conn
            .prepare("SELECT line FROM run_lines WHERE run_id = ?1 ORDER BY seq")
            .map_err(|e| self.err("prepare a query", e))?;
        let lines: Vec<String> = stmt
            .query_map([run_id], |r| r.get(0))
            .map_err(|e| self.err("read run lines", e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err("read run lines", e))?;
        if lines.is_empty() {
            return Err(StoreError::NoLines {
                path: self.path.clone(),
                run_id: run_id.to_owned(),
            });
        }
        let name = format!("{}#{run_id}", self.path);
        let source = evidence::Records::Lines {
            name: &name,
            lines: Box::new(lines.into_iter()),
        };
        let (run, tail) = doc::load_records_observing(&name, source, keep)?;
        if tail.report.head != recorded {
            return Err(StoreError::Edited {
                path: self.path.clone(),
                run_id: run_id.to_owned(),
                recorded,
                found: tail.report.head,
            });
        }
        Ok(run)
    }
}

/// The tables `kensa serve` keeps: tokens, the audit log, and reads of stored findings.
impl Store {
    /// Store a new token's SHA-256 (hex) with its role; returns its number.
    pub fn insert_token(
        &self,
        hash: &str,
        role: &str,
        label: Option<&str>,
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO api_tokens (hash, role, label, created) VALUES (?1, ?2, ?3, ?4)",
                params![
                    hash,
                    role,
                    label,
                    crate::rfc3339(std::time::SystemTime::now())
                ],
            )
            .map_err(|e| self.err("write a token", e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The token whose SHA-256 (hex) is `hash`, unless revoked.
    pub fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRow>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, role, label, created, revoked FROM api_tokens
                 WHERE hash = ?1 AND revoked IS NULL",
                [hash],
                token_row,
            )
            .optional()
            .map_err(|e| self.err("look up a token", e))
    }

    /// Every token, newest first.
    pub fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, role, label, created, revoked FROM api_tokens ORDER BY id DESC")
            .map_err(|e| self.err("prepare a query", e))?;
        let rows = stmt
            .query_map([], token_row)
            .map_err(|e| self.err("read tokens", e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.err("read tokens", e))
    }

    /// Revoke token `id`; whether it was active.
    pub fn revoke_token(&self, id: i64) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE api_tokens SET revoked = ?2 WHERE id = ?1 AND revoked IS NULL",
                params![id, crate::rfc3339(std::time::SystemTime::now())],
            )
            .map_err(|e| self.err("revoke a token", e))?;
        Ok(n > 0)
    }

    /// Append an entry to the audit log.
    pub fn audit(&self, actor: &str, action: &str, detail: &Value) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
                params![
                    crate::rfc3339(std::time::SystemTime::now()),
                    actor,
                    action,
                    detail.to_string()
                ],
            )
            .map_err(|e| self.err("write the audit log", e))?;
        Ok(())
    }

    /// The latest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, at, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?1")
            .map_err(|e| self.err("prepare a query", e))?;
        let rows = stmt
            .query_map([limit], |r| {
                Ok(AuditRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(|e| self.err("read the audit log", e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.err("read the audit log", e))
    }

    /// The findings of `provider` in run `run_id`, by profile, target and control.
    pub fn findings(&self, run_id: &str, provider: &str) -> Result<Vec<FindingRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT target, profile, control, outcome, detail FROM findings
                 WHERE run_id = ?1 AND provider = ?2 ORDER BY profile, target, control",
            )
            .map_err(|e| self.err("prepare a query", e))?;
        let rows = stmt
            .query_map([run_id, provider], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(|e| self.err("read findings", e))?;
        let mut out = Vec::new();
        for r in rows {
            let (target, profile, control, outcome, detail) =
                r.map_err(|e| self.err("read findings", e))?;
            out.push(FindingRow {
                target,
                profile,
                control,
                outcome,
                detail: serde_json::from_str(&detail).unwrap_or(Value::Null),
            });
        }
        Ok(out)
    }

    /// The lines of run `run_id` as recorded (its `evidence.jsonl`, not verified here), or
    /// none when the run is not in the store.
    pub fn run_lines(&self, run_id: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT line FROM run_lines WHERE run_id = ?1 ORDER BY seq")
            .map_err(|e| self.err("prepare a query", e))?;
        stmt.query_map([run_id], |r| r.get(0))
            .map_err(|e| self.err("read run lines", e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err("read run lines", e))
    }

    /// The evidence record `seq` of run `run_id` (any probe), if that provider's.
    pub fn evidence_record(
        &self,
        run_id: &str,
        provider: &str,
        seq: i64,
    ) -> Result<Option<StoredEvidence>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT seq, hash, target, probe, outcome, observation FROM evidence
                 WHERE run_id = ?1 AND provider = ?2 AND seq = ?3",
                params![run_id, provider, seq],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.err("read evidence", e))?;
        Ok(
            row.map(|(seq, hash, target, probe, outcome, obs)| StoredEvidence {
                seq,
                hash,
                target,
                probe,
                outcome,
                observation: obs
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .unwrap_or(Value::Null),
            }),
        )
    }

    /// `PRAGMA data_version`: changes when another connection commits (cache invalidation).
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .map_err(|e| self.err("read data_version", e))
    }
}

fn token_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenRow> {
    Ok(TokenRow {
        id: r.get(0)?,
        role: r.get(1)?,
        label: r.get(2)?,
        created: r.get(3)?,
        revoked: r.get(4)?,
    })
}

/// One stored finding, borrowed from the row being read (see [`StoredRuns::stored_findings`]).
pub struct StoredFinding<'a> {
    /// The provider id.
    pub provider: &'a str,
    /// The target id.
    pub target: &'a str,
    /// The profile id.
    pub profile: &'a str,
    /// The control id.
    pub control: &'a str,
    /// The result (`pass`, `fail`, ...).
    pub outcome: &'a str,
    /// `{reason, evidence, records}` as JSON text.
    pub detail: &'a str,
}

/// One stored verdict (see [`StoredRuns::stored_grades`]).
pub struct StoredGrade {
    /// The provider id.
    pub provider: String,
    /// The profile id.
    pub profile: String,
    /// The verdict.
    pub verdict: String,
    /// Whether it passes (`None`: undecided).
    pub passed: Option<bool>,
}

impl<'a> StoredFinding<'a> {
    /// A finding from a row's six columns as the stores select them: provider, target,
    /// profile, control, outcome, detail.
    pub fn from_columns<E>(get: impl Fn(usize) -> Result<&'a str, E>) -> Result<Self, E> {
        Ok(Self {
            provider: get(0)?,
            target: get(1)?,
            profile: get(2)?,
            control: get(3)?,
            outcome: get(4)?,
            detail: get(5)?,
        })
    }
}

/// A run store as `kensa diff` and `kensa compare` read it: runs read back verified, their
/// recorded assessment (providers, verdicts and findings in the order recorded) and their
/// evidence per provider. Both stores: SQLite ([`Store`]) and PostgreSQL
/// ([`crate::pg::store::PgRunStore`]); [`open_for_reading`] opens the one `--db` names.
pub trait StoredRuns: RunStore + EvidenceSource {
    /// The database, for messages (a file, or a URL without its password).
    fn db_name(&self) -> String;
    /// The providers of run `run_id` with their kensa grade, in id order.
    fn stored_providers(&self, run_id: &str) -> Result<Vec<(String, Option<String>)>, StoreError>;
    /// The verdicts of run `run_id`, in the order recorded.
    fn stored_grades(&self, run_id: &str) -> Result<Vec<StoredGrade>, StoreError>;
    /// Every finding of run `run_id`, handed to `each` one row at a time (with an empty
    /// `detail` unless `with_detail`): each provider's in the order recorded (the providers
    /// themselves may come in any order).
    fn stored_findings(
        &self,
        run_id: &str,
        with_detail: bool,
        each: &mut dyn FnMut(StoredFinding<'_>),
    ) -> Result<(), StoreError>;
    /// Run `run_id` read back and verified, with only the observations of the probes `keep`
    /// accepts built (the others `null`).
    fn load_run_observing(
        &self,
        run_id: &str,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Run, StoreError>;
    /// Another handle on the same database for a second thread (`None`: none could be
    /// opened; the caller reads on this one).
    fn reader(&self) -> Option<Box<dyn StoredRuns + Send>>;
}

/// The assessment recorded at import, read back for `kensa diff` of stored runs (issue 21:
/// no grading again).
impl StoredRuns for Store {
    fn db_name(&self) -> String {
        self.path.clone()
    }
    /// The providers of run `run_id` with their kensa grade, in id order.
    fn stored_providers(&self, run_id: &str) -> Result<Vec<(String, Option<String>)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT provider, grade FROM providers WHERE run_id = ?1 ORDER BY provider")
            .map_err(|e| self.err("prepare a query", e))?;
        stmt.query_map([run_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err("read providers", e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err("read providers", e))
    }

    /// The verdicts of run `run_id`, in the order recorded.
    fn stored_grades(&self, run_id: &str) -> Result<Vec<StoredGrade>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT provider, profile, verdict, passed FROM grades WHERE run_id = ?1
                 ORDER BY rowid",
            )
            .map_err(|e| self.err("prepare a query", e))?;
        stmt.query_map([run_id], |r| {
            Ok(StoredGrade {
                provider: r.get(0)?,
                profile: r.get(1)?,
                verdict: r.get(2)?,
                passed: r.get(3)?,
            })
        })
        .map_err(|e| self.err("read grades", e))?
        .collect::<Result<_, _>>()
        .map_err(|e| self.err("read grades", e))
    }

    /// Every finding of run `run_id`, in the order recorded (provider, profile, target),
    /// handed to `each` one row at a time (never all held); `detail` is empty unless
    /// `with_detail`.
    fn stored_findings(
        &self,
        run_id: &str,
        with_detail: bool,
        each: &mut dyn FnMut(StoredFinding<'_>),
    ) -> Result<(), StoreError> {
        // A run's findings are written in one transaction, so their rowids are one range
        // (or nearly): read that range in rowid order with the run as a filter (`+run_id`
        // keeps the planner off the run index). Through the index, `ORDER BY rowid` sorted
        // every finding of the run, spilling ~300 MB to temporary files at 10,000 targets.
        let (lo, hi): (Option<i64>, Option<i64>) = self
            .conn
            .query_row(
                "SELECT min(rowid), max(rowid) FROM findings WHERE run_id = ?1",
                [run_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err("read findings", e))?;
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(());
        };
        let mut stmt = self
            .conn
            .prepare(
                "SELECT provider, target, profile, control, outcome,
                        CASE WHEN ?4 THEN detail ELSE '' END
                 FROM findings WHERE rowid BETWEEN ?2 AND ?3 AND +run_id = ?1 ORDER BY rowid",
            )
            .map_err(|e| self.err("prepare a query", e))?;
        let mut rows = stmt
            .query(rusqlite::params![run_id, lo, hi, with_detail])
            .map_err(|e| self.err("read findings", e))?;
        while let Some(r) = rows.next().map_err(|e| self.err("read findings", e))? {
            let get = |i: usize| -> Result<&str, StoreError> {
                r.get_ref(i)
                    .map_err(|e| self.err("read findings", e))
                    .map(|v| v.as_str().unwrap_or_default())
            };
            each(StoredFinding::from_columns(get)?);
        }
        Ok(())
    }
    fn load_run_observing(
        &self,
        run_id: &str,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Run, StoreError> {
        self.load_run_keeping(run_id, Some(keep))
    }
    fn reader(&self) -> Option<Box<dyn StoredRuns + Send>> {
        Store::open_existing(Path::new(&self.path))
            .ok()
            .map(|s| Box::new(s) as Box<dyn StoredRuns + Send>)
    }
}

/// The run store `db` (else `KENSA_DB`, else `./kensa.db`) names, for reading: a SQLite file
/// that must exist, or a PostgreSQL URL (`postgres://…`).
pub fn open_for_reading(db: Option<&Path>) -> Result<Box<dyn StoredRuns + Send>, StoreError> {
    let given = db.map(|p| p.to_string_lossy().into_owned());
    match crate::pg::db_target(given.as_deref()) {
        crate::pg::DbTarget::Postgres(url) => crate::pg::store::PgRunStore::connect(&url)
            .map(|s| Box::new(s) as Box<dyn StoredRuns + Send>)
            .map_err(StoreError::from),
        crate::pg::DbTarget::Sqlite(path) => {
            Store::open_existing(&path).map(|s| Box::new(s) as Box<dyn StoredRuns + Send>)
        }
    }
}

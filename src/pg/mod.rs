//! PostgreSQL: the shared run store and job queue of the distributed mode (`--db
//! postgres://…`). SQLite ([`crate::store`]) stays the embedded default for one machine.
//!
//! - [`Pg::connect`] opens a pool ([`deadpool_postgres`] over [`tokio_postgres`]), TLS to the
//!   database through rustls with ring ([`tokio_postgres_rustls`], Mozilla's roots plus
//!   `PGSSLROOTCERT`), checks what the database is, and brings its schema up to date with
//!   [`MIGRATIONS`] in one transaction (under an advisory lock, so concurrent workers migrate
//!   once). A database that has tables but no kensa schema, or a kensa schema newer than this
//!   kensa knows, is refused with a [`PgError`] naming it, and nothing is written.
//! - [`store`]: the run store (runs, providers, targets, evidence, findings, grades), the same
//!   tables and semantics as the SQLite store, with the vantage in each evidence row.
//! - [`queue`]: runs and jobs (target × vantage), claims with `FOR UPDATE SKIP LOCKED`, leases
//!   with heartbeats, `LISTEN`/`NOTIFY`; evidence recorded once per (run, target, probe,
//!   vantage) with each job's records a hash chain; [`export`]: verify and export a run.
//!
//! **Why tokio-postgres + deadpool-postgres** (with tokio-postgres-rustls for TLS): they add
//! 33 crates to the product (`cargo tree -e normal`, 247 → 280), and building them took 12.6 s
//! of CPU (`cargo build -p tokio-postgres -p deadpool-postgres -p tokio-postgres-rustls`,
//! debug, warm tree). sqlx with only its postgres feature cannot even be resolved beside
//! rusqlite 0.37: its optional sqlite driver still takes part in the `links = "sqlite3"`
//! check (sqlx 0.8), and sqlx 0.9 needs Rust 1.94 (the workspace's floor is 1.88); it would
//! also bring its own migration and macro machinery that kensa does not use.

pub mod complete;
pub mod export;
pub mod queue;
pub mod serve;
pub mod store;

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;
use tokio_postgres_rustls::MakeRustlsConnect;

/// The marker kensa writes into `kensa_meta` (`application`).
pub const APPLICATION: &str = "kensa";

/// The advisory lock key taken while migrating ("KNSA").
const MIGRATION_LOCK: i64 = 0x4B4E_5341;

/// The schema migrations, in order: `kensa_meta.schema_version` N means the first N have been
/// applied. Append only; never edit a step that has shipped.
pub const MIGRATIONS: &[&str] = &[
    // 1: the store (as the SQLite schema, evidence with its vantage and chained line), the
    // queue (runs, jobs, workers).
    "CREATE TABLE kensa_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE runs (
        run_id    TEXT PRIMARY KEY,
        run_dir   TEXT NOT NULL,
        started   TEXT,
        ended     TEXT,
        status    TEXT,
        tool      TEXT,
        vantage   TEXT,
        head      TEXT NOT NULL,
        integrity TEXT NOT NULL,
        imported  TEXT NOT NULL
    );
    CREATE TABLE run_lines (
        run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        seq    BIGINT NOT NULL,
        line   TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    );
    CREATE TABLE providers (
        run_id            TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        provider          TEXT NOT NULL,
        name              TEXT,
        declared_country  TEXT,
        applies_for       TEXT,
        grade             TEXT,
        fails_applies_for BOOLEAN NOT NULL,
        PRIMARY KEY (run_id, provider)
    );
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
    );
    CREATE TABLE findings (
        run_id   TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        provider TEXT NOT NULL,
        target   TEXT NOT NULL,
        profile  TEXT NOT NULL,
        control  TEXT NOT NULL,
        outcome  TEXT NOT NULL,
        detail   TEXT NOT NULL
    );
    CREATE INDEX findings_by_run ON findings(run_id, provider, profile);
    CREATE TABLE grades (
        run_id   TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        provider TEXT NOT NULL,
        profile  TEXT NOT NULL,
        version  TEXT NOT NULL,
        verdict  TEXT NOT NULL,
        passed   BOOLEAN,
        detail   TEXT,
        PRIMARY KEY (run_id, provider, profile)
    );
    CREATE TABLE queue_runs (
        run_id         TEXT PRIMARY KEY,
        created        TIMESTAMPTZ NOT NULL DEFAULT now(),
        started_at     TEXT NOT NULL,
        tool           TEXT NOT NULL,
        catalog_source TEXT NOT NULL,
        catalog_text   TEXT NOT NULL,
        catalog_digest TEXT NOT NULL,
        config         TEXT NOT NULL,
        probes         TEXT[] NOT NULL,
        vantages       TEXT[] NOT NULL,
        jobs_total     BIGINT NOT NULL,
        remaining      BIGINT NOT NULL,
        state          TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),
        finished       TIMESTAMPTZ
    );
    CREATE TABLE jobs (
        id          BIGSERIAL PRIMARY KEY,
        run_id      TEXT NOT NULL REFERENCES queue_runs(run_id) ON DELETE CASCADE,
        vantage     TEXT NOT NULL,
        target      TEXT NOT NULL,
        provider    TEXT NOT NULL,
        tool        TEXT NOT NULL,
        probes      TEXT[] NOT NULL,
        state       TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'running', 'done', 'failed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        lease_token TEXT,
        leased_by   TEXT,
        lease_until TIMESTAMPTZ,
        enqueued    TIMESTAMPTZ NOT NULL DEFAULT now(),
        started     TIMESTAMPTZ,
        finished    TIMESTAMPTZ,
        error       TEXT,
        begin_line  TEXT,
        end_line    TEXT,
        UNIQUE (run_id, target, vantage)
    );
    CREATE INDEX jobs_queued ON jobs (vantage, enqueued, id) WHERE state = 'queued';
    CREATE INDEX jobs_leased ON jobs (lease_until) WHERE state = 'running';
    CREATE INDEX jobs_by_run ON jobs (run_id, vantage, id);
    CREATE TABLE evidence (
        id          BIGSERIAL PRIMARY KEY,
        run_id      TEXT NOT NULL,
        vantage     TEXT NOT NULL DEFAULT '',
        job_id      BIGINT REFERENCES jobs(id) ON DELETE CASCADE,
        seq         BIGINT NOT NULL,
        hash        TEXT NOT NULL,
        target      TEXT NOT NULL,
        provider    TEXT NOT NULL,
        probe       TEXT NOT NULL,
        outcome     TEXT NOT NULL,
        started_at  TEXT,
        elapsed_us  BIGINT,
        error       TEXT,
        line        TEXT NOT NULL,
        CONSTRAINT evidence_once UNIQUE (run_id, target, probe, vantage)
    );
    CREATE INDEX evidence_by_provider ON evidence (run_id, provider, probe);
    CREATE INDEX evidence_by_job ON evidence (job_id, seq);
    CREATE TABLE workers (
        worker_id TEXT PRIMARY KEY,
        vantage   TEXT NOT NULL,
        lat       DOUBLE PRECISION,
        lon       DOUBLE PRECISION,
        tool      TEXT NOT NULL,
        host      TEXT NOT NULL,
        pid       BIGINT NOT NULL,
        started   TIMESTAMPTZ NOT NULL DEFAULT now(),
        heartbeat TIMESTAMPTZ NOT NULL DEFAULT now(),
        jobs_done BIGINT NOT NULL DEFAULT 0,
        stopped   TIMESTAMPTZ
    );",
    // 2: run completion (assessment, summary, webhook, a lease on the completion so one
    // worker does it and another takes over when it dies) and politeness across workers
    // (each job's host; a lease per vantage and host).
    "ALTER TABLE queue_runs
        ADD COLUMN notify_webhook   TEXT,
        ADD COLUMN completing_by    TEXT,
        ADD COLUMN completing_until TIMESTAMPTZ,
        ADD COLUMN assessed         TIMESTAMPTZ,
        ADD COLUMN summary          TEXT,
        ADD COLUMN notified         TIMESTAMPTZ,
        ADD COLUMN completion_error TEXT;
    CREATE INDEX queue_runs_unassessed ON queue_runs (finished)
        WHERE state = 'done' AND assessed IS NULL;
    ALTER TABLE jobs ADD COLUMN host TEXT NOT NULL DEFAULT '';
    CREATE TABLE host_leases (
        vantage TEXT NOT NULL,
        host    TEXT NOT NULL,
        token   TEXT NOT NULL,
        until   TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (vantage, host)
    );",
    // 3: `kensa serve` over PostgreSQL: API tokens (only their SHA-256) and the audit log, as
    // in the SQLite store; a run's chained lines found by provider and probe (the evidence
    // the service shows is the run as assessed: its lines).
    "CREATE INDEX run_lines_by_provider_probe ON run_lines
        (run_id, (line::jsonb #>> '{data,target,provider}'), (line::jsonb #>> '{data,probe}'));
    CREATE TABLE api_tokens (
        id       BIGSERIAL PRIMARY KEY,
        hash     TEXT NOT NULL UNIQUE,
        role     TEXT NOT NULL,
        label    TEXT,
        created  TEXT NOT NULL,
        revoked  TEXT
    );
    CREATE TABLE audit (
        id      BIGSERIAL PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        detail  TEXT NOT NULL
    );",
    // 4: a claim's jobs of the hosts it leased are found per host (an index scan per leased
    // host), not by walking every queued job of the vantage.
    "CREATE INDEX jobs_queued_host ON jobs (vantage, host, enqueued, id) WHERE state = 'queued';",
    // 5: a run's findings and grades read back in the order they were recorded (the named
    // profiles first, then each `applies_for`, as the SQLite store's rowids), for `kensa
    // diff` of two stored runs: findings by provider in that order through the one index
    // (which still finds a provider's findings for the service). A line's provider and probe
    // as columns, written with it, instead of an index that parsed every line as jsonb at
    // import (1.5 s of the server's time for a 10,000-target run).
    "ALTER TABLE findings ADD COLUMN ord BIGSERIAL;
    ALTER TABLE grades ADD COLUMN ord BIGSERIAL;
    DROP INDEX findings_by_run;
    CREATE INDEX findings_by_run ON findings (run_id, provider, ord);
    ALTER TABLE run_lines ADD COLUMN provider TEXT, ADD COLUMN probe TEXT;
    UPDATE run_lines SET provider = line::jsonb #>> '{data,target,provider}',
                         probe = line::jsonb #>> '{data,probe}';
    DROP INDEX run_lines_by_provider_probe;
    CREATE INDEX run_lines_by_provider_probe ON run_lines (run_id, provider, probe);",
];

/// The schema version this kensa writes.
pub fn latest_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// Why the PostgreSQL database cannot be used. Each names the database as
/// `postgres://USER@HOST:PORT/DB` (never the password).
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    /// The URL does not parse.
    #[error(
        "{url}: not a valid PostgreSQL URL ({message}); expected postgres://USER:PASSWORD@HOST:PORT/DB"
    )]
    BadUrl {
        /// The URL, without its password.
        url: String,
        /// The parser's message.
        message: String,
    },
    /// No server answers there.
    #[error(
        "{db}: cannot reach the PostgreSQL server ({message}); is it running, and is the host and port right?"
    )]
    Unreachable {
        /// The database.
        db: String,
        /// Why.
        message: String,
    },
    /// The server refused the user or password.
    #[error("{db}: the server refused the login ({message}); check the user and password")]
    Auth {
        /// The database.
        db: String,
        /// The server's message.
        message: String,
    },
    /// The database does not exist.
    #[error("{db}: no such database ({message}); create it first (createdb)")]
    NoDatabase {
        /// The database.
        db: String,
        /// The server's message.
        message: String,
    },
    /// TLS to the database failed or could not be set up.
    #[error("{db}: TLS to the database failed: {message}")]
    Tls {
        /// The database.
        db: String,
        /// Why.
        message: String,
    },
    /// The database holds tables but no kensa schema.
    #[error(
        "{db}: not a kensa database ({tables} tables, no kensa_meta marking kensa's schema); \
         refusing to use it (it was left untouched; name an empty or kensa database)"
    )]
    NotKensa {
        /// The database.
        db: String,
        /// How many tables it has.
        tables: i64,
    },
    /// A kensa schema newer than this kensa knows.
    #[error(
        "{db}: schema version {found} is newer than this kensa knows (up to {known}); upgrade \
         kensa (the database was left untouched)"
    )]
    TooNew {
        /// The database.
        db: String,
        /// Its schema version.
        found: i64,
        /// The latest this kensa knows.
        known: i64,
    },
    /// The database has no kensa schema yet (for commands that only read).
    #[error("{db}: no kensa schema in this database yet (`kensa enqueue` creates it)")]
    Empty {
        /// The database.
        db: String,
    },
    /// A statement failed.
    #[error("{db}: {what}: {message}")]
    Sql {
        /// The database.
        db: String,
        /// What kensa was doing.
        what: String,
        /// The server's or driver's message.
        message: String,
    },
    /// Something kensa was asked for is not there (a run, a job).
    #[error("{db}: {message}")]
    NotFound {
        /// The database.
        db: String,
        /// What is missing.
        message: String,
    },
    /// The run could not be assessed or its evidence read.
    #[error("{0}")]
    Assess(#[from] crate::assess::AssessError),
    /// A local file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// The database a `--db` value (or `KENSA_DB`) names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DbTarget {
    /// A SQLite file.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL URL (`postgres://` or `postgresql://`).
    Postgres(String),
}

/// Whether `s` is a PostgreSQL URL.
pub fn is_postgres_url(s: &str) -> bool {
    let l = s.trim_start().to_ascii_lowercase();
    l.starts_with("postgres://") || l.starts_with("postgresql://")
}

/// The database named by `--db`, else `KENSA_DB`, else `./kensa.db`: a PostgreSQL URL or a
/// SQLite file. The one place that tells them apart.
pub fn db_target(given: Option<&str>) -> DbTarget {
    let chosen = given.map(str::to_owned).or_else(|| {
        std::env::var(crate::store::DB_ENV)
            .ok()
            .filter(|v| !v.is_empty())
    });
    match chosen {
        Some(s) if is_postgres_url(&s) => DbTarget::Postgres(s),
        Some(s) => DbTarget::Sqlite(s.into()),
        None => DbTarget::Sqlite(crate::store::DEFAULT_DB.into()),
    }
}

/// `url` without its password, for messages: `postgres://USER@HOST:PORT/DB`.
pub fn display_name(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(s) => s.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgres://{}@{}:{}/{}",
        config.get_user().unwrap_or(""),
        host,
        port,
        config.get_dbname().unwrap_or("")
    )
}

/// A URL with any password replaced by `***` (when it does not parse).
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let auth = url.get(s + 3..at).unwrap_or_default();
            let user = auth.split(':').next().unwrap_or_default();
            format!(
                "{}{}@{}",
                url.get(..s + 3).unwrap_or_default(),
                user,
                url.get(at + 1..).unwrap_or_default()
            )
        }
        _ => url.to_owned(),
    }
}

/// Settings of the connection pool.
#[derive(Clone, Copy, Debug)]
pub struct PoolSettings {
    /// Connections at most.
    pub max_size: usize,
    /// How long to wait for a connection to open.
    pub connect_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 4,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// A pooled connection to kensa's PostgreSQL database.
#[derive(Clone)]
pub struct Pg {
    pool: Pool,
    config: tokio_postgres::Config,
    tls: MakeRustlsConnect,
    name: Arc<str>,
}

impl std::fmt::Debug for Pg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pg").field("db", &self.name).finish()
    }
}

/// The TLS connector: rustls with ring, Mozilla's roots, and the PEM file `PGSSLROOTCERT`
/// names (a private CA's), as libpq reads it.
fn tls_connector(db: &str) -> Result<MakeRustlsConnect, PgError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(file) = std::env::var_os("PGSSLROOTCERT").filter(|v| !v.is_empty()) {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let path = std::path::PathBuf::from(file);
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&path)
            .and_then(|it| it.collect::<Result<_, _>>())
            .map_err(|e| PgError::Tls {
                db: db.to_owned(),
                message: format!("PGSSLROOTCERT {}: {e}", path.display()),
            })?;
        for c in certs {
            roots.add(c).map_err(|e| PgError::Tls {
                db: db.to_owned(),
                message: format!("PGSSLROOTCERT {}: {e}", path.display()),
            })?;
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| PgError::Tls {
            db: db.to_owned(),
            message: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// Name a driver error by what it means for the user.
pub(crate) fn classify(db: &str, what: &str, e: &tokio_postgres::Error) -> PgError {
    if let Some(d) = e.as_db_error() {
        let code = d.code();
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return PgError::Auth {
                db: db.to_owned(),
                message: d.message().to_owned(),
            };
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return PgError::NoDatabase {
                db: db.to_owned(),
                message: d.message().to_owned(),
            };
        }
        return PgError::Sql {
            db: db.to_owned(),
            what: what.to_owned(),
            message: format!("{} ({})", d.message(), code.code()),
        };
    }
    let text = error_chain(e);
    if text.contains("tls") || text.contains("TLS") || text.contains("certificate") {
        return PgError::Tls {
            db: db.to_owned(),
            message: text,
        };
    }
    if e.is_closed() || text.contains("error connecting") || text.contains("timed out") {
        return PgError::Unreachable {
            db: db.to_owned(),
            message: text,
        };
    }
    PgError::Sql {
        db: db.to_owned(),
        what: what.to_owned(),
        message: text,
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// What a database holds, read without writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// No tables at all.
    Empty,
    /// kensa's schema at this version.
    Kensa(i64),
    /// Tables, but not kensa's.
    Foreign(i64),
}

async fn identify(
    c: &impl deadpool_postgres::GenericClient,
) -> Result<Found, tokio_postgres::Error> {
    let tables: i64 = c
        .query_one(
            "SELECT count(*) FROM information_schema.tables
             WHERE table_schema = current_schema()",
            &[],
        )
        .await?
        .get(0);
    if tables == 0 {
        return Ok(Found::Empty);
    }
    let has_meta: bool = c
        .query_one("SELECT to_regclass('kensa_meta') IS NOT NULL", &[])
        .await?
        .get(0);
    if !has_meta {
        return Ok(Found::Foreign(tables));
    }
    let rows = c
        .query(
            "SELECT key, value FROM kensa_meta WHERE key IN ('application', 'schema_version')",
            &[],
        )
        .await?;
    let get = |k: &str| {
        rows.iter()
            .find(|r| r.get::<_, &str>(0) == k)
            .map(|r| r.get::<_, String>(1))
    };
    match (get("application"), get("schema_version")) {
        (Some(app), Some(v)) if app == APPLICATION => Ok(v
            .parse()
            .map(Found::Kensa)
            .unwrap_or(Found::Foreign(tables))),
        _ => Ok(Found::Foreign(tables)),
    }
}

impl Pg {
    /// Connect to `url`, check what the database is and migrate its schema (creating it in
    /// an empty database).
    pub async fn connect(url: &str, settings: PoolSettings) -> Result<Self, PgError> {
        Self::open(url, settings, true).await
    }

    /// Connect to an existing kensa database (commands that only read): an empty database is
    /// [`PgError::Empty`], and nothing is written.
    pub async fn connect_existing(url: &str, settings: PoolSettings) -> Result<Self, PgError> {
        Self::open(url, settings, false).await
    }

    async fn open(url: &str, settings: PoolSettings, create: bool) -> Result<Self, PgError> {
        let mut config: tokio_postgres::Config =
            url.parse()
                .map_err(|e: tokio_postgres::Error| PgError::BadUrl {
                    url: redact(url),
                    message: e.to_string(),
                })?;
        config
            .connect_timeout(settings.connect_timeout)
            .application_name(crate::TOOL)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30));
        let name: Arc<str> = display_name(&config).into();
        let tls = tls_connector(&name)?;
        let mgr = Manager::from_config(
            config.clone(),
            tls.clone(),
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(mgr)
            .max_size(settings.max_size.max(1))
            .wait_timeout(Some(settings.connect_timeout * 3))
            .create_timeout(Some(settings.connect_timeout))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| PgError::Sql {
                db: name.to_string(),
                what: "build the connection pool".into(),
                message: e.to_string(),
            })?;
        let pg = Self {
            pool,
            config,
            tls,
            name,
        };
        let mut client = pg.client().await?;
        let found = identify(&client)
            .await
            .map_err(|e| pg.err("read what the database holds", &e))?;
        match found {
            Found::Foreign(tables) => {
                return Err(PgError::NotKensa {
                    db: pg.name.to_string(),
                    tables,
                });
            }
            Found::Kensa(v) if v > latest_version() => {
                return Err(PgError::TooNew {
                    db: pg.name.to_string(),
                    found: v,
                    known: latest_version(),
                });
            }
            Found::Empty if !create => {
                return Err(PgError::Empty {
                    db: pg.name.to_string(),
                });
            }
            Found::Kensa(v) if v == latest_version() => {}
            Found::Empty | Found::Kensa(_) => pg.migrate(&mut client).await?,
        }
        drop(client);
        Ok(pg)
    }

    async fn migrate(&self, client: &mut deadpool_postgres::Object) -> Result<(), PgError> {
        let e = |what: &'static str| move |err: tokio_postgres::Error| self.err(what, &err);
        let tx = client
            .transaction()
            .await
            .map_err(e("begin the migration"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(e("take the migration lock"))?;
        // Read again under the lock: another process may have migrated meanwhile.
        let done = match identify(&tx).await.map_err(e("read the schema version"))? {
            Found::Empty => 0,
            Found::Kensa(v) if v > latest_version() => {
                return Err(PgError::TooNew {
                    db: self.name.to_string(),
                    found: v,
                    known: latest_version(),
                });
            }
            Found::Kensa(v) => v,
            Found::Foreign(tables) => {
                return Err(PgError::NotKensa {
                    db: self.name.to_string(),
                    tables,
                });
            }
        };
        for (i, step) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(done).unwrap_or(0))
        {
            tx.batch_execute(step)
                .await
                .map_err(|err| self.err(&format!("schema migration {}", i + 1), &err))?;
        }
        tx.execute(
            "INSERT INTO kensa_meta (key, value) VALUES ('application', $1), ('schema_version', $2)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&APPLICATION, &latest_version().to_string()],
        )
        .await
        .map_err(e("record the schema version"))?;
        tx.commit().await.map_err(e("commit the migration"))?;
        tracing::info!(
            "{}: schema migrated from version {done} to {}",
            self.name,
            latest_version()
        );
        Ok(())
    }

    /// The database, as `postgres://USER@HOST:PORT/DB`.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn err(&self, what: &str, e: &tokio_postgres::Error) -> PgError {
        classify(&self.name, what, e)
    }

    /// A connection from the pool.
    pub async fn client(&self) -> Result<deadpool_postgres::Object, PgError> {
        self.pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(b) => classify(&self.name, "connect", &b),
            deadpool_postgres::PoolError::Timeout(_) => PgError::Unreachable {
                db: self.name.to_string(),
                message: "timed out waiting for a connection".into(),
            },
            other => PgError::Unreachable {
                db: self.name.to_string(),
                message: other.to_string(),
            },
        })
    }

    /// A connection of its own, outside the pool (for `LISTEN`): the client and a task that
    /// forwards each notification's payload on the returned channel until the connection
    /// closes.
    pub async fn listen(
        &self,
        channel: &str,
    ) -> Result<
        (
            tokio_postgres::Client,
            tokio::sync::mpsc::UnboundedReceiver<String>,
        ),
        PgError,
    > {
        let (client, mut conn) = self
            .config
            .connect(self.tls.clone())
            .await
            .map_err(|e| self.err("connect for LISTEN", &e))?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                match std::future::poll_fn(|cx| conn.poll_message(cx)).await {
                    Some(Ok(tokio_postgres::AsyncMessage::Notification(n))) => {
                        if tx.send(n.payload().to_owned()).is_err() {
                            break;
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => break,
                }
            }
        });
        client
            .batch_execute(&format!("LISTEN {channel}"))
            .await
            .map_err(|e| self.err("LISTEN", &e))?;
        Ok((client, rx))
    }

    /// A connection of its own, outside the pool (its connection is driven by a task on the
    /// current runtime until the client is dropped).
    pub async fn connect_one(&self) -> Result<tokio_postgres::Client, PgError> {
        let (client, conn) = self
            .config
            .connect(self.tls.clone())
            .await
            .map_err(|e| self.err("connect", &e))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(client)
    }

    /// The schema version recorded in `kensa_meta`.
    pub async fn schema_version(&self) -> Result<i64, PgError> {
        let c = self.client().await?;
        let row = c
            .query_one(
                "SELECT value FROM kensa_meta WHERE key = 'schema_version'",
                &[],
            )
            .await
            .map_err(|e| self.err("read the schema version", &e))?;
        Ok(row.get::<_, String>(0).parse().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_files_are_told_apart() {
        assert_eq!(
            db_target(Some("postgres://u:p@127.0.0.1/k")),
            DbTarget::Postgres("postgres://u:p@127.0.0.1/k".into())
        );
        assert_eq!(
            db_target(Some("postgresql://127.0.0.1/k")),
            DbTarget::Postgres("postgresql://127.0.0.1/k".into())
        );
        assert_eq!(
            db_target(Some("runs/kensa.db")),
            DbTarget::Sqlite("runs/kensa.db".into())
        );
    }

    #[test]
    fn passwords_never_reach_messages() {
        let c: tokio_postgres::Config = "postgres://kensa:secret@127.0.0.1:5433/k".parse().unwrap();
        assert_eq!(display_name(&c), "postgres://kensa@127.0.0.1:5433/k");
        assert_eq!(
            redact("postgres://kensa:secret@127.0.0.1:5433/k?x"),
            "postgres://kensa@127.0.0.1:5433/k?x"
        );
    }
}

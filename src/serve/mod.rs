//! `kensa serve`: a web dashboard and a REST API over the run store, and `kensa token`.
//!
//! - [`backend`]: the only module that reads the store and starts re-checks;
//! - [`auth`]: tokens, sessions, CSRF, the login rate limit;
//! - [`pages`]: server-rendered HTML (maud; no script; a CSP without `unsafe-inline`);
//! - [`api`]: `/api/v1` JSON, its OpenAPI 3.1 document, RFC 9457 problem details;
//! - [`catalog_edit`]: edits of the catalog file.
//!
//! Every route but `/healthz`, `/login` and the style sheet needs a token: `Authorization:
//! Bearer TOKEN`, or the session cookie a login with a token made. See `docs/serve.md`.

pub mod api;
pub mod auth;
pub mod backend;
pub mod catalog_edit;
pub mod pages;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use clap::{Args, Subcommand};

use auth::{Principal, Role, Sessions};
use backend::{Backend, BackendError};

/// Arguments of `kensa serve`.
#[derive(Clone, Debug, Args)]
pub struct ServeArgs {
    /// The run store: a SQLite file or a PostgreSQL URL (postgres://…) (default: $KENSA_DB,
    /// else ./kensa.db).
    #[arg(long, value_name = "FILE|URL")]
    pub db: Option<PathBuf>,
    /// With a PostgreSQL store: the vantages whose workers run re-checks (each re-check is
    /// enqueued for every one, as `kensa enqueue --vantages`).
    #[arg(long, value_delimiter = ',', value_name = "NAME,...")]
    pub vantages: Vec<String>,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// The catalog file the service re-checks providers with and lets an admin edit.
    #[arg(long, value_name = "CATALOG.toml")]
    pub catalog: Option<PathBuf>,
    /// Where re-check runs are written (default: `serve-runs` next to the database).
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// The scan configuration of re-checks: a JSON `ScanConfig` (`kensa::config`; e.g.
    /// `{"resolvers": ["127.0.0.1:5353"], "settings": {"allow_private": true}}`). Default:
    /// `kensa scan`'s defaults.
    #[arg(long, value_name = "FILE")]
    pub scan_config: Option<PathBuf>,
    /// The scan configuration given directly (library callers and `kensa demo --serve`);
    /// wins over `scan_config`.
    #[arg(skip)]
    pub scan: Option<crate::config::ScanConfig>,
    /// The private key (from `kensa keygen`) that signs the evidence bundles evaluators
    /// download; without it, bundles are not offered.
    #[arg(long, value_name = "KEY")]
    pub bundle_key: Option<PathBuf>,
}

/// `kensa token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it once (only its SHA-256 is stored).
    Create(TokenCreateArgs),
    /// List the tokens (never their secrets).
    List(TokenDbArgs),
    /// Revoke a token by its number.
    Revoke(TokenRevokeArgs),
}

/// Arguments of `kensa token create`.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// viewer (reads), evaluator (also re-checks), admin (also edits the catalog).
    #[arg(long, value_parser = ["viewer", "evaluator", "admin"])]
    pub role: String,
    /// A label to tell tokens apart.
    #[arg(long)]
    pub label: Option<String>,
    /// The run store: a SQLite file or a PostgreSQL URL (default: $KENSA_DB, else ./kensa.db).
    #[arg(long, value_name = "FILE|URL")]
    pub db: Option<PathBuf>,
}

/// Arguments of `kensa token list`.
#[derive(Debug, Args)]
pub struct TokenDbArgs {
    /// The run store: a SQLite file or a PostgreSQL URL (default: $KENSA_DB, else ./kensa.db).
    #[arg(long, value_name = "FILE|URL")]
    pub db: Option<PathBuf>,
}

/// Arguments of `kensa token revoke`.
#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    /// The token's number (from `kensa token list`).
    pub id: i64,
    /// The run store: a SQLite file or a PostgreSQL URL (default: $KENSA_DB, else ./kensa.db).
    #[arg(long, value_name = "FILE|URL")]
    pub db: Option<PathBuf>,
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The store or catalog.
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// The store.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Binding or serving.
    #[error("{0}")]
    Io(String),
    /// The TLS certificate or key.
    #[error("TLS: {0}")]
    Tls(String),
}

/// What every handler shares.
#[derive(Debug)]
pub struct AppState {
    /// The store and re-checks.
    pub backend: Arc<Backend>,
    /// Browser sessions.
    pub sessions: Sessions,
    /// Whether the service speaks HTTPS (cookies get `Secure`).
    pub tls: bool,
}

/// The shared state.
pub type Shared = Arc<AppState>;

/// The Content-Security-Policy of every response: nothing inline, nothing from elsewhere.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "kensa_session";

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn is_public(path: &str) -> bool {
    matches!(path, "/healthz" | "/login" | "/static/kensa.css")
}

async fn authenticate(state: &AppState, headers: &HeaderMap) -> Option<Principal> {
    if let Some(v) = headers.get(header::AUTHORIZATION) {
        let token = v.to_str().ok()?.strip_prefix("Bearer ")?.trim();
        let row = state.backend.token(auth::token_hash(token)).await.ok()??;
        return Some(Principal {
            token_id: row.id,
            role: Role::parse(&row.role)?,
            csrf: None,
        });
    }
    let sid = cookie(headers, SESSION_COOKIE)?;
    state.sessions.get(sid)
}

/// The middleware: security headers on every response; a principal for every route but the
/// public ones (401 otherwise: problem details for the API, the login form for pages).
async fn guard(State(state): State<Shared>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut resp = if is_public(&path) {
        next.run(req).await
    } else {
        match authenticate(&state, req.headers()).await {
            Some(p) => {
                req.extensions_mut().insert(p);
                next.run(req).await
            }
            None if path.starts_with("/api/") => api::problem(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "send Authorization: Bearer TOKEN (kensa token create)",
            ),
            None => pages::login_page(&state, req.headers(), StatusCode::UNAUTHORIZED, None),
        }
    };
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    resp
}

/// The client address of a request (the login rate limit's key).
pub fn client_ip(info: Option<&ConnectInfo<SocketAddr>>) -> std::net::IpAddr {
    info.map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip())
}

async fn healthz() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "ok\n",
    )
}

/// The whole service as a router.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/healthz", axum::routing::get(healthz))
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            guard,
        ))
        .with_state(state)
}

/// The state for `args` (opens and migrates the database, checks the catalog).
pub fn state(args: &ServeArgs) -> Result<Shared, ServeError> {
    let db = crate::store::db_path(args.db.as_deref());
    let url = db.to_str().filter(|d| crate::pg::is_postgres_url(d));
    if url.is_none() && !args.vantages.is_empty() {
        return Err(ServeError::Io(
            "--vantages is for a PostgreSQL store (--db postgres://…): with SQLite the service \
             re-checks from this machine"
                .into(),
        ));
    }
    let work = args.work_dir.clone().unwrap_or_else(|| match url {
        Some(_) => PathBuf::from("serve-runs"),
        None => db
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."))
            .join("serve-runs"),
    });
    let scan = match (&args.scan, &args.scan_config) {
        (Some(c), _) => c.clone(),
        (None, Some(f)) => {
            let text = std::fs::read_to_string(f)
                .map_err(|e| ServeError::Io(format!("--scan-config {}: {e}", f.display())))?;
            crate::config::ScanConfig::from_json(&text)
                .map_err(|e| ServeError::Io(format!("--scan-config {}: {e}", f.display())))?
        }
        (None, None) => crate::config::ScanConfig::default(),
    };
    let mut backend = match url {
        Some(u) => Backend::open_pg(u, args.catalog.clone(), work, scan, args.vantages.clone())?,
        None => Backend::open(&db, args.catalog.clone(), work, scan)?,
    };
    if let Some(k) = &args.bundle_key {
        backend.set_bundle_key(
            crate::bundle::keys::SigningKey::read(k)
                .map_err(|e| ServeError::Io(format!("--bundle-key: {e}")))?,
        );
    }
    let backend = Arc::new(backend);
    let resumed = backend.resume_interrupted();
    if resumed > 0 {
        tracing::warn!("resuming {resumed} re-check(s) a previous service left unfinished");
    }
    Ok(Arc::new(AppState {
        backend,
        sessions: Sessions::default(),
        tls: args.tls_cert.is_some(),
    }))
}

fn tls_config(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> Result<rustls::ServerConfig, ServeError> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|i| i.collect::<Result<_, _>>())
        .map_err(|e| ServeError::Tls(format!("{}: {e}", cert.display())))?;
    if certs.is_empty() {
        return Err(ServeError::Tls(format!(
            "{}: no certificate",
            cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| ServeError::Tls(format!("{}: {e}", key.display())))?;
    let mut cfg = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| ServeError::Tls(e.to_string()))?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(|e| ServeError::Tls(e.to_string()))?;
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(cfg)
}

/// Bind and serve until `stop` resolves. Returns the bound address through `bound` first.
pub async fn run(
    args: &ServeArgs,
    state: Shared,
    bound: tokio::sync::oneshot::Sender<SocketAddr>,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| ServeError::Io(format!("cannot listen on {}: {e}", args.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Io(e.to_string()))?;
    let app = router(state);
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(c), Some(k)) => Some(tls_config(c, k)?),
        _ => None,
    };
    let _ = bound.send(addr);
    match tls {
        None => axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await
        .map_err(|e| ServeError::Io(e.to_string())),
        Some(cfg) => serve_tls(listener, app, cfg, stop).await,
    }
}

async fn serve_tls(
    listener: tokio::net::TcpListener,
    app: Router,
    cfg: rustls::ServerConfig,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    tokio::pin!(stop);
    loop {
        let (tcp, peer) = tokio::select! {
            () = &mut stop => return Ok(()),
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!("accept: {e}");
                    continue;
                }
            },
        };
        let acceptor = acceptor.clone();
        let app = app.clone().layer(axum::Extension(ConnectInfo(peer)));
        tokio::spawn(async move {
            let Ok(Ok(tls)) =
                tokio::time::timeout(std::time::Duration::from_secs(10), acceptor.accept(tcp))
                    .await
            else {
                return;
            };
            let service = TowerToHyperService::new(app);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}

/// `kensa serve`: serve until Ctrl-C. `note` gets the line saying where it listens (the
/// command line prints it on stderr).
pub fn serve(args: &ServeArgs, note: &dyn Fn(&str)) -> Result<(), ServeError> {
    let state = state(args)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Io(e.to_string()))?;
    rt.block_on(async {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let scheme = if args.tls_cert.is_some() {
            "https"
        } else {
            "http"
        };
        let db = state.backend.db_name();
        let announce = async move {
            if let Ok(addr) = rx.await {
                note(&format!(
                    "kensa serve: {scheme}://{addr}/ (database {db}); Ctrl-C stops"
                ));
            }
        };
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let (r, ()) = tokio::join!(run(args, state, tx, stop), announce);
        r
    })
}

/// What `kensa token` did.
#[derive(Debug)]
pub enum TokenOut {
    /// A token was created: its secret is shown this once.
    Created {
        /// Its id.
        id: i64,
        /// Its role.
        role: String,
        /// The secret.
        secret: String,
    },
    /// The tokens (active and revoked).
    Listed(Vec<crate::store::TokenRow>),
    /// A revocation: whether an active token of that id was revoked (exit 1 when none was).
    Revoked {
        /// The id asked for.
        id: i64,
        /// Whether it was an active token, now revoked.
        done: bool,
    },
}

impl crate::output::Render for TokenOut {
    fn text(&self) -> String {
        use std::fmt::Write as _;
        match self {
            TokenOut::Created { id, role, secret } => format!(
                "token #{id} ({role}): {secret}\nIt is shown only this once; kensa keeps only its SHA-256.\n"
            ),
            TokenOut::Listed(rows) => {
                let mut s = String::new();
                for r in rows {
                    let _ = writeln!(
                        s,
                        "#{:<4} {:<10} {:<28} {}{}",
                        r.id,
                        r.role,
                        r.created,
                        r.label.as_deref().unwrap_or("-"),
                        r.revoked
                            .as_ref()
                            .map(|t| format!(" (revoked {t})"))
                            .unwrap_or_default()
                    );
                }
                s
            }
            TokenOut::Revoked { id, done: true } => format!("token #{id} revoked\n"),
            TokenOut::Revoked { id, done: false } => format!("no active token #{id}\n"),
        }
    }
    fn json(&self) -> String {
        match self {
            TokenOut::Created { id, role, secret } => {
                serde_json::json!({"id": id, "role": role, "token": secret}).to_string() + "\n"
            }
            TokenOut::Listed(rows) => crate::output::json_of(rows),
            TokenOut::Revoked { id, done } => crate::output::json_of(&serde_json::json!({
                "id": id,
                "revoked": done,
            })),
        }
    }
    fn exit_code(&self) -> u8 {
        match self {
            TokenOut::Revoked { done: false, .. } => 1,
            _ => 0,
        }
    }
}

/// `kensa token ...`.
pub fn token(cmd: &TokenCommand) -> Result<TokenOut, ServeError> {
    match cmd {
        TokenCommand::Create(a) => {
            let st = TokenStore::open(a.db.as_deref())?;
            let (id, secret) = st.create(&a.role, a.label.as_deref())?;
            st.audit(
                "kensa token create",
                "token.create",
                &serde_json::json!({"id": id, "role": a.role, "label": a.label}),
            )?;
            Ok(TokenOut::Created {
                id,
                role: a.role.to_string(),
                secret,
            })
        }
        TokenCommand::List(a) => {
            let st = TokenStore::open(a.db.as_deref())?;
            Ok(TokenOut::Listed(st.tokens()?))
        }
        TokenCommand::Revoke(a) => {
            let st = TokenStore::open(a.db.as_deref())?;
            let done = st.revoke(a.id)?;
            if done {
                st.audit(
                    "kensa token revoke",
                    "token.revoke",
                    &serde_json::json!({"id": a.id}),
                )?;
            }
            Ok(TokenOut::Revoked { id: a.id, done })
        }
    }
}

/// The store `kensa token` writes: the SQLite file or the PostgreSQL database of `--db`.
enum TokenStore {
    Sqlite(crate::store::Store),
    Pg(Box<crate::pg::store::PgRunStore>),
}

impl TokenStore {
    fn open(db: Option<&std::path::Path>) -> Result<Self, ServeError> {
        let db = crate::store::db_path(db);
        match db.to_str().filter(|d| crate::pg::is_postgres_url(d)) {
            Some(url) => crate::pg::store::PgRunStore::connect(url)
                .map(|s| Self::Pg(Box::new(s)))
                .map_err(|e| ServeError::Io(e.to_string())),
            None => Ok(Self::Sqlite(crate::store::Store::open(&db)?)),
        }
    }

    fn pg<T>(
        st: &crate::pg::store::PgRunStore,
        f: impl Future<Output = Result<T, crate::pg::PgError>>,
    ) -> Result<T, ServeError> {
        st.block_on(f).map_err(|e| ServeError::Io(e.to_string()))
    }

    fn create(&self, role: &str, label: Option<&str>) -> Result<(i64, String), ServeError> {
        match self {
            Self::Sqlite(st) => create_token(st, role, label),
            Self::Pg(st) => {
                if Role::parse(role).is_none() {
                    return Err(ServeError::Io(format!(
                        "unknown role `{role}`: expected viewer, evaluator or admin"
                    )));
                }
                let secret = auth::new_token();
                let hash = auth::token_hash(&secret);
                let id = Self::pg(st, st.pg().insert_token(&hash, role, label))?;
                Ok((id, secret))
            }
        }
    }

    fn tokens(&self) -> Result<Vec<crate::store::TokenRow>, ServeError> {
        match self {
            Self::Sqlite(st) => Ok(st.tokens()?),
            Self::Pg(st) => Self::pg(st, st.pg().tokens()),
        }
    }

    fn revoke(&self, id: i64) -> Result<bool, ServeError> {
        match self {
            Self::Sqlite(st) => Ok(st.revoke_token(id)?),
            Self::Pg(st) => Self::pg(st, st.pg().revoke_token(id)),
        }
    }

    fn audit(
        &self,
        actor: &str,
        action: &str,
        detail: &serde_json::Value,
    ) -> Result<(), ServeError> {
        match self {
            Self::Sqlite(st) => Ok(st.audit(actor, action, detail)?),
            Self::Pg(st) => Self::pg(st, st.pg().audit(actor, action, detail)),
        }
    }
}

/// Create a token of `role` in `st`: its number and the secret (to show once).
pub fn create_token(
    st: &crate::store::Store,
    role: &str,
    label: Option<&str>,
) -> Result<(i64, String), ServeError> {
    if Role::parse(role).is_none() {
        return Err(ServeError::Io(format!(
            "unknown role `{role}`: expected viewer, evaluator or admin"
        )));
    }
    let secret = auth::new_token();
    let id = st.insert_token(&auth::token_hash(&secret), role, label)?;
    Ok((id, secret))
}

/// `kensa demo --serve`: serve the demo's database and catalog with a new admin token,
/// printed once, until Ctrl-C.
pub fn demo_serve(
    db: &std::path::Path,
    catalog: &std::path::Path,
    scan: crate::config::ScanConfig,
    listen: SocketAddr,
    note: &dyn Fn(&str),
) -> Result<(), ServeError> {
    let st = crate::store::Store::open(db)?;
    let (id, secret) = create_token(&st, "admin", Some("kensa demo --serve"))?;
    drop(st);
    note(&format!(
        "demo: admin token #{id} (shown only this once): {secret}"
    ));
    note(&format!("demo: open http://{listen}/login and paste it"));
    let args = ServeArgs {
        db: Some(db.to_owned()),
        vantages: Vec::new(),
        listen,
        tls_cert: None,
        tls_key: None,
        catalog: Some(catalog.to_owned()),
        work_dir: None,
        scan_config: None,
        scan: Some(scan),
        bundle_key: None,
    };
    serve(&args, note)
}

//! A run store and a running `kensa serve` for the service's tests: synthetic runs written
//! with the real evidence writer (`tests/common/runs.rs`), imported into a fresh database,
//! one token per role, a catalog whose endpoints are pinned to a closed loopback port (so a
//! re-check scans only 127.0.0.1), and the service on 127.0.0.1 with an ephemeral port, in
//! this process, on a runtime thread of its own.
#![allow(dead_code, missing_docs, unreachable_pub)]

#[path = "../common/runs.rs"]
pub mod runs;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use kensa::store::Store;
use runs::*;
use serde_json::{Value, json};

/// A script in a certificate subject and a provider name.
pub const PAYLOAD: &str = "<script>document.title='pwned'</script>";

pub struct Tokens {
    pub viewer: String,
    pub evaluator: String,
    pub admin: String,
}

pub struct Service {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub catalog: PathBuf,
    pub base: String,
    pub addr: SocketAddr,
    pub tokens: Tokens,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Put `subject` into every certificate subject of the document's `x509.chain`.
pub fn set_subject(doc: &mut Value, subject: &str) {
    if let Some(chains) = doc
        .pointer_mut("/probes/x509.chain/observation/chains")
        .and_then(Value::as_array_mut)
    {
        for c in chains {
            if let Some(certs) = c.get_mut("certificates").and_then(Value::as_array_mut) {
                for cert in certs {
                    if cert.get("details").is_some_and(Value::is_object) {
                        cert["details"]["subject"] = json!(format!("CN={subject}"));
                    }
                }
            }
        }
    }
}

/// Two runs: acme goes modern → legacy (a regression to diff), evil's certificate subject
/// and name carry a script.
pub fn write_runs(dir: &Path) -> Vec<PathBuf> {
    let acme = provider("acme", "Acme Cloud", "JP", "kensa-level-2");
    let evil = provider("evil", PAYLOAD, "JP", "kensa-level-1");
    let run1 = write_run(
        dir,
        "run-1",
        "2026-11-01T00:00:00.000000Z",
        &[acme.clone(), evil.clone()],
        &[
            target("acme", "www.acme.test", "modern", |d| {
                set_latency(d, &[900, 1000, 1100]);
            }),
            target("evil", "www.evil.test", "intermediate", |d| {
                set_subject(d, PAYLOAD);
                set_days_left(d, 20);
            }),
        ],
    );
    let run2 = write_run(
        dir,
        "run-2",
        "2026-11-08T00:00:00.000000Z",
        &[acme, evil],
        &[
            target("acme", "www.acme.test", "legacy", |d| {
                set_latency(d, &[1500, 1600, 1700]);
            }),
            target("evil", "www.evil.test", "intermediate", |d| {
                set_subject(d, PAYLOAD);
                set_days_left(d, 10);
            }),
        ],
    );
    vec![run1, run2]
}

/// A port on 127.0.0.1 that refuses connections.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The catalog the service re-checks with: acme and evil, pinned to a closed loopback port.
pub fn catalog_text(port: u16) -> String {
    format!(
        "[[provider]]\nid = \"acme\"\nname = \"Acme Cloud\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-2\"\n\n[[provider.endpoint]]\nhost = \"www.acme.test\"\n\
         port = {port}\naddresses = [\"127.0.0.1\"]\n\n[[provider]]\nid = \"evil\"\n\
         name = \"Evil\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n\n\
         [[provider.endpoint]]\nhost = \"www.evil.test\"\nport = {port}\n\
         addresses = [\"127.0.0.1\"]\n"
    )
}

/// Re-checks probe only TCP latency and TLS on loopback, quickly.
pub fn scan_config() -> kensa::config::ScanConfig {
    kensa::config::ScanConfig::from_json(
        r#"{"probes": ["latency.tcp", "tls.scan"], "samples": 1, "connect_timeout_ms": 500,
            "read_timeout_ms": 500, "settings": {"allow_private": true}}"#,
    )
    .unwrap()
}

/// Start the service over `db` (already filled) with tokens of each role.
pub fn start_on(dir: tempfile::TempDir, db: PathBuf) -> Service {
    start_with(dir, db, None)
}

/// As [`start_on`], serving HTTPS with `(certificate, key)` PEM files when given.
pub fn start_with(dir: tempfile::TempDir, db: PathBuf, tls: Option<(PathBuf, PathBuf)>) -> Service {
    let scheme = if tls.is_some() { "https" } else { "http" };
    let (tls_cert, tls_key) = tls.unzip();
    let st = Store::open(&db).unwrap();
    let (_, viewer) = kensa::serve::create_token(&st, "viewer", Some("test")).unwrap();
    let (_, evaluator) = kensa::serve::create_token(&st, "evaluator", None).unwrap();
    let (_, admin) = kensa::serve::create_token(&st, "admin", None).unwrap();
    drop(st);
    let catalog = dir.path().join("catalog.toml");
    std::fs::write(&catalog, catalog_text(closed_port())).unwrap();
    let args = kensa::serve::ServeArgs {
        db: Some(db.clone()),
        vantages: Vec::new(),
        listen: "127.0.0.1:0".parse().unwrap(),
        tls_cert,
        tls_key,
        catalog: Some(catalog.clone()),
        work_dir: Some(dir.path().join("serve-runs")),
        scan_config: None,
        scan: Some(scan_config()),
        bundle_key: Some(bundle_key(dir.path())),
    };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let state = kensa::serve::state(&args).unwrap();
            let (btx, brx) = tokio::sync::oneshot::channel();
            let stop = async move {
                let _ = stop_rx.await;
            };
            let server =
                tokio::spawn(async move { kensa::serve::run(&args, state, btx, stop).await });
            addr_tx.send(brx.await.unwrap()).unwrap();
            server.await.unwrap().unwrap();
        });
    });
    let addr = addr_rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap();
    Service {
        dir,
        db,
        catalog,
        base: format!("{scheme}://{addr}"),
        addr,
        tokens: Tokens {
            viewer,
            evaluator,
            admin,
        },
        stop: Some(stop_tx),
        thread: Some(thread),
    }
}

/// A bundle signing key (`kensa keygen`'s format) in `dir`.
pub fn bundle_key(dir: &Path) -> PathBuf {
    let key = dir.join("bundle.key");
    if !key.exists() {
        let (private, _) = kensa::bundle::keys::generate().unwrap();
        std::fs::write(
            &key,
            kensa::bundle::keys::pem_encode("PRIVATE KEY", &private),
        )
        .unwrap();
    }
    key
}

/// The standard lab: two runs imported, the service started.
pub fn start() -> Service {
    let dir = tempfile::tempdir().unwrap();
    let runs = write_runs(dir.path());
    let db = dir.path().join("kensa.db");
    let mut st = Store::open(&db).unwrap();
    for r in &runs {
        st.import_run(r).unwrap();
    }
    drop(st);
    start_on(dir, db)
}

/// A store of `providers` providers (`p0000`, ...; name `Provider N`), each with `runs` runs.
/// The latest run is a real run of two template providers (modern and legacy fixtures)
/// imported as `kensa scan` would, whose rows (targets, evidence, findings, grades) are then
/// copied to every provider by SQL (importing 1,000 targets through the assessment takes
/// minutes in a debug build); copies' evidence gets its own sequence numbers. The older runs
/// are copies of the run, provider and grade rows only (the overview reads evidence of the
/// latest run only), with their kensa grade varied so trends have something to draw.
pub fn big_store(dir: &Path, providers: usize, runs: usize) -> PathBuf {
    let infos = [
        provider("tmpl-0", "template", "JP", "kensa-level-2"),
        provider("tmpl-1", "template", "JP", "kensa-level-2"),
    ];
    let targets = [
        target("tmpl-0", "www.tmpl-0.test", "modern", |d| {
            set_days_left(d, 40)
        }),
        target("tmpl-1", "www.tmpl-1.test", "legacy", |d| {
            set_days_left(d, 5)
        }),
    ];
    let latest = write_run(
        dir,
        "run-latest",
        "2026-12-01T00:00:00.000000Z",
        &infos,
        &targets,
    );
    let db = dir.join("kensa.db");
    let mut st = Store::open(&db).unwrap();
    st.import_run(&latest).unwrap();
    drop(st);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..providers {
        let id = format!("p{i:04}");
        let src = format!("tmpl-{}", i % 2);
        let offset = i64::try_from((i + 1) * 1000).unwrap();
        let (from, to) = (format!("{src}/"), format!("{id}/"));
        let run = "run-latest";
        conn.execute(
            "INSERT INTO providers SELECT run_id, ?1, ?2, declared_country, applies_for, grade,
                 fails_applies_for FROM providers WHERE run_id = ?3 AND provider = ?4",
            rusqlite::params![id, format!("Provider {i}"), run, src],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO targets SELECT run_id, replace(target, ?2, ?3), ?1, host, port, sni,
                 addresses, address_source FROM targets WHERE run_id = ?4 AND provider = ?5",
            rusqlite::params![id, from, to, run, src],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO evidence SELECT run_id, seq + ?6, hash, replace(target, ?2, ?3), ?1,
                 probe, outcome, started_at, elapsed_us, error, observation
             FROM evidence WHERE run_id = ?4 AND provider = ?5",
            rusqlite::params![id, from, to, run, src, offset],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO findings SELECT run_id, ?1, replace(target, ?2, ?3), profile, control,
                 outcome, detail FROM findings WHERE run_id = ?4 AND provider = ?5",
            rusqlite::params![id, from, to, run, src],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO grades SELECT run_id, ?1, profile, version, verdict, passed, detail
             FROM grades WHERE run_id = ?2 AND provider = ?3",
            rusqlite::params![id, run, src],
        )
        .unwrap();
    }
    for t in ["providers", "targets", "evidence", "findings", "grades"] {
        conn.execute(&format!("DELETE FROM {t} WHERE provider LIKE 'tmpl-%'"), [])
            .unwrap();
    }
    for k in 1..runs {
        let id = format!("run-{k:03}");
        let started = format!(
            "2026-{:02}-{:02}T00:00:00.000000Z",
            1 + (k / 28) % 11,
            1 + k % 28
        );
        conn.execute(
            "INSERT INTO runs SELECT ?1, run_dir, ?2, ?2, status, tool, vantage, head,
                                     integrity, imported FROM runs WHERE run_id = 'run-latest'",
            rusqlite::params![id, started],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO providers SELECT ?1, provider, name, declared_country, applies_for,
                 'kensa-level-' || ((?2 + CAST(substr(provider, 2) AS INTEGER)) % 4),
                 fails_applies_for FROM providers WHERE run_id = 'run-latest'",
            rusqlite::params![id, i64::try_from(k).unwrap()],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO grades SELECT ?1, provider, profile, version, verdict, passed, detail
             FROM grades WHERE run_id = 'run-latest'",
            [&id],
        )
        .unwrap();
    }
    conn.execute_batch("COMMIT").unwrap();
    db
}

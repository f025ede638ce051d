//! The operator's journey: `kensa recheck` against an in-process lab server whose posture
//! changes between runs, with a loopback webhook receiver; `kensa watch` running cycles.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::mpsc;

use kensa_lab::pki::{Leaf, LeafSpec, Pki};
use kensa_lab::tls::{Posture, TlsServer, serve_on};
use rustls::crypto::ring::{cipher_suite as cs, kx_group};
use time::OffsetDateTime;

fn posture(tls13: bool) -> Posture {
    let mut versions = vec![&rustls::version::TLS12];
    let mut suites = vec![cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
    if tls13 {
        versions.insert(0, &rustls::version::TLS13);
        suites.insert(0, cs::TLS13_AES_128_GCM_SHA256);
    }
    Posture {
        versions,
        suites,
        groups: vec![kx_group::X25519],
        server_order: true,
        headers: vec![],
        ocsp: None,
    }
}

/// A lab server on `addr` on its own runtime thread; dropping the sender stops it.
fn server(addr: SocketAddr, leaf: &Leaf, tls13: bool) -> mpsc::Sender<()> {
    let (ready_tx, ready_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let leaf = Leaf {
        chain: leaf.chain.clone(),
        key: leaf.key.clone_key(),
    };
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let s: TlsServer = serve_on(addr, &leaf, &posture(tls13)).await.unwrap();
            ready_tx.send(()).unwrap();
            let _ = tokio::task::spawn_blocking(move || stop_rx.recv()).await;
            drop(s);
        });
    });
    ready_rx.recv().unwrap();
    stop_tx
}

/// A webhook receiver on 127.0.0.1: each POST body arrives on the channel; answers 200.
fn webhook() -> (String, mpsc::Receiver<String>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in l.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut len = 0usize;
            let mut first = String::new();
            r.read_line(&mut first).unwrap();
            loop {
                let mut line = String::new();
                r.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            r.read_exact(&mut body).unwrap();
            assert!(first.starts_with("POST /hook "), "{first}");
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .unwrap();
            tx.send(String::from_utf8(body).unwrap()).unwrap();
        }
    });
    (url, rx)
}

fn catalog(dir: &Path, port: u16) -> String {
    let path = common::write(
        dir,
        "catalog.toml",
        &format!(
            r#"[[provider]]
id = "acme"
name = "Acme"
declared_country = "JP"
applies_for = "kensa-level-2"

[[provider.endpoint]]
host = "127.0.0.1"
port = {port}
"#
        ),
    );
    path.display().to_string()
}

fn recheck(cat: &str, db: &Path, ca: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "recheck",
        cat,
        "--allow-private",
        "--quiet",
        "--probes",
        "tls.scan,x509.chain",
        "--read-timeout-ms",
        "1000",
    ];
    let ts = format!("lab={}", ca.display());
    let dbs = db.display().to_string();
    let outs = out.display().to_string();
    args.extend(["--trust-store", &ts, "--db", &dbs, "--out", &outs]);
    args.extend(extra);
    common::run(&args)
}

#[test]
fn recheck_reports_a_regression_and_notifies() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new("Lab Root", "Lab", "JP").unwrap();
    let now = OffsetDateTime::now_utc();
    let leaf = pki
        .leaf(&LeafSpec {
            names: vec!["127.0.0.1".into()],
            organisation: "Acme".into(),
            not_before: now - time::Duration::days(1),
            not_after: now + time::Duration::days(20),
        })
        .unwrap();
    let ca = common::write(dir.path(), "ca.pem", &pki.root_pem);
    let port = common::closed_port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let cat = catalog(dir.path(), port);
    let db = dir.path().join("kensa.db");
    let (url, hook) = webhook();

    // Run 1: TLS 1.3 and 1.2. Nothing to compare with.
    let stop = server(addr, &leaf, true);
    let (code, stdout, stderr) = recheck(&cat, &db, &ca, &dir.path().join("r1"), &[]);
    drop(stop);
    // Issue 23: no regression (a first run), but acme fails kensa-level-2, the profile it
    // applies for: exit 1, as `kensa assess` gives on the same evidence (it was 0).
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("first run: nothing to compare; FAILS its applies_for"),
        "{stdout}"
    );
    assert!(
        stdout.contains("result: no regression, but a provider fails its applies_for (exit 1)"),
        "{stdout}"
    );
    let r1 = dir.path().join("r1");
    let (code, _, stderr) = common::run(&["assess", r1.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");

    // Run 2: the same server, TLS 1.2 only: TLS 1.3 is no longer offered.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let stop = server(addr, &leaf, false);
    let (code, stdout, stderr) = recheck(
        &cat,
        &db,
        &ca,
        &dir.path().join("r2"),
        &["--notify-webhook", &url],
    );
    drop(stop);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains("REGRESSED since"), "{stdout}");
    assert!(
        stdout.contains("  new failure  TLS-PROTO-010 [acme/127.0.0.1:"),
        "{stdout}"
    );
    assert!(stdout.contains("result: regression (exit 1)"), "{stdout}");
    // The certificate has 20 days left: it entered the 30-day window.
    assert!(stdout.contains("  expiring     "), "{stdout}");

    let body = hook
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["regression"], true);
    assert_eq!(v["providers"][0]["provider"], "acme");
    assert_eq!(v["providers"][0]["regression"], true);
    let failures: Vec<&str> = v["providers"][0]["diff"]["new_failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["control"].as_str())
        .collect();
    assert!(failures.contains(&"TLS-PROTO-010"), "{failures:?}");

    // history shows both runs.
    let (code, hist, _) = common::run(&["history", "acme", "--db", db.to_str().unwrap()]);
    assert_eq!(code, 0, "{hist}");
    assert!(hist.starts_with("provider acme: 2 runs\n"), "{hist}");
}

#[test]
fn recheck_refuses_a_database_in_use_and_no_db() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kensa.db");
    // Another holder of the re-check lock (an flock, as a second process would hold it; the
    // lock moved from a pid file to flock in issue 15, so the test holds a real lock).
    let _held = kensa::recheck::CycleLock::take(&db).unwrap();
    let l = common::listener();
    let target = l.local_addr().unwrap().to_string();
    let (code, _, stderr) = common::run(&[
        "recheck",
        &target,
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("another recheck or watch"), "{stderr}");
    // Nothing was scanned: no run directory, no database.
    assert!(!db.exists());
    let (code, _, stderr) = common::run(&["recheck", &target, "--allow-private", "--no-db"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--no-db cannot be used"), "{stderr}");
}

#[test]
fn watch_runs_cycles_and_survives_a_failed_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kensa.db");
    let l = common::listener();
    let port = l.local_addr().unwrap().port();
    let cat = catalog(dir.path(), port);
    let out = dir.path().join("runs");
    // The output directory's first cycle exists already as a file: that cycle fails, the
    // next ones run.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("cycle-1"), "in the way").unwrap();
    let (code, stdout, stderr) = common::run(&[
        "watch",
        &cat,
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "1",
        "--db",
        db.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--every",
        "1s",
        "--jitter",
        "0",
        "--max-runs",
        "3",
        "--json",
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("watch: re-check failed"), "{stderr}");
    let cycles: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(cycles.len(), 2, "{stdout}");
    assert!(cycles[0]["run_dir"].as_str().unwrap().ends_with("cycle-2"));
    assert!(cycles[1]["run_dir"].as_str().unwrap().ends_with("cycle-3"));
    assert_eq!(
        cycles[1]["providers"][0]["previous_run"],
        cycles[0]["run_id"]
    );
    // The lock is released at the end (the flock file stays, as a run directory's does).
    kensa::recheck::CycleLock::take(&db).expect("the lock is free after watch");
}

/// Issue 23 (d): after an outage, a re-check used to report every long-standing failure as a
/// `new failure`; each control is compared with the last run that decided it, and the outage
/// is said once.
#[test]
fn after_an_outage_recheck_compares_with_the_last_run_that_decided() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new("Lab Root", "Lab", "JP").unwrap();
    let now = OffsetDateTime::now_utc();
    let leaf = pki
        .leaf(&LeafSpec {
            names: vec!["127.0.0.1".into()],
            organisation: "Acme".into(),
            not_before: now - time::Duration::days(1),
            not_after: now + time::Duration::days(90),
        })
        .unwrap();
    let ca = common::write(dir.path(), "ca.pem", &pki.root_pem);
    let port = common::closed_port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let cat = catalog(dir.path(), port);
    let db = dir.path().join("kensa.db");

    // Up, TLS 1.2 only: TLS-PROTO-010 fails. Then down (nothing listens). Then up again.
    let stop = server(addr, &leaf, false);
    let (_, first, _) = recheck(&cat, &db, &ca, &dir.path().join("r1"), &[]);
    drop(stop);
    assert!(first.contains("first run"), "{first}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let (_, down, _) = recheck(&cat, &db, &ca, &dir.path().join("r2"), &[]);
    assert!(!down.contains("new failure"), "{down}");
    let stop = server(addr, &leaf, false);
    let (code, back, stderr) = recheck(&cat, &db, &ca, &dir.path().join("r3"), &[]);
    drop(stop);
    assert_eq!(
        back.matches("was unreachable in").count(),
        1,
        "{back}{stderr}"
    );
    assert!(!back.contains("new failure"), "{back}");
    // Compared with run 1 (read back from the database), where they already failed.
    assert!(!back.contains("never decided before"), "{back}");
    assert!(!back.contains("REGRESSED"), "{back}");
    assert!(back.contains("no regression since"), "{back}");
    // Still failing its applies_for (kensa-level-2): exit 1 for that, not for a regression.
    assert_eq!(code, 1, "{back}");
    assert!(back.contains("FAILS its applies_for"), "{back}");
}

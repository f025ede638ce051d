//! End to end: the 50-endpoint loopback fleet scanned by a local `kensa scan` and through the
//! PostgreSQL queue by 1 and 2 workers (issue 16): wall time, CPU time and connections.
//!
//! The fleet is 50 in-process TLS servers of `kensa-lab` (TLS 1.2 and 1.3, an ECDSA leaf of a
//! throw-away CA), each on a loopback address of its own (127.0.0.2 … 127.0.0.51: jobs of one
//! host go to one worker at a time, so one address would give the second worker nothing to
//! do). PostgreSQL is a throw-away cluster of the bench's own (tests/common/pg.rs). Each
//! kensa process runs under `/usr/bin/time`, which gives its wall and CPU (user + system)
//! time; PostgreSQL's own CPU is not counted. Connections are kensa's own count
//! (`connections` of the scan's JSON and the workers' summaries).
//!
//! - local: `kensa scan CATALOG --no-db` (scan only) and `kensa scan CATALOG --db FILE`
//!   (scan, assess and record in SQLite: what the distributed path also does);
//! - distributed: `kensa enqueue` then N `kensa worker --exit-when-idle` at once; one of them
//!   completes the run (assessed with every vantage's evidence, recorded, diffed). Wall is
//!   from the enqueue to the last worker's exit; CPU is the enqueue's plus every worker's.
//!
//! `cargo bench --profile dev --bench fleet` (a bench binary: each figure is one run; the
//! debug binary of the same build is measured). `KENSA_FLEET_PROBES` chooses the probes
//! (default `latency.tcp,tls.scan,x509.chain,http.headers`), `KENSA_FLEET_BATCH` the
//! workers' `--batch` (default 50, the worker's default), `KENSA_FLEET_BIN` another kensa
//! binary to measure (an earlier build, for a before/after comparison).

#[path = "../tests/common/pg.rs"]
mod pgc;

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use kensa_lab::pki::{LeafSpec, Pki};
use kensa_lab::tls::{Posture, TlsServer};
use rustls::crypto::ring::{cipher_suite as cs, kx_group};

const ENDPOINTS: u8 = 50;
/// The kensa binary measured: `KENSA_FLEET_BIN`, or this build's.
fn kensa() -> String {
    std::env::var("KENSA_FLEET_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_kensa").to_owned())
}

/// What one measured process took.
#[derive(Clone, Copy, Debug, Default)]
struct Cost {
    wall: f64,
    cpu: f64,
}

/// Run `args` under `/usr/bin/time`: its output and cost.
fn timed(args: &[&str]) -> (Output, Cost) {
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "KENSA-TIME %e %U %S", &kensa()])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("/usr/bin/time runs kensa");
    let wall = t.elapsed().as_secs_f64();
    (
        out.clone(),
        Cost {
            wall,
            cpu: cpu_of(&out),
        },
    )
}

fn cpu_of(out: &Output) -> f64 {
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .rev()
        .find(|l| l.starts_with("KENSA-TIME "))
        .unwrap_or_else(|| panic!("no time line: {err}"));
    let f: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse().expect("a number"))
        .collect();
    f[1] + f[2]
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "kensa failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn posture() -> Posture {
    Posture {
        versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
        suites: vec![
            cs::TLS13_AES_128_GCM_SHA256,
            cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ],
        groups: vec![kx_group::X25519, kx_group::SECP256R1],
        server_order: true,
        headers: vec![],
        ocsp: None,
    }
}

fn catalog(dir: &Path, servers: &[TlsServer]) -> std::path::PathBuf {
    let mut text = String::new();
    for (i, s) in servers.iter().enumerate() {
        if i % 10 == 0 {
            text.push_str(&format!(
                "[[provider]]\nid = \"p{}\"\nname = \"Provider {}\"\ndeclared_country = \"JP\"\n\
                 applies_for = \"kensa-level-1\"\n\n",
                i / 10,
                i / 10
            ));
        }
        text.push_str(&format!(
            "[[provider.endpoint]]\nhost = \"{}\"\nport = {}\n\n",
            s.addr.ip(),
            s.addr.port()
        ));
    }
    let path = dir.join("catalog.toml");
    std::fs::write(&path, text).expect("catalog");
    path
}

fn main() {
    let Some(cluster) = pgc::PgCluster::start() else {
        return;
    };
    let batch = std::env::var("KENSA_FLEET_BATCH").unwrap_or_else(|_| "50".into());
    let probes = std::env::var("KENSA_FLEET_PROBES")
        .unwrap_or_else(|_| "latency.tcp,tls.scan,x509.chain,http.headers".into());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pki = Pki::new("Fleet Root", "Fleet", "JP").expect("pki");
    let now = time::OffsetDateTime::now_utc();
    let servers: Vec<TlsServer> = rt.block_on(async {
        let mut v = Vec::new();
        for i in 0..ENDPOINTS {
            let ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2 + i));
            let leaf = pki
                .leaf(&LeafSpec {
                    names: vec![ip.to_string()],
                    organisation: "Fleet".into(),
                    not_before: now - time::Duration::days(1),
                    not_after: now + time::Duration::days(90),
                })
                .expect("leaf");
            v.push(
                kensa_lab::tls::serve(ip, &leaf, &posture())
                    .await
                    .expect("server"),
            );
        }
        v
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cat = catalog(dir.path(), &servers);
    let cat = cat.to_str().expect("utf-8");
    let scan_opts = ["--allow-private", "--probes", probes.as_str()];

    println!(
        "fleet: {ENDPOINTS} loopback TLS endpoints, probes {probes}, --batch {batch}; \
         kensa {}\n\n\
         | path | wall s | CPU s | CPU vs local scan + SQLite | connections |\n|---|---|---|---|---|",
        kensa()
    );
    // Local: scan only, and scan + assess + record.
    let out_dir = dir.path().join("local");
    let mut args = vec!["--json", "scan", cat, "--no-db", "--out"];
    let od = out_dir.display().to_string();
    args.push(&od);
    args.extend_from_slice(&scan_opts);
    let (out, scan_only) = timed(&args);
    let conns = json(&out)["connections"].as_u64().unwrap_or(0);
    let db = dir.path().join("local.db").display().to_string();
    let od2 = dir.path().join("local2").display().to_string();
    let mut args = vec!["--json", "scan", cat, "--db", &db, "--out", &od2];
    args.extend_from_slice(&scan_opts);
    let (out, local) = timed(&args);
    let conns2 = json(&out)["connections"].as_u64().unwrap_or(0);
    let row = |name: &str, c: Cost, n: u64| {
        println!(
            "| {name} | {:.2} | {:.2} | {:+.0} % | {n} |",
            c.wall,
            c.cpu,
            (c.cpu / local.cpu - 1.0) * 100.0
        );
    };
    row("local `kensa scan --no-db`", scan_only, conns);
    row(
        "local `kensa scan --db FILE` (scan, assess, record)",
        local,
        conns2,
    );

    for workers in [1usize, 2] {
        let url = cluster.create_db(&format!("fleet{workers}"));
        let started = Instant::now();
        let mut args = vec![
            "--json",
            "enqueue",
            cat,
            "--db",
            &url,
            "--vantages",
            "tokyo-1",
        ];
        args.extend_from_slice(&scan_opts);
        let (out, enq) = timed(&args);
        json(&out);
        let children: Vec<_> = (0..workers)
            .map(|_| {
                Command::new("/usr/bin/time")
                    .args(["-f", "KENSA-TIME %e %U %S", &kensa()])
                    .args([
                        "--json",
                        "worker",
                        "--db",
                        &url,
                        "--vantage",
                        "tokyo-1@35.68,139.69",
                        "--exit-when-idle",
                        "--batch",
                        &batch,
                    ])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("worker")
            })
            .collect();
        let mut cpu = enq.cpu;
        let mut conns = 0;
        let mut completed = 0;
        for c in children {
            let out = c.wait_with_output().expect("worker ends");
            cpu += cpu_of(&out);
            let s = json(&out);
            conns += s["connections"].as_u64().unwrap_or(0);
            completed += s["runs_completed"].as_array().map_or(0, Vec::len);
        }
        assert_eq!(completed, 1, "the run was completed");
        let wall = started.elapsed().as_secs_f64();
        row(
            &format!("`kensa enqueue` + {workers} worker(s)"),
            Cost { wall, cpu },
            conns,
        );
    }
    drop(servers);
}

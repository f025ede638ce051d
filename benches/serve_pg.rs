//! `kensa serve` over PostgreSQL: the providers page (every row) and `/api/v1/providers` (the
//! first page of 50) served from a store filled through the queue, as a deployment fills it.
//! A bench binary (each figure is one bounded loop of sequential requests on loopback).
//!
//! The store: `KENSA_SERVE_PG_PROVIDERS` providers (default 200) of one loopback endpoint
//! each (a listener that accepts, on an address of its own in 127.1.0.0/16: `latency.tcp`
//! only), enqueued `KENSA_SERVE_PG_RUNS` times
//! (default 5) and run by one `kensa worker --exit-when-idle` each time (every run is
//! completed: assessed, recorded, diffed). Then `kensa serve --db postgres://…` (the debug
//! binary of the same build) and 300 sequential requests per route: p50/p99 as the client sees
//! them, the first (cold: the overview is built) request, and the service's resident memory.
//!
//! `cargo bench --profile dev --bench serve_pg`.

#[path = "../tests/common/pg.rs"]
mod pgc;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KENSA: &str = env!("CARGO_BIN_EXE_kensa");

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn kensa(url: &str) -> Command {
    let mut c = Command::new(KENSA);
    c.env("KENSA_DB", url).env("KENSA_RATE_PER_HOST", "0");
    c
}

fn ok(c: &mut Command) -> String {
    let out = c.output().expect("kensa runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort_unstable();
    let at = |p: usize| v[(p * v.len()).div_ceil(100).max(1) - 1];
    (at(50), at(99))
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let providers = env_num("KENSA_SERVE_PG_PROVIDERS", 200);
    let runs = env_num("KENSA_SERVE_PG_RUNS", 5);
    let cluster = pgc::PgCluster::start().expect("PostgreSQL");
    let url = cluster.create_db("bench");
    let dir = tempfile::tempdir().expect("tempdir");
    // Each endpoint on a loopback address of its own: a vantage's jobs of one host are
    // claimed one at a time (politeness), so one address would serialise the filling.
    let listeners: Vec<std::net::TcpListener> = (0..providers)
        .map(|i| {
            let ip = std::net::Ipv4Addr::new(
                127,
                1,
                u8::try_from(i / 250).expect("at most 64,000 providers"),
                u8::try_from(1 + i % 250).expect("below 251"),
            );
            std::net::TcpListener::bind((ip, 0)).expect("bind")
        })
        .collect();
    let mut cat = String::new();
    for (i, l) in listeners.iter().enumerate() {
        cat.push_str(&format!(
            "[[provider]]\nid = \"p{i:04}\"\nname = \"Provider {i}\"\ndeclared_country = \"JP\"\n\
             applies_for = \"kensa-level-1\"\n\n[[provider.endpoint]]\nhost = \"{}\"\n\
             port = {}\nservice = \"svc{i}\"\n\n",
            l.local_addr().expect("addr").ip(),
            l.local_addr().expect("addr").port()
        ));
    }
    let cat_path = dir.path().join("catalog.toml");
    std::fs::write(&cat_path, cat).expect("catalog");
    let t = Instant::now();
    for _ in 0..runs {
        ok(kensa(&url).args([
            "--json",
            "enqueue",
            cat_path.to_str().expect("utf-8"),
            "--vantages",
            "tokyo-1",
            "--allow-private",
            "--probes",
            "latency.tcp",
            "--samples",
            "1",
        ]));
        ok(kensa(&url).args([
            "--json",
            "worker",
            "--vantage",
            "tokyo-1@35.68,139.69",
            "--exit-when-idle",
        ]));
    }
    eprintln!(
        "store: {providers} providers x {runs} runs through the queue in {:.1?}",
        t.elapsed()
    );
    let token = ok(kensa(&url).args(["--json", "token", "create", "--role", "viewer"]));
    let token: serde_json::Value = serde_json::from_str(&token).expect("token JSON");
    let token = token["token"].as_str().expect("token").to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let mut server = kensa(&url)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("kensa serve");
    let base = format!("http://127.0.0.1:{port}");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    rt.block_on(async {
        let t = Instant::now();
        while client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_err()
        {
            assert!(t.elapsed() < Duration::from_secs(30), "serve did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        println!(
            "kensa serve over PostgreSQL, {providers} providers x {runs} runs, 300 sequential \
             requests per route on loopback\n\n| route | first (cold) | p50 | p99 | bytes |\n|---|---|---|---|---|"
        );
        for path in ["/api/v1/providers", "/providers"] {
            let mut times = Vec::new();
            let mut first = Duration::ZERO;
            let mut bytes = 0;
            for i in 0..300 {
                let t = Instant::now();
                let r = client
                    .get(format!("{base}{path}"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("request");
                assert_eq!(r.status(), 200);
                bytes = r.bytes().await.expect("body").len();
                let e = t.elapsed();
                if i == 0 {
                    first = e;
                } else {
                    times.push(e);
                }
            }
            let (p50, p99) = percentiles(times);
            println!("| `{path}` | {first:.1?} | {p50:.1?} | {p99:.1?} | {bytes} |");
        }
    });
    println!("\nservice resident memory: {} KiB", rss_kib(server.id()));
    let _ = server.kill();
    let _ = server.wait();
    drop(listeners);
}

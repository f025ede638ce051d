//! `kensa serve` under a store of 1,000 providers × 30 runs: the providers page (all 1,000
//! rows) and `/api/v1/providers` (the first page of 50), over HTTP on loopback, with the
//! service in this process. Criterion measures the mean; then a bounded loop of 1,000
//! sequential requests per route prints p50/p99 as the client sees them on loopback, the
//! cold overview build (the first request after the database changed), and the process's
//! resident memory.
//!
//! `cargo bench --bench serve`; with `KENSA_SERVE_BENCH_HOLD=SECONDS` (at most 600) the
//! service then stays up that long (its address and a viewer token are printed) for `wrk`
//! against loopback.

#[path = "../tests/serve_common/mod.rs"]
mod serve_common;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

const PROVIDERS: usize = 1000;
const RUNS: usize = 30;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort_unstable();
    let at = |p: usize| v[(p * v.len()).div_ceil(100).max(1) - 1];
    (at(50), at(99))
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = Instant::now();
    let db = serve_common::big_store(dir.path(), PROVIDERS, RUNS);
    eprintln!(
        "store: {PROVIDERS} providers x {RUNS} runs built in {:?}",
        t.elapsed()
    );
    let s = serve_common::start_on(dir, db);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = reqwest::Client::new();
    let token = s.tokens.viewer.clone();
    let get = |path: &str| {
        let req = client.get(format!("{}{path}", s.base)).bearer_auth(&token);
        async move {
            let r = req.send().await.expect("request");
            assert_eq!(r.status(), 200);
            r.bytes().await.expect("body").len()
        }
    };
    let t = Instant::now();
    let n = rt.block_on(get("/api/v1/providers"));
    eprintln!(
        "cold overview build (first request): {:?} ({n} bytes)",
        t.elapsed()
    );

    let mut g = c.benchmark_group("serve_1000x30");
    g.sample_size(30);
    for (name, path) in [
        ("providers_page", "/providers"),
        ("api_providers", "/api/v1/providers"),
    ] {
        g.bench_function(name, |b| b.iter(|| rt.block_on(get(path))));
    }
    g.finish();

    for path in ["/providers", "/api/v1/providers"] {
        let mut times = Vec::with_capacity(1000);
        let mut bytes = 0;
        for _ in 0..1000 {
            let t = Instant::now();
            bytes = rt.block_on(get(path));
            times.push(t.elapsed());
        }
        let (p50, p99) = percentiles(times);
        eprintln!("{path}: p50 {p50:?}, p99 {p99:?} (1,000 sequential requests, {bytes} bytes)");
    }
    eprintln!(
        "resident memory of the bench process (service + client): {} MiB",
        rss_kib() / 1024
    );
    if let Some(secs) = std::env::var("KENSA_SERVE_BENCH_HOLD")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        eprintln!("holding {} for {secs} s; token {}", s.base, s.tokens.viewer);
        std::thread::sleep(Duration::from_secs(secs.min(600)));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Peak memory of a 100,000-endpoint scan: writes a 100,000-endpoint catalog file, loads it
//! with the real catalog parser, scans it through the engine with the fake connector (the
//! whole pipeline but the sockets), and prints the process's peak resident set (VmHWM).
//!
//! `cargo bench --bench catalog_rss` (Linux: reads /proc/self/status)

mod common;

use std::fmt::Write as _;
use std::time::Instant;

use kensa::engine::Settings;
use kensa::scan::scan;
use tokio::sync::watch;

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("catalog_rss: benchmark");
        return;
    }
    let n: usize = std::env::var("KENSA_BENCH_ENDPOINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let per_provider: usize = std::env::var("KENSA_BENCH_PER_PROVIDER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("catalog.toml");
    let mut text = String::new();
    for p in 0..n.div_ceil(per_provider) {
        let _ = write!(
            text,
            "[[provider]]\nid = \"p{p}\"\nname = \"Provider {p}\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n"
        );
        for e in 0..per_provider.min(n - p * per_provider) {
            let i = p * per_provider + e;
            let _ = write!(
                text,
                "[[provider.endpoint]]\nhost = \"127.{}.{}.{}\"\nport = 443\nservice = \"s\"\n",
                (i >> 16) as u8,
                (i >> 8) as u8,
                i as u8
            );
        }
    }
    std::fs::write(&path, &text).expect("write catalog");
    let size = text.len();
    drop(text);
    let base = vm_hwm_kib();

    let t0 = Instant::now();
    let catalog = kensa::catalog::load(&path).expect("valid catalog");
    let parse = t0.elapsed();
    let after_parse = vm_hwm_kib();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let opts = common::options(
        dir.path().join("run"),
        "rss",
        Settings::default().targets_in_flight,
    );
    let t1 = Instant::now();
    let (_tx, rx) = watch::channel(false);
    let report = rt.block_on(scan(&catalog, opts, rx)).expect("scan");
    let scan_time = t1.elapsed();
    println!(
        "catalog: {n} endpoints ({per_provider} per provider), {:.1} MB of TOML",
        size as f64 / 1e6
    );
    println!("parse:   {:.2} s", parse.as_secs_f64());
    println!(
        "scan:    {:.2} s, {} records ({:.1} µs per probe)",
        scan_time.as_secs_f64(),
        report.records,
        scan_time.as_secs_f64() * 1e6 / report.records as f64
    );
    println!(
        "peak RSS: before parse {:.1} MB, after parse {:.1} MB, after scan {:.1} MB",
        base as f64 / 1024.0,
        after_parse as f64 / 1024.0,
        vm_hwm_kib() as f64 / 1024.0
    );
}

//! Peak memory of a large scan: writes an N-endpoint catalog file (100,000 by default), loads
//! it as `kensa scan` does (`catalog::load_packed`: read line by line, checked provider by
//! provider, held packed), scans it through the engine with the fake connector (the whole
//! pipeline but the sockets), and prints the process's peak resident set (VmHWM). The bench
//! writes the file without holding its text, so the figure is kensa's own.
//!
//! `cargo bench --bench catalog_rss` (Linux: reads /proc/self/status). Environment:
//! `KENSA_BENCH_ENDPOINTS` (100000), `KENSA_BENCH_PER_PROVIDER` (100), and
//! `KENSA_BENCH_WHOLE=1` to load the catalog whole (`catalog::load`, the parsed `Catalog`)
//! instead, for comparison.

mod common;

use std::io::Write as _;
use std::time::Instant;

use kensa::catalog::Listing;
use kensa::engine::Settings;
use kensa::scan::scan;
use tokio::sync::watch;

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
    let whole = std::env::var("KENSA_BENCH_WHOLE").is_ok_and(|v| v == "1");
    let size = {
        // Written as it is generated: the bench never holds the catalog's text.
        let file = std::fs::File::create(&path).expect("create catalog");
        let mut out = std::io::BufWriter::new(file);
        for p in 0..n.div_ceil(per_provider) {
            write!(
                out,
                "[[provider]]\nid = \"p{p}\"\nname = \"Provider {p}\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n"
            )
            .expect("write catalog");
            for e in 0..per_provider.min(n - p * per_provider) {
                let i = p * per_provider + e;
                write!(
                    out,
                    "[[provider.endpoint]]\nhost = \"127.{}.{}.{}\"\nport = 443\nservice = \"s\"\n",
                    (i >> 16) as u8,
                    (i >> 8) as u8,
                    i as u8
                )
                .expect("write catalog");
            }
        }
        out.flush().expect("write catalog");
        std::fs::metadata(&path).expect("catalog written").len()
    };
    let base = common::vm_hwm_kib();

    let t0 = Instant::now();
    let catalog: Box<dyn Listing> = if whole {
        Box::new(kensa::catalog::load(&path).expect("valid catalog"))
    } else {
        Box::new(kensa::catalog::load_packed(&path).expect("valid catalog"))
    };
    let parse = t0.elapsed();
    let after_parse = common::vm_hwm_kib();

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
    let report = rt.block_on(scan(&*catalog, opts, rx)).expect("scan");
    let scan_time = t1.elapsed();
    println!(
        "catalog: {n} endpoints ({per_provider} per provider), {:.1} MB of TOML, held {}",
        size as f64 / 1e6,
        if whole { "whole" } else { "packed" }
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
        common::vm_hwm_kib() as f64 / 1024.0
    );
    println!(
        "load average: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

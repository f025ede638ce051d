//! Scheduler overhead: 10,000 targets through the whole engine (plan → engine → dial seam →
//! latency probe → bounded channel → hash-chained writer) with an in-process fake connector,
//! so no time goes to the network. Divide the time per iteration by 10,000 for the overhead
//! per probe.
//!
//! `cargo bench --bench engine`

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kensa::scan::scan;
use tokio::sync::watch;

const TARGETS: usize = 10_000;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let catalog = common::catalog(TARGETS);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut n = 0u64;
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(TARGETS as u64));
    g.sample_size(10);
    g.bench_function("10k_targets_fake_dial", |b| {
        b.iter(|| {
            n += 1;
            let opts = common::options(
                dir.path().join(format!("run{n}")),
                &format!("bench-{n}"),
                256,
            );
            let (_tx, rx) = watch::channel(false);
            let report = rt.block_on(scan(&catalog, opts, rx)).expect("scan");
            assert_eq!(report.records, TARGETS as u64);
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

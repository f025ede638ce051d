//! After the scan, at scale (issue 21): store import (with its assessment), `diff` of two
//! runs, `compare` over many providers, and report generation, over synthetic runs
//! (`kensa::assess::synth`).
//!
//! - `store/import/N`: `Store::import_run` of an N-target run into a new SQLite file
//!   (reading the run, grading it with the kensa levels and each `applies_for`, writing).
//! - `store/diff/N`: `diff::diff_runs` of two N-target runs (different seeds): both graded,
//!   one run's documents held at a time.
//! - `store/diff-stored/N`: `diff::diff_stored` of the same two runs from the run database:
//!   the assessments recorded at import, no grading again.
//! - `store/compare/P`: `compare::rows` + Markdown, HTML and CSV over P providers.
//! - `report/{build,html,md,json,csv,sarif,junit}/N`: `kensa report` of an N-target run: the model
//!   (with its assessment), then each format.
//!
//! `KENSA_BENCH_TARGETS=10000 KENSA_BENCH_PROVIDERS=1000 cargo bench --bench store -- --sample-size 10`
//! (defaults 1,000 targets and 1,000 providers: one target each for `compare`).

use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use kensa::assess::synth::{SynthSpec, write_run};
use kensa::report::{self, Format};
use kensa::store::Store;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn run(dir: &Path, targets: usize, providers: usize, seed: u64) {
    let mut spec = SynthSpec::new(targets, providers);
    spec.seed = seed;
    spec.run_id = format!("synth-{targets}-{providers}-{seed}");
    write_run(dir, &spec).expect("synthetic run");
}

fn bench(c: &mut Criterion) {
    let n = env("KENSA_BENCH_TARGETS", 1000);
    let providers = env("KENSA_BENCH_PROVIDERS", 1000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let old = tmp.path().join("old");
    let new = tmp.path().join("new");
    run(&old, n, n.div_ceil(100), 1);
    run(&new, n, n.div_ceil(100), 2);
    let wide = tmp.path().join("wide");
    run(&wide, providers, providers, 3);

    let mut g = c.benchmark_group("store");
    g.sample_size(10);
    let mut i = 0;
    g.bench_function(format!("import/{n}"), |b| {
        b.iter_batched(
            || {
                i += 1;
                tmp.path().join(format!("import-{i}.db"))
            },
            |db| {
                let mut st = Store::open(&db).expect("store");
                st.import_run(&old).expect("import");
                drop(st);
                let _ = std::fs::remove_file(&db);
            },
            BatchSize::PerIteration,
        );
    });
    g.bench_function(format!("diff/{n}"), |b| {
        b.iter(|| kensa::diff::diff_runs(&old, &new).expect("diff"));
    });
    let pair = tmp.path().join("pair.db");
    {
        let mut st = Store::open(&pair).expect("store");
        st.import_run(&old).expect("import");
        st.import_run(&new).expect("import");
    }
    let st = Store::open_existing(&pair).expect("store");
    let (a, b_id) = (
        format!("synth-{n}-{}-1", n.div_ceil(100)),
        format!("synth-{n}-{}-2", n.div_ceil(100)),
    );
    g.bench_function(format!("diff-stored/{n}"), |b| {
        b.iter(|| kensa::diff::diff_stored(&st, &a, &b_id).expect("diff"));
    });
    drop(st);
    let db = tmp.path().join("wide.db");
    Store::open(&db)
        .expect("store")
        .import_run(&wide)
        .expect("import");
    let st = Store::open_existing(&db).expect("store");
    g.bench_function(format!("compare/{providers}"), |b| {
        b.iter(|| {
            let rows = kensa::compare::rows(&st, &[]).expect("rows");
            assert_eq!(rows.len(), providers);
            (
                kensa::compare::markdown(&rows),
                kensa::compare::html(&rows),
                kensa::compare::csv(&rows),
            )
        });
    });
    g.finish();

    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    let now = time::OffsetDateTime::now_utc();
    g.bench_function(format!("build/{n}"), |b| {
        b.iter(|| report::build(&old, &[], now).expect("report"));
    });
    let model = report::build(&old, &[], now).expect("report");
    for f in [
        Format::Html,
        Format::Md,
        Format::Json,
        Format::Csv,
        Format::Sarif,
        Format::Junit,
    ] {
        g.bench_function(format!("{}/{n}", f.as_str()), |b| {
            b.iter(|| report::render_report(&model, f).expect("render"));
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

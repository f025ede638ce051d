//! The run store on PostgreSQL after the scan (issue 21: both stores meet the targets): store
//! import of an N-target run with its assessment, `diff` of two stored runs (the assessments
//! recorded at import) and `compare` over P providers, on a PostgreSQL cluster of the bench's
//! own (tests/common/pg.rs: `initdb` + `pg_ctl` on a free loopback port), over synthetic
//! runs (`kensa::assess::synth`). benches/store.rs has the same figures for SQLite.
//!
//! - `store_pg/import/N`: `pipeline::import_run_dir` into a `PgRunStore` (a new database per
//!   iteration): the run read, graded beside the writes (targets, lines and evidence streamed
//!   with `COPY`), then its findings.
//! - `store_pg/diff-stored/N`: `diff::diff_stored` of two N-target runs (different seeds).
//! - `store_pg/compare/P`: `compare::rows` + Markdown, HTML and CSV over P providers.
//!
//! `KENSA_BENCH_TARGETS=10000 KENSA_BENCH_PROVIDERS=1000 cargo bench --bench store_pg`
//! (defaults 1,000 targets and 1,000 providers: one target each for `compare`).

#[path = "../tests/common/pg.rs"]
mod pgc;

use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use kensa::assess::synth::{SynthSpec, write_run};
use kensa::pg::store::PgRunStore;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn run(dir: &Path, targets: usize, providers: usize, seed: u64) -> String {
    let mut spec = SynthSpec::new(targets, providers);
    spec.seed = seed;
    spec.run_id = format!("synth-{targets}-{providers}-{seed}");
    write_run(dir, &spec).expect("synthetic run");
    spec.run_id
}

fn bench(c: &mut Criterion) {
    let n = env("KENSA_BENCH_TARGETS", 1000);
    let providers = env("KENSA_BENCH_PROVIDERS", 1000);
    let cluster = pgc::PgCluster::start().expect("PostgreSQL (initdb, pg_ctl)");
    let tmp = tempfile::tempdir().expect("tempdir");
    let (old, new, wide) = (
        tmp.path().join("old"),
        tmp.path().join("new"),
        tmp.path().join("wide"),
    );
    let old_id = run(&old, n, n.div_ceil(100), 1);
    let new_id = run(&new, n, n.div_ceil(100), 2);
    run(&wide, providers, providers, 3);

    let mut g = c.benchmark_group("store_pg");
    g.sample_size(10);
    let mut i = 0;
    g.bench_function(format!("import/{n}"), |b| {
        b.iter_batched(
            || {
                i += 1;
                let url = cluster.create_db(&format!("import{i}"));
                PgRunStore::connect(&url).expect("store")
            },
            |mut st| {
                kensa::pipeline::import_run_dir(&mut st, &old).expect("import");
            },
            BatchSize::PerIteration,
        );
    });
    let mut st = PgRunStore::connect(&cluster.create_db("pair")).expect("store");
    kensa::pipeline::import_run_dir(&mut st, &old).expect("import");
    kensa::pipeline::import_run_dir(&mut st, &new).expect("import");
    g.bench_function(format!("diff-stored/{n}"), |b| {
        b.iter(|| kensa::diff::diff_stored(&st, &old_id, &new_id).expect("diff"));
    });
    let mut st = PgRunStore::connect(&cluster.create_db("wide")).expect("store");
    kensa::pipeline::import_run_dir(&mut st, &wide).expect("import");
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
}

criterion_group!(benches, bench);
criterion_main!(benches);

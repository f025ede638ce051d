//! Assessment speed (issue 21): the 12 built-in standards' profiles over a synthetic run
//! (`kensa::assess::synth`: real-shaped observations, a valid hash chain).
//!
//! - `assess/per_target`: `ProfileSet::assess` of a whole run; criterion's throughput line
//!   gives the time per target (every profile, every control).
//! - `assess/per_control`: every control of the 12 profiles evaluated over one target's
//!   bindings (a modern and a legacy target); throughput gives the time per control
//!   evaluation.
//! - `assess/load`: reading the run back (chain verified) into documents.
//! - `assess/stream`: what `kensa assess` does (issue 21): the run indexed (chain verified),
//!   then read back, judged and rendered (text) a batch of providers at a time; throughput
//!   gives the time per target, reading included.
//!
//! `cargo bench --bench assess -- --sample-size 10 --measurement-time 5`
//! (`KENSA_BENCH_TARGETS`, default 50: the run's size.)

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kensa::assess::doc;
use kensa::assess::eval::{Bindings, evaluate};
use kensa::assess::profile::{Library, Profile};
use kensa::assess::report::Format;
use kensa::assess::set::ProfileSet;
use kensa::assess::synth::{self, SynthSpec};

/// The 12 built-in standards' profiles (every built-in one but `kensa-declaration`).
fn profiles(lib: &Library) -> Vec<Profile> {
    lib.builtin_profiles()
        .expect("built-in profiles")
        .into_iter()
        .filter(|p| p.id != "kensa-declaration")
        .collect()
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("KENSA_BENCH_TARGETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().expect("tempdir");
    synth::write_run(dir.path(), &SynthSpec::new(n, n.div_ceil(100))).expect("synthetic run");
    let lib = Library::builtin().expect("library");
    let named: Vec<String> = profiles(&lib).iter().map(|p| p.id.clone()).collect();
    assert_eq!(named.len(), 12);
    let run = doc::load(dir.path()).expect("run");
    let set = ProfileSet::for_run(&lib, &run, &named).expect("profile set");

    let mut g = c.benchmark_group("assess");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(format!("per_target/{n}"), |b| {
        b.iter(|| set.assess(&run));
    });
    g.bench_function(format!("load/{n}"), |b| {
        b.iter(|| doc::load(dir.path()).expect("run"));
    });
    let titles = |_: &str, _: &str| (String::new(), None);
    g.bench_function(format!("stream/{n}"), |b| {
        b.iter(|| {
            let idx = doc::index(dir.path()).expect("index");
            let mut bytes = 0usize;
            kensa::assess::stream::assess_index(&idx, &set, Format::Text, &titles, &mut |s| {
                bytes += s.len();
            })
            .expect("assess");
            bytes
        });
    });

    let ps = profiles(&lib);
    for fixture in ["modern", "legacy"] {
        let text = synth::FIXTURES
            .iter()
            .find(|(name, _)| *name == fixture)
            .map(|(_, t)| *t)
            .expect("fixture");
        let d = doc::from_value(serde_json::from_str(text).expect("fixture json"));
        let bindings: Vec<Bindings<'_, '_>> =
            ps.iter().map(|p| Bindings::new(&d, &p.params)).collect();
        let evaluations: usize = ps.iter().map(|p| p.controls.len()).sum();
        g.throughput(Throughput::Elements(evaluations as u64));
        g.bench_function(format!("per_control/{fixture}"), |b| {
            b.iter(|| {
                for (p, bs) in ps.iter().zip(&bindings) {
                    for ctl in &p.controls {
                        std::hint::black_box(evaluate(ctl, &d, bs));
                    }
                }
            });
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Write a synthetic run of N targets for benchmarks (issue 21): real-shaped observations from
//! `fixtures/assess/` (modern, legacy, failing, missing probes) through kensa's evidence
//! writer, so the hash chain is valid (`kensa verify` says intact). Deterministic: the same
//! arguments give the same bytes.
//!
//! ```sh
//! cargo run --release --example synth_run -- runs/synth-10k 10000 100
//! kensa verify runs/synth-10k && kensa assess runs/synth-10k --json > /dev/null
//! # the store import of a run with its assessment (issue 21), timed:
//! /usr/bin/time -v target/release/examples/synth_run --import /tmp/runs.db runs/synth-10k
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use kensa::assess::synth::{SynthSpec, write_run};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let (Some("--import"), Some(db), Some(run)) =
        (args.first().map(String::as_str), args.get(1), args.get(2))
    {
        let start = std::time::Instant::now();
        let imported = kensa::store::Store::open(std::path::Path::new(db))
            .and_then(|mut s| s.import_run(std::path::Path::new(run)));
        return match imported {
            Ok(i) => {
                println!("{i:?} in {:.2} s", start.elapsed().as_secs_f64());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(3)
            }
        };
    }
    let (Some(dir), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!(
            "usage: synth_run DIR TARGETS [PROVIDERS (default TARGETS/100)] [SEED] [RUN_ID]\n       \
             synth_run --import DB RUN_DIR"
        );
        return ExitCode::from(2);
    };
    let providers = args
        .get(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| (n / 100).max(1));
    let mut spec = SynthSpec::new(n, providers);
    if let Some(seed) = args.get(3).and_then(|s| s.parse().ok()) {
        spec.seed = seed;
    }
    // Two runs for `kensa diff` from the run database need distinct run ids.
    if let Some(id) = args.get(4) {
        spec.run_id = id.clone();
    }
    match write_run(&PathBuf::from(dir), &spec) {
        Ok(records) => {
            println!("{dir}: {n} targets, {providers} providers, {records} evidence records");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

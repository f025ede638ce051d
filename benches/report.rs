//! Report speed and peak memory (issue 21): a synthetic run (`kensa::assess::synth`:
//! real-shaped observations, a valid hash chain) of N targets and of N/10, each reported in
//! every format as `kensa report -o FILE` makes it. CSV, JSON and SARIF are streamed
//! (`report::stream::write_streamed`: a batch of providers at a time); HTML is built whole
//! (`report::build` + `write_report`) and is there for comparison. Each report is made in a
//! child process of its own, which prints its wall time, its output's size and its peak
//! resident set (VmHWM): streamed, the peak does not grow with the run.
//!
//! `cargo bench --bench report` (Linux: reads /proc/self/status). Environment:
//! `KENSA_BENCH_TARGETS` (10000), `KENSA_BENCH_PROVIDERS` (one per 100 targets),
//! `KENSA_BENCH_FORMATS` (`csv,json,sarif,html`).

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use kensa::assess::synth::{self, SynthSpec};
use kensa::report::{self, Format};

fn format_of(name: &str) -> Format {
    match name {
        "csv" => Format::Csv,
        "json" => Format::Json,
        "sarif" => Format::Sarif,
        "html" => Format::Html,
        other => panic!("unknown format {other}"),
    }
}

/// The child: one report of `run` in `format` to `out`; prints `wall_s bytes peak_kib`.
fn child(run: &Path, format: &str, out: &Path) {
    let format = format_of(format);
    let now = time::OffsetDateTime::now_utc();
    let start = Instant::now();
    let file = std::fs::File::create(out).expect("output file");
    let mut w = std::io::BufWriter::new(file);
    if matches!(format, Format::Html) {
        let built = report::build(run, &[], now).expect("report");
        report::write_report(&built, format, &mut w).expect("write");
    } else {
        report::stream::write_streamed(
            run,
            &[],
            format,
            now,
            report::stream::BATCH_TARGETS,
            &mut w,
        )
        .expect("write");
    }
    std::io::Write::flush(&mut w).expect("flush");
    let wall = start.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!("{wall:.2} {bytes} {}", common::vm_hwm_kib());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        println!("report: benchmark");
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let get = |k: usize| args.get(i + k).expect("child arguments");
        child(Path::new(get(1)), get(2), Path::new(get(3)));
        return;
    }
    let n: usize = std::env::var("KENSA_BENCH_TARGETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let providers: Option<usize> = std::env::var("KENSA_BENCH_PROVIDERS")
        .ok()
        .and_then(|v| v.parse().ok());
    let formats =
        std::env::var("KENSA_BENCH_FORMATS").unwrap_or_else(|_| "csv,json,sarif,html".to_owned());
    let me = std::env::current_exe().expect("the bench's own path");
    let dir = tempfile::tempdir().expect("tempdir");
    println!("targets  format  wall_s  output_MB  peak_RSS_MB");
    for size in [n / 10, n] {
        if size == 0 {
            continue;
        }
        let run = dir.path().join(format!("run{size}"));
        let p = providers
            .unwrap_or_else(|| size.div_ceil(100))
            .clamp(1, size);
        synth::write_run(&run, &SynthSpec::new(size, p)).expect("synthetic run");
        for format in formats.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            let out = dir.path().join(format!("report{size}.{format}"));
            let o = Command::new(&me)
                .arg("--child")
                .arg(&run)
                .arg(format)
                .arg(&out)
                .output()
                .expect("child");
            assert!(
                o.status.success(),
                "{format}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let line = String::from_utf8_lossy(&o.stdout);
            let f: Vec<&str> = line.split_whitespace().collect();
            let num = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
            println!(
                "{size:>7}  {format:<6}  {:>6.2}  {:>9.1}  {:>11.1}",
                num(0),
                num(1) / 1e6,
                num(2) / 1024.0
            );
            let _ = std::fs::remove_file(&out);
        }
    }
}

//! Crash safety and `kensa scan --resume`, through the real binary against loopback servers
//! the tests start: kill -9 mid-run, a full disk mid-run, an unwritable output directory, and
//! every refusal (changed catalog or options, complete, tampered, locked).

mod common;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::*;

/// A listener on 127.0.0.1 that accepts and drops every connection, counting them.
fn counting_server() -> (u16, Arc<AtomicU64>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let count = Arc::new(AtomicU64::new(0));
    let c = Arc::clone(&count);
    std::thread::spawn(move || {
        for conn in l.incoming() {
            if conn.is_ok() {
                c.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    (port, count)
}

/// A catalog of `n` targets on one loopback port, told apart by their SNI names
/// (`bulk/127.0.0.1:PORT/tN.kensa.test`).
fn catalog_of(dir: &Path, name: &str, port: u16, n: usize) -> PathBuf {
    let mut s = String::from(
        "[[provider]]\nid = \"bulk\"\nname = \"Bulk\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-1\"\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "\n[[provider.endpoint]]\nhost = \"127.0.0.1\"\nport = {port}\nsni = \"t{i}.kensa.test\"\n"
        ));
    }
    write(dir, name, &s)
}

/// The scan arguments shared by a run and its resume: two probes per target (geo.residency
/// reads latency.tcp's observation), no geolocation data (an empty data directory).
fn scan_args(catalog: &Path, data_dir: &Path, samples: &str, in_flight: &str) -> Vec<String> {
    [
        "scan",
        catalog.to_str().unwrap(),
        "--allow-private",
        "--probes",
        "latency.tcp,geo.residency",
        "--data-dir",
        data_dir.to_str().unwrap(),
        "--samples",
        samples,
        "--targets-in-flight",
        in_flight,
        "--quiet",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

fn run_owned(args: &[String]) -> (i32, String, String) {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&a)
}

fn with(mut args: Vec<String>, extra: &[&str]) -> Vec<String> {
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

/// Complete lines in the evidence file (0 when it does not exist yet).
fn lines_in(out: &Path) -> usize {
    std::fs::read(out.join("evidence.jsonl"))
        .map(|b| b.iter().filter(|c| **c == b'\n').count())
        .unwrap_or(0)
}

fn wait_for_lines(out: &Path, n: usize) {
    let start = Instant::now();
    while lines_in(out) < n {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the scan wrote fewer than {n} lines in 60 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn verify_json(out: &Path) -> (i32, serde_json::Value) {
    let (code, stdout, _) = run(&["verify", out.to_str().unwrap(), "--json"]);
    (code, serde_json::from_str(&stdout).expect("verify --json"))
}

/// Evidence records per (target, probe).
fn pairs(out: &Path) -> BTreeMap<(String, String), usize> {
    let mut m = BTreeMap::new();
    for e in evidence(out) {
        let key = (
            e["target"]["id"].as_str().unwrap().to_owned(),
            e["probe"].as_str().unwrap().to_owned(),
        );
        *m.entry(key).or_default() += 1;
    }
    m
}

fn records_of_type(out: &Path, kind: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("evidence.jsonl"))
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == kind)
        .map(|v| v["data"].clone())
        .collect()
}

fn assert_each_pair_once(out: &Path, targets: usize) {
    let p = pairs(out);
    assert_eq!(
        p.len(),
        targets * 2,
        "every (target, probe) pair has a record"
    );
    let twice: Vec<_> = p.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "pairs recorded more than once: {twice:?}");
}

#[test]
fn kill_9_during_1000_targets_then_resume_completes_without_probing_again() {
    // Given a scan of 1,000 loopback targets, two probes each, running as a child process
    let (port, accepted) = counting_server();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let cat = catalog_of(dir.path(), "catalog.toml", port, 1000);
    let out = dir.path().join("run");
    let args = scan_args(&cat, &data, "2", "8");
    let child = kensa()
        .args(with(args, &["--out", out.to_str().unwrap()]))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Child(child);

    // When it is killed with SIGKILL after 100 lines are written
    wait_for_lines(&out, 100);
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let at_kill = evidence(&out).len();
    // The kernel completes a single write(2) to a file even on SIGKILL; a crash of the
    // machine (or a full disk) can still cut a line: add half of one.
    let bytes = std::fs::read(out.join("evidence.jsonl")).unwrap();
    let last_line = bytes[..bytes.len() - 1]
        .rsplit(|b| *b == b'\n')
        .next()
        .unwrap()
        .to_vec();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(out.join("evidence.jsonl"))
        .unwrap();
    std::io::Write::write_all(&mut f, &last_line[..last_line.len() / 2]).unwrap();
    drop(f);
    assert!(
        (99..2000).contains(&at_kill),
        "{at_kill} records at the kill"
    );

    // Then verify says incomplete but intact, naming the torn line
    let (code, rep) = verify_json(&out);
    assert_eq!(code, 1, "{rep}");
    assert_eq!(rep["integrity"], "incomplete", "{rep}");
    assert!(rep["problem"].is_null(), "{rep}");
    assert_eq!(rep["evidence_records"], at_kill as u64);
    assert!(!rep["torn_tail"].is_null(), "{rep}");
    let (_, text, _) = run(&["verify", out.to_str().unwrap()]);
    assert!(text.contains("kensa scan --resume"), "{text}");

    // When the run is resumed with the same catalog and options (more targets in flight)
    let before_resume = accepted.load(Ordering::Relaxed);
    let started = Instant::now();
    let (code, stdout, stderr) = run_owned(&with(
        scan_args(&cat, &data, "2", "32"),
        &["--resume", out.to_str().unwrap()],
    ));
    let took = started.elapsed();
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("resumed: {at_kill} records already recorded")),
        "{stdout}"
    );

    // Then the run verifies as complete and intact, with one run-resume line
    let (code, rep) = verify_json(&out);
    assert_eq!(code, 0, "{rep}");
    assert_eq!(rep["integrity"], "intact");
    assert_eq!(rep["run_status"], "complete");
    assert_eq!(rep["resumes"], 1);
    assert_eq!(rep["evidence_records"], 2000);
    let resume = records_of_type(&out, "run-resume");
    assert_eq!(resume.len(), 1);
    assert_eq!(resume[0]["records_before"], at_kill as u64);
    assert_eq!(
        resume[0]["dropped_tail_bytes"],
        (last_line.len() / 2) as u64
    );
    assert_eq!(records_of_type(&out, "run-end")[0]["records"], 2000);

    // And no (target, probe) pair was probed twice: one record each; the server saw at
    // most two connections (samples) per latency record written by the resume, plus those of
    // the targets in flight at the kill
    assert_each_pair_once(&out, 1000);
    let resumed_latency = evidence(&out)
        .iter()
        .skip(at_kill)
        .filter(|e| e["probe"] == "latency.tcp")
        .count() as u64;
    let by_resume = accepted.load(Ordering::Relaxed) - before_resume;
    assert!(
        by_resume <= 2 * resumed_latency,
        "{by_resume} connections for {resumed_latency} latency records"
    );
    eprintln!(
        "records at the kill: {at_kill}; resume wrote {} records ({resumed_latency} latency) \
         in {took:?}; {by_resume} connections by the resume",
        2000 - at_kill
    );
}

/// A run of three targets, complete; and a copy of it without its run-end.
fn complete_and_incomplete(dir: &Path, port: u16) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let cat = catalog_of(dir, "catalog.toml", port, 3);
    let done = dir.join("done");
    let (code, stdout, stderr) = run_owned(&with(
        scan_args(&cat, &data, "1", "8"),
        &["--out", done.to_str().unwrap()],
    ));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let cut = dir.join("cut");
    std::fs::create_dir_all(&cut).unwrap();
    let text = std::fs::read_to_string(done.join("evidence.jsonl")).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    std::fs::write(
        cut.join("evidence.jsonl"),
        lines[..lines.len() - 3].concat(),
    )
    .unwrap();
    (cat, data, done, cut)
}

#[test]
fn resume_refuses_a_complete_tampered_changed_or_missing_run() {
    let (port, _) = counting_server();
    let dir = tempfile::tempdir().unwrap();
    let (cat, data, done, cut) = complete_and_incomplete(dir.path(), port);
    let resume = |cat: &Path, samples: &str, run: &Path| {
        run_owned(&with(
            scan_args(cat, &data, samples, "8"),
            &["--resume", run.to_str().unwrap()],
        ))
    };
    let refused = |r: (i32, String, String), run: &Path, what: &str| {
        let (code, stdout, stderr) = r;
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(
            stderr.contains(&format!("cannot resume {}", run.display())),
            "{stderr}"
        );
        assert!(stderr.contains(what), "{stderr}");
    };
    let file_of = |run: &Path| std::fs::read(run.join("evidence.jsonl")).unwrap();

    // A complete run
    let before = file_of(&done);
    refused(
        resume(&cat, "1", &done),
        &done,
        "the run is already complete",
    );
    assert_eq!(file_of(&done), before, "a refused resume writes nothing");

    // A changed catalog (a fourth target)
    let other = catalog_of(dir.path(), "other.toml", port, 4);
    let before = file_of(&cut);
    refused(
        resume(&other, "1", &cut),
        &cut,
        "the catalog differs from the one the run began with",
    );
    // Changed options, each named with both values
    refused(
        resume(&cat, "3", &cut),
        &cut,
        "options differ from those the run began with: probe_options.samples: 1 → 3",
    );
    let (code, _, stderr) = run_owned(&with(
        with(scan_args(&cat, &data, "1", "8"), &["--jarm"]),
        &["--resume", cut.to_str().unwrap()],
    ));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("probe_options.jarm: false → true"),
        "{stderr}"
    );
    assert_eq!(file_of(&cut), before, "a refused resume writes nothing");

    // A tampered run (a byte changed in its second line)
    let tampered = dir.path().join("tampered");
    std::fs::create_dir_all(&tampered).unwrap();
    let mut bytes = file_of(&cut);
    let second = bytes.iter().position(|b| *b == b'\n').unwrap() + 200;
    bytes[second] = if bytes[second] == b'1' { b'2' } else { b'1' };
    std::fs::write(tampered.join("evidence.jsonl"), &bytes).unwrap();
    refused(
        resume(&cat, "1", &tampered),
        &tampered,
        "evidence.jsonl:2: the content was altered",
    );
    assert_eq!(file_of(&tampered), bytes);

    // No run at all
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    refused(
        resume(&cat, "1", &empty),
        &empty,
        "there is no evidence file",
    );

    // --resume and --out together are a usage error
    let (code, _, _) = run_owned(&with(
        scan_args(&cat, &data, "1", "8"),
        &["--resume", cut.to_str().unwrap(), "--out", "x"],
    ));
    assert_eq!(code, 2);

    // And the untouched incomplete run still resumes
    let (code, stdout, stderr) = resume(&cat, "1", &cut);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("resumed: 4 records already recorded, 2 records probed now"));
    assert_eq!(verify_json(&cut).1["integrity"], "intact");
    assert_each_pair_once(&cut, 3);
}

#[test]
fn a_running_scan_locks_its_run_directory_and_kill_9_releases_it() {
    // Given a slow scan (120 targets, two at a time, five samples with jitter)
    let (port, _) = counting_server();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let cat = catalog_of(dir.path(), "catalog.toml", port, 120);
    let out = dir.path().join("run");
    let child = kensa()
        .args(with(
            scan_args(&cat, &data, "5", "2"),
            &["--out", out.to_str().unwrap()],
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Child(child);
    let pid = child.0.id();
    wait_for_lines(&out, 3);

    // When a resume and a new scan try the same directory while it runs
    let locked = format!("another kensa process (pid {pid}) is writing this run directory");
    let (code, _, stderr) = run_owned(&with(
        scan_args(&cat, &data, "5", "2"),
        &["--resume", out.to_str().unwrap()],
    ));
    // Then both are refused, naming the holder
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&locked), "{stderr}");
    let (code, _, stderr) = run_owned(&with(
        scan_args(&cat, &data, "5", "2"),
        &["--out", out.to_str().unwrap()],
    ));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&locked), "{stderr}");

    // And once the holder is killed, the lock is gone with it: the resume completes the run
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let (code, stdout, stderr) = run_owned(&with(
        scan_args(&cat, &data, "5", "64"),
        &["--resume", out.to_str().unwrap()],
    ));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(verify_json(&out).1["integrity"], "intact");
    assert_each_pair_once(&out, 120);
}

#[test]
fn an_interrupted_run_can_be_resumed() {
    let (port, _) = counting_server();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let cat = catalog_of(dir.path(), "catalog.toml", port, 120);
    let out = dir.path().join("run");
    let db = dir.path().join("kensa.db");
    let dbs = db.to_str().unwrap();
    let child = kensa()
        .args(with(
            scan_args(&cat, &data, "5", "2"),
            &["--out", out.to_str().unwrap(), "--db", dbs],
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Child(child);
    wait_for_lines(&out, 4);
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert_eq!(child.0.wait().unwrap().code(), Some(130));
    assert_eq!(verify_json(&out).1["run_status"], "interrupted");
    // Ctrl-C says how to complete the run: the same command, with --resume instead of --out.
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.0.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "complete the run with:\n  kensa scan {} --allow-private",
            cat.display()
        )) && stderr.contains(&format!("--db {dbs} --resume {}\n", out.display())),
        "{stderr}"
    );
    let (_, hist, _) = run(&["history", "bulk", "--db", dbs]);
    assert!(hist.contains("interrupted/intact"), "{hist}");
    interrupted_everywhere(&out, dir.path());

    let (code, stdout, stderr) = run_owned(&with(
        scan_args(&cat, &data, "5", "64"),
        &["--resume", out.to_str().unwrap(), "--db", dbs],
    ));
    assert_eq!(code, 0, "{stdout}{stderr}");
    // Issue 23: the completed run replaces the interrupted import in the run database, so
    // history shows one complete run and compare uses its complete grades.
    assert!(
        stderr.contains("it replaced the interrupted record"),
        "{stderr}"
    );
    let (code, hist, stderr) = run(&["history", "bulk", "--db", dbs]);
    assert_eq!(code, 0, "{stderr}");
    assert!(hist.starts_with("provider bulk: 1 run\n"), "{hist}");
    assert!(hist.contains("complete/intact"), "{hist}");
    assert!(!hist.contains("interrupted"), "{hist}");
    let st = kensa::store::Store::open_existing(&db).unwrap();
    assert_eq!(st.counts().unwrap()["runs"], 1);
    let summary = st.latest_run_per_provider().unwrap();
    assert_eq!(summary[0].status.as_deref(), Some("complete"));
    // Read back verified, every record of the completed run is there.
    use kensa::store::RunStore as _;
    let back = st.load_run(&summary[0].run_id).unwrap();
    assert_eq!(back.status, Some(kensa::evidence::RunStatus::Complete));
    assert_eq!(back.targets.len(), 120);
    let (code, rep) = verify_json(&out);
    assert_eq!(code, 0, "{rep}");
    assert_eq!(rep["run_status"], "complete");
    assert_eq!(rep["resumes"], 1);
    assert_each_pair_once(&out, 120);
}

/// A file-size limit (`ulimit -f`, SIGXFSZ ignored) makes the evidence file's writes fail
/// mid-run as a full disk does, with no root and no special file system.
#[cfg(unix)]
#[test]
fn a_write_failure_mid_run_stops_cleanly_and_the_run_resumes() {
    let (port, _) = counting_server();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let cat = catalog_of(dir.path(), "catalog.toml", port, 100);
    let out = dir.path().join("run");
    let args = with(
        scan_args(&cat, &data, "1", "8"),
        &["--out", out.to_str().unwrap()],
    );

    // When the scan may write 16 blocks (8 or 16 KiB) of a ~100 KiB run
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 16 && exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_kensa"))
        .args(&args)
        .env("NO_COLOR", "1")
        .env("KENSA_DB", fresh_db())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);

    // Then it stops with exit 2 (no panic), naming the file and the OS error
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let file = out.join("evidence.jsonl");
    assert!(
        stderr.contains(&format!(
            "writing evidence to {} failed after",
            file.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("os error 27"), "EFBIG: {stderr}");
    assert!(stderr.contains("kensa scan --resume"), "{stderr}");
    let written = std::fs::metadata(&file).unwrap().len();
    assert!(written <= 16 * 1024, "{written} bytes");

    // And what was written is incomplete but intact, and resumable
    let (code, rep) = verify_json(&out);
    assert_eq!(code, 1, "{rep}");
    assert_eq!(rep["integrity"], "incomplete", "{rep}");
    let (code, stdout, stderr) = run_owned(&with(
        scan_args(&cat, &data, "1", "8"),
        &["--resume", out.to_str().unwrap()],
    ));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(verify_json(&out).1["integrity"], "intact");
    assert_each_pair_once(&out, 100);
}

/// An output directory that cannot be created or written stops the scan before it connects
/// anywhere, naming the path.
#[test]
fn an_unwritable_output_directory_stops_the_scan_before_probing() {
    let l = listener();
    l.set_nonblocking(true).unwrap();
    let port = l.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let scan_to = |out: &Path| {
        run(&[
            "scan",
            &format!("127.0.0.1:{port}"),
            "--allow-private",
            "--probes",
            "latency.tcp",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let mut tried = Vec::new();

    // A parent that is a file
    let blocker = write(dir.path(), "blocker", "x");
    tried.push(blocker.join("run"));
    // A directory without write permission (root may write anyway: then it is skipped)
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.path().join("read-only");
        std::fs::create_dir_all(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(ro.join("probe"), b"").is_err() {
            tried.push(ro.join("run"));
            tried.push(ro);
        } else {
            eprintln!("SKIPPED the read-only directory case: running as root");
        }
    }
    // A directory nobody can create (procfs refuses mkdir, even to root)
    #[cfg(target_os = "linux")]
    tried.push(PathBuf::from("/proc/kensa-no-such-dir/run"));

    for out in &tried {
        let (code, stdout, stderr) = scan_to(out);
        assert_eq!(code, 2, "{}: {stdout}{stderr}", out.display());
        assert!(stdout.is_empty(), "{stdout}");
        assert!(
            stderr.contains(&out.display().to_string()),
            "{}: {stderr}",
            out.display()
        );
    }
    // No connection reached the listener.
    assert_eq!(
        l.accept().map(|_| ()).map_err(|e| e.kind()),
        Err(std::io::ErrorKind::WouldBlock),
        "a connection was made"
    );
}

/// Issue 23: an interrupted run says so downstream: `assess` (text and JSON), `report` (text
/// formats, Markdown, HTML, JSON) and the bundle manifest, each naming the probes that never
/// ran and the command that completes the run.
fn interrupted_everywhere(out: &Path, scratch: &Path) {
    let o = out.to_str().unwrap();
    let (_, text, stderr) = run(&["assess", o]);
    assert!(
        text.contains("INTERRUPTED: the run was stopped before it completed"),
        "{text}{stderr}"
    );
    assert!(text.contains("never started"), "{text}");
    assert!(text.contains("--resume"), "{text}");
    let (_, json, _) = run(&["assess", o, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["interrupted"]["status"], "interrupted", "{v}");
    let (_, md, _) = run(&["assess", o, "--format", "md"]);
    assert!(md.contains("> **INTERRUPTED"), "{md}");
    let (_, md, _) = run(&["report", o, "--format", "md"]);
    assert!(md.contains("> **INTERRUPTED"), "{md}");
    let (_, html, _) = run(&["report", o, "--format", "html"]);
    assert!(
        html.contains("<section id=\"interrupted\" role=\"alert\"")
            && html.contains("<h2>Interrupted run</h2>"),
        "{html}"
    );
    let (_, json, _) = run(&["report", o, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["assessment"]["interrupted"]["status"], "interrupted");
    let key = scratch.join("key");
    let (code, _, stderr) = run(&["keygen", "-o", key.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let bundle = scratch.join("run.kensa");
    let (code, text, stderr) = run(&[
        "bundle",
        o,
        "--sign",
        key.to_str().unwrap(),
        "-o",
        bundle.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let i = &v["manifest"]["interrupted"];
    assert_eq!(i["status"], "interrupted", "{v}");
    assert!(i["endpoints_not_started"].as_u64().unwrap() > 0, "{i}");
    let (code, text, stderr) = run(&["verify", bundle.to_str().unwrap(), "--allow-unpinned"]);
    assert_eq!(code, 0, "{text}{stderr}");
}

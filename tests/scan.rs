//! Loopback end-to-end tests of `kensa scan` and `kensa verify` through the real binary.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

fn outcome_of(ev: &[serde_json::Value], port: u16) -> String {
    ev.iter()
        .find(|e| e["target"]["port"] == port)
        .map(|e| e["outcome"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_else(|| panic!("no evidence for port {port}: {ev:#?}"))
}

#[test]
fn three_provider_catalog_gives_latency_evidence_per_endpoint() {
    // Given three providers with five endpoints on loopback listeners
    let ls: Vec<_> = (0..5).map(|_| listener()).collect();
    let ports: Vec<u16> = ls.iter().map(|l| l.local_addr().unwrap().port()).collect();
    let dir = tempfile::tempdir().unwrap();
    let catalog = [
        provider_toml("alpha", "JP", &ports[0..2]),
        provider_toml("beta", "DE", &ports[2..3]),
        provider_toml("gamma", "US", &ports[3..5]),
    ]
    .concat();
    let cat = write(dir.path(), "catalog.toml", &catalog);
    let out = dir.path().join("run");

    // When kensa scans it
    let (code, stdout, stderr) = run(&[
        "scan",
        cat.to_str().unwrap(),
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);

    // Then every endpoint has one successful latency record with three samples
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");
    let ev = evidence(&out);
    assert_eq!(ev.len(), 5);
    for (i, port) in ports.iter().enumerate() {
        let e = ev
            .iter()
            .find(|e| e["target"]["port"] == *port)
            .expect("record for port");
        let provider = ["alpha", "alpha", "beta", "gamma", "gamma"][i];
        assert_eq!(e["target"]["provider"], provider);
        assert_eq!(e["target"]["id"], format!("{provider}/127.0.0.1:{port}"));
        assert_eq!(e["probe"], "latency.tcp");
        assert_eq!(e["outcome"], "success");
        assert_eq!(e["fault"], "none");
        assert_eq!(e["target"]["address_source"], "literal");
        let addr = &e["observation"]["addresses"][0];
        assert_eq!(addr["address"], "127.0.0.1");
        assert_eq!(addr["samples_us"].as_array().unwrap().len(), 3);
        assert_eq!(e["observation"]["families"]["ipv4"]["n"], 3);
        assert!(e["observation"]["families"]["ipv6"].is_null());
    }
    // The stdout table names every target; the run verifies.
    for p in &ports {
        assert!(stdout.contains(&format!("127.0.0.1:{p}")), "{stdout}");
    }
    let (code, stdout, _) = run(&["verify", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("intact:"), "{stdout}");
    drop(ls);
}

#[test]
fn closed_port_is_refused_and_full_backlog_times_out() {
    // Given a closed port and a listener whose accept queue is full
    let closed = closed_port();
    let (_l, _fillers, full) = full_backlog();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");

    // When kensa samples both with a 400 ms connect timeout
    let (code, stdout, stderr) = run(&[
        "scan",
        &format!("127.0.0.1:{closed}"),
        &format!("127.0.0.1:{}", full.port()),
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "2",
        "--connect-timeout-ms",
        "400",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    // Then the closed port is `refused` and the full backlog is `timeout`, within the timeout
    let ev = evidence(&out);
    assert_eq!(outcome_of(&ev, closed), "refused");
    assert_eq!(outcome_of(&ev, full.port()), "timeout");
    let slow = ev
        .iter()
        .find(|e| e["target"]["port"] == full.port())
        .unwrap();
    let failures = slow["observation"]["addresses"][0]["failures"]
        .as_array()
        .unwrap();
    assert_eq!(failures.len(), 2);
    assert!(failures.iter().all(|f| f["outcome"] == "timeout"));
    // Two samples of 400 ms plus at most 50 ms jitter: well under 2 s of probe time.
    let elapsed = slow["elapsed_us"].as_u64().unwrap();
    assert!(
        (800_000..2_000_000).contains(&elapsed),
        "elapsed {elapsed} µs"
    );
}

#[test]
fn private_addresses_need_allow_private() {
    let l = listener();
    let port = l.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let (code, stdout, _) = run(&[
        "scan",
        &format!("127.0.0.1:{port}"),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0);
    let ev = evidence(&out);
    // An IP literal needs no DNS: the DNS record says so, and asks nothing.
    let dns = ev.iter().find(|e| e["probe"] == "dns.resolve").unwrap();
    assert_eq!(dns["outcome"], "success");
    assert_eq!(dns["observation"]["applicable"], false);
    let latency = ev.iter().find(|e| e["probe"] == "latency.tcp").unwrap();
    assert_eq!(latency["outcome"], "not-allowed");
    assert_eq!(latency["fault"], "user");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["connections"], 0, "no connection may be made");
}

fn edit_file(src: &Path, dst: &Path, f: impl Fn(Vec<Vec<u8>>) -> Vec<Vec<u8>>) {
    let bytes = std::fs::read(src.join("evidence.jsonl")).unwrap();
    let lines: Vec<Vec<u8>> = bytes
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    std::fs::create_dir_all(dst).unwrap();
    std::fs::write(dst.join("evidence.jsonl"), f(lines).concat()).unwrap();
}

#[test]
fn verify_detects_edits_removals_and_swaps() {
    // Given an untouched run of four endpoints (six lines)
    let ls: Vec<_> = (0..4).map(|_| listener()).collect();
    let targets: Vec<String> = ls
        .iter()
        .map(|l| format!("127.0.0.1:{}", l.local_addr().unwrap().port()))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let mut args = vec![
        "scan",
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "1",
        "--out",
    ];
    args.push(out.to_str().unwrap());
    args.extend(targets.iter().map(String::as_str));
    assert_eq!(run(&args).0, 0);
    let (code, stdout, _) = run(&["verify", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");

    // A byte edited in line 3
    let edited = dir.path().join("edited");
    edit_file(&out, &edited, |mut l| {
        let pos = l[2].iter().position(|b| *b == b'1').unwrap();
        l[2][pos] = b'2';
        l
    });
    let (code, stdout, _) = run(&["verify", edited.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("evidence.jsonl:3: the content was altered"),
        "{stdout}"
    );

    // Line 4 removed
    let removed = dir.path().join("removed");
    edit_file(&out, &removed, |mut l| {
        l.remove(3);
        l
    });
    let (code, stdout, _) = run(&["verify", removed.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("evidence.jsonl:4: record out of place"),
        "{stdout}"
    );

    // Lines 2 and 3 swapped
    let swapped = dir.path().join("swapped");
    edit_file(&out, &swapped, |mut l| {
        l.swap(1, 2);
        l
    });
    let (code, stdout, _) = run(&["verify", swapped.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1);
    let rep: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rep["integrity"], "tampered");
    assert_eq!(rep["problem"]["line"], 2);

    // run-end removed: incomplete but intact
    let cut = dir.path().join("cut");
    edit_file(&out, &cut, |mut l| {
        l.pop();
        l
    });
    let (code, stdout, _) = run(&["verify", cut.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("incomplete:"), "{stdout}");
    drop(ls);
}

/// A catalog of `n` loopback endpoints on distinct listeners.
fn slow_catalog(dir: &Path, n: usize) -> (std::path::PathBuf, Vec<std::net::TcpListener>) {
    let ls: Vec<_> = (0..n).map(|_| listener()).collect();
    let ports: Vec<u16> = ls.iter().map(|l| l.local_addr().unwrap().port()).collect();
    let cat = write(dir, "catalog.toml", &provider_toml("bulk", "JP", &ports));
    (cat, ls)
}

/// A scan of 120 loopback endpoints, slowed by samples and jitter, two targets at a time,
/// writing to `DIR/run`; returns the directory, the listeners and the running kensa.
fn slow_scan() -> (
    tempfile::TempDir,
    Vec<std::net::TcpListener>,
    std::process::Child,
) {
    let dir = tempfile::tempdir().unwrap();
    let (cat, ls) = slow_catalog(dir.path(), 120);
    let out = dir.path().join("run");
    let child = kensa()
        .args([
            "scan",
            cat.to_str().unwrap(),
            "--allow-private",
            "--probes",
            "latency.tcp",
        ])
        .args(["--samples", "5", "--targets-in-flight", "2"])
        .args(["--out", out.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("stderr.log")).unwrap())
        .spawn()
        .unwrap();
    (dir, ls, child)
}

fn wait_for_records(out: &Path, n: usize) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if std::fs::read_to_string(out.join("evidence.jsonl"))
            .map(|t| t.lines().count() > n)
            .unwrap_or(false)
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the scan wrote fewer than {n} records in 30 s");
}

#[test]
fn kill_9_mid_run_leaves_an_intact_incomplete_run() {
    // Given a scan of 120 endpoints, slowed by samples and jitter, two targets at a time
    let (dir, _ls, mut child) = slow_scan();
    let out = dir.path().join("run");

    // When it is killed with SIGKILL after some records
    wait_for_records(&out, 6);
    child.kill().unwrap();
    child.wait().unwrap();

    // Then every line present verifies, and the run reads as incomplete but intact
    let text = std::fs::read_to_string(out.join("evidence.jsonl")).unwrap();
    let complete_lines = text.lines().filter(|l| l.ends_with('}')).count();
    assert!((6..122).contains(&complete_lines), "{complete_lines}");
    let (code, stdout, _) = run(&["verify", out.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1, "{stdout}");
    let rep: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rep["integrity"], "incomplete");
    assert!(rep["problem"].is_null());
    let intact = rep["lines_ok"].as_u64().unwrap() as usize;
    assert!(intact >= 6, "{rep}");
    // Every complete record made it (a torn last line may be dropped, nothing else).
    assert!(
        intact == complete_lines || intact + 1 == complete_lines,
        "{rep}"
    );
}

#[test]
fn ctrl_c_writes_what_was_gathered_and_exits_130() {
    let (dir, _ls, mut child) = slow_scan();
    let out = dir.path().join("run");
    wait_for_records(&out, 4);
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let end = last_record(&out);
    assert_eq!(end["type"], "run-end");
    assert_eq!(end["data"]["status"], "interrupted");
    let (code, stdout, _) = run(&["verify", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("run interrupted"), "{stdout}");
    // Issue 23: Ctrl-C suggests the command that completes the run, the same arguments with
    // --resume in place of --out.
    let stderr = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap();
    let out_s = out.to_str().unwrap();
    assert!(stderr.contains("complete the run with:"), "{stderr}");
    let cmd = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("kensa scan "))
        .unwrap_or_else(|| panic!("no resume command: {stderr}"));
    assert!(cmd.ends_with(&format!("--resume {out_s}")), "{cmd}");
    assert!(!cmd.contains("--out"), "{cmd}");
    assert!(cmd.contains("--probes latency.tcp"), "{cmd}");
}

#[test]
fn unwritable_output_stops_before_probing() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the run directory should be.
    let blocker = write(dir.path(), "blocker", "x");
    let out = blocker.join("run");
    let (code, stdout, stderr) = run(&[
        "scan",
        "127.0.0.1:9",
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--out",
    ]
    .iter()
    .copied()
    .chain([out.to_str().unwrap()])
    .collect::<Vec<_>>());
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("cannot create the evidence file"),
        "{stderr}"
    );
    assert!(stdout.is_empty());
}

#[test]
fn existing_run_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    std::fs::create_dir_all(&out).unwrap();
    let mut f = std::fs::File::create(out.join("evidence.jsonl")).unwrap();
    f.write_all(b"precious\n").unwrap();
    let (code, _, stderr) = run(&["scan", "127.0.0.1:9", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("evidence.jsonl")).unwrap(),
        "precious\n"
    );
}

#[test]
fn usage_errors_exit_2_and_version_prints() {
    assert_eq!(run(&["scan"]).0, 2);
    assert_eq!(run(&["frobnicate"]).0, 2);
    assert_eq!(run(&["scan", "a..b"]).0, 2);
    assert_eq!(run(&["scan", "127.0.0.1", "--vantage", "x@200,0"]).0, 2);
    let (code, stdout, _) = run(&["--version"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("kensa "), "{stdout}");
    let (code, _, stderr) = run(&["verify", "/nonexistent/run"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/run"), "{stderr}");
}

/// Issue 23, exit codes: a scan in which no probe reached any target (every record
/// `dns-failure`) is complete but observed nothing: it says so and exits 1, not 0; a run the
/// run database cannot record is partial: exit 3, not a warning with 0.
#[test]
fn nothing_observed_exits_1_and_an_unrecorded_run_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    // A resolver that never answers (a closed loopback port): every question fails.
    let resolver = format!("127.0.0.1:{}", closed_port());
    let out = dir.path().join("run");
    let (code, stdout, stderr) = run(&[
        "scan",
        "www.nowhere.test",
        "--resolver",
        &resolver,
        "--dns-timeout-ms",
        "500",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("complete, but NOTHING OBSERVED (no probe reached any target)"),
        "{stdout}"
    );
    assert!(stdout.contains("outcomes: dns-failure 6\n"), "{stdout}");

    // A run database that is not one: the evidence is kept, the run is partial.
    let l = listener();
    let target = l.local_addr().unwrap().to_string();
    let not_a_db = write(dir.path(), "not.db", "not a database");
    let out = dir.path().join("run2");
    let (code, stdout, stderr) = run(&[
        "scan",
        &target,
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "1",
        "--db",
        not_a_db.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert!(
        stderr.contains("error: the run was not recorded in the run database"),
        "{stderr}"
    );
    assert!(stderr.contains("exit status 3"), "{stderr}");
    assert_eq!(std::fs::read(&not_a_db).unwrap(), b"not a database");
    let (code, _, _) = run(&["verify", out.to_str().unwrap()]);
    assert_eq!(code, 0);
}

/// Issue 23: the scan summary names the resolvers asked — the `--resolver`s, or the system's
/// when none is given (read from /etc/resolv.conf, never asked here) — and says nothing of
/// DNS when no name is resolved (an IP literal, latency only).
#[test]
fn the_summary_names_the_resolvers_asked_and_only_when_a_name_was_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let resolver = format!("127.0.0.1:{}", closed_port());
    let (_, stdout, stderr) = run(&[
        "scan",
        "www.nowhere.test",
        "--resolver",
        &resolver,
        "--dns-timeout-ms",
        "300",
        "--probes",
        "dns.resolve",
        "--out",
        dir.path().join("named").to_str().unwrap(),
    ]);
    assert!(
        stderr.contains(&format!("DNS: asked {resolver} (--resolver)\n")),
        "{stdout}{stderr}"
    );
    // -q silences it with the other status lines.
    let (_, _, stderr) = run(&[
        "scan",
        "www.nowhere.test",
        "--resolver",
        &resolver,
        "--dns-timeout-ms",
        "300",
        "--probes",
        "dns.resolve",
        "--quiet",
        "--out",
        dir.path().join("quiet").to_str().unwrap(),
    ]);
    assert!(!stderr.contains("DNS:"), "{stderr}");

    let l = listener();
    let (code, stdout, stderr) = run(&[
        "scan",
        &l.local_addr().unwrap().to_string(),
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "1",
        "--no-db",
        "--out",
        dir.path().join("ip").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("evidence:"), "{stderr}");
    assert!(!stderr.contains("DNS:"), "{stderr}");

    // Without --resolver: the system's resolvers are named (or why they could not be read).
    let cfg = kensa::config::ScanConfig::default();
    let named = kensa::catalog::from_host_specs(&["www.example.test".into()]).unwrap();
    let note = kensa::scan::resolvers_note(&named, &cfg).unwrap();
    assert!(note.starts_with("DNS: "), "{note}");
    assert!(note.contains("system's resolver"), "{note}");
    assert!(note.contains("--resolver"), "{note}");
    // Pinned addresses and no dns.resolve: no resolver is asked.
    let ip = kensa::catalog::from_host_specs(&["192.0.2.1:443".into()]).unwrap();
    assert_eq!(kensa::scan::resolvers_note(&ip, &cfg), None);
    let latency_only = kensa::config::ScanConfig {
        probes: vec!["latency.tcp".into()],
        ..Default::default()
    };
    assert_eq!(kensa::scan::resolvers_note(&ip, &latency_only), None);
}

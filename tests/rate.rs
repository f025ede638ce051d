//! The per-host connection rate (issue 9, "Scope and politeness"): a server counts the
//! connections it receives per second from one `kensa scan`.

mod common;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A listener on 127.0.0.1 that accepts every connection, notes when, and closes it.
fn counting_listener(log: Arc<Mutex<Vec<Instant>>>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(s) = s else { continue };
            log.lock().expect("log").push(Instant::now());
            drop(s);
        }
    });
    port
}

/// The most connections seen in any window of `w` starting at a connection.
fn max_in_window(times: &[Instant], w: Duration) -> usize {
    let mut t = times.to_vec();
    t.sort();
    (0..t.len())
        .map(|i| t[i..].iter().take_while(|x| **x - t[i] < w).count())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_host_sees_at_most_burst_plus_rate_connections_per_second() {
    let log = Arc::new(Mutex::new(Vec::new()));
    // Two endpoints of one host (127.0.0.1): they share the host's bucket.
    let p1 = counting_listener(Arc::clone(&log));
    let p2 = counting_listener(Arc::clone(&log));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("run");
    let (code, _stdout, stderr) = common::run(&[
        "scan",
        &format!("127.0.0.1:{p1}"),
        &format!("127.0.0.1:{p2}"),
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "15",
        "--rate-per-host",
        "10",
        "--burst-per-host",
        "5",
        "--out",
        out.to_str().expect("utf-8 path"),
    ]);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    let times = log.lock().expect("log").clone();
    assert_eq!(times.len(), 30, "every sample connected");
    // GCRA: 5 at once, then one per 100 ms, so any second holds at most 5 + 10; one more
    // for scheduling jitter between kensa's connect and this server's accept.
    let worst = max_in_window(&times, Duration::from_secs(1));
    assert!(worst <= 16, "{worst} connections within one second");
    // And the run was spread out as the rate says: 25 after the burst at 10/s.
    let mut t = times;
    t.sort();
    let span = *t.last().expect("times") - t[0];
    assert!(
        span >= Duration::from_millis(2300),
        "30 connections in {span:?}"
    );
}

#[test]
fn the_default_rate_is_recorded_in_run_begin() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let port = counting_listener(Arc::clone(&log));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("run");
    // The default rate (no flag, no KENSA_RATE_PER_HOST) is what run-begin records.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kensa"))
        .env("NO_COLOR", "1")
        .env_remove("KENSA_RATE_PER_HOST")
        .env("KENSA_DB", common::fresh_db())
        .args([
            "scan",
            &format!("127.0.0.1:{port}"),
            "--allow-private",
            "--probes",
            "latency.tcp",
            "--samples",
            "3",
            "--out",
            out.to_str().expect("utf-8 path"),
        ])
        .output()
        .expect("kensa runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ev = std::fs::read_to_string(out.join("evidence.jsonl")).expect("evidence");
    let begin: serde_json::Value =
        serde_json::from_str(ev.lines().next().expect("run-begin")).expect("json");
    let settings = begin
        .pointer("/data/settings")
        .expect("settings in run-begin");
    assert_eq!(settings["rate_per_host"], 10, "{settings}");
    assert_eq!(settings["burst_per_host"], 100, "{settings}");
}

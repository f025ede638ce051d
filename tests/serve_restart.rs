//! Restart-safety of `kensa serve` (issue 17): the service process is killed (SIGKILL) in the
//! middle of a re-check; the store is left consistent (no part of the run in it), and the
//! next service resumes the re-check from where its evidence stops (`run-resume`), imports
//! the run and diffs it. Loopback only.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// `kensa serve` as a process on a free loopback port; returns it and its base URL once it
/// answers.
async fn serve(dir: &Path, c: &reqwest::Client) -> (Child, String) {
    let port = common::closed_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--db")
        .arg(dir.join("kensa.db"))
        .arg("--catalog")
        .arg(dir.join("catalog.toml"))
        .arg("--work-dir")
        .arg(dir.join("work"))
        .arg("--scan-config")
        .arg(dir.join("scan.json"))
        .env("KENSA_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("kensa serve starts");
    let base = format!("http://127.0.0.1:{port}");
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(30) {
        if let Ok(r) = c.get(format!("{base}/healthz")).send().await
            && r.status() == StatusCode::OK
        {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("kensa serve did not answer");
}

/// The run directory of the (one) re-check in the work directory.
fn recheck_run(dir: &Path) -> Option<std::path::PathBuf> {
    std::fs::read_dir(dir.join("work"))
        .ok()?
        .flatten()
        .map(|e| e.path().join("run"))
        .find(|p| p.join("evidence.jsonl").is_file())
}

fn evidence_lines(run: &Path) -> Vec<Value> {
    std::fs::read_to_string(run.join("evidence.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recheck_killed_with_the_server_is_resumed_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Six endpoints whose connects never complete: each sample waits for its timeout, one
    // target at a time, so the re-check takes seconds.
    let slow: Vec<_> = (0..6).map(|_| common::full_backlog()).collect();
    let mut cat = String::from(
        "[[provider]]\nid = \"slow\"\nname = \"Slow\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-1\"\n\n",
    );
    for (_, _, addr) in &slow {
        cat.push_str(&format!(
            "[[provider.endpoint]]\nhost = \"127.0.0.1\"\nport = {}\n\n",
            addr.port()
        ));
    }
    common::write(d, "catalog.toml", &cat);
    common::write(
        d,
        "scan.json",
        r#"{"probes": ["latency.tcp"], "samples": 3, "connect_timeout_ms": 600,
            "settings": {"allow_private": true, "targets_in_flight": 1}}"#,
    );
    let (code, out, err) = common::run(&[
        "--json",
        "token",
        "create",
        "--role",
        "evaluator",
        "--db",
        d.join("kensa.db").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let token: Value = serde_json::from_str(&out).unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let c = client();

    // Start a re-check, and kill the service once some of its evidence is written.
    let (mut first, base) = serve(d, &c).await;
    let r = c
        .post(format!("{base}/api/v1/providers/slow/recheck"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let t = Instant::now();
    let run = loop {
        if let Some(run) = recheck_run(d)
            && evidence_lines(&run)
                .iter()
                .filter(|l| l["type"] == "evidence")
                .count()
                >= 1
        {
            break run;
        }
        assert!(t.elapsed() < Duration::from_secs(60), "no evidence written");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    first.kill().unwrap();
    let _ = first.wait();
    let written = evidence_lines(&run);
    assert!(
        written.iter().all(|l| l["type"] != "run-end"),
        "killed mid re-check"
    );
    let records_then = written.iter().filter(|l| l["type"] == "evidence").count();
    assert!(records_then < 6, "{records_then}");

    // The store is consistent: it opens, and holds no part of the interrupted run.
    {
        let st = kensa::store::Store::open(&d.join("kensa.db")).unwrap();
        assert!(st.provider_runs("slow").unwrap().is_empty());
    }

    // The next service resumes it, records the run, and shows the job done.
    let (mut second, base) = serve(d, &c).await;
    let t = Instant::now();
    let job = loop {
        let jobs: Value = c
            .get(format!("{base}/api/v1/jobs"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let job = jobs["items"].as_array().and_then(|j| j.first()).cloned();
        if let Some(j) = job
            && j["state"] != "running"
        {
            break j;
        }
        assert!(t.elapsed() < Duration::from_secs(90), "not resumed: {jobs}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    second.kill().unwrap();
    let _ = second.wait();
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["provider"], "slow");
    let lines = evidence_lines(&run);
    assert_eq!(
        lines.iter().filter(|l| l["type"] == "run-resume").count(),
        1
    );
    assert_eq!(lines.iter().filter(|l| l["type"] == "evidence").count(), 6);
    let (code, out, _) = common::run(&["verify", run.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let st = kensa::store::Store::open(&d.join("kensa.db")).unwrap();
    let runs = st.provider_runs("slow").unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(job["run_id"], runs[0].run_id.as_str());
    drop(slow);
}

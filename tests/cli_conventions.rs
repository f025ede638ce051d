//! Issue 23, "the terminal" and "conventions users expect": `--color`, shell completions and
//! the manual page, options that cannot apply refused, `report -o` without `--force`,
//! JUnit XML, errors as JSON under `--json`, `-q`, the hint when a run directory holds a run,
//! the geolocation database warning only when residency runs, and what `tls.scan` says of a
//! server that never answers. Every server is on loopback and started here.

mod common;
mod report_common;

use std::collections::BTreeSet;
use std::path::Path;

use report_common::write_run;
use serde_json::Value;

fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = common::kensa()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("kensa runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn color_always_paints_verdicts_and_never_or_a_pipe_does_not_issue_23() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let run = run.to_str().unwrap();
    let (code, painted, err) = common::run(&["--color", "always", "assess", run]);
    assert_eq!(code, 1, "{err}");
    assert!(painted.contains("\x1b[1;31mFAIL\x1b[0m"), "{painted}");
    // (No profile passes outright since KENSA-HTTP-001 is inconclusive for the target whose
    // http.headers timed out: the pass counts and INCONCLUSIVE carry the colours.)
    assert!(painted.contains("\x1b[32mpass\x1b[0m"), "{painted}");
    assert!(painted.contains("\x1b[33mINCONCLUSIVE\x1b[0m"), "{painted}");
    // The same text without the escapes.
    let (_, plain, _) = common::run(&["--color", "never", "assess", run]);
    assert!(!plain.contains('\x1b'));
    assert_eq!(
        painted
            .replace("\x1b[1;31m", "")
            .replace("\x1b[32m", "")
            .replace("\x1b[33m", "")
            .replace("\x1b[0m", ""),
        plain
    );
    // auto into a pipe: no colour (NO_COLOR is set by common::kensa, and stdout is a pipe).
    let (_, auto, _) = common::run(&["assess", run]);
    assert_eq!(auto, plain);
    let out = common::kensa()
        .env_remove("NO_COLOR")
        .args(["--color", "auto", "assess", run])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
    // --json is never painted.
    let (_, json, _) = common::run(&["--color", "always", "--json", "verify", run]);
    assert!(!json.contains('\x1b'));
    let (code, _, err) = common::run(&["--color", "sometimes", "profiles"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn completions_and_man_page_issue_23() {
    let (code, bash, err) = common::run(&["completions", "bash"]);
    assert_eq!(code, 0, "{err}");
    assert!(bash.contains("_kensa()"), "{bash:.300}");
    for sub in ["scan", "report", "compare", "completions"] {
        assert!(bash.contains(sub), "{sub}");
    }
    assert!(bash.contains("--color"));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let (code, text, err) = common::run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(text.contains("kensa"), "{shell}");
    }
    let (code, _, _) = common::run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    let (code, man, err) = common::run(&["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        man.starts_with(".ie") || man.contains(".TH kensa 1"),
        "{man:.200}"
    );
    assert!(man.contains(".TH kensa 1"));
    assert!(man.contains("scan"));
}

#[test]
fn options_that_cannot_apply_are_refused_issue_23() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let run_s = run.to_str().unwrap();
    let catalog = dir.path().join("c.toml");
    std::fs::write(
        &catalog,
        "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\n\n[[provider.endpoint]]\nhost = \"127.0.0.1\"\nport = 1\n",
    )
    .unwrap();
    let cat = catalog.to_str().unwrap();
    let (code, _, err) = common::run(&["watch", cat, "--every", "1h", "--resume", run_s]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--resume cannot be used with watch"), "{err}");
    assert!(err.contains("kensa scan CATALOG --resume"), "{err}");
    let (code, _, err) = common::run(&["recheck", cat, "--resume", run_s]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--resume cannot be used with recheck"),
        "{err}"
    );
    // --json with another format on stdout, for report and assess.
    let (code, out, err) = common::run(&["--json", "report", run_s, "--format", "md"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--json and --format md cannot both apply"),
        "{err}"
    );
    // ... and the error is JSON on stdout.
    let v: Value = serde_json::from_str(&out).expect("a JSON error");
    assert_eq!(v["schema"], "kensa-error/1");
    assert_eq!(v["error"]["kind"], "input");
    assert_eq!(v["exit_code"], 2);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--format md")
    );
    let (code, _, err) = common::run(&["--json", "assess", run_s, "--format", "md"]);
    assert_eq!(code, 2, "{err}");
    // --json --format json is fine, and so is --json with -o (a note of what was written).
    let (code, _, _) = common::run(&["--json", "assess", run_s, "--format", "json"]);
    assert_eq!(code, 1);
    // An error from argument parsing is JSON too under --json.
    let (code, out, _) = common::run(&["--json", "report"]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).expect("a JSON error");
    assert_eq!(v["error"]["kind"], "usage");
}

#[test]
fn report_o_refuses_to_overwrite_without_force_issue_23() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let run_s = run.to_str().unwrap();
    let out = dir.path().join("report.md");
    std::fs::write(&out, "keep me").unwrap();
    let out_s = out.to_str().unwrap();
    let (code, _, err) = common::run(&["report", run_s, "--format", "md", "-o", out_s]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("exists: refusing to overwrite it (pass --force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    let (code, _, err) = common::run(&["report", run_s, "--format", "md", "-o", out_s, "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("# kensa report")
    );
    // --force means nothing without -o.
    let (code, _, _) = common::run(&["report", run_s, "--force"]);
    assert_eq!(code, 2);
}

#[test]
fn junit_has_one_test_case_per_control_and_target_issue_23() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let run_s = run.to_str().unwrap();
    let (code, xml, err) = common::run(&["report", run_s, "--format", "junit"]);
    assert_eq!(code, 0, "{err}");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    let (_, json, _) = common::run(&["report", run_s, "--format", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let findings = v["tables"]["findings"].as_array().unwrap();
    let pairs: BTreeSet<(String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["target"].as_str().unwrap().to_owned(),
                f["control"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(xml.matches("<testcase ").count(), pairs.len());
    assert!(xml.contains(&format!("tests=\"{}\"", pairs.len())));
    // A pair failing under any profile is one failure.
    let failing: BTreeSet<&(String, String)> = pairs
        .iter()
        .filter(|(t, c)| {
            findings.iter().any(|f| {
                f["target"] == t.as_str() && f["control"] == c.as_str() && f["outcome"] == "fail"
            })
        })
        .collect();
    assert_eq!(xml.matches("<failure ").count(), failing.len());
    assert!(!failing.is_empty());
    assert_eq!(xml.matches("<testsuite ").count(), 2);
    assert!(xml.contains("<testsuite name=\"OldCo Hosting\""));
    // Inconclusive is skipped with its reason, never a pass.
    assert!(xml.contains("<skipped message=\"inconclusive: probe http.headers ended with timeout"));
    // Balanced elements (a cheap well-formedness check).
    assert_eq!(
        xml.matches("<testcase ").count(),
        xml.matches("</testcase>").count()
    );
    assert_eq!(
        xml.matches("<testsuite ").count(),
        xml.matches("</testsuite>").count()
    );
}

fn closed_port_target() -> String {
    format!("127.0.0.1:{}", common::closed_port())
}

#[test]
fn a_run_directory_that_holds_a_run_gets_a_hint_and_q_silences_status_lines_issue_23() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let out_s = out.to_str().unwrap();
    let target = closed_port_target();
    let scan = |extra: &[&str]| {
        let mut args = vec![
            "scan",
            target.as_str(),
            "--probes",
            "latency.tcp",
            "--allow-private",
            "--samples",
            "1",
        ];
        args.extend_from_slice(extra);
        run_in(dir.path(), &args)
    };
    let (code, _, err) = scan(&["--out", out_s, "-q"]);
    assert_eq!(code, 0, "{err}");
    // -q: no status lines (evidence, run database, resolvers), no progress lines.
    for noisy in [
        "evidence:",
        "run database:",
        "DNS:",
        "progress",
        "scan starting",
    ] {
        assert!(!err.contains(noisy), "{noisy} under -q: {err}");
    }
    // Without -q the status lines are there.
    let (code, _, err) = scan(&["--out", dir.path().join("run2").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("evidence:") && err.contains("run database:"),
        "{err}"
    );
    // The same --out again: the hint, not "File exists (os error 17)" twice. The run is
    // complete, so --resume (which refuses a complete run) is not offered.
    let (code, _, err) = scan(&["--out", out_s]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("holds a complete run already"), "{err}");
    assert!(!err.contains("--resume"), "{err}");
    assert!(err.contains("new `--out`"), "{err}");
    assert_eq!(err.matches("os error 17").count(), 0, "{err}");
    // A run without its run-end (killed): --resume completes it, and the hint says so.
    let evidence = out.join("evidence.jsonl");
    let text = std::fs::read_to_string(&evidence).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.last().unwrap().contains("\"run-end\""), "{text}");
    std::fs::write(&evidence, lines[..lines.len() - 1].join("\n") + "\n").unwrap();
    let (code, _, err) = scan(&["--out", out_s]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did not complete"), "{err}");
    assert!(err.contains(&format!("--resume {out_s}")), "{err}");
    assert!(err.contains("new `--out`"), "{err}");
    let (code, _, err) = scan(&["--resume", out_s]);
    assert_eq!(code, 0, "{err}");
}

/// A geolocation database built long ago.
fn stale_database(dir: &Path) -> std::path::PathBuf {
    let networks = vec![kensa_lab::geo::Network {
        prefix: "127.0.0.0/8".into(),
        country: "JP".into(),
        registered_country: "JP".into(),
        city: "Lab".into(),
        lat: 35.0,
        lon: 139.0,
        asn: 64500,
        org: "Lab".into(),
    }];
    let built = std::time::SystemTime::now() - std::time::Duration::from_secs(200 * 86_400);
    let (city, _) = kensa_lab::geo::databases(&networks, built).unwrap();
    let p = dir.join("old-city.mmdb");
    std::fs::write(&p, city).unwrap();
    p
}

#[test]
fn the_old_geolocation_database_warning_only_when_residency_runs_and_names_the_fix_issue_23() {
    let dir = tempfile::tempdir().unwrap();
    let db = stale_database(dir.path());
    let db_s = db.to_str().unwrap();
    let target = closed_port_target();
    let base = [
        "scan",
        target.as_str(),
        "--allow-private",
        "--samples",
        "1",
        "--no-db",
        "--geoip",
        db_s,
    ];
    let mut without = base.to_vec();
    without.extend(["--probes", "latency.tcp", "--out", "a"]);
    let (code, _, err) = run_in(dir.path(), &without);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("geolocation database"), "{err}");
    let mut with = base.to_vec();
    with.extend(["--probes", "latency.tcp,geo.residency", "--out", "b"]);
    let (code, _, err) = run_in(dir.path(), &with);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("old-city.mmdb was built"), "{err}");
    assert!(err.contains("run `kensa geodb update`"), "{err}");
}

#[test]
fn a_server_that_never_answers_is_not_said_to_refuse_every_version_issue_23() {
    let dir = tempfile::tempdir().unwrap();
    // Accepts connections (the kernel's backlog) and never says a word.
    let silent = common::listener();
    let target = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "--json",
            "scan",
            &target,
            "--probes",
            "tls.scan",
            "--allow-private",
            "--no-db",
            "--read-timeout-ms",
            "200",
            "--out",
            "r",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["outcomes"]["timeout"], 1, "{out}");
    let evidence = std::fs::read_to_string(dir.path().join("r/evidence.jsonl")).unwrap();
    assert!(
        !evidence.contains("accepted no SSL/TLS version"),
        "{evidence}"
    );
    assert!(evidence.contains("the server never answered a ClientHello (timeout)"));
}

//! The operator's and researcher's journeys over synthetic runs: `kensa diff` (new failures,
//! fixes, verdict changes, certificates near expiry, addresses newly abroad; exit 1 on a
//! regression), `kensa history` and `kensa compare` (Markdown, CSV, HTML) from the run
//! database.

mod common;
#[path = "common/runs.rs"]
mod runs;

use std::path::{Path, PathBuf};

use kensa::diff::diff_runs;
use kensa::store::Store;
use runs::*;
use serde_json::Value;

const HOSTILE: &str = "<script>alert(1)</script> | *Gamma*, \"Inc\" & [x](y)";

struct Lab {
    _dir: tempfile::TempDir,
    run1: PathBuf,
    run2: PathBuf,
    run3: PathBuf,
    db: PathBuf,
}

/// Three runs a week apart: acme goes modern → legacy → modern; beta's certificate gets
/// close to expiry; gamma (with a hostile name) appears in the third.
fn lab() -> Lab {
    let dir = tempfile::tempdir().unwrap();
    let acme = provider("acme", "Acme Cloud", "JP", "kensa-level-2");
    let beta = provider("beta", "Beta Hosting", "JP", "ncsc-nl-2025");
    let gamma = provider("gamma", HOSTILE, "JP", "kensa-level-1");
    let run1 = write_run(
        dir.path(),
        "run-1",
        "2026-11-01T00:00:00.000000Z",
        &[acme.clone(), beta.clone()],
        &[
            target("acme", "www.acme.test", "modern", |d| {
                set_latency(d, &[900, 1000, 1100]);
            }),
            target("beta", "api.beta.test", "intermediate", |d| {
                set_latency(d, &[2000, 3000]);
                set_days_left(d, 45);
            }),
        ],
    );
    let run2 = write_run(
        dir.path(),
        "run-2",
        "2026-11-08T00:00:00.000000Z",
        &[acme.clone(), beta.clone()],
        &[
            target("acme", "www.acme.test", "legacy", |d| {
                set_latency(d, &[1500, 1600, 1700]);
            }),
            target("beta", "api.beta.test", "intermediate", |d| {
                set_latency(d, &[2000, 3000, 4000]);
                set_days_left(d, 10);
            }),
        ],
    );
    let run3 = write_run(
        dir.path(),
        "run-3",
        "2026-11-15T00:00:00.000000Z",
        &[acme, beta, gamma],
        &[
            target("acme", "www.acme.test", "modern", |d| {
                set_latency(d, &[800, 850, 900, 950]);
            }),
            target("beta", "api.beta.test", "intermediate", |d| {
                set_latency(d, &[2500]);
                set_days_left(d, 3);
            }),
            target("gamma", "g.gamma.test", "fips", |_| {}),
        ],
    );
    let db = dir.path().join("kensa.db");
    let mut st = Store::open(&db).unwrap();
    for r in [&run1, &run2, &run3] {
        st.import_run(r).unwrap();
    }
    Lab {
        _dir: dir,
        run1,
        run2,
        run3,
        db,
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    common::run(args)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn diff_finds_regressions_and_fixes_between_two_runs() {
    let lab = lab();
    let d = diff_runs(&lab.run1, &lab.run2).unwrap();
    assert_eq!((d.old_run.as_str(), d.new_run.as_str()), ("run-1", "run-2"));
    assert!(d.regression && d.regressions());
    let acme = d.providers.iter().find(|p| p.provider == "acme").unwrap();
    let beta = d.providers.iter().find(|p| p.provider == "beta").unwrap();

    // acme: modern → legacy.
    assert_eq!(acme.presence, "both");
    assert_ne!(acme.old_grade, acme.new_grade);
    assert_eq!(acme.new_grade.as_deref(), Some("none"));
    assert!(!acme.new_failures.is_empty());
    for f in &acme.new_failures {
        assert_eq!(f.new.as_deref(), Some("fail"), "{f:?}");
        assert_ne!(f.old.as_deref(), Some("fail"), "{f:?}");
        assert_eq!(f.target, "acme/www.acme.test:443");
        assert!(!f.profiles.is_empty());
    }
    assert!(acme.fixed.is_empty(), "{:?}", acme.fixed);
    let l1 = acme
        .grade_changes
        .iter()
        .find(|g| g.profile == "kensa-level-1")
        .expect("level 1 changed");
    assert_eq!(
        (l1.old.as_deref(), l1.new.as_deref(), l1.worse),
        (Some("pass"), Some("fail"), true)
    );
    let abroad: Vec<(&str, &str)> = acme
        .new_abroad
        .iter()
        .map(|a| (a.role.as_str(), a.address.as_str()))
        .collect();
    assert_eq!(
        abroad,
        [
            ("endpoint", "192.0.2.10"),
            ("name-server ns1.example.test.", "192.0.2.53")
        ]
    );
    assert_eq!(acme.new_abroad[0].old_status.as_deref(), Some("in-country"));
    assert!(acme.regressions());

    // beta: the same posture, but the certificate now expires within 14 days.
    assert!(beta.new_failures.is_empty() && beta.grade_changes.is_empty());
    assert!(beta.new_abroad.is_empty());
    assert_eq!(beta.expiring.len(), 1, "{:?}", beta.expiring);
    let c = &beta.expiring[0];
    assert_eq!(
        (c.days_left, c.window, c.old_window, c.newly),
        (10, 14, None, true)
    );
    assert_eq!(c.subject, "CN=www.example.test");
    assert!(beta.regressions());

    // The other way round: acme's failures are fixed, nothing regresses.
    let back = diff_runs(&lab.run2, &lab.run1).unwrap();
    assert!(!back.regression, "{back:#?}");
    let acme = back
        .providers
        .iter()
        .find(|p| p.provider == "acme")
        .unwrap();
    assert!(!acme.fixed.is_empty());
    assert!(acme.new_failures.is_empty());
    for f in &acme.fixed {
        assert_eq!(f.old.as_deref(), Some("fail"));
        assert!(matches!(f.new.as_deref(), Some("pass" | "not-applicable")));
    }
    assert!(acme.grade_changes.iter().all(|g| !g.worse));
    assert!(acme.new_abroad.is_empty());

    // 10 days → 3 days: into the 7-day window, again a regression; a provider new in the
    // later run is reported as such.
    let d = diff_runs(&lab.run2, &lab.run3).unwrap();
    let beta = d.providers.iter().find(|p| p.provider == "beta").unwrap();
    let c = &beta.expiring[0];
    assert_eq!(
        (c.days_left, c.window, c.old_window, c.newly),
        (3, 7, Some(14), true)
    );
    let gamma = d.providers.iter().find(|p| p.provider == "gamma").unwrap();
    assert_eq!(gamma.presence, "new-only");
}

#[test]
fn the_same_run_twice_has_no_changes() {
    let lab = lab();
    let d = diff_runs(&lab.run1, &lab.run1).unwrap();
    assert!(!d.regression);
    // beta's 45 days are outside every window.
    assert!(d.providers.iter().all(|p| p.unchanged()), "{d:#?}");
}

#[test]
fn kensa_diff_text_json_and_exit_status() {
    let lab = lab();
    let (code, stdout, stderr) = run(&["diff", s(&lab.run1), s(&lab.run2)]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("diff_run1_run2", stdout);

    let (code, stdout, _) = run(&["--json", "diff", s(&lab.run1), s(&lab.run2)]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["regression"], true);
    assert_eq!(v["providers"][0]["provider"], "acme");
    assert_eq!(v["providers"][1]["expiring"][0]["window"], 14);

    let (code, stdout, stderr) = run(&["diff", s(&lab.run2), s(&lab.run1)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.ends_with("no regressions\n"), "{stdout}");

    // A missing run is a usage error naming it.
    let missing = lab.run1.with_file_name("nope");
    let (code, _, stderr) = run(&["diff", s(&missing), s(&lab.run1)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nope"), "{stderr}");
}

#[test]
fn kensa_history_shows_grades_over_time() {
    let lab = lab();
    let (code, stdout, stderr) = run(&["history", "acme", "--db", s(&lab.db)]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("history_acme", stdout);

    let (code, stdout, _) = run(&["--json", "history", "beta", "--db", s(&lab.db)]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["provider"], "beta");
    let runs = v["runs"].as_array().unwrap();
    let ids: Vec<&str> = runs.iter().map(|r| r["run_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["run-1", "run-2", "run-3"]);
    assert_eq!(
        v["profiles"],
        serde_json::json!([
            "kensa-level-1",
            "kensa-level-2",
            "kensa-level-3",
            "ncsc-nl-2025"
        ])
    );
    assert_eq!(
        runs[2]["run_dir"],
        s(&std::path::absolute(&lab.run3).unwrap())
    );

    // KENSA_DB is the default database.
    let o = common::kensa()
        .args(["history", "gamma"])
        .env("KENSA_DB", &lab.db)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("run-3"));

    let (code, _, stderr) = run(&["history", "zeta", "--db", s(&lab.db)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no runs of provider `zeta`"), "{stderr}");
    assert!(stderr.contains("acme, beta, gamma"), "{stderr}");
    assert!(!stderr.contains("did you mean `acme`"), "{stderr}");
    let (code, _, stderr) = run(&["history", "xylophone", "--db", s(&lab.db)]);
    assert_eq!(code, 2);
    assert!(!stderr.contains("did you mean"), "{stderr}");
    // A misspelt provider gets a did-you-mean (issue 23), in history and compare.
    let (code, _, stderr) = run(&["history", "acem", "--db", s(&lab.db)]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no runs of provider `acem` (did you mean `acme`?)"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["compare", "--provider", "bta", "--db", s(&lab.db)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("(did you mean `beta`?)"), "{stderr}");

    let (code, _, stderr) = run(&["history", "acme", "--db", s(&lab.db.with_file_name("x.db"))]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no run database"), "{stderr}");
    assert!(!lab.db.with_file_name("x.db").exists());
}

#[test]
fn kensa_compare_markdown_and_csv() {
    let lab = lab();
    let (code, md, stderr) = run(&["compare", "--db", s(&lab.db), "--format", "md"]);
    assert_eq!(code, 0, "{stderr}");
    // The hostile name is escaped for Markdown.
    assert!(!md.contains("<script>"), "{md}");
    insta::assert_snapshot!("compare_md", md);

    let (code, csv, stderr) = run(&["compare", "--db", s(&lab.db), "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(csv.lines().count() == 4 && csv.ends_with("\r\n"));
    insta::assert_snapshot!("compare_csv", csv);

    // Python's csv module reads it back: a header and three rows of the same width, the
    // hostile name intact.
    // The project's rule for outside tools: missing under CI fails the test.
    if kensa_probe::testing::tool_available("python3", &["--version"]) {
        let file = lab.db.with_file_name("compare.csv");
        let (code, _, _) = run(&[
            "compare",
            "--db",
            s(&lab.db),
            "--format",
            "csv",
            "-o",
            s(&file),
        ]);
        assert_eq!(code, 0);
        let script = "import csv, json, sys\n\
                      rows = list(csv.reader(open(sys.argv[1], newline='')))\n\
                      print(json.dumps(rows))";
        let o = std::process::Command::new("python3")
            .args(["-c", script, s(&file)])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let rows: Vec<Vec<String>> = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|r| r.len() == rows[0].len()));
        assert_eq!(rows[0][0], "provider");
        assert_eq!(rows[3][1], HOSTILE);
        let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
        assert_eq!(rows[1][col("median_connect_ms")], "0.850");
        assert_eq!(rows[2][col("cert_days_left")], "3");
        assert_eq!(rows[1][col("pq_selected")], "1");
    }

    // Only the providers asked for; an unknown one is an error.
    let (code, md, _) = run(&[
        "compare",
        "--db",
        s(&lab.db),
        "--provider",
        "beta",
        "--format",
        "md",
    ]);
    assert_eq!(code, 0);
    assert!(md.contains("| beta |") && !md.contains("| acme |"), "{md}");
    let (code, _, stderr) = run(&["compare", "--db", s(&lab.db), "--provider", "zeta"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("zeta"), "{stderr}");
}

#[test]
fn kensa_compare_html_is_self_contained_escaped_and_sortable() {
    let lab = lab();
    let file = lab.db.with_file_name("compare.html");
    let (code, stdout, stderr) = run(&[
        "compare",
        "--db",
        s(&lab.db),
        "--format",
        "html",
        "-o",
        s(&file),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let html = std::fs::read_to_string(&file).unwrap();
    // Exactly one script element: the page's own, allowed by its hash in the CSP.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    let script = html
        .split("<script>")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    let hash = {
        use base64::Engine as _;
        let d = ring::digest::digest(&ring::digest::SHA256, script.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(d.as_ref())
    };
    let csp = html
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&#39;", "'");
    assert!(csp.starts_with("default-src 'none'; "), "{csp}");
    assert!(
        csp.contains(&format!("script-src 'sha256-{hash}';")),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    // The hostile name is text; no external reference of any kind.
    assert!(
        html.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; | *Gamma*, &quot;Inc&quot; &amp; [x](y)"
        )
    );
    for external in ["src=", "href=", "http://", "https://", "@import", "url("] {
        let hits: Vec<&str> = html
            .match_indices(external)
            .map(|(i, _)| &html[i.saturating_sub(20)..(i + 40).min(html.len())])
            .filter(|ctx| !ctx.contains("http://www.w3.org/2000/svg"))
            .collect();
        assert!(hits.is_empty(), "{external}: {hits:?}");
    }
    // A row per provider; three charts with a bar per provider that has the value.
    assert_eq!(html.matches("<tr>").count(), 4);
    assert_eq!(html.matches("<svg").count(), 3);
    // Charts print whole units and two decimals below 10 ms (issue 23: not `0.000 %`).
    assert!(html.contains("<title>acme: 0.85 ms</title>"), "{html}");
    assert!(
        !html.contains(".000 %") && !html.contains(".000 days"),
        "{html}"
    );
    assert!(html.contains("aria-sort") && html.contains("data-v=\"0.85\""));
}

/// Issue 23 (b): a fix shows the value now in force, not the old failing one.
#[test]
fn a_fix_shows_the_new_value() {
    let lab = lab();
    let broke = diff_runs(&lab.run1, &lab.run2).unwrap();
    let mended = diff_runs(&lab.run2, &lab.run3).unwrap();
    let acme = |d: &kensa::diff::RunDiff| {
        d.providers
            .iter()
            .find(|p| p.provider == "acme")
            .unwrap()
            .clone()
    };
    let (broke, mended) = (acme(&broke), acme(&mended));
    assert!(!mended.fixed.is_empty());
    let mut compared = 0;
    for fix in &mended.fixed {
        assert!(
            matches!(fix.new.as_deref(), Some("pass" | "not-applicable")),
            "{fix:?}"
        );
        // The same control's failure (run 1 -> run 2) showed the failing value; its fix
        // shows another: the new one.
        if let Some(failure) = broke
            .new_failures
            .iter()
            .find(|f| f.control == fix.control && !f.detail.is_empty() && !f.detail.contains("..."))
        {
            assert_ne!(fix.detail, failure.detail, "{fix:?}");
            compared += 1;
        }
    }
    assert!(compared > 0, "{mended:#?}");
}

/// A target whose every probe timed out: an outage.
fn outage(provider: &str, host: &str) -> T {
    target(provider, host, "legacy", |d| {
        for (_, p) in d["probes"].as_object_mut().unwrap() {
            p["outcome"] = "timeout".into();
            p["observation"] = Value::Null;
        }
    })
}

/// Issue 23 (c), (d), (e): after an outage, a failure never decided before is not a
/// regression (`grade inconclusive -> …` used to read REGRESSION); with the runs before the
/// outage, each control is compared with the last run that decided it, so long-standing
/// failures are not new; "was unreachable" is said once; the same run twice, or the newer run
/// first, gets a warning.
#[test]
fn after_an_outage_controls_are_compared_with_the_last_run_that_decided_them() {
    let dir = tempfile::tempdir().unwrap();
    let acme = provider("acme", "Acme Cloud", "JP", "kensa-level-2");
    let before = write_run(
        dir.path(),
        "before",
        "2026-11-01T00:00:00.000000Z",
        std::slice::from_ref(&acme),
        &[target("acme", "www.acme.test", "legacy", |_| {})],
    );
    let down = write_run(
        dir.path(),
        "down",
        "2026-11-08T00:00:00.000000Z",
        std::slice::from_ref(&acme),
        &[outage("acme", "www.acme.test")],
    );
    let back = write_run(
        dir.path(),
        "back",
        "2026-11-15T00:00:00.000000Z",
        std::slice::from_ref(&acme),
        &[target("acme", "www.acme.test", "legacy", |_| {})],
    );
    let load = |p: &Path| kensa::assess::doc::load(p).unwrap();

    // Only the outage to compare with: the failures are decided now, not new.
    let d = diff_runs(&down, &back).unwrap();
    let p = &d.providers[0];
    assert!(p.old_unreachable, "{p:#?}");
    assert_eq!(p.old_grade.as_deref(), Some("inconclusive"));
    assert!(p.new_failures.is_empty(), "{:#?}", p.new_failures);
    assert!(!p.decided_now.is_empty());
    assert!(!d.regression, "{d:#?}");
    let (code, text, stderr) = run(&["diff", s(&down), s(&back)]);
    assert_eq!(code, 0, "{text}{stderr}");
    assert!(!text.contains("REGRESSION"), "{text}");
    assert_eq!(text.matches("was unreachable").count(), 1, "{text}");
    assert!(
        text.contains("never decided before (not a regression)"),
        "{text}"
    );

    // With the run before the outage: every failure was already failing there.
    let d = kensa::diff::diff_with_history(&load(&down), &load(&back), &[load(&before)]).unwrap();
    let p = &d.providers[0];
    assert!(p.old_unreachable);
    assert!(p.new_failures.is_empty(), "{:#?}", p.new_failures);
    assert!(p.decided_now.is_empty(), "{:#?}", p.decided_now);
    assert!(!d.regression);

    // A control that passed before the outage and fails after it is a regression, compared
    // with the run that decided it.
    let modern = write_run(
        dir.path(),
        "modern",
        "2026-10-25T00:00:00.000000Z",
        std::slice::from_ref(&acme),
        &[target("acme", "www.acme.test", "modern", |_| {})],
    );
    let d = kensa::diff::diff_with_history(&load(&down), &load(&back), &[load(&modern)]).unwrap();
    let p = &d.providers[0];
    assert!(!p.new_failures.is_empty());
    for f in &p.new_failures {
        assert_eq!(f.decided_in.as_deref(), Some("modern"), "{f:?}");
        assert_ne!(f.old.as_deref(), Some("inconclusive"), "{f:?}");
    }
    assert!(d.regression);

    // (e) The same run twice, and the newer run first, are warned about.
    let (_, text, stderr) = run(&["diff", s(&back), s(&back)]);
    assert!(text.contains("warning: both sides are run back"), "{text}");
    assert!(stderr.contains("both sides are run back"), "{stderr}");
    let (_, text, _) = run(&["diff", s(&back), s(&before)]);
    assert!(
        text.contains("warning: the runs are in the wrong order: back (started 2026-11-15"),
        "{text}"
    );
    let (_, text, _) = run(&["--json", "diff", s(&before), s(&back)]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v.get("warnings").is_none(), "{v}");
}

/// Issue 21: two runs of the run database are compared by the assessments recorded at
/// import (no grading again): the same diff as of the run directories, over the lab and
/// over two synthetic runs of 60 targets; and a finding altered in the database shows in the
/// diff of the stored runs (so it is the stored one that is read), not in that of the
/// directories.
#[test]
fn stored_runs_are_diffed_by_their_stored_assessment_issue_21() {
    let lab = lab();
    let without_paths = |mut v: Value| {
        v["old_evidence"] = Value::Null;
        v["new_evidence"] = Value::Null;
        v
    };
    let store = Store::open_existing(&lab.db).unwrap();
    for (a, b, ra, rb) in [
        ("run-1", "run-2", &lab.run1, &lab.run2),
        ("run-2", "run-3", &lab.run2, &lab.run3),
        ("run-2", "run-1", &lab.run2, &lab.run1),
    ] {
        let stored = kensa::diff::diff_stored(&store, a, b).unwrap();
        let dirs = diff_runs(ra, rb).unwrap();
        assert_eq!(
            without_paths(serde_json::to_value(&stored).unwrap()),
            without_paths(serde_json::to_value(&dirs).unwrap()),
            "{a} -> {b}"
        );
    }
    // The CLI takes run ids from --db.
    let (code, stdout, stderr) = run(&["--json", "diff", "--db", s(&lab.db), "run-1", "run-2"]);
    assert_eq!(code, 1, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        without_paths(v),
        without_paths(serde_json::to_value(diff_runs(&lab.run1, &lab.run2).unwrap()).unwrap())
    );
    // Two synthetic runs (every fixture posture, several providers).
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("synth.db");
    let mut st = Store::open(&db).unwrap();
    let mut dirs = Vec::new();
    for seed in [1, 2] {
        // Six providers: several `applies_for` profiles, whose order the diff keeps.
        let mut spec = kensa::assess::synth::SynthSpec::new(60, 6);
        spec.seed = seed;
        spec.run_id = format!("synth-{seed}");
        let d = dir.path().join(format!("run-{seed}"));
        kensa::assess::synth::write_run(&d, &spec).unwrap();
        st.import_run(&d).unwrap();
        dirs.push(d);
    }
    drop(st);
    let store = Store::open_existing(&db).unwrap();
    let stored = kensa::diff::diff_stored(&store, "synth-1", "synth-2").unwrap();
    let from_dirs = diff_runs(&dirs[0], &dirs[1]).unwrap();
    assert!(
        stored.providers.iter().any(|p| !p.unchanged()),
        "the synthetic runs differ"
    );
    assert_eq!(
        without_paths(serde_json::to_value(&stored).unwrap()),
        without_paths(serde_json::to_value(&from_dirs).unwrap())
    );
    drop(store);
    // Alter one stored pass of run-2 into a failure: only the stored diff sees it.
    let conn = rusqlite::Connection::open(&lab.db).unwrap();
    let (provider, target, control): (String, String, String) = conn
        .query_row(
            "SELECT provider, target, control FROM findings n WHERE run_id = 'run-2'
             AND outcome = 'pass' AND NOT EXISTS (SELECT 1 FROM findings o
               WHERE o.run_id = 'run-2' AND o.target = n.target AND o.control = n.control
               AND o.outcome <> 'pass') LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    conn.execute(
        "UPDATE findings SET outcome = 'fail' WHERE run_id = 'run-2' AND target = ?1
         AND control = ?2",
        [&target, &control],
    )
    .unwrap();
    drop(conn);
    let store = Store::open_existing(&lab.db).unwrap();
    let stored = kensa::diff::diff_stored(&store, "run-1", "run-2").unwrap();
    let p = stored
        .providers
        .iter()
        .find(|p| p.provider == provider)
        .unwrap();
    assert!(
        p.new_failures
            .iter()
            .chain(&p.decided_now)
            .any(|c| c.control == control && c.target == target),
        "{control} on {target} altered to fail in the store: {p:?}"
    );
    let dirs = diff_runs(&lab.run1, &lab.run2).unwrap();
    let p = dirs
        .providers
        .iter()
        .find(|p| p.provider == provider)
        .unwrap();
    assert!(
        !p.new_failures
            .iter()
            .chain(&p.decided_now)
            .any(|c| c.control == control && c.target == target)
    );
}

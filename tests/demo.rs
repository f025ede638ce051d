//! `kensa demo` end to end: the lab starts on loopback, is scanned through `kensa scan`'s own
//! path, assessed with every built-in profile and reported. The summary is a snapshot; the
//! evidence behind each sample provider's posture is checked directly.

mod common;

use serde_json::Value;

/// The lab's servers listen on a fixed port (so target ids join across demo runs): one demo
/// at a time in this binary.
static LAB: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn records(run: &std::path::Path) -> Vec<Value> {
    common::evidence(run)
}

fn observation<'a>(ev: &'a [Value], probe: &str, target_prefix: &str) -> &'a Value {
    ev.iter()
        .find(|r| {
            r["probe"] == probe
                && r["target"]["id"]
                    .as_str()
                    .is_some_and(|t| t.starts_with(target_prefix))
        })
        .map(|r| &r["observation"])
        .unwrap_or_else(|| panic!("no {probe} record for {target_prefix}"))
}

#[test]
fn demo_scans_assesses_and_reports_the_lab() {
    let _one = LAB
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let db = dir.path().join("kensa.db");
    let o = common::kensa()
        .args(["demo", "--out"])
        .arg(&out)
        .env("KENSA_DB", &db)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{stderr}");

    // The summary, with the temporary directory replaced; the run went into $KENSA_DB.
    assert!(
        stdout.contains(&format!("database:  {}", db.display())),
        "{stdout}"
    );
    let text = stdout
        .replace(&db.display().to_string(), "DB")
        .replace(&out.display().to_string(), "DEMO");
    insta::assert_snapshot!(text);

    // The run verifies, and the report was written.
    let (code, verify, _) = common::run(&["verify", out.join("run").to_str().unwrap()]);
    assert_eq!(code, 0, "{verify}");
    assert!(out.join("report.html").is_file());

    let ev = records(&out.join("run"));
    // sora: post-quantum hybrid first in TLS 1.3, a fresh OCSP staple valid by the issuer,
    // DNSSEC secure through the signed parent, CAA permitting the lab CA.
    let tls = observation(&ev, "tls.scan", "sora/www.sora.test");
    assert_eq!(
        tls["groups"]["tls13"][0], "X25519MLKEM768",
        "{}",
        tls["groups"]
    );
    assert_eq!(tls["groups"]["tls13_preferred"], "X25519MLKEM768");
    let x = observation(&ev, "x509.chain", "sora/www.sora.test");
    assert_eq!(x["chains"][0]["ocsp"]["signature"], "valid-by-issuer");
    assert_eq!(x["chains"][0]["ocsp"]["fresh"], true);
    assert_eq!(x["caa"]["permitted"], true, "{}", x["caa"]);
    let dns = observation(&ev, "dns.resolve", "sora/www.sora.test");
    assert_eq!(dns["dnssec"]["state"], "secure", "{}", dns["dnssec"]);
    // kawa: TLS 1.2 only, unsigned zone proven insecure.
    let tls = observation(&ev, "tls.scan", "kawa/");
    let accepted: Vec<&str> = tls["protocols"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["accepted"] == true)
        .filter_map(|p| p["version"].as_str())
        .collect();
    assert_eq!(accepted, ["TLSv1.2"]);
    let dns = observation(&ev, "dns.resolve", "kawa/");
    assert_eq!(dns["dnssec"]["state"], "insecure");
    // hoshi: expired, and for another name, in every store.
    let x = observation(&ev, "x509.chain", "hoshi/");
    let lab = x["chains"][0]["trust"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["store"] == "lab")
        .unwrap();
    assert_eq!(
        lab["reasons"],
        serde_json::json!(["expired", "hostname-mismatch"])
    );
    // umi: the database places it in the US, while the connect time from the (Tokyo) vantage
    // allows only Japan: the sources conflict, and say which.
    let geo = observation(&ev, "geo.residency", "umi/");
    let a = &geo["residency"]["addresses"][0];
    assert_eq!(a["status"], "conflicting", "{a}");
    assert_eq!(a["rule"], "db-vs-physics", "{a}");
    assert_eq!(a["other_countries"], serde_json::json!(["US"]));
    assert!(
        a["disagreeing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "db:lab-city.mmdb"),
        "{a}"
    );
    // tsuki: its signed declaration contradicts the evidence in three ways (an undeclared
    // country, CA and CDN) and agrees in the rest.
    let run = kensa::assess::doc::load(&out.join("run")).unwrap();
    let profile = kensa::assess::profile::Library::builtin()
        .unwrap()
        .builtin_profile("kensa-declaration")
        .unwrap();
    let t = run.targets.iter().find(|t| t.provider == "tsuki").unwrap();
    let findings = kensa::assess::grade::judge_target(&profile, t).findings;
    let result = |id: &str| {
        let f = findings.iter().find(|f| f.control == id).unwrap();
        (
            f.result.as_str(),
            serde_json::to_string(&f.evidence).unwrap(),
        )
    };
    let (r, e) = result("DECL-LOC-001");
    assert_eq!(r, "fail", "{e}");
    assert!(e.contains("[\"SG\"]"), "{e}");
    let (r, e) = result("DECL-CA-001");
    assert_eq!(r, "fail", "{e}");
    assert!(e.contains("[\"kensa Lab\"]"), "{e}");
    let (r, e) = result("DECL-CDN-001");
    assert_eq!(r, "fail", "{e}");
    assert!(e.contains("[\"CDN77\"]"), "{e}");
    for id in [
        "DECL-DNS-001",
        "DECL-NET-001",
        "DECL-VEND-001",
        "DECL-NAME-001",
        "DECL-SIG-001",
        "DECL-OWN-001",
        "DECL-OWN-002",
        "DECL-STAFF-001",
    ] {
        assert_eq!(result(id).0, "pass", "{id}: {}", result(id).1);
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<section id=\"declared\">"));
    // sora: the provider's geofeed, the database and physics agree.
    let geo = observation(&ev, "geo.residency", "sora/www");
    let a = &geo["residency"]["addresses"][0];
    assert_eq!(
        (&a["status"], &a["strength"]),
        (
            &serde_json::json!("in-country"),
            &serde_json::json!("verified")
        ),
        "{a}"
    );
}

/// Issue 23's must-show: two demos into one database (`--db`, or `$KENSA_DB`) build a
/// history, and `kensa diff` of the two runs shows no regression: the lab's target ids carry
/// a fixed port, so they join, and its re-issued certificates continue the old ones.
#[test]
fn two_demos_into_one_database_diff_without_regression() {
    let _one = LAB
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let mut runs = Vec::new();
    for (i, by_env) in [(1, true), (2, false)] {
        let out = dir.path().join(format!("demo-{i}"));
        let mut c = common::kensa();
        c.args(["--json", "demo", "--out"]).arg(&out);
        if by_env {
            c.env("KENSA_DB", &db);
        } else {
            c.arg("--db").arg(&db);
        }
        let o = c.output().unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(0), "{stderr}");
        assert!(!stderr.contains("is taken"), "{stderr}");
        let v: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["database"], db.display().to_string());
        runs.push(v["run_id"].as_str().unwrap().to_owned());
    }
    let dbs = db.to_str().unwrap();
    let (code, text, stderr) = common::run(&["diff", &runs[0], &runs[1], "--db", dbs]);
    assert_eq!(code, 0, "{text}{stderr}");
    assert!(!text.contains("REGRESSION"), "{text}");
    assert!(!text.contains("new failure"), "{text}");
    assert!(text.ends_with("no regressions\n"), "{text}");
    assert!(!text.contains("warning:"), "{text}");
    for provider in ["sora", "kawa", "hoshi", "umi", "tsuki"] {
        let (code, hist, stderr) = common::run(&["history", provider, "--db", dbs]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            hist.starts_with(&format!("provider {provider}: 2 runs\n")),
            "{hist}"
        );
    }
}

/// Issue 23: a `--db` that is not a run database is refused at once (exit 2, naming it),
/// before the lab starts or anything is scanned — it used to be refused after the scan.
#[test]
fn a_database_that_cannot_be_used_is_refused_before_the_lab_starts() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, "not a database").unwrap();
    let out = dir.path().join("demo");
    let o = common::kensa()
        .args(["demo", "--out"])
        .arg(&out)
        .arg("--db")
        .arg(&bad)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("run database"), "{stderr}");
    assert!(stderr.contains(&bad.display().to_string()), "{stderr}");
    assert!(!stderr.contains("starting the lab"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(std::fs::read(&bad).unwrap(), b"not a database");
}

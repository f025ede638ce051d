//! The judging side: every control against the evidence fixtures of `fixtures/assess/` (one
//! insta snapshot per control; each must pass on one, fail on one and be inconclusive on one),
//! the SSL Labs grade against the rating guide's worked cases, profile verdicts and the kensa
//! grade, profile-file errors, the committed control reference, and `kensa assess` end to end
//! over a real scan of a local `openssl s_server`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kensa::assess::doc::{self, TargetDoc};
use kensa::assess::eval::{Bindings, Outcome, evaluate};
use kensa::assess::grade::{judge_provider, judge_target};
use kensa::assess::profile::{Library, Profile};
use serde_json::{Value, json};

const FIXTURES: &[&str] = &[
    "modern",
    "intermediate",
    "fips",
    "legacy",
    "sslv3-only",
    "tls-timeout",
    "no-probes",
    "partial",
];

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/assess")
}

fn fixture_value(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_dir().join(format!("{name}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn fixture(name: &str) -> TargetDoc {
    doc::from_value(fixture_value(name))
}

fn lib() -> Library {
    Library::builtin().unwrap()
}

/// The first built-in profile that uses each control: its parameters are the ones the
/// control is evaluated with here.
fn home_profiles(lib: &Library) -> BTreeMap<String, Profile> {
    let mut m = BTreeMap::new();
    for p in lib.builtin_profiles().unwrap() {
        for c in &p.controls {
            m.entry(c.id.clone()).or_insert_with(|| p.clone());
        }
    }
    m
}

#[test]
fn every_builtin_profile_and_control_loads() {
    let lib = lib();
    let profiles = lib.builtin_profiles().unwrap();
    assert_eq!(profiles.len(), 12);
    let homes = home_profiles(&lib);
    for id in lib.controls().keys() {
        assert!(
            homes.contains_key(id),
            "control {id} is in no built-in profile"
        );
    }
}

#[test]
fn each_control_passes_fails_and_is_inconclusive_on_the_fixtures() {
    let lib = lib();
    let homes = home_profiles(&lib);
    let docs: Vec<(&str, TargetDoc)> = FIXTURES.iter().map(|n| (*n, fixture(n))).collect();
    let mut missing = Vec::new();
    for (id, profile) in &homes {
        let control = profile.controls.iter().find(|c| &c.id == id).unwrap();
        let mut seen = BTreeMap::new();
        let mut listing = vec![format!(
            "{id} (params of {}): {}\nrule: {}",
            profile.id, control.title, control.rule
        )];
        for (name, d) in &docs {
            let b = Bindings::new(d, &profile.params);
            let f = evaluate(control, d, &b);
            *seen.entry(f.result).or_insert(0) += 1;
            // Missing or failed evidence is never a pass.
            if kensa::assess::eval::gate(&control.needs, d).is_some() {
                assert_eq!(f.result, Outcome::Inconclusive, "{id} on {name}");
            }
            let mut line = format!("{name:<13} {}", f.result.as_str());
            if let Some(r) = &f.reason {
                line.push_str(&format!("  ({r})"));
            }
            if f.result == Outcome::Fail {
                for e in &f.evidence {
                    let v = e.value.to_string();
                    let v: String = v.chars().take(200).collect();
                    line.push_str(&format!("\n    {} = {v}", e.expr));
                }
            }
            let recs: Vec<String> = f
                .records
                .iter()
                .map(|r| format!("{}#{}", r.probe, r.seq))
                .collect();
            if !recs.is_empty() {
                line.push_str(&format!("\n    records: {}", recs.join(", ")));
            }
            listing.push(line);
        }
        for o in [Outcome::Pass, Outcome::Fail, Outcome::Inconclusive] {
            if !seen.contains_key(&o) {
                missing.push(format!("{id}: no {} case", o.as_str()));
            }
        }
        insta::assert_snapshot!(format!("control_{id}"), listing.join("\n"));
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn a_rule_that_errors_is_inconclusive_with_the_error() {
    let lib = lib();
    let p = lib.builtin_profile("kensa-level-1").unwrap();
    let c = p.controls.iter().find(|c| c.id == "TLS-VULN-001").unwrap();
    let d = fixture("partial");
    let f = evaluate(c, &d, &Bindings::new(&d, &p.params));
    assert_eq!(f.result, Outcome::Inconclusive);
    let reason = f.reason.unwrap();
    assert!(reason.contains("could not be evaluated"), "{reason}");
    assert!(reason.contains("checks"), "{reason}");
}

fn verdict(profile: &str, fixture_name: &str) -> (String, Option<String>) {
    let p = lib().builtin_profile(profile).unwrap();
    let d = fixture(fixture_name);
    let v = judge_provider(&p, &[&d]);
    (v.verdict, v.detail)
}

#[test]
fn profile_verdicts_on_the_fixtures() {
    let mut table = Vec::new();
    let profiles: Vec<String> = lib()
        .builtin_profiles()
        .unwrap()
        .iter()
        .map(|p| p.id.clone())
        .collect();
    for f in FIXTURES {
        for p in &profiles {
            let (v, detail) = verdict(p, f);
            table.push(format!(
                "{f:<13} {p:<21} {v}{}",
                detail.map(|d| format!(" ({d})")).unwrap_or_default()
            ));
        }
    }
    insta::assert_snapshot!("profile_verdicts", table.join("\n"));
    assert_eq!(verdict("kensa-level-3", "modern").0, "pass");
    assert_eq!(verdict("kensa-level-1", "legacy").0, "fail");
    assert_eq!(verdict("kensa-level-1", "no-probes").0, "inconclusive");
    assert_eq!(verdict("ncsc-nl-2025", "modern").0, "good");
    assert_eq!(verdict("ncsc-nl-2025", "legacy").0, "insufficient");
    assert_eq!(verdict("ssl-labs", "modern").0, "A+");
    assert_eq!(verdict("ssl-labs", "legacy").0, "T");
}

#[test]
fn kensa_grade_is_the_highest_level_passed() {
    let lib = lib();
    let levels: Vec<Profile> = kensa::assess::profile::KENSA_LEVELS
        .iter()
        .map(|l| lib.builtin_profile(l).unwrap())
        .collect();
    let grade = |f: &str| {
        let d = fixture(f);
        let vs: Vec<_> = levels.iter().map(|p| judge_provider(p, &[&d])).collect();
        kensa::assess::grade::kensa_grade(&vs).unwrap()
    };
    assert_eq!(grade("modern"), "kensa-level-3");
    assert_eq!(grade("intermediate"), "kensa-level-1");
    assert_eq!(grade("legacy"), "none");
    assert_eq!(grade("no-probes"), "inconclusive");
}

// ------------------------------------------------------------------ SSL Labs worked cases

/// The SSL Labs letter of the `intermediate` fixture (A+: TLS 1.2 + 1.3, ECDHE AEAD,
/// RSA-2048, HSTS one year) after `edit`.
fn ssl_labs(edit: impl FnOnce(&mut Value)) -> (String, Option<String>, Option<f64>) {
    let mut v = fixture_value("intermediate");
    edit(&mut v);
    let d = doc::from_value(v);
    let p = lib().builtin_profile("ssl-labs").unwrap();
    let t = judge_target(&p, &d);
    (t.verdict, t.detail, t.scores.and_then(|s| s.total))
}

fn accept(v: &mut Value, version: &str) {
    for p in v["probes"]["tls.scan"]["observation"]["protocols"]
        .as_array_mut()
        .unwrap()
    {
        if p["version"] == version {
            p["accepted"] = json!(true);
        }
    }
}

fn refuse(v: &mut Value, version: &str) {
    for p in v["probes"]["tls.scan"]["observation"]["protocols"]
        .as_array_mut()
        .unwrap()
    {
        if p["version"] == version {
            p["accepted"] = json!(false);
        }
    }
    v["probes"]["tls.scan"]["observation"]["cipher_suites"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["version"] != version);
}

/// Add a TLS ≤ 1.2 version with the suites of the `legacy` fixture's TLS 1.2 entry.
fn add_suites(v: &mut Value, version: &str, suites: &[&str]) {
    let legacy = fixture_value("legacy");
    let mut all: Vec<Value> = Vec::new();
    for vs in legacy["probes"]["tls.scan"]["observation"]["cipher_suites"]
        .as_array()
        .unwrap()
    {
        for s in vs["accepted"].as_array().unwrap() {
            all.push(s.clone());
        }
    }
    let picked: Vec<Value> = suites
        .iter()
        .map(|n| all.iter().find(|s| s["suite"] == *n).unwrap().clone())
        .collect();
    let list = v["probes"]["tls.scan"]["observation"]["cipher_suites"]
        .as_array_mut()
        .unwrap();
    match list.iter_mut().find(|e| e["version"] == version) {
        Some(e) => e["accepted"].as_array_mut().unwrap().extend(picked),
        None => list.push(json!({"version": version, "server_order": false, "accepted": picked})),
    }
}

#[test]
fn ssl_labs_worked_cases() {
    // Baseline: 30 + 27 + 36 = 93 → A, and A+ with HSTS and no warnings.
    let (g, _, total) = ssl_labs(|_| {});
    assert_eq!((g.as_str(), total), ("A+", Some(93.0)));
    // HSTS missing: A (no A+).
    let (g, ..) =
        ssl_labs(|v| v["probes"]["http.headers"]["observation"]["response"]["hsts"] = Value::Null);
    assert_eq!(g, "A");
    // TLS 1.3 not supported: a warning since 2009r → A-.
    let (g, ..) = ssl_labs(|v| refuse(v, "TLSv1.3"));
    assert_eq!(g, "A-");
    // TLS 1.0 offered: capped at B (2020).
    let (g, _, total) = ssl_labs(|v| {
        accept(v, "TLSv1.0");
        add_suites(v, "TLSv1.0", &["TLS_RSA_WITH_AES_128_CBC_SHA"]);
    });
    assert_eq!(g, "B");
    assert_eq!(total, Some(91.5)); // protocol (100 + 90) / 2 = 95
    // No TLS 1.2 (TLS 1.0 and 1.1 only): capped at C (2015).
    let (g, ..) = ssl_labs(|v| {
        refuse(v, "TLSv1.3");
        refuse(v, "TLSv1.2");
        accept(v, "TLSv1.0");
        accept(v, "TLSv1.1");
        add_suites(v, "TLSv1.1", &["TLS_DHE_RSA_WITH_AES_128_CBC_SHA"]);
        add_suites(v, "TLSv1.0", &["TLS_DHE_RSA_WITH_AES_128_CBC_SHA"]);
    });
    assert_eq!(g, "C");
    // SSL 2.0 offered: F.
    let (g, ..) = ssl_labs(|v| accept(v, "SSLv2"));
    assert_eq!(g, "F");
    // 3DES with TLS 1.2 (SWEET32): C (2017).
    let (g, ..) = ssl_labs(|v| add_suites(v, "TLSv1.2", &["TLS_RSA_WITH_3DES_EDE_CBC_SHA"]));
    assert_eq!(g, "C");
    // RC4 with TLS 1.2: C.
    let (g, ..) = ssl_labs(|v| add_suites(v, "TLSv1.2", &["TLS_RSA_WITH_RC4_128_SHA"]));
    assert_eq!(g, "C");
    // RSA-1024 server key: key exchange 80, capped at B.
    let (g, _, total) = ssl_labs(|v| {
        v["probes"]["x509.chain"]["observation"]["chains"][0]["certificates"][0]["details"]["public_key"]
            ["bits"] = json!(1024)
    });
    assert_eq!((g.as_str(), total), ("B", Some(90.0)));
    // Untrusted chain: T (with the grade it would have).
    let (g, detail, _) = ssl_labs(|v| {
        v["probes"]["x509.chain"]["observation"]["chains"][0]["trust"][0]["reasons"] =
            json!(["unknown-issuer"])
    });
    assert_eq!(g, "T");
    assert_eq!(detail.as_deref(), Some("A+ if trust issues are ignored"));
    // Expired certificate: T.
    let (g, ..) = ssl_labs(|v| {
        v["probes"]["x509.chain"]["observation"]["chains"][0]["trust"][0]["reasons"] =
            json!(["expired"])
    });
    assert_eq!(g, "T");
    // Name mismatch: M.
    let (g, ..) = ssl_labs(|v| {
        v["probes"]["x509.chain"]["observation"]["chains"][0]["hostname"]["matched"] = json!(false)
    });
    assert_eq!(g, "M");
    // Heartbleed: F.
    let (g, ..) = ssl_labs(|v| {
        v["probes"]["tls.scan"]["observation"]["checks"]["heartbleed"]["result"] =
            json!("vulnerable")
    });
    assert_eq!(g, "F");
    // Missing evidence: never a letter.
    let p = lib().builtin_profile("ssl-labs").unwrap();
    let t = judge_target(&p, &fixture("no-probes"));
    assert_eq!(t.verdict, "inconclusive");
}

// ------------------------------------------------------------------ profile files

fn load_text(text: &str) -> Result<Profile, String> {
    lib()
        .parse("my.toml", text, "my.toml", 0)
        .map_err(|e| e.to_string())
}

#[test]
fn an_evaluators_own_profile_file() {
    let text = r#"
id = "agency-web"
version = "2026.1"
title = "Agency web baseline"
description = "Level 1 plus our own rule."
grading = "pass-fail"
extends = ["kensa-level-1"]
controls = ["TLS-PROTO-010"]
[params]
trust_stores = ["mozilla"]
min_hsts_days = 365
[[control]]
id = "AGENCY-HSTS-001"
title = "HSTS of at least a year"
severity = "medium"
needs = ["http.headers"]
rule = "http.response.hsts != null && http.response.hsts.max_age_s >= params.min_hsts_days * 86400"
evidence = ["http.response.hsts.max_age_s"]
clause = { standard = "Agency policy", section = "4.2" }
rationale = "Our policy."
"#;
    let p = load_text(text).unwrap();
    assert_eq!(p.controls.len(), 16);
    let modern = fixture("modern");
    let legacy = fixture("legacy");
    assert_eq!(judge_provider(&p, &[&modern]).verdict, "pass");
    assert_eq!(judge_provider(&p, &[&legacy]).verdict, "fail");
}

#[test]
fn profile_file_errors_name_file_line_and_column() {
    let head = "id = \"x\"\nversion = \"1\"\ntitle = \"t\"\ndescription = \"d\"\ngrading = \"pass-fail\"\n";
    let cases = [
        (
            format!("{head}controls = [\"NO-SUCH-001\"]\n"),
            "my.toml:6:13: unknown control \"NO-SUCH-001\"",
        ),
        (
            format!("{head}grading = \"pass-fail\"\n"),
            "my.toml:6:1: duplicate key",
        ),
        (
            format!("{head}colour = 1\n"),
            "my.toml:6:1: unknown field `colour`",
        ),
        (
            format!(
                "{head}[[control]]\nid = \"X-001\"\ntitle = \"t\"\nseverity = \"low\"\nneeds = [\"tls.scan\"]\nrule = \"tls.protocols.exists(p, \"\nclause = {{ standard = \"s\", section = \"1\" }}\nrationale = \"r\"\n"
            ),
            "my.toml:11:8: invalid CEL in X-001.rule",
        ),
        (
            format!(
                "{head}[[control]]\nid = \"TLS-PROTO-001\"\ntitle = \"t\"\nseverity = \"low\"\nneeds = [\"tls.scan\"]\nrule = \"true\"\nclause = {{ standard = \"s\", section = \"1\" }}\nrationale = \"r\"\n"
            ),
            "my.toml:7:6: control id TLS-PROTO-001 is already taken",
        ),
        (
            format!(
                "{head}[[control]]\nid = \"X-001\"\ntitle = \"t\"\nseverity = \"low\"\nneeds = [\"dns.lookup\"]\nrule = \"true\"\nclause = {{ standard = \"s\", section = \"1\" }}\nrationale = \"r\"\n"
            ),
            "my.toml:10:9: control X-001: unknown probe \"dns.lookup\"",
        ),
        (
            format!(
                "{head}[[control]]\nid = \"x-1\"\ntitle = \"t\"\nseverity = \"low\"\nneeds = [\"tls.scan\"]\nrule = \"true\"\nclause = {{ standard = \"s\", section = \"1\" }}\nrationale = \"r\"\n"
            ),
            "my.toml:7:6: invalid control id \"x-1\"",
        ),
    ];
    for (text, want) in cases {
        let err = load_text(&text).err().unwrap_or_default();
        assert!(err.starts_with(want), "want {want:?}\ngot  {err:?}");
    }
}

#[test]
fn cli_profile_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = common::write(dir.path(), "bad.toml", "id = \"x\"\nversion = 1\n");
    let run_dir = dir.path().join("run");
    let (code, _, err) = common::run(&[
        "assess",
        run_dir.to_str().unwrap(),
        "--profile",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.toml:2:11:"), "{err}");
    let (code, _, err) = common::run(&[
        "assess",
        run_dir.to_str().unwrap(),
        "--profile",
        "no-such-profile",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown profile `no-such-profile`"), "{err}");
}

#[test]
fn profiles_listing() {
    let (code, out, _) = common::run(&["profiles"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("profiles_listing", out);
}

#[test]
fn committed_control_reference_is_current() {
    let generated = kensa::assess::command::controls_markdown().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/controls.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/controls.md is stale: run `cargo run -- controls --markdown -o docs/controls.md`"
    );
}

// ------------------------------------------------------------------ end to end

/// `openssl s_server -www` with the fixture PKI's self-signed leaf (untrusted everywhere).
fn serve_self_signed() -> Option<(common::Child, u16)> {
    common::openssl_server("self-signed.pem", None, "keys/leaf-rsa.key", &["-www"])
}

#[test]
fn assess_a_real_scan_end_to_end() {
    let Some((_server, port)) = serve_self_signed() else {
        eprintln!("openssl not found: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let catalog = format!(
        "[[provider]]\nid = \"lab\"\nname = \"Lab Cloud\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n\
         [[provider.endpoint]]\nhost = \"www.good.test\"\nport = {port}\naddresses = [\"127.0.0.1\"]\n"
    );
    let cat = common::write(dir.path(), "catalog.toml", &catalog);
    let out = dir.path().join("run");
    let (code, _, err) = common::run(&[
        "scan",
        cat.to_str().unwrap(),
        "--allow-private",
        "--quiet",
        "--probes",
        "tls.scan,x509.chain,http.headers",
        "--read-timeout-ms",
        "2000",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // The run records the provider's applies_for, so grading needs no catalog.
    let begin = &common::evidence(&out);
    assert!(!begin.is_empty());
    let run = doc::load(&out).unwrap();
    assert_eq!(
        run.providers["lab"].applies_for.as_deref(),
        Some("kensa-level-1")
    );
    // A self-signed certificate fails level 1, the profile lab applies for: exit 1.
    let (code, text, err) = common::run(&["assess", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}{err}");
    assert!(
        text.contains("provider lab (Lab Cloud) [JP]  applies_for kensa-level-1  FAILS"),
        "{text}"
    );
    assert!(text.contains("kensa-level-1 1.0.0: FAIL"), "{text}");
    assert!(text.contains("FAIL         CERT-TRUST-001"), "{text}");
    assert!(text.contains("records: x509.chain #"), "{text}");
    // DNS and residency probes have not run: level 3 cannot pass, it is inconclusive.
    assert!(text.contains("INCONCLUSIVE DNS-SEC-001"), "{text}");
    assert!(
        text.contains("why: probe dns.resolve did not run on this target"),
        "{text}"
    );
    // JSON and Markdown forms; the findings name the evidence lines.
    let (code, json_text, _) = common::run(&[
        "assess",
        out.to_str().unwrap(),
        "--profile",
        "ssl-labs",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json_text).unwrap();
    let prov = &v["providers"][0];
    assert_eq!(prov["fails_applies_for"], json!(true));
    let ssl = prov["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["profile"] == "ssl-labs")
        .unwrap();
    assert_eq!(ssl["verdict"], "T", "{ssl}");
    let lines = common::evidence(&out);
    let f = ssl["targets"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["control"] == "SSLL-CERT-001")
        .unwrap();
    let rec = &f["records"][0];
    assert_eq!(rec["probe"], "x509.chain");
    let seq = rec["seq"].as_u64().unwrap();
    // The record's seq and hash point at the x509.chain line of evidence.jsonl.
    let raw = std::fs::read_to_string(out.join("evidence.jsonl")).unwrap();
    let line: Value = serde_json::from_str(raw.lines().nth(seq as usize).unwrap()).unwrap();
    assert_eq!(line["hash"], rec["hash"]);
    assert_eq!(line["data"]["probe"], "x509.chain");
    assert!(!lines.is_empty());
    let (code, md, _) = common::run(&["assess", out.to_str().unwrap(), "--format", "md"]);
    assert_eq!(code, 1);
    assert!(md.contains("| kensa-level-1 | 1.0.0 | **fail** |"), "{md}");
}

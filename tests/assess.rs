//! The judging side: every control against the evidence fixtures of `fixtures/assess/` (one
//! insta snapshot per control; each must pass on one, fail on one and be inconclusive on one),
//! the SSL Labs grade against the rating guide's worked cases, profile verdicts and the kensa
//! grade, profile-file errors, the committed control reference, and `kensa assess` end to end
//! over a real scan of a local `openssl s_server`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kensa::assess::control::Control;
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
    "tls12-unread",
    "tls12-cbc",
    "silent",
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

/// The first built-in profile that uses each control.
fn home_profiles(lib: &Library) -> BTreeMap<String, Profile> {
    let mut m = BTreeMap::new();
    for p in lib.builtin_profiles().unwrap() {
        for c in &p.controls {
            m.entry(c.id.clone()).or_insert_with(|| p.clone());
        }
    }
    m
}

/// The names of the profile parameters a control reads (`params.NAME` in its rule,
/// `applies_if` or evidence expressions).
fn params_read(c: &Control) -> Vec<String> {
    let mut names = Vec::new();
    let texts = std::iter::once(c.rule.as_str())
        .chain(c.applies_if.as_deref())
        .chain(c.evidence.iter().map(String::as_str));
    for t in texts {
        let mut rest = t;
        while let Some(i) = rest.find("params.") {
            rest = &rest[i + "params.".len()..];
            let name: String = rest
                .chars()
                .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                .collect();
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.sort();
    names
}

/// For each control, every built-in profile that uses it with its own values of the
/// parameters the control reads: one entry per distinct set of values, with the profiles that
/// share it (in the order `builtin_profiles` lists them).
fn param_sets(lib: &Library) -> BTreeMap<String, Vec<(Value, Vec<Profile>)>> {
    let mut m: BTreeMap<String, Vec<(Value, Vec<Profile>)>> = BTreeMap::new();
    for p in lib.builtin_profiles().unwrap() {
        for c in &p.controls {
            let values: serde_json::Map<String, Value> = params_read(c)
                .into_iter()
                .map(|n| {
                    let v = p.params.get(&n).cloned().unwrap_or(Value::Null);
                    (n, v)
                })
                .collect();
            let values = Value::Object(values);
            let sets = m.entry(c.id.clone()).or_default();
            match sets.iter_mut().find(|(v, _)| *v == values) {
                Some((_, ps)) => ps.push(p.clone()),
                None => sets.push((values, vec![p.clone()])),
            }
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

/// Every control on every fixture, under each built-in profile that gives the parameters it
/// reads other values (e.g. MOZ-* under mozilla-modern and mozilla-intermediate, CRYPTREC-*
/// under the three criteria): one snapshot per control. Each control must pass on one
/// fixture, fail on one and be inconclusive on one.
#[test]
fn each_control_passes_fails_and_is_inconclusive_on_the_fixtures() {
    let lib = lib();
    let sets = param_sets(&lib);
    let docs: Vec<(&str, TargetDoc)> = FIXTURES.iter().map(|n| (*n, fixture(n))).collect();
    let mut missing = Vec::new();
    for (id, groups) in &sets {
        let mut seen = BTreeMap::new();
        let first = &groups[0].1[0];
        let control = first.controls.iter().find(|c| &c.id == id).unwrap();
        let mut listing = vec![format!("{id}: {}\nrule: {}", control.title, control.rule)];
        if let Some(a) = &control.applies_if {
            listing.push(format!("applies_if: {a}"));
        }
        for (values, profiles) in groups {
            let names: Vec<&str> = profiles.iter().map(|p| p.id.as_str()).collect();
            listing.push(format!("\n== params of {} = {values}", names.join(", ")));
            let profile = &profiles[0];
            let control = profile.controls.iter().find(|c| &c.id == id).unwrap();
            for (name, d) in &docs {
                let b = Bindings::new(d, &profile.params);
                let f = evaluate(control, d, &b);
                *seen.entry(f.result).or_insert(0) += 1;
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

/// Missing or failed evidence is never a pass: each control, on a complete document with one
/// of the probes it needs removed (or ended with a timeout), is inconclusive and says which
/// probe. The documents are built here, not with the evaluator's own gate.
#[test]
fn every_control_is_inconclusive_without_the_evidence_it_needs() {
    let lib = lib();
    let homes = home_profiles(&lib);
    let full = fixture_value("modern");
    for (id, profile) in &homes {
        let control = profile.controls.iter().find(|c| &c.id == id).unwrap();
        for probe in &control.needs {
            assert!(
                full["probes"].get(probe).is_some(),
                "fixture modern lacks {probe}"
            );
            let mut removed = full.clone();
            removed["probes"].as_object_mut().unwrap().remove(probe);
            let mut timed_out = full.clone();
            timed_out["probes"][probe] =
                json!({"outcome": "timeout", "error": "no answer", "observation": null});
            let mut no_observation = full.clone();
            no_observation["probes"][probe]["observation"] = Value::Null;
            for (how, v) in [
                ("removed", removed),
                ("timed out", timed_out),
                ("without observation", no_observation),
            ] {
                let d = doc::from_value(v);
                let f = judge_target(profile, &d)
                    .findings
                    .into_iter()
                    .find(|f| &f.control == id)
                    .unwrap();
                assert_eq!(f.result, Outcome::Inconclusive, "{id}, {probe} {how}");
                let reason = f.reason.unwrap_or_default();
                assert!(
                    reason.contains(probe.as_str()),
                    "{id}, {probe} {how}: {reason}"
                );
            }
        }
    }
}

/// The audit's cases, asserted one by one (the snapshots show them all): evidence the probe
/// left undecided gives inconclusive, and a TLS 1.3-only server, where TLS ≤ 1.2 extensions do
/// not exist, gives not-applicable.
#[test]
fn undecided_evidence_is_never_a_pass() {
    let lib = lib();
    let homes = home_profiles(&lib);
    let result = |id: &str, fixture_name: &str| {
        let p = &homes[id];
        let c = p.controls.iter().find(|c| c.id == id).unwrap();
        let d = fixture(fixture_name);
        evaluate(c, &d, &Bindings::new(&d, &p.params)).result
    };
    use Outcome::{Fail, Inconclusive, NotApplicable, Pass};
    // Compression null: no TLS ≤ 1.2 extension handshake was read.
    for id in [
        "TLS-VULN-003",
        "SSLL-VULN-003",
        "BSI-EXT-001",
        "NCSC-EXT-001",
    ] {
        assert_eq!(result(id, "tls12-unread"), Inconclusive, "{id}");
        assert_eq!(result(id, "legacy"), Fail, "{id}");
    }
    assert_eq!(result("TLS-VULN-003", "intermediate"), Pass);
    // TLS 1.2 not offered (TLS 1.3 only): the TLS ≤ 1.2 extension controls do not apply.
    for id in [
        "TLS-VULN-003",
        "SSLL-VULN-003",
        "BSI-EXT-001",
        "NCSC-EXT-001",
        "NIST-EXT-001",
        "TLS-EXT-001",
        "SSLL-RENEG-001",
    ] {
        assert_eq!(result(id, "modern"), NotApplicable, "{id}");
    }
    // Client renegotiation inconclusive or not tested, secure renegotiation unknown or absent.
    assert_eq!(result("SSLL-RENEG-001", "tls12-unread"), Inconclusive);
    let mut v = fixture_value("legacy");
    v["probes"]["tls.scan"]["observation"]["checks"]["client_renegotiation"]["result"] =
        json!("not-tested");
    let p = &homes["SSLL-RENEG-001"];
    let c = p
        .controls
        .iter()
        .find(|c| c.id == "SSLL-RENEG-001")
        .unwrap();
    let d = doc::from_value(v);
    assert_eq!(
        evaluate(c, &d, &Bindings::new(&d, &p.params)).result,
        Inconclusive
    );
    assert_eq!(result("SSLL-RENEG-001", "legacy"), Fail);
    assert_eq!(result("SSLL-RENEG-001", "intermediate"), Pass);
    // Versions the probe did not try, and no suites at all.
    for id in [
        "TLS-PROTO-001",
        "TLS-PROTO-002",
        "NCSC-VER-001",
        "NIST-PROTO-003",
        "SSLL-PROTO-005",
        "TLS-CIPH-001",
        "TLS-CIPH-010",
        "MOZ-CIPH-001",
        "NCSC-CIPH-003",
    ] {
        assert_eq!(result(id, "silent"), Inconclusive, "{id}");
    }
    assert_eq!(result("TLS-PROTO-003", "silent"), Fail);
    // DHE parameters or TLS 1.2 groups not read while DHE/ECDHE suites were accepted.
    for id in ["BSI-KX-001", "NIST-KX-001", "NCSC-KX-001", "SSLL-KEY-001"] {
        assert_eq!(result(id, "tls12-cbc"), Inconclusive, "{id}");
    }
    // Encrypt-then-MAC: false only decides when the handshake that read it chose CBC.
    assert_eq!(result("BSI-EXT-002", "tls12-cbc"), Fail);
    assert_eq!(result("BSI-EXT-002", "legacy"), Inconclusive);
    // No trust verdict for any store, no host name checked.
    for id in [
        "CERT-TRUST-001",
        "CERT-VALID-001",
        "CERT-NAME-001",
        "CERT-SIG-001",
        "SSLL-CERT-001",
    ] {
        assert_eq!(result(id, "tls12-unread"), Inconclusive, "{id}");
    }
    // OCSP: a completed TLS 1.3 handshake without a staple decides it.
    assert_eq!(result("TLS-EXT-003", "tls12-unread"), Fail);
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
        // The DHE suites' parameters, as the probe records them (without them the key
        // exchange caps are undecided and so is the grade).
        v["probes"]["tls.scan"]["observation"]["dhe"] = json!({"prime_bits": 2048,
            "generator": "02", "prime": "ff", "suite": "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
            "well_known_group": "rfc7919-ffdhe2048"});
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
    assert_eq!(p.controls.len(), 17);
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

/// Write a run directory whose evidence records are fixture documents' probe results, one
/// provider per `(provider id, applies_for, fixture)`, so the binary grades it with no scan.
fn write_run(dir: &Path, providers: &[(&str, Option<&str>, &str)]) -> PathBuf {
    use kensa::evidence::{EvidenceWriter, Record, RunStatus};
    let run = dir.join("run");
    let mut w = EvidenceWriter::create(&run).unwrap();
    let details: Vec<Value> = providers
        .iter()
        .map(|(id, af, _)| json!({"id": id, "name": null, "declared_country": "JP", "applies_for": af}))
        .collect();
    let begin = json!({
        "schema_version": 1, "run_id": "fixture-run", "tool": "kensa tests",
        "started_at": "2026-11-22T00:00:00Z", "catalog": "fixtures/assess",
        "providers": providers.len(), "endpoints": providers.len(), "probes": [],
        "settings": {}, "provider_details": details});
    w.append(&Record::RunBegin(serde_json::from_value(begin).unwrap()))
        .unwrap();
    for (pid, _, name) in providers {
        let f = fixture_value(name);
        let host = f["target"]["host"].as_str().unwrap();
        let target = json!({"id": format!("{pid}/{host}:443"), "provider": pid, "host": host,
            "port": 443, "addresses": f["target"]["addresses"], "address_source": "resolved"});
        for (probe, r) in f["probes"].as_object().unwrap() {
            let outcome: kensa_probe::Outcome =
                serde_json::from_value(r["outcome"].clone()).unwrap();
            let mut data = json!({"schema_version": 1, "run_id": "fixture-run",
                "target": target, "probe": probe, "probe_version": "fixture",
                "started_at": "2026-11-22T00:00:00Z", "elapsed_us": 1,
                "outcome": outcome, "fault": outcome.fault()});
            if !r["observation"].is_null() {
                data["observation"] = r["observation"].clone();
            }
            if let Some(e) = r.get("error") {
                data["error"] = e.clone();
            }
            // `Evidence` holds the observation as raw JSON: it is read from text.
            let e: kensa::evidence::Evidence = serde_json::from_str(&data.to_string()).unwrap();
            w.append(&Record::Evidence(e)).unwrap();
        }
    }
    w.finish(
        "fixture-run",
        "2026-11-22T00:01:00Z".into(),
        RunStatus::Complete,
    )
    .unwrap();
    run
}

const AGENCY_PROFILE: &str = r#"
id = "agency-web"
version = "2026.1"
title = "Agency web baseline"
description = "Level 1 plus TLS 1.3."
grading = "pass-fail"
extends = ["kensa-level-1"]
controls = ["TLS-PROTO-010"]
"#;

#[test]
fn assess_with_two_profile_names_and_a_profile_file_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(
        dir.path(),
        &[
            ("good", Some("agency-web"), "modern"),
            ("old", Some("kensa-level-1"), "legacy"),
        ],
    );
    let file = common::write(dir.path(), "agency.toml", AGENCY_PROFILE);
    let (code, out, err) = common::run(&[
        "assess",
        run.to_str().unwrap(),
        "--profile",
        "ssl-labs",
        "--profile",
        "ncsc-nl-2025",
        "--profile",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    // `old` fails kensa-level-1, the profile it applies for (judged although not asked for).
    assert_eq!(code, 1, "{out}{err}");
    assert!(!err.contains("warning"), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let asked: Vec<&str> = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap())
        .collect();
    assert_eq!(asked, ["ssl-labs", "ncsc-nl-2025", "agency-web"]);
    let verdicts = |provider: &str| -> Vec<(String, String)> {
        let p = v["providers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["provider"]["id"] == provider)
            .unwrap();
        p["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["profile"].as_str().unwrap().to_owned(),
                    x["verdict"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        verdicts("good"),
        [
            s("ssl-labs", "A+"),
            s("ncsc-nl-2025", "good"),
            s("agency-web", "pass")
        ]
    );
    assert_eq!(
        verdicts("old"),
        [
            s("ssl-labs", "T"),
            s("ncsc-nl-2025", "insufficient"),
            s("agency-web", "fail"),
            s("kensa-level-1", "fail"),
        ]
    );
    let good = v["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["provider"]["id"] == "good")
        .unwrap();
    assert_eq!(good["fails_applies_for"], json!(false));
    assert!(v.get("warnings").is_none(), "{v}");
}

/// An `applies_for` naming a profile that is neither built in nor given is reported on
/// stderr and in the JSON `warnings`, and the other providers are still graded.
#[test]
fn an_unknown_applies_for_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(
        dir.path(),
        &[
            ("ghost", Some("no-such-profile"), "legacy"),
            ("good", Some("kensa-level-1"), "modern"),
        ],
    );
    let (code, out, err) = common::run(&[
        "assess",
        run.to_str().unwrap(),
        "--profile",
        "kensa-level-1",
    ]);
    // `ghost` fails kensa-level-1 but applies for an unknown profile: nothing fails its
    // applies_for, so exit 0, with the warning.
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("warning: provider ghost: applies_for names profile `no-such-profile`, which is neither built in nor given with --profile"),
        "{err}"
    );
    assert!(!err.contains("provider good"), "{err}");
    assert!(out.contains("provider good"), "{out}");
    let (_, json_out, _) = common::run(&[
        "assess",
        run.to_str().unwrap(),
        "--profile",
        "kensa-level-1",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&json_out).unwrap();
    let w = v["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "{v}");
    assert!(w[0].as_str().unwrap().contains("no-such-profile"));
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
        // Skipping is for developer machines only: on CI the test must run.
        assert!(
            std::env::var_os("CI").is_none(),
            "openssl not found but CI is set: this test needs `openssl s_server`"
        );
        eprintln!("openssl not found: skipped (set CI to make this a failure)");
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

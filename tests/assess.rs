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
    "openssl-default",
    "tls13-fips",
    "x25519-only",
    "ec-signed-by-rsa",
    "anon",
    "legacy-3des",
    "expired-other-name",
];

/// Controls that by design never fail: they encode a requirement whose text could not be read,
/// so where it would decide they give `inconclusive` (never a guess either way).
const NEVER_FAIL: &[&str] = &["CRYPTREC-PROTO-003", "CRYPTREC-CIPH-003"];

/// Controls that by design never pass with the built-in parameters: the value they would pass
/// on (CRYPTREC GL-3001-3.0.1's key sizes) could not be read, so they fail below the superseded
/// edition's floor and are otherwise inconclusive. A profile that sets the values read in the
/// guideline makes them pass (`issue_18_cryptrec_sizes_pass_once_an_evaluator_sets_them`).
const NEVER_PASS: &[&str] = &["CRYPTREC-KX-001", "CRYPTREC-CERT-001"];

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
    assert_eq!(profiles.len(), 13);
    let homes = home_profiles(&lib);
    for id in lib.controls().keys() {
        assert!(
            homes.contains_key(id),
            "control {id} is in no built-in profile"
        );
    }
}

/// Issue 23: a control whose clause note says the citation was not checked against the
/// standard's text is `provisional`, and its findings carry the caveat.
#[test]
fn no_control_says_not_checked_without_being_provisional() {
    let lib = lib();
    let mut flagged = 0;
    for c in lib.controls().values() {
        let Some(note) = &c.clause.note else {
            continue;
        };
        if kensa::assess::control::UNCHECKED_PHRASES
            .iter()
            .any(|p| note.contains(p))
        {
            assert!(
                c.provisional,
                "{}: the note says the clause was not checked, but provisional is false: {note}",
                c.id
            );
            assert!(
                c.caveat().is_some_and(|x| x.contains(note.as_str())),
                "{}",
                c.id
            );
            flagged += 1;
        }
    }
    // The phrases still find what they were written for.
    assert!(flagged >= 40, "{flagged}");
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
                if matches!(f.result, Outcome::Fail | Outcome::Warning) {
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
        // A `should` control never fails: unmet, it warns, and its warning is its fail case.
        if control.level != kensa::assess::control::Requirement::Shall {
            assert!(
                !seen.contains_key(&Outcome::Fail),
                "{id} is a {} control but failed",
                control.level.as_str()
            );
            if let Some(w) = seen.get(&Outcome::Warning).copied() {
                seen.insert(Outcome::Fail, w);
            }
        } else {
            assert!(
                !seen.contains_key(&Outcome::Warning),
                "{id} is a shall control but warned"
            );
        }
        if NEVER_FAIL.contains(&id.as_str()) {
            assert!(
                !seen.contains_key(&Outcome::Fail),
                "{id} must never fail (its requirement could not be read)"
            );
            seen.insert(Outcome::Fail, 0);
        }
        if NEVER_PASS.contains(&id.as_str()) {
            assert!(
                !seen.contains_key(&Outcome::Pass),
                "{id} must never pass with the built-in parameters (its values could not be read)"
            );
            seen.insert(Outcome::Pass, 0);
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
    // Level 1's 18 (KENSA-ROBOT-001 the last, issue 19), TLS-PROTO-010 and the agency's own.
    assert_eq!(p.controls.len(), 20);
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
    // `ghost` applies for an unknown profile: its gate cannot be judged, which is an input
    // error (issue 23: it used to exit 0 with a warning), though everything is still graded.
    assert_eq!(code, 2, "{out}{err}");
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

// ------------------------------------------------------------------ issue 18: what the standards say

/// The verdict of `profile` on a fixture, and the results of the controls that did not pass.
fn judged(profile: &str, fixture_name: &str) -> (String, BTreeMap<String, Outcome>) {
    let p = lib().builtin_profile(profile).unwrap();
    let d = fixture(fixture_name);
    let v = judge_provider(&p, &[&d]);
    let results = v.targets[0]
        .findings
        .iter()
        .filter(|f| f.result != Outcome::Pass && f.result != Outcome::NotApplicable)
        .map(|f| (f.control.clone(), f.result))
        .collect();
    (v.verdict, results)
}

/// Every built-in profile whose standard has certificate requirements (trust, validity,
/// name): all but Mozilla's, whose 6.0 guidelines state certificate types, curves, signatures
/// and lifetimes but no trust, expiry or name requirement (said in their coverage).
const CERTIFICATE_PROFILES: &[&str] = &[
    "kensa-level-1",
    "kensa-level-2",
    "kensa-level-3",
    "cryptrec-high",
    "cryptrec-recommended",
    "cryptrec-exception",
    "nist-sp800-52r2",
    "bsi-tr-02102-2",
    "ncsc-nl-2025",
    "ssl-labs",
];

fn fails(profile: &str, verdict: &str) -> bool {
    let p = lib().builtin_profile(profile).unwrap();
    !p.passing.iter().any(|l| l == verdict) && verdict != "inconclusive"
}

/// BSI TR-02102-2: suites and groups beyond the recommended ones (ChaCha20-Poly1305, X25519,
/// CBC) are not non-compliance: an OpenSSL-default server passes, with warnings.
#[test]
fn issue_18_bsi_passes_an_openssl_default_server_with_warnings() {
    let (v, r) = judged("bsi-tr-02102-2", "openssl-default");
    assert_eq!(v, "pass", "{r:?}");
    assert_eq!(r.get("BSI-CIPH-001"), Some(&Outcome::Warning), "{r:?}");
    assert_eq!(r.get("BSI-CIPH-002"), Some(&Outcome::Warning), "{r:?}");
    // The warnings are counted apart from failures.
    let p = lib().builtin_profile("bsi-tr-02102-2").unwrap();
    let d = fixture("openssl-default");
    let pv = judge_provider(&p, &[&d]);
    assert_eq!(pv.counts.get(&Outcome::Warning), Some(&2));
    assert_eq!(pv.counts.get(&Outcome::Fail), None);
    assert_eq!(pv.passed, Some(true));
    // A SHA-1-signed RSA-3072 leaf fails on its signature.
    let mut v = fixture_value("openssl-default");
    let leaf =
        &mut v["probes"]["x509.chain"]["observation"]["chains"][0]["certificates"][0]["details"];
    leaf["public_key"] = json!({"algorithm": "rsa", "algorithm_oid": "x", "bits": 3072, "rsa_exponent": 65537, "curve": null});
    leaf["signature_algorithm"] =
        json!({"oid": "x", "name": "sha1WithRSAEncryption", "hash": "sha1"});
    let d = doc::from_value(v);
    let pv = judge_provider(&p, &[&d]);
    assert_eq!(pv.verdict, "fail");
    let f = pv.targets[0]
        .findings
        .iter()
        .find(|f| f.control == "BSI-CERT-002")
        .unwrap();
    assert_eq!(f.result, Outcome::Fail);
    // A binary curve is outside the TR's curves.
    let mut v = fixture_value("openssl-default");
    v["probes"]["tls.scan"]["observation"]["groups"]["tls12"] = json!(["x25519", "sect571r1"]);
    let d = doc::from_value(v);
    let f = judge_target(&p, &d)
        .findings
        .into_iter()
        .find(|f| f.control == "BSI-KX-001")
        .unwrap();
    assert_eq!(f.result, Outcome::Fail);
}

/// NIST SP 800-52r2: a TLS 1.3-only server with FIPS suites, P-256 and the certificate profile
/// passes; X25519 alone does not (§3.4.2.2); a P-521 key is a warning, not a failure; TLS 1.1
/// is a warning, SSL 3.0 a failure.
#[test]
fn issue_18_nist_tls13_only_passes_and_groups_are_judged() {
    let (v, r) = judged("nist-sp800-52r2", "tls13-fips");
    assert_eq!(v, "pass", "{r:?}");
    let (v, r) = judged("nist-sp800-52r2", "x25519-only");
    assert_eq!(v, "fail");
    assert_eq!(r.get("NIST-KX-002"), Some(&Outcome::Fail), "{r:?}");
    let p = lib().builtin_profile("nist-sp800-52r2").unwrap();
    let mut v = fixture_value("tls13-fips");
    let key = &mut v["probes"]["x509.chain"]["observation"]["chains"][0]["certificates"][0]["details"]
        ["public_key"];
    key["curve"] = json!("P-521");
    key["bits"] = json!(521);
    let d = doc::from_value(v);
    let pv = judge_provider(&p, &[&d]);
    assert_eq!(pv.verdict, "pass");
    let f = pv.targets[0]
        .findings
        .iter()
        .find(|f| f.control == "NIST-CERT-002")
        .unwrap();
    assert_eq!(f.result, Outcome::Warning);
    let mut v = fixture_value("tls13-fips");
    accept(&mut v, "TLSv1.1");
    add_suites(&mut v, "TLSv1.1", &["TLS_DHE_RSA_WITH_AES_128_CBC_SHA"]);
    let d = doc::from_value(v);
    let t = judge_target(&p, &d);
    let f = t
        .findings
        .iter()
        .find(|f| f.control == "NIST-PROTO-003")
        .unwrap();
    assert_eq!(f.result, Outcome::Warning);
    let mut v = fixture_value("tls13-fips");
    accept(&mut v, "SSLv3");
    let d = doc::from_value(v);
    assert_eq!(judge_provider(&p, &[&d]).verdict, "fail");
    // The certificate profile: no AIA, no serverAuth.
    let (v, r) = judged("nist-sp800-52r2", "modern");
    assert_eq!(v, "fail");
    assert_eq!(r.get("NIST-CERT-003"), Some(&Outcome::Fail), "{r:?}");
    // Encrypt-then-MAC off while a CBC suite is chosen.
    let (_, r) = judged("nist-sp800-52r2", "tls12-cbc");
    assert_eq!(r.get("NIST-EXT-003"), Some(&Outcome::Fail), "{r:?}");
}

/// Mozilla 6.0 modern: a P-256 leaf signed by an RSA issuer is not modern; intermediate allows
/// sha256WithRSAEncryption.
#[test]
fn issue_18_mozilla_judges_the_certificate_signature() {
    let (v, r) = judged("mozilla-modern", "ec-signed-by-rsa");
    assert_eq!(v, "fail");
    assert_eq!(r.get("MOZ-CERT-002"), Some(&Outcome::Fail), "{r:?}");
    assert_eq!(judged("mozilla-modern", "modern").0, "pass");
    let (_, r) = judged("mozilla-intermediate", "ec-signed-by-rsa");
    assert_eq!(r.get("MOZ-CERT-002"), None, "{r:?}");
}

/// Anonymous suites fail every built-in profile at every level.
#[test]
fn issue_18_anonymous_suites_fail_every_profile() {
    for p in lib().builtin_profiles().unwrap() {
        // kensa-declaration judges a provider's declaration, not its TLS (issue 20).
        if p.id == "kensa-declaration" {
            continue;
        }
        let (v, r) = judged(&p.id, "anon");
        assert!(
            fails(&p.id, &v),
            "{} gave {v} to anonymous suites: {r:?}",
            p.id
        );
    }
    let (_, r) = judged("cryptrec-exception", "anon");
    assert_eq!(r.get("CRYPTREC-CIPH-004"), Some(&Outcome::Fail), "{r:?}");
}

/// A 3DES-only legacy server under CRYPTREC gets what the guideline's text, as far as it could
/// be read, gives it. At the exception criterion TLS 1.0 and 1.1 are allowed (interim operation
/// for legacy clients, read) and forward secrecy is a recommendation (a warning, read), but the
/// place of 3DES in the guideline's cipher lists could not be read: the verdict is inconclusive
/// and says why. The recommended and high criteria prohibit TLS 1.0/1.1 (read): they fail it.
#[test]
fn issue_18_cryptrec_exception_on_a_3des_only_legacy_server() {
    let p = lib().builtin_profile("cryptrec-exception").unwrap();
    let d = fixture("legacy-3des");
    let v = judge_provider(&p, &[&d]);
    assert_eq!(v.verdict, "inconclusive", "{v:?}");
    let finding = |id: &str| {
        v.targets[0]
            .findings
            .iter()
            .find(|f| f.control == id)
            .unwrap()
            .clone()
    };
    // Nothing the exception criterion was read to prohibit: no failure.
    assert_eq!(v.counts.get(&Outcome::Fail), None, "{v:?}");
    assert_eq!(finding("CRYPTREC-PROTO-001").result, Outcome::Pass);
    assert_eq!(finding("CRYPTREC-PROTO-002").result, Outcome::Pass);
    assert_eq!(finding("CRYPTREC-CIPH-004").result, Outcome::Pass);
    // 3DES: its list could not be read.
    let f = finding("CRYPTREC-CIPH-001");
    assert_eq!(f.result, Outcome::Inconclusive);
    let reason = f.reason.as_deref().unwrap_or("");
    assert!(reason.contains("could not be read"), "{reason}");
    assert!(reason.contains("利用禁止暗号"), "{reason}");
    let c = p
        .controls
        .iter()
        .find(|c| c.id == "CRYPTREC-CIPH-001")
        .unwrap();
    let note = c.clause.note.as_deref().unwrap_or("");
    assert!(note.contains("NOT READ: both lists"), "{note}");
    assert!(note.contains("両者ともに含まれないものは"), "{note}");
    // Static RSA: forward secrecy is a recommendation, a warning.
    assert_eq!(finding("CRYPTREC-CIPH-002").result, Outcome::Warning);
    // RSA key transport only: no key-exchange size to judge.
    assert_eq!(finding("CRYPTREC-KX-001").result, Outcome::NotApplicable);
    // A SHA-2 RSA-2048 certificate: 3.0.1's certificate key sizes were not read.
    let f = finding("CRYPTREC-CERT-001");
    assert_eq!(f.result, Outcome::Inconclusive);
    assert!(
        f.reason
            .as_deref()
            .unwrap_or("")
            .contains("could not be read"),
        "{f:?}"
    );
    // The recommended and high criteria prohibit TLS 1.0/1.1.
    for profile in ["cryptrec-recommended", "cryptrec-high"] {
        let (v, r) = judged(profile, "legacy-3des");
        assert_eq!(v, "fail", "{profile}");
        assert_eq!(r.get("CRYPTREC-PROTO-001"), Some(&Outcome::Fail), "{r:?}");
        assert_eq!(
            r.get("CRYPTREC-CIPH-001"),
            Some(&Outcome::Inconclusive),
            "{r:?}"
        );
    }
    // TLS 1.3-only: the TLS 1.2 mark was not read, so not a pass on a guess.
    let (v, r) = judged("cryptrec-recommended", "tls13-fips");
    assert_eq!(v, "inconclusive", "{r:?}");
    assert_eq!(r.get("CRYPTREC-PROTO-003"), Some(&Outcome::Inconclusive));
    // The high criterion requires TLS 1.3: a TLS 1.2-only server fails.
    let (v, r) = judged("cryptrec-high", "tls12-cbc");
    assert_eq!(v, "fail");
    assert_eq!(r.get("CRYPTREC-PROTO-002"), Some(&Outcome::Fail), "{r:?}");
    // Its CBC suite is inconclusive, not a failure: the high table was not read.
    assert_eq!(
        r.get("CRYPTREC-CIPH-003"),
        Some(&Outcome::Inconclusive),
        "{r:?}"
    );
    // At the exception criterion, a TLS 1.0-only server is inconclusive on the required version
    // (not read), not failed.
    let mut v = fixture_value("legacy-3des");
    for p in v["probes"]["tls.scan"]["observation"]["protocols"]
        .as_array_mut()
        .unwrap()
    {
        if p["version"] != "TLSv1.0" {
            p["accepted"] = json!(false);
        }
    }
    let d = doc::from_value(v);
    let f = judge_target(&p, &d)
        .findings
        .into_iter()
        .find(|f| f.control == "CRYPTREC-PROTO-002")
        .unwrap();
    assert_eq!(f.result, Outcome::Inconclusive, "{f:?}");
    // Below version 2.0's floors (DHE 512, secp224r1, an RSA-1024 SHA-1 certificate) fails.
    for profile in ["cryptrec-recommended", "cryptrec-high"] {
        let (_, r) = judged(profile, "legacy");
        assert_eq!(
            r.get("CRYPTREC-KX-001"),
            Some(&Outcome::Fail),
            "{profile}: {r:?}"
        );
        assert_eq!(
            r.get("CRYPTREC-CERT-001"),
            Some(&Outcome::Fail),
            "{profile}: {r:?}"
        );
        assert_eq!(
            r.get("CRYPTREC-CIPH-001"),
            Some(&Outcome::Fail),
            "{profile}: {r:?}"
        );
    }
}

/// Every CRYPTREC control says what was read of GL-3001 and what was not, citing sources that
/// docs/standards/cryptrec-gl3001.md records, and cites no section number of 3.0.1 (none was
/// read): chapters are named by subject, with the numbering of the editions that were read.
#[test]
fn issue_18_cryptrec_controls_say_what_was_read_and_where() {
    let record = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/standards/cryptrec-gl3001.md"),
    )
    .unwrap();
    let lib = lib();
    let controls: Vec<_> = lib
        .controls()
        .values()
        .filter(|c| c.id.starts_with("CRYPTREC-"))
        .collect();
    assert_eq!(controls.len(), 10);
    for c in controls {
        let note = c.clause.note.as_deref().unwrap_or("");
        assert!(
            note.contains("READ") || note.contains("DERIVED"),
            "{}: {note}",
            c.id
        );
        assert!(note.contains("NOT READ"), "{}: says nothing unread", c.id);
        assert!(
            !c.clause.section.contains('§'),
            "{}: {}",
            c.id,
            c.clause.section
        );
        let mut cited = 0;
        for (i, _) in note.match_indices("[S") {
            let n: String = note[i + 2..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            assert!(
                record.contains(&format!("| S{n} |")),
                "{}: [S{n}] is not in the source record",
                c.id
            );
            cited += 1;
        }
        assert!(cited > 0, "{}: cites no source", c.id);
        assert!(
            record.contains(&c.id),
            "{} is not in the source record",
            c.id
        );
    }
}

/// The key sizes GL-3001-3.0.1 sets could not be read, so the built-in CRYPTREC profiles never
/// pass them; an evaluator who has read the guideline sets them in a profile extending the
/// built-in one (docs/standards/cryptrec-gl3001.md), and then they pass or fail on those values.
#[test]
fn issue_18_cryptrec_sizes_pass_once_an_evaluator_sets_them() {
    let lib = lib();
    let (_, r) = judged("cryptrec-recommended", "openssl-default");
    assert_eq!(
        r.get("CRYPTREC-KX-001"),
        Some(&Outcome::Inconclusive),
        "{r:?}"
    );
    assert_eq!(
        r.get("CRYPTREC-CERT-001"),
        Some(&Outcome::Inconclusive),
        "{r:?}"
    );
    let text = r#"
id = "cryptrec-recommended-read"
version = "1"
title = "CRYPTREC recommended, sizes as read"
description = "cryptrec-recommended with the key sizes read in the guideline"
extends = ["cryptrec-recommended"]
grading = "pass-fail"

[params]
dh_floor_bits = 2048
kx_sizes_read = true
cert_sizes_read = true
"#;
    let p = lib.parse("read.toml", text, "read.toml", 0).unwrap();
    let result = |p: &Profile, fixture_name: &str, id: &str| {
        let d = fixture(fixture_name);
        judge_target(p, &d)
            .findings
            .into_iter()
            .find(|f| f.control == id)
            .unwrap()
            .result
    };
    assert_eq!(
        result(&p, "openssl-default", "CRYPTREC-KX-001"),
        Outcome::Pass
    );
    assert_eq!(
        result(&p, "openssl-default", "CRYPTREC-CERT-001"),
        Outcome::Pass
    );
    // Still below the floor: fail.
    assert_eq!(result(&p, "legacy", "CRYPTREC-KX-001"), Outcome::Fail);
    assert_eq!(result(&p, "legacy", "CRYPTREC-CERT-001"), Outcome::Fail);
    // The built-in profile is unchanged.
    let builtin = lib.builtin_profile("cryptrec-recommended").unwrap();
    assert_eq!(
        result(&builtin, "openssl-default", "CRYPTREC-KX-001"),
        Outcome::Inconclusive
    );
}

/// An expired certificate for another name fails every profile whose standard has certificate
/// requirements.
#[test]
fn issue_18_an_expired_wrong_name_certificate_fails_every_certificate_profile() {
    for id in CERTIFICATE_PROFILES {
        let (v, r) = judged(id, "expired-other-name");
        assert!(
            fails(id, &v),
            "{id} gave {v} to an expired wrong-name certificate: {r:?}"
        );
    }
    // Each through its own control citing its own standard.
    for (profile, control) in [
        ("cryptrec-high", "CRYPTREC-CERT-002"),
        ("cryptrec-recommended", "CRYPTREC-CERT-002"),
        ("cryptrec-exception", "CRYPTREC-CERT-002"),
        ("nist-sp800-52r2", "NIST-CERT-004"),
        ("bsi-tr-02102-2", "BSI-CERT-003"),
        ("ncsc-nl-2025", "NCSC-CERT-003"),
    ] {
        let (_, r) = judged(profile, "expired-other-name");
        assert_eq!(r.get(control), Some(&Outcome::Fail), "{profile}: {r:?}");
    }
    let (v, _) = judged("ncsc-nl-2025", "expired-other-name");
    assert_eq!(v, "insufficient");
}

/// The SSL Labs letter counts the evaluator's trust stores, and the verdict says which stores
/// counted.
#[test]
fn issue_18_ssl_labs_counts_the_evaluators_trust_stores() {
    let mut v = fixture_value("intermediate");
    let obs = &mut v["probes"]["x509.chain"]["observation"];
    obs["trust_stores"] =
        json!([{"name": "mozilla", "anchors": 120}, {"name": "gov", "anchors": 1}]);
    obs["chains"][0]["trust"] = json!([
        {"store": "mozilla", "verdict": "untrusted", "reasons": ["unknown-issuer"], "details": [], "path": [0], "anchor": null, "webpki": "unknown-issuer"},
        {"store": "gov", "verdict": "trusted", "reasons": [], "details": [], "path": [0], "anchor": "CN=Gov Root", "webpki": "ok"}
    ]);
    let d = doc::from_value(v);
    let p = lib().builtin_profile("ssl-labs").unwrap();
    let pv = judge_provider(&p, &[&d]);
    assert_eq!(pv.verdict, "A+");
    assert_eq!(
        pv.trust_stores,
        Some(vec!["mozilla".to_owned(), "gov".to_owned()])
    );
    // A profile that keeps SSL Labs' Mozilla-only view (`trust_stores = ["mozilla"]`) gives T.
    let mut mozilla_only = p;
    mozilla_only.params["trust_stores"] = json!(["mozilla"]);
    let pv = judge_provider(&mozilla_only, &[&d]);
    assert_eq!(pv.verdict, "T");
    assert_eq!(pv.trust_stores, Some(vec!["mozilla".to_owned()]));
}

/// Every standard's profile says what it covers: edition, implemented, not checkable, not
/// implemented; `kensa profiles --coverage` prints it.
#[test]
fn issue_18_profiles_state_their_coverage() {
    for p in lib().builtin_profiles().unwrap() {
        if p.id.starts_with("kensa-level-") {
            continue;
        }
        let c = &p.coverage;
        assert!(c.edition.is_some(), "{}", p.id);
        assert!(!c.implemented.is_empty(), "{}", p.id);
        assert!(!c.not_checkable.is_empty(), "{}", p.id);
        assert!(!c.not_implemented.is_empty(), "{}", p.id);
        // Every control of the profile is named in what it implements.
        let text = c.implemented.join(" ");
        for ctl in &p.controls {
            let group = ctl
                .id
                .rsplit_once('-')
                .map(|(g, _)| format!("{g}-*"))
                .unwrap();
            assert!(
                text.contains(&ctl.id) || text.contains(&group),
                "{}: {} is not in its coverage",
                p.id,
                ctl.id
            );
        }
    }
    let (code, out, _) = common::run(&["profiles", "--coverage"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("profiles_coverage", out);
}

// ------------------------------------------------------------------ issue 18: loopback servers

/// Run a command that must succeed (certificate making for the loopback servers).
fn sh(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new(args[0])
        .args(&args[1..])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn have(tool: &str) -> bool {
    std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok()
}

/// A throw-away PKI made with `openssl`: an RSA root; a P-256 leaf for www.good.test signed by
/// it (sha256WithRSAEncryption) with serverAuth, SAN and AIA, and a stapleable `good` OCSP
/// response for it; an RSA leaf for www.good.test (key encipherment, for RSA key transport);
/// a P-256 leaf for another name.
fn issue_18_pki(dir: &Path) {
    sh(
        dir,
        &[
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-sha256",
            "-nodes",
            "-keyout",
            "root.key",
            "-out",
            "root.pem",
            "-days",
            "30",
            "-subj",
            "/O=Kensa Issue 18/CN=Issue 18 Root",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "[good]\nsubjectAltName=DNS:www.good.test\nextendedKeyUsage=serverAuth\n\
         keyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n\
         authorityInfoAccess=OCSP;URI:http://ocsp.good.test/,caIssuers;URI:http://ca.good.test/root.der\n\
         [other]\nsubjectAltName=DNS:other.test\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    for (name, newkey, subject, section) in [
        (
            "ec",
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"][..],
            "/CN=www.good.test",
            "good",
        ),
        (
            "rsa",
            &["-newkey", "rsa:2048"][..],
            "/CN=www.good.test",
            "good",
        ),
        (
            "other",
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"][..],
            "/CN=other.test",
            "other",
        ),
    ] {
        let (key, csr, pem) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
        );
        let mut req = vec![
            "openssl", "req", "-new", "-nodes", "-keyout", &key, "-subj", subject, "-out", &csr,
        ];
        req.extend_from_slice(newkey);
        sh(dir, &req);
        sh(
            dir,
            &[
                "openssl",
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "root.pem",
                "-CAkey",
                "root.key",
                "-CAcreateserial",
                "-days",
                "20",
                "-sha256",
                "-extfile",
                "ext.cnf",
                "-extensions",
                section,
                "-out",
                &pem,
            ],
        );
    }
    // A `good` OCSP response for the P-256 leaf, from an index the root signs for.
    let serial = std::process::Command::new("openssl")
        .args(["x509", "-in", "ec.pem", "-noout", "-serial"])
        .current_dir(dir)
        .output()
        .unwrap();
    let serial = String::from_utf8_lossy(&serial.stdout)
        .trim()
        .trim_start_matches("serial=")
        .to_owned();
    std::fs::write(
        dir.join("index.txt"),
        format!("V\t351231000000Z\t\t{serial}\tunknown\t/CN=www.good.test\n"),
    )
    .unwrap();
    sh(
        dir,
        &[
            "openssl",
            "ocsp",
            "-issuer",
            "root.pem",
            "-cert",
            "ec.pem",
            "-reqout",
            "req.der",
            "-no_nonce",
        ],
    );
    sh(
        dir,
        &[
            "openssl",
            "ocsp",
            "-index",
            "index.txt",
            "-CA",
            "root.pem",
            "-rsigner",
            "root.pem",
            "-rkey",
            "root.key",
            "-reqin",
            "req.der",
            "-respout",
            "resp.der",
            "-ndays",
            "2",
        ],
    );
}

/// A server process on 127.0.0.1:`port` (gnutls-serv listens on every local address; only
/// 127.0.0.1 is dialled), killed when dropped.
fn serve(dir: &Path, port: u16, args: &[&str]) -> common::Child {
    let child = std::process::Command::new(args[0])
        .args(&args[1..])
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let child = common::Child(child);
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{args:?} did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    child
}

/// Issue 18's postures as real loopback servers, scanned once and graded by every built-in
/// profile: an OpenSSL-default server (ChaCha20, CBC, X25519 beside the recommended suites;
/// its default group list without ffdhe2048, which BSI-KX-001 fails: the TR's 3000-bit
/// minimum) passes BSI TR-02102-2; a TLS 1.3-only FIPS server with a stapled OCSP response
/// passes NIST SP 800-52r2; its P-256 leaf, signed by an RSA root, fails Mozilla modern;
/// anonymous suites fail every profile; a 3DES-only legacy server (gnutls-serv: Debian's
/// OpenSSL has no 3DES) is inconclusive under CRYPTREC's exception criterion, whose cipher lists
/// (which would place 3DES) could not be read; a certificate for another name fails every profile with certificate
/// requirements. The evaluator's trust store (`--trust-store lab=root.pem`) counts.
#[test]
fn issue_18_standards_on_loopback_servers() {
    if !have("openssl") || !have("gnutls-serv") {
        assert!(
            std::env::var_os("CI").is_none(),
            "openssl or gnutls-serv not found but CI is set: this test needs both (scripts/test installs them)"
        );
        eprintln!("openssl or gnutls-serv not found: skipped (set CI to make this a failure)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issue_18_pki(d);
    let ports: Vec<u16> = (0..5).map(|_| common::closed_port()).collect();
    let accept = |i: usize| format!("127.0.0.1:{}", ports[i]);
    let p3 = ports[3].to_string();
    let (a0, a1, a2, a4) = (accept(0), accept(1), accept(2), accept(4));
    let _servers = [
        serve(
            d,
            ports[0],
            &[
                "openssl",
                "s_server",
                "-accept",
                &a0,
                "-quiet",
                "-www",
                "-cert",
                "ec.pem",
                "-key",
                "ec.key",
                "-groups",
                "X25519:P-256:X448:P-521:P-384:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192",
            ],
        ),
        serve(
            d,
            ports[1],
            &[
                "openssl",
                "s_server",
                "-accept",
                &a1,
                "-quiet",
                "-www",
                "-cert",
                "ec.pem",
                "-key",
                "ec.key",
                "-tls1_3",
                "-ciphersuites",
                "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256",
                "-groups",
                "P-256:P-384:X25519",
                "-status_file",
                "resp.der",
            ],
        ),
        serve(
            d,
            ports[2],
            &[
                "openssl",
                "s_server",
                "-accept",
                &a2,
                "-quiet",
                "-www",
                "-cert",
                "ec.pem",
                "-key",
                "ec.key",
                "-no_tls1_3",
                "-cipher",
                "ECDHE-ECDSA-AES128-GCM-SHA256:ADH-AES128-SHA:AECDH-AES128-SHA:@SECLEVEL=0",
            ],
        ),
        serve(
            d,
            ports[3],
            &[
                "gnutls-serv",
                "-p",
                &p3,
                "--echo",
                "--x509certfile",
                "rsa.pem",
                "--x509keyfile",
                "rsa.key",
                "--priority",
                "NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+3DES-CBC:+RSA:+SHA1:+COMP-NULL:+SIGN-ALL:+CURVE-ALL",
            ],
        ),
        serve(
            d,
            ports[4],
            &[
                "openssl",
                "s_server",
                "-accept",
                &a4,
                "-quiet",
                "-www",
                "-cert",
                "other.pem",
                "-key",
                "other.key",
            ],
        ),
    ];
    let names = ["ossl", "fips13", "anon", "tdes", "other"];
    let mut catalog = String::new();
    for (name, port) in names.iter().zip(&ports) {
        catalog.push_str(&format!(
            "[[provider]]\nid = \"{name}\"\nname = \"{name}\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n\
             [[provider.endpoint]]\nhost = \"www.good.test\"\nport = {port}\naddresses = [\"127.0.0.1\"]\n"
        ));
    }
    let cat = common::write(d, "catalog.toml", &catalog);
    let out = d.join("run");
    let store = format!("lab={}", d.join("root.pem").display());
    let (code, _, err) = common::run(&[
        "scan",
        cat.to_str().unwrap(),
        "--allow-private",
        "--quiet",
        "--probes",
        "tls.scan,x509.chain,http.headers",
        "--trust-store",
        &store,
        "--read-timeout-ms",
        "2000",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let run = doc::load(&out).unwrap();
    let lib = lib();
    let verdict = |provider: &str, profile: &str| {
        let p = lib.builtin_profile(profile).unwrap();
        let docs: Vec<&TargetDoc> = run
            .targets
            .iter()
            .filter(|t| t.provider == provider)
            .collect();
        judge_provider(&p, &docs)
    };
    let result = |v: &kensa::assess::grade::ProfileVerdict, control: &str| {
        v.targets[0]
            .findings
            .iter()
            .find(|f| f.control == control)
            .map(|f| f.result)
    };
    // OpenSSL defaults: BSI passes, with warnings for the suites beyond its list.
    let v = verdict("ossl", "bsi-tr-02102-2");
    assert_eq!(v.verdict, "pass", "{v:#?}");
    assert!(
        v.counts.get(&Outcome::Warning).copied().unwrap_or(0) > 0,
        "{v:#?}"
    );
    assert_eq!(
        v.trust_stores,
        Some(vec!["mozilla".to_owned(), "lab".to_owned()])
    );
    // TLS 1.3 only: NIST passes.
    let v = verdict("fips13", "nist-sp800-52r2");
    assert_eq!(v.verdict, "pass", "{v:#?}");
    // A P-256 leaf signed by RSA: Mozilla modern fails it on the signature.
    let v = verdict("fips13", "mozilla-modern");
    assert_eq!(result(&v, "MOZ-CERT-002"), Some(Outcome::Fail), "{v:#?}");
    assert_eq!(v.verdict, "fail");
    // Anonymous suites: every profile fails (kensa-declaration judges declarations, not TLS).
    for p in lib.builtin_profiles().unwrap() {
        if p.id == "kensa-declaration" {
            continue;
        }
        let v = verdict("anon", &p.id);
        assert!(fails(&p.id, &v.verdict), "{}: {}", p.id, v.verdict);
    }
    // 3DES only: CRYPTREC's exception criterion is inconclusive on 3DES (its cipher lists were
    // not read) and fails nothing; the recommended criterion prohibits its TLS 1.0/1.1.
    let v = verdict("tdes", "cryptrec-exception");
    assert_eq!(v.verdict, "inconclusive", "{v:#?}");
    assert_eq!(result(&v, "CRYPTREC-CIPH-001"), Some(Outcome::Inconclusive));
    assert_eq!(result(&v, "CRYPTREC-PROTO-001"), Some(Outcome::Pass));
    assert_eq!(v.counts.get(&Outcome::Fail), None, "{v:#?}");
    let v = verdict("tdes", "cryptrec-recommended");
    assert_eq!(v.verdict, "fail");
    assert_eq!(result(&v, "CRYPTREC-PROTO-001"), Some(Outcome::Fail));
    // Another name: every profile with certificate requirements fails.
    for id in CERTIFICATE_PROFILES {
        let v = verdict("other", id);
        assert!(fails(id, &v.verdict), "{id}: {}", v.verdict);
    }
}

/// `kensa demo`: `hoshi` (an expired certificate for another name) fails every profile with
/// certificate requirements; `sora` earns A or A+ from ssl-labs because the evaluator's trust
/// store (the lab CA, `--trust-store lab=…`) counts, and the verdict names the stores.
#[test]
fn issue_18_demo_hoshi_fails_and_sora_is_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let (code, stdout, err) = common::run(&["demo", "--out", out.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let provider = |id: &str| {
        v["assessment"]["providers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["provider"]["id"] == id)
            .unwrap()
            .clone()
    };
    let verdict = |p: &Value, profile: &str| {
        p["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["profile"] == profile)
            .unwrap()
            .clone()
    };
    let hoshi = provider("hoshi");
    for id in CERTIFICATE_PROFILES {
        let x = verdict(&hoshi, id);
        assert!(fails(id, x["verdict"].as_str().unwrap()), "hoshi {id}: {x}");
    }
    let sora = provider("sora");
    let ssl = verdict(&sora, "ssl-labs");
    assert!(
        ["A", "A+"].contains(&ssl["verdict"].as_str().unwrap()),
        "{ssl}"
    );
    assert_eq!(ssl["trust_stores"], json!(["mozilla", "lab"]));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("trust stores counted: mozilla, lab"),
        "report names the stores"
    );
}

/// An unmet `should` is a warning in every output format and counted apart from failures:
/// `kensa assess` text, JSON and Markdown, and the report's HTML, Markdown, JSON, CSV and
/// SARIF. The verdict beside it names the trust stores that counted and the coverage.
#[test]
fn issue_18_warnings_and_coverage_in_every_output_format() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(
        dir.path(),
        &[("bsi", Some("bsi-tr-02102-2"), "openssl-default")],
    );
    let r = run.to_str().unwrap();
    // kensa assess: text.
    let (code, text, err) = common::run(&["assess", r, "--profile", "bsi-tr-02102-2"]);
    assert_eq!(code, 0, "{text}{err}");
    assert!(
        text.contains("bsi-tr-02102-2 2025-1+kensa.2: PASS"),
        "{text}"
    );
    assert!(text.contains("0 fail, 2 warning"), "{text}");
    assert!(text.contains("WARNING      BSI-CIPH-001"), "{text}");
    assert!(text.contains("trust stores counted: mozilla"), "{text}");
    assert!(text.contains("coverage: 9 clause(s) implemented"), "{text}");
    // JSON: the findings say `warning`; counts hold them apart; coverage beside the verdict.
    let (_, json_text, _) = common::run(&[
        "assess",
        r,
        "--profile",
        "bsi-tr-02102-2",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&json_text).unwrap();
    let pv = &v["providers"][0]["profiles"][0];
    assert_eq!(pv["counts"]["warning"], json!(2), "{pv}");
    assert!(pv["counts"].get("fail").is_none(), "{pv}");
    assert_eq!(pv["passed"], json!(true));
    assert_eq!(pv["trust_stores"], json!(["mozilla"]));
    assert!(pv["coverage"]["implemented"].as_array().unwrap().len() >= 5);
    let f = pv["targets"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["control"] == "BSI-CIPH-001")
        .unwrap();
    assert_eq!(f["result"], "warning");
    // Markdown.
    let (_, md, _) = common::run(&["assess", r, "--profile", "bsi-tr-02102-2", "--format", "md"]);
    assert!(md.contains("| warning | BSI-CIPH-001"), "{md}");
    assert!(md.contains("2 warning"), "{md}");
    // The report in each format.
    let report = |format: &str| {
        let (code, out, err) = common::run(&[
            "report",
            r,
            "--profile",
            "bsi-tr-02102-2",
            "--format",
            format,
        ]);
        assert_eq!(code, 0, "{format}: {err}");
        out
    };
    let html = report("html");
    assert!(
        html.contains("<span class=\"badge warning\">"),
        "html warning cell"
    );
    assert!(
        html.contains("2 warning(s): unmet recommendations, not failures"),
        "html beside the verdict"
    );
    assert!(
        html.contains("coverage: 9 clause(s) implemented"),
        "html coverage"
    );
    let md = report("md");
    assert!(
        md.contains("2 warning\\(s\\): unmet recommendations, not failures"),
        "{md}"
    );
    let json_report: Value = serde_json::from_str(&report("json")).unwrap();
    assert_eq!(
        json_report["tables"]["providers"][0]["badges"][0]["warnings"],
        json!(2)
    );
    assert!(
        json_report["tables"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["outcome"] == "warning")
    );
    let csv = report("csv");
    assert!(csv.contains(",BSI-CIPH-001,warning,"), "{csv}");
    let sarif: Value = serde_json::from_str(&report("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let w = results
        .iter()
        .find(|x| x["ruleId"] == "BSI-CIPH-001")
        .unwrap();
    assert_eq!(w["level"], "warning");
    assert_eq!(w["properties"]["outcome"], "warning");
    assert!(
        w["message"]["text"]
            .as_str()
            .unwrap()
            .contains("not a failure")
    );
}

/// Issue 19, ROBOT: KENSA-ROBOT-001 judges every address of the endpoint: one vulnerable
/// address fails it, one whose check did not decide makes it inconclusive, and an address
/// that gave no observation at all is left to KENSA-ADDR-001.
#[test]
fn robot_judges_every_address_of_the_endpoint() {
    let lib = lib();
    let homes = home_profiles(&lib);
    let p = &homes["KENSA-ROBOT-001"];
    let c = p
        .controls
        .iter()
        .find(|c| c.id == "KENSA-ROBOT-001")
        .unwrap();
    let judge = |v: Value| {
        let d = doc::from_value(v);
        evaluate(c, &d, &Bindings::new(&d, &p.params)).result
    };
    // legacy-3des: RSA key exchange, no oracle.
    let base = fixture_value("legacy-3des");
    assert_eq!(
        base["probes"]["tls.scan"]["observation"]["checks"]["robot"]["result"],
        "not-vulnerable"
    );
    assert_eq!(judge(base.clone()), Outcome::Pass);
    let with_second = |result: &str| {
        let mut v = base.clone();
        let mut other = v["probes"]["tls.scan"]["observation"].clone();
        other["address"] = json!("192.0.2.11");
        other["checks"]["robot"]["result"] = json!(result);
        v["probes"]["tls.scan"]["observation"]["other_addresses"] = json!([
            {"address": "192.0.2.11", "observation": other, "outcome": null, "error": null},
            {"address": "192.0.2.12", "observation": null, "outcome": "timeout", "error": "timed out"}
        ]);
        v
    };
    assert_eq!(judge(with_second("vulnerable")), Outcome::Fail);
    assert_eq!(judge(with_second("inconclusive")), Outcome::Inconclusive);
    assert_eq!(judge(with_second("not-vulnerable")), Outcome::Pass);
    assert_eq!(judge(with_second("not-applicable")), Outcome::Pass);
}

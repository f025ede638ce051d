//! `kensa keygen`, `kensa bundle` and `kensa verify BUNDLE` through the binary: a bundle of a
//! real loopback run verifies; altering, removing or adding any member, or pinning another
//! key, is named; the manifest records the geolocation databases and trust stores of the
//! evidence; openssl verifies the signature by hand.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use kensa::evidence::{
    AddressSource, Evidence, EvidenceWriter, ProviderInfo, Record, RunBegin, RunStatus, TargetRef,
};
use kensa_probe::{Fault, Outcome};
use serde_json::{Value, json};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A run of the latency probe against a loopback listener.
fn scan_run(dir: &Path) -> PathBuf {
    let l = common::listener();
    let port = l.local_addr().unwrap().port();
    let out = dir.join("run");
    let (code, _, err) = common::run(&[
        "scan",
        &format!("127.0.0.1:{port}"),
        "--allow-private",
        "--quiet",
        "--probes",
        "latency.tcp",
        "--samples",
        "2",
        "--out",
        s(&out),
    ]);
    assert_eq!(code, 0, "{err}");
    out
}

/// A run written with the evidence writer from the `modern` assessment fixture, with a
/// geolocation database and a trust store in its observations; fixed ids and times.
fn synthetic_run(dir: &Path, finish: bool) -> PathBuf {
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/assess/modern.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let out = dir.join("synthetic");
    let mut w = EvidenceWriter::create(&out).unwrap();
    w.append(&Record::RunBegin(RunBegin {
        schema_version: kensa::evidence::SCHEMA_VERSION,
        run_id: "r-bundle-test".into(),
        tool: kensa::TOOL.into(),
        started_at: "2026-11-22T00:00:00.000000Z".into(),
        catalog: "catalog.toml".into(),
        providers: 1,
        endpoints: 1,
        probes: vec![],
        vantage: None,
        settings: json!({}),
        provider_details: vec![ProviderInfo {
            id: "fixture".into(),
            name: Some("Fixture Cloud".into()),
            declared_country: Some("JP".into()),
            applies_for: Some("kensa-level-2".into()),
        }],
        catalog_digest: None,
        options: None,
        options_digest: None,
    }))
    .unwrap();
    let target = TargetRef {
        id: "fixture/modern.example.test:443".into(),
        provider: "fixture".into(),
        host: "modern.example.test".into(),
        port: 443,
        sni: None,
        addresses: vec!["192.0.2.10".parse().unwrap()],
        address_source: AddressSource::Resolved,
    };
    for (probe, p) in fixture["probes"].as_object().unwrap() {
        let mut obs = p["observation"].clone();
        if probe == "geo.residency" {
            obs["sources"] = json!([{
                "kind": "database", "file": "geo-whois-asn-country.mmdb",
                "detail": "geo-whois-asn-country", "build_date": "2026-11-01T00:00:00Z",
                "package": "@ip-location-db/geo-whois-asn-country-mmdb@2.3.2026110112 \
                            (sha256 1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988)"
            }, {"kind": "asn", "file": "asn.csv", "detail": "start,end,asn,org", "entries": 3}]);
        }
        w.append(&Record::Evidence(Evidence {
            schema_version: kensa::evidence::SCHEMA_VERSION,
            run_id: "r-bundle-test".into(),
            target: target.clone(),
            probe: probe.clone(),
            probe_version: "1".into(),
            vantage: None,
            started_at: "2026-11-22T00:00:01.000000Z".into(),
            elapsed_us: 1000,
            outcome: Outcome::Success,
            fault: Fault::None,
            observation: serde_json::value::to_raw_value(&obs).ok(),
            error: None,
        }))
        .unwrap();
    }
    if finish {
        w.finish(
            "r-bundle-test",
            "2026-11-22T00:00:02.000000Z".into(),
            RunStatus::Complete,
        )
        .unwrap();
    }
    out
}

fn keygen(dir: &Path, name: &str) -> PathBuf {
    let key = dir.join(name);
    let (code, out, err) = common::run(&["keygen", "-o", s(&key)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("fingerprint: sha256:"), "{out}");
    key
}

fn bundle(run: &Path, key: &Path, out: &Path) {
    let (code, text, err) = common::run(&["bundle", s(run), "--sign", s(key), "-o", s(out)]);
    assert_eq!(code, 0, "{text}{err}");
}

/// (name, data offset, size) of each member.
fn members(path: &Path) -> Vec<(String, u64, u64)> {
    let f = std::fs::File::open(path).unwrap();
    let mut a = tar::Archive::new(f);
    a.entries()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.path().unwrap().display().to_string(),
                e.raw_file_position(),
                e.header().size().unwrap(),
            )
        })
        .collect()
}

fn member(path: &Path, name: &str) -> Vec<u8> {
    let f = std::fs::File::open(path).unwrap();
    let mut a = tar::Archive::new(f);
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        if e.path().unwrap().to_str() == Some(name) {
            let mut v = Vec::new();
            e.read_to_end(&mut v).unwrap();
            return v;
        }
    }
    panic!("no member {name}");
}

/// A copy of `bundle` with one byte of `name`'s content (at `at` within it) changed.
fn flip(bundle: &Path, name: &str, at: impl Fn(&[u8]) -> usize, out: &Path) {
    let (_, off, _) = members(bundle)
        .into_iter()
        .find(|(n, _, _)| n == name)
        .unwrap();
    let content = member(bundle, name);
    let i = at(&content);
    let mut bytes = std::fs::read(bundle).unwrap();
    let b = &mut bytes[off as usize + i];
    // Keep it printable and in the same character class, so a JSON file stays JSON.
    *b = match *b {
        b'0'..=b'8' | b'a'..=b'y' | b'A'..=b'Y' => *b + 1,
        b'9' => b'0',
        b'z' => b'a',
        _ => *b ^ 0x01,
    };
    std::fs::write(out, bytes).unwrap();
}

/// A copy of `bundle` rebuilt from `members` (name, bytes).
fn rebuild(members: &[(String, Vec<u8>)], out: &Path) {
    let mut b = tar::Builder::new(std::fs::File::create(out).unwrap());
    for (name, bytes) in members {
        let mut h = tar::Header::new_ustar();
        h.set_path(name).unwrap();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, bytes.as_slice()).unwrap();
    }
    b.finish().unwrap();
}

fn all_members(bundle: &Path) -> Vec<(String, Vec<u8>)> {
    members(bundle)
        .into_iter()
        .map(|(n, _, _)| {
            let b = member(bundle, &n);
            (n, b)
        })
        .collect()
}

fn verify_json(args: &[&str]) -> (i32, Value) {
    let mut a = vec!["--json", "verify"];
    a.extend_from_slice(args);
    let (code, out, err) = common::run(&a);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v)
}

fn altered(v: &Value) -> Vec<String> {
    v["altered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn keygen_bundle_verify_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let run = scan_run(d.path());
    let key = keygen(d.path(), "key");
    let b = d.path().join("run.kensa");
    bundle(&run, &key, &b);
    // Five members; the evidence byte for byte.
    let names: Vec<String> = members(&b).into_iter().map(|m| m.0).collect();
    assert_eq!(
        names,
        [
            "manifest.json",
            "manifest.sig",
            "signer.pub",
            "evidence.jsonl",
            "assessment.json"
        ]
    );
    assert_eq!(
        member(&b, "evidence.jsonl"),
        std::fs::read(run.join("evidence.jsonl")).unwrap()
    );
    // The assessment is what `kensa assess --json` prints, but for the evidence path.
    let (_, assess, _) = common::run(&["--json", "assess", s(&run)]);
    let mut want: Value = serde_json::from_str(&assess).unwrap();
    want["evidence"] = json!("evidence.jsonl");
    let got: Value = serde_json::from_slice(&member(&b, "assessment.json")).unwrap();
    assert_eq!(got, want);
    // The manifest: the chain head of the run and every member's hash.
    let m: Value = serde_json::from_slice(&member(&b, "manifest.json")).unwrap();
    let head = common::last_record(&run)["hash"].clone();
    assert_eq!(m["evidence"]["head"], head);
    assert_eq!(m["evidence"]["integrity"], "intact");
    assert_eq!(m["tool"], kensa::TOOL);
    assert_eq!(m["members"].as_array().unwrap().len(), 3);
    let pubkey = std::fs::read(d.path().join("key.pub")).unwrap();
    assert_eq!(member(&b, "signer.pub"), pubkey);

    let (code, text, err) = common::run(&["verify", s(&b)]);
    assert_eq!(code, 0, "{text}{err}");
    assert!(text.starts_with("VALID: "), "{text}");
    assert!(text.contains("not pinned"), "{text}");
    assert!(!text.contains("BAD"), "{text}");
    let (code, text, _) = common::run(&["verify", s(&b), "--key", s(&d.path().join("key.pub"))]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("(pinned with --key)"), "{text}");
    // The extension does not matter: detection is by content.
    let renamed = d.path().join("evidence.jsonl");
    std::fs::copy(&b, &renamed).unwrap();
    let (code, v) = verify_json(&[s(&renamed)]);
    assert_eq!(code, 0);
    assert_eq!(v["kind"], "bundle");
    assert_eq!(v["valid"], true);
    // A run directory keeps its own verification, which has no --key.
    let (code, text, _) = common::run(&["verify", s(&run)]);
    assert_eq!(code, 0);
    assert!(text.starts_with("intact: "), "{text}");
    let (code, _, err) = common::run(&["verify", s(&run), "--key", s(&key)]);
    assert_eq!(code, 2);
    assert!(err.contains("--key applies to bundles only"), "{err}");
    // The bundle is never overwritten.
    let (code, _, err) = common::run(&["bundle", s(&run), "--sign", s(&key), "-o", s(&b)]);
    assert_eq!(code, 2);
    assert!(err.contains("refusing to overwrite"), "{err}");
}

/// Where in a member's content to change a byte.
type Pick = dyn Fn(&[u8]) -> usize;

#[test]
fn a_changed_byte_in_each_member_is_named() {
    let d = tempfile::tempdir().unwrap();
    let run = scan_run(d.path());
    let key = keygen(d.path(), "key");
    let b = d.path().join("b.tar");
    bundle(&run, &key, &b);
    let middle = |c: &[u8]| c.len() / 2;
    // A byte inside a JSON string value keeps the file JSON.
    let in_value = |needle: &'static str| {
        move |c: &[u8]| {
            let t = std::str::from_utf8(c).unwrap();
            t.find(needle).unwrap() + needle.len() + 2
        }
    };
    // A byte inside line 2's run id (line 1, run-begin, may be longer than half the file).
    let in_line_2 = |c: &[u8]| {
        let t = std::str::from_utf8(c).unwrap();
        let line2 = t.find('\n').unwrap() + 1;
        let needle = "\"run_id\":\"";
        line2 + t[line2..].find(needle).unwrap() + needle.len() + 2
    };
    let cases: Vec<(&str, Box<Pick>, &str)> = vec![
        (
            "evidence.jsonl",
            Box::new(in_line_2),
            "evidence.jsonl altered",
        ),
        (
            "assessment.json",
            Box::new(in_value("\"run_id\": \"")),
            "assessment.json altered",
        ),
        (
            "assessment.json",
            Box::new(middle),
            "assessment.json altered",
        ),
        (
            "manifest.json",
            Box::new(in_value("\"created_at\": \"")),
            "manifest.json altered",
        ),
        ("manifest.json", Box::new(middle), "manifest.json altered"),
        (
            "manifest.sig",
            Box::new(in_value("signature: ")),
            "manifest.sig altered",
        ),
        (
            "manifest.sig",
            Box::new(in_value("manifest-sha256: ")),
            "manifest.sig altered",
        ),
        ("signer.pub", Box::new(middle), "signer.pub altered"),
    ];
    for (i, (name, at, phrase)) in cases.iter().enumerate() {
        let out = d.path().join(format!("flip{i}.tar"));
        flip(&b, name, at, &out);
        let (code, text, err) = common::run(&["verify", s(&out)]);
        assert_eq!(code, 1, "{name}: {text}{err}");
        assert!(
            text.starts_with(&format!("ALTERED: {}: {name}", s(&out))),
            "{name}: {text}"
        );
        assert!(text.contains(phrase), "{name}: {text}");
        let (_, v) = verify_json(&[s(&out)]);
        assert_eq!(altered(&v), [name.to_string()], "{name}: {text}");
        assert_eq!(v["valid"], false);
    }
    // The evidence names the first bad line, as `kensa verify RUN` does.
    let out = d.path().join("flip0.tar");
    let (_, text, _) = common::run(&["verify", s(&out)]);
    assert!(
        text.contains("line 2: the content was altered: its hash does not match"),
        "{text}"
    );
    // A signature that does not verify says so in the words of the issue.
    let out = d.path().join("flip3.tar");
    let (_, text, _) = common::run(&["verify", s(&out)]);
    assert!(
        text.contains("manifest altered or signed by another key"),
        "{text}"
    );
}

#[test]
fn a_wrong_key_a_removed_and_an_extra_member_are_named() {
    let d = tempfile::tempdir().unwrap();
    let run = scan_run(d.path());
    let key = keygen(d.path(), "key");
    let other = keygen(d.path(), "other");
    let b = d.path().join("b.tar");
    bundle(&run, &key, &b);

    // Pinned to another key.
    let other_pub = d.path().join("other.pub");
    let (code, text, _) = common::run(&["verify", s(&b), "--key", s(&other_pub)]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.starts_with(&format!("INVALID: {}: signed by another key\n", s(&b))),
        "{text}"
    );
    // A private key given as --key is pointed out.
    let (code, _, err) = common::run(&["verify", s(&b), "--key", s(&key)]);
    assert_eq!(code, 2);
    assert!(err.contains("this is a private key"), "{err}");
    let (_, v) = verify_json(&[s(&b), "--key", s(&other_pub)]);
    assert_eq!(altered(&v), ["signer"]);
    assert_eq!(v["pinned"], true);
    // Not a public key at all: unreadable input.
    let (code, _, err) = common::run(&["verify", s(&b), "--key", s(&run.join("evidence.jsonl"))]);
    assert_eq!(code, 2);
    assert!(err.contains("not an Ed25519 public key"), "{err}");

    // Re-signed with another key and the key swapped: valid on its own, refused when pinned.
    let ms = all_members(&b);
    let forged = d.path().join("forged.tar");
    let manifest = &ms[0].1;
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(["bundle", s(&run), "--sign", s(&other), "-o", s(&forged)])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_ne!(&member(&forged, "manifest.json"), manifest);
    let (code, _) = verify_json(&[s(&forged)]);
    assert_eq!(code, 0);
    let (code, v) = verify_json(&[s(&forged), "--key", s(&d.path().join("key.pub"))]);
    assert_eq!(code, 1);
    assert_eq!(altered(&v), ["signer"]);

    // Each member removed in turn.
    for name in [
        "evidence.jsonl",
        "assessment.json",
        "manifest.json",
        "manifest.sig",
        "signer.pub",
    ] {
        let kept: Vec<(String, Vec<u8>)> = ms.iter().filter(|m| m.0 != name).cloned().collect();
        let out = d.path().join(format!("without-{name}.tar"));
        rebuild(&kept, &out);
        let (code, text, _) = common::run(&["verify", s(&out)]);
        assert_eq!(code, 1, "{name}: {text}");
        assert!(text.contains(&format!("{name} missing")), "{name}: {text}");
        let (_, v) = verify_json(&[s(&out)]);
        assert!(altered(&v).contains(&name.to_owned()), "{name}: {text}");
    }
    // A member added, and a member given twice.
    let mut extra = ms.clone();
    extra.push(("notes.txt".into(), b"hello".to_vec()));
    let out = d.path().join("extra.tar");
    rebuild(&extra, &out);
    let (code, v) = verify_json(&[s(&out)]);
    assert_eq!(code, 1);
    assert_eq!(altered(&v), ["notes.txt"]);
    let mut twice = ms.clone();
    twice.push(("evidence.jsonl".into(), b"{}\n".to_vec()));
    let out = d.path().join("twice.tar");
    rebuild(&twice, &out);
    let (code, text, _) = common::run(&["verify", s(&out)]);
    assert_eq!(code, 1);
    assert!(text.contains("evidence.jsonl appears 2 times"), "{text}");
    // Not readable at all: exit 2.
    let (code, _, err) = common::run(&["verify", s(&d.path().join("absent.tar"))]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn evidence_rechained_after_an_edit_is_named() {
    // Editing the evidence and recomputing the whole hash chain (which needs no secret)
    // leaves a chain that verifies: the manifest's head and hash, and the fresh grading,
    // still name the evidence.
    let d = tempfile::tempdir().unwrap();
    let run = synthetic_run(d.path(), true);
    let key = keygen(d.path(), "key");
    let b = d.path().join("b.tar");
    bundle(&run, &key, &b);
    let records = kensa::evidence::read_records(&run).unwrap();
    let mut w = EvidenceWriter::create(&d.path().join("edited")).unwrap();
    for r in &records {
        let mut r = r.clone();
        if let Record::Evidence(e) = &mut r
            && e.probe == "tls.scan"
        {
            e.outcome = Outcome::Timeout;
        }
        if let Record::RunEnd(_) = r {
            break;
        }
        w.append(&r).unwrap();
    }
    w.finish(
        "r-bundle-test",
        "2026-11-22T00:00:02.000000Z".into(),
        RunStatus::Complete,
    )
    .unwrap();
    let edited = std::fs::read(d.path().join("edited/evidence.jsonl")).unwrap();
    let mut ms = all_members(&b);
    for m in &mut ms {
        if m.0 == "evidence.jsonl" {
            m.1 = edited.clone();
        }
    }
    let out = d.path().join("rechained.tar");
    rebuild(&ms, &out);
    let (code, text, _) = common::run(&["verify", s(&out)]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.starts_with(&format!("ALTERED: {}: evidence.jsonl\n", s(&out))),
        "{text}"
    );
    assert!(text.contains("the chain head"), "{text}");
    assert!(
        text.contains("re-grading it no longer gives assessment.json"),
        "{text}"
    );
    assert!(
        text.contains("ok  evidence.jsonl: intact, complete"),
        "{text}"
    );
}

#[test]
fn manifest_records_geolocation_databases_trust_stores_and_profiles() {
    let d = tempfile::tempdir().unwrap();
    let run = synthetic_run(d.path(), true);
    let key = keygen(d.path(), "key");
    let b = d.path().join("b.tar");
    let (code, text, err) = common::run(&["bundle", s(&run), "--sign", s(&key), "-o", s(&b)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("geolocation databases: asn.csv, geo-whois-asn-country.mmdb (@ip-location-db/geo-whois-asn-country-mmdb@2.3.2026110112)"),
        "{text}"
    );
    assert!(text.contains("trust stores: mozilla"), "{text}");
    let m: Value = serde_json::from_slice(&member(&b, "manifest.json")).unwrap();
    let geo = m["geolocation_databases"].as_array().unwrap();
    assert_eq!(geo.len(), 2, "{geo:?}");
    let db = geo.iter().find(|g| g["kind"] == "database").unwrap();
    assert_eq!(db["package"], "@ip-location-db/geo-whois-asn-country-mmdb");
    assert_eq!(db["version"], "2.3.2026110112");
    assert_eq!(db["build_date"], "2026-11-01T00:00:00Z");
    assert_eq!(db["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        m["trust_stores"],
        json!([{"name": "mozilla", "anchors": 120}])
    );
    let profiles: Vec<&str> = m["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        profiles,
        ["kensa-level-1", "kensa-level-2", "kensa-level-3"]
    );
    assert_eq!(
        m["assessment"]["providers"][0]["applies_for"],
        "kensa-level-2"
    );
    assert_eq!(m["run_id"], "r-bundle-test");
    let (code, text, _) = common::run(&["verify", s(&b)]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn an_incomplete_run_bundles_and_verifies_as_incomplete_but_intact() {
    let d = tempfile::tempdir().unwrap();
    let run = synthetic_run(d.path(), false);
    let key = keygen(d.path(), "key");
    let b = d.path().join("b.tar");
    bundle(&run, &key, &b);
    let (code, text, _) = common::run(&["verify", s(&b)]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("incomplete but intact"), "{text}");
    let m: Value = serde_json::from_slice(&member(&b, "manifest.json")).unwrap();
    assert_eq!(m["evidence"]["integrity"], "incomplete");
    assert!(m["evidence"].get("run_status").is_none());
}

#[test]
fn a_tampered_run_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let run = synthetic_run(d.path(), true);
    let key = keygen(d.path(), "key");
    let f = run.join("evidence.jsonl");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, text.replacen("\"success\"", "\"timeout\"", 1)).unwrap();
    let b = d.path().join("b.tar");
    let (code, _, err) = common::run(&["bundle", s(&run), "--sign", s(&key), "-o", s(&b)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("evidence.jsonl:2: the evidence was tampered with"),
        "{err}"
    );
    assert!(err.contains("refusing to bundle it"), "{err}");
    assert!(!b.exists());
}

#[test]
fn keygen_refuses_to_overwrite_and_writes_a_private_key_file() {
    let d = tempfile::tempdir().unwrap();
    let key = keygen(d.path(), "key");
    let before = std::fs::read(&key).unwrap();
    let (code, _, err) = common::run(&["keygen", "-o", s(&key)]);
    assert_eq!(code, 2);
    assert!(err.contains("exists: refusing to overwrite it"), "{err}");
    assert_eq!(std::fs::read(&key).unwrap(), before);
    // Also when only the .pub is in the way; nothing is written then.
    let lone = d.path().join("lone");
    std::fs::write(d.path().join("lone.pub"), "x").unwrap();
    let (code, _, err) = common::run(&["keygen", "-o", s(&lone)]);
    assert_eq!(code, 2, "{err}");
    assert!(!lone.exists());
    let text = String::from_utf8(before).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{text}");
    let pubtext = std::fs::read_to_string(d.path().join("key.pub")).unwrap();
    assert!(
        pubtext.starts_with("-----BEGIN PUBLIC KEY-----\n"),
        "{pubtext}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // JSON output names both files and the fingerprint.
    let (code, out, _) = common::run(&["--json", "keygen", "-o", s(&d.path().join("k2"))]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["fingerprint"].as_str().unwrap().starts_with("sha256:"));
    assert!(v["public_key"].as_str().unwrap().ends_with("k2.pub"));
}

#[test]
fn openssl_verifies_the_signature_and_the_fingerprint_by_hand() {
    if !kensa_probe::testing::tool_available("openssl", &["version"]) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let run = synthetic_run(d.path(), true);
    let key = keygen(d.path(), "key");
    let b = d.path().join("b.tar");
    bundle(&run, &key, &b);
    let x = d.path().join("x");
    std::fs::create_dir(&x).unwrap();
    for (name, bytes) in all_members(&b) {
        std::fs::write(x.join(name), bytes).unwrap();
    }
    let sig = std::fs::read_to_string(x.join("manifest.sig")).unwrap();
    let line = sig
        .lines()
        .find_map(|l| l.strip_prefix("signature: "))
        .unwrap();
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(line)
        .unwrap();
    std::fs::write(x.join("sig.bin"), raw).unwrap();
    let verify = |manifest: &str| {
        std::process::Command::new("openssl")
            .args([
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                "signer.pub",
                "-rawin",
            ])
            .args(["-in", manifest, "-sigfile", "sig.bin"])
            .current_dir(&x)
            .output()
            .unwrap()
    };
    let o = verify("manifest.json");
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let mut m = std::fs::read(x.join("manifest.json")).unwrap();
    m[20] ^= 1;
    std::fs::write(x.join("altered.json"), m).unwrap();
    assert!(!verify("altered.json").status.success());
    // The fingerprint is the SHA-256 of the SPKI DER, and openssl reads the private key.
    let der = std::process::Command::new("openssl")
        .args(["pkey", "-pubin", "-in", "signer.pub", "-outform", "DER"])
        .current_dir(&x)
        .output()
        .unwrap();
    assert!(der.status.success());
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(x.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["signer"]["fingerprint"].as_str().unwrap(),
        format!("sha256:{}", kensa::evidence::sha256_hex(&der.stdout))
    );
    let o = std::process::Command::new("openssl")
        .args(["pkey", "-in"])
        .arg(&key)
        .arg("-pubout")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout, std::fs::read(x.join("signer.pub")).unwrap());
    // Each member's hash is in the manifest.
    for mem in manifest["members"].as_array().unwrap() {
        let bytes = std::fs::read(x.join(mem["name"].as_str().unwrap())).unwrap();
        assert_eq!(mem["sha256"], kensa::evidence::sha256_hex(&bytes));
    }
}

fn redact(text: &str, dir: &Path) -> String {
    text.replace(s(dir), "[DIR]")
}

#[test]
fn verify_text_snapshots() {
    let d = tempfile::tempdir().unwrap();
    let run = synthetic_run(d.path(), true);
    let key = keygen(d.path(), "key");
    let b = d.path().join("b.tar");
    bundle(&run, &key, &b);
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"[0-9a-f]{64}", "[SHA256]");
    settings.add_filter(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", "[TIME]");
    settings.add_filter(r"kensa \d+\.\d+\.\d+", "kensa [VERSION]");
    // The assessment's size follows the controls of the built-in profiles.
    settings.add_filter(r"\(\d+ bytes\)", "([N] bytes)");
    settings.bind(|| {
        let (code, text, _) = common::run(&["verify", s(&b)]);
        assert_eq!(code, 0, "{text}");
        insta::assert_snapshot!("verify_valid", redact(&text, d.path()));
        let out = d.path().join("altered.tar");
        flip(
            &b,
            "assessment.json",
            |c| {
                let t = std::str::from_utf8(c).unwrap();
                t.find("\"run_id\": \"").unwrap() + 11
            },
            &out,
        );
        let (code, text, _) = common::run(&["verify", s(&out)]);
        assert_eq!(code, 1, "{text}");
        insta::assert_snapshot!("verify_assessment_altered", redact(&text, d.path()));
    });
}

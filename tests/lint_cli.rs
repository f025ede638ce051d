//! `kensa lint` (issue 22): a chain judged offline through the binary, with the fixture PKI:
//! the text output (snapshot), JSON, exit codes, `--crl`, `--list`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::path::{Path, PathBuf};

fn pki(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pki")
        .join(name)
}

fn chain_file(dir: &Path, names: &[&str]) -> PathBuf {
    let mut pem = Vec::new();
    for n in names {
        pem.extend(std::fs::read(pki(n)).unwrap());
    }
    let p = dir.join("chain.pem");
    std::fs::write(&p, pem).unwrap();
    p
}

fn store_arg() -> String {
    format!("test={}", pki("root-rsa.pem").display())
}

#[test]
fn lint_a_chain_offline_text_json_and_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let chain = chain_file(dir.path(), &["leaf-rsa.pem", "inter-rsa.pem"]);
    let store = store_arg();
    let args = [
        "lint",
        chain.to_str().unwrap(),
        "--host",
        "www.good.test",
        "--time",
        "2026-06-01T00:00:00Z",
        "--trust-store",
        &store,
    ];
    let (code, stdout, stderr) = common::run(&args);
    // The fixture CA's names lack countryName (CA/B BR §7.1.2.10.2): error lints, exit 1.
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("lint_text", stdout);

    let mut json_args = vec!["--json"];
    json_args.extend_from_slice(&args);
    let (code, stdout, _) = common::run(&json_args);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let trust = v["trust"].as_array().unwrap();
    assert_eq!(trust.len(), 2, "mozilla and the given store");
    assert_eq!(trust[1]["store"], "test");
    assert_eq!(trust[1]["verdict"], "trusted");
    let lints = v["lints"].as_array().unwrap();
    assert_eq!(
        lints.len(),
        3,
        "leaf, intermediate, and the anchor's own certificate"
    );
    assert_eq!(lints[2]["store"], "test");
}

#[test]
fn lint_with_an_offline_crl() {
    use rcgen::{
        CertificateParams, CertificateRevocationListParams, DistinguishedName, DnType, Issuer,
        KeyIdMethod, KeyPair, KeyUsagePurpose, RevokedCertParams, SerialNumber, date_time_ymd,
    };
    let dir = tempfile::tempdir().unwrap();
    let chain = chain_file(dir.path(), &["leaf-rsa.pem", "inter-rsa.pem"]);
    // A CRL from the fixture intermediate (its name and key) that lists the leaf (serial 1001).
    let key =
        KeyPair::from_pem(&std::fs::read_to_string(pki("keys/inter-rsa.key")).unwrap()).unwrap();
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "Kensa Test CA");
    dn.push(DnType::CommonName, "Kensa Test Intermediate RSA");
    params.distinguished_name = dn;
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let issuer = Issuer::new(params, key);
    let crl = CertificateRevocationListParams {
        this_update: date_time_ymd(2026, 5, 20),
        next_update: date_time_ymd(2026, 6, 20),
        crl_number: SerialNumber::from_slice(&[7]),
        issuing_distribution_point: None,
        revoked_certs: vec![RevokedCertParams {
            serial_number: SerialNumber::from_slice(&[0x10, 0x01]),
            revocation_time: date_time_ymd(2026, 5, 10),
            reason_code: None,
            invalidity_date: None,
        }],
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&issuer)
    .unwrap();
    let crl_path = dir.path().join("inter.crl.pem");
    std::fs::write(&crl_path, crl.pem().unwrap()).unwrap();
    let store = store_arg();
    let (code, stdout, stderr) = common::run(&[
        "--json",
        "lint",
        chain.to_str().unwrap(),
        "--time",
        "2026-06-01T00:00:00Z",
        "--trust-store",
        &store,
        "--crl",
        crl_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let t = &v["trust"][1];
    assert_eq!(t["verdict"], "untrusted");
    assert_eq!(t["reasons"], serde_json::json!(["revoked"]), "{t}");
    assert!(
        t["details"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["source"] == "crl" && d["index"] == 0),
        "{t}"
    );
    // Not a CRL: exit 2, saying which file.
    let bad = dir.path().join("bad.crl");
    std::fs::write(&bad, b"junk").unwrap();
    let (code, _, stderr) = common::run(&[
        "lint",
        chain.to_str().unwrap(),
        "--crl",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("bad.crl"), "{stderr}");
}

#[test]
fn lint_usage_errors_and_the_rule_list() {
    let (code, _, stderr) = common::run(&["lint", "/nonexistent/chain.pem"]);
    assert_eq!(code, 2, "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let chain = chain_file(dir.path(), &["leaf-rsa.pem"]);
    let (code, _, stderr) = common::run(&["lint", chain.to_str().unwrap(), "--time", "yesterday"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("RFC 3339"), "{stderr}");
    let (code, stdout, _) = common::run(&["lint", "--list"]);
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), kensa_probe_x509::LINTS.len());
    let (code, stdout, _) = common::run(&["lint", "--list", "--markdown"]);
    assert_eq!(code, 0);
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lints.md"))
            .unwrap();
    assert_eq!(stdout, committed);
}

//! Every fixture chain: the exact verdict and the exact set of reasons at a fixed scan time.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{SCAN, at, chain, der, test_store};
use kensa_probe_x509::{
    CertStatus, ChainInput, ChainObservation, Error, Input, OcspSignature, Reason, TrustStore,
    ValidationLevel, Verdict, analyse, analyse_chain,
};

fn run(c: &ChainInput, host: &str, scan: u64) -> ChainObservation {
    analyse_chain(host, at(scan), c, &[test_store()])
}

fn verdict(names: &[&str], host: &str) -> (Verdict, Vec<Reason>) {
    let o = run(&chain(names), host, SCAN);
    let v = &o.trust[0];
    (v.verdict, v.reasons.clone())
}

use Reason::*;
const OK: (Verdict, Vec<Reason>) = (Verdict::Trusted, Vec::new());

fn bad(r: &[Reason]) -> (Verdict, Vec<Reason>) {
    (Verdict::Untrusted, r.to_vec())
}

#[test]
fn good_rsa_chain_and_its_fields() {
    let o = run(
        &chain(&["leaf-rsa.pem", "inter-rsa.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        OK,
        "{:?}",
        o.trust[0]
    );
    assert_eq!(o.trust[0].webpki, "ok");
    assert_eq!(o.trust[0].path, vec![0, 1]);
    assert_eq!(
        o.trust[0].anchor.as_deref(),
        Some("CN=Kensa Test Root RSA,O=Kensa Test CA")
    );
    assert!(o.served.order_correct && !o.served.root_sent && !o.served.missing_intermediate);
    assert!(o.served.duplicates.is_empty() && o.served.unrelated.is_empty());
    let d = o.certificates[0].details.as_ref().unwrap();
    assert_eq!(d.subject, "CN=www.good.test");
    assert_eq!(d.issuer, "CN=Kensa Test Intermediate RSA,O=Kensa Test CA");
    assert_eq!(d.serial, "1001");
    assert_eq!(d.san.dns, vec!["www.good.test", "good.test"]);
    assert_eq!(d.validity.not_before, "2026-01-01T00:00:00Z");
    assert_eq!(d.validity.not_after, "2026-12-01T00:00:00Z");
    assert_eq!(d.validity.days_left, 183);
    assert_eq!(d.validity.lifetime_seconds, 334 * 86_400 + 1);
    assert_eq!(
        (
            d.public_key.algorithm.as_str(),
            d.public_key.bits,
            d.public_key.rsa_exponent
        ),
        ("rsa", Some(2048), Some(65537))
    );
    assert_eq!(d.signature_algorithm.name, "sha256WithRSAEncryption");
    assert_eq!(
        d.key_usage.as_deref(),
        Some(&["digitalSignature".to_owned(), "keyEncipherment".to_owned()][..])
    );
    assert_eq!(
        d.extended_key_usage.as_deref(),
        Some(&["serverAuth".to_owned(), "clientAuth".to_owned()][..])
    );
    assert_eq!(d.aia.ocsp, vec!["http://ocsp.pki.test/"]);
    assert_eq!(d.aia.ca_issuers, vec!["http://pki.test/inter-rsa.der"]);
    assert_eq!(
        d.crl_distribution_points,
        vec!["http://crl.pki.test/inter-rsa.crl"]
    );
    assert_eq!(d.policies, vec!["2.23.140.1.2.1"]);
    assert_eq!(d.validation_level, Some(ValidationLevel::Dv));
    assert_eq!(d.scts.len(), 2);
    assert_eq!(d.scts[0].log_id, "11".repeat(32));
    assert_eq!(d.scts[0].timestamp, "2026-01-01T00:00:00Z");
    assert!(!d.must_staple && !d.self_signed && d.basic_constraints.is_none());
    assert_eq!(d.spki_sha256.len(), 64);
    let inter = o.certificates[1].details.as_ref().unwrap();
    let bc = inter.basic_constraints.as_ref().unwrap();
    assert!(bc.ca && bc.path_len == Some(0));
    assert_eq!(o.issuing_ca.organization.as_deref(), Some("Kensa Test CA"));
    assert!(o.issuing_ca.caa_identifiers.is_empty());
    assert_eq!(o.hostname.matched_by.as_deref(), Some("www.good.test"));
    assert_eq!(o.hostname.webpki_matched, Some(true));
}

#[test]
fn good_ecdsa_chain() {
    let o = run(
        &chain(&["leaf-ec.pem", "inter-ec.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!((o.trust[0].verdict, o.trust[0].reasons.clone()), OK);
    let d = o.certificates[0].details.as_ref().unwrap();
    assert_eq!(
        (
            d.public_key.algorithm.as_str(),
            d.public_key.curve.as_deref(),
            d.public_key.bits
        ),
        ("ec", Some("P-256"), Some(256))
    );
    assert_eq!(d.signature_algorithm.name, "ecdsa-with-SHA256");
}

#[test]
fn several_stores_at_once() {
    let stores = [TrustStore::mozilla(), test_store()];
    let o = analyse(&Input {
        host: "www.good.test".into(),
        scan_time: at(SCAN),
        chains: vec![chain(&["leaf-rsa.pem", "inter-rsa.pem"])],
        trust_stores: &stores,
        caa: None,
        extra_cas: &[],
    });
    let c = &o.chains[0];
    assert_eq!(c.trust[0].store, "mozilla");
    assert_eq!(
        (c.trust[0].verdict, c.trust[0].reasons.clone()),
        bad(&[UnknownIssuer])
    );
    assert_eq!(c.trust[0].webpki, "UnknownIssuer");
    assert_eq!((c.trust[1].verdict, c.trust[1].reasons.clone()), OK);
    assert_eq!(c.served.top_issuer_in_stores, vec!["test"]);
    assert!(o.trust_stores[0].anchors > 100);
    assert_eq!(o.scan_time, "2026-06-01T00:00:00Z");
}

#[test]
fn expired_leaf() {
    assert_eq!(
        verdict(&["leaf-expired.pem", "inter-rsa.pem"], "www.good.test"),
        bad(&[Expired])
    );
}

#[test]
fn not_yet_valid_leaf() {
    assert_eq!(
        verdict(&["leaf-notyet.pem", "inter-rsa.pem"], "www.good.test"),
        bad(&[NotYetValid])
    );
}

#[test]
fn wrong_host() {
    let o = run(
        &chain(&["leaf-rsa.pem", "inter-rsa.pem"]),
        "other.test",
        SCAN,
    );
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        bad(&[HostnameMismatch])
    );
    assert_eq!(o.hostname.webpki_matched, Some(false));
}

#[test]
fn wildcards() {
    let w = ["leaf-wildcard.pem", "inter-rsa.pem"];
    assert_eq!(verdict(&w, "b.a.test"), OK);
    assert_eq!(verdict(&w, "B.A.TEST."), OK);
    assert_eq!(verdict(&w, "a.test"), bad(&[HostnameMismatch]));
    assert_eq!(verdict(&w, "c.b.a.test"), bad(&[HostnameMismatch]));
    // No partial-label wildcards: `b*.a.test` matches nothing.
    assert_eq!(
        verdict(&["leaf-partial-wildcard.pem", "inter-rsa.pem"], "bx.a.test"),
        bad(&[HostnameMismatch])
    );
    assert_eq!(
        verdict(&["leaf-partial-wildcard.pem", "inter-rsa.pem"], "b.a.test"),
        bad(&[HostnameMismatch])
    );
}

#[test]
fn self_signed_leaf() {
    let o = run(&chain(&["self-signed.pem"]), "www.good.test", SCAN);
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        bad(&[UnknownIssuer])
    );
    assert!(o.served.leaf_self_signed && !o.served.root_sent && !o.served.missing_intermediate);
    assert!(o.certificates[0].details.as_ref().unwrap().self_signed);
}

#[test]
fn unknown_root() {
    let o = run(
        &chain(&["leaf-other.pem", "other-inter.pem", "other-root.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        bad(&[UnknownIssuer])
    );
    assert!(o.served.root_sent && o.served.order_correct && !o.served.missing_intermediate);
}

#[test]
fn missing_intermediate() {
    let o = run(&chain(&["leaf-rsa.pem"]), "www.good.test", SCAN);
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        bad(&[UnknownIssuer])
    );
    assert!(o.served.missing_intermediate);
    assert_eq!(
        o.served.top_issuer.as_deref(),
        Some("CN=Kensa Test Intermediate RSA,O=Kensa Test CA")
    );
}

#[test]
fn chain_out_of_order_with_root() {
    let o = run(
        &chain(&["leaf-rsa.pem", "root-rsa.pem", "inter-rsa.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!((o.trust[0].verdict, o.trust[0].reasons.clone()), OK);
    assert!(!o.served.order_correct && o.served.root_sent);
    assert_eq!(o.served.path, vec![0, 2, 1]);
    assert!(o.served.unrelated.is_empty());
}

#[test]
fn duplicates_and_unrelated() {
    let o = run(
        &chain(&[
            "leaf-rsa.pem",
            "inter-rsa.pem",
            "inter-rsa.pem",
            "inter-ec.pem",
        ]),
        "www.good.test",
        SCAN,
    );
    assert_eq!((o.trust[0].verdict, o.trust[0].reasons.clone()), OK);
    assert_eq!(o.served.duplicates, vec![2]);
    assert_eq!(o.served.unrelated, vec![3]);
    assert!(o.served.order_correct);
}

#[test]
fn sha1_signed_intermediate() {
    let o = run(
        &chain(&["leaf-sha1inter.pem", "inter-sha1.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        // kensa's reason and webpki's (it has no SHA-1 verifier), each kept (issue 22).
        bad(&[WeakSignatureAlgorithm, UnsupportedSignatureAlgorithm]),
        "{:?}",
        o.trust[0]
    );
    let webpki = o.trust[0]
        .details
        .iter()
        .find(|d| d.source == kensa_probe_x509::Source::Webpki)
        .unwrap();
    assert_eq!(webpki.reason, UnsupportedSignatureAlgorithm);
    assert!(!o.trust[0].rejected_only_by_webpki);
    assert_eq!(
        o.certificates[1]
            .details
            .as_ref()
            .unwrap()
            .signature_algorithm
            .hash
            .as_deref(),
        Some("sha1")
    );
    assert_eq!(o.trust[0].details[0].index, Some(1));
}

#[test]
fn rsa_1024_leaf() {
    let o = run(
        &chain(&["leaf-rsa1024.pem", "inter-rsa.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        bad(&[WeakKey])
    );
    assert_eq!(
        o.certificates[0].details.as_ref().unwrap().public_key.bits,
        Some(1024)
    );
    // webpki does not look at the leaf's own key size: only our check catches it.
    assert_eq!(o.trust[0].webpki, "ok");
}

#[test]
fn leaf_valid_longer_than_398_days() {
    let o = run(
        &chain(&["leaf-long.pem", "inter-rsa.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!((o.trust[0].verdict, o.trust[0].reasons.clone()), OK);
    let v = &o.certificates[0].details.as_ref().unwrap().validity;
    assert_eq!(v.lifetime_seconds, 424 * 86_400 + 1);
    assert!(v.lifetime_days > 398.0);
}

#[test]
fn must_staple_without_staple() {
    let o = run(
        &chain(&["leaf-muststaple.pem", "inter-rsa.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!((o.trust[0].verdict, o.trust[0].reasons.clone()), OK);
    assert!(o.certificates[0].details.as_ref().unwrap().must_staple);
    assert!(!o.ocsp.stapled);
    assert!(o.must_staple_unsatisfied);
}

#[test]
fn name_constrained_intermediate_violated() {
    let o = run(
        &chain(&["leaf-nc.pem", "inter-nc.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        bad(&[NameConstraintsViolated]),
        "{:?}",
        o.trust[0]
    );
    assert_eq!(
        o.certificates[1]
            .details
            .as_ref()
            .unwrap()
            .name_constraints
            .as_ref()
            .unwrap()
            .permitted,
        vec!["dns:allowed.test"]
    );
}

#[test]
fn intermediate_without_ca_true() {
    let o = run(
        &chain(&["leaf-noca.pem", "inter-noca.pem"]),
        "www.good.test",
        SCAN,
    );
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        bad(&[NotCa]),
        "{:?}",
        o.trust[0]
    );
}

#[test]
fn leaf_without_server_auth() {
    assert_eq!(
        verdict(&["leaf-clientauth.pem", "inter-rsa.pem"], "www.good.test"),
        bad(&[WrongEku])
    );
}

#[test]
fn bad_signature() {
    let mut c = chain(&["leaf-rsa.pem", "inter-rsa.pem"]);
    let last = c.certificates[0].len() - 1;
    c.certificates[0][last] ^= 0x01;
    let o = run(&c, "www.good.test", SCAN);
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        bad(&[BadSignature])
    );
    assert_eq!(o.trust[0].webpki, "InvalidSignatureForPublicKey");
}

#[test]
fn every_reason_is_listed() {
    assert_eq!(
        verdict(&["leaf-expired.pem", "inter-rsa.pem"], "other.test"),
        bad(&[Expired, HostnameMismatch])
    );
    assert_eq!(
        verdict(&["leaf-rsa1024.pem"], "other.test"),
        bad(&[UnknownIssuer, HostnameMismatch, WeakKey])
    );
    assert_eq!(
        verdict(&["leaf-notyet.pem", "inter-noca.pem"], "www.good.test").0,
        Verdict::Untrusted
    );
}

#[test]
fn no_host_no_host_check() {
    let o = run(&chain(&["leaf-rsa.pem", "inter-rsa.pem"]), "", SCAN);
    assert!(!o.hostname.checked);
    assert_eq!((o.trust[0].verdict, o.trust[0].reasons.clone()), OK);
}

// OCSP responses are made by `openssl ocsp`, which cannot back-date: thisUpdate is
// 2026-11-22T03:56:33Z, nextUpdate seven days later (fixtures/README.md).
const OCSP_FRESH: u64 = 1_795_392_000; // 2026-11-23T00:00:00Z
const OCSP_STALE: u64 = 1_795_996_800; // 2026-11-30T00:00:00Z

fn with_ocsp(leaf: &str, ocsp: &str) -> ChainInput {
    let mut c = chain(&[leaf, "inter-rsa.pem"]);
    c.ocsp_response = Some(der(ocsp));
    c
}

#[test]
fn ocsp_good_staple() {
    let o = run(
        &with_ocsp("leaf-rsa.pem", "ocsp-good.der"),
        "www.good.test",
        OCSP_FRESH,
    );
    assert_eq!((o.trust[0].verdict, o.trust[0].reasons.clone()), OK);
    let s = &o.ocsp;
    assert!(s.stapled && s.parse_error.is_none(), "{s:?}");
    assert_eq!(s.response_status.as_deref(), Some("successful"));
    assert_eq!(
        s.responder_id.as_deref(),
        Some("name:CN=Kensa Test Intermediate RSA,O=Kensa Test CA")
    );
    assert_eq!(s.produced_at.as_deref(), Some("2026-11-22T03:56:33Z"));
    assert!(s.for_leaf);
    assert_eq!(s.leaf_status, Some(CertStatus::Good));
    assert_eq!(s.fresh, Some(true));
    assert_eq!(s.signature, OcspSignature::ValidByIssuer);
    assert_eq!(s.responses[0].serial, "1001");
    assert_eq!(s.responses[0].issuer_key_hash_matches, Some(true));
    assert_eq!(s.responses[0].issuer_name_hash_matches, Some(true));
    assert_eq!(
        s.responses[0].next_update.as_deref(),
        Some("2026-11-29T03:56:33Z")
    );
    let stale = run(
        &with_ocsp("leaf-rsa.pem", "ocsp-good.der"),
        "www.good.test",
        OCSP_STALE,
    );
    assert_eq!(stale.ocsp.fresh, Some(false));
    let early = run(
        &with_ocsp("leaf-rsa.pem", "ocsp-good.der"),
        "www.good.test",
        SCAN,
    );
    assert_eq!(early.ocsp.fresh, Some(false));
}

#[test]
fn ocsp_revoked_staple() {
    let o = run(
        &with_ocsp("leaf-rsa.pem", "ocsp-revoked.der"),
        "www.good.test",
        OCSP_FRESH,
    );
    assert_eq!(
        (o.trust[0].verdict, o.trust[0].reasons.clone()),
        bad(&[Revoked])
    );
    assert_eq!(o.ocsp.leaf_status, Some(CertStatus::Revoked));
    assert_eq!(
        o.ocsp.responses[0].revocation_time.as_deref(),
        Some("2026-03-01T00:00:00Z")
    );
    assert_eq!(o.ocsp.responses[0].revocation_reason, Some(1));
    assert!(o.ocsp.responder_id.as_deref().unwrap().starts_with("key:"));
    assert_eq!(o.ocsp.signature, OcspSignature::ValidByIssuer);
}

#[test]
fn ocsp_for_another_certificate() {
    let o = run(
        &with_ocsp("leaf-rsa.pem", "ocsp-other.der"),
        "www.good.test",
        OCSP_FRESH,
    );
    assert!(!o.ocsp.for_leaf && o.ocsp.leaf_status.is_none() && o.ocsp.fresh.is_none());
    assert!(!o.ocsp.responses[0].serial_matches_leaf);
    let ms = run(
        &with_ocsp("leaf-muststaple.pem", "ocsp-good.der"),
        "www.good.test",
        OCSP_FRESH,
    );
    assert!(ms.must_staple_unsatisfied);
}

#[test]
fn trust_store_inputs() {
    assert!(matches!(
        TrustStore::from_pem("x", b""),
        Err(Error::EmptyTrustStore { .. })
    ));
    assert!(matches!(
        TrustStore::from_spec("nofile"),
        Err(Error::BadTrustStoreSpec(_))
    ));
    assert!(matches!(
        TrustStore::from_spec("x=/nonexistent/file.pem"),
        Err(Error::Io { .. })
    ));
    let spec = format!("fix={}", common::dir().join("root-rsa.pem").display());
    assert_eq!(TrustStore::from_spec(&spec).map(|s| s.len()), Ok(1));
    let hex: Vec<String> = ["leaf-rsa.pem", "inter-rsa.pem"]
        .iter()
        .map(|n| der(n).iter().map(|b| format!("{b:02x}")).collect())
        .collect();
    let c = ChainInput::from_hex("tls", &hex, None).unwrap();
    assert_eq!(c.certificates[0], der("leaf-rsa.pem"));
    assert!(matches!(
        ChainInput::from_hex("tls", &["zz".into()], None),
        Err(Error::InvalidHex { .. })
    ));
    assert_eq!(
        Error::EmptyTrustStore { store: "x".into() }.outcome(),
        kensa_probe::Outcome::InvalidInput
    );
}

#[test]
fn observation_json_shape() {
    let stores = [test_store()];
    let mut c = with_ocsp("leaf-rsa.pem", "ocsp-good.der");
    c.label = "rustls/RSA/TLSv1.3".into();
    let o = analyse(&Input {
        host: "www.good.test".into(),
        scan_time: at(OCSP_FRESH),
        chains: vec![c],
        trust_stores: &stores,
        caa: None,
        extra_cas: &[],
    });
    let json = serde_json::to_string_pretty(&o).unwrap();
    if std::env::var_os("KENSA_PRINT_JSON").is_some() {
        println!("{json}");
    }
    let back: kensa_probe_x509::Observation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, o);
}

/// A CA kensa's table does not know gets its CAA identifiers from the user
/// (`--caa-identifier`), matched on the issuer organisation as a whole.
#[test]
fn user_given_caa_identifiers_decide_the_caa_check() {
    use kensa_probe_x509::{CaIdentifiers, CaaPolicy};
    let stores = [test_store()];
    let policy = CaaPolicy {
        found_at: Some("good.test.".into()),
        complete: true,
        issue: vec![Some("ca.kensa.test".into())],
        ..CaaPolicy::default()
    };
    let judge = |extra: &[CaIdentifiers]| {
        analyse(&Input {
            host: "www.good.test".into(),
            scan_time: at(SCAN),
            chains: vec![chain(&["leaf-rsa.pem", "inter-rsa.pem"])],
            trust_stores: &stores,
            caa: Some(policy.clone()),
            extra_cas: extra,
        })
    };
    let unknown = judge(&[]);
    assert_eq!(unknown.caa.as_ref().unwrap().permitted, None);
    assert_eq!(
        unknown.caa.as_ref().unwrap().reason,
        "the issuing CA's CAA identifiers are not in kensa's CA table"
    );
    let named = judge(&[CaIdentifiers {
        organization: "kensa test ca".into(),
        identifiers: vec!["ca.kensa.test".into()],
    }]);
    assert_eq!(named.caa.as_ref().unwrap().permitted, Some(true));
    let ca = &named.chains[0].issuing_ca;
    assert_eq!(ca.caa_identifiers, vec!["ca.kensa.test".to_owned()]);
    assert_eq!(
        ca.caa_source.as_deref(),
        Some("given by the user (--caa-identifier)")
    );
    assert!(!ca.caa_source_verified);
    let other = judge(&[CaIdentifiers {
        organization: "Kensa Test CA".into(),
        identifiers: vec!["other.example".into()],
    }]);
    assert_eq!(other.caa.as_ref().unwrap().permitted, Some(false));
    // A partial organisation name does not match.
    let partial = judge(&[CaIdentifiers {
        organization: "Kensa".into(),
        identifiers: vec!["ca.kensa.test".into()],
    }]);
    assert_eq!(partial.caa.as_ref().unwrap().permitted, None);
}

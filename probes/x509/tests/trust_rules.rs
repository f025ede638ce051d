//! Issue 22: chains RFC 5280 allows that webpki rejects, every candidate issuer tried, every
//! reason kept with its source, weak anchor keys labelled, offline CRLs. rcgen-made.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{SCAN, at};
use kensa_probe_x509::{
    ChainInput, ChainObservation, Options, Reason, Source, TrustStore, Verdict, analyse_chain,
    analyse_chain_with,
};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, Issuer, KeyIdMethod, KeyPair,
    KeyUsagePurpose, NameConstraints, RevokedCertParams, SerialNumber, date_time_ymd,
};

fn dn(parts: &[(DnType, &str)]) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    for (t, v) in parts {
        d.push(t.clone(), *v);
    }
    d
}

fn ca(name: DistinguishedName, path_len: Option<u8>) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = name;
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2035, 1, 1);
    p.is_ca = IsCa::Ca(match path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.use_authority_key_identifier_extension = true;
    p
}

fn leaf(subject: DistinguishedName) -> CertificateParams {
    let mut p = CertificateParams::new(vec!["www.lint.test".to_owned()]).unwrap();
    p.distinguished_name = subject;
    p.not_before = date_time_ymd(2026, 5, 1);
    p.not_after = date_time_ymd(2026, 7, 30);
    p.is_ca = IsCa::ExplicitNoCa;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    p.serial_number = Some(SerialNumber::from_slice(&[0x51; 16]));
    p.use_authority_key_identifier_extension = true;
    p
}

fn root_name() -> DistinguishedName {
    dn(&[
        (DnType::CountryName, "JP"),
        (DnType::OrganizationName, "Kensa Lint CA"),
        (DnType::CommonName, "Kensa Lint Root"),
    ])
}

fn inter_name() -> DistinguishedName {
    dn(&[
        (DnType::CountryName, "JP"),
        (DnType::OrganizationName, "Kensa Lint CA"),
        (DnType::CommonName, "Kensa Lint Intermediate"),
    ])
}

fn leaf_name(org: &str) -> DistinguishedName {
    dn(&[
        (DnType::CountryName, "JP"),
        (DnType::OrganizationName, org),
        (DnType::CommonName, "www.lint.test"),
    ])
}

/// A root (in a store of its own) and its issuer.
fn root() -> (TrustStore, Issuer<'static, KeyPair>) {
    let key = KeyPair::generate().unwrap();
    let params = ca(root_name(), None);
    let cert = params.self_signed(&key).unwrap();
    let store = TrustStore::from_pem("lint", cert.pem().as_bytes()).unwrap();
    (store, Issuer::new(params, key))
}

fn run(certs: Vec<Vec<u8>>, store: &TrustStore) -> ChainObservation {
    let chain = ChainInput {
        label: "t".into(),
        certificates: certs,
        ocsp_response: None,
    };
    analyse_chain(
        "www.lint.test",
        at(SCAN),
        &chain,
        std::slice::from_ref(store),
    )
}

fn kensa_reasons(o: &ChainObservation) -> Vec<(Reason, String)> {
    o.trust[0]
        .details
        .iter()
        .filter(|d| d.source != Source::Webpki)
        .map(|d| (d.reason, d.detail.clone()))
        .collect()
}

/// root → I (pathLenConstraint 0) → I' (self-issued: I's name, a new key, signed by I's old
/// key: a key rollover) → leaf signed by the new key. RFC 5280 §4.2.1.9: "pathLenConstraint
/// gives the maximum number of non-self-issued intermediate certificates that may follow":
/// I' is self-issued, so the path is valid. Before issue 22 the path builder stopped at I'
/// (`unknown-issuer`).
#[test]
fn rfc5280_4_2_1_9_self_issued_intermediate_not_counted_for_path_length() {
    let (store, root) = root();
    let k1 = KeyPair::generate().unwrap();
    let k2 = KeyPair::generate().unwrap();
    let i_params = ca(inter_name(), Some(0));
    let i = i_params.signed_by(&k1, &root).unwrap();
    let i_old = Issuer::new(i_params, k1);
    let mut i2_params = ca(inter_name(), None);
    i2_params.serial_number = Some(SerialNumber::from_slice(&[0x22; 16]));
    let i2 = i2_params.signed_by(&k2, &i_old).unwrap();
    let i_new = Issuer::new(i2_params, k2);
    let l = leaf(leaf_name("Kensa Lint Leaf"))
        .signed_by(&KeyPair::generate().unwrap(), &i_new)
        .unwrap();
    let o = run(
        vec![l.der().to_vec(), i2.der().to_vec(), i.der().to_vec()],
        &store,
    );
    let v = &o.trust[0];
    assert_eq!(v.path, vec![0, 1, 2], "{v:?}");
    assert!(v.anchor.is_some(), "{v:?}");
    assert_eq!(kensa_reasons(&o), vec![], "{v:?}");
    // Whatever webpki decides is kept, and said to be webpki's alone.
    if v.verdict == Verdict::Untrusted {
        assert!(v.rejected_only_by_webpki, "{v:?}");
    }
}

/// I constrains directoryName to C=JP,O=Permitted Org; the leaf's subject lies within. RFC 5280 §4.2.1.10 processes directoryName constraints; webpki
/// rejects every directoryName constraint, which is reported as webpki's alone. A self-issued
/// intermediate (I', subject outside the subtree) is exempt (§6.1.3 (b)).
#[test]
fn rfc5280_4_2_1_10_matching_directory_name_constraint_passes() {
    let build = |leaf_org: &str| {
        let (store, root) = root();
        let k1 = KeyPair::generate().unwrap();
        let k2 = KeyPair::generate().unwrap();
        let mut i_params = ca(inter_name(), None);
        i_params.name_constraints = Some(NameConstraints {
            permitted_subtrees: vec![
                GeneralSubtree::DirectoryName(dn(&[
                    (DnType::CountryName, "JP"),
                    (DnType::OrganizationName, "Permitted Org"),
                ])),
                GeneralSubtree::DnsName("lint.test".into()),
            ],
            excluded_subtrees: vec![],
        });
        let i = i_params.signed_by(&k1, &root).unwrap();
        let i_old = Issuer::new(i_params, k1);
        let i2_params = ca(inter_name(), None);
        let i2 = i2_params.signed_by(&k2, &i_old).unwrap();
        let i_new = Issuer::new(i2_params, k2);
        let l = leaf(leaf_name(leaf_org))
            .signed_by(&KeyPair::generate().unwrap(), &i_new)
            .unwrap();
        run(
            vec![l.der().to_vec(), i2.der().to_vec(), i.der().to_vec()],
            &store,
        )
    };
    let good = build("Permitted Org");
    let v = &good.trust[0];
    assert_eq!(v.path, vec![0, 1, 2], "{v:?}");
    assert_eq!(kensa_reasons(&good), vec![], "{v:?}");
    if v.verdict == Verdict::Untrusted {
        assert!(v.rejected_only_by_webpki, "{v:?}");
        assert!(v.details.iter().all(|d| d.source == Source::Webpki));
    }
    let bad = build("Other Org");
    let v = &bad.trust[0];
    assert!(
        kensa_reasons(&bad)
            .iter()
            .any(|(r, d)| *r == Reason::NameConstraintsViolated
                && d.starts_with("dirname:CN=www.lint.test,O=Other Org,C=JP is outside")),
        "{v:?}"
    );
    assert!(!v.rejected_only_by_webpki);
}

/// The store holds an anchor with the same name as the served intermediate but another key.
/// The leaf's issuer must be the served intermediate (whose key verifies the leaf), not the
/// same-named anchor: before issue 22 that gave `bad-signature` on a correctly signed leaf.
#[test]
fn every_candidate_issuer_is_tried_a_same_named_anchor_with_another_key_loses() {
    let root_key = KeyPair::generate().unwrap();
    let root_params = ca(root_name(), None);
    let root_cert = root_params.self_signed(&root_key).unwrap();
    let root = Issuer::new(root_params, root_key);
    // An old self-signed CA with the intermediate's name and another key, trusted too.
    let old_key = KeyPair::generate().unwrap();
    let old = ca(inter_name(), None).self_signed(&old_key).unwrap();
    let mut pem = root_cert.pem();
    pem.push_str(&old.pem());
    let store = TrustStore::from_pem("lint", pem.as_bytes()).unwrap();
    let k = KeyPair::generate().unwrap();
    let i_params = ca(inter_name(), None);
    let i = i_params.signed_by(&k, &root).unwrap();
    let i_issuer = Issuer::new(i_params, k);
    let l = leaf(leaf_name("Kensa Lint Leaf"))
        .signed_by(&KeyPair::generate().unwrap(), &i_issuer)
        .unwrap();
    let o = run(vec![l.der().to_vec(), i.der().to_vec()], &store);
    let v = &o.trust[0];
    assert_eq!(v.path, vec![0, 1], "{v:?}");
    assert_eq!(
        v.anchor.as_deref(),
        Some("CN=Kensa Lint Root,O=Kensa Lint CA,C=JP")
    );
    assert!(!v.reasons.contains(&Reason::BadSignature), "{v:?}");
    assert_eq!(v.verdict, Verdict::Trusted, "{v:?}");
}

/// A trust anchor whose key is RSA-1024: labelled `weak-key` (before issue 22 anchors' keys
/// were never judged).
#[test]
fn a_weak_anchor_key_is_labelled_weak_key() {
    // The RSA-1024 public key of the fixture PKI's weak leaf.
    let weak = common::der("leaf-rsa1024.pem");
    let (_, x) = x509_parser::parse_x509_certificate(&weak).unwrap();
    let spki = rcgen::SubjectPublicKeyInfo::from_der(x.public_key().raw).unwrap();
    // A "root" with that key (signed by another key: anchors' signatures are not checked).
    let signer = KeyPair::generate().unwrap();
    let params = ca(root_name(), None);
    let cert = params
        .signed_by(&spki, &Issuer::from_params(&params, &signer))
        .unwrap();
    let store = TrustStore::from_pem("weak", cert.pem().as_bytes()).unwrap();
    let l = leaf(leaf_name("Kensa Lint Leaf"))
        .signed_by(&KeyPair::generate().unwrap(), &Issuer::new(params, signer))
        .unwrap();
    let o = run(vec![l.der().to_vec()], &store);
    let v = &o.trust[0];
    let weak = v
        .details
        .iter()
        .find(|d| d.reason == Reason::WeakKey)
        .unwrap_or_else(|| panic!("{v:?}"));
    assert_eq!(weak.index, None);
    assert!(
        weak.detail.starts_with("trust anchor CN=Kensa Lint Root"),
        "{weak:?}"
    );
    assert!(weak.detail.ends_with("RSA 1024 bits"), "{weak:?}");
    // And the anchor's own certificate is linted (BR §6.1.5).
    let anchor = o.lints.iter().find(|l| l.index.is_none()).unwrap();
    assert!(anchor.findings.iter().any(|f| f.id == "X509-LINT-044"));
}

/// Before issue 22, when kensa's own checks found something, webpki's error was dropped.
#[test]
fn webpki_reasons_are_kept_beside_kensas() {
    let o = analyse_chain(
        "www.bad.test",
        at(SCAN),
        &common::chain(&["leaf-nc.pem", "inter-nc.pem"]),
        &[common::test_store()],
    );
    let v = &o.trust[0];
    assert!(
        v.details
            .iter()
            .any(|d| d.source == Source::Kensa && d.reason == Reason::NameConstraintsViolated),
        "{v:?}"
    );
    assert!(
        v.details
            .iter()
            .any(|d| d.source == Source::Webpki && d.reason == Reason::NameConstraintsViolated),
        "{v:?}"
    );
    assert!(v.reasons.contains(&Reason::HostnameMismatch), "{v:?}");
}

/// A CRL (offline input) that lists the leaf: `revoked` from the CRL and from webpki; a CRL
/// that does not: trusted.
#[test]
fn an_offline_crl_that_lists_the_leaf_revokes_it() {
    let (store, root) = root();
    let k = KeyPair::generate().unwrap();
    let i_params = ca(inter_name(), None);
    let i = i_params.signed_by(&k, &root).unwrap();
    let issuer = Issuer::new(i_params, k);
    let l = leaf(leaf_name("Kensa Lint Leaf"))
        .signed_by(&KeyPair::generate().unwrap(), &issuer)
        .unwrap();
    let crl = |serial: &[u8]| {
        CertificateRevocationListParams {
            this_update: date_time_ymd(2026, 5, 20),
            next_update: date_time_ymd(2026, 6, 20),
            crl_number: SerialNumber::from_slice(&[1]),
            issuing_distribution_point: None,
            revoked_certs: vec![RevokedCertParams {
                serial_number: SerialNumber::from_slice(serial),
                revocation_time: date_time_ymd(2026, 5, 15),
                reason_code: None,
                invalidity_date: None,
            }],
            key_identifier_method: KeyIdMethod::Sha256,
        }
        .signed_by(&issuer)
        .unwrap()
        .der()
        .to_vec()
    };
    let chain = ChainInput {
        label: "t".into(),
        certificates: vec![l.der().to_vec(), i.der().to_vec()],
        ocsp_response: None,
    };
    let stores = [store];
    let listed = [crl(&[0x51; 16])];
    let o = analyse_chain_with(
        "www.lint.test",
        at(SCAN),
        &chain,
        &stores,
        &Options { crls: &listed },
    );
    let v = &o.trust[0];
    assert_eq!(v.reasons, vec![Reason::Revoked], "{v:?}");
    assert!(
        v.details
            .iter()
            .any(|d| d.source == Source::Crl && d.index == Some(0)),
        "{v:?}"
    );
    assert!(
        v.details.iter().any(|d| d.source == Source::Webpki),
        "{v:?}"
    );
    let other = [crl(&[0x99; 16])];
    let o = analyse_chain_with(
        "www.lint.test",
        at(SCAN),
        &chain,
        &stores,
        &Options { crls: &other },
    );
    assert_eq!(o.trust[0].verdict, Verdict::Trusted, "{:?}", o.trust[0]);
    // The CRL round-trips through the PEM/DER reader the CLI uses.
    assert_eq!(
        kensa_probe_x509::crl_from_pem_or_der(&listed[0]).unwrap(),
        listed[0]
    );
    assert!(kensa_probe_x509::crl_from_pem_or_der(b"not a crl").is_err());
}

/// A leaf that is not v3 (its version field edited to v2): before issue 22 only kensa's
/// reasons showed (the edit also breaks the signature); now webpki's `UnsupportedCertVersion`
/// is kept as `unsupported-version` beside them.
#[test]
fn a_non_v3_leaf_keeps_webpkis_unsupported_version() {
    let (store, root) = root();
    let k = KeyPair::generate().unwrap();
    let i_params = ca(inter_name(), None);
    let i = i_params.signed_by(&k, &root).unwrap();
    let issuer = Issuer::new(i_params, k);
    let l = leaf(leaf_name("Kensa Lint Leaf"))
        .signed_by(&KeyPair::generate().unwrap(), &issuer)
        .unwrap();
    let mut der = l.der().to_vec();
    let pat = [0xa0, 0x03, 0x02, 0x01, 0x02];
    let at = der.windows(pat.len()).position(|w| w == pat).unwrap();
    der[at + 4] = 0x01;
    let o = run(vec![der, i.der().to_vec()], &store);
    let v = &o.trust[0];
    assert!(v.reasons.contains(&Reason::UnsupportedVersion), "{v:?}");
    assert!(v.reasons.contains(&Reason::BadSignature), "{v:?}");
    assert!(
        v.details
            .iter()
            .any(|d| d.source == Source::Webpki && d.reason == Reason::UnsupportedVersion)
    );
    assert!(o.lints[0].findings.iter().any(|f| f.id == "X509-LINT-019"));
}

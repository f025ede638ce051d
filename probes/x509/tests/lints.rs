//! One rcgen-made fixture per lint rule: a clean chain (root, intermediate, subscriber) that
//! passes every rule, and for each rule the same chain with one thing changed so that the rule
//! fails. Each test's name carries the rule id and the clause it cites.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{SCAN, at};
use kensa_probe_x509::{ChainInput, ChainObservation, LINTS, TrustStore, analyse_chain};
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    NameConstraints, SanType, SerialNumber, date_time_ymd,
};

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else if n < 0x100 {
        v.extend_from_slice(&[0x81, n as u8]);
    } else {
        v.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    v.extend_from_slice(content);
    v
}

const AIA_OID: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 1];

/// An AuthorityInfoAccess extension with the given (method arc, URI) pairs.
fn aia(methods: &[(u8, &str)]) -> CustomExtension {
    let descs: Vec<u8> = methods
        .iter()
        .flat_map(|(m, uri)| {
            tlv(
                0x30,
                &[
                    tlv(0x06, &[0x2b, 6, 1, 5, 5, 7, 0x30, *m]),
                    tlv(0x86, uri.as_bytes()),
                ]
                .concat(),
            )
        })
        .collect();
    CustomExtension::from_oid_content(AIA_OID, tlv(0x30, &descs))
}

fn good_aia() -> CustomExtension {
    aia(&[
        (1, "http://ocsp.lint.test/"),
        (2, "http://lint.test/inter.der"),
    ])
}

fn dn(cn: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::CountryName, "JP");
    d.push(DnType::OrganizationName, "Kensa Lint CA");
    d.push(DnType::CommonName, cn);
    d
}

/// The parameters of the clean chain; each test edits one of them.
pub struct Case {
    pub root: CertificateParams,
    pub inter: CertificateParams,
    pub leaf: CertificateParams,
    /// Serve the root too (to lint it as a served certificate).
    pub serve_root: bool,
    /// Replace the leaf key (e.g. Ed25519).
    pub leaf_key: Option<KeyPair>,
    /// Edit the leaf's DER after signing (the signature then no longer verifies).
    pub patch_leaf: Option<fn(&mut Vec<u8>)>,
    pub host: &'static str,
}

impl Default for Case {
    fn default() -> Self {
        let mut root = CertificateParams::default();
        root.distinguished_name = dn("Kensa Lint Root");
        root.not_before = date_time_ymd(2025, 1, 1);
        root.not_after = date_time_ymd(2040, 1, 1);
        root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        root.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        root.serial_number = Some(SerialNumber::from_slice(&[0x41; 16]));

        let mut inter = CertificateParams::default();
        inter.distinguished_name = dn("Kensa Lint Intermediate");
        inter.not_before = date_time_ymd(2025, 1, 1);
        inter.not_after = date_time_ymd(2035, 1, 1);
        inter.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        inter.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        inter.serial_number = Some(SerialNumber::from_slice(&[0x42; 16]));
        inter.use_authority_key_identifier_extension = true;

        let mut leaf = CertificateParams::new(vec!["www.lint.test".to_owned()]).unwrap();
        let mut d = DistinguishedName::new();
        d.push(DnType::CommonName, "www.lint.test");
        leaf.distinguished_name = d;
        leaf.not_before = date_time_ymd(2026, 5, 1);
        leaf.not_after = date_time_ymd(2026, 7, 30);
        leaf.is_ca = IsCa::ExplicitNoCa;
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf.serial_number = Some(SerialNumber::from_slice(&[0x43; 16]));
        leaf.use_authority_key_identifier_extension = true;
        leaf.custom_extensions = vec![good_aia()];
        Self {
            root,
            inter,
            leaf,
            serve_root: false,
            leaf_key: None,
            patch_leaf: None,
            host: "www.lint.test",
        }
    }
}

pub struct Built {
    pub chain: ChainInput,
    pub store: TrustStore,
    pub inter_issuer: Issuer<'static, KeyPair>,
}

impl Case {
    pub fn build(self) -> Built {
        let root_key = KeyPair::generate().unwrap();
        let inter_key = KeyPair::generate().unwrap();
        let leaf_key = match self.leaf_key {
            Some(k) => k,
            None => KeyPair::generate().unwrap(),
        };
        let root = self.root.self_signed(&root_key).unwrap();
        let root_issuer = Issuer::new(self.root, root_key);
        let inter = self.inter.signed_by(&inter_key, &root_issuer).unwrap();
        let inter_issuer = Issuer::new(self.inter, inter_key);
        let leaf = self.leaf.signed_by(&leaf_key, &inter_issuer).unwrap();
        let mut leaf_der = leaf.der().to_vec();
        if let Some(p) = self.patch_leaf {
            p(&mut leaf_der);
        }
        let mut certificates = vec![leaf_der, inter.der().to_vec()];
        if self.serve_root {
            certificates.push(root.der().to_vec());
        }
        Built {
            chain: ChainInput {
                label: "lint".into(),
                certificates,
                ocsp_response: None,
            },
            store: TrustStore::from_pem("lint", root.pem().as_bytes()).unwrap(),
            inter_issuer,
        }
    }

    pub fn run(self) -> ChainObservation {
        let host = self.host;
        let b = self.build();
        analyse_chain(host, at(SCAN), &b.chain, &[b.store])
    }
}

/// Where a finding is looked for.
#[derive(Clone, Copy, Debug)]
enum At {
    Served(usize),
    Anchor,
}

fn ids_at(o: &ChainObservation, at: At) -> Vec<String> {
    o.lints
        .iter()
        .filter(|l| match at {
            At::Served(i) => l.index == Some(i),
            At::Anchor => l.index.is_none(),
        })
        .flat_map(|l| l.findings.iter().map(|f| f.id.clone()))
        .collect()
}

fn dump(o: &ChainObservation) -> String {
    serde_json::to_string_pretty(&o.lints).unwrap()
}

/// The rule passes on the clean chain and fails on the edited one.
fn check(id: &str, at: At, edit: impl FnOnce(&mut Case)) {
    assert!(
        kensa_probe_x509::lint(id).is_some(),
        "{id} is not a defined rule"
    );
    let clean = Case::default().run();
    assert!(
        !ids_at(&clean, at).iter().any(|f| f == id),
        "{id} fails on the clean chain: {}",
        dump(&clean)
    );
    let mut case = Case::default();
    edit(&mut case);
    let bad = case.run();
    assert!(
        ids_at(&bad, at).iter().any(|f| f == id),
        "{id} does not fail at {at:?}: {}",
        dump(&bad)
    );
}

#[test]
fn the_clean_chain_passes_every_rule() {
    let o = Case {
        serve_root: true,
        ..Case::default()
    }
    .run();
    assert_eq!(o.trust[0].reasons, vec![], "{:?}", o.trust[0]);
    assert_eq!(o.lints.len(), 3, "{}", dump(&o));
    for l in &o.lints {
        assert!(l.findings.is_empty(), "{}", dump(&o));
        assert!(l.checked > 0);
    }
    // Without the root served, the anchor's own certificate is linted (from the PEM store).
    let o = Case::default().run();
    let anchor: Vec<_> = o.lints.iter().filter(|l| l.index.is_none()).collect();
    assert_eq!(anchor.len(), 1, "{}", dump(&o));
    assert_eq!(anchor[0].store.as_deref(), Some("lint"));
    assert!(anchor[0].findings.is_empty(), "{}", dump(&o));
}

#[test]
fn every_rule_has_a_test_here() {
    let src = include_str!("lints.rs");
    for l in LINTS {
        let name = format!("fn x509_lint_{}_", &l.id[10..]);
        assert!(src.contains(&name), "no test for {}", l.id);
    }
}

fn basic_constraints_ext(ca: bool, critical: bool) -> CustomExtension {
    let body = if ca {
        tlv(0x30, &[0x01, 0x01, 0xff])
    } else {
        tlv(0x30, &[])
    };
    let mut e = CustomExtension::from_oid_content(&[2, 5, 29, 19], body);
    e.set_criticality(critical);
    e
}

fn san_ext(name: &str, critical: bool) -> CustomExtension {
    let mut e =
        CustomExtension::from_oid_content(&[2, 5, 29, 17], tlv(0x30, &tlv(0x82, name.as_bytes())));
    e.set_criticality(critical);
    e
}

fn nc_ext(content: Vec<u8>, critical: bool) -> CustomExtension {
    let mut e = CustomExtension::from_oid_content(&[2, 5, 29, 30], content);
    e.set_criticality(critical);
    e
}

fn permitted_dns(name: &str) -> Vec<u8> {
    tlv(0x30, &tlv(0xa0, &tlv(0x30, &tlv(0x82, name.as_bytes()))))
}

#[test]
fn x509_lint_001_rfc5280_4_2_1_1_authority_key_identifier() {
    check("X509-LINT-001", At::Served(0), |c| {
        c.leaf.use_authority_key_identifier_extension = false
    });
}

#[test]
fn x509_lint_002_rfc5280_4_2_1_2_subject_key_identifier_in_ca() {
    // rcgen always writes a subjectKeyIdentifier with its basicConstraints: write cA by hand.
    check("X509-LINT-002", At::Served(1), |c| {
        c.inter.is_ca = IsCa::NoCa;
        c.inter.custom_extensions = vec![basic_constraints_ext(true, true)];
    });
}

#[test]
fn x509_lint_003_rfc5280_4_2_1_6_san_critical_with_empty_subject() {
    check("X509-LINT-003", At::Served(0), |c| {
        c.leaf.distinguished_name = DistinguishedName::new();
        c.leaf.subject_alt_names = vec![];
        c.leaf
            .custom_extensions
            .push(san_ext("www.lint.test", false));
    });
}

#[test]
fn x509_lint_004_rfc5280_4_2_1_10_name_constraints_only_in_ca() {
    check("X509-LINT-004", At::Served(0), |c| {
        c.leaf.name_constraints = Some(NameConstraints {
            permitted_subtrees: vec![GeneralSubtree::DnsName("lint.test".into())],
            excluded_subtrees: vec![],
        });
    });
}

#[test]
fn x509_lint_005_rfc5280_4_2_1_10_name_constraints_critical() {
    check("X509-LINT-005", At::Served(1), |c| {
        c.inter
            .custom_extensions
            .push(nc_ext(permitted_dns("lint.test"), false));
    });
}

#[test]
fn x509_lint_006_rfc5280_4_2_1_10_name_constraints_not_empty() {
    check("X509-LINT-006", At::Served(1), |c| {
        c.inter.custom_extensions.push(nc_ext(tlv(0x30, &[]), true));
    });
    // A present but empty permittedSubtrees.
    check("X509-LINT-006", At::Served(1), |c| {
        c.inter
            .custom_extensions
            .push(nc_ext(tlv(0x30, &tlv(0xa0, &[])), true));
    });
}

#[test]
fn x509_lint_007_rfc5280_4_2_1_10_dns_constraint_without_leading_period() {
    check("X509-LINT-007", At::Served(1), |c| {
        c.inter.name_constraints = Some(NameConstraints {
            permitted_subtrees: vec![GeneralSubtree::DnsName(".lint.test".into())],
            excluded_subtrees: vec![],
        });
    });
}

#[test]
fn x509_lint_008_rfc5280_4_2_1_11_policy_constraints_critical() {
    check("X509-LINT-008", At::Served(1), |c| {
        c.inter
            .custom_extensions
            .push(CustomExtension::from_oid_content(
                &[2, 5, 29, 36],
                tlv(0x30, &[0x80, 0x01, 0x00]),
            ));
    });
}

#[test]
fn x509_lint_009_rfc5280_4_2_1_3_key_cert_sign_only_with_ca() {
    check("X509-LINT-009", At::Served(0), |c| {
        c.leaf.key_usages.push(KeyUsagePurpose::KeyCertSign)
    });
}

#[test]
fn x509_lint_010_rfc5280_4_2_1_9_issuer_is_a_ca() {
    check("X509-LINT-010", At::Served(1), |c| {
        c.inter.is_ca = IsCa::ExplicitNoCa
    });
}

#[test]
fn x509_lint_011_rfc5280_4_2_1_9_basic_constraints_critical_in_ca() {
    check("X509-LINT-011", At::Served(1), |c| {
        c.inter.is_ca = IsCa::NoCa;
        c.inter.custom_extensions = vec![basic_constraints_ext(true, false)];
    });
}

#[test]
fn x509_lint_012_rfc5280_4_2_1_3_key_usage_in_ca() {
    check("X509-LINT-012", At::Served(1), |c| {
        c.inter.key_usages = vec![]
    });
}

#[test]
fn x509_lint_013_rfc5280_4_2_1_3_key_cert_sign_in_ca() {
    check("X509-LINT-013", At::Served(1), |c| {
        c.inter.key_usages = vec![KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature]
    });
}

#[test]
fn x509_lint_014_rfc5280_4_2_2_1_authority_info_access_well_formed() {
    check("X509-LINT-014", At::Served(0), |c| {
        let mut e = good_aia();
        e.set_criticality(true);
        c.leaf.custom_extensions = vec![e];
    });
    check("X509-LINT-014", At::Served(0), |c| {
        c.leaf.custom_extensions = vec![CustomExtension::from_oid_content(AIA_OID, tlv(0x30, &[]))];
    });
}

#[test]
fn x509_lint_015_rfc5280_4_2_unknown_critical_extension() {
    check("X509-LINT-015", At::Served(0), |c| {
        let mut e = CustomExtension::from_oid_content(&[1, 2, 3, 4, 5], vec![0x05, 0x00]);
        e.set_criticality(true);
        c.leaf.custom_extensions.push(e);
    });
}

#[test]
fn x509_lint_016_rfc5280_4_1_2_2_serial_positive() {
    check("X509-LINT-016", At::Served(0), |c| {
        c.leaf.serial_number = Some(SerialNumber::from_slice(&[0]))
    });
    // Negative: rcgen writes positive integers only, so the leaf's DER is edited (the lint
    // reads the field; the signature no longer verifies, which the lint does not judge).
    check("X509-LINT-016", At::Served(0), |c| {
        c.leaf.serial_number = Some(SerialNumber::from_slice(&[0x7f, 0x5a, 0x5a, 0x5a, 0x5a]));
        c.patch_leaf = Some(|der| {
            let pat = [0x02, 0x05, 0x7f, 0x5a, 0x5a, 0x5a, 0x5a];
            let at = der.windows(pat.len()).position(|w| w == pat).unwrap();
            der[at + 2] = 0xff;
        });
    });
}

#[test]
fn x509_lint_017_rfc5280_4_1_2_2_serial_at_most_20_octets() {
    check("X509-LINT-017", At::Served(0), |c| {
        c.leaf.serial_number = Some(SerialNumber::from_slice(&[0x11; 21]))
    });
}

#[test]
fn x509_lint_018_br_7_1_2_7_serial_64_bits() {
    check("X509-LINT-018", At::Served(0), |c| {
        c.leaf.serial_number = Some(SerialNumber::from_slice(&[0x01, 0x02]))
    });
}

#[test]
fn x509_lint_019_br_7_1_1_version_3() {
    check("X509-LINT-019", At::Served(0), |c| {
        c.patch_leaf = Some(|der| {
            let pat = [0xa0, 0x03, 0x02, 0x01, 0x02];
            let at = der.windows(pat.len()).position(|w| w == pat).unwrap();
            der[at + 4] = 0x01;
        });
    });
}

#[test]
fn x509_lint_020_rfc5280_4_1_2_6_ca_subject_not_empty() {
    check("X509-LINT-020", At::Served(1), |c| {
        c.inter.distinguished_name = DistinguishedName::new()
    });
}

#[test]
fn x509_lint_021_rfc5280_4_1_2_5_root_within_validity() {
    // The anchor's own certificate (PEM store), not served.
    check("X509-LINT-021", At::Anchor, |c| {
        c.root.not_after = date_time_ymd(2026, 1, 1)
    });
    // The same root served.
    check("X509-LINT-021", At::Served(2), |c| {
        c.serve_root = true;
        c.root.not_after = date_time_ymd(2026, 1, 1);
    });
}

#[test]
fn x509_lint_022_br_7_1_2_10_2_ca_naming() {
    check("X509-LINT-022", At::Served(1), |c| {
        let mut d = DistinguishedName::new();
        d.push(DnType::CommonName, "Kensa Lint Intermediate");
        c.inter.distinguished_name = d;
    });
}

#[test]
fn x509_lint_023_br_7_1_2_1_2_root_without_eku() {
    check("X509-LINT-023", At::Anchor, |c| {
        c.root.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth]
    });
}

#[test]
fn x509_lint_024_br_7_1_2_1_2_root_key_usage_critical() {
    check("X509-LINT-024", At::Anchor, |c| {
        c.root.key_usages = vec![];
        c.root.custom_extensions = vec![CustomExtension::from_oid_content(
            &[2, 5, 29, 15],
            vec![0x03, 0x02, 0x01, 0x06],
        )];
    });
}

#[test]
fn x509_lint_025_br_7_1_4_3_common_name_among_sans() {
    check("X509-LINT-025", At::Served(0), |c| {
        let mut d = DistinguishedName::new();
        d.push(DnType::CommonName, "other.lint.test");
        c.leaf.distinguished_name = d;
    });
}

#[test]
fn x509_lint_026_br_7_1_4_3_common_name_character_for_character() {
    check("X509-LINT-026", At::Served(0), |c| {
        let mut d = DistinguishedName::new();
        d.push(DnType::CommonName, "WWW.lint.test");
        c.leaf.distinguished_name = d;
    });
    // An IP address CN matches its iPAddress SAN in the RFC 5952 text form only.
    check("X509-LINT-026", At::Served(0), |c| {
        let mut d = DistinguishedName::new();
        d.push(DnType::CommonName, "2001:DB8::1");
        c.leaf.distinguished_name = d;
        c.leaf
            .subject_alt_names
            .push(SanType::IpAddress("2001:db8::1".parse().unwrap()));
    });
}

#[test]
fn x509_lint_027_br_7_1_2_7_12_san_present() {
    check("X509-LINT-027", At::Served(0), |c| {
        c.leaf.subject_alt_names = vec![]
    });
}

#[test]
fn x509_lint_028_br_7_1_2_7_12_san_not_critical_with_subject() {
    check("X509-LINT-028", At::Served(0), |c| {
        c.leaf.subject_alt_names = vec![];
        c.leaf
            .custom_extensions
            .push(san_ext("www.lint.test", true));
    });
}

#[test]
fn x509_lint_029_br_7_1_2_7_12_san_types() {
    check("X509-LINT-029", At::Served(0), |c| {
        c.leaf
            .subject_alt_names
            .push(SanType::Rfc822Name("ops@lint.test".try_into().unwrap()))
    });
}

#[test]
fn x509_lint_030_br_7_1_2_7_12_no_underscore() {
    check("X509-LINT-030", At::Served(0), |c| {
        c.leaf
            .subject_alt_names
            .push(SanType::DnsName("a_b.lint.test".try_into().unwrap()))
    });
}

#[test]
fn x509_lint_031_br_3_2_2_6_wildcard_over_public_suffix() {
    check("X509-LINT-031", At::Served(0), |c| {
        c.leaf
            .subject_alt_names
            .push(SanType::DnsName("*.co.uk".try_into().unwrap()))
    });
    // A PRIVATE-section suffix (a cloud provider's own) is not judged: BR §3.2.2.6 says to
    // consult the ICANN section only.
    let mut c = Case::default();
    c.leaf
        .subject_alt_names
        .push(SanType::DnsName("*.cloudfront.net".try_into().unwrap()));
    let o = c.run();
    assert!(!ids_at(&o, At::Served(0)).contains(&"X509-LINT-031".to_owned()));
}

#[test]
fn x509_lint_032_br_7_1_2_7_6_eku_present() {
    check("X509-LINT-032", At::Served(0), |c| {
        c.leaf.extended_key_usages = vec![]
    });
}

#[test]
fn x509_lint_033_br_7_1_2_7_10_no_any_extended_key_usage() {
    check("X509-LINT-033", At::Served(0), |c| {
        c.leaf
            .extended_key_usages
            .push(ExtendedKeyUsagePurpose::Any)
    });
}

#[test]
fn x509_lint_034_br_7_1_2_7_10_server_auth() {
    check("X509-LINT-034", At::Served(0), |c| {
        c.leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth]
    });
}

#[test]
fn x509_lint_035_br_7_1_2_7_6_eku_not_critical() {
    check("X509-LINT-035", At::Served(0), |c| {
        c.leaf.extended_key_usages = vec![];
        let mut e = CustomExtension::from_oid_content(
            &[2, 5, 29, 37],
            tlv(0x30, &tlv(0x06, &[0x2b, 6, 1, 5, 5, 7, 3, 1])),
        );
        e.set_criticality(true);
        c.leaf.custom_extensions.push(e);
    });
}

#[test]
fn x509_lint_036_br_7_1_2_7_8_subscriber_not_ca() {
    check("X509-LINT-036", At::Served(0), |c| {
        c.leaf.is_ca = IsCa::Ca(BasicConstraints::Unconstrained)
    });
}

#[test]
fn x509_lint_037_br_7_1_2_7_11_subscriber_key_usage() {
    check("X509-LINT-037", At::Served(0), |c| {
        c.leaf.key_usages.push(KeyUsagePurpose::CrlSign)
    });
}

#[test]
fn x509_lint_038_br_7_1_2_7_6_authority_info_access_present() {
    check("X509-LINT-038", At::Served(0), |c| {
        c.leaf.custom_extensions = vec![]
    });
}

#[test]
fn x509_lint_039_br_7_1_2_7_7_access_methods() {
    check("X509-LINT-039", At::Served(0), |c| {
        c.leaf.custom_extensions = vec![aia(&[
            (1, "http://ocsp.lint.test/"),
            (5, "http://lint.test/repo/"),
        ])]
    });
}

#[test]
fn x509_lint_040_br_6_3_2_validity_398_days() {
    check("X509-LINT-040", At::Served(0), |c| {
        c.leaf.not_before = date_time_ymd(2025, 1, 1);
        c.leaf.not_after = date_time_ymd(2026, 2, 15);
    });
    // Issued before the rule took effect (2020-09-01): not judged by it.
    let mut c = Case::default();
    c.leaf.not_before = date_time_ymd(2020, 8, 1);
    c.leaf.not_after = date_time_ymd(2022, 8, 1);
    let o = c.run();
    assert!(!ids_at(&o, At::Served(0)).contains(&"X509-LINT-040".to_owned()));
    assert!(
        o.lints[0]
            .not_in_force
            .contains(&"X509-LINT-040".to_owned())
    );
}

#[test]
fn x509_lint_041_br_6_3_2_validity_200_days() {
    check("X509-LINT-041", At::Served(0), |c| {
        c.leaf.not_before = date_time_ymd(2026, 4, 1);
        c.leaf.not_after = date_time_ymd(2026, 12, 1);
    });
    // The same lifetime issued before 2026-03-15: only the 398-day rule applies.
    let mut c = Case::default();
    c.leaf.not_before = date_time_ymd(2026, 3, 1);
    c.leaf.not_after = date_time_ymd(2026, 11, 1);
    let o = c.run();
    assert!(!ids_at(&o, At::Served(0)).contains(&"X509-LINT-041".to_owned()));
}

#[test]
fn x509_lint_042_br_6_3_2_validity_100_days() {
    check("X509-LINT-042", At::Served(0), |c| {
        c.leaf.not_before = date_time_ymd(2027, 4, 1);
        c.leaf.not_after = date_time_ymd(2027, 8, 1);
    });
}

#[test]
fn x509_lint_043_br_6_3_2_validity_47_days() {
    check("X509-LINT-043", At::Served(0), |c| {
        c.leaf.not_before = date_time_ymd(2029, 4, 1);
        c.leaf.not_after = date_time_ymd(2029, 6, 1);
    });
}

#[test]
fn x509_lint_044_br_6_1_5_key_sizes() {
    check("X509-LINT-044", At::Served(0), |c| {
        c.leaf_key = Some(KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap())
    });
    // RSA 1024 (the fixture PKI's weak leaf).
    let o = analyse_chain(
        "www.good.test",
        at(SCAN),
        &common::chain(&["leaf-rsa1024.pem", "inter-rsa.pem"]),
        &[common::test_store()],
    );
    assert!(ids_at(&o, At::Served(0)).contains(&"X509-LINT-044".to_owned()));
}

/// `docs/lints.md` is generated from the definitions: regenerate with
/// `kensa lint --list --markdown > docs/lints.md`.
#[test]
fn committed_lint_reference_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lints.md");
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == kensa_probe_x509::lints_markdown(),
        "docs/lints.md is stale: run `kensa lint --list --markdown > docs/lints.md`"
    );
}

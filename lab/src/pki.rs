//! A throw-away PKI for the lab: one root CA and leaf certificates with chosen names and
//! validity, generated at start-up (ECDSA P-256, rcgen on ring), so nothing committed expires.

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::OffsetDateTime;

/// Why a certificate or OCSP response could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// rcgen refused the parameters.
    #[error("lab PKI: {0}")]
    Rcgen(#[from] rcgen::Error),
    /// A certificate of the lab's own making did not parse, or signing failed.
    #[error("lab PKI: {0}")]
    Ocsp(String),
}

/// The lab's root CA.
pub struct Pki {
    issuer: Issuer<'static, KeyPair>,
    /// The root's private key, PKCS#8 (signs OCSP responses).
    key_pkcs8: Vec<u8>,
    /// The root certificate, DER.
    pub root_der: CertificateDer<'static>,
    /// The root certificate, PEM (a trust store file for `--trust-store NAME=FILE`).
    pub root_pem: String,
}

impl std::fmt::Debug for Pki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pki").finish_non_exhaustive()
    }
}

/// A leaf certificate with its key, as a server presents it.
#[derive(Debug)]
pub struct Leaf {
    /// Leaf first, then the issuer (the root is not sent).
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key.
    pub key: PrivateKeyDer<'static>,
}

/// What a leaf certificate says.
#[derive(Clone, Debug)]
pub struct LeafSpec {
    /// DNS names (subjectAltName); the first is also the common name.
    pub names: Vec<String>,
    /// Organisation (O) of the subject.
    pub organisation: String,
    /// Valid from (UTC).
    pub not_before: OffsetDateTime,
    /// Valid until (UTC).
    pub not_after: OffsetDateTime,
}

impl Pki {
    /// A fresh root CA named `common_name` (organisation `organisation`, country `country`),
    /// valid from a day ago for ten years.
    pub fn new(common_name: &str, organisation: &str, country: &str) -> Result<Self, PkiError> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, common_name);
        dn.push(DnType::OrganizationName, organisation);
        dn.push(DnType::CountryName, country);
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(3650);
        let cert = params.self_signed(&key)?;
        Ok(Self {
            key_pkcs8: key.serialize_der(),
            root_der: cert.der().clone(),
            root_pem: cert.pem(),
            issuer: Issuer::new(params, key),
        })
    }

    /// A leaf certificate for `spec`, issued directly by the root.
    pub fn leaf(&self, spec: &LeafSpec) -> Result<Leaf, PkiError> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(spec.names.clone())?;
        let mut dn = DistinguishedName::new();
        if let Some(first) = spec.names.first() {
            dn.push(DnType::CommonName, first.as_str());
        }
        dn.push(DnType::OrganizationName, spec.organisation.as_str());
        params.distinguished_name = dn;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.not_before = spec.not_before;
        params.not_after = spec.not_after;
        // What the CA/B Forum subscriber profile requires (kensa's lints, docs/lints.md):
        // an authorityKeyIdentifier and an authorityInfoAccess (lab URLs, never fetched).
        params.use_authority_key_identifier_extension = true;
        params.custom_extensions = vec![authority_info_access()];
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Leaf {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        })
    }
}

/// An authorityInfoAccess extension (RFC 5280 §4.2.2.1) naming the lab CA's OCSP responder
/// and certificate by made-up `.lab.test` URLs.
fn authority_info_access() -> CustomExtension {
    let desc = |method: u8, uri: &str| {
        tlv(
            0x30,
            &[
                tlv(0x06, &[0x2b, 6, 1, 5, 5, 7, 0x30, method]),
                tlv(0x86, uri.as_bytes()),
            ]
            .concat(),
        )
    };
    let body = tlv(
        0x30,
        &[
            desc(1, "http://ocsp.ca.lab.test/"),
            desc(2, "http://ca.lab.test/root.der"),
        ]
        .concat(),
    );
    CustomExtension::from_oid_content(&[1, 3, 6, 1, 5, 5, 7, 1, 1], body)
}

/// DER: a tag-length-value.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn generalized_time(t: OffsetDateTime) -> Result<Vec<u8>, PkiError> {
    let f = time::macros::format_description!("[year][month][day][hour][minute][second]Z");
    let s = t.format(&f).map_err(|e| PkiError::Ocsp(e.to_string()))?;
    Ok(tlv(0x18, s.as_bytes()))
}

/// OID 1.3.14.3.2.26 (SHA-1), the CertID hash every OCSP client accepts (RFC 6960 §4.1.1).
const OID_SHA1: &[u8] = &[0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A];
/// OID 1.2.840.10045.4.3.2 (ecdsa-with-SHA256, RFC 5758 §3.2).
const OID_ECDSA_SHA256: &[u8] = &[0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];
/// OID 1.3.6.1.5.5.7.48.1.1 (id-pkix-ocsp-basic, RFC 6960 §4.2.1).
const OID_OCSP_BASIC: &[u8] = &[
    0x06, 0x09, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01,
];

impl Pki {
    /// A `good` OCSP response (RFC 6960 §4.2) for `leaf` (issued by this root), signed by the
    /// root itself (responderID byName), produced now and valid for `valid_for` days — what a
    /// server staples.
    pub fn ocsp_good(&self, leaf: &Leaf, valid_for: i64) -> Result<Vec<u8>, PkiError> {
        use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY, digest};
        use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair};
        let bad = |e: &dyn std::fmt::Display| PkiError::Ocsp(e.to_string());
        let (_, root) = x509_parser::parse_x509_certificate(&self.root_der).map_err(|e| bad(&e))?;
        let leaf_der = leaf
            .chain
            .first()
            .ok_or_else(|| PkiError::Ocsp("empty chain".into()))?;
        let (_, cert) = x509_parser::parse_x509_certificate(leaf_der).map_err(|e| bad(&e))?;
        let issuer_name = root.tbs_certificate.subject.as_raw();
        let issuer_key = &root.tbs_certificate.subject_pki.subject_public_key.data;
        let cert_id = seq(&[
            &seq(&[OID_SHA1, &[0x05, 0x00]]),
            &tlv(
                0x04,
                digest(&SHA1_FOR_LEGACY_USE_ONLY, issuer_name).as_ref(),
            ),
            &tlv(0x04, digest(&SHA1_FOR_LEGACY_USE_ONLY, issuer_key).as_ref()),
            &tlv(0x02, cert.tbs_certificate.raw_serial()),
        ]);
        let now = OffsetDateTime::now_utc();
        let single = seq(&[
            &cert_id,
            &[0x80, 0x00],
            &generalized_time(now - time::Duration::minutes(5))?,
            &tlv(
                0xA0,
                &generalized_time(now + time::Duration::days(valid_for))?,
            ),
        ]);
        let tbs = seq(&[
            &tlv(0xA1, issuer_name),
            &generalized_time(now)?,
            &seq(&[&single]),
        ]);
        let rng = ring::rand::SystemRandom::new();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &self.key_pkcs8, &rng)
            .map_err(|e| bad(&e))?;
        let sig = key.sign(&rng, &tbs).map_err(|e| bad(&e))?;
        let mut bits = vec![0u8];
        bits.extend_from_slice(sig.as_ref());
        let basic = seq(&[&tbs, &seq(&[OID_ECDSA_SHA256]), &tlv(0x03, &bits)]);
        let bytes = seq(&[OID_OCSP_BASIC, &tlv(0x04, &basic)]);
        Ok(seq(&[&[0x0A, 0x01, 0x00], &tlv(0xA0, &bytes)]))
    }
}

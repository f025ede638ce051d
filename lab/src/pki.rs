//! A throw-away PKI for the lab: one root CA and leaf certificates with chosen names and
//! validity, generated at start-up (ECDSA P-256, rcgen on ring), so nothing committed expires.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
    IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::OffsetDateTime;

/// Why a certificate could not be made.
#[derive(Debug, thiserror::Error)]
#[error("lab PKI: {0}")]
pub struct PkiError(#[from] rcgen::Error);

/// The lab's root CA.
pub struct Pki {
    issuer: Issuer<'static, KeyPair>,
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
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Leaf {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        })
    }
}

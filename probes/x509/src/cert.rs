//! Per-certificate facts.

use serde::{Deserialize, Serialize};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;

use crate::der::{Der, INTEGER, SEQUENCE};
use crate::names::{ip_from_san, rfc4514};
use crate::sig::{self, SigCheck};
use crate::util::{hex, rfc3339, sha256_hex};

/// One certificate as served: its position and hash always; its fields when it parses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificateEntry {
    /// Position in the chain as served (0 = the leaf).
    pub index: usize,
    /// Length of the DER encoding, bytes.
    pub der_length: usize,
    /// SHA-256 of the DER encoding (the certificate fingerprint), lower-case hex.
    pub sha256: String,
    /// Why x509-parser could not parse it (then `details` is absent).
    pub parse_error: Option<String>,
    /// The parsed fields.
    pub details: Option<CertificateDetails>,
}

/// The fields of one parsed certificate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificateDetails {
    /// X.509 version (1, 2 or 3).
    pub version: u32,
    /// Subject, RFC 4514 string (last RDN first).
    pub subject: String,
    /// Issuer, RFC 4514 string.
    pub issuer: String,
    /// Serial number, lower-case hex of the INTEGER's content octets (as encoded).
    pub serial: String,
    /// Subject alternative names.
    pub san: SubjectAltNames,
    /// The validity period, measured against the scan time.
    pub validity: ValidityInfo,
    /// Subject and issuer names are byte-identical.
    pub self_issued: bool,
    /// Self-issued and its signature verifies with its own key. For a certificate that is a
    /// trust anchor of a store given (same name and key) the self-signature is not checked —
    /// an anchor's signature plays no part in path validation (RFC 5280 §6.1) — and this is
    /// true; `self_signature_checked` says which.
    pub self_signed: bool,
    /// Whether `self_signed` comes from verifying the signature (false: not self-issued, or a
    /// trust anchor taken as such).
    pub self_signature_checked: bool,
    /// The subject public key.
    pub public_key: PublicKeyInfo,
    /// The algorithm the issuer signed this certificate with.
    pub signature_algorithm: SignatureAlgorithmInfo,
    /// Key usage bits set (RFC 5280 names); absent when the extension is absent.
    pub key_usage: Option<Vec<String>>,
    /// Extended key usages (`serverAuth`, `clientAuth`, ..., or dotted OIDs); absent when the
    /// extension is absent.
    pub extended_key_usage: Option<Vec<String>>,
    /// Basic constraints; absent when the extension is absent.
    pub basic_constraints: Option<BasicConstraintsInfo>,
    /// Name constraints; absent when the extension is absent.
    pub name_constraints: Option<NameConstraintsInfo>,
    /// Authority information access.
    pub aia: AuthorityInfoAccess,
    /// CRL distribution point URIs (other name forms as `dirname:`/`other:` strings).
    pub crl_distribution_points: Vec<String>,
    /// Certificate policy OIDs, dotted.
    pub policies: Vec<String>,
    /// CA/Browser Forum validation level from the policy OIDs (the highest present).
    pub validation_level: Option<ValidationLevel>,
    /// Embedded signed certificate timestamps (RFC 6962).
    pub scts: Vec<Sct>,
    /// The TLS feature extension (RFC 7633) lists status_request (5): OCSP must-staple.
    pub must_staple: bool,
    /// Subject key identifier, hex.
    pub subject_key_id: Option<String>,
    /// Authority key identifier (keyIdentifier field), hex.
    pub authority_key_id: Option<String>,
    /// Issuer organisation (the issuer's O= attribute).
    pub issuer_organization: Option<String>,
    /// SHA-256 of the DER SubjectPublicKeyInfo (the HPKP/SPKI pin), lower-case hex.
    pub spki_sha256: String,
    /// OIDs of critical extensions this analysis does not understand.
    pub unknown_critical_extensions: Vec<String>,
    /// Extensions that failed to parse: `OID: error`.
    pub extension_errors: Vec<String>,
}

/// Subject alternative names by kind.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SubjectAltNames {
    /// dNSName entries, as encoded.
    pub dns: Vec<String>,
    /// iPAddress entries, textual.
    pub ip: Vec<String>,
    /// Every other entry as `kind:value` (`email:`, `uri:`, `dirname:`, `other:OID`, `rid:OID`,
    /// `invalid:`).
    pub other: Vec<String>,
}

/// The validity period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidityInfo {
    /// notBefore, RFC 3339 UTC.
    pub not_before: String,
    /// notAfter, RFC 3339 UTC.
    pub not_after: String,
    /// Whole days from the scan time to notAfter, rounded down (negative once expired).
    pub days_left: i64,
    /// Seconds from the scan time to notAfter (negative once expired).
    pub seconds_left: i64,
    /// Lifetime in days: (notAfter − notBefore + 1 s) / 86 400 (RFC 5280 periods are inclusive;
    /// CA/B Forum's 398-day limit is on this figure), fractional.
    pub lifetime_days: f64,
    /// Lifetime in seconds, inclusive (notAfter − notBefore + 1).
    pub lifetime_seconds: i64,
}

/// Public key type and size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeyInfo {
    /// `rsa`, `ec`, `ed25519`, `ed448`, `dsa` or `other`.
    pub algorithm: String,
    /// The key algorithm OID, dotted.
    pub algorithm_oid: String,
    /// Key size, bits: RSA modulus length, EC curve size, 256 (Ed25519), 456 (Ed448), DSA `y`
    /// length; absent when unknown.
    pub bits: Option<u32>,
    /// RSA public exponent.
    pub rsa_exponent: Option<u64>,
    /// EC named curve (`P-256`, `P-384`, `P-521`, ... or the dotted OID).
    pub curve: Option<String>,
}

/// A signature algorithm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureAlgorithmInfo {
    /// Dotted OID.
    pub oid: String,
    /// Conventional name (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `rsassa-pss`, ...).
    pub name: String,
    /// The digest (`md5`, `sha1`, `sha256`, ...); absent for Ed25519/Ed448 and unknown ones.
    pub hash: Option<String>,
}

/// Basic constraints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicConstraintsInfo {
    /// cA.
    pub ca: bool,
    /// pathLenConstraint: how many further non-self-issued CA certificates may follow.
    pub path_len: Option<u32>,
    /// The extension is marked critical.
    pub critical: bool,
}

/// Name constraints, each subtree as `dns:NAME`, `ip:ADDR/PREFIX`, `email:`, `uri:`,
/// `dirname:` or `other:`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameConstraintsInfo {
    /// permittedSubtrees.
    pub permitted: Vec<String>,
    /// excludedSubtrees.
    pub excluded: Vec<String>,
    /// The extension is marked critical.
    pub critical: bool,
}

/// Authority information access.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityInfoAccess {
    /// id-ad-ocsp locations.
    pub ocsp: Vec<String>,
    /// id-ad-caIssuers locations.
    pub ca_issuers: Vec<String>,
}

/// CA/Browser Forum validation level (Baseline Requirements 7.1.6.1, EV Guidelines).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValidationLevel {
    /// Domain validated: 2.23.140.1.2.1.
    Dv,
    /// Individual validated: 2.23.140.1.2.3.
    Iv,
    /// Organisation validated: 2.23.140.1.2.2.
    Ov,
    /// Extended validation: 2.23.140.1.1.
    Ev,
}

/// One embedded SCT.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sct {
    /// SCT version (0 = v1).
    pub version: u8,
    /// The log's id (SHA-256 of its key), lower-case hex.
    pub log_id: String,
    /// The timestamp, RFC 3339 UTC (seconds).
    pub timestamp: String,
    /// The timestamp, milliseconds since the Unix epoch.
    pub timestamp_ms: u64,
}

fn general_name(g: &GeneralName<'_>) -> String {
    match g {
        GeneralName::DNSName(s) => format!("dns:{s}"),
        GeneralName::IPAddress(b) => match ip_from_san(b) {
            Some(ip) => format!("ip:{ip}"),
            None => match b.len() {
                8 | 32 => {
                    let (a, m) = b.split_at(b.len() / 2);
                    let prefix: u32 = m.iter().map(|x| x.count_ones()).sum();
                    match ip_from_san(a) {
                        Some(ip) => format!("ip:{ip}/{prefix}"),
                        None => format!("ip:#{}", hex(b)),
                    }
                }
                _ => format!("ip:#{}", hex(b)),
            },
        },
        GeneralName::RFC822Name(s) => format!("email:{s}"),
        GeneralName::URI(s) => format!("uri:{s}"),
        GeneralName::DirectoryName(n) => format!("dirname:{}", rfc4514(n)),
        GeneralName::OtherName(oid, _) => format!("other:{}", crate::util::oid_str(oid)),
        GeneralName::RegisteredID(oid) => format!("rid:{}", crate::util::oid_str(oid)),
        GeneralName::X400Address(_) => "x400:".into(),
        GeneralName::EDIPartyName(_) => "edi:".into(),
        GeneralName::Invalid(_, b) => format!("invalid:#{}", hex(b)),
    }
}

/// Bits in a big-endian unsigned integer.
pub(crate) fn int_bits(v: &[u8]) -> u32 {
    let v = crate::der::strip_int(v);
    match v.first() {
        None | Some(0) => 0,
        Some(&f) => (v.len() as u32 - 1) * 8 + (8 - f.leading_zeros()),
    }
}

/// Key facts.
pub(crate) fn public_key(cert: &X509Certificate<'_>) -> PublicKeyInfo {
    public_key_info(cert.public_key())
}

/// Key facts from a SubjectPublicKeyInfo (a certificate's or a trust anchor's).
pub(crate) fn public_key_info(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> PublicKeyInfo {
    let oid = crate::util::oid_str(&spki.algorithm.algorithm);
    let mut info = PublicKeyInfo {
        algorithm: "other".into(),
        algorithm_oid: oid.clone(),
        bits: None,
        rsa_exponent: None,
        curve: None,
    };
    match oid.as_str() {
        sig::RSA_KEY | sig::RSA_PSS => {
            info.algorithm = "rsa".into();
            if let Ok(PublicKey::RSA(rsa)) = spki.parsed() {
                info.bits = Some(int_bits(rsa.modulus));
                info.rsa_exponent = rsa.try_exponent().ok();
            }
        }
        sig::EC_KEY => {
            info.algorithm = "ec".into();
            info.curve = sig::curve(spki);
            info.bits = match info.curve.as_deref() {
                Some("P-256" | "secp256k1") => Some(256),
                Some("P-384") => Some(384),
                Some("P-521") => Some(521),
                Some("P-224") => Some(224),
                Some("P-192") => Some(192),
                _ => match spki.parsed() {
                    Ok(PublicKey::EC(p)) => u32::try_from(p.key_size()).ok().filter(|&b| b > 0),
                    _ => None,
                },
            };
        }
        sig::ED25519 => {
            info.algorithm = "ed25519".into();
            info.bits = Some(256);
        }
        sig::ED448 => {
            info.algorithm = "ed448".into();
            info.bits = Some(456);
        }
        sig::DSA_KEY => {
            info.algorithm = "dsa".into();
            if let Ok(PublicKey::DSA(y)) = spki.parsed() {
                info.bits = Some(int_bits(y));
            }
        }
        _ => {}
    }
    info
}

/// Signature algorithm facts.
pub(crate) fn signature_algorithm(cert: &X509Certificate<'_>) -> SignatureAlgorithmInfo {
    let oid = crate::util::oid_str(&cert.signature_algorithm.algorithm);
    let (name, hash) = sig::signature_name(&oid);
    let hash = if oid == sig::RSA_PSS {
        sig::pss_hash(&cert.signature_algorithm)
    } else {
        hash
    };
    SignatureAlgorithmInfo {
        oid,
        name: name.into(),
        hash: hash.map(str::to_owned),
    }
}

/// Whether the certificate's TLS feature extension lists status_request.
fn tls_feature_must_staple(value: &[u8]) -> bool {
    let mut outer = Der::new(value);
    let Ok(seq) = outer.expect(SEQUENCE) else {
        return false;
    };
    let mut d = Der::new(seq);
    while !d.is_empty() {
        match d.expect(INTEGER) {
            Ok(v) if crate::der::strip_int(v) == [5] => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

const TLS_FEATURE: &str = "1.3.6.1.5.5.7.1.24";

/// Extracts everything for one certificate. `scan` is the scan time, Unix seconds.
/// `is_anchor`: the certificate is a trust anchor of a store given (same subject and key).
pub(crate) fn details(
    cert: &X509Certificate<'_>,
    scan: i64,
    is_anchor: bool,
) -> CertificateDetails {
    let tbs = &cert.tbs_certificate;
    let nb = tbs.validity.not_before.timestamp();
    let na = tbs.validity.not_after.timestamp();
    let lifetime_seconds = na.saturating_sub(nb).saturating_add(1);
    let seconds_left = na.saturating_sub(scan);
    let self_issued = tbs.issuer.as_raw() == tbs.subject.as_raw();
    let self_signature_checked = self_issued && !is_anchor;
    let self_signed = self_issued
        && (is_anchor
            || sig::verify(
                &tbs.subject_pki,
                &cert.signature_algorithm,
                tbs.as_ref(),
                &cert.signature_value.data,
            ) == SigCheck::Valid);
    let mut d = CertificateDetails {
        version: tbs.version.0 + 1,
        subject: rfc4514(&tbs.subject),
        issuer: rfc4514(&tbs.issuer),
        serial: hex(tbs.raw_serial()),
        san: SubjectAltNames::default(),
        validity: ValidityInfo {
            not_before: rfc3339(nb),
            not_after: rfc3339(na),
            days_left: seconds_left.div_euclid(86_400),
            seconds_left,
            lifetime_days: lifetime_seconds as f64 / 86_400.0,
            lifetime_seconds,
        },
        self_issued,
        self_signed,
        self_signature_checked,
        public_key: public_key(cert),
        signature_algorithm: signature_algorithm(cert),
        key_usage: None,
        extended_key_usage: None,
        basic_constraints: None,
        name_constraints: None,
        aia: AuthorityInfoAccess::default(),
        crl_distribution_points: Vec::new(),
        policies: Vec::new(),
        validation_level: None,
        scts: Vec::new(),
        must_staple: false,
        subject_key_id: None,
        authority_key_id: None,
        issuer_organization: crate::names::attribute(&tbs.issuer, "2.5.4.10"),
        spki_sha256: sha256_hex(tbs.subject_pki.raw),
        unknown_critical_extensions: Vec::new(),
        extension_errors: Vec::new(),
    };
    for ext in tbs.extensions() {
        let oid = crate::util::oid_str(&ext.oid);
        match ext.parsed_extension() {
            ParsedExtension::SubjectAlternativeName(san) => {
                for g in &san.general_names {
                    match g {
                        GeneralName::DNSName(s) => d.san.dns.push((*s).to_owned()),
                        GeneralName::IPAddress(b) => match ip_from_san(b) {
                            Some(ip) => d.san.ip.push(ip.to_string()),
                            None => d.san.other.push(format!("invalid-ip:#{}", hex(b))),
                        },
                        GeneralName::RFC822Name(_)
                        | GeneralName::URI(_)
                        | GeneralName::DirectoryName(_)
                        | GeneralName::OtherName(..)
                        | GeneralName::RegisteredID(_)
                        | GeneralName::X400Address(_)
                        | GeneralName::EDIPartyName(_)
                        | GeneralName::Invalid(..) => d.san.other.push(general_name(g)),
                    }
                }
            }
            ParsedExtension::KeyUsage(ku) => {
                let names = [
                    (ku.digital_signature(), "digitalSignature"),
                    (ku.non_repudiation(), "contentCommitment"),
                    (ku.key_encipherment(), "keyEncipherment"),
                    (ku.data_encipherment(), "dataEncipherment"),
                    (ku.key_agreement(), "keyAgreement"),
                    (ku.key_cert_sign(), "keyCertSign"),
                    (ku.crl_sign(), "cRLSign"),
                    (ku.encipher_only(), "encipherOnly"),
                    (ku.decipher_only(), "decipherOnly"),
                ];
                d.key_usage = Some(
                    names
                        .iter()
                        .filter(|(on, _)| *on)
                        .map(|(_, n)| (*n).to_owned())
                        .collect(),
                );
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                let mut v: Vec<String> = [
                    (eku.server_auth, "serverAuth"),
                    (eku.client_auth, "clientAuth"),
                    (eku.code_signing, "codeSigning"),
                    (eku.email_protection, "emailProtection"),
                    (eku.time_stamping, "timeStamping"),
                    (eku.ocsp_signing, "OCSPSigning"),
                    (eku.any, "anyExtendedKeyUsage"),
                ]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, n)| (*n).to_owned())
                .collect();
                v.extend(eku.other.iter().map(crate::util::oid_str));
                d.extended_key_usage = Some(v);
            }
            ParsedExtension::BasicConstraints(bc) => {
                d.basic_constraints = Some(BasicConstraintsInfo {
                    ca: bc.ca,
                    path_len: bc.path_len_constraint,
                    critical: ext.critical,
                });
            }
            ParsedExtension::NameConstraints(nc) => {
                let list = |s: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| {
                    s.iter()
                        .flatten()
                        .map(|t| general_name(&t.base))
                        .collect::<Vec<_>>()
                };
                d.name_constraints = Some(NameConstraintsInfo {
                    permitted: list(&nc.permitted_subtrees),
                    excluded: list(&nc.excluded_subtrees),
                    critical: ext.critical,
                });
            }
            ParsedExtension::AuthorityInfoAccess(aia) => {
                for ad in &aia.accessdescs {
                    let loc = match &ad.access_location {
                        GeneralName::URI(u) => (*u).to_owned(),
                        other => general_name(other),
                    };
                    match crate::util::oid_str(&ad.access_method).as_str() {
                        "1.3.6.1.5.5.7.48.1" => d.aia.ocsp.push(loc),
                        "1.3.6.1.5.5.7.48.2" => d.aia.ca_issuers.push(loc),
                        _ => {}
                    }
                }
            }
            ParsedExtension::CRLDistributionPoints(points) => {
                for p in &points.points {
                    match &p.distribution_point {
                        Some(DistributionPointName::FullName(names)) => {
                            d.crl_distribution_points
                                .extend(names.iter().map(|g| match g {
                                    GeneralName::URI(u) => (*u).to_owned(),
                                    other => general_name(other),
                                }));
                        }
                        Some(DistributionPointName::NameRelativeToCRLIssuer(_)) => {
                            d.crl_distribution_points.push("relative-name:".into());
                        }
                        None => {}
                    }
                }
            }
            ParsedExtension::CertificatePolicies(policies) => {
                for p in policies {
                    let id = crate::util::oid_str(&p.policy_id);
                    let level = match id.as_str() {
                        "2.23.140.1.1" => Some(ValidationLevel::Ev),
                        "2.23.140.1.2.1" => Some(ValidationLevel::Dv),
                        "2.23.140.1.2.2" => Some(ValidationLevel::Ov),
                        "2.23.140.1.2.3" => Some(ValidationLevel::Iv),
                        _ => None,
                    };
                    d.validation_level = d.validation_level.max(level);
                    d.policies.push(id);
                }
            }
            ParsedExtension::SCT(scts) => {
                for s in scts {
                    let secs = i64::try_from(s.timestamp / 1000).unwrap_or(i64::MAX);
                    d.scts.push(Sct {
                        version: s.version.0,
                        log_id: hex(s.id.key_id),
                        timestamp: rfc3339(secs),
                        timestamp_ms: s.timestamp,
                    });
                }
            }
            ParsedExtension::SubjectKeyIdentifier(k) => d.subject_key_id = Some(hex(k.0)),
            ParsedExtension::AuthorityKeyIdentifier(a) => {
                d.authority_key_id = a.key_identifier.as_ref().map(|k| hex(k.0));
            }
            ParsedExtension::ParseError { error } => {
                d.extension_errors.push(format!("{oid}: {error}"))
            }
            ParsedExtension::UnsupportedExtension { .. } | ParsedExtension::Unparsed => {
                if oid == TLS_FEATURE {
                    d.must_staple = tls_feature_must_staple(ext.value);
                } else if ext.critical {
                    d.unknown_critical_extensions.push(oid);
                }
            }
            _ => {}
        }
    }
    d
}

/// Parses one DER certificate, rejecting trailing data.
pub(crate) fn parse(der: &[u8]) -> Result<X509Certificate<'_>, String> {
    match X509Certificate::from_der(der) {
        Ok(([], c)) => Ok(c),
        Ok((rest, _)) => Err(format!(
            "{} trailing bytes after the certificate",
            rest.len()
        )),
        Err(e) => Err(e.to_string()),
    }
}

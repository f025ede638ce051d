//! Signature algorithms: names, hashes, and verification with ring.

use ring::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

use crate::der::{Der, OID, SEQUENCE, oid_to_string};

/// Result of checking one signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SigCheck {
    /// The signature verifies.
    Valid,
    /// The signature does not verify (or the key cannot have made it).
    Invalid,
    /// ring cannot check this algorithm (MD5, DSA, ECDSA with SHA-1, P-521, Ed448, ...).
    Unsupported,
}

pub(crate) const RSA_KEY: &str = "1.2.840.113549.1.1.1";
pub(crate) const RSA_PSS: &str = "1.2.840.113549.1.1.10";
pub(crate) const EC_KEY: &str = "1.2.840.10045.2.1";
pub(crate) const ED25519: &str = "1.3.101.112";
pub(crate) const ED448: &str = "1.3.101.113";
pub(crate) const DSA_KEY: &str = "1.2.840.10040.4.1";

/// Name and hash of a signature algorithm OID.
pub(crate) fn signature_name(oid: &str) -> (&'static str, Option<&'static str>) {
    match oid {
        "1.2.840.113549.1.1.2" => ("md2WithRSAEncryption", Some("md2")),
        "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", Some("md5")),
        "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption", Some("sha1")),
        "1.2.840.113549.1.1.14" => ("sha224WithRSAEncryption", Some("sha224")),
        "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", Some("sha256")),
        "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", Some("sha384")),
        "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", Some("sha512")),
        RSA_PSS => ("rsassa-pss", None),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1", Some("sha1")),
        "1.2.840.10045.4.3.1" => ("ecdsa-with-SHA224", Some("sha224")),
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256", Some("sha256")),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384", Some("sha384")),
        "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512", Some("sha512")),
        ED25519 => ("Ed25519", None),
        ED448 => ("Ed448", None),
        "1.2.840.10040.4.3" => ("dsa-with-sha1", Some("sha1")),
        "2.16.840.1.101.3.4.3.2" => ("dsa-with-sha256", Some("sha256")),
        _ => ("unknown", None),
    }
}

fn hash_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.3.14.3.2.26" => "sha1",
        "2.16.840.1.101.3.4.2.4" => "sha224",
        "2.16.840.1.101.3.4.2.1" => "sha256",
        "2.16.840.1.101.3.4.2.2" => "sha384",
        "2.16.840.1.101.3.4.2.3" => "sha512",
        "1.2.840.113549.2.5" => "md5",
        _ => return None,
    })
}

/// The hash of an RSASSA-PSS AlgorithmIdentifier's parameters (RFC 4055; default SHA-1).
pub(crate) fn pss_hash(alg: &AlgorithmIdentifier<'_>) -> Option<&'static str> {
    let params = alg.parameters.as_ref()?;
    let mut d = Der::new(params.data);
    match d.optional(0xa0).ok()? {
        None => Some("sha1"),
        Some(inner) => {
            let mut inner = Der::new(inner);
            let mut ai = Der::new(inner.expect(SEQUENCE).ok()?);
            hash_name(&oid_to_string(ai.expect(OID).ok()?)?)
        }
    }
}

/// The named curve of an EC key (`P-256`, `P-384`, `P-521`, ...) or its OID.
pub(crate) fn curve(spki: &SubjectPublicKeyInfo<'_>) -> Option<String> {
    let p = spki.algorithm.parameters.as_ref()?;
    if p.header.tag().0 != 6 {
        return None;
    }
    let oid = oid_to_string(p.data)?;
    Some(match oid.as_str() {
        "1.2.840.10045.3.1.7" => "P-256".into(),
        "1.3.132.0.34" => "P-384".into(),
        "1.3.132.0.35" => "P-521".into(),
        "1.3.132.0.33" => "P-224".into(),
        "1.2.840.10045.3.1.1" => "P-192".into(),
        "1.3.132.0.10" => "secp256k1".into(),
        _ => oid,
    })
}

/// Verifies `sig` over `msg` with the key in `spki`, for the signature algorithm `alg`.
pub(crate) fn verify(
    spki: &SubjectPublicKeyInfo<'_>,
    alg: &AlgorithmIdentifier<'_>,
    msg: &[u8],
    sig: &[u8],
) -> SigCheck {
    let key_alg = crate::util::oid_str(&spki.algorithm.algorithm);
    let sig_alg = crate::util::oid_str(&alg.algorithm);
    let ring_alg: &'static dyn VerificationAlgorithm = match (key_alg.as_str(), sig_alg.as_str()) {
        (RSA_KEY, "1.2.840.113549.1.1.5") => {
            &signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY
        }
        (RSA_KEY, "1.2.840.113549.1.1.11") => {
            &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
        }
        (RSA_KEY, "1.2.840.113549.1.1.12") => &signature::RSA_PKCS1_2048_8192_SHA384,
        (RSA_KEY, "1.2.840.113549.1.1.13") => {
            &signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
        }
        (RSA_KEY | RSA_PSS, RSA_PSS) => match pss_hash(alg) {
            Some("sha256") => &signature::RSA_PSS_2048_8192_SHA256,
            Some("sha384") => &signature::RSA_PSS_2048_8192_SHA384,
            Some("sha512") => &signature::RSA_PSS_2048_8192_SHA512,
            _ => return SigCheck::Unsupported,
        },
        (EC_KEY, "1.2.840.10045.4.3.2" | "1.2.840.10045.4.3.3") => {
            let sha384 = sig_alg == "1.2.840.10045.4.3.3";
            match (curve(spki).as_deref(), sha384) {
                (Some("P-256"), false) => &signature::ECDSA_P256_SHA256_ASN1,
                (Some("P-256"), true) => &signature::ECDSA_P256_SHA384_ASN1,
                (Some("P-384"), false) => &signature::ECDSA_P384_SHA256_ASN1,
                (Some("P-384"), true) => &signature::ECDSA_P384_SHA384_ASN1,
                _ => return SigCheck::Unsupported,
            }
        }
        (ED25519, ED25519) => &signature::ED25519,
        // A key of one family cannot have made a signature of another.
        (RSA_KEY | RSA_PSS, s) if s.starts_with("1.2.840.10045.") || s == ED25519 => {
            return SigCheck::Invalid;
        }
        (EC_KEY, s) if s.starts_with("1.2.840.113549.1.1.") || s == ED25519 => {
            return SigCheck::Invalid;
        }
        (ED25519, s) if s.starts_with("1.2.840.113549.1.1.") || s.starts_with("1.2.840.10045.") => {
            return SigCheck::Invalid;
        }
        _ => return SigCheck::Unsupported,
    };
    match UnparsedPublicKey::new(ring_alg, spki.subject_public_key.data.as_ref()).verify(msg, sig) {
        Ok(()) => SigCheck::Valid,
        Err(_) => SigCheck::Invalid,
    }
}

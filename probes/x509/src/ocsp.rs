//! The stapled OCSP response (RFC 6960), read with a bounded DER reader.
//!
//! OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT SEQUENCE {
//! responseType OID, response OCTET STRING } OPTIONAL }; for id-pkix-ocsp-basic the OCTET STRING
//! holds BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm,
//! signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }.

use serde::{Deserialize, Serialize};
use x509_parser::prelude::FromDer;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo, X509Name};

use crate::der::{
    self, BIT_STRING, Der, DerError, ENUMERATED, GENERALIZED_TIME, INTEGER, OCTET_STRING, OID,
    SEQUENCE,
};
use crate::names::rfc4514;
use crate::sig::{self, SigCheck};
use crate::util::{generalized_time, hex, rfc3339};

const BASIC: &str = "1.3.6.1.5.5.7.48.1.1";
/// At most this many SingleResponses are read (a staple normally holds one).
const MAX_RESPONSES: usize = 64;

/// A certificate's status in one SingleResponse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertStatus {
    /// good.
    Good,
    /// revoked.
    Revoked,
    /// unknown.
    Unknown,
}

/// One SingleResponse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SingleResponse {
    /// CertID hash algorithm (`sha1`, `sha256`, ... or the dotted OID).
    pub hash_algorithm: String,
    /// CertID issuerNameHash, hex.
    pub issuer_name_hash: String,
    /// CertID issuerKeyHash, hex.
    pub issuer_key_hash: String,
    /// CertID serialNumber, hex of the INTEGER's content octets.
    pub serial: String,
    /// certStatus.
    pub status: CertStatus,
    /// revocationTime (RFC 3339) when revoked.
    pub revocation_time: Option<String>,
    /// revocationReason (CRLReason code) when given.
    pub revocation_reason: Option<u8>,
    /// thisUpdate, RFC 3339.
    pub this_update: String,
    /// nextUpdate, RFC 3339, when given.
    pub next_update: Option<String>,
    /// serialNumber equals the leaf's.
    pub serial_matches_leaf: bool,
    /// issuerKeyHash equals the hash of the leaf issuer's key (absent: issuer unknown or hash
    /// algorithm unsupported).
    pub issuer_key_hash_matches: Option<bool>,
    /// issuerNameHash equals the hash of the leaf's issuer name (absent: hash unsupported).
    pub issuer_name_hash_matches: Option<bool>,
}

/// Whether the response's signature was checked, and how it came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OcspSignature {
    /// Signed by the leaf's issuer, and it verifies.
    ValidByIssuer,
    /// Signed by a delegated responder certificate that the issuer signed and that has the
    /// OCSPSigning EKU, and it verifies.
    ValidByDelegate,
    /// It does not verify with the key it names (or the delegate is not authorised).
    Invalid,
    /// Not checked: issuer unknown, responder not found, or an algorithm ring lacks.
    NotChecked,
}

/// The stapled OCSP response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OcspInfo {
    /// A response was stapled.
    pub stapled: bool,
    /// Its length, bytes.
    pub length: usize,
    /// Why it could not be read (the fields below are then partial).
    pub parse_error: Option<String>,
    /// responseStatus: `successful`, `malformed-request`, `internal-error`, `try-later`,
    /// `sig-required`, `unauthorized` or `unknown-N`.
    pub response_status: Option<String>,
    /// responseType OID (id-pkix-ocsp-basic is the only one read).
    pub response_type: Option<String>,
    /// responderID: `name:RFC4514` or `key:HEX` (SHA-1 of the responder key).
    pub responder_id: Option<String>,
    /// producedAt, RFC 3339.
    pub produced_at: Option<String>,
    /// Every SingleResponse.
    pub responses: Vec<SingleResponse>,
    /// A SingleResponse is for this leaf: serial matches and issuerKeyHash matches (or, when the
    /// issuer is unknown, the serial alone matches).
    pub for_leaf: bool,
    /// The leaf's status from that SingleResponse.
    pub leaf_status: Option<CertStatus>,
    /// thisUpdate ≤ scan time < nextUpdate (no nextUpdate: thisUpdate ≤ scan time) for that
    /// SingleResponse.
    pub fresh: Option<bool>,
    /// Signature check of the response (optional per the brief; done with ring when possible).
    pub signature: OcspSignature,
}

impl OcspInfo {
    pub(crate) fn none() -> Self {
        Self {
            stapled: false,
            length: 0,
            parse_error: None,
            response_status: None,
            response_type: None,
            responder_id: None,
            produced_at: None,
            responses: Vec::new(),
            for_leaf: false,
            leaf_status: None,
            fresh: None,
            signature: OcspSignature::NotChecked,
        }
    }
}

/// What the analysis knows about the leaf and its issuer.
pub(crate) struct LeafRef<'a> {
    /// The leaf's serial, INTEGER content octets.
    pub(crate) serial: &'a [u8],
    /// The leaf's issuer Name, full DER.
    pub(crate) issuer_name_der: &'a [u8],
    /// The issuer's SubjectPublicKeyInfo, when known.
    pub(crate) issuer_spki: Option<SubjectPublicKeyInfo<'a>>,
}

fn digest(alg_oid: &str, data: &[u8]) -> Option<Vec<u8>> {
    let alg = match alg_oid {
        "1.3.14.3.2.26" => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        "2.16.840.1.101.3.4.2.1" => &ring::digest::SHA256,
        "2.16.840.1.101.3.4.2.2" => &ring::digest::SHA384,
        "2.16.840.1.101.3.4.2.3" => &ring::digest::SHA512,
        _ => return None,
    };
    Some(ring::digest::digest(alg, data).as_ref().to_vec())
}

fn hash_label(oid: &str) -> String {
    match oid {
        "1.3.14.3.2.26" => "sha1".into(),
        "2.16.840.1.101.3.4.2.1" => "sha256".into(),
        "2.16.840.1.101.3.4.2.2" => "sha384".into(),
        "2.16.840.1.101.3.4.2.3" => "sha512".into(),
        o => o.into(),
    }
}

fn err(e: DerError, what: &str) -> String {
    format!("{what}: {e:?}")
}

fn time(v: &[u8], what: &str) -> Result<i64, String> {
    generalized_time(v).ok_or_else(|| format!("{what}: bad GeneralizedTime"))
}

struct Parsed<'a> {
    tbs_raw: &'a [u8],
    sig_alg_raw: &'a [u8],
    signature: &'a [u8],
    certs: Vec<&'a [u8]>,
    responder_key_hash: Option<&'a [u8]>,
    responder_name_raw: Option<&'a [u8]>,
    // (single, this_update, next_update)
    singles: Vec<(SingleResponse, i64, Option<i64>)>,
}

fn parse_basic<'a>(
    out: &mut OcspInfo,
    basic: &'a [u8],
    leaf: &LeafRef<'_>,
) -> Result<Parsed<'a>, String> {
    let mut top = Der::new(basic);
    let mut b = Der::new(
        top.expect(SEQUENCE)
            .map_err(|e| err(e, "BasicOCSPResponse"))?,
    );
    let tbs = b.read().map_err(|e| err(e, "tbsResponseData"))?;
    if tbs.tag != SEQUENCE {
        return Err("tbsResponseData: not a SEQUENCE".into());
    }
    let sig_alg = b.read().map_err(|e| err(e, "signatureAlgorithm"))?;
    let sig_bits = b.expect(BIT_STRING).map_err(|e| err(e, "signature"))?;
    let signature = sig_bits.get(1..).unwrap_or(&[]);
    let mut certs = Vec::new();
    if let Some(c) = b.optional(0xa0).map_err(|e| err(e, "certs"))? {
        let mut c = Der::new(c);
        let mut list = Der::new(c.expect(SEQUENCE).map_err(|e| err(e, "certs"))?);
        while !list.is_empty() && certs.len() < 8 {
            certs.push(list.read().map_err(|e| err(e, "certs"))?.raw);
        }
    }
    let mut p = Parsed {
        tbs_raw: tbs.raw,
        sig_alg_raw: sig_alg.raw,
        signature,
        certs,
        responder_key_hash: None,
        responder_name_raw: None,
        singles: Vec::new(),
    };

    let mut rd = Der::new(tbs.value);
    rd.optional(0xa0).map_err(|e| err(e, "version"))?;
    let rid = rd.read().map_err(|e| err(e, "responderID"))?;
    match rid.tag {
        0xa1 => {
            let name = Der::new(rid.value)
                .read()
                .map_err(|e| err(e, "responderID byName"))?;
            p.responder_name_raw = Some(name.raw);
            out.responder_id = Some(match X509Name::from_der(name.raw) {
                Ok((_, n)) => format!("name:{}", rfc4514(&n)),
                Err(_) => format!("name:#{}", hex(name.raw)),
            });
        }
        0xa2 => {
            let k = Der::new(rid.value)
                .expect(OCTET_STRING)
                .map_err(|e| err(e, "responderID byKey"))?;
            p.responder_key_hash = Some(k);
            out.responder_id = Some(format!("key:{}", hex(k)));
        }
        t => return Err(format!("responderID: unexpected tag {t:#04x}")),
    }
    let produced = rd
        .expect(GENERALIZED_TIME)
        .map_err(|e| err(e, "producedAt"))?;
    out.produced_at = Some(rfc3339(time(produced, "producedAt")?));
    let mut list = Der::new(rd.expect(SEQUENCE).map_err(|e| err(e, "responses"))?);
    while !list.is_empty() {
        if p.singles.len() >= MAX_RESPONSES {
            return Err(format!("more than {MAX_RESPONSES} SingleResponses"));
        }
        let mut s = Der::new(
            list.expect(SEQUENCE)
                .map_err(|e| err(e, "SingleResponse"))?,
        );
        let mut cid = Der::new(s.expect(SEQUENCE).map_err(|e| err(e, "CertID"))?);
        let mut hash_alg = Der::new(
            cid.expect(SEQUENCE)
                .map_err(|e| err(e, "CertID hashAlgorithm"))?,
        );
        let hash_oid = der::oid_to_string(
            hash_alg
                .expect(OID)
                .map_err(|e| err(e, "CertID hashAlgorithm"))?,
        )
        .ok_or("CertID hashAlgorithm: bad OID")?;
        let name_hash = cid
            .expect(OCTET_STRING)
            .map_err(|e| err(e, "issuerNameHash"))?;
        let key_hash = cid
            .expect(OCTET_STRING)
            .map_err(|e| err(e, "issuerKeyHash"))?;
        let serial = cid.expect(INTEGER).map_err(|e| err(e, "serialNumber"))?;
        let status_tlv = s.read().map_err(|e| err(e, "certStatus"))?;
        let (status, mut revocation_time, mut revocation_reason) = (
            match status_tlv.tag {
                0x80 => CertStatus::Good,
                0xa1 => CertStatus::Revoked,
                0x82 => CertStatus::Unknown,
                t => return Err(format!("certStatus: unexpected tag {t:#04x}")),
            },
            None,
            None,
        );
        if status == CertStatus::Revoked {
            let mut ri = Der::new(status_tlv.value);
            revocation_time = Some(rfc3339(time(
                ri.expect(GENERALIZED_TIME)
                    .map_err(|e| err(e, "revocationTime"))?,
                "revocationTime",
            )?));
            if let Some(r) = ri.optional(0xa0).map_err(|e| err(e, "revocationReason"))? {
                revocation_reason = Der::new(r)
                    .expect(ENUMERATED)
                    .ok()
                    .and_then(|v| v.last().copied());
            }
        }
        let this_update = time(
            s.expect(GENERALIZED_TIME)
                .map_err(|e| err(e, "thisUpdate"))?,
            "thisUpdate",
        )?;
        let next_update = match s.optional(0xa0).map_err(|e| err(e, "nextUpdate"))? {
            Some(n) => Some(time(
                Der::new(n)
                    .expect(GENERALIZED_TIME)
                    .map_err(|e| err(e, "nextUpdate"))?,
                "nextUpdate",
            )?),
            None => None,
        };
        let key_hash_matches = leaf
            .issuer_spki
            .as_ref()
            .and_then(|spki| digest(&hash_oid, &spki.subject_public_key.data))
            .map(|h| h == key_hash);
        let name_hash_matches = digest(&hash_oid, leaf.issuer_name_der).map(|h| h == name_hash);
        p.singles.push((
            SingleResponse {
                hash_algorithm: hash_label(&hash_oid),
                issuer_name_hash: hex(name_hash),
                issuer_key_hash: hex(key_hash),
                serial: hex(serial),
                status,
                revocation_time,
                revocation_reason,
                this_update: rfc3339(this_update),
                next_update: next_update.map(rfc3339),
                serial_matches_leaf: der::strip_int(serial) == der::strip_int(leaf.serial),
                issuer_key_hash_matches: key_hash_matches,
                issuer_name_hash_matches: name_hash_matches,
            },
            this_update,
            next_update,
        ));
    }
    Ok(p)
}

fn check_signature(p: &Parsed<'_>, leaf: &LeafRef<'_>) -> OcspSignature {
    let Ok((_, alg)) = AlgorithmIdentifier::from_der(p.sig_alg_raw) else {
        return OcspSignature::NotChecked;
    };
    let Some(issuer) = leaf.issuer_spki.as_ref() else {
        return OcspSignature::NotChecked;
    };
    let by_issuer = match (p.responder_key_hash, p.responder_name_raw) {
        (Some(k), _) => {
            digest("1.3.14.3.2.26", &issuer.subject_public_key.data).is_some_and(|h| h == k)
        }
        (None, Some(n)) => n == leaf.issuer_name_der,
        (None, None) => false,
    };
    if by_issuer {
        return match sig::verify(issuer, &alg, p.tbs_raw, p.signature) {
            SigCheck::Valid => OcspSignature::ValidByIssuer,
            SigCheck::Invalid => OcspSignature::Invalid,
            SigCheck::Unsupported => OcspSignature::NotChecked,
        };
    }
    for c in &p.certs {
        let Ok(cert) = crate::cert::parse(c) else {
            continue;
        };
        let spki = cert.public_key();
        let named = match (p.responder_key_hash, p.responder_name_raw) {
            (Some(k), _) => {
                digest("1.3.14.3.2.26", &spki.subject_public_key.data).is_some_and(|h| h == k)
            }
            (None, Some(n)) => cert.subject().as_raw() == n,
            (None, None) => false,
        };
        if !named {
            continue;
        }
        let ocsp_signing = cert
            .extended_key_usage()
            .ok()
            .flatten()
            .is_some_and(|e| e.value.ocsp_signing);
        let issued = sig::verify(
            issuer,
            &cert.signature_algorithm,
            cert.tbs_certificate.as_ref(),
            &cert.signature_value.data,
        );
        if !ocsp_signing
            || issued == SigCheck::Invalid
            || cert.issuer().as_raw() != leaf.issuer_name_der
        {
            return OcspSignature::Invalid;
        }
        return match (issued, sig::verify(spki, &alg, p.tbs_raw, p.signature)) {
            (SigCheck::Valid, SigCheck::Valid) => OcspSignature::ValidByDelegate,
            (_, SigCheck::Invalid) => OcspSignature::Invalid,
            _ => OcspSignature::NotChecked,
        };
    }
    OcspSignature::NotChecked
}

/// Reads a stapled response. `scan` is the scan time, Unix seconds.
pub(crate) fn analyse(bytes: &[u8], leaf: Option<&LeafRef<'_>>, scan: i64) -> OcspInfo {
    let mut out = OcspInfo::none();
    out.stapled = true;
    out.length = bytes.len();
    let mut top = Der::new(bytes);
    let body = match top.expect(SEQUENCE) {
        Ok(b) => b,
        Err(e) => {
            out.parse_error = Some(err(e, "OCSPResponse"));
            return out;
        }
    };
    let mut d = Der::new(body);
    let status = match d.expect(ENUMERATED) {
        Ok(s) => s,
        Err(e) => {
            out.parse_error = Some(err(e, "responseStatus"));
            return out;
        }
    };
    out.response_status = Some(match status {
        [0] => "successful".into(),
        [1] => "malformed-request".into(),
        [2] => "internal-error".into(),
        [3] => "try-later".into(),
        [5] => "sig-required".into(),
        [6] => "unauthorized".into(),
        other => format!("unknown-{}", hex(other)),
    });
    let rb = match d.optional(0xa0) {
        Ok(Some(rb)) => rb,
        Ok(None) => return out,
        Err(e) => {
            out.parse_error = Some(err(e, "responseBytes"));
            return out;
        }
    };
    let inner = (|| -> Result<(String, &[u8]), String> {
        let mut rb = Der::new(rb);
        let mut seq = Der::new(rb.expect(SEQUENCE).map_err(|e| err(e, "responseBytes"))?);
        let oid = der::oid_to_string(seq.expect(OID).map_err(|e| err(e, "responseType"))?)
            .ok_or("responseType: bad OID")?;
        let resp = seq.expect(OCTET_STRING).map_err(|e| err(e, "response"))?;
        Ok((oid, resp))
    })();
    let (oid, resp) = match inner {
        Ok(v) => v,
        Err(e) => {
            out.parse_error = Some(e);
            return out;
        }
    };
    out.response_type = Some(oid.clone());
    if oid != BASIC {
        out.parse_error = Some(format!("responseType {oid} is not id-pkix-ocsp-basic"));
        return out;
    }
    let empty = LeafRef {
        serial: &[],
        issuer_name_der: &[],
        issuer_spki: None,
    };
    let leaf_ref = leaf.unwrap_or(&empty);
    match parse_basic(&mut out, resp, leaf_ref) {
        Ok(p) => {
            let matching = p.singles.iter().find(|(s, _, _)| {
                leaf.is_some() && s.serial_matches_leaf && s.issuer_key_hash_matches != Some(false)
            });
            if let Some((s, this, next)) = matching {
                out.for_leaf = true;
                out.leaf_status = Some(s.status);
                out.fresh = Some(*this <= scan && next.is_none_or(|n| scan < n));
            }
            if leaf.is_some() {
                out.signature = check_signature(&p, leaf_ref);
            }
            out.responses = p.singles.into_iter().map(|(s, _, _)| s).collect();
        }
        Err(e) => out.parse_error = Some(e),
    }
    out
}

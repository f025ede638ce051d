//! kensa's X.509 analysis (`x509.chain`): pure analysis of certificate chains captured by the
//! TLS probe — no network, no clock.
//!
//! Input: the DER chain(s) as served (leaf first), the host name asked for (SNI), the scan time,
//! the stapled OCSP response if any, and trust stores (Mozilla's via `webpki-roots`, user PEM
//! bundles). Output: an [`Observation`] with per-certificate fields, the chain as served, a
//! verdict per trust store listing every reason it fails, the stapled OCSP response, and the
//! issuing CA's CAA identifiers.
//!
//! Trust: rustls-webpki (`verify_for_usage` with ring algorithms, serverAuth) is the oracle for
//! path validation; because it reports one error at a time, our own checks walk the path
//! (built by issuer name and signature) and list every reason: expiry, not-yet-valid, unknown
//! issuer, host name (RFC 6125), bad signature, weak key, SHA-1/MD5 signature, not a CA, EKU,
//! name constraints (DNS and IP subtrees; directoryName constraints are left to webpki), path
//! length. A chain is trusted only when webpki accepts it, the host matches, and our checks
//! find nothing; every reason from every check is kept, each with its source (kensa, webpki,
//! OCSP, CRL). The path builder tries every candidate issuer (a self-issued, non-self-signed
//! intermediate is followed to its issuer; a same-named anchor whose key does not verify
//! loses to an issuer whose key does), exempts self-issued intermediates from path-length and
//! name-constraint counting (RFC 5280 §4.2.1.9, §4.2.1.10) and processes directoryName
//! constraints, which webpki rejects: such a chain is reported as rejected only by webpki.
//!
//! Lints ([`lint`]): RFC 5280 and CA/Browser Forum rules as data, run on every served
//! certificate and on the trust anchor's own certificate where the store has it.

#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod caa;
mod cert;
mod crl;
mod der;
pub mod lint;
mod names;
mod ocsp;
mod sig;
mod store;
mod trust;
mod util;

use std::time::SystemTime;

use kensa_probe::Outcome;
use serde::{Deserialize, Serialize};

pub use caa::{CaaCheck, CaaPolicy, IssuingCa, caa_check, issuing_ca};
pub use cert::{
    AuthorityInfoAccess, BasicConstraintsInfo, CertificateDetails, CertificateEntry,
    NameConstraintsInfo, PublicKeyInfo, Sct, SignatureAlgorithmInfo, SubjectAltNames,
    ValidationLevel, ValidityInfo,
};
pub use lint::{CertLints, LINTS, Lint, LintFinding, LintSeverity, Role, lint};
pub use ocsp::{CertStatus, OcspInfo, OcspSignature, SingleResponse};
pub use store::TrustStore;
pub use trust::{HostnameCheck, Reason, ReasonDetail, ServedChain, Source, TrustVerdict, Verdict};

/// The lint reference (`docs/lints.md`), generated from [`LINTS`].
pub fn lints_markdown() -> String {
    lint::markdown()
}

/// The probe id.
pub const PROBE_ID: &str = "x509.chain";
/// The observation's version; bumped when its meaning changes.
/// 2 (issue 22): `reasons` holds every check's reasons (webpki's too, with `details[].source`),
/// new reasons (one per webpki error), `rejected_only_by_webpki`, and `lints` per chain.
pub const PROBE_VERSION: &str = "2";

/// Most certificates read from one chain (the rest are counted, not analysed).
pub const MAX_CERTIFICATES: usize = 16;

/// Errors building the input (never from [`analyse`], which always returns an observation).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A certificate or OCSP response given as hex is not hex.
    #[error("invalid hex in {what}")]
    InvalidHex {
        /// Which input.
        what: String,
    },
    /// A trust-store PEM bundle could not be read.
    #[error("trust store {store}: {reason}")]
    InvalidPem {
        /// The store's name.
        store: String,
        /// What was wrong.
        reason: String,
    },
    /// A trust-store PEM bundle holds no certificate.
    #[error("trust store {store} holds no certificate")]
    EmptyTrustStore {
        /// The store's name.
        store: String,
    },
    /// A `--trust-store` value is not `NAME=FILE`.
    #[error("trust store {0:?} is not NAME=FILE")]
    BadTrustStoreSpec(String),
    /// A trust-store file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        message: String,
    },
}

impl Error {
    /// The outcome this error maps to: always the user's input.
    pub fn outcome(&self) -> Outcome {
        Outcome::InvalidInput
    }
}

/// One captured chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainInput {
    /// A label carried into the observation (e.g. `rustls/ECDSA/TLSv1.3`).
    pub label: String,
    /// DER certificates, leaf first, as served.
    pub certificates: Vec<Vec<u8>>,
    /// The stapled OCSP response (DER), if any.
    pub ocsp_response: Option<Vec<u8>>,
}

impl ChainInput {
    /// From the TLS probe's hex forms (`CapturedChain::certificates`, `ocsp_response`).
    pub fn from_hex(
        label: &str,
        certificates: &[String],
        ocsp_response: Option<&str>,
    ) -> Result<Self, Error> {
        let certificates = certificates
            .iter()
            .enumerate()
            .map(|(i, h)| {
                util::unhex(h).ok_or_else(|| Error::InvalidHex {
                    what: format!("certificate {i}"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let ocsp_response = ocsp_response
            .map(|h| {
                util::unhex(h).ok_or_else(|| Error::InvalidHex {
                    what: "OCSP response".into(),
                })
            })
            .transpose()?;
        Ok(Self {
            label: label.into(),
            certificates,
            ocsp_response,
        })
    }
}

/// Everything [`analyse`] needs.
#[derive(Clone, Debug)]
pub struct Input<'a> {
    /// The host name (SNI) or IP address the client asked for; empty: no host-name check.
    pub host: String,
    /// The scan time: validity and OCSP freshness are judged at this instant.
    pub scan_time: SystemTime,
    /// The chains captured for this host.
    pub chains: Vec<ChainInput>,
    /// The trust stores to judge against, in order.
    pub trust_stores: &'a [TrustStore],
    /// The CAA policy of the host, when the DNS probe found one (joined by the harness).
    pub caa: Option<CaaPolicy>,
    /// CAA identifiers the user gave for CAs kensa's table does not know (e.g. a national or
    /// private CA), consulted only when the table has no row for the issuer.
    pub extra_cas: &'a [CaIdentifiers],
}

/// A CA's CAA `issue` identifiers given by the user (`kensa scan --caa-identifier ORG=DOMAIN`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaIdentifiers {
    /// The issuer organisation (O=) to match, compared case-insensitively as a whole.
    pub organization: String,
    /// Its CAA identifiers (domain names).
    pub identifiers: Vec<String>,
}

/// One trust store's identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreSummary {
    /// Its name.
    pub name: String,
    /// Anchors it holds.
    pub anchors: usize,
}

/// The analysis of one chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainObservation {
    /// The input's label.
    pub label: String,
    /// Every certificate as served (at most [`MAX_CERTIFICATES`]).
    pub certificates: Vec<CertificateEntry>,
    /// Certificates beyond [`MAX_CERTIFICATES`] that were not analysed.
    pub certificates_ignored: usize,
    /// The chain as served.
    pub served: ServedChain,
    /// Host-name matching of the leaf.
    pub hostname: HostnameCheck,
    /// One verdict per trust store, in input order.
    pub trust: Vec<TrustVerdict>,
    /// The stapled OCSP response (`stapled: false` when none).
    pub ocsp: OcspInfo,
    /// The leaf requires a staple (RFC 7633 must-staple) and none usable came: no staple, not
    /// `successful`, not for this leaf, or not fresh.
    pub must_staple_unsatisfied: bool,
    /// The issuing CA, for a CAA cross-check.
    pub issuing_ca: IssuingCa,
    /// Lint results per certificate: every served certificate that parses, in served order,
    /// then each trust anchor's own certificate reached by a verdict (when its store holds the
    /// certificate and it was not served).
    #[serde(default)]
    pub lints: Vec<CertLints>,
}

/// The observation for one host.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// [`PROBE_VERSION`].
    pub probe_version: String,
    /// The host name asked for, as given.
    pub host: String,
    /// The scan time, RFC 3339 UTC (seconds).
    pub scan_time: String,
    /// The stores judged against.
    pub trust_stores: Vec<StoreSummary>,
    /// One analysis per input chain, in input order.
    pub chains: Vec<ChainObservation>,
    /// Whether the host's CAA policy authorises the first chain's issuing CA (absent when no
    /// DNS evidence was joined, e.g. for IP-literal targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caa: Option<CaaCheck>,
    /// Chains whose Certificate message is too large for common clients (issue 19; filled by
    /// the harness from what the TLS probe measured, see [`chain_too_large`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chains_too_large: Vec<ChainTooLarge>,
}

/// Caps common clients put on a Certificate message (the handshake message), bytes:
/// rustls refuses a handshake message over 64 KiB; OpenSSL's default
/// `max_cert_list` is 100 KiB (102,400 bytes).
pub const CLIENT_CERTIFICATE_CAPS: [(&str, usize); 2] = [("rustls", 65_536), ("OpenSSL", 102_400)];

/// A chain too large for common clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainTooLarge {
    /// The chain's label (as in `chains`), or the TLS capture it came from.
    pub label: String,
    /// The Certificate message's length, bytes.
    pub certificate_message_bytes: usize,
    /// The clients whose cap it exceeds, e.g. `rustls (64 KiB)`.
    pub too_large_for: Vec<String>,
    /// Whether the TLS probe read only the first bytes of it (over its own cap): `chains`
    /// then holds the leaf alone, or nothing.
    pub cut: bool,
    /// With `cut`: whether the leaf was read.
    pub leaf_read: bool,
    /// `chain too large for common clients (OpenSSL 100 KiB, rustls 64 KiB)`.
    pub finding: String,
}

/// The [`ChainTooLarge`] record of a Certificate message of `bytes` bytes, or `None` when it
/// is within every common client's cap.
pub fn chain_too_large(
    label: &str,
    bytes: usize,
    cut: bool,
    leaf_read: bool,
) -> Option<ChainTooLarge> {
    let too_large_for: Vec<String> = CLIENT_CERTIFICATE_CAPS
        .iter()
        .filter(|(_, cap)| bytes > *cap)
        .map(|(name, cap)| format!("{name} ({} KiB)", cap / 1024))
        .collect();
    if too_large_for.is_empty() {
        return None;
    }
    Some(ChainTooLarge {
        label: label.to_owned(),
        certificate_message_bytes: bytes,
        too_large_for,
        cut,
        leaf_read,
        finding: "chain too large for common clients (OpenSSL 100 KiB, rustls 64 KiB)".to_owned(),
    })
}

/// Analyses every chain. Never panics, whatever the bytes.
pub fn analyse(input: &Input<'_>) -> Observation {
    let mut chains: Vec<ChainObservation> = input
        .chains
        .iter()
        .map(|c| {
            analyse_chain_with(
                &input.host,
                input.scan_time,
                c,
                input.trust_stores,
                &Options::default(),
            )
        })
        .collect();
    for c in &mut chains {
        if !c.issuing_ca.caa_identifiers.is_empty() {
            continue;
        }
        let Some(org) = c.issuing_ca.organization.as_deref() else {
            continue;
        };
        if let Some(extra) = input
            .extra_cas
            .iter()
            .find(|e| e.organization.eq_ignore_ascii_case(org))
        {
            c.issuing_ca.caa_identifiers = extra.identifiers.clone();
            c.issuing_ca.caa_source = Some("given by the user (--caa-identifier)".into());
            c.issuing_ca.caa_source_verified = false;
        }
    }
    let caa = input.caa.as_ref().and_then(|policy| {
        let first = chains.first()?;
        let wildcard = first
            .hostname
            .matched_by
            .as_deref()
            .is_some_and(|m| m.starts_with("*."));
        Some(caa_check(
            policy,
            &first.issuing_ca.caa_identifiers,
            wildcard,
        ))
    });
    Observation {
        probe_version: PROBE_VERSION.to_owned(),
        host: input.host.clone(),
        scan_time: util::rfc3339(util::unix_seconds(input.scan_time)),
        trust_stores: input
            .trust_stores
            .iter()
            .map(|s| StoreSummary {
                name: s.name().into(),
                anchors: s.len(),
            })
            .collect(),
        chains,
        caa,
        chains_too_large: Vec::new(),
    }
}

/// Options of [`analyse_chain_with`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Certificate revocation lists (DER) to check the path against.
    pub crls: &'a [Vec<u8>],
}

/// Analyses one chain.
pub fn analyse_chain(
    host: &str,
    scan_time: SystemTime,
    chain: &ChainInput,
    stores: &[TrustStore],
) -> ChainObservation {
    analyse_chain_with(host, scan_time, chain, stores, &Options::default())
}

/// Analyses one chain with options (revocation lists).
pub fn analyse_chain_with(
    host: &str,
    scan_time: SystemTime,
    chain: &ChainInput,
    stores: &[TrustStore],
    options: &Options<'_>,
) -> ChainObservation {
    let crls: Vec<Vec<u8>> = options
        .crls
        .iter()
        .filter(|d| crl::check(d).is_ok())
        .cloned()
        .collect();
    let scan = util::unix_seconds(scan_time);
    let ders: &[Vec<u8>] = chain
        .certificates
        .get(..chain.certificates.len().min(MAX_CERTIFICATES))
        .unwrap_or_default();
    let mut entries = Vec::with_capacity(ders.len());
    let mut certs: Vec<Option<trust::Cert<'_>>> = Vec::with_capacity(ders.len());
    for (index, der) in ders.iter().enumerate() {
        let mut entry = CertificateEntry {
            index,
            der_length: der.len(),
            sha256: util::sha256_hex(der),
            parse_error: None,
            details: None,
        };
        match cert::parse(der) {
            Ok(x) => {
                let is_anchor = stores
                    .iter()
                    .any(|s| s.holds(x.subject().as_raw(), x.public_key().raw));
                let d = cert::details(&x, scan, is_anchor);
                certs.push(Some(trust::Cert { der, x, d }));
            }
            Err(e) => {
                entry.parse_error = Some(e);
                certs.push(None);
            }
        }
        entries.push(entry);
    }
    let leaf = certs.first().and_then(Option::as_ref);
    let cache = trust::SigCache::default();
    let served_path = trust::build_path(&certs, None, &cache, true);
    let served = trust::served_chain(&certs, &served_path, ders, stores);
    let hostname = trust::hostname(host, leaf);

    // The leaf's issuer: the served one on the path, else an anchor of any store.
    let issuer_spki = served_path
        .certs
        .get(1)
        .and_then(|&i| certs.get(i))
        .and_then(Option::as_ref)
        .map(|c| c.x.public_key().clone())
        .or_else(|| {
            let leaf = leaf?;
            stores.iter().find_map(|s| {
                let a = *s.by_subject(leaf.x.issuer().as_raw()).first()?;
                let spki_der = s.info.get(a)?.spki_der.as_slice();
                x509_parser::prelude::FromDer::from_der(spki_der)
                    .ok()
                    .map(|(_, spki)| spki)
            })
        });
    let ocsp = match (&chain.ocsp_response, leaf) {
        (None, _) => OcspInfo::none(),
        (Some(bytes), Some(leaf)) => {
            let lr = ocsp::LeafRef {
                serial: leaf.x.tbs_certificate.raw_serial(),
                issuer_name_der: leaf.x.issuer().as_raw(),
                issuer_spki,
            };
            ocsp::analyse(bytes, Some(&lr), scan)
        }
        (Some(bytes), None) => ocsp::analyse(bytes, None, scan),
    };
    let revoked = ocsp.for_leaf && ocsp.leaf_status == Some(CertStatus::Revoked);
    let must_staple = leaf.is_some_and(|l| l.d.must_staple);
    let usable_staple = ocsp.response_status.as_deref() == Some("successful")
        && ocsp.for_leaf
        && ocsp.fresh == Some(true);
    let rev = trust::Revocation {
        ocsp_revoked: revoked,
        crls: &crls,
    };
    let (trust, anchors): (Vec<TrustVerdict>, Vec<Option<usize>>) = stores
        .iter()
        .map(|s| trust::verdict(&certs, ders, s, &cache, scan, &hostname, &rev))
        .unzip();
    let mut lints: Vec<CertLints> = certs
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let c = c.as_ref()?;
            let role = if i == 0 {
                Role::Subscriber
            } else if c.d.self_signed {
                Role::Root
            } else {
                Role::Intermediate
            };
            Some(lint::run(&c.x, &c.d, role, scan, Some(i), None))
        })
        .collect();
    // The anchors' own certificates (PEM stores), once each, unless served.
    let mut seen: Vec<&[u8]> = ders.iter().map(Vec::as_slice).collect();
    for (store, anchor) in stores.iter().zip(&anchors) {
        let Some(der) = anchor
            .and_then(|a| store.info.get(a))
            .and_then(|i| i.cert_der.as_deref())
        else {
            continue;
        };
        if seen.contains(&der) {
            continue;
        }
        seen.push(der);
        if let Ok(x) = cert::parse(der) {
            let d = cert::details(&x, scan, true);
            lints.push(lint::run(
                &x,
                &d,
                Role::Root,
                scan,
                None,
                Some(store.name()),
            ));
        }
    }
    let issuing_ca = issuing_ca(leaf.and_then(|l| l.d.issuer_organization.as_deref()));
    // The details move into the entries only now: the checks above borrowed them.
    for (entry, cert) in entries.iter_mut().zip(certs) {
        entry.details = cert.map(|c| c.d);
    }
    ChainObservation {
        label: chain.label.clone(),
        certificates_ignored: chain.certificates.len().saturating_sub(MAX_CERTIFICATES),
        served,
        hostname,
        trust,
        must_staple_unsatisfied: must_staple && !usable_staple,
        issuing_ca,
        ocsp,
        certificates: entries,
        lints,
    }
}

/// The DER certificates of a PEM file (every `CERTIFICATE` block, in order) or of one DER
/// certificate.
pub fn certificates_from_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    use rustls_pki_types::pem::PemObject;
    if bytes.first() == Some(&0x30) {
        return Ok(vec![bytes.to_vec()]);
    }
    let mut out = Vec::new();
    for item in rustls_pki_types::CertificateDer::pem_slice_iter(bytes) {
        let der = item.map_err(|e| Error::InvalidPem {
            store: "input".into(),
            reason: e.to_string(),
        })?;
        out.push(der.to_vec());
    }
    if out.is_empty() {
        return Err(Error::InvalidPem {
            store: "input".into(),
            reason: "no CERTIFICATE block and not DER".into(),
        });
    }
    Ok(out)
}

/// The DER of a CRL given as PEM (`X509 CRL` block) or DER; it must parse.
pub fn crl_from_pem_or_der(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    use rustls_pki_types::pem::PemObject;
    let der = if bytes.first() == Some(&0x30) {
        bytes.to_vec()
    } else {
        rustls_pki_types::CertificateRevocationListDer::from_pem_slice(bytes)
            .map_err(|e| Error::InvalidPem {
                store: "CRL".into(),
                reason: e.to_string(),
            })?
            .to_vec()
    };
    crl::check(&der).map_err(|reason| Error::InvalidPem {
        store: "CRL".into(),
        reason,
    })?;
    Ok(der)
}

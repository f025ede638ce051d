//! Path building, the chain as served, and trust verdicts with every reason.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use serde::{Deserialize, Serialize};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::cert::CertificateDetails;
use crate::names::{dns_matches, dns_within, ip_from_san, ip_within, normalise_host};
use crate::sig::{self, SigCheck};
use crate::store::TrustStore;

/// Most intermediates a path may hold (webpki's limit is 6; we look two further to report it).
const MAX_DEPTH: usize = 8;
/// webpki's limit on intermediates.
const WEBPKI_MAX_INTERMEDIATES: usize = 6;

/// A served certificate that parsed.
pub(crate) struct Cert<'a> {
    pub(crate) der: &'a [u8],
    pub(crate) x: X509Certificate<'a>,
    pub(crate) d: CertificateDetails,
}

/// A path from the leaf upwards.
#[derive(Debug, Default)]
pub(crate) struct Path {
    /// Served indices, leaf first.
    pub(crate) certs: Vec<usize>,
    /// The anchor (index in the store) the top certificate chains to.
    pub(crate) anchor: Option<usize>,
    /// links[k]: the signature on certs[k] checked with the key of the next certificate up
    /// (certs[k+1], or the anchor for the top one).
    pub(crate) links: Vec<SigCheck>,
    /// The top certificate is self-signed (and no anchor was found above it).
    pub(crate) top_self_signed: bool,
}

fn signed_by(child: &X509Certificate<'_>, issuer: &SubjectPublicKeyInfo<'_>) -> SigCheck {
    sig::verify(
        issuer,
        &child.signature_algorithm,
        child.tbs_certificate.as_ref(),
        &child.signature_value.data,
    )
}

fn rank(c: SigCheck) -> u8 {
    match c {
        SigCheck::Valid => 0,
        SigCheck::Unsupported => 1,
        SigCheck::Invalid => 2,
    }
}

/// Signature checks already done in one analysis, keyed by (served index of the signed
/// certificate, the signer's DER SubjectPublicKeyInfo): a served root and the same root as an
/// anchor share one check.
#[derive(Default)]
pub(crate) struct SigCache<'k> {
    map: RefCell<HashMap<(usize, &'k [u8]), SigCheck>>,
}

impl<'k> SigCache<'k> {
    fn check(
        &self,
        child_index: usize,
        child: &X509Certificate<'_>,
        spki_der: &'k [u8],
    ) -> SigCheck {
        if let Some(c) = self.map.borrow().get(&(child_index, spki_der)) {
            return *c;
        }
        let check = match SubjectPublicKeyInfo::from_der(spki_der) {
            Ok((_, spki)) => signed_by(child, &spki),
            Err(_) => SigCheck::Invalid,
        };
        self.map.borrow_mut().insert((child_index, spki_der), check);
        check
    }
}

/// Picks the issuer among candidates (id, signer SPKI DER). With one candidate and `trusted`
/// (webpki already verified a path built by the same names), the signature is not re-checked;
/// otherwise every candidate is checked and one that verifies is preferred.
fn choose<'k>(
    cache: &SigCache<'k>,
    child_index: usize,
    child: &X509Certificate<'_>,
    candidates: &[(usize, &'k [u8])],
    trusted: bool,
) -> Option<(usize, SigCheck)> {
    match candidates {
        [] => None,
        [(id, _)] if trusted => Some((*id, SigCheck::Valid)),
        _ => {
            let mut best: Option<(usize, SigCheck)> = None;
            for &(id, spki) in candidates {
                let check = cache.check(child_index, child, spki);
                if best.is_none_or(|b| rank(check) < rank(b.1)) {
                    best = Some((id, check));
                }
            }
            best
        }
    }
}

/// Builds a path from the leaf by issuer name, preferring issuers whose key verifies the
/// signature; with a store, an anchor is preferred to a served certificate at every step (so
/// a served root is not needed). `trusted`: webpki accepted the chain for this store, so
/// unambiguous links are not re-verified. Without a store, only served certificates are used,
/// and signatures are checked only to break ties between same-named issuers (the served path
/// gives order and relations, not reasons).
pub(crate) fn build_path<'k>(
    certs: &'k [Option<Cert<'_>>],
    store: Option<&'k TrustStore>,
    cache: &SigCache<'k>,
    trusted: bool,
) -> Path {
    let mut path = Path::default();
    if !matches!(certs.first(), Some(Some(_))) {
        return path;
    }
    path.certs.push(0);
    let served_trusted = trusted || store.is_none();
    for _ in 0..=MAX_DEPTH {
        let Some(cur_i) = path.certs.last().copied() else {
            return path;
        };
        let Some(cur) = certs.get(cur_i).and_then(Option::as_ref) else {
            return path;
        };
        let issuer_raw = cur.x.issuer().as_raw();
        if let Some(store) = store {
            let cands: Vec<(usize, &[u8])> = store
                .by_subject(issuer_raw)
                .iter()
                .filter_map(|&a| store.info.get(a).map(|i| (a, i.spki_der.as_slice())))
                .collect();
            if let Some((a, check)) = choose(cache, cur_i, &cur.x, &cands, trusted) {
                path.anchor = Some(a);
                path.links.push(check);
                return path;
            }
        }
        if cur.d.self_issued {
            path.top_self_signed = cur.d.self_signed;
            return path;
        }
        let cands: Vec<(usize, &[u8])> = certs
            .iter()
            .enumerate()
            .filter_map(|(j, c)| c.as_ref().map(|c| (j, c)))
            .filter(|(j, c)| !path.certs.contains(j) && c.x.subject().as_raw() == issuer_raw)
            .map(|(j, c)| (j, c.x.public_key().raw))
            .collect();
        match choose(cache, cur_i, &cur.x, &cands, served_trusted) {
            Some((j, check)) => {
                path.links.push(check);
                path.certs.push(j);
            }
            None => return path,
        }
    }
    path
}

/// The chain as served.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedChain {
    /// Certificates sent.
    pub count: usize,
    /// Served indices of the path built from the leaf through served certificates only (by issuer
    /// name and signature), leaf first.
    pub path: Vec<usize>,
    /// Every certificate on that path follows the one it certifies directly (path = 0, 1, 2, ...).
    pub order_correct: bool,
    /// Indices of certificates that repeat an earlier one byte for byte.
    pub duplicates: Vec<usize>,
    /// Indices of certificates on no path from the leaf (extra, unrelated), duplicates excluded.
    pub unrelated: Vec<usize>,
    /// A self-signed certificate (a root) was sent above the leaf.
    pub root_sent: bool,
    /// The leaf itself is self-signed.
    pub leaf_self_signed: bool,
    /// The issuer of the top of the served path is neither served nor an anchor of any store
    /// given (and the top is not self-signed): the server omits an intermediate.
    pub missing_intermediate: bool,
    /// The issuer name (RFC 4514) of the top of the served path.
    pub top_issuer: Option<String>,
    /// Stores holding an anchor whose subject is `top_issuer`.
    pub top_issuer_in_stores: Vec<String>,
}

pub(crate) fn served_chain(
    certs: &[Option<Cert<'_>>],
    path: &Path,
    ders: &[Vec<u8>],
    stores: &[TrustStore],
) -> ServedChain {
    let mut duplicates = Vec::new();
    for (j, d) in ders.iter().enumerate() {
        if ders.iter().take(j).any(|e| e == d) {
            duplicates.push(j);
        }
    }
    let unrelated = (0..ders.len())
        .filter(|j| !path.certs.contains(j) && !duplicates.contains(j))
        .collect();
    let top = path
        .certs
        .last()
        .and_then(|&i| certs.get(i))
        .and_then(Option::as_ref);
    let leaf_self_signed = certs
        .first()
        .and_then(Option::as_ref)
        .is_some_and(|c| c.d.self_signed);
    let top_issuer_in_stores: Vec<String> = match top {
        Some(t) if !path.top_self_signed => stores
            .iter()
            .filter(|s| !s.by_subject(t.x.issuer().as_raw()).is_empty())
            .map(|s| s.name().to_owned())
            .collect(),
        _ => Vec::new(),
    };
    ServedChain {
        count: ders.len(),
        order_correct: path.certs.iter().enumerate().all(|(k, &i)| k == i),
        duplicates,
        unrelated,
        root_sent: path.top_self_signed && path.certs.len() > 1,
        leaf_self_signed,
        missing_intermediate: top.is_some()
            && !path.top_self_signed
            && top_issuer_in_stores.is_empty(),
        top_issuer: top.map(|t| t.d.issuer.clone()),
        top_issuer_in_stores,
        path: path.certs.clone(),
    }
}

/// Why a chain is not trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// A certificate on the path is past its notAfter at the scan time.
    Expired,
    /// A certificate on the path is before its notBefore at the scan time.
    NotYetValid,
    /// The path ends without reaching an anchor of the store (unknown root, self-signed
    /// certificate, or a missing intermediate).
    UnknownIssuer,
    /// The leaf's SANs do not cover the host name asked for (RFC 6125; no CN fallback).
    HostnameMismatch,
    /// A signature on the path does not verify with its issuer's key.
    BadSignature,
    /// A key on the path is weak: RSA < 2048 bits, EC < 256 bits, or DSA.
    WeakKey,
    /// A certificate on the path (other than a self-signature) is signed with MD2, MD5 or SHA-1.
    WeakSignatureAlgorithm,
    /// An issuing certificate is not a CA (no basicConstraints cA, or keyUsage without keyCertSign).
    NotCa,
    /// A certificate on the path has an extendedKeyUsage without serverAuth.
    WrongEku,
    /// A leaf name falls outside a permitted subtree, or inside an excluded one, of an issuing CA.
    NameConstraintsViolated,
    /// A CA's pathLenConstraint is exceeded, or the path has more than 6 intermediates.
    PathTooLong,
    /// The stapled OCSP response for this leaf says revoked.
    Revoked,
    /// The leaf is missing or does not parse.
    Malformed,
    /// webpki rejected the chain for a reason none of the above covers (see `webpki_error`).
    Other,
}

/// One reason with where it was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonDetail {
    /// The reason.
    pub reason: Reason,
    /// Served index of the certificate concerned (absent for chain-wide reasons).
    pub index: Option<usize>,
    /// What exactly was found.
    pub detail: String,
}

/// The verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// webpki built a path to an anchor for serverAuth at the scan time, the host name matched,
    /// and none of our own checks found a reason.
    Trusted,
    /// At least one reason.
    Untrusted,
}

/// The verdict for one trust store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustVerdict {
    /// The store's name (`mozilla`, or the NAME of `--trust-store NAME=FILE`).
    pub store: String,
    /// Trusted or untrusted.
    pub verdict: Verdict,
    /// Every reason found, sorted, without repeats (empty when trusted).
    pub reasons: Vec<Reason>,
    /// The reasons with the certificate concerned and what was found.
    pub details: Vec<ReasonDetail>,
    /// The path our own checks judged: served indices, leaf first.
    pub path: Vec<usize>,
    /// Subject (RFC 4514) of the anchor reached, if any.
    pub anchor: Option<String>,
    /// webpki's path validation (`verify_for_usage`, serverAuth, ring algorithms): `ok` or its
    /// error, as webpki reports it (it reports one error at a time).
    pub webpki: String,
}

/// Host-name facts for the leaf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostnameCheck {
    /// The host name (SNI) or IP address asked for, normalised (lower case, no trailing dot).
    pub host: String,
    /// A host was given (no host: nothing checked, no reason given).
    pub checked: bool,
    /// Our RFC 6125 matching found a SAN covering the host.
    pub matched: bool,
    /// The SAN that matched.
    pub matched_by: Option<String>,
    /// webpki's `verify_is_valid_for_subject_name` agreed that the name is valid (absent when
    /// not checked or the leaf does not parse for webpki).
    pub webpki_matched: Option<bool>,
}

pub(crate) fn hostname(host: &str, leaf: Option<&Cert<'_>>) -> HostnameCheck {
    let h = normalise_host(host);
    let mut out = HostnameCheck {
        host: h.clone(),
        checked: !h.is_empty(),
        matched: false,
        matched_by: None,
        webpki_matched: None,
    };
    let Some(leaf) = leaf else { return out };
    if h.is_empty() {
        return out;
    }
    if let Ok(ip) = h
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
    {
        out.matched_by = leaf
            .d
            .san
            .ip
            .iter()
            .find(|s| s.parse::<std::net::IpAddr>().ok() == Some(ip))
            .cloned();
    } else {
        out.matched_by = leaf.d.san.dns.iter().find(|s| dns_matches(s, &h)).cloned();
    }
    out.matched = out.matched_by.is_some();
    let server_name = ServerName::try_from(h.trim_start_matches('[').trim_end_matches(']'));
    let leaf_der = CertificateDer::from(leaf.der);
    let ee = webpki::EndEntityCert::try_from(&leaf_der);
    if let (Ok(name), Ok(ee)) = (server_name, ee) {
        out.webpki_matched = Some(ee.verify_is_valid_for_subject_name(&name).is_ok());
    }
    out
}

fn name_constraint_violations(ca: &X509Certificate<'_>, leaf: &X509Certificate<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(nc) = ca
        .iter_extensions()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::NameConstraints(nc) => Some(nc),
            _ => None,
        })
    else {
        return out;
    };
    let dns_of = |s: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| -> Vec<String> {
        s.iter()
            .flatten()
            .filter_map(|t| match t.base {
                GeneralName::DNSName(d) => Some(d.to_owned()),
                _ => None,
            })
            .collect()
    };
    let ip_of = |s: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| -> Vec<Vec<u8>> {
        s.iter()
            .flatten()
            .filter_map(|t| match t.base {
                GeneralName::IPAddress(b) => Some(b.to_vec()),
                _ => None,
            })
            .collect()
    };
    let (p_dns, e_dns) = (
        dns_of(&nc.permitted_subtrees),
        dns_of(&nc.excluded_subtrees),
    );
    let (p_ip, e_ip) = (ip_of(&nc.permitted_subtrees), ip_of(&nc.excluded_subtrees));
    let Ok(Some(san)) = leaf.subject_alternative_name() else {
        return out;
    };
    for g in &san.value.general_names {
        match g {
            GeneralName::DNSName(n) => {
                if !p_dns.is_empty() && !p_dns.iter().any(|b| dns_within(n, b)) {
                    out.push(format!("dns:{n} is outside the permitted subtrees"));
                }
                if let Some(b) = e_dns.iter().find(|b| dns_within(n, b)) {
                    out.push(format!("dns:{n} is inside the excluded subtree {b}"));
                }
            }
            GeneralName::IPAddress(b) => {
                let Some(ip) = ip_from_san(b) else { continue };
                let fam = b.len() * 2;
                let p: Vec<_> = p_ip.iter().filter(|s| s.len() == fam).collect();
                if !p.is_empty() && !p.iter().any(|s| ip_within(&ip, s)) {
                    out.push(format!("ip:{ip} is outside the permitted subtrees"));
                }
                if e_ip.iter().any(|s| ip_within(&ip, s)) {
                    out.push(format!("ip:{ip} is inside an excluded subtree"));
                }
            }
            _ => {}
        }
    }
    out
}

fn weak_key(d: &CertificateDetails) -> Option<String> {
    let pk = &d.public_key;
    match (pk.algorithm.as_str(), pk.bits) {
        ("rsa", Some(b)) if b < 2048 => Some(format!("RSA {b} bits")),
        ("ec", Some(b)) if b < 256 => Some(format!("EC {b} bits")),
        ("dsa", b) => Some(format!("DSA {} bits", b.unwrap_or(0))),
        _ => None,
    }
}

/// Own checks along one path. Returns every reason found.
pub(crate) fn own_reasons(certs: &[Option<Cert<'_>>], path: &Path, scan: i64) -> Vec<ReasonDetail> {
    let mut out = Vec::new();
    let mut add = |reason, index: Option<usize>, detail: String| {
        out.push(ReasonDetail {
            reason,
            index,
            detail,
        })
    };
    let leaf = certs.first().and_then(Option::as_ref);
    let last = path.certs.len().saturating_sub(1);
    for (pos, &i) in path.certs.iter().enumerate() {
        let Some(c) = certs.get(i).and_then(Option::as_ref) else {
            continue;
        };
        let nb = c.x.validity().not_before.timestamp();
        let na = c.x.validity().not_after.timestamp();
        if scan < nb {
            add(
                Reason::NotYetValid,
                Some(i),
                format!("notBefore {}", c.d.validity.not_before),
            );
        }
        if scan > na {
            add(
                Reason::Expired,
                Some(i),
                format!("notAfter {}", c.d.validity.not_after),
            );
        }
        let own_root = pos == last && path.anchor.is_none() && path.top_self_signed;
        if !own_root
            && let Some(h @ ("md2" | "md5" | "sha1")) = c.d.signature_algorithm.hash.as_deref()
        {
            add(
                Reason::WeakSignatureAlgorithm,
                Some(i),
                format!("{} ({h})", c.d.signature_algorithm.name),
            );
        }
        if let Some(w) = weak_key(&c.d) {
            add(Reason::WeakKey, Some(i), w);
        }
        if let Some(eku) = &c.d.extended_key_usage
            && !eku.iter().any(|e| e == "serverAuth")
        {
            add(
                Reason::WrongEku,
                Some(i),
                format!("extendedKeyUsage [{}] lacks serverAuth", eku.join(", ")),
            );
        }
        if pos >= 1 {
            match &c.d.basic_constraints {
                Some(bc) if bc.ca => {
                    if let Some(n) = bc.path_len
                        && (pos - 1) as u64 > u64::from(n)
                    {
                        add(
                            Reason::PathTooLong,
                            Some(i),
                            format!("pathLenConstraint {n}, {} CA certificates below", pos - 1),
                        );
                    }
                    if c.d
                        .key_usage
                        .as_ref()
                        .is_some_and(|ku| !ku.iter().any(|k| k == "keyCertSign"))
                    {
                        add(Reason::NotCa, Some(i), "keyUsage lacks keyCertSign".into());
                    }
                }
                Some(_) => add(
                    Reason::NotCa,
                    Some(i),
                    "basicConstraints cA is false".into(),
                ),
                None => add(Reason::NotCa, Some(i), "no basicConstraints".into()),
            }
            if let Some(leaf) = leaf {
                for v in name_constraint_violations(&c.x, &leaf.x) {
                    add(Reason::NameConstraintsViolated, Some(i), v);
                }
            }
        }
    }
    for (k, check) in path.links.iter().enumerate() {
        if *check == SigCheck::Invalid {
            let i = path.certs.get(k).copied();
            add(
                Reason::BadSignature,
                i,
                "signature does not verify with the issuer's key".into(),
            );
        }
    }
    if path.certs.len() > WEBPKI_MAX_INTERMEDIATES + 1 {
        add(
            Reason::PathTooLong,
            None,
            format!(
                "{} intermediates (at most {WEBPKI_MAX_INTERMEDIATES})",
                path.certs.len() - 1
            ),
        );
    }
    if path.anchor.is_none() {
        let top = path.certs.last().copied();
        let detail = match top.and_then(|t| certs.get(t)).and_then(Option::as_ref) {
            Some(t) if path.top_self_signed => {
                format!("self-signed {} is not an anchor", t.d.subject)
            }
            Some(t) => format!("issuer {} is neither served nor an anchor", t.d.issuer),
            None => "no leaf".into(),
        };
        add(Reason::UnknownIssuer, top, detail);
    }
    out
}

fn map_webpki(e: &webpki::Error) -> Reason {
    use webpki::Error as E;
    match e {
        E::CertExpired { .. } => Reason::Expired,
        E::CertNotValidYet { .. } => Reason::NotYetValid,
        E::UnknownIssuer => Reason::UnknownIssuer,
        E::CertNotValidForName(_) => Reason::HostnameMismatch,
        E::InvalidSignatureForPublicKey => Reason::BadSignature,
        E::RequiredEkuNotFoundContext(_) => Reason::WrongEku,
        E::NameConstraintViolation => Reason::NameConstraintsViolated,
        E::PathLenConstraintViolated | E::MaximumPathDepthExceeded => Reason::PathTooLong,
        E::EndEntityUsedAsCa => Reason::NotCa,
        E::CertRevoked => Reason::Revoked,
        E::BadDer | E::BadDerTime | E::TrailingData(_) => Reason::Malformed,
        _ => Reason::Other,
    }
}

/// The verdict for one store.
pub(crate) fn verdict<'k>(
    certs: &'k [Option<Cert<'_>>],
    ders: &[Vec<u8>],
    store: &'k TrustStore,
    cache: &SigCache<'k>,
    scan: i64,
    host: &HostnameCheck,
    revoked: bool,
) -> TrustVerdict {
    let mut details = Vec::new();
    let Some(leaf) = certs.first().and_then(Option::as_ref) else {
        return TrustVerdict {
            store: store.name().into(),
            verdict: Verdict::Untrusted,
            reasons: vec![Reason::Malformed],
            details: vec![ReasonDetail {
                reason: Reason::Malformed,
                index: Some(0),
                detail: "the leaf is missing or does not parse".into(),
            }],
            path: Vec::new(),
            anchor: None,
            webpki: "not run".into(),
        };
    };
    // webpki as the oracle for path validation.
    let time = UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(scan).unwrap_or(0)));
    let intermediates: Vec<CertificateDer<'_>> = ders
        .iter()
        .skip(1)
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let leaf_der = CertificateDer::from(leaf.der);
    let webpki_result = match webpki::EndEntityCert::try_from(&leaf_der) {
        Ok(ee) => ee
            .verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &store.anchors,
                &intermediates,
                time,
                webpki::KeyUsage::server_auth(),
                None,
                None,
            )
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let webpki_text = match &webpki_result {
        Ok(()) => "ok".to_owned(),
        Err(webpki::Error::UnsupportedSignatureAlgorithmContext(c)) => {
            format!(
                "UnsupportedSignatureAlgorithm({})",
                crate::util::hex(&c.signature_algorithm_id)
            )
        }
        Err(webpki::Error::UnsupportedSignatureAlgorithmForPublicKeyContext(c)) => {
            format!(
                "UnsupportedSignatureAlgorithmForPublicKey({})",
                crate::util::hex(&c.signature_algorithm_id)
            )
        }
        Err(e) => format!("{e:?}"),
    };
    let path = build_path(certs, Some(store), cache, webpki_result.is_ok());
    details.extend(own_reasons(certs, &path, scan));
    if host.checked && !host.matched {
        details.push(ReasonDetail {
            reason: Reason::HostnameMismatch,
            index: Some(0),
            detail: format!(
                "{} not covered by SANs [{}]",
                host.host,
                leaf.d
                    .san
                    .dns
                    .iter()
                    .chain(&leaf.d.san.ip)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    if revoked {
        details.push(ReasonDetail {
            reason: Reason::Revoked,
            index: Some(0),
            detail: "stapled OCSP response: revoked".into(),
        });
    }
    if details.is_empty() {
        if let Err(e) = &webpki_result {
            details.push(ReasonDetail {
                reason: map_webpki(e),
                index: None,
                detail: format!("webpki: {e:?}"),
            });
        } else if host.webpki_matched == Some(false) {
            details.push(ReasonDetail {
                reason: Reason::HostnameMismatch,
                index: Some(0),
                detail: "webpki: name not valid for the certificate".into(),
            });
        }
    }
    let reasons: Vec<Reason> = details
        .iter()
        .map(|d| (d.reason, ()))
        .collect::<BTreeMap<_, _>>()
        .into_keys()
        .collect();
    TrustVerdict {
        store: store.name().into(),
        verdict: if reasons.is_empty() {
            Verdict::Trusted
        } else {
            Verdict::Untrusted
        },
        reasons,
        details,
        path: path.certs,
        anchor: path
            .anchor
            .and_then(|a| store.info.get(a))
            .map(|a| a.label.clone()),
        webpki: webpki_text,
    }
}

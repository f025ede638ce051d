//! Path building, the chain as served, and trust verdicts with every reason.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use serde::{Deserialize, Serialize};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::x509::{SubjectPublicKeyInfo, X509Name};

use crate::cert::{CertificateDetails, PublicKeyInfo};
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
#[derive(Clone, Debug, Default)]
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

/// Which issuer a path step goes to.
#[derive(Clone, Copy)]
enum Cand {
    /// An anchor of the store (index in the store): the path ends there.
    Anchor(usize),
    /// A served certificate (served index).
    Served(usize),
}

/// How good a finished path is: no signature that fails, then an anchor reached, then a
/// self-signed top (an honest "unknown root" rather than a dead end). Compared as a tuple.
fn score(p: &Path) -> (bool, bool, bool) {
    (
        !p.links.contains(&SigCheck::Invalid),
        p.anchor.is_some(),
        p.top_self_signed,
    )
}

/// Most path-building steps tried per path (every candidate issuer at every step, depth
/// first), so that cross-signed loops and many same-named certificates stay cheap.
const MAX_STEPS: usize = 64;

struct Builder<'c, 'k, 'x> {
    certs: &'k [Option<Cert<'x>>],
    store: Option<&'k TrustStore>,
    cache: &'c SigCache<'k>,
    trusted: bool,
    steps: usize,
    best: Option<Path>,
}

impl<'k> Builder<'_, 'k, '_> {
    fn offer(&mut self, p: Path) -> bool {
        let perfect = score(&p) == (true, true, false);
        if self.best.as_ref().is_none_or(|b| score(&p) > score(b)) {
            self.best = Some(p);
        }
        perfect
    }

    /// Extends `path` from its last certificate with every candidate issuer in turn (those
    /// whose key verifies the signature first; an anchor before a served certificate).
    /// Returns true once a path reaches an anchor with every signature verified.
    fn extend(&mut self, path: &mut Path) -> bool {
        self.steps += 1;
        let Some(cur_i) = path.certs.last().copied() else {
            return false;
        };
        let Some(cur) = self.certs.get(cur_i).and_then(Option::as_ref) else {
            return self.offer(path.clone());
        };
        let issuer_raw = cur.x.issuer().as_raw();
        let mut cands: Vec<(Cand, &'k [u8])> = Vec::new();
        if let Some(store) = self.store {
            for &a in store.by_subject(issuer_raw) {
                if let Some(i) = store.info.get(a) {
                    cands.push((Cand::Anchor(a), i.spki_der.as_slice()));
                }
            }
        }
        // A self-signed certificate ends the path unless an anchor is above it; a self-issued
        // one that is not self-signed (a CA key rollover) goes on to its same-named issuer.
        let self_signed = cur.d.self_signed;
        if !self_signed && path.certs.len() <= MAX_DEPTH {
            for (j, c) in self.certs.iter().enumerate() {
                if let Some(c) = c
                    && !path.certs.contains(&j)
                    && c.x.subject().as_raw() == issuer_raw
                {
                    cands.push((Cand::Served(j), c.x.public_key().raw));
                }
            }
        }
        let single = cands.len() == 1;
        let mut checked: Vec<(Cand, SigCheck)> = cands
            .into_iter()
            .map(|(cand, spki)| {
                let check = if single && (self.trusted || self.store.is_none()) {
                    SigCheck::Valid
                } else {
                    self.cache.check(cur_i, &cur.x, spki)
                };
                (cand, check)
            })
            .collect();
        // Stable: among equal checks, anchors (pushed first) stay first.
        checked.sort_by_key(|(_, c)| rank(*c));
        let mut any = false;
        for (cand, check) in checked {
            if self.steps >= MAX_STEPS {
                break;
            }
            any = true;
            match cand {
                Cand::Anchor(a) => {
                    let mut p = path.clone();
                    p.anchor = Some(a);
                    p.links.push(check);
                    if self.offer(p) {
                        return true;
                    }
                }
                Cand::Served(j) => {
                    path.certs.push(j);
                    path.links.push(check);
                    let done = self.extend(path);
                    path.certs.pop();
                    path.links.pop();
                    if done {
                        return true;
                    }
                }
            }
        }
        if self_signed || !any {
            let mut p = path.clone();
            p.top_self_signed = self_signed;
            return self.offer(p);
        }
        false
    }
}

/// Builds a path from the leaf by issuer name, trying every candidate issuer (depth first,
/// those whose key verifies the signature first, an anchor before a served certificate) and
/// keeping the best path found: every signature verifies, then an anchor is reached, then the
/// top is self-signed. `trusted`: webpki accepted the chain for this store, so a link with a
/// single candidate is not re-verified. Without a store, only served certificates are used
/// (the served path gives order and relations, not reasons), and signatures are checked only
/// to choose between same-named issuers.
pub(crate) fn build_path<'k>(
    certs: &'k [Option<Cert<'_>>],
    store: Option<&'k TrustStore>,
    cache: &SigCache<'k>,
    trusted: bool,
) -> Path {
    if !matches!(certs.first(), Some(Some(_))) {
        return Path::default();
    }
    let mut b = Builder {
        certs,
        store,
        cache,
        trusted,
        steps: 0,
        best: None,
    };
    let mut start = Path {
        certs: vec![0],
        ..Path::default()
    };
    b.extend(&mut start);
    b.best.unwrap_or(start)
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
    /// A certificate on the path is not X.509 v3 (webpki `UnsupportedCertVersion`).
    UnsupportedVersion,
    /// A certificate on the path has a critical extension the validator does not recognise
    /// (RFC 5280 §4.2; webpki `UnsupportedCriticalExtension`).
    UnknownCriticalExtension,
    /// A CA certificate is presented as the end entity (webpki `CaUsedAsEndEntity`).
    CaUsedAsEndEntity,
    /// The certificate is distrusted (webpki `CertDistrusted`).
    Distrusted,
    /// An extendedKeyUsage extension holds no purpose (webpki `EmptyEkuExtension`).
    EmptyEku,
    /// An extension's value is invalid (webpki `ExtensionValueInvalid`).
    InvalidExtensionValue,
    /// The validity period is invalid: notAfter before notBefore (webpki `InvalidCertValidity`).
    InvalidValidity,
    /// A name constraint is malformed (webpki `MalformedNameConstraint`,
    /// `InvalidNetworkMaskConstraint`).
    MalformedNameConstraint,
    /// The serial number is invalid (webpki `InvalidSerialNumber`).
    InvalidSerialNumber,
    /// A DNS name in the certificate is malformed (webpki `MalformedDnsIdentifier`).
    MalformedDnsIdentifier,
    /// The extensions are malformed, e.g. one repeats (webpki `MalformedExtensions`).
    MalformedExtensions,
    /// webpki gave up: too many signature checks, path-building calls or name comparisons
    /// (`MaximumSignatureChecksExceeded`, `MaximumPathBuildCallsExceeded`,
    /// `MaximumNameConstraintComparisonsExceeded`).
    ValidationBudgetExceeded,
    /// The outer and inner signature algorithms differ (webpki `SignatureAlgorithmMismatch`).
    SignatureAlgorithmMismatch,
    /// A name type the validator cannot check against a constraint (webpki
    /// `UnsupportedNameType`).
    UnsupportedNameType,
    /// A signature algorithm the validator does not support, or not for that key (webpki
    /// `UnsupportedSignatureAlgorithm*`).
    UnsupportedSignatureAlgorithm,
    /// Revocation status could not be determined (webpki `UnknownRevocationStatus`).
    UnknownRevocationStatus,
    /// A CRL given could not be used (webpki's CRL errors: expired, bad signature, issuer not a
    /// CRL signer, unsupported form).
    CrlUnusable,
    /// webpki rejected the chain for a reason none of the above covers (see `webpki`).
    Other,
}

/// Which check found a reason.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// kensa's own RFC 5280 checks along the path it built.
    #[default]
    Kensa,
    /// rustls-webpki's path validation (the web PKI profile rustls clients apply).
    Webpki,
    /// The stapled OCSP response.
    Ocsp,
    /// A CRL given as input (`kensa lint --crl`).
    Crl,
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
    /// Which check found it.
    #[serde(default)]
    pub source: Source,
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
    /// webpki rejects the chain but kensa's own RFC 5280 checks (and the revocation inputs)
    /// found nothing: the chain is valid under RFC 5280 and only rustls-webpki's web PKI
    /// profile rejects it (e.g. a directoryName name constraint, which webpki does not
    /// process and so rejects).
    #[serde(default)]
    pub rejected_only_by_webpki: bool,
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

/// Violations of `ca`'s name constraints by `cert` (RFC 5280 §4.2.1.10, §6.1.3 (b), (c)):
/// dNSName and iPAddress subtrees against the SANs; directoryName subtrees against the subject
/// (when not empty) and directoryName SANs. `cert` is the leaf or a non-self-issued
/// intermediate below `ca` (self-issued intermediates are exempt, §6.1.3 (b)).
fn name_constraint_violations(ca: &X509Certificate<'_>, cert: &X509Certificate<'_>) -> Vec<String> {
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
    type Subtrees<'a> = Option<Vec<x509_parser::extensions::GeneralSubtree<'a>>>;
    let dns_of = |s: &Subtrees<'_>| -> Vec<String> {
        s.iter()
            .flatten()
            .filter_map(|t| match t.base {
                GeneralName::DNSName(d) => Some(d.to_owned()),
                _ => None,
            })
            .collect()
    };
    let ip_of = |s: &Subtrees<'_>| -> Vec<Vec<u8>> {
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
    let dir_of = |s: &'_ Subtrees<'_>| -> Vec<String> {
        s.iter()
            .flatten()
            .filter_map(|t| match &t.base {
                GeneralName::DirectoryName(n) => Some(crate::names::rfc4514(n)),
                _ => None,
            })
            .collect()
    };
    let p_dir: Vec<&X509Name<'_>> = nc
        .permitted_subtrees
        .iter()
        .flatten()
        .filter_map(|t| match &t.base {
            GeneralName::DirectoryName(n) => Some(n),
            _ => None,
        })
        .collect();
    let e_dir: Vec<&X509Name<'_>> = nc
        .excluded_subtrees
        .iter()
        .flatten()
        .filter_map(|t| match &t.base {
            GeneralName::DirectoryName(n) => Some(n),
            _ => None,
        })
        .collect();
    let mut dir_names: Vec<&X509Name<'_>> = Vec::new();
    if cert.subject().iter().next().is_some() {
        dir_names.push(cert.subject());
    }
    let san = cert.subject_alternative_name().ok().flatten();
    if let Some(san) = &san {
        for g in &san.value.general_names {
            if let GeneralName::DirectoryName(n) = g {
                dir_names.push(n);
            }
        }
    }
    for n in dir_names {
        if !p_dir.is_empty() && !p_dir.iter().any(|b| dn_within(n, b)) {
            out.push(format!(
                "dirname:{} is outside the permitted subtrees [{}]",
                crate::names::rfc4514(n),
                dir_of(&nc.permitted_subtrees).join("; ")
            ));
        }
        if let Some(b) = e_dir.iter().find(|b| dn_within(n, b)) {
            out.push(format!(
                "dirname:{} is inside the excluded subtree {}",
                crate::names::rfc4514(n),
                crate::names::rfc4514(b)
            ));
        }
    }
    let Some(san) = san else {
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

/// An attribute value compared as RFC 5280 §7.1 asks (after RFC 4518 preparation, roughly):
/// case-insensitive with insignificant spaces removed; non-string values byte for byte.
fn atv_value(a: &x509_parser::x509::AttributeTypeAndValue<'_>) -> Result<String, Vec<u8>> {
    match a.as_str() {
        Ok(s) => Ok(s
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()),
        Err(_) => Err(a.attr_value().data.to_vec()),
    }
}

fn rdn_eq(
    a: &x509_parser::x509::RelativeDistinguishedName<'_>,
    b: &x509_parser::x509::RelativeDistinguishedName<'_>,
) -> bool {
    let (av, bv): (Vec<_>, Vec<_>) = (a.iter().collect(), b.iter().collect());
    av.len() == bv.len()
        && av.iter().all(|x| {
            bv.iter()
                .any(|y| x.attr_type() == y.attr_type() && atv_value(x) == atv_value(y))
        })
}

/// Whether `name` lies within the directoryName subtree `base`: its RDN sequence begins with
/// base's RDNs (RFC 5280 §4.2.1.10: "a subject name [is] within the subtree" when the base is
/// its prefix). The empty base covers every name.
pub(crate) fn dn_within(name: &X509Name<'_>, base: &X509Name<'_>) -> bool {
    let n: Vec<_> = name.iter().collect();
    let b: Vec<_> = base.iter().collect();
    b.len() <= n.len() && b.iter().zip(&n).all(|(x, y)| rdn_eq(x, y))
}

fn weak_key(pk: &PublicKeyInfo) -> Option<String> {
    match (pk.algorithm.as_str(), pk.bits) {
        ("rsa", Some(b)) if b < 2048 => Some(format!("RSA {b} bits")),
        ("ec", Some(b)) if b < 256 => Some(format!("EC {b} bits")),
        ("dsa", b) => Some(format!("DSA {} bits", b.unwrap_or(0))),
        _ => None,
    }
}

/// Own checks along one path. Returns every reason found. `store`: the store whose anchor the
/// path reached (its key is judged too).
pub(crate) fn own_reasons(
    certs: &[Option<Cert<'_>>],
    path: &Path,
    scan: i64,
    store: Option<&TrustStore>,
) -> Vec<ReasonDetail> {
    let mut out = Vec::new();
    let mut add = |reason, index: Option<usize>, detail: String| {
        out.push(ReasonDetail {
            reason,
            index,
            detail,
            source: Source::Kensa,
        })
    };
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
        if let Some(w) = weak_key(&c.d.public_key) {
            add(Reason::WeakKey, Some(i), w);
        }
        if !c.d.unknown_critical_extensions.is_empty() {
            add(
                Reason::UnknownCriticalExtension,
                Some(i),
                format!(
                    "critical extension(s) not recognised: {}",
                    c.d.unknown_critical_extensions.join(", ")
                ),
            );
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
                    // RFC 5280 §4.2.1.9: the non-self-issued intermediates below this one.
                    let below = path
                        .certs
                        .iter()
                        .take(pos)
                        .skip(1)
                        .filter(|&&j| {
                            certs
                                .get(j)
                                .and_then(Option::as_ref)
                                .is_some_and(|c| !c.d.self_issued)
                        })
                        .count();
                    if let Some(n) = bc.path_len
                        && below as u64 > u64::from(n)
                    {
                        add(
                            Reason::PathTooLong,
                            Some(i),
                            format!(
                                "pathLenConstraint {n}, {below} non-self-issued CA certificates below"
                            ),
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
            // The leaf, and every non-self-issued intermediate below this CA.
            for (q, &j) in path.certs.iter().enumerate().take(pos) {
                let Some(below) = certs.get(j).and_then(Option::as_ref) else {
                    continue;
                };
                if q > 0 && below.d.self_issued {
                    continue;
                }
                for v in name_constraint_violations(&c.x, &below.x) {
                    let v = if q == 0 {
                        v
                    } else {
                        format!("certificate {j}: {v}")
                    };
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
    match (path.anchor, store) {
        (Some(a), Some(store)) => {
            if let Some(info) = store.info.get(a)
                && let Ok((_, spki)) = SubjectPublicKeyInfo::from_der(&info.spki_der)
                && let Some(w) = weak_key(&crate::cert::public_key_info(&spki))
            {
                add(
                    Reason::WeakKey,
                    None,
                    format!("trust anchor {}: {w}", info.label),
                );
            }
        }
        (None, _) => {
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
        (Some(_), None) => {}
    }
    out
}

pub(crate) fn map_webpki(e: &webpki::Error) -> Reason {
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
        E::UnsupportedCertVersion => Reason::UnsupportedVersion,
        E::UnsupportedCriticalExtension => Reason::UnknownCriticalExtension,
        E::CaUsedAsEndEntity => Reason::CaUsedAsEndEntity,
        E::CertDistrusted => Reason::Distrusted,
        E::EmptyEkuExtension => Reason::EmptyEku,
        E::ExtensionValueInvalid => Reason::InvalidExtensionValue,
        E::InvalidCertValidity => Reason::InvalidValidity,
        E::MalformedNameConstraint | E::InvalidNetworkMaskConstraint => {
            Reason::MalformedNameConstraint
        }
        E::InvalidSerialNumber => Reason::InvalidSerialNumber,
        E::MalformedDnsIdentifier => Reason::MalformedDnsIdentifier,
        E::MalformedExtensions => Reason::MalformedExtensions,
        E::MaximumSignatureChecksExceeded
        | E::MaximumPathBuildCallsExceeded
        | E::MaximumNameConstraintComparisonsExceeded => Reason::ValidationBudgetExceeded,
        E::SignatureAlgorithmMismatch => Reason::SignatureAlgorithmMismatch,
        E::UnsupportedNameType => Reason::UnsupportedNameType,
        E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
            Reason::UnsupportedSignatureAlgorithm
        }
        E::UnknownRevocationStatus => Reason::UnknownRevocationStatus,
        E::CrlExpired { .. }
        | E::InvalidCrlNumber
        | E::InvalidCrlSignatureForPublicKey
        | E::IssuerNotCrlSigner
        | E::UnsupportedCrlIssuingDistributionPoint
        | E::UnsupportedCrlVersion
        | E::UnsupportedDeltaCrl
        | E::UnsupportedIndirectCrl
        | E::UnsupportedRevocationReason
        | E::UnsupportedRevocationReasonsPartitioning
        | E::UnsupportedCrlSignatureAlgorithmContext(_)
        | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => Reason::CrlUnusable,
        _ => Reason::Other,
    }
}

/// Revocation inputs for a verdict.
pub(crate) struct Revocation<'a> {
    /// The stapled OCSP response says the leaf is revoked.
    pub(crate) ocsp_revoked: bool,
    /// CRLs given as input (DER, each checked to parse).
    pub(crate) crls: &'a [Vec<u8>],
}

/// The verdict for one store, and the anchor (index in the store) the path reached.
pub(crate) fn verdict<'k>(
    certs: &'k [Option<Cert<'_>>],
    ders: &[Vec<u8>],
    store: &'k TrustStore,
    cache: &SigCache<'k>,
    scan: i64,
    host: &HostnameCheck,
    rev: &Revocation<'_>,
) -> (TrustVerdict, Option<usize>) {
    let mut details = Vec::new();
    let Some(leaf) = certs.first().and_then(Option::as_ref) else {
        let v = TrustVerdict {
            store: store.name().into(),
            verdict: Verdict::Untrusted,
            reasons: vec![Reason::Malformed],
            details: vec![ReasonDetail {
                reason: Reason::Malformed,
                index: Some(0),
                detail: "the leaf is missing or does not parse".into(),
                source: Source::Kensa,
            }],
            path: Vec::new(),
            anchor: None,
            webpki: "not run".into(),
            rejected_only_by_webpki: false,
        };
        return (v, None);
    };
    // webpki as the oracle for path validation.
    let time = UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(scan).unwrap_or(0)));
    let intermediates: Vec<CertificateDer<'_>> = ders
        .iter()
        .skip(1)
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let crls: Vec<webpki::CertRevocationList<'_>> = rev
        .crls
        .iter()
        .filter_map(|d| webpki::BorrowedCertRevocationList::from_der(d).ok())
        .map(webpki::CertRevocationList::from)
        .collect();
    let crl_refs: Vec<&webpki::CertRevocationList<'_>> = crls.iter().collect();
    let revocation = webpki::RevocationOptionsBuilder::new(&crl_refs)
        .ok()
        .map(|b| {
            b.with_depth(webpki::RevocationCheckDepth::Chain)
                .with_status_policy(webpki::UnknownStatusPolicy::Allow)
                .with_expiration_policy(webpki::ExpirationPolicy::Ignore)
                .build()
        });
    let leaf_der = CertificateDer::from(leaf.der);
    let webpki_result = match webpki::EndEntityCert::try_from(&leaf_der) {
        Ok(ee) => ee
            .verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &store.anchors,
                &intermediates,
                time,
                webpki::KeyUsage::server_auth(),
                revocation,
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
    details.extend(own_reasons(certs, &path, scan, Some(store)));
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
            source: Source::Kensa,
        });
    }
    if rev.ocsp_revoked {
        details.push(ReasonDetail {
            reason: Reason::Revoked,
            index: Some(0),
            detail: "stapled OCSP response: revoked".into(),
            source: Source::Ocsp,
        });
    }
    details.extend(crate::crl::revoked(certs, &path, store, rev.crls));
    let own_found = !details.is_empty();
    // webpki's reason is kept whatever kensa's checks found: each check's reasons all stand.
    if let Err(e) = &webpki_result {
        let reason = map_webpki(e);
        let detail = if own_found {
            format!("webpki: {webpki_text}")
        } else {
            format!(
                "webpki: {webpki_text} (only rustls-webpki's web PKI profile rejects this chain; \
                 kensa's RFC 5280 checks found no fault)"
            )
        };
        details.push(ReasonDetail {
            reason,
            index: None,
            detail,
            source: Source::Webpki,
        });
    } else if host.webpki_matched == Some(false) && host.matched {
        details.push(ReasonDetail {
            reason: Reason::HostnameMismatch,
            index: Some(0),
            detail: "webpki: name not valid for the certificate".into(),
            source: Source::Webpki,
        });
    }
    let reasons: Vec<Reason> = details
        .iter()
        .map(|d| (d.reason, ()))
        .collect::<BTreeMap<_, _>>()
        .into_keys()
        .collect();
    let v = TrustVerdict {
        store: store.name().into(),
        verdict: if reasons.is_empty() {
            Verdict::Trusted
        } else {
            Verdict::Untrusted
        },
        reasons,
        details,
        path: path.certs.clone(),
        anchor: path
            .anchor
            .and_then(|a| store.info.get(a))
            .map(|a| a.label.clone()),
        webpki: webpki_text,
        rejected_only_by_webpki: webpki_result.is_err() && !own_found,
    };
    (v, path.anchor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_webpki_error_has_its_own_reason() {
        use webpki::Error as E;
        let cases = [
            (E::UnsupportedCertVersion, Reason::UnsupportedVersion),
            (
                E::UnsupportedCriticalExtension,
                Reason::UnknownCriticalExtension,
            ),
            (E::CaUsedAsEndEntity, Reason::CaUsedAsEndEntity),
            (E::CertDistrusted, Reason::Distrusted),
            (E::EmptyEkuExtension, Reason::EmptyEku),
            (E::ExtensionValueInvalid, Reason::InvalidExtensionValue),
            (E::InvalidCertValidity, Reason::InvalidValidity),
            (E::MalformedNameConstraint, Reason::MalformedNameConstraint),
            (
                E::InvalidNetworkMaskConstraint,
                Reason::MalformedNameConstraint,
            ),
            (E::InvalidSerialNumber, Reason::InvalidSerialNumber),
            (E::MalformedDnsIdentifier, Reason::MalformedDnsIdentifier),
            (E::MalformedExtensions, Reason::MalformedExtensions),
            (
                E::MaximumSignatureChecksExceeded,
                Reason::ValidationBudgetExceeded,
            ),
            (
                E::MaximumPathBuildCallsExceeded,
                Reason::ValidationBudgetExceeded,
            ),
            (
                E::MaximumNameConstraintComparisonsExceeded,
                Reason::ValidationBudgetExceeded,
            ),
            (
                E::SignatureAlgorithmMismatch,
                Reason::SignatureAlgorithmMismatch,
            ),
            (E::UnsupportedNameType, Reason::UnsupportedNameType),
            (E::UnknownRevocationStatus, Reason::UnknownRevocationStatus),
            (E::IssuerNotCrlSigner, Reason::CrlUnusable),
            (E::CertRevoked, Reason::Revoked),
        ];
        for (e, want) in cases {
            assert_eq!(map_webpki(&e), want, "{e:?}");
        }
    }
}

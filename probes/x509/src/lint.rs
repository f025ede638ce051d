//! Certificate lints: RFC 5280 and CA/Browser Forum Baseline Requirements rules as data.
//!
//! Each rule ([`Lint`]) is a pure function over one parsed certificate and its role in the
//! chain (subscriber, intermediate, root or trust anchor), with a stable id (`X509-LINT-NNN`,
//! never reused: `probes/x509/lint_ids.txt`), the clause it cites (quoted where the text was
//! read), a severity graded as zlint and pkilint grade the same requirement (error: a MUST or
//! SHALL; warning: a SHOULD, or a MUST that a later profile relaxes; notice: advice), and, for a
//! CA/Browser Forum rule that took effect on a date, that date: a certificate issued (notBefore)
//! before it is not failed by the rule.
//!
//! The lints judge what the certificate says, not whether a client accepts it: the trust
//! verdicts do that. Which lints fail which profile is decided by the controls
//! (`controls/kensa.toml`, `CERT-LINT-*`).

use serde::{Deserialize, Serialize};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension, X509Extension};

use crate::cert::CertificateDetails;

/// How much a lint finding matters (as zlint and pkilint grade it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LintSeverity {
    /// A MUST / SHALL of the cited text is broken.
    Error,
    /// A SHOULD of the cited text is broken, or a MUST that another profile relaxes.
    Warning,
    /// Advice: NOT RECOMMENDED, or worth knowing.
    Notice,
}

impl LintSeverity {
    /// The kebab-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Notice => "notice",
        }
    }
}

/// The role a certificate plays, which decides the rules that apply to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The served leaf (the subscriber certificate).
    Subscriber,
    /// A served certificate above the leaf that is not self-signed.
    Intermediate,
    /// A self-signed certificate above the leaf, or a trust anchor's own certificate.
    Root,
}

impl Role {
    /// The kebab-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Subscriber => "subscriber",
            Self::Intermediate => "intermediate",
            Self::Root => "root",
        }
    }
}

/// Which certificates a rule judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applies {
    /// Every certificate.
    Any,
    /// The subscriber (leaf) certificate.
    Subscriber,
    /// Intermediates and roots (certificates used as CAs in the chain).
    Ca,
    /// Roots and trust anchors only.
    Root,
}

impl Applies {
    /// A short name for the documentation.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Any => "any certificate",
            Self::Subscriber => "subscriber",
            Self::Ca => "CA (intermediate, root)",
            Self::Root => "root / trust anchor",
        }
    }

    fn covers(self, role: Role) -> bool {
        match self {
            Self::Any => true,
            Self::Subscriber => role == Role::Subscriber,
            Self::Ca => role != Role::Subscriber,
            Self::Root => role == Role::Root,
        }
    }
}

/// What a rule sees: one parsed certificate, its facts, and the time judged at (the role
/// decided which rules run).
pub(crate) struct Ctx<'a, 'b> {
    pub(crate) x: &'a X509Certificate<'b>,
    pub(crate) d: &'a CertificateDetails,
    /// The time judged at, Unix seconds.
    pub(crate) now: i64,
}

/// A rule: `check` returns the finding's detail when the certificate breaks it.
pub struct Lint {
    /// Stable id, `X509-LINT-NNN`.
    pub id: &'static str,
    /// What the rule requires, in a line.
    pub title: &'static str,
    /// The standard: `RFC 5280` or `CA/B BR` (CA/Browser Forum TLS Baseline Requirements).
    pub standard: &'static str,
    /// The section, e.g. `§4.2.1.1`.
    pub section: &'static str,
    /// The requirement's words as read (BR 2.2.6 for CA/B rules; RFC 5280 for RFC rules).
    pub quote: &'static str,
    /// Error, warning or notice.
    pub severity: LintSeverity,
    /// The first day the rule applies (notBefore on or after it), `YYYY-MM-DD`.
    pub effective: Option<&'static str>,
    /// The certificates it judges.
    pub applies: Applies,
    check: fn(&Ctx<'_, '_>) -> Option<String>,
}

impl std::fmt::Debug for Lint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lint").field("id", &self.id).finish()
    }
}

impl Lint {
    /// The clause as one string: `RFC 5280 §4.2.1.1`.
    pub fn clause(&self) -> String {
        format!("{} {}", self.standard, self.section)
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintFinding {
    /// The rule's id.
    pub id: String,
    /// Its severity.
    pub severity: LintSeverity,
    /// The clause cited.
    pub clause: String,
    /// What exactly was found.
    pub detail: String,
}

/// The lint results for one certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertLints {
    /// Served index (absent for a trust anchor's certificate that was not served).
    pub index: Option<usize>,
    /// The trust store whose anchor this is (for an anchor's certificate not served).
    pub store: Option<String>,
    /// Subject, RFC 4514.
    pub subject: String,
    /// The role the rules judged it in.
    pub role: Role,
    /// How many rules applied to it (in force at its notBefore).
    pub checked: usize,
    /// Rules that would apply but were not yet in force when it was issued.
    pub not_in_force: Vec<String>,
    /// What the rules found (empty: it passes every rule that applied).
    pub findings: Vec<LintFinding>,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` to Unix seconds at 00:00:00 UTC.
pub(crate) fn date_seconds(date: &str) -> Option<i64> {
    let mut it = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (it.next(), it.next(), it.next()) else {
        return None;
    };
    Some(days_from_civil(y, m, d) * 86_400)
}

/// Runs every rule that applies to one certificate.
pub(crate) fn run(
    x: &X509Certificate<'_>,
    d: &CertificateDetails,
    role: Role,
    now: i64,
    index: Option<usize>,
    store: Option<&str>,
) -> CertLints {
    let ctx = Ctx { x, d, now };
    let issued = x.validity().not_before.timestamp();
    let mut out = CertLints {
        index,
        store: store.map(str::to_owned),
        subject: d.subject.clone(),
        role,
        checked: 0,
        not_in_force: Vec::new(),
        findings: Vec::new(),
    };
    for lint in LINTS {
        if !lint.applies.covers(role) {
            continue;
        }
        if let Some(eff) = lint.effective.and_then(date_seconds)
            && issued < eff
        {
            out.not_in_force.push(lint.id.to_owned());
            continue;
        }
        out.checked += 1;
        if let Some(detail) = (lint.check)(&ctx) {
            out.findings.push(LintFinding {
                id: lint.id.to_owned(),
                severity: lint.severity,
                clause: lint.clause(),
                detail,
            });
        }
    }
    out
}

// ------------------------------------------------------------------ helpers

fn ext<'a>(x: &'a X509Certificate<'_>, oid: &str) -> Option<&'a X509Extension<'a>> {
    x.extensions()
        .iter()
        .find(|e| crate::util::oid_str(&e.oid) == oid)
}

const OID_AKI: &str = "2.5.29.35";
const OID_SKI: &str = "2.5.29.14";
const OID_SAN: &str = "2.5.29.17";
const OID_NC: &str = "2.5.29.30";
const OID_PC: &str = "2.5.29.36";
const OID_KU: &str = "2.5.29.15";
const OID_EKU: &str = "2.5.29.37";
const OID_AIA: &str = "1.3.6.1.5.5.7.1.1";

fn is_ca(d: &CertificateDetails) -> bool {
    d.basic_constraints.as_ref().is_some_and(|b| b.ca)
}

fn has_ku(d: &CertificateDetails, bit: &str) -> bool {
    d.key_usage
        .as_ref()
        .is_some_and(|k| k.iter().any(|b| b == bit))
}

fn subject_empty(x: &X509Certificate<'_>) -> bool {
    x.subject().iter().next().is_none()
}

fn common_names(x: &X509Certificate<'_>) -> Vec<String> {
    x.subject()
        .iter_common_name()
        .map(|a| match a.as_str() {
            Ok(s) => s.to_owned(),
            Err(_) => format!("#{}", crate::util::hex(a.attr_value().data)),
        })
        .collect()
}

fn lifetime_over(c: &Ctx<'_, '_>, days: i64) -> Option<String> {
    let secs = c.d.validity.lifetime_seconds;
    (secs > days * 86_400).then(|| {
        format!(
            "validity period {:.2} days (notBefore {}, notAfter {}) is over {days} days",
            c.d.validity.lifetime_days, c.d.validity.not_before, c.d.validity.not_after
        )
    })
}

/// The serial number's value octets (the INTEGER's content without a sign-padding zero).
fn serial_value<'a>(x: &'a X509Certificate<'_>) -> &'a [u8] {
    let raw = x.tbs_certificate.raw_serial();
    match raw {
        [0, rest @ ..] if rest.first().is_some_and(|b| b & 0x80 != 0) => rest,
        _ => raw,
    }
}

// ------------------------------------------------------------------ the rules

fn aki_missing(c: &Ctx<'_, '_>) -> Option<String> {
    if c.d.self_signed {
        return None;
    }
    match c.d.authority_key_id {
        Some(_) => None,
        None if ext(c.x, OID_AKI).is_some() => {
            Some("authorityKeyIdentifier has no keyIdentifier".into())
        }
        None => Some("no authorityKeyIdentifier extension".into()),
    }
}

fn ski_missing_ca(c: &Ctx<'_, '_>) -> Option<String> {
    (is_ca(c.d) && ext(c.x, OID_SKI).is_none())
        .then(|| "CA certificate (cA TRUE) without subjectKeyIdentifier".into())
}

fn san_not_critical_empty_subject(c: &Ctx<'_, '_>) -> Option<String> {
    if !subject_empty(c.x) {
        return None;
    }
    match ext(c.x, OID_SAN) {
        None => Some("empty subject and no subjectAltName".into()),
        Some(e) if !e.critical => Some("empty subject; subjectAltName not critical".into()),
        Some(_) => None,
    }
}

fn nc_not_in_ca(c: &Ctx<'_, '_>) -> Option<String> {
    (ext(c.x, OID_NC).is_some() && !is_ca(c.d))
        .then(|| "nameConstraints in a certificate that is not a CA (cA not TRUE)".into())
}

fn nc_not_critical(c: &Ctx<'_, '_>) -> Option<String> {
    ext(c.x, OID_NC)
        .filter(|e| !e.critical)
        .map(|_| "nameConstraints is not marked critical".into())
}

fn nc_empty(c: &Ctx<'_, '_>) -> Option<String> {
    let e = ext(c.x, OID_NC)?;
    match e.parsed_extension() {
        ParsedExtension::NameConstraints(nc) => {
            let p = nc.permitted_subtrees.as_ref();
            let x = nc.excluded_subtrees.as_ref();
            if p.is_none() && x.is_none() {
                Some(
                    "nameConstraints is an empty sequence (no permitted or excluded subtrees)"
                        .into(),
                )
            } else if p.is_some_and(Vec::is_empty) {
                Some("permittedSubtrees is present but empty".into())
            } else if x.is_some_and(Vec::is_empty) {
                Some("excludedSubtrees is present but empty".into())
            } else {
                None
            }
        }
        ParsedExtension::ParseError { error } => {
            Some(format!("nameConstraints does not parse: {error}"))
        }
        _ => None,
    }
}

fn nc_dns_leading_period(c: &Ctx<'_, '_>) -> Option<String> {
    let mut bad: Vec<String> = Vec::new();
    for e in c.x.extensions() {
        if let ParsedExtension::NameConstraints(nc) = e.parsed_extension() {
            for t in nc
                .permitted_subtrees
                .iter()
                .flatten()
                .chain(nc.excluded_subtrees.iter().flatten())
            {
                if let GeneralName::DNSName(n) = t.base
                    && n.starts_with('.')
                {
                    bad.push(n.to_owned());
                }
            }
        }
    }
    (!bad.is_empty()).then(|| {
        format!(
            "dNSName constraint(s) with a leading period: {}",
            bad.join(", ")
        )
    })
}

fn pc_not_critical(c: &Ctx<'_, '_>) -> Option<String> {
    ext(c.x, OID_PC)
        .filter(|e| !e.critical)
        .map(|_| "policyConstraints is not marked critical".into())
}

fn key_cert_sign_without_ca(c: &Ctx<'_, '_>) -> Option<String> {
    (has_ku(c.d, "keyCertSign") && !is_ca(c.d))
        .then(|| "keyUsage keyCertSign without basicConstraints cA TRUE".into())
}

fn ca_not_ca(c: &Ctx<'_, '_>) -> Option<String> {
    match &c.d.basic_constraints {
        None => Some("no basicConstraints extension".into()),
        Some(b) if !b.ca => Some("basicConstraints cA is FALSE".into()),
        Some(_) => None,
    }
}

fn ca_bc_not_critical(c: &Ctx<'_, '_>) -> Option<String> {
    let b = c.d.basic_constraints.as_ref()?;
    (b.ca && !b.critical).then(|| "basicConstraints (cA TRUE) not marked critical".into())
}

fn ca_ku_missing(c: &Ctx<'_, '_>) -> Option<String> {
    (ext(c.x, OID_KU).is_none()).then(|| "CA certificate without keyUsage".into())
}

fn ca_ku_no_cert_sign(c: &Ctx<'_, '_>) -> Option<String> {
    let ku = c.d.key_usage.as_ref()?;
    (!ku.iter().any(|k| k == "keyCertSign"))
        .then(|| format!("keyUsage [{}] lacks keyCertSign", ku.join(", ")))
}

fn aia_malformed(c: &Ctx<'_, '_>) -> Option<String> {
    let e = ext(c.x, OID_AIA)?;
    if e.critical {
        return Some("authorityInfoAccess is marked critical".into());
    }
    match e.parsed_extension() {
        ParsedExtension::AuthorityInfoAccess(aia) => {
            if aia.accessdescs.is_empty() {
                return Some("authorityInfoAccess holds no AccessDescription".into());
            }
            let bad: Vec<String> = aia
                .accessdescs
                .iter()
                .filter_map(|ad| match &ad.access_location {
                    GeneralName::URI(u) if u.contains(':') => None,
                    GeneralName::URI(u) => Some(format!("relative URI {u:?}")),
                    _ => Some(format!(
                        "accessLocation for {} is not a URI",
                        crate::util::oid_str(&ad.access_method)
                    )),
                })
                .collect();
            (!bad.is_empty()).then(|| bad.join("; "))
        }
        ParsedExtension::ParseError { error } => {
            Some(format!("authorityInfoAccess does not parse: {error}"))
        }
        _ => None,
    }
}

fn unknown_critical(c: &Ctx<'_, '_>) -> Option<String> {
    (!c.d.unknown_critical_extensions.is_empty()).then(|| {
        format!(
            "critical extension(s) not recognised: {}",
            c.d.unknown_critical_extensions.join(", ")
        )
    })
}

fn serial_not_positive(c: &Ctx<'_, '_>) -> Option<String> {
    let raw = c.x.tbs_certificate.raw_serial();
    if raw.first().is_some_and(|b| b & 0x80 != 0) {
        Some(format!("serial number is negative (#{})", c.d.serial))
    } else if raw.iter().all(|&b| b == 0) {
        Some("serial number is zero".into())
    } else {
        None
    }
}

fn serial_too_long(c: &Ctx<'_, '_>) -> Option<String> {
    let n = serial_value(c.x).len();
    (n > 20).then(|| format!("serial number is {n} octets (at most 20)"))
}

fn serial_short(c: &Ctx<'_, '_>) -> Option<String> {
    let v = crate::der::strip_int(serial_value(c.x));
    let bits = crate::cert::int_bits(v);
    (bits < 64).then(|| {
        format!(
            "serial number has {bits} significant bits: it cannot hold 64 bits of CSPRNG output"
        )
    })
}

fn not_v3(c: &Ctx<'_, '_>) -> Option<String> {
    (c.d.version != 3).then(|| format!("version {} (v3 required)", c.d.version))
}

fn ca_subject_empty(c: &Ctx<'_, '_>) -> Option<String> {
    (is_ca(c.d) && subject_empty(c.x)).then(|| "CA certificate with an empty subject".into())
}

fn root_outside_validity(c: &Ctx<'_, '_>) -> Option<String> {
    let nb = c.x.validity().not_before.timestamp();
    let na = c.x.validity().not_after.timestamp();
    if c.now > na {
        Some(format!("expired: notAfter {}", c.d.validity.not_after))
    } else if c.now < nb {
        Some(format!(
            "not yet valid: notBefore {}",
            c.d.validity.not_before
        ))
    } else {
        None
    }
}

fn ca_naming(c: &Ctx<'_, '_>) -> Option<String> {
    let has = |oid: &str| crate::names::attribute(c.x.subject(), oid).is_some();
    let missing: Vec<&str> = [("2.5.4.6", "countryName"), ("2.5.4.10", "organizationName")]
        .iter()
        .filter(|(oid, _)| !has(oid))
        .map(|(_, n)| *n)
        .collect();
    (!missing.is_empty()).then(|| format!("CA subject lacks {}", missing.join(" and ")))
}

fn root_eku_present(c: &Ctx<'_, '_>) -> Option<String> {
    (c.d.self_signed && ext(c.x, OID_EKU).is_some())
        .then(|| "root CA certificate has extKeyUsage".into())
}

fn root_ku_not_critical(c: &Ctx<'_, '_>) -> Option<String> {
    ext(c.x, OID_KU)
        .filter(|e| !e.critical)
        .map(|_| "keyUsage is not marked critical".into())
}

/// The subscriber's CN values that are not among its SANs; `exact`: character for character
/// (BR 2.x), else case-insensitively (BR 1.x).
fn cn_not_in_san(c: &Ctx<'_, '_>, exact: bool) -> Option<String> {
    let cns = common_names(c.x);
    if cns.is_empty() {
        return None;
    }
    if cns.len() > 1 {
        return Some(format!(
            "{} commonName values: {}",
            cns.len(),
            cns.join(", ")
        ));
    }
    let cn = cns.first()?;
    let found = c.d.san.dns.iter().chain(&c.d.san.ip).any(|s| {
        if exact {
            s == cn
        } else {
            s.eq_ignore_ascii_case(cn)
                || (cn.parse::<std::net::IpAddr>().ok())
                    .is_some_and(|ip| s.parse::<std::net::IpAddr>().ok() == Some(ip))
        }
    });
    (!found).then(|| {
        format!(
            "commonName {cn:?} is not {} SAN [{}]",
            if exact {
                "a character-for-character copy of a"
            } else {
                "among the"
            },
            c.d.san
                .dns
                .iter()
                .chain(&c.d.san.ip)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

fn cn_not_in_san_ci(c: &Ctx<'_, '_>) -> Option<String> {
    cn_not_in_san(c, false)
}

fn cn_not_exact_copy(c: &Ctx<'_, '_>) -> Option<String> {
    // Only what the case-insensitive rule does not already report.
    if cn_not_in_san(c, false).is_some() {
        return None;
    }
    cn_not_in_san(c, true)
}

fn sub_san_missing(c: &Ctx<'_, '_>) -> Option<String> {
    if ext(c.x, OID_SAN).is_none() {
        return Some("no subjectAltName extension".into());
    }
    (c.d.san.dns.is_empty() && c.d.san.ip.is_empty())
        .then(|| "subjectAltName holds no dNSName or iPAddress".into())
}

fn sub_san_critical_with_subject(c: &Ctx<'_, '_>) -> Option<String> {
    let e = ext(c.x, OID_SAN)?;
    (e.critical && !subject_empty(c.x))
        .then(|| "subjectAltName is critical although the subject is not empty".into())
}

fn sub_san_other_types(c: &Ctx<'_, '_>) -> Option<String> {
    (!c.d.san.other.is_empty()).then(|| {
        format!(
            "subjectAltName holds types other than dNSName and iPAddress: {}",
            c.d.san.other.join(", ")
        )
    })
}

fn underscore(c: &Ctx<'_, '_>) -> Option<String> {
    let bad: Vec<&str> =
        c.d.san
            .dns
            .iter()
            .filter(|n| n.contains('_'))
            .map(String::as_str)
            .collect();
    (!bad.is_empty()).then(|| format!("underscore in dNSName: {}", bad.join(", ")))
}

/// Whether a name is a public suffix of the ICANN section of the Public Suffix List (or an
/// unlisted TLD, which the list's default rule treats as one).
fn icann_public_suffix(name: &str) -> bool {
    let n = crate::names::normalise_host(name);
    match psl::suffix(n.as_bytes()) {
        Some(s) if s.as_bytes() == n.as_bytes() => !matches!(s.typ(), Some(psl::Type::Private)),
        _ => false,
    }
}

fn wildcard_public_suffix(c: &Ctx<'_, '_>) -> Option<String> {
    let bad: Vec<&str> =
        c.d.san
            .dns
            .iter()
            .filter(|n| n.strip_prefix("*.").is_some_and(icann_public_suffix))
            .map(String::as_str)
            .collect();
    (!bad.is_empty()).then(|| {
        format!(
            "wildcard over a public suffix (PSL ICANN section): {}",
            bad.join(", ")
        )
    })
}

fn sub_eku_missing(c: &Ctx<'_, '_>) -> Option<String> {
    c.d.extended_key_usage
        .is_none()
        .then(|| "no extKeyUsage extension".into())
}

fn sub_eku_forbidden(c: &Ctx<'_, '_>) -> Option<String> {
    let eku = c.d.extended_key_usage.as_ref()?;
    let bad: Vec<&str> = eku
        .iter()
        .map(String::as_str)
        .filter(|e| {
            matches!(
                *e,
                "anyExtendedKeyUsage"
                    | "codeSigning"
                    | "emailProtection"
                    | "timeStamping"
                    | "OCSPSigning"
                    | "1.3.6.1.4.1.11129.2.4.4"
            )
        })
        .collect();
    (!bad.is_empty()).then(|| format!("extKeyUsage holds {}", bad.join(", ")))
}

fn sub_eku_no_server_auth(c: &Ctx<'_, '_>) -> Option<String> {
    let eku = c.d.extended_key_usage.as_ref()?;
    (!eku.iter().any(|e| e == "serverAuth"))
        .then(|| format!("extKeyUsage [{}] lacks serverAuth", eku.join(", ")))
}

fn sub_eku_critical(c: &Ctx<'_, '_>) -> Option<String> {
    ext(c.x, OID_EKU)
        .filter(|e| e.critical)
        .map(|_| "extKeyUsage is marked critical".into())
}

fn sub_is_ca(c: &Ctx<'_, '_>) -> Option<String> {
    let b = c.d.basic_constraints.as_ref()?;
    if b.ca {
        Some("basicConstraints cA is TRUE".into())
    } else {
        b.path_len.map(|n| format!("pathLenConstraint {n} present"))
    }
}

fn sub_ku_ca_bits(c: &Ctx<'_, '_>) -> Option<String> {
    let bad: Vec<&str> = ["keyCertSign", "cRLSign"]
        .into_iter()
        .filter(|b| has_ku(c.d, b))
        .collect();
    (!bad.is_empty()).then(|| format!("keyUsage asserts {}", bad.join(", ")))
}

fn sub_aia_missing(c: &Ctx<'_, '_>) -> Option<String> {
    ext(c.x, OID_AIA)
        .is_none()
        .then(|| "no authorityInfoAccess extension".into())
}

fn sub_aia_method(c: &Ctx<'_, '_>) -> Option<String> {
    let e = ext(c.x, OID_AIA)?;
    let ParsedExtension::AuthorityInfoAccess(aia) = e.parsed_extension() else {
        return None;
    };
    let bad: Vec<String> = aia
        .accessdescs
        .iter()
        .map(|ad| crate::util::oid_str(&ad.access_method))
        .filter(|m| m != "1.3.6.1.5.5.7.48.1" && m != "1.3.6.1.5.5.7.48.2")
        .collect();
    (!bad.is_empty()).then(|| {
        format!(
            "accessMethod(s) other than OCSP and caIssuers: {}",
            bad.join(", ")
        )
    })
}

fn sub_398(c: &Ctx<'_, '_>) -> Option<String> {
    lifetime_over(c, 398)
}
fn sub_200(c: &Ctx<'_, '_>) -> Option<String> {
    lifetime_over(c, 200)
}
fn sub_100(c: &Ctx<'_, '_>) -> Option<String> {
    lifetime_over(c, 100)
}
fn sub_47(c: &Ctx<'_, '_>) -> Option<String> {
    lifetime_over(c, 47)
}

fn key_size(c: &Ctx<'_, '_>) -> Option<String> {
    let pk = &c.d.public_key;
    match (pk.algorithm.as_str(), pk.bits) {
        ("rsa", Some(b)) if b < 2048 => Some(format!("RSA modulus {b} bits (at least 2048)")),
        ("rsa", Some(b)) if b % 8 != 0 => {
            Some(format!("RSA modulus {b} bits is not divisible by 8"))
        }
        ("rsa", None) => Some("RSA key does not parse".into()),
        ("ec", _) => match pk.curve.as_deref() {
            Some("P-256" | "P-384" | "P-521") => None,
            other => Some(format!(
                "EC key on {} (P-256, P-384 or P-521 only)",
                other.unwrap_or("an unnamed curve")
            )),
        },
        ("rsa", _) => None,
        (alg, _) => Some(format!("{alg} key: only RSA and ECDSA keys are permitted")),
    }
}

/// Every rule, in id order. Ids are never reused (`probes/x509/lint_ids.txt`).
pub static LINTS: &[Lint] = &[
    Lint {
        id: "X509-LINT-001",
        title: "authorityKeyIdentifier with keyIdentifier is present (unless self-signed)",
        standard: "RFC 5280",
        section: "§4.2.1.1",
        quote: "The keyIdentifier field of the authorityKeyIdentifier extension MUST be included in all certificates generated by conforming CAs to facilitate certification path construction. There is one exception; where a CA distributes its public key in the form of a \"self-signed\" certificate, the authority key identifier MAY be omitted.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: aki_missing,
    },
    Lint {
        id: "X509-LINT-002",
        title: "A CA certificate has a subjectKeyIdentifier",
        standard: "RFC 5280",
        section: "§4.2.1.2",
        quote: "this extension MUST appear in all conforming CA certificates, that is, all certificates including the basic constraints extension (Section 4.2.1.9) where the value of cA is TRUE.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: ski_missing_ca,
    },
    Lint {
        id: "X509-LINT-003",
        title: "With an empty subject, subjectAltName is present and critical",
        standard: "RFC 5280",
        section: "§4.2.1.6",
        quote: "If the subject field contains an empty sequence, then the issuing CA MUST include a subjectAltName extension that is marked as critical.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: san_not_critical_empty_subject,
    },
    Lint {
        id: "X509-LINT-004",
        title: "nameConstraints appears only in CA certificates",
        standard: "RFC 5280",
        section: "§4.2.1.10",
        quote: "The name constraints extension, which MUST be used only in a CA certificate, indicates a name space within which all subject names in subsequent certificates in a certification path MUST be located.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: nc_not_in_ca,
    },
    Lint {
        id: "X509-LINT-005",
        title: "nameConstraints is marked critical",
        standard: "RFC 5280",
        section: "§4.2.1.10 (CA/B BR §7.1.2.5.2 allows non-critical)",
        quote: "Conforming CAs MUST mark this extension as critical. (BR §7.1.2.5.2: \"As an explicit exception from RFC 5280, this extension SHOULD be marked critical, but MAY be marked non-critical if compatibility with certain legacy applications that do not support Name Constraints is necessary.\")",
        severity: LintSeverity::Warning,
        effective: None,
        applies: Applies::Any,
        check: nc_not_critical,
    },
    Lint {
        id: "X509-LINT-006",
        title: "nameConstraints is not empty and holds no empty subtree list",
        standard: "RFC 5280",
        section: "§4.2.1.10",
        quote: "Conforming CAs MUST NOT issue certificates where name constraints is an empty sequence. That is, either the permittedSubtrees field or the excludedSubtrees MUST be present. (GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree)",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: nc_empty,
    },
    Lint {
        id: "X509-LINT-007",
        title: "dNSName constraints have no leading period",
        standard: "RFC 5280",
        section: "§4.2.1.10",
        quote: "DNS name restrictions are expressed as host.example.com. Any DNS name that can be constructed by simply adding zero or more labels to the left-hand side of the name satisfies the name constraint. (The leading-period form is defined only for URIs and rfc822Names.)",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: nc_dns_leading_period,
    },
    Lint {
        id: "X509-LINT-008",
        title: "policyConstraints is marked critical",
        standard: "RFC 5280",
        section: "§4.2.1.11",
        quote: "Conforming CAs MUST mark this extension as critical.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: pc_not_critical,
    },
    Lint {
        id: "X509-LINT-009",
        title: "keyCertSign only with basicConstraints cA TRUE",
        standard: "RFC 5280",
        section: "§4.2.1.3, §4.2.1.9",
        quote: "If the keyCertSign bit is asserted, then the cA bit in the basic constraints extension (Section 4.2.1.9) MUST also be asserted.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: key_cert_sign_without_ca,
    },
    Lint {
        id: "X509-LINT-010",
        title: "A certificate used as a CA has basicConstraints cA TRUE",
        standard: "RFC 5280",
        section: "§4.2.1.9",
        quote: "The cA boolean indicates whether the certified public key may be used to verify certificate signatures. If the cA boolean is not asserted, then the keyCertSign bit in the key usage extension MUST NOT be asserted.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Ca,
        check: ca_not_ca,
    },
    Lint {
        id: "X509-LINT-011",
        title: "basicConstraints of a CA certificate is marked critical",
        standard: "RFC 5280",
        section: "§4.2.1.9",
        quote: "Conforming CAs MUST include this extension in all CA certificates that contain public keys used to validate digital signatures on certificates and MUST mark the extension as critical in such certificates.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Ca,
        check: ca_bc_not_critical,
    },
    Lint {
        id: "X509-LINT-012",
        title: "A CA certificate has keyUsage",
        standard: "RFC 5280",
        section: "§4.2.1.3",
        quote: "Conforming CAs MUST include this extension in certificates that contain public keys that are used to validate digital signatures on other public key certificates or CRLs.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Ca,
        check: ca_ku_missing,
    },
    Lint {
        id: "X509-LINT-013",
        title: "A CA certificate's keyUsage asserts keyCertSign",
        standard: "RFC 5280",
        section: "§4.2.1.3",
        quote: "The keyCertSign bit is asserted when the subject public key is used for verifying signatures on public key certificates.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Ca,
        check: ca_ku_no_cert_sign,
    },
    Lint {
        id: "X509-LINT-014",
        title: "authorityInfoAccess is well formed and not critical",
        standard: "RFC 5280",
        section: "§4.2.2.1",
        quote: "Conforming CAs MUST mark this extension as non-critical. (AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription)",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: aia_malformed,
    },
    Lint {
        id: "X509-LINT-015",
        title: "No critical extension the validator does not recognise",
        standard: "RFC 5280",
        section: "§4.2",
        quote: "A certificate-using system MUST reject the certificate if it encounters a critical extension it does not recognize or a critical extension that contains information that it cannot process.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: unknown_critical,
    },
    Lint {
        id: "X509-LINT-016",
        title: "The serial number is a positive integer",
        standard: "RFC 5280",
        section: "§4.1.2.2",
        quote: "The serial number MUST be a positive integer assigned by the CA to each certificate.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: serial_not_positive,
    },
    Lint {
        id: "X509-LINT-017",
        title: "The serial number is at most 20 octets",
        standard: "RFC 5280",
        section: "§4.1.2.2",
        quote: "Conforming CAs MUST NOT use serialNumber values longer than 20 octets.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: serial_too_long,
    },
    Lint {
        id: "X509-LINT-018",
        title: "The serial number can hold 64 bits of CSPRNG output",
        standard: "CA/B BR",
        section: "§7.1.2.7 (serialNumber)",
        quote: "MUST be a non-sequential number greater than zero (0) and less than 2¹⁵⁹ containing at least 64 bits of output from a CSPRNG.",
        severity: LintSeverity::Warning,
        effective: Some("2016-09-30"),
        applies: Applies::Subscriber,
        check: serial_short,
    },
    Lint {
        id: "X509-LINT-019",
        title: "The certificate is X.509 v3",
        standard: "CA/B BR",
        section: "§7.1.1",
        quote: "Certificates MUST be of type X.509 v3.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: not_v3,
    },
    Lint {
        id: "X509-LINT-020",
        title: "A CA certificate's subject is not empty",
        standard: "RFC 5280",
        section: "§4.1.2.6",
        quote: "If the subject is a CA (e.g., the basic constraints extension, as discussed in Section 4.2.1.9, is present and the value of cA is TRUE), then the subject field MUST be populated with a non-empty distinguished name matching the contents of the issuer field (Section 4.1.2.4) in all certificates issued by the subject CA.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: ca_subject_empty,
    },
    Lint {
        id: "X509-LINT-021",
        title: "A root or trust anchor certificate is within its validity period",
        standard: "RFC 5280",
        section: "§4.1.2.5 (web PKI validators reject expired roots; §6.1.1 (d) treats the anchor as name and key only)",
        quote: "The certificate validity period is the time interval during which the CA warrants that it will maintain information about the status of the certificate.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Root,
        check: root_outside_validity,
    },
    Lint {
        id: "X509-LINT-022",
        title: "A CA certificate's subject has countryName and organizationName",
        standard: "CA/B BR",
        section: "§7.1.2.10.2",
        quote: "countryName: MUST ... organizationName: MUST",
        severity: LintSeverity::Error,
        effective: Some("2023-09-15"),
        applies: Applies::Ca,
        check: ca_naming,
    },
    Lint {
        id: "X509-LINT-023",
        title: "A root CA certificate has no extKeyUsage",
        standard: "CA/B BR",
        section: "§7.1.2.1.2",
        quote: "extKeyUsage: MUST NOT",
        severity: LintSeverity::Error,
        effective: Some("2023-09-15"),
        applies: Applies::Root,
        check: root_eku_present,
    },
    Lint {
        id: "X509-LINT-024",
        title: "A root CA certificate's keyUsage is marked critical",
        standard: "CA/B BR",
        section: "§7.1.2.1.2",
        quote: "keyUsage: MUST, Critical: Y",
        severity: LintSeverity::Error,
        effective: Some("2023-09-15"),
        applies: Applies::Root,
        check: root_ku_not_critical,
    },
    Lint {
        id: "X509-LINT-025",
        title: "The subscriber commonName is one of the SANs",
        standard: "CA/B BR",
        section: "§7.1.4.3",
        quote: "If present, this attribute MUST contain exactly one entry that is one of the values contained in the Certificate's subjectAltName extension",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Subscriber,
        check: cn_not_in_san_ci,
    },
    Lint {
        id: "X509-LINT-026",
        title: "The subscriber commonName is a character-for-character copy of a SAN",
        standard: "CA/B BR",
        section: "§7.1.4.3",
        quote: "If the value is a Fully-Qualified Domain Name or Wildcard Domain Name, then the value MUST be encoded as a character-for-character copy of the dNSName entry value from the subjectAltName extension.",
        severity: LintSeverity::Error,
        effective: Some("2023-09-15"),
        applies: Applies::Subscriber,
        check: cn_not_exact_copy,
    },
    Lint {
        id: "X509-LINT-027",
        title: "The subscriber has a subjectAltName with a dNSName or iPAddress",
        standard: "CA/B BR",
        section: "§7.1.2.7.12",
        quote: "For Subscriber Certificates, the Subject Alternative Name MUST be present and MUST contain at least one dNSName or iPAddress GeneralName.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Subscriber,
        check: sub_san_missing,
    },
    Lint {
        id: "X509-LINT-028",
        title: "The subscriber subjectAltName is not critical when the subject is not empty",
        standard: "CA/B BR",
        section: "§7.1.2.7.12",
        quote: "If the subject field of the certificate is an empty SEQUENCE, this extension MUST be marked critical, as specified in RFC 5280, Section 4.2.1.6. Otherwise, this extension MUST NOT be marked critical.",
        severity: LintSeverity::Error,
        effective: Some("2023-09-15"),
        applies: Applies::Subscriber,
        check: sub_san_critical_with_subject,
    },
    Lint {
        id: "X509-LINT-029",
        title: "The subscriber subjectAltName holds only dNSName and iPAddress",
        standard: "CA/B BR",
        section: "§7.1.2.7.12",
        quote: "otherName: N; rfc822Name: N; x400Address: N; directoryName: N; ediPartyName: N; uniformResourceIdentifier: N; registeredID: N (not permitted)",
        severity: LintSeverity::Error,
        effective: Some("2023-09-15"),
        applies: Applies::Subscriber,
        check: sub_san_other_types,
    },
    Lint {
        id: "X509-LINT-030",
        title: "No underscore in a subscriber dNSName",
        standard: "CA/B BR",
        section: "§7.1.2.7.12 (ballot SC12 sunset of underscores)",
        quote: "The Fully-Qualified Domain Name or the FQDN portion of the Wildcard Domain Name contained in the entry MUST be composed entirely of P-Labels or Non-Reserved LDH Labels joined together by a U+002E FULL STOP (\".\") character.",
        severity: LintSeverity::Error,
        effective: Some("2019-04-01"),
        applies: Applies::Subscriber,
        check: underscore,
    },
    Lint {
        id: "X509-LINT-031",
        title: "No wildcard directly over a public suffix",
        standard: "CA/B BR",
        section: "§3.2.2.6",
        quote: "If the FQDN portion of any Wildcard Domain Name is \"registry-controlled\" or is a \"public suffix\", CAs MUST refuse issuance unless the Applicant proves its rightful control of the entire Domain Namespace. (e.g. CAs MUST NOT issue \"*.co.uk\" or \"*.local\" ...) If using the PSL, a CA SHOULD consult the \"ICANN DOMAINS\" section only, not the \"PRIVATE DOMAINS\" section.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Subscriber,
        check: wildcard_public_suffix,
    },
    Lint {
        id: "X509-LINT-032",
        title: "The subscriber has extKeyUsage",
        standard: "CA/B BR",
        section: "§7.1.2.7.6",
        quote: "extKeyUsage: Presence MUST, Critical N",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Subscriber,
        check: sub_eku_missing,
    },
    Lint {
        id: "X509-LINT-033",
        title: "The subscriber extKeyUsage holds no prohibited purpose (anyExtendedKeyUsage, ...)",
        standard: "CA/B BR",
        section: "§7.1.2.7.10",
        quote: "id-kp-codeSigning, id-kp-emailProtection, id-kp-timeStamping, id-kp-OCSPSigning, anyExtendedKeyUsage, Precertificate Signing Certificate: MUST NOT",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Subscriber,
        check: sub_eku_forbidden,
    },
    Lint {
        id: "X509-LINT-034",
        title: "The subscriber extKeyUsage holds serverAuth",
        standard: "CA/B BR",
        section: "§7.1.2.7.10",
        quote: "id-kp-serverAuth 1.3.6.1.5.5.7.3.1: MUST",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Subscriber,
        check: sub_eku_no_server_auth,
    },
    Lint {
        id: "X509-LINT-035",
        title: "The subscriber extKeyUsage is not critical",
        standard: "CA/B BR",
        section: "§7.1.2.7.6",
        quote: "extKeyUsage: Presence MUST, Critical N",
        severity: LintSeverity::Error,
        effective: Some("2023-09-15"),
        applies: Applies::Subscriber,
        check: sub_eku_critical,
    },
    Lint {
        id: "X509-LINT-036",
        title: "The subscriber is not a CA (cA FALSE, no pathLenConstraint)",
        standard: "CA/B BR",
        section: "§7.1.2.7.8",
        quote: "cA: MUST be FALSE; pathLenConstraint: MUST NOT be present",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Subscriber,
        check: sub_is_ca,
    },
    Lint {
        id: "X509-LINT-037",
        title: "The subscriber keyUsage asserts neither keyCertSign nor cRLSign",
        standard: "CA/B BR",
        section: "§7.1.2.7.11",
        quote: "keyCertSign: Permitted N; cRLSign: Permitted N",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Subscriber,
        check: sub_ku_ca_bits,
    },
    Lint {
        id: "X509-LINT-038",
        title: "The subscriber has authorityInfoAccess",
        standard: "CA/B BR",
        section: "§7.1.2.7.6",
        quote: "authorityInformationAccess: Presence MUST, Critical N",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Subscriber,
        check: sub_aia_missing,
    },
    Lint {
        id: "X509-LINT-039",
        title: "The subscriber authorityInfoAccess uses only OCSP and caIssuers",
        standard: "CA/B BR",
        section: "§7.1.2.7.7",
        quote: "Each AccessDescription MUST only contain a permitted accessMethod ... Any other value: MUST NOT",
        severity: LintSeverity::Error,
        effective: Some("2023-09-15"),
        applies: Applies::Subscriber,
        check: sub_aia_method,
    },
    Lint {
        id: "X509-LINT-040",
        title: "Subscriber validity period at most 398 days",
        standard: "CA/B BR",
        section: "§6.3.2 (398 days from ballot SC31)",
        quote: "Subscriber Certificates issued before 2026-03-15 SHOULD NOT have a Validity Period greater than 397 days and MUST NOT have a Validity Period greater than 398 days.",
        severity: LintSeverity::Error,
        effective: Some("2020-09-01"),
        applies: Applies::Subscriber,
        check: sub_398,
    },
    Lint {
        id: "X509-LINT-041",
        title: "Subscriber validity period at most 200 days (issued on or after 2026-03-15)",
        standard: "CA/B BR",
        section: "§6.3.2",
        quote: "Subscriber Certificates issued on or after 2026-03-15 and before 2027-03-15 SHOULD NOT have a Validity Period greater than 199 days and MUST NOT have a Validity Period greater than 200 days.",
        severity: LintSeverity::Error,
        effective: Some("2026-03-15"),
        applies: Applies::Subscriber,
        check: sub_200,
    },
    Lint {
        id: "X509-LINT-042",
        title: "Subscriber validity period at most 100 days (issued on or after 2027-03-15)",
        standard: "CA/B BR",
        section: "§6.3.2",
        quote: "Subscriber Certificates issued on or after 2027-03-15 and before 2029-03-15 SHOULD NOT have a Validity Period greater than 99 days and MUST NOT have a Validity Period greater than 100 days.",
        severity: LintSeverity::Error,
        effective: Some("2027-03-15"),
        applies: Applies::Subscriber,
        check: sub_100,
    },
    Lint {
        id: "X509-LINT-043",
        title: "Subscriber validity period at most 47 days (issued on or after 2029-03-15)",
        standard: "CA/B BR",
        section: "§6.3.2",
        quote: "Subscriber Certificates issued on or after 2029-03-15 SHOULD NOT have a Validity Period greater than 46 days and MUST NOT have a Validity Period greater than 47 days.",
        severity: LintSeverity::Error,
        effective: Some("2029-03-15"),
        applies: Applies::Subscriber,
        check: sub_47,
    },
    Lint {
        id: "X509-LINT-044",
        title: "RSA keys of at least 2048 bits (a multiple of 8); ECDSA on P-256, P-384 or P-521",
        standard: "CA/B BR",
        section: "§6.1.5",
        quote: "For RSA key pairs the CA SHALL: Ensure that the modulus size, when encoded, is at least 2048 bits, and; Ensure that the modulus size, in bits, is evenly divisible by 8. For ECDSA key pairs, the CA SHALL: Ensure that the key represents a valid point on the NIST P-256, NIST P-384 or NIST P-521 elliptic curve. No other algorithms or key sizes are permitted.",
        severity: LintSeverity::Error,
        effective: None,
        applies: Applies::Any,
        check: key_size,
    },
];

/// Ids of rules withdrawn; never reused (`probes/x509/lint_ids.txt` keeps them).
pub const RETIRED: &[&str] = &[];

/// The rule with this id.
pub fn lint(id: &str) -> Option<&'static Lint> {
    LINTS.iter().find(|l| l.id == id)
}

/// The lint reference (`docs/lints.md`), generated from [`LINTS`].
pub fn markdown() -> String {
    let mut out = String::from(
        "# Certificate lints\n\n\
         Generated from `probes/x509/src/lint.rs` (`kensa lint --list --markdown`); do not edit.\n\n\
         Each rule judges one certificate in its role (subscriber = the served leaf; CA = a \
         certificate above it; root = a self-signed certificate above it or a trust anchor's own \
         certificate). Severity follows the cited text: error for MUST/SHALL, warning for SHOULD \
         or a MUST another profile relaxes, notice for advice. A rule with an effective date \
         does not judge a certificate whose notBefore is earlier. CA/B BR quotes were read in \
         the TLS Baseline Requirements version 2.2.6. RFC 5280 quotes were checked against \
         copies of the RFC's text for §4.2.1.1, §4.2.1.2 and §4.2.1.10; the others are given \
         as known and were not re-read against the RFC for this reference. Which findings fail which profile is decided \
         by the controls (`CERT-LINT-001`: any error fails kensa levels 2 and 3; warnings and \
         notices are shown, not failed).\n\n",
    );
    out.push_str(&format!("{} rules.\n\n", LINTS.len()));
    out.push_str("| id | rule | clause | severity | applies to | effective |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for l in LINTS {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            l.id,
            l.title.replace('|', "\\|"),
            l.clause().replace('|', "\\|"),
            l.severity.as_str(),
            l.applies.as_str(),
            l.effective.unwrap_or("—"),
        ));
    }
    out.push_str("\n## Quotes\n\n");
    for l in LINTS {
        out.push_str(&format!(
            "- **{}** ({}): {}\n",
            l.id,
            l.clause(),
            l.quote.replace('*', "\\*")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date_seconds("1970-01-01"), Some(0));
        assert_eq!(date_seconds("2026-06-01"), Some(1_780_272_000));
        assert_eq!(date_seconds("2020-09-01"), Some(1_598_918_400));
        assert_eq!(date_seconds("x"), None);
    }

    #[test]
    fn ids_are_sorted_unique_and_well_formed() {
        let ids: Vec<&str> = LINTS.iter().map(|l| l.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
        for id in ids {
            assert!(id.starts_with("X509-LINT-") && id.len() == 13, "{id}");
        }
        for l in LINTS {
            assert!(
                l.effective.is_none_or(|d| date_seconds(d).is_some()),
                "{}",
                l.id
            );
        }
    }

    #[test]
    fn public_suffixes() {
        assert!(icann_public_suffix("co.uk"));
        assert!(icann_public_suffix("com"));
        assert!(!icann_public_suffix("example.com"));
        assert!(!icann_public_suffix("example.co.uk"));
    }
}

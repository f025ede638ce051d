//! Issuing CA organisation → CAA issuer domain names (RFC 8659 `issue` values), for a later
//! cross-check against the domain's CAA records.
//!
//! Sources (each CA's own CAA guidance, read 2026-11-22 through the project's search tools;
//! rows marked "unverified" were seen only in secondary sources):
//! * Amazon: <https://docs.aws.amazon.com/acm/latest/userguide/setup-caa.html> — amazon.com,
//!   amazontrust.com, awstrust.com, amazonaws.com.
//! * DigiCert: <https://docs.digicert.com/de/certcentral/perform-domain-control-validation--dcv-/validate-domains-and-perform-validation-checks/manage-dns-caa-records.html>
//!   — digicert.com; brand values geotrust.com, rapidssl.com, thawte.com per
//!   <https://docs.servertastic.com/docs/caa-records> (reseller; unverified).
//! * Sectigo: <https://www.sectigo.com/faqs/detail/CAA-Record-Certification-Authority-Authorization-1527076091491/kA01N000000zFMO>
//!   — sectigo.com; comodo.com, comodoca.com, usertrust.com, trust-provider.com as quoted from
//!   Sectigo by <https://ssl247.com/knowledge-base/detail/internal-caa-records/ka01n000000xnreqao> (unverified).
//! * GlobalSign: <https://support.globalsign.com/ssl/general-ssl/caa-checking-ssl-certificates>,
//!   <https://support.globalsign.com/customer/portal/articles/2803369-caa-checking-for-ssl> — globalsign.com.
//! * Google Trust Services: <https://cloud.google.com/media-cdn/docs/troubleshooting-certificate-issuance>
//!   — pki.goog.
//! * Let's Encrypt: letsencrypt.org (its page <https://letsencrypt.org/docs/caa/> was not
//!   retrievable here; the value is from secondary sources: unverified).

use serde::{Deserialize, Serialize};

/// One row: organisation substrings (lower case) and CAA identifiers.
struct Row {
    org_contains: &'static [&'static str],
    identifiers: &'static [&'static str],
    source: &'static str,
    verified: bool,
}

const TABLE: &[Row] = &[
    Row {
        org_contains: &["let's encrypt"],
        identifiers: &["letsencrypt.org"],
        source: "https://letsencrypt.org/docs/caa/",
        verified: false,
    },
    Row {
        org_contains: &["digicert", "geotrust", "rapidssl", "thawte"],
        identifiers: &["digicert.com", "geotrust.com", "rapidssl.com", "thawte.com"],
        source: "https://docs.digicert.com/ (Manage DNS CAA records)",
        verified: true,
    },
    Row {
        org_contains: &["sectigo", "comodo", "usertrust"],
        identifiers: &[
            "sectigo.com",
            "comodo.com",
            "comodoca.com",
            "usertrust.com",
            "trust-provider.com",
        ],
        source: "https://www.sectigo.com/faqs/ (CAA Record - Certification Authority Authorization)",
        verified: true,
    },
    Row {
        org_contains: &["globalsign"],
        identifiers: &["globalsign.com"],
        source: "https://support.globalsign.com/ssl/general-ssl/caa-checking-ssl-certificates",
        verified: true,
    },
    Row {
        org_contains: &["google trust services"],
        identifiers: &["pki.goog"],
        source: "https://cloud.google.com/media-cdn/docs/troubleshooting-certificate-issuance",
        verified: true,
    },
    Row {
        org_contains: &["amazon"],
        identifiers: &[
            "amazon.com",
            "amazontrust.com",
            "awstrust.com",
            "amazonaws.com",
        ],
        source: "https://docs.aws.amazon.com/acm/latest/userguide/setup-caa.html",
        verified: true,
    },
];

/// The issuing CA, for a CAA cross-check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuingCa {
    /// The leaf issuer's organisation (O=), as encoded.
    pub organization: Option<String>,
    /// CAA `issue` identifiers that authorise this CA (empty when the organisation is not in
    /// the table).
    pub caa_identifiers: Vec<String>,
    /// Where the identifiers come from.
    pub caa_source: Option<String>,
    /// The CA's own documentation was read for this row (false: secondary sources only).
    pub caa_source_verified: bool,
}

/// Looks an organisation up in the table (case-insensitive substring match).
pub fn issuing_ca(organization: Option<&str>) -> IssuingCa {
    let row = organization.and_then(|o| {
        let o = o.to_lowercase();
        TABLE
            .iter()
            .find(|r| r.org_contains.iter().any(|k| o.contains(k)))
    });
    IssuingCa {
        organization: organization.map(str::to_owned),
        caa_identifiers: row
            .map(|r| r.identifiers.iter().map(|s| (*s).to_owned()).collect())
            .unwrap_or_default(),
        caa_source: row.map(|r| r.source.to_owned()),
        caa_source_verified: row.is_some_and(|r| r.verified),
    }
}

/// The CAA policy that applies to the host (the relevant record set found by the DNS probe,
/// RFC 8659 §3), reduced to what authorisation needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaaPolicy {
    /// Where the relevant set was found; `None`: no CAA records up to the top-level domain.
    pub found_at: Option<String>,
    /// `false` when a lookup failed before a set was found (the policy is then unknown).
    pub complete: bool,
    /// Issuer domains of the `issue` records (`None` for `;`, which forbids issuance).
    pub issue: Vec<Option<String>>,
    /// Issuer domains of the `issuewild` records.
    pub issuewild: Vec<Option<String>>,
    /// Tags of records with the critical flag that RFC 8659 does not define.
    pub unknown_critical: Vec<String>,
}

/// Whether the relevant CAA set authorises the certificate's issuer (RFC 8659 §4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaaCheck {
    /// Where the relevant set was found (`None`: none exists).
    pub found_at: Option<String>,
    /// The certificate covers the host through a wildcard name (so `issuewild` applies when
    /// present, RFC 8659 §4.3).
    pub wildcard: bool,
    /// The issuing CA's CAA identifiers that were compared (from the CA table).
    pub ca_identifiers: Vec<String>,
    /// `true`: authorised; `false`: not authorised; `None`: cannot be decided (the policy or
    /// the CA's identifiers are unknown).
    pub permitted: Option<bool>,
    /// Why, in one sentence.
    pub reason: String,
}

/// Decide whether `policy` authorises a CA with `identifiers` (RFC 8659 §4.2, §4.3, §4.1 for
/// critical flags). `wildcard`: the certificate covers the host by a wildcard name.
pub fn caa_check(policy: &CaaPolicy, identifiers: &[String], wildcard: bool) -> CaaCheck {
    let mut out = CaaCheck {
        found_at: policy.found_at.clone(),
        wildcard,
        ca_identifiers: identifiers.to_vec(),
        permitted: None,
        reason: String::new(),
    };
    if !policy.complete {
        out.reason =
            "a CAA lookup failed before a record set was found: the policy is unknown".into();
        return out;
    }
    if policy.found_at.is_none() {
        out.permitted = Some(true);
        out.reason =
            "no CAA records up to the top-level domain: any CA may issue (RFC 8659 §4)".into();
        return out;
    }
    if let Some(tag) = policy.unknown_critical.first() {
        out.permitted = Some(false);
        out.reason =
            format!("a critical CAA property unknown to RFC 8659 ({tag}) forbids issuance (§4.1)");
        return out;
    }
    let set = if wildcard && !policy.issuewild.is_empty() {
        &policy.issuewild
    } else {
        &policy.issue
    };
    if set.is_empty() {
        out.permitted = Some(true);
        out.reason = "the relevant CAA set has no issue property: issuance is not restricted (RFC 8659 §4.2)".into();
        return out;
    }
    if identifiers.is_empty() {
        out.reason = "the issuing CA's CAA identifiers are not in kensa's CA table".into();
        return out;
    }
    let hit = set.iter().flatten().find(|d| {
        identifiers
            .iter()
            .any(|i| i.eq_ignore_ascii_case(d.trim_end_matches('.')))
    });
    match hit {
        Some(d) => {
            out.permitted = Some(true);
            out.reason = format!("CAA names {d}, an identifier of the issuing CA");
        }
        None => {
            out.permitted = Some(false);
            let named: Vec<&str> = set.iter().map(|d| d.as_deref().unwrap_or(";")).collect();
            out.reason = format!(
                "CAA allows only {} — none is an identifier of the issuing CA",
                named.join(", ")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(
            issuing_ca(Some("Let's Encrypt")).caa_identifiers,
            vec!["letsencrypt.org".to_owned()]
        );
        assert_eq!(
            issuing_ca(Some("Google Trust Services LLC")).caa_identifiers,
            vec!["pki.goog".to_owned()]
        );
        assert!(
            issuing_ca(Some("Amazon"))
                .caa_identifiers
                .contains(&"amazontrust.com".to_owned())
        );
        assert!(issuing_ca(Some("Kensa Test CA")).caa_identifiers.is_empty());
        assert!(issuing_ca(None).caa_source.is_none());
    }

    fn policy(issue: &[Option<&str>], wild: &[Option<&str>]) -> CaaPolicy {
        CaaPolicy {
            found_at: Some("example.com.".into()),
            complete: true,
            issue: issue.iter().map(|d| d.map(str::to_owned)).collect(),
            issuewild: wild.iter().map(|d| d.map(str::to_owned)).collect(),
            unknown_critical: Vec::new(),
        }
    }

    #[test]
    fn caa_rules() {
        let le = vec!["letsencrypt.org".to_owned()];
        let p = policy(&[Some("letsencrypt.org")], &[]);
        assert_eq!(caa_check(&p, &le, false).permitted, Some(true));
        let p = policy(&[Some("pki.goog")], &[]);
        assert_eq!(caa_check(&p, &le, false).permitted, Some(false));
        // ";" forbids everyone.
        let p = policy(&[None], &[]);
        assert_eq!(caa_check(&p, &le, false).permitted, Some(false));
        // issuewild governs wildcard certificates when present.
        let p = policy(&[Some("letsencrypt.org")], &[Some("pki.goog")]);
        assert_eq!(caa_check(&p, &le, true).permitted, Some(false));
        assert_eq!(caa_check(&p, &le, false).permitted, Some(true));
        // No records at all: anyone.
        let none = CaaPolicy {
            complete: true,
            ..CaaPolicy::default()
        };
        assert_eq!(caa_check(&none, &le, false).permitted, Some(true));
        // A failed lookup: unknown.
        assert_eq!(caa_check(&CaaPolicy::default(), &le, false).permitted, None);
        // Unknown CA: undecided.
        let p = policy(&[Some("letsencrypt.org")], &[]);
        assert_eq!(caa_check(&p, &[], false).permitted, None);
        // A critical unknown tag forbids.
        let mut p = policy(&[Some("letsencrypt.org")], &[]);
        p.unknown_critical.push("tbs".into());
        assert_eq!(caa_check(&p, &le, false).permitted, Some(false));
        // Only iodef: unrestricted.
        let p = policy(&[], &[]);
        assert_eq!(caa_check(&p, &le, false).permitted, Some(true));
    }
}

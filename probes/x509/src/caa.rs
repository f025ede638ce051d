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
}

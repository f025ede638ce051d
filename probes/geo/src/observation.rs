//! What `geo.residency` records: the observation of one endpoint and the sources its verdicts
//! rest on. The harness's adapter builds it from the classifier's verdicts.

use serde::{Deserialize, Serialize};

/// One residency source as recorded in the evidence.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GeoSource {
    /// `database`, `ranges` or `asn`.
    pub kind: String,
    /// The file name (no directory: evidence carries no local paths).
    pub file: String,
    /// The database type, or the detected range-file format.
    pub detail: String,
    /// The database's build date (RFC 3339), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_date: Option<String>,
    /// Older than 90 days at scan time.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub stale: bool,
    /// Entries loaded (ranges or ASN rows), when counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<usize>,
    /// For files installed by `kensa geodb update`: `package@version` and the file's sha256
    /// as checked at install time.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub package: Option<String>,
}

/// What `geo.residency` records for one endpoint.
#[derive(Clone, Debug, Serialize)]
pub struct GeoObservation<'a> {
    /// The sources the verdicts rest on.
    pub sources: &'a [GeoSource],
    /// The vantage used for RTT physics (absent: no physics).
    pub vantage: Option<&'a crate::physics::Vantage>,
    /// Where the addresses came from: `dns.resolve` (every resolver and client subnet) or
    /// `target` (pinned or literal addresses).
    pub addresses_from: &'static str,
    /// The per-address and per-name-server verdicts and their aggregate.
    pub residency: crate::verdict::EndpointResidency,
    /// Who controls the serving networks, the DNS and the certificate.
    pub jurisdiction: crate::verdict::Jurisdiction,
}

//! The bundle manifest (`manifest.json`) and signature file (`manifest.sig`).
//!
//! The manifest describes the run and names every other member with its SHA-256 and size;
//! `manifest.sig` holds the Ed25519 signature over the exact bytes of `manifest.json`, so the
//! signature covers every member through the manifest. See `docs/bundle.md`.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::evidence::{Integrity, RunStatus};

/// The `format` field of every manifest.
pub const FORMAT: &str = "kensa-bundle";
/// The version of the bundle format. Bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;
/// The first line of `manifest.sig`.
pub const SIG_HEADER: &str = "kensa-bundle-signature 1";
/// The signature algorithm.
pub const ALGORITHM: &str = "Ed25519";

/// The member holding the evidence stream, byte-identical to the run's `evidence.jsonl`.
pub const EVIDENCE: &str = "evidence.jsonl";
/// The member holding the assessment (`kensa assess --json`).
pub const ASSESSMENT: &str = "assessment.json";
/// The member holding the manifest.
pub const MANIFEST: &str = "manifest.json";
/// The member holding the signature.
pub const SIGNATURE: &str = "manifest.sig";
/// The member holding the signer's public key (PEM `PUBLIC KEY`).
pub const PUBLIC_KEY: &str = "signer.pub";

/// `manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// The tool that made the bundle (`kensa` and its version).
    pub tool: String,
    /// The run id (from `run-begin`).
    pub run_id: String,
    /// When the bundle was made (RFC 3339, UTC).
    pub created_at: String,
    /// The evidence stream.
    pub evidence: EvidenceSummary,
    /// The assessment member.
    pub assessment: AssessmentSummary,
    /// The profiles the assessment graded against: id and version.
    pub profiles: Vec<ProfileRef>,
    /// The geolocation databases and range files the `geo.residency` records used.
    pub geolocation_databases: Vec<GeoSourceRef>,
    /// The trust stores the `x509.chain` records judged certificates against.
    pub trust_stores: Vec<TrustStoreRef>,
    /// Who signed.
    pub signer: SignerRef,
    /// Every member except `manifest.json` and `manifest.sig`, in archive order.
    pub members: Vec<Member>,
    /// When the run did not complete (interrupted, or no run-end): what never ran. A signed
    /// bundle of such a run says so where a reader looks first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<InterruptedSummary>,
}

/// What the manifest says about a run that did not complete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterruptedSummary {
    /// `interrupted` (stopped: run-end says so) or `incomplete` (no run-end).
    pub status: String,
    /// (target, probe) runs on the targets seen that have no record.
    pub probes_never_ran: usize,
    /// Endpoints of the catalog with no record at all.
    pub endpoints_not_started: usize,
    /// Per target, the probes that never ran.
    pub never_ran: Vec<crate::assess::interrupted::NeverRan>,
}

impl From<&crate::assess::interrupted::Interruption> for InterruptedSummary {
    fn from(i: &crate::assess::interrupted::Interruption) -> Self {
        Self {
            status: i.status.to_owned(),
            probes_never_ran: i.pairs_missing(),
            endpoints_not_started: i.endpoints_not_started,
            never_ran: i.never_ran.clone(),
        }
    }
}

/// What the manifest says about `evidence.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceSummary {
    /// The member name ([`EVIDENCE`]).
    pub member: String,
    /// The chain head: the hash of the last intact line (with a `run-end`, that line's).
    pub head: String,
    /// `intact` or `incomplete` (a tampered run is never bundled).
    pub integrity: Integrity,
    /// How the run ended (absent without a `run-end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_status: Option<RunStatus>,
    /// Lines whose hash and chain position checked out.
    pub lines: u64,
    /// Evidence records among them.
    pub evidence_records: u64,
}

/// What the manifest says about `assessment.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentSummary {
    /// The member name ([`ASSESSMENT`]).
    pub member: String,
    /// Per provider: its kensa grade (`kensa-level-N`, `none`, `inconclusive`) and whether it
    /// fails the profile it applies for.
    pub providers: Vec<ProviderGrade>,
}

/// One provider's headline result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderGrade {
    /// The provider id.
    pub id: String,
    /// The highest kensa level passed, `none` or `inconclusive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// The profile the provider applies for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_for: Option<String>,
    /// True when it fails that profile.
    pub fails_applies_for: bool,
}

/// A profile: id and version.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProfileRef {
    /// The profile id.
    pub id: String,
    /// Its version.
    pub version: String,
}

/// A residency source, as `geo.residency` records it (`sources`), with the package name,
/// version and SHA-256 of files installed by `kensa geodb update` split out.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GeoSourceRef {
    /// `database`, `ranges` or `asn`.
    pub kind: String,
    /// The file name.
    pub file: String,
    /// The database type, or the range-file format.
    pub detail: String,
    /// The database's build date (RFC 3339), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_date: Option<String>,
    /// The npm package the file came from (`kensa geodb update`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The package version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The file's SHA-256, as checked at install time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Entries loaded (ranges or ASN rows), when counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<u64>,
}

/// A trust store, as `x509.chain` records it (`trust_stores`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TrustStoreRef {
    /// The store name (`mozilla`, `os`, or a `--trust-store NAME=FILE` name).
    pub name: String,
    /// Anchors it held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchors: Option<u64>,
    /// Its fingerprint, when the evidence records one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// The signer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerRef {
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// The member holding the public key ([`PUBLIC_KEY`]).
    pub public_key_member: String,
    /// The key's fingerprint (`sha256:` + SHA-256 of its SPKI DER).
    pub fingerprint: String,
}

/// One member named by the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The name inside the archive.
    pub name: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// `manifest.sig`: text lines `key: value`.
///
/// ```text
/// kensa-bundle-signature 1
/// algorithm: Ed25519
/// manifest-sha256: <hex SHA-256 of manifest.json>
/// signer: sha256:<hex SHA-256 of the signer's SPKI DER>
/// signature: <base64 of the 64-byte Ed25519 signature over manifest.json>
/// ```
///
/// Only `signature` is verified cryptographically; `manifest-sha256` and `signer` say which
/// manifest and key the signer used, so that a failed signature can be blamed on the member
/// that changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureFile {
    /// The SHA-256 (hex) of the manifest bytes that were signed.
    pub manifest_sha256: String,
    /// The signer's fingerprint.
    pub signer: String,
    /// The raw signature.
    pub signature: Vec<u8>,
}

impl SignatureFile {
    /// The file's text.
    pub fn to_text(&self) -> String {
        format!(
            "{SIG_HEADER}\nalgorithm: {ALGORITHM}\nmanifest-sha256: {}\nsigner: {}\nsignature: {}\n",
            self.manifest_sha256,
            self.signer,
            STANDARD.encode(&self.signature)
        )
    }

    /// Parse the file; the error says what is malformed (with the line number).
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())?;
        let mut lines = text.lines();
        if lines.next() != Some(SIG_HEADER) {
            return Err(format!("line 1: expected `{SIG_HEADER}`"));
        }
        let (mut alg, mut sha, mut signer, mut sig) = (None, None, None, None);
        for (i, line) in lines.enumerate() {
            let n = i + 2;
            let (k, v) = line
                .split_once(": ")
                .ok_or_else(|| format!("line {n}: expected `key: value`"))?;
            let slot = match k {
                "algorithm" => &mut alg,
                "manifest-sha256" => &mut sha,
                "signer" => &mut signer,
                "signature" => &mut sig,
                other => return Err(format!("line {n}: unknown key `{other}`")),
            };
            if slot.replace(v.to_owned()).is_some() {
                return Err(format!("line {n}: `{k}` given twice"));
            }
        }
        match alg.as_deref() {
            Some(ALGORITHM) => {}
            Some(a) => return Err(format!("algorithm `{a}`: expected {ALGORITHM}")),
            None => return Err("no `algorithm` line".into()),
        }
        let manifest_sha256 = sha.ok_or("no `manifest-sha256` line")?;
        if manifest_sha256.len() != 64 || !manifest_sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("manifest-sha256: expected 64 hex digits".into());
        }
        let signer = signer.ok_or("no `signer` line")?;
        let signature = STANDARD
            .decode(sig.ok_or("no `signature` line")?)
            .map_err(|e| format!("signature: not base64 ({e})"))?;
        if signature.len() != 64 {
            return Err(format!(
                "signature: {} bytes, expected 64 (Ed25519)",
                signature.len()
            ));
        }
        Ok(Self {
            manifest_sha256,
            signer,
            signature,
        })
    }
}

/// What a run's evidence says about the geolocation sources and trust stores it used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    /// Distinct residency sources, sorted.
    pub geolocation_databases: Vec<GeoSourceRef>,
    /// Distinct trust stores, sorted.
    pub trust_stores: Vec<TrustStoreRef>,
}

/// Collect the residency sources of `geo.residency` records and the trust stores of
/// `x509.chain` records of an evidence stream. Lines that do not parse are skipped (the
/// stream was verified before).
pub fn sources(evidence: &[u8]) -> Sources {
    let mut geo = BTreeSet::new();
    let mut stores = BTreeSet::new();
    for line in evidence.split(|b| *b == b'\n') {
        let Ok(v) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        if v.get("type").and_then(Value::as_str) != Some("evidence") {
            continue;
        }
        let Some(data) = v.get("data") else { continue };
        let obs = data.get("observation");
        match data.get("probe").and_then(Value::as_str) {
            Some("geo.residency") => {
                for s in obs
                    .and_then(|o| o.get("sources"))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    geo.insert(geo_source(s));
                }
            }
            Some("x509.chain") => {
                for s in obs
                    .and_then(|o| o.get("trust_stores"))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    stores.insert(TrustStoreRef {
                        name: str_field(s, "name").unwrap_or_default(),
                        anchors: s.get("anchors").and_then(Value::as_u64),
                        sha256: str_field(s, "sha256").or_else(|| str_field(s, "fingerprint")),
                    });
                }
            }
            _ => {}
        }
    }
    Sources {
        geolocation_databases: geo.into_iter().collect(),
        trust_stores: stores.into_iter().collect(),
    }
}

fn str_field(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_owned)
}

/// One `sources` entry; `package` is `name@version (sha256 HEX)` for installed files.
fn geo_source(s: &Value) -> GeoSourceRef {
    let (package, version, sha256) = match str_field(s, "package") {
        Some(p) => split_package(&p),
        None => (None, None, None),
    };
    GeoSourceRef {
        kind: str_field(s, "kind").unwrap_or_default(),
        file: str_field(s, "file").unwrap_or_default(),
        detail: str_field(s, "detail").unwrap_or_default(),
        build_date: str_field(s, "build_date"),
        package,
        version,
        sha256,
        entries: s.get("entries").and_then(Value::as_u64),
    }
}

/// `@scope/name@1.2.3 (sha256 abcd)` → (`@scope/name`, `1.2.3`, `abcd`). A string of another
/// shape is kept whole as the package.
fn split_package(p: &str) -> (Option<String>, Option<String>, Option<String>) {
    let (head, sha) = match p.split_once(" (sha256 ") {
        Some((h, rest)) => (h, rest.strip_suffix(')').map(str::to_owned)),
        None => (p, None),
    };
    match head.rsplit_once('@') {
        Some((name, version)) if !name.is_empty() && !version.is_empty() => {
            (Some(name.to_owned()), Some(version.to_owned()), sha)
        }
        _ => (Some(head.to_owned()), None, sha),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_strings() {
        assert_eq!(
            split_package("@ip-location-db/asn@2.3.20261101 (sha256 ab12)"),
            (
                Some("@ip-location-db/asn".into()),
                Some("2.3.20261101".into()),
                Some("ab12".into())
            )
        );
        assert_eq!(split_package("odd"), (Some("odd".into()), None, None));
    }

    #[test]
    fn signature_file_round_trip_and_errors() {
        let s = SignatureFile {
            manifest_sha256: "ab".repeat(32),
            signer: "sha256:00".into(),
            signature: vec![7; 64],
        };
        assert_eq!(SignatureFile::parse(s.to_text().as_bytes()).unwrap(), s);
        let t = s.to_text();
        assert!(SignatureFile::parse(t.replace("Ed25519", "RSA").as_bytes()).is_err());
        assert!(SignatureFile::parse(&t.as_bytes()[1..]).is_err());
        let short = t.replace(&STANDARD.encode([7u8; 64]), &STANDARD.encode([7u8; 63]));
        assert!(
            SignatureFile::parse(short.as_bytes())
                .unwrap_err()
                .contains("63 bytes")
        );
    }

    #[test]
    fn sources_from_evidence_lines() {
        let line = |probe: &str, obs: Value| {
            serde_json::json!({"hash": "h", "type": "evidence",
                "data": {"probe": probe, "observation": obs}})
            .to_string()
        };
        let text = [
            line(
                "geo.residency",
                serde_json::json!({"sources": [{"kind": "database", "file": "c.mmdb",
                "detail": "Country", "build_date": "2026-11-01T00:00:00Z",
                "package": "@ip-location-db/x@1.0.0 (sha256 ff)"}]}),
            ),
            line(
                "geo.residency",
                serde_json::json!({"sources": [{"kind": "database", "file": "c.mmdb",
                "detail": "Country", "build_date": "2026-11-01T00:00:00Z",
                "package": "@ip-location-db/x@1.0.0 (sha256 ff)"}]}),
            ),
            line(
                "x509.chain",
                serde_json::json!({"trust_stores": [{"name": "mozilla", "anchors": 150}]}),
            ),
        ]
        .join("\n");
        let s = sources(text.as_bytes());
        assert_eq!(s.geolocation_databases.len(), 1);
        assert_eq!(s.geolocation_databases[0].version.as_deref(), Some("1.0.0"));
        assert_eq!(s.trust_stores[0].name, "mozilla");
        assert_eq!(s.trust_stores[0].anchors, Some(150));
    }
}

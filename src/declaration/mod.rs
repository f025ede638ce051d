//! Provider declarations: what a provider states about its service, checked against what kensa
//! observes (`docs/declaration.md`).
//!
//! A declaration is a TOML file the provider writes (and may sign with Ed25519): the countries
//! where data is stored and served, its domains and endpoints, its CAs, DNS operators,
//! networks, CDNs and other subprocessors, the software and equipment vendors in the serving
//! path, and facts kensa cannot observe (ownership, personnel, staff access). The catalog
//! names it per provider (`declaration = "path"`, with `declaration_key = "KEY.pub"` for the
//! signature); [`load_for_catalog`] reads and checks each one when the catalog is loaded, and
//! the scan records it in `run-begin` (each provider's `declaration`: the file's SHA-256, its
//! content, the signature check and the catalog's names for the provider), so grading needs
//! only the evidence file.
//!
//! [`check`] compares a target's evidence with its provider's declaration (the `decl`
//! variable of the `DECL-*` controls and the reports' "Declared vs observed" section);
//! [`vendors`] is the vendor data file (`data/vendors.toml`).

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

pub mod check;
pub mod command;
pub mod vendors;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::bundle::keys::{PublicKey, SigningKey};
use crate::catalog::{Catalog, is_assigned_country};
use crate::evidence::sha256_hex;

/// The declaration format's version (`schema = 1`).
pub const SCHEMA: u32 = 1;

/// The largest declaration file read, bytes.
pub const MAX_BYTES: u64 = 1 << 20;

/// What is signed: this context string, then the declaration file's bytes exactly. The
/// context keeps a declaration signature from being valid as anything else (a bundle
/// manifest) made with the same key.
pub const SIGNING_CONTEXT: &[u8] = b"kensa-declaration-v1\n";

/// A provider's declaration, as written in its TOML file (`docs/declaration.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The format version: 1.
    pub schema: u32,
    /// The provider's id in the catalog; a declaration names the provider it is about.
    pub provider: String,
    /// The date of the statement (`YYYY-MM-DD`).
    pub issued: String,
    /// Where the service runs and what it is called.
    #[serde(default)]
    pub service: Service,
    /// The certificate authorities that issue the service's certificates.
    #[serde(default)]
    pub ca: Vec<Supplier>,
    /// The operators of the service's DNS (authoritative name servers).
    #[serde(default)]
    pub dns_operator: Vec<Supplier>,
    /// The networks (autonomous systems, hosting and transit) that serve the endpoints.
    #[serde(default)]
    pub network: Vec<Supplier>,
    /// CDNs and other subprocessors.
    #[serde(default)]
    pub subprocessor: Vec<Subprocessor>,
    /// Software and network-equipment vendors in the serving path.
    #[serde(default)]
    pub vendor: Vec<Vendor>,
    /// Who owns the provider (not observable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<Ownership>,
    /// Who runs it and who can reach customer data (not observable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personnel: Option<Personnel>,
}

/// Where the service runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Service regions, free text (e.g. `Tokyo`, `ap-northeast-1`).
    #[serde(default)]
    pub regions: Vec<String>,
    /// Countries where customer data is stored (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub storage_countries: Vec<String>,
    /// Countries from which the service is served: every serving address and name server
    /// should be in one (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub serving_countries: Vec<String>,
    /// The provider's DNS domains (e.g. `acme.example`): certificate names under them are
    /// checked against the catalog and the declared endpoints.
    #[serde(default)]
    pub domains: Vec<String>,
    /// The provider's endpoints' host names; `*.NAME` covers every name one label below
    /// `NAME`.
    #[serde(default)]
    pub endpoints: Vec<String>,
}

/// A supplier: a CA, a DNS operator or a network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    /// The supplier's name as observations show it (a CA's organisation, an AS's
    /// organisation); matched as described in `docs/declaration.md`.
    pub name: String,
    /// The supplier's home country (ISO 3166-1 alpha-2), when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Autonomous system numbers of the supplier (networks, DNS operators).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asns: Vec<u32>,
}

/// What a subprocessor does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A content delivery network in front of the endpoints.
    Cdn,
    /// Hosting (data centre, cloud infrastructure).
    Hosting,
    /// Network transit or load balancing.
    Network,
    /// DNS.
    Dns,
    /// Support or operations staff.
    Support,
    /// Anything else.
    Other,
}

/// A CDN or other subprocessor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subprocessor {
    /// Its name.
    pub name: String,
    /// Its home country (ISO 3166-1 alpha-2).
    pub country: String,
    /// What it does.
    pub role: Role,
    /// Its autonomous system numbers, when it runs a network.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asns: Vec<u32>,
}

/// What kind of vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VendorKind {
    /// Software (web server, load balancer software, operating system...).
    Software,
    /// Network or security equipment.
    Equipment,
    /// A cloud or managed service.
    Service,
}

/// A software or equipment vendor in the serving path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// The vendor's name (matched against `data/vendors.toml`'s `vendor`).
    pub name: String,
    /// Its home country (ISO 3166-1 alpha-2).
    pub country: String,
    /// Software, equipment or service.
    pub kind: VendorKind,
    /// Products in use, free text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
}

/// Ownership: not observable, declared only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ownership {
    /// Countries of the shareholders (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub shareholder_countries: Vec<String>,
    /// The share held by foreign shareholders (outside the provider's catalog country),
    /// percent, 0 to 100.
    pub foreign_share_percent: f64,
}

/// Personnel: not observable, declared only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Personnel {
    /// Countries of the executives (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub executive_countries: Vec<String>,
    /// Countries from which operators run the service (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub operator_countries: Vec<String>,
    /// Whether staff outside the provider's country can access customer data.
    pub foreign_staff_access: bool,
    /// The countries from which they can, when they can (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub foreign_access_countries: Vec<String>,
}

/// The result of checking a declaration's signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureStatus {
    /// No signature file beside the declaration.
    Unsigned,
    /// A signature file, but the catalog names no `declaration_key` to check it with.
    NoKey,
    /// The signature is the expected key's, over exactly this file.
    Valid,
    /// The signature file names the expected key but does not verify (the file was altered
    /// after signing), or it is malformed.
    Invalid,
    /// The signature was made with another key than the catalog's `declaration_key`.
    OtherSigner,
}

impl SignatureStatus {
    /// The kebab-case id.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unsigned => "unsigned",
            Self::NoKey => "no-key",
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::OtherSigner => "other-signer",
        }
    }
}

/// A signature check as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureCheck {
    /// The verdict.
    pub status: SignatureStatus,
    /// The fingerprint (`sha256:…` of the SPKI) of the key the signature file names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The fingerprint of the catalog's `declaration_key`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_key: Option<String>,
    /// Why, in words.
    pub detail: String,
}

/// A declaration as recorded in `run-begin` (a provider's `declaration`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationRecord {
    /// The file as the catalog names it.
    pub file: String,
    /// SHA-256 (hex) of the file's bytes.
    pub sha256: String,
    /// The signature check.
    pub signature: SignatureCheck,
    /// The provider's host and SNI names in the catalog (what kensa may dial).
    pub catalog_names: Vec<String>,
    /// The declaration ([`Declaration`] as JSON).
    pub content: serde_json::Value,
}

/// The detached signature file (`FILE.sig`, JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureFile {
    /// `ed25519`.
    pub algorithm: String,
    /// The signer's key fingerprint (`sha256:` and the hex SHA-256 of its SPKI DER).
    pub key: String,
    /// The signature over [`SIGNING_CONTEXT`] and the file's bytes, base64.
    pub signature: String,
}

/// Why a declaration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DeclarationError {
    /// The file cannot be read.
    #[error("cannot read declaration {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a valid declaration: `file:line:col: what` for syntax and types,
    /// `file: field: what` for values.
    #[error("{path}: {message}")]
    Invalid {
        /// The path (with `:line:col` when known).
        path: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A key or signature file problem (signing).
    #[error("{0}")]
    Key(String),
}

/// The signature file's path: the declaration's with `.sig` appended.
pub fn signature_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".sig");
    PathBuf::from(s)
}

/// Parse and check a declaration's text. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Declaration, DeclarationError> {
    let d: Declaration = toml::from_str(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map_or((1, 1), |s| crate::assess::line_col(text, s.start));
        DeclarationError::Invalid {
            path: format!("{file}:{line}:{col}"),
            message: e.message().trim().replace('\n', " "),
        }
    })?;
    validate(file, &d)?;
    Ok(d)
}

fn validate(file: &str, d: &Declaration) -> Result<(), DeclarationError> {
    let bad = |field: &str, message: String| DeclarationError::Invalid {
        path: file.to_owned(),
        message: format!("{field}: {message}"),
    };
    if d.schema != SCHEMA {
        return Err(bad(
            "schema",
            format!("unknown version {}: expected {SCHEMA}", d.schema),
        ));
    }
    if d.provider.trim().is_empty() {
        return Err(bad(
            "provider",
            "empty: expected the provider's catalog id".into(),
        ));
    }
    let date = time::macros::format_description!("[year]-[month]-[day]");
    if time::Date::parse(&d.issued, date).is_err() {
        return Err(bad(
            "issued",
            format!("{:?} is not a date: expected YYYY-MM-DD", d.issued),
        ));
    }
    let country = |field: String, code: &str| {
        if is_assigned_country(code) {
            Ok(())
        } else {
            Err(bad(
                &field,
                format!(
                    "{code:?} is not an assigned ISO 3166-1 alpha-2 country code: expected two \
                     upper-case letters such as \"JP\""
                ),
            ))
        }
    };
    let name = |field: String, n: &str| {
        if n.trim().is_empty() {
            Err(bad(&field, "empty name".into()))
        } else {
            Ok(())
        }
    };
    for (i, c) in d.service.storage_countries.iter().enumerate() {
        country(format!("service.storage_countries[{i}]"), c)?;
    }
    for (i, c) in d.service.serving_countries.iter().enumerate() {
        country(format!("service.serving_countries[{i}]"), c)?;
    }
    for (i, n) in d
        .service
        .domains
        .iter()
        .chain(&d.service.endpoints)
        .enumerate()
    {
        let plain = n.strip_prefix("*.").unwrap_or(n);
        let ok = !plain.is_empty()
            && plain.len() <= 253
            && plain.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        if !ok {
            return Err(bad(
                &format!("service domains/endpoints [{i}]"),
                format!("{n:?} is not a lower-case DNS name (optionally `*.` and a name)"),
            ));
        }
    }
    for (list, what) in [
        (&d.ca, "ca"),
        (&d.dns_operator, "dns_operator"),
        (&d.network, "network"),
    ] {
        for (i, s) in list.iter().enumerate() {
            name(format!("{what}[{i}].name"), &s.name)?;
            if let Some(c) = &s.country {
                country(format!("{what}[{i}].country"), c)?;
            }
        }
    }
    for (i, s) in d.subprocessor.iter().enumerate() {
        name(format!("subprocessor[{i}].name"), &s.name)?;
        country(format!("subprocessor[{i}].country"), &s.country)?;
    }
    for (i, v) in d.vendor.iter().enumerate() {
        name(format!("vendor[{i}].name"), &v.name)?;
        country(format!("vendor[{i}].country"), &v.country)?;
    }
    if let Some(o) = &d.ownership {
        for (i, c) in o.shareholder_countries.iter().enumerate() {
            country(format!("ownership.shareholder_countries[{i}]"), c)?;
        }
        if !(0.0..=100.0).contains(&o.foreign_share_percent) {
            return Err(bad(
                "ownership.foreign_share_percent",
                format!(
                    "{} is not a percentage from 0 to 100",
                    o.foreign_share_percent
                ),
            ));
        }
    }
    if let Some(p) = &d.personnel {
        for (field, list) in [
            ("personnel.executive_countries", &p.executive_countries),
            ("personnel.operator_countries", &p.operator_countries),
            (
                "personnel.foreign_access_countries",
                &p.foreign_access_countries,
            ),
        ] {
            for (i, c) in list.iter().enumerate() {
                country(format!("{field}[{i}]"), c)?;
            }
        }
    }
    Ok(())
}

/// Check the signature file beside a declaration against `key` (the catalog's
/// `declaration_key`).
pub fn check_signature(
    bytes: &[u8],
    sig: Option<&[u8]>,
    key: Option<&PublicKey>,
) -> SignatureCheck {
    let expected_key = key.map(PublicKey::fingerprint);
    let check = |status, key: Option<String>, detail: &str| SignatureCheck {
        status,
        key,
        expected_key: expected_key.clone(),
        detail: detail.to_owned(),
    };
    let Some(sig) = sig else {
        return check(
            SignatureStatus::Unsigned,
            None,
            "no signature file beside the declaration",
        );
    };
    let parsed: SignatureFile = match serde_json::from_slice(sig) {
        Ok(s) => s,
        Err(e) => {
            return check(
                SignatureStatus::Invalid,
                None,
                &format!("the signature file is not valid: {e}"),
            );
        }
    };
    if parsed.algorithm != "ed25519" {
        return check(
            SignatureStatus::Invalid,
            Some(parsed.key),
            &format!("unknown algorithm {:?}: expected ed25519", parsed.algorithm),
        );
    }
    let Some(key) = key else {
        return check(
            SignatureStatus::NoKey,
            Some(parsed.key),
            "signed, but the catalog names no declaration_key to check the signature with",
        );
    };
    if expected_key.as_deref() != Some(parsed.key.as_str()) {
        return check(
            SignatureStatus::OtherSigner,
            Some(parsed.key),
            "signed with another key than the catalog's declaration_key",
        );
    }
    let Ok(raw) = STANDARD.decode(parsed.signature.trim()) else {
        return check(
            SignatureStatus::Invalid,
            Some(parsed.key),
            "the signature is not valid base64",
        );
    };
    let mut message = SIGNING_CONTEXT.to_vec();
    message.extend_from_slice(bytes);
    if key.verifies(&message, &raw) {
        check(
            SignatureStatus::Valid,
            Some(parsed.key),
            "the declaration_key's signature over exactly this file",
        )
    } else {
        check(
            SignatureStatus::Invalid,
            Some(parsed.key),
            "the signature does not verify: the file was altered after it was signed",
        )
    }
}

/// The signature file's text for `bytes` signed with `key`.
pub fn sign(bytes: &[u8], key: &SigningKey) -> String {
    let mut message = SIGNING_CONTEXT.to_vec();
    message.extend_from_slice(bytes);
    let file = SignatureFile {
        algorithm: "ed25519".into(),
        key: key.public().fingerprint(),
        signature: STANDARD.encode(key.sign(&message)),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}

/// Read at most [`MAX_BYTES`] of `path`; `shown` names it in errors (with the resolved path
/// when it differs).
fn read_capped(path: &Path, shown: &str) -> Result<Vec<u8>, DeclarationError> {
    use std::io::Read as _;
    let resolved = path.display().to_string();
    let named = if resolved == shown {
        resolved
    } else {
        format!("{shown} ({resolved})")
    };
    let read = |source| DeclarationError::Read {
        path: named.clone(),
        source,
    };
    let f = std::fs::File::open(path).map_err(read)?;
    let mut bytes = Vec::new();
    f.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(DeclarationError::Invalid {
            path: named,
            message: format!("larger than {MAX_BYTES} bytes"),
        });
    }
    Ok(bytes)
}

/// Read a declaration (and its signature file, if any), check it, and build its record.
/// `shown` is the path as the catalog names it; `key` the catalog's `declaration_key`.
pub fn load(
    path: &Path,
    shown: &str,
    provider: &str,
    key: Option<&PublicKey>,
    catalog_names: Vec<String>,
) -> Result<DeclarationRecord, DeclarationError> {
    let bytes = read_capped(path, shown)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| DeclarationError::Invalid {
        path: shown.to_owned(),
        message: "not UTF-8: expected a UTF-8 encoded TOML file".into(),
    })?;
    let d = parse(shown, text)?;
    if d.provider != provider {
        return Err(DeclarationError::Invalid {
            path: shown.to_owned(),
            message: format!(
                "provider: the declaration is about {:?}, but the catalog names it for {provider:?}",
                d.provider
            ),
        });
    }
    let sig_path = signature_path(path);
    let sig = match std::fs::read(&sig_path) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(DeclarationError::Read {
                path: sig_path.display().to_string(),
                source,
            });
        }
    };
    Ok(DeclarationRecord {
        file: shown.to_owned(),
        sha256: sha256_hex(&bytes),
        signature: check_signature(&bytes, sig.as_deref(), key),
        catalog_names,
        content: serde_json::to_value(&d).unwrap_or_default(),
    })
}

/// Load every provider's declaration named in a catalog read from `catalog_path`: paths are
/// relative to the catalog file's directory. Each loaded record is set on its provider.
pub fn load_for_catalog(
    catalog: &mut Catalog,
    catalog_path: &Path,
) -> Result<(), DeclarationError> {
    let base = catalog_path.parent().unwrap_or(Path::new(""));
    for p in &mut catalog.providers {
        let Some(file) = p.declaration.clone() else {
            continue;
        };
        let key = match &p.declaration_key {
            Some(k) => Some(
                PublicKey::read(&base.join(k)).map_err(|e| DeclarationError::Key(e.to_string()))?,
            ),
            None => None,
        };
        let mut names: Vec<String> = Vec::new();
        for e in &p.endpoints {
            for n in std::iter::once(e.host.to_string()).chain(e.sni.clone()) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        let record = load(&base.join(&file), &file, &p.id, key.as_ref(), names)?;
        p.declared = Some(Arc::new(record));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
schema = 1
provider = "acme"
issued = "2026-11-01"
[service]
storage_countries = ["JP"]
serving_countries = ["JP"]
domains = ["acme.example"]
endpoints = ["www.acme.example", "*.api.acme.example"]
[[ca]]
name = "Example CA"
country = "JP"
[[subprocessor]]
name = "Fastly"
country = "US"
role = "cdn"
[ownership]
shareholder_countries = ["JP"]
foreign_share_percent = 10.0
"#;

    #[test]
    fn a_valid_declaration_parses() {
        let d = parse("d.toml", GOOD).unwrap();
        assert_eq!(d.provider, "acme");
        assert_eq!(d.subprocessor[0].role, Role::Cdn);
        assert_eq!(d.ownership.unwrap().foreign_share_percent, 10.0);
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse("d.toml", &GOOD.replace("[[ca]]", "colour = 1\n[[ca]]")).unwrap_err();
        assert!(e.to_string().starts_with("d.toml:"), "{e}");
        assert!(e.to_string().contains("unknown field `colour`"), "{e}");
        let e = parse("d.toml", &GOOD.replace("\"US\"", "\"us\"")).unwrap_err();
        assert!(
            e.to_string()
                .contains("subprocessor[0].country: \"us\" is not an assigned"),
            "{e}"
        );
        let e = parse("d.toml", &GOOD.replace("10.0", "120.0")).unwrap_err();
        assert!(e.to_string().contains("foreign_share_percent"), "{e}");
        let e = parse("d.toml", &GOOD.replace("2026-11-01", "1 Nov")).unwrap_err();
        assert!(e.to_string().contains("issued"), "{e}");
        let e = parse("d.toml", &GOOD.replace("schema = 1", "schema = 2")).unwrap_err();
        assert!(e.to_string().contains("schema"), "{e}");
        let e = parse("d.toml", &GOOD.replace("www.acme", "WWW.acme")).unwrap_err();
        assert!(e.to_string().contains("lower-case DNS name"), "{e}");
    }

    fn key() -> (SigningKey, PublicKey) {
        let d = tempfile::tempdir().unwrap();
        let (pkcs8, public) = crate::bundle::keys::generate().unwrap();
        let p = d.path().join("k");
        std::fs::write(&p, crate::bundle::keys::pem_encode("PRIVATE KEY", &pkcs8)).unwrap();
        (SigningKey::read(&p).unwrap(), public)
    }

    #[test]
    fn signatures_valid_altered_other_signer() {
        let (k, public) = key();
        let (_, other) = key();
        let sig = sign(GOOD.as_bytes(), &k);
        let st = |bytes: &[u8], sig: Option<&str>, key: Option<&PublicKey>| {
            check_signature(bytes, sig.map(str::as_bytes), key).status
        };
        assert_eq!(
            st(GOOD.as_bytes(), Some(&sig), Some(&public)),
            SignatureStatus::Valid
        );
        let altered = GOOD.replace("10.0", "11.0");
        assert_eq!(
            st(altered.as_bytes(), Some(&sig), Some(&public)),
            SignatureStatus::Invalid
        );
        assert_eq!(
            st(GOOD.as_bytes(), Some(&sig), Some(&other)),
            SignatureStatus::OtherSigner
        );
        assert_eq!(
            st(GOOD.as_bytes(), Some(&sig), None),
            SignatureStatus::NoKey
        );
        assert_eq!(
            st(GOOD.as_bytes(), None, Some(&public)),
            SignatureStatus::Unsigned
        );
        assert_eq!(
            st(GOOD.as_bytes(), Some("not json"), Some(&public)),
            SignatureStatus::Invalid
        );
        // A forged file naming the expected key over another key's signature.
        let (k2, _) = key();
        let forged =
            sign(GOOD.as_bytes(), &k2).replace(&k2.public().fingerprint(), &public.fingerprint());
        assert_eq!(
            st(GOOD.as_bytes(), Some(&forged), Some(&public)),
            SignatureStatus::Invalid
        );
        // A signature without the context string does not verify.
        let bare = SignatureFile {
            algorithm: "ed25519".into(),
            key: public.fingerprint(),
            signature: STANDARD.encode(k.sign(GOOD.as_bytes())),
        };
        let bare = serde_json::to_string(&bare).unwrap();
        assert_eq!(
            st(GOOD.as_bytes(), Some(&bare), Some(&public)),
            SignatureStatus::Invalid
        );
    }
}

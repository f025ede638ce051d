//! [`ScanConfig`]: the plain, validated, serialisable configuration of one scan.
//!
//! Everything a scan needs besides the catalog: the probes and their options, the engine's
//! limits, the trust stores, resolvers, DNSSEC anchors, geolocation sources and the vantage.
//! It holds no clap types and no file paths that only mean something on one machine: trust
//! stores and DNSSEC anchors are carried as their content; geolocation files (often tens of
//! megabytes) are named by file name and SHA-256, and found on the machine that runs the scan
//! with [`ScanConfig::locate`] (the command line fills in the paths it was given). A
//! configuration read from JSON on a worker is therefore the same scan as the one written on
//! the machine that queued it.
//!
//! The command line maps its arguments to a `ScanConfig` and nothing else; workers, the web
//! service and tests build one directly or read it from JSON. [`crate::scan::run`] takes it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::Settings;
use crate::evidence::Vantage;
use crate::probes::{self, ProbeId};

/// Why a scan configuration cannot be used (the command line's exit status 2). The messages
/// name the option a command-line user gave, since that is where such a value comes from.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// A trust store given as content: a name and a PEM bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PemStore {
    /// The store's name (as shown in the evidence and reports).
    pub name: String,
    /// The PEM bundle's text.
    pub pem: String,
}

/// A CA's CAA `issue` identifiers (`--caa-identifier ORG=DOMAIN`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaaIdentifier {
    /// The issuer organisation (O=).
    pub organization: String,
    /// Its CAA identifiers (domain names, lower case, no trailing dot).
    pub identifiers: Vec<String>,
}

/// A small text file carried by content (DNSSEC trust anchors).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlineFile {
    /// The file's name as given (no directory).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// A data file named by content: its file name and SHA-256. `path` is where it is on this
/// machine (never serialised; filled by the command line, or by [`ScanConfig::locate`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    /// The file name (no directory).
    pub name: String,
    /// SHA-256 of its content (hex), or `unreadable` when it could not be read when named.
    pub sha256: String,
    /// Where it is on this machine.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl DataFile {
    /// Name a local file by its content.
    pub fn from_path(path: &Path) -> Self {
        Self {
            name: file_name(path),
            sha256: file_digest(path),
            path: Some(path.to_owned()),
        }
    }

    /// The local path (or the file name, which then fails to open with a clear error).
    pub fn local_path(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from(&self.name))
    }
}

/// The residency probe's sources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeoConfig {
    /// Provider range files (AWS, Google Cloud, Azure, Oracle, RFC 8805 geofeeds).
    pub ranges: Vec<DataFile>,
    /// Geolocation databases (.mmdb). Empty: the data directory's installed defaults.
    pub geoip: Vec<DataFile>,
    /// ASN tables (CSV). Empty: the data directory's installed default.
    pub asn_csv: Vec<DataFile>,
    /// The data directory holding `kensa geodb update`'s files on this machine (never
    /// serialised; default `$KENSA_DATA_DIR`, `$XDG_DATA_HOME/kensa`, `~/.local/share/kensa`).
    #[serde(skip)]
    pub data_dir: Option<PathBuf>,
}

/// The configuration of one scan. `Default` is `kensa scan`'s defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScanConfig {
    /// The probes to run (ids from [`probes::REGISTRY`]); empty: all of them.
    pub probes: Vec<String>,
    /// Engine limits, timeouts and `allow_private`.
    pub settings: Settings,
    /// Where the scan runs from.
    pub vantage: Option<Vantage>,
    /// Latency samples per address (at least 1).
    pub samples: u32,
    /// Timeout of one TCP connect, ms.
    pub connect_timeout_ms: u64,
    /// How long to wait for a server's answer, ms.
    pub read_timeout_ms: u64,
    /// Also take JARM fingerprints.
    pub jarm: bool,
    /// Trust stores besides Mozilla's (always used).
    pub trust_stores: Vec<PemStore>,
    /// CAA identifiers of CAs kensa's table does not know.
    pub caa_identifiers: Vec<CaaIdentifier>,
    /// Recursive resolvers, `IP` or `IP:PORT`; empty: the system's (`/etc/resolv.conf`).
    pub resolvers: Vec<String>,
    /// DNSSEC trust anchors (zone-file DNSKEY lines); `None`: the IANA root anchors.
    pub dnssec_anchors: Option<InlineFile>,
    /// Timeout of one DNS question, ms.
    pub dns_timeout_ms: u64,
    /// Residency sources.
    pub geo: GeoConfig,
    /// `route.trace`'s options (protocol, TTLs, rounds).
    pub route: kensa_probe_route::Config,
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            probes: Vec::new(),
            settings: Settings::default(),
            vantage: None,
            samples: 5,
            connect_timeout_ms: 3000,
            read_timeout_ms: 5000,
            jarm: false,
            trust_stores: Vec::new(),
            caa_identifiers: Vec::new(),
            resolvers: Vec::new(),
            dnssec_anchors: None,
            dns_timeout_ms: 2000,
            geo: GeoConfig::default(),
            route: kensa_probe_route::Config::default(),
        }
    }
}

impl ScanConfig {
    /// Read a configuration from JSON (unknown fields are refused), and validate it.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let c: Self = serde_json::from_str(text)
            .map_err(|e| ConfigError(format!("scan configuration: {e}")))?;
        c.validate()?;
        Ok(c)
    }

    /// Check what can be checked without loading anything: probe ids, numbers, resolver
    /// syntax, CAA identifiers, vantage coordinates.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for id in &self.probes {
            if probes::info(id).is_none() {
                let known: Vec<&str> = ProbeId::ALL.iter().map(|p| p.as_str()).collect();
                return Err(ConfigError(format!(
                    "unknown probe `{id}` in --probes{}: expected one of {}",
                    crate::suggest::hint(id, known.iter().copied()),
                    known.join(", ")
                )));
            }
        }
        if self.samples == 0 {
            return Err(ConfigError("--samples must be at least 1".into()));
        }
        for r in &self.resolvers {
            parse_resolver(r)?;
        }
        for c in &self.caa_identifiers {
            if c.organization.trim().is_empty() || c.identifiers.iter().any(|d| d.is_empty()) {
                return Err(ConfigError(format!(
                    "invalid CAA identifier for `{}`: the organisation and domains must not be \
                     empty",
                    c.organization
                )));
            }
        }
        if self.route.max_ttl == 0 || self.route.rounds == 0 {
            return Err(ConfigError(
                "--route-max-ttl and the route rounds must be at least 1".into(),
            ));
        }
        if let Some(v) = &self.vantage {
            let ok_lat = v.lat.is_none_or(|l| (-90.0..=90.0).contains(&l));
            let ok_lon = v.lon.is_none_or(|l| (-180.0..=180.0).contains(&l));
            if v.name.is_empty() || !ok_lat || !ok_lon || v.lat.is_some() != v.lon.is_some() {
                return Err(ConfigError(format!(
                    "invalid vantage {:?}: a non-empty name and both coordinates (latitude in \
                     -90..90, longitude in -180..180) or neither",
                    v.name
                )));
            }
        }
        Ok(())
    }

    /// Whether a probe id is selected (an empty list selects every probe that runs by
    /// default: all but `route.trace`).
    pub fn runs(&self, id: &str) -> bool {
        if self.probes.is_empty() {
            return probes::info(id).is_some_and(|p| p.id.by_default());
        }
        self.probes.iter().any(|p| p.trim() == id)
    }

    /// Find the geolocation files on this machine: each [`DataFile`] without a path is looked
    /// for by name in `dirs` and taken when its SHA-256 matches (a worker's data directory).
    /// Returns the files not found.
    pub fn locate(&mut self, dirs: &[PathBuf]) -> Vec<String> {
        let mut missing = Vec::new();
        let geo = &mut self.geo;
        for f in geo
            .ranges
            .iter_mut()
            .chain(geo.geoip.iter_mut())
            .chain(geo.asn_csv.iter_mut())
        {
            if f.path.is_some() {
                continue;
            }
            let found = dirs
                .iter()
                .map(|d| d.join(&f.name))
                .find(|p| p.is_file() && file_digest(p) == f.sha256);
            match found {
                Some(p) => f.path = Some(p),
                None => missing.push(format!("{} (sha256 {})", f.name, f.sha256)),
            }
        }
        missing
    }

    /// What the probes are given that affects their results, as recorded in `run-begin`
    /// (with the probes, their versions and the timeouts, which the scan adds) and compared
    /// on `--resume`.
    pub fn probe_options(&self, geo_sources: &[probes::GeoSource]) -> serde_json::Value {
        let mut options = serde_json::json!({
            "samples": self.samples,
            "connect_timeout_ms": self.connect_timeout_ms,
            "read_timeout_ms": self.read_timeout_ms,
            "jarm": self.jarm,
            "trust_stores": self.trust_stores.iter().map(|s| serde_json::json!({
                "name": s.name,
                "sha256": crate::evidence::sha256_hex(s.pem.as_bytes()),
            })).collect::<Vec<_>>(),
            "caa_identifiers": self.caa_identifiers
                .iter()
                .map(|c| serde_json::json!({"organization": c.organization, "identifiers": c.identifiers}))
                .collect::<Vec<_>>(),
            "resolvers": self.resolvers,
            "dnssec_anchors": self.dnssec_anchors.as_ref().map(|a| crate::evidence::sha256_hex(a.text.as_bytes())),
            "dns_timeout_ms": self.dns_timeout_ms,
            "geo_sources": serde_json::to_value(geo_sources).unwrap_or_default(),
        });
        // Only when it runs, so the options of runs without it are unchanged.
        if self.runs(ProbeId::RouteTrace.as_str())
            && let Some(o) = options.as_object_mut()
        {
            o.insert(
                "route".into(),
                serde_json::to_value(&self.route).unwrap_or_default(),
            );
        }
        options
    }
}

/// Parse `IP` or `IP:PORT` (port 53 by default).
pub fn parse_resolver(r: &str) -> Result<std::net::SocketAddr, ConfigError> {
    r.parse::<std::net::SocketAddr>()
        .or_else(|_| {
            r.parse::<std::net::IpAddr>()
                .map(|ip| std::net::SocketAddr::new(ip, 53))
        })
        .map_err(|_| {
            ConfigError(format!(
                "invalid --resolver {r:?}: expected IP or IP:PORT such as 127.0.0.1:5353 or \
                 [::1]:53"
            ))
        })
}

/// Parse `ORGANISATION=DOMAIN` into `list` (one entry per organisation).
pub fn add_caa_identifier(list: &mut Vec<CaaIdentifier>, spec: &str) -> Result<(), ConfigError> {
    let Some((org, domain)) = spec
        .split_once('=')
        .filter(|(o, d)| !o.trim().is_empty() && !d.trim().is_empty())
    else {
        return Err(ConfigError(format!(
            "invalid --caa-identifier `{spec}`: expected ORGANISATION=DOMAIN, e.g. \
             \"Example Trust KK=ca.example.jp\""
        )));
    };
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    match list
        .iter_mut()
        .find(|e| e.organization.eq_ignore_ascii_case(org.trim()))
    {
        Some(e) => e.identifiers.push(domain),
        None => list.push(CaaIdentifier {
            organization: org.trim().to_owned(),
            identifiers: vec![domain],
        }),
    }
    Ok(())
}

/// Where Debian, Fedora/RHEL, openSUSE and Alpine keep the system's CA bundle.
pub const OS_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// Read a `--trust-store` spec (`NAME=FILE`, or `os` for the system bundle) into a
/// [`PemStore`], checking that it parses.
pub fn trust_store_from_spec(spec: &str) -> Result<PemStore, ConfigError> {
    let (name, path) = if spec == "os" {
        let Some(path) = OS_BUNDLES.iter().find(|p| Path::new(p).is_file()) else {
            return Err(ConfigError(format!(
                "--trust-store os: no system CA bundle found (looked in {})",
                OS_BUNDLES.join(", ")
            )));
        };
        ("os".to_owned(), PathBuf::from(path))
    } else {
        match spec
            .split_once('=')
            .filter(|(n, p)| !n.is_empty() && !p.is_empty())
        {
            Some((n, p)) => (n.to_owned(), PathBuf::from(p)),
            // The store crate's own message for a malformed spec.
            None => {
                let why = kensa_probe_x509::TrustStore::from_spec(spec)
                    .err()
                    .map_or_else(|| "expected NAME=FILE or os".to_owned(), |e| e.to_string());
                return Err(ConfigError(format!("--trust-store {spec}: {why}")));
            }
        }
    };
    let bytes = std::fs::read(&path).map_err(|e| {
        let err = kensa_probe_x509::Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if spec == "os" {
            ConfigError(format!(
                "--trust-store os: cannot read {}: {e}",
                path.display()
            ))
        } else {
            ConfigError(format!("--trust-store {spec}: {err}"))
        }
    })?;
    kensa_probe_x509::TrustStore::from_pem(&name, &bytes).map_err(|e| {
        if spec == "os" {
            ConfigError(format!("--trust-store os ({}): {e}", path.display()))
        } else {
            ConfigError(format!("--trust-store {spec}: {e}"))
        }
    })?;
    Ok(PemStore {
        name,
        pem: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// kensa's data directory: `given`, `$KENSA_DATA_DIR`, `$XDG_DATA_HOME/kensa`, or
/// `~/.local/share/kensa`.
pub fn data_dir(given: Option<&Path>) -> PathBuf {
    if let Some(d) = given {
        return d.to_owned();
    }
    if let Some(d) = std::env::var_os("KENSA_DATA_DIR").filter(|v| !v.is_empty()) {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(d).join("kensa");
    }
    std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".local/share/kensa"))
        .unwrap_or_else(|| PathBuf::from(".kensa"))
}

/// A path's file name (evidence names no directories).
pub fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// SHA-256 (hex) of a file's content, or `unreadable`. Streamed: a geolocation database of
/// tens of megabytes is hashed without being held in memory (it is opened again to load).
pub fn file_digest(path: &Path) -> String {
    use std::io::Read as _;
    let digest = || -> std::io::Result<String> {
        let mut file = std::fs::File::open(path)?;
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            ctx.update(buf.get(..n).unwrap_or_default());
        }
        Ok(crate::evidence::hex(ctx.finish().as_ref()))
    };
    digest().unwrap_or_else(|_| "unreadable".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json_and_refuses_unknown_fields() {
        let mut c = ScanConfig {
            probes: vec!["tls.scan".into()],
            resolvers: vec!["127.0.0.1:5353".into()],
            ..ScanConfig::default()
        };
        c.geo.ranges.push(DataFile {
            name: "feed.csv".into(),
            sha256: "ab".into(),
            path: Some(PathBuf::from("/somewhere/feed.csv")),
        });
        let text = serde_json::to_string(&c).unwrap();
        assert!(!text.contains("/somewhere"), "{text}");
        let back = ScanConfig::from_json(&text).unwrap();
        assert_eq!(back.probes, c.probes);
        assert_eq!(back.geo.ranges[0].path, None);
        assert!(ScanConfig::from_json(r#"{"probez": []}"#).is_err());
        assert!(ScanConfig::from_json(r#"{"probes": ["tls.scna"]}"#).is_err());
        assert!(ScanConfig::from_json(r#"{"samples": 0}"#).is_err());
        assert!(ScanConfig::from_json(r#"{"resolvers": ["nope"]}"#).is_err());
    }
}

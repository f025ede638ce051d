//! `kensa geodb update`: fetch the redistributable default databases from the npm registry
//! into kensa's data directory, verified.
//!
//! - `@ip-location-db/geo-whois-asn-country-mmdb` (package CC0-1.0; data CC BY 4.0 by the NRO,
//!   attribution in `NOTICE`): `geo-whois-asn-country.mmdb`, flat `country_code` layout, IPv4
//!   and IPv6 in one file;
//! - `@ip-location-db/asn` (CC BY 4.0: RouteViews, DB-IP, NRO): `asn-ipv4.csv`, `asn-ipv6.csv`
//!   (`start,end,asn,org`).
//!
//! Transport: every URL fetched (the registry, each tarball, and any redirect the product
//! client follows) must be `https://`; plain `http://` is accepted only to a loopback IP
//! address (127.0.0.0/8, `::1`), where tests run their registry ([`check_transport`]).
//!
//! Steps per package: GET `{registry}/{name}/latest` (the name's `/` escaped as `%2f`), read
//! `version`, `dist.tarball` and `dist.integrity` (SRI, `sha512-BASE64`); refuse a tarball URL
//! outside the registry's origin; download (at most 256 MiB); check the sha512; unpack the
//! gzip'd tar in memory (entries at most 256 MiB, 1 GiB in all; only regular files; any path
//! that is absolute or climbs with `..` fails the update); check every kept file (the `.mmdb`
//! opens with a known layout, the CSVs parse); only then write each file to a temporary name
//! in the data directory and rename it into place, and finally rewrite `manifest.json` the
//! same way. A failure at any step before the renames leaves the directory untouched.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::asn::AsnTable;
use crate::mmdb::{GeoDb, rfc3339};

/// The public npm registry.
pub const NPM_REGISTRY: &str = "https://registry.npmjs.org";
/// Largest tarball or unpacked file accepted: 256 MiB.
pub const MAX_DOWNLOAD_BYTES: u64 = 256 * 1024 * 1024;
/// Largest total of unpacked bytes read from one tarball: 1 GiB.
pub const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;
/// Largest registry metadata document: 4 MiB.
pub const MAX_METADATA_BYTES: u64 = 4 * 1024 * 1024;

/// What a kept file must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileCheck {
    /// A `.mmdb` with a layout this crate reads.
    Mmdb,
    /// An ASN CSV (`start,end,asn,org`).
    AsnCsv,
    /// Text kept for attribution (licence, README).
    Text,
}

/// An npm package to fetch, and which of its files to keep.
#[derive(Clone, Copy, Debug)]
pub struct Package {
    /// The package name, e.g. `@ip-location-db/asn`.
    pub name: &'static str,
    /// Files under `package/` to keep, and how to check each. Every one must be present.
    pub keep: &'static [(&'static str, FileCheck)],
}

/// The default country database.
pub const COUNTRY_PACKAGE: Package = Package {
    name: "@ip-location-db/geo-whois-asn-country-mmdb",
    keep: &[
        ("geo-whois-asn-country.mmdb", FileCheck::Mmdb),
        ("NRO_LICENSE", FileCheck::Text),
    ],
};

/// The default ASN table.
pub const ASN_PACKAGE: Package = Package {
    name: "@ip-location-db/asn",
    keep: &[
        ("asn-ipv4.csv", FileCheck::AsnCsv),
        ("asn-ipv6.csv", FileCheck::AsnCsv),
        ("NRO_LICENSE", FileCheck::Text),
        ("DBIP-LICENSE", FileCheck::Text),
        ("ROUTEVIEWS-LICENSE", FileCheck::Text),
    ],
};

/// The packages `kensa geodb update` fetches.
pub const DEFAULT_PACKAGES: [Package; 2] = [COUNTRY_PACKAGE, ASN_PACKAGE];

/// One file written to the data directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The file's name in the data directory (`<package dir>/<name>`).
    pub path: String,
    /// Size, bytes.
    pub bytes: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}

/// One package as installed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageRecord {
    /// The npm package name.
    pub package: String,
    /// Its version.
    pub version: String,
    /// The tarball URL fetched.
    pub tarball: String,
    /// The registry's integrity string that the tarball matched (SRI, `sha512-…`).
    pub integrity: String,
    /// When it was fetched, RFC 3339.
    pub fetched_at: String,
    /// The files kept.
    pub files: Vec<FileRecord>,
}

/// `manifest.json` of the data directory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Installed packages.
    pub packages: Vec<PackageRecord>,
}

impl Manifest {
    /// Read `dir/manifest.json` (an empty manifest when there is none).
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let p = dir.join("manifest.json");
        if !p.exists() {
            return Ok(Self::default());
        }
        let b = crate::prefix::read_bounded(&p, MAX_METADATA_BYTES)?;
        serde_json::from_slice(&b).map_err(|e| Error::Parse {
            file: p.display().to_string(),
            location: format!("line {} column {}", e.line(), e.column()),
            message: e.to_string(),
        })
    }

    /// The files of the default databases, when installed: (country `.mmdb`, ASN CSVs).
    pub fn default_files(&self, dir: &Path) -> (Option<PathBuf>, Vec<PathBuf>) {
        let mut mmdb = None;
        let mut csv = Vec::new();
        for p in &self.packages {
            for f in &p.files {
                if f.path.ends_with(".mmdb") {
                    mmdb = Some(dir.join(&f.path));
                } else if f.path.ends_with(".csv") {
                    csv.push(dir.join(&f.path));
                }
            }
        }
        (mmdb, csv)
    }
}

#[derive(Deserialize)]
struct NpmLatest {
    version: String,
    dist: NpmDist,
}

#[derive(Deserialize)]
struct NpmDist {
    tarball: String,
    integrity: Option<String>,
}

fn dl(message: String) -> Error {
    Error::Download { message }
}

/// An error and its chain of causes, `: `-separated (reqwest's own text omits the cause).
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Whether `url` may be fetched: `https://`, or `http://` to a loopback IP literal
/// (127.0.0.0/8 or `::1`; names such as `localhost` are not resolved, so they do not count).
/// Anything else, or a URL that does not parse, is [`Error::Insecure`].
pub fn check_transport(url: &str) -> Result<(), Error> {
    let insecure = || Error::Insecure {
        url: url.to_owned(),
    };
    let u = reqwest::Url::parse(url).map_err(|_| insecure())?;
    match u.scheme() {
        "https" => Ok(()),
        "http" => {
            let host = u.host_str().unwrap_or_default();
            let host = host
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .unwrap_or(host);
            match host.parse::<std::net::IpAddr>() {
                Ok(ip) if ip.is_loopback() => Ok(()),
                _ => Err(insecure()),
            }
        }
        _ => Err(insecure()),
    }
}

/// An HTTPS client for kensa's own downloads and webhooks: rustls with the ring provider,
/// trusting the operating system's certificate store (rustls-native-certs: also `SSL_CERT_FILE`
/// and `SSL_CERT_DIR`), or Mozilla's roots (webpki-roots) when the system has none.
/// It follows at most 5 redirects, each to a URL [`check_transport`] accepts.
pub fn client() -> Result<reqwest::Client, Error> {
    client_with_roots(&[])
}

/// As [`client`], also trusting the CA certificates of `extra_roots_pem` (PEM bundles, e.g.
/// a TLS-inspecting proxy's CA; the package integrity check still applies).
pub fn client_with_roots(extra_roots_pem: &[&[u8]]) -> Result<reqwest::Client, Error> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    // kensa's own connections trust the operating system's store (where an organisation puts
    // its TLS-inspecting proxy's CA), as other Rust tools do; Mozilla's roots when the system
    // has none. Judging targets never uses this store.
    let native = rustls_native_certs::load_native_certs();
    let (added, _ignored) = roots.add_parsable_certificates(native.certs);
    if added == 0 {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    for pem in extra_roots_pem {
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| dl(format!("extra root certificates: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| dl(format!("extra root certificate: {e}")))?;
        }
    }
    let cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| dl(format!("TLS configuration: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let redirects = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= 5 {
            attempt.error("more than 5 redirects")
        } else if check_transport(attempt.url().as_str()).is_err() {
            attempt.error("redirect to a URL that is not HTTPS")
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .tls_backend_preconfigured(cfg)
        .redirect(redirects)
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(300))
        .user_agent(concat!("kensa/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| dl(format!("HTTP client: {e}")))
}

async fn get_bounded(client: &reqwest::Client, url: &str, cap: u64) -> Result<Vec<u8>, Error> {
    let mut resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| dl(format!("GET {url}: {}", chain(&e))))?;
    if !resp.status().is_success() {
        return Err(dl(format!("GET {url}: HTTP {}", resp.status())));
    }
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(dl(format!("GET {url}: larger than {cap} bytes")));
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| dl(format!("GET {url}: {}", chain(&e))))?
    {
        if out.len() as u64 + chunk.len() as u64 > cap {
            return Err(dl(format!("GET {url}: larger than {cap} bytes")));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Check `data` against an SRI integrity string: at least one `sha512-BASE64` token, and the
/// digest must equal one of them.
pub fn check_integrity(data: &[u8], integrity: &str) -> Result<(), Error> {
    let digest = ring::digest::digest(&ring::digest::SHA512, data);
    let mut saw = false;
    for tok in integrity.split_whitespace() {
        let Some(b64) = tok.strip_prefix("sha512-") else {
            continue;
        };
        saw = true;
        let b64 = b64.split('?').next().unwrap_or(b64);
        if let Ok(want) = base64::engine::general_purpose::STANDARD.decode(b64)
            && want.as_slice() == digest.as_ref()
        {
            return Ok(());
        }
    }
    Err(Error::Integrity {
        message: if saw {
            format!(
                "sha512 of the download is {}, not the {integrity} the registry published",
                base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
            )
        } else {
            format!("the registry published no sha512 integrity ({integrity:?})")
        },
    })
}

/// Unpack the wanted regular files of a `.tgz` into memory: `package/NAME` → bytes.
pub fn unpack(tgz: &[u8], wanted: &[&str]) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let arch = |m: String| Error::Archive { message: m };
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(tgz));
    let mut total: u64 = 0;
    let mut out = Vec::new();
    for entry in archive
        .entries()
        .map_err(|e| arch(format!("reading tar: {e}")))?
    {
        let mut entry = entry.map_err(|e| arch(format!("reading tar: {e}")))?;
        let path = entry
            .path()
            .map_err(|e| arch(format!("entry path: {e}")))?
            .into_owned();
        for c in path.components() {
            if !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            ) {
                return Err(arch(format!(
                    "entry {} leaves the package directory",
                    path.display()
                )));
            }
        }
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let size = entry.size();
        if size > MAX_DOWNLOAD_BYTES {
            return Err(arch(format!("entry {} is {size} bytes", path.display())));
        }
        let mut comps = path
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir));
        let (Some(_top), Some(name), None) = (comps.next(), comps.next(), comps.next()) else {
            continue;
        };
        let name = name.as_os_str().to_string_lossy().into_owned();
        if !wanted.contains(&name.as_str()) {
            continue;
        }
        total = total.saturating_add(size);
        if total > MAX_UNPACKED_BYTES {
            return Err(arch("more than 1 GiB unpacked".into()));
        }
        let mut buf = Vec::new();
        (&mut entry)
            .take(MAX_DOWNLOAD_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| arch(format!("entry {}: {e}", path.display())))?;
        if buf.len() as u64 > MAX_DOWNLOAD_BYTES {
            return Err(arch(format!("entry {} is too large", path.display())));
        }
        out.push((name, buf));
    }
    Ok(out)
}

fn sha256_hex(data: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The directory a package's files go to inside the data directory (`@a/b` → `a-b`).
pub fn package_dir(name: &str) -> String {
    name.trim_start_matches('@').replace('/', "-")
}

fn write_atomic(path: &Path, data: &[u8]) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source: Arc::new(e),
    };
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    {
        use std::io::Write as _;
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(data).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// Fetch, verify and install `packages` from `registry` (e.g. [`NPM_REGISTRY`], or a loopback
/// server in tests) into `dir`; `now` stamps `fetched_at`. Returns the new manifest.
/// A registry that [`check_transport`] refuses (not HTTPS, and not loopback) fails with
/// [`Error::Insecure`] before anything is fetched.
pub async fn update(
    dir: &Path,
    client: &reqwest::Client,
    registry: &str,
    packages: &[Package],
    now: SystemTime,
) -> Result<Manifest, Error> {
    let registry = registry.trim_end_matches('/');
    check_transport(registry)?;
    // Fetch and verify everything first; write nothing until all packages passed.
    let mut staged = Vec::new();
    for pkg in packages {
        let url = format!("{registry}/{}/latest", pkg.name.replace('/', "%2f"));
        let meta = get_bounded(client, &url, MAX_METADATA_BYTES).await?;
        let meta: NpmLatest = serde_json::from_slice(&meta)
            .map_err(|e| dl(format!("{url}: not npm metadata: {e}")))?;
        if !meta.dist.tarball.starts_with(&format!("{registry}/")) {
            return Err(dl(format!(
                "{url}: tarball {} is outside the registry {registry}",
                meta.dist.tarball
            )));
        }
        check_transport(&meta.dist.tarball)?;
        let integrity = meta.dist.integrity.ok_or_else(|| Error::Integrity {
            message: format!("{url}: no dist.integrity"),
        })?;
        let tgz = get_bounded(client, &meta.dist.tarball, MAX_DOWNLOAD_BYTES).await?;
        check_integrity(&tgz, &integrity)?;
        let wanted: Vec<&str> = pkg.keep.iter().map(|(n, _)| *n).collect();
        let files = unpack(&tgz, &wanted)?;
        for (name, check) in pkg.keep {
            let Some((_, data)) = files.iter().find(|(n, _)| n == name) else {
                return Err(Error::Archive {
                    message: format!("{} {}: no package/{name}", pkg.name, meta.version),
                });
            };
            match check {
                FileCheck::Mmdb => {
                    GeoDb::from_bytes(name, data.clone())?;
                }
                FileCheck::AsnCsv => {
                    AsnTable::new().load_bytes(name, data)?;
                }
                FileCheck::Text => {}
            }
        }
        staged.push((pkg, meta.version, meta.dist.tarball, integrity, files));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::Io {
        path: dir.display().to_string(),
        source: Arc::new(e),
    })?;
    let mut manifest = Manifest::load(dir)?;
    let fetched_at = rfc3339(
        now.duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    );
    for (pkg, version, tarball, integrity, files) in staged {
        let sub = package_dir(pkg.name);
        let pdir = dir.join(&sub);
        std::fs::create_dir_all(&pdir).map_err(|e| Error::Io {
            path: pdir.display().to_string(),
            source: Arc::new(e),
        })?;
        let mut recs = Vec::new();
        for (name, data) in &files {
            write_atomic(&pdir.join(name), data)?;
            recs.push(FileRecord {
                path: format!("{sub}/{name}"),
                bytes: data.len() as u64,
                sha256: sha256_hex(data),
            });
        }
        manifest.packages.retain(|p| p.package != pkg.name);
        manifest.packages.push(PackageRecord {
            package: pkg.name.to_owned(),
            version,
            tarball,
            integrity,
            fetched_at: fetched_at.clone(),
            files: recs,
        });
    }
    manifest.packages.sort_by(|a, b| a.package.cmp(&b.package));
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| dl(format!("manifest: {e}")))?;
    write_atomic(&dir.join("manifest.json"), &json)?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_forms() {
        let d = ring::digest::digest(&ring::digest::SHA512, b"abc");
        let good = format!(
            "sha512-{}",
            base64::engine::general_purpose::STANDARD.encode(d.as_ref())
        );
        assert!(check_integrity(b"abc", &good).is_ok());
        assert!(check_integrity(b"abd", &good).is_err());
        assert!(check_integrity(b"abc", "sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=").is_err());
        assert!(check_integrity(b"abc", &format!("sha256-xx {good}")).is_ok());
        assert_eq!(package_dir("@ip-location-db/asn"), "ip-location-db-asn");
    }

    #[test]
    fn only_https_or_loopback_http_is_fetched() {
        for ok in [
            "https://registry.npmjs.org",
            "https://registry.npmjs.org/@ip-location-db%2fasn/latest",
            "http://127.0.0.1:4873",
            "http://127.8.9.10/x.tgz",
            "http://[::1]:4873/",
        ] {
            assert!(check_transport(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://registry.npmjs.org",
            "http://localhost:4873",
            "http://192.0.2.1/",
            "http://[2001:db8::1]/",
            "ftp://127.0.0.1/",
            "registry.npmjs.org",
            "",
        ] {
            let e = check_transport(bad).unwrap_err();
            assert!(
                matches!(&e, Error::Insecure { url } if url == bad),
                "{bad}: {e}"
            );
            assert_eq!(e.outcome(), kensa_probe::Outcome::NotAllowed);
        }
    }
}

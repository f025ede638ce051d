//! `geodb::update` against a loopback registry: a fake npm metadata document and tarballs
//! built here. No traffic leaves 127.0.0.1.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use kensa_probe_geo::Error;
use kensa_probe_geo::geodb::{self, FileCheck, Manifest, Package};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PKG: Package = Package {
    name: "@example/geo-mmdb",
    keep: &[
        ("geo.mmdb", FileCheck::Mmdb),
        ("asn-ipv4.csv", FileCheck::AsnCsv),
        ("LICENSE", FileCheck::Text),
    ],
};
const TARBALL_PATH: &str = "/@example/geo-mmdb/-/geo-mmdb-1.2.3.tgz";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/geo")
            .join(name),
    )
    .unwrap()
}

fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (path, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        // Write the name bytes directly so that even `..` paths can be built.
        let name = path.as_bytes();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

fn sri(data: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA512, data);
    format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(d.as_ref())
    )
}

fn good_tarball(mmdb: &[u8]) -> Vec<u8> {
    tgz(&[
        ("package/package.json", b"{}"),
        ("package/geo.mmdb", mmdb),
        (
            "package/asn-ipv4.csv",
            b"192.0.2.0,192.0.2.255,64501,\"Example, Ltd\"\n",
        ),
        ("package/LICENSE", b"CC BY 4.0"),
        ("package/ignored.bin", b"xx"),
    ])
}

/// An HTTP/1.1 server on 127.0.0.1 serving the npm metadata (naming `tarball_url`, or the
/// server's own tarball path) and the tarball. At most 16 connections, then it stops.
async fn registry(tarball: Vec<u8>, integrity: String, tarball_url: Option<&str>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let url = tarball_url.map_or_else(|| format!("{base}{TARBALL_PATH}"), str::to_owned);
    let meta = serde_json::json!({
        "name": PKG.name, "version": "1.2.3",
        "dist": { "tarball": url, "integrity": integrity, "shasum": "unused" }
    });
    let routes: Arc<HashMap<String, Vec<u8>>> = Arc::new(HashMap::from([
        (
            "/@example%2fgeo-mmdb/latest".to_owned(),
            serde_json::to_vec(&meta).unwrap(),
        ),
        (TARBALL_PATH.to_owned(), tarball),
    ]));
    tokio::spawn(async move {
        for _ in 0..16 {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let routes = Arc::clone(&routes);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut n = 0;
                while n < buf.len() && !buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut buf[n..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => n += k,
                    }
                }
                let req = String::from_utf8_lossy(&buf[..n]).into_owned();
                let path = req.split_whitespace().nth(1).unwrap_or("/");
                let (status, body) = match routes.get(path) {
                    Some(b) => ("200 OK", b.clone()),
                    None => ("404 Not Found", b"not found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(head.as_bytes()).await;
                let _ = s.write_all(&body).await;
                let _ = s.shutdown().await;
            });
        }
    });
    base
}

/// The product's client shape (ring, preconfigured rustls), without environment proxies so
/// the test stays on loopback.
fn client() -> reqwest::Client {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    reqwest::Client::builder()
        .no_proxy()
        .tls_backend_preconfigured(cfg)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

fn hex_sha256(d: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, d)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn product_client_builds_without_a_default_provider() {
    geodb::client().unwrap();
}

#[tokio::test]
async fn installs_a_verified_package_and_its_manifest() {
    let mmdb = fixture("flat-country.mmdb");
    let tar = good_tarball(&mmdb);
    let integrity = sri(&tar);
    let base = registry(tar, integrity.clone(), None).await;
    let dir = tempfile::tempdir().unwrap();
    let m = geodb::update(dir.path(), &client(), &base, &[PKG], now())
        .await
        .unwrap();
    let p = &m.packages[0];
    assert_eq!(
        (p.package.as_str(), p.version.as_str()),
        ("@example/geo-mmdb", "1.2.3")
    );
    assert_eq!(p.integrity, integrity);
    assert_eq!(p.fetched_at, "2027-01-15T08:00:00Z");
    let names: Vec<_> = p.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        names,
        [
            "example-geo-mmdb/geo.mmdb",
            "example-geo-mmdb/asn-ipv4.csv",
            "example-geo-mmdb/LICENSE"
        ]
    );
    assert_eq!(
        std::fs::read(dir.path().join("example-geo-mmdb/geo.mmdb")).unwrap(),
        mmdb
    );
    assert_eq!(p.files[0].sha256, hex_sha256(&mmdb));
    assert!(!dir.path().join("example-geo-mmdb/ignored.bin").exists());
    assert_eq!(Manifest::load(dir.path()).unwrap(), m);
    let (db, csv) = m.default_files(dir.path());
    assert!(db.unwrap().ends_with("geo.mmdb") && csv.len() == 1);
    // No temporary files left behind.
    for e in std::fs::read_dir(dir.path().join("example-geo-mmdb")).unwrap() {
        assert!(!e.unwrap().file_name().to_string_lossy().starts_with('.'));
    }
}

#[tokio::test]
async fn wrong_integrity_is_rejected_and_nothing_is_replaced() {
    // A first, good install.
    let old = fixture("flat-country.mmdb");
    let tar = good_tarball(&old);
    let base = registry(tar.clone(), sri(&tar), None).await;
    let dir = tempfile::tempdir().unwrap();
    geodb::update(dir.path(), &client(), &base, &[PKG], now())
        .await
        .unwrap();
    let manifest_before = std::fs::read(dir.path().join("manifest.json")).unwrap();

    // The registry now serves a different database under the old integrity.
    let new_tar = good_tarball(&fixture("geoip2-country.mmdb"));
    let base = registry(new_tar, sri(&tar), None).await;
    let later = now() + Duration::from_secs(86_400);
    let e = geodb::update(dir.path(), &client(), &base, &[PKG], later)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Integrity { .. }), "{e}");
    assert_eq!(
        std::fs::read(dir.path().join("example-geo-mmdb/geo.mmdb")).unwrap(),
        old
    );
    assert_eq!(
        std::fs::read(dir.path().join("manifest.json")).unwrap(),
        manifest_before
    );

    // No sha512 published at all.
    let base = registry(tar.clone(), "sha1-AAAA".into(), None).await;
    let e = geodb::update(dir.path(), &client(), &base, &[PKG], later)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Integrity { .. }), "{e}");
}

#[tokio::test]
async fn unsafe_or_incomplete_packages_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Path traversal.
    let evil = tgz(&[
        ("package/../../evil", b"x"),
        ("package/geo.mmdb", &fixture("flat-country.mmdb")),
    ]);
    let base = registry(evil.clone(), sri(&evil), None).await;
    let e = geodb::update(dir.path(), &client(), &base, &[PKG], now())
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Archive { .. }) && e.to_string().contains("leaves"),
        "{e}"
    );
    // A kept file missing.
    let short = tgz(&[("package/geo.mmdb", &fixture("flat-country.mmdb"))]);
    let base = registry(short.clone(), sri(&short), None).await;
    let e = geodb::update(dir.path(), &client(), &base, &[PKG], now())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("no package/asn-ipv4.csv"), "{e}");
    // A database of unknown layout.
    let bad = good_tarball(&fixture("unknown-layout.mmdb"));
    let base = registry(bad.clone(), sri(&bad), None).await;
    let e = geodb::update(dir.path(), &client(), &base, &[PKG], now())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::UnknownLayout { .. }), "{e}");
    // A tarball outside the registry.
    let tar = good_tarball(&fixture("flat-country.mmdb"));
    let base = registry(tar.clone(), sri(&tar), Some("http://127.0.0.2:9/x.tgz")).await;
    let e = geodb::update(dir.path(), &client(), &base, &[PKG], now())
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Download { .. }) && e.to_string().contains("outside"),
        "{e}"
    );
    // Not found.
    let e = geodb::update(
        dir.path(),
        &client(),
        &base,
        &[Package {
            name: "@example/none",
            keep: &[],
        }],
        now(),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("404"), "{e}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

/// `kensa geodb update` fetches over HTTPS only: a plain-http registry is refused before any
/// request, unless it is a loopback address (as every test above uses).
#[tokio::test]
async fn a_registry_that_is_not_https_is_refused_unless_loopback() {
    let dir = tempfile::tempdir().unwrap();
    for reg in [
        "http://registry.npmjs.org",
        "http://192.0.2.1:4873",
        "http://localhost:4873",
        "ftp://127.0.0.1",
    ] {
        let e = geodb::update(dir.path(), &client(), reg, &[PKG], now())
            .await
            .unwrap_err();
        assert!(matches!(&e, Error::Insecure { url } if url == reg), "{e}");
        assert_eq!(
            e.to_string(),
            format!(
                "geodb update: {reg}: not HTTPS; only https:// URLs are fetched (http:// only \
                 to a loopback address such as 127.0.0.1)"
            )
        );
        assert_eq!(e.outcome(), kensa_probe::Outcome::NotAllowed);
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written"
    );
    // The same package from a loopback registry installs.
    let tar = good_tarball(&fixture("flat-country.mmdb"));
    let base = registry(tar.clone(), sri(&tar), None).await;
    assert!(base.starts_with("http://127.0.0.1:"));
    let m = geodb::update(dir.path(), &client(), &base, &[PKG], now())
        .await
        .unwrap();
    assert_eq!(m.packages[0].version, "1.2.3");
}

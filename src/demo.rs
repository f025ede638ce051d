//! `kensa demo`: a lab of sample providers on loopback, scanned, assessed and reported.
//!
//! The lab runs in process, on loopback addresses only (127.0.N.x per provider), on its own
//! runtime thread: a DNS server for the providers' zones (two of them DNSSEC-signed with keys
//! made at start-up), rustls servers with distinct postures for certificates of a throw-away
//! CA, and geolocation databases and a provider geofeed (RFC 8805) for the lab's addresses.
//! The scan then goes through exactly the path of `kensa scan` — the catalog, `--resolver`
//! pointing at the lab's DNS server (never the system resolver), `--trust-store`, `--geoip`,
//! `--ranges`, `--vantage` — and the evidence is assessed with every built-in profile and
//! rendered as the HTML report. Nothing leaves loopback; nothing needs the network.
//!
//! | provider | posture |
//! |---|---|
//! | `sora` | modern: TLS 1.3 + 1.2 AEAD, X25519MLKEM768 first, HSTS, DNSSEC, CAA, in Japan |
//! | `kawa` | TLS 1.2 only, client's suite order, no HSTS, 800-day certificate, unsigned zone |
//! | `hoshi` | expired certificate for another name |
//! | `umi` | modern, but the geolocation database places its addresses in the US |
//! | `tsuki` | a signed declaration (`lab/declarations/tsuki.toml`) that the evidence contradicts: an undeclared country (Singapore), CA (the lab's) and CDN (by its ASN) |

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use clap::Args;
use kensa_lab::dns::{DnsLab, Signing, Zone};
use kensa_lab::geo::Network;
use kensa_lab::pki::{LeafSpec, Pki};
use kensa_lab::tls::{Posture, TlsServer};
use rustls::crypto::ring::{cipher_suite as cs, kx_group};
use time::OffsetDateTime;

use crate::assess::grade::{self, Assessment};
use crate::assess::profile::Library;

/// Arguments of `kensa demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the lab's files, the run and the report (default `runs/demo-<run id>`);
    /// must not exist yet.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The run database to record the demo run in (default: $KENSA_DB, else DIR/kensa.db):
    /// two demos into one database build a history (`kensa history sora`, `kensa diff`).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Then keep the lab running and serve the dashboard over the demo's run database
    /// (`kensa serve`), printing a one-time admin token; Ctrl-C stops.
    #[arg(long)]
    pub serve: bool,
    /// With --serve: the address to listen on.
    #[arg(
        long,
        default_value = "127.0.0.1:8080",
        value_name = "ADDR:PORT",
        requires = "serve"
    )]
    pub listen: SocketAddr,
}

/// Why the demo could not run.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The lab could not start.
    #[error("the demo lab could not start: {0}")]
    Lab(String),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The scan failed.
    #[error("the demo scan failed: {0}")]
    Scan(String),
    /// The assessment or report failed.
    #[error("the demo assessment failed: {0}")]
    Assess(String),
    /// The run database cannot be used or could not record the run.
    #[error("the demo's run database: {0}")]
    Database(String),
}

/// One sample provider of the lab.
struct Sample {
    id: &'static str,
    name: &'static str,
    applies_for: &'static str,
    /// Third octet of its loopback addresses (127.0.N.x).
    net: u8,
    signed: bool,
    caa: bool,
    hosts: &'static [&'static str],
    posture: fn() -> Posture,
    /// Staple a fresh OCSP response.
    staple: bool,
    /// (names on the certificate, days valid before now, days valid after now)
    cert: fn(&str) -> (Vec<String>, i64, i64),
    geo: (&'static str, &'static str, f64, f64, u32, &'static str),
    geofeed: Option<&'static str>,
}

fn modern() -> Posture {
    Posture {
        versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
        suites: vec![
            cs::TLS13_AES_256_GCM_SHA384,
            cs::TLS13_AES_128_GCM_SHA256,
            cs::TLS13_CHACHA20_POLY1305_SHA256,
            cs::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            cs::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ],
        groups: vec![
            kensa_lab::pq::X25519MLKEM768,
            kx_group::X25519,
            kx_group::SECP256R1,
        ],
        server_order: true,
        headers: vec![
            (
                "Strict-Transport-Security".into(),
                "max-age=63072000; includeSubDomains; preload".into(),
            ),
            ("X-Content-Type-Options".into(), "nosniff".into()),
            ("X-Frame-Options".into(), "DENY".into()),
            (
                "Content-Security-Policy".into(),
                "default-src 'self'".into(),
            ),
            ("Referrer-Policy".into(), "no-referrer".into()),
        ],
        ocsp: None,
    }
}

fn tls12_only() -> Posture {
    Posture {
        versions: vec![&rustls::version::TLS12],
        suites: vec![
            cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            cs::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            cs::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ],
        groups: vec![kx_group::SECP256R1, kx_group::X25519],
        server_order: false,
        headers: vec![("Server".into(), "kawa-httpd/2.4".into())],
        ocsp: None,
    }
}

const SAMPLES: &[Sample] = &[
    Sample {
        id: "sora",
        name: "Sora Cloud KK",
        applies_for: "kensa-level-3",
        net: 1,
        signed: true,
        caa: true,
        hosts: &["www", "api"],
        posture: modern,
        staple: true,
        cert: |host| (vec![host.to_owned()], 10, 80),
        geo: ("JP", "Tokyo", 35.68, 139.69, 64601, "Sora Cloud KK"),
        geofeed: Some("JP,JP-13,Tokyo"),
    },
    Sample {
        id: "kawa",
        name: "Kawa Networks",
        applies_for: "kensa-level-2",
        net: 2,
        signed: false,
        caa: false,
        hosts: &["www"],
        posture: tls12_only,
        staple: false,
        cert: |host| (vec![host.to_owned()], 100, 700),
        geo: ("JP", "Osaka", 34.69, 135.50, 64602, "Kawa Networks KK"),
        geofeed: Some("JP,JP-27,Osaka"),
    },
    Sample {
        id: "hoshi",
        name: "Hoshi Hosting",
        applies_for: "kensa-level-1",
        net: 3,
        signed: false,
        caa: false,
        hosts: &["www"],
        posture: modern,
        staple: false,
        cert: |host| {
            let other = host.replacen("www.", "portal.", 1);
            (vec![other], 400, -20)
        },
        geo: ("JP", "Fukuoka", 33.59, 130.40, 64603, "Hoshi Hosting GK"),
        geofeed: None,
    },
    Sample {
        id: "umi",
        name: "Umi Global",
        applies_for: "kensa-level-3",
        net: 4,
        signed: true,
        caa: true,
        hosts: &["www"],
        posture: modern,
        staple: true,
        cert: |host| (vec![host.to_owned()], 10, 80),
        geo: ("US", "Ashburn", 39.04, -77.49, 64604, "Umi Global Inc"),
        geofeed: None,
    },
    Sample {
        id: "tsuki",
        name: "Tsuki Data KK",
        applies_for: "kensa-declaration",
        net: 5,
        signed: true,
        caa: true,
        hosts: &["www"],
        posture: modern,
        staple: true,
        cert: |host| (vec![host.to_owned()], 10, 80),
        geo: ("SG", "Singapore", 1.29, 103.85, 60068, "CDN77"),
        geofeed: None,
    },
];

/// Providers' declarations (docs/declaration.md): the catalog names each, and the demo signs
/// it with a key of the provider's that it makes at start-up.
const DECLARATIONS: &[(&str, &str)] = &[("tsuki", include_str!("../lab/declarations/tsuki.toml"))];

/// Write each declaration, its provider's key pair and its signature into the lab directory.
fn write_declarations(dir: &Path) -> Result<(), DemoError> {
    use crate::bundle::keys;
    for (id, text) in DECLARATIONS {
        let key = dir.join(format!("{id}-declaration-key"));
        let (pkcs8, public) = keys::generate().map_err(|e| DemoError::Lab(e.to_string()))?;
        write(&key, keys::pem_encode("PRIVATE KEY", &pkcs8))?;
        write(&crate::bundle::public_key_path(&key), public.to_pem())?;
        let signing = keys::SigningKey::read(&key).map_err(|e| DemoError::Lab(e.to_string()))?;
        let file = dir.join(format!("{id}-declaration.toml"));
        write(&file, text)?;
        write(
            &crate::declaration::signature_path(&file),
            crate::declaration::sign(text.as_bytes(), &signing),
        )?;
    }
    Ok(())
}

/// The issuing CA's name, organisation and country (what the certificate evidence shows).
const CA: (&str, &str, &str) = ("kensa Lab Root CA", "kensa Lab", "JP");
/// Where the demo pretends to scan from: Tokyo.
/// The demo's vantage: the lab "in Tokyo".
const VANTAGE_NAME: &str = "demo-lab";
const VANTAGE_LAT: f64 = 35.68;
const VANTAGE_LON: f64 = 139.69;

fn ip(net: u8, host: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, net, host))
}

/// The lab's parent zone `test.`, signed with the key in the trust anchors, delegating to
/// every provider's zone (their name servers sit in the provider's own network).
fn parent_zone() -> Zone {
    let mut z = String::from(
        "$ORIGIN test.\n$TTL 300\n@ IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60\n\
         @ IN NS ns\nns IN A 127.0.0.53\n",
    );
    for s in SAMPLES {
        let _ = writeln!(z, "{} IN NS ns1.{}.test.", s.id, s.id);
        let _ = writeln!(z, "ns1.{} IN A 127.0.{}.53", s.id, s.net);
    }
    Zone::signed("test.", &z, Signing::Valid)
}

/// A provider's zone: signed through a DS in `test.` (secure) or unsigned (insecure: the
/// parent's NSEC proves there is no DS).
fn zone(s: &Sample) -> Zone {
    let origin = format!("{}.test.", s.id);
    let mut z = format!(
        "$ORIGIN {origin}\n$TTL 300\n@ IN SOA ns1.{origin} hostmaster.{origin} 1 3600 600 86400 60\n\
         @ IN NS ns1\nns1 IN A 127.0.{}.53\n",
        s.net
    );
    if s.caa {
        z.push_str("@ IN CAA 0 issue \"lab-ca.kensa.test\"\n");
    }
    for (i, h) in s.hosts.iter().enumerate() {
        let _ = writeln!(z, "{h} IN A 127.0.{}.{}", s.net, i + 1);
    }
    if s.signed {
        Zone::signed(&origin, &z, Signing::Delegated)
    } else {
        Zone::plain(&origin, &z)
    }
}

/// The port every lab server listens on (each on its own loopback address), so that target
/// ids (`sora/www.sora.test:24443`) are the same in every demo run and `kensa diff` joins
/// them. When it is taken, a port of the system's choosing is used, and the demo says so.
pub const DEMO_PORT: u16 = 24443;

/// What the lab thread reports once everything listens.
struct LabReady {
    /// Whether every server got [`DEMO_PORT`].
    fixed_ports: bool,
    dns: SocketAddr,
    anchors: String,
    ca_pem: String,
    /// (provider id, host, address) of every endpoint.
    endpoints: Vec<(&'static str, String, SocketAddr)>,
}

/// Start the lab on its own thread and runtime; it runs until `stop` is dropped or sent.
fn start_lab(
    dir: &Path,
) -> Result<
    (
        LabReady,
        std::sync::mpsc::Sender<()>,
        std::thread::JoinHandle<()>,
    ),
    DemoError,
> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<LabReady, String>>();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let zone_dir = dir.to_owned();
    let handle = std::thread::spawn(move || {
        let rt = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                let _ = ready_tx.send(Err(e.to_string()));
                return;
            }
        };
        rt.block_on(async move {
            let started = async {
                let zones: Vec<Zone> = std::iter::once(parent_zone())
                    .chain(SAMPLES.iter().map(zone))
                    .collect();
                let dns = DnsLab::start(&zones, &zone_dir)
                    .await
                    .map_err(|e| e.to_string())?;
                let pki = Pki::new(CA.0, CA.1, CA.2).map_err(|e| e.to_string())?;
                let now = OffsetDateTime::now_utc();
                let mut servers: Vec<TlsServer> = Vec::new();
                let mut endpoints = Vec::new();
                let mut fixed_ports = true;
                for s in SAMPLES {
                    for (i, h) in s.hosts.iter().enumerate() {
                        let host = format!("{h}.{}.test", s.id);
                        let (names, before, after) = (s.cert)(&host);
                        let leaf = pki
                            .leaf(&LeafSpec {
                                names,
                                organisation: s.name.to_owned(),
                                not_before: now - time::Duration::days(before),
                                not_after: now + time::Duration::days(after),
                            })
                            .map_err(|e| e.to_string())?;
                        let host_octet = u8::try_from(i + 1).unwrap_or(1);
                        let mut posture = (s.posture)();
                        if s.staple {
                            posture.ocsp =
                                Some(pki.ocsp_good(&leaf, 4).map_err(|e| e.to_string())?);
                        }
                        let at = SocketAddr::new(ip(s.net, host_octet), DEMO_PORT);
                        let server = match kensa_lab::tls::serve_on(at, &leaf, &posture).await {
                            Ok(server) => server,
                            Err(_) => {
                                fixed_ports = false;
                                kensa_lab::tls::serve(at.ip(), &leaf, &posture)
                                    .await
                                    .map_err(|e| e.to_string())?
                            }
                        };
                        endpoints.push((s.id, host, server.addr));
                        servers.push(server);
                    }
                }
                Ok::<_, String>((dns, pki.root_pem.clone(), servers, endpoints, fixed_ports))
            };
            match started.await {
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
                Ok((dns, ca_pem, servers, endpoints, fixed_ports)) => {
                    let _ = ready_tx.send(Ok(LabReady {
                        fixed_ports,
                        dns: dns.addr,
                        anchors: dns.anchors.clone(),
                        ca_pem,
                        endpoints,
                    }));
                    let _ = tokio::task::spawn_blocking(move || stop_rx.recv()).await;
                    drop(servers);
                    dns.stop().await;
                }
            }
        });
    });
    let ready = ready_rx
        .recv()
        .map_err(|_| DemoError::Lab("the lab thread ended before it was ready".into()))?
        .map_err(DemoError::Lab)?;
    Ok((ready, stop_tx, handle))
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), DemoError> {
    std::fs::write(path, bytes).map_err(|source| DemoError::Write {
        path: path.display().to_string(),
        source,
    })
}

fn catalog_text(lab: &LabReady) -> String {
    let mut c = String::from(
        "# The kensa demo lab's catalog (written by `kensa demo`). Every address is loopback.\n",
    );
    for s in SAMPLES {
        let _ = write!(
            c,
            "\n[[provider]]\nid = \"{}\"\nname = \"{}\"\ndeclared_country = \"JP\"\napplies_for = \"{}\"\n",
            s.id, s.name, s.applies_for
        );
        if DECLARATIONS.iter().any(|(id, _)| *id == s.id) {
            let _ = write!(
                c,
                "declaration = \"{0}-declaration.toml\"\ndeclaration_key = \"{0}-declaration-key.pub\"\n",
                s.id
            );
        }
        for (id, host, addr) in &lab.endpoints {
            if *id == s.id {
                let _ = write!(
                    c,
                    "\n[[provider.endpoint]]\nhost = \"{host}\"\nport = {}\nservice = \"web\"\n",
                    addr.port()
                );
            }
        }
    }
    c
}

fn geo_files(dir: &Path) -> Result<(PathBuf, PathBuf, PathBuf), DemoError> {
    let networks: Vec<Network> = SAMPLES
        .iter()
        .map(|s| Network {
            prefix: format!("127.0.{}.0/24", s.net),
            country: s.geo.0.to_owned(),
            registered_country: s.geo.0.to_owned(),
            city: s.geo.1.to_owned(),
            lat: s.geo.2,
            lon: s.geo.3,
            asn: s.geo.4,
            org: s.geo.5.to_owned(),
        })
        .collect();
    let (city, asn) =
        kensa_lab::geo::databases(&networks, SystemTime::now() - Duration::from_secs(86_400))
            .map_err(|e| DemoError::Lab(e.to_string()))?;
    let city_path = dir.join("lab-city.mmdb");
    let asn_path = dir.join("lab-asn.mmdb");
    write(&city_path, city)?;
    write(&asn_path, asn)?;
    let mut feed = String::from("# RFC 8805 geofeed published by the lab's providers\n");
    for s in SAMPLES {
        if let Some(f) = s.geofeed {
            let _ = writeln!(feed, "127.0.{}.0/24,{f},", s.net);
        }
    }
    let feed_path = dir.join("geofeed.csv");
    write(&feed_path, feed)?;
    Ok((city_path, asn_path, feed_path))
}

/// What `kensa demo` made: where its run, report and database are, and the assessment.
/// Exit status 0 when the demo ran (the sample providers' failures are the point of the demo,
/// not an error).
#[derive(Debug)]
pub struct DemoRun {
    /// The demo's directory.
    pub dir: PathBuf,
    /// The run directory.
    pub run_dir: PathBuf,
    /// The run id.
    pub run_id: String,
    /// The HTML report.
    pub report: PathBuf,
    /// The run database it was recorded in.
    pub database: PathBuf,
    /// Evidence records written.
    pub records: u64,
    /// Connections opened.
    pub connections: u64,
    /// The assessment with every built-in profile.
    pub assessment: Assessment,
    /// Whether `--serve` served the store after the run (the summary was then given to
    /// `ready` before serving).
    pub served: bool,
}

impl crate::output::Render for DemoRun {
    fn text(&self) -> String {
        summary(
            &self.assessment,
            &self.dir,
            &self.run_dir,
            &self.report,
            &self.database,
            self.records,
        )
    }
    fn json(&self) -> String {
        crate::output::json_of(&serde_json::json!({
            "dir": self.dir.display().to_string(),
            "run": self.run_dir.display().to_string(),
            "run_id": self.run_id,
            "report": self.report.display().to_string(),
            "database": self.database.display().to_string(),
            "records": self.records,
            "connections": self.connections,
            "assessment": self.assessment,
        }))
    }
}

/// `kensa demo`: build the lab, scan, assess, record and report it. Progress lines go to
/// `note` (the command line's stderr). With `--serve`, `ready` gets the result before the
/// store is served (until Ctrl-C).
pub fn demo(
    args: &DemoArgs,
    runner: &dyn crate::scan::ScanRunner,
    note: &dyn Fn(&str),
    ready: &dyn Fn(&DemoRun),
) -> Result<DemoRun, DemoError> {
    let run_id = crate::scan::new_run_id();
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("runs").join(format!("demo-{run_id}")));
    if dir.exists() {
        return Err(DemoError::Write {
            path: dir.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "already exists"),
        });
    }
    // The run also goes into a run database (--db, $KENSA_DB, else one of its own), so the
    // researcher's and operator's commands (`compare`, `history`, `diff`) work on the demo.
    // A named database that cannot be used is refused before the lab starts (issue 23: it
    // was refused after the scan, with nothing written).
    let db = match &args.db {
        Some(db) => db.clone(),
        None if std::env::var_os(crate::store::DB_ENV).is_some_and(|v| !v.is_empty()) => {
            crate::store::db_path(None)
        }
        None => dir.join("kensa.db"),
    };
    let mut store = if db.starts_with(&dir) {
        None
    } else {
        Some(crate::store::Store::open(&db).map_err(|e| DemoError::Database(e.to_string()))?)
    };
    let lab_dir = dir.join("lab");
    std::fs::create_dir_all(&lab_dir).map_err(|source| DemoError::Write {
        path: lab_dir.display().to_string(),
        source,
    })?;
    note(&format!(
        "demo: starting the lab on loopback ({} providers)",
        SAMPLES.len()
    ));
    let (lab, stop, handle) = start_lab(&lab_dir)?;
    if !lab.fixed_ports {
        note(&format!(
            "demo: port {DEMO_PORT} is taken on the lab's addresses; the servers use ports of \
             the system's choosing, so this run's target ids will not join other demo runs' \
             in `kensa diff`"
        ));
    }
    let catalog = lab_dir.join("catalog.toml");
    write(&catalog, catalog_text(&lab))?;
    write_declarations(&lab_dir)?;
    let ca = lab_dir.join("lab-ca.pem");
    write(&ca, &lab.ca_pem)?;
    let anchors = lab_dir.join("dnssec-anchors.txt");
    write(&anchors, &lab.anchors)?;
    let (city, asn, feed) = geo_files(&lab_dir)?;
    let run_dir = dir.join("run");
    let files = |p: &Path| vec![crate::config::DataFile::from_path(p)];
    let mut caa_identifiers = Vec::new();
    crate::config::add_caa_identifier(&mut caa_identifiers, &format!("{}=lab-ca.kensa.test", CA.1))
        .map_err(|e| DemoError::Scan(e.to_string()))?;
    let config = crate::config::ScanConfig {
        settings: crate::engine::Settings {
            allow_private: true,
            ..crate::engine::Settings::default()
        },
        resolvers: vec![lab.dns.to_string()],
        dnssec_anchors: Some(crate::config::InlineFile {
            name: anchors.display().to_string(),
            text: lab.anchors.clone(),
        }),
        trust_stores: vec![crate::config::PemStore {
            name: "lab".into(),
            pem: lab.ca_pem.clone(),
        }],
        geo: crate::config::GeoConfig {
            ranges: files(&feed),
            geoip: [files(&city), files(&asn)].concat(),
            asn_csv: Vec::new(),
            data_dir: None,
        },
        vantage: Some(crate::evidence::Vantage {
            name: VANTAGE_NAME.into(),
            lat: Some(VANTAGE_LAT),
            lon: Some(VANTAGE_LON),
        }),
        caa_identifiers,
        samples: 3,
        read_timeout_ms: 2000,
        ..crate::config::ScanConfig::default()
    };
    note(&format!("demo: scanning {} endpoints", lab.endpoints.len()));
    let scanned = runner
        .run_scan(
            &crate::catalog::load(&catalog).map_err(|e| DemoError::Scan(e.to_string()))?,
            &config,
            crate::scan::Sink::new(&run_dir),
        )
        .map_err(|e| DemoError::Scan(e.to_string()));
    let mut handle = Some(handle);
    if !args.serve {
        let _ = stop.send(());
        let _ = handle.take().map(std::thread::JoinHandle::join);
    }
    let report = scanned?;
    let lib = Library::builtin().map_err(|e| DemoError::Assess(e.to_string()))?;
    let profiles = lib
        .builtin_profiles()
        .map_err(|e| DemoError::Assess(e.to_string()))?;
    let run = crate::assess::doc::load(&run_dir).map_err(|e| DemoError::Assess(e.to_string()))?;
    let assessment = grade::assess(&run, &profiles, &[]);
    let mut store = match store.take() {
        Some(st) => st,
        None => crate::store::Store::open(&db).map_err(|e| DemoError::Database(e.to_string()))?,
    };
    store
        .import_run(&run_dir)
        .map_err(|e| DemoError::Database(e.to_string()))?;
    drop(store);
    let report_path = dir.join("report.html");
    let ids: Vec<String> = profiles.iter().map(|p| p.id.clone()).collect();
    let html = crate::report::render(&run_dir, &ids, crate::report::Format::Html)
        .map_err(|e| DemoError::Assess(e.to_string()))?;
    write(&report_path, html)?;
    let mut out = DemoRun {
        dir,
        run_dir,
        run_id: report.run_id.clone(),
        report: report_path,
        database: db.clone(),
        records: report.records,
        connections: report.connections,
        assessment,
        served: false,
    };
    if args.serve {
        ready(&out);
        out.served = true;
        // Re-checks scan the lab as the demo did (its resolver, trust store, geo files).
        let served = crate::serve::demo_serve(&db, &catalog, config, args.listen, note)
            .map_err(|e| DemoError::Lab(e.to_string()));
        let _ = stop.send(());
        let _ = handle.take().map(std::thread::JoinHandle::join);
        served?;
    }
    Ok(out)
}

/// Rows as columns two blanks apart, each as wide as its widest cell; no trailing blanks.
fn write_table<R: AsRef<[String]>>(s: &mut String, rows: &[R]) {
    let mut widths: Vec<usize> = Vec::new();
    for r in rows {
        for (i, c) in r.as_ref().iter().enumerate() {
            let w = c.chars().count();
            match widths.get_mut(i) {
                Some(x) => *x = (*x).max(w),
                None => widths.push(w),
            }
        }
    }
    for r in rows {
        let cells = r.as_ref();
        let mut line = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                line.push_str(c);
            } else {
                let w = widths.get(i).copied().unwrap_or(0);
                let _ = write!(line, "{c:<w$}  ");
            }
        }
        let _ = writeln!(s, "{}", line.trim_end());
    }
}

/// The summary table: one row per provider, the kensa grade, the profile it applies for and
/// its verdict, then the verdict under every built-in profile.
pub fn summary(
    a: &Assessment,
    dir: &Path,
    run: &Path,
    report: &Path,
    db: &Path,
    records: u64,
) -> String {
    let mut s = String::new();
    let profiles: Vec<&str> = a.profiles.iter().map(|(id, _)| id.as_str()).collect();
    // Columns as wide as their widest cell (a grade such as `kensa-level-2 (next level
    // inconclusive)` is longer than a level name), no trailing blanks.
    let mut rows = vec![[
        "provider".to_owned(),
        "name".to_owned(),
        "kensa grade".to_owned(),
        "applies for".to_owned(),
        "verdict".to_owned(),
    ]];
    for p in &a.providers {
        let af = p.provider.applies_for.clone().unwrap_or_default();
        let verdict = p
            .profiles
            .iter()
            .find(|v| v.profile == af)
            .map_or("-", |v| v.verdict.as_str());
        rows.push([
            p.provider.id.clone(),
            p.provider.name.clone().unwrap_or_default(),
            p.grade.clone().unwrap_or_else(|| "-".into()),
            af,
            verdict.to_owned(),
        ]);
    }
    write_table(&mut s, &rows);
    let _ = writeln!(s);
    let mut rows = vec![
        std::iter::once("profile".to_owned())
            .chain(a.providers.iter().map(|p| p.provider.id.clone()))
            .collect::<Vec<_>>(),
    ];
    for id in &profiles {
        let mut row = vec![(*id).to_owned()];
        for p in &a.providers {
            let v = p
                .profiles
                .iter()
                .find(|v| v.profile == *id)
                .map_or("-", |v| v.verdict.as_str());
            row.push(v.to_owned());
        }
        rows.push(row);
    }
    write_table(&mut s, &rows);
    let _ = writeln!(s);
    let _ = writeln!(s, "lab files: {}", dir.join("lab").display());
    let _ = writeln!(
        s,
        "evidence:  {} ({records} records)",
        run.join("evidence.jsonl").display()
    );
    let _ = writeln!(s, "report:    {}", report.display());
    let _ = writeln!(s, "database:  {}", db.display());
    let _ = writeln!(
        s,
        "next:      kensa assess {} --profile cryptrec-high   (re-grades from the evidence, no network)",
        run.display()
    );
    let _ = writeln!(
        s,
        "           kensa compare --db {} --format md",
        db.display()
    );
    s
}

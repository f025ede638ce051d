//! Provider declarations (docs/declaration.md): the published JSON Schema against the Rust
//! types, the catalog's `declaration` key, the signature check recorded in `run-begin`, and
//! `kensa declaration sign|check` through the binary.

mod common;
#[path = "common/runs.rs"]
mod runs;

use std::path::{Path, PathBuf};

use kensa::declaration::{self, Declaration, SignatureStatus};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("docs/declaration.schema.json")).unwrap();
    jsonschema::draft202012::new(&serde_json::from_str::<Value>(&text).unwrap()).unwrap()
}

fn example_text() -> String {
    std::fs::read_to_string(root().join("fixtures/declaration/example.toml")).unwrap()
}

fn as_json(toml_text: &str) -> Value {
    let v: toml::Value = toml::from_str(toml_text).unwrap();
    serde_json::to_value(v).unwrap()
}

/// The schema and the Rust types agree: the example validates against both, the content kensa
/// records (the parsed declaration, serialised) validates, and documents broken in ways both
/// must notice are refused by both.
#[test]
fn the_schema_and_the_types_agree() {
    let schema = schema();
    let text = example_text();
    let errors: Vec<String> = schema
        .iter_errors(&as_json(&text))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let parsed: Declaration = declaration::parse("example.toml", &text).unwrap();
    let recorded = serde_json::to_value(&parsed).unwrap();
    assert!(schema.is_valid(&recorded), "the recorded content validates");
    let minimal = "schema = 1\nprovider = \"p\"\nissued = \"2026-01-02\"\n";
    assert!(schema.is_valid(&as_json(minimal)));
    assert!(declaration::parse("m.toml", minimal).is_ok());
    let broken = [
        (
            "unknown key",
            text.replace("[ownership]", "colour = 1\n[ownership]"),
        ),
        (
            "unknown nested key",
            text.replace(
                "kind = \"equipment\"",
                "kind = \"equipment\"\nmodel = \"X\"",
            ),
        ),
        (
            "lower-case country",
            text.replace("country = \"JP\"\nrole", "country = \"jp\"\nrole"),
        ),
        (
            "unknown role",
            text.replace("role = \"support\"", "role = \"janitor\""),
        ),
        ("share over 100", text.replace("12.5", "112.5")),
        ("schema 2", text.replace("schema = 1", "schema = 2")),
        ("no issued", text.replace("issued = \"2026-11-01\"", "")),
        (
            "upper-case name",
            text.replace("api.acme.example", "API.acme.example"),
        ),
        (
            "staff access missing",
            text.replace("foreign_staff_access = false", ""),
        ),
    ];
    for (what, t) in &broken {
        assert!(!schema.is_valid(&as_json(t)), "the schema accepts: {what}");
        assert!(
            declaration::parse("b.toml", t).is_err(),
            "the parser accepts: {what}"
        );
    }
}

fn catalog_with(dir: &Path, extra: &str, port: u16) -> PathBuf {
    let text = format!(
        "[[provider]]\nid = \"acme\"\nname = \"Acme\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-1\"\n{extra}\n[[provider.endpoint]]\nhost = \"127.0.0.1\"\n\
         port = {port}\nsni = \"www.acme.example\"\n"
    );
    common::write(dir, "catalog.toml", &text)
}

fn run_begin(run: &Path) -> Value {
    let text = std::fs::read_to_string(run.join("evidence.jsonl")).unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "run-begin");
    first["data"].clone()
}

/// The catalog names a declaration and its key; the scan records the declaration's digest,
/// content, the catalog's names and the signature check in run-begin: valid, altered after
/// signing, and signed by another key. A missing declaration is an input error (exit 2).
#[test]
fn signed_declarations_are_checked_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let l = common::listener();
    let port = l.local_addr().unwrap().port();
    let decl_dir = d.join("decl");
    std::fs::create_dir(&decl_dir).unwrap();
    let decl = decl_dir.join("acme.toml");
    std::fs::write(&decl, example_text()).unwrap();
    let key = d.join("acme-key");
    let other = d.join("other-key");
    for k in [&key, &other] {
        let (code, _, err) = common::run(&["keygen", "-o", k.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
    }
    let (code, out, err) = common::run(&[
        "declaration",
        "sign",
        decl.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("signed"), "{out}");
    let catalog = catalog_with(
        d,
        "declaration = \"decl/acme.toml\"\ndeclaration_key = \"acme-key.pub\"\n",
        port,
    );
    let scan = |name: &str| {
        let run = d.join(name);
        let (code, _, err) = common::run(&[
            "scan",
            catalog.to_str().unwrap(),
            "--out",
            run.to_str().unwrap(),
            "--allow-private",
            "--probes",
            "latency.tcp",
            "--samples",
            "1",
            "--quiet",
        ]);
        assert_eq!(code, 0, "{err}");
        run_begin(&run)["provider_details"][0]["declaration"].clone()
    };
    // Valid.
    let rec = scan("valid");
    assert_eq!(rec["file"], "decl/acme.toml");
    assert_eq!(
        rec["sha256"],
        kensa::evidence::sha256_hex(example_text().as_bytes())
    );
    assert_eq!(rec["signature"]["status"], "valid", "{rec}");
    assert_eq!(rec["content"]["provider"], "acme");
    assert_eq!(rec["content"]["ownership"]["foreign_share_percent"], 12.5);
    assert_eq!(
        rec["catalog_names"],
        serde_json::json!(["127.0.0.1", "www.acme.example"])
    );
    // `kensa declaration check` agrees.
    let pubkey = format!("{}.pub", key.display());
    let (code, out, _) = common::run(&[
        "declaration",
        "check",
        decl.to_str().unwrap(),
        "--key",
        &pubkey,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("signature: valid"), "{out}");
    // Altered after signing.
    std::fs::write(&decl, example_text().replace("12.5", "2.5")).unwrap();
    let rec = scan("altered");
    assert_eq!(rec["signature"]["status"], "invalid", "{rec}");
    assert_eq!(rec["content"]["ownership"]["foreign_share_percent"], 2.5);
    let (code, out, _) = common::run(&[
        "declaration",
        "check",
        decl.to_str().unwrap(),
        "--key",
        &pubkey,
    ]);
    assert_eq!(code, 1, "{out}");
    // Signed again by another key.
    let (code, _, err) = common::run(&[
        "declaration",
        "sign",
        decl.to_str().unwrap(),
        "--key",
        other.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let rec = scan("other");
    assert_eq!(rec["signature"]["status"], "other-signer", "{rec}");
    assert_ne!(rec["signature"]["key"], rec["signature"]["expected_key"]);
    // Unsigned.
    std::fs::remove_file(declaration::signature_path(&decl)).unwrap();
    assert_eq!(scan("unsigned")["signature"]["status"], "unsigned");
    // A declaration about another provider, and a missing one, are input errors.
    std::fs::write(
        &decl,
        example_text().replace("provider = \"acme\"", "provider = \"other\""),
    )
    .unwrap();
    let (code, _, err) = common::run(&[
        "scan",
        catalog.to_str().unwrap(),
        "--out",
        d.join("x").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("the declaration is about \"other\""), "{err}");
    let missing = catalog_with(d, "declaration = \"decl/none.toml\"\n", port);
    let (code, _, err) = common::run(&[
        "scan",
        missing.to_str().unwrap(),
        "--out",
        d.join("y").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read declaration decl/none.toml"),
        "{err}"
    );
    assert!(!d.join("y").exists(), "no run directory on an input error");
    let _ = SignatureStatus::Valid;
}

/// The catalog's new keys are checked like the others.
#[test]
fn catalog_declaration_keys() {
    let head = "[[provider]]\nid = \"a\"\nname = \"A\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n";
    let ep = "[[provider.endpoint]]\nhost = \"a.example\"\n";
    let c = kensa::catalog::parse(
        "c.toml",
        &format!("{head}declaration = \"d/a.toml\"\ndeclaration_key = \"a.pub\"\n{ep}"),
    )
    .unwrap();
    assert_eq!(c.providers[0].declaration.as_deref(), Some("d/a.toml"));
    assert_eq!(c.providers[0].declaration_key.as_deref(), Some("a.pub"));
    assert!(
        c.providers[0].declared.is_none(),
        "parse reads no other file"
    );
    let e = kensa::catalog::parse(
        "c.toml",
        &format!("{head}declaration_key = \"a.pub\"\n{ep}"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("has a `declaration_key` but no `declaration`"),
        "{e}"
    );
    let e = kensa::catalog::parse("c.toml", &format!("{head}declaration = \" \"\n{ep}"))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("c.toml:6:15:"), "{e}");
}

/// A lab provider for the cross-check test: its zone's network (127.0.N.0/24), what the
/// geolocation databases say about it, its certificate names, server banner and declaration.
struct LabProvider {
    id: &'static str,
    net: u8,
    country: &'static str,
    asn: u32,
    org: &'static str,
    extra_names: &'static [&'static str],
    server: &'static str,
    declaration: &'static str,
}

const AGREE: &str = r#"schema = 1
provider = "agree"
issued = "2026-11-01"
[service]
storage_countries = ["JP"]
serving_countries = ["JP"]
domains = ["agree.test"]
endpoints = ["www.agree.test"]
[[ca]]
name = "kensa Lab"
country = "JP"
[[dns_operator]]
name = "Agree Cloud KK"
asns = [64611]
[[network]]
name = "Agree Cloud"
asns = [64611]
[[vendor]]
name = "F5"
country = "US"
kind = "software"
[ownership]
shareholder_countries = ["JP"]
foreign_share_percent = 0.0
[personnel]
executive_countries = ["JP"]
operator_countries = ["JP"]
foreign_staff_access = false
"#;

const CONTRA: &str = r#"schema = 1
provider = "contra"
issued = "2026-11-01"
[service]
storage_countries = ["JP"]
serving_countries = ["JP"]
domains = ["contra.test"]
endpoints = ["www.contra.test"]
[[ca]]
name = "Other Trust"
country = "JP"
[[dns_operator]]
name = "Contra DNS"
asns = [64612]
[[network]]
name = "Contra Networks"
asns = [64612]
[ownership]
shareholder_countries = ["JP", "SG"]
foreign_share_percent = 80.0
[personnel]
executive_countries = ["JP"]
operator_countries = ["JP"]
foreign_staff_access = true
foreign_access_countries = ["SG"]
"#;

const LAB: &[LabProvider] = &[
    LabProvider {
        id: "agree",
        net: 11,
        country: "JP",
        asn: 64611,
        org: "Agree Cloud KK",
        extra_names: &[],
        server: "nginx/1.25.3",
        declaration: AGREE,
    },
    LabProvider {
        id: "contra",
        net: 12,
        country: "SG",
        asn: 60068,
        org: "CDN77",
        extra_names: &["admin.contra.test"],
        server: "Tengine/2.3.3",
        declaration: CONTRA,
    },
];

/// Every cross-check on loopback, agreeing and contradicting: two lab providers (DNS, TLS
/// with a server banner, a lab CA, geolocation and ASN databases) scanned through the binary.
/// `agree` declares what the evidence shows; `contra` serves from an undeclared country, with
/// an undeclared CA, DNS operator, network, CDN (by its ASN) and vendors, a certificate for an
/// undeclared name, and declares ownership and staff access beyond the profile's limits.
#[test]
fn cross_checks_agree_and_contradict_on_loopback() {
    use kensa::assess::{doc, grade, profile::Library};
    use rustls::crypto::ring::{cipher_suite as cs, kx_group};

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let lab_dir = d.clone();
    let lab = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let zones: Vec<kensa_lab::dns::Zone> = LAB
                .iter()
                .map(|p| {
                    let origin = format!("{}.test.", p.id);
                    let mut z = format!(
                        "$ORIGIN {origin}\n$TTL 300\n@ IN SOA ns1.{origin} hostmaster.{origin} 1 3600 600 86400 60\n\
                         @ IN NS ns1\nns1 IN A 127.0.{n}.53\nwww IN A 127.0.{n}.1\n",
                        n = p.net
                    );
                    for extra in p.extra_names {
                        let label = extra.split('.').next().unwrap();
                        z.push_str(&format!("{label} IN A 127.0.{}.2\n", p.net));
                    }
                    kensa_lab::dns::Zone::plain(&origin, &z)
                })
                .collect();
            let dns = kensa_lab::dns::DnsLab::start(&zones, &lab_dir).await.unwrap();
            let pki = kensa_lab::pki::Pki::new("kensa Lab Root CA", "kensa Lab", "JP").unwrap();
            let now = time::OffsetDateTime::now_utc();
            let mut servers = Vec::new();
            let mut ports = Vec::new();
            for p in LAB {
                let host = format!("www.{}.test", p.id);
                let mut names = vec![host.clone()];
                names.extend(p.extra_names.iter().map(|s| s.to_string()));
                let leaf = pki
                    .leaf(&kensa_lab::pki::LeafSpec {
                        names,
                        organisation: p.org.to_owned(),
                        not_before: now - time::Duration::days(10),
                        not_after: now + time::Duration::days(80),
                    })
                    .unwrap();
                let posture = kensa_lab::tls::Posture {
                    versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
                    suites: vec![
                        cs::TLS13_AES_128_GCM_SHA256,
                        cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                    ],
                    groups: vec![kx_group::X25519, kx_group::SECP256R1],
                    server_order: true,
                    headers: vec![("Server".into(), p.server.into())],
                    ocsp: None,
                };
                let ip = format!("127.0.{}.1", p.net).parse().unwrap();
                let server = kensa_lab::tls::serve(ip, &leaf, &posture).await.unwrap();
                ports.push(server.addr.port());
                servers.push(server);
            }
            ready_tx
                .send((dns.addr, pki.root_pem.clone(), ports))
                .unwrap();
            let _ = tokio::task::spawn_blocking(move || stop_rx.recv()).await;
            drop(servers);
            dns.stop().await;
        });
    });
    let (dns, ca_pem, ports) = ready_rx.recv().unwrap();

    let networks: Vec<kensa_lab::geo::Network> = LAB
        .iter()
        .map(|p| kensa_lab::geo::Network {
            prefix: format!("127.0.{}.0/24", p.net),
            country: p.country.into(),
            registered_country: p.country.into(),
            city: "Lab".into(),
            lat: 0.0,
            lon: 0.0,
            asn: p.asn,
            org: p.org.into(),
        })
        .collect();
    let (city, asn) = kensa_lab::geo::databases(&networks, std::time::SystemTime::now()).unwrap();
    let city_path = d.join("city.mmdb");
    let asn_path = d.join("asn.mmdb");
    std::fs::write(&city_path, city).unwrap();
    std::fs::write(&asn_path, asn).unwrap();
    let ca = common::write(&d, "ca.pem", &ca_pem);
    std::fs::create_dir(d.join("decl")).unwrap();
    let mut catalog = String::new();
    for (p, port) in LAB.iter().zip(&ports) {
        common::write(&d.join("decl"), &format!("{}.toml", p.id), p.declaration);
        catalog.push_str(&format!(
            "[[provider]]\nid = \"{id}\"\nname = \"{id}\"\ndeclared_country = \"JP\"\n\
             applies_for = \"kensa-declaration\"\ndeclaration = \"decl/{id}.toml\"\n\n\
             [[provider.endpoint]]\nhost = \"www.{id}.test\"\nport = {port}\n\n",
            id = p.id
        ));
    }
    let catalog = common::write(&d, "catalog.toml", &catalog);
    let run = d.join("run");
    let (code, out, err) = common::run(&[
        "scan",
        catalog.to_str().unwrap(),
        "--out",
        run.to_str().unwrap(),
        "--allow-private",
        "--quiet",
        "--resolver",
        &dns.to_string(),
        "--trust-store",
        &format!("lab={}", ca.display()),
        "--geoip",
        city_path.to_str().unwrap(),
        "--geoip",
        asn_path.to_str().unwrap(),
        "--samples",
        "1",
        "--jarm",
    ]);
    let _ = stop_tx.send(());
    let _ = lab.join();
    assert_eq!(code, 0, "{out}\n{err}");

    let loaded = doc::load(&run).unwrap();
    // The JARM fingerprint is where the vendor check reads it (the lab's rustls stack is in
    // no row: it identifies no vendor).
    for t in &loaded.targets {
        let fp = t
            .doc
            .pointer("/probes/tls.scan/observation/jarm/fingerprint")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{}: no JARM fingerprint", t.target));
        assert_eq!(fp.len(), 62, "{fp}");
        assert!(fp.bytes().any(|b| b != b'0'), "{}: all zeros", t.target);
        let view = declaration::check::view(&t.doc);
        let fields: Vec<&str> = view["vendors"]["observed"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o["field"].as_str())
            .collect();
        assert!(!fields.contains(&"jarm"), "{fields:?}");
    }
    let profile = Library::builtin()
        .unwrap()
        .builtin_profile("kensa-declaration")
        .unwrap();
    let result = |provider: &str, control: &str| {
        let t = loaded
            .targets
            .iter()
            .find(|t| t.provider == provider)
            .unwrap();
        let f = grade::judge_target(&profile, t)
            .findings
            .into_iter()
            .find(|f| f.control == control)
            .unwrap();
        (
            f.result.as_str().to_owned(),
            serde_json::to_string(&f.evidence).unwrap(),
        )
    };
    let checks = [
        "DECL-LOC-001",
        "DECL-CA-001",
        "DECL-DNS-001",
        "DECL-NET-001",
        "DECL-CDN-001",
        "DECL-VEND-001",
        "DECL-NAME-001",
        "DECL-OWN-001",
        "DECL-OWN-002",
        "DECL-STAFF-001",
    ];
    for c in checks {
        let (r, ev) = result("agree", c);
        assert_eq!(r, "pass", "agree {c}: {ev}");
        let (r, ev) = result("contra", c);
        assert_eq!(r, "fail", "contra {c}: {ev}");
    }
    // What the contradictions name.
    let (_, ev) = result("contra", "DECL-LOC-001");
    assert!(ev.contains("[\"SG\"]"), "{ev}");
    let (_, ev) = result("contra", "DECL-CA-001");
    assert!(ev.contains("[\"kensa Lab\"]"), "{ev}");
    let (_, ev) = result("contra", "DECL-CDN-001");
    assert!(ev.contains("[\"CDN77\"]"), "{ev}");
    let (_, ev) = result("contra", "DECL-DNS-001");
    assert!(ev.contains("CDN77 (AS60068)"), "{ev}");
    let (_, ev) = result("contra", "DECL-VEND-001");
    assert!(ev.contains("Alibaba") && ev.contains("CDN77"), "{ev}");
    let (_, ev) = result("contra", "DECL-NAME-001");
    assert!(ev.contains("[\"admin.contra.test\"]"), "{ev}");
    // Undeclared names are listed, never dialled: no record is about admin.contra.test.
    let evidence = std::fs::read_to_string(run.join("evidence.jsonl")).unwrap();
    assert!(
        evidence
            .lines()
            .skip(1)
            .filter(|l| l.contains("\"type\":\"evidence\""))
            .all(|l| !l.contains("\"host\":\"admin.contra.test\"")),
    );
    // A vendor from a country of concern ("foreign": not JP) is a finding in this profile;
    // with an evaluator's profile that lists none, the same evidence passes.
    assert_eq!(result("agree", "DECL-VEND-002").0, "fail");
    let lenient = Library::builtin()
        .unwrap()
        .parse(
            "lenient.toml",
            "id = \"lenient\"\nversion = \"1\"\ntitle = \"t\"\ndescription = \"d\"\n\
             grading = \"pass-fail\"\ncontrols = [\"DECL-VEND-002\"]\n[params]\n\
             countries_of_concern = [\"CN\"]\nvendors_of_concern = []\n",
            "lenient.toml",
            0,
        )
        .unwrap();
    let verdict = |p: &str| {
        let t = loaded.targets.iter().find(|t| t.provider == p).unwrap();
        grade::judge_target(&lenient, t).findings[0]
            .result
            .as_str()
            .to_owned()
    };
    assert_eq!(verdict("agree"), "pass");
    assert_eq!(verdict("contra"), "fail", "Tengine's vendor is from CN");
    // The facts kensa cannot observe are judged by the profile's parameters only: the same
    // declaration (80 % foreign-owned, shareholders and staff access in SG) passes under an
    // evaluator who accepts up to 90 % and staff access from countries not of concern.
    let generous = Library::builtin()
        .unwrap()
        .parse(
            "generous.toml",
            "id = \"generous\"\nversion = \"1\"\ntitle = \"t\"\ndescription = \"d\"\n\
             grading = \"pass-fail\"\n\
             controls = [\"DECL-OWN-001\", \"DECL-OWN-002\", \"DECL-STAFF-001\"]\n[params]\n\
             countries_of_concern = [\"CN\"]\n\
             max_foreign_share_percent = 90.0\nallow_foreign_staff_access = true\n",
            "generous.toml",
            0,
        )
        .unwrap();
    let t = loaded
        .targets
        .iter()
        .find(|t| t.provider == "contra")
        .unwrap();
    let findings = grade::judge_target(&generous, t).findings;
    assert_eq!(findings.len(), 3);
    for f in findings {
        let ev = serde_json::to_string(&f.evidence).unwrap();
        assert_eq!(f.result.as_str(), "pass", "{}: {ev}", f.control);
    }
}

/// A control may need no probe only when its expressions read none (the declaration-only
/// DECL-SIG/OWN/STAFF controls); one that reads a probe's observation must name it.
#[test]
fn controls_without_needs_read_no_probe() {
    use kensa::assess::control::{parse_controls, probe_variables_read};
    assert_eq!(
        probe_variables_read("tls.protocols.size() > 0 && geo.x"),
        ["tls", "geo"]
    );
    assert!(probe_variables_read("decl.tls.x == 'geo.y' && probes_x.dns").is_empty());
    assert_eq!(
        probe_variables_read("probes['tls.scan'].outcome"),
        ["probes"]
    );
    let control = |needs: &str, rule: &str| {
        format!(
            "[[control]]\nid = \"X-001\"\ntitle = \"t\"\nseverity = \"low\"\nneeds = {needs}\n\
             rule = \"{rule}\"\nclause = {{ standard = \"s\", section = \"x\" }}\nrationale = \"r\"\n"
        )
    };
    assert!(parse_controls("c.toml", &control("[]", "decl.declared")).is_ok());
    let e = parse_controls("c.toml", &control("[]", "size(tls.protocols) > 0"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`needs` is empty but the rule reads `tls`"),
        "{e}"
    );
    assert!(
        parse_controls(
            "c.toml",
            &control("[\"tls.scan\"]", "size(tls.protocols) > 0")
        )
        .is_ok()
    );
}

/// The reports' "Declared vs observed" section over a synthetic run of two providers whose
/// run-begin records declarations (the `modern` fixture agreeing, `legacy` contradicting):
/// Markdown and HTML snapshots of the section, the JSON report against its schema, and no
/// section at all for a run without declarations.
#[test]
fn reports_show_declared_vs_observed() {
    use kensa::report::{self, Format};
    let dir = tempfile::tempdir().unwrap();
    let decl = |fixture: &str| {
        serde_json::from_value(runs::fixture(fixture)["provider"]["declaration"].clone()).unwrap()
    };
    let mut acme = runs::provider("acme", "Acme Cloud", "JP", "kensa-level-1");
    acme.declaration = Some(decl("modern"));
    let mut beta = runs::provider("beta", "Beta <b>Hosting</b>", "JP", "kensa-level-1");
    beta.declaration = Some(decl("legacy"));
    let run = runs::write_run(
        dir.path(),
        "run-decl",
        "2026-11-21T00:00:00Z",
        &[acme, beta],
        &[
            runs::target("acme", "modern.example.test", "modern", |_| {}),
            runs::target("beta", "legacy.example.test", "legacy", |_| {}),
        ],
    );
    let now = time::macros::datetime!(2026-11-22 00:00:00 UTC);
    let render = |f| report::render_at(&run, &[], f, now).unwrap();
    // The streamed formats (issue 21), one provider at a time, give the whole report's
    // bytes: the declared section and the second SARIF run come out of their spools intact.
    for f in [Format::Csv, Format::Json, Format::Sarif] {
        let mut streamed = Vec::new();
        report::stream::write_streamed(&run, &[], f, now, 1, &mut streamed).unwrap();
        assert_eq!(String::from_utf8(streamed).unwrap(), render(f), "{f:?}");
    }
    let md = render(Format::Md);
    let start = md
        .find("## Declared vs observed")
        .expect("a Markdown section");
    let end = md[start..].find("\n## Connect latency").unwrap() + start;
    let mut settings = insta::Settings::clone_current();
    settings.add_filter("[0-9a-f]{64}", "[hash]");
    settings.bind(|| {
        insta::assert_snapshot!("declared_md", &md[start..end]);
        let html = render(Format::Html);
        assert!(html.contains("<a href=\"#declared\">Declared vs observed</a>"));
        let start = html
            .find("<section id=\"declared\">")
            .expect("an HTML section");
        let end = html[start..].find("</section>").unwrap() + start;
        let section = &html[start..end];
        assert!(!section.contains("<b>Hosting"), "names are escaped");
        insta::assert_snapshot!("declared_html", section);
    });
    // Neither provider applies for kensa-declaration: the report adds it for providers with
    // a declaration, so the DECL-* findings are in CSV and SARIF too.
    let csv = render(Format::Csv);
    assert!(
        csv.contains("acme/modern.example.test:443,kensa-declaration,DECL-LOC-001,pass"),
        "{csv}"
    );
    assert!(
        csv.contains("beta/legacy.example.test:443,kensa-declaration,DECL-LOC-001,fail"),
        "{csv}"
    );
    let sarif = render(Format::Sarif);
    assert!(sarif.contains("\"ruleId\": \"DECL-CDN-001\""), "{sarif}");
    let junit = render(Format::Junit);
    let case = junit
        .find("name=\"DECL-LOC-001 ")
        .map(|at| &junit[at..at + junit[at..].find("</testcase>").unwrap()])
        .expect("a DECL-LOC-001 test case");
    assert!(case.contains("kensa-declaration"), "{case}");
    // Issue 20: CSV, SARIF and JUnit carry the section apart from the observed controls.
    // CSV: the `section` column; the declared rows (statements, facts not verified, DECL-*
    // findings) after every observed finding, provider by provider.
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(rows[0].ends_with(",detail,section"), "{}", rows[0]);
    let first_declared = rows
        .iter()
        .position(|r| r.ends_with(",declared"))
        .expect("declared rows");
    assert!(
        rows[1..first_declared]
            .iter()
            .all(|r| r.ends_with(",findings") && !r.contains(",DECL-"))
    );
    assert!(
        rows[first_declared..]
            .iter()
            .all(|r| r.ends_with(",declared"))
    );
    let declared_csv: Vec<&str> = rows[first_declared..]
        .iter()
        .copied()
        .filter(|r| !r.contains(",kensa-declaration,"))
        .collect();
    assert!(
        declared_csv
            .iter()
            .any(|r| r.starts_with("beta,,declaration,statement:cdns,contradict,"))
    );
    assert!(
        declared_csv
            .iter()
            .any(|r| r.starts_with("acme,,declaration,statement:cas,agree,"))
    );
    // SARIF: a second run for the section (DECL-* results and the statements), none of
    // the DECL-* results in the first.
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert!(
        runs[0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| !r["ruleId"].as_str().unwrap().starts_with("DECL-"))
    );
    let decl_run = &runs[1];
    assert_eq!(
        decl_run["automationDetails"]["id"],
        "kensa/run-decl/declared"
    );
    assert_eq!(decl_run["properties"]["category"], "declared-vs-observed");
    assert!(
        decl_run["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["ruleId"].as_str().unwrap().starts_with("DECL-"))
    );
    assert!(!decl_run["results"].as_array().unwrap().is_empty());
    // JUnit: a suite per provider for the section, its statements and DECL-* cases; the
    // observed suites hold no DECL-* case.
    let suites: Vec<&str> = junit.split("<testsuite ").skip(1).collect();
    assert_eq!(suites.len(), 4, "{junit}");
    assert!(suites[..2].iter().all(|s| !s.contains("DECL-")));
    assert!(suites[2].starts_with("name=\"Acme Cloud: declared vs observed\""));
    assert!(suites[3].contains("<failure message=\"the evidence contradicts the declaration"));
    let decl_suite = |s: &str| -> String { s[..s.find("</testsuite>").unwrap()].to_owned() };
    settings.bind(|| {
        insta::assert_snapshot!("declared_csv", declared_csv.join("\n"));
        insta::assert_json_snapshot!("declared_sarif_run", decl_run);
        insta::assert_snapshot!(
            "declared_junit",
            format!("{}\n{}", decl_suite(suites[2]), decl_suite(suites[3]))
        );
    });
    let json: Value = serde_json::from_str(&render(Format::Json)).unwrap();
    let text = std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap();
    let schema =
        jsonschema::draft202012::new(&serde_json::from_str::<Value>(&text).unwrap()).unwrap();
    let errors: Vec<String> = schema
        .iter_errors(&json)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let declared = json["tables"]["declared"].as_array().unwrap();
    assert_eq!(declared.len(), 2);
    let status = |p: usize, section: &str| {
        declared[p]["statements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["section"] == section)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    for section in [
        "location",
        "cas",
        "dns_operators",
        "networks",
        "cdns",
        "vendors",
        "names",
    ] {
        assert_eq!(status(0, section), "agree", "acme {section}");
        assert_eq!(status(1, section), "contradict", "beta {section}");
    }
    // This synthetic run has no route.trace record: the path is not observed (the path's
    // agree and contradict are in tests/route_netns.rs).
    assert_eq!(status(0, "path"), "not-observed");
    assert_eq!(status(1, "path"), "not-observed");
    // A run without declarations has no section and no `declared` table.
    let plain = runs::write_run(
        dir.path(),
        "run-plain",
        "2026-11-21T00:00:00Z",
        &[runs::provider("acme", "Acme", "JP", "kensa-level-1")],
        &[runs::target(
            "acme",
            "www.acme.test",
            "intermediate",
            |_| {},
        )],
    );
    let plain_render = |f| report::render_at(&plain, &[], f, now).unwrap();
    assert!(!plain_render(Format::Md).contains("Declared vs observed"));
    assert!(!plain_render(Format::Html).contains("Declared vs observed"));
    let json: Value = serde_json::from_str(&plain_render(Format::Json)).unwrap();
    assert!(json["tables"].get("declared").is_none());
}

/// A TLS fingerprint is matched like a banner: a run whose `tls.scan` recorded the JARM
/// fingerprint of a row of `data/vendors.toml` (Google's front ends, as the JARM authors
/// published it) names that vendor; undeclared, it is a DECL-VEND-001 finding naming it and
/// the fingerprint; declared, the same evidence passes.
#[test]
fn a_jarm_fingerprint_names_an_undeclared_vendor() {
    use kensa::assess::{doc, grade, profile::Library};
    const GOOGLE: &str = "27d40d40d29d40d1dc42d43d00041d4689ee210389f4f6b4b5b1b93f92252d";
    let dir = tempfile::tempdir().unwrap();
    let fixture_decl = runs::fixture("modern")["provider"]["declaration"].clone();
    let mut with_google = fixture_decl.clone();
    with_google["content"]["vendor"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "Google", "country": "US", "kind": "service"}));
    let mut silent = runs::provider("silent", "Silent", "JP", "kensa-declaration");
    silent.declaration = Some(serde_json::from_value(fixture_decl.clone()).unwrap());
    let mut open = runs::provider("open", "Open", "JP", "kensa-declaration");
    open.declaration = Some(serde_json::from_value(with_google).unwrap());
    let mut other = runs::provider("other", "Other", "JP", "kensa-declaration");
    other.declaration = Some(serde_json::from_value(fixture_decl).unwrap());
    // A synthetic record of `tls.scan --jarm`.
    let jarm = |fp: &str| {
        let fp = fp.to_owned();
        move |d: &mut Value| {
            d["probes"]["tls.scan"]["observation"]["jarm"] =
                serde_json::json!({"fingerprint": fp, "raw": [], "connections": 10});
        }
    };
    let run = runs::write_run(
        dir.path(),
        "run-jarm",
        "2026-11-21T00:00:00Z",
        &[silent, open, other],
        &[
            runs::target("silent", "modern.example.test", "modern", jarm(GOOGLE)),
            runs::target("open", "modern.example.test", "modern", jarm(GOOGLE)),
            runs::target(
                "other",
                "modern.example.test",
                "modern",
                jarm(&"1".repeat(62)),
            ),
        ],
    );
    let loaded = doc::load(&run).unwrap();
    let profile = Library::builtin()
        .unwrap()
        .builtin_profile("kensa-declaration")
        .unwrap();
    let finding = |provider: &str| {
        let t = loaded
            .targets
            .iter()
            .find(|t| t.provider == provider)
            .unwrap();
        let f = grade::judge_target(&profile, t)
            .findings
            .into_iter()
            .find(|f| f.control == "DECL-VEND-001")
            .unwrap();
        (
            f.result.as_str().to_owned(),
            serde_json::to_string(&f.evidence).unwrap(),
        )
    };
    let (result, ev) = finding("silent");
    assert_eq!(result, "fail", "{ev}");
    assert!(ev.contains("[\"Google\"]"), "{ev}");
    assert!(ev.contains(&format!("Google (US): jarm {GOOGLE}")), "{ev}");
    let (result, ev) = finding("open");
    assert_eq!(result, "pass", "{ev}");
    assert!(ev.contains(&format!("Google (US): jarm {GOOGLE}")), "{ev}");
    // A fingerprint no row has names nothing: only the declared banner's vendor is seen.
    let (result, ev) = finding("other");
    assert_eq!(result, "pass", "{ev}");
    assert!(!ev.contains("jarm"), "{ev}");
}

/// The corpus of `fuzz/fuzz_targets/declaration.rs` (`fixtures/fuzz/declaration/`), through
/// the same calls, and every truncation of the example: the parser and the signature check
/// never panic, whatever the bytes.
#[test]
fn replay_declaration_corpus() {
    let dir = root().join("fixtures/fuzz/declaration");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        if let Ok(text) = std::str::from_utf8(&data) {
            let _ = declaration::parse("fuzz.toml", text);
        }
        let _ = declaration::check_signature(b"schema = 1\n", Some(&data), None);
        n += 1;
    }
    assert!(n >= 6, "the corpus has only {n} inputs");
    let text = example_text();
    for end in (0..=text.len()).filter(|e| text.is_char_boundary(*e)) {
        if let Err(e) = declaration::parse("t.toml", &text[..end]) {
            assert!(!e.to_string().is_empty());
        }
    }
    // NaN is not a percentage.
    let nan = "schema = 1\nprovider = \"p\"\nissued = \"2026-01-02\"\n[ownership]\nforeign_share_percent = nan\n";
    assert!(declaration::parse("n.toml", nan).is_err());
}

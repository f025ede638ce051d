//! `route.trace` on a routed topology of network namespaces that the test creates and
//! removes itself: no packet leaves them (the namespaces are linked to each other only, never
//! to the host's network).
//!
//! ```text
//!  vantage ── 10.77.1.0/24 ── r1 ── 10.77.2.0/24 ── r2 ── 10.77.3.0/24 ── dest
//!  .1.2                     .1.1 .2.1             .2.2 .3.1              .3.2
//! ```
//!
//! kensa runs inside the vantage namespace (`ip netns exec`) and traces to `dest`:
//! three hops, r1 (10.77.1.1), r2 (10.77.2.2) and dest (10.77.3.2). The test's own
//! geolocation databases place 10.77.1.0/24 and 10.77.3.0/24 in Japan and 10.77.2.0/24 (r2)
//! in the United States, so the path from an in-country vantage to an in-country address
//! leaves the country: ROUTE-PATH-001 fails, and ROUTE-NET-001 fails where foreign networks
//! are of concern. A second endpoint, r1's own address, is one hop away and stays in Japan.
//!
//! Needs root (`ip netns`, raw sockets). Without them the test fails under CI (env `CI`
//! set) and is skipped with a message otherwise.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::SystemTime;

use serde_json::Value;

/// The namespaces of one test, deleted (with their links) when dropped.
struct Topology {
    names: Vec<String>,
}

impl Drop for Topology {
    fn drop(&mut self) {
        for n in &self.names {
            let _ = Command::new("ip")
                .args(["netns", "del", n])
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("ip {}: {e}", args.join(" ")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

fn sysctl(ns: &str, settings: &[&str]) -> Result<(), String> {
    let mut args = vec!["netns", "exec", ns, "sysctl", "-qw"];
    args.extend_from_slice(settings);
    ip(&args)
}

/// Build the topology: namespaces `<prefix>-{v,r1,r2,d}`.
fn build(prefix: &str) -> Result<(Topology, [String; 4]), String> {
    let [v, r1, r2, d] = ["v", "r1", "r2", "d"].map(|s| format!("{prefix}-{s}"));
    let mut topo = Topology { names: Vec::new() };
    for n in [&v, &r1, &r2, &d] {
        ip(&["netns", "add", n])?;
        topo.names.push(n.clone());
        ip(&["-n", n, "link", "set", "lo", "up"])?;
    }
    // Each veth pair is made inside a namespace with its peer in the next: no link ever
    // exists in the host's namespace.
    for (ns, dev, peer, peer_ns) in [
        (&v, "v0", "r1a", &r1),
        (&r1, "r1b", "r2a", &r2),
        (&r2, "r2b", "d0", &d),
    ] {
        ip(&[
            "-n", ns, "link", "add", "name", dev, "type", "veth", "peer", "name", peer, "netns",
            peer_ns,
        ])?;
    }
    for (ns, dev, addr) in [
        (&v, "v0", "10.77.1.2/24"),
        (&r1, "r1a", "10.77.1.1/24"),
        (&r1, "r1b", "10.77.2.1/24"),
        (&r2, "r2a", "10.77.2.2/24"),
        (&r2, "r2b", "10.77.3.1/24"),
        (&d, "d0", "10.77.3.2/24"),
    ] {
        ip(&["-n", ns, "addr", "add", addr, "dev", dev])?;
        ip(&["-n", ns, "link", "set", dev, "up"])?;
    }
    ip(&["-n", &v, "route", "add", "default", "via", "10.77.1.1"])?;
    ip(&[
        "-n",
        &r1,
        "route",
        "add",
        "10.77.3.0/24",
        "via",
        "10.77.2.2",
    ])?;
    ip(&[
        "-n",
        &r2,
        "route",
        "add",
        "10.77.1.0/24",
        "via",
        "10.77.2.1",
    ])?;
    ip(&["-n", &d, "route", "add", "default", "via", "10.77.3.1"])?;
    // The routers forward; no namespace rate-limits its ICMP answers (time exceeded, port
    // unreachable), so every probe of every round is answered.
    for ns in [&r1, &r2] {
        sysctl(ns, &["net.ipv4.ip_forward=1", "net.ipv4.icmp_ratelimit=0"])?;
    }
    for ns in [&v, &d] {
        sysctl(ns, &["net.ipv4.icmp_ratelimit=0"])?;
    }
    Ok((topo, [v, r1, r2, d]))
}

/// The test's geolocation databases (GeoIP2-City and GeoLite2-ASN layouts).
fn databases(dir: &Path) -> (String, String) {
    let net = |prefix: &str, cc: &str, asn: u32, org: &str, city: &str| kensa_lab::geo::Network {
        prefix: prefix.into(),
        country: cc.into(),
        registered_country: cc.into(),
        city: city.into(),
        lat: 0.0,
        lon: 0.0,
        asn,
        org: org.into(),
    };
    let nets = [
        net("10.77.1.0/24", "JP", 64500, "Home Net KK", "Tokyo"),
        net("10.77.2.0/24", "US", 64501, "Transit Abroad Inc", "Ashburn"),
        net("10.77.3.0/24", "JP", 64502, "Fixture Cloud KK", "Osaka"),
    ];
    let (city, asn) = kensa_lab::geo::databases(&nets, SystemTime::now()).unwrap();
    let c = common::write(dir, "lab-city.mmdb", "");
    std::fs::write(&c, city).unwrap();
    let a = common::write(dir, "lab-asn.mmdb", "");
    std::fs::write(&a, asn).unwrap();
    (
        c.to_str().unwrap().to_owned(),
        a.to_str().unwrap().to_owned(),
    )
}

fn have_root_and_ip() -> Result<(), String> {
    if !kensa_probe::testing::tool_available("ip", &["-V"]) {
        return Err("the ip tool (iproute2) is missing".into());
    }
    let out = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| format!("id: {e}"))?;
    if String::from_utf8_lossy(&out.stdout).trim() != "0" {
        return Err("not root: network namespaces and raw sockets need it".into());
    }
    Ok(())
}

/// Scan the catalog from inside the vantage namespace; returns the run directory.
fn scan_from(vantage: &str, dir: &Path, name: &str, extra: &[&str]) -> std::path::PathBuf {
    // Both providers declare that they serve from Japan only (DECL-PATH-001).
    for id in ["home", "near"] {
        common::write(
            dir,
            &format!("{id}.decl.toml"),
            &format!(
                "schema = 1\nprovider = \"{id}\"\nissued = \"2026-11-01\"\n\
                 [service]\nserving_countries = [\"JP\"]\n"
            ),
        );
    }
    let cat = common::write(
        dir,
        "catalog.toml",
        "[[provider]]\nid = \"home\"\nname = \"Home Cloud\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-3\"\ndeclaration = \"home.decl.toml\"\n\
         [[provider.endpoint]]\nhost = \"10.77.3.2\"\nport = 443\n\n\
         [[provider]]\nid = \"near\"\nname = \"Near Cloud\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-3\"\ndeclaration = \"near.decl.toml\"\n\
         [[provider.endpoint]]\nhost = \"10.77.1.1\"\nport = 443\n",
    );
    let (city, asn) = databases(dir);
    let out = dir.join(name);
    let kensa = env!("CARGO_BIN_EXE_kensa");
    let status = Command::new("ip")
        .args(["netns", "exec", vantage, kensa, "scan"])
        .arg(&cat)
        .args(["--probes", "route.trace", "--allow-private", "-q"])
        .args(["--geoip", &city, "--geoip", &asn])
        .args(["--data-dir", dir.to_str().unwrap()])
        .args(["--rate-per-host", "0"])
        .args(extra)
        .arg("--out")
        .arg(&out)
        .env("NO_COLOR", "1")
        .env("KENSA_DB", dir.join("kensa.db"))
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0), "scan in the vantage namespace");
    out
}

fn route_of(run: &Path, provider: &str) -> Value {
    common::evidence(run)
        .into_iter()
        .find(|e| e["target"]["provider"] == provider && e["probe"] == "route.trace")
        .unwrap_or_else(|| panic!("no route.trace record for {provider}"))
}

/// `(ttl, address, asn, as_org, country)` of every hop's first responder.
fn hops(path: &Value) -> Vec<(u64, String, u64, String, String)> {
    path["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let r = &h["responders"][0];
            (
                h["ttl"].as_u64().unwrap(),
                r["address"].as_str().unwrap_or("-").to_owned(),
                r["asn"].as_u64().unwrap_or(0),
                r["as_org"].as_str().unwrap_or("-").to_owned(),
                r["country"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

fn finding(run: &Path, profile: &str, provider: &str, control: &str) -> String {
    let (_, out, err) = common::run(&[
        "assess",
        run.to_str().unwrap(),
        "--profile",
        profile,
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let p = v["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["provider"]["id"] == provider)
        .unwrap();
    let prof = p["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["profile"] == profile)
        .unwrap();
    let f = prof["targets"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["control"] == control)
        .unwrap_or_else(|| panic!("no {control} finding in {prof}"));
    f["result"].as_str().unwrap().to_owned()
}

#[test]
fn route_trace_on_a_three_hop_namespace_topology() {
    if let Err(why) = have_root_and_ip() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but the namespace test cannot run: {why}"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let prefix = format!("krt{}", std::process::id());
    let (_topo, [v, _, _, _]) = build(&prefix).unwrap_or_else(|e| panic!("topology: {e}"));
    let dir = tempfile::tempdir().unwrap();

    for (protocol, port) in [("tcp", 443), ("udp", 33434)] {
        let run = scan_from(
            &v,
            dir.path(),
            &format!("run-{protocol}"),
            &["--route-protocol", protocol],
        );
        let rec = route_of(&run, "home");
        assert_eq!(rec["outcome"], "success", "{rec}");
        let o = &rec["observation"];
        assert_eq!(o["protocol"], protocol);
        assert_eq!(o["port"], port);
        let path = &o["paths"][0];
        assert_eq!(path["destination"], "10.77.3.2");
        assert_eq!(path["reached"], true, "{path}");
        let s = |x: &str| x.to_owned();
        assert_eq!(
            hops(path),
            vec![
                (1, s("10.77.1.1"), 64500, s("Home Net KK"), s("JP")),
                (2, s("10.77.2.2"), 64501, s("Transit Abroad Inc"), s("US")),
                (3, s("10.77.3.2"), 64502, s("Fixture Cloud KK"), s("JP")),
            ],
            "{protocol}: {path}"
        );
        for h in path["hops"].as_array().unwrap() {
            assert_eq!(h["responders"].as_array().unwrap().len(), 1, "{h}");
            assert!(h["rtt_best_us"].as_u64().is_some(), "{h}");
            assert_eq!(h["sent"], h["received"], "every probe answered: {h}");
        }
        assert_eq!(path["hops"][2]["destination"], true);
        assert_eq!(path["countries"], serde_json::json!(["JP", "US"]));
        assert_eq!(path["origin_country"], "JP");
        assert_eq!(path["destination_country"], "JP");
        assert_eq!(path["silent_hops"], 0);
        assert_eq!(path["unplaced_responders"], 0);

        // r1's own address: one hop, in Japan.
        let near = route_of(&run, "near");
        assert_eq!(
            hops(&near["observation"]["paths"][0]),
            vec![(1, s("10.77.1.1"), 64500, s("Home Net KK"), s("JP"))]
        );
    }

    // Judged: the path leaves Japan through r2 (level 3 and the declaration profile); the
    // one-hop path stays in Japan.
    let run = dir.path().join("run-tcp");
    assert_eq!(
        finding(&run, "kensa-level-3", "home", "ROUTE-PATH-001"),
        "fail"
    );
    assert_eq!(
        finding(&run, "kensa-declaration", "home", "ROUTE-PATH-001"),
        "fail"
    );
    assert_eq!(
        finding(&run, "kensa-declaration", "home", "ROUTE-NET-001"),
        "fail"
    );
    assert_eq!(
        finding(&run, "kensa-level-3", "near", "ROUTE-PATH-001"),
        "pass"
    );
    assert_eq!(
        finding(&run, "kensa-declaration", "near", "ROUTE-NET-001"),
        "pass"
    );
    // Against the declarations (serving from Japan only): the path through r2 contradicts
    // it, naming the United States; the one-hop path agrees.
    assert_eq!(
        finding(&run, "kensa-declaration", "home", "DECL-PATH-001"),
        "fail"
    );
    assert_eq!(
        finding(&run, "kensa-declaration", "near", "DECL-PATH-001"),
        "pass"
    );
    let (_, out, _) = common::run(&["report", run.to_str().unwrap(), "--format", "json"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    let path = |provider: &str| {
        report["tables"]["declared"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["provider"] == provider)
            .unwrap()["statements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["section"] == "path")
            .unwrap()
            .clone()
    };
    let home = path("home");
    assert_eq!(home["status"], "contradict", "{home}");
    assert_eq!(home["undeclared"], serde_json::json!(["US"]));
    assert_eq!(
        home["observed"],
        serde_json::json!(["to 10.77.3.2 from JP: JP → US"])
    );
    assert_eq!(home["records"][0]["probe"], "route.trace");
    assert_eq!(path("near")["status"], "agree");
}

/// The trace is held to the dial seam's scope: a destination outside the scan's private
/// permission is refused before a packet is sent (no --allow-private), recorded as
/// `not-allowed`.
#[test]
fn route_trace_refuses_a_private_destination_without_allow_private() {
    if let Err(why) = have_root_and_ip() {
        assert!(std::env::var_os("CI").is_none(), "CI is set: {why}");
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let (code, _, err) = common::run(&[
        "scan",
        "127.0.0.1:9",
        "--probes",
        "route.trace",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let rec = common::evidence(&out)
        .into_iter()
        .find(|e| e["probe"] == "route.trace")
        .unwrap();
    assert_eq!(rec["outcome"], "not-allowed", "{rec}");
}

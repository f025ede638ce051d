//! The DNS probe against real authoritative servers on 127.0.0.1 (hickory-server, in
//! process, serving the fixture zones below) and a scripted ECS-aware responder.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::proto::op::{Edns, Message, MessageType, ResponseCode};
use hickory_resolver::proto::rr::rdata::A;
use hickory_resolver::proto::rr::rdata::opt::{ClientSubnet, EdnsCode, EdnsOption};
use hickory_resolver::proto::rr::{RData, Record, RecordType};
use kensa_lab::dns::{DnsLab, Signing, Zone};
use kensa_probe::Outcome;
use kensa_probe_dns::{
    Anchors, ClientPrefix, Config, Dns, DnssecState, ResolverAddr, ResolverSource, Status,
    observe_host,
};

const EXAMPLE: &str = r#"$ORIGIN example.test.
$TTL 300
@        IN SOA   ns1.example.test. hostmaster.example.test. 2026112201 3600 600 86400 60
@        IN NS    ns1
@        IN NS    ns2
ns1      IN A     127.0.0.53
ns2      IN AAAA  ::1
@        IN CAA   0 issue "ca.example.net; account=42"
@        IN CAA   0 iodef "mailto:security@example.test"
www      IN CNAME a
a        IN CNAME b
b        IN CNAME c
c   60   IN A     127.0.0.10
c   60   IN AAAA  ::1
api.sub  IN A     127.0.0.11
own-caa  IN A     127.0.0.12
own-caa  IN CAA   128 issue ";"
own-caa  IN CAA   0 issuewild "wild.example.net"
own-caa  IN CAA   128 tbs "unknown"
old      IN CNAME gone
svc      IN A     127.0.0.13
svc      IN HTTPS 1 . alpn="h2,h3" port=8443 ipv4hint=127.0.0.13 ech="AEX+DQBBpQAgACB6"
_443._tcp.svc IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
geo      IN A     127.0.0.30
"#;

/// The same zone as another resolver sees it: `geo` steered elsewhere.
const EXAMPLE_OTHER: &str = r#"$ORIGIN example.test.
$TTL 300
@        IN SOA   ns1.example.test. hostmaster.example.test. 2026112201 3600 600 86400 60
@        IN NS    ns1
ns1      IN A     127.0.0.53
geo      IN A     127.0.0.31
"#;

const SECURE: &str = r#"$ORIGIN secure.test.
$TTL 300
@        IN SOA   ns1.secure.test. hostmaster.secure.test. 1 3600 600 86400 60
@        IN NS    ns1
ns1      IN A     127.0.0.53
www      IN A     127.0.0.20
"#;

const BOGUS: &str = r#"$ORIGIN bogus.test.
$TTL 300
@        IN SOA   ns1.bogus.test. hostmaster.bogus.test. 1 3600 600 86400 60
@        IN NS    ns1
ns1      IN A     127.0.0.53
www      IN A     127.0.0.21
"#;

struct Lab {
    main: DnsLab,
    other: DnsLab,
    anchors: tempfile::NamedTempFile,
    _dir: tempfile::TempDir,
}

async fn lab() -> Lab {
    let dir = tempfile::tempdir().unwrap();
    let main = DnsLab::start(
        &[
            Zone::plain("example.test.", EXAMPLE),
            Zone::signed("secure.test.", SECURE, Signing::Valid),
            Zone::signed("bogus.test.", BOGUS, Signing::WrongAnchor),
        ],
        dir.path(),
    )
    .await
    .unwrap();
    let sub = dir.path().join("other");
    std::fs::create_dir(&sub).unwrap();
    let other = DnsLab::start(&[Zone::plain("example.test.", EXAMPLE_OTHER)], &sub)
        .await
        .unwrap();
    let anchors = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(anchors.path(), &main.anchors).unwrap();
    Lab {
        main,
        other,
        anchors,
        _dir: dir,
    }
}

fn config(servers: &[SocketAddr], anchors: &std::path::Path) -> Config {
    let mut c = Config::new(
        servers
            .iter()
            .map(|a| ResolverAddr {
                addr: *a,
                source: ResolverSource::Explicit,
            })
            .collect(),
    );
    c.timeout = Duration::from_millis(500);
    c.attempts = 1;
    c.anchors = Anchors::File(anchors.to_path_buf());
    c
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[tokio::test]
async fn three_hop_cname_chain_zone_caa_and_name_servers() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    let (outcome, obs, err) = observe_host(&dns, "www.example.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::Success, "{err:?}");
    assert_eq!(obs.name, "www.example.test.");
    assert_eq!(obs.addresses, vec![ip("127.0.0.10"), ip("::1")]);
    let v = &obs.resolvers[0];
    assert_eq!(v.resolver, lab.main.addr.to_string());
    assert_eq!(v.a.status, Status::Answer);
    let hops: Vec<(&str, &str, u32)> =
        v.a.cname_chain
            .iter()
            .map(|h| (h.name.as_str(), h.target.as_str(), h.ttl_s))
            .collect();
    assert_eq!(
        hops,
        vec![
            ("www.example.test.", "a.example.test.", 300),
            ("a.example.test.", "b.example.test.", 300),
            ("b.example.test.", "c.example.test.", 300),
        ]
    );
    assert_eq!(v.a.records[0].ttl_s, 60);
    assert_eq!(v.aaaa.cname_chain.len(), 3);
    assert!(obs.dangling.is_empty());

    let zone = obs.zone.as_ref().unwrap();
    assert_eq!(zone.apex, "example.test.");
    let soa = zone.soa.as_ref().unwrap();
    assert_eq!(
        (soa.mname.as_str(), soa.serial, soa.minimum_s),
        ("ns1.example.test.", 2026112201, 60)
    );
    let ns: Vec<(&str, Vec<IpAddr>)> = zone
        .name_servers
        .iter()
        .map(|n| (n.name.as_str(), n.addresses.clone()))
        .collect();
    assert!(
        ns.contains(&("ns1.example.test.", vec![ip("127.0.0.53")])),
        "{ns:?}"
    );
    assert!(
        ns.contains(&("ns2.example.test.", vec![ip("::1")])),
        "{ns:?}"
    );

    // CAA: www is a CNAME to c, which has none; climbing reaches the apex.
    assert_eq!(obs.caa.found_at.as_deref(), Some("example.test."));
    assert!(obs.caa.complete);
    let steps: Vec<&str> = obs.caa.climbed.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(steps, vec!["www.example.test.", "example.test."]);
    let issue = obs.caa.records.iter().find(|r| r.tag == "issue").unwrap();
    assert_eq!(issue.issuer_domain.as_deref(), Some("ca.example.net"));
    assert_eq!(
        issue.parameters,
        vec![("account".to_owned(), "42".to_owned())]
    );
    assert!(obs.caa.records.iter().any(|r| r.tag == "iodef"));
    // No anchor of this island of trust covers example.test: indeterminate (RFC 4035 §4.3).
    assert!(!obs.dnssec.covered_by_anchor);
    assert_eq!(obs.dnssec.state, DnssecState::Indeterminate);
    assert_eq!(obs.dnssec.dnskey.status, Status::NoData);
    lab.main.stop().await;
    lab.other.stop().await;
}

#[tokio::test]
async fn caa_on_a_parent_and_at_the_name() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    let (_, obs, _) = observe_host(&dns, "api.sub.example.test", 443, &[]).await;
    let steps: Vec<(&str, Status)> = obs
        .caa
        .climbed
        .iter()
        .map(|s| (s.name.as_str(), s.status.clone()))
        .collect();
    // sub.example.test has no records of its own (an empty non-terminal: NOERROR, no data).
    assert_eq!(
        steps,
        vec![
            ("api.sub.example.test.", Status::NoData),
            ("sub.example.test.", Status::NoData),
            ("example.test.", Status::Answer),
        ]
    );
    assert_eq!(obs.caa.found_at.as_deref(), Some("example.test."));

    let (_, obs, _) = observe_host(&dns, "own-caa.example.test", 443, &[]).await;
    assert_eq!(obs.caa.found_at.as_deref(), Some("own-caa.example.test."));
    let mut recs: Vec<(String, bool, Option<String>, String)> = obs
        .caa
        .records
        .iter()
        .map(|r| {
            (
                r.tag.clone(),
                r.critical,
                r.issuer_domain.clone(),
                r.value.clone(),
            )
        })
        .collect();
    recs.sort();
    assert_eq!(
        recs,
        vec![
            ("issue".to_owned(), true, None, ";".to_owned()),
            (
                "issuewild".to_owned(),
                false,
                Some("wild.example.net".to_owned()),
                "wild.example.net".to_owned()
            ),
            ("tbs".to_owned(), true, None, "unknown".to_owned()),
        ]
    );
    lab.main.stop().await;
    lab.other.stop().await;
}

#[tokio::test]
async fn dangling_cname_is_evidence_not_a_crash() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    let (outcome, obs, err) = observe_host(&dns, "old.example.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::DnsFailure);
    assert!(err.unwrap().contains("has no address"));
    assert_eq!(obs.resolvers[0].a.status, Status::NxDomain);
    assert_eq!(obs.dangling.len(), 1);
    assert_eq!(obs.dangling[0].name, "old.example.test.");
    assert_eq!(obs.dangling[0].target, "gone.example.test.");

    let (outcome, obs, _) = observe_host(&dns, "nothing.example.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::DnsFailure);
    assert_eq!(obs.resolvers[0].a.status, Status::NxDomain);
    assert!(obs.dangling.is_empty());
    lab.main.stop().await;
    lab.other.stop().await;
}

#[tokio::test]
async fn https_and_tlsa_records() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    let (outcome, obs, _) = observe_host(&dns, "svc.example.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::Success);
    assert_eq!(obs.https.status, Status::Answer);
    let h = &obs.https.records[0];
    assert_eq!(h.priority, 1);
    assert_eq!(h.target, ".");
    assert_eq!(h.alpn, vec!["h2", "h3"]);
    assert_eq!(h.port, Some(8443));
    assert!(h.ech);
    assert_eq!(h.ipv4_hints, vec![ip("127.0.0.13")]);
    assert_eq!(obs.tlsa.name, "_443._tcp.svc.example.test.");
    assert_eq!(obs.tlsa.records.len(), 1);
    let t = &obs.tlsa.records[0];
    assert_eq!((t.usage, t.selector, t.matching_type), (3, 1, 1));
    assert_eq!(
        t.data_hex,
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    );
    // Port 8443 has no TLSA.
    let (_, obs, _) = observe_host(&dns, "svc.example.test", 8443, &[]).await;
    assert_eq!(obs.tlsa.status, Status::NxDomain);
    lab.main.stop().await;
    lab.other.stop().await;
}

#[tokio::test]
async fn dnssec_secure_and_bogus() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    let (outcome, obs, _) = observe_host(&dns, "www.secure.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::Success);
    assert_eq!(obs.resolvers[0].a.dnssec, DnssecState::Secure);
    assert_eq!(obs.dnssec.anchors, "file");
    assert_eq!(obs.dnssec.dnskey.status, Status::Answer);
    assert!(
        obs.dnssec
            .dnskey
            .records
            .iter()
            .all(|k| k.number == 13 && k.name == "ECDSAP256SHA256")
    );

    let (outcome, obs, _) = observe_host(&dns, "www.bogus.test", 443, &[]).await;
    // The addresses are still recorded (and probed): bogus is a finding for the controls.
    assert_eq!(outcome, Outcome::Success);
    assert_eq!(obs.addresses, vec![ip("127.0.0.21")]);
    assert_eq!(obs.resolvers[0].a.dnssec, DnssecState::Bogus);
    assert_eq!(obs.dnssec.state, DnssecState::Bogus);
    assert!(
        obs.resolvers[0]
            .a
            .error
            .as_deref()
            .unwrap()
            .contains("DNSSEC")
    );
    lab.main.stop().await;
    lab.other.stop().await;
}

#[tokio::test]
async fn two_resolvers_with_different_answers() {
    let lab = lab().await;
    let dns = Dns::new(&config(
        &[lab.main.addr, lab.other.addr],
        lab.anchors.path(),
    ))
    .unwrap();
    let (outcome, obs, _) = observe_host(&dns, "geo.example.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::Success);
    assert_eq!(obs.resolvers.len(), 2);
    assert_eq!(obs.resolvers[0].a.records[0].address, ip("127.0.0.30"));
    assert_eq!(obs.resolvers[1].a.records[0].address, ip("127.0.0.31"));
    assert_eq!(obs.addresses, vec![ip("127.0.0.30"), ip("127.0.0.31")]);
    lab.main.stop().await;
    lab.other.stop().await;
}

#[tokio::test]
async fn unreachable_resolver_is_a_timeout_and_ip_literals_need_no_dns() {
    // A bound UDP socket that never answers.
    let silent = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let anchors = tempfile::NamedTempFile::new().unwrap();
    let mut c = config(&[silent.local_addr().unwrap()], anchors.path());
    c.anchors = Anchors::IanaRoot;
    c.timeout = Duration::from_millis(200);
    let dns = Dns::new(&c).unwrap();
    let (outcome, obs, _) = observe_host(&dns, "www.example.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::DnsFailure);
    assert_eq!(obs.resolvers[0].a.status, Status::Timeout);
    assert!(!obs.caa.complete);

    let (outcome, obs, _) = observe_host(&dns, "127.0.0.1", 443, &[]).await;
    assert_eq!(outcome, Outcome::Success);
    assert!(!obs.applicable);
    assert!(obs.resolvers.is_empty());
}

/// A resolver that answers by the client subnet it is told about (RFC 7871): clients in
/// 203.0.113.0/24 get 127.0.0.41 with scope /24; everyone else 127.0.0.42 with scope /0.
async fn ecs_responder() -> SocketAddr {
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = sock.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 4096];
        loop {
            let Ok((n, peer)) = sock.recv_from(&mut buf).await else {
                return;
            };
            let Ok(q) = Message::from_vec(&buf[..n]) else {
                continue;
            };
            let query = q.queries[0].clone();
            let subnet = q
                .edns
                .as_ref()
                .and_then(|e| match e.options().get(EdnsCode::Subnet) {
                    Some(EdnsOption::Subnet(cs)) => Some(*cs),
                    _ => None,
                });
            let jp = subnet.is_some_and(
                |cs| matches!(cs.addr(), IpAddr::V4(a) if a.octets()[..3] == [203, 0, 113]),
            );
            let mut r = Message::new(q.metadata.id, MessageType::Response, q.metadata.op_code);
            r.metadata.recursion_desired = true;
            r.metadata.recursion_available = true;
            r.metadata.response_code = ResponseCode::NoError;
            r.add_query(query.clone());
            if query.query_type == RecordType::A {
                let a = if jp { [127, 0, 0, 41] } else { [127, 0, 0, 42] };
                r.add_answer(Record::from_rdata(
                    query.name.clone(),
                    30,
                    RData::A(A::new(a[0], a[1], a[2], a[3])),
                ));
            }
            if let Some(cs) = subnet {
                let mut e = Edns::new();
                let scope = if jp { 24 } else { 0 };
                e.options_mut().insert(EdnsOption::Subnet(ClientSubnet::new(
                    cs.addr(),
                    cs.source_prefix(),
                    scope,
                )));
                r.set_edns(e);
            }
            let _ = sock.send_to(&r.to_vec().unwrap(), peer).await;
        }
    });
    addr
}

#[tokio::test]
async fn client_subnet_answers_show_geo_steering() {
    let server = ecs_responder().await;
    let anchors = tempfile::NamedTempFile::new().unwrap();
    let mut c = config(&[server], anchors.path());
    c.anchors = Anchors::IanaRoot;
    let dns = Dns::new(&c).unwrap();
    let jp: ClientPrefix = "203.0.113.77/24".parse().unwrap();
    let other: ClientPrefix = "198.51.100.0/24".parse().unwrap();
    let (outcome, obs, _) = observe_host(&dns, "steered.example.test", 443, &[jp, other]).await;
    assert_eq!(outcome, Outcome::Success);
    // Without a subnet the resolver answers for everyone else.
    assert_eq!(obs.addresses, vec![ip("127.0.0.42")]);
    assert_eq!(obs.client_subnets.len(), 2);
    let s = &obs.client_subnets[0];
    assert_eq!(s.subnet, "203.0.113.77/24");
    assert_eq!(s.a.records[0].address, ip("127.0.0.41"));
    assert_eq!(s.scope_prefix, Some(24));
    let s = &obs.client_subnets[1];
    assert_eq!(s.a.records[0].address, ip("127.0.0.42"));
    assert_eq!(s.scope_prefix, Some(0));
}

/// The whole observation for the chained name, exactly (round-trip times and the lab's
/// ephemeral port redacted).
#[tokio::test]
async fn whole_observation_snapshot() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    let (_, obs, _) = observe_host(&dns, "www.example.test", 443, &[]).await;
    let mut v = serde_json::to_value(&obs).unwrap();
    // Name-server order follows the server's answer order: sort it for a stable snapshot.
    if let Some(ns) = v["zone"]["name_servers"].as_array_mut() {
        ns.sort_by_key(|n| n["name"].as_str().unwrap_or_default().to_owned());
    }
    let port = lab.main.addr.to_string();
    let text = serde_json::to_string_pretty(&v)
        .unwrap()
        .replace(&port, "127.0.0.1:PORT");
    insta::with_settings!({filters => vec![(r#""rtt_us": \d+"#, r#""rtt_us": "[µs]""#)]}, {
        insta::assert_snapshot!(text);
    });
    lab.main.stop().await;
    lab.other.stop().await;
}

//! The DNS probe against real authoritative servers on 127.0.0.1 (hickory-server, in
//! process, serving the fixture zones below) and a scripted ECS-aware responder.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::proto::op::{Edns, Message, MessageType, Query, ResponseCode};
use hickory_resolver::proto::rr::rdata::opt::{ClientSubnet, EdnsCode, EdnsOption};
use hickory_resolver::proto::rr::rdata::{A, CNAME};
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};
use kensa_lab::dns::{DnsLab, Signing, Zone};
use kensa_probe::Outcome;
use kensa_probe_dns::{
    Anchors, ClientPrefix, Config, Dangling, Dns, DnssecAlgorithm, DnssecState, ResolverAddr,
    ResolverSource, Status, observe_host,
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
_8443._https.svc IN HTTPS 1 svc.example.test. alpn="h3" port=8443
_443._tcp.svc IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
geo      IN A     127.0.0.30
empty    IN CNAME txt-only
txt-only IN TXT   "no addresses here"
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
@        IN CAA   0 issue "ca.example.net"
www      IN A     127.0.0.20
www      IN HTTPS 1 . alpn="h2"
_443._tcp.www IN TLSA 3 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
"#;

const BOGUS: &str = r#"$ORIGIN bogus.test.
$TTL 300
@        IN SOA   ns1.bogus.test. hostmaster.bogus.test. 1 3600 600 86400 60
@        IN NS    ns1
ns1      IN A     127.0.0.53
@        IN CAA   0 issue "ca.example.net"
www      IN A     127.0.0.21
www      IN HTTPS 1 . alpn="h2"
_443._tcp.www IN TLSA 3 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
"#;

/// A signed parent (its key is a trust anchor) delegating to a signed child (a DS in the
/// parent, added by the lab) and to an unsigned child (no DS: an insecure delegation).
const PARENT: &str = r#"$ORIGIN parent.test.
$TTL 300
@        IN SOA   ns1.parent.test. hostmaster.parent.test. 1 3600 600 86400 60
@        IN NS    ns1
ns1      IN A     127.0.0.53
signed   IN NS    ns1.parent.test.
unsigned IN NS    ns1.parent.test.
"#;

const SIGNED_CHILD: &str = r#"$ORIGIN signed.parent.test.
$TTL 300
@        IN SOA   ns1.parent.test. hostmaster.parent.test. 1 3600 600 86400 60
@        IN NS    ns1.parent.test.
@        IN CAA   0 issue "ca.example.net"
www      IN A     127.0.0.22
"#;

const UNSIGNED_CHILD: &str = r#"$ORIGIN unsigned.parent.test.
$TTL 300
@        IN SOA   ns1.parent.test. hostmaster.parent.test. 1 3600 600 86400 60
@        IN NS    ns1.parent.test.
@        IN CAA   0 issue "ca.example.net"
www      IN A     127.0.0.23
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
            Zone::signed("parent.test.", PARENT, Signing::Valid),
            Zone::signed("signed.parent.test.", SIGNED_CHILD, Signing::Delegated),
            Zone::plain("unsigned.parent.test.", UNSIGNED_CHILD),
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
    udp_responder(|q| {
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
        let mut r = reply(q, ResponseCode::NoError);
        if query.query_type == RecordType::A {
            let a = if jp { [127, 0, 0, 41] } else { [127, 0, 0, 42] };
            r.add_answer(Record::from_rdata(
                query.name,
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
        Some(r)
    })
    .await
}

/// A UDP resolver on 127.0.0.1 answering each parsed question with `answer` (`None`: no
/// answer at all).
async fn udp_responder<F>(answer: F) -> SocketAddr
where
    F: Fn(&Message) -> Option<Message> + Send + 'static,
{
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
            if let Some(r) = answer(&q) {
                let _ = sock.send_to(&r.to_vec().unwrap(), peer).await;
            }
        }
    });
    addr
}

/// A response to `q` with `rcode`, recursion flags set and the question echoed.
fn reply(q: &Message, rcode: ResponseCode) -> Message {
    let mut r = Message::new(q.metadata.id, MessageType::Response, q.metadata.op_code);
    r.metadata.recursion_desired = true;
    r.metadata.recursion_available = true;
    r.metadata.response_code = rcode;
    r.add_query(q.queries[0].clone());
    r
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

/// CAA, HTTPS, TLSA, SOA, NS and DNSKEY answers carry their own validation state: secure in
/// the signed zone, bogus in the zone signed with a key the anchors do not hold. NODATA
/// answers (no AAAA, no CAA at `www`) are proven absent, so they are secure too.
#[tokio::test]
async fn dnssec_state_of_every_answer_secure_and_bogus() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    for (host, zone, want) in [
        ("www.secure.test", "secure.test.", DnssecState::Secure),
        ("www.bogus.test", "bogus.test.", DnssecState::Bogus),
    ] {
        let (outcome, obs, err) = observe_host(&dns, host, 443, &[]).await;
        assert_eq!(outcome, Outcome::Success, "{host}: {err:?}");
        let v = &obs.resolvers[0];
        assert_eq!(
            (
                v.a.status.clone(),
                v.a.dnssec,
                v.aaaa.status.clone(),
                v.aaaa.dnssec
            ),
            (Status::Answer, want, Status::NoData, want),
            "{host}"
        );
        assert_eq!(obs.dnssec.state, want, "{host}");
        assert_eq!(obs.zone_status, Status::Answer, "{host}");
        let z = obs.zone.as_ref().unwrap();
        assert_eq!(
            (
                z.apex.as_str(),
                z.soa_dnssec,
                z.ns_status.clone(),
                z.ns_dnssec
            ),
            (zone, want, Status::Answer, want),
            "{host}"
        );
        let steps: Vec<(&str, Status, usize, DnssecState)> = obs
            .caa
            .climbed
            .iter()
            .map(|s| (s.name.as_str(), s.status.clone(), s.count, s.dnssec))
            .collect();
        let www = format!("www.{zone}");
        assert_eq!(
            steps,
            vec![
                (www.as_str(), Status::NoData, 0, want),
                (zone, Status::Answer, 1, want),
            ],
            "{host}"
        );
        assert_eq!(obs.caa.found_at.as_deref(), Some(zone));
        assert_eq!(obs.caa.dnssec, want, "{host}");
        assert_eq!(
            (
                obs.https.name.as_str(),
                obs.https.status.clone(),
                obs.https.dnssec
            ),
            (www.as_str(), Status::Answer, want),
            "{host}"
        );
        assert_eq!(obs.https.records[0].alpn, vec!["h2"]);
        let tlsa = format!("_443._tcp.www.{zone}");
        assert_eq!(
            (
                obs.tlsa.name.as_str(),
                obs.tlsa.status.clone(),
                obs.tlsa.dnssec
            ),
            (tlsa.as_str(), Status::Answer, want),
            "{host}"
        );
        assert_eq!(
            (obs.dnssec.dnskey.status.clone(), obs.dnssec.dnskey.dnssec),
            (Status::Answer, want),
            "{host}"
        );
        // The DS set would live in `test.`, which no anchor of this island covers
        // (RFC 4035 §4.3): indeterminate by definition, and not served at all.
        assert_eq!(
            (obs.dnssec.ds.status.clone(), obs.dnssec.ds.dnssec),
            (Status::NoData, DnssecState::Indeterminate),
            "{host}"
        );
        assert!(!obs.budget_exhausted);
    }
    lab.main.stop().await;
    lab.other.stop().await;
}

/// A signed parent holds a DS for its signed child (secure through the parent's anchor) and
/// none for its unsigned child, whose answers are therefore provably insecure.
#[tokio::test]
async fn ds_from_a_signed_parent_and_an_insecure_delegation() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    // The one DS the lab added: `signed.parent.test. 3600 IN DS TAG 13 2 DIGEST`.
    let ds_line: Vec<&str> = lab.main.ds.split_whitespace().collect();
    assert_eq!(ds_line[..4], ["signed.parent.test.", "3600", "IN", "DS"]);
    let tag: u16 = ds_line[4].parse().unwrap();

    let (outcome, obs, _) = observe_host(&dns, "www.signed.parent.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::Success);
    assert_eq!(obs.addresses, vec![ip("127.0.0.22")]);
    assert_eq!(obs.resolvers[0].a.dnssec, DnssecState::Secure);
    assert_eq!(obs.dnssec.state, DnssecState::Secure);
    assert_eq!(obs.zone.as_ref().unwrap().apex, "signed.parent.test.");
    assert_eq!(obs.dnssec.ds.name, "signed.parent.test.");
    assert_eq!(
        (obs.dnssec.ds.status.clone(), obs.dnssec.ds.dnssec),
        (Status::Answer, DnssecState::Secure)
    );
    assert_eq!(
        obs.dnssec.ds.records,
        vec![DnssecAlgorithm {
            number: 13,
            name: "ECDSAP256SHA256".to_owned(),
            detail: 2, // SHA-256
            key_tag: tag,
        }]
    );
    assert_eq!(
        obs.dnssec.dnskey.records,
        vec![DnssecAlgorithm {
            number: 13,
            name: "ECDSAP256SHA256".to_owned(),
            detail: 1, // SEP
            key_tag: tag,
        }]
    );
    assert_eq!(obs.dnssec.dnskey.dnssec, DnssecState::Secure);
    assert_eq!(obs.caa.dnssec, DnssecState::Secure);

    let (outcome, obs, _) = observe_host(&dns, "www.unsigned.parent.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::Success);
    assert_eq!(obs.addresses, vec![ip("127.0.0.23")]);
    let v = &obs.resolvers[0];
    assert_eq!(
        (v.a.dnssec, v.aaaa.dnssec),
        (DnssecState::Insecure, DnssecState::Insecure)
    );
    assert_eq!(v.a.error, None);
    assert_eq!(obs.dnssec.state, DnssecState::Insecure);
    let z = obs.zone.as_ref().unwrap();
    assert_eq!(
        (z.apex.as_str(), z.soa_dnssec, z.ns_dnssec),
        (
            "unsigned.parent.test.",
            DnssecState::Insecure,
            DnssecState::Insecure
        )
    );
    // The parent proves (signed NSEC) that there is no DS: the absence is secure, the
    // child's own answers insecure.
    assert_eq!(
        (
            obs.dnssec.ds.status.clone(),
            obs.dnssec.ds.dnssec,
            obs.dnssec.ds.records.len()
        ),
        (Status::NoData, DnssecState::Secure, 0)
    );
    assert_eq!(
        (obs.dnssec.dnskey.status.clone(), obs.dnssec.dnskey.dnssec),
        (Status::NoData, DnssecState::Insecure)
    );
    assert_eq!(obs.caa.found_at.as_deref(), Some("unsigned.parent.test."));
    assert_eq!(obs.caa.dnssec, DnssecState::Insecure);
    assert_eq!(
        (obs.https.status.clone(), obs.https.dnssec),
        (Status::NoData, DnssecState::Insecure)
    );
    assert_eq!(
        (obs.tlsa.status.clone(), obs.tlsa.dnssec),
        (Status::NxDomain, DnssecState::Insecure)
    );
    lab.main.stop().await;
    lab.other.stop().await;
}

/// RFC 9460 §9.1: the HTTPS records for a port other than 443 live at `_PORT._https.NAME`.
#[tokio::test]
async fn https_records_for_port_8443_are_asked_at_port_prefixed_name() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    let (_, obs, _) = observe_host(&dns, "svc.example.test", 8443, &[]).await;
    assert_eq!(obs.https.name, "_8443._https.svc.example.test.");
    assert_eq!(obs.https.status, Status::Answer);
    assert_eq!(obs.https.records.len(), 1);
    let h = &obs.https.records[0];
    assert_eq!(
        (h.priority, h.target.as_str(), h.alpn.clone(), h.port, h.ech),
        (
            1,
            "svc.example.test.",
            vec!["h3".to_owned()],
            Some(8443),
            false
        )
    );
    assert_eq!(obs.tlsa.name, "_8443._tcp.svc.example.test.");
    // Port 443 still asks at the name itself.
    let (_, obs, _) = observe_host(&dns, "svc.example.test", 443, &[]).await;
    assert_eq!(obs.https.name, "svc.example.test.");
    assert_eq!(obs.https.records[0].alpn, vec!["h2", "h3"]);
    // A port without records there: the owner does not exist.
    let (_, obs, _) = observe_host(&dns, "svc.example.test", 9443, &[]).await;
    assert_eq!(
        (obs.https.name.as_str(), obs.https.status.clone()),
        ("_9443._https.svc.example.test.", Status::NxDomain)
    );
    lab.main.stop().await;
    lab.other.stop().await;
}

/// A CNAME whose target exists but has no A or AAAA dangles too (`no-data`).
#[tokio::test]
async fn dangling_cname_to_a_name_without_addresses() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    let (outcome, obs, _) = observe_host(&dns, "empty.example.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::DnsFailure);
    assert_eq!(
        (
            obs.resolvers[0].a.status.clone(),
            obs.resolvers[0].aaaa.status.clone()
        ),
        (Status::NoData, Status::NoData)
    );
    assert_eq!(
        obs.dangling,
        vec![Dangling {
            resolver: lab.main.addr.to_string(),
            name: "empty.example.test.".to_owned(),
            target: "txt-only.example.test.".to_owned(),
            status: Status::NoData,
        }]
    );
    // The NXDOMAIN case is recorded as such.
    let (_, obs, _) = observe_host(&dns, "old.example.test", 443, &[]).await;
    assert_eq!(obs.dangling[0].status, Status::NxDomain);
    lab.main.stop().await;
    lab.other.stop().await;
}

/// What a scripted responder does with one question.
enum Script {
    /// Never answer.
    Drop,
    /// Answer with this RCODE and these answer records.
    Reply(ResponseCode, Vec<Record>),
}

fn name(s: &str) -> Name {
    Name::from_ascii(s).unwrap()
}

/// A resolver on 127.0.0.1 (UDP only) that answers each question as `script` says.
async fn scripted(script: fn(&Query) -> Script) -> SocketAddr {
    udp_responder(move |q| {
        let Script::Reply(rcode, answers) = script(&q.queries[0]) else {
            return None;
        };
        let mut r = reply(q, rcode);
        for a in answers {
            r.add_answer(a);
        }
        Some(r)
    })
    .await
}

/// `servfail.script.test` fails, `refused.script.test` is refused, `alias-fail` and
/// `alias-silent` are CNAMEs to `servfail` and to `silent` (never answered); every other
/// name does not exist.
fn failing(q: &Query) -> Script {
    let n = q.name.to_ascii().to_ascii_lowercase();
    let cname = |target: &str| {
        Script::Reply(
            ResponseCode::NoError,
            vec![Record::from_rdata(
                q.name.clone(),
                300,
                RData::CNAME(CNAME(name(target))),
            )],
        )
    };
    match n.as_str() {
        "servfail.script.test." => Script::Reply(ResponseCode::ServFail, Vec::new()),
        "refused.script.test." => Script::Reply(ResponseCode::Refused, Vec::new()),
        "alias-fail.script.test." => cname("servfail.script.test."),
        "alias-silent.script.test." => cname("silent.script.test."),
        "silent.script.test." => Script::Drop,
        _ => Script::Reply(ResponseCode::NXDomain, Vec::new()),
    }
}

/// A configuration for a scripted resolver: short timeouts, one attempt, and an empty anchor
/// file (no name is covered, so no validating lookup is made).
fn scripted_config(server: SocketAddr, anchors: &std::path::Path) -> Config {
    let mut c = config(&[server], anchors);
    c.timeout = Duration::from_millis(200);
    c
}

/// SERVFAIL and REFUSED are evidence with their exact status, never a crash.
#[tokio::test]
async fn servfail_and_refused_are_recorded() {
    let server = scripted(failing).await;
    let anchors = tempfile::NamedTempFile::new().unwrap();
    let dns = Dns::new(&scripted_config(server, anchors.path())).unwrap();
    for (host, status) in [
        ("servfail.script.test", Status::ServFail),
        ("refused.script.test", Status::Refused),
    ] {
        let (outcome, obs, err) = observe_host(&dns, host, 443, &[]).await;
        assert_eq!(outcome, Outcome::DnsFailure, "{host}");
        let s = status.as_str();
        assert_eq!(
            err.as_deref(),
            Some(format!("{host}. has no address ({server}: A {s}, AAAA {s})").as_str())
        );
        let v = &obs.resolvers[0];
        assert_eq!(
            (v.a.status.clone(), v.aaaa.status.clone()),
            (status.clone(), status.clone()),
            "{host}"
        );
        assert!(v.a.records.is_empty() && v.a.cname_chain.is_empty());
        assert_eq!(v.a.dnssec, DnssecState::Indeterminate);
        assert!(obs.addresses.is_empty());
        assert!(obs.dangling.is_empty());
        // The zone search and the CAA climb stop at the failure: the CAA set is unknown.
        assert_eq!(obs.zone, None);
        assert_eq!(obs.zone_status, status, "{host}");
        assert_eq!(
            (
                obs.dnssec.ds.status.clone(),
                obs.dnssec.dnskey.status.clone()
            ),
            (status.clone(), status.clone())
        );
        let steps: Vec<(&str, Status)> = obs
            .caa
            .climbed
            .iter()
            .map(|s| (s.name.as_str(), s.status.clone()))
            .collect();
        let fq = format!("{host}.");
        assert_eq!(steps, vec![(fq.as_str(), status.clone())], "{host}");
        assert!(!obs.caa.complete);
        assert_eq!(obs.https.status, status, "{host}");
        assert!(!obs.budget_exhausted);
    }
}

/// A CNAME whose target cannot be looked up (SERVFAIL, or no answer at all) is recorded as
/// dangling with that status.
#[tokio::test]
async fn dangling_cname_whose_target_lookup_fails() {
    let server = scripted(failing).await;
    let anchors = tempfile::NamedTempFile::new().unwrap();
    let dns = Dns::new(&scripted_config(server, anchors.path())).unwrap();
    for (host, target, status) in [
        (
            "alias-fail.script.test",
            "servfail.script.test.",
            Status::ServFail,
        ),
        (
            "alias-silent.script.test",
            "silent.script.test.",
            Status::Timeout,
        ),
    ] {
        let (outcome, obs, _) = observe_host(&dns, host, 443, &[]).await;
        assert_eq!(outcome, Outcome::DnsFailure, "{host}");
        let v = &obs.resolvers[0];
        assert_eq!(v.a.status, status, "{host}");
        assert_eq!(v.a.cname_chain.len(), 1);
        assert_eq!(
            obs.dangling,
            vec![Dangling {
                resolver: server.to_string(),
                name: format!("{host}."),
                target: target.to_owned(),
                status,
            }]
        );
    }
}

/// `slow.script.test` has an A record (and no AAAA) that comes at once; every other
/// question about it (SOA, CAA, HTTPS, TLSA, …) is never answered.
fn slow(q: &Query) -> Script {
    let n = q.name.to_ascii().to_ascii_lowercase();
    if n != "slow.script.test." {
        return Script::Drop;
    }
    match q.query_type {
        RecordType::A => Script::Reply(
            ResponseCode::NoError,
            vec![Record::from_rdata(
                q.name.clone(),
                30,
                RData::A(A::new(127, 0, 0, 60)),
            )],
        ),
        RecordType::AAAA => Script::Reply(ResponseCode::NoError, Vec::new()),
        _ => Script::Drop,
    }
}

/// A resolver that answers A but nothing else cannot make the probe outlast its budget: the
/// addresses are recorded, everything still waiting when the budget runs out is `timeout`.
/// (Each unanswered question would take 5 × 200 ms on its own; the budget is 500 ms.)
#[tokio::test]
async fn slow_resolver_keeps_the_addresses_within_the_budget() {
    let server = scripted(slow).await;
    let anchors = tempfile::NamedTempFile::new().unwrap();
    let mut c = scripted_config(server, anchors.path());
    c.attempts = 5;
    c.budget = Duration::from_millis(500);
    let dns = Dns::new(&c).unwrap();
    let (outcome, obs, err) = observe_host(&dns, "slow.script.test", 443, &[]).await;
    assert_eq!(outcome, Outcome::Success, "{err:?}");
    assert_eq!(obs.addresses, vec![ip("127.0.0.60")]);
    let v = &obs.resolvers[0];
    assert_eq!(
        (v.a.status.clone(), v.aaaa.status.clone()),
        (Status::Answer, Status::NoData)
    );
    assert!(obs.budget_exhausted);
    assert_eq!(obs.zone, None);
    assert_eq!(obs.zone_status, Status::Timeout);
    let steps: Vec<(&str, Status)> = obs
        .caa
        .climbed
        .iter()
        .map(|s| (s.name.as_str(), s.status.clone()))
        .collect();
    assert_eq!(steps, vec![("slow.script.test.", Status::Timeout)]);
    assert!(!obs.caa.complete);
    assert_eq!(obs.https.status, Status::Timeout);
    assert_eq!(obs.tlsa.status, Status::Timeout);
    assert_eq!(
        (
            obs.dnssec.ds.status.clone(),
            obs.dnssec.dnskey.status.clone()
        ),
        (Status::Timeout, Status::Timeout)
    );
    assert!(obs.dangling.is_empty());
}

/// Observations of format 1.0.0 lack the fields 1.1.0 added; they still read, with the
/// documented defaults.
#[tokio::test]
async fn observations_of_format_1_0_0_still_read() {
    let lab = lab().await;
    let dns = Dns::new(&config(&[lab.main.addr], lab.anchors.path())).unwrap();
    let (_, obs, _) = observe_host(&dns, "www.secure.test", 443, &[]).await;
    let mut v = serde_json::to_value(&obs).unwrap();
    for (path, key) in [
        ("", "zone_status"),
        ("", "budget_exhausted"),
        ("/zone", "soa_dnssec"),
        ("/zone", "ns_dnssec"),
        ("/caa", "dnssec"),
        ("/caa/climbed/0", "dnssec"),
        ("/caa/climbed/1", "dnssec"),
        ("/https", "dnssec"),
        ("/tlsa", "dnssec"),
        ("/dnssec/ds", "dnssec"),
        ("/dnssec/dnskey", "dnssec"),
    ] {
        let o = v.pointer_mut(path).unwrap().as_object_mut().unwrap();
        assert!(o.remove(key).is_some(), "{path}/{key}");
    }
    let old: kensa_probe_dns::Observation = serde_json::from_value(v).unwrap();
    assert_eq!(old.zone_status, Status::NoData);
    assert!(!old.budget_exhausted);
    assert_eq!(
        old.zone.as_ref().unwrap().soa_dnssec,
        DnssecState::Indeterminate
    );
    assert_eq!(old.caa.dnssec, DnssecState::Indeterminate);
    assert_eq!(old.caa.climbed[1].dnssec, DnssecState::Indeterminate);
    assert_eq!(old.https.dnssec, DnssecState::Indeterminate);
    // Everything else is as observed.
    assert_eq!(old.resolvers, obs.resolvers);
    assert_eq!(old.caa.records, obs.caa.records);
    lab.main.stop().await;
    lab.other.stop().await;
}

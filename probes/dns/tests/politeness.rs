//! Issue 23, "DNS politeness and truth": the questions a scan sends to a resolver are counted
//! at a lab resolver on 127.0.0.1, and an unsigned zone whose chain to the anchors cannot be
//! fetched is indeterminate, not bogus.
//!
//! The lab resolver answers the two names' A records and NXDOMAIN to every other question
//! (the root's DNSKEY and `test.`'s NS and DS included), as a resolver serving only a lab zone
//! does. Before the fix, one `--probes dns.resolve` scan of two names under the IANA root
//! anchors sent 783 questions (`test. NS` ×286, `kuro.test. DS` ×108) and called both names
//! `bogus`.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hickory_resolver::proto::op::{Message, MessageType, ResponseCode};
use hickory_resolver::proto::rr::rdata::A;
use hickory_resolver::proto::rr::{RData, Record, RecordType};
use kensa_probe::Outcome;
use kensa_probe_dns::{
    Config, Dns, DnssecState, MAX_QUESTIONS_PER_NAME, ResolverAddr, ResolverSource, observe_host,
};

type Counts = Arc<Mutex<HashMap<(String, RecordType), u32>>>;

/// A UDP resolver on 127.0.0.1 that counts every question by (name, type).
async fn counting_resolver() -> (SocketAddr, Counts) {
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = sock.local_addr().unwrap();
    let counts: Counts = Arc::default();
    let seen = counts.clone();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 4096];
        loop {
            let Ok((n, peer)) = sock.recv_from(&mut buf).await else {
                return;
            };
            let Ok(q) = Message::from_vec(&buf[..n]) else {
                continue;
            };
            let Some(query) = q.queries.first().cloned() else {
                continue;
            };
            let name = query.name.to_ascii().to_ascii_lowercase();
            *seen
                .lock()
                .unwrap()
                .entry((name.clone(), query.query_type))
                .or_default() += 1;
            let known = matches!(name.as_str(), "www.kuro.test." | "api.kuro.test.");
            let mut r = Message::new(q.metadata.id, MessageType::Response, q.metadata.op_code);
            r.metadata.recursion_desired = true;
            r.metadata.recursion_available = true;
            r.metadata.response_code = if known {
                ResponseCode::NoError
            } else {
                ResponseCode::NXDomain
            };
            r.add_query(query.clone());
            if known && query.query_type == RecordType::A {
                r.add_answer(Record::from_rdata(
                    query.name.clone(),
                    300,
                    RData::A(A(Ipv4Addr::new(127, 0, 0, 80))),
                ));
            }
            let _ = sock.send_to(&r.to_vec().unwrap(), peer).await;
        }
    });
    (addr, counts)
}

#[tokio::test]
async fn issue_23_two_names_are_asked_politely_and_an_unreachable_chain_is_not_bogus() {
    let (server, counts) = counting_resolver().await;
    // The defaults a scan without --dnssec-anchors uses: the IANA root anchors.
    let mut config = Config::new(vec![ResolverAddr {
        addr: server,
        source: ResolverSource::Explicit,
    }]);
    config.timeout = Duration::from_millis(500);
    let dns = Dns::new(&config).unwrap();
    // As the engine runs two targets: concurrently, with one probe set-up for the run.
    let ((o1, www, _), (o2, api, _)) = tokio::join!(
        observe_host(&dns, "www.kuro.test", 443, &[]),
        observe_host(&dns, "api.kuro.test", 443, &[]),
    );
    assert_eq!((o1, o2), (Outcome::Success, Outcome::Success));

    let counts = counts.lock().unwrap().clone();
    let total: u32 = counts.values().sum();
    let mut worst: Vec<_> = counts.iter().collect();
    worst.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
    eprintln!(
        "{total} questions; most asked: {:?}",
        &worst[..worst.len().min(8)]
    );
    // Each distinct question is sent at most twice: once by the probe itself and once, with
    // the DNSSEC OK bit, by the validating lookups; never again for the second name.
    for ((name, rtype), n) in &counts {
        assert!(*n <= 2, "{name} {rtype} asked {n} times");
    }
    let per_name = counts
        .iter()
        .fold(HashMap::<&str, u32>::new(), |mut m, ((name, _), n)| {
            *m.entry(name.as_str()).or_default() += n;
            m
        });
    for (name, n) in &per_name {
        assert!(*n <= MAX_QUESTIONS_PER_NAME, "{name}: {n} questions");
    }
    assert!(total <= 80, "{total} questions for two names");
    assert_eq!(
        u64::from(total),
        dns.questions_sent(),
        "the probe's own count"
    );

    // Nothing signed anything here, and the root's DNSKEY could not be fetched: the state is
    // indeterminate, never bogus.
    for obs in [&www, &api] {
        let view = &obs.resolvers[0];
        assert_eq!(view.a.dnssec, DnssecState::Indeterminate, "{}", obs.name);
        assert_eq!(obs.dnssec.state, DnssecState::Indeterminate, "{}", obs.name);
        assert_ne!(obs.caa.dnssec, DnssecState::Bogus, "{}", obs.name);
        assert_ne!(obs.dnssec.ds.dnssec, DnssecState::Bogus, "{}", obs.name);
    }
}

const KURO: &str = r#"$ORIGIN kuro.test.
$TTL 300
@        IN SOA   ns1.kuro.test. hostmaster.kuro.test. 1 3600 600 86400 60
@        IN NS    ns1
ns1      IN A     127.0.0.53
www      IN A     127.0.0.80
api      IN A     127.0.0.81
"#;

/// A UDP relay on 127.0.0.1 in front of `upstream` that counts every question by (name,
/// type); replies are passed back as they come.
async fn counting_relay(upstream: SocketAddr) -> (SocketAddr, Counts) {
    let sock = Arc::new(tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap());
    let addr = sock.local_addr().unwrap();
    let counts: Counts = Arc::default();
    let seen = counts.clone();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 4096];
        loop {
            let Ok((n, peer)) = sock.recv_from(&mut buf).await else {
                return;
            };
            let datagram = buf[..n].to_vec();
            if let Ok(q) = Message::from_vec(&datagram)
                && let Some(query) = q.queries.first()
            {
                *seen
                    .lock()
                    .unwrap()
                    .entry((query.name.to_ascii().to_ascii_lowercase(), query.query_type))
                    .or_default() += 1;
            }
            let back = sock.clone();
            tokio::spawn(async move {
                let up = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
                if up.send_to(&datagram, upstream).await.is_err() {
                    return;
                }
                let mut answer = vec![0u8; 65535];
                if let Ok(Ok((m, _))) =
                    tokio::time::timeout(Duration::from_secs(2), up.recv_from(&mut answer)).await
                {
                    let _ = back.send_to(&answer[..m], peer).await;
                }
            });
        }
    });
    (addr, counts)
}

/// The issue's set-up: the lab's authoritative server (hickory-server) for an unsigned
/// `kuro.test.` only, asked as a resolver under the IANA root anchors. Every question is sent
/// at most twice (the probe's own and the validator's), and nothing is called bogus.
#[tokio::test]
async fn issue_23_a_lab_zone_server_is_asked_politely() {
    let dir = tempfile::tempdir().unwrap();
    let lab = kensa_lab::dns::DnsLab::start(
        &[kensa_lab::dns::Zone::plain("kuro.test.", KURO)],
        dir.path(),
    )
    .await
    .unwrap();
    let (relay, counts) = counting_relay(lab.addr).await;
    let mut config = Config::new(vec![ResolverAddr {
        addr: relay,
        source: ResolverSource::Explicit,
    }]);
    config.timeout = Duration::from_millis(500);
    let dns = Dns::new(&config).unwrap();
    // Boxed: both observations at once are a large future for a test thread's stack.
    let ((o1, www, _), (o2, api, _)) = tokio::join!(
        Box::pin(observe_host(&dns, "www.kuro.test", 443, &[])),
        Box::pin(observe_host(&dns, "api.kuro.test", 443, &[])),
    );
    assert_eq!((o1, o2), (Outcome::Success, Outcome::Success));
    let counts = counts.lock().unwrap().clone();
    let total: u32 = counts.values().sum();
    let mut worst: Vec<_> = counts.iter().collect();
    worst.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
    eprintln!(
        "{total} questions; most asked: {:?}",
        &worst[..worst.len().min(8)]
    );
    for ((name, rtype), n) in &counts {
        assert!(*n <= 2, "{name} {rtype} asked {n} times");
    }
    assert!(total <= 80, "{total} questions for two names");
    for obs in [&www, &api] {
        assert_ne!(
            obs.resolvers[0].a.dnssec,
            DnssecState::Bogus,
            "{}",
            obs.name
        );
        assert_ne!(obs.dnssec.state, DnssecState::Bogus, "{}", obs.name);
        assert_ne!(obs.caa.dnssec, DnssecState::Bogus, "{}", obs.name);
    }
    lab.stop().await;
}

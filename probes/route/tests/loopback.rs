//! route.trace against loopback: the destination is the first hop. Needs raw sockets
//! (CAP_NET_RAW): without them the test fails under CI (env `CI` set) and is skipped with a
//! message otherwise. The namespace topology with routers is tested by the harness
//! (tests/route_netns.rs).

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use kensa_probe::{Host, Limits, Net, NetStats, Outcome, Target, TargetId, TcpConnector};
use kensa_probe_route::{Config, Error, NoNetworks, Protocol, probe};

fn target(addr: IpAddr, port: u16) -> Target {
    let mut t = Target::new(TargetId::new("lab/loopback"), Host::Ip(addr), port);
    t.addresses = vec![addr];
    t
}

fn quick() -> Config {
    Config {
        rounds: 1,
        max_ttl: 4,
        round_timeout_ms: 500,
        ..Config::default()
    }
}

/// `None` when raw sockets are not permitted here (and CI is not set).
async fn trace(
    net: &Net,
    t: &Target,
    config: &Config,
) -> Option<Result<kensa_probe_route::Observation, Error>> {
    let scope = net.scope(t);
    let r = probe(&scope, t.port, config, &NoNetworks).await;
    if let Err(Error::Permission(why)) = &r {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but raw sockets are not permitted: {why}"
        );
        eprintln!("skipped: {why}");
        return None;
    }
    Some(r)
}

#[tokio::test]
async fn tcp_trace_to_loopback_reaches_the_destination_at_ttl_1() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let lo = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let net = Net::new(Arc::new(TcpConnector), Limits::unrated(), true);
    let Some(r) = trace(&net, &target(lo, port), &quick()).await else {
        return;
    };
    let obs = r.unwrap();
    assert_eq!(obs.outcome(), Outcome::Success, "{obs:?}");
    assert_eq!(obs.protocol, Protocol::Tcp);
    assert_eq!(obs.port, port);
    let path = &obs.paths[0];
    assert!(path.reached, "{path:?}");
    assert_eq!(path.hops.len(), 1, "{path:?}");
    let hop = &path.hops[0];
    assert_eq!(hop.ttl, 1);
    assert!(hop.destination);
    assert_eq!(hop.responders[0].address, lo);
    assert!(hop.rtt_best_us.is_some());
    // The trace held one connection's permits through the dial seam.
    assert_eq!(NetStats::get(&net.stats().attempted), 1);
}

#[tokio::test]
async fn udp_trace_to_loopback_reaches_the_destination() {
    let lo = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let net = Net::new(Arc::new(TcpConnector), Limits::unrated(), true);
    let config = Config {
        protocol: Protocol::Udp,
        ..quick()
    };
    let Some(r) = trace(&net, &target(lo, 443), &config).await else {
        return;
    };
    let obs = r.unwrap();
    assert_eq!(obs.port, 33434);
    let path = &obs.paths[0];
    assert!(path.reached, "{path:?}");
    assert_eq!(path.hops.len(), 1);
}

/// The dial seam's rules hold before any packet is sent: loopback without --allow-private is
/// refused (not-allowed), whatever the privileges.
#[tokio::test]
async fn a_private_destination_is_refused_without_allow_private() {
    let lo = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let net = Net::new(Arc::new(TcpConnector), Limits::unrated(), false);
    let t = target(lo, 443);
    let scope = net.scope(&t);
    let r = probe(&scope, 443, &quick(), &NoNetworks).await;
    // Without raw sockets the permission error comes first; with them, the seam refuses.
    match r {
        Err(Error::Dial(e)) => assert_eq!(e.outcome(), Outcome::NotAllowed),
        Err(Error::Permission(_)) => assert!(std::env::var_os("CI").is_none()),
        other => panic!("{other:?}"),
    }
    assert_eq!(NetStats::get(&net.stats().attempted), 0);
}

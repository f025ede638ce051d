//! Shared by the benches: a fake connector, a synthetic catalog, the process's peak memory.
#![allow(dead_code, missing_docs, unreachable_pub)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use kensa::catalog::{Catalog, Endpoint, Provider};
use kensa::engine::{Settings, SystemResolver};
use kensa::probes::LatencyProbe;
use kensa::scan::ScanOptions;
use kensa_probe::{BoxStream, ConnectFuture, Connector, Host};

/// Connects instantly to an in-memory pipe: no sockets, so only kensa's own work is timed.
#[derive(Debug)]
pub struct FakeConnector;

impl Connector for FakeConnector {
    fn connect(&self, _addr: SocketAddr) -> ConnectFuture<'_> {
        Box::pin(async move {
            let (a, _b) = tokio::io::duplex(64);
            Ok(Box::new(a) as BoxStream)
        })
    }
}

/// A catalog of `n` endpoints: providers of 100 endpoints each, on addresses in 127/8 so
/// each target has its own per-host limit.
pub fn catalog(n: usize) -> Catalog {
    let providers = (0..n.div_ceil(100))
        .map(|p| Provider {
            id: format!("p{p}"),
            name: format!("Provider {p}"),
            declared_country: Some("JP".into()),
            applies_for: Some("kensa-level-1".into()),
            client_subnets: Vec::new(),
            endpoints: (0..100.min(n - p * 100))
                .map(|e| {
                    let i = p * 100 + e;
                    let ip = std::net::Ipv4Addr::new(127, (i >> 16) as u8, (i >> 8) as u8, i as u8);
                    Endpoint {
                        host: Host::Ip(ip.into()),
                        port: 443,
                        sni: None,
                        addresses: Vec::new(),
                        service: None,
                    }
                })
                .collect(),
            declaration: None,
            declaration_key: None,
            declared: None,
        })
        .collect();
    Catalog {
        source: "bench".into(),
        providers,
    }
}

/// Scan options for a bench run: fake connector, one latency sample without jitter.
pub fn options(out: std::path::PathBuf, run_id: &str, targets_in_flight: usize) -> ScanOptions {
    ScanOptions {
        out,
        run_id: run_id.to_owned(),
        settings: Settings {
            allow_private: true,
            targets_in_flight,
            ..Settings::default()
        },
        vantage: None,
        probes: vec![Arc::new(LatencyProbe {
            config: kensa_probe_latency::Config {
                samples: 1,
                jitter: Duration::ZERO,
                ..Default::default()
            },
        })],
        connector: Arc::new(FakeConnector),
        resolver: Arc::new(SystemResolver),
        on_record: None,
        clock: Arc::new(kensa_probe::SystemClock),
        resume: false,
        probe_options: serde_json::Value::Null,
    }
}

/// The process's peak resident set, KiB (VmHWM; Linux, 0 elsewhere).
pub fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

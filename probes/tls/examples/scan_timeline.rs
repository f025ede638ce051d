//! One `tls.scan` of a **loopback** endpoint under the default politeness limits, with the
//! timeline of its connections: when each was opened, first written to, and closed, and what
//! its first record was. For finding what is on a scan's critical path (issue 21), e.g.
//! through `benches/rtt/delay_proxy.py`.
//!
//! Usage: `cargo run -p kensa-probe-tls --example scan_timeline -- PORT [RUNS]`
//! (127.0.0.1 only). Prints one line per connection (ms since the scan started), the most
//! connections in flight, and per run the scan's wall time and connection count.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use kensa_probe::{
    BoxStream, ConnectFuture, Connector, Host, Limits, Net, Target, TargetId, TcpConnector,
};
use kensa_probe_tls::probe::{Config, probe};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

#[derive(Debug, Default)]
struct Log {
    /// (opened, first write, closed, what) in ms since `t0`.
    lines: Vec<(f64, Option<f64>, f64, String)>,
}

#[derive(Debug)]
struct Timeline {
    t0: Instant,
    log: Arc<Mutex<Log>>,
}

impl Connector for Timeline {
    fn connect(&self, addr: SocketAddr) -> ConnectFuture<'_> {
        let t0 = self.t0;
        let log = Arc::clone(&self.log);
        Box::pin(async move {
            let inner = TcpConnector.connect(addr).await?;
            Ok(Box::new(Traced {
                inner,
                t0,
                opened: t0.elapsed().as_secs_f64() * 1e3,
                first_write: None,
                what: String::new(),
                log,
            }) as BoxStream)
        })
    }
}

struct Traced {
    inner: BoxStream,
    t0: Instant,
    opened: f64,
    first_write: Option<f64>,
    what: String,
    log: Arc<Mutex<Log>>,
}

/// A short description of a client's first record: SSL 2.0, or the hello's version, suite
/// count and whether it offers TLS 1.3.
fn describe(b: &[u8]) -> String {
    if b.first() == Some(&0x80) {
        return "ssl2 hello".into();
    }
    if b.first() != Some(&22) || b.get(5) != Some(&1) {
        return format!("record {:?}", b.first());
    }
    let version = u16::from_be_bytes([
        b.get(9).copied().unwrap_or(0),
        b.get(10).copied().unwrap_or(0),
    ]);
    let sid = usize::from(b.get(43).copied().unwrap_or(0));
    let at = 44 + sid;
    let n = usize::from(u16::from_be_bytes([
        b.get(at).copied().unwrap_or(0),
        b.get(at + 1).copied().unwrap_or(0),
    ])) / 2;
    let first = u16::from_be_bytes([
        b.get(at + 2).copied().unwrap_or(0),
        b.get(at + 3).copied().unwrap_or(0),
    ]);
    // supported_versions (43) present: a TLS 1.3 hello.
    let tls13 = b.windows(2).any(|w| w == [0x00, 0x2b]);
    format!(
        "hello v{version:04x} {n} suites first {first:04x}{}",
        if tls13 { " +sv" } else { "" }
    )
}

impl Drop for Traced {
    fn drop(&mut self) {
        let closed = self.t0.elapsed().as_secs_f64() * 1e3;
        if let Ok(mut l) = self.log.lock() {
            l.lines.push((
                self.opened,
                self.first_write,
                closed,
                std::mem::take(&mut self.what),
            ));
        }
    }
}

impl AsyncRead for Traced {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Traced {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.first_write.is_none() {
            self.first_write = Some(self.t0.elapsed().as_secs_f64() * 1e3);
            self.what = describe(buf);
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args
        .get(1)
        .and_then(|p| p.parse().ok())
        .expect("usage: PORT [RUNS]");
    let runs: usize = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(1);
    let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
    for run in 0..runs {
        let t0 = Instant::now();
        let log = Arc::new(Mutex::new(Log::default()));
        let connector = Timeline {
            t0,
            log: Arc::clone(&log),
        };
        let net = Net::new(Arc::new(connector), Limits::default(), true);
        let mut target = Target::new(TargetId::new("timeline"), Host::Ip(ip), port);
        target.addresses = vec![ip];
        let scope = net.scope(&target);
        let obs = probe(&scope, &target, &Config::default()).await;
        let wall = t0.elapsed().as_secs_f64() * 1e3;
        let mut lines = std::mem::take(&mut log.lock().unwrap().lines);
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        if run + 1 == runs {
            for (o, w, c, what) in &lines {
                println!(
                    "open {o:8.1}  write {:>8}  close {c:8.1}  held {:6.1}  {what}",
                    w.map_or("-".into(), |w| format!("{w:.1}")),
                    c - o
                );
            }
        }
        let mut events: Vec<(f64, i32)> = lines
            .iter()
            .flat_map(|(o, _, c, _)| [(*o, 1), (*c, -1)])
            .collect();
        events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (mut now, mut most) = (0, 0);
        let mut busy = 0.0;
        let mut last = 0.0;
        for (t, d) in events {
            busy += f64::from(now) * (t - last);
            last = t;
            now += d;
            most = most.max(now);
        }
        match obs {
            Ok(o) => println!(
                "run {run}: wall {wall:.1} ms, scan {} ms, {} connections, at most {most} in flight, {:.1} connection-ms held ({:.1} per permit of 5)",
                o.elapsed_ms,
                o.connections,
                busy,
                busy / 5.0
            ),
            Err(e) => println!("run {run}: {e}"),
        }
    }
}

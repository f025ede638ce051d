//! The dial seam: the only way a probe opens a connection.
//!
//! A run has one [`Net`]: the connector (real TCP, or a fake in benches), the global limit on
//! connections in flight, the per-host limit, and whether private addresses are allowed. Each
//! target gets a [`Scope`] from it; a probe receives only the `Scope`, and the `Scope` connects
//! only to the target's own addresses. Every [`Conn`] holds its global and per-host permits
//! until it is dropped, so a probe that fans out still cannot exceed the limits.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{AddressClass, Clock, Host, Outcome, SystemClock, Target, classify};

/// A byte stream to a peer: what a [`Connector`] returns.
pub trait PeerStream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> PeerStream for T {}

/// A boxed [`PeerStream`].
pub type BoxStream = Box<dyn PeerStream>;

/// The future a [`Connector`] returns.
pub type ConnectFuture<'a> = Pin<Box<dyn Future<Output = io::Result<BoxStream>> + Send + 'a>>;

/// Opens raw connections. [`TcpConnector`] is the real one; benches and tests plug in fakes.
/// Nothing but [`Net`] calls a connector, so scope and limits always apply.
pub trait Connector: Send + Sync + fmt::Debug {
    /// Open a connection to `addr`.
    fn connect(&self, addr: SocketAddr) -> ConnectFuture<'_>;
}

/// The real connector: a TCP connection with `TCP_NODELAY` set.
#[derive(Clone, Copy, Debug, Default)]
pub struct TcpConnector;

impl Connector for TcpConnector {
    fn connect(&self, addr: SocketAddr) -> ConnectFuture<'_> {
        Box::pin(async move {
            let s = tokio::net::TcpStream::connect(addr).await?;
            s.set_nodelay(true)?;
            Ok(Box::new(s) as BoxStream)
        })
    }
}

/// Concurrency and rate limits enforced by the dial seam.
///
/// The rate is a token bucket per host (GCRA): a host may receive `burst_per_host` new
/// connections at once, then one every `1 / rate_per_host` seconds. So over any window of
/// `t` seconds a host sees at most `burst_per_host + rate_per_host * t` connection attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connections in flight across the whole run. Default 256.
    pub global: usize,
    /// Connections in flight to one host (name or address). Default 5, as SSLyze.
    pub per_host: usize,
    /// Sustained new connections per second to one host; 0 = unlimited. Default 10.
    pub rate_per_host: u32,
    /// New connections a host may receive at once before the rate applies (at least 1).
    /// Default 100: one full scan of one endpoint with every probe, legacy servers with many
    /// suites included, so a single endpoint is not slowed,
    /// while a long run against one host is held to `rate_per_host`.
    pub burst_per_host: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            global: 256,
            per_host: 5,
            rate_per_host: 10,
            burst_per_host: 100,
        }
    }
}

impl Limits {
    /// No rate limit (the concurrency limits stay): for tests and benches against servers
    /// the caller owns.
    pub fn unrated() -> Self {
        Self {
            rate_per_host: 0,
            ..Self::default()
        }
    }
}

/// Why the dial seam did not give a connection.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DialError {
    /// The address is not one of the target's addresses.
    #[error("{addr} is outside the scope of this target (allowed: {allowed})")]
    OutOfScope {
        /// The address asked for.
        addr: IpAddr,
        /// The addresses in scope, comma-separated.
        allowed: String,
    },
    /// The address is private, loopback, link-local or a metadata service.
    #[error("{addr} is a {class} address; pass --allow-private to probe it")]
    Private {
        /// The address asked for.
        addr: IpAddr,
        /// Its class.
        class: AddressClass,
    },
    /// The connect did not complete within the timeout.
    #[error("connecting to {addr} timed out after {after:?}")]
    Timeout {
        /// The socket address.
        addr: SocketAddr,
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The connect failed.
    #[error("connecting to {addr}: {source}")]
    Io {
        /// The socket address.
        addr: SocketAddr,
        /// The I/O error, shared so the error stays `Clone`.
        source: Arc<io::Error>,
    },
    /// The run is shutting down; no new connections are made.
    #[error("the run is shutting down")]
    Closed,
}

impl DialError {
    /// Whether the connect failed for want of a local resource (e.g. EMFILE), not because of
    /// the peer or the network.
    pub fn is_local_exhaustion(&self) -> bool {
        matches!(self, Self::Io { source, .. } if crate::is_local_exhaustion(source))
    }

    /// The outcome this error stands for.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::OutOfScope { .. } | Self::Private { .. } => Outcome::NotAllowed,
            Self::Timeout { .. } => Outcome::Timeout,
            Self::Io { source, .. } => Outcome::from_io(source),
            Self::Closed => Outcome::Internal,
        }
    }
}

/// Counters of what the dial seam did, for a run or a scope.
#[derive(Debug, Default)]
pub struct NetStats {
    /// Connections attempted (after the scope check passed).
    pub attempted: AtomicU64,
    /// Connections established.
    pub established: AtomicU64,
    /// Connections refused by the scope check (out of scope or private).
    pub refused_by_scope: AtomicU64,
    /// Connects that failed because this machine ran out of something (open files, socket
    /// buffers, memory; see [`crate::is_local_exhaustion`]). Evidence gathered while this
    /// moved says nothing about the peer.
    pub local_exhaustion: AtomicU64,
}

impl NetStats {
    fn bump(c: &AtomicU64) {
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// Read a counter.
    pub fn get(c: &AtomicU64) -> u64 {
        c.load(Ordering::Relaxed)
    }
}

/// The run-wide dialer. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Net {
    inner: Arc<NetInner>,
}

#[derive(Debug)]
struct NetInner {
    connector: Arc<dyn Connector>,
    clock: Arc<dyn Clock>,
    global: Arc<Semaphore>,
    limits: Limits,
    allow_private: bool,
    hosts: Mutex<HostTable>,
    stats: NetStats,
}

#[derive(Debug, Default)]
struct HostTable {
    map: HashMap<String, Weak<HostGate>>,
    next_sweep: usize,
}

/// What one host's connections share: the concurrency semaphore and the rate's state.
#[derive(Debug)]
struct HostGate {
    sem: Arc<Semaphore>,
    /// GCRA's theoretical arrival time: when the bucket would be full again.
    tat: Mutex<Option<tokio::time::Instant>>,
}

impl HostGate {
    /// Reserve the next connection slot under `limits`' rate; returns when it may start.
    /// Slots are reserved in call order, so waiters are served first come, first served.
    fn reserve(&self, limits: &Limits) -> Option<tokio::time::Instant> {
        if limits.rate_per_host == 0 {
            return None;
        }
        let interval = Duration::from_secs(1) / limits.rate_per_host;
        let tolerance = interval * limits.burst_per_host.max(1).saturating_sub(1);
        let now = tokio::time::Instant::now();
        let Ok(mut tat) = self.tat.lock() else {
            // A poisoned lock only loses the rate's memory; start over with a full bucket.
            return None;
        };
        let base = tat.map_or(now, |t| t.max(now));
        *tat = Some(base + interval);
        let start = base.checked_sub(tolerance).unwrap_or(now);
        (start > now).then_some(start)
    }
}

impl Net {
    /// A dialer over `connector` with the given limits.
    pub fn new(connector: Arc<dyn Connector>, limits: Limits, allow_private: bool) -> Self {
        Self::with_clock(connector, limits, allow_private, Arc::new(SystemClock))
    }

    /// A dialer with an explicit clock (tests).
    pub fn with_clock(
        connector: Arc<dyn Connector>,
        limits: Limits,
        allow_private: bool,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let limits = Limits {
            global: limits.global.max(1),
            per_host: limits.per_host.max(1),
            rate_per_host: limits.rate_per_host,
            burst_per_host: limits.burst_per_host.max(1),
        };
        Self {
            inner: Arc::new(NetInner {
                connector,
                clock,
                global: Arc::new(Semaphore::new(limits.global)),
                limits,
                allow_private,
                hosts: Mutex::new(HostTable {
                    map: HashMap::new(),
                    next_sweep: 1024,
                }),
                stats: NetStats::default(),
            }),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// Whether private addresses may be probed.
    pub fn allow_private(&self) -> bool {
        self.inner.allow_private
    }

    /// The run's clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// Run-wide counters.
    pub fn stats(&self) -> &NetStats {
        &self.inner.stats
    }

    /// Stop handing out connections: every later connect fails with [`DialError::Closed`].
    pub fn close(&self) {
        self.inner.global.close();
    }

    /// The scope of one target: connections only to `target.addresses`.
    pub fn scope(&self, target: &Target) -> Scope {
        let key = match &target.host {
            Host::Name(n) => n.clone(),
            Host::Ip(ip) => ip.to_string(),
        };
        let per_host = self.host_gate(key);
        Scope {
            net: self.clone(),
            allowed: Arc::from(target.addresses.as_slice()),
            per_host,
            stats: Arc::new(NetStats::default()),
        }
    }

    fn host_gate(&self, key: String) -> Arc<HostGate> {
        let limit = self.inner.limits.per_host;
        let fresh = || {
            Arc::new(HostGate {
                sem: Arc::new(Semaphore::new(limit)),
                tat: Mutex::new(None),
            })
        };
        let Ok(mut table) = self.inner.hosts.lock() else {
            // A poisoned table only loses sharing between scopes of one host.
            return fresh();
        };
        if let Some(s) = table.map.get(&key).and_then(Weak::upgrade) {
            return s;
        }
        let s = fresh();
        table.map.insert(key, Arc::downgrade(&s));
        if table.map.len() >= table.next_sweep {
            table.map.retain(|_, w| w.strong_count() > 0);
            table.next_sweep = (table.map.len() * 2).max(1024);
        }
        s
    }
}

/// One target's view of the network: the handle a probe receives.
#[derive(Clone, Debug)]
pub struct Scope {
    net: Net,
    allowed: Arc<[IpAddr]>,
    per_host: Arc<HostGate>,
    stats: Arc<NetStats>,
}

impl Scope {
    /// The addresses this scope may connect to.
    pub fn addresses(&self) -> &[IpAddr] {
        &self.allowed
    }

    /// The run's clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        self.net.clock()
    }

    /// Counters for this scope only (e.g. how many connections one target's probes used).
    pub fn stats(&self) -> &NetStats {
        &self.stats
    }

    /// Check that `addr` may be dialled, without dialling it.
    pub fn check(&self, addr: IpAddr) -> Result<(), DialError> {
        let addr = match addr {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
            v4 => v4,
        };
        if !self.allowed.contains(&addr) {
            let allowed = self
                .allowed
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            return Err(DialError::OutOfScope { addr, allowed });
        }
        let class = classify(addr);
        if !class.is_public() && !self.net.inner.allow_private {
            return Err(DialError::Private { addr, class });
        }
        Ok(())
    }

    /// Connect to `addr` if it is in scope, waiting first for a per-host permit, the host's
    /// rate slot and a global permit. `timeout` bounds the connect itself, not these waits.
    pub async fn connect(&self, addr: SocketAddr, timeout: Duration) -> Result<Conn, DialError> {
        // The same checks, waits and permits as a hold; the connection then keeps them.
        let hold = self.hold(addr.ip()).await?;
        self.connect_held(hold, addr.port(), timeout).await
    }

    /// Connect to the held address on `port`, the connection keeping `hold`'s permits: a
    /// [`Scope::connect`] in two steps, for a probe that orders its own requests for permits
    /// and must not keep the others waiting through a TCP handshake (a round trip at a
    /// distance). `timeout` bounds the connect.
    pub async fn connect_held(
        &self,
        hold: Hold,
        port: u16,
        timeout: Duration,
    ) -> Result<Conn, DialError> {
        let inner = &self.net.inner;
        let Hold { addr, _permits } = hold;
        let addr = SocketAddr::new(addr, port);
        let started = inner.clock.instant();
        let stream = match tokio::time::timeout(timeout, inner.connector.connect(addr)).await {
            Err(_) => {
                return Err(DialError::Timeout {
                    addr,
                    after: timeout,
                });
            }
            Ok(Err(e)) => {
                if crate::is_local_exhaustion(&e) {
                    NetStats::bump(&inner.stats.local_exhaustion);
                    NetStats::bump(&self.stats.local_exhaustion);
                }
                return Err(DialError::Io {
                    addr,
                    source: Arc::new(e),
                });
            }
            Ok(Ok(s)) => s,
        };
        let connect_time = inner.clock.instant().saturating_duration_since(started);
        NetStats::bump(&inner.stats.established);
        NetStats::bump(&self.stats.established);
        Ok(Conn {
            stream,
            peer: addr,
            connect_time,
            _permits,
        })
    }
}

impl Scope {
    /// Hold a per-host and a global permit for `addr` as one connection would, without
    /// opening one: for probes whose packets are sent by a library that opens its own sockets
    /// (`route.trace`'s traceroute). The address passes the same scope and private-address
    /// checks as [`Scope::connect`], waits for the host's rate slot, and counts as an
    /// attempted connection; the permits are released when the [`Hold`] is dropped.
    pub async fn hold(&self, addr: IpAddr) -> Result<Hold, DialError> {
        let inner = &self.net.inner;
        if let Err(e) = self.check(addr) {
            NetStats::bump(&inner.stats.refused_by_scope);
            NetStats::bump(&self.stats.refused_by_scope);
            return Err(e);
        }
        let host_permit = Arc::clone(&self.per_host.sem)
            .acquire_owned()
            .await
            .map_err(|_| DialError::Closed)?;
        if let Some(start) = self.per_host.reserve(&inner.limits) {
            tokio::time::sleep_until(start).await;
        }
        let global_permit = Arc::clone(&inner.global)
            .acquire_owned()
            .await
            .map_err(|_| DialError::Closed)?;
        NetStats::bump(&inner.stats.attempted);
        NetStats::bump(&self.stats.attempted);
        Ok(Hold {
            addr,
            _permits: (global_permit, host_permit),
        })
    }
}

/// The permits of one connection's worth of traffic to an address in scope, held without a
/// connection (see [`Scope::hold`]).
#[derive(Debug)]
pub struct Hold {
    addr: IpAddr,
    _permits: (OwnedSemaphorePermit, OwnedSemaphorePermit),
}

impl Hold {
    /// The address the permits are for (it passed the scope checks).
    pub fn addr(&self) -> IpAddr {
        self.addr
    }
}

/// An established connection. It holds its concurrency permits until dropped.
pub struct Conn {
    stream: BoxStream,
    peer: SocketAddr,
    connect_time: Duration,
    _permits: (OwnedSemaphorePermit, OwnedSemaphorePermit),
}

impl fmt::Debug for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conn")
            .field("peer", &self.peer)
            .field("connect_time", &self.connect_time)
            .finish_non_exhaustive()
    }
}

impl Conn {
    /// The peer's socket address.
    pub fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// How long the connect took (from the first SYN to the established connection), measured
    /// by the dial seam on the run's monotonic clock, without the wait for permits.
    pub fn connect_time(&self) -> Duration {
        self.connect_time
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::TargetId;

    fn target(addrs: &[IpAddr]) -> Target {
        let mut t = Target::new(TargetId::new("t"), Host::Name("a.test".into()), 443);
        t.addresses = addrs.to_vec();
        t
    }

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

    #[tokio::test]
    async fn refuses_out_of_scope_address() {
        let net = Net::new(Arc::new(TcpConnector), Limits::default(), true);
        let scope = net.scope(&target(&[A]));
        let err = scope
            .connect(SocketAddr::new(B, 9), Duration::from_secs(1))
            .await;
        assert!(matches!(err, Err(DialError::OutOfScope { .. })), "{err:?}");
        assert_eq!(err.err().map(|e| e.outcome()), Some(Outcome::NotAllowed));
        assert_eq!(NetStats::get(&net.stats().refused_by_scope), 1);
        assert_eq!(NetStats::get(&net.stats().attempted), 0);
    }

    #[tokio::test]
    async fn refuses_private_without_permission() {
        let net = Net::new(Arc::new(TcpConnector), Limits::default(), false);
        let scope = net.scope(&target(&[A]));
        let err = scope
            .connect(SocketAddr::new(A, 9), Duration::from_secs(1))
            .await;
        assert!(matches!(
            err,
            Err(DialError::Private {
                class: AddressClass::Loopback,
                ..
            })
        ));
    }

    #[tokio::test]
    async fn hold_checks_scope_and_shares_the_per_host_limit() {
        let net = Net::new(
            Arc::new(TcpConnector),
            Limits {
                global: 10,
                per_host: 1,
                ..Limits::default()
            },
            false,
        );
        let scope = net.scope(&target(&[A]));
        // Loopback without allow_private: refused like a connect.
        assert!(matches!(
            scope.hold(A).await,
            Err(DialError::Private { .. })
        ));
        assert!(matches!(
            scope.hold(B).await,
            Err(DialError::OutOfScope { .. })
        ));
        let net = Net::new(
            Arc::new(TcpConnector),
            Limits {
                global: 10,
                per_host: 1,
                ..Limits::default()
            },
            true,
        );
        let scope = net.scope(&target(&[A]));
        let h = scope.hold(A).await.unwrap();
        assert_eq!(h.addr(), A);
        assert_eq!(NetStats::get(&net.stats().attempted), 1);
        // The host's one permit is held: a second hold waits until the first is dropped.
        let waited = tokio::time::timeout(Duration::from_millis(100), scope.hold(A)).await;
        assert!(waited.is_err(), "second hold should wait for the permit");
        drop(h);
        let again = tokio::time::timeout(Duration::from_secs(1), scope.hold(A)).await;
        assert!(matches!(again, Ok(Ok(_))));
    }

    #[tokio::test]
    async fn a_held_connection_keeps_the_permits_of_its_hold() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let net = Net::new(
            Arc::new(TcpConnector),
            Limits {
                global: 10,
                per_host: 1,
                ..Limits::default()
            },
            true,
        );
        let scope = net.scope(&target(&[A]));
        let h = scope.hold(A).await.unwrap();
        let c = scope
            .connect_held(h, addr.port(), Duration::from_secs(1))
            .await
            .unwrap();
        assert_eq!(c.peer(), addr);
        assert_eq!(NetStats::get(&net.stats().attempted), 1);
        assert_eq!(NetStats::get(&net.stats().established), 1);
        // The permit went from the hold to the connection: a second hold waits for it.
        let waited = tokio::time::timeout(Duration::from_millis(100), scope.hold(A)).await;
        assert!(waited.is_err(), "the connection should hold the permit");
        drop(c);
        let again = tokio::time::timeout(Duration::from_secs(1), scope.hold(A)).await;
        assert!(matches!(again, Ok(Ok(_))));
    }

    #[tokio::test]
    async fn per_host_limit_is_shared_between_scopes() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let net = Net::new(
            Arc::new(TcpConnector),
            Limits {
                global: 10,
                per_host: 1,
                ..Limits::default()
            },
            true,
        );
        let s1 = net.scope(&target(&[A]));
        let s2 = net.scope(&target(&[A]));
        let c1 = s1.connect(addr, Duration::from_secs(1)).await.unwrap();
        // The second scope of the same host must wait for the first connection to close.
        let waited = tokio::time::timeout(
            Duration::from_millis(100),
            s2.connect(addr, Duration::from_secs(1)),
        )
        .await;
        assert!(waited.is_err(), "second connect should wait for a permit");
        drop(c1);
        let c2 = tokio::time::timeout(
            Duration::from_secs(1),
            s2.connect(addr, Duration::from_secs(1)),
        )
        .await;
        assert!(matches!(c2, Ok(Ok(_))));
    }

    #[tokio::test]
    async fn addresses_of_one_host_share_its_permit() {
        // Two addresses of one endpoint (issue 19: tls.scan scans each): a connection to
        // the second waits for the first's permit, as for one address.
        let l1 = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l1.local_addr().unwrap().port();
        let Ok(l2) = tokio::net::TcpListener::bind(SocketAddr::new(B, port)).await else {
            return; // the port is taken on 127.0.0.2: nothing to show here
        };
        let net = Net::new(
            Arc::new(TcpConnector),
            Limits {
                global: 10,
                per_host: 1,
                ..Limits::default()
            },
            true,
        );
        let scope = net.scope(&target(&[A, B]));
        let c1 = scope
            .connect(SocketAddr::new(A, port), Duration::from_secs(1))
            .await
            .unwrap();
        let waited = tokio::time::timeout(
            Duration::from_millis(100),
            scope.connect(SocketAddr::new(B, port), Duration::from_secs(1)),
        )
        .await;
        assert!(
            waited.is_err(),
            "the second address must wait for the host's permit"
        );
        drop(c1);
        let c2 = tokio::time::timeout(
            Duration::from_secs(1),
            scope.connect(SocketAddr::new(B, port), Duration::from_secs(1)),
        )
        .await;
        assert!(matches!(c2, Ok(Ok(_))));
        drop((l1, l2));
    }

    /// A connector that records when each connection was opened (tokio's clock) and gives a
    /// stream that is never read.
    #[derive(Debug, Default)]
    struct Recorder(Mutex<Vec<tokio::time::Instant>>);

    impl Connector for Recorder {
        fn connect(&self, _addr: SocketAddr) -> ConnectFuture<'_> {
            Box::pin(async move {
                if let Ok(mut v) = self.0.lock() {
                    v.push(tokio::time::Instant::now());
                }
                let (a, _b) = tokio::io::duplex(64);
                Ok(Box::new(a) as BoxStream)
            })
        }
    }

    /// Open `n` connections through `scopes` (round robin) one after the other, each closed
    /// at once; return the connect times relative to the first.
    async fn open_many(limits: Limits, n: usize, hosts: &[&str]) -> Vec<Duration> {
        let rec = Arc::new(Recorder::default());
        let net = Net::new(Arc::clone(&rec) as Arc<dyn Connector>, limits, true);
        let scopes: Vec<Scope> = hosts
            .iter()
            .map(|h| {
                let mut t = Target::new(TargetId::new(*h), Host::Name((*h).into()), 443);
                t.addresses = vec![A];
                net.scope(&t)
            })
            .collect();
        let mut tasks = Vec::new();
        for i in 0..n {
            let s = scopes[i % scopes.len()].clone();
            tasks.push(tokio::spawn(async move {
                drop(
                    s.connect(SocketAddr::new(A, 443), Duration::from_secs(1))
                        .await,
                );
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let v = rec.0.lock().unwrap().clone();
        let first = *v.iter().min().unwrap();
        let mut d: Vec<Duration> = v.iter().map(|t| *t - first).collect();
        d.sort();
        d
    }

    #[tokio::test(start_paused = true)]
    async fn rate_per_host_allows_the_burst_then_spaces_connections() {
        let limits = Limits {
            rate_per_host: 10,
            burst_per_host: 4,
            ..Limits::default()
        };
        let d = open_many(limits, 14, &["a.test"]).await;
        assert_eq!(d.len(), 14);
        // The burst of 4 at once, then one every 100 ms.
        assert!(d[..4].iter().all(|t| *t == Duration::ZERO), "{d:?}");
        for (i, t) in d[4..].iter().enumerate() {
            let want = Duration::from_millis(100 * (i as u64 + 1));
            assert_eq!(*t, want, "connection {} of {d:?}", i + 4);
        }
        // Over any window of t seconds: at most burst + rate * t connections.
        for (i, start) in d.iter().enumerate() {
            let in_window = d[i..]
                .iter()
                .filter(|t| **t - *start < Duration::from_secs(1))
                .count();
            assert!(
                in_window <= 4 + 10,
                "{in_window} in a second from {start:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn rate_is_per_host_and_zero_means_unlimited() {
        let limits = Limits {
            rate_per_host: 10,
            burst_per_host: 2,
            ..Limits::default()
        };
        // Two hosts: each has its own bucket, so 8 connections end at 200 ms, not 600 ms.
        let d = open_many(limits, 8, &["a.test", "b.test"]).await;
        assert_eq!(d.last().copied(), Some(Duration::from_millis(200)), "{d:?}");
        let d = open_many(Limits::unrated(), 50, &["a.test"]).await;
        assert!(d.iter().all(|t| *t == Duration::ZERO), "{d:?}");
    }
}

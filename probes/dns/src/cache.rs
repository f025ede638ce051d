//! Politeness: every question kensa sends in one run goes through one [`Questions`] table.
//!
//! - **Cached within the run**: the same question (resolver, name, type, and the flags or
//!   client subnet that change the answer) is sent once; later askers get the same reply.
//!   Answers and negative answers (NXDOMAIN, NODATA, SERVFAIL, REFUSED) are kept; a timeout
//!   or a local network error is not, so a later target may ask again.
//! - **Deduplicated in flight**: askers of a question already on the wire wait for its reply
//!   instead of sending their own.
//! - **Capped per name**: at most [`MAX_QUESTIONS_PER_NAME`] questions about one name go to one
//!   resolver in a run; past it the question is not sent and is recorded as a local error.
//!
//! Both the probe's own questions ([`crate::wire`]) and the validating hickory-resolver's
//! (its DS/DNSKEY/NS chase, through [`CachingProvider`]) pass through it: hickory's DNSSEC
//! layer sits below its response cache and would otherwise re-ask the whole chain for every
//! validation (issue 23: 783 questions for two names, `test. NS` ×286).

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::stream::{Stream, StreamExt};
use hickory_resolver::config::ConnectionConfig;
use hickory_resolver::net::NetError;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::xfer::DnsHandle;
use hickory_resolver::proto::op::{DnsRequest, DnsResponse};
use hickory_resolver::{ConnectionProvider, PoolContext};
use tokio::sync::OnceCell;

/// The most questions about one name sent to one resolver in one run (cached answers and
/// waits for a question in flight do not count). One name needs about 20 distinct questions
/// (A, AAAA, SOA, NS, CAA, HTTPS, TLSA, DS, DNSKEY, each plain and with the DNSSEC OK bit,
/// plus client-subnet variants); the cap leaves room for those and stops a runaway loop.
pub const MAX_QUESTIONS_PER_NAME: u32 = 48;

/// What makes two questions the same: the resolver, the name (lower case, fully qualified),
/// the type, and a variant (the DO/CD bits, a client subnet) that changes the answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub server: SocketAddr,
    pub name: String,
    pub rtype: u16,
    pub variant: String,
}

type Slot<V> = Arc<OnceCell<V>>;

/// One run's questions: the cache, the questions in flight and the count per name.
#[derive(Debug, Default)]
pub(crate) struct Questions {
    probe: Mutex<HashMap<Key, Slot<crate::wire::Reply>>>,
    validator: Mutex<HashMap<Key, Slot<Result<DnsResponse, NetError>>>>,
    per_name: Mutex<HashMap<(SocketAddr, String), u32>>,
    sent: AtomicU64,
}

impl Questions {
    /// Questions actually sent in this run (cache hits and waits excluded).
    pub(crate) fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Count one question about `name` to `server`; false past the cap.
    fn take(&self, server: SocketAddr, name: &str) -> bool {
        let Ok(mut m) = self.per_name.lock() else {
            return false;
        };
        let n = m.entry((server, name.to_owned())).or_insert(0);
        if *n >= MAX_QUESTIONS_PER_NAME {
            return false;
        }
        *n += 1;
        self.sent.fetch_add(1, Ordering::Relaxed);
        true
    }

    /// The probe's question `key`: from the cache, from the same question in flight, or sent
    /// by `send` (when the cap allows; else `capped()`).
    pub(crate) async fn probe_ask<F, Fut>(
        &self,
        key: Key,
        send: F,
        capped: impl FnOnce() -> crate::wire::Reply,
    ) -> crate::wire::Reply
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = crate::wire::Reply>,
    {
        let slot = slot(&self.probe, &key);
        let reply = slot
            .get_or_init(|| async {
                if self.take(key.server, &key.name) {
                    send().await
                } else {
                    capped()
                }
            })
            .await
            .clone();
        if !keep_reply(&reply) {
            forget(&self.probe, &key, &slot);
        }
        reply
    }

    async fn validator_ask<Fut>(&self, key: Key, send: Fut) -> Result<DnsResponse, NetError>
    where
        Fut: Future<Output = Result<DnsResponse, NetError>>,
    {
        let slot = slot(&self.validator, &key);
        let answer = slot
            .get_or_init(|| async {
                if self.take(key.server, &key.name) {
                    send.await
                } else {
                    Err(NetError::from(capped_text(&key.name)))
                }
            })
            .await
            .clone();
        let keep = match &answer {
            // A truncated answer is asked again over TCP: never serve it from the cache.
            Ok(r) => !r.metadata.truncation,
            Err(e) => keep_error(e),
        };
        if !keep {
            forget(&self.validator, &key, &slot);
        }
        answer
    }
}

/// The text recorded for a question not sent because of the cap.
pub(crate) fn capped_text(name: &str) -> String {
    format!(
        "not asked: kensa's limit of {MAX_QUESTIONS_PER_NAME} questions about {name} to one resolver in one run was reached"
    )
}

fn slot<V>(map: &Mutex<HashMap<Key, Slot<V>>>, key: &Key) -> Slot<V> {
    match map.lock() {
        Ok(mut m) => Arc::clone(m.entry(key.clone()).or_default()),
        // A poisoned table: ask without caching rather than not at all.
        Err(_) => Arc::new(OnceCell::new()),
    }
}

/// Drop `slot` from the table (when it is still the one there), so the next asker asks again.
fn forget<V>(map: &Mutex<HashMap<Key, Slot<V>>>, key: &Key, slot: &Slot<V>) {
    if let Ok(mut m) = map.lock()
        && m.get(key).is_some_and(|s| Arc::ptr_eq(s, slot))
    {
        m.remove(key);
    }
}

/// Whether a reply stays cached: every reply the resolver gave; not a timeout or a local error.
fn keep_reply(r: &crate::wire::Reply) -> bool {
    !matches!(
        r.status,
        crate::wire::Status::Timeout | crate::wire::Status::NetworkError
    )
}

/// Whether a validator-side error stays cached: answers in error form (NXDOMAIN, no records,
/// an RCODE) do; timeouts and I/O errors do not.
fn keep_error(e: &NetError) -> bool {
    matches!(e, NetError::Dns(_))
}

/// A lower-case, fully qualified name.
pub(crate) fn key_name(n: &hickory_resolver::proto::rr::Name) -> String {
    let mut s = n.to_ascii().to_ascii_lowercase();
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

/// hickory-resolver's connection provider with every question going through [`Questions`].
#[derive(Clone)]
pub(crate) struct CachingProvider {
    inner: TokioRuntimeProvider,
    questions: Arc<Questions>,
}

impl CachingProvider {
    pub(crate) fn new(questions: Arc<Questions>) -> Self {
        Self {
            inner: TokioRuntimeProvider::default(),
            questions,
        }
    }
}

/// One connection of [`CachingProvider`].
#[derive(Clone)]
pub(crate) struct CachingConn {
    inner: <TokioRuntimeProvider as ConnectionProvider>::Conn,
    server: SocketAddr,
    questions: Arc<Questions>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

impl ConnectionProvider for CachingProvider {
    type Conn = CachingConn;
    type FutureConn = BoxFuture<Result<CachingConn, NetError>>;
    type RuntimeProvider = TokioRuntimeProvider;

    fn new_connection(
        &self,
        ip: IpAddr,
        config: &ConnectionConfig,
        cx: &PoolContext,
    ) -> Result<Self::FutureConn, NetError> {
        let connecting = ConnectionProvider::new_connection(&self.inner, ip, config, cx)?;
        let server = SocketAddr::new(ip, config.port);
        let questions = Arc::clone(&self.questions);
        Ok(Box::pin(async move {
            Ok(CachingConn {
                inner: connecting.await?,
                server,
                questions,
            })
        }))
    }

    fn runtime_provider(&self) -> &Self::RuntimeProvider {
        &self.inner
    }
}

impl DnsHandle for CachingConn {
    type Response = BoxStream<Result<DnsResponse, NetError>>;
    type Runtime = TokioRuntimeProvider;

    fn send(&self, request: DnsRequest) -> Self::Response {
        let Some(q) = request.queries.first() else {
            return Box::pin(self.inner.send(request));
        };
        let opts = request.options();
        let key = Key {
            // One table for both transports: a question answered over UDP is not asked
            // again over TCP unless the UDP answer was truncated (never cached).
            server: SocketAddr::new(self.server.ip(), 0),
            name: key_name(&q.name),
            rtype: u16::from(q.query_type),
            variant: format!(
                "validator do={} cd={} rd={}",
                opts.edns_set_dnssec_ok, request.metadata.checking_disabled, opts.recursion_desired
            ),
        };
        let questions = Arc::clone(&self.questions);
        let inner = self.inner.clone();
        Box::pin(futures_util::stream::once(async move {
            let send = async move {
                // The validator's socket for this question counts against the same limit.
                let _slot = crate::wire::socket_slot().await;
                let mut answers = inner.send(request);
                match answers.next().await {
                    Some(a) => a,
                    None => Err(NetError::from("no answer".to_owned())),
                }
            };
            questions.validator_ask(key, send).await
        }))
    }
}

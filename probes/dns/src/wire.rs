//! One DNS question to one resolver: UDP first, TCP when the answer is truncated.
//!
//! Messages are built and parsed with hickory-proto (`hickory_resolver::proto`), whose decoder
//! is bounded (a message is at most 65,535 bytes; compression-pointer loops are rejected). A
//! reply is accepted only when its id, its question and its QR bit match what was sent;
//! anything else on the socket is ignored until the timeout.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hickory_resolver::proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_resolver::proto::rr::rdata::opt::{ClientSubnet, EdnsOption};
use hickory_resolver::proto::rr::{Name, RecordType};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

/// The most DNS sockets (a UDP socket or TCP connection per question in flight, kensa's own
/// and the validating resolver's) open at once in this process (issue 19): DNS sockets count
/// against a limit as the dial seam's connections do, so a burst of questions waits for a
/// socket rather than running the process out of file descriptors.
pub const MAX_DNS_SOCKETS: usize = 128;

static DNS_SOCKETS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_DNS_SOCKETS);
static DNS_SOCKETS_PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A DNS socket slot: held while a question's socket is open.
pub(crate) struct SocketSlot(#[allow(dead_code)] tokio::sync::SemaphorePermit<'static>);

/// Wait for a DNS socket slot (never fails: the semaphore is never closed).
pub(crate) async fn socket_slot() -> Option<SocketSlot> {
    let permit = DNS_SOCKETS.acquire().await.ok()?;
    let in_use = MAX_DNS_SOCKETS.saturating_sub(DNS_SOCKETS.available_permits());
    DNS_SOCKETS_PEAK.fetch_max(in_use, Ordering::Relaxed);
    Some(SocketSlot(permit))
}

/// The most DNS sockets this process has had open at once (for tests and diagnostics).
pub fn dns_sockets_peak() -> usize {
    DNS_SOCKETS_PEAK.load(Ordering::Relaxed)
}

/// The largest UDP payload kensa advertises and reads (EDNS0, RFC 6891 §6.2.5).
pub(crate) const UDP_PAYLOAD: u16 = 1232;

/// How one question ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// RCODE NOERROR with at least one record of the asked type (after following CNAMEs).
    Answer,
    /// RCODE NOERROR but no record of the asked type (RFC 2308 NODATA).
    NoData,
    /// RCODE NXDOMAIN: the name does not exist.
    NxDomain,
    /// RCODE SERVFAIL.
    ServFail,
    /// RCODE REFUSED.
    Refused,
    /// Another RCODE (its mnemonic is in `error`).
    OtherRcode,
    /// No acceptable reply within the timeout, after every attempt.
    Timeout,
    /// The reply could not be parsed, or broke the protocol (text in `error`).
    Malformed,
    /// A local or network error (text in `error`).
    NetworkError,
    /// The DNSSEC-validating lookup found the answer bogus.
    Bogus,
    /// The CNAME chain was longer than kensa follows, or looped.
    ChainTooLong,
}

impl Status {
    /// The status as its stable kebab-case string.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Answer => "answer",
            Self::NoData => "no-data",
            Self::NxDomain => "nx-domain",
            Self::ServFail => "serv-fail",
            Self::Refused => "refused",
            Self::OtherRcode => "other-rcode",
            Self::Timeout => "timeout",
            Self::Malformed => "malformed",
            Self::NetworkError => "network-error",
            Self::Bogus => "bogus",
            Self::ChainTooLong => "chain-too-long",
        }
    }
}

/// How to ask.
#[derive(Clone, Debug)]
pub(crate) struct Ask {
    /// Per attempt.
    pub timeout: Duration,
    /// Attempts over UDP before giving up (at least 1).
    pub attempts: u8,
    /// An EDNS Client Subnet option (RFC 7871) to send.
    pub client_subnet: Option<ClientSubnet>,
    /// The total time left for the whole observation, when one is set: no attempt waits past
    /// its deadline.
    pub budget: Option<Budget>,
    /// The run's question table (cache, questions in flight, cap per name), when one is set.
    pub questions: Option<Arc<crate::cache::Questions>>,
}

/// The total time one observation may take (`Config::budget`), shared by all its questions.
#[derive(Clone, Debug)]
pub(crate) struct Budget {
    deadline: Instant,
    total: Duration,
    ran_out: Arc<AtomicBool>,
}

impl Budget {
    /// A budget of `total` from now.
    pub(crate) fn start(total: Duration) -> Self {
        let now = Instant::now();
        Self {
            deadline: later(now, total),
            total,
            ran_out: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Time left.
    pub(crate) fn left(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Record that some lookup was cut short by the budget.
    pub(crate) fn mark(&self) {
        self.ran_out.store(true, Ordering::Relaxed);
    }

    /// Whether some lookup was cut short by the budget.
    pub(crate) fn ran_out(&self) -> bool {
        self.ran_out.load(Ordering::Relaxed)
    }

    /// Why a lookup was cut short.
    pub(crate) fn message(&self) -> String {
        format!(
            "the probe's time budget of {} ms ran out",
            self.total.as_millis()
        )
    }
}

/// `t + d`, or a year after `t` when that does not fit (a "no limit" duration).
fn later(t: Instant, d: Duration) -> Instant {
    t.checked_add(d)
        .or_else(|| t.checked_add(Duration::from_secs(365 * 86_400)))
        .unwrap_or(t)
}

/// What came back.
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    /// The parsed reply, when one was accepted.
    pub message: Option<Message>,
    /// The status derived from the RCODE (`Answer`/`NoData` are decided by the caller).
    pub status: Status,
    /// Error text for statuses that carry one.
    pub error: Option<String>,
    /// Round-trip time of the accepted reply, µs.
    pub rtt_us: u64,
}

impl Reply {
    fn failed(status: Status, error: String) -> Self {
        Self {
            message: None,
            status,
            error: Some(error),
            rtt_us: 0,
        }
    }
}

fn build(id: u16, name: &Name, rtype: RecordType, ask: &Ask) -> Result<Vec<u8>, String> {
    let mut msg = Message::new(id, MessageType::Query, OpCode::Query);
    msg.metadata.recursion_desired = true;
    msg.add_query(Query::query(name.clone(), rtype));
    let mut edns = Edns::new();
    edns.set_max_payload(UDP_PAYLOAD);
    if let Some(cs) = ask.client_subnet {
        edns.options_mut().insert(EdnsOption::Subnet(cs));
    }
    msg.set_edns(edns);
    msg.to_vec()
        .map_err(|e| format!("cannot encode the query: {e}"))
}

fn matches(reply: &Message, id: u16, name: &Name, rtype: RecordType) -> bool {
    reply.metadata.id == id
        && reply.metadata.message_type == MessageType::Response
        && reply
            .queries
            .first()
            .is_some_and(|q| q.query_type == rtype && q.name.eq_ignore_root(name))
}

fn status_of(code: ResponseCode) -> (Status, Option<String>) {
    match code {
        ResponseCode::NoError => (Status::Answer, None),
        ResponseCode::NXDomain => (Status::NxDomain, None),
        ResponseCode::ServFail => (Status::ServFail, None),
        ResponseCode::Refused => (Status::Refused, None),
        other => (Status::OtherRcode, Some(other.to_str().to_owned())),
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Ask `server` one question, through the run's question table when there is one (the same
/// question is then sent once per run, see [`crate::cache`]).
pub(crate) async fn ask(server: SocketAddr, name: &Name, rtype: RecordType, ask: &Ask) -> Reply {
    let Some(questions) = &ask.questions else {
        return ask_wire(server, name, rtype, ask).await;
    };
    let key = crate::cache::Key {
        server,
        name: crate::cache::key_name(name),
        rtype: u16::from(rtype),
        variant: match ask.client_subnet {
            Some(cs) => format!("probe ecs={cs:?}"),
            None => "probe".to_owned(),
        },
    };
    let text = crate::cache::capped_text(&key.name);
    questions
        .probe_ask(
            key,
            || ask_wire(server, name, rtype, ask),
            || Reply::failed(Status::NetworkError, text),
        )
        .await
}

/// Send `server` one question (no cache).
async fn ask_wire(server: SocketAddr, name: &Name, rtype: RecordType, ask: &Ask) -> Reply {
    let id: u16 = rand_id();
    let bytes = match build(id, name, rtype, ask) {
        Ok(b) => b,
        Err(e) => return Reply::failed(Status::NetworkError, e),
    };
    // Held until this question's sockets (UDP, then TCP on truncation) are closed.
    let _slot = socket_slot().await;
    let bind: SocketAddr = match server.ip() {
        IpAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        IpAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let sock = match UdpSocket::bind(bind).await {
        Ok(s) => s,
        Err(e) => return Reply::failed(Status::NetworkError, format!("cannot bind UDP: {e}")),
    };
    if let Err(e) = sock.connect(server).await {
        return Reply::failed(Status::NetworkError, format!("cannot reach {server}: {e}"));
    }
    let mut last_error = None;
    for _ in 0..ask.attempts.max(1) {
        if let Some(b) = ask.budget.as_ref().filter(|b| b.left().is_zero()) {
            b.mark();
            return Reply::failed(
                Status::Timeout,
                format!("no reply from {server}: {}", b.message()),
            );
        }
        let t0 = Instant::now();
        if let Err(e) = sock.send(&bytes).await {
            last_error = Some(format!("cannot send to {server}: {e}"));
            continue;
        }
        let own = later(t0, ask.timeout);
        // The attempt waits until its own timeout or the end of the budget, whichever is first.
        let cut_by = ask.budget.as_ref().filter(|b| b.deadline < own);
        let deadline = cut_by.map_or(own, |b| b.deadline);
        let mut buf = vec![0u8; usize::from(UDP_PAYLOAD).max(512)];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let n = match tokio::time::timeout(left, sock.recv(&mut buf)).await {
                Err(_) => break,
                Ok(Err(e)) => {
                    // ICMP port unreachable shows up here as ConnectionRefused.
                    last_error = Some(format!("{server}: {e}"));
                    break;
                }
                Ok(Ok(n)) => n,
            };
            let Some(datagram) = buf.get(..n) else {
                break;
            };
            match read_udp(datagram, id, name, rtype, server) {
                Datagram::Ignore => continue,
                Datagram::Truncated => return ask_tcp(server, &bytes, id, name, rtype, ask).await,
                Datagram::Reply(mut reply) => {
                    reply.rtt_us = micros(t0.elapsed());
                    return reply;
                }
            }
        }
        if let Some(b) = cut_by.filter(|b| b.left().is_zero()) {
            b.mark();
            return Reply::failed(
                Status::Timeout,
                format!("no reply from {server}: {}", b.message()),
            );
        }
    }
    match last_error {
        Some(e) => Reply::failed(Status::NetworkError, e),
        None => Reply::failed(
            Status::Timeout,
            format!(
                "no reply from {server} within {} ms ({} attempts)",
                ask.timeout.as_millis(),
                ask.attempts.max(1)
            ),
        ),
    }
}

async fn ask_tcp(
    server: SocketAddr,
    bytes: &[u8],
    id: u16,
    name: &Name,
    rtype: RecordType,
    ask: &Ask,
) -> Reply {
    let t0 = Instant::now();
    let budget = ask.budget.as_ref().filter(|b| b.left() < ask.timeout);
    let timeout = budget.map_or(ask.timeout, Budget::left);
    let work = async {
        let mut s = TcpStream::connect(server)
            .await
            .map_err(|e| format!("TCP to {server}: {e}"))?;
        let len = u16::try_from(bytes.len()).map_err(|_| "query too long".to_owned())?;
        let mut framed = Vec::with_capacity(bytes.len() + 2);
        framed.extend_from_slice(&len.to_be_bytes());
        framed.extend_from_slice(bytes);
        s.write_all(&framed)
            .await
            .map_err(|e| format!("TCP to {server}: {e}"))?;
        let mut lenbuf = [0u8; 2];
        s.read_exact(&mut lenbuf)
            .await
            .map_err(|e| format!("TCP from {server}: {e}"))?;
        // A u16 length: at most 65,535 bytes are ever read.
        let mut body = vec![0u8; usize::from(u16::from_be_bytes(lenbuf))];
        s.read_exact(&mut body)
            .await
            .map_err(|e| format!("TCP from {server}: {e}"))?;
        Ok::<_, String>(body)
    };
    let body = match tokio::time::timeout(timeout, work).await {
        Err(_) => {
            if let Some(b) = budget {
                b.mark();
                return Reply::failed(
                    Status::Timeout,
                    format!("no TCP reply from {server}: {}", b.message()),
                );
            }
            return Reply::failed(
                Status::Timeout,
                format!(
                    "no TCP reply from {server} within {} ms",
                    timeout.as_millis()
                ),
            );
        }
        Ok(Err(e)) => return Reply::failed(Status::NetworkError, e),
        Ok(Ok(b)) => b,
    };
    let mut reply = read_tcp(&body, id, name, rtype, server);
    if reply.message.is_some() {
        reply.rtt_us = micros(t0.elapsed());
    }
    reply
}

/// What one UDP datagram on the socket is, for the question `id`/`name`/`rtype`.
#[derive(Debug)]
pub(crate) enum Datagram {
    /// Not a reply to the question (another id, name or type, or not a response, or
    /// unparsable without our id): keep waiting.
    Ignore,
    /// The reply to the question, truncated: ask again over TCP.
    Truncated,
    /// The reply (`rtt_us` is 0: the caller times it).
    Reply(Reply),
}

/// Read one UDP datagram as a reply to `id`/`name`/`rtype` from `server`. Pure: the probe's
/// socket loop and the `dns_message` fuzz target both go through it.
pub(crate) fn read_udp(
    datagram: &[u8],
    id: u16,
    name: &Name,
    rtype: RecordType,
    server: SocketAddr,
) -> Datagram {
    let msg = match Message::from_vec(datagram) {
        Ok(m) => m,
        Err(e) => {
            // A reply we cannot parse: if it claims our id, that is the answer we got.
            if datagram.get(..2) == Some(&id.to_be_bytes()[..]) {
                return Datagram::Reply(Reply::failed(
                    Status::Malformed,
                    format!("unparsable reply from {server}: {e}"),
                ));
            }
            return Datagram::Ignore;
        }
    };
    if !matches(&msg, id, name, rtype) {
        return Datagram::Ignore;
    }
    if msg.metadata.truncation {
        return Datagram::Truncated;
    }
    let (status, error) = status_of(msg.metadata.response_code);
    Datagram::Reply(Reply {
        message: Some(msg),
        status,
        error,
        rtt_us: 0,
    })
}

/// Read a TCP reply body (without its length prefix) as the reply to `id`/`name`/`rtype`
/// from `server` (`rtt_us` is 0: the caller times it).
pub(crate) fn read_tcp(
    body: &[u8],
    id: u16,
    name: &Name,
    rtype: RecordType,
    server: SocketAddr,
) -> Reply {
    match Message::from_vec(body) {
        Ok(msg) if matches(&msg, id, name, rtype) => {
            let (status, error) = status_of(msg.metadata.response_code);
            Reply {
                message: Some(msg),
                status,
                error,
                rtt_us: 0,
            }
        }
        Ok(_) => Reply::failed(
            Status::Malformed,
            format!("the TCP reply from {server} does not match the question"),
        ),
        Err(e) => Reply::failed(
            Status::Malformed,
            format!("unparsable TCP reply from {server}: {e}"),
        ),
    }
}

/// A query id that is hard to guess (RFC 5452 §9.2): hashed from a random-keyed hasher.
fn rand_id() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    (h.finish() & 0xffff) as u16
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    /// 300 questions at once to a resolver that never answers: at most `MAX_DNS_SOCKETS`
    /// sockets are open at any moment (the rest wait for a slot), and every question still
    /// ends with its timeout.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dns_sockets_are_bounded() {
        let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let server = silent.local_addr().unwrap();
        let name = Name::from_ascii("bounded.test.").unwrap();
        let ask = Ask {
            timeout: Duration::from_millis(200),
            attempts: 1,
            client_subnet: None,
            budget: None,
            questions: None,
        };
        let mut tasks = Vec::new();
        for _ in 0..300 {
            let (name, ask) = (name.clone(), ask.clone());
            tasks.push(tokio::spawn(async move {
                ask_wire(server, &name, RecordType::A, &ask).await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().status, Status::Timeout);
        }
        assert_eq!(dns_sockets_peak(), MAX_DNS_SOCKETS);
        assert_eq!(DNS_SOCKETS.available_permits(), MAX_DNS_SOCKETS);
        drop(silent);
    }
}

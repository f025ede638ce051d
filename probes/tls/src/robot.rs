//! ROBOT: does the server leak a Bleichenbacher oracle on RSA key transport?
//!
//! The ROBOT paper (Böck, Somorovsky, Young: "Return Of Bleichenbacher's Oracle Threat",
//! USENIX Security 2018; CVE-2017-13099 and the vendor CVEs of that family) showed that many
//! TLS servers still answer a ClientKeyExchange differently depending on whether the RSA
//! premaster secret decrypts to a PKCS#1 v1.5 block that is well formed (RFC 8017 §7.2.2).
//! An attacker who can ask that question often enough decrypts a recorded RSA key exchange,
//! or makes the server sign with its key. RFC 5246 §7.4.7.1 asks servers to treat every
//! malformed block exactly like a well-formed one (a random premaster secret, no distinct
//! alert); a server that does not is the oracle.
//!
//! # Method
//!
//! Only when the server accepts an RSA key-exchange suite (`TLS_RSA_*`), at the highest
//! version below TLS 1.3 where it does (started as soon as the scan sees the first one at
//! TLS 1.2, alongside the rest of the scan): one connection per premaster block (the five of
//! a run at once), each a ClientHello offering the RSA suites seen accepted at that version
//! when the check started, the server's flight up to ServerHelloDone, then a
//! ClientKeyExchange carrying one of five blocks encrypted (raw RSA, `m^e mod n`) under the
//! leaf certificate's key:
//!
//! | vector | block (k bytes, k = modulus length) |
//! |---|---|
//! | `well-formed` | `00 02` · k−51 non-zero bytes · `00` · client version · 46 random bytes |
//! | `wrong-first-bytes` | as well-formed, but starting `41 17` |
//! | `no-separator` | `00 02` · k−2 non-zero bytes (no `00` ends the padding) |
//! | `separator-misplaced` | `00 02` · k−27 non-zero bytes · `00` · 24 random bytes (a 24-byte secret) |
//! | `wrong-version` | as well-formed, but with version `02 02` |
//!
//! First each block is followed by a ChangeCipherSpec and a (garbage) encrypted Finished;
//! when every block draws the same answer, the five are sent again with the
//! ClientKeyExchange alone (some servers show the oracle only then). Answers are awaited for
//! the scan's read timeout after a Finished (a run ends as soon as every block has been
//! answered and closed), and after a key exchange sent alone for four times the slowest
//! answer of the first run and 20 ms ([`alone_wait`]; at most the read timeout): a server
//! that answers a lone key exchange only after a longer wait of its own is not told apart.
//! The answer is what the server sent (its alerts and other records) and how the connection
//! ended (closed, reset, or still open at the deadline). A run whose answers differ is
//! repeated once: the same answers again make the server **vulnerable**, other answers
//! **inconclusive**; so is a run where a block never reached the key exchange (the check
//! stops there). Ten connections for a server without an oracle, at most fifteen.
//!
//! The oracle is **strong** when the block with the wrong first bytes is answered unlike a
//! block that starts `00 02` but is otherwise malformed: the server reveals PKCS#1
//! conformance from the first two bytes, the case the paper's attack needs fewest queries
//! for. It is **weak** when those are answered alike and only the well-formed (or
//! wrong-version) block differs.

use std::future::Future;
use std::time::Duration;

use kensa_probe::{Conn, DialError};
use num_bigint::BigUint;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::codec::{AlertDescription, CipherSuite, ProtocolVersion, hex, next_record, record};
use crate::hello::{ClientHello, Rng};
use crate::probe::Check;
use crate::server::{FlightReader, Limits, Progress};
use crate::suites::{KeyExchange, suite_info};

/// One premaster block of the check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Vector {
    /// A PKCS#1 v1.5 block as a client sends it: `00 02`, padding, `00`, version, secret.
    WellFormed,
    /// The well-formed block starting `41 17` instead of `00 02`.
    WrongFirstBytes,
    /// `00 02` and no `00` after the padding.
    NoSeparator,
    /// `00 02` and the `00` placed so that the secret is 24 bytes, not 48.
    SeparatorMisplaced,
    /// The well-formed block with the premaster version `02 02`.
    WrongVersion,
}

/// The five vectors, in the order sent.
pub const VECTORS: [Vector; 5] = [
    Vector::WellFormed,
    Vector::WrongFirstBytes,
    Vector::NoSeparator,
    Vector::SeparatorMisplaced,
    Vector::WrongVersion,
];

/// What followed the ClientKeyExchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flow {
    /// ClientKeyExchange, ChangeCipherSpec and an encrypted Finished (of garbage).
    WithFinished,
    /// The ClientKeyExchange alone.
    KeyExchangeOnly,
}

impl Flow {
    /// The flow in words, for a result's detail.
    pub fn words(self) -> &'static str {
        match self {
            Self::WithFinished => "key exchange, ChangeCipherSpec and Finished",
            Self::KeyExchangeOnly => "key exchange alone",
        }
    }
}

/// How the connection ended after the ClientKeyExchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum End {
    /// The server closed it.
    Closed,
    /// It was reset.
    Reset,
    /// Still open at the deadline.
    Open,
}

/// The server's reaction to one block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reaction {
    /// What the server sent after the ClientKeyExchange, and how the connection ended.
    Answered {
        /// Alerts, as `level/description` (`fatal/bad_record_mac`).
        alerts: Vec<String>,
        /// Content types of the other records, in order.
        other_records: Vec<u8>,
        /// How the connection ended.
        end: End,
    },
    /// The exchange did not get as far as the ClientKeyExchange; why.
    NotReached {
        /// Why.
        why: String,
    },
}

impl Reaction {
    /// The reaction as runs and blocks are compared. A close and a reset count as one ending
    /// (a server that closes with the client's ChangeCipherSpec and Finished still unread
    /// resets the connection, or not, depending on when they arrived), and after an alert the
    /// ending does not count (whether the close comes before the deadline depends on the load
    /// of both ends): races, not an oracle. Without an alert, a connection left open still
    /// differs from a closed one.
    pub fn compared(&self) -> Self {
        match self {
            Self::Answered {
                alerts,
                other_records,
                end,
            } => Self::Answered {
                alerts: alerts.clone(),
                other_records: other_records.clone(),
                end: if alerts.is_empty() && *end == End::Open {
                    End::Open
                } else {
                    End::Closed
                },
            },
            other => other.clone(),
        }
    }
}

/// One block and the server's reaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorAnswer {
    /// The block.
    pub vector: Vector,
    /// The reaction.
    pub reaction: Reaction,
}

/// One run of the five blocks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// What followed each ClientKeyExchange.
    pub flow: Flow,
    /// Per block, in [`VECTORS`] order.
    pub answers: Vec<VectorAnswer>,
}

/// How strong the oracle is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Oracle {
    /// A block with the wrong first bytes is answered unlike a malformed one that starts
    /// `00 02`: conformance shows from the first two bytes.
    Strong,
    /// Only the well-formed (or wrong-version) block is answered differently.
    Weak,
}

/// The ROBOT check's result, in `tls.scan`'s `checks.robot`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Robot {
    /// `vulnerable`, `not-vulnerable`, `not-applicable` (no RSA key exchange), `inconclusive`
    /// or `not-tested`.
    pub result: Check,
    /// What was seen, in words.
    pub detail: String,
    /// With `vulnerable`: the oracle's strength.
    pub oracle: Option<Oracle>,
    /// The version the blocks were sent at.
    pub version: Option<ProtocolVersion>,
    /// The RSA suites offered (those the scan had seen accepted at that version when the
    /// check started).
    pub suites: Vec<CipherSuite>,
    /// The RSA modulus of the leaf the blocks were encrypted to, bits.
    pub modulus_bits: Option<u64>,
    /// Every run, in order.
    pub runs: Vec<Run>,
    /// TCP connections the check opened.
    pub connections: u32,
}

impl Robot {
    /// A result without any run (not applicable, not tested).
    pub fn without_run(result: Check, detail: impl Into<String>) -> Self {
        Self {
            result,
            detail: detail.into(),
            oracle: None,
            version: None,
            suites: Vec::new(),
            modulus_bits: None,
            runs: Vec::new(),
            connections: 0,
        }
    }
}

/// Whether `suite` is an RSA key-transport suite the check can use (not an export suite:
/// those encrypt to a temporary key from the ServerKeyExchange).
pub fn is_rsa_kx(suite: CipherSuite) -> bool {
    suite_info(suite).is_some_and(|i| i.kx == KeyExchange::Rsa && !i.export)
}

// -------------------------------------------------------------------------------------------
// The blocks.

/// An RSA public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaPublicKey {
    /// The modulus.
    pub n: BigUint,
    /// The public exponent.
    pub e: BigUint,
}

impl RsaPublicKey {
    /// The modulus length, bytes.
    pub fn len(&self) -> usize {
        usize::try_from(self.n.bits().div_ceil(8)).unwrap_or(0)
    }

    /// Whether the modulus is zero.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Raw RSA encryption of a k-byte block (`m^e mod n`, reduced first when `m ≥ n`), as k
    /// bytes.
    pub fn encrypt_raw(&self, block: &[u8]) -> Vec<u8> {
        let m = BigUint::from_bytes_be(block) % &self.n;
        let c = m.modpow(&self.e, &self.n).to_bytes_be();
        let k = self.len();
        let mut out = vec![0u8; k.saturating_sub(c.len())];
        out.extend_from_slice(&c);
        out
    }
}

/// One DER element: (tag, value, what follows). Single-byte tags, definite lengths.
fn tlv(buf: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *buf.first()?;
    let first = *buf.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2usize)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = len
                .checked_mul(256)?
                .checked_add(usize::from(*buf.get(2 + i)?))?;
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    Some((tag, buf.get(header..end)?, buf.get(end..)?))
}

/// rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 Appendix A.1).
const RSA_ENCRYPTION: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// The RSA public key of a DER certificate (RFC 5280 §4.1: the subjectPublicKeyInfo after
/// the optional version, serial, signature, issuer, validity and subject); `None` for any
/// other key or a certificate it cannot read.
pub fn rsa_public_key(cert: &[u8]) -> Option<RsaPublicKey> {
    let (0x30, certificate, _) = tlv(cert)? else {
        return None;
    };
    let (0x30, tbs, _) = tlv(certificate)? else {
        return None;
    };
    let mut rest = tbs;
    let (tag, _, after) = tlv(rest)?;
    if tag == 0xa0 {
        rest = after;
    }
    for _ in 0..5 {
        rest = tlv(rest)?.2;
    }
    let (0x30, spki, _) = tlv(rest)? else {
        return None;
    };
    let (0x30, algorithm, after) = tlv(spki)? else {
        return None;
    };
    let (0x06, oid, _) = tlv(algorithm)? else {
        return None;
    };
    if oid != RSA_ENCRYPTION {
        return None;
    }
    let (0x03, bits, _) = tlv(after)? else {
        return None;
    };
    let (0, key) = bits.split_first()? else {
        return None;
    };
    let (0x30, key, _) = tlv(key)? else {
        return None;
    };
    let (0x02, n, after) = tlv(key)? else {
        return None;
    };
    let (0x02, e, _) = tlv(after)? else {
        return None;
    };
    let key = RsaPublicKey {
        n: BigUint::from_bytes_be(n),
        e: BigUint::from_bytes_be(e),
    };
    // The blocks need room for `00 02`, 8 bytes of padding, `00` and 48 bytes.
    (key.len() >= 59 && key.e > BigUint::from(1u8)).then_some(key)
}

fn nonzero(rng: &mut Rng, n: usize) -> Vec<u8> {
    rng.bytes(n)
        .into_iter()
        .map(|b| if b == 0 { 0x5a } else { b })
        .collect()
}

/// The k-byte premaster block for `vector` (k ≥ 59), for a hello of `client_version`.
pub fn block(vector: Vector, k: usize, client_version: ProtocolVersion, rng: &mut Rng) -> Vec<u8> {
    let version = client_version.0.to_be_bytes();
    let well_formed = |first: [u8; 2], version: [u8; 2], rng: &mut Rng| {
        let mut b = first.to_vec();
        b.extend(nonzero(rng, k.saturating_sub(51)));
        b.push(0);
        b.extend_from_slice(&version);
        b.extend(rng.bytes(46));
        b
    };
    match vector {
        Vector::WellFormed => well_formed([0, 2], version, rng),
        Vector::WrongFirstBytes => well_formed([0x41, 0x17], version, rng),
        Vector::WrongVersion => well_formed([0, 2], [2, 2], rng),
        Vector::NoSeparator => {
            let mut b = vec![0, 2];
            b.extend(nonzero(rng, k.saturating_sub(2)));
            b
        }
        Vector::SeparatorMisplaced => {
            let mut b = vec![0, 2];
            b.extend(nonzero(rng, k.saturating_sub(27)));
            b.push(0);
            b.extend(rng.bytes(24));
            b
        }
    }
}

/// The verdict on one run: `Ok(None)` when every block drew the same reaction,
/// `Ok(Some(strength))` for an oracle, `Err` when a block never reached the key exchange.
pub fn judge(run: &Run) -> Result<Option<Oracle>, String> {
    for a in &run.answers {
        if let Reaction::NotReached { why } = &a.reaction {
            return Err(format!("{:?}: {why}", a.vector));
        }
    }
    let of = |v: Vector| {
        run.answers
            .iter()
            .find(|a| a.vector == v)
            .map(|a| a.reaction.compared())
    };
    let first = run.answers.first().map(|a| a.reaction.compared());
    if run
        .answers
        .iter()
        .all(|a| Some(a.reaction.compared()) == first)
    {
        return Ok(None);
    }
    let wrong_first = of(Vector::WrongFirstBytes);
    let strong =
        wrong_first != of(Vector::NoSeparator) || wrong_first != of(Vector::SeparatorMisplaced);
    Ok(Some(if strong { Oracle::Strong } else { Oracle::Weak }))
}

// -------------------------------------------------------------------------------------------
// The exchanges.

/// How the check talks to the server.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Deadline for the server's first flight, and for its answer to the full flow.
    pub read_timeout: Duration,
    /// Deadline for the answer to a ClientKeyExchange sent alone when the first run gave no
    /// answer to time it by (every block still open at the read timeout). Otherwise the
    /// deadline is [`alone_wait`] of that run's slowest answer.
    pub alone_fallback: Duration,
}

/// Added to four times the slowest answer of the first run, for the wait after a lone key
/// exchange: the scheduling noise of a busy host, which a multiple of a millisecond-long
/// answer on loopback does not cover.
pub const ALONE_MARGIN: Duration = Duration::from_millis(20);

/// How long to wait for an answer to a ClientKeyExchange sent alone, given the slowest answer
/// to the first run's key exchanges (each timed from the write of the key exchange to the
/// server's first bytes): four times that and [`ALONE_MARGIN`], at most `cap`.
///
/// A server that reacts to a lone key exchange (an alert, a close) does so once it has read
/// and decrypted it: one round trip and one RSA decryption after the write, as it answered
/// the first run's key exchanges (there it read the ChangeCipherSpec and Finished right
/// behind, which cost nothing next to the decryption). So the bound follows the server's own
/// speed, round trip and key size included, instead of a fixed floor: a slow server (a large
/// key, a distant host, an HSM) gets a long wait, a fast one a short one. The first run's
/// answers are timed on their own connections from the key exchange on, so a server that
/// serves one connection at a time does not stretch them with its queue.
pub fn alone_wait(slowest: Option<Duration>, fallback: Duration, cap: Duration) -> Duration {
    match slowest {
        Some(s) => (s.saturating_mul(4) + ALONE_MARGIN).min(cap),
        None => fallback.min(cap),
    }
}

/// Run the check at `version`, offering `suites` (RSA key-transport suites the server
/// accepted at that version; the caller checks there is one). `dial` opens one connection to
/// the server (the caller's turn and per-host limits, its connect timeout); every call is
/// counted in [`Robot::connections`].
pub async fn check<D, F>(
    dial: D,
    server_name: Option<&str>,
    version: ProtocolVersion,
    suites: Vec<CipherSuite>,
    settings: &Settings,
) -> Robot
where
    D: Fn() -> F,
    F: Future<Output = Result<Conn, DialError>>,
{
    let mut out = Robot::without_run(Check::Inconclusive, "");
    out.version = Some(version);
    out.suites.clone_from(&suites);
    let mut rng = Rng::from_entropy();
    let mut runs = Vec::new();
    let mut verdict = None;
    // The wait after a lone key exchange, once the first run has timed the server's answers.
    let mut alone = settings.alone_fallback.min(settings.read_timeout);
    for flow in [Flow::WithFinished, Flow::KeyExchangeOnly] {
        let (run, slowest) = one_run(
            &dial,
            server_name,
            version,
            &suites,
            flow,
            settings.read_timeout,
            alone,
            &mut rng,
            &mut out,
        )
        .await;
        // A lone key exchange is answered (if at all) about as fast as one followed by a
        // Finished.
        if flow == Flow::WithFinished {
            alone = alone_wait(slowest, settings.alone_fallback, settings.read_timeout);
        }
        let judged = judge(&run);
        runs.push(run);
        match judged {
            Err(why) => {
                verdict = Some((
                    Check::Inconclusive,
                    None,
                    format!("a block did not reach the key exchange ({why})"),
                ));
                break;
            }
            Ok(None) => {}
            Ok(Some(oracle)) => {
                // Once more, to tell an oracle from noise.
                let (again, _) = one_run(
                    &dial,
                    server_name,
                    version,
                    &suites,
                    flow,
                    settings.read_timeout,
                    alone,
                    &mut rng,
                    &mut out,
                )
                .await;
                let same = runs.last().is_some_and(|r| {
                    r.answers
                        .iter()
                        .map(|a| a.reaction.compared())
                        .eq(again.answers.iter().map(|a| a.reaction.compared()))
                });
                runs.push(again);
                verdict = Some(if same {
                    (
                        Check::Vulnerable,
                        Some(oracle),
                        format!(
                            "{} oracle: the server answers malformed RSA premaster blocks differently ({}), the same way in two runs",
                            match oracle {
                                Oracle::Strong => "strong",
                                Oracle::Weak => "weak",
                            },
                            flow.words()
                        ),
                    )
                } else {
                    (
                        Check::Inconclusive,
                        None,
                        format!(
                            "the blocks drew different answers ({}), but not the same ones in a second run",
                            flow.words()
                        ),
                    )
                });
                break;
            }
        }
    }
    let (result, oracle, detail) = verdict.unwrap_or((
        Check::NotVulnerable,
        None,
        "every premaster block drew the same answer, with and without ChangeCipherSpec and Finished"
            .to_owned(),
    ));
    out.result = result;
    out.oracle = oracle;
    out.detail = detail;
    out.runs = runs;
    out
}

#[allow(clippy::too_many_arguments)]
async fn one_run<D, F>(
    dial: &D,
    server_name: Option<&str>,
    version: ProtocolVersion,
    suites: &[CipherSuite],
    flow: Flow,
    read_timeout: Duration,
    alone: Duration,
    rng: &mut Rng,
    out: &mut Robot,
) -> (Run, Option<Duration>)
where
    D: Fn() -> F,
    F: Future<Output = Result<Conn, DialError>>,
{
    // The five blocks at once (a run costs one wait, not five), each ending as soon as the
    // server has answered and closed. A server that serves one connection at a time answers
    // them in turn: each block's flight deadline allows for the others' waits ahead of it.
    let timing = Timing {
        read_timeout,
        answer_wait: match flow {
            Flow::WithFinished => read_timeout,
            Flow::KeyExchangeOnly => alone,
        },
    };
    let one = |vector: Vector, seed: u64| async move {
        let mut rng = Rng::from_seed(seed);
        match dial().await {
            Err(e) => (
                Reaction::NotReached {
                    why: format!("no connection: {e}"),
                },
                Seen::default(),
            ),
            Ok(mut conn) => {
                exchange(
                    &mut conn,
                    server_name,
                    version,
                    suites,
                    vector,
                    flow,
                    timing,
                    &mut rng,
                )
                .await
            }
        }
    };
    let [v0, v1, v2, v3, v4] = VECTORS;
    let (r0, r1, r2, r3, r4) = tokio::join!(
        one(v0, rng.next_u64()),
        one(v1, rng.next_u64()),
        one(v2, rng.next_u64()),
        one(v3, rng.next_u64()),
        one(v4, rng.next_u64()),
    );
    out.connections += 5;
    let mut answers = Vec::new();
    let mut slowest: Option<Duration> = None;
    for (vector, (reaction, seen)) in VECTORS.into_iter().zip([r0, r1, r2, r3, r4]) {
        if seen.bits.is_some() {
            out.modulus_bits = seen.bits;
        }
        if let Some(l) = seen.latency {
            slowest = Some(slowest.map_or(l, |s| s.max(l)));
        }
        answers.push(VectorAnswer { vector, reaction });
    }
    (Run { flow, answers }, slowest)
}

fn not_reached(why: impl Into<String>) -> Reaction {
    Reaction::NotReached { why: why.into() }
}

#[allow(clippy::too_many_arguments)]
async fn exchange(
    conn: &mut Conn,
    server_name: Option<&str>,
    version: ProtocolVersion,
    suites: &[CipherSuite],
    vector: Vector,
    flow: Flow,
    timing: Timing,
    rng: &mut Rng,
) -> (Reaction, Seen) {
    let mut seen = Seen::default();
    let reaction = exchange_inner(
        conn,
        server_name,
        version,
        suites,
        vector,
        flow,
        timing,
        rng,
        &mut seen,
    )
    .await;
    (reaction, seen)
}

/// The deadlines of one block.
#[derive(Clone, Copy, Debug)]
struct Timing {
    /// For the server's first flight (plus the waits of the blocks served before this one).
    read_timeout: Duration,
    /// For the answer to what follows the key exchange.
    answer_wait: Duration,
}

/// What one exchange learnt besides the reaction.
#[derive(Default)]
struct Seen {
    /// The leaf's modulus size, bits.
    bits: Option<u64>,
    /// How long after the key exchange was written the server's first answer came.
    latency: Option<Duration>,
}

#[allow(clippy::too_many_arguments)]
async fn exchange_inner(
    conn: &mut Conn,
    server_name: Option<&str>,
    version: ProtocolVersion,
    suites: &[CipherSuite],
    vector: Vector,
    flow: Flow,
    timing: Timing,
    rng: &mut Rng,
    seen: &mut Seen,
) -> Reaction {
    let hello = ClientHello::legacy(version, suites.to_vec(), server_name, rng);
    let Ok(bytes) = hello.encode() else {
        return not_reached("the hello could not be encoded");
    };
    if let Err(e) = conn.write_all(&bytes).await {
        return not_reached(format!("writing the hello: {e}"));
    }
    // The server's flight, to ServerHelloDone.
    let mut reader = FlightReader::new(Limits::default());
    let mut buf = vec![0u8; 16 * 1024];
    // The four other blocks of the run may be served first, each up to its answer's wait.
    let deadline =
        tokio::time::Instant::now() + timing.read_timeout + timing.answer_wait.saturating_mul(4);
    loop {
        let n = match tokio::time::timeout_at(deadline, conn.read(&mut buf)).await {
            Err(_) => return not_reached("no complete server flight before the deadline"),
            Ok(Err(e)) => return not_reached(format!("reading the flight: {e}")),
            Ok(Ok(0)) => return not_reached("closed before the flight was complete"),
            Ok(Ok(n)) => n,
        };
        match reader.push(buf.get(..n).unwrap_or_default()) {
            Ok(Progress::Complete) => break,
            Ok(Progress::NeedMore) => {}
            Err(e) => return not_reached(format!("malformed flight: {e}")),
        }
    }
    let flight = reader.into_flight();
    let Some(sh) = flight.server_hello.as_ref() else {
        return not_reached(match flight.alert {
            Some(a) => format!("the hello was refused ({})", a.description),
            None => "no ServerHello".to_owned(),
        });
    };
    if sh.version() != version || !is_rsa_kx(sh.cipher_suite) {
        return not_reached(format!(
            "the server chose {:?} {}, not an RSA key-exchange suite at {version:?}",
            sh.version(),
            sh.cipher_suite
        ));
    }
    if !flight.server_hello_done {
        return not_reached("no ServerHelloDone");
    }
    let Some(key) = flight
        .certificate
        .as_ref()
        .and_then(|c| c.certificates.first())
        .and_then(|leaf| rsa_public_key(leaf))
    else {
        return not_reached("no RSA key in the leaf certificate");
    };
    seen.bits = Some(key.n.bits());
    let encrypted = key.encrypt_raw(&block(vector, key.len(), version, rng));

    // ClientKeyExchange (RFC 5246 §7.4.7.1; SSL 3.0 has no length prefix), then maybe
    // ChangeCipherSpec and a Finished record the server cannot decrypt.
    let mut body = Vec::new();
    if version > ProtocolVersion::SSL3 {
        body.extend_from_slice(&u16::try_from(encrypted.len()).unwrap_or(0).to_be_bytes());
    }
    body.extend_from_slice(&encrypted);
    let mut cke = vec![16];
    let len = u32::try_from(body.len()).unwrap_or(0).to_be_bytes();
    cke.extend_from_slice(len.get(1..).unwrap_or_default());
    cke.extend_from_slice(&body);
    let mut send = record(22, version, &cke);
    if flow == Flow::WithFinished {
        send.extend_from_slice(&record(20, version, &[1]));
        send.extend_from_slice(&record(22, version, &rng.bytes(64)));
    }
    if let Err(e) = conn.write_all(&send).await {
        // Closed while the key exchange was written: that is the answer.
        return Reaction::Answered {
            alerts: Vec::new(),
            other_records: Vec::new(),
            end: match e.kind() {
                std::io::ErrorKind::BrokenPipe => End::Closed,
                _ => End::Reset,
            },
        };
    }
    react(conn, timing.answer_wait, &mut seen.latency).await
}

/// Read what the server sends until it closes, or the deadline; after an alert, wait at most
/// a short while more to see whether it closes: four times the time the alert took and
/// [`ALONE_MARGIN`], at most 500 ms (the ending after an alert is recorded, not compared).
async fn react(conn: &mut Conn, wait: Duration, latency: &mut Option<Duration>) -> Reaction {
    let started = tokio::time::Instant::now();
    let mut raw: Vec<u8> = Vec::new();
    let mut alerts = Vec::new();
    let mut other_records = Vec::new();
    let mut buf = vec![0u8; 8192];
    let mut deadline = tokio::time::Instant::now() + wait;
    let after_alert = wait.min(Duration::from_millis(500));
    let end = loop {
        let read = tokio::time::timeout_at(deadline, conn.read(&mut buf)).await;
        if latency.is_none() && read.is_ok() {
            *latency = Some(started.elapsed());
        }
        match read {
            Err(_) => break End::Open,
            Ok(Ok(0)) => break End::Closed,
            Ok(Err(_)) => break End::Reset,
            Ok(Ok(n)) => raw.extend_from_slice(buf.get(..n).unwrap_or_default()),
        }
        let alerts_before = alerts.len();
        while let Some((typ, frag, used)) = next_record(&raw) {
            raw.drain(..used.min(raw.len()));
            if typ == 21 {
                let level = match frag.first() {
                    Some(1) => "warning".to_owned(),
                    Some(2) => "fatal".to_owned(),
                    Some(x) => format!("level-{x}"),
                    None => "empty".to_owned(),
                };
                let description = frag
                    .get(1)
                    .map(|d| AlertDescription(*d).to_string())
                    .unwrap_or_else(|| hex(&frag));
                alerts.push(format!("{level}/{description}"));
            } else {
                other_records.push(typ);
            }
            if alerts.len() + other_records.len() > 16 {
                break;
            }
        }
        if alerts.len() > alerts_before {
            let settle = latency.map_or(after_alert, |l| {
                after_alert.min(l.saturating_mul(4) + ALONE_MARGIN)
            });
            deadline = deadline.min(tokio::time::Instant::now() + settle);
        }
        if alerts.len() + other_records.len() > 16 || raw.len() > 64 * 1024 {
            break End::Open;
        }
    };
    Reaction::Answered {
        alerts,
        other_records,
        end,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn answered(alert: &str) -> Reaction {
        Reaction::Answered {
            alerts: vec![alert.to_owned()],
            other_records: Vec::new(),
            end: End::Closed,
        }
    }

    fn run(reactions: [&str; 5]) -> Run {
        Run {
            flow: Flow::WithFinished,
            answers: VECTORS
                .iter()
                .zip(reactions)
                .map(|(v, r)| VectorAnswer {
                    vector: *v,
                    reaction: answered(r),
                })
                .collect(),
        }
    }

    #[test]
    fn blocks_have_the_documented_shape() {
        let mut rng = Rng::from_seed(7);
        let k = 256;
        let v = ProtocolVersion::TLS1_2;
        let good = block(Vector::WellFormed, k, v, &mut rng);
        assert_eq!(good.len(), k);
        assert_eq!(&good[..2], &[0, 2]);
        // The only 0x00 after the first byte is the separator, 48 bytes from the end.
        assert_eq!(good[1..].iter().position(|b| *b == 0), Some(k - 49 - 1));
        assert_eq!(&good[k - 48..k - 46], &[3, 3]);

        let wrong = block(Vector::WrongFirstBytes, k, v, &mut rng);
        assert_eq!((wrong.len(), &wrong[..2]), (k, &[0x41, 0x17][..]));

        let none = block(Vector::NoSeparator, k, v, &mut rng);
        assert_eq!(none.len(), k);
        assert!(none[1..].iter().all(|b| *b != 0));

        let misplaced = block(Vector::SeparatorMisplaced, k, v, &mut rng);
        assert_eq!(misplaced.len(), k);
        assert_eq!(
            misplaced[1..].iter().position(|b| *b == 0),
            Some(k - 25 - 1)
        );

        let version = block(Vector::WrongVersion, k, v, &mut rng);
        assert_eq!(&version[k - 48..k - 46], &[2, 2]);
        assert_eq!(version[k - 49], 0);
    }

    #[test]
    fn raw_encryption_is_m_to_the_e_mod_n() {
        // n = 61 · 53 = 3233, e = 17: 65^17 mod 3233 = 2790 (the textbook example).
        let key = RsaPublicKey {
            n: BigUint::from(3233u32),
            e: BigUint::from(17u32),
        };
        assert_eq!(key.len(), 2);
        assert_eq!(key.encrypt_raw(&[0, 65]), vec![0x0a, 0xe6]);
    }

    #[test]
    fn verdicts() {
        let same = run(["fatal/bad_record_mac"; 5]);
        assert_eq!(judge(&same), Ok(None));
        // A reset where the others closed, after the same alert: a race, not an oracle.
        let mut raced = same.clone();
        raced.answers[2].reaction = Reaction::Answered {
            alerts: vec!["fatal/bad_record_mac".to_owned()],
            other_records: Vec::new(),
            end: End::Reset,
        };
        assert_eq!(judge(&raced), Ok(None));
        // The same alert, the close not seen before the deadline: a race too.
        raced.answers[2].reaction = Reaction::Answered {
            alerts: vec!["fatal/bad_record_mac".to_owned()],
            other_records: Vec::new(),
            end: End::Open,
        };
        assert_eq!(judge(&raced), Ok(None));
        // No alert and the connection left open, where the others alerted: an answer of its
        // own.
        raced.answers[2].reaction = Reaction::Answered {
            alerts: Vec::new(),
            other_records: Vec::new(),
            end: End::Open,
        };
        assert_eq!(judge(&raced), Ok(Some(Oracle::Strong)));
        // Wrong first bytes unlike the other malformed blocks: strong.
        let strong = run([
            "fatal/bad_record_mac",
            "fatal/decrypt_error",
            "fatal/bad_record_mac",
            "fatal/bad_record_mac",
            "fatal/bad_record_mac",
        ]);
        assert_eq!(judge(&strong), Ok(Some(Oracle::Strong)));
        // Every malformed block alike, the well-formed one different: weak.
        let weak = run([
            "fatal/bad_record_mac",
            "fatal/handshake_failure",
            "fatal/handshake_failure",
            "fatal/handshake_failure",
            "fatal/bad_record_mac",
        ]);
        assert_eq!(judge(&weak), Ok(Some(Oracle::Weak)));
        let mut broken = same;
        broken.answers[3].reaction = not_reached("no ServerHello");
        assert!(judge(&broken).unwrap_err().contains("SeparatorMisplaced"));
    }

    #[test]
    fn the_wait_after_a_lone_key_exchange_follows_the_server() {
        let ms = Duration::from_millis;
        let cap = ms(5000);
        // A fast server on loopback: 4 × 2 ms + 20 ms, not a fixed 250 ms.
        assert_eq!(alone_wait(Some(ms(2)), ms(250), cap), ms(28));
        // A slow one (a distant host, a large key): its own answer time, four times.
        assert_eq!(alone_wait(Some(ms(300)), ms(250), cap), ms(1220));
        assert_eq!(alone_wait(Some(ms(2000)), ms(250), cap), cap);
        // Nothing answered in the first run: the fallback.
        assert_eq!(alone_wait(None, ms(250), cap), ms(250));
        assert_eq!(alone_wait(None, ms(250), ms(100)), ms(100));
    }

    #[test]
    fn reads_the_rsa_key_of_a_certificate_and_nothing_else() {
        assert_eq!(rsa_public_key(&[]), None);
        assert_eq!(rsa_public_key(&[0x30, 0x82, 0xff]), None);
        assert_eq!(rsa_public_key(&[0x30; 64]), None);
    }
}

//! Client-initiated renegotiation: does the server start a new handshake when the *client*
//! asks for one inside an established TLS 1.2 session?
//!
//! A server that accepts lets any client make it do expensive handshake work on one
//! connection (a denial-of-service lever; RFC 5746 §1 and §4 describe the setting). The check
//! needs a completed handshake, which rustls cannot renegotiate, so this module completes one
//! itself with the smallest useful machinery: TLS 1.2, ECDHE over x25519, AES-128-GCM with
//! SHA-256 (RFC 5289 suites 0xC02F/0xC02B), the RFC 5246 §5 PRF, ring for the primitives.
//! It then sends a second ClientHello carrying `renegotiation_info` with the client's
//! verify_data (RFC 5746 §3.5) and reads the answer: a ServerHello means the server
//! renegotiates; a `no_renegotiation` alert or a close means it refuses.
//!
//! Nothing here authenticates the server: the certificate and the ServerKeyExchange signature
//! are not checked, because the check only observes the server's behaviour and sends no data.

use std::time::Duration;

use kensa_probe::{Conn, DialError};
use ring::aead::{AES_128_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey, X25519};
use ring::hmac;
use ring::rand::SystemRandom;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::codec::{CipherSuite, NamedGroup, ProtocolVersion, next_record};
use crate::hello::{ClientExtension, ClientHello, Rng};
use crate::server::{Deframer, Limits, Message, ServerHello};

/// How the server answered a client-initiated renegotiation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Renegotiation {
    /// It answered the second ClientHello with a ServerHello.
    Accepted,
    /// It refused: the alert description, or `None` for a close without one.
    Refused(Option<u8>),
    /// The check could not be run to the end; why.
    Incomplete(String),
}

const SUITES: [CipherSuite; 2] = [CipherSuite(0xc02f), CipherSuite(0xc02b)];
/// TLS 1.2 on the wire, for the record-layer AAD.
const TLS12: [u8; 2] = [3, 3];

/// Run the check on `conn`, a new connection to the server (or why there is none). Returns
/// the result and the connections used (always 1).
pub async fn check(
    conn: Result<Conn, DialError>,
    server_name: Option<&str>,
    read_timeout: Duration,
) -> (Renegotiation, u32) {
    let mut conn = match conn {
        Ok(c) => c,
        Err(e) => return (Renegotiation::Incomplete(e.to_string()), 1),
    };
    let result = tokio::time::timeout(read_timeout * 4, run(&mut conn, server_name, read_timeout))
        .await
        .unwrap_or_else(|_| Err("the handshake did not finish in time".into()));
    (
        match result {
            Ok(r) => r,
            Err(e) => Renegotiation::Incomplete(e),
        },
        1,
    )
}

type Res<T> = Result<T, String>;

fn hello(server_name: Option<&str>, reneg_info: Vec<u8>, rng: &mut Rng) -> ClientHello {
    let mut h = ClientHello::legacy(ProtocolVersion::TLS1_2, SUITES.to_vec(), server_name, rng);
    for e in &mut h.extensions {
        match e {
            ClientExtension::SupportedGroups(g) => *g = vec![NamedGroup::X25519],
            ClientExtension::RenegotiationInfo(v) => v.clone_from(&reneg_info),
            _ => {}
        }
    }
    h
}

async fn run(conn: &mut Conn, server_name: Option<&str>, wait: Duration) -> Res<Renegotiation> {
    let mut rng = Rng::from_entropy();
    let ch = hello(server_name, Vec::new(), &mut rng);
    let ch_msg = ch.encode_handshake().map_err(|e| e.to_string())?;
    let mut transcript = ch_msg.clone();
    conn.write_all(&ch.encode().map_err(|e| e.to_string())?)
        .await
        .map_err(|e| e.to_string())?;

    // The server's flight, kept byte for byte for the transcript.
    let mut deframer = Deframer::new(Limits::default());
    let mut buf = vec![0u8; 16 * 1024];
    let mut server_random = Vec::new();
    let mut server_point = None;
    loop {
        let n = read_some(conn, &mut buf, wait).await?;
        deframer
            .push(buf.get(..n).unwrap_or_default())
            .map_err(|e| e.to_string())?;
        let mut done = false;
        while let Some(msg) = deframer.next_message().map_err(|e| e.to_string())? {
            match msg {
                Message::Handshake { typ, body } => {
                    transcript.push(typ.0);
                    transcript.extend_from_slice(&u24(body.len()));
                    transcript.extend_from_slice(&body);
                    match typ.0 {
                        2 => {
                            let sh = ServerHello::parse(&body).map_err(|e| e.to_string())?;
                            if sh.version() != ProtocolVersion::TLS1_2
                                || !SUITES.contains(&sh.cipher_suite)
                            {
                                return Err(format!(
                                    "needs TLS 1.2 with ECDHE and AES-128-GCM; the server chose {:?} {:?}",
                                    sh.version(),
                                    sh.cipher_suite
                                ));
                            }
                            server_random = sh.random;
                        }
                        12 => server_point = Some(x25519_point(&body)?),
                        14 => done = true,
                        _ => {}
                    }
                }
                Message::Alert(a) => {
                    return Err(format!(
                        "the first handshake was refused ({:?})",
                        a.description
                    ));
                }
                _ => {}
            }
        }
        if done {
            break;
        }
    }
    let point = server_point.ok_or("no x25519 ServerKeyExchange")?;

    // Key exchange and keys (RFC 5246 §8.1, §6.3; RFC 5288 §3 for the GCM nonce).
    let rand = SystemRandom::new();
    let private = EphemeralPrivateKey::generate(&X25519, &rand).map_err(|_| "x25519 keygen")?;
    let public = private
        .compute_public_key()
        .map_err(|_| "x25519 public key")?;
    let pre_master =
        agreement::agree_ephemeral(private, &UnparsedPublicKey::new(&X25519, &point), |k| {
            k.to_vec()
        })
        .map_err(|_| "x25519 agreement failed (bad server point)")?;
    let client_random = ch.random.to_vec();
    let master = prf(
        &pre_master,
        b"master secret",
        &[client_random.as_slice(), server_random.as_slice()].concat(),
        48,
    );
    let block = prf(
        &master,
        b"key expansion",
        &[server_random.as_slice(), client_random.as_slice()].concat(),
        40,
    );
    let part = |a: usize, b: usize| block.get(a..b).unwrap_or_default().to_vec();
    let client = Direction::new(&part(0, 16), &part(32, 36))?;
    let server = Direction::new(&part(16, 32), &part(36, 40))?;
    let mut client = client;
    let mut server = server;

    // ClientKeyExchange, ChangeCipherSpec, Finished.
    let mut cke = vec![16];
    let mut cke_body = vec![u8::try_from(public.as_ref().len()).unwrap_or(32)];
    cke_body.extend_from_slice(public.as_ref());
    cke.extend_from_slice(&u24(cke_body.len()));
    cke.extend_from_slice(&cke_body);
    transcript.extend_from_slice(&cke);
    let verify_data = prf(
        &master,
        b"client finished",
        ring::digest::digest(&ring::digest::SHA256, &transcript).as_ref(),
        12,
    );
    let mut finished = vec![20, 0, 0, 12];
    finished.extend_from_slice(&verify_data);
    let mut out = record(22, &cke);
    out.extend_from_slice(&record(20, &[1]));
    out.extend_from_slice(&client.seal(22, &finished)?);
    conn.write_all(&out).await.map_err(|e| e.to_string())?;

    // The server's ChangeCipherSpec and Finished.
    let mut raw = Vec::new();
    let mut seen_ccs = false;
    'finish: loop {
        let n = read_some(conn, &mut buf, wait).await?;
        raw.extend_from_slice(buf.get(..n).unwrap_or_default());
        while let Some((typ, frag, used)) = next_record(&raw) {
            raw.drain(..used);
            match (typ, seen_ccs) {
                (20, _) => seen_ccs = true,
                (21, false) => {
                    return Err(format!(
                        "the handshake was refused at Finished (alert {})",
                        frag.get(1).copied().unwrap_or(0)
                    ));
                }
                (_, true) => {
                    let plain = server.open(typ, &frag)?;
                    if typ == 22 && plain.first() == Some(&20) {
                        break 'finish;
                    }
                    if typ == 21 {
                        return Err("the handshake was refused at Finished".into());
                    }
                }
                _ => {} // NewSessionTicket and the like, before the CCS
            }
        }
    }

    // The client-initiated renegotiation: a new hello with our verify_data (RFC 5746 §3.5).
    let again = hello(server_name, verify_data, &mut rng);
    let again = again.encode_handshake().map_err(|e| e.to_string())?;
    conn.write_all(&client.seal(22, &again)?)
        .await
        .map_err(|e| e.to_string())?;
    loop {
        let n = match read_some(conn, &mut buf, wait).await {
            Ok(0) => return Ok(Renegotiation::Refused(None)),
            Ok(n) => n,
            Err(e) if e.contains("closed") || e.contains("reset") => {
                return Ok(Renegotiation::Refused(None));
            }
            Err(e) => return Err(format!("no answer to the renegotiation hello: {e}")),
        };
        raw.extend_from_slice(buf.get(..n).unwrap_or_default());
        while let Some((typ, frag, used)) = next_record(&raw) {
            raw.drain(..used);
            let plain = server.open(typ, &frag)?;
            match (typ, plain.first()) {
                (22, Some(2)) => return Ok(Renegotiation::Accepted),
                (21, _) => return Ok(Renegotiation::Refused(plain.get(1).copied())),
                _ => {}
            }
        }
    }
}

async fn read_some(conn: &mut Conn, buf: &mut [u8], wait: Duration) -> Res<usize> {
    match tokio::time::timeout(wait, conn.read(buf)).await {
        Err(_) => Err("timed out waiting for the server".into()),
        Ok(Err(e)) => Err(format!("reset: {e}")),
        Ok(Ok(0)) => Err("closed by the server".into()),
        Ok(Ok(n)) => Ok(n),
    }
}

fn u24(n: usize) -> [u8; 3] {
    let n = u32::try_from(n).unwrap_or(0);
    let b = n.to_be_bytes();
    [b[1], b[2], b[3]]
}

fn record(typ: u8, payload: &[u8]) -> Vec<u8> {
    crate::codec::record(typ, ProtocolVersion::TLS1_2, payload)
}

/// The server's x25519 point from an ECDHE ServerKeyExchange body (RFC 8422 §5.4): the
/// renegotiation check's own reading of the server's key exchange; fuzzed by the
/// `tls_records` target.
pub fn x25519_point(body: &[u8]) -> Res<Vec<u8>> {
    match body {
        [3, 0x00, 0x1d, len, rest @ ..] => rest
            .get(..usize::from(*len))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| "truncated ServerKeyExchange".into()),
        _ => Err("the ServerKeyExchange is not x25519".into()),
    }
}

/// The TLS 1.2 PRF with SHA-256 (RFC 5246 §5).
fn prf(secret: &[u8], label: &[u8], seed: &[u8], len: usize) -> Vec<u8> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let seed = [label, seed].concat();
    let mut a = hmac::sign(&key, &seed).as_ref().to_vec();
    let mut out = Vec::with_capacity(len + 32);
    while out.len() < len {
        out.extend_from_slice(hmac::sign(&key, &[a.as_slice(), seed.as_slice()].concat()).as_ref());
        a = hmac::sign(&key, &a).as_ref().to_vec();
    }
    out.truncate(len);
    out
}

/// One direction's AES-128-GCM state (RFC 5288 §3: 4-byte salt + 8-byte explicit nonce).
struct Direction {
    key: LessSafeKey,
    salt: [u8; 4],
    seq: u64,
}

impl Direction {
    fn new(key: &[u8], salt: &[u8]) -> Res<Self> {
        let key = UnboundKey::new(&AES_128_GCM, key).map_err(|_| "bad key length")?;
        let salt: [u8; 4] = salt.try_into().map_err(|_| "bad salt length")?;
        Ok(Self {
            key: LessSafeKey::new(key),
            salt,
            seq: 0,
        })
    }

    fn nonce(&self, explicit: &[u8]) -> Res<Nonce> {
        let mut n = [0u8; 12];
        n.get_mut(..4).ok_or("nonce")?.copy_from_slice(&self.salt);
        n.get_mut(4..)
            .ok_or("nonce")?
            .copy_from_slice(explicit.get(..8).ok_or("short explicit nonce")?);
        Ok(Nonce::assume_unique_for_key(n))
    }

    fn aad(&self, typ: u8, len: usize) -> [u8; 13] {
        let mut a = [0u8; 13];
        let seq = self.seq.to_be_bytes();
        let len = u16::try_from(len).unwrap_or(0).to_be_bytes();
        for (dst, src) in a.iter_mut().zip(
            seq.iter()
                .chain([typ, TLS12[0], TLS12[1]].iter())
                .chain(len.iter()),
        ) {
            *dst = *src;
        }
        a
    }

    /// An encrypted record of `typ` carrying `plain`.
    fn seal(&mut self, typ: u8, plain: &[u8]) -> Res<Vec<u8>> {
        let explicit = self.seq.to_be_bytes();
        let mut data = plain.to_vec();
        self.key
            .seal_in_place_append_tag(
                self.nonce(&explicit)?,
                Aad::from(self.aad(typ, plain.len())),
                &mut data,
            )
            .map_err(|_| "encryption failed")?;
        self.seq += 1;
        Ok(record(
            typ,
            &[explicit.as_slice(), data.as_slice()].concat(),
        ))
    }

    /// Decrypt a record fragment of `typ`.
    fn open(&mut self, typ: u8, frag: &[u8]) -> Res<Vec<u8>> {
        let explicit = frag.get(..8).ok_or("short encrypted record")?;
        let mut data = frag.get(8..).ok_or("short encrypted record")?.to_vec();
        let plain_len = data.len().checked_sub(16).ok_or("short encrypted record")?;
        let plain = self
            .key
            .open_in_place(
                self.nonce(explicit)?,
                Aad::from(self.aad(typ, plain_len)),
                &mut data,
            )
            .map_err(|_| "a server record failed to decrypt")?
            .to_vec();
        self.seq += 1;
        Ok(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_matches_a_published_vector() {
        // The TLS 1.2 PRF (SHA-256) test vector circulated on the IETF TLS list
        // (secret 9b be 43 6b ..., label "test label", 100 bytes); first and last bytes, also
        // reproduced with Python's hmac module.
        let secret = [
            0x9b, 0xbe, 0x43, 0x6b, 0xa9, 0x40, 0xf0, 0x17, 0xb1, 0x76, 0x52, 0x84, 0x9a, 0x71,
            0xdb, 0x35,
        ];
        let seed = [
            0xa0, 0xba, 0x9f, 0x93, 0x6c, 0xda, 0x31, 0x18, 0x27, 0xa6, 0xf7, 0x96, 0xff, 0xd5,
            0x19, 0x8c,
        ];
        let out = prf(&secret, b"test label", &seed, 100);
        assert_eq!(out.len(), 100);
        assert_eq!(&out[..4], &[0xe3, 0xf2, 0x29, 0xba]);
        assert_eq!(&out[96..], &[0x87, 0x34, 0x7b, 0x66]);
    }

    #[test]
    fn gcm_round_trip() {
        let key = [7u8; 16];
        let mut a = Direction::new(&key, &[1, 2, 3, 4]).unwrap();
        let mut b = Direction::new(&key, &[1, 2, 3, 4]).unwrap();
        let rec = a.seal(22, b"hello").unwrap();
        let (typ, frag, _) = next_record(&rec).unwrap();
        assert_eq!(b.open(typ, &frag).unwrap(), b"hello");
        assert!(
            b.open(typ, &frag).is_err(),
            "wrong sequence number must fail"
        );
    }

    #[test]
    fn point_parsing() {
        let mut body = vec![3, 0, 0x1d, 32];
        body.extend_from_slice(&[9u8; 32]);
        body.extend_from_slice(&[0, 0]);
        assert_eq!(x25519_point(&body).unwrap(), vec![9u8; 32]);
        assert!(x25519_point(&[3, 0, 23, 65]).is_err());
        assert!(x25519_point(&[3, 0, 0x1d, 32, 1]).is_err());
    }
}

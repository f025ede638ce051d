//! JARM: an active TLS server fingerprint (Salesforce, 2020).
//!
//! # Method
//!
//! JARM sends ten purpose-built ClientHellos, each on its own TCP connection, and reads only
//! the server's first answer to each. From every answer it keeps four things, written as one
//! raw result `cipher|version|alpn|extensions`:
//!
//! - the chosen cipher suite, four lower-case hex digits (`c02f`);
//! - the ServerHello's `legacy_version`, four hex digits (`0303`; so TLS 1.3 also reads `0303`:
//!   JARM never looks at `supported_versions`);
//! - the protocol named in the ServerHello's ALPN extension (empty if none);
//! - the ServerHello's extension types in the order sent, as hex joined with `-`
//!   (`ff01-0000-0017`).
//!
//! An answer that is not a ServerHello (an alert, a closed connection, anything else) gives
//! `|||`. A HelloRetryRequest is a ServerHello on the wire and is read like one.
//!
//! The fingerprint is 62 characters: for each of the ten results, two hex digits for the
//! cipher (its 1-based position in JARM's own cipher table, [`FUZZY_CIPHER_ORDER`]; `00` for
//! none, `46` for a suite not in the table) and one letter for the version (`a` SSL 3.0 ..
//! `e` for 0x0304; `0` for none); then the first 32 hex digits of the SHA-256 of all the
//! `alpn` and `extensions` fields concatenated. Ten `|||` results give 62 zeros.
//!
//! # Source
//!
//! Re-implemented from the published description and parameter tables of the reference
//! implementation, <https://github.com/salesforce/jarm> (README "How JARM Works", and the probe
//! list, cipher/ALPN/extension tables and hashing rules of `jarm.py`, version 1.0, November
//! 2020, BSD-3-Clause). No code was copied; the tables below are transcribed facts. The pyjarm
//! package (PyPI, ISC) implements the same method and is the oracle of the loopback test.
//!
//! # Compatibility notes (where kensa deliberately follows the reference)
//!
//! - The hellos carry `server_name` with whatever host string the scan uses. The reference
//!   scans IP targets with the IP literal in SNI (which RFC 6066 section 3 does not allow); so
//!   that kensa's fingerprints of IP targets match published JARM fingerprints, [`jarm`] does
//!   the same when it has no name. [`hellos`] with `None` omits the extension instead.
//! - The reference's "normal" ALPN list has eight entries, not nine: `spdy/3` and `h2` are
//!   one entry (two protocol names that always stay adjacent when the list is reordered). The
//!   hellos reproduce that, since the order offered can change the server's pick.
//! - A probe that gets *no byte at all* before its deadline (or whose connect times out) ends
//!   the scan, and every result becomes `|||` (an all-zero fingerprint), as in the reference.
//!   A refused or reset connection only gives `|||` for that probe.
//!
//! # Deliberate differences (no effect on fingerprints of well-formed servers)
//!
//! - kensa reads until the first message is complete (bounded), where the reference reads one
//!   `recv` of 1484 bytes; a ServerHello split across TCP segments is therefore still read.
//! - A ServerHello without an extensions block gives `cipher|version||`; the reference gives
//!   `cipher|version||||` when a Certificate follows in the same record and parses the next
//!   record's bytes as extensions otherwise (with special cases for two certificate-record
//!   lengths). Both hash the same in the first case.
//! - A malformed ServerHello, an empty or non-UTF-8 ALPN extension give `|||` (the reference's
//!   exception paths give the same). A `legacy_version` whose last hex digit is not 0..=5 (the
//!   reference would crash) gives the version letter `0`.

use std::net::SocketAddr;
use std::time::Duration;

use kensa_probe::{Conn, DialError, Scope};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use crate::codec::{CipherSuite, ExtensionType, NamedGroup, ProtocolVersion, Reader};
use crate::codec::{HandshakeType, SignatureScheme};
use crate::hello::{ClientExtension, ClientHello, KeyShareEntry, Rng};
use crate::server::{Deframer, Limits, Message};

/// The raw result of a probe that got no ServerHello.
pub const NO_ANSWER: &str = "|||";

/// Number of probes (hellos) in one JARM scan.
pub const PROBE_COUNT: usize = 10;

/// Most bytes read from the server for one probe (the ServerHello is all JARM needs).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// JARM's cipher list "ALL", in the order it is offered (reference `jarm.py`, `get_ciphers`).
/// The list "NO1.3" is the same without the five TLS 1.3 suites (0x1301..=0x1305).
pub const CIPHERS_ALL: [u16; 69] = [
    0x0016, 0x0033, 0x0067, 0xc09e, 0xc0a2, 0x009e, 0x0039, 0x006b, 0xc09f, 0xc0a3, 0x009f, 0x0045,
    0x00be, 0x0088, 0x00c4, 0x009a, 0xc008, 0xc009, 0xc023, 0xc0ac, 0xc0ae, 0xc02b, 0xc00a, 0xc024,
    0xc0ad, 0xc0af, 0xc02c, 0xc072, 0xc073, 0xcca9, 0x1302, 0x1301, 0xcc14, 0xc007, 0xc012, 0xc013,
    0xc027, 0xc02f, 0xc014, 0xc028, 0xc030, 0xc060, 0xc061, 0xc076, 0xc077, 0xcca8, 0x1305, 0x1304,
    0x1303, 0xcc13, 0xc011, 0x000a, 0x002f, 0x003c, 0xc09c, 0xc0a0, 0x009c, 0x0035, 0x003d, 0xc09d,
    0xc0a1, 0x009d, 0x0041, 0x00ba, 0x0084, 0x00c0, 0x0007, 0x0004, 0x0005,
];

/// The table whose 1-based positions encode the chosen cipher in the fingerprint (reference
/// `jarm.py`, `cipher_bytes`): the same 69 suites, ascending, except that the TLS 1.3 suites
/// come last.
pub const FUZZY_CIPHER_ORDER: [u16; 69] = [
    0x0004, 0x0005, 0x0007, 0x000a, 0x0016, 0x002f, 0x0033, 0x0035, 0x0039, 0x003c, 0x003d, 0x0041,
    0x0045, 0x0067, 0x006b, 0x0084, 0x0088, 0x009a, 0x009c, 0x009d, 0x009e, 0x009f, 0x00ba, 0x00be,
    0x00c0, 0x00c4, 0xc007, 0xc008, 0xc009, 0xc00a, 0xc011, 0xc012, 0xc013, 0xc014, 0xc023, 0xc024,
    0xc027, 0xc028, 0xc02b, 0xc02c, 0xc02f, 0xc030, 0xc060, 0xc061, 0xc072, 0xc073, 0xc076, 0xc077,
    0xc09c, 0xc09d, 0xc09e, 0xc09f, 0xc0a0, 0xc0a1, 0xc0a2, 0xc0a3, 0xc0ac, 0xc0ad, 0xc0ae, 0xc0af,
    0xcc13, 0xcc14, 0xcca8, 0xcca9, 0x1301, 0x1302, 0x1303, 0x1304, 0x1305,
];

/// ALPN "normal" list, weakest first, as reordering units (see the module docs: `spdy/3` and
/// `h2` form one unit in the reference).
const ALPN_NORMAL: &[&[&[u8]]] = &[
    &[b"http/0.9"],
    &[b"http/1.0"],
    &[b"http/1.1"],
    &[b"spdy/1"],
    &[b"spdy/2"],
    &[b"spdy/3", b"h2"],
    &[b"h2c"],
    &[b"hq"],
];

/// ALPN "rare" list: the normal list without `h2` and `http/1.1`.
const ALPN_RARE: &[&[&[u8]]] = &[
    &[b"http/0.9"],
    &[b"http/1.0"],
    &[b"spdy/1"],
    &[b"spdy/2"],
    &[b"spdy/3"],
    &[b"h2c"],
    &[b"hq"],
];

/// supported_groups of every JARM hello.
const GROUPS: [NamedGroup; 4] = [
    NamedGroup::X25519,
    NamedGroup::SECP256R1,
    NamedGroup::SECP384R1,
    NamedGroup::SECP521R1,
];

/// signature_algorithms of every JARM hello, in order.
const SIGNATURE_SCHEMES: [SignatureScheme; 9] = [
    SignatureScheme::ECDSA_SECP256R1_SHA256,
    SignatureScheme::RSA_PSS_RSAE_SHA256,
    SignatureScheme::RSA_PKCS1_SHA256,
    SignatureScheme::ECDSA_SECP384R1_SHA384,
    SignatureScheme::RSA_PSS_RSAE_SHA384,
    SignatureScheme::RSA_PKCS1_SHA384,
    SignatureScheme::RSA_PSS_RSAE_SHA512,
    SignatureScheme::RSA_PKCS1_SHA512,
    SignatureScheme::RSA_PKCS1_SHA1,
];

/// How a list (of cipher suites, ALPN protocols or versions) is reordered for a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// As listed.
    Forward,
    /// Reversed.
    Reverse,
    /// The first half (without the middle element of an odd list) reversed, preceded by the
    /// middle element when the length is odd.
    TopHalf,
    /// The second half, without the middle element of an odd list.
    BottomHalf,
    /// From the middle outwards: for odd lengths the middle element, then alternately the
    /// next one after and before it; for even lengths alternately the element just right of
    /// the centre and the one just left of it, moving outwards.
    MiddleOut,
}

/// Reorders `items` as `order` says (reference `jarm.py`, `cipher_mung`).
pub fn reorder<T: Clone>(items: &[T], order: Order) -> Vec<T> {
    let n = items.len();
    let half = n / 2;
    let odd = n % 2 == 1;
    match order {
        Order::Forward => items.to_vec(),
        Order::Reverse => items.iter().rev().cloned().collect(),
        Order::BottomHalf => items
            .get(half + usize::from(odd)..)
            .unwrap_or_default()
            .to_vec(),
        Order::TopHalf => {
            let middle = items.get(half).filter(|_| odd).cloned();
            let first = items.get(..half).unwrap_or_default();
            middle
                .into_iter()
                .chain(first.iter().rev().cloned())
                .collect()
        }
        Order::MiddleOut => {
            let mut out = Vec::with_capacity(n);
            // For odd n the centre is `half`; for even n, the pair (half - 1, half).
            if odd {
                out.extend(items.get(half).cloned());
            }
            for i in 1..=half {
                let right = if odd { half + i } else { half - 1 + i };
                out.extend(items.get(right).cloned());
                out.extend(items.get(half - i).cloned());
            }
            out
        }
    }
}

/// The version a probe offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeVersion {
    /// TLS 1.1: record and `client_version` 0x0302.
    Tls11,
    /// TLS 1.2: record and `client_version` 0x0303.
    Tls12,
    /// TLS 1.3 style: record 0x0301, `client_version` 0x0303 (1.3 offered in
    /// supported_versions).
    Tls13,
}

/// Which cipher list a probe offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CipherList {
    /// [`CIPHERS_ALL`].
    All,
    /// [`CIPHERS_ALL`] without the TLS 1.3 suites.
    No13,
}

/// What the supported_versions extension of a probe offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionsExtension {
    /// No supported_versions extension.
    Absent,
    /// TLS 1.0, 1.1, 1.2 (oldest first before reordering).
    UpTo12,
    /// TLS 1.0, 1.1, 1.2, 1.3.
    UpTo13,
}

/// The parameters of one JARM probe (reference `jarm.py`, `main`: the ten entries of `queue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProbeSpec {
    /// The reference's name for the probe.
    pub name: &'static str,
    /// Record and `client_version`.
    pub version: ProbeVersion,
    /// Cipher list offered.
    pub ciphers: CipherList,
    /// Order of the cipher list.
    pub cipher_order: Order,
    /// GREASE (RFC 8701): a GREASE suite first, a GREASE extension first, a GREASE key share
    /// first and a GREASE version first in supported_versions.
    pub grease: bool,
    /// The rare ALPN list (without `h2` and `http/1.1`) instead of the normal one.
    pub rare_alpn: bool,
    /// What supported_versions offers.
    pub supported_versions: VersionsExtension,
    /// Order of the ALPN list and of supported_versions ([`Order::Forward`] or
    /// [`Order::Reverse`]).
    pub extension_order: Order,
}

/// The ten probes, in the order they are sent and hashed.
pub const PROBES: [ProbeSpec; PROBE_COUNT] = {
    use CipherList::{All, No13};
    use Order::{BottomHalf, Forward, MiddleOut, Reverse, TopHalf};
    use ProbeVersion::{Tls11, Tls12, Tls13};
    use VersionsExtension::{Absent, UpTo12, UpTo13};
    [
        ProbeSpec {
            name: "tls1_2_forward",
            version: Tls12,
            ciphers: All,
            cipher_order: Forward,
            grease: false,
            rare_alpn: false,
            supported_versions: UpTo12,
            extension_order: Reverse,
        },
        ProbeSpec {
            name: "tls1_2_reverse",
            version: Tls12,
            ciphers: All,
            cipher_order: Reverse,
            grease: false,
            rare_alpn: false,
            supported_versions: UpTo12,
            extension_order: Forward,
        },
        ProbeSpec {
            name: "tls1_2_top_half",
            version: Tls12,
            ciphers: All,
            cipher_order: TopHalf,
            grease: false,
            rare_alpn: false,
            supported_versions: Absent,
            extension_order: Forward,
        },
        ProbeSpec {
            name: "tls1_2_bottom_half",
            version: Tls12,
            ciphers: All,
            cipher_order: BottomHalf,
            grease: false,
            rare_alpn: true,
            supported_versions: Absent,
            extension_order: Forward,
        },
        ProbeSpec {
            name: "tls1_2_middle_out",
            version: Tls12,
            ciphers: All,
            cipher_order: MiddleOut,
            grease: true,
            rare_alpn: true,
            supported_versions: Absent,
            extension_order: Reverse,
        },
        // Named "middle_out" in the reference, but its ciphers are in forward order.
        ProbeSpec {
            name: "tls1_1_middle_out",
            version: Tls11,
            ciphers: All,
            cipher_order: Forward,
            grease: false,
            rare_alpn: false,
            supported_versions: Absent,
            extension_order: Forward,
        },
        ProbeSpec {
            name: "tls1_3_forward",
            version: Tls13,
            ciphers: All,
            cipher_order: Forward,
            grease: false,
            rare_alpn: false,
            supported_versions: UpTo13,
            extension_order: Reverse,
        },
        ProbeSpec {
            name: "tls1_3_reverse",
            version: Tls13,
            ciphers: All,
            cipher_order: Reverse,
            grease: false,
            rare_alpn: false,
            supported_versions: UpTo13,
            extension_order: Forward,
        },
        // TLS 1.3 offered without a TLS 1.3 suite.
        ProbeSpec {
            name: "tls1_3_invalid",
            version: Tls13,
            ciphers: No13,
            cipher_order: Forward,
            grease: false,
            rare_alpn: false,
            supported_versions: UpTo13,
            extension_order: Forward,
        },
        ProbeSpec {
            name: "tls1_3_middle_out",
            version: Tls13,
            ciphers: All,
            cipher_order: MiddleOut,
            grease: true,
            rare_alpn: false,
            supported_versions: UpTo13,
            extension_order: Reverse,
        },
    ]
};

/// A random GREASE value (RFC 8701 section 2: 0x0A0A, 0x1A1A, ... 0xFAFA).
fn grease(rng: &mut Rng) -> u16 {
    let k = (rng.next_u64() % 16) as u16;
    0x0a0a | (k << 12) | (k << 4)
}

impl ProbeSpec {
    /// The cipher suites this probe offers, in order, without GREASE.
    pub fn cipher_suites(&self) -> Vec<CipherSuite> {
        let list: Vec<u16> = match self.ciphers {
            CipherList::All => CIPHERS_ALL.to_vec(),
            CipherList::No13 => CIPHERS_ALL
                .iter()
                .copied()
                .filter(|s| !(0x1301..=0x1305).contains(s))
                .collect(),
        };
        reorder(&list, self.cipher_order)
            .into_iter()
            .map(CipherSuite)
            .collect()
    }

    /// The ALPN protocol names this probe offers, in order.
    pub fn alpn(&self) -> Vec<Vec<u8>> {
        let units = if self.rare_alpn {
            ALPN_RARE
        } else {
            ALPN_NORMAL
        };
        reorder(units, self.extension_order)
            .into_iter()
            .flat_map(|u| u.iter().map(|p| p.to_vec()))
            .collect()
    }

    /// The versions supported_versions offers, in order, without GREASE (empty when the
    /// extension is absent).
    pub fn supported_versions(&self) -> Vec<ProtocolVersion> {
        let v = match self.supported_versions {
            VersionsExtension::Absent => return Vec::new(),
            VersionsExtension::UpTo12 => vec![
                ProtocolVersion::TLS1_0,
                ProtocolVersion::TLS1_1,
                ProtocolVersion::TLS1_2,
            ],
            VersionsExtension::UpTo13 => vec![
                ProtocolVersion::TLS1_0,
                ProtocolVersion::TLS1_1,
                ProtocolVersion::TLS1_2,
                ProtocolVersion::TLS1_3,
            ],
        };
        reorder(&v, self.extension_order)
    }

    /// This probe's ClientHello. Extensions, in order: GREASE (empty; if `grease`),
    /// server_name (if `server_name`), extended_master_secret, max_fragment_length (2^9),
    /// renegotiation_info, supported_groups (x25519, P-256, P-384, P-521), ec_point_formats
    /// (uncompressed), session_ticket (empty), ALPN, signature_algorithms, key_share (a
    /// GREASE share of one zero byte if `grease`, then a random x25519 share),
    /// psk_key_exchange_modes (psk_dhe_ke), supported_versions (unless absent).
    pub fn client_hello(&self, server_name: Option<&str>, rng: &mut Rng) -> ClientHello {
        let (record_version, client_version) = match self.version {
            ProbeVersion::Tls11 => (ProtocolVersion::TLS1_1, ProtocolVersion::TLS1_1),
            ProbeVersion::Tls12 => (ProtocolVersion::TLS1_2, ProtocolVersion::TLS1_2),
            ProbeVersion::Tls13 => (ProtocolVersion::TLS1_0, ProtocolVersion::TLS1_2),
        };
        let mut suites = self.cipher_suites();
        if self.grease {
            suites.insert(0, CipherSuite(grease(rng)));
        }
        let mut h = ClientHello::new(client_version, suites, rng);
        h.record_version = record_version;
        h.session_id = rng.bytes(32);
        h.compression_methods = vec![0];

        let ext = &mut h.extensions;
        if self.grease {
            ext.push(ClientExtension::Raw {
                typ: ExtensionType(grease(rng)),
                data: Vec::new(),
            });
        }
        if let Some(name) = server_name {
            ext.push(ClientExtension::ServerName(name.to_owned()));
        }
        ext.push(ClientExtension::ExtendedMasterSecret);
        ext.push(ClientExtension::Raw {
            typ: ExtensionType::MAX_FRAGMENT_LENGTH,
            data: vec![1], // 2^9 (RFC 6066 section 4)
        });
        ext.push(ClientExtension::RenegotiationInfo(Vec::new()));
        ext.push(ClientExtension::SupportedGroups(GROUPS.to_vec()));
        ext.push(ClientExtension::EcPointFormats(vec![0]));
        ext.push(ClientExtension::SessionTicket(Vec::new()));
        ext.push(ClientExtension::Alpn(self.alpn()));
        ext.push(ClientExtension::SignatureAlgorithms(
            SIGNATURE_SCHEMES.to_vec(),
        ));
        let mut shares = Vec::new();
        if self.grease {
            shares.push(KeyShareEntry {
                group: NamedGroup(grease(rng)),
                key_exchange: vec![0],
            });
        }
        shares.push(KeyShareEntry {
            group: NamedGroup::X25519,
            key_exchange: rng.bytes(32),
        });
        ext.push(ClientExtension::KeyShare(shares));
        ext.push(ClientExtension::PskKeyExchangeModes(vec![1]));
        if self.supported_versions != VersionsExtension::Absent {
            let mut versions = self.supported_versions();
            if self.grease {
                versions.insert(0, ProtocolVersion(grease(rng)));
            }
            ext.push(ClientExtension::SupportedVersions(versions));
        }
        h
    }
}

/// The ten JARM ClientHellos for `server_name` (None for an IP target), in order.
///
/// Each is a complete handshake record, ready to write. With `None` the hellos carry no
/// server_name extension (see the module docs for what [`jarm`] sends instead). A hello that
/// cannot be encoded (only a server name longer than 65 000 bytes could cause that) is empty.
pub fn hellos(server_name: Option<&str>, rng: &mut Rng) -> Vec<Vec<u8>> {
    PROBES
        .iter()
        .map(|p| {
            p.client_hello(server_name, rng)
                .encode()
                .unwrap_or_default()
        })
        .collect()
}

/// Why a [`decide`] has no result yet.
enum Decision {
    /// The first message is not complete.
    NeedMore,
    /// The raw result.
    Done(String),
}

/// The raw result once the answer's first message is complete.
fn decide(answer: &[u8]) -> Decision {
    let mut deframer = Deframer::new(Limits::default());
    if deframer.push(answer).is_err() {
        return Decision::Done(NO_ANSWER.to_owned());
    }
    match deframer.next_message() {
        Ok(None) => Decision::NeedMore,
        Ok(Some(Message::Handshake { typ, body })) if typ == HandshakeType::SERVER_HELLO => {
            Decision::Done(server_hello_result(&body).unwrap_or_else(|| NO_ANSWER.to_owned()))
        }
        Ok(Some(_)) | Err(_) => Decision::Done(NO_ANSWER.to_owned()),
    }
}

/// `cipher|version|alpn|extensions` from a ServerHello body; `None` when it is malformed or
/// its ALPN extension is empty or not UTF-8.
fn server_hello_result(body: &[u8]) -> Option<String> {
    let mut r = Reader::new(body);
    let version = r.u16("legacy_version").ok()?;
    r.take(32, "random").ok()?;
    r.vec_u8("session_id").ok()?;
    let cipher = r.u16("cipher_suite").ok()?;
    r.u8("compression_method").ok()?;
    let mut alpn: Option<String> = None;
    let mut types = Vec::new();
    if !r.is_empty() {
        let mut exts = r.sub_u16("extensions").ok()?;
        while !exts.is_empty() {
            let typ = exts.u16("extension type").ok()?;
            let data = exts.vec_u16("extension data").ok()?;
            if typ == ExtensionType::ALPN.0 && alpn.is_none() {
                if data.is_empty() {
                    return None;
                }
                // Skip the list length (2) and the name length (1): the first name.
                let name = data.get(3..).unwrap_or_default();
                alpn = Some(String::from_utf8(name.to_vec()).ok()?);
            }
            types.push(format!("{typ:04x}"));
        }
    }
    Some(format!(
        "{cipher:04x}|{version:04x}|{}|{}",
        alpn.unwrap_or_default(),
        types.join("-")
    ))
}

/// The raw per-probe result ("cipher|version|alpn|extensions" or "|||" for no answer) from a
/// server's answer bytes.
///
/// `answer` is what the server sent, from its first byte. Only the first message counts: a
/// ServerHello (or HelloRetryRequest) gives its result; an alert, any other message, bytes
/// that are not TLS, or an incomplete message give `|||`.
pub fn probe_result(answer: &[u8]) -> String {
    match decide(answer) {
        Decision::Done(s) => s,
        Decision::NeedMore => NO_ANSWER.to_owned(),
    }
}

/// Two hex digits for a cipher field (see the module docs).
fn cipher_code(cipher: &str) -> String {
    if cipher.is_empty() {
        return "00".to_owned();
    }
    let pos = FUZZY_CIPHER_ORDER
        .iter()
        .position(|s| format!("{s:04x}") == cipher)
        .unwrap_or(FUZZY_CIPHER_ORDER.len());
    format!("{:02x}", pos + 1)
}

/// One letter for a version field: its fourth hex digit 0..=5 as `a`..=`f`.
fn version_code(version: &str) -> char {
    if version.is_empty() {
        return '0';
    }
    version
        .chars()
        .nth(3)
        .and_then(|c| c.to_digit(10))
        .and_then(|d| "abcdef".chars().nth(d as usize))
        .unwrap_or('0')
}

/// The 62-character JARM fingerprint from the ten raw results.
///
/// Ten (or any number of) `|||` give 62 zeros. Otherwise each result adds its cipher code
/// (two hex digits) and version letter, and the SHA-256 of every `alpn` and `extensions`
/// field concatenated, truncated to 32 hex digits, ends the fingerprint. Results are split on
/// `|` as the reference does; missing fields count as empty.
pub fn fingerprint(results: &[String]) -> String {
    if results.iter().all(|r| r == NO_ANSWER) {
        return "0".repeat(62);
    }
    let mut fuzzy = String::with_capacity(62);
    let mut hashed = String::new();
    for r in results {
        let mut parts = r.split('|');
        let cipher = parts.next().unwrap_or_default();
        let version = parts.next().unwrap_or_default();
        fuzzy.push_str(&cipher_code(cipher));
        fuzzy.push(version_code(version));
        hashed.push_str(parts.next().unwrap_or_default());
        hashed.push_str(parts.next().unwrap_or_default());
    }
    let digest = ring::digest::digest(&ring::digest::SHA256, hashed.as_bytes());
    fuzzy.push_str(&crate::codec::hex(
        digest.as_ref().get(..16).unwrap_or_default(),
    ));
    fuzzy
}

/// A JARM scan's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jarm {
    /// The 62-character JARM fingerprint (all zeros when no probe got a ServerHello, or when
    /// a probe timed out).
    pub fingerprint: String,
    /// The ten raw results, in probe order ([`PROBES`]): `cipher|version|alpn|extensions`, or
    /// `|||` for a probe without a ServerHello.
    pub raw: Vec<String>,
    /// TCP connections attempted through the dial seam (at most ten).
    pub connections: u32,
}

/// How one probe's exchange ended.
enum Exchange {
    /// The bytes the server sent (possibly none: closed or reset).
    Answer(Vec<u8>),
    /// No connection (refused, out of scope, ...).
    Failed,
    /// The connect, or the wait for the first byte, timed out.
    TimedOut,
}

/// Sends one hello on a new connection and reads until the first message is complete, the
/// connection ends, [`MAX_ANSWER_BYTES`] arrive or `read_timeout` passes.
async fn exchange(
    scope: &Scope,
    addr: SocketAddr,
    hello: &[u8],
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Exchange {
    let mut conn: Conn = match scope.connect(addr, connect_timeout).await {
        Ok(c) => c,
        Err(DialError::Timeout { .. }) => return Exchange::TimedOut,
        Err(_) => return Exchange::Failed,
    };
    let deadline = Instant::now() + read_timeout;
    match tokio::time::timeout_at(deadline, conn.write_all(hello)).await {
        Err(_) => return Exchange::TimedOut,
        Ok(Err(_)) => return Exchange::Answer(Vec::new()),
        Ok(Ok(())) => {}
    }
    let mut answer = Vec::new();
    let mut chunk = vec![0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, conn.read(&mut chunk)).await {
            Err(_) if answer.is_empty() => return Exchange::TimedOut,
            Err(_) | Ok(Err(_)) | Ok(Ok(0)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(chunk.get(..n).unwrap_or_default()),
        }
        if answer.len() >= MAX_ANSWER_BYTES || matches!(decide(&answer), Decision::Done(_)) {
            break;
        }
    }
    // Close politely (FIN), as the reference does; never wait long for it.
    let _ = tokio::time::timeout(Duration::from_millis(200), conn.shutdown()).await;
    answer.truncate(MAX_ANSWER_BYTES);
    Exchange::Answer(answer)
}

/// Send the ten hellos through the dial seam (sequentially, each its own connection, bounded
/// reads with `read_timeout`), returning (fingerprint, raw results, connections used).
///
/// `server_name` goes in SNI; for an IP target (`None`) the IP literal of `addr` is sent, as
/// the reference does (see the module docs). `read_timeout` bounds each probe from the
/// moment its connection is made to the end of the server's first message. A probe whose
/// connect or first read times out ends the scan with every result `|||`, as in the reference.
pub async fn jarm(
    scope: &Scope,
    addr: SocketAddr,
    server_name: Option<&str>,
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Jarm {
    let ip_literal = addr.ip().to_string();
    let sni = server_name.unwrap_or(&ip_literal);
    let mut rng = Rng::from_entropy();
    let mut raw = Vec::with_capacity(PROBE_COUNT);
    let mut connections = 0u32;
    for hello in hellos(Some(sni), &mut rng) {
        connections = connections.saturating_add(1);
        match exchange(scope, addr, &hello, connect_timeout, read_timeout).await {
            Exchange::Answer(bytes) => raw.push(probe_result(&bytes)),
            Exchange::Failed => raw.push(NO_ANSWER.to_owned()),
            Exchange::TimedOut => {
                raw = vec![NO_ANSWER.to_owned(); PROBE_COUNT];
                break;
            }
        }
    }
    Jarm {
        fingerprint: fingerprint(&raw),
        raw,
        connections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reorder_modes() {
        let odd = [1, 2, 3, 4, 5];
        assert_eq!(reorder(&odd, Order::Reverse), [5, 4, 3, 2, 1]);
        assert_eq!(reorder(&odd, Order::BottomHalf), [4, 5]);
        assert_eq!(reorder(&odd, Order::TopHalf), [3, 2, 1]);
        assert_eq!(reorder(&odd, Order::MiddleOut), [3, 4, 2, 5, 1]);
        let even = [1, 2, 3, 4, 5, 6];
        assert_eq!(reorder(&even, Order::BottomHalf), [4, 5, 6]);
        assert_eq!(reorder(&even, Order::TopHalf), [3, 2, 1]);
        assert_eq!(reorder(&even, Order::MiddleOut), [4, 3, 5, 2, 6, 1]);
        let empty: [u8; 0] = [];
        for o in [
            Order::Forward,
            Order::Reverse,
            Order::TopHalf,
            Order::BottomHalf,
            Order::MiddleOut,
        ] {
            assert!(reorder(&empty, o).is_empty());
        }
    }

    #[test]
    fn tables_are_consistent() {
        let mut a = CIPHERS_ALL.to_vec();
        let mut b = FUZZY_CIPHER_ORDER.to_vec();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
        a.dedup();
        assert_eq!(a.len(), 69);
        assert_eq!(cipher_code(""), "00");
        assert_eq!(cipher_code("0004"), "01");
        assert_eq!(cipher_code("c02f"), "29");
        assert_eq!(cipher_code("1305"), "45");
        assert_eq!(cipher_code("abcd"), "46");
        assert_eq!(version_code("0303"), 'd');
        assert_eq!(version_code("0300"), 'a');
        assert_eq!(version_code("0304"), 'e');
        assert_eq!(version_code("0309"), '0');
        assert_eq!(version_code("03"), '0');
        for _ in 0..64 {
            assert!(crate::codec::is_grease_u16(
                grease(&mut Rng::from_entropy())
            ));
        }
    }

    fn server_hello(version: u16, cipher: u16, exts: Option<&[u8]>) -> Vec<u8> {
        let mut body = version.to_be_bytes().to_vec();
        body.extend_from_slice(&[7; 32]);
        body.push(0);
        body.extend_from_slice(&cipher.to_be_bytes());
        body.push(0);
        if let Some(e) = exts {
            body.extend_from_slice(&(e.len() as u16).to_be_bytes());
            body.extend_from_slice(e);
        }
        let mut hs = vec![2, 0, 0, body.len() as u8];
        hs.extend_from_slice(&body);
        let mut rec = vec![22, 3, 3, 0, hs.len() as u8];
        rec.extend_from_slice(&hs);
        rec
    }

    #[test]
    fn results_from_answers() {
        let exts = [
            0xff, 1, 0, 1, 0, // renegotiation_info
            0, 16, 0, 5, 0, 3, 2, b'h', b'2', // alpn h2
            0, 23, 0, 0, // ems
        ];
        let sh = server_hello(0x0303, 0xc02f, Some(&exts));
        assert_eq!(probe_result(&sh), "c02f|0303|h2|ff01-0010-0017");
        assert_eq!(
            probe_result(&server_hello(0x0302, 0x0035, None)),
            "0035|0302||"
        );
        // Incomplete, alert, garbage, empty.
        assert_eq!(probe_result(&sh[..sh.len() - 1]), NO_ANSWER);
        assert_eq!(probe_result(&[21, 3, 3, 0, 2, 2, 40]), NO_ANSWER);
        assert_eq!(probe_result(b"HTTP/1.1 400"), NO_ANSWER);
        assert_eq!(probe_result(&[]), NO_ANSWER);
        // Empty ALPN extension, bad extension length.
        let bad = server_hello(0x0303, 0xc02f, Some(&[0, 16, 0, 0]));
        assert_eq!(probe_result(&bad), NO_ANSWER);
        let bad = server_hello(0x0303, 0xc02f, Some(&[0, 16, 0, 9, 0]));
        assert_eq!(probe_result(&bad), NO_ANSWER);
        // Never panics on any prefix.
        for n in 0..sh.len() {
            let _ = probe_result(&sh[..n]);
        }
    }
}

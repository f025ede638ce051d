//! ClientHello builders: TLS-format hellos for SSL 3.0 to TLS 1.3, and the SSL 2.0
//! CLIENT-HELLO.
//!
//! We never finish a handshake, so nothing here does cryptography: key shares are random
//! bytes of the right length, and the random comes from a small non-cryptographic generator
//! ([`Rng`]).

use std::hash::{BuildHasher, Hasher};

use serde::Serialize;

use crate::codec::{
    CipherSuite, ContentType, EncodeError, ExtensionType, HandshakeType, LenPrefix, NamedGroup,
    ProtocolVersion, SignatureScheme, Ssl2CipherKind, put_prefixed, put_vec,
};
use crate::suites::{GroupKind, group_info};

/// Largest plaintext fragment of one TLS record (RFC 8446 section 5.1: 2^14 bytes).
pub const MAX_FRAGMENT_LEN: usize = 16_384;

/// A small non-cryptographic generator (SplitMix64), seeded from std's `RandomState`.
/// Good enough for ClientHello randoms and throwaway key shares; never for secrets.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator seeded from std's per-process random `RandomState` keys.
    pub fn from_entropy() -> Self {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(0x006b_656e_7361);
        Self { state: h.finish() }
    }

    /// A deterministic generator (tests, reproducible fixtures).
    pub fn from_seed(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Fills `buf` with random bytes.
    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let r = self.next_u64().to_le_bytes();
            let n = chunk.len();
            chunk.copy_from_slice(r.get(..n).unwrap_or_default());
        }
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = vec![0; n];
        self.fill(&mut v);
        v
    }
}

/// One entry of a client key_share extension (RFC 8446 section 4.2.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyShareEntry {
    /// The group the share is for.
    pub group: NamedGroup,
    /// The public value (opaque on the wire; here random bytes of the right length).
    pub key_exchange: Vec<u8>,
}

impl KeyShareEntry {
    /// A share of random bytes with the length the group requires
    /// ([`crate::suites::GroupInfo::client_share_len`]); the point-format byte 0x04 is set
    /// for uncompressed Weierstrass points. `None` for a group with no known TLS 1.3 share
    /// length.
    pub fn random(group: NamedGroup, rng: &mut Rng) -> Option<Self> {
        let info = group_info(group)?;
        let mut key_exchange = rng.bytes(info.client_share_len?);
        let uncompressed_first = matches!(
            group,
            NamedGroup::SECP256R1
                | NamedGroup::SECP384R1
                | NamedGroup::SECP521R1
                | NamedGroup::BRAINPOOLP256R1_TLS13
                | NamedGroup::BRAINPOOLP384R1_TLS13
                | NamedGroup::BRAINPOOLP512R1_TLS13
                | NamedGroup::CURVE_SM2
                | NamedGroup::SECP256R1_MLKEM768
                | NamedGroup::SECP384R1_MLKEM1024
                | NamedGroup::SECP256R1_KYBER768_DRAFT00
        );
        if uncompressed_first
            && info.kind != GroupKind::Grease
            && let Some(b) = key_exchange.first_mut()
        {
            *b = 0x04;
        }
        Some(Self {
            group,
            key_exchange,
        })
    }
}

/// A ClientHello extension. Each variant's doc gives the encoding and its RFC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientExtension {
    /// server_name (RFC 6066 section 3): one host_name entry.
    ServerName(String),
    /// supported_groups (RFC 8422 section 5.1.1, RFC 7919).
    SupportedGroups(Vec<NamedGroup>),
    /// ec_point_formats (RFC 8422 section 5.1.2): 0 = uncompressed.
    EcPointFormats(Vec<u8>),
    /// signature_algorithms (RFC 5246 section 7.4.1.4.1, RFC 8446 section 4.2.3).
    SignatureAlgorithms(Vec<SignatureScheme>),
    /// signature_algorithms_cert (RFC 8446 section 4.2.3).
    SignatureAlgorithmsCert(Vec<SignatureScheme>),
    /// supported_versions, client form (RFC 8446 section 4.2.1).
    SupportedVersions(Vec<ProtocolVersion>),
    /// key_share, client form (RFC 8446 section 4.2.8). An empty list is sent as an empty
    /// `client_shares` vector, which asks a TLS 1.3 server for a HelloRetryRequest.
    KeyShare(Vec<KeyShareEntry>),
    /// application_layer_protocol_negotiation (RFC 7301), protocol names as bytes.
    Alpn(Vec<Vec<u8>>),
    /// status_request (RFC 6066 section 8): OCSP, no responder ids, no extensions.
    StatusRequest,
    /// signed_certificate_timestamp (RFC 6962 section 3.3.1), empty.
    SignedCertificateTimestamp,
    /// extended_master_secret (RFC 7627), empty.
    ExtendedMasterSecret,
    /// encrypt_then_mac (RFC 7366), empty.
    EncryptThenMac,
    /// renegotiation_info (RFC 5746): `renegotiated_connection` (empty on a first handshake).
    RenegotiationInfo(Vec<u8>),
    /// session_ticket (RFC 5077): the ticket (empty to ask for one).
    SessionTicket(Vec<u8>),
    /// heartbeat (RFC 6520): mode 1 = peer_allowed_to_send, 2 = peer_not_allowed_to_send.
    Heartbeat(u8),
    /// padding (RFC 7685): this many zero bytes.
    Padding(usize),
    /// psk_key_exchange_modes (RFC 8446 section 4.2.9): 0 = psk_ke, 1 = psk_dhe_ke.
    PskKeyExchangeModes(Vec<u8>),
    /// early_data (RFC 8446 section 4.2.10), empty.
    EarlyData,
    /// Any other extension, body given verbatim.
    Raw {
        /// Extension type.
        typ: ExtensionType,
        /// Extension body (without type and length).
        data: Vec<u8>,
    },
}

impl ClientExtension {
    /// The extension's type code.
    pub fn extension_type(&self) -> ExtensionType {
        match self {
            Self::ServerName(_) => ExtensionType::SERVER_NAME,
            Self::SupportedGroups(_) => ExtensionType::SUPPORTED_GROUPS,
            Self::EcPointFormats(_) => ExtensionType::EC_POINT_FORMATS,
            Self::SignatureAlgorithms(_) => ExtensionType::SIGNATURE_ALGORITHMS,
            Self::SignatureAlgorithmsCert(_) => ExtensionType::SIGNATURE_ALGORITHMS_CERT,
            Self::SupportedVersions(_) => ExtensionType::SUPPORTED_VERSIONS,
            Self::KeyShare(_) => ExtensionType::KEY_SHARE,
            Self::Alpn(_) => ExtensionType::ALPN,
            Self::StatusRequest => ExtensionType::STATUS_REQUEST,
            Self::SignedCertificateTimestamp => ExtensionType::SIGNED_CERTIFICATE_TIMESTAMP,
            Self::ExtendedMasterSecret => ExtensionType::EXTENDED_MASTER_SECRET,
            Self::EncryptThenMac => ExtensionType::ENCRYPT_THEN_MAC,
            Self::RenegotiationInfo(_) => ExtensionType::RENEGOTIATION_INFO,
            Self::SessionTicket(_) => ExtensionType::SESSION_TICKET,
            Self::Heartbeat(_) => ExtensionType::HEARTBEAT,
            Self::Padding(_) => ExtensionType::PADDING,
            Self::PskKeyExchangeModes(_) => ExtensionType::PSK_KEY_EXCHANGE_MODES,
            Self::EarlyData => ExtensionType::EARLY_DATA,
            Self::Raw { typ, .. } => *typ,
        }
    }

    /// Appends type, length and body.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.extend_from_slice(&self.extension_type().0.to_be_bytes());
        put_prefixed(out, LenPrefix::U16, "extension", |o| self.encode_body(o))
    }

    fn encode_body(&self, o: &mut Vec<u8>) -> Result<(), EncodeError> {
        use LenPrefix::{U8, U16};
        let u16s = |o: &mut Vec<u8>, p, what, vals: &mut dyn Iterator<Item = u16>| {
            put_prefixed(o, p, what, |o| {
                vals.for_each(|v| o.extend_from_slice(&v.to_be_bytes()));
                Ok(())
            })
        };
        match self {
            Self::ServerName(name) => put_prefixed(o, U16, "server_name_list", |o| {
                o.push(0); // host_name
                put_vec(o, U16, "host_name", name.as_bytes())
            }),
            Self::SupportedGroups(g) => {
                u16s(o, U16, "named_group_list", &mut g.iter().map(|g| g.0))
            }
            Self::EcPointFormats(f) => put_vec(o, U8, "ec_point_format_list", f),
            Self::SignatureAlgorithms(s) | Self::SignatureAlgorithmsCert(s) => u16s(
                o,
                U16,
                "supported_signature_algorithms",
                &mut s.iter().map(|s| s.0),
            ),
            Self::SupportedVersions(v) => u16s(o, U8, "versions", &mut v.iter().map(|v| v.0)),
            Self::KeyShare(shares) => put_prefixed(o, U16, "client_shares", |o| {
                shares.iter().try_for_each(|s| {
                    o.extend_from_slice(&s.group.0.to_be_bytes());
                    put_vec(o, U16, "key_exchange", &s.key_exchange)
                })
            }),
            Self::Alpn(protos) => put_prefixed(o, U16, "protocol_name_list", |o| {
                protos
                    .iter()
                    .try_for_each(|p| put_vec(o, U8, "protocol_name", p))
            }),
            Self::StatusRequest => {
                o.extend_from_slice(&[1, 0, 0, 0, 0]); // ocsp, responder_id_list<>, request_extensions<>
                Ok(())
            }
            Self::SignedCertificateTimestamp
            | Self::ExtendedMasterSecret
            | Self::EncryptThenMac
            | Self::EarlyData => Ok(()),
            Self::RenegotiationInfo(v) => put_vec(o, U8, "renegotiated_connection", v),
            Self::SessionTicket(t) => {
                o.extend_from_slice(t);
                Ok(())
            }
            Self::Heartbeat(mode) => {
                o.push(*mode);
                Ok(())
            }
            Self::Padding(n) => {
                o.extend(std::iter::repeat_n(0, *n));
                Ok(())
            }
            Self::PskKeyExchangeModes(m) => put_vec(o, U8, "ke_modes", m),
            Self::Raw { data, .. } => {
                o.extend_from_slice(data);
                Ok(())
            }
        }
    }
}

/// A TLS-format ClientHello (RFC 5246 section 7.4.1.2; RFC 8446 section 4.1.2) and the
/// record-layer version to frame it with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientHello {
    /// Version in the record header (commonly TLS 1.0 for every TLS hello, SSL 3.0 for SSL 3.0).
    pub record_version: ProtocolVersion,
    /// `client_version` / `legacy_version`: the highest version offered (TLS 1.2 for TLS 1.3
    /// hellos, which offer 1.3 through supported_versions).
    pub client_version: ProtocolVersion,
    /// The 32-byte client random.
    pub random: [u8; 32],
    /// `legacy_session_id` (0 to 32 bytes).
    pub session_id: Vec<u8>,
    /// Offered cipher suites, in preference order.
    pub cipher_suites: Vec<CipherSuite>,
    /// Compression methods (normally just 0 = null).
    pub compression_methods: Vec<u8>,
    /// Extensions, in order. When empty, the extensions block is omitted entirely (as SSL 3.0
    /// clients did).
    pub extensions: Vec<ClientExtension>,
}

/// Signature schemes offered by [`ClientHello::legacy`] for TLS 1.2 (broad, old ones included).
pub const TLS12_SIGNATURE_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ECDSA_SECP256R1_SHA256,
    SignatureScheme::ECDSA_SECP384R1_SHA384,
    SignatureScheme::ECDSA_SECP521R1_SHA512,
    SignatureScheme::ED25519,
    SignatureScheme::ED448,
    SignatureScheme::RSA_PSS_RSAE_SHA256,
    SignatureScheme::RSA_PSS_RSAE_SHA384,
    SignatureScheme::RSA_PSS_RSAE_SHA512,
    SignatureScheme::RSA_PSS_PSS_SHA256,
    SignatureScheme::RSA_PSS_PSS_SHA384,
    SignatureScheme::RSA_PSS_PSS_SHA512,
    SignatureScheme::RSA_PKCS1_SHA256,
    SignatureScheme::RSA_PKCS1_SHA384,
    SignatureScheme::RSA_PKCS1_SHA512,
    SignatureScheme::RSA_SHA224,
    SignatureScheme::ECDSA_SHA224,
    SignatureScheme::DSA_SHA256,
    SignatureScheme::DSA_SHA224,
    SignatureScheme::RSA_PKCS1_SHA1,
    SignatureScheme::ECDSA_SHA1,
    SignatureScheme::DSA_SHA1,
    SignatureScheme::RSA_MD5,
];

/// Signature schemes offered by [`ClientHello::tls13`].
pub const TLS13_SIGNATURE_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ECDSA_SECP256R1_SHA256,
    SignatureScheme::ECDSA_SECP384R1_SHA384,
    SignatureScheme::ECDSA_SECP521R1_SHA512,
    SignatureScheme::ED25519,
    SignatureScheme::ED448,
    SignatureScheme::RSA_PSS_RSAE_SHA256,
    SignatureScheme::RSA_PSS_RSAE_SHA384,
    SignatureScheme::RSA_PSS_RSAE_SHA512,
    SignatureScheme::RSA_PSS_PSS_SHA256,
    SignatureScheme::RSA_PSS_PSS_SHA384,
    SignatureScheme::RSA_PSS_PSS_SHA512,
    SignatureScheme::RSA_PKCS1_SHA256,
    SignatureScheme::RSA_PKCS1_SHA384,
    SignatureScheme::RSA_PKCS1_SHA512,
];

/// Groups offered by [`ClientHello::legacy`] for (EC)DHE in TLS 1.0-1.2.
pub const LEGACY_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519,
    NamedGroup::SECP256R1,
    NamedGroup::SECP384R1,
    NamedGroup::SECP521R1,
    NamedGroup::X448,
    NamedGroup::BRAINPOOLP256R1,
    NamedGroup::BRAINPOOLP384R1,
    NamedGroup::BRAINPOOLP512R1,
    NamedGroup::SECP256K1,
    NamedGroup::SECP224R1,
    NamedGroup::SECP192R1,
    NamedGroup::SECT571R1,
    NamedGroup::SECT409R1,
    NamedGroup::SECT283R1,
    NamedGroup::SECT233R1,
    NamedGroup::SECT163R2,
];

impl ClientHello {
    /// A bare hello: `client_version` as given, record version SSL 3.0 for SSL 3.0 and TLS 1.0
    /// otherwise, a fresh random, no session id, null compression, no extensions.
    pub fn new(
        client_version: ProtocolVersion,
        cipher_suites: Vec<CipherSuite>,
        rng: &mut Rng,
    ) -> Self {
        let mut random = [0u8; 32];
        rng.fill(&mut random);
        Self {
            record_version: if client_version <= ProtocolVersion::SSL3 {
                ProtocolVersion::SSL3
            } else {
                ProtocolVersion::TLS1_0
            },
            client_version,
            random,
            session_id: Vec::new(),
            cipher_suites,
            compression_methods: vec![0],
            extensions: Vec::new(),
        }
    }

    /// A hello for SSL 3.0 .. TLS 1.2 the way a broadly compatible client sends it. SSL 3.0
    /// gets no extensions. TLS 1.0+ gets: server_name (if `sni`), supported_groups
    /// ([`LEGACY_GROUPS`]), ec_point_formats (uncompressed), signature_algorithms (TLS 1.2 only,
    /// [`TLS12_SIGNATURE_SCHEMES`]), renegotiation_info (empty).
    pub fn legacy(
        version: ProtocolVersion,
        cipher_suites: Vec<CipherSuite>,
        sni: Option<&str>,
        rng: &mut Rng,
    ) -> Self {
        let mut h = Self::new(version, cipher_suites, rng);
        if version <= ProtocolVersion::SSL3 {
            return h;
        }
        if let Some(name) = sni {
            h.extensions
                .push(ClientExtension::ServerName(name.to_owned()));
        }
        h.extensions
            .push(ClientExtension::SupportedGroups(LEGACY_GROUPS.to_vec()));
        h.extensions.push(ClientExtension::EcPointFormats(vec![0]));
        if version >= ProtocolVersion::TLS1_2 {
            h.extensions.push(ClientExtension::SignatureAlgorithms(
                TLS12_SIGNATURE_SCHEMES.to_vec(),
            ));
        }
        h.extensions
            .push(ClientExtension::RenegotiationInfo(Vec::new()));
        h
    }

    /// A TLS 1.3-only hello (legacy_version TLS 1.2, a 32-byte session id for middlebox
    /// compatibility): server_name (if `sni`), supported_versions [TLS 1.3], supported_groups
    /// (`groups`), key_share (`shares`, may be empty), signature_algorithms
    /// ([`TLS13_SIGNATURE_SCHEMES`]), psk_key_exchange_modes (psk_dhe_ke).
    pub fn tls13(
        cipher_suites: Vec<CipherSuite>,
        groups: Vec<NamedGroup>,
        shares: Vec<KeyShareEntry>,
        sni: Option<&str>,
        rng: &mut Rng,
    ) -> Self {
        let mut h = Self::new(ProtocolVersion::TLS1_2, cipher_suites, rng);
        h.session_id = rng.bytes(32);
        if let Some(name) = sni {
            h.extensions
                .push(ClientExtension::ServerName(name.to_owned()));
        }
        h.extensions.push(ClientExtension::SupportedVersions(vec![
            ProtocolVersion::TLS1_3,
        ]));
        h.extensions.push(ClientExtension::SupportedGroups(groups));
        h.extensions.push(ClientExtension::KeyShare(shares));
        h.extensions.push(ClientExtension::SignatureAlgorithms(
            TLS13_SIGNATURE_SCHEMES.to_vec(),
        ));
        h.extensions
            .push(ClientExtension::PskKeyExchangeModes(vec![1]));
        h
    }

    /// The handshake message: type, u24 length, body.
    pub fn encode_handshake(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = vec![HandshakeType::CLIENT_HELLO.0];
        put_prefixed(&mut out, LenPrefix::U24, "client_hello", |o| {
            o.extend_from_slice(&self.client_version.0.to_be_bytes());
            o.extend_from_slice(&self.random);
            if self.session_id.len() > 32 {
                return Err(EncodeError {
                    what: "session_id",
                    len: self.session_id.len(),
                    max: 32,
                });
            }
            put_vec(o, LenPrefix::U8, "session_id", &self.session_id)?;
            put_prefixed(o, LenPrefix::U16, "cipher_suites", |o| {
                self.cipher_suites
                    .iter()
                    .for_each(|s| o.extend_from_slice(&s.0.to_be_bytes()));
                Ok(())
            })?;
            put_vec(
                o,
                LenPrefix::U8,
                "compression_methods",
                &self.compression_methods,
            )?;
            if !self.extensions.is_empty() {
                put_prefixed(o, LenPrefix::U16, "extensions", |o| {
                    self.extensions.iter().try_for_each(|e| e.encode(o))
                })?;
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The bytes to send: the handshake message framed in handshake records of at most
    /// [`MAX_FRAGMENT_LEN`] bytes each.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let hs = self.encode_handshake()?;
        let mut out = Vec::with_capacity(hs.len() + 5);
        for frag in hs.chunks(MAX_FRAGMENT_LEN) {
            out.push(ContentType::HANDSHAKE.0);
            out.extend_from_slice(&self.record_version.0.to_be_bytes());
            put_vec(&mut out, LenPrefix::U16, "record", frag)?;
        }
        Ok(out)
    }
}

/// An SSL 2.0 CLIENT-HELLO (draft-hickman-netscape-ssl-00 section "Client Only Protocol
/// Messages"; RFC 6101 Appendix E.2), in a 2-byte-header SSL 2.0 record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ssl2ClientHello {
    /// CLIENT-VERSION (0x0002 for SSL 2.0; 0x0300+ makes it a version-2-compatible hello).
    pub version: ProtocolVersion,
    /// CIPHER-SPECS: 3-byte cipher kinds.
    pub cipher_kinds: Vec<Ssl2CipherKind>,
    /// SESSION-ID (0 or 16 bytes).
    pub session_id: Vec<u8>,
    /// CHALLENGE (16 to 32 bytes).
    pub challenge: Vec<u8>,
}

impl Ssl2ClientHello {
    /// An SSL 2.0 hello with a 16-byte random challenge and no session id.
    pub fn new(cipher_kinds: Vec<Ssl2CipherKind>, rng: &mut Rng) -> Self {
        Self {
            version: ProtocolVersion::SSL2,
            cipher_kinds,
            session_id: Vec::new(),
            challenge: rng.bytes(16),
        }
    }

    /// The record: 2-byte header (high bit set, 15-bit length), MSG-CLIENT-HELLO (1),
    /// version, the three lengths, then cipher specs, session id and challenge.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let specs_len = self.cipher_kinds.len().saturating_mul(3);
        let body_len = 9usize
            .saturating_add(specs_len)
            .saturating_add(self.session_id.len())
            .saturating_add(self.challenge.len());
        for (what, len) in [
            ("cipher_specs", specs_len),
            ("session_id", self.session_id.len()),
            ("challenge", self.challenge.len()),
        ] {
            if len > 0xffff {
                return Err(EncodeError {
                    what,
                    len,
                    max: 0xffff,
                });
            }
        }
        if body_len > 0x7fff {
            return Err(EncodeError {
                what: "sslv2 record",
                len: body_len,
                max: 0x7fff,
            });
        }
        let mut out = Vec::with_capacity(body_len + 2);
        out.extend_from_slice(&((body_len as u16) | 0x8000).to_be_bytes());
        out.push(1); // MSG-CLIENT-HELLO
        out.extend_from_slice(&self.version.0.to_be_bytes());
        out.extend_from_slice(&(specs_len as u16).to_be_bytes());
        out.extend_from_slice(&(self.session_id.len() as u16).to_be_bytes());
        out.extend_from_slice(&(self.challenge.len() as u16).to_be_bytes());
        for k in &self.cipher_kinds {
            out.extend_from_slice(k.0.to_be_bytes().get(1..).unwrap_or_default());
        }
        out.extend_from_slice(&self.session_id);
        out.extend_from_slice(&self.challenge);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_fills() {
        let mut a = Rng::from_seed(1);
        let mut b = Rng::from_seed(1);
        assert_eq!(a.bytes(13), b.bytes(13));
        assert_ne!(Rng::from_entropy().next_u64(), Rng::from_seed(0).next_u64());
    }

    #[test]
    fn minimal_hello_bytes() {
        let mut rng = Rng::from_seed(7);
        let mut h = ClientHello::new(ProtocolVersion::TLS1_2, vec![CipherSuite(0x002f)], &mut rng);
        h.random = [0xab; 32];
        let bytes = h.encode().unwrap();
        let mut want = vec![22, 3, 1, 0, 45, 1, 0, 0, 41, 3, 3];
        want.extend_from_slice(&[0xab; 32]);
        want.extend_from_slice(&[0, 0, 2, 0, 0x2f, 1, 0]);
        assert_eq!(bytes, want);
        // SSL 3.0 record version
        let h = ClientHello::legacy(
            ProtocolVersion::SSL3,
            vec![CipherSuite(0x000a)],
            Some("x"),
            &mut rng,
        );
        assert_eq!(h.encode().unwrap()[..3], [22, 3, 0]);
        assert!(h.extensions.is_empty());
    }

    #[test]
    fn extensions_encode_as_specified() {
        let enc = |e: ClientExtension| {
            let mut v = Vec::new();
            e.encode(&mut v).unwrap();
            v
        };
        assert_eq!(
            enc(ClientExtension::ServerName("ab".into())),
            [0, 0, 0, 7, 0, 5, 0, 0, 2, b'a', b'b']
        );
        assert_eq!(
            enc(ClientExtension::SupportedVersions(vec![
                ProtocolVersion::TLS1_3
            ])),
            [0, 43, 0, 3, 2, 3, 4]
        );
        assert_eq!(enc(ClientExtension::KeyShare(vec![])), [0, 51, 0, 2, 0, 0]);
        assert_eq!(
            enc(ClientExtension::KeyShare(vec![KeyShareEntry {
                group: NamedGroup::X25519,
                key_exchange: vec![9; 2]
            }])),
            [0, 51, 0, 8, 0, 6, 0, 29, 0, 2, 9, 9]
        );
        assert_eq!(
            enc(ClientExtension::Alpn(vec![b"h2".to_vec()])),
            [0, 16, 0, 5, 0, 3, 2, b'h', b'2']
        );
        assert_eq!(
            enc(ClientExtension::StatusRequest),
            [0, 5, 0, 5, 1, 0, 0, 0, 0]
        );
        assert_eq!(enc(ClientExtension::ExtendedMasterSecret), [0, 23, 0, 0]);
        assert_eq!(enc(ClientExtension::EncryptThenMac), [0, 22, 0, 0]);
        assert_eq!(
            enc(ClientExtension::SignedCertificateTimestamp),
            [0, 18, 0, 0]
        );
        assert_eq!(
            enc(ClientExtension::RenegotiationInfo(vec![])),
            [0xff, 1, 0, 1, 0]
        );
        assert_eq!(enc(ClientExtension::SessionTicket(vec![])), [0, 35, 0, 0]);
        assert_eq!(enc(ClientExtension::Heartbeat(1)), [0, 15, 0, 1, 1]);
        assert_eq!(enc(ClientExtension::Padding(3)), [0, 21, 0, 3, 0, 0, 0]);
        assert_eq!(
            enc(ClientExtension::PskKeyExchangeModes(vec![1])),
            [0, 45, 0, 2, 1, 1]
        );
        assert_eq!(enc(ClientExtension::EarlyData), [0, 42, 0, 0]);
        assert_eq!(
            enc(ClientExtension::EcPointFormats(vec![0])),
            [0, 11, 0, 2, 1, 0]
        );
        assert_eq!(
            enc(ClientExtension::SupportedGroups(vec![NamedGroup::X25519])),
            [0, 10, 0, 4, 0, 2, 0, 29]
        );
        assert_eq!(
            enc(ClientExtension::SignatureAlgorithmsCert(vec![
                SignatureScheme::ED25519
            ])),
            [0, 50, 0, 4, 0, 2, 8, 7]
        );
        assert_eq!(
            enc(ClientExtension::Raw {
                typ: ExtensionType(0x1234),
                data: vec![7]
            }),
            [0x12, 0x34, 0, 1, 7]
        );
        let mut v = Vec::new();
        assert!(
            ClientExtension::Alpn(vec![vec![0; 256]])
                .encode(&mut v)
                .is_err()
        );
    }

    #[test]
    fn key_shares_have_registry_lengths() {
        let mut rng = Rng::from_seed(3);
        let ks = |g| {
            KeyShareEntry::random(g, &mut rng.clone())
                .unwrap()
                .key_exchange
        };
        assert_eq!(ks(NamedGroup::X25519).len(), 32);
        assert_eq!(ks(NamedGroup::SECP256R1).len(), 65);
        assert_eq!(ks(NamedGroup::SECP256R1)[0], 4);
        assert_eq!(ks(NamedGroup::X25519_MLKEM768).len(), 1216);
        assert_eq!(ks(NamedGroup::FFDHE2048).len(), 256);
        assert!(KeyShareEntry::random(NamedGroup::SECT163K1, &mut rng).is_none());
    }

    #[test]
    fn big_hello_is_fragmented() {
        let mut rng = Rng::from_seed(3);
        let mut h = ClientHello::tls13(
            vec![CipherSuite(0x1301)],
            vec![NamedGroup::X25519],
            vec![],
            None,
            &mut rng,
        );
        h.extensions.push(ClientExtension::Padding(20_000));
        let bytes = h.encode().unwrap();
        let hs = h.encode_handshake().unwrap();
        assert_eq!(bytes.len(), hs.len() + 10);
        assert_eq!(bytes[3..5], [0x40, 0x00]);
        assert_eq!(bytes[5 + MAX_FRAGMENT_LEN], 22);
        h.session_id = vec![0; 33];
        assert!(h.encode().is_err());
    }

    #[test]
    fn sslv2_client_hello_bytes() {
        let h = Ssl2ClientHello {
            version: ProtocolVersion::SSL2,
            cipher_kinds: vec![
                Ssl2CipherKind::RC4_128_WITH_MD5,
                Ssl2CipherKind::DES_192_EDE3_CBC_WITH_MD5,
            ],
            session_id: vec![],
            challenge: vec![0x11; 16],
        };
        let b = h.encode().unwrap();
        let mut want = vec![0x80, 31, 1, 0, 2, 0, 6, 0, 0, 0, 16, 1, 0, 0x80, 7, 0, 0xc0];
        want.extend_from_slice(&[0x11; 16]);
        assert_eq!(b, want);
    }
}

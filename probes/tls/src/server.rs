//! Parsing what a server sends back: a bounded record deframer, the handshake messages of a
//! server's first flight (ServerHello / HelloRetryRequest, Certificate, CertificateStatus,
//! ServerKeyExchange, CertificateRequest, ServerHelloDone), alerts, and the SSL 2.0
//! SERVER-HELLO.
//!
//! Everything here reads untrusted input: lengths are checked before use, buffers are capped
//! ([`Limits`]), and malformed input gives a typed [`ServerError`], never a panic.

use std::collections::VecDeque;

use serde::{Serialize, Serializer};

use crate::codec::{
    AlertDescription, AlertLevel, CipherSuite, CodecError, ContentType, ExtensionType,
    HandshakeType, NamedGroup, ProtocolVersion, Reader, SignatureScheme, Ssl2CipherKind,
};
use crate::suites::{Authentication, KeyExchange, suite_info};

/// The ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest")
/// (RFC 8446 section 4.1.3).
pub const HELLO_RETRY_REQUEST_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// Last 8 bytes of ServerHello.random from a TLS 1.3-capable server negotiating TLS 1.2
/// ("DOWNGRD" 01, RFC 8446 section 4.1.3).
pub const DOWNGRADE_TLS12: [u8; 8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01];
/// Last 8 bytes of ServerHello.random from a TLS 1.3-capable server negotiating TLS 1.1 or
/// below ("DOWNGRD" 00).
pub const DOWNGRADE_TLS11: [u8; 8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00];

/// Caps on what the parser will buffer. Defaults are documented per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Total bytes accepted from the server for one flight (default 256 KiB).
    pub max_total_bytes: usize,
    /// Largest handshake message body, in bytes (default 128 KiB; certificate chains are the
    /// big ones).
    pub max_message_len: usize,
    /// Largest record fragment, in bytes (default 2^14 + 2048, the TLSCiphertext limit of
    /// RFC 5246 section 6.2.3).
    pub max_record_len: usize,
    /// Most certificates accepted in one Certificate message (default 32).
    pub max_certificates: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_total_bytes: 256 * 1024,
            max_message_len: 128 * 1024,
            max_record_len: 16_384 + 2048,
            max_certificates: 32,
        }
    }
}

/// Why the server's bytes could not be parsed. Every variant is the peer's fault (or not TLS).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// A field was truncated or a structure had trailing bytes.
    #[error("malformed message: {0}")]
    Codec(#[from] CodecError),
    /// The server sent more than [`Limits::max_total_bytes`].
    #[error("server sent more than {limit} bytes")]
    TooMuchData {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A record header announced a fragment longer than [`Limits::max_record_len`].
    #[error("record of {len} bytes exceeds the {max}-byte limit")]
    RecordTooLarge {
        /// Announced length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A handshake message announced a body longer than [`Limits::max_message_len`].
    #[error("{typ:?} message of {len} bytes exceeds the {max}-byte limit")]
    MessageTooLarge {
        /// Message type.
        typ: HandshakeType,
        /// Announced length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The bytes are not a TLS record (unknown content type or a version major other than 3);
    /// the first bytes are kept for the evidence.
    #[error("not a TLS record: starts with {first:02x?}")]
    NotTls {
        /// Up to the first 5 bytes.
        first: Vec<u8>,
    },
    /// A non-handshake record arrived in the middle of a fragmented handshake message.
    #[error("{0:?} record interleaved with a fragmented handshake message")]
    Interleaved(ContentType),
    /// An alert record whose length is not a multiple of 2.
    #[error("alert record of {0} bytes")]
    BadAlert(usize),
    /// A handshake message arrived where the protocol does not allow it.
    #[error("unexpected {got:?} message ({context})")]
    UnexpectedMessage {
        /// What arrived.
        got: HandshakeType,
        /// What was expected instead.
        context: &'static str,
    },
    /// A field held a value its specification forbids.
    #[error("invalid {0}")]
    InvalidValue(&'static str),
    /// More certificates than [`Limits::max_certificates`].
    #[error("more than {0} certificates")]
    TooManyCertificates(usize),
    /// A ServerHello carried two extensions of the same type (RFC 8446 §4.2).
    #[error("duplicate {0:?} extension in the server_hello")]
    DuplicateExtension(ExtensionType),
}

/// A TLS alert (RFC 5246 section 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// warning (1) or fatal (2).
    pub level: AlertLevel,
    /// What went wrong.
    pub description: AlertDescription,
}

/// One deframed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A complete handshake message (reassembled across records), without its 4-byte header.
    Handshake {
        /// Message type.
        typ: HandshakeType,
        /// Message body.
        body: Vec<u8>,
    },
    /// One alert.
    Alert(Alert),
    /// A change_cipher_spec record (its payload is ignored).
    ChangeCipherSpec,
    /// Any other record (application data, encrypted TLS 1.3 records, heartbeat, ...).
    Opaque {
        /// Record content type.
        content_type: ContentType,
        /// Fragment length in bytes.
        len: usize,
    },
}

/// Turns a byte stream (as it arrives from TCP reads) into [`Message`]s: parses record
/// headers, reassembles handshake messages split across records, splits records holding
/// several messages, and enforces [`Limits`].
#[derive(Debug, Clone)]
pub struct Deframer {
    limits: Limits,
    buf: Vec<u8>,
    handshake: Vec<u8>,
    received: usize,
    record_version: Option<ProtocolVersion>,
    pending: VecDeque<Message>,
}

impl Deframer {
    /// An empty deframer with these limits.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            buf: Vec::new(),
            handshake: Vec::new(),
            received: 0,
            record_version: None,
            pending: VecDeque::new(),
        }
    }

    /// Appends bytes read from the connection. Fails once the total exceeds
    /// [`Limits::max_total_bytes`].
    pub fn push(&mut self, data: &[u8]) -> Result<(), ServerError> {
        self.received = self.received.saturating_add(data.len());
        if self.received > self.limits.max_total_bytes {
            return Err(ServerError::TooMuchData {
                limit: self.limits.max_total_bytes,
            });
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }

    /// Total bytes pushed so far.
    pub fn received(&self) -> usize {
        self.received
    }

    /// The version in the first record header seen.
    pub fn record_version(&self) -> Option<ProtocolVersion> {
        self.record_version
    }

    /// True when bytes are buffered that do not yet form a complete message.
    pub fn has_partial(&self) -> bool {
        !self.buf.is_empty() || !self.handshake.is_empty()
    }

    /// The next complete message, `Ok(None)` if more bytes are needed.
    pub fn next_message(&mut self) -> Result<Option<Message>, ServerError> {
        loop {
            if let Some(m) = self.pending.pop_front() {
                return Ok(Some(m));
            }
            if let Some(m) = self.take_handshake()? {
                return Ok(Some(m));
            }
            let mut r = Reader::new(&self.buf);
            let Ok(header) = r.take(5, "record header") else {
                self.check_header_prefix()?;
                return Ok(None);
            };
            let mut h = Reader::new(header);
            let content_type = ContentType(h.u8("content type")?);
            let version = ProtocolVersion(h.u16("record version")?);
            let len = usize::from(h.u16("record length")?);
            self.check_header_prefix()?;
            if len > self.limits.max_record_len {
                return Err(ServerError::RecordTooLarge {
                    len,
                    max: self.limits.max_record_len,
                });
            }
            let Ok(fragment) = r.take(len, "record fragment") else {
                return Ok(None);
            };
            let fragment = fragment.to_vec();
            self.buf.drain(..5 + len);
            self.record_version.get_or_insert(version);
            match content_type {
                // RFC 5246 §6.2.1, RFC 8446 §5.1: no zero-length handshake fragments. Taken
                // silently, a stream of them reads as a server that never answers.
                ContentType::HANDSHAKE if fragment.is_empty() => {
                    return Err(ServerError::InvalidValue("zero-length handshake record"));
                }
                ContentType::HANDSHAKE => self.handshake.extend_from_slice(&fragment),
                ct if !self.handshake.is_empty() => return Err(ServerError::Interleaved(ct)),
                ContentType::ALERT => {
                    if fragment.is_empty() || fragment.len() % 2 != 0 {
                        return Err(ServerError::BadAlert(fragment.len()));
                    }
                    for pair in fragment.chunks_exact(2) {
                        if let [level, description] = *pair {
                            self.pending.push_back(Message::Alert(Alert {
                                level: AlertLevel(level),
                                description: AlertDescription(description),
                            }));
                        }
                    }
                }
                ContentType::CHANGE_CIPHER_SPEC => return Ok(Some(Message::ChangeCipherSpec)),
                content_type => return Ok(Some(Message::Opaque { content_type, len })),
            }
        }
    }

    /// Rejects, as early as the bytes allow, a stream that is not TLS records.
    fn check_header_prefix(&self) -> Result<(), ServerError> {
        let bad_type = self.buf.first().is_some_and(|&t| !(20..=27).contains(&t));
        let bad_major = self.buf.get(1).is_some_and(|&m| m != 3);
        if bad_type || bad_major {
            return Err(ServerError::NotTls {
                first: self.buf.iter().take(5).copied().collect(),
            });
        }
        Ok(())
    }

    /// The bytes of handshake messages buffered so far that are not yet a complete message
    /// (the 4-byte header first). After [`ServerError::MessageTooLarge`], the start of the
    /// oversized message.
    pub fn partial_handshake(&self) -> &[u8] {
        &self.handshake
    }

    /// Move every complete handshake record buffered into the handshake buffer without
    /// assembling messages (to read the start of a message over the cap). Stops at a record
    /// of another type. Returns false when no more can come this way (another content type).
    pub fn gather_handshake(&mut self) -> Result<bool, ServerError> {
        loop {
            let mut r = Reader::new(&self.buf);
            let Ok(header) = r.take(5, "record header") else {
                return Ok(true);
            };
            let mut h = Reader::new(header);
            let content_type = ContentType(h.u8("content type")?);
            let _version = h.u16("record version")?;
            let len = usize::from(h.u16("record length")?);
            if content_type != ContentType::HANDSHAKE {
                return Ok(false);
            }
            if len > self.limits.max_record_len {
                return Err(ServerError::RecordTooLarge {
                    len,
                    max: self.limits.max_record_len,
                });
            }
            let Ok(fragment) = r.take(len, "record fragment") else {
                return Ok(true);
            };
            let fragment = fragment.to_vec();
            self.buf.drain(..5 + len);
            self.handshake.extend_from_slice(&fragment);
        }
    }

    fn take_handshake(&mut self) -> Result<Option<Message>, ServerError> {
        let mut r = Reader::new(&self.handshake);
        let (Ok(typ), Ok(len)) = (r.u8("handshake type"), r.u24("handshake length")) else {
            return Ok(None);
        };
        let typ = HandshakeType(typ);
        let len = len as usize;
        if len > self.limits.max_message_len {
            return Err(ServerError::MessageTooLarge {
                typ,
                len,
                max: self.limits.max_message_len,
            });
        }
        let Ok(body) = r.take(len, "handshake body") else {
            return Ok(None);
        };
        let body = body.to_vec();
        self.handshake.drain(..4 + len);
        Ok(Some(Message::Handshake { typ, body }))
    }
}

/// Serializes bytes as a lower-case hex string.
fn hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("{}", HexStr(bytes)))
}

fn hex_list<S: Serializer>(list: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list.iter().map(|b| HexStr(b).to_string()))
}

struct HexStr<'a>(&'a [u8]);

impl std::fmt::Display for HexStr<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// Which TLS 1.3 downgrade sentinel a ServerHello.random carries (RFC 8446 section 4.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DowngradeSentinel {
    /// `DOWNGRD\x01`: a TLS 1.3 server negotiating TLS 1.2.
    Tls12,
    /// `DOWNGRD\x00`: a TLS 1.3 server negotiating TLS 1.1 or below.
    Tls11OrBelow,
}

/// A ServerHello extension (one per variant that kensa reads; the rest are [`Self::Unknown`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerExtension {
    /// server_name acknowledgement (empty, RFC 6066).
    ServerName,
    /// max_fragment_length (RFC 6066): the code (1 = 2^9 .. 4 = 2^12).
    MaxFragmentLength(u8),
    /// status_request acknowledgement (empty): a CertificateStatus message follows (RFC 6066).
    StatusRequest,
    /// ec_point_formats (RFC 8422).
    EcPointFormats(Vec<u8>),
    /// heartbeat (RFC 6520): the server's mode (1 = peer_allowed_to_send).
    Heartbeat(u8),
    /// The selected ALPN protocol(s) (RFC 7301; exactly one when well-formed), lossy UTF-8.
    Alpn(Vec<String>),
    /// signed_certificate_timestamp (RFC 6962): the serialized SCTs.
    SignedCertificateTimestamp(#[serde(serialize_with = "hex_list")] Vec<Vec<u8>>),
    /// encrypt_then_mac (RFC 7366).
    EncryptThenMac,
    /// extended_master_secret (RFC 7627).
    ExtendedMasterSecret,
    /// session_ticket (RFC 5077): the server will send a NewSessionTicket.
    SessionTicket,
    /// supported_versions, server form (RFC 8446): the selected version.
    SupportedVersions(ProtocolVersion),
    /// key_share, server form: the group, and the length in bytes of the server's share
    /// (`None` in a HelloRetryRequest, which names only the group).
    KeyShare {
        /// Selected group.
        group: NamedGroup,
        /// Length of the server's public value, in bytes.
        key_len: Option<usize>,
    },
    /// cookie (HelloRetryRequest, RFC 8446 section 4.2.2): its length in bytes.
    Cookie(usize),
    /// renegotiation_info (RFC 5746): `renegotiated_connection` (empty on a first handshake).
    RenegotiationInfo(#[serde(serialize_with = "hex")] Vec<u8>),
    /// Any other extension: its type and body length in bytes.
    Unknown {
        /// Extension type.
        typ: ExtensionType,
        /// Body length in bytes.
        len: usize,
    },
}

impl ServerExtension {
    /// The extension's type code.
    pub fn extension_type(&self) -> ExtensionType {
        match self {
            Self::ServerName => ExtensionType::SERVER_NAME,
            Self::MaxFragmentLength(_) => ExtensionType::MAX_FRAGMENT_LENGTH,
            Self::StatusRequest => ExtensionType::STATUS_REQUEST,
            Self::EcPointFormats(_) => ExtensionType::EC_POINT_FORMATS,
            Self::Heartbeat(_) => ExtensionType::HEARTBEAT,
            Self::Alpn(_) => ExtensionType::ALPN,
            Self::SignedCertificateTimestamp(_) => ExtensionType::SIGNED_CERTIFICATE_TIMESTAMP,
            Self::EncryptThenMac => ExtensionType::ENCRYPT_THEN_MAC,
            Self::ExtendedMasterSecret => ExtensionType::EXTENDED_MASTER_SECRET,
            Self::SessionTicket => ExtensionType::SESSION_TICKET,
            Self::SupportedVersions(_) => ExtensionType::SUPPORTED_VERSIONS,
            Self::KeyShare { .. } => ExtensionType::KEY_SHARE,
            Self::Cookie(_) => ExtensionType::COOKIE,
            Self::RenegotiationInfo(_) => ExtensionType::RENEGOTIATION_INFO,
            Self::Unknown { typ, .. } => *typ,
        }
    }

    fn parse(typ: ExtensionType, data: &[u8], hrr: bool) -> Result<Self, ServerError> {
        let mut r = Reader::new(data);
        let ext = match typ {
            ExtensionType::SERVER_NAME if data.is_empty() => Self::ServerName,
            ExtensionType::MAX_FRAGMENT_LENGTH => {
                Self::MaxFragmentLength(r.u8("max_fragment_length")?)
            }
            ExtensionType::STATUS_REQUEST if data.is_empty() => Self::StatusRequest,
            ExtensionType::EC_POINT_FORMATS => {
                Self::EcPointFormats(r.vec_u8("ec_point_formats")?.to_vec())
            }
            ExtensionType::HEARTBEAT => Self::Heartbeat(r.u8("heartbeat mode")?),
            ExtensionType::ALPN => {
                let mut list = r.sub_u16("protocol_name_list")?;
                let mut names = Vec::new();
                while !list.is_empty() {
                    names.push(String::from_utf8_lossy(list.vec_u8("protocol_name")?).into_owned());
                }
                Self::Alpn(names)
            }
            ExtensionType::SIGNED_CERTIFICATE_TIMESTAMP => {
                let mut list = r.sub_u16("sct_list")?;
                let mut scts = Vec::new();
                while !list.is_empty() {
                    scts.push(list.vec_u16("sct")?.to_vec());
                }
                Self::SignedCertificateTimestamp(scts)
            }
            ExtensionType::ENCRYPT_THEN_MAC if data.is_empty() => Self::EncryptThenMac,
            ExtensionType::EXTENDED_MASTER_SECRET if data.is_empty() => Self::ExtendedMasterSecret,
            ExtensionType::SESSION_TICKET if data.is_empty() => Self::SessionTicket,
            ExtensionType::SUPPORTED_VERSIONS => {
                Self::SupportedVersions(ProtocolVersion(r.u16("selected_version")?))
            }
            ExtensionType::KEY_SHARE => {
                let group = NamedGroup(r.u16("key_share group")?);
                let key_len = if hrr {
                    None
                } else {
                    Some(r.vec_u16("key_exchange")?.len())
                };
                Self::KeyShare { group, key_len }
            }
            ExtensionType::COOKIE => Self::Cookie(r.vec_u16("cookie")?.len()),
            ExtensionType::RENEGOTIATION_INFO => {
                Self::RenegotiationInfo(r.vec_u8("renegotiated_connection")?.to_vec())
            }
            ExtensionType::SERVER_NAME
            | ExtensionType::STATUS_REQUEST
            | ExtensionType::ENCRYPT_THEN_MAC
            | ExtensionType::EXTENDED_MASTER_SECRET
            | ExtensionType::SESSION_TICKET => {
                return Err(ServerError::InvalidValue("non-empty empty extension"));
            }
            typ => Self::Unknown {
                typ,
                len: r.rest().len(),
            },
        };
        r.finish("extension")?;
        Ok(ext)
    }
}

/// A ServerHello or HelloRetryRequest (RFC 5246 section 7.4.1.3; RFC 8446 section 4.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerHello {
    /// `server_version` / `legacy_version` (TLS 1.2 in a TLS 1.3 ServerHello).
    pub legacy_version: ProtocolVersion,
    /// ServerHello.random.
    #[serde(serialize_with = "hex")]
    pub random: Vec<u8>,
    /// Session id echoed or assigned (0 to 32 bytes).
    #[serde(serialize_with = "hex")]
    pub session_id: Vec<u8>,
    /// The selected cipher suite.
    pub cipher_suite: CipherSuite,
    /// The selected compression method (0 = null; anything else matters for CRIME).
    pub compression_method: u8,
    /// True when the extensions block was present at all (SSL 3.0 servers omit it).
    pub has_extensions_block: bool,
    /// Extensions, in the server's order.
    pub extensions: Vec<ServerExtension>,
    /// True when `random` is the HelloRetryRequest value.
    pub is_hello_retry_request: bool,
    /// A downgrade sentinel in the last 8 bytes of `random`, if any.
    pub downgrade: Option<DowngradeSentinel>,
}

impl ServerHello {
    /// Parses a ServerHello body (after the 4-byte handshake header).
    pub fn parse(body: &[u8]) -> Result<Self, ServerError> {
        let mut r = Reader::new(body);
        let legacy_version = ProtocolVersion(r.u16("server_version")?);
        let random: [u8; 32] = r.array("random")?;
        let session_id = r.vec_u8("session_id")?;
        if session_id.len() > 32 {
            return Err(ServerError::InvalidValue("session_id longer than 32 bytes"));
        }
        let cipher_suite = CipherSuite(r.u16("cipher_suite")?);
        let compression_method = r.u8("compression_method")?;
        let is_hello_retry_request = random == HELLO_RETRY_REQUEST_RANDOM;
        let downgrade = match random.get(24..) {
            Some(tail) if tail == DOWNGRADE_TLS12 => Some(DowngradeSentinel::Tls12),
            Some(tail) if tail == DOWNGRADE_TLS11 => Some(DowngradeSentinel::Tls11OrBelow),
            _ => None,
        };
        let has_extensions_block = !r.is_empty();
        let mut extensions = Vec::new();
        if has_extensions_block {
            let mut seen = std::collections::BTreeSet::new();
            let mut exts = r.sub_u16("extensions")?;
            while !exts.is_empty() {
                let typ = ExtensionType(exts.u16("extension type")?);
                let data = exts.vec_u16("extension data")?;
                // RFC 5246 §7.4.1.4, RFC 8446 §4.2: at most one extension of each type; with
                // two, which one the server meant (e.g. its supported_versions) is undecidable.
                if !seen.insert(typ.0) {
                    return Err(ServerError::DuplicateExtension(typ));
                }
                extensions.push(ServerExtension::parse(typ, data, is_hello_retry_request)?);
            }
        }
        r.finish("server_hello")?;
        Ok(Self {
            legacy_version,
            random: random.to_vec(),
            session_id: session_id.to_vec(),
            cipher_suite,
            compression_method,
            has_extensions_block,
            extensions,
            is_hello_retry_request,
            downgrade,
        })
    }

    /// The negotiated version: supported_versions when present (TLS 1.3), else
    /// `legacy_version`.
    pub fn version(&self) -> ProtocolVersion {
        self.extensions
            .iter()
            .find_map(|e| match e {
                ServerExtension::SupportedVersions(v) => Some(*v),
                _ => None,
            })
            .unwrap_or(self.legacy_version)
    }

    /// The first extension of this type.
    pub fn extension(&self, typ: ExtensionType) -> Option<&ServerExtension> {
        self.extensions.iter().find(|e| e.extension_type() == typ)
    }

    /// The key_share group (TLS 1.3 ServerHello or HelloRetryRequest).
    pub fn key_share_group(&self) -> Option<NamedGroup> {
        self.extensions.iter().find_map(|e| match e {
            ServerExtension::KeyShare { group, .. } => Some(*group),
            _ => None,
        })
    }
}

/// A TLS 1.0-1.2 Certificate message: DER certificates, leaf first as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateChain {
    /// DER certificates in the order the server sent them.
    #[serde(serialize_with = "hex_list")]
    pub certificates: Vec<Vec<u8>>,
}

impl CertificateChain {
    /// Parses a (TLS 1.2 and earlier) Certificate body, accepting at most `max_certificates`.
    pub fn parse(body: &[u8], max_certificates: usize) -> Result<Self, ServerError> {
        let mut r = Reader::new(body);
        let mut list = r.sub_u24("certificate_list")?;
        r.finish("certificate")?;
        let mut certificates = Vec::new();
        while !list.is_empty() {
            if certificates.len() >= max_certificates {
                return Err(ServerError::TooManyCertificates(max_certificates));
            }
            let cert = list.vec_u24("ASN.1Cert")?;
            if cert.is_empty() {
                return Err(ServerError::InvalidValue("empty certificate"));
            }
            certificates.push(cert.to_vec());
        }
        Ok(Self { certificates })
    }
}

/// A CertificateStatus message (RFC 6066 section 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateStatus {
    /// status_type (1 = ocsp).
    pub status_type: u8,
    /// The raw (DER) OCSP response.
    #[serde(serialize_with = "hex")]
    pub response: Vec<u8>,
}

impl CertificateStatus {
    /// Parses a CertificateStatus body.
    pub fn parse(body: &[u8]) -> Result<Self, ServerError> {
        let mut r = Reader::new(body);
        let status_type = r.u8("status_type")?;
        let response = r.vec_u24("OCSPResponse")?.to_vec();
        r.finish("certificate_status")?;
        Ok(Self {
            status_type,
            response,
        })
    }
}

/// The curve of an ECDHE ServerKeyExchange (RFC 8422 section 5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EcCurve {
    /// curve_type 3: a named group.
    Named(NamedGroup),
    /// curve_type 1: explicit prime-field parameters (deprecated; not parsed further).
    ExplicitPrime,
    /// curve_type 2: explicit binary-field parameters (deprecated; not parsed further).
    ExplicitChar2,
    /// Any other curve_type.
    Unknown(u8),
}

/// The signature at the end of a signed ServerKeyExchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SkeSignature {
    /// The scheme (TLS 1.2 only; earlier versions imply it from the certificate).
    pub scheme: Option<SignatureScheme>,
    /// Signature length in bytes.
    pub len: usize,
}

/// The parts of a ServerKeyExchange (RFC 5246 section 7.4.3; RFC 8422 section 5.4; RFC 4279
/// for PSK) that matter for judging the key exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerKeyExchange {
    /// Ephemeral (or anonymous) ECDH.
    Ecdh {
        /// PSK identity hint (ECDHE_PSK suites), lossy UTF-8.
        psk_identity_hint: Option<String>,
        /// The curve.
        curve: EcCurve,
        /// Length in bytes of the server's public point (0 for explicit curves).
        public_len: usize,
        /// Signature, for authenticated suites.
        signature: Option<SkeSignature>,
    },
    /// Ephemeral (or anonymous) finite-field DH.
    Dh {
        /// PSK identity hint (DHE_PSK suites), lossy UTF-8.
        psk_identity_hint: Option<String>,
        /// The prime p, big-endian, as sent.
        #[serde(serialize_with = "hex")]
        p: Vec<u8>,
        /// The generator g, big-endian, as sent.
        #[serde(serialize_with = "hex")]
        g: Vec<u8>,
        /// Length in bytes of the server's public value Ys.
        ys_len: usize,
        /// Signature, for authenticated suites.
        signature: Option<SkeSignature>,
    },
    /// Temporary RSA key (RSA_EXPORT suites).
    Rsa {
        /// The modulus, big-endian, as sent.
        #[serde(serialize_with = "hex")]
        modulus: Vec<u8>,
        /// The public exponent, big-endian, as sent.
        #[serde(serialize_with = "hex")]
        exponent: Vec<u8>,
        /// Signature.
        signature: Option<SkeSignature>,
    },
    /// PSK and RSA_PSK suites: only an identity hint.
    Psk {
        /// PSK identity hint, lossy UTF-8.
        psk_identity_hint: String,
    },
    /// A key exchange this crate does not parse (SRP, ECCPWD, GOST, unknown suite).
    Other {
        /// Body length in bytes.
        len: usize,
    },
}

/// Bit length of a big-endian unsigned integer (leading zero bytes and bits ignored).
pub fn bit_len(be: &[u8]) -> usize {
    let skip = be.iter().take_while(|&&b| b == 0).count();
    match be.get(skip) {
        Some(&top) => (be.len() - skip - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

impl ServerKeyExchange {
    /// Parses a ServerKeyExchange body. Its layout depends on the negotiated suite's key
    /// exchange and authentication and on the version (signature scheme from TLS 1.2 on).
    pub fn parse(
        body: &[u8],
        suite: CipherSuite,
        version: ProtocolVersion,
    ) -> Result<Self, ServerError> {
        let Some(info) = suite_info(suite) else {
            return Ok(Self::Other { len: body.len() });
        };
        let mut r = Reader::new(body);
        let psk = info.auth == Authentication::Psk;
        let hint = |r: &mut Reader<'_>| -> Result<Option<String>, ServerError> {
            Ok(if psk {
                Some(String::from_utf8_lossy(r.vec_u16("psk_identity_hint")?).into_owned())
            } else {
                None
            })
        };
        let signed = !matches!(
            info.auth,
            Authentication::Anon | Authentication::Psk | Authentication::Null
        );
        let signature = |r: &mut Reader<'_>| -> Result<Option<SkeSignature>, ServerError> {
            if !signed {
                return Ok(None);
            }
            let scheme = if version >= ProtocolVersion::TLS1_2 {
                Some(SignatureScheme(r.u16("signature scheme")?))
            } else {
                None
            };
            let len = r.vec_u16("signature")?.len();
            Ok(Some(SkeSignature { scheme, len }))
        };
        let ske = match info.kx {
            KeyExchange::Ecdhe | KeyExchange::Ecdh => {
                let psk_identity_hint = hint(&mut r)?;
                let curve = match r.u8("curve_type")? {
                    3 => EcCurve::Named(NamedGroup(r.u16("named_curve")?)),
                    1 => EcCurve::ExplicitPrime,
                    2 => EcCurve::ExplicitChar2,
                    t => EcCurve::Unknown(t),
                };
                if !matches!(curve, EcCurve::Named(_)) {
                    r.rest();
                    return Ok(Self::Ecdh {
                        psk_identity_hint,
                        curve,
                        public_len: 0,
                        signature: None,
                    });
                }
                let public_len = r.vec_u8("ec point")?.len();
                let signature = signature(&mut r)?;
                Self::Ecdh {
                    psk_identity_hint,
                    curve,
                    public_len,
                    signature,
                }
            }
            KeyExchange::Dhe | KeyExchange::Dh => {
                let psk_identity_hint = hint(&mut r)?;
                let p = r.vec_u16("dh_p")?.to_vec();
                let g = r.vec_u16("dh_g")?.to_vec();
                let ys_len = r.vec_u16("dh_Ys")?.len();
                if p.is_empty() || g.is_empty() || ys_len == 0 {
                    return Err(ServerError::InvalidValue("empty DH parameter"));
                }
                let signature = signature(&mut r)?;
                Self::Dh {
                    psk_identity_hint,
                    p,
                    g,
                    ys_len,
                    signature,
                }
            }
            KeyExchange::Rsa if psk => Self::Psk {
                psk_identity_hint: hint(&mut r)?.unwrap_or_default(),
            },
            KeyExchange::Psk => Self::Psk {
                psk_identity_hint: hint(&mut r)?.unwrap_or_default(),
            },
            KeyExchange::Rsa => {
                let modulus = r.vec_u16("rsa_modulus")?.to_vec();
                let exponent = r.vec_u16("rsa_exponent")?.to_vec();
                let signature = signature(&mut r)?;
                Self::Rsa {
                    modulus,
                    exponent,
                    signature,
                }
            }
            _ => {
                r.rest();
                Self::Other { len: body.len() }
            }
        };
        r.finish("server_key_exchange")?;
        Ok(ske)
    }

    /// Bits of the DH prime p (the DH group size), for DHE.
    pub fn dh_prime_bits(&self) -> Option<usize> {
        match self {
            Self::Dh { p, .. } => Some(bit_len(p)),
            _ => None,
        }
    }
}

/// Whether [`FlightReader::push`] needs more bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The flight is not finished; read more.
    NeedMore,
    /// The flight is finished: ServerHelloDone, a HelloRetryRequest, a TLS 1.3 ServerHello
    /// (what follows is encrypted), or an alert.
    Complete,
}

/// What a server sent in answer to one ClientHello, up to the end of its first flight.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServerFlight {
    /// Version of the first record header.
    pub record_version: Option<ProtocolVersion>,
    /// The ServerHello or HelloRetryRequest.
    pub server_hello: Option<ServerHello>,
    /// The Certificate message (TLS 1.2 and earlier; encrypted in TLS 1.3).
    pub certificate: Option<CertificateChain>,
    /// The CertificateStatus message (stapled OCSP).
    pub certificate_status: Option<CertificateStatus>,
    /// The ServerKeyExchange message.
    pub server_key_exchange: Option<ServerKeyExchange>,
    /// True when the server asked for a client certificate.
    pub certificate_request: bool,
    /// What the CertificateRequest listed, when its body could be read (issue 19).
    pub certificate_request_body: Option<CertificateRequestBody>,
    /// The Certificate message was larger than [`Limits::max_message_len`]: the ServerHello
    /// accepted the version and suite, the chain was not read whole. `certificate` then holds
    /// the leaf alone when it fitted in the first bytes (issue 19).
    pub certificate_over_cap: Option<CertificateOverCap>,
    /// The Certificate message's body length as announced, bytes (also when over the cap).
    pub certificate_message_bytes: Option<usize>,
    /// True when ServerHelloDone arrived.
    pub server_hello_done: bool,
    /// The first alert, if the server sent one.
    pub alert: Option<Alert>,
    /// Types of other handshake messages seen (in order).
    pub other_handshake: Vec<HandshakeType>,
    /// Number of change_cipher_spec or non-handshake records seen.
    pub other_records: usize,
}

/// A TLS 1.0–1.2 CertificateRequest (RFC 5246 §7.4.4): the signature schemes (TLS 1.2
/// only) and the acceptable CA names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CertificateRequestBody {
    /// `supported_signature_algorithms` (empty before TLS 1.2).
    pub signature_schemes: Vec<u16>,
    /// `certificate_authorities`: DER Names.
    pub ca_names: Vec<Vec<u8>>,
}

impl CertificateRequestBody {
    /// Read a CertificateRequest body; `None` when it is malformed (the request itself is
    /// still recorded).
    pub fn parse(body: &[u8], tls12: bool) -> Option<Self> {
        fn vec8(b: &[u8]) -> Option<(&[u8], &[u8])> {
            let (&n, rest) = b.split_first()?;
            let n = usize::from(n);
            Some((rest.get(..n)?, rest.get(n..)?))
        }
        fn vec16(b: &[u8]) -> Option<(&[u8], &[u8])> {
            let n = usize::from(u16::from_be_bytes([*b.first()?, *b.get(1)?]));
            let rest = b.get(2..)?;
            Some((rest.get(..n)?, rest.get(n..)?))
        }
        let (_types, rest) = vec8(body)?;
        let (schemes, rest) = if tls12 { vec16(rest)? } else { (&[][..], rest) };
        let (mut names, rest) = vec16(rest)?;
        if !rest.is_empty() || !schemes.len().is_multiple_of(2) {
            return None;
        }
        let mut out = Self {
            signature_schemes: schemes
                .chunks_exact(2)
                .map(|c| match c {
                    [a, b] => u16::from_be_bytes([*a, *b]),
                    _ => 0,
                })
                .collect(),
            ca_names: Vec::new(),
        };
        while !names.is_empty() {
            let (name, more) = vec16(names)?;
            out.ca_names.push(name.to_vec());
            names = more;
        }
        Some(out)
    }
}

/// A Certificate message over the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CertificateOverCap {
    /// The message body's length as announced by its header, bytes.
    pub length: usize,
    /// The cap it exceeded ([`Limits::max_message_len`]), bytes.
    pub cap: usize,
    /// Whether the leaf certificate was read from the message's first bytes.
    pub leaf_read: bool,
}

/// Collects a [`ServerFlight`] from bytes as they arrive.
#[derive(Debug, Clone)]
pub struct FlightReader {
    deframer: Deframer,
    limits: Limits,
    flight: ServerFlight,
    complete: bool,
    /// After a Certificate message over the cap: reading on only for its leaf.
    leaf_wanted: bool,
}

impl FlightReader {
    /// An empty reader with these limits.
    pub fn new(limits: Limits) -> Self {
        Self {
            deframer: Deframer::new(limits),
            limits,
            flight: ServerFlight::default(),
            complete: false,
            leaf_wanted: false,
        }
    }

    /// Feeds bytes read from the connection. Bytes after the flight completes are ignored.
    ///
    /// A Certificate message over [`Limits::max_message_len`] after a ServerHello is not an
    /// error: the version and suite were accepted. It is recorded in
    /// [`ServerFlight::certificate_over_cap`], the reader goes on only until it holds the
    /// leaf (when the leaf itself fits the cap), and the flight then completes.
    pub fn push(&mut self, data: &[u8]) -> Result<Progress, ServerError> {
        if self.complete {
            return Ok(Progress::Complete);
        }
        if self.leaf_wanted {
            // Whatever goes wrong now, the ServerHello stands: finish without the leaf.
            let more = self
                .deframer
                .push(data)
                .and_then(|()| self.deframer.gather_handshake());
            if !matches!(more, Ok(true)) {
                self.complete = true;
                return Ok(Progress::Complete);
            }
            return Ok(self.try_leaf());
        }
        self.deframer.push(data)?;
        loop {
            let msg = match self.deframer.next_message() {
                Ok(Some(m)) => m,
                Ok(None) => break,
                Err(ServerError::MessageTooLarge { typ, len, max })
                    if typ == HandshakeType::CERTIFICATE
                        && self.flight.server_hello.is_some()
                        && self.flight.certificate.is_none() =>
                {
                    self.flight.certificate_message_bytes = Some(len);
                    self.flight.certificate_over_cap = Some(CertificateOverCap {
                        length: len,
                        cap: max,
                        leaf_read: false,
                    });
                    self.leaf_wanted = true;
                    if !matches!(self.deframer.gather_handshake(), Ok(true)) {
                        self.complete = true;
                        return Ok(Progress::Complete);
                    }
                    return Ok(self.try_leaf());
                }
                Err(e) => return Err(e),
            };
            self.flight.record_version = self.deframer.record_version();
            self.handle(msg)?;
            if self.complete {
                return Ok(Progress::Complete);
            }
        }
        Ok(Progress::NeedMore)
    }

    /// With the start of an oversized Certificate message buffered: the leaf, once its bytes
    /// are all there. Completes the flight when the leaf is read or cannot be.
    fn try_leaf(&mut self) -> Progress {
        match leaf_of_partial_certificate(self.deframer.partial_handshake(), self.limits) {
            LeafState::NeedMore => Progress::NeedMore,
            LeafState::Unreadable => {
                self.complete = true;
                Progress::Complete
            }
            LeafState::Leaf(leaf) => {
                self.flight.certificate = Some(CertificateChain {
                    certificates: vec![leaf],
                });
                if let Some(o) = &mut self.flight.certificate_over_cap {
                    o.leaf_read = true;
                }
                self.complete = true;
                Progress::Complete
            }
        }
    }

    /// What has been collected so far.
    pub fn flight(&self) -> &ServerFlight {
        &self.flight
    }

    /// True once the flight is complete.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The collected flight.
    pub fn into_flight(self) -> ServerFlight {
        self.flight
    }

    fn handle(&mut self, msg: Message) -> Result<(), ServerError> {
        let f = &mut self.flight;
        let (typ, body) = match msg {
            Message::Alert(a) => {
                f.alert.get_or_insert(a);
                self.complete = true;
                return Ok(());
            }
            Message::ChangeCipherSpec | Message::Opaque { .. } => {
                f.other_records += 1;
                return Ok(());
            }
            Message::Handshake { typ, body } => (typ, body),
        };
        let Some(sh) = &f.server_hello else {
            if typ != HandshakeType::SERVER_HELLO {
                return Err(ServerError::UnexpectedMessage {
                    got: typ,
                    context: "expected server_hello first",
                });
            }
            let sh = ServerHello::parse(&body)?;
            self.complete = sh.is_hello_retry_request || sh.version() >= ProtocolVersion::TLS1_3;
            f.server_hello = Some(sh);
            return Ok(());
        };
        match typ {
            HandshakeType::CERTIFICATE if f.certificate.is_none() => {
                f.certificate_message_bytes = Some(body.len());
                f.certificate = Some(CertificateChain::parse(
                    &body,
                    self.limits.max_certificates,
                )?);
            }
            HandshakeType::CERTIFICATE_STATUS if f.certificate_status.is_none() => {
                f.certificate_status = Some(CertificateStatus::parse(&body)?);
            }
            HandshakeType::SERVER_KEY_EXCHANGE if f.server_key_exchange.is_none() => {
                f.server_key_exchange = Some(ServerKeyExchange::parse(
                    &body,
                    sh.cipher_suite,
                    sh.version(),
                )?);
            }
            HandshakeType::CERTIFICATE_REQUEST => {
                f.certificate_request = true;
                f.certificate_request_body =
                    CertificateRequestBody::parse(&body, sh.version() >= ProtocolVersion::TLS1_2);
            }
            HandshakeType::SERVER_HELLO_DONE => {
                if !body.is_empty() {
                    return Err(ServerError::InvalidValue("non-empty server_hello_done"));
                }
                f.server_hello_done = true;
                self.complete = true;
            }
            HandshakeType::SERVER_HELLO
            | HandshakeType::CERTIFICATE
            | HandshakeType::CERTIFICATE_STATUS
            | HandshakeType::SERVER_KEY_EXCHANGE => {
                return Err(ServerError::UnexpectedMessage {
                    got: typ,
                    context: "duplicate message",
                });
            }
            other => f.other_handshake.push(other),
        }
        Ok(())
    }
}

enum LeafState {
    NeedMore,
    Unreadable,
    Leaf(Vec<u8>),
}

/// The first certificate of a Certificate message of which `partial` is the start (4-byte
/// handshake header, 3-byte list length, 3-byte certificate length, the certificate). A leaf
/// larger than the message cap is not waited for.
fn leaf_of_partial_certificate(partial: &[u8], limits: Limits) -> LeafState {
    let mut r = Reader::new(partial);
    let header = (
        r.u8("handshake type"),
        r.u24("handshake length"),
        r.u24("certificate_list"),
        r.u24("ASN.1Cert length"),
    );
    let (Ok(_), Ok(_), Ok(_), Ok(len)) = header else {
        return LeafState::NeedMore;
    };
    let len = len as usize;
    if len == 0 || len > limits.max_message_len {
        return LeafState::Unreadable;
    }
    match r.take(len, "ASN.1Cert") {
        Ok(der) => LeafState::Leaf(der.to_vec()),
        Err(_) => LeafState::NeedMore,
    }
}

/// Parses a complete buffer of server bytes (e.g. a fixture). An unfinished flight is not an
/// error: the result holds what was there.
pub fn parse_server_flight(bytes: &[u8], limits: Limits) -> Result<ServerFlight, ServerError> {
    let mut reader = FlightReader::new(limits);
    reader.push(bytes)?;
    Ok(reader.into_flight())
}

/// An SSL 2.0 record: the body, and how many bytes the record took in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ssl2Record<'a> {
    /// The record body (padding removed).
    pub body: &'a [u8],
    /// Bytes consumed from the input, header included.
    pub consumed: usize,
}

/// Reads one SSL 2.0 record (2-byte header when the top bit is set, 3-byte header with a
/// padding count otherwise; draft-hickman "SSL Record Header Format"). `Ok(None)` when more
/// bytes are needed.
pub fn read_ssl2_record(buf: &[u8]) -> Result<Option<Ssl2Record<'_>>, ServerError> {
    let mut r = Reader::new(buf);
    let Ok(b0) = r.u8("sslv2 header") else {
        return Ok(None);
    };
    let Ok(b1) = r.u8("sslv2 header") else {
        return Ok(None);
    };
    let (len, padding, header) = if b0 & 0x80 != 0 {
        (usize::from(b0 & 0x7f) << 8 | usize::from(b1), 0, 2)
    } else {
        let Ok(pad) = r.u8("sslv2 padding") else {
            return Ok(None);
        };
        (
            usize::from(b0 & 0x3f) << 8 | usize::from(b1),
            usize::from(pad),
            3,
        )
    };
    let Ok(record) = r.take(len, "sslv2 record") else {
        return Ok(None);
    };
    let body = record
        .get(
            ..len
                .checked_sub(padding)
                .ok_or(ServerError::InvalidValue("sslv2 padding"))?,
        )
        .ok_or(ServerError::InvalidValue("sslv2 padding"))?;
    Ok(Some(Ssl2Record {
        body,
        consumed: header + len,
    }))
}

/// An SSL 2.0 SERVER-HELLO (draft-hickman-netscape-ssl-00, "Server Only Protocol Messages").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ssl2ServerHello {
    /// SESSION-ID-HIT.
    pub session_id_hit: bool,
    /// CERTIFICATE-TYPE (1 = SSL_CT_X509_CERTIFICATE).
    pub certificate_type: u8,
    /// SERVER-VERSION (0x0002).
    pub version: ProtocolVersion,
    /// The DER certificate.
    #[serde(serialize_with = "hex")]
    pub certificate: Vec<u8>,
    /// The cipher kinds the server accepts of those offered.
    pub cipher_kinds: Vec<Ssl2CipherKind>,
    /// CONNECTION-ID length in bytes.
    pub connection_id_len: usize,
}

/// An SSL 2.0 server message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ssl2ServerMessage {
    /// SERVER-HELLO (message type 4).
    ServerHello(Ssl2ServerHello),
    /// ERROR (message type 0) with its error code (1 = NO-CIPHER-ERROR).
    Error(u16),
}

impl Ssl2ServerMessage {
    /// Parses an SSL 2.0 record body from the server.
    pub fn parse(body: &[u8]) -> Result<Self, ServerError> {
        let mut r = Reader::new(body);
        let msg = match r.u8("sslv2 message type")? {
            0 => Self::Error(r.u16("sslv2 error code")?),
            4 => {
                let session_id_hit = r.u8("SESSION-ID-HIT")? != 0;
                let certificate_type = r.u8("CERTIFICATE-TYPE")?;
                let version = ProtocolVersion(r.u16("SERVER-VERSION")?);
                let cert_len = usize::from(r.u16("CERTIFICATE-LENGTH")?);
                let specs_len = usize::from(r.u16("CIPHER-SPECS-LENGTH")?);
                let conn_len = usize::from(r.u16("CONNECTION-ID-LENGTH")?);
                let certificate = r.take(cert_len, "CERTIFICATE-DATA")?.to_vec();
                let specs = r.take(specs_len, "CIPHER-SPECS-DATA")?;
                if specs.len() % 3 != 0 {
                    return Err(ServerError::InvalidValue("sslv2 cipher specs length"));
                }
                let cipher_kinds = specs
                    .chunks_exact(3)
                    .map(|c| match *c {
                        [a, b, c] => Ssl2CipherKind(u32::from_be_bytes([0, a, b, c])),
                        _ => Ssl2CipherKind(0),
                    })
                    .collect();
                let connection_id_len = r.take(conn_len, "CONNECTION-ID-DATA")?.len();
                Self::ServerHello(Ssl2ServerHello {
                    session_id_hit,
                    certificate_type,
                    version,
                    certificate,
                    cipher_kinds,
                    connection_id_len,
                })
            }
            _ => return Err(ServerError::InvalidValue("sslv2 message type")),
        };
        r.finish("sslv2 message")?;
        Ok(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(ct: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![ct, 3, 3];
        v.extend_from_slice(&(body.len() as u16).to_be_bytes());
        v.extend_from_slice(body);
        v
    }

    fn hs(typ: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![typ];
        v.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        v.extend_from_slice(body);
        v
    }

    fn server_hello_body(random: [u8; 32], suite: u16, exts: &[u8]) -> Vec<u8> {
        let mut v = vec![3, 3];
        v.extend_from_slice(&random);
        v.extend_from_slice(&[1, 0xaa]);
        v.extend_from_slice(&suite.to_be_bytes());
        v.push(0);
        v.extend_from_slice(&(exts.len() as u16).to_be_bytes());
        v.extend_from_slice(exts);
        v
    }

    /// Every proper prefix of `body` fails or succeeds, without panicking; the full body parses.
    fn truncations<T: std::fmt::Debug>(
        body: &[u8],
        parse: impl Fn(&[u8]) -> Result<T, ServerError>,
    ) -> T {
        for n in 0..body.len() {
            let _ = parse(&body[..n]);
        }
        parse(body).unwrap()
    }

    #[test]
    fn server_hello_extensions_all_kinds() {
        let mut exts = Vec::new();
        for (t, d) in [
            (0u16, &[][..]),
            (1, &[2][..]),
            (5, &[][..]),
            (11, &[1, 0][..]),
            (15, &[1][..]),
            (16, &[0, 3, 2, b'h', b'2'][..]),
            (18, &[0, 4, 0, 2, 9, 9][..]),
            (22, &[][..]),
            (23, &[][..]),
            (35, &[][..]),
            (43, &[3, 4][..]),
            (51, &[0, 29, 0, 2, 7, 7][..]),
            (44, &[0, 1, 5][..]),
            (0xff01, &[0][..]),
            (0x1234, &[1, 2, 3][..]),
        ] {
            exts.extend_from_slice(&t.to_be_bytes());
            exts.extend_from_slice(&(d.len() as u16).to_be_bytes());
            exts.extend_from_slice(d);
        }
        let mut random = [1u8; 32];
        random[24..].copy_from_slice(&DOWNGRADE_TLS12);
        let body = server_hello_body(random, 0x1301, &exts);
        let sh = truncations(&body, ServerHello::parse);
        assert_eq!(sh.extensions.len(), 15);
        assert_eq!(sh.version(), ProtocolVersion::TLS1_3);
        assert_eq!(sh.downgrade, Some(DowngradeSentinel::Tls12));
        assert_eq!(sh.session_id, [0xaa]);
        assert_eq!(
            sh.extension(ExtensionType::ALPN),
            Some(&ServerExtension::Alpn(vec!["h2".into()]))
        );
        assert_eq!(
            sh.extension(ExtensionType::SIGNED_CERTIFICATE_TIMESTAMP),
            Some(&ServerExtension::SignedCertificateTimestamp(vec![vec![
                9, 9
            ]]))
        );
        assert_eq!(
            sh.extension(ExtensionType::KEY_SHARE),
            Some(&ServerExtension::KeyShare {
                group: NamedGroup::X25519,
                key_len: Some(2)
            })
        );
        assert_eq!(
            sh.extension(ExtensionType(0x1234)),
            Some(&ServerExtension::Unknown {
                typ: ExtensionType(0x1234),
                len: 3
            })
        );
        assert_eq!(
            sh.extension(ExtensionType::COOKIE),
            Some(&ServerExtension::Cookie(1))
        );
        assert!(
            sh.extensions
                .iter()
                .all(|e| sh.extension(e.extension_type()).is_some())
        );
        let json = serde_json::to_string(&sh).unwrap();
        assert!(
            json.contains(r#""cipher_suite":"TLS_AES_128_GCM_SHA256""#),
            "{json}"
        );
        // non-empty "empty" extension
        let bad = server_hello_body([1; 32], 0x1301, &[0, 23, 0, 1, 0]);
        assert_eq!(
            ServerHello::parse(&bad),
            Err(ServerError::InvalidValue("non-empty empty extension"))
        );
    }

    /// tests/hostile.rs found a ServerHello repeating every extension accepted as a hello:
    /// RFC 8446 §4.2 and RFC 5246 §7.4.1.4 allow one extension of each type.
    #[test]
    fn hostile_server_hello_repeating_extensions_is_refused() {
        let mut exts = Vec::new();
        for (t, d) in [(0xff01u16, &[0u8][..]), (23, &[][..]), (0xff01, &[0][..])] {
            exts.extend_from_slice(&t.to_be_bytes());
            exts.extend_from_slice(&(d.len() as u16).to_be_bytes());
            exts.extend_from_slice(d);
        }
        let body = server_hello_body([1; 32], 0xc02f, &exts);
        assert_eq!(
            ServerHello::parse(&body),
            Err(ServerError::DuplicateExtension(
                ExtensionType::RENEGOTIATION_INFO
            ))
        );
        // Two supported_versions naming different versions: refused, not guessed.
        let two = [0, 43, 0, 2, 3, 4, 0, 43, 0, 2, 3, 3];
        let body = server_hello_body([1; 32], 0x1301, &two);
        assert_eq!(
            ServerHello::parse(&body),
            Err(ServerError::DuplicateExtension(
                ExtensionType::SUPPORTED_VERSIONS
            ))
        );
    }

    #[test]
    fn hrr_and_ssl3_style_hello() {
        let body = server_hello_body(
            HELLO_RETRY_REQUEST_RANDOM,
            0x1302,
            &[0, 51, 0, 2, 0, 24, 0, 43, 0, 2, 3, 4],
        );
        let sh = ServerHello::parse(&body).unwrap();
        assert!(sh.is_hello_retry_request);
        assert_eq!(sh.key_share_group(), Some(NamedGroup::SECP384R1));
        // SSL 3.0: no extensions block at all
        let mut body = server_hello_body([0; 32], 0x000a, &[]);
        body.truncate(body.len() - 2);
        body[1] = 0;
        let sh = ServerHello::parse(&body).unwrap();
        assert!(!sh.has_extensions_block);
        assert_eq!(sh.version(), ProtocolVersion::SSL3);
        let mut long_sid = vec![3, 3];
        long_sid.extend_from_slice(&[0; 32]);
        long_sid.push(33);
        long_sid.extend_from_slice(&[0; 36]);
        assert!(ServerHello::parse(&long_sid).is_err());
    }

    #[test]
    fn deframer_reassembles_and_splits() {
        // One ServerHello split over two records, then a record holding Certificate+Done.
        let sh = hs(2, &server_hello_body([5; 32], 0xc02f, &[]));
        let (a, b) = sh.split_at(10);
        let mut cert_done = hs(11, &[0, 0, 5, 0, 0, 2, 0x30, 0x00]);
        cert_done.extend(hs(14, &[]));
        let mut bytes = record(22, a);
        bytes.extend(record(22, b));
        bytes.extend(record(22, &cert_done));
        bytes.extend(record(22, &hs(99, &[1])));
        let f = parse_server_flight(&bytes, Limits::default()).unwrap();
        assert_eq!(f.server_hello.unwrap().cipher_suite, CipherSuite(0xc02f));
        assert_eq!(f.certificate.unwrap().certificates, vec![vec![0x30, 0]]);
        assert!(f.server_hello_done);
        assert!(
            f.other_handshake.is_empty(),
            "flight ended at ServerHelloDone"
        );
    }

    #[test]
    fn deframer_errors() {
        let lim = Limits::default();
        // HTTP instead of TLS
        assert!(matches!(
            parse_server_flight(b"HTTP/1.1 400", lim),
            Err(ServerError::NotTls { .. })
        ));
        // SSLv2-style answer to a TLS hello
        assert!(matches!(
            parse_server_flight(&[0x80, 0x03, 0, 0, 1], lim),
            Err(ServerError::NotTls { .. })
        ));
        // oversize record
        assert!(matches!(
            parse_server_flight(&[22, 3, 3, 0xff, 0xff], lim),
            Err(ServerError::RecordTooLarge { .. })
        ));
        // oversize handshake message
        let mut big = record(22, &[2, 0xff, 0xff, 0xff]);
        big.truncate(9);
        assert!(matches!(
            parse_server_flight(&big, lim),
            Err(ServerError::MessageTooLarge { .. })
        ));
        // alert interleaved in a fragmented handshake message
        let mut b = record(22, &[2, 0, 0, 10, 1]);
        b.extend(record(21, &[2, 40]));
        assert_eq!(
            parse_server_flight(&b, lim),
            Err(ServerError::Interleaved(ContentType::ALERT))
        );
        // odd alert
        assert_eq!(
            parse_server_flight(&record(21, &[2]), lim),
            Err(ServerError::BadAlert(1))
        );
        // message before ServerHello
        assert!(matches!(
            parse_server_flight(&record(22, &hs(11, &[0, 0, 0])), lim),
            Err(ServerError::UnexpectedMessage { .. })
        ));
        // non-empty ServerHelloDone; duplicate ServerHello
        let sh = hs(2, &server_hello_body([5; 32], 0xc02f, &[]));
        let mut b = sh.clone();
        b.extend(hs(14, &[1]));
        assert!(parse_server_flight(&record(22, &b), lim).is_err());
        let mut b = sh.clone();
        b.extend(sh);
        assert!(matches!(
            parse_server_flight(&record(22, &b), lim),
            Err(ServerError::UnexpectedMessage { .. })
        ));
        // tests/hostile.rs: a zero-length handshake record is refused, not skipped
        assert_eq!(
            parse_server_flight(&[22, 3, 3, 0, 0], lim),
            Err(ServerError::InvalidValue("zero-length handshake record"))
        );
        // tests/hostile.rs: a record one byte over 2^14 + 2048 (RFC 5246 §6.2.3)
        assert_eq!(
            parse_server_flight(&[22, 3, 3, 0x48, 0x01], lim),
            Err(ServerError::RecordTooLarge {
                len: 16_384 + 2049,
                max: 16_384 + 2048
            })
        );
        // total cap
        let mut d = Deframer::new(Limits {
            max_total_bytes: 4,
            ..lim
        });
        assert!(d.push(&[22, 3, 3, 0, 1]).is_err());
        // two alerts in one record; CCS and opaque records
        let mut d = Deframer::new(lim);
        d.push(&record(21, &[1, 0, 2, 40])).unwrap();
        d.push(&record(20, &[1])).unwrap();
        d.push(&record(23, &[1, 2, 3])).unwrap();
        d.push(&[22, 3]).unwrap();
        assert_eq!(
            d.next_message().unwrap(),
            Some(Message::Alert(Alert {
                level: AlertLevel::WARNING,
                description: AlertDescription::CLOSE_NOTIFY
            }))
        );
        assert_eq!(
            d.next_message().unwrap(),
            Some(Message::Alert(Alert {
                level: AlertLevel::FATAL,
                description: AlertDescription::HANDSHAKE_FAILURE
            }))
        );
        assert_eq!(d.next_message().unwrap(), Some(Message::ChangeCipherSpec));
        assert_eq!(
            d.next_message().unwrap(),
            Some(Message::Opaque {
                content_type: ContentType::APPLICATION_DATA,
                len: 3
            })
        );
        assert_eq!(d.next_message().unwrap(), None);
        assert!(d.has_partial());
        assert_eq!(d.record_version(), Some(ProtocolVersion::TLS1_2));
    }

    #[test]
    fn certificate_and_status() {
        let body = [0, 0, 10, 0, 0, 2, 0x30, 0, 0, 0, 2, 0x30, 1];
        let c = truncations(&body, |b| CertificateChain::parse(b, 8));
        assert_eq!(c.certificates.len(), 2);
        assert_eq!(
            CertificateChain::parse(&body, 1),
            Err(ServerError::TooManyCertificates(1))
        );
        assert!(CertificateChain::parse(&[0, 0, 3, 0, 0, 0], 8).is_err());
        let s = truncations(&[1, 0, 0, 3, 0x30, 1, 0], CertificateStatus::parse);
        assert_eq!((s.status_type, s.response.len()), (1, 3));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"status_type":1,"response":"300100"}"#);
    }

    #[test]
    fn server_key_exchange_variants() {
        let v12 = ProtocolVersion::TLS1_2;
        // ECDHE_RSA, TLS 1.2: named curve x25519, 32-byte point, rsa_pss_rsae_sha256 sig of 2 bytes
        let mut ecdhe = vec![3, 0, 29, 32];
        ecdhe.extend_from_slice(&[9; 32]);
        ecdhe.extend_from_slice(&[8, 4, 0, 2, 1, 1]);
        let s = truncations(&ecdhe, |b| {
            ServerKeyExchange::parse(b, CipherSuite(0xc02f), v12)
        });
        assert_eq!(
            s,
            ServerKeyExchange::Ecdh {
                psk_identity_hint: None,
                curve: EcCurve::Named(NamedGroup::X25519),
                public_len: 32,
                signature: Some(SkeSignature {
                    scheme: Some(SignatureScheme::RSA_PSS_RSAE_SHA256),
                    len: 2
                })
            }
        );
        // explicit curve: not parsed further
        let s = ServerKeyExchange::parse(&[1, 5, 5, 5], CipherSuite(0xc02f), v12).unwrap();
        assert!(matches!(
            s,
            ServerKeyExchange::Ecdh {
                curve: EcCurve::ExplicitPrime,
                ..
            }
        ));
        // DHE_RSA, TLS 1.0: p = 0x00ff (8 bits after the zero byte), g = 2, Ys 1 byte, sig without scheme
        let dhe = [0, 2, 0, 0xff, 0, 1, 2, 0, 1, 7, 0, 2, 1, 1];
        let s = truncations(&dhe, |b| {
            ServerKeyExchange::parse(b, CipherSuite(0x0033), ProtocolVersion::TLS1_0)
        });
        assert_eq!(s.dh_prime_bits(), Some(8));
        assert!(matches!(
            s,
            ServerKeyExchange::Dh {
                signature: Some(SkeSignature {
                    scheme: None,
                    len: 2
                }),
                ..
            }
        ));
        // DH_anon: no signature; trailing bytes are an error
        assert!(ServerKeyExchange::parse(&dhe, CipherSuite(0x0034), v12).is_err());
        assert!(matches!(
            ServerKeyExchange::parse(&dhe[..10], CipherSuite(0x0034), v12).unwrap(),
            ServerKeyExchange::Dh {
                signature: None,
                ..
            }
        ));
        // empty p
        assert!(
            ServerKeyExchange::parse(&[0, 0, 0, 1, 2, 0, 1, 7], CipherSuite(0x0034), v12).is_err()
        );
        // PSK hint; DHE_PSK hint + params
        let s = ServerKeyExchange::parse(&[0, 2, b'h', b'i'], CipherSuite(0x008c), v12).unwrap();
        assert_eq!(
            s,
            ServerKeyExchange::Psk {
                psk_identity_hint: "hi".into()
            }
        );
        let s = ServerKeyExchange::parse(
            &[0, 0, 0, 1, 0xf7, 0, 1, 2, 0, 1, 7],
            CipherSuite(0x0090),
            v12,
        )
        .unwrap();
        assert!(matches!(
            s,
            ServerKeyExchange::Dh {
                psk_identity_hint: Some(_),
                signature: None,
                ..
            }
        ));
        // RSA_EXPORT temporary key
        let s = truncations(&[0, 2, 0xc0, 1, 0, 1, 3, 0, 1, 9], |b| {
            ServerKeyExchange::parse(b, CipherSuite(0x0003), ProtocolVersion::SSL3)
        });
        assert!(matches!(
            s,
            ServerKeyExchange::Rsa {
                signature: Some(SkeSignature {
                    scheme: None,
                    len: 1
                }),
                ..
            }
        ));
        // SRP and unknown suites are kept as lengths
        assert_eq!(
            ServerKeyExchange::parse(&[1, 2, 3], CipherSuite(0xc01d), v12).unwrap(),
            ServerKeyExchange::Other { len: 3 }
        );
        assert_eq!(
            ServerKeyExchange::parse(&[1, 2], CipherSuite(0xeeee), v12).unwrap(),
            ServerKeyExchange::Other { len: 2 }
        );
        assert_eq!(bit_len(&[0, 0, 1]), 1);
        assert_eq!(bit_len(&[0x80, 0]), 16);
        assert_eq!(bit_len(&[]), 0);
    }

    #[test]
    fn sslv2_server_hello() {
        // SERVER-HELLO: hit 0, cert type 1, version 0x0002, cert 2 bytes, 2 cipher specs, conn id 16
        let mut body = vec![4, 0, 1, 0, 2, 0, 2, 0, 6, 0, 16, 0x30, 0];
        body.extend_from_slice(&[1, 0, 0x80, 7, 0, 0xc0]);
        body.extend_from_slice(&[0xcc; 16]);
        let mut rec = vec![0x80 | (body.len() >> 8) as u8, body.len() as u8];
        rec.extend_from_slice(&body);
        for n in 0..rec.len() {
            assert_eq!(read_ssl2_record(&rec[..n]).unwrap(), None);
        }
        let r = read_ssl2_record(&rec).unwrap().unwrap();
        assert_eq!(r.consumed, rec.len());
        let m = truncations(r.body, Ssl2ServerMessage::parse);
        let Ssl2ServerMessage::ServerHello(h) = m else {
            panic!("{m:?}")
        };
        assert_eq!(
            h.cipher_kinds,
            [
                Ssl2CipherKind::RC4_128_WITH_MD5,
                Ssl2CipherKind::DES_192_EDE3_CBC_WITH_MD5
            ]
        );
        assert_eq!(
            (h.version, h.certificate.len(), h.connection_id_len),
            (ProtocolVersion::SSL2, 2, 16)
        );
        // ERROR message, 3-byte header with padding
        let rec = [0x00, 0x04, 1, 0, 0, 1, 0xee];
        let r = read_ssl2_record(&rec).unwrap().unwrap();
        assert_eq!(
            Ssl2ServerMessage::parse(r.body).unwrap(),
            Ssl2ServerMessage::Error(1)
        );
        assert!(read_ssl2_record(&[0x00, 0x01, 5, 0]).is_err());
        assert!(Ssl2ServerMessage::parse(&[9]).is_err());
        assert!(Ssl2ServerMessage::parse(&[4, 0, 1, 0, 2, 0, 0, 0, 2, 0, 0, 1, 2]).is_err());
    }
}

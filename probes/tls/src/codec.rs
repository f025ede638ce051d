//! The wire codec: a bounded [`Reader`] over untrusted bytes, length-prefixed writers, and the
//! open newtypes for TLS wire values.
//!
//! # Open enums
//!
//! Every wire value is a newtype over its integer (`CipherSuite(pub u16)`, ...) with one
//! associated `const` per known value and a `name()` that returns the registry name when the
//! value is known. Values we have never heard of are *data*, not errors: a scanner meets code
//! points newer than itself, and GREASE values (RFC 8701) on purpose.
//!
//! # Serialization
//!
//! All these newtypes serialize (serde) as **a string**: the IANA registry name when the value
//! is known (`"TLS_AES_128_GCM_SHA256"`, `"x25519"`, `"handshake_failure"`), otherwise the value
//! in lower-case hex with a `0x` prefix, zero-padded to the width of the field (`"0x0a0a"` for
//! a u16, `"0x7f"` for a u8). Deserialization accepts either form, and a bare integer.
//! GREASE values have no name, so they always serialize as hex and round-trip losslessly.

/// Why a [`Reader`] could not produce a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// The input ended before the field did.
    #[error("truncated {what}: needed {needed} bytes, {available} available")]
    Truncated {
        /// The field being read.
        what: &'static str,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// A length-delimited structure had bytes left over after its last field.
    #[error("{left} trailing bytes after {what}")]
    TrailingData {
        /// The structure that should have ended.
        what: &'static str,
        /// Bytes left unread.
        left: usize,
    },
}

/// A cursor over a byte slice that never reads past its end and never panics.
///
/// Every read names the field it reads (`what`), so that errors say where the input ended.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader over all of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// Bytes already read, counted from the start of this reader.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// Reads the next `n` bytes.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], CodecError> {
        let end = self.pos.checked_add(n);
        match end.and_then(|end| self.buf.get(self.pos..end)) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(CodecError::Truncated {
                what,
                needed: n,
                available: self.remaining(),
            }),
        }
    }

    /// Reads a fixed-size array (e.g. the 32-byte random).
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], CodecError> {
        let s = self.take(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// Reads one byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, CodecError> {
        let [b] = self.array::<1>(what)?;
        Ok(b)
    }

    /// Reads a big-endian u16.
    pub fn u16(&mut self, what: &'static str) -> Result<u16, CodecError> {
        Ok(u16::from_be_bytes(self.array::<2>(what)?))
    }

    /// Reads a big-endian 24-bit integer.
    pub fn u24(&mut self, what: &'static str) -> Result<u32, CodecError> {
        let [a, b, c] = self.array::<3>(what)?;
        Ok(u32::from_be_bytes([0, a, b, c]))
    }

    /// Reads a big-endian u32.
    pub fn u32(&mut self, what: &'static str) -> Result<u32, CodecError> {
        Ok(u32::from_be_bytes(self.array::<4>(what)?))
    }

    /// Reads a vector whose length is a u8 prefix (TLS `opaque x<0..2^8-1>`).
    pub fn vec_u8(&mut self, what: &'static str) -> Result<&'a [u8], CodecError> {
        let n = self.u8(what)?;
        self.take(usize::from(n), what)
    }

    /// Reads a vector whose length is a u16 prefix (TLS `opaque x<0..2^16-1>`).
    pub fn vec_u16(&mut self, what: &'static str) -> Result<&'a [u8], CodecError> {
        let n = self.u16(what)?;
        self.take(usize::from(n), what)
    }

    /// Reads a vector whose length is a u24 prefix (TLS `opaque x<0..2^24-1>`).
    pub fn vec_u24(&mut self, what: &'static str) -> Result<&'a [u8], CodecError> {
        let n = self.u24(what)?;
        self.take(n as usize, what)
    }

    /// A sub-reader over a u8-length-prefixed vector.
    pub fn sub_u8(&mut self, what: &'static str) -> Result<Reader<'a>, CodecError> {
        self.vec_u8(what).map(Reader::new)
    }

    /// A sub-reader over a u16-length-prefixed vector.
    pub fn sub_u16(&mut self, what: &'static str) -> Result<Reader<'a>, CodecError> {
        self.vec_u16(what).map(Reader::new)
    }

    /// A sub-reader over a u24-length-prefixed vector.
    pub fn sub_u24(&mut self, what: &'static str) -> Result<Reader<'a>, CodecError> {
        self.vec_u24(what).map(Reader::new)
    }

    /// Reads every byte that is left.
    pub fn rest(&mut self) -> &'a [u8] {
        let s = self.buf.get(self.pos..).unwrap_or_default();
        self.pos = self.buf.len();
        s
    }

    /// Fails with [`CodecError::TrailingData`] unless every byte has been read.
    pub fn finish(&self, what: &'static str) -> Result<(), CodecError> {
        match self.remaining() {
            0 => Ok(()),
            left => Err(CodecError::TrailingData { what, left }),
        }
    }
}

/// Why a message could not be encoded (a caller asked for a field longer than its length
/// prefix can express). Never caused by network input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} is {len} bytes, more than its length prefix allows ({max})")]
pub struct EncodeError {
    /// The field that is too long.
    pub what: &'static str,
    /// Its length in bytes.
    pub len: usize,
    /// The largest length the prefix can express.
    pub max: usize,
}

/// Width of a length prefix, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LenPrefix {
    /// One byte (max 255).
    U8,
    /// Two bytes (max 65 535).
    U16,
    /// Three bytes (max 16 777 215).
    U24,
}

impl LenPrefix {
    fn max(self) -> usize {
        match self {
            Self::U8 => 0xff,
            Self::U16 => 0xffff,
            Self::U24 => 0xff_ffff,
        }
    }
}

/// Appends a length prefix of `width`, then whatever `body` writes, then patches the length.
pub fn put_prefixed(
    out: &mut Vec<u8>,
    width: LenPrefix,
    what: &'static str,
    body: impl FnOnce(&mut Vec<u8>) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    let at = out.len();
    let n = match width {
        LenPrefix::U8 => 1,
        LenPrefix::U16 => 2,
        LenPrefix::U24 => 3,
    };
    out.extend(std::iter::repeat_n(0, n));
    body(out)?;
    let len = out.len() - at - n;
    if len > width.max() {
        return Err(EncodeError {
            what,
            len,
            max: width.max(),
        });
    }
    let be = (len as u32).to_be_bytes();
    let src = be.get(4 - n..).unwrap_or_default();
    if let Some(dst) = out.get_mut(at..at + n) {
        dst.copy_from_slice(src);
    }
    Ok(())
}

/// Appends `bytes` behind a length prefix of `width`.
pub fn put_vec(
    out: &mut Vec<u8>,
    width: LenPrefix,
    what: &'static str,
    bytes: &[u8],
) -> Result<(), EncodeError> {
    put_prefixed(out, width, what, |o| {
        o.extend_from_slice(bytes);
        Ok(())
    })
}

/// True for the GREASE values of RFC 8701 (0x0A0A, 0x1A1A, ... 0xFAFA) in u16 registries.
pub fn is_grease_u16(v: u16) -> bool {
    let [hi, lo] = v.to_be_bytes();
    hi == lo && hi & 0x0f == 0x0a
}

/// Defines an open newtype over a wire integer with named constants (see the module docs).
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident($ty:ty), hex_width = $w:literal;
        $( $cname:ident = $val:literal => $str:literal, )*
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $ty);

        impl $name {
            $(
                #[doc = concat!("`", $str, "` (", stringify!($val), ")")]
                pub const $cname: Self = Self($val);
            )*

            /// Every value this crate has a name for, in registry order.
            pub const KNOWN: &'static [Self] = &[$(Self::$cname),*];

            /// The registry name, or `None` for a value this crate does not know.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $val => Some($str), )*
                    _ => None,
                }
            }

            /// The value with this registry name, if any.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $( $str => Some(Self($val)), )*
                    _ => None,
                }
            }
        }

        $crate::codec::wire_enum_impls!($name($ty), $w);
    };
}

/// Debug/Display/serde for a newtype that has `name()` and `from_name()`.
macro_rules! wire_enum_impls {
    ($name:ident($ty:ty), $w:literal) => {
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "{}(0x{:0w$x})", stringify!($name), self.0, w = $w),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "0x{:0w$x}", self.0, w = $w),
                }
            }
        }

        impl From<$ty> for $name {
            fn from(v: $ty) -> Self {
                Self(v)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl ::serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!(
                            "a ",
                            stringify!($name),
                            " name, 0x-hex string or integer"
                        ))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        if let Some(x) = $name::from_name(v) {
                            return Ok(x);
                        }
                        v.strip_prefix("0x")
                            .and_then(|h| <$ty>::from_str_radix(h, 16).ok())
                            .map($name)
                            .ok_or_else(|| E::invalid_value(::serde::de::Unexpected::Str(v), &self))
                    }
                    fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> Result<$name, E> {
                        <$ty>::try_from(v).map($name).map_err(|_| {
                            E::invalid_value(::serde::de::Unexpected::Unsigned(v), &self)
                        })
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}
pub(crate) use wire_enum_impls;

/// A TLS cipher suite code point (IANA TLS Cipher Suites registry). Its named constants,
/// names and facts come from the one table in [`crate::suites`] (generated from
/// `data/cipher-suites.tsv`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CipherSuite(pub u16);

impl CipherSuite {
    /// The IANA name, or `None` for a code point not in the registry table.
    pub fn name(self) -> Option<&'static str> {
        crate::suites::suite_info(self).map(|i| i.iana_name)
    }

    /// The suite with this IANA name, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        crate::suites::CIPHER_SUITES
            .iter()
            .find(|i| i.iana_name == name)
            .map(|i| i.suite)
    }

    /// True for the RFC 8701 GREASE values.
    pub fn is_grease(self) -> bool {
        is_grease_u16(self.0)
    }
}

wire_enum_impls!(CipherSuite(u16), 4);

wire_enum! {
    /// A protocol version as it appears on the wire (record layer, `legacy_version`,
    /// `supported_versions`). SSL 2.0 is 0x0002 (draft-hickman); TLS 1.3 drafts used 0x7fXX.
    ProtocolVersion(u16), hex_width = 4;
    SSL2 = 0x0002 => "SSLv2",
    SSL3 = 0x0300 => "SSLv3",
    TLS1_0 = 0x0301 => "TLSv1.0",
    TLS1_1 = 0x0302 => "TLSv1.1",
    TLS1_2 = 0x0303 => "TLSv1.2",
    TLS1_3 = 0x0304 => "TLSv1.3",
    DTLS1_0 = 0xfeff => "DTLSv1.0",
    DTLS1_2 = 0xfefd => "DTLSv1.2",
    DTLS1_3 = 0xfefc => "DTLSv1.3",
}

impl ProtocolVersion {
    /// True for the RFC 8701 GREASE values.
    pub fn is_grease(self) -> bool {
        is_grease_u16(self.0)
    }
}

wire_enum! {
    /// TLS record content type (IANA TLS ContentType registry).
    ContentType(u8), hex_width = 2;
    CHANGE_CIPHER_SPEC = 20 => "change_cipher_spec",
    ALERT = 21 => "alert",
    HANDSHAKE = 22 => "handshake",
    APPLICATION_DATA = 23 => "application_data",
    HEARTBEAT = 24 => "heartbeat",
    TLS12_CID = 25 => "tls12_cid",
    ACK = 26 => "ACK",
    RETURN_ROUTABILITY_CHECK = 27 => "return_routability_check",
}

wire_enum! {
    /// Handshake message type (IANA TLS HandshakeType registry).
    HandshakeType(u8), hex_width = 2;
    HELLO_REQUEST = 0 => "hello_request",
    CLIENT_HELLO = 1 => "client_hello",
    SERVER_HELLO = 2 => "server_hello",
    HELLO_VERIFY_REQUEST = 3 => "hello_verify_request",
    NEW_SESSION_TICKET = 4 => "new_session_ticket",
    END_OF_EARLY_DATA = 5 => "end_of_early_data",
    HELLO_RETRY_REQUEST = 6 => "hello_retry_request",
    ENCRYPTED_EXTENSIONS = 8 => "encrypted_extensions",
    REQUEST_CONNECTION_ID = 9 => "request_connection_id",
    NEW_CONNECTION_ID = 10 => "new_connection_id",
    CERTIFICATE = 11 => "certificate",
    SERVER_KEY_EXCHANGE = 12 => "server_key_exchange",
    CERTIFICATE_REQUEST = 13 => "certificate_request",
    SERVER_HELLO_DONE = 14 => "server_hello_done",
    CERTIFICATE_VERIFY = 15 => "certificate_verify",
    CLIENT_KEY_EXCHANGE = 16 => "client_key_exchange",
    CLIENT_CERTIFICATE_REQUEST = 17 => "client_certificate_request",
    FINISHED = 20 => "finished",
    CERTIFICATE_URL = 21 => "certificate_url",
    CERTIFICATE_STATUS = 22 => "certificate_status",
    SUPPLEMENTAL_DATA = 23 => "supplemental_data",
    KEY_UPDATE = 24 => "key_update",
    COMPRESSED_CERTIFICATE = 25 => "compressed_certificate",
    EKT_KEY = 26 => "ekt_key",
    MESSAGE_HASH = 254 => "message_hash",
}

wire_enum! {
    /// Alert level (RFC 5246 section 7.2).
    AlertLevel(u8), hex_width = 2;
    WARNING = 1 => "warning",
    FATAL = 2 => "fatal",
}

wire_enum! {
    /// Alert description (IANA TLS Alerts registry).
    AlertDescription(u8), hex_width = 2;
    CLOSE_NOTIFY = 0 => "close_notify",
    UNEXPECTED_MESSAGE = 10 => "unexpected_message",
    BAD_RECORD_MAC = 20 => "bad_record_mac",
    DECRYPTION_FAILED = 21 => "decryption_failed",
    RECORD_OVERFLOW = 22 => "record_overflow",
    DECOMPRESSION_FAILURE = 30 => "decompression_failure",
    HANDSHAKE_FAILURE = 40 => "handshake_failure",
    NO_CERTIFICATE = 41 => "no_certificate",
    BAD_CERTIFICATE = 42 => "bad_certificate",
    UNSUPPORTED_CERTIFICATE = 43 => "unsupported_certificate",
    CERTIFICATE_REVOKED = 44 => "certificate_revoked",
    CERTIFICATE_EXPIRED = 45 => "certificate_expired",
    CERTIFICATE_UNKNOWN = 46 => "certificate_unknown",
    ILLEGAL_PARAMETER = 47 => "illegal_parameter",
    UNKNOWN_CA = 48 => "unknown_ca",
    ACCESS_DENIED = 49 => "access_denied",
    DECODE_ERROR = 50 => "decode_error",
    DECRYPT_ERROR = 51 => "decrypt_error",
    TOO_MANY_CIDS_REQUESTED = 52 => "too_many_cids_requested",
    EXPORT_RESTRICTION = 60 => "export_restriction",
    PROTOCOL_VERSION = 70 => "protocol_version",
    INSUFFICIENT_SECURITY = 71 => "insufficient_security",
    INTERNAL_ERROR = 80 => "internal_error",
    INAPPROPRIATE_FALLBACK = 86 => "inappropriate_fallback",
    USER_CANCELED = 90 => "user_canceled",
    NO_RENEGOTIATION = 100 => "no_renegotiation",
    MISSING_EXTENSION = 109 => "missing_extension",
    UNSUPPORTED_EXTENSION = 110 => "unsupported_extension",
    CERTIFICATE_UNOBTAINABLE = 111 => "certificate_unobtainable",
    UNRECOGNIZED_NAME = 112 => "unrecognized_name",
    BAD_CERTIFICATE_STATUS_RESPONSE = 113 => "bad_certificate_status_response",
    BAD_CERTIFICATE_HASH_VALUE = 114 => "bad_certificate_hash_value",
    UNKNOWN_PSK_IDENTITY = 115 => "unknown_psk_identity",
    CERTIFICATE_REQUIRED = 116 => "certificate_required",
    GENERAL_ERROR = 117 => "general_error",
    NO_APPLICATION_PROTOCOL = 120 => "no_application_protocol",
    ECH_REQUIRED = 121 => "ech_required",
}

wire_enum! {
    /// Extension type (IANA TLS ExtensionType Values registry; plus the unregistered but
    /// widely deployed `next_protocol_negotiation` 0x3374 and `application_settings` 0x4469).
    ExtensionType(u16), hex_width = 4;
    SERVER_NAME = 0 => "server_name",
    MAX_FRAGMENT_LENGTH = 1 => "max_fragment_length",
    CLIENT_CERTIFICATE_URL = 2 => "client_certificate_url",
    TRUSTED_CA_KEYS = 3 => "trusted_ca_keys",
    TRUNCATED_HMAC = 4 => "truncated_hmac",
    STATUS_REQUEST = 5 => "status_request",
    USER_MAPPING = 6 => "user_mapping",
    CLIENT_AUTHZ = 7 => "client_authz",
    SERVER_AUTHZ = 8 => "server_authz",
    CERT_TYPE = 9 => "cert_type",
    SUPPORTED_GROUPS = 10 => "supported_groups",
    EC_POINT_FORMATS = 11 => "ec_point_formats",
    SRP = 12 => "srp",
    SIGNATURE_ALGORITHMS = 13 => "signature_algorithms",
    USE_SRTP = 14 => "use_srtp",
    HEARTBEAT = 15 => "heartbeat",
    ALPN = 16 => "application_layer_protocol_negotiation",
    STATUS_REQUEST_V2 = 17 => "status_request_v2",
    SIGNED_CERTIFICATE_TIMESTAMP = 18 => "signed_certificate_timestamp",
    CLIENT_CERTIFICATE_TYPE = 19 => "client_certificate_type",
    SERVER_CERTIFICATE_TYPE = 20 => "server_certificate_type",
    PADDING = 21 => "padding",
    ENCRYPT_THEN_MAC = 22 => "encrypt_then_mac",
    EXTENDED_MASTER_SECRET = 23 => "extended_master_secret",
    TOKEN_BINDING = 24 => "token_binding",
    CACHED_INFO = 25 => "cached_info",
    TLS_LTS = 26 => "tls_lts",
    COMPRESS_CERTIFICATE = 27 => "compress_certificate",
    RECORD_SIZE_LIMIT = 28 => "record_size_limit",
    PWD_PROTECT = 29 => "pwd_protect",
    PWD_CLEAR = 30 => "pwd_clear",
    PASSWORD_SALT = 31 => "password_salt",
    TICKET_PINNING = 32 => "ticket_pinning",
    TLS_CERT_WITH_EXTERN_PSK = 33 => "tls_cert_with_extern_psk",
    DELEGATED_CREDENTIAL = 34 => "delegated_credential",
    SESSION_TICKET = 35 => "session_ticket",
    TLMSP = 36 => "TLMSP",
    TLMSP_PROXYING = 37 => "TLMSP_proxying",
    TLMSP_DELEGATE = 38 => "TLMSP_delegate",
    SUPPORTED_EKT_CIPHERS = 39 => "supported_ekt_ciphers",
    PRE_SHARED_KEY = 41 => "pre_shared_key",
    EARLY_DATA = 42 => "early_data",
    SUPPORTED_VERSIONS = 43 => "supported_versions",
    COOKIE = 44 => "cookie",
    PSK_KEY_EXCHANGE_MODES = 45 => "psk_key_exchange_modes",
    CERTIFICATE_AUTHORITIES = 47 => "certificate_authorities",
    OID_FILTERS = 48 => "oid_filters",
    POST_HANDSHAKE_AUTH = 49 => "post_handshake_auth",
    SIGNATURE_ALGORITHMS_CERT = 50 => "signature_algorithms_cert",
    KEY_SHARE = 51 => "key_share",
    TRANSPARENCY_INFO = 52 => "transparency_info",
    CONNECTION_ID = 54 => "connection_id",
    EXTERNAL_ID_HASH = 55 => "external_id_hash",
    EXTERNAL_SESSION_ID = 56 => "external_session_id",
    QUIC_TRANSPORT_PARAMETERS = 57 => "quic_transport_parameters",
    TICKET_REQUEST = 58 => "ticket_request",
    DNSSEC_CHAIN = 59 => "dnssec_chain",
    SEQUENCE_NUMBER_ENCRYPTION_ALGORITHMS = 60 => "sequence_number_encryption_algorithms",
    RRC = 61 => "rrc",
    TLS_FLAGS = 62 => "tls_flags",
    NEXT_PROTOCOL_NEGOTIATION = 0x3374 => "next_protocol_negotiation",
    APPLICATION_SETTINGS = 0x4469 => "application_settings",
    ECH_OUTER_EXTENSIONS = 0xfd00 => "ech_outer_extensions",
    ENCRYPTED_CLIENT_HELLO = 0xfe0d => "encrypted_client_hello",
    RENEGOTIATION_INFO = 0xff01 => "renegotiation_info",
}

impl ExtensionType {
    /// True for the RFC 8701 GREASE values.
    pub fn is_grease(self) -> bool {
        is_grease_u16(self.0)
    }
}

wire_enum! {
    /// A key-exchange group (IANA TLS Supported Groups registry; called "elliptic curves"
    /// before RFC 7919). Facts per group (kind, key-share length) are in
    /// [`crate::suites::group_info`].
    NamedGroup(u16), hex_width = 4;
    SECT163K1 = 1 => "sect163k1",
    SECT163R1 = 2 => "sect163r1",
    SECT163R2 = 3 => "sect163r2",
    SECT193R1 = 4 => "sect193r1",
    SECT193R2 = 5 => "sect193r2",
    SECT233K1 = 6 => "sect233k1",
    SECT233R1 = 7 => "sect233r1",
    SECT239K1 = 8 => "sect239k1",
    SECT283K1 = 9 => "sect283k1",
    SECT283R1 = 10 => "sect283r1",
    SECT409K1 = 11 => "sect409k1",
    SECT409R1 = 12 => "sect409r1",
    SECT571K1 = 13 => "sect571k1",
    SECT571R1 = 14 => "sect571r1",
    SECP160K1 = 15 => "secp160k1",
    SECP160R1 = 16 => "secp160r1",
    SECP160R2 = 17 => "secp160r2",
    SECP192K1 = 18 => "secp192k1",
    SECP192R1 = 19 => "secp192r1",
    SECP224K1 = 20 => "secp224k1",
    SECP224R1 = 21 => "secp224r1",
    SECP256K1 = 22 => "secp256k1",
    SECP256R1 = 23 => "secp256r1",
    SECP384R1 = 24 => "secp384r1",
    SECP521R1 = 25 => "secp521r1",
    BRAINPOOLP256R1 = 26 => "brainpoolP256r1",
    BRAINPOOLP384R1 = 27 => "brainpoolP384r1",
    BRAINPOOLP512R1 = 28 => "brainpoolP512r1",
    X25519 = 29 => "x25519",
    X448 = 30 => "x448",
    BRAINPOOLP256R1_TLS13 = 31 => "brainpoolP256r1tls13",
    BRAINPOOLP384R1_TLS13 = 32 => "brainpoolP384r1tls13",
    BRAINPOOLP512R1_TLS13 = 33 => "brainpoolP512r1tls13",
    GC256A = 34 => "GC256A",
    GC256B = 35 => "GC256B",
    GC256C = 36 => "GC256C",
    GC256D = 37 => "GC256D",
    GC512A = 38 => "GC512A",
    GC512B = 39 => "GC512B",
    GC512C = 40 => "GC512C",
    CURVE_SM2 = 41 => "curveSM2",
    FFDHE2048 = 256 => "ffdhe2048",
    FFDHE3072 = 257 => "ffdhe3072",
    FFDHE4096 = 258 => "ffdhe4096",
    FFDHE6144 = 259 => "ffdhe6144",
    FFDHE8192 = 260 => "ffdhe8192",
    MLKEM512 = 0x0200 => "MLKEM512",
    MLKEM768 = 0x0201 => "MLKEM768",
    MLKEM1024 = 0x0202 => "MLKEM1024",
    SECP256R1_MLKEM768 = 0x11eb => "SecP256r1MLKEM768",
    X25519_MLKEM768 = 0x11ec => "X25519MLKEM768",
    SECP384R1_MLKEM1024 = 0x11ed => "SecP384r1MLKEM1024",
    X25519_KYBER768_DRAFT00 = 0x6399 => "X25519Kyber768Draft00",
    SECP256R1_KYBER768_DRAFT00 = 0x639a => "SecP256r1Kyber768Draft00",
    ARBITRARY_EXPLICIT_PRIME_CURVES = 0xff01 => "arbitrary_explicit_prime_curves",
    ARBITRARY_EXPLICIT_CHAR2_CURVES = 0xff02 => "arbitrary_explicit_char2_curves",
}

impl NamedGroup {
    /// True for the RFC 8701 GREASE values (0x0A0A, 0x1A1A, ...).
    pub fn is_grease(self) -> bool {
        is_grease_u16(self.0)
    }
}

wire_enum! {
    /// A signature scheme (IANA TLS SignatureScheme registry, RFC 8446 section 4.2.3). In
    /// TLS 1.2 the same two bytes are a (HashAlgorithm, SignatureAlgorithm) pair (RFC 5246
    /// section 7.4.1.4.1); the pairs that never became schemes are named `<sig>_<hash>` here.
    SignatureScheme(u16), hex_width = 4;
    RSA_MD5 = 0x0101 => "rsa_md5",
    DSA_MD5 = 0x0102 => "dsa_md5",
    ECDSA_MD5 = 0x0103 => "ecdsa_md5",
    RSA_PKCS1_SHA1 = 0x0201 => "rsa_pkcs1_sha1",
    DSA_SHA1 = 0x0202 => "dsa_sha1",
    ECDSA_SHA1 = 0x0203 => "ecdsa_sha1",
    RSA_SHA224 = 0x0301 => "rsa_sha224",
    DSA_SHA224 = 0x0302 => "dsa_sha224",
    ECDSA_SHA224 = 0x0303 => "ecdsa_sha224",
    RSA_PKCS1_SHA256 = 0x0401 => "rsa_pkcs1_sha256",
    DSA_SHA256 = 0x0402 => "dsa_sha256",
    ECDSA_SECP256R1_SHA256 = 0x0403 => "ecdsa_secp256r1_sha256",
    RSA_PKCS1_SHA256_LEGACY = 0x0420 => "rsa_pkcs1_sha256_legacy",
    RSA_PKCS1_SHA384 = 0x0501 => "rsa_pkcs1_sha384",
    DSA_SHA384 = 0x0502 => "dsa_sha384",
    ECDSA_SECP384R1_SHA384 = 0x0503 => "ecdsa_secp384r1_sha384",
    RSA_PKCS1_SHA384_LEGACY = 0x0520 => "rsa_pkcs1_sha384_legacy",
    RSA_PKCS1_SHA512 = 0x0601 => "rsa_pkcs1_sha512",
    DSA_SHA512 = 0x0602 => "dsa_sha512",
    ECDSA_SECP521R1_SHA512 = 0x0603 => "ecdsa_secp521r1_sha512",
    RSA_PKCS1_SHA512_LEGACY = 0x0620 => "rsa_pkcs1_sha512_legacy",
    ECCSI_SHA256 = 0x0704 => "eccsi_sha256",
    ISO_IBS1 = 0x0705 => "iso_ibs1",
    ISO_IBS2 = 0x0706 => "iso_ibs2",
    ISO_CHINESE_IBS = 0x0707 => "iso_chinese_ibs",
    SM2SIG_SM3 = 0x0708 => "sm2sig_sm3",
    GOSTR34102012_256A = 0x0709 => "gostr34102012_256a",
    GOSTR34102012_256B = 0x070a => "gostr34102012_256b",
    GOSTR34102012_256C = 0x070b => "gostr34102012_256c",
    GOSTR34102012_256D = 0x070c => "gostr34102012_256d",
    GOSTR34102012_512A = 0x070d => "gostr34102012_512a",
    GOSTR34102012_512B = 0x070e => "gostr34102012_512b",
    GOSTR34102012_512C = 0x070f => "gostr34102012_512c",
    RSA_PSS_RSAE_SHA256 = 0x0804 => "rsa_pss_rsae_sha256",
    RSA_PSS_RSAE_SHA384 = 0x0805 => "rsa_pss_rsae_sha384",
    RSA_PSS_RSAE_SHA512 = 0x0806 => "rsa_pss_rsae_sha512",
    ED25519 = 0x0807 => "ed25519",
    ED448 = 0x0808 => "ed448",
    RSA_PSS_PSS_SHA256 = 0x0809 => "rsa_pss_pss_sha256",
    RSA_PSS_PSS_SHA384 = 0x080a => "rsa_pss_pss_sha384",
    RSA_PSS_PSS_SHA512 = 0x080b => "rsa_pss_pss_sha512",
    ECDSA_BRAINPOOLP256R1TLS13_SHA256 = 0x081a => "ecdsa_brainpoolP256r1tls13_sha256",
    ECDSA_BRAINPOOLP384R1TLS13_SHA384 = 0x081b => "ecdsa_brainpoolP384r1tls13_sha384",
    ECDSA_BRAINPOOLP512R1TLS13_SHA512 = 0x081c => "ecdsa_brainpoolP512r1tls13_sha512",
    MLDSA44 = 0x0904 => "mldsa44",
    MLDSA65 = 0x0905 => "mldsa65",
    MLDSA87 = 0x0906 => "mldsa87",
}

impl SignatureScheme {
    /// True for the RFC 8701 GREASE values.
    pub fn is_grease(self) -> bool {
        is_grease_u16(self.0)
    }
}

wire_enum! {
    /// An SSL 2.0 cipher kind: a 3-byte code (draft-hickman-netscape-ssl-00 Appendix C; RFC
    /// 6101 Appendix E). Names are the draft's, without the `SSL_CK_` prefix.
    Ssl2CipherKind(u32), hex_width = 6;
    RC4_128_WITH_MD5 = 0x010080 => "SSL_CK_RC4_128_WITH_MD5",
    RC4_128_EXPORT40_WITH_MD5 = 0x020080 => "SSL_CK_RC4_128_EXPORT40_WITH_MD5",
    RC2_128_CBC_WITH_MD5 = 0x030080 => "SSL_CK_RC2_128_CBC_WITH_MD5",
    RC2_128_CBC_EXPORT40_WITH_MD5 = 0x040080 => "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5",
    IDEA_128_CBC_WITH_MD5 = 0x050080 => "SSL_CK_IDEA_128_CBC_WITH_MD5",
    DES_64_CBC_WITH_MD5 = 0x060040 => "SSL_CK_DES_64_CBC_WITH_MD5",
    DES_192_EDE3_CBC_WITH_MD5 = 0x0700c0 => "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
}

/// Lower-case hex of `b` (for evidence fields that carry raw bytes).
pub(crate) fn hex(b: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(char::from(
            HEX.get(usize::from(x >> 4)).copied().unwrap_or(b'0'),
        ));
        s.push(char::from(
            HEX.get(usize::from(x & 0xf)).copied().unwrap_or(b'0'),
        ));
    }
    s
}

/// One TLS record (RFC 5246 §6.2.1): type, version, u16 length, payload (a payload longer
/// than 2^16 − 1 bytes is not expected here and gets its length clamped).
pub(crate) fn record(typ: u8, version: ProtocolVersion, payload: &[u8]) -> Vec<u8> {
    let mut r = vec![typ];
    r.extend_from_slice(&version.0.to_be_bytes());
    let len = u16::try_from(payload.len()).unwrap_or(u16::MAX);
    r.extend_from_slice(&len.to_be_bytes());
    r.extend_from_slice(payload);
    r
}

/// The first complete record in `buf`: (content type, fragment, bytes it took); `None` while
/// it is incomplete. For the few places that read records after the deframer's flight.
pub(crate) fn next_record(buf: &[u8]) -> Option<(u8, Vec<u8>, usize)> {
    let typ = *buf.first()?;
    let len = usize::from(u16::from_be_bytes([*buf.get(3)?, *buf.get(4)?]));
    let frag = buf.get(5..5 + len)?;
    Some((typ, frag.to_vec(), 5 + len))
}

/// Split the complete TLS records out of `buf` as (content type, fragment) pairs; an
/// incomplete tail is ignored. The reader of what a server sends after its first flight (the
/// CCS-injection, fallback and SSL 2.0 checks); fuzzed by the `tls_records` target.
pub fn split_records(buf: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut rest = buf;
    while let Some((typ, frag, used)) = next_record(rest) {
        out.push((typ, frag));
        rest = rest.get(used..).unwrap_or_default();
    }
    out
}

/// The description of the first alert record (content type 21) among `records`, if any.
pub fn first_alert(records: &[(u8, Vec<u8>)]) -> Option<AlertDescription> {
    records
        .iter()
        .find(|(t, _)| *t == 21)
        .and_then(|(_, f)| f.get(1).copied())
        .map(AlertDescription)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_reads_and_bounds() {
        let mut r = Reader::new(&[1, 0, 2, 0, 0, 3, 0, 0, 0, 4, 2, 0xaa, 0xbb, 9]);
        assert_eq!(r.u8("a").unwrap(), 1);
        assert_eq!(r.u16("b").unwrap(), 2);
        assert_eq!(r.u24("c").unwrap(), 3);
        assert_eq!(r.u32("d").unwrap(), 4);
        let mut sub = r.sub_u8("e").unwrap();
        assert_eq!(sub.rest(), &[0xaa, 0xbb]);
        assert!(sub.is_empty());
        assert_eq!(
            r.finish("f"),
            Err(CodecError::TrailingData { what: "f", left: 1 })
        );
        assert_eq!(r.rest(), &[9]);
        assert_eq!(
            r.u16("g"),
            Err(CodecError::Truncated {
                what: "g",
                needed: 2,
                available: 0
            })
        );
        assert_eq!(r.rest(), &[] as &[u8]);
        assert!(r.finish("h").is_ok());
    }

    #[test]
    fn reader_truncation_never_panics() {
        let full = [0u8, 3, 1, 2, 3, 0, 0, 1, 7];
        for n in 0..full.len() {
            let mut r = Reader::new(&full[..n]);
            let res = r
                .vec_u16("v")
                .and_then(|_| r.vec_u24("w"))
                .and_then(|_| r.u8("x"));
            assert!(res.is_err(), "prefix {n} should fail");
        }
        let mut r = Reader::new(&full);
        assert!(r.vec_u16("v").is_ok() && r.vec_u24("w").is_ok() && r.u8("x").is_err());
        // huge declared length
        let mut r = Reader::new(&[0xff, 0xff, 0xff]);
        assert!(r.vec_u24("big").is_err());
    }

    #[test]
    fn prefixed_writer() {
        let mut v = Vec::new();
        put_vec(&mut v, LenPrefix::U24, "x", &[1, 2]).unwrap();
        assert_eq!(v, [0, 0, 2, 1, 2]);
        let mut v = Vec::new();
        let e = put_vec(&mut v, LenPrefix::U8, "y", &[0; 256]).unwrap_err();
        assert_eq!(e.max, 255);
    }

    #[test]
    fn names_hex_and_serde() {
        assert_eq!(NamedGroup::X25519.name(), Some("x25519"));
        assert_eq!(NamedGroup(0x0a0a).name(), None);
        assert!(NamedGroup(0x0a0a).is_grease());
        assert!(!NamedGroup(0x0a1a).is_grease());
        assert_eq!(format!("{:?}", NamedGroup(0x1234)), "NamedGroup(0x1234)");
        assert_eq!(NamedGroup(0x1234).to_string(), "0x1234");
        assert_eq!(AlertDescription(0x7f).to_string(), "0x7f");
        assert_eq!(
            serde_json::to_string(&[NamedGroup::X25519_MLKEM768, NamedGroup(0xabcd)]).unwrap(),
            r#"["X25519MLKEM768","0xabcd"]"#
        );
        let back: Vec<NamedGroup> =
            serde_json::from_str(r#"["X25519MLKEM768","0xabcd",23]"#).unwrap();
        assert_eq!(
            back,
            [
                NamedGroup::X25519_MLKEM768,
                NamedGroup(0xabcd),
                NamedGroup::SECP256R1
            ]
        );
        assert!(serde_json::from_str::<AlertDescription>("300").is_err());
        assert!(serde_json::from_str::<AlertDescription>(r#""nope""#).is_err());
        assert_eq!(
            serde_json::to_string(&CipherSuite(0x1301)).unwrap(),
            r#""TLS_AES_128_GCM_SHA256""#
        );
        assert_eq!(
            serde_json::from_str::<CipherSuite>(r#""TLS_RSA_WITH_RC4_128_MD5""#).unwrap(),
            CipherSuite(0x0004)
        );
        assert_eq!(
            Ssl2CipherKind::DES_192_EDE3_CBC_WITH_MD5.to_string(),
            "SSL_CK_DES_192_EDE3_CBC_WITH_MD5"
        );
        assert_eq!(Ssl2CipherKind(0x080080).to_string(), "0x080080");
        for v in ExtensionType::KNOWN {
            assert_eq!(ExtensionType::from_name(v.name().unwrap()), Some(*v));
        }
    }
}

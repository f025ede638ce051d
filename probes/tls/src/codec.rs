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

use std::fmt;

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
pub(crate) use wire_enum;

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
                        f.write_str(concat!("a ", stringify!($name), " name, 0x-hex string or integer"))
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
                        <$ty>::try_from(v)
                            .map($name)
                            .map_err(|_| E::invalid_value(::serde::de::Unexpected::Unsigned(v), &self))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}
pub(crate) use wire_enum_impls;

/// Hex for logs and Debug output of byte strings.
pub(crate) struct Hex<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

wire_enum! {
    /// A TLS cipher suite code point (IANA TLS Cipher Suites registry). The named constants,
    /// names and facts come from the one table in [`crate::suites`].
    CipherSuite(u16), hex_width = 4;
}

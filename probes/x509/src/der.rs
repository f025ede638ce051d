//! A small, bounded DER reader for the structures x509-parser does not cover (OCSP, the TLS
//! feature extension, trust-anchor fields). Single-byte tags only, definite lengths of at most
//! four length octets, every read checked against the remaining input: it never panics and never
//! allocates.

/// Why a DER read failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DerError {
    /// The input ended inside a tag, a length or a value.
    Truncated,
    /// A high-tag-number form, an indefinite or non-minimal length, or a length over 4 octets.
    Unsupported,
    /// A different tag than the one required.
    UnexpectedTag {
        /// The tag wanted.
        want: u8,
        /// The tag found.
        got: u8,
    },
}

/// One tag-length-value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    /// The tag byte.
    pub(crate) tag: u8,
    /// The value octets.
    pub(crate) value: &'a [u8],
    /// Tag, length and value together.
    pub(crate) raw: &'a [u8],
}

/// A cursor over DER input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Der<'a> {
    buf: &'a [u8],
}

pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const OID: u8 = 0x06;
pub(crate) const ENUMERATED: u8 = 0x0a;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;

impl<'a> Der<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self { buf }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.buf.first().copied()
    }

    /// Reads the next TLV.
    pub(crate) fn read(&mut self) -> Result<Tlv<'a>, DerError> {
        let (&tag, rest) = self.buf.split_first().ok_or(DerError::Truncated)?;
        if tag & 0x1f == 0x1f {
            return Err(DerError::Unsupported);
        }
        let (&first, mut rest) = rest.split_first().ok_or(DerError::Truncated)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return Err(DerError::Unsupported);
            }
            let (octets, after) = rest.split_at_checked(n).ok_or(DerError::Truncated)?;
            rest = after;
            let mut len = 0usize;
            for &b in octets {
                len = (len << 8) | usize::from(b);
            }
            if len < 0x80 || octets.first() == Some(&0) {
                return Err(DerError::Unsupported);
            }
            len
        };
        let (value, after) = rest.split_at_checked(len).ok_or(DerError::Truncated)?;
        let header = self.buf.len() - rest.len();
        let raw = self.buf.get(..header + len).ok_or(DerError::Truncated)?;
        self.buf = after;
        Ok(Tlv { tag, value, raw })
    }

    /// Reads the next TLV, which must have this tag; returns its value.
    pub(crate) fn expect(&mut self, want: u8) -> Result<&'a [u8], DerError> {
        let tlv = self.read()?;
        if tlv.tag == want {
            Ok(tlv.value)
        } else {
            Err(DerError::UnexpectedTag { want, got: tlv.tag })
        }
    }

    /// Reads the next TLV if it has this tag.
    pub(crate) fn optional(&mut self, want: u8) -> Result<Option<&'a [u8]>, DerError> {
        if self.peek_tag() == Some(want) {
            self.expect(want).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Wraps content octets in a SEQUENCE header (trust anchors keep only the contents).
pub(crate) fn wrap_sequence(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(SEQUENCE);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let sig = bytes.get(skip..).unwrap_or(&[]);
        out.push(0x80 | sig.len() as u8);
        out.extend_from_slice(sig);
    }
    out.extend_from_slice(content);
    out
}

/// Dotted-decimal form of OID content octets (`None` if malformed or an arc overflows u64).
pub(crate) fn oid_to_string(value: &[u8]) -> Option<String> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut cur: u64 = 0;
    let mut in_arc = false;
    for &b in value {
        if cur > (u64::MAX >> 7) {
            return None;
        }
        cur = (cur << 7) | u64::from(b & 0x7f);
        in_arc = b & 0x80 != 0;
        if !in_arc {
            if arcs.is_empty() {
                let (a, b) = if cur < 40 {
                    (0, cur)
                } else if cur < 80 {
                    (1, cur - 40)
                } else {
                    (2, cur - 80)
                };
                arcs.push(a);
                arcs.push(b);
            } else {
                arcs.push(cur);
            }
            cur = 0;
        }
    }
    if in_arc || arcs.is_empty() {
        return None;
    }
    Some(
        arcs.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// Strips the leading zero octets of a non-negative INTEGER's content.
pub(crate) fn strip_int(v: &[u8]) -> &[u8] {
    let skip = v.iter().take_while(|&&b| b == 0).count();
    let stripped = v.get(skip..).unwrap_or(&[]);
    if stripped.is_empty() {
        v.get(v.len().saturating_sub(1)..).unwrap_or(&[])
    } else {
        stripped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_bounds() {
        let mut d = Der::new(&[0x30, 0x03, 0x02, 0x01, 0x05]);
        let seq = d.expect(SEQUENCE).ok();
        assert_eq!(seq, Some(&[0x02u8, 0x01, 0x05][..]));
        assert!(d.is_empty());
        assert_eq!(
            Der::new(&[0x30, 0x05, 0x00]).read().err(),
            Some(DerError::Truncated)
        );
        assert_eq!(
            Der::new(&[0x30, 0x80]).read().err(),
            Some(DerError::Unsupported)
        );
        assert_eq!(
            Der::new(&[0x30, 0x81, 0x05]).read().err(),
            Some(DerError::Unsupported)
        );
        assert_eq!(
            oid_to_string(&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18]).as_deref(),
            Some("1.3.6.1.5.5.7.1.24")
        );
        let w = wrap_sequence(&[0u8; 200]);
        assert_eq!(w.get(..3), Some(&[0x30u8, 0x81, 200][..]));
    }
}

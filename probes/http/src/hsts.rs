//! `Strict-Transport-Security` (HSTS) parsing, after RFC 6797 §6.1.
//!
//! ```text
//! Strict-Transport-Security = "Strict-Transport-Security" ":"
//!                             [ directive ]  *( ";" [ directive ] )
//! directive                 = directive-name [ "=" directive-value ]
//! directive-name            = token
//! directive-value           = token | quoted-string
//! ```
//!
//! with implied linear white space between the elements, case-insensitive directive names
//! (§6.1 item 3), every directive at most once (§6.1 item 2), `max-age` required with a
//! `delta-seconds` value, which may be quoted (§6.1.1, §6.2), and `includeSubDomains` without
//! a value (§6.1.2). Unknown directives are ignored by user agents (§6.1 item 4); they are
//! recorded here. `preload` is not in RFC 6797: it is the opt-in of the HSTS preload list and is
//! recorded as a known extension.
//!
//! The parser never fails: everything it finds wrong goes into [`Hsts::errors`], and
//! [`Hsts::valid`] says whether a user agent following RFC 6797 would honour the field.

use serde::{Deserialize, Serialize};

/// What the `Strict-Transport-Security` header of the HTTPS response said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hsts {
    /// The first `Strict-Transport-Security` field value, as received (bytes that are not
    /// UTF-8 are replaced by U+FFFD). RFC 6797 §8.1: only the first field is processed.
    pub raw: String,
    /// How many `Strict-Transport-Security` header fields the response carried (1 normally).
    pub fields: usize,
    /// The `max-age` directive, seconds; absent when missing or malformed. Values beyond
    /// `u64::MAX` are clamped to it.
    pub max_age_s: Option<u64>,
    /// Whether the `includeSubDomains` directive is present.
    pub include_subdomains: bool,
    /// Whether the `preload` directive (HSTS preload list opt-in, not RFC 6797) is present.
    pub preload: bool,
    /// Directive names other than `max-age`, `includeSubDomains` and `preload`, lower-cased,
    /// in order (user agents ignore them).
    pub unknown_directives: Vec<String>,
    /// Whether the field is well-formed by RFC 6797 §6.1 with a usable `max-age`, so that a
    /// conforming user agent would honour it. False whenever `errors` is not empty.
    pub valid: bool,
    /// What is wrong with the field, one sentence each, in the order found.
    pub errors: Vec<String>,
}

/// Parse one `Strict-Transport-Security` field value. `fields` is the number of STS fields
/// the response carried (recorded as is).
pub fn parse_hsts(value: &[u8], fields: usize) -> Hsts {
    let mut out = Hsts {
        raw: String::from_utf8_lossy(value).into_owned(),
        fields,
        max_age_s: None,
        include_subdomains: false,
        preload: false,
        unknown_directives: Vec::new(),
        valid: false,
        errors: Vec::new(),
    };
    let mut seen: Vec<String> = Vec::new();
    let mut cur = Cursor { s: value, pos: 0 };
    loop {
        cur.skip_ows();
        let Some(b) = cur.peek() else { break };
        if b == b';' {
            cur.bump();
            continue;
        }
        let start = cur.pos;
        let name = cur.take_while(is_tchar);
        if name.is_empty() {
            out.errors.push(format!(
                "unexpected character {:?} at byte {start} where a directive name should start",
                char::from(b)
            ));
            cur.skip_directive();
            continue;
        }
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        cur.skip_ows();
        let mut value: Option<String> = None;
        let mut broken = false;
        if cur.peek() == Some(b'=') {
            cur.bump();
            cur.skip_ows();
            if cur.peek() == Some(b'"') {
                match cur.quoted_string() {
                    Ok(v) => value = Some(v),
                    Err(e) => {
                        out.errors.push(format!("directive {name}: {e}"));
                        broken = true;
                    }
                }
            } else {
                let v = cur.take_while(is_tchar);
                if v.is_empty() {
                    out.errors
                        .push(format!("directive {name} has `=` but no value"));
                    broken = true;
                } else {
                    value = Some(String::from_utf8_lossy(v).into_owned());
                }
            }
            cur.skip_ows();
        }
        if let Some(c) = cur.peek().filter(|&c| c != b';') {
            out.errors.push(format!(
                "unexpected character {:?} at byte {} after directive {name}",
                char::from(c),
                cur.pos
            ));
            cur.skip_directive();
            broken = true;
        }
        if seen.contains(&name) {
            out.errors.push(format!(
                "directive {name} appears more than once (RFC 6797 §6.1 item 2)"
            ));
            continue;
        }
        seen.push(name.clone());
        match name.as_str() {
            "max-age" => match value.as_deref() {
                Some(v) if !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()) => {
                    out.max_age_s = Some(delta_seconds(v));
                }
                Some(v) => out.errors.push(format!(
                    "max-age value {v:?} is not delta-seconds (RFC 6797 §6.1.1)"
                )),
                None if broken => {}
                None => out
                    .errors
                    .push("max-age has no value (RFC 6797 §6.1.1)".to_owned()),
            },
            "includesubdomains" => {
                out.include_subdomains = true;
                if value.is_some() {
                    out.errors
                        .push("includeSubDomains takes no value (RFC 6797 §6.1.2)".to_owned());
                }
            }
            "preload" => {
                out.preload = true;
                if value.is_some() {
                    out.errors.push("preload takes no value".to_owned());
                }
            }
            _ => out.unknown_directives.push(name),
        }
    }
    if out.max_age_s.is_none() && !seen.iter().any(|n| n == "max-age") {
        out.errors
            .push("the required max-age directive is missing (RFC 6797 §6.1.1)".to_owned());
    }
    out.valid = out.errors.is_empty() && out.max_age_s.is_some();
    out
}

/// `delta-seconds`, clamped to `u64::MAX` (the caller checked that `v` is all digits).
fn delta_seconds(v: &str) -> u64 {
    v.bytes().fold(0u64, |acc, d| {
        acc.saturating_mul(10)
            .saturating_add(u64::from(d.saturating_sub(b'0')))
    })
}

/// RFC 9110 §5.6.2 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.bump();
        }
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.bump();
        }
        self.s.get(start..self.pos).unwrap_or_default()
    }

    /// Skip to the next `;` that is not inside a quoted string (or to the end).
    fn skip_directive(&mut self) {
        let mut quoted = false;
        while let Some(b) = self.peek() {
            match (quoted, b) {
                (false, b';') => return,
                (_, b'"') => quoted = !quoted,
                (true, b'\\') => self.bump(),
                _ => {}
            }
            self.bump();
        }
    }

    /// RFC 9110 §5.6.4 `quoted-string`, starting at the opening quote; returns the unescaped
    /// content.
    fn quoted_string(&mut self) -> Result<String, String> {
        let start = self.pos;
        self.bump();
        let mut out = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(format!(
                    "the quoted string starting at byte {start} is not terminated"
                ));
            };
            self.bump();
            match b {
                b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return Err(format!(
                            "the quoted string starting at byte {start} ends in a backslash"
                        ));
                    };
                    self.bump();
                    out.push(e);
                }
                b'\t' | b' '..=b'~' | 0x80..=0xff => out.push(b),
                _ => {
                    return Err(format!(
                        "control character 0x{b:02x} in the quoted string at byte {start}"
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Hsts {
        parse_hsts(s.as_bytes(), 1)
    }

    #[test]
    fn typical_values() {
        let h = p("max-age=31536000; includeSubDomains; preload");
        assert_eq!(h.max_age_s, Some(31_536_000));
        assert!(h.include_subdomains && h.preload && h.valid, "{h:?}");
        let h = p("max-age=0");
        assert_eq!((h.max_age_s, h.valid), (Some(0), true));
        // Case-insensitive names, white space around the elements, empty directives (§6.1).
        let h = p(" MAX-AGE = 600 ;; INCLUDESUBDOMAINS ;");
        assert_eq!(h.max_age_s, Some(600));
        assert!(h.include_subdomains && h.valid, "{h:?}");
        // Quoted max-age (§6.2 example) and unknown directives (ignored, recorded).
        let h = p("max-age=\"15768000\"; report-uri=\"https://r.test/\"");
        assert_eq!(h.max_age_s, Some(15_768_000));
        assert_eq!(h.unknown_directives, vec!["report-uri".to_owned()]);
        assert!(h.valid);
        assert_eq!(
            p("max-age=99999999999999999999999").max_age_s,
            Some(u64::MAX)
        );
    }

    #[test]
    fn malformed_values() {
        let missing = p("includeSubDomains");
        assert!(!missing.valid && missing.include_subdomains);
        assert!(missing.errors.iter().any(|e| e.contains("missing")));
        let dup = p("max-age=1; max-age=2");
        assert!(!dup.valid);
        assert_eq!(dup.max_age_s, Some(1));
        assert!(dup.errors.iter().any(|e| e.contains("more than once")));
        for bad in [
            "max-age=-1",
            "max-age=1.5",
            "max-age=",
            "max-age",
            "max-age=\"12",
            "max-age=12 13",
            "max-age=1, includeSubDomains",
            "=5",
            "max-age=10; includeSubDomains=yes",
            "",
        ] {
            let h = p(bad);
            assert!(!h.valid, "{bad:?} → {h:?}");
            assert!(!h.errors.is_empty(), "{bad:?}");
        }
        // One error per problem, no cascade into a spurious "missing".
        assert_eq!(p("max-age=abc").errors.len(), 1);
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let alphabet = b"max-ge=;\"\\ \t0123456789includeSubDomainspreload,\x00\xff";
        for _ in 0..20_000 {
            let mut s = Vec::new();
            for _ in 0..(x % 40) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            let h = parse_hsts(&s, 1);
            assert_eq!(h.valid, h.errors.is_empty() && h.max_age_s.is_some());
        }
    }
}

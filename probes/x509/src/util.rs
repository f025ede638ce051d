//! Small helpers: hex, SHA-256, RFC 3339 times, GeneralizedTime.

use std::time::{SystemTime, UNIX_EPOCH};

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            s.push(char::from(
                DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    s
}

/// Decodes hex (either case); `None` on odd length or a non-hex digit.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    };
    s.as_bytes()
        .chunks_exact(2)
        .map(|p| match p {
            [h, l] => Some(digit(*h)? << 4 | digit(*l)?),
            _ => None,
        })
        .collect()
}

/// SHA-256, hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Seconds since the Unix epoch (negative before 1970).
pub(crate) fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs())
            .map(|s| -s)
            .unwrap_or(i64::MIN),
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) to days since 1970-01-01.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// RFC 3339 UTC (`2026-06-01T00:00:00Z`) of Unix seconds.
pub(crate) fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
    }
    // The common case without the formatting machinery (it showed in profiles).
    let mut out = String::with_capacity(20);
    let two = |out: &mut String, v: i64, sep: char| {
        out.push(char::from(b'0' + (v / 10 % 10) as u8));
        out.push(char::from(b'0' + (v % 10) as u8));
        out.push(sep);
    };
    two(&mut out, y / 100, '\0');
    out.pop();
    two(&mut out, y % 100, '-');
    two(&mut out, i64::from(m), '-');
    two(&mut out, i64::from(d), 'T');
    two(&mut out, rem / 3600, ':');
    two(&mut out, rem % 3600 / 60, ':');
    two(&mut out, rem % 60, 'Z');
    out
}

/// Parses a DER GeneralizedTime value (`YYYYMMDDHHMMSS[.f*]Z`) to Unix seconds.
pub(crate) fn generalized_time(v: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(v).ok()?;
    let s = s.strip_suffix('Z')?;
    let main = s.split('.').next()?;
    if main.len() != 14 || !main.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<i64> { main.get(r)?.parse().ok() };
    let (y, mo, d, h, mi, se) = (
        n(0..4)?,
        n(4..6)?,
        n(6..8)?,
        n(8..10)?,
        n(10..12)?,
        n(12..14)?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_780_272_000), "2026-06-01T00:00:00Z");
        assert_eq!(generalized_time(b"20260601000000Z"), Some(1_780_272_000));
        assert_eq!(
            generalized_time(b"20260601000000.123Z"),
            Some(1_780_272_000)
        );
        assert_eq!(generalized_time(b"2026060100000Z"), None);
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
        assert_eq!(unhex("0aFf"), Some(vec![0x0a, 0xff]));
        assert_eq!(unhex("0g"), None);
    }
}

/// The dotted form of an OID, decoded directly from its DER content bytes (X.690 §8.19):
/// `Oid::to_id_string` is general (big arcs) and was a tenth of the analysis time. Arcs that do
/// not fit in a `u64`, or malformed encodings, fall back to it.
pub(crate) fn oid_str(oid: &x509_parser::der_parser::oid::Oid<'_>) -> String {
    let bytes = oid.as_bytes();
    let mut out = String::with_capacity(bytes.len() * 3);
    let mut acc: u64 = 0;
    let mut first = true;
    for &b in bytes {
        if acc > (u64::MAX >> 7) {
            return oid.to_id_string();
        }
        acc = (acc << 7) | u64::from(b & 0x7f);
        if b & 0x80 != 0 {
            continue;
        }
        if first {
            let (x, y) = match acc {
                0..40 => (0, acc),
                40..80 => (1, acc - 40),
                _ => (2, acc - 80),
            };
            push_u64(&mut out, x);
            out.push('.');
            push_u64(&mut out, y);
            first = false;
        } else {
            out.push('.');
            push_u64(&mut out, acc);
        }
        acc = 0;
    }
    if first || bytes.last().is_some_and(|b| b & 0x80 != 0) {
        return oid.to_id_string();
    }
    out
}

fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for &d in digits.get(i..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod oid_tests {
    use x509_parser::der_parser::oid;

    #[test]
    fn fast_path_agrees_with_the_general_form() {
        for o in [
            oid!(2.5.4.3),
            oid!(2.5.4.10),
            oid!(2.5.29.17),
            oid!(2.5.29.37),
            oid!(1.3.6.1.5.5.7.1.1),
            oid!(1.2.840.113549.1.1.11),
            oid!(2.5.4.200),
            oid!(2.23.140.1.2.1),
            oid!(1.3.6.1.4.1.11129.2.4.2),
            oid!(0.9.2342.19200300.100.1.25),
        ] {
            assert_eq!(super::oid_str(&o), o.to_id_string());
        }
    }
}

#[cfg(test)]
mod time_tests {
    #[test]
    fn rfc3339_forms() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_780_272_000), "2026-06-01T00:00:00Z");
        assert_eq!(super::rfc3339(951_782_399), "2000-02-28T23:59:59Z");
        assert_eq!(super::rfc3339(-1), "1969-12-31T23:59:59Z");
        assert_eq!(super::rfc3339(253_402_300_799), "9999-12-31T23:59:59Z");
    }
}

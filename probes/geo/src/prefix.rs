//! IP prefixes as one 128-bit space (IPv4 mapped under `::ffff:0:0/96`), and bounded file reads.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::Arc;

use crate::Error;

/// The largest input file the crate reads: 256 MiB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// An IP prefix. IPv4 prefixes are stored mapped into IPv6 (`::ffff:a.b.c.d`, length + 96),
/// so one table serves both families.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prefix {
    /// The network address (host bits cleared), as a mapped 128-bit number.
    pub bits: u128,
    /// The prefix length in the mapped space (IPv4 `/n` is `96 + n`).
    pub len: u8,
}

const V4_MAPPED: u128 = 0xffff_0000_0000;

/// The address as a 128-bit number; IPv4 (and IPv4-mapped IPv6) as `::ffff:a.b.c.d`.
pub fn addr_bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => V4_MAPPED | u128::from(u32::from(v4)),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => V4_MAPPED | u128::from(u32::from(v4)),
            None => u128::from(v6),
        },
    }
}

/// The mask of a prefix length in the 128-bit space.
pub fn mask(len: u8) -> u128 {
    if len == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(len.min(128)))
    }
}

impl Prefix {
    /// Parse `a.b.c.d/n`, `x:y::/n`, or a bare address (a host prefix). Host bits are cleared.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u8>().ok()?)),
            None => (s, None),
        };
        if let Ok(v4) = addr.parse::<Ipv4Addr>() {
            let l = len.unwrap_or(32);
            if l > 32 {
                return None;
            }
            let len = 96 + l;
            let bits = (V4_MAPPED | u128::from(u32::from(v4))) & mask(len);
            return Some(Self { bits, len });
        }
        let v6 = addr.parse::<Ipv6Addr>().ok()?;
        let len = len.unwrap_or(128);
        if len > 128 {
            return None;
        }
        let bits = addr_bits(IpAddr::V6(v6)) & mask(len);
        // An IPv4-mapped IPv6 prefix keeps its length; anything else is plain IPv6.
        Some(Self { bits, len })
    }

    /// Whether the prefix holds `ip`.
    pub fn contains(&self, ip: IpAddr) -> bool {
        addr_bits(ip) & mask(self.len) == self.bits
    }

    /// The first address of the prefix.
    pub fn first(&self) -> IpAddr {
        bits_to_ip(self.bits)
    }

    /// Whether this is an IPv4 prefix (inside `::ffff:0:0/96`).
    pub fn is_v4(&self) -> bool {
        self.len >= 96 && self.bits & mask(96) == V4_MAPPED
    }
}

/// The address of a 128-bit number; numbers in `::ffff:0:0/96` become IPv4.
pub fn bits_to_ip(bits: u128) -> IpAddr {
    if bits & mask(96) == V4_MAPPED {
        IpAddr::V4(Ipv4Addr::from((bits & 0xffff_ffff) as u32))
    } else {
        IpAddr::V6(Ipv6Addr::from(bits))
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_v4() {
            write!(f, "{}/{}", bits_to_ip(self.bits), self.len - 96)
        } else {
            write!(f, "{}/{}", Ipv6Addr::from(self.bits), self.len)
        }
    }
}

/// IANA special-purpose blocks that are not globally reachable (RFC 6890 and the IANA IPv4 /
/// IPv6 Special-Purpose Address Registries), with what each is. An address in one of them is
/// not geolocatable: databases and geofeeds that map them say nothing about a real server.
pub const SPECIAL_PURPOSE: &[(&str, &str)] = &[
    ("0.0.0.0/8", "this network (RFC 791)"),
    ("10.0.0.0/8", "private use (RFC 1918)"),
    ("100.64.0.0/10", "shared address space (RFC 6598)"),
    ("127.0.0.0/8", "loopback (RFC 1122)"),
    ("169.254.0.0/16", "link local (RFC 3927)"),
    ("172.16.0.0/12", "private use (RFC 1918)"),
    ("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
    ("192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"),
    ("192.168.0.0/16", "private use (RFC 1918)"),
    ("198.18.0.0/15", "benchmarking (RFC 2544)"),
    ("198.51.100.0/24", "documentation TEST-NET-2 (RFC 5737)"),
    ("203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)"),
    ("224.0.0.0/4", "multicast (RFC 5771)"),
    ("240.0.0.0/4", "reserved (RFC 1112)"),
    ("::/127", "unspecified and loopback (RFC 4291)"),
    (
        "64:ff9b:1::/48",
        "local-use IPv4/IPv6 translation (RFC 8215)",
    ),
    ("100::/64", "discard-only (RFC 6666)"),
    ("2001:2::/48", "benchmarking (RFC 5180)"),
    ("2001:10::/28", "deprecated ORCHID (RFC 4843)"),
    ("2001:20::/28", "ORCHIDv2 (RFC 7343)"),
    ("2001:db8::/32", "documentation (RFC 3849)"),
    ("3fff::/20", "documentation (RFC 9637)"),
    ("5f00::/16", "SRv6 SIDs (RFC 9602)"),
    ("fc00::/7", "unique local (RFC 4193)"),
    ("fe80::/10", "link-local unicast (RFC 4291)"),
    ("ff00::/8", "multicast (RFC 4291)"),
];

/// The special-purpose block holding `ip`, as `PREFIX what (RFC)`, if any.
pub fn special_purpose(ip: IpAddr) -> Option<String> {
    SPECIAL_PURPOSE.iter().find_map(|(p, what)| {
        let pre = Prefix::parse(p)?;
        pre.contains(ip).then(|| format!("{p} {what}"))
    })
}

/// Read a whole file, refusing one larger than `cap` bytes.
pub fn read_bounded(path: &Path, cap: u64) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source: Arc::new(e),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut buf = Vec::new();
    file.take(cap.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(io)?;
    if buf.len() as u64 > cap {
        return Err(Error::TooLarge {
            path: path.display().to_string(),
            limit: cap,
        });
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_contain() {
        let p = Prefix::parse("192.0.2.77/24").unwrap();
        assert_eq!(p.to_string(), "192.0.2.0/24");
        assert!(p.is_v4());
        assert!(p.contains("192.0.2.1".parse().unwrap()));
        assert!(p.contains("::ffff:192.0.2.1".parse().unwrap()));
        assert!(!p.contains("192.0.3.1".parse().unwrap()));
        let q = Prefix::parse("2001:db8::/32").unwrap();
        assert_eq!(q.to_string(), "2001:db8::/32");
        assert!(!q.is_v4());
        assert!(q.contains("2001:db8:1::1".parse().unwrap()));
        assert_eq!(Prefix::parse("10.0.0.1").unwrap().len, 128);
        assert!(Prefix::parse("10.0.0.0/33").is_none());
        assert!(Prefix::parse("nonsense").is_none());
        assert_eq!(Prefix::parse("0.0.0.0/0").unwrap().len, 96);
        assert_eq!(p.first().to_string(), "192.0.2.0");
        assert!(
            special_purpose("2001:db8::1".parse().unwrap())
                .unwrap()
                .contains("RFC 3849")
        );
        assert!(special_purpose("::ffff:10.1.1.1".parse().unwrap()).is_some());
        assert!(special_purpose("8.8.8.8".parse().unwrap()).is_none());
        assert!(special_purpose("2600::1".parse().unwrap()).is_none());
        for (p, _) in SPECIAL_PURPOSE {
            assert!(Prefix::parse(p).is_some(), "{p}");
        }
    }
}

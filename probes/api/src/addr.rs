//! Which addresses are public, and which the dial seam refuses without `--allow-private`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// The class of an IP address, as far as probing scope is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressClass {
    /// A globally routable address: probing it needs no special permission.
    Public,
    /// Loopback: 127.0.0.0/8, ::1.
    Loopback,
    /// Private or unique-local ranges: 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fc00::/7.
    Private,
    /// Link-local: 169.254/16, fe80::/10 (outside the cloud metadata addresses).
    LinkLocal,
    /// A cloud metadata service: 169.254.169.254, 169.254.170.2, fd00:ec2::254.
    Metadata,
    /// Not a unicast destination: unspecified, multicast, broadcast, reserved (240/4), 0/8.
    NotUnicast,
}

impl AddressClass {
    /// The stable kebab-case name of the class (as serialised).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Loopback => "loopback",
            Self::Private => "private",
            Self::LinkLocal => "link-local",
            Self::Metadata => "metadata",
            Self::NotUnicast => "not-unicast",
        }
    }

    /// Whether the dial seam may connect to an address of this class without `--allow-private`.
    pub const fn is_public(self) -> bool {
        matches!(self, Self::Public)
    }
}

impl std::fmt::Display for AddressClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Classify an address (IPv4-mapped IPv6 addresses are classified as their IPv4 address).
///
/// Sources: RFC 6890 (special-purpose registries), RFC 1918, RFC 6598 (CGNAT), RFC 4193 (ULA),
/// RFC 4291 (link-local), AWS/Azure/GCP instance-metadata documentation.
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => classify_v4(v4),
            None => classify_v6(v6),
        },
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    let [a, b, c, d] = ip.octets();
    if ip == Ipv4Addr::new(169, 254, 169, 254) || ip == Ipv4Addr::new(169, 254, 170, 2) {
        return AddressClass::Metadata;
    }
    if ip.is_loopback() {
        return AddressClass::Loopback;
    }
    if ip.is_unspecified() || ip.is_multicast() || ip.is_broadcast() || a == 0 || a >= 240 {
        return AddressClass::NotUnicast;
    }
    if ip.is_link_local() {
        return AddressClass::LinkLocal;
    }
    if ip.is_private() || (a == 100 && (64..128).contains(&b)) {
        return AddressClass::Private;
    }
    let _ = (c, d);
    AddressClass::Public
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    let seg = ip.segments();
    // fd00:ec2::254, the AWS Nitro IPv6 metadata endpoint.
    if ip == Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254) {
        return AddressClass::Metadata;
    }
    if ip.is_loopback() {
        return AddressClass::Loopback;
    }
    if ip.is_unspecified() || ip.is_multicast() {
        return AddressClass::NotUnicast;
    }
    let first = seg.first().copied().unwrap_or(0);
    if first & 0xffc0 == 0xfe80 {
        return AddressClass::LinkLocal;
    }
    if first & 0xfe00 == 0xfc00 {
        return AddressClass::Private;
    }
    AddressClass::Public
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> AddressClass {
        classify(s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }

    #[test]
    fn classes() {
        assert_eq!(c("127.0.0.1"), AddressClass::Loopback);
        assert_eq!(c("127.9.9.9"), AddressClass::Loopback);
        assert_eq!(c("::1"), AddressClass::Loopback);
        assert_eq!(c("10.1.2.3"), AddressClass::Private);
        assert_eq!(c("172.31.0.1"), AddressClass::Private);
        assert_eq!(c("192.168.1.1"), AddressClass::Private);
        assert_eq!(c("100.64.0.1"), AddressClass::Private);
        assert_eq!(c("fd12::1"), AddressClass::Private);
        assert_eq!(c("169.254.169.254"), AddressClass::Metadata);
        assert_eq!(c("fd00:ec2::254"), AddressClass::Metadata);
        assert_eq!(c("::ffff:169.254.169.254"), AddressClass::Metadata);
        assert_eq!(c("::ffff:127.0.0.1"), AddressClass::Loopback);
        assert_eq!(c("169.254.1.1"), AddressClass::LinkLocal);
        assert_eq!(c("fe80::1"), AddressClass::LinkLocal);
        assert_eq!(c("0.0.0.0"), AddressClass::NotUnicast);
        assert_eq!(c("224.0.0.1"), AddressClass::NotUnicast);
        assert_eq!(c("255.255.255.255"), AddressClass::NotUnicast);
        assert_eq!(c("8.8.8.8"), AddressClass::Public);
        assert_eq!(c("172.32.0.1"), AddressClass::Public);
        assert_eq!(c("2600::1"), AddressClass::Public);
    }
}

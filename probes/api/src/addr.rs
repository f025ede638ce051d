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
    /// Special-purpose IPv4 space that no public service lives in: 198.18.0.0/15
    /// (benchmarking, RFC 2544 / RFC 6890) and 192.0.0.0/24 (IETF protocol assignments,
    /// RFC 6890).
    Reserved,
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
            Self::Reserved => "reserved",
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

/// Classify an address. IPv6 forms that reach IPv4 space are classified by the IPv4 address
/// they embed (see [`embedded_ipv4`]), so `64:ff9b::a9fe:a9fe` is a metadata address.
///
/// Sources: RFC 6890 (special-purpose registries), RFC 1918, RFC 6598 (CGNAT), RFC 4193 (ULA),
/// RFC 4291 (link-local, IPv4-compatible and -mapped), RFC 3879 (site-local, deprecated),
/// RFC 6052 / RFC 8215 (NAT64 prefixes), RFC 3056 (6to4), RFC 4380 (Teredo), RFC 2544
/// (benchmarking), AWS/Azure/GCP instance-metadata documentation (Azure's platform address
/// 168.63.129.16).
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => {
            let embedded = embedded_ipv4(v6);
            if embedded.is_empty() {
                return classify_v6(v6);
            }
            // Every IPv4 address the form embeds must be public for the form to be: a Teredo
            // address names a server and a client, either of which may be private.
            embedded
                .iter()
                .map(|e| classify_v4(*e))
                .find(|c| !c.is_public())
                .unwrap_or(AddressClass::Public)
        }
    }
}

/// The IPv4 addresses an IPv6 address embeds, when it is one of the forms that reach IPv4
/// space: IPv4-mapped `::ffff:0:0/96` and IPv4-compatible `::/96` (RFC 4291 §2.5.5; `::` and
/// `::1` excepted), the NAT64 well-known prefix `64:ff9b::/96` (RFC 6052 §2.1), 6to4
/// `2002::/16` (RFC 3056 §2: the IPv4 address in bits 16–47) and Teredo `2001::/32`
/// (RFC 4380 §4: the server in bits 32–63, the client obfuscated, XORed with all ones, in the
/// last 32 bits). Empty for any other address. The local-use NAT64 prefix `64:ff9b:1::/48`
/// (RFC 8215) places the IPv4 address by a prefix length only its network knows; it is
/// classified as private as a whole.
pub fn embedded_ipv4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let s = ip.segments();
    let o = ip.octets();
    let last = |o: &[u8; 16]| Ipv4Addr::new(o[12], o[13], o[14], o[15]);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return vec![v4];
    }
    match s {
        [0, 0, 0, 0, 0, 0, 0, 0 | 1] => Vec::new(),
        [0, 0, 0, 0, 0, 0, _, _] | [0x64, 0xff9b, 0, 0, 0, 0, _, _] => vec![last(&o)],
        [0x2002, ..] => vec![Ipv4Addr::new(o[2], o[3], o[4], o[5])],
        [0x2001, 0, ..] => vec![
            Ipv4Addr::new(o[4], o[5], o[6], o[7]),
            Ipv4Addr::new(!o[12], !o[13], !o[14], !o[15]),
        ],
        _ => Vec::new(),
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    let [a, b, c, d] = ip.octets();
    // 168.63.129.16: Azure's platform address (DHCP, DNS, health probes, the wire server).
    if ip == Ipv4Addr::new(169, 254, 169, 254)
        || ip == Ipv4Addr::new(169, 254, 170, 2)
        || ip == Ipv4Addr::new(168, 63, 129, 16)
    {
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
    if (a == 198 && (b == 18 || b == 19)) || (a == 192 && b == 0 && c == 0) {
        return AddressClass::Reserved;
    }
    let _ = d;
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
    // fc00::/7 unique-local; fec0::/10 site-local (deprecated by RFC 3879, still routed
    // inside some networks); 64:ff9b:1::/48 local-use NAT64 (RFC 8215).
    if first & 0xfe00 == 0xfc00
        || first & 0xffc0 == 0xfec0
        || (first == 0x64 && seg.get(1..3) == Some(&[0xff9b, 1][..]))
    {
        return AddressClass::Private;
    }
    AddressClass::Public
}

/// The default of `--max-addresses-per-endpoint`: how many of an endpoint's addresses are
/// probed at most.
pub const DEFAULT_MAX_ADDRESSES: usize = 16;

/// Which of a target's addresses are probed when there are more than `max`: duplicates are
/// dropped, then IPv4 and IPv6 addresses are taken in turn, each family in the order given
/// (the DNS answer's order), so that both families stay represented. Returns the chosen
/// addresses and how many distinct addresses were left out. `max` 0 is read as 1.
///
/// A hostile DNS answer with thousands of records thus costs at most `max` addresses' worth
/// of connections.
pub fn choose_addresses(addresses: &[IpAddr], max: usize) -> (Vec<IpAddr>, usize) {
    let max = max.max(1);
    let mut distinct: Vec<IpAddr> = Vec::with_capacity(addresses.len().min(max * 2));
    let mut seen = std::collections::HashSet::with_capacity(addresses.len());
    for a in addresses {
        if seen.insert(*a) {
            distinct.push(*a);
        }
    }
    if distinct.len() <= max {
        return (distinct, 0);
    }
    let left_out = distinct.len() - max;
    let mut v4 = distinct.iter().filter(|a| a.is_ipv4()).copied();
    let mut v6 = distinct.iter().filter(|a| a.is_ipv6()).copied();
    let mut chosen = Vec::with_capacity(max);
    while chosen.len() < max {
        let (a, b) = (v4.next(), v6.next());
        if a.is_none() && b.is_none() {
            break;
        }
        chosen.extend(a);
        if chosen.len() < max {
            chosen.extend(b);
        }
    }
    (chosen, left_out)
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

    /// Issue 19: IPv6 forms that reach IPv4 space are classified by the IPv4 they embed.
    #[test]
    fn ipv6_forms_embedding_ipv4_take_the_class_of_the_ipv4() {
        // NAT64 well-known prefix (RFC 6052).
        assert_eq!(c("64:ff9b::a9fe:a9fe"), AddressClass::Metadata);
        assert_eq!(c("64:ff9b::10.1.2.3"), AddressClass::Private);
        assert_eq!(c("64:ff9b::127.0.0.1"), AddressClass::Loopback);
        assert_eq!(c("64:ff9b::8.8.8.8"), AddressClass::Public);
        // Local-use NAT64 (RFC 8215): private as a whole.
        assert_eq!(c("64:ff9b:1::8.8.8.8"), AddressClass::Private);
        // 6to4 (RFC 3056).
        assert_eq!(c("2002:7f00:1::1"), AddressClass::Loopback);
        assert_eq!(c("2002:a9fe:a9fe::1"), AddressClass::Metadata);
        assert_eq!(c("2002:c0a8:101::1"), AddressClass::Private);
        assert_eq!(c("2002:808:808::1"), AddressClass::Public);
        // IPv4-compatible (RFC 4291 §2.5.5.1).
        assert_eq!(c("::127.0.0.1"), AddressClass::Loopback);
        assert_eq!(c("::10.0.0.1"), AddressClass::Private);
        assert_eq!(c("::"), AddressClass::NotUnicast);
        // Teredo (RFC 4380): client 127.0.0.1 obfuscated is 80ff:fffe.
        assert_eq!(c("2001:0:808:808:0:0:80ff:fffe"), AddressClass::Loopback);
        // ... server 10.0.0.1, client public.
        assert_eq!(c("2001:0:a00:1:0:0:f7f7:f7f7"), AddressClass::Private);
        assert_eq!(c("2001:0:808:808:0:0:f7f7:f7f7"), AddressClass::Public);
        // Site-local (RFC 3879).
        assert_eq!(c("fec0::1"), AddressClass::Private);
        assert_eq!(c("feff::1"), AddressClass::Private);
        // Not embedding forms.
        assert_eq!(c("2001:db8::1"), AddressClass::Public);
        assert_eq!(c("2001:4860::1"), AddressClass::Public);
    }

    #[test]
    fn choose_addresses_caps_and_keeps_both_families() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let many: Vec<IpAddr> = (0..4000u32)
            .map(|i| IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i)))
            .collect();
        let (chosen, left) = choose_addresses(&many, DEFAULT_MAX_ADDRESSES);
        assert_eq!(chosen.len(), 16);
        assert_eq!(left, 3984);
        assert_eq!(chosen.first(), Some(&ip("10.0.0.0")));
        assert_eq!(chosen.last(), Some(&ip("10.0.0.15")));
        let mixed = [
            ip("10.0.0.1"),
            ip("10.0.0.2"),
            ip("10.0.0.1"),
            ip("10.0.0.3"),
            ip("fd00::1"),
            ip("fd00::2"),
        ];
        assert_eq!(
            choose_addresses(&mixed, 3),
            (vec![ip("10.0.0.1"), ip("fd00::1"), ip("10.0.0.2")], 2)
        );
        // Duplicates alone are no cut.
        assert_eq!(
            choose_addresses(&mixed, 16),
            (
                vec![
                    ip("10.0.0.1"),
                    ip("10.0.0.2"),
                    ip("10.0.0.3"),
                    ip("fd00::1"),
                    ip("fd00::2")
                ],
                0
            )
        );
        assert_eq!(choose_addresses(&mixed, 0).0.len(), 1);
    }

    /// Issue 19: Azure's platform address and special-purpose IPv4 blocks.
    #[test]
    fn special_purpose_ipv4() {
        assert_eq!(c("168.63.129.16"), AddressClass::Metadata);
        assert_eq!(c("168.63.129.17"), AddressClass::Public);
        assert_eq!(c("198.18.0.1"), AddressClass::Reserved);
        assert_eq!(c("198.19.255.255"), AddressClass::Reserved);
        assert_eq!(c("198.20.0.1"), AddressClass::Public);
        assert_eq!(c("198.17.255.255"), AddressClass::Public);
        assert_eq!(c("192.0.0.8"), AddressClass::Reserved);
        assert_eq!(c("192.0.1.1"), AddressClass::Public);
        assert_eq!(c("::ffff:198.18.0.1"), AddressClass::Reserved);
        assert_eq!(c("64:ff9b::168.63.129.16"), AddressClass::Metadata);
    }
}

//! Names: RFC 4514 distinguished-name strings, RFC 6125 host-name matching, and RFC 5280
//! name-constraint matching for DNS names and IP addresses.

use std::net::IpAddr;

use x509_parser::x509::X509Name;

use crate::util::hex;

/// Short names of RFC 4514 section 3; other attribute types print as dotted OIDs.
fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.6" => "C",
        "2.5.4.9" => "STREET",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => return None,
    })
}

fn escape_value(v: &str, out: &mut String) {
    let n = v.chars().count();
    for (i, c) in v.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i + 1 == n => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
}

/// The RFC 4514 string of a name: RDNs last-to-first, `,` between RDNs, `+` inside one.
/// Values that are not strings print as `#` and the hex of their DER encoding.
pub(crate) fn rfc4514(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    let rdns: Vec<_> = name.iter().collect();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            let oid = crate::util::oid_str(atv.attr_type());
            match short_name(&oid) {
                Some(s) => out.push_str(s),
                None => out.push_str(&oid),
            }
            out.push('=');
            match atv.as_str() {
                Ok(s) => escape_value(s, &mut out),
                Err(_) => {
                    let any = atv.attr_value();
                    let mut der = Vec::with_capacity(any.data.len() + 6);
                    let tag = any.header.tag().0;
                    der.push(u8::try_from(tag).unwrap_or(0x1f).min(0x1e));
                    let body = crate::der::wrap_sequence(any.data);
                    der.extend_from_slice(body.get(1..).unwrap_or(&[]));
                    out.push('#');
                    out.push_str(&hex(&der));
                }
            }
        }
    }
    out
}

/// The first value of an attribute (e.g. O = 2.5.4.10) in a name.
pub(crate) fn attribute(name: &X509Name<'_>, oid: &str) -> Option<String> {
    name.iter_attributes()
        .find(|a| crate::util::oid_str(a.attr_type()) == oid)
        .and_then(|a| a.as_str().ok().map(str::to_owned))
}

/// Lower-cases and strips one trailing dot.
pub(crate) fn normalise_host(h: &str) -> String {
    let h = h.trim();
    h.strip_suffix('.').unwrap_or(h).to_ascii_lowercase()
}

/// RFC 6125 matching of one presented DNS identifier against a reference host name, as
/// browsers (and webpki) do it: exact (case-insensitive) match, or a wildcard that is the whole
/// left-most label (`*.a.test`), matching exactly one label, with at least two labels after it.
/// Partial-label wildcards (`b*.a.test`), wildcards elsewhere and IDNA-invalid names never match.
pub(crate) fn dns_matches(presented: &str, host: &str) -> bool {
    let p = normalise_host(presented);
    let h = normalise_host(host);
    if p.is_empty() || h.is_empty() || !p.is_ascii() || !h.is_ascii() || h.contains('*') {
        return false;
    }
    match p.strip_prefix("*.") {
        None => !p.contains('*') && p == h,
        Some(rest) => {
            if rest.contains('*')
                || rest.split('.').count() < 2
                || rest.split('.').any(str::is_empty)
            {
                return false;
            }
            match h.split_once('.') {
                Some((first, h_rest)) => !first.is_empty() && h_rest == rest,
                None => false,
            }
        }
    }
}

/// Whether a DNS name lies within a DNS name-constraint subtree (RFC 5280 4.2.1.10): the empty
/// base matches everything; `example.com` matches itself and its subdomains ("any DNS name
/// that can be constructed by simply adding zero or more labels to the left-hand side of the
/// name satisfies the name constraint"). A wildcard SAN is judged by the domain under the
/// wildcard label.
///
/// The leading-period form `.example.com` is not RFC 5280 syntax for dNSName constraints (the
/// RFC defines it for URIs and rfc822Names only), so a CA that writes it breaks the profile:
/// lint X509-LINT-007 reports it as an error. This matcher still gives it the meaning the
/// browsers' validators (NSS, Chromium, Go) give it, proper subdomains only, so that the
/// trust verdict judges coverage as clients do; the lint, not the verdict, flags the syntax.
pub(crate) fn dns_within(name: &str, base: &str) -> bool {
    let n = normalise_host(name);
    let n = n.strip_prefix("*.").map_or(n.clone(), |r| format!("x.{r}"));
    let b = normalise_host(base);
    if b.is_empty() {
        return true;
    }
    if let Some(dot) = b.strip_prefix('.') {
        return n.ends_with(&format!(".{dot}"));
    }
    n == b || n.ends_with(&format!(".{b}"))
}

/// Whether an IP address lies within an IP name-constraint subtree (address then mask, 8 or 32
/// octets). A subtree of the other family never contains it.
pub(crate) fn ip_within(ip: &IpAddr, subtree: &[u8]) -> bool {
    let addr: Vec<u8> = match ip {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    };
    if subtree.len() != addr.len() * 2 {
        return false;
    }
    let (net, mask) = subtree.split_at(addr.len());
    addr.iter()
        .zip(net)
        .zip(mask)
        .all(|((a, n), m)| a & m == n & m)
}

/// An IP SAN (4 or 16 octets) as an address.
pub(crate) fn ip_from_san(b: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(b) {
        Some(IpAddr::from(a))
    } else if let Ok(a) = <[u8; 16]>::try_from(b) {
        Some(IpAddr::from(a))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(dns_matches("*.a.test", "b.a.test"));
        assert!(dns_matches("*.A.test.", "B.a.TEST"));
        assert!(!dns_matches("*.a.test", "a.test"));
        assert!(!dns_matches("*.a.test", "c.b.a.test"));
        assert!(!dns_matches("b*.a.test", "bx.a.test"));
        assert!(!dns_matches("*b.a.test", "xb.a.test"));
        assert!(!dns_matches("a.*.test", "a.b.test"));
        assert!(!dns_matches("*.test", "a.test"));
        assert!(dns_matches("www.good.test", "WWW.good.test"));
        assert!(!dns_matches("www.good.test", "*.good.test"));
    }

    #[test]
    fn constraints() {
        assert!(dns_within("www.allowed.test", "allowed.test"));
        assert!(dns_within("allowed.test", "allowed.test"));
        assert!(!dns_within("notallowed.test", "allowed.test"));
        assert!(!dns_within("allowed.test", ".allowed.test"));
        assert!(dns_within("*.allowed.test", "allowed.test"));
        assert!(ip_within(
            &"10.1.2.3".parse().unwrap_or(IpAddr::from([0u8; 4])),
            &[10, 0, 0, 0, 255, 0, 0, 0]
        ));
        assert!(!ip_within(
            &"11.1.2.3".parse().unwrap_or(IpAddr::from([0u8; 4])),
            &[10, 0, 0, 0, 255, 0, 0, 0]
        ));
    }
}

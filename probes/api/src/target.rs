//! What a probe is pointed at.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// A stable, human-readable id of a target, e.g. `acme/api.acme.example:443`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TargetId(String);

impl TargetId {
    /// Wrap an id string. The harness derives ids from the catalog; they are not parsed.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TargetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A host: a DNS name (lower-cased, without a trailing dot) or an IP address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Host {
    /// An IP address literal.
    Ip(IpAddr),
    /// A DNS host name (RFC 1123 letters, digits and hyphens; underscores allowed in labels
    /// because real service names use them).
    Name(String),
}

/// Why a string is not a valid host.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    /// The host is empty.
    #[error("the host name is empty")]
    Empty,
    /// The name is longer than 253 characters.
    #[error("the host name is {0} characters long; at most 253 are allowed")]
    TooLong(usize),
    /// A label is empty (two dots in a row, or a leading dot).
    #[error("the host name has an empty label")]
    EmptyLabel,
    /// A label is longer than 63 characters.
    #[error("the label `{0}` is longer than 63 characters")]
    LabelTooLong(String),
    /// A label starts or ends with a hyphen.
    #[error("the label `{0}` starts or ends with a hyphen")]
    Hyphen(String),
    /// A character outside letters, digits, hyphen and underscore.
    #[error(
        "the character {0:?} is not allowed in a host name (letters, digits, '-', '_' and '.')"
    )]
    BadChar(char),
    /// The last label is all digits, which makes it look like a broken IP address.
    #[error("`{0}` is neither an IP address nor a host name (the last label is numeric)")]
    NumericTld(String),
}

impl Host {
    /// Parse a host: an IP literal (IPv6 with or without brackets) or a DNS name.
    pub fn parse(s: &str) -> Result<Self, HostError> {
        let bare = s
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .unwrap_or(s);
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Ok(Self::Ip(ip));
        }
        let name = s.strip_suffix('.').unwrap_or(s);
        if name.is_empty() {
            return Err(HostError::Empty);
        }
        if name.len() > 253 {
            return Err(HostError::TooLong(name.len()));
        }
        for label in name.split('.') {
            if label.is_empty() {
                return Err(HostError::EmptyLabel);
            }
            if label.len() > 63 {
                return Err(HostError::LabelTooLong(label.to_owned()));
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(HostError::Hyphen(label.to_owned()));
            }
            if let Some(c) = label
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
            {
                return Err(HostError::BadChar(c));
            }
        }
        if name
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(HostError::NumericTld(name.to_owned()));
        }
        Ok(Self::Name(name.to_ascii_lowercase()))
    }

    /// The IP address, when the host is a literal.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Self::Ip(ip) => Some(*ip),
            Self::Name(_) => None,
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ip(IpAddr::V6(v6)) => write!(f, "[{v6}]"),
            Self::Ip(ip) => write!(f, "{ip}"),
            Self::Name(n) => f.write_str(n),
        }
    }
}

/// What one probe run is pointed at: an endpoint and the addresses it resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The stable id of the target (from the catalog).
    pub id: TargetId,
    /// The host to probe.
    pub host: Host,
    /// The TCP port.
    pub port: u16,
    /// The server name to send in TLS SNI, when it differs from the host (or the host is an IP).
    pub sni: Option<String>,
    /// The addresses to connect to: the catalog's pinned addresses, the IP literal, or what
    /// the harness resolved. Probes connect only to these; the dial seam enforces it.
    pub addresses: Vec<IpAddr>,
    /// Client prefixes (`ADDRESS/LEN`) the provider's clients are in, from the catalog: the
    /// DNS probe asks for the host with each as EDNS Client Subnet. Usually empty.
    pub client_subnets: Vec<String>,
    /// The country the provider declares for its service (ISO 3166-1 alpha-2), from the
    /// catalog; residency is judged against it. `None` for ad-hoc targets.
    pub declared_country: Option<String>,
}

impl Target {
    /// A target with no addresses yet (the harness fills them in after resolution).
    pub fn new(id: TargetId, host: Host, port: u16) -> Self {
        let addresses = host.ip().into_iter().collect();
        Self {
            id,
            host,
            port,
            sni: None,
            addresses,
            client_subnets: Vec::new(),
            declared_country: None,
        }
    }

    /// The name to present in TLS SNI: the explicit `sni`, else the host name; none for an IP.
    pub fn server_name(&self) -> Option<&str> {
        match (&self.sni, &self.host) {
            (Some(s), _) => Some(s),
            (None, Host::Name(n)) => Some(n),
            (None, Host::Ip(_)) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts() {
        assert_eq!(
            Host::parse("Example.COM."),
            Ok(Host::Name("example.com".into()))
        );
        assert!(matches!(Host::parse("[::1]"), Ok(Host::Ip(_))));
        assert!(matches!(Host::parse("127.0.0.1"), Ok(Host::Ip(_))));
        assert_eq!(Host::parse(""), Err(HostError::Empty));
        assert_eq!(Host::parse("a..b"), Err(HostError::EmptyLabel));
        assert_eq!(Host::parse("-a.b"), Err(HostError::Hyphen("-a".into())));
        assert_eq!(Host::parse("a b.c"), Err(HostError::BadChar(' ')));
        assert_eq!(
            Host::parse("300.1.1.1"),
            Err(HostError::NumericTld("300.1.1.1".into()))
        );
        assert!(matches!(
            Host::parse(&"a".repeat(64)),
            Err(HostError::LabelTooLong(_))
        ));
        assert!(matches!(
            Host::parse(&"a.".repeat(130)),
            Err(HostError::TooLong(_))
        ));
    }
}

//! Just enough URL handling to follow a `Location` header (RFC 9110 §10.2.2, a URI reference
//! resolved against the request's URI, RFC 3986 §5.2) without a URL library: absolute URIs,
//! network-path (`//host/p`), absolute-path (`/p`) and relative-path (`p`) references. Dot
//! segments are not removed (the path is only sent back to the same server); fragments are
//! dropped (they are never sent).

use std::fmt;

/// An absolute `http`/`https`/other URL, split into what a request needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    /// Lower-cased scheme.
    pub(crate) scheme: String,
    /// Host, lower-cased, without the brackets of an IPv6 literal.
    pub(crate) host: String,
    /// Explicit port, else the scheme's default (80/443), else 0.
    pub(crate) port: u16,
    /// Path and query, starting with `/`.
    pub(crate) path: String,
}

impl Url {
    pub(crate) fn new(scheme: &str, host: &str, port: u16, path: &str) -> Self {
        Self {
            scheme: scheme.to_ascii_lowercase(),
            host: bare_host(host),
            port,
            path: path.to_owned(),
        }
    }

    fn default_port(&self) -> Option<u16> {
        match self.scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        }
    }

    /// `host[:port]` as in a `Host` header (port omitted when it is the scheme's default).
    pub(crate) fn authority(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if Some(self.port) == self.default_port() {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    /// Resolve a `Location` value against this URL.
    pub(crate) fn join(&self, location: &str) -> Result<Self, String> {
        let loc = location.trim();
        let loc = loc.split_once('#').map_or(loc, |(before, _)| before);
        if loc.is_empty() {
            return Ok(self.clone());
        }
        if !loc.is_ascii() || loc.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return Err(format!("{location:?} is not a valid URI reference"));
        }
        let absolute = if let Some(rest) = loc.strip_prefix("//") {
            format!("{}://{rest}", self.scheme)
        } else if loc.starts_with('/') {
            format!("{}://{}{loc}", self.scheme, self.authority())
        } else if has_scheme(loc) {
            loc.to_owned()
        } else {
            let dir = self
                .path
                .split('?')
                .next()
                .and_then(|p| p.rsplit_once('/'))
                .map_or("", |(d, _)| d);
            format!("{}://{}{dir}/{loc}", self.scheme, self.authority())
        };
        parse_absolute(&absolute)
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority(), self.path)
    }
}

/// RFC 3986 §3.1: `scheme ":"` before any `/`, `?` or `#`.
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn bare_host(h: &str) -> String {
    let h = h
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(h);
    h.strip_suffix('.').unwrap_or(h).to_ascii_lowercase()
}

fn parse_absolute(s: &str) -> Result<Url, String> {
    let uri: http::Uri = s
        .parse()
        .map_err(|e| format!("{s:?} is not a valid URI: {e}"))?;
    let scheme = uri
        .scheme_str()
        .ok_or_else(|| format!("{s:?} has no scheme"))?;
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| format!("{s:?} has no host"))?;
    let mut url = Url::new(scheme, host, 0, "/");
    url.port = uri.port_u16().or_else(|| url.default_port()).unwrap_or(0);
    url.path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .filter(|p| p.starts_with('/'))
        .unwrap_or("/")
        .to_owned();
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_references() {
        let base = Url::new("http", "A.Test", 8080, "/dir/page?x=1");
        let j = |l: &str| base.join(l).map(|u| u.to_string());
        assert_eq!(j("https://a.test/"), Ok("https://a.test/".into()));
        assert_eq!(j("HTTPS://A.TEST:8443"), Ok("https://a.test:8443/".into()));
        assert_eq!(j("//b.test/x"), Ok("http://b.test/x".into()));
        assert_eq!(j("/y?q#frag"), Ok("http://a.test:8080/y?q".into()));
        assert_eq!(j("z"), Ok("http://a.test:8080/dir/z".into()));
        assert_eq!(
            j("http://[::1]:81/p").map(|s| s.to_lowercase()),
            Ok("http://[::1]:81/p".into())
        );
        assert_eq!(base.join("https://[::1]/").unwrap().host, "::1");
        assert_eq!(base.join("ftp://a.test/").unwrap().scheme, "ftp");
        assert!(j("https://").is_err());
        assert!(j("http://a b/").is_err());
        assert!(j("https://é.test/").is_err());
    }
}

//! The target catalog: which providers kensa probes, and at which endpoints.
//!
//! A catalog is a TOML file with one `[[provider]]` table per provider and one
//! `[[provider.endpoint]]` table per endpoint (see `fixtures/catalog/example.toml` for a
//! commented example of every field). Targets can also be given on the command line as
//! `HOST[:PORT]` ([`from_host_specs`]); they become one ad-hoc provider.
//!
//! Every error names the file, the 1-based line and column of the offending value, what was
//! wrong and what was expected. Loading never panics, whatever the input.
//!
//! The raw TOML document and the span-carrying deserialization structs are dropped once the
//! catalog is built: only the compact [`Catalog`] is kept, even for 100,000 endpoints.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::ops::Range;
use std::path::Path;

use kensa_probe::{Host, TargetId};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// The id of the provider that holds the targets given on the command line.
pub const ADHOC_PROVIDER_ID: &str = "adhoc";

/// The name of the provider that holds the targets given on the command line, and the
/// [`Catalog::source`] of a catalog built from them.
pub const ADHOC_SOURCE: &str = "command line";

/// The port used when an endpoint or a command-line target does not name one.
pub const DEFAULT_PORT: u16 = 443;

/// A loaded catalog: the providers to probe and their endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    /// Where the catalog came from: the path as the user gave it, or `"command line"`.
    pub source: String,
    /// The providers, in catalog order.
    pub providers: Vec<Provider>,
}

/// One provider: an organization whose endpoints are probed and graded together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// The provider's unique id (`[a-z0-9][a-z0-9._-]{0,62}`), the first part of target ids.
    pub id: String,
    /// The provider's display name.
    pub name: String,
    /// The country the provider declares for its service, as an ISO 3166-1 alpha-2 code.
    /// Always set for catalog files; `None` only for the command-line provider.
    pub declared_country: Option<String>,
    /// The level or profile the provider is graded against, e.g. `kensa-level-2`.
    /// Always set for catalog files; `None` only for the command-line provider.
    pub applies_for: Option<String>,
    /// Client prefixes (`ADDRESS/LEN`) where the provider's clients are, e.g. a Japanese
    /// prefix: the DNS probe asks with EDNS Client Subnet (RFC 7871) for each, to see which
    /// addresses the provider hands to clients there. Empty when not given.
    pub client_subnets: Vec<String>,
    /// The provider's endpoints, in catalog order (at least one).
    pub endpoints: Vec<Endpoint>,
    /// The provider's declaration file (`docs/declaration.md`), as the catalog names it:
    /// relative to the catalog file's directory.
    pub declaration: Option<String>,
    /// The provider's Ed25519 public key (`kensa keygen`'s `KEY.pub`) that checks the
    /// declaration's signature, relative to the catalog file's directory.
    pub declaration_key: Option<String>,
    /// The declaration as read and checked by [`load`] (never by [`parse`], which reads no
    /// other file).
    pub declared: Option<std::sync::Arc<crate::declaration::DeclarationRecord>>,
}

/// One endpoint of a provider: a host and port, and how to reach it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The host: a DNS name (lower-cased, without a trailing dot) or an IP literal.
    pub host: Host,
    /// The TCP port (1 to 65535; 443 when the catalog does not name one).
    pub port: u16,
    /// The TLS server name to send, when set in the catalog (a DNS name, lower-cased).
    pub sni: Option<String>,
    /// Pinned addresses: when not empty, the harness connects to these instead of resolving
    /// the host.
    pub addresses: Vec<IpAddr>,
    /// A free-text label of the service behind the endpoint, e.g. `api`.
    pub service: Option<String>,
}

impl Endpoint {
    /// The stable id of this endpoint as a target: `{provider}/{host}:{port}`, plus `/{sni}`
    /// when an SNI name is set and differs from the host. IPv6 hosts are written in brackets,
    /// e.g. `acme/[2001:db8::1]:443/api.acme.example`.
    pub fn target_id(&self, provider_id: &str) -> TargetId {
        let mut id = format!("{provider_id}/{}:{}", self.host, self.port);
        if let Some(sni) = &self.sni {
            let same_as_host = matches!(&self.host, Host::Name(name) if name == sni);
            if !same_as_host {
                id.push('/');
                id.push_str(sni);
            }
        }
        TargetId::new(id)
    }
}

impl Catalog {
    /// The number of endpoints over all providers.
    pub fn endpoint_count(&self) -> usize {
        self.providers.iter().map(|p| p.endpoints.len()).sum()
    }
}

/// Why a catalog or a command-line target could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The catalog file cannot be read (missing, unreadable, a directory...).
    #[error("cannot read catalog {path}: {source}")]
    Read {
        /// The path as the user gave it.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The catalog is not valid: a TOML syntax error, an unknown key, a value of the wrong
    /// type or out of range, or a semantic error (duplicate id, bad host name...).
    #[error("{file}:{line}:{col}: {message}")]
    Invalid {
        /// The file name, as given to [`load`] or [`parse`].
        file: String,
        /// The 1-based line of the offending value.
        line: usize,
        /// The 1-based column of the offending value, in characters (not bytes).
        col: usize,
        /// What was wrong, and what was expected instead (one line).
        message: String,
    },
    /// A provider's declaration (or its key) cannot be read or is invalid.
    #[error(transparent)]
    Declaration(#[from] crate::declaration::DeclarationError),
    /// A target given on the command line is not a valid `HOST[:PORT]`.
    #[error("invalid target `{spec}`: {message}")]
    Spec {
        /// The target as given.
        spec: String,
        /// What was wrong, and what was expected instead.
        message: String,
    },
}

/// Read and parse a catalog file, then read and check the providers' declarations (their
/// paths are relative to the catalog file's directory). Errors name the path as given.
pub fn load(path: &Path) -> Result<Catalog, CatalogError> {
    let shown = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => {
            let mut catalog = parse_bytes(&shown, bytes)?;
            crate::declaration::load_for_catalog(&mut catalog, path)?;
            Ok(catalog)
        }
        Err(source) => Err(CatalogError::Read {
            path: shown,
            source,
        }),
    }
}

/// Parse a catalog from its text. `source` is the file name used in error messages and kept
/// as [`Catalog::source`].
pub fn parse(source: &str, text: &str) -> Result<Catalog, CatalogError> {
    let raw = match parse_chunked(text) {
        Some(raw) => raw,
        None => toml::from_str(text).map_err(|e| toml_error(source, text, &e))?,
    };
    let providers = build(source, text, raw)?;
    Ok(Catalog {
        source: source.to_owned(),
        providers,
    })
}

/// Targets given on the command line as `HOST[:PORT]` (IPv6 as `[::1]:443`, or bare `::1`
/// meaning port 443; the port defaults to 443).
///
/// They become one provider with id `"adhoc"`, name `"command line"`, and neither a declared
/// country nor a level. With no specs, the catalog has no providers at all. Giving the same
/// target twice is an error.
pub fn from_host_specs(specs: &[String]) -> Result<Catalog, CatalogError> {
    let mut endpoints = Vec::with_capacity(specs.len());
    let mut seen = HashSet::with_capacity(specs.len());
    for spec in specs {
        let fail = |message: String| CatalogError::Spec {
            spec: spec.clone(),
            message,
        };
        let (host, port) = parse_host_spec(spec).map_err(fail)?;
        let endpoint = Endpoint {
            host,
            port,
            sni: None,
            addresses: Vec::new(),
            service: None,
        };
        let id = endpoint.target_id(ADHOC_PROVIDER_ID);
        if !seen.insert(id) {
            return Err(fail(format!(
                "{}:{} is given twice: expected each target once",
                endpoint.host, endpoint.port
            )));
        }
        endpoints.push(endpoint);
    }
    let providers = if endpoints.is_empty() {
        Vec::new()
    } else {
        vec![Provider {
            id: ADHOC_PROVIDER_ID.to_owned(),
            name: ADHOC_SOURCE.to_owned(),
            declared_country: None,
            applies_for: None,
            client_subnets: Vec::new(),
            endpoints,
            declaration: None,
            declaration_key: None,
            declared: None,
        }]
    };
    Ok(Catalog {
        source: ADHOC_SOURCE.to_owned(),
        providers,
    })
}

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 country code.
pub fn is_assigned_country(code: &str) -> bool {
    ISO_3166_1_ALPHA_2.binary_search(&code).is_ok()
}

/// The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted (for binary search).
///
/// Source: ISO 3166-1, as published by the ISO 3166 Maintenance Agency on the ISO Online
/// Browsing Platform (<https://www.iso.org/obp/ui/#search>, "Officially assigned" codes);
/// cross-checked against Debian's `iso-codes` and tzdata's `iso3166.tab`. User-assigned
/// codes (`AA`, `QM`-`QZ`, `XA`-`XZ` including `XK`, `ZZ`), exceptionally reserved codes
/// (`EU`, `UK`, `AC`...), transitionally reserved and deleted codes are not included.
const ISO_3166_1_ALPHA_2: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

// ---------------------------------------------------------------------------------------------
// Raw deserialization structs: they keep the spans of values for error messages, and are
// dropped as soon as the catalog is built.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(default)]
    provider: Vec<Spanned<RawProvider>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    id: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    declared_country: Option<Spanned<String>>,
    applies_for: Option<Spanned<String>>,
    #[serde(default)]
    client_subnets: Vec<Spanned<String>>,
    declaration: Option<Spanned<String>>,
    declaration_key: Option<Spanned<String>>,
    #[serde(default)]
    endpoint: Vec<Spanned<RawEndpoint>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpoint {
    host: Option<Spanned<String>>,
    port: Option<Spanned<RawPort>>,
    sni: Option<Spanned<String>>,
    #[serde(default)]
    addresses: Vec<Spanned<String>>,
    service: Option<String>,
}

/// A port as written: any integer that fits in a `u16`. Out-of-range values are rejected
/// while deserializing (so toml reports them with the value's span); 0 is rejected later.
struct RawPort(u16);

const PORT_EXPECTED: &str = "expected an integer from 1 to 65535";

impl<'de> Deserialize<'de> for RawPort {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PortVisitor;

        impl serde::de::Visitor<'_> for PortVisitor {
            type Value = RawPort;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a port number (an integer from 1 to 65535)")
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawPort, E> {
                u16::try_from(v)
                    .map(RawPort)
                    .map_err(|_| E::custom(format!("invalid port {v}: {PORT_EXPECTED}")))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawPort, E> {
                u16::try_from(v)
                    .map(RawPort)
                    .map_err(|_| E::custom(format!("invalid port {v}: {PORT_EXPECTED}")))
            }
        }

        deserializer.deserialize_u16(PortVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Building the catalog from the raw structs.

/// Parse a catalog from the bytes of a file, as [`load`] does after reading it: invalid UTF-8
/// is reported at its position (file:line:col), then the text goes to [`parse`]. `source`
/// names the file in errors. Never panics, whatever the bytes (the `catalog` fuzz target).
pub fn parse_bytes(source: &str, bytes: Vec<u8>) -> Result<Catalog, CatalogError> {
    match String::from_utf8(bytes) {
        Ok(text) => parse(source, &text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = bytes
                .get(..valid)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("");
            let byte = bytes.get(valid).copied().unwrap_or(0);
            Err(invalid(
                source,
                prefix,
                prefix.len(),
                format!("invalid UTF-8 (byte 0x{byte:02x}): expected a UTF-8 encoded TOML file"),
            ))
        }
    }
}

/// The memory-bounded path of [`parse`]: a catalog in the plain shape (a `[[provider]]` or
/// `[[provider.endpoint]]` header, then that table's keys) is parsed one table at a time, so
/// the toml document in memory is one table, not the whole file (a 100,000-endpoint catalog
/// otherwise peaks at over 200 MB). Spans are shifted back to file offsets, so errors found
/// while building are located exactly as with a whole-document parse.
///
/// Returns `None` when the text is not in that shape (content before the first header, any
/// other table header, multi-line strings) or when any table fails to parse: the caller then
/// parses the whole document, which gives the canonical error.
fn parse_chunked(text: &str) -> Option<RawCatalog> {
    if text.contains("'''") || text.contains("\"\"\"") {
        return None;
    }
    let mut headers: Vec<(bool, usize, usize)> = Vec::new(); // (is_provider, header start, body start)
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        match classify(line)? {
            Line::Blank => {}
            Line::Header { provider, indent } => headers.push((provider, start + indent, offset)),
            Line::Body if headers.is_empty() => return None,
            Line::Body => {}
        }
    }
    let mut providers: Vec<Spanned<RawProvider>> = Vec::new();
    for (i, &(is_provider, header, body_start)) in headers.iter().enumerate() {
        let end = headers.get(i + 1).map_or(text.len(), |next| next.1);
        let body = text.get(body_start..end)?;
        if is_provider {
            let raw: RawProvider = toml::from_str(body).ok()?;
            providers.push(Spanned::new(header..end, raw.shifted(body_start)));
        } else {
            let raw: RawEndpoint = toml::from_str(body).ok()?;
            let provider = providers.last_mut()?;
            provider
                .get_mut()
                .endpoint
                .push(Spanned::new(header..end, raw.shifted(body_start)));
        }
    }
    Some(RawCatalog {
        provider: providers,
    })
}

/// One line of a catalog as the table-at-a-time parses ([`parse_chunked`], [`load_packed`])
/// see it.
enum Line {
    /// A blank line or a comment.
    Blank,
    /// A `[[provider]]` (`provider`) or `[[provider.endpoint]]` header, after `indent` bytes
    /// of white space.
    Header { provider: bool, indent: usize },
    /// Anything else: part of the current table.
    Body,
}

/// What `line` is; `None` for a header other than `[[provider]]` or `[[provider.endpoint]]`
/// (a shape left to the whole-document parse).
fn classify(line: &str) -> Option<Line> {
    let t = line.trim();
    if t.is_empty() || t.starts_with('#') {
        return Some(Line::Blank);
    }
    if !t.starts_with('[') {
        return Some(Line::Body);
    }
    let code = t.split('#').next().unwrap_or_default().trim_end();
    let inner = code.strip_prefix("[[")?.strip_suffix("]]")?;
    let mut keys = inner.split('.').map(str::trim);
    let provider = match (keys.next(), keys.next(), keys.next()) {
        (Some("provider"), None, None) => true,
        (Some("provider"), Some("endpoint"), None) => false,
        _ => return None,
    };
    let indent = line.len() - line.trim_start().len();
    Some(Line::Header { provider, indent })
}

// ---------------------------------------------------------------------------------------------
// The packed catalog: what a scan holds of a large catalog.

/// The endpoints of one provider, in catalog order.
pub type Endpoints<'a> = Box<dyn Iterator<Item = Cow<'a, Endpoint>> + Send + 'a>;

/// A catalog as a scan reads it: held whole ([`Catalog`]) or packed ([`Packed`]).
pub trait Listing: Sync {
    /// Where the catalog came from ([`Catalog::source`]).
    fn source(&self) -> &str;
    /// The number of providers.
    fn provider_count(&self) -> usize;
    /// The number of endpoints over all providers.
    fn endpoint_count(&self) -> usize;
    /// The providers in catalog order, each with its endpoints in catalog order. Read the
    /// endpoints from the second item: a packed catalog's [`Provider::endpoints`] are empty.
    fn providers(&self) -> Box<dyn Iterator<Item = (&Provider, Endpoints<'_>)> + Send + '_>;
}

impl Listing for Catalog {
    fn source(&self) -> &str {
        &self.source
    }

    fn provider_count(&self) -> usize {
        self.providers.len()
    }

    fn endpoint_count(&self) -> usize {
        Catalog::endpoint_count(self)
    }

    fn providers(&self) -> Box<dyn Iterator<Item = (&Provider, Endpoints<'_>)> + Send + '_> {
        Box::new(self.providers.iter().map(|p| {
            let endpoints: Endpoints<'_> = Box::new(p.endpoints.iter().map(Cow::Borrowed));
            (p, endpoints)
        }))
    }
}

/// A catalog held compactly, for scanning large catalogs: each provider's own keys as a
/// [`Provider`] (whose `endpoints` are empty), and every endpoint encoded in one byte buffer
/// (12 bytes for an IP-literal endpoint with a one-letter service; names add their length),
/// decoded one at a time as a scan's plan asks for it. A parsed [`Catalog`] takes ~0.3 KB per
/// endpoint (300 MB for a million); packed, the providers' keys take ~0.4 KB per provider and
/// the endpoints their encoding.
///
/// [`load_packed`] builds one from a catalog file provider by provider, never holding the
/// file's text or the parsed catalog whole; [`Packed::from`] packs a [`Catalog`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packed {
    source: String,
    /// The providers, with `endpoints` empty.
    providers: Vec<Provider>,
    /// Each provider's endpoints: a range of `data`.
    ranges: Vec<Range<usize>>,
    /// The encoded endpoints ([`encode_endpoint`]).
    data: Vec<u8>,
    endpoints: usize,
}

impl Packed {
    fn new(source: String) -> Self {
        Packed {
            source,
            providers: Vec::new(),
            ranges: Vec::new(),
            data: Vec::new(),
            endpoints: 0,
        }
    }

    /// Add a provider (its `endpoints` are moved into the buffer).
    fn push(&mut self, mut provider: Provider) {
        let start = self.data.len();
        for e in std::mem::take(&mut provider.endpoints) {
            encode_endpoint(&mut self.data, &e);
            self.endpoints += 1;
        }
        self.ranges.push(start..self.data.len());
        self.providers.push(provider);
    }

    /// The whole catalog, every endpoint decoded.
    pub fn unpack(&self) -> Catalog {
        Catalog {
            source: self.source.clone(),
            providers: Listing::providers(self)
                .map(|(p, endpoints)| Provider {
                    endpoints: endpoints.map(Cow::into_owned).collect(),
                    ..p.clone()
                })
                .collect(),
        }
    }

    /// Read and check the declarations the providers name, as [`load`] does.
    fn load_declarations(&mut self, catalog_path: &Path) -> Result<(), CatalogError> {
        let Packed {
            providers,
            ranges,
            data,
            ..
        } = self;
        for (p, range) in providers.iter_mut().zip(ranges.iter()) {
            if p.declaration.is_none() {
                continue;
            }
            let bytes = data.get(range.clone()).unwrap_or_default();
            let mut one = Catalog {
                source: String::new(),
                providers: vec![Provider {
                    endpoints: decode_endpoints(bytes).collect(),
                    ..p.clone()
                }],
            };
            crate::declaration::load_for_catalog(&mut one, catalog_path)?;
            p.declared = one.providers.into_iter().next().and_then(|q| q.declared);
        }
        Ok(())
    }
}

impl From<Catalog> for Packed {
    fn from(catalog: Catalog) -> Self {
        let mut packed = Packed::new(catalog.source);
        for p in catalog.providers {
            packed.push(p);
        }
        packed.data.shrink_to_fit();
        packed
    }
}

impl Listing for Packed {
    fn source(&self) -> &str {
        &self.source
    }

    fn provider_count(&self) -> usize {
        self.providers.len()
    }

    fn endpoint_count(&self) -> usize {
        self.endpoints
    }

    fn providers(&self) -> Box<dyn Iterator<Item = (&Provider, Endpoints<'_>)> + Send + '_> {
        Box::new(self.providers.iter().zip(&self.ranges).map(|(p, range)| {
            let bytes = self.data.get(range.clone()).unwrap_or_default();
            let endpoints: Endpoints<'_> = Box::new(decode_endpoints(bytes).map(Cow::Owned));
            (p, endpoints)
        }))
    }
}

/// Read a catalog file for a scan, as [`load`] does (the same catalog, or the same error),
/// but packed: a catalog in the plain shape (`[[provider]]` and `[[provider.endpoint]]`
/// tables, see [`parse_chunked`]) is read line by line and parsed one table at a time, each
/// provider checked and packed before the next is read, so memory holds one table's text and
/// the packed catalog. Anything else — another shape, or a catalog with any error — is loaded
/// by [`load`], which gives the canonical error with its file, line and column.
pub fn load_packed(path: &Path) -> Result<Packed, CatalogError> {
    let shown = path.display().to_string();
    // Only a regular file: a pipe cannot be read a second time by `load` on an error. The
    // kind is asked before opening (opening a named pipe to look at it would take its data
    // and leave `load` waiting for a writer that has gone).
    let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
    let streamed = regular
        .then(|| std::fs::File::open(path).ok())
        .flatten()
        .filter(|f| f.metadata().is_ok_and(|m| m.is_file()))
        .and_then(|f| stream_packed(&shown, std::io::BufReader::with_capacity(1 << 16, f)));
    match streamed {
        Some(mut packed) => {
            packed.load_declarations(path)?;
            Ok(packed)
        }
        None => load(path).map(Packed::from),
    }
}

/// [`load_targets`], packed: a catalog file by [`load_packed`], command-line targets packed.
pub fn load_targets_packed(targets: &[String]) -> Result<Packed, CatalogError> {
    match targets.first() {
        Some(path) if names_catalog_file(targets) => load_packed(Path::new(path)),
        _ => from_host_specs(targets).map(Packed::from),
    }
}

/// The streaming parse of [`load_packed`]: `None` when the text is not in the plain shape or
/// anything in it is invalid (the caller then loads it whole, for the canonical error).
fn stream_packed(file: &str, mut reader: impl std::io::BufRead) -> Option<Packed> {
    let mut packer = Packer {
        file,
        ids: HashMap::new(),
        open: None,
        packed: Packed::new(file.to_owned()),
    };
    let mut line = Vec::new();
    let mut chunk = String::new();
    // The table being read: a provider's (true) or an endpoint's.
    let mut table: Option<bool> = None;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).ok()? == 0 {
            break;
        }
        let text = std::str::from_utf8(&line).ok()?;
        if text.contains("'''") || text.contains("\"\"\"") {
            return None;
        }
        match classify(text)? {
            Line::Blank => {
                if table.is_some() {
                    chunk.push_str(text);
                }
            }
            Line::Body => {
                table?;
                chunk.push_str(text);
            }
            Line::Header { provider, indent } => {
                // As in parse_chunked, a table's text runs to the next header's first byte.
                chunk.push_str(text.get(..indent)?);
                if let Some(is_provider) = table {
                    packer.table(is_provider, &chunk)?;
                }
                chunk.clear();
                table = Some(provider);
            }
        }
    }
    if let Some(is_provider) = table {
        packer.table(is_provider, &chunk)?;
    }
    packer.close()?;
    if packer.packed.providers.is_empty() {
        return None;
    }
    packer.packed.data.shrink_to_fit();
    Some(packer.packed)
}

/// The provider being packed by [`stream_packed`].
struct OpenProvider {
    head: Head,
    /// Its target ids so far (duplicates are errors).
    seen: HashMap<TargetId, Range<usize>>,
    start: usize,
    count: usize,
}

/// Checks and packs one table at a time. The spans it sees are relative to the table's text;
/// it reports no error itself (an invalid catalog is loaded whole, see [`load_packed`]).
struct Packer<'a> {
    file: &'a str,
    ids: HashMap<String, Range<usize>>,
    open: Option<OpenProvider>,
    packed: Packed,
}

impl Packer<'_> {
    fn table(&mut self, is_provider: bool, text: &str) -> Option<()> {
        let builder = Builder {
            file: self.file,
            text,
        };
        if is_provider {
            self.close()?;
            let mut raw: RawProvider = toml::from_str(text).ok()?;
            let inline = std::mem::take(&mut raw.endpoint);
            let head = builder.head(0..text.len(), raw, &mut self.ids).ok()?;
            self.open = Some(OpenProvider {
                head,
                seen: HashMap::new(),
                start: self.packed.data.len(),
                count: 0,
            });
            for e in inline {
                self.endpoint(&builder, e)?;
            }
        } else {
            let raw: RawEndpoint = toml::from_str(text).ok()?;
            self.endpoint(&builder, Spanned::new(0..text.len(), raw))?;
        }
        Some(())
    }

    fn endpoint(&mut self, builder: &Builder<'_>, raw: Spanned<RawEndpoint>) -> Option<()> {
        let open = self.open.as_mut()?;
        let e = builder
            .provider_endpoint(&open.head.id, raw, &mut open.seen)
            .ok()?;
        encode_endpoint(&mut self.packed.data, &e);
        open.count += 1;
        Some(())
    }

    /// Finish the open provider, if any.
    fn close(&mut self) -> Option<()> {
        let Some(open) = self.open.take() else {
            return Some(());
        };
        if open.count == 0 {
            return None;
        }
        let builder = Builder {
            file: self.file,
            text: "",
        };
        let provider = builder.finish(open.head).ok()?;
        self.packed.endpoints += open.count;
        self.packed.ranges.push(open.start..self.packed.data.len());
        self.packed.providers.push(provider);
        Some(())
    }
}

// The endpoint encoding: host (0 then a name, or an address), port (2 bytes, little-endian),
// sni (0, or 1 then a name), addresses (a count, then each), service (as sni). A name is its
// length (LEB128) then its UTF-8 bytes; an address is 4 then 4 bytes, or 6 then 16 bytes.

fn encode_endpoint(out: &mut Vec<u8>, e: &Endpoint) {
    match &e.host {
        Host::Name(name) => {
            out.push(0);
            put_str(out, name);
        }
        Host::Ip(ip) => put_ip(out, ip),
    }
    out.extend_from_slice(&e.port.to_le_bytes());
    put_opt_str(out, e.sni.as_deref());
    put_len(out, e.addresses.len());
    for ip in &e.addresses {
        put_ip(out, ip);
    }
    put_opt_str(out, e.service.as_deref());
}

fn put_len(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
    }
}

fn put_ip(out: &mut Vec<u8>, ip: &IpAddr) {
    match ip {
        IpAddr::V4(v4) => {
            out.push(4);
            out.extend_from_slice(&v4.octets());
        }
        IpAddr::V6(v6) => {
            out.push(6);
            out.extend_from_slice(&v6.octets());
        }
    }
}

/// The endpoints encoded in `bytes`, in order.
fn decode_endpoints(bytes: &[u8]) -> impl Iterator<Item = Endpoint> + Send + '_ {
    let mut reader = Reader(bytes);
    std::iter::from_fn(move || {
        if reader.0.is_empty() {
            None
        } else {
            reader.endpoint()
        }
    })
}

/// Reads what [`encode_endpoint`] wrote; `None` past the end (never, for bytes it wrote).
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(taken)
    }

    fn len(&mut self) -> Option<usize> {
        let mut n = 0usize;
        let mut shift = 0u32;
        loop {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
            shift += 7;
            if shift >= usize::BITS {
                return None;
            }
        }
    }

    fn str(&mut self) -> Option<String> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok().map(str::to_owned)
    }

    fn opt_str(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            _ => self.str().map(Some),
        }
    }

    fn ip_tagged(&mut self, tag: u8) -> Option<IpAddr> {
        match tag {
            4 => <[u8; 4]>::try_from(self.take(4)?).ok().map(IpAddr::from),
            6 => <[u8; 16]>::try_from(self.take(16)?).ok().map(IpAddr::from),
            _ => None,
        }
    }

    fn endpoint(&mut self) -> Option<Endpoint> {
        let host = match self.byte()? {
            0 => Host::Name(self.str()?),
            tag => Host::Ip(self.ip_tagged(tag)?),
        };
        let port = u16::from_le_bytes(<[u8; 2]>::try_from(self.take(2)?).ok()?);
        let sni = self.opt_str()?;
        let count = self.len()?;
        let mut addresses = Vec::with_capacity(count.min(64));
        for _ in 0..count {
            let tag = self.byte()?;
            addresses.push(self.ip_tagged(tag)?);
        }
        let service = self.opt_str()?;
        Some(Endpoint {
            host,
            port,
            sni,
            addresses,
            service,
        })
    }
}

/// A spanned value moved `by` bytes later in the file.
fn shift<T>(value: Spanned<T>, by: usize) -> Spanned<T> {
    let span = value.span();
    Spanned::new(span.start + by..span.end + by, value.into_inner())
}

impl RawProvider {
    fn shifted(self, by: usize) -> Self {
        Self {
            id: self.id.map(|v| shift(v, by)),
            name: self.name.map(|v| shift(v, by)),
            declared_country: self.declared_country.map(|v| shift(v, by)),
            applies_for: self.applies_for.map(|v| shift(v, by)),
            client_subnets: self
                .client_subnets
                .into_iter()
                .map(|v| shift(v, by))
                .collect(),
            declaration: self.declaration.map(|v| shift(v, by)),
            declaration_key: self.declaration_key.map(|v| shift(v, by)),
            endpoint: self
                .endpoint
                .into_iter()
                .map(|e| {
                    let e = shift(e, by);
                    let span = e.span();
                    Spanned::new(span, e.into_inner().shifted(by))
                })
                .collect(),
        }
    }
}

impl RawEndpoint {
    fn shifted(self, by: usize) -> Self {
        Self {
            host: self.host.map(|v| shift(v, by)),
            port: self.port.map(|v| shift(v, by)),
            sni: self.sni.map(|v| shift(v, by)),
            addresses: self.addresses.into_iter().map(|v| shift(v, by)).collect(),
            service: self.service,
        }
    }
}

/// Turn a toml error into a [`CatalogError::Invalid`] at the start of its span.
fn toml_error(file: &str, text: &str, error: &toml::de::Error) -> CatalogError {
    let offset = error.span().map_or(0, |s| s.start);
    let mut message = one_line(error.message());
    if message == "invalid type: map, expected a sequence"
        && text
            .get(offset..)
            .is_some_and(|rest| rest.starts_with('[') && !rest.starts_with("[["))
    {
        message.push_str(
            "; write [[provider]] and [[provider.endpoint]] (double brackets) for each entry",
        );
    }
    if message == "duplicate key" {
        message = match error.span().and_then(|s| text.get(s)) {
            Some(key) if !key.contains('\n') && key.chars().count() <= 64 => {
                format!("duplicate key `{key}`: expected each key once per table")
            }
            _ => "duplicate key: expected each key once per table".to_owned(),
        };
    }
    if message.is_empty() {
        message.push_str("invalid TOML");
    }
    invalid(file, text, offset, message)
}

/// A message condensed to one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A [`CatalogError::Invalid`] at byte `offset` of `text`.
fn invalid(file: &str, text: &str, offset: usize, message: String) -> CatalogError {
    let (line, col) = line_col(text, offset);
    CatalogError::Invalid {
        file: file.to_owned(),
        line,
        col,
        message,
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`. An offset inside
/// a character counts as that character; an offset past the end, as the end. A byte-order
/// mark at the start of the file is not counted as a column.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    let before = text.get(..end).unwrap_or("");
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut col = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    if line == 1 && before.starts_with('\u{feff}') {
        col = col.saturating_sub(1);
    }
    (line, col)
}

/// A provider's checked keys, before its endpoints.
struct Head {
    /// The span of the provider's table.
    table: Range<usize>,
    id: String,
    name: String,
    country: String,
    applies_for: String,
    client_subnets: Vec<String>,
    declaration: Option<Spanned<String>>,
    declaration_key: Option<Spanned<String>>,
}

/// Builds the providers, consuming the raw structs as it goes.
struct Builder<'a> {
    file: &'a str,
    text: &'a str,
}

impl Builder<'_> {
    fn err(&self, span: Range<usize>, message: String) -> CatalogError {
        invalid(self.file, self.text, span.start, message)
    }

    fn line_of(&self, span: &Range<usize>) -> usize {
        line_col(self.text, span.start).0
    }

    /// One provider; `ids` maps the ids seen so far to their spans.
    fn provider(
        &self,
        raw: Spanned<RawProvider>,
        ids: &mut HashMap<String, Range<usize>>,
    ) -> Result<Provider, CatalogError> {
        let table = raw.span();
        let mut raw = raw.into_inner();
        let raw_endpoints = std::mem::take(&mut raw.endpoint);
        let head = self.head(table, raw, ids)?;
        if raw_endpoints.is_empty() {
            return Err(self.no_endpoints(&head));
        }
        let mut endpoints = Vec::with_capacity(raw_endpoints.len());
        let mut seen = HashMap::with_capacity(raw_endpoints.len());
        for raw_endpoint in raw_endpoints {
            endpoints.push(self.provider_endpoint(&head.id, raw_endpoint, &mut seen)?);
        }
        let mut provider = self.finish(head)?;
        provider.endpoints = endpoints;
        Ok(provider)
    }

    /// A provider's own keys, up to its endpoints (which [`Builder::provider_endpoint`] checks
    /// one at a time); `raw.endpoint` is not looked at.
    fn head(
        &self,
        table: Range<usize>,
        raw: RawProvider,
        ids: &mut HashMap<String, Range<usize>>,
    ) -> Result<Head, CatalogError> {
        let Some(id) = raw.id else {
            return Err(self.err(
                table,
                "this provider has no `id`: expected a unique id such as id = \"acme\"".into(),
            ));
        };
        let id_span = id.span();
        let id = id.into_inner();
        if !is_valid_id(&id) {
            return Err(self.err(
                id_span,
                format!(
                    "invalid provider id {id:?}: expected 1 to 63 lower-case letters, digits, \
                     '.', '_' or '-', starting with a letter or digit, such as \"acme\""
                ),
            ));
        }
        if let Some(first) = ids.get(&id) {
            return Err(self.err(
                id_span,
                format!(
                    "duplicate provider id {id:?} (first defined at line {}): expected each \
                     provider id once in the catalog",
                    self.line_of(first)
                ),
            ));
        }
        ids.insert(id.clone(), id_span);

        let Some(name) = raw.name else {
            return Err(self.err(
                table,
                format!(
                    "provider {id:?} has no `name`: expected a display name such as \
                     name = \"Acme Cloud\""
                ),
            ));
        };
        if name.get_ref().trim().is_empty() {
            return Err(self.err(
                name.span(),
                format!(
                    "provider {id:?} has an empty name: expected a display name such as \
                     \"Acme Cloud\""
                ),
            ));
        }

        let Some(country) = raw.declared_country else {
            return Err(self.err(
                table,
                format!(
                    "provider {id:?} has no `declared_country`: expected an ISO 3166-1 alpha-2 \
                     code such as declared_country = \"JP\""
                ),
            ));
        };
        if !is_assigned_country(country.get_ref()) {
            let code = country.get_ref();
            let upper = code.to_ascii_uppercase();
            let hint = if upper != *code && is_assigned_country(&upper) {
                format!(" (did you mean {upper:?}?)")
            } else {
                String::new()
            };
            return Err(self.err(
                country.span(),
                format!(
                    "{code:?} is not an assigned ISO 3166-1 alpha-2 country code: expected two \
                     upper-case letters such as \"JP\"{hint}"
                ),
            ));
        }

        let Some(applies_for) = raw.applies_for else {
            return Err(self.err(
                table,
                format!(
                    "provider {id:?} has no `applies_for`: expected a level or profile name \
                     such as applies_for = \"kensa-level-2\""
                ),
            ));
        };
        if !is_valid_level(applies_for.get_ref()) {
            return Err(self.err(
                applies_for.span(),
                format!(
                    "invalid applies_for {:?}: expected a level or profile name of lower-case \
                     letters, digits, '.', '_' or '-', starting with a letter or digit, such as \
                     \"kensa-level-2\"",
                    applies_for.get_ref()
                ),
            ));
        }
        // A misspelt profile would silently disable the gate (every provider then fails every
        // level while `assess` exits 0): a name that is not a built-in profile is refused.
        let profiles = crate::assess::profile::builtin_profile_ids;
        if !profiles().any(|p| p == applies_for.get_ref()) {
            return Err(self.err(
                applies_for.span(),
                format!(
                    "unknown profile {:?} in applies_for{}: expected a built-in profile ({})",
                    applies_for.get_ref(),
                    crate::suggest::hint(applies_for.get_ref(), profiles()),
                    profiles().collect::<Vec<_>>().join(", ")
                ),
            ));
        }

        let mut client_subnets = Vec::with_capacity(raw.client_subnets.len());
        for cs in raw.client_subnets {
            match cs.get_ref().parse::<kensa_probe_dns::ClientPrefix>() {
                Ok(p) => client_subnets.push(p.to_string()),
                Err(_) => {
                    return Err(self.err(
                        cs.span(),
                        format!(
                            "invalid client subnet {:?}: expected ADDRESS/LEN such as \
                             \"203.0.113.0/24\" (LEN at most 32 for IPv4, 128 for IPv6)",
                            cs.get_ref()
                        ),
                    ));
                }
            }
        }

        Ok(Head {
            table,
            id,
            name: name.into_inner(),
            country: country.into_inner(),
            applies_for: applies_for.into_inner(),
            client_subnets,
            declaration: raw.declaration,
            declaration_key: raw.declaration_key,
        })
    }

    /// The error of a provider without endpoints.
    fn no_endpoints(&self, head: &Head) -> CatalogError {
        self.err(
            head.table.clone(),
            format!(
                "provider {:?} has no endpoints: expected at least one \
                 [[provider.endpoint]] table with a host",
                head.id
            ),
        )
    }

    /// One endpoint of provider `provider_id`; `seen` maps the provider's target ids so far
    /// to the spans of their hosts.
    fn provider_endpoint(
        &self,
        provider_id: &str,
        raw: Spanned<RawEndpoint>,
        seen: &mut HashMap<TargetId, Range<usize>>,
    ) -> Result<Endpoint, CatalogError> {
        let (endpoint, host_span) = self.endpoint(raw)?;
        let target = endpoint.target_id(provider_id);
        if let Some(first) = seen.get(&target) {
            return Err(self.err(
                host_span,
                format!(
                    "duplicate endpoint \"{target}\" (first defined at line {}): expected \
                     each host, port and sni combination once per provider",
                    self.line_of(first)
                ),
            ));
        }
        seen.insert(target, host_span);
        Ok(endpoint)
    }

    /// The provider's keys after its endpoints (the declaration paths); the provider is
    /// returned without endpoints.
    fn finish(&self, head: Head) -> Result<Provider, CatalogError> {
        let Head {
            table,
            id,
            name,
            country,
            applies_for,
            client_subnets,
            declaration,
            declaration_key,
        } = head;
        let mut paths = [None, None];
        for (slot, (raw_path, what)) in paths.iter_mut().zip([
            (declaration, "declaration"),
            (declaration_key, "declaration_key"),
        ]) {
            if let Some(v) = raw_path {
                if v.get_ref().trim().is_empty() {
                    return Err(self.err(
                        v.span(),
                        format!(
                            "provider {id:?} has an empty `{what}`: expected a path relative to \
                             the catalog file, such as {what} = \"declarations/acme.toml\""
                        ),
                    ));
                }
                *slot = Some(v.into_inner());
            }
        }
        let [declaration, declaration_key] = paths;
        if declaration.is_none() && declaration_key.is_some() {
            return Err(self.err(
                table,
                format!(
                    "provider {id:?} has a `declaration_key` but no `declaration`: expected \
                     declaration = \"PATH\" beside it"
                ),
            ));
        }
        Ok(Provider {
            id,
            name,
            declared_country: Some(country),
            applies_for: Some(applies_for),
            client_subnets,
            endpoints: Vec::new(),
            declaration,
            declaration_key,
            declared: None,
        })
    }

    /// One endpoint, and the span of its host (where duplicate errors point).
    fn endpoint(
        &self,
        raw: Spanned<RawEndpoint>,
    ) -> Result<(Endpoint, Range<usize>), CatalogError> {
        let table = raw.span();
        let raw = raw.into_inner();

        let Some(host) = raw.host else {
            return Err(self.err(
                table,
                "this endpoint has no `host`: expected a DNS name or IP address such as \
                 host = \"api.acme.example\""
                    .into(),
            ));
        };
        let host_span = host.span();
        let host_text = host.into_inner();
        let host = Host::parse(&host_text).map_err(|e| {
            self.err(
                host_span.clone(),
                format!("invalid host {host_text:?}: {e}"),
            )
        })?;

        let port = match raw.port {
            None => DEFAULT_PORT,
            Some(port) if port.get_ref().0 == 0 => {
                return Err(self.err(port.span(), format!("invalid port 0: {PORT_EXPECTED}")));
            }
            Some(port) => port.into_inner().0,
        };

        let sni = match raw.sni {
            None => None,
            Some(sni) => match Host::parse(sni.get_ref()) {
                Ok(Host::Name(name)) => Some(name),
                Ok(Host::Ip(_)) => {
                    return Err(self.err(
                        sni.span(),
                        format!(
                            "invalid sni {:?}: expected a DNS name such as \"api.acme.example\", \
                             not an IP address (TLS server names are names only)",
                            sni.get_ref()
                        ),
                    ));
                }
                Err(e) => {
                    return Err(
                        self.err(sni.span(), format!("invalid sni {:?}: {e}", sni.get_ref()))
                    );
                }
            },
        };

        if let (Host::Ip(ip), Some(first)) = (&host, raw.addresses.first()) {
            return Err(self.err(
                first.span(),
                format!(
                    "pinned addresses are given for the IP address {ip}: expected `addresses` \
                     only with a host name (an IP host is its own address)"
                ),
            ));
        }
        let mut addresses = Vec::with_capacity(raw.addresses.len());
        let mut seen = HashSet::with_capacity(raw.addresses.len());
        for address in raw.addresses {
            let text = address.get_ref();
            let bare = text
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .filter(|r| r.parse::<Ipv6Addr>().is_ok())
                .unwrap_or(text);
            let Ok(ip) = bare.parse::<IpAddr>() else {
                return Err(self.err(
                    address.span(),
                    format!(
                        "invalid pinned address {text:?}: expected an IPv4 or IPv6 address such \
                         as \"192.0.2.10\" or \"2001:db8::10\""
                    ),
                ));
            };
            if !seen.insert(ip) {
                return Err(self.err(
                    address.span(),
                    format!("duplicate pinned address {text:?}: expected each address once"),
                ));
            }
            addresses.push(ip);
        }

        let endpoint = Endpoint {
            host,
            port,
            sni,
            addresses,
            service: raw.service,
        };
        Ok((endpoint, host_span))
    }
}

fn build(file: &str, text: &str, raw: RawCatalog) -> Result<Vec<Provider>, CatalogError> {
    if raw.provider.is_empty() {
        return Err(invalid(
            file,
            text,
            0,
            "the catalog defines no providers: expected at least one [[provider]] table".into(),
        ));
    }
    let builder = Builder { file, text };
    let mut providers = Vec::with_capacity(raw.provider.len());
    let mut ids = HashMap::with_capacity(raw.provider.len());
    for raw_provider in raw.provider {
        providers.push(builder.provider(raw_provider, &mut ids)?);
    }
    Ok(providers)
}

/// `[a-z0-9][a-z0-9._-]{0,62}`
fn is_valid_id(id: &str) -> bool {
    id.len() <= 63 && is_valid_level(id)
}

/// `[a-z0-9][a-z0-9._-]*`
fn is_valid_level(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

// ---------------------------------------------------------------------------------------------
// Command-line targets.

/// `HOST`, `HOST:PORT`, `[IPV6]`, `[IPV6]:PORT` or a bare IPv6 address.
fn parse_host_spec(spec: &str) -> Result<(Host, u16), String> {
    let s = spec.trim();
    if s.is_empty() {
        return Err(
            "the target is empty: expected HOST[:PORT] such as api.acme.example:443".into(),
        );
    }
    if let Some(rest) = s.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return Err(
                "missing `]`: expected an IPv6 address in brackets such as [2001:db8::1]:443"
                    .into(),
            );
        };
        let Ok(ip) = inside.parse::<Ipv6Addr>() else {
            return Err(format!(
                "{inside:?} is not an IPv6 address: expected brackets only around an IPv6 \
                 address, such as [2001:db8::1]:443"
            ));
        };
        let port = if after.is_empty() {
            DEFAULT_PORT
        } else if let Some(port) = after.strip_prefix(':') {
            parse_port(port)?
        } else {
            return Err(format!(
                "unexpected {after:?} after `]`: expected :PORT such as [2001:db8::1]:443"
            ));
        };
        return Ok((Host::Ip(IpAddr::V6(ip)), port));
    }
    let (host, port) = match s.split_once(':') {
        None => (s, DEFAULT_PORT),
        Some((host, port)) if !port.contains(':') => (host, parse_port(port)?),
        Some(_) => {
            return match s.parse::<Ipv6Addr>() {
                Ok(ip) => Ok((Host::Ip(IpAddr::V6(ip)), DEFAULT_PORT)),
                Err(_) => Err(format!(
                    "{s:?} is not an IPv6 address: expected HOST[:PORT], with an IPv6 address \
                     and a port written in brackets such as [2001:db8::1]:443"
                )),
            };
        }
    };
    let host = Host::parse(host).map_err(|e| format!("invalid host {host:?}: {e}"))?;
    Ok((host, port))
}

fn parse_port(port: &str) -> Result<u16, String> {
    if port.is_empty() {
        return Err(format!("missing port after `:`: {PORT_EXPECTED}"));
    }
    if port.bytes().all(|b| b.is_ascii_digit()) {
        match port.parse::<u16>() {
            Ok(p) if p != 0 => Ok(p),
            _ => Err(format!("invalid port {port}: {PORT_EXPECTED}")),
        }
    } else {
        Err(format!("invalid port {port:?}: {PORT_EXPECTED}"))
    }
}

/// The catalog a command line's targets name: one `*.toml` (or existing file) argument is a
/// catalog file; otherwise every argument is a HOST[:PORT] target.
pub fn load_targets(targets: &[String]) -> Result<Catalog, CatalogError> {
    match targets.first() {
        Some(path) if names_catalog_file(targets) => load(Path::new(path)),
        _ => from_host_specs(targets),
    }
}

/// Whether a command line's targets are one catalog file.
fn names_catalog_file(targets: &[String]) -> bool {
    targets.len() == 1
        && targets
            .first()
            .is_some_and(|t| t.ends_with(".toml") || Path::new(t).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"# A test catalog.
[[provider]]
id = "acme"
name = "Acme Cloud"
declared_country = "JP"
applies_for = "kensa-level-2"

[[provider.endpoint]]
host = "api.acme.example"

[[provider.endpoint]]
host = "API.Acme.Example."
port = 8443
sni = "api.acme.example"
service = "api"

[[provider]]
id = "globex"
name = "Globex Ström GmbH"  # not ASCII
declared_country = "DE"
applies_for = "kensa-level-1"

[[provider.endpoint]]
host = "2001:db8::10"
sni = "edge.globex.example"
addresses = []

[[provider.endpoint]]
host = "cdn.globex.example"
port = 443
addresses = ["192.0.2.10", "2001:db8::11"]
service = "cdn (static)"

[[provider]]
id = "initech.eu-1"
name = "Initech"
declared_country = "GB"
applies_for = "ssl-labs"
endpoint = [{ host = "192.0.2.20", port = 8443 }, { host = "[2001:db8::20]" }]
"#;

    /// The header of a valid provider (6 lines), for error tests.
    const HEAD: &str = "[[provider]]\nid = \"acme\"\nname = \"Acme Cloud\"\n\
                        declared_country = \"JP\"\napplies_for = \"kensa-level-2\"\n\n";

    fn ids(provider: &Provider) -> Vec<String> {
        provider
            .endpoints
            .iter()
            .map(|e| e.target_id(&provider.id).to_string())
            .collect()
    }

    /// Parse `text` expecting an `Invalid` error; returns (line, col, message).
    fn invalid_at(text: &str) -> (usize, usize, String) {
        match parse("test.toml", text) {
            Err(CatalogError::Invalid {
                file,
                line,
                col,
                message,
            }) => {
                assert_eq!(file, "test.toml");
                assert!(!message.contains('\n'), "multi-line message: {message}");
                (line, col, message)
            }
            other => panic!("expected an Invalid error for {text:?}, got {other:?}"),
        }
    }

    fn assert_invalid(text: &str, line: usize, col: usize, needle: &str) {
        let (l, c, message) = invalid_at(text);
        assert_eq!(
            (l, c),
            (line, col),
            "wrong position for {needle:?}: {message}"
        );
        assert!(
            message.contains(needle),
            "message {message:?} lacks {needle:?}"
        );
    }

    fn endpoint_doc(lines: &str) -> String {
        format!("{HEAD}[[provider.endpoint]]\n{lines}")
    }

    #[test]
    fn country_table_is_sorted_and_complete() {
        assert_eq!(ISO_3166_1_ALPHA_2.len(), 249);
        assert!(ISO_3166_1_ALPHA_2.windows(2).all(|w| w[0] < w[1]));
        assert!(
            ISO_3166_1_ALPHA_2
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
        for code in [
            "JP", "US", "GB", "DE", "SS", "AX", "BQ", "CW", "SX", "ZW", "AD",
        ] {
            assert!(is_assigned_country(code), "{code}");
        }
        for code in [
            "XK", "EU", "UK", "AA", "ZZ", "QM", "AN", "CS", "YU", "jp", "J", "JPN", "",
        ] {
            assert!(!is_assigned_country(code), "{code}");
        }
    }

    #[test]
    fn parses_a_valid_catalog() {
        let catalog = parse("valid.toml", VALID).unwrap();
        assert_eq!(catalog.source, "valid.toml");
        assert_eq!(catalog.providers.len(), 3);
        assert_eq!(catalog.endpoint_count(), 6);

        let acme = &catalog.providers[0];
        assert_eq!(acme.id, "acme");
        assert_eq!(acme.name, "Acme Cloud");
        assert_eq!(acme.declared_country.as_deref(), Some("JP"));
        assert_eq!(acme.applies_for.as_deref(), Some("kensa-level-2"));
        assert_eq!(
            acme.endpoints[0],
            Endpoint {
                host: Host::Name("api.acme.example".into()),
                port: 443,
                sni: None,
                addresses: vec![],
                service: None,
            }
        );
        assert_eq!(
            acme.endpoints[1],
            Endpoint {
                host: Host::Name("api.acme.example".into()),
                port: 8443,
                sni: Some("api.acme.example".into()),
                addresses: vec![],
                service: Some("api".into()),
            }
        );
        // The sni equals the host, so it is not part of the id.
        assert_eq!(
            ids(acme),
            ["acme/api.acme.example:443", "acme/api.acme.example:8443"]
        );

        let globex = &catalog.providers[1];
        assert_eq!(globex.name, "Globex Ström GmbH");
        assert_eq!(globex.declared_country.as_deref(), Some("DE"));
        assert_eq!(
            globex.endpoints[0].host,
            Host::Ip("2001:db8::10".parse().unwrap())
        );
        assert_eq!(
            globex.endpoints[0].sni.as_deref(),
            Some("edge.globex.example")
        );
        assert!(globex.endpoints[0].addresses.is_empty());
        assert_eq!(
            globex.endpoints[1].addresses,
            vec![
                "192.0.2.10".parse::<IpAddr>().unwrap(),
                "2001:db8::11".parse().unwrap()
            ]
        );
        assert_eq!(globex.endpoints[1].service.as_deref(), Some("cdn (static)"));
        assert_eq!(
            ids(globex),
            [
                "globex/[2001:db8::10]:443/edge.globex.example",
                "globex/cdn.globex.example:443"
            ]
        );

        let initech = &catalog.providers[2];
        assert_eq!(initech.applies_for.as_deref(), Some("ssl-labs"));
        assert_eq!(
            ids(initech),
            [
                "initech.eu-1/192.0.2.20:8443",
                "initech.eu-1/[2001:db8::20]:443"
            ]
        );
    }

    #[test]
    fn target_id_variants() {
        let mut e = Endpoint {
            host: Host::parse("::1").unwrap(),
            port: 443,
            sni: None,
            addresses: vec![],
            service: None,
        };
        assert_eq!(e.target_id("p").as_str(), "p/[::1]:443");
        e.sni = Some("a.example".into());
        assert_eq!(e.target_id("p").as_str(), "p/[::1]:443/a.example");
        e.host = Host::parse("b.example").unwrap();
        assert_eq!(e.target_id("p").as_str(), "p/b.example:443/a.example");
        e.sni = Some("b.example".into());
        assert_eq!(e.target_id("p").as_str(), "p/b.example:443");
        e.host = Host::parse("192.0.2.1").unwrap();
        e.sni = None;
        e.port = 8443;
        assert_eq!(e.target_id("p").as_str(), "p/192.0.2.1:8443");
    }

    #[test]
    fn parses_the_example_fixture() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/catalog/example.toml");
        let catalog = load(Path::new(path)).unwrap();
        assert_eq!(catalog.source, path);
        assert!(catalog.endpoint_count() >= 3);
        for provider in &catalog.providers {
            assert!(provider.declared_country.is_some());
            assert!(provider.applies_for.is_some());
        }
    }

    #[test]
    fn missing_file_names_the_file() {
        let path = std::env::temp_dir()
            .join(format!("kensa-catalog-missing-{}", std::process::id()))
            .join("nope.toml");
        let err = load(&path).unwrap_err();
        assert!(matches!(err, CatalogError::Read { .. }));
        let shown = err.to_string();
        assert!(
            shown.starts_with(&format!("cannot read catalog {}: ", path.display())),
            "{shown}"
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let mut bytes = b"[[provider]]\nid = \"a\xc3\xa9".to_vec();
        bytes.push(0xff);
        match parse_bytes("bin.toml", bytes) {
            Err(CatalogError::Invalid {
                line, col, message, ..
            }) => {
                assert_eq!((line, col), (2, 9));
                assert!(message.contains("UTF-8"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn display_formats() {
        let err = invalid_at(&endpoint_doc("host = \"a..b\"\n"));
        let shown = CatalogError::Invalid {
            file: "f.toml".into(),
            line: err.0,
            col: err.1,
            message: err.2,
        }
        .to_string();
        assert_eq!(
            shown,
            "f.toml:8:8: invalid host \"a..b\": the host name has an empty label"
        );
        let spec = from_host_specs(&["a..b".into()]).unwrap_err().to_string();
        assert_eq!(
            spec,
            "invalid target `a..b`: invalid host \"a..b\": the host name has an empty label"
        );
    }

    #[test]
    fn toml_syntax_errors() {
        // Unterminated string: toml points at the end of the line.
        assert_invalid("[[provider]]\nid = \"acme\n", 2, 11, "invalid basic string");
        // A key without a value.
        assert_invalid("[[provider]]\nid =\n", 2, 5, "");
        // A duplicate key.
        assert_invalid(
            "[[provider]]\nid = \"a\"\nid = \"b\"\n",
            3,
            1,
            "duplicate key `id`: expected each key once per table",
        );
        // A single-bracket table where an array of tables is expected.
        assert_invalid("[provider]\nid = \"a\"\n", 1, 1, "double brackets");
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert_invalid("colour = 1\n", 1, 1, "unknown field `colour`");
        assert_invalid(
            &format!("{HEAD}region = \"x\"\n"),
            7,
            1,
            "unknown field `region`, expected one of",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\n  proto = \"h2\"\n"),
            9,
            3,
            "unknown field `proto`",
        );
    }

    #[test]
    fn wrong_types_are_errors() {
        assert_invalid(
            &endpoint_doc("host = 1\n"),
            8,
            8,
            "invalid type: integer `1`, expected a string",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\nport = \"443\"\n"),
            9,
            8,
            "expected a port number",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\naddresses = \"192.0.2.1\"\n"),
            9,
            13,
            "expected a sequence",
        );
        assert_invalid(
            "[[provider]]\nid = \"a\"\nname = true\n",
            3,
            8,
            "expected a string",
        );
    }

    #[test]
    fn port_errors() {
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\nport = 70000\n"),
            9,
            8,
            "invalid port 70000: expected an integer from 1 to 65535",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\nport = -1\n"),
            9,
            8,
            "invalid port -1: expected an integer from 1 to 65535",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\nport = 0\n"),
            9,
            8,
            "invalid port 0: expected an integer from 1 to 65535",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\nport = 443.0\n"),
            9,
            8,
            "expected a port number",
        );
        assert_invalid(
            &format!("{HEAD}endpoint = [{{ host = \"a.example\", port = 0 }}]\n"),
            7,
            42,
            "invalid port 0",
        );
    }

    #[test]
    fn provider_errors() {
        let dup = format!("{HEAD}[[provider.endpoint]]\nhost = \"a.example\"\n\n{HEAD}");
        assert_invalid(
            &dup,
            11,
            6,
            "duplicate provider id \"acme\" (first defined at line 2)",
        );
        assert_invalid(
            &HEAD.replace("\"acme\"", "\"Acme\""),
            2,
            6,
            "invalid provider id \"Acme\": expected",
        );
        assert_invalid(
            &HEAD.replace("\"acme\"", "\"-acme\""),
            2,
            6,
            "invalid provider id",
        );
        let long = format!("\"{}\"", "a".repeat(64));
        assert_invalid(&HEAD.replace("\"acme\"", &long), 2, 6, "1 to 63");
        assert_invalid(
            &HEAD.replace("\"Acme Cloud\"", "\"  \""),
            3,
            8,
            "has an empty name: expected",
        );
        assert_invalid(
            &HEAD.replace("\"JP\"", "\"XX\""),
            4,
            20,
            "\"XX\" is not an assigned ISO 3166-1 alpha-2 country code: expected two upper-case \
             letters such as \"JP\"",
        );
        assert_invalid(&HEAD.replace("\"JP\"", "\"XK\""), 4, 20, "\"XK\" is not");
        assert_invalid(
            &HEAD.replace("\"JP\"", "\"jp\""),
            4,
            20,
            "(did you mean \"JP\"?)",
        );
        assert_invalid(
            &HEAD.replace("\"kensa-level-2\"", "\"Level 2\""),
            5,
            15,
            "invalid applies_for \"Level 2\": expected",
        );
        // Issue 23: a misspelt profile is refused where it is written, with a suggestion.
        assert_invalid(
            &HEAD.replace("\"kensa-level-2\"", "\"kensa-levl-2\""),
            5,
            15,
            "unknown profile \"kensa-levl-2\" in applies_for (did you mean `kensa-level-2`?): \
             expected a built-in profile (kensa-level-1,",
        );
        assert_invalid(HEAD, 1, 1, "has no endpoints: expected at least one");
        assert_invalid(
            &HEAD.replace("declared_country = \"JP\"\n", ""),
            1,
            1,
            "has no `declared_country`: expected",
        );
        assert_invalid(
            &HEAD.replace("applies_for = \"kensa-level-2\"\n", ""),
            1,
            1,
            "has no `applies_for`: expected",
        );
        assert_invalid(
            &format!("\n\n{}", HEAD.replace("id = \"acme\"\n", "")),
            3,
            1,
            "has no `id`: expected",
        );
        assert_invalid(
            &HEAD.replace("name = \"Acme Cloud\"\n", ""),
            1,
            1,
            "has no `name`: expected",
        );
        assert_invalid("# nothing\n", 1, 1, "defines no providers");
        assert_invalid("", 1, 1, "defines no providers");
    }

    #[test]
    fn endpoint_errors() {
        assert_invalid(
            &endpoint_doc("host = \"a..b\"\n"),
            8,
            8,
            "invalid host \"a..b\": the host name has an empty label",
        );
        assert_invalid(
            &endpoint_doc("port = 443\n"),
            7,
            1,
            "has no `host`: expected",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\nsni = \"192.0.2.1\"\n"),
            9,
            7,
            "invalid sni \"192.0.2.1\": expected a DNS name",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\nsni = \"a_b.-x\"\n"),
            9,
            7,
            "invalid sni \"a_b.-x\": the label `-x` starts or ends with a hyphen",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\naddresses = [\"192.0.2.1\", \"192.0.2.300\"]\n"),
            9,
            27,
            "invalid pinned address \"192.0.2.300\": expected",
        );
        assert_invalid(
            &endpoint_doc("host = \"a.example\"\naddresses = [\"192.0.2.1\", \"192.0.2.1\"]\n"),
            9,
            27,
            "duplicate pinned address",
        );
        assert_invalid(
            &endpoint_doc("host = \"192.0.2.1\"\naddresses = [\"192.0.2.1\"]\n"),
            9,
            14,
            "pinned addresses are given for the IP address",
        );
        // Same host (after normalization) and port, sni equal to the host: same target id.
        let dup = endpoint_doc(
            "host = \"a.example\"\n\n[[provider.endpoint]]\nhost = \"A.Example.\"\nsni = \"a.example\"\n",
        );
        assert_invalid(
            &dup,
            11,
            8,
            "duplicate endpoint \"acme/a.example:443\" (first defined at line 8)",
        );
        // A different sni or port is a different target.
        let ok = endpoint_doc(
            "host = \"a.example\"\n\n[[provider.endpoint]]\nhost = \"a.example\"\nsni = \"b.example\"\n\n\
             [[provider.endpoint]]\nhost = \"a.example\"\nport = 444\n",
        );
        assert_eq!(parse("ok.toml", &ok).unwrap().endpoint_count(), 3);
    }

    #[test]
    fn columns_count_characters() {
        // "日本語" is 9 bytes but 3 characters.
        let text = format!("{HEAD}endpoint = [{{ service = \"日本語\", host = \"a..b\" }}]\n");
        assert_invalid(&text, 7, 39, "invalid host");
        let text = "[[provider]]\nid = \"acme\"\nname = \"Ström\" # é\nζ = 1\n";
        assert_invalid(text, 4, 1, "");
        let text = "\u{feff}colour = 1\n";
        assert_invalid(text, 1, 1, "unknown field");
        assert_eq!(line_col("aé\nb", 100), (2, 2));
        assert_eq!(line_col("aé", 2), (1, 2));
        assert_eq!(line_col("", 0), (1, 1));
        assert_eq!(line_col("a\r\nb", 3), (2, 1));
    }

    #[test]
    fn host_specs() {
        let specs: Vec<String> = [
            "127.0.0.1:8443",
            "[::1]:443",
            "::1",
            "example.test",
            "[::2]",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // `[::1]:443` and `::1` are the same target.
        let err = from_host_specs(&specs).unwrap_err();
        assert!(
            matches!(&err, CatalogError::Spec { spec, message } if spec == "::1" && message.contains("given twice")),
            "{err}"
        );

        let specs: Vec<String> = [
            "127.0.0.1:8443",
            "[::1]:443",
            "::2",
            "example.test",
            "[::3]",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let catalog = from_host_specs(&specs).unwrap();
        assert_eq!(catalog.source, "command line");
        assert_eq!(catalog.providers.len(), 1);
        let adhoc = &catalog.providers[0];
        assert_eq!(adhoc.id, "adhoc");
        assert_eq!(adhoc.name, "command line");
        assert_eq!(adhoc.declared_country, None);
        assert_eq!(adhoc.applies_for, None);
        assert_eq!(
            ids(adhoc),
            [
                "adhoc/127.0.0.1:8443",
                "adhoc/[::1]:443",
                "adhoc/[::2]:443",
                "adhoc/example.test:443",
                "adhoc/[::3]:443"
            ]
        );
        assert_eq!(adhoc.endpoints[3].host, Host::Name("example.test".into()));
        assert!(
            adhoc
                .endpoints
                .iter()
                .all(|e| e.sni.is_none() && e.addresses.is_empty() && e.service.is_none())
        );

        assert!(from_host_specs(&[]).unwrap().providers.is_empty());

        let spec_err = |spec: &str| match from_host_specs(&[spec.to_string()]) {
            Err(CatalogError::Spec { spec: s, message }) => {
                assert_eq!(s, spec);
                message
            }
            other => panic!("expected a Spec error for {spec:?}, got {other:?}"),
        };
        assert_eq!(
            spec_err("example.test:0"),
            "invalid port 0: expected an integer from 1 to 65535"
        );
        assert_eq!(
            spec_err("host:99999"),
            "invalid port 99999: expected an integer from 1 to 65535"
        );
        assert_eq!(
            spec_err("a..b"),
            "invalid host \"a..b\": the host name has an empty label"
        );
        assert!(spec_err("host:https").contains("invalid port \"https\""));
        assert!(spec_err("host:").contains("missing port"));
        assert!(spec_err("").contains("empty"));
        assert!(spec_err(":443").contains("the host name is empty"));
        assert!(spec_err("[::1").contains("missing `]`"));
        assert!(spec_err("[a.example]:443").contains("is not an IPv6 address"));
        assert!(spec_err("[::1]x").contains("after `]`"));
        assert!(spec_err("::1:99999:").contains("in brackets"));
        assert!(spec_err("a.example:443:1").contains("in brackets"));
    }

    #[test]
    fn many_endpoints() {
        use std::fmt::Write as _;
        let mut text = String::from(HEAD);
        for i in 0..10_000 {
            let _ = write!(
                text,
                "[[provider.endpoint]]\nhost = \"h{i}.acme.example\"\naddresses = [\"192.0.2.{}\"]\n",
                i % 250
            );
        }
        let catalog = parse("big.toml", &text).unwrap();
        assert_eq!(catalog.endpoint_count(), 10_000);
    }

    #[test]
    fn never_panics_on_mangled_input() {
        let bytes = VALID.as_bytes();
        let mut checked = 0;
        let mut check = |mangled: &[u8]| {
            let text = String::from_utf8_lossy(mangled);
            if let Err(CatalogError::Invalid {
                line, col, message, ..
            }) = parse("fuzz.toml", &text)
            {
                assert!(line >= 1 && col >= 1);
                assert!(line <= text.lines().count() + 1, "line {line} out of range");
                assert!(!message.is_empty() && !message.contains('\n'));
            }
            let _ = parse_bytes("fuzz.toml", mangled.to_vec());
            assert_chunked_agrees(&text);
            assert_streamed_agrees(mangled);
            checked += 1;
        };
        // Every truncation.
        for end in 0..=bytes.len() {
            check(&bytes[..end]);
        }
        // Byte mutations from a fixed-seed xorshift generator.
        let interesting = b"[]{}\"'=.,:#\n\\-0 \xff\xc3\x80ab";
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..1500 {
            let mut mutated = bytes.to_vec();
            for _ in 0..=(next() % 3) {
                let at = (next() % mutated.len() as u64) as usize;
                match next() % 3 {
                    0 => mutated[at] = interesting[(next() % interesting.len() as u64) as usize],
                    1 => {
                        mutated.remove(at);
                    }
                    _ => mutated.insert(
                        at,
                        interesting[(next() % interesting.len() as u64) as usize],
                    ),
                }
            }
            check(&mutated);
        }
        // Pathological nesting must not overflow the stack.
        check(format!("x = {}", "[".repeat(100_000)).as_bytes());
        check(format!("{HEAD}{}", "[[provider.endpoint]]\n".repeat(1000)).as_bytes());
        assert!(checked > 2000);
    }

    /// Where the memory-bounded parse accepts a text, it must build exactly what the
    /// whole-document parse builds: the same catalog, or the same error at the same place.
    fn assert_chunked_agrees(text: &str) {
        let Some(chunked) = parse_chunked(text) else {
            return;
        };
        let whole: Result<RawCatalog, _> = toml::from_str(text);
        let Ok(whole) = whole else {
            panic!("chunked parse accepted what the whole-document parse rejects:\n{text}");
        };
        let a = build("f.toml", text, chunked).map_err(|e| e.to_string());
        let b = build("f.toml", text, whole).map_err(|e| e.to_string());
        assert_eq!(
            a, b,
            "chunked and whole-document parses disagree on:\n{text}"
        );
    }

    /// Where the streaming parse of [`load_packed`] accepts a file, the whole-file parse must
    /// accept it and build the same catalog; where it does not, `load_packed` loads the file
    /// whole (so its errors are `load`'s).
    fn assert_streamed_agrees(bytes: &[u8]) {
        let Some(streamed) = stream_packed("f.toml", bytes) else {
            return;
        };
        match parse_bytes("f.toml", bytes.to_vec()) {
            Ok(whole) => assert_eq!(
                streamed.unpack(),
                whole,
                "streamed and whole parses disagree on:\n{}",
                String::from_utf8_lossy(bytes)
            ),
            Err(e) => panic!(
                "the streaming parse accepted what the whole parse rejects ({e}):\n{}",
                String::from_utf8_lossy(bytes)
            ),
        }
    }

    /// A catalog exercising every endpoint field: names, IPv4 and IPv6 hosts, sni, pinned
    /// addresses of both families, services (one not ASCII), ports; inline endpoints too.
    fn varied() -> String {
        use std::fmt::Write as _;
        let mut text = String::from(VALID);
        text.push_str("\n# many\n");
        text.push_str(&HEAD.replace("\"acme\"", "\"many\""));
        for i in 0..300u32 {
            let _ = match i % 4 {
                0 => write!(
                    text,
                    "[[provider.endpoint]]\nhost = \"h{i}.many.example\"\nport = {}\n\
                     addresses = [\"192.0.2.{}\", \"2001:db8::{i:x}\"]\n",
                    1 + i * 200,
                    i % 250
                ),
                1 => write!(
                    text,
                    "  [[provider.endpoint]] # indented\n  host = \"2001:db8::{i:x}\"\n  \
                     sni = \"s{i}.many.example\"\n  service = \"日本{i}\"\r\n"
                ),
                2 => write!(
                    text,
                    "[[provider.endpoint]]\nhost = \"198.51.100.{}\"\nservice = \"s\"\n",
                    i % 250
                ),
                _ => write!(
                    text,
                    "[[provider.endpoint]]\nhost = \"{x}{i}.{x}.{x}.many.example\"\n",
                    // Up to 165 bytes: lengths of one and two LEB128 bytes.
                    x = "x".repeat(i as usize % 50 + 1)
                ),
            };
        }
        text
    }

    #[test]
    fn packed_catalogs_hold_the_same_catalog() {
        let example = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/catalog/example.toml"
        ))
        .unwrap();
        for text in [VALID.to_owned(), example, varied()] {
            let whole = parse("f.toml", &text).unwrap();
            let packed = Packed::from(whole.clone());
            assert_eq!(packed.unpack(), whole);
            assert_eq!(Listing::endpoint_count(&packed), whole.endpoint_count());
            assert_eq!(packed.provider_count(), whole.providers.len());
            assert_eq!(Listing::source(&packed), "f.toml");
            // The plain shape is streamed, not loaded whole, and gives the same catalog.
            let streamed = stream_packed("f.toml", text.as_bytes())
                .unwrap_or_else(|| panic!("not streamed:\n{text}"));
            assert_eq!(streamed, packed);
            // Packed, a provider's own `endpoints` are empty; the listing has them.
            assert!(streamed.providers.iter().all(|p| p.endpoints.is_empty()));
            let listed: Vec<Endpoint> = Listing::providers(&streamed)
                .flat_map(|(_, e)| e.map(Cow::into_owned))
                .collect();
            let held: Vec<Endpoint> = whole
                .providers
                .iter()
                .flat_map(|p| p.endpoints.clone())
                .collect();
            assert_eq!(listed, held);
        }
        // Command-line targets, packed.
        let specs = ["127.0.0.1:8443".to_owned(), "[::1]".to_owned()];
        let packed = load_targets_packed(&specs).unwrap();
        assert_eq!(packed.unpack(), from_host_specs(&specs).unwrap());
    }

    #[test]
    fn load_packed_gives_what_load_gives() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let result = |path: &Path| {
            load_packed(path)
                .map(|p| p.unpack())
                .map_err(|e| e.to_string())
        };
        let expected = |path: &Path| load(path).map_err(|e| e.to_string());
        // Valid: plain (streamed) and other shapes (loaded whole).
        for (name, text) in [
            ("plain.toml", varied()),
            (
                "dotted.toml",
                "[[provider]]\nid = \"a\"\nname = \"A\"\n\
              declared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n\
              endpoint = [{ host = \"a.example\" }]\n"
                    .to_owned(),
            ),
            (
                "multiline.toml",
                HEAD.replace("\"Acme Cloud\"", "\"\"\"Acme\"\"\"")
                    + "[[provider.endpoint]]\nhost = \"a.example\"\n",
            ),
        ] {
            let path = write(name, text.as_bytes());
            let got = result(&path);
            assert!(got.is_ok(), "{name}: {got:?}");
            assert_eq!(got, expected(&path), "{name}");
        }
        // Errors: each exactly load's, with its file, line and column.
        let bad: Vec<(&str, Vec<u8>)> = vec![
            (
                "syntax.toml",
                endpoint_doc("host = \"a.example\nport = 1\n").into_bytes(),
            ),
            (
                "unknown.toml",
                endpoint_doc("host = \"a.example\"\nproto = 1\n").into_bytes(),
            ),
            (
                "port.toml",
                endpoint_doc("host = \"a.example\"\nport = 0\n").into_bytes(),
            ),
            ("host.toml", endpoint_doc("host = \"a..b\"\n").into_bytes()),
            ("noend.toml", format!("{HEAD}{HEAD}").into_bytes()),
            (
                "dupid.toml",
                format!(
                    "{HEAD}[[provider.endpoint]]\nhost = \"a.example\"\n\n{HEAD}\
                [[provider.endpoint]]\nhost = \"b.example\"\n"
                )
                .into_bytes(),
            ),
            (
                "dupend.toml",
                endpoint_doc(
                    "host = \"a.example\"\n\n[[provider.endpoint]]\n\
                host = \"A.example\"\n",
                )
                .into_bytes(),
            ),
            (
                "country.toml",
                HEAD.replace("\"JP\"", "\"jp\"").into_bytes(),
            ),
            (
                "key.toml",
                endpoint_doc("host = \"a.example\"\n")
                    .replace("name = ", "declaration_key = \"k.pub\"\nname = ")
                    .into_bytes(),
            ),
            ("empty.toml", b"# nothing\n".to_vec()),
            (
                "utf8.toml",
                [
                    endpoint_doc("host = \"a.example\"\n").as_bytes(),
                    b"# \xff\n",
                ]
                .concat(),
            ),
            (
                "late.toml",
                [varied().as_bytes(), b"\n[[provider.endpoint]]\nport = 1\n"].concat(),
            ),
        ];
        for (name, bytes) in bad {
            let path = write(name, &bytes);
            let got = result(&path);
            assert!(got.is_err(), "{name}: {got:?}");
            assert_eq!(got, expected(&path), "{name}");
            assert!(
                got.unwrap_err()
                    .starts_with(&format!("{}:", path.display())),
                "{name}"
            );
        }
        // A named pipe is read once, whole: its error is the content's, not an empty file's.
        let fifo = dir.path().join("fifo.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(
            made.is_ok_and(|s| s.success()),
            "mkfifo (coreutils) is needed"
        );
        let bytes = endpoint_doc("host = \"a.example\"\nport = 0\n");
        let writer = {
            let (fifo, bytes) = (fifo.clone(), bytes.clone());
            std::thread::spawn(move || std::fs::write(fifo, bytes).unwrap())
        };
        let got = result(&fifo);
        writer.join().unwrap();
        let plain = write("plain-port.toml", bytes.as_bytes());
        assert_eq!(
            got,
            expected(&plain).map_err(|e| e.replace("plain-port.toml", "fifo.toml"))
        );
        assert!(got.is_err_and(|e| e.contains("invalid port 0")));
        // A missing file and a directory.
        for path in [dir.path().join("none.toml"), dir.path().to_path_buf()] {
            let got = result(&path);
            assert!(
                got.as_ref()
                    .is_err_and(|e| e.starts_with("cannot read catalog")),
                "{got:?}"
            );
            assert_eq!(got, expected(&path));
        }
    }

    #[test]
    fn chunked_parse_agrees_with_whole_document() {
        assert!(
            parse_chunked(VALID).is_some(),
            "the plain shape takes the chunked path"
        );
        assert_chunked_agrees(VALID);
        let example = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/catalog/example.toml"
        ))
        .unwrap();
        assert!(parse_chunked(&example).is_some());
        assert_chunked_agrees(&example);
        // Semantic errors found after a chunked parse point at the same place.
        let bad = format!("{HEAD}[[provider.endpoint]]\nhost = \"a.example\"\nport = 0\n");
        assert!(parse_chunked(&bad).is_some());
        assert_chunked_agrees(&bad);
        // Shapes the chunked path leaves to the whole-document parse.
        assert!(parse_chunked("x = 1\n[[provider]]\n").is_none());
        assert!(parse_chunked("[provider]\nid = \"a\"\n").is_none());
        assert!(parse_chunked("[[provider]]\nname = \"\"\"a\"\"\"\n").is_none());
    }
}

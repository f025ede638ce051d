//! # kensa-probe-http: what an HTTPS endpoint says at the HTTP layer
//!
//! One `GET /` over TLS to the target, and one chain of `GET /` over plain HTTP on port 80 of
//! the same addresses:
//!
//! - **HTTPS.** TCP through the dial seam, a TLS handshake (rustls, ring provider) offering
//!   ALPN `h2` and `http/1.1`, then HTTP/2 when `h2` was negotiated and HTTP/1.1 otherwise. The
//!   probe records the status, every response header (bounded), the negotiated ALPN protocol
//!   and HTTP version, the TCP connect, TLS handshake and time-to-first-byte times, and parses
//!   `Strict-Transport-Security` (RFC 6797 §6.1, see [`parse_hsts`]), the security headers
//!   (CSP, `X-Content-Type-Options`, `X-Frame-Options`, `Referrer-Policy`,
//!   `Permissions-Policy`, `Cross-Origin-*-Policy`), the `Server` and `X-Powered-By`
//!   banners and `Alt-Svc`. At most [`Config::max_body_bytes`] of the body are read, then the
//!   connection is dropped; the body itself is not kept.
//! - **Plain HTTP.** `GET /` on [`Config::plain_http_port`]; redirects are followed only
//!   within scope (the target's host name or one of its addresses, over `http`), at most
//!   [`Config::max_redirects`] times. A redirect to `https://` on the same host ends the
//!   chain (the HTTPS side was observed already); a redirect anywhere else is recorded and
//!   never followed. A closed port is an observation ([`PlainEnd::Closed`]), not a failure.
//!
//! ## Why hyper over the dial seam, and not reqwest
//!
//! kensa's invariant is that **only the dial seam opens sockets**: [`Scope::connect`] checks
//! the scope, refuses private addresses without `--allow-private`, and holds the global and
//! per-host permits for the life of the connection. A full client such as reqwest resolves
//! names and opens its own sockets (and follows redirects to anywhere), which would bypass all
//! of that. So this crate takes a [`kensa_probe::Conn`] from the seam, runs TLS over it with
//! tokio-rustls, and hands the stream to hyper's low-level connection API
//! (`hyper::client::conn::{http1, http2}`), which never dials. Redirects are followed here, by
//! hand, through the same seam.
//!
//! ## What this probe does not do
//!
//! It does not judge the certificate: a deliberately named `danger::NoVerification` verifier
//! accepts any chain (still checking the handshake signatures), because the TLS and x509 probes
//! own certificate evidence. It does not judge anything else either: HSTS being absent or
//! short, a banner leaking a version, a missing redirect are for controls to decide.

#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod hsts;
mod location;
mod tls;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderName};
use http::{Request, StatusCode, Version};
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use kensa_probe::{Clock, DialError, Host, Outcome, Scope, Target};
use rustls::pki_types::ServerName;
use serde::{Deserialize, Serialize};
use tokio::time::Instant as TokioInstant;

pub use hsts::{Hsts, parse_hsts};

use crate::location::Url;
use crate::watch::{Marks, Watch};

/// The stable id of this probe.
pub const PROBE_ID: &str = "http.headers";
/// The version of this probe's observation format and method.
pub const PROBE_VERSION: &str = "1";
/// The `User-Agent` this probe sends: `kensa/<version>`.
pub const USER_AGENT: &str = concat!("kensa/", env!("CARGO_PKG_VERSION"));

/// How the probe behaves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Timeout of one TCP connect (the dial seam's). Default 5 s.
    pub connect_timeout: Duration,
    /// Timeout of one TLS handshake. Default 5 s.
    pub handshake_timeout: Duration,
    /// Timeout from sending a request to having its response head (includes the HTTP/2
    /// connection preface). Default 10 s.
    pub request_timeout: Duration,
    /// Timeout for reading the body, up to `max_body_bytes`, after the head. Default 5 s.
    pub body_timeout: Duration,
    /// The whole probe's budget: every step's timeout is cut to what is left of it. Default
    /// 30 s (the harness gives a probe 60 s).
    pub total_timeout: Duration,
    /// The most bytes of response head accepted (HTTP/1.1: status line and headers; HTTP/2:
    /// the header list size, RFC 9113 §6.5.2). A larger head is recorded as a failure.
    /// Default 65,536.
    pub max_header_bytes: usize,
    /// The most header fields accepted (HTTP/1.1: more is a failure; HTTP/2: the rest are
    /// dropped and `headers_truncated` set). Default 256.
    pub max_headers: usize,
    /// The most body bytes read before the probe stops reading. Default 65,536.
    pub max_body_bytes: usize,
    /// Offer `h2` in ALPN (before `http/1.1`). Default true.
    pub offer_h2: bool,
    /// Also look at plain HTTP on `plain_http_port`. Default true.
    pub plain_http: bool,
    /// The plain-HTTP port. Default 80 (configurable so that tests can use an ephemeral port).
    pub plain_http_port: u16,
    /// The most redirects followed on plain HTTP (each within scope). Default 5.
    pub max_redirects: u8,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            handshake_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(30),
            max_header_bytes: 64 * 1024,
            max_headers: 256,
            max_body_bytes: 64 * 1024,
            offer_h2: true,
            plain_http: true,
            plain_http_port: 80,
            max_redirects: 5,
        }
    }
}

/// A step of the probe, to say where something failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// The TCP connect (through the dial seam).
    Connect,
    /// The TLS handshake.
    TlsHandshake,
    /// Setting up the HTTP connection (the HTTP/2 preface and SETTINGS).
    HttpHandshake,
    /// Sending the request and reading the response head.
    ResponseHead,
    /// Reading the response body.
    Body,
}

impl Stage {
    /// The stable string id of the stage (as serialised).
    pub const fn id(self) -> &'static str {
        match self {
            Self::Connect => "connect",
            Self::TlsHandshake => "tls-handshake",
            Self::HttpHandshake => "http-handshake",
            Self::ResponseHead => "response-head",
            Self::Body => "body",
        }
    }
}

/// Why the probe gathered no evidence at all: the HTTPS endpoint could not be reached or no
/// TLS session could be set up on any address (the error of the first address is returned).
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The target has no address to connect to.
    #[error("the target has no address to connect to")]
    NoAddresses,
    /// The target's server name is not a valid TLS server name.
    #[error("{0:?} is not a valid TLS server name")]
    InvalidServerName(String),
    /// The TLS client could not be configured (a bug).
    #[error("building the TLS client configuration: {0}")]
    TlsConfig(String),
    /// The dial seam did not give a connection (refused, out of scope, timed out, ...).
    #[error(transparent)]
    Dial(#[from] DialError),
    /// A step did not finish in time.
    #[error("{} with {addr} timed out after {after:?}", stage.id())]
    Timeout {
        /// The step.
        stage: Stage,
        /// The peer.
        addr: SocketAddr,
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The TLS handshake failed.
    #[error("TLS handshake with {addr}: {message}")]
    Handshake {
        /// The peer.
        addr: SocketAddr,
        /// How it failed (`handshake-failure`, `protocol-violation`, `reset`, ...).
        outcome: Outcome,
        /// The error text.
        message: String,
    },
}

impl Error {
    /// The outcome this error stands for.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::NoAddresses | Self::InvalidServerName(_) => Outcome::InvalidInput,
            Self::TlsConfig(_) => Outcome::Internal,
            Self::Dial(e) => e.outcome(),
            Self::Timeout { .. } => Outcome::Timeout,
            Self::Handshake { outcome, .. } => *outcome,
        }
    }

    fn stage(&self) -> Stage {
        match self {
            Self::Timeout { stage, .. } => *stage,
            Self::Handshake { .. } => Stage::TlsHandshake,
            _ => Stage::Connect,
        }
    }
}

/// Something that went wrong after a connection was made (recorded, not returned).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// Where it went wrong.
    pub stage: Stage,
    /// How (`timeout`, `reset`, `protocol-violation` for malformed or oversized data, ...).
    pub outcome: Outcome,
    /// The error text.
    pub error: String,
}

/// An address that was tried and did not give a usable connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressFailure {
    /// The address.
    pub address: IpAddr,
    /// Where it failed (`connect` or `tls-handshake`).
    pub stage: Stage,
    /// How (`refused`, `timeout`, `not-allowed`, `handshake-failure`, ...).
    pub outcome: Outcome,
    /// The error text.
    pub error: String,
}

/// One response header field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The field name, lower-case (as HTTP/2 sends it and hyper normalises HTTP/1.1 names).
    pub name: String,
    /// The field value; bytes that are not UTF-8 are replaced by U+FFFD.
    pub value: String,
}

/// The security-relevant response headers, each absent when the response did not carry it.
/// Several fields of one name are joined with `", "` (RFC 9110 §5.3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityHeaders {
    /// `Content-Security-Policy`.
    pub content_security_policy: Option<String>,
    /// `Content-Security-Policy-Report-Only`.
    pub content_security_policy_report_only: Option<String>,
    /// `X-Content-Type-Options`.
    pub x_content_type_options: Option<String>,
    /// `X-Frame-Options`.
    pub x_frame_options: Option<String>,
    /// `Referrer-Policy`.
    pub referrer_policy: Option<String>,
    /// `Permissions-Policy`.
    pub permissions_policy: Option<String>,
    /// `Cross-Origin-Opener-Policy`.
    pub cross_origin_opener_policy: Option<String>,
    /// `Cross-Origin-Embedder-Policy`.
    pub cross_origin_embedder_policy: Option<String>,
    /// `Cross-Origin-Resource-Policy`.
    pub cross_origin_resource_policy: Option<String>,
}

/// The HTTPS response to `GET /`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The HTTP version of the response: `HTTP/2`, `HTTP/1.1` or `HTTP/1.0`.
    pub http_version: String,
    /// From handing the request to the connection to reading the first byte of the response
    /// head (HTTP/2: of the first response HEADERS frame), on the target's monotonic clock, µs.
    pub time_to_first_byte_us: u64,
    /// The response header fields, at most `max_headers` of them.
    pub headers: Vec<Header>,
    /// Whether header fields beyond `max_headers` were dropped (HTTP/2 only; HTTP/1.1 fails).
    pub headers_truncated: bool,
    /// Size of the recorded header fields: name + value + 4 bytes (`": "` and CRLF) each.
    pub header_bytes: u64,
    /// Body bytes read, which can pass `max_body_bytes` by at most one read.
    pub body_bytes_read: u64,
    /// Whether the whole body was read (it ended before the limit).
    pub body_complete: bool,
    /// Whether reading stopped because `max_body_bytes` was reached.
    pub body_limit_reached: bool,
    /// Why reading the body stopped early, other than the limit (e.g. `timeout`, `reset`).
    pub body_failure: Option<Failure>,
    /// The parsed `Strict-Transport-Security` header; absent when the response had none.
    pub hsts: Option<Hsts>,
    /// The security headers.
    pub security_headers: SecurityHeaders,
    /// The `Server` banner.
    pub server: Option<String>,
    /// The `X-Powered-By` banner.
    pub x_powered_by: Option<String>,
    /// The `Alt-Svc` header (RFC 7838), as received.
    pub alt_svc: Option<String>,
}

/// How the plain-HTTP redirect chain ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlainEnd {
    /// No address accepted a connection on the plain-HTTP port (see the hop's failures).
    Closed,
    /// A request failed after a connection was made, or a later hop could not connect.
    Error,
    /// A response that is not a redirect (or a redirect without `Location`).
    NoRedirect,
    /// A redirect to `https://` on the target's host (its name or one of its addresses).
    HttpsSameHost,
    /// A redirect to another host: recorded in `final_location`, never followed.
    OffScope,
    /// A redirect to a scheme other than `http` and `https`.
    UnsupportedScheme,
    /// A `Location` that is not a valid URI reference.
    InvalidLocation,
    /// More than `max_redirects` redirects within scope.
    TooManyRedirects,
    /// A plain-HTTP redirect on the target's host to a port other than 80, 443, the plain-HTTP
    /// port or the target's own: recorded in `final_location`, never followed (issue 19).
    OffPort,
}

/// One plain-HTTP request of the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    /// The URL requested.
    pub url: String,
    /// The address that answered; absent when none accepted a connection.
    pub address: Option<IpAddr>,
    /// Addresses tried first that did not connect.
    pub failed_addresses: Vec<AddressFailure>,
    /// TCP connect time to `address`, µs.
    pub tcp_connect_us: Option<u64>,
    /// The response status; absent when no response came.
    pub status: Option<u16>,
    /// The `Location` header as received.
    pub location: Option<String>,
    /// Why no response came, after a connection was made.
    pub failure: Option<Failure>,
}

/// What plain HTTP on the same addresses did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlainHttp {
    /// The port of the first request.
    pub port: u16,
    /// The requests made, in order (the first is `http://<host>/`).
    pub hops: Vec<Hop>,
    /// How the chain ended.
    pub end: PlainEnd,
    /// The last `Location`, resolved to an absolute URL (fragment dropped), when the chain
    /// ended on a redirect it did not follow (`https-same-host`, `off-scope`, ...).
    pub final_location: Option<String>,
    /// Whether the chain ended in a redirect to `https://` on the target's host.
    pub https_same_host: bool,
}

/// The evidence this probe records for a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The TCP port of the HTTPS endpoint.
    pub port: u16,
    /// The authority sent (`Host` header / HTTP/2 `:authority`): the SNI name or the host,
    /// with the port when it is not 443.
    pub authority: String,
    /// The TLS SNI name sent; absent for an IP address without an SNI name.
    pub sni: Option<String>,
    /// The address of the HTTPS exchange (the first that completed TCP and TLS); absent when
    /// none did (`plain_http_only`).
    pub address: Option<IpAddr>,
    /// Addresses tried before it that did not connect or complete TLS.
    pub failed_addresses: Vec<AddressFailure>,
    /// TCP connect time to `address` (the dial seam's measure), µs.
    pub tcp_connect_us: Option<u64>,
    /// TLS handshake time (from the ClientHello to the finished handshake), µs.
    pub tls_handshake_us: Option<u64>,
    /// The TLS version of this session, e.g. `TLSv1.3` (context only; the TLS probe owns it).
    pub tls_version: Option<String>,
    /// The cipher suite of this session, IANA name (context only).
    pub cipher_suite: Option<String>,
    /// The ALPN protocols offered, in order.
    pub alpn_offered: Vec<String>,
    /// The ALPN protocol the server chose; absent when it chose none.
    pub alpn: Option<String>,
    /// The `User-Agent` sent.
    pub user_agent: String,
    /// The response; absent when none came (see `failure`).
    pub response: Option<Response>,
    /// Why no response came: after the TLS session was set up, or (with `plain_http_only`)
    /// why no address gave a TLS session.
    pub failure: Option<Failure>,
    /// Plain HTTP on the same addresses; absent when `plain_http` is off.
    pub plain_http: Option<PlainHttp>,
    /// HTTPS could not be set up on any address (see `failure` and `failed_addresses`) while
    /// plain HTTP answered without redirecting to HTTPS (issue 19): the service is offered
    /// over plain HTTP only. Absent otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub plain_http_only: bool,
    /// The endpoint's addresses after `address`, each asked the same `GET /` over HTTPS
    /// (issue 19: load balancers configured apart); empty with one address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_addresses: Vec<AddressResponse>,
    /// Whether every address that answered sent the same `Strict-Transport-Security` value
    /// (or none); absent when no other address answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hsts_consistent: Option<bool>,
}

/// What one more address of the endpoint answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressResponse {
    /// The address.
    pub address: IpAddr,
    /// The response status; absent when none came.
    pub status: Option<u16>,
    /// The parsed `Strict-Transport-Security` header; absent when the response had none.
    pub hsts: Option<Hsts>,
    /// Why no response came.
    pub failure: Option<Failure>,
}

impl Observation {
    /// `success` when an HTTPS response came; otherwise the outcome of the failure.
    pub fn outcome(&self) -> Outcome {
        if self.plain_http_only {
            return Outcome::Success;
        }
        match (&self.response, &self.failure) {
            (Some(_), _) => Outcome::Success,
            (None, Some(f)) => f.outcome,
            (None, None) => Outcome::Internal,
        }
    }

    /// The failure's text, when no HTTPS response came.
    pub fn error(&self) -> Option<String> {
        if self.plain_http_only {
            return None;
        }
        match (&self.response, &self.failure) {
            (None, Some(f)) => Some(f.error.clone()),
            _ => None,
        }
    }
}

/// Observe the HTTP layer of `target` (its HTTPS port, then plain HTTP), connecting only
/// through `scope`.
pub async fn probe(scope: &Scope, target: &Target, config: &Config) -> Result<Observation, Error> {
    let deadline = TokioInstant::now() + config.total_timeout;
    if scope.addresses().is_empty() {
        return Err(Error::NoAddresses);
    }
    let sni = target.server_name().map(str::to_owned);
    let server_name = match &sni {
        Some(n) => {
            ServerName::try_from(n.clone()).map_err(|_| Error::InvalidServerName(n.clone()))?
        }
        None => {
            let ip = target
                .host
                .ip()
                .or_else(|| scope.addresses().first().copied())
                .ok_or(Error::NoAddresses)?;
            ServerName::IpAddress(ip.into())
        }
    };
    let host = sni.clone().unwrap_or_else(|| match &target.host {
        Host::Ip(ip) => ip.to_string(),
        Host::Name(n) => n.clone(),
    });
    let https_url = Url::new("https", &host, target.port, "/");
    let tls_config =
        tls::client_config(config.offer_h2).map_err(|e| Error::TlsConfig(e.to_string()))?;
    let alpn_offered = tls_config
        .alpn_protocols
        .iter()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(tls_config));
    let clock = Arc::clone(scope.clock());

    let mut failed_addresses = Vec::new();
    let mut first_error = None;
    let mut session = None;
    for &ip in scope.addresses() {
        let addr = SocketAddr::new(ip, target.port);
        match connect_tls(scope, &connector, &server_name, addr, config, deadline).await {
            Ok(s) => {
                session = Some(s);
                break;
            }
            Err(e) => {
                failed_addresses.push(AddressFailure {
                    address: ip,
                    stage: e.stage(),
                    outcome: e.outcome(),
                    error: e.to_string(),
                });
                first_error.get_or_insert(e);
            }
        }
    }
    let Some(session) = session else {
        let error = first_error.unwrap_or(Error::NoAddresses);
        // HTTPS is closed: is the service plain HTTP only? (issue 19)
        if !config.plain_http || scope.addresses().iter().all(|ip| scope.check(*ip).is_err()) {
            return Err(error);
        }
        let plain = plain_http(scope, target, &host, config, deadline).await;
        if plain.end != PlainEnd::NoRedirect {
            return Err(error);
        }
        return Ok(Observation {
            port: target.port,
            authority: https_url.authority(),
            sni,
            address: None,
            failed_addresses,
            tcp_connect_us: None,
            tls_handshake_us: None,
            tls_version: None,
            cipher_suite: None,
            alpn_offered,
            alpn: None,
            user_agent: USER_AGENT.to_owned(),
            response: None,
            failure: Some(Failure {
                stage: error.stage(),
                outcome: error.outcome(),
                error: error.to_string(),
            }),
            plain_http: Some(plain),
            plain_http_only: true,
            other_addresses: Vec::new(),
            hsts_consistent: None,
        });
    };
    let (tls_stream, tcp_connect_us, tls_handshake_us) = session;
    let address = tls_stream.get_ref().0.peer().ip();
    let conn_info = tls_stream.get_ref().1;
    let alpn = conn_info
        .alpn_protocol()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let tls_version = conn_info.protocol_version().map(tls::version_name);
    let cipher_suite = conn_info
        .negotiated_cipher_suite()
        .and_then(|s| s.suite().as_str())
        .map(str::to_owned);
    let h2 = alpn.as_deref() == Some("h2");

    let exchanged = exchange(tls_stream, &https_url, h2, true, &clock, config, deadline).await;
    let (response, failure) = match exchanged {
        Ok(r) => (Some(r.into_response(config)), None),
        Err(f) => (None, Some(f)),
    };

    // Every later address of the endpoint, one GET each (issue 19).
    let mut other_addresses = Vec::new();
    let later = scope
        .addresses()
        .iter()
        .skip_while(|ip| **ip != address)
        .skip(1);
    for &ip in later {
        let addr = SocketAddr::new(ip, target.port);
        let answered =
            match connect_tls(scope, &connector, &server_name, addr, config, deadline).await {
                Err(e) => Err(Failure {
                    stage: e.stage(),
                    outcome: e.outcome(),
                    error: e.to_string(),
                }),
                Ok((stream, _, _)) => {
                    let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2");
                    exchange(stream, &https_url, h2, true, &clock, config, deadline)
                        .await
                        .map(|r| r.into_response(config))
                }
            };
        other_addresses.push(match answered {
            Ok(r) => AddressResponse {
                address: ip,
                status: Some(r.status),
                hsts: r.hsts,
                failure: None,
            },
            Err(f) => AddressResponse {
                address: ip,
                status: None,
                hsts: None,
                failure: Some(f),
            },
        });
    }
    let hsts_consistent = response.as_ref().and_then(|first| {
        let raw = |h: &Option<Hsts>| h.as_ref().map(|h| h.raw.clone());
        let mut answered = other_addresses
            .iter()
            .filter(|a| a.status.is_some())
            .peekable();
        answered.peek()?;
        Some(answered.all(|a| raw(&a.hsts) == raw(&first.hsts)))
    });

    let plain_http = if config.plain_http {
        Some(plain_http(scope, target, &host, config, deadline).await)
    } else {
        None
    };

    Ok(Observation {
        port: target.port,
        authority: https_url.authority(),
        sni,
        address: Some(address),
        failed_addresses,
        tcp_connect_us: Some(tcp_connect_us),
        tls_handshake_us: Some(tls_handshake_us),
        tls_version,
        cipher_suite,
        alpn_offered,
        alpn,
        user_agent: USER_AGENT.to_owned(),
        response,
        failure,
        plain_http,
        plain_http_only: false,
        other_addresses,
        hsts_consistent,
    })
}

type TlsStream = tokio_rustls::client::TlsStream<kensa_probe::Conn>;

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// `step` cut to what is left before `deadline`.
fn budget(step: Duration, deadline: TokioInstant) -> Duration {
    step.min(deadline.saturating_duration_since(TokioInstant::now()))
}

async fn dial(
    scope: &Scope,
    addr: SocketAddr,
    config: &Config,
    deadline: TokioInstant,
) -> Result<kensa_probe::Conn, Error> {
    let after = budget(config.connect_timeout, deadline);
    // The outer timeout also bounds the wait for the seam's permits.
    match tokio::time::timeout(after, scope.connect(addr, after)).await {
        Err(_) => Err(Error::Timeout {
            stage: Stage::Connect,
            addr,
            after,
        }),
        Ok(r) => Ok(r?),
    }
}

async fn connect_tls(
    scope: &Scope,
    connector: &tokio_rustls::TlsConnector,
    server_name: &ServerName<'static>,
    addr: SocketAddr,
    config: &Config,
    deadline: TokioInstant,
) -> Result<(TlsStream, u64, u64), Error> {
    let conn = dial(scope, addr, config, deadline).await?;
    let tcp_us = micros(conn.connect_time());
    let after = budget(config.handshake_timeout, deadline);
    let clock = scope.clock();
    let started = clock.instant();
    let handshake = connector.connect(server_name.clone(), conn);
    let stream = match tokio::time::timeout(after, handshake).await {
        Err(_) => {
            return Err(Error::Timeout {
                stage: Stage::TlsHandshake,
                addr,
                after,
            });
        }
        Ok(Err(e)) => {
            return Err(Error::Handshake {
                addr,
                outcome: tls::handshake_outcome(&e),
                message: e.to_string(),
            });
        }
        Ok(Ok(s)) => s,
    };
    let tls_us = micros(clock.instant().saturating_duration_since(started));
    Ok((stream, tcp_us, tls_us))
}

/// Aborts the spawned connection task (and so closes the connection and frees the seam's
/// permits) when the exchange is over.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What one exchange gave, before it is turned into evidence.
struct Exchanged {
    status: StatusCode,
    version: Version,
    headers: HeaderMap,
    ttfb_us: u64,
    body_bytes_read: u64,
    body_complete: bool,
    body_limit_reached: bool,
    body_failure: Option<Failure>,
}

fn failure(stage: Stage, e: &hyper::Error) -> Failure {
    Failure {
        stage,
        outcome: hyper_outcome(e),
        error: error_chain(e),
    }
}

fn timeout_failure(stage: Stage, after: Duration) -> Failure {
    Failure {
        stage,
        outcome: Outcome::Timeout,
        error: format!("no answer within {after:?}"),
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

fn hyper_outcome(e: &hyper::Error) -> Outcome {
    // `is_parse` covers oversized heads too (hyper's `is_parse_too_large` exists only with
    // its server feature, which the probe does not use).
    if e.is_parse() || e.is_parse_status() {
        return Outcome::ProtocolViolation;
    }
    if e.is_timeout() {
        return Outcome::Timeout;
    }
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            return Outcome::from_io(io);
        }
        src = inner.source();
    }
    if e.is_incomplete_message() || e.is_closed() || e.is_canceled() {
        return Outcome::Reset;
    }
    // HTTP/2 errors (a reset stream, a GOAWAY, a bad frame) end here.
    Outcome::ProtocolViolation
}

/// One `GET` on an established stream: HTTP/2 when `h2`, else HTTP/1.1.
async fn exchange<S>(
    stream: S,
    url: &Url,
    h2: bool,
    read_body: bool,
    clock: &Arc<dyn Clock>,
    config: &Config,
    deadline: TokioInstant,
) -> Result<Exchanged, Failure>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let marks = Arc::new(Marks::default());
    let io = TokioIo::new(Watch::new(
        stream,
        Arc::clone(clock),
        Arc::clone(&marks),
        h2,
    ));
    let request = build_request(url, h2).map_err(|e| Failure {
        stage: Stage::ResponseHead,
        outcome: Outcome::InvalidInput,
        error: e,
    })?;
    let head_after = budget(config.request_timeout, deadline);
    let head_deadline = TokioInstant::now() + head_after;
    let (mut sender, _task) = if h2 {
        let mut b = hyper::client::conn::http2::Builder::new(TokioExecutor::new());
        b.max_header_list_size(u32::try_from(config.max_header_bytes).unwrap_or(u32::MAX));
        let (sender, conn) = match tokio::time::timeout_at(head_deadline, b.handshake(io)).await {
            Err(_) => return Err(timeout_failure(Stage::HttpHandshake, head_after)),
            Ok(Err(e)) => return Err(failure(Stage::HttpHandshake, &e)),
            Ok(Ok(pair)) => pair,
        };
        let task = AbortOnDrop(tokio::spawn(async move {
            let _ = conn.await;
        }));
        (Sender::H2(sender), task)
    } else {
        let mut b = hyper::client::conn::http1::Builder::new();
        b.max_headers(config.max_headers.max(1))
            .max_header_size(config.max_header_bytes)
            .max_buf_size(config.max_header_bytes.max(8192));
        let (sender, conn) = match tokio::time::timeout_at(head_deadline, b.handshake(io)).await {
            Err(_) => return Err(timeout_failure(Stage::HttpHandshake, head_after)),
            Ok(Err(e)) => return Err(failure(Stage::HttpHandshake, &e)),
            Ok(Ok(pair)) => pair,
        };
        let task = AbortOnDrop(tokio::spawn(async move {
            let _ = conn.await;
        }));
        (Sender::H1(sender), task)
    };
    let started = clock.instant();
    marks.arm();
    let response = match tokio::time::timeout_at(head_deadline, sender.send(request)).await {
        Err(_) => return Err(timeout_failure(Stage::ResponseHead, head_after)),
        Ok(Err(e)) => return Err(failure(Stage::ResponseHead, &e)),
        Ok(Ok(r)) => r,
    };
    let head_at = clock.instant();
    let first = marks.first_byte().unwrap_or(head_at).min(head_at);
    let ttfb_us = micros(first.saturating_duration_since(started));
    let (parts, mut body) = response.into_parts();
    let mut out = Exchanged {
        status: parts.status,
        version: parts.version,
        headers: parts.headers,
        ttfb_us,
        body_bytes_read: 0,
        body_complete: false,
        body_limit_reached: false,
        body_failure: None,
    };
    if !read_body {
        return Ok(out);
    }
    let body_after = budget(config.body_timeout, deadline);
    let body_deadline = TokioInstant::now() + body_after;
    let limit = u64::try_from(config.max_body_bytes).unwrap_or(u64::MAX);
    loop {
        match tokio::time::timeout_at(body_deadline, body.frame()).await {
            Err(_) => {
                out.body_failure = Some(timeout_failure(Stage::Body, body_after));
                break;
            }
            Ok(None) => {
                out.body_complete = true;
                break;
            }
            Ok(Some(Err(e))) => {
                out.body_failure = Some(failure(Stage::Body, &e));
                break;
            }
            Ok(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    let n = u64::try_from(data.len()).unwrap_or(u64::MAX);
                    out.body_bytes_read = out.body_bytes_read.saturating_add(n);
                    if out.body_bytes_read >= limit {
                        out.body_limit_reached = true;
                        break;
                    }
                }
            }
        }
    }
    Ok(out)
}

enum Sender {
    H1(hyper::client::conn::http1::SendRequest<Empty<Bytes>>),
    H2(hyper::client::conn::http2::SendRequest<Empty<Bytes>>),
}

impl Sender {
    async fn send(
        &mut self,
        request: Request<Empty<Bytes>>,
    ) -> hyper::Result<http::Response<hyper::body::Incoming>> {
        match self {
            Self::H1(s) => {
                s.ready().await?;
                s.send_request(request).await
            }
            Self::H2(s) => {
                s.ready().await?;
                s.send_request(request).await
            }
        }
    }
}

/// `GET <path>`: HTTP/1.1 in origin form with a `Host` header; HTTP/2 with the absolute URI
/// (hyper sends `:scheme`, `:authority` and `:path` from it).
fn build_request(url: &Url, h2: bool) -> Result<Request<Empty<Bytes>>, String> {
    let builder = if h2 {
        Request::get(url.to_string()).version(Version::HTTP_2)
    } else {
        Request::get(url.path.as_str())
            .version(Version::HTTP_11)
            .header(header::HOST, url.authority())
    };
    builder
        .header(header::USER_AGENT, USER_AGENT)
        .header(header::ACCEPT, "*/*")
        .body(Empty::new())
        .map_err(|e| format!("building the request for {url}: {e}"))
}

fn lossy(v: &http::HeaderValue) -> String {
    String::from_utf8_lossy(v.as_bytes()).into_owned()
}

/// All values of `name`, joined with `", "`; absent when there is none.
fn joined(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
    let values: Vec<String> = headers.get_all(name).iter().map(lossy).collect();
    (!values.is_empty()).then(|| values.join(", "))
}

fn version_name(v: Version) -> String {
    match v {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_11 => "HTTP/1.1",
        Version::HTTP_2 => "HTTP/2",
        Version::HTTP_3 => "HTTP/3",
        _ => "unknown",
    }
    .to_owned()
}

impl Exchanged {
    fn into_response(self, config: &Config) -> Response {
        let h = &self.headers;
        let n = |s: &'static str| HeaderName::from_static(s);
        let mut headers = Vec::new();
        let mut header_bytes: u64 = 0;
        for (name, value) in h.iter().take(config.max_headers) {
            let size = name.as_str().len() + value.len() + 4;
            header_bytes = header_bytes.saturating_add(u64::try_from(size).unwrap_or(u64::MAX));
            headers.push(Header {
                name: name.as_str().to_owned(),
                value: lossy(value),
            });
        }
        let sts: Vec<&http::HeaderValue> = h
            .get_all(header::STRICT_TRANSPORT_SECURITY)
            .iter()
            .collect();
        let hsts = sts.first().map(|v| parse_hsts(v.as_bytes(), sts.len()));
        Response {
            status: self.status.as_u16(),
            http_version: version_name(self.version),
            time_to_first_byte_us: self.ttfb_us,
            headers_truncated: h.len() > config.max_headers,
            headers,
            header_bytes,
            body_bytes_read: self.body_bytes_read,
            body_complete: self.body_complete,
            body_limit_reached: self.body_limit_reached,
            body_failure: self.body_failure,
            hsts,
            security_headers: SecurityHeaders {
                content_security_policy: joined(h, &header::CONTENT_SECURITY_POLICY),
                content_security_policy_report_only: joined(
                    h,
                    &header::CONTENT_SECURITY_POLICY_REPORT_ONLY,
                ),
                x_content_type_options: joined(h, &header::X_CONTENT_TYPE_OPTIONS),
                x_frame_options: joined(h, &header::X_FRAME_OPTIONS),
                referrer_policy: joined(h, &header::REFERRER_POLICY),
                permissions_policy: joined(h, &n("permissions-policy")),
                cross_origin_opener_policy: joined(h, &n("cross-origin-opener-policy")),
                cross_origin_embedder_policy: joined(h, &n("cross-origin-embedder-policy")),
                cross_origin_resource_policy: joined(h, &n("cross-origin-resource-policy")),
            },
            server: joined(h, &header::SERVER),
            x_powered_by: joined(h, &n("x-powered-by")),
            alt_svc: joined(h, &header::ALT_SVC),
        }
    }
}

/// Whether `host` (from a `Location`) is the target's host: its name, its SNI name, or one of
/// its addresses.
fn same_host(scope: &Scope, target: &Target, host: &str) -> bool {
    if let Ok(ip) = host.parse::<IpAddr>() {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        return scope.addresses().contains(&ip) || target.host.ip() == Some(ip);
    }
    let name = |n: &str| n.strip_suffix('.').unwrap_or(n).eq_ignore_ascii_case(host);
    matches!(&target.host, Host::Name(n) if name(n)) || target.sni.as_deref().is_some_and(name)
}

/// The ports a plain-HTTP redirect may be followed to: 80, 443, the configured plain-HTTP
/// port and the target's own. Anything else on the same host (an admin console on 8080, a
/// database on 5432) is not what the catalog asked to probe.
fn allowed_port(port: u16, target: &Target, config: &Config) -> bool {
    matches!(port, 80 | 443) || port == config.plain_http_port || port == target.port
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The plain-HTTP chain: `GET http://<host>:<plain_http_port>/`, redirects followed within
/// scope only.
async fn plain_http(
    scope: &Scope,
    target: &Target,
    host: &str,
    config: &Config,
    deadline: TokioInstant,
) -> PlainHttp {
    let clock = Arc::clone(scope.clock());
    let mut url = Url::new("http", host, config.plain_http_port, "/");
    let mut out = PlainHttp {
        port: config.plain_http_port,
        hops: Vec::new(),
        end: PlainEnd::Closed,
        final_location: None,
        https_same_host: false,
    };
    let mut previous: Option<IpAddr> = None;
    let mut redirects: u8 = 0;
    loop {
        let mut hop = Hop {
            url: url.to_string(),
            address: None,
            failed_addresses: Vec::new(),
            tcp_connect_us: None,
            status: None,
            location: None,
            failure: None,
        };
        // An IP literal is dialled as is (it is in scope, or we would not be here); the
        // target's name is dialled on its addresses, the one that answered last first.
        let candidates: Vec<IpAddr> = match url.host.parse::<IpAddr>() {
            Ok(ip) => vec![ip],
            Err(_) => previous
                .into_iter()
                .chain(
                    scope
                        .addresses()
                        .iter()
                        .copied()
                        .filter(|a| Some(*a) != previous),
                )
                .collect(),
        };
        let mut conn = None;
        for ip in candidates {
            match dial(scope, SocketAddr::new(ip, url.port), config, deadline).await {
                Ok(c) => {
                    conn = Some(c);
                    break;
                }
                Err(e) => hop.failed_addresses.push(AddressFailure {
                    address: ip,
                    stage: Stage::Connect,
                    outcome: e.outcome(),
                    error: e.to_string(),
                }),
            }
        }
        let Some(conn) = conn else {
            out.end = if out.hops.is_empty() {
                PlainEnd::Closed
            } else {
                PlainEnd::Error
            };
            out.hops.push(hop);
            return out;
        };
        let ip = conn.peer().ip();
        previous = Some(ip);
        hop.address = Some(ip);
        hop.tcp_connect_us = Some(micros(conn.connect_time()));
        let exchanged = exchange(conn, &url, false, false, &clock, config, deadline).await;
        let response = match exchanged {
            Ok(r) => r,
            Err(f) => {
                hop.failure = Some(f);
                out.hops.push(hop);
                out.end = PlainEnd::Error;
                return out;
            }
        };
        let status = response.status.as_u16();
        hop.status = Some(status);
        hop.location = response.headers.get(header::LOCATION).map(lossy);
        let location = hop.location.clone();
        out.hops.push(hop);
        let Some(location) = location.filter(|_| is_redirect(status)) else {
            out.end = PlainEnd::NoRedirect;
            return out;
        };
        let Ok(next) = url.join(&location) else {
            out.end = PlainEnd::InvalidLocation;
            return out;
        };
        out.final_location = Some(next.to_string());
        if !same_host(scope, target, &next.host) {
            out.end = PlainEnd::OffScope;
            return out;
        }
        match next.scheme.as_str() {
            "https" => {
                out.end = PlainEnd::HttpsSameHost;
                out.https_same_host = true;
                return out;
            }
            "http" if !allowed_port(next.port, target, config) => {
                out.end = PlainEnd::OffPort;
                return out;
            }
            "http" if redirects >= config.max_redirects => {
                out.end = PlainEnd::TooManyRedirects;
                return out;
            }
            "http" => {
                redirects = redirects.saturating_add(1);
                url = next;
            }
            _ => {
                out.end = PlainEnd::UnsupportedScheme;
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use kensa_probe::{Limits, Net, TargetId, TcpConnector};

    use super::*;

    #[test]
    fn stage_ids_match_serde() {
        for s in [
            Stage::Connect,
            Stage::TlsHandshake,
            Stage::HttpHandshake,
            Stage::ResponseHead,
            Stage::Body,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.id());
        }
    }

    #[test]
    fn errors_map_to_outcomes() {
        let addr: SocketAddr = "192.0.2.1:443".parse().unwrap();
        let timeout = Error::Timeout {
            stage: Stage::TlsHandshake,
            addr,
            after: Duration::from_secs(5),
        };
        assert_eq!(timeout.outcome(), Outcome::Timeout);
        assert_eq!(
            timeout.to_string(),
            "tls-handshake with 192.0.2.1:443 timed out after 5s"
        );
        assert_eq!(Error::NoAddresses.outcome(), Outcome::InvalidInput);
        let hs = Error::Handshake {
            addr,
            outcome: Outcome::HandshakeFailure,
            message: "alert".into(),
        };
        assert_eq!(hs.outcome(), Outcome::HandshakeFailure);
        let alert = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure),
        );
        assert_eq!(tls::handshake_outcome(&alert), Outcome::HandshakeFailure);
        let eof = std::io::Error::from(std::io::ErrorKind::UnexpectedEof);
        assert_eq!(tls::handshake_outcome(&eof), Outcome::Reset);
    }

    #[test]
    fn same_host_is_the_name_the_sni_or_an_address() {
        let mut t = Target::new(TargetId::new("t"), Host::Name("www.a.test".into()), 443);
        t.addresses = vec!["192.0.2.1".parse().unwrap(), "2001:db8::1".parse().unwrap()];
        t.sni = Some("sni.a.test".into());
        let scope = Net::new(Arc::new(TcpConnector), Limits::default(), false).scope(&t);
        for yes in [
            "www.a.test",
            "WWW.A.TEST",
            "sni.a.test",
            "192.0.2.1",
            "2001:db8::1",
        ] {
            assert!(same_host(&scope, &t, yes), "{yes}");
        }
        for no in ["a.test", "www.a.test.evil.test", "192.0.2.2", "::1", ""] {
            assert!(!same_host(&scope, &t, no), "{no}");
        }
    }
}

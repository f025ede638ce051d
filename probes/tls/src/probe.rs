//! The TLS scan: what one endpoint accepts, found with as few handshakes as the method allows.
//!
//! # Method
//!
//! Every attempt is one TCP connection through the dial seam, one ClientHello written by
//! [`crate::hello`], and the server's first flight read by [`crate::server`]; no key exchange
//! is ever completed, so no cryptography is needed to see what a server *accepts*.
//!
//! - **Versions and suites** (SSL 3.0 .. TLS 1.2): offer every registry suite not yet seen;
//!   the server picks one; remove it and ask again, until the server refuses. A version costs
//!   *accepted + 1* connections; a refused version costs one. When a server drops a large
//!   hello without an alert, the offer is split into chunks and each chunk enumerated.
//! - **TLS 1.3**: the same removal loop over the TLS 1.3 suites (a HelloRetryRequest names the
//!   suite too); then the groups, offered with an *empty* key_share so the server must name
//!   its choice in a HelloRetryRequest: *accepted + 1* connections. The first group named is
//!   the server's choice when offered every group, post-quantum hybrids included.
//! - **Server order**: per version with two or more suites, one more hello offers them in
//!   reverse; the same pick means the server imposes its order, and then the order in which
//!   the loop found the suites *is* the server's order.
//! - **TLS 1.2 ECDHE groups**: the removal loop over groups, read from ServerKeyExchange.
//! - **SSL 2.0**: one SSL 2.0 CLIENT-HELLO with every cipher kind.
//! - **Checks**: TLS_FALLBACK_SCSV (RFC 7507) at a lower version; CCS injection
//!   (CVE-2014-0224: a ChangeCipherSpec sent before the key exchange must draw an
//!   `unexpected_message` alert); Heartbleed (CVE-2014-0160, only when the server offers the
//!   heartbeat extension: a heartbeat request claiming more payload than it carries; only the
//!   size of any answer is read).
//!
//! Independent rounds run concurrently; the dial seam's per-host limit bounds them.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use kensa_probe::{Conn, DialError, Outcome, Scope, Target};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::codec::{
    AlertDescription, CipherSuite, NamedGroup, ProtocolVersion, SignatureScheme, Ssl2CipherKind,
    first_alert, hex, record, split_records,
};
use crate::hello::{ClientExtension, ClientHello, KeyShareEntry, Rng, Ssl2ClientHello};
use crate::server::{
    Alert, EcCurve, FlightReader, Limits, Progress, ServerExtension, ServerFlight,
    ServerKeyExchange, Ssl2ServerMessage, read_ssl2_record,
};
use crate::suites::{
    CIPHER_SUITES, CipherMode, GROUPS, GroupKind, KeyExchange, SSL2_CIPHER_KINDS, suite_info,
};

/// The stable id of this probe.
pub const PROBE_ID: &str = "tls.scan";
/// The version of this probe's method and observation format.
pub const PROBE_VERSION: &str = "1";

/// How the scan runs. Defaults are given per field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Timeout of one TCP connect. Default 3 s.
    pub connect_timeout: Duration,
    /// How long to wait for the server's whole answer to one hello (one deadline per answer,
    /// however slowly the bytes arrive). Default 5 s.
    pub read_timeout: Duration,
    /// Suites per hello when a server drops the full offer without an alert. Default 64.
    pub chunk_size: usize,
    /// Run the active checks (fallback SCSV, CCS injection, Heartbleed). Default true.
    pub active_checks: bool,
    /// Take the JARM fingerprint (ten more connections). Default false.
    pub jarm: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            read_timeout: Duration::from_secs(5),
            chunk_size: 64,
            active_checks: true,
            jarm: false,
        }
    }
}

/// Why the scan gathered no evidence at all.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The target has no address.
    #[error("the target has no address to connect to")]
    NoAddress,
    /// Not even the first connection could be made.
    #[error(transparent)]
    Dial(#[from] DialError),
}

impl Error {
    /// The outcome this error stands for.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::NoAddress => Outcome::InvalidInput,
            Self::Dial(e) => e.outcome(),
        }
    }
}

/// How the server answered one hello.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Answer {
    /// A ServerHello (or HelloRetryRequest) for this version.
    Accepted,
    /// A ServerHello for another version.
    OtherVersion {
        /// The version the server chose.
        version: ProtocolVersion,
    },
    /// An alert and no ServerHello.
    Alert {
        /// The alert description.
        description: AlertDescription,
    },
    /// The connection closed without an answer.
    Closed,
    /// The connection was reset.
    Reset,
    /// No answer within the read timeout.
    Timeout,
    /// The answer was not valid TLS; the parser's message.
    Malformed {
        /// What was wrong.
        error: String,
    },
    /// A ServerHello for this version (so the version and suite were accepted), then a
    /// Certificate message of `length` bytes over kensa's `cap`: the chain was not read whole.
    CertificateOverCap {
        /// The Certificate message's announced length, bytes.
        length: usize,
        /// The cap, bytes.
        cap: usize,
    },
    /// The dial seam gave no connection.
    NoConnection {
        /// Why.
        error: String,
    },
    /// This version was not tried.
    NotTried {
        /// Why.
        reason: String,
    },
}

/// Whether one protocol version is accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtocolSupport {
    /// The version.
    pub version: ProtocolVersion,
    /// True when the server completed a ServerHello for exactly this version.
    pub accepted: bool,
    /// The server's answer to the first hello of this version.
    pub answer: Answer,
}

/// A cipher suite, with its registry facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiteEntry {
    /// The code point (serialised as its IANA name, or hex when unassigned).
    pub suite: CipherSuite,
    /// The OpenSSL name, where OpenSSL has one.
    pub openssl_name: Option<String>,
    /// Key exchange (`ECDHE`, `DHE`, `RSA`, ...).
    pub kx: String,
    /// Authentication (`RSA`, `ECDSA`, `ANON`, ...).
    pub auth: String,
    /// Bulk cipher (`AES`, `3DES`, `RC4`, ...).
    pub cipher: String,
    /// Cipher key size, bits.
    pub key_bits: u16,
    /// Mode (`GCM`, `CBC`, `stream`, ...).
    pub mode: String,
    /// MAC (`AEAD`, `SHA1`, ...).
    pub mac: String,
    /// Authenticated encryption.
    pub aead: bool,
    /// Forward secrecy (ephemeral key exchange).
    pub forward_secrecy: bool,
    /// An export-grade suite.
    pub export: bool,
}

/// The serde name of a registry enum value (`"ECDHE"`, `"GCM"`, ...).
fn name_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "unknown".to_owned(),
    }
}

impl SuiteEntry {
    fn of(suite: CipherSuite) -> Self {
        match suite_info(suite) {
            Some(i) => Self {
                suite,
                openssl_name: i.openssl_name.map(str::to_owned),
                kx: name_of(&i.kx),
                auth: name_of(&i.auth),
                cipher: name_of(&i.cipher),
                key_bits: i.key_bits,
                mode: name_of(&i.mode),
                mac: name_of(&i.mac),
                aead: i.aead,
                forward_secrecy: i.forward_secrecy,
                export: i.export,
            },
            None => Self {
                suite,
                openssl_name: None,
                kx: "unknown".into(),
                auth: "unknown".into(),
                cipher: "unknown".into(),
                key_bits: 0,
                mode: "unknown".into(),
                mac: "unknown".into(),
                aead: false,
                forward_secrecy: false,
                export: false,
            },
        }
    }
}

/// The suites one version accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSuites {
    /// The protocol version.
    pub version: ProtocolVersion,
    /// Whether the server imposes its own order: `Some(true)` server order, `Some(false)` the
    /// client's order, `None` when fewer than two suites are accepted (nothing to order).
    pub server_order: Option<bool>,
    /// Accepted suites: in the server's order of preference when `server_order` is true,
    /// otherwise in the order found.
    pub accepted: Vec<SuiteEntry>,
}

/// Key-exchange groups the server accepts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Groups {
    /// TLS 1.3 groups accepted (named in a HelloRetryRequest), in the order found: the
    /// server's preference when `tls13_server_order` is true, otherwise the order of kensa's
    /// offer (hybrids first, then the registry's order).
    pub tls13: Vec<NamedGroup>,
    /// Whether the server imposes its own group order in TLS 1.3 (offering the groups found
    /// in reverse gave the same first choice); `None` with fewer than two groups.
    pub tls13_server_order: Option<bool>,
    /// The group the server chose when offered every group with no key share.
    pub tls13_preferred: Option<NamedGroup>,
    /// The group the server used when offered every group with only an x25519 key share:
    /// the group of the ServerHello, or of the HelloRetryRequest it sent instead.
    pub tls13_first_handshake_group: Option<NamedGroup>,
    /// Whether that first handshake needed a HelloRetryRequest (the server preferred a group
    /// other than the x25519 share offered).
    pub tls13_hello_retry: Option<bool>,
    /// TLS 1.2 ECDHE groups accepted (from ServerKeyExchange), in the order found: the
    /// server's preference when `tls12_server_order` is true.
    pub tls12: Vec<NamedGroup>,
    /// Whether the server imposes its own group order in TLS 1.2; `None` with fewer than two.
    pub tls12_server_order: Option<bool>,
    /// The TLS 1.2 group chosen when offered every group.
    pub tls12_preferred: Option<NamedGroup>,
}

impl Groups {
    /// Whether any accepted group is a post-quantum (ML-KEM or hybrid) group.
    pub fn post_quantum(&self) -> bool {
        self.tls13.iter().any(|g| {
            GROUPS
                .iter()
                .any(|i| i.group == *g && matches!(i.kind, GroupKind::MlKem | GroupKind::Hybrid))
        })
    }
}

/// Finite-field Diffie-Hellman parameters seen in a DHE ServerKeyExchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DheParams {
    /// Size of the prime p, bits.
    pub prime_bits: usize,
    /// The generator g, hex.
    pub generator: String,
    /// The prime p, hex (so the group can be recognised later).
    pub prime: String,
    /// The suite whose handshake showed these parameters.
    pub suite: CipherSuite,
    /// The published group these parameters are (e.g. `rfc3526-modp2048`,
    /// `rfc7919-ffdhe2048`, `rfc2409-oakley-group2`), if any.
    pub well_known_group: Option<String>,
    /// Primality of p, safe prime, the generator's subgroup, weak or shared group (issue 19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<crate::dh_check::DhCheck>,
}

/// What the server's TLS 1.0–1.2 ServerHello extensions and messages showed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extensions {
    /// The version these were read at (the highest accepted up to TLS 1.2).
    pub seen_at: Option<ProtocolVersion>,
    /// extended_master_secret acknowledged (RFC 7627).
    pub extended_master_secret: Option<bool>,
    /// encrypt_then_mac acknowledged (RFC 7366; only meaningful with a CBC suite).
    pub encrypt_then_mac: Option<bool>,
    /// renegotiation_info present: secure renegotiation (RFC 5746).
    pub secure_renegotiation: Option<bool>,
    /// session_ticket acknowledged (RFC 5077).
    pub session_ticket: Option<bool>,
    /// A session id was assigned (session-id resumption possible).
    pub session_id: Option<bool>,
    /// heartbeat extension present (RFC 6520), with the server's mode.
    pub heartbeat: Option<u8>,
    /// status_request acknowledged and a CertificateStatus sent (OCSP stapling).
    pub ocsp_stapling: Option<bool>,
    /// The stapled OCSP response, DER hex.
    pub ocsp_response: Option<String>,
    /// SCTs delivered in the TLS extension (RFC 6962), count.
    pub sct_extension: Option<usize>,
    /// The ALPN protocol selected when offered h2 and http/1.1.
    pub alpn: Option<String>,
    /// TLS compression (DEFLATE) chosen when offered: CRIME exposure.
    pub compression: Option<bool>,
    /// Signature schemes the server used in ServerKeyExchange (TLS 1.2).
    pub ske_signature_schemes: Vec<SignatureScheme>,
}

/// A certificate chain as the server sent it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturedChain {
    /// How it was captured: `certificate-message` (plaintext, TLS ≤ 1.2) or `rustls` (TLS 1.3).
    pub source: String,
    /// The authentication of the suite it came with (`RSA`, `ECDSA`, ...).
    pub auth: String,
    /// The protocol version it was sent under.
    pub version: ProtocolVersion,
    /// DER certificates, hex, leaf first as sent. With `oversized.cut`, the leaf alone (when
    /// it could be read from the message's first bytes) or nothing.
    pub certificates: Vec<String>,
    /// The Certificate message was larger than the smallest common client cap (rustls's
    /// 64 KiB, [`SMALLEST_CLIENT_CERTIFICATE_CAP`]); absent otherwise (issue 19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oversized: Option<OversizedChain>,
}

/// The smallest cap on a Certificate message among common clients: rustls refuses a
/// handshake message over 64 KiB (OpenSSL's default is 100 KiB).
pub const SMALLEST_CLIENT_CERTIFICATE_CAP: usize = 64 * 1024;

/// A Certificate message too large for some common clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OversizedChain {
    /// The message body's length as announced, bytes.
    pub certificate_message_bytes: usize,
    /// Whether it was over kensa's own cap ([`crate::server::Limits::max_message_len`]) so
    /// that the chain was not read whole.
    pub cut: bool,
    /// kensa's cap, bytes.
    pub cap: usize,
    /// With `cut`: whether the leaf was read from the message's first bytes.
    pub leaf_read: bool,
}

/// The result of one active check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The server behaved safely.
    NotVulnerable,
    /// The server behaved as a vulnerable one does.
    Vulnerable,
    /// The check does not apply (e.g. no heartbeat extension, a single version).
    NotApplicable,
    /// The answer did not decide it.
    Inconclusive,
    /// The check was not run (disabled, or not implemented for this server).
    NotTested,
}

/// One active check: its result and what was seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    /// The result.
    pub result: Check,
    /// What the server did, in words.
    pub detail: String,
}

impl CheckResult {
    fn new(result: Check, detail: impl Into<String>) -> Self {
        Self {
            result,
            detail: detail.into(),
        }
    }
}

/// The active checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checks {
    /// TLS_FALLBACK_SCSV (RFC 7507): `not-vulnerable` when a fallback hello is refused with
    /// `inappropriate_fallback`.
    pub fallback_scsv: CheckResult,
    /// OpenSSL CCS injection (CVE-2014-0224).
    pub ccs_injection: CheckResult,
    /// Heartbleed (CVE-2014-0160).
    pub heartbleed: CheckResult,
    /// Client-initiated renegotiation (`vulnerable`: the server renegotiates when a client
    /// asks inside an established TLS 1.2 session; see [`crate::reneg`]).
    pub client_renegotiation: CheckResult,
    /// ROBOT (CVE-2017-13099 family): a Bleichenbacher oracle on RSA key exchange (see
    /// [`crate::robot`]). Absent in observations recorded before issue 19.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robot: Option<crate::robot::Robot>,
}

/// Exposures derived from what was accepted; each says what it rests on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exposures {
    /// POODLE (CVE-2014-3566): SSL 3.0 with a CBC suite.
    pub poodle: bool,
    /// BEAST (CVE-2011-3389): TLS 1.0 (or SSL 3.0) with a CBC suite.
    pub beast: bool,
    /// SWEET32 (CVE-2016-2183): a 64-bit block cipher (3DES, DES, IDEA, RC2).
    pub sweet32: bool,
    /// FREAK (CVE-2015-0204): an RSA export suite.
    pub freak: bool,
    /// Logjam (CVE-2015-4000): a DHE export suite, or DHE with a prime under 1024 bits.
    pub logjam: bool,
    /// RC4 (RFC 7465 forbids it).
    pub rc4: bool,
    /// DROWN (CVE-2016-0800) exposure: SSL 2.0 accepted on this endpoint.
    pub drown: bool,
    /// LUCKY13 (CVE-2013-0169) exposure: a CBC suite with HMAC in TLS ≤ 1.2.
    pub lucky13: bool,
    /// An anonymous (unauthenticated) suite.
    pub anonymous: bool,
    /// A NULL-encryption suite.
    pub null_cipher: bool,
    /// An export-grade suite.
    pub export: bool,
}

/// Everything the TLS scan observed on one address of an endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The address scanned.
    pub address: IpAddr,
    /// The TCP port.
    pub port: u16,
    /// The SNI name sent (none for a bare IP target).
    pub server_name: Option<String>,
    /// Per version, SSL 2.0 to TLS 1.3: accepted or not, and the server's answer.
    pub protocols: Vec<ProtocolSupport>,
    /// Accepted suites per accepted version (SSL 3.0 .. TLS 1.3).
    pub cipher_suites: Vec<VersionSuites>,
    /// SSL 2.0 cipher kinds the server offered.
    pub ssl2_cipher_kinds: Vec<Ssl2CipherKind>,
    /// Key-exchange groups.
    pub groups: Groups,
    /// DHE parameters, when a DHE suite is accepted.
    pub dhe: Option<DheParams>,
    /// TLS 1.0–1.2 extensions and stapling.
    pub extensions: Extensions,
    /// Certificate chains seen in plaintext Certificate messages, one per authentication kind.
    pub chains: Vec<CapturedChain>,
    /// Full handshakes by a standard client (rustls): declaring RSA keys only, then ECDSA
    /// keys only, so a server with both certificates shows both chains.
    pub modern: Vec<crate::modern::ModernHandshake>,
    /// The active checks.
    pub checks: Checks,
    /// The JARM fingerprint, when asked for ([`Config::jarm`]).
    pub jarm: Option<crate::jarm::Jarm>,
    /// Exposures derived from the accepted versions and suites.
    pub exposures: Exposures,
    /// TCP connections the scan opened.
    pub connections: u32,
    /// Wall time of the whole scan, ms.
    pub elapsed_ms: u64,
    /// The endpoint's other addresses, each scanned as this one (issue 19), in the target's
    /// order; empty for an endpoint with one address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_addresses: Vec<AddressScan>,
    /// Client certificates (issue 19): whether TLS 1.3 and TLS 1.2 ask for one, optional or
    /// required, the CA names and signature schemes listed. Absent when the scan did not
    /// get that far (a silent server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_certificates: Option<crate::client_auth::ClientCertificates>,
    /// How the endpoint's addresses compare (versions, suites, certificate, reachability);
    /// absent for an endpoint with one address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_agreement: Option<AddressAgreement>,
}

/// One more address of an endpoint, scanned as the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressScan {
    /// The address.
    pub address: IpAddr,
    /// What the scan of this address observed; absent when it gathered nothing (`error`).
    pub observation: Option<Observation>,
    /// How the scan of this address ended when it gathered nothing.
    pub outcome: Option<Outcome>,
    /// Why it gathered nothing.
    pub error: Option<String>,
}

/// What is compared between the addresses of one endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// One address was scanned, another gave no TLS evidence at all.
    Reachability,
    /// The protocol versions accepted.
    Versions,
    /// The cipher suites accepted, per version.
    CipherSuites,
    /// The leaf certificates served (SHA-256 of each, hex).
    Certificate,
}

/// How one address differs from the first address scanned in one aspect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressDifference {
    /// The address that differs.
    pub address: IpAddr,
    /// In what.
    pub aspect: Aspect,
    /// What the first address showed and this one did not.
    pub only_first: Vec<String>,
    /// What this address showed and the first did not.
    pub only_here: Vec<String>,
}

/// How the addresses of one endpoint compare (issue 19: a stale node, a region rolled out
/// later).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressAgreement {
    /// Every address scanned; the first is the one whose observation holds the others.
    pub addresses: Vec<IpAddr>,
    /// Whether the addresses agree in every aspect compared.
    pub consistent: bool,
    /// Each difference from the first address, by address then aspect.
    pub differences: Vec<AddressDifference>,
}

impl Observation {
    /// Whether this version is accepted.
    pub fn accepts(&self, v: ProtocolVersion) -> bool {
        self.protocols.iter().any(|p| p.version == v && p.accepted)
    }

    /// The chains this scan captured, as the certificate analysis (`x509.chain`) reads them:
    /// labelled `source/auth/version`, each with the OCSP staple that came with it (the TLS 1.2
    /// flight's for Certificate-message chains, the matching rustls handshake's for rustls
    /// chains; the analysis says whether it is really for this leaf).
    pub fn supplied_chains(&self) -> Vec<kensa_probe::SuppliedChain> {
        // Every address's chains (issue 19): the first address's as they are, another
        // address's only when it served a chain the ones before did not, labelled with its
        // address.
        let mut seen: Vec<&[String]> = Vec::new();
        let mut out = Vec::new();
        let per_address = std::iter::once((None, self)).chain(
            self.other_addresses
                .iter()
                .filter_map(|a| a.observation.as_ref().map(|o| (Some(a.address), o))),
        );
        for (address, obs) in per_address {
            for c in &obs.chains {
                if address.is_some() && seen.contains(&c.certificates.as_slice()) {
                    continue;
                }
                seen.push(&c.certificates);
                let ocsp_response = if c.source == "rustls" {
                    obs.modern
                        .iter()
                        .find(|m| m.chain.first() == c.certificates.first())
                        .and_then(|m| m.ocsp_response.clone())
                } else {
                    obs.extensions.ocsp_response.clone()
                };
                let version = match serde_json::to_value(c.version) {
                    Ok(serde_json::Value::String(s)) => s,
                    Ok(v) => v.to_string(),
                    Err(_) => "?".to_owned(),
                };
                let mut label = format!("{}/{}/{}", c.source, c.auth, version);
                if let Some(a) = address {
                    label = format!("{a}/{label}");
                }
                out.push(kensa_probe::SuppliedChain {
                    label,
                    certificates: c.certificates.clone(),
                    ocsp_response,
                    oversized: c.oversized.as_ref().map(|o| kensa_probe::SuppliedOversize {
                        certificate_message_bytes: o.certificate_message_bytes,
                        cut: o.cut,
                        leaf_read: o.leaf_read,
                    }),
                });
            }
        }
        out
    }
}

/// [`kensa_probe::ChainReader`] for a recorded `tls.scan` observation.
///
/// # Errors
/// When the JSON is not a `tls.scan` observation.
pub fn read_supplied_chains(observation: &str) -> Result<Vec<kensa_probe::SuppliedChain>, String> {
    serde_json::from_str::<Observation>(observation)
        .map(|o| o.supplied_chains())
        .map_err(|e| format!("cannot read the tls.scan observation: {e}"))
}

// -------------------------------------------------------------------------------------------
// One attempt: a connection, a hello, the server's first flight.

/// What came back for one hello.
#[derive(Debug)]
enum Reply {
    Flight(Box<ServerFlight>),
    Alert(Alert),
    Closed,
    Reset,
    Timeout,
    Malformed(String),
    NoConnection(DialError),
}

impl Reply {
    fn answer(&self) -> Answer {
        match self {
            Self::Flight(f) => match f.certificate_over_cap {
                Some(o) => Answer::CertificateOverCap {
                    length: o.length,
                    cap: o.cap,
                },
                None => Answer::Accepted,
            },
            Self::Alert(a) => Answer::Alert {
                description: a.description,
            },
            Self::Closed => Answer::Closed,
            Self::Reset => Answer::Reset,
            Self::Timeout => Answer::Timeout,
            Self::Malformed(e) => Answer::Malformed { error: e.clone() },
            Self::NoConnection(e) => Answer::NoConnection {
                error: e.to_string(),
            },
        }
    }
}

struct Ctx<'a> {
    scope: &'a Scope,
    addr: SocketAddr,
    sni: Option<String>,
    cfg: &'a Config,
    limits: Limits,
    connections: AtomicU32,
    rng: Mutex<Rng>,
    /// The fastest answer to a hello so far (from the hello's write to the whole flight), µs;
    /// `u64::MAX` before the first.
    min_rtt_us: AtomicU64,
    /// Requests for a connection not yet holding their permits, per [`Priority`] above
    /// [`Priority::Low`] ([`Ctx::dial_at`]).
    pending: [std::sync::atomic::AtomicUsize; 2],
    /// Notified when a `pending` count drops.
    pending_idle: tokio::sync::Notify,
    /// The turn of [`Priority::Chain`] requests.
    chain_gate: tokio::sync::Mutex<()>,
    /// The turn of [`Priority::Low`] requests ([`Ctx::low_turn`]).
    low_gate: tokio::sync::Mutex<()>,
}

/// Whose connection is asked for first (issue 21: at a distance the scan is bound by the
/// per-host limit, and a chain of dependent exchanges that waits for a permit at each step
/// becomes the scan's tail). The dial seam serves permits in the order asked; these levels
/// decide the order of asking: a level asks only when no request of a higher level is
/// waiting, one request at a time, so at most one lower request is ever queued in the seam
/// ahead of a higher one. The turn ends with the permit, not with the TCP handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Priority {
    /// The suite removal loops of TLS 1.3 and TLS 1.2 and their server-order hellos: the
    /// scan's longest chains.
    Critical,
    /// The other chains: groups, lower versions, the handshake followed by a resumption.
    Chain,
    /// One-off exchanges: SSL 2.0, the checks, the other modern handshake, ROBOT.
    Low,
}

/// Counts a request out of `pending` once it holds its permits (or is dropped).
struct Pending<'a, 'b>(&'a Ctx<'b>, usize);

impl<'a, 'b> Pending<'a, 'b> {
    fn new(ctx: &'a Ctx<'b>, level: usize) -> Self {
        if let Some(p) = ctx.pending.get(level) {
            p.fetch_add(1, Ordering::SeqCst);
        }
        Self(ctx, level)
    }
}

impl Drop for Pending<'_, '_> {
    fn drop(&mut self) {
        if let Some(p) = self.0.pending.get(self.1) {
            p.fetch_sub(1, Ordering::SeqCst);
        }
        self.0.pending_idle.notify_waiters();
    }
}

/// What a round has seen so far, for the rounds and checks that depend on it: they start as
/// soon as what they need is known instead of after the whole round.
#[derive(Clone, Debug, Default)]
struct Seen {
    /// The answer to the round's first hello.
    first: Option<Answer>,
    /// Suites accepted so far, in the order found.
    accepted: Vec<CipherSuite>,
    /// Whether the first accepted flight's ServerHello carried the heartbeat extension.
    heartbeat: bool,
    /// The round has ended.
    done: bool,
}

impl Ctx<'_> {
    fn rng(&self) -> Rng {
        let seed = self.rng.lock().map(|mut r| r.next_u64()).unwrap_or(1);
        Rng::from_seed(seed)
    }

    fn waiting(&self, level: usize) -> usize {
        self.pending
            .get(level)
            .map_or(0, |p| p.load(Ordering::SeqCst))
    }

    /// A new connection at `priority`, counted in the scan's total.
    async fn dial_at(&self, priority: Priority) -> Result<Conn, DialError> {
        self.connections.fetch_add(1, Ordering::Relaxed);
        let ip = self.addr.ip();
        let hold = match priority {
            Priority::Critical => {
                let _pending = Pending::new(self, 0);
                self.scope.hold(ip).await
            }
            Priority::Chain => {
                let _pending = Pending::new(self, 1);
                let _turn = self.turn(&self.chain_gate, 1).await;
                self.scope.hold(ip).await
            }
            Priority::Low => {
                let _turn = self.low_turn().await;
                self.scope.hold(ip).await
            }
        }?;
        self.scope
            .connect_held(hold, self.addr.port(), self.cfg.connect_timeout)
            .await
    }

    /// A connection for a one-off exchange (a check, SSL 2.0, ROBOT): [`Priority::Low`].
    async fn connect(&self) -> Result<Conn, DialError> {
        self.dial_at(Priority::Low).await
    }

    /// Hold `gate` once no request of the `above` highest levels is waiting.
    async fn turn<'g>(
        &self,
        gate: &'g tokio::sync::Mutex<()>,
        above: usize,
    ) -> tokio::sync::MutexGuard<'g, ()> {
        let turn = gate.lock().await;
        loop {
            let idle = self.pending_idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if (0..above).all(|l| self.waiting(l) == 0) {
                return turn;
            }
            idle.await;
        }
    }

    /// The turn of a [`Priority::Low`] request: once no higher request is waiting, one at a
    /// time (for exchanges that dial through a library, held until their dial is asked for).
    async fn low_turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.turn(&self.low_gate, 2).await
    }

    /// Send `hello` on a new connection and read the first flight. Returns the connection too,
    /// for checks that go on talking.
    async fn exchange_keep(&self, hello: &[u8]) -> (Reply, Option<Conn>) {
        let mut conn = match self.connect().await {
            Ok(c) => c,
            Err(e) => return (Reply::NoConnection(e), None),
        };
        if let Err(e) = conn.write_all(hello).await {
            return (io_reply(&e), None);
        }
        let reply = self.read_flight(&mut conn).await;
        (reply, Some(conn))
    }

    async fn exchange(&self, hello: &[u8]) -> Reply {
        self.exchange_keep(hello).await.0
    }

    /// The fastest answer seen so far on this endpoint (about one round trip).
    fn rtt_hint(&self) -> Option<Duration> {
        match self.min_rtt_us.load(Ordering::Relaxed) {
            u64::MAX => None,
            us => Some(Duration::from_micros(us)),
        }
    }

    /// One exchange of a chain of dependent exchanges: on `spare` when the previous step left
    /// a connection open, else on a new one. With `predial`, the next step's connection is
    /// opened while this hello is answered and left in `spare`, so each further step costs one
    /// round trip instead of two (the TCP handshake overlaps the previous answer).
    async fn exchange_chain(
        &self,
        spare: &mut Option<Conn>,
        hello: &[u8],
        predial: bool,
        priority: Priority,
    ) -> Reply {
        let conn = match spare.take() {
            Some(c) => c,
            None => match self.dial_at(priority).await {
                Ok(c) => c,
                Err(e) => return Reply::NoConnection(e),
            },
        };
        let talk = async move {
            let mut conn = conn;
            if let Err(e) = conn.write_all(hello).await {
                return io_reply(&e);
            }
            self.read_flight(&mut conn).await
        };
        let dial = async {
            if predial {
                self.dial_at(priority).await.ok()
            } else {
                None
            }
        };
        let (reply, next) = tokio::join!(talk, dial);
        *spare = next;
        reply
    }

    async fn read_flight(&self, conn: &mut Conn) -> Reply {
        let mut reader = FlightReader::new(self.limits);
        let mut buf = vec![0u8; 16 * 1024];
        // One deadline for the whole flight, not per read: a server dribbling a byte at a time
        // (slowloris) cannot stretch the wait past `read_timeout`.
        let started = tokio::time::Instant::now();
        let deadline = started + self.cfg.read_timeout;
        loop {
            let n = match tokio::time::timeout_at(deadline, conn.read(&mut buf)).await {
                Err(_) => return finish(reader, Reply::Timeout),
                Ok(Err(e)) => return finish(reader, io_reply(&e)),
                Ok(Ok(0)) => return finish(reader, Reply::Closed),
                Ok(Ok(n)) => n,
            };
            let chunk = buf.get(..n).unwrap_or_default();
            match reader.push(chunk) {
                Ok(Progress::Complete) => {
                    let us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
                    self.min_rtt_us.fetch_min(us, Ordering::Relaxed);
                    return finish(reader, Reply::Closed);
                }
                Ok(Progress::NeedMore) => {}
                Err(e) => return Reply::Malformed(e.to_string()),
            }
        }
    }

    fn legacy_hello(&self, version: ProtocolVersion, suites: Vec<CipherSuite>) -> Vec<u8> {
        let mut rng = self.rng();
        let mut h = ClientHello::legacy(version, suites, self.sni.as_deref(), &mut rng);
        if version > ProtocolVersion::SSL3 {
            h.compression_methods = vec![1, 0];
            h.extensions.extend([
                ClientExtension::ExtendedMasterSecret,
                ClientExtension::EncryptThenMac,
                ClientExtension::SessionTicket(Vec::new()),
                ClientExtension::StatusRequest,
                ClientExtension::SignedCertificateTimestamp,
                ClientExtension::Heartbeat(1),
                ClientExtension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]),
            ]);
        }
        encode_padded(h)
    }

    fn tls13_hello(
        &self,
        suites: Vec<CipherSuite>,
        groups: Vec<NamedGroup>,
        share: Option<NamedGroup>,
    ) -> Vec<u8> {
        let mut rng = self.rng();
        let shares = share
            .and_then(|g| KeyShareEntry::random(g, &mut rng))
            .into_iter()
            .collect();
        let mut h = ClientHello::tls13(suites, groups, shares, self.sni.as_deref(), &mut rng);
        h.extensions.extend([
            ClientExtension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]),
            ClientExtension::StatusRequest,
            ClientExtension::SignedCertificateTimestamp,
        ]);
        encode_padded(h)
    }
}

/// Encode a hello; a hello of 256 to 511 bytes is padded to 512 (RFC 7685 §1: some servers
/// hang on hellos in that range).
fn encode_padded(mut h: ClientHello) -> Vec<u8> {
    let len = h.encode_handshake().map(|b| b.len()).unwrap_or(0);
    if (256..512).contains(&len) && !h.extensions.is_empty() {
        // 4 bytes of extension header.
        h.extensions
            .push(ClientExtension::Padding((512 - len).saturating_sub(4)));
    }
    h.encode().unwrap_or_default()
}

fn io_reply(e: &std::io::Error) -> Reply {
    match Outcome::from_io(e) {
        Outcome::Timeout => Reply::Timeout,
        _ => Reply::Reset,
    }
}

/// The reply for what the reader holds, or `otherwise` when it holds nothing.
fn finish(reader: FlightReader, otherwise: Reply) -> Reply {
    let flight = reader.into_flight();
    if flight.server_hello.is_some() {
        return Reply::Flight(Box::new(flight));
    }
    match flight.alert {
        Some(a) => Reply::Alert(a),
        None => otherwise,
    }
}

// -------------------------------------------------------------------------------------------
// The rounds.

/// What a version's removal loop found.
#[derive(Default)]
struct Round {
    version: Option<ProtocolVersion>,
    /// The dial error of the first attempt, when it got no connection.
    unreachable: Option<DialError>,
    first: Option<Answer>,
    accepted: Vec<CipherSuite>,
    flights: Vec<ServerFlight>,
    notes: Vec<String>,
    /// A connection the round opened ahead and did not use (for the step that follows it).
    spare: Option<Conn>,
}

/// Who orders a list the server was offered in reverse (`found` is the order the removal loop
/// found): the server's first choice again means the server imposes its order (`true`); the
/// reversed list's first item means it follows the client (`false`); anything else, unknown.
fn order_shown<T: PartialEq>(picked: Option<T>, found: &[T]) -> Option<bool> {
    let picked = picked?;
    if found.len() < 2 {
        None
    } else if found.first() == Some(&picked) {
        Some(true)
    } else if found.last() == Some(&picked) {
        Some(false)
    } else {
        None
    }
}

/// How a removal loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// The server said no (an alert, another version), or every suite was found.
    Refused,
    /// The connection closed or reset without an answer.
    Quiet,
    /// No answer within the read timeout.
    TimedOut,
}

/// Every registry suite a hello for `version` may offer (no TLS 1.3 suites, no SCSVs).
fn legacy_offer(version: ProtocolVersion) -> Vec<CipherSuite> {
    CIPHER_SUITES
        .iter()
        .filter(|s| s.min_version <= version && s.min_version < ProtocolVersion::TLS1_3)
        .filter(|s| s.suite != CipherSuite(0x00ff) && s.suite != CipherSuite(0x5600))
        .map(|s| s.suite)
        .collect()
}

fn tls13_offer() -> Vec<CipherSuite> {
    CIPHER_SUITES
        .iter()
        .filter(|s| s.min_version == ProtocolVersion::TLS1_3)
        .map(|s| s.suite)
        .collect()
}

/// Every group a TLS 1.3 hello may name: the registry's TLS 1.3 groups, ML-KEM and hybrids.
fn tls13_groups() -> Vec<NamedGroup> {
    let mut g: Vec<NamedGroup> = GROUPS
        .iter()
        .filter(|i| i.tls13 || matches!(i.kind, GroupKind::MlKem | GroupKind::Hybrid))
        .map(|i| i.group)
        .collect();
    // Hybrids first, as a PQ-ready client orders them.
    g.sort_by_key(|x| {
        let kind = GROUPS.iter().find(|i| i.group == *x).map(|i| i.kind);
        !matches!(kind, Some(GroupKind::Hybrid))
    });
    g
}

/// Every EC group a TLS 1.2 ECDHE hello may name.
fn tls12_groups() -> Vec<NamedGroup> {
    GROUPS
        .iter()
        .filter(|i| {
            matches!(
                i.kind,
                GroupKind::PrimeCurve | GroupKind::Montgomery | GroupKind::BinaryCurve
            )
        })
        .map(|i| i.group)
        .collect()
}

impl Ctx<'_> {
    /// The removal loop for SSL 3.0 .. TLS 1.2. `eager`: open each next connection while the
    /// previous hello is answered, from the first hello on (else only once a suite is found).
    /// What is found is published in `seen` as it comes.
    async fn legacy_round(
        &self,
        version: ProtocolVersion,
        eager: bool,
        seen: Option<&tokio::sync::watch::Sender<Seen>>,
        priority: Priority,
    ) -> Round {
        let mut round = Round {
            version: Some(version),
            ..Round::default()
        };
        let offer = legacy_offer(version);
        let ending = self
            .legacy_loop(version, offer.clone(), &mut round, eager, seen, priority)
            .await;
        // A server that drops the whole offer without a word may choke on its size: try
        // chunks (only if nothing was found, and only once).
        if ending != Ending::Refused
            && round.accepted.is_empty()
            && offer.len() > self.cfg.chunk_size
        {
            round
                .notes
                .push("no answer to the full offer: retried in chunks".into());
            for chunk in offer.chunks(self.cfg.chunk_size.max(1)) {
                let ending = self
                    .legacy_loop(version, chunk.to_vec(), &mut round, false, seen, priority)
                    .await;
                // A chunk that times out with nothing found yet means the server does not
                // answer this version at all; waiting out every chunk would only cost time.
                // A quick close may just mean "none of these suites": go on to the next.
                if ending == Ending::TimedOut && round.accepted.is_empty() {
                    break;
                }
            }
            // Found chunk by chunk, the suites are in the chunks' order, not the server's:
            // enumerate them once more from one hello, so that the order found (and the
            // server-order test built on it) is the server's.
            if round.accepted.len() > 1 {
                let mut again = Round::default();
                self.legacy_loop(
                    version,
                    round.accepted.clone(),
                    &mut again,
                    false,
                    None,
                    priority,
                )
                .await;
                if again.accepted.len() == round.accepted.len() {
                    round.accepted = again.accepted;
                    round.flights = again.flights;
                }
            }
        }
        round
    }

    /// Offer `remaining` until refused; returns how the loop ended.
    async fn legacy_loop(
        &self,
        version: ProtocolVersion,
        mut remaining: Vec<CipherSuite>,
        round: &mut Round,
        eager: bool,
        seen: Option<&tokio::sync::watch::Sender<Seen>>,
        priority: Priority,
    ) -> Ending {
        while !remaining.is_empty() {
            // A next step can follow only if this hello is accepted with a suite left over;
            // once two suites are found, the server-order hello follows the loop in any case,
            // so the connection opened ahead is never wasted.
            let predial = (eager || round.accepted.len() >= 2) && remaining.len() >= 2;
            let reply = self
                .exchange_chain(
                    &mut round.spare,
                    &self.legacy_hello(version, remaining.clone()),
                    predial,
                    priority,
                )
                .await;
            if round.first.is_none() {
                round.first = Some(reply.answer());
                if let Some(tx) = seen {
                    tx.send_modify(|s| s.first.clone_from(&round.first));
                }
            }
            let flight = match reply {
                Reply::Flight(flight) => flight,
                Reply::Timeout => return Ending::TimedOut,
                Reply::Closed | Reply::Reset => return Ending::Quiet,
                _ => return Ending::Refused,
            };
            let Some(sh) = &flight.server_hello else {
                return Ending::Refused;
            };
            if sh.version() != version {
                if round.accepted.is_empty() {
                    round.first = Some(Answer::OtherVersion {
                        version: sh.version(),
                    });
                }
                return Ending::Refused;
            }
            let picked = sh.cipher_suite;
            if !remaining.contains(&picked) {
                round.notes.push(format!(
                    "the server chose {picked:?}, which was not offered"
                ));
                return Ending::Refused;
            }
            remaining.retain(|s| *s != picked);
            round.accepted.push(picked);
            if let Some(tx) = seen {
                let heartbeat = sh
                    .extensions
                    .iter()
                    .any(|e| matches!(e, ServerExtension::Heartbeat(_)));
                tx.send_modify(|s| {
                    if s.accepted.is_empty() {
                        s.heartbeat = heartbeat;
                    }
                    s.accepted.push(picked);
                });
            }
            round.flights.push(*flight);
        }
        Ending::Refused
    }

    /// The removal loop for TLS 1.3 suites (key share x25519, every group offered), each next
    /// connection opened while the previous hello is answered; the first answer is published
    /// in `seen`.
    async fn tls13_round(
        &self,
        groups: &mut Groups,
        seen: &tokio::sync::watch::Sender<Seen>,
    ) -> Round {
        let mut round = Round {
            version: Some(ProtocolVersion::TLS1_3),
            ..Round::default()
        };
        let mut remaining = tls13_offer();
        while !remaining.is_empty() {
            let hello =
                self.tls13_hello(remaining.clone(), tls13_groups(), Some(NamedGroup::X25519));
            // Only once two suites are accepted: the connection opened ahead is then always
            // used, if not by the loop then by the server-order hello that follows it.
            let predial = round.accepted.len() >= 2 && remaining.len() >= 2;
            let reply = self
                .exchange_chain(&mut round.spare, &hello, predial, Priority::Critical)
                .await;
            if round.first.is_none() {
                round.first = Some(reply.answer());
                if let Reply::NoConnection(e) = &reply {
                    round.unreachable = Some(e.clone());
                }
                seen.send_modify(|s| s.first.clone_from(&round.first));
            }
            let Reply::Flight(flight) = reply else { break };
            let Some(sh) = &flight.server_hello else {
                break;
            };
            if sh.version() != ProtocolVersion::TLS1_3 {
                if round.accepted.is_empty() {
                    round.first = Some(Answer::OtherVersion {
                        version: sh.version(),
                    });
                }
                break;
            }
            if groups.tls13_hello_retry.is_none() {
                groups.tls13_hello_retry = Some(sh.is_hello_retry_request);
                groups.tls13_first_handshake_group = sh.key_share_group();
            }
            let picked = sh.cipher_suite;
            if !remaining.contains(&picked) {
                round.notes.push(format!(
                    "the server chose {picked:?}, which was not offered"
                ));
                break;
            }
            remaining.retain(|s| *s != picked);
            round.accepted.push(picked);
            seen.send_modify(|s| s.accepted.push(picked));
        }
        round
    }

    /// TLS 1.3 groups: empty key share, so each answer is a HelloRetryRequest naming a group.
    async fn tls13_groups_round(&self, suites: &[CipherSuite], groups: &mut Groups) {
        let mut remaining = tls13_groups();
        let mut spare = None;
        while !remaining.is_empty() {
            let hello = self.tls13_hello(suites.to_vec(), remaining.clone(), None);
            let predial = groups.tls13.len() >= 2 && remaining.len() >= 2;
            let Reply::Flight(flight) = self
                .exchange_chain(&mut spare, &hello, predial, Priority::Chain)
                .await
            else {
                break;
            };
            let Some(group) = flight
                .server_hello
                .as_ref()
                .and_then(|sh| sh.key_share_group())
            else {
                break;
            };
            if !remaining.contains(&group) {
                break;
            }
            remaining.retain(|g| *g != group);
            groups.tls13_preferred.get_or_insert(group);
            groups.tls13.push(group);
        }
        // Who orders the groups: offer the found ones reversed.
        if groups.tls13.len() >= 2 {
            let reversed: Vec<NamedGroup> = groups.tls13.iter().rev().copied().collect();
            let hello = self.tls13_hello(suites.to_vec(), reversed, None);
            if let Reply::Flight(flight) = self
                .exchange_chain(&mut spare, &hello, false, Priority::Chain)
                .await
            {
                let picked = flight
                    .server_hello
                    .as_ref()
                    .and_then(|sh| sh.key_share_group());
                groups.tls13_server_order = order_shown(picked, &groups.tls13);
            }
        }
    }

    /// TLS 1.2 ECDHE groups, read from ServerKeyExchange.
    async fn tls12_groups_round(&self, ecdhe: &[CipherSuite], groups: &mut Groups) {
        let mut remaining = tls12_groups();
        let mut spare = None;
        while !remaining.is_empty() {
            let predial = groups.tls12.len() >= 2 && remaining.len() >= 2;
            let Some(group) = self
                .tls12_group_pick(&mut spare, ecdhe, remaining.clone(), predial)
                .await
            else {
                break;
            };
            if !remaining.contains(&group) {
                break;
            }
            remaining.retain(|g| *g != group);
            groups.tls12_preferred.get_or_insert(group);
            groups.tls12.push(group);
        }
        if groups.tls12.len() >= 2 {
            let reversed: Vec<NamedGroup> = groups.tls12.iter().rev().copied().collect();
            let picked = self
                .tls12_group_pick(&mut spare, ecdhe, reversed, false)
                .await;
            groups.tls12_server_order = order_shown(picked, &groups.tls12);
        }
    }

    /// The group a TLS 1.2 server picks from `groups` for an ECDHE suite of `ecdhe`.
    async fn tls12_group_pick(
        &self,
        spare: &mut Option<Conn>,
        ecdhe: &[CipherSuite],
        groups: Vec<NamedGroup>,
        predial: bool,
    ) -> Option<NamedGroup> {
        let mut rng = self.rng();
        let mut h = ClientHello::legacy(
            ProtocolVersion::TLS1_2,
            ecdhe.to_vec(),
            self.sni.as_deref(),
            &mut rng,
        );
        for e in &mut h.extensions {
            if let ClientExtension::SupportedGroups(g) = e {
                g.clone_from(&groups);
            }
        }
        let Reply::Flight(flight) = self
            .exchange_chain(spare, &encode_padded(h), predial, Priority::Chain)
            .await
        else {
            return None;
        };
        match flight.server_key_exchange {
            Some(ServerKeyExchange::Ecdh {
                curve: EcCurve::Named(group),
                ..
            }) => Some(group),
            _ => None,
        }
    }

    /// One hello offering `accepted` reversed: the same first pick means server order.
    async fn server_order(
        &self,
        version: ProtocolVersion,
        accepted: &[CipherSuite],
        spare: &mut Option<Conn>,
        priority: Priority,
    ) -> Option<bool> {
        if accepted.len() < 2 {
            return None;
        }
        let reversed: Vec<CipherSuite> = accepted.iter().rev().copied().collect();
        let hello = if version == ProtocolVersion::TLS1_3 {
            self.tls13_hello(reversed.clone(), tls13_groups(), Some(NamedGroup::X25519))
        } else {
            self.legacy_hello(version, reversed.clone())
        };
        let Reply::Flight(flight) = self.exchange_chain(spare, &hello, false, priority).await
        else {
            return None;
        };
        order_shown(Some(flight.server_hello.as_ref()?.cipher_suite), accepted)
    }

    async fn ssl2(&self) -> (ProtocolSupport, Vec<Ssl2CipherKind>) {
        let kinds: Vec<Ssl2CipherKind> = SSL2_CIPHER_KINDS.iter().map(|k| k.kind).collect();
        let mut rng = self.rng();
        let hello = Ssl2ClientHello::new(kinds, &mut rng)
            .encode()
            .unwrap_or_default();
        let support = |answer: Answer| ProtocolSupport {
            version: ProtocolVersion::SSL2,
            accepted: answer == Answer::Accepted,
            answer,
        };
        let mut conn = match self.connect().await {
            Ok(c) => c,
            Err(e) => {
                return (
                    support(Answer::NoConnection {
                        error: e.to_string(),
                    }),
                    Vec::new(),
                );
            }
        };
        if conn.write_all(&hello).await.is_err() {
            return (support(Answer::Reset), Vec::new());
        }
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 8192];
        let deadline = tokio::time::Instant::now() + self.cfg.read_timeout;
        loop {
            let n = match tokio::time::timeout_at(deadline, conn.read(&mut chunk)).await {
                Err(_) => return (support(Answer::Timeout), Vec::new()),
                Ok(Err(_)) => return (support(Answer::Reset), Vec::new()),
                Ok(Ok(0)) => return (support(Answer::Closed), Vec::new()),
                Ok(Ok(n)) => n,
            };
            buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
            if buf.len() > self.limits.max_total_bytes {
                return (
                    support(Answer::Malformed {
                        error: "SSL 2.0 answer too large".into(),
                    }),
                    Vec::new(),
                );
            }
            // A TLS server answers an SSL 2.0 hello with a TLS alert or nothing: a first byte
            // of 0x15 (alert) or 0x16 (handshake) is TLS, not SSL 2.0.
            if matches!(buf.first(), Some(0x15 | 0x16)) {
                let answer = match first_alert(&split_records(&buf)) {
                    Some(description) => Answer::Alert { description },
                    None if buf.len() < 7 => continue,
                    None => Answer::Malformed {
                        error: "answered an SSL 2.0 hello with a TLS handshake".into(),
                    },
                };
                return (support(answer), Vec::new());
            }
            match read_ssl2_record(&buf) {
                Ok(None) => {}
                Ok(Some(rec)) => {
                    return match Ssl2ServerMessage::parse(rec.body) {
                        Ok(Ssl2ServerMessage::ServerHello(sh)) => {
                            (support(Answer::Accepted), sh.cipher_kinds)
                        }
                        Ok(Ssl2ServerMessage::Error(code)) => (
                            support(Answer::Malformed {
                                error: format!("SSL 2.0 error {code}"),
                            }),
                            Vec::new(),
                        ),
                        Err(e) => (
                            support(Answer::Malformed {
                                error: e.to_string(),
                            }),
                            Vec::new(),
                        ),
                    };
                }
                Err(e) => {
                    return (
                        support(Answer::Malformed {
                            error: e.to_string(),
                        }),
                        Vec::new(),
                    );
                }
            }
        }
    }
}

// -------------------------------------------------------------------------------------------
// Active checks.

const CONTENT_CCS: u8 = 20;
const CONTENT_ALERT: u8 = 21;
const CONTENT_HEARTBEAT: u8 = 24;

/// Records read after the first flight: (content type, fragment) pairs, bounded in bytes.
async fn read_records(
    conn: &mut Conn,
    wait: Duration,
    max_bytes: usize,
) -> (Vec<(u8, Vec<u8>)>, bool) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 8192];
    let mut records = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    let mut closed = false;
    while buf.len() < max_bytes {
        let read = tokio::time::timeout_at(deadline, conn.read(&mut chunk)).await;
        match read {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            Ok(_) => {
                closed = true;
                break;
            }
            Err(_) => break,
        }
        // Stop early once an alert is complete.
        if split_records(&buf).iter().any(|(t, _)| *t == CONTENT_ALERT) {
            break;
        }
    }
    records.extend(split_records(&buf));
    (records, closed)
}

impl Ctx<'_> {
    /// TLS_FALLBACK_SCSV (RFC 7507 §3): a hello at a lower version than the server's best,
    /// carrying the SCSV, must be refused with `inappropriate_fallback`.
    async fn fallback_scsv(
        &self,
        best: ProtocolVersion,
        lower: Option<(ProtocolVersion, Vec<CipherSuite>)>,
    ) -> CheckResult {
        let Some((version, mut suites)) = lower else {
            return CheckResult::new(
                Check::NotApplicable,
                "only one protocol version is accepted",
            );
        };
        suites.push(CipherSuite(0x5600));
        match self.exchange(&self.legacy_hello(version, suites)).await {
            Reply::Alert(a) if a.description == AlertDescription(86) => CheckResult::new(
                Check::NotVulnerable,
                format!(
                    "a {version:?} fallback hello got inappropriate_fallback (best is {best:?})"
                ),
            ),
            Reply::Flight(_) => CheckResult::new(
                Check::Vulnerable,
                format!(
                    "a {version:?} hello with TLS_FALLBACK_SCSV was accepted although {best:?} is supported"
                ),
            ),
            other => CheckResult::new(
                Check::Inconclusive,
                format!("answer to the fallback hello: {:?}", other.answer()),
            ),
        }
    }

    /// CCS injection (CVE-2014-0224): after the server's first flight, an early
    /// ChangeCipherSpec must draw an alert. A server that stays silent and then fails to
    /// *decrypt* the next record (`bad_record_mac`, `decryption_failed`) has taken the early
    /// CCS: vulnerable.
    async fn ccs_injection(
        &self,
        version: ProtocolVersion,
        suites: Vec<CipherSuite>,
    ) -> CheckResult {
        let (reply, conn) = self
            .exchange_keep(&self.legacy_hello(version, suites))
            .await;
        let (Reply::Flight(flight), Some(mut conn)) = (reply, conn) else {
            return CheckResult::new(Check::Inconclusive, "no server flight to test against");
        };
        if !flight.server_hello_done {
            return CheckResult::new(Check::Inconclusive, "the server flight did not complete");
        }
        let wait = self.cfg.read_timeout.min(Duration::from_secs(2));
        if conn
            .write_all(&record(CONTENT_CCS, version, &[1]))
            .await
            .is_err()
        {
            return CheckResult::new(
                Check::NotVulnerable,
                "the connection closed at the early CCS",
            );
        }
        let (records, closed) = read_records(&mut conn, wait, 4096).await;
        if let Some(a) = first_alert(&records) {
            return CheckResult::new(
                Check::NotVulnerable,
                format!("early ChangeCipherSpec refused with alert {a:?}"),
            );
        }
        if closed {
            return CheckResult::new(
                Check::NotVulnerable,
                "the connection closed at the early CCS",
            );
        }
        // Silence: send a record the server would now try to decrypt.
        let mut rng = self.rng();
        let fake = record(22, version, &rng.bytes(40));
        if conn.write_all(&fake).await.is_err() {
            return CheckResult::new(
                Check::Inconclusive,
                "silent after the early CCS, then closed",
            );
        }
        let (records, _) = read_records(&mut conn, wait, 4096).await;
        match first_alert(&records) {
            Some(a) if a == AlertDescription(20) || a == AlertDescription(21) => CheckResult::new(
                Check::Vulnerable,
                format!("the early CCS was accepted: the next record failed to decrypt ({a:?})"),
            ),
            Some(a) => CheckResult::new(
                Check::NotVulnerable,
                format!("silent after the early CCS, then alert {a:?}"),
            ),
            None => CheckResult::new(Check::Inconclusive, "no answer after the early CCS"),
        }
    }

    /// Heartbleed (CVE-2014-0160): a heartbeat request claiming 16 KiB of payload and carrying
    /// none. RFC 6520 §4 says to discard it; a vulnerable server answers with memory. Only the
    /// size of an answer is kept.
    async fn heartbleed(&self, version: ProtocolVersion, suites: Vec<CipherSuite>) -> CheckResult {
        let (reply, conn) = self
            .exchange_keep(&self.legacy_hello(version, suites))
            .await;
        let (Reply::Flight(_), Some(mut conn)) = (reply, conn) else {
            return CheckResult::new(Check::Inconclusive, "no server flight to test against");
        };
        // type heartbeat_request (1), payload_length 0x4000, no payload.
        if conn
            .write_all(&record(CONTENT_HEARTBEAT, version, &[1, 0x40, 0x00]))
            .await
            .is_err()
        {
            return CheckResult::new(Check::NotVulnerable, "the connection closed at the request");
        }
        let wait = self.cfg.read_timeout.min(Duration::from_secs(3));
        let (records, _) = read_records(&mut conn, wait, 64 * 1024).await;
        let leaked: usize = records
            .iter()
            .filter(|(t, _)| *t == CONTENT_HEARTBEAT)
            .map(|(_, f)| f.len())
            .sum();
        if leaked > 3 {
            CheckResult::new(
                Check::Vulnerable,
                format!("answered a 0-byte heartbeat claiming 16384 bytes with {leaked} bytes"),
            )
        } else {
            CheckResult::new(
                Check::NotVulnerable,
                "the oversized heartbeat request got no echo",
            )
        }
    }
}

/// An accepted legacy version, as the checks need it.
#[derive(Clone, Debug)]
struct Best {
    version: ProtocolVersion,
    /// Suites accepted (all, or those found so far: the server's first pick is among them).
    suites: Vec<CipherSuite>,
    /// Whether its first accepted ServerHello carried the heartbeat extension.
    heartbeat: bool,
}

impl Best {
    fn of(r: &Round) -> Option<Self> {
        if r.accepted.is_empty() {
            return None;
        }
        Some(Self {
            version: r.version?,
            suites: r.accepted.clone(),
            heartbeat: r
                .flights
                .first()
                .and_then(|f| f.server_hello.as_ref())
                .is_some_and(|sh| {
                    sh.extensions
                        .iter()
                        .any(|e| matches!(e, ServerExtension::Heartbeat(_)))
                }),
        })
    }
}

/// What the scan gathers once the endpoint has shown that it speaks TLS.
struct More {
    /// TLS 1.1, TLS 1.0 and SSL 3.0, each with its server-order answer.
    lower: [(Round, Option<bool>); 3],
    /// Fallback SCSV, CCS injection, Heartbleed, client renegotiation.
    checks: (CheckResult, CheckResult, CheckResult, CheckResult),
    modern: Vec<crate::modern::ModernHandshake>,
    jarm: Option<crate::jarm::Jarm>,
}

impl Ctx<'_> {
    /// Fallback SCSV, CCS injection and Heartbleed, given the best version, the best legacy
    /// version and the version a fallback hello goes to.
    async fn checks(
        &self,
        best_version: Option<ProtocolVersion>,
        best_legacy: Option<&Best>,
        fallback_target: Option<&Best>,
    ) -> (CheckResult, CheckResult, CheckResult) {
        if !self.cfg.active_checks {
            let off = CheckResult::new(Check::NotTested, "active checks disabled");
            return (off.clone(), off.clone(), off);
        }
        let fallback = async {
            match best_version {
                Some(best) => {
                    self.fallback_scsv(best, fallback_target.map(|b| (b.version, b.suites.clone())))
                        .await
                }
                None => CheckResult::new(Check::NotApplicable, "no version accepted"),
            }
        };
        let ccs = async {
            match best_legacy {
                Some(b) => self.ccs_injection(b.version, b.suites.clone()).await,
                None => {
                    CheckResult::new(Check::NotApplicable, "no TLS 1.2 or older version accepted")
                }
            }
        };
        let bleed = async {
            match best_legacy {
                Some(b) if b.heartbeat => self.heartbleed(b.version, b.suites.clone()).await,
                _ => CheckResult::new(
                    Check::NotApplicable,
                    "the server does not offer the heartbeat extension",
                ),
            }
        };
        tokio::join!(fallback, ccs, bleed)
    }

    /// Client-initiated renegotiation (the caller has seen 0xC02F or 0xC02B accepted at
    /// TLS 1.2).
    async fn renegotiation(&self) -> CheckResult {
        if !self.cfg.active_checks {
            return CheckResult::new(Check::NotTested, "active checks disabled");
        }
        // A full handshake and a second hello on one connection (four round trips at a
        // distance): asked for with the chains, so that it does not become the scan's tail.
        // `dial_at` counts the connection.
        let (r, _) = crate::reneg::check(
            self.dial_at(Priority::Chain).await,
            self.sni.as_deref(),
            self.cfg.read_timeout,
        )
        .await;
        match r {
            crate::reneg::Renegotiation::Accepted => CheckResult::new(
                Check::Vulnerable,
                "the server renegotiated when the client asked (ServerHello to a second hello)",
            ),
            crate::reneg::Renegotiation::Refused(Some(a)) => CheckResult::new(
                Check::NotVulnerable,
                format!("refused with alert {:?}", AlertDescription(a)),
            ),
            crate::reneg::Renegotiation::Refused(None) => CheckResult::new(
                Check::NotVulnerable,
                "the server closed the connection at the renegotiation hello",
            ),
            crate::reneg::Renegotiation::Incomplete(why) => {
                CheckResult::new(Check::Inconclusive, why)
            }
        }
    }
}

impl Ctx<'_> {
    /// ROBOT ([`crate::robot`]) at `plan`'s version with its RSA key-exchange suites; not
    /// applicable without one. Each block's connection is a one-off ([`Ctx::connect`]): the
    /// check runs alongside the removal loops without delaying their steps, and its waits
    /// (bounded by the server's own answer times) hold only the connections the loops leave
    /// free.
    async fn robot(
        &self,
        plan: Option<(ProtocolVersion, Vec<CipherSuite>)>,
    ) -> crate::robot::Robot {
        use crate::robot::{Robot, Settings, check};
        if !self.cfg.active_checks {
            return Robot::without_run(Check::NotTested, "active checks disabled");
        }
        let Some((version, suites)) = plan else {
            return Robot::without_run(
                Check::NotApplicable,
                "no RSA key-exchange suite (TLS_RSA_*) is accepted",
            );
        };
        // Only when the first run gave no answer to time (every block open at the read
        // timeout): 250 ms, or eight round trips when longer.
        let rtt = self.rtt_hint().unwrap_or_default();
        let settings = Settings {
            read_timeout: self.cfg.read_timeout,
            alone_fallback: Duration::from_millis(250).max(rtt * 8),
        };
        // `connect` counts each connection in the scan's total as it is asked for.
        check(
            || self.connect(),
            self.sni.as_deref(),
            version,
            suites,
            &settings,
        )
        .await
    }
}

// -------------------------------------------------------------------------------------------
// The scan.

/// Scan every address of `target` on its port (the engine has already cut them to
/// `--max-addresses-per-endpoint`), one after the other: the addresses of one host share its
/// per-host limits in the dial seam. The first address that gave TLS evidence holds the
/// observation; the others are in [`Observation::other_addresses`], compared in
/// [`Observation::address_agreement`]. `Err` only when no address gave any.
pub async fn probe(scope: &Scope, target: &Target, config: &Config) -> Result<Observation, Error> {
    if target.addresses.is_empty() {
        return Err(Error::NoAddress);
    }
    let mut primary: Option<Observation> = None;
    let mut first_error: Option<Error> = None;
    let mut others = Vec::new();
    for &ip in &target.addresses {
        let scanned = probe_address(scope, target, ip, config).await;
        match (scanned, primary.is_some()) {
            (Ok(obs), false) => primary = Some(obs),
            (Ok(obs), true) => others.push(AddressScan {
                address: ip,
                observation: Some(obs),
                outcome: None,
                error: None,
            }),
            (Err(e), _) => {
                others.push(AddressScan {
                    address: ip,
                    observation: None,
                    outcome: Some(e.outcome()),
                    error: Some(e.to_string()),
                });
                first_error.get_or_insert(e);
            }
        }
    }
    let Some(mut obs) = primary else {
        return Err(first_error.unwrap_or(Error::NoAddress));
    };
    if target.addresses.len() > 1 {
        obs.address_agreement = Some(agreement(&obs, &others));
        obs.other_addresses = others;
    }
    Ok(obs)
}

/// Compare every other address with the first one scanned.
fn agreement(first: &Observation, others: &[AddressScan]) -> AddressAgreement {
    let mut addresses = vec![first.address];
    let mut differences = Vec::new();
    let aspects = [Aspect::Versions, Aspect::CipherSuites, Aspect::Certificate];
    for o in others {
        addresses.push(o.address);
        let Some(here) = &o.observation else {
            differences.push(AddressDifference {
                address: o.address,
                aspect: Aspect::Reachability,
                only_first: vec!["scanned".to_owned()],
                only_here: o.error.iter().cloned().collect(),
            });
            continue;
        };
        for aspect in aspects {
            let a = aspect_values(first, aspect);
            let b = aspect_values(here, aspect);
            if a != b {
                differences.push(AddressDifference {
                    address: o.address,
                    aspect,
                    only_first: a.difference(&b).cloned().collect(),
                    only_here: b.difference(&a).cloned().collect(),
                });
            }
        }
    }
    AddressAgreement {
        addresses,
        consistent: differences.is_empty(),
        differences,
    }
}

/// The values of one aspect of an address's scan, as comparable strings.
fn aspect_values(obs: &Observation, aspect: Aspect) -> BTreeSet<String> {
    match aspect {
        Aspect::Reachability => BTreeSet::from(["scanned".to_owned()]),
        Aspect::Versions => obs
            .protocols
            .iter()
            .filter(|p| p.accepted)
            .map(|p| name_of(&p.version))
            .collect(),
        Aspect::CipherSuites => obs
            .cipher_suites
            .iter()
            .flat_map(|v| {
                let version = name_of(&v.version);
                v.accepted
                    .iter()
                    .map(move |s| format!("{version} {}", name_of(&s.suite)))
            })
            .collect(),
        Aspect::Certificate => obs
            .chains
            .iter()
            .filter_map(|c| c.certificates.first())
            .filter_map(|leaf| unhex(leaf))
            .map(|der| hex(ring::digest::digest(&ring::digest::SHA256, &der).as_ref()))
            .collect(),
    }
}

/// Bytes from lower- or upper-case hex; `None` on an odd length or a non-hex digit.
fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| (c as char).to_digit(16);
            match pair {
                [h, l] => Some(u8::try_from(digit(*h)? * 16 + digit(*l)?).ok()?),
                _ => None,
            }
        })
        .collect()
}

/// Scan one address of `target` on its port.
async fn probe_address(
    scope: &Scope,
    target: &Target,
    ip: IpAddr,
    config: &Config,
) -> Result<Observation, Error> {
    let clock = scope.clock();
    let t0 = clock.instant();
    let ctx = Ctx {
        scope,
        addr: SocketAddr::new(ip, target.port),
        sni: target.server_name().map(str::to_owned),
        cfg: config,
        limits: Limits::default(),
        connections: AtomicU32::new(0),
        rng: Mutex::new(Rng::from_entropy()),
        min_rtt_us: AtomicU64::new(u64::MAX),
        pending: [
            std::sync::atomic::AtomicUsize::new(0),
            std::sync::atomic::AtomicUsize::new(0),
        ],
        pending_idle: tokio::sync::Notify::new(),
        chain_gate: tokio::sync::Mutex::new(()),
        low_gate: tokio::sync::Mutex::new(()),
    };

    // Every round starts as soon as what it needs is known, not after the round before it
    // (issue 21: at a distance, a scan waits on its chain of dependent round trips):
    // - at once: the TLS 1.3 and TLS 1.2 suite rounds (each followed by its server-order
    //   hello, on the connection opened ahead) and SSL 2.0;
    // - after the first TLS 1.3 suite: the TLS 1.3 groups; after the first ECDHE suite at
    //   TLS 1.2: the TLS 1.2 groups; after 0xC02F or 0xC02B at TLS 1.2: the renegotiation check;
    // - once the endpoint has shown it speaks TLS (the first answers to TLS 1.3 and TLS 1.2,
    //   and SSL 2.0's): TLS 1.1, 1.0 and SSL 3.0, the modern handshakes, the other checks and
    //   JARM. The dial seam's per-host limit bounds them all.
    let c = &ctx;
    let (seen13_tx, seen13_rx) = tokio::sync::watch::channel(Seen::default());
    let (seen12_tx, seen12_rx) = tokio::sync::watch::channel(Seen::default());
    let snapshot = |rx: &tokio::sync::watch::Receiver<Seen>, pred: fn(&Seen) -> bool| {
        let mut rx = rx.clone();
        async move {
            rx.wait_for(|s| s.done || pred(s))
                .await
                .map(|s| s.clone())
                .unwrap_or_default()
        }
    };
    let silent =
        |a: &Option<Answer>| matches!(a, Some(Answer::Timeout | Answer::Closed | Answer::Reset));

    let chain13 = async {
        let mut g = Groups::default();
        let mut r = c.tls13_round(&mut g, &seen13_tx).await;
        seen13_tx.send_modify(|s| s.done = true);
        let mut spare = r.spare.take();
        let order = c
            .server_order(
                ProtocolVersion::TLS1_3,
                &r.accepted,
                &mut spare,
                Priority::Critical,
            )
            .await;
        (r, g, order)
    };
    let chain12 = async {
        let mut r = c
            .legacy_round(
                ProtocolVersion::TLS1_2,
                false,
                Some(&seen12_tx),
                Priority::Critical,
            )
            .await;
        seen12_tx.send_modify(|s| s.done = true);
        let mut spare = r.spare.take();
        let order = c
            .server_order(
                ProtocolVersion::TLS1_2,
                &r.accepted,
                &mut spare,
                Priority::Critical,
            )
            .await;
        (r, order)
    };
    let groups13 = async {
        let mut g = Groups::default();
        let s = snapshot(&seen13_rx, |s| !s.accepted.is_empty()).await;
        if !s.accepted.is_empty() {
            // The offer of the suite round's first hello, which the server accepted.
            c.tls13_groups_round(&tls13_offer(), &mut g).await;
        }
        g
    };
    let is_ecdhe = |s: &CipherSuite| suite_info(*s).is_some_and(|i| i.kx == KeyExchange::Ecdhe);
    let groups12 = async {
        let mut g = Groups::default();
        let s = snapshot(&seen12_rx, |s| {
            s.accepted
                .iter()
                .any(|x| suite_info(*x).is_some_and(|i| i.kx == KeyExchange::Ecdhe))
        })
        .await;
        if !s.accepted.iter().any(is_ecdhe) {
            return g;
        }
        // Every ECDHE suite a TLS 1.2 hello may offer: the server then picks among all of its
        // own, as when offered the ones the suite round finds (an ECDSA certificate's curve
        // taken out of the groups makes it pick an ECDHE-RSA suite instead, so a subset
        // would not do). A server that answers no such hello is asked again, after the
        // suite round, with the suites it accepted.
        let every: Vec<CipherSuite> = legacy_offer(ProtocolVersion::TLS1_2)
            .into_iter()
            .filter(is_ecdhe)
            .collect();
        c.tls12_groups_round(&every, &mut g).await;
        if g.tls12.is_empty() {
            let s = snapshot(&seen12_rx, |_| false).await;
            let ecdhe: Vec<CipherSuite> = s.accepted.iter().copied().filter(is_ecdhe).collect();
            c.tls12_groups_round(&ecdhe, &mut g).await;
        }
        g
    };
    let rest = async {
        let ((ssl2, ssl2_kinds), s13, s12) = tokio::join!(
            c.ssl2(),
            snapshot(&seen13_rx, |s| !s.accepted.is_empty()),
            snapshot(&seen12_rx, |s| !s.accepted.is_empty()),
        );
        let unreachable = matches!(s13.first, Some(Answer::NoConnection { .. }));
        // Silent to TLS 1.3, TLS 1.2 and SSL 2.0: not speaking TLS; the other rounds would
        // only wait out their timeouts.
        let all_silent = s13.accepted.is_empty()
            && silent(&s13.first)
            && s12.accepted.is_empty()
            && silent(&s12.first)
            && !ssl2.accepted;
        if unreachable || all_silent {
            return (ssl2, ssl2_kinds, None);
        }
        let tls13_ok = !s13.accepted.is_empty();
        let lower_chain = |v: ProtocolVersion| async move {
            let mut r = c.legacy_round(v, false, None, Priority::Chain).await;
            let mut spare = r.spare.take();
            let order = c
                .server_order(v, &r.accepted, &mut spare, Priority::Chain)
                .await;
            (r, order)
        };
        let lower = async {
            tokio::join!(
                lower_chain(ProtocolVersion::TLS1_1),
                lower_chain(ProtocolVersion::TLS1_0),
                lower_chain(ProtocolVersion::SSL3),
            )
        };
        // The checks need the best version and the best legacy version's answer: known at
        // once when TLS 1.3 and TLS 1.2 are both accepted, else after the lower rounds.
        let best12 = (!s12.accepted.is_empty()).then(|| Best {
            version: ProtocolVersion::TLS1_2,
            suites: s12.accepted.clone(),
            heartbeat: s12.heartbeat,
        });
        let early_ok = tls13_ok && best12.is_some();
        let early = async {
            match &best12 {
                Some(b) if early_ok => Some(
                    c.checks(Some(ProtocolVersion::TLS1_3), Some(b), Some(b))
                        .await,
                ),
                _ => None,
            }
        };
        let lower_and_checks = async {
            let ((r11, o11), (r10, o10), (r3, o3)) = lower.await;
            if early_ok {
                return ([(r11, o11), (r10, o10), (r3, o3)], None);
            }
            let accepted: Vec<Best> = best12
                .iter()
                .cloned()
                .chain([&r11, &r10, &r3].into_iter().filter_map(Best::of))
                .collect();
            let best_version = if tls13_ok {
                Some(ProtocolVersion::TLS1_3)
            } else {
                accepted.first().map(|b| b.version)
            };
            let fallback_target = if tls13_ok {
                accepted.first()
            } else {
                accepted.get(1)
            };
            let checks = c
                .checks(best_version, accepted.first(), fallback_target)
                .await;
            ([(r11, o11), (r10, o10), (r3, o3)], Some(checks))
        };
        let reneg = async {
            if !config.active_checks {
                return CheckResult::new(Check::NotTested, "active checks disabled");
            }
            let s = snapshot(&seen12_rx, |s| {
                s.accepted.iter().any(|x| matches!(x.0, 0xc02f | 0xc02b))
            })
            .await;
            if !s.accepted.iter().any(|x| matches!(x.0, 0xc02f | 0xc02b)) {
                return CheckResult::new(
                    Check::NotApplicable,
                    "needs TLS 1.2 with ECDHE and AES-128-GCM (0xC02F or 0xC02B), not accepted",
                );
            }
            c.renegotiation().await
        };
        let modern = async {
            // The handshake followed by a resumption is a chain of two (Priority::Chain); the
            // other is a one-off. `dial_at` counts their connections.
            let run = |keys, resume, priority| {
                crate::modern::handshake(
                    move || c.dial_at(priority),
                    c.addr,
                    c.sni.as_deref(),
                    keys,
                    config.read_timeout,
                    resume,
                    || c.rtt_hint(),
                )
            };
            let (rsa, ecdsa) = tokio::join!(
                run(crate::modern::KeyPreference::Rsa, true, Priority::Chain),
                run(crate::modern::KeyPreference::Ecdsa, false, Priority::Low),
            );
            vec![rsa.0, ecdsa.0]
        };
        let jarm = async {
            if !config.jarm {
                return None;
            }
            drop(c.low_turn().await);
            let j = crate::jarm::jarm(
                scope,
                c.addr,
                c.sni.as_deref(),
                config.connect_timeout,
                config.read_timeout,
            )
            .await;
            c.connections.fetch_add(j.connections, Ordering::Relaxed);
            Some(j)
        };
        let ((lower, late_checks), early_checks, reneg, modern, jarm) =
            tokio::join!(lower_and_checks, early, reneg, modern, jarm);
        let (fallback, ccs, bleed) = match early_checks.or(late_checks) {
            Some(c) => c,
            None => {
                let none = CheckResult::new(Check::Inconclusive, "the checks did not run");
                (none.clone(), none.clone(), none)
            }
        };
        let more = More {
            lower,
            checks: (fallback, ccs, bleed, reneg),
            modern,
            jarm,
        };
        (ssl2, ssl2_kinds, Some(more))
    };
    // ROBOT, as soon as TLS 1.2 shows an RSA key-exchange suite (its second run waits for
    // the server's silence: overlapped with the rest of the scan instead of after it).
    let robot12 = async {
        if !config.active_checks {
            return None;
        }
        let s = snapshot(&seen12_rx, |s| {
            s.accepted.iter().any(|x| crate::robot::is_rsa_kx(*x))
        })
        .await;
        let rsa: Vec<CipherSuite> = s
            .accepted
            .iter()
            .copied()
            .filter(|x| crate::robot::is_rsa_kx(*x))
            .collect();
        if rsa.is_empty() {
            return None;
        }
        Some(c.robot(Some((ProtocolVersion::TLS1_2, rsa))).await)
    };
    let ((r13, g13first, o13), (r12, o12), g13, g12, (ssl2, ssl2_kinds, more), robot12) =
        tokio::join!(chain13, chain12, groups13, groups12, rest, robot12);
    // Unreachable (refused, timeout, out of scope): no TLS evidence at all.
    if let Some(e) = r13.unreachable.clone() {
        return Err(Error::Dial(e));
    }
    let Some(more) = more else {
        return Ok(silent_observation(
            &ctx,
            ip,
            target.port,
            &r13,
            &r12,
            ssl2,
            t0,
        ));
    };
    let mut groups = g13first;
    groups.tls13 = g13.tls13;
    groups.tls13_preferred = g13.tls13_preferred;
    groups.tls13_server_order = g13.tls13_server_order;
    groups.tls12 = g12.tls12;
    groups.tls12_preferred = g12.tls12_preferred;
    groups.tls12_server_order = g12.tls12_server_order;
    let [(r11, o11), (r10, o10), (r3, o3)] = more.lower;
    let orders = [
        (ProtocolVersion::TLS1_3, o13),
        (ProtocolVersion::TLS1_2, o12),
        (ProtocolVersion::TLS1_1, o11),
        (ProtocolVersion::TLS1_0, o10),
        (ProtocolVersion::SSL3, o3),
    ];
    let legacy = [r12, r11, r10, r3];
    let best_legacy = legacy.iter().find(|r| !r.accepted.is_empty());
    let (fallback_scsv, ccs_injection, heartbleed, client_renegotiation) = more.checks;
    let modern = more.modern;
    let jarm = more.jarm;

    // Assemble.
    let mut protocols = vec![ssl2];
    for r in legacy.iter().rev().chain(std::iter::once(&r13)) {
        let version = r.version.unwrap_or(ProtocolVersion::TLS1_2);
        protocols.push(ProtocolSupport {
            version,
            accepted: !r.accepted.is_empty(),
            answer: r.first.clone().unwrap_or(Answer::Closed),
        });
    }
    let mut cipher_suites = Vec::new();
    for r in std::iter::once(&r13).chain(legacy.iter()) {
        if r.accepted.is_empty() {
            continue;
        }
        let version = r.version.unwrap_or(ProtocolVersion::TLS1_2);
        let server_order = orders
            .iter()
            .find(|(v, _)| *v == version)
            .and_then(|(_, o)| *o);
        cipher_suites.push(VersionSuites {
            version,
            server_order,
            accepted: r.accepted.iter().map(|s| SuiteEntry::of(*s)).collect(),
        });
    }
    // The borrowing iterator over every flight lives only in this block: it must not be held
    // across the await of the DH check below.
    let (mut extensions, mut chains, mut dhe, dh_raw) = {
        let all_flights = legacy
            .iter()
            .flat_map(|r| r.flights.iter().map(move |f| (r.version, f)));
        let (dhe, dh_raw) = dhe_of(all_flights.clone());
        (
            extensions_of(best_legacy, all_flights.clone()),
            chains_of(all_flights),
            dhe,
            dh_raw,
        )
    };
    for m in modern.iter().filter(|m| m.ok) {
        if extensions.alpn.is_none() {
            extensions.alpn.clone_from(&m.alpn);
        }
        if extensions.ocsp_response.is_none() && m.ocsp_response.is_some() {
            extensions.ocsp_stapling = Some(true);
            extensions.ocsp_response.clone_from(&m.ocsp_response);
        }
        let leaf = m.chain.first();
        if leaf.is_some() && !chains.iter().any(|c| c.certificates.first() == leaf) {
            chains.push(CapturedChain {
                source: "rustls".into(),
                auth: match m.keys {
                    crate::modern::KeyPreference::Rsa => "RSA".into(),
                    crate::modern::KeyPreference::Ecdsa => "ECDSA".into(),
                    crate::modern::KeyPreference::Any => "any".into(),
                },
                version: m.version.unwrap_or(ProtocolVersion::TLS1_3),
                certificates: m.chain.clone(),
                oversized: None,
            });
        }
    }
    if let (Some(d), Some((p, g))) = (dhe.as_mut(), dh_raw) {
        // Bounded, but CPU work: off the async workers.
        let known = d.well_known_group.clone();
        d.check =
            tokio::task::spawn_blocking(move || crate::dh_check::check(&p, &g, known.as_deref()))
                .await
                .ok();
    }
    // Plain data only across the awaits below (a round holds a connection, which is not Sync).
    let tls12_seen = legacy
        .first()
        .filter(|r| !r.accepted.is_empty())
        .map(|r| Tls12Seen {
            accepted: r.accepted.clone(),
            request: r
                .flights
                .iter()
                .find(|f| f.certificate_request)
                .map(|f| f.certificate_request_body.clone().unwrap_or_default()),
            hello_done: r.flights.iter().any(|f| f.server_hello_done),
        });
    // ROBOT: at the highest version below TLS 1.3 where an RSA key-exchange suite was
    // accepted, offering those suites.
    let robot_plan = legacy.iter().find_map(|r| {
        let rsa: Vec<CipherSuite> = r
            .accepted
            .iter()
            .copied()
            .filter(|s| crate::robot::is_rsa_kx(*s))
            .collect();
        (!rsa.is_empty()).then(|| (r.version.unwrap_or(ProtocolVersion::TLS1_2), rsa))
    });
    let client_certificates =
        client_certificates(&ctx, !r13.accepted.is_empty(), tls12_seen, &modern).await;
    // Started during the scan when TLS 1.2 accepts an RSA key-exchange suite; else here, at
    // the highest lower version that does.
    let robot = match robot12 {
        Some(r) => r,
        None => ctx.robot(robot_plan).await,
    };
    let exposures = exposures_of(&cipher_suites, &protocols, &ssl2_kinds, dhe.as_ref());
    let elapsed = clock.instant().saturating_duration_since(t0);
    Ok(Observation {
        address: ip,
        port: target.port,
        server_name: ctx.sni.clone(),
        protocols,
        cipher_suites,
        ssl2_cipher_kinds: ssl2_kinds,
        groups,
        dhe,
        extensions,
        chains,
        modern,
        checks: Checks {
            fallback_scsv,
            ccs_injection,
            heartbleed,
            client_renegotiation,
            robot: Some(robot),
        },
        jarm,
        exposures,
        connections: ctx.connections.load(Ordering::Relaxed),
        elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        client_certificates: Some(client_certificates),
        other_addresses: Vec::new(),
        address_agreement: None,
    })
}

/// Client certificates per version: a TLS 1.3 request is seen in the modern handshakes, a
/// TLS 1.2 one in the TLS 1.2 round's flights; one more handshake per version that asked
/// tells optional from required (none for a server that does not ask).
/// What the TLS 1.2 round showed, for [`client_certificates`].
struct Tls12Seen {
    accepted: Vec<CipherSuite>,
    request: Option<crate::server::CertificateRequestBody>,
    hello_done: bool,
}

async fn client_certificates(
    ctx: &Ctx<'_>,
    tls13_accepted: bool,
    r12: Option<Tls12Seen>,
    modern: &[crate::modern::ModernHandshake],
) -> crate::client_auth::ClientCertificates {
    use crate::client_auth::{ClientCertRequest, ClientCertificates, check};
    let mut out = ClientCertificates::default();
    let run = |version| {
        check(
            ctx.scope,
            ctx.addr,
            ctx.sni.as_deref(),
            version,
            ctx.cfg.connect_timeout,
            ctx.cfg.read_timeout,
        )
    };
    if tls13_accepted {
        if modern.iter().any(|m| m.certificate_request.is_some()) {
            let (c, n) = run(ProtocolVersion::TLS1_3).await;
            ctx.connections.fetch_add(n, Ordering::Relaxed);
            out.tls13 = Some(c);
        } else if modern
            .iter()
            .any(|m| m.ok && m.version == Some(ProtocolVersion::TLS1_3))
        {
            out.tls13 = Some(ClientCertRequest::not_requested(
                "the TLS 1.3 handshakes completed without a CertificateRequest",
            ));
        }
    }
    if let Some(r12) = r12 {
        if let Some(body) = r12.request {
            // The names and schemes as the flight listed them; optional or required only
            // when rustls can complete a handshake with one of the accepted suites (ECDHE
            // with AES-GCM or ChaCha20-Poly1305), else no connection is spent on it.
            let rustls_can = r12
                .accepted
                .iter()
                .any(|s| matches!(s.0, 0xc02b | 0xc02c | 0xc02f | 0xc030 | 0xcca8 | 0xcca9));
            let (required, detail) = if rustls_can {
                let (c, n) = run(ProtocolVersion::TLS1_2).await;
                ctx.connections.fetch_add(n, Ordering::Relaxed);
                (c.required, c.detail)
            } else {
                (
                    None,
                    "not decided: kensa's handshake client supports none of the TLS 1.2 suites \
                     the server accepted"
                        .to_owned(),
                )
            };
            out.tls12 = Some(ClientCertRequest {
                requested: true,
                required,
                ca_names: body.ca_names.iter().map(|n| hex(n)).collect(),
                signature_schemes: body
                    .signature_schemes
                    .iter()
                    .map(|s| SignatureScheme(*s))
                    .collect(),
                detail,
            });
        } else if r12.hello_done {
            out.tls12 = Some(ClientCertRequest::not_requested(
                "no CertificateRequest before the TLS 1.2 ServerHelloDone",
            ));
        }
    }
    out
}

/// The observation for a server that answered neither a TLS 1.3 nor a TLS 1.2 hello.
fn silent_observation(
    ctx: &Ctx<'_>,
    ip: IpAddr,
    port: u16,
    r13: &Round,
    r12: &Round,
    ssl2: ProtocolSupport,
    t0: std::time::Instant,
) -> Observation {
    let reason = "not tried: the server answered neither a TLS 1.3, a TLS 1.2 nor an SSL 2.0 hello";
    let not_tried = |version| ProtocolSupport {
        version,
        accepted: false,
        answer: Answer::NotTried {
            reason: reason.to_owned(),
        },
    };
    let answered = |version, r: &Round| ProtocolSupport {
        version,
        accepted: false,
        answer: r.first.clone().unwrap_or(Answer::Closed),
    };
    let skipped = CheckResult::new(Check::NotTested, reason);
    let elapsed = ctx.scope.clock().instant().saturating_duration_since(t0);
    Observation {
        address: ip,
        port,
        server_name: ctx.sni.clone(),
        protocols: vec![
            ssl2,
            not_tried(ProtocolVersion::SSL3),
            not_tried(ProtocolVersion::TLS1_0),
            not_tried(ProtocolVersion::TLS1_1),
            answered(ProtocolVersion::TLS1_2, r12),
            answered(ProtocolVersion::TLS1_3, r13),
        ],
        cipher_suites: Vec::new(),
        ssl2_cipher_kinds: Vec::new(),
        groups: Groups::default(),
        dhe: None,
        extensions: Extensions::default(),
        chains: Vec::new(),
        modern: Vec::new(),
        checks: Checks {
            fallback_scsv: skipped.clone(),
            ccs_injection: skipped.clone(),
            heartbleed: skipped.clone(),
            client_renegotiation: skipped,
            robot: Some(crate::robot::Robot::without_run(Check::NotTested, reason)),
        },
        jarm: None,
        exposures: Exposures::default(),
        connections: ctx.connections.load(Ordering::Relaxed),
        elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        client_certificates: None,
        other_addresses: Vec::new(),
        address_agreement: None,
    }
}

fn extensions_of<'a>(
    best: Option<&Round>,
    flights: impl Iterator<Item = (Option<ProtocolVersion>, &'a ServerFlight)>,
) -> Extensions {
    let mut ext = Extensions::default();
    let mut schemes = BTreeSet::new();
    for (_, f) in flights {
        if let Some(
            ServerKeyExchange::Ecdh {
                signature: Some(sig),
                ..
            }
            | ServerKeyExchange::Dh {
                signature: Some(sig),
                ..
            }
            | ServerKeyExchange::Rsa {
                signature: Some(sig),
                ..
            },
        ) = &f.server_key_exchange
            && let Some(scheme) = sig.scheme
        {
            schemes.insert(scheme.0);
        }
    }
    ext.ske_signature_schemes = schemes.into_iter().map(SignatureScheme).collect();
    let Some(round) = best else { return ext };
    let Some(flight) = round.flights.first() else {
        return ext;
    };
    let Some(sh) = &flight.server_hello else {
        return ext;
    };
    let has = |pred: fn(&ServerExtension) -> bool| Some(sh.extensions.iter().any(pred));
    ext.seen_at = round.version;
    ext.extended_master_secret = has(|e| matches!(e, ServerExtension::ExtendedMasterSecret));
    ext.encrypt_then_mac = has(|e| matches!(e, ServerExtension::EncryptThenMac));
    ext.secure_renegotiation = has(|e| matches!(e, ServerExtension::RenegotiationInfo(_)));
    ext.session_ticket = has(|e| matches!(e, ServerExtension::SessionTicket));
    ext.session_id = Some(!sh.session_id.is_empty());
    ext.heartbeat = sh.extensions.iter().find_map(|e| match e {
        ServerExtension::Heartbeat(m) => Some(*m),
        _ => None,
    });
    ext.ocsp_stapling = Some(flight.certificate_status.is_some());
    ext.ocsp_response = flight.certificate_status.as_ref().map(|s| hex(&s.response));
    ext.sct_extension = Some(
        sh.extensions
            .iter()
            .find_map(|e| match e {
                ServerExtension::SignedCertificateTimestamp(l) => Some(l.len()),
                _ => None,
            })
            .unwrap_or(0),
    );
    ext.alpn = sh.extensions.iter().find_map(|e| match e {
        ServerExtension::Alpn(names) => names.first().cloned(),
        _ => None,
    });
    ext.compression = Some(sh.compression_method != 0);
    ext
}

/// A DH group's p and g, big-endian, as sent.
type RawDhGroup = (Vec<u8>, Vec<u8>);

/// The DHE parameters of the first flight with a DH ServerKeyExchange, and its raw p and g.
fn dhe_of<'a>(
    mut flights: impl Iterator<Item = (Option<ProtocolVersion>, &'a ServerFlight)>,
) -> (Option<DheParams>, Option<RawDhGroup>) {
    flights
        .find_map(|(_, f)| match (&f.server_key_exchange, &f.server_hello) {
            (Some(ske @ ServerKeyExchange::Dh { p, g, .. }), Some(sh)) => Some((
                DheParams {
                    prime_bits: ske.dh_prime_bits().unwrap_or(0),
                    generator: hex(g),
                    prime: hex(p),
                    suite: sh.cipher_suite,
                    well_known_group: crate::dh_groups::well_known(p).map(str::to_owned),
                    check: None,
                },
                (p.clone(), g.clone()),
            )),
            _ => None,
        })
        .map_or((None, None), |(d, raw)| (Some(d), Some(raw)))
}

fn chains_of<'a>(
    flights: impl Iterator<Item = (Option<ProtocolVersion>, &'a ServerFlight)>,
) -> Vec<CapturedChain> {
    let mut out: Vec<CapturedChain> = Vec::new();
    for (version, f) in flights {
        let Some(sh) = &f.server_hello else {
            continue;
        };
        let oversized = f
            .certificate_message_bytes
            .filter(|n| *n > SMALLEST_CLIENT_CERTIFICATE_CAP)
            .map(|n| OversizedChain {
                certificate_message_bytes: n,
                cut: f.certificate_over_cap.is_some(),
                cap: f.certificate_over_cap.map_or(0, |o| o.cap),
                leaf_read: f.certificate_over_cap.is_some_and(|o| o.leaf_read),
            });
        let certificates: Vec<String> = f
            .certificate
            .iter()
            .flat_map(|c| c.certificates.iter().map(|d| hex(d)))
            .collect();
        if f.certificate.is_none() && oversized.is_none() {
            continue;
        }
        let auth =
            suite_info(sh.cipher_suite).map_or_else(|| "unknown".to_owned(), |i| name_of(&i.auth));
        if out.iter().any(|c| c.auth == auth) {
            continue;
        }
        out.push(CapturedChain {
            source: "certificate-message".into(),
            auth,
            version: version.unwrap_or(sh.version()),
            certificates,
            oversized,
        });
    }
    out
}

fn exposures_of(
    suites: &[VersionSuites],
    protocols: &[ProtocolSupport],
    ssl2_kinds: &[Ssl2CipherKind],
    dhe: Option<&DheParams>,
) -> Exposures {
    use crate::suites::{Authentication, Cipher};
    let accepted = |v: ProtocolVersion| protocols.iter().any(|p| p.version == v && p.accepted);
    let infos = |pred: &dyn Fn(ProtocolVersion) -> bool| {
        suites
            .iter()
            .filter(|vs| pred(vs.version))
            .flat_map(|vs| vs.accepted.iter().filter_map(|e| suite_info(e.suite)))
            .collect::<Vec<_>>()
    };
    let all = infos(&|_| true);
    let legacy = infos(&|v| v <= ProtocolVersion::TLS1_2);
    let cbc = |v: ProtocolVersion| infos(&|x| x == v).iter().any(|i| i.mode == CipherMode::Cbc);
    let ssl2_info: Vec<_> = ssl2_kinds
        .iter()
        .filter_map(|k| crate::suites::ssl2_cipher_info(*k))
        .collect();
    Exposures {
        poodle: accepted(ProtocolVersion::SSL3) && cbc(ProtocolVersion::SSL3),
        beast: (accepted(ProtocolVersion::TLS1_0) && cbc(ProtocolVersion::TLS1_0))
            || (accepted(ProtocolVersion::SSL3) && cbc(ProtocolVersion::SSL3)),
        sweet32: all.iter().any(|i| {
            matches!(
                i.cipher,
                Cipher::TripleDes | Cipher::Des | Cipher::Idea | Cipher::Rc2
            )
        }) || ssl2_info.iter().any(|i| {
            matches!(
                i.cipher,
                Cipher::TripleDes | Cipher::Des | Cipher::Idea | Cipher::Rc2
            )
        }),
        freak: all.iter().any(|i| i.export && i.kx == KeyExchange::Rsa),
        logjam: all.iter().any(|i| i.export && i.kx == KeyExchange::Dhe)
            || dhe.is_some_and(|d| d.prime_bits < 1024),
        rc4: all.iter().any(|i| i.cipher == Cipher::Rc4)
            || ssl2_info.iter().any(|i| i.cipher == Cipher::Rc4),
        drown: accepted(ProtocolVersion::SSL2),
        lucky13: legacy.iter().any(|i| i.mode == CipherMode::Cbc),
        anonymous: all.iter().any(|i| i.auth == Authentication::Anon),
        null_cipher: all.iter().any(|i| i.cipher == Cipher::Null),
        export: all.iter().any(|i| i.export) || ssl2_info.iter().any(|i| i.export),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_from_a_reversed_offer() {
        assert_eq!(order_shown(Some(1), &[1, 2, 3]), Some(true));
        assert_eq!(order_shown(Some(3), &[1, 2, 3]), Some(false));
        assert_eq!(order_shown(Some(2), &[1, 2, 3]), None);
        assert_eq!(order_shown(None, &[1, 2]), None);
        assert_eq!(order_shown(Some(1), &[1]), None);
    }
}

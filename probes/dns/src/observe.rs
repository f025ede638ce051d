//! The observation: what the DNS said about one endpoint's name, field by field.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

pub use crate::wire::Status;

/// `zone_status` of observations older than format 1.1.0, which did not record it.
fn not_asked() -> Status {
    Status::NoData
}

/// The DNS evidence for one host name. Fields added in format 1.1.0 have serde defaults, so
/// older observations still read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// [`crate::PROBE_VERSION`].
    pub probe_version: String,
    /// The name asked about, fully qualified (trailing dot), lower case.
    pub name: String,
    /// `false` when the host is an IP literal: nothing was asked, every other field is empty.
    pub applicable: bool,
    /// The answers of each resolver asked, in the order given (`--resolver`, else the
    /// system's).
    pub resolvers: Vec<ResolverView>,
    /// The union of every resolver's A and AAAA answers, first resolver first: the addresses
    /// the other probes then connect to.
    pub addresses: Vec<IpAddr>,
    /// CNAME chains that end in no address at some resolver: the last hop's target does not
    /// exist, exists without A and AAAA records, or could not be looked up (see
    /// [`Dangling::status`]).
    pub dangling: Vec<Dangling>,
    /// The zone the name lives in: apex, SOA and name servers (`None` when the apex was not
    /// found; [`Observation::zone_status`] says why).
    pub zone: Option<Zone>,
    /// How the search for the zone apex ended: `answer` when found, else the status of the
    /// SOA question that stopped it (`timeout`, `serv-fail`, …), or `no-data` when no name up
    /// to the root had an SOA (and when nothing was asked: IP literals, invalid names).
    #[serde(default = "not_asked")]
    pub zone_status: Status,
    /// CAA records, found by climbing the tree (RFC 8659 §3).
    pub caa: Caa,
    /// HTTPS records (RFC 9460): at the name for port 443, else at `_PORT._https.NAME`
    /// (RFC 9460 §9.1).
    pub https: RecordSet<HttpsRecord>,
    /// TLSA records at `_PORT._tcp.NAME` (RFC 6698, DANE).
    pub tlsa: RecordSet<TlsaRecord>,
    /// DNSSEC: the validation state of the answers and the algorithms seen.
    pub dnssec: Dnssec,
    /// Answers for the client prefixes named in the catalog, sent as EDNS Client Subnet
    /// (RFC 7871), per resolver.
    pub client_subnets: Vec<SubnetView>,
    /// `true` when [`crate::Config::budget`] ran out before every lookup had finished: the
    /// questions still open were recorded as `timeout` and the validation states still open
    /// as `indeterminate`; everything answered before then is kept.
    #[serde(default)]
    pub budget_exhausted: bool,
}

/// One resolver's answers for the name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResolverView {
    /// The resolver, `IP:PORT`.
    pub resolver: String,
    /// Where the resolver came from: `explicit` (`--resolver`) or `system` (resolv.conf).
    pub source: String,
    /// The A lookup.
    pub a: AddressLookup,
    /// The AAAA lookup.
    pub aaaa: AddressLookup,
}

/// One A or AAAA lookup, with the CNAME chain that led to the answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddressLookup {
    /// How the lookup ended.
    pub status: Status,
    /// The addresses, in answer order, with their TTLs.
    pub records: Vec<AddressRecord>,
    /// The CNAME chain from the asked name to the name that holds the addresses, hop by hop
    /// (empty when the name holds them itself).
    pub cname_chain: Vec<CnameHop>,
    /// The DNSSEC validation state of this answer, from a validating lookup through the same
    /// resolver.
    pub dnssec: DnssecState,
    /// Round-trip time of the last question of the lookup, µs.
    pub rtt_us: u64,
    /// Error text (for statuses other than `answer` and `no-data`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// An address and its TTL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressRecord {
    /// The address.
    pub address: IpAddr,
    /// TTL as served, seconds.
    pub ttl_s: u32,
}

/// One CNAME hop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CnameHop {
    /// The alias (owner of the CNAME record), fully qualified.
    pub name: String,
    /// The canonical name it points to, fully qualified.
    pub target: String,
    /// TTL as served, seconds.
    pub ttl_s: u32,
}

/// A CNAME chain that ends in no address: its last target gave neither an A nor an AAAA
/// record at one resolver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dangling {
    /// The resolver that said so, `IP:PORT`.
    pub resolver: String,
    /// The alias (owner of the last CNAME of the chain).
    pub name: String,
    /// The target it points to.
    pub target: String,
    /// How asking for the target ended: `nx-domain` (A and AAAA: the name does not exist),
    /// `no-data` (it exists but has no A or AAAA record), or the failure that kept it from
    /// being known (`serv-fail`, `refused`, `timeout`, …, of the A lookup when it failed,
    /// else of the AAAA lookup).
    pub status: Status,
}

/// The zone of the name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    /// The zone apex (the owner of the SOA), fully qualified.
    pub apex: String,
    /// The SOA record.
    pub soa: Option<Soa>,
    /// The DNSSEC validation state of the SOA answer at the apex.
    #[serde(default)]
    pub soa_dnssec: DnssecState,
    /// How the NS lookup at the apex ended.
    pub ns_status: Status,
    /// The DNSSEC validation state of the NS answer at the apex.
    #[serde(default)]
    pub ns_dnssec: DnssecState,
    /// The name servers (NS records at the apex) and their addresses.
    pub name_servers: Vec<NameServer>,
}

/// An SOA record (RFC 1035 §3.3.13).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Soa {
    /// The primary name server.
    pub mname: String,
    /// The responsible mailbox, in name form.
    pub rname: String,
    /// The serial number.
    pub serial: u32,
    /// Refresh interval, seconds.
    pub refresh_s: i32,
    /// Retry interval, seconds.
    pub retry_s: i32,
    /// Expiry, seconds.
    pub expire_s: i32,
    /// Negative-caching TTL (RFC 2308), seconds.
    pub minimum_s: u32,
    /// TTL of the SOA record itself, seconds.
    pub ttl_s: u32,
}

/// One name server of the zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NameServer {
    /// Its name, fully qualified.
    pub name: String,
    /// Its IPv4 and IPv6 addresses (so residency can place it).
    pub addresses: Vec<IpAddr>,
    /// How the A lookup ended.
    pub a_status: Status,
    /// How the AAAA lookup ended.
    pub aaaa_status: Status,
}

/// The CAA records that apply to the name (RFC 8659 §3: the first non-empty set found when
/// climbing from the name towards the root).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Caa {
    /// Where the relevant set was found (fully qualified); `None` when no name up to the
    /// top-level domain has CAA records (then any CA may issue).
    pub found_at: Option<String>,
    /// `false` when a lookup failed (SERVFAIL, timeout, …) before a set was found: the relevant
    /// set is then unknown, and `found_at: None` does not mean "no policy".
    pub complete: bool,
    /// The names asked, from the name upwards, and how each lookup ended.
    pub climbed: Vec<CaaStep>,
    /// The relevant record set.
    pub records: Vec<CaaRecord>,
    /// The DNSSEC validation state of the climb: the worst of the climbed steps' states
    /// (bogus < indeterminate < insecure < secure), since the relevant set is only as
    /// trustworthy as the proofs that the names below it have none; `indeterminate` when
    /// nothing was climbed.
    #[serde(default)]
    pub dnssec: DnssecState,
}

/// One step of the CAA climb.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaaStep {
    /// The name asked.
    pub name: String,
    /// How the lookup ended.
    pub status: Status,
    /// CAA records found there.
    pub count: usize,
    /// The DNSSEC validation state of this answer (or of the proof that there is none).
    #[serde(default)]
    pub dnssec: DnssecState,
}

/// One CAA record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaaRecord {
    /// The flags octet.
    pub flags: u8,
    /// The issuer-critical flag (bit 0 of the flags, RFC 8659 §4.1).
    pub critical: bool,
    /// The property tag (`issue`, `issuewild`, `iodef`, `issuemail`, or another).
    pub tag: String,
    /// The value as served (UTF-8, lossy).
    pub value: String,
    /// For `issue`/`issuewild`: the issuer domain (`None` for `;`, which forbids issuance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_domain: Option<String>,
    /// For `issue`/`issuewild`: the parameters (`key=value`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub parameters: Vec<(String, String)>,
    /// TTL as served, seconds.
    pub ttl_s: u32,
}

/// A set of records of one type at one name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordSet<T> {
    /// The name asked, fully qualified.
    pub name: String,
    /// How the lookup ended.
    pub status: Status,
    /// The records.
    pub records: Vec<T>,
    /// The DNSSEC validation state of this answer (or of the proof that there is none), from
    /// a validating lookup through the same resolver; `indeterminate` when no trust anchor
    /// covers the name (for DS: the parent zone, where the DS set lives) or the lookup failed.
    #[serde(default)]
    pub dnssec: DnssecState,
}

/// One HTTPS (SVCB-compatible) record (RFC 9460).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpsRecord {
    /// SvcPriority: 0 is alias mode, otherwise service mode.
    pub priority: u16,
    /// TargetName (`.` means the owner name).
    pub target: String,
    /// ALPN identifiers offered (`alpn`).
    pub alpn: Vec<String>,
    /// `no-default-alpn` present.
    pub no_default_alpn: bool,
    /// The `port` parameter.
    pub port: Option<u16>,
    /// An `ech` parameter (Encrypted ClientHello configuration) is present.
    pub ech: bool,
    /// `ipv4hint` addresses.
    pub ipv4_hints: Vec<IpAddr>,
    /// `ipv6hint` addresses.
    pub ipv6_hints: Vec<IpAddr>,
    /// Parameter keys kensa does not know, as `key65000` etc. (recorded, not errors).
    pub unknown_keys: Vec<String>,
    /// TTL as served, seconds.
    pub ttl_s: u32,
}

/// One TLSA record (RFC 6698 §2.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsaRecord {
    /// Certificate usage (0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE).
    pub usage: u8,
    /// Selector (0 full certificate, 1 SubjectPublicKeyInfo).
    pub selector: u8,
    /// Matching type (0 exact, 1 SHA-256, 2 SHA-512).
    pub matching_type: u8,
    /// The association data, lower-case hex.
    pub data_hex: String,
    /// TTL as served, seconds.
    pub ttl_s: u32,
}

/// DNSSEC validation state of an answer (RFC 4035 §4.3). The default, `indeterminate`, is
/// also what observations older than format 1.1.0 read as for the states they lack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DnssecState {
    /// A chain of signatures from a trust anchor validates the answer.
    Secure,
    /// The zone is provably unsigned (a signed parent proves there is no DS).
    Insecure,
    /// Signatures are missing, wrong or expired where a chain of trust says they must exist.
    Bogus,
    /// Validation could not decide (no chain to an anchor, or no answer to validate).
    #[default]
    Indeterminate,
}

/// DNSSEC facts about the name and its zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dnssec {
    /// The state of the name's address answers at the primary resolver (the first whose A
    /// lookup gave an answer, NODATA or NXDOMAIN): the worst of A and AAAA (bogus <
    /// indeterminate < insecure < secure) among those that gave an answer or a proof. The
    /// states of the other answers are beside them (`zone.soa_dnssec`, `caa.dnssec`,
    /// `https.dnssec`, …).
    pub state: DnssecState,
    /// Whether validation used the IANA root anchors (`iana-root`) or a user-supplied anchor
    /// file (`file`).
    pub anchors: String,
    /// Whether a configured trust anchor covers the name (always, with the root anchors).
    /// When none does, the state is `indeterminate` by definition (RFC 4035 §4.3) and no
    /// validating lookup is made.
    pub covered_by_anchor: bool,
    /// DS records of the zone apex (from the parent): algorithm numbers and names.
    pub ds: RecordSet<DnssecAlgorithm>,
    /// DNSKEY records at the zone apex: algorithm numbers and names.
    pub dnskey: RecordSet<DnssecAlgorithm>,
}

/// An algorithm seen in a DS or DNSKEY record (IANA "DNS Security Algorithm Numbers").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnssecAlgorithm {
    /// The algorithm number.
    pub number: u8,
    /// Its mnemonic (`ECDSAP256SHA256`, …; `unknown` for numbers hickory does not name).
    pub name: String,
    /// For DNSKEY: the SEP (key-signing key) flag; for DS: the digest type number.
    pub detail: u16,
    /// Key tag (RFC 4034 Appendix B): of the key a DS refers to, or of the DNSKEY itself (0
    /// when it cannot be computed).
    pub key_tag: u16,
}

/// The answers one resolver gave for one client prefix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubnetView {
    /// The client prefix sent (`ADDRESS/LEN`).
    pub subnet: String,
    /// The resolver, `IP:PORT`.
    pub resolver: String,
    /// The A lookup with that subnet.
    pub a: AddressLookup,
    /// The AAAA lookup with that subnet.
    pub aaaa: AddressLookup,
    /// The SCOPE PREFIX-LENGTH the resolver returned for the A lookup (RFC 7871 §6): how much
    /// of the prefix the answer depends on; `None` when the reply had no ECS option.
    pub scope_prefix: Option<u8>,
}

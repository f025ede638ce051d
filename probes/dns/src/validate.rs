//! DNSSEC validation through hickory-resolver: one validating resolver per configured
//! resolver, built once per run. kensa does no signature arithmetic of its own.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use hickory_resolver::Resolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::dnssec::{Proof, TrustAnchors};
use hickory_resolver::proto::rr::{Name, RecordType};
use hickory_resolver::proto::serialize::txt::ParseError;

use crate::observe::DnssecState;
use crate::{Anchors, Config, Error};

/// A validating resolver for one upstream resolver.
pub(crate) struct Validator {
    resolver: Resolver<TokioRuntimeProvider>,
}

/// The trust anchors and the zones they cover (`.` for the root anchors).
pub(crate) fn anchors(a: &Anchors) -> Result<(Arc<TrustAnchors>, Vec<Name>), Error> {
    match a {
        Anchors::IanaRoot => Ok((Arc::new(TrustAnchors::default()), vec![Name::root()])),
        Anchors::File(path) => {
            let meta = std::fs::metadata(path).map_err(|e| Error::Anchors {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            // A trust-anchor file is a handful of DNSKEY lines; refuse anything huge.
            if meta.len() > 1 << 20 {
                return Err(Error::Anchors {
                    path: path.clone(),
                    reason: "larger than 1 MiB".to_owned(),
                });
            }
            let text = std::fs::read_to_string(path).map_err(|e| Error::Anchors {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            parse_anchors(path.clone(), &text)
        }
        Anchors::Text { name, text } => {
            if text.len() > 1 << 20 {
                return Err(Error::Anchors {
                    path: PathBuf::from(name),
                    reason: "larger than 1 MiB".to_owned(),
                });
            }
            parse_anchors(PathBuf::from(name), text)
        }
    }
}

/// Parse DNSKEY lines; the owners of the lines are the zones this island of trust covers.
fn parse_anchors(path: PathBuf, text: &str) -> Result<(Arc<TrustAnchors>, Vec<Name>), Error> {
    let ta: TrustAnchors = text.parse().map_err(|e: ParseError| Error::Anchors {
        path,
        reason: e.to_string(),
    })?;
    let covered = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with(';'))
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|n| Name::from_ascii(n).ok())
        .collect();
    Ok((Arc::new(ta), covered))
}

impl Validator {
    pub(crate) fn new(
        server: SocketAddr,
        config: &Config,
        anchors: Arc<TrustAnchors>,
    ) -> Result<Self, Error> {
        let mut udp = ConnectionConfig::udp();
        udp.port = server.port();
        let mut tcp = ConnectionConfig::tcp();
        tcp.port = server.port();
        let ns = NameServerConfig::new(server.ip(), true, vec![udp, tcp]);
        let mut b = Resolver::builder_with_config(
            ResolverConfig::from_name_servers(vec![ns]),
            TokioRuntimeProvider::default(),
        );
        let o = b.options_mut();
        o.validate = true;
        o.timeout = config.timeout;
        o.attempts = usize::from(config.attempts.max(1));
        o.use_hosts_file = ResolveHosts::Never;
        o.ndots = 0;
        let resolver = b
            .with_trust_anchor(anchors)
            .build()
            .map_err(|e| Error::Resolver(server, e.to_string()))?;
        Ok(Self { resolver })
    }

    /// The validation state of the answer for `name`/`rtype`, and error text when the lookup
    /// failed for a reason other than a proven negative answer.
    pub(crate) async fn state(
        &self,
        name: &Name,
        rtype: RecordType,
    ) -> (DnssecState, Option<String>) {
        match self.resolver.lookup(name.clone(), rtype).await {
            Ok(lookup) => {
                let proofs: Vec<Proof> = lookup
                    .answers()
                    .iter()
                    .filter(|r| r.record_type() == rtype)
                    .map(|r| r.proof)
                    .collect();
                (worst(&proofs), None)
            }
            Err(NetError::Dns(DnsError::Nsec { proof, .. })) => (of(proof), None),
            // An empty answer that passed validation: as good as the proof of its absence (the
            // NSEC/NSEC3 and SOA records, each with the proof the validator gave it).
            Err(NetError::Dns(DnsError::NoRecordsFound(nr))) => {
                let proofs: Vec<Proof> = nr
                    .authorities
                    .iter()
                    .flat_map(|a| a.iter())
                    .filter(|r| {
                        matches!(
                            r.record_type(),
                            RecordType::NSEC | RecordType::NSEC3 | RecordType::SOA
                        )
                    })
                    .map(|r| r.proof)
                    .collect();
                (worst(&proofs), None)
            }
            Err(NetError::Dns(DnsError::DnssecBogus)) => (
                DnssecState::Bogus,
                Some("DNSSEC validation failed".to_owned()),
            ),
            Err(e) => (DnssecState::Indeterminate, Some(e.to_string())),
        }
    }
}

fn of(p: Proof) -> DnssecState {
    match p {
        Proof::Secure => DnssecState::Secure,
        Proof::Insecure => DnssecState::Insecure,
        Proof::Bogus => DnssecState::Bogus,
        _ => DnssecState::Indeterminate,
    }
}

fn worst(proofs: &[Proof]) -> DnssecState {
    if proofs.is_empty() {
        return DnssecState::Indeterminate;
    }
    proofs
        .iter()
        .map(|p| of(*p))
        .fold(DnssecState::Secure, combine)
}

/// The worse of two states: bogus < indeterminate < insecure < secure.
pub(crate) fn combine(a: DnssecState, b: DnssecState) -> DnssecState {
    fn rank(s: DnssecState) -> u8 {
        match s {
            DnssecState::Bogus => 0,
            DnssecState::Indeterminate => 1,
            DnssecState::Insecure => 2,
            DnssecState::Secure => 3,
        }
    }
    if rank(a) <= rank(b) { a } else { b }
}

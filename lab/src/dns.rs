//! An authoritative DNS server for fixture zones, on 127.0.0.1, in process.
//!
//! Zones nested in one another can be served together: the enclosing zone answers DS
//! questions at the cut (the DS record set lives in the parent, RFC 4035 §2.4), every other
//! question below the cut goes to the child. That is enough for a chain of trust from a signed
//! parent to a signed child ([`Signing::Delegated`], secure) or to an unsigned child
//! ([`Signing::None`] under a signed parent: the parent's NSEC proves there is no DS, so the
//! child's answers are insecure).

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use hickory_server::Server;
use hickory_server::dnssec::NxProofKind;
use hickory_server::proto::dnssec::crypto::EcdsaSigningKey;
use hickory_server::proto::dnssec::rdata::{DNSKEY, DS};
use hickory_server::proto::dnssec::{Algorithm, DigestType, DnssecSigner, SigningKey};
use hickory_server::proto::rr::{LowerName, Name, RecordType, TSigResponseContext};
use hickory_server::server::{Request, RequestInfo};
use hickory_server::store::file::{FileConfig, FileZoneHandler};
use hickory_server::zone_handler::{
    AuthLookup, AxfrPolicy, Catalog, LookupControlFlow, LookupOptions, Nsec3QueryInfo, ZoneHandler,
    ZoneType,
};

/// How a zone is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signing {
    /// Not signed. Under a signed enclosing zone of the same lab (which then has no DS for
    /// it) its answers validate as insecure.
    None,
    /// Signed with a fresh ECDSA P-256 key whose DNSKEY goes into the trust anchors: answers
    /// validate as secure.
    Valid,
    /// Signed with one key while the trust anchors hold another for the same zone: answers
    /// validate as bogus.
    WrongAnchor,
    /// Signed with a fresh ECDSA P-256 key that is *not* a trust anchor: a DS record for it
    /// (SHA-256 digest, RFC 4509) is added to the nearest enclosing zone served by the same
    /// lab, so answers validate as secure through that zone's chain of trust. Starting the lab
    /// fails when no enclosing zone is served.
    Delegated,
}

/// One zone to serve.
#[derive(Clone, Debug)]
pub struct Zone {
    /// The origin, e.g. `example.test.`.
    pub origin: String,
    /// The zone in zone-file syntax (RFC 1035 §5), names relative to `origin` allowed.
    pub text: String,
    /// How to sign it.
    pub signing: Signing,
}

impl Zone {
    /// An unsigned zone.
    pub fn plain(origin: &str, text: &str) -> Self {
        Self {
            origin: origin.to_owned(),
            text: text.to_owned(),
            signing: Signing::None,
        }
    }

    /// A signed zone.
    pub fn signed(origin: &str, text: &str, signing: Signing) -> Self {
        Self {
            origin: origin.to_owned(),
            text: text.to_owned(),
            signing,
        }
    }
}

/// Errors starting the lab server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A zone could not be loaded or signed.
    #[error("zone {origin}: {reason}")]
    Zone {
        /// The zone origin.
        origin: String,
        /// What went wrong.
        reason: String,
    },
    /// A socket could not be bound.
    #[error("cannot bind 127.0.0.1: {0}")]
    Bind(#[from] std::io::Error),
}

/// A running server. Dropping it stops it.
pub struct DnsLab {
    /// Where it listens (UDP and TCP, same port).
    pub addr: SocketAddr,
    /// DNSKEY records (presentation format) of the signed zones, for a trust-anchor file.
    pub anchors: String,
    /// The DS records (presentation format, one a line) added to enclosing zones for the
    /// [`Signing::Delegated`] zones, e.g. `child.parent.test. 3600 IN DS 12345 13 2 AB…`.
    pub ds: String,
    server: Server<Catalog>,
}

impl std::fmt::Debug for DnsLab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DnsLab").field("addr", &self.addr).finish()
    }
}

fn zone_err(origin: &str, reason: impl ToString) -> Error {
    Error::Zone {
        origin: origin.to_owned(),
        reason: reason.to_string(),
    }
}

fn fresh_key(origin: &str) -> Result<EcdsaSigningKey, Error> {
    let der = EcdsaSigningKey::generate_pkcs8(Algorithm::ECDSAP256SHA256)
        .map_err(|e| zone_err(origin, e))?;
    EcdsaSigningKey::from_pkcs8(&der, Algorithm::ECDSAP256SHA256).map_err(|e| zone_err(origin, e))
}

/// The index of the nearest zone in `origins` that strictly encloses `origins[i]`.
fn enclosing(origins: &[Name], i: usize) -> Option<usize> {
    let child = origins.get(i)?;
    origins
        .iter()
        .enumerate()
        .filter(|(j, o)| *j != i && o.zone_of(child) && o.num_labels() < child.num_labels())
        .max_by_key(|(_, o)| o.num_labels())
        .map(|(j, _)| j)
}

/// Put first in a child zone's handler chain: answers DS questions at the child's apex from
/// the enclosing zone (where the DS record set lives) and skips every other question, which
/// the child's own handler then answers. The catalog builds the reply (SOA, NSEC proofs) with
/// the handler that answered, so every other method speaks for the parent.
struct DsAtParent {
    child: LowerName,
    parent: Arc<dyn ZoneHandler>,
}

#[async_trait::async_trait]
impl ZoneHandler for DsAtParent {
    fn zone_type(&self) -> ZoneType {
        self.parent.zone_type()
    }

    fn axfr_policy(&self) -> AxfrPolicy {
        AxfrPolicy::Deny
    }

    fn origin(&self) -> &LowerName {
        self.parent.origin()
    }

    async fn lookup(
        &self,
        name: &LowerName,
        rtype: RecordType,
        request_info: Option<&RequestInfo<'_>>,
        lookup_options: LookupOptions,
    ) -> LookupControlFlow<AuthLookup> {
        self.parent
            .lookup(name, rtype, request_info, lookup_options)
            .await
    }

    async fn search(
        &self,
        request: &Request,
        lookup_options: LookupOptions,
    ) -> (LookupControlFlow<AuthLookup>, Option<TSigResponseContext>) {
        let ds_at_cut = request.request_info().is_ok_and(|info| {
            info.query.query_type() == RecordType::DS && *info.query.name() == self.child
        });
        if ds_at_cut {
            self.parent.search(request, lookup_options).await
        } else {
            (LookupControlFlow::Skip, None)
        }
    }

    async fn nsec_records(
        &self,
        name: &LowerName,
        lookup_options: LookupOptions,
    ) -> LookupControlFlow<AuthLookup> {
        self.parent.nsec_records(name, lookup_options).await
    }

    async fn nsec3_records(
        &self,
        info: Nsec3QueryInfo<'_>,
        lookup_options: LookupOptions,
    ) -> LookupControlFlow<AuthLookup> {
        self.parent.nsec3_records(info, lookup_options).await
    }

    fn nx_proof_kind(&self) -> Option<&NxProofKind> {
        self.parent.nx_proof_kind()
    }
}

impl DnsLab {
    /// Serve `zones` on 127.0.0.1 (a fresh port). Zone files are written to `dir`.
    pub async fn start(zones: &[Zone], dir: &Path) -> Result<Self, Error> {
        let origins = zones
            .iter()
            .map(|z| Name::from_ascii(&z.origin).map_err(|e| zone_err(&z.origin, e)))
            .collect::<Result<Vec<Name>, Error>>()?;
        let mut texts: Vec<String> = zones.iter().map(|z| z.text.clone()).collect();

        // Keys first: a delegated zone's DS goes into its parent's text before that is loaded.
        let mut keys = Vec::with_capacity(zones.len());
        let mut ds_text = String::new();
        for (i, (z, origin)) in zones.iter().zip(&origins).enumerate() {
            if z.signing == Signing::None {
                keys.push(None);
                continue;
            }
            let key = fresh_key(&z.origin)?;
            let public = key.to_public_key().map_err(|e| zone_err(&z.origin, e))?;
            if z.signing == Signing::Delegated {
                let parent = enclosing(&origins, i).ok_or_else(|| {
                    zone_err(&z.origin, "no enclosing zone in this lab to hold its DS")
                })?;
                let ds = DS::from_key(&public, origin, DigestType::SHA256)
                    .map_err(|e| zone_err(&z.origin, e))?;
                let line = format!("{origin} 3600 IN DS {ds}\n");
                if let Some(t) = texts.get_mut(parent) {
                    if !t.ends_with('\n') {
                        t.push('\n');
                    }
                    t.push_str(&line);
                }
                ds_text.push_str(&line);
            }
            keys.push(Some((key, DNSKEY::from_key(&public))));
        }

        let mut anchors = String::new();
        let mut handlers: Vec<Arc<FileZoneHandler>> = Vec::with_capacity(zones.len());
        for (i, ((z, origin), key)) in zones.iter().zip(&origins).zip(keys).enumerate() {
            let path = dir.join(format!("zone{i}.db"));
            std::fs::write(&path, texts.get(i).map_or("", String::as_str))?;
            let nx = key.as_ref().map(|_| NxProofKind::Nsec);
            let mut h = FileZoneHandler::try_from_config(
                origin.clone(),
                ZoneType::Primary,
                AxfrPolicy::Deny,
                None,
                &FileConfig { zone_path: path },
                nx,
            )
            .map_err(|e| zone_err(&z.origin, e))?;
            if let Some((key, dnskey)) = key {
                match z.signing {
                    Signing::Valid => {
                        anchors.push_str(&format!("{origin} 3600 IN DNSKEY {dnskey}\n"));
                    }
                    Signing::WrongAnchor => {
                        let other = fresh_key(&z.origin)?;
                        let other = other.to_public_key().map_err(|e| zone_err(&z.origin, e))?;
                        let anchor = DNSKEY::from_key(&other);
                        anchors.push_str(&format!("{origin} 3600 IN DNSKEY {anchor}\n"));
                    }
                    Signing::None | Signing::Delegated => {}
                }
                h.add_zone_signing_key_mut(DnssecSigner::new(
                    dnskey,
                    Box::new(key),
                    origin.clone(),
                    Duration::from_secs(86_400 * 30),
                ))
                .map_err(|e| zone_err(&z.origin, e))?;
                h.secure_zone_mut().map_err(|e| zone_err(&z.origin, e))?;
            }
            handlers.push(Arc::new(h));
        }

        let mut catalog = Catalog::new();
        for (i, (origin, h)) in origins.iter().zip(&handlers).enumerate() {
            let own: Arc<dyn ZoneHandler> = h.clone();
            let chain: Vec<Arc<dyn ZoneHandler>> =
                match enclosing(&origins, i).and_then(|p| handlers.get(p)) {
                    Some(parent) => vec![
                        Arc::new(DsAtParent {
                            child: LowerName::from(origin.clone()),
                            parent: parent.clone(),
                        }),
                        own,
                    ],
                    None => vec![own],
                };
            catalog.upsert(LowerName::from(origin.clone()), chain);
        }
        let mut server = Server::new(catalog);
        // UDP and TCP on one port: the kernel picks a free UDP port, whose TCP twin may be
        // taken by another process meanwhile, so a few fresh ports are tried.
        let mut attempt = 0;
        let (udp, tcp, addr) = loop {
            let udp = tokio::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
            let addr = udp.local_addr()?;
            match tokio::net::TcpListener::bind(addr).await {
                Ok(tcp) => break (udp, tcp, addr),
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && attempt < 20 => {
                    attempt += 1;
                }
                Err(e) => return Err(e.into()),
            }
        };
        server.register_socket(udp);
        server.register_listener(tcp, Duration::from_secs(5), 64);
        Ok(Self {
            addr,
            anchors,
            ds: ds_text,
            server,
        })
    }

    /// Stop serving and wait for the server's tasks to end.
    pub async fn stop(mut self) {
        let _ = self.server.shutdown_gracefully().await;
    }
}

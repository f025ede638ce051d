//! An authoritative DNS server for fixture zones, on 127.0.0.1, in process.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use hickory_server::Server;
use hickory_server::dnssec::NxProofKind;
use hickory_server::proto::dnssec::crypto::EcdsaSigningKey;
use hickory_server::proto::dnssec::rdata::DNSKEY;
use hickory_server::proto::dnssec::{Algorithm, DnssecSigner, SigningKey};
use hickory_server::proto::rr::{LowerName, Name};
use hickory_server::store::file::{FileConfig, FileZoneHandler};
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneType};

/// How a zone is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signing {
    /// Not signed.
    None,
    /// Signed with a fresh ECDSA P-256 key whose DNSKEY goes into the trust anchors: answers
    /// validate as secure.
    Valid,
    /// Signed with one key while the trust anchors hold another for the same zone: answers
    /// validate as bogus.
    WrongAnchor,
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

impl DnsLab {
    /// Serve `zones` on 127.0.0.1 (a fresh port). Zone files are written to `dir`.
    pub async fn start(zones: &[Zone], dir: &Path) -> Result<Self, Error> {
        let mut catalog = Catalog::new();
        let mut anchors = String::new();
        for (i, z) in zones.iter().enumerate() {
            let origin = Name::from_ascii(&z.origin).map_err(|e| zone_err(&z.origin, e))?;
            let path = dir.join(format!("zone{i}.db"));
            std::fs::write(&path, &z.text)?;
            let nx = match z.signing {
                Signing::None => None,
                _ => Some(NxProofKind::Nsec),
            };
            let mut h = FileZoneHandler::try_from_config(
                origin.clone(),
                ZoneType::Primary,
                AxfrPolicy::Deny,
                None,
                &FileConfig { zone_path: path },
                nx,
            )
            .map_err(|e| zone_err(&z.origin, e))?;
            if z.signing != Signing::None {
                let key = fresh_key(&z.origin)?;
                let public = key.to_public_key().map_err(|e| zone_err(&z.origin, e))?;
                let dnskey = DNSKEY::from_key(&public);
                let anchor = if z.signing == Signing::WrongAnchor {
                    let other = fresh_key(&z.origin)?;
                    DNSKEY::from_key(&other.to_public_key().map_err(|e| zone_err(&z.origin, e))?)
                } else {
                    dnskey.clone()
                };
                anchors.push_str(&format!("{} 3600 IN DNSKEY {}\n", origin, anchor));
                h.add_zone_signing_key_mut(DnssecSigner::new(
                    dnskey,
                    Box::new(key),
                    origin.clone(),
                    Duration::from_secs(86_400 * 30),
                ))
                .map_err(|e| zone_err(&z.origin, e))?;
                h.secure_zone_mut().map_err(|e| zone_err(&z.origin, e))?;
            }
            catalog.upsert(LowerName::from(origin), vec![Arc::new(h)]);
        }
        let mut server = Server::new(catalog);
        let udp = tokio::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = udp.local_addr()?;
        server.register_socket(udp);
        let tcp = tokio::net::TcpListener::bind(addr).await?;
        server.register_listener(tcp, Duration::from_secs(5), 64);
        Ok(Self {
            addr,
            anchors,
            server,
        })
    }

    /// Stop serving and wait for the server's tasks to end.
    pub async fn stop(mut self) {
        let _ = self.server.shutdown_gracefully().await;
    }
}

//! Temporary stand-in while the real catalog module is written.
#![allow(missing_docs)]
use kensa_probe::{Host, TargetId};
pub struct Catalog { pub source: String, pub providers: Vec<Provider> }
pub struct Provider { pub id: String, pub name: String, pub declared_country: Option<String>, pub applies_for: Option<String>, pub endpoints: Vec<Endpoint> }
pub struct Endpoint { pub host: Host, pub port: u16, pub sni: Option<String>, pub addresses: Vec<std::net::IpAddr>, pub service: Option<String> }
impl Endpoint { pub fn target_id(&self, p: &str) -> TargetId { TargetId::new(format!("{p}/{}:{}", self.host, self.port)) } }
impl Catalog { pub fn endpoint_count(&self) -> usize { self.providers.iter().map(|p| p.endpoints.len()).sum() } }
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CatalogError(String);
pub fn load(path: &std::path::Path) -> Result<Catalog, CatalogError> { Err(CatalogError(format!("{}", path.display()))) }
pub fn from_host_specs(specs: &[String]) -> Result<Catalog, CatalogError> {
    let mut eps = vec![];
    for s in specs { let (h, p) = s.rsplit_once(':').unwrap_or((s, "443")); eps.push(Endpoint { host: Host::parse(h).map_err(|e| CatalogError(e.to_string()))?, port: p.parse().unwrap_or(443), sni: None, addresses: vec![], service: None }); }
    Ok(Catalog { source: "command line".into(), providers: vec![Provider { id: "adhoc".into(), name: "command line".into(), declared_country: None, applies_for: None, endpoints: eps }] })
}

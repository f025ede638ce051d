//! From a catalog to the targets the engine probes, produced lazily.

use kensa_probe::{Host, Target};

use crate::catalog::Catalog;
use crate::engine::TargetSpec;
use crate::evidence::AddressSource;

/// Every endpoint of every provider, in catalog order, as a [`TargetSpec`]. The iterator
/// borrows the catalog and builds each spec only when the engine asks for it.
pub fn targets(catalog: &Catalog) -> impl Iterator<Item = TargetSpec> + '_ {
    catalog.providers.iter().flat_map(|p| {
        p.endpoints.iter().map(move |e| {
            let mut target = Target::new(e.target_id(&p.id), e.host.clone(), e.port);
            target.sni = e.sni.clone();
            target.client_subnets = p.client_subnets.clone();
            target.declared_country = p.declared_country.clone();
            let source = if !e.addresses.is_empty() {
                target.addresses = e.addresses.clone();
                AddressSource::Pinned
            } else if matches!(e.host, Host::Ip(_)) {
                AddressSource::Literal
            } else {
                AddressSource::Resolved
            };
            TargetSpec {
                provider: p.id.clone(),
                target,
                source,
                prior: None,
            }
        })
    })
}

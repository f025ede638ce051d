//! From a catalog to the targets the engine probes, produced lazily.

use std::borrow::Cow;

use kensa_probe::{Host, Target};

use crate::catalog::Listing;
use crate::engine::TargetSpec;
use crate::evidence::AddressSource;

/// Every endpoint of every provider, in catalog order, as a [`TargetSpec`]. The iterator
/// borrows the catalog (held whole or packed) and builds each spec only when the engine asks
/// for it.
pub fn targets<C: Listing + ?Sized>(catalog: &C) -> impl Iterator<Item = TargetSpec> + Send + '_ {
    catalog.providers().flat_map(|(p, endpoints)| {
        endpoints.map(move |e| {
            let id = e.target_id(&p.id);
            let (host, port, sni, addresses) = match e {
                Cow::Borrowed(e) => (e.host.clone(), e.port, e.sni.clone(), e.addresses.clone()),
                Cow::Owned(e) => (e.host, e.port, e.sni, e.addresses),
            };
            let literal = matches!(host, Host::Ip(_));
            let mut target = Target::new(id, host, port);
            target.sni = sni;
            target.client_subnets = p.client_subnets.clone();
            target.declared_country = p.declared_country.clone();
            let source = if !addresses.is_empty() {
                target.addresses = addresses;
                AddressSource::Pinned
            } else if literal {
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

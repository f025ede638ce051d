//! The probe: ask, follow, record.

use std::net::{IpAddr, SocketAddr};

use futures_util::future::join_all;
use hickory_resolver::proto::dnssec::PublicKey;
use hickory_resolver::proto::dnssec::rdata::DNSSECRData;
use hickory_resolver::proto::rr::rdata::opt::{ClientSubnet, EdnsCode, EdnsOption};
use hickory_resolver::proto::rr::rdata::svcb::{SvcParamKey, SvcParamValue};
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};
use kensa_probe::Outcome;

use crate::observe::*;
use crate::validate::{Validator, anchors, combine};
use crate::wire::{Ask, Budget, Reply, ask};
use crate::{Anchors, ClientPrefix, Config, Error, MAX_CNAME_HOPS, MAX_NAME_SERVERS, ResolverAddr};

/// The DNS probe, set up once per run: the resolvers and a validating resolver for each.
pub struct Dns {
    resolvers: Vec<(ResolverAddr, Validator)>,
    ask: Ask,
    budget: std::time::Duration,
    anchors: &'static str,
    covered: Vec<Name>,
}

impl std::fmt::Debug for Dns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dns")
            .field(
                "resolvers",
                &self
                    .resolvers
                    .iter()
                    .map(|(r, _)| r.addr)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Dns {
    /// Set up the probe. Fails when no resolver is given or the trust anchors are unusable.
    pub fn new(config: &Config) -> Result<Self, Error> {
        if config.resolvers.is_empty() {
            return Err(Error::NoResolver);
        }
        let (ta, covered) = anchors(&config.anchors)?;
        let mut resolvers = Vec::with_capacity(config.resolvers.len());
        for r in &config.resolvers {
            resolvers.push((*r, Validator::new(r.addr, config, ta.clone())?));
        }
        Ok(Self {
            resolvers,
            ask: Ask {
                timeout: config.timeout,
                attempts: config.attempts.max(1),
                client_subnet: None,
                budget: None,
            },
            budget: config.budget,
            covered,
            anchors: match config.anchors {
                Anchors::IanaRoot => "iana-root",
                Anchors::File(_) | Anchors::Text { .. } => "file",
            },
        })
    }

    /// The resolvers asked, in order.
    pub fn resolvers(&self) -> Vec<ResolverAddr> {
        self.resolvers.iter().map(|(r, _)| *r).collect()
    }
}

fn fqdn(n: &Name) -> String {
    let mut s = n.to_ascii().to_ascii_lowercase();
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

fn empty_lookup(status: Status) -> AddressLookup {
    AddressLookup {
        status,
        records: Vec::new(),
        cname_chain: Vec::new(),
        dnssec: DnssecState::Indeterminate,
        rtt_us: 0,
        error: None,
    }
}

fn empty_observation(name: String) -> Observation {
    Observation {
        probe_version: crate::PROBE_VERSION.to_owned(),
        name: name.clone(),
        applicable: false,
        resolvers: Vec::new(),
        addresses: Vec::new(),
        dangling: Vec::new(),
        zone: None,
        zone_status: Status::NoData,
        caa: Caa {
            found_at: None,
            complete: false,
            climbed: Vec::new(),
            records: Vec::new(),
            dnssec: DnssecState::Indeterminate,
        },
        https: empty_set(name.clone(), Status::NoData),
        tlsa: RecordSet {
            name,
            status: Status::NoData,
            records: Vec::new(),
            dnssec: DnssecState::Indeterminate,
        },
        dnssec: Dnssec {
            state: DnssecState::Indeterminate,
            anchors: String::new(),
            covered_by_anchor: false,
            ds: empty_set(String::new(), Status::NoData),
            dnskey: empty_set(String::new(), Status::NoData),
        },
        client_subnets: Vec::new(),
        budget_exhausted: false,
    }
}

fn empty_set<T>(name: String, status: Status) -> RecordSet<T> {
    RecordSet {
        name,
        status,
        records: Vec::new(),
        dnssec: DnssecState::Indeterminate,
    }
}

/// Validating lookups through one resolver, within the observation's budget, for the names a
/// trust anchor covers.
struct Check<'a> {
    validator: &'a Validator,
    covered: &'a [Name],
    budget: &'a Budget,
}

impl Check<'_> {
    /// The validation state of the answer for `name`/`rtype` (and error text, as
    /// [`Validator::state`]).
    async fn state(&self, name: &Name, rtype: RecordType) -> (DnssecState, Option<String>) {
        // A DS set lives in the parent zone: it is covered when the parent is.
        let owner = if rtype == RecordType::DS && !name.is_root() {
            name.base_name()
        } else {
            name.clone()
        };
        if !self.covered.iter().any(|z| z.zone_of(&owner)) {
            // RFC 4035 §4.3: no trust anchor covers this part of the tree.
            return (DnssecState::Indeterminate, None);
        }
        match tokio::time::timeout(self.budget.left(), self.validator.state(name, rtype)).await {
            Ok(s) => s,
            Err(_) => {
                self.budget.mark();
                (
                    DnssecState::Indeterminate,
                    Some(format!(
                        "validation did not finish: {}",
                        self.budget.message()
                    )),
                )
            }
        }
    }
}

/// Records of `rtype` in the answer section, with any owner (the resolver followed the chain).
fn answers_of(reply: &Reply, rtype: RecordType) -> Vec<&Record> {
    reply
        .message
        .as_ref()
        .map(|m| {
            m.answers
                .iter()
                .filter(|r| r.record_type() == rtype)
                .collect()
        })
        .unwrap_or_default()
}

/// `answer` when records came, `no-data` for an empty NOERROR, else the reply's status.
fn settle(reply: &Reply, found: bool) -> Status {
    match reply.status {
        Status::Answer if found => Status::Answer,
        Status::Answer => Status::NoData,
        ref s => s.clone(),
    }
}

/// Follow the CNAME chain for `name`/`rtype` at one resolver, asking again where the reply
/// stops short of the end of the chain.
async fn address_lookup(
    server: SocketAddr,
    name: &Name,
    rtype: RecordType,
    ask_: &Ask,
) -> AddressLookup {
    let mut current = name.clone();
    let mut chain: Vec<CnameHop> = Vec::new();
    let mut last_rtt = 0;
    for _round in 0..MAX_CNAME_HOPS {
        let reply = ask(server, &current, rtype, ask_).await;
        last_rtt = reply.rtt_us;
        match address_round(reply, name, rtype, &mut current, &mut chain) {
            Round::Done(l) => return l,
            Round::Again => {}
        }
    }
    let mut l = empty_lookup(Status::ChainTooLong);
    l.error = Some(format!(
        "the CNAME chain is longer than {MAX_CNAME_HOPS} hops"
    ));
    l.cname_chain = chain;
    l.rtt_us = last_rtt;
    l
}

/// What one reply in [`address_lookup`] decided.
pub(crate) enum Round {
    /// The lookup's result.
    Done(AddressLookup),
    /// The reply stopped short of the end of the chain: ask again for `current`.
    Again,
}

/// Read the reply to `current` (asked for `name`/`rtype`): walk its CNAMEs from `current`
/// (extending `chain` and moving `current` to the last target), then take the addresses at
/// the end of the chain. Pure: the probe and the `dns_message` fuzz target go through it.
pub(crate) fn address_round(
    reply: Reply,
    name: &Name,
    rtype: RecordType,
    current: &mut Name,
    chain: &mut Vec<CnameHop>,
) -> Round {
    let last_rtt = reply.rtt_us;
    let Some(msg) = reply.message.as_ref() else {
        let mut l = empty_lookup(reply.status.clone());
        l.error = reply.error;
        l.cname_chain = std::mem::take(chain);
        l.rtt_us = last_rtt;
        return Round::Done(l);
    };
    // Walk the CNAMEs in the answer from `current`.
    loop {
        let next = msg.answers.iter().find_map(|r| match &r.data {
            RData::CNAME(c) if r.name.eq_ignore_root(current) => Some((c.0.clone(), r.ttl)),
            _ => None,
        });
        let Some((target, ttl)) = next else { break };
        if chain.len() >= MAX_CNAME_HOPS
            || chain.iter().any(|h| h.name == fqdn(&target))
            || target.eq_ignore_root(name)
        {
            chain.push(CnameHop {
                name: fqdn(current),
                target: fqdn(&target),
                ttl_s: ttl,
            });
            let mut l = empty_lookup(Status::ChainTooLong);
            l.error = Some(format!(
                "the CNAME chain is longer than {MAX_CNAME_HOPS} hops or loops"
            ));
            l.cname_chain = std::mem::take(chain);
            l.rtt_us = last_rtt;
            return Round::Done(l);
        }
        chain.push(CnameHop {
            name: fqdn(current),
            target: fqdn(&target),
            ttl_s: ttl,
        });
        *current = target;
    }
    let records: Vec<AddressRecord> = msg
        .answers
        .iter()
        .filter(|r| r.name.eq_ignore_root(current))
        .filter_map(|r| match &r.data {
            RData::A(a) if rtype == RecordType::A => Some(AddressRecord {
                address: IpAddr::V4(a.0),
                ttl_s: r.ttl,
            }),
            RData::AAAA(a) if rtype == RecordType::AAAA => Some(AddressRecord {
                address: IpAddr::V6(a.0),
                ttl_s: r.ttl,
            }),
            _ => None,
        })
        .collect();
    let status = settle(&reply, !records.is_empty());
    // The reply ended the chain at a name it did not answer for (an out-of-zone target at
    // an authoritative server, or a partial answer): ask for that name.
    let asked = msg.queries.first().map(|q| q.name.clone());
    let stopped_short = records.is_empty()
        && status == Status::NoData
        && asked.as_ref().is_some_and(|a| !a.eq_ignore_root(current))
        && !has_soa_for(msg, current);
    if stopped_short {
        return Round::Again;
    }
    Round::Done(AddressLookup {
        status,
        records,
        cname_chain: std::mem::take(chain),
        dnssec: DnssecState::Indeterminate,
        rtt_us: last_rtt,
        error: reply.error.clone(),
    })
}

/// Whether the authority section carries a negative answer (an SOA) for the zone of `name`.
fn has_soa_for(msg: &hickory_resolver::proto::op::Message, name: &Name) -> bool {
    msg.authorities
        .iter()
        .any(|r| matches!(r.data, RData::SOA(_)) && r.name.zone_of(name))
}

/// A CNAME chain that ends without an address at one resolver (see [`Dangling::status`]).
fn dangling_of(resolver: &str, a: &AddressLookup, aaaa: &AddressLookup) -> Option<Dangling> {
    if !a.records.is_empty() || !aaaa.records.is_empty() {
        return None;
    }
    // Only lookups that followed a chain say anything about its target; a loop or an
    // over-long chain is recorded as such, not as a dangling target.
    let chained: Vec<&AddressLookup> = [a, aaaa]
        .into_iter()
        .filter(|l| !l.cname_chain.is_empty())
        .collect();
    if chained.iter().any(|l| l.status == Status::ChainTooLong) {
        return None;
    }
    let last = chained.first()?.cname_chain.last()?;
    let failed = chained
        .iter()
        .find(|l| !matches!(l.status, Status::Answer | Status::NoData | Status::NxDomain));
    let status = match failed {
        Some(l) => l.status.clone(),
        None if chained.iter().all(|l| l.status == Status::NxDomain) => Status::NxDomain,
        None => Status::NoData,
    };
    Some(Dangling {
        resolver: resolver.to_owned(),
        name: last.name.clone(),
        target: last.target.clone(),
        status,
    })
}

/// The A and AAAA lookups at one resolver, following chains (no validation yet).
async fn addresses(server: SocketAddr, name: &Name, ask_: &Ask) -> (AddressLookup, AddressLookup) {
    tokio::join!(
        address_lookup(server, name, RecordType::A, ask_),
        address_lookup(server, name, RecordType::AAAA, ask_),
    )
}

/// The validation states of the A and AAAA answers at one resolver.
async fn address_states(
    check: Check<'_>,
    name: &Name,
) -> ((DnssecState, Option<String>), (DnssecState, Option<String>)) {
    tokio::join!(
        check.state(name, RecordType::A),
        check.state(name, RecordType::AAAA),
    )
}

/// The owner of the HTTPS records for `port` (RFC 9460 §9.1): the name itself for 443, else
/// `_PORT._https.NAME`.
fn https_owner(name: &Name, port: u16) -> Option<Name> {
    if port == 443 {
        Some(name.clone())
    } else {
        Name::from_ascii(format!("_{port}._https.{}", fqdn(name))).ok()
    }
}

/// Observe one host name. `port` names the TLSA owner (`_PORT._tcp.NAME`) and, when it is not
/// 443, the HTTPS owner (`_PORT._https.NAME`); `subnets` are the client prefixes to ask about
/// with EDNS Client Subnet.
///
/// The whole observation takes at most [`crate::Config::budget`] (plus scheduling slack): the
/// A/AAAA questions go first, then everything else runs concurrently in the time left, and
/// what has not finished by then is recorded as timed out.
///
/// The outcome is `success` when at least one resolver gave an address, `dns-failure`
/// otherwise (the observation says why), `invalid-input` for a name that is not a DNS name.
pub async fn observe_host(
    dns: &Dns,
    host: &str,
    port: u16,
    subnets: &[ClientPrefix],
) -> (Outcome, Observation, Option<String>) {
    if host.parse::<IpAddr>().is_ok() {
        let mut obs = empty_observation(host.to_owned());
        obs.applicable = false;
        return (Outcome::Success, obs, None);
    }
    let name = match Name::from_ascii(host) {
        Ok(mut n) => {
            n.set_fqdn(true);
            n
        }
        Err(e) => {
            let obs = empty_observation(host.to_owned());
            return (
                Outcome::InvalidInput,
                obs,
                Some(format!("{host} is not a DNS name: {e}")),
            );
        }
    };
    let mut obs = empty_observation(fqdn(&name));
    obs.applicable = true;
    obs.dnssec.anchors = dns.anchors.to_owned();
    obs.dnssec.covered_by_anchor = dns.covered.iter().any(|z| z.zone_of(&name));
    let budget = Budget::start(dns.budget);
    let ask_ = Ask {
        budget: Some(budget.clone()),
        ..dns.ask.clone()
    };
    let check = |validator| Check {
        validator,
        covered: &dns.covered,
        budget: &budget,
    };

    // First the addresses, at every resolver concurrently: they are what the other probes
    // need, so they get the budget first.
    let raw = join_all(
        dns.resolvers
            .iter()
            .map(|(r, _)| addresses(r.addr, &name, &ask_)),
    )
    .await;

    // Zone facts from the first resolver that gave a usable answer (else the first).
    let primary = raw
        .iter()
        .position(|(a, _)| matches!(a.status, Status::Answer | Status::NoData | Status::NxDomain))
        .unwrap_or(0);
    let Some((pr, pv)) = dns.resolvers.get(primary) else {
        return (Outcome::Internal, obs, Some("no resolver".to_owned()));
    };
    let server = pr.addr;

    // Then everything else, concurrently, in what is left of the budget.
    let mut subnet_jobs = Vec::new();
    for p in subnets {
        for (r, _) in &dns.resolvers {
            subnet_jobs.push(subnet_view(*r, *p, &name, &ask_));
        }
    }
    let pc = check(pv);
    let https_name = https_owner(&name, port);
    let tlsa_name = Name::from_ascii(format!("_{port}._tcp.{}", fqdn(&name))).ok();
    let (states, client_subnets, zone, caa, https, tlsa) = tokio::join!(
        join_all(
            dns.resolvers
                .iter()
                .map(|(_, v)| address_states(check(v), &name))
        ),
        join_all(subnet_jobs),
        zone_facts(server, &name, &ask_, &pc),
        caa_climb(server, &name, &ask_, &pc),
        async {
            match &https_name {
                Some(h) => Some(https_records(server, h, &ask_, &pc).await),
                None => None,
            }
        },
        async {
            match &tlsa_name {
                Some(t) => Some(tlsa_records(server, t, &ask_, &pc).await),
                None => None,
            }
        },
    );

    for (((r, _), (mut a, mut aaaa)), ((sa, ea), (s6, e6))) in
        dns.resolvers.iter().zip(raw).zip(states)
    {
        a.dnssec = sa;
        aaaa.dnssec = s6;
        for (l, e) in [(&mut a, ea), (&mut aaaa, e6)] {
            if l.dnssec == DnssecState::Bogus {
                l.error.get_or_insert_with(|| e.unwrap_or_default());
            }
        }
        for rec in a.records.iter().chain(aaaa.records.iter()) {
            if !obs.addresses.contains(&rec.address) {
                obs.addresses.push(rec.address);
            }
        }
        let resolver = r.addr.to_string();
        obs.dangling.extend(dangling_of(&resolver, &a, &aaaa));
        obs.resolvers.push(ResolverView {
            resolver,
            source: r.source.as_str().to_owned(),
            a,
            aaaa,
        });
    }
    if let Some(v) = obs.resolvers.get(primary) {
        obs.dnssec.state = answer_state(v);
    }
    obs.client_subnets = client_subnets;
    obs.caa = caa;
    if let Some(h) = https {
        obs.https = h;
    }
    if let Some(t) = tlsa {
        obs.tlsa = t;
    }
    let (zone, ds, dnskey) = zone;
    match zone {
        Ok(z) => {
            obs.zone = Some(z);
            obs.zone_status = Status::Answer;
        }
        Err(s) => obs.zone_status = s,
    }
    obs.dnssec.ds = ds;
    obs.dnssec.dnskey = dnskey;
    obs.budget_exhausted = budget.ran_out();

    if obs.addresses.is_empty() {
        let why: Vec<String> = obs
            .resolvers
            .iter()
            .map(|v| {
                format!(
                    "{}: A {}, AAAA {}",
                    v.resolver,
                    v.a.status.as_str(),
                    v.aaaa.status.as_str()
                )
            })
            .collect();
        let msg = format!("{} has no address ({})", obs.name, why.join("; "));
        return (Outcome::DnsFailure, obs, Some(msg));
    }
    (Outcome::Success, obs, None)
}

/// The state of a resolver's address answers: the worse of A and AAAA among those that
/// answered or were proven empty.
fn answer_state(v: &ResolverView) -> DnssecState {
    let mut states = Vec::new();
    for l in [&v.a, &v.aaaa] {
        if matches!(l.status, Status::Answer | Status::NoData | Status::NxDomain)
            || l.dnssec == DnssecState::Bogus
        {
            states.push(l.dnssec);
        }
    }
    if states.is_empty() {
        return DnssecState::Indeterminate;
    }
    states.into_iter().fold(DnssecState::Secure, combine)
}

async fn subnet_view(r: ResolverAddr, p: ClientPrefix, name: &Name, base: &Ask) -> SubnetView {
    let ask_ = Ask {
        client_subnet: Some(ClientSubnet::new(mask(p.address, p.len), p.len, 0)),
        ..base.clone()
    };
    let (a, aaaa, scope) = tokio::join!(
        address_lookup(r.addr, name, RecordType::A, &ask_),
        address_lookup(r.addr, name, RecordType::AAAA, &ask_),
        scope_prefix(r.addr, name, &ask_),
    );
    SubnetView {
        subnet: p.to_string(),
        resolver: r.addr.to_string(),
        a,
        aaaa,
        scope_prefix: scope,
    }
}

async fn scope_prefix(server: SocketAddr, name: &Name, ask_: &Ask) -> Option<u8> {
    scope_of(&ask(server, name, RecordType::A, ask_).await)
}

/// The scope prefix of the reply's EDNS Client Subnet option (RFC 7871 §6), if it has one.
pub(crate) fn scope_of(reply: &Reply) -> Option<u8> {
    let edns = reply.message.as_ref()?.edns.as_ref()?;
    match edns.options().get(EdnsCode::Subnet) {
        Some(EdnsOption::Subnet(cs)) => Some(cs.scope_prefix()),
        _ => None,
    }
}

/// Clear the host bits of `a` beyond `len` (RFC 7871 §6: the address MUST be truncated).
fn mask(a: IpAddr, len: u8) -> IpAddr {
    match a {
        IpAddr::V4(v) => {
            let bits = u32::from(v);
            let m = if len == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(len.min(32)))
            };
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(v) => {
            let bits = u128::from(v);
            let m = if len == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(len.min(128)))
            };
            IpAddr::V6((bits & m).into())
        }
    }
}

/// The zone apex: the owner of the SOA, found by asking for SOA at the name and climbing
/// while the answer is an alias or says nothing. `Err` carries the status that stopped the
/// search (a failed question, or `no-data` when no name up to the root had an SOA).
async fn find_apex(
    server: SocketAddr,
    name: &Name,
    ask_: &Ask,
) -> Result<(Name, Option<Soa>), Status> {
    let mut candidate = name.clone();
    for _ in 0..12 {
        let reply = ask(server, &candidate, RecordType::SOA, ask_).await;
        if let Some(found) = apex_step(&reply, &candidate) {
            return found;
        }
        if candidate.is_root() {
            break;
        }
        candidate = candidate.base_name();
    }
    Err(Status::NoData)
}

/// One step of [`find_apex`]: the reply to the SOA question for `candidate`. `Some` ends the
/// search (the apex and its SOA, or the status that stopped it); `None` climbs on.
pub(crate) fn apex_step(
    reply: &Reply,
    candidate: &Name,
) -> Option<Result<(Name, Option<Soa>), Status>> {
    if !matches!(reply.status, Status::Answer | Status::NxDomain) {
        return Some(Err(reply.status.clone()));
    }
    if let Some(msg) = reply.message.as_ref() {
        let aliased = msg
            .answers
            .iter()
            .any(|r| matches!(r.data, RData::CNAME(_)));
        let at_name = msg
            .answers
            .iter()
            .find(|r| matches!(r.data, RData::SOA(_)) && r.name.eq_ignore_root(candidate));
        let in_auth = msg
            .authorities
            .iter()
            .find(|r| matches!(r.data, RData::SOA(_)) && r.name.zone_of(candidate));
        let found = if aliased { None } else { at_name.or(in_auth) };
        if let Some(rec) = found {
            let soa = match &rec.data {
                RData::SOA(s) => Some(Soa {
                    mname: fqdn(&s.mname),
                    rname: fqdn(&s.rname),
                    serial: s.serial,
                    refresh_s: s.refresh,
                    retry_s: s.retry,
                    expire_s: s.expire,
                    minimum_s: s.minimum,
                    ttl_s: rec.ttl,
                }),
                _ => None,
            };
            return Some(Ok((rec.name.clone(), soa)));
        }
    }
    None
}

/// The zone of the name (apex, SOA, name servers) and the DS and DNSKEY sets at its apex,
/// each with its validation state. When the apex is not found, DS and DNSKEY carry the status
/// that stopped the search.
async fn zone_facts(
    server: SocketAddr,
    name: &Name,
    ask_: &Ask,
    check: &Check<'_>,
) -> (
    Result<Zone, Status>,
    RecordSet<DnssecAlgorithm>,
    RecordSet<DnssecAlgorithm>,
) {
    let (apex, soa) = match find_apex(server, name, ask_).await {
        Ok(found) => found,
        Err(s) => {
            return (
                Err(s.clone()),
                empty_set(String::new(), s.clone()),
                empty_set(String::new(), s),
            );
        }
    };
    let ((ns_status, name_servers), (soa_dnssec, _), (ns_dnssec, _), ds, dnskey) = tokio::join!(
        name_servers(server, &apex, ask_),
        check.state(&apex, RecordType::SOA),
        check.state(&apex, RecordType::NS),
        algorithms(server, &apex, RecordType::DS, ask_, check),
        algorithms(server, &apex, RecordType::DNSKEY, ask_, check),
    );
    (
        Ok(Zone {
            apex: fqdn(&apex),
            soa,
            soa_dnssec,
            ns_status,
            ns_dnssec,
            name_servers,
        }),
        ds,
        dnskey,
    )
}

async fn name_servers(server: SocketAddr, apex: &Name, ask_: &Ask) -> (Status, Vec<NameServer>) {
    let reply = ask(server, apex, RecordType::NS, ask_).await;
    let (status, names) = ns_names(&reply);
    let servers = join_all(names.into_iter().map(|n| async move {
        let (a, aaaa) = tokio::join!(
            address_lookup(server, &n, RecordType::A, ask_),
            address_lookup(server, &n, RecordType::AAAA, ask_),
        );
        NameServer {
            name: fqdn(&n),
            addresses: a
                .records
                .iter()
                .chain(aaaa.records.iter())
                .map(|r| r.address)
                .collect(),
            a_status: a.status,
            aaaa_status: aaaa.status,
        }
    }))
    .await;
    (status, servers)
}

/// The name servers named in an NS reply (at most [`MAX_NAME_SERVERS`]), and its status.
pub(crate) fn ns_names(reply: &Reply) -> (Status, Vec<Name>) {
    let names: Vec<Name> = answers_of(reply, RecordType::NS)
        .into_iter()
        .filter_map(|r| match &r.data {
            RData::NS(ns) => Some(ns.0.clone()),
            _ => None,
        })
        .take(MAX_NAME_SERVERS)
        .collect();
    (settle(reply, !names.is_empty()), names)
}

/// RFC 8659 §3: the relevant CAA set is the first non-empty one from the name up to (not
/// including) the root. A failed lookup stops the climb (`complete: false`): the relevant set
/// is then unknown.
/// Each step is validated alongside its question.
async fn caa_climb(server: SocketAddr, name: &Name, ask_: &Ask, check: &Check<'_>) -> Caa {
    let mut caa = Caa {
        found_at: None,
        complete: false,
        climbed: Vec::new(),
        records: Vec::new(),
        dnssec: DnssecState::Indeterminate,
    };
    let mut candidate = name.clone();
    while !candidate.is_root() {
        let (reply, (dnssec, _)) = tokio::join!(
            ask(server, &candidate, RecordType::CAA, ask_),
            check.state(&candidate, RecordType::CAA),
        );
        caa.dnssec = if caa.climbed.is_empty() {
            dnssec
        } else {
            combine(caa.dnssec, dnssec)
        };
        let records = caa_records(&reply);
        let status = settle(&reply, !records.is_empty());
        caa.climbed.push(CaaStep {
            name: fqdn(&candidate),
            status: status.clone(),
            count: records.len(),
            dnssec,
        });
        if !records.is_empty() {
            caa.found_at = Some(fqdn(&candidate));
            caa.records = records;
            caa.complete = true;
            return caa;
        }
        if !matches!(status, Status::NoData | Status::NxDomain) {
            return caa;
        }
        candidate = candidate.base_name();
    }
    caa.complete = true;
    caa
}

/// The CAA records of a reply, parsed.
pub(crate) fn caa_records(reply: &Reply) -> Vec<CaaRecord> {
    answers_of(reply, RecordType::CAA)
        .into_iter()
        .filter_map(|r| match &r.data {
            RData::CAA(c) => Some(caa_record(c, r.ttl)),
            _ => None,
        })
        .collect()
}

fn caa_record(c: &hickory_resolver::proto::rr::rdata::CAA, ttl: u32) -> CaaRecord {
    let flags = c.flags();
    let tag = c.tag.clone();
    let value = String::from_utf8_lossy(&c.value).into_owned();
    let (issuer_domain, parameters) =
        if tag.eq_ignore_ascii_case("issue") || tag.eq_ignore_ascii_case("issuewild") {
            match c.value_as_issue() {
                Ok((name, kv)) => (
                    name.map(|n| n.to_ascii().trim_end_matches('.').to_ascii_lowercase()),
                    kv.iter()
                        .map(|k| (k.key().to_owned(), k.value().to_owned()))
                        .collect(),
                ),
                // Unparsable issuer values are kept as served in `value`.
                Err(_) => (None, Vec::new()),
            }
        } else {
            (None, Vec::new())
        };
    CaaRecord {
        flags,
        critical: c.issuer_critical,
        tag,
        value,
        issuer_domain,
        parameters,
        ttl_s: ttl,
    }
}

async fn https_records(
    server: SocketAddr,
    name: &Name,
    ask_: &Ask,
    check: &Check<'_>,
) -> RecordSet<HttpsRecord> {
    let (reply, (dnssec, _)) = tokio::join!(
        ask(server, name, RecordType::HTTPS, ask_),
        check.state(name, RecordType::HTTPS),
    );
    let records = https_of(&reply);
    RecordSet {
        name: fqdn(name),
        status: settle(&reply, !records.is_empty()),
        records,
        dnssec,
    }
}

/// The HTTPS records of a reply (RFC 9460), with the parameters kensa records.
pub(crate) fn https_of(reply: &Reply) -> Vec<HttpsRecord> {
    answers_of(reply, RecordType::HTTPS)
        .into_iter()
        .filter_map(|r| match &r.data {
            RData::HTTPS(h) => {
                let svcb = &h.0;
                let mut rec = HttpsRecord {
                    priority: svcb.svc_priority,
                    target: fqdn(&svcb.target_name),
                    alpn: Vec::new(),
                    no_default_alpn: false,
                    port: None,
                    ech: false,
                    ipv4_hints: Vec::new(),
                    ipv6_hints: Vec::new(),
                    unknown_keys: Vec::new(),
                    ttl_s: r.ttl,
                };
                for (k, v) in &svcb.svc_params {
                    match v {
                        SvcParamValue::Alpn(a) => rec.alpn.extend(a.0.iter().cloned()),
                        SvcParamValue::NoDefaultAlpn => rec.no_default_alpn = true,
                        SvcParamValue::Port(p) => rec.port = Some(*p),
                        SvcParamValue::EchConfigList(_) => rec.ech = true,
                        SvcParamValue::Ipv4Hint(h) => {
                            rec.ipv4_hints.extend(h.0.iter().map(|a| IpAddr::V4(a.0)))
                        }
                        SvcParamValue::Ipv6Hint(h) => {
                            rec.ipv6_hints.extend(h.0.iter().map(|a| IpAddr::V6(a.0)))
                        }
                        SvcParamValue::Mandatory(_) => {}
                        _ => rec.unknown_keys.push(key_name(k)),
                    }
                }
                Some(rec)
            }
            _ => None,
        })
        .collect()
}

fn key_name(k: &SvcParamKey) -> String {
    format!("key{}", u16::from(*k))
}

async fn tlsa_records(
    server: SocketAddr,
    name: &Name,
    ask_: &Ask,
    check: &Check<'_>,
) -> RecordSet<TlsaRecord> {
    let (reply, (dnssec, _)) = tokio::join!(
        ask(server, name, RecordType::TLSA, ask_),
        check.state(name, RecordType::TLSA),
    );
    let records = tlsa_of(&reply);
    RecordSet {
        name: fqdn(name),
        status: settle(&reply, !records.is_empty()),
        records,
        dnssec,
    }
}

/// The TLSA records of a reply (RFC 6698).
pub(crate) fn tlsa_of(reply: &Reply) -> Vec<TlsaRecord> {
    answers_of(reply, RecordType::TLSA)
        .into_iter()
        .filter_map(|r| match &r.data {
            RData::TLSA(t) => Some(TlsaRecord {
                usage: u8::from(t.cert_usage),
                selector: u8::from(t.selector),
                matching_type: u8::from(t.matching),
                data_hex: t.cert_data.iter().map(|b| format!("{b:02x}")).collect(),
                ttl_s: r.ttl,
            }),
            _ => None,
        })
        .collect()
}

async fn algorithms(
    server: SocketAddr,
    apex: &Name,
    rtype: RecordType,
    ask_: &Ask,
    check: &Check<'_>,
) -> RecordSet<DnssecAlgorithm> {
    let (reply, (dnssec, _)) =
        tokio::join!(ask(server, apex, rtype, ask_), check.state(apex, rtype),);
    let records = algorithms_of(&reply, rtype);
    RecordSet {
        name: fqdn(apex),
        status: settle(&reply, !records.is_empty()),
        records,
        dnssec,
    }
}

/// The algorithms of the DS or DNSKEY records (`rtype`) of a reply.
pub(crate) fn algorithms_of(reply: &Reply, rtype: RecordType) -> Vec<DnssecAlgorithm> {
    answers_of(reply, rtype)
        .into_iter()
        .filter_map(|r| match &r.data {
            RData::DNSSEC(DNSSECRData::DS(ds)) => Some(DnssecAlgorithm {
                number: u8::from(ds.algorithm()),
                name: ds.algorithm().as_str().to_owned(),
                detail: u16::from(u8::from(ds.digest_type())),
                key_tag: ds.key_tag(),
            }),
            RData::DNSSEC(DNSSECRData::DNSKEY(k)) => {
                let alg = k.public_key().algorithm();
                Some(DnssecAlgorithm {
                    number: u8::from(alg),
                    name: alg.as_str().to_owned(),
                    detail: u16::from(k.secure_entry_point()),
                    key_tag: k.calculate_key_tag().unwrap_or(0),
                })
            }
            _ => None,
        })
        .collect()
}

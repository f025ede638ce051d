//! Everything kensa reads from one DNS reply, as one pure function over its wire bytes: the
//! entry point of the `dns_message` fuzz target (`fuzz/fuzz_targets/dns_message.rs`) and of
//! its corpus replay test (`probes/dns/tests/fuzz_corpus.rs`).

use std::net::{Ipv4Addr, SocketAddr};

use hickory_resolver::proto::rr::{Name, RecordType};

use crate::observe::{AddressLookup, CaaRecord, DnssecAlgorithm, HttpsRecord, Soa, TlsaRecord};
use crate::probe::{
    Round, address_round, algorithms_of, apex_step, caa_records, https_of, ns_names, scope_of,
    tlsa_of,
};
use crate::wire::{Datagram, Reply, Status, read_tcp, read_udp};

/// What kensa reads from one reply when it is taken as the answer to each question the probe
/// asks (see [`interpret_reply`]). Every field is what the probe would record from it.
#[derive(Clone, Debug, Default)]
pub struct ReplyFacts {
    /// The reply was accepted over UDP (its id, question and QR bit matched); `false` when
    /// it was ignored, truncated (the probe would ask again over TCP), or unparsable.
    pub accepted: bool,
    /// The reply was truncated (TC bit).
    pub truncated: bool,
    /// The status of the reply as read over TCP (`malformed` when it does not parse).
    pub status: Option<Status>,
    /// The A lookup's result from this reply, when it ends the lookup.
    pub a: Option<AddressLookup>,
    /// The AAAA lookup's result from this reply, when it ends the lookup.
    pub aaaa: Option<AddressLookup>,
    /// The zone apex (as a string) and SOA, when the reply ends the apex search with one.
    pub apex: Option<(String, Option<Soa>)>,
    /// The name servers of the NS answer.
    pub name_servers: Vec<String>,
    /// The CAA records.
    pub caa: Vec<CaaRecord>,
    /// The HTTPS records.
    pub https: Vec<HttpsRecord>,
    /// The TLSA records.
    pub tlsa: Vec<TlsaRecord>,
    /// The DS algorithms.
    pub ds: Vec<DnssecAlgorithm>,
    /// The DNSKEY algorithms.
    pub dnskey: Vec<DnssecAlgorithm>,
    /// The scope prefix of an EDNS Client Subnet option (RFC 7871).
    pub ecs_scope: Option<u8>,
}

/// Interpret `bytes` (one DNS message as received) the way the probe does: parse it with
/// hickory-proto, read it as a UDP datagram and as a TCP body for the question it carries
/// (its own id, first question name and type, so that it matches), then run every reading
/// the probe applies to a reply: the CNAME walk and address records (as an A and as an
/// AAAA answer), the zone-apex step (SOA in the answer or authority), NS names, CAA (with
/// the issuer value parsed), HTTPS/SVCB parameters, TLSA, DS and DNSKEY algorithms (with the
/// key tag computed) and the EDNS Client Subnet scope.
///
/// Never panics, whatever the bytes; fuzzed by the `dns_message` target.
pub fn interpret_reply(bytes: &[u8]) -> ReplyFacts {
    let server = SocketAddr::from((Ipv4Addr::LOCALHOST, 53));
    let id = match bytes {
        [a, b, ..] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    };
    let mut facts = ReplyFacts::default();
    // The question the reply claims to answer; a reply without one is read for the root.
    let (name, rtype) = hickory_resolver::proto::op::Message::from_vec(bytes)
        .ok()
        .and_then(|m| m.queries.first().map(|q| (q.name.clone(), q.query_type)))
        .unwrap_or((Name::root(), RecordType::A));
    let udp = read_udp(bytes, id, &name, rtype, server);
    facts.truncated = matches!(udp, Datagram::Truncated);
    facts.accepted = matches!(udp, Datagram::Reply(_));
    let tcp = read_tcp(bytes, id, &name, rtype, server);
    facts.status = Some(tcp.status.clone());
    let reply = match udp {
        Datagram::Reply(r) => r,
        Datagram::Ignore | Datagram::Truncated => tcp,
    };
    for (t, slot) in [
        (RecordType::A, &mut facts.a),
        (RecordType::AAAA, &mut facts.aaaa),
    ] {
        let mut current = name.clone();
        let mut chain = Vec::new();
        if let Round::Done(l) = address_round(copy(&reply), &name, t, &mut current, &mut chain) {
            *slot = Some(l);
        }
    }
    if let Some(Ok((apex, soa))) = apex_step(&reply, &name) {
        facts.apex = Some((apex.to_ascii(), soa));
    }
    facts.name_servers = ns_names(&reply).1.iter().map(|n| n.to_ascii()).collect();
    facts.caa = caa_records(&reply);
    facts.https = https_of(&reply);
    facts.tlsa = tlsa_of(&reply);
    facts.ds = algorithms_of(&reply, RecordType::DS);
    facts.dnskey = algorithms_of(&reply, RecordType::DNSKEY);
    facts.ecs_scope = scope_of(&reply);
    facts
}

fn copy(r: &Reply) -> Reply {
    Reply {
        message: r.message.clone(),
        status: r.status.clone(),
        error: r.error.clone(),
        rtt_us: r.rtt_us,
    }
}

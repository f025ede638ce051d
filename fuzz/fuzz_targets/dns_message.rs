//! Fuzz kensa's reading of a DNS reply: hickory-proto's decoder, then everything the
//! `dns.resolve` probe reads from a reply (CNAME walk, addresses, apex/SOA, NS, CAA,
//! HTTPS/SVCB, TLSA, DS/DNSKEY, EDNS Client Subnet scope), through
//! `kensa_probe_dns::interpret_reply`.
//! Any panic is a bug. The replay test is `probes/dns/tests/fuzz_corpus.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = kensa_probe_dns::interpret_reply(data);
});

//! # kensa-lab: loopback servers for tests and the demo
//!
//! Everything here listens on 127.0.0.1 only. [`dns::DnsLab`] serves fixture zones
//! (written in zone-file syntax) from an in-process hickory-server, optionally DNSSEC-signed
//! with a key generated at start-up, and gives the DNSKEY trust-anchor text for a validating
//! resolver. Nothing in kensa's product path uses this crate except `kensa demo`.

#![forbid(unsafe_code)]

pub mod dns;

//! # kensa-lab: loopback servers for tests and the demo
//!
//! Everything here listens on loopback addresses only. [`dns::DnsLab`] serves fixture zones
//! (written in zone-file syntax) from an in-process hickory-server, optionally DNSSEC-signed
//! with a key generated at start-up, and gives the DNSKEY trust-anchor text for a validating
//! resolver. [`tls::serve`] starts a rustls server with a chosen posture (versions, suites,
//! groups incl. the post-quantum hybrid of [`pq`], headers, OCSP staple) for a certificate of
//! the throw-away [`pki`]. [`geo`] writes geolocation databases for lab addresses. Nothing in
//! kensa's product path uses this crate except `kensa demo`.

#![forbid(unsafe_code)]

pub mod dns;
pub mod geo;
pub mod pki;
pub mod pq;
pub mod tls;

//! # kensa-probe-tls: the TLS probe's wire codec
//!
//! rustls cannot offer SSL 3.0, TLS 1.0/1.1, CBC, RSA key exchange, 3DES, RC4, NULL or export
//! suites, and those are what a compliance probe must detect. So kensa enumerates with its own
//! codec: it writes ClientHello messages byte by byte and parses only what the server sends
//! back. No cryptography, and no network IO in this crate's library code.
//!
//! ```text
//!   hello::ClientHello ──encode()──▶ bytes ──▶ (caller's socket) ──▶ server
//!                                                                     │
//!   server::ServerFlight ◀── server::FlightReader::push(bytes) ◀──────┘
//!        │ (ServerHello / HRR, Certificate, ServerKeyExchange, CertificateStatus, Alert)
//!        ▼
//!   suites::suite_info(cipher_suite) ─▶ kx, auth, cipher, bits, mode, MAC, AEAD, FS, export
//! ```
//!
//! - [`codec`]: the bounded [`codec::Reader`] and the open newtypes for wire values
//!   ([`codec::CipherSuite`], [`codec::NamedGroup`], ...), serialized as their IANA name or hex.
//! - [`suites`]: registry facts: every cipher suite (from `data/cipher-suites.tsv`), the SSL 2.0
//!   cipher kinds, the supported groups.
//! - [`hello`]: ClientHello builders (SSL 3.0 .. TLS 1.3, and the SSL 2.0 CLIENT-HELLO).
//! - [`server`]: the record deframer and the parsers for the server's first flight.
//!
//! ```
//! use kensa_probe_tls::codec::{CipherSuite, ProtocolVersion};
//! use kensa_probe_tls::hello::{ClientHello, Rng};
//! use kensa_probe_tls::suites::suite_info;
//!
//! let mut rng = Rng::from_seed(1);
//! let hello = ClientHello::legacy(
//!     ProtocolVersion::TLS1_0,
//!     vec![CipherSuite::TLS_RSA_WITH_3DES_EDE_CBC_SHA],
//!     Some("example.test"),
//!     &mut rng,
//! );
//! let bytes = hello.encode().unwrap();
//! assert_eq!(bytes[0], 22); // a handshake record
//! assert_eq!(suite_info(CipherSuite(0x000a)).unwrap().openssl_name, Some("DES-CBC3-SHA"));
//! ```
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

pub mod client_auth;
pub mod codec;
pub mod dh_check;
pub mod dh_groups;
pub mod hello;
pub mod jarm;
pub mod modern;
pub mod probe;
pub mod reneg;
pub mod robot;
pub mod server;
pub mod suites;
#[rustfmt::skip]
mod suites_table;

//! # kensa-probe: the contract between kensa's harness and its probes
//!
//! Every probe crate (`kensa-probe-latency`, later `-tls`, `-x509`, `-dns`, `-geo`, `-http`)
//! depends on this crate and on nothing of the harness. It defines:
//!
//! - [`Target`]: what to probe (a host, a port, an optional SNI name, the addresses to use);
//! - [`Outcome`]: the closed vocabulary of how a probe attempt ended, and [`Fault`], whose fault
//!   a failure was (peer, network, user, bug);
//! - [`Net`]: **the dial seam**, the only way a probe may open a connection. It enforces the
//!   scope (only the target's own host and addresses), refuses private and metadata addresses
//!   unless allowed, and holds the global and per-host concurrency permits for as long as the
//!   connection lives;
//! - [`Clock`]: wall-clock and monotonic time, so that timing and validity checks are testable.
//!
//! This crate does no DNS resolution: the harness resolves once per target and hands the
//! addresses to probes inside [`Target`]. It does not judge anything either: probes observe,
//! the harness's controls judge.
//!
//! ```
//! use kensa_probe::{Host, Target, TargetId};
//! let t = Target::new(TargetId::new("acme/api.acme.test:443"), Host::parse("api.acme.test").unwrap(), 443);
//! assert_eq!(t.port, 443);
//! ```

#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod addr;
mod chain;
mod clock;
mod net;
mod outcome;
mod target;
pub mod testing;

pub use addr::{AddressClass, DEFAULT_MAX_ADDRESSES, choose_addresses, classify, embedded_ipv4};
pub use chain::{ChainReader, SuppliedChain, SuppliedOversize};
pub use clock::{Clock, ManualClock, SystemClock};
pub use net::{
    BoxStream, Conn, ConnectFuture, Connector, DialError, Hold, Limits, Net, NetStats, PeerStream,
    Scope, TcpConnector,
};
pub use outcome::{Fault, Outcome, is_local_exhaustion};
pub use target::{Host, HostError, Target, TargetId};

//! How a probe attempt ended, and whose fault a failure was.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How one probe attempt ended. Serialised as the kebab-case string given per variant; these
/// strings are stable ids (never renamed, never reused once retired).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// `success`: the probe observed what it set out to observe.
    Success,
    /// `refused`: the peer refused the TCP connection (RST to our SYN).
    Refused,
    /// `timeout`: connecting, or waiting for the peer, took longer than the configured timeout.
    Timeout,
    /// `reset`: the peer reset or closed an established connection unexpectedly.
    Reset,
    /// `handshake-failure`: the peer completed TCP but refused the protocol handshake
    /// (e.g. a TLS alert).
    HandshakeFailure,
    /// `protocol-violation`: the peer sent something that breaks the protocol (malformed,
    /// truncated or oversized data).
    ProtocolViolation,
    /// `dns-failure`: the target's name could not be resolved (NXDOMAIN, SERVFAIL, no address).
    DnsFailure,
    /// `not-allowed`: the dial seam refused the connection (out of scope, or a private,
    /// loopback, link-local or metadata address without `--allow-private`).
    NotAllowed,
    /// `invalid-input`: the input given to the probe was unusable (the user's fault).
    InvalidInput,
    /// `internal`: a bug in kensa (a panic, a broken invariant). Please report it.
    Internal,
}

/// Whose fault a non-success outcome was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// Nobody's: the attempt succeeded.
    None,
    /// The peer (the probed server) misbehaved or refused.
    Peer,
    /// The network between us and the peer (timeouts, resets, DNS).
    Network,
    /// The user's input or configuration (scope, invalid target).
    User,
    /// kensa itself.
    Bug,
}

impl Outcome {
    /// Every outcome, in declaration order. Guarded by the stable-id test.
    pub const ALL: [Self; 10] = [
        Self::Success,
        Self::Refused,
        Self::Timeout,
        Self::Reset,
        Self::HandshakeFailure,
        Self::ProtocolViolation,
        Self::DnsFailure,
        Self::NotAllowed,
        Self::InvalidInput,
        Self::Internal,
    ];

    /// The stable string id of the outcome (as serialised).
    pub const fn id(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Refused => "refused",
            Self::Timeout => "timeout",
            Self::Reset => "reset",
            Self::HandshakeFailure => "handshake-failure",
            Self::ProtocolViolation => "protocol-violation",
            Self::DnsFailure => "dns-failure",
            Self::NotAllowed => "not-allowed",
            Self::InvalidInput => "invalid-input",
            Self::Internal => "internal",
        }
    }

    /// Whose fault this outcome is.
    pub const fn fault(self) -> Fault {
        match self {
            Self::Success => Fault::None,
            Self::Refused | Self::HandshakeFailure | Self::ProtocolViolation => Fault::Peer,
            Self::Timeout | Self::Reset | Self::DnsFailure => Fault::Network,
            Self::NotAllowed | Self::InvalidInput => Fault::User,
            Self::Internal => Fault::Bug,
        }
    }

    /// One line saying what the outcome means.
    pub const fn description(self) -> &'static str {
        match self {
            Self::Success => "the probe observed what it set out to observe",
            Self::Refused => "the peer refused the TCP connection",
            Self::Timeout => "the peer did not answer within the configured timeout",
            Self::Reset => "the peer reset or closed the connection unexpectedly",
            Self::HandshakeFailure => "the peer refused the protocol handshake",
            Self::ProtocolViolation => "the peer sent data that breaks the protocol",
            Self::DnsFailure => "the name could not be resolved",
            Self::NotAllowed => "the dial seam refused the address (scope or private address)",
            Self::InvalidInput => "the input given to the probe was unusable",
            Self::Internal => "a bug in kensa; please report it",
        }
    }

    /// Map an I/O error from a socket operation to an outcome.
    ///
    /// Running out of a local resource (file descriptors, socket buffers, memory) is kensa's
    /// own condition, not the peer's or the network's: it maps to `internal`, so that it never
    /// reads as "the server reset the connection" or "the suite was refused".
    pub fn from_io(err: &std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        if is_local_exhaustion(err) {
            return Self::Internal;
        }
        match err.kind() {
            K::ConnectionRefused => Self::Refused,
            K::TimedOut | K::WouldBlock => Self::Timeout,
            K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
                Self::Reset
            }
            K::InvalidData => Self::ProtocolViolation,
            K::InvalidInput | K::AddrNotAvailable => Self::InvalidInput,
            // Unreachable networks and hosts are the network's fault; report them as timeouts
            // would hide the cause, so they count as resets of the path.
            K::NetworkUnreachable | K::HostUnreachable | K::NetworkDown => Self::Timeout,
            _ => Self::Reset,
        }
    }
}

/// Whether `err` says this machine ran out of something (open files, socket buffers, memory)
/// rather than anything about the peer.
pub fn is_local_exhaustion(err: &std::io::Error) -> bool {
    if err.kind() == std::io::ErrorKind::OutOfMemory {
        return true;
    }
    #[cfg(unix)]
    {
        matches!(
            err.raw_os_error(),
            Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
        )
    }
    #[cfg(not(unix))]
    {
        false
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_serde() {
        for o in Outcome::ALL {
            let s = serde_json_like(o);
            assert_eq!(s, o.id());
        }
    }

    fn serde_json_like(o: Outcome) -> String {
        // serde's kebab-case renaming must agree with `id()`; round-trip through the
        // Deserialize impl using a tiny string deserializer.
        use serde::de::IntoDeserializer;
        let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            o.id().into_deserializer();
        let back = Outcome::deserialize(de).unwrap_or(Outcome::Internal);
        assert_eq!(back, o);
        o.id().to_owned()
    }

    #[test]
    fn io_errors_map_to_outcomes() {
        use std::io::{Error, ErrorKind};
        assert_eq!(
            Outcome::from_io(&Error::from(ErrorKind::ConnectionRefused)),
            Outcome::Refused
        );
        assert_eq!(
            Outcome::from_io(&Error::from(ErrorKind::TimedOut)),
            Outcome::Timeout
        );
        assert_eq!(
            Outcome::from_io(&Error::from(ErrorKind::ConnectionReset)),
            Outcome::Reset
        );
    }

    /// Issue 19: EMFILE ("too many open files") must never become network evidence.
    #[cfg(unix)]
    #[test]
    fn out_of_file_descriptors_is_internal_not_the_network() {
        use std::io::Error;
        for errno in [libc::EMFILE, libc::ENFILE, libc::ENOBUFS] {
            let e = Error::from_raw_os_error(errno);
            assert_eq!(Outcome::from_io(&e), Outcome::Internal, "{e}");
            assert_eq!(Outcome::from_io(&e).fault(), Fault::Bug);
        }
        assert_eq!(
            Outcome::from_io(&Error::from_raw_os_error(libc::ECONNREFUSED)),
            Outcome::Refused
        );
    }
}

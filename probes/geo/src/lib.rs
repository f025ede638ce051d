//! # kensa-probe-geo: residency evidence for provider endpoints
//!
//! Where is an address, and who can be compelled about it? Three layers of evidence, and a
//! verdict that names the evidence behind it:
//!
//! 1. [`ranges`]: the providers' own published ranges (AWS, Google Cloud, Azure, Oracle,
//!    RFC 8805 geofeeds), with each region's country from a cited, checked-in table;
//! 2. [`mmdb`]: any number of MaxMind-format geolocation databases (GeoIP2/GeoLite2 Country,
//!    City and ASN layouts, DB-IP, and the flat `country_code` builds of ip-location-db), with
//!    each database's type, build date and staleness; and [`asn`], the ASN table of
//!    `@ip-location-db/asn`;
//! 3. [`physics`]: the minimum RTT from vantages of known location bounds the distance to the
//!    peer, ruling countries out (never wrongly: distances to countries are lower bounds).
//!
//! [`verdict`] combines them per address (`in-country` verified / consistent / unverified,
//! `out-of-country`, `conflicting`, `unknown`), aggregates per endpoint and per provider
//! ("every serving address and every name server in the declared country"), and records the
//! jurisdiction exposure (networks, certificate issuer, DNS operator, CDN). [`geodb`]
//! installs the redistributable default databases from the npm registry, verified.
//!
//! This crate is a library of pure functions over files and measurements: it opens no socket
//! except the HTTPS download of [`geodb::update`], and never reads the clock (callers pass
//! `now`). Residency is evidence; controls judge it later.

#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

pub mod asn;
pub mod geodb;
pub mod mmdb;
pub mod observation;
pub mod physics;
pub mod prefix;
pub mod ranges;
pub mod verdict;

use std::sync::Arc;

use kensa_probe::Outcome;

pub use asn::{AsnAnswer, AsnTable};
pub use mmdb::{DbAnswer, DbInfo, DbLayout, GeoDb, STALE_AFTER_DAYS};
pub use physics::{Physics, PhysicsFinding, RttSample, Vantage};
pub use ranges::{CountryBasis, RangeEntry, RangeFileSummary, RangeFormat, RangeIndex};
pub use verdict::{
    AddressResidency, Classifier, EndpointResidency, Evidence, Jurisdiction, ProviderResidency,
    Status, Strength, Tri,
};

/// The stable id of the residency evidence this crate produces.
pub const PROBE_ID: &str = "geo.residency";
/// The version of the observation format and method.
pub const PROBE_VERSION: &str = "1";

/// Why a file, a measurement or a download gave no evidence.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error, shared so the error stays `Clone`.
        source: Arc<std::io::Error>,
    },
    /// A file is larger than the crate reads.
    #[error("{path}: larger than the {limit}-byte limit")]
    TooLarge {
        /// The file.
        path: String,
        /// The limit, bytes.
        limit: u64,
    },
    /// A file's content is malformed at a place.
    #[error("{file}: {location}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// `line N`, `line N column M`, or a JSON path such as `$.prefixes[3]`.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// A range file is none of the known formats.
    #[error("{file}: unknown range format: {message}")]
    UnknownFormat {
        /// The file.
        file: String,
        /// What was seen.
        message: String,
    },
    /// A `.mmdb` file cannot be read.
    #[error("{file}: not a readable MaxMind DB: {message}")]
    Mmdb {
        /// The file.
        file: String,
        /// The reader's error.
        message: String,
    },
    /// A `.mmdb` file's records have no country (`country_code`, `country.iso_code`,
    /// `registered_country.iso_code`) and no ASN (`autonomous_system_number`).
    #[error(
        "{file}: records have neither `country_code`, `country.iso_code`, \
         `registered_country.iso_code` nor `autonomous_system_number` \
         (database_type {database_type:?}): not a geolocation or ASN database this crate reads"
    )]
    UnknownLayout {
        /// The file.
        file: String,
        /// Its metadata `database_type`.
        database_type: String,
    },
    /// A `--vantage NAME@LAT,LON` value is invalid.
    #[error("vantage {input:?}: {message}")]
    Vantage {
        /// The value given.
        input: String,
        /// What is wrong.
        message: String,
    },
    /// The download failed.
    #[error("geodb update: {message}")]
    Download {
        /// What failed.
        message: String,
    },
    /// A registry or tarball URL that is not HTTPS (plain `http://` is accepted only to a
    /// loopback address, where tests run their registry).
    #[error(
        "geodb update: {url}: not HTTPS; only https:// URLs are fetched \
         (http:// only to a loopback address such as 127.0.0.1)"
    )]
    Insecure {
        /// The URL refused.
        url: String,
    },
    /// The download does not match the registry's integrity hash.
    #[error("geodb update: integrity check failed: {message}")]
    Integrity {
        /// What did not match.
        message: String,
    },
    /// The package tarball is malformed or unsafe.
    #[error("geodb update: bad package archive: {message}")]
    Archive {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// The outcome this error stands for.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::Io { source, .. } => Outcome::from_io(source),
            Self::TooLarge { .. }
            | Self::Parse { .. }
            | Self::UnknownFormat { .. }
            | Self::Mmdb { .. }
            | Self::UnknownLayout { .. }
            | Self::Vantage { .. } => Outcome::InvalidInput,
            Self::Insecure { .. } => Outcome::NotAllowed,
            Self::Download { .. } => Outcome::Refused,
            Self::Integrity { .. } | Self::Archive { .. } => Outcome::ProtocolViolation,
        }
    }
}

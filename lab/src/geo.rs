//! Geolocation databases for lab addresses, written with `mmdb-writer` in MaxMind's layouts
//! (GeoIP2-City for countries, GeoLite2-ASN for networks), so kensa reads them exactly as it
//! reads real ones.

use std::time::SystemTime;

use mmdb_writer::Writer;
use mmdb_writer::ipnet::IpNet;
use serde::Serialize;

/// Why a database could not be written.
#[derive(Debug, thiserror::Error)]
pub enum GeoLabError {
    /// A prefix did not parse.
    #[error("lab geo: bad prefix `{0}`")]
    Prefix(String),
    /// The writer refused a record.
    #[error("lab geo: {0}")]
    Write(String),
}

/// One network in the lab's databases.
#[derive(Clone, Debug)]
pub struct Network {
    /// The prefix, e.g. `127.0.1.0/24`.
    pub prefix: String,
    /// Where the database says it is (ISO 3166-1 alpha-2).
    pub country: String,
    /// The country the network is registered to.
    pub registered_country: String,
    /// City name.
    pub city: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Autonomous system number.
    pub asn: u32,
    /// The AS's organisation.
    pub org: String,
}

#[derive(Serialize)]
struct Names {
    en: String,
}
#[derive(Serialize)]
struct Iso {
    iso_code: String,
    names: Names,
}
#[derive(Serialize)]
struct City {
    names: Names,
}
#[derive(Serialize)]
struct Location {
    latitude: f64,
    longitude: f64,
}
#[derive(Serialize)]
struct CityRecord {
    city: City,
    country: Iso,
    registered_country: Iso,
    location: Location,
}
#[derive(Serialize)]
struct AsnRecord {
    autonomous_system_number: u32,
    autonomous_system_organization: String,
}

fn iso(c: &str) -> Iso {
    Iso {
        iso_code: c.to_owned(),
        names: Names { en: c.to_owned() },
    }
}

/// The two databases (GeoIP2-City layout, GeoLite2-ASN layout) for `networks`, built at
/// `built` (the build date kensa records and checks for staleness).
pub fn databases(
    networks: &[Network],
    built: SystemTime,
) -> Result<(Vec<u8>, Vec<u8>), GeoLabError> {
    let mut city = Writer::builder("GeoIP2-City").build_epoch(built).build();
    let mut asn = Writer::builder("GeoLite2-ASN").build_epoch(built).build();
    let w = |e: mmdb_writer::Error| GeoLabError::Write(e.to_string());
    for n in networks {
        let net: IpNet = n
            .prefix
            .parse()
            .map_err(|_| GeoLabError::Prefix(n.prefix.clone()))?;
        city.insert(
            net,
            &CityRecord {
                city: City {
                    names: Names { en: n.city.clone() },
                },
                country: iso(&n.country),
                registered_country: iso(&n.registered_country),
                location: Location {
                    latitude: n.lat,
                    longitude: n.lon,
                },
            },
        )
        .map_err(w)?;
        asn.insert(
            net,
            &AsnRecord {
                autonomous_system_number: n.asn,
                autonomous_system_organization: n.org.clone(),
            },
        )
        .map_err(w)?;
    }
    Ok((city.to_bytes().map_err(w)?, asn.to_bytes().map_err(w)?))
}

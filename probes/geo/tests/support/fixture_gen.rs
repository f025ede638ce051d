//! The fixture generator shared by `examples/make_fixtures.rs` (writes the files) and
//! `tests/fixtures.rs` (checks the committed files equal what this writes).

use std::time::{Duration, UNIX_EPOCH};

use mmdb_writer::Writer;
use mmdb_writer::ipnet::IpNet;
use serde::Serialize;

/// Build time written into every fixture: 2026-06-17T00:00:00Z.
pub const BUILD_EPOCH: u64 = 1_781_654_400;

/// (prefix, located country, registered country, ASN, organisation, city, lat, lon)
pub const ROWS: &[(&str, &str, &str, u32, &str, &str, f64, f64)] = &[
    (
        "127.0.0.0/8",
        "JP",
        "US",
        64500,
        "Loopback Example KK",
        "Tokyo",
        35.68,
        139.69,
    ),
    (
        "192.0.2.0/24",
        "GB",
        "GB",
        64501,
        "Test-Net-1 Example Ltd",
        "London",
        51.51,
        -0.13,
    ),
    (
        "198.51.100.0/24",
        "DE",
        "DE",
        64502,
        "Test-Net-2 Example GmbH",
        "Frankfurt",
        50.11,
        8.68,
    ),
    (
        "203.0.113.0/24",
        "US",
        "US",
        64503,
        "Test-Net-3 Example Inc",
        "Ashburn",
        39.04,
        -77.49,
    ),
    (
        "2001:db8::/32",
        "AU",
        "AU",
        64504,
        "Documentation Example Pty",
        "Sydney",
        -33.87,
        151.21,
    ),
];

/// The flat-country fixture disagrees with the GeoIP2 one here (FR instead of DE), so tests
/// can show databases that disagree.
pub const FLAT_OVERRIDE: (&str, &str) = ("198.51.100.0/24", "FR");

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
struct Geoip2Country {
    country: Iso,
    registered_country: Iso,
}
#[derive(Serialize)]
struct Location {
    latitude: f64,
    longitude: f64,
}
#[derive(Serialize)]
struct City {
    names: Names,
}
#[derive(Serialize)]
struct Geoip2City {
    city: City,
    country: Iso,
    registered_country: Iso,
    location: Location,
}
#[derive(Serialize)]
struct FlatCountry {
    country_code: String,
}
#[derive(Serialize)]
struct FlatCity {
    country_code: String,
    city: String,
    latitude: f64,
    longitude: f64,
}
#[derive(Serialize)]
struct Asn {
    autonomous_system_number: u32,
    autonomous_system_organization: String,
}
#[derive(Serialize)]
struct Other {
    colour: String,
}

fn iso(c: &str) -> Iso {
    Iso {
        iso_code: c.to_owned(),
        names: Names { en: c.to_owned() },
    }
}

fn writer(db_type: &str) -> Writer {
    Writer::builder(db_type)
        .build_epoch(UNIX_EPOCH + Duration::from_secs(BUILD_EPOCH))
        .build()
}

/// Every fixture: (file name under `fixtures/geo/`, bytes).
pub fn mmdb_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let mut g2c = writer("GeoIP2-Country");
    let mut g2city = writer("GeoIP2-City");
    let mut flat = writer("country ipvAll");
    let mut flatcity = writer("city ipvAll");
    let mut asn = writer("GeoLite2-ASN");
    let mut other = writer("Example-Colours");
    for &(p, cc, reg, as_n, org, city, lat, lon) in ROWS {
        let net: IpNet = p.parse().unwrap();
        g2c.insert(
            net,
            &Geoip2Country {
                country: iso(cc),
                registered_country: iso(reg),
            },
        )
        .unwrap();
        g2city
            .insert(
                net,
                &Geoip2City {
                    city: City {
                        names: Names {
                            en: city.to_owned(),
                        },
                    },
                    country: iso(cc),
                    registered_country: iso(reg),
                    location: Location {
                        latitude: lat,
                        longitude: lon,
                    },
                },
            )
            .unwrap();
        let flat_cc = if p == FLAT_OVERRIDE.0 {
            FLAT_OVERRIDE.1
        } else {
            cc
        };
        flat.insert(
            net,
            &FlatCountry {
                country_code: flat_cc.to_owned(),
            },
        )
        .unwrap();
        flatcity
            .insert(
                net,
                &FlatCity {
                    country_code: cc.to_owned(),
                    city: city.to_owned(),
                    latitude: lat,
                    longitude: lon,
                },
            )
            .unwrap();
        asn.insert(
            net,
            &Asn {
                autonomous_system_number: as_n,
                autonomous_system_organization: org.to_owned(),
            },
        )
        .unwrap();
        other
            .insert(
                net,
                &Other {
                    colour: "blue".into(),
                },
            )
            .unwrap();
    }
    vec![
        ("geoip2-country.mmdb", g2c.to_bytes().unwrap()),
        ("geoip2-city.mmdb", g2city.to_bytes().unwrap()),
        ("flat-country.mmdb", flat.to_bytes().unwrap()),
        ("flat-city.mmdb", flatcity.to_bytes().unwrap()),
        ("asn.mmdb", asn.to_bytes().unwrap()),
        ("unknown-layout.mmdb", other.to_bytes().unwrap()),
    ]
}

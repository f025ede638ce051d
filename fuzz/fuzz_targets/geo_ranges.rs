//! Fuzz the residency inputs read from files and downloads: provider range files (AWS,
//! Google Cloud, Azure, Oracle JSON, RFC 8805 geofeed CSV; format detected) with lookups,
//! the ASN CSV table with lookups, `.mmdb` databases (maxminddb's reader over arbitrary
//! bytes, then kensa's layout detection, metadata and lookups) and the npm tarball unpacker.
//! Any panic is a bug. The replay test is `probes/geo/tests/fuzz_corpus.rs`.
#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, SystemTime};

use kensa_probe_geo::{AsnTable, GeoDb, RangeIndex, geodb};

/// Fixed addresses, plus two taken from the input's first bytes.
fn addresses(data: &[u8]) -> Vec<IpAddr> {
    let mut v4 = [0u8; 4];
    let mut v6 = [0u8; 16];
    for (d, s) in v4.iter_mut().zip(data) {
        *d = *s;
    }
    for (d, s) in v6.iter_mut().zip(data) {
        *d = *s;
    }
    vec![
        IpAddr::V4(Ipv4Addr::new(3, 5, 140, 1)),
        IpAddr::V4(Ipv4Addr::new(81, 2, 69, 160)),
        IpAddr::V6(Ipv6Addr::new(0x2a05, 0xd018, 0, 0, 0, 0, 0, 1)),
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        IpAddr::V4(Ipv4Addr::from(v4)),
        IpAddr::V6(Ipv6Addr::from(v6)),
    ]
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let ips = addresses(data);
    let mut ranges = RangeIndex::new();
    if ranges.load_bytes("fuzz.json", data, Some("fuzz")).is_ok() {
        for ip in &ips {
            let _ = ranges.lookup(*ip);
        }
    }
    let mut asn = AsnTable::new();
    if asn.load_bytes("fuzz.csv", data).is_ok() {
        for ip in &ips {
            let _ = asn.lookup(*ip);
        }
    }
    if let Ok(db) = GeoDb::from_bytes("fuzz.mmdb", data.to_vec()) {
        let _ = db.info(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_272_000));
        for ip in &ips {
            let _ = db.lookup(*ip);
        }
    }
    let _ = geodb::unpack(data, &["geo-whois-asn-country.mmdb", "asn-ipv4.csv"]);
});

//! Replays the corpus of `fuzz/fuzz_targets/geo_ranges.rs` (kept under
//! `fixtures/fuzz/geo_ranges/`: the range and `.mmdb` fixtures of `fixtures/geo/`, an ASN CSV
//! and a package tarball, then what the fuzzer kept, minimised) through the same calls, so
//! every input stays a no-panic regression test.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, SystemTime};

use kensa_probe_geo::{AsnTable, GeoDb, RangeIndex, geodb};

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

/// The fuzz target's body (`fuzz/fuzz_targets/geo_ranges.rs`).
fn fuzz_one(data: &[u8]) {
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
}

#[test]
fn replay_geo_ranges_corpus() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/fuzz/geo_ranges"
    );
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        fuzz_one(&std::fs::read(entry.unwrap().path()).unwrap());
        n += 1;
    }
    assert!(n >= 10, "the corpus has only {n} inputs");
}

/// Found by the `geo_ranges` fuzzer (kept as `fixtures/fuzz/geo_ranges/mmdb-deep-nesting`): a
/// corrupt `.mmdb` whose record is a chain of pointers, which maxminddb follows recursively up
/// to its limit of 512 levels. In a debug build that overflowed the 2 MiB stack of a test
/// thread (a tokio worker has the same) and aborted the process. Decoding now runs with stack
/// headroom (`stacker`), so the file is refused with maxminddb's depth error, naming it.
#[test]
fn mmdb_deep_nesting_is_an_error_not_a_stack_overflow() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/fuzz/geo_ranges"
    );
    let data = std::fs::read(format!("{dir}/mmdb-deep-nesting")).unwrap();
    // On a thread with a small stack, as the probe's tokio workers have.
    let res = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || match GeoDb::from_bytes("deep.mmdb", data) {
            Err(e) => Some(e.to_string()),
            Ok(db) => addresses(&[])
                .into_iter()
                .find_map(|ip| db.lookup(ip).err().map(|e| e.to_string())),
        })
        .unwrap()
        .join()
        .unwrap();
    let message = res.expect("the corrupt database is refused");
    assert!(message.contains("deep.mmdb"), "{message}");
    assert!(message.contains("depth"), "{message}");
}

//! The committed fixtures: `.mmdb` files in every layout, range files in every format, and the
//! verdicts they give.

mod support;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kensa_probe_geo::physics::RttSample;
use kensa_probe_geo::verdict::{
    Issuer, NameServerResidency, cdn_from_asn, endpoint_residency, provider_residency,
};
use kensa_probe_geo::{
    AsnTable, Classifier, DbLayout, Error, GeoDb, RangeFormat, RangeIndex, Status, Strength, Tri,
    Vantage,
};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/geo")
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn built() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(support::fixture_gen::BUILD_EPOCH)
}

#[test]
fn committed_mmdb_fixtures_match_the_generator() {
    for (name, bytes) in support::fixture_gen::mmdb_fixtures() {
        let committed = std::fs::read(dir().join(name)).unwrap();
        assert!(
            committed == bytes,
            "fixtures/geo/{name} differs from the generator: run \
             `cargo run -p kensa-probe-geo --example make_fixtures`"
        );
    }
}

#[test]
fn layouts_are_detected_and_both_country_shapes_read() {
    let cases = [
        ("geoip2-country.mmdb", DbLayout::Geoip2Country),
        ("geoip2-city.mmdb", DbLayout::Geoip2City),
        ("flat-country.mmdb", DbLayout::FlatCountry),
        ("flat-city.mmdb", DbLayout::FlatCity),
        ("asn.mmdb", DbLayout::Asn),
    ];
    for (name, layout) in cases {
        let db = GeoDb::open(&dir().join(name)).unwrap();
        assert_eq!(db.layout(), layout, "{name}");
        for (addr, cc) in [
            ("127.0.0.1", "JP"),
            ("127.255.1.2", "JP"),
            ("192.0.2.10", "GB"),
            ("203.0.113.5", "US"),
            ("2001:db8::1", "AU"),
            ("::ffff:203.0.113.5", "US"),
        ] {
            let a = db.lookup(ip(addr)).unwrap().unwrap();
            assert_eq!(a.database, name);
            if layout.has_country() {
                assert_eq!(a.country.as_deref(), Some(cc), "{name} {addr}");
            } else {
                assert!(a.country.is_none());
                assert!(a.asn.is_some());
            }
        }
        // Unmapped: no record.
        assert!(db.lookup(ip("8.8.8.8")).unwrap().is_none(), "{name}");
        assert!(db.lookup(ip("2001:4860::1")).unwrap().is_none(), "{name}");
    }
    let g = GeoDb::open(&dir().join("geoip2-country.mmdb")).unwrap();
    let a = g.lookup(ip("127.0.0.1")).unwrap().unwrap();
    assert_eq!(a.registered_country.as_deref(), Some("US"));
    assert_eq!(a.network.as_deref(), Some("127.0.0.0/8"));
    let c = GeoDb::open(&dir().join("geoip2-city.mmdb")).unwrap();
    let a = c.lookup(ip("198.51.100.7")).unwrap().unwrap();
    assert_eq!(
        (a.city.as_deref(), a.latitude, a.longitude),
        (Some("Frankfurt"), Some(50.11), Some(8.68))
    );
    let f = GeoDb::open(&dir().join("flat-city.mmdb")).unwrap();
    assert_eq!(
        f.lookup(ip("2001:db8::9"))
            .unwrap()
            .unwrap()
            .city
            .as_deref(),
        Some("Sydney")
    );
    let asn = GeoDb::open(&dir().join("asn.mmdb")).unwrap();
    let a = asn.lookup(ip("192.0.2.1")).unwrap().unwrap();
    assert_eq!(
        (a.asn, a.as_org.as_deref()),
        (Some(64501), Some("Test-Net-1 Example Ltd"))
    );
    // The flat fixture disagrees on purpose for 198.51.100.0/24.
    let flat = GeoDb::open(&dir().join("flat-country.mmdb")).unwrap();
    assert_eq!(
        flat.lookup(ip("198.51.100.1"))
            .unwrap()
            .unwrap()
            .country
            .as_deref(),
        Some("FR")
    );
}

#[test]
fn unknown_layout_fails_loudly_naming_the_file() {
    let e = GeoDb::open(&dir().join("unknown-layout.mmdb")).unwrap_err();
    assert!(matches!(e, Error::UnknownLayout { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("unknown-layout.mmdb") && msg.contains("Example-Colours"),
        "{msg}"
    );
    let e = GeoDb::from_bytes("garbage.mmdb", b"not a database".to_vec()).unwrap_err();
    assert!(matches!(e, Error::Mmdb { .. }) && e.to_string().contains("garbage.mmdb"));
    let e = GeoDb::open(&dir().join("missing.mmdb")).unwrap_err();
    assert!(e.to_string().contains("missing.mmdb"));
}

#[test]
fn build_date_and_staleness() {
    let db = GeoDb::open(&dir().join("flat-country.mmdb")).unwrap();
    let fresh = db.info(built() + Duration::from_secs(30 * 86_400));
    assert_eq!(fresh.build_date, "2026-06-17T00:00:00Z");
    assert_eq!(fresh.database_type, "country ipvAll");
    assert_eq!((fresh.age_days, fresh.stale), (30, false));
    let old = db.info(built() + Duration::from_secs(91 * 86_400));
    assert_eq!((old.age_days, old.stale), (91, true));
    assert!(!db.info(built() - Duration::from_secs(86_400)).stale);
}

fn ranges() -> RangeIndex {
    let mut idx = RangeIndex::new();
    for (f, fmt, n) in [
        ("aws-ip-ranges.json", RangeFormat::Aws, 5),
        ("gcp-cloud.json", RangeFormat::Gcp, 2),
        ("azure-servicetags.json", RangeFormat::Azure, 3),
        ("oracle-public_ip_ranges.json", RangeFormat::Oracle, 1),
        ("geofeed.csv", RangeFormat::Geofeed, 3),
    ] {
        let s = idx.load_file(&dir().join("ranges").join(f), None).unwrap();
        assert_eq!((s.format, s.ranges), (fmt, n), "{f}");
    }
    idx
}

#[test]
fn range_formats() {
    let idx = ranges();
    assert_eq!(idx.len(), 14);
    let m = idx.lookup(ip("127.0.0.1"));
    assert_eq!(m.len(), 1);
    let r = m[0];
    assert_eq!(
        (
            r.provider.as_str(),
            r.service.as_deref(),
            r.region.as_deref(),
            r.country.as_deref()
        ),
        ("aws", Some("AMAZON"), Some("ap-northeast-1"), Some("JP"))
    );
    assert_eq!(r.location, "$.prefixes[0]");
    let r = idx.lookup(ip("2001:db8:1::5"))[0];
    assert_eq!(
        (r.region.as_deref(), r.country.as_deref()),
        (Some("ap-northeast-3"), Some("JP"))
    );
    let r = idx.lookup(ip("192.0.2.1"))[0];
    assert_eq!(
        (r.provider.as_str(), r.country.as_deref()),
        ("gcp", Some("JP"))
    );
    let r = idx.lookup(ip("192.0.2.130"))[0];
    assert_eq!(
        (
            r.provider.as_str(),
            r.region.as_deref(),
            r.country.as_deref()
        ),
        ("azure", Some("uksouth"), Some("GB"))
    );
    // A tag without a region: recorded, country unknown.
    let r = idx.lookup(ip("192.0.2.200"))[0];
    assert_eq!(
        (
            r.service.as_deref(),
            r.region.as_deref(),
            r.country.as_deref()
        ),
        (Some("AzureFrontDoor"), None::<&str>, None)
    );
    // Longest match: Oracle's /25 inside AWS's /24.
    let r = idx.lookup(ip("203.0.113.200"))[0];
    assert_eq!(
        (
            r.provider.as_str(),
            r.region.as_deref(),
            r.country.as_deref()
        ),
        ("oci", Some("ap-tokyo-1"), Some("JP"))
    );
    assert_eq!(
        idx.lookup(ip("203.0.113.1"))[0].country.as_deref(),
        Some("US")
    );
    // AWS GLOBAL is not a place.
    let r = idx.lookup(ip("198.51.100.1"))[0];
    assert_eq!(
        (r.region.as_deref(), r.country.as_deref()),
        (Some("global"), None)
    );
    let r = idx.lookup(ip("2001:db8:4::1"))[0];
    assert_eq!(
        (
            r.provider.as_str(),
            r.country.as_deref(),
            r.city.as_deref(),
            r.location.as_str()
        ),
        ("geofeed", Some("AU"), Some("Sydney"), "line 3")
    );
    assert!(idx.lookup(ip("2001:db8:5::1"))[0].country.is_none());
    assert!(idx.lookup(ip("10.0.0.1")).is_empty());
}

#[test]
fn range_errors_name_file_and_place() {
    let mut idx = RangeIndex::new();
    let e = idx
        .load_file(&dir().join("ranges/not-ranges.json"), None)
        .unwrap_err();
    assert!(
        matches!(e, Error::UnknownFormat { .. }) && e.to_string().contains("not-ranges.json"),
        "{e}"
    );
    let e = idx
        .load_file(&dir().join("ranges/bad-prefix.json"), None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "bad-prefix.json: $.prefixes[1]: not an IP prefix: \"203.0.113.0/40\""
    );
    let e = idx
        .load_bytes("feed.csv", b"192.0.2.0/24,JP,,,\nnope,JP\n", None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "feed.csv: line 2: not an IP prefix: \"nope\""
    );
    let e = idx
        .load_bytes("feed.csv", b"192.0.2.0/24,JPN,,,\n", None)
        .unwrap_err();
    assert!(e.to_string().contains("line 1"));
    let e = idx
        .load_bytes("x.json", b"{\"prefixes\": [", None)
        .unwrap_err();
    assert!(e.to_string().starts_with("x.json: line 1 column"), "{e}");
    let e = idx.load_bytes("x.txt", b"hello world\n", None).unwrap_err();
    assert!(matches!(e, Error::UnknownFormat { .. }));
}

fn classifier(with_ranges: bool) -> Classifier {
    let mut asn = AsnTable::new();
    asn.load_bytes(
        "asn-ipv4.csv",
        b"127.0.0.0,127.255.255.255,64500,\"Loopback, KK\"\n",
    )
    .unwrap();
    Classifier {
        ranges: if with_ranges {
            ranges()
        } else {
            RangeIndex::new()
        },
        databases: vec![
            GeoDb::open(&dir().join("geoip2-country.mmdb")).unwrap(),
            GeoDb::open(&dir().join("flat-country.mmdb")).unwrap(),
            GeoDb::open(&dir().join("asn.mmdb")).unwrap(),
        ],
        asn: Some(asn),
        physics: Default::default(),
        // The fixtures use documentation and loopback prefixes.
        allow_special_purpose: true,
    }
}

#[test]
fn special_purpose_addresses_are_unknown_by_default() {
    let mut c = classifier(true);
    c.allow_special_purpose = false;
    let r = c.classify(ip("2001:db8::1"), "JP", &[], built()).unwrap();
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::Unknown, "special-purpose")
    );
    assert_eq!(
        r.evidence.special_purpose.as_deref(),
        Some("2001:db8::/32 documentation (RFC 3849)")
    );
    // The databases' answers are still recorded.
    assert_eq!(
        r.evidence.databases[0]
            .answer
            .as_ref()
            .unwrap()
            .country
            .as_deref(),
        Some("AU")
    );
}

fn tokyo(ms: f64) -> Vec<RttSample> {
    vec![RttSample {
        vantage: Vantage::parse("tokyo@35.68,139.69").unwrap(),
        rtt_min_ms: ms,
    }]
}

#[test]
fn verdicts() {
    let c = classifier(true);
    let now = built();
    let v = |a: &str, d: &str, rtt: &[RttSample]| c.classify(ip(a), d, rtt, now).unwrap();

    let r = v("127.0.0.1", "jp", &[]);
    assert_eq!(
        (r.status, r.strength, r.rule.as_str()),
        (
            Status::InCountry,
            Some(Strength::Verified),
            "range-db-agree"
        )
    );
    assert_eq!(
        r.supporting,
        [
            "range:aws-ip-ranges.json#$.prefixes[0]",
            "db:geoip2-country.mmdb",
            "db:flat-country.mmdb"
        ]
    );
    assert_eq!(r.declared_country, "JP");
    assert_eq!(r.evidence.asn.as_ref().unwrap().org, "Loopback, KK");

    // Range JP, databases GB: the provider's range is preferred, but only unverified.
    let r = v("192.0.2.1", "JP", &[]);
    assert_eq!(
        (r.status, r.strength, r.rule.as_str()),
        (
            Status::InCountry,
            Some(Strength::Unverified),
            "range-preferred-over-db"
        )
    );
    assert_eq!(
        r.disagreeing,
        ["db:geoip2-country.mmdb", "db:flat-country.mmdb"]
    );
    assert_eq!(r.other_countries, ["GB"]);
    // ... and never in-country for the databases' country.
    let r = v("192.0.2.1", "GB", &[]);
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::OutOfCountry, "range-elsewhere")
    );
    assert_eq!(
        r.disagreeing,
        ["db:geoip2-country.mmdb", "db:flat-country.mmdb"]
    );
    // Range JP (Oracle /25) vs databases US.
    let r = v("203.0.113.200", "JP", &[]);
    assert_eq!(
        (r.status, r.strength),
        (Status::InCountry, Some(Strength::Unverified))
    );
    let r = v("203.0.113.1", "JP", &[]);
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::OutOfCountry, "range-elsewhere")
    );
    // Range DE; one database DE, one FR.
    let r = v("198.51.100.200", "DE", &[]);
    assert_eq!(
        (r.status, r.strength, r.rule.as_str()),
        (
            Status::InCountry,
            Some(Strength::Consistent),
            "range-db-partly-agree"
        )
    );
    assert_eq!(r.disagreeing, ["db:flat-country.mmdb"]);
    // Longest match is AWS GLOBAL (no country): the databases decide, and they disagree.
    let r = v("198.51.100.1", "DE", &[]);
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::Conflicting, "dbs-disagree")
    );
    assert_eq!(
        r.disagreeing,
        ["db:geoip2-country.mmdb", "db:flat-country.mmdb"]
    );
    // Physics overrides: 2 ms from Tokyo cannot be in Germany.
    let r = v("198.51.100.200", "DE", &tokyo(2.0));
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::OutOfCountry, "physics-rules-out")
    );
    assert!(
        r.disagreeing
            .contains(&"range:aws-ip-ranges.json#$.prefixes[3]".to_owned())
    );
    // Range says US, physics confirms JP: conflicting.
    let r = v("203.0.113.1", "JP", &tokyo(2.0));
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::Conflicting, "range-vs-physics")
    );
    // Nothing known.
    let r = v("10.1.2.3", "JP", &[]);
    assert_eq!(
        (r.status, r.strength, r.rule.as_str()),
        (Status::Unknown, None, "no-evidence")
    );
    let r = v("10.1.2.3", "JP", &tokyo(2.0));
    assert_eq!(
        (r.status, r.strength, r.rule.as_str()),
        (
            Status::InCountry,
            Some(Strength::Unverified),
            "physics-only"
        )
    );

    // Databases only.
    let c = classifier(false);
    let v = |a: &str, d: &str, rtt: &[RttSample]| c.classify(ip(a), d, rtt, now).unwrap();
    let r = v("127.0.0.1", "JP", &[]);
    assert_eq!(
        (r.strength, r.rule.as_str()),
        (Some(Strength::Unverified), "db-only")
    );
    // Tokyo 2 ms: physics confirms JP.
    let r = v("127.0.0.1", "JP", &tokyo(2.0));
    assert_eq!(
        (r.strength, r.rule.as_str()),
        (Some(Strength::Consistent), "db-physics-agree")
    );
    let p = r.evidence.physics.as_ref().unwrap();
    assert!(p.declared_confirmed && p.ruled_out.contains(&"US".to_owned()));
    // Tokyo 120 ms: JP not ruled out, not confirmed: still unverified.
    let r = v("127.0.0.1", "JP", &tokyo(120.0));
    assert_eq!(
        (r.strength, r.rule.as_str()),
        (Some(Strength::Unverified), "db-only")
    );
    let p = r.evidence.physics.as_ref().unwrap();
    assert!(p.declared_possible && !p.declared_confirmed);
    // Declared US, 2 ms from Tokyo: ruled out.
    let r = v("127.0.0.1", "US", &tokyo(2.0));
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::OutOfCountry, "physics-rules-out")
    );
    // Databases say US, declared JP.
    let r = v("203.0.113.1", "JP", &[]);
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::OutOfCountry, "db-elsewhere")
    );
    let r = v("203.0.113.1", "JP", &tokyo(2.0));
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::Conflicting, "db-vs-physics")
    );
}

#[test]
fn vantages_merge() {
    let c = classifier(false);
    let fra = Vantage::parse("fra@50.11,8.68").unwrap();
    let mut rtt = tokyo(100.0);
    // One vantage alone allows JP; Frankfurt at 30 ms rules it out.
    assert_eq!(
        c.classify(ip("127.0.0.1"), "JP", &rtt, built())
            .unwrap()
            .status,
        Status::InCountry
    );
    rtt.push(RttSample {
        vantage: fra,
        rtt_min_ms: 30.0,
    });
    let r = c.classify(ip("127.0.0.1"), "JP", &rtt, built()).unwrap();
    assert_eq!(
        (r.status, r.rule.as_str()),
        (Status::OutOfCountry, "physics-rules-out")
    );
    assert_eq!(r.evidence.physics.unwrap().discs.len(), 2);
}

#[test]
fn endpoint_and_provider_aggregation() {
    let c = classifier(true);
    let now = built();
    let a = |s: &str| c.classify(ip(s), "JP", &[], now).unwrap();
    let good = endpoint_residency(
        "api.example.test",
        "JP",
        vec![a("127.0.0.1"), a("2001:db8:1::1")],
        vec![NameServerResidency {
            name: "ns1.example.test".into(),
            addresses: vec![a("2001:db8:3::1")],
        }],
    );
    assert_eq!(good.all_in_country, Tri::Yes);
    assert_eq!(good.weakest_strength, Some(Strength::Unverified));
    assert_eq!((good.counts.verified, good.counts.unverified), (1, 2));
    let bad = endpoint_residency(
        "www.example.test",
        "JP",
        vec![a("127.0.0.1")],
        vec![NameServerResidency {
            name: "ns2.example.test".into(),
            addresses: vec![a("203.0.113.1")],
        }],
    );
    assert_eq!(bad.all_in_country, Tri::No);
    let und = endpoint_residency("x.example.test", "JP", vec![a("10.0.0.1")], vec![]);
    assert_eq!(und.all_in_country, Tri::Undetermined);
    let empty_ns = endpoint_residency(
        "y.example.test",
        "JP",
        vec![a("127.0.0.1")],
        vec![NameServerResidency {
            name: "ns3.example.test".into(),
            addresses: vec![],
        }],
    );
    assert_eq!(empty_ns.all_in_country, Tri::Undetermined);
    let p = provider_residency("acme", "JP", std::slice::from_ref(&good));
    assert_eq!(
        (p.all_in_country, p.weakest_strength),
        (Tri::Yes, Some(Strength::Unverified))
    );
    let p = provider_residency("acme", "JP", &[good, bad, und]);
    assert_eq!(p.all_in_country, Tri::No);
    assert_eq!(p.endpoints_out, ["www.example.test"]);
    assert_eq!(p.endpoints_undetermined, ["x.example.test"]);
}

#[test]
fn jurisdiction_exposure() {
    let c = classifier(true);
    let j = c
        .jurisdiction(
            "api.example.test",
            &[ip("127.0.0.1"), ip("203.0.113.9")],
            &[
                "api.example.test.".into(),
                "d111111abcdef8.CloudFront.net.".into(),
            ],
            &[("ns1.example.test".into(), ip("192.0.2.53"))],
            Some(Issuer {
                organization: Some("Example CA".into()),
                country: Some("US".into()),
            }),
        )
        .unwrap();
    let n = &j.networks[0];
    assert_eq!(
        (n.asn, n.as_org.as_deref()),
        (Some(64500), Some("Loopback, KK"))
    );
    assert_eq!(
        (
            n.registered_country.as_deref(),
            n.located_country.as_deref()
        ),
        (Some("US"), Some("JP"))
    );
    // The ASN table has no row for 203.0.113.9: the ASN database answers.
    assert_eq!(j.networks[1].asn, Some(64503));
    assert_eq!(j.dns_operators[0].host, "ns1.example.test");
    assert_eq!(j.dns_operators[0].located_country.as_deref(), Some("GB"));
    assert_eq!(j.cdns.len(), 1);
    assert_eq!(j.cdns[0].cdn, "Amazon CloudFront");
    assert_eq!(j.cdns[0].via, "cname");
    assert_eq!(cdn_from_asn(13335).unwrap().0, "Cloudflare");
    assert!(cdn_from_asn(64500).is_none());
}

#[test]
fn observation_json_round_trips_with_stable_names() {
    let c = classifier(true);
    let r = c
        .classify(ip("192.0.2.1"), "JP", &tokyo(120.0), built())
        .unwrap();
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["status"], "in-country");
    assert_eq!(json["strength"], "unverified");
    assert_eq!(json["rule"], "range-preferred-over-db");
    assert_eq!(json["evidence"]["ranges"][0]["country_basis"], "documented");
    assert_eq!(
        json["evidence"]["databases"][0]["build_date"],
        "2026-06-17T00:00:00Z"
    );
    assert_eq!(
        json["evidence"]["physics"]["discs"][0]["max_distance_km"],
        12000.0
    );
    let back: kensa_probe_geo::AddressResidency = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
}

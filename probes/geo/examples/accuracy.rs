//! Residency accuracy benchmark (not a test): run the classifier over the first address of
//! every provider-published range of `cloud-ranges.csv` and compare with the range's country.
//! The entry point is `benches/residency/run.sh` (documented arguments; see
//! `benches/residency/README.md`); by hand:
//!
//! ```text
//! cargo run --release -p kensa-probe-geo --example accuracy -- \
//!     --csv ../shared/data/cloud-ranges/cloud-ranges.csv \
//!     --geoip DATA/ip-location-db-geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb \
//!     [--ranges FILE]... [--ranges-from-csv] [--policy JP]
//! ```
//!
//! Modes, each printed:
//! - `db-only`: the databases alone;
//! - `db+ranges`: with `--ranges` files (the providers' real files, when you have them);
//! - `db+csv-ranges` (`--ranges-from-csv`): provider files *reconstructed from the CSV* in each
//!   provider's own format (AWS, Google Cloud, Azure, Oracle JSON; geofeeds for Linode, Vultr,
//!   DigitalOcean). Circular for the country (the CSV is the ground truth), so it checks the
//!   pipeline (parsers, region table, longest match, rules), not the sources.
//!
//! Per mode: agreement (declared = the row's country; in-country verdicts of any strength),
//! the verdict mix, the unverified rate, and the policy check (declared = `--policy` for every
//! row): false in-country verdicts (row elsewhere, verdict in-country) and recall.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use kensa_probe_geo::prefix::Prefix;
use kensa_probe_geo::{Classifier, GeoDb, RangeIndex, Status, Strength};

struct Row {
    cidr: String,
    first: std::net::IpAddr,
    provider: String,
    region: String,
    country: String,
    kind: String,
}

fn load_csv(path: &PathBuf) -> Vec<Row> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 7 || f[4].is_empty() {
            continue; // regions of unknown location are not scored
        }
        let p = Prefix::parse(f[0]).unwrap_or_else(|| panic!("bad cidr {}", f[0]));
        out.push(Row {
            cidr: f[0].to_owned(),
            first: p.first(),
            provider: f[2].to_owned(),
            region: f[3].to_owned(),
            country: f[4].to_owned(),
            kind: f[6].to_owned(),
        });
    }
    out
}

/// Provider files in each provider's own format, from the CSV rows (circular; see above).
fn csv_ranges(rows: &[Row]) -> RangeIndex {
    let mut aws4 = Vec::new();
    let mut aws6 = Vec::new();
    let mut gcp = Vec::new();
    let mut azure: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut oci: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
    let mut feeds: BTreeMap<&str, String> = BTreeMap::new();
    for r in rows {
        let v6 = r.cidr.contains(':');
        match r.provider.as_str() {
            "aws" if v6 => aws6.push(serde_json::json!({"ipv6_prefix": r.cidr, "region": r.region, "service": "AMAZON"})),
            "aws" => aws4.push(serde_json::json!({"ip_prefix": r.cidr, "region": r.region, "service": "AMAZON"})),
            "gcp" if v6 => gcp.push(serde_json::json!({"ipv6Prefix": r.cidr, "service": "Google Cloud", "scope": r.region})),
            "gcp" => gcp.push(serde_json::json!({"ipv4Prefix": r.cidr, "service": "Google Cloud", "scope": r.region})),
            "azure" => azure.entry(&r.region).or_default().push(&r.cidr),
            "oci" => oci.entry(&r.region).or_default().push(serde_json::json!({"cidr": r.cidr, "tags": ["OCI"]})),
            "linode" | "vultr" | "digitalocean" => {
                let _ = writeln!(feeds.entry(&r.provider).or_default(), "{},{},,,", r.cidr, r.country);
            }
            _ => {} // outscale, exoscale: no format of the four; left to the databases
        }
    }
    let mut idx = RangeIndex::new();
    let aws = serde_json::json!({"syncToken": "csv", "prefixes": aws4, "ipv6_prefixes": aws6});
    let gcp = serde_json::json!({"creationTime": "csv", "prefixes": gcp});
    let azure = serde_json::json!({"changeNumber": 0, "values": azure.iter().map(|(reg, p)| serde_json::json!({
        "name": format!("AzureCloud.{reg}"), "properties": {"region": reg, "systemService": "", "addressPrefixes": p}})).collect::<Vec<_>>()});
    let oci = serde_json::json!({"last_updated_timestamp": "csv", "regions": oci.iter().map(|(reg, c)| serde_json::json!({"region": reg, "cidrs": c})).collect::<Vec<_>>()});
    for (name, v) in [
        ("aws.json", aws),
        ("gcp.json", gcp),
        ("azure.json", azure),
        ("oci.json", oci),
    ] {
        let s = idx
            .load_bytes(name, &serde_json::to_vec(&v).unwrap(), None)
            .unwrap();
        eprintln!(
            "  loaded {name}: {:?} {} ranges, {} of unknown region",
            s.format, s.ranges, s.unknown_regions
        );
    }
    for (p, text) in &feeds {
        let s = idx
            .load_bytes(&format!("{p}.geofeed.csv"), text.as_bytes(), Some(p))
            .unwrap();
        eprintln!("  loaded {p} geofeed: {} ranges", s.ranges);
    }
    idx
}

#[derive(Default)]
struct Tally {
    n: usize,
    in_country: [usize; 3],
    out: usize,
    conflicting: usize,
    unknown: usize,
    rules: BTreeMap<String, usize>,
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "-".into()
    } else {
        format!("{:.2}%", 100.0 * a as f64 / b as f64)
    }
}

fn run(label: &str, c: &Classifier, rows: &[Row], policy: &str, now: SystemTime) {
    let t0 = Instant::now();
    let mut all = Tally::default();
    let mut by_group: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut false_in: Vec<String> = Vec::new();
    let mut policy_rec = (0usize, 0usize);
    let mut misses: HashMap<String, usize> = HashMap::new();
    for r in rows {
        let v = c.classify(r.first, &r.country, &[], now).unwrap();
        all.n += 1;
        *all.rules.entry(v.rule.clone()).or_default() += 1;
        let ok = v.status == Status::InCountry;
        match (v.status, v.strength) {
            (Status::InCountry, Some(Strength::Verified)) => all.in_country[2] += 1,
            (Status::InCountry, Some(Strength::Consistent)) => all.in_country[1] += 1,
            (Status::InCountry, _) => all.in_country[0] += 1,
            (Status::OutOfCountry, _) => all.out += 1,
            (Status::Conflicting, _) => all.conflicting += 1,
            (Status::Unknown, _) => all.unknown += 1,
        }
        for g in [
            format!("provider {}", r.provider),
            format!("kind {}", r.kind),
            format!("family v{}", if r.first.is_ipv4() { 4 } else { 6 }),
        ] {
            let e = by_group.entry(g).or_default();
            e.0 += 1;
            e.1 += usize::from(ok);
        }
        if !ok {
            *misses
                .entry(format!("{} {} -> {}", r.provider, r.region, v.rule))
                .or_default() += 1;
        }
        // Policy: must be in `policy`.
        let p = c.classify(r.first, policy, &[], now).unwrap();
        let p_in = p.status == Status::InCountry;
        if r.country == policy {
            policy_rec.0 += 1;
            policy_rec.1 += usize::from(p_in);
        } else if p_in {
            false_in.push(format!(
                "{} ({} {} {}) rule {}",
                r.cidr, r.provider, r.region, r.country, p.rule
            ));
        }
    }
    let agree: usize = all.in_country.iter().sum();
    println!(
        "\n== {label} ({} rows, {:.1} s) ==",
        all.n,
        t0.elapsed().as_secs_f64()
    );
    println!(
        "agreement (in-country for the row's own country): {} / {} = {}",
        agree,
        all.n,
        pct(agree, all.n)
    );
    println!(
        "  verified {}  consistent {}  unverified {} ({} of rows)  out-of-country {}  conflicting {}  unknown {}",
        all.in_country[2],
        all.in_country[1],
        all.in_country[0],
        pct(all.in_country[0], all.n),
        all.out,
        all.conflicting,
        all.unknown
    );
    println!("  rules: {:?}", all.rules);
    for (g, (n, ok)) in &by_group {
        println!("  {g:<24} {ok:>6} / {n:<6} {}", pct(*ok, *n));
    }
    println!(
        "policy {policy}: false in-country {} (rows elsewhere); recall {} / {} = {}",
        false_in.len(),
        policy_rec.1,
        policy_rec.0,
        pct(policy_rec.1, policy_rec.0)
    );
    for f in false_in.iter().take(10) {
        println!("  false in-country: {f}");
    }
    let mut m: Vec<_> = misses.into_iter().collect();
    m.sort_by_key(|e| std::cmp::Reverse(e.1));
    println!("  top disagreements: {:?}", &m[..m.len().min(8)]);
}

fn main() {
    let mut csv = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/cloud-ranges/cloud-ranges.csv"
    ));
    let mut dbs: Vec<PathBuf> = Vec::new();
    let mut ranges: Vec<PathBuf> = Vec::new();
    let mut from_csv = false;
    let mut policy = "JP".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--csv" => csv = args.next().expect("--csv FILE").into(),
            "--geoip" => dbs.push(args.next().expect("--geoip FILE").into()),
            "--ranges" => ranges.push(args.next().expect("--ranges FILE").into()),
            "--ranges-from-csv" => from_csv = true,
            "--policy" => policy = args.next().expect("--policy CC").to_ascii_uppercase(),
            _ => panic!("unknown argument {a}"),
        }
    }
    assert!(
        !dbs.is_empty(),
        "give at least one --geoip FILE (kensa geodb update installs the default)"
    );
    let rows = load_csv(&csv);
    eprintln!("{} scored rows from {}", rows.len(), csv.display());
    let now = SystemTime::now();
    let open = || {
        dbs.iter()
            .map(|p| GeoDb::open(p).unwrap_or_else(|e| panic!("{e}")))
            .collect::<Vec<_>>()
    };
    for db in open() {
        let i = db.info(now);
        println!(
            "database {}: type {:?}, layout {:?}, built {}, {} days old{}",
            i.file,
            i.database_type,
            i.layout,
            i.build_date,
            i.age_days,
            if i.stale { " (STALE)" } else { "" }
        );
    }
    let c = Classifier {
        databases: open(),
        ..Default::default()
    };
    run("db-only", &c, &rows, &policy, now);
    if !ranges.is_empty() {
        let mut idx = RangeIndex::new();
        for r in &ranges {
            let s = idx.load_file(r, None).unwrap_or_else(|e| panic!("{e}"));
            eprintln!("  loaded {}: {:?} {} ranges", s.file, s.format, s.ranges);
        }
        let c = Classifier {
            databases: open(),
            ranges: idx,
            ..Default::default()
        };
        run("db+ranges", &c, &rows, &policy, now);
    }
    if from_csv {
        let c = Classifier {
            databases: open(),
            ranges: csv_ranges(&rows),
            ..Default::default()
        };
        run(
            "db+csv-ranges (circular: pipeline check)",
            &c,
            &rows,
            &policy,
            now,
        );
    }
}

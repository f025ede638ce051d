//! Residency verdicts: per address, per endpoint, per provider; and jurisdiction exposure.
//!
//! # Sources
//!
//! For an address and a declared country `D`:
//! - **range**: the provider-published ranges of the longest prefix holding the address, with
//!   a known country (a range of an unknown region is recorded but claims no country);
//! - **database**: every country-carrying `.mmdb` with a record (ASN-only databases add
//!   network facts, never a country). Databases share their upstream (RIR whois, geofeeds),
//!   so any number of them counts as *one* source;
//! - **physics**: the RTT discs ([`crate::physics`]): it can *rule out* `D`, *confirm* `D`
//!   (the only country every disc reaches), or merely *allow* it.
//!
//! # Rules (first that applies; the rule id is recorded with each verdict)
//!
//! | rule | condition | verdict |
//! |---|---|---|
//! | `special-purpose` | the address is in an IANA special-purpose block that is not globally reachable (documentation, private, benchmarking…; [`crate::prefix::SPECIAL_PURPOSE`]) and the classifier does not allow them | unknown |
//! | `physics-rules-out` | physics rules `D` out | out-of-country |
//! | `ranges-disagree` | ranges of the same longest prefix give different countries | conflicting |
//! | `range-vs-physics` | the range says `C ≠ D` and physics confirms `D` | conflicting |
//! | `range-elsewhere` | the range says `C ≠ D` | out-of-country |
//! | `range-db-agree` | range = `D` from a region whose location the provider documents, or from a geofeed row (`country_basis` `documented` or `geofeed`); every database with a country says `D` (at least one) | in-country, **verified** |
//! | `range-inferred-db-agree` | as `range-db-agree`, but every range saying `D` is of a region whose country was only inferred from its name (`country_basis: inferred`, see `data/regions.tsv`) | in-country, consistent |
//! | `range-db-partly-agree` | range = `D`, some databases say `D`, others not | in-country, consistent |
//! | `range-physics-agree` | range = `D`, no database says `D`, physics confirms `D` | in-country, consistent |
//! | `range-preferred-over-db` | range = `D`, the databases say elsewhere | in-country, unverified (the databases listed as disagreeing) |
//! | `range-only` | range = `D`, no database has a country | in-country, unverified |
//! | `dbs-disagree` | no range country; databases give different countries | conflicting |
//! | `db-vs-physics` | no range country; databases say `C ≠ D`, physics confirms `D` | conflicting |
//! | `db-elsewhere` | no range country; databases say `C ≠ D` | out-of-country |
//! | `db-physics-agree` | no range country; databases say `D`, physics confirms `D` | in-country, consistent |
//! | `db-only` | no range country; databases say `D`; physics absent or only allows | in-country, unverified |
//! | `physics-only` | no range country, no database country; physics confirms `D` | in-country, unverified |
//! | `no-evidence` | nothing says anything | unknown |
//!
//! Why the provider's range wins over a database that disagrees (`range-preferred-over-db`):
//! the databases' errors are systematic: new or unannounced provider blocks fall back to the
//! registrant's country (usually US), so a database disagreeing with the provider's own
//! region tag is far more often wrong than the provider (see `benches/residency/README.md`).
//! The verdict stays in-country but only `unverified`, with the disagreeing databases named, so
//! a control demanding `verified` or `consistent` still fails it. The reverse case (the range
//! says elsewhere, a database says `D`) is out-of-country: the provider's own statement that
//! the address is elsewhere is never overridden by a database, which keeps false in-country
//! verdicts at zero.
//!
//! Why an *inferred* region cannot verify (`range-inferred-db-agree`): the region table marks
//! as `inferred` the regions a provider publishes ranges for but does not (yet) list with a
//! location, their country read from the name only (`switzerlandn` → CH). That is weaker than
//! the provider's documented location, so agreement with a database gives at most
//! `consistent`; the range's `country_basis` in the evidence says why.
//!
//! Residency is evidence: these verdicts are inputs to controls, which judge them later.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::asn::{AsnAnswer, AsnTable};
use crate::mmdb::{DbAnswer, GeoDb};
use crate::physics::{Physics, PhysicsFinding, RttSample};
use crate::ranges::{CountryBasis, RangeEntry, RangeIndex};

/// The residency status of an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The evidence places the address in the declared country (see `strength`).
    InCountry,
    /// The evidence places it elsewhere, or physics rules the declared country out.
    OutOfCountry,
    /// The sources disagree (`disagreeing` names them).
    Conflicting,
    /// No source says anything.
    Unknown,
}

/// How strongly an in-country verdict is supported. Ordered weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// One source only (or one against disagreeing databases).
    Unverified,
    /// Two kinds of source agree, but not a documented provider range and a database together
    /// (e.g. a range of an inferred region and a database, or a database and physics).
    Consistent,
    /// The provider's range (of a documented region, or a geofeed row) and a database agree,
    /// and physics does not rule it out.
    Verified,
}

/// One database's contribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbEvidence {
    /// The database's file name.
    pub database: String,
    /// Its `database_type`.
    pub database_type: String,
    /// Its build date, RFC 3339.
    pub build_date: String,
    /// Whether it is older than 90 days at the classification's `now`.
    pub stale: bool,
    /// The record for the address; `None`: no record.
    pub answer: Option<DbAnswer>,
}

/// Everything gathered about one address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Provider ranges of the longest matching prefix (empty: no provider range holds it).
    pub ranges: Vec<RangeEntry>,
    /// One entry per database consulted, in the order given.
    pub databases: Vec<DbEvidence>,
    /// The ASN table's answer.
    pub asn: Option<AsnAnswer>,
    /// The physics finding (`None`: no RTT sample).
    pub physics: Option<PhysicsFinding>,
    /// The IANA special-purpose block holding the address (`PREFIX what (RFC)`), when it is in
    /// one and the classifier does not allow them: such an address gets `unknown`.
    pub special_purpose: Option<String>,
}

/// The residency of one address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddressResidency {
    /// The address.
    pub address: IpAddr,
    /// The declared country (ISO 3166-1 alpha-2, upper case).
    pub declared_country: String,
    /// The verdict.
    pub status: Status,
    /// For `in-country`: how strongly; otherwise `None`.
    pub strength: Option<Strength>,
    /// The id of the rule that decided (see the module documentation).
    pub rule: String,
    /// Sources supporting the verdict: `range:FILE#LOCATION`, `db:FILE`, `physics`.
    pub supporting: Vec<String>,
    /// Sources that disagree with the verdict (same naming).
    pub disagreeing: Vec<String>,
    /// Countries the evidence places the address in, when not (only) the declared one.
    pub other_countries: Vec<String>,
    /// The evidence itself.
    pub evidence: Evidence,
}

impl AddressResidency {
    /// Whether the verdict is in-country with at least `min` strength.
    pub fn in_country_at_least(&self, min: Strength) -> bool {
        self.status == Status::InCountry && self.strength.is_some_and(|s| s >= min)
    }
}

/// The evidence sources and parameters for classifying addresses.
#[derive(Debug, Default)]
pub struct Classifier {
    /// Provider ranges (may be empty).
    pub ranges: RangeIndex,
    /// Geolocation databases (any number; ASN-layout ones add network facts only).
    pub databases: Vec<GeoDb>,
    /// The ASN table (optional).
    pub asn: Option<AsnTable>,
    /// Physics parameters.
    pub physics: Physics,
    /// Classify addresses of special-purpose blocks like any other (default `false`: they get
    /// `unknown`). Only for tests and fixtures built on documentation prefixes.
    pub allow_special_purpose: bool,
}

fn range_id(r: &RangeEntry) -> String {
    format!("range:{}#{}", r.source, r.location)
}

impl Classifier {
    /// Gather the evidence for `ip` (database staleness judged at `now`).
    pub fn gather(
        &self,
        ip: IpAddr,
        declared: &str,
        rtts: &[RttSample],
        now: std::time::SystemTime,
    ) -> Result<Evidence, Error> {
        let ranges = self.ranges.lookup(ip).into_iter().cloned().collect();
        let mut databases = Vec::with_capacity(self.databases.len());
        for db in &self.databases {
            let info = db.info(now);
            databases.push(DbEvidence {
                database: info.file,
                database_type: info.database_type,
                build_date: info.build_date,
                stale: info.stale,
                answer: db.lookup(ip)?,
            });
        }
        let asn = self.asn.as_ref().and_then(|t| t.lookup(ip));
        let physics = (!rtts.is_empty()).then(|| self.physics.assess(rtts, declared));
        let special_purpose = if self.allow_special_purpose {
            None
        } else {
            crate::prefix::special_purpose(ip)
        };
        Ok(Evidence {
            ranges,
            databases,
            asn,
            physics,
            special_purpose,
        })
    }

    /// Gather the evidence for `ip` and classify it against `declared`.
    pub fn classify(
        &self,
        ip: IpAddr,
        declared: &str,
        rtts: &[RttSample],
        now: std::time::SystemTime,
    ) -> Result<AddressResidency, Error> {
        let ev = self.gather(ip, declared, rtts, now)?;
        Ok(decide(ip, declared, ev))
    }
}

/// Apply the rules of the module documentation to gathered evidence.
pub fn decide(ip: IpAddr, declared: &str, ev: Evidence) -> AddressResidency {
    let d = declared.trim().to_ascii_uppercase();
    let range_claims: Vec<(String, String)> = ev
        .ranges
        .iter()
        .filter_map(|r| r.country.clone().map(|c| (range_id(r), c)))
        .collect();
    let db_claims: Vec<(String, String)> = ev
        .databases
        .iter()
        .filter_map(|db| {
            db.answer
                .as_ref()
                .and_then(|a| a.country.clone())
                .map(|c| (format!("db:{}", db.database), c))
        })
        .collect();
    let range_countries: BTreeSet<&str> = range_claims.iter().map(|(_, c)| c.as_str()).collect();
    let db_countries: BTreeSet<&str> = db_claims.iter().map(|(_, c)| c.as_str()).collect();
    let phys = ev.physics.as_ref();
    let ruled_out = phys.is_some_and(|p| !p.declared_possible);
    let confirms = phys.is_some_and(|p| p.declared_confirmed);

    let ids = |v: &[(String, String)], pred: &dyn Fn(&str) -> bool| -> Vec<String> {
        v.iter()
            .filter(|(_, c)| pred(c))
            .map(|(id, _)| id.clone())
            .collect()
    };
    let claiming_d = |v: &[(String, String)]| ids(v, &|c| c == d);
    let claiming_other = |v: &[(String, String)]| ids(v, &|c| c != d);
    let others: Vec<String> = range_countries
        .iter()
        .chain(db_countries.iter())
        .filter(|c| **c != d)
        .map(|c| (*c).to_owned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let phys_id = || vec!["physics".to_owned()];

    let (status, strength, rule, supporting, disagreeing): (
        Status,
        Option<Strength>,
        &str,
        Vec<String>,
        Vec<String>,
    ) = if ev.special_purpose.is_some() {
        (
            Status::Unknown,
            None,
            "special-purpose",
            Vec::new(),
            Vec::new(),
        )
    } else if ruled_out {
        let mut dis = claiming_d(&range_claims);
        dis.extend(claiming_d(&db_claims));
        (
            Status::OutOfCountry,
            None,
            "physics-rules-out",
            phys_id(),
            dis,
        )
    } else if range_countries.len() > 1 {
        let all = range_claims.iter().map(|(id, _)| id.clone()).collect();
        (
            Status::Conflicting,
            None,
            "ranges-disagree",
            Vec::new(),
            all,
        )
    } else if let Some(rc) = range_countries.first().copied() {
        if rc != d {
            if confirms {
                (
                    Status::Conflicting,
                    None,
                    "range-vs-physics",
                    Vec::new(),
                    [claiming_other(&range_claims), phys_id()].concat(),
                )
            } else {
                (
                    Status::OutOfCountry,
                    None,
                    "range-elsewhere",
                    claiming_other(&range_claims),
                    claiming_d(&db_claims),
                )
            }
        } else {
            let rs = claiming_d(&range_claims);
            // Only a range whose country is documented (or stated by a geofeed row) verifies.
            let range_documented = ev.ranges.iter().any(|r| {
                r.country.as_deref() == Some(d.as_str())
                    && matches!(
                        r.country_basis,
                        CountryBasis::Documented | CountryBasis::Geofeed
                    )
            });
            let db_yes = claiming_d(&db_claims);
            let db_no = claiming_other(&db_claims);
            let mut sup = rs;
            sup.extend(db_yes.iter().cloned());
            if phys.is_some() && !ruled_out && confirms {
                sup.extend(phys_id());
            }
            if !db_yes.is_empty() && db_no.is_empty() && range_documented {
                (
                    Status::InCountry,
                    Some(Strength::Verified),
                    "range-db-agree",
                    sup,
                    db_no,
                )
            } else if !db_yes.is_empty() && db_no.is_empty() {
                (
                    Status::InCountry,
                    Some(Strength::Consistent),
                    "range-inferred-db-agree",
                    sup,
                    db_no,
                )
            } else if !db_yes.is_empty() {
                (
                    Status::InCountry,
                    Some(Strength::Consistent),
                    "range-db-partly-agree",
                    sup,
                    db_no,
                )
            } else if confirms {
                (
                    Status::InCountry,
                    Some(Strength::Consistent),
                    "range-physics-agree",
                    sup,
                    db_no,
                )
            } else if !db_no.is_empty() {
                (
                    Status::InCountry,
                    Some(Strength::Unverified),
                    "range-preferred-over-db",
                    sup,
                    db_no,
                )
            } else {
                (
                    Status::InCountry,
                    Some(Strength::Unverified),
                    "range-only",
                    sup,
                    db_no,
                )
            }
        }
    } else if db_countries.len() > 1 {
        let all = db_claims.iter().map(|(id, _)| id.clone()).collect();
        (Status::Conflicting, None, "dbs-disagree", Vec::new(), all)
    } else if let Some(gc) = db_countries.first().copied() {
        if gc != d {
            if confirms {
                (
                    Status::Conflicting,
                    None,
                    "db-vs-physics",
                    Vec::new(),
                    [claiming_other(&db_claims), phys_id()].concat(),
                )
            } else {
                (
                    Status::OutOfCountry,
                    None,
                    "db-elsewhere",
                    claiming_other(&db_claims),
                    Vec::new(),
                )
            }
        } else if confirms {
            let sup = [claiming_d(&db_claims), phys_id()].concat();
            (
                Status::InCountry,
                Some(Strength::Consistent),
                "db-physics-agree",
                sup,
                Vec::new(),
            )
        } else {
            (
                Status::InCountry,
                Some(Strength::Unverified),
                "db-only",
                claiming_d(&db_claims),
                Vec::new(),
            )
        }
    } else if confirms {
        (
            Status::InCountry,
            Some(Strength::Unverified),
            "physics-only",
            phys_id(),
            Vec::new(),
        )
    } else {
        (Status::Unknown, None, "no-evidence", Vec::new(), Vec::new())
    };

    AddressResidency {
        address: ip,
        declared_country: d,
        status,
        strength,
        rule: rule.to_owned(),
        supporting,
        disagreeing,
        other_countries: others,
        evidence: ev,
    }
}

/// Yes / no / cannot tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tri {
    /// Every address is in-country.
    Yes,
    /// At least one address is out-of-country.
    No,
    /// Neither: some address is conflicting or unknown, or there is no address.
    Undetermined,
}

/// The addresses of one name server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NameServerResidency {
    /// The name server's host name.
    pub name: String,
    /// Its addresses' residency.
    pub addresses: Vec<AddressResidency>,
}

/// Counts of verdicts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// In-country, verified.
    pub verified: usize,
    /// In-country, consistent.
    pub consistent: usize,
    /// In-country, unverified.
    pub unverified: usize,
    /// Out-of-country.
    pub out_of_country: usize,
    /// Conflicting.
    pub conflicting: usize,
    /// Unknown.
    pub unknown: usize,
}

impl Counts {
    fn add(&mut self, a: &AddressResidency) {
        match (a.status, a.strength) {
            (Status::InCountry, Some(Strength::Verified)) => self.verified += 1,
            (Status::InCountry, Some(Strength::Consistent)) => self.consistent += 1,
            (Status::InCountry, _) => self.unverified += 1,
            (Status::OutOfCountry, _) => self.out_of_country += 1,
            (Status::Conflicting, _) => self.conflicting += 1,
            (Status::Unknown, _) => self.unknown += 1,
        }
    }

    fn merge(&mut self, o: &Counts) {
        self.verified += o.verified;
        self.consistent += o.consistent;
        self.unverified += o.unverified;
        self.out_of_country += o.out_of_country;
        self.conflicting += o.conflicting;
        self.unknown += o.unknown;
    }

    /// Total addresses counted.
    pub fn total(&self) -> usize {
        self.verified
            + self.consistent
            + self.unverified
            + self.out_of_country
            + self.conflicting
            + self.unknown
    }

    /// Whether every address is in-country (`yes`), any is out (`no`), or neither.
    pub fn all_in_country(&self) -> Tri {
        if self.out_of_country > 0 {
            Tri::No
        } else if self.total() > 0 && self.conflicting == 0 && self.unknown == 0 {
            Tri::Yes
        } else {
            Tri::Undetermined
        }
    }

    /// The weakest strength among in-country addresses, when all are in-country.
    pub fn weakest(&self) -> Option<Strength> {
        if self.all_in_country() != Tri::Yes {
            return None;
        }
        if self.unverified > 0 {
            Some(Strength::Unverified)
        } else if self.consistent > 0 {
            Some(Strength::Consistent)
        } else {
            Some(Strength::Verified)
        }
    }
}

/// "Every serving address and every name server in the declared country", for one endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndpointResidency {
    /// The endpoint (host name or address).
    pub endpoint: String,
    /// The declared country.
    pub declared_country: String,
    /// Serving addresses.
    pub addresses: Vec<AddressResidency>,
    /// Name servers of the endpoint's zone.
    pub name_servers: Vec<NameServerResidency>,
    /// Counts over serving and name-server addresses together.
    pub counts: Counts,
    /// `yes` when every serving address and every name-server address is in-country.
    pub all_in_country: Tri,
    /// When `all_in_country` is `yes`: the weakest in-country strength among them.
    pub weakest_strength: Option<Strength>,
}

/// Aggregate one endpoint's address verdicts.
pub fn endpoint_residency(
    endpoint: &str,
    declared: &str,
    addresses: Vec<AddressResidency>,
    name_servers: Vec<NameServerResidency>,
) -> EndpointResidency {
    let mut counts = Counts::default();
    for a in addresses
        .iter()
        .chain(name_servers.iter().flat_map(|n| n.addresses.iter()))
    {
        counts.add(a);
    }
    // A name server with no address at all leaves residency undetermined.
    let ns_without_address = name_servers.iter().any(|n| n.addresses.is_empty());
    let mut all = counts.all_in_country();
    if (ns_without_address || addresses.is_empty()) && all == Tri::Yes {
        all = Tri::Undetermined;
    }
    EndpointResidency {
        endpoint: endpoint.to_owned(),
        declared_country: declared.trim().to_ascii_uppercase(),
        addresses,
        name_servers,
        weakest_strength: if all == Tri::Yes {
            counts.weakest()
        } else {
            None
        },
        counts,
        all_in_country: all,
    }
}

/// The same question over all of a provider's endpoints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderResidency {
    /// The provider, as the caller names it (the harness passes the catalog's provider id).
    pub provider: String,
    /// The declared country.
    pub declared_country: String,
    /// Endpoints examined.
    pub endpoints: usize,
    /// Endpoints whose `all_in_country` is `yes`.
    pub endpoints_in_country: usize,
    /// Endpoints with some address out of country.
    pub endpoints_out: Vec<String>,
    /// Endpoints undetermined.
    pub endpoints_undetermined: Vec<String>,
    /// Counts over every address of every endpoint.
    pub counts: Counts,
    /// `yes` when every endpoint's is `yes`; `no` when any is `no`.
    pub all_in_country: Tri,
    /// When `yes`: the weakest strength.
    pub weakest_strength: Option<Strength>,
}

/// Aggregate endpoints into the provider's answer.
pub fn provider_residency(
    provider: &str,
    declared: &str,
    endpoints: &[EndpointResidency],
) -> ProviderResidency {
    let mut counts = Counts::default();
    let mut out = Vec::new();
    let mut und = Vec::new();
    let mut yes = 0;
    let mut weakest: Option<Strength> = None;
    for e in endpoints {
        counts.merge(&e.counts);
        match e.all_in_country {
            Tri::Yes => {
                yes += 1;
                weakest = match (weakest, e.weakest_strength) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            Tri::No => out.push(e.endpoint.clone()),
            Tri::Undetermined => und.push(e.endpoint.clone()),
        }
    }
    let all = if !out.is_empty() {
        Tri::No
    } else if !endpoints.is_empty() && und.is_empty() {
        Tri::Yes
    } else {
        Tri::Undetermined
    };
    ProviderResidency {
        provider: provider.to_owned(),
        declared_country: declared.trim().to_ascii_uppercase(),
        endpoints: endpoints.len(),
        endpoints_in_country: yes,
        endpoints_out: out,
        endpoints_undetermined: und,
        counts,
        all_in_country: all,
        weakest_strength: if all == Tri::Yes { weakest } else { None },
    }
}

/// Who can be compelled about an endpoint: networks, certificate issuer, DNS operator, CDN.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Jurisdiction {
    /// The endpoint.
    pub endpoint: String,
    /// The network of each serving address.
    pub networks: Vec<NetworkExposure>,
    /// The certificate issuer (from the x509 evidence), when known.
    pub certificate_issuer: Option<Issuer>,
    /// The network of each name-server address: the DNS operator.
    pub dns_operators: Vec<NetworkExposure>,
    /// CDNs detected in front of the endpoint.
    pub cdns: Vec<CdnDetection>,
}

/// The network facts of one address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkExposure {
    /// The host name this address belongs to (the endpoint, or a name server).
    pub host: String,
    /// The address.
    pub address: IpAddr,
    /// Autonomous system number (ASN table, else an ASN-layout database).
    pub asn: Option<u32>,
    /// The AS's organisation.
    pub as_org: Option<String>,
    /// ISO 3166-1 alpha-2 country where the network is registered (`registered_country` of a
    /// GeoIP2-layout database), when a database gives it.
    pub registered_country: Option<String>,
    /// The country the databases place the address in (first database with one).
    pub located_country: Option<String>,
}

/// A certificate issuer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    /// The issuer's organisation (`O`).
    pub organization: Option<String>,
    /// The issuer's country (`C`, ISO 3166-1 alpha-2).
    pub country: Option<String>,
}

/// A CDN seen in front of an endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdnDetection {
    /// The CDN's name.
    pub cdn: String,
    /// How it was seen: `cname` or `asn`.
    pub via: String,
    /// The CNAME or address that matched, and the table value (e.g. `x.cloudfront.net ~ .cloudfront.net`).
    pub matched: String,
    /// Where the table entry is documented.
    pub source: String,
}

/// The checked-in CDN table (TSV: kind, value, cdn, source).
pub const CDN_TSV: &str = include_str!("../data/cdn.tsv");

struct CdnRow {
    kind: String,
    value: String,
    cdn: String,
    source: String,
}

fn cdn_table() -> &'static [CdnRow] {
    static T: OnceLock<Vec<CdnRow>> = OnceLock::new();
    T.get_or_init(|| {
        CDN_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("kind\t"))
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some(CdnRow {
                    kind: f.next()?.to_owned(),
                    value: f.next()?.to_ascii_lowercase(),
                    cdn: f.next()?.to_owned(),
                    source: f.next()?.to_owned(),
                })
            })
            .collect()
    })
}

/// CDNs named by a CNAME chain (suffix match, case-insensitive, trailing dot ignored).
pub fn cdn_from_cnames(chain: &[String]) -> Vec<CdnDetection> {
    let mut out = Vec::new();
    for name in chain {
        let n = format!(".{}", name.trim_end_matches('.').to_ascii_lowercase());
        for r in cdn_table().iter().filter(|r| r.kind == "suffix") {
            if n.ends_with(&r.value) {
                out.push(CdnDetection {
                    cdn: r.cdn.clone(),
                    via: "cname".into(),
                    matched: format!("{} ~ {}", name.trim_end_matches('.'), r.value),
                    source: r.source.clone(),
                });
            }
        }
    }
    out
}

/// The CDN an ASN belongs to, if the table lists it.
pub fn cdn_from_asn(asn: u32) -> Option<(String, String)> {
    let a = asn.to_string();
    cdn_table()
        .iter()
        .find(|r| r.kind == "asn" && r.value == a)
        .map(|r| (r.cdn.clone(), r.source.clone()))
}

impl Classifier {
    /// Network facts of one address from the ASN table and the databases.
    pub fn network(&self, host: &str, ip: IpAddr) -> Result<NetworkExposure, Error> {
        let mut n = NetworkExposure {
            host: host.to_owned(),
            address: ip,
            asn: None,
            as_org: None,
            registered_country: None,
            located_country: None,
        };
        if let Some(a) = self.asn.as_ref().and_then(|t| t.lookup(ip)) {
            n.asn = Some(a.asn);
            n.as_org = Some(a.org);
        }
        for db in &self.databases {
            if let Some(a) = db.lookup(ip)? {
                n.asn = n.asn.or(a.asn);
                n.as_org = n.as_org.or(a.as_org);
                n.registered_country = n.registered_country.or(a.registered_country);
                n.located_country = n.located_country.or(a.country);
            }
        }
        Ok(n)
    }

    /// The jurisdiction exposure of an endpoint: its addresses' networks, the name servers'
    /// networks (`(name, address)` pairs), the certificate issuer as given, and CDNs seen in
    /// the CNAME chain or by ASN.
    pub fn jurisdiction(
        &self,
        endpoint: &str,
        addresses: &[IpAddr],
        cname_chain: &[String],
        name_servers: &[(String, IpAddr)],
        issuer: Option<Issuer>,
    ) -> Result<Jurisdiction, Error> {
        let networks = addresses
            .iter()
            .map(|ip| self.network(endpoint, *ip))
            .collect::<Result<Vec<_>, _>>()?;
        let dns_operators = name_servers
            .iter()
            .map(|(n, ip)| self.network(n, *ip))
            .collect::<Result<Vec<_>, _>>()?;
        let mut cdns = cdn_from_cnames(cname_chain);
        for n in &networks {
            if let Some((cdn, source)) = n.asn.and_then(cdn_from_asn) {
                cdns.push(CdnDetection {
                    cdn,
                    via: "asn".into(),
                    matched: format!("{} AS{}", n.address, n.asn.unwrap_or_default()),
                    source,
                });
            }
        }
        Ok(Jurisdiction {
            endpoint: endpoint.to_owned(),
            networks,
            certificate_issuer: issuer,
            dns_operators,
            cdns,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::physics::Vantage;

    fn range(location: &str, country: &str, basis: CountryBasis) -> RangeEntry {
        RangeEntry {
            prefix: "198.51.100.0/24".into(),
            provider: "aws".into(),
            service: Some("EC2".into()),
            region: Some("r".into()),
            country: Some(country.into()),
            country_basis: basis,
            city: None,
            source: "ranges.json".into(),
            location: location.into(),
        }
    }

    fn db(file: &str, country: &str) -> DbEvidence {
        DbEvidence {
            database: file.into(),
            database_type: "country".into(),
            build_date: "2026-06-17T00:00:00Z".into(),
            stale: false,
            answer: Some(DbAnswer {
                database: file.into(),
                country: Some(country.into()),
                ..DbAnswer::default()
            }),
        }
    }

    /// 2 ms from Tokyo: within ~200 km, only Japan is reachable.
    fn tokyo_2ms() -> PhysicsFinding {
        Physics::default().assess(
            &[RttSample {
                vantage: Vantage {
                    name: "tokyo".into(),
                    lat: 35.68,
                    lon: 139.69,
                },
                rtt_min_ms: 2.0,
            }],
            "JP",
        )
    }

    fn ip() -> IpAddr {
        IpAddr::from([198, 51, 100, 7])
    }

    #[test]
    fn ranges_of_one_prefix_that_disagree_conflict() {
        let ev = Evidence {
            ranges: vec![
                range("$.prefixes[0]", "JP", CountryBasis::Documented),
                range("$.prefixes[1]", "US", CountryBasis::Documented),
            ],
            databases: vec![db("a.mmdb", "JP")],
            ..Evidence::default()
        };
        let r = decide(ip(), "jp", ev);
        assert_eq!(
            (r.status, r.strength, r.rule.as_str()),
            (Status::Conflicting, None, "ranges-disagree")
        );
        assert!(r.supporting.is_empty());
        assert_eq!(
            r.disagreeing,
            [
                "range:ranges.json#$.prefixes[0]",
                "range:ranges.json#$.prefixes[1]"
            ]
        );
        assert_eq!(r.other_countries, ["US"]);
    }

    #[test]
    fn range_and_physics_agree_without_a_database_saying_so() {
        let finding = tokyo_2ms();
        assert!(finding.declared_confirmed);
        // No database at all.
        let r = decide(
            ip(),
            "JP",
            Evidence {
                ranges: vec![range("$.prefixes[0]", "JP", CountryBasis::Documented)],
                physics: Some(finding.clone()),
                ..Evidence::default()
            },
        );
        assert_eq!(
            (r.status, r.strength, r.rule.as_str()),
            (
                Status::InCountry,
                Some(Strength::Consistent),
                "range-physics-agree"
            )
        );
        assert_eq!(r.supporting, ["range:ranges.json#$.prefixes[0]", "physics"]);
        assert!(r.disagreeing.is_empty());
        // A database placing it elsewhere is named, but physics confirms the range.
        let r = decide(
            ip(),
            "JP",
            Evidence {
                ranges: vec![range("$.prefixes[0]", "JP", CountryBasis::Documented)],
                databases: vec![db("a.mmdb", "US")],
                physics: Some(finding),
                ..Evidence::default()
            },
        );
        assert_eq!(
            (r.status, r.strength, r.rule.as_str()),
            (
                Status::InCountry,
                Some(Strength::Consistent),
                "range-physics-agree"
            )
        );
        assert_eq!(r.supporting, ["range:ranges.json#$.prefixes[0]", "physics"]);
        assert_eq!(r.disagreeing, ["db:a.mmdb"]);
        assert_eq!(r.other_countries, ["US"]);
    }

    #[test]
    fn a_range_alone_is_unverified() {
        let r = decide(
            ip(),
            "JP",
            Evidence {
                ranges: vec![range("$.prefixes[0]", "JP", CountryBasis::Documented)],
                // A database without a record for the address says nothing.
                databases: vec![DbEvidence {
                    answer: None,
                    ..db("a.mmdb", "JP")
                }],
                ..Evidence::default()
            },
        );
        assert_eq!(
            (r.status, r.strength, r.rule.as_str()),
            (Status::InCountry, Some(Strength::Unverified), "range-only")
        );
        assert_eq!(r.supporting, ["range:ranges.json#$.prefixes[0]"]);
        assert!(r.disagreeing.is_empty() && r.other_countries.is_empty());
    }

    #[test]
    fn an_inferred_region_agreeing_with_a_database_is_only_consistent() {
        let inferred = Evidence {
            ranges: vec![range("$.prefixes[0]", "JP", CountryBasis::Inferred)],
            databases: vec![db("a.mmdb", "JP")],
            ..Evidence::default()
        };
        let r = decide(ip(), "JP", inferred.clone());
        assert_eq!(
            (r.status, r.strength, r.rule.as_str()),
            (
                Status::InCountry,
                Some(Strength::Consistent),
                "range-inferred-db-agree"
            )
        );
        assert_eq!(
            r.supporting,
            ["range:ranges.json#$.prefixes[0]", "db:a.mmdb"]
        );
        assert_eq!(r.evidence.ranges[0].country_basis, CountryBasis::Inferred);
        // Physics confirming too does not make an inferred region verified.
        let r = decide(
            ip(),
            "JP",
            Evidence {
                physics: Some(tokyo_2ms()),
                ..inferred.clone()
            },
        );
        assert_eq!(
            (r.strength, r.rule.as_str()),
            (Some(Strength::Consistent), "range-inferred-db-agree")
        );
        // A documented range of the same prefix alongside it verifies.
        let mut both = inferred.clone();
        both.ranges
            .push(range("$.prefixes[1]", "JP", CountryBasis::Documented));
        let r = decide(ip(), "JP", both);
        assert_eq!(
            (r.strength, r.rule.as_str()),
            (Some(Strength::Verified), "range-db-agree")
        );
        // A geofeed row states its country itself: it verifies.
        let r = decide(
            ip(),
            "JP",
            Evidence {
                ranges: vec![range("line 1", "JP", CountryBasis::Geofeed)],
                ..inferred
            },
        );
        assert_eq!(
            (r.strength, r.rule.as_str()),
            (Some(Strength::Verified), "range-db-agree")
        );
    }
}

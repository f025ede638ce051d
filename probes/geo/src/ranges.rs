//! Provider-published IP ranges: AWS `ip-ranges.json`, Google Cloud `cloud.json`, Azure Service
//! Tags JSON, Oracle `public_ip_ranges.json`, and RFC 8805 geofeeds (CSV); the format is
//! detected from the content. Each range records provider, service, region and the region's
//! country from the checked-in table `data/regions.tsv` (one cited source per provider).
//!
//! Formats (as published by each provider):
//! - AWS: `{"prefixes":[{"ip_prefix","region","service","network_border_group"}],
//!   "ipv6_prefixes":[{"ipv6_prefix",...}]}`
//!   (<https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-syntax.html>);
//! - Google Cloud: `{"prefixes":[{"ipv4Prefix"|"ipv6Prefix","service","scope"}]}`
//!   (<https://cloud.google.com/compute/docs/faq#find_ip_range>);
//! - Azure: `{"values":[{"name","properties":{"region","systemService","addressPrefixes":[]}}]}`
//!   (<https://learn.microsoft.com/en-us/azure/virtual-network/service-tags-overview>);
//! - Oracle: `{"regions":[{"region","cidrs":[{"cidr","tags":[]}]}]}`
//!   (<https://docs.oracle.com/en-us/iaas/Content/General/Concepts/addressranges.htm>);
//! - RFC 8805 geofeed: `ip_prefix,alpha2code,region,city,postal_code` lines, `#` comments.
//!
//! A region missing from the table (or documented nowhere) gives `country: null` with basis
//! `unknown`: recorded, never an error. Lookups are longest-prefix matches over a per-length
//! hash index (at most 129 probes per address; 39k ranges load in milliseconds).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Error;
use crate::prefix::{MAX_FILE_BYTES, Prefix, addr_bits, mask, read_bounded};

/// The checked-in region → country table (TSV: provider, region, country, basis, source).
pub const REGIONS_TSV: &str = include_str!("../data/regions.tsv");

/// A range file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RangeFormat {
    /// AWS `ip-ranges.json`.
    Aws,
    /// Google Cloud `cloud.json`.
    Gcp,
    /// Azure Service Tags JSON (`ServiceTags_Public_*.json`).
    Azure,
    /// Oracle Cloud `public_ip_ranges.json`.
    Oracle,
    /// An RFC 8805 geofeed (CSV).
    Geofeed,
}

impl RangeFormat {
    /// The provider name recorded for ranges of this format (`aws`, `gcp`, `azure`, `oci`);
    /// `None` for geofeeds, whose provider is named by the caller or the file.
    pub const fn provider(self) -> Option<&'static str> {
        match self {
            Self::Aws => Some("aws"),
            Self::Gcp => Some("gcp"),
            Self::Azure => Some("azure"),
            Self::Oracle => Some("oci"),
            Self::Geofeed => None,
        }
    }
}

/// Where a range's country comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CountryBasis {
    /// The region's location is documented by the provider (see `data/regions.tsv`).
    Documented,
    /// The region is not in the provider's region list; the country is read from its name.
    Inferred,
    /// The region's location is unknown: no country.
    Unknown,
    /// The geofeed row states the country itself (RFC 8805 `alpha2code`).
    Geofeed,
}

/// One row of the region table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionInfo {
    /// Provider (`aws`, `azure`, `gcp`, `oci`, `outscale`, `exoscale`).
    pub provider: String,
    /// Region code as the provider writes it, lower case.
    pub region: String,
    /// ISO 3166-1 alpha-2 country of the region's location; `None` when unknown.
    pub country: Option<String>,
    /// How the country is known.
    pub basis: CountryBasis,
    /// The provider page documenting its regions.
    pub source: String,
}

fn region_table() -> &'static HashMap<(String, String), RegionInfo> {
    static TABLE: OnceLock<HashMap<(String, String), RegionInfo>> = OnceLock::new();
    TABLE.get_or_init(|| parse_region_table(REGIONS_TSV))
}

fn parse_region_table(text: &str) -> HashMap<(String, String), RegionInfo> {
    let mut map = HashMap::new();
    for line in text.lines() {
        if line.starts_with('#') || line.starts_with("provider\t") || line.trim().is_empty() {
            continue;
        }
        let mut f = line.split('\t');
        let (Some(p), Some(r), Some(c), Some(b), Some(s)) =
            (f.next(), f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        let basis = match b {
            "documented" => CountryBasis::Documented,
            "inferred" => CountryBasis::Inferred,
            _ => CountryBasis::Unknown,
        };
        let info = RegionInfo {
            provider: p.to_owned(),
            region: r.to_ascii_lowercase(),
            country: (!c.is_empty()).then(|| c.to_ascii_uppercase()),
            basis,
            source: s.to_owned(),
        };
        map.insert((info.provider.clone(), info.region.clone()), info);
    }
    map
}

/// The country of a provider's region from the checked-in table (`None`: not in the table).
pub fn region_info(provider: &str, region: &str) -> Option<&'static RegionInfo> {
    region_table().get(&(provider.to_owned(), region.to_ascii_lowercase()))
}

/// Every row of the region table.
pub fn regions() -> impl Iterator<Item = &'static RegionInfo> {
    region_table().values()
}

/// One published range and what its publisher says about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeEntry {
    /// The prefix, normalised (host bits cleared), e.g. `13.112.0.0/14`.
    pub prefix: String,
    /// Provider: `aws`, `gcp`, `azure`, `oci`, or the geofeed's name.
    pub provider: String,
    /// The provider's service tag (`EC2`, `Google Cloud`, `AzureCloud`, `OCI`), when given.
    pub service: Option<String>,
    /// The provider's region code (lower case); for geofeeds the ISO 3166-2 region, if given.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country of the range; `None` when the region's location is unknown.
    pub country: Option<String>,
    /// Where `country` comes from.
    pub country_basis: CountryBasis,
    /// For geofeeds: the city column, when given.
    pub city: Option<String>,
    /// The file (name only) the range was read from.
    pub source: String,
    /// Where in the file: `line N` (geofeed) or a JSON path such as `$.prefixes[12]`.
    pub location: String,
}

/// What loading one range file gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeFileSummary {
    /// The file's name.
    pub file: String,
    /// The detected format.
    pub format: RangeFormat,
    /// Ranges added (after removing duplicates of the same prefix, provider and region).
    pub ranges: usize,
    /// Ranges whose region is not in the region table (kept, with an unknown country).
    pub unknown_regions: usize,
    /// The file's own version stamp when it has one (`syncToken`, `changeNumber`,
    /// `creationTime`, `last_updated_timestamp`).
    pub version: Option<String>,
}

/// Network bits, length, provider, region, country: one range once.
type DedupKey = (u128, u8, String, Option<String>, Option<String>);

/// A longest-prefix-match index over provider ranges from any number of files.
#[derive(Debug, Default)]
pub struct RangeIndex {
    entries: Vec<RangeEntry>,
    /// Prefix length (mapped space) → network bits → entry indices; sorted by length.
    by_len: Vec<(u8, HashMap<u128, Vec<u32>>)>,
    seen: HashSet<DedupKey>,
}

impl RangeIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of ranges held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no range is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Load a range file (format detected). Geofeed ranges are attributed to `provider` or,
    /// without it, to the file's stem.
    pub fn load_file(
        &mut self,
        path: &Path,
        provider: Option<&str>,
    ) -> Result<RangeFileSummary, Error> {
        let bytes = read_bounded(path, MAX_FILE_BYTES)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let stem = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone());
        self.load_bytes(&name, &bytes, Some(provider.unwrap_or(&stem)))
    }

    /// Load range data from memory; `name` names the source in errors and entries.
    pub fn load_bytes(
        &mut self,
        name: &str,
        bytes: &[u8],
        geofeed_provider: Option<&str>,
    ) -> Result<RangeFileSummary, Error> {
        let text = std::str::from_utf8(bytes).map_err(|e| Error::Parse {
            file: name.to_owned(),
            location: format!("byte {}", e.valid_up_to()),
            message: "not UTF-8".into(),
        })?;
        let text = text.trim_start_matches('\u{feff}');
        if text.trim_start().starts_with('{') {
            let v: Value = serde_json::from_str(text).map_err(|e| Error::Parse {
                file: name.to_owned(),
                location: format!("line {} column {}", e.line(), e.column()),
                message: e.to_string(),
            })?;
            self.load_json(name, &v)
        } else {
            self.load_geofeed(name, text, geofeed_provider.unwrap_or(name))
        }
    }

    fn load_json(&mut self, name: &str, v: &Value) -> Result<RangeFileSummary, Error> {
        let perr = |location: String, message: &str| Error::Parse {
            file: name.to_owned(),
            location,
            message: message.to_owned(),
        };
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let sum = |format: RangeFormat, version: Option<String>| RangeFileSummary {
            file: name.to_owned(),
            format,
            ranges: 0,
            unknown_regions: 0,
            version,
        };
        if let Some(values) = v.get("values").and_then(Value::as_array) {
            let mut out = sum(
                RangeFormat::Azure,
                v.get("changeNumber").map(|c| c.to_string()),
            );
            for (i, tag) in values.iter().enumerate() {
                let props = tag
                    .get("properties")
                    .ok_or_else(|| perr(format!("$.values[{i}]"), "no `properties`"))?;
                let region = s(props, "region").filter(|r| !r.is_empty());
                let service = s(props, "systemService")
                    .filter(|r| !r.is_empty())
                    .or_else(|| s(tag, "name"));
                let prefixes = props
                    .get("addressPrefixes")
                    .and_then(Value::as_array)
                    .ok_or_else(|| {
                        perr(
                            format!("$.values[{i}].properties"),
                            "no `addressPrefixes` array",
                        )
                    })?;
                for (j, p) in prefixes.iter().enumerate() {
                    let loc = format!("$.values[{i}].properties.addressPrefixes[{j}]");
                    let p = p
                        .as_str()
                        .ok_or_else(|| perr(loc.clone(), "not a string"))?;
                    self.add_provider(
                        &mut out,
                        "azure",
                        p,
                        service.clone(),
                        region.clone(),
                        name,
                        loc,
                    )?;
                }
            }
            return Ok(out);
        }
        if let Some(regions) = v.get("regions").and_then(Value::as_array) {
            let mut out = sum(RangeFormat::Oracle, s(v, "last_updated_timestamp"));
            for (i, r) in regions.iter().enumerate() {
                let region = s(r, "region");
                let cidrs = r
                    .get("cidrs")
                    .and_then(Value::as_array)
                    .ok_or_else(|| perr(format!("$.regions[{i}]"), "no `cidrs` array"))?;
                for (j, c) in cidrs.iter().enumerate() {
                    let loc = format!("$.regions[{i}].cidrs[{j}]");
                    let p = s(c, "cidr").ok_or_else(|| perr(loc.clone(), "no `cidr` string"))?;
                    let service = c
                        .get("tags")
                        .and_then(Value::as_array)
                        .map(|t| {
                            t.iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join(",")
                        })
                        .filter(|t| !t.is_empty());
                    self.add_provider(&mut out, "oci", &p, service, region.clone(), name, loc)?;
                }
            }
            return Ok(out);
        }
        if let Some(prefixes) = v.get("prefixes").and_then(Value::as_array) {
            let is_aws = v.get("ipv6_prefixes").is_some()
                || prefixes
                    .first()
                    .is_some_and(|p| p.get("ip_prefix").is_some());
            let is_gcp = prefixes
                .first()
                .is_some_and(|p| p.get("ipv4Prefix").is_some() || p.get("ipv6Prefix").is_some());
            if is_aws {
                let mut out = sum(RangeFormat::Aws, s(v, "syncToken"));
                for (key, pkey) in [("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")] {
                    let Some(list) = v.get(key).and_then(Value::as_array) else {
                        continue;
                    };
                    for (i, e) in list.iter().enumerate() {
                        let loc = format!("$.{key}[{i}]");
                        let p = s(e, pkey)
                            .ok_or_else(|| perr(loc.clone(), &format!("no `{pkey}` string")))?;
                        let region = s(e, "region");
                        self.add_provider(&mut out, "aws", &p, s(e, "service"), region, name, loc)?;
                    }
                }
                return Ok(out);
            }
            if is_gcp || prefixes.is_empty() {
                let mut out = sum(
                    RangeFormat::Gcp,
                    s(v, "creationTime").or_else(|| s(v, "syncToken")),
                );
                for (i, e) in prefixes.iter().enumerate() {
                    let loc = format!("$.prefixes[{i}]");
                    let p = s(e, "ipv4Prefix")
                        .or_else(|| s(e, "ipv6Prefix"))
                        .ok_or_else(|| {
                            perr(loc.clone(), "no `ipv4Prefix` or `ipv6Prefix` string")
                        })?;
                    self.add_provider(
                        &mut out,
                        "gcp",
                        &p,
                        s(e, "service"),
                        s(e, "scope"),
                        name,
                        loc,
                    )?;
                }
                return Ok(out);
            }
        }
        Err(Error::UnknownFormat {
            file: name.to_owned(),
            message: "JSON, but not AWS (`prefixes[].ip_prefix`), Google Cloud \
                      (`prefixes[].ipv4Prefix`), Azure (`values[]`) or Oracle (`regions[]`)"
                .into(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn add_provider(
        &mut self,
        out: &mut RangeFileSummary,
        provider: &str,
        prefix: &str,
        service: Option<String>,
        region: Option<String>,
        file: &str,
        location: String,
    ) -> Result<(), Error> {
        let p = Prefix::parse(prefix).ok_or_else(|| Error::Parse {
            file: file.to_owned(),
            location: location.clone(),
            message: format!("not an IP prefix: {prefix:?}"),
        })?;
        let region = region.map(|r| r.to_ascii_lowercase());
        let info = region.as_deref().and_then(|r| region_info(provider, r));
        if info.is_none() {
            out.unknown_regions += 1;
        }
        let entry = RangeEntry {
            prefix: p.to_string(),
            provider: provider.to_owned(),
            service,
            region,
            country: info.and_then(|i| i.country.clone()),
            country_basis: info.map_or(CountryBasis::Unknown, |i| i.basis),
            city: None,
            source: file.to_owned(),
            location,
        };
        if self.insert(p, entry) {
            out.ranges += 1;
        }
        Ok(())
    }

    fn load_geofeed(
        &mut self,
        name: &str,
        text: &str,
        provider: &str,
    ) -> Result<RangeFileSummary, Error> {
        let mut out = RangeFileSummary {
            file: name.to_owned(),
            format: RangeFormat::Geofeed,
            ranges: 0,
            unknown_regions: 0,
            version: None,
        };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut f = line.split(',').map(str::trim);
            let prefix = f.next().unwrap_or_default();
            let p = Prefix::parse(prefix).ok_or_else(|| {
                if out.ranges == 0 {
                    Error::UnknownFormat {
                        file: name.to_owned(),
                        message: format!(
                            "not JSON, and line {} is not an RFC 8805 geofeed row",
                            i + 1
                        ),
                    }
                } else {
                    Error::Parse {
                        file: name.to_owned(),
                        location: format!("line {}", i + 1),
                        message: format!("not an IP prefix: {prefix:?}"),
                    }
                }
            })?;
            let country = f
                .next()
                .filter(|c| !c.is_empty())
                .map(str::to_ascii_uppercase);
            if let Some(c) = &country
                && (c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()))
            {
                return Err(Error::Parse {
                    file: name.to_owned(),
                    location: format!("line {}", i + 1),
                    message: format!("not an ISO 3166-1 alpha-2 code: {c:?}"),
                });
            }
            let region = f.next().filter(|c| !c.is_empty()).map(str::to_owned);
            let city = f.next().filter(|c| !c.is_empty()).map(str::to_owned);
            if country.is_none() {
                out.unknown_regions += 1;
            }
            let entry = RangeEntry {
                prefix: p.to_string(),
                provider: provider.to_owned(),
                service: None,
                region,
                country_basis: if country.is_some() {
                    CountryBasis::Geofeed
                } else {
                    CountryBasis::Unknown
                },
                country,
                city,
                source: name.to_owned(),
                location: format!("line {}", i + 1),
            };
            if self.insert(p, entry) {
                out.ranges += 1;
            }
        }
        Ok(out)
    }

    fn insert(&mut self, p: Prefix, entry: RangeEntry) -> bool {
        let key = (
            p.bits,
            p.len,
            entry.provider.clone(),
            entry.region.clone(),
            entry.country.clone(),
        );
        if !self.seen.insert(key) {
            return false;
        }
        let Ok(idx) = u32::try_from(self.entries.len()) else {
            return false;
        };
        self.entries.push(entry);
        let pos = match self.by_len.binary_search_by(|(l, _)| l.cmp(&p.len)) {
            Ok(pos) => pos,
            Err(pos) => {
                self.by_len.insert(pos, (p.len, HashMap::new()));
                pos
            }
        };
        if let Some((_, m)) = self.by_len.get_mut(pos) {
            m.entry(p.bits).or_default().push(idx);
        }
        true
    }

    /// The ranges of the longest prefix holding `ip` (several when more than one file or
    /// region publishes the same prefix); empty when no range holds it.
    pub fn lookup(&self, ip: IpAddr) -> Vec<&RangeEntry> {
        let bits = addr_bits(ip);
        // Longest first: `by_len` is sorted by ascending length.
        for (len, map) in self.by_len.iter().rev() {
            if let Some(ids) = map.get(&(bits & mask(*len))) {
                return ids
                    .iter()
                    .filter_map(|i| self.entries.get(*i as usize))
                    .collect();
            }
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_table_is_well_formed() {
        let t = parse_region_table(REGIONS_TSV);
        assert!(t.len() > 200);
        assert_eq!(
            region_info("aws", "ap-northeast-1")
                .unwrap()
                .country
                .as_deref(),
            Some("JP")
        );
        assert_eq!(
            region_info("azure", "JapanEast")
                .unwrap()
                .country
                .as_deref(),
            Some("JP")
        );
        assert!(region_info("aws", "me-west-1").unwrap().country.is_none());
        // The regions whose country is read from the name only: weaker evidence (see
        // `verdict`: they never verify).
        let inferred: Vec<_> = t
            .values()
            .filter(|r| r.basis == CountryBasis::Inferred)
            .collect();
        assert_eq!(inferred.len(), 32);
        assert!(inferred.iter().all(|r| r.country.is_some()));
        for r in t.values() {
            assert!(r.source.starts_with("https://"), "{r:?}");
            if let Some(c) = &r.country {
                assert_eq!(c.len(), 2);
            }
        }
    }

    #[test]
    fn ranges_of_inferred_regions_say_so() {
        let mut idx = RangeIndex::new();
        let tags = r#"{"changeNumber": 1, "values": [
            {"name": "AzureCloud.switzerlandn", "properties": {"region": "switzerlandn",
             "systemService": "", "addressPrefixes": ["198.51.100.0/24"]}},
            {"name": "AzureCloud.switzerlandnorth", "properties": {"region": "switzerlandnorth",
             "systemService": "", "addressPrefixes": ["203.0.113.0/24"]}}]}"#;
        idx.load_bytes("tags.json", tags.as_bytes(), None).unwrap();
        let m = idx.lookup("198.51.100.1".parse().unwrap());
        assert_eq!(
            (m[0].country.as_deref(), m[0].country_basis),
            (Some("CH"), CountryBasis::Inferred)
        );
        let m = idx.lookup("203.0.113.1".parse().unwrap());
        assert_eq!(
            (m[0].country.as_deref(), m[0].country_basis),
            (Some("CH"), CountryBasis::Documented)
        );
    }

    #[test]
    fn longest_match_wins() {
        let mut idx = RangeIndex::new();
        let feed = "192.0.2.0/24,US,US-CA,,\n192.0.2.128/25,JP,JP-13,Tokyo,\n";
        let s = idx
            .load_bytes("feed.csv", feed.as_bytes(), Some("acme"))
            .unwrap();
        assert_eq!(s.ranges, 2);
        let m = idx.lookup("192.0.2.200".parse().unwrap());
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].country.as_deref(), Some("JP"));
        let m = idx.lookup("192.0.2.1".parse().unwrap());
        assert_eq!(m[0].country.as_deref(), Some("US"));
        assert!(idx.lookup("198.51.100.1".parse().unwrap()).is_empty());
    }
}

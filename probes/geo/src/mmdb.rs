//! Geolocation databases in the MaxMind DB format (`.mmdb`), read with `maxminddb`.
//!
//! Layouts read (detected by decoding the file's first records, up to [`DETECT_RECORDS`] in
//! tree order, until one has a known shape; not from the `database_type` string, which
//! builders set freely):
//! - MaxMind GeoIP2/GeoLite2 Country and City, and DB-IP's MaxMind-compatible builds:
//!   `country.iso_code`, `registered_country.iso_code`, `city.names.en`,
//!   `location.latitude/longitude`;
//! - MaxMind GeoIP2/GeoLite2 ASN: `autonomous_system_number`, `autonomous_system_organization`;
//! - the flat layouts of the ip-location-db builds: `country_code` (country), and
//!   `country_code, city, latitude, longitude, ...` (city).
//!
//! Decoding a flat file as a GeoIP2 Country "succeeds" with `iso_code = None`; this module
//! reads both shapes from a generic decode and refuses a file whose records have neither
//! ([`Error::UnknownLayout`], naming the file). A database's build date comes from
//! `build_epoch`; it is flagged stale when older than [`STALE_AFTER_DAYS`] at the `now` the
//! caller gives (the crate never reads the clock itself).

use std::net::IpAddr;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use maxminddb::{Reader, WithinOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Error;
use crate::prefix::{MAX_FILE_BYTES, read_bounded};

/// A database older than this many days (build date to `now`) is flagged `stale`.
pub const STALE_AFTER_DAYS: u64 = 90;

/// The record layout of a database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DbLayout {
    /// MaxMind GeoIP2/GeoLite2 Country (or DB-IP Country): `country.iso_code`.
    Geoip2Country,
    /// MaxMind GeoIP2/GeoLite2 City (or DB-IP City): `country.iso_code`, `city.names`,
    /// `location`.
    Geoip2City,
    /// MaxMind GeoIP2/GeoLite2 ASN: `autonomous_system_number`, `..._organization`.
    Asn,
    /// ip-location-db flat country: `country_code`.
    FlatCountry,
    /// ip-location-db flat city: `country_code`, `city`, `latitude`, `longitude`.
    FlatCity,
}

impl DbLayout {
    /// Whether records of this layout carry a country.
    pub const fn has_country(self) -> bool {
        !matches!(self, Self::Asn)
    }
}

/// What is known about one open database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbInfo {
    /// The file's name (no directory), used to name the database in evidence.
    pub file: String,
    /// `database_type` from the file's metadata (e.g. `GeoLite2-Country`, `country ipvAll`).
    pub database_type: String,
    /// The layout detected from the records.
    pub layout: DbLayout,
    /// IP version of the search tree (4 or 6).
    pub ip_version: u16,
    /// Build time, seconds since the Unix epoch (metadata `build_epoch`).
    pub build_epoch: u64,
    /// Build time as RFC 3339 (UTC).
    pub build_date: String,
    /// Whole days from the build to the `now` the caller gave (0 if built in the future).
    pub age_days: u64,
    /// Whether `age_days` exceeds [`STALE_AFTER_DAYS`].
    pub stale: bool,
    /// Number of nodes in the search tree.
    pub node_count: u32,
}

/// One database's answer for one address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbAnswer {
    /// The database's file name.
    pub database: String,
    /// The network of the record that matched, e.g. `203.0.113.0/24`.
    pub network: Option<String>,
    /// ISO 3166-1 alpha-2 country (`country_code`, else `country.iso_code`).
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 country where the network is registered (`registered_country`).
    pub registered_country: Option<String>,
    /// City name (`city` or `city.names.en`).
    pub city: Option<String>,
    /// Latitude, degrees (WGS 84).
    pub latitude: Option<f64>,
    /// Longitude, degrees (WGS 84).
    pub longitude: Option<f64>,
    /// Autonomous system number.
    pub asn: Option<u32>,
    /// Autonomous system organisation.
    pub as_org: Option<String>,
}

/// An open `.mmdb` database.
pub struct GeoDb {
    reader: Reader<Vec<u8>>,
    file: String,
    layout: DbLayout,
}

impl std::fmt::Debug for GeoDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoDb")
            .field("file", &self.file)
            .field("layout", &self.layout)
            .finish_non_exhaustive()
    }
}

impl GeoDb {
    /// Open a database file (at most 256 MiB) and detect its layout.
    pub fn open(path: &Path) -> Result<Self, Error> {
        let bytes = read_bounded(path, MAX_FILE_BYTES)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Self::from_bytes(&name, bytes)
    }

    /// Open a database held in memory; `name` names it in errors and evidence.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Self, Error> {
        let merr = |e: maxminddb::MaxMindDbError| Error::Mmdb {
            file: name.to_owned(),
            message: e.to_string(),
        };
        let reader = Reader::from_source(bytes).map_err(merr)?;
        let layout = detect_layout(&reader)
            .map_err(merr)?
            .ok_or_else(|| Error::UnknownLayout {
                file: name.to_owned(),
                database_type: reader.metadata().database_type.clone(),
            })?;
        Ok(Self {
            reader,
            file: name.to_owned(),
            layout,
        })
    }

    /// The file name.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The detected layout.
    pub fn layout(&self) -> DbLayout {
        self.layout
    }

    /// Metadata, build date and staleness relative to `now`.
    pub fn info(&self, now: SystemTime) -> DbInfo {
        let m = self.reader.metadata();
        let built = UNIX_EPOCH + Duration::from_secs(m.build_epoch);
        let age_days = now
            .duration_since(built)
            .map(|d| d.as_secs() / 86_400)
            .unwrap_or(0);
        DbInfo {
            file: self.file.clone(),
            database_type: m.database_type.clone(),
            layout: self.layout,
            ip_version: m.ip_version,
            build_epoch: m.build_epoch,
            build_date: rfc3339(m.build_epoch),
            age_days,
            stale: age_days > STALE_AFTER_DAYS,
            node_count: m.node_count,
        }
    }

    /// Look `ip` up. `Ok(None)`: the database has no record for it.
    pub fn lookup(&self, ip: IpAddr) -> Result<Option<DbAnswer>, Error> {
        let merr = |e: maxminddb::MaxMindDbError| Error::Mmdb {
            file: self.file.clone(),
            message: e.to_string(),
        };
        // An IPv6 address in an IPv4-only tree has no record.
        if self.reader.metadata().ip_version == 4 && ip.is_ipv6() {
            match ip {
                IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                    Some(v4) => return self.lookup(IpAddr::V4(v4)),
                    None => return Ok(None),
                },
                IpAddr::V4(_) => {}
            }
        }
        let r = self.reader.lookup(ip).map_err(merr)?;
        if !r.has_data() {
            return Ok(None);
        }
        let network = r.network().ok().map(|n| n.to_string());
        let Some(v) = with_stack(|| r.decode::<Record>())
            .map_err(merr)?
            .map(|r| r.0)
        else {
            return Ok(None);
        };
        let mut a = extract(&v);
        a.database = self.file.clone();
        a.network = network;
        Ok(Some(a))
    }
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for k in path {
        cur = cur.get(k)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

fn iso(s: Option<&str>) -> Option<String> {
    s.filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase)
}

/// Read every field this crate knows from a decoded record, whatever the layout.
fn extract(v: &Value) -> DbAnswer {
    let country =
        iso(str_at(v, &["country_code"])).or_else(|| iso(str_at(v, &["country", "iso_code"])));
    let registered_country = iso(str_at(v, &["registered_country", "iso_code"]));
    let city = str_at(v, &["city"])
        .or_else(|| str_at(v, &["city", "names", "en"]))
        .map(str::to_owned);
    let num = |p: &[&str]| {
        let mut cur = v;
        for k in p {
            cur = cur.get(k)?;
        }
        cur.as_f64()
            .or_else(|| cur.as_str().and_then(|s| s.parse().ok()))
    };
    let latitude = num(&["latitude"]).or_else(|| num(&["location", "latitude"]));
    let longitude = num(&["longitude"]).or_else(|| num(&["location", "longitude"]));
    let asn = v
        .get("autonomous_system_number")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok());
    let as_org = str_at(v, &["autonomous_system_organization"]).map(str::to_owned);
    DbAnswer {
        database: String::new(),
        network: None,
        country,
        registered_country,
        city,
        latitude,
        longitude,
        asn,
        as_org,
    }
}

fn layout_of(v: &Value) -> Option<DbLayout> {
    let has = |k: &str| v.get(k).is_some();
    if str_at(v, &["country_code"]).is_some() || (has("country_code") && !has("country")) {
        return Some(if has("city") || has("latitude") {
            DbLayout::FlatCity
        } else {
            DbLayout::FlatCountry
        });
    }
    if str_at(v, &["country", "iso_code"]).is_some()
        || str_at(v, &["registered_country", "iso_code"]).is_some()
    {
        return Some(if has("city") || has("location") {
            DbLayout::Geoip2City
        } else {
            DbLayout::Geoip2Country
        });
    }
    if has("autonomous_system_number") {
        return Some(DbLayout::Asn);
    }
    None
}

/// Records decoded, in tree order, to detect a database's layout.
pub const DETECT_RECORDS: usize = 64;

/// Decode the first [`DETECT_RECORDS`] records of the tree until one shows a known layout;
/// records of another shape (an empty map, a placeholder a builder wrote for reserved space)
/// are skipped. `None`: none of them shows a layout this crate reads.
fn detect_layout(reader: &Reader<Vec<u8>>) -> Result<Option<DbLayout>, maxminddb::MaxMindDbError> {
    for item in reader
        .networks(WithinOptions::default())?
        .take(DETECT_RECORDS)
    {
        let r = item?;
        if let Some(Record(v)) = with_stack(|| r.decode::<Record>())?
            && let Some(l) = layout_of(&v)
        {
            return Ok(Some(l));
        }
    }
    Ok(None)
}

/// The stack kept free for decoding one record. maxminddb follows pointers and containers
/// recursively, up to 512 levels, and a corrupt file (a pointer chain; the `geo_ranges` fuzz
/// corpus keeps one as `mmdb-deep-nesting`) reaches that: more than a 2 MiB thread stack (a
/// tokio worker's) holds in a debug build. With less than this left, the decoding runs on a
/// fresh stack twice this size.
const DECODE_RED_ZONE: usize = 8 << 20;

/// Run `f` (one record's decoding) with at least [`DECODE_RED_ZONE`] of stack.
fn with_stack<T>(f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(DECODE_RED_ZONE, 2 * DECODE_RED_ZONE, f)
}

/// The deepest nesting of maps and arrays decoded from a record. The layouts read here are at
/// most three levels deep (`city.names.en`); maxminddb itself allows 512 (pointers included),
/// and a record built from a corrupt file that deep is only memory spent on garbage.
pub const MAX_RECORD_DEPTH: usize = 32;

/// A record decoded as JSON, at most [`MAX_RECORD_DEPTH`] maps and arrays deep; deeper data
/// is a decoding error (the database is corrupt), never a stack overflow.
struct Record(Value);

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::DeserializeSeed::deserialize(Bounded(MAX_RECORD_DEPTH), d).map(Record)
    }
}

/// Decodes a value as `serde_json::Value` does, with `.0` more levels of nesting allowed.
#[derive(Clone, Copy)]
struct Bounded(usize);

impl Bounded {
    fn inner<E: serde::de::Error>(self) -> Result<Self, E> {
        match self.0.checked_sub(1) {
            Some(left) => Ok(Self(left)),
            None => Err(E::custom(format!(
                "a record nested deeper than {MAX_RECORD_DEPTH} levels; the database is likely corrupt"
            ))),
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Bounded {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Bounded {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a MaxMind DB value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        serde_json::Number::deserialize(serde::de::value::I128Deserializer::<E>::new(v))
            .map(Value::Number)
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        serde_json::Number::deserialize(serde::de::value::U128Deserializer::<E>::new(v))
            .map(Value::Number)
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.inner()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.inner()?;
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(inner)?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// Seconds since the Unix epoch as RFC 3339 UTC (`1970-01-01T00:00:00Z` if unrepresentable).
pub fn rfc3339(epoch_secs: u64) -> String {
    i64::try_from(epoch_secs)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_country_shapes() {
        let flat = json!({"country_code": "jp"});
        assert_eq!(layout_of(&flat), Some(DbLayout::FlatCountry));
        assert_eq!(extract(&flat).country.as_deref(), Some("JP"));
        let g = json!({"country": {"iso_code": "US", "names": {"en": "United States"}},
                       "registered_country": {"iso_code": "US"}});
        assert_eq!(layout_of(&g), Some(DbLayout::Geoip2Country));
        assert_eq!(extract(&g).country.as_deref(), Some("US"));
        let asn = json!({"autonomous_system_number": 16509, "autonomous_system_organization": "AMAZON-02"});
        assert_eq!(layout_of(&asn), Some(DbLayout::Asn));
        assert_eq!(extract(&asn).asn, Some(16509));
        assert_eq!(layout_of(&json!({"foo": 1})), None);
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_781_725_860), "2026-06-17T19:51:00Z");
    }

    /// A database whose first `unknown` records (10.0.N.0/24, tree order) have no known
    /// shape, followed by one flat-country record (203.0.113.0/24 → JP).
    fn db_with_leading_unknown_records(unknown: u8) -> Vec<u8> {
        let mut w = mmdb_writer::Writer::builder("country ipvAll").build();
        for n in 0..unknown {
            let net: ipnet::IpNet = format!("10.0.{n}.0/24").parse().unwrap();
            // Distinct values, so the writer cannot merge neighbouring networks.
            w.insert(net, &json!({ "colour": n })).unwrap();
        }
        let net: ipnet::IpNet = "203.0.113.0/24".parse().unwrap();
        w.insert(net, &json!({"country_code": "JP"})).unwrap();
        w.to_bytes().unwrap()
    }

    #[test]
    fn layout_detection_reads_up_to_64_records() {
        // Regression (residency audit): detection gave up at the first record of an unknown
        // shape, though it promises up to 64 records.
        let db = GeoDb::from_bytes("mixed.mmdb", db_with_leading_unknown_records(1)).unwrap();
        assert_eq!(db.layout(), DbLayout::FlatCountry);
        let db = GeoDb::from_bytes("mixed.mmdb", db_with_leading_unknown_records(63)).unwrap();
        assert_eq!(db.layout(), DbLayout::FlatCountry);
        assert_eq!(
            db.lookup("203.0.113.9".parse().unwrap())
                .unwrap()
                .unwrap()
                .country
                .as_deref(),
            Some("JP")
        );
        // The 65th record is beyond the window: the file is refused, naming it.
        let e = GeoDb::from_bytes("mixed.mmdb", db_with_leading_unknown_records(64)).unwrap_err();
        assert!(
            matches!(&e, Error::UnknownLayout { file, .. } if file == "mixed.mmdb"),
            "{e}"
        );
    }
}

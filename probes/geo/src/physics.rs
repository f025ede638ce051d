//! Latency physics: a round trip cannot beat light in fibre, so the minimum TCP connect RTT
//! from a vantage of known location bounds the distance to the peer, and with it the
//! countries the peer can be in.
//!
//! - Distance bound: `d_max = rtt_min / 2 × v`, with `v` = [`FIBRE_KM_PER_MS`] (200 km/ms:
//!   light in silica fibre, group index ≈ 1.47–1.50, i.e. about 2/3 of c = 299.79 km/ms;
//!   the constant used by constraint-based geolocation, Gueye et al., "Constraint-Based
//!   Geolocation of Internet Hosts", IEEE/ACM ToN 14(6), 2006). Fibre with index 1.468 carries
//!   204 km/ms, and paths are never straight, so the bound is grown by a relative slack
//!   ([`Physics::slack_ratio`], 3 %) and a fixed one ([`Physics::slack_km`], 100 km, for
//!   geometry generalisation and a vantage given to a city) before ruling anything out.
//! - Country geometry: `data/countries.tsv`, boxes covering every part of each country, made
//!   from Natural Earth 1:50m admin-0 (public domain) by `scripts/gen_countries.py`. The
//!   minimum great-circle distance from a point to a latitude/longitude box is computed
//!   exactly (see [`distance_to_box_km`]), so the distance to a country is never
//!   overestimated: a country is ruled out only when every one of its boxes is farther than
//!   the bound. Countries without geometry (Antarctica, and codes not in the table) are never
//!   ruled out.
//! - A country is *confirmed* by physics only when it is the one country the disc can reach.
//!
//! Several vantages: each gives a disc; the peer must lie in their intersection, so a country
//! is ruled out when any vantage rules it out.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::Error;

/// Light in fibre, km per millisecond (one way): about 2/3 of c.
pub const FIBRE_KM_PER_MS: f64 = 200.0;
/// Mean Earth radius, km (IUGG).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;
/// The checked-in country geometry (TSV: country, lat_min, lat_max, lon_min, lon_max).
pub const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");

/// A measurement vantage: a name and where it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vantage {
    /// The vantage's name (e.g. `tokyo-1`).
    pub name: String,
    /// Latitude, degrees north (WGS 84), in [-90, 90].
    pub lat: f64,
    /// Longitude, degrees east (WGS 84), in [-180, 180].
    pub lon: f64,
}

impl Vantage {
    /// Parse `NAME@LAT,LON` (e.g. `tokyo@35.68,139.69`). The name is 1–64 characters of
    /// letters, digits, `-`, `_`, `.`; the coordinates must be finite and in range.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bad = |m: &str| Error::Vantage {
            input: s.to_owned(),
            message: m.to_owned(),
        };
        let (name, coords) = s
            .split_once('@')
            .ok_or_else(|| bad("expected NAME@LAT,LON"))?;
        if name.is_empty()
            || name.len() > 64
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        {
            return Err(bad("the name must be 1-64 of A-Z a-z 0-9 - _ ."));
        }
        let (lat, lon) = coords
            .split_once(',')
            .ok_or_else(|| bad("expected LAT,LON after @"))?;
        let lat: f64 = lat
            .trim()
            .parse()
            .map_err(|_| bad("latitude is not a number"))?;
        let lon: f64 = lon
            .trim()
            .parse()
            .map_err(|_| bad("longitude is not a number"))?;
        Self::new(name, lat, lon)
            .map_err(|_| bad("latitude must be in [-90, 90] and longitude in [-180, 180]"))
    }

    /// A vantage from coordinates, validated.
    pub fn new(name: &str, lat: f64, lon: f64) -> Result<Self, Error> {
        if !(lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon))
        {
            return Err(Error::Vantage {
                input: format!("{name}@{lat},{lon}"),
                message: "coordinates out of range".into(),
            });
        }
        Ok(Self {
            name: name.to_owned(),
            lat,
            lon,
        })
    }
}

/// Great-circle distance between two points (degrees), km (haversine, spherical Earth).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// A latitude/longitude box, degrees (`lon_min <= lon_max`; nothing crosses the antimeridian).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeoBox {
    /// Southern edge.
    pub lat_min: f64,
    /// Northern edge.
    pub lat_max: f64,
    /// Western edge.
    pub lon_min: f64,
    /// Eastern edge.
    pub lon_max: f64,
}

/// Angular difference of two longitudes, degrees in [0, 180].
fn lon_diff(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    if d > 180.0 { 360.0 - d } else { d }
}

/// Minimum great-circle distance from a point to a meridian segment (lon, lat in [a, b]), km.
/// On the meridian's great circle `cos d(t) = sin φ sin t + cos φ cos Δλ cos t`, a sinusoid
/// in `t` with its maximum at `t* = atan2(sin φ, cos φ cos Δλ)`; over `[a, b]` the maximum of
/// `cos d` is at `clamp(t*)` or at an end, so the minimum distance is among those three.
fn distance_to_meridian_km(lat: f64, lon: f64, m_lon: f64, a: f64, b: f64) -> f64 {
    let phi = lat.to_radians();
    let dl = lon_diff(lon, m_lon).to_radians();
    let t_star = phi.sin().atan2(phi.cos() * dl.cos()).to_degrees();
    [t_star.max(a).min(b), a, b]
        .into_iter()
        .map(|t| distance_km(lat, lon, t, m_lon))
        .fold(f64::INFINITY, f64::min)
}

/// Exact minimum great-circle distance from a point to a box, km (0 inside).
///
/// If the point's longitude is within the box's, the nearest point is on the same meridian
/// (distance to the nearer latitude edge). Otherwise it lies on the west or east edge
/// meridian (the edges along parallels are never nearer than an end of them, and those ends
/// are on the meridian edges): the minimum of the two meridian-segment distances.
pub fn distance_to_box_km(lat: f64, lon: f64, b: &GeoBox) -> f64 {
    let in_lon = b.lon_max - b.lon_min >= 360.0
        || lon_diff(lon, (b.lon_min + b.lon_max) / 2.0) <= (b.lon_max - b.lon_min) / 2.0;
    if in_lon {
        if lat < b.lat_min {
            return (b.lat_min - lat).to_radians() * EARTH_RADIUS_KM;
        }
        if lat > b.lat_max {
            return (lat - b.lat_max).to_radians() * EARTH_RADIUS_KM;
        }
        return 0.0;
    }
    distance_to_meridian_km(lat, lon, b.lon_min, b.lat_min, b.lat_max).min(distance_to_meridian_km(
        lat, lon, b.lon_max, b.lat_min, b.lat_max,
    ))
}

/// The country geometry table: country (ISO 3166-1 alpha-2) → boxes.
pub fn countries() -> &'static BTreeMap<String, Vec<GeoBox>> {
    static TABLE: OnceLock<BTreeMap<String, Vec<GeoBox>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: BTreeMap<String, Vec<GeoBox>> = BTreeMap::new();
        for line in COUNTRIES_TSV.lines() {
            if line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let (Some(cc), Some(a), Some(b), Some(c), Some(d)) =
                (f.first(), f.get(1), f.get(2), f.get(3), f.get(4))
            else {
                continue;
            };
            let (Ok(a), Ok(b), Ok(c), Ok(d)) = (
                a.parse::<f64>(),
                b.parse::<f64>(),
                c.parse::<f64>(),
                d.parse::<f64>(),
            ) else {
                continue;
            };
            if !(a <= b && c <= d) {
                continue;
            }
            map.entry((*cc).to_owned()).or_default().push(GeoBox {
                lat_min: a,
                lat_max: b,
                lon_min: c,
                lon_max: d,
            });
        }
        map
    })
}

/// Minimum distance from a point to a country, km; `None` when the table has no geometry for
/// it. Never more than the true distance to the country's Natural Earth 1:50m outline.
pub fn distance_to_country_km(lat: f64, lon: f64, country: &str) -> Option<f64> {
    let boxes = countries().get(&country.to_ascii_uppercase())?;
    Some(
        boxes
            .iter()
            .map(|b| distance_to_box_km(lat, lon, b))
            .fold(f64::INFINITY, f64::min),
    )
}

/// Physics parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Physics {
    /// Signal speed, km per ms one way. Default [`FIBRE_KM_PER_MS`].
    pub km_per_ms: f64,
    /// Relative slack added to the distance bound before ruling out. Default 0.03.
    pub slack_ratio: f64,
    /// Fixed slack added to the distance bound before ruling out, km. Default 100.
    pub slack_km: f64,
}

impl Default for Physics {
    fn default() -> Self {
        Self {
            km_per_ms: FIBRE_KM_PER_MS,
            slack_ratio: 0.03,
            slack_km: 100.0,
        }
    }
}

/// One vantage's minimum RTT to an address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RttSample {
    /// The vantage.
    pub vantage: Vantage,
    /// The minimum TCP connect round-trip time seen from it, ms.
    pub rtt_min_ms: f64,
}

/// What physics says about one address and a declared country.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhysicsFinding {
    /// The declared country examined (ISO 3166-1 alpha-2).
    pub declared: String,
    /// Per vantage: the distance bound used, km (`rtt_min/2 × km_per_ms`, before slack).
    pub discs: Vec<Disc>,
    /// Whether the declared country can hold the address (inside every disc, with slack).
    /// `true` also when the country has no geometry (never ruled out).
    pub declared_possible: bool,
    /// Whether the declared country is the only country of the table every disc reaches.
    pub declared_confirmed: bool,
    /// Countries of the table that no point of the disc intersection can be in.
    pub ruled_out: Vec<String>,
    /// Countries of the table every disc reaches (a superset of where the address can be).
    pub possible: Vec<String>,
}

/// One vantage's disc.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disc {
    /// The vantage's name.
    pub vantage: String,
    /// Latitude of the vantage, degrees.
    pub lat: f64,
    /// Longitude of the vantage, degrees.
    pub lon: f64,
    /// Minimum RTT, ms.
    pub rtt_min_ms: f64,
    /// Distance bound `rtt_min_ms / 2 × km_per_ms`, km.
    pub max_distance_km: f64,
    /// The bound with slack, used to rule countries out, km.
    pub max_distance_with_slack_km: f64,
    /// Minimum distance from the vantage to the declared country, km (`None`: no geometry).
    pub declared_distance_km: Option<f64>,
}

impl Physics {
    /// The distance bound of an RTT, km (no slack): `rtt_min_ms / 2 × km_per_ms`.
    pub fn max_distance_km(&self, rtt_min_ms: f64) -> f64 {
        rtt_min_ms.max(0.0) / 2.0 * self.km_per_ms
    }

    fn limit_km(&self, rtt_min_ms: f64) -> f64 {
        let d = self.max_distance_km(rtt_min_ms);
        d * (1.0 + self.slack_ratio) + self.slack_km
    }

    /// Whether `country` can hold an address `rtt_min_ms` away from `vantage` (`true` for a
    /// country without geometry).
    pub fn is_possible(&self, vantage: &Vantage, rtt_min_ms: f64, country: &str) -> bool {
        distance_to_country_km(vantage.lat, vantage.lon, country)
            .is_none_or(|d| d <= self.limit_km(rtt_min_ms))
    }

    /// The countries of the table that an address `rtt_min_ms` from `vantage` cannot be in.
    pub fn ruled_out(&self, vantage: &Vantage, rtt_min_ms: f64) -> Vec<String> {
        self.assess(
            std::slice::from_ref(&RttSample {
                vantage: vantage.clone(),
                rtt_min_ms,
            }),
            "",
        )
        .ruled_out
    }

    /// Combine the discs of every sample (their intersection) for `declared`. With no sample,
    /// nothing is ruled out and nothing confirmed.
    pub fn assess(&self, samples: &[RttSample], declared: &str) -> PhysicsFinding {
        let declared = declared.to_ascii_uppercase();
        let mut ruled_out = BTreeSet::new();
        let mut possible = BTreeSet::new();
        for (cc, boxes) in countries() {
            let out = samples.iter().any(|s| {
                let lim = self.limit_km(s.rtt_min_ms);
                boxes
                    .iter()
                    .all(|b| distance_to_box_km(s.vantage.lat, s.vantage.lon, b) > lim)
            });
            if out {
                ruled_out.insert(cc.clone());
            } else {
                possible.insert(cc.clone());
            }
        }
        let discs = samples
            .iter()
            .map(|s| Disc {
                vantage: s.vantage.name.clone(),
                lat: s.vantage.lat,
                lon: s.vantage.lon,
                rtt_min_ms: s.rtt_min_ms,
                max_distance_km: self.max_distance_km(s.rtt_min_ms),
                max_distance_with_slack_km: self.limit_km(s.rtt_min_ms),
                declared_distance_km: distance_to_country_km(
                    s.vantage.lat,
                    s.vantage.lon,
                    &declared,
                ),
            })
            .collect();
        let has_geometry = countries().contains_key(&declared);
        let declared_possible = !ruled_out.contains(&declared);
        let declared_confirmed =
            !samples.is_empty() && has_geometry && declared_possible && possible.len() == 1;
        PhysicsFinding {
            declared,
            discs,
            declared_possible,
            declared_confirmed,
            ruled_out: ruled_out.into_iter().collect(),
            possible: possible.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokyo() -> Vantage {
        Vantage::parse("tokyo@35.68,139.69").unwrap()
    }

    #[test]
    fn vantage_parse() {
        let v = tokyo();
        assert_eq!((v.name.as_str(), v.lat, v.lon), ("tokyo", 35.68, 139.69));
        for bad in [
            "tokyo", "@1,2", "a@91,0", "a@0,181", "a@x,1", "a b@1,2", "a@NaN,1", "a@1",
        ] {
            assert!(Vantage::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn distances() {
        // Tokyo - Osaka ≈ 400 km; Tokyo - New York ≈ 10,850 km.
        let d = distance_km(35.68, 139.69, 34.69, 135.50);
        assert!((390.0..410.0).contains(&d), "{d}");
        let d = distance_km(35.68, 139.69, 40.71, -74.01);
        assert!((10_800.0..10_900.0).contains(&d), "{d}");
        let b = GeoBox {
            lat_min: 10.0,
            lat_max: 20.0,
            lon_min: 10.0,
            lon_max: 20.0,
        };
        assert_eq!(distance_to_box_km(15.0, 15.0, &b), 0.0);
        let north = distance_to_box_km(21.0, 15.0, &b);
        assert!((north - 111.2).abs() < 1.0, "{north}");
        // Never more than the distance to any corner or edge point.
        for (lat, lon) in [
            (0.0, 0.0),
            (60.0, 100.0),
            (-45.0, -170.0),
            (15.0, 25.0),
            (80.0, 15.0),
        ] {
            let d = distance_to_box_km(lat, lon, &b);
            for i in 0..=20 {
                let t = 10.0 + f64::from(i) * 0.5;
                for (a, c) in [(t, 10.0), (t, 20.0), (10.0, t), (20.0, t)] {
                    assert!(d <= distance_km(lat, lon, a, c) + 1e-6, "{lat},{lon}");
                }
            }
        }
    }

    #[test]
    fn tokyo_vantage() {
        let p = Physics::default();
        let v = tokyo();
        // 2 ms: 200 km. The US is thousands of km away; Japan contains the vantage.
        assert!(!p.is_possible(&v, 2.0, "US"));
        assert!(p.is_possible(&v, 2.0, "JP"));
        let out = p.ruled_out(&v, 2.0);
        assert!(out.contains(&"US".to_owned()) && !out.contains(&"JP".to_owned()));
        let f = p.assess(
            &[RttSample {
                vantage: v.clone(),
                rtt_min_ms: 2.0,
            }],
            "JP",
        );
        assert!(
            f.declared_possible && f.declared_confirmed,
            "{:?}",
            f.possible
        );
        // 120 ms: 12,000 km. Japan not ruled out, but not confirmed either (the US is possible).
        let f = p.assess(
            &[RttSample {
                vantage: v,
                rtt_min_ms: 120.0,
            }],
            "JP",
        );
        assert!(f.declared_possible && !f.declared_confirmed);
        assert!(f.possible.contains(&"US".to_owned()));
    }

    #[test]
    fn intersection_of_vantages() {
        let p = Physics::default();
        let tokyo = tokyo();
        let frankfurt = Vantage::parse("fra@50.11,8.68").unwrap();
        // 100 ms from Tokyo (10,000 km) and 30 ms from Frankfurt (3,000 km): Japan is ruled
        // out by Frankfurt, Germany by neither, the US by Frankfurt (≥ 6,000 km), Russia by
        // neither.
        let s = [
            RttSample {
                vantage: tokyo,
                rtt_min_ms: 100.0,
            },
            RttSample {
                vantage: frankfurt,
                rtt_min_ms: 30.0,
            },
        ];
        let f = p.assess(&s, "DE");
        assert!(f.declared_possible);
        assert!(f.ruled_out.contains(&"JP".to_owned()));
        assert!(f.ruled_out.contains(&"US".to_owned()));
        assert!(!f.declared_confirmed);
        assert!(f.possible.contains(&"RU".to_owned()));
    }

    #[test]
    fn unknown_country_is_never_ruled_out() {
        let p = Physics::default();
        assert!(p.is_possible(&tokyo(), 0.1, "ZZ"));
        assert!(
            !p.assess(
                &[RttSample {
                    vantage: tokyo(),
                    rtt_min_ms: 0.1
                }],
                "ZZ"
            )
            .declared_confirmed
        );
    }

    #[test]
    fn geometry_table_covers_cloud_countries() {
        for cc in [
            "JP", "US", "SG", "HK", "BH", "IE", "DE", "AU", "BR", "ZA", "IL", "AE", "TW", "KR",
            "IN", "CH",
        ] {
            assert!(countries().contains_key(cc), "{cc}");
        }
        // Capitals lie inside their own country's boxes.
        for (cc, lat, lon) in [
            ("JP", 35.68, 139.69),
            ("US", 38.9, -77.04),
            ("SG", 1.29, 103.85),
            ("HK", 22.3, 114.17),
            ("FJ", -18.14, 178.44),
            ("RU", 64.73, 177.5),
        ] {
            assert_eq!(distance_to_country_km(lat, lon, cc), Some(0.0), "{cc}");
        }
    }
}

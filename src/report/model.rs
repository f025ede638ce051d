//! The report's data: the assessment plus the tables extracted from the evidence, shared by
//! every format (and serialised as the JSON report, see `docs/report.schema.json`).
//!
//! Extraction reads the evidence documents defensively: a field that is missing or of an
//! unexpected type gives an empty cell, never an error, because a report of a damaged or
//! partial run is still wanted.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::assess::control::{Control, Severity};
use crate::assess::doc::{RecordRef, Run, TargetDoc};
use crate::assess::eval::{Observed, Outcome};
use crate::assess::grade::{Assessment, ProviderAssessment};
use crate::assess::profile::Profile;

/// The report format's identifier (the JSON report's `schema` field).
pub const SCHEMA: &str = "kensa-report/1";

/// Everything a report shows.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// `kensa` and its version.
    pub tool: String,
    /// When the report was made (RFC 3339, UTC): the "today" of days left and the timeline.
    pub generated_at: String,
    /// The assessment, as `kensa assess --format json` gives it.
    pub assessment: Assessment,
    /// The tables extracted from the evidence and the assessment.
    pub tables: Tables,
    #[serde(skip)]
    pub(crate) now: OffsetDateTime,
}

/// The report's tables.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Tables {
    /// One row per provider.
    pub providers: Vec<ProviderRow>,
    /// One row per target.
    pub endpoints: Vec<EndpointRow>,
    /// One matrix per profile: its controls × the targets.
    pub matrix: Vec<Matrix>,
    /// One row per address (serving and name servers) `geo.residency` judged.
    pub residency: Vec<ResidencyRow>,
    /// One row per address `latency.tcp` connected to.
    pub latency: Vec<LatencyRow>,
    /// One row per distinct leaf certificate per target.
    pub certificates: Vec<CertificateRow>,
    /// Every finding, with its anchor in the evidence appendix.
    pub findings: Vec<FindingRow>,
    /// Declared vs observed: one entry per provider with a declaration (absent when none
    /// has one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declared: Vec<super::declared::DeclaredProvider>,
}

/// A provider's summary.
#[derive(Clone, Debug, Serialize)]
pub struct ProviderRow {
    /// The provider id.
    pub id: String,
    /// Its display name, from the catalog.
    pub name: Option<String>,
    /// Its declared country.
    pub declared_country: Option<String>,
    /// The profile it applies for.
    pub applies_for: Option<String>,
    /// The kensa grade (`kensa-level-N`, `none`, `inconclusive`), when the levels were assessed.
    pub grade: Option<String>,
    /// Whether it fails the profile it applies for.
    pub fails_applies_for: bool,
    /// Its targets.
    pub targets: Vec<String>,
    /// One badge per profile assessed.
    pub badges: Vec<Badge>,
}

/// A provider's verdict under one profile.
#[derive(Clone, Debug, Serialize)]
pub struct Badge {
    /// The profile id.
    pub profile: String,
    /// The profile version.
    pub version: String,
    /// The verdict.
    pub verdict: String,
    /// Passing (`true`), failing (`false`) or undecided (`null`).
    pub passed: Option<bool>,
    /// More about the verdict.
    pub detail: Option<String>,
    /// Unmet recommendations (`should`/`may` controls): counted apart from failures, they
    /// never fail the profile.
    pub warnings: usize,
    /// The trust stores whose trust counted (when the profile names trust stores).
    pub trust_stores: Option<Vec<String>>,
    /// What the profile covers of its standard, in one line (when it says).
    pub coverage: Option<String>,
}

impl Badge {
    /// What stands beside the verdict: warnings, trust stores counted, coverage.
    pub fn context(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.warnings > 0 {
            out.push(format!(
                "{} warning(s): unmet recommendations, not failures",
                self.warnings
            ));
        }
        if let Some(ts) = &self.trust_stores {
            out.push(format!(
                "trust stores counted: {}",
                if ts.is_empty() {
                    "none seen".to_owned()
                } else {
                    ts.join(", ")
                }
            ));
        }
        if let Some(c) = &self.coverage {
            out.push(format!("coverage: {c}"));
        }
        out
    }
}

/// What was seen of one target.
#[derive(Clone, Debug, Serialize)]
pub struct EndpointRow {
    /// The provider id.
    pub provider: String,
    /// The target id.
    pub target: String,
    /// The host as the catalog gives it.
    pub host: String,
    /// The port.
    pub port: Option<u64>,
    /// The addresses probed.
    pub addresses: Vec<String>,
    /// The TLS versions `tls.scan` saw accepted.
    pub tls_versions: Vec<String>,
    /// The `Server` header `http.headers` saw.
    pub server: Option<String>,
    /// The HTTP status `http.headers` saw.
    pub http_status: Option<u64>,
    /// Each probe's outcome, by probe id.
    pub probes: BTreeMap<String, String>,
}

/// One profile's controls × targets.
#[derive(Clone, Debug, Serialize)]
pub struct Matrix {
    /// The profile id.
    pub profile: String,
    /// The profile version.
    pub version: String,
    /// The columns: targets, grouped by provider.
    pub columns: Vec<Column>,
    /// The rows: the profile's controls, in profile order.
    pub rows: Vec<MatrixRow>,
}

/// A column of a matrix.
#[derive(Clone, Debug, Serialize)]
pub struct Column {
    /// The provider id.
    pub provider: String,
    /// The target id.
    pub target: String,
}

/// A control's row of a matrix.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixRow {
    /// The control id.
    pub control: String,
    /// Its title.
    pub title: String,
    /// Its severity.
    pub severity: Option<Severity>,
    /// One cell per column (`null` where the target has no finding for it).
    pub cells: Vec<Option<Cell>>,
}

/// A matrix cell.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    /// The finding's result.
    pub outcome: Outcome,
    /// The finding's anchor (see [`FindingRow::anchor`]).
    pub finding: String,
}

/// One source's say on where an address is.
#[derive(Clone, Debug, Serialize)]
pub struct SourceCountry {
    /// The source: `range:FILE#LOCATION`, `db:FILE`, `asn:FILE`, `physics`.
    pub source: String,
    /// The country it places the address in (ISO 3166-1 alpha-2), if it names one.
    pub country: Option<String>,
    /// What else it says (no record, the AS, the countries physics allows).
    pub note: Option<String>,
}

/// One address's residency.
#[derive(Clone, Debug, Serialize)]
pub struct ResidencyRow {
    /// The provider id.
    pub provider: String,
    /// The target id.
    pub target: String,
    /// `serving`, or `name-server NAME`.
    pub role: String,
    /// The address.
    pub address: String,
    /// The declared country.
    pub declared_country: Option<String>,
    /// `in-country`, `out-of-country`, `conflicting` or `unknown`.
    pub status: String,
    /// For in-country: `verified`, `consistent` or `unverified`.
    pub strength: Option<String>,
    /// The rule that decided.
    pub rule: Option<String>,
    /// Countries the evidence places it in besides the declared one.
    pub other_countries: Vec<String>,
    /// Each source's country.
    pub sources: Vec<SourceCountry>,
    /// The `geo.residency` record.
    pub record: Option<RecordRef>,
}

/// Connect times to one address.
#[derive(Clone, Debug, Serialize)]
pub struct LatencyRow {
    /// The provider id.
    pub provider: String,
    /// The target id.
    pub target: String,
    /// The address.
    pub address: String,
    /// Successful samples.
    pub samples: u64,
    /// Failed samples.
    pub failures: u64,
    /// Fastest connect, µs.
    pub min_us: Option<u64>,
    /// Median connect, µs.
    pub median_us: Option<u64>,
    /// 90th percentile, µs.
    pub p90_us: Option<u64>,
    /// Slowest connect, µs.
    pub max_us: Option<u64>,
    /// The `latency.tcp` record.
    pub record: Option<RecordRef>,
}

/// A leaf certificate's validity.
#[derive(Clone, Debug, Serialize)]
pub struct CertificateRow {
    /// The provider id.
    pub provider: String,
    /// The target id.
    pub target: String,
    /// The chains that served it (`rustls/ECDSA/TLSv1.3`, ...).
    pub chains: Vec<String>,
    /// The subject (RFC 4514).
    pub subject: String,
    /// The issuer (RFC 4514).
    pub issuer: String,
    /// The DNS names of the subject alternative name.
    pub dns_names: Vec<String>,
    /// Start of validity (RFC 3339).
    pub not_before: Option<String>,
    /// End of validity (RFC 3339).
    pub not_after: Option<String>,
    /// Whole days from the report's `generated_at` to `not_after` (negative: expired).
    pub days_left: Option<i64>,
    /// The `x509.chain` record.
    pub record: Option<RecordRef>,
}

/// One finding, with the evidence it rests on.
#[derive(Clone, Debug, Serialize)]
pub struct FindingRow {
    /// Its anchor in the evidence appendix (`f1`, `f2`, ...).
    pub anchor: String,
    /// The provider id.
    pub provider: String,
    /// The target id.
    pub target: String,
    /// The profile id.
    pub profile: String,
    /// The control id.
    pub control: String,
    /// The control's title.
    pub title: String,
    /// The control's severity.
    pub severity: Option<Severity>,
    /// The result.
    pub outcome: Outcome,
    /// Why it is inconclusive or not applicable, or the rule's error.
    pub reason: Option<String>,
    /// The control's citation was not checked against the standard's text (its clause's
    /// note), or the evidence shape it reads is provisional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
    /// The values of the control's evidence expressions (not repeated in the JSON report:
    /// the assessment's finding has them).
    #[serde(skip)]
    pub evidence: Vec<Observed>,
    /// The evidence lines it rests on.
    pub records: Vec<RecordRef>,
}

fn s(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

fn arr(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    arr(v)
        .iter()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect()
}

/// The observation of `probe` in `doc`, when the probe succeeded.
fn observation<'a>(doc: &'a TargetDoc, probe: &str) -> Option<&'a Value> {
    let p = doc.doc.get("probes")?.get(probe)?;
    if p.get("outcome").and_then(Value::as_str) != Some("success") {
        return None;
    }
    p.get("observation")
}

/// Whole days from `now` to `t` (floor).
pub fn days_between(now: OffsetDateTime, t: &str) -> Option<i64> {
    let t = OffsetDateTime::parse(t, &Rfc3339).ok()?;
    Some((t - now).whole_seconds().div_euclid(86_400))
}

/// One batch of providers' share of a report: their tables (numbered from a given finding
/// on) and their column of every profile's matrix. A whole report is one part
/// ([`Report::new`]); the streamed report ([`super::stream`]) is made of many, written as
/// they are made.
#[derive(Debug, Default)]
pub struct Part {
    /// The part's tables, all but `matrix` (see `columns` and `cells`).
    pub tables: Tables,
    /// The part's targets, as matrix columns.
    pub columns: Vec<Column>,
    /// Per profile given to [`Part::new`] (in that order), per control (in profile order):
    /// each column's finding number and result, `None` where the target has none.
    pub cells: Vec<ProfileCells>,
    /// The profiles assessed for the part's providers (id, version), in first-seen order.
    pub seen: Vec<(String, String)>,
}

/// One profile's cells in a [`Part`]: per control, per column, the finding's number and
/// result (`None` where the target has none).
pub type ProfileCells = Vec<Vec<Option<(usize, Outcome)>>>;

/// The documents of `providers`' targets, in the assessment's order, from `targets` (the
/// first document of each target id).
pub fn ordered_docs<'a>(
    targets: impl DoubleEndedIterator<Item = &'a TargetDoc>,
    providers: &[ProviderAssessment],
) -> Vec<&'a TargetDoc> {
    let by_id: HashMap<&str, &TargetDoc> = targets.rev().map(|d| (d.target.as_str(), d)).collect();
    providers
        .iter()
        .flat_map(|p| &p.targets)
        .filter_map(|id| by_id.get(id.as_str()).copied())
        .collect()
}

impl Part {
    /// The part of `providers` (judged with `profiles`), whose target documents are `docs`
    /// (in the order of [`ordered_docs`]), as of `now`; its findings are numbered from
    /// `first`.
    pub fn new(
        docs: &[&TargetDoc],
        providers: &[ProviderAssessment],
        profiles: &[&Profile],
        now: OffsetDateTime,
        first: usize,
    ) -> Self {
        let mut controls: BTreeMap<&str, &Arc<Control>> = BTreeMap::new();
        for p in profiles {
            for c in &p.controls {
                controls.entry(c.id.as_str()).or_insert(c);
            }
        }
        let mut t = Tables::default();
        for p in providers {
            t.providers.push(ProviderRow {
                id: p.provider.id.clone(),
                name: p.provider.name.clone(),
                declared_country: p.provider.declared_country.clone(),
                applies_for: p.provider.applies_for.clone(),
                grade: p.grade.clone(),
                fails_applies_for: p.fails_applies_for,
                targets: p.targets.clone(),
                badges: p
                    .profiles
                    .iter()
                    .map(|v| Badge {
                        profile: v.profile.clone(),
                        version: v.version.clone(),
                        verdict: v.verdict.clone(),
                        passed: v.passed,
                        detail: v.detail.clone(),
                        warnings: v.counts.get(&Outcome::Warning).copied().unwrap_or(0),
                        trust_stores: v.trust_stores.clone(),
                        coverage: (!v.coverage.is_empty()).then(|| v.coverage.summary()),
                    })
                    .collect(),
            });
        }
        for d in docs {
            t.endpoints.push(endpoint(d));
            residency(d, &mut t.residency);
            latency(d, &mut t.latency);
            certificates(d, now, &mut t.certificates);
        }
        t.declared = super::declared::build(docs);
        // Findings, numbered in provider, profile, target, control order. The matrix finds
        // them by (profile, target, control), borrowed from the assessment (no key copied);
        // a control's title under a profile's params is worked out once.
        let mut anchors: HashMap<(&str, &str, &str), (usize, Outcome)> = HashMap::new();
        let mut titles: HashMap<(&str, &str), String> = HashMap::new();
        let params_of = |profile: &str| {
            profiles
                .iter()
                .find(|p| p.id == profile)
                .map(|p| &p.params)
                .unwrap_or(&Value::Null)
        };
        for p in providers {
            for v in &p.profiles {
                let params = params_of(&v.profile);
                for tv in &v.targets {
                    for f in &tv.findings {
                        let n = first + t.findings.len();
                        let c = controls.get(f.control.as_str());
                        anchors.insert(
                            (v.profile.as_str(), f.target.as_str(), f.control.as_str()),
                            (n, f.result),
                        );
                        let title = titles
                            .entry((v.profile.as_str(), f.control.as_str()))
                            .or_insert_with(|| c.map(|c| c.title_with(params)).unwrap_or_default())
                            .clone();
                        t.findings.push(FindingRow {
                            anchor: format!("f{n}"),
                            provider: p.provider.id.clone(),
                            target: f.target.clone(),
                            profile: v.profile.clone(),
                            control: f.control.clone(),
                            title,
                            severity: c.map(|c| c.severity),
                            outcome: f.result,
                            reason: f.reason.clone(),
                            caveat: c.and_then(|c| c.caveat()),
                            evidence: f.evidence.clone(),
                            records: f.records.clone(),
                        });
                    }
                }
            }
        }
        let columns: Vec<Column> = docs
            .iter()
            .map(|d| Column {
                provider: d.provider.clone(),
                target: d.target.clone(),
            })
            .collect();
        let cells = profiles
            .iter()
            .map(|profile| {
                profile
                    .controls
                    .iter()
                    .map(|c| {
                        columns
                            .iter()
                            .map(|col| {
                                let key = (profile.id.as_str(), col.target.as_str(), c.id.as_str());
                                anchors.get(&key).copied()
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let mut seen: Vec<(String, String)> = Vec::new();
        for p in providers {
            for v in &p.profiles {
                if !seen.iter().any(|(id, _)| id == &v.profile) {
                    seen.push((v.profile.clone(), v.version.clone()));
                }
            }
        }
        Self {
            tables: t,
            columns,
            cells,
            seen,
        }
    }
}

impl Report {
    /// Extract the tables of `run` and its `assessment` (made with `profiles`), as of `now`.
    pub fn new(
        run: &Run,
        assessment: Assessment,
        profiles: &[&Profile],
        now: OffsetDateTime,
    ) -> Self {
        // Targets in provider order (the assessment's), then as first seen.
        let docs = ordered_docs(run.targets.iter(), &assessment.providers);
        let part = Part::new(&docs, &assessment.providers, profiles, now, 1);
        let Part {
            tables: mut t,
            columns,
            cells,
            seen,
        } = part;
        // One matrix per profile assessed for any provider, in first-seen order.
        for (id, version) in seen {
            let Some((i, profile)) = profiles.iter().enumerate().find(|(_, p)| p.id == id) else {
                continue;
            };
            let Some(cells) = cells.get(i) else { continue };
            let rows = profile
                .controls
                .iter()
                .zip(cells)
                .map(|(c, row)| MatrixRow {
                    control: c.id.clone(),
                    title: c.title_with(&profile.params),
                    severity: Some(c.severity),
                    cells: row
                        .iter()
                        .map(|cell| {
                            cell.map(|(n, outcome)| Cell {
                                outcome,
                                finding: format!("f{n}"),
                            })
                        })
                        .collect(),
                })
                .collect();
            t.matrix.push(Matrix {
                profile: id,
                version,
                columns: columns.clone(),
                rows,
            });
        }
        Self {
            schema: SCHEMA,
            tool: format!("kensa {}", env!("CARGO_PKG_VERSION")),
            generated_at: now.format(&Rfc3339).unwrap_or_default(),
            assessment,
            tables: t,
            now,
        }
    }

    /// The report's "today".
    pub fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// The findings grouped for the evidence appendix: identical findings (same target,
    /// control, result, reason, values and records) under several profiles share one entry.
    /// In first-seen order; each group is non-empty.
    pub fn appendix(&self) -> Vec<Vec<&FindingRow>> {
        let mut groups: Vec<Vec<&FindingRow>> = Vec::new();
        // (target, control) → the groups of that pair (compared in full only within it).
        let mut index: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for f in &self.tables.findings {
            let bucket = index
                .entry((f.target.as_str(), f.control.as_str()))
                .or_default();
            let same = bucket.iter().copied().find(|&i| {
                groups.get(i).and_then(|g| g.first()).is_some_and(|g| {
                    g.outcome == f.outcome
                        && g.reason == f.reason
                        && g.evidence == f.evidence
                        && g.records == f.records
                })
            });
            match same.and_then(|i| groups.get_mut(i)) {
                Some(g) => g.push(f),
                None => {
                    bucket.push(groups.len());
                    groups.push(vec![f]);
                }
            }
        }
        groups
    }

    /// The provider's display name (its name, else its id).
    pub fn provider_name(&self, id: &str) -> String {
        self.tables
            .providers
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.name.clone())
            .unwrap_or_else(|| id.to_owned())
    }
}

fn endpoint(d: &TargetDoc) -> EndpointRow {
    let target = d.doc.get("target");
    let tls = observation(d, "tls.scan");
    let http = observation(d, "http.headers").and_then(|h| h.get("response"));
    let mut probes = BTreeMap::new();
    if let Some(ps) = d.doc.get("probes").and_then(Value::as_object) {
        for (id, p) in ps {
            probes.insert(
                id.clone(),
                s(p.get("outcome")).unwrap_or_else(|| "unknown".to_owned()),
            );
        }
    }
    EndpointRow {
        provider: d.provider.clone(),
        target: d.target.clone(),
        host: s(target.and_then(|t| t.get("host"))).unwrap_or_default(),
        port: target.and_then(|t| t.get("port")).and_then(Value::as_u64),
        addresses: strings(target.and_then(|t| t.get("addresses"))),
        tls_versions: arr(tls.and_then(|t| t.get("protocols")))
            .iter()
            .filter(|p| p.get("accepted").and_then(Value::as_bool) == Some(true))
            .filter_map(|p| s(p.get("version")))
            .collect(),
        server: s(http.and_then(|h| h.get("server"))),
        http_status: http.and_then(|h| h.get("status")).and_then(Value::as_u64),
        probes,
    }
}

fn residency(d: &TargetDoc, out: &mut Vec<ResidencyRow>) {
    let Some(r) = observation(d, "geo.residency").and_then(|o| o.get("residency")) else {
        return;
    };
    let record = d.record("geo.residency");
    let row = |role: String, a: &Value| ResidencyRow {
        provider: d.provider.clone(),
        target: d.target.clone(),
        role,
        address: s(a.get("address")).unwrap_or_default(),
        declared_country: s(a.get("declared_country")),
        status: s(a.get("status")).unwrap_or_else(|| "unknown".to_owned()),
        strength: s(a.get("strength")),
        rule: s(a.get("rule")),
        other_countries: strings(a.get("other_countries")),
        sources: sources(a.get("evidence")),
        record: record.clone(),
    };
    for a in arr(r.get("addresses")) {
        out.push(row("serving".to_owned(), a));
    }
    for ns in arr(r.get("name_servers")) {
        let name = s(ns.get("name")).unwrap_or_default();
        for a in arr(ns.get("addresses")) {
            out.push(row(format!("name-server {name}"), a));
        }
    }
}

fn sources(e: Option<&Value>) -> Vec<SourceCountry> {
    let mut out = Vec::new();
    let Some(e) = e else { return out };
    for r in arr(e.get("ranges")) {
        out.push(SourceCountry {
            source: format!(
                "range:{}#{}",
                s(r.get("source")).unwrap_or_default(),
                s(r.get("location")).unwrap_or_default()
            ),
            country: s(r.get("country")),
            note: s(r.get("region")).map(|reg| format!("region {reg}")),
        });
    }
    for db in arr(e.get("databases")) {
        let answer = db.get("answer").filter(|a| !a.is_null());
        out.push(SourceCountry {
            source: format!("db:{}", s(db.get("database")).unwrap_or_default()),
            country: answer.and_then(|a| s(a.get("country"))),
            note: match answer {
                None => Some("no record".to_owned()),
                Some(a) => s(a.get("network")).map(|n| format!("network {n}")),
            },
        });
    }
    if let Some(a) = e.get("asn").filter(|a| !a.is_null()) {
        out.push(SourceCountry {
            source: format!("asn:{}", s(a.get("source")).unwrap_or_default()),
            country: None,
            note: Some(format!(
                "AS{} {}",
                a.get("asn").and_then(Value::as_u64).unwrap_or(0),
                s(a.get("org")).unwrap_or_default()
            )),
        });
    }
    if let Some(p) = e.get("physics").filter(|p| !p.is_null()) {
        let possible = strings(p.get("possible"));
        let declared_possible = p.get("declared_possible").and_then(Value::as_bool);
        out.push(SourceCountry {
            source: "physics".to_owned(),
            country: if p.get("declared_confirmed").and_then(Value::as_bool) == Some(true) {
                s(p.get("declared"))
            } else {
                None
            },
            note: Some(format!(
                "{}; reachable: {}",
                match declared_possible {
                    Some(false) => "declared country ruled out",
                    Some(true) => "declared country possible",
                    None => "no verdict",
                },
                if possible.is_empty() {
                    "-".to_owned()
                } else {
                    possible.join(" ")
                }
            )),
        });
    }
    out
}

fn latency(d: &TargetDoc, out: &mut Vec<LatencyRow>) {
    let Some(o) = observation(d, "latency.tcp") else {
        return;
    };
    let record = d.record("latency.tcp");
    for a in arr(o.get("addresses")) {
        let st = a.get("stats").filter(|x| !x.is_null());
        let n = |k: &str| st.and_then(|x| x.get(k)).and_then(Value::as_u64);
        out.push(LatencyRow {
            provider: d.provider.clone(),
            target: d.target.clone(),
            address: s(a.get("address")).unwrap_or_default(),
            samples: arr(a.get("samples_us")).len() as u64,
            failures: arr(a.get("failures")).len() as u64,
            min_us: n("min_us"),
            median_us: n("median_us"),
            p90_us: n("p90_us"),
            max_us: n("max_us"),
            record: record.clone(),
        });
    }
}

fn certificates(d: &TargetDoc, now: OffsetDateTime, out: &mut Vec<CertificateRow>) {
    let Some(o) = observation(d, "x509.chain") else {
        return;
    };
    let record = d.record("x509.chain");
    let mut rows: Vec<(String, CertificateRow)> = Vec::new();
    for chain in arr(o.get("chains")) {
        let label = s(chain.get("label")).unwrap_or_default();
        let Some(leaf) = arr(chain.get("certificates")).first() else {
            continue;
        };
        let fp = s(leaf.get("sha256")).unwrap_or_default();
        if let Some((_, row)) = rows.iter_mut().find(|(k, _)| !fp.is_empty() && k == &fp) {
            row.chains.push(label);
            continue;
        }
        let det = leaf.get("details");
        let validity = det.and_then(|x| x.get("validity"));
        let not_after = s(validity.and_then(|v| v.get("not_after")));
        rows.push((
            fp,
            CertificateRow {
                provider: d.provider.clone(),
                target: d.target.clone(),
                chains: vec![label],
                subject: s(det.and_then(|x| x.get("subject"))).unwrap_or_default(),
                issuer: s(det.and_then(|x| x.get("issuer"))).unwrap_or_default(),
                dns_names: strings(det.and_then(|x| x.get("san")).and_then(|x| x.get("dns"))),
                not_before: s(validity.and_then(|v| v.get("not_before"))),
                days_left: not_after.as_deref().and_then(|t| days_between(now, t)),
                not_after,
                record: record.clone(),
            },
        ));
    }
    out.extend(rows.into_iter().map(|(_, r)| r));
}

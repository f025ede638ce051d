//! The SARIF 2.1.0 report: one result per failed or inconclusive finding, for code-scanning
//! dashboards.
//!
//! Rule ids are control ids. A failed finding is `kind: fail` with a level from the
//! control's severity (critical and high: `error`; medium: `warning`; low and info: `note`);
//! an inconclusive one is `kind: review` with level `none`, as SARIF §3.27.9 requires for any
//! kind but `fail` (its severity stays in `properties`). The same control failing on the same
//! target under several profiles is one result naming every profile. The location is the
//! evidence line (`evidence.jsonl`, line `seq + 1`, relative to `RUN_DIR`) and the target as a
//! logical location.
//!
//! The `DECL-*` findings and the "Declared vs observed" statements are a second run of their
//! own (issue 20; see [`write_sarif`]). The log is written result by result.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::model::{FindingRow, Report};
use crate::assess::control::Severity;
use crate::assess::eval::Outcome;

/// The SARIF schema URI written in `$schema`.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF level of a failure of this severity.
pub const fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning's `security-severity` (0.0 to 10.0) of a severity.
const fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// One SARIF run's findings, grouped: (target position, target, control, outcome) → the
/// findings (one per profile).
type Groups<'a> = BTreeMap<(usize, &'a str, &'a str, Outcome), Vec<&'a FindingRow>>;

/// The SARIF log of `r` (see [`write_sarif`]).
pub fn sarif(r: &Report) -> Value {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, nor can encoding `Value`s.
    let _ = write_sarif(r, &mut out);
    serde_json::from_slice(&out).unwrap_or(Value::Null)
}

/// The SARIF log of `r`, written to `w` result by result (pretty-printed, as
/// `serde_json::to_string_pretty` of [`sarif`] would give it).
///
/// The observed controls are the first run. When the report has a "Declared vs observed"
/// section or `DECL-*` findings, those are a second run of their own (`automationDetails.id`
/// `kensa/RUN/declared`, `properties.category` `declared-vs-observed`): the `DECL-*` results
/// under their own rules, and the section's statements (agree, contradict, not observed, and
/// the facts declared but not verified) in the run's `properties.declaredVsObserved`.
pub fn write_sarif(r: &Report, w: &mut dyn std::io::Write) -> serde_json::Result<()> {
    let order: std::collections::HashMap<&str, usize> = r
        .tables
        .endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| (e.target.as_str(), i))
        .collect();
    let mut observed: Groups<'_> = BTreeMap::new();
    let mut declared: Groups<'_> = BTreeMap::new();
    for f in &r.tables.findings {
        if !matches!(
            f.outcome,
            Outcome::Fail | Outcome::Warning | Outcome::Inconclusive
        ) {
            continue;
        }
        let pos = order.get(f.target.as_str()).copied().unwrap_or(usize::MAX);
        let groups = if super::text::is_declared(f) {
            &mut declared
        } else {
            &mut observed
        };
        groups
            .entry((pos, f.target.as_str(), f.control.as_str(), f.outcome))
            .or_default()
            .push(f);
    }
    let mut runs = vec![SarifRun {
        report: r,
        groups: observed,
        id: format!("kensa/{}", r.assessment.run_id),
        properties: None,
    }];
    if !declared.is_empty() || !r.tables.declared.is_empty() {
        runs.push(SarifRun {
            report: r,
            groups: declared,
            id: format!("kensa/{}/declared", r.assessment.run_id),
            properties: Some(json!({
                "category": "declared-vs-observed",
                "declaredVsObserved": r.tables.declared,
            })),
        });
    }
    let log = SarifLog { runs };
    let mut ser = serde_json::Serializer::pretty(w);
    serde::Serialize::serialize(&log, &mut ser)
}

/// The log: keys in the order `serde_json::Value` sorts them.
struct SarifLog<'a> {
    runs: Vec<SarifRun<'a>>,
}

impl serde::Serialize for SarifLog<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("$schema", SARIF_SCHEMA)?;
        m.serialize_entry("runs", &self.runs)?;
        m.serialize_entry("version", "2.1.0")?;
        m.end()
    }
}

/// One run: its results built one at a time as they are written.
struct SarifRun<'a> {
    report: &'a Report,
    groups: Groups<'a>,
    id: String,
    properties: Option<Value>,
}

impl serde::Serialize for SarifRun<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut rule_ids: Vec<&str> = self.groups.keys().map(|(_, _, c, _)| *c).collect();
        rule_ids.sort_unstable();
        rule_ids.dedup();
        // The first finding of each rule (its title and severity).
        let mut first: BTreeMap<&str, &FindingRow> = BTreeMap::new();
        for f in &self.report.tables.findings {
            first.entry(f.control.as_str()).or_insert(f);
        }
        let rules: Vec<Value> = rule_ids
            .iter()
            .map(|id| rule(id, first.get(id).copied()))
            .collect();
        let index: BTreeMap<&str, usize> =
            rule_ids.iter().enumerate().map(|(i, r)| (*r, i)).collect();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("automationDetails", &json!({ "id": self.id }))?;
        m.serialize_entry(
            "originalUriBaseIds",
            &json!({ "RUN_DIR": { "description": { "text": "the run directory" } } }),
        )?;
        if let Some(p) = &self.properties {
            m.serialize_entry("properties", p)?;
        }
        m.serialize_entry(
            "results",
            &Results {
                groups: &self.groups,
                index: &index,
            },
        )?;
        m.serialize_entry(
            "tool",
            &json!({ "driver": {
                "name": "kensa",
                "rules": rules,
                "version": env!("CARGO_PKG_VERSION"),
            }}),
        )?;
        m.end()
    }
}

struct Results<'a, 'b> {
    groups: &'b Groups<'a>,
    index: &'b BTreeMap<&'a str, usize>,
}

impl serde::Serialize for Results<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.groups
                .iter()
                .map(|((_, target, control, outcome), fs)| {
                    result(
                        target,
                        control,
                        *outcome,
                        fs,
                        self.index.get(control).copied().unwrap_or(0),
                    )
                }),
        )
    }
}

fn rule(id: &str, f: Option<&FindingRow>) -> Value {
    let sev = f.and_then(|f| f.severity);
    let mut props = json!({ "tags": ["security", "tls"] });
    if let Some(sev) = sev {
        props["severity"] = json!(sev.as_str());
        props["security-severity"] = json!(security_severity(sev));
    }
    json!({
        "id": id,
        "name": id,
        "shortDescription": { "text": f.map(|f| f.title.as_str()).unwrap_or(id) },
        "defaultConfiguration": { "level": sev.map_or("warning", level) },
        "properties": props,
    })
}

fn result(
    target: &str,
    control: &str,
    outcome: Outcome,
    fs: &[&FindingRow],
    rule_index: usize,
) -> Value {
    let first = fs.first().copied();
    let sev = first.and_then(|f| f.severity);
    let profiles: Vec<&str> = fs.iter().map(|f| f.profile.as_str()).collect();
    let title = first.map(|f| f.title.as_str()).unwrap_or_default();
    let reason = first.and_then(|f| f.reason.as_deref());
    let records = first.map(|f| f.records.as_slice()).unwrap_or_default();
    let text = match outcome {
        Outcome::Fail => format!("{control} failed on {target}: {title}"),
        Outcome::Warning => format!(
            "{control} is not met on {target} (a recommendation, not a requirement: \
             a warning, not a failure): {title}"
        ),
        _ => format!(
            "{control} is inconclusive on {target}: {title}{}",
            reason.map(|r| format!(" ({r})")).unwrap_or_default()
        ),
    };
    let mut locations = vec![json!({
        "logicalLocations": [{ "fullyQualifiedName": target, "kind": "resource" }],
    })];
    if let Some(rec) = records.first()
        && let Some(loc) = locations.first_mut()
    {
        loc["physicalLocation"] = json!({
            "artifactLocation": { "uri": "evidence.jsonl", "uriBaseId": "RUN_DIR" },
            "region": { "startLine": rec.seq + 1 },
        });
    }
    let mut res = json!({
        "ruleId": control,
        "ruleIndex": rule_index,
        "message": { "text": text },
        "locations": locations,
        "partialFingerprints": { "kensaFinding/v1": format!("{target}|{control}") },
        "properties": {
            "outcome": outcome.as_str(),
            "provider": first.map(|f| f.provider.as_str()),
            "target": target,
            "profiles": profiles,
            "severity": sev.map(Severity::as_str),
            "records": records,
            "anchors": fs.iter().map(|f| f.anchor.as_str()).collect::<Vec<_>>(),
        },
    });
    // The control's citation was not checked against the standard's text.
    if let Some(c) = first.and_then(|f| f.caveat.as_deref()) {
        res["properties"]["caveat"] = json!(c);
    }
    if outcome == Outcome::Fail {
        res["kind"] = json!("fail");
        res["level"] = json!(sev.map_or("warning", level));
    } else if outcome == Outcome::Warning {
        // SARIF's own `warning` level: an unmet `should` never fails the profile.
        res["kind"] = json!("fail");
        res["level"] = json!("warning");
    } else {
        res["kind"] = json!("review");
        res["level"] = json!("none");
    }
    res
}

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

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::model::{FindingRow, Report, Tables};
use super::stream::Spool;
use crate::assess::control::Severity;
use crate::assess::eval::Outcome;
use crate::output::pretty::{Elements, pretty_at, splice};

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
pub fn write_sarif(r: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut s = SarifStream::new(&r.assessment.run_id)?;
    s.part(&r.tables)?;
    s.finish(w)
}

/// One SARIF run's results as they are made: each result is spooled (compact, one per line)
/// until every finding has been seen, because its `ruleIndex` is its rule's place among the
/// run's rules, sorted.
#[derive(Debug)]
struct RunResults {
    spool: Spool,
    /// The controls with a result.
    rules: BTreeSet<String>,
    /// Results whose target has no row among the endpoints: last, in (target, control,
    /// outcome) order (none in a run made by kensa).
    late: BTreeMap<(String, String, Outcome), Vec<FindingRow>>,
}

impl RunResults {
    fn new() -> std::io::Result<Self> {
        Ok(Self {
            spool: Spool::new()?,
            rules: BTreeSet::new(),
            late: BTreeMap::new(),
        })
    }

    fn add(&mut self, groups: Groups<'_>) -> std::io::Result<()> {
        for ((_, target, control, outcome), fs) in groups {
            self.spool.line(&result(target, control, outcome, &fs))?;
            self.rules.insert(control.to_owned());
        }
        Ok(())
    }

    /// Write the run (at level 2, an element of `runs`).
    fn write(
        self,
        id: &str,
        titles: &BTreeMap<String, (String, Option<Severity>)>,
        declared: Option<Spool>,
        w: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|id| rule(id, titles.get(id)))
            .collect();
        let index: BTreeMap<&str, usize> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.as_str(), i))
            .collect();
        let mut run = json!({
            "automationDetails": { "id": id },
            "originalUriBaseIds": { "RUN_DIR": { "description": { "text": "the run directory" } } },
            "results": [],
            "tool": { "driver": {
                "name": "kensa",
                "rules": rules,
                "version": env!("CARGO_PKG_VERSION"),
            }},
        });
        if declared.is_some() {
            run["properties"] =
                json!({ "category": "declared-vs-observed", "declaredVsObserved": [] });
        }
        let text = pretty_at(&run, 2)?;
        let mut declared = declared;
        let mut results = Some((self.spool, self.late));
        let mut fill = |key: &str, level: usize, w: &mut dyn std::io::Write| {
            let mut list = Elements::new(level);
            let with_index = |mut v: Value| {
                let i = v
                    .get("ruleId")
                    .and_then(Value::as_str)
                    .and_then(|r| index.get(r).copied())
                    .unwrap_or(0);
                if let Some(m) = v.as_object_mut() {
                    m.insert("ruleIndex".to_owned(), json!(i));
                }
                v
            };
            if key == "declaredVsObserved" {
                if let Some(spool) = declared.take() {
                    for line in spool.lines()? {
                        let v: Value = serde_json::from_str(&line?)?;
                        list.push(w, &v)?;
                    }
                }
            } else if let Some((spool, late)) = results.take() {
                for line in spool.lines()? {
                    let v: Value = serde_json::from_str(&line?)?;
                    list.push(w, &with_index(v))?;
                }
                for ((target, control, outcome), fs) in &late {
                    let fs: Vec<&FindingRow> = fs.iter().collect();
                    list.push(w, &with_index(result(target, control, *outcome, &fs)))?;
                }
            }
            list.close(w)
        };
        splice(&text, &["declaredVsObserved", "results"], w, &mut fill)
    }
}

/// The SARIF log written as the report's parts are made ([`super::stream`]; a whole report
/// is one part): results are grouped within a part (a target's findings are all in one).
#[derive(Debug)]
pub(crate) struct SarifStream {
    run_id: String,
    /// The first finding's title and severity of each control (its rule's description).
    titles: BTreeMap<String, (String, Option<Severity>)>,
    observed: RunResults,
    declared: RunResults,
    /// The "Declared vs observed" entries, compact, one per line.
    statements: Spool,
}

impl SarifStream {
    pub(crate) fn new(run_id: &str) -> std::io::Result<Self> {
        Ok(Self {
            run_id: run_id.to_owned(),
            titles: BTreeMap::new(),
            observed: RunResults::new()?,
            declared: RunResults::new()?,
            statements: Spool::new()?,
        })
    }

    /// Add a part's findings and declarations.
    pub(crate) fn part(&mut self, t: &Tables) -> std::io::Result<()> {
        for f in &t.findings {
            if !self.titles.contains_key(&f.control) {
                self.titles
                    .insert(f.control.clone(), (f.title.clone(), f.severity));
            }
        }
        let order: std::collections::HashMap<&str, usize> = t
            .endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| (e.target.as_str(), i))
            .collect();
        let mut observed: Groups<'_> = BTreeMap::new();
        let mut declared: Groups<'_> = BTreeMap::new();
        for f in &t.findings {
            if !matches!(
                f.outcome,
                Outcome::Fail | Outcome::Warning | Outcome::Inconclusive
            ) {
                continue;
            }
            let (run, groups) = if super::text::is_declared(f) {
                (&mut self.declared, &mut declared)
            } else {
                (&mut self.observed, &mut observed)
            };
            let Some(pos) = order.get(f.target.as_str()).copied() else {
                run.late
                    .entry((f.target.clone(), f.control.clone(), f.outcome))
                    .or_default()
                    .push(f.clone());
                run.rules.insert(f.control.clone());
                continue;
            };
            groups
                .entry((pos, f.target.as_str(), f.control.as_str(), f.outcome))
                .or_default()
                .push(f);
        }
        self.observed.add(observed)?;
        self.declared.add(declared)?;
        for d in &t.declared {
            self.statements.line(d)?;
        }
        Ok(())
    }

    /// Write the log.
    pub(crate) fn finish(self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        write!(
            w,
            "{{\n  \"$schema\": {},\n  \"runs\": [\n    ",
            pretty_at(SARIF_SCHEMA, 1)?
        )?;
        let second = !self.declared.rules.is_empty() || self.statements.lines_written() > 0;
        self.observed
            .write(&format!("kensa/{}", self.run_id), &self.titles, None, w)?;
        if second {
            w.write_all(b",\n    ")?;
            self.declared.write(
                &format!("kensa/{}/declared", self.run_id),
                &self.titles,
                Some(self.statements),
                w,
            )?;
        }
        w.write_all(b"\n  ],\n  \"version\": \"2.1.0\"\n}")
    }
}

fn rule(id: &str, first: Option<&(String, Option<Severity>)>) -> Value {
    let sev = first.and_then(|(_, s)| *s);
    let mut props = json!({ "tags": ["security", "tls"] });
    if let Some(sev) = sev {
        props["severity"] = json!(sev.as_str());
        props["security-severity"] = json!(security_severity(sev));
    }
    json!({
        "id": id,
        "name": id,
        "shortDescription": { "text": first.map_or(id, |(t, _)| t.as_str()) },
        "defaultConfiguration": { "level": sev.map_or("warning", level) },
        "properties": props,
    })
}

fn result(target: &str, control: &str, outcome: Outcome, fs: &[&FindingRow]) -> Value {
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

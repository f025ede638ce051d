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

/// The SARIF log of `r`.
pub fn sarif(r: &Report) -> Value {
    // (target, control, outcome) → the findings (one per profile).
    let mut groups: BTreeMap<(usize, &str, &str, Outcome), Vec<&FindingRow>> = BTreeMap::new();
    let order: Vec<&str> = r
        .tables
        .endpoints
        .iter()
        .map(|e| e.target.as_str())
        .collect();
    for f in &r.tables.findings {
        if !matches!(
            f.outcome,
            Outcome::Fail | Outcome::Warning | Outcome::Inconclusive
        ) {
            continue;
        }
        let pos = order
            .iter()
            .position(|t| *t == f.target)
            .unwrap_or(usize::MAX);
        groups
            .entry((pos, f.target.as_str(), f.control.as_str(), f.outcome))
            .or_default()
            .push(f);
    }
    let mut rule_ids: Vec<&str> = groups.keys().map(|(_, _, c, _)| *c).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let lookup = |id: &str| r.tables.findings.iter().find(|f| f.control == id);
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let f = lookup(id);
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
        })
        .collect();
    let results: Vec<Value> = groups
        .iter()
        .map(|((_, target, control, outcome), fs)| {
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
                "ruleIndex": rule_ids.iter().position(|r| r == control).unwrap_or(0),
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
            if *outcome == Outcome::Fail {
                res["kind"] = json!("fail");
                res["level"] = json!(sev.map_or("warning", level));
            } else if *outcome == Outcome::Warning {
                // SARIF's own `warning` level: an unmet `should` never fails the profile.
                res["kind"] = json!("fail");
                res["level"] = json!("warning");
            } else {
                res["kind"] = json!("review");
                res["level"] = json!("none");
            }
            res
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "kensa",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "automationDetails": { "id": format!("kensa/{}", r.assessment.run_id) },
            "originalUriBaseIds": { "RUN_DIR": { "description": { "text": "the run directory" } } },
            "results": results,
        }],
    })
}

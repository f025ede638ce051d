//! From findings to verdicts: per target, per provider and profile, and the kensa grade.
//!
//! Every grading is a ladder of levels, best first (`pass`, `fail` for pass-fail profiles).
//! A target's verdict is the worst level of its failing controls (each control's `on_fail`,
//! the last level by default); for `ssl-labs` the ladder starts at the letter of the score.
//! When an inconclusive control could give a worse level than that, the verdict is
//! `inconclusive` (with the best it could still be). A provider's verdict is the worst of
//! its targets. The kensa grade is the highest of `kensa-level-1..3` passed, in order.

use std::collections::BTreeMap;

use serde::Serialize;

use super::control::Requirement;
use super::doc::{Run, TargetDoc};
use super::eval::{Bindings, Finding, Outcome, evaluate};
use super::profile::{Coverage, Grading, KENSA_LEVELS, NotEvaluated, Profile};
use super::ssllabs::{self, Scores};
use crate::evidence::{Integrity, ProviderInfo};

/// The verdict string for an undecided result.
pub const INCONCLUSIVE: &str = "inconclusive";

/// One target's verdict under one profile.
#[derive(Clone, Debug, Serialize)]
pub struct TargetVerdict {
    /// The target id.
    pub target: String,
    /// The level (or `inconclusive`).
    pub verdict: String,
    /// More about the verdict (e.g. the best it could be).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// SSL Labs scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<Scores>,
    /// The trust stores whose trust counted for this target (the profile's
    /// `params.trust_stores`, `*` standing for every store the scan judged against: Mozilla's
    /// and each one given with `kensa scan --trust-store`); absent when the profile names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_stores: Option<Vec<String>>,
    /// Findings of this target, in control order.
    pub findings: Vec<Finding>,
    #[serde(skip)]
    definite: usize,
    #[serde(skip)]
    possible: usize,
    #[serde(skip)]
    out_of_band: Option<usize>,
}

/// A provider's verdict under one profile.
#[derive(Clone, Debug, Serialize)]
pub struct ProfileVerdict {
    /// Profile id.
    pub profile: String,
    /// Profile version.
    pub version: String,
    /// How it grades.
    pub grading: Grading,
    /// The verdict: `pass`/`fail`, a ladder level or letter, or `inconclusive`.
    pub verdict: String,
    /// Whether the verdict is one of the profile's passing levels (`None` when inconclusive).
    pub passed: Option<bool>,
    /// More about the verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Findings per result, over all targets (`warning`: an unmet `should`, counted apart
    /// from `fail`).
    pub counts: BTreeMap<Outcome, usize>,
    /// The trust stores whose trust counted, over all targets (see
    /// [`TargetVerdict::trust_stores`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_stores: Option<Vec<String>>,
    /// What the profile covers of its standard: beside each verdict, so that a pass is not
    /// read as more than it is.
    #[serde(skip_serializing_if = "Coverage::is_empty")]
    pub coverage: Coverage,
    /// Per target.
    pub targets: Vec<TargetVerdict>,
    /// Rules of the standard kensa cannot evaluate yet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_evaluated: Vec<NotEvaluated>,
}

/// Everything assessed about one provider.
#[derive(Clone, Debug, Serialize)]
pub struct ProviderAssessment {
    /// The provider.
    pub provider: ProviderInfo,
    /// Its targets.
    pub targets: Vec<String>,
    /// The highest kensa level passed (`kensa-level-N`), `none`, or `inconclusive`; absent
    /// when the kensa levels were not all assessed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// True when the provider fails the profile its catalog entry `applies_for`.
    pub fails_applies_for: bool,
    /// One verdict per profile assessed.
    pub profiles: Vec<ProfileVerdict>,
}

/// The result of `kensa assess`.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    /// The evidence file.
    pub evidence: String,
    /// The run id.
    pub run_id: String,
    /// The evidence file's integrity (`intact` or `incomplete`).
    pub integrity: Integrity,
    /// The profiles assessed: id and version.
    pub profiles: Vec<(String, String)>,
    /// Per provider, in id order.
    pub providers: Vec<ProviderAssessment>,
    /// Problems with the run that do not stop the assessment: a provider whose `applies_for`
    /// names a profile that is neither built in nor given (that provider's exit status then
    /// cannot be judged). `kensa assess` also prints each on stderr.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// When the run did not complete (interrupted, or no run-end): what never ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<super::interrupted::Interruption>,
}

impl Assessment {
    /// True when some provider fails its `applies_for` profile.
    pub fn any_fails_applies_for(&self) -> bool {
        self.providers.iter().any(|p| p.fails_applies_for)
    }
}

fn level_index(p: &Profile, level: Option<&str>) -> usize {
    let last = p.levels.len().saturating_sub(1);
    match level {
        Some(l) => p.levels.iter().position(|x| x == l).unwrap_or(last),
        None => last,
    }
}

/// Judge one target under one profile.
pub fn judge_target(p: &Profile, doc: &TargetDoc) -> TargetVerdict {
    let b = Bindings::new(doc, &p.params);
    let findings: Vec<Finding> = p.controls.iter().map(|c| evaluate(c, doc, &b)).collect();
    let mut scores = None;
    let mut start = 0;
    let mut possible_floor = 0;
    if p.grading == Grading::SslLabs {
        let s = ssllabs::scores(p, doc, &b);
        match &s.letter {
            Some(l) => start = level_index(p, Some(l)),
            None => possible_floor = p.levels.len().saturating_sub(1),
        }
        scores = Some(s);
    }
    let mut definite = start;
    let mut possible = start.max(possible_floor);
    let mut out_of_band: Option<usize> = None;
    for (f, c) in findings.iter().zip(&p.controls) {
        // Only requirements decide the verdict: an unmet or undecided `should` is a warning.
        if c.level != Requirement::Shall {
            continue;
        }
        let oob = c
            .on_fail
            .as_deref()
            .and_then(|l| p.out_of_band.iter().position(|o| o == l));
        let idx = level_index(p, c.on_fail.as_deref());
        match (f.result, oob) {
            (Outcome::Fail, Some(o)) => out_of_band = Some(out_of_band.map_or(o, |x| x.min(o))),
            (Outcome::Fail, None) => {
                definite = definite.max(idx);
                possible = possible.max(idx);
            }
            (Outcome::Inconclusive, Some(_)) => possible = p.levels.len().saturating_sub(1),
            (Outcome::Inconclusive, None) => possible = possible.max(idx),
            _ => {}
        }
    }
    let level = |i: usize| p.levels.get(i).cloned().unwrap_or_default();
    let (verdict, detail) = if possible > definite {
        (
            INCONCLUSIVE.to_owned(),
            Some(format!(
                "at best {}, at worst {}",
                level(definite),
                level(possible)
            )),
        )
    } else if let Some(o) = out_of_band {
        (
            p.out_of_band.get(o).cloned().unwrap_or_default(),
            Some(format!("{} if trust issues are ignored", level(definite))),
        )
    } else {
        (level(definite), None)
    };
    TargetVerdict {
        target: doc.target.clone(),
        verdict,
        detail,
        scores,
        trust_stores: trust_stores_counted(p, doc),
        findings,
        definite,
        possible,
        out_of_band,
    }
}

/// The trust stores whose trust counts for `doc` under `p`: the stores `x509.chain` judged
/// the chains against (its `trust_stores`, and each chain's verdicts) that the profile's
/// `params.trust_stores` names (`*`: all of them). `None` when the profile names none.
pub fn trust_stores_counted(p: &Profile, doc: &TargetDoc) -> Option<Vec<String>> {
    let wanted: Vec<&str> = p
        .params
        .get("trust_stores")?
        .as_array()?
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    let obs = doc
        .doc
        .get("probes")
        .and_then(|p| p.get("x509.chain"))
        .and_then(|p| p.get("observation"));
    let mut seen: Vec<String> = Vec::new();
    let mut add = |name: Option<&str>| {
        if let Some(n) = name
            && (wanted.contains(&"*") || wanted.contains(&n))
            && !seen.iter().any(|s| s == n)
        {
            seen.push(n.to_owned());
        }
    };
    let list = |v: Option<&serde_json::Value>| {
        v.and_then(serde_json::Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for s in list(obs.and_then(|o| o.get("trust_stores"))) {
        add(s.get("name").and_then(serde_json::Value::as_str));
    }
    for c in list(obs.and_then(|o| o.get("chains"))) {
        for t in list(c.get("trust")) {
            add(t.get("store").and_then(serde_json::Value::as_str));
        }
    }
    if obs.is_none() {
        // No certificate evidence: say which stores would have counted.
        for w in &wanted {
            add(Some(w));
        }
    }
    Some(seen)
}

/// Judge one provider (its target documents) under one profile.
pub fn judge_provider(p: &Profile, docs: &[&TargetDoc]) -> ProfileVerdict {
    let targets: Vec<TargetVerdict> = docs.iter().map(|d| judge_target(p, d)).collect();
    let mut counts = BTreeMap::new();
    for f in targets.iter().flat_map(|t| &t.findings) {
        *counts.entry(f.result).or_insert(0) += 1;
    }
    let level = |i: usize| p.levels.get(i).cloned().unwrap_or_default();
    let (verdict, detail, passed) = if targets.is_empty() {
        (
            INCONCLUSIVE.to_owned(),
            Some("no evidence for this provider".to_owned()),
            None,
        )
    } else {
        let definite = targets.iter().map(|t| t.definite).max().unwrap_or(0);
        let possible = targets.iter().map(|t| t.possible).max().unwrap_or(0);
        let oob = targets.iter().filter_map(|t| t.out_of_band).min();
        if possible > definite {
            (
                INCONCLUSIVE.to_owned(),
                Some(format!(
                    "at best {}, at worst {}",
                    level(definite),
                    level(possible)
                )),
                None,
            )
        } else if let Some(o) = oob {
            (
                p.out_of_band.get(o).cloned().unwrap_or_default(),
                Some(format!("{} if trust issues are ignored", level(definite))),
                Some(false),
            )
        } else {
            let v = level(definite);
            let passed = p.passing.contains(&v);
            (v, None, Some(passed))
        }
    };
    let trust_stores = if targets.iter().all(|t| t.trust_stores.is_none()) {
        None
    } else {
        let mut all: Vec<String> = Vec::new();
        for s in targets
            .iter()
            .filter_map(|t| t.trust_stores.as_ref())
            .flatten()
        {
            if !all.contains(s) {
                all.push(s.clone());
            }
        }
        Some(all)
    };
    ProfileVerdict {
        profile: p.id.clone(),
        version: p.version.clone(),
        grading: p.grading,
        verdict,
        passed,
        detail,
        counts,
        trust_stores,
        coverage: p.coverage.clone(),
        targets,
        not_evaluated: p.not_evaluated.clone(),
    }
}

/// Assess every provider of `run` under `profiles` (plus, for each provider, the profile its
/// `applies_for` names, when it is among `extra`).
pub fn assess(run: &Run, profiles: &[Profile], extra: &[Profile]) -> Assessment {
    let mut by_provider: BTreeMap<&str, Vec<&TargetDoc>> = BTreeMap::new();
    for t in &run.targets {
        by_provider.entry(t.provider.as_str()).or_default().push(t);
    }
    for id in run.providers.keys() {
        by_provider.entry(id.as_str()).or_default();
    }
    let mut providers = Vec::new();
    let mut warnings = Vec::new();
    for (id, docs) in by_provider {
        let info = run.providers.get(id).cloned().unwrap_or(ProviderInfo {
            id: id.to_owned(),
            name: None,
            declared_country: None,
            applies_for: None,
            declaration: None,
        });
        let mut verdicts: Vec<ProfileVerdict> =
            profiles.iter().map(|p| judge_provider(p, &docs)).collect();
        if let Some(af) = &info.applies_for
            && !verdicts.iter().any(|v| &v.profile == af)
            && let Some(p) = extra.iter().find(|p| &p.id == af)
        {
            verdicts.push(judge_provider(p, &docs));
        }
        if let Some(af) = &info.applies_for
            && !verdicts.iter().any(|v| &v.profile == af)
        {
            warnings.push(format!(
                "provider {id}: applies_for names profile `{af}`{}, which is neither built in \
                 nor given with --profile; its applies_for cannot be judged (exit status 2)",
                crate::suggest::hint(af, super::profile::builtin_profile_ids())
            ));
        }
        let fails_applies_for = info.applies_for.as_ref().is_some_and(|af| {
            verdicts
                .iter()
                .any(|v| &v.profile == af && v.passed == Some(false))
        });
        let grade = kensa_grade(&verdicts);
        providers.push(ProviderAssessment {
            targets: docs.iter().map(|d| d.target.clone()).collect(),
            provider: info,
            grade,
            fails_applies_for,
            profiles: verdicts,
        });
    }
    Assessment {
        interrupted: super::interrupted::of(run),
        evidence: run.file.clone(),
        run_id: run.run_id.clone(),
        integrity: run.integrity,
        profiles: profiles
            .iter()
            .map(|p| (p.id.clone(), p.version.clone()))
            .collect(),
        providers,
        warnings,
    }
}

/// The highest kensa level passed, climbing from level 1: `kensa-level-N`, `none` (level 1
/// failed) or `inconclusive` (the next level is undecided). `None` unless all three were
/// assessed.
pub fn kensa_grade(verdicts: &[ProfileVerdict]) -> Option<String> {
    let mut grade = "none".to_owned();
    for level in KENSA_LEVELS {
        let v = verdicts.iter().find(|v| v.profile == level)?;
        match v.passed {
            Some(true) => grade = level.to_owned(),
            Some(false) => return Some(grade),
            None => {
                return Some(if grade == "none" {
                    INCONCLUSIVE.to_owned()
                } else {
                    format!("{grade} (next level inconclusive)")
                });
            }
        }
    }
    Some(grade)
}

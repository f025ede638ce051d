//! From findings to verdicts: per target, per provider and profile, and the kensa grade.
//!
//! Every grading is a ladder of levels, best first (`pass`, `fail` for pass-fail profiles).
//! A target's verdict is the worst level of its failing controls (each control's `on_fail`,
//! the last level by default); for `ssl-labs` the ladder starts at the letter of the score.
//! When an inconclusive control could give a worse level than that, the verdict is
//! `inconclusive` (with the best it could still be). A provider's verdict is the worst of
//! its targets. The kensa grade is the highest of `kensa-level-1..3` passed, in order.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::control::Requirement;
use super::doc::{Run, TargetDoc};
use super::eval::{DocScope, Finding, Outcome, evaluate, evaluate_with};
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
    judge_target_in(p, doc, &DocScope::new(doc))
}

/// Judge one target under one profile, its document already converted to CEL (`scope`, shared
/// by the profiles judging the same target).
pub fn judge_target_in(p: &Profile, doc: &TargetDoc, scope: &DocScope<'_>) -> TargetVerdict {
    judge_target_memo(p, doc, scope, None)
}

/// A control's result depends only on the control, the document and the profile parameters it
/// reads: profiles sharing a control (`kensa-level-1` ⊂ `-2` ⊂ `-3`, the Mozilla and CRYPTREC
/// families, ...) get it evaluated once per target when those parameters are equal. The key
/// of each control of a profile: the control's address and the parameters it reads.
type MemoKey = (usize, String);

/// The memo keys of `p`'s controls, in control order (computed once per run).
fn memo_keys(p: &Profile) -> Vec<MemoKey> {
    p.controls
        .iter()
        .map(|c| {
            let texts = std::iter::once(c.rule.as_str())
                .chain(c.applies_if.as_deref())
                .chain(c.evidence.iter().map(String::as_str));
            (std::sync::Arc::as_ptr(c) as usize, params_key(p, texts))
        })
        .collect()
}

/// The values of the parameters of `p` that `texts` (CEL expressions) read, as a string.
fn params_key<'t>(p: &Profile, texts: impl Iterator<Item = &'t str>) -> String {
    let mut names: Vec<&str> = Vec::new();
    let mut whole = false;
    for t in texts {
        for m in PARAMS_READ.captures_iter(t) {
            match m.get(1) {
                Some(name) => names.push(name.as_str()),
                None => whole = true,
            }
        }
    }
    names.sort_unstable();
    names.dedup();
    if whole {
        p.params.to_string()
    } else {
        names
            .iter()
            .map(|n| {
                format!(
                    "{n}={};",
                    p.params.get(*n).unwrap_or(&serde_json::Value::Null)
                )
            })
            .collect()
    }
}

/// An evidence expression's value depends only on the document and the parameters it reads:
/// the controls (of any profile) listing the same expression share it. The key: the
/// expression and the parameters it reads.
type EvidenceKey = (String, String);

/// The memo slots of one profile: per control, its slot, and the slot of each of its
/// evidence expressions.
#[derive(Debug, Default)]
struct ProfileSlots {
    controls: Vec<usize>,
    evidence: Vec<Vec<usize>>,
}

/// One target's memo while its profiles are judged: the findings by control slot, how many
/// of the profiles still to judge use each slot (the last one takes the finding rather than
/// copy it), and the evidence values by evidence slot.
struct Memo<'m> {
    findings: &'m mut [Option<Finding>],
    uses: &'m mut [u32],
    evidence: &'m mut [Option<serde_json::Value>],
}

/// `params` as an identifier, with the field read when it is `params.NAME` (anything else,
/// `params[...]` or `params` alone, counts as reading every parameter).
static PARAMS_READ: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:^|[^A-Za-z0-9_.])params(?:\s*\.\s*([A-Za-z_][A-Za-z0-9_]*))?")
        .unwrap_or_else(|_| unreachable!("a valid pattern"))
});

fn judge_target_memo(
    p: &Profile,
    doc: &TargetDoc,
    scope: &DocScope<'_>,
    memo: Option<(&ProfileSlots, &mut Memo<'_>)>,
) -> TargetVerdict {
    let b = scope.bind(&p.params);
    let findings: Vec<Finding> = match memo {
        None => p.controls.iter().map(|c| evaluate(c, doc, &b)).collect(),
        Some((slots, memo)) => p
            .controls
            .iter()
            .zip(&slots.controls)
            .enumerate()
            .map(|(i, (c, &slot))| {
                let last = match memo.uses.get_mut(slot) {
                    Some(n) => {
                        *n = n.saturating_sub(1);
                        *n == 0
                    }
                    None => true,
                };
                let cached = memo
                    .findings
                    .get_mut(slot)
                    .and_then(|f| if last { f.take() } else { f.clone() });
                cached.unwrap_or_else(|| {
                    let ev = slots
                        .evidence
                        .get(i)
                        .map(|s| (s.as_slice(), &mut *memo.evidence));
                    let f = evaluate_with(c, doc, &b, ev);
                    match memo.findings.get_mut(slot) {
                        Some(keep) if !last => keep.insert(f).clone(),
                        _ => f,
                    }
                })
            })
            .collect(),
    };
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
    fn list(v: Option<&serde_json::Value>) -> &[serde_json::Value] {
        v.and_then(serde_json::Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
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
    provider_verdict(p, docs.iter().map(|d| judge_target(p, d)).collect())
}

/// A provider's verdict under `p` from its targets' verdicts (in target order).
fn provider_verdict(p: &Profile, targets: Vec<TargetVerdict>) -> ProfileVerdict {
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
///
/// Each target's document is converted to CEL once and judged by every profile of its
/// provider; targets are judged in parallel (one thread per core) when there are enough of
/// them, and the results are put back in order, so the assessment is the same as one thread's.
pub fn assess(run: &Run, profiles: &[Profile], extra: &[Profile]) -> Assessment {
    let mut by_provider: BTreeMap<&str, Vec<&TargetDoc>> = BTreeMap::new();
    for t in &run.targets {
        by_provider.entry(t.provider.as_str()).or_default().push(t);
    }
    for id in run.providers.keys() {
        by_provider.entry(id.as_str()).or_default();
    }
    let grader = Grader::new(profiles, extra);
    let batch: Vec<(ProviderInfo, Vec<&TargetDoc>)> = by_provider
        .into_iter()
        .map(|(id, docs)| (provider_info(run, id), docs))
        .collect();
    let mut providers = Vec::new();
    let mut warnings = Vec::new();
    for (p, w) in grader.providers(&batch) {
        providers.push(p);
        warnings.extend(w);
    }
    let mut a = grader.head(run, super::interrupted::of(run));
    a.providers = providers;
    a.warnings = warnings;
    a
}

/// A provider's details from the run (only its id when the run's `run-begin` did not name
/// it).
pub fn provider_info(run: &Run, id: &str) -> ProviderInfo {
    run.providers.get(id).cloned().unwrap_or(ProviderInfo {
        id: id.to_owned(),
        name: None,
        declared_country: None,
        applies_for: None,
        declaration: None,
    })
}

/// Grades providers with a fixed set of profiles: what can be worked out once per run is
/// (the memo slot of each control of each profile), then providers are judged a batch at a
/// time, so a run need not be held whole ([`super::stream`]).
pub struct Grader<'p> {
    profiles: &'p [Profile],
    extra: &'p [Profile],
    /// Per profile (`profiles`, then `extra`): the memo slot of each control and of each of
    /// its evidence expressions.
    slots: Vec<ProfileSlots>,
    /// How many distinct (control, parameters read) pairs there are.
    nslots: usize,
    /// How many distinct (evidence expression, parameters read) pairs there are.
    nevidence: usize,
}

/// The profiles judging one provider, each with its memo slots.
type Judges<'a> = [(&'a Profile, &'a ProfileSlots)];

impl<'p> Grader<'p> {
    /// A grader for `profiles` (judging every provider) and `extra` (judging the providers
    /// whose `applies_for` names one of them).
    pub fn new(profiles: &'p [Profile], extra: &'p [Profile]) -> Self {
        let mut ids: HashMap<MemoKey, usize> = HashMap::new();
        let mut ev_ids: HashMap<EvidenceKey, usize> = HashMap::new();
        let slots = profiles
            .iter()
            .chain(extra)
            .map(|p| ProfileSlots {
                controls: memo_keys(p)
                    .into_iter()
                    .map(|k| {
                        let next = ids.len();
                        *ids.entry(k).or_insert(next)
                    })
                    .collect(),
                evidence: p
                    .controls
                    .iter()
                    .map(|c| {
                        c.evidence
                            .iter()
                            .map(|e| {
                                let key = (e.clone(), params_key(p, std::iter::once(e.as_str())));
                                let next = ev_ids.len();
                                *ev_ids.entry(key).or_insert(next)
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        Self {
            profiles,
            extra,
            slots,
            nslots: ids.len(),
            nevidence: ev_ids.len(),
        }
    }

    fn slots_of(&self, p: &Profile) -> &ProfileSlots {
        static NONE: ProfileSlots = ProfileSlots {
            controls: Vec::new(),
            evidence: Vec::new(),
        };
        self.profiles
            .iter()
            .chain(self.extra)
            .position(|q| std::ptr::eq(q, p))
            .and_then(|i| self.slots.get(i))
            .unwrap_or(&NONE)
    }

    /// The profiles that judge a provider: the named ones, then its `applies_for` when that
    /// is not among them and is in `extra`.
    fn judges(&self, info: &ProviderInfo) -> Vec<(&'p Profile, &ProfileSlots)> {
        let mut judges: Vec<&'p Profile> = self.profiles.iter().collect();
        if let Some(af) = &info.applies_for
            && !judges.iter().any(|p| &p.id == af)
            && let Some(p) = self.extra.iter().find(|p| &p.id == af)
        {
            judges.push(p);
        }
        judges.into_iter().map(|p| (p, self.slots_of(p))).collect()
    }

    /// The assessment's fields other than its providers and warnings.
    pub fn head(
        &self,
        run: &Run,
        interrupted: Option<super::interrupted::Interruption>,
    ) -> Assessment {
        Assessment {
            interrupted,
            evidence: run.file.clone(),
            run_id: run.run_id.clone(),
            integrity: run.integrity,
            profiles: self
                .profiles
                .iter()
                .map(|p| (p.id.clone(), p.version.clone()))
                .collect(),
            providers: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Judge a batch of providers (each with its target documents, in order); their targets
    /// are judged in parallel. Per provider, in order: its assessment and the warning about
    /// its `applies_for`, if any.
    pub fn providers<D: std::borrow::Borrow<TargetDoc> + Sync>(
        &self,
        batch: &[(ProviderInfo, Vec<D>)],
    ) -> Vec<(ProviderAssessment, Option<String>)> {
        let judges: Vec<Vec<(&Profile, &ProfileSlots)>> =
            batch.iter().map(|(info, _)| self.judges(info)).collect();
        let work: Vec<(&TargetDoc, &Judges<'_>)> = batch
            .iter()
            .zip(&judges)
            .flat_map(|((_, docs), j)| docs.iter().map(move |d| (d.borrow(), j.as_slice())))
            .collect();
        let mut judged = judge_all(&work, self.nslots, self.nevidence).into_iter();
        let mut out = Vec::with_capacity(batch.len());
        for ((info, docs), judges) in batch.iter().zip(&judges) {
            // Per profile, its targets' verdicts in target order.
            let mut per_profile: Vec<Vec<TargetVerdict>> = judges
                .iter()
                .map(|_| Vec::with_capacity(docs.len()))
                .collect();
            for _ in docs {
                let verdicts = judged.next().unwrap_or_default();
                for (list, v) in per_profile.iter_mut().zip(verdicts) {
                    list.push(v);
                }
            }
            let verdicts: Vec<ProfileVerdict> = judges
                .iter()
                .zip(per_profile)
                .map(|((p, _), targets)| provider_verdict(p, targets))
                .collect();
            let id = &info.id;
            let mut warning = None;
            if let Some(af) = &info.applies_for
                && !verdicts.iter().any(|v| &v.profile == af)
            {
                warning = Some(format!(
                    "provider {id}: applies_for names profile `{af}`{}, which is neither built \
                     in nor given with --profile; its applies_for cannot be judged (exit status 2)",
                    crate::suggest::hint(af, super::profile::builtin_profile_ids())
                ));
            }
            let fails_applies_for = info.applies_for.as_ref().is_some_and(|af| {
                verdicts
                    .iter()
                    .any(|v| &v.profile == af && v.passed == Some(false))
            });
            let grade = kensa_grade(&verdicts);
            out.push((
                ProviderAssessment {
                    targets: docs.iter().map(|d| d.borrow().target.clone()).collect(),
                    provider: info.clone(),
                    grade,
                    fails_applies_for,
                    profiles: verdicts,
                },
                warning,
            ));
        }
        out
    }
}

/// Below this many targets, one thread judges them all (starting threads would cost more).
const PARALLEL_MIN_TARGETS: usize = 16;

/// The buffers of one thread's [`Memo`], reused from target to target.
#[derive(Default)]
struct MemoBufs {
    findings: Vec<Option<Finding>>,
    uses: Vec<u32>,
    evidence: Vec<Option<serde_json::Value>>,
}

/// Judge each target under each of its profiles: the document converted to CEL once per
/// target, a control shared by several profiles evaluated once (`nslots` memo slots), an
/// evidence expression shared by several controls too (`nevidence` slots). Results in the
/// order of `work`.
fn judge_all(
    work: &[(&TargetDoc, &Judges<'_>)],
    nslots: usize,
    nevidence: usize,
) -> Vec<Vec<TargetVerdict>> {
    let one =
        |(doc, judges): &(&TargetDoc, &Judges<'_>), bufs: &mut MemoBufs| -> Vec<TargetVerdict> {
            let scope = DocScope::new(doc);
            bufs.findings.clear();
            bufs.findings.resize_with(nslots, || None);
            bufs.evidence.clear();
            bufs.evidence.resize_with(nevidence, || None);
            bufs.uses.clear();
            bufs.uses.resize(nslots, 0);
            for (_, slots) in judges.iter() {
                for &s in &slots.controls {
                    if let Some(n) = bufs.uses.get_mut(s) {
                        *n += 1;
                    }
                }
            }
            let mut memo = Memo {
                findings: &mut bufs.findings,
                uses: &mut bufs.uses,
                evidence: &mut bufs.evidence,
            };
            judges
                .iter()
                .map(|(p, slots)| judge_target_memo(p, doc, &scope, Some((slots, &mut memo))))
                .collect()
        };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads < 2 || work.len() < PARALLEL_MIN_TARGETS {
        let mut bufs = MemoBufs::default();
        return work.iter().map(|w| one(w, &mut bufs)).collect();
    }
    // Small batches taken in turn keep the threads evenly loaded (targets differ in cost).
    const BATCH: usize = 8;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut batches: Vec<(usize, Vec<Vec<TargetVerdict>>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    let mut bufs = MemoBufs::default();
                    loop {
                        let start = next.fetch_add(BATCH, std::sync::atomic::Ordering::Relaxed);
                        let Some(batch) = work.get(start..(start + BATCH).min(work.len())) else {
                            break;
                        };
                        if batch.is_empty() {
                            break;
                        }
                        done.push((start, batch.iter().map(|w| one(w, &mut bufs)).collect()));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    batches.sort_by_key(|(start, _)| *start);
    batches.into_iter().flat_map(|(_, b)| b).collect()
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

//! `kensa diff` and `kensa history`: what changed between two runs, a provider's grade over
//! time.
//!
//! [`diff_runs`] is pure over the two runs' evidence: both are assessed again with the same
//! profiles ([`crate::assess::set::ProfileSet`]: the kensa levels and every built-in profile a
//! provider applies for), and compared provider by provider: controls that newly fail, controls
//! fixed, verdict changes per profile, certificates of the new run within 30, 14 or 7 days of
//! expiry (from `x509.chain`), and addresses the new run places outside the declared country
//! that the old run did not (from `geo.residency`).
//!
//! Each run is reduced to what the comparison reads (findings by control and target, verdicts,
//! certificates, residency, reachability) before the next one is read, so one run's documents
//! are held at a time. [`diff_stored`] (`kensa diff RUN_ID RUN_ID`) reads the assessments the
//! run store recorded at import instead of grading again: the same result for runs recorded
//! by this version of kensa. It reads each run's evidence on a thread and connection of its
//! own beside the findings, keeping only the observations it compares (`x509.chain`,
//! `geo.residency`), so both runs' reduced documents may be held at once.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;
use serde_json::Value;

use crate::assess::AssessError;
use crate::assess::doc::{self, Run};
use crate::assess::eval::{Finding, Outcome};
use crate::assess::profile::{Library, Profile};
use crate::store::{self, StoreError, StoredRuns};

/// The certificate-expiry windows reported, in days (tightest last).
pub const EXPIRY_WINDOWS: [i64; 3] = [30, 14, 7];

/// Why a diff or history could not be made (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// A run could not be read or assessed.
    #[error("{0}")]
    Assess(#[from] AssessError),
    /// The run database could not be used.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The provider has no run in the database.
    #[error(
        "{db}: no runs of provider `{provider}`{suggestion} (providers in the database: {known})"
    )]
    UnknownProvider {
        /// The database file.
        db: String,
        /// The provider asked for.
        provider: String,
        /// The providers it has.
        known: String,
        /// A did-you-mean for a misspelt id (issue 23), or empty.
        suggestion: String,
    },
    /// A run named on the command line is neither a run directory, an evidence file, nor a
    /// run id in the run database.
    #[error(
        "{name}: no such run directory or evidence file, and not a run id in the run database \
         ({why})"
    )]
    NoSuchRun {
        /// The name given.
        name: String,
        /// Why the database did not have it.
        why: String,
    },
}

/// A control on a target whose result changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControlChange {
    /// The control id.
    pub control: String,
    /// The target id.
    pub target: String,
    /// The profiles it belongs to (of those assessed).
    pub profiles: Vec<String>,
    /// The result in the old run (`None`: not assessed there).
    pub old: Option<String>,
    /// The result in the new run (`None`: not assessed there).
    pub new: Option<String>,
    /// What the finding of the new run says (for a fix: the value now in force).
    pub detail: String,
    /// When the old run left the control undecided (inconclusive, or not assessed), the
    /// earlier run in which it was last decided, whose result `old` then is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_in: Option<String>,
}

/// A verdict that changed under one profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GradeChange {
    /// The profile id (`kensa` for the kensa grade).
    pub profile: String,
    /// The old verdict (`None`: not assessed).
    pub old: Option<String>,
    /// The new verdict (`None`: not assessed).
    pub new: Option<String>,
    /// Whether the new verdict is worse: a pass lost, or a lower level of the ladder.
    pub worse: bool,
}

/// A certificate of the new run close to expiry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpiringCertificate {
    /// The target it was served on.
    pub target: String,
    /// Its subject (from the network: escape it before rendering as markup).
    pub subject: String,
    /// SHA-256 of its DER.
    pub sha256: String,
    /// Its `notAfter`.
    pub not_after: String,
    /// Whole days left at the scan (negative: expired).
    pub days_left: i64,
    /// The tightest window it is in: 30, 14, 7, or 0 when expired.
    pub window: i64,
    /// The window the same certificate on the same target was in in the old run (`None`:
    /// not served there, or not within 30 days).
    pub old_window: Option<i64>,
    /// Whether it entered a tighter window since the old run.
    pub newly: bool,
}

/// An address the new run places outside the declared country, that the old run did not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AddressAbroad {
    /// The target.
    pub target: String,
    /// `endpoint`, or `name-server NAME`.
    pub role: String,
    /// The address.
    pub address: String,
    /// The declared country.
    pub declared_country: String,
    /// Where the evidence places it.
    pub other_countries: Vec<String>,
    /// Its status in the old run (`None`: not seen there).
    pub old_status: Option<String>,
}

/// What changed for one provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProviderDiff {
    /// The provider id.
    pub provider: String,
    /// `both`, `old-only` or `new-only`.
    pub presence: &'static str,
    /// The kensa grade in the old run.
    pub old_grade: Option<String>,
    /// The kensa grade in the new run.
    pub new_grade: Option<String>,
    /// Controls that fail in the new run and did not in the old one.
    pub new_failures: Vec<ControlChange>,
    /// Controls that failed in the old run and pass (or no longer apply) in the new one.
    pub fixed: Vec<ControlChange>,
    /// Controls that fail in the new run and were never decided before (inconclusive in the
    /// old run and in every earlier one compared): not a regression, since nothing says they
    /// ever passed.
    pub decided_now: Vec<ControlChange>,
    /// Whether no probe reached the provider's targets in the old run (an outage): its
    /// controls were undecided, and each was compared with the last run that decided it.
    pub old_unreachable: bool,
    /// Verdicts that changed, per profile.
    pub grade_changes: Vec<GradeChange>,
    /// Certificates of the new run within 30 days of expiry (or expired).
    pub expiring: Vec<ExpiringCertificate>,
    /// Addresses newly placed outside the declared country.
    pub new_abroad: Vec<AddressAbroad>,
}

impl ProviderDiff {
    /// Whether anything got worse: a new failure, a worse verdict, a certificate entering a
    /// tighter expiry window, or an address newly abroad.
    pub fn regressions(&self) -> bool {
        !self.new_failures.is_empty()
            || self.grade_changes.iter().any(|g| g.worse)
            || self.expiring.iter().any(|c| c.newly)
            || !self.new_abroad.is_empty()
    }

    /// Whether nothing changed at all (expiring certificates count as a change).
    pub fn unchanged(&self) -> bool {
        self.new_failures.is_empty()
            && self.fixed.is_empty()
            && self.decided_now.is_empty()
            && self.grade_changes.is_empty()
            && self.expiring.is_empty()
            && self.new_abroad.is_empty()
    }
}

/// The difference between two runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunDiff {
    /// The old run's id.
    pub old_run: String,
    /// The new run's id.
    pub new_run: String,
    /// The old run's evidence file.
    pub old_evidence: String,
    /// The new run's evidence file.
    pub new_evidence: String,
    /// The profiles both were assessed with (id, version).
    pub profiles: Vec<(String, String)>,
    /// Per provider, by id.
    pub providers: Vec<ProviderDiff>,
    /// Whether any provider regressed (see [`ProviderDiff::regressions`]).
    pub regression: bool,
    /// Why the comparison may not mean what it seems: the same run twice, or the newer run
    /// given first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl RunDiff {
    /// Whether any provider regressed.
    pub fn regressions(&self) -> bool {
        self.providers.iter().any(ProviderDiff::regressions)
    }
}

/// Compare two runs (run directories or evidence files).
pub fn diff_runs(old: &Path, new: &Path) -> Result<RunDiff, DiffError> {
    let lib = Library::builtin()?;
    // One run's documents at a time: each is reduced to what the diff reads, then dropped.
    let old_facts = {
        let run = doc::load(old)?;
        Facts::assessed(&lib, &run, Details::Never)?
    };
    let new_facts = {
        let run = doc::load(new)?;
        Facts::assessed(&lib, &run, Details::Against(&old_facts))?
    };
    Ok(diff_facts(&lib, &old_facts, &new_facts, &[]))
}

/// Compare two runs already read (from run directories or from a run store), both judged with
/// the same [`crate::assess::set::ProfileSet`].
pub fn diff_loaded(old_run: &Run, new_run: &Run) -> Result<RunDiff, DiffError> {
    diff_with_history(old_run, new_run, &[])
}

/// [`diff_loaded`], with `earlier` runs (older than `old_run`, newest first): a control the
/// old run left undecided (an outage) is compared with the last of them that decided it, and
/// so are certificates and addresses the old run did not see.
pub fn diff_with_history(
    old_run: &Run,
    new_run: &Run,
    earlier: &[Run],
) -> Result<RunDiff, DiffError> {
    let lib = Library::builtin()?;
    let old = Facts::assessed(&lib, old_run, Details::Never)?;
    let new = Facts::assessed(
        &lib,
        new_run,
        if earlier.is_empty() {
            Details::Against(&old)
        } else {
            Details::Always
        },
    )?;
    let earlier: Vec<Facts> = earlier
        .iter()
        .map(|r| Facts::assessed(&lib, r, Details::Never))
        .collect::<Result<_, _>>()?;
    Ok(diff_facts(&lib, &old, &new, &earlier))
}

/// Compare two runs of a run store by their stored assessments (no grading again): the
/// findings and grades recorded at import, the certificates and residency from the stored
/// evidence (each run's read on a thread of its own, reduced to what is compared).
pub fn diff_stored(store: &dyn StoredRuns, old: &str, new: &str) -> Result<RunDiff, DiffError> {
    let lib = Library::builtin()?;
    // Each run's evidence (read back, verified, reduced) is read on a connection and thread
    // of its own while this connection reads the recorded findings (so both runs' reduced
    // documents may be held at once); a run whose connection does not open is read here.
    let (old_run, new_run, assessed) = std::thread::scope(|s| {
        let old_run = store
            .reader()
            .map(|c| s.spawn(move || Facts::stored_run(c.as_ref(), old)));
        let new_run = store
            .reader()
            .map(|c| s.spawn(move || Facts::stored_run(c.as_ref(), new)));
        let assessed = Facts::stored_assessment(store, old, Details::Never).and_then(|o| {
            let n = Facts::stored_assessment(store, new, Details::Against(&o))?;
            Ok((o, n))
        });
        let joined = |h: Option<std::thread::ScopedJoinHandle<'_, _>>, id| match h {
            Some(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            None => Facts::stored_run(store, id),
        };
        (joined(old_run, old), joined(new_run, new), assessed)
    });
    let (mut old, mut new) = assessed?;
    old.merge_run(old_run?);
    new.merge_run(new_run?);
    Ok(diff_facts(&lib, &old, &new, &[]))
}

/// One finding as the diff keeps it: the result compared, the profiles it appears in, and
/// (only where a change may show it) its one-line detail.
#[derive(Clone, Debug)]
struct Entry {
    result: Outcome,
    profiles: Vec<String>,
    detail: Option<String>,
}

type Key = (String, String);

/// Findings by (control, target), with the profiles they appear in. A control shared by
/// several profiles has one result per target (the rule reads only the evidence and the
/// profile's parameters); the worst one is kept.
type Findings = BTreeMap<Key, Entry>;

/// What the diff reads of one provider in one run.
#[derive(Debug, Default)]
struct ProviderFacts {
    /// Whether the run's assessment has the provider.
    assessed: bool,
    grade: Option<String>,
    /// Verdict and pass per profile.
    verdicts: BTreeMap<String, (String, Option<bool>)>,
    findings: Findings,
    certificates: Vec<(String, String, String, String, i64)>,
    residency: Vec<Residency>,
    /// Evidence of its targets exists and none of it is a success.
    unreachable: bool,
}

/// What the diff reads of one run, provider by provider (its documents are not kept).
#[derive(Debug, Default)]
struct Facts {
    run_id: String,
    file: String,
    started: Option<String>,
    /// The profiles it was graded with (named first, then each `applies_for`).
    profiles: Vec<String>,
    providers: BTreeMap<String, ProviderFacts>,
}

/// Which findings' one-line details a side of a diff keeps: a change shows only the newer
/// run's finding ([`change`]), so the older run and the earlier ones keep none.
#[derive(Clone, Copy)]
enum Details<'a> {
    /// None: the older run, and the earlier runs of a diff with history.
    Never,
    /// Every fail, pass and not-applicable: the newer run when its baseline may come from
    /// earlier runs.
    Always,
    /// Only where a change against this older run may show one.
    Against(&'a Facts),
}

impl Details<'_> {
    /// Whether the finding of `provider` under `key`, with `result`, keeps its detail.
    fn wanted(self, provider: &str, key: &Key, result: Outcome) -> bool {
        let before = |old: &Facts| {
            old.providers
                .get(provider)
                .and_then(|p| p.findings.get(key))
                .map(|e| e.result)
        };
        match (self, result) {
            (Details::Never, _) => false,
            (Details::Always, r) => {
                matches!(r, Outcome::Fail | Outcome::Pass | Outcome::NotApplicable)
            }
            (Details::Against(old), Outcome::Fail) => before(old) != Some(Outcome::Fail),
            (Details::Against(old), Outcome::Pass | Outcome::NotApplicable) => {
                before(old) == Some(Outcome::Fail)
            }
            (Details::Against(_), _) => false,
        }
    }
}

/// Fold one finding into `out` (the worst kept, the profiles collected).
fn fold(
    out: &mut Findings,
    key: Key,
    profile: &str,
    result: Outcome,
    detail: impl Fn() -> Option<String>,
) {
    match out.get_mut(&key) {
        None => {
            out.insert(
                key,
                Entry {
                    result,
                    profiles: vec![profile.to_owned()],
                    detail: detail(),
                },
            );
        }
        Some(e) => {
            if result == Outcome::Fail && e.result != Outcome::Fail {
                e.result = result;
                e.detail = detail();
            }
            if !e.profiles.iter().any(|p| p == profile) {
                e.profiles.push(profile.to_owned());
            }
        }
    }
}

impl Facts {
    /// The run's header and its documents' certificates, residency and reachability.
    fn of_run(run: &Run) -> Self {
        let mut f = Facts {
            run_id: run.run_id.clone(),
            file: run.file.clone(),
            started: run.started.clone(),
            ..Facts::default()
        };
        let mut seen: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        let mut any: BTreeMap<String, (bool, bool)> = BTreeMap::new();
        for t in &run.targets {
            let p = f.providers.entry(t.provider.clone()).or_default();
            if let Some(obs) = observation(&t.doc, "x509.chain") {
                let seen = seen.entry(t.provider.clone()).or_default();
                certificates_of(&t.target, obs, seen, &mut p.certificates);
            }
            if let Some(obs) = observation(&t.doc, "geo.residency") {
                p.residency.extend(residency_of(&t.target, obs));
            }
            let a = any.entry(t.provider.clone()).or_default();
            for (_, pr) in t
                .doc
                .get("probes")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                a.0 = true;
                if pr.get("outcome").and_then(Value::as_str) == Some("success") {
                    a.1 = true;
                }
            }
        }
        for (id, (seen_any, success)) in any {
            if let Some(p) = f.providers.get_mut(&id) {
                p.unreachable = seen_any && !success;
            }
        }
        f
    }

    /// `run` graded with the kensa levels and each provider's `applies_for` (as the store
    /// records it), reduced; findings' details kept as `details` says.
    fn assessed(lib: &Library, run: &Run, details: Details<'_>) -> Result<Self, DiffError> {
        let set = crate::assess::set::ProfileSet::for_run(lib, run, &[])?;
        let a = set.assess(run);
        let mut f = Self::of_run(run);
        f.profiles = set.all().iter().map(|p| p.id.clone()).collect();
        for p in &a.providers {
            let id = p.provider.id.as_str();
            let pf = f.providers.entry(id.to_owned()).or_default();
            pf.assessed = true;
            pf.grade = p.grade.clone();
            for v in &p.profiles {
                pf.verdicts
                    .insert(v.profile.clone(), (v.verdict.clone(), v.passed));
                for fd in v.targets.iter().flat_map(|t| &t.findings) {
                    let key = (fd.control.clone(), fd.target.clone());
                    let want = details.wanted(id, &key, fd.result);
                    fold(&mut pf.findings, key, &v.profile, fd.result, || {
                        want.then(|| finding_detail(fd))
                    });
                }
            }
        }
        Ok(f)
    }

    /// The run part of a stored run: the header and the documents' certificates,
    /// residency and reachability, from the stored evidence (read back and verified).
    fn stored_run(store: &dyn StoredRuns, run_id: &str) -> Result<Self, DiffError> {
        let run = store.load_run_observing(run_id, &|probe| {
            probe == "x509.chain" || probe == "geo.residency"
        })?;
        Ok(Self::of_run(&run))
    }

    /// The assessment part of a stored run: providers, grades and findings as recorded at
    /// import, findings' details kept as `details` says (the column not even read for
    /// [`Details::Never`]).
    fn stored_assessment(
        store: &dyn StoredRuns,
        run_id: &str,
        details: Details<'_>,
    ) -> Result<Self, DiffError> {
        let mut f = Facts::default();
        for (provider, grade) in store.stored_providers(run_id)? {
            let pf = f.providers.entry(provider).or_default();
            pf.assessed = true;
            pf.grade = grade;
        }
        for g in store.stored_grades(run_id)? {
            if !f.profiles.contains(&g.profile) {
                f.profiles.push(g.profile.clone());
            }
            if let Some(pf) = f.providers.get_mut(&g.provider) {
                pf.verdicts.insert(g.profile, (g.verdict, g.passed));
            }
        }
        // First seen in the recorded order: the named profiles, then each `applies_for` by
        // provider, as `ProfileSet::for_run` gave them.
        let with_detail = !matches!(details, Details::Never);
        store.stored_findings(run_id, with_detail, &mut |row| {
            let Some(result) = outcome_of(row.outcome) else {
                return;
            };
            let key = (row.control.to_owned(), row.target.to_owned());
            let want = details.wanted(row.provider, &key, result);
            let Some(pf) = f.providers.get_mut(row.provider) else {
                return;
            };
            fold(&mut pf.findings, key, row.profile, result, || {
                want.then(|| stored_detail(row.detail))
            });
        })?;
        Ok(f)
    }

    /// Put the run part (`run`, of [`Facts::stored_run`]) into this assessment part.
    fn merge_run(&mut self, run: Facts) {
        self.run_id = run.run_id;
        self.file = run.file;
        self.started = run.started;
        for (id, rp) in run.providers {
            let pf = self.providers.entry(id).or_default();
            pf.certificates = rp.certificates;
            pf.residency = rp.residency;
            pf.unreachable = rp.unreachable;
        }
    }
}

/// The result a stored finding names.
fn outcome_of(s: &str) -> Option<Outcome> {
    [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::Warning,
        Outcome::Inconclusive,
        Outcome::NotApplicable,
    ]
    .into_iter()
    .find(|o| o.as_str() == s)
}

/// [`finding_detail`] of a stored finding's `detail` (`{reason, evidence, records}`).
fn stored_detail(detail: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Stored {
        #[serde(default)]
        reason: Option<String>,
        #[serde(default)]
        evidence: Vec<crate::assess::eval::Observed>,
    }
    match serde_json::from_str::<Stored>(detail) {
        Ok(d) => finding_detail(&Finding {
            control: String::new(),
            target: String::new(),
            result: Outcome::Pass,
            reason: d.reason,
            evidence: d.evidence,
            records: Vec::new(),
        }),
        Err(_) => String::new(),
    }
}

/// Warnings about the pair: the same run twice, or the newer one first.
fn order_warnings(old: &Facts, new: &Facts) -> Vec<String> {
    let mut w = Vec::new();
    if !old.run_id.is_empty() && old.run_id == new.run_id {
        w.push(format!(
            "both sides are run {}: a run compared with itself shows no change",
            old.run_id
        ));
    } else if let (Some(a), Some(b)) = (&old.started, &new.started)
        && a > b
    {
        w.push(format!(
            "the runs are in the wrong order: {} (started {a}) is newer than {} (started {b}); \
             what is shown as fixed got worse, and the other way round (give the older run \
             first)",
            old.run_id, new.run_id
        ));
    }
    w
}

fn decided(o: Outcome) -> bool {
    o != Outcome::Inconclusive
}

/// The profiles of the diff, in the order [`crate::assess::set::ProfileSet::for_runs`] gives
/// them (the kensa levels, then each `applies_for` as first seen), loaded from the library.
fn profiles_of(lib: &Library, runs: &[&Facts]) -> Vec<Profile> {
    let mut ids: Vec<&str> = Vec::new();
    for r in runs {
        for p in &r.profiles {
            if !ids.contains(&p.as_str()) {
                ids.push(p);
            }
        }
    }
    ids.into_iter().filter_map(|id| lib.load(id).ok()).collect()
}

fn diff_facts<'a>(lib: &Library, old: &'a Facts, new: &'a Facts, earlier: &'a [Facts]) -> RunDiff {
    let mut all = vec![old, new];
    all.extend(earlier);
    let loaded = profiles_of(lib, &all);
    let profiles: Vec<&Profile> = loaded.iter().collect();
    let ids: BTreeSet<&str> = old
        .providers
        .iter()
        .chain(&new.providers)
        .filter(|(_, p)| p.assessed)
        .map(|(id, _)| id.as_str())
        .collect();
    static EMPTY: std::sync::OnceLock<ProviderFacts> = std::sync::OnceLock::new();
    let empty: &'static ProviderFacts = EMPTY.get_or_init(ProviderFacts::default);
    let mut providers = Vec::new();
    for id in ids {
        let po = old.providers.get(id).filter(|p| p.assessed);
        let pn = new.providers.get(id).filter(|p| p.assessed);
        let presence = match (po, pn) {
            (Some(_), Some(_)) => "both",
            (Some(_), None) => "old-only",
            _ => "new-only",
        };
        let fo = po.map_or(&empty.findings, |p| &p.findings);
        let fnew = pn.map_or(&empty.findings, |p| &p.findings);
        // The earlier runs' findings of this provider, newest first.
        let fe: Vec<(&str, &Findings)> = earlier
            .iter()
            .map(|r| {
                let p = r.providers.get(id).filter(|p| p.assessed);
                (
                    r.run_id.as_str(),
                    p.map_or(&empty.findings, |p| &p.findings),
                )
            })
            .collect();
        // The result to compare with: the old run's when it decided the control, else the
        // last earlier run's that did (and which run that was).
        let baseline = |key: &Key| -> (Option<Outcome>, Option<String>) {
            let old = fo.get(key).map(|e| e.result);
            if old.is_some_and(decided) {
                return (old, None);
            }
            for (run_id, m) in &fe {
                if let Some(r) = m.get(key).map(|e| e.result).filter(|r| decided(*r)) {
                    return (Some(r), Some((*run_id).to_owned()));
                }
            }
            (old, None)
        };
        let mut new_failures = Vec::new();
        let mut fixed = Vec::new();
        let mut decided_now = Vec::new();
        for (key, e) in fnew {
            let (before, decided_in) = baseline(key);
            if e.result != Outcome::Fail || before == Some(Outcome::Fail) {
                continue;
            }
            let mut c = change(key, e, before);
            c.decided_in = decided_in;
            if before == Some(Outcome::Inconclusive) {
                decided_now.push(c);
            } else {
                new_failures.push(c);
            }
        }
        for (key, e) in fnew {
            let (before, decided_in) = baseline(key);
            if before == Some(Outcome::Fail)
                && matches!(e.result, Outcome::Pass | Outcome::NotApplicable)
            {
                // The fix shows the value now in force, not the old failing one.
                let mut c = change(key, e, before);
                c.decided_in = decided_in;
                fixed.push(c);
            }
        }
        let grade_changes = grade_changes(po, pn, &profiles);
        // Certificates and addresses: from the old run, or (when it saw none of this
        // provider's, after an outage) from the last earlier run that did.
        let side = |r: &'a Facts| -> &'a ProviderFacts { r.providers.get(id).unwrap_or(empty) };
        let cert_base = std::iter::once(old)
            .chain(earlier.iter())
            .map(side)
            .find(|p| !p.certificates.is_empty())
            .unwrap_or(side(old));
        let geo_base = std::iter::once(old)
            .chain(earlier.iter())
            .map(side)
            .find(|p| !p.residency.is_empty())
            .unwrap_or(side(old));
        let old_unreachable = po.is_some() && side(old).unreachable;
        // After an outage with nothing earlier to compare with, nothing is known to be new:
        // certificates are listed but none "newly" in its window, and no address is newly
        // abroad (the residency controls still say where each is).
        let no_base = |seen: bool| old_unreachable && !seen;
        let mut expiring = if pn.is_some() {
            expiring(&cert_base.certificates, &side(new).certificates)
        } else {
            Vec::new()
        };
        if no_base(!cert_base.certificates.is_empty()) {
            for c in &mut expiring {
                c.newly = false;
            }
        }
        let new_abroad = if no_base(!geo_base.residency.is_empty()) {
            Vec::new()
        } else {
            abroad(&geo_base.residency, &side(new).residency)
        };
        providers.push(ProviderDiff {
            provider: id.to_owned(),
            presence,
            old_grade: po.and_then(|p| p.grade.clone()),
            new_grade: pn.and_then(|p| p.grade.clone()),
            new_failures,
            fixed,
            decided_now,
            old_unreachable,
            grade_changes,
            expiring,
            new_abroad,
        });
    }
    let mut d = RunDiff {
        old_run: old.run_id.clone(),
        new_run: new.run_id.clone(),
        old_evidence: old.file.clone(),
        new_evidence: new.file.clone(),
        profiles: profiles
            .iter()
            .map(|p| (p.id.clone(), p.version.clone()))
            .collect(),
        providers,
        regression: false,
        warnings: order_warnings(old, new),
    };
    d.regression = d.regressions();
    d
}

fn change(key: &Key, e: &Entry, old: Option<Outcome>) -> ControlChange {
    ControlChange {
        control: key.0.clone(),
        target: key.1.clone(),
        profiles: e.profiles.clone(),
        old: old.map(|o| o.as_str().to_owned()),
        new: Some(e.result.as_str().to_owned()),
        detail: e.detail.clone().unwrap_or_default(),
        decided_in: None,
    }
}

/// One line about a finding: its reason, or the values of its evidence expressions.
pub fn finding_detail(f: &Finding) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(r) = &f.reason {
        parts.push(r.clone());
    }
    for e in &f.evidence {
        let mut v = e.value.to_string();
        if v.chars().count() > 120 {
            v = v.chars().take(117).collect::<String>() + "...";
        }
        parts.push(format!("{} = {v}", e.expr));
    }
    parts.join("; ")
}

fn grade_changes(
    po: Option<&ProviderFacts>,
    pn: Option<&ProviderFacts>,
    profiles: &[&Profile],
) -> Vec<GradeChange> {
    let none = BTreeMap::new();
    let vo = po.map_or(&none, |p| &p.verdicts);
    let vn = pn.map_or(&none, |p| &p.verdicts);
    let mut ids: Vec<&String> = vo.keys().chain(vn.keys()).collect();
    ids.sort_by_key(|id| store::profile_order(id));
    ids.dedup();
    let mut out = Vec::new();
    for id in ids {
        let o = vo.get(id);
        let n = vn.get(id);
        if o.map(|x| &x.0) == n.map(|x| &x.0) {
            continue;
        }
        let level = |v: Option<&(String, Option<bool>)>| {
            let p = profiles.iter().find(|p| &p.id == id)?;
            p.levels.iter().position(|l| Some(l) == v.map(|x| &x.0))
        };
        let lost_pass =
            o.is_some_and(|x| x.1 == Some(true)) && n.is_some_and(|x| x.1 != Some(true));
        let lower = matches!((level(o), level(n)), (Some(a), Some(b)) if b > a);
        out.push(GradeChange {
            profile: id.clone(),
            old: o.map(|x| x.0.clone()),
            new: n.map(|x| x.0.clone()),
            worse: lost_pass || lower,
        });
    }
    out
}

fn window_of(days_left: i64) -> Option<i64> {
    if days_left < 0 {
        return Some(0);
    }
    EXPIRY_WINDOWS
        .iter()
        .rev()
        .find(|w| days_left <= **w)
        .copied()
}

/// Every certificate of `provider`'s `x509.chain` observations in `run`:
/// (target, sha256, subject, not_after, days_left), deduplicated.
pub fn certificates(run: &Run, provider: &str) -> Vec<(String, String, String, String, i64)> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for t in run.targets.iter().filter(|t| t.provider == provider) {
        let Some(obs) = observation(&t.doc, "x509.chain") else {
            continue;
        };
        certificates_of(&t.target, obs, &mut seen, &mut out);
    }
    out
}

/// The certificates of one `x509.chain` observation (see [`certificates`]).
pub fn certificates_of(
    target: &str,
    obs: &Value,
    seen: &mut BTreeSet<(String, String)>,
    out: &mut Vec<(String, String, String, String, i64)>,
) {
    let chains = obs.get("chains").and_then(Value::as_array);
    for c in chains
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("certificates").and_then(Value::as_array))
        .flatten()
    {
        let Some(details) = c.get("details").filter(|d| d.is_object()) else {
            continue;
        };
        let Some(days) = details
            .pointer("/validity/days_left")
            .and_then(|d| d.as_i64().or_else(|| d.as_f64().map(|f| f.floor() as i64)))
        else {
            continue;
        };
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
        let sha = text(c.get("sha256"));
        if !seen.insert((target.to_owned(), sha.clone())) {
            continue;
        }
        out.push((
            target.to_owned(),
            sha,
            text(details.get("subject")),
            text(details.pointer("/validity/not_after")),
            days,
        ));
    }
}

/// The observation of `probe` in a target document, when the probe succeeded.
pub fn observation<'a>(doc: &'a Value, probe: &str) -> Option<&'a Value> {
    let p = doc.get("probes")?.get(probe)?;
    if p.get("outcome").and_then(Value::as_str) != Some("success") {
        return None;
    }
    p.get("observation").filter(|o| !o.is_null())
}

type Certificate = (String, String, String, String, i64);

fn expiring(old_certs: &[Certificate], new_certs: &[Certificate]) -> Vec<ExpiringCertificate> {
    let before: BTreeMap<(String, String), i64> = old_certs
        .iter()
        .map(|(t, sha, _, _, days)| ((t.clone(), sha.clone()), *days))
        .collect();
    // A reissued certificate (same target and subject, another key) continues the old one:
    // an expired certificate replaced by another expired one did not newly expire.
    let mut by_subject: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (t, _, subject, _, days) in old_certs {
        let e = by_subject
            .entry((t.clone(), subject.clone()))
            .or_insert(*days);
        *e = (*e).min(*days);
    }
    let mut out = Vec::new();
    for (target, sha, subject, not_after, days) in new_certs.iter().cloned() {
        let Some(window) = window_of(days) else {
            continue;
        };
        let old_window = before
            .get(&(target.clone(), sha.clone()))
            .or_else(|| by_subject.get(&(target.clone(), subject.clone())))
            .and_then(|d| window_of(*d));
        out.push(ExpiringCertificate {
            newly: old_window.is_none_or(|o| window < o),
            target,
            subject,
            sha256: sha,
            not_after,
            days_left: days,
            window,
            old_window,
        });
    }
    out.sort_by(|a, b| {
        (a.days_left, &a.target, &a.sha256).cmp(&(b.days_left, &b.target, &b.sha256))
    });
    out
}

/// One address verdict of a `geo.residency` observation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Residency {
    /// The target.
    pub target: String,
    /// `endpoint` or `name-server NAME`.
    pub role: String,
    /// The address.
    pub address: String,
    /// `in-country`, `out-of-country`, `conflicting`, `unknown`.
    pub status: String,
    /// The declared country.
    pub declared_country: String,
    /// Other countries the evidence names.
    pub other_countries: Vec<String>,
}

/// The address verdicts of one `geo.residency` observation.
pub fn residency_of(target: &str, obs: &Value) -> Vec<Residency> {
    let Some(r) = obs.get("residency") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |role: String, a: &Value| {
        let text = |k: &str| {
            a.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        out.push(Residency {
            target: target.to_owned(),
            role,
            address: text("address"),
            status: text("status"),
            declared_country: text("declared_country"),
            other_countries: a
                .get("other_countries")
                .and_then(Value::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        });
    };
    for a in r
        .get("addresses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        push("endpoint".to_owned(), a);
    }
    for ns in r
        .get("name_servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = ns.get("name").and_then(Value::as_str).unwrap_or("?");
        for a in ns
            .get("addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            push(format!("name-server {name}"), a);
        }
    }
    out
}

const OUT_OF_COUNTRY: &str = "out-of-country";

fn abroad(old: &[Residency], new: &[Residency]) -> Vec<AddressAbroad> {
    let before: BTreeMap<(String, String, String), String> = old
        .iter()
        .map(|r| {
            (
                (r.target.clone(), r.role.clone(), r.address.clone()),
                r.status.clone(),
            )
        })
        .collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for r in new.iter().cloned() {
        if r.status != OUT_OF_COUNTRY {
            continue;
        }
        let key = (r.target.clone(), r.role.clone(), r.address.clone());
        let old_status = before.get(&key).cloned();
        if old_status.as_deref() == Some(OUT_OF_COUNTRY) || !seen.insert(key) {
            continue;
        }
        out.push(AddressAbroad {
            target: r.target,
            role: r.role,
            address: r.address,
            declared_country: r.declared_country,
            other_countries: r.other_countries,
            old_status,
        });
    }
    out
}

/// Replace control characters (a terminal escape in a certificate subject, say) with `?`.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn opt(s: Option<&str>) -> &str {
    s.unwrap_or("-")
}

/// The text form of a diff.
pub fn render_diff(d: &RunDiff) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "diff {} -> {}", d.old_run, d.new_run);
    for w in &d.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    for p in &d.providers {
        let tag = match (p.presence, p.regressions()) {
            ("old-only", _) => "  (not in the new run)",
            ("new-only", true) => "  (new)  REGRESSION",
            ("new-only", false) => "  (new)",
            (_, true) => "  REGRESSION",
            _ if p.unchanged() => "  no change",
            _ => "",
        };
        let grade = if p.old_grade == p.new_grade {
            opt(p.new_grade.as_deref()).to_owned()
        } else {
            format!(
                "{} -> {}",
                opt(p.old_grade.as_deref()),
                opt(p.new_grade.as_deref())
            )
        };
        let _ = writeln!(
            s,
            "\nprovider {}  grade {grade}{tag}",
            printable(&p.provider)
        );
        for g in &p.grade_changes {
            let _ = writeln!(
                s,
                "  {:<13} {}: {} -> {}{}",
                "verdict",
                g.profile,
                opt(g.old.as_deref()),
                opt(g.new.as_deref()),
                if g.worse { "  (worse)" } else { "" }
            );
        }
        if p.old_unreachable {
            let _ = writeln!(
                s,
                "  {:<13} in {}: no probe reached it; each control is compared with the last \
                 run that decided it",
                "was unreachable",
                printable(&d.old_run)
            );
        }
        let decided_now: &[ControlChange] = if p.old_unreachable {
            if !p.decided_now.is_empty() {
                let _ = writeln!(
                    s,
                    "  {:<13} {} failing control{} never decided before (not a regression)",
                    "decided now",
                    p.decided_now.len(),
                    if p.decided_now.len() == 1 { "" } else { "s" }
                );
            }
            &[]
        } else {
            &p.decided_now
        };
        for (label, list) in [
            ("new failure", p.new_failures.as_slice()),
            ("fixed", p.fixed.as_slice()),
            ("decided now", decided_now),
        ] {
            for c in list {
                let _ = writeln!(
                    s,
                    "  {label:<13} {}  {}  ({} -> {}{}; {})",
                    c.control,
                    printable(&c.target),
                    opt(c.old.as_deref()),
                    opt(c.new.as_deref()),
                    c.decided_in
                        .as_deref()
                        .map(|r| format!(", last decided in {}", printable(r)))
                        .unwrap_or_default(),
                    c.profiles.join(", ")
                );
                if !c.detail.is_empty() {
                    let _ = writeln!(s, "  {:<13}   {}", "", printable(&c.detail));
                }
            }
        }
        for c in &p.expiring {
            let when = if c.window == 0 {
                format!("EXPIRED {} days ago", -c.days_left)
            } else {
                format!("expires in {} days, within {}", c.days_left, c.window)
            };
            let _ = writeln!(
                s,
                "  {:<13} {}  {}  {when} ({}){}",
                "certificate",
                printable(&c.target),
                printable(&c.subject),
                printable(&c.not_after),
                if c.newly { "  new" } else { "" }
            );
        }
        for a in &p.new_abroad {
            let _ = writeln!(
                s,
                "  {:<13} {}  {} ({}) outside {}{}  (was {})",
                "abroad",
                printable(&a.target),
                printable(&a.address),
                printable(&a.role),
                printable(&a.declared_country),
                if a.other_countries.is_empty() {
                    String::new()
                } else {
                    format!(", in {}", printable(&a.other_countries.join(", ")))
                },
                opt(a.old_status.as_deref())
            );
        }
    }
    let n = d.providers.iter().filter(|p| p.regressions()).count();
    let _ = writeln!(
        s,
        "\n{}",
        if n == 0 {
            "no regressions".to_owned()
        } else {
            format!("regressions: {n} provider{}", if n == 1 { "" } else { "s" })
        }
    );
    s
}

/// Arguments of `kensa diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older run: a run directory, an evidence.jsonl, or a run id in the run database.
    #[arg(value_name = "RUN_A")]
    pub old: PathBuf,
    /// The newer run.
    #[arg(value_name = "RUN_B")]
    pub new: PathBuf,
    /// The run database run ids are read from: a SQLite file or a PostgreSQL URL
    /// (postgres://…) (default: $KENSA_DB, else ./kensa.db).
    #[arg(long, value_name = "FILE|URL")]
    pub db: Option<PathBuf>,
}

/// A run named on the command line: an existing run directory or evidence file, else a run
/// id read back (and verified) from the run database.
fn load_named(name: &Path, db: Option<&Path>) -> Result<Run, DiffError> {
    if name.exists() {
        return Ok(doc::load(name)?);
    }
    let no_such = |e: StoreError| DiffError::NoSuchRun {
        name: name.display().to_string(),
        why: e.to_string(),
    };
    let st = store::open_for_reading(db).map_err(no_such)?;
    match st.load_run(&name.display().to_string()) {
        Ok(run) => Ok(run),
        // A run that is there but cannot be used (edited, recorded without its lines) says so.
        Err(e @ StoreError::UnknownRun { .. }) => Err(no_such(e)),
        Err(e) => Err(e.into()),
    }
}

/// `kensa diff`: stdout text (or JSON) and exit status (1 when something regressed).
pub fn diff(args: &DiffArgs) -> Result<RunDiff, DiffError> {
    let db = args.db.as_deref();
    let d = if !args.old.exists() && !args.new.exists() {
        // Both are run ids: compared by the assessments the store recorded.
        let no_such = |name: &Path, e: StoreError| DiffError::NoSuchRun {
            name: name.display().to_string(),
            why: e.to_string(),
        };
        let st = store::open_for_reading(db).map_err(|e| no_such(&args.old, e))?;
        for name in [&args.old, &args.new] {
            let id = name.display().to_string();
            if !st.contains_run(&id)? {
                return Err(no_such(
                    name,
                    StoreError::UnknownRun {
                        path: st.db_name(),
                        run_id: id,
                    },
                ));
            }
        }
        diff_stored(
            st.as_ref(),
            &args.old.display().to_string(),
            &args.new.display().to_string(),
        )?
    } else {
        let lib = Library::builtin()?;
        let old = Facts::assessed(&lib, &load_named(&args.old, db)?, Details::Never)?;
        let new = Facts::assessed(&lib, &load_named(&args.new, db)?, Details::Against(&old))?;
        diff_facts(&lib, &old, &new, &[])
    };
    for w in &d.warnings {
        tracing::warn!("{w}");
    }
    Ok(d)
}

impl crate::output::Render for RunDiff {
    fn text(&self) -> String {
        render_diff(self)
    }
    fn json(&self) -> String {
        crate::output::json_of(self)
    }
    /// 1 when a provider regressed.
    fn exit_code(&self) -> u8 {
        u8::from(self.regression)
    }
}

/// Arguments of `kensa history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The provider id.
    #[arg(value_name = "PROVIDER")]
    pub provider: String,
    /// The run database: a SQLite file or a PostgreSQL URL (postgres://…) (default:
    /// $KENSA_DB, else ./kensa.db).
    #[arg(long, value_name = "FILE|URL")]
    pub db: Option<PathBuf>,
}

/// A provider's grades over time, from the run database.
#[derive(Clone, Debug, Serialize)]
pub struct History {
    /// The provider id.
    pub provider: String,
    /// The profiles seen, in listing order.
    pub profiles: Vec<String>,
    /// Its runs, oldest first.
    pub runs: Vec<store::RunSummary>,
}

/// Read a provider's history from `store`.
pub fn history_of(store: &dyn StoredRuns, provider: &str) -> Result<History, DiffError> {
    let runs = store.grade_history(provider)?;
    if runs.is_empty() {
        let known: Vec<String> = store
            .latest_per_provider()?
            .into_iter()
            .map(|s| s.provider)
            .collect();
        return Err(DiffError::UnknownProvider {
            db: store.db_name(),
            provider: provider.to_owned(),
            suggestion: crate::suggest::hint(provider, known.iter().map(String::as_str)),
            known: if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            },
        });
    }
    let mut profiles: Vec<String> = runs
        .iter()
        .flat_map(|r| r.grades.iter().map(|g| g.profile.clone()))
        .collect();
    profiles.sort_by_key(|p| store::profile_order(p));
    profiles.dedup();
    Ok(History {
        provider: provider.to_owned(),
        profiles,
        runs,
    })
}

/// The text form of a history: one line per run, a column per profile.
pub fn render_history(h: &History) -> String {
    let mut rows: Vec<Vec<String>> = vec![
        ["STARTED", "RUN", "STATUS", "GRADE"]
            .iter()
            .map(|s| (*s).to_owned())
            .chain(h.profiles.iter().cloned())
            .collect(),
    ];
    for r in &h.runs {
        let mut row = vec![
            opt(r.started.as_deref()).to_owned(),
            r.run_id.clone(),
            format!("{}/{}", opt(r.status.as_deref()), r.integrity),
            opt(r.grade.as_deref()).to_owned(),
        ];
        for p in &h.profiles {
            row.push(
                r.grades
                    .iter()
                    .find(|g| &g.profile == p)
                    .map_or("-".to_owned(), |g| g.verdict.clone()),
            );
        }
        rows.push(row);
    }
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut s = format!(
        "provider {}: {} run{}\n",
        printable(&h.provider),
        h.runs.len(),
        if h.runs.len() == 1 { "" } else { "s" }
    );
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{:<w$}", printable(c)))
            .collect();
        s.push_str(cells.join("  ").trim_end());
        s.push('\n');
    }
    s
}

/// `kensa history`: stdout text (or JSON) and exit status.
pub fn history(args: &HistoryArgs) -> Result<History, DiffError> {
    let st = store::open_for_reading(args.db.as_deref())?;
    history_of(st.as_ref(), &args.provider)
}

impl crate::output::Render for History {
    fn text(&self) -> String {
        render_history(self)
    }
    fn json(&self) -> String {
        crate::output::json_of(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_windows() {
        assert_eq!(window_of(-1), Some(0));
        assert_eq!(window_of(0), Some(7));
        assert_eq!(window_of(7), Some(7));
        assert_eq!(window_of(8), Some(14));
        assert_eq!(window_of(14), Some(14));
        assert_eq!(window_of(30), Some(30));
        assert_eq!(window_of(31), None);
    }

    #[test]
    fn control_characters_are_not_printed() {
        assert_eq!(printable("CN=a\u{1b}[31mb\n"), "CN=a?[31mb?");
    }
}

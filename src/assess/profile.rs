//! Profiles: named, versioned sets of controls with parameters, kept as TOML data.
//!
//! ```toml
//! id = "kensa-level-2"
//! version = "1.0.0"
//! title = "Strong configuration"
//! description = "…"
//! grading = "pass-fail"            # pass-fail | ladder | ssl-labs
//! extends = ["kensa-level-1"]      # built-in profiles whose controls and params it includes
//! controls = ["KENSA-TLS-010"]     # built-in controls, by id
//! [params]                         # what rules read as `params.*`
//! max_cert_lifetime_days = 398
//! [[control]]                      # the profile's own controls (same fields as controls/*.toml)
//! ```
//!
//! `ladder` profiles name their `levels` (best first) and which of them are `passing`; each
//! control's `on_fail` is the level a failure gives. `ssl-labs` profiles add `[[score]]`
//! categories, `[[threshold]]`s and the `[[not_evaluated]]` caps kensa cannot judge yet (see
//! [`super::ssllabs`]). A `[coverage]` table lists the clauses of the standard the profile
//! implements, those no scan can check from outside, and those not implemented ([`Coverage`]).
//! Built-in profiles (`profiles/*.toml`) are embedded in the binary; a
//! profile file of an evaluator's own is loaded the same way (`--profile FILE`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::AssessError;
use super::control::{self, Control, ControlDef};

/// How a profile's findings become a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grading {
    /// `pass` when every control passes or does not apply, `fail` on any failure, otherwise
    /// `inconclusive`.
    PassFail,
    /// The worst level any failing control gives (`on_fail`), or the best level when none
    /// fails; `inconclusive` when an inconclusive control could give a worse one.
    Ladder,
    /// Qualys SSL Labs: a letter from three weighted scores, capped by failing controls.
    SslLabs,
}

impl Grading {
    /// The kebab-case name, as written in profile files (`pass-fail`, `ladder`, `ssl-labs`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PassFail => "pass-fail",
            Self::Ladder => "ladder",
            Self::SslLabs => "ssl-labs",
        }
    }
}

/// One SSL Labs score category.
#[derive(Clone, Debug, Serialize)]
pub struct Score {
    /// The category (`protocol`, `key-exchange`, `cipher-strength`).
    pub name: String,
    /// Its weight, percent.
    pub weight: u32,
    /// Probes it needs.
    pub needs: Vec<String>,
    /// CEL expression giving 0..100.
    pub expr: String,
    #[serde(skip)]
    pub(crate) prog: Arc<cel::Program>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("id", &self.id)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// A minimum total score for a letter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The letter.
    pub level: String,
    /// The minimum total score.
    pub min: f64,
}

/// A rule of the standard that kensa cannot evaluate yet (listed in every report).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotEvaluated {
    /// What the rule checks (e.g. `ROBOT`).
    pub name: String,
    /// The grade it gives.
    pub cap: String,
    /// Why kensa cannot judge it.
    pub reason: String,
}

/// What a profile covers of its standard, clause by clause, so that nobody reads a pass as
/// more than it is. Each entry names a clause (or a group of clauses) and says what of it is
/// judged, by which controls, or why not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// The edition of the standard the profile implements, and how its text was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Clauses the profile's controls judge.
    #[serde(default)]
    pub implemented: Vec<String>,
    /// Clauses no scan from outside can judge (key management, logging, client settings, ...).
    #[serde(default)]
    pub not_checkable: Vec<String>,
    /// Clauses that could be judged from outside but are not (yet), or whose text could not be
    /// read.
    #[serde(default)]
    pub not_implemented: Vec<String>,
}

impl Coverage {
    /// True when nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.edition.is_none()
            && self.implemented.is_empty()
            && self.not_checkable.is_empty()
            && self.not_implemented.is_empty()
    }

    /// One line: how many clauses are implemented, not checkable, not implemented.
    pub fn summary(&self) -> String {
        format!(
            "{} clause(s) implemented, {} not checkable from outside, {} not implemented",
            self.implemented.len(),
            self.not_checkable.len(),
            self.not_implemented.len()
        )
    }
}

/// A loaded profile.
#[derive(Clone)]
pub struct Profile {
    /// Stable id (`kensa-level-2`).
    pub id: String,
    /// Version of the profile.
    pub version: String,
    /// Title.
    pub title: String,
    /// What it is for.
    pub description: String,
    /// Where it was loaded from (`builtin` or a path).
    pub source: String,
    /// How findings become a verdict.
    pub grading: Grading,
    /// Ladder levels, best first (`pass`, `fail` for pass-fail).
    pub levels: Vec<String>,
    /// The levels that count as passing.
    pub passing: Vec<String>,
    /// SSL Labs: grades outside the ladder (`T`, `M`), in priority order.
    pub out_of_band: Vec<String>,
    /// Parameters (`params.*` in rules).
    pub params: serde_json::Value,
    /// Controls, in order (inherited first).
    pub controls: Vec<Arc<Control>>,
    /// SSL Labs score categories.
    pub scores: Vec<Score>,
    /// SSL Labs thresholds, highest first.
    pub thresholds: Vec<Threshold>,
    /// Rules kensa cannot evaluate.
    pub not_evaluated: Vec<NotEvaluated>,
    /// What the profile covers of its standard.
    pub coverage: Coverage,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreDef {
    name: String,
    weight: u32,
    needs: Vec<String>,
    expr: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileDef {
    id: Spanned<String>,
    version: String,
    title: String,
    description: String,
    grading: Grading,
    #[serde(default)]
    levels: Vec<String>,
    #[serde(default)]
    passing: Vec<String>,
    #[serde(default)]
    out_of_band: Vec<String>,
    #[serde(default)]
    extends: Vec<Spanned<String>>,
    #[serde(default)]
    controls: Vec<Spanned<String>>,
    #[serde(default)]
    params: BTreeMap<Spanned<String>, toml::Value>,
    #[serde(default)]
    control: Vec<ControlDef>,
    #[serde(default)]
    score: Vec<ScoreDef>,
    #[serde(default)]
    threshold: Vec<Threshold>,
    #[serde(default)]
    not_evaluated: Vec<NotEvaluated>,
    #[serde(default)]
    coverage: Coverage,
}

/// The built-in profiles: name and text.
pub const BUILTIN_PROFILE_FILES: &[(&str, &str)] = &[
    (
        "kensa-level-1",
        include_str!("../../profiles/kensa-level-1.toml"),
    ),
    (
        "kensa-level-2",
        include_str!("../../profiles/kensa-level-2.toml"),
    ),
    (
        "kensa-level-3",
        include_str!("../../profiles/kensa-level-3.toml"),
    ),
    (
        "cryptrec-high",
        include_str!("../../profiles/cryptrec-high.toml"),
    ),
    (
        "cryptrec-recommended",
        include_str!("../../profiles/cryptrec-recommended.toml"),
    ),
    (
        "cryptrec-exception",
        include_str!("../../profiles/cryptrec-exception.toml"),
    ),
    (
        "nist-sp800-52r2",
        include_str!("../../profiles/nist-sp800-52r2.toml"),
    ),
    (
        "bsi-tr-02102-2",
        include_str!("../../profiles/bsi-tr-02102-2.toml"),
    ),
    (
        "ncsc-nl-2025",
        include_str!("../../profiles/ncsc-nl-2025.toml"),
    ),
    (
        "mozilla-modern",
        include_str!("../../profiles/mozilla-modern.toml"),
    ),
    (
        "mozilla-intermediate",
        include_str!("../../profiles/mozilla-intermediate.toml"),
    ),
    ("ssl-labs", include_str!("../../profiles/ssl-labs.toml")),
    (
        "kensa-declaration",
        include_str!("../../profiles/kensa-declaration.toml"),
    ),
];

/// Parameters the grading code reads itself, besides those the rules name.
const PARAMS_READ_BY_CODE: &[&str] = &["trust_stores"];

/// Every parameter `params.NAME` that the controls' rules, conditions, evidence expressions
/// and titles or the scores' expressions name, and those the grading code reads.
fn params_read(controls: &[Arc<Control>], scores: &[Score]) -> std::collections::BTreeSet<String> {
    static NAME: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"params\.([A-Za-z_][A-Za-z0-9_]*)").ok());
    let mut out: std::collections::BTreeSet<String> = PARAMS_READ_BY_CODE
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let texts = controls
        .iter()
        .flat_map(|c| {
            [c.rule.as_str(), c.title.as_str()]
                .into_iter()
                .chain(c.applies_if.as_deref())
                .chain(c.evidence.iter().map(String::as_str))
        })
        .chain(scores.iter().map(|s| s.expr.as_str()));
    if let Some(re) = NAME.as_ref() {
        for t in texts {
            out.extend(
                re.captures_iter(t)
                    .filter_map(|c| c.get(1))
                    .map(|m| m.as_str().to_owned()),
            );
        }
    }
    out
}

/// The ids of the built-in profiles, in listing order.
pub fn builtin_profile_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN_PROFILE_FILES.iter().map(|(id, _)| *id)
}

/// The ids of the kensa grade ladder, lowest first.
pub const KENSA_LEVELS: [&str; 3] = ["kensa-level-1", "kensa-level-2", "kensa-level-3"];

/// The library the profiles draw on: the built-in controls.
pub struct Library {
    controls: BTreeMap<String, Arc<Control>>,
}

impl Library {
    /// Load the built-in controls.
    pub fn builtin() -> Result<Self, AssessError> {
        Ok(Self {
            controls: control::builtin()?,
        })
    }

    /// Every built-in control, by id.
    pub fn controls(&self) -> &BTreeMap<String, Arc<Control>> {
        &self.controls
    }

    /// Every built-in profile, in listing order.
    pub fn builtin_profiles(&self) -> Result<Vec<Profile>, AssessError> {
        BUILTIN_PROFILE_FILES
            .iter()
            .map(|(name, _)| self.builtin_profile(name))
            .collect()
    }

    /// A built-in profile by id.
    pub fn builtin_profile(&self, name: &str) -> Result<Profile, AssessError> {
        let Some((_, text)) = BUILTIN_PROFILE_FILES.iter().find(|(n, _)| *n == name) else {
            return Err(AssessError::UnknownProfile(name.to_owned()));
        };
        self.parse(&format!("profiles/{name}.toml"), text, "builtin", 0)
    }

    /// A built-in profile by id, or a profile file.
    pub fn load(&self, name_or_file: &str) -> Result<Profile, AssessError> {
        if BUILTIN_PROFILE_FILES
            .iter()
            .any(|(n, _)| *n == name_or_file)
        {
            return self.builtin_profile(name_or_file);
        }
        let path = Path::new(name_or_file);
        if !path.is_file() {
            return Err(AssessError::UnknownProfile(name_or_file.to_owned()));
        }
        let text = std::fs::read_to_string(path).map_err(|source| AssessError::Read {
            path: name_or_file.to_owned(),
            source,
        })?;
        self.parse(name_or_file, &text, name_or_file, 0)
    }

    /// Parse a profile's text; `file` names it in errors.
    pub fn parse(
        &self,
        file: &str,
        text: &str,
        source: &str,
        depth: usize,
    ) -> Result<Profile, AssessError> {
        let def: ProfileDef =
            toml::from_str(text).map_err(|e| control::toml_error(file, text, &e))?;
        let at = |offset: usize, m: String| AssessError::at(file, text, offset, m);
        let id = def.id.get_ref().clone();
        let mut controls: Vec<Arc<Control>> = Vec::new();
        let mut params = serde_json::Map::new();
        for parent in &def.extends {
            if depth > 4 || parent.get_ref() == &id {
                return Err(at(
                    parent.span().start,
                    "profiles extend each other in a cycle".into(),
                ));
            }
            let p = self.builtin_profile(parent.get_ref()).map_err(|_| {
                at(
                    parent.span().start,
                    format!(
                        "unknown profile {:?} in `extends`: expected a built-in profile",
                        parent.get_ref()
                    ),
                )
            })?;
            for c in p.controls {
                if !controls.iter().any(|k| k.id == c.id) {
                    controls.push(c);
                }
            }
            if let serde_json::Value::Object(m) = p.params {
                params.extend(m);
            }
        }
        for r in &def.controls {
            let Some(c) = self.controls.get(r.get_ref()) else {
                return Err(at(
                    r.span().start,
                    format!(
                        "unknown control {:?}: expected a built-in control id (see `kensa controls`) \
                         or define it in a [[control]] table of this file",
                        r.get_ref()
                    ),
                ));
            };
            if !controls.iter().any(|k| k.id == c.id) {
                controls.push(c.clone());
            }
        }
        for d in def.control {
            let start = d.id.span().start;
            let c = Control::from_def(file, text, d)?;
            if self.controls.contains_key(&c.id) || controls.iter().any(|k| k.id == c.id) {
                return Err(at(
                    start,
                    format!(
                        "control id {} is already taken (a built-in control or one listed above): \
                         give your control its own id",
                        c.id
                    ),
                ));
            }
            controls.push(Arc::new(c));
        }
        let mut scores = Vec::new();
        for s in def.score {
            let prog = control::compile(file, text, &s.expr, &format!("score {}", s.name))?;
            scores.push(Score {
                name: s.name,
                weight: s.weight,
                needs: s.needs,
                expr: s.expr.into_inner(),
                prog: Arc::new(prog),
            });
        }
        // A parameter no rule reads is a misspelling (`max_cert_lifetim_days`) that would
        // silently leave the default in force: refused where it is written.
        let read = params_read(&controls, &scores);
        for (key, value) in def.params {
            if !read.contains(key.get_ref().as_str()) {
                return Err(at(
                    key.span().start,
                    format!(
                        "unknown parameter `{}` in [params]{}: no control of profile {id} reads \
                         it (it reads: {})",
                        key.get_ref(),
                        crate::suggest::hint(key.get_ref(), read.iter().map(String::as_str)),
                        read.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            params.insert(
                key.into_inner(),
                serde_json::to_value(&value).unwrap_or_default(),
            );
        }
        let (levels, passing) = match def.grading {
            Grading::PassFail => (
                vec!["pass".to_owned(), "fail".to_owned()],
                vec!["pass".to_owned()],
            ),
            Grading::Ladder | Grading::SslLabs => (def.levels, def.passing),
        };
        if levels.len() < 2 {
            return Err(at(
                0,
                format!("profile {id}: `levels` needs at least two levels, best first"),
            ));
        }
        for l in passing.iter().chain(def.out_of_band.iter()) {
            if !levels.contains(l) && !def.out_of_band.contains(l) {
                return Err(at(
                    0,
                    format!("profile {id}: level {l:?} is not in `levels`"),
                ));
            }
        }
        for c in &controls {
            if let Some(l) = &c.on_fail
                && def.grading != Grading::PassFail
                && !levels.contains(l)
                && !def.out_of_band.contains(l)
            {
                return Err(at(
                    0,
                    format!(
                        "profile {id}: control {} gives level {l:?}, which is not in `levels`",
                        c.id
                    ),
                ));
            }
        }
        if def.grading == Grading::SslLabs && (scores.is_empty() || def.threshold.is_empty()) {
            return Err(at(
                0,
                format!("profile {id}: ssl-labs grading needs [[score]] and [[threshold]] tables"),
            ));
        }
        Ok(Profile {
            id,
            version: def.version,
            title: def.title,
            description: def.description,
            source: source.to_owned(),
            grading: def.grading,
            levels,
            passing,
            out_of_band: def.out_of_band,
            params: serde_json::Value::Object(params),
            controls,
            scores,
            thresholds: def.threshold,
            not_evaluated: def.not_evaluated,
            coverage: def.coverage,
        })
    }
}

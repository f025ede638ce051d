//! Controls: a stable id, a title, a severity, the evidence it needs, its rule (CEL), the
//! clause it comes from and a rationale.
//!
//! Controls are data. The built-in ones live in `controls/*.toml` (embedded in the binary);
//! a profile file may define its own with the same fields, and both go through the same
//! loader and evaluator. A control file holds `[[control]]` tables:
//!
//! ```toml
//! [[control]]
//! id = "KENSA-TLS-001"
//! title = "No SSL 2.0 or SSL 3.0"
//! severity = "critical"                 # critical | high | medium | low | info
//! level = "shall"                       # shall (default) | should | may: an unmet should/may
//!                                       # is a warning, never a failure of the profile
//! needs = ["tls.scan"]                  # probes whose success the rule depends on
//! applies_if = "…"                      # optional CEL bool: false → not-applicable
//! rule = "!tls.protocols.exists(p, p.accepted && p.version in ['SSLv2', 'SSLv3'])"
//! evidence = ["tls.protocols.filter(p, p.accepted).map(p, p.version)"]
//! clause = { standard = "RFC 8996", section = "§2; RFC 7568 §2" }
//! rationale = "…"
//! on_fail = "F"                         # ladder profiles: the level a failure caps at
//! ```
//!
//! The rule sees the variables `target`, `provider`, `probes` (the whole
//! [evidence document](super::doc)), one alias per probe observation (`tls` = `tls.scan`,
//! `x509` = `x509.chain`, `http` = `http.headers`, `latency` = `latency.tcp`, `dns` =
//! `dns.resolve`, `geo` = `geo.residency`) and `params` (the profile's parameters). It returns
//! a bool (true = pass) or one of the strings `pass`, `fail`, `not-applicable`,
//! `inconclusive` (or `inconclusive: WHY`, giving the finding that reason). The functions
//! `max` and `min` are added to CEL's standard library.
//!
//! A rule must not pass on evidence that does not decide it: a field the probe left null, a
//! version it did not try (`answer.kind` `not-tried` or `no-connection`), a check `inconclusive`
//! or `not-tested`, or an empty list where the rule would hold vacuously give `'inconclusive'`
//! (or `not-applicable` through `applies_if` when the thing judged does not exist).

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::AssessError;

/// The CEL environment every rule is compiled and run in: CEL's standard library and macros.
pub static CEL_ENV: LazyLock<Arc<cel::Env>> = LazyLock::new(|| Arc::new(cel::Env::stdlib()));

/// The probe ids a rule may name in `needs`, with the variable their observation is bound to.
pub fn probe_variables() -> impl Iterator<Item = (&'static str, &'static str)> {
    crate::probes::REGISTRY
        .iter()
        .map(|p| (p.id.as_str(), p.cel_var))
}

/// How much a failure matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Broken security: an attacker can read or alter traffic, or impersonate the server.
    Critical,
    /// A serious weakness or a missing required protection.
    High,
    /// A weakness that needs effort or circumstances to exploit, or a missing recommended one.
    Medium,
    /// Hygiene.
    Low,
    /// Recorded for information.
    Info,
}

impl Severity {
    /// The kebab-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
            Self::Info => "info",
        }
    }
}

/// How binding the clause a control checks is, in the standard's own words (RFC 2119 terms):
/// a requirement (`shall`, `must`), a recommendation (`should`) or a permission (`may`).
///
/// Only an unmet `shall` fails a profile. An unmet `should` or `may` control gives the
/// finding [`Warning`](super::eval::Outcome::Warning): shown and counted, never failing.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Requirement {
    /// A requirement (shall, must, required, 遵守項目): unmet, the profile fails.
    #[default]
    Shall,
    /// A recommendation (should, recommended, 推奨項目): unmet, a warning.
    Should,
    /// A permission or option (may): unmet, a warning.
    May,
}

impl Requirement {
    /// The kebab-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Shall => "shall",
            Self::Should => "should",
            Self::May => "may",
        }
    }
}

/// Where a control comes from: a standard and a section of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// The standard (e.g. `NIST SP 800-52r2`, `RFC 8996`).
    pub standard: String,
    /// The section(s) (e.g. `§3.1`).
    pub section: String,
    /// A note on how sure the citation is, when it could not be checked against the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A control as written in a TOML file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlDef {
    /// Stable id.
    pub id: Spanned<String>,
    /// One-line title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// How binding the clause is (`shall` by default).
    #[serde(default)]
    pub level: Requirement,
    /// Probe ids the rule needs.
    pub needs: Spanned<Vec<String>>,
    /// Optional CEL bool: false gives not-applicable.
    #[serde(default)]
    pub applies_if: Option<Spanned<String>>,
    /// The CEL rule.
    pub rule: Spanned<String>,
    /// CEL expressions whose values are recorded with each finding.
    #[serde(default)]
    pub evidence: Vec<Spanned<String>>,
    /// The clause.
    pub clause: Clause,
    /// Why the control matters.
    pub rationale: String,
    /// Ladder profiles: the level a failure gives.
    #[serde(default)]
    pub on_fail: Option<String>,
    /// True when the evidence shape the rule reads is provisional, or when the clause could
    /// not be checked against the standard's text (the `note` says which).
    #[serde(default)]
    pub provisional: bool,
}

/// A control ready to evaluate: its definition with the CEL programs compiled.
pub struct Control {
    /// Stable id.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// How binding the clause is: only an unmet `shall` fails a profile.
    pub level: Requirement,
    /// Probe ids the rule needs.
    pub needs: Vec<String>,
    /// The `applies_if` source, if any.
    pub applies_if: Option<String>,
    /// The rule source.
    pub rule: String,
    /// The evidence expressions' sources.
    pub evidence: Vec<String>,
    /// The clause.
    pub clause: Clause,
    /// Why it matters.
    pub rationale: String,
    /// Ladder profiles: the level a failure gives.
    pub on_fail: Option<String>,
    /// The evidence shape it reads is provisional, or its clause was not checked against the
    /// standard's text ([`Control::caveat`]).
    pub provisional: bool,
    /// Where it was defined (`file:line`).
    pub defined_at: String,
    pub(crate) applies_prog: Option<cel::Program>,
    pub(crate) rule_prog: cel::Program,
    pub(crate) evidence_progs: Vec<cel::Program>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("id", &self.id)
            .field("rule", &self.rule)
            .finish_non_exhaustive()
    }
}

/// The probe variables (`tls`, `x509`, ..., `probes`) an expression names: identifiers
/// outside string literals that are not field names (not right after a `.`).
pub fn probe_variables_read(src: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while let Some(&b) = bytes.get(i) {
        if let Some(q) = quote {
            if b == b'\\' {
                i += 1;
            } else if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if b == b'\'' || b == b'"' {
            quote = Some(b);
            i += 1;
            continue;
        }
        if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while bytes
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                i += 1;
            }
            let after_dot = start > 0 && bytes.get(start - 1) == Some(&b'.');
            let word = src.get(start..i).unwrap_or_default();
            if !after_dot {
                let var = probe_variables()
                    .map(|(_, v)| v)
                    .chain(std::iter::once("probes"))
                    .find(|v| *v == word);
                if let Some(v) = var
                    && !found.contains(&v)
                {
                    found.push(v);
                }
            }
            continue;
        }
        i += 1;
    }
    found
}

/// Whether `id` is a well-formed control id: upper-case letters, digits and `-`, starting
/// with a letter and ending with a number (`TLS-PROTO-001`).
pub fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.first().is_some_and(u8::is_ascii_uppercase)
        && b.last().is_some_and(u8::is_ascii_digit)
        && b.len() <= 40
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'-')
}

/// Compile a CEL expression written at `span` of `text`.
pub fn compile(
    file: &str,
    text: &str,
    src: &Spanned<String>,
    what: &str,
) -> Result<cel::Program, AssessError> {
    CEL_ENV.compile(src.get_ref()).map_err(|e| {
        let msg = e.to_string().replace("<input>", what);
        AssessError::at(
            file,
            text,
            src.span().start,
            format!("invalid CEL in {what}: {msg}"),
        )
    })
}

/// Phrases by which a clause's `note` says the citation was not checked against the
/// standard's text; every built-in control whose note says one of them is `provisional`
/// (tests/assess.rs checks it).
pub const UNCHECKED_PHRASES: &[&str] = &[
    "not checked",
    "could not be read",
    "not read here",
    "was not read",
    "not found",
    "not located",
    "not confirmed",
    "not identified",
    "not seen there",
    "secondary citation",
    "NOT READ",
];

/// `title` with each `params.KEY` placeholder replaced by the value `params` holds for it (a
/// list as `a, b`, a string without quotes), a unit added from the key's suffix (`_s`
/// seconds, `_days`, `_bits`) unless the title already says it. A key `params` lacks stays
/// as written.
pub fn render_title(title: &str, params: &serde_json::Value) -> String {
    let mut out = String::with_capacity(title.len());
    let mut rest = title;
    while let Some(i) = rest.find("params.") {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + "params.".len()..).unwrap_or_default();
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let key = after.get(..end).unwrap_or_default();
        let tail = after.get(end..).unwrap_or_default();
        match params.get(key).filter(|_| !key.is_empty()) {
            Some(v) => {
                out.push_str(&param_text(v));
                let unit = if key.ends_with("_days") {
                    Some("days")
                } else if key.ends_with("_bits") {
                    Some("bits")
                } else if key.ends_with("_s") {
                    Some("s")
                } else {
                    None
                };
                if let Some(u) = unit
                    && !tail.trim_start().starts_with(u)
                    && v.is_number()
                {
                    out.push(' ');
                    out.push_str(u);
                }
            }
            None => {
                out.push_str("params.");
                out.push_str(key);
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn param_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(param_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

impl Control {
    /// The title with the values `params` (a profile's parameters) holds in place of its
    /// `params.KEY` placeholders ([`render_title`]).
    pub fn title_with(&self, params: &serde_json::Value) -> String {
        render_title(&self.title, params)
    }

    /// The caveat a report shows beside this control's findings: its citation was not checked
    /// against the standard's text (the clause's note), when it is provisional and says so.
    pub fn caveat(&self) -> Option<String> {
        if !self.provisional {
            return None;
        }
        Some(match &self.clause.note {
            Some(n) => format!("citation not checked against the standard's text: {n}"),
            None => "provisional: the evidence shape this control reads may change".to_owned(),
        })
    }

    /// Check and compile a definition read from `file` (whose text is `text`).
    pub fn from_def(file: &str, text: &str, def: ControlDef) -> Result<Self, AssessError> {
        let at = |offset: usize, m: String| AssessError::at(file, text, offset, m);
        let id = def.id.get_ref().clone();
        if !valid_id(&id) {
            return Err(at(
                def.id.span().start,
                format!(
                    "invalid control id {id:?}: expected upper-case letters, digits and '-', \
                     ending with a number, e.g. \"TLS-PROTO-001\""
                ),
            ));
        }
        // A control may need no probe only when it reads none: it then judges what was
        // recorded in run-begin (a provider's declaration, `decl.signature`, `decl.unobservable`).
        if def.needs.get_ref().is_empty() {
            let texts = std::iter::once(def.rule.get_ref())
                .chain(def.applies_if.as_ref().map(Spanned::get_ref))
                .chain(def.evidence.iter().map(Spanned::get_ref));
            if let Some(var) = texts.flat_map(|t| probe_variables_read(t)).next() {
                return Err(at(
                    def.needs.span().start,
                    format!(
                        "control {id}: `needs` is empty but the rule reads `{var}`: name the \
                         probes the rule reads"
                    ),
                ));
            }
        }
        for n in def.needs.get_ref() {
            if !probe_variables().any(|(p, _)| p == n) {
                let known: Vec<&str> = probe_variables().map(|(p, _)| p).collect();
                return Err(at(
                    def.needs.span().start,
                    format!(
                        "control {id}: unknown probe {n:?} in `needs`: expected one of {}",
                        known.join(", ")
                    ),
                ));
            }
        }
        let applies_prog = def
            .applies_if
            .as_ref()
            .map(|s| compile(file, text, s, &format!("{id}.applies_if")))
            .transpose()?;
        let rule_prog = compile(file, text, &def.rule, &format!("{id}.rule"))?;
        let evidence_progs = def
            .evidence
            .iter()
            .map(|s| compile(file, text, s, &format!("{id}.evidence")))
            .collect::<Result<Vec<_>, _>>()?;
        let (line, _) = super::line_col(text, def.id.span().start);
        Ok(Self {
            defined_at: format!("{file}:{line}"),
            id,
            title: def.title,
            severity: def.severity,
            level: def.level,
            needs: def.needs.into_inner(),
            applies_if: def.applies_if.map(Spanned::into_inner),
            rule: def.rule.into_inner(),
            evidence: def.evidence.into_iter().map(Spanned::into_inner).collect(),
            clause: def.clause,
            rationale: def.rationale,
            on_fail: def.on_fail,
            provisional: def.provisional,
            applies_prog,
            rule_prog,
            evidence_progs,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlFile {
    #[serde(default)]
    control: Vec<ControlDef>,
}

/// Parse a TOML error into a located [`AssessError`].
pub fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> AssessError {
    let offset = e.span().map_or(0, |s| s.start);
    AssessError::at(file, text, offset, e.message().trim().to_owned())
}

/// Parse a control file (`[[control]]` tables).
pub fn parse_controls(file: &str, text: &str) -> Result<Vec<Control>, AssessError> {
    let parsed: ControlFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    parsed
        .control
        .into_iter()
        .map(|d| Control::from_def(file, text, d))
        .collect()
}

/// The built-in control files: name and text.
pub const BUILTIN_CONTROL_FILES: &[(&str, &str)] = &[
    (
        "controls/kensa.toml",
        include_str!("../../controls/kensa.toml"),
    ),
    (
        "controls/cryptrec.toml",
        include_str!("../../controls/cryptrec.toml"),
    ),
    (
        "controls/nist.toml",
        include_str!("../../controls/nist.toml"),
    ),
    ("controls/bsi.toml", include_str!("../../controls/bsi.toml")),
    (
        "controls/ncsc-nl.toml",
        include_str!("../../controls/ncsc-nl.toml"),
    ),
    (
        "controls/mozilla.toml",
        include_str!("../../controls/mozilla.toml"),
    ),
    (
        "controls/ssl-labs.toml",
        include_str!("../../controls/ssl-labs.toml"),
    ),
    (
        "controls/decl.toml",
        include_str!("../../controls/decl.toml"),
    ),
    (
        "controls/route.toml",
        include_str!("../../controls/route.toml"),
    ),
];

/// Every built-in control by id. Errors are bugs (the tests load every file).
pub fn builtin() -> Result<BTreeMap<String, Arc<Control>>, AssessError> {
    let mut all = BTreeMap::new();
    for (file, text) in BUILTIN_CONTROL_FILES {
        for c in parse_controls(file, text)? {
            if let Some(prev) = all.get(&c.id) {
                let prev: &Arc<Control> = prev;
                return Err(AssessError::Definition {
                    file: (*file).to_owned(),
                    line: c
                        .defined_at
                        .rsplit(':')
                        .next()
                        .and_then(|l| l.parse().ok())
                        .unwrap_or(0),
                    col: 1,
                    message: format!(
                        "duplicate control id {} (first at {})",
                        c.id, prev.defined_at
                    ),
                });
            }
            all.insert(c.id.clone(), Arc::new(c));
        }
    }
    Ok(all)
}

/// Control ids that were used once and must never be used again.
pub const RETIRED: &[&str] = &[];

#[cfg(test)]
mod tests {
    use super::render_title;

    #[test]
    fn titles_show_the_parameter_values_in_force_issue_23() {
        let p = serde_json::json!({
            "hsts_min_age_s": 15768000, "max_cert_lifetime_days": 398,
            "min_rsa_bits": 2048, "min_ec_bits": 256, "versions": ["TLSv1.2", "TLSv1.3"],
        });
        assert_eq!(
            render_title("HSTS with max-age of at least params.hsts_min_age_s", &p),
            "HSTS with max-age of at least 15768000 s"
        );
        assert_eq!(
            render_title("lifetime is at most params.max_cert_lifetime_days", &p),
            "lifetime is at most 398 days"
        );
        assert_eq!(
            render_title(
                "RSA of at least params.min_rsa_bits bits or EC of at least params.min_ec_bits",
                &p
            ),
            "RSA of at least 2048 bits or EC of at least 256 bits"
        );
        assert_eq!(
            render_title("Only the versions (params.versions) are offered", &p),
            "Only the versions (TLSv1.2, TLSv1.3) are offered"
        );
        // A key the profile does not set stays as written.
        assert_eq!(
            render_title("at least params.other", &p),
            "at least params.other"
        );
        assert_eq!(render_title("no placeholder", &p), "no placeholder");
    }
}

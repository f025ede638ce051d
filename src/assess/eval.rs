//! Evaluating a control over one target's evidence document: a pure function of the
//! evidence and the profile's parameters.
//!
//! 1. A needed probe that did not run, or that ended other than `success`, gives
//!    `inconclusive` without running the rule.
//! 2. `applies_if` false gives `not-applicable`.
//! 3. The rule's value: `true` pass, `false` fail, or one of the outcome strings (an
//!    `inconclusive: WHY` string is inconclusive with the rule's own reason). A rule that
//!    errors (a missing field, a type error) gives `inconclusive` with the error recorded:
//!    never pass.
//!
//! Every finding records the evidence records it rests on (probe, `seq`, `hash`) and the
//! values of the control's `evidence` expressions.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::control::{CEL_ENV, Control, Requirement, probe_variables};
use super::doc::{RecordRef, TargetDoc};
use super::docval::{DocList, DocMap, doc_val as to_val, scalar};

/// The result of one control on one target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The rule held.
    Pass,
    /// The rule did not hold.
    Fail,
    /// The rule did not hold, but the clause is a recommendation (`should`) or a permission
    /// (`may`), not a requirement: shown and counted apart, it never fails a profile.
    Warning,
    /// The control does not apply to this target.
    NotApplicable,
    /// The evidence does not decide it (missing, failed, or the rule could not be evaluated).
    Inconclusive,
}

impl Outcome {
    /// The kebab-case id.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Warning => "warning",
            Self::NotApplicable => "not-applicable",
            Self::Inconclusive => "inconclusive",
        }
    }
}

/// One evidence value a finding records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observed {
    /// The CEL expression.
    pub expr: String,
    /// Its value over the evidence (or `{"error": "..."}`).
    pub value: Json,
}

/// A control's result on one target, traceable to the evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The control id.
    pub control: String,
    /// The target id.
    pub target: String,
    /// The result.
    pub result: Outcome,
    /// Why it is inconclusive or not applicable, or the rule's error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The values of the control's evidence expressions.
    pub evidence: Vec<Observed>,
    /// The evidence records (lines of `evidence.jsonl`) the finding rests on.
    pub records: Vec<RecordRef>,
}

/// The variables of one target's document (`target`, `provider`, `probes`, `decl` and one
/// alias per probe observation), converted to CEL **once per target** and shared by every
/// profile and control: a root CEL context that each profile's [`Bindings`] extends with its
/// `params` in a child scope. (Binding a value into a CEL context copies it deeply, so doing
/// it per control cost more than evaluating the rule.) The CEL values borrow the document's
/// strings rather than copy them (issue 21).
pub struct DocScope<'d> {
    root: cel::Context<'d, 'd>,
}

type Val<'a> = super::docval::BoxVal<'a>;

fn doc_variables(doc: &TargetDoc) -> Vec<(&'static str, Val<'_>)> {
    let d = &doc.doc;
    let null = &Json::Null;
    let mut vars = vec![
        ("target", to_val(d.get("target").unwrap_or(null))),
        ("provider", to_val(d.get("provider").unwrap_or(null))),
        ("probes", to_val(d.get("probes").unwrap_or(null))),
        // The declared-vs-observed view of the DECL-* controls (docs/declaration.md).
        ("decl", to_val_owned(&crate::declaration::check::view(d))),
    ];
    for (probe, var) in probe_variables() {
        if let Some(o) = d
            .get("probes")
            .and_then(|p| p.get(probe))
            .and_then(|p| p.get("observation"))
        {
            vars.push((var, to_val(o)));
        }
    }
    vars
}

fn root_context<'d>(vars: Vec<(&'static str, Val<'d>)>) -> cel::Context<'d, 'd> {
    let mut ctx = cel::Context::with_env(CEL_ENV.clone());
    for (name, v) in vars {
        ctx.add_variable_as_val(name, v);
    }
    let _ = ctx.add_function("max", cel::functions::max);
    let _ = ctx.add_function("min", cel::functions::min);
    ctx
}

impl<'d> DocScope<'d> {
    /// Convert `doc` to CEL.
    pub fn new(doc: &'d TargetDoc) -> Self {
        Self {
            root: root_context(doc_variables(doc)),
        }
    }

    /// The bindings of one profile over this document: its `params` added.
    pub fn bind<'s>(&'s self, params: &'d Json) -> Bindings<'s, 'd> {
        let mut ctx = self.root.new_inner_scope();
        ctx.add_variable_as_val("params", to_val(params));
        Bindings { ctx }
    }
}

/// The variables of one target's document and a profile's parameters, bound once and shared
/// by every control of the profile (see [`DocScope`] to share the document between profiles).
pub struct Bindings<'s, 'd> {
    ctx: cel::Context<'s, 'd>,
}

impl<'d> Bindings<'d, 'd> {
    /// Bind `doc` and `params`.
    pub fn new(doc: &'d TargetDoc, params: &'d Json) -> Self {
        let mut vars = doc_variables(doc);
        vars.push(("params", to_val(params)));
        Self {
            ctx: root_context(vars),
        }
    }
}

impl Bindings<'_, '_> {
    /// Run a compiled expression (for scores).
    pub fn run(&self, prog: &cel::Program) -> Result<Json, String> {
        prog.execute(&self.ctx)
            .map(|v| from_cel(&v))
            .map_err(|e| e.to_string())
    }
}

/// [`to_val`] copying the strings (for a value the document does not hold).
fn to_val_owned(v: &Json) -> Val<'static> {
    use cel::common::types::{CelList, CelMap, CelMapKey, CelNull, CelString};
    match v {
        Json::String(s) => Box::new(CelString::from(s.clone())),
        Json::Array(a) => Box::new(DocList::new(CelList::from(
            a.iter().map(to_val_owned).collect::<Vec<_>>(),
        ))),
        Json::Object(o) => Box::new(DocMap::new(CelMap::from(
            o.iter()
                .map(|(k, v)| (CelMapKey::from(k.clone()), to_val_owned(v)))
                .collect::<HashMap<_, _>>(),
        ))),
        other => scalar(other).unwrap_or_else(|| Box::new(CelNull)),
    }
}

/// Why the needed probes do not allow a judgement, if they do not.
pub fn gate(needs: &[String], doc: &TargetDoc) -> Option<String> {
    for n in needs {
        let Some(p) = doc.doc.get("probes").and_then(|p| p.get(n)) else {
            return Some(format!("probe {n} did not run on this target"));
        };
        let outcome = p.get("outcome").and_then(Json::as_str).unwrap_or("missing");
        if outcome != "success" {
            let err = p
                .get("error")
                .and_then(Json::as_str)
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            return Some(format!("probe {n} ended with {outcome}{err}"));
        }
        if p.get("observation").is_none_or(Json::is_null) {
            return Some(format!("probe {n} recorded no observation"));
        }
    }
    None
}

/// Evaluate `control` on one target.
pub fn evaluate(control: &Control, doc: &TargetDoc, b: &Bindings<'_, '_>) -> Finding {
    evaluate_with(control, doc, b, None)
}

/// Evidence values already worked out for one target, shared by the controls whose evidence
/// lists the same expression reading the same parameters (issue 21): per control of a
/// profile, the slot of each of its evidence expressions, and the values by slot.
pub type EvidenceMemo<'a> = (&'a [usize], &'a mut [Option<Json>]);

/// [`evaluate`], taking each evidence value from `memo` when another control of the target
/// already worked it out (and recording it there otherwise).
pub fn evaluate_with(
    control: &Control,
    doc: &TargetDoc,
    b: &Bindings<'_, '_>,
    mut memo: Option<EvidenceMemo<'_>>,
) -> Finding {
    let records: Vec<RecordRef> = control.needs.iter().filter_map(|n| doc.record(n)).collect();
    let mut f = Finding {
        control: control.id.clone(),
        target: doc.target.clone(),
        result: Outcome::Inconclusive,
        reason: None,
        evidence: Vec::new(),
        records,
    };
    if let Some(why) = gate(&control.needs, doc) {
        f.reason = Some(why);
        return f;
    }
    let ctx = &b.ctx;
    let run = |p: &cel::Program| match p.execute(ctx) {
        Ok(v) => from_cel(&v),
        Err(e) => serde_json::json!({ "error": e.to_string() }),
    };
    f.evidence = control
        .evidence
        .iter()
        .zip(&control.evidence_progs)
        .enumerate()
        .map(|(i, (src, p))| {
            let cached = memo.as_mut().and_then(|(slots, values)| {
                let slot = values.get_mut(*slots.get(i)?)?;
                Some(slot.get_or_insert_with(|| run(p)).clone())
            });
            Observed {
                expr: src.clone(),
                value: cached.unwrap_or_else(|| run(p)),
            }
        })
        .collect();
    if let Some(p) = &control.applies_prog {
        match p.execute(ctx) {
            Ok(cel::Value::Bool(true)) => {}
            Ok(cel::Value::Bool(false)) => {
                f.result = Outcome::NotApplicable;
                f.reason = Some(format!(
                    "applies_if is false: {}",
                    one_line(control.applies_if.as_deref().unwrap_or(""))
                ));
                return f;
            }
            Ok(other) => {
                f.reason = Some(format!(
                    "applies_if gave {} instead of a bool",
                    from_cel(&other)
                ));
                return f;
            }
            Err(e) => {
                f.reason = Some(format!("applies_if could not be evaluated: {e}"));
                return f;
            }
        }
    }
    match control.rule_prog.execute(ctx) {
        Ok(cel::Value::Bool(true)) => f.result = Outcome::Pass,
        Ok(cel::Value::Bool(false)) => f.result = Outcome::Fail,
        Ok(cel::Value::String(s)) => match s.as_str() {
            "pass" => f.result = Outcome::Pass,
            "fail" => f.result = Outcome::Fail,
            "not-applicable" => f.result = Outcome::NotApplicable,
            "inconclusive" => f.reason = Some(undecided(&control.rule, doc)),
            // `inconclusive: WHY`: the rule names why (e.g. the standard's text for this case
            // could not be read).
            other => match other.strip_prefix("inconclusive:") {
                Some(why) => f.reason = Some(why.trim().to_owned()),
                None => f.reason = Some(format!("the rule gave {other:?}, not an outcome")),
            },
        },
        Ok(other) => {
            f.reason = Some(format!(
                "the rule gave {} instead of a bool",
                from_cel(&other)
            ));
        }
        Err(e) => f.reason = Some(format!("the rule could not be evaluated: {e}")),
    }
    if f.result == Outcome::Fail && control.level != Requirement::Shall {
        f.result = Outcome::Warning;
        f.reason = Some(format!(
            "not met, but the clause is a `{}`, not a requirement: a warning, not a failure",
            control.level.as_str()
        ));
    }
    f
}

/// String values by which an observation says a thing was not decided.
const UNDECIDED: &[&str] = &[
    "not-tried",
    "no-connection",
    "inconclusive",
    "not-tested",
    "not-observed",
];

/// Why a rule that answered a bare `inconclusive` could not decide (issue 23): the values it
/// reads that are missing, null or empty, or that say they were not tried or not tested.
pub fn undecided(rule: &str, doc: &TargetDoc) -> String {
    let mut found: Vec<String> = Vec::new();
    // Paths already named: a field under one of them is not named again.
    let mut named: Vec<String> = Vec::new();
    let paths = rule_paths(rule);
    // The declared-vs-observed view, only when the rule reads it.
    let decl = paths
        .iter()
        .any(|p| p.first().is_some_and(|r| r == "decl"))
        .then(|| crate::declaration::check::view(&doc.doc));
    for path in &paths {
        let name = path.join(".");
        if named.iter().any(|n| name.starts_with(&format!("{n}."))) {
            continue;
        }
        let Some((var, rest)) = path.split_first() else {
            continue;
        };
        let root = match var.as_str() {
            "target" | "provider" => doc.doc.get(var),
            "decl" => decl.as_ref(),
            v => probe_variables()
                .find(|(_, cel_var)| *cel_var == v)
                .and_then(|(probe, _)| doc.doc.get("probes")?.get(probe)?.get("observation")),
        };
        let Some(mut value) = root else {
            continue;
        };
        let mut missing = None;
        for (i, seg) in rest.iter().enumerate() {
            match value.get(seg) {
                Some(v) => value = v,
                None => {
                    missing = Some(path.get(..i + 2).unwrap_or(path).join("."));
                    break;
                }
            }
        }
        let note = match (missing, value) {
            (Some(m), _) => {
                let note = format!("`{m}` is missing");
                named.push(m);
                Some(note)
            }
            (None, Json::Null) => Some(format!("`{name}` is null")),
            (None, Json::Array(a)) if a.is_empty() => Some(format!("`{name}` is empty")),
            (None, Json::Bool(false)) if name == "decl.declared" => {
                return "the provider has no declaration (`decl.declared` is false)".to_owned();
            }
            (None, Json::String(v)) if UNDECIDED.contains(&v.as_str()) => {
                Some(format!("`{name}` is {v}"))
            }
            (None, Json::Array(a)) => {
                let marks: Vec<String> = a
                    .iter()
                    .filter_map(|item| {
                        let mark = undecided_field(item)?;
                        Some(format!("{} {mark}", label_of(item)))
                    })
                    .collect();
                (!marks.is_empty()).then(|| format!("`{name}`: {}", marks.join(", ")))
            }
            (None, v @ Json::Object(_)) => {
                undecided_field(v).map(|mark| format!("`{name}`: {mark}"))
            }
            _ => None,
        };
        if let Some(n) = note
            && !found.contains(&n)
        {
            found.push(n);
            named.push(name);
        }
    }
    if found.is_empty() {
        let read: Vec<String> = paths.iter().map(|p| format!("`{}`", p.join("."))).collect();
        return if read.is_empty() {
            "the rule found the evidence undecided".to_owned()
        } else {
            format!(
                "the rule found the evidence undecided; none of the values it reads is \
                 missing, null or empty: {}",
                read.join(", ")
            )
        };
    }
    let more = found.len().saturating_sub(4);
    found.truncate(4);
    let mut s = format!("undecided: {}", found.join("; "));
    if more > 0 {
        s.push_str(&format!(" (and {more} more)"));
    }
    s
}

/// The first field of `item` (or of an object inside it) whose value says it was not tried or
/// not tested: `answer.kind not-tried`.
fn undecided_field(item: &Json) -> Option<String> {
    let o = item.as_object()?;
    for (k, v) in o {
        match v {
            Json::String(s) if UNDECIDED.contains(&s.as_str()) => return Some(format!("{k} {s}")),
            Json::Object(inner) => {
                for (k2, v2) in inner {
                    if let Json::String(s) = v2
                        && UNDECIDED.contains(&s.as_str())
                    {
                        return Some(format!("{k}.{k2} {s}"));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// How a list item names itself: its version, name, suite, id, address or label.
fn label_of(item: &Json) -> String {
    [
        "version", "name", "suite", "id", "address", "label", "store",
    ]
    .iter()
    .find_map(|k| item.get(*k).and_then(Json::as_str))
    .unwrap_or("an item")
    .to_owned()
}

/// The field paths a rule reads from the evidence, rooted at a probe variable, `target`,
/// `provider` or `decl` (`tls.protocols`, `http.hsts.max_age`), outside string literals; a path's last
/// segment is dropped when it is a call (`tls.protocols.exists(...)`). In order, without
/// repeats.
pub fn rule_paths(src: &str) -> Vec<Vec<String>> {
    let roots: Vec<&str> = probe_variables()
        .map(|(_, v)| v)
        .chain(["target", "provider", "decl"])
        .collect();
    let bytes = src.as_bytes();
    let mut out: Vec<Vec<String>> = Vec::new();
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
            let after_dot = i > 0 && bytes.get(i - 1) == Some(&b'.');
            let mut segs: Vec<String> = Vec::new();
            loop {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                segs.push(src.get(start..i).unwrap_or_default().to_owned());
                let next_is_ident = bytes
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
                if bytes.get(i) == Some(&b'.') && next_is_ident {
                    i += 1;
                } else {
                    break;
                }
            }
            if bytes.get(i) == Some(&b'(') {
                segs.pop();
            }
            if !after_dot
                && segs.len() > 1
                && segs.first().is_some_and(|r| roots.contains(&r.as_str()))
                && !out.contains(&segs)
            {
                out.push(segs);
            }
            continue;
        }
        i += 1;
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// JSON to CEL: integers become `int` (or `uint` beyond i64), other numbers `double`.
pub fn to_cel(v: &Json) -> cel::Value {
    match v {
        Json::Null => cel::Value::Null,
        Json::Bool(b) => cel::Value::Bool(*b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                cel::Value::Int(i)
            } else if let Some(u) = n.as_u64() {
                cel::Value::UInt(u)
            } else {
                cel::Value::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Json::String(s) => cel::Value::String(Arc::new(s.clone())),
        Json::Array(a) => cel::Value::List(Arc::new(a.iter().map(to_cel).collect())),
        Json::Object(o) => {
            let map: HashMap<cel::objects::Key, cel::Value> = o
                .iter()
                .map(|(k, v)| (cel::objects::Key::String(Arc::new(k.clone())), to_cel(v)))
                .collect();
            cel::Value::Map(cel::objects::Map { map: Arc::new(map) })
        }
    }
}

/// CEL to JSON (for recording evidence values); map keys are sorted.
pub fn from_cel(v: &cel::Value) -> Json {
    match v {
        cel::Value::Null => Json::Null,
        cel::Value::Bool(b) => Json::Bool(*b),
        cel::Value::Int(i) => Json::from(*i),
        cel::Value::UInt(u) => Json::from(*u),
        cel::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        cel::Value::String(s) => Json::String(s.to_string()),
        cel::Value::Bytes(b) => Json::String(b.iter().map(|x| format!("{x:02x}")).collect()),
        cel::Value::List(l) => Json::Array(l.iter().map(from_cel).collect()),
        cel::Value::Map(m) => {
            let mut entries: Vec<(String, Json)> = m
                .map
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        cel::objects::Key::String(s) => s.to_string(),
                        cel::objects::Key::Int(i) => i.to_string(),
                        cel::objects::Key::Uint(u) => u.to_string(),
                        cel::objects::Key::Bool(b) => b.to_string(),
                    };
                    (key, from_cel(v))
                })
                .collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(entries.into_iter().collect())
        }
        other => Json::String(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(expr: &str) -> Result<Json, String> {
        let doc = super::super::doc::from_value(serde_json::json!({
            "target": {"id": "p/h:443"}, "provider": {"id": "p"},
            "probes": {"tls.scan": {"outcome": "success", "observation": {"n": 5, "f": 1.5, "l": [3, 1, 2]}}}
        }));
        let params = serde_json::json!({"k": 2});
        let b = Bindings::new(&doc, &params);
        let p = CEL_ENV.compile(expr).map_err(|e| e.to_string())?;
        b.run(&p)
    }

    #[test]
    fn bare_inconclusive_names_the_undecided_value_issue_23() {
        assert_eq!(
            rule_paths("has(http.hsts) && http.hsts.max_age >= params.k ? true : 'x.y'"),
            vec![
                vec!["http".to_owned(), "hsts".to_owned()],
                vec!["http".to_owned(), "hsts".to_owned(), "max_age".to_owned()]
            ]
        );
        assert_eq!(
            rule_paths("tls.protocols.exists(p, p.accepted)"),
            vec![vec!["tls".to_owned(), "protocols".to_owned()]]
        );
        let doc = super::super::doc::from_value(serde_json::json!({
            "target": {"id": "p/h:443"}, "provider": {"id": "p"},
            "probes": {
                "http.headers": {"outcome": "success", "observation": {"hsts": {"max_age": null}}},
                "tls.scan": {"outcome": "success", "observation": {"protocols": [
                    {"version": "TLSv1.2", "accepted": true, "answer": {"kind": "accepted"}},
                    {"version": "TLSv1.0", "accepted": false, "answer": {"kind": "not-tried"}}
                ], "groups": []}}
            }
        }));
        let why = undecided("http.hsts.max_age >= 1 ? true : 'inconclusive'", &doc);
        assert_eq!(why, "undecided: `http.hsts.max_age` is null");
        let why = undecided(
            "tls.protocols.all(p, p.accepted) ? true : 'inconclusive'",
            &doc,
        );
        assert_eq!(
            why,
            "undecided: `tls.protocols`: TLSv1.0 answer.kind not-tried"
        );
        assert_eq!(
            undecided("size(tls.groups) > 0 ? true : 'inconclusive'", &doc),
            "undecided: `tls.groups` is empty"
        );
        assert_eq!(
            undecided("has(tls.ocsp.staple) ? true : 'inconclusive'", &doc),
            "undecided: `tls.ocsp` is missing"
        );
    }

    #[test]
    fn cel_basics_over_json() {
        assert_eq!(run("tls.n > params.k"), Ok(Json::Bool(true)));
        assert_eq!(run("max(tls.l)"), Ok(Json::from(3)));
        assert_eq!(run("min(tls.l)"), Ok(Json::from(1)));
        assert_eq!(run("tls.f < 2.0"), Ok(Json::Bool(true)));
        assert_eq!(run("probes['tls.scan'].outcome"), Ok(Json::from("success")));
        assert_eq!(run("has(tls.missing)"), Ok(Json::Bool(false)));
        assert!(run("tls.missing > 1").is_err());
        assert_eq!(run("{'a': 1}['a']"), Ok(Json::from(1)));
    }
}

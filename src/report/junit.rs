//! The JUnit XML report for CI systems (`kensa report --format junit`).
//!
//! One `<testsuite>` per provider, one `<testcase>` per control and target (`classname` the
//! target, `name` the control id and title). A control judged under several profiles is one
//! test case with the worst of its results, the profiles named in its output. Results map as
//! CI readers expect: `fail` → `<failure>`, `inconclusive` and `not-applicable` →
//! `<skipped>` with the reason (never a pass), `warning` (an unmet recommendation) → a pass
//! with the note in `<system-out>`, `pass` → a plain test case. The "Declared vs observed"
//! section is a suite of its own per provider (issue 20; see [`write_junit`]).
//!
//! Every string goes through [`xml`]: characters XML 1.0 cannot carry (control characters
//! from the network) are dropped, and markup characters escaped.

use std::fmt::Write as _;

use super::model::{FindingRow, Report};
use crate::assess::eval::Outcome;

/// Text and attribute escaping for XML 1.0: the characters it does not allow are dropped
/// (a C0 control other than tab, newline and carriage return), `& < > " '` escaped.
pub fn xml(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|c| !matches!(*c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect();
    crate::escape::html(&kept)
}

/// Worst first: fail, inconclusive, warning, not applicable, pass.
fn severity_rank(o: Outcome) -> u8 {
    match o {
        Outcome::Fail => 0,
        Outcome::Inconclusive => 1,
        Outcome::Warning => 2,
        Outcome::NotApplicable => 3,
        Outcome::Pass => 4,
    }
}

/// One test case: a control on a target, over the profiles that judged it.
struct Case<'a> {
    target: &'a str,
    control: &'a str,
    findings: Vec<&'a FindingRow>,
}

impl Case<'_> {
    fn worst(&self) -> Option<&FindingRow> {
        self.findings
            .iter()
            .copied()
            .min_by_key(|f| severity_rank(f.outcome))
    }
}

/// The JUnit XML document of `r` (see [`write_junit`]).
pub fn junit(r: &Report) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_junit(r, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// One test suite: its name and test cases.
struct Suite<'a> {
    name: String,
    cases: Vec<Case<'a>>,
    /// The "Declared vs observed" section's statements and unverified facts, as test cases
    /// already written out, with their failures and skips.
    extra: Vec<(String, Outcome)>,
}

/// The JUnit XML document of `r`, written suite by suite to `w`.
///
/// The observed controls are one suite per provider. A provider with a declaration, or with
/// `DECL-*` findings, has a second suite of its own, `PROVIDER: declared vs observed`: one
/// test case per statement of the report's "Declared vs observed" section (`contradict` a
/// failure, `not-observed` skipped, `agree` a pass), one skipped test case per fact that is
/// declared but not verified, then its `DECL-*` controls per target.
pub fn write_junit(r: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut suites: Vec<Suite<'_>> = Vec::new();
    // (provider, declared) → suite index; (suite, target, control) → case index.
    let mut suite_of: std::collections::HashMap<(&str, bool), usize> =
        std::collections::HashMap::new();
    let mut case_of: std::collections::HashMap<(usize, &str, &str), usize> =
        std::collections::HashMap::new();
    for p in &r.tables.providers {
        suite_of.insert((p.id.as_str(), false), suites.len());
        suites.push(Suite {
            name: r.provider_name(&p.id),
            cases: Vec::new(),
            extra: Vec::new(),
        });
    }
    let declared_name =
        |provider: &str| format!("{}: declared vs observed", r.provider_name(provider));
    // The declared suites follow the observed ones, in the section's order.
    for d in &r.tables.declared {
        suite_of.insert((d.provider.as_str(), true), suites.len());
        let mut extra = Vec::new();
        for st in &d.statements {
            let classname = format!("{}.declared", d.provider);
            let name = format!("statement {}: {}", st.section, st.statement);
            let list = |l: &[String]| {
                if l.is_empty() {
                    "-".to_owned()
                } else {
                    l.join(", ")
                }
            };
            let mut detail = vec![
                format!("declared: {}", list(&st.declared)),
                format!("observed: {}", list(&st.observed)),
                format!("undeclared: {}", list(&st.undeclared)),
            ];
            for rec in &st.records {
                detail.push(format!(
                    "evidence: {} seq {} hash {}",
                    rec.probe, rec.seq, rec.hash
                ));
            }
            let body = xml(&detail.join("\n"));
            let (text, outcome) = match st.status.as_str() {
                "contradict" => (
                    format!(
                        "    <testcase classname=\"{}\" name=\"{}\">\n      <failure message=\"{}\" type=\"contradict\">{body}</failure>\n    </testcase>\n",
                        xml(&classname),
                        xml(&name),
                        xml(&format!(
                            "the evidence contradicts the declaration: {}",
                            list(&st.undeclared)
                        ))
                    ),
                    Outcome::Fail,
                ),
                "agree" => (
                    format!(
                        "    <testcase classname=\"{}\" name=\"{}\">\n      <system-out>{body}</system-out>\n    </testcase>\n",
                        xml(&classname),
                        xml(&name)
                    ),
                    Outcome::Pass,
                ),
                other => (
                    format!(
                        "    <testcase classname=\"{}\" name=\"{}\">\n      <skipped message=\"{}\"/>\n      <system-out>{body}</system-out>\n    </testcase>\n",
                        xml(&classname),
                        xml(&name),
                        xml(other)
                    ),
                    Outcome::Inconclusive,
                ),
            };
            extra.push((text, outcome));
        }
        for n in &d.not_verified {
            extra.push((
                format!(
                    "    <testcase classname=\"{}\" name=\"{}\">\n      <skipped message=\"declared, not verified\"/>\n      <system-out>{}</system-out>\n    </testcase>\n",
                    xml(&format!("{}.declared", d.provider)),
                    xml(&format!("not verified: {}", n.fact)),
                    xml(&format!("declared: {}", n.declared))
                ),
                Outcome::Inconclusive,
            ));
        }
        suites.push(Suite {
            name: declared_name(&d.provider),
            cases: Vec::new(),
            extra,
        });
    }
    for f in &r.tables.findings {
        let key = (f.provider.as_str(), super::text::is_declared(f));
        let i = match suite_of.get(&key) {
            Some(&i) => i,
            None => {
                suite_of.insert(key, suites.len());
                suites.push(Suite {
                    name: if key.1 {
                        declared_name(&f.provider)
                    } else {
                        r.provider_name(&f.provider)
                    },
                    cases: Vec::new(),
                    extra: Vec::new(),
                });
                suites.len() - 1
            }
        };
        let Some(s) = suites.get_mut(i) else {
            continue;
        };
        match case_of
            .get(&(i, f.target.as_str(), f.control.as_str()))
            .and_then(|&c| s.cases.get_mut(c))
        {
            Some(c) => c.findings.push(f),
            None => {
                case_of.insert((i, &f.target, &f.control), s.cases.len());
                s.cases.push(Case {
                    target: &f.target,
                    control: &f.control,
                    findings: vec![f],
                });
            }
        }
    }
    let outcomes = |s: &Suite<'_>| -> Vec<Outcome> {
        s.extra
            .iter()
            .map(|(_, o)| *o)
            .chain(s.cases.iter().filter_map(|c| c.worst().map(|f| f.outcome)))
            .collect()
    };
    let count = |o: &[Outcome], want: &[Outcome]| o.iter().filter(|x| want.contains(x)).count();
    const SKIPPED: &[Outcome] = &[Outcome::Inconclusive, Outcome::NotApplicable];
    let all: Vec<Outcome> = suites.iter().flat_map(outcomes).collect();
    let total: usize = suites.iter().map(|s| s.cases.len() + s.extra.len()).sum();
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        w,
        "<testsuites name=\"kensa run {}\" tests=\"{total}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" timestamp=\"{}\">",
        xml(&r.assessment.run_id),
        count(&all, &[Outcome::Fail]),
        count(&all, SKIPPED),
        xml(&r.generated_at)
    )?;
    for suite in &suites {
        let o = outcomes(suite);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
            xml(&suite.name),
            suite.cases.len() + suite.extra.len(),
            count(&o, &[Outcome::Fail]),
            count(&o, SKIPPED),
        );
        for (text, _) in &suite.extra {
            s.push_str(text);
        }
        for c in &suite.cases {
            case(c, &mut s);
        }
        s.push_str("  </testsuite>\n");
        w.write_all(s.as_bytes())?;
    }
    w.write_all(b"</testsuites>\n")
}

/// One test case's XML.
fn case(c: &Case<'_>, s: &mut String) {
    let Some(worst) = c.worst() else { return };
    let profiles: Vec<String> = c
        .findings
        .iter()
        .map(|f| format!("{} {}", f.profile, f.outcome.as_str()))
        .collect();
    let _ = write!(
        s,
        "    <testcase classname=\"{}\" name=\"{}\"",
        xml(c.target),
        xml(&format!("{} {}", c.control, worst.title))
    );
    let mut detail = vec![format!("profiles: {}", profiles.join(", "))];
    if let Some(reason) = &worst.reason {
        detail.push(format!("why: {reason}"));
    }
    if let Some(caveat) = &worst.caveat {
        detail.push(format!("caveat: {caveat}"));
    }
    for e in &worst.evidence {
        detail.push(format!("{} = {}", e.expr, e.value));
    }
    for rec in &worst.records {
        detail.push(format!(
            "evidence: {} seq {} hash {}",
            rec.probe, rec.seq, rec.hash
        ));
    }
    let body = xml(&detail.join("\n"));
    match worst.outcome {
        Outcome::Fail => {
            let _ = writeln!(
                s,
                ">\n      <failure message=\"{}\" type=\"{}\">{body}</failure>\n    </testcase>",
                xml(&format!("{} failed on {}", c.control, c.target)),
                xml(worst.severity.map_or("fail", |x| x.as_str()))
            );
        }
        Outcome::Inconclusive | Outcome::NotApplicable => {
            let _ = writeln!(
                s,
                ">\n      <skipped message=\"{}\"/>\n      <system-out>{body}</system-out>\n    </testcase>",
                xml(&format!(
                    "{}: {}",
                    worst.outcome.as_str(),
                    worst.reason.as_deref().unwrap_or("undecided")
                ))
            );
        }
        Outcome::Warning | Outcome::Pass => {
            let _ = writeln!(
                s,
                ">\n      <system-out>{body}</system-out>\n    </testcase>"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_drops_what_xml_cannot_carry_and_escapes_markup() {
        assert_eq!(xml("a\u{1}b<c>&\"'\t"), "ab&lt;c&gt;&amp;&quot;&#39;\t");
    }
}

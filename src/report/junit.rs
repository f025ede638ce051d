//! The JUnit XML report for CI systems (`kensa report --format junit`).
//!
//! One `<testsuite>` per provider, one `<testcase>` per control and target (`classname` the
//! target, `name` the control id and title). A control judged under several profiles is one
//! test case with the worst of its results, the profiles named in its output. Results map as
//! CI readers expect: `fail` → `<failure>`, `inconclusive` and `not-applicable` →
//! `<skipped>` with the reason (never a pass), `warning` (an unmet recommendation) → a pass
//! with the note in `<system-out>`, `pass` → a plain test case.
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

/// The JUnit XML document of `r`.
pub fn junit(r: &Report) -> String {
    let mut suites: Vec<(&str, Vec<Case<'_>>)> = Vec::new();
    for p in &r.tables.providers {
        suites.push((&p.id, Vec::new()));
    }
    for f in &r.tables.findings {
        let i = match suites.iter().position(|(p, _)| *p == f.provider) {
            Some(i) => i,
            None => {
                suites.push((&f.provider, Vec::new()));
                suites.len() - 1
            }
        };
        let Some((_, cases)) = suites.get_mut(i) else {
            continue;
        };
        match cases
            .iter_mut()
            .find(|c| c.target == f.target && c.control == f.control)
        {
            Some(c) => c.findings.push(f),
            None => cases.push(Case {
                target: &f.target,
                control: &f.control,
                findings: vec![f],
            }),
        }
    }
    let count = |want: &[Outcome]| {
        suites
            .iter()
            .flat_map(|(_, cases)| cases)
            .filter(|c| c.worst().is_some_and(|f| want.contains(&f.outcome)))
            .count()
    };
    let total: usize = suites.iter().map(|(_, c)| c.len()).sum();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"kensa run {}\" tests=\"{total}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" timestamp=\"{}\">",
        xml(&r.assessment.run_id),
        count(&[Outcome::Fail]),
        count(&[Outcome::Inconclusive, Outcome::NotApplicable]),
        xml(&r.generated_at)
    );
    for (provider, cases) in &suites {
        let failures = cases
            .iter()
            .filter(|c| c.worst().is_some_and(|f| f.outcome == Outcome::Fail))
            .count();
        let skipped = cases
            .iter()
            .filter(|c| {
                c.worst().is_some_and(|f| {
                    matches!(f.outcome, Outcome::Inconclusive | Outcome::NotApplicable)
                })
            })
            .count();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
            xml(&r.provider_name(provider)),
            cases.len()
        );
        for c in cases {
            let Some(worst) = c.worst() else { continue };
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
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_drops_what_xml_cannot_carry_and_escapes_markup() {
        assert_eq!(xml("a\u{1}b<c>&\"'\t"), "ab&lt;c&gt;&amp;&quot;&#39;\t");
    }
}

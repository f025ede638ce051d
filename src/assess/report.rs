//! Rendering assessments (text, JSON, Markdown), the profile list and the control reference.

use std::fmt::Write as _;

use super::control::Control;
use super::eval::{Finding, Outcome};
use super::grade::{Assessment, ProfileVerdict, ProviderAssessment};
use super::profile::{Grading, Profile};
use crate::evidence::Integrity;

/// Output formats of `kensa assess`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for terminals.
    Text,
    /// JSON (every finding, with its evidence and records).
    Json,
    /// Markdown, for reports.
    Md,
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

fn compact(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(157).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn problem_findings(v: &ProfileVerdict) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = v
        .targets
        .iter()
        .flat_map(|t| &t.findings)
        .filter(|f| {
            matches!(
                f.result,
                Outcome::Fail | Outcome::Warning | Outcome::Inconclusive
            )
        })
        .collect();
    // Failures first, then warnings (unmet recommendations), then undecided.
    out.sort_by_key(|f| match f.result {
        Outcome::Fail => 0,
        Outcome::Warning => 1,
        _ => 2,
    });
    out
}

/// The line beside a verdict naming the trust stores that counted and what the profile
/// covers of its standard (empty parts left out).
fn context_lines(v: &ProfileVerdict) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(ts) = &v.trust_stores {
        out.push(format!(
            "trust stores counted: {}",
            if ts.is_empty() {
                "none seen".to_owned()
            } else {
                ts.join(", ")
            }
        ));
    }
    if !v.coverage.is_empty() {
        out.push(format!(
            "coverage: {} (`kensa profiles --coverage`)",
            v.coverage.summary()
        ));
    }
    out
}

fn counts(v: &ProfileVerdict) -> String {
    let n = |o: Outcome| v.counts.get(&o).copied().unwrap_or(0);
    format!(
        "{} pass, {} fail, {} warning, {} inconclusive, {} n/a",
        n(Outcome::Pass),
        n(Outcome::Fail),
        n(Outcome::Warning),
        n(Outcome::Inconclusive),
        n(Outcome::NotApplicable)
    )
}

/// A control's title under a profile (profile id, control id) with its parameter values in
/// place, and its caveat when its citation was not checked.
pub type Titles<'a> = dyn Fn(&str, &str) -> (String, Option<String>) + 'a;

/// The text report.
pub fn text(a: &Assessment, titles: &Titles<'_>) -> String {
    let mut s = text_head(a);
    for p in &a.providers {
        s.push_str(&text_provider(p, titles));
    }
    s
}

/// The text report's lines before the providers.
pub fn text_head(a: &Assessment) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "run {}  evidence {}", a.run_id, a.evidence);
    if let Some(i) = &a.interrupted {
        s.push_str(&i.text());
    } else if a.integrity == Integrity::Incomplete {
        s.push_str(
            "warning: the run has no run-end (crashed or interrupted): grading what is there\n",
        );
    }
    s
}

/// The text report of one provider.
pub fn text_provider(p: &ProviderAssessment, titles: &Titles<'_>) -> String {
    let mut s = String::new();
    let info = &p.provider;
    let _ = writeln!(
        s,
        "\nprovider {}{}{}  applies_for {}{}",
        info.id,
        info.name
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default(),
        info.declared_country
            .as_ref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default(),
        info.applies_for.as_deref().unwrap_or("-"),
        if p.fails_applies_for { "  FAILS" } else { "" }
    );
    let _ = writeln!(s, "  targets: {}", p.targets.join(", "));
    if let Some(g) = &p.grade {
        let _ = writeln!(s, "  grade: {g}");
    }
    for v in &p.profiles {
        let _ = writeln!(
            s,
            "  {} {}: {}{}  ({})",
            v.profile,
            v.version,
            v.verdict.to_uppercase(),
            v.detail
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default(),
            counts(v)
        );
        for line in context_lines(v) {
            let _ = writeln!(s, "    {line}");
        }
        if v.grading == Grading::SslLabs {
            for t in &v.targets {
                if let Some(sc) = &t.scores {
                    let cats: Vec<String> = sc
                        .categories
                        .iter()
                        .map(|c| {
                            format!(
                                "{} {}",
                                c.name,
                                c.score.map_or("?".to_owned(), |x| format!("{x}"))
                            )
                        })
                        .collect();
                    let _ = writeln!(
                        s,
                        "    {}: {} (score {}: {})",
                        t.target,
                        t.verdict,
                        sc.total.map_or("?".to_owned(), |x| format!("{x:.1}")),
                        cats.join(", ")
                    );
                }
            }
            if !v.not_evaluated.is_empty() {
                let names: Vec<&str> = v.not_evaluated.iter().map(|n| n.name.as_str()).collect();
                let _ = writeln!(s, "    not evaluated by kensa: {}", names.join(", "));
            }
        }
        for f in problem_findings(v) {
            let (title, caveat) = titles(&v.profile, &f.control);
            let _ = writeln!(
                s,
                "    {:<12} {}  {}  [{}]",
                f.result.as_str().to_uppercase(),
                f.control,
                title,
                f.target
            );
            if let Some(r) = &f.reason {
                let _ = writeln!(s, "      why: {r}");
            }
            if let Some(c) = &caveat {
                let _ = writeln!(s, "      caveat: {c}");
            }
            for e in &f.evidence {
                let _ = writeln!(s, "      {} = {}", e.expr, compact(&e.value));
            }
            let recs: Vec<String> = f
                .records
                .iter()
                .map(|r| format!("{} #{} {}", r.probe, r.seq, short(&r.hash)))
                .collect();
            if !recs.is_empty() {
                let _ = writeln!(s, "      records: {}", recs.join(", "));
            }
        }
    }
    s
}

/// The Markdown report.
pub fn markdown(a: &Assessment, titles: &Titles<'_>) -> String {
    let mut s = markdown_head(a);
    for p in &a.providers {
        s.push_str(&markdown_provider(p, titles));
    }
    s
}

/// The Markdown report's lines before the providers.
pub fn markdown_head(a: &Assessment) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Assessment of run `{}`\n", a.run_id);
    let integrity = serde_json::to_value(a.integrity)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let _ = writeln!(s, "Evidence: `{}` ({integrity})\n", a.evidence);
    if let Some(i) = &a.interrupted {
        s.push_str(&i.markdown(&|t: &str| crate::report::text::md(t)));
    }
    s
}

/// The Markdown report of one provider.
pub fn markdown_provider(p: &ProviderAssessment, titles: &Titles<'_>) -> String {
    let mut s = String::new();
    let info = &p.provider;
    let _ = writeln!(
        s,
        "## {}{}\n",
        info.id,
        info.name
            .as_ref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default()
    );
    let _ = writeln!(
        s,
        "- declared country: {}\n- applies for: {}{}\n- grade: {}\n- targets: {}\n",
        info.declared_country.as_deref().unwrap_or("-"),
        info.applies_for.as_deref().unwrap_or("-"),
        if p.fails_applies_for {
            " (**fails**)"
        } else {
            ""
        },
        p.grade.as_deref().unwrap_or("-"),
        p.targets
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    s.push_str(
        "| profile | version | verdict | findings | trust stores and coverage |\n|---|---|---|---|---|\n",
    );
    for v in &p.profiles {
        let _ = writeln!(
            s,
            "| {} | {} | **{}**{} | {} | {} |",
            v.profile,
            v.version,
            v.verdict,
            v.detail
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default(),
            counts(v),
            context_lines(v).join("<br>").replace('|', "\\|")
        );
    }
    for v in &p.profiles {
        let problems = problem_findings(v);
        if problems.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "\n### {} — failed, warning (unmet should) and inconclusive controls\n",
            v.profile
        );
        s.push_str("| result | control | target | evidence | records |\n|---|---|---|---|---|\n");
        for f in problems {
            let mut ev: Vec<String> = f
                .evidence
                .iter()
                .map(|e| format!("`{}` = `{}`", e.expr, compact(&e.value)))
                .collect();
            let (title, caveat) = titles(&v.profile, &f.control);
            if let Some(c) = caveat {
                ev.insert(0, format!("caveat: {c}"));
            }
            if let Some(r) = &f.reason {
                ev.insert(0, r.clone());
            }
            let recs: Vec<String> = f
                .records
                .iter()
                .map(|r| format!("{} #{} `{}`", r.probe, r.seq, short(&r.hash)))
                .collect();
            let _ = writeln!(
                s,
                "| {} | {} {} | `{}` | {} | {} |",
                f.result.as_str(),
                f.control,
                title.replace('|', "\\|"),
                f.target,
                ev.join("<br>").replace('|', "\\|"),
                recs.join("<br>")
            );
        }
        if !v.not_evaluated.is_empty() {
            let names: Vec<&str> = v.not_evaluated.iter().map(|n| n.name.as_str()).collect();
            let _ = writeln!(s, "\nNot evaluated by kensa: {}.", names.join(", "));
        }
    }
    s.push('\n');
    s
}

/// `kensa profiles --coverage`: per profile, the edition and the clauses it implements,
/// cannot check from outside and has not implemented.
pub fn coverage_text(profiles: &[Profile]) -> String {
    let mut s = String::new();
    for p in profiles {
        let _ = writeln!(s, "{} {}: {}", p.id, p.version, p.title);
        let c = &p.coverage;
        if c.is_empty() {
            s.push_str("  coverage not stated (kensa's own profile: every control is listed in `kensa controls`)\n\n");
            continue;
        }
        if let Some(e) = &c.edition {
            let _ = writeln!(s, "  edition: {e}");
        }
        for (name, items) in [
            ("implemented", &c.implemented),
            ("cannot be checked from outside", &c.not_checkable),
            ("not implemented", &c.not_implemented),
        ] {
            let _ = writeln!(s, "  {name}:");
            if items.is_empty() {
                s.push_str("    (none)\n");
            }
            for i in items {
                let _ = writeln!(s, "    - {i}");
            }
        }
        s.push('\n');
    }
    s
}

/// The `kensa profiles` listing.
pub fn profiles_text(profiles: &[Profile]) -> String {
    let mut s = String::new();
    let w = profiles.iter().map(|p| p.id.len()).max().unwrap_or(10);
    for p in profiles {
        let _ = writeln!(
            s,
            "{:<w$}  {:<22}  {:<9}  {:>3} controls  {}",
            p.id,
            p.version,
            p.grading.as_str(),
            p.controls.len(),
            p.title
        );
    }
    s
}

fn md_cell(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The control reference (`docs/controls.md`), generated from the definitions.
pub fn controls_markdown(controls: &[&Control], profiles: &[Profile]) -> String {
    let mut s = String::new();
    s.push_str(
        "# Control reference\n\n\
         Generated by `kensa controls --markdown -o docs/controls.md` from `controls/*.toml` and \
         `profiles/*.toml`; do not edit by hand (a test checks it is current).\n\n\
         A control is evaluated per target: `pass`, `fail`, `not-applicable`, or `inconclusive` \
         when a probe it needs did not run or did not succeed, or its rule could not be evaluated \
         (never pass). A control's level is its clause's: `shall` (a requirement: unmet, the \
         profile fails), `should` or `may` (unmet: `warning`, counted apart, never failing the \
         profile). Evidence that does not decide a rule (a check not run or inconclusive, \
         a field the probe left null, a version it did not try, an empty list) gives \
         `inconclusive` or `not-applicable`, never `pass`. A control marked *provisional* reads \
         an evidence shape that may still change, or cites a clause that could not be checked \
         against the standard's text (its note says which); reports show that caveat beside its \
         findings.\n\n\
         ## Profiles\n\n| profile | version | grading | controls | title |\n|---|---|---|---|---|\n",
    );
    for p in profiles {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            p.id,
            p.version,
            p.grading.as_str(),
            p.controls.len(),
            md_cell(&p.title)
        );
    }
    for p in profiles {
        let _ = writeln!(
            s,
            "\n### `{}` {}\n\n{}\n",
            p.id,
            p.version,
            md_cell(&p.description)
        );
        if p.grading != Grading::PassFail {
            let _ = writeln!(
                s,
                "Levels (best first): {}; passing: {}.{}\n",
                p.levels.join(", "),
                p.passing.join(", "),
                if p.out_of_band.is_empty() {
                    String::new()
                } else {
                    format!(" Outside the ladder: {}.", p.out_of_band.join(", "))
                }
            );
        }
        if !p.params.as_object().is_none_or(|m| m.is_empty()) {
            let _ = writeln!(s, "Parameters: `{}`\n", p.params);
        }
        for sc in &p.scores {
            let _ = writeln!(
                s,
                "- score `{}` ({} %): `{}`",
                sc.name,
                sc.weight,
                md_cell(&sc.expr)
            );
        }
        for t in &p.thresholds {
            let _ = writeln!(s, "- {} from a total of {}", t.level, t.min);
        }
        if !p.coverage.is_empty() {
            let c = &p.coverage;
            if let Some(e) = &c.edition {
                let _ = writeln!(s, "Edition: {}\n", md_cell(e));
            }
            for (name, items) in [
                ("Implemented", &c.implemented),
                ("Cannot be checked from outside", &c.not_checkable),
                ("Not implemented", &c.not_implemented),
            ] {
                if items.is_empty() {
                    continue;
                }
                let _ = writeln!(s, "{name}:\n");
                for i in items {
                    let _ = writeln!(s, "- {}", md_cell(i));
                }
                s.push('\n');
            }
        }
        if !p.not_evaluated.is_empty() {
            s.push_str("\nNot evaluated by kensa (yet):\n\n");
            for n in &p.not_evaluated {
                let _ = writeln!(
                    s,
                    "- **{}** (cap {}): {}",
                    n.name,
                    n.cap,
                    md_cell(&n.reason)
                );
            }
        }
        let ids: Vec<String> = p
            .controls
            .iter()
            .map(|c| match &c.on_fail {
                Some(l) if p.grading != Grading::PassFail => {
                    format!("[{}](#{}) → {l}", c.id, c.id.to_lowercase())
                }
                _ => format!("[{}](#{})", c.id, c.id.to_lowercase()),
            })
            .collect();
        let _ = writeln!(s, "\nControls: {}", ids.join(", "));
    }
    s.push_str("\n## Controls\n");
    for c in controls {
        let _ = writeln!(
            s,
            "\n### {}\n\n**{}**{}\n",
            c.id,
            md_cell(&c.title),
            if c.provisional {
                " *(provisional)*"
            } else {
                ""
            }
        );
        let _ = writeln!(s, "- severity: {}", c.severity.as_str());
        let _ = writeln!(
            s,
            "- level: {}{}",
            c.level.as_str(),
            if c.level == super::control::Requirement::Shall {
                ""
            } else {
                " (unmet: a warning, never a failure of the profile)"
            }
        );
        let _ = writeln!(
            s,
            "- clause: {} {}{}",
            c.clause.standard,
            c.clause.section,
            c.clause
                .note
                .as_ref()
                .map(|n| format!(" ({})", md_cell(n)))
                .unwrap_or_default()
        );
        let _ = writeln!(s, "- needs: {}", c.needs.join(", "));
        if let Some(l) = &c.on_fail {
            let _ = writeln!(s, "- on fail: {l}");
        }
        if let Some(a) = &c.applies_if {
            let _ = writeln!(s, "- applies if: `{}`", md_cell(a));
        }
        let _ = writeln!(s, "- rule: `{}`", md_cell(&c.rule));
        let _ = writeln!(s, "- defined in: `{}`", c.defined_at);
        let _ = writeln!(s, "\n{}", md_cell(&c.rationale));
    }
    s
}

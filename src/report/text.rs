//! The Markdown and CSV reports.
//!
//! Markdown: every string not written here goes through [`md`], which turns the characters
//! HTML gives meaning to into character references and backslash-escapes Markdown's, so a
//! certificate subject or a header from the network renders as text in any renderer. CSV:
//! one row per finding, quoted as RFC 4180 says ([`csv_field`]), CRLF line ends.

use std::fmt::Write as _;

use super::model::{FindingRow, Report, Tables};
use crate::assess::eval::Outcome;

/// The only Markdown escaping function (of the report and of `kensa compare`):
/// [`crate::escape::markdown`].
pub use crate::escape::markdown as md;

/// One CSV field of the report: [`crate::escape::csv_field`], formula-guarded.
pub fn csv_field(s: &str) -> String {
    crate::escape::csv_field(s, true)
}

fn mdo(s: Option<&str>) -> String {
    s.map_or_else(|| "-".to_owned(), md)
}

/// Compact JSON of `v`, at most 300 characters.
fn compact(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 300 {
        let cut: String = s.chars().take(297).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn label(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "**FAIL**",
        Outcome::Warning => "warning",
        Outcome::NotApplicable => "n/a",
        Outcome::Inconclusive => "inc.",
    }
}

fn ms(us: Option<u64>) -> String {
    us.map_or("-".to_owned(), |u| format!("{:.2}", u as f64 / 1000.0))
}

/// The Markdown report.
pub fn markdown(r: &Report) -> String {
    let a = &r.assessment;
    let t = &r.tables;
    let mut s = String::new();
    let _ = writeln!(s, "# kensa report: run {}\n", md(&a.run_id));
    let _ = writeln!(
        s,
        "Evidence: {} ({}) · generated {} by {} · profiles: {}\n",
        md(&a.evidence),
        match a.integrity {
            crate::evidence::Integrity::Intact => "intact",
            crate::evidence::Integrity::Incomplete => "incomplete: no run-end",
            crate::evidence::Integrity::Tampered => "tampered",
        },
        md(&r.generated_at),
        md(&r.tool),
        md(&a
            .profiles
            .iter()
            .map(|(id, v)| format!("{id} {v}"))
            .collect::<Vec<_>>()
            .join(", "))
    );
    s.push_str("## Providers\n\n| provider | name | declared country | applies for | kensa grade | verdicts |\n|---|---|---|---|---|---|\n");
    for p in &t.providers {
        let badges: Vec<String> = p
            .badges
            .iter()
            .map(|b| {
                let context = b.context();
                format!(
                    "{} {}: **{}**{}{}",
                    md(&b.profile),
                    md(&b.version),
                    md(&b.verdict),
                    b.detail
                        .as_ref()
                        .map(|d| format!(" \\({}\\)", md(d)))
                        .unwrap_or_default(),
                    if context.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", md(&context.join("; ")))
                    }
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {}{} | {} | {} |",
            md(&p.id),
            mdo(p.name.as_deref()),
            mdo(p.declared_country.as_deref()),
            mdo(p.applies_for.as_deref()),
            if p.fails_applies_for {
                " \\(**fails**\\)"
            } else {
                ""
            },
            mdo(p.grade.as_deref()),
            badges.join("<br>")
        );
    }
    s.push_str("\n## Endpoints\n\n| provider | target | addresses | TLS versions | HTTP | Server header |\n|---|---|---|---|---|---|\n");
    for e in &t.endpoints {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            md(&e.provider),
            md(&e.target),
            md(&e.addresses.join(" ")),
            md(&e.tls_versions.join(" ")),
            e.http_status.map_or("-".to_owned(), |x| x.to_string()),
            mdo(e.server.as_deref())
        );
    }
    s.push_str("\n## Controls\n");
    for m in &t.matrix {
        let _ = writeln!(s, "\n### {} {}\n", md(&m.profile), md(&m.version));
        s.push_str("| control |");
        for c in &m.columns {
            let _ = write!(s, " {} |", md(&c.target));
        }
        s.push_str("\n|---|");
        for _ in &m.columns {
            s.push_str("---|");
        }
        s.push('\n');
        for row in &m.rows {
            let _ = write!(s, "| {} {} |", md(&row.control), md(&row.title));
            for cell in &row.cells {
                match cell {
                    Some(c) => {
                        let _ = write!(s, " [{}](#{}) |", label(c.outcome), md(&c.finding));
                    }
                    None => s.push_str(" - |"),
                }
            }
            s.push('\n');
        }
    }
    s.push_str("\n## Residency\n\n");
    if t.residency.is_empty() {
        s.push_str("No residency evidence.\n");
    } else {
        s.push_str("| target | role | address | declared | verdict | strength | country per source | other countries |\n|---|---|---|---|---|---|---|---|\n");
        for row in &t.residency {
            let sources: Vec<String> = row
                .sources
                .iter()
                .map(|x| {
                    format!(
                        "{}: {}{}",
                        md(&x.source),
                        mdo(x.country.as_deref()),
                        x.note
                            .as_ref()
                            .map(|n| format!(" \\({}\\)", md(n)))
                            .unwrap_or_default()
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                md(&row.target),
                md(&row.role),
                md(&row.address),
                mdo(row.declared_country.as_deref()),
                md(&row.status),
                mdo(row.strength.as_deref()),
                if sources.is_empty() {
                    "-".to_owned()
                } else {
                    sources.join("<br>")
                },
                md(&row.other_countries.join(" "))
            );
        }
    }
    super::declared::markdown(&t.declared, |id| r.provider_name(id), &mut s);
    s.push_str("\n## Connect latency (ms)\n\n");
    if t.latency.is_empty() {
        s.push_str("No latency evidence.\n");
    } else {
        s.push_str("| target | address | samples | failed | min | median | p90 | max |\n|---|---|---|---|---|---|---|---|\n");
        for l in &t.latency {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                md(&l.target),
                md(&l.address),
                l.samples,
                l.failures,
                ms(l.min_us),
                ms(l.median_us),
                ms(l.p90_us),
                ms(l.max_us)
            );
        }
    }
    s.push_str("\n## Certificate expiry\n\n");
    if t.certificates.is_empty() {
        s.push_str("No certificate evidence.\n");
    } else {
        s.push_str("| target | subject | DNS names | issuer | not after | days left |\n|---|---|---|---|---|---|\n");
        for c in &t.certificates {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                md(&c.target),
                md(&c.subject),
                md(&c.dns_names.join(" ")),
                md(&c.issuer),
                mdo(c.not_after.as_deref()),
                c.days_left.map_or("-".to_owned(), |d| d.to_string())
            );
        }
    }
    s.push_str("\n## Evidence appendix\n");
    for group in r.appendix() {
        finding(&group, &mut s);
    }
    s
}

/// One appendix entry for identical findings under several profiles (see
/// [`Report::appendix`]).
fn finding(group: &[&FindingRow], s: &mut String) {
    let Some(f) = group.first() else { return };
    let ids: String = group
        .iter()
        .map(|g| format!("<a id=\"{}\"></a>", md(&g.anchor)))
        .collect();
    let profiles: Vec<String> = group
        .iter()
        .map(|g| format!("{} ({})", g.profile, g.anchor))
        .collect();
    let _ = writeln!(
        s,
        "\n{ids}**{}** {} {}: {} · {} · {} {} · severity {}\n",
        md(&f.anchor),
        md(&f.control),
        md(&f.title),
        label(f.outcome),
        md(&f.target),
        if group.len() > 1 {
            "profiles"
        } else {
            "profile"
        },
        md(&profiles.join(", ")),
        f.severity.map_or("-", |x| x.as_str())
    );
    if let Some(r) = &f.reason {
        let _ = writeln!(s, "- why: {}", md(r));
    }
    if let Some(c) = &f.caveat {
        let _ = writeln!(s, "- caveat: {}", md(c));
    }
    for rec in &f.records {
        let _ = writeln!(
            s,
            "- record: {} seq {} hash {}",
            md(&rec.probe),
            rec.seq,
            md(&rec.hash)
        );
    }
    for e in &f.evidence {
        let _ = writeln!(s, "- {} = {}", md(&e.expr), md(&compact(&e.value)));
    }
}

/// The CSV columns.
pub const CSV_HEADER: [&str; 10] = [
    "provider",
    "target",
    "profile",
    "control",
    "outcome",
    "severity",
    "evidence_seq",
    "evidence_hash",
    "detail",
    "section",
];

/// Whether a finding belongs to the "Declared vs observed" section (a `DECL-*` control).
pub fn is_declared(f: &FindingRow) -> bool {
    f.control.starts_with("DECL-")
}

/// The CSV report: a header and one row per finding; several evidence records are joined with
/// `;` in `evidence_seq` and `evidence_hash` (in the same order); `detail` holds the reason, the
/// caveat of a control whose citation was not checked, and the recorded values (`expr = value`), `; `-separated. Lines end in CRLF.
///
/// The last column, `section`, is `findings` for the rows of the observed controls, then
/// `declared` for the "Declared vs observed" section, provider by provider: one row per
/// statement (`profile` `declaration`, `control` `statement:SECTION`, `outcome` `agree`,
/// `contradict` or `not-observed`, `detail` what was declared, observed and not declared),
/// one per fact declared but not observable (`control` `not-verified`, `outcome`
/// `declared-not-verified`), then the provider's `DECL-*` findings.
pub fn csv(r: &Report) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_csv(r, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`csv`], written row by row to `w`.
pub fn write_csv(r: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    csv_row(w, &CSV_HEADER)?;
    write_csv_findings(&r.tables, w)?;
    write_csv_declared(&r.tables, w)
}

/// One CSV row.
pub(crate) fn csv_row(w: &mut dyn std::io::Write, fields: &[&str]) -> std::io::Result<()> {
    for (i, x) in fields.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        w.write_all(csv_field(x).as_bytes())?;
    }
    w.write_all(b"\r\n")
}

/// A finding's CSV row, in `section`.
fn csv_finding(w: &mut dyn std::io::Write, f: &FindingRow, section: &str) -> std::io::Result<()> {
    let mut detail: Vec<String> = Vec::new();
    if let Some(reason) = &f.reason {
        detail.push(reason.clone());
    }
    if let Some(c) = &f.caveat {
        detail.push(format!("caveat: {c}"));
    }
    for e in &f.evidence {
        detail.push(format!("{} = {}", e.expr, compact(&e.value)));
    }
    let seqs: Vec<String> = f.records.iter().map(|x| x.seq.to_string()).collect();
    let hashes: Vec<&str> = f.records.iter().map(|x| x.hash.as_str()).collect();
    csv_row(
        w,
        &[
            f.provider.as_str(),
            f.target.as_str(),
            f.profile.as_str(),
            f.control.as_str(),
            f.outcome.as_str(),
            f.severity.map_or("", |x| x.as_str()),
            &seqs.join(";"),
            &hashes.join(";"),
            &detail.join("; "),
            section,
        ],
    )
}

/// The `findings` section's rows of `t` (every finding but the `DECL-*` ones).
pub(crate) fn write_csv_findings(t: &Tables, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    for f in t.findings.iter().filter(|f| !is_declared(f)) {
        csv_finding(w, f, "findings")?;
    }
    Ok(())
}

/// The `declared` section's rows of `t`, provider by provider (the table's order, then any
/// provider with `DECL-*` findings but no row).
pub(crate) fn write_csv_declared(t: &Tables, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut order: Vec<&str> = t.providers.iter().map(|p| p.id.as_str()).collect();
    for d in &t.declared {
        if !order.contains(&d.provider.as_str()) {
            order.push(&d.provider);
        }
    }
    let mut decl: std::collections::BTreeMap<&str, Vec<&FindingRow>> =
        std::collections::BTreeMap::new();
    for f in t.findings.iter().filter(|f| is_declared(f)) {
        if !order.contains(&f.provider.as_str()) {
            order.push(&f.provider);
        }
        decl.entry(f.provider.as_str()).or_default().push(f);
    }
    let list = |l: &[String]| {
        if l.is_empty() {
            "-".to_owned()
        } else {
            l.join(", ")
        }
    };
    for provider in order {
        if let Some(d) = t.declared.iter().find(|d| d.provider == provider) {
            for st in &d.statements {
                let seqs: Vec<String> = st.records.iter().map(|x| x.seq.to_string()).collect();
                let hashes: Vec<&str> = st.records.iter().map(|x| x.hash.as_str()).collect();
                let detail = format!(
                    "{}; declared: {}; observed: {}; undeclared: {}",
                    st.statement,
                    list(&st.declared),
                    list(&st.observed),
                    list(&st.undeclared)
                );
                csv_row(
                    w,
                    &[
                        provider,
                        "",
                        "declaration",
                        &format!("statement:{}", st.section),
                        &st.status,
                        "",
                        &seqs.join(";"),
                        &hashes.join(";"),
                        &detail,
                        "declared",
                    ],
                )?;
            }
            for n in &d.not_verified {
                csv_row(
                    w,
                    &[
                        provider,
                        "",
                        "declaration",
                        "not-verified",
                        "declared-not-verified",
                        "",
                        "",
                        "",
                        &format!("{}: {}", n.fact, n.declared),
                        "declared",
                    ],
                )?;
            }
        }
        for f in decl.get(provider).into_iter().flatten() {
            csv_finding(w, f, "declared")?;
        }
    }
    Ok(())
}

//! The HTML report: one self-contained file with no script.
//!
//! The page carries a Content-Security-Policy (`default-src 'none'; style-src 'unsafe-inline';
//! img-src data:`): no script, no external fetch, even if some string slipped through. Every
//! string that is not a literal of this file goes through [`esc`], in text and in (always
//! double-quoted) attributes alike, including the SVG charts' labels and tooltips.

use std::fmt::Write as _;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::model::{CertificateRow, FindingRow, LatencyRow, Report};
use crate::assess::eval::Outcome;
use crate::evidence::Integrity;

/// The only HTML escaping function (of the report and of `kensa compare`): [`crate::escape::html`].
pub use crate::escape::html as esc;

/// The page's Content-Security-Policy.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// At most `n` characters of `s`, with an ellipsis when cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        s.to_owned()
    }
}

const STYLE: &str = "\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:1220px;margin:0 auto;padding:16px 24px 48px;background:#fff}
h1{font-size:24px;margin:8px 0}h2{font-size:19px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}
h3{font-size:16px;margin:18px 0 6px}h4{font-size:14px;margin:0 0 4px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}
thead th{background:#f6f8fa}
code,pre{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#f6f8fa;padding:6px 8px;margin:2px 0;white-space:pre-wrap;word-break:break-all;max-height:260px;overflow:auto}
nav a{margin-right:12px}
.meta{color:#57606a}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;min-width:300px;flex:1}
.card dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:6px 0}
.card dt{color:#57606a}.card dd{margin:0}
.badge{display:inline-block;white-space:nowrap;border-radius:10px;padding:1px 9px;margin:2px 4px 2px 0;font-size:12px;border:1px solid}
.pass{background:#dafbe1;color:#116329;border-color:#4ac26b}
.fail{background:#ffebe9;color:#a40e26;border-color:#ff8182}
.inconclusive{background:#fff8c5;color:#7d4e00;border-color:#d4a72c}
.warning{background:#fff1e5;color:#953800;border-color:#fb8f44}
.not-applicable{background:#f6f8fa;color:#57606a;border-color:#d0d7de}
.grade{font-weight:600}
.scroll{overflow-x:auto}
table.matrix td{text-align:center;padding:2px 4px;min-width:46px}
table.matrix td a{display:block;text-decoration:none;color:inherit}
table.matrix th.ctl{white-space:nowrap}
.finding{border:1px solid #d0d7de;border-left-width:4px;border-radius:4px;padding:6px 10px;margin:8px 0}
.finding.o-fail{border-left-color:#cf222e}.finding.o-inconclusive{border-left-color:#d4a72c}
.finding.o-pass{border-left-color:#2da44e}.finding.o-not-applicable{border-left-color:#8c959f}
.finding:target{background:#fff8c5}
svg text{font:11px system-ui,sans-serif;fill:#1f2328}
svg .axis{stroke:#8c959f;stroke-width:1}
svg .grid{stroke:#eaeef2;stroke-width:1}
svg .whisker{stroke:#57606a;stroke-width:1.5}
svg .box{fill:#54aeff;stroke:#0969da}
svg .median{stroke:#0a3069;stroke-width:2.5}
svg .ok{fill:#4ac26b}svg .soon{fill:#d4a72c}svg .expired{fill:#ff8182}
svg .today{stroke:#cf222e;stroke-width:2;stroke-dasharray:4 3}
";

fn outcome_class(o: Outcome) -> &'static str {
    o.as_str()
}

fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
        Outcome::Warning => "warn",
        Outcome::NotApplicable => "n/a",
        Outcome::Inconclusive => "inc.",
    }
}

fn passed_class(passed: Option<bool>) -> &'static str {
    match passed {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "inconclusive",
    }
}

fn opt(s: Option<&str>) -> String {
    esc(s.unwrap_or("-"))
}

fn ms(us: u64) -> String {
    let v = us as f64 / 1000.0;
    if v < 10.0 {
        format!("{v:.2} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// Render the whole page.
pub fn render(r: &Report) -> String {
    let a = &r.assessment;
    let mut h = String::with_capacity(64 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        h,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        esc(CSP)
    );
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    let _ = writeln!(h, "<title>kensa report: run {}</title>", esc(&a.run_id));
    let _ = writeln!(h, "<style>\n{STYLE}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(h, "<h1>kensa report</h1>");
    let profiles: Vec<String> = a
        .profiles
        .iter()
        .map(|(id, v)| format!("{id} {v}"))
        .collect();
    let _ = writeln!(
        h,
        "<p class=\"meta\">run <code>{}</code> · evidence <code>{}</code> ({}) · generated {} by {} · profiles: {} (and each provider's applies_for)</p>",
        esc(&a.run_id),
        esc(&a.evidence),
        match a.integrity {
            Integrity::Intact => "intact",
            Integrity::Incomplete => "incomplete: the run has no run-end",
            Integrity::Tampered => "tampered",
        },
        esc(&r.generated_at),
        esc(&r.tool),
        esc(&profiles.join(", "))
    );
    h.push_str(
        "<nav><a href=\"#providers\">Providers</a><a href=\"#endpoints\">Endpoints</a>\
         <a href=\"#matrix\">Controls</a><a href=\"#residency\">Residency</a>\
         <a href=\"#latency\">Latency</a><a href=\"#certificates\">Certificates</a>\
         <a href=\"#evidence\">Evidence</a>",
    );
    if !r.tables.declared.is_empty() {
        h.push_str("<a href=\"#declared\">Declared vs observed</a>");
    }
    h.push_str("</nav>\n");
    providers(r, &mut h);
    endpoints(r, &mut h);
    matrix(r, &mut h);
    residency(r, &mut h);
    super::declared::html(&r.tables.declared, |id| r.provider_name(id), &mut h);
    latency(r, &mut h);
    certificates(r, &mut h);
    appendix(r, &mut h);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn providers(r: &Report, h: &mut String) {
    h.push_str("<section id=\"providers\">\n<h2>Providers</h2>\n<div class=\"cards\">\n");
    for p in &r.tables.providers {
        let _ = writeln!(
            h,
            "<div class=\"card\" id=\"provider-{}\">\n<h3>{} <small class=\"meta\">{}</small></h3>",
            esc(&p.id),
            esc(p.name.as_deref().unwrap_or(&p.id)),
            esc(&p.id)
        );
        let _ = writeln!(
            h,
            "<dl><dt>declared country</dt><dd>{}</dd><dt>applies for</dt><dd>{}{}</dd>\
             <dt>kensa grade</dt><dd class=\"grade\">{}</dd><dt>targets</dt><dd>{}</dd></dl>",
            opt(p.declared_country.as_deref()),
            opt(p.applies_for.as_deref()),
            if p.fails_applies_for {
                " <span class=\"badge fail\">fails it</span>"
            } else {
                ""
            },
            opt(p.grade.as_deref()),
            p.targets
                .iter()
                .map(|t| esc(t))
                .collect::<Vec<_>>()
                .join("<br>")
        );
        h.push_str("<div class=\"badges\">");
        for b in &p.badges {
            let _ = write!(
                h,
                "<span class=\"badge {}\" title=\"{}\">{} {}: <b>{}</b></span>",
                passed_class(b.passed),
                esc(b.detail.as_deref().unwrap_or("")),
                esc(&b.profile),
                esc(&b.version),
                esc(&b.verdict)
            );
        }
        h.push_str("</div>\n");
        let beside: Vec<String> = p
            .badges
            .iter()
            .filter(|b| !b.context().is_empty())
            .map(|b| {
                format!(
                    "<li><b>{}</b> {}: {}</li>",
                    esc(&b.profile),
                    esc(&b.verdict),
                    esc(&b.context().join("; "))
                )
            })
            .collect();
        if !beside.is_empty() {
            let _ = writeln!(
                h,
                "<ul class=\"meta verdict-context\">{}</ul>",
                beside.concat()
            );
        }
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n</section>\n");
}

fn endpoints(r: &Report, h: &mut String) {
    h.push_str(
        "<section id=\"endpoints\">\n<h2>Endpoints</h2>\n<div class=\"scroll\"><table>\n\
         <thead><tr><th>provider</th><th>target</th><th>addresses</th><th>TLS versions</th>\
         <th>HTTP</th><th>Server header</th><th>probes</th></tr></thead>\n<tbody>\n",
    );
    for e in &r.tables.endpoints {
        let probes: Vec<String> = e
            .probes
            .iter()
            .map(|(id, o)| {
                let class = if o == "success" { "pass" } else { "fail" };
                format!(
                    "<span class=\"badge {class}\">{} {}</span>",
                    esc(id),
                    esc(o)
                )
            })
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.provider_name(&e.provider)),
            esc(&e.target),
            esc(&e.addresses.join(" ")),
            esc(&e.tls_versions.join(" ")),
            e.http_status.map_or("-".to_owned(), |s| s.to_string()),
            opt(e.server.as_deref()),
            probes.join(" ")
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");
}

fn matrix(r: &Report, h: &mut String) {
    h.push_str(
        "<section id=\"matrix\">\n<h2>Controls</h2>\n<p class=\"meta\">Each cell links to the \
         finding in the evidence appendix. <span class=\"badge pass\">pass</span>\
         <span class=\"badge fail\">FAIL</span><span class=\"badge warning\">warn = an unmet \
         recommendation (should), not a failure</span><span class=\"badge inconclusive\">inc. = \
         inconclusive</span><span class=\"badge not-applicable\">n/a = not applicable</span></p>\n",
    );
    for m in &r.tables.matrix {
        let _ = writeln!(
            h,
            "<h3>{} {}</h3>\n<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th rowspan=\"2\">control</th>",
            esc(&m.profile),
            esc(&m.version)
        );
        // Provider header cells spanning their targets.
        let mut groups: Vec<(&str, usize)> = Vec::new();
        for c in &m.columns {
            match groups.last_mut() {
                Some((p, n)) if *p == c.provider.as_str() => *n += 1,
                _ => groups.push((c.provider.as_str(), 1)),
            }
        }
        for (p, n) in &groups {
            let _ = write!(h, "<th colspan=\"{n}\">{}</th>", esc(&r.provider_name(p)));
        }
        h.push_str("</tr>\n<tr>");
        for c in &m.columns {
            let _ = write!(
                h,
                "<th title=\"{}\">{}</th>",
                esc(&c.target),
                esc(&short_target(&c.target))
            );
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for row in &m.rows {
            let _ = write!(
                h,
                "<tr><th class=\"ctl\" title=\"{}\">{} <span class=\"meta\">{}</span></th>",
                esc(&row.title),
                esc(&row.control),
                esc(row.severity.map_or("", |s| s.as_str()))
            );
            for cell in &row.cells {
                match cell {
                    Some(c) => {
                        let _ = write!(
                            h,
                            "<td class=\"{}\"><a href=\"#{}\" title=\"{}\">{}</a></td>",
                            outcome_class(c.outcome),
                            esc(&c.finding),
                            esc(c.outcome.as_str()),
                            outcome_label(c.outcome)
                        );
                    }
                    None => h.push_str("<td>-</td>"),
                }
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table></div>\n");
    }
    h.push_str("</section>\n");
}

/// The host:port part of a target id (`provider/host:port`).
fn short_target(t: &str) -> String {
    t.split_once('/').map_or(t, |(_, rest)| rest).to_owned()
}

fn residency(r: &Report, h: &mut String) {
    h.push_str("<section id=\"residency\">\n<h2>Residency</h2>\n");
    if r.tables.residency.is_empty() {
        h.push_str("<p>No residency evidence (<code>geo.residency</code> did not run or did not succeed).</p>\n</section>\n");
        return;
    }
    h.push_str(
        "<div class=\"scroll\"><table>\n<thead><tr><th>provider</th><th>target</th><th>role</th>\
         <th>address</th><th>declared</th><th>verdict</th><th>strength</th><th>country per source</th>\
         <th>other countries</th><th>record</th></tr></thead>\n<tbody>\n",
    );
    for row in &r.tables.residency {
        let class = match row.status.as_str() {
            "in-country" => "pass",
            "out-of-country" => "fail",
            _ => "inconclusive",
        };
        let sources: Vec<String> = row
            .sources
            .iter()
            .map(|s| {
                format!(
                    "{}: <b>{}</b>{}",
                    esc(&s.source),
                    opt(s.country.as_deref()),
                    s.note
                        .as_ref()
                        .map(|n| format!(" <span class=\"meta\">({})</span>", esc(n)))
                        .unwrap_or_default()
                )
            })
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td><span class=\"badge {class}\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.provider_name(&row.provider)),
            esc(&row.target),
            esc(&row.role),
            esc(&row.address),
            opt(row.declared_country.as_deref()),
            esc(&row.status),
            opt(row.strength.as_deref()),
            if sources.is_empty() {
                "-".to_owned()
            } else {
                sources.join("<br>")
            },
            esc(&row.other_countries.join(" ")),
            row.record
                .as_ref()
                .map(|rec| format!("{} #{}", esc(&rec.probe), rec.seq))
                .unwrap_or_default()
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");
}

fn latency(r: &Report, h: &mut String) {
    h.push_str(
        "<section id=\"latency\">\n<h2>Connect latency</h2>\n<p class=\"meta\">TCP connect \
         time per address (<code>latency.tcp</code>): the line spans min to max, the box median \
         to p90, the dark tick is the median.</p>\n",
    );
    if r.tables.latency.is_empty() {
        h.push_str("<p>No latency evidence.</p>\n</section>\n");
        return;
    }
    for p in &r.tables.providers {
        let rows: Vec<&LatencyRow> = r
            .tables
            .latency
            .iter()
            .filter(|l| l.provider == p.id)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(h, "<h3>{}</h3>", esc(p.name.as_deref().unwrap_or(&p.id)));
        latency_svg(&rows, h);
    }
    h.push_str("</section>\n");
}

fn latency_svg(rows: &[&LatencyRow], h: &mut String) {
    const LEFT: f64 = 340.0;
    const WIDTH: f64 = 520.0;
    const ROW: f64 = 24.0;
    const TOP: f64 = 10.0;
    let max = rows
        .iter()
        .filter_map(|r| r.max_us)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let x = |us: u64| LEFT + us as f64 / max * WIDTH;
    let height = TOP + rows.len() as f64 * ROW + 30.0;
    let _ = writeln!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {:.0} {height:.0}\" role=\"img\" aria-label=\"connect latency\">",
        LEFT + WIDTH + 30.0,
        LEFT + WIDTH + 30.0
    );
    let axis_y = TOP + rows.len() as f64 * ROW + 4.0;
    for i in 0..=4u32 {
        let us = (max * f64::from(i) / 4.0) as u64;
        let gx = x(us);
        let _ = writeln!(
            h,
            "<line class=\"grid\" x1=\"{gx:.1}\" y1=\"{TOP:.1}\" x2=\"{gx:.1}\" y2=\"{axis_y:.1}\"/>\
             <text x=\"{gx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 14.0,
            esc(&ms(us))
        );
    }
    let _ = writeln!(
        h,
        "<line class=\"axis\" x1=\"{LEFT:.1}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\"/>",
        LEFT + WIDTH
    );
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + i as f64 * ROW + ROW / 2.0;
        let label = format!("{} {}", short_target(&r.target), r.address);
        let _ = writeln!(
            h,
            "<g><title>{}</title><text x=\"4\" y=\"{:.1}\">{}</text>",
            esc(&format!(
                "{} {}: {}",
                r.target,
                r.address,
                match (r.min_us, r.median_us, r.p90_us, r.max_us) {
                    (Some(a), Some(b), Some(c), Some(d)) => format!(
                        "min {}, median {}, p90 {}, max {} ({} samples, {} failed)",
                        ms(a),
                        ms(b),
                        ms(c),
                        ms(d),
                        r.samples,
                        r.failures
                    ),
                    _ => format!("no successful sample ({} failed)", r.failures),
                }
            )),
            y + 4.0,
            esc(&cut(&label, 52))
        );
        match (r.min_us, r.median_us, r.p90_us, r.max_us) {
            (Some(mn), Some(md), Some(p9), Some(mx)) => {
                let _ = writeln!(
                    h,
                    "<line class=\"whisker\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
                     <rect class=\"box\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"12\"/>\
                     <line class=\"median\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
                    x(mn),
                    x(mx),
                    x(md),
                    y - 6.0,
                    (x(p9) - x(md)).max(1.5),
                    x(md),
                    y - 8.0,
                    x(md),
                    y + 8.0
                );
            }
            _ => {
                let _ = writeln!(
                    h,
                    "<text x=\"{:.1}\" y=\"{:.1}\">no successful sample</text>",
                    LEFT + 4.0,
                    y + 4.0
                );
            }
        }
        h.push_str("</g>\n");
    }
    h.push_str("</svg>\n");
}

fn parse(t: Option<&str>) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(t?, &Rfc3339).ok()
}

fn date(t: OffsetDateTime) -> String {
    t.date().to_string()
}

fn certificates(r: &Report, h: &mut String) {
    h.push_str("<section id=\"certificates\">\n<h2>Certificate expiry</h2>\n");
    if r.tables.certificates.is_empty() {
        h.push_str("<p>No certificate evidence.</p>\n</section>\n");
        return;
    }
    h.push_str(
        "<p class=\"meta\">Validity of each leaf certificate (<code>x509.chain</code>); the dashed \
         line is the report's date. Green: more than 30 days left; amber: 30 days or fewer; red: \
         expired.</p>\n",
    );
    cert_svg(r.now(), &r.tables.certificates, h);
    h.push_str(
        "<div class=\"scroll\"><table>\n<thead><tr><th>provider</th><th>target</th><th>subject</th>\
         <th>DNS names</th><th>issuer</th><th>not before</th><th>not after</th><th>days left</th>\
         <th>chains</th><th>record</th></tr></thead>\n<tbody>\n",
    );
    for c in &r.tables.certificates {
        let class = match c.days_left {
            Some(d) if d < 0 => "fail",
            Some(d) if d <= 30 => "inconclusive",
            Some(_) => "pass",
            None => "not-applicable",
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td><span class=\"badge {class}\">{}</span></td><td>{}</td><td>{}</td></tr>",
            esc(&r.provider_name(&c.provider)),
            esc(&c.target),
            esc(&c.subject),
            esc(&c.dns_names.join(" ")),
            esc(&c.issuer),
            opt(c.not_before.as_deref()),
            opt(c.not_after.as_deref()),
            c.days_left.map_or("-".to_owned(), |d| d.to_string()),
            esc(&c.chains.join(", ")),
            c.record
                .as_ref()
                .map(|rec| format!("{} #{}", esc(&rec.probe), rec.seq))
                .unwrap_or_default()
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");
}

fn cert_svg(now: OffsetDateTime, certs: &[CertificateRow], h: &mut String) {
    const LEFT: f64 = 340.0;
    const WIDTH: f64 = 520.0;
    const ROW: f64 = 24.0;
    const TOP: f64 = 22.0;
    let bars: Vec<(&CertificateRow, Option<OffsetDateTime>, OffsetDateTime)> = certs
        .iter()
        .filter_map(|c| {
            Some((
                c,
                parse(c.not_before.as_deref()),
                parse(c.not_after.as_deref())?,
            ))
        })
        .collect();
    if bars.is_empty() {
        h.push_str("<p>No certificate has a readable validity period.</p>\n");
        return;
    }
    let mut start = now;
    let mut end = now;
    for (_, nb, na) in &bars {
        if let Some(nb) = nb {
            start = start.min(*nb);
        }
        start = start.min(*na);
        end = end.max(*na);
    }
    let span = (end - start).whole_seconds().max(86_400) as f64;
    let pad = span * 0.04;
    let t0 = start.unix_timestamp() as f64 - pad;
    let total = span + 2.0 * pad;
    let x = |t: OffsetDateTime| LEFT + (t.unix_timestamp() as f64 - t0) / total * WIDTH;
    let height = TOP + bars.len() as f64 * ROW + 30.0;
    let _ = writeln!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {:.0} {height:.0}\" role=\"img\" aria-label=\"certificate expiry timeline\">",
        LEFT + WIDTH + 40.0,
        LEFT + WIDTH + 40.0
    );
    let axis_y = TOP + bars.len() as f64 * ROW + 4.0;
    for i in 0..=4u32 {
        let secs = t0 + total * f64::from(i) / 4.0;
        let Ok(t) = OffsetDateTime::from_unix_timestamp(secs as i64) else {
            continue;
        };
        let gx = x(t);
        let _ = writeln!(
            h,
            "<line class=\"grid\" x1=\"{gx:.1}\" y1=\"{TOP:.1}\" x2=\"{gx:.1}\" y2=\"{axis_y:.1}\"/>\
             <text x=\"{gx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 14.0,
            esc(&date(t))
        );
    }
    for (i, (c, nb, na)) in bars.iter().enumerate() {
        let y = TOP + i as f64 * ROW + ROW / 2.0;
        let class = match c.days_left {
            Some(d) if d < 0 => "expired",
            Some(d) if d <= 30 => "soon",
            _ => "ok",
        };
        let from = nb.map_or(LEFT, x);
        let tip = format!(
            "{}: {} (DNS {}), issuer {}; {} to {}; {}",
            c.target,
            c.subject,
            if c.dns_names.is_empty() {
                "-".to_owned()
            } else {
                c.dns_names.join(" ")
            },
            c.issuer,
            nb.map_or("?".to_owned(), date),
            date(*na),
            match c.days_left {
                Some(d) if d < 0 => format!("expired {} days ago", -d),
                Some(d) => format!("{d} days left"),
                None => "days left unknown".to_owned(),
            }
        );
        let _ = writeln!(
            h,
            "<g><title>{}</title><text x=\"4\" y=\"{:.1}\">{}</text>\
             <rect class=\"{class}\" x=\"{from:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"12\" rx=\"2\"/></g>",
            esc(&tip),
            y + 4.0,
            esc(&cut(
                &format!("{} {}", short_target(&c.target), c.subject),
                52
            )),
            y - 6.0,
            (x(*na) - from).max(1.5)
        );
    }
    let tx = x(now);
    let _ = writeln!(
        h,
        "<line class=\"axis\" x1=\"{LEFT:.1}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\"/>\
         <line class=\"today\" x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{axis_y:.1}\"/>\
         <text x=\"{tx:.1}\" y=\"12\" text-anchor=\"middle\">today {}</text>",
        LEFT + WIDTH,
        TOP - 6.0,
        esc(&date(now))
    );
    h.push_str("</svg>\n");
}

fn appendix(r: &Report, h: &mut String) {
    h.push_str(
        "<section id=\"evidence\">\n<h2>Evidence appendix</h2>\n<p class=\"meta\">Every \
         finding, with the lines of <code>evidence.jsonl</code> it rests on (probe, sequence \
         number, hash: check them with <code>kensa verify</code>) and the values its control \
         recorded.</p>\n",
    );
    for group in r.appendix() {
        finding(r, &group, h);
    }
    h.push_str("</section>\n");
}

/// One appendix entry: the first finding of `group` (the others are the same finding under
/// other profiles: their anchors point here too).
fn finding(r: &Report, group: &[&FindingRow], h: &mut String) {
    let Some(f) = group.first() else { return };
    let _ = writeln!(
        h,
        "<div class=\"finding o-{}\" id=\"{}\">\n<h4><a href=\"#{}\">{}</a> {} {}: \
         <span class=\"badge {}\">{}</span></h4>",
        outcome_class(f.outcome),
        esc(&f.anchor),
        esc(&f.anchor),
        esc(&f.anchor),
        esc(&f.control),
        esc(&f.title),
        outcome_class(f.outcome),
        esc(f.outcome.as_str())
    );
    for other in group.iter().skip(1) {
        let _ = write!(h, "<a id=\"{}\"></a>", esc(&other.anchor));
    }
    let profiles: Vec<String> = group
        .iter()
        .map(|g| format!("{} ({})", g.profile, g.anchor))
        .collect();
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} · {} · {} {} · severity {}</p>",
        esc(&r.provider_name(&f.provider)),
        esc(&f.target),
        if group.len() > 1 {
            "profiles"
        } else {
            "profile"
        },
        esc(&profiles.join(", ")),
        esc(f.severity.map_or("-", |s| s.as_str()))
    );
    if let Some(reason) = &f.reason {
        let _ = writeln!(h, "<p>{}</p>", esc(reason));
    }
    if !f.records.is_empty() {
        h.push_str("<table><thead><tr><th>probe</th><th>seq</th><th>hash</th></tr></thead><tbody>");
        for rec in &f.records {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                esc(&rec.probe),
                rec.seq,
                esc(&rec.hash)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    for e in &f.evidence {
        let value = serde_json::to_string_pretty(&e.value).unwrap_or_default();
        let _ = writeln!(
            h,
            "<div><code>{}</code> =<pre>{}</pre></div>",
            esc(&e.expr),
            esc(&cut(&value, 4000))
        );
    }
    h.push_str("</div>\n");
}

//! The HTML report: one self-contained file with no script.
//!
//! The page carries a Content-Security-Policy (`default-src 'none'; style-src 'unsafe-inline';
//! img-src data:`): no script, no external fetch, even if some string slipped through. Every
//! string that is not a literal of this file goes through [`esc`], in text and in (always
//! double-quoted) attributes alike, including the SVG charts' labels and tooltips.

use std::collections::{HashMap, HashSet};
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
#summary{background:#ddf4ff;border:1px solid #54aeff;border-radius:6px;padding:4px 14px 8px;margin-top:12px}
#summary h2{border:0;margin-top:8px}
.lead{font-size:15px}
.failing ul{margin:4px 0;padding-left:18px}
.caveat{color:#7d4e00;background:#fff8c5;border-radius:4px;padding:2px 6px}
td.num{text-align:right}
table.matrix td.title{text-align:left;min-width:220px}
details.part{margin:6px 0 10px}
details.part>summary{cursor:pointer;font-weight:600}
section.provider{border-top:1px solid #d0d7de;margin-top:18px}
";

/// For paper: every section open, no scroll boxes, no navigation, colours kept, tables kept
/// together where they fit, link targets not printed.
const PRINT_STYLE: &str = "\
@media print{
body{background:#fff;font-size:11px}
main{max-width:none;padding:0}
nav{display:none}
.scroll{overflow:visible}
pre{max-height:none;overflow:visible}
details>summary{list-style:none}
details::details-content{content-visibility:visible;display:contents}
details:not([open])>*:not(summary){display:block}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
tr,.finding,.card{break-inside:avoid}
h2,h3,h4{break-after:avoid}
a{color:inherit;text-decoration:none}
}
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

/// Above this many targets in the run, the per-provider sections start collapsed.
pub const OPEN_UP_TO_TARGETS: usize = 50;
/// A provider's controls × targets matrix is drawn up to this many targets; above it, the
/// provider's section counts the outcomes per control instead.
pub const MATRIX_UP_TO_TARGETS: usize = 60;
/// Passing and not-applicable findings are listed in the appendix up to this many in the run;
/// above it they are counted (the JSON report has every one).
pub const LIST_PASSES_UP_TO: usize = 3000;
/// A provider with more targets than [`MATRIX_UP_TO_TARGETS`] (whose matrix counts, so
/// links to no finding) has up to this many failed, warning and inconclusive findings listed
/// in the appendix, failures first; the rest are counted (the JSON and CSV reports have every
/// one). A 10,000-target page stays loadable.
pub const LIST_PROBLEMS_UP_TO_PER_PROVIDER: usize = 200;

/// What the page shows of a run of this size.
struct Scale {
    /// The per-provider sections start open.
    open: bool,
    /// Passing and not-applicable findings have appendix entries.
    list_passes: bool,
}

impl Scale {
    fn of(r: &Report) -> Self {
        let passes = r
            .tables
            .findings
            .iter()
            .filter(|f| matches!(f.outcome, Outcome::Pass | Outcome::NotApplicable))
            .count();
        Self {
            open: r.tables.endpoints.len() <= OPEN_UP_TO_TARGETS,
            list_passes: passes <= LIST_PASSES_UP_TO,
        }
    }

    /// Whether the finding has an entry (and an anchor) in the appendix.
    fn listed(&self, o: Outcome) -> bool {
        self.list_passes || !matches!(o, Outcome::Pass | Outcome::NotApplicable)
    }
}

fn open_attr(open: bool) -> &'static str {
    if open { " open" } else { "" }
}

/// The id of a provider's section.
fn provider_anchor(id: &str) -> String {
    format!("p-{id}")
}

/// Failures first: fail, warning, inconclusive, then pass and not applicable.
fn outcome_rank(o: Outcome) -> u8 {
    match o {
        Outcome::Fail => 0,
        Outcome::Warning => 1,
        Outcome::Inconclusive => 2,
        Outcome::Pass => 3,
        Outcome::NotApplicable => 4,
    }
}

/// Render the whole page: the summary first, then the providers, the controls per profile,
/// one section per provider (its endpoints, matrix, residency, latency and certificates, in
/// `<details>`), and the evidence appendix, failures first.
pub fn render(r: &Report) -> String {
    let a = &r.assessment;
    let scale = Scale::of(r);
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
    let _ = writeln!(
        h,
        "<style>\n{STYLE}{PRINT_STYLE}</style>\n</head>\n<body>\n<main>"
    );
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
        "<nav><a href=\"#summary\">Summary</a><a href=\"#providers\">Providers</a>\
         <a href=\"#matrix\">Controls</a>",
    );
    if !r.tables.declared.is_empty() {
        h.push_str("<a href=\"#declared\">Declared vs observed</a>");
    }
    h.push_str("<a href=\"#details\">Per provider</a><a href=\"#evidence\">Evidence</a></nav>\n");
    let failing = controls_by_provider(r, Outcome::Fail);
    summary(r, &failing, &mut h);
    providers(r, &failing, &mut h);
    controls_overview(r, &mut h);
    super::declared::html(&r.tables.declared, |id| r.provider_name(id), &mut h);
    h.push_str(
        "<section id=\"details\">\n<h2>Per provider</h2>\n<p class=\"meta\">Each provider's \
         endpoints, controls per target, residency, connect latency and certificates.</p>\n",
    );
    for p in &r.tables.providers {
        provider_section(r, &scale, &p.id, &mut h);
    }
    h.push_str("</section>\n");
    appendix(r, &scale, &mut h);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// One control a provider gets an outcome for: under which profiles, on which targets.
struct ControlHit<'a> {
    control: &'a str,
    title: &'a str,
    profiles: Vec<&'a str>,
    targets: Vec<&'a str>,
}

/// Every provider's controls with findings of `outcome`, each with its profiles and distinct
/// targets, in first-seen order: one pass over the findings (the page asks for each
/// provider's twice; a pass per provider was quadratic in a large run).
fn controls_by_provider(r: &Report, outcome: Outcome) -> HashMap<&str, Vec<ControlHit<'_>>> {
    struct Acc<'a> {
        hits: Vec<ControlHit<'a>>,
        at: HashMap<&'a str, usize>,
        targets: Vec<HashSet<&'a str>>,
    }
    let mut acc: HashMap<&str, Acc<'_>> = HashMap::new();
    for f in r.tables.findings.iter().filter(|f| f.outcome == outcome) {
        let a = acc.entry(f.provider.as_str()).or_insert_with(|| Acc {
            hits: Vec::new(),
            at: HashMap::new(),
            targets: Vec::new(),
        });
        let i = *a.at.entry(f.control.as_str()).or_insert_with(|| {
            a.hits.push(ControlHit {
                control: &f.control,
                title: &f.title,
                profiles: Vec::new(),
                targets: Vec::new(),
            });
            a.targets.push(HashSet::new());
            a.hits.len() - 1
        });
        if let (Some(hit), Some(seen)) = (a.hits.get_mut(i), a.targets.get_mut(i)) {
            if !hit.profiles.contains(&f.profile.as_str()) {
                hit.profiles.push(&f.profile);
            }
            if seen.insert(f.target.as_str()) {
                hit.targets.push(&f.target);
            }
        }
    }
    acc.into_iter().map(|(p, a)| (p, a.hits)).collect()
}

fn summary(r: &Report, hits: &HashMap<&str, Vec<ControlHit<'_>>>, h: &mut String) {
    let t = &r.tables;
    let count = |o: Outcome| t.findings.iter().filter(|f| f.outcome == o).count();
    let failing = t.providers.iter().filter(|p| p.fails_applies_for).count();
    let _ = writeln!(
        h,
        "<section id=\"summary\">\n<h2>Summary</h2>\n<p class=\"lead\">{} provider{} · {} \
         target{} · <b>{failing}</b> fail{} the profile {} appl{} for · findings: \
         <span class=\"badge fail\">{} fail</span><span class=\"badge warning\">{} warning</span>\
         <span class=\"badge inconclusive\">{} inconclusive</span><span class=\"badge pass\">{} \
         pass</span><span class=\"badge not-applicable\">{} n/a</span></p>",
        t.providers.len(),
        if t.providers.len() == 1 { "" } else { "s" },
        t.endpoints.len(),
        if t.endpoints.len() == 1 { "" } else { "s" },
        if failing == 1 { "s" } else { "" },
        if failing == 1 { "it" } else { "they" },
        if failing == 1 { "ies" } else { "y" },
        count(Outcome::Fail),
        count(Outcome::Warning),
        count(Outcome::Inconclusive),
        count(Outcome::Pass),
        count(Outcome::NotApplicable),
    );
    h.push_str(
        "<div class=\"scroll\"><table class=\"summary\">\n<thead><tr><th>provider</th>\
         <th>applies for</th><th>verdict</th><th>kensa grade</th><th>targets</th>\
         <th>failing controls</th></tr></thead>\n<tbody>\n",
    );
    for p in &t.providers {
        let failing = hits.get(p.id.as_str()).map_or(&[][..], Vec::as_slice);
        let applies = p.applies_for.as_deref();
        let verdict = p
            .badges
            .iter()
            .find(|b| Some(b.profile.as_str()) == applies);
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"grade\">{}</td>\
             <td>{}</td><td>{}</td></tr>",
            esc(&provider_anchor(&p.id)),
            esc(p.name.as_deref().unwrap_or(&p.id)),
            opt(applies),
            match verdict {
                Some(b) => format!(
                    "<span class=\"badge {}\">{}</span>",
                    passed_class(b.passed),
                    esc(&b.verdict)
                ),
                None if p.fails_applies_for => "<span class=\"badge fail\">fails it</span>".into(),
                None => "-".to_owned(),
            },
            opt(p.grade.as_deref()),
            p.targets.len(),
            failing.len()
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");
}

fn providers(r: &Report, all_failing: &HashMap<&str, Vec<ControlHit<'_>>>, h: &mut String) {
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
            if p.targets.len() <= 12 {
                p.targets
                    .iter()
                    .map(|t| esc(t))
                    .collect::<Vec<_>>()
                    .join("<br>")
            } else {
                format!(
                    "{} targets (<a href=\"#{}\">listed in its section</a>)",
                    p.targets.len(),
                    esc(&provider_anchor(&p.id))
                )
            }
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
        // The failing controls, those of the profile it applies for first (issue 23: not
        // only "fails it").
        let mut failing: Vec<&ControlHit<'_>> = all_failing
            .get(p.id.as_str())
            .map_or(Vec::new(), |v| v.iter().collect());
        failing.sort_by_key(|hit| {
            !hit.profiles
                .iter()
                .any(|x| Some(*x) == p.applies_for.as_deref())
        });
        if !failing.is_empty() {
            h.push_str("<div class=\"failing\"><b>failing controls</b><ul>");
            for hit in &failing {
                let _ = write!(
                    h,
                    "<li><span class=\"badge fail\">{}</span> {} <span class=\"meta\">({}; {} of {} \
                     target{})</span></li>",
                    esc(hit.control),
                    esc(hit.title),
                    esc(&hit.profiles.join(", ")),
                    hit.targets.len(),
                    p.targets.len(),
                    if p.targets.len() == 1 { "" } else { "s" }
                );
            }
            h.push_str("</ul></div>\n");
        }
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n</section>\n");
}

/// Per profile: each control (id, title and severity visible) with the number of targets per
/// outcome and the providers failing it.
fn controls_overview(r: &Report, h: &mut String) {
    h.push_str(
        "<section id=\"matrix\">\n<h2>Controls</h2>\n<p class=\"meta\">Per profile, each control \
         with how many targets gave each outcome and which providers fail it; each provider's \
         section has its controls per target. <span class=\"badge pass\">pass</span>\
         <span class=\"badge fail\">FAIL</span><span class=\"badge warning\">warn = an unmet \
         recommendation (should), not a failure</span><span class=\"badge inconclusive\">inc. = \
         inconclusive</span><span class=\"badge not-applicable\">n/a = not applicable</span></p>\n",
    );
    for m in &r.tables.matrix {
        let _ = writeln!(
            h,
            "<h3>{} {}</h3>\n<div class=\"scroll\"><table class=\"controls\">\n<thead><tr>\
             <th>control</th><th>title</th><th>severity</th><th>FAIL</th><th>warn</th>\
             <th>inc.</th><th>pass</th><th>n/a</th><th>failing providers</th></tr></thead>\n<tbody>",
            esc(&m.profile),
            esc(&m.version)
        );
        for row in &m.rows {
            let mut n = [0usize; 5];
            let mut failing: Vec<&str> = Vec::new();
            for (cell, col) in row.cells.iter().zip(&m.columns) {
                let Some(c) = cell else { continue };
                if let Some(x) = n.get_mut(usize::from(outcome_rank(c.outcome))) {
                    *x += 1;
                }
                if c.outcome == Outcome::Fail && !failing.contains(&col.provider.as_str()) {
                    failing.push(&col.provider);
                }
            }
            let num = |i: usize, class: &str| {
                let v = n.get(i).copied().unwrap_or(0);
                if v == 0 {
                    "<td class=\"num\">0</td>".to_owned()
                } else {
                    format!("<td class=\"num {class}\">{v}</td>")
                }
            };
            let _ = writeln!(
                h,
                "<tr><th class=\"ctl\">{}</th><td>{}</td><td>{}</td>{}{}{}{}{}<td>{}</td></tr>",
                esc(&row.control),
                esc(&row.title),
                esc(row.severity.map_or("", |s| s.as_str())),
                num(0, "fail"),
                num(1, "warning"),
                num(2, "inconclusive"),
                num(3, "pass"),
                num(4, "not-applicable"),
                failing
                    .iter()
                    .map(|p| format!(
                        "<a href=\"#{}\">{}</a>",
                        esc(&provider_anchor(p)),
                        esc(&r.provider_name(p))
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        h.push_str("</tbody></table></div>\n");
    }
    h.push_str("</section>\n");
}

/// One provider's section: endpoints, controls per target, residency, latency, certificates.
fn provider_section(r: &Report, scale: &Scale, id: &str, h: &mut String) {
    let name = r.provider_name(id);
    let _ = writeln!(
        h,
        "<section class=\"provider\" id=\"{}\">\n<h3>{}</h3>",
        esc(&provider_anchor(id)),
        esc(&name)
    );
    let endpoints: Vec<&super::model::EndpointRow> = r
        .tables
        .endpoints
        .iter()
        .filter(|e| e.provider == id)
        .collect();
    let _ = writeln!(
        h,
        "<details class=\"part\"{}><summary>Endpoints ({})</summary>",
        open_attr(scale.open),
        endpoints.len()
    );
    endpoints_table(&endpoints, h);
    h.push_str("</details>\n");
    let _ = writeln!(
        h,
        "<details class=\"part\"{}><summary>Controls per target</summary>",
        open_attr(scale.open)
    );
    matrix(r, scale, id, h);
    h.push_str("</details>\n");
    let residency: Vec<&super::model::ResidencyRow> = r
        .tables
        .residency
        .iter()
        .filter(|x| x.provider == id)
        .collect();
    let _ = writeln!(
        h,
        "<details class=\"part\"{}><summary>Residency ({} address{})</summary>",
        open_attr(scale.open),
        residency.len(),
        if residency.len() == 1 { "" } else { "es" }
    );
    residency_table(&residency, h);
    h.push_str("</details>\n");
    let latency: Vec<&LatencyRow> = r
        .tables
        .latency
        .iter()
        .filter(|l| l.provider == id)
        .collect();
    let _ = writeln!(
        h,
        "<details class=\"part\"{}><summary>Connect latency</summary>",
        open_attr(scale.open)
    );
    if latency.is_empty() {
        h.push_str("<p>No latency evidence.</p>\n");
    } else {
        h.push_str(
            "<p class=\"meta\">TCP connect time per address (<code>latency.tcp</code>): the \
             line spans min to max, the box median to p90, the dark tick is the median.</p>\n",
        );
        latency_svg(&latency, h);
    }
    h.push_str("</details>\n");
    let certs: Vec<CertificateRow> = r
        .tables
        .certificates
        .iter()
        .filter(|c| c.provider == id)
        .cloned()
        .collect();
    let _ = writeln!(
        h,
        "<details class=\"part\"{}><summary>Certificate expiry ({})</summary>",
        open_attr(scale.open),
        certs.len()
    );
    certificates(r, &certs, h);
    h.push_str("</details>\n</section>\n");
}

fn endpoints_table(rows: &[&super::model::EndpointRow], h: &mut String) {
    h.push_str(
        "<div class=\"scroll\"><table>\n\
         <thead><tr><th>target</th><th>addresses</th><th>TLS versions</th>\
         <th>HTTP</th><th>Server header</th><th>probes</th></tr></thead>\n<tbody>\n",
    );
    for e in rows {
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
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.target),
            esc(&e.addresses.join(" ")),
            esc(&e.tls_versions.join(" ")),
            e.http_status.map_or("-".to_owned(), |s| s.to_string()),
            opt(e.server.as_deref()),
            probes.join(" ")
        );
    }
    h.push_str("</tbody></table></div>\n");
}

/// The provider's controls × targets per profile (titles visible), or, above
/// [`MATRIX_UP_TO_TARGETS`] targets, the outcome counts per control.
fn matrix(r: &Report, scale: &Scale, provider: &str, h: &mut String) {
    for m in &r.tables.matrix {
        let cols: Vec<usize> = m
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.provider == provider)
            .map(|(i, _)| i)
            .collect();
        if cols.is_empty()
            || !m.rows.iter().any(|row| {
                cols.iter()
                    .any(|i| row.cells.get(*i).is_some_and(Option::is_some))
            })
        {
            continue;
        }
        let _ = writeln!(
            h,
            "<h4>{} {}</h4>\n<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr>\
             <th>control</th><th>title</th>",
            esc(&m.profile),
            esc(&m.version)
        );
        let per_target = cols.len() <= MATRIX_UP_TO_TARGETS;
        if per_target {
            for i in &cols {
                if let Some(c) = m.columns.get(*i) {
                    let _ = write!(
                        h,
                        "<th title=\"{}\">{}</th>",
                        esc(&c.target),
                        esc(&short_target(&c.target))
                    );
                }
            }
        } else {
            h.push_str("<th>FAIL</th><th>warn</th><th>inc.</th><th>pass</th><th>n/a</th>");
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for row in &m.rows {
            let _ = write!(
                h,
                "<tr><th class=\"ctl\">{} <span class=\"meta\">{}</span></th><td class=\"title\">{}</td>",
                esc(&row.control),
                esc(row.severity.map_or("", |s| s.as_str())),
                esc(&row.title)
            );
            if per_target {
                for i in &cols {
                    match row.cells.get(*i).and_then(Option::as_ref) {
                        Some(c) if scale.listed(c.outcome) => {
                            let _ = write!(
                                h,
                                "<td class=\"{}\"><a href=\"#{}\" title=\"{}\">{}</a></td>",
                                outcome_class(c.outcome),
                                esc(&c.finding),
                                esc(c.outcome.as_str()),
                                outcome_label(c.outcome)
                            );
                        }
                        Some(c) => {
                            let _ = write!(
                                h,
                                "<td class=\"{}\">{}</td>",
                                outcome_class(c.outcome),
                                outcome_label(c.outcome)
                            );
                        }
                        None => h.push_str("<td>-</td>"),
                    }
                }
            } else {
                let mut n = [0usize; 5];
                for i in &cols {
                    if let Some(c) = row.cells.get(*i).and_then(Option::as_ref)
                        && let Some(x) = n.get_mut(usize::from(outcome_rank(c.outcome)))
                    {
                        *x += 1;
                    }
                }
                for v in n {
                    let _ = write!(h, "<td class=\"num\">{v}</td>");
                }
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table></div>\n");
    }
}

/// The host:port part of a target id (`provider/host:port`).
fn short_target(t: &str) -> String {
    t.split_once('/').map_or(t, |(_, rest)| rest).to_owned()
}

fn residency_table(rows: &[&super::model::ResidencyRow], h: &mut String) {
    if rows.is_empty() {
        h.push_str("<p>No residency evidence (<code>geo.residency</code> did not run or did not succeed).</p>\n");
        return;
    }
    h.push_str(
        "<div class=\"scroll\"><table>\n<thead><tr><th>target</th><th>role</th>\
         <th>address</th><th>declared</th><th>verdict</th><th>strength</th><th>country per source</th>\
         <th>other countries</th><th>record</th></tr></thead>\n<tbody>\n",
    );
    for row in rows {
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
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td><span class=\"badge {class}\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
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
    h.push_str("</tbody></table></div>\n");
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

fn certificates(r: &Report, certs: &[CertificateRow], h: &mut String) {
    if certs.is_empty() {
        h.push_str("<p>No certificate evidence.</p>\n");
        return;
    }
    h.push_str(
        "<p class=\"meta\">Validity of each leaf certificate (<code>x509.chain</code>); the dashed \
         line is the report's date. Green: more than 30 days left; amber: 30 days or fewer; red: \
         expired.</p>\n",
    );
    cert_svg(r.now(), certs, h);
    h.push_str(
        "<div class=\"scroll\"><table>\n<thead><tr><th>target</th><th>subject</th>\
         <th>DNS names</th><th>issuer</th><th>not before</th><th>not after</th><th>days left</th>\
         <th>chains</th><th>record</th></tr></thead>\n<tbody>\n",
    );
    for c in certs {
        let class = match c.days_left {
            Some(d) if d < 0 => "fail",
            Some(d) if d <= 30 => "inconclusive",
            Some(_) => "pass",
            None => "not-applicable",
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td><span class=\"badge {class}\">{}</span></td><td>{}</td><td>{}</td></tr>",
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
    h.push_str("</tbody></table></div>\n");
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

fn appendix(r: &Report, scale: &Scale, h: &mut String) {
    h.push_str(
        "<section id=\"evidence\">\n<h2>Evidence appendix</h2>\n<p class=\"meta\">Every \
         finding, failures first (fail, warning, inconclusive, then pass and not applicable), \
         with the lines of <code>evidence.jsonl</code> it rests on (probe, sequence number, \
         hash: check them with <code>kensa verify</code>) and the values its control \
         recorded.</p>\n",
    );
    let groups = r.appendix();
    // The groups of each provider, in the appendix's order (one pass, not one per provider).
    let mut by_provider: HashMap<&str, Vec<&Vec<&FindingRow>>> = HashMap::new();
    for g in &groups {
        if let Some(f) = g.first() {
            by_provider.entry(f.provider.as_str()).or_default().push(g);
        }
    }
    for p in &r.tables.providers {
        let mut mine: Vec<&Vec<&FindingRow>> =
            by_provider.remove(p.id.as_str()).unwrap_or_default();
        // Stable: within an outcome, the appendix's own order.
        mine.sort_by_key(|g| g.first().map_or(9, |f| outcome_rank(f.outcome)));
        let (problems, rest): (Vec<_>, Vec<_>) = mine.into_iter().partition(|g| {
            g.first()
                .is_some_and(|f| !matches!(f.outcome, Outcome::Pass | Outcome::NotApplicable))
        });
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<details class=\"part\"{}><summary>Failed, warning and inconclusive \
             ({})</summary>",
            esc(&r.provider_name(&p.id)),
            open_attr(scale.open || problems.len() <= 100),
            problems.len()
        );
        let cut_at = if scale.open { 4000 } else { 600 };
        let listed = if p.targets.len() > MATRIX_UP_TO_TARGETS {
            LIST_PROBLEMS_UP_TO_PER_PROVIDER
        } else {
            usize::MAX
        };
        for g in problems.iter().take(listed) {
            finding(r, g, cut_at, h);
        }
        if problems.len() > listed {
            let _ = writeln!(
                h,
                "<p class=\"meta\">{} more not listed here (the first {listed} are, failures \
                 first): the CSV and JSON reports (<code>kensa report --format csv</code>, \
                 <code>--format json</code>) have every finding with its evidence.</p>",
                problems.len() - listed
            );
        }
        h.push_str("</details>\n");
        let _ = writeln!(
            h,
            "<details class=\"part passes\"><summary>Passed and not applicable ({})</summary>",
            rest.len()
        );
        if scale.list_passes {
            for g in &rest {
                finding(r, g, cut_at, h);
            }
        } else {
            h.push_str(
                "<p class=\"meta\">Too many to list here: the JSON report \
                 (<code>kensa report --format json</code>) has every finding with its evidence.</p>\n",
            );
        }
        h.push_str("</details>\n");
    }
    h.push_str("</section>\n");
}

/// One appendix entry: the first finding of `group` (the others are the same finding under
/// other profiles: their anchors point here too).
fn finding(r: &Report, group: &[&FindingRow], cut_at: usize, h: &mut String) {
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
    if let Some(c) = &f.caveat {
        let _ = writeln!(h, "<p class=\"caveat\">{}</p>", esc(c));
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
            esc(&cut(&value, cut_at))
        );
    }
    h.push_str("</div>\n");
}

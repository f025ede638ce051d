//! `kensa compare`: one row per provider (its latest run in the run database), for
//! researchers: the verdict per profile, the TLS versions offered, post-quantum readiness,
//! the share of addresses placed in the declared country, the median connect time and the
//! days until the first certificate expires. Markdown, CSV (RFC 4180, loads into pandas and
//! R) or one self-contained, sortable HTML page with bar charts.
//!
//! Everything is read from the database's stored evidence (`tls.scan`, `latency.tcp`,
//! `x509.chain`, `geo.residency`) and grades; no run directory is needed.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use base64::Engine as _;
use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::Value;

use crate::diff::{certificates_of, residency_of};
use crate::store::{self, GradeRow, StoreError, StoredRuns};

pub use crate::escape::{csv_field, html as html_escape, markdown as md_escape};

/// Why a comparison could not be made (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// The run database could not be used.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A provider asked for has no run.
    #[error(
        "{db}: no runs of provider `{provider}`{suggestion} (providers in the database: {known})"
    )]
    UnknownProvider {
        /// The database.
        db: String,
        /// The provider.
        provider: String,
        /// The providers it has.
        known: String,
        /// A did-you-mean for a misspelt id (issue 23), or empty.
        suggestion: String,
    },
    /// The output file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Output formats of `kensa compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A Markdown table.
    Md,
    /// CSV (RFC 4180: a header row, CRLF line ends, quoted where needed).
    Csv,
    /// One self-contained HTML page: a sortable table and bar charts.
    Html,
}

/// Arguments of `kensa compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The run database: a SQLite file or a PostgreSQL URL (postgres://…) (default:
    /// $KENSA_DB, else ./kensa.db).
    #[arg(long, value_name = "FILE|URL")]
    pub db: Option<PathBuf>,
    /// Only these providers (repeatable; default: every provider in the database).
    #[arg(long, value_name = "ID")]
    pub provider: Vec<String>,
    /// The output format (`--json` prints the rows as JSON instead).
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// One provider's row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The provider id.
    pub provider: String,
    /// Its name.
    pub name: Option<String>,
    /// Its declared country.
    pub declared_country: Option<String>,
    /// The profile it applies for.
    pub applies_for: Option<String>,
    /// The run the row comes from (the provider's latest).
    pub run_id: String,
    /// When that run started.
    pub started: Option<String>,
    /// The kensa grade.
    pub grade: Option<String>,
    /// Verdicts per profile.
    pub grades: Vec<GradeRow>,
    /// TLS versions accepted by any of its endpoints, oldest first.
    pub tls_versions: Vec<String>,
    /// Endpoints with a successful `tls.scan`.
    pub tls_targets: usize,
    /// Of those, how many accept a post-quantum (ML-KEM or hybrid) group in TLS 1.3.
    pub pq_offered: usize,
    /// Of those, how many choose one when the client offers every group.
    pub pq_selected: usize,
    /// Distinct endpoint addresses with a residency verdict.
    pub addresses: usize,
    /// Of those, how many are placed in the declared country.
    pub addresses_in_country: usize,
    /// Of those, how many no source could place (verdict `unknown`).
    pub addresses_unknown: usize,
    /// `addresses_in_country / addresses` (absent without residency evidence, and when no
    /// address could be placed: unknown, not 0 %).
    pub in_country_share: Option<f64>,
    /// Median TCP connect time over every sample of every endpoint, milliseconds.
    pub median_connect_ms: Option<f64>,
    /// Days until the first certificate served expires (negative: expired).
    pub cert_days_left: Option<i64>,
}

const TLS_ORDER: [&str; 6] = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

fn is_pq(group: &Value) -> bool {
    use kensa_probe_tls::suites::{GroupKind, group_info};
    group
        .as_str()
        .and_then(kensa_probe_tls::codec::NamedGroup::from_name)
        .and_then(group_info)
        .is_some_and(|i| matches!(i.kind, GroupKind::MlKem | GroupKind::Hybrid))
}

/// Nearest-rank median (as the latency probe computes it).
fn median(mut v: Vec<u64>) -> Option<u64> {
    v.sort_unstable();
    let idx = v.len().div_ceil(2).checked_sub(1)?;
    v.get(idx).copied()
}

/// Build the row of `summary` from the stored evidence.
pub fn row(
    st: &(impl store::EvidenceSource + ?Sized),
    summary: &store::RunSummary,
) -> Result<Row, StoreError> {
    let (run, provider) = (&summary.run_id, &summary.provider);
    let mut versions = BTreeSet::new();
    let (mut tls_targets, mut pq_offered, mut pq_selected) = (0, 0, 0);
    for e in st.evidence_of(run, provider, "tls.scan")? {
        if e.outcome != "success" {
            continue;
        }
        tls_targets += 1;
        let o = &e.observation;
        for p in o
            .get("protocols")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if p.get("accepted").and_then(Value::as_bool) == Some(true)
                && let Some(v) = p.get("version").and_then(Value::as_str)
            {
                versions.insert(v.to_owned());
            }
        }
        let groups = o.get("groups");
        let tls13 = groups
            .and_then(|g| g.get("tls13"))
            .and_then(Value::as_array);
        if tls13.into_iter().flatten().any(is_pq) {
            pq_offered += 1;
        }
        if groups
            .and_then(|g| g.get("tls13_preferred"))
            .is_some_and(is_pq)
        {
            pq_selected += 1;
        }
    }
    let mut tls_versions: Vec<String> = TLS_ORDER
        .iter()
        .filter(|v| versions.contains(**v))
        .map(|v| (*v).to_owned())
        .collect();
    tls_versions.extend(
        versions
            .iter()
            .filter(|v| !TLS_ORDER.contains(&v.as_str()))
            .cloned(),
    );

    let mut samples = Vec::new();
    for e in st.evidence_of(run, provider, "latency.tcp")? {
        for a in e
            .observation
            .get("addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            samples.extend(
                a.get("samples_us")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_u64),
            );
        }
    }
    let median_connect_ms = median(samples).map(|us| us as f64 / 1000.0);

    let mut seen = BTreeSet::new();
    let mut certs = Vec::new();
    for e in st.evidence_of(run, provider, "x509.chain")? {
        if e.outcome == "success" {
            certificates_of(&e.target, &e.observation, &mut seen, &mut certs);
        }
    }
    let cert_days_left = certs.iter().map(|c| c.4).min();

    let mut addresses = BTreeSet::new();
    let mut in_country = BTreeSet::new();
    let mut unknown = BTreeSet::new();
    for e in st.evidence_of(run, provider, "geo.residency")? {
        if e.outcome != "success" {
            continue;
        }
        for r in residency_of(&e.target, &e.observation) {
            if r.role != "endpoint" || r.address.is_empty() {
                continue;
            }
            if r.status == "in-country" {
                in_country.insert(r.address.clone());
            }
            if r.status == "unknown" {
                unknown.insert(r.address.clone());
            }
            addresses.insert(r.address);
        }
    }
    // An address placed in the declared country by one target's verdict and unknown by
    // another's counts as placed.
    let unknown: BTreeSet<String> = unknown.difference(&in_country).cloned().collect();
    let in_country_share =
        (addresses.len() > unknown.len()).then(|| in_country.len() as f64 / addresses.len() as f64);

    Ok(Row {
        provider: provider.clone(),
        name: summary.name.clone(),
        declared_country: summary.declared_country.clone(),
        applies_for: summary.applies_for.clone(),
        run_id: run.clone(),
        started: summary.started.clone(),
        grade: summary.grade.clone(),
        grades: summary.grades.clone(),
        tls_versions,
        tls_targets,
        pq_offered,
        pq_selected,
        addresses: addresses.len(),
        addresses_in_country: in_country.len(),
        addresses_unknown: unknown.len(),
        in_country_share,
        median_connect_ms,
        cert_days_left,
    })
}

/// The rows for `providers` (every provider when empty), by provider id.
pub fn rows(st: &dyn StoredRuns, providers: &[String]) -> Result<Vec<Row>, CompareError> {
    let latest = st.latest_per_provider()?;
    for p in providers {
        if !latest.iter().any(|s| &s.provider == p) {
            let known: Vec<String> = latest.iter().map(|s| s.provider.clone()).collect();
            return Err(CompareError::UnknownProvider {
                db: st.db_name(),
                provider: p.clone(),
                suggestion: crate::suggest::hint(p, known.iter().map(String::as_str)),
                known: if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                },
            });
        }
    }
    latest
        .iter()
        .filter(|s| providers.is_empty() || providers.contains(&s.provider))
        .map(|s| row(st, s).map_err(CompareError::from))
        .collect()
}

/// The profile columns: every profile any row has, kensa levels first.
pub fn profile_columns(rows: &[Row]) -> Vec<String> {
    let mut ids: Vec<String> = rows
        .iter()
        .flat_map(|r| r.grades.iter().map(|g| g.profile.clone()))
        .collect();
    ids.sort_by_key(|p| store::profile_order(p));
    ids.dedup();
    ids
}

fn verdict<'a>(r: &'a Row, profile: &str) -> Option<&'a str> {
    r.grades
        .iter()
        .find(|g| g.profile == profile)
        .map(|g| g.verdict.as_str())
}

/// The share in the declared country: `unknown` when no address could be placed (issue 23:
/// not `0 %`), the unplaced ones counted beside it.
fn share_text(r: &Row) -> String {
    let unknown = if r.addresses_unknown > 0 {
        format!("; {} unknown", r.addresses_unknown)
    } else {
        String::new()
    };
    match r.in_country_share {
        Some(s) => format!(
            "{:.0} % ({}/{}{unknown})",
            s * 100.0,
            r.addresses_in_country,
            r.addresses
        ),
        None if r.addresses > 0 => format!(
            "unknown ({} of {} unplaced)",
            r.addresses_unknown, r.addresses
        ),
        None => "-".to_owned(),
    }
}

fn pq_text(n: usize, of: usize) -> String {
    if of == 0 {
        "-".to_owned()
    } else {
        format!("{n}/{of}")
    }
}

fn ms_text(v: Option<f64>) -> String {
    v.map_or("-".to_owned(), |m| format!("{m:.3} ms"))
}

/// The Markdown table.
pub fn markdown(rows: &[Row]) -> String {
    let profiles = profile_columns(rows);
    let mut head = vec!["provider", "name", "country", "grade"];
    head.extend(profiles.iter().map(String::as_str));
    head.extend([
        "TLS versions",
        "PQ offered",
        "PQ selected",
        "in declared country",
        "median connect",
        "cert days left",
        "run",
    ]);
    let mut s = String::from("# Provider comparison\n\n");
    let _ = writeln!(
        s,
        "| {} |",
        head.iter()
            .map(|h| md_escape(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(s, "|{}", "---|".repeat(head.len()));
    for r in rows {
        let mut cells = vec![
            md_escape(&r.provider),
            md_escape(r.name.as_deref().unwrap_or("-")),
            md_escape(r.declared_country.as_deref().unwrap_or("-")),
            md_escape(r.grade.as_deref().unwrap_or("-")),
        ];
        cells.extend(
            profiles
                .iter()
                .map(|p| md_escape(verdict(r, p).unwrap_or("-"))),
        );
        cells.extend([
            md_escape(&if r.tls_versions.is_empty() {
                "-".to_owned()
            } else {
                r.tls_versions.join(", ")
            }),
            pq_text(r.pq_offered, r.tls_targets),
            pq_text(r.pq_selected, r.tls_targets),
            share_text(r),
            ms_text(r.median_connect_ms),
            r.cert_days_left.map_or("-".to_owned(), |d| d.to_string()),
            md_escape(&r.run_id),
        ]);
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
    s
}

/// The CSV table: a header row, then a row per provider; numbers unquoted, empty when unknown.
pub fn csv(rows: &[Row]) -> String {
    let profiles = profile_columns(rows);
    let mut head: Vec<String> = [
        "provider",
        "name",
        "declared_country",
        "applies_for",
        "run_id",
        "started",
        "grade",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    head.extend(profiles.iter().cloned());
    head.extend(
        [
            "tls_versions",
            "tls_targets",
            "pq_offered",
            "pq_selected",
            "addresses",
            "addresses_in_country",
            "addresses_unknown",
            "in_country_share",
            "median_connect_ms",
            "cert_days_left",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    let mut s = head
        .iter()
        .map(|h| csv_field(h, true))
        .collect::<Vec<_>>()
        .join(",");
    s.push_str("\r\n");
    for r in rows {
        let t = |v: Option<&str>| csv_field(v.unwrap_or_default(), true);
        let mut cells = vec![
            t(Some(&r.provider)),
            t(r.name.as_deref()),
            t(r.declared_country.as_deref()),
            t(r.applies_for.as_deref()),
            t(Some(&r.run_id)),
            t(r.started.as_deref()),
            t(r.grade.as_deref()),
        ];
        cells.extend(profiles.iter().map(|p| t(verdict(r, p))));
        cells.extend([
            t(Some(&r.tls_versions.join(" "))),
            r.tls_targets.to_string(),
            r.pq_offered.to_string(),
            r.pq_selected.to_string(),
            r.addresses.to_string(),
            r.addresses_in_country.to_string(),
            r.addresses_unknown.to_string(),
            r.in_country_share
                .map_or(String::new(), |v| format!("{v:.4}")),
            r.median_connect_ms
                .map_or(String::new(), |v| format!("{v:.3}")),
            r.cert_days_left.map_or(String::new(), |v| v.to_string()),
        ]);
        s.push_str(&cells.join(","));
        s.push_str("\r\n");
    }
    s
}

/// The page's only script: sorts the table by the clicked column (numbers numerically, by
/// each cell's `data-v`). It reads the table's cells and moves rows; it never builds markup.
const SORT_SCRIPT: &str = r#"
(function () {
  var table = document.getElementById("compare");
  if (!table) { return; }
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, i) {
    th.tabIndex = 0;
    function sort() {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[i].getAttribute("data-v") || "";
        var y = b.cells[i].getAttribute("data-v") || "";
        var nx = parseFloat(x), ny = parseFloat(y);
        var c;
        if (x === "" || y === "") { c = (x === "") - (y === ""); }
        else if (!isNaN(nx) && !isNaN(ny)) { c = nx - ny; }
        else { c = x.localeCompare(y); }
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
  });
})();
"#;

const STYLE: &str = r#"
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1b1f24; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #c8ccd0; padding: 4px 8px; text-align: left; }
th { background: #eef1f4; cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " \25B2"; }
th[aria-sort="descending"]::after { content: " \25BC"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #116329; } .fail { color: #a40e26; } .inconclusive { color: #7d4e00; }
svg text { font: 12px system-ui, sans-serif; }
"#;

fn csp_hash(text: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(d.as_ref())
    )
}

/// The Content-Security-Policy of the HTML page: nothing but the page's own script and style
/// (by hash).
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src 'none'; base-uri 'none'; \
         form-action 'none'",
        csp_hash(SORT_SCRIPT),
        csp_hash(STYLE)
    )
}

fn verdict_class(v: &str) -> &'static str {
    match v {
        "pass" | "A+" | "A" | "good" => "pass",
        "fail" | "F" | "T" | "M" | "insufficient" | "none" => "fail",
        "inconclusive" => "inconclusive",
        _ => "",
    }
}

/// A chart's number in its unit: whole percent and days (`0 %`, `89 days`, never `0.000 %`),
/// milliseconds with two decimals below 10 and one above.
pub fn chart_value(v: f64, unit: &str) -> String {
    match unit {
        "ms" if v.abs() < 10.0 => format!("{v:.2} ms"),
        "ms" => format!("{v:.1} ms"),
        "%" => format!("{v:.0} %"),
        "days" if (v - 1.0).abs() < f64::EPSILON => "1 day".to_owned(),
        u => format!("{v:.0} {u}"),
    }
}

/// A horizontal SVG bar chart of `(label, value)`; a bar without a value shows the text it
/// carries instead ("no data", "unknown").
pub fn bar_chart(title: &str, unit: &str, data: &[(String, Result<f64, &str>)]) -> String {
    let (label_w, bar_w, row_h) = (180.0, 360.0, 22.0);
    let max = data
        .iter()
        .filter_map(|d| d.1.ok())
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let height = 30.0 + row_h * data.len() as f64;
    let mut s = format!(
        "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{w}\" \
         height=\"{height}\" viewBox=\"0 0 {w} {height}\" aria-label=\"{t}\">\
         <title>{t}</title><text x=\"0\" y=\"16\" font-weight=\"bold\">{t}</text>",
        w = label_w + bar_w + 110.0,
        t = html_escape(title)
    );
    for (i, (label, value)) in data.iter().enumerate() {
        let y = 26.0 + row_h * i as f64;
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"end\">{l}</text>",
            x = label_w - 8.0,
            ty = y + 14.0,
            l = html_escape(label)
        );
        match value {
            Ok(v) => {
                let w = (v.max(0.0) / max * bar_w).max(1.0);
                let _ = write!(
                    s,
                    "<rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{h}\" \
                     fill=\"#3d7fc1\"><title>{l}: {v}</title></rect>\
                     <text x=\"{tx:.1}\" y=\"{ty}\">{v}</text>",
                    h = row_h - 6.0,
                    l = html_escape(label),
                    v = html_escape(&chart_value(*v, unit)),
                    tx = label_w + w + 6.0,
                    ty = y + 14.0,
                );
            }
            Err(missing) => {
                let _ = write!(
                    s,
                    "<text x=\"{label_w}\" y=\"{ty}\" fill=\"#6a737d\">{m}</text>",
                    ty = y + 14.0,
                    m = html_escape(missing)
                );
            }
        }
    }
    s.push_str("</svg></figure>\n");
    s
}

/// The HTML page: one self-contained file (no external assets), a sortable table and charts.
pub fn html(rows: &[Row]) -> String {
    let profiles = profile_columns(rows);
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>kensa: provider comparison</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Provider comparison</h1>\n<p>{} provider{}, each from its latest run in the run \
         database. Click a column heading to sort.</p>\n",
        html_escape(&content_security_policy()),
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    s.push_str("<table id=\"compare\">\n<thead><tr>");
    let mut head: Vec<&str> = vec!["provider", "name", "country", "grade"];
    head.extend(profiles.iter().map(String::as_str));
    head.extend([
        "TLS versions",
        "PQ offered",
        "PQ selected",
        "in declared country",
        "median connect (ms)",
        "cert days left",
        "run",
    ]);
    for h in &head {
        let _ = write!(s, "<th scope=\"col\">{}</th>", html_escape(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    let text_cell = |s: &mut String, v: &str, class: &str| {
        let _ = write!(
            s,
            "<td data-v=\"{e}\"{c}>{e}</td>",
            e = html_escape(v),
            c = if class.is_empty() {
                String::new()
            } else {
                format!(" class=\"{class}\"")
            }
        );
    };
    let num_cell = |s: &mut String, sort: Option<f64>, shown: &str| {
        let _ = write!(
            s,
            "<td class=\"num\" data-v=\"{}\">{}</td>",
            sort.map_or(String::new(), |v| v.to_string()),
            html_escape(shown)
        );
    };
    for r in rows {
        s.push_str("<tr>");
        text_cell(&mut s, &r.provider, "");
        text_cell(&mut s, r.name.as_deref().unwrap_or("-"), "");
        text_cell(&mut s, r.declared_country.as_deref().unwrap_or("-"), "");
        let g = r.grade.as_deref().unwrap_or("-");
        text_cell(&mut s, g, verdict_class(g));
        for p in &profiles {
            let v = verdict(r, p).unwrap_or("-");
            text_cell(&mut s, v, verdict_class(v));
        }
        text_cell(
            &mut s,
            &if r.tls_versions.is_empty() {
                "-".to_owned()
            } else {
                r.tls_versions.join(", ")
            },
            "",
        );
        let frac = |n: usize| (r.tls_targets > 0).then(|| n as f64 / r.tls_targets as f64);
        num_cell(
            &mut s,
            frac(r.pq_offered),
            &pq_text(r.pq_offered, r.tls_targets),
        );
        num_cell(
            &mut s,
            frac(r.pq_selected),
            &pq_text(r.pq_selected, r.tls_targets),
        );
        num_cell(&mut s, r.in_country_share, &share_text(r));
        num_cell(
            &mut s,
            r.median_connect_ms,
            &r.median_connect_ms
                .map_or("-".to_owned(), |m| format!("{m:.3}")),
        );
        num_cell(
            &mut s,
            r.cert_days_left.map(|d| d as f64),
            &r.cert_days_left.map_or("-".to_owned(), |d| d.to_string()),
        );
        text_cell(&mut s, &r.run_id, "");
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    let latency: Vec<(String, Result<f64, &str>)> = rows
        .iter()
        .map(|r| (r.provider.clone(), r.median_connect_ms.ok_or("no data")))
        .collect();
    // No residency evidence: no data; addresses none of which could be placed: unknown.
    let share: Vec<(String, Result<f64, &str>)> = rows
        .iter()
        .map(|r| {
            let v = r
                .in_country_share
                .map(|v| v * 100.0)
                .ok_or(if r.addresses > 0 {
                    "unknown"
                } else {
                    "no data"
                });
            (r.provider.clone(), v)
        })
        .collect();
    let days: Vec<(String, Result<f64, &str>)> = rows
        .iter()
        .map(|r| {
            (
                r.provider.clone(),
                r.cert_days_left.map(|d| d as f64).ok_or("no data"),
            )
        })
        .collect();
    s.push_str(&bar_chart("Median TCP connect time", "ms", &latency));
    s.push_str(&bar_chart(
        "Addresses placed in the declared country",
        "%",
        &share,
    ));
    s.push_str(&bar_chart(
        "Days until a certificate expires",
        "days",
        &days,
    ));
    let _ = write!(s, "<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n");
    s
}

/// `kensa compare`: the table on stdout (or in `-o FILE`, stdout then empty).
/// `kensa compare`: the rows of the providers asked for. With `-o FILE` the rendering
/// `json` asks for (the rows as JSON, else `--format`) is written there, and the result says so
/// (it then renders as nothing on stdout).
pub fn compare(args: &CompareArgs, json: bool) -> Result<Compared, CompareError> {
    let st = store::open_for_reading(args.db.as_deref())?;
    let mut out = Compared {
        rows: rows(st.as_ref(), &args.provider)?,
        format: args.format,
        written: None,
    };
    if let Some(file) = &args.output {
        let text = crate::output::render(&out, json);
        std::fs::write(file, &text).map_err(|source| CompareError::Write {
            path: file.display().to_string(),
            source,
        })?;
        out.written = Some(file.clone());
    }
    Ok(out)
}

/// `kensa compare`'s result.
#[derive(Debug)]
pub struct Compared {
    /// One row per provider.
    pub rows: Vec<Row>,
    /// The text format asked for.
    pub format: Format,
    /// The file the comparison was written to (`-o`); nothing goes to stdout then.
    pub written: Option<PathBuf>,
}

impl crate::output::Render for Compared {
    fn text(&self) -> String {
        if self.written.is_some() {
            return String::new();
        }
        match self.format {
            Format::Md => markdown(&self.rows),
            Format::Csv => csv(&self.rows),
            Format::Html => html(&self.rows),
        }
    }
    fn json(&self) -> String {
        if self.written.is_some() {
            return String::new();
        }
        crate::output::json_of(&self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_follow_rfc_4180_and_defuse_formulas() {
        assert_eq!(csv_field("plain", true), "plain");
        assert_eq!(csv_field("a,b", true), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"", true), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines", true), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(1)", true), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-1", false), "-1");
    }

    #[test]
    fn markup_escapes() {
        assert_eq!(
            html_escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(
            md_escape("a|b <i>*c*</i>"),
            "a\\|b &lt;i&gt;\\*c\\*&lt;/i&gt;"
        );
    }

    #[test]
    fn charts_print_whole_percent_and_days_issue_23() {
        assert_eq!(chart_value(0.0, "%"), "0 %");
        assert_eq!(chart_value(89.0, "days"), "89 days");
        assert_eq!(chart_value(0.123, "ms"), "0.12 ms");
        let svg = bar_chart(
            "t",
            "%",
            &[("a".into(), Ok(0.0)), ("b".into(), Err("unknown"))],
        );
        assert!(svg.contains(">0 %<") && !svg.contains("0.000"), "{svg}");
        assert!(svg.contains(">unknown<"), "{svg}");
    }

    fn row_with(addresses: usize, in_country: usize, unknown: usize) -> Row {
        Row {
            provider: "p".into(),
            name: None,
            declared_country: Some("JP".into()),
            applies_for: None,
            run_id: "r".into(),
            started: None,
            grade: None,
            grades: Vec::new(),
            tls_versions: Vec::new(),
            tls_targets: 0,
            pq_offered: 0,
            pq_selected: 0,
            addresses,
            addresses_in_country: in_country,
            addresses_unknown: unknown,
            in_country_share: (addresses > unknown).then(|| in_country as f64 / addresses as f64),
            median_connect_ms: None,
            cert_days_left: None,
        }
    }

    #[test]
    fn unknown_locations_are_unknown_not_zero_percent_issue_23() {
        assert_eq!(share_text(&row_with(2, 0, 2)), "unknown (2 of 2 unplaced)");
        assert_eq!(share_text(&row_with(2, 1, 1)), "50 % (1/2; 1 unknown)");
        assert_eq!(share_text(&row_with(2, 0, 0)), "0 % (0/2)");
        assert_eq!(share_text(&row_with(0, 0, 0)), "-");
        let md = markdown(&[row_with(2, 0, 2)]);
        assert!(!md.contains("0 %"), "{md}");
    }

    #[test]
    fn median_is_nearest_rank() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3, 1, 2]), Some(2));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
    }
}

//! The dashboard: server-rendered HTML (maud, checked at compile time), no script, one
//! style sheet at `/static/kensa.css` (so the CSP needs no `unsafe-inline`). Every value that
//! came from the store — so, in the end, from the network — goes through [`t`], i.e.
//! [`crate::escape::html`]; maud's own escaping is never relied on for them.

use std::fmt::Write as _;

use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;

use super::api::{DiffQuery, ProviderQuery, diff_runs, record_links, urlenc};
use super::auth::{Principal, Role};
use super::backend::{BackendError, CatalogEdit, JobState, ProviderRow};
use super::{AppState, SESSION_COOKIE, Shared, cookie};

/// Text from the store, escaped by the project's one HTML escaper.
pub fn t(s: &str) -> PreEscaped<String> {
    PreEscaped(crate::escape::html(s))
}

fn o(s: Option<&str>) -> PreEscaped<String> {
    t(s.unwrap_or("–"))
}

const CSS: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#1b2a41;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center}
header a{color:#fff;text-decoration:none}header .who{margin-left:auto;opacity:.8}
main{padding:1em 1.4em}table{border-collapse:collapse;background:#fff;width:100%}
th,td{border-bottom:1px solid #dde1e6;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#eef1f5}.pass{color:#176f2c;font-weight:600}.fail{color:#b3261e;font-weight:600}
.inconclusive{color:#8a6d00}.muted{color:#667}pre{background:#fff;border:1px solid #dde1e6;
padding:.8em;overflow:auto;white-space:pre-wrap;word-break:break-all}form.inline{display:inline}
.filters{margin:.6em 0}.filters *{margin-right:.4em}.err{background:#fde8e6;border:1px solid #b3261e;
padding:.6em}.ok{background:#e6f4ea;border:1px solid #176f2c;padding:.6em}
button{cursor:pointer}svg.spark{vertical-align:middle}code{font-size:12px}
.card{background:#fff;border:1px solid #dde1e6;padding:.8em;margin:.8em 0}";

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

fn layout(title: &str, who: Option<&Principal>, refresh: Option<u32>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(n) = refresh { meta http-equiv="refresh" content=(n); }
                title { "kensa: " (t(title)) }
                link rel="stylesheet" href="/static/kensa.css";
            }
            body {
                header {
                    strong { "kensa" }
                    a href="/providers" { "Providers" }
                    a href="/catalog" { "Catalog" }
                    a href="/jobs" { "Re-checks" }
                    @if let Some(p) = who {
                        span.who { "token #" (p.token_id) " · " (p.role.as_str()) }
                        form.inline method="post" action="/logout" {
                            @if let Some(c) = &p.csrf { input type="hidden" name="csrf" value=(c); }
                            button type="submit" { "Log out" }
                        }
                    }
                }
                main { h1 { (t(title)) } (body) }
            }
        }
    }
}

fn page(markup: Markup) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

fn error_page(status: StatusCode, who: Option<&Principal>, msg: &str) -> Response {
    let mut r = page(layout(
        status.canonical_reason().unwrap_or("Error"),
        who,
        None,
        html! { p.err { (t(msg)) } p { a href="/providers" { "Back to the providers" } } },
    ));
    *r.status_mut() = status;
    r
}

fn backend_error(who: &Principal, e: &BackendError) -> Response {
    match e {
        BackendError::NotFound(m) => error_page(StatusCode::NOT_FOUND, Some(who), m),
        BackendError::Invalid(m) => error_page(StatusCode::UNPROCESSABLE_ENTITY, Some(who), m),
        _ => {
            tracing::error!("{e}");
            error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                Some(who),
                "the store could not answer; see the service's log",
            )
        }
    }
}

fn verdict_class(passed: Option<bool>) -> &'static str {
    match passed {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "inconclusive",
    }
}

fn outcome_class(o: &str) -> &'static str {
    match o {
        "pass" => "pass",
        "fail" => "fail",
        _ => "inconclusive",
    }
}

/// An SVG sparkline of kensa levels (0–4; a gap where inconclusive).
pub fn sparkline(trend: &[Option<u8>]) -> Markup {
    let (w, h) = (120.0_f64, 24.0_f64);
    let n = trend.len().max(2) as f64;
    let mut path = String::new();
    let mut pen_up = true;
    for (i, v) in trend.iter().enumerate() {
        match v {
            Some(l) => {
                let x = i as f64 * (w - 4.0) / (n - 1.0) + 2.0;
                let y = h - 2.0 - f64::from((*l).min(4)) * (h - 4.0) / 4.0;
                let _ = write!(path, "{}{x:.1},{y:.1} ", if pen_up { "M" } else { "L" });
                pen_up = false;
            }
            None => pen_up = true,
        }
    }
    let last = trend.iter().rev().flatten().next();
    // The latest point as a dot, so one run still shows.
    let dot = trend.iter().enumerate().rev().find_map(|(i, v)| {
        v.map(|l| {
            (
                i as f64 * (w - 4.0) / (n - 1.0) + 2.0,
                h - 2.0 - f64::from(l.min(4)) * (h - 4.0) / 4.0,
            )
        })
    });
    html! {
        svg.spark width="120" height="24" viewBox="0 0 120 24" role="img"
            aria-label={ "kensa level over the last " (trend.len()) " runs" } {
            path d=(path.trim()) fill="none" stroke="#1b2a41" stroke-width="1.5" {}
            @if let Some((x, y)) = dot {
                circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="2.5" fill="#1b2a41" {}
            }
            @if let Some(l) = last { title { "latest: level " (l) } }
        }
    }
}

/// The verdict history of each profile over a provider's runs (oldest first): one SVG strip
/// per profile, a cell per run — filled for a pass, a cross for a failure, hollow when
/// inconclusive or not assessed — each with the run and verdict as its title.
pub fn profile_history(runs: &[crate::store::RunSummary]) -> Markup {
    let runs: Vec<&crate::store::RunSummary> = runs
        .iter()
        .rev()
        .take(super::backend::TREND_RUNS)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let mut profiles: Vec<&str> = Vec::new();
    for r in &runs {
        for g in &r.grades {
            if !profiles.contains(&g.profile.as_str()) {
                profiles.push(&g.profile);
            }
        }
    }
    profiles.sort_by_key(|p| crate::store::profile_order(p));
    let width = runs.len() * 12 + 2;
    html! {
        table id="profile-history" { tbody { @for p in &profiles {
            tr { td { (t(p)) } td {
                svg.history width=(width) height="14" viewBox={ "0 0 " (width) " 14" } role="img"
                    aria-label={ (t(p)) " over the last " (runs.len()) " runs" } {
                    @for (i, r) in runs.iter().enumerate() {
                        @let g = r.grades.iter().find(|g| g.profile == *p);
                        @let x = i * 12 + 2;
                        @let label = format!("{}: {}", r.run_id, g.map_or("not assessed", |g| g.verdict.as_str()));
                        @match g.and_then(|g| g.passed) {
                            Some(true) => rect.pass x=(x) y="2" width="10" height="10" fill="#1e7b34" { title { (t(&label)) } },
                            Some(false) => g.fail {
                                rect x=(x) y="2" width="10" height="10" fill="#b3261e" { title { (t(&label)) } }
                                path d={ "M" (x + 2) ",4 l6,6 m0,-6 l-6,6" } stroke="#fff" stroke-width="1.5" {}
                            },
                            None => rect.inconclusive x=(x) y="2" width="10" height="10" fill="none"
                                stroke="#6b6b6b" { title { (t(&label)) } },
                        }
                    }
                }
            } }
        } } }
    }
}

async fn root() -> Redirect {
    Redirect::to("/providers")
}

fn days(d: Option<i64>) -> Markup {
    match d {
        None => html! { span.muted { "–" } },
        Some(d) if d < 0 => html! { span.fail { "expired " (-d) " d ago" } },
        Some(d) if d <= 30 => html! { span.inconclusive { (d) " d" } },
        Some(d) => html! { (d) " d" },
    }
}

fn provider_row(r: &ProviderRow) -> Markup {
    let href = format!("/providers/{}", urlenc(&r.provider));
    html! {
        tr {
            td { a href=(href) { (t(&r.provider)) } br; span.muted { (o(r.name.as_deref())) } }
            td { (o(r.declared_country.as_deref())) }
            td { (o(r.grade.as_deref())) }
            td {
                (o(r.applies_for.as_deref())) " "
                span class=(verdict_class(r.applies_for_passed)) {
                    (match r.applies_for_passed { Some(true) => "pass", Some(false) => "fail",
                        None => "inconclusive" })
                }
            }
            td { @for g in &r.grades {
                span class=(verdict_class(g.passed)) title=(crate::escape::html(&g.profile)) {
                    (t(&g.profile)) ": " (t(&g.verdict)) } br; } }
            td { (t(&r.residency)) }
            td { (days(r.cert_days_left)) }
            td { (o(r.last_run.as_deref())) }
            td { (sparkline(&r.trend)) }
        }
    }
}

async fn providers(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Query(q): Query<ProviderQuery>,
) -> Response {
    let rows = match s.backend.overview().await {
        Ok(r) => r,
        Err(e) => return backend_error(&who, &e),
    };
    let sel = q.select(&rows);
    let mut profiles: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.applies_for.as_deref())
        .collect();
    profiles.sort_unstable();
    profiles.dedup();
    let mut countries: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.declared_country.as_deref())
        .collect();
    countries.sort_unstable();
    countries.dedup();
    let failing = matches!(q.failing.as_deref(), Some("1" | "true" | "on" | "yes"));
    let sort = q.sort.clone().unwrap_or_default();
    page(layout(
        "Providers",
        Some(&who),
        None,
        html! {
            form.filters method="get" action="/providers" {
                label { input type="checkbox" name="failing" value="1" checked[failing]; "failing only" }
                select name="profile" {
                    option value="" { "any profile" }
                    @for p in &profiles {
                        option value=(crate::escape::html(p)) selected[q.profile.as_deref() == Some(*p)] { (t(p)) }
                    }
                }
                select name="country" {
                    option value="" { "any country" }
                    @for c in &countries {
                        option value=(crate::escape::html(c)) selected[q.country.as_deref() == Some(*c)] { (t(c)) }
                    }
                }
                select name="sort" {
                    @for (v, l) in [("provider", "by id"), ("grade", "by grade"), ("-grade", "best grade first"),
                                    ("expiry", "nearest expiry first"), ("-last-run", "latest run first")] {
                        option value=(v) selected[sort == v] { (l) }
                    }
                }
                button type="submit" { "Apply" }
            }
            p.muted { (sel.len()) " of " (rows.len()) " providers" }
            table id="providers" {
                thead { tr { th { "Provider" } th { "Country" } th { "kensa grade" } th { "Applies for" }
                    th { "Profiles" } th { "Residency" } th { "Cert expiry" } th { "Last run" } th { "Trend" } } }
                tbody { @for r in &sel { (provider_row(r)) } }
            }
        },
    ))
}

async fn provider(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Response {
    let d = match s.backend.provider(id.clone()).await {
        Ok(d) => d,
        Err(e) => return backend_error(&who, &e),
    };
    let r = &d.row;
    let pid = urlenc(&r.provider);
    let runs_oldest_first: Vec<crate::store::RunSummary> = d.runs.iter().rev().cloned().collect();
    page(layout(
        &format!("Provider {}", r.provider),
        Some(&who),
        None,
        html! {
            div.card {
                p { (o(r.name.as_deref())) " · declared country " (o(r.declared_country.as_deref()))
                    " · applies for " (o(r.applies_for.as_deref())) ": "
                    span class=(verdict_class(r.applies_for_passed)) { (o(r.applies_for_verdict.as_deref())) } }
                p { "kensa grade " (o(r.grade.as_deref())) " · residency " (t(&r.residency))
                    " · nearest certificate expiry " (days(r.cert_days_left)) " · " (r.runs) " runs " (sparkline(&r.trend)) }
                @if who.role >= Role::Evaluator {
                    form.inline method="post" action={ "/providers/" (pid) "/recheck" } {
                        input type="hidden" name="csrf" value=(who.csrf.clone().unwrap_or_default());
                        button id="recheck" type="submit" { "Re-check now" }
                    }
                }
                " "
                @if d.runs.len() > 1 { a id="diff" href={ "/providers/" (pid) "/diff" } { "What changed since the previous run" } }
            }
            h2 { "Verdicts per profile (oldest run first)" }
            (profile_history(&runs_oldest_first))
            h2 { "Failed and inconclusive controls (latest run)" }
            @if d.open_findings.is_empty() { p.muted { "none" } } @else {
                table { thead { tr { th { "Profile" } th { "Control" } th { "Target" } th { "Result" } th { "Evidence values" } } }
                tbody { @for f in &d.open_findings {
                    tr { td { (t(&f.profile)) } td { (t(&f.control)) } td { (t(&f.target)) }
                         td class=(outcome_class(&f.outcome)) { (t(&f.outcome)) }
                         td { code { (t(&compact(f.detail.get("evidence")))) } } }
                } } }
            }
            h2 { "Endpoints (latest run)" }
            table { thead { tr { th { "Target" } th { "TLS versions" } th { "TLS 1.3 groups" } th { "PQ" }
                th { "Certificate" } th { "Addresses" } } }
            tbody { @for e in &d.endpoints {
                tr { td { (t(&e.target)) } td { (t(&e.tls_versions.join(", "))) } td { (t(&e.groups.join(", "))) }
                     td { @if e.pq { span.pass { "yes" } } @else { "no" } }
                     td { (o(e.subject.as_deref())) br; (days(e.days_left)) }
                     td { @for (a, st, other) in &e.addresses { (t(a)) " " span.muted { (t(st)) " " (t(other)) } br; } } }
            } } }
            h2 { "Runs" }
            table id="runs" { thead { tr { th { "Run" } th { "Started" } th { "Status" } th { "kensa grade" } th { "" } } }
            tbody { @for (i, run) in d.runs.iter().enumerate() {
                tr { td { a href={ "/providers/" (pid) "/runs/" (urlenc(&run.run_id)) } { (t(&run.run_id)) } }
                     td { (o(run.started.as_deref())) } td { (o(run.status.as_deref())) " / " (t(&run.integrity)) }
                     td { (o(run.grade.as_deref())) }
                     td { @if let Some(prev) = d.runs.get(i + 1) {
                        a href={ "/providers/" (pid) "/diff?old=" (urlenc(&prev.run_id)) "&new=" (urlenc(&run.run_id)) } { "diff" } } } }
            } } }
        },
    ))
}

fn compact(v: Option<&serde_json::Value>) -> String {
    let s = v.map(serde_json::Value::to_string).unwrap_or_default();
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

async fn run(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Path((p, r)): Path<(String, String)>,
) -> Response {
    let d = match s.backend.run(p.clone(), r.clone()).await {
        Ok(d) => d,
        Err(e) => return backend_error(&who, &e),
    };
    let sm = &d.summary;
    let declared = declared_of(&s, p.clone(), r.clone()).await;
    page(layout(
        &format!("Run {r} of {p}"),
        Some(&who),
        None,
        html! {
            div.card { p { "started " (o(sm.started.as_deref())) " · ended " (o(sm.ended.as_deref()))
                " · " (o(sm.status.as_deref())) " · evidence " (t(&sm.integrity)) " · kensa grade " (o(sm.grade.as_deref())) }
                p { @for g in &sm.grades { span class=(verdict_class(g.passed)) { (t(&g.profile)) " " (t(&g.version)) ": " (t(&g.verdict)) } " · " } }
                p { a href={ "/providers/" (urlenc(&p)) } { "Back to " (t(&p)) }
                    @if who.role >= Role::Evaluator && s.backend.bundles() {
                        " · " a #bundle href={ "/providers/" (urlenc(&p)) "/runs/" (urlenc(&r)) "/bundle" } { "Download the signed evidence bundle" }
                    } } }
            table id="findings" { thead { tr { th { "Profile" } th { "Control" } th { "Target" } th { "Result" } th { "Evidence" } } }
            tbody { @for f in &d.findings {
                tr { td { (t(&f.profile)) } td { (t(&f.control)) } td { (t(&f.target)) }
                     td class=(outcome_class(&f.outcome)) { (t(&f.outcome)) }
                     td { @for l in record_links(&p, &r, &f.detail, "") {
                        a.evidence href=(l.href) { (t(&l.probe)) " #" (l.seq) } " " } } }
            } } }
            (declared_section(&p, &r, &declared))
        },
    ))
}

/// The provider's declaration against the run's evidence (`report::declared`), from the
/// lines the store keeps: `Ok(None)` when it has no declaration.
async fn declared_of(
    s: &Shared,
    provider: String,
    run: String,
) -> Result<Option<crate::report::declared::DeclaredProvider>, String> {
    s.backend
        .call(move |_, st| {
            // Only for a provider with a declaration (the stored run-begin says): reading the
            // run back verifies every line of it.
            if !super::api::declares(&st.lines(&run)?, &provider) {
                return Ok(None);
            }
            // The run as the store keeps it, read back and verified.
            let r = st.run(&run)?;
            Ok(crate::report::declared::for_provider(&r, &provider))
        })
        .await
        .map_err(|e| e.to_string())
}

/// The run page's "Declared vs observed" section, as in the reports (docs/declaration.md).
fn declared_section(
    p: &str,
    r: &str,
    declared: &Result<Option<crate::report::declared::DeclaredProvider>, String>,
) -> Markup {
    let status_class = |s: &str| match s {
        "agree" => "pass",
        "contradict" => "fail",
        _ => "inconclusive",
    };
    let list = |l: &[String]| -> Markup {
        html! { @if l.is_empty() { "–" } @else { @for (i, x) in l.iter().enumerate() { @if i > 0 { br; } (t(x)) } } }
    };
    html! {
        @match declared {
            Ok(None) => {}
            Err(e) => { h2 id="declared" { "Declared vs observed" } p.err { "cannot read the run's declaration: " (t(e)) } }
            Ok(Some(d)) => {
                h2 id="declared" { "Declared vs observed" }
                p.muted { "The provider's declaration against the evidence (docs/declaration.md): agree, contradict (observed but not declared) or not observed. Names only seen in certificates are listed, never dialled." }
                p { "declaration " code { (t(&d.file)) } " (sha256 " code { (t(&d.sha256)) } "), issued " (o(d.issued.as_deref()))
                    " · signature " span id="signature" class=(if d.signature == "valid" { "pass" } else { "fail" }) { (t(&d.signature)) }
                    " " span.muted { (t(&d.signature_detail)) } }
                table id="declared-statements" { thead { tr { th { "Statement" } th { "Declared" } th { "Observed" } th { "Undeclared" } th { "Status" } th { "Evidence" } } }
                tbody { @for s in &d.statements {
                    tr { td { (t(&s.statement)) } td { (list(&s.declared)) } td { (list(&s.observed)) } td { (list(&s.undeclared)) }
                         td class=(status_class(&s.status)) { (t(&s.status)) }
                         td { @for l in record_links(p, r, &serde_json::json!({ "records": s.records }), "") {
                            a.evidence href=(l.href) { (t(&l.probe)) " #" (l.seq) } " " } } }
                } } }
                h3 { "Declared, not verified" }
                table id="declared-not-verified" { tbody { @for n in &d.not_verified {
                    tr { th { (t(&n.fact)) } td { (t(&n.declared)) } }
                } } }
            }
        }
    }
}

/// A signed evidence bundle of the run (evaluators and admins).
async fn bundle(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Path((p, r)): Path<(String, String)>,
) -> Response {
    if let Some(resp) = forbid(&who, Role::Evaluator) {
        return resp;
    }
    match s.backend.bundle(p, r).await {
        Ok((name, bytes)) => (
            [
                (header::CONTENT_TYPE, "application/x-tar".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => backend_error(&who, &e),
    }
}

async fn evidence(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Path((p, r, seq)): Path<(String, String, i64)>,
) -> Response {
    let e = match s.backend.evidence(p.clone(), r.clone(), seq).await {
        Ok(e) => e,
        Err(e) => return backend_error(&who, &e),
    };
    let json = serde_json::to_string_pretty(&e.observation).unwrap_or_default();
    page(layout(
        &format!("Evidence record #{seq}"),
        Some(&who),
        None,
        html! {
            table.card { tbody {
                tr { th { "Run" } td { a href={ "/providers/" (urlenc(&p)) "/runs/" (urlenc(&r)) } { (t(&r)) } } }
                tr { th { "Sequence number" } td id="seq" { (e.seq) } }
                tr { th { "Hash" } td { code id="hash" { (t(&e.hash)) } } }
                tr { th { "Target" } td { (t(&e.target)) } }
                tr { th { "Probe" } td { (t(&e.probe)) } }
                tr { th { "Outcome" } td { (t(&e.outcome)) } }
            } }
            h2 { "Observation" }
            pre id="record" { (t(&json)) }
        },
    ))
}

async fn diff(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Path(p): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Response {
    let (old, new) = match diff_runs(&s, &p, &q).await {
        Ok(x) => x,
        Err(e) => return backend_error(&who, &e),
    };
    let d = match s.backend.diff(p.clone(), old.clone(), new.clone()).await {
        Ok(d) => d,
        Err(e) => return backend_error(&who, &e),
    };
    page(layout(
        &format!("What changed for {p}"),
        Some(&who),
        None,
        html! {
            p { "from run " (t(&old)) " to run " (t(&new)) " · " a href={ "/providers/" (urlenc(&p)) } { "back" } }
            @if d.unchanged() { p.ok id="unchanged" { "Nothing changed." } }
            @if !d.new_failures.is_empty() { h2 { "New failures" } ul { @for c in &d.new_failures {
                li.fail { (t(&c.profiles.join(", "))) " " (t(&c.control)) " [" (t(&c.target)) "]" } } } }
            @if !d.fixed.is_empty() { h2 { "Fixed" } ul { @for c in &d.fixed {
                li.pass { (t(&c.profiles.join(", "))) " " (t(&c.control)) " [" (t(&c.target)) "]" } } } }
            @if !d.grade_changes.is_empty() { h2 { "Grade changes" } ul { @for g in &d.grade_changes {
                li class=(if g.worse { "fail" } else { "pass" }) { (t(&g.profile)) ": " (o(g.old.as_deref())) " → " (o(g.new.as_deref())) } } } }
            @if !d.expiring.is_empty() { h2 { "Certificates entering an expiry window" } ul { @for c in &d.expiring {
                li { (t(&c.subject)) " expires in " (c.days_left) " days (window " (c.window) ") [" (t(&c.target)) "]" } } } }
            @if !d.new_abroad.is_empty() { h2 { "Addresses newly abroad" } ul { @for a in &d.new_abroad {
                li.fail { (t(&a.address)) " now in " (t(&a.other_countries.join(", "))) " [" (t(&a.target)) "]" } } } }
        },
    ))
}

/// A form with a CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    /// The session's CSRF token.
    #[serde(default)]
    pub csrf: String,
}

fn csrf_refused(who: &Principal, sent: &str) -> Option<Response> {
    match &who.csrf {
        // A bearer token (a script, not a browser) needs no CSRF token.
        None => None,
        Some(want) if super::auth::same(sent, want) => None,
        Some(_) => Some(error_page(
            StatusCode::FORBIDDEN,
            Some(who),
            "the form's CSRF token is missing or wrong: reload the page and try again",
        )),
    }
}

fn forbid(who: &Principal, need: Role) -> Option<Response> {
    (who.role < need).then(|| {
        error_page(
            StatusCode::FORBIDDEN,
            Some(who),
            &format!(
                "this needs the {} role; you are logged in as {}",
                need.as_str(),
                who.role.as_str()
            ),
        )
    })
}

async fn recheck(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Path(p): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Some(r) = forbid(&who, Role::Evaluator) {
        return r;
    }
    if let Some(r) = csrf_refused(&who, &f.csrf) {
        return r;
    }
    match s.backend.start_recheck(who.actor(), p).await {
        Ok(j) => Redirect::to(&format!("/jobs/{}", j.id)).into_response(),
        Err(e) => backend_error(&who, &e),
    }
}

async fn jobs(State(s): State<Shared>, Extension(who): Extension<Principal>) -> Response {
    let jobs = s.backend.jobs();
    let running = jobs.iter().any(|j| j.state == JobState::Running);
    page(layout(
        "Re-checks",
        Some(&who),
        running.then_some(2),
        html! {
            @if jobs.is_empty() { p.muted { "No re-check since the service started." } }
            table { tbody { @for j in &jobs {
                tr { td { a href={ "/jobs/" (j.id) } { "#" (j.id) } } td { (t(&j.provider)) }
                     td { (format!("{:?}", j.state).to_lowercase()) } td { (t(&j.started)) } td { (t(&j.actor)) } }
            } } }
        },
    ))
}

async fn job(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Path(id): Path<u64>,
) -> Response {
    let Some(j) = s.backend.job(id) else {
        return error_page(
            StatusCode::NOT_FOUND,
            Some(&who),
            &format!("no re-check #{id}"),
        );
    };
    let running = j.state == JobState::Running;
    let pid = urlenc(&j.provider);
    page(layout(
        &format!("Re-check #{id} of {}", j.provider),
        Some(&who),
        running.then_some(1),
        html! {
            @match j.state {
                JobState::Running => p.card id="state" {
                    @if let (Some(total), Some(done)) = (j.jobs_total, j.jobs_done) {
                        "Queued for the workers: " span id="jobs-done" { (done) } " of " (total) " jobs done, "
                        (j.jobs_running.unwrap_or(0)) " running; "
                    } @else { "Running: " }
                    (j.records) " evidence records written so far. This page reloads itself." },
                JobState::Succeeded => p.ok id="state" {
                    "Done: run " @if let Some(r) = &j.run_id { a id="newrun" href={ "/providers/" (pid) "/runs/" (urlenc(r)) } { (t(r)) } }
                    @if j.regression == Some(true) { " — " span.fail { "regressed" } } @else { " — no regression" }
                    " · " a href={ "/providers/" (pid) } { "provider" } " · " a href={ "/providers/" (pid) "/diff" } { "diff" } },
                JobState::Failed => p.err id="state" { "Failed: " (o(j.error.as_deref())) },
            }
            p.muted { "started " (t(&j.started)) " by " (t(&j.actor)) @if let Some(e) = &j.ended { " · ended " (t(e)) } }
        },
    ))
}

async fn catalog(State(s): State<Shared>, Extension(who): Extension<Principal>) -> Response {
    catalog_page(&s, &who, None).await
}

async fn catalog_page(
    s: &Shared,
    who: &Principal,
    msg: Option<Result<String, String>>,
) -> Response {
    let cat = match s.backend.catalog().await {
        Ok(c) => c,
        Err(e) => return backend_error(who, &e),
    };
    let log = if who.role >= Role::Admin {
        s.backend.audit_log(50).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let admin = who.role >= Role::Admin;
    let csrf = who.csrf.clone().unwrap_or_default();
    let status = if matches!(msg, Some(Err(_))) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut r = page(layout(
        "Catalog",
        Some(who),
        None,
        html! {
            @match &msg { Some(Ok(m)) => p.ok { (t(m)) }, Some(Err(m)) => p.err id="error" { (t(m)) }, None => {} }
            @match &cat {
                None => p.muted { "The service was started without --catalog." },
                Some(c) => {
                    p.muted { "File " (t(&c.path)) }
                    table id="catalog" { thead { tr { th { "Provider" } th { "Country" } th { "Applies for" } th { "Endpoints" } } }
                    tbody { @for p in &c.providers {
                        tr { td { (t(&p.id)) br; span.muted { (t(&p.name)) } } td { (o(p.declared_country.as_deref())) }
                             td { (o(p.applies_for.as_deref()))
                                  @if admin { form method="post" action="/catalog" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="op" value="set-applies-for";
                                    input type="hidden" name="provider" value=(crate::escape::html(&p.id));
                                    input type="text" name="applies_for" size="14" placeholder="kensa-level-2";
                                    button type="submit" { "Change" } } } }
                             td { @for e in &p.endpoints { (t(e))
                                    @if admin { " " form.inline method="post" action="/catalog" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        input type="hidden" name="op" value="remove-endpoint";
                                        input type="hidden" name="provider" value=(crate::escape::html(&p.id));
                                        input type="hidden" name="endpoint" value=(crate::escape::html(e));
                                        button type="submit" { "Remove" } } }
                                    br; }
                                  @if admin { form method="post" action="/catalog" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="op" value="add-endpoint";
                                    input type="hidden" name="provider" value=(crate::escape::html(&p.id));
                                    input type="text" name="host" placeholder="host" size="18";
                                    input type="number" name="port" placeholder="443" min="1" max="65535";
                                    button type="submit" { "Add endpoint" } } } } }
                    } } }
                }
            }
            @if admin {
                h2 { "Changes" }
                table id="audit" { thead { tr { th { "When" } th { "Who" } th { "What" } th { "Detail" } } }
                tbody { @for a in &log { tr { td { (t(&a.at)) } td { (t(&a.actor)) } td { (t(&a.action)) } td { code { (t(&a.detail)) } } } } } }
            }
        },
    ));
    *r.status_mut() = status;
    r
}

/// The catalog form's fields.
#[derive(Debug, Deserialize)]
pub struct CatalogForm {
    #[serde(default)]
    csrf: String,
    op: String,
    provider: String,
    host: Option<String>,
    port: Option<String>,
    endpoint: Option<String>,
    applies_for: Option<String>,
}

async fn catalog_post(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Form(f): Form<CatalogForm>,
) -> Response {
    if let Some(r) = forbid(&who, Role::Admin) {
        return r;
    }
    if let Some(r) = csrf_refused(&who, &f.csrf) {
        return r;
    }
    let port = match f.port.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => p
            .parse::<u16>()
            .map(Some)
            .map_err(|_| format!("invalid port {p:?}: expected 1 to 65535")),
    };
    let edit = port.and_then(|port| {
        super::api::CatalogEditRequest {
            op: f.op,
            provider: f.provider,
            host: f.host,
            port,
            endpoint: f.endpoint,
            applies_for: f.applies_for,
        }
        .edit()
    });
    let result = match edit {
        Err(m) => Err(m),
        Ok(e) => {
            let what = describe(&e);
            s.backend
                .edit_catalog(who.actor(), e)
                .await
                .map(|()| what)
                .map_err(|e| e.to_string())
        }
    };
    catalog_page(&s, &who, Some(result)).await
}

fn describe(e: &CatalogEdit) -> String {
    match e {
        CatalogEdit::AddEndpoint {
            provider,
            host,
            port,
        } => {
            format!("added {host}:{} to {provider}", port.unwrap_or(443))
        }
        CatalogEdit::RemoveEndpoint { provider, endpoint } => {
            format!("removed {endpoint} from {provider}")
        }
        CatalogEdit::SetAppliesFor {
            provider,
            applies_for,
        } => {
            format!("{provider} now applies for {applies_for}")
        }
    }
}

const LOGIN_CSRF_COOKIE: &str = "kensa_login_csrf";

fn cookie_attrs(state: &AppState) -> &'static str {
    if state.tls {
        "; Path=/; HttpOnly; SameSite=Strict; Secure"
    } else {
        "; Path=/; HttpOnly; SameSite=Strict"
    }
}

/// The login form with its CSRF token (double-submit: cookie and field). The browser's
/// current token is kept when it sent one: a page's side requests (a favicon) also get the
/// login page and must not replace the token of the form on screen.
pub fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    msg: Option<&str>,
) -> Response {
    let csrf = cookie(headers, LOGIN_CSRF_COOKIE)
        .filter(|c| {
            c.len() == 32
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(|| super::auth::random_b64(24), str::to_owned);
    let mut r = page(layout(
        "Log in",
        None,
        None,
        html! {
            @if let Some(m) = msg { p.err id="error" { (t(m)) } }
            form id="login" method="post" action="/login" {
                input type="hidden" name="csrf" value=(csrf);
                label { "API token " input id="token" type="password" name="token" size="60" autocomplete="off"; }
                " " button type="submit" { "Log in" }
            }
            p.muted { "Create a token with " code { "kensa token create --role viewer" } "." }
        },
    ));
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LOGIN_CSRF_COOKIE}={csrf}{}; Max-Age=3600",
        cookie_attrs(state)
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

async fn login_get(State(s): State<Shared>, headers: HeaderMap) -> Response {
    login_page(&s, &headers, StatusCode::OK, None)
}

/// The login form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginForm { .. }")
    }
}

async fn login_post(
    State(s): State<Shared>,
    info: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let ip = super::client_ip(info.as_ref().map(|e| &e.0));
    if !s.sessions.login_allowed(ip) {
        let mut r = login_page(
            &s,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            Some("too many login attempts from this address: wait a minute"),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return r;
    }
    let want = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if want.is_empty() || !super::auth::same(&f.csrf, want) {
        return login_page(
            &s,
            &headers,
            StatusCode::FORBIDDEN,
            Some("the form's CSRF token is missing or wrong: try again"),
        );
    }
    let row = s
        .backend
        .token(super::auth::token_hash(f.token.trim()))
        .await
        .ok()
        .flatten();
    let Some((row, role)) = row.and_then(|r| Role::parse(&r.role).map(|role| (r, role))) else {
        return login_page(
            &s,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some("unknown or revoked token"),
        );
    };
    let sid = s.sessions.create(row.id, role);
    let mut r = Redirect::to("/providers").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={sid}{}; Max-Age={}",
        cookie_attrs(&s),
        super::auth::SESSION_TTL.as_secs()
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LOGIN_CSRF_COOKIE}={}; Max-Age=0",
        cookie_attrs(&s)
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

async fn logout(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Some(r) = csrf_refused(&who, &f.csrf) {
        return r;
    }
    if let Some(sid) = cookie(&headers, SESSION_COOKIE) {
        s.sessions.remove(sid);
    }
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) =
        HeaderValue::from_str(&format!("{SESSION_COOKIE}={}; Max-Age=0", cookie_attrs(&s)))
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// The page routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(root))
        .route("/static/kensa.css", get(css))
        .route("/login", get(login_get).post(login_post))
        .route("/logout", post(logout))
        .route("/providers", get(providers))
        .route("/providers/{provider}", get(provider))
        .route("/providers/{provider}/runs/{run}", get(run))
        .route("/providers/{provider}/runs/{run}/bundle", get(bundle))
        .route(
            "/providers/{provider}/runs/{run}/evidence/{seq}",
            get(evidence),
        )
        .route("/providers/{provider}/diff", get(diff))
        .route("/providers/{provider}/recheck", post(recheck))
        .route("/jobs", get(jobs))
        .route("/jobs/{id}", get(job))
        .route("/catalog", get(catalog).post(catalog_post))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str, grades: &[(&str, Option<bool>)]) -> crate::store::RunSummary {
        crate::store::RunSummary {
            run_id: id.into(),
            run_dir: std::path::PathBuf::new(),
            started: None,
            ended: None,
            status: None,
            integrity: String::new(),
            provider: "p".into(),
            name: None,
            declared_country: None,
            applies_for: None,
            grade: None,
            grades: grades
                .iter()
                .map(|(p, passed)| crate::store::GradeRow {
                    profile: (*p).into(),
                    version: "1".into(),
                    verdict: match passed {
                        Some(true) => "pass",
                        Some(false) => "fail",
                        None => "inconclusive",
                    }
                    .into(),
                    passed: *passed,
                })
                .collect(),
        }
    }

    #[test]
    fn the_profile_history_has_a_strip_per_profile_and_a_cell_per_run() {
        let runs = [
            run("r1", &[("kensa-level-1", Some(true))]),
            run("r2<x>", &[("kensa-level-1", Some(false)), ("ismap", None)]),
            run(
                "r3",
                &[("kensa-level-1", Some(true)), ("ismap", Some(true))],
            ),
        ];
        let html = profile_history(&runs).into_string();
        assert_eq!(html.matches("<svg").count(), 2, "{html}");
        assert_eq!(html.matches(r#"class="pass""#).count(), 3, "{html}");
        assert_eq!(html.matches(r#"class="fail""#).count(), 1, "{html}");
        // ismap: not assessed in r1, inconclusive in r2.
        assert_eq!(html.matches(r#"class="inconclusive""#).count(), 2, "{html}");
        assert!(html.contains("r2&lt;x&gt;: fail"), "{html}");
        assert!(html.contains("r1: not assessed"), "{html}");
        assert!(!html.contains("<x>"), "{html}");
        // kensa levels first (profile order), oldest run first (x grows).
        let (k, i) = (
            html.find("kensa-level-1").unwrap(),
            html.find("ismap").unwrap(),
        );
        assert!(k < i, "{html}");
    }

    #[test]
    fn sparklines_show_one_run_break_at_inconclusive_runs_and_escape_text() {
        let one = sparkline(&[Some(2)]).into_string();
        assert!(one.contains("<circle"), "{one}");
        let gap = sparkline(&[Some(1), Some(2), None, Some(3)]).into_string();
        assert_eq!(gap.matches('M').count(), 2, "{gap}");
        assert!(gap.contains("latest: level 3"));
        assert!(!sparkline(&[None]).into_string().contains("<circle"));
        assert_eq!(
            t("<b title=\"x\">&").into_string(),
            "&lt;b title=&quot;x&quot;&gt;&amp;"
        );
    }
}

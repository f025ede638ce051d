//! `/api/v1`: the dashboard's data as JSON, described by an OpenAPI 3.1 document
//! ([`ApiDoc`], served at `/api/v1/openapi.json` and checked in as `docs/openapi.json`).
//! Errors are RFC 9457 problem details (`application/problem+json`); lists are paginated
//! (`page` from 1, `per_page` up to [`MAX_PER_PAGE`]).

// utoipa's `params(...)` expansion names the types with their full paths.
#![allow(unused_qualifications)]

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::Shared;
use super::auth::{Principal, Role};
use super::backend::{BackendError, CatalogEdit, Job, ProviderRow};

/// The largest page.
pub const MAX_PER_PAGE: usize = 500;
/// The page size when none is asked for.
pub const DEFAULT_PER_PAGE: usize = 50;

/// An RFC 9457 problem.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
}

/// A problem-details response.
pub fn problem(status: StatusCode, kind: &str, detail: &str) -> Response {
    let body = Problem {
        kind: format!("https://kensa.invalid/problems/{kind}"),
        title: status.canonical_reason().unwrap_or("error").to_owned(),
        status: status.as_u16(),
        detail: detail.to_owned(),
    };
    let mut r = (status, Json(body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

/// A backend error as a problem.
pub fn backend_problem(e: &BackendError) -> Response {
    match e {
        BackendError::NotFound(m) => problem(StatusCode::NOT_FOUND, "not-found", m),
        BackendError::Invalid(m) => problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m),
        BackendError::Store(_) | BackendError::Internal(_) => {
            tracing::error!("{e}");
            problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the store could not answer; see the service's log",
            )
        }
    }
}

/// A 403 problem unless `p` has at least `role`.
pub fn require(p: &Principal, role: Role) -> Option<Response> {
    if p.role >= role {
        None
    } else {
        Some(problem(
            StatusCode::FORBIDDEN,
            "forbidden",
            &format!(
                "this needs the {} role; the token has {}",
                role.as_str(),
                p.role.as_str()
            ),
        ))
    }
}

/// A write through a browser session must carry the session's CSRF token in `X-CSRF-Token`.
fn csrf_refused(p: &Principal, headers: &HeaderMap) -> Option<Response> {
    match &p.csrf {
        None => None,
        Some(want) => {
            let got = headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            (!super::auth::same(got, want)).then(|| {
                problem(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "missing or wrong X-CSRF-Token for this session",
                )
            })
        }
    }
}

/// A provider's verdict under one profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct Grade {
    /// The profile id.
    pub profile: String,
    /// The profile version.
    pub version: String,
    /// The verdict.
    pub verdict: String,
    /// Whether it passes (`null`: inconclusive).
    pub passed: Option<bool>,
}

/// One row of the providers list (see `ProviderRow` in the source).
#[derive(Debug, Serialize, ToSchema)]
pub struct Provider {
    /// The provider id.
    pub provider: String,
    /// Its name.
    pub name: Option<String>,
    /// Its declared country (ISO 3166-1 alpha-2).
    pub declared_country: Option<String>,
    /// The profile it applies for.
    pub applies_for: Option<String>,
    /// Its verdict under that profile in its latest run.
    pub applies_for_verdict: Option<String>,
    /// Whether that verdict passes (`null`: inconclusive or not assessed).
    pub applies_for_passed: Option<bool>,
    /// The kensa grade of its latest run.
    pub grade: Option<String>,
    /// Verdicts per profile of its latest run.
    pub grades: Vec<Grade>,
    /// `in-country` (every serving address), `abroad` (any placed outside), `conflicting`
    /// or `unknown`.
    pub residency: String,
    /// Share of its addresses placed in the declared country.
    pub in_country_share: Option<f64>,
    /// Days to the nearest certificate expiry (negative: expired).
    pub cert_days_left: Option<i64>,
    /// Its latest run.
    pub run_id: String,
    /// When that run started.
    pub last_run: Option<String>,
    /// How many runs it has.
    pub runs: usize,
    /// Kensa level (0 = none, null = inconclusive) of its last runs, oldest first.
    pub trend: Vec<Option<u8>>,
    /// TLS versions accepted by any endpoint.
    pub tls_versions: Vec<String>,
    /// Endpoints offering a post-quantum group.
    pub pq_offered: usize,
    /// Endpoints with a TLS scan.
    pub tls_targets: usize,
}

impl From<&ProviderRow> for Provider {
    fn from(r: &ProviderRow) -> Self {
        Self {
            provider: r.provider.clone(),
            name: r.name.clone(),
            declared_country: r.declared_country.clone(),
            applies_for: r.applies_for.clone(),
            applies_for_verdict: r.applies_for_verdict.clone(),
            applies_for_passed: r.applies_for_passed,
            grade: r.grade.clone(),
            grades: r.grades.iter().map(grade).collect(),
            residency: r.residency.clone(),
            in_country_share: r.in_country_share,
            cert_days_left: r.cert_days_left,
            run_id: r.run_id.clone(),
            last_run: r.last_run.clone(),
            runs: r.runs,
            trend: r.trend.clone(),
            tls_versions: r.tls_versions.clone(),
            pq_offered: r.pq_offered,
            tls_targets: r.tls_targets,
        }
    }
}

fn grade(g: &crate::store::GradeRow) -> Grade {
    Grade {
        profile: g.profile.clone(),
        version: g.version.clone(),
        verdict: g.verdict.clone(),
        passed: g.passed,
    }
}

/// A run of a provider.
#[derive(Debug, Serialize, ToSchema)]
pub struct Run {
    /// The run id.
    pub run_id: String,
    /// When it started.
    pub started: Option<String>,
    /// When it ended.
    pub ended: Option<String>,
    /// `complete` or `interrupted`.
    pub status: Option<String>,
    /// `intact` or `incomplete`.
    pub integrity: String,
    /// The kensa grade.
    pub grade: Option<String>,
    /// The profile it applied for.
    pub applies_for: Option<String>,
    /// Verdicts per profile.
    pub grades: Vec<Grade>,
}

fn run_of(s: &crate::store::RunSummary) -> Run {
    Run {
        run_id: s.run_id.clone(),
        started: s.started.clone(),
        ended: s.ended.clone(),
        status: s.status.clone(),
        integrity: s.integrity.clone(),
        grade: s.grade.clone(),
        applies_for: s.applies_for.clone(),
        grades: s.grades.iter().map(grade).collect(),
    }
}

/// The evidence record a finding rests on.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordLink {
    /// The probe.
    pub probe: String,
    /// The record's sequence number.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// The API path of the record.
    pub href: String,
}

/// A control's result on one target.
#[derive(Debug, Serialize, ToSchema)]
pub struct Finding {
    /// The target id.
    pub target: String,
    /// The profile.
    pub profile: String,
    /// The control id.
    pub control: String,
    /// `pass`, `fail`, `inconclusive` or `not-applicable`.
    pub outcome: String,
    /// Why (inconclusive, not applicable, rule error).
    pub reason: Option<String>,
    /// The values of the control's evidence expressions: `{expr, value}` each.
    #[schema(value_type = Vec<Object>)]
    pub evidence: serde_json::Value,
    /// The records it rests on.
    pub records: Vec<RecordLink>,
}

/// The records a finding names, with links.
pub fn record_links(
    provider: &str,
    run: &str,
    detail: &serde_json::Value,
    prefix: &str,
) -> Vec<RecordLink> {
    detail
        .get("records")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let seq = r.get("seq")?.as_i64()?;
            Some(RecordLink {
                probe: r.get("probe")?.as_str()?.to_owned(),
                seq,
                hash: r.get("hash")?.as_str()?.to_owned(),
                href: format!(
                    "{prefix}/providers/{}/runs/{}/evidence/{seq}",
                    urlenc(provider),
                    urlenc(run)
                ),
            })
        })
        .collect()
}

/// Percent-encode a path segment.
pub fn urlenc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn finding_of(provider: &str, run: &str, f: &crate::store::FindingRow) -> Finding {
    Finding {
        target: f.target.clone(),
        profile: f.profile.clone(),
        control: f.control.clone(),
        outcome: f.outcome.clone(),
        reason: f
            .detail
            .get("reason")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        evidence: f
            .detail
            .get("evidence")
            .filter(|v| v.is_array())
            .cloned()
            .unwrap_or_else(|| serde_json::Value::Array(Vec::new())),
        records: record_links(provider, run, &f.detail, "/api/v1"),
    }
}

/// One evidence record.
#[derive(Debug, Serialize, ToSchema)]
pub struct Evidence {
    /// Its sequence number.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// The target.
    pub target: String,
    /// The probe.
    pub probe: String,
    /// The probe's outcome.
    pub outcome: String,
    /// The observation.
    #[schema(value_type = Object)]
    pub observation: serde_json::Value,
}

/// A provider with its runs and open findings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderDetail {
    /// The overview row.
    pub provider: Provider,
    /// Its runs, newest first.
    pub runs: Vec<Run>,
    /// Failed and inconclusive findings of its latest run.
    pub open_findings: Vec<Finding>,
    /// Its endpoints in its latest run.
    #[schema(value_type = Vec<Object>)]
    pub endpoints: Vec<serde_json::Value>,
}

/// A run with its findings.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunDetail {
    /// The run.
    pub run: Run,
    /// Finding counts by outcome.
    #[schema(value_type = Object)]
    pub counts: std::collections::BTreeMap<String, usize>,
    /// The provider's declaration against this run's evidence (`docs/declaration.md`), as
    /// the run page's "Declared vs observed" section; `null` when the provider has no
    /// declaration in this run (or it could not be read: then `declared_error` says why).
    pub declared: Option<Declared>,
    /// Why the declaration could not be read from the stored run (`null` when it could).
    pub declared_error: Option<String>,
}

/// A provider's declaration against a run's evidence: each observable statement with its
/// status and `DECL-*` verdicts, and the facts kensa cannot observe (declared, not
/// verified) with theirs.
#[derive(Debug, Serialize, ToSchema)]
pub struct Declared {
    /// The declaration file as the catalog names it.
    pub file: String,
    /// Its SHA-256 (hex).
    pub sha256: String,
    /// The date of the statement.
    pub issued: Option<String>,
    /// The signature check: `valid`, `invalid`, `other-signer`, `no-key` or `unsigned`.
    pub signature: String,
    /// The signature check in words.
    pub signature_detail: String,
    /// The verdicts on the signature (`DECL-SIG-*`), per target and profile.
    pub signature_findings: Vec<Finding>,
    /// The observable statements, over every target of the provider.
    pub statements: Vec<DeclaredStatement>,
    /// What the provider declares that kensa cannot observe: declared, not verified.
    pub not_verified: Vec<NotVerifiedFact>,
    /// The verdicts on those facts (`DECL-OWN-*`, `DECL-STAFF-*`), judged only by the
    /// profile's parameters.
    pub not_verified_findings: Vec<Finding>,
}

/// One observable statement of a declaration against the evidence.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeclaredStatement {
    /// The part of the declared-vs-observed view: `location`, `cas`, `dns_operators`,
    /// `networks`, `cdns`, `vendors`, `names` or `path`.
    pub section: String,
    /// What the provider states, in words.
    pub statement: String,
    /// The declared values.
    pub declared: Vec<String>,
    /// What the evidence shows.
    pub observed: Vec<String>,
    /// Observed but not declared.
    pub undeclared: Vec<String>,
    /// `agree`, `contradict` or `not-observed`.
    pub status: String,
    /// The evidence records it rests on.
    pub records: Vec<RecordLink>,
    /// The `DECL-*` controls' verdicts on it, per target and profile.
    pub findings: Vec<Finding>,
}

/// A declared fact kensa cannot observe.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotVerifiedFact {
    /// What it is about.
    pub fact: String,
    /// What the provider declares.
    pub declared: String,
}

/// Whether a run's first line (`run-begin`, as stored) records a declaration of `provider`.
/// Only a shortcut: the view itself is built from the run read back and verified, and a
/// provider said to have none gets `declared: null` as from the verified run.
pub(crate) fn declares(lines: &[String], provider: &str) -> bool {
    lines
        .first()
        .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .and_then(|v| {
            v.pointer("/data/provider_details")?
                .as_array()?
                .iter()
                .find(|p| p.get("id").and_then(serde_json::Value::as_str) == Some(provider))
                .map(|p| p.get("declaration").is_some_and(|d| !d.is_null()))
        })
        .unwrap_or(false)
}

/// The `DECL-*` findings of a provider in a run: the stored ones, and, when the store did not
/// grade the provider under the built-in `kensa-declaration` profile (it grades the kensa
/// levels and the profile a provider applies for), that profile's judged now over the run
/// read back, as the reports add it for every provider with a declaration.
fn decl_findings(
    run: &crate::assess::doc::Run,
    provider: &str,
    stored: Vec<crate::store::FindingRow>,
) -> Vec<crate::store::FindingRow> {
    const PROFILE: &str = "kensa-declaration";
    let mut out: Vec<crate::store::FindingRow> = stored
        .into_iter()
        .filter(|f| f.control.starts_with("DECL-"))
        .collect();
    if out.iter().any(|f| f.profile == PROFILE) {
        return out;
    }
    let Ok(profile) =
        crate::assess::profile::Library::builtin().and_then(|l| l.builtin_profile(PROFILE))
    else {
        return out;
    };
    for t in run.targets.iter().filter(|t| t.provider == provider) {
        for f in crate::assess::grade::judge_target(&profile, t).findings {
            out.push(crate::store::FindingRow {
                target: f.target,
                profile: PROFILE.to_owned(),
                control: f.control,
                outcome: f.result.as_str().to_owned(),
                detail: serde_json::json!({
                    "reason": f.reason, "evidence": f.evidence, "records": f.records,
                }),
            });
        }
    }
    out
}

/// The API's view of a provider's declaration in a run, from the run as the store keeps it
/// (`report::declared`, the run page's section) and the run's `DECL-*` findings.
fn declared_of(
    provider: &str,
    run: &str,
    d: &crate::report::declared::DeclaredProvider,
    findings: &[crate::store::FindingRow],
) -> Declared {
    use crate::declaration::check::section_of_control;
    let of = |section: &str| -> Vec<Finding> {
        findings
            .iter()
            .filter(|f| section_of_control(&f.control) == Some(section))
            .map(|f| finding_of(provider, run, f))
            .collect()
    };
    Declared {
        file: d.file.clone(),
        sha256: d.sha256.clone(),
        issued: d.issued.clone(),
        signature: d.signature.clone(),
        signature_detail: d.signature_detail.clone(),
        signature_findings: of("signature"),
        statements: d
            .statements
            .iter()
            .map(|s| DeclaredStatement {
                section: s.section.clone(),
                statement: s.statement.clone(),
                declared: s.declared.clone(),
                observed: s.observed.clone(),
                undeclared: s.undeclared.clone(),
                status: s.status.clone(),
                records: record_links(
                    provider,
                    run,
                    &serde_json::json!({ "records": s.records }),
                    "/api/v1",
                ),
                findings: of(&s.section),
            })
            .collect(),
        not_verified: d
            .not_verified
            .iter()
            .map(|n| NotVerifiedFact {
                fact: n.fact.clone(),
                declared: n.declared.clone(),
            })
            .collect(),
        not_verified_findings: of("unobservable"),
    }
}

/// What changed between two runs of a provider (as `kensa diff --json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Diff {
    /// The older run.
    pub old: String,
    /// The newer run.
    pub new: String,
    /// The changes: new failures, fixes, grade changes, expiring certificates, addresses
    /// newly abroad.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

/// A re-check job.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecheckJob {
    /// Its number.
    pub id: u64,
    /// The provider.
    pub provider: String,
    /// Who started it.
    pub actor: String,
    /// When.
    pub started: String,
    /// When it ended.
    pub ended: Option<String>,
    /// `running`, `succeeded` or `failed`.
    pub state: String,
    /// Evidence records written so far.
    pub records: u64,
    /// With a PostgreSQL store: the queued run the workers run (the new run's id).
    pub queued_run: Option<String>,
    /// With a PostgreSQL store: the run's jobs (target × vantage).
    pub jobs_total: Option<u64>,
    /// With a PostgreSQL store: jobs a worker holds now.
    pub jobs_running: Option<u64>,
    /// With a PostgreSQL store: jobs finished.
    pub jobs_done: Option<u64>,
    /// The new run, once it succeeded.
    pub run_id: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// Whether the provider regressed.
    pub regression: Option<bool>,
}

impl From<Job> for RecheckJob {
    fn from(j: Job) -> Self {
        Self {
            id: j.id,
            provider: j.provider,
            actor: j.actor,
            started: j.started,
            ended: j.ended,
            state: match j.state {
                super::backend::JobState::Running => "running",
                super::backend::JobState::Succeeded => "succeeded",
                super::backend::JobState::Failed => "failed",
            }
            .to_owned(),
            records: j.records,
            queued_run: j.queued_run,
            jobs_total: j.jobs_total,
            jobs_running: j.jobs_running,
            jobs_done: j.jobs_done,
            run_id: j.run_id,
            error: j.error,
            regression: j.regression,
        }
    }
}

/// A provider of the catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogProvider {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The declared country.
    pub declared_country: Option<String>,
    /// What it applies for.
    pub applies_for: Option<String>,
    /// Its endpoints, `host:port`.
    pub endpoints: Vec<String>,
}

/// The watched catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct Catalog {
    /// The file.
    pub path: String,
    /// Its providers.
    pub providers: Vec<CatalogProvider>,
}

/// An edit of the catalog (`op`: `add-endpoint`, `remove-endpoint`, `set-applies-for`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CatalogEditRequest {
    /// `add-endpoint`, `remove-endpoint` or `set-applies-for`.
    pub op: String,
    /// The provider.
    pub provider: String,
    /// For add-endpoint: the host.
    pub host: Option<String>,
    /// For add-endpoint: the port (443 when absent).
    pub port: Option<u16>,
    /// For remove-endpoint: `host:port` as listed.
    pub endpoint: Option<String>,
    /// For set-applies-for: the level or profile.
    pub applies_for: Option<String>,
}

impl CatalogEditRequest {
    /// The edit, or why it is malformed.
    pub fn edit(self) -> Result<CatalogEdit, String> {
        let need = |v: Option<String>, what: &str| {
            v.filter(|s| !s.trim().is_empty())
                .ok_or_else(|| format!("`{}` needs `{what}`", self.op))
        };
        Ok(match self.op.as_str() {
            "add-endpoint" => CatalogEdit::AddEndpoint {
                provider: self.provider.clone(),
                host: need(self.host.clone(), "host")?,
                port: self.port,
            },
            "remove-endpoint" => CatalogEdit::RemoveEndpoint {
                provider: self.provider.clone(),
                endpoint: need(self.endpoint.clone(), "endpoint")?,
            },
            "set-applies-for" => CatalogEdit::SetAppliesFor {
                provider: self.provider.clone(),
                applies_for: need(self.applies_for.clone(), "applies_for")?,
            },
            other => {
                return Err(format!(
                    "unknown op `{other}`: expected add-endpoint, remove-endpoint or \
                     set-applies-for"
                ));
            }
        })
    }
}

/// An entry of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    /// Its number.
    pub id: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What kind of change.
    pub action: String,
    /// What exactly.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

macro_rules! page_type {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            /// This page's items.
            pub items: Vec<$item>,
            /// The page number (from 1).
            pub page: usize,
            /// Items per page.
            pub per_page: usize,
            /// Items in all pages.
            pub total: usize,
            /// The next page's query, when there is one.
            pub next: Option<String>,
        }
    };
}
page_type!(ProviderPage, Provider, "A page of providers.");
page_type!(RunPage, Run, "A page of runs.");
page_type!(FindingPage, Finding, "A page of findings.");
page_type!(JobPage, RecheckJob, "A page of re-check jobs.");
page_type!(AuditPage, AuditEntry, "A page of the audit log.");

/// Pagination.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// The page (from 1).
    pub page: Option<usize>,
    /// Items per page (1 to 500; 50 by default).
    pub per_page: Option<usize>,
}

/// Filters and order of the providers list (also the dashboard's query parameters).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProviderQuery {
    /// The page (from 1).
    pub page: Option<usize>,
    /// Items per page (1 to 500; 50 by default).
    pub per_page: Option<usize>,
    /// Only providers failing (or inconclusive under) the profile they apply for: `1`/`true`.
    pub failing: Option<String>,
    /// Only providers applying for this profile.
    pub profile: Option<String>,
    /// Only providers declaring this country.
    pub country: Option<String>,
    /// `provider` (default), `grade`, `expiry`, `last-run`; `-` first for descending.
    pub sort: Option<String>,
}

impl ProviderQuery {
    /// The providers of `rows` this query selects, in its order.
    pub fn select<'a>(&self, rows: &'a [ProviderRow]) -> Vec<&'a ProviderRow> {
        let failing = matches!(self.failing.as_deref(), Some("1" | "true" | "on" | "yes"));
        let nonempty = |o: &Option<String>| o.clone().filter(|s| !s.is_empty());
        let profile = nonempty(&self.profile);
        let country = nonempty(&self.country).map(|c| c.to_ascii_uppercase());
        let mut v: Vec<&ProviderRow> = rows
            .iter()
            .filter(|r| !failing || r.applies_for_passed != Some(true))
            .filter(|r| profile.is_none() || r.applies_for == profile)
            .filter(|r| country.is_none() || r.declared_country == country)
            .collect();
        let sort = self.sort.as_deref().unwrap_or("provider");
        let (desc, key) = match sort.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, sort),
        };
        match key {
            "grade" => {
                v.sort_by_key(|r| (super::backend::level_of(r.grade.as_deref()), &r.provider))
            }
            "expiry" => v.sort_by_key(|r| (r.cert_days_left.unwrap_or(i64::MAX), &r.provider)),
            "last-run" => v.sort_by_key(|r| (r.last_run.clone(), &r.provider)),
            _ => {}
        }
        if desc {
            v.reverse();
        }
        v
    }
}

/// One page of a list.
struct Paged<T> {
    items: Vec<T>,
    page: usize,
    per_page: usize,
    total: usize,
    next: Option<String>,
}

fn paginate<T>(
    items: Vec<T>,
    page: Option<usize>,
    per_page: Option<usize>,
) -> Result<Paged<T>, Box<Response>> {
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
    let page = page.unwrap_or(1);
    if !(1..=MAX_PER_PAGE).contains(&per_page) || page == 0 {
        return Err(Box::new(problem(
            StatusCode::BAD_REQUEST,
            "bad-paging",
            &format!("page starts at 1; per_page is 1 to {MAX_PER_PAGE}"),
        )));
    }
    let total = items.len();
    let start = (page - 1).saturating_mul(per_page);
    let next = (start.saturating_add(per_page) < total)
        .then(|| format!("page={}&per_page={per_page}", page + 1));
    let items: Vec<T> = items.into_iter().skip(start).take(per_page).collect();
    Ok(Paged {
        items,
        page,
        per_page,
        total,
        next,
    })
}

macro_rules! paged {
    ($ty:ident, $items:expr, $page:expr, $per:expr) => {
        match paginate($items, $page, $per) {
            Ok(p) => Json($ty {
                items: p.items,
                page: p.page,
                per_page: p.per_page,
                total: p.total,
                next: p.next,
            })
            .into_response(),
            Err(r) => *r,
        }
    };
}

/// The providers, with their latest verdicts.
#[utoipa::path(get, path = "/api/v1/providers", params(ProviderQuery),
    responses((status = 200, body = ProviderPage), (status = 400, body = Problem),
              (status = 401, body = Problem)))]
async fn providers(State(s): State<Shared>, Query(q): Query<ProviderQuery>) -> Response {
    match s.backend.overview().await {
        Ok(rows) => {
            let sel: Vec<Provider> = q.select(&rows).into_iter().map(Provider::from).collect();
            paged!(ProviderPage, sel, q.page, q.per_page)
        }
        Err(e) => backend_problem(&e),
    }
}

/// One provider: its overview row, runs, open findings and endpoints.
#[utoipa::path(get, path = "/api/v1/providers/{provider}",
    params(("provider" = String, Path, description = "provider id")),
    responses((status = 200, body = ProviderDetail), (status = 404, body = Problem),
              (status = 401, body = Problem)))]
async fn provider(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    match s.backend.provider(id).await {
        Ok(d) => {
            let p = &d.row.provider;
            let run = &d.row.run_id;
            Json(ProviderDetail {
                provider: Provider::from(&d.row),
                runs: d.runs.iter().map(run_of).collect(),
                open_findings: d
                    .open_findings
                    .iter()
                    .map(|f| finding_of(p, run, f))
                    .collect(),
                endpoints: d
                    .endpoints
                    .iter()
                    .map(|e| serde_json::to_value(e).unwrap_or_default())
                    .collect(),
            })
            .into_response()
        }
        Err(e) => backend_problem(&e),
    }
}

/// A provider's runs, newest first.
#[utoipa::path(get, path = "/api/v1/providers/{provider}/runs",
    params(("provider" = String, Path, description = "provider id"), Paging),
    responses((status = 200, body = RunPage), (status = 404, body = Problem),
              (status = 401, body = Problem)))]
async fn runs(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Query(pg): Query<Paging>,
) -> Response {
    match s.backend.provider(id).await {
        Ok(d) => paged!(
            RunPage,
            d.runs.iter().map(run_of).collect::<Vec<_>>(),
            pg.page,
            pg.per_page
        ),
        Err(e) => backend_problem(&e),
    }
}

/// One run of a provider.
///
/// Its summary, finding counts and, when the provider has a declaration, the declared vs
/// observed view with the `DECL-*` verdicts on each statement.
#[utoipa::path(get, path = "/api/v1/providers/{provider}/runs/{run}",
    params(("provider" = String, Path, description = "provider id"),
           ("run" = String, Path, description = "run id")),
    responses((status = 200, body = RunDetail), (status = 404, body = Problem),
              (status = 401, body = Problem)))]
async fn run(State(s): State<Shared>, Path((p, r)): Path<(String, String)>) -> Response {
    match s.backend.run(p.clone(), r.clone()).await {
        Ok(d) => {
            let mut counts = std::collections::BTreeMap::new();
            for f in &d.findings {
                *counts.entry(f.outcome.clone()).or_insert(0) += 1;
            }
            // The declaration against the evidence, from the run as the store keeps it (read
            // back and verified), as the run page builds it; the verdicts as the reports
            // judge them.
            let (provider, run) = (p.clone(), r.clone());
            let stored = d.findings.clone();
            let view = s
                .backend
                .call(move |_, st| {
                    // Reading a run back verifies every line: only for a provider whose
                    // declaration `run-begin` records (the stored first line says).
                    if !declares(&st.lines(&run)?, &provider) {
                        return Ok(None);
                    }
                    let loaded = st.run(&run)?;
                    Ok(crate::report::declared::for_provider(&loaded, &provider)
                        .map(|v| (v, decl_findings(&loaded, &provider, stored))))
                })
                .await;
            let (declared, declared_error) = match view {
                Ok(v) => (v.map(|(v, f)| declared_of(&p, &r, &v, &f)), None),
                Err(e) => (None, Some(e.to_string())),
            };
            Json(RunDetail {
                run: run_of(&d.summary),
                counts,
                declared,
                declared_error,
            })
            .into_response()
        }
        Err(e) => backend_problem(&e),
    }
}

/// The findings of a run of a provider, each linked to its evidence records.
#[utoipa::path(get, path = "/api/v1/providers/{provider}/runs/{run}/findings",
    params(("provider" = String, Path, description = "provider id"),
           ("run" = String, Path, description = "run id"), Paging),
    responses((status = 200, body = FindingPage), (status = 404, body = Problem),
              (status = 401, body = Problem)))]
async fn findings(
    State(s): State<Shared>,
    Path((p, r)): Path<(String, String)>,
    Query(pg): Query<Paging>,
) -> Response {
    match s.backend.run(p.clone(), r.clone()).await {
        Ok(d) => paged!(
            FindingPage,
            d.findings
                .iter()
                .map(|f| finding_of(&p, &r, f))
                .collect::<Vec<_>>(),
            pg.page,
            pg.per_page
        ),
        Err(e) => backend_problem(&e),
    }
}

/// One evidence record of a run of a provider.
#[utoipa::path(get, path = "/api/v1/providers/{provider}/runs/{run}/evidence/{seq}",
    params(("provider" = String, Path, description = "provider id"),
           ("run" = String, Path, description = "run id"),
           ("seq" = i64, Path, description = "the record's sequence number")),
    responses((status = 200, body = Evidence), (status = 404, body = Problem),
              (status = 401, body = Problem)))]
async fn evidence(
    State(s): State<Shared>,
    Path((p, r, seq)): Path<(String, String, i64)>,
) -> Response {
    match s.backend.evidence(p, r, seq).await {
        Ok(e) => Json(Evidence {
            seq: e.seq,
            hash: e.hash,
            target: e.target,
            probe: e.probe,
            outcome: e.outcome,
            observation: e.observation,
        })
        .into_response(),
        Err(e) => backend_problem(&e),
    }
}

/// Query of a diff.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older run (default: the one before the newer).
    pub old: Option<String>,
    /// The newer run (default: the latest).
    pub new: Option<String>,
}

/// Resolve a diff's runs (defaults: the latest run and the one before it).
pub async fn diff_runs(
    s: &Shared,
    provider: &str,
    q: &DiffQuery,
) -> Result<(String, String), BackendError> {
    let d = s.backend.provider(provider.to_owned()).await?;
    let ids: Vec<&str> = d.runs.iter().map(|r| r.run_id.as_str()).collect();
    let new = q
        .new
        .clone()
        .filter(|x| !x.is_empty())
        .or_else(|| ids.first().map(|x| (*x).to_owned()))
        .ok_or_else(|| BackendError::NotFound("no runs".into()))?;
    let old = match q.old.clone().filter(|x| !x.is_empty()) {
        Some(o) => o,
        None => {
            let i = ids.iter().position(|x| *x == new).unwrap_or(0);
            ids.get(i + 1).map(|x| (*x).to_owned()).ok_or_else(|| {
                BackendError::NotFound(format!(
                    "provider `{provider}` has no run before `{new}` to compare with"
                ))
            })?
        }
    };
    Ok((old, new))
}

/// What changed for a provider between two of its runs.
#[utoipa::path(get, path = "/api/v1/providers/{provider}/diff",
    params(("provider" = String, Path, description = "provider id"), DiffQuery),
    responses((status = 200, body = Diff), (status = 404, body = Problem),
              (status = 401, body = Problem)))]
async fn diff(
    State(s): State<Shared>,
    Path(p): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Response {
    let (old, new) = match diff_runs(&s, &p, &q).await {
        Ok(x) => x,
        Err(e) => return backend_problem(&e),
    };
    match s.backend.diff(p, old.clone(), new.clone()).await {
        Ok(d) => Json(Diff {
            old,
            new,
            changes: serde_json::to_value(d).unwrap_or_default(),
        })
        .into_response(),
        Err(e) => backend_problem(&e),
    }
}

/// Start a re-check of a provider with its catalog entry (evaluator or admin).
#[utoipa::path(post, path = "/api/v1/providers/{provider}/recheck",
    params(("provider" = String, Path, description = "provider id")),
    responses((status = 202, body = RecheckJob), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem),
              (status = 401, body = Problem)))]
async fn recheck(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    Path(p): Path<String>,
) -> Response {
    if let Some(r) = require(&who, Role::Evaluator).or_else(|| csrf_refused(&who, &headers)) {
        return r;
    }
    match s.backend.start_recheck(who.actor(), p).await {
        Ok(j) => (StatusCode::ACCEPTED, Json(RecheckJob::from(j))).into_response(),
        Err(e) => backend_problem(&e),
    }
}

/// The re-check jobs of this service, newest first.
#[utoipa::path(get, path = "/api/v1/jobs", params(Paging),
    responses((status = 200, body = JobPage), (status = 401, body = Problem)))]
async fn jobs(State(s): State<Shared>, Query(pg): Query<Paging>) -> Response {
    let all: Vec<RecheckJob> = s.backend.jobs().into_iter().map(Into::into).collect();
    paged!(JobPage, all, pg.page, pg.per_page)
}

/// One re-check job.
#[utoipa::path(get, path = "/api/v1/jobs/{id}",
    params(("id" = u64, Path, description = "job number")),
    responses((status = 200, body = RecheckJob), (status = 404, body = Problem),
              (status = 401, body = Problem)))]
async fn job(State(s): State<Shared>, Path(id): Path<u64>) -> Response {
    match s.backend.job(id) {
        Some(j) => Json(RecheckJob::from(j)).into_response(),
        None => problem(StatusCode::NOT_FOUND, "not-found", &format!("no job {id}")),
    }
}

/// The watched catalog.
#[utoipa::path(get, path = "/api/v1/catalog",
    responses((status = 200, body = Catalog), (status = 404, body = Problem),
              (status = 401, body = Problem)))]
async fn catalog(State(s): State<Shared>) -> Response {
    match s.backend.catalog().await {
        Ok(Some(c)) => Json(Catalog {
            path: c.path,
            providers: c
                .providers
                .into_iter()
                .map(|p| CatalogProvider {
                    id: p.id,
                    name: p.name,
                    declared_country: p.declared_country,
                    applies_for: p.applies_for,
                    endpoints: p.endpoints,
                })
                .collect(),
        })
        .into_response(),
        Ok(None) => problem(
            StatusCode::NOT_FOUND,
            "no-catalog",
            "the service was started without --catalog",
        ),
        Err(e) => backend_problem(&e),
    }
}

/// Edit the catalog (admin): validated with the catalog's rules; recorded in the audit log.
#[utoipa::path(post, path = "/api/v1/catalog", request_body = CatalogEditRequest,
    responses((status = 204, description = "applied"), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem),
              (status = 401, body = Problem)))]
async fn catalog_edit(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    body: Result<Json<CatalogEditRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if let Some(r) = require(&who, Role::Admin).or_else(|| csrf_refused(&who, &headers)) {
        return r;
    }
    let edit = match body {
        Ok(Json(b)) => b.edit(),
        Err(e) => Err(e.body_text()),
    };
    let edit = match edit {
        Ok(e) => e,
        Err(m) => return problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &m),
    };
    match s.backend.edit_catalog(who.actor(), edit).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => backend_problem(&e),
    }
}

/// The audit log, newest first (admin).
#[utoipa::path(get, path = "/api/v1/audit", params(Paging),
    responses((status = 200, body = AuditPage), (status = 403, body = Problem),
              (status = 401, body = Problem)))]
async fn audit(
    State(s): State<Shared>,
    Extension(who): Extension<Principal>,
    Query(pg): Query<Paging>,
) -> Response {
    if let Some(r) = require(&who, Role::Admin) {
        return r;
    }
    match s.backend.audit_log(10_000).await {
        Ok(rows) => {
            let items: Vec<AuditEntry> = rows
                .into_iter()
                .map(|a| AuditEntry {
                    id: a.id,
                    at: a.at,
                    actor: a.actor,
                    action: a.action,
                    detail: serde_json::from_str(&a.detail).unwrap_or_default(),
                })
                .collect();
            paged!(AuditPage, items, pg.page, pg.per_page)
        }
        Err(e) => backend_problem(&e),
    }
}

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(title = "kensa serve", description = "The run store of kensa: providers, runs, \
          findings, evidence records, diffs, re-checks and the catalog. Every path needs \
          `Authorization: Bearer TOKEN` (`kensa token create`).", version = "1"),
    paths(providers, provider, runs, run, findings, evidence, diff, recheck, jobs, job,
          catalog, catalog_edit, audit),
    components(schemas(Problem, Grade, Provider, Run, RecordLink, Finding, Evidence,
        ProviderDetail, RunDetail, Declared, DeclaredStatement, NotVerifiedFact, Diff, RecheckJob, CatalogProvider, Catalog,
        CatalogEditRequest, AuditEntry, ProviderPage, RunPage, FindingPage, JobPage, AuditPage)),
    modifiers(&Bearer),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct Bearer;

impl utoipa::Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document as pretty JSON (what `docs/openapi.json` holds).
pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default() + "\n"
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json()).into_response()
}

async fn not_found() -> Response {
    problem(StatusCode::NOT_FOUND, "not-found", "no such API path")
}

/// The `/api/v1` routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/providers", get(providers))
        .route("/providers/{provider}", get(provider))
        .route("/providers/{provider}/runs", get(runs))
        .route("/providers/{provider}/runs/{run}", get(run))
        .route("/providers/{provider}/runs/{run}/findings", get(findings))
        .route(
            "/providers/{provider}/runs/{run}/evidence/{seq}",
            get(evidence),
        )
        .route("/providers/{provider}/diff", get(diff))
        .route("/providers/{provider}/recheck", post(recheck))
        .route("/jobs", get(jobs))
        .route("/jobs/{id}", get(job))
        .route("/catalog", get(catalog).post(catalog_edit))
        .route("/audit", get(audit))
        .fallback(not_found)
}

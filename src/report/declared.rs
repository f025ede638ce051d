//! The reports' "Declared vs observed" section: for each provider with a declaration
//! (`docs/declaration.md`), each statement, what was observed, and agree / contradict / not
//! observed, with the evidence records; then the statements kensa cannot observe, as
//! *declared, not verified*. Built from the same view the `DECL-*` controls read
//! ([`crate::declaration::check::view`]), so the section and the findings cannot disagree.
//! Providers without a declaration have no entry, and a run without any has no section.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use super::html::esc;
use super::text::md;
use crate::assess::doc::{RecordRef, TargetDoc};
use crate::declaration::check::{self, AGREE, CONTRADICT, NOT_OBSERVED, SECTION_PROBES};

/// One provider's declaration against the evidence.
#[derive(Clone, Debug, Serialize)]
pub struct DeclaredProvider {
    /// The provider id.
    pub provider: String,
    /// The declaration file as the catalog names it.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
    /// The date of the statement.
    pub issued: Option<String>,
    /// The signature check: `valid`, `invalid`, `other-signer`, `no-key`, `unsigned`.
    pub signature: String,
    /// The signature check in words.
    pub signature_detail: String,
    /// The observable statements.
    pub statements: Vec<Statement>,
    /// The statements kensa cannot observe: declared, not verified.
    pub not_verified: Vec<NotVerified>,
}

/// One observable statement, over every target of the provider.
#[derive(Clone, Debug, Serialize)]
pub struct Statement {
    /// The view's section (`location`, `cas`, `dns_operators`, `networks`, `cdns`,
    /// `vendors`, `names`, `path`).
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
    pub records: Vec<RecordRef>,
}

/// A statement kensa cannot observe.
#[derive(Clone, Debug, Serialize)]
pub struct NotVerified {
    /// What it is about.
    pub fact: String,
    /// What the provider declares.
    pub declared: String,
}

const STATEMENTS: &[(&str, &str)] = &[
    (
        "location",
        "Serving addresses and name servers are in the serving countries",
    ),
    ("cas", "Certificates are issued by the declared CAs"),
    (
        "dns_operators",
        "Name servers are run by the declared DNS operators",
    ),
    ("networks", "Endpoints are served by the declared networks"),
    ("cdns", "CDNs in front of the endpoints are declared"),
    (
        "vendors",
        "Software and equipment vendors in the serving path are declared",
    ),
    (
        "names",
        "Certificate names under the provider's domains are declared or in the catalog",
    ),
    (
        "path",
        "The path from an in-country vantage stays in the serving countries",
    ),
];

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().map(text).collect())
        .unwrap_or_default()
}

fn push(list: &mut Vec<String>, s: String) {
    if !list.contains(&s) {
        list.push(s);
    }
}

/// What one section's `declared` list says, in words.
fn declared_values(section: &str, v: &Value) -> Vec<String> {
    let list = v.get("declared").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|d| match (section, d) {
            ("dns_operators" | "networks", Value::Object(_)) => {
                let asns = strings(d.get("asns"));
                let name = d.get("name").map(text).unwrap_or_default();
                if asns.is_empty() {
                    name
                } else {
                    format!("{name} (AS{})", asns.join(", AS"))
                }
            }
            ("vendors", Value::Object(_)) => format!(
                "{} ({})",
                d.get("name").map(text).unwrap_or_default(),
                d.get("country").map(text).unwrap_or_default()
            ),
            _ => text(d),
        })
        .collect()
}

/// What one section's `observed` list shows, in words.
fn observed_values(section: &str, v: &Value) -> Vec<String> {
    let list = v.get("observed").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|o| match section {
            "location" => {
                let c = strings(o.get("countries"));
                format!(
                    "{} {} {}: {}",
                    o.get("kind").map(text).unwrap_or_default(),
                    o.get("host").map(text).unwrap_or_default(),
                    o.get("address").map(text).unwrap_or_default(),
                    if c.is_empty() {
                        "undetermined".to_owned()
                    } else {
                        c.join(" ")
                    }
                )
            }
            "dns_operators" | "networks" => format!(
                "{} {}: {}{}",
                o.get("host").map(text).unwrap_or_default(),
                o.get("address").map(text).unwrap_or_default(),
                o.get("as_org").map(text).unwrap_or_default(),
                o.get("asn")
                    .and_then(Value::as_u64)
                    .map(|a| format!(" (AS{a})"))
                    .unwrap_or_default()
            ),
            "path" => format!(
                "to {} from {}: {}{}",
                o.get("destination").map(text).unwrap_or_default(),
                o.get("origin_country").map(text).unwrap_or_default(),
                strings(o.get("countries")).join(" → "),
                if o.get("judged").and_then(Value::as_bool) == Some(true) {
                    ""
                } else {
                    " (not judged: starts or ends outside the serving countries)"
                }
            ),
            "cdns" => format!(
                "{} (by {}: {})",
                o.get("cdn").map(text).unwrap_or_default(),
                o.get("via").map(text).unwrap_or_default(),
                o.get("matched").map(text).unwrap_or_default()
            ),
            "vendors" => format!(
                "{} ({}): {} {} [{}]",
                o.get("vendor").map(text).unwrap_or_default(),
                o.get("country").map(text).unwrap_or_default(),
                o.get("field").map(text).unwrap_or_default(),
                o.get("value").map(text).unwrap_or_default(),
                o.get("row").map(text).unwrap_or_default()
            ),
            _ => text(o),
        })
        .collect()
}

fn not_verified(view: &Value) -> Vec<NotVerified> {
    let mut out = Vec::new();
    let mut add = |fact: &str, declared: String| {
        out.push(NotVerified {
            fact: fact.to_owned(),
            declared,
        })
    };
    let list = |v: Option<&Value>| {
        let l = strings(v);
        if l.is_empty() {
            "-".into()
        } else {
            l.join(", ")
        }
    };
    let loc = view.get("location");
    add(
        "Countries where customer data is stored",
        list(loc.and_then(|l| l.get("storage_countries"))),
    );
    add("Service regions", list(loc.and_then(|l| l.get("regions"))));
    let own = view
        .pointer("/unobservable/ownership")
        .filter(|o| !o.is_null());
    match own {
        Some(o) => {
            add(
                "Shareholders' countries",
                list(o.get("shareholder_countries")),
            );
            add(
                "Foreign ownership share",
                format!(
                    "{} %",
                    o.get("foreign_share_percent").map(text).unwrap_or_default()
                ),
            );
        }
        None => add("Ownership", "not declared".into()),
    }
    let per = view
        .pointer("/unobservable/personnel")
        .filter(|o| !o.is_null());
    match per {
        Some(p) => {
            add("Executives' countries", list(p.get("executive_countries")));
            add("Operators' countries", list(p.get("operator_countries")));
            let access = p.get("foreign_staff_access").and_then(Value::as_bool);
            add(
                "Staff abroad can access customer data",
                match access {
                    Some(true) => format!("yes, from {}", list(p.get("foreign_access_countries"))),
                    Some(false) => "no".into(),
                    None => "-".into(),
                },
            );
        }
        None => add("Personnel and staff access", "not declared".into()),
    }
    out
}

/// The section's data for every provider with a declaration, over `docs` (the targets in
/// report order).
pub fn build(docs: &[&TargetDoc]) -> Vec<DeclaredProvider> {
    let mut out: Vec<DeclaredProvider> = Vec::new();
    for d in docs {
        let view = check::view(&d.doc);
        if view.get("declared").and_then(Value::as_bool) != Some(true) {
            continue;
        }
        let i = match out.iter().position(|p| p.provider == d.provider) {
            Some(i) => i,
            None => {
                out.push(DeclaredProvider {
                    provider: d.provider.clone(),
                    file: view.get("file").map(text).unwrap_or_default(),
                    sha256: view.get("sha256").map(text).unwrap_or_default(),
                    issued: view
                        .get("issued")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    signature: view
                        .pointer("/signature/status")
                        .map(text)
                        .unwrap_or_default(),
                    signature_detail: view
                        .pointer("/signature/detail")
                        .map(text)
                        .unwrap_or_default(),
                    statements: STATEMENTS
                        .iter()
                        .map(|(section, statement)| Statement {
                            section: (*section).to_owned(),
                            statement: (*statement).to_owned(),
                            declared: Vec::new(),
                            observed: Vec::new(),
                            undeclared: Vec::new(),
                            status: NOT_OBSERVED.to_owned(),
                            records: Vec::new(),
                        })
                        .collect(),
                    not_verified: not_verified(&view),
                });
                out.len() - 1
            }
        };
        let Some(p) = out.get_mut(i) else {
            continue;
        };
        for st in &mut p.statements {
            let Some(v) = view.get(&st.section) else {
                continue;
            };
            for x in declared_values(&st.section, v) {
                push(&mut st.declared, x);
            }
            for x in observed_values(&st.section, v) {
                push(&mut st.observed, x);
            }
            for x in strings(v.get("undeclared")) {
                push(&mut st.undeclared, x);
            }
            let s = v
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or(NOT_OBSERVED);
            if s == CONTRADICT || (s == AGREE && st.status == NOT_OBSERVED) {
                st.status = s.to_owned();
            }
            let probes = SECTION_PROBES
                .iter()
                .find(|(sec, _)| *sec == st.section)
                .map_or(&[][..], |(_, p)| *p);
            for probe in probes {
                if let Some(r) = d.record(probe)
                    && !st.records.contains(&r)
                {
                    st.records.push(r);
                }
            }
        }
    }
    out
}

/// The section's data for one provider of a run, for `kensa serve`'s run page: `None` when
/// the provider has no declaration.
pub fn for_provider(run: &crate::assess::doc::Run, provider: &str) -> Option<DeclaredProvider> {
    let docs: Vec<&TargetDoc> = run
        .targets
        .iter()
        .filter(|t| t.provider == provider)
        .collect();
    build(&docs).into_iter().next()
}

fn status_class(s: &str) -> &'static str {
    match s {
        AGREE => "pass",
        CONTRADICT => "fail",
        _ => "inconclusive",
    }
}

fn records(r: &[RecordRef]) -> String {
    r.iter()
        .map(|r| format!("{} #{}", r.probe, r.seq))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The HTML section (nothing when no provider has a declaration).
pub fn html(rows: &[DeclaredProvider], name: impl Fn(&str) -> String, h: &mut String) {
    if rows.is_empty() {
        return;
    }
    h.push_str(
        "<section id=\"declared\">\n<h2>Declared vs observed</h2>\n<p class=\"meta\">Each \
         provider's declaration against the evidence (docs/declaration.md): agree, contradict \
         (observed but not declared) or not observed. Names only seen in certificates are \
         listed, never dialled.</p>\n",
    );
    for p in rows {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<p class=\"meta\">declaration <code>{}</code> (sha256 <code>{}</code>), issued {} · signature <span class=\"badge {}\">{}</span> {}</p>",
            esc(&name(&p.provider)),
            esc(&p.file),
            esc(&p.sha256),
            esc(p.issued.as_deref().unwrap_or("-")),
            if p.signature == "valid" {
                "pass"
            } else {
                "fail"
            },
            esc(&p.signature),
            esc(&p.signature_detail)
        );
        h.push_str(
            "<div class=\"scroll\"><table>\n<thead><tr><th>statement</th><th>declared</th>\
             <th>observed</th><th>undeclared</th><th>status</th><th>records</th></tr></thead>\n<tbody>\n",
        );
        for s in &p.statements {
            let list = |l: &[String]| {
                if l.is_empty() {
                    "-".to_owned()
                } else {
                    l.iter().map(|x| esc(x)).collect::<Vec<_>>().join("<br>")
                }
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><span class=\"badge {}\">{}</span></td><td>{}</td></tr>",
                esc(&s.statement),
                list(&s.declared),
                list(&s.observed),
                list(&s.undeclared),
                status_class(&s.status),
                esc(&s.status),
                esc(&records(&s.records))
            );
        }
        h.push_str("</tbody></table></div>\n<h4>Declared, not verified</h4>\n<table>\n<tbody>\n");
        for n in &p.not_verified {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td></tr>",
                esc(&n.fact),
                esc(&n.declared)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

/// The Markdown section (nothing when no provider has a declaration).
pub fn markdown(rows: &[DeclaredProvider], name: impl Fn(&str) -> String, s: &mut String) {
    if rows.is_empty() {
        return;
    }
    s.push_str(
        "\n## Declared vs observed\n\nEach provider's declaration against the evidence: agree, \
         contradict (observed but not declared) or not observed. Names only seen in \
         certificates are listed, never dialled.\n\n",
    );
    for p in rows {
        let _ = writeln!(
            s,
            "### {}\n\nDeclaration `{}` (sha256 `{}`), issued {}; signature **{}** ({}).\n",
            md(&name(&p.provider)),
            md(&p.file),
            md(&p.sha256),
            md(p.issued.as_deref().unwrap_or("-")),
            md(&p.signature),
            md(&p.signature_detail)
        );
        s.push_str("| statement | declared | observed | undeclared | status | records |\n|---|---|---|---|---|---|\n");
        for st in &p.statements {
            let list = |l: &[String]| {
                if l.is_empty() {
                    "-".to_owned()
                } else {
                    l.iter().map(|x| md(x)).collect::<Vec<_>>().join("<br>")
                }
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                md(&st.statement),
                list(&st.declared),
                list(&st.observed),
                list(&st.undeclared),
                md(&st.status),
                md(&records(&st.records))
            );
        }
        s.push_str("\nDeclared, not verified:\n\n| fact | declared |\n|---|---|\n");
        for n in &p.not_verified {
            let _ = writeln!(s, "| {} | {} |", md(&n.fact), md(&n.declared));
        }
        s.push('\n');
    }
}

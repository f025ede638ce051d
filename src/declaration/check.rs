//! Declared vs observed: one target's evidence compared with its provider's declaration.
//!
//! [`view`] is a pure function of the target's evidence document (`assess::doc`) — the
//! declaration recorded in `run-begin` is in its `provider.declaration` — and the embedded
//! vendor data file. The `DECL-*` controls read it as the CEL variable `decl`; the reports'
//! "Declared vs observed" section shows it. Each section has the declared values, what was
//! observed (with where), the observed values the declaration does not cover (`undeclared`)
//! and a `status`: `agree`, `contradict` (something observed is undeclared) or `not-observed`
//! (the evidence does not show it: a probe that did not succeed, or nothing identifying).
//! Which countries or vendors are of concern is not judged here: the controls read it from
//! the profile's parameters. The matching rules are in `docs/declaration.md`.

use serde_json::{Value, json};

use super::vendors;

/// A section's status.
pub const AGREE: &str = "agree";
/// Something observed is not declared.
pub const CONTRADICT: &str = "contradict";
/// The evidence does not show it.
pub const NOT_OBSERVED: &str = "not-observed";

/// The probes each section rests on (for the reports' evidence links).
pub const SECTION_PROBES: &[(&str, &[&str])] = &[
    ("location", &["geo.residency"]),
    ("cas", &["x509.chain"]),
    ("dns_operators", &["geo.residency"]),
    ("networks", &["geo.residency"]),
    ("cdns", &["geo.residency"]),
    ("vendors", &["http.headers", "x509.chain", "geo.residency"]),
    ("names", &["x509.chain"]),
    ("path", &["route.trace"]),
];

/// The `DECL-*` controls that judge each part of the view, by id prefix: the observable
/// sections, then `signature` and `unobservable` (the declared, not verified facts). For
/// `kensa serve`'s API, which gives each statement with its verdicts; a test checks that
/// every `DECL-*` control is here and reads the part it is listed under.
pub const SECTION_CONTROLS: &[(&str, &str)] = &[
    ("location", "DECL-LOC-"),
    ("cas", "DECL-CA-"),
    ("dns_operators", "DECL-DNS-"),
    ("networks", "DECL-NET-"),
    ("cdns", "DECL-CDN-"),
    ("vendors", "DECL-VEND-"),
    ("names", "DECL-NAME-"),
    ("path", "DECL-PATH-"),
    ("signature", "DECL-SIG-"),
    ("unobservable", "DECL-OWN-"),
    ("unobservable", "DECL-STAFF-"),
];

/// The part of the view a `DECL-*` control judges ([`SECTION_CONTROLS`]).
pub fn section_of_control(control: &str) -> Option<&'static str> {
    SECTION_CONTROLS
        .iter()
        .find(|(_, prefix)| control.starts_with(prefix))
        .map(|(section, _)| *section)
}

/// Letters and digits, lower case, other characters as single spaces.
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for ch in s.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_owned()
}

/// Whether a declared name and an observed one name the same party: equal after
/// normalisation, or one is the other followed or preceded by whole words ("DigiCert" and
/// "DigiCert Inc").
pub fn name_matches(declared: &str, observed: &str) -> bool {
    let d = norm(declared);
    let o = norm(observed);
    if d.is_empty() || o.is_empty() {
        return false;
    }
    let (dw, ow) = (format!(" {d} "), format!(" {o} "));
    ow.contains(&dw) || dw.contains(&ow)
}

fn observation<'a>(doc: &'a Value, probe: &str) -> Option<&'a Value> {
    let p = doc.get("probes")?.get(probe)?;
    if p.get("outcome").and_then(Value::as_str) != Some("success") {
        return None;
    }
    p.get("observation").filter(|o| !o.is_null())
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn push_unique(list: &mut Vec<String>, s: &str) {
    if !list.iter().any(|x| x == s) {
        list.push(s.to_owned());
    }
}

fn status(observable: bool, observed_any: bool, undeclared: &[String]) -> &'static str {
    if !undeclared.is_empty() {
        CONTRADICT
    } else if observable && observed_any {
        AGREE
    } else {
        NOT_OBSERVED
    }
}

/// A declared supplier: its name and autonomous system numbers.
struct Declared {
    name: String,
    asns: Vec<u64>,
}

fn suppliers(content: &Value, key: &str) -> Vec<Declared> {
    content
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| {
                    Some(Declared {
                        name: s.get("name")?.as_str()?.to_owned(),
                        asns: s
                            .get("asns")
                            .and_then(Value::as_array)
                            .map(|l| l.iter().filter_map(Value::as_u64).collect())
                            .unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn subprocessors(content: &Value, roles: &[&str]) -> Vec<Declared> {
    content
        .get("subprocessor")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|s| {
                    s.get("role")
                        .and_then(Value::as_str)
                        .is_some_and(|r| roles.contains(&r))
                })
                .filter_map(|s| {
                    Some(Declared {
                        name: s.get("name")?.as_str()?.to_owned(),
                        asns: s
                            .get("asns")
                            .and_then(Value::as_array)
                            .map(|l| l.iter().filter_map(Value::as_u64).collect())
                            .unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The networks of `exposures` (geo jurisdiction entries) against declared suppliers.
fn network_section(list: Option<&Value>, declared: &[Declared], observable: bool) -> Value {
    let mut observed = Vec::new();
    let mut undeclared: Vec<String> = Vec::new();
    let mut undetermined = 0u64;
    for n in list.and_then(Value::as_array).into_iter().flatten() {
        let asn = n.get("asn").and_then(Value::as_u64);
        let org = n.get("as_org").and_then(Value::as_str);
        if asn.is_none() && org.is_none() {
            undetermined += 1;
        }
        let ok = declared.iter().any(|d| {
            asn.is_some_and(|a| d.asns.contains(&a))
                || org.is_some_and(|o| name_matches(&d.name, o))
        });
        if !ok && (asn.is_some() || org.is_some()) {
            let label = match (org, asn) {
                (Some(o), Some(a)) => format!("{o} (AS{a})"),
                (Some(o), None) => o.to_owned(),
                (None, Some(a)) => format!("AS{a}"),
                (None, None) => String::new(),
            };
            push_unique(&mut undeclared, &label);
        }
        observed.push(json!({
            "host": n.get("host"), "address": n.get("address"), "asn": asn, "as_org": org,
            "declared": ok,
        }));
    }
    let any = observed.len() as u64 > undetermined;
    json!({
        "declared": declared.iter().map(|d| json!({"name": d.name, "asns": d.asns})).collect::<Vec<_>>(),
        "observed": observed,
        "undeclared": undeclared,
        "undetermined": undetermined,
        "status": status(observable, any && undetermined == 0, &undeclared),
    })
}

/// The countries an address verdict (`geo.residency`) places an address in: the declared
/// country when in-country; otherwise the other countries the sources give, else the
/// country the databases locate its network in (`located`, from the jurisdiction entries).
fn countries_of(a: &Value, located: &[(String, String)]) -> Vec<String> {
    let declared = a.get("declared_country").and_then(Value::as_str);
    match a.get("status").and_then(Value::as_str) {
        Some("in-country") => declared.map(|d| vec![d.to_owned()]).unwrap_or_default(),
        Some("out-of-country") | Some("conflicting") => {
            let other = strings(a.get("other_countries"));
            if !other.is_empty() {
                return other;
            }
            let address = a.get("address").and_then(Value::as_str).unwrap_or_default();
            located
                .iter()
                .filter(|(addr, c)| addr == address && Some(c.as_str()) != declared)
                .map(|(_, c)| c.clone())
                .take(1)
                .collect()
        }
        _ => Vec::new(),
    }
}

fn location(doc: &Value, content: &Value) -> Value {
    let service = content.get("service");
    let mut declared = strings(service.and_then(|s| s.get("serving_countries")));
    if declared.is_empty() {
        declared = strings(service.and_then(|s| s.get("storage_countries")));
    }
    let geo = observation(doc, "geo.residency");
    let residency = geo.and_then(|g| g.get("residency"));
    let located: Vec<(String, String)> = ["/jurisdiction/networks", "/jurisdiction/dns_operators"]
        .iter()
        .filter_map(|p| geo.and_then(|g| g.pointer(p)).and_then(Value::as_array))
        .flatten()
        .filter_map(|n| {
            Some((
                n.get("address")?.as_str()?.to_owned(),
                n.get("located_country")?.as_str()?.to_owned(),
            ))
        })
        .collect();
    let mut observed = Vec::new();
    let mut undeclared: Vec<String> = Vec::new();
    let mut undetermined = 0u64;
    let host = doc
        .pointer("/target/host")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut add = |kind: &str, host: &str, a: &Value| {
        let countries = countries_of(a, &located);
        if countries.is_empty() {
            undetermined += 1;
        }
        for c in &countries {
            if !declared.contains(c) {
                push_unique(&mut undeclared, c);
            }
        }
        observed.push(json!({
            "kind": kind, "host": host, "address": a.get("address"),
            "status": a.get("status"), "countries": countries,
        }));
    };
    for a in residency
        .and_then(|r| r.get("addresses"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        add("serving", host, a);
    }
    for ns in residency
        .and_then(|r| r.get("name_servers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = ns.get("name").and_then(Value::as_str).unwrap_or_default();
        for a in ns
            .get("addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            add("name-server", name, a);
        }
    }
    undeclared.sort();
    let any = !observed.is_empty();
    let st = status(geo.is_some(), any && undetermined == 0, &undeclared);
    json!({
        "declared": declared,
        "storage_countries": strings(service.and_then(|s| s.get("storage_countries"))),
        "regions": strings(service.and_then(|s| s.get("regions"))),
        "observed": observed,
        "undeclared": undeclared,
        "undetermined": undetermined,
        "status": st,
    })
}

/// The network path (`route.trace`) from a vantage in a declared serving country to each
/// serving address placed in one: every country a router on it is placed in should be a
/// declared serving country. Paths that start or end elsewhere are shown and not judged; a
/// path with a silent hop, an unplaced router or an unreached destination cannot agree.
fn path(doc: &Value, content: &Value) -> Value {
    let service = content.get("service");
    let mut declared = strings(service.and_then(|s| s.get("serving_countries")));
    if declared.is_empty() {
        declared = strings(service.and_then(|s| s.get("storage_countries")));
    }
    let route = observation(doc, "route.trace");
    let mut observed = Vec::new();
    let mut undeclared: Vec<String> = Vec::new();
    let mut judged = 0u64;
    let mut undetermined = 0u64;
    for p in route
        .and_then(|r| r.get("paths"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let countries = strings(p.get("countries"));
        let inside = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .is_some_and(|c| declared.iter().any(|d| d == c))
        };
        let applies = p.get("error").is_none_or(Value::is_null)
            && inside("origin_country")
            && inside("destination_country");
        if applies {
            judged += 1;
            for c in &countries {
                if !declared.contains(c) {
                    push_unique(&mut undeclared, c);
                }
            }
            let complete = p.get("reached").and_then(Value::as_bool) == Some(true)
                && p.get("silent_hops").and_then(Value::as_u64) == Some(0)
                && p.get("unplaced_responders").and_then(Value::as_u64) == Some(0);
            if !complete {
                undetermined += 1;
            }
        }
        observed.push(json!({
            "destination": p.get("destination"),
            "origin_country": p.get("origin_country"),
            "destination_country": p.get("destination_country"),
            "countries": countries,
            "reached": p.get("reached"),
            "judged": applies,
        }));
    }
    undeclared.sort();
    json!({
        "declared": declared,
        "observed": observed,
        "undeclared": undeclared,
        "undetermined": undetermined,
        "status": status(route.is_some(), judged > 0 && undetermined == 0, &undeclared),
    })
}

/// The leaf certificates of every chain `x509.chain` analysed.
fn leaves(x509: Option<&Value>) -> Vec<&Value> {
    x509.and_then(|x| x.get("chains"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("certificates")?.as_array()?.first()?.get("details"))
        .filter(|d| !d.is_null())
        .collect()
}

/// The issuer organisation of a leaf, else the issuer's CN from its DN.
fn issuer_name(leaf: &Value) -> Option<String> {
    if let Some(o) = leaf.get("issuer_organization").and_then(Value::as_str) {
        return Some(o.to_owned());
    }
    let dn = leaf.get("issuer").and_then(Value::as_str)?;
    dn.split(',')
        .find_map(|p| p.trim().strip_prefix("CN="))
        .map(str::to_owned)
}

fn cas(doc: &Value, content: &Value) -> Value {
    let declared = suppliers(content, "ca");
    let x509 = observation(doc, "x509.chain");
    let mut observed: Vec<String> = Vec::new();
    for leaf in leaves(x509) {
        if let Some(n) = issuer_name(leaf) {
            push_unique(&mut observed, &n);
        }
    }
    let undeclared: Vec<String> = observed
        .iter()
        .filter(|o| !declared.iter().any(|d| name_matches(&d.name, o)))
        .cloned()
        .collect();
    json!({
        "declared": declared.iter().map(|d| d.name.clone()).collect::<Vec<_>>(),
        "observed": observed,
        "undeclared": undeclared,
        "status": status(x509.is_some(), !observed.is_empty(), &undeclared),
    })
}

fn cdns(doc: &Value, content: &Value) -> Value {
    let declared = subprocessors(content, &["cdn"]);
    let geo = observation(doc, "geo.residency");
    let mut observed = Vec::new();
    let mut undeclared: Vec<String> = Vec::new();
    for c in geo
        .and_then(|g| g.pointer("/jurisdiction/cdns"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = c.get("cdn").and_then(Value::as_str).unwrap_or_default();
        let ok = declared.iter().any(|d| name_matches(&d.name, name));
        if !ok {
            push_unique(&mut undeclared, name);
        }
        observed.push(
            json!({"cdn": name, "via": c.get("via"), "matched": c.get("matched"), "declared": ok}),
        );
    }
    // No CDN seen (geo looked at every CNAME target and ASN) is an observation too.
    let st = if !undeclared.is_empty() {
        CONTRADICT
    } else if geo.is_some() {
        AGREE
    } else {
        NOT_OBSERVED
    };
    json!({
        "declared": declared.iter().map(|d| d.name.clone()).collect::<Vec<_>>(),
        "observed": observed,
        "undeclared": undeclared,
        "status": st,
    })
}

fn vendor_section(doc: &Value, content: &Value) -> Value {
    let table = vendors::table();
    let mut names: Vec<String> = Vec::new();
    for key in ["vendor", "subprocessor", "ca", "dns_operator", "network"] {
        for s in content
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(n) = s.get("name").and_then(Value::as_str) {
                push_unique(&mut names, n);
            }
        }
    }
    let mut seen: Vec<(String, String, String)> = Vec::new(); // (field, value) pairs to match
    let http = observation(doc, "http.headers");
    for h in http
        .and_then(|o| o.pointer("/response/headers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(n), Some(v)) = (
            h.get("name").and_then(Value::as_str),
            h.get("value").and_then(Value::as_str),
        ) {
            seen.push(("http.headers".into(), n.to_ascii_lowercase(), v.to_owned()));
        }
    }
    // The probe also keeps the banners apart (older records may list no headers).
    for (field, key) in [("server", "server"), ("x-powered-by", "x_powered_by")] {
        if let Some(v) = http
            .and_then(|o| o.get("response"))
            .and_then(|r| r.get(key))
            .and_then(Value::as_str)
        {
            let t = ("http.headers".to_owned(), field.to_owned(), v.to_owned());
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
    }
    let x509 = observation(doc, "x509.chain");
    for leaf in leaves(x509) {
        if let Some(o) = leaf.get("issuer_organization").and_then(Value::as_str) {
            seen.push(("x509.chain".into(), "issuer".into(), o.to_owned()));
        }
    }
    let geo = observation(doc, "geo.residency");
    for n in geo
        .and_then(|g| g.pointer("/jurisdiction/networks"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(o) = n.get("as_org").and_then(Value::as_str) {
            let t = (
                "geo.residency".to_owned(),
                "as-org".to_owned(),
                o.to_owned(),
            );
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
    }
    // The JARM fingerprint (`tls.scan --jarm`); all zeros is no answer, identifying nothing.
    let tls = observation(doc, "tls.scan");
    if let Some(fp) = tls
        .and_then(|t| t.pointer("/jarm/fingerprint"))
        .and_then(Value::as_str)
        .filter(|fp| !fp.is_empty() && fp.bytes().any(|b| b != b'0'))
    {
        seen.push(("tls.scan".into(), "jarm".into(), fp.to_owned()));
    }
    let mut observed = Vec::new();
    let mut undeclared: Vec<String> = Vec::new();
    let mut rows_seen: Vec<String> = Vec::new();
    for (probe, field, value) in &seen {
        for row in vendors::identify(table, field, value) {
            let key = format!("{}\u{0}{value}", row.id);
            if rows_seen.contains(&key) {
                continue;
            }
            rows_seen.push(key);
            let ok = names.iter().any(|n| name_matches(n, &row.vendor));
            if !ok {
                push_unique(&mut undeclared, &row.vendor);
            }
            observed.push(json!({
                "vendor": row.vendor, "country": row.country, "product": row.product,
                "row": row.id, "field": field, "value": value, "probe": probe,
                "source": row.source, "declared": ok,
            }));
        }
    }
    let observable = http.is_some() || x509.is_some() || geo.is_some() || tls.is_some();
    json!({
        "declared": content.get("vendor").cloned().unwrap_or(Value::Array(Vec::new())),
        "observed": observed,
        "undeclared": undeclared,
        "status": status(observable, !observed.is_empty(), &undeclared),
    })
}

/// Whether `name` is covered by a declared endpoint (`*.NAME` covers one label below NAME).
fn covered(name: &str, endpoints: &[String]) -> bool {
    endpoints.iter().any(|e| {
        e == name
            || e.strip_prefix("*.").is_some_and(|parent| {
                name.split_once('.')
                    .is_some_and(|(first, rest)| rest == parent && first != "*")
            })
    })
}

fn names(doc: &Value, content: &Value, catalog_names: &[String]) -> Value {
    let service = content.get("service");
    let domains = strings(service.and_then(|s| s.get("domains")));
    let endpoints = strings(service.and_then(|s| s.get("endpoints")));
    let x509 = observation(doc, "x509.chain");
    let mut observed: Vec<String> = Vec::new();
    for leaf in leaves(x509) {
        for n in strings(leaf.pointer("/san/dns")) {
            push_unique(&mut observed, &n.trim_end_matches('.').to_ascii_lowercase());
        }
    }
    let under = |n: &str| {
        domains
            .iter()
            .any(|d| n == d || n.ends_with(&format!(".{d}")))
    };
    let undeclared: Vec<String> = observed
        .iter()
        .filter(|n| under(n))
        .filter(|n| !catalog_names.iter().any(|c| c == *n) && !covered(n, &endpoints))
        .cloned()
        .collect();
    let st = if !undeclared.is_empty() {
        CONTRADICT
    } else if x509.is_some() && !domains.is_empty() && !observed.is_empty() {
        AGREE
    } else {
        NOT_OBSERVED
    };
    json!({
        "domains": domains,
        "declared": endpoints,
        "catalog": catalog_names,
        "observed": observed,
        "undeclared": undeclared,
        "status": st,
    })
}

/// The declared-vs-observed view of one target's evidence document (see the module docs).
/// `{"declared": false}` when its provider has no declaration.
pub fn view(doc: &Value) -> Value {
    let Some(record) = doc
        .pointer("/provider/declaration")
        .filter(|r| r.is_object())
    else {
        return json!({ "declared": false });
    };
    let content = record.get("content").unwrap_or(&Value::Null);
    let catalog_names = strings(record.get("catalog_names"));
    let dns_declared: Vec<Declared> = suppliers(content, "dns_operator")
        .into_iter()
        .chain(subprocessors(content, &["dns"]))
        .collect();
    let net_declared: Vec<Declared> = suppliers(content, "network")
        .into_iter()
        .chain(subprocessors(content, &["hosting", "network", "cdn"]))
        .collect();
    let geo = observation(doc, "geo.residency");
    json!({
        "declared": true,
        "file": record.get("file"),
        "sha256": record.get("sha256"),
        "issued": content.get("issued"),
        "signature": record.get("signature"),
        "location": location(doc, content),
        "cas": cas(doc, content),
        "dns_operators": network_section(
            geo.and_then(|g| g.pointer("/jurisdiction/dns_operators")),
            &dns_declared,
            geo.is_some(),
        ),
        "networks": network_section(
            geo.and_then(|g| g.pointer("/jurisdiction/networks")),
            &net_declared,
            geo.is_some(),
        ),
        "cdns": cdns(doc, content),
        "vendors": vendor_section(doc, content),
        "names": names(doc, content, &catalog_names),
        "path": path(doc, content),
        "unobservable": {
            "ownership": content.get("ownership").cloned().unwrap_or(Value::Null),
            "personnel": content.get("personnel").cloned().unwrap_or(Value::Null),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_on_whole_words() {
        assert!(name_matches("DigiCert", "DigiCert Inc"));
        assert!(name_matches("Let's Encrypt", "Let's Encrypt"));
        assert!(name_matches("kensa lab", "kensa Lab"));
        assert!(!name_matches("Digi", "DigiCert Inc"));
        assert!(!name_matches("", "x"));
        assert!(name_matches("Amazon Web Services", "Amazon"));
    }

    #[test]
    fn wildcard_endpoints_cover_one_label() {
        let e = vec![
            "*.api.acme.example".to_owned(),
            "www.acme.example".to_owned(),
        ];
        assert!(covered("eu.api.acme.example", &e));
        assert!(!covered("a.eu.api.acme.example", &e));
        assert!(!covered("*.api.acme.example", &["x".to_owned()]));
        assert!(covered("www.acme.example", &e));
        assert!(!covered("admin.acme.example", &e));
    }

    #[test]
    fn the_path_agrees_only_when_every_router_is_in_a_declared_country() {
        let content = json!({"service": {"serving_countries": ["JP"]}});
        let doc = |paths: Value| {
            json!({"probes": {"route.trace": {"outcome": "success",
                "observation": {"paths": paths}}}})
        };
        let p = |countries: Value, origin: &str, dest: &str, silent: u64| {
            json!({"destination": "192.0.2.1", "reached": true, "error": null,
                "countries": countries, "origin_country": origin, "destination_country": dest,
                "silent_hops": silent, "unplaced_responders": 0})
        };
        let abroad = path(
            &doc(json!([p(json!(["JP", "US"]), "JP", "JP", 0)])),
            &content,
        );
        assert_eq!(abroad["status"], CONTRADICT);
        assert_eq!(abroad["undeclared"], json!(["US"]));
        let home = path(&doc(json!([p(json!(["JP"]), "JP", "JP", 0)])), &content);
        assert_eq!(home["status"], AGREE);
        // A silent hop could be anywhere.
        let silent = path(&doc(json!([p(json!(["JP"]), "JP", "JP", 1)])), &content);
        assert_eq!(silent["status"], NOT_OBSERVED);
        // A vantage abroad: the path is shown, not judged.
        let away = path(
            &doc(json!([p(json!(["DE", "JP"]), "DE", "JP", 0)])),
            &content,
        );
        assert_eq!(away["status"], NOT_OBSERVED);
        assert_eq!(away["observed"][0]["judged"], false);
        // No trace at all.
        assert_eq!(path(&json!({}), &content)["status"], NOT_OBSERVED);
    }

    #[test]
    fn a_jarm_fingerprint_in_the_vendor_file_names_its_vendor() {
        const GOOGLE: &str = "27d40d40d29d40d1dc42d43d00041d4689ee210389f4f6b4b5b1b93f92252d";
        let doc = |fp: &str| {
            json!({"probes": {"tls.scan": {"outcome": "success",
                "observation": {"jarm": {"fingerprint": fp, "raw": [], "connections": 10}}}}})
        };
        let undeclared = json!({"vendor": [{"name": "F5", "country": "US", "kind": "software"}]});
        let v = vendor_section(&doc(GOOGLE), &undeclared);
        assert_eq!(v["status"], CONTRADICT);
        assert_eq!(v["undeclared"], json!(["Google"]));
        let o = &v["observed"][0];
        assert_eq!(
            (&o["row"], &o["field"], &o["probe"], &o["value"]),
            (
                &json!("jarm-google"),
                &json!("jarm"),
                &json!("tls.scan"),
                &json!(GOOGLE)
            )
        );
        let declared = json!({"vendor": [{"name": "Google", "country": "US", "kind": "service"}]});
        assert_eq!(vendor_section(&doc(GOOGLE), &declared)["status"], AGREE);
        // An unknown fingerprint, or all zeros (no server hello), identifies nothing.
        for fp in [&"1".repeat(62), &"0".repeat(62)] {
            let v = vendor_section(&doc(fp), &undeclared);
            assert_eq!(v["status"], NOT_OBSERVED, "{fp}");
            assert_eq!(v["observed"], json!([]));
        }
        // A scan that did not succeed is not read.
        let mut failed = doc(GOOGLE);
        failed["probes"]["tls.scan"]["outcome"] = json!("error");
        assert_eq!(vendor_section(&failed, &undeclared)["status"], NOT_OBSERVED);
    }

    #[test]
    fn every_decl_control_is_mapped_to_the_part_it_reads() {
        let lib = crate::assess::profile::Library::builtin().unwrap();
        let decl: Vec<_> = lib
            .controls()
            .values()
            .filter(|c| c.id.starts_with("DECL-"))
            .collect();
        assert!(decl.len() >= 13, "{} DECL controls", decl.len());
        for c in decl {
            let section = section_of_control(&c.id)
                .unwrap_or_else(|| panic!("{} is in no part of SECTION_CONTROLS", c.id));
            assert!(
                c.rule.contains(&format!("decl.{section}.")),
                "{} is listed under {section} but its rule does not read decl.{section}",
                c.id
            );
        }
        assert_eq!(section_of_control("TLS-VER-001"), None);
    }

    #[test]
    fn no_declaration_gives_a_bare_view() {
        assert_eq!(
            view(&json!({"provider": {"id": "x"}})),
            json!({"declared": false})
        );
    }
}

//! `kensa report`: snapshots of every format over a small fixture run, the JSON report
//! against its published schema, the HTML's self-containment and links, escaping of hostile
//! strings from the network, CSV quoting, SARIF shape, and the command line.

mod common;
mod report_common;

use std::collections::BTreeSet;
use std::path::Path;

use kensa::report::{self, Format};
use report_common::{Hostile, NOW, write_run};
use serde_json::Value;

fn render(run: &Path, format: Format) -> String {
    report::render_at(run, &[], format, NOW).unwrap()
}

/// Snapshot settings: the temporary run path and the evidence hashes (which change with any
/// change of the evidence format) are redacted; times are fixed by the fixture and `NOW`.
fn settings(run: &Path) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    let ev = run.join("evidence.jsonl").display().to_string();
    s.add_filter(&regex_escape(&ev), "[RUN]/evidence.jsonl");
    s.add_filter("[0-9a-f]{64}", "[hash]");
    s
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[test]
fn snapshots_of_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let s = settings(&run);
    s.bind(|| {
        insta::assert_snapshot!("report_md", render(&run, Format::Md));
        // The assessment part is `kensa assess --format json`'s (snapshotted there, and
        // checked against the schema below): only its head is kept here.
        let json: Value = serde_json::from_str(&render(&run, Format::Json)).unwrap();
        insta::assert_json_snapshot!("report_json", json, {
            ".assessment.providers[].profiles" => "[profiles: as kensa assess]",
        });
        insta::assert_snapshot!("report_csv", render(&run, Format::Csv));
        insta::assert_snapshot!("report_sarif", render(&run, Format::Sarif));
        insta::assert_snapshot!("report_html", render(&run, Format::Html));
    });
}

fn schema() -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn json_report_validates_against_the_published_schema() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let v: Value = serde_json::from_str(&render(&run, Format::Json)).unwrap();
    let validator = jsonschema::draft202012::new(&schema()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The schema is strict enough to notice a broken report.
    let mut broken = v.clone();
    broken["tables"]["findings"][0]
        .as_object_mut()
        .unwrap()
        .remove("anchor");
    assert!(!validator.is_valid(&broken));
    let mut broken = v.clone();
    broken["tables"]["matrix"][0]["rows"][0]["cells"][0]["outcome"] = "passed".into();
    assert!(!validator.is_valid(&broken));
    let mut broken = v;
    broken["tables"]["latency"][0]["median_us"] = (-1).into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn tables_hold_the_evidence_values() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let r = report::build(&run, &[], NOW).unwrap();
    let t = &r.tables;
    // Providers: default profiles are the three levels plus each applies_for.
    let acme = t.providers.iter().find(|p| p.id == "acme").unwrap();
    let badges: Vec<&str> = acme.badges.iter().map(|b| b.profile.as_str()).collect();
    assert_eq!(badges, ["kensa-level-1", "kensa-level-2", "kensa-level-3"]);
    let old = t.providers.iter().find(|p| p.id == "oldco").unwrap();
    assert_eq!(old.badges.len(), 4);
    assert_eq!(old.badges[3].profile, "mozilla-intermediate");
    assert_eq!(old.grade.as_deref(), Some("none"));
    assert!(old.fails_applies_for);
    // Latency: nearest-rank statistics of the samples.
    let l = &t.latency[0];
    assert_eq!(
        (
            l.address.as_str(),
            l.min_us,
            l.median_us,
            l.p90_us,
            l.max_us
        ),
        ("192.0.2.10", Some(1100), Some(1250), Some(2900), Some(2900))
    );
    assert_eq!((t.latency[1].samples, t.latency[1].failures), (4, 1));
    // The API target's latency probe timed out: no row for it.
    assert!(!t.latency.iter().any(|l| l.target.contains("api.")));
    // Certificates: days left from NOW (2026-11-22).
    let days: Vec<(String, Option<i64>)> = t
        .certificates
        .iter()
        .map(|c| (c.target.clone(), c.days_left))
        .collect();
    assert_eq!(
        days,
        [
            ("acme/www.acme.test:443".to_owned(), Some(38)),
            ("acme/api.acme.test:443".to_owned(), Some(160)),
            ("oldco/legacy.oldco.test:443".to_owned(), Some(-30)),
        ]
    );
    // Residency: a row per serving and name-server address, with each source's country.
    let us = t
        .residency
        .iter()
        .find(|r| r.address == "198.51.100.7")
        .unwrap();
    assert_eq!(us.status, "out-of-country");
    assert_eq!(us.other_countries, ["US"]);
    let db = us
        .sources
        .iter()
        .find(|s| s.source.starts_with("db:"))
        .unwrap();
    assert_eq!(db.country.as_deref(), Some("US"));
    let range = us
        .sources
        .iter()
        .find(|s| s.source.starts_with("range:"))
        .unwrap();
    assert_eq!(range.source, "range:oldco-geofeed.csv#line 3");
    assert!(
        t.residency
            .iter()
            .any(|r| r.role == "name-server ns1.acme.test.")
    );
    // Every matrix cell names an existing finding with the same outcome.
    for m in &t.matrix {
        for row in &m.rows {
            assert_eq!(row.cells.len(), m.columns.len());
            for (cell, col) in row.cells.iter().zip(&m.columns) {
                let Some(c) = cell else { continue };
                let f = t.findings.iter().find(|f| f.anchor == c.finding).unwrap();
                assert_eq!(
                    (&f.control, &f.target, &f.profile, f.outcome),
                    (&row.control, &col.target, &m.profile, c.outcome)
                );
            }
        }
    }
    // A finding's records name real lines of evidence.jsonl, with their hashes.
    let raw = std::fs::read_to_string(run.join("evidence.jsonl")).unwrap();
    let lines: Vec<Value> = raw
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut checked = 0;
    for f in &t.findings {
        for rec in &f.records {
            let line = &lines[rec.seq as usize];
            assert_eq!(line["hash"], rec.hash.as_str());
            assert_eq!(line["data"]["probe"], rec.probe.as_str());
            assert_eq!(line["data"]["target"]["id"], f.target.as_str());
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

/// Every `href="#x"` of the page has an element with `id="x"`.
fn dangling_links(html: &str) -> Vec<String> {
    let ids: BTreeSet<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    html.split("href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| !ids.contains(h))
        .map(str::to_owned)
        .collect()
}

#[test]
fn html_is_self_contained_and_links_every_finding() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let html = render(&run, Format::Html);
    let r = report::build(&run, &[], NOW).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; \
         style-src &#39;unsafe-inline&#39;; img-src data:\">"
    ));
    let lower = html.to_lowercase();
    for banned in [
        "<script",
        "<link",
        "<iframe",
        "<img",
        "src=\"http",
        "url(",
        "@import",
    ] {
        assert!(!lower.contains(banned), "{banned}");
    }
    // Only in-page links.
    assert_eq!(
        lower.matches("href=\"").count(),
        lower.matches("href=\"#").count()
    );
    assert_eq!(dangling_links(&html), Vec::<String>::new());
    // Each finding has its appendix entry, linked from the matrix.
    for f in &r.tables.findings {
        assert!(
            html.contains(&format!("id=\"{}\"", f.anchor)),
            "{}",
            f.anchor
        );
    }
    let linked = html.matches("<td class=\"").count();
    assert!(linked >= r.tables.findings.len(), "{linked}");
    // Provider summaries, badges, charts.
    for name in ["Acme Cloud", "OldCo Hosting"] {
        assert!(html.contains(&format!("<h3>{name} <small")), "{name}");
    }
    assert!(
        html.contains("<b>kensa-level-1</b>") || html.contains("kensa-level-1 1.0.0: <b>pass</b>")
    );
    assert!(html.contains("mozilla-intermediate 6.0+kensa.2: <b>fail</b>"));
    assert_eq!(html.matches("aria-label=\"connect latency\"").count(), 2);
    // One certificate timeline per provider, in its section.
    assert_eq!(
        html.matches("aria-label=\"certificate expiry timeline\"")
            .count(),
        2
    );
    assert!(html.contains("today 2026-11-22"));
    assert!(html.contains("<rect class=\"expired\""));
    assert!(html.contains("db:fixture-country.mmdb: <b>US</b>"));
}

/// Issue 23 (reading the results) and issue 21 (a report at scale): the summary comes first,
/// failures come first in the appendix, control titles are visible text (with the parameter
/// values in force), provider cards name the failing controls, the evidence path is
/// absolute, there is a print stylesheet, and the details are per provider in `<details>`.
#[test]
fn html_summary_first_failures_first_titles_visible_issue_23() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let html = render(&run, Format::Html);
    let pos = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in the page"))
    };
    // The summary is the first section, before the providers and the controls.
    assert!(pos("<section id=\"summary\">") < pos("<section id=\"providers\">"));
    assert!(pos("<section id=\"providers\">") < pos("<section id=\"matrix\">"));
    assert!(html.contains("<b>2</b> fail the profile they apply for"));
    // Titles are text in the tables, not only tooltips, with the values in force.
    assert!(html.contains("<td>HSTS with max-age of at least 31536000 s</td>"));
    for raw in ["least params.", "most params.", "(params."] {
        assert!(!html.contains(raw), "a raw placeholder is shown: {raw}");
    }
    assert!(!html.contains("<th class=\"ctl\" title="));
    // The card of a failing provider lists its failing controls.
    let card = &html[pos("id=\"provider-oldco\"")..];
    let card = &card[..card.find("</div>\n</div>").unwrap_or(card.len())];
    assert!(card.contains("failing controls"), "{card}");
    assert!(card.contains("MOZ-PROTO-001</span> Only the configuration&#39;s TLS versions (TLSv1.2, TLSv1.3) are offered"), "{card}");
    // The evidence path is absolute.
    let ev = run.join("evidence.jsonl");
    assert!(ev.is_absolute());
    assert!(html.contains(&format!("evidence <code>{}</code>", ev.display())));
    // A print stylesheet.
    assert!(html.contains("@media print{"));
    // Per-provider sections with collapsible details.
    assert!(html.contains("<section class=\"provider\" id=\"p-oldco\">"));
    assert!(html.matches("<details class=\"part\"").count() >= 10);
    // In each provider's appendix, every failure comes before every pass.
    let appendix = &html[pos("<section id=\"evidence\">")..];
    for part in appendix.split("<h3>").skip(1) {
        let last_fail = part.rfind("class=\"finding o-fail\"");
        let first_pass = part.find("class=\"finding o-pass\"");
        if let (Some(f), Some(p)) = (last_fail, first_pass) {
            assert!(f < p, "a pass before a failure in the appendix");
        }
    }
    // Passes are in the collapsed part.
    let passes = &appendix[appendix.find("<details class=\"part passes\">").unwrap()..];
    assert!(passes.contains("class=\"finding o-pass\""));
}

/// Issue 23: a control whose citation was not checked carries its caveat beside its findings
/// in every format.
#[test]
fn unchecked_citations_show_their_caveat_next_to_the_finding_issue_23() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let profiles = ["ncsc-nl-2025".to_owned()];
    let r = report::build(&run, &profiles, NOW).unwrap();
    let f = r
        .tables
        .findings
        .iter()
        .find(|f| f.control == "NCSC-VER-001")
        .expect("an NCSC-VER-001 finding");
    let caveat = f.caveat.as_deref().expect("NCSC-VER-001 is provisional");
    assert!(
        caveat.contains("not checked against the guideline's text"),
        "{caveat}"
    );
    let html = report::render_report(&r, Format::Html).unwrap();
    assert!(
        html.contains("<p class=\"caveat\">citation not checked against the standard&#39;s text")
    );
    let md = report::render_report(&r, Format::Md).unwrap();
    assert!(md.contains("- caveat: citation not checked"));
    let csv = report::render_report(&r, Format::Csv).unwrap();
    assert!(csv.contains("caveat: citation not checked"));
    let sarif = report::render_report(&r, Format::Sarif).unwrap();
    assert!(sarif.contains("\"caveat\": \"citation not checked"));
    let json = report::render_report(&r, Format::Json).unwrap();
    assert!(json.contains("\"caveat\": \"citation not checked"));
    // A control whose citation was checked has none.
    let checked = r
        .tables
        .findings
        .iter()
        .find(|f| f.control.starts_with("TLS-PROTO"));
    assert!(checked.is_none_or(|f| f.caveat.is_none()));
}

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

#[test]
fn strings_from_the_network_render_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = Hostile {
        cn: SCRIPT.to_owned(),
        dns: IMG.to_owned(),
        header: format!("{SCRIPT}, {IMG} | *x* [l](javascript:alert(1))"),
    };
    let run = write_run(dir.path(), Some(&hostile));
    let html = render(&run, Format::Html);
    assert!(html.contains("CN=&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains(SCRIPT), "raw script in the HTML");
    assert!(!html.contains(IMG), "raw img in the HTML");
    assert!(!html.to_lowercase().contains("<script"));
    assert!(!html.to_lowercase().contains("<img"));
    // Every `onerror` is inside the escaped text, none in a live tag or attribute.
    assert!(html.matches("onerror").count() > 0);
    assert_eq!(
        html.matches("onerror").count(),
        html.matches("&lt;img src=x onerror=alert(1)&gt;").count()
    );
    // The header is shown (endpoints table) and escaped.
    assert!(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;, &quot;&gt;&lt;img"));
    let md = render(&run, Format::Md);
    assert!(
        md.contains("CN=&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        "{md}"
    );
    assert!(md.contains("\"&gt;&lt;img src=x onerror=alert\\(1\\)&gt;"));
    assert!(md.contains("\\| \\*x\\* \\[l\\]\\(javascript:alert\\(1\\)\\)"));
    assert!(!md.contains(SCRIPT));
    assert!(!md.contains(IMG));
    assert!(!md.contains("<script"));
    assert!(!md.contains("<img"));
    // Table rows keep their column count: a `|` from the network does not split a cell.
    for line in md.lines().filter(|l| l.starts_with("| acme |")) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 7, "{line}");
    }
}

/// A small RFC 4180 parser: fields, quoted fields with doubled quotes, CRLF records.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
        } else {
            match c {
                '"' if field.is_empty() => quoted = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\r' => {
                    assert_eq!(chars.next(), Some('\n'), "CR without LF");
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                '\n' => panic!("bare LF ends a record"),
                c => field.push(c),
            }
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "last record has no CRLF"
    );
    rows
}

#[test]
fn csv_has_one_rfc4180_row_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = Hostile {
        cn: "a,b".to_owned(),
        dns: "x\"y".to_owned(),
        header: "max-age=1, \"quoted\"\r\nnext".to_owned(),
    };
    let run = write_run(dir.path(), Some(&hostile));
    let r = report::build(&run, &[], NOW).unwrap();
    let rows = parse_csv(&render(&run, Format::Csv));
    assert_eq!(
        rows[0],
        [
            "provider",
            "target",
            "profile",
            "control",
            "outcome",
            "severity",
            "evidence_seq",
            "evidence_hash",
            "detail",
            "section"
        ]
    );
    assert_eq!(rows.len(), r.tables.findings.len() + 1);
    for (row, f) in rows[1..].iter().zip(&r.tables.findings) {
        assert_eq!(row.len(), 10, "{row:?}");
        // No declaration in this run: every row is of the observed controls (issue 20).
        assert_eq!(row[9], "findings");
        assert_eq!(row[1], f.target);
        assert_eq!(row[3], f.control);
        assert_eq!(row[4], f.outcome.as_str());
        let seqs: Vec<String> = f.records.iter().map(|r| r.seq.to_string()).collect();
        assert_eq!(row[6], seqs.join(";"));
    }
    // The HSTS header's quotes, comma and line break survive quoting (CERT-NAME-001 and the
    // HSTS control record them).
    let hsts = rows
        .iter()
        .find(|r| r[3] == "HTTP-HSTS-001" && r[1] == "acme/www.acme.test:443")
        .unwrap();
    assert!(
        hsts[8].contains("max-age=1, \\\"quoted\\\"\\r\\nnext"),
        "{}",
        hsts[8]
    );
    let name = rows
        .iter()
        .find(|r| r[3] == "CERT-NAME-001" && r[1] == "acme/www.acme.test:443")
        .unwrap();
    assert!(name[8].contains("x\\\"y"), "{}", name[8]);
}

#[test]
fn sarif_has_a_result_per_failed_or_inconclusive_finding() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let r = report::build(&run, &[], NOW).unwrap();
    let v: Value = serde_json::from_str(&render(&run, Format::Sarif)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "kensa");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    // One result per (target, control, outcome) that failed or was inconclusive.
    let expected: BTreeSet<(String, String, &str)> = r
        .tables
        .findings
        .iter()
        .filter(|f| f.outcome.as_str() == "fail" || f.outcome.as_str() == "inconclusive")
        .map(|f| (f.target.clone(), f.control.clone(), f.outcome.as_str()))
        .collect();
    assert_eq!(results.len(), expected.len());
    assert!(!results.is_empty());
    for res in results {
        let id = res["ruleId"].as_str().unwrap();
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], id);
        let f = r.tables.findings.iter().find(|f| f.control == id).unwrap();
        let sev = f.severity.unwrap();
        match res["kind"].as_str().unwrap() {
            "fail" => assert_eq!(res["level"], report::sarif::level(sev)),
            "review" => assert_eq!(res["level"], "none"),
            k => panic!("kind {k}"),
        }
        let loc = &res["locations"][0];
        // A finding resting on records points at the first one's line; one resting on none
        // (a probe that did not run, e.g. route.trace, off by default) has only its target.
        if res["properties"]["records"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
        {
            assert_eq!(
                loc["physicalLocation"]["artifactLocation"]["uri"],
                "evidence.jsonl"
            );
            assert!(
                loc["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap()
                    >= 2
            );
        } else {
            assert!(loc["physicalLocation"].is_null(), "{res}");
        }
        assert!(loc["logicalLocations"][0]["fullyQualifiedName"].is_string());
    }
    // The API's HTTP probe timed out: HSTS is to be reviewed, not failed.
    assert!(results.iter().any(|x| x["ruleId"] == "HTTP-HSTS-001"
        && x["kind"] == "review"
        && x["properties"]["target"] == "acme/api.acme.test:443"));
    // The expired certificate is an error-level failure on OldCo's target.
    assert!(results.iter().any(|x| x["ruleId"] == "CERT-VALID-001"
        && x["level"] == "error"
        && x["properties"]["target"] == "oldco/legacy.oldco.test:443"));
}

#[test]
fn cli_writes_the_report_or_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let run = write_run(dir.path(), None);
    let run_s = run.to_str().unwrap();
    let out = dir.path().join("report.html");
    let (code, stdout, err) = common::run(&["report", run_s, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(stdout, "");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Acme Cloud"));
    // Without -o: stdout. --json alone means the JSON format.
    let (code, csv, _) = common::run(&["report", run_s, "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(csv.starts_with("provider,target,profile,control,"));
    let (code, json, _) = common::run(&["--json", "report", run_s]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "kensa-report/1");
    // --json with -o: a note of what was written.
    let md = dir.path().join("report.md");
    let (code, note, _) = common::run(&[
        "--json",
        "report",
        run_s,
        "--format",
        "md",
        "-o",
        md.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let note: Value = serde_json::from_str(&note).unwrap();
    assert_eq!(note["format"], "md");
    assert_eq!(
        note["bytes"].as_u64().unwrap(),
        std::fs::metadata(&md).unwrap().len()
    );
    // Explicit profiles (plus each provider's applies_for).
    let (code, json, _) =
        common::run(&["report", run_s, "--format", "json", "--profile", "ssl-labs"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    let profiles: Vec<&str> = v["tables"]["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["profile"].as_str().unwrap())
        .collect();
    assert_eq!(
        profiles,
        ["ssl-labs", "kensa-level-2", "mozilla-intermediate"]
    );
    // Bad input: exit 2 with the cause.
    let (code, _, err) = common::run(&["report", dir.path().join("nope").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, err) = common::run(&["report", run_s, "--profile", "no-such"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown profile `no-such`"), "{err}");
    // CSV, JSON and SARIF are streamed (issue 21), to stdout or to -o alike.
    let stamp = |t: &str| {
        t.lines()
            .filter(|l| !l.starts_with("  \"generated_at\": "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for name in ["csv", "json", "sarif"] {
        let (code, printed, err) = common::run(&["report", run_s, "--format", name]);
        assert_eq!(code, 0, "{err}");
        let file = dir.path().join(format!("report.{name}"));
        let (code, _, err) = common::run(&[
            "report",
            run_s,
            "--format",
            name,
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        let written = std::fs::read_to_string(&file).unwrap();
        assert_eq!(stamp(&written), stamp(&printed), "{name}");
        assert!(written.len() > 1000 && written.ends_with('\n'), "{name}");
    }
    // A tampered run is refused, streamed or not, and leaves no file behind.
    let ev = run.join("evidence.jsonl");
    let text = std::fs::read_to_string(&ev)
        .unwrap()
        .replace("acme-edge/2.1", "acme-edge/2.2");
    std::fs::write(&ev, text).unwrap();
    let (code, _, err) = common::run(&["report", run_s]);
    assert_eq!(code, 2);
    assert!(err.contains("tampered"), "{err}");
    for name in ["csv", "json", "sarif"] {
        let file = dir.path().join(format!("tampered.{name}"));
        let (code, out, err) = common::run(&[
            "report",
            run_s,
            "--format",
            name,
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{name}");
        assert_eq!(out, "");
        assert!(err.contains("tampered"), "{name}: {err}");
        assert!(!file.exists(), "{name}");
    }
}

/// A real scan of a local `openssl s_server` (self-signed leaf) with the fixture geolocation
/// database: the report's tables read the real observation shapes of every probe.
#[test]
fn report_of_a_real_loopback_scan() {
    let Some((_server, port)) =
        common::openssl_server("self-signed.pem", None, "keys/leaf-rsa.key", &["-www"])
    else {
        eprintln!("openssl not found: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let feed = common::write(dir.path(), "feed.csv", "127.0.0.1/32,JP,JP-13,Tokyo,\n");
    let catalog = format!(
        "[[provider]]\nid = \"lab\"\nname = \"Lab Cloud\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-1\"\n[[provider.endpoint]]\nhost = \"www.good.test\"\n\
         port = {port}\naddresses = [\"127.0.0.1\"]\n"
    );
    let cat = common::write(dir.path(), "catalog.toml", &catalog);
    let geo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/geo/flat-country.mmdb");
    let out = dir.path().join("run");
    let (code, _, err) = common::run(&[
        "scan",
        cat.to_str().unwrap(),
        "--allow-private",
        "--quiet",
        "--probes",
        "latency.tcp,tls.scan,x509.chain,http.headers,geo.residency",
        "--samples",
        "3",
        "--read-timeout-ms",
        "2000",
        "--geoip",
        geo.to_str().unwrap(),
        "--ranges",
        feed.to_str().unwrap(),
        "--vantage",
        "tokyo@35.68,139.69",
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let now = time::OffsetDateTime::now_utc();
    let r = report::build(&out, &[], now).unwrap();
    let t = &r.tables;
    assert_eq!(t.providers.len(), 1);
    assert_eq!(t.providers[0].name.as_deref(), Some("Lab Cloud"));
    // latency.tcp: three samples to 127.0.0.1, ordered statistics.
    let l = &t.latency[0];
    assert_eq!((l.address.as_str(), l.samples), ("127.0.0.1", 3));
    let (mn, md, p9, mx) = (
        l.min_us.unwrap(),
        l.median_us.unwrap(),
        l.p90_us.unwrap(),
        l.max_us.unwrap(),
    );
    assert!(mn <= md && md <= p9 && p9 <= mx, "{l:?}");
    // x509.chain: the self-signed leaf, its names and validity.
    let c = &t.certificates[0];
    assert!(c.subject.contains("CN=www.good.test"), "{}", c.subject);
    assert_eq!(c.dns_names, ["www.good.test"]);
    let not_after = c.not_after.clone().unwrap();
    assert_eq!(c.days_left, report::model::days_between(now, &not_after));
    assert!(!c.chains.is_empty());
    // geo.residency: the serving address, with the feed's and the database's countries.
    let row = t.residency.iter().find(|r| r.role == "serving").unwrap();
    assert_eq!(row.address, "127.0.0.1");
    let countries: Vec<(String, Option<String>)> = row
        .sources
        .iter()
        .filter(|s| !s.source.starts_with("asn:") && s.source != "physics")
        .map(|s| (s.source.clone(), s.country.clone()))
        .collect();
    assert_eq!(
        countries,
        [
            ("range:feed.csv#line 1".to_owned(), Some("JP".to_owned())),
            ("db:flat-country.mmdb".to_owned(), Some("JP".to_owned())),
        ],
        "{:?}",
        row.sources
    );
    // tls.scan and http.headers: versions and the HTTP answer of `s_server -www`.
    let e = &t.endpoints[0];
    assert!(e.tls_versions.iter().any(|v| v == "TLSv1.3"), "{e:?}");
    assert_eq!(e.http_status, Some(200));
    // The HTML of it renders, with the failing trust control linked to its x509.chain line.
    let html = report::render_report(&r, Format::Html).unwrap();
    let trust = t
        .findings
        .iter()
        .find(|f| f.control == "CERT-TRUST-001")
        .unwrap();
    assert_eq!(trust.outcome.as_str(), "fail");
    assert!(html.contains(&format!("<a href=\"#{}\"", trust.anchor)));
    assert!(html.contains(&format!("id=\"{}\"", trust.anchor)));
    assert_eq!(dangling_links(&html), Vec::<String>::new());
}

/// Issue 21: a provider with more targets than the matrix draws (so nothing links to its
/// findings) lists at most `LIST_PROBLEMS_UP_TO_PER_PROVIDER` problems in the appendix,
/// failures first, and counts the rest; every link on the page still has its target; the
/// CSV still has every finding.
#[test]
fn html_appendix_of_a_large_provider_lists_its_first_problems_issue_21() {
    use kensa::assess::eval::Outcome;
    use kensa::report::html::{LIST_PROBLEMS_UP_TO_PER_PROVIDER, MATRIX_UP_TO_TARGETS};
    let dir = tempfile::tempdir().unwrap();
    let run = report_common::write_large_run(dir.path(), 1, MATRIX_UP_TO_TARGETS + 10);
    let model = report::build(&run, &[], NOW).unwrap();
    let problems = model
        .appendix()
        .iter()
        .filter(|g| {
            g.first()
                .is_some_and(|f| !matches!(f.outcome, Outcome::Pass | Outcome::NotApplicable))
        })
        .count();
    assert!(
        problems > LIST_PROBLEMS_UP_TO_PER_PROVIDER,
        "{problems} problems: the run must have more than the cap"
    );
    let html = report::render_report(&model, Format::Html).unwrap();
    let evidence = &html[html.find("id=\"evidence\"").unwrap()..];
    assert_eq!(
        evidence.matches("<div class=\"finding ").count(),
        LIST_PROBLEMS_UP_TO_PER_PROVIDER
    );
    assert!(evidence.contains(&format!(
        "{} more not listed here",
        problems - LIST_PROBLEMS_UP_TO_PER_PROVIDER
    )));
    // Failures first: no listed entry that is not a failure comes before a failure.
    let kinds: Vec<bool> = evidence
        .split("<div class=\"finding ")
        .skip(1)
        .map(|e| e.starts_with("o-fail"))
        .collect();
    assert!(kinds.windows(2).all(|w| w[0] || !w[1]), "failures first");
    assert!(
        dangling_links(&html).is_empty(),
        "{:?}",
        dangling_links(&html)
    );
    let csv = report::render_report(&model, Format::Csv).unwrap();
    assert_eq!(csv.lines().count(), model.tables.findings.len() + 1);
}

/// `kensa report --format csv|json|sarif` streams (issue 21): the run is read, judged and
/// written a batch of providers at a time, the tables spooled. Whatever the batch, the bytes
/// are those of the whole report: on the fixture run (hostile strings), on a synthetic run of
/// many providers (several batches, every kind of target) with the default and with every
/// built-in profile, and on the same run cut before its end (the interruption notice).
#[test]
fn streamed_reports_equal_the_whole_report_issue_21() {
    use kensa::assess::profile::Library;
    use kensa::assess::synth::{SynthSpec, write_run as synth};
    let dir = tempfile::tempdir().unwrap();
    let hostile = Hostile {
        cn: "<script>alert(1)</script>\"quoted\",comma".into(),
        dns: "evil.example\n\"x\": []".into(),
        header: "nginx \"cells\": [] \u{202e}".into(),
    };
    let fixture = write_run(dir.path(), Some(&hostile));
    let synth_dir = dir.path().join("synth");
    synth(&synth_dir, &SynthSpec::new(150, 7)).unwrap();
    let cut_dir = dir.path().join("cut");
    std::fs::create_dir(&cut_dir).unwrap();
    let text = std::fs::read_to_string(synth_dir.join("evidence.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(
        cut_dir.join("evidence.jsonl"),
        lines[..lines.len() - 40].join("\n") + "\n",
    )
    .unwrap();
    let all: Vec<String> = Library::builtin()
        .unwrap()
        .builtin_profiles()
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    let cases: [(&Path, Vec<String>); 4] = [
        (&fixture, Vec::new()),
        (&synth_dir, Vec::new()),
        (&synth_dir, all),
        (&cut_dir, Vec::new()),
    ];
    for (run, profiles) in &cases {
        let whole = report::build(run, profiles, NOW).unwrap();
        for format in [Format::Csv, Format::Json, Format::Sarif] {
            let expected = report::render_report(&whole, format).unwrap();
            for batch in [1, report::stream::BATCH_TARGETS] {
                let mut got = Vec::new();
                report::stream::write_streamed(run, profiles, format, NOW, batch, &mut got)
                    .unwrap();
                let got = String::from_utf8(got).unwrap();
                if got != expected {
                    let at = got
                        .bytes()
                        .zip(expected.bytes())
                        .position(|(a, b)| a != b)
                        .unwrap_or(got.len().min(expected.len()));
                    let from = at.saturating_sub(300);
                    panic!(
                        "{format:?} of {} ({} profiles), batch {batch}: streamed differs at \
                         byte {at}:\n--- streamed\n{}\n--- whole\n{}",
                        run.display(),
                        profiles.len(),
                        got.get(from..(at + 300).min(got.len())).unwrap_or(""),
                        expected
                            .get(from..(at + 300).min(expected.len()))
                            .unwrap_or("")
                    );
                }
            }
        }
    }
}

/// A streamed report to a pipe whose reader goes away (`kensa report … | head`) ends there,
/// with exit 0 and nothing on stderr, as every other output does on a closed pipe.
#[test]
fn a_streamed_report_to_a_closed_pipe_ends_quietly() {
    use kensa::assess::synth::{SynthSpec, write_run as synth};
    use std::io::Read as _;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    // Several MB of output in every format: far more than a pipe's buffer.
    synth(dir.path(), &SynthSpec::new(150, 7)).unwrap();
    for name in ["csv", "json", "sarif"] {
        let mut child = common::kensa()
            .args(["report", dir.path().to_str().unwrap(), "--format", name])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut head = [0u8; 16];
        stdout.read_exact(&mut head).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {err}");
        assert!(err.is_empty(), "{name}: {err}");
    }
}

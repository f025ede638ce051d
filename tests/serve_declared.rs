//! `kensa serve`'s run page shows the provider's "Declared vs observed" section (issue 20),
//! as the reports do: each statement, the declared and observed values, agree / contradict /
//! not observed, and links to the evidence records it rests on; the declared-not-verified
//! facts apart; built from the lines the store keeps (the run directory is gone). A provider
//! without a declaration has no section. The API's run (`/api/v1/providers/{p}/runs/{r}`)
//! gives the same view as JSON, with each statement's `DECL-*` verdicts.

mod serve_common;

use std::time::Duration;

use kensa::store::Store;
use serde_json::{Value, json};
use serve_common::runs::*;

async fn page(url: &str, token: &str) -> (u16, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let c = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let r = c.get(url).bearer_auth(token).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A store holding run `run-decl` of four providers: `acme` (its declaration agrees with
/// its evidence), `beta` (contradicts it), `plain` (no declaration), `gamma` (as `acme`,
/// applying for `kensa-declaration`); the run directory is removed once imported.
fn declared_store() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let decl =
        |f: &str| serde_json::from_value(fixture(f)["provider"]["declaration"].clone()).unwrap();
    let mut acme = provider("acme", "Acme Cloud", "JP", "kensa-level-1");
    acme.declaration = Some(decl("modern"));
    let mut beta = provider("beta", "Beta Hosting", "JP", "kensa-level-1");
    beta.declaration = Some(decl("legacy"));
    let plain = provider("plain", "Plain", "JP", "kensa-level-1");
    // Graded under kensa-declaration at import: its DECL-* findings are in the store.
    let mut gamma = provider("gamma", "Gamma", "JP", "kensa-declaration");
    gamma.declaration = Some(decl("modern"));
    let run = write_run(
        dir.path(),
        "run-decl",
        "2026-11-21T00:00:00.000000Z",
        &[acme, beta, plain, gamma],
        &[
            target("acme", "modern.example.test", "modern", |_| {}),
            target("beta", "legacy.example.test", "legacy", |_| {}),
            target("plain", "www.plain.test", "intermediate", |_| {}),
            target("gamma", "modern.example.test", "modern", |_| {}),
        ],
    );
    let db = dir.path().join("kensa.db");
    let mut st = Store::open(&db).unwrap();
    st.import_run(&run).unwrap();
    drop(st);
    // The section is built from the lines the store keeps, not from the run directory.
    std::fs::remove_dir_all(&run).unwrap();
    (dir, db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_pages_show_declared_vs_observed() {
    let (dir, db) = declared_store();
    let s = serve_common::start_on(dir, db);
    let token = s.tokens.viewer.clone();
    let base = s.base.clone();

    let section = |html: &str| -> String {
        let start = html
            .find("<h2 id=\"declared\">Declared vs observed</h2>")
            .unwrap_or_else(|| panic!("no section: {html}"));
        html[start..].to_owned()
    };
    let row_status = |section: &str, statement: &str| -> String {
        let at = section
            .find(statement)
            .unwrap_or_else(|| panic!("no row {statement:?}: {section}"));
        let row = &section[at..at + section[at..].find("</tr>").unwrap()];
        ["agree", "contradict", "not-observed"]
            .into_iter()
            .find(|st| row.contains(&format!(">{st}</td>")))
            .unwrap_or_else(|| panic!("no status in {row}"))
            .to_owned()
    };
    let statements = [
        "Serving addresses and name servers are in the serving countries",
        "Certificates are issued by the declared CAs",
        "Name servers are run by the declared DNS operators",
        "Endpoints are served by the declared networks",
        "CDNs in front of the endpoints are declared",
        "Software and equipment vendors in the serving path are declared",
        "Certificate names under the provider&#39;s domains are declared or in the catalog",
    ];
    for (provider, want) in [("acme", "agree"), ("beta", "contradict")] {
        let (code, html) = page(
            &format!("{base}/providers/{provider}/runs/run-decl"),
            &token,
        )
        .await;
        assert_eq!(code, 200, "{html}");
        let sec = section(&html);
        for st in statements {
            assert_eq!(row_status(&sec, st), want, "{provider}: {st}");
        }
        // The synthetic run has no route.trace record.
        assert_eq!(
            row_status(
                &sec,
                "The path from an in-country vantage stays in the serving countries"
            ),
            "not-observed"
        );
        assert!(sec.contains("Declared, not verified"), "{sec}");
        assert!(sec.contains("Foreign ownership share"), "{sec}");
        // Every statement links the records it rests on, and the links resolve.
        let href = format!("href=\"/providers/{provider}/runs/run-decl/evidence/");
        let at = sec
            .find(&href)
            .unwrap_or_else(|| panic!("no evidence link: {sec}"));
        let rest = &sec[at + 6..];
        let link = &rest[..rest.find('"').unwrap()];
        let (code, rec) = page(&format!("{base}{link}"), &token).await;
        assert_eq!(code, 200, "{link}: {rec}");
    }
    let (code, html) = page(&format!("{base}/providers/plain/runs/run-decl"), &token).await;
    assert_eq!(code, 200);
    assert!(!html.contains("Declared vs observed"), "{html}");
}

/// The API's run gives the declared view: each statement with its status, values, evidence
/// links and the `DECL-*` verdicts on it; the signature and the declared-not-verified facts
/// with theirs; valid against the OpenAPI document; `null` for a provider without a
/// declaration. A snapshot of the contradicting provider's view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_run_gives_declared_vs_observed() {
    let (dir, db) = declared_store();
    let s = serve_common::start_on(dir, db);
    let token = s.tokens.viewer.clone();
    let base = s.base.clone();
    let doc: Value = serde_json::from_str(&kensa::serve::api::openapi_json()).unwrap();
    let schema = doc
        .pointer("/paths/~1api~1v1~1providers~1{provider}~1runs~1{run}/get/responses/200/content/application~1json/schema")
        .unwrap()
        .clone();
    let validator = jsonschema::validator_for(&json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": doc["components"],
    }))
    .unwrap();
    let get = |provider: &'static str| {
        let (base, token) = (base.clone(), token.clone());
        async move {
            let (code, body) = page(
                &format!("{base}/api/v1/providers/{provider}/runs/run-decl"),
                &token,
            )
            .await;
            assert_eq!(code, 200, "{body}");
            serde_json::from_str::<Value>(&body).unwrap()
        }
    };
    let sections = [
        "location",
        "cas",
        "dns_operators",
        "networks",
        "cdns",
        "vendors",
        "names",
        "path",
    ];
    for (provider, want, verdict) in [
        ("acme", "agree", "pass"),
        ("beta", "contradict", "fail"),
        ("gamma", "agree", "pass"),
    ] {
        let body = get(provider).await;
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{provider}: {errors:?}\n{body:#}");
        assert_eq!(body["declared_error"], Value::Null);
        let d = &body["declared"];
        assert_eq!(d["file"], "decl/fixture.toml", "{d:#}");
        // As the fixtures' run-begin records the signature checks.
        let signature = if provider == "beta" {
            "invalid"
        } else {
            "valid"
        };
        assert_eq!(d["signature"], signature, "{d:#}");
        let statements = d["statements"].as_array().unwrap();
        let got: Vec<&str> = statements
            .iter()
            .map(|s| s["section"].as_str().unwrap())
            .collect();
        assert_eq!(got, sections);
        for st in statements {
            let section = st["section"].as_str().unwrap();
            if section == "path" {
                // The synthetic run has no route.trace record.
                assert_eq!(st["status"], "not-observed");
                continue;
            }
            assert_eq!(st["status"], want, "{provider} {section}");
            // The verdicts on the statement: its DECL-* controls, each with its evidence.
            let findings = st["findings"].as_array().unwrap();
            assert!(!findings.is_empty(), "{provider} {section}: no verdict");
            for f in findings {
                let control = f["control"].as_str().unwrap();
                assert_eq!(
                    kensa::declaration::check::section_of_control(control),
                    Some(section)
                );
                assert_eq!(f["profile"], "kensa-declaration", "{f}");
                assert!(!f["evidence"].as_array().unwrap().is_empty(), "{f}");
            }
            // One verdict per control and target: the store's, or judged now, never both.
            let mut controls: Vec<&str> = findings
                .iter()
                .map(|f| f["control"].as_str().unwrap())
                .collect();
            let n = controls.len();
            controls.sort_unstable();
            controls.dedup();
            assert_eq!(controls.len(), n, "{provider} {section}: {findings:?}");
            let first = findings
                .iter()
                .find(|f| f["control"].as_str().unwrap().ends_with("-001"))
                .unwrap();
            assert_eq!(first["outcome"], verdict, "{provider} {section}: {first}");
            // The records it rests on resolve through the API.
            let href = st["records"][0]["href"].as_str().unwrap();
            let (code, rec) = page(&format!("{base}{href}"), &token).await;
            assert_eq!(code, 200, "{href}: {rec}");
        }
        let facts: Vec<&str> = d["not_verified"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["fact"].as_str().unwrap())
            .collect();
        assert!(facts.contains(&"Foreign ownership share"), "{facts:?}");
        let controls: Vec<&str> = d["not_verified_findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["control"].as_str().unwrap())
            .collect();
        for c in ["DECL-OWN-001", "DECL-OWN-002", "DECL-STAFF-001"] {
            assert!(controls.contains(&c), "{provider}: {controls:?}");
        }
        assert_eq!(d["signature_findings"][0]["control"], "DECL-SIG-001");
        assert_eq!(d["signature_findings"][0]["outcome"], verdict);
        if provider == "beta" {
            let mut settings = insta::Settings::clone_current();
            settings.add_filter("[0-9a-f]{64}", "[hash]");
            settings.bind(|| insta::assert_json_snapshot!("api_declared_beta", d));
        }
    }
    let plain = get("plain").await;
    assert_eq!(plain["declared"], Value::Null, "{plain:#}");
    assert_eq!(plain["declared_error"], Value::Null);
    assert!(plain["counts"].is_object());
}

//! `kensa serve`'s run page shows the provider's "Declared vs observed" section (issue 20),
//! as the reports do: each statement, the declared and observed values, agree / contradict /
//! not observed, and links to the evidence records it rests on; the declared-not-verified
//! facts apart; built from the lines the store keeps (the run directory is gone). A provider
//! without a declaration has no section.

mod serve_common;

use std::time::Duration;

use kensa::store::Store;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_pages_show_declared_vs_observed() {
    let dir = tempfile::tempdir().unwrap();
    let decl =
        |f: &str| serde_json::from_value(fixture(f)["provider"]["declaration"].clone()).unwrap();
    let mut acme = provider("acme", "Acme Cloud", "JP", "kensa-level-1");
    acme.declaration = Some(decl("modern"));
    let mut beta = provider("beta", "Beta Hosting", "JP", "kensa-level-1");
    beta.declaration = Some(decl("legacy"));
    let plain = provider("plain", "Plain", "JP", "kensa-level-1");
    let run = write_run(
        dir.path(),
        "run-decl",
        "2026-11-21T00:00:00.000000Z",
        &[acme, beta, plain],
        &[
            target("acme", "modern.example.test", "modern", |_| {}),
            target("beta", "legacy.example.test", "legacy", |_| {}),
            target("plain", "www.plain.test", "intermediate", |_| {}),
        ],
    );
    let db = dir.path().join("kensa.db");
    let mut st = Store::open(&db).unwrap();
    st.import_run(&run).unwrap();
    drop(st);
    // The section is built from the lines the store keeps, not from the run directory.
    std::fs::remove_dir_all(&run).unwrap();
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

//! The dashboard in a real browser: Debian's headless Chromium, driven through chromedriver
//! (WebDriver, fantoccini) from Rust. Logs in with a token, sees the providers, opens one,
//! follows a finding to its evidence record, starts a re-check and sees the new run appear,
//! opens the diff; a viewer gets 403 on a re-check and on a catalog edit; an admin edits the
//! catalog and sees the change recorded; a certificate subject and a provider name carrying
//! `<script>` render as text and run nothing. A screenshot of each page is kept under
//! `target/tmp/serve-screenshots/`.
//!
//! Skipped with a note when chromium or chromedriver is missing, except under CI (`CI` set),
//! where that fails: `scripts/test` installs both. Chromium runs with a fresh profile and
//! without background networking; the only pages it loads are on 127.0.0.1.

mod serve_common;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use serve_common::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver and the browsers it started: its process group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn shots() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
    assert!(
        png.len() > 5_000,
        "{name}: screenshot of {} bytes",
        png.len()
    );
    std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
}

async fn text(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

async fn login(c: &Client, base: &str, token: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Css("#token"))
        .await
        .unwrap()
        .send_keys(token)
        .await
        .unwrap();
    c.find(Locator::Css("#login button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    if let Err(e) = c
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css("#providers"))
        .await
    {
        let page = c.source().await.unwrap_or_default();
        panic!("login failed ({e}): {page:.2000}");
    }
}

async fn logout(c: &Client) {
    c.find(Locator::Css("header form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css("#login"))
        .await
        .unwrap();
}

/// Post a form from the page (WebDriver's script runs outside the page's CSP), with the
/// session's CSRF token taken from the log-out form.
async fn post_form(c: &Client, action: &str, fields: serde_json::Value) {
    c.execute(
        "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];
         const csrf = document.querySelector('header input[name=csrf]').value;
         const fields = Object.assign({csrf: csrf}, arguments[1]);
         for (const k in fields) { const i = document.createElement('input'); i.type = 'hidden';
           i.name = k; i.value = fields[k]; f.appendChild(i); }
         document.body.appendChild(f); f.submit();",
        vec![json!(action), fields],
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_in_chromium() {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(tool).exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "{tool} is missing under CI: scripts/test installs chromium and chromium-driver"
            );
            eprintln!("{tool} not found: skipped (apt-get install chromium chromium-driver)");
            return;
        }
    }
    let s = start();
    let base = s.base.clone();
    let port = free_port();
    let driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap(),
    );
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-background-networking",
                     "--disable-component-update", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-sync", "--no-first-run", "--window-size=1280,1400",
                     format!("--user-data-dir={}", profile.path().display())],
        }),
    );
    let start = Instant::now();
    let c = loop {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if start.elapsed() < Duration::from_secs(30) => {
                eprintln!("waiting for chromedriver: {e}");
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            Err(e) => panic!("chromedriver: {e}"),
        }
    };

    // Not logged in: the login form.
    c.goto(&format!("{base}/providers")).await.unwrap();
    text(&c, "#login").await;
    shot(&c, "01-login").await;

    // Log in as an evaluator; the providers.
    login(&c, &base, &s.tokens.evaluator).await;
    let table = text(&c, "#providers").await;
    assert!(table.contains("acme") && table.contains("evil"), "{table}");
    assert!(table.contains("Acme Cloud"));
    // The hostile provider name is on the page as text, and no script ran.
    assert!(table.contains(PAYLOAD), "{table}");
    assert_eq!(c.title().await.unwrap(), "kensa: Providers");
    assert!(c.find_all(Locator::Css("script")).await.unwrap().is_empty());
    assert_eq!(
        c.find_all(Locator::Css("svg.spark")).await.unwrap().len(),
        2,
        "a trend per provider"
    );
    shot(&c, "02-providers").await;

    // The hostile certificate subject renders as text.
    c.goto(&format!("{base}/providers/evil")).await.unwrap();
    let body = text(&c, "main").await;
    assert!(body.contains(&format!("CN={PAYLOAD}")), "{body}");
    assert_eq!(c.title().await.unwrap(), "kensa: Provider evil");
    assert!(c.find_all(Locator::Css("script")).await.unwrap().is_empty());
    shot(&c, "03-provider-hostile").await;

    // Open acme, one of its runs, and follow a finding to its evidence record.
    c.goto(&format!("{base}/providers")).await.unwrap();
    c.find(Locator::LinkText("acme"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text(&c, "#runs").await;
    shot(&c, "04-provider").await;
    c.find(Locator::LinkText("run-2"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text(&c, "#findings").await;
    shot(&c, "05-run").await;
    c.find(Locator::Css("#findings a.evidence"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let seq = text(&c, "#seq").await;
    assert!(seq.parse::<u64>().is_ok(), "{seq}");
    assert_eq!(text(&c, "#hash").await.len(), 64);
    let record = text(&c, "#record").await;
    assert!(
        record.starts_with('{') && record.contains('\n'),
        "pretty JSON: {record:.200}"
    );
    shot(&c, "06-evidence").await;

    // Re-check acme; the page follows the job until the new run is there.
    c.goto(&format!("{base}/providers/acme")).await.unwrap();
    c.find(Locator::Css("#recheck"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    shot(&c, "07-recheck-running").await;
    let t = Instant::now();
    loop {
        // The page reloads itself (meta refresh) while the re-check runs.
        let state = text(&c, "#state").await;
        if !state.starts_with("Running") {
            assert!(state.starts_with("Done"), "{state}");
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(120), "re-check hangs");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    shot(&c, "08-recheck-done").await;
    let new_run = text(&c, "#newrun").await;
    c.goto(&format!("{base}/providers/acme")).await.unwrap();
    let runs = text(&c, "#runs").await;
    assert!(runs.contains(&new_run), "{runs}");
    assert!(runs.contains("run-1") && runs.contains("run-2"));

    // The diff between the two synthetic runs: acme regressed.
    c.goto(&format!("{base}/providers/acme/diff?old=run-1&new=run-2"))
        .await
        .unwrap();
    let diff = text(&c, "main").await;
    assert!(diff.contains("New failures"), "{diff}");
    assert!(diff.contains("from run run-1 to run run-2"));
    shot(&c, "09-diff").await;

    // A viewer: no re-check button, and 403 when it is tried anyway; 403 on a catalog edit.
    logout(&c).await;
    login(&c, &base, &s.tokens.viewer).await;
    c.goto(&format!("{base}/providers/acme")).await.unwrap();
    text(&c, "#runs").await;
    assert!(
        c.find_all(Locator::Css("#recheck"))
            .await
            .unwrap()
            .is_empty()
    );
    post_form(&c, "/providers/acme/recheck", json!({})).await;
    assert_eq!(c.title().await.unwrap(), "kensa: Forbidden");
    assert!(text(&c, "main").await.contains("needs the evaluator role"));
    shot(&c, "10-viewer-403").await;
    c.goto(&format!("{base}/catalog")).await.unwrap();
    text(&c, "#catalog").await;
    assert!(
        c.find_all(Locator::Css("#catalog form"))
            .await
            .unwrap()
            .is_empty()
    );
    post_form(
        &c,
        "/catalog",
        json!({"op": "set-applies-for", "provider": "acme", "applies_for": "kensa-level-1"}),
    )
    .await;
    assert_eq!(c.title().await.unwrap(), "kensa: Forbidden");

    // An admin edits the catalog through its form; the change is recorded.
    c.goto(&format!("{base}/providers")).await.unwrap();
    logout(&c).await;
    login(&c, &base, &s.tokens.admin).await;
    c.goto(&format!("{base}/catalog")).await.unwrap();
    let form = c
        .find(Locator::Css("#catalog form input[name=applies_for]"))
        .await
        .unwrap();
    form.send_keys("kensa-level-1").await.unwrap();
    c.find(Locator::Css("#catalog form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The click posts the form and the page reloads: wait for the new page (reading at once
    // can still see the old one).
    let mut audit = String::new();
    for _ in 0..600 {
        // The element may go stale while the page changes: read again.
        if let Ok(e) = c.find(Locator::Css("#audit")).await
            && let Ok(t) = e.text().await
        {
            audit = t;
            if audit.contains("catalog.set-applies-for") {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    shot(&c, "11-catalog-edited").await;
    assert!(audit.contains("catalog.set-applies-for"), "{audit}");
    assert!(audit.contains("(admin)"), "{audit}");
    let cat = kensa::catalog::load(&s.catalog).unwrap();
    assert_eq!(
        cat.providers[0].applies_for.as_deref(),
        Some("kensa-level-1")
    );
    shot(&c, "11-catalog").await;

    c.close().await.unwrap();
    drop(driver);
    eprintln!("screenshots: {}", shots().display());
}

//! `kensa serve`'s REST API and its guards, over HTTP on loopback: every path of the OpenAPI
//! document answers as documented (status, and JSON valid against the documented schema);
//! unauthenticated requests get 401 problem details; roles are enforced; a forged CSRF token
//! is refused; logins are rate-limited; session cookies are HttpOnly and SameSite=Strict; a
//! re-check runs and its run appears; catalog edits are validated and recorded; the
//! checked-in `docs/openapi.json` is the served document.

mod serve_common;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use serve_common::*;

fn client() -> reqwest::Client {
    // reqwest is built with rustls and no provider (the geo crate's choice): ring it is.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn get(c: &reqwest::Client, url: &str, token: &str) -> (StatusCode, String, Value) {
    let r = c.get(url).bearer_auth(token).send().await.unwrap();
    let status = r.status();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = r.text().await.unwrap();
    (
        status,
        ct,
        serde_json::from_str(&body).unwrap_or(Value::Null),
    )
}

/// A validator for the schema of `path`/`method`/`status` in the document.
fn validator(doc: &Value, path: &str, method: &str, status: &str) -> jsonschema::Validator {
    let resp = &doc["paths"][path][method]["responses"][status];
    let schema = resp
        .pointer("/content/application~1json/schema")
        .unwrap_or_else(|| panic!("{method} {path} {status}: no JSON schema documented"));
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": doc["components"],
    });
    jsonschema::validator_for(&root).unwrap()
}

fn assert_valid(v: &jsonschema::Validator, body: &Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(body).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "{what}: not as documented: {errors:?}\n{body:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_endpoint_answers_as_documented_and_needs_a_token() {
    let s = start();
    let c = client();
    let doc: Value = serde_json::from_str(&kensa::serve::api::openapi_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    // The health check is the one public route.
    let r = c.get(format!("{}/healthz", s.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );

    // A finding's evidence record, for the evidence path.
    let (st, _, findings) = get(
        &c,
        &format!(
            "{}/api/v1/providers/acme/runs/run-2/findings?per_page=500",
            s.base
        ),
        &s.tokens.admin,
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let rec = findings["items"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|f| f["records"].as_array().and_then(|r| r.first()).cloned())
        .expect("a finding with a record");
    let seq = rec["seq"].as_i64().unwrap();

    // Start a job so /jobs/{id} has one.
    let r = c
        .post(format!("{}/api/v1/providers/acme/recheck", s.base))
        .bearer_auth(&s.tokens.evaluator)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let job: Value = r.json().await.unwrap();
    assert_valid(
        &validator(&doc, "/api/v1/providers/{provider}/recheck", "post", "202"),
        &job,
        "POST recheck",
    );

    let concrete = |p: &str| {
        p.replace("{provider}", "acme")
            .replace("{run}", "run-2")
            .replace("{seq}", &seq.to_string())
            .replace("{id}", &job["id"].to_string())
    };
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let url = format!("{}{}", s.base, concrete(path));
            // Unauthenticated: 401 problem details, for every method of every path.
            let r = c
                .request(method.parse().unwrap(), &url)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(
                r.headers()["content-type"],
                "application/problem+json",
                "{method} {path}"
            );
            let p: Value = r.json().await.unwrap();
            assert_valid(&validator(&doc, path, method, "401"), &p, "401");
            // A wrong token is no token.
            let r = c
                .request(method.parse().unwrap(), &url)
                .bearer_auth("kensa_forged")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
            if method == "get" {
                let (st, ct, body) = get(&c, &url, &s.tokens.admin).await;
                assert_eq!(st, StatusCode::OK, "GET {path}: {body}");
                assert!(ct.starts_with("application/json"), "GET {path}: {ct}");
                assert_valid(&validator(&doc, path, "get", "200"), &body, path);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 11, "every GET path was checked");

    // The served document is the one checked in.
    let served = c
        .get(format!("{}/api/v1/openapi.json", s.base))
        .bearer_auth(&s.tokens.viewer)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let file = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi.json"),
    )
    .unwrap();
    assert_eq!(
        served, file,
        "docs/openapi.json is stale (see the_checked_in_openapi_document_is_current)"
    );

    // Pagination: pages add up, and a bad page is a 400 problem.
    let (_, _, p1) = get(
        &c,
        &format!("{}/api/v1/providers?per_page=1", s.base),
        &s.tokens.viewer,
    )
    .await;
    assert_eq!(p1["total"], 2);
    assert_eq!(p1["items"][0]["provider"], "acme");
    assert_eq!(p1["next"], "page=2&per_page=1");
    let (_, _, p2) = get(
        &c,
        &format!("{}/api/v1/providers?page=2&per_page=1", s.base),
        &s.tokens.viewer,
    )
    .await;
    assert_eq!(p2["items"][0]["provider"], "evil");
    assert_eq!(p2["next"], Value::Null);
    let (st, ct, body) = get(
        &c,
        &format!("{}/api/v1/providers?per_page=0", s.base),
        &s.tokens.viewer,
    )
    .await;
    assert_eq!(
        (st, ct.as_str()),
        (StatusCode::BAD_REQUEST, "application/problem+json")
    );
    assert_eq!(body["status"], 400);
    let (st, _, body) = get(
        &c,
        &format!("{}/api/v1/providers/nobody", s.base),
        &s.tokens.viewer,
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_valid(
        &validator(&doc, "/api/v1/providers/{provider}", "get", "404"),
        &body,
        "404",
    );

    // Filters: failing only; by country.
    let (_, _, f) = get(
        &c,
        &format!("{}/api/v1/providers?failing=1", s.base),
        &s.tokens.viewer,
    )
    .await;
    for p in f["items"].as_array().unwrap() {
        assert_ne!(p["applies_for_passed"], true, "{p}");
    }
    let (_, _, f) = get(
        &c,
        &format!("{}/api/v1/providers?country=DE", s.base),
        &s.tokens.viewer,
    )
    .await;
    assert_eq!(f["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_are_enforced_and_a_recheck_adds_a_run() {
    let s = start();
    let c = client();
    // A viewer may read but neither re-check nor edit the catalog, nor read the audit log.
    for (method, path, body) in [
        ("POST", "/api/v1/providers/acme/recheck", None),
        (
            "POST",
            "/api/v1/catalog",
            Some(
                json!({"op": "set-applies-for", "provider": "acme", "applies_for": "kensa-level-1"}),
            ),
        ),
        ("GET", "/api/v1/audit", None),
    ] {
        let mut req = c
            .request(method.parse().unwrap(), format!("{}{path}", s.base))
            .bearer_auth(&s.tokens.viewer);
        if let Some(b) = &body {
            req = req.json(b);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "viewer {method} {path}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
    // An evaluator may re-check but not edit the catalog.
    let r = c
        .post(format!("{}/api/v1/catalog", s.base))
        .bearer_auth(&s.tokens.evaluator)
        .json(&json!({"op": "set-applies-for", "provider": "acme", "applies_for": "kensa-level-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = c
        .post(format!("{}/api/v1/providers/acme/recheck", s.base))
        .bearer_auth(&s.tokens.evaluator)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let job: Value = r.json().await.unwrap();
    // A second one while the first runs is refused.
    let again = c
        .post(format!("{}/api/v1/providers/acme/recheck", s.base))
        .bearer_auth(&s.tokens.evaluator)
        .send()
        .await
        .unwrap()
        .status();
    let start = Instant::now();
    let done = loop {
        let (_, _, j) = get(
            &c,
            &format!("{}/api/v1/jobs/{}", s.base, job["id"]),
            &s.tokens.viewer,
        )
        .await;
        if j["state"] != "running" {
            break j;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "re-check hangs");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        again == StatusCode::UNPROCESSABLE_ENTITY || again == StatusCode::ACCEPTED,
        "{again}"
    );
    assert_eq!(done["state"], "succeeded", "{done}");
    assert!(done["records"].as_u64().unwrap() > 0, "{done}");
    let new_run = done["run_id"].as_str().unwrap().to_owned();
    let (_, _, runs) = get(
        &c,
        &format!("{}/api/v1/providers/acme/runs", s.base),
        &s.tokens.viewer,
    )
    .await;
    assert_eq!(runs["total"], 3);
    assert_eq!(runs["items"][0]["run_id"], new_run.as_str());
    let (st, _, d) = get(
        &c,
        &format!("{}/api/v1/providers/acme/diff", s.base),
        &s.tokens.viewer,
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        (d["old"].as_str(), d["new"].as_str()),
        (Some("run-2"), Some(new_run.as_str()))
    );

    // An admin edits the catalog: validated with the catalog's own rules, recorded.
    let edit = |b: Value| {
        c.post(format!("{}/api/v1/catalog", s.base))
            .bearer_auth(&s.tokens.admin)
            .json(&b)
            .send()
    };
    let r = edit(json!({"op": "set-applies-for", "provider": "acme", "applies_for": "Level 2"}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("invalid applies_for"),
        "{p}"
    );
    let before = std::fs::read_to_string(&s.catalog).unwrap();
    let r = edit(
        json!({"op": "add-endpoint", "provider": "evil", "host": "edge.evil.test", "port": 8443}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = edit(json!({"op": "add-endpoint", "provider": "evil", "host": "bad host!"}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = edit(json!({"op": "remove-endpoint", "provider": "nobody", "endpoint": "x:1"}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let after = std::fs::read_to_string(&s.catalog).unwrap();
    assert_ne!(before, after);
    let cat = kensa::catalog::load(&s.catalog).unwrap();
    assert_eq!(cat.providers[1].endpoints.len(), 2);
    let (_, _, audit) = get(&c, &format!("{}/api/v1/audit", s.base), &s.tokens.admin).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["catalog.add-endpoint", "recheck.start"],
        "{audit}"
    );
    let entry = &audit["items"][0];
    assert!(entry["actor"].as_str().unwrap().contains("(admin)"));
    assert_eq!(entry["detail"]["host"], "edge.evil.test");
    assert!(entry["at"].as_str().unwrap().starts_with("20"));
}

fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn cookie_value(cookies: &[String], name: &str) -> String {
    cookies
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie in {cookies:?}"))
        .to_owned()
}

fn hidden_csrf(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[i..].split('"').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sessions_need_csrf_tokens_and_logins_are_rate_limited() {
    let s = start();
    let c = client();
    // Pages without a session: 401 with the login form.
    let r = c.get(format!("{}/providers", s.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = c.get(format!("{}/login", s.base)).send().await.unwrap();
    let cookies = set_cookies(&r);
    let login_csrf = cookie_value(&cookies, "kensa_login_csrf");
    let html = r.text().await.unwrap();
    assert_eq!(hidden_csrf(&html), login_csrf);
    // A side request of the login page (a favicon) keeps the form's token (regression: it
    // replaced the cookie, and every browser login failed its CSRF check).
    let r = c
        .get(format!("{}/favicon.ico", s.base))
        .header("cookie", format!("kensa_login_csrf={login_csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        cookie_value(&set_cookies(&r), "kensa_login_csrf"),
        login_csrf
    );

    // A login whose CSRF field does not match its cookie is refused.
    let r = c
        .post(format!("{}/login", s.base))
        .header("cookie", format!("kensa_login_csrf={login_csrf}"))
        .form(&[("csrf", "forged"), ("token", s.tokens.viewer.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        set_cookies(&r)
            .iter()
            .all(|c| !c.starts_with("kensa_session="))
    );

    // A good login: a session cookie, HttpOnly and SameSite=Strict (not Secure over HTTP).
    let login = |token: String| {
        let c = c.clone();
        let base = s.base.clone();
        async move {
            let r = c.get(format!("{base}/login")).send().await.unwrap();
            let csrf = cookie_value(&set_cookies(&r), "kensa_login_csrf");
            c.post(format!("{base}/login"))
                .header("cookie", format!("kensa_login_csrf={csrf}"))
                .form(&[("csrf", csrf.as_str()), ("token", token.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let r = login(s.tokens.evaluator.clone()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookies = set_cookies(&r);
    let session_cookie = cookies
        .iter()
        .find(|c| c.starts_with("kensa_session="))
        .unwrap();
    assert!(session_cookie.contains("HttpOnly"), "{session_cookie}");
    assert!(
        session_cookie.contains("SameSite=Strict"),
        "{session_cookie}"
    );
    assert!(!session_cookie.contains("Secure"), "{session_cookie}");
    let sid = cookie_value(&cookies, "kensa_session");
    let session = format!("kensa_session={sid}");

    let r = c
        .get(format!("{}/providers/acme", s.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let csrf = hidden_csrf(&html);
    assert!(
        !html.contains(&s.tokens.evaluator),
        "the token is never shown"
    );

    // A forged CSRF token on a form is refused, and so is none; the right one works.
    for forged in ["", "forged", &csrf[..csrf.len() - 1]] {
        let r = c
            .post(format!("{}/providers/acme/recheck", s.base))
            .header("cookie", &session)
            .form(&[("csrf", forged)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "csrf {forged:?}");
    }
    // The API through a session needs the header.
    let r = c
        .post(format!("{}/api/v1/providers/acme/recheck", s.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(format!("{}/providers/acme/recheck", s.base))
        .header("cookie", &session)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/jobs/")
    );

    // Logins are rate-limited per address (this test made 2 so far).
    let mut statuses = Vec::new();
    for _ in 0..kensa::serve::auth::LOGIN_ATTEMPTS {
        statuses.push(login("kensa_wrong".to_owned()).await.status());
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count(),
        8
    );
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    // Even the right token is refused while limited.
    assert_eq!(
        login(s.tokens.admin.clone()).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[test]
fn the_checked_in_openapi_document_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi.json");
    let doc = kensa::serve::api::openapi_json();
    if std::env::var_os("KENSA_WRITE_OPENAPI").is_some() {
        std::fs::write(&path, &doc).unwrap();
    }
    let file = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        file, doc,
        "docs/openapi.json is stale: run KENSA_WRITE_OPENAPI=1 cargo test --test serve_api \
         the_checked_in_openapi_document_is_current, and review the diff"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evaluators_download_a_signed_bundle_and_viewers_are_refused() {
    let s = start();
    let c = client();
    let url = format!("{}/providers/acme/runs/run-2/bundle", s.base);
    // A viewer may read the run but not take its bundle.
    let r = c
        .get(&url)
        .bearer_auth(&s.tokens.viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Nobody without a token.
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The run page offers it to an evaluator only.
    let page = |token: String| {
        let c = c.clone();
        let u = format!("{}/providers/acme/runs/run-2", s.base);
        async move {
            c.get(u)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    assert!(
        !page(s.tokens.viewer.clone())
            .await
            .contains("id=\"bundle\"")
    );
    assert!(
        page(s.tokens.evaluator.clone())
            .await
            .contains("id=\"bundle\"")
    );
    // An evaluator gets kensa bundle's archive, signed with the service's key, and it
    // verifies with that key's public half.
    let r = c
        .get(&url)
        .bearer_auth(&s.tokens.evaluator)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/x-tar");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("kensa-run-2.bundle")
    );
    let bytes = r.bytes().await.unwrap();
    let file = s.dir.path().join("downloaded.bundle");
    std::fs::write(&file, &bytes).unwrap();
    let key = kensa::bundle::keys::SigningKey::read(&bundle_key(s.dir.path())).unwrap();
    let report = kensa::bundle::verify::check_bundle(&file, Some(key.public())).unwrap();
    assert!(report.valid && report.intact, "{report:?}");
    assert_eq!(report.run_id.as_deref(), Some("run-2"));
    assert!(report.pinned, "signed by the service's key: {report:?}");
    // An altered byte of the evidence is caught by the verifier.
    let mut bad = bytes.to_vec();
    let at = bad
        .windows(7)
        .position(|w| w == b"success")
        .expect("an evidence outcome");
    bad[at] = b'S';
    std::fs::write(&file, &bad).unwrap();
    match kensa::bundle::verify::check_bundle(&file, Some(key.public())) {
        Ok(r) => assert!(!r.valid && !r.altered.is_empty(), "{r:?}"),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

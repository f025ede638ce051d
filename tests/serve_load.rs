//! 1,000 concurrent API requests against a store of 1,000 providers: every answer is the
//! right one (the provider asked for, the page asked for), none fails, and the providers
//! overview is built once and shared.

mod serve_common;

use std::time::{Duration, Instant};

use serde_json::Value;
use serve_common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_over_a_thousand_providers_are_all_answered_right() {
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let db = big_store(dir.path(), 1000, 3);
    eprintln!(
        "store of 1,000 providers x 3 runs built in {:?}",
        t.elapsed()
    );
    if let Some(keep) = std::env::var_os("KENSA_KEEP_DB") {
        std::fs::copy(&db, keep).unwrap();
        return;
    }
    let s = start_on(dir, db);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let c = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let t = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..1000usize {
        let c = c.clone();
        let base = s.base.clone();
        let token = s.tokens.viewer.clone();
        tasks.push(tokio::spawn(async move {
            let (url, want) = if i % 2 == 0 {
                let p = format!("p{:04}", (i * 7) % 1000);
                (format!("{base}/api/v1/providers/{p}"), p)
            } else {
                let page = (i % 100) + 1;
                (
                    format!("{base}/api/v1/providers?page={page}&per_page=10"),
                    format!("p{:04}", (page - 1) * 10),
                )
            };
            let r = c.get(&url).bearer_auth(&token).send().await?;
            let status = r.status();
            let body: Value = r.json().await?;
            Ok::<_, reqwest::Error>((i, url, want, status, body))
        }));
    }
    let mut ok = 0;
    for task in tasks {
        let (i, url, want, status, body) = task.await.unwrap().unwrap();
        assert_eq!(status, 200, "{url}: {body}");
        if i % 2 == 0 {
            assert_eq!(body["provider"]["provider"], want.as_str(), "{url}");
            let n: usize = want[1..].parse().unwrap();
            assert_eq!(body["provider"]["name"], format!("Provider {n}"), "{url}");
            assert_eq!(body["runs"].as_array().unwrap().len(), 3, "{url}");
            assert_eq!(
                body["provider"]["trend"].as_array().unwrap().len(),
                3,
                "{url}"
            );
        } else {
            assert_eq!(body["total"], 1000, "{url}");
            let items = body["items"].as_array().unwrap();
            assert_eq!(items.len(), 10, "{url}");
            assert_eq!(items[0]["provider"], want.as_str(), "{url}");
        }
        ok += 1;
    }
    assert_eq!(ok, 1000);
    eprintln!("1,000 concurrent requests answered in {:?}", t.elapsed());
}

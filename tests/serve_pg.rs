//! `kensa serve --db postgres://…` (issues 16 and 17): the service over a PostgreSQL store of
//! the test's own cluster (tests/common/pg.rs), with `kensa worker` processes of two vantages
//! and loopback endpoints. A re-check is enqueued (not scanned by the service), its progress
//! (jobs done of the run's jobs) is shown while no worker runs, the service is killed and
//! started again and follows the same queued run, the workers run it, a worker completes it,
//! and the new run, its findings, an evidence record, the diff and the history are served
//! from PostgreSQL. Loopback only.

mod common;
#[path = "common/pg.rs"]
mod pgc;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn kensa(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kensa"));
    c.env("NO_COLOR", "1")
        .env("KENSA_RATE_PER_HOST", "0")
        .env("KENSA_DB", url);
    c
}

fn token(url: &str, role: &str) -> String {
    let out = kensa(url)
        .args(["--json", "token", "create", "--role", role])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["token"].as_str().unwrap().to_owned()
}

/// `kensa serve` over `url` (from KENSA_DB) as a process; returns it and its base URL once
/// it answers.
async fn serve(dir: &Path, url: &str, c: &reqwest::Client) -> (Child, String) {
    let port = common::closed_port();
    let mut child = kensa(url)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--vantages", "tokyo-1,osaka-1"])
        .arg("--catalog")
        .arg(dir.join("catalog.toml"))
        .arg("--scan-config")
        .arg(dir.join("scan.json"))
        .arg("--bundle-key")
        .arg(dir.join("bundle.key"))
        .env("KENSA_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log(dir, "serve"))
        .spawn()
        .expect("kensa serve starts");
    let base = format!("http://127.0.0.1:{port}");
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(30) {
        if let Ok(r) = c.get(format!("{base}/healthz")).send().await
            && r.status() == StatusCode::OK
        {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("kensa serve did not answer");
}

/// A log file of the test's directory (appended to), for a child's stderr.
fn log(dir: &Path, name: &str) -> Stdio {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("{name}.log")))
        .unwrap()
        .into()
}

/// The children of the test, killed when it ends (also when it fails).
struct Kill(Vec<Child>);

impl Drop for Kill {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn worker(dir: &Path, url: &str, vantage: &str) -> Child {
    kensa(url)
        .args(["worker", "--vantage", vantage, "--lease-secs", "10"])
        .env("KENSA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log(dir, "worker"))
        .spawn()
        .expect("kensa worker starts")
}

async fn get_json(c: &reqwest::Client, url: &str, tok: &str) -> Value {
    let r = c.get(url).bearer_auth(tok).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    r.json().await.unwrap()
}

async fn get_html(c: &reqwest::Client, url: &str, tok: &str) -> String {
    let r = c.get(url).bearer_auth(tok).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    r.text().await.unwrap()
}

async fn recheck(c: &reqwest::Client, base: &str, tok: &str) -> Value {
    let r = c
        .post(format!("{base}/api/v1/providers/acme/recheck"))
        .bearer_auth(tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    r.json().await.unwrap()
}

/// Wait until job `id` has ended; its last state.
async fn wait_job(c: &reqwest::Client, base: &str, tok: &str, id: u64) -> Value {
    let t = Instant::now();
    loop {
        let j = get_json(c, &format!("{base}/api/v1/jobs/{id}"), tok).await;
        if j["state"] != "running" {
            return j;
        }
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "the re-check did not end: {j}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn lab_servers() -> Vec<kensa_lab::tls::TlsServer> {
    use rustls::crypto::ring::{cipher_suite as cs, kx_group};
    let pki = kensa_lab::pki::Pki::new("Serve Root", "Serve", "JP").unwrap();
    let now = time::OffsetDateTime::now_utc();
    let mut v = Vec::new();
    for i in 0..2u8 {
        let ip = std::net::IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2 + i));
        let leaf = pki
            .leaf(&kensa_lab::pki::LeafSpec {
                names: vec![ip.to_string()],
                organisation: "Serve".into(),
                not_before: now - time::Duration::days(1),
                not_after: now + time::Duration::days(90),
            })
            .unwrap();
        let posture = kensa_lab::tls::Posture {
            versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
            suites: vec![
                cs::TLS13_AES_128_GCM_SHA256,
                cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            ],
            groups: vec![kx_group::X25519, kx_group::SECP256R1],
            server_order: true,
            headers: vec![],
            ocsp: None,
        };
        v.push(kensa_lab::tls::serve(ip, &leaf, &posture).await.unwrap());
    }
    v
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_over_postgres_enqueues_rechecks_for_workers_and_serves_their_runs() {
    let pg = pgc::PgCluster::start().expect(
        "PostgreSQL must be installed for this test (Debian's postgresql package; scripts/test)",
    );
    let url = pg.create_db("serve");
    let dir = tempfile::tempdir().unwrap();
    // Two in-process TLS servers on loopback addresses of their own (each is measured from
    // both vantages).
    let servers = lab_servers().await;
    let mut cat = String::from(
        "[[provider]]\nid = \"acme\"\nname = \"Acme\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-1\"\n",
    );
    for s in &servers {
        cat.push_str(&format!(
            "\n[[provider.endpoint]]\nhost = \"{}\"\nport = {}\n",
            s.addr.ip(),
            s.addr.port()
        ));
    }
    common::write(dir.path(), "catalog.toml", &cat);
    common::write(
        dir.path(),
        "scan.json",
        r#"{"probes": ["latency.tcp", "tls.scan", "x509.chain"], "samples": 1,
            "connect_timeout_ms": 2000, "read_timeout_ms": 2000,
            "settings": {"allow_private": true}}"#,
    );
    let (private, _) = kensa::bundle::keys::generate().unwrap();
    common::write(
        dir.path(),
        "bundle.key",
        &kensa::bundle::keys::pem_encode("PRIVATE KEY", &private),
    );
    let (viewer, evaluator) = (token(&url, "viewer"), token(&url, "evaluator"));
    let c = client();
    let (server, base) = serve(dir.path(), &url, &c).await;
    let mut server = Kill(vec![server]);

    // Every route but /healthz needs a token; a viewer may not start a re-check.
    let r = c
        .get(format!("{base}/api/v1/providers"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = c
        .post(format!("{base}/api/v1/providers/acme/recheck"))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let none = get_json(&c, &format!("{base}/api/v1/providers"), &viewer).await;
    assert_eq!(none["total"], 0, "{none}");

    // With no worker running, the re-check is queued: 2 targets × 2 vantages, none done.
    let job = recheck(&c, &base, &evaluator).await;
    let queued = job["queued_run"].as_str().expect("a queued run").to_owned();
    let id = job["id"].as_u64().unwrap();
    let t = Instant::now();
    let j = loop {
        let j = get_json(&c, &format!("{base}/api/v1/jobs/{id}"), &viewer).await;
        if j["jobs_total"].as_u64().is_some() && j["jobs_done"].as_u64().is_some() {
            break j;
        }
        assert!(t.elapsed() < Duration::from_secs(20), "{j}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(j["state"], "running", "{j}");
    assert_eq!(j["jobs_total"], 4, "{j}");
    assert_eq!(j["jobs_done"], 0, "{j}");
    let page = get_html(&c, &format!("{base}/jobs/{id}"), &viewer).await;
    assert!(
        page.contains(r#"<span id="jobs-done">0</span> of 4 jobs done"#),
        "{page}"
    );
    assert_eq!(
        pg.psql("serve", "SELECT count(*) FROM jobs WHERE state = 'queued'"),
        "4"
    );

    // The service is killed; the next one follows the same queued run.
    if let Some(s) = server.0.pop() {
        stop(s);
    }
    let (again, base) = serve(dir.path(), &url, &c).await;
    server.0.push(again);
    let jobs = get_json(&c, &format!("{base}/api/v1/jobs"), &viewer).await;
    let resumed = jobs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["queued_run"] == queued.as_str())
        .unwrap_or_else(|| panic!("the queued re-check is followed again: {jobs}"))
        .clone();
    assert_eq!(resumed["actor"], "kensa serve (resumed)");

    // Workers of both vantages run it; one of them completes it.
    let _workers = Kill(vec![
        worker(dir.path(), &url, "tokyo-1@35.68,139.69"),
        worker(dir.path(), &url, "osaka-1@34.69,135.50"),
    ]);
    let first = wait_job(&c, &base, &viewer, resumed["id"].as_u64().unwrap()).await;
    assert_eq!(first["state"], "succeeded", "{first}");
    assert_eq!(first["run_id"], queued.as_str(), "{first}");
    assert_eq!(first["jobs_done"], 4, "{first}");
    assert_eq!(first["records"], 12, "{first}");
    assert_eq!(
        pg.psql(
            "serve",
            &format!("SELECT count(*) FROM evidence WHERE run_id = '{queued}'")
        ),
        "12",
        "each (target, probe, vantage) once: 2 targets × 3 probes × 2 vantages"
    );

    // A second re-check, now with the workers running.
    let job = recheck(&c, &base, &evaluator).await;
    let second = wait_job(&c, &base, &viewer, job["id"].as_u64().unwrap()).await;
    assert_eq!(second["state"], "succeeded", "{second}");
    assert_eq!(second["regression"], false, "{second}");
    let run2 = second["run_id"].as_str().unwrap().to_owned();
    assert_ne!(run2, queued);

    // Served from PostgreSQL: the providers (API and page), the provider's history, the run,
    // its findings and the evidence record a finding names, the diff.
    let list = get_json(&c, &format!("{base}/api/v1/providers"), &viewer).await;
    assert_eq!(list["total"], 1, "{list}");
    let row = &list["items"][0];
    assert_eq!(row["provider"], "acme", "{row}");
    assert_eq!(row["runs"], 2, "{row}");
    assert_eq!(row["run_id"], run2.as_str(), "{row}");
    assert_eq!(row["trend"].as_array().map(Vec::len), Some(2), "{row}");
    let page = get_html(&c, &format!("{base}/providers"), &viewer).await;
    assert!(page.contains("/providers/acme"), "{page}");
    let detail = get_json(&c, &format!("{base}/api/v1/providers/acme"), &viewer).await;
    let runs: Vec<&str> = detail["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["run_id"].as_str())
        .collect();
    assert_eq!(runs, [run2.as_str(), queued.as_str()], "{detail}");
    // The provider page: a verdict strip per profile with a cell per run.
    let page = get_html(&c, &format!("{base}/providers/acme"), &viewer).await;
    let history = page
        .split(r#"id="profile-history""#)
        .nth(1)
        .and_then(|h| h.split("</table>").next())
        .unwrap_or_else(|| panic!("a verdict history per profile: {page}"));
    assert!(history.contains("kensa-level-1"), "{history}");
    assert_eq!(
        history.matches(&format!("{queued}: ")).count(),
        history.matches("<svg").count(),
        "one cell of the first run per profile: {history}"
    );
    let page = get_html(&c, &format!("{base}/providers/acme/runs/{run2}"), &viewer).await;
    assert!(page.contains(&run2), "{page}");
    let findings = get_json(
        &c,
        &format!("{base}/api/v1/providers/acme/runs/{run2}/findings"),
        &viewer,
    )
    .await;
    let link = findings["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["records"].as_array().cloned().unwrap_or_default())
        .next()
        .unwrap_or_else(|| panic!("a finding names an evidence record: {findings}"));
    let rec = get_json(
        &c,
        &format!("{base}{}", link["href"].as_str().unwrap()),
        &viewer,
    )
    .await;
    assert_eq!(rec["seq"], link["seq"], "{rec}");
    assert_eq!(rec["hash"], link["hash"], "{rec}");
    assert_eq!(rec["probe"], link["probe"], "{rec}");
    assert_eq!(rec["outcome"], "success", "{rec}");
    let page = get_html(
        &c,
        &format!(
            "{base}/providers/acme/runs/{run2}/evidence/{}",
            link["seq"].as_i64().unwrap()
        ),
        &viewer,
    )
    .await;
    assert!(page.contains(link["hash"].as_str().unwrap()), "{page}");
    let diff = get_json(
        &c,
        &format!("{base}/api/v1/providers/acme/diff?old={queued}&new={run2}"),
        &viewer,
    )
    .await;
    assert_eq!(diff["old"], queued.as_str(), "{diff}");
    assert_eq!(diff["new"], run2.as_str(), "{diff}");
    let page = get_html(
        &c,
        &format!("{base}/providers/acme/diff?old={queued}&new={run2}"),
        &viewer,
    )
    .await;
    assert!(page.contains(&run2), "{page}");
    let page = get_html(&c, &format!("{base}/jobs/{}", job["id"]), &viewer).await;
    assert!(page.contains(r#"id="newrun""#), "{page}");

    // An evaluator downloads the run's signed bundle, built from the lines PostgreSQL keeps;
    // it verifies with the service key's public half.
    let r = c
        .get(format!("{base}/providers/acme/runs/{run2}/bundle"))
        .bearer_auth(&evaluator)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let file = dir.path().join("downloaded.bundle");
    std::fs::write(&file, r.bytes().await.unwrap()).unwrap();
    let key = kensa::bundle::keys::SigningKey::read(&dir.path().join("bundle.key")).unwrap();
    let report = kensa::bundle::verify::check_bundle(&file, Some(key.public())).unwrap();
    assert!(report.valid && report.intact && report.pinned, "{report:?}");
    assert_eq!(report.run_id.as_deref(), Some(run2.as_str()));

    // The service finds a run's evidence lines by provider and probe through an index.
    let plan = pg.psql(
        "serve",
        "SET enable_seqscan = off; EXPLAIN SELECT line FROM run_lines
         WHERE run_id = 'r' AND (line::jsonb #>> '{data,target,provider}') = 'acme'
           AND (line::jsonb #>> '{data,probe}') = 'tls.scan' ORDER BY seq",
    );
    assert!(plan.contains("run_lines_by_provider_probe"), "{plan}");

    // The re-checks are in the audit log, with who started them.
    assert_eq!(
        pg.psql(
            "serve",
            "SELECT count(*) FROM audit WHERE action = 'recheck.enqueue'"
        ),
        "2"
    );
    drop(server);
    drop(servers);
}

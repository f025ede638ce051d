//! The distributed mode on a PostgreSQL cluster of the test's own (tests/common/pg.rs):
//! enqueue, workers per vantage, verify, export, status; bad databases; a worker killed
//! mid-job; the server restarted mid-run; jobs of another kensa version. Loopback only.

mod common;
#[path = "common/pg.rs"]
mod pgc;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{kensa, run, write};
use pgc::PgCluster;

fn code_out(c: &mut Command) -> (i32, String, String) {
    let out = c.output().expect("kensa runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A loopback address of its own for endpoint `i` (127.0.0.2 … 127.0.0.251): jobs of one
/// host are leased to one worker of a vantage at a time, so a fleet on one address would be
/// scanned by one worker.
fn host_of(i: usize) -> String {
    format!("127.0.0.{}", 2 + i % 250)
}

/// A catalog of `n` loopback listeners in three providers, each on an address of its own
/// ([`host_of`]); returns the catalog and the listeners (keep them).
fn catalog(dir: &Path, n: usize) -> (std::path::PathBuf, Vec<std::net::TcpListener>) {
    let ls: Vec<_> = (0..n)
        .map(|i| std::net::TcpListener::bind((host_of(i).as_str(), 0)).expect("bind loopback"))
        .collect();
    let third = n / 3;
    let mut text = String::new();
    for (i, l) in ls.iter().enumerate() {
        let (id, cc) = match i {
            i if i < third => ("alpha", "JP"),
            i if i < 2 * third => ("beta", "DE"),
            _ => ("gamma", "US"),
        };
        if i == 0 || i == third || i == 2 * third {
            text.push_str(&format!(
                "[[provider]]\nid = \"{id}\"\nname = \"Provider {id}\"\n\
                 declared_country = \"{cc}\"\napplies_for = \"kensa-level-1\"\n\n"
            ));
        }
        let port = l.local_addr().unwrap().port();
        text.push_str(&format!(
            "[[provider.endpoint]]\nhost = \"{}\"\nport = {port}\nservice = \"svc{i}\"\n\n",
            host_of(i)
        ));
    }
    (write(dir, "catalog.toml", &text), ls)
}

fn enqueue(url: &str, cat: &Path, vantages: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "--json",
        "enqueue",
        cat.to_str().unwrap(),
        "--db",
        url,
        "--vantages",
        vantages,
        "--allow-private",
        "--probes",
        "latency.tcp",
    ];
    if !extra.contains(&"--samples") {
        args.extend_from_slice(&["--samples", "1"]);
    }
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "enqueue: {out}\n{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("enqueue JSON");
    v["run_id"].as_str().expect("run id").to_owned()
}

fn worker(url: &str, vantage: &str, extra: &[&str]) -> Command {
    let mut c = kensa();
    c.args(["--json", "worker", "--db", url, "--vantage", vantage]);
    c.args(extra);
    c
}

fn spawn_worker(url: &str, vantage: &str, extra: &[&str]) -> Child {
    worker(url, vantage, extra)
        .env("KENSA_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("worker starts")
}

fn finish(child: Child) -> (i32, serde_json::Value, String) {
    let out = child.wait_with_output().expect("worker ends");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), v, stderr)
}

fn verify_json(url: &str, run_id: &str) -> (i32, serde_json::Value) {
    let (code, out, err) = run(&["--json", "verify", "--db", url, run_id]);
    let v = serde_json::from_str(&out).unwrap_or_else(|_| panic!("verify JSON: {out}\n{err}"));
    (code, v)
}

fn count(pg: &PgCluster, db: &str, sql: &str) -> i64 {
    pg.psql(db, sql).parse().expect("a count")
}

#[test]
fn bad_databases_are_refused_by_name_and_left_untouched() {
    let Some(pg) = PgCluster::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (cat, _ls) = catalog(dir.path(), 3);

    // An empty database, for a command that only reads: refused, nothing written.
    let url = pg.create_db("empty");
    let (code, _, err) = run(&["status", "--db", &url]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no kensa schema"), "{err}");
    assert!(
        err.contains(&format!("postgres://kensa@127.0.0.1:{}/empty", pg.port)),
        "{err}"
    );
    let tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'";
    assert_eq!(count(&pg, "empty", tables), 0);

    // A database of another application.
    let url = pg.create_db("foreign");
    pg.psql("foreign", "CREATE TABLE invoices (id int)");
    let (code, _, err) = run(&[
        "enqueue",
        cat.to_str().unwrap(),
        "--db",
        &url,
        "--vantages",
        "a",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a kensa database"), "{err}");
    assert!(err.contains("/foreign"), "{err}");
    assert_eq!(count(&pg, "foreign", tables), 1);

    // A kensa database of a newer schema.
    let url = pg.create_db("newer");
    enqueue(&url, &cat, "a", &[]);
    pg.psql(
        "newer",
        "UPDATE kensa_meta SET value = '99' WHERE key = 'schema_version'",
    );
    let before = count(&pg, "newer", "SELECT count(*) FROM jobs");
    for args in [
        vec!["status", "--db", &url],
        vec![
            "enqueue",
            cat.to_str().unwrap(),
            "--db",
            &url,
            "--vantages",
            "b",
        ],
        vec!["worker", "--db", &url, "--vantage", "a", "--exit-when-idle"],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("schema version 99 is newer"), "{err}");
    }
    assert_eq!(count(&pg, "newer", "SELECT count(*) FROM jobs"), before);

    // A wrong password: named, without the password.
    let bad = pg.url_wrong_password("newer");
    let (code, _, err) = run(&["status", "--db", &bad]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("refused the login"), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");

    // No server there.
    let port = common::closed_port();
    let url = format!("postgres://kensa:x@127.0.0.1:{port}/k?sslmode=disable");
    let (code, _, err) = run(&["status", "--db", &url]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot reach"), "{err}");
    assert!(err.contains(&format!("127.0.0.1:{port}/k")), "{err}");

    // No database of that name.
    let (code, _, err) = run(&["status", "--db", &pg.url("nosuch")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no such database"), "{err}");
}

#[test]
fn three_workers_three_vantages_record_each_evidence_once_and_export_assesses_as_a_local_scan() {
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("fleet");
    let dir = tempfile::tempdir().unwrap();
    let n = 300;
    let (cat, _ls) = catalog(dir.path(), n);

    let run_id = enqueue(&url, &cat, "tokyo-1,osaka-1,fra-1", &[]);
    let places = [
        "tokyo-1@35.68,139.69",
        "osaka-1@34.69,135.50",
        "fra-1@50.11,8.68",
    ];
    let workers: Vec<Child> = places
        .iter()
        .map(|v| spawn_worker(&url, v, &["--exit-when-idle", "--batch", "25"]))
        .collect();
    for w in workers {
        let (code, summary, err) = finish(w);
        assert_eq!(code, 0, "{summary}\n{err}");
        assert_eq!(summary["jobs_done"], n, "{summary}\n{err}");
        assert_eq!(summary["lease_lost"], 0);
    }

    // Every (target, probe, vantage) once; every job done.
    assert_eq!(
        count(&pg, "fleet", "SELECT count(*) FROM evidence"),
        i64::try_from(3 * n).unwrap()
    );
    assert_eq!(
        count(
            &pg,
            "fleet",
            "SELECT count(*) FROM (SELECT 1 FROM evidence GROUP BY run_id, target, probe, vantage
                                   HAVING count(*) > 1) d"
        ),
        0
    );
    assert_eq!(
        count(
            &pg,
            "fleet",
            "SELECT count(*) FROM jobs WHERE state <> 'done'"
        ),
        0
    );
    assert_eq!(
        pg.psql("fleet", "SELECT state FROM queue_runs"),
        "done",
        "the run is complete"
    );

    // The chains verify.
    let (code, v) = verify_json(&url, &run_id);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["chains_intact"], 3 * n);
    assert_eq!(v["records"], 3 * n);

    // The export assesses to the same grades as a local scan of the same servers.
    let out = dir.path().join("export");
    let (code, stdout, err) = run(&["export", "--db", &url, &run_id, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}\n{err}");
    let local = dir.path().join("local");
    let (code, _, err) = run(&[
        "scan",
        cat.to_str().unwrap(),
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "1",
        "--vantage",
        "tokyo-1@35.68,139.69",
        "--out",
        local.to_str().unwrap(),
        "--no-db",
    ]);
    assert_eq!(code, 0, "{err}");
    let grades = |run_dir: &Path| {
        let (code, out, err) = run(&["--json", "assess", run_dir.to_str().unwrap()]);
        assert!(code == 0 || code == 1, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("assess JSON");
        v["providers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["provider"]["id"].clone(), p["grade"].clone()))
            .collect::<Vec<_>>()
    };
    let expected = grades(&local);
    assert_eq!(expected.len(), 3);
    for vantage in ["tokyo-1", "osaka-1", "fra-1"] {
        let run_dir = out.join(vantage);
        let (code, out, _) = run(&["verify", run_dir.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}");
        assert_eq!(grades(&run_dir), expected, "{vantage}");
        let ev = common::evidence(&run_dir);
        assert_eq!(ev.len(), n);
        assert!(
            ev.iter()
                .all(|e| e["vantage"]["name"] == vantage && e["run_id"] == run_id.as_str())
        );
    }

    // Status shows the finished queue.
    let (code, out, err) = run(&["--json", "status", "--db", &url]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["queue"]["tokyo-1"]["done"], n);
    assert_eq!(s["runs"].as_array().unwrap().len(), 0);
}

/// Wait until `sql` counts at least `n`, or panic after `within`.
fn wait_count(pg: &PgCluster, db: &str, sql: &str, n: i64, within: Duration) {
    let t = Instant::now();
    while t.elapsed() < within {
        if count(pg, db, sql) >= n {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{sql} did not reach {n} within {within:?}");
}

#[test]
fn a_worker_killed_mid_job_loses_its_lease_and_another_completes_its_jobs_once() {
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("kill");
    let dir = tempfile::tempdir().unwrap();
    let n = 60;
    let (cat, _ls) = catalog(dir.path(), n);
    // Slow jobs: five samples on never-accepting listeners, one target at a time.
    let run_id = enqueue(
        &url,
        &cat,
        "tokyo-1",
        &["--samples", "5", "--targets-in-flight", "1"],
    );
    let mut doomed = spawn_worker(&url, "tokyo-1", &["--lease-secs", "2", "--batch", "20"]);
    wait_count(
        &pg,
        "kill",
        "SELECT count(*) FROM jobs WHERE state = 'running'",
        1,
        Duration::from_secs(30),
    );
    doomed.kill().unwrap();
    let _ = doomed.wait();
    let held = count(
        &pg,
        "kill",
        "SELECT count(*) FROM jobs WHERE state = 'running'",
    );
    assert!(held > 0, "the killed worker held leases");

    let (code, summary, err) = finish(spawn_worker(
        &url,
        "tokyo-1",
        &["--lease-secs", "2", "--batch", "20", "--exit-when-idle"],
    ));
    assert_eq!(code, 0, "{summary}\n{err}");
    assert!(err.contains("lost their lease"), "{err}");
    assert_eq!(
        count(
            &pg,
            "kill",
            "SELECT count(*) FROM jobs WHERE state = 'done'"
        ),
        i64::try_from(n).unwrap()
    );
    assert_eq!(
        count(&pg, "kill", "SELECT count(*) FROM evidence"),
        i64::try_from(n).unwrap()
    );
    let (code, v) = verify_json(&url, &run_id);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["chains_intact"], n);
}

#[test]
fn postgres_restarted_mid_run_workers_reconnect_and_the_run_completes() {
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("restart");
    let dir = tempfile::tempdir().unwrap();
    let n = 60;
    let (cat, _ls) = catalog(dir.path(), n);
    let run_id = enqueue(
        &url,
        &cat,
        "tokyo-1",
        &["--samples", "3", "--targets-in-flight", "2"],
    );
    let workers: Vec<Child> = (0..2)
        .map(|_| {
            spawn_worker(
                &url,
                "tokyo-1",
                &["--lease-secs", "5", "--batch", "5", "--exit-when-idle"],
            )
        })
        .collect();
    wait_count(
        &pg,
        "restart",
        "SELECT count(*) FROM jobs WHERE state = 'done'",
        5,
        Duration::from_secs(60),
    );
    pg.restart();
    pg.wait_ready(Duration::from_secs(30));
    let done_then = count(
        &pg,
        "restart",
        "SELECT count(*) FROM jobs WHERE state = 'done'",
    );
    assert!(done_then < i64::try_from(n).unwrap(), "restarted mid-run");
    for w in workers {
        let (code, summary, err) = finish(w);
        assert_eq!(code, 0, "{summary}\n{err}");
    }
    assert_eq!(
        count(
            &pg,
            "restart",
            "SELECT count(*) FROM jobs WHERE state = 'done'"
        ),
        i64::try_from(n).unwrap()
    );
    assert_eq!(
        count(&pg, "restart", "SELECT count(*) FROM evidence"),
        i64::try_from(n).unwrap()
    );
    let (code, v) = verify_json(&url, &run_id);
    assert_eq!(code, 0, "{v}");
}

#[test]
fn jobs_of_another_version_or_an_unknown_probe_are_refused_and_stay_queued() {
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("versions");
    let dir = tempfile::tempdir().unwrap();
    let (cat, _ls) = catalog(dir.path(), 3);
    let old = enqueue(&url, &cat, "tokyo-1", &[]);
    pg.psql(
        "versions",
        &format!("UPDATE jobs SET tool = 'kensa 0.0.1' WHERE run_id = '{old}'"),
    );
    let strange = enqueue(&url, &cat, "tokyo-1", &[]);
    pg.psql(
        "versions",
        &format!(
            "UPDATE jobs SET probes = probes || 'quantum.tunnel'::text WHERE run_id = '{strange}'"
        ),
    );

    let (code, _, err) = code_out(&mut worker(&url, "tokyo-1", &["--exit-when-idle"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "3 queued jobs of run {old} refused: enqueued by kensa 0.0.1"
        )),
        "{err}"
    );
    assert!(err.contains("quantum.tunnel"), "{err}");
    assert!(err.contains("the jobs stay queued"), "{err}");
    assert_eq!(
        count(
            &pg,
            "versions",
            "SELECT count(*) FROM jobs WHERE state = 'queued' AND attempts = 0"
        ),
        6
    );
    assert_eq!(count(&pg, "versions", "SELECT count(*) FROM evidence"), 0);
}

#[test]
fn the_postgres_run_store_answers_as_the_sqlite_store() {
    use kensa::store::RunStore;
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("store");
    let dir = tempfile::tempdir().unwrap();
    let (cat, _ls) = catalog(dir.path(), 6);
    // Two runs of the same catalog.
    let runs: Vec<_> = (0..2)
        .map(|i| {
            let out = dir.path().join(format!("run{i}"));
            let (code, _, err) = run(&[
                "scan",
                cat.to_str().unwrap(),
                "--allow-private",
                "--probes",
                "latency.tcp",
                "--samples",
                "1",
                "--no-db",
                "--out",
                out.to_str().unwrap(),
            ]);
            assert_eq!(code, 0, "{err}");
            out
        })
        .collect();
    let mut sqlite = kensa::store::Store::open(&dir.path().join("k.db")).unwrap();
    let mut postgres = kensa::pg::store::PgRunStore::connect(&url).unwrap();
    for r in &runs {
        let (a, _) = kensa::pipeline::import_run_dir(&mut sqlite, r).unwrap();
        let (b, _) = kensa::pipeline::import_run_dir(&mut postgres, r).unwrap();
        assert_eq!(a, b);
        // Recorded once.
        let (again, _) = kensa::pipeline::import_run_dir(&mut postgres, r).unwrap();
        assert!(matches!(
            again,
            kensa::store::Imported::AlreadyPresent { .. }
        ));
    }
    let strip = |mut v: Vec<kensa::store::RunSummary>| {
        for s in &mut v {
            s.run_dir = Default::default();
        }
        v
    };
    assert_eq!(
        strip(sqlite.latest_per_provider().unwrap()),
        strip(postgres.latest_per_provider().unwrap())
    );
    for p in ["alpha", "beta", "gamma"] {
        let h = strip(postgres.grade_history(p).unwrap());
        assert_eq!(h.len(), 2);
        assert_eq!(strip(sqlite.grade_history(p).unwrap()), h);
        let last = &h[1].run_id;
        assert_eq!(
            postgres.previous_run_of(p, last).unwrap().map(|r| r.run_id),
            sqlite.previous_run_of(p, last).unwrap().map(|r| r.run_id)
        );
    }
    let id = sqlite.latest_per_provider().unwrap()[0].run_id.clone();
    let a = sqlite.load_run(&id).unwrap();
    let b = postgres.load_run(&id).unwrap();
    assert_eq!(a.targets.len(), b.targets.len());
    // An edited line is refused.
    pg.psql(
        "store",
        &format!("UPDATE run_lines SET line = replace(line, 'success', 'timeout') WHERE run_id = '{id}' AND seq = 1"),
    );
    assert!(postgres.load_run(&id).is_err());
}

/// Jobs put straight into the queue (no scan), for the queue's own rules.
async fn queued(pg: &kensa::pg::Pg, run: &str, targets: &[&str]) {
    let c = pg.client().await.unwrap();
    c.execute(
        "INSERT INTO queue_runs (run_id, started_at, tool, catalog_source, catalog_text,
                                 catalog_digest, config, probes, vantages, jobs_total, remaining)
         VALUES ($1, 'now', $2, 'test', '', '', '{}', ARRAY['latency.tcp'], ARRAY['v'], $3, $3)",
        &[&run, &kensa::TOOL, &i64::try_from(targets.len()).unwrap()],
    )
    .await
    .unwrap();
    for t in targets {
        c.execute(
            "INSERT INTO jobs (run_id, vantage, target, provider, tool, probes)
             VALUES ($1, 'v', $2, 'p', $3, ARRAY['latency.tcp'])",
            &[&run, t, &kensa::TOOL],
        )
        .await
        .unwrap();
    }
}

fn result(run: &str, job: &kensa::pg::queue::Job) -> kensa::pg::queue::JobResult {
    use kensa::evidence::{self, GENESIS, Record};
    let text = |prev: &str, seq: u64, r: &Record| evidence::encode_line(prev, seq, r).unwrap();
    let begin = serde_json::json!({"schema_version": 1, "run_id": run, "tool": kensa::TOOL,
        "started_at": "t", "catalog": "test", "providers": 1, "endpoints": 1, "probes": [],
        "settings": {}});
    let begin: Record = Record::RunBegin(serde_json::from_value(begin).unwrap());
    let ev = serde_json::json!({"schema_version": 1, "run_id": run,
        "target": {"id": job.target, "provider": "p", "host": "127.0.0.1", "port": 1,
                   "addresses": [], "address_source": "literal"},
        "probe": "latency.tcp", "probe_version": "1", "started_at": "t", "elapsed_us": 1,
        "outcome": "success", "fault": "none"});
    let ev: Record = Record::Evidence(serde_json::from_value(ev).unwrap());
    let (b, h0) = text(GENESIS, 0, &begin);
    let (e, h1) = text(&h0, 1, &ev);
    let end = serde_json::json!({"run_id": run, "finished_at": "t", "status": "complete",
        "records": 1, "outcomes": {"success": 1}, "head": h1});
    let (x, _) = text(
        &h1,
        2,
        &Record::RunEnd(serde_json::from_value(end).unwrap()),
    );
    kensa::pg::queue::JobResult {
        job_id: job.id,
        run_id: run.to_owned(),
        vantage: "v".into(),
        begin: b.trim_end().to_owned(),
        evidence: vec![kensa::pg::store::Line::parse(e.trim_end()).unwrap()],
        end: x.trim_end().to_owned(),
    }
}

#[test]
fn a_late_result_and_a_duplicate_record_are_refused_and_nothing_of_them_written() {
    use kensa::pg::{Pg, PoolSettings, queue::WorkerIdent};
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let url = cluster.create_db("refusals");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pg = Pg::connect(&url, PoolSettings::default()).await.unwrap();
        queued(&pg, "r", &["p/a", "p/b", "p/c"]).await;
        let me = WorkerIdent {
            id: "w1".into(),
            vantage: kensa::evidence::Vantage { name: "v".into(), lat: None, lon: None },
        };
        let known = vec!["latency.tcp".to_owned()];
        let lease = Duration::from_secs(60);
        let (token, jobs) = pg.claim(&me, &known, 3, lease).await.unwrap();
        assert_eq!(jobs.len(), 3);
        // A second claim finds nothing: the jobs are leased.
        let (_, none) = pg.claim(&me, &known, 3, lease).await.unwrap();
        assert!(none.is_empty());
        // Job a's lease went to another worker; job b's evidence is recorded already.
        let (a, b, c) = (&jobs[0], &jobs[1], &jobs[2]);
        cluster.psql("refusals", &format!("UPDATE jobs SET lease_token = 'other' WHERE id = {}", a.id));
        let results: Vec<_> = jobs.iter().map(|j| result("r", j)).collect();
        let line = results[1].evidence[0].text.replace('\'', "''");
        cluster.psql(
            "refusals",
            &format!(
                "INSERT INTO evidence (run_id, vantage, seq, hash, target, provider, probe, outcome, line)
                 VALUES ('r', 'v', 1, 'h', '{}', 'p', 'latency.tcp', 'success', '{line}')",
                b.target
            ),
        );
        let done = pg.complete("w1", &token, &results).await.unwrap();
        assert_eq!(done.lease_lost, vec![a.id]);
        assert_eq!(done.duplicate, vec![b.id]);
        assert_eq!(done.done, vec![c.id]);
        // Only c's record was written; b is failed, a is still the other worker's.
        assert_eq!(count(&cluster, "refusals", "SELECT count(*) FROM evidence WHERE job_id IS NOT NULL"), 1);
        assert_eq!(
            cluster.psql("refusals", "SELECT string_agg(state, ',' ORDER BY id) FROM jobs"),
            "running,failed,done"
        );
        // The same result again is refused too (the job is done, no longer leased).
        let again = pg.complete("w1", &token, &results[2..]).await.unwrap();
        assert_eq!(again.lease_lost, vec![c.id]);
        // c's chain verifies; the run is not complete (a is still running).
        let v = pg.verify_run("r").await.unwrap();
        assert_eq!(v.chains_intact, 1);
        assert!(v.ok(), "{v:?}");
    });
}

/// A webhook receiver on 127.0.0.1: each POST body arrives on the channel; answers 200.
fn webhook() -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in l.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut len = 0usize;
            let mut first = String::new();
            r.read_line(&mut first).unwrap();
            loop {
                let mut line = String::new();
                r.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            r.read_exact(&mut body).unwrap();
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .unwrap();
            let _ = tx.send(String::from_utf8(body).unwrap());
        }
    });
    (url, rx)
}

/// `kensa recheck --db URL --vantages …` as a child (it waits for the workers).
fn spawn_recheck(url: &str, cat: &Path, hook: &str) -> Child {
    kensa()
        .args([
            "--json",
            "recheck",
            cat.to_str().unwrap(),
            "--db",
            url,
            "--vantages",
            "tokyo-1,osaka-1",
            "--notify-webhook",
            hook,
            "--allow-private",
            "--probes",
            "latency.tcp",
            "--samples",
            "1",
        ])
        .env("KENSA_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("recheck starts")
}

/// One re-check through the queue: enqueued by `kensa recheck --db`, scanned by a worker of
/// each vantage; returns the summary recheck printed and the webhook's.
fn recheck_cycle(
    pg: &PgCluster,
    db: &str,
    url: &str,
    cat: &Path,
    hook: &(String, std::sync::mpsc::Receiver<String>),
    jobs_before: i64,
    n: i64,
) -> (serde_json::Value, serde_json::Value) {
    let child = spawn_recheck(url, cat, &hook.0);
    wait_count(
        pg,
        db,
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'jobs'",
        1,
        Duration::from_secs(60),
    );
    // The workers start once the jobs are queued (they exit when their vantage is idle).
    wait_count(
        pg,
        db,
        "SELECT count(*) FROM jobs",
        jobs_before + 2 * n,
        Duration::from_secs(60),
    );
    let workers: Vec<Child> = ["tokyo-1@35.68,139.69", "osaka-1@34.69,135.50"]
        .iter()
        .map(|v| spawn_worker(url, v, &["--exit-when-idle"]))
        .collect();
    let mut completed = 0;
    for w in workers {
        let (code, summary, err) = finish(w);
        assert_eq!(code, 0, "{summary}\n{err}");
        completed += summary["runs_completed"].as_array().unwrap().len();
    }
    assert_eq!(completed, 1, "one worker completed the run");
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let printed: serde_json::Value = serde_json::from_str(&stdout).expect("recheck JSON");
    let posted = hook
        .1
        .recv_timeout(Duration::from_secs(30))
        .expect("the webhook was called");
    (
        printed,
        serde_json::from_str(&posted).expect("webhook JSON"),
    )
}

#[test]
fn a_completed_run_is_assessed_recorded_diffed_and_the_webhook_fires() {
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("complete");
    let dir = tempfile::tempdir().unwrap();
    let n = 9;
    let (cat, _ls) = catalog(dir.path(), n);
    let hook = webhook();
    let n = i64::try_from(n).unwrap();

    let (printed, posted) = recheck_cycle(&pg, "complete", &url, &cat, &hook, 0, n);
    let run1 = printed["run_id"].as_str().unwrap().to_owned();
    assert_eq!(posted["run_id"], run1.as_str());
    assert_eq!(printed["regression"], false);
    let providers = printed["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 3);
    assert!(
        providers.iter().all(|p| p["previous_run"].is_null()),
        "{printed}"
    );
    assert!(
        providers
            .iter()
            .all(|p| p["applies_for"] == "kensa-level-1" && p["verdict"].is_string()),
        "{printed}"
    );
    // Recorded in the store: the run, its providers' grades, one chain of every vantage's
    // records; the evidence rows are still one per (target, probe, vantage).
    assert_eq!(count(&pg, "complete", "SELECT count(*) FROM runs"), 1);
    assert_eq!(
        count(
            &pg,
            "complete",
            "SELECT count(DISTINCT provider) FROM grades"
        ),
        3
    );
    assert_eq!(
        count(
            &pg,
            "complete",
            "SELECT count(*) FROM run_lines WHERE line LIKE '%\"type\":\"evidence\"%'"
        ),
        2 * n
    );
    assert_eq!(
        count(&pg, "complete", "SELECT count(*) FROM evidence"),
        2 * n
    );
    assert_eq!(
        pg.psql(
            "complete",
            "SELECT assessed IS NOT NULL AND notified IS NOT NULL FROM queue_runs"
        ),
        "t"
    );
    let (code, v) = verify_json(&url, &run1);
    assert_eq!(code, 0, "{v}");
    // The store reads the run back, verified, through the RunStore the library uses.
    {
        use kensa::store::RunStore as _;
        let st = kensa::pg::store::PgRunStore::connect(&url).unwrap();
        let run = st.load_run(&run1).unwrap();
        assert_eq!(run.targets.len(), usize::try_from(n).unwrap());
        assert_eq!(run.providers.len(), 3);
    }

    // A second cycle is diffed against the first.
    let (printed, posted) = recheck_cycle(&pg, "complete", &url, &cat, &hook, 2 * n, n);
    let run2 = printed["run_id"].as_str().unwrap().to_owned();
    assert_ne!(run1, run2);
    assert_eq!(posted["run_id"], run2.as_str());
    for p in printed["providers"].as_array().unwrap() {
        assert_eq!(p["previous_run"], run1.as_str(), "{printed}");
        assert!(p["diff"].is_object(), "{printed}");
        assert_eq!(p["regression"], false, "{printed}");
    }
    assert_eq!(count(&pg, "complete", "SELECT count(*) FROM runs"), 2);
}

#[test]
fn the_recheck_cycle_lock_is_a_postgres_advisory_lock() {
    use kensa::store::RunStore as _;
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("lock");
    let st = kensa::pg::store::PgRunStore::connect(&url).unwrap();
    let held = st.lock_cycle().expect("the lock is free");
    // Another session (this process, another connection) is refused and told who holds it.
    let other = kensa::pg::store::PgRunStore::connect(&url).unwrap();
    match other.lock_cycle() {
        Err(kensa::recheck::RecheckError::Locked { pid, lock }) => {
            assert_eq!(pid, std::process::id().to_string());
            assert!(lock.contains("advisory lock"), "{lock}");
        }
        other => panic!("{other:?}"),
    }
    // Another process too: kensa recheck refuses to start a cycle, exit 2, nothing enqueued.
    let dir = tempfile::tempdir().unwrap();
    let (cat, _ls) = catalog(dir.path(), 3);
    let (code, _, err) = run(&[
        "recheck",
        cat.to_str().unwrap(),
        "--db",
        &url,
        "--vantages",
        "tokyo-1",
        "--allow-private",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("another recheck or watch"), "{err}");
    assert_eq!(count(&pg, "lock", "SELECT count(*) FROM jobs"), 0);
    // Released with its session.
    drop(held);
    let again = other
        .lock_cycle()
        .expect("released when the holder's session ends");
    drop(again);
}

/// A listener on `host` that accepts every connection, notes when, and closes it.
fn counting_listener(host: &str, log: std::sync::Arc<std::sync::Mutex<Vec<Instant>>>) -> u16 {
    let l = std::net::TcpListener::bind((host, 0)).expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(s) = s else { continue };
            log.lock().expect("log").push(Instant::now());
            drop(s);
        }
    });
    port
}

/// The most connections seen in any window of `w` starting at a connection.
fn max_in_window(times: &[Instant], w: Duration) -> usize {
    let mut t = times.to_vec();
    t.sort();
    (0..t.len())
        .map(|i| t[i..].iter().take_while(|x| **x - t[i] < w).count())
        .max()
        .unwrap_or(0)
}

#[test]
fn the_per_host_rate_holds_across_the_workers_of_a_vantage() {
    use std::sync::{Arc, Mutex};
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("polite");
    let dir = tempfile::tempdir().unwrap();
    // Two hosts, six endpoints each; small batches, so without host leases both workers
    // would scan one host at once, each with a bucket of its own.
    let hosts = ["127.0.0.2", "127.0.0.3"];
    let logs: Vec<Arc<Mutex<Vec<Instant>>>> = hosts
        .iter()
        .map(|_| Arc::new(Mutex::new(Vec::new())))
        .collect();
    let mut text = String::from(
        "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-1\"\n\n",
    );
    for (h, log) in hosts.iter().zip(&logs) {
        for _ in 0..6 {
            let port = counting_listener(h, Arc::clone(log));
            text.push_str(&format!(
                "[[provider.endpoint]]\nhost = \"{h}\"\nport = {port}\n\n"
            ));
        }
    }
    let cat = write(dir.path(), "catalog.toml", &text);
    let run_id = enqueue(
        &url,
        &cat,
        "tokyo-1",
        &[
            "--samples",
            "5",
            "--rate-per-host",
            "10",
            "--burst-per-host",
            "5",
        ],
    );
    let workers: Vec<Child> = (0..2)
        .map(|_| spawn_worker(&url, "tokyo-1", &["--batch", "2", "--exit-when-idle"]))
        .collect();
    for w in workers {
        let (code, summary, err) = finish(w);
        assert_eq!(code, 0, "{summary}\n{err}");
    }
    for (h, log) in hosts.iter().zip(&logs) {
        let times = log.lock().unwrap().clone();
        assert_eq!(times.len(), 30, "{h}: every sample connected");
        // One bucket per host across both workers: 5 at once, then 10/s; one more for
        // scheduling jitter between connect and accept.
        let worst = max_in_window(&times, Duration::from_secs(1));
        assert!(worst <= 16, "{h}: {worst} connections within one second");
        // Each host's jobs were leased to one worker.
        assert_eq!(
            count(
                &pg,
                "polite",
                &format!("SELECT count(DISTINCT leased_by) FROM jobs WHERE host = '{h}'")
            ),
            1,
            "{h}"
        );
    }
    let (code, v) = verify_json(&url, &run_id);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["chains_intact"], 12);
}

#[test]
fn serve_names_an_unreachable_postgres_store_without_its_password() {
    // Nothing listens there: the service does not start, names the database, exit 2.
    let port = common::closed_port();
    let (code, _, err) = run(&[
        "serve",
        "--db",
        &format!("postgres://kensa:secret@127.0.0.1:{port}/k"),
        "--listen",
        "127.0.0.1:0",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("postgres://kensa@127.0.0.1:{port}/k"))
            && err.contains("cannot reach the PostgreSQL server"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
    // --vantages is for a PostgreSQL store only.
    let (code, _, err) = run(&["serve", "--vantages", "tokyo-1", "--listen", "127.0.0.1:0"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--vantages is for a PostgreSQL store"),
        "{err}"
    );
}

/// A job's chain of `records` (evidence data as JSON), as a worker of `vantage` writes it.
fn chain_of(
    run: &str,
    job: &kensa::pg::queue::Job,
    records: &[serde_json::Value],
) -> kensa::pg::queue::JobResult {
    use kensa::evidence::{self, GENESIS, Record};
    let text = |prev: &str, seq: u64, r: &Record| evidence::encode_line(prev, seq, r).unwrap();
    let begin = serde_json::json!({"schema_version": 1, "run_id": run, "tool": kensa::TOOL,
        "started_at": "t", "catalog": "test", "providers": 1, "endpoints": 1, "probes": [],
        "settings": {}});
    let (b, mut prev) = text(
        GENESIS,
        0,
        &Record::RunBegin(serde_json::from_value(begin).unwrap()),
    );
    let mut lines = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let (l, h) = text(
            &prev,
            u64::try_from(i).unwrap() + 1,
            &Record::Evidence(serde_json::from_value(r.clone()).unwrap()),
        );
        lines.push(kensa::pg::store::Line::parse(l.trim_end()).unwrap());
        prev = h;
    }
    let end = serde_json::json!({"run_id": run, "finished_at": "t", "status": "complete",
        "records": records.len(), "outcomes": {"success": records.len()}, "head": prev});
    let (x, _) = text(
        &prev,
        u64::try_from(records.len()).unwrap() + 1,
        &Record::RunEnd(serde_json::from_value(end).unwrap()),
    );
    kensa::pg::queue::JobResult {
        job_id: job.id,
        run_id: run.to_owned(),
        vantage: job.vantage.clone(),
        begin: b.trim_end().to_owned(),
        evidence: lines,
        end: x.trim_end().to_owned(),
    }
}

#[test]
fn a_run_of_three_vantages_is_judged_with_every_trusted_disc() {
    use kensa::pg::{Pg, PoolSettings, queue::WorkerIdent};
    use kensa_probe_geo::physics::{Physics, RttSample, Vantage};
    use kensa_probe_geo::verdict::{decide, endpoint_residency};
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let url = cluster.create_db("vantages");
    let catalog = "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\n\
                   applies_for = \"kensa-level-1\"\n\n[[provider.endpoint]]\n\
                   host = \"192.0.2.10\"\nport = 443\n";
    let target = "p/192.0.2.10:443";
    let places = [
        ("tokyo-1", 35.68, 139.69, 1.0),
        ("osaka-1", 34.69, 135.50, 4.0),
        // Frankfurt claims 0.5 ms to an address Tokyo and Osaka see at 1 and 4 ms.
        ("fra-1", 50.11, 8.68, 0.5),
    ];
    let record = |probe: &str, v: (&str, f64, f64, f64), obs: serde_json::Value| {
        serde_json::json!({"schema_version": 1, "run_id": "r3",
            "target": {"id": target, "provider": "p", "host": "192.0.2.10", "port": 443,
                       "addresses": ["192.0.2.10"], "address_source": "literal"},
            "probe": probe, "probe_version": "1", "started_at": "t", "elapsed_us": 1,
            "vantage": {"name": v.0, "lat": v.1, "lon": v.2},
            "outcome": "success", "fault": "none", "observation": obs})
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pg = Pg::connect(&url, PoolSettings::default()).await.unwrap();
        let c = pg.client().await.unwrap();
        c.execute(
            "INSERT INTO queue_runs (run_id, started_at, tool, catalog_source, catalog_text,
                                     catalog_digest, config, probes, vantages, jobs_total,
                                     remaining)
             VALUES ('r3', 't', $1, 'catalog.toml', $2, 'd', '{}',
                     ARRAY['latency.tcp', 'geo.residency'],
                     ARRAY['tokyo-1', 'osaka-1', 'fra-1'], 3, 3)",
            &[&kensa::TOOL, &catalog],
        )
        .await
        .unwrap();
        for v in &places {
            c.execute(
                "INSERT INTO jobs (run_id, vantage, target, provider, tool, probes, host)
                 VALUES ('r3', $1, $2, 'p', $3, ARRAY['latency.tcp', 'geo.residency'], '')",
                &[&v.0, &target, &kensa::TOOL],
            )
            .await
            .unwrap();
        }
        let known = vec!["latency.tcp".to_owned(), "geo.residency".to_owned()];
        let mut finished = Vec::new();
        for v in places {
            let me = WorkerIdent {
                id: format!("w-{}", v.0),
                vantage: kensa::evidence::Vantage {
                    name: v.0.into(),
                    lat: Some(v.1),
                    lon: Some(v.2),
                },
            };
            let (token, jobs) = pg
                .claim(&me, &known, 1, Duration::from_secs(60))
                .await
                .unwrap();
            assert_eq!(jobs.len(), 1);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let us = (v.3 * 1000.0) as u64;
            let own = RttSample {
                vantage: Vantage {
                    name: v.0.into(),
                    lat: v.1,
                    lon: v.2,
                },
                rtt_min_ms: v.3,
            };
            let ev = kensa_probe_geo::verdict::Evidence {
                physics: Some(Physics::default().assess(&[own], "JP")),
                ..Default::default()
            };
            let ip = "192.0.2.10".parse().unwrap();
            let er = endpoint_residency(target, "JP", vec![decide(ip, "JP", ev)], Vec::new());
            let records = [
                record(
                    "latency.tcp",
                    v,
                    serde_json::json!({"addresses": [
                    {"address": "192.0.2.10", "samples_us": [us]}]}),
                ),
                record(
                    "geo.residency",
                    v,
                    serde_json::json!({"sources": [],
                    "vantage": {"name": v.0}, "addresses_from": "literal", "residency": er,
                    "jurisdiction": {}}),
                ),
            ];
            let done = pg
                .complete(&me.id, &token, &[chain_of("r3", &jobs[0], &records)])
                .await
                .unwrap();
            finished.extend(done.runs_done);
        }
        assert_eq!(finished, ["r3"]);
        // The run as completed: one chain of every vantage's records, and the geo.residency
        // record the assessment reads judged with the trusted vantages' discs.
        let (loaded, _) = pg.gathered_run("r3").await.unwrap();
        let doc = &loaded.run.targets[0].doc;
        let geo = &doc["probes"]["geo.residency"]["observation"];
        assert_eq!(geo["vantage"], serde_json::Value::Null);
        assert_eq!(
            geo["vantages"],
            serde_json::json!(["fra-1", "osaka-1", "tokyo-1"])
        );
        assert_eq!(geo["flagged_vantages"][0]["vantage"], "fra-1");
        let a = &geo["residency"]["addresses"][0];
        assert_eq!(a["vantages"], serde_json::json!(["osaka-1", "tokyo-1"]));
        assert_eq!(a["flagged_vantages"], serde_json::json!(["fra-1"]));
        assert_eq!(
            a["evidence"]["physics"]["discs"].as_array().unwrap().len(),
            2
        );
        let evidence_lines = loaded
            .lines
            .iter()
            .filter(|l| l.contains("\"type\":\"evidence\""))
            .count();
        assert_eq!(
            evidence_lines, 7,
            "3 vantages × 2 records + the judged geo record"
        );
        // Completed through the library steps: recorded in the store, once.
        let handle = tokio::runtime::Handle::current();
        let p = pg.clone();
        let summary = tokio::task::spawn_blocking(move || {
            kensa::pg::complete::complete_run(&p, &handle, "r3")
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(summary.providers.len(), 1);
        assert!(pg.has_run("r3").await.unwrap());
        assert!(pg.completion("r3").await.unwrap().assessed.is_some());
    });
}

#[test]
fn watch_over_postgres_enqueues_every_cycle_and_the_workers_complete_each() {
    let pg = PgCluster::start().expect("PostgreSQL must be installed (scripts/test)");
    let url = pg.create_db("watch");
    let dir = tempfile::tempdir().unwrap();
    let (cat, _ls) = catalog(dir.path(), 3);
    // One worker, running throughout (it waits on LISTEN between the cycles).
    let mut w = spawn_worker(&url, "tokyo-1@35.68,139.69", &[]);
    let (code, out, err) = run(&[
        "--json",
        "watch",
        cat.to_str().unwrap(),
        "--db",
        &url,
        "--vantages",
        "tokyo-1",
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "1",
        "--every",
        "1s",
        "--jitter",
        "0",
        "--max-runs",
        "2",
    ]);
    let _ = w.kill();
    let _ = w.wait();
    assert_eq!(code, 0, "{out}\n{err}");
    // Two cycles, each a queued run completed by the worker: recorded, the second diffed
    // against the first.
    assert_eq!(count(&pg, "watch", "SELECT count(*) FROM queue_runs"), 2);
    assert_eq!(
        count(
            &pg,
            "watch",
            "SELECT count(*) FROM queue_runs WHERE assessed IS NOT NULL"
        ),
        2
    );
    assert_eq!(count(&pg, "watch", "SELECT count(*) FROM runs"), 2);
    let second = count(
        &pg,
        "watch",
        "SELECT count(*) FROM queue_runs
         WHERE summary::jsonb #>> '{providers,0,previous_run}' IS NOT NULL",
    );
    assert_eq!(
        second, 1,
        "the second cycle names the first as its previous run"
    );
}

/// PEM of one DER item.
fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[test]
fn tls_to_the_database_is_verified_with_pgsslrootcert() {
    let pg = PgCluster::start().expect("PostgreSQL must be installed (scripts/test)");
    pg.create_db("tls");
    let dir = tempfile::tempdir().unwrap();
    let pki = kensa_lab::pki::Pki::new("Database Root", "kensa tests", "JP").unwrap();
    let now = time::OffsetDateTime::now_utc();
    let leaf = pki
        .leaf(&kensa_lab::pki::LeafSpec {
            names: vec!["127.0.0.1".into()],
            organisation: "kensa tests".into(),
            not_before: now - time::Duration::days(1),
            not_after: now + time::Duration::days(30),
        })
        .unwrap();
    pg.enable_tls(
        &pem("CERTIFICATE", &leaf.chain[0]),
        &pem("PRIVATE KEY", leaf.key.secret_der()),
    );
    let root = write(dir.path(), "root.pem", &pki.root_pem);
    let tls = pg.tls_url("tls");
    // Without TLS the server refuses the login now (hostnossl … reject).
    let (code, _, err) = run(&["status", "--db", &pg.url("tls")]);
    assert_eq!(code, 2, "{err}");
    // Over TLS, the server's certificate checked against PGSSLROOTCERT: the schema is made
    // and a token written, then read back.
    for args in [
        &[
            "--json", "token", "create", "--role", "viewer", "--db", &tls,
        ][..],
        &["--json", "status", "--db", &tls][..],
    ] {
        let out = kensa()
            .args(args)
            .env("PGSSLROOTCERT", &root)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
    // A server whose certificate no trusted root issued is refused, naming the database.
    let (code, _, err) = run(&["status", "--db", &tls]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("postgres://kensa@127.0.0.1:{}/tls", pg.port)) && err.contains("TLS"),
        "{err}"
    );
    assert!(!err.contains(pgc::PASSWORD), "{err}");
}

/// `kensa diff --db` of two stored runs and `kensa compare --db` answer alike from both
/// stores (issue 21: both stores meet the after-the-scan targets, benches/store_pg.rs), the
/// lines' provider and probe columns are written with them, and a database of schema 4 gets
/// them filled by its migration.
#[test]
fn diff_and_compare_of_stored_runs_answer_alike_from_postgres_and_sqlite() {
    use kensa::assess::synth::{SynthSpec, write_run};
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("stored");
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("k.db");
    let mut ids = Vec::new();
    for seed in [1, 2] {
        // Varied: modern, legacy, failing and missing probes, so that findings change.
        let mut spec = SynthSpec::new(40, 5);
        spec.seed = seed;
        spec.run_id = format!("synth-stored-{seed}");
        let out = dir.path().join(format!("run{seed}"));
        write_run(&out, &spec).unwrap();
        let mut st = kensa::store::Store::open(&sqlite).unwrap();
        kensa::pipeline::import_run_dir(&mut st, &out).unwrap();
        let mut st = kensa::pg::store::PgRunStore::connect(&url).unwrap();
        kensa::pipeline::import_run_dir(&mut st, &out).unwrap();
        ids.push(spec.run_id);
    }
    let sq = sqlite.display().to_string();
    let pg_name =
        kensa::store::StoredRuns::db_name(&kensa::pg::store::PgRunStore::connect(&url).unwrap());
    assert!(!pg_name.contains(pgc::PASSWORD), "{pg_name}");
    let both = |args: &[&str]| {
        let get = |db: &str| {
            let mut all = args.to_vec();
            all.extend(["--db", db]);
            let (code, out, err) = code_out(kensa().args(&all));
            assert!(code == 0 || code == 1, "{all:?}: {code} {err}");
            (code, out)
        };
        let (a, b) = (get(&sq), get(&url));
        assert_eq!(a.0, b.0, "{args:?}: exit statuses");
        (a.1, b.1)
    };
    for json in [false, true] {
        let mut args = vec!["diff", ids[0].as_str(), ids[1].as_str()];
        if json {
            args.insert(0, "--json");
        }
        let (a, b) = both(&args);
        assert!(a.contains("synth-stored-2"), "{a}");
        assert!(!a.trim().is_empty());
        // The same diff; only the store's name differs.
        assert_eq!(a.replace(&sq, "DB"), b.replace(&pg_name, "DB"), "{args:?}");
    }
    for args in [
        vec!["compare"],
        vec!["--json", "compare"],
        vec!["compare", "--format", "csv"],
    ] {
        let (a, b) = both(&args);
        assert_eq!(a.lines().count(), b.lines().count());
        assert!(a.contains("synth-stored-2"), "{a}");
        assert_eq!(a, b, "{args:?}");
    }
    // `kensa history` too, and its unknown provider named alike.
    let provider = kensa::store::RunStore::latest_per_provider(
        &kensa::store::Store::open_existing(&sqlite).unwrap(),
    )
    .unwrap()[0]
        .provider
        .clone();
    for args in [
        vec!["history", provider.as_str()],
        vec!["--json", "history", provider.as_str()],
    ] {
        let (a, b) = both(&args);
        assert!(
            a.contains("synth-stored-1") && a.contains("synth-stored-2"),
            "{a}"
        );
        assert_eq!(a, b, "{args:?}");
    }
    let unknown = |db: &str| {
        let (code, _, err) = code_out(kensa().args(["history", "no-such-provider", "--db", db]));
        assert_eq!(code, 2, "{err}");
        err
    };
    assert_eq!(
        unknown(&sq).replace(&sq, "DB"),
        unknown(&url).replace(&pg_name, "DB")
    );

    // Every evidence line carries its provider and probe.
    assert_eq!(
        count(
            &pg,
            "stored",
            "SELECT count(*) FROM run_lines WHERE (line::jsonb ->> 'type') = 'evidence' \
             AND (provider IS NULL OR probe IS NULL)"
        ),
        0
    );
    assert!(
        count(
            &pg,
            "stored",
            "SELECT count(*) FROM run_lines WHERE probe = 'tls.scan'"
        ) > 0
    );

    // A database of schema 4 with a run's lines: migrated, its lines get the columns.
    let old = pg.create_db("schema4");
    for step in &kensa::pg::MIGRATIONS[..4] {
        pg.psql("schema4", step);
    }
    pg.psql(
        "schema4",
        "INSERT INTO kensa_meta VALUES ('application', 'kensa'), ('schema_version', '4');
         INSERT INTO runs (run_id, run_dir, head, integrity, imported) VALUES ('r', '', 'h', 'complete', 'now');
         INSERT INTO run_lines (run_id, seq, line) VALUES
           ('r', 0, '{\"seq\":0,\"type\":\"run-begin\",\"data\":{}}'),
           ('r', 1, '{\"seq\":1,\"type\":\"evidence\",\"data\":{\"target\":{\"provider\":\"p1\"},\"probe\":\"tls.scan\"}}');",
    );
    kensa::pg::store::PgRunStore::connect(&old).unwrap();
    assert_eq!(
        pg.psql(
            "schema4",
            "SELECT value FROM kensa_meta WHERE key = 'schema_version'"
        ),
        kensa::pg::latest_version().to_string()
    );
    assert_eq!(
        pg.psql(
            "schema4",
            "SELECT provider || ' ' || probe FROM run_lines WHERE seq = 1"
        ),
        "p1 tls.scan"
    );
    assert_eq!(
        pg.psql(
            "schema4",
            "SELECT count(*) FROM run_lines WHERE seq = 0 AND provider IS NULL"
        ),
        "1"
    );
}

/// `diff`, `compare` and `history` with an unreachable PostgreSQL store: exit 2, the database
/// named once and without its password (it was named twice: the store's error repeated the
/// name the database's error begins with).
#[test]
fn an_unreachable_postgres_store_is_named_once_by_diff_compare_and_history() {
    let port = pgc::free_port();
    let url = format!("postgres://kensa:s3cret-pw@127.0.0.1:{port}/k");
    let name = format!("postgres://kensa@127.0.0.1:{port}/k");
    for args in [
        vec!["diff", "run-a", "run-b", "--db", url.as_str()],
        vec!["compare", "--db", url.as_str()],
        vec!["history", "acme", "--db", url.as_str()],
    ] {
        let (code, out, err) = code_out(kensa().args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("cannot reach the PostgreSQL server"), "{err}");
        assert_eq!(err.matches(&name).count(), 1, "{args:?}: {err}");
        assert!(!err.contains("s3cret-pw"), "{err}");
    }
}

/// `kensa scan --db postgres://…` records the run in PostgreSQL. It wrote a SQLite file at a
/// path made of the URL (`./postgres:/USER:PASSWORD@HOST…`) and printed the password.
#[test]
fn scan_with_a_postgres_url_records_the_run_there_and_writes_no_file() {
    let Some(pg) = PgCluster::start() else { return };
    let url = pg.create_db("scanned");
    let dir = tempfile::tempdir().unwrap();
    let (cat, _ls) = catalog(dir.path(), 2);
    let out = dir.path().join("run");
    let (code, _, err) = code_out(kensa().current_dir(dir.path()).args([
        "scan",
        cat.to_str().unwrap(),
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "1",
        "--db",
        url.as_str(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains(pgc::PASSWORD), "{err}");
    assert!(err.contains("run database: postgres://"), "{err}");
    assert_eq!(count(&pg, "scanned", "SELECT count(*) FROM runs"), 1);
    assert!(count(&pg, "scanned", "SELECT count(*) FROM findings") > 0);
    assert!(!dir.path().join("postgres:").exists());
}

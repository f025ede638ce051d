//! The PostgreSQL job queue's speed, on a throw-away cluster of the bench's own
//! (tests/common/pg.rs; loopback only):
//!
//! - claims per second with 1, 2 and 4 workers (tasks, each with its own connections) on
//!   100,000 queued jobs, claiming one job per claim (`FOR UPDATE SKIP LOCKED`) and eight;
//! - evidence insert rate (records/s through [`Pg::complete`], each job's chain recorded under
//!   its lease) and the database size per 1,000 records.
//!
//! `cargo bench --bench queue` (a bench binary, not criterion: each figure is one pass over
//! 100,000 jobs, which does not repeat). Set `KENSA_QUEUE_JOBS` for fewer jobs.

#[path = "../tests/common/pg.rs"]
mod pgc;

use std::time::{Duration, Instant};

use kensa::evidence::{
    self, AddressSource, Evidence, GENESIS, Record, RunBegin, RunEnd, RunStatus, TargetRef,
};
use kensa::pg::queue::{JobResult, WorkerIdent};
use kensa::pg::store::Line;
use kensa::pg::{Pg, PoolSettings};
use kensa_probe::{Fault, Outcome};

async fn fill(pg: &Pg, run: &str, n: i64) {
    let c = pg.client().await.expect("client");
    c.execute(
        "INSERT INTO queue_runs (run_id, started_at, tool, catalog_source, catalog_text,
                                 catalog_digest, config, probes, vantages, jobs_total, remaining)
         VALUES ($1, 'now', $2, 'bench', '', '', '{}', ARRAY['latency.tcp'], ARRAY['v'], $3, $3)",
        &[&run, &kensa::TOOL, &n],
    )
    .await
    .expect("run");
    c.execute(
        "INSERT INTO jobs (run_id, vantage, target, provider, tool, probes)
         SELECT $1, 'v', 'p/127.0.0.1:' || g, 'p', $2, ARRAY['latency.tcp']
         FROM generate_series(1, $3::bigint) g",
        &[&run, &kensa::TOOL, &n],
    )
    .await
    .expect("jobs");
    c.batch_execute("VACUUM ANALYZE jobs")
        .await
        .expect("vacuum");
}

fn ident(i: usize) -> WorkerIdent {
    WorkerIdent {
        id: format!("bench-{i}"),
        vantage: evidence::Vantage {
            name: "v".into(),
            lat: None,
            lon: None,
        },
    }
}

async fn claims(url: &str, workers: usize, batch: i64, n: i64) -> f64 {
    let pg = Pg::connect(
        url,
        PoolSettings {
            max_size: workers + 1,
            ..PoolSettings::default()
        },
    )
    .await
    .expect("connect");
    let run = format!("claims-{workers}-{batch}");
    fill(&pg, &run, n).await;
    let known = vec!["latency.tcp".to_owned()];
    let t = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..workers {
        let (pg, known) = (pg.clone(), known.clone());
        tasks.push(tokio::spawn(async move {
            let me = ident(i);
            let mut got = 0usize;
            loop {
                let (_, jobs) = pg
                    .claim(&me, &known, batch, Duration::from_secs(600))
                    .await
                    .expect("claim");
                if jobs.is_empty() {
                    return got;
                }
                got += jobs.len();
            }
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.expect("task");
    }
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(i64::try_from(total).unwrap(), n, "every job claimed once");
    // The next bench starts from an empty queue.
    pg.client()
        .await
        .expect("client")
        .execute("DELETE FROM queue_runs WHERE run_id = $1", &[&run])
        .await
        .expect("clean");
    f64::from(u32::try_from(total).unwrap_or(u32::MAX)) / secs
}

/// A latency.tcp record as a scan writes it (one address, five samples).
fn record(run: &str, port: u16) -> Evidence {
    Evidence {
        schema_version: evidence::SCHEMA_VERSION,
        run_id: run.to_owned(),
        target: TargetRef {
            id: format!("p/127.0.0.1:{port}"),
            provider: "p".into(),
            host: "127.0.0.1".into(),
            port,
            sni: None,
            addresses: vec!["127.0.0.1".parse().unwrap()],
            address_source: AddressSource::Literal,
            addresses_left_out: 0,
        },
        probe: "latency.tcp".into(),
        probe_version: "1".into(),
        vantage: None,
        started_at: "2026-12-04T20:00:00.000000Z".into(),
        elapsed_us: 1234,
        outcome: Outcome::Success,
        fault: Fault::None,
        observation: serde_json::value::to_raw_value(&serde_json::json!({
            "addresses": [{"address": "127.0.0.1", "samples_us": [81, 64, 60, 59, 61],
                           "min_us": 59, "median_us": 61, "p90_us": 81, "max_us": 81,
                           "failures": 0}]
        }))
        .ok(),
        error: None,
    }
}

fn chain(run: &str, job_id: i64, port: u16) -> JobResult {
    let begin = Record::RunBegin(RunBegin {
        schema_version: evidence::SCHEMA_VERSION,
        run_id: run.to_owned(),
        tool: kensa::TOOL.into(),
        started_at: "2026-12-04T20:00:00.000000Z".into(),
        catalog: "bench".into(),
        providers: 1,
        endpoints: 1,
        probes: vec![],
        vantage: None,
        settings: serde_json::json!({}),
        provider_details: vec![],
        catalog_digest: None,
        options: None,
        options_digest: None,
    });
    let (b, h0) = evidence::encode_line(GENESIS, 0, &begin).unwrap();
    let (e, h1) = evidence::encode_line(&h0, 1, &Record::Evidence(record(run, port))).unwrap();
    let end = Record::RunEnd(RunEnd {
        run_id: run.to_owned(),
        finished_at: "2026-12-04T20:00:01.000000Z".into(),
        status: RunStatus::Complete,
        records: 1,
        outcomes: [(Outcome::Success, 1)].into_iter().collect(),
        head: h1.clone(),
    });
    let (x, _) = evidence::encode_line(&h1, 2, &end).unwrap();
    JobResult {
        job_id,
        run_id: run.to_owned(),
        vantage: "v".into(),
        begin: b.trim_end().to_owned(),
        evidence: vec![Line::parse(e.trim_end()).unwrap()],
        end: x.trim_end().to_owned(),
    }
}

async fn inserts(url: &str, n: i64) -> (f64, f64, usize) {
    let pg = Pg::connect(url, PoolSettings::default())
        .await
        .expect("connect");
    let run = "inserts";
    fill(&pg, run, n).await;
    let me = ident(0);
    let known = vec!["latency.tcp".to_owned()];
    let c = pg.client().await.expect("client");
    let before: i64 = c
        .query_one("SELECT pg_total_relation_size('evidence')", &[])
        .await
        .unwrap()
        .get(0);
    let mut line_bytes = 0usize;
    let mut secs = 0.0;
    loop {
        let (token, jobs) = pg
            .claim(&me, &known, 100, Duration::from_secs(600))
            .await
            .expect("claim");
        if jobs.is_empty() {
            break;
        }
        let results: Vec<JobResult> = jobs
            .iter()
            .map(|j| chain(run, j.id, u16::try_from(j.id % 60_000).unwrap_or(1)))
            .collect();
        line_bytes += results
            .iter()
            .map(|r| r.evidence[0].text.len())
            .sum::<usize>();
        let t = Instant::now();
        let done = pg
            .complete(&me.id, &token, &results)
            .await
            .expect("complete");
        secs += t.elapsed().as_secs_f64();
        assert_eq!(done.done.len(), jobs.len());
    }
    c.batch_execute("VACUUM ANALYZE evidence").await.unwrap();
    let after: i64 = c
        .query_one("SELECT pg_total_relation_size('evidence')", &[])
        .await
        .unwrap()
        .get(0);
    let per_1000 = f64::from(u32::try_from(after - before).unwrap_or(u32::MAX))
        / (f64::from(u32::try_from(n).unwrap_or(1)) / 1000.0);
    (
        f64::from(u32::try_from(n).unwrap_or(1)) / secs,
        per_1000,
        line_bytes / usize::try_from(n).unwrap_or(1),
    )
}

fn main() {
    // `cargo test --benches` runs bench binaries once with no arguments: skip there.
    if std::env::args().any(|a| a == "--test") || std::env::var_os("KENSA_QUEUE_SKIP").is_some() {
        return;
    }
    let Some(cluster) = pgc::PgCluster::start() else {
        return;
    };
    let n: i64 = std::env::var("KENSA_QUEUE_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = cluster.create_db("bench");
    rt.block_on(async {
        // Create the schema once.
        Pg::connect(&url, PoolSettings::default()).await.unwrap();
        for batch in [1, 8] {
            for workers in [1, 2, 4] {
                let rate = claims(&url, workers, batch, n).await;
                println!(
                    "queue/claims: {workers} workers, {batch} job(s) per claim, {n} jobs: {rate:.0} jobs claimed/s"
                );
            }
        }
        let (rate, per_1000, line) = inserts(&url, n / 10).await;
        println!(
            "store/evidence: {} one-record job chains recorded in batches of 100: {rate:.0} records/s; \
             {:.0} KiB per 1,000 records (table, indexes, TOAST; lines of {line} bytes)",
            n / 10,
            per_1000 / 1024.0
        );
    });
}

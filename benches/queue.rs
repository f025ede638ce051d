//! The PostgreSQL job queue's speed, on a throw-away cluster of the bench's own
//! (tests/common/pg.rs; loopback only):
//!
//! - claims per second with 1, 2 and 4 workers (tasks, each with its own connections) on
//!   100,000 queued jobs, claiming one job per claim (`FOR UPDATE SKIP LOCKED`) and eight;
//! - evidence insert rate (records/s through [`Pg::complete`], each job's chain recorded under
//!   its lease) and the database size per 1,000 records.
//!
//! `cargo bench --bench queue` (a bench binary, not criterion: each figure is one pass over
//! 100,000 jobs, which does not repeat). Set `KENSA_QUEUE_JOBS` for fewer jobs,
//! `KENSA_QUEUE_BATCHES` (default `1,8`) and `KENSA_QUEUE_WORKERS` (default `1,2,4`) for
//! fewer passes, `KENSA_QUEUE_HOSTS=1` to give each job a host of its own (by default jobs
//! have none, so no host lease is taken).
//!
//! Besides the rate (wall clock, which a machine shared with other work lowers), each figure
//! gives the CPU time a claimed job cost: the bench process's own (the workers' side) and the
//! PostgreSQL cluster's (its postmaster and every child process, from `/proc`), which the
//! load of other processes changes far less.

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
    // With `KENSA_QUEUE_HOSTS` set, each job has a host of its own (as a catalog of distinct
    // endpoints gives): each claim then also takes a host lease per job.
    let hosts = std::env::var_os("KENSA_QUEUE_HOSTS").is_some();
    c.execute(
        "INSERT INTO jobs (run_id, vantage, target, provider, tool, probes, host)
         SELECT $1, 'v', 'p/127.0.0.1:' || g, 'p', $2, ARRAY['latency.tcp'],
                CASE WHEN $4 THEN '10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.'
                                  || g % 256
                     ELSE '' END
         FROM generate_series(1, $3::bigint) g",
        &[&run, &kensa::TOOL, &n, &hosts],
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

/// CPU seconds (user + system) of process `pid` from `/proc/PID/stat`, and its parent's pid.
fn proc_cpu(pid: u32) -> Option<(f64, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: the fields follow the last ')'.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ppid = f.get(1)?.parse().ok()?;
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    // CLK_TCK is 100 on Linux.
    Some((ticks / 100.0, ppid))
}

/// CPU seconds used so far by this process (every thread).
fn self_cpu() -> f64 {
    proc_cpu(std::process::id()).map_or(0.0, |(c, _)| c)
}

/// CPU seconds used so far by the PostgreSQL cluster listening on `port`: its postmaster and
/// its living children (backends, WAL writer, checkpointer...).
fn cluster_cpu(port: u16) -> f64 {
    let pids: Vec<u32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    let wanted = format!(" -p {port} ");
    let Some(postmaster) = pids.iter().copied().find(|p| {
        std::fs::read(format!("/proc/{p}/cmdline")).is_ok_and(|c| {
            let c = String::from_utf8_lossy(&c).replace('\0', " ");
            c.contains("postgres") && c.contains(&wanted)
        })
    }) else {
        return 0.0;
    };
    pids.iter()
        .filter_map(|p| proc_cpu(*p).map(|(c, ppid)| (*p, c, ppid)))
        .filter(|(p, _, ppid)| *p == postmaster || *ppid == postmaster)
        .map(|(_, c, _)| c)
        .sum()
}

/// A pass's figures: jobs per second (wall), and CPU microseconds per job of the bench
/// process (the workers) and of PostgreSQL.
struct Rate {
    per_sec: f64,
    client_us: f64,
    server_us: f64,
}

async fn claims(url: &str, port: u16, workers: usize, batch: i64, n: i64) -> Rate {
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
    // Every worker's connection is open before the clock starts.
    {
        let mut held = Vec::new();
        for _ in 0..workers {
            held.push(pg.client().await.expect("client"));
        }
    }
    let (cpu0, pg0) = (self_cpu(), cluster_cpu(port));
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
    let (cpu1, pg1) = (self_cpu(), cluster_cpu(port));
    assert_eq!(i64::try_from(total).unwrap(), n, "every job claimed once");
    // The next bench starts from an empty queue.
    pg.client()
        .await
        .expect("client")
        .batch_execute(&format!(
            "DELETE FROM queue_runs WHERE run_id = '{run}'; DELETE FROM host_leases"
        ))
        .await
        .expect("clean");
    let total = f64::from(u32::try_from(total).unwrap_or(u32::MAX));
    Rate {
        per_sec: total / secs,
        client_us: (cpu1 - cpu0) * 1e6 / total,
        server_us: (pg1 - pg0) * 1e6 / total,
    }
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

/// A comma-separated list of numbers from the environment variable `var`, or `default`.
fn list<T: std::str::FromStr>(var: &str, default: &str) -> Vec<T> {
    std::env::var(var)
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter_map(|x| x.trim().parse().ok())
        .collect()
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
        for batch in list("KENSA_QUEUE_BATCHES", "1,8") {
            for workers in list("KENSA_QUEUE_WORKERS", "1,2,4") {
                let r = claims(&url, cluster.port, workers, batch, n).await;
                println!(
                    "queue/claims: {workers} workers, {batch} job(s) per claim, {n} jobs: {:.0} \
                     jobs claimed/s; CPU per job: {:.0} µs kensa + {:.0} µs PostgreSQL",
                    r.per_sec, r.client_us, r.server_us
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

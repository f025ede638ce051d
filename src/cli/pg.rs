//! The distributed mode's commands: `kensa enqueue`, `kensa worker`, `kensa status`,
//! `kensa export`, and `kensa verify --db postgres://… RUN`. Each returns its stdout text and
//! exit status; errors are reported by the caller with exit status 2. A part of the command
//! line (`crate::cli::pg`): the library's side is `crate::pg`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::cli::{EXIT_FAIL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE};
use crate::pg::queue::NewRun;
use crate::pg::{DbTarget, Pg, PoolSettings, db_target};

/// Arguments of `kensa enqueue`.
#[derive(Debug, Args)]
pub struct EnqueueArgs {
    /// The catalog file.
    #[arg(value_name = "CATALOG.toml")]
    pub catalog: PathBuf,
    /// The PostgreSQL database: postgres://USER:PASSWORD@HOST:PORT/DB (default: $KENSA_DB).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// The vantages to probe from, comma-separated: one job per target and vantage.
    #[arg(long, value_delimiter = ',', required = true, value_name = "NAME,...")]
    pub vantages: Vec<String>,
    /// `kensa scan` options every worker scans with (e.g. --probes latency.tcp,tls.scan
    /// --allow-private); not --out, --resume, --db or --vantage.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "SCAN OPTIONS"
    )]
    pub scan: Vec<String>,
}

/// Arguments of `kensa worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The PostgreSQL database (default: $KENSA_DB).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// The vantage this worker probes from: NAME@LAT,LON (decimal degrees) or NAME.
    #[arg(long, value_name = "NAME[@LAT,LON]")]
    pub vantage: String,
    /// Seconds a claimed job stays this worker's without a heartbeat (heartbeats every
    /// third of it); a killed worker's jobs are run again after it.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub lease_secs: u64,
    /// Jobs claimed and scanned at once (one scan: its set-up is paid once per batch, and a
    /// worker scans its batches one after another).
    #[arg(long, default_value_t = 50)]
    pub batch: i64,
    /// Database connections at most.
    #[arg(long, default_value_t = 4)]
    pub pool_size: usize,
    /// The worker's id (default HOST-PID-RANDOM).
    #[arg(long)]
    pub worker_id: Option<String>,
    /// Exit when no job of the vantage is queued or running (exit 2 when jobs were refused).
    #[arg(long)]
    pub exit_when_idle: bool,
}

/// Arguments of `kensa status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The PostgreSQL database (default: $KENSA_DB).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

/// Arguments of `kensa export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The run id.
    pub run: String,
    /// The PostgreSQL database (default: $KENSA_DB).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// The directory to write: DIR/VANTAGE/evidence.jsonl per vantage.
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
}

/// The PostgreSQL URL `--db` or `KENSA_DB` names, or a usage error.
fn pg_url(given: Option<&str>, command: &str) -> Result<String> {
    match db_target(given) {
        DbTarget::Postgres(url) => Ok(url),
        DbTarget::Sqlite(p) => bail!(
            "kensa {command} needs a PostgreSQL database: --db postgres://USER:PASSWORD@HOST:PORT/DB \
             or KENSA_DB (got {})",
            p.display()
        ),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    Ok(format!("{}\n", serde_json::to_string_pretty(v)?))
}

/// Parse `kensa scan` arguments (without the `kensa scan` words).
fn scan_words(words: Vec<String>) -> Result<crate::cli::ScanArgs> {
    let all = ["kensa".to_owned(), "scan".to_owned()]
        .into_iter()
        .chain(words);
    match <crate::cli::Cli as clap::Parser>::try_parse_from(all) {
        Ok(crate::cli::Cli {
            command: crate::cli::Command::Scan(a),
            ..
        }) => Ok(*a),
        Ok(_) => bail!("not scan options"),
        Err(e) => bail!("{}", e.to_string().trim_start_matches("error: ").trim_end()),
    }
}

/// `kensa enqueue`.
pub fn enqueue(args: &EnqueueArgs, json: bool) -> Result<(String, u8)> {
    let url = pg_url(args.db.as_deref(), "enqueue")?;
    for w in &args.scan {
        let flag = w.split('=').next().unwrap_or_default();
        if matches!(
            flag,
            "--out" | "--resume" | "--db" | "--no-db" | "--vantage"
        ) {
            bail!("{flag} is not a scan option for enqueued jobs (workers choose it)");
        }
    }
    let text = std::fs::read_to_string(&args.catalog)
        .with_context(|| format!("cannot read {}", args.catalog.display()))?;
    let catalog = crate::catalog::parse(&args.catalog.display().to_string(), &text)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // The options as `kensa scan` parses them, as the scan configuration every worker uses
    // (trust stores and anchors by content, geolocation files by digest).
    let mut words = vec![args.catalog.display().to_string()];
    words.extend(args.scan.iter().cloned());
    let config = crate::cli::scan_config(&scan_words(words)?)?;
    let known = crate::worker::known_probes();
    let probes: Vec<String> = if config.probes.is_empty() {
        known.into_iter().filter(|p| config.runs(p)).collect()
    } else {
        config.probes.clone()
    };
    let mut vantages: Vec<String> = Vec::new();
    for v in &args.vantages {
        let v = v.trim();
        if v.is_empty() || v.contains('@') || v.contains('/') {
            bail!("invalid vantage name `{v}` in --vantages: a name, without a place");
        }
        if !vantages.iter().any(|x| x == v) {
            vantages.push(v.to_owned());
        }
    }
    let rt = runtime()?;
    let done = rt.block_on(async {
        let pg = Pg::connect(&url, PoolSettings::default()).await?;
        pg.enqueue(&NewRun {
            catalog: &catalog,
            catalog_text: &text,
            config: &config,
            probes: &probes,
            vantages: &vantages,
            notify_webhook: None,
        })
        .await
    })?;
    let out = if json {
        to_json(&done)?
    } else {
        format!(
            "run {}: {} jobs queued ({} targets × {} vantages: {})\n",
            done.run_id,
            done.jobs,
            done.targets,
            done.vantages.len(),
            done.vantages.join(", ")
        )
    };
    Ok((out, EXIT_OK))
}

/// `kensa worker`.
pub fn worker(args: &WorkerArgs, json: bool) -> Result<(String, u8)> {
    let url = pg_url(args.db.as_deref(), "worker")?;
    let vantage = crate::cli::parse_vantage(&args.vantage)?;
    if args.lease_secs == 0 || args.batch < 1 {
        bail!("--lease-secs and --batch must be at least 1");
    }
    let opts = crate::worker::WorkerOptions {
        url,
        vantage,
        worker_id: args
            .worker_id
            .clone()
            .unwrap_or_else(crate::worker::default_worker_id),
        lease: Duration::from_secs(args.lease_secs),
        batch: args.batch,
        pool: PoolSettings {
            max_size: args.pool_size.max(2),
            ..PoolSettings::default()
        },
        exit_when_idle: args.exit_when_idle,
    };
    let rt = runtime()?;
    let (summary, interrupted) = rt.block_on(async {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = interrupted.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                tracing::warn!("interrupted: finishing the jobs in hand, then stopping");
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                let _ = stop_tx.send(true);
            }
        });
        let s = crate::worker::run(opts, stop_rx).await;
        (s, interrupted.load(std::sync::atomic::Ordering::SeqCst))
    });
    let summary = summary?;
    let out = if json {
        to_json(&summary)?
    } else {
        format!(
            "worker {}: {} jobs recorded, {} refused (lease lost), {} duplicate, {} scans failed\n",
            summary.worker_id,
            summary.jobs_done,
            summary.lease_lost,
            summary.duplicate,
            summary.scans_failed
        )
    };
    let code = if interrupted {
        EXIT_INTERRUPTED
    } else if !summary.refused.is_empty() {
        for r in &summary.refused {
            eprintln!("error: {r}");
        }
        EXIT_USAGE
    } else {
        EXIT_OK
    };
    Ok((out, code))
}

/// `kensa status`.
pub fn status(args: &StatusArgs, json: bool) -> Result<(String, u8)> {
    let url = pg_url(args.db.as_deref(), "status")?;
    let rt = runtime()?;
    let s = rt.block_on(async {
        let pg = Pg::connect_existing(&url, PoolSettings::default()).await?;
        pg.status().await
    })?;
    if json {
        return Ok((to_json(&s)?, EXIT_OK));
    }
    use std::fmt::Write as _;
    let mut o = String::new();
    let _ = writeln!(o, "database: {}", s.db);
    let _ = writeln!(o, "queue (jobs per vantage):");
    let _ = writeln!(
        o,
        "  {:<16} {:>8} {:>8} {:>8} {:>8}",
        "vantage", "queued", "running", "done", "failed"
    );
    for (v, states) in &s.queue {
        let n = |k: &str| states.get(k).copied().unwrap_or(0);
        let _ = writeln!(
            o,
            "  {:<16} {:>8} {:>8} {:>8} {:>8}",
            v,
            n("queued"),
            n("running"),
            n("done"),
            n("failed")
        );
    }
    let _ = writeln!(
        o,
        "leases held: {} (expired: {}); jobs per minute (last 5 min): {:.1}",
        s.leases_held, s.leases_expired, s.jobs_per_minute
    );
    let _ = writeln!(o, "workers:");
    for w in &s.workers {
        let _ = writeln!(
            o,
            "  {:<28} {:<12} {} ({:.0} s ago, {}) {} jobs",
            w.worker_id,
            w.vantage,
            w.heartbeat,
            w.seconds_since,
            if w.alive { "alive" } else { "silent" },
            w.jobs_done
        );
    }
    let _ = writeln!(o, "runs in progress:");
    for r in &s.runs {
        let _ = writeln!(
            o,
            "  {} {}/{} jobs left (since {})",
            r.run_id, r.remaining, r.jobs_total, r.started_at
        );
    }
    Ok((o, EXIT_OK))
}

/// `kensa verify --db URL RUN`.
pub fn verify(db: &str, run: &str, json: bool) -> Result<(String, u8)> {
    let url = pg_url(Some(db), "verify --db")?;
    let rt = runtime()?;
    let v = rt.block_on(async {
        let pg = Pg::connect_existing(&url, PoolSettings::default()).await?;
        pg.verify_run(run).await
    })?;
    let code = if v.ok() { EXIT_OK } else { EXIT_FAIL };
    if json {
        return Ok((to_json(&v)?, code));
    }
    use std::fmt::Write as _;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "run {}: {} of {} job chains intact ({} evidence records); {} jobs done, {} failed, {} \
         not finished",
        v.run_id,
        v.chains_intact,
        v.jobs_done,
        v.records,
        v.jobs_done,
        v.jobs_failed,
        v.jobs - v.jobs_done - v.jobs_failed
    );
    for b in &v.broken {
        let _ = writeln!(
            o,
            "  TAMPERED job {} ({} from {}): {}",
            b.job_id, b.target, b.vantage, b.problem
        );
    }
    if v.orphans > 0 {
        let _ = writeln!(o, "  {} evidence rows outside any finished job", v.orphans);
    }
    Ok((o, code))
}

/// `kensa export`.
pub fn export(args: &ExportArgs, json: bool) -> Result<(String, u8)> {
    let url = pg_url(args.db.as_deref(), "export")?;
    let rt = runtime()?;
    let files = rt.block_on(async {
        let pg = Pg::connect_existing(&url, PoolSettings::default()).await?;
        pg.export_run(&args.run, &args.out).await
    })?;
    if json {
        return Ok((to_json(&files)?, EXIT_OK));
    }
    let mut o = String::new();
    for f in &files {
        o.push_str(&format!("{}\n", f.display()));
    }
    Ok((o, EXIT_OK))
}

//! `kensa recheck` and `kensa watch`: scheduled re-checks with diffs and alerts.
//!
//! `recheck` is one operator cycle: scan the catalog (exactly as `kensa scan`), record the run
//! in the run database, assess each provider with the profile it applies for, and compare
//! with that provider's previous run in the database ([`crate::diff`]): new failures, fixed
//! controls, grade changes, certificates entering the 30/14/7-day windows, addresses newly
//! outside the declared country. Any regression gives exit status 1, and `--notify-webhook`
//! posts the summary as JSON. `watch` repeats `recheck` on a schedule with jitter; a failed
//! cycle is logged and the loop goes on; a lock file next to the database makes sure two
//! cycles (from this or another process) never overlap.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::config::ScanConfig;
use crate::scan::ScanRunner;

use crate::diff::{self, ProviderDiff};
use crate::store::{self, Store};

/// What one re-check cycle does (`kensa recheck`'s arguments, mapped by the command line).
#[derive(Clone, Debug)]
pub struct RecheckOptions {
    /// The catalog file, or HOST[:PORT] targets (read again at every cycle).
    pub targets: Vec<String>,
    /// The scan's configuration.
    pub config: ScanConfig,
    /// The run directory (default `runs/<run id>`).
    pub out: Option<PathBuf>,
    /// The run database.
    pub db: PathBuf,
    /// POST the summary as JSON to this URL (http:// only to loopback; https:// anywhere).
    pub notify_webhook: Option<String>,
    /// With a PostgreSQL `db`: the vantages whose workers scan the enqueued run.
    pub vantages: Vec<String>,
}

/// What `kensa watch` does.
#[derive(Clone, Debug)]
pub struct WatchOptions {
    /// Each cycle.
    pub recheck: RecheckOptions,
    /// Time between the starts of two cycles.
    pub every: Duration,
    /// Random delay added to each wait, as a fraction of `every` (0 to 1).
    pub jitter: f64,
    /// Stop after this many cycles (default: never).
    pub max_runs: Option<u64>,
}

/// Why a re-check could not be carried out (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum RecheckError {
    /// Another cycle holds the lock.
    #[error(
        "{lock}: another recheck or watch (pid {pid}) is running on this database; wait for \
         it to finish"
    )]
    Locked {
        /// The lock file.
        lock: String,
        /// The process that holds it.
        pid: String,
    },
    /// The lock file could not be created.
    #[error("cannot create the lock file {lock}: {source}")]
    Lock {
        /// The lock file.
        lock: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The scan failed.
    #[error("{0}")]
    Scan(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// The scan is done, but the run database could not record it (exit status 3).
    #[error("the run was scanned but not recorded in the run database: {0}")]
    Record(store::StoreError),
    /// The comparison failed.
    #[error(transparent)]
    Diff(#[from] diff::DiffError),
    /// The webhook could not be reached or refused the summary.
    #[error("webhook {url}: {reason}")]
    Webhook {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// A bad `--jitter`.
    #[error("invalid --jitter {0}: expected a fraction from 0 to 1")]
    Jitter(f64),
}

/// One provider's result in a re-check.
#[derive(Clone, Debug, Serialize)]
pub struct ProviderRecheck {
    /// The provider id.
    pub provider: String,
    /// The profile it applies for.
    pub applies_for: Option<String>,
    /// Its verdict under that profile in this run.
    pub verdict: Option<String>,
    /// The previous run compared with (`None`: the first run of this provider).
    pub previous_run: Option<String>,
    /// What changed since then.
    pub diff: Option<ProviderDiff>,
    /// Whether it regressed.
    pub regression: bool,
    /// Whether it fails the profile it applies for in this run (exit status 1, as for
    /// `kensa assess`).
    pub fails_applies_for: bool,
}

impl RecheckSummary {
    /// The summary of a recorded run from its providers' re-checks.
    pub fn new(
        run_id: String,
        run_dir: String,
        db: String,
        providers: Vec<ProviderRecheck>,
    ) -> Self {
        let regression = providers.iter().any(|p| p.regression);
        let fails_applies_for = providers.iter().any(|p| p.fails_applies_for);
        RecheckSummary {
            run_id,
            run_dir,
            db,
            providers,
            regression,
            fails_applies_for,
        }
    }

    /// The exit status the rule gives it: 1 when a provider regressed or fails the profile it
    /// applies for, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.regression || self.fails_applies_for)
    }
}

/// The summary of one re-check (what `--json` prints and the webhook receives).
#[derive(Clone, Debug, Serialize)]
pub struct RecheckSummary {
    /// The new run's id.
    pub run_id: String,
    /// Its directory.
    pub run_dir: String,
    /// The run database.
    pub db: String,
    /// Per provider.
    pub providers: Vec<ProviderRecheck>,
    /// Whether any provider regressed.
    pub regression: bool,
    /// Whether any provider fails the profile it applies for.
    pub fails_applies_for: bool,
}

/// Parse `30s`, `15m`, `24h`, `7d`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{s}`: expected a number and a unit (s, m, h, d), e.g. 24h"))?;
    let secs = match unit {
        "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        "d" => n.checked_mul(86_400),
        _ => None,
    }
    .filter(|&x| x > 0)
    .ok_or_else(|| format!("`{s}`: expected a positive number and a unit (s, m, h, d)"))?;
    Ok(Duration::from_secs(secs))
}

/// The re-check cycle lock: an advisory `flock` on `DB.lock` (as [`crate::runlock`] does for
/// run directories), released by the kernel however the holder exits, so two processes can
/// never both hold it and a crashed holder never leaves a stale lock.
/// Another store's lock is held by whatever guard it hands to [`CycleLock::held`] (the
/// PostgreSQL store: a session holding an advisory lock).
#[derive(Debug)]
pub struct CycleLock(#[allow(dead_code)] Box<dyn std::any::Any + Send>);

impl CycleLock {
    /// A lock held as long as `guard` lives.
    pub fn held(guard: impl std::any::Any + Send) -> Self {
        Self(Box::new(guard))
    }

    /// Take the lock for the run database `db` without waiting.
    pub fn take(db: &Path) -> Result<Self, RecheckError> {
        let mut name = db.as_os_str().to_owned();
        name.push(".lock");
        let lock = PathBuf::from(name);
        match crate::runlock::RunLock::take_file(&lock, db) {
            Ok(l) => Ok(Self(Box::new(l))),
            Err(crate::runlock::LockError::Held { pid, .. }) => Err(RecheckError::Locked {
                lock: lock.display().to_string(),
                pid,
            }),
            Err(crate::runlock::LockError::Io { source, .. }) => Err(RecheckError::Lock {
                lock: lock.display().to_string(),
                source,
            }),
        }
    }
}

/// How many earlier runs a re-check reads back when the previous run left controls undecided
/// (an outage), to compare each with the last run that decided it.
pub const LOOKBACK_RUNS: usize = 10;

/// One re-check cycle: the summary and the exit status (1 on any regression, or when a
/// provider fails the profile it applies for; 3 when the run could not be recorded).
pub fn run_cycle(
    args: &RecheckOptions,
    runner: &dyn ScanRunner,
) -> Result<RecheckSummary, RecheckError> {
    // A PostgreSQL store: the catalog is enqueued for the workers instead of scanned here.
    if let Some(url) = args.db.to_str().filter(|u| crate::pg::is_postgres_url(u)) {
        return crate::pg::complete::enqueue_cycle(url, args);
    }
    let db = args.db.clone();
    let _lock = CycleLock::take(&db)?;
    // Open (and check) the database before probing anything.
    let mut st = Store::open(&db)?;
    let catalog = crate::catalog::load_targets(&args.targets)
        .map_err(|e| RecheckError::Scan(e.to_string()))?;
    let run_id = crate::scan::new_run_id();
    let sink = crate::scan::Sink {
        dir: args
            .out
            .clone()
            .unwrap_or_else(|| crate::scan::default_run_dir(&run_id)),
        resume: false,
        run_id: Some(run_id),
        on_record: None,
    };
    let report = runner
        .run_scan(&catalog, &args.config, sink)
        .map_err(|e| RecheckError::Scan(e.to_string()))?;
    let run_dir = PathBuf::from(&report.run_dir);
    // Read once, grade, record: the store never grades. The scan is done: a failure to
    // record it is a partial result (exit 3), not an input error.
    let (_, loaded) =
        crate::pipeline::import_run_dir(&mut st, &run_dir).map_err(RecheckError::Record)?;
    let providers = provider_rechecks(&st, &loaded.run, &report.run_id)?;
    let summary = RecheckSummary::new(
        report.run_id.clone(),
        report.run_dir,
        db.display().to_string(),
        providers,
    );
    if let Some(url) = &args.notify_webhook {
        notify(url, &summary)?;
    }
    Ok(summary)
}

/// Each provider of `run` (recorded in `st` as `run_id`): its verdict under the profile it
/// applies for, and what changed since its previous run in the store.
pub fn provider_rechecks(
    st: &dyn store::RunStore,
    run: &crate::assess::doc::Run,
    run_id: &str,
) -> Result<Vec<ProviderRecheck>, RecheckError> {
    let mut providers = Vec::new();
    for (id, info) in &run.providers {
        let previous = st.previous_run_of(id, run_id)?;
        let grades = st
            .grade_history(id)?
            .into_iter()
            .find(|r| r.run_id == run_id)
            .map(|r| r.grades)
            .unwrap_or_default();
        let verdict = info.applies_for.as_ref().and_then(|af| {
            grades
                .iter()
                .find(|g| &g.profile == af)
                .map(|g| g.verdict.clone())
        });
        // The previous run comes from the store (verified, its head checked), not from a run
        // directory that may exist only on the machine that wrote it.
        let diff = match &previous {
            Some(prev) => {
                let old = st.load_run(&prev.run_id)?;
                let of = |d: diff::RunDiff| d.providers.into_iter().find(|p| &p.provider == id);
                let first = of(diff::diff_loaded(&old, run)?);
                // Controls the previous run left undecided (an outage) are compared with the
                // last run that decided them: read the earlier runs back only then.
                if first
                    .as_ref()
                    .is_some_and(|p| p.old_unreachable || !p.decided_now.is_empty())
                {
                    let runs = st.grade_history(id)?;
                    let at = runs
                        .iter()
                        .position(|r| r.run_id == prev.run_id)
                        .unwrap_or(0);
                    let mut earlier = Vec::new();
                    for r in runs.iter().take(at).rev().take(LOOKBACK_RUNS) {
                        earlier.push(st.load_run(&r.run_id)?);
                    }
                    of(diff::diff_with_history(&old, run, &earlier)?)
                } else {
                    first
                }
            }
            None => None,
        };
        let regression = diff.as_ref().is_some_and(ProviderDiff::regressions);
        let fails_applies_for = info.applies_for.as_ref().is_some_and(|af| {
            grades
                .iter()
                .any(|g| &g.profile == af && g.passed == Some(false))
        });
        providers.push(ProviderRecheck {
            provider: id.clone(),
            applies_for: info.applies_for.clone(),
            verdict,
            previous_run: previous.map(|p| p.run_id),
            diff,
            regression,
            fails_applies_for,
        });
    }
    Ok(providers)
}

/// POST `summary` as JSON to `url`.
pub fn notify(url: &str, summary: &RecheckSummary) -> Result<(), RecheckError> {
    let err = |reason: String| RecheckError::Webhook {
        url: url.to_owned(),
        reason,
    };
    kensa_probe_geo::geodb::check_transport(url).map_err(|e| err(e.to_string()))?;
    let body = serde_json::to_string(summary).map_err(|e| err(e.to_string()))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| err(e.to_string()))?;
    rt.block_on(async {
        let client = kensa_probe_geo::geodb::client().map_err(|e| err(e.to_string()))?;
        let resp = client
            .post(url)
            .header("content-type", "application/json")
            .timeout(Duration::from_secs(30))
            .body(body)
            .send()
            .await
            .map_err(|e| err(e.to_string()))?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(err(format!("answered {}", resp.status())))
        }
    })
}

/// The text form of a re-check.
pub fn render(s: &RecheckSummary) -> String {
    use std::fmt::Write as _;
    let mut out = format!("recheck {} (database {})\n", s.run_id, s.db);
    for p in &s.providers {
        let _ = writeln!(
            out,
            "{:<16} {:<16} {:<14} {}",
            p.provider,
            p.applies_for.as_deref().unwrap_or("-"),
            p.verdict.as_deref().unwrap_or("-"),
            match (&p.previous_run, p.regression) {
                (None, _) => "first run: nothing to compare".to_owned(),
                (Some(r), true) => format!("REGRESSED since {r}"),
                (Some(r), false) => format!("no regression since {r}"),
            } + if p.fails_applies_for {
                "; FAILS its applies_for"
            } else {
                ""
            }
        );
        if let Some(d) = &p.diff {
            if d.old_unreachable {
                let _ = writeln!(
                    out,
                    "  was unreachable in {}: each control compared with the last run that \
                     decided it{}",
                    p.previous_run.as_deref().unwrap_or("-"),
                    if d.decided_now.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; {} failing never decided before (not a regression)",
                            d.decided_now.len()
                        )
                    }
                );
            }
            for c in &d.new_failures {
                let _ = writeln!(out, "  new failure  {} [{}]", c.control, c.target);
            }
            for c in &d.fixed {
                let _ = writeln!(out, "  fixed        {} [{}]", c.control, c.target);
            }
            for g in &d.grade_changes {
                let _ = writeln!(
                    out,
                    "  {}  {}: {} -> {}",
                    if g.worse { "worse  " } else { "changed" },
                    g.profile,
                    g.old.as_deref().unwrap_or("-"),
                    g.new.as_deref().unwrap_or("-")
                );
            }
            for c in &d.expiring {
                let _ = writeln!(
                    out,
                    "  expiring     {} in {} days (window {} days) [{}]",
                    c.subject, c.days_left, c.window, c.target
                );
            }
            for a in &d.new_abroad {
                let _ = writeln!(
                    out,
                    "  abroad       {} now in {} [{}]",
                    a.address,
                    a.other_countries.join(", "),
                    a.target
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "{}",
        match (s.regression, s.fails_applies_for) {
            (true, _) => "result: regression (exit 1)",
            (false, true) => "result: no regression, but a provider fails its applies_for (exit 1)",
            (false, false) => "result: no regression",
        }
    );
    out
}

/// `kensa recheck`: one cycle's summary (its exit status is [`RecheckSummary::exit_code`]).
pub fn recheck(
    args: &RecheckOptions,
    runner: &dyn ScanRunner,
) -> Result<RecheckSummary, RecheckError> {
    run_cycle(args, runner)
}

impl crate::output::Render for RecheckSummary {
    fn text(&self) -> String {
        render(self)
    }
    fn json(&self) -> String {
        crate::output::json_of(self)
    }
    fn exit_code(&self) -> u8 {
        RecheckSummary::exit_code(self)
    }
}

/// A pseudo-random fraction in [0, 1) for the jitter (ring's system randomness).
fn random_fraction() -> f64 {
    use ring::rand::SecureRandom as _;
    let mut b = [0u8; 4];
    let _ = ring::rand::SystemRandom::new().fill(&mut b);
    f64::from(u32::from_be_bytes(b)) / (f64::from(u32::MAX) + 1.0)
}

/// `kensa watch`: runs cycles until `--max-runs` (or forever). Each cycle's summary goes to
/// `each` as it finishes (the command line prints it: text, or a JSON line with `--json`); a
/// failed cycle is logged and the loop goes on. Returns the exit status: 1 when the last
/// cycle regressed, a provider failed its applies_for, or the cycle failed.
pub fn watch(
    args: &WatchOptions,
    runner: &dyn ScanRunner,
    each: &dyn Fn(&RecheckSummary),
) -> Result<u8, RecheckError> {
    if !(0.0..=1.0).contains(&args.jitter) {
        return Err(RecheckError::Jitter(args.jitter));
    }
    let mut cycle: u64 = 0;
    let mut last: u8;
    loop {
        cycle += 1;
        let started = Instant::now();
        tracing::info!(cycle, "watch: re-check starting");
        // Every cycle starts from the same arguments; a scan's run directory is per cycle.
        let mut a = args.recheck.clone();
        if let Some(out) = &args.recheck.out {
            a.out = Some(out.join(format!("cycle-{cycle}")));
        }
        match run_cycle(&a, runner) {
            Ok(summary) => {
                last = summary.exit_code();
                each(&summary);
            }
            Err(e) => {
                last = 1;
                tracing::error!(
                    cycle,
                    "watch: re-check failed: {e}; the next cycle runs as planned"
                );
            }
        }
        if args.max_runs.is_some_and(|m| cycle >= m) {
            return Ok(last);
        }
        let jitter = args.every.mul_f64(args.jitter * random_fraction());
        let wait = (args.every + jitter).saturating_sub(started.elapsed());
        tracing::info!(
            cycle,
            next_in_s = wait.as_secs_f64(),
            "watch: waiting for the next cycle"
        );
        std::thread::sleep(wait);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(604_800)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("10w").is_err());
    }

    #[test]
    fn a_lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let first = CycleLock::take(&db).unwrap();
        match CycleLock::take(&db) {
            Err(RecheckError::Locked { pid, .. }) => {
                assert_eq!(pid, std::process::id().to_string())
            }
            other => panic!("{other:?}"),
        }
        drop(first);
        let again = CycleLock::take(&db).unwrap();
        drop(again);
        // A pid file left by a process that is gone holds no lock: the kernel's lock is what
        // counts, not the file's content.
        std::fs::write(dir.path().join("k.db.lock"), "999999999\n").unwrap();
        let taken = CycleLock::take(&db).unwrap();
        drop(taken);
    }
}

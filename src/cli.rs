//! The command line: `kensa scan`, `kensa verify`, `kensa assess`, `kensa profiles`,
//! `kensa controls`.
//!
//! stdout carries data (tables, or JSON with `--json`); stderr carries logs and progress.
//! Exit codes, one rule for every command (README "Exit status"):
//! 0 ok; 1 a judged failure (a run that does not verify, a provider that fails the profile it
//! applies for, a regression) or nothing could be observed (no probe reached any target);
//! 2 bad usage or input; 3 partial: the work was done but not all of it was kept (the run
//! database could not record the run) or could not be fully trusted (a bundle's signer not
//! pinned); 130 interrupted.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use tokio::sync::watch;

pub mod pg;

use crate::catalog::{self, Catalog};
use crate::config::{self, ScanConfig};
use crate::engine::Settings;
use crate::evidence::{self, Integrity, RunStatus, Vantage};
use crate::scan::{self, ScanReport};

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: a judged failure.
pub const EXIT_FAIL: u8 = 1;
/// Exit status: bad usage or input.
pub const EXIT_USAGE: u8 = 2;
/// Exit status: partial (the run database could not record the run; a bundle intact but its
/// signer not pinned).
pub const EXIT_PARTIAL: u8 = 3;
/// Exit status: interrupted (128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;

/// kensa gathers verifiable evidence about cloud providers' public endpoints and grades them.
#[derive(Debug, Parser)]
#[command(name = "kensa", version, about, long_about = None)]
pub struct Cli {
    /// Print machine-readable JSON on stdout instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// More log output on stderr (repeat for more). The KENSA_LOG variable overrides it.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Colour: `auto` (on a terminal, unless NO_COLOR is set), `always` or `never`.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless the NO_COLOR variable is set (and not empty).
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (`terminal`) or is not a terminal.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Probe the endpoints of a catalog (or HOST[:PORT] targets) and write evidence.
    Scan(Box<ScanArgs>),
    /// Check a run's evidence hash chain, or a signed bundle (naming what was altered).
    Verify(VerifyArgs),
    /// Manage the default geolocation databases.
    #[command(subcommand)]
    Geodb(GeodbCommand),
    /// Judge residency again with the connect times of several runs of the same catalog, one
    /// per vantage (`scan --vantage NAME@LAT,LON`): their light-in-fibre discs are
    /// intersected. Reads the runs only.
    Residency(ResidencyArgs),
    /// Grade a run's evidence against profiles (no network): verdicts and findings per provider.
    Assess(crate::assess::command::AssessArgs),
    /// List the built-in profiles.
    Profiles(crate::assess::command::ProfilesArgs),
    /// List the built-in controls, or write the control reference (`--markdown`).
    Controls(crate::assess::command::ControlsArgs),
    /// Render a run as a report: HTML (one self-contained file), Markdown, JSON, CSV or SARIF.
    Report(crate::report::ReportArgs),
    /// Make an Ed25519 key pair for signing evidence bundles.
    Keygen(crate::bundle::KeygenArgs),
    /// Pack a run into one signed archive (evidence, assessment, versions, signature).
    Bundle(crate::bundle::BundleArgs),
    /// Sign or check a provider's declaration (docs/declaration.md).
    #[command(subcommand)]
    Declaration(crate::declaration::command::DeclarationCmd),
    /// What changed between two runs: findings, grades, certificates, addresses.
    Diff(crate::diff::DiffArgs),
    /// A provider's grades over time, from the run database.
    History(crate::diff::HistoryArgs),
    /// One row per provider across the run database, for comparisons.
    Compare(crate::compare::CompareArgs),
    /// Scan a catalog, assess each provider with the profile it applies for, and diff against
    /// its previous run (exit 1 on any regression).
    Recheck(RecheckArgs),
    /// Re-check a catalog on a schedule, with jitter, never two runs at once.
    Watch(WatchArgs),
    /// Start a lab of sample providers on loopback, scan, assess and report it.
    Demo(crate::demo::DemoArgs),
    /// Judge a certificate or chain offline: trust per store with every reason, and the
    /// RFC 5280 / CA/Browser Forum lints (`docs/lints.md`).
    Lint(crate::lint::LintArgs),
    /// Serve a web dashboard and a REST API over the run database.
    Serve(crate::serve::ServeArgs),
    /// Create, list or revoke the API tokens of `kensa serve`.
    #[command(subcommand)]
    Token(crate::serve::TokenCommand),
    /// Queue a catalog's scan in PostgreSQL: one job per target and vantage, for workers.
    Enqueue(pg::EnqueueArgs),
    /// Claim and scan queued jobs of one vantage, recording evidence in PostgreSQL.
    Worker(pg::WorkerArgs),
    /// The PostgreSQL queue: jobs per vantage, workers, leases, runs in progress.
    Status(pg::StatusArgs),
    /// Write a queued run's evidence from PostgreSQL as evidence.jsonl files, one per vantage.
    Export(pg::ExportArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    Completions(CompletionsArgs),
    /// Print the manual page (roff, section 1) on stdout: `kensa man > kensa.1`.
    Man,
}

/// Arguments of `kensa completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `kensa recheck`.
#[derive(Debug, Args)]
pub struct RecheckArgs {
    /// Everything `kensa scan` takes (the catalog first); `--db` names the run database.
    #[command(flatten)]
    pub scan: ScanArgs,
    /// POST the summary as JSON to this URL (http:// only to loopback; https:// anywhere).
    #[arg(long, value_name = "URL")]
    pub notify_webhook: Option<String>,
    /// With `--db postgres://…`: enqueue the catalog for the workers of these vantages
    /// (comma-separated) instead of scanning here; the run is assessed, diffed and the
    /// webhook fired when its last job ends.
    #[arg(long, value_delimiter = ',', value_name = "NAME,...")]
    pub vantages: Vec<String>,
}

/// Arguments of `kensa watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// As for `kensa recheck`.
    #[command(flatten)]
    pub recheck: RecheckArgs,
    /// Time between the starts of two cycles: a number and a unit, s, m, h or d (`24h`).
    #[arg(long, value_name = "DURATION", value_parser = crate::recheck::parse_duration)]
    pub every: Duration,
    /// Random delay added to each wait, as a fraction of `--every` (0 to 1).
    #[arg(long, default_value_t = 0.1, value_name = "FRACTION")]
    pub jitter: f64,
    /// Stop after this many cycles (default: never).
    #[arg(long, value_name = "N")]
    pub max_runs: Option<u64>,
}

/// Map `kensa recheck`'s arguments.
fn recheck_options(a: &RecheckArgs) -> Result<crate::recheck::RecheckOptions> {
    if let Some(dir) = &a.scan.resume {
        bail!(UsageError(format!(
            "--resume cannot be used with recheck or watch: each cycle is a new run; complete \
             the interrupted run with `kensa scan CATALOG --resume {}`",
            dir.display()
        )));
    }
    if a.scan.no_db {
        bail!(UsageError(
            "recheck compares with earlier runs in the run database: --no-db cannot be used".into()
        ));
    }
    Ok(crate::recheck::RecheckOptions {
        targets: a.scan.targets.clone(),
        config: scan_config(&a.scan)?,
        out: a.scan.out.clone(),
        db: crate::store::db_path(a.scan.db.as_deref()),
        notify_webhook: a.notify_webhook.clone(),
        vantages: a.vantages.clone(),
    })
}

/// Arguments of `kensa residency`.
#[derive(Debug, Args)]
pub struct ResidencyArgs {
    /// Run directories (or evidence.jsonl files), one per vantage.
    #[arg(required = true, value_name = "RUN_DIR")]
    pub runs: Vec<PathBuf>,
    /// Print only each run's per-provider answer ("every serving address and every name
    /// server of every endpoint in the declared country", from the recorded verdicts); with
    /// `--json`, an array of `{"run", "providers": {PROVIDER_ID: …}}`.
    #[arg(long)]
    pub providers: bool,
}

/// `kensa geodb ...`
#[derive(Debug, Subcommand)]
pub enum GeodbCommand {
    /// Download the default country database and ASN table (npm packages
    /// @ip-location-db/geo-whois-asn-country-mmdb and @ip-location-db/asn), check the
    /// registry's integrity hash, and install them into the data directory.
    Update(GeodbUpdateArgs),
    /// Show what is installed in the data directory.
    Status(GeodbStatusArgs),
}

/// Arguments of `kensa geodb update`.
#[derive(Debug, Args)]
pub struct GeodbUpdateArgs {
    /// The data directory (default: $KENSA_DATA_DIR, else $XDG_DATA_HOME/kensa, else
    /// ~/.local/share/kensa).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The npm registry to fetch from: an https:// URL (plain http:// only to a loopback
    /// address such as 127.0.0.1, e.g. a local test registry).
    #[arg(long, default_value = kensa_probe_geo::geodb::NPM_REGISTRY, value_name = "URL")]
    pub registry: String,
    /// Extra CA certificates (PEM) to trust for the download, e.g. a TLS-inspecting proxy's;
    /// the package integrity hash is checked regardless.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
}

/// Arguments of `kensa geodb status`.
#[derive(Debug, Args)]
pub struct GeodbStatusArgs {
    /// The data directory (default as for `update`).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// Arguments of `kensa scan`.
#[derive(Clone, Debug, Args)]
pub struct ScanArgs {
    /// A catalog file (`*.toml`), or one or more HOST[:PORT] targets (port 443 by default).
    #[arg(required = true, value_name = "CATALOG.toml | HOST[:PORT]")]
    pub targets: Vec<String>,
    /// The run directory to write (default `runs/<run id>`); must not hold a run already.
    #[arg(long, value_name = "RUN_DIR")]
    pub out: Option<PathBuf>,
    /// Complete a run that crashed, was killed, ran out of disk or was interrupted: give the
    /// same catalog and options (checked against the digests in its run-begin; concurrency
    /// limits may differ). Its chain is checked, a torn last line is dropped, and only the
    /// (target, probe) pairs with no record yet are probed. Refused (exit 2) for a complete,
    /// tampered or locked run.
    #[arg(long, value_name = "RUN_DIR", conflicts_with = "out")]
    pub resume: Option<PathBuf>,
    /// Allow probing private, loopback and link-local addresses (labs and tests).
    #[arg(long)]
    pub allow_private: bool,
    /// The most addresses of one endpoint that are probed; when a name resolves to more,
    /// IPv4 and IPv6 addresses are chosen in turn in answer order, and the evidence records
    /// how many were left out.
    #[arg(long, value_name = "N", default_value_t = Settings::default().max_addresses_per_endpoint)]
    pub max_addresses_per_endpoint: usize,
    /// Where the scan runs from: NAME or NAME@LAT,LON (decimal degrees).
    #[arg(long, value_name = "NAME[@LAT,LON]")]
    pub vantage: Option<String>,
    /// route.trace (asked for with --probes): the probes' protocol, tcp (to the target's
    /// port) or udp.
    #[arg(long, value_name = "tcp|udp", default_value = "tcp", value_parser = ["tcp", "udp"])]
    pub route_protocol: String,
    /// route.trace: the largest TTL tried (1..254).
    #[arg(long, value_name = "N", default_value_t = kensa_probe_route::Config::default().max_ttl)]
    pub route_max_ttl: u8,
    /// Connections in flight across the run.
    #[arg(long, default_value_t = Settings::default().max_connections)]
    pub max_connections: usize,
    /// Connections in flight to one host.
    #[arg(long, default_value_t = Settings::default().per_host)]
    pub per_host: usize,
    /// New connections per second to one host, after its burst (0 = unlimited): a provider
    /// never sees more than BURST + RATE x t connections in t seconds.
    #[arg(
        long,
        value_name = "RATE",
        env = "KENSA_RATE_PER_HOST",
        default_value_t = Settings::default().rate_per_host
    )]
    pub rate_per_host: u32,
    /// New connections one host may receive at once before --rate-per-host applies.
    #[arg(long, value_name = "BURST", default_value_t = Settings::default().burst_per_host)]
    pub burst_per_host: u32,
    /// Targets probed at once.
    #[arg(long, default_value_t = Settings::default().targets_in_flight)]
    pub targets_in_flight: usize,
    /// The probes to run, comma-separated: dns.resolve, latency.tcp, tls.scan, x509.chain,
    /// http.headers, geo.residency (default: all; x509.chain needs tls.scan; without
    /// dns.resolve, host names are still resolved through the same resolvers but no DNS
    /// evidence is recorded; geo.residency uses whatever of dns.resolve, latency.tcp and
    /// x509.chain ran).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub probes: Vec<String>,
    /// Latency samples per address.
    #[arg(long, default_value_t = 5)]
    pub samples: u32,
    /// Timeout of one TCP connect, in milliseconds.
    #[arg(long, default_value_t = 3000, value_name = "MS")]
    pub connect_timeout_ms: u64,
    /// How long to wait for a server's answer (a TLS hello, an HTTP response), in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub read_timeout_ms: u64,
    /// Time limit of one probe on one target, in milliseconds.
    #[arg(long, default_value_t = Settings::default().probe_timeout_ms, value_name = "MS")]
    pub probe_timeout_ms: u64,
    /// Time limit of everything done for one target, in milliseconds.
    #[arg(long, default_value_t = Settings::default().target_deadline_ms, value_name = "MS")]
    pub target_deadline_ms: u64,
    /// An extra trust store to judge certificates against, as NAME=FILE (a PEM bundle), or
    /// `os` for the operating system's bundle. Repeatable. Mozilla's roots are always used.
    #[arg(long, value_name = "NAME=FILE|os")]
    pub trust_store: Vec<String>,
    /// The CAA identifier of a CA kensa's table does not know (a national or private CA), as
    /// ORGANISATION=DOMAIN: certificates whose issuer organisation (O=) is ORGANISATION are
    /// judged against CAA `issue` records naming DOMAIN. Repeatable (one per domain).
    #[arg(long, value_name = "ORG=DOMAIN")]
    pub caa_identifier: Vec<String>,
    /// Also take each endpoint's JARM TLS fingerprint (ten more connections per endpoint).
    #[arg(long)]
    pub jarm: bool,
    /// A recursive DNS resolver to ask, IP or IP:PORT (port 53 by default). Repeatable: the
    /// answers of each are recorded, so geo-steered DNS shows. Default: the system's
    /// resolvers (/etc/resolv.conf).
    #[arg(long, value_name = "IP[:PORT]")]
    pub resolver: Vec<String>,
    /// DNSKEY trust anchors for DNSSEC validation, a file in zone-file syntax (default: the
    /// IANA root anchors).
    #[arg(long, value_name = "FILE")]
    pub dnssec_anchors: Option<PathBuf>,
    /// Timeout of one DNS question, in milliseconds.
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    pub dns_timeout_ms: u64,
    /// A provider range file (AWS ip-ranges.json, Google Cloud cloud.json, Azure Service
    /// Tags, Oracle public_ip_ranges.json, or an RFC 8805 geofeed CSV; format detected).
    /// Repeatable.
    #[arg(long, value_name = "FILE")]
    pub ranges: Vec<PathBuf>,
    /// A geolocation database (.mmdb: MaxMind GeoIP2/GeoLite2 Country, City or ASN, DB-IP,
    /// or the flat ip-location-db layout). Repeatable. Default: what `kensa geodb update`
    /// installed.
    #[arg(long, value_name = "FILE")]
    pub geoip: Vec<PathBuf>,
    /// An ASN table, CSV `start,end,asn,org` (the @ip-location-db/asn layout). Repeatable.
    /// Default: what `kensa geodb update` installed.
    #[arg(long, value_name = "FILE")]
    pub asn_csv: Vec<PathBuf>,
    /// The data directory holding the default databases (see `kensa geodb update`).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Quiet: no progress bar and no status lines on stderr (warnings and errors still).
    #[arg(short, long)]
    pub quiet: bool,
    /// The run database to record the run in: a SQLite file or a PostgreSQL URL
    /// (postgres://…) (default: $KENSA_DB, else ./kensa.db).
    #[arg(long, value_name = "FILE|URL")]
    pub db: Option<PathBuf>,
    /// Do not record the run in the run database.
    #[arg(long, conflicts_with = "db")]
    pub no_db: bool,
}

/// Arguments of `kensa verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A run directory, an evidence.jsonl file, or a bundle (`kensa bundle`; recognised by
    /// its content, whatever its name).
    #[arg(value_name = "RUN_DIR|BUNDLE")]
    pub run: PathBuf,
    /// For a bundle: the public key (PEM, from `kensa keygen`) that must have signed it.
    /// Without it, the bundle's own key is used and its fingerprint reported, and an intact
    /// bundle gets the verdict "intact, signer not pinned" (exit 3).
    #[arg(long, value_name = "PUB")]
    pub key: Option<PathBuf>,
    /// For a bundle without `--key`: accept whoever signed it (exit 0 when intact).
    #[arg(long, conflicts_with = "key")]
    pub allow_unpinned: bool,
    /// Verify a run in this PostgreSQL database (postgres://…) instead: RUN is its run id,
    /// and every job's chain is checked.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

/// An error the CLI reports with exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

/// Parse the command line, run, and map the result to an exit code.
pub fn main() -> ExitCode {
    // `--json` asks for JSON on stdout, errors included (before the arguments parse, it is
    // looked for among the raw arguments).
    let json_wanted = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            if json_wanted && code != EXIT_OK {
                let _ = emit(&json_error("usage", &e.to_string(), code));
            }
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // `-q`: status lines off, info logs too (warnings and errors stay).
    let quiet = match &cli.command {
        Command::Scan(a) => a.quiet,
        Command::Recheck(a) => a.scan.quiet,
        Command::Watch(a) => a.recheck.scan.quiet,
        _ => false,
    };
    init_logging(if quiet { 0 } else { cli.verbose }, cli.color, quiet);
    raise_open_file_limit();
    let json = cli.json;
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if json {
                let _ = emit(&json_error("input", &format!("{e:#}"), EXIT_USAGE));
            }
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The JSON of an error under `--json` (docs/schemas/error.schema.json): its kind (`usage`:
/// the command line did not parse; `input`: a file, option or run that cannot be used), the
/// message, and the exit status.
pub fn json_error(kind: &str, message: &str, exit_code: u8) -> String {
    serde_json::json!({
        "schema": "kensa-error/1",
        "error": { "kind": kind, "message": message.trim_end() },
        "exit_code": exit_code,
    })
    .to_string()
        + "\n"
}

/// Raise the soft open-file limit to the hard limit (issue 19): a scan holds up to
/// `--max-connections` sockets plus DNS sockets and files, and a connect that fails with
/// EMFILE says nothing about the peer (such evidence is discarded, see `engine`).
fn raise_open_file_limit() {
    #[cfg(unix)]
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(n) => tracing::debug!("open-file soft limit: {n}"),
        Err(e) => tracing::warn!("could not raise the open-file limit: {e}"),
    }
}

fn init_logging(verbose: u8, color: ColorChoice, quiet: bool) {
    // With a terminal, the progress bar shows what happens; otherwise, plain info lines do.
    // hickory's own log lines (a validation path it gave up on, a reply without NSEC) are
    // evidence for kensa, recorded in dns.resolve; they reach stderr only at -vv.
    let default = match verbose {
        0 if quiet || std::io::stderr().is_terminal() => {
            "warn,hickory_proto=off,hickory_resolver=off,hickory_net=off,hickory_server=off,rustls=off"
        }
        0 | 1 => {
            "info,hickory_proto=off,hickory_resolver=off,hickory_net=off,hickory_server=off,rustls=off"
        }
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("KENSA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color.enabled(std::io::stderr().is_terminal()))
        .with_target(false)
        .try_init();
}

fn run(cli: Cli) -> Result<u8> {
    let paint = cli.color.enabled(std::io::stdout().is_terminal()) && !cli.json;
    match cli.command {
        Command::Completions(a) => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "kensa", &mut out);
            emit(&String::from_utf8_lossy(&out))?;
            Ok(EXIT_OK)
        }
        Command::Man => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .context("cannot render the manual page")?;
            emit(&String::from_utf8_lossy(&out))?;
            Ok(EXIT_OK)
        }
        Command::Scan(args) => cmd_scan(*args, cli.json, paint),
        Command::Geodb(cmd) => cmd_geodb(cmd, cli.json),
        Command::Residency(args) => cmd_residency(&args, cli.json),
        Command::Verify(args) => match &args.db {
            Some(db) => journey(pg::verify(db, &args.run.to_string_lossy(), cli.json)),
            None => cmd_verify(&args, cli.json, paint),
        },
        Command::Assess(args) => {
            if cli.json
                && let Some(f) = args.format
                && f != crate::assess::report::Format::Json
            {
                bail!(UsageError(format!(
                    "--json and --format {} cannot both apply: drop one",
                    clap::ValueEnum::to_possible_value(&f)
                        .map(|v| v.get_name().to_owned())
                        .unwrap_or_default()
                )));
            }
            // Streamed: each provider's part is written as soon as it is judged.
            let mut failed = None;
            let a = crate::assess::command::assess_to(&args, cli.json, &mut |chunk| {
                if failed.is_none()
                    && let Err(e) = emit(&paint_verdicts(chunk, paint))
                {
                    failed = Some(e);
                }
            })
            .map_err(|e| UsageError(e.to_string()))?;
            if let Some(e) = failed {
                return Err(e);
            }
            for w in &a.warnings {
                eprintln!("warning: {w}");
            }
            Ok(a.code)
        }
        Command::Profiles(args) => {
            emit(
                &crate::assess::command::profiles(&args, cli.json)
                    .map_err(|e| UsageError(e.to_string()))?,
            )?;
            Ok(EXIT_OK)
        }
        Command::Report(args) => {
            // CSV, JSON and SARIF are streamed to stdout as they are made; a reader that
            // went away (`| head`) ends the report there, and is not an error (as [`emit`]).
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let r = match crate::report::report(&args, cli.json, &mut out) {
                Err(crate::report::ReportError::Write { source, .. })
                    if source.kind() == std::io::ErrorKind::BrokenPipe =>
                {
                    Ok(crate::report::Reported::Streamed)
                }
                r => r,
            };
            drop(out);
            show(r, cli.json)
        }
        Command::Keygen(args) => show(crate::bundle::keygen(&args), cli.json),
        Command::Bundle(args) => show(crate::bundle::bundle(&args), cli.json),
        Command::Declaration(cmd) => show(crate::declaration::command::run(&cmd), cli.json),
        Command::Diff(args) => show_painted(crate::diff::diff(&args), cli.json, paint),
        Command::History(args) => show(crate::diff::history(&args), cli.json),
        Command::Compare(args) => show(crate::compare::compare(&args, cli.json), cli.json),
        Command::Recheck(args) => {
            let runner = CliRunner {
                quiet: args.scan.quiet,
            };
            match crate::recheck::recheck(&recheck_options(&args)?, &runner) {
                // The scan ran but could not be recorded: partial (exit 3), not bad input.
                Err(e @ crate::recheck::RecheckError::Record(_)) => {
                    eprintln!("error: {e}");
                    Ok(EXIT_PARTIAL)
                }
                r => show(r, cli.json),
            }
        }
        Command::Watch(args) => {
            if let Some(dir) = &args.recheck.scan.resume {
                bail!(UsageError(format!(
                    "--resume cannot be used with watch: each cycle is a new run; complete the \
                     interrupted run with `kensa scan CATALOG --resume {}`",
                    dir.display()
                )));
            }
            let runner = CliRunner {
                quiet: args.recheck.scan.quiet,
            };
            let opts = crate::recheck::WatchOptions {
                recheck: recheck_options(&args.recheck)?,
                every: args.every,
                jitter: args.jitter,
                max_runs: args.max_runs,
            };
            // Each cycle's summary as it finishes: text, or one JSON line with --json.
            let json = cli.json;
            let each = |s: &crate::recheck::RecheckSummary| {
                let line = if json {
                    serde_json::to_string(s).unwrap_or_default() + "\n"
                } else {
                    crate::output::Render::text(s)
                };
                let _ = emit(&line);
            };
            let code = crate::recheck::watch(&opts, &runner, &each)
                .map_err(|e| UsageError(e.to_string()))?;
            Ok(code)
        }
        Command::Demo(args) => {
            let json = cli.json;
            show(
                crate::demo::demo(
                    &args,
                    &CliRunner { quiet: true },
                    &|line: &str| eprintln!("{line}"),
                    &|done: &crate::demo::DemoRun| {
                        let _ = emit(&crate::output::render(done, json));
                    },
                )
                .map(|done| Served(done.served, done)),
                cli.json,
            )
        }
        Command::Lint(args) => show(crate::lint::lint(&args), cli.json),
        Command::Serve(args) => {
            crate::serve::serve(&args, &|line: &str| eprintln!("{line}"))
                .map_err(|e| UsageError(e.to_string()))?;
            Ok(EXIT_OK)
        }
        Command::Token(cmd) => show(crate::serve::token(&cmd), cli.json),
        Command::Enqueue(args) => journey(pg::enqueue(&args, cli.json)),
        Command::Worker(args) => journey(pg::worker(&args, cli.json)),
        Command::Status(args) => journey(pg::status(&args, cli.json)),
        Command::Export(args) => journey(pg::export(&args, cli.json)),
        Command::Controls(args) => {
            emit(
                &crate::assess::command::controls(&args, cli.json)
                    .map_err(|e| UsageError(e.to_string()))?,
            )?;
            Ok(EXIT_OK)
        }
    }
}

/// Print a command's typed result as text or JSON; its error becomes a usage/input error
/// (exit 2).
fn show<R: crate::output::Render, E: std::fmt::Display>(
    r: std::result::Result<R, E>,
    json: bool,
) -> Result<u8> {
    show_painted(r, json, false)
}

/// [`show`] with the verdict words coloured in the text rendering when `paint`.
fn show_painted<R: crate::output::Render, E: std::fmt::Display>(
    r: std::result::Result<R, E>,
    json: bool,
    paint: bool,
) -> Result<u8> {
    let out = r.map_err(|e| UsageError(e.to_string()))?;
    if json {
        emit(&out.json())?;
    } else {
        emit(&paint_verdicts(&out.text(), paint))?;
    }
    Ok(out.exit_code())
}

/// A result already shown before the command went on (`kensa demo --serve`: the summary,
/// then the service until Ctrl-C): rendered as nothing the second time.
struct Served<R>(bool, R);

impl<R: crate::output::Render> crate::output::Render for Served<R> {
    fn text(&self) -> String {
        if self.0 { String::new() } else { self.1.text() }
    }
    fn json(&self) -> String {
        if self.0 { String::new() } else { self.1.json() }
    }
    fn exit_code(&self) -> u8 {
        self.1.exit_code()
    }
}

/// Print a journey command's stdout; its error becomes a usage/input error (exit 2).
fn journey<E: std::fmt::Display>(r: std::result::Result<(String, u8), E>) -> Result<u8> {
    let (text, code) = r.map_err(|e| UsageError(e.to_string()))?;
    emit(&text)?;
    Ok(code)
}

/// Parse `NAME` or `NAME@LAT,LON`.
pub fn parse_vantage(s: &str) -> Result<Vantage> {
    let (name, coords) = match s.split_once('@') {
        Some((n, c)) => (n, Some(c)),
        None => (s, None),
    };
    if name.is_empty() {
        bail!(UsageError(format!(
            "invalid --vantage `{s}`: the name is empty; expected NAME or NAME@LAT,LON"
        )));
    }
    let (lat, lon) = match coords {
        None => (None, None),
        Some(c) => {
            let parsed = c.split_once(',').and_then(|(a, b)| {
                let lat: f64 = a.trim().parse().ok()?;
                let lon: f64 = b.trim().parse().ok()?;
                ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
                    .then_some((lat, lon))
            });
            let Some((lat, lon)) = parsed else {
                bail!(UsageError(format!(
                    "invalid --vantage `{s}`: expected NAME@LAT,LON with latitude in -90..90 \
                     and longitude in -180..180, e.g. tokyo@35.68,139.69"
                )));
            };
            (Some(lat), Some(lon))
        }
    };
    Ok(Vantage {
        name: name.to_owned(),
        lat,
        lon,
    })
}

fn cmd_scan(args: ScanArgs, json: bool, paint: bool) -> Result<u8> {
    let db = (!args.no_db).then(|| crate::store::db_path(args.db.as_deref()));
    let report = run_scan(&args)?;
    if json {
        print_scan(&report, json)?;
    } else {
        emit(&paint_verdicts(&render_scan(&report), paint))?;
    }
    if !args.quiet {
        eprintln!(
            "evidence: {} ({}, {})",
            report.evidence,
            plural(report.records, "record"),
            match report.status {
                RunStatus::Complete => "complete",
                RunStatus::Interrupted => "interrupted",
            }
        );
    }
    if report.status == RunStatus::Interrupted {
        eprintln!("{}", resume_hint(&args, &report.run_dir));
    }
    // The evidence is written; a store failure is reported, and the run is partial (exit 3).
    let recorded = db
        .is_none_or(|db| record_run_quiet(&db, std::path::Path::new(&report.run_dir), args.quiet));
    Ok(scan_exit(&report, recorded))
}

/// The exit status of a scan: 130 interrupted; 3 when the run database could not record it;
/// 1 when nothing could be observed ([`nothing_observed`]); else 0.
pub fn scan_exit(report: &ScanReport, recorded: bool) -> u8 {
    if report.status == RunStatus::Interrupted {
        EXIT_INTERRUPTED
    } else if !recorded {
        EXIT_PARTIAL
    } else if nothing_observed(report) {
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}

/// Whether no probe reached any target: every record of the run is `dns-failure`,
/// `not-allowed` or `invalid-input` (no address to dial, or none allowed). Such a run is
/// complete, but says nothing about the providers.
pub fn nothing_observed(report: &ScanReport) -> bool {
    use kensa_probe::Outcome as O;
    report.records > 0
        && report
            .outcomes
            .keys()
            .all(|o| matches!(o, O::DnsFailure | O::NotAllowed | O::InvalidInput))
}

/// The command that completes an interrupted scan: the same arguments, with `--resume RUN_DIR`
/// in place of `--out`.
pub fn resume_hint(args: &ScanArgs, run_dir: &str) -> String {
    let mut words: Vec<String> = vec!["kensa".into(), "scan".into()];
    let mut raw = std::env::args().skip(1).peekable();
    // The command line as given, minus `scan`, `--out X`/`--out=X` and `--resume X`.
    let mut seen_scan = false;
    while let Some(a) = raw.next() {
        if !seen_scan && a == "scan" {
            seen_scan = true;
            continue;
        }
        if a == "--out" || a == "--resume" {
            raw.next();
            continue;
        }
        if a.starts_with("--out=") || a.starts_with("--resume=") {
            continue;
        }
        words.push(a);
    }
    if !seen_scan {
        // Not called from `kensa scan` (a test, a library user): the targets at least.
        words.truncate(2);
        words.extend(args.targets.iter().cloned());
    }
    words.push("--resume".into());
    words.push(run_dir.to_owned());
    let quoted: Vec<String> = words.iter().map(|w| shell_quote(w)).collect();
    format!(
        "interrupted: the evidence so far is in {run_dir}; complete the run with:\n  {}",
        quoted.join(" ")
    )
}

/// A word quoted for a POSIX shell when it needs it.
fn shell_quote(w: &str) -> String {
    if !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+%".contains(c))
    {
        w.to_owned()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// Record a finished run in the run database at `db`, reporting the outcome on stderr (unless
/// `quiet`; a failure is always reported, naming the file): the evidence stays on disk, and
/// every command that reads a run directory still works from it, but the caller's exit status
/// is then 3 ([`EXIT_PARTIAL`]). Returns whether the run is in the database.
pub fn record_run_quiet(db: &std::path::Path, run_dir: &std::path::Path, quiet: bool) -> bool {
    // A SQLite file, or a PostgreSQL URL (named without its password).
    let (shown, result) = match crate::pg::db_target(Some(&db.to_string_lossy())) {
        crate::pg::DbTarget::Postgres(url) => {
            let name = crate::pg::redact(&url);
            let result = crate::pg::store::PgRunStore::connect(&url)
                .map_err(crate::store::StoreError::from)
                .and_then(|mut s| crate::pipeline::import_run_dir(&mut s, run_dir))
                .map(|(i, _)| i);
            (name, result)
        }
        crate::pg::DbTarget::Sqlite(path) => (
            path.display().to_string(),
            crate::store::Store::open(&path).and_then(|mut s| s.import_run(run_dir)),
        ),
    };
    match result {
        Ok(crate::store::Imported::Written { findings, .. }) => {
            if !quiet {
                eprintln!("run database: {shown} ({findings} findings)");
            }
            true
        }
        Ok(crate::store::Imported::Replaced {
            run_id, findings, ..
        }) => {
            eprintln!(
                "run database: {shown} (run {run_id} completed: it replaced the interrupted \
                 record; {findings} findings)"
            );
            true
        }
        Ok(crate::store::Imported::AlreadyPresent { run_id }) => {
            if !quiet {
                eprintln!("run database: {shown} (run {run_id} was there already)");
            }
            true
        }
        Err(e) => {
            eprintln!(
                "error: the run was not recorded in the run database: {e} \
                 (the evidence is intact in {}; exit status 3)",
                run_dir.display()
            );
            false
        }
    }
}

/// Map `kensa scan`'s arguments to a [`ScanConfig`]: files the user named are read here
/// (trust stores and DNSSEC anchors by content; geolocation files named by digest, their
/// paths kept for this machine only).
pub fn scan_config(args: &ScanArgs) -> Result<ScanConfig> {
    let vantage = args.vantage.as_deref().map(parse_vantage).transpose()?;
    let mut trust_stores = Vec::new();
    for spec in &args.trust_store {
        trust_stores.push(config::trust_store_from_spec(spec).map_err(usage)?);
    }
    let mut caa_identifiers = Vec::new();
    for spec in &args.caa_identifier {
        config::add_caa_identifier(&mut caa_identifiers, spec).map_err(usage)?;
    }
    let dnssec_anchors = match &args.dnssec_anchors {
        None => None,
        Some(f) => {
            let text = std::fs::read_to_string(f).map_err(|e| {
                UsageError(format!(
                    "cannot use the DNSSEC trust anchor file {}: {e}",
                    f.display()
                ))
            })?;
            Some(config::InlineFile {
                name: f.display().to_string(),
                text,
            })
        }
    };
    let files = |v: &[PathBuf]| -> Vec<config::DataFile> {
        v.iter().map(|p| config::DataFile::from_path(p)).collect()
    };
    let c = ScanConfig {
        probes: args.probes.clone(),
        settings: Settings {
            max_connections: args.max_connections,
            per_host: args.per_host,
            rate_per_host: args.rate_per_host,
            burst_per_host: args.burst_per_host,
            targets_in_flight: args.targets_in_flight,
            probe_timeout_ms: args.probe_timeout_ms,
            target_deadline_ms: args.target_deadline_ms,
            allow_private: args.allow_private,
            max_addresses_per_endpoint: args.max_addresses_per_endpoint,
            ..Settings::default()
        },
        vantage,
        samples: args.samples,
        connect_timeout_ms: args.connect_timeout_ms,
        read_timeout_ms: args.read_timeout_ms,
        jarm: args.jarm,
        trust_stores,
        caa_identifiers,
        resolvers: args.resolver.clone(),
        dnssec_anchors,
        dns_timeout_ms: args.dns_timeout_ms,
        geo: config::GeoConfig {
            ranges: files(&args.ranges),
            geoip: files(&args.geoip),
            asn_csv: files(&args.asn_csv),
            data_dir: args.data_dir.clone(),
        },
        route: kensa_probe_route::Config {
            protocol: if args.route_protocol == "udp" {
                kensa_probe_route::Protocol::Udp
            } else {
                kensa_probe_route::Protocol::Tcp
            },
            max_ttl: args.route_max_ttl,
            ..kensa_probe_route::Config::default()
        },
    };
    c.validate().map_err(usage)?;
    Ok(c)
}

fn usage(e: impl std::fmt::Display) -> anyhow::Error {
    UsageError(e.to_string()).into()
}

/// The command line's way of running a scan: its own runtime, Ctrl-C (the first stops new
/// work and keeps what was gathered; a second exits at once), and a progress bar on a
/// terminal (or a log line every two seconds) unless `quiet`.
#[derive(Debug, Clone, Copy)]
pub struct CliRunner {
    /// No progress display.
    pub quiet: bool,
}

impl scan::ScanRunner for CliRunner {
    fn run_scan(
        &self,
        catalog: &Catalog,
        config: &ScanConfig,
        sink: scan::Sink,
    ) -> std::result::Result<ScanReport, scan::ScanError> {
        self.run(catalog, config, sink)
    }
}

impl CliRunner {
    /// [`scan::ScanRunner::run_scan`] for a catalog held whole or packed.
    pub fn run<C: catalog::Listing + ?Sized>(
        &self,
        catalog: &C,
        config: &ScanConfig,
        mut sink: scan::Sink,
    ) -> std::result::Result<ScanReport, scan::ScanError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                scan::ScanError::Config(config::ConfigError(format!(
                    "cannot start the async runtime: {e}"
                )))
            })?;
        let selected = if config.probes.is_empty() {
            crate::probes::REGISTRY
                .iter()
                .filter(|p| config.runs(p.id.as_str()))
                .count()
        } else {
            config.probes.len()
        };
        let total = u64::try_from(catalog.endpoint_count() * selected).unwrap_or(u64::MAX);
        // The targets in flight and the slowest of them (issue 23: say what the bar waits on).
        let probe_ids: Vec<String> = crate::probes::REGISTRY
            .iter()
            .filter(|p| config.runs(p.id.as_str()))
            .map(|p| p.id.as_str().to_owned())
            .collect();
        let in_flight = std::sync::Arc::new(std::sync::Mutex::new(crate::progress::InFlight::new(
            probe_ids,
        )));
        let progress = (!self.quiet && std::io::stderr().is_terminal()).then(|| {
            let pb = indicatif::ProgressBar::new(total);
            pb.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {pos}/{len} probes [{elapsed_precise}] {bar:30} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            // Redrawn on a clock: the spinner, the elapsed time and the slowest target's
            // time keep moving while a server hangs.
            pb.enable_steady_tick(Duration::from_millis(200));
            pb
        });
        let ticker_stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let ticker = progress.clone().map(|pb| {
            let (state, stop) = (in_flight.clone(), ticker_stop.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) && !pb.is_finished() {
                    if let Ok(s) = state.lock() {
                        pb.set_message(s.message(std::time::Instant::now()));
                    }
                    std::thread::sleep(Duration::from_millis(250));
                }
            })
        });
        let track = in_flight.clone();
        let note = move |e: &evidence::Evidence| {
            if let Ok(mut s) = track.lock() {
                s.record(&e.target.id, &e.probe, std::time::Instant::now());
            }
        };
        sink.on_record = match progress.clone() {
            Some(pb) => Some(Box::new(move |e: &evidence::Evidence| {
                note(e);
                pb.inc(1);
            })),
            // Not a terminal: a plain log line at most every two seconds.
            None if !self.quiet => {
                let state = std::sync::Mutex::new((0u64, std::time::Instant::now()));
                let flight = in_flight;
                Some(Box::new(move |e: &evidence::Evidence| {
                    note(e);
                    if let Ok(mut s) = state.lock() {
                        s.0 += 1;
                        if s.1.elapsed() >= Duration::from_secs(2) || s.0 == total {
                            s.1 = std::time::Instant::now();
                            let msg = flight
                                .lock()
                                .map(|f| f.message(std::time::Instant::now()))
                                .unwrap_or_default();
                            tracing::info!("progress: {}/{} probes done; {msg}", s.0, total);
                        }
                    }
                }))
            }
            None => None,
        };
        tracing::info!(
            providers = catalog.provider_count(),
            endpoints = catalog.endpoint_count(),
            out = %sink.dir.display(),
            "scan starting"
        );
        let bar = progress.clone();
        let report = rt.block_on(async {
            let (stop_tx, stop_rx) = watch::channel(false);
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    // The bar goes first, so the message below stands on a clean line.
                    if let Some(pb) = &bar {
                        pb.finish_and_clear();
                    }
                    tracing::warn!("interrupted: stopping new work and writing what was gathered");
                    let _ = stop_tx.send(true);
                    // A second Ctrl-C exits at once.
                    if tokio::signal::ctrl_c().await.is_ok() {
                        std::process::exit(i32::from(EXIT_INTERRUPTED));
                    }
                }
            });
            scan::run(catalog, config, sink, stop_rx).await
        });
        ticker_stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(pb) = &progress {
            pb.finish_and_clear();
        }
        if let Some(t) = ticker {
            let _ = t.join();
        }
        report
    }
}

/// Run a scan as `kensa scan` does (progress on stderr, Ctrl-C handled) and return its
/// report without printing it.
pub fn run_scan(args: &ScanArgs) -> Result<ScanReport> {
    // Packed: a large catalog is held in tens of bytes per endpoint (docs/BENCHMARKS.md).
    let catalog = catalog::load_targets_packed(&args.targets).map_err(usage)?;
    let config = scan_config(args)?;
    let run_id = scan::new_run_id();
    let out = args
        .resume
        .clone()
        .or_else(|| args.out.clone())
        .unwrap_or_else(|| scan::default_run_dir(&run_id));
    let sink = scan::Sink {
        dir: out,
        resume: args.resume.is_some(),
        run_id: Some(run_id),
        on_record: None,
    };
    let result = (CliRunner { quiet: args.quiet }).run(&catalog, &config, sink);
    // The resolvers asked, the system's included (issue 23); none for IP-only scans.
    if !args.quiet
        && result.is_ok()
        && let Some(note) = scan::resolvers_note(&catalog, &config)
    {
        eprintln!("{note}");
    }
    match result {
        Ok(r) => Ok(r),
        Err(scan::ScanError::Config(e)) => Err(usage(e)),
        // The run directory holds a run already (issue 23: say what to do).
        Err(scan::ScanError::Create { dir, source })
            if source.kind() == std::io::ErrorKind::AlreadyExists =>
        {
            Err(usage(scan::existing_run_hint(&dir)))
        }
        Err(e) => Err(e.into()),
    }
}

/// `kensa residency RUN_DIR...`: the merged address verdicts, then each run's per-provider
/// answer (`--providers`: only the latter).
fn cmd_residency(args: &ResidencyArgs, json: bool) -> Result<u8> {
    let runs: Vec<&std::path::Path> = args.runs.iter().map(PathBuf::as_path).collect();
    let mut per_run = Vec::with_capacity(runs.len());
    for run in &runs {
        let p = crate::residency::provider_residency_of_run(run)
            .map_err(|e| UsageError(e.to_string()))?;
        per_run.push((run.display().to_string(), p));
    }
    let mut out = std::io::stdout().lock();
    if args.providers {
        if per_run.iter().all(|(_, p)| p.is_empty()) {
            bail!(UsageError(
                crate::residency::MergeError::NothingToMerge.to_string()
            ));
        }
        if json {
            let v: Vec<_> = per_run
                .iter()
                .map(|(run, p)| serde_json::json!({"run": run, "providers": p}))
                .collect();
            let _ = writeln!(out, "{}", serde_json::Value::Array(v));
        } else {
            print_provider_residency(&mut out, &per_run);
        }
        return Ok(0);
    }
    let merged = crate::residency::merge(&runs).map_err(|e| UsageError(e.to_string()))?;
    if json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string(&merged).unwrap_or_default()
        );
        return Ok(0);
    }
    let _ = writeln!(
        out,
        "{:<32} {:<40} {:<28} {:<28} vantages",
        "target", "address", "before", "after"
    );
    for m in &merged {
        let show = |r: &kensa_probe_geo::verdict::AddressResidency| {
            let v = serde_json::to_value(r.status).ok();
            let status = v
                .as_ref()
                .and_then(|v| v.as_str())
                .unwrap_or("?")
                .to_owned();
            match r.strength.and_then(|s| serde_json::to_value(s).ok()) {
                Some(s) => format!("{status}/{}", s.as_str().unwrap_or("?")),
                None => status,
            }
        };
        let vantages: Vec<String> = m
            .vantages
            .iter()
            .map(|s| format!("{}:{:.2}ms", s.vantage.name, s.rtt_min_ms))
            .collect();
        let _ = writeln!(
            out,
            "{:<32} {:<40} {:<28} {:<28} {}",
            m.target,
            m.address,
            show(&m.before),
            show(&m.after),
            vantages.join(" ")
        );
    }
    let _ = writeln!(out);
    print_provider_residency(&mut out, &per_run);
    Ok(0)
}

/// One line per provider and run: the answer, its weakest strength, the endpoints and the
/// address counts.
fn print_provider_residency(
    out: &mut impl Write,
    per_run: &[(
        String,
        std::collections::BTreeMap<String, kensa_probe_geo::verdict::ProviderResidency>,
    )],
) {
    let name = |v: Option<serde_json::Value>| {
        v.as_ref()
            .and_then(|v| v.as_str())
            .unwrap_or("-")
            .to_owned()
    };
    let _ = writeln!(
        out,
        "{:<24} {:<8} {:<14} {:<12} {:<24} addresses (verified/consistent/unverified/out/conflicting/unknown)",
        "provider", "declared", "all-in-country", "weakest", "endpoints (in/out/undet.)"
    );
    for (run, providers) in per_run {
        if per_run.len() > 1 {
            let _ = writeln!(out, "{run}");
        }
        for (id, p) in providers {
            let c = &p.counts;
            let endpoints = format!(
                "{}/{}/{} of {}",
                p.endpoints_in_country,
                p.endpoints_out.len(),
                p.endpoints_undetermined.len(),
                p.endpoints
            );
            let _ = writeln!(
                out,
                "{:<24} {:<8} {:<14} {:<12} {:<24} {}/{}/{}/{}/{}/{}",
                id,
                p.declared_country,
                name(serde_json::to_value(p.all_in_country).ok()),
                name(
                    p.weakest_strength
                        .and_then(|s| serde_json::to_value(s).ok())
                ),
                endpoints,
                c.verified,
                c.consistent,
                c.unverified,
                c.out_of_country,
                c.conflicting,
                c.unknown
            );
        }
    }
}

/// `kensa geodb update` and `kensa geodb status`.
fn cmd_geodb(cmd: GeodbCommand, json: bool) -> Result<u8> {
    match cmd {
        GeodbCommand::Update(a) => {
            // HTTPS only (plain http only to a loopback address, where tests run a registry).
            kensa_probe_geo::geodb::check_transport(a.registry.trim_end_matches('/'))
                .map_err(|e| UsageError(format!("--registry: {e}")))?;
            let dir = config::data_dir(a.data_dir.as_deref());
            let extra = match &a.ca_file {
                Some(f) => vec![
                    std::fs::read(f)
                        .map_err(|e| UsageError(format!("--ca-file {}: {e}", f.display())))?,
                ],
                None => Vec::new(),
            };
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            let roots: Vec<&[u8]> = extra.iter().map(Vec::as_slice).collect();
            let client = kensa_probe_geo::geodb::client_with_roots(&roots)
                .context("cannot set up the HTTPS client")?;
            tracing::info!("fetching the default databases into {}", dir.display());
            let manifest = rt
                .block_on(kensa_probe_geo::geodb::update(
                    &dir,
                    &client,
                    &a.registry,
                    &kensa_probe_geo::geodb::DEFAULT_PACKAGES,
                    std::time::SystemTime::now(),
                ))
                .with_context(|| format!("geodb update into {}", dir.display()))?;
            print_manifest(&dir, &manifest, json)
        }
        GeodbCommand::Status(a) => {
            let dir = config::data_dir(a.data_dir.as_deref());
            let manifest = kensa_probe_geo::geodb::Manifest::load(&dir)
                .map_err(|e| UsageError(format!("data directory {}: {e}", dir.display())))?;
            print_manifest(&dir, &manifest, json)
        }
    }
}

fn print_manifest(
    dir: &std::path::Path,
    m: &kensa_probe_geo::geodb::Manifest,
    json: bool,
) -> Result<u8> {
    let mut out = std::io::stdout().lock();
    if json {
        let v = serde_json::json!({"data_dir": dir, "manifest": m});
        let _ = writeln!(out, "{v}");
    } else if m.packages.is_empty() {
        let _ = writeln!(
            out,
            "nothing installed in {} (run `kensa geodb update`)",
            dir.display()
        );
    } else {
        let _ = writeln!(out, "data directory {}", dir.display());
        for p in &m.packages {
            let _ = writeln!(out, "{}", serde_json::to_string(p).unwrap_or_default());
        }
    }
    Ok(0)
}

/// Colour the verdict words of a text output (`--color`): failures red, undecided ones
/// yellow, passes green; `paint` false returns the text as it is.
pub fn paint_verdicts(text: &str, paint: bool) -> String {
    static WORDS: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\b(FAIL|FAILS|FAILED|TAMPERED|INTERRUPTED|REGRESSION|fail|PASS|intact|complete|pass|INCONCLUSIVE|WARNING|inconclusive|warning|incomplete)\b",
        )
        .ok()
    });
    let Some(re) = WORDS.as_ref().filter(|_| paint) else {
        return text.to_owned();
    };
    re.replace_all(text, |c: &regex::Captures<'_>| {
        let w = c.get(0).map_or("", |m| m.as_str());
        let code = match w {
            "PASS" | "pass" | "intact" | "complete" => "32",
            "INCONCLUSIVE" | "WARNING" | "inconclusive" | "warning" | "incomplete" => "33",
            _ => "1;31",
        };
        format!("\x1b[{code}m{w}\x1b[0m")
    })
    .into_owned()
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// The text form of a scan report (the stdout of `kensa scan`).
pub fn render_scan(report: &ScanReport) -> String {
    let mut s = String::new();
    let status = match report.status {
        RunStatus::Complete if nothing_observed(report) => {
            "complete, but NOTHING OBSERVED (no probe reached any target)"
        }
        RunStatus::Complete => "complete",
        RunStatus::Interrupted => "INTERRUPTED",
    };
    s.push_str(&format!(
        "run {}  {}  {}  {}\n",
        report.run_id,
        status,
        plural(report.records, "record"),
        plural(report.connections, "connection")
    ));
    let outcomes: Vec<String> = report
        .outcomes
        .iter()
        .map(|(o, n)| format!("{o} {n}"))
        .collect();
    s.push_str(&format!("outcomes: {}\n", outcomes.join(", ")));
    if let Some(before) = report.resumed_after {
        s.push_str(&format!(
            "resumed: {} already recorded, {} probed now\n",
            plural(before, "record"),
            plural(report.records.saturating_sub(before), "record")
        ));
    }
    s.push('\n');
    let w_target = report
        .rows
        .iter()
        .map(|r| r.target.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let w_probe = report
        .rows
        .iter()
        .map(|r| r.probe.len())
        .max()
        .unwrap_or(5)
        .max(5);
    s.push_str(&format!(
        "{:<w_target$}  {:<w_probe$}  {:<18}  DETAIL\n",
        "TARGET", "PROBE", "OUTCOME"
    ));
    for r in &report.rows {
        s.push_str(&format!(
            "{:<w_target$}  {:<w_probe$}  {:<18}  {}\n",
            r.target,
            r.probe,
            r.outcome.id(),
            r.detail
        ));
    }
    if report.rows_omitted > 0 {
        s.push_str(&format!(
            "… and {} more: every record is in {}\n",
            plural(report.rows_omitted, "record"),
            report.evidence
        ));
    }
    s
}

fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn print_scan(report: &ScanReport, json: bool) -> Result<()> {
    if json {
        emit(&(serde_json::to_string_pretty(report)? + "\n"))
    } else {
        emit(&render_scan(report))
    }
}

/// The text form of a verification report (the stdout of `kensa verify`).
pub fn render_verify(r: &evidence::VerifyReport) -> String {
    let mut s = String::new();
    match r.integrity {
        Integrity::Intact => s.push_str(&format!(
            "intact: {} ({}, {}, run {})\nhead: {}\n",
            r.file,
            plural(r.lines_ok, "line"),
            plural(r.evidence_records, "evidence record"),
            match r.run_status {
                Some(RunStatus::Interrupted) => "interrupted",
                _ => "complete",
            },
            r.head
        )),
        Integrity::Incomplete => {
            s.push_str(&format!(
                "incomplete: {}: every line present is intact ({}, {}), \
                 but the run has no run-end (it crashed, was killed, or is still running); \
                 `kensa scan --resume RUN_DIR` with the same catalog and options completes it\n",
                r.file,
                plural(r.lines_ok, "line"),
                plural(r.evidence_records, "evidence record")
            ));
            if let Some(t) = &r.torn_tail {
                s.push_str(&format!("line {}: {}\n", t.line, t.message));
            }
            s.push_str(&format!("head: {}\n", r.head));
        }
        Integrity::Tampered => {
            let (line, msg) = r
                .problem
                .as_ref()
                .map(|p| (p.line, p.message.as_str()))
                .unwrap_or((0, "unknown problem"));
            s.push_str(&format!(
                "TAMPERED: {}:{}: {}\nintact before it: {}\n",
                r.file,
                line,
                msg,
                plural(r.lines_ok, "line")
            ));
        }
    }
    s
}

fn cmd_verify(args: &VerifyArgs, json: bool, paint: bool) -> Result<u8> {
    if crate::bundle::is_bundle(&args.run) {
        return show_painted(
            crate::bundle::verify_bundle(&args.run, args.key.as_deref(), args.allow_unpinned),
            json,
            paint,
        );
    }
    if args.key.is_some() {
        bail!(UsageError(format!(
            "--key applies to bundles only, and {} is not a bundle (a run directory or an \
             evidence file is checked by its hash chain alone)",
            args.run.display()
        )));
    }
    let file = evidence::evidence_path(&args.run);
    let report = evidence::verify(&args.run)
        .map_err(|e| UsageError(format!("cannot read evidence {}: {e}", file.display())))?;
    if json {
        emit(&(serde_json::to_string_pretty(&report)? + "\n"))?;
    } else {
        emit(&paint_verdicts(&render_verify(&report), paint))?;
    }
    Ok(match report.integrity {
        Integrity::Intact => EXIT_OK,
        Integrity::Incomplete | Integrity::Tampered => EXIT_FAIL,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vantage_forms() {
        let v = parse_vantage("tokyo@35.68,139.69").unwrap();
        assert_eq!(v.name, "tokyo");
        assert_eq!(v.lat, Some(35.68));
        assert_eq!(parse_vantage("lab").unwrap().lat, None);
        assert!(parse_vantage("x@91,0").is_err());
        assert!(parse_vantage("x@1").is_err());
        assert!(parse_vantage("@1,2").is_err());
    }

    #[test]
    fn cli_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

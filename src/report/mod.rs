//! `kensa report`: a run rendered for an evaluator as HTML, Markdown, JSON, CSV or SARIF.
//!
//! The report reads only the run's `evidence.jsonl` (like `kensa assess`), grades it
//! against the chosen profiles (by default the kensa levels plus each provider's
//! `applies_for`) and extracts the tables an evaluator reads ([`model`]): a summary per
//! provider with grade badges, a controls matrix per profile, the residency table (from
//! `geo.residency`), connect latencies (`latency.tcp`), certificate validity (`x509.chain`)
//! and every finding with the evidence lines it rests on. Each format renders the same
//! [`model::Report`]:
//!
//! - [`html`]: one self-contained file, no script, a Content-Security-Policy that forbids
//!   everything but inline style and `data:` images; inline SVG charts; every finding has an
//!   anchor in the evidence appendix.
//! - [`text::markdown`], [`text::csv`] (one row per finding, RFC 4180), [`sarif`] (2.1.0)
//!   and JSON (the assessment plus the tables; schema in `docs/report.schema.json`).
//!
//! `kensa report` streams CSV, JSON and SARIF ([`stream`]): the run is read and judged a batch
//! of providers at a time, each batch's [`model::Part`] written as it is made, the same bytes
//! as the whole model's rendering.
//!
//! Every string that reaches HTML or Markdown goes through one escaping function per format
//! ([`html::esc`], [`text::md`]): certificate subjects, DNS names and headers come from the
//! network and are never trusted.

pub mod declared;
pub mod html;
pub mod junit;
pub mod model;
pub mod sarif;
pub mod stream;
pub mod text;

use std::path::{Path, PathBuf};

use clap::Args;
use time::OffsetDateTime;

use crate::assess::AssessError;
use crate::assess::profile::{Library, Profile};

/// The report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One self-contained HTML file (no external assets, no script).
    Html,
    /// Markdown.
    Md,
    /// JSON: the assessment and the report's tables (`docs/report.schema.json`).
    Json,
    /// CSV, one row per finding (RFC 4180).
    Csv,
    /// SARIF 2.1.0: one result per failed or inconclusive finding.
    Sarif,
    /// JUnit XML for CI: a test suite per provider, a test case per control and target.
    Junit,
}

impl Format {
    /// The format's name, as on the command line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Md => "md",
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Sarif => "sarif",
            Self::Junit => "junit",
        }
    }
}

/// Arguments of `kensa report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run directory, or an evidence.jsonl file.
    #[arg(value_name = "RUN_DIR")]
    pub run: PathBuf,
    /// Output format (default html; `--json` alone means `--format json`).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to this file instead of stdout (refused when it exists, unless
    /// `--force`).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite the `-o` file when it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// A built-in profile name or a profile file (repeatable). Default: the kensa levels.
    /// Each provider is also judged against the profile it `applies_for`.
    #[arg(long, value_name = "NAME|FILE")]
    pub profile: Vec<String>,
}

/// Why a report could not be made (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The run or a profile could not be read or graded.
    #[error(transparent)]
    Assess(#[from] AssessError),
    /// The report could not be written.
    #[error("cannot write the report to {path}: {source}")]
    Write {
        /// The output path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The output file exists and `--force` was not given.
    #[error("{path} exists: refusing to overwrite it (pass --force to replace it)")]
    Exists {
        /// The output path.
        path: String,
    },
    /// Options that cannot apply together.
    #[error("{0}")]
    Usage(String),
    /// The report could not be encoded (a bug).
    #[error("cannot encode the {format} report: {message}")]
    Encode {
        /// The format.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// Build the report model of the run at `run` (a run directory or evidence file) under
/// `profiles` (names or files; empty: the kensa levels), as of `now`.
pub fn build(
    run: &Path,
    profiles: &[String],
    now: OffsetDateTime,
) -> Result<model::Report, ReportError> {
    let lib = Library::builtin()?;
    let mut set = crate::assess::set::ProfileSet::named(&lib, profiles)?;
    let run = crate::assess::doc::load(run)?;
    // With a provider's declaration, `kensa-declaration` is judged too, so the `DECL-*`
    // findings are in every format (CSV and SARIF included).
    set.add_declaration_profile(&lib, &run)?;
    set.add_applies_for(&lib, &[&run]);
    let mut assessment = set.assess(&run);
    // The evidence as an absolute path: the report is read elsewhere than where it was made.
    if let Ok(abs) = std::path::absolute(&assessment.evidence) {
        assessment.evidence = abs.display().to_string();
    }
    let all: Vec<&Profile> = set.all();
    Ok(model::Report::new(&run, assessment, &all, now))
}

/// Render the run at `run` in `format` under `profiles` (names or files; empty: the kensa
/// levels, plus each provider's `applies_for`), as of now.
pub fn render(run: &Path, profiles: &[String], format: Format) -> Result<String, ReportError> {
    render_at(run, profiles, format, OffsetDateTime::now_utc())
}

/// [`render`] as of `now` (the certificate timeline's "today" and days left).
pub fn render_at(
    run: &Path,
    profiles: &[String],
    format: Format,
    now: OffsetDateTime,
) -> Result<String, ReportError> {
    let report = build(run, profiles, now)?;
    render_report(&report, format)
}

/// Render a built report in `format`.
pub fn render_report(report: &model::Report, format: Format) -> Result<String, ReportError> {
    let mut out = Vec::new();
    write_report(report, format, &mut out).map_err(|e| match e {
        ReportError::Write { source, .. } => ReportError::Encode {
            format: format.as_str(),
            message: source.to_string(),
        },
        other => other,
    })?;
    String::from_utf8(out).map_err(|e| ReportError::Encode {
        format: format.as_str(),
        message: e.to_string(),
    })
}

/// Write a built report in `format` to `w`: JSON, CSV, SARIF and JUnit as they are made
/// (row by row, result by result, suite by suite), HTML and Markdown as one page.
pub fn write_report(
    report: &model::Report,
    format: Format,
    w: &mut dyn std::io::Write,
) -> Result<(), ReportError> {
    let io = |source: std::io::Error| ReportError::Write {
        path: "the output".to_owned(),
        source,
    };
    let encode = |e: serde_json::Error| {
        if e.is_io() {
            io(std::io::Error::other(e.to_string()))
        } else {
            ReportError::Encode {
                format: format.as_str(),
                message: e.to_string(),
            }
        }
    };
    match format {
        Format::Html => w
            .write_all(with_interruption_html(report, html::render(report)).as_bytes())
            .map_err(io),
        Format::Md => w
            .write_all(with_interruption_md(report, text::markdown(report)).as_bytes())
            .map_err(io),
        Format::Csv => text::write_csv(report, w).map_err(io),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, report).map_err(encode)?;
            w.write_all(b"\n").map_err(io)
        }
        Format::Sarif => {
            sarif::write_sarif(report, &mut *w).map_err(io)?;
            w.write_all(b"\n").map_err(io)
        }
        Format::Junit => junit::write_junit(report, w).map_err(io),
    }
}

/// An interrupted or incomplete run's notice, first thing in the page's body (a block of its
/// own, whatever the page's layout).
fn with_interruption_html(report: &model::Report, page: String) -> String {
    let Some(i) = &report.assessment.interrupted else {
        return page;
    };
    let block = i.html(&|t: &str| html::esc(t));
    match page
        .find("<body")
        .and_then(|at| page[at..].find('>').map(|end| at + end + 1))
    {
        Some(at) => format!("{}{block}{}", &page[..at], &page[at..]),
        None => block + &page,
    }
}

/// The same notice in Markdown, under the title.
fn with_interruption_md(report: &model::Report, text: String) -> String {
    let Some(i) = &report.assessment.interrupted else {
        return text;
    };
    let block = i.markdown(&|t: &str| text::md(t));
    match text.find("\n\n") {
        Some(at) => format!("{}\n\n{block}{}", &text[..at], &text[at + 2..]),
        None => block + &text,
    }
}

/// `kensa report`: the report on stdout, or written to `-o FILE` (then stdout is empty, or
/// with `--json` a note of what was written). Exit 0 whatever the grades: the report is the
/// judgement; `kensa assess` gives the exit status of one.
///
/// CSV, JSON and SARIF are streamed ([`stream`]): the run is read, judged and written a batch
/// of providers at a time, to `stdout` or to the file.
pub fn report(
    args: &ReportArgs,
    json: bool,
    stdout: &mut dyn std::io::Write,
) -> Result<Reported, ReportError> {
    let format = args
        .format
        .unwrap_or(if json { Format::Json } else { Format::Html });
    // `--json` asks for JSON on stdout: another format there cannot be both (with `-o`, the
    // JSON is the note of what was written).
    if json && args.output.is_none() && format != Format::Json {
        return Err(ReportError::Usage(format!(
            "--json and --format {} cannot both apply to stdout: drop one, or write the \
             report with -o FILE (then --json prints a note of what was written)",
            format.as_str()
        )));
    }
    if let Some(path) = &args.output
        && !args.force
        && path.exists()
    {
        return Err(ReportError::Exists {
            path: path.display().to_string(),
        });
    }
    let streamed = matches!(format, Format::Csv | Format::Json | Format::Sarif);
    let now = OffsetDateTime::now_utc();
    let write = |w: &mut dyn std::io::Write| {
        if streamed {
            stream::write_streamed(
                &args.run,
                &args.profile,
                format,
                now,
                stream::BATCH_TARGETS,
                w,
            )
        } else {
            write_report(&build(&args.run, &args.profile, now)?, format, w)
        }
    };
    let Some(path) = &args.output else {
        if streamed {
            write(stdout)
                .and_then(|()| {
                    stdout.flush().map_err(|source| ReportError::Write {
                        path: "the output".to_owned(),
                        source,
                    })
                })
                .map_err(|e| match e {
                    ReportError::Write { source, .. } => ReportError::Write {
                        path: "stdout".to_owned(),
                        source,
                    },
                    other => other,
                })?;
            return Ok(Reported::Streamed);
        }
        let text = render_at(&args.run, &args.profile, format, now)?;
        return Ok(Reported::Document(text));
    };
    let werr = |source: std::io::Error| ReportError::Write {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::create(path).map_err(werr)?;
    let mut out = Counting {
        inner: std::io::BufWriter::new(file),
        bytes: 0,
    };
    let written = write(&mut out)
        .map_err(|e| match e {
            ReportError::Write { source, .. } => werr(source),
            other => other,
        })
        .and_then(|()| std::io::Write::flush(&mut out).map_err(werr));
    if let Err(e) = written {
        // No half-written report is left behind.
        drop(out);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(Reported::Written {
        path: path.clone(),
        format,
        bytes: out.bytes,
    })
}

/// `kensa report`'s result.
#[derive(Debug)]
pub enum Reported {
    /// The report itself, for stdout (in the format asked for; JSON under `--json`).
    Document(String),
    /// The report was streamed to stdout as it was made.
    Streamed,
    /// The report was written to a file.
    Written {
        /// Where.
        path: PathBuf,
        /// In which format.
        format: Format,
        /// Its size.
        bytes: usize,
    },
}

impl crate::output::Render for Reported {
    fn text(&self) -> String {
        match self {
            Reported::Document(d) => d.clone(),
            Reported::Written { .. } | Reported::Streamed => String::new(),
        }
    }
    /// The JSON report itself, or a note of what was written.
    fn json(&self) -> String {
        match self {
            Reported::Document(d) => d.clone(),
            Reported::Streamed => String::new(),
            Reported::Written {
                path,
                format,
                bytes,
            } => {
                serde_json::json!({
                    "written": path.display().to_string(),
                    "format": format.as_str(),
                    "bytes": bytes,
                })
                .to_string()
                    + "\n"
            }
        }
    }
}

/// A writer that counts what went through it.
struct Counting<W> {
    inner: W,
    bytes: usize,
}

impl<W: std::io::Write> std::io::Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

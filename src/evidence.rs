//! The evidence stream: records, the hash-chained JSON Lines file, and its verification.
//!
//! A run writes `RUN_DIR/evidence.jsonl`: one `run-begin` line, one `evidence` line per probe
//! result, and a closing `run-end` line; a run that was resumed (`kensa scan --resume`) has a
//! `run-resume` line where each later session began. Every line has the form
//!
//! ```text
//! {"hash":"<sha256 of BODY, hex>",BODY
//! ```
//!
//! where `BODY` is the rest of the JSON object: `"prev":"<hash of the previous line>","seq":N,
//! "type":"…","data":{…}}`. The first line's `prev` is 64 zeros. Because each line's body
//! contains the previous line's hash, editing, removing, inserting or reordering any line breaks
//! the chain at a line that [`verify`] names. `run-end` carries the chain head (the hash of the
//! last line before it) and the number of evidence records.
//!
//! Each line is written with a single `write` call as soon as it is ready, so a crash loses at
//! most the line being written; [`verify`] reports such a run as incomplete but intact, and
//! [`EvidenceWriter::reopen`] continues its chain after dropping a torn last line.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use kensa_probe::{Fault, Outcome};
use serde::{Deserialize, Serialize};

/// The version of the evidence format. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The file name of the evidence stream inside a run directory.
pub const EVIDENCE_FILE: &str = "evidence.jsonl";

/// The `prev` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const PREFIX: &str = "{\"hash\":\"";

/// Where the probing was done from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vantage {
    /// A name for the vantage point (e.g. `tokyo-1`).
    pub name: String,
    /// Latitude in decimal degrees (WGS 84), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude in decimal degrees (WGS 84), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// How the addresses of a target were obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressSource {
    /// The host is an IP literal.
    Literal,
    /// The catalog pinned the addresses.
    Pinned,
    /// kensa resolved the host name.
    Resolved,
    /// Resolution failed: there are no addresses.
    Unresolved,
}

/// The target an evidence record is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetRef {
    /// The stable target id (`provider/host:port`).
    pub id: String,
    /// The provider id from the catalog.
    pub provider: String,
    /// The host as given in the catalog.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// The SNI name, when it differs from the host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    /// The addresses the probes were allowed to connect to.
    pub addresses: Vec<IpAddr>,
    /// Where those addresses came from.
    pub address_source: AddressSource,
    /// How many of the endpoint's distinct addresses were left out by
    /// `--max-addresses-per-endpoint` (the chosen ones are `addresses`); absent when none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub addresses_left_out: u64,
}

/// One probe result: the unit of evidence.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Evidence {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// The run this record belongs to.
    pub run_id: String,
    /// What was probed.
    pub target: TargetRef,
    /// The stable probe id (e.g. `latency.tcp`).
    pub probe: String,
    /// The probe's version.
    pub probe_version: String,
    /// Where the probe ran from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vantage: Option<Vantage>,
    /// When the probe started (RFC 3339, UTC).
    pub started_at: String,
    /// How long the probe ran, µs.
    pub elapsed_us: u64,
    /// How the probe ended.
    pub outcome: Outcome,
    /// Whose fault a non-success outcome was.
    pub fault: Fault,
    /// What the probe observed (its own schema, see the probe crate's `Observation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observation: Option<Box<serde_json::value::RawValue>>,
    /// The error text, for a non-success outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A probe named in the run plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeRef {
    /// Stable probe id.
    pub id: String,
    /// Probe version.
    pub version: String,
}

/// A provider as the catalog describes it, recorded in `run-begin` so that grading needs
/// only the evidence file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// The provider id.
    pub id: String,
    /// The display name.
    pub name: Option<String>,
    /// The declared country (ISO 3166-1 alpha-2).
    pub declared_country: Option<String>,
    /// The profile the provider is graded against (e.g. `kensa-level-2`).
    pub applies_for: Option<String>,
    /// The provider's declaration (`docs/declaration.md`) as read at the start of the run:
    /// its digest, content, signature check and the catalog's names; absent when the catalog
    /// names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<crate::declaration::DeclarationRecord>,
}

/// The first line of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunBegin {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// The run id.
    pub run_id: String,
    /// `kensa` and its version.
    pub tool: String,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// The catalog as the user named it (a path, or `command line`).
    pub catalog: String,
    /// Providers in the catalog.
    pub providers: usize,
    /// Endpoints in the catalog.
    pub endpoints: usize,
    /// The probes that run on every endpoint.
    pub probes: Vec<ProbeRef>,
    /// Where the run probes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vantage: Option<Vantage>,
    /// The engine settings (limits and timeouts), as a JSON object.
    pub settings: serde_json::Value,
    /// The catalog's providers (id, name, declared country, `applies_for`); absent in runs
    /// written before it was recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provider_details: Vec<ProviderInfo>,
    /// SHA-256 (hex) of the catalog's content (providers and endpoints, not its path or
    /// layout): a resumed run must be given the same catalog. Absent in runs written before
    /// it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_digest: Option<String>,
    /// The options that affect results (tool, probes and versions, timeouts, samples, trust
    /// stores, resolvers, residency sources, `allow_private`, vantage), as a JSON object; a
    /// resumed run must be given the same. Absent in runs written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<serde_json::Value>,
    /// SHA-256 (hex) of `options` as compact JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options_digest: Option<String>,
}

/// Where a later session of the same run began (`kensa scan --resume`): the line continues
/// the hash chain of the lines before it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResume {
    /// The run id (the one in `run-begin`).
    pub run_id: String,
    /// `kensa` and its version.
    pub tool: String,
    /// When this session started (RFC 3339, UTC).
    pub resumed_at: String,
    /// Evidence records in the file when it was resumed.
    pub records_before: u64,
    /// Bytes of a partial last line (left by a crash) that were dropped before this line.
    pub dropped_tail_bytes: u64,
    /// The engine settings (limits and timeouts) of this session, as a JSON object.
    pub settings: serde_json::Value,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunStatus {
    /// Every planned probe ran.
    Complete,
    /// The run was interrupted (Ctrl-C); in-flight probes were dropped.
    Interrupted,
}

/// The last line of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunEnd {
    /// The run id.
    pub run_id: String,
    /// When the run ended (RFC 3339, UTC).
    pub finished_at: String,
    /// How it ended.
    pub status: RunStatus,
    /// Number of evidence records in the file.
    pub records: u64,
    /// Evidence records per outcome.
    pub outcomes: BTreeMap<Outcome, u64>,
    /// The chain head: the hash of the last line before this one.
    pub head: String,
}

/// One line of the evidence stream.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "kebab-case")]
#[allow(clippy::large_enum_variant)]
pub enum Record {
    /// The first line.
    RunBegin(RunBegin),
    /// A probe result.
    Evidence(Evidence),
    /// The start of a later session of the run.
    RunResume(RunResume),
    /// The last line.
    RunEnd(RunEnd),
}

// Lines are encoded and decoded without `#[serde(flatten)]`: flattening buffers values, which
// `RawValue` observations cannot pass through.
#[derive(Serialize)]
struct LineOut<'a, T: Serialize> {
    prev: &'a str,
    seq: u64,
    #[serde(rename = "type")]
    kind: &'static str,
    data: &'a T,
}

#[derive(Deserialize)]
struct LineIn<'a> {
    hash: String,
    prev: String,
    seq: u64,
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow)]
    data: &'a serde_json::value::RawValue,
}

impl LineIn<'_> {
    fn record(&self) -> serde_json::Result<Record> {
        let data = self.data.get();
        Ok(match self.kind.as_str() {
            "run-begin" => Record::RunBegin(serde_json::from_str(data)?),
            "evidence" => Record::Evidence(serde_json::from_str(data)?),
            "run-resume" => Record::RunResume(serde_json::from_str(data)?),
            "run-end" => Record::RunEnd(serde_json::from_str(data)?),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "unknown record type `{other}`"
                )));
            }
        })
    }
}

impl Record {
    /// The record's `type` string.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::RunBegin(_) => "run-begin",
            Self::Evidence(_) => "evidence",
            Self::RunResume(_) => "run-resume",
            Self::RunEnd(_) => "run-end",
        }
    }
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Bytes (a digest) as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    s
}

/// Encode `record` as one chained line (with the trailing newline); returns the line and its
/// hash.
pub fn encode_line(prev: &str, seq: u64, record: &Record) -> serde_json::Result<(String, String)> {
    let kind = record.kind();
    let full = match record {
        Record::RunBegin(data) => serde_json::to_string(&LineOut {
            prev,
            seq,
            kind,
            data,
        }),
        Record::Evidence(data) => serde_json::to_string(&LineOut {
            prev,
            seq,
            kind,
            data,
        }),
        Record::RunResume(data) => serde_json::to_string(&LineOut {
            prev,
            seq,
            kind,
            data,
        }),
        Record::RunEnd(data) => serde_json::to_string(&LineOut {
            prev,
            seq,
            kind,
            data,
        }),
    }?;
    // `full` starts with '{'; the body is everything after it.
    let body = full.get(1..).unwrap_or_default();
    let hash = sha256_hex(body.as_bytes());
    let mut line = String::with_capacity(full.len() + 80);
    line.push_str(PREFIX);
    line.push_str(&hash);
    line.push_str("\",");
    line.push_str(body);
    line.push('\n');
    Ok((line, hash))
}

/// Writes the evidence stream: one `write` per line, so a crash loses at most one line.
///
/// `W` is the file ([`File`], from [`create`](Self::create) or [`reopen`](Self::reopen)); any
/// other [`Write`] serves tests that make writing fail.
#[derive(Debug)]
pub struct EvidenceWriter<W = File> {
    file: W,
    path: PathBuf,
    prev: String,
    seq: u64,
    evidence: u64,
    outcomes: BTreeMap<Outcome, u64>,
}

impl EvidenceWriter<File> {
    /// Create `dir` (and parents) and a new `evidence.jsonl` in it; an existing evidence file
    /// is never overwritten.
    pub fn create(dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(EVIDENCE_FILE);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Self::from_writer(file, path))
    }

    /// Reopen the evidence file at `path` to continue its chain after the intact lines that
    /// [`read_chain`] found (`tail`): a partial last line after them (left by a crash) is cut
    /// off, and a missing final newline is added. The caller checks first that the chain is
    /// not tampered and that nothing else writes the file (the run directory's lock).
    pub fn reopen(path: &Path, tail: &ChainTail) -> io::Result<Self> {
        let mut file = OpenOptions::new().read(true).write(true).open(path)?;
        let len = file.metadata()?.len();
        if len > tail.intact_bytes {
            file.set_len(tail.intact_bytes)?;
        }
        file.seek(SeekFrom::Start(tail.intact_bytes))?;
        if tail.unterminated {
            file.write_all(b"\n")?;
        }
        Ok(Self {
            file,
            path: path.to_path_buf(),
            prev: tail.report.head.clone(),
            seq: tail.report.lines_ok,
            evidence: tail.report.evidence_records,
            outcomes: tail.outcomes.clone(),
        })
    }

    /// Write `run-end` and flush the file to disk.
    pub fn finish(
        mut self,
        run_id: &str,
        finished_at: String,
        status: RunStatus,
    ) -> io::Result<String> {
        let end = Record::RunEnd(RunEnd {
            run_id: run_id.to_owned(),
            finished_at,
            status,
            records: self.evidence,
            outcomes: self.outcomes.clone(),
            head: self.prev.clone(),
        });
        self.append(&end)?;
        self.file.sync_all()?;
        Ok(self.prev)
    }
}

impl<W: Write> EvidenceWriter<W> {
    /// A writer of a new chain into `file`, reported as `path` in errors.
    pub fn from_writer(file: W, path: PathBuf) -> Self {
        Self {
            file,
            path,
            prev: GENESIS.to_owned(),
            seq: 0,
            evidence: 0,
            outcomes: BTreeMap::new(),
        }
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Evidence records in the file so far (with a reopened file, those before it too).
    pub fn evidence_count(&self) -> u64 {
        self.evidence
    }

    /// Evidence records per outcome so far.
    pub fn outcomes(&self) -> &BTreeMap<Outcome, u64> {
        &self.outcomes
    }

    /// The hash of the last line written (the chain head).
    pub fn head(&self) -> &str {
        &self.prev
    }

    /// Append one record. On an error, the chain state is unchanged (the record does not
    /// count), and the file may end in a partial line, which [`verify`] ignores.
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        let (line, hash) = encode_line(&self.prev, self.seq, record).map_err(io::Error::other)?;
        self.file.write_all(line.as_bytes())?;
        if let Record::Evidence(e) = record {
            self.evidence += 1;
            *self.outcomes.entry(e.outcome).or_default() += 1;
        }
        self.prev = hash;
        self.seq += 1;
        Ok(())
    }
}

/// The verdict of [`verify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Integrity {
    /// Every line is intact and the run ended with `run-end`.
    Intact,
    /// Every line is intact but the run has no `run-end` (it crashed, was killed, or is still
    /// running): `kensa scan --resume` can complete it.
    Incomplete,
    /// A line was altered, removed, inserted or reordered.
    Tampered,
}

/// The first problem [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The 1-based line number.
    pub line: u64,
    /// What is wrong there.
    pub message: String,
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    /// The file verified.
    pub file: String,
    /// The verdict.
    pub integrity: Integrity,
    /// The run id from `run-begin`, when readable.
    pub run_id: Option<String>,
    /// Lines whose hash and chain position checked out.
    pub lines_ok: u64,
    /// Evidence records among them.
    pub evidence_records: u64,
    /// How the run ended, when it has a `run-end`.
    pub run_status: Option<RunStatus>,
    /// The hash of the last intact line: with a `run-end`, the hash of that line.
    pub head: String,
    /// The first tampering found (for `tampered`).
    pub problem: Option<Problem>,
    /// A partial last line left by a crash (for `incomplete`), which was ignored.
    pub torn_tail: Option<Problem>,
    /// `run-resume` lines: how many times the run was resumed (`kensa scan --resume`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub resumes: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Resolve a run directory or an evidence file path to the evidence file.
pub fn evidence_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(EVIDENCE_FILE)
    } else {
        path.to_path_buf()
    }
}

/// Upper bound on one line, so a hostile or corrupt file cannot exhaust memory (64 MiB).
const MAX_LINE: u64 = 64 << 20;

/// Check the hash chain of an evidence file. `Err` only when the file cannot be read.
pub fn verify(path: &Path) -> io::Result<VerifyReport> {
    Ok(read_chain(path, |_| {})?.report)
}

/// [`verify`] over any reader.
pub fn verify_reader(name: &str, reader: impl BufRead) -> io::Result<VerifyReport> {
    Ok(chain_reader(name, reader, |_| {})?.report)
}

/// What [`read_chain`] found: the verdict, and where the intact lines end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainTail {
    /// The verdict, as [`verify`] gives it.
    pub report: VerifyReport,
    /// Bytes of the file taken by the intact lines (what follows is a torn tail, or the
    /// tampered part).
    pub intact_bytes: u64,
    /// Whether the last intact line lacks its newline (the writer stopped just before it).
    pub unterminated: bool,
    /// Evidence records per outcome among the intact lines.
    pub outcomes: BTreeMap<Outcome, u64>,
}

/// One line whose place in the hash chain was checked: what a [`Records`] reader hands on.
#[derive(Clone, Copy, Debug)]
pub struct Verified<'a> {
    /// The line's sequence number (0-based).
    pub seq: u64,
    /// The line's hash.
    pub hash: &'a str,
    /// The record.
    pub record: &'a Record,
    /// The record's `data` as it stands in the line (JSON text).
    pub data: &'a str,
    /// The whole line as written (without its newline).
    pub line: &'a str,
}

/// The one evidence reader: records read once, their chain verified in the same pass, from a
/// file, from bytes, or from rows of lines (a database). A visitor sees only lines that
/// verified, in order; a line that was not verified is never handed on (a torn last line, the
/// tampered line and everything after it). The returned [`ChainTail`] says whether the whole
/// source was intact, incomplete (no `run-end`) or tampered, and where.
pub enum Records<'a> {
    /// A run directory or an evidence file.
    File(&'a Path),
    /// An evidence file's bytes (a bundle member), with the name to report.
    Bytes {
        /// The name to report.
        name: &'a str,
        /// The bytes.
        bytes: &'a [u8],
    },
    /// Lines (each without its newline), e.g. rows of a database, with the name to report.
    Lines {
        /// The name to report.
        name: &'a str,
        /// The lines, in order.
        lines: Box<dyn Iterator<Item = String> + 'a>,
    },
}

impl std::fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(p) => f.debug_tuple("File").field(p).finish(),
            Self::Bytes { name, bytes } => f
                .debug_struct("Bytes")
                .field("name", name)
                .field("len", &bytes.len())
                .finish(),
            Self::Lines { name, .. } => f.debug_struct("Lines").field("name", name).finish(),
        }
    }
}

impl Records<'_> {
    /// Read and verify, calling `visit` with each verified line. `Err` only when the source
    /// cannot be read.
    pub fn read(self, visit: impl FnMut(Verified<'_>)) -> io::Result<ChainTail> {
        match self {
            Self::File(path) => {
                let file = evidence_path(path);
                let reader = BufReader::new(File::open(&file)?);
                chain_reader(&file.display().to_string(), reader, visit)
            }
            Self::Bytes { name, bytes } => chain_reader(name, io::Cursor::new(bytes), visit),
            Self::Lines { name, lines } => {
                let mut joined = Vec::new();
                for l in lines {
                    joined.extend_from_slice(l.as_bytes());
                    joined.push(b'\n');
                }
                chain_reader(name, io::Cursor::new(joined), visit)
            }
        }
    }
}

/// Check the hash chain of an evidence file as [`verify`] does, calling `visit` with each
/// record that checked out, in order. `Err` only when the file cannot be read.
pub fn read_chain(path: &Path, visit: impl FnMut(Verified<'_>)) -> io::Result<ChainTail> {
    let file = evidence_path(path);
    let reader = BufReader::new(File::open(&file)?);
    chain_reader(&file.display().to_string(), reader, visit)
}

/// [`read_chain`] over any reader.
pub fn chain_reader(
    name: &str,
    reader: impl BufRead,
    visit: impl FnMut(Verified<'_>),
) -> io::Result<ChainTail> {
    chain_reader_capped(name, reader, MAX_LINE, visit)
}

/// [`chain_reader`] with a line cap of `cap` bytes.
fn chain_reader_capped(
    name: &str,
    mut reader: impl BufRead,
    cap: u64,
    mut visit: impl FnMut(Verified<'_>),
) -> io::Result<ChainTail> {
    let mut rep = VerifyReport {
        file: name.to_owned(),
        integrity: Integrity::Incomplete,
        run_id: None,
        lines_ok: 0,
        evidence_records: 0,
        run_status: None,
        head: GENESIS.to_owned(),
        problem: None,
        torn_tail: None,
        resumes: 0,
    };
    let mut tail = ChainTail {
        report: rep.clone(),
        intact_bytes: 0,
        unterminated: false,
        outcomes: BTreeMap::new(),
    };
    let mut buf = Vec::new();
    let mut lineno: u64 = 0;
    let mut ended = false;
    let done = |rep: VerifyReport, mut tail: ChainTail| {
        tail.report = rep;
        Ok(tail)
    };
    loop {
        buf.clear();
        let n = (&mut reader).take(cap).read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        lineno += 1;
        let terminated = buf.last() == Some(&b'\n');
        let text = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if !terminated && u64::try_from(n).unwrap_or(u64::MAX) >= cap {
            // A line over the cap. Running to the end of the file unterminated, it is a torn
            // tail (handled below); ended by a newline, it is an altered file (the writer never
            // writes such a line), and nothing after it is read.
            let mut ended_by_newline = false;
            loop {
                let chunk = reader.fill_buf()?;
                if chunk.is_empty() {
                    break;
                }
                match chunk.iter().position(|b| *b == b'\n') {
                    Some(i) => {
                        reader.consume(i + 1);
                        ended_by_newline = true;
                        break;
                    }
                    None => {
                        let len = chunk.len();
                        reader.consume(len);
                    }
                }
            }
            if ended_by_newline {
                rep.integrity = Integrity::Tampered;
                rep.problem = Some(Problem {
                    line: lineno,
                    message: format!("a line longer than {cap} bytes"),
                });
                return done(rep, tail);
            }
        }
        let tamper = |rep: &mut VerifyReport, message: String| {
            rep.integrity = Integrity::Tampered;
            rep.problem = Some(Problem {
                line: lineno,
                message,
            });
        };
        match check_line(text, &rep.head, rep.lines_ok) {
            Ok((hash, record, data)) => {
                match &record {
                    // Only a resumed session may follow the run-end of an interrupted run.
                    Record::RunResume(_)
                        if ended && rep.run_status == Some(RunStatus::Interrupted) => {}
                    _ if ended => {
                        tamper(&mut rep, "a line follows run-end".into());
                        return done(rep, tail);
                    }
                    _ => {}
                }
                match &record {
                    Record::RunBegin(b) if lineno == 1 => rep.run_id = Some(b.run_id.clone()),
                    Record::RunBegin(_) => {
                        tamper(&mut rep, "run-begin is not the first line".into());
                        return done(rep, tail);
                    }
                    _ if lineno == 1 => {
                        tamper(&mut rep, "the first line is not run-begin".into());
                        return done(rep, tail);
                    }
                    Record::Evidence(e) => {
                        rep.evidence_records += 1;
                        *tail.outcomes.entry(e.outcome).or_default() += 1;
                    }
                    Record::RunResume(r) => {
                        if rep.run_id.as_deref() != Some(r.run_id.as_str()) {
                            let msg = format!(
                                "run-resume names run {}, not this run ({})",
                                r.run_id,
                                rep.run_id.as_deref().unwrap_or("?")
                            );
                            tamper(&mut rep, msg);
                            return done(rep, tail);
                        }
                        rep.resumes += 1;
                        rep.run_status = None;
                        ended = false;
                    }
                    Record::RunEnd(end) => {
                        if end.head != rep.head {
                            tamper(&mut rep, "run-end's head does not match the chain".into());
                            return done(rep, tail);
                        }
                        if end.records != rep.evidence_records {
                            let found = rep.evidence_records;
                            tamper(
                                &mut rep,
                                format!(
                                    "run-end counts {} evidence records but the file has {}",
                                    end.records, found
                                ),
                            );
                            return done(rep, tail);
                        }
                        rep.run_status = Some(end.status);
                        ended = true;
                    }
                }
                visit(Verified {
                    seq: rep.lines_ok,
                    hash: &hash,
                    record: &record,
                    data: &data,
                    line: std::str::from_utf8(text).unwrap_or_default(),
                });
                rep.head = hash;
                rep.lines_ok += 1;
                tail.intact_bytes += u64::try_from(n).unwrap_or(u64::MAX);
                tail.unterminated = !terminated;
            }
            Err(_) if ended => {
                tamper(&mut rep, "a line follows run-end".into());
                return done(rep, tail);
            }
            Err(message) if !terminated => {
                // The last line has no newline: the writer stopped in the middle of it.
                rep.torn_tail = Some(Problem {
                    line: lineno,
                    message: format!("partial last record ignored ({message})"),
                });
                break;
            }
            Err(message) => {
                tamper(&mut rep, message);
                return done(rep, tail);
            }
        }
    }
    if lineno == 0 {
        rep.integrity = Integrity::Tampered;
        rep.problem = Some(Problem {
            line: 1,
            message: "the file is empty: run-begin is missing".into(),
        });
        return done(rep, tail);
    }
    rep.integrity = if ended {
        Integrity::Intact
    } else {
        Integrity::Incomplete
    };
    done(rep, tail)
}

/// Check one line against the previous hash and its expected position.
fn check_line(
    text: &[u8],
    prev: &str,
    expected_seq: u64,
) -> Result<(String, Record, String), String> {
    let text = std::str::from_utf8(text).map_err(|_| "not UTF-8 text".to_owned())?;
    let rest = text
        .strip_prefix(PREFIX)
        .ok_or_else(|| "not a kensa evidence line (no leading hash)".to_owned())?;
    let (Some(hash), Some(body)) = (rest.get(..64), rest.get(64..)) else {
        return Err("truncated hash".into());
    };
    let body = body
        .strip_prefix("\",")
        .ok_or_else(|| "malformed hash field".to_owned())?;
    if sha256_hex(body.as_bytes()) != hash {
        return Err("the content was altered: its hash does not match".into());
    }
    let parsed: LineIn<'_> =
        serde_json::from_str(text).map_err(|e| format!("not a valid evidence record: {e}"))?;
    let record = parsed
        .record()
        .map_err(|e| format!("not a valid evidence record: {e}"))?;
    if parsed.hash != hash {
        return Err("the hash field is duplicated or altered".into());
    }
    if parsed.seq != expected_seq {
        return Err(format!(
            "record out of place: expected record #{expected_seq}, found #{} \
             (a record was removed, inserted or reordered before this line)",
            parsed.seq
        ));
    }
    if parsed.prev != prev {
        return Err("the chain is broken: prev does not match the hash of the line before".into());
    }
    Ok((hash.to_owned(), record, parsed.data.get().to_owned()))
}

/// A line read again where a verified line was (the streaming assessment reads a run twice:
/// once to verify the chain and index it, then each provider's lines): it must still be the
/// line verified, its hash `hash` (hex) and its content hashing to it, at `seq`. Returns the
/// record's `data` as JSON text.
pub fn reread_line<'a>(text: &'a str, hash: &str, seq: u64) -> Result<&'a str, String> {
    let changed = || "the file changed while it was read (a line differs from the one verified)";
    let rest = text
        .strip_prefix(PREFIX)
        .ok_or_else(|| changed().to_owned())?;
    let (Some(h), Some(body)) = (rest.get(..64), rest.get(64..)) else {
        return Err(changed().to_owned());
    };
    let body = body
        .strip_prefix("\",")
        .ok_or_else(|| changed().to_owned())?;
    if h != hash || sha256_hex(body.as_bytes()) != hash {
        return Err(changed().to_owned());
    }
    let parsed: LineIn<'_> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if parsed.seq != seq || parsed.hash != hash {
        return Err(changed().to_owned());
    }
    Ok(parsed.data.get())
}

/// Read every record of an evidence file through [`Records`]: only verified lines; a
/// tampered file is an `InvalidData` error naming the line (a torn last line is left out, as
/// `kensa verify` leaves it).
pub fn read_records(path: &Path) -> io::Result<Vec<Record>> {
    let mut out = Vec::new();
    let tail = Records::File(path).read(|v| out.push(v.record.clone()))?;
    if tail.report.integrity == Integrity::Tampered {
        let (line, message) = tail
            .report
            .problem
            .map(|p| (p.line, p.message))
            .unwrap_or((0, "unknown problem".into()));
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}:{line}: the evidence was tampered with ({message}); refusing to read it \
                 (see `kensa verify`)",
                tail.report.file
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn begin() -> Record {
        Record::RunBegin(RunBegin {
            schema_version: SCHEMA_VERSION,
            run_id: "r1".into(),
            tool: "kensa test".into(),
            started_at: "2026-01-01T00:00:00Z".into(),
            catalog: "c.toml".into(),
            providers: 1,
            endpoints: 2,
            probes: vec![],
            vantage: None,
            settings: serde_json::json!({}),
            provider_details: vec![],
            catalog_digest: None,
            options: None,
            options_digest: None,
        })
    }

    fn ev(i: u16) -> Record {
        Record::Evidence(Evidence {
            schema_version: SCHEMA_VERSION,
            run_id: "r1".into(),
            target: TargetRef {
                id: format!("p/h:{i}"),
                provider: "p".into(),
                host: "h".into(),
                port: i,
                sni: None,
                addresses: vec![],
                address_source: AddressSource::Literal,
                addresses_left_out: 0,
            },
            probe: "latency.tcp".into(),
            probe_version: "1".into(),
            vantage: None,
            started_at: "2026-01-01T00:00:00Z".into(),
            elapsed_us: 5,
            outcome: Outcome::Success,
            fault: Fault::None,
            observation: serde_json::value::to_raw_value(&serde_json::json!({"x": i})).ok(),
            error: None,
        })
    }

    fn write_run(dir: &Path, n: u16, finish: bool) -> PathBuf {
        let mut w = EvidenceWriter::create(dir).unwrap();
        w.append(&begin()).unwrap();
        for i in 0..n {
            w.append(&ev(i)).unwrap();
        }
        let p = w.path().to_path_buf();
        if finish {
            w.finish("r1", "2026-01-01T00:00:01Z".into(), RunStatus::Complete)
                .unwrap();
        }
        p
    }

    fn verify_bytes(b: &[u8]) -> VerifyReport {
        verify_reader("mem", io::Cursor::new(b)).unwrap()
    }

    #[test]
    fn intact_run_verifies() {
        let d = tempfile::tempdir().unwrap();
        let p = write_run(d.path(), 3, true);
        let r = verify(&p).unwrap();
        assert_eq!(r.integrity, Integrity::Intact, "{r:?}");
        assert_eq!(r.evidence_records, 3);
        assert_eq!(r.lines_ok, 5);
        assert_eq!(r.run_status, Some(RunStatus::Complete));
        assert_eq!(read_records(&p).unwrap().len(), 5);
    }

    /// Regression (issue 15): a line appended without a trailing newline is a torn tail and is
    /// never handed to a reader, even when it is well-formed JSON.
    #[test]
    fn an_appended_line_without_newline_is_never_read() {
        let d = tempfile::tempdir().unwrap();
        let p = write_run(d.path(), 2, false);
        let mut bytes = std::fs::read(&p).unwrap();
        let forged = r#"{"hash":"00","prev":"00","seq":3,"type":"evidence","data":{}}"#;
        bytes.extend_from_slice(forged.as_bytes());
        std::fs::write(&p, &bytes).unwrap();
        let mut seen = Vec::new();
        let tail = Records::File(&p).read(|v| seen.push(v.seq)).unwrap();
        assert_eq!(tail.report.integrity, Integrity::Incomplete);
        assert_eq!(seen, vec![0, 1, 2], "only verified lines are read");
        assert_eq!(read_records(&p).unwrap().len(), 3);
    }

    /// Regression (issue 15): a line over the cap in the middle of a file is tampering, not a
    /// torn tail, and nothing after it is read.
    #[test]
    fn an_over_long_line_in_the_middle_is_tampering() {
        let d = tempfile::tempdir().unwrap();
        let p = write_run(d.path(), 3, true);
        let orig = std::fs::read(&p).unwrap();
        let first_len = orig.iter().position(|b| *b == b'\n').unwrap() + 1;
        let mut bytes = orig[..first_len].to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 4096));
        bytes.push(b'\n');
        bytes.extend_from_slice(&orig[first_len..]);
        let mut seen = 0;
        let tail =
            chain_reader_capped("mem", io::Cursor::new(&bytes), 1024, |_| seen += 1).unwrap();
        assert_eq!(tail.report.integrity, Integrity::Tampered, "{tail:?}");
        assert_eq!(tail.report.problem.as_ref().map(|p| p.line), Some(2));
        assert_eq!(seen, 1, "nothing after the over-long line is read");
        // The same line at the very end (nothing follows) is a torn tail.
        let mut torn = orig[..first_len].to_vec();
        torn.extend(std::iter::repeat_n(b'x', 4096));
        let tail = chain_reader_capped("mem", io::Cursor::new(&torn), 1024, |_| {}).unwrap();
        assert_eq!(tail.report.integrity, Integrity::Incomplete, "{tail:?}");
    }

    #[test]
    fn never_overwrites_an_existing_run() {
        let d = tempfile::tempdir().unwrap();
        write_run(d.path(), 1, true);
        assert!(EvidenceWriter::create(d.path()).is_err());
    }

    #[test]
    fn detects_each_kind_of_tampering() {
        let d = tempfile::tempdir().unwrap();
        let p = write_run(d.path(), 3, true);
        let orig = std::fs::read(&p).unwrap();
        let lines: Vec<&[u8]> = orig.split_inclusive(|b| *b == b'\n').collect();

        // A byte edited inside line 3's body.
        let mut edited = orig.clone();
        let off = lines[..2].iter().map(|l| l.len()).sum::<usize>() + 120;
        edited[off] ^= 0x01;
        let r = verify_bytes(&edited);
        assert_eq!(r.integrity, Integrity::Tampered);
        assert_eq!(r.problem.as_ref().map(|p| p.line), Some(3), "{r:?}");

        // Line 3 removed.
        let removed: Vec<u8> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 2)
            .flat_map(|(_, l)| l.to_vec())
            .collect();
        let r = verify_bytes(&removed);
        assert_eq!(r.integrity, Integrity::Tampered);
        assert_eq!(r.problem.as_ref().map(|p| p.line), Some(3), "{r:?}");

        // Lines 3 and 4 swapped.
        let mut swapped = lines.clone();
        swapped.swap(2, 3);
        let r = verify_bytes(&swapped.concat());
        assert_eq!(r.integrity, Integrity::Tampered);
        assert_eq!(r.problem.as_ref().map(|p| p.line), Some(3), "{r:?}");

        // A line duplicated (inserted).
        let mut dup = lines.clone();
        dup.insert(3, lines[2]);
        let r = verify_bytes(&dup.concat());
        assert_eq!(r.problem.as_ref().map(|p| p.line), Some(4), "{r:?}");

        // run-end removed: intact but incomplete.
        let r = verify_bytes(&lines[..4].concat());
        assert_eq!(r.integrity, Integrity::Incomplete);
        assert_eq!(r.problem, None);

        // Empty file.
        assert_eq!(verify_bytes(b"").integrity, Integrity::Tampered);
    }

    #[test]
    fn torn_last_line_is_incomplete_not_tampered() {
        let d = tempfile::tempdir().unwrap();
        let p = write_run(d.path(), 2, false);
        let mut bytes = std::fs::read(&p).unwrap();
        let (line, _) = encode_line(GENESIS, 3, &ev(9)).unwrap();
        bytes.extend_from_slice(&line.as_bytes()[..line.len() / 2]);
        let r = verify_bytes(&bytes);
        assert_eq!(r.integrity, Integrity::Incomplete, "{r:?}");
        assert_eq!(r.evidence_records, 2);
        assert_eq!(r.torn_tail.map(|t| t.line), Some(4));
    }

    fn resume_line() -> Record {
        Record::RunResume(RunResume {
            run_id: "r1".into(),
            tool: "kensa test".into(),
            resumed_at: "2026-01-01T00:00:02Z".into(),
            records_before: 2,
            dropped_tail_bytes: 0,
            settings: serde_json::json!({}),
        })
    }

    #[test]
    fn a_reopened_run_continues_the_chain_after_a_torn_line() {
        // Given a run of two records killed in the middle of its third line
        let d = tempfile::tempdir().unwrap();
        let p = write_run(d.path(), 2, false);
        let intact_len = std::fs::metadata(&p).unwrap().len();
        let (line, _) = encode_line(GENESIS, 3, &ev(9)).unwrap();
        let mut f = OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(&line.as_bytes()[..line.len() / 2]).unwrap();
        drop(f);

        // When it is read and reopened
        let mut visited = 0;
        let tail = read_chain(&p, |_| visited += 1).unwrap();
        assert_eq!(tail.report.integrity, Integrity::Incomplete);
        assert_eq!(visited, 3);
        assert_eq!(tail.intact_bytes, intact_len);
        assert_eq!(tail.outcomes.get(&Outcome::Success), Some(&2));
        let mut w = EvidenceWriter::reopen(&p, &tail).unwrap();
        assert_eq!(w.evidence_count(), 2);
        w.append(&resume_line()).unwrap();
        w.append(&ev(3)).unwrap();
        w.finish("r1", "2026-01-01T00:00:03Z".into(), RunStatus::Complete)
            .unwrap();

        // Then the torn bytes are gone and the whole file is intact and complete
        let r = verify(&p).unwrap();
        assert_eq!(r.integrity, Integrity::Intact, "{r:?}");
        assert_eq!(r.evidence_records, 3);
        assert_eq!(r.resumes, 1);
        assert_eq!(r.run_status, Some(RunStatus::Complete));
        assert_eq!(r.torn_tail, None);
    }

    #[test]
    fn a_last_line_without_its_newline_gets_one_on_reopening() {
        let d = tempfile::tempdir().unwrap();
        let p = write_run(d.path(), 1, false);
        let mut bytes = std::fs::read(&p).unwrap();
        bytes.pop();
        std::fs::write(&p, &bytes).unwrap();
        let tail = read_chain(&p, |_| {}).unwrap();
        assert!(tail.unterminated);
        let mut w = EvidenceWriter::reopen(&p, &tail).unwrap();
        w.append(&resume_line()).unwrap();
        w.finish("r1", "t".into(), RunStatus::Complete).unwrap();
        assert_eq!(verify(&p).unwrap().integrity, Integrity::Intact);
    }

    #[test]
    fn run_resume_follows_only_an_interrupted_run_end_of_the_same_run() {
        let enc = |records: &[Record]| {
            let (mut prev, mut out) = (GENESIS.to_owned(), Vec::new());
            for (i, r) in records.iter().enumerate() {
                let (line, hash) = encode_line(&prev, i as u64, r).unwrap();
                out.extend_from_slice(line.as_bytes());
                prev = hash;
            }
            (out, prev)
        };
        let end = |status, records, head: &str| {
            Record::RunEnd(RunEnd {
                run_id: "r1".into(),
                finished_at: "t".into(),
                status,
                records,
                outcomes: BTreeMap::new(),
                head: head.to_owned(),
            })
        };
        // After an interrupted run-end: accepted (incomplete until the next run-end).
        let (_, head) = enc(&[begin(), ev(1)]);
        let (bytes, _) = enc(&[
            begin(),
            ev(1),
            end(RunStatus::Interrupted, 1, &head),
            resume_line(),
        ]);
        let r = verify_bytes(&bytes);
        assert_eq!(r.integrity, Integrity::Incomplete, "{r:?}");
        assert_eq!(r.resumes, 1);
        // After a complete run-end: tampered.
        let (bytes, _) = enc(&[
            begin(),
            ev(1),
            end(RunStatus::Complete, 1, &head),
            resume_line(),
        ]);
        let r = verify_bytes(&bytes);
        assert_eq!(r.integrity, Integrity::Tampered);
        assert_eq!(r.problem.map(|p| p.line), Some(4));
        // Naming another run: tampered.
        let mut other = resume_line();
        if let Record::RunResume(r) = &mut other {
            r.run_id = "r2".into();
        }
        let r = verify_bytes(&enc(&[begin(), ev(1), other]).0);
        assert_eq!(r.integrity, Integrity::Tampered);
        assert!(
            r.problem.unwrap().message.contains("names run r2"),
            "tampered run-resume"
        );
        // First line: tampered.
        let r = verify_bytes(&enc(&[resume_line()]).0);
        assert_eq!(r.integrity, Integrity::Tampered);
    }

    /// A writer that accepts `room` bytes, then fails as a full disk does.
    struct FullDisk {
        out: Vec<u8>,
        room: usize,
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.out.len() >= self.room {
                return Err(io::Error::from_raw_os_error(28)); // ENOSPC
            }
            let n = buf.len().min(self.room - self.out.len());
            self.out.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_mid_run_leaves_an_intact_incomplete_prefix() {
        // Given a writer whose disk fills in the middle of the fourth line
        let lens: Vec<usize> = {
            let mut w = EvidenceWriter::from_writer(Vec::new(), "mem".into());
            let mut lens = Vec::new();
            for r in [begin(), ev(0), ev(1), ev(2)] {
                let before = w.file.len();
                w.append(&r).unwrap();
                lens.push(w.file.len() - before);
            }
            lens
        };
        let room = lens[..3].iter().sum::<usize>() + lens[3] / 2;
        let mut w = EvidenceWriter::from_writer(
            FullDisk {
                out: Vec::new(),
                room,
            },
            "mem".into(),
        );
        w.append(&begin()).unwrap();
        w.append(&ev(0)).unwrap();
        w.append(&ev(1)).unwrap();

        // When the next record does not fit
        let err = w.append(&ev(2)).unwrap_err();

        // Then the error is the OS's, the record does not count, and what was written reads
        // as incomplete but intact, the partial line ignored
        assert_eq!(err.raw_os_error(), Some(28));
        assert_eq!(w.evidence_count(), 2);
        assert!(w.append(&ev(3)).is_err(), "a full disk stays full");
        let r = verify_bytes(&w.file.out);
        assert_eq!(r.integrity, Integrity::Incomplete, "{r:?}");
        assert_eq!(r.evidence_records, 2);
        assert_eq!(r.torn_tail.map(|t| t.line), Some(4));
    }

    #[test]
    fn hash_covers_prev_and_seq() {
        let (a, ha) = encode_line(GENESIS, 0, &begin()).unwrap();
        let (b, hb) = encode_line(GENESIS, 1, &begin()).unwrap();
        assert_ne!(ha, hb);
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.ends_with('\n'));
    }
}

//! The streamed report (issue 21): `kensa report --format csv|json|sarif` reads the run a
//! batch of providers at a time (as `kensa assess` does, [`crate::assess::stream`]), judges
//! the batch, makes its [`Part`] of the report and writes it, so memory does not grow with
//! the run. What a format places after the part being written (the JSON report's tables after
//! the assessment, its matrix of every target per control, CSV's declared section after the
//! findings, SARIF's results before their rules, whose order needs every finding) is spooled to
//! anonymous temporary files (in `$TMPDIR`; at most about as large as the report itself,
//! removed when the report is done or fails) and copied out at the end. The output is the same, byte for
//! byte, as rendering the whole [`Report`](super::model::Report) at once
//! (`tests/report.rs` compares them on runs of many batches).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::model::{Matrix, MatrixRow, Part, ProfileCells, SCHEMA, ordered_docs};
use super::{Format, ReportError};
use crate::assess::eval::Outcome;
use crate::assess::grade::{Assessment, Grader, ProviderAssessment};
use crate::assess::profile::{Library, Profile};
use crate::assess::stream::batches;
use crate::output::pretty::{Elements, pretty_at, splice, split_array};

/// How many targets are read, judged and written together (whole providers): the streamed
/// assessment's batch.
pub use crate::assess::stream::BATCH_TARGETS;

/// An anonymous temporary file written through a buffer, then read back (removed by the
/// system when dropped).
#[derive(Debug)]
pub(crate) struct Spool {
    out: BufWriter<File>,
    /// How many [`Spool::line`]s were written.
    lines: usize,
}

impl Spool {
    pub(crate) fn new() -> io::Result<Self> {
        Ok(Self {
            out: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            lines: 0,
        })
    }

    /// Where to write.
    pub(crate) fn writer(&mut self) -> &mut dyn Write {
        &mut self.out
    }

    /// Write `v` as a line of compact JSON (read back by [`Spool::lines`]).
    pub(crate) fn line<T: Serialize + ?Sized>(&mut self, v: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, v).map_err(io::Error::other)?;
        self.out.write_all(b"\n")?;
        self.lines += 1;
        Ok(())
    }

    /// How many lines [`Spool::line`] wrote.
    pub(crate) const fn lines_written(&self) -> usize {
        self.lines
    }

    /// The file, written out and rewound.
    pub(crate) fn into_file(self) -> io::Result<File> {
        let mut f = self
            .out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        f.seek(SeekFrom::Start(0))?;
        Ok(f)
    }

    /// Copy what was written to `w`.
    pub(crate) fn copy_into(self, w: &mut dyn Write) -> io::Result<()> {
        let mut f = self.into_file()?;
        io::copy(&mut f, w)?;
        Ok(())
    }

    /// What was written, a line at a time.
    pub(crate) fn lines(self) -> io::Result<io::Lines<BufReader<File>>> {
        Ok(BufReader::with_capacity(1 << 16, self.into_file()?).lines())
    }
}

/// An array spooled an element at a time (see [`Elements`]).
#[derive(Debug)]
struct SpooledArray {
    spool: Spool,
    elements: Elements,
}

impl SpooledArray {
    fn new(level: usize) -> io::Result<Self> {
        Ok(Self {
            spool: Spool::new()?,
            elements: Elements::new(level),
        })
    }

    fn push<T: Serialize>(&mut self, v: &T) -> io::Result<()> {
        self.elements.push(self.spool.writer(), v)
    }

    fn extend<T: Serialize>(&mut self, rows: &[T]) -> io::Result<()> {
        rows.iter().try_for_each(|r| self.push(r))
    }

    fn copy_into(mut self, w: &mut dyn Write) -> io::Result<()> {
        self.elements.close(self.spool.writer())?;
        self.spool.copy_into(w)
    }
}

/// Every outcome, in the order the matrix spool numbers them (from 1; 0 is "no finding").
const OUTCOMES: [Outcome; 5] = [
    Outcome::Pass,
    Outcome::Fail,
    Outcome::Warning,
    Outcome::NotApplicable,
    Outcome::Inconclusive,
];

/// Bytes of one spooled matrix cell: the finding's number (8 bytes, little-endian) and its
/// outcome (1 byte, see [`OUTCOMES`]).
const CELL: usize = 9;

/// The JSON report's matrices, spooled: each part's cells (per profile, per control, per
/// column), read back a row at a time.
#[derive(Debug)]
struct CellSpool {
    spool: Spool,
    /// Per part: where its cells start and how many columns it has.
    parts: Vec<(u64, usize)>,
    at: u64,
}

impl CellSpool {
    fn part(&mut self, cells: &[ProfileCells], columns: usize) -> io::Result<()> {
        if columns == 0 {
            return Ok(());
        }
        self.parts.push((self.at, columns));
        let w = self.spool.writer();
        for row in cells.iter().flatten() {
            for cell in row {
                let mut rec = [0u8; CELL];
                if let Some((n, outcome)) = cell {
                    let code = OUTCOMES.iter().position(|o| o == outcome).unwrap_or(0) + 1;
                    let (num, out) = rec.split_at_mut(8);
                    num.copy_from_slice(&(*n as u64).to_le_bytes());
                    if let Some(b) = out.first_mut() {
                        *b = code as u8;
                    }
                }
                w.write_all(&rec)?;
                self.at += CELL as u64;
            }
        }
        Ok(())
    }
}

/// A format's writer of parts.
enum Sink {
    Json(Box<JsonSink>),
    Csv(Spool),
    Sarif(Box<super::sarif::SarifStream>),
}

/// The JSON report as it is streamed: the assessment's providers go straight out, the
/// tables to spools.
struct JsonSink {
    /// The assessment's `providers` (the assessment is at level 1, its keys at level 2).
    providers: Elements,
    /// Every table but the matrix (at level 2).
    providers_table: SpooledArray,
    endpoints: SpooledArray,
    residency: SpooledArray,
    latency: SpooledArray,
    certificates: SpooledArray,
    findings: SpooledArray,
    declared: SpooledArray,
    /// Every target as a matrix column (elements at level 5), written out once per matrix.
    columns: Spool,
    /// The columns array's writer (its count and its closing).
    column_list: Elements,
    cells: CellSpool,
    seen: Vec<(String, String)>,
}

/// Stream the report of the run at `run` (a run directory or evidence file) in `format`
/// (CSV, JSON or SARIF) under `profiles` (names or files; empty: the kensa levels, plus each
/// provider's `applies_for`) as of `now` to `w`, `batch_targets` targets (whole providers)
/// at a time.
pub fn write_streamed(
    run: &Path,
    profiles: &[String],
    format: Format,
    now: OffsetDateTime,
    batch_targets: usize,
    w: &mut dyn Write,
) -> Result<(), ReportError> {
    let io = |source: io::Error| ReportError::Write {
        path: "the output".to_owned(),
        source,
    };
    let lib = Library::builtin()?;
    let mut set = crate::assess::set::ProfileSet::named(&lib, profiles)?;
    let idx = crate::assess::doc::index(run)?;
    set.add_declaration_profile(&lib, &idx.run)?;
    set.add_applies_for(&lib, &[&idx.run]);
    let all: Vec<&Profile> = set.all();
    let grader = Grader::new(&set.named, &set.extra);
    let mut head = grader.head(&idx.run, idx.interrupted());
    // The evidence as an absolute path: the report is read elsewhere than where it was made.
    if let Ok(abs) = std::path::absolute(&head.evidence) {
        head.evidence = abs.display().to_string();
    }
    let mut sink = match format {
        Format::Json => Sink::Json(Box::new(JsonSink::begin(&head, now, w).map_err(io)?)),
        Format::Csv => {
            super::text::csv_row(w, &super::text::CSV_HEADER).map_err(io)?;
            Sink::Csv(Spool::new().map_err(io)?)
        }
        Format::Sarif => Sink::Sarif(Box::new(
            super::sarif::SarifStream::new(&head.run_id).map_err(io)?,
        )),
        Format::Html | Format::Md | Format::Junit => {
            return Err(ReportError::Usage(format!(
                "the {} report is not streamed",
                format.as_str()
            )));
        }
    };
    let mut warnings = Vec::new();
    let mut next = 1;
    batches(&idx, batch_targets, &mut |batch| {
        let mut judged = Vec::new();
        for (p, warning) in grader.providers(batch) {
            warnings.extend(warning);
            judged.push(p);
        }
        let docs = ordered_docs(batch.iter().flat_map(|(_, d)| d.iter()), &judged);
        let part = Part::new(&docs, &judged, &all, now, next);
        next += part.tables.findings.len();
        sink.part(&judged, &part, w).map_err(io)
    })?;
    head.warnings = warnings;
    match sink {
        Sink::Json(j) => j.finish(&head, &all, w),
        Sink::Csv(spool) => spool.copy_into(w),
        Sink::Sarif(s) => s.finish(w).and_then(|()| w.write_all(b"\n")),
    }
    .map_err(io)
}

impl Sink {
    fn part(
        &mut self,
        providers: &[ProviderAssessment],
        part: &Part,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Self::Json(j) => j.part(providers, part, w),
            Self::Csv(spool) => {
                super::text::write_csv_findings(&part.tables, w)?;
                super::text::write_csv_declared(&part.tables, spool.writer())
            }
            Self::Sarif(s) => s.part(&part.tables),
        }
    }
}

impl JsonSink {
    /// Write the report's head and the assessment's up to its providers.
    fn begin(head: &Assessment, now: OffsetDateTime, w: &mut dyn Write) -> io::Result<Self> {
        let generated_at = now.format(&Rfc3339).unwrap_or_default();
        let tool = format!("kensa {}", env!("CARGO_PKG_VERSION"));
        write!(
            w,
            "{{\n  \"schema\": {},\n  \"tool\": {},\n  \"generated_at\": {},\n  \"assessment\": ",
            pretty_at(SCHEMA, 1)?,
            pretty_at(&tool, 1)?,
            pretty_at(&generated_at, 1)?,
        )?;
        let text = pretty_at(head, 1)?;
        let before = split_array(&text, "providers").map_or(text.as_str(), |(b, _)| b);
        w.write_all(before.as_bytes())?;
        Ok(Self {
            providers: Elements::new(2),
            providers_table: SpooledArray::new(2)?,
            endpoints: SpooledArray::new(2)?,
            residency: SpooledArray::new(2)?,
            latency: SpooledArray::new(2)?,
            certificates: SpooledArray::new(2)?,
            findings: SpooledArray::new(2)?,
            declared: SpooledArray::new(2)?,
            columns: Spool::new()?,
            column_list: Elements::new(4),
            cells: CellSpool {
                spool: Spool::new()?,
                parts: Vec::new(),
                at: 0,
            },
            seen: Vec::new(),
        })
    }

    fn part(
        &mut self,
        providers: &[ProviderAssessment],
        part: &Part,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        for p in providers {
            self.providers.push(w, p)?;
        }
        let t = &part.tables;
        self.providers_table.extend(&t.providers)?;
        self.endpoints.extend(&t.endpoints)?;
        self.residency.extend(&t.residency)?;
        self.latency.extend(&t.latency)?;
        self.certificates.extend(&t.certificates)?;
        self.findings.extend(&t.findings)?;
        self.declared.extend(&t.declared)?;
        for c in &part.columns {
            self.column_list.push(self.columns.writer(), c)?;
        }
        self.cells.part(&part.cells, part.columns.len())?;
        for (id, version) in &part.seen {
            if !self.seen.iter().any(|(x, _)| x == id) {
                self.seen.push((id.clone(), version.clone()));
            }
        }
        Ok(())
    }

    fn finish(self, head: &Assessment, profiles: &[&Profile], w: &mut dyn Write) -> io::Result<()> {
        let Self {
            providers,
            providers_table,
            endpoints,
            residency,
            latency,
            certificates,
            findings,
            declared,
            columns,
            column_list,
            cells,
            seen,
        } = self;
        providers.close(w)?;
        let text = pretty_at(head, 1)?;
        let after = split_array(&text, "providers").map_or("", |(_, a)| a);
        w.write_all(after.as_bytes())?;
        w.write_all(b",\n  \"tables\": {")?;
        let mut first = true;
        let mut key = |w: &mut dyn Write, k: &str| {
            let sep = if first { "\n" } else { ",\n" };
            first = false;
            write!(w, "{sep}    \"{k}\": ")
        };
        let mut columns = columns.into_file()?;
        let mut cells_file = cells.spool.into_file()?;
        key(w, "providers")?;
        providers_table.copy_into(w)?;
        key(w, "endpoints")?;
        endpoints.copy_into(w)?;
        key(w, "matrix")?;
        write_matrices(
            &seen,
            profiles,
            &mut columns,
            &column_list,
            &mut cells_file,
            &cells.parts,
            w,
        )?;
        for (k, table) in [
            ("residency", residency),
            ("latency", latency),
            ("certificates", certificates),
            ("findings", findings),
        ] {
            key(w, k)?;
            table.copy_into(w)?;
        }
        // Absent when no provider has a declaration, as the model's `skip_serializing_if`.
        if !declared.elements.is_empty() {
            key(w, "declared")?;
            declared.copy_into(w)?;
        }
        w.write_all(b"\n  }\n}\n")
    }
}

/// The `matrix` table (at level 2): one matrix per profile in `seen`.
fn write_matrices(
    seen: &[(String, String)],
    profiles: &[&Profile],
    columns: &mut File,
    column_list: &Elements,
    cells: &mut File,
    parts: &[(u64, usize)],
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut matrices = Elements::new(2);
    // Where each profile's controls start among a part's rows.
    let mut starts = Vec::with_capacity(profiles.len());
    let mut rows_before = 0;
    for p in profiles {
        starts.push(rows_before);
        rows_before += p.controls.len();
    }
    let mut buf: Vec<u8> = Vec::new();
    for (id, version) in seen {
        let Some((i, profile)) = profiles.iter().enumerate().find(|(_, p)| &p.id == id) else {
            continue;
        };
        let start = starts.get(i).copied().unwrap_or(0);
        let skeleton = Matrix {
            profile: id.clone(),
            version: version.clone(),
            columns: Vec::new(),
            rows: profile
                .controls
                .iter()
                .map(|c| MatrixRow {
                    control: c.id.clone(),
                    title: c.title_with(&profile.params),
                    severity: Some(c.severity),
                    cells: Vec::new(),
                })
                .collect(),
        };
        let text = pretty_at(&skeleton, 3)?;
        matrices.next(w)?;
        let mut row = 0;
        let mut fill = |key: &str, level: usize, w: &mut dyn Write| -> io::Result<()> {
            if key == "columns" {
                // The spooled elements (none: an empty file), then the array's end.
                columns.seek(SeekFrom::Start(0))?;
                io::copy(columns, w)?;
                return column_list.close(w);
            }
            let mut list = Elements::new(level);
            let pad_in = " ".repeat(2 * (level + 2));
            let pad_out = " ".repeat(2 * (level + 1));
            for (offset, n) in parts {
                let at = offset + ((start + row) * n * CELL) as u64;
                buf.resize(n * CELL, 0);
                cells.seek(SeekFrom::Start(at))?;
                cells.read_exact(&mut buf)?;
                for rec in buf.chunks_exact(CELL) {
                    let (num, code) = rec.split_at(8);
                    let outcome = code
                        .first()
                        .and_then(|c| usize::from(*c).checked_sub(1))
                        .and_then(|c| OUTCOMES.get(c));
                    let Some(outcome) = outcome else {
                        list.raw(w, "null")?;
                        continue;
                    };
                    let mut n8 = [0u8; 8];
                    n8.copy_from_slice(num);
                    // A cell as serde prints `Cell` (its two fields, in their order).
                    let cell = format!(
                        "{{\n{pad_in}\"outcome\": \"{}\",\n{pad_in}\"finding\": \"f{}\"\n{pad_out}}}",
                        outcome.as_str(),
                        u64::from_le_bytes(n8)
                    );
                    list.raw(w, &cell)?;
                }
            }
            row += 1;
            list.close(w)
        };
        splice(&text, &["columns", "cells"], w, &mut fill)?;
    }
    matrices.close(w)
}

//! The streaming assessment (issue 21): a run is read once to verify its chain and index
//! where each target's lines are ([`RunIndex`]), then a batch of providers at a time is read
//! back, judged and rendered, so memory does not grow with the run. The output is the same,
//! byte for byte, as rendering the whole [`super::grade::Assessment`] at once.

use super::AssessError;
use super::doc::{RunIndex, TargetDoc};
use super::grade::{Grader, provider_info};
use super::report::{self, Format, Titles};
use super::set::ProfileSet;
use crate::evidence::ProviderInfo;
use crate::output::pretty::{Elements, split_array};

/// How many targets are read and judged together (whole providers): enough to keep every
/// core busy, few enough that memory does not grow with the run (a provider is judged whole,
/// so one with more targets than this is held alone).
pub const BATCH_TARGETS: usize = 64;

/// A batch of whole providers with their targets' documents.
pub type Batch = Vec<(ProviderInfo, Vec<TargetDoc>)>;

/// Read the run of `idx` a batch at a time (whole providers, together `batch_targets` targets
/// or more; the last batch may hold fewer), in provider order, and hand each batch to `each`.
pub fn batches<E: From<AssessError>>(
    idx: &RunIndex,
    batch_targets: usize,
    each: &mut dyn FnMut(&mut Batch) -> Result<(), E>,
) -> Result<(), E> {
    let providers: Vec<(String, usize)> =
        idx.providers().map(|(id, n)| (id.to_owned(), n)).collect();
    let mut file = idx.open()?;
    let mut batch: Batch = Vec::new();
    let mut held = 0;
    for (id, n) in providers {
        let docs = idx.docs(&mut file, &id)?;
        batch.push((provider_info(&idx.run, &id), docs));
        held += n;
        if held >= batch_targets.max(1) {
            each(&mut batch)?;
            batch.clear();
            held = 0;
        }
    }
    if !batch.is_empty() {
        each(&mut batch)?;
    }
    Ok(())
}

/// What a streamed assessment ends with: its exit status and warnings (see
/// [`super::command::Assessed`]).
#[derive(Clone, Debug, Default)]
pub struct Streamed {
    /// The exit status: 2 when an `applies_for` cannot be judged, 1 when a provider fails
    /// its `applies_for`, else 0.
    pub code: u8,
    /// Warnings, one per line.
    pub warnings: Vec<String>,
}

/// Assess the run of `idx` with `set`, handing the rendered output (`format`) to `out` a
/// piece at a time.
pub fn assess_index(
    idx: &RunIndex,
    set: &ProfileSet,
    format: Format,
    titles: &Titles<'_>,
    out: &mut dyn FnMut(&str),
) -> Result<Streamed, AssessError> {
    let grader = Grader::new(&set.named, &set.extra);
    let mut head = grader.head(&idx.run, idx.interrupted());
    match format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&head).unwrap_or_default();
            out(split_array(&text, "providers").map_or(text.as_str(), |(before, _)| before));
        }
        Format::Text => out(&report::text_head(&head)),
        Format::Md => out(&report::markdown_head(&head)),
    }
    let mut warnings = Vec::new();
    let mut fails = false;
    // The JSON assessment's providers array (its key at level 1).
    let mut list = Elements::new(1);
    let mut buf: Vec<u8> = Vec::new();
    batches(idx, BATCH_TARGETS, &mut |batch| {
        for (p, w) in grader.providers(batch) {
            warnings.extend(w);
            fails |= p.fails_applies_for;
            match format {
                // Written to a `Vec`, which cannot fail, of a value that always encodes.
                Format::Json => {
                    buf.clear();
                    let _ = list.push(&mut buf, &p);
                    out(std::str::from_utf8(&buf).unwrap_or_default());
                }
                Format::Text => out(&report::text_provider(&p, titles)),
                Format::Md => out(&report::markdown_provider(&p, titles)),
            }
        }
        Ok::<(), AssessError>(())
    })?;
    if format == Format::Json {
        head.warnings = warnings.clone();
        let text = serde_json::to_string_pretty(&head).unwrap_or_default();
        buf.clear();
        let _ = list.close(&mut buf);
        out(std::str::from_utf8(&buf).unwrap_or_default());
        out(split_array(&text, "providers").map_or("", |(_, after)| after));
        out("\n");
    }
    let code = if !warnings.is_empty() {
        2
    } else if fails {
        1
    } else {
        0
    };
    Ok(Streamed { code, warnings })
}

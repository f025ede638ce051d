//! The streaming assessment (issue 21): a run is read once to verify its chain and index
//! where each target's lines are ([`RunIndex`]), then a batch of providers at a time is read
//! back, judged and rendered, so memory does not grow with the run. The output is the same,
//! byte for byte, as rendering the whole [`super::grade::Assessment`] at once.

use super::AssessError;
use super::doc::{RunIndex, TargetDoc};
use super::grade::{Grader, ProviderAssessment, provider_info};
use super::report::{self, Format, Titles};
use super::set::ProfileSet;
use crate::evidence::ProviderInfo;

/// How many targets are read and judged together (whole providers): enough to keep every
/// core busy, few enough that memory does not grow with the run (a provider is judged whole,
/// so one with more targets than this is held alone).
const BATCH_TARGETS: usize = 64;

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

/// The key of the providers array in pretty JSON at the top level of an assessment.
const PROVIDERS: &str = "\n  \"providers\": []";

/// `text` (pretty JSON of one provider) as an element of the top-level providers array:
/// every line indented by two levels.
fn indented(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str("    ");
        s.push_str(line);
    }
    s
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
            let cut = text
                .find(PROVIDERS)
                .map_or(text.len(), |i| i + PROVIDERS.len() - 1);
            out(text.get(..cut).unwrap_or_default());
        }
        Format::Text => out(&report::text_head(&head)),
        Format::Md => out(&report::markdown_head(&head)),
    }
    let mut warnings = Vec::new();
    let mut fails = false;
    let mut first = true;
    let mut emit = |batch: &mut Vec<(ProviderInfo, Vec<TargetDoc>)>| {
        for (p, w) in grader.providers(batch) {
            warnings.extend(w);
            fails |= p.fails_applies_for;
            render(&p, format, titles, first, out);
            first = false;
        }
        batch.clear();
    };
    let providers: Vec<(String, usize)> =
        idx.providers().map(|(id, n)| (id.to_owned(), n)).collect();
    let mut file = idx.open()?;
    let mut batch: Vec<(ProviderInfo, Vec<TargetDoc>)> = Vec::new();
    let mut held = 0;
    for (id, n) in providers {
        let docs = idx.docs(&mut file, &id)?;
        batch.push((provider_info(&idx.run, &id), docs));
        held += n;
        if held >= BATCH_TARGETS {
            emit(&mut batch);
            held = 0;
        }
    }
    emit(&mut batch);
    if format == Format::Json {
        head.warnings = warnings.clone();
        let text = serde_json::to_string_pretty(&head).unwrap_or_default();
        let rest = text
            .find(PROVIDERS)
            .and_then(|i| text.get(i + PROVIDERS.len() - 1..))
            .unwrap_or_default();
        if !first {
            out("\n  ");
        }
        out(rest);
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

fn render(
    p: &ProviderAssessment,
    format: Format,
    titles: &Titles<'_>,
    first: bool,
    out: &mut dyn FnMut(&str),
) {
    match format {
        Format::Json => {
            out(if first { "\n" } else { ",\n" });
            out(&indented(
                &serde_json::to_string_pretty(p).unwrap_or_default(),
            ));
        }
        Format::Text => out(&report::text_provider(p, titles)),
        Format::Md => out(&report::markdown_provider(p, titles)),
    }
}

//! What an interrupted or incomplete run is missing, said everywhere the run is read (`assess`,
//! `report` in every format, the bundle manifest): a run stopped by Ctrl-C (run-end
//! `interrupted`) or one that never ended (killed, crashed) must not read as complete. The
//! notice names the probes that never ran and the command that completes the run.

use std::fmt::Write as _;

use serde::Serialize;

use super::doc::Run;
use crate::evidence::{Integrity, RunStatus};

/// A run that did not complete, and what it is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Interruption {
    /// `interrupted` (stopped, run-end says so) or `incomplete` (no run-end: killed, crashed,
    /// or still running).
    pub status: &'static str,
    /// Per target seen, the probes of the run that have no record for it.
    pub never_ran: Vec<NeverRan>,
    /// Endpoints of the catalog with no record at all (never started).
    pub endpoints_not_started: usize,
    /// The command that completes the run (`kensa scan --resume`).
    pub resume: String,
}

/// The probes that never ran on one target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NeverRan {
    /// The target id.
    pub target: String,
    /// The probe ids.
    pub probes: Vec<String>,
}

/// The interruption of `run`, when it did not complete (`None` for a complete run).
pub fn of(run: &Run) -> Option<Interruption> {
    of_seen(
        run,
        run.targets.len(),
        run.targets.iter().map(|t| {
            let recorded = t.doc.get("probes").and_then(serde_json::Value::as_object);
            let probes: Vec<&str> = recorded
                .map(|r| r.keys().map(String::as_str).collect())
                .unwrap_or_default();
            (t.target.as_str(), probes)
        }),
    )
}

/// [`of`] for a run whose documents are not held (the streaming assessment): `seen` gives
/// each of the `targets` targets seen, in order, with the probes recorded for it.
pub fn of_seen<'a>(
    run: &Run,
    targets: usize,
    seen: impl Iterator<Item = (&'a str, Vec<&'a str>)>,
) -> Option<Interruption> {
    let status = match (run.status, run.integrity) {
        (Some(RunStatus::Interrupted), _) => "interrupted",
        (None, Integrity::Incomplete) => "incomplete",
        _ => return None,
    };
    let never_ran: Vec<NeverRan> = seen
        .filter_map(|(target, recorded)| {
            let probes: Vec<String> = run
                .probes
                .iter()
                .filter(|p| !recorded.contains(&p.as_str()))
                .cloned()
                .collect();
            (!probes.is_empty()).then(|| NeverRan {
                target: target.to_owned(),
                probes,
            })
        })
        .collect();
    let endpoints_not_started = run.endpoints.map_or(0, |n| n.saturating_sub(targets));
    let dir = std::path::Path::new(&run.file)
        .parent()
        .map_or_else(|| run.file.clone(), |d| d.display().to_string());
    let resume = format!(
        "kensa scan {} [the same options] --resume {dir}",
        run.catalog.as_deref().unwrap_or("CATALOG")
    );
    Some(Interruption {
        status,
        never_ran,
        endpoints_not_started,
        resume,
    })
}

impl Interruption {
    /// How many (target, probe) pairs never ran among the targets seen.
    pub fn pairs_missing(&self) -> usize {
        self.never_ran.iter().map(|n| n.probes.len()).sum()
    }

    /// The headline: what happened and how much is missing.
    pub fn headline(&self) -> String {
        let what = if self.status == "interrupted" {
            "INTERRUPTED: the run was stopped before it completed"
        } else {
            "INCOMPLETE: the run never ended (killed, crashed, or still running)"
        };
        format!(
            "{what}; {} probe run{} on the targets seen never ran, and {} endpoint{} of the \
             catalog never started: the grades below rest on part of the evidence",
            self.pairs_missing(),
            if self.pairs_missing() == 1 { "" } else { "s" },
            self.endpoints_not_started,
            if self.endpoints_not_started == 1 {
                ""
            } else {
                "s"
            }
        )
    }

    /// The notice as plain text lines (for terminals).
    pub fn text(&self) -> String {
        let mut s = format!("{}\n", self.headline());
        for n in &self.never_ran {
            let _ = writeln!(
                s,
                "  never ran on {}: {}",
                crate::diff::printable(&n.target),
                n.probes.join(", ")
            );
        }
        let _ = writeln!(s, "  complete it with: {}", self.resume);
        s
    }

    /// The notice as a Markdown block (`md` escapes text from the evidence).
    pub fn markdown(&self, md: &dyn Fn(&str) -> String) -> String {
        let mut s = format!("> **{}**\n>\n", md(&self.headline()));
        for n in &self.never_ran {
            let _ = writeln!(
                s,
                "> - never ran on {}: {}",
                md(&n.target),
                md(&n.probes.join(", "))
            );
        }
        let _ = writeln!(
            s,
            ">\n> Complete it with: `{}`\n",
            self.resume.replace('`', "'")
        );
        s
    }

    /// The notice as an HTML block (`esc` escapes text from the evidence).
    pub fn html(&self, esc: &dyn Fn(&str) -> String) -> String {
        let mut s = format!(
            "<section id=\"interrupted\" role=\"alert\" style=\"border:3px solid #b00020;\
             padding:.5em 1em;margin:1em 0;background:#fff4f4\"><h2>{}</h2><p>{}</p>",
            if self.status == "interrupted" {
                "Interrupted run"
            } else {
                "Incomplete run"
            },
            esc(&self.headline())
        );
        if !self.never_ran.is_empty() {
            s.push_str("<ul>");
            for n in &self.never_ran {
                let _ = write!(
                    s,
                    "<li>never ran on <code>{}</code>: {}</li>",
                    esc(&n.target),
                    esc(&n.probes.join(", "))
                );
            }
            s.push_str("</ul>");
        }
        let _ = write!(
            s,
            "<p>Complete it with: <code>{}</code></p></section>",
            esc(&self.resume)
        );
        s
    }
}

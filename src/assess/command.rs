//! The `assess`, `profiles` and `controls` subcommands. Each returns its stdout text and exit
//! status; `src/cli.rs` prints and maps errors to status 2.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use clap::Args;

use super::AssessError;
use super::profile::{Library, Profile};
use super::report::{self, Format};
use super::stream::Streamed;

/// Arguments of `kensa assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// A run directory, or an evidence.jsonl file.
    #[arg(value_name = "RUN_DIR")]
    pub run: PathBuf,
    /// A built-in profile name or a profile file (repeatable). Default: the kensa levels.
    #[arg(long, value_name = "NAME|FILE")]
    pub profile: Vec<String>,
    /// Output format: text (the default), json or md (`--json` is the same as `--format
    /// json`; `--json` with another format is refused).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// Arguments of `kensa profiles`.
#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// Per profile: the clauses of its standard it implements, cannot check from outside, and
    /// has not implemented.
    #[arg(long)]
    pub coverage: bool,
}

/// Arguments of `kensa controls`.
#[derive(Debug, Args)]
pub struct ControlsArgs {
    /// Write the control reference as Markdown (the text of `docs/controls.md`).
    #[arg(long)]
    pub markdown: bool,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What `kensa assess` produced: stdout text, the exit status (1 when a provider fails its
/// `applies_for`; 2 when an `applies_for` names an unknown profile), and warnings for stderr
/// (an `applies_for` naming an unknown profile).
#[derive(Clone, Debug)]
pub struct Assessed {
    /// The rendered assessment.
    pub text: String,
    /// The exit status.
    pub code: u8,
    /// Warnings, one per line, for the caller to show.
    pub warnings: Vec<String>,
}

/// A control's title under a profile, and its caveat.
type Title = (String, Option<String>);

/// `kensa assess`: the whole output as one text (see [`assess_to`]).
pub fn assess(args: &AssessArgs, json: bool) -> Result<Assessed, AssessError> {
    let mut text = String::new();
    let done = assess_to(args, json, &mut |chunk| text.push_str(chunk))?;
    Ok(Assessed {
        text,
        code: done.code,
        warnings: done.warnings,
    })
}

/// `kensa assess`, streamed (issue 21): the run is indexed (its chain verified), then judged
/// a batch of providers at a time, each piece of output handed to `out` as soon as it is
/// rendered, so memory does not grow with the run. The output is the same as rendering the
/// whole assessment at once.
pub fn assess_to(
    args: &AssessArgs,
    json: bool,
    out: &mut dyn FnMut(&str),
) -> Result<Streamed, AssessError> {
    let lib = Library::builtin()?;
    let mut set = super::set::ProfileSet::named(&lib, &args.profile)?;
    let idx = super::doc::index(&args.run)?;
    // Each provider is also judged against its `applies_for` profile when built in.
    set.add_applies_for(&lib, &[&idx.run]);
    // An `applies_for` naming an unknown profile is reported, not fatal: the other providers
    // (and this one's other profiles) are still graded; it is an input error (exit 2), though
    // everything else is still graded and printed: a misspelt profile must not read as a pass.
    let all: Vec<&Profile> = set.all();
    // A control's title with the values of the profile it was judged under (issue 23:
    // `params.hsts_min_age_s` is shown as the number in force), and its caveat when its
    // citation was not checked against the standard's text; worked out once per pair.
    let cache: RefCell<HashMap<(String, String), Title>> = RefCell::new(HashMap::new());
    let titles = |profile: &str, id: &str| {
        let key = (profile.to_owned(), id.to_owned());
        if let Some(t) = cache.borrow().get(&key) {
            return t.clone();
        }
        let p = all.iter().find(|p| p.id == profile);
        let params = p.map_or(&serde_json::Value::Null, |p| &p.params);
        let t: Title = p
            .into_iter()
            .chain(all.iter())
            .flat_map(|p| &p.controls)
            .find(|c| c.id == id)
            .map(|c| (c.title_with(params), c.caveat()))
            .unwrap_or_default();
        cache.borrow_mut().insert(key, t.clone());
        t
    };
    let format = if json {
        Format::Json
    } else {
        args.format.unwrap_or(Format::Text)
    };
    super::stream::assess_index(&idx, &set, format, &titles, out)
}

/// `kensa profiles` (`--coverage`: what each covers of its standard).
pub fn profiles(args: &ProfilesArgs, json: bool) -> Result<String, AssessError> {
    let lib = Library::builtin()?;
    let ps = lib.builtin_profiles()?;
    if args.coverage {
        if json {
            let list: Vec<serde_json::Value> = ps
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "id": p.id, "version": p.version, "coverage": p.coverage,
                    })
                })
                .collect();
            return Ok(serde_json::to_string_pretty(&list).unwrap_or_default() + "\n");
        }
        return Ok(report::coverage_text(&ps));
    }
    if json {
        let list: Vec<serde_json::Value> = ps
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id, "version": p.version, "title": p.title, "grading": p.grading,
                    "controls": p.controls.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
                })
            })
            .collect();
        return Ok(serde_json::to_string_pretty(&list).unwrap_or_default() + "\n");
    }
    Ok(report::profiles_text(&ps))
}

/// The control reference, as `kensa controls --markdown` writes it.
pub fn controls_markdown() -> Result<String, AssessError> {
    let lib = Library::builtin()?;
    let ps = lib.builtin_profiles()?;
    let controls: Vec<&super::control::Control> = lib.controls().values().map(|c| &**c).collect();
    Ok(report::controls_markdown(&controls, &ps))
}

/// `kensa controls`: the list (or, with `--markdown`, the reference); with `-o` the text goes
/// to the file and stdout is empty.
pub fn controls(args: &ControlsArgs, json: bool) -> Result<String, AssessError> {
    let lib = Library::builtin()?;
    let text = if args.markdown {
        controls_markdown()?
    } else if json {
        let list: Vec<serde_json::Value> = lib
            .controls()
            .values()
            .map(|c| {
                serde_json::json!({
                    "id": c.id, "title": c.title, "severity": c.severity, "level": c.level,
                    "needs": c.needs,
                    "clause": c.clause, "rule": c.rule, "provisional": c.provisional,
                })
            })
            .collect();
        serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
    } else {
        let mut s = String::new();
        for c in lib.controls().values() {
            s.push_str(&format!(
                "{:<22} {:<8} {}  [{} {}]\n",
                c.id,
                c.severity.as_str(),
                c.title,
                c.clause.standard,
                c.clause.section
            ));
        }
        s
    };
    if let Some(path) = &args.output {
        std::fs::write(path, &text).map_err(|source| AssessError::Read {
            path: path.display().to_string(),
            source,
        })?;
        return Ok(String::new());
    }
    Ok(text)
}

//! The judging side: controls, profiles, findings and grades (`kensa assess`).
//!
//! Probes observe; controls judge. A run's `evidence.jsonl` is read back ([`doc`]) into one
//! JSON document per target; each [`control::Control`] of a [`profile::Profile`] is a CEL
//! expression evaluated over that document ([`eval`]), giving a [`eval::Finding`] (`pass`,
//! `fail`, `not-applicable` or `inconclusive`) that names the evidence records it rests on.
//! Findings roll up into a verdict per provider and profile ([`grade`]); the `ssl-labs`
//! profile adds Qualys's scores and caps ([`ssllabs`]). [`report`] renders text, JSON and
//! Markdown; [`command`] holds the `assess`, `profiles` and `controls` subcommands.
//!
//! Regrading needs no network: only the evidence file is read.

pub mod command;
pub mod control;
pub mod doc;
mod docval;
pub mod eval;
pub mod grade;
pub mod interrupted;
pub mod profile;
pub mod report;
pub mod set;
pub mod ssllabs;
pub mod stream;
pub mod synth;

/// Why an assessment could not be carried out (all map to exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// A profile or control file is invalid: `file:line:col: what`.
    #[error("{file}:{line}:{col}: {message}")]
    Definition {
        /// The file (or `builtin:NAME` for an embedded one).
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// A profile name that is neither built in nor a readable file.
    #[error(
        "unknown profile `{0}`{hint}: expected a built-in profile (see `kensa profiles`) or a \
         TOML file",
        hint = crate::suggest::hint(.0, profile::builtin_profile_ids())
    )]
    UnknownProfile(String),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The evidence file is not usable (tampered, or not kensa evidence).
    #[error("{0}")]
    Evidence(String),
}

impl AssessError {
    /// A definition error at a byte offset of `text`.
    pub fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, col) = line_col(text, offset);
        Self::Definition {
            file: file.to_owned(),
            line,
            col,
            message: message.into(),
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

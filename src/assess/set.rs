//! [`ProfileSet`]: the one place that decides which profiles a run is graded with — the
//! profiles named (the kensa levels when none are), plus, for each provider, the built-in
//! profile it `applies_for` when not already among them. `assess`, `report`, `bundle`, the
//! run store, `diff` and `recheck` all choose through it.

use super::AssessError;
use super::doc::Run;
use super::grade::{self, Assessment};
use super::profile::{KENSA_LEVELS, Library, Profile};

/// The profiles a run is graded with.
#[derive(Clone, Debug)]
pub struct ProfileSet {
    /// The profiles named (or the kensa levels), judged for every provider.
    pub named: Vec<Profile>,
    /// Built-in profiles some provider `applies_for`, judged for those providers only.
    pub extra: Vec<Profile>,
}

impl ProfileSet {
    /// The set for one run: `named` (names or files; empty: the kensa levels) plus each
    /// provider's built-in `applies_for` profile.
    pub fn for_run(lib: &Library, run: &Run, named: &[String]) -> Result<Self, AssessError> {
        Self::for_runs(lib, &[run], named)
    }

    /// The same set for several runs (so two runs of a diff are judged alike).
    pub fn for_runs(lib: &Library, runs: &[&Run], named: &[String]) -> Result<Self, AssessError> {
        let mut set = Self::named(lib, named)?;
        set.add_applies_for(lib, runs);
        Ok(set)
    }

    /// The named profiles alone (names or files; empty: the kensa levels), loaded before any
    /// run is read, so a bad profile is reported first.
    pub fn named(lib: &Library, named: &[String]) -> Result<Self, AssessError> {
        let named: Vec<Profile> = if named.is_empty() {
            KENSA_LEVELS
                .iter()
                .map(|n| lib.load(n))
                .collect::<Result<_, _>>()?
        } else {
            named
                .iter()
                .map(|n| lib.load(n))
                .collect::<Result<_, _>>()?
        };
        Ok(Self {
            named,
            extra: Vec::new(),
        })
    }

    /// Add, for each provider of `runs`, the built-in profile it `applies_for` when not
    /// already in the set.
    pub fn add_applies_for(&mut self, lib: &Library, runs: &[&Run]) {
        for p in runs.iter().flat_map(|r| r.providers.values()) {
            if let Some(af) = &p.applies_for
                && !self.named.iter().any(|x| &x.id == af)
                && !self.extra.iter().any(|x| &x.id == af)
                && let Ok(x) = lib.builtin_profile(af)
            {
                self.extra.push(x);
            }
        }
    }

    /// Grade `run` with this set.
    pub fn assess(&self, run: &Run) -> Assessment {
        grade::assess(run, &self.named, &self.extra)
    }

    /// Every profile of the set, named first.
    pub fn all(&self) -> Vec<&Profile> {
        self.named.iter().chain(self.extra.iter()).collect()
    }
}

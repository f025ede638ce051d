//! What happens after a scan, as one library call: read a run once through
//! [`crate::evidence::Records`], grade it with [`ProfileSet`] (the kensa levels plus each
//! provider's `applies_for`), and hand run and assessment to a [`RunStore`]. The store never
//! grades; `kensa scan`, `recheck`, the demo and (later) workers and the service all record
//! runs through here.

use std::path::Path;

use crate::assess::grade::Assessment;
use crate::assess::profile::Library;
use crate::assess::set::ProfileSet;
use crate::store::{Imported, LoadedRun, RunStore, StoreError};

/// Grade a loaded run as the store records it.
pub fn grade(loaded: &LoadedRun) -> Result<Assessment, StoreError> {
    let lib = Library::builtin()?;
    Ok(ProfileSet::for_run(&lib, &loaded.run, &[])?.assess(&loaded.run))
}

/// Read the run in `run_dir` (or an evidence file), grade it and record it in `store`. A run
/// already present is left as it is (and not graded again), unless it was interrupted and
/// `run_dir` holds its resumed continuation, which replaces it.
pub fn import_run_dir(
    store: &mut dyn RunStore,
    run_dir: &Path,
) -> Result<(Imported, LoadedRun), StoreError> {
    let loaded = LoadedRun::read(run_dir)?;
    if !loaded.run.run_id.is_empty()
        && store.contains_run(&loaded.run.run_id)?
        && !store.superseded_by(&loaded)?
    {
        let run_id = loaded.run.run_id.clone();
        return Ok((Imported::AlreadyPresent { run_id }, loaded));
    }
    // Graded as it is recorded: a store may write the evidence meanwhile.
    let imported = store.record_run_graded(&loaded, &grade)?;
    Ok((imported, loaded))
}

//! `kensa recheck` and `kensa watch`: scheduled re-checks with diffs and alerts.

use clap::Args;

/// Arguments of `kensa recheck`.
#[derive(Debug, Args)]
pub struct RecheckArgs {}

/// `kensa recheck`: stdout text and exit status.
pub fn recheck(_args: &RecheckArgs, _json: bool) -> Result<(String, u8), String> {
    Err("`kensa recheck` is not built yet".to_owned())
}

/// Arguments of `kensa watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {}

/// `kensa watch`: stdout text and exit status.
pub fn watch(_args: &WatchArgs, _json: bool) -> Result<(String, u8), String> {
    Err("`kensa watch` is not built yet".to_owned())
}

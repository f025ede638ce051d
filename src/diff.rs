//! `kensa diff` and `kensa history`: what changed between two runs, a provider's grade over time.

use clap::Args;

/// Arguments of `kensa diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {}

/// `kensa diff`: stdout text and exit status.
pub fn diff(_args: &DiffArgs, _json: bool) -> Result<(String, u8), String> {
    Err("`kensa diff` is not built yet".to_owned())
}

/// Arguments of `kensa history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {}

/// `kensa history`: stdout text and exit status.
pub fn history(_args: &HistoryArgs, _json: bool) -> Result<(String, u8), String> {
    Err("`kensa history` is not built yet".to_owned())
}

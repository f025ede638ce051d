//! `kensa compare`: one row per provider across the store, for researchers.

use clap::Args;

/// Arguments of `kensa compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {}

/// `kensa compare`: stdout text and exit status.
pub fn compare(_args: &CompareArgs, _json: bool) -> Result<(String, u8), String> {
    Err("`kensa compare` is not built yet".to_owned())
}

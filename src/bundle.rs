//! `kensa keygen`, `kensa bundle` and bundle verification: a signed evidence archive.

use clap::Args;

/// Arguments of `kensa keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {}

/// `kensa keygen`: stdout text and exit status.
pub fn keygen(_args: &KeygenArgs, _json: bool) -> Result<(String, u8), String> {
    Err("`kensa keygen` is not built yet".to_owned())
}

/// Arguments of `kensa bundle`.
#[derive(Debug, Args)]
pub struct BundleArgs {}

/// `kensa bundle`: stdout text and exit status.
pub fn bundle(_args: &BundleArgs, _json: bool) -> Result<(String, u8), String> {
    Err("`kensa bundle` is not built yet".to_owned())
}

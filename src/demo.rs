//! `kensa demo`: a lab of sample providers on loopback, scanned, assessed and reported.

use clap::Args;

/// Arguments of `kensa demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {}

/// `kensa demo`: stdout text and exit status.
pub fn demo(_args: &DemoArgs, _json: bool) -> Result<(String, u8), String> {
    Err("`kensa demo` is not built yet".to_owned())
}

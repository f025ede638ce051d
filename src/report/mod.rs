//! `kensa report`: a run rendered as HTML, Markdown, JSON, CSV or SARIF.

use clap::Args;

/// Arguments of `kensa report`.
#[derive(Debug, Args)]
pub struct ReportArgs {}

/// `kensa report`: stdout text and exit status.
pub fn report(_args: &ReportArgs, _json: bool) -> Result<(String, u8), String> {
    Err("`kensa report` is not built yet".to_owned())
}

/// Temporary: the demo's report until the HTML report lands (replaced at merge).
pub fn render_html(
    _run: &std::path::Path,
    a: &crate::assess::grade::Assessment,
) -> Result<String, String> {
    Ok(crate::assess::report::markdown(a, &|_| String::new()))
}

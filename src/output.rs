//! What a command gives its front end. A command returns a typed value (the CLI, the service
//! and library callers read its fields); the front end chooses how to show it: `text()` for
//! people, `json()` for `--json`, and `exit_code()` for the process status. Library code never
//! prints; `cli.rs` writes what `render` returns to stdout.

pub mod pretty;

use serde::Serialize;

/// A command's typed result and its two renderings.
pub trait Render {
    /// For people (stdout), newline-terminated.
    fn text(&self) -> String;
    /// For programs (`--json`): pretty JSON, newline-terminated.
    fn json(&self) -> String;
    /// The exit status this result gives the process (0 unless the result is a judged failure).
    fn exit_code(&self) -> u8 {
        0
    }
}

/// `value` as pretty JSON with a trailing newline (a value that cannot be serialised, which
/// the types here never are, gives `null`).
pub fn json_of<T: Serialize + ?Sized>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned());
    s.push('\n');
    s
}

/// The rendering `--json` asks for.
pub fn render(r: &dyn Render, json: bool) -> String {
    if json { r.json() } else { r.text() }
}

//! For tests that need an outside tool (`openssl`, `gnutls-serv`, `chromium`, `pyjarm`, ...):
//! one rule for all of them. Under CI (the `CI` variable set, as `.ci/run` and most CI systems
//! set it) a missing tool fails the test; on a developer's machine the test is skipped with a
//! message saying what to install. `scripts/test` installs every tool the tests use.

use std::process::{Command, Stdio};

/// Whether `tool` can be run (`tool ARGS...` starts; its exit status does not matter).
/// Missing: panics under CI, otherwise prints a skip message and returns `false`.
pub fn tool_available(tool: &str, args: &[&str]) -> bool {
    let runs = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if runs {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "`{tool}` is needed by this test and is missing under CI (scripts/test installs it)"
    );
    eprintln!("`{tool}` not found: test skipped (under CI this fails; scripts/test installs it)");
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_tool_that_exists_is_available() {
        // `sh` is on every machine the tests run on.
        assert!(super::tool_available("sh", &["-c", "true"]));
    }
}

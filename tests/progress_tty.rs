//! Issue 23: on a terminal the progress bar stays alive while a server hangs and says so, and
//! Ctrl-C clears it before kensa says it was interrupted, so the message stands on a clean line. kensa runs under `script` (util-linux),
//! which gives it a pseudo-terminal, against a server that accepts and never answers; the
//! test waits for the bar to be drawn, sends SIGINT, and reads what the terminal received.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The pid of the process whose command line contains `needle` (and is not `script` itself).
fn pid_of(needle: &str) -> Option<u32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmd) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if cmd.contains(needle) && !cmd.starts_with("script") && !cmd.contains("sh -c") {
            return Some(pid);
        }
    }
    None
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_hang_is_shown_and_ctrl_c_clears_the_bar_before_the_message_issue_23() {
    if !kensa_probe::testing::tool_available("script", &["--version"]) {
        return;
    }
    // Accepts (into the kernel's backlog) and never answers a ClientHello.
    let silent = common::listener();
    let port = silent.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run-progress-tty");
    let typescript = dir.path().join("typescript");
    let kensa = env!("CARGO_BIN_EXE_kensa");
    let cmd = format!(
        "exec {kensa} scan 127.0.0.1:{port} --allow-private --no-db --probes tls.scan --out {}",
        out.display()
    );
    let mut script = Command::new("script")
        .args(["-qfec", &cmd])
        .arg(&typescript)
        .env("KENSA_RATE_PER_HOST", "0")
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("script runs");
    let read = |p: &Path| std::fs::read(p).unwrap_or_default();
    // The bar has been drawn (its template: "N/M probes [elapsed]").
    wait_for("the progress bar", || {
        String::from_utf8_lossy(&read(&typescript)).contains("probes [")
    });
    // While the server hangs the bar stays alive and says that nothing has arrived.
    wait_for("the bar to say nothing has arrived", || {
        String::from_utf8_lossy(&read(&typescript)).contains("no probe finished for")
    });
    let needle = out.display().to_string();
    let mut pid = None;
    wait_for("kensa's pid", || {
        pid = pid_of(&needle);
        pid.is_some()
    });
    let pid = pid.unwrap().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let status = script.wait().unwrap();
    drop(silent);

    let tty = String::from_utf8_lossy(&read(&typescript)).into_owned();
    let said = tty
        .find("interrupted: stopping new work")
        .unwrap_or_else(|| panic!("no interruption message on the terminal: {tty:?}"));
    let last_bar = tty.rfind("probes [").expect("a progress frame");
    assert!(
        last_bar < said,
        "the bar was drawn after the message: {tty:?}"
    );
    // Between the last frame and the message the bar's line is erased (ESC [ 2K or ESC [ K
    // after a carriage return): the message does not share a line with the bar.
    let between = &tty[last_bar..said];
    assert!(
        between.contains("\x1b[2K") || between.contains("\r\x1b[K") || between.contains("\x1b[1K"),
        "the bar's line was not cleared before the message: {between:?}"
    );
    // What the terminal shows on the message's line: from the last newline or carriage
    // return before it (a carriage return moves back to the line's start).
    let line_start = tty[..said].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = &tty[line_start..said];
    assert!(
        !line.contains("probes ["),
        "the message shares a line with the bar: {line:?}"
    );
    // The run ends as an interrupted scan does (`script -e` passes on kensa's 130), with its
    // resume command.
    assert!(tty.contains("--resume"), "{tty:?}");
    assert_eq!(status.code(), Some(130), "{tty:?}");
}

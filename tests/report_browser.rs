//! The HTML report in a real browser: Debian's headless Chromium renders the page of a run
//! whose certificate CN carries a script, takes a screenshot, and dumps the DOM after load.
//! The page must render (a non-trivial PNG), show every provider, and run no script from the
//! data (the title is unchanged; the payload is there as text).
//!
//! Skipped with a note when `/usr/bin/chromium` is missing, except under CI (`CI` set), where
//! a missing browser fails the test: `scripts/test` installs it. Each Chromium run is killed
//! (with its process group) after 30 s. Set `KENSA_KEEP_SCREENSHOT=FILE` to keep the PNG.

mod report_common;

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use kensa::report::{self, Format};
use report_common::{Hostile, NOW, write_run};

const CHROMIUM: &str = "/usr/bin/chromium";
const PAYLOAD: &str = "<script>document.title='pwned'</script>";
const TIMEOUT: Duration = Duration::from_secs(30);

/// Run `cmd` in its own process group; kill the group after [`TIMEOUT`]. Returns the exit
/// status and stdout.
fn run_bounded(mut cmd: Command) -> (ExitStatus, String) {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0);
    let mut child = cmd.spawn().expect("chromium starts");
    let mut stdout = child.stdout.take().expect("stdout");
    // Read on a thread: a DOM larger than the pipe buffer would block the browser.
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if start.elapsed() > TIMEOUT {
            let pgid = child.id().to_string();
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pgid}")])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {TIMEOUT:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    (status, reader.join().unwrap_or_default())
}

fn chromium(profile: &Path, extra: &[String], url: &str) -> Command {
    let mut c = Command::new(CHROMIUM);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(url);
    c
}

#[test]
fn chromium_renders_the_report_and_runs_no_script_from_the_data() {
    if !kensa_probe::testing::tool_available(CHROMIUM, &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let hostile = Hostile {
        cn: PAYLOAD.to_owned(),
        dns: "\"><img src=x onerror=\"document.title='pwned'\">".to_owned(),
        header: PAYLOAD.to_owned(),
    };
    let run = write_run(dir.path(), Some(&hostile));
    let html = report::render_at(&run, &[], Format::Html, NOW).unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    let url = format!("file://{}", page.display());

    // Screenshot, with a fresh profile.
    let png = dir.path().join("report.png");
    let (status, _) = run_bounded(chromium(
        &dir.path().join("profile-shot"),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".to_owned(),
        ],
        &url,
    ));
    assert!(status.success(), "chromium --screenshot: {status}");
    let bytes = std::fs::read(&png).expect("the screenshot was written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(bytes.len() > 10_000, "screenshot of {} bytes", bytes.len());
    if let Some(keep) = std::env::var_os("KENSA_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }

    // The DOM after load (scripts, had any run, would have run by then).
    let (status, dom) = run_bounded(chromium(
        &dir.path().join("profile-dom"),
        &["--dump-dom".to_owned()],
        &url,
    ));
    assert!(status.success(), "chromium --dump-dom: {status}");
    assert!(
        dom.contains("Evidence appendix"),
        "no DOM dumped: {dom:.300}"
    );
    for name in ["Acme Cloud", "OldCo Hosting"] {
        assert!(dom.contains(name), "provider {name} missing from the DOM");
    }
    assert!(dom.contains("<title>kensa report: run fixture-run</title>"));
    assert!(!dom.contains("<title>pwned"), "a script from the data ran");
    assert!(!dom.to_lowercase().contains("<script"));
    assert!(!dom.to_lowercase().contains("<img"));
    // The payload is on the page as text (the DOM serialiser escapes < and > in text).
    assert!(dom.contains("CN=&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
}

/// Issue 21 (a report at scale) and issue 23: a run of 200 targets over 20 providers loads in
/// Chromium, the page opens on the summary (the screenshot's top holds the summary panel's
/// colour, #ddf4ff), the per-provider sections start collapsed, and the passing findings are
/// counted rather than listed.
#[test]
fn chromium_loads_a_large_report_and_the_screenshot_shows_the_summary_issue_21() {
    if !kensa_probe::testing::tool_available(CHROMIUM, &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = report_common::write_large_run(dir.path(), 20, 10);
    let html = report::render_at(&run, &[], Format::Html, NOW).unwrap();
    // No single table of every target, the details collapsed, the summary first.
    assert!(html.find("id=\"summary\"").unwrap() < html.find("id=\"providers\"").unwrap());
    assert_eq!(html.matches("<details class=\"part\" open>").count(), 0);
    assert_eq!(html.matches("<section class=\"provider\"").count(), 20);
    assert!(html.contains("Too many to list here"));
    for table in html.split("<table").skip(1) {
        let rows = table[..table.find("</table>").unwrap()]
            .matches("<tr>")
            .count();
        assert!(rows <= 60, "a table of {rows} rows");
    }
    let page = dir.path().join("large.html");
    std::fs::write(&page, &html).unwrap();
    let url = format!("file://{}", page.display());
    let png = dir.path().join("large.png");
    let (status, _) = run_bounded(chromium(
        &dir.path().join("profile-shot"),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,900".to_owned(),
        ],
        &url,
    ));
    assert!(status.success(), "chromium --screenshot: {status}");
    if let Some(keep) = std::env::var_os("KENSA_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
    // The summary panel's background in the first screen.
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let mut summary_pixels = 0usize;
    for px in buf[..info.buffer_size()].chunks(channels) {
        if px.len() >= 3 && px[0] == 0xdd && px[1] == 0xf4 && px[2] == 0xff {
            summary_pixels += 1;
        }
    }
    assert!(
        summary_pixels > 20_000,
        "the first screen shows {summary_pixels} pixels of the summary panel"
    );
    // The page loaded: its DOM has every provider's section.
    let (status, dom) = run_bounded(chromium(
        &dir.path().join("profile-dom"),
        &["--dump-dom".to_owned()],
        &url,
    ));
    assert!(status.success(), "chromium --dump-dom: {status}");
    assert!(dom.contains("Provider 19"));
    assert!(dom.contains("Evidence appendix"));
}

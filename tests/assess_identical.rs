//! The speed work on the assessment (issue 21) changes no verdict: `kensa assess --json` of a
//! synthetic run (every fixture of `fixtures/assess/` on several providers, each with another
//! `applies_for`) with every built-in profile, and with the default ones, must be
//! byte-identical to what kensa gave before the change. The expected output is checked in as
//! its SHA-256 (`tests/expect/assess_synth.sha256`, one line per case) because it is several
//! MB; on a mismatch the test writes the output to `target/assess_identical/` so it can be
//! compared with the output of the commit that wrote the digests (`git log` that file):
//! `scripts/assess-identical OLD_KENSA NEW_KENSA RUN_DIR...` does the same for any run, the
//! demo's too.

use std::path::Path;

use kensa::assess::command::{AssessArgs, assess};
use kensa::assess::profile::Library;
use kensa::assess::report::Format;
use kensa::assess::synth::{SynthSpec, write_run};

fn sha256_hex(bytes: &[u8]) -> String {
    kensa::evidence::sha256_hex(bytes)
}

/// The assessment's JSON with the temporary directory replaced by `RUN`.
fn assessed(run: &Path, profiles: &[String]) -> String {
    let args = AssessArgs {
        run: run.to_path_buf(),
        profile: profiles.to_vec(),
        format: Some(Format::Json),
    };
    let text = assess(&args, true).expect("assess").text;
    text.replace(&run.display().to_string(), "RUN")
}

#[test]
fn assessment_json_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    // 2 × 18 fixtures over 6 providers (one per `applies_for` the generator cycles through).
    let spec = SynthSpec::new(36, 6);
    write_run(dir.path(), &spec).unwrap();
    let lib = Library::builtin().unwrap();
    let all: Vec<String> = lib
        .builtin_profiles()
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    let cases: Vec<(&str, Vec<String>)> = vec![("all-builtin", all), ("default", Vec::new())];
    let expect_file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expect/assess_synth.sha256");
    let expected = std::fs::read_to_string(&expect_file).unwrap_or_default();
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/assess_identical");
    let mut got = String::new();
    for (name, profiles) in &cases {
        let text = assessed(dir.path(), profiles);
        got.push_str(&format!("{}  {name}\n", sha256_hex(text.as_bytes())));
        std::fs::create_dir_all(&out_dir).unwrap();
        std::fs::write(out_dir.join(format!("{name}.json")), &text).unwrap();
    }
    if std::env::var_os("KENSA_WRITE_EXPECT").is_some() {
        std::fs::write(&expect_file, &got).unwrap();
    }
    assert_eq!(
        got,
        expected,
        "the assessment JSON changed (outputs in {})",
        out_dir.display()
    );
}

/// The streamed assessment (`kensa assess` reads a run a batch of providers at a time, issue
/// 21) renders exactly what rendering the whole in-memory assessment gives, in every format,
/// for a complete run and for an interrupted one (no run-end: the notice comes first).
#[test]
fn streamed_output_equals_the_whole_assessment() {
    use kensa::assess::doc;
    use kensa::assess::report;
    use kensa::assess::set::ProfileSet;
    let dir = tempfile::tempdir().unwrap();
    // More targets than one batch, several providers of different sizes.
    write_run(dir.path(), &SynthSpec::new(150, 7)).unwrap();
    let evidence = dir.path().join("evidence.jsonl");
    let text = std::fs::read_to_string(&evidence).unwrap();
    // The same run cut before its run-end: incomplete.
    let cut_dir = tempfile::tempdir().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let cut = lines[..lines.len() - 40].join("\n") + "\n";
    std::fs::write(cut_dir.path().join("evidence.jsonl"), cut).unwrap();
    let lib = Library::builtin().unwrap();
    let all: Vec<String> = lib
        .builtin_profiles()
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    for run_dir in [dir.path(), cut_dir.path()] {
        for profiles in [Vec::new(), all.clone()] {
            let run = doc::load(run_dir).unwrap();
            let set = ProfileSet::for_run(&lib, &run, &profiles).unwrap();
            let whole = set.assess(&run);
            let every: Vec<&kensa::assess::profile::Profile> = set.all();
            let titles = |profile: &str, id: &str| {
                let p = every.iter().find(|p| p.id == profile);
                let params = p.map_or(&serde_json::Value::Null, |p| &p.params);
                p.into_iter()
                    .chain(every.iter())
                    .flat_map(|p| &p.controls)
                    .find(|c| c.id == id)
                    .map(|c| (c.title_with(params), c.caveat()))
                    .unwrap_or_default()
            };
            for (format, expected) in [
                (
                    Format::Json,
                    serde_json::to_string_pretty(&whole).unwrap() + "\n",
                ),
                (Format::Text, report::text(&whole, &titles)),
                (Format::Md, report::markdown(&whole, &titles)),
            ] {
                let args = AssessArgs {
                    run: run_dir.to_path_buf(),
                    profile: profiles.clone(),
                    format: Some(format),
                };
                let got = assess(&args, format == Format::Json).expect("assess");
                assert!(
                    got.text == expected,
                    "{format:?} output differs ({} profiles, {})",
                    profiles.len(),
                    run_dir.display()
                );
                assert!(got.text.len() > 1000);
            }
        }
    }
}

/// The streamed assessment reads each provider's lines a second time: a line changed after
/// the chain was verified (same length, other content) is refused, never judged.
#[test]
fn a_line_changed_between_the_two_reads_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path(), &SynthSpec::new(4, 1)).unwrap();
    let idx = kensa::assess::doc::index(dir.path()).expect("index");
    let (provider, _) = idx.providers().next().expect("a provider");
    let provider = provider.to_owned();
    let mut file = idx.open().unwrap();
    assert_eq!(idx.docs(&mut file, &provider).expect("docs").len(), 4);
    // Alter one character of the second line (the first evidence record), keeping its length.
    let path = dir.path().join("evidence.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let line = &mut lines[1];
    let at = line.find("\"outcome\":\"").expect("an outcome") + 11;
    let old = line.as_bytes()[at];
    line.replace_range(at..at + 1, if old == b'x' { "y" } else { "x" });
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let mut file = idx.open().unwrap();
    let err = idx
        .docs(&mut file, &provider)
        .expect_err("a changed line is refused");
    assert!(
        err.to_string().contains("changed while it was read"),
        "{err}"
    );
}

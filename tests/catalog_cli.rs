//! A bad catalog exits 2 with file:line:col and what was expected, before any probe runs.

mod common;

use common::*;

fn bad(text: &str) -> (i32, String, String, std::path::PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.toml", text);
    let out = dir.path().join("run");
    let (code, stdout, stderr) = run(&[
        "scan",
        path.to_str().unwrap(),
        "--allow-private",
        "--out",
        out.to_str().unwrap(),
    ]);
    // No probe ran: no run directory was even created.
    assert!(!out.exists(), "a run was started on an invalid catalog");
    (code, stdout, stderr, path, dir)
}

const HEAD: &str = "[[provider]]\nid = \"acme\"\nname = \"Acme\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n";

#[test]
fn bad_catalogs_name_file_line_and_column() {
    let cases: &[(&str, &str, &str)] = &[
        // (catalog text after HEAD, expected position, expected words)
        (
            "[[provider.endpoint]]\nhost = \"a.example\"\nport = 0\n",
            ":8:8:",
            "expected an integer from 1 to 65535",
        ),
        (
            "[[provider.endpoint]]\nhost = \"a.example\"\nport = 70000\n",
            ":8:8:",
            "1 to 65535",
        ),
        (
            "[[provider.endpoint]]\nhost = \"a..example\"\n",
            ":7:8:",
            "empty label",
        ),
        (
            "[[provider.endpoint]]\nhost = \"a.example\"\nprot = 443\n",
            ":8:1:",
            "prot",
        ),
        (
            "[[provider.endpoint]]\nhost = \"a.example\"\nport = \n",
            ":8:",
            "",
        ),
        (
            "[[provider.endpoint]]\nhost = \"a.example\"\n[[provider]]\nid = \"acme\"\nname = \"B\"\ndeclared_country = \"DE\"\napplies_for = \"x\"\n[[provider.endpoint]]\nhost = \"b.example\"\n",
            ":9:6:",
            "duplicate provider id",
        ),
    ];
    for (tail, pos, words) in cases {
        let (code, stdout, stderr, path, _dir) = bad(&format!("{HEAD}{tail}"));
        assert_eq!(code, 2, "{tail}\n{stderr}");
        assert!(stdout.is_empty());
        let want = format!("{}{pos}", path.display());
        assert!(stderr.contains(&want), "want {want} in:\n{stderr}");
        assert!(stderr.contains(words), "want {words:?} in:\n{stderr}");
    }
    let (code, _, stderr, _, _dir) = bad(&HEAD.replace("\"JP\"", "\"XX\""));
    assert_eq!(code, 2);
    assert!(
        stderr.contains(":4:20:") && stderr.contains("ISO 3166-1"),
        "{stderr}"
    );
}

#[test]
fn a_missing_catalog_is_named() {
    let (code, stdout, stderr) = run(&["scan", "/nonexistent/catalog.toml"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("/nonexistent/catalog.toml"), "{stderr}");
}

#[test]
fn the_example_catalog_is_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/catalog/example.toml");
    let cat = kensa::catalog::load(std::path::Path::new(path)).unwrap();
    assert!(cat.endpoint_count() >= 2);
}

/// Issue 23: a misspelt `applies_for` used to scan without a word (and then fail every
/// provider at every level while `assess` exited 0); it is refused where it is written, with
/// a suggestion. So is a misspelt parameter in an evaluator's profile, a misspelt `--profile`
/// name and a misspelt `--probes` id.
#[test]
fn misspelt_names_are_input_errors_with_a_suggestion() {
    let (code, _, stderr, path, _dir) = bad(&format!(
        "{}[[provider.endpoint]]\nhost = \"a.example\"\n",
        HEAD.replace("kensa-level-1", "kensa-levl-2")
    ));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:5:15: unknown profile \"kensa-levl-2\" in applies_for (did you mean `kensa-level-2`?)",
            path.display()
        )),
        "{stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    let profile = write(
        dir.path(),
        "mine.toml",
        "id = \"mine\"\nversion = \"1\"\ntitle = \"t\"\ndescription = \"d\"\n\
         grading = \"pass-fail\"\nextends = [\"kensa-level-3\"]\n\n[params]\n\
         max_cert_lifetim_days = 90\n",
    );
    let (code, _, stderr) = run(&["assess", "fixtures", "--profile", profile.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:9:1: unknown parameter `max_cert_lifetim_days` in [params] (did you mean \
             `max_cert_lifetime_days`?)",
            profile.display()
        )),
        "{stderr}"
    );

    let (code, _, stderr) = run(&["assess", "fixtures", "--profile", "kensa-levl-2"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("unknown profile `kensa-levl-2` (did you mean `kensa-level-2`?)"),
        "{stderr}"
    );

    let (code, _, stderr) = run(&["scan", "127.0.0.1:1", "--probes", "tls.scna"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("unknown probe `tls.scna` in --probes (did you mean `tls.scan`?)"),
        "{stderr}"
    );
}

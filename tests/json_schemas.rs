//! Issue 23: every `--json` output has a versioned, published schema in `docs/schemas/`
//! (`docs/json.md`), checked here the way `docs/report.schema.json` is checked: the output of
//! scan, assess, diff, recheck, verify (a run and a bundle), compare and history, and an
//! error under `--json`, each validated against its schema, and each schema strict enough to
//! notice a missing or an unknown top-level field. Every server is on loopback.

mod common;
mod report_common;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn schema(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("docs/schemas/{name}.schema.json"));
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

/// Validate `v` against `docs/schemas/NAME.schema.json`; with `strict`, also check that the
/// schema refuses `v` without its first required field and with an unknown field.
fn check(name: &str, v: &Value, strict: bool) {
    let s = schema(name);
    assert_eq!(
        s["x-kensa-schema"].as_str().unwrap(),
        format!("kensa-{name}/1"),
        "the schema names its version"
    );
    let validator = jsonschema::draft202012::new(&s).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {}", errors.join("\n"));
    if strict {
        let obj = if v.is_array() { &v[0] } else { v };
        let mut unknown = obj.clone();
        unknown["an_unknown_field"] = Value::Bool(true);
        let mut missing = obj.clone();
        let first = s["required"]
            .as_array()
            .or_else(|| s["items"]["required"].as_array())
            .and_then(|r| r.first())
            .and_then(Value::as_str)
            .unwrap()
            .to_owned();
        missing.as_object_mut().unwrap().remove(&first);
        let wrap = |x: Value| {
            if v.is_array() {
                Value::Array(vec![x])
            } else {
                x
            }
        };
        assert!(
            !validator.is_valid(&wrap(unknown)),
            "{name}: an unknown field passes"
        );
        assert!(
            !validator.is_valid(&wrap(missing)),
            "{name}: no {first} passes"
        );
    }
}

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("kensa.db");
        Self { dir, db }
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = common::kensa()
            .env("KENSA_DB", &self.db)
            .current_dir(self.dir.path())
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let v = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), v)
    }
}

#[test]
fn every_json_output_validates_against_its_published_schema_issue_23() {
    let env = Env::new();
    let d = env.dir.path();
    let target = format!("127.0.0.1:{}", common::closed_port());
    let scan_args = |out: &str| {
        vec![
            "scan".to_owned(),
            target.clone(),
            "--probes".into(),
            "latency.tcp,tls.scan".into(),
            "--allow-private".into(),
            "--samples".into(),
            "1".into(),
            "--out".into(),
            out.into(),
        ]
    };
    let a: Vec<String> = scan_args("s1");
    let (code, scan) = env.json(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0);
    check("scan", &scan, true);
    let a: Vec<String> = scan_args("s2");
    env.json(&a.iter().map(String::as_str).collect::<Vec<_>>());

    // assess and diff over the report fixture (with findings of every kind), and the hostile
    // variant of it as the "new" run.
    let old = report_common::write_run(&d.join("old"), None);
    let hostile = report_common::Hostile {
        cn: "x".into(),
        dns: "y".into(),
        header: "z".into(),
    };
    let new = report_common::write_run(&d.join("new"), Some(&hostile));
    let (code, assess) = env.json(&["assess", old.to_str().unwrap()]);
    assert_eq!(code, 1);
    check("assess", &assess, true);
    let (_, diff) = env.json(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    check("diff", &diff, true);
    let (_, same) = env.json(&["diff", "s1", "s2"]);
    check("diff", &same, false);
    // A run against itself carries a warning, which the schema describes.
    let (_, itself) = env.json(&["diff", old.to_str().unwrap(), old.to_str().unwrap()]);
    assert!(itself["warnings"][0].is_string(), "{itself}");
    check("diff", &itself, true);

    // verify: a run, and a signed bundle.
    let (code, verify) = env.json(&["verify", "s1"]);
    assert_eq!(code, 0);
    check("verify", &verify, false);
    env.json(&["keygen", "-o", "key"]);
    env.json(&[
        "bundle",
        old.to_str().unwrap(),
        "--sign",
        "key",
        "-o",
        "b.kensa",
    ]);
    let (code, bundle) = env.json(&["verify", "b.kensa", "--key", "key.pub"]);
    assert_eq!(code, 0, "{bundle}");
    assert_eq!(bundle["kind"], "bundle");
    check("verify", &bundle, false);

    // compare and history over the run database the scans filled.
    let (code, compare) = env.json(&["compare"]);
    assert_eq!(code, 0);
    assert!(compare.as_array().is_some_and(|a| !a.is_empty()));
    check("compare", &compare, true);
    let (code, history) = env.json(&["history", "adhoc"]);
    assert_eq!(code, 0, "{history}");
    check("history", &history, true);

    // recheck, twice (the second has a previous run to diff against).
    std::fs::write(
        d.join("cat.toml"),
        format!(
            "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n\n[[provider.endpoint]]\nhost = \"127.0.0.1\"\nport = {}\n",
            target.rsplit(':').next().unwrap()
        ),
    )
    .unwrap();
    for out in ["r1", "r2"] {
        let (_, recheck) = env.json(&[
            "recheck",
            "cat.toml",
            "--probes",
            "latency.tcp",
            "--allow-private",
            "--samples",
            "1",
            "--out",
            out,
        ]);
        check("recheck", &recheck, true);
    }

    // An error.
    let (code, error) = env.json(&["report", "no-such-run"]);
    assert_eq!(code, 2);
    check("error", &error, true);
}

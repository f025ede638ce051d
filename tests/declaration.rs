//! Provider declarations (docs/declaration.md): the published JSON Schema against the Rust
//! types, the catalog's `declaration` key, the signature check recorded in `run-begin`, and
//! `kensa declaration sign|check` through the binary.

mod common;

use std::path::{Path, PathBuf};

use kensa::declaration::{self, Declaration, SignatureStatus};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("docs/declaration.schema.json")).unwrap();
    jsonschema::draft202012::new(&serde_json::from_str::<Value>(&text).unwrap()).unwrap()
}

fn example_text() -> String {
    std::fs::read_to_string(root().join("fixtures/declaration/example.toml")).unwrap()
}

fn as_json(toml_text: &str) -> Value {
    let v: toml::Value = toml::from_str(toml_text).unwrap();
    serde_json::to_value(v).unwrap()
}

/// The schema and the Rust types agree: the example validates against both, the content kensa
/// records (the parsed declaration, serialised) validates, and documents broken in ways both
/// must notice are refused by both.
#[test]
fn the_schema_and_the_types_agree() {
    let schema = schema();
    let text = example_text();
    let errors: Vec<String> = schema
        .iter_errors(&as_json(&text))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let parsed: Declaration = declaration::parse("example.toml", &text).unwrap();
    let recorded = serde_json::to_value(&parsed).unwrap();
    assert!(schema.is_valid(&recorded), "the recorded content validates");
    let minimal = "schema = 1\nprovider = \"p\"\nissued = \"2026-01-02\"\n";
    assert!(schema.is_valid(&as_json(minimal)));
    assert!(declaration::parse("m.toml", minimal).is_ok());
    let broken = [
        (
            "unknown key",
            text.replace("[ownership]", "colour = 1\n[ownership]"),
        ),
        (
            "unknown nested key",
            text.replace(
                "kind = \"equipment\"",
                "kind = \"equipment\"\nmodel = \"X\"",
            ),
        ),
        (
            "lower-case country",
            text.replace("country = \"JP\"\nrole", "country = \"jp\"\nrole"),
        ),
        (
            "unknown role",
            text.replace("role = \"support\"", "role = \"janitor\""),
        ),
        ("share over 100", text.replace("12.5", "112.5")),
        ("schema 2", text.replace("schema = 1", "schema = 2")),
        ("no issued", text.replace("issued = \"2026-11-01\"", "")),
        (
            "upper-case name",
            text.replace("api.acme.example", "API.acme.example"),
        ),
        (
            "staff access missing",
            text.replace("foreign_staff_access = false", ""),
        ),
    ];
    for (what, t) in &broken {
        assert!(!schema.is_valid(&as_json(t)), "the schema accepts: {what}");
        assert!(
            declaration::parse("b.toml", t).is_err(),
            "the parser accepts: {what}"
        );
    }
}

fn catalog_with(dir: &Path, extra: &str, port: u16) -> PathBuf {
    let text = format!(
        "[[provider]]\nid = \"acme\"\nname = \"Acme\"\ndeclared_country = \"JP\"\n\
         applies_for = \"kensa-level-1\"\n{extra}\n[[provider.endpoint]]\nhost = \"127.0.0.1\"\n\
         port = {port}\nsni = \"www.acme.example\"\n"
    );
    common::write(dir, "catalog.toml", &text)
}

fn run_begin(run: &Path) -> Value {
    let text = std::fs::read_to_string(run.join("evidence.jsonl")).unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "run-begin");
    first["data"].clone()
}

/// The catalog names a declaration and its key; the scan records the declaration's digest,
/// content, the catalog's names and the signature check in run-begin: valid, altered after
/// signing, and signed by another key. A missing declaration is an input error (exit 2).
#[test]
fn signed_declarations_are_checked_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let l = common::listener();
    let port = l.local_addr().unwrap().port();
    let decl_dir = d.join("decl");
    std::fs::create_dir(&decl_dir).unwrap();
    let decl = decl_dir.join("acme.toml");
    std::fs::write(&decl, example_text()).unwrap();
    let key = d.join("acme-key");
    let other = d.join("other-key");
    for k in [&key, &other] {
        let (code, _, err) = common::run(&["keygen", "-o", k.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
    }
    let (code, out, err) = common::run(&[
        "declaration",
        "sign",
        decl.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("signed"), "{out}");
    let catalog = catalog_with(
        d,
        "declaration = \"decl/acme.toml\"\ndeclaration_key = \"acme-key.pub\"\n",
        port,
    );
    let scan = |name: &str| {
        let run = d.join(name);
        let (code, _, err) = common::run(&[
            "scan",
            catalog.to_str().unwrap(),
            "--out",
            run.to_str().unwrap(),
            "--allow-private",
            "--probes",
            "latency.tcp",
            "--samples",
            "1",
            "--quiet",
        ]);
        assert_eq!(code, 0, "{err}");
        run_begin(&run)["provider_details"][0]["declaration"].clone()
    };
    // Valid.
    let rec = scan("valid");
    assert_eq!(rec["file"], "decl/acme.toml");
    assert_eq!(
        rec["sha256"],
        kensa::evidence::sha256_hex(example_text().as_bytes())
    );
    assert_eq!(rec["signature"]["status"], "valid", "{rec}");
    assert_eq!(rec["content"]["provider"], "acme");
    assert_eq!(rec["content"]["ownership"]["foreign_share_percent"], 12.5);
    assert_eq!(
        rec["catalog_names"],
        serde_json::json!(["127.0.0.1", "www.acme.example"])
    );
    // `kensa declaration check` agrees.
    let pubkey = format!("{}.pub", key.display());
    let (code, out, _) = common::run(&[
        "declaration",
        "check",
        decl.to_str().unwrap(),
        "--key",
        &pubkey,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("signature: valid"), "{out}");
    // Altered after signing.
    std::fs::write(&decl, example_text().replace("12.5", "2.5")).unwrap();
    let rec = scan("altered");
    assert_eq!(rec["signature"]["status"], "invalid", "{rec}");
    assert_eq!(rec["content"]["ownership"]["foreign_share_percent"], 2.5);
    let (code, out, _) = common::run(&[
        "declaration",
        "check",
        decl.to_str().unwrap(),
        "--key",
        &pubkey,
    ]);
    assert_eq!(code, 1, "{out}");
    // Signed again by another key.
    let (code, _, err) = common::run(&[
        "declaration",
        "sign",
        decl.to_str().unwrap(),
        "--key",
        other.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let rec = scan("other");
    assert_eq!(rec["signature"]["status"], "other-signer", "{rec}");
    assert_ne!(rec["signature"]["key"], rec["signature"]["expected_key"]);
    // Unsigned.
    std::fs::remove_file(declaration::signature_path(&decl)).unwrap();
    assert_eq!(scan("unsigned")["signature"]["status"], "unsigned");
    // A declaration about another provider, and a missing one, are input errors.
    std::fs::write(
        &decl,
        example_text().replace("provider = \"acme\"", "provider = \"other\""),
    )
    .unwrap();
    let (code, _, err) = common::run(&[
        "scan",
        catalog.to_str().unwrap(),
        "--out",
        d.join("x").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("the declaration is about \"other\""), "{err}");
    let missing = catalog_with(d, "declaration = \"decl/none.toml\"\n", port);
    let (code, _, err) = common::run(&[
        "scan",
        missing.to_str().unwrap(),
        "--out",
        d.join("y").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read declaration decl/none.toml"),
        "{err}"
    );
    assert!(!d.join("y").exists(), "no run directory on an input error");
    let _ = SignatureStatus::Valid;
}

/// The catalog's new keys are checked like the others.
#[test]
fn catalog_declaration_keys() {
    let head = "[[provider]]\nid = \"a\"\nname = \"A\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n";
    let ep = "[[provider.endpoint]]\nhost = \"a.example\"\n";
    let c = kensa::catalog::parse(
        "c.toml",
        &format!("{head}declaration = \"d/a.toml\"\ndeclaration_key = \"a.pub\"\n{ep}"),
    )
    .unwrap();
    assert_eq!(c.providers[0].declaration.as_deref(), Some("d/a.toml"));
    assert_eq!(c.providers[0].declaration_key.as_deref(), Some("a.pub"));
    assert!(
        c.providers[0].declared.is_none(),
        "parse reads no other file"
    );
    let e = kensa::catalog::parse(
        "c.toml",
        &format!("{head}declaration_key = \"a.pub\"\n{ep}"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("has a `declaration_key` but no `declaration`"),
        "{e}"
    );
    let e = kensa::catalog::parse("c.toml", &format!("{head}declaration = \" \"\n{ep}"))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("c.toml:6:15:"), "{e}");
}

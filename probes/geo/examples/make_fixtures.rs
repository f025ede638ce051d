//! Write the `.mmdb` fixtures of `fixtures/geo/` (see `fixtures/README.md`).
//!
//! `cargo run -p kensa-probe-geo --example make_fixtures` (from the workspace root).
//! `tests/fixtures.rs` fails when the committed files differ from what this writes.

#![allow(
    clippy::unwrap_used,
    clippy::type_complexity,
    unreachable_pub,
    missing_docs
)]

#[path = "../tests/support/fixture_gen.rs"]
mod support_gen;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/geo");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in support_gen::mmdb_fixtures() {
        let p = dir.join(name);
        std::fs::write(&p, &bytes).unwrap();
        println!("{} ({} bytes)", p.display(), bytes.len());
    }
}

//! Install the default databases (what `kensa geodb update` will do) into a directory.
//!
//! `cargo run -p kensa-probe-geo --example geodb_update -- DIR [EXTRA_ROOTS.pem]` — fetches
//! from the npm registry over HTTPS; prints the manifest. `EXTRA_ROOTS.pem`: CA certificates to
//! trust besides Mozilla's (for a TLS-inspecting proxy).

#![allow(clippy::unwrap_used, missing_docs)]

use kensa_probe_geo::geodb;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = std::env::args().nth(1).expect("usage: geodb_update DIR");
    let extra = std::env::args().nth(2).map(|p| std::fs::read(p).unwrap());
    let client = match &extra {
        Some(pem) => geodb::client_with_roots(&[pem]).unwrap(),
        None => geodb::client().unwrap(),
    };
    let m = geodb::update(
        std::path::Path::new(&dir),
        &client,
        geodb::NPM_REGISTRY,
        &geodb::DEFAULT_PACKAGES,
        std::time::SystemTime::now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    println!("{}", serde_json::to_string_pretty(&m).unwrap());
}

//! The `tls.scan` observation as an output surface: a snapshot of the whole JSON for a server
//! of known configuration (TLS 1.3 only, two suites, two groups), with what changes from run
//! to run redacted (port, timings, the freshly generated certificate). Review every diff.

mod support;

use support::process::{Keys, s_server_tls13_two_suites};
use support::{config, scan};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls13_only_observation() {
    // Given: s_server speaking TLS 1.3 only, two suites, two groups, an RSA certificate.
    let keys = Keys::new();
    let server = s_server_tls13_two_suites(&keys);
    // When: it is scanned.
    let obs = scan(server.port, &config(2000)).await;
    // Then: the observation, field for field.
    insta::assert_json_snapshot!("tls13_only", obs, {
        ".port" => "[port]",
        ".elapsed_ms" => "[ms]",
        ".chains[].certificates[]" => "[der]",
        ".modern[].chain[]" => "[der]",
    });
}

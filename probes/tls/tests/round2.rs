//! Issue 19 ("probe accuracy and scope, round 2") against scripted loopback servers:
//! oversized Certificate messages. Every server is started by its test on 127.0.0.1.

mod support;

use kensa_probe_tls::codec::ProtocolVersion as V;
use kensa_probe_tls::dh_check::GeneratorOrder;
use kensa_probe_tls::probe::{Answer, OversizedChain};
use support::scripted::{Legacy, TLS12, throwaway_cert};
use support::{answer, config, hex, scan, suites, versions};

/// TLS_RSA_WITH_AES_128_GCM_SHA256 and TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.
const SUITES: [u16; 2] = [0x009c, 0xc02f];

/// The Certificate message body of a chain: a 3-byte list length, then per certificate a
/// 3-byte length and its bytes.
fn message_len(certs: &[usize]) -> usize {
    3 + certs.iter().map(|c| 3 + c).sum::<usize>()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_300_kb_leaf_is_a_version_accepted_with_its_certificate_over_the_cap() {
    // Given: a TLS 1.2 server whose leaf is 300,000 bytes (an opaque blob: nothing verifies).
    let mut server = Legacy::new((TLS12, TLS12), &SUITES);
    server.cert = vec![0x30; 300_000];
    let server = server.start().await;

    // When: it is scanned.
    let obs = scan(server.port, &config(1000)).await;

    // Then: TLS 1.2 and both suites are accepted (not "not accepted", as before issue 19),
    // and the answer says why the chain is missing.
    let length = message_len(&[300_000]);
    assert_eq!(versions(&obs), vec![V::TLS1_2]);
    assert_eq!(suites(&obs, V::TLS1_2).len(), 2);
    assert_eq!(
        answer(&obs, V::TLS1_2),
        Answer::CertificateOverCap {
            length,
            cap: 128 * 1024
        }
    );
    assert_eq!(obs.chains.len(), 1, "{:?}", obs.chains);
    let chain = &obs.chains[0];
    assert!(
        chain.certificates.is_empty(),
        "the leaf is over the cap too"
    );
    assert_eq!(
        chain.oversized,
        Some(OversizedChain {
            certificate_message_bytes: length,
            cut: true,
            cap: 128 * 1024,
            leaf_read: false,
        })
    );
    let json = serde_json::to_value(answer(&obs, V::TLS1_2)).unwrap();
    assert_eq!(json["kind"], "certificate-over-cap");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_over_the_cap_keeps_its_leaf() {
    // Given: a small real leaf followed by eight 20,000-byte blobs (a 160 KB chain).
    let leaf = throwaway_cert();
    let mut server = Legacy::new((TLS12, TLS12), &SUITES);
    server.cert = leaf.clone();
    server.chain = vec![vec![0x30; 20_000]; 8];
    let server = server.start().await;

    let obs = scan(server.port, &config(1000)).await;

    let mut sizes = vec![leaf.len()];
    sizes.extend([20_000; 8]);
    let length = message_len(&sizes);
    assert_eq!(versions(&obs), vec![V::TLS1_2]);
    assert_eq!(
        answer(&obs, V::TLS1_2),
        Answer::CertificateOverCap {
            length,
            cap: 128 * 1024
        }
    );
    let chain = &obs.chains[0];
    assert_eq!(chain.certificates, vec![hex(&leaf)]);
    assert_eq!(
        chain.oversized,
        Some(OversizedChain {
            certificate_message_bytes: length,
            cut: true,
            cap: 128 * 1024,
            leaf_read: true,
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_under_the_cap_but_over_64_kib_is_read_whole_and_marked() {
    // Given: a leaf and four 20,000-byte blobs: ~82 KB, over rustls's 64 KiB, under
    // OpenSSL's 100 KiB and kensa's 128 KiB.
    let leaf = throwaway_cert();
    let mut server = Legacy::new((TLS12, TLS12), &SUITES);
    server.cert = leaf.clone();
    server.chain = vec![vec![0x30; 20_000]; 4];
    let server = server.start().await;

    let obs = scan(server.port, &config(1000)).await;

    let mut sizes = vec![leaf.len()];
    sizes.extend([20_000; 4]);
    assert_eq!(answer(&obs, V::TLS1_2), Answer::Accepted);
    let chain = &obs.chains[0];
    assert_eq!(chain.certificates.len(), 5);
    assert_eq!(
        chain.oversized,
        Some(OversizedChain {
            certificate_message_bytes: message_len(&sizes),
            cut: false,
            cap: 0,
            leaf_read: false,
        })
    );
}

/// The DH parameters of a fixture (`fixtures/tls/`).
fn fixture(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/tls")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// s_server, TLS 1.2, one DHE suite, the given DH parameters.
fn dhe_server(dhparam: &str) -> support::process::ServerProcess {
    let keys = support::process::Keys::new();
    support::process::s_server(&[
        "-cert",
        &keys.arg("rsa.pem"),
        "-key",
        &keys.arg("rsa.key"),
        "-tls1_2",
        "-cipher",
        // SECLEVEL 0: OpenSSL refuses a 2047-bit group at its default level.
        "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0",
        "-dhparam",
        &fixture(dhparam),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssl_dhe_with_a_composite_2048_bit_modulus() {
    let server = dhe_server("dh-composite-2048.pem");
    let obs = scan(server.port, &config(2000)).await;
    let dhe = obs.dhe.as_ref().expect("DHE parameters");
    assert_eq!(dhe.prime_bits, 2048);
    let c = dhe.check.as_ref().expect("checked");
    assert!(c.checked);
    assert!(!c.prime_is_probable_prime, "{c:?}");
    assert!(!c.safe_prime);
    assert_eq!(c.generator_order, GeneratorOrder::Unknown);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssl_dhe_with_a_generator_of_order_2_to_the_31() {
    let server = dhe_server("dh-small-order.pem");
    let obs = scan(server.port, &config(2000)).await;
    let dhe = obs.dhe.as_ref().expect("DHE parameters");
    assert_eq!(dhe.prime_bits, 2047);
    let c = dhe.check.as_ref().expect("checked");
    assert!(c.prime_is_probable_prime);
    assert!(!c.safe_prime);
    assert_eq!(
        c.generator_order,
        GeneratorOrder::Found {
            bits: 32,
            order: "2147520821".to_owned()
        }
    );
    assert!(c.small_subgroup_generator);
    assert_eq!(c.large_prime_order_subgroup, Some(false));
}

//! Issue 19 ("probe accuracy and scope, round 2") against scripted loopback servers:
//! oversized Certificate messages. Every server is started by its test on 127.0.0.1.

mod support;

use kensa_probe_tls::codec::ProtocolVersion as V;
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

//! Issue 19, ROBOT: the Bleichenbacher-oracle check of `tls.scan` (`checks.robot`) against
//! scripted loopback servers that decrypt the ClientKeyExchange with a known key and leak (or
//! do not leak) an oracle, against `openssl s_server` with RSA key exchange, and against a
//! server without RSA key exchange. Every server is started by its test on 127.0.0.1.

mod support;

use std::sync::Arc;
use std::time::Duration;

use kensa_probe_tls::codec::ProtocolVersion as V;
use kensa_probe_tls::probe::{Check, Observation};
use kensa_probe_tls::robot::{Flow, Oracle, Robot};
use num_bigint::BigUint;
use support::process::{Keys, s_server};
use support::scripted::{KeyExchangeAnswer, Legacy, TLS12};
use support::{config, scan};

/// A 1024-bit RSA key made once with `openssl genrsa 1024`, for the scripted servers only:
/// the modulus and the private exponent (e = 65537).
const N: &str = "d010939a4b48dfcde833e67deacd3cd65c077b81fe2062065b42b00df7e54de1aed442d3934047f40377d5f71da4a6749f7e43f2d1ba565a8907efe02a8babe5fb8523caf05808f5ac205a396defb3346124a8d645a8be4877bf16a1946a21bd935efd5d6f0f060af8a2719dab1acf0d679281b04b058105b6e82315a60ad243";
const D: &str = "660beb48dea9c452ca134275f98665d340d9cea2a8101be3c038c9fe5fda1043a32aaa07f90daafcac02c767671b8d245fe15ed42636fd097471f71d7be07b12f3d0bc65aaccba408bed3c5f39955bcb99ce68ce5a61c18b0accf334aafb7ca8602a66472eb62a27d1a4d9da671cb3f3c903ce88108a06f6ac6aff599c9ad829";

/// TLS_RSA_WITH_AES_128_GCM_SHA256.
const RSA_KX: u16 = 0x009c;

const BAD_RECORD_MAC: u8 = 20;
const HANDSHAKE_FAILURE: u8 = 40;
const DECRYPT_ERROR: u8 = 51;

fn big(hex: &str) -> BigUint {
    BigUint::parse_bytes(hex.as_bytes(), 16).expect("hex")
}

/// One DER element.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(u8::try_from(len).expect("short"));
    } else {
        let bytes = u32::try_from(len).expect("fits").to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | u8::try_from(4 - skip).expect("small"));
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn der_uint(n: &BigUint) -> Vec<u8> {
    let mut b = n.to_bytes_be();
    if b.first().is_some_and(|x| x & 0x80 != 0) {
        b.insert(0, 0);
    }
    der(0x02, &b)
}

/// A certificate carrying the test key: only its structure is real (RFC 5280 §4.1); the
/// names, validity and signature are empty, as nothing verifies it.
fn test_certificate() -> Vec<u8> {
    let rsa_alg = der(
        0x30,
        &[
            der(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
            ),
            der(0x05, &[]),
        ]
        .concat(),
    );
    let sig_alg = der(
        0x30,
        &[
            der(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
            ),
            der(0x05, &[]),
        ]
        .concat(),
    );
    let public_key = der(
        0x30,
        &[der_uint(&big(N)), der_uint(&BigUint::from(65537u32))].concat(),
    );
    let spki = der(
        0x30,
        &[rsa_alg, der(0x03, &[&[0u8][..], &public_key].concat())].concat(),
    );
    let tbs = der(
        0x30,
        &[
            der(0xa0, &der(0x02, &[2])),
            der(0x02, &[1]),
            sig_alg.clone(),
            der(0x30, &[]),
            der(0x30, &[]),
            der(0x30, &[]),
            spki,
        ]
        .concat(),
    );
    der(0x30, &[tbs, sig_alg, der(0x03, &[0])].concat())
}

/// The decrypted block (128 bytes) of an encrypted premaster secret.
fn decrypt(ciphertext: &[u8]) -> Vec<u8> {
    let m = BigUint::from_bytes_be(ciphertext).modpow(&big(D), &big(N));
    let b = m.to_bytes_be();
    let mut out = vec![0u8; 128usize.saturating_sub(b.len())];
    out.extend_from_slice(&b);
    out
}

/// Whether `block` is PKCS#1 v1.5 conforming (RFC 8017 §7.2.2 step 3) with a 48-byte secret.
fn conforming_48(block: &[u8]) -> bool {
    block.starts_with(&[0, 2])
        && block
            .iter()
            .skip(2)
            .position(|b| *b == 0)
            .is_some_and(|i| i >= 8 && block.len() - (2 + i + 1) == 48)
}

/// A scripted TLS 1.2 server with the test key, offering only `suites`, answering each
/// ClientKeyExchange as `answer` says.
async fn scripted(suites: &[u16], answer: fn(&[u8]) -> Option<u8>) -> support::scripted::Scripted {
    let mut server = Legacy::new((TLS12, TLS12), suites);
    server.cert = test_certificate();
    server.key_exchange = Some(KeyExchangeAnswer(Arc::new(move |c| answer(&decrypt(c)))));
    server.start().await
}

fn robot(obs: &Observation) -> &Robot {
    obs.checks.robot.as_ref().expect("checks.robot is recorded")
}

/// The reactions of one run as `vector=alerts/end` strings, in the order sent.
fn reactions(r: &Robot, run: usize) -> Vec<String> {
    let json = serde_json::to_value(&r.runs[run].answers).expect("json");
    json.as_array()
        .expect("array")
        .iter()
        .map(|a| {
            let re = &a["reaction"];
            format!(
                "{}={}/{}",
                a["vector"].as_str().unwrap_or("?"),
                re["alerts"]
                    .as_array()
                    .map(|x| x
                        .iter()
                        .filter_map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join("+"))
                    .unwrap_or_else(|| format!("{re}")),
                re["end"].as_str().unwrap_or("?"),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_with_a_distinct_alert_for_wrong_first_bytes_is_a_strong_oracle() {
    // Given: a TLS 1.2 RSA key-exchange server that answers a block not starting 00 02 with
    // decrypt_error, every other block with bad_record_mac (the classic leak).
    let server = scripted(&[RSA_KX], |block| {
        Some(if block.starts_with(&[0, 2]) {
            BAD_RECORD_MAC
        } else {
            DECRYPT_ERROR
        })
    })
    .await;

    // When: it is scanned.
    let obs = scan(server.port, &config(1000)).await;

    // Then: vulnerable, a strong oracle, seen in the first run and again in the second, in
    // ten connections; the blocks drew exactly the answers the server's rule gives.
    let r = robot(&obs);
    assert_eq!(r.result, Check::Vulnerable, "{}", r.detail);
    assert_eq!(r.oracle, Some(Oracle::Strong));
    assert_eq!(r.version, Some(V::TLS1_2));
    assert_eq!(r.modulus_bits, Some(1024));
    assert_eq!(r.connections, 10);
    assert_eq!(r.runs.len(), 2);
    assert!(r.runs.iter().all(|x| x.flow == Flow::WithFinished));
    let expected = vec![
        "well-formed=fatal/bad_record_mac/closed",
        "wrong-first-bytes=fatal/decrypt_error/closed",
        "no-separator=fatal/bad_record_mac/closed",
        "separator-misplaced=fatal/bad_record_mac/closed",
        "wrong-version=fatal/bad_record_mac/closed",
    ];
    assert_eq!(reactions(r, 0), expected);
    assert_eq!(reactions(r, 1), expected);
    let json = serde_json::to_value(&obs.checks).expect("json");
    assert_eq!(json["robot"]["result"], "vulnerable");
    assert_eq!(json["robot"]["oracle"], "strong");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_only_tells_fully_conforming_blocks_apart_is_a_weak_oracle() {
    // Given: a server that answers handshake_failure unless the block is PKCS#1 conforming
    // with a 48-byte secret (it does not check the version), then bad_record_mac.
    let server = scripted(&[RSA_KX], |block| {
        Some(if conforming_48(block) {
            BAD_RECORD_MAC
        } else {
            HANDSHAKE_FAILURE
        })
    })
    .await;

    let obs = scan(server.port, &config(1000)).await;

    let r = robot(&obs);
    assert_eq!(r.result, Check::Vulnerable, "{}", r.detail);
    assert_eq!(r.oracle, Some(Oracle::Weak));
    assert_eq!(r.connections, 10);
    assert_eq!(
        reactions(r, 0),
        vec![
            "well-formed=fatal/bad_record_mac/closed",
            "wrong-first-bytes=fatal/handshake_failure/closed",
            "no-separator=fatal/handshake_failure/closed",
            "separator-misplaced=fatal/handshake_failure/closed",
            "wrong-version=fatal/bad_record_mac/closed",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_answers_every_block_alike_is_not_vulnerable() {
    // Given: a scripted server that decrypts and answers every block with bad_record_mac
    // (what RFC 5246 §7.4.7.1 asks: a malformed block is treated as a random secret).
    let server = scripted(&[RSA_KX], |_| Some(BAD_RECORD_MAC)).await;

    let obs = scan(server.port, &config(1000)).await;

    // Then: not vulnerable after both flows (with Finished, then the key exchange alone):
    // ten connections.
    let r = robot(&obs);
    assert_eq!(
        r.result,
        Check::NotVulnerable,
        "{}",
        serde_json::to_string(r).expect("json")
    );
    assert_eq!(r.oracle, None);
    assert_eq!(r.connections, 10);
    let flows: Vec<Flow> = r.runs.iter().map(|x| x.flow).collect();
    assert_eq!(flows, vec![Flow::WithFinished, Flow::KeyExchangeOnly]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_server_that_shows_the_oracle_only_to_a_lone_key_exchange_is_vulnerable() {
    // Given: a server that spends 120 ms over each key exchange (a slow decryption), then
    // answers a block that is not PKCS#1 conforming with bad_record_mac at once, and a
    // conforming one (well-formed, wrong version) only when the Finished comes, with the same
    // alert. With the Finished every block draws the same answer; a lone key exchange shows
    // the oracle, and only to a client that waits longer than the server's 120 ms.
    let mut server = Legacy::new((TLS12, TLS12), &[RSA_KX]);
    server.cert = test_certificate();
    server.key_exchange = Some(KeyExchangeAnswer(Arc::new(|c| {
        (!conforming_48(&decrypt(c))).then_some(BAD_RECORD_MAC)
    })));
    server.key_exchange_delay = Duration::from_millis(120);
    server.finished_alert = Some(BAD_RECORD_MAC);
    let server = server.start().await;

    let obs = scan(server.port, &config(2000)).await;

    // Then: vulnerable, a weak oracle, seen in the key-exchange-only run and again in its
    // repeat (15 connections): the wait after a lone key exchange follows the server's own
    // answer time, not a fixed bound shorter than it.
    let r = robot(&obs);
    assert_eq!(r.result, Check::Vulnerable, "{}", r.detail);
    assert_eq!(r.oracle, Some(Oracle::Weak));
    assert_eq!(r.connections, 15);
    let flows: Vec<Flow> = r.runs.iter().map(|x| x.flow).collect();
    assert_eq!(
        flows,
        vec![
            Flow::WithFinished,
            Flow::KeyExchangeOnly,
            Flow::KeyExchangeOnly
        ]
    );
    assert!(
        reactions(r, 0)
            .iter()
            .all(|x| x.ends_with("=fatal/bad_record_mac/closed")),
        "{:?}",
        reactions(r, 0)
    );
    let alone = vec![
        "well-formed=/open",
        "wrong-first-bytes=fatal/bad_record_mac/closed",
        "no-separator=fatal/bad_record_mac/closed",
        "separator-misplaced=fatal/bad_record_mac/closed",
        "wrong-version=/open",
    ];
    assert_eq!(reactions(r, 1), alone);
    assert_eq!(reactions(r, 2), alone);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssl_with_rsa_key_exchange_is_not_vulnerable() {
    // Given: openssl s_server, TLS 1.2 only, one RSA key-exchange suite, a 2048-bit RSA key.
    let keys = Keys::new();
    let server = s_server(&[
        "-cert",
        &keys.arg("rsa.pem"),
        "-key",
        &keys.arg("rsa.key"),
        "-tls1_2",
        "-cipher",
        "AES128-GCM-SHA256",
    ]);

    let obs = scan(server.port, &config(2000)).await;

    // Then: not vulnerable: the same answer to all five blocks in both flows; the blocks were
    // encrypted to the 2048-bit key; ten connections.
    let r = robot(&obs);
    eprintln!("{}", serde_json::to_string_pretty(r).expect("json"));
    assert_eq!(r.result, Check::NotVulnerable, "{}", r.detail);
    assert_eq!(r.version, Some(V::TLS1_2));
    assert_eq!(r.modulus_bits, Some(2048));
    assert_eq!(r.connections, 10);
    for run in 0..2 {
        let seen = reactions(r, run);
        let answers: Vec<&str> = seen
            .iter()
            .map(|s| s.split('=').nth(1).unwrap_or(""))
            .collect();
        assert!(answers.iter().all(|a| *a == answers[0]), "{seen:?}");
    }
    // With Finished, OpenSSL fails the Finished record's MAC (RFC 5246 §7.4.7.1 random
    // premaster secret for the malformed blocks, the real one for the well-formed block).
    assert_eq!(
        reactions(r, 0)[0],
        "well-formed=fatal/bad_record_mac/closed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_rsa_key_exchange_is_not_applicable_and_costs_nothing() {
    // Given: a scripted server with only an ECDHE suite.
    let server = scripted(&[0xc02f], |_| Some(BAD_RECORD_MAC)).await;

    let obs = scan(server.port, &config(1000)).await;

    let r = robot(&obs);
    assert_eq!(r.result, Check::NotApplicable, "{}", r.detail);
    assert_eq!(r.connections, 0);
    assert!(r.runs.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_that_change_between_the_two_runs_are_inconclusive() {
    // Given: a server that leaks the strong oracle for its first five key exchanges only,
    // then answers every block alike (noise, a node swap behind a balancer).
    static SEEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let server = scripted(&[RSA_KX], |block| {
        let n = SEEN.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Some(if n >= 5 || block.starts_with(&[0, 2]) {
            BAD_RECORD_MAC
        } else {
            DECRYPT_ERROR
        })
    })
    .await;

    let obs = scan(server.port, &config(1000)).await;

    // Then: neither vulnerable nor safe: inconclusive, with both runs recorded.
    let r = robot(&obs);
    assert_eq!(r.result, Check::Inconclusive, "{}", r.detail);
    assert_eq!(r.oracle, None);
    assert_eq!(r.connections, 10);
    assert_eq!(r.runs.len(), 2);
    assert_ne!(reactions(r, 0), reactions(r, 1));
}

//! Replays the corpus of `fuzz/fuzz_targets/dns_message.rs` (kept under
//! `fixtures/fuzz/dns_message/`: hand-made seeds from `fixtures/fuzz/make_dns_seeds.py`, then
//! what the fuzzer kept, minimised) through the same function, so every input stays a
//! no-panic regression test; and checks that the seeds are read as the probe reads them.

use std::net::IpAddr;

use kensa_probe_dns::{Status, interpret_reply};

fn corpus() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/fuzz/dns_message")
}

#[test]
fn replay_dns_message_corpus() {
    let mut n = 0;
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let _ = interpret_reply(&data);
        n += 1;
    }
    assert!(n >= 20, "the corpus has only {n} inputs");
}

fn seed(name: &str) -> kensa_probe_dns::ReplyFacts {
    let path = corpus().join(name);
    match std::fs::read(&path) {
        Ok(data) => interpret_reply(&data),
        // After `cargo fuzz cmin` a seed may be renamed; the replay above still covers it.
        Err(_) => panic!(
            "seed {} missing: regenerate with make_dns_seeds.py",
            path.display()
        ),
    }
}

#[test]
fn dns_seeds_read_as_the_probe_reads_them() {
    let chain = seed("cname-chain");
    assert!(chain.accepted);
    let a = chain.a.unwrap();
    assert_eq!(a.status, Status::Answer);
    assert_eq!(a.cname_chain.len(), 3);
    assert_eq!(
        a.records[0].address,
        "192.0.2.11".parse::<IpAddr>().unwrap()
    );

    let looped = seed("cname-loop").a.unwrap();
    assert_eq!(looped.status, Status::ChainTooLong);

    let caa = seed("caa-issue").caa;
    assert_eq!(caa[0].issuer_domain.as_deref(), Some("ca.example.net"));

    let https = &seed("https-params").https[0];
    assert_eq!(https.port, Some(8443));
    assert!(https.ech);
    assert_eq!(https.alpn, ["h2", "http/1.1"]);

    assert_eq!(seed("tlsa").tlsa[0].usage, 3);
    assert_eq!(seed("ecs-v4").ecs_scope, Some(24));
    assert_eq!(seed("ns-answer").name_servers.len(), 2);
    assert_eq!(seed("dnskey").dnskey.len(), 2);
    assert!(seed("truncated").truncated);
    assert_eq!(seed("servfail").status, Some(Status::ServFail));
    assert!(seed("soa-answer").apex.is_some());
}

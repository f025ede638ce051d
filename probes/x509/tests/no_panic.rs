//! ~2,000 mutated and truncated DER inputs (certificates and OCSP responses): analysis never
//! panics and always returns an observation.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

mod common;

use common::{SCAN, at, der, test_store};
use kensa_probe_x509::{ChainInput, analyse_chain};

/// xorshift64*: deterministic.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut v = src.to_vec();
    match rng.below(6) {
        0 => v.truncate(rng.below(v.len())),
        1 => {
            for _ in 0..=rng.below(4) {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
        }
        2 => {
            let i = rng.below(v.len());
            v[i] = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff][rng.below(7)];
        }
        3 => {
            let i = rng.below(v.len());
            let n = rng.below(16);
            v.splice(i..i, std::iter::repeat_n(rng.next() as u8, n));
        }
        4 => {
            let i = rng.below(v.len());
            let j = (i + rng.below(64)).min(v.len());
            v.drain(i..j);
        }
        _ => v = (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
    }
    v
}

#[test]
fn never_panics_on_mutated_der() {
    let store = [test_store()];
    let leaf = der("leaf-rsa.pem");
    let inter = der("inter-rsa.pem");
    let ec = der("leaf-ec.pem");
    let nc = der("inter-nc.pem");
    let ocsp = der("ocsp-good.der");
    let mut rng = Rng(0x6b65_6e73_6178_3530);
    let mut n = 0;
    // Every truncation of the leaf's first 200 bytes and of the OCSP response.
    for cut in 0..200 {
        let c = ChainInput {
            label: String::new(),
            certificates: vec![leaf[..cut].to_vec(), inter.clone()],
            ocsp_response: Some(ocsp[..cut.min(ocsp.len())].to_vec()),
        };
        let o = analyse_chain("www.good.test", at(SCAN), &c, &store);
        assert_eq!(o.trust.len(), 1);
        n += 1;
    }
    for i in 0..1_800 {
        let (cert_src, inter_src) = match i % 3 {
            0 => (&leaf, &inter),
            1 => (&ec, &nc),
            _ => (&leaf, &nc),
        };
        let c = ChainInput {
            label: String::new(),
            certificates: vec![
                mutate(&mut rng, cert_src),
                mutate(&mut rng, inter_src),
                inter.clone(),
            ],
            ocsp_response: Some(mutate(&mut rng, &ocsp)),
        };
        let o = analyse_chain("www.good.test", at(SCAN), &c, &store);
        assert_eq!(o.certificates.len(), 3);
        let _ = serde_json_len(&o);
        n += 1;
    }
    assert_eq!(n, 2_000);
}

fn serde_json_len<T: serde::Serialize>(t: &T) -> usize {
    serde_json::to_string(t).map(|s| s.len()).unwrap_or(0)
}

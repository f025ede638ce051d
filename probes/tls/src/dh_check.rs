//! Checks of the finite-field Diffie-Hellman parameters a server sent (issue 19): is the
//! modulus p prime, is it a safe prime (q = (p − 1)/2 prime too), does the generator g
//! generate a large prime-order subgroup, and is the group a known weak or widely shared one.
//!
//! Primality is num-prime's (`is_prime`, Miller–Rabin and strong Lucas: BPSW, no randomness,
//! so the result is the same on every run); the arithmetic is num-bigint's. Nothing here
//! reads past the bytes given, and the work is bounded whatever the server sent: at most
//! [`MAX_PRIME_BITS`] bits are examined, trial division stops at [`TRIAL_DIVISION_LIMIT`],
//! and Pollard's rho at [`RHO_ITERATIONS`] per attempt.
//!
//! Facts used:
//! - a group element's order divides p − 1 (Lagrange); for a safe prime p = 2q + 1 the
//!   orders are 1, 2, q and 2q, and g^q ≡ 1 (mod p) exactly when g's order is q (or 1);
//! - RFC 5114 §2.1–2.3 groups have a generator of prime order q of 160, 224 and 256 bits in
//!   a non-safe prime (so their subgroup is known, but a peer that does not check received
//!   values is open to small-subgroup attacks; Valenta et al., "Measuring small subgroup
//!   attacks against Diffie-Hellman", NDSS 2017);
//! - the widely shared 1024-bit groups (RFC 2409 Oakley group 2, RFC 5114's 1024-bit group)
//!   are those the Logjam authors judged precomputable by a nation-state (Adrian et al.,
//!   "Imperfect Forward Secrecy", CCS 2015).

use num_bigint::BigUint;
use num_integer::Integer;
use num_prime::Primality;
use num_traits::{One, ToPrimitive, Zero};
use serde::{Deserialize, Serialize};

/// The largest modulus examined, bits (RFC 7919's largest group is 8192 bits).
pub const MAX_PRIME_BITS: u64 = 8192;
/// Trial division of p − 1 by the primes below this.
pub const TRIAL_DIVISION_LIMIT: u64 = 1 << 16;
/// Pollard's rho iterations per attempt on what trial division left of p − 1 (finds prime
/// factors up to about 2^34 with good probability).
pub const RHO_ITERATIONS: usize = 1 << 17;
/// Rho attempts (each with another polynomial).
pub const RHO_ATTEMPTS: u64 = 3;
/// A generator's subgroup below this many bits is small: the smallest subgroup a standard
/// group uses is 160 bits (FIPS 186 L = 1024, N = 160; RFC 5114 §2.1).
pub const SMALL_SUBGROUP_BITS: u64 = 160;

/// The order of the generator, as far as it could be established.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum GeneratorOrder {
    /// p is a safe prime and g^q ≡ 1: g generates the subgroup of prime order q.
    PrimeQ {
        /// Bits of q.
        bits: u64,
    },
    /// p is a safe prime and g generates the whole group, of order 2q (one bit of the
    /// shared secret leaks through the Legendre symbol, the rest is q-hard).
    FullGroup {
        /// Bits of 2q.
        bits: u64,
    },
    /// The group is a published one whose subgroup order is known.
    KnownGroup {
        /// Bits of the subgroup's order.
        bits: u64,
    },
    /// The order was found exactly from the factors of p − 1 found by trial division and
    /// Pollard's rho.
    Found {
        /// Bits of the order.
        bits: u64,
        /// The order, decimal (it is small enough to show).
        order: String,
    },
    /// The order could not be established (p − 1 has a factor beyond the search, or p is not
    /// prime).
    Unknown,
}

/// What the checks found about one set of DHE parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DhCheck {
    /// p passed a probable-prime test (BPSW). False: the modulus is composite, and the
    /// discrete logarithm falls apart along its factors.
    pub prime_is_probable_prime: bool,
    /// p is a safe prime: (p − 1)/2 is prime too.
    pub safe_prime: bool,
    /// The order of g.
    pub generator_order: GeneratorOrder,
    /// g generates a subgroup of large prime order (≥ [`SMALL_SUBGROUP_BITS`] bits): true
    /// for a safe prime with g of order q or 2q, or a known group; false when the order was
    /// found small or g is 0, 1 or p − 1; absent when it could not be established.
    pub large_prime_order_subgroup: Option<bool>,
    /// The generator lies in a small subgroup (order below [`SMALL_SUBGROUP_BITS`] bits,
    /// including g ∈ {1, p − 1}).
    pub small_subgroup_generator: bool,
    /// A known weak or widely shared group, with why (`rfc5114`, `shared-1024-bit`).
    pub weak_group: Option<String>,
    /// Whether the checks ran on the whole prime (false past [`MAX_PRIME_BITS`]).
    pub checked: bool,
}

fn bits(n: &BigUint) -> u64 {
    n.bits()
}

fn probable_prime(n: &BigUint) -> bool {
    !matches!(num_prime::nt_funcs::is_prime(n, None), Primality::No)
}

/// The subgroup order bits of the published groups whose generator's order is known and not
/// (p − 1)/2 — RFC 5114 §2.1–2.3 — by [`crate::dh_groups`] name.
fn known_order_bits(name: &str) -> Option<u64> {
    match name {
        "rfc5114-1024-160" => Some(160),
        "rfc5114-2048-224" => Some(224),
        "rfc5114-2048-256" => Some(256),
        _ => None,
    }
}

/// Why a known group is weak or too widely shared, if it is.
fn weak_reason(name: &str, prime_bits: u64) -> Option<String> {
    if name.starts_with("rfc5114-") {
        return Some(
            "rfc5114: non-safe prime with a small published subgroup (small-subgroup attacks \
             on peers that do not validate; NDSS 2017)"
                .to_owned(),
        );
    }
    if prime_bits <= 1024 {
        return Some(format!(
            "shared-{prime_bits}-bit: a widely shared group of {prime_bits} bits, judged \
             precomputable (Logjam, CCS 2015)"
        ));
    }
    None
}

/// Check the DH parameters `p` and `g` (big-endian bytes as sent); `known` is the published
/// group's name ([`crate::dh_groups::well_known`]), if any.
pub fn check(p: &[u8], g: &[u8], known: Option<&str>) -> DhCheck {
    let p = BigUint::from_bytes_be(p);
    let g = BigUint::from_bytes_be(g);
    let prime_bits = bits(&p);
    let weak_group = known.and_then(|n| weak_reason(n, prime_bits));
    let mut out = DhCheck {
        prime_is_probable_prime: false,
        safe_prime: false,
        generator_order: GeneratorOrder::Unknown,
        large_prime_order_subgroup: None,
        small_subgroup_generator: false,
        weak_group,
        checked: false,
    };
    if !(3..=MAX_PRIME_BITS).contains(&prime_bits) {
        return out;
    }
    out.checked = true;
    let one = BigUint::one();
    let p_minus_1 = &p - &one;
    // g outside 2 ..= p − 2: order 1 or 2 (or not an element at all).
    if g <= one || g >= p_minus_1 {
        out.prime_is_probable_prime = probable_prime(&p);
        out.small_subgroup_generator = true;
        out.large_prime_order_subgroup = Some(false);
        return out;
    }
    out.prime_is_probable_prime = probable_prime(&p);
    if !out.prime_is_probable_prime {
        return out;
    }
    let q: BigUint = &p_minus_1 >> 1;
    if let Some(order_bits) = known.and_then(known_order_bits) {
        out.generator_order = GeneratorOrder::KnownGroup { bits: order_bits };
        out.large_prime_order_subgroup = Some(order_bits >= SMALL_SUBGROUP_BITS);
        return out;
    }
    out.safe_prime = probable_prime(&q);
    if out.safe_prime {
        // Orders possible: q or 2q (1 and 2 were excluded above).
        out.generator_order = if g.modpow(&q, &p).is_one() {
            GeneratorOrder::PrimeQ { bits: bits(&q) }
        } else {
            GeneratorOrder::FullGroup {
                bits: bits(&p_minus_1),
            }
        };
        out.large_prime_order_subgroup = Some(bits(&q) >= SMALL_SUBGROUP_BITS);
        return out;
    }
    // Not a safe prime: factor what can be factored of p − 1 and see whether g's order lies
    // within the factors found.
    let factors = small_factors(&p_minus_1);
    let smooth: BigUint = factors.iter().fold(BigUint::one(), |acc, (f, e)| {
        acc * f.pow(u32::try_from(*e).unwrap_or(u32::MAX))
    });
    if !g.modpow(&smooth, &p).is_one() {
        return out;
    }
    let mut order = smooth;
    for (f, _) in &factors {
        while order.is_multiple_of(f) {
            let smaller = &order / f;
            if g.modpow(&smaller, &p).is_one() {
                order = smaller;
            } else {
                break;
            }
        }
    }
    let order_bits = bits(&order);
    out.small_subgroup_generator = order_bits < SMALL_SUBGROUP_BITS;
    out.large_prime_order_subgroup =
        Some(order_bits >= SMALL_SUBGROUP_BITS && probable_prime(&order));
    out.generator_order = GeneratorOrder::Found {
        bits: order_bits,
        order: order.to_string(),
    };
    out
}

/// Prime factors (with multiplicity) of `n` found by trial division below
/// [`TRIAL_DIVISION_LIMIT`] and a few bounded rounds of Pollard's rho on the rest.
fn small_factors(n: &BigUint) -> Vec<(BigUint, usize)> {
    let primes = num_prime::nt_funcs::primes(TRIAL_DIVISION_LIMIT);
    let (found, rest) = num_prime::factor::trial_division(
        primes.into_iter(),
        n.clone(),
        Some(TRIAL_DIVISION_LIMIT),
    );
    let mut out: Vec<(BigUint, usize)> = found
        .into_iter()
        .map(|(f, e)| (BigUint::from(f), e))
        .collect();
    let mut rest = match rest {
        Ok(r) | Err(r) => r,
    };
    let mut attempt = 0;
    while attempt < RHO_ATTEMPTS && !rest.is_one() && !rest.is_zero() && !probable_prime(&rest) {
        let (factor, _) = num_prime::factor::pollard_rho(
            &rest,
            BigUint::from(2u8 + u8::try_from(attempt).unwrap_or(0)),
            BigUint::from(1u8 + u8::try_from(attempt).unwrap_or(0)),
            RHO_ITERATIONS,
        );
        match factor.filter(|f| !f.is_one() && *f != rest) {
            Some(f) if probable_prime(&f) => {
                let mut e = 0;
                while rest.is_multiple_of(&f) {
                    rest /= &f;
                    e += 1;
                }
                out.push((f, e));
            }
            // A composite factor or none: try another polynomial.
            _ => attempt += 1,
        }
    }
    // A prime cofactor completes the factorisation (e.g. p − 1 = 2 · q · prime).
    if !rest.is_one() && probable_prime(&rest) {
        out.push((rest, 1));
    }
    out
}

/// The order as a `u64` when it fits (tests and summaries).
pub fn order_u64(c: &DhCheck) -> Option<u64> {
    match &c.generator_order {
        GeneratorOrder::Found { order, .. } => order.parse::<BigUint>().ok()?.to_u64(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(parts: &[&str]) -> Vec<u8> {
        let h: String = parts.concat();
        let h = if h.len() % 2 == 1 { format!("0{h}") } else { h };
        (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 7919 §A.1 ffdhe2048, g = 2: a safe prime; 2 generates the subgroup of order q.
    const FFDHE2048: &str = "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F619172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA886B423861285C97FFFFFFFFFFFFFFFF";

    /// p = 2 · q · k + 1 with q = 2147520821 (a 32-bit prime) and k a 2015-bit prime; g = 3^(2k)
    /// has order q. Generated for this test (Python, seed 19, Miller–Rabin with 24 rounds).
    pub(crate) const P_SMALL_ORDER: [&str; 7] = [
        "5e1d34cca5236ee0cb75f20f34d9f06163e9402112527b05f8ead63ce10f2f80068c42ab64720ac9",
        "e569eaa27327077dad30afefd69930767661df450ff23005af9f4d985693daf21c1c85b33fbaa3bc",
        "864b62b43f74f43fd15bf16dbd4ea0aa930fff983f46e6e200d2a9ee2602bb324eb0de133d5b4ba2",
        "7e7be3c49e19007c2436e8bb97c4d99f2b2d82fb894b135c9abd01f24e4149bd6125c6673791db6d",
        "03808dc5ed681bd21f92a8ebb45c5730671df80bfda9f1b32e87f1540258daf35fb7435f0d454e5c",
        "eda81262656e00532be1aede889904ca2c16d45b7a1333ca583d28f362f5ba6319680c5bde7bfb81",
        "73863593b6e061fc804265f4164380ef",
    ];
    pub(crate) const G_SMALL_ORDER: [&str; 7] = [
        "305f58669ea1283f5824c0cfd3ecd4b5738b3e6ca93da59d7565efb224d4e6519f480a09c634bea9",
        "2338a3261e6b099c71d9b5bfbcd8e47374f4a4bde6d993930625432d0ebcbbef947e50717aad6fd1",
        "b86e03346d628b0e15d5c1a3ec1dcb54d69f71dc68528856e52dcbed982e6bb1dbbad0009e0358c1",
        "361d74aa71cbe805862536dd30083eb6fe47aa8e38398b6ac9ef182a8f53ae6b402e99d577e83093",
        "e4758601d8970d74a1ad070759043cb48ec43467a4c144e2c25fbcf49f587627173e0361e6b521bf",
        "973de312deb076d087fd382f416a1b2c3d02fcc7c2c9630f95fc22f9159b95313318ff07e4e084f9",
        "c051ae717420b932a1d426671de14086",
    ];
    /// The product of two 1024-bit primes: a composite 2048-bit modulus.
    pub(crate) const P_COMPOSITE: [&str; 7] = [
        "a204acdfff10992cac8ef86e9a55f012d967db224c57d00308bcbf8e887edee60504ffcf60f949f3",
        "b405ac13db99320531d93d917fb6d435b8e9a1bcc01514e957c6283693c13be23d3a3fd7cbb6cd1f",
        "421260b90cf65a2a6fb60f46bd8274d2101dc0afa11a0d693da775862afb7ca3a36c4b4c8ac3d68c",
        "f93d04af0d620c26bfda8c943517c31f7e9cad38f9203df886d23dee7af509fad529052c9c87d1f0",
        "c4c53e03e09394243be72038d9aae2c7b37941e42dcaf9ca08960f1a20a4c001b530a76774cffa77",
        "381bd150227e321896026d0062151f9d57f4826d2cf4753920418d519d25847cbc2c2bb80d1d1491",
        "fc63c094cabc4719352c86999058944f",
    ];

    #[test]
    fn ffdhe2048_is_a_safe_prime_with_a_prime_order_generator() {
        let p = unhex(&[FFDHE2048]);
        let c = check(&p, &[2], Some("rfc7919-ffdhe2048"));
        assert!(c.checked);
        assert!(c.prime_is_probable_prime);
        assert!(c.safe_prime);
        assert_eq!(c.generator_order, GeneratorOrder::PrimeQ { bits: 2047 });
        assert_eq!(c.large_prime_order_subgroup, Some(true));
        assert!(!c.small_subgroup_generator);
        assert_eq!(c.weak_group, None);
        // g = p − 1 has order 2.
        let mut g = p.clone();
        *g.last_mut().unwrap() -= 1;
        let c = check(&p, &g, None);
        assert!(c.small_subgroup_generator);
        assert_eq!(c.large_prime_order_subgroup, Some(false));
        // g = 1.
        assert!(check(&p, &[1], None).small_subgroup_generator);
    }

    #[test]
    fn a_composite_modulus_is_not_prime() {
        let p = unhex(&P_COMPOSITE);
        assert_eq!(p.len() * 8, 2048);
        let c = check(&p, &[2], None);
        assert!(c.checked);
        assert!(!c.prime_is_probable_prime);
        assert!(!c.safe_prime);
        assert_eq!(c.generator_order, GeneratorOrder::Unknown);
        assert_eq!(c.large_prime_order_subgroup, None);
    }

    #[test]
    fn a_generator_of_order_about_2_to_the_31_is_found_small() {
        let p = unhex(&P_SMALL_ORDER);
        let g = unhex(&G_SMALL_ORDER);
        let c = check(&p, &g, None);
        assert!(c.prime_is_probable_prime);
        assert!(!c.safe_prime);
        assert_eq!(
            c.generator_order,
            GeneratorOrder::Found {
                bits: 32,
                order: "2147520821".to_owned()
            }
        );
        assert_eq!(order_u64(&c), Some(2147520821));
        assert!(c.small_subgroup_generator);
        assert_eq!(c.large_prime_order_subgroup, Some(false));
    }

    #[test]
    fn rfc5114_and_shared_1024_bit_groups_are_named_weak() {
        let p = unhex(&[FFDHE2048]);
        let c = check(&p, &[2], Some("rfc5114-2048-224"));
        assert_eq!(c.generator_order, GeneratorOrder::KnownGroup { bits: 224 });
        assert_eq!(c.large_prime_order_subgroup, Some(true));
        assert!(c.weak_group.unwrap().starts_with("rfc5114:"));
        assert_eq!(
            weak_reason("rfc2409-oakley-group2", 1024)
                .unwrap()
                .split(':')
                .next(),
            Some("shared-1024-bit")
        );
        assert_eq!(weak_reason("rfc3526-modp2048", 2048), None);
    }

    #[test]
    fn oversized_or_tiny_moduli_are_not_examined() {
        let big = vec![0xff; 1025];
        let c = check(&big, &[2], None);
        assert!(!c.checked);
        assert!(!c.prime_is_probable_prime);
        assert!(!check(&[], &[2], None).checked);
        assert!(!check(&[3], &[], None).checked);
    }
}

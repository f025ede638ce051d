//! Well-known finite-field Diffie-Hellman groups, recognised by the SHA-256 of their prime.
//!
//! A server using a published group is not weaker for it at 2048 bits and up, but the common
//! 1024-bit primes are the ones the Logjam authors judged precomputable by a nation-state
//! (Adrian et al., "Imperfect Forward Secrecy", 2015), so evaluators want the name.
//!
//! The hashes are of the big-endian prime without leading zero bytes. They were computed
//! (see `fixtures/tls/README.md`, "DH group table") from:
//! - RFC 7919 §A.1–A.5 (ffdhe2048 … ffdhe8192), RFC 3526 §2–7 (MODP 1536 … 8192),
//!   RFC 5114 §2.1–2.3: exported by `openssl genpkey -genparam -algorithm DH -pkeyopt group:NAME`
//!   (OpenSSL 3.0.19) for NAME in ffdhe*, modp_*, dh_1024_160, dh_2048_224, dh_2048_256;
//! - RFC 2409 §6.1–6.2 (Oakley groups 1 and 2, 768 and 1024 bits): from the RFC's formula
//!   `2^b − 2^(b−64) − 1 + 2^64 · (⌊2^(b−130) π⌋ + c)`, the same computation reproducing the
//!   RFC 3526 2048-bit prime exactly as a check.

/// (name, prime bits, SHA-256 of the prime).
const GROUPS: &[(&str, usize, &str)] = &[
    (
        "rfc2409-oakley-group1",
        768,
        "b52ba6a3026520a6c49d37e4587601801bee500123b3259b6bf03e7cecc3e63d",
    ),
    (
        "rfc2409-oakley-group2",
        1024,
        "3f35a3f5f6c4376a744acad409bb22f8d897f949d2311d885adaa890981b67a0",
    ),
    (
        "rfc3526-modp1536",
        1536,
        "64fcc83ec403930bf18393dbc883ccaa1fbb08ac876f77f7aa99748ca945019b",
    ),
    (
        "rfc3526-modp2048",
        2048,
        "d66436f79bbd6b2e38c0ffbd079be904d2641415e2e67140e09448be9a60890e",
    ),
    (
        "rfc3526-modp3072",
        3072,
        "48cf8b092fbce4359d9871abf74f98e25b6163379eaa15cd9087e800c6d1c55c",
    ),
    (
        "rfc3526-modp4096",
        4096,
        "4ee95187682bcb230ad26a95205f6920e84708f6251b3894329b09ec23919e33",
    ),
    (
        "rfc3526-modp6144",
        6144,
        "d1bfe6d0925ce7e4da262b62861514a7755e35831e429f343e7b864848657efd",
    ),
    (
        "rfc3526-modp8192",
        8192,
        "39ab4feab950a3128fb71accb9fc3965d857012e081998a85996e3ea8b3c3bcf",
    ),
    (
        "rfc5114-1024-160",
        1024,
        "44c55cfee5c075927cf682da5b681bdecbd5c3eb0784c14f5dce7610f0ef133d",
    ),
    (
        "rfc5114-2048-224",
        2048,
        "bfe545862ca102ad1eeddb5fbfa5bf855ac4995c56a8b408ce3fe099dce93a9d",
    ),
    (
        "rfc5114-2048-256",
        2048,
        "0b7835722cb619827610c2549fdda5587421686c4409a13865e76225522ddcc9",
    ),
    (
        "rfc7919-ffdhe2048",
        2048,
        "9cd3b7f336872f46c09428d1bbc19877a4d440512cda8d1c1cf0cd6e33698966",
    ),
    (
        "rfc7919-ffdhe3072",
        3072,
        "0eaf67db3a839156d5013494a5318a772b5697d270d721f37f092efc69ea5a17",
    ),
    (
        "rfc7919-ffdhe4096",
        4096,
        "4648414224ac881b3d0dc59b466f96d06a558278776807797ecf1f66ff397b3e",
    ),
    (
        "rfc7919-ffdhe6144",
        6144,
        "227ac9066b3ddd9e193670cda2388fa884f65ba0cf98b742d1fe77a6687c79c7",
    ),
    (
        "rfc7919-ffdhe8192",
        8192,
        "770b14efaf6f049929c523113b3fa99a8d11dab1b18af3609590122075d19833",
    ),
];

/// The name of the published group whose prime is `prime` (big-endian; leading zero bytes
/// ignored), if any.
pub fn well_known(prime: &[u8]) -> Option<&'static str> {
    let start = prime.iter().position(|b| *b != 0).unwrap_or(prime.len());
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        prime.get(start..).unwrap_or_default(),
    );
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    GROUPS
        .iter()
        .find(|(_, _, h)| *h == hex)
        .map(|(name, _, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_rfc3526_2048_bit_prime_and_nothing_else() {
        // RFC 3526 §3, the 2048-bit MODP group's prime.
        let p = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";
        let bytes: Vec<u8> = (0..p.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&p[i..i + 2], 16).unwrap())
            .collect();
        assert_eq!(well_known(&bytes), Some("rfc3526-modp2048"));
        let mut with_zero = vec![0u8];
        with_zero.extend_from_slice(&bytes);
        assert_eq!(well_known(&with_zero), Some("rfc3526-modp2048"));
        let mut other = bytes.clone();
        other[100] ^= 1;
        assert_eq!(well_known(&other), None);
        assert_eq!(well_known(&[]), None);
    }

    #[test]
    fn table_is_consistent() {
        for (name, bits, hash) in GROUPS {
            assert_eq!(hash.len(), 64, "{name}");
            assert!(
                name.contains(&bits.to_string()) || name.contains("oakley"),
                "{name}"
            );
        }
    }
}

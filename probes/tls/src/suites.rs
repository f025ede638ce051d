//! Registry facts: the cipher-suite table, SSL 2.0 cipher kinds, and key-exchange groups.
//!
//! The cipher-suite table is generated from `data/cipher-suites.tsv` (whose header cites its
//! sources: the IANA TLS Cipher Suites registry, tls-parser's facts table, OpenSSL's names)
//! into the checked-in `src/suites_table.rs`. The test `suites_table_matches_tsv` proves the two
//! agree; run it with `KENSA_REGEN=1` to rewrite the generated file after editing the TSV.

use serde::Serialize;

use crate::codec::{CipherSuite, NamedGroup, ProtocolVersion, Ssl2CipherKind};

/// Key-exchange algorithm of a cipher suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KeyExchange {
    /// No key exchange (TLS_NULL_WITH_NULL_NULL and the SCSVs).
    Null,
    /// RSA key transport: the client encrypts the premaster secret to the server's key.
    Rsa,
    /// Static Diffie-Hellman (the server's certificate holds the DH key).
    Dh,
    /// Ephemeral Diffie-Hellman.
    Dhe,
    /// Static elliptic-curve Diffie-Hellman.
    Ecdh,
    /// Ephemeral elliptic-curve Diffie-Hellman.
    Ecdhe,
    /// Pre-shared key only.
    Psk,
    /// Secure Remote Password (RFC 5054).
    Srp,
    /// Kerberos 5 (RFC 2712).
    Krb5,
    /// ECCPWD password-based exchange (RFC 8492).
    Eccpwd,
    /// GOST R 34.10-2012 VKO key transport (RFC 9189).
    Gost,
    /// Not fixed by the suite (TLS 1.3: negotiated through key_share).
    Any,
}

/// Authentication algorithm of a cipher suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Authentication {
    /// None at all (TLS_NULL_WITH_NULL_NULL and the SCSVs).
    Null,
    /// Anonymous: no server authentication (`_anon_` suites).
    Anon,
    /// RSA signature or key transport.
    Rsa,
    /// DSA (DSS) signature.
    Dss,
    /// ECDSA signature.
    Ecdsa,
    /// Pre-shared key.
    Psk,
    /// SRP password.
    Srp,
    /// SRP with an RSA-signed server key exchange.
    SrpRsa,
    /// SRP with a DSS-signed server key exchange.
    SrpDss,
    /// Kerberos 5.
    Krb5,
    /// ECCPWD password.
    Eccpwd,
    /// GOST R 34.10-2012 signature.
    Gost,
    /// Not fixed by the suite (TLS 1.3: negotiated through signature_algorithms).
    Any,
}

/// Bulk cipher of a cipher suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Cipher {
    /// No encryption.
    Null,
    /// RC4 stream cipher.
    Rc4,
    /// RC2 block cipher.
    Rc2,
    /// Single DES (or 40-bit export DES).
    Des,
    /// Triple DES (EDE).
    #[serde(rename = "3DES")]
    TripleDes,
    /// IDEA.
    Idea,
    /// AES.
    Aes,
    /// Camellia.
    Camellia,
    /// ARIA.
    Aria,
    /// SEED.
    Seed,
    /// ChaCha20.
    Chacha20,
    /// SM4.
    Sm4,
    /// AEGIS-256.
    #[serde(rename = "AEGIS-256")]
    Aegis256,
    /// AEGIS-128L.
    #[serde(rename = "AEGIS-128L")]
    Aegis128L,
    /// GOST R 34.12-2015 Kuznyechik.
    Kuznyechik,
    /// GOST R 34.12-2015 Magma.
    Magma,
    /// GOST 28147-89.
    Gost28147,
}

/// Mode of operation of the bulk cipher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CipherMode {
    /// No encryption.
    #[serde(rename = "NULL")]
    Null,
    /// A stream cipher (RC4).
    #[serde(rename = "stream")]
    Stream,
    /// Cipher block chaining (MAC-then-encrypt unless encrypt_then_mac is negotiated).
    #[serde(rename = "CBC")]
    Cbc,
    /// Galois/counter mode (AEAD).
    #[serde(rename = "GCM")]
    Gcm,
    /// Counter with CBC-MAC, 16-byte tag (AEAD).
    #[serde(rename = "CCM")]
    Ccm,
    /// Counter with CBC-MAC, 8-byte tag (AEAD).
    #[serde(rename = "CCM8")]
    Ccm8,
    /// ChaCha20-Poly1305 (AEAD, RFC 7905).
    #[serde(rename = "ChaCha20-Poly1305")]
    ChaCha20Poly1305,
    /// AEGIS (AEAD).
    #[serde(rename = "AEGIS")]
    Aegis,
    /// Multilinear Galois mode (AEAD, GOST, RFC 9367).
    #[serde(rename = "MGM")]
    Mgm,
    /// CTR with OMAC (GOST, RFC 9189).
    #[serde(rename = "CTR_OMAC")]
    CtrOmac,
    /// GOST 28147-89 counter mode with IMIT (RFC 9189).
    #[serde(rename = "CNT_IMIT")]
    CntImit,
}

/// Record MAC of a cipher suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mac {
    /// No MAC.
    Null,
    /// HMAC-MD5.
    Md5,
    /// HMAC-SHA1.
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA384.
    Sha384,
    /// Integrity comes from the AEAD mode.
    Aead,
    /// OMAC (GOST).
    Omac,
    /// GOST 28147-89 IMIT.
    Imit,
}

/// Whether a code point is assigned in the IANA registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistryStatus {
    /// Assigned in the IANA registry.
    Iana,
    /// Reserved by IANA but used by deployed software (the EXPORT1024 suites 0x0060-0x0066).
    Historic,
}

/// Facts about one cipher suite. One row of `data/cipher-suites.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SuiteInfo {
    /// The code point.
    pub suite: CipherSuite,
    /// IANA registry name.
    pub iana_name: &'static str,
    /// OpenSSL's name, when OpenSSL has (or had) one.
    pub openssl_name: Option<&'static str>,
    /// Key exchange.
    pub kx: KeyExchange,
    /// Authentication.
    pub auth: Authentication,
    /// Bulk cipher.
    pub cipher: Cipher,
    /// Key size of the bulk cipher in bits (effective bits for export suites, 168 for 3DES,
    /// 0 for NULL).
    pub key_bits: u16,
    /// Mode of operation.
    pub mode: CipherMode,
    /// Record MAC ([`Mac::Aead`] for AEAD modes).
    pub mac: Mac,
    /// True for AEAD modes (GCM, CCM, CCM8, ChaCha20-Poly1305, AEGIS, MGM).
    pub aead: bool,
    /// True when the key exchange is ephemeral (DHE, ECDHE, TLS 1.3, ECCPWD, SRP).
    pub forward_secrecy: bool,
    /// True for export-grade suites (including EXPORT1024).
    pub export: bool,
    /// The lowest protocol version that can negotiate the suite (see the TSV header).
    pub min_version: ProtocolVersion,
    /// Registry status.
    pub status: RegistryStatus,
    /// Defining documents, comma-separated (e.g. `rfc5246`).
    pub reference: &'static str,
}

/// Every cipher suite this crate knows, sorted by code point.
pub static CIPHER_SUITES: &[SuiteInfo] = crate::suites_table::CIPHER_SUITES;

/// Facts about `suite`, or `None` when it is not in the table (unknown or GREASE).
pub fn suite_info(suite: CipherSuite) -> Option<&'static SuiteInfo> {
    CIPHER_SUITES
        .binary_search_by_key(&suite, |i| i.suite)
        .ok()
        .and_then(|i| CIPHER_SUITES.get(i))
}

/// Facts about one SSL 2.0 cipher kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ssl2CipherInfo {
    /// The 3-byte code.
    pub kind: Ssl2CipherKind,
    /// OpenSSL's (pre-1.1.0) name.
    pub openssl_name: &'static str,
    /// Bulk cipher.
    pub cipher: Cipher,
    /// Secret key bits (40 for the export kinds, 56 for DES, 168 for 3DES).
    pub key_bits: u16,
    /// True for the EXPORT40 kinds.
    pub export: bool,
}

/// The seven SSL 2.0 cipher kinds (draft-hickman-netscape-ssl-00 Appendix C; RFC 6101
/// Appendix E), all with an MD5 MAC.
pub static SSL2_CIPHER_KINDS: &[Ssl2CipherInfo] = &[
    ssl2(
        Ssl2CipherKind::RC4_128_WITH_MD5,
        "RC4-MD5",
        Cipher::Rc4,
        128,
        false,
    ),
    ssl2(
        Ssl2CipherKind::RC4_128_EXPORT40_WITH_MD5,
        "EXP-RC4-MD5",
        Cipher::Rc4,
        40,
        true,
    ),
    ssl2(
        Ssl2CipherKind::RC2_128_CBC_WITH_MD5,
        "RC2-CBC-MD5",
        Cipher::Rc2,
        128,
        false,
    ),
    ssl2(
        Ssl2CipherKind::RC2_128_CBC_EXPORT40_WITH_MD5,
        "EXP-RC2-CBC-MD5",
        Cipher::Rc2,
        40,
        true,
    ),
    ssl2(
        Ssl2CipherKind::IDEA_128_CBC_WITH_MD5,
        "IDEA-CBC-MD5",
        Cipher::Idea,
        128,
        false,
    ),
    ssl2(
        Ssl2CipherKind::DES_64_CBC_WITH_MD5,
        "DES-CBC-MD5",
        Cipher::Des,
        56,
        false,
    ),
    ssl2(
        Ssl2CipherKind::DES_192_EDE3_CBC_WITH_MD5,
        "DES-CBC3-MD5",
        Cipher::TripleDes,
        168,
        false,
    ),
];

const fn ssl2(
    kind: Ssl2CipherKind,
    openssl_name: &'static str,
    cipher: Cipher,
    key_bits: u16,
    export: bool,
) -> Ssl2CipherInfo {
    Ssl2CipherInfo {
        kind,
        openssl_name,
        cipher,
        key_bits,
        export,
    }
}

/// Facts about an SSL 2.0 cipher kind, or `None` when unknown.
pub fn ssl2_cipher_info(kind: Ssl2CipherKind) -> Option<&'static Ssl2CipherInfo> {
    SSL2_CIPHER_KINDS.iter().find(|i| i.kind == kind)
}

/// What kind of key exchange a group performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupKind {
    /// ECDH over a binary-field curve (sect*, deprecated by RFC 8422).
    BinaryCurve,
    /// ECDH over a prime-field Weierstrass curve (secp*, brainpool, GOST, SM2).
    PrimeCurve,
    /// X25519 / X448 (RFC 7748).
    Montgomery,
    /// Finite-field DH with an RFC 7919 group.
    FiniteField,
    /// ML-KEM alone (FIPS 203).
    MlKem,
    /// A hybrid of ECDH and ML-KEM (or the pre-standard Kyber drafts).
    Hybrid,
    /// Explicit curve parameters sent in ServerKeyExchange (RFC 8422 deprecated).
    Explicit,
    /// A GREASE value (RFC 8701).
    Grease,
}

/// Facts about one supported group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GroupInfo {
    /// The group.
    pub group: NamedGroup,
    /// Its kind.
    pub kind: GroupKind,
    /// Length in bytes of a *client* key_share for this group (uncompressed point, raw
    /// X25519/X448 key, FFDHE public value, ML-KEM encapsulation key, or the concatenation
    /// for hybrids per draft-ietf-tls-ecdhe-mlkem), when the group can be used in TLS 1.3.
    pub client_share_len: Option<usize>,
    /// True when the group may be negotiated in TLS 1.3 (RFC 8446 section 4.2.7 and later
    /// registrations); the TLS 1.2-only curves are `false`.
    pub tls13: bool,
}

const fn g(
    group: NamedGroup,
    kind: GroupKind,
    client_share_len: Option<usize>,
    tls13: bool,
) -> GroupInfo {
    GroupInfo {
        group,
        kind,
        client_share_len,
        tls13,
    }
}

/// The IANA TLS Supported Groups registry (plus the Kyber drafts still seen on the wire).
pub static GROUPS: &[GroupInfo] = {
    use GroupKind::*;
    use NamedGroup as N;
    &[
        g(N::SECT163K1, BinaryCurve, None, false),
        g(N::SECT163R1, BinaryCurve, None, false),
        g(N::SECT163R2, BinaryCurve, None, false),
        g(N::SECT193R1, BinaryCurve, None, false),
        g(N::SECT193R2, BinaryCurve, None, false),
        g(N::SECT233K1, BinaryCurve, None, false),
        g(N::SECT233R1, BinaryCurve, None, false),
        g(N::SECT239K1, BinaryCurve, None, false),
        g(N::SECT283K1, BinaryCurve, None, false),
        g(N::SECT283R1, BinaryCurve, None, false),
        g(N::SECT409K1, BinaryCurve, None, false),
        g(N::SECT409R1, BinaryCurve, None, false),
        g(N::SECT571K1, BinaryCurve, None, false),
        g(N::SECT571R1, BinaryCurve, None, false),
        g(N::SECP160K1, PrimeCurve, None, false),
        g(N::SECP160R1, PrimeCurve, None, false),
        g(N::SECP160R2, PrimeCurve, None, false),
        g(N::SECP192K1, PrimeCurve, None, false),
        g(N::SECP192R1, PrimeCurve, None, false),
        g(N::SECP224K1, PrimeCurve, None, false),
        g(N::SECP224R1, PrimeCurve, None, false),
        g(N::SECP256K1, PrimeCurve, None, false),
        g(N::SECP256R1, PrimeCurve, Some(65), true),
        g(N::SECP384R1, PrimeCurve, Some(97), true),
        g(N::SECP521R1, PrimeCurve, Some(133), true),
        g(N::BRAINPOOLP256R1, PrimeCurve, None, false),
        g(N::BRAINPOOLP384R1, PrimeCurve, None, false),
        g(N::BRAINPOOLP512R1, PrimeCurve, None, false),
        g(N::X25519, Montgomery, Some(32), true),
        g(N::X448, Montgomery, Some(56), true),
        g(N::BRAINPOOLP256R1_TLS13, PrimeCurve, Some(65), true),
        g(N::BRAINPOOLP384R1_TLS13, PrimeCurve, Some(97), true),
        g(N::BRAINPOOLP512R1_TLS13, PrimeCurve, Some(129), true),
        // GOST curves (RFC 9189, RFC 9367): key_share is X||Y, little-endian, no prefix.
        g(N::GC256A, PrimeCurve, Some(64), true),
        g(N::GC256B, PrimeCurve, Some(64), true),
        g(N::GC256C, PrimeCurve, Some(64), true),
        g(N::GC256D, PrimeCurve, Some(64), true),
        g(N::GC512A, PrimeCurve, Some(128), true),
        g(N::GC512B, PrimeCurve, Some(128), true),
        g(N::GC512C, PrimeCurve, Some(128), true),
        g(N::CURVE_SM2, PrimeCurve, Some(65), true),
        g(N::FFDHE2048, FiniteField, Some(256), true),
        g(N::FFDHE3072, FiniteField, Some(384), true),
        g(N::FFDHE4096, FiniteField, Some(512), true),
        g(N::FFDHE6144, FiniteField, Some(768), true),
        g(N::FFDHE8192, FiniteField, Some(1024), true),
        // ML-KEM (FIPS 203) encapsulation keys: 800 / 1184 / 1568 bytes.
        g(N::MLKEM512, MlKem, Some(800), true),
        g(N::MLKEM768, MlKem, Some(1184), true),
        g(N::MLKEM1024, MlKem, Some(1568), true),
        // draft-ietf-tls-ecdhe-mlkem: P-256 point || ML-KEM-768 key; ML-KEM-768 key || X25519
        // key; P-384 point || ML-KEM-1024 key.
        g(N::SECP256R1_MLKEM768, Hybrid, Some(65 + 1184), true),
        g(N::X25519_MLKEM768, Hybrid, Some(1184 + 32), true),
        g(N::SECP384R1_MLKEM1024, Hybrid, Some(97 + 1568), true),
        // draft-tls-westerbaan-xyber768d00: X25519 || Kyber768 (1184 bytes).
        g(N::X25519_KYBER768_DRAFT00, Hybrid, Some(32 + 1184), true),
        g(N::SECP256R1_KYBER768_DRAFT00, Hybrid, Some(65 + 1184), true),
        g(N::ARBITRARY_EXPLICIT_PRIME_CURVES, Explicit, None, false),
        g(N::ARBITRARY_EXPLICIT_CHAR2_CURVES, Explicit, None, false),
    ]
};

/// Facts about `group`. GREASE values get a synthetic [`GroupKind::Grease`] entry; unknown
/// groups give `None`.
pub fn group_info(group: NamedGroup) -> Option<GroupInfo> {
    if group.is_grease() {
        return Some(g(group, GroupKind::Grease, Some(1), true));
    }
    GROUPS.iter().find(|i| i.group == group).copied()
}

/// The 16 GREASE values of RFC 8701 (used in cipher suites, groups, extensions, versions and
/// signature schemes).
pub const GREASE_VALUES: [u16; 16] = [
    0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba,
    0xcaca, 0xdada, 0xeaea, 0xfafa,
];

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = include_str!("../data/cipher-suites.tsv");
    const GENERATED: &str = include_str!("suites_table.rs");

    fn variant(col: &str, v: &str) -> String {
        let s = match (col, v) {
            (_, "NULL") => "Null",
            (_, "ANY") => "Any",
            ("kx" | "auth", "RSA") => "Rsa",
            ("kx", "DH") => "Dh",
            ("kx", "DHE") => "Dhe",
            ("kx", "ECDH") => "Ecdh",
            ("kx", "ECDHE") => "Ecdhe",
            ("kx" | "auth", "PSK") => "Psk",
            ("kx" | "auth", "SRP") => "Srp",
            ("kx" | "auth", "KRB5") => "Krb5",
            ("kx" | "auth", "ECCPWD") => "Eccpwd",
            ("kx" | "auth", "GOST") => "Gost",
            ("auth", "anon") => "Anon",
            ("auth", "DSS") => "Dss",
            ("auth", "ECDSA") => "Ecdsa",
            ("auth", "SRP+RSA") => "SrpRsa",
            ("auth", "SRP+DSS") => "SrpDss",
            ("cipher", "RC4") => "Rc4",
            ("cipher", "RC2") => "Rc2",
            ("cipher", "DES") => "Des",
            ("cipher", "3DES") => "TripleDes",
            ("cipher", "IDEA") => "Idea",
            ("cipher", "AES") => "Aes",
            ("cipher", "CAMELLIA") => "Camellia",
            ("cipher", "ARIA") => "Aria",
            ("cipher", "SEED") => "Seed",
            ("cipher", "CHACHA20") => "Chacha20",
            ("cipher", "SM4") => "Sm4",
            ("cipher", "AEGIS-256") => "Aegis256",
            ("cipher", "AEGIS-128L") => "Aegis128L",
            ("cipher", "KUZNYECHIK") => "Kuznyechik",
            ("cipher", "MAGMA") => "Magma",
            ("cipher", "GOST28147") => "Gost28147",
            ("mode", "stream") => "Stream",
            ("mode", "CBC") => "Cbc",
            ("mode", "GCM") => "Gcm",
            ("mode", "CCM") => "Ccm",
            ("mode", "CCM8") => "Ccm8",
            ("mode", "ChaCha20-Poly1305") => "ChaCha20Poly1305",
            ("mode", "AEGIS") => "Aegis",
            ("mode", "MGM") => "Mgm",
            ("mode", "CTR_OMAC") => "CtrOmac",
            ("mode", "CNT_IMIT") => "CntImit",
            ("mac", "MD5") => "Md5",
            ("mac", "SHA1") => "Sha1",
            ("mac", "SHA256") => "Sha256",
            ("mac", "SHA384") => "Sha384",
            ("mac", "AEAD") => "Aead",
            ("mac", "OMAC") => "Omac",
            ("mac", "IMIT") => "Imit",
            ("min", "SSL3.0") => "SSL3",
            ("min", "TLS1.0") => "TLS1_0",
            ("min", "TLS1.2") => "TLS1_2",
            ("min", "TLS1.3") => "TLS1_3",
            ("status", "iana") => "Iana",
            ("status", "historic") => "Historic",
            _ => panic!("TSV column {col}: unexpected value {v:?}"),
        };
        s.to_owned()
    }

    /// The generator: TSV → Rust source of `suites_table.rs`.
    fn generate(tsv: &str) -> String {
        let mut rows = String::new();
        let mut consts = String::new();
        let mut lines = tsv.lines().filter(|l| !l.starts_with('#'));
        let header = lines.next().unwrap();
        assert!(header.starts_with("code\tiana_name\topenssl_name"));
        for line in lines {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 15, "{line}");
            let yn = |s: &str| match s {
                "yes" => "true",
                "no" => "false",
                _ => panic!("{s}"),
            };
            let openssl = if f[2] == "-" {
                "None".to_owned()
            } else {
                format!("Some({:?})", f[2])
            };
            rows.push_str(&format!(
                "    SuiteInfo {{ suite: CipherSuite({code}), iana_name: {name:?}, openssl_name: {openssl}, kx: KeyExchange::{kx}, auth: Authentication::{auth}, cipher: Cipher::{cipher}, key_bits: {bits}, mode: CipherMode::{mode}, mac: Mac::{mac}, aead: {aead}, forward_secrecy: {fs}, export: {exp}, min_version: ProtocolVersion::{min}, status: RegistryStatus::{status}, reference: {rfc:?} }},\n",
                code = f[0],
                name = f[1],
                kx = variant("kx", f[3]),
                auth = variant("auth", f[4]),
                cipher = variant("cipher", f[5]),
                bits = f[6].parse::<u16>().unwrap(),
                mode = variant("mode", f[7]),
                mac = variant("mac", f[8]),
                aead = yn(f[9]),
                fs = yn(f[10]),
                exp = yn(f[11]),
                min = variant("min", f[12]),
                status = variant("status", f[13]),
                rfc = f[14],
            ));
            consts.push_str(&format!(
                "    #[doc = \"`{name}` ({code})\"]\n    pub const {upper}: Self = Self({code});\n",
                name = f[1],
                code = f[0],
                upper = f[1].to_uppercase(),
            ));
        }
        format!(
            "// @generated from data/cipher-suites.tsv by the test `suites::tests::suites_table_matches_tsv`.\n\
             // Do not edit: edit the TSV and run `KENSA_REGEN=1 cargo test -p kensa-probe-tls suites_table`.\n\n\
             use crate::codec::{{CipherSuite, ProtocolVersion}};\n\
             use crate::suites::{{Authentication, Cipher, CipherMode, KeyExchange, Mac, RegistryStatus, SuiteInfo}};\n\n\
             /// Named constants for every suite in the table.\n\
             impl CipherSuite {{\n{consts}}}\n\n\
             #[rustfmt::skip]\n\
             pub(crate) static CIPHER_SUITES: &[SuiteInfo] = &[\n{rows}];\n"
        )
    }

    #[test]
    fn suites_table_matches_tsv() {
        let want = generate(TSV);
        if std::env::var_os("KENSA_REGEN").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/suites_table.rs");
            std::fs::write(path, &want).unwrap();
            return;
        }
        assert!(
            want == GENERATED,
            "src/suites_table.rs is stale: run KENSA_REGEN=1 cargo test -p kensa-probe-tls suites_table"
        );
    }

    #[test]
    fn table_is_sorted_unique_and_complete() {
        assert!(CIPHER_SUITES.windows(2).all(|w| w[0].suite < w[1].suite));
        assert!(CIPHER_SUITES.len() >= 350, "{}", CIPHER_SUITES.len());
        for code in [
            0x1301, 0x1302, 0x1303, 0x1304, 0x1305, 0x1306, 0x1307, 0x00ff, 0x5600, 0xc100, 0xc0b0,
            0xc0b4, 0xd005,
        ] {
            assert!(suite_info(CipherSuite(code)).is_some(), "{code:#06x}");
        }
        assert!(suite_info(CipherSuite(0x0a0a)).is_none());
        assert!(suite_info(CipherSuite(0x001c)).is_none());
    }

    #[test]
    fn facts_spot_checks() {
        let s = suite_info(CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).unwrap();
        assert_eq!(s.openssl_name, Some("ECDHE-RSA-AES128-GCM-SHA256"));
        assert_eq!(
            (s.kx, s.auth, s.cipher, s.key_bits, s.mode, s.mac),
            (
                KeyExchange::Ecdhe,
                Authentication::Rsa,
                Cipher::Aes,
                128,
                CipherMode::Gcm,
                Mac::Aead
            )
        );
        assert!(s.aead && s.forward_secrecy && !s.export);
        assert_eq!(s.min_version, ProtocolVersion::TLS1_2);

        let s = suite_info(CipherSuite::TLS_RSA_EXPORT_WITH_RC4_40_MD5).unwrap();
        assert!(s.export && !s.forward_secrecy);
        assert_eq!(
            (s.cipher, s.mode, s.key_bits, s.min_version),
            (Cipher::Rc4, CipherMode::Stream, 40, ProtocolVersion::SSL3)
        );
        assert_eq!(s.openssl_name, Some("EXP-RC4-MD5"));

        let s = suite_info(CipherSuite(0x000a)).unwrap();
        assert_eq!(
            (s.cipher, s.key_bits, s.openssl_name),
            (Cipher::TripleDes, 168, Some("DES-CBC3-SHA"))
        );
        let s = suite_info(CipherSuite::TLS_DH_ANON_WITH_AES_128_CBC_SHA).unwrap();
        assert_eq!(s.auth, Authentication::Anon);
        let s = suite_info(CipherSuite::TLS_AES_128_CCM_8_SHA256).unwrap();
        assert_eq!(
            (s.mode, s.min_version),
            (CipherMode::Ccm8, ProtocolVersion::TLS1_3)
        );
        let s = suite_info(CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256).unwrap();
        assert_eq!((s.mode, s.key_bits), (CipherMode::ChaCha20Poly1305, 256));
        let s = suite_info(CipherSuite::TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA).unwrap();
        assert_eq!((s.status, s.export), (RegistryStatus::Historic, true));
        assert_eq!(CipherSuite(0x5600).name(), Some("TLS_FALLBACK_SCSV"));
        assert_eq!(format!("{:?}", CipherSuite(0xfafa)), "CipherSuite(0xfafa)");
        assert_eq!(serde_json::to_value(s.mode).unwrap(), "CBC");
        assert_eq!(serde_json::to_value(Cipher::TripleDes).unwrap(), "3DES");
    }

    #[test]
    fn ssl2_and_groups() {
        assert_eq!(SSL2_CIPHER_KINDS.len(), 7);
        assert!(SSL2_CIPHER_KINDS.iter().all(|i| i.kind.name().is_some()));
        assert_eq!(
            ssl2_cipher_info(Ssl2CipherKind(0x0700c0))
                .unwrap()
                .openssl_name,
            "DES-CBC3-MD5"
        );
        assert_eq!(
            group_info(NamedGroup::X25519_MLKEM768)
                .unwrap()
                .client_share_len,
            Some(1216)
        );
        assert_eq!(
            group_info(NamedGroup::SECP256R1).unwrap().client_share_len,
            Some(65)
        );
        assert_eq!(
            group_info(NamedGroup(0x2a2a)).unwrap().kind,
            GroupKind::Grease
        );
        assert!(group_info(NamedGroup(0x1234)).is_none());
        for g in GROUPS {
            assert!(g.group.name().is_some());
        }
        for v in GREASE_VALUES {
            assert!(crate::codec::is_grease_u16(v));
        }
    }
}

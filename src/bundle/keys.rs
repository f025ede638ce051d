//! Ed25519 keys for signing bundles: PEM files, SPKI encoding and fingerprints.
//!
//! - the private key is PKCS#8 v1 (RFC 8410 §7; the seed of ring's
//!   `Ed25519KeyPair::generate_pkcs8`, see [`generate`]) in a PEM `PRIVATE KEY` block, as
//!   `openssl genpkey -algorithm ed25519` writes it; v2 keys (with the public key) are read too;
//! - the public key is an X.509 SubjectPublicKeyInfo (RFC 8410) in a PEM `PUBLIC KEY` block,
//!   which `openssl pkey -pubin` and `openssl pkeyutl -verify -pubin` read;
//! - a key's fingerprint is `sha256:` and the SHA-256 of its SPKI DER, in hex
//!   (`openssl pkey -pubin -in KEY.pub -outform DER | sha256sum`).

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};

use super::BundleError;
use crate::evidence::sha256_hex;

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): SEQUENCE { SEQUENCE {
/// OID 1.3.101.112 }, BIT STRING (0 unused bits) } before the 32 key bytes.
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// Length of an Ed25519 public key.
pub const PUBLIC_KEY_LEN: usize = 32;

/// An Ed25519 public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey([u8; PUBLIC_KEY_LEN]);

impl PublicKey {
    /// From the 32 raw key bytes.
    pub fn from_raw(bytes: &[u8]) -> Option<Self> {
        <[u8; PUBLIC_KEY_LEN]>::try_from(bytes).ok().map(Self)
    }

    /// The raw 32 bytes.
    pub fn raw(&self) -> &[u8; PUBLIC_KEY_LEN] {
        &self.0
    }

    /// The SubjectPublicKeyInfo DER (44 bytes).
    pub fn spki_der(&self) -> Vec<u8> {
        let mut v = SPKI_PREFIX.to_vec();
        v.extend_from_slice(&self.0);
        v
    }

    /// The PEM `PUBLIC KEY` text.
    pub fn to_pem(&self) -> String {
        pem_encode("PUBLIC KEY", &self.spki_der())
    }

    /// `sha256:` and the hex SHA-256 of the SPKI DER.
    pub fn fingerprint(&self) -> String {
        format!("sha256:{}", sha256_hex(&self.spki_der()))
    }

    /// Whether `signature` is this key's Ed25519 signature over `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&ED25519, &self.0)
            .verify(message, signature)
            .is_ok()
    }

    /// Parse a public key: PEM `PUBLIC KEY` (SPKI), SPKI DER, or the 32 raw bytes. `what`
    /// names the input in errors.
    pub fn parse(what: &str, bytes: &[u8]) -> Result<Self, BundleError> {
        let bad = |message: String| BundleError::Key {
            path: what.to_owned(),
            message,
        };
        if bytes.starts_with(b"-----BEGIN PRIVATE KEY-----") {
            return Err(bad(
                "this is a private key: pass the public key (KEY.pub from `kensa keygen`)".into(),
            ));
        }
        let der = if bytes.starts_with(b"-----BEGIN") {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| bad("not UTF-8 text, but it starts like a PEM file".into()))?;
            pem_decode(text, "PUBLIC KEY").map_err(bad)?
        } else {
            bytes.to_vec()
        };
        if let Some(raw) = der.strip_prefix(&SPKI_PREFIX[..])
            && let Some(k) = Self::from_raw(raw)
        {
            return Ok(k);
        }
        if let Some(k) = Self::from_raw(&der) {
            return Ok(k);
        }
        Err(bad(format!(
            "not an Ed25519 public key: expected a PEM `PUBLIC KEY` block (SubjectPublicKeyInfo, \
             OID 1.3.101.112), its 44-byte DER, or 32 raw bytes; found {} bytes",
            der.len()
        )))
    }

    /// Read and parse a public key file.
    pub fn read(path: &Path) -> Result<Self, BundleError> {
        let bytes = std::fs::read(path).map_err(|source| BundleError::Io {
            path: path.display().to_string(),
            action: "read the public key",
            source,
        })?;
        Self::parse(&path.display().to_string(), &bytes)
    }
}

/// The DER prefix of ring's PKCS#8 v2 Ed25519 document (RFC 5958: version 1, the algorithm,
/// then the 32-byte seed in a nested OCTET STRING; the public key follows as `[1]`).
const PKCS8_V2_PREFIX: [u8; 16] = [
    0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// The same for PKCS#8 v1 (RFC 8410 §7: version 0, no public key), 48 bytes in all.
const PKCS8_V1_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// A new key pair: its PKCS#8 document and public key.
///
/// ring's `Ed25519KeyPair::generate_pkcs8` makes a v2 document; OpenSSL 3.0 refuses v2
/// Ed25519 keys ("unsupported"), so the same seed is written as v1 (RFC 8410 §7), which
/// OpenSSL and ring both read (ring derives the public key). The v1 document is read back
/// and its public key compared with the v2 one before it is returned.
pub fn generate() -> Result<(Vec<u8>, PublicKey), BundleError> {
    let rng = ring::rand::SystemRandom::new();
    let doc = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| BundleError::Crypto {
        what: "generate an Ed25519 key pair",
    })?;
    let pair = Ed25519KeyPair::from_pkcs8(doc.as_ref()).map_err(|_| BundleError::Crypto {
        what: "read back the generated key pair",
    })?;
    let public = PublicKey::from_raw(pair.public_key().as_ref()).ok_or(BundleError::Crypto {
        what: "take the public key of the generated key pair",
    })?;
    let seed = doc
        .as_ref()
        .strip_prefix(&PKCS8_V2_PREFIX[..])
        .and_then(|rest| rest.get(..32))
        .ok_or(BundleError::Crypto {
            what: "find the seed in ring's PKCS#8 document",
        })?;
    let mut v1 = PKCS8_V1_PREFIX.to_vec();
    v1.extend_from_slice(seed);
    let again =
        Ed25519KeyPair::from_pkcs8_maybe_unchecked(&v1).map_err(|_| BundleError::Crypto {
            what: "read back the PKCS#8 v1 key",
        })?;
    if again.public_key().as_ref() != public.raw() {
        return Err(BundleError::Crypto {
            what: "convert the key to PKCS#8 v1 (the public keys differ)",
        });
    }
    Ok((v1, public))
}

/// A signing key read from a PEM `PRIVATE KEY` file.
#[derive(Debug)]
pub struct SigningKey {
    pair: Ed25519KeyPair,
    public: PublicKey,
}

impl SigningKey {
    /// Read a private key file (PEM `PRIVATE KEY`, PKCS#8 v1 or v2, Ed25519).
    pub fn read(path: &Path) -> Result<Self, BundleError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| BundleError::Io {
            path: name.clone(),
            action: "read the signing key",
            source,
        })?;
        let bad = |message: String| BundleError::Key {
            path: name.clone(),
            message,
        };
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| bad("not a PEM file (not UTF-8 text)".into()))?;
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(bad(
                "an encrypted private key: kensa reads unencrypted PKCS#8 keys only \
                 (as `kensa keygen` writes them)"
                    .into(),
            ));
        }
        let der = pem_decode(text, "PRIVATE KEY").map_err(bad)?;
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).map_err(|e| {
            bad(format!(
                "not an Ed25519 PKCS#8 private key ({e}); make one with `kensa keygen -o KEY`"
            ))
        })?;
        let public = PublicKey::from_raw(pair.public_key().as_ref())
            .ok_or_else(|| bad("the key pair has no 32-byte public key".into()))?;
        Ok(Self { pair, public })
    }

    /// The public half.
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The Ed25519 signature over `message` (64 bytes).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.pair.sign(message).as_ref().to_vec()
    }
}

/// PEM-encode `der` under `label` (RFC 7468: base64 in lines of 64).
pub fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    let mut rest = b64.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        s.push_str(line);
        s.push('\n');
        rest = tail;
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

/// The DER inside the first PEM block labelled `label`.
pub fn pem_decode(text: &str, label: &str) -> Result<Vec<u8>, String> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let Some(start) = text.find(&begin) else {
        return Err(format!("no `{begin}` line"));
    };
    let after = text.get(start + begin.len()..).unwrap_or_default();
    let Some(stop) = after.find(&end) else {
        return Err(format!("no `{end}` line after `{begin}`"));
    };
    let body: String = after
        .get(..stop)
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    STANDARD
        .decode(body.as_bytes())
        .map_err(|e| format!("the `{label}` block is not valid base64: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trip_and_fingerprint() {
        let (pkcs8, public) = generate().unwrap();
        let pem = pem_encode("PRIVATE KEY", &pkcs8);
        assert_eq!(pem_decode(&pem, "PRIVATE KEY").unwrap(), pkcs8);
        let back = PublicKey::parse("mem", public.to_pem().as_bytes()).unwrap();
        assert_eq!(back, public);
        assert_eq!(PublicKey::parse("mem", &public.spki_der()).unwrap(), public);
        assert_eq!(PublicKey::parse("mem", public.raw()).unwrap(), public);
        assert!(PublicKey::parse("mem", b"short").is_err());
        assert!(public.fingerprint().starts_with("sha256:"));
        assert_eq!(public.fingerprint().len(), 7 + 64);
    }

    #[test]
    fn signatures_verify_only_unaltered() {
        let d = tempfile::tempdir().unwrap();
        let (pkcs8, public) = generate().unwrap();
        let p = d.path().join("k");
        std::fs::write(&p, pem_encode("PRIVATE KEY", &pkcs8)).unwrap();
        let k = SigningKey::read(&p).unwrap();
        assert_eq!(k.public(), &public);
        let sig = k.sign(b"manifest");
        assert!(public.verifies(b"manifest", &sig));
        assert!(!public.verifies(b"manifesT", &sig));
        let mut bad = sig;
        bad[10] ^= 1;
        assert!(!public.verifies(b"manifest", &bad));
    }
}

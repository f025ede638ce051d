//! X25519MLKEM768 (code point 0x11EC) for the lab's TLS 1.3 servers: the post-quantum hybrid
//! of draft-ietf-tls-ecdhe-mlkem (ML-KEM-768 from FIPS 203, plus X25519 from RFC 7748).
//!
//! kensa's product uses ring, which has no ML-KEM; the lab needs a server that really
//! completes this key exchange so the demo has a post-quantum-ready provider. The server side
//! only ([`rustls::crypto::SupportedKxGroup::start_and_complete`]): the client's share is the
//! ML-KEM-768 encapsulation key (1184 bytes) followed by its X25519 public key (32 bytes); the
//! server answers with the ML-KEM ciphertext (1088 bytes) followed by its own X25519 public key;
//! the shared secret is the ML-KEM shared key followed by the X25519 shared secret
//! (draft-ietf-tls-ecdhe-mlkem-01 §3). ML-KEM comes from RustCrypto's `ml-kem` crate
//! (not independently audited: fine for a loopback lab, never used to protect data).

use ml_kem::array::Array;
use ml_kem::{EncapsulateDeterministic, EncodedSizeUser, KemCore, MlKem768};
use ring::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey, X25519};
use ring::rand::{SecureRandom, SystemRandom};
use rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::{Error, NamedGroup, ProtocolVersion};

/// ML-KEM-768 encapsulation key size (FIPS 203, Table 3).
const MLKEM768_EK: usize = 1184;
/// X25519 public key size (RFC 7748).
const X25519_PUB: usize = 32;

/// The X25519MLKEM768 hybrid group, server side (see the module documentation).
#[derive(Debug)]
pub struct X25519MlKem768;

/// The group, for a rustls `CryptoProvider`'s `kx_groups`.
pub static X25519MLKEM768: &dyn SupportedKxGroup = &X25519MlKem768;

fn fail(what: &str) -> Error {
    Error::General(format!("X25519MLKEM768: {what}"))
}

impl SupportedKxGroup for X25519MlKem768 {
    /// The client side is not implemented: the lab only serves.
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        Err(fail("client side not implemented in the lab"))
    }

    fn start_and_complete(&self, peer_pub_key: &[u8]) -> Result<CompletedKeyExchange, Error> {
        if peer_pub_key.len() != MLKEM768_EK + X25519_PUB {
            return Err(Error::PeerMisbehaved(
                rustls::PeerMisbehaved::InvalidKeyShare,
            ));
        }
        let (ek_bytes, x_peer) = peer_pub_key.split_at(MLKEM768_EK);
        let ek_arr = Array::try_from(ek_bytes).map_err(|_| fail("bad encapsulation key"))?;
        let ek = <MlKem768 as KemCore>::EncapsulationKey::from_bytes(&ek_arr);
        let rng = SystemRandom::new();
        let mut m = [0u8; 32];
        rng.fill(&mut m).map_err(|_| fail("no randomness"))?;
        let (ct, mlkem_ss) = ek
            .encapsulate_deterministic(&Array::from(m))
            .map_err(|()| fail("encapsulation failed"))?;
        let x_priv = EphemeralPrivateKey::generate(&X25519, &rng).map_err(|_| fail("x25519"))?;
        let x_pub = x_priv.compute_public_key().map_err(|_| fail("x25519"))?;
        let x_ss =
            agreement::agree_ephemeral(x_priv, &UnparsedPublicKey::new(&X25519, x_peer), |s| {
                s.to_vec()
            })
            .map_err(|_| Error::PeerMisbehaved(rustls::PeerMisbehaved::InvalidKeyShare))?;
        let mut pub_key = Vec::with_capacity(ct.len() + X25519_PUB);
        pub_key.extend_from_slice(&ct);
        pub_key.extend_from_slice(x_pub.as_ref());
        let mut secret = Vec::with_capacity(64);
        secret.extend_from_slice(&mlkem_ss);
        secret.extend_from_slice(&x_ss);
        Ok(CompletedKeyExchange {
            group: self.name(),
            pub_key,
            secret: SharedSecret::from(secret),
        })
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }

    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        version == ProtocolVersion::TLSv1_3
    }
}

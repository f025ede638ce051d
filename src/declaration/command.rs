//! `kensa declaration sign|check`: sign a provider's declaration, or check one (and its
//! signature) before it goes into a catalog.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::{DeclarationError, SignatureStatus, check_signature, parse, sign, signature_path};
use crate::bundle::keys::{PublicKey, SigningKey};
use crate::evidence::sha256_hex;

/// `kensa declaration`.
#[derive(Debug, Subcommand)]
pub enum DeclarationCmd {
    /// Sign a declaration file with an Ed25519 key (`kensa keygen`): writes FILE.sig beside
    /// it (replacing an older one).
    Sign(SignArgs),
    /// Check a declaration file and, if FILE.sig exists, its signature. Exit 0 when valid
    /// (and signed by --key, when given), 1 when the signature does not check, 2 when the
    /// file is invalid.
    Check(CheckArgs),
}

/// Arguments of `kensa declaration sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The declaration (TOML, `docs/declaration.md`).
    pub file: PathBuf,
    /// The provider's private key (PEM PKCS#8, from `kensa keygen -o KEY`).
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
}

/// Arguments of `kensa declaration check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The declaration (TOML).
    pub file: PathBuf,
    /// The provider's public key (`KEY.pub`) to check the signature with.
    #[arg(long, value_name = "PUB")]
    pub key: Option<PathBuf>,
}

/// What `kensa declaration sign` did.
#[derive(Debug, Clone, Serialize)]
pub struct Signed {
    /// The declaration signed.
    pub file: String,
    /// The signing key's fingerprint.
    pub key: String,
    /// Where the signature was written.
    pub signature: String,
}

/// What `kensa declaration check` found.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// The declaration checked.
    pub file: String,
    /// The provider it declares.
    pub provider: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Its signature's check.
    pub signature: super::SignatureCheck,
    /// 0 when valid (and signed by `--key`, when given), 1 otherwise.
    #[serde(skip)]
    pub code: u8,
}

/// The result of `kensa declaration`.
#[derive(Debug, Clone)]
pub enum DeclarationOutput {
    /// `sign`.
    Signed(Signed),
    /// `check`.
    Checked(Checked),
}

impl crate::output::Render for DeclarationOutput {
    fn text(&self) -> String {
        match self {
            Self::Signed(s) => format!("signed {}: {} (key {})\n", s.file, s.signature, s.key),
            Self::Checked(c) => format!(
                "{}: a valid declaration of {} (sha256 {}); signature: {} ({})\n",
                c.file,
                c.provider,
                c.sha256,
                c.signature.status.as_str(),
                c.signature.detail
            ),
        }
    }

    fn json(&self) -> String {
        match self {
            Self::Signed(s) => crate::output::json_of(s),
            Self::Checked(c) => crate::output::json_of(c),
        }
    }

    fn exit_code(&self) -> u8 {
        match self {
            Self::Signed(_) => 0,
            Self::Checked(c) => c.code,
        }
    }
}

/// Run `kensa declaration`.
///
/// # Errors
/// An unreadable or invalid declaration or key, or a signature that cannot be written.
pub fn run(cmd: &DeclarationCmd) -> Result<DeclarationOutput, DeclarationError> {
    match cmd {
        DeclarationCmd::Sign(a) => {
            let shown = a.file.display().to_string();
            let bytes = std::fs::read(&a.file).map_err(|source| DeclarationError::Read {
                path: shown.clone(),
                source,
            })?;
            let text = std::str::from_utf8(&bytes).map_err(|_| DeclarationError::Invalid {
                path: shown.clone(),
                message: "not UTF-8".into(),
            })?;
            parse(&shown, text)?;
            let key = SigningKey::read(&a.key).map_err(|e| DeclarationError::Key(e.to_string()))?;
            let sig_path = signature_path(&a.file);
            std::fs::write(&sig_path, sign(&bytes, &key)).map_err(|source| {
                DeclarationError::Read {
                    path: sig_path.display().to_string(),
                    source,
                }
            })?;
            Ok(DeclarationOutput::Signed(Signed {
                file: shown,
                signature: sig_path.display().to_string(),
                key: key.public().fingerprint(),
            }))
        }
        DeclarationCmd::Check(a) => {
            let shown = a.file.display().to_string();
            let bytes = std::fs::read(&a.file).map_err(|source| DeclarationError::Read {
                path: shown.clone(),
                source,
            })?;
            let text = std::str::from_utf8(&bytes).map_err(|_| DeclarationError::Invalid {
                path: shown.clone(),
                message: "not UTF-8".into(),
            })?;
            let d = parse(&shown, text)?;
            let key = a
                .key
                .as_deref()
                .map(PublicKey::read)
                .transpose()
                .map_err(|e| DeclarationError::Key(e.to_string()))?;
            let sig = std::fs::read(signature_path(&a.file)).ok();
            let check = check_signature(&bytes, sig.as_deref(), key.as_ref());
            let code = match check.status {
                SignatureStatus::Valid | SignatureStatus::Unsigned | SignatureStatus::NoKey
                    if a.key.is_none() || check.status == SignatureStatus::Valid =>
                {
                    0
                }
                _ => 1,
            };
            Ok(DeclarationOutput::Checked(Checked {
                file: shown,
                provider: d.provider,
                sha256: sha256_hex(&bytes),
                signature: check,
                code,
            }))
        }
    }
}

//! `kensa keygen`, `kensa bundle` and bundle verification: a signed evidence archive.
//!
//! A bundle is one uncompressed tar archive (ustar) with five members:
//!
//! | member | what |
//! |---|---|
//! | `manifest.json` | run id, tool, times, chain head and integrity, geolocation databases, trust stores, profiles, and the SHA-256 and size of every other member ([`manifest::Manifest`]) |
//! | `manifest.sig` | the Ed25519 signature over the exact bytes of `manifest.json` ([`manifest::SignatureFile`]) |
//! | `signer.pub` | the signer's public key, PEM `PUBLIC KEY` |
//! | `evidence.jsonl` | the run's evidence stream, byte for byte |
//! | `assessment.json` | the run graded with the kensa levels and each provider's `applies_for` profile, as `kensa assess --json` prints it (with `evidence` set to `evidence.jsonl`) |
//!
//! [`verify::verify_bundle`] checks every part and names what was altered. The format is
//! described for people in `docs/bundle.md`.

pub mod keys;
pub mod manifest;
pub mod verify;

use std::fs::OpenOptions;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use serde::Serialize;

use crate::assess::grade::Assessment;
use crate::assess::profile::Library;
use crate::assess::{AssessError, doc};
use crate::evidence::{self, Integrity, RunStatus, sha256_hex};
use keys::SigningKey;
use manifest::{
    ALGORITHM, ASSESSMENT, AssessmentSummary, EVIDENCE, EvidenceSummary, FORMAT, FORMAT_VERSION,
    MANIFEST, Manifest, Member, PUBLIC_KEY, ProfileRef, ProviderGrade, SIGNATURE, SignatureFile,
    SignerRef,
};

pub use verify::{BundleReport, Check, EXIT_UNPINNED, ReadLimits, Verdict, verify_bundle};

/// Why a bundle command could not run (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// A file could not be read or written.
    #[error("{path}: cannot {action}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What was being done (`read the signing key`).
        action: &'static str,
        /// The cause.
        source: io::Error,
    },
    /// An output file exists already.
    #[error("{path} exists: refusing to overwrite it")]
    Exists {
        /// The file.
        path: String,
    },
    /// A key file is not what was expected.
    #[error("{path}: {message}")]
    Key {
        /// The key file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The run's evidence was tampered with.
    #[error(
        "{path}:{line}: the evidence was tampered with ({message}); refusing to bundle it \
         (see `kensa verify`)"
    )]
    Tampered {
        /// The evidence file.
        path: String,
        /// The 1-based line of the first problem.
        line: u64,
        /// What is wrong there.
        message: String,
    },
    /// Grading the run failed.
    #[error("cannot grade the run: {0}")]
    Assess(#[from] AssessError),
    /// A cryptographic operation failed (the system's random source, most likely).
    #[error("cannot {what}")]
    Crypto {
        /// What was being done.
        what: &'static str,
    },
    /// The evidence is larger than a bundle holds: refused rather than cut.
    #[error(
        "{path} is {size} bytes, more than a bundle holds ({max} bytes); refusing to bundle \
         part of the evidence"
    )]
    TooLarge {
        /// The evidence file.
        path: String,
        /// Its size, bytes (at least; the file may have grown while read).
        size: u64,
        /// The most a bundle holds, bytes.
        max: u64,
    },
    /// JSON encoding failed.
    #[error("cannot encode {what}: {source}")]
    Encode {
        /// What was being encoded.
        what: &'static str,
        /// The cause.
        source: serde_json::Error,
    },
}

fn io_err<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(io::Error) -> BundleError + 'a {
    move |source| BundleError::Io {
        path: path.display().to_string(),
        action,
        source,
    }
}

// ------------------------------------------------------------------------------- keygen

/// Arguments of `kensa keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the private key (PEM `PRIVATE KEY`, PKCS#8, mode 0600); the public key
    /// goes to the same path with `.pub` appended. Neither may exist.
    #[arg(short, long, value_name = "KEY")]
    pub output: PathBuf,
}

/// What `kensa keygen` made.
#[derive(Debug, Clone, Serialize)]
pub struct KeygenOut {
    /// The private key's file.
    pub private_key: String,
    /// The public key's file (`KEY.pub`).
    pub public_key: String,
    /// `ed25519`.
    pub algorithm: &'static str,
    /// The public key's fingerprint.
    pub fingerprint: String,
}

/// `path` with `.pub` appended (`key` → `key.pub`).
pub fn public_key_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".pub");
    PathBuf::from(s)
}

/// Create `path` for writing; never overwrites. The private key gets mode 0600 on Unix.
fn create_new(path: &Path, private: bool) -> Result<std::fs::File, BundleError> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    o.open(path).map_err(|source| {
        if source.kind() == io::ErrorKind::AlreadyExists {
            BundleError::Exists {
                path: path.display().to_string(),
            }
        } else {
            BundleError::Io {
                path: path.display().to_string(),
                action: "create the file",
                source,
            }
        }
    })
}

/// Write `bytes` to a new file at `path`; a partly written file is removed.
fn write_new(path: &Path, private: bool, bytes: &[u8]) -> Result<(), BundleError> {
    let mut f = create_new(path, private)?;
    let r = f.write_all(bytes).and_then(|()| f.sync_all());
    if let Err(source) = r {
        let _ = std::fs::remove_file(path);
        return Err(io_err(path, "write the file")(source));
    }
    Ok(())
}

/// `kensa keygen -o KEY`: writes KEY and KEY.pub; stdout names them and the fingerprint.
/// Run `kensa keygen`: write a new Ed25519 key pair (the private key with mode 0600).
///
/// # Errors
/// Either file exists already, or cannot be written.
pub fn keygen(args: &KeygenArgs) -> Result<KeygenOut, BundleError> {
    let private = &args.output;
    let public = public_key_path(private);
    for p in [private, &public] {
        if p.exists() {
            return Err(BundleError::Exists {
                path: p.display().to_string(),
            });
        }
    }
    let (pkcs8, key) = keys::generate()?;
    write_new(
        private,
        true,
        keys::pem_encode("PRIVATE KEY", &pkcs8).as_bytes(),
    )?;
    if let Err(e) = write_new(&public, false, key.to_pem().as_bytes()) {
        let _ = std::fs::remove_file(private);
        return Err(e);
    }
    Ok(KeygenOut {
        private_key: private.display().to_string(),
        public_key: public.display().to_string(),
        algorithm: ALGORITHM,
        fingerprint: key.fingerprint(),
    })
}

impl crate::output::Render for KeygenOut {
    fn text(&self) -> String {
        format!(
            "private key: {} (keep it secret; mode 0600)\npublic key:  {}\nfingerprint: {}\n",
            self.private_key, self.public_key, self.fingerprint
        )
    }

    fn json(&self) -> String {
        crate::output::json_of(self)
    }
}

fn to_json<T: Serialize>(v: &T, what: &'static str) -> Result<String, BundleError> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|source| BundleError::Encode { what, source })
}

// ------------------------------------------------------------------------------- grading

/// Grade an evidence stream as `kensa assess --json` does with its default profiles (the
/// kensa levels, plus each provider's built-in `applies_for` profile). The bytes are read
/// once through [`evidence::Records`], their chain checked in the same pass; `evidence` is set to [`manifest::EVIDENCE`].
pub fn grade_evidence(evidence: &[u8]) -> Result<Assessment, BundleError> {
    let lib = Library::builtin()?;
    let source = evidence::Records::Bytes {
        name: EVIDENCE,
        bytes: evidence,
    };
    let (run, _) = doc::load_records(EVIDENCE, source)?;
    let mut a = crate::assess::set::ProfileSet::for_run(&lib, &run, &[])?.assess(&run);
    a.evidence = EVIDENCE.to_owned();
    Ok(a)
}

/// The manifest's summary of an assessment.
pub fn summarize(a: &Assessment) -> (Vec<ProfileRef>, AssessmentSummary) {
    let profiles = a
        .profiles
        .iter()
        .map(|(id, version)| ProfileRef {
            id: id.clone(),
            version: version.clone(),
        })
        .collect();
    let providers = a
        .providers
        .iter()
        .map(|p| ProviderGrade {
            id: p.provider.id.clone(),
            grade: p.grade.clone(),
            applies_for: p.provider.applies_for.clone(),
            fails_applies_for: p.fails_applies_for,
        })
        .collect();
    (
        profiles,
        AssessmentSummary {
            member: ASSESSMENT.to_owned(),
            providers,
        },
    )
}

// ------------------------------------------------------------------------------- bundle

/// Arguments of `kensa bundle`.
#[derive(Debug, Args)]
pub struct BundleArgs {
    /// A run directory, or an evidence.jsonl file.
    #[arg(value_name = "RUN_DIR")]
    pub run: PathBuf,
    /// The private key to sign with (from `kensa keygen`).
    #[arg(long, value_name = "KEY")]
    pub sign: PathBuf,
    /// The bundle file to write (a tar archive); must not exist.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

/// What `kensa bundle` prints.
#[derive(Debug, Serialize)]
struct BundleOut<'a> {
    bundle: String,
    manifest: &'a Manifest,
}

/// Upper bound on an evidence file read into a bundle (4 GiB).
const MAX_EVIDENCE: u64 = 4 << 30;

/// Read the whole evidence file, at most `max` bytes: a larger file is an error, never cut
/// (issue 19), whether its size shows at once or it grows while read.
fn read_evidence(file: &Path, max: u64) -> Result<Vec<u8>, BundleError> {
    let too_large = |size: u64| BundleError::TooLarge {
        path: file.display().to_string(),
        size,
        max,
    };
    let f = std::fs::File::open(file).map_err(io_err(file, "read the evidence"))?;
    let size = f
        .metadata()
        .map_err(io_err(file, "read the evidence"))?
        .len();
    if size > max {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    f.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_err(file, "read the evidence"))?;
    let read = bytes.len() as u64;
    if read > max {
        return Err(too_large(read));
    }
    Ok(bytes)
}

/// A signed bundle of the evidence `bytes` (an `evidence.jsonl`, named `name` in messages):
/// verified (a tampered chain is refused), graded, and packed with its manifest, signature and
/// public key as `kensa bundle` writes it (`kensa serve` hands it to evaluators). Returns the
/// archive and its manifest.
pub fn build(
    name: &str,
    bytes: &[u8],
    key: &SigningKey,
) -> Result<(Vec<u8>, Manifest), BundleError> {
    let rep = evidence::verify_reader(name, io::Cursor::new(bytes))
        .map_err(io_err(Path::new(name), "read the evidence"))?;
    if rep.integrity == Integrity::Tampered {
        let (line, message) = rep
            .problem
            .map(|p| (p.line, p.message))
            .unwrap_or((0, "unknown problem".into()));
        return Err(BundleError::Tampered {
            path: name.to_owned(),
            line,
            message,
        });
    }
    let assessment = grade_evidence(bytes)?;
    let assessment_json = to_json(&assessment, "the assessment")?;
    let (profiles, summary) = summarize(&assessment);
    let sources = manifest::sources(bytes);
    let public_pem = key.public().to_pem();
    let member = |name: &str, b: &[u8]| Member {
        name: name.to_owned(),
        sha256: sha256_hex(b),
        size: b.len() as u64,
    };
    let now = SystemTime::now();
    let m = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        tool: crate::TOOL.to_owned(),
        run_id: rep.run_id.clone().unwrap_or_default(),
        created_at: crate::rfc3339(now),
        evidence: EvidenceSummary {
            member: EVIDENCE.to_owned(),
            head: rep.head.clone(),
            integrity: rep.integrity,
            run_status: rep.run_status,
            lines: rep.lines_ok,
            evidence_records: rep.evidence_records,
        },
        assessment: summary,
        profiles,
        geolocation_databases: sources.geolocation_databases,
        trust_stores: sources.trust_stores,
        signer: SignerRef {
            algorithm: ALGORITHM.to_owned(),
            public_key_member: PUBLIC_KEY.to_owned(),
            fingerprint: key.public().fingerprint(),
        },
        members: vec![
            member(EVIDENCE, bytes),
            member(ASSESSMENT, assessment_json.as_bytes()),
            member(PUBLIC_KEY, public_pem.as_bytes()),
        ],
        interrupted: assessment.interrupted.as_ref().map(Into::into),
    };
    let manifest_json = to_json(&m, "the manifest")?;
    let sig = SignatureFile {
        manifest_sha256: sha256_hex(manifest_json.as_bytes()),
        signer: key.public().fingerprint(),
        signature: key.sign(manifest_json.as_bytes()),
    };
    let mtime = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let archive = write_tar(
        &[
            (MANIFEST, manifest_json.as_bytes()),
            (SIGNATURE, sig.to_text().as_bytes()),
            (PUBLIC_KEY, public_pem.as_bytes()),
            (EVIDENCE, bytes),
            (ASSESSMENT, assessment_json.as_bytes()),
        ],
        mtime,
    )
    .map_err(io_err(Path::new(name), "build the archive"))?;
    Ok((archive, m))
}

/// `kensa bundle RUN --sign KEY -o FILE`.
pub fn bundle(args: &BundleArgs) -> Result<Bundled, BundleError> {
    if args.output.exists() {
        return Err(BundleError::Exists {
            path: args.output.display().to_string(),
        });
    }
    let key = SigningKey::read(&args.sign)?;
    let file = evidence::evidence_path(&args.run);
    let bytes = read_evidence(&file, MAX_EVIDENCE)?;
    let name = file.display().to_string();
    let (archive, m) = build(&name, &bytes, &key).map_err(|e| match e {
        BundleError::Io {
            source,
            action: "build the archive",
            ..
        } => io_err(&args.output, "build the archive")(source),
        other => other,
    })?;
    write_new(&args.output, false, &archive)?;
    Ok(Bundled {
        bundle: args.output.clone(),
        manifest: m,
    })
}

/// `kensa bundle`'s result: the bundle written and its manifest.
#[derive(Debug)]
pub struct Bundled {
    /// Where the bundle was written.
    pub bundle: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
}

impl crate::output::Render for Bundled {
    fn text(&self) -> String {
        render_bundle(&self.bundle, &self.manifest)
    }
    fn json(&self) -> String {
        crate::output::json_of(&BundleOut {
            bundle: self.bundle.display().to_string(),
            manifest: &self.manifest,
        })
    }
}

fn render_bundle(out: &Path, m: &Manifest) -> String {
    let mut s = format!("bundle: {}\n", out.display());
    s.push_str(&format!(
        "run {}: {}, {}, {}\nhead: {}\n",
        m.run_id,
        integrity_words(m.evidence.integrity, m.evidence.run_status),
        plural(m.evidence.lines, "line"),
        plural(m.evidence.evidence_records, "evidence record"),
        m.evidence.head
    ));
    if let Some(i) = &m.interrupted {
        s.push_str(&format!(
            "{}: {} probe runs never ran, {} endpoints never started (the manifest lists them)\n",
            i.status.to_uppercase(),
            i.probes_never_ran,
            i.endpoints_not_started
        ));
    }
    for p in &m.assessment.providers {
        s.push_str(&format!(
            "provider {}: grade {}{}\n",
            p.id,
            p.grade.as_deref().unwrap_or("-"),
            match (&p.applies_for, p.fails_applies_for) {
                (Some(af), true) => format!(", FAILS {af}"),
                (Some(af), false) => format!(", applies for {af}"),
                (None, _) => String::new(),
            }
        ));
    }
    let profiles: Vec<String> = m
        .profiles
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    s.push_str(&format!("profiles: {}\n", profiles.join(", ")));
    s.push_str(&format!(
        "geolocation databases: {}\n",
        list_or_none(m.geolocation_databases.iter().map(|g| {
            match (&g.package, &g.version) {
                (Some(p), Some(v)) => format!("{} ({p}@{v})", g.file),
                _ => g.file.clone(),
            }
        }))
    ));
    s.push_str(&format!(
        "trust stores: {}\n",
        list_or_none(m.trust_stores.iter().map(|t| t.name.clone()))
    ));
    s.push_str(&format!("signed by {}\n", m.signer.fingerprint));
    s
}

/// `1 line`, `2 lines`.
fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn list_or_none(it: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = it.collect();
    if v.is_empty() {
        "none recorded".to_owned()
    } else {
        v.join(", ")
    }
}

/// `intact, complete`, `intact, interrupted` or `incomplete but intact (no run-end)`.
fn integrity_words(i: Integrity, status: Option<RunStatus>) -> &'static str {
    match (i, status) {
        (Integrity::Intact, Some(RunStatus::Interrupted)) => "intact, interrupted",
        (Integrity::Intact, _) => "intact, complete",
        (Integrity::Incomplete, _) => "incomplete but intact (no run-end)",
        (Integrity::Tampered, _) => "TAMPERED",
    }
}

/// A ustar archive of `members`, in order, with fixed ownership and mode.
fn write_tar(members: &[(&str, &[u8])], mtime: u64) -> io::Result<Vec<u8>> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in members {
        let mut h = tar::Header::new_ustar();
        h.set_path(name)?;
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(mtime);
        h.set_entry_type(tar::EntryType::Regular);
        h.set_cksum();
        b.append(&h, *bytes)?;
    }
    b.into_inner()
}

/// Whether `path` is a bundle: a file starting with a ustar header (a run directory or an
/// evidence file is not). Unreadable paths are not bundles (the caller reports them).
pub fn is_bundle(path: &Path) -> bool {
    if !path.is_file() {
        return false;
    }
    let mut head = [0u8; 512];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    if f.read_exact(&mut head).is_err() {
        return false;
    }
    head.get(257..262) == Some(b"ustar".as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19: evidence over the cap is refused, never cut.
    #[test]
    fn evidence_over_the_cap_is_refused_not_cut() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("evidence.jsonl");
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(read_evidence(&f, 10).unwrap(), b"0123456789");
        let e = read_evidence(&f, 9).unwrap_err();
        assert!(
            matches!(
                e,
                BundleError::TooLarge {
                    size: 10,
                    max: 9,
                    ..
                }
            ),
            "{e}"
        );
        assert!(
            e.to_string()
                .contains("refusing to bundle part of the evidence")
        );
    }
}

//! `kensa verify BUNDLE`: check every part of a bundle and name what was altered.
//!
//! Checks, all of which run (one failure does not hide another):
//!
//! 1. the archive: only regular members, each once; none missing, none extra;
//! 2. the signature: `manifest.sig` over the exact bytes of `manifest.json`, with the
//!    `--key` given or the bundled `signer.pub`; a failure is blamed on the member that no
//!    longer matches what `manifest.sig` says was signed (the manifest, the key, or the
//!    signature itself);
//! 3. each member's SHA-256 and size against the manifest;
//! 4. the evidence hash chain ([`evidence::verify_reader`], which names the first bad line),
//!    its head, integrity and run id against the manifest, and the geolocation databases and
//!    trust stores it records against the manifest's lists;
//! 5. the assessment against a fresh grading of the bundled evidence.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::keys::PublicKey;
use super::manifest::{
    self, ASSESSMENT, EVIDENCE, FORMAT, FORMAT_VERSION, MANIFEST, Manifest, PUBLIC_KEY, SIGNATURE,
    SignatureFile,
};
use super::{BundleError, grade_evidence, integrity_words, plural, summarize};
use crate::evidence::{self, Integrity, VerifyReport, sha256_hex};

/// How much of a bundle `verify` reads into memory at most (issue 19): each member, all
/// members together, and how many archive entries it looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// One member, bytes. Default 4 GiB (what `kensa bundle` writes at most).
    pub member: u64,
    /// Every member together, bytes. Default 4 GiB + 256 MiB: the evidence at its largest
    /// plus an assessment, a manifest, a signature and a key.
    pub total: u64,
    /// Archive entries looked at; a bundle has five. Default 64.
    pub entries: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            member: 4 << 30,
            total: (4 << 30) + (256 << 20),
            entries: 64,
        }
    }
}

/// Exit status of `kensa verify BUNDLE` when every check passed but the signer was not pinned
/// with `--key` (and `--allow-unpinned` was not given): the bundle is intact, but anyone
/// could have signed it.
pub const EXIT_UNPINNED: u8 = 3;

/// The verdict of a bundle verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every check passed and the signer is the `--key` given (or `--allow-unpinned`). Exit 0.
    Valid,
    /// Every check passed with the bundle's own key, but no `--key` pinned the signer: a
    /// bundle re-signed with a fresh key looks the same. Exit [`EXIT_UNPINNED`].
    IntactUnpinned,
    /// Intact, but signed by another key than the `--key` given. Exit 1.
    Invalid,
    /// A member was altered, missing or extra. Exit 1.
    Altered,
}

impl Verdict {
    /// The exit status for this verdict.
    pub const fn exit_code(self) -> u8 {
        match self {
            Self::Valid => 0,
            Self::IntactUnpinned => EXIT_UNPINNED,
            Self::Invalid | Self::Altered => 1,
        }
    }
}

/// One check and its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The member it is about (`evidence.jsonl`, …), or `archive` / `signer`.
    pub member: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found, as a sentence that starts with what it is about.
    pub message: String,
}

/// What [`verify_bundle`] found.
#[derive(Clone, Debug, Serialize)]
pub struct BundleReport {
    /// Always `bundle` (a run directory's report has no `kind`).
    pub kind: &'static str,
    /// The bundle file.
    pub file: String,
    /// The verdict: `valid`, `intact-unpinned`, `invalid` (signed by another key) or
    /// `altered`.
    pub verdict: Verdict,
    /// True when the verdict is `valid`: every check passed and the signer was pinned with
    /// `--key` (or `--allow-unpinned` was given).
    pub valid: bool,
    /// True when every check passed, whoever signed.
    pub intact: bool,
    /// The members (or `archive`, `signer`) that failed a check, in check order.
    pub altered: Vec<String>,
    /// The run id, from the manifest (else the evidence).
    pub run_id: Option<String>,
    /// The tool that made the bundle, from the manifest.
    pub tool: Option<String>,
    /// When the bundle was made, from the manifest.
    pub created_at: Option<String>,
    /// The fingerprint of the key the signature was checked with.
    pub signer: Option<String>,
    /// True when that key was given with `--key`.
    pub pinned: bool,
    /// True when the signature over the manifest verified with that key.
    pub signature_verified: bool,
    /// The evidence chain's verification.
    pub evidence: Option<VerifyReport>,
    /// Every check, failures first.
    pub checks: Vec<Check>,
    /// Remarks that are not failures (e.g. a bundle made by another kensa version).
    pub notes: Vec<String>,
}

#[derive(Default)]
struct Checks(Vec<Check>);

impl Checks {
    fn ok(&mut self, member: &str, message: String) {
        self.0.push(Check {
            member: member.to_owned(),
            ok: true,
            message,
        });
    }
    fn bad(&mut self, member: &str, message: String) {
        self.0.push(Check {
            member: member.to_owned(),
            ok: false,
            message,
        });
    }
}

/// A member read from the archive.
struct Entry {
    name: String,
    bytes: Vec<u8>,
}

/// Read every entry; `Err` only when the file cannot be opened or read at all.
fn read_archive(
    path: &Path,
    limits: ReadLimits,
    checks: &mut Checks,
) -> Result<Vec<Entry>, BundleError> {
    let f = std::fs::File::open(path).map_err(|source| BundleError::Io {
        path: path.display().to_string(),
        action: "open the bundle",
        source,
    })?;
    let mut archive = tar::Archive::new(io::BufReader::new(f));
    let mut out = Vec::new();
    let mut total: u64 = 0;
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            checks.bad("archive", format!("archive damaged: {e}"));
            return Ok(out);
        }
    };
    for (i, entry) in entries.enumerate() {
        if i >= limits.entries {
            checks.bad(
                "archive",
                format!(
                    "archive has more than {} entries; the rest were not read",
                    limits.entries
                ),
            );
            break;
        }
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                checks.bad(
                    "archive",
                    format!("archive damaged after {} members: {e}", out.len()),
                );
                break;
            }
        };
        let name = entry.path().map_or_else(
            |_| String::from_utf8_lossy(&entry.path_bytes()).into_owned(),
            |p| p.display().to_string(),
        );
        let kind = entry.header().entry_type();
        if !kind.is_file() {
            checks.bad(
                &name,
                format!("extra entry {name} ({kind:?}, not a regular file; not in the manifest)"),
            );
            continue;
        }
        let size = entry.header().size().unwrap_or(0);
        if size > limits.member {
            checks.bad(
                &name,
                format!("{name} is {size} bytes, more than kensa reads from a bundle"),
            );
            continue;
        }
        total = total.saturating_add(size);
        if total > limits.total {
            checks.bad(
                "archive",
                format!(
                    "archive members add up to more than {} bytes, more than kensa reads \
                     from a bundle; {name} and the rest were not read",
                    limits.total
                ),
            );
            break;
        }
        let mut bytes = Vec::new();
        if let Err(e) = (&mut entry).take(limits.member).read_to_end(&mut bytes) {
            checks.bad(
                "archive",
                format!("archive damaged: cannot read {name}: {e}"),
            );
            break;
        }
        out.push(Entry { name, bytes });
    }
    Ok(out)
}

/// Verify the bundle at `path`; `key` pins the expected signer. `Err` only when the file
/// cannot be read (exit 2); an altered bundle is a report with `valid: false`.
pub fn check_bundle(path: &Path, key: Option<&PublicKey>) -> Result<BundleReport, BundleError> {
    check_bundle_with(path, key, ReadLimits::default())
}

/// [`check_bundle`] with explicit read limits.
pub fn check_bundle_with(
    path: &Path,
    key: Option<&PublicKey>,
    limits: ReadLimits,
) -> Result<BundleReport, BundleError> {
    let mut c = Checks::default();
    let entries = read_archive(path, limits, &mut c)?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &entries {
        *counts.entry(e.name.as_str()).or_default() += 1;
    }
    for (name, n) in &counts {
        if *n > 1 {
            c.bad(
                name,
                format!("{name} appears {n} times (extracting the archive keeps the last one)"),
            );
        }
    }
    let get = |name: &str| {
        entries
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.bytes.as_slice())
    };
    let mut notes = Vec::new();

    // The manifest.
    let manifest_bytes = get(MANIFEST);
    let manifest: Option<Manifest> = match manifest_bytes {
        None => {
            c.bad(MANIFEST, format!("{MANIFEST} missing"));
            None
        }
        Some(b) => match serde_json::from_slice::<Manifest>(b) {
            Ok(m) if m.format != FORMAT => {
                c.bad(
                    MANIFEST,
                    format!(
                        "{MANIFEST} altered: format `{}`, expected `{FORMAT}`",
                        m.format
                    ),
                );
                None
            }
            Ok(m) if m.format_version > FORMAT_VERSION => {
                c.bad(
                    MANIFEST,
                    format!(
                        "{MANIFEST}: bundle format version {} is newer than this kensa reads \
                         ({FORMAT_VERSION})",
                        m.format_version
                    ),
                );
                None
            }
            Ok(m) => Some(m),
            Err(e) => {
                c.bad(
                    MANIFEST,
                    format!("{MANIFEST} altered: not a kensa bundle manifest ({e})"),
                );
                None
            }
        },
    };

    // The signature.
    let bundled_key = match get(PUBLIC_KEY) {
        None => {
            c.bad(PUBLIC_KEY, format!("{PUBLIC_KEY} missing"));
            None
        }
        Some(b) => match PublicKey::parse(PUBLIC_KEY, b) {
            Ok(k) => Some(k),
            Err(e) => {
                c.bad(PUBLIC_KEY, format!("{PUBLIC_KEY} altered: {e}"));
                None
            }
        },
    };
    let sig = match get(SIGNATURE) {
        None => {
            c.bad(SIGNATURE, format!("{SIGNATURE} missing"));
            None
        }
        Some(b) => match SignatureFile::parse(b) {
            Ok(s) => Some(s),
            Err(e) => {
                c.bad(SIGNATURE, format!("{SIGNATURE} altered: malformed ({e})"));
                None
            }
        },
    };
    let verifier = key.or(bundled_key.as_ref());
    let signer = verifier.map(PublicKey::fingerprint);
    let mut authentic = false;
    // The manifest is not the one that was signed: its entries cannot blame other members.
    let mut suspect = false;
    if let (Some(k), Some(s), Some(mb)) = (verifier, &sig, manifest_bytes) {
        let fp = k.fingerprint();
        let msha = sha256_hex(mb);
        const BAD: &str =
            "the signature does not verify (manifest altered or signed by another key)";
        if k.verifies(mb, &s.signature) {
            authentic = true;
            c.ok(
                SIGNATURE,
                format!("{SIGNATURE}: the Ed25519 signature over {MANIFEST} verifies with {fp}"),
            );
            if s.manifest_sha256 != msha {
                c.bad(
                    SIGNATURE,
                    format!("{SIGNATURE} altered: its manifest-sha256 line is not {MANIFEST}'s"),
                );
            }
            if s.signer != fp {
                c.bad(
                    SIGNATURE,
                    format!("{SIGNATURE} altered: its signer line is not {fp}"),
                );
            }
            if let Some(m) = &manifest
                && m.signer.fingerprint != fp
            {
                c.bad(
                    MANIFEST,
                    format!(
                        "{MANIFEST} names signer {} but was signed by {fp}",
                        m.signer.fingerprint
                    ),
                );
            }
        } else if s.manifest_sha256 != msha {
            suspect = true;
            c.bad(
                MANIFEST,
                format!(
                    "{MANIFEST} altered: {BAD}; it is not the manifest that was signed \
                     (sha256 {msha}, {SIGNATURE} was made over {})",
                    s.manifest_sha256
                ),
            );
        } else if s.signer != fp && key.is_some() {
            let by_bundled = bundled_key
                .as_ref()
                .filter(|b| b.verifies(mb, &s.signature))
                .map(|b| {
                    format!(
                        " (it verifies with the bundled {PUBLIC_KEY}, {})",
                        b.fingerprint()
                    )
                })
                .unwrap_or_default();
            c.bad(
                "signer",
                format!(
                    "signed by another key: {SIGNATURE} was made by {}, not by --key {fp}{by_bundled}",
                    s.signer
                ),
            );
        } else if s.signer != fp {
            c.bad(
                PUBLIC_KEY,
                format!(
                    "{PUBLIC_KEY} altered: {BAD}; {SIGNATURE} was made by {}, {PUBLIC_KEY} is {fp}",
                    s.signer
                ),
            );
        } else {
            c.bad(
                SIGNATURE,
                format!(
                    "{SIGNATURE} altered: {BAD}; {MANIFEST} and the key are the ones it names, \
                     but the signature bytes do not verify"
                ),
            );
        }
    }
    if let (Some(pinned), Some(b)) = (key, &bundled_key)
        && pinned != b
        && authentic
    {
        // Signed by the pinned key although another key is bundled: the bundled key was
        // swapped; the signature stands.
        c.bad(
            PUBLIC_KEY,
            format!(
                "{PUBLIC_KEY} altered: it is {}, but the bundle was signed by --key {}",
                b.fingerprint(),
                pinned.fingerprint()
            ),
        );
    }

    // Members against the manifest.
    let mut evidence_matches = true;
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    listed.insert(MANIFEST);
    listed.insert(SIGNATURE);
    if let Some(m) = &manifest {
        for want in [EVIDENCE, ASSESSMENT, PUBLIC_KEY] {
            if !m.members.iter().any(|x| x.name == want) {
                c.bad(
                    MANIFEST,
                    format!("{MANIFEST} altered: it does not list {want}"),
                );
            }
        }
        for mem in &m.members {
            listed.insert(mem.name.as_str());
            let Some(b) = get(&mem.name) else {
                c.bad(
                    &mem.name,
                    format!("{} missing (the manifest lists it)", mem.name),
                );
                continue;
            };
            let sha = sha256_hex(b);
            if sha != mem.sha256 || b.len() as u64 != mem.size {
                if mem.name == EVIDENCE {
                    evidence_matches = false;
                }
                let (subject, what) = if suspect {
                    (
                        MANIFEST,
                        format!("{MANIFEST} altered: its entry for {}", mem.name),
                    )
                } else {
                    (mem.name.as_str(), format!("{} altered", mem.name))
                };
                c.bad(
                    subject,
                    format!(
                        "{what}: sha256 {sha} ({} bytes) differs from the manifest's {} \
                         ({} bytes)",
                        b.len(),
                        mem.sha256,
                        mem.size
                    ),
                );
            } else {
                c.ok(
                    &mem.name,
                    format!("{}: sha256 and size as in the manifest", mem.name),
                );
            }
        }
    } else {
        listed.extend([EVIDENCE, ASSESSMENT, PUBLIC_KEY]);
        for want in [EVIDENCE, ASSESSMENT] {
            if get(want).is_none() {
                c.bad(want, format!("{want} missing"));
            }
        }
    }
    for name in counts.keys() {
        if !listed.contains(name) {
            c.bad(name, format!("extra member {name} (not in the manifest)"));
        }
    }

    // The evidence chain.
    let ev_bytes = get(EVIDENCE);
    let report = match ev_bytes {
        Some(b) => Some(
            evidence::verify_reader(EVIDENCE, io::Cursor::new(b)).map_err(|source| {
                BundleError::Io {
                    path: format!("{}: {EVIDENCE}", path.display()),
                    action: "read the evidence",
                    source,
                }
            })?,
        ),
        None => None,
    };
    if let Some(r) = &report {
        check_evidence(
            &mut c,
            r,
            manifest.as_ref(),
            suspect,
            ev_bytes.unwrap_or_default(),
        );
    }

    // The assessment against a fresh grading.
    if let (Some(r), Some(eb)) = (&report, ev_bytes)
        && r.integrity != Integrity::Tampered
    {
        // A fresh grading that differs is blamed on the evidence when only the evidence
        // differs from the manifest.
        let blame = if evidence_matches || suspect {
            ASSESSMENT
        } else {
            EVIDENCE
        };
        check_assessment(
            &mut c,
            &mut notes,
            eb,
            get(ASSESSMENT),
            manifest.as_ref(),
            blame,
        )?;
    }

    let mut checks = c.0;
    checks.sort_by_key(|x| x.ok);
    let mut altered: Vec<String> = Vec::new();
    for x in checks.iter().filter(|x| !x.ok) {
        if !altered.contains(&x.member) {
            altered.push(x.member.clone());
        }
    }
    let intact = altered.is_empty();
    let verdict = if !intact {
        if altered == ["signer"] {
            Verdict::Invalid
        } else {
            Verdict::Altered
        }
    } else if key.is_some() {
        Verdict::Valid
    } else {
        Verdict::IntactUnpinned
    };
    Ok(BundleReport {
        kind: "bundle",
        file: path.display().to_string(),
        verdict,
        valid: verdict == Verdict::Valid,
        intact,
        altered,
        run_id: manifest
            .as_ref()
            .map(|m| m.run_id.clone())
            .or_else(|| report.as_ref().and_then(|r| r.run_id.clone())),
        tool: manifest.as_ref().map(|m| m.tool.clone()),
        created_at: manifest.as_ref().map(|m| m.created_at.clone()),
        signer,
        pinned: key.is_some(),
        signature_verified: authentic,
        evidence: report,
        checks,
        notes,
    })
}

fn check_evidence(
    c: &mut Checks,
    r: &VerifyReport,
    m: Option<&Manifest>,
    suspect: bool,
    bytes: &[u8],
) {
    if r.integrity == Integrity::Tampered {
        let (line, msg) = r
            .problem
            .as_ref()
            .map_or((0, "unknown problem"), |p| (p.line, p.message.as_str()));
        c.bad(
            EVIDENCE,
            format!(
                "{EVIDENCE} altered: line {line}: {msg} (the hash chain no longer verifies; \
                 {} intact before it)",
                plural(r.lines_ok, "line")
            ),
        );
        return;
    }
    c.ok(
        EVIDENCE,
        format!(
            "{EVIDENCE}: {}: {}, {}",
            integrity_words(r.integrity, r.run_status),
            plural(r.lines_ok, "line"),
            plural(r.evidence_records, "evidence record")
        ),
    );
    let Some(m) = m else { return };
    // Against a manifest that is not the one signed, a difference blames the manifest.
    let (who, altered) = if suspect {
        (MANIFEST, format!("{MANIFEST} altered: for {EVIDENCE}"))
    } else {
        (EVIDENCE, format!("{EVIDENCE} altered"))
    };
    if r.head != m.evidence.head {
        c.bad(
            who,
            format!(
                "{altered}: the chain head {} differs from the manifest's {}",
                r.head, m.evidence.head
            ),
        );
    } else {
        c.ok(
            EVIDENCE,
            format!("{EVIDENCE}: chain head {} as in the manifest", r.head),
        );
    }
    if r.integrity != m.evidence.integrity || r.lines_ok != m.evidence.lines {
        c.bad(
            who,
            format!(
                "{altered}: it is {} with {}, the manifest says {} with {}",
                integrity_words(r.integrity, r.run_status),
                plural(r.lines_ok, "line"),
                integrity_words(m.evidence.integrity, m.evidence.run_status),
                plural(m.evidence.lines, "line")
            ),
        );
    }
    if let Some(id) = &r.run_id
        && id != &m.run_id
    {
        c.bad(
            who,
            format!("{altered}: run id {id}, the manifest says {}", m.run_id),
        );
    }
    let s = manifest::sources(bytes);
    if s.geolocation_databases != m.geolocation_databases {
        c.bad(
            MANIFEST,
            format!("{MANIFEST}: its geolocation databases differ from those the evidence records"),
        );
    }
    if s.trust_stores != m.trust_stores {
        c.bad(
            MANIFEST,
            format!("{MANIFEST}: its trust stores differ from those the evidence records"),
        );
    }
}

fn check_assessment(
    c: &mut Checks,
    notes: &mut Vec<String>,
    evidence: &[u8],
    bundled: Option<&[u8]>,
    m: Option<&Manifest>,
    blame: &str,
) -> Result<(), BundleError> {
    let fresh = match grade_evidence(evidence) {
        Ok(a) => a,
        Err(e @ BundleError::Io { .. }) => return Err(e),
        Err(e) => {
            c.bad(
                EVIDENCE,
                format!("{EVIDENCE}: cannot re-grade the bundled evidence: {e}"),
            );
            return Ok(());
        }
    };
    if let Some(m) = m
        && blame != EVIDENCE
    {
        let (profiles, summary) = summarize(&fresh);
        if profiles != m.profiles || summary != m.assessment {
            c.bad(
                MANIFEST,
                format!(
                    "{MANIFEST}: its profiles and grades differ from re-grading the bundled \
                     evidence"
                ),
            );
        }
    }
    let Some(b) = bundled else { return Ok(()) };
    let bundled: Value = match serde_json::from_slice(b) {
        Ok(v) => v,
        Err(e) => {
            c.bad(ASSESSMENT, format!("{ASSESSMENT} altered: not JSON ({e})"));
            return Ok(());
        }
    };
    let fresh = serde_json::to_value(&fresh).map_err(|source| BundleError::Encode {
        what: "the assessment",
        source,
    })?;
    match first_difference("", &bundled, &fresh) {
        None => c.ok(
            ASSESSMENT,
            format!("{ASSESSMENT}: equals re-grading the bundled evidence"),
        ),
        Some(at) => {
            let made_by = m.map(|m| m.tool.as_str());
            if made_by.is_some_and(|t| t != crate::TOOL) {
                notes.push(format!(
                    "{ASSESSMENT} differs from re-grading the evidence with {} (at {at}), but \
                     the bundle was made by {}: the difference may come from the versions",
                    crate::TOOL,
                    made_by.unwrap_or_default()
                ));
            } else {
                let msg = if blame == EVIDENCE {
                    format!(
                        "{EVIDENCE} altered: re-grading it no longer gives {ASSESSMENT} (first \
                         difference at {at})"
                    )
                } else {
                    format!(
                        "{ASSESSMENT} altered: it no longer equals re-grading the bundled \
                         evidence (first difference at {at})"
                    )
                };
                c.bad(blame, msg);
            }
        }
    }
    Ok(())
}

/// The JSON pointer of the first place where `a` and `b` differ.
fn first_difference(at: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let here = format!("{at}/{k}");
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(&here, v, w) {
                            return Some(d);
                        }
                    }
                    None => return Some(here),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{at}/{k}"))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(&format!("{at}/{i}"), v, w) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{at}/{}", x.len().min(y.len())))
        }
        _ => (a != b).then(|| {
            if at.is_empty() {
                "/".to_owned()
            } else {
                at.to_owned()
            }
        }),
    }
}

/// The text form of a bundle verification.
pub fn render(r: &BundleReport) -> String {
    let mut s = String::new();
    if r.intact {
        let incomplete = r
            .evidence
            .as_ref()
            .is_some_and(|e| e.integrity == Integrity::Incomplete);
        s.push_str(&format!(
            "{}: {}{}\n",
            if r.valid {
                "VALID"
            } else {
                "INTACT, SIGNER NOT PINNED"
            },
            r.file,
            if incomplete {
                " (evidence incomplete but intact: the run has no run-end)"
            } else {
                ""
            }
        ));
    } else if r.altered == ["signer"] {
        s.push_str(&format!("INVALID: {}: signed by another key\n", r.file));
    } else {
        s.push_str(&format!("ALTERED: {}: {}\n", r.file, r.altered.join(", ")));
    }
    s.push_str(&format!(
        "run {}  bundled {}  by {}\n",
        r.run_id.as_deref().unwrap_or("?"),
        r.created_at.as_deref().unwrap_or("?"),
        r.tool.as_deref().unwrap_or("?")
    ));
    match (&r.signer, r.pinned, r.signature_verified) {
        (Some(fp), true, true) => s.push_str(&format!("signer: {fp} (pinned with --key)\n")),
        (Some(fp), false, true) if r.valid => s.push_str(&format!(
            "signer: {fp} (not pinned, accepted with --allow-unpinned)\n"
        )),
        (Some(fp), false, true) => s.push_str(&format!(
            "signer: {fp} (not pinned: anyone can re-sign a bundle with a fresh key; pass \
             --key PUB to require this signer, or --allow-unpinned to accept any)\n"
        )),
        (Some(fp), pinned, false) => s.push_str(&format!(
            "signer: unknown: the signature does not verify with {fp}{}\n",
            if pinned {
                " (--key)"
            } else {
                " (the bundled key)"
            }
        )),
        (None, _, _) => s.push_str("signer: unknown (no public key to check the signature with)\n"),
    }
    for c in &r.checks {
        s.push_str(&format!(
            "{} {}\n",
            if c.ok { "ok " } else { "BAD" },
            c.message
        ));
    }
    for n in &r.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s
}

/// `kensa verify BUNDLE [--key PUB] [--allow-unpinned]`: stdout text and exit status (0
/// valid, 1 altered or invalid, [`EXIT_UNPINNED`] intact but the signer not pinned); `Err`
/// (exit 2) when the bundle or the key cannot be read.
pub fn verify_bundle(
    path: &Path,
    key: Option<&Path>,
    allow_unpinned: bool,
) -> Result<BundleReport, BundleError> {
    let pinned = key.map(PublicKey::read).transpose()?;
    let mut r = check_bundle(path, pinned.as_ref())?;
    if allow_unpinned && r.verdict == Verdict::IntactUnpinned {
        r.verdict = Verdict::Valid;
        r.valid = true;
    }
    Ok(r)
}

impl crate::output::Render for BundleReport {
    fn text(&self) -> String {
        render(self)
    }
    fn json(&self) -> String {
        crate::output::json_of(self)
    }
    fn exit_code(&self) -> u8 {
        self.verdict.exit_code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Issue 19: verification reads at most `ReadLimits` bytes and entries.
    #[test]
    fn read_limits_cap_the_whole_archive() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("b.tar");
        let big = vec![b'x'; 600];
        let tar = super::super::write_tar(
            &[("a", big.as_slice()), ("b", big.as_slice()), ("c", b"x")],
            0,
        )
        .unwrap();
        std::fs::write(&p, tar).unwrap();
        let read = |limits: ReadLimits| {
            let mut c = Checks::default();
            let e = read_archive(&p, limits, &mut c).unwrap();
            (e.len(), c.0)
        };
        let all = ReadLimits::default();
        assert_eq!(read(all).0, 3);
        let (n, checks) = read(ReadLimits { total: 1000, ..all });
        assert_eq!(n, 1);
        assert_eq!(checks.len(), 1);
        assert!(
            checks[0].message.contains("add up to more than 1000 bytes"),
            "{checks:?}"
        );
        let (n, checks) = read(ReadLimits { member: 599, ..all });
        assert_eq!(n, 1);
        assert_eq!(checks.len(), 2);
        let (n, checks) = read(ReadLimits { entries: 2, ..all });
        assert_eq!(n, 2);
        assert!(
            checks[0].message.contains("more than 2 entries"),
            "{checks:?}"
        );
    }

    #[test]
    fn first_difference_points_at_the_change() {
        let a = json!({"a": 1, "b": [1, {"c": "x"}]});
        assert_eq!(first_difference("", &a, &a), None);
        let b = json!({"a": 1, "b": [1, {"c": "y"}]});
        assert_eq!(first_difference("", &a, &b).as_deref(), Some("/b/1/c"));
        let c = json!({"a": 1, "b": [1]});
        assert_eq!(first_difference("", &a, &c).as_deref(), Some("/b/1"));
        let d = json!({"a": 1, "b": [1, {"c": "x"}], "e": 0});
        assert_eq!(first_difference("", &a, &d).as_deref(), Some("/e"));
        assert_eq!(
            first_difference("", &json!(1), &json!(2)).as_deref(),
            Some("/")
        );
    }
}

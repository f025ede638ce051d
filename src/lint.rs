//! `kensa lint CERT.pem|CHAIN.pem [--host NAME] [--time RFC3339] [--crl FILE]...`: judge a
//! certificate or a chain offline, as an evaluator checks what a provider submitted.
//!
//! The same analysis as the `x509.chain` probe (`kensa_probe_x509::analyse_chain_with`): the
//! chain as given, a trust verdict per store (Mozilla's roots, plus each `--trust-store`) with
//! every reason, and the certificate lints (`docs/lints.md`) for each certificate and the trust
//! anchor reached. `--crl` adds certificate revocation lists (PEM or DER) that the path is
//! checked against; kensa never fetches CRLs or OCSP itself. No network at all.
//!
//! Exit status: 0 when no lint reports an error and at least one store trusts the chain (or
//! `--list`); 1 otherwise; 2 for unreadable input.

use std::path::PathBuf;
use std::time::SystemTime;

use clap::Args;
use kensa_probe_x509::{
    ChainInput, ChainObservation, LINTS, LintSeverity, Options, TrustStore, Verdict,
};

/// Arguments of `kensa lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The certificate or chain: PEM (CERTIFICATE blocks, leaf first) or one DER certificate.
    #[arg(value_name = "CERT_OR_CHAIN", required_unless_present = "list")]
    pub file: Option<PathBuf>,
    /// The host name (or IP address) the certificate should name; without it no name check.
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,
    /// Judge at this time (RFC 3339, e.g. 2026-06-01T00:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub time: Option<String>,
    /// A certificate revocation list (PEM or DER) to check the chain against (repeatable).
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<PathBuf>,
    /// An extra trust store, `NAME=FILE` (PEM bundle of CA certificates; repeatable).
    #[arg(long = "trust-store", value_name = "NAME=FILE")]
    pub trust_stores: Vec<String>,
    /// List the lint rules instead (with `--markdown`: the `docs/lints.md` reference).
    #[arg(long)]
    pub list: bool,
    /// With `--list`: write Markdown.
    #[arg(long, requires = "list")]
    pub markdown: bool,
}

/// Why `kensa lint` could not judge.
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    /// A file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        message: String,
    },
    /// The input is not what was expected.
    #[error("{0}")]
    Input(String),
}

fn read(path: &PathBuf) -> Result<Vec<u8>, LintError> {
    std::fs::read(path).map_err(|e| LintError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

fn parse_time(s: &str) -> Result<SystemTime, LintError> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|e| LintError::Input(format!("--time {s:?} is not RFC 3339: {e}")))?;
    Ok(SystemTime::from(t))
}

/// What `kensa lint` found: the rule list, or the analysis of one chain with its exit status
/// (0 when no lint reports an error and at least one store trusts the chain, 1 otherwise).
#[derive(Debug, Clone)]
pub enum LintOutput {
    /// `--list`: every rule (`markdown`: rendered as the `docs/lints.md` reference).
    List {
        /// Whether Markdown was asked for.
        markdown: bool,
    },
    /// The analysis of the chain given.
    Chain {
        /// What the analysis observed.
        observation: Box<ChainObservation>,
        /// 0 or 1 (see the type's doc).
        code: u8,
    },
}

impl crate::output::Render for LintOutput {
    fn text(&self) -> String {
        match self {
            Self::List { markdown: true } => kensa_probe_x509::lints_markdown(),
            Self::List { markdown: false } => list_text(),
            Self::Chain { observation, .. } => render(observation),
        }
    }

    fn json(&self) -> String {
        match self {
            // Markdown was asked for explicitly: it wins over --json.
            Self::List { markdown: true } => kensa_probe_x509::lints_markdown(),
            Self::List { markdown: false } => {
                let rows: Vec<serde_json::Value> = LINTS
                    .iter()
                    .map(|l| {
                        serde_json::json!({
                            "id": l.id, "title": l.title, "clause": l.clause(),
                            "severity": l.severity.as_str(), "applies": l.applies.as_str(),
                            "effective": l.effective,
                        })
                    })
                    .collect();
                crate::output::json_of(&rows)
            }
            Self::Chain { observation, .. } => crate::output::json_of(observation),
        }
    }

    fn exit_code(&self) -> u8 {
        match self {
            Self::List { .. } => 0,
            Self::Chain { code, .. } => *code,
        }
    }
}

/// Runs `kensa lint`.
///
/// # Errors
/// An unreadable or unparsable certificate, CRL or trust store, or a bad `--time`.
pub fn lint(args: &LintArgs) -> Result<LintOutput, LintError> {
    if args.list {
        return Ok(LintOutput::List {
            markdown: args.markdown,
        });
    }
    let Some(path) = &args.file else {
        return Err(LintError::Input("no certificate file given".into()));
    };
    let bytes = read(path)?;
    let certificates = kensa_probe_x509::certificates_from_pem_or_der(&bytes)
        .map_err(|e| LintError::Input(format!("{}: {e}", path.display())))?;
    let mut crls = Vec::new();
    for p in &args.crls {
        let b = read(p)?;
        let der = kensa_probe_x509::crl_from_pem_or_der(&b)
            .map_err(|e| LintError::Input(format!("{}: {e}", p.display())))?;
        crls.push(der);
    }
    let mut stores = vec![TrustStore::mozilla()];
    for spec in &args.trust_stores {
        stores.push(TrustStore::from_spec(spec).map_err(|e| LintError::Input(e.to_string()))?);
    }
    let at = match &args.time {
        Some(t) => parse_time(t)?,
        None => SystemTime::now(),
    };
    let chain = ChainInput {
        label: path.display().to_string(),
        certificates,
        ocsp_response: None,
    };
    let host = args.host.clone().unwrap_or_default();
    let o =
        kensa_probe_x509::analyse_chain_with(&host, at, &chain, &stores, &Options { crls: &crls });
    let errors = o
        .lints
        .iter()
        .flat_map(|l| &l.findings)
        .any(|f| f.severity == LintSeverity::Error);
    let trusted = o.trust.iter().any(|t| t.verdict == Verdict::Trusted);
    Ok(LintOutput::Chain {
        observation: Box::new(o),
        code: if errors || !trusted { 1 } else { 0 },
    })
}

fn list_text() -> String {
    let mut out = String::new();
    for l in LINTS {
        out.push_str(&format!(
            "{}  {:<7}  {:<28}  {}{}\n",
            l.id,
            l.severity.as_str(),
            l.clause().chars().take(28).collect::<String>(),
            l.title,
            l.effective
                .map(|d| format!(" (from {d})"))
                .unwrap_or_default()
        ));
    }
    out
}

fn render(o: &ChainObservation) -> String {
    let mut out = String::new();
    for c in &o.certificates {
        let what = match &c.details {
            Some(d) => d.subject.clone(),
            None => format!(
                "does not parse: {}",
                c.parse_error.as_deref().unwrap_or("?")
            ),
        };
        out.push_str(&format!("certificate {}: {what}\n", c.index));
    }
    if o.hostname.checked {
        out.push_str(&format!(
            "host {}: {}\n",
            o.hostname.host,
            if o.hostname.matched {
                "named by the certificate"
            } else {
                "NOT named by the certificate"
            }
        ));
    }
    for t in &o.trust {
        out.push_str(&format!(
            "trust {}: {}",
            t.store,
            match t.verdict {
                Verdict::Trusted => "trusted",
                Verdict::Untrusted => "untrusted",
            }
        ));
        if let Some(a) = &t.anchor {
            out.push_str(&format!(" (anchor {a})"));
        }
        out.push('\n');
        for d in &t.details {
            let at = d.index.map(|i| format!("[{i}] ")).unwrap_or_default();
            let reason = serde_json::to_value(d.reason)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let source = serde_json::to_value(d.source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            out.push_str(&format!("  {reason} ({source}): {at}{}\n", d.detail));
        }
    }
    for l in &o.lints {
        let at = match (l.index, &l.store) {
            (Some(i), _) => format!("certificate {i}"),
            (None, Some(s)) => format!("anchor of {s}"),
            (None, None) => "anchor".into(),
        };
        out.push_str(&format!(
            "lints {at} ({}, {} rules): {}\n",
            l.role.as_str(),
            l.checked,
            if l.findings.is_empty() {
                "clean".to_owned()
            } else {
                format!("{} finding(s)", l.findings.len())
            }
        ));
        for f in &l.findings {
            out.push_str(&format!(
                "  {} {} [{}]: {}\n",
                f.severity.as_str(),
                f.id,
                f.clause,
                f.detail
            ));
        }
    }
    out
}

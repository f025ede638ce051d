//! What a probe that captures certificate chains hands to the certificate analysis
//! (`x509.chain`): the chains as served, each with its label, its OCSP staple and whether the
//! Certificate message was too large to read whole. `tls.scan` supplies them today; a STARTTLS
//! or QUIC probe supplies them the same way (a `chain_reader` on its adapter), and `x509.chain`
//! reads them from every earlier probe on the target that has one.

/// One certificate chain as a server sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuppliedChain {
    /// Where it came from, e.g. `rustls/ECDSA/TLS 1.3` (unique within the supplying probe).
    pub label: String,
    /// DER certificates, hex, leaf first as sent (with `oversized.cut`: the leaf alone, when it
    /// could be read, or nothing).
    pub certificates: Vec<String>,
    /// The OCSP response stapled with it, hex.
    pub ocsp_response: Option<String>,
    /// The Certificate message was larger than the smallest common client cap.
    pub oversized: Option<SuppliedOversize>,
}

/// A Certificate message too large for some common clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuppliedOversize {
    /// The message body's length as announced, bytes.
    pub certificate_message_bytes: usize,
    /// Whether the probe read only its first bytes.
    pub cut: bool,
    /// With `cut`: whether the leaf was read from those bytes.
    pub leaf_read: bool,
}

/// Reads the chains out of a probe's recorded observation (JSON). An `Err` says why the
/// observation could not be read.
pub type ChainReader = fn(&str) -> Result<Vec<SuppliedChain>, String>;

//! Trust stores: Mozilla's (webpki-roots, compiled in) and user PEM bundles.

use std::collections::HashMap;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, TrustAnchor};
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

use crate::Error;
use crate::der::wrap_sequence;
use crate::names::rfc4514;

/// One anchor's fields in the forms our own checks need.
#[derive(Clone, Debug)]
pub(crate) struct AnchorInfo {
    /// The anchor's SubjectPublicKeyInfo, full DER.
    pub(crate) spki_der: Vec<u8>,
    /// The subject as an RFC 4514 string.
    pub(crate) label: String,
    /// The anchor's own certificate (DER), when the store was built from certificates (a PEM
    /// bundle); Mozilla's compiled-in roots carry only name, key and constraints.
    pub(crate) cert_der: Option<Vec<u8>>,
}

/// A named set of trust anchors.
#[derive(Clone, Debug)]
pub struct TrustStore {
    name: String,
    pub(crate) anchors: Vec<TrustAnchor<'static>>,
    pub(crate) info: Vec<AnchorInfo>,
    by_subject: HashMap<Vec<u8>, Vec<usize>>,
}

impl TrustStore {
    fn build(
        name: String,
        anchors: Vec<TrustAnchor<'static>>,
        certs: Vec<Option<Vec<u8>>>,
    ) -> Self {
        let mut info = Vec::with_capacity(anchors.len());
        let mut by_subject: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for (i, a) in anchors.iter().enumerate() {
            let subject_der = wrap_sequence(a.subject.as_ref());
            let label = X509Name::from_der(&subject_der)
                .map(|(_, n)| rfc4514(&n))
                .unwrap_or_default();
            by_subject.entry(subject_der).or_default().push(i);
            info.push(AnchorInfo {
                spki_der: wrap_sequence(a.subject_public_key_info.as_ref()),
                label,
                cert_der: certs.get(i).cloned().flatten(),
            });
        }
        Self {
            name,
            anchors,
            info,
            by_subject,
        }
    }

    /// Mozilla's root program, as compiled into `webpki-roots` (name `mozilla`).
    pub fn mozilla() -> Self {
        Self::build(
            "mozilla".into(),
            webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            Vec::new(),
        )
    }

    /// A store from a PEM bundle of CA certificates (`--trust-store NAME=FILE`). Every
    /// `CERTIFICATE` block must be a usable anchor; other PEM blocks are ignored.
    pub fn from_pem(name: &str, pem: &[u8]) -> Result<Self, Error> {
        let mut anchors = Vec::new();
        let mut certs = Vec::new();
        for (i, item) in CertificateDer::pem_slice_iter(pem).enumerate() {
            let der = item.map_err(|e| Error::InvalidPem {
                store: name.into(),
                reason: format!("block {i}: {e}"),
            })?;
            let anchor = webpki::anchor_from_trusted_cert(&der)
                .map_err(|e| Error::InvalidPem {
                    store: name.into(),
                    reason: format!("certificate {i}: {e}"),
                })?
                .to_owned();
            anchors.push(anchor);
            certs.push(Some(der.to_vec()));
        }
        if anchors.is_empty() {
            return Err(Error::EmptyTrustStore { store: name.into() });
        }
        Ok(Self::build(name.into(), anchors, certs))
    }

    /// Parses `NAME=FILE` and reads the PEM bundle at FILE.
    pub fn from_spec(spec: &str) -> Result<Self, Error> {
        let (name, path) = spec
            .split_once('=')
            .filter(|(n, p)| !n.is_empty() && !p.is_empty())
            .ok_or_else(|| Error::BadTrustStoreSpec(spec.into()))?;
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            path: path.into(),
            message: e.to_string(),
        })?;
        Self::from_pem(name, &bytes)
    }

    /// The store's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many anchors it holds.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether it holds no anchors (never true for a store built by this crate).
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Anchors whose subject is this Name (full DER).
    /// Whether an anchor has this subject (DER) and this SubjectPublicKeyInfo (DER).
    pub(crate) fn holds(&self, subject_der: &[u8], spki_der: &[u8]) -> bool {
        self.by_subject(subject_der)
            .iter()
            .any(|&a| self.info.get(a).is_some_and(|i| i.spki_der == spki_der))
    }

    pub(crate) fn by_subject(&self, name_der: &[u8]) -> &[usize] {
        self.by_subject.get(name_der).map_or(&[], Vec::as_slice)
    }
}

//! Offline revocation: certificate revocation lists given as input (`kensa lint --crl`),
//! checked against the path. kensa never fetches a CRL itself.

use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::sig::{self, SigCheck};
use crate::store::TrustStore;
use crate::trust::{Cert, Path, Reason, ReasonDetail, Source};

/// Whether the bytes are one DER CRL (no trailing data).
pub(crate) fn check(der: &[u8]) -> Result<(), String> {
    match CertificateRevocationList::from_der(der) {
        Ok(([], _)) => Ok(()),
        Ok((rest, _)) => Err(format!("{} trailing bytes after the CRL", rest.len())),
        Err(e) => Err(e.to_string()),
    }
}

/// Every certificate on the path that a given CRL lists as revoked. A CRL counts for a
/// certificate when its issuer name is the certificate's issuer name and its signature
/// verifies with the key of that certificate's issuer on the path (the next certificate up, or
/// the anchor for the top one); a CRL that names the issuer but does not verify is reported.
pub(crate) fn revoked(
    certs: &[Option<Cert<'_>>],
    path: &Path,
    store: &TrustStore,
    crls: &[Vec<u8>],
) -> Vec<ReasonDetail> {
    let parsed: Vec<CertificateRevocationList<'_>> = crls
        .iter()
        .filter_map(|d| CertificateRevocationList::from_der(d).ok().map(|(_, c)| c))
        .collect();
    let mut out = Vec::new();
    if parsed.is_empty() {
        return out;
    }
    for (k, &i) in path.certs.iter().enumerate() {
        let Some(c) = certs.get(i).and_then(Option::as_ref) else {
            continue;
        };
        let issuer_spki: Option<SubjectPublicKeyInfo<'_>> = match path.certs.get(k + 1) {
            Some(&up) => certs
                .get(up)
                .and_then(Option::as_ref)
                .map(|u| u.x.public_key().clone()),
            None => path
                .anchor
                .and_then(|a| store.info.get(a))
                .and_then(|a| SubjectPublicKeyInfo::from_der(&a.spki_der).ok())
                .map(|(_, s)| s),
        };
        let Some(issuer_spki) = issuer_spki else {
            continue;
        };
        for crl in &parsed {
            if crl.issuer().as_raw() != c.x.issuer().as_raw() {
                continue;
            }
            let check = sig::verify(
                &issuer_spki,
                &crl.signature_algorithm,
                crl.tbs_cert_list.as_ref(),
                &crl.signature_value.data,
            );
            if check != SigCheck::Valid {
                out.push(ReasonDetail {
                    reason: Reason::CrlUnusable,
                    index: Some(i),
                    detail: format!(
                        "CRL of {} (thisUpdate {}) is not signed by this certificate's issuer key",
                        c.d.issuer,
                        crl.last_update()
                    ),
                    source: Source::Crl,
                });
                continue;
            }
            let serial = crate::der::strip_int(c.x.tbs_certificate.raw_serial());
            if let Some(r) = crl
                .iter_revoked_certificates()
                .find(|r| crate::der::strip_int(r.raw_serial()) == serial)
            {
                out.push(ReasonDetail {
                    reason: Reason::Revoked,
                    index: Some(i),
                    detail: format!(
                        "CRL of {} (thisUpdate {}) lists serial {} as revoked on {}{}",
                        c.d.issuer,
                        crl.last_update(),
                        c.d.serial,
                        r.revocation_date,
                        r.reason_code()
                            .map(|(_, code)| format!(" ({code})"))
                            .unwrap_or_default()
                    ),
                    source: Source::Crl,
                });
            }
        }
    }
    out
}

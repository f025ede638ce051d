//! Client certificates (issue 19) against `openssl s_server`: `-Verify` (a certificate
//! required), `-verify` (asked for, optional) and neither, each speaking TLS 1.3 and TLS 1.2.
//! The CA names listed are the DER Name of `-CAfile`'s certificate (CN=localhost).

mod support;

use kensa_probe_tls::client_auth::{ClientCertRequest, ClientCertificates};
use kensa_probe_tls::codec::SignatureScheme;
use support::process::{Keys, s_server};
use support::{config, scan};

/// CN=localhost as `openssl req -subj /CN=localhost` encodes it (a UTF8String).
const LOCALHOST_NAME: &str = "30143112301006035504030c096c6f63616c686f7374";

async fn client_certs(verify: Option<&str>) -> (ClientCertificates, u32) {
    let keys = Keys::new();
    let (cert, key, ca) = (
        keys.arg("rsa.pem"),
        keys.arg("rsa.key"),
        keys.arg("rsa.pem"),
    );
    let mut args = vec!["-cert", &cert, "-key", &key];
    if let Some(v) = verify {
        args.extend([v, "1", "-CAfile", &ca]);
    }
    let server = s_server(&args);
    let obs = scan(server.port, &config(2000)).await;
    (obs.client_certificates.expect("recorded"), obs.connections)
}

fn has_schemes(r: &ClientCertRequest) {
    for s in [
        SignatureScheme(0x0804), // rsa_pss_rsae_sha256
        SignatureScheme(0x0403), // ecdsa_secp256r1_sha256
    ] {
        assert!(r.signature_schemes.contains(&s), "{s:?} in {r:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_client_certificate() {
    let (c, _) = client_certs(Some("-Verify")).await;
    for (v, r) in [("TLS 1.3", &c.tls13), ("TLS 1.2", &c.tls12)] {
        let r = r.as_ref().unwrap_or_else(|| panic!("{v} recorded"));
        assert!(r.requested, "{v}: {r:?}");
        assert_eq!(r.required, Some(true), "{v}: {r:?}");
        assert_eq!(r.ca_names, [LOCALHOST_NAME], "{v}");
        assert!(r.detail.contains("alert"), "{v}: {r:?}");
        has_schemes(r);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_optional_client_certificate() {
    let (c, _) = client_certs(Some("-verify")).await;
    for (v, r) in [("TLS 1.3", &c.tls13), ("TLS 1.2", &c.tls12)] {
        let r = r.as_ref().unwrap_or_else(|| panic!("{v} recorded"));
        assert!(r.requested, "{v}: {r:?}");
        assert_eq!(r.required, Some(false), "{v}: {r:?}");
        assert_eq!(r.ca_names, [LOCALHOST_NAME], "{v}");
        has_schemes(r);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_client_certificate_asked() {
    let (c, _) = client_certs(None).await;
    for (v, r) in [("TLS 1.3", &c.tls13), ("TLS 1.2", &c.tls12)] {
        let r = r.as_ref().unwrap_or_else(|| panic!("{v} recorded"));
        assert!(!r.requested, "{v}: {r:?}");
        assert_eq!(r.required, None, "{v}: {r:?}");
        assert!(
            r.ca_names.is_empty() && r.signature_schemes.is_empty(),
            "{v}"
        );
    }
}

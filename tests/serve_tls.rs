//! `kensa serve --tls-cert --tls-key`: HTTPS with rustls (ring) on loopback; the session
//! cookie is `Secure` there, and responses carry HSTS.

mod serve_common;

use serve_common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_secure_cookies() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    let (cert_pem, key_pem) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_pem, cert.pem()).unwrap();
    std::fs::write(&key_pem, key.serialize_pem()).unwrap();
    let runs = write_runs(dir.path());
    let db = dir.path().join("kensa.db");
    let mut st = kensa::store::Store::open(&db).unwrap();
    for r in &runs {
        st.import_run(r).unwrap();
    }
    drop(st);
    let s = start_with(dir, db, Some((cert_pem, key_pem)));
    assert!(s.base.starts_with("https://127.0.0.1:"));

    let _ = rustls::crypto::ring::default_provider().install_default();
    let c = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.pem().as_bytes()).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c.get(format!("{}/healthz", s.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().contains_key("strict-transport-security"));
    let r = c
        .get(format!("{}/api/v1/providers", s.base))
        .bearer_auth(&s.tokens.viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Log in: every cookie is Secure over TLS.
    let r = c.get(format!("{}/login", s.base)).send().await.unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
    let csrf = cookie
        .strip_prefix("kensa_login_csrf=")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let r = c
        .post(format!("{}/login", s.base))
        .header("cookie", format!("kensa_login_csrf={csrf}"))
        .form(&[("csrf", csrf.as_str()), ("token", s.tokens.viewer.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("kensa_session="))
        .unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"));
    assert!(session.contains("; Secure"), "{session}");

    // Plain HTTP to the TLS port gets no answer.
    let plain = reqwest::Client::new()
        .get(s.base.replace("https://", "http://") + "/healthz")
        .send()
        .await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());
}

//! Regenerates the fixture PKI in `fixtures/pki/` (see `fixtures/README.md`).
//!
//! Keys are made once with `openssl genpkey` (kept in `fixtures/pki/keys/`, reused on later
//! runs so the certificates keep their keys); certificates are made with rcgen, except the
//! SHA-1-signed intermediate (rcgen cannot sign SHA-1: `openssl ca -md sha1`) and the OCSP
//! responses (`openssl ocsp`). RSA signatures are deterministic; ECDSA ones are not, so EC
//! certificates differ byte-wise on each run. Run from anywhere:
//! `cargo run -p kensa-probe-x509 --example gen_pki`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, CrlDistributionPoint, CustomExtension,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, NameConstraints, SerialNumber, SubjectPublicKeyInfo, date_time_ymd,
};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/pki")
}

fn run(cmd: &mut Command) -> Res<()> {
    let st = cmd.status()?;
    if !st.success() {
        return Err(format!("{cmd:?} failed: {st}").into());
    }
    Ok(())
}

/// A key made once by openssl and reused.
fn key(name: &str, spec: &[&str]) -> Res<PathBuf> {
    let p = dir().join("keys").join(format!("{name}.key"));
    if !p.exists() {
        fs::create_dir_all(dir().join("keys"))?;
        let mut c = Command::new("openssl");
        c.arg("genpkey").args(spec).arg("-out").arg(&p);
        run(&mut c)?;
    }
    Ok(p)
}

const RSA: &[&str] = &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];
const RSA1024: &[&str] = &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"];
const P256: &[&str] = &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];

fn keypair(name: &str, spec: &[&str]) -> Res<KeyPair> {
    Ok(KeyPair::from_pem(&fs::read_to_string(key(name, spec)?)?)?)
}

fn dn(cn: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::OrganizationName, "Kensa Test CA");
    d.push(DnType::CommonName, cn);
    d
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else if n < 0x100 {
        v.extend_from_slice(&[0x81, n as u8]);
    } else {
        v.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    v.extend_from_slice(content);
    v
}

fn aia() -> CustomExtension {
    let ocsp = [
        tlv(0x06, &[0x2b, 6, 1, 5, 5, 7, 0x30, 1]),
        tlv(0x86, b"http://ocsp.pki.test/"),
    ]
    .concat();
    let issuers = [
        tlv(0x06, &[0x2b, 6, 1, 5, 5, 7, 0x30, 2]),
        tlv(0x86, b"http://pki.test/inter-rsa.der"),
    ]
    .concat();
    let body = tlv(0x30, &[tlv(0x30, &ocsp), tlv(0x30, &issuers)].concat());
    CustomExtension::from_oid_content(&[1, 3, 6, 1, 5, 5, 7, 1, 1], body)
}

fn dv_policy() -> CustomExtension {
    let body = tlv(0x30, &tlv(0x30, &tlv(0x06, &[0x67, 0x81, 0x0c, 1, 2, 1])));
    CustomExtension::from_oid_content(&[2, 5, 29, 32], body)
}

fn scts() -> CustomExtension {
    let mut list = Vec::new();
    for (log, ts) in [
        (0x11u8, 1_767_225_600_000u64),
        (0x22u8, 1_767_225_601_000u64),
    ] {
        let mut sct = vec![0u8];
        sct.extend_from_slice(&[log; 32]);
        sct.extend_from_slice(&ts.to_be_bytes());
        sct.extend_from_slice(&[0, 0, 4, 3, 0, 8]);
        sct.extend_from_slice(&[0u8; 8]);
        list.extend_from_slice(&(sct.len() as u16).to_be_bytes());
        list.extend_from_slice(&sct);
    }
    let mut tls = (list.len() as u16).to_be_bytes().to_vec();
    tls.extend_from_slice(&list);
    CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 11129, 2, 4, 2], tlv(0x04, &tls))
}

fn must_staple() -> CustomExtension {
    CustomExtension::from_oid_content(
        &[1, 3, 6, 1, 5, 5, 7, 1, 24],
        vec![0x30, 0x03, 0x02, 0x01, 0x05],
    )
}

fn ca_params(cn: &str, serial: u16, path_len: Option<u8>, until: i32) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = dn(cn);
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(until, 1, 1);
    p.is_ca = IsCa::Ca(match path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.serial_number = Some(SerialNumber::from_slice(&serial.to_be_bytes()));
    p.use_authority_key_identifier_extension = true;
    p
}

fn leaf_params(
    sans: &[&str],
    serial: u16,
    from: (i32, u8, u8),
    to: (i32, u8, u8),
) -> Res<CertificateParams> {
    let mut p = CertificateParams::new(sans.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())?;
    let mut d = DistinguishedName::new();
    d.push(DnType::CommonName, sans.first().copied().unwrap_or("leaf"));
    p.distinguished_name = d;
    p.not_before = date_time_ymd(from.0, from.1, from.2);
    p.not_after = date_time_ymd(to.0, to.1, to.2);
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    p.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    p.serial_number = Some(SerialNumber::from_slice(&serial.to_be_bytes()));
    p.use_authority_key_identifier_extension = true;
    Ok(p)
}

const FROM: (i32, u8, u8) = (2026, 1, 1);
const TO: (i32, u8, u8) = (2026, 12, 1);

fn write(name: &str, pem: &str) -> Res<()> {
    fs::write(dir().join(name), pem)?;
    println!("wrote fixtures/pki/{name}");
    Ok(())
}

/// The SHA-1-signed intermediate: `openssl ca -md sha1` with fixed dates, signed by root-rsa.
fn sha1_intermediate() -> Res<String> {
    let tmp = std::env::temp_dir().join(format!("kensa-gen-pki-{}", std::process::id()));
    fs::create_dir_all(&tmp)?;
    fs::write(tmp.join("index.txt"), "")?;
    fs::write(tmp.join("serial"), "2003\n")?;
    let cnf = format!(
        "[ca]\ndefault_ca=d\n[d]\ndir={t}\ndatabase={t}/index.txt\nserial={t}/serial\nnew_certs_dir={t}\npolicy=p\n\
         unique_subject=no\ncopy_extensions=none\n[p]\norganizationName=supplied\ncommonName=supplied\n\
         [v3]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n\
         subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        t = tmp.display()
    );
    fs::write(tmp.join("ca.cnf"), cnf)?;
    let csr = tmp.join("inter.csr");
    run(Command::new("openssl")
        .args(["req", "-new", "-key"])
        .arg(key("inter-rsa", RSA)?)
        .args([
            "-subj",
            "/O=Kensa Test CA/CN=Kensa Test Intermediate SHA1",
            "-out",
        ])
        .arg(&csr))?;
    let out = tmp.join("inter-sha1.pem");
    run(Command::new("openssl")
        .args([
            "ca",
            "-batch",
            "-notext",
            "-preserveDN",
            "-md",
            "sha1",
            "-config",
        ])
        .arg(tmp.join("ca.cnf"))
        .args([
            "-extensions",
            "v3",
            "-startdate",
            "20250101000000Z",
            "-enddate",
            "20320101000000Z",
            "-cert",
        ])
        .arg(dir().join("root-rsa.pem"))
        .arg("-keyfile")
        .arg(key("root-rsa", RSA)?)
        .arg("-in")
        .arg(&csr)
        .arg("-out")
        .arg(&out))?;
    let pem = fs::read_to_string(&out)?;
    fs::remove_dir_all(&tmp)?;
    Ok(pem)
}

/// OCSP responses for leaf-rsa (and one for leaf-expired), signed by inter-rsa, valid 7 days
/// from now (openssl cannot back-date thisUpdate).
fn ocsp_responses(leaf_serial: &str, other_serial: &str) -> Res<()> {
    let tmp = std::env::temp_dir().join(format!("kensa-gen-ocsp-{}", std::process::id()));
    fs::create_dir_all(&tmp)?;
    let d = dir();
    let cases: [(&str, &str, &str, &str, &[&str]); 3] = [
        ("ocsp-good.der", "leaf-rsa.pem", "V", "", &[]),
        (
            "ocsp-revoked.der",
            "leaf-rsa.pem",
            "R",
            "260301000000Z,keyCompromise",
            &["-resp_key_id", "-resp_no_certs"],
        ),
        ("ocsp-other.der", "leaf-expired.pem", "V", "", &[]),
    ];
    for (out, cert, flag, rev, extra) in cases {
        let serial = if cert == "leaf-rsa.pem" {
            leaf_serial
        } else {
            other_serial
        };
        fs::write(
            tmp.join("index.txt"),
            format!("{flag}\t261201000000Z\t{rev}\t{serial}\tunknown\t/CN=x\n"),
        )?;
        let req = tmp.join("req.der");
        run(Command::new("openssl")
            .args(["ocsp", "-no_nonce", "-issuer"])
            .arg(d.join("inter-rsa.pem"))
            .arg("-cert")
            .arg(d.join(cert))
            .arg("-reqout")
            .arg(&req))?;
        run(Command::new("openssl")
            .args(["ocsp", "-index"])
            .arg(tmp.join("index.txt"))
            .arg("-rsigner")
            .arg(d.join("inter-rsa.pem"))
            .arg("-rkey")
            .arg(key("inter-rsa", RSA)?)
            .arg("-CA")
            .arg(d.join("inter-rsa.pem"))
            .arg("-reqin")
            .arg(&req)
            .args(["-ndays", "7"])
            .args(extra)
            .arg("-respout")
            .arg(d.join(out)))?;
        println!("wrote fixtures/pki/{out}");
    }
    fs::remove_dir_all(&tmp)?;
    Ok(())
}

fn main() -> Res<()> {
    fs::create_dir_all(dir())?;
    // RSA PKI.
    let root = CertifiedIssuer::self_signed(
        ca_params("Kensa Test Root RSA", 0x0001, None, 2035),
        keypair("root-rsa", RSA)?,
    )?;
    write("root-rsa.pem", &root.pem())?;
    let inter = CertifiedIssuer::signed_by(
        ca_params("Kensa Test Intermediate RSA", 0x0101, Some(0), 2032),
        keypair("inter-rsa", RSA)?,
        &root,
    )?;
    write("inter-rsa.pem", &inter.pem())?;
    let leaf_key = keypair("leaf-rsa", RSA)?;
    let mut p = leaf_params(&["www.good.test", "good.test"], 0x1001, FROM, TO)?;
    p.crl_distribution_points = vec![CrlDistributionPoint {
        uris: vec!["http://crl.pki.test/inter-rsa.crl".into()],
    }];
    p.custom_extensions = vec![aia(), dv_policy(), scts()];
    write("leaf-rsa.pem", &p.signed_by(&leaf_key, &inter)?.pem())?;

    // ECDSA P-256 PKI.
    let root_ec = CertifiedIssuer::self_signed(
        ca_params("Kensa Test Root EC", 0x0002, None, 2035),
        keypair("root-ec", P256)?,
    )?;
    write("root-ec.pem", &root_ec.pem())?;
    let inter_ec = CertifiedIssuer::signed_by(
        ca_params("Kensa Test Intermediate EC", 0x0102, Some(0), 2032),
        keypair("inter-ec", P256)?,
        &root_ec,
    )?;
    write("inter-ec.pem", &inter_ec.pem())?;
    write(
        "leaf-ec.pem",
        &leaf_params(&["www.good.test"], 0x1002, FROM, TO)?
            .signed_by(&keypair("leaf-ec", P256)?, &inter_ec)?
            .pem(),
    )?;

    // Leaves under inter-rsa.
    let simple = |name: &str, sans: &[&str], serial: u16, from, to| -> Res<()> {
        write(
            name,
            &leaf_params(sans, serial, from, to)?
                .signed_by(&leaf_key, &inter)?
                .pem(),
        )
    };
    simple(
        "leaf-expired.pem",
        &["www.good.test"],
        0x1003,
        (2025, 1, 1),
        (2025, 6, 1),
    )?;
    simple(
        "leaf-notyet.pem",
        &["www.good.test"],
        0x1004,
        (2026, 7, 1),
        (2027, 1, 1),
    )?;
    simple("leaf-wildcard.pem", &["*.a.test"], 0x1005, FROM, TO)?;
    simple(
        "leaf-partial-wildcard.pem",
        &["b*.a.test"],
        0x1006,
        FROM,
        TO,
    )?;
    simple(
        "leaf-long.pem",
        &["www.good.test"],
        0x1007,
        (2026, 1, 1),
        (2027, 3, 1),
    )?;
    let mut p = leaf_params(&["www.good.test"], 0x1008, FROM, TO)?;
    p.custom_extensions = vec![must_staple()];
    write(
        "leaf-muststaple.pem",
        &p.signed_by(&leaf_key, &inter)?.pem(),
    )?;
    let mut p = leaf_params(&["www.good.test"], 0x1009, FROM, TO)?;
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    write(
        "leaf-clientauth.pem",
        &p.signed_by(&leaf_key, &inter)?.pem(),
    )?;
    let weak = SubjectPublicKeyInfo::from_pem(&String::from_utf8(
        Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(key("leaf-rsa1024", RSA1024)?)
            .output()?
            .stdout,
    )?)?;
    write(
        "leaf-rsa1024.pem",
        &leaf_params(&["www.good.test"], 0x100a, FROM, TO)?
            .signed_by(&weak, &inter)?
            .pem(),
    )?;

    // Self-signed leaf.
    let mut p = leaf_params(&["www.good.test"], 0x100b, FROM, TO)?;
    p.distinguished_name = dn("www.good.test self-signed");
    write("self-signed.pem", &p.self_signed(&leaf_key)?.pem())?;

    // Unknown root: the same shape, under a root no test store holds.
    let other_root = CertifiedIssuer::self_signed(
        ca_params("Kensa Unknown Root", 0x0003, None, 2035),
        keypair("other-root", RSA)?,
    )?;
    write("other-root.pem", &other_root.pem())?;
    let other_inter = CertifiedIssuer::signed_by(
        ca_params("Kensa Unknown Intermediate", 0x0103, Some(0), 2032),
        keypair("inter-rsa", RSA)?,
        &other_root,
    )?;
    write("other-inter.pem", &other_inter.pem())?;
    write(
        "leaf-other.pem",
        &leaf_params(&["www.good.test"], 0x100c, FROM, TO)?
            .signed_by(&leaf_key, &other_inter)?
            .pem(),
    )?;

    // Name-constrained intermediate (permits allowed.test only) and a leaf outside it.
    let mut p = ca_params("Kensa Test Constrained Intermediate", 0x0104, Some(0), 2032);
    p.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::DnsName("allowed.test".into())],
        excluded_subtrees: vec![],
    });
    let inter_nc = CertifiedIssuer::signed_by(p, keypair("inter-rsa", RSA)?, &root)?;
    write("inter-nc.pem", &inter_nc.pem())?;
    write(
        "leaf-nc.pem",
        &leaf_params(&["www.good.test"], 0x100d, FROM, TO)?
            .signed_by(&leaf_key, &inter_nc)?
            .pem(),
    )?;

    // An "intermediate" without CA:TRUE (basicConstraints cA false) and a leaf under it.
    let mut p = ca_params("Kensa Test Non-CA Intermediate", 0x0105, None, 2032);
    p.is_ca = IsCa::ExplicitNoCa;
    let inter_noca = CertifiedIssuer::signed_by(p, keypair("inter-rsa", RSA)?, &root)?;
    write("inter-noca.pem", &inter_noca.pem())?;
    write(
        "leaf-noca.pem",
        &leaf_params(&["www.good.test"], 0x100e, FROM, TO)?
            .signed_by(&leaf_key, &inter_noca)?
            .pem(),
    )?;

    // SHA-1-signed intermediate (openssl) and a leaf under it (rcgen, SHA-256).
    let sha1_pem = sha1_intermediate()?;
    write("inter-sha1.pem", &sha1_pem)?;
    let sha1_issuer = Issuer::from_ca_cert_pem(&sha1_pem, keypair("inter-rsa", RSA)?)?;
    write(
        "leaf-sha1inter.pem",
        &leaf_params(&["www.good.test"], 0x100f, FROM, TO)?
            .signed_by(&leaf_key, &sha1_issuer)?
            .pem(),
    )?;

    ocsp_responses("1001", "1003")?;
    Ok(())
}

#!/usr/bin/env python3
"""Regenerate cipher-suites.tsv from its sources (run by hand; not part of the build).

Inputs (paths as arguments):
  1. tls-parser 0.12.2's scripts/tls-ciphersuites.txt (MIT/Apache-2.0; a facts table built
     from the IANA registry) -- found in ~/.cargo/registry/src/*/tls-parser-0.12.2/.
  2. the output of `openssl ciphers -stdname -V 'ALL:COMPLEMENTOFALL:eNULL:@SECLEVEL=0'`
     (OpenSSL 3.0, IANA name -> OpenSSL name and protocol column).
  3. the openssl-ciphers(1) manual page (zcat'ed), whose tables map standard names to
     OpenSSL names, including suites OpenSSL 3 no longer implements.

Usage: make-cipher-suites-tsv.py tls-ciphersuites.txt ciphers.txt openssl-ciphers.1 > cipher-suites.tsv
"""
import re
import sys

# Suites the IANA registry assigns that tls-parser 0.12.2 lacks (RFC 9189 for TLS 1.2,
# RFC 9367 for TLS 1.3). code, name, kx, auth, cipher, bits, mode, mac, min_version, rfc
EXTRA = [
    (0xC100, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", "GOST", "GOST", "KUZNYECHIK", 256, "CTR_OMAC", "OMAC", "TLS1.2", "rfc9189"),
    (0xC101, "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC", "GOST", "GOST", "MAGMA", 256, "CTR_OMAC", "OMAC", "TLS1.2", "rfc9189"),
    (0xC102, "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT", "GOST", "GOST", "GOST28147", 256, "CNT_IMIT", "IMIT", "TLS1.2", "rfc9189"),
    (0xC103, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L", "ANY", "ANY", "KUZNYECHIK", 256, "MGM", "AEAD", "TLS1.3", "rfc9367"),
    (0xC104, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L", "ANY", "ANY", "MAGMA", 256, "MGM", "AEAD", "TLS1.3", "rfc9367"),
    (0xC105, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S", "ANY", "ANY", "KUZNYECHIK", 256, "MGM", "AEAD", "TLS1.3", "rfc9367"),
    (0xC106, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S", "ANY", "ANY", "MAGMA", 256, "MGM", "AEAD", "TLS1.3", "rfc9367"),
]

# OpenSSL names of suites removed in OpenSSL 1.1.0 (export, single DES, EXPORT1024), as
# listed by OpenSSL 1.0.2's ciphers(1) manual page.
OPENSSL_102 = {
    0x0003: "EXP-RC4-MD5", 0x0006: "EXP-RC2-CBC-MD5", 0x0008: "EXP-DES-CBC-SHA",
    0x0009: "DES-CBC-SHA", 0x000B: "EXP-DH-DSS-DES-CBC-SHA", 0x000C: "DH-DSS-DES-CBC-SHA",
    0x000E: "EXP-DH-RSA-DES-CBC-SHA", 0x000F: "DH-RSA-DES-CBC-SHA",
    0x0011: "EXP-EDH-DSS-DES-CBC-SHA", 0x0012: "EDH-DSS-DES-CBC-SHA",
    0x0014: "EXP-EDH-RSA-DES-CBC-SHA", 0x0015: "EDH-RSA-DES-CBC-SHA",
    0x0017: "EXP-ADH-RC4-MD5", 0x0019: "EXP-ADH-DES-CBC-SHA", 0x001A: "ADH-DES-CBC-SHA",
    0x0060: "EXP1024-RC4-MD5", 0x0061: "EXP1024-RC2-CBC-MD5", 0x0062: "EXP1024-DES-CBC-SHA",
    0x0063: "EXP1024-DHE-DSS-DES-CBC-SHA", 0x0064: "EXP1024-RC4-SHA",
    0x0065: "EXP1024-DHE-DSS-RC4-SHA", 0x0066: "DHE-DSS-RC4-SHA",
}

# Code points IANA marks "Reserved to avoid conflicts with widely deployed implementations"
# that were deployed anyway (EXPORT1024, draft-ietf-tls-56-bit-ciphersuites-01).
HISTORIC = set(range(0x0060, 0x0067))

OSSL_PROTO = {"SSLv3": "SSL3.0", "TLSv1": "TLS1.0", "TLSv1.0": "TLS1.0", "TLSv1.2": "TLS1.2", "TLSv1.3": "TLS1.3"}


def main():
    tp, ossl, man = sys.argv[1:4]
    ossl_name, ossl_proto = {}, {}
    for line in open(ossl):
        f = line.split()
        if len(f) < 6:
            continue
        hi, lo = f[0].split(",")
        code = (int(hi, 16) << 8) | int(lo, 16)
        ossl_name[code] = f[4]
        ossl_proto[code] = OSSL_PROTO[f[5]]
    man_map = {}
    for line in open(man):
        m = re.match(r"^\\& ((?:TLS|SSL)_\S+)\s+(\S.*)$", line.rstrip())
        if m and "Not implemented" not in m.group(2):
            name = "TLS_" + m.group(1)[4:] if m.group(1).startswith("SSL_") else m.group(1)
            man_map.setdefault(name, m.group(2).replace("\\-", "-").split()[0])

    rows = {}
    for line in open(tp):
        f = line.strip().split(":")
        if len(f) < 15:
            continue
        code = int(f[0], 16)
        name, kx, au, enc, mode, bits, mac, prf = f[1], f[2], f[3], f[4], f[5], int(f[6]), f[7], f[9]
        rfc, exp = f[11], f[12] == "1"
        kx = {"TLS13": "ANY"}.get(kx, kx)
        if name.startswith("TLS_PSK_DHE_"):
            kx, au = "DHE", "PSK"  # tls-parser 0.12.2 swaps these two columns (RFC 6655)
        if "_anon_" in name:
            au = "anon"
        au = {"TLS13": "ANY"}.get(au, au)
        # Mode, from the IANA name (tls-parser leaves RC4/ChaCha20 modes empty, marks AEGIS NULL).
        if enc == "CHACHA20_POLY1305":
            enc, mode, bits = "CHACHA20", "ChaCha20-Poly1305", 256  # RFC 7905: 256-bit key
        elif enc == "AEGIS":
            enc = "AEGIS-256" if "AEGIS_256" in name else "AEGIS-128L"
            mode, mac = "AEGIS", "AEAD"
        elif enc == "RC4":
            mode = "stream"
        elif enc == "NULL":
            mode = "NULL"
        elif mode == "CCM" and "CCM_8" in name:
            mode = "CCM8"
        mac = {"HMAC-SHA1": "SHA1", "HMAC-MD5": "MD5", "HMAC-SHA256": "SHA256", "HMAC-SHA384": "SHA384"}.get(mac, mac)
        if "EXPORT" in name:
            exp = True
        if code in (0x00FF, 0x5600):
            kx = au = enc = mode = mac = "NULL"
        tls13 = kx == "ANY"
        aead = mode in ("GCM", "CCM", "CCM8", "ChaCha20-Poly1305", "AEGIS", "MGM")
        # Forward secrecy: ephemeral (EC)DH, TLS 1.3 (always (EC)DHE or PSK-(EC)DHE in practice),
        # ECCPWD (RFC 8492, ephemeral) and SRP (RFC 5054; session keys from ephemeral a, b).
        fs = kx in ("DHE", "ECDHE", "ANY", "ECCPWD", "SRP")
        if code in ossl_proto:
            minv = ossl_proto[code]
        elif tls13:
            minv = "TLS1.3"
        elif aead or prf != "DEFAULT":
            minv = "TLS1.2"
        elif code <= 0x001B:
            minv = "SSL3.0"
        else:
            minv = "TLS1.0"
        if code in (0x00FF, 0x5600):
            minv = "SSL3.0"
        rows[code] = [name, kx, au, enc, bits, mode, mac, aead, fs, exp, minv, rfc]
    for (code, name, kx, au, enc, bits, mode, mac, minv, rfc) in EXTRA:
        aead = mode == "MGM"
        rows[code] = [name, kx, au, enc, bits, mode, mac, aead, kx == "ANY", False, minv, rfc]

    print("# kensa cipher-suite facts table: one row per TLS cipher suite code point.")
    print("# Sources: IANA TLS Cipher Suites registry")
    print("#   (https://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml#tls-parameters-4),")
    print("#   tls-parser 0.12.2 scripts/tls-ciphersuites.txt (MIT/Apache-2.0, facts only),")
    print("#   RFC 9189 and RFC 9367 (GOST suites), OpenSSL 3.0.19 `openssl ciphers -stdname -V")
    print("#   ALL:COMPLEMENTOFALL:eNULL:@SECLEVEL=0` and openssl-ciphers(1) (OpenSSL names and the")
    print("#   protocol column), OpenSSL 1.0.2 ciphers(1) (names of removed export/DES suites).")
    print("# Generated by make-cipher-suites-tsv.py; src/suites_table.rs is generated from this file")
    print("# (`KENSA_REGEN=1 cargo test -p kensa-probe-tls suites_table`).")
    print("# Columns: code, IANA name, OpenSSL name ('-' if none), key exchange, authentication,")
    print("#   cipher, key bits, mode, MAC (AEAD when the mode is AEAD), aead, forward secrecy,")
    print("#   export grade, min protocol version (OpenSSL's protocol column when OpenSSL implements")
    print("#   the suite; otherwise TLS1.3 for TLS 1.3 suites, TLS1.2 for AEAD/SHA-2 PRF suites,")
    print("#   SSL3.0 for 0x0000-0x001B, TLS1.0 for the rest), status (iana = assigned in the")
    print("#   registry; historic = IANA-reserved code point that deployed software used), reference.")
    print("\t".join(["code", "iana_name", "openssl_name", "kx", "auth", "cipher", "key_bits", "mode",
                     "mac", "aead", "fs", "export", "min_version", "status", "reference"]))
    yn = lambda b: "yes" if b else "no"
    for code in sorted(rows):
        name, kx, au, enc, bits, mode, mac, aead, fs, exp, minv, rfc = rows[code]
        on = ossl_name.get(code) or man_map.get(name) or OPENSSL_102.get(code) or "-"
        if code in (0x00FF, 0x5600):
            on = "-"
        print("\t".join([f"0x{code:04X}", name, on, kx, au, enc, str(bits), mode, mac, yn(aead), yn(fs), yn(exp),
                         minv, "historic" if code in HISTORIC else "iana", rfc]))
    # Report gaps against the assigned ranges, for the human running this.
    assigned = (set(range(0x0000, 0x0047)) - {0x001C, 0x001D}) | set(range(0x0067, 0x006E)) | set(range(0x0084, 0x00C8)) \
        | {0x00FF, 0x5600} | set(range(0x1301, 0x1308)) | set(range(0xC001, 0xC0B6)) | set(range(0xC100, 0xC107)) \
        | set(range(0xCCA8, 0xCCAF)) | {0xD001, 0xD002, 0xD003, 0xD005}
    missing = sorted(assigned - set(rows))
    print(f"rows={len(rows)} missing={[hex(c) for c in missing]}", file=sys.stderr)


main()

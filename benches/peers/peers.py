#!/usr/bin/env python3
"""Helper for the kensa peer-comparison lab (stdlib only).

  peers.py conf   N STATE_DIR          print the nginx.conf for N lab endpoints
  peers.py expect N STATE_DIR          print lab.json: the facts each endpoint should show
  peers.py sserver N STATE_DIR         print the argv (JSON, one a line) of the s_server endpoints
  peers.py parse  TOOL FILE_OR_DIR     print {port: {versions, suites, groups}} found by TOOL
  peers.py report RUN_DIR LAB_JSON     print the Markdown table; write RUN_DIR/summary.json
  peers.py verify-lab LAB_JSON         handshake once per expected suite and group (in the netns)

Expected suites are never written by hand: they come from `openssl ciphers -stdname -s
-<version>` over each endpoint's cipher string, filtered by what the endpoint can really
negotiate (its certificate types, whether it has EC groups and DH parameters); see README.md.
Tools' findings are mapped to IANA names through kensa's own suite table
(probes/tls/data/cipher-suites.tsv), by code point where the tool gives one.
"""

import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
SUITES_TSV = os.path.join(REPO, "probes", "tls", "data", "cipher-suites.tsv")
BASE_PORT = int(os.environ.get("LAB_BASE_PORT", "10001"))

VERSIONS = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
OPENSSL_VFLAG = {"TLSv1.0": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2", "TLSv1.3": "-tls1_3"}
NGINX_PROTO = {"TLSv1.0": "TLSv1", "TLSv1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2", "TLSv1.3": "TLSv1.3"}

# Group names as tools print them -> IANA TLS Supported Groups registry names.
GROUP_ALIASES = {
    "x25519": "x25519", "ecdh_x25519": "x25519", "x448": "x448", "ecdh_x448": "x448",
    "prime256v1": "secp256r1", "secp256r1": "secp256r1", "p-256": "secp256r1", "nistp256": "secp256r1",
    "secp384r1": "secp384r1", "p-384": "secp384r1", "nistp384": "secp384r1",
    "secp521r1": "secp521r1", "p-521": "secp521r1", "nistp521": "secp521r1",
    "ffdhe2048": "ffdhe2048", "ffdhe3072": "ffdhe3072", "ffdhe4096": "ffdhe4096",
    "ffdhe6144": "ffdhe6144", "ffdhe8192": "ffdhe8192",
    "x25519mlkem768": "X25519MLKEM768", "secp256r1mlkem768": "SecP256r1MLKEM768",
    "secp384r1mlkem1024": "SecP384r1MLKEM1024",
}
# IANA group code points (for tools that print hex ids)
GROUP_CODES = {0x17: "secp256r1", 0x18: "secp384r1", 0x19: "secp521r1", 0x1d: "x25519", 0x1e: "x448",
               0x100: "ffdhe2048", 0x101: "ffdhe3072", 0x102: "ffdhe4096", 0x103: "ffdhe6144",
               0x104: "ffdhe8192", 0x11ec: "X25519MLKEM768", 0x11eb: "SecP256r1MLKEM768",
               0x11ed: "SecP384r1MLKEM1024"}

# ---------------------------------------------------------------------------------------------
# The lab's endpoint configurations. Cycled a, b, c, d, a, ... over ports BASE_PORT.. .
# 'ciphers' is the OpenSSL cipher string for TLS <= 1.2, 'ciphersuites' the TLS 1.3 list
# (None = OpenSSL's default), 'groups' the OpenSSL group list, 'certs' the certificate types.
CONFIGS = [
    {
        "name": "a-modern",
        "versions": ["TLSv1.2", "TLSv1.3"],
        "ciphers": "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                   "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                   "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                   "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256",
        "ciphersuites": None,
        "groups": ["x25519", "secp256r1", "secp384r1", "x448"],
        "certs": ["rsa", "ecdsa"],
        "dh_bits": None,
    },
    {
        "name": "b-tls13-only",
        "versions": ["TLSv1.3"],
        "ciphers": "ECDHE+AESGCM",  # unused: TLS 1.2 is off
        "ciphersuites": "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
                        "TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256",
        "groups": ["x25519", "secp256r1"],
        "certs": ["ecdsa"],
        "dh_bits": None,
    },
    {
        "name": "c-legacy",
        "versions": ["TLSv1.0", "TLSv1.1", "TLSv1.2"],
        "ciphers": "ALL:@SECLEVEL=0",
        "ciphersuites": None,
        "groups": ["secp256r1", "secp384r1", "secp521r1"],
        "certs": ["rsa"],
        "dh_bits": None,
    },
    {
        "name": "d-dhe1024",
        "versions": ["TLSv1.2"],
        "ciphers": "kDHE:!aNULL:!PSK:@SECLEVEL=0",
        "ciphersuites": None,
        "groups": [],
        "certs": ["rsa"],
        "dh_bits": 1024,
    },
    # Opt-in (LAB_CONFIGS=a,b,c,d,e): an `openssl s_server` endpoint, for configurations one
    # would rather not (or cannot) express in nginx. CCM_8 suites only, ECDSA, x448 only.
    {
        "name": "e-sserver-ccm8",
        "server": "s_server",
        "versions": ["TLSv1.2", "TLSv1.3"],
        "ciphers": "ECDHE-ECDSA-AES128-CCM8:ECDHE-ECDSA-AES256-CCM8",
        "ciphersuites": "TLS_AES_128_CCM_8_SHA256",
        "groups": ["x448"],
        "certs": ["ecdsa"],
        "dh_bits": None,
    },
]
DEFAULT_CONFIGS = "a,b,c,d"
OPENSSL_GROUP = {"x25519": "X25519", "x448": "X448", "secp256r1": "prime256v1",
                 "secp384r1": "secp384r1", "secp521r1": "secp521r1"}


def config_for(i):
    wanted = (os.environ.get("LAB_CONFIGS") or DEFAULT_CONFIGS).split(",")
    cfgs = [c for c in CONFIGS if c["name"][0] in wanted or c["name"] in wanted]
    return cfgs[i % len(cfgs)]


def openssl_supports_x448():
    out = subprocess.run(["openssl", "list", "-public-key-algorithms"], capture_output=True, text=True).stdout
    return "X448" in out


def effective_groups(cfg):
    g = list(cfg["groups"])
    if "x448" in g and not openssl_supports_x448():
        g.remove("x448")
    return g


def cmd_conf(n, state):
    out = [
        "# generated by benches/peers/lab.sh; do not edit",
        "worker_processes 2;",
        f"pid {state}/nginx.pid;",
        f"error_log {state}/error.log warn;",
        "events { worker_connections 1024; }",
        "http {",
        "  access_log off;",
        f"  client_body_temp_path {state}/tmp; proxy_temp_path {state}/tmp; fastcgi_temp_path {state}/tmp;",
        f"  uwsgi_temp_path {state}/tmp; scgi_temp_path {state}/tmp;",
        "  ssl_session_cache off; ssl_session_tickets off;",
    ]
    for i in range(n):
        cfg = config_for(i)
        port = BASE_PORT + i
        if cfg.get("server") == "s_server":
            continue
        out.append(f"  # endpoint {i}: {cfg['name']}")
        out.append("  server {")
        out.append(f"    listen 127.0.0.1:{port} ssl;")
        out.append("    server_name localhost;")
        for c in cfg["certs"]:
            out.append(f"    ssl_certificate {state}/certs/{c}.crt; ssl_certificate_key {state}/certs/{c}.key;")
        out.append("    ssl_protocols " + " ".join(NGINX_PROTO[v] for v in cfg["versions"]) + ";")
        out.append(f"    ssl_ciphers '{cfg['ciphers']}';")
        out.append("    ssl_prefer_server_ciphers on;")
        if cfg["ciphersuites"]:
            out.append(f"    ssl_conf_command Ciphersuites {cfg['ciphersuites']};")
        groups = effective_groups(cfg)
        if groups:
            out.append("    ssl_ecdh_curve " + ":".join(OPENSSL_GROUP[g] for g in groups) + ";")
        else:
            # no EC groups: keep ECDHE off by cipher string; nginx needs some curve list
            out.append("    ssl_ecdh_curve prime256v1;")
        if cfg["dh_bits"]:
            out.append(f"    ssl_dhparam {state}/certs/dh{cfg['dh_bits']}.pem;")
        out.append("    location / { return 200 'kensa lab endpoint\\n'; }")
        out.append("  }")
    out.append("}")
    print("\n".join(out))


def cmd_sserver(n, state):
    """One JSON argv per line for the lab's openssl s_server endpoints."""
    vnames = {"TLSv1.0": "TLSv1", "TLSv1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2", "TLSv1.3": "TLSv1.3"}
    for i in range(n):
        cfg = config_for(i)
        if cfg.get("server") != "s_server":
            continue
        c = cfg["certs"][0]
        argv = ["openssl", "s_server", "-accept", f"127.0.0.1:{BASE_PORT + i}", "-www", "-quiet",
                "-cert", f"{state}/certs/{c}.crt", "-key", f"{state}/certs/{c}.key",
                "-min_protocol", vnames[cfg["versions"][0]], "-max_protocol", vnames[cfg["versions"][-1]],
                "-cipher", cfg["ciphers"], "-serverpref", "-no_ticket"]
        if cfg["ciphersuites"]:
            argv += ["-ciphersuites", cfg["ciphersuites"]]
        if effective_groups(cfg):
            argv += ["-groups", ":".join(OPENSSL_GROUP[g] for g in effective_groups(cfg))]
        if cfg["dh_bits"]:
            argv += ["-dhparam", f"{state}/certs/dh{cfg['dh_bits']}.pem"]
        print(json.dumps(argv))


def openssl_suites(version, cipherstring, ciphersuites):
    args = ["openssl", "ciphers", "-stdname", "-s", "-v", OPENSSL_VFLAG[version]]
    if version == "TLSv1.3" and ciphersuites:
        args += ["-ciphersuites", ciphersuites]
    args.append(cipherstring if version != "TLSv1.3" else "ALL")
    r = subprocess.run(args, capture_output=True, text=True)
    rows = []
    for line in r.stdout.splitlines():
        # "IANA_NAME - OPENSSL_NAME PROTO Kx=.. Au=.. Enc=.. Mac=.."
        m = re.match(r"(\S+)\s+-\s+(\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)", line)
        if m:
            rows.append({"iana": m.group(1), "openssl": m.group(2), "kx": m.group(4), "au": m.group(5)})
    return rows


def negotiable(row, cfg, groups):
    """Can this server really negotiate the suite? (certificate, EC groups, DH parameters)"""
    kx, au = row["kx"], row["au"]
    if kx == "any":  # TLS 1.3
        return True
    au_ok = {"RSA": "rsa" in cfg["certs"], "ECDSA": "ecdsa" in cfg["certs"], "None": True}.get(au, False)
    kx_ok = {"RSA": "rsa" in cfg["certs"], "ECDH": bool(groups), "DH": bool(cfg["dh_bits"])}.get(kx, False)
    return au_ok and kx_ok


def expected_for(i):
    cfg = config_for(i)
    groups = effective_groups(cfg)
    suites = {}
    for v in cfg["versions"]:
        suites[v] = sorted(r["iana"] for r in openssl_suites(v, cfg["ciphers"], cfg["ciphersuites"])
                           if negotiable(r, cfg, groups))
    return {
        "port": BASE_PORT + i,
        "host": "127.0.0.1",
        "config": cfg["name"],
        "server": cfg.get("server", "nginx"),
        "certs": cfg["certs"],
        "openssl_cipher_string": cfg["ciphers"],
        "openssl_ciphersuites": cfg["ciphersuites"],
        "versions": cfg["versions"],
        "suites": suites,
        "groups": groups,
        "dh_bits": cfg["dh_bits"],
    }


def cmd_expect(n, state):
    nginx_v = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    ossl_v = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    lab = {
        "namespace": os.environ.get("LAB_NS", "kensa-lab"),
        "nginx": nginx_v,
        "openssl": ossl_v,
        "derivation": "openssl ciphers -stdname -s -v -<version> '<cipher string>' (TLS 1.3: -ciphersuites), "
                      "kept when the endpoint can negotiate it: Au=RSA/ECDSA needs that certificate, Au=None "
                      "(anonymous) is kept, Kx=RSA needs the RSA certificate, Kx=ECDH needs an EC group, "
                      "Kx=DH needs DH parameters; PSK/SRP/DSS are dropped",
        "endpoints": [expected_for(i) for i in range(n)],
    }
    print(json.dumps(lab, indent=2))


# ---------------------------------------------------------------------------------------------
# Suite-name mapping

_SUITES = None


def suites_table():
    global _SUITES
    if _SUITES is None:
        by_code, by_ossl, by_iana = {}, {}, set()
        with open(SUITES_TSV) as f:
            for line in f:
                if line.startswith("#") or line.startswith("code\t"):
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 3:
                    continue
                code = int(cols[0], 16)
                by_code[code] = cols[1]
                by_iana.add(cols[1])
                if cols[2] != "-":
                    by_ossl.setdefault(cols[2], cols[1])
        _SUITES = (by_code, by_ossl, by_iana)
    return _SUITES


def iana_from_code(code):
    return suites_table()[0].get(code, f"0x{code:04X}")


def iana_from_name(name):
    by_code, by_ossl, by_iana = suites_table()
    if name in by_iana:
        return name
    if name in by_ossl:
        return by_ossl[name]
    # nmap's TLS 1.3 names: TLS_AKE_WITH_AES_128_GCM_SHA256 -> TLS_AES_128_GCM_SHA256
    m = re.match(r"TLS_AKE_WITH_(.+)", name)
    if m and ("TLS_" + m.group(1)) in by_iana:
        return "TLS_" + m.group(1)
    if name.startswith("SSL_") and ("TLS_" + name[4:]) in by_iana:
        return "TLS_" + name[4:]
    return name


def norm_group(name):
    return GROUP_ALIASES.get(name.strip().lower(), name.strip())


def new_facts():
    return {"versions": set(), "suites": {}, "groups": set(), "dh_bits": set()}


def add_suite(f, version, suite):
    if version != "?":
        f["versions"].add(version)
    f["suites"].setdefault(version, set()).add(suite)


# ---------------------------------------------------------------------------------------------
# Parsers: each returns {port: facts}

def parse_sslyze(path):
    res = {}
    keymap = {"ssl_2_0_cipher_suites": "SSLv2", "ssl_3_0_cipher_suites": "SSLv3",
              "tls_1_0_cipher_suites": "TLSv1.0", "tls_1_1_cipher_suites": "TLSv1.1",
              "tls_1_2_cipher_suites": "TLSv1.2", "tls_1_3_cipher_suites": "TLSv1.3"}
    with open(path) as fh:
        doc = json.load(fh)
    for sr in doc.get("server_scan_results", []):
        port = sr["server_location"]["port"]
        f = res.setdefault(port, new_facts())
        scan = sr.get("scan_result") or {}
        for key, ver in keymap.items():
            attempt = scan.get(key) or {}
            result = attempt.get("result") or {}
            for acc in result.get("accepted_cipher_suites", []) or []:
                add_suite(f, ver, iana_from_name(acc["cipher_suite"]["name"]))
                ek = acc.get("ephemeral_key") or {}
                if ek.get("type_name") == "DH" or ek.get("type") == 28:
                    f["dh_bits"].add(ek.get("size"))
        ec = ((scan.get("elliptic_curves") or {}).get("result") or {})
        for c in ec.get("supported_curves", []) or []:
            f["groups"].add(norm_group(c["name"]))
    return res


TESTSSL_PROTO = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLS1": "TLSv1.0", "TLS1_1": "TLSv1.1",
                 "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}


def parse_testssl(path):
    res = {}
    with open(path) as fh:
        text = fh.read().strip()
    doc = json.loads(text) if text else []
    if isinstance(doc, dict):
        doc = doc.get("scanResult", [])
    for item in doc:
        try:
            port = int(item.get("port"))
        except (TypeError, ValueError):
            continue
        f = res.setdefault(port, new_facts())
        iid, finding = item.get("id", ""), item.get("finding", "")
        if iid in TESTSSL_PROTO:
            if finding.startswith("offered"):
                f["versions"].add(TESTSSL_PROTO[iid])
        m = re.match(r"cipher-(tls1_3|tls1_2|tls1_1|tls1|ssl3|ssl2)_x([0-9a-fA-F]+)$", iid)
        if m:
            ver = {"tls1_3": "TLSv1.3", "tls1_2": "TLSv1.2", "tls1_1": "TLSv1.1", "tls1": "TLSv1.0",
                   "ssl3": "SSLv3", "ssl2": "SSLv2"}[m.group(1)]
            add_suite(f, ver, iana_from_code(int(m.group(2), 16)))
        elif re.match(r"cipher_x([0-9a-fA-F]+)$", iid):
            # -e without per-protocol listing: version unknown
            code = int(iid.split("_x")[1], 16)
            add_suite(f, "?", iana_from_code(code))
        if iid in ("FS_ECDHE_curves", "PFS_ECDHE_curves"):
            for g in finding.split():
                f["groups"].add(norm_group(g))
        if iid.startswith("cipher"):
            m = re.search(r"(?<!EC)DH (\d+)\b", finding)
            if m:
                f["dh_bits"].add(int(m.group(1)))
        elif iid == "DH_groups":
            m = re.search(r"(\d+) bits", finding)
            if m:
                f["dh_bits"].add(int(m.group(1)))
    return res


def parse_sslscan(path):
    res = {}
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return res
    vmap = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLSv1.0": "TLSv1.0", "TLSv1.1": "TLSv1.1",
            "TLSv1.2": "TLSv1.2", "TLSv1.3": "TLSv1.3"}
    for test in root.iter("ssltest"):
        port = int(test.get("port"))
        f = res.setdefault(port, new_facts())
        for p in test.iter("protocol"):
            if p.get("enabled") == "1":
                t, v = p.get("type"), p.get("version")
                f["versions"].add(("SSLv" if t == "ssl" else "TLSv") + v)
        for c in test.iter("cipher"):
            if c.get("status") not in ("accepted", "preferred"):
                continue
            ver = vmap.get(c.get("sslversion"), c.get("sslversion"))
            cid = c.get("id")
            add_suite(f, ver, iana_from_code(int(cid, 16)) if cid else iana_from_name(c.get("cipher")))
            dhe = c.get("dhebits")
            if dhe:
                f["dh_bits"].add(int(dhe))
        for g in test.iter("group"):
            gid = g.get("id")
            name = GROUP_CODES.get(int(gid, 16)) if gid else None
            f["groups"].add(name or norm_group(g.get("name", "")))
    return res


def parse_nmap(path):
    res = {}
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return res
    for port_el in root.iter("port"):
        port = int(port_el.get("portid"))
        for script in port_el.iter("script"):
            if script.get("id") != "ssl-enum-ciphers":
                continue
            f = res.setdefault(port, new_facts())
            for vt in script.findall("table"):
                ver = vt.get("key")
                ver = {"TLSv1.0": "TLSv1.0", "TLSv1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2",
                       "TLSv1.3": "TLSv1.3", "SSLv3": "SSLv3"}.get(ver, ver)
                f["versions"].add(ver)
                for ct in vt.findall("table"):
                    if ct.get("key") != "ciphers":
                        continue
                    for c in ct.findall("table"):
                        name = c.find("elem[@key='name']")
                        kex = c.find("elem[@key='kex_info']")
                        if name is not None:
                            add_suite(f, ver, iana_from_name(name.text))
                        if kex is not None and kex.text:
                            k = kex.text.strip()
                            m = re.match(r"dh (\d+)", k)
                            if m:
                                f["dh_bits"].add(int(m.group(1)))
                            elif not k.startswith("rsa"):
                                f["groups"].add(norm_group(k))
    return res


def parse_kensa(path):
    """Tolerant: any evidence record with probe 'tls.scan'; versions/suites/groups are found by
    walking its observation for strings that look like them."""
    res = {}
    files = glob.glob(os.path.join(path, "**", "evidence.jsonl"), recursive=True) if os.path.isdir(path) else [path]
    by_iana = suites_table()[2]
    for fp in files:
        with open(fp) as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                # lines are "<sha256> <json>" or plain JSON
                js = line[line.index("{"):] if "{" in line else ""
                try:
                    rec = json.loads(js)
                except ValueError:
                    continue
                rec = rec.get("data") or rec.get("evidence") or rec
                probe = rec.get("probe") or rec.get("probe_id")
                if isinstance(probe, dict):
                    probe = probe.get("id")
                if probe != "tls.scan":
                    continue
                port = find_port(rec.get("target"))
                if port is None:
                    continue
                f = res.setdefault(port, new_facts())
                obs = rec.get("observation")
                if isinstance(obs, dict) and "protocols" in obs:
                    kensa_structured(obs, f)
                else:  # unknown shape: look for strings that name versions, suites, groups
                    walk_kensa(obs, f, by_iana, None)
    return res


def kensa_structured(obs, f):
    for p in obs.get("protocols") or []:
        if p.get("accepted"):
            f["versions"].add(p["version"])
    for cs in obs.get("cipher_suites") or []:
        for a in cs.get("accepted") or []:
            add_suite(f, cs["version"], iana_from_name(a["suite"]))
    groups = obs.get("groups") or {}
    for key in ("tls13", "tls12"):
        for g in groups.get(key) or []:
            f["groups"].add(norm_group(g))
    dhe = obs.get("dhe")
    if isinstance(dhe, dict):
        for k in ("bits", "prime_bits", "size"):
            if isinstance(dhe.get(k), int):
                f["dh_bits"].add(dhe[k])
    elif isinstance(dhe, list):
        for d in dhe:
            if isinstance(d, dict):
                for k in ("bits", "prime_bits", "size"):
                    if isinstance(d.get(k), int):
                        f["dh_bits"].add(d[k])


def find_port(t):
    if isinstance(t, dict):
        for k in ("port",):
            if isinstance(t.get(k), int):
                return t[k]
        for v in t.values():
            p = find_port(v)
            if p is not None:
                return p
    if isinstance(t, str):
        m = re.search(r":(\d+)$", t)
        if m:
            return int(m.group(1))
    return None


VER_WORDS = {"sslv2": "SSLv2", "ssl2.0": "SSLv2", "sslv3": "SSLv3", "ssl3.0": "SSLv3", "tlsv1.0": "TLSv1.0",
             "tls1.0": "TLSv1.0", "tlsv1": "TLSv1.0", "tlsv1.1": "TLSv1.1", "tls1.1": "TLSv1.1",
             "tlsv1.2": "TLSv1.2", "tls1.2": "TLSv1.2", "tlsv1.3": "TLSv1.3", "tls1.3": "TLSv1.3"}


def walk_kensa(o, f, by_iana, ver):
    if isinstance(o, dict):
        for k, v in o.items():
            kv = VER_WORDS.get(k.lower().replace("_", ".").replace(" ", ""))
            if isinstance(v, dict) and isinstance(v.get("version"), str):
                kv = VER_WORDS.get(v["version"].lower().replace("_", ".").replace(" ", ""), kv)
            walk_kensa(v, f, by_iana, kv or ver)
    elif isinstance(o, list):
        for v in o:
            walk_kensa(v, f, by_iana, ver)
    elif isinstance(o, str):
        low = o.lower().replace("_", ".").replace(" ", "")
        if low in VER_WORDS:
            f["versions"].add(VER_WORDS[low])
        elif o in by_iana:
            add_suite(f, ver or "?", o)
        elif o.lower() in GROUP_ALIASES:
            f["groups"].add(norm_group(o))


CIPHERRUN_VER = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLS10": "TLSv1.0", "TLS11": "TLSv1.1",
                 "TLS12": "TLSv1.2", "TLS13": "TLSv1.3"}


def parse_cipherrun(path):
    """cipherrun --json: one scan object (protocols, ciphers, advanced.key_exchange_groups),
    or with --file an object whose `results` list holds {target, results: <scan object>}."""
    with open(path) as fh:
        doc = json.load(fh)
    scans = []
    if isinstance(doc, dict) and "results" in doc and isinstance(doc["results"], list):
        for r in doc["results"]:
            if isinstance(r, dict) and isinstance(r.get("results"), dict):
                scans.append(r["results"])
    elif isinstance(doc, dict):
        scans.append(doc)
    res = {}
    for sc in scans:
        port = find_port(sc.get("target"))
        if port is None:
            continue
        f = res.setdefault(port, new_facts())
        for p in sc.get("protocols") or []:
            if p.get("supported") and p.get("protocol") in CIPHERRUN_VER:
                f["versions"].add(CIPHERRUN_VER[p["protocol"]])
        for key, per in (sc.get("ciphers") or {}).items():
            ver = CIPHERRUN_VER.get(key)
            if not ver or not isinstance(per, dict):
                continue
            for c in per.get("supported_ciphers") or []:
                name = c.get("iana_name") or c.get("openssl_name")
                if name:
                    add_suite(f, ver, iana_from_name(name))
        groups = ((sc.get("advanced") or {}).get("key_exchange_groups") or {}).get("groups") or []
        for g in groups:
            if g.get("supported") and g.get("name"):
                f["groups"].add(norm_group(g["name"].split(" ")[0]))
    return res


PARSERS = {"sslyze": parse_sslyze, "testssl": parse_testssl, "sslscan": parse_sslscan,
           "nmap": parse_nmap, "kensa": parse_kensa, "cipherrun": parse_cipherrun}


def jsonable(res):
    out = {}
    for port, f in res.items():
        out[str(port)] = {"versions": sorted(f["versions"]),
                          "suites": {v: sorted(s) for v, s in sorted(f["suites"].items())},
                          "groups": sorted(g for g in f["groups"] if g),
                          "dh_bits": sorted(b for b in f["dh_bits"] if b)}
    return out


def cmd_parse(tool, path):
    try:
        res = PARSERS[tool](path) if os.path.exists(path) else {}
    except Exception as e:  # a broken output file is a finding, not a crash
        print(f"peers.py: cannot parse {tool} output {path}: {e}", file=sys.stderr)
        res = {}
    print(json.dumps(jsonable(res), indent=1))


# ---------------------------------------------------------------------------------------------
# Comparison and report

def compare(exp, got, tool_no_group_enum=False):
    """-> dict of verdicts: 'ok', 'n/a', or a diff string."""
    if not got or (not got["versions"] and not got["suites"] and not got["groups"]):
        return {"versions": "n/a", "suites": "n/a", "groups": "n/a", "dh": "n/a"}
    out = {}
    ev, gv = set(exp["versions"]), set(got["versions"])
    out["versions"] = "ok" if ev == gv else diff(ev, gv)
    es = {(v, s) for v, ss in exp["suites"].items() for s in ss}
    gs = {(v, s) for v, ss in got["suites"].items() for s in ss}
    if any(v == "?" for v, _ in gs):  # tool did not say which version: compare names only
        es, gs = {s for _, s in es}, {s for _, s in gs}
        fmt = lambda x: x
    else:
        fmt = lambda x: f"{x[1]}@{x[0]}"
    if es == gs:
        out["suites"] = f"ok ({len(es)})"
    else:
        miss, extra = sorted(es - gs), sorted(gs - es)
        out["suites"] = f"{len(gs & es)}/{len(es)}" + (f" -{len(miss)}" if miss else "") + (f" +{len(extra)}" if extra else "")
        out["suites_missing"] = [fmt(x) for x in miss]
        out["suites_extra"] = [fmt(x) for x in extra]
    eg, gg = set(exp["groups"]), set(got["groups"])
    if eg == gg:
        out["groups"] = "ok"
    elif gg and gg < eg and tool_no_group_enum:
        out["groups"] = f"saw {len(gg)}/{len(eg)} (no enum)"
    else:
        out["groups"] = diff(eg, gg)
    if exp.get("dh_bits"):
        out["dh"] = "ok" if exp["dh_bits"] in got.get("dh_bits", []) else ("n/a" if not got.get("dh_bits") else f"saw {got['dh_bits']}")
    else:
        out["dh"] = "-"
    return out


def diff(e, g):
    miss, extra = sorted(e - g), sorted(g - e)
    parts = []
    if miss:
        parts.append("-" + ",".join(miss))
    if extra:
        parts.append("+" + ",".join(extra))
    return " ".join(parts) if parts else "ok"


def cmd_report(run_dir, lab_json):
    with open(lab_json) as fh:
        lab = json.load(fh)
    exp_by_port = {e["port"]: e for e in lab["endpoints"]}
    with open(os.path.join(run_dir, "measurements.jsonl")) as fh:
        meas = [json.loads(l) for l in fh if l.strip()]
    rows, summary = [], {"lab": lab_json, "runs": []}
    lines = ["| mode | endpoint | tool | wall s | CPU s | peak RSS MiB | connections accepted | SYNs seen (dropped) | versions | suites | groups | DH bits |",
             "|---|---|---|---:|---:|---:|---:|---:|---|---|---|---|"]
    limit = None
    for m in meas:
        if m["mode"] == "limit":
            limit = m.get("handshakes_per_s")
            summary["limit_handshakes_per_s"] = limit
            continue
        parsed = {}
        if m.get("parsed") and os.path.exists(m["parsed"]):
            with open(m["parsed"]) as fh:
                parsed = json.load(fh)
        ports = m["ports"]
        verdicts = {}
        for p in ports:
            # nmap's ssl-enum-ciphers does not enumerate groups: it reports the one it got per suite
            verdicts[p] = compare(exp_by_port[p], parsed.get(str(p)), m["tool"] == "nmap")
        m["verdicts"] = verdicts
        summary["runs"].append(m)
        status = m.get("status", "ran")
        if m["mode"] == "single":
            p = ports[0]
            v = verdicts[p]
            ep = f"{p} {exp_by_port[p]['config']}"
            if status != "ran":
                v = {k: status for k in ("versions", "suites", "groups", "dh")}
            lines.append(f"| single | {ep} | {m['tool']} | {fmt_t(m)} | {fmt_cpu(m)} | {fmt_rss(m)} | {m.get('accepted', '-')} | {m['syn_port']} ({m.get('pcap_dropped', 0)}) | "
                         f"{v['versions']} | {v['suites']} | {v['groups']} | {v['dh']} |")
        else:
            agg = {}
            for k in ("versions", "suites", "groups", "dh"):
                vals = [verdicts[p][k] for p in ports]
                good = sum(1 for x in vals if x.startswith("ok") or x == "-")
                part = sum(1 for x in vals if x.startswith("saw"))
                na = sum(1 for x in vals if x == "n/a")
                agg[k] = status if status != "ran" else ("n/a" if na == len(vals) else
                                                         f"{good}/{len(vals)} ok" + (f", {part} partial" if part else "")
                                                         + (f", {na} n/a" if na and na != len(vals) else ""))
            lines.append(f"| {m['mode']} | all {len(ports)} | {m['tool']} | {fmt_t(m)} | {fmt_cpu(m)} | {fmt_rss(m)} | {m.get('accepted', '-')} | {m['syn_port']} ({m.get('pcap_dropped', 0)}) | "
                         f"{agg['versions']} | {agg['suites']} | {agg['groups']} | {agg['dh']} |")
    print("\n".join(lines))
    ratios(summary["runs"], limit, exp_by_port)
    # details of mismatches
    det = []
    for m in summary["runs"]:
        for p, v in m["verdicts"].items():
            if v.get("suites_missing") or v.get("suites_extra") or not v["groups"].startswith(("ok", "n/a", "saw")) \
                    or (v["versions"] not in ("ok", "n/a")):
                det.append(f"- {m['mode']} {m['tool']} :{p}: versions {v['versions']}; groups {v['groups']}"
                           + (f"; missing {', '.join(v.get('suites_missing', [])[:12])}" if v.get("suites_missing") else "")
                           + (f"; extra {', '.join(v.get('suites_extra', [])[:12])}" if v.get("suites_extra") else ""))
    if det:
        print("\nMismatches (missing = expected but not reported; extra = reported but not expected):\n")
        print("\n".join(det))
    with open(os.path.join(run_dir, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)


def fmt_cpu(m):
    t = m.get("cpu_s")
    return "n/a" if t is None else f"{t:.2f}"


def fmt_rss(m):
    r = m.get("rss_kib")
    return "n/a" if r is None else f"{r / 1024:.1f}"


def ratios(runs, limit, exp_by_port=None):
    """The issue's targets as ratios: per single endpoint and for the fleet, kensa against each
    peer (wall and connections); the raised fleet's connection rate against the machine's
    full-handshake rate."""
    def get(mode, tool, port=None):
        for m in runs:
            if m["mode"] == mode and m["tool"] == tool and (port is None or m["ports"] == [port]) \
                    and m.get("wall_s") is not None and m.get("status", "ran") == "ran":
                return m
        return None
    out = ["", "Ratios (peer / kensa; wall time, and connections the servers accepted):", ""]
    ports = sorted({m["ports"][0] for m in runs if m["mode"] == "single"})
    tools = sorted({m["tool"] for m in runs if m["tool"] != "kensa" and m["mode"] != "limit"})
    for mode, keys in (("single", ports), ("fleet", [None])):
        for port in keys:
            k = get(mode, "kensa", port)
            if not k:
                continue
            parts = []
            for t in tools:
                p = get(mode, t, port)
                if p and k["wall_s"] > 0:
                    conns = (f", conns {p['accepted']}/{k['accepted']} = {p['accepted'] / k['accepted']:.1f}x"
                             if isinstance(p.get("accepted"), int) and isinstance(k.get("accepted"), int) and k["accepted"] else "")
                    parts.append(f"{t} {p['wall_s'] / max(k['wall_s'], 0.005):.1f}x{conns}")
            label = f"{mode} :{port}" if port else mode
            out.append(f"- {label}: kensa {k['wall_s']:.2f} s, {k.get('accepted')} conns; " + "; ".join(parts))
    for mode in ("fleet", "fleet-raised"):
        r = get(mode, "kensa")
        if not (r and isinstance(r.get("accepted"), int) and r["wall_s"]):
            continue
        rate = r["accepted"] / r["wall_s"]
        line = f"- {mode} throughput: kensa {r['wall_s']:.2f} s, {r['accepted']} conns, {rate:.0f} conns/s"
        if limit and exp_by_port:
            # The time the machine would need at its full-handshake limit for the same mix of
            # connections (each endpoint weighed by the limit of its configuration), against
            # kensa's wall time.
            lim_by_cfg = {exp_by_port[int(p)]["config"]: v for p, v in limit.items() if int(p) in exp_by_port}
            conns = kensa_connections(r["raw"])
            need = sum(c / lim_by_cfg[exp_by_port[p]["config"]] for p, c in conns.items()
                       if p in exp_by_port and lim_by_cfg.get(exp_by_port[p]["config"]))
            if need:
                line += (f"; at the machine's full-handshake limit the same {sum(conns.values())} "
                         f"connections take {need:.2f} s = {need / r['wall_s']:.0%} of the limit")
        out.append(line)
    if limit:
        out.append("- limit (full handshakes/s, openssl s_time per core): " + ", ".join(
            f":{p} {exp_by_port.get(int(p), {}).get('config', '?')} {v:.0f}" for p, v in limit.items()))
    print("\n".join(out))


def cmd_limit(d):
    """Sum the `openssl s_time` clients' rates per endpoint in D (files s_time-PORT-N.txt):
    one JSON line with the full handshakes per second the machine sustains per port."""
    per = {}
    for f in sorted(glob.glob(os.path.join(d, "s_time-*-*.txt"))):
        port = int(os.path.basename(f).split("-")[1])
        with open(f) as fh:
            m = re.search(r"(\d+) connections in ([\d.]+)s", fh.read())
        if m and float(m.group(2)) > 0:
            per[port] = per.get(port, 0.0) + int(m.group(1)) / float(m.group(2))
    print(json.dumps({"mode": "limit", "tool": "openssl s_time", "ports": sorted(per),
                      "handshakes_per_s": {str(p): round(v, 1) for p, v in sorted(per.items())}}))
    for p, v in sorted(per.items()):
        print(f"  limit :{p}: {v:.0f} full handshakes/s", file=sys.stderr)


def kensa_connections(run):
    """{port: connections} from a kensa run's tls.scan records."""
    out = {}
    for fp in glob.glob(os.path.join(run, "**", "evidence.jsonl"), recursive=True):
        with open(fp) as fh:
            for line in fh:
                try:
                    rec = json.loads(line).get("data") or {}
                except ValueError:
                    continue
                if rec.get("probe") == "tls.scan" and isinstance(rec.get("observation"), dict):
                    port = (rec.get("target") or {}).get("port")
                    out[port] = out.get(port, 0) + int(rec["observation"].get("connections") or 0)
    return out


def fmt_t(m):
    t = m.get("wall_s")
    return "n/a" if t is None else f"{t:.2f}"


def cmd_verify_lab(lab_json):
    """One openssl s_client handshake per expected (version, suite) and (TLS 1.3 or 1.2, group):
    checks that the derivation matches what the server really does. Run inside the namespace."""
    by_code, by_ossl, by_iana = suites_table()
    iana_to_ossl = {v: k for k, v in by_ossl.items()}
    with open(lab_json) as fh:
        lab = json.load(fh)
    bad = total = 0
    for e in lab["endpoints"]:
        for ver, suites in e["suites"].items():
            for s in suites:
                args = ["openssl", "s_client", "-connect", f"127.0.0.1:{e['port']}", OPENSSL_VFLAG[ver]]
                if ver == "TLSv1.3":
                    args += ["-ciphersuites", s]
                else:
                    args += ["-cipher", iana_to_ossl.get(s, s) + ":@SECLEVEL=0"]
                total += 1
                if not handshake_ok(args):
                    bad += 1
                    print(f"FAIL {e['port']} {ver} {s}")
        for g in e["groups"]:
            ver = "TLSv1.3" if "TLSv1.3" in e["versions"] else "TLSv1.2"
            args = ["openssl", "s_client", "-connect", f"127.0.0.1:{e['port']}", OPENSSL_VFLAG[ver],
                    "-groups", OPENSSL_GROUP.get(g, g), "-cipher", "ALL:@SECLEVEL=0",
                    "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
                    "TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256"]
            total += 1
            if not handshake_ok(args):
                bad += 1
                print(f"FAIL {e['port']} group {g}")
    print(f"verify-lab: {total - bad}/{total} expected handshakes succeeded")
    return 1 if bad else 0


def handshake_ok(args):
    try:
        r = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10)
    except subprocess.TimeoutExpired:
        return False
    m = re.search(r"Cipher is (\S+)", r.stdout)
    return bool(m) and m.group(1) != "(NONE)"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "limit":
        return cmd_limit(argv[2])
    if cmd == "conf":
        cmd_conf(int(argv[2]), argv[3])
    elif cmd == "sserver":
        cmd_sserver(int(argv[2]), argv[3])
    elif cmd == "expect":
        cmd_expect(int(argv[2]), argv[3])
    elif cmd == "parse":
        cmd_parse(argv[2], argv[3])
    elif cmd == "verify-lab":
        return cmd_verify_lab(argv[2])
    elif cmd == "report":
        cmd_report(argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

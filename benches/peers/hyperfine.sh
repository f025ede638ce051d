#!/usr/bin/env bash
# Repeated timings of one endpoint (a-modern: TLS 1.2+1.3, 11 suites, 4 groups, RSA+ECDSA) in
# the loopback lab: kensa's TLS scan against SSLyze and sslscan (20 runs each) and testssl.sh
# (`-p -e -f`, 3 runs), with hyperfine inside the lab's network namespace. Run as root after
# setup.sh; builds nothing (KENSA defaults to target/release/kensa).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
KENSA=${KENSA:-$repo/target/release/kensa}
RUNS=${RUNS:-20}
out=$(mktemp -d /tmp/kensa-hf.XXXXXX)
trap 'bash "$here/lab.sh" stop >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
bash "$here/lab.sh" start 1 >/dev/null
# kensa refuses to overwrite a run directory, so each run gets a fresh one.
cat > "$out/kensa.sh" <<SH
#!/bin/sh
d=\$(mktemp -d "$out/k.XXXXXX")
exec "$KENSA" scan 127.0.0.1:10001 --allow-private --no-db --probes tls.scan --quiet --out "\$d/run" >/dev/null 2>&1
SH
chmod +x "$out/kensa.sh"
bash "$here/lab.sh" exec hyperfine -N -i --warmup 2 --runs "$RUNS" \
  --export-markdown "$out/fast.md" \
  "$out/kensa.sh" "python3 -m sslyze 127.0.0.1:10001" "sslscan --no-colour 127.0.0.1:10001"
bash "$here/lab.sh" exec hyperfine -N -i --warmup 1 --runs 3 \
  --export-markdown "$out/slow.md" \
  "testssl -p -e -f --warnings off --quiet 127.0.0.1:10001"
cat "$out/fast.md" "$out/slow.md"

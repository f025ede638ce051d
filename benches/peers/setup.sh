#!/usr/bin/env bash
# Install the peer tools for the kensa peer-comparison lab (Debian, as root). Idempotent.
# Registries used: Debian (apt) and PyPI (pip). Nothing else is downloaded.
set -euo pipefail

APT_PKGS=(testssl.sh sslscan nmap nginx openssl hyperfine tcpdump iproute2 time python3 python3-pip jq)

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: must run as root" >&2
  exit 2
fi

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# nginx from Debian starts a system service on port 80 on install; the lab runs its own
# instances inside a network namespace, so stop the system one if it was started.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  systemctl stop nginx || true
fi
if [ -f /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
  kill "$(cat /run/nginx.pid)" || true
fi

# SSLyze from PyPI. Use whatever python3 is first on PATH (the one compare.sh will run).
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sslyze' 2>/dev/null; then
  "$PY" -m pip install --quiet sslyze \
    || "$PY" -m pip install --quiet --break-system-packages sslyze
fi

# cipherrun (the closest Rust peer) from crates.io. Its reqwest uses the unstable http3
# feature, which needs the cfg flag; --locked keeps its own dependency versions.
if ! command -v cipherrun >/dev/null 2>&1; then
  RUSTFLAGS='--cfg reqwest_unstable' cargo install --locked cipherrun \
    || echo "setup.sh: cipherrun did not build; compare.sh will mark it absent" >&2
fi

echo "== installed versions =="
dpkg-query -W -f='${Package} ${Version}\n' testssl.sh sslscan nmap nginx openssl hyperfine tcpdump iproute2 2>/dev/null
"$PY" -m pip show sslyze nassl 2>/dev/null | awk '/^(Name|Version):/{printf "%s ", $2} /^Version:/{print ""}'
openssl version
command -v cipherrun >/dev/null 2>&1 && cipherrun --version || true

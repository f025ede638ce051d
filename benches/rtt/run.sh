#!/usr/bin/env bash
# One TLS endpoint at a chosen distance: kensa and the peers through a delaying TCP proxy on
# loopback (the kernel here has no netem), at several round-trip times.
#
#   benches/rtt/run.sh                 RTTS="0 20 50 150", SERVERS="nginx sserver", every tool found
#
# Servers (127.0.0.1 only, ports chosen by the OS range below):
#   nginx    the peer lab's a-modern endpoint (benches/peers/peers.py conf 1): TLS 1.2+1.3,
#            8 ECDHE suites, 4 groups, RSA + ECDSA certificates, 2 workers
#   sserver  `openssl s_server -www` (single-threaded: one connection at a time), RSA
# Tools: kensa (KENSA, default target/release/kensa, `scan --probes tls.scan`, default
# politeness), sslscan, nmap ssl-enum-ciphers, when installed.
#
# Per run it prints wall time (s), the connections the proxy accepted, and the round trips on
# the critical path, estimated as (wall - wall at 0 ms) / RTT. kensa's own figures (its
# tls.scan `elapsed_ms` and `connections`) are printed beside them. Output goes to
# benches/rtt/out/ (git-ignored). Nothing leaves 127.0.0.1.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${RTT_OUT:-$HERE/out}
KENSA=${KENSA:-$REPO/target/release/kensa}
RTTS=${RTTS:-0 20 50 150}
SERVERS=${SERVERS:-nginx sserver}
TOOLS=${TOOLS:-kensa sslscan nmap}
KENSA_ARGS=${KENSA_ARGS:---probes tls.scan}
PY=${PYTHON:-python3}
NGINX_PORT=${NGINX_PORT:-10441}
SSERVER_PORT=${SSERVER_PORT:-10442}
PROXY_PORT=${PROXY_PORT:-10443}

mkdir -p "$OUT/state/certs" "$OUT/state/tmp"
STATE=$OUT/state
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  if [ -s "$STATE/nginx.pid" ]; then kill -QUIT "$(cat "$STATE/nginx.pid")" 2>/dev/null || true; fi
}
trap cleanup EXIT

d=$STATE/certs
[ -s "$d/rsa.crt" ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/rsa.key" -out "$d/rsa.crt" \
  -days 30 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
[ -s "$d/ecdsa.crt" ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$d/ecdsa.key" -out "$d/ecdsa.crt" -days 30 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null

wait_port() {
  local port=$1 i
  for i in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "run.sh: nothing listens on 127.0.0.1:$port" >&2
  return 1
}

# start_server NAME: starts it (in this shell, so its pid is kept for the trap) and sets UPSTREAM
start_server() {
  case $1 in
    nginx)
      command -v nginx >/dev/null || return 1
      LAB_BASE_PORT=$NGINX_PORT "$PY" "$REPO/benches/peers/peers.py" conf 1 "$STATE" > "$STATE/nginx.conf"
      nginx -c "$STATE/nginx.conf" -p "$STATE" -e "$STATE/error.log"
      wait_port "$NGINX_PORT" || return 1
      UPSTREAM=$NGINX_PORT ;;
    sserver)
      openssl s_server -accept "127.0.0.1:$SSERVER_PORT" -www -quiet \
        -cert "$d/rsa.crt" -key "$d/rsa.key" >/dev/null 2>&1 &
      SSERVER_PID=$!
      PIDS+=("$SSERVER_PID")
      wait_port "$SSERVER_PORT" || return 1
      UPSTREAM=$SSERVER_PORT ;;
  esac
}

stop_server() {
  case $1 in
    nginx)
      if [ -s "$STATE/nginx.pid" ]; then
        kill -QUIT "$(cat "$STATE/nginx.pid")" 2>/dev/null || true
        sleep 0.3
      fi ;;
    sserver)
      if [ -n "${SSERVER_PID:-}" ]; then kill "$SSERVER_PID" 2>/dev/null || true; wait "$SSERVER_PID" 2>/dev/null || true; fi ;;
  esac
}

# run TOOL RUNDIR: the tool against 127.0.0.1:$PROXY_PORT
run_tool() {
  local tool=$1 dir=$2
  case $tool in
    kensa) "$KENSA" scan "127.0.0.1:$PROXY_PORT" --allow-private --json --no-db --out "$dir/kensa-run" $KENSA_ARGS ;;
    sslscan) sslscan --no-colour --xml="$dir/sslscan.xml" "127.0.0.1:$PROXY_PORT" ;;
    nmap) nmap -Pn -n --script ssl-enum-ciphers -p "$PROXY_PORT" -oX "$dir/nmap.xml" 127.0.0.1 ;;
  esac
}

have() {
  case $1 in
    kensa) [ -x "$KENSA" ] ;;
    *) command -v "$1" >/dev/null ;;
  esac
}

RUN=$OUT/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"
{
printf '| server | tool | RTT ms | wall s | round trips | connections | kensa tls.scan ms / conns |\n'
printf '|---|---|---:|---:|---:|---:|---|\n'
for server in $SERVERS; do
  start_server "$server" || { echo "run.sh: $server unavailable, skipped" >&2; continue; }
  upstream=$UPSTREAM
  for tool in $TOOLS; do
    have "$tool" || { echo "run.sh: $tool not installed, skipped" >&2; continue; }
    base=""
    for rtt in $RTTS; do
      dir=$RUN/$server-$tool-$rtt
      mkdir -p "$dir"
      "$PY" "$HERE/delay_proxy.py" "$PROXY_PORT" "$upstream" "$rtt" > "$dir/proxy.out" 2> "$dir/proxy.err" &
      proxy=$!
      PIDS+=("$proxy")
      for _ in $(seq 100); do grep -q ready "$dir/proxy.out" 2>/dev/null && break; sleep 0.05; done
      t0=$(date +%s.%N)
      run_tool "$tool" "$dir" > "$dir/stdout" 2> "$dir/stderr" || true
      t1=$(date +%s.%N)
      kill -TERM "$proxy"; wait "$proxy" 2>/dev/null || true
      conns=$(awk '/^connections/ {print $2}' "$dir/proxy.err")
      wall=$(echo "$t1 - $t0" | bc -l)
      [ -z "$base" ] && [ "$rtt" = 0 ] && base=$wall
      trips=-
      if [ -n "$base" ] && [ "$rtt" != 0 ]; then
        trips=$(printf '%.1f' "$(echo "($wall - $base) * 1000 / $rtt" | bc -l)")
      fi
      own=-
      if [ "$tool" = kensa ] && [ -s "$dir/kensa-run/evidence.jsonl" ]; then
        own=$("$PY" -c '
import json, sys
def find(v):
    if isinstance(v, dict):
        if "elapsed_ms" in v and "connections" in v and "protocols" in v:
            return v
        v = list(v.values())
    if isinstance(v, list):
        for x in v:
            r = find(x)
            if r:
                return r
for line in open(sys.argv[1]):
    obs = find(json.loads(line))
    if obs:
        print("%s / %s" % (obs["elapsed_ms"], obs["connections"]))
        break
' "$dir/kensa-run/evidence.jsonl" || echo -)
      fi
      printf '| %s | %s | %s | %.2f | %s | %s | %s |\n' "$server" "$tool" "$rtt" "$wall" "$trips" "${conns:-?}" "${own:--}"
    done
  done
  stop_server "$server"
done
} > >(tee "$RUN/table.md")

#!/usr/bin/env bash
# kensa peer lab: N TLS endpoints (nginx) on 127.0.0.1:10001.. inside a loopback-only network
# namespace. Run as root.
#
#   lab.sh start [N]   create namespace + certificates + nginx, write out/lab.json (N default 3)
#   lab.sh stop        stop nginx, delete the namespace
#   lab.sh status      show what is running
#   lab.sh check       one openssl handshake per expected version per endpoint (sanity check)
#   lab.sh exec CMD..  run CMD inside the namespace
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS=${LAB_NS:-kensa-lab}
OUT=${LAB_OUT:-$HERE/out}
STATE=$OUT/lab
BASE_PORT=${LAB_BASE_PORT:-10001}
PY=${PYTHON:-python3}
export LAB_NS=$NS LAB_BASE_PORT=$BASE_PORT

die() { echo "lab.sh: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"

ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$NS"; }
nginx_pid() { [ -s "$STATE/nginx.pid" ] && cat "$STATE/nginx.pid"; }
nginx_alive() { local p; p=$(nginx_pid) || return 1; kill -0 "$p" 2>/dev/null; }
in_ns() { ip netns exec "$NS" "$@"; }

make_certs() {
  local d=$STATE/certs
  mkdir -p "$d"
  if [ ! -s "$d/rsa.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/rsa.key" -out "$d/rsa.crt" \
      -days 30 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
  fi
  if [ ! -s "$d/ecdsa.crt" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ecdsa.key" \
      -out "$d/ecdsa.crt" -days 30 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
  fi
  if [ ! -s "$d/dh1024.pem" ]; then
    openssl genpkey -genparam -algorithm DH -pkeyopt dh_paramgen_prime_len:1024 \
      -out "$d/dh1024.pem" 2>/dev/null
  fi
}

stop() {
  if nginx_alive; then
    local p; p=$(nginx_pid)
    kill -QUIT "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  fi
  rm -f "$STATE/nginx.pid"
  if [ -s "$STATE/sserver.pids" ]; then
    local sp
    for sp in $(cat "$STATE/sserver.pids"); do kill "$sp" 2>/dev/null || true; done
    rm -f "$STATE/sserver.pids"
  fi
  if ns_exists; then
    # anything we left inside (tcpdump, tools) dies with its own script's trap; whatever is
    # still holding the namespace is listed, not killed by name.
    local left; left=$(ip netns pids "$NS" 2>/dev/null || true)
    if [ -n "$left" ]; then
      echo "lab.sh: processes still in $NS (killing by pid): $left" >&2
      # shellcheck disable=SC2086
      kill $left 2>/dev/null || true
      sleep 0.3
    fi
    ip netns del "$NS"
  fi
}

start() {
  local n=${1:-3}
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 1000 ] || die "N must be 1..1000"
  command -v nginx >/dev/null || die "nginx missing: run setup.sh"
  if nginx_alive && ns_exists; then
    stop
  fi
  # leave nothing half-built behind if we fail from here on
  trap 'rc=$?; if [ "$rc" -ne 0 ]; then echo "lab.sh: start failed, cleaning up" >&2; stop; fi' EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$STATE/tmp"
  make_certs
  ns_exists || ip netns add "$NS"
  in_ns ip link set lo up
  "$PY" "$HERE/peers.py" conf "$n" "$STATE" > "$STATE/nginx.conf"
  in_ns nginx -t -q -p "$STATE" -c "$STATE/nginx.conf"
  in_ns nginx -p "$STATE" -c "$STATE/nginx.conf"
  # endpoints nginx does not serve: openssl s_server, one process each
  : > "$STATE/sserver.pids"
  while read -r argv; do
    [ -n "$argv" ] || continue
    local args=()
    mapfile -t args < <("$PY" -c 'import json,sys; print("\n".join(json.loads(sys.argv[1])))' "$argv")
    ip netns exec "$NS" "${args[@]}" < /dev/null > "$STATE/sserver.log" 2>&1 &
    echo $! >> "$STATE/sserver.pids"
  done < <("$PY" "$HERE/peers.py" sserver "$n" "$STATE")
  # wait until every port listens
  local last=$((BASE_PORT + n - 1)) ok=0
  for _ in $(seq 100); do
    local cnt
    cnt=$(in_ns ss -Hltn "sport >= :$BASE_PORT and sport <= :$last" | wc -l)
    if [ "$cnt" -ge "$n" ]; then ok=1; break; fi
    sleep 0.1
  done
  [ "$ok" = 1 ] || die "nginx did not open all $n ports (see $STATE/error.log)"
  "$PY" "$HERE/peers.py" expect "$n" "$STATE" > "$OUT/lab.json"
  echo "$n ${LAB_CONFIGS:-a,b,c,d}" > "$STATE/n"
  trap - EXIT INT TERM
  echo "lab: $n endpoints on 127.0.0.1:$BASE_PORT-$last in netns $NS (expected facts: $OUT/lab.json)" >&2
}

check() {
  [ -s "$OUT/lab.json" ] || die "no lab.json: start the lab first"
  # one handshake per expected version, suite and group (openssl s_client inside the namespace)
  in_ns "$PY" "$HERE/peers.py" verify-lab "$OUT/lab.json"
}

case ${1:-} in
  start) start "${2:-3}" ;;
  stop) stop; echo "lab: stopped" >&2 ;;
  status)
    ns_exists && echo "netns $NS: present" || echo "netns $NS: absent"
    nginx_alive && echo "nginx: pid $(nginx_pid), $(cat "$STATE/n" 2>/dev/null || echo '?') endpoints" || echo "nginx: not running" ;;
  check) check ;;
  exec) shift; in_ns "$@" ;;
  *) echo "usage: lab.sh start [N] | stop | status | check | exec CMD..." >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# kensa peer comparison: run kensa, SSLyze, testssl.sh, sslscan and nmap ssl-enum-ciphers
# against every lab endpoint (single mode), then against all endpoints in one invocation per
# tool (fleet mode), inside the loopback-only namespace. Per run: wall time, SYNs seen
# (= TCP connections attempted), and the versions / suites / groups found vs out/lab.json.
#
#   compare.sh [N]     N endpoints (default 50). Run as root after setup.sh.
#
# Environment:
#   KENSA=path          kensa binary (default: <repo>/target/release/kensa)
#   KENSA_ARGS="..."    extra kensa scan arguments (default: --probes tls.scan)
#   TOOLS="..."         subset of: kensa sslyze testssl sslscan nmap cipherrun (default: all)
#   MODES="..."         subset of: single fleet fleet-raised limit (default: all)
#                       fleet-raised: kensa alone with KENSA_RAISED_ARGS (politeness raised);
#                       limit: the machine's full-handshake rate (openssl s_time, one per core)
#   KENSA_RAISED_ARGS   default: --rate-per-host 0 --per-host 8 --max-connections 512
#   CIPHERRUN_ARGS      default: -p -E --show-groups --allow-private (protocols, suites per
#                       protocol, groups; it refuses loopback without --allow-private)
#   CIPHERRUN_FLEET_ARGS default: --parallel (with --file)
#   LIMIT_SECS=s        s_time duration per client (default 10)
#   TESTSSL_ARGS="..."  testssl.sh checks (default: -p -e -f; -f adds the curve list)
#   TESTSSL_FULL=1      also a full default testssl.sh run per endpoint (single mode, slow)
#   TESTSSL_FLEET=serial|parallel   testssl.sh mass-test mode in fleet mode (default parallel)
#   TOOL_TIMEOUT=s      per-invocation limit (default 1800)
#   KEEP_LAB=1          leave the lab running when done
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
N=${1:-50}
NS=${LAB_NS:-kensa-lab}
OUT=${LAB_OUT:-$HERE/out}
BASE_PORT=${LAB_BASE_PORT:-10001}
KENSA=${KENSA:-$REPO/target/release/kensa}
# The TLS scan is what the peers do; the latency and HTTP probes are kensa's extras.
KENSA_ARGS=${KENSA_ARGS:---probes tls.scan}
TOOLS=${TOOLS:-kensa sslyze testssl sslscan nmap cipherrun}
MODES=${MODES:-single fleet fleet-raised limit}
KENSA_RAISED_ARGS=${KENSA_RAISED_ARGS:---rate-per-host 0 --per-host 8 --max-connections 512}
CIPHERRUN_ARGS=${CIPHERRUN_ARGS:--p -E --show-groups --allow-private}
CIPHERRUN_FLEET_ARGS=${CIPHERRUN_FLEET_ARGS:---parallel}
LIMIT_SECS=${LIMIT_SECS:-10}
TESTSSL_ARGS=${TESTSSL_ARGS:--p -e -f}
TESTSSL_FLEET=${TESTSSL_FLEET:-parallel}
TOOL_TIMEOUT=${TOOL_TIMEOUT:-1800}
PY=${PYTHON:-python3}
PY_ABS=$(command -v "$PY")
LAST_PORT=$((BASE_PORT + N - 1))
export LAB_NS=$NS LAB_OUT=$OUT LAB_BASE_PORT=$BASE_PORT

[ "$(id -u)" -eq 0 ] || { echo "compare.sh: must run as root" >&2; exit 2; }
[[ $N =~ ^[0-9]+$ ]] && [ "$N" -ge 1 ] || { echo "compare.sh: N must be a positive integer" >&2; exit 2; }

RUN=$OUT/run-$(date -u +%Y%m%dT%H%M%SZ)-n$N
mkdir -p "$RUN"
MEAS=$RUN/measurements.jsonl
: > "$MEAS"

TCPDUMP_PID=""
TOOL_PID=""
STARTED_LAB=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$TOOL_PID" ] && kill -- "-$TOOL_PID" 2>/dev/null
  [ -n "$TCPDUMP_PID" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null && wait "$TCPDUMP_PID" 2>/dev/null
  if [ "$STARTED_LAB" = 1 ] && [ "${KEEP_LAB:-0}" != 1 ]; then
    "$HERE/lab.sh" stop || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { ip netns exec "$NS" "$@"; }

# ---- the lab -----------------------------------------------------------------------------
if [ "$(cat "$OUT/lab/n" 2>/dev/null)" != "$N ${LAB_CONFIGS:-a,b,c,d}" ] || ! "$HERE/lab.sh" status | grep -q "pid"; then
  "$HERE/lab.sh" start "$N"
  STARTED_LAB=1
fi
cp "$OUT/lab.json" "$RUN/lab.json"
"$HERE/lab.sh" check > "$RUN/lab-check.txt" || { cat "$RUN/lab-check.txt" >&2; echo "compare.sh: lab does not match its expected facts" >&2; exit 1; }

# ---- tool versions -----------------------------------------------------------------------
{
  echo "kensa: $([ -x "$KENSA" ] && "$KENSA" --version 2>/dev/null || echo absent)"
  echo "sslyze: $("$PY" -m pip show sslyze 2>/dev/null | awk '/^Version:/{print $2}')"
  echo "testssl.sh: $(dpkg-query -W -f='${Version}' testssl.sh 2>/dev/null)"
  echo "sslscan: $(dpkg-query -W -f='${Version}' sslscan 2>/dev/null)"
  echo "nmap: $(dpkg-query -W -f='${Version}' nmap 2>/dev/null)"
  echo "cipherrun: $(cipherrun --version 2>/dev/null || echo absent)"
  echo "nginx: $(dpkg-query -W -f='${Version}' nginx 2>/dev/null)"
  echo "openssl: $(openssl version)"
} > "$RUN/versions.txt"

# ---- measurement ---------------------------------------------------------------------------
# SYN capture: tcpdump on the namespace's lo, only initial SYNs (SYN set, ACK clear). On lo each
# packet is captured once, so one SYN = one connection attempt (a retransmitted SYN would count
# twice; none are expected on loopback).
start_capture() {
  local pcap=$1 log=$1.log
  ip netns exec "$NS" tcpdump -i lo -nn -U --immediate-mode -B 262144 -Z root -w "$pcap" \
    'tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0' 2> "$log" &
  TCPDUMP_PID=$!
  for _ in $(seq 100); do grep -q "listening on" "$log" 2>/dev/null && return 0; sleep 0.05; done
  echo "compare.sh: tcpdump did not start: $(cat "$log")" >&2
  return 1
}
stop_capture() {
  sleep 0.5
  kill -INT "$TCPDUMP_PID" 2>/dev/null || true
  wait "$TCPDUMP_PID" 2>/dev/null || true
  TCPDUMP_PID=""
}
count_syns() { tcpdump -r "$1" -nn "$2" 2>/dev/null | wc -l; }
# Connections the servers accepted: the namespace's TCP PassiveOpens counter (/proc/net/snmp),
# counted by the kernel for every listening socket in the namespace, so nothing is dropped
# (tcpdump can drop packets when a tool opens thousands of connections a second).
passive_opens() {
  ip netns exec "$NS" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "PassiveOpens") c = i; h = 1 } else print $c }' /proc/net/snmp
}

# measure MODE TOOL PORTS_CSV RAW_OUTPUT WORKDIR -- CMD...
measure() {
  local mode=$1 tool=$2 ports=$3 raw=$4 dir=$5
  shift 6
  mkdir -p "$dir"
  local pcap=$dir/syn.pcap tfile=$dir/time.txt status=ran code=0 po0 po1
  start_capture "$pcap"
  po0=$(passive_opens)
  # setsid: own process group, so a timeout or Ctrl-C can end the whole tool
  set +e
  # wall s, user s, system s, peak RSS KiB (of the tool, or its largest child for scripts)
  setsid ip netns exec "$NS" timeout "$TOOL_TIMEOUT" /usr/bin/time -f '%e %U %S %M' -o "$tfile" "$@" \
    > "$dir/stdout.txt" 2> "$dir/stderr.txt" &
  TOOL_PID=$!
  wait "$TOOL_PID"
  code=$?
  TOOL_PID=""
  set -e
  po1=$(passive_opens)
  stop_capture
  local accepted=$((po1 - po0)) dropped
  dropped=$(awk '/dropped by kernel/ { print $1 }' "$pcap.log" 2>/dev/null | tail -n1)
  [ "$code" = 124 ] && status=timeout
  local wall=null cpu=null rss=null line u sy
  line=$(tail -n1 "$tfile" 2>/dev/null | grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' || true)
  if [ -n "$line" ]; then
    read -r wall u sy rss <<< "$line"
    cpu=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.2f", a + b }')
  fi
  local filt
  if [ "${ports#*,}" = "$ports" ]; then filt="dst port $ports"; else filt="dst portrange $BASE_PORT-$LAST_PORT"; fi
  local syn_port syn_total
  syn_port=$(count_syns "$pcap" "$filt")
  syn_total=$(count_syns "$pcap" "")
  local parsed=$dir/parsed.json
  "$PY" "$HERE/peers.py" parse "$(parser_of "$tool")" "$raw" > "$parsed" 2>> "$dir/stderr.txt" || echo '{}' > "$parsed"
  "$PY" - "$MEAS" "$mode" "$tool" "$ports" "$wall" "$code" "$syn_port" "$syn_total" "$parsed" "$raw" "$status" "$cpu" "$rss" "$accepted" "${dropped:-0}" <<'EOF'
import json, sys
meas, mode, tool, ports, wall, code, sp, st, parsed, raw, status, cpu, rss, acc, drop = sys.argv[1:]
num = lambda x, f: None if x == "null" else f(x)
rec = {"mode": mode, "tool": tool, "ports": [int(p) for p in ports.split(",")],
       "wall_s": num(wall, float), "cpu_s": num(cpu, float), "rss_kib": num(rss, int), "exit": int(code),
       "syn_port": int(sp), "syn_total": int(st), "accepted": int(acc), "pcap_dropped": int(drop),
       "parsed": parsed, "raw": raw, "status": status}
open(meas, "a").write(json.dumps(rec) + "\n")
EOF
  printf '  %-12s %-10s %6ss  cpu %6ss  rss %7s KiB  accepted %5s  SYNs %5s (total %s, %s dropped)  exit %s\n' "$mode" "$tool" "$wall" "$cpu" "$rss" "$accepted" "$syn_port" "$syn_total" "${dropped:-0}" "$code" >&2
}
parser_of() { case $1 in testssl*) echo testssl ;; *) echo "$1" ;; esac; }

# run_tool MODE TOOL DIR TARGETS...  (targets are 127.0.0.1:PORT literals)
run_tool() {
  local mode=$1 tool=$2 dir=$3; shift 3
  local targets=("$@") ports
  ports=$(printf '%s\n' "${targets[@]}" | sed 's/.*://' | paste -sd, -)
  mkdir -p "$dir"
  case $tool in
    kensa)
      if [ ! -x "$KENSA" ]; then
        echo "{\"mode\":\"$mode\",\"tool\":\"kensa\",\"ports\":[$ports],\"wall_s\":null,\"syn_port\":\"-\",\"syn_total\":\"-\",\"status\":\"absent\"}" >> "$MEAS"
        echo "  $mode kensa: absent ($KENSA)" >&2
        return
      fi
      if [ "$mode" = single ]; then
        measure "$mode" kensa "$ports" "$dir/kensa-run" "$dir" -- \
          "$KENSA" scan "${targets[@]}" --allow-private --json --no-db --out "$dir/kensa-run" $KENSA_ARGS
      else
        # A fleet is N endpoints with names of their own (pinned to 127.0.0.1, so nothing is
        # resolved), as a provider's endpoints are: the per-host limits apply per endpoint.
        # fleet: kensa's defaults; fleet-raised: the politeness limits raised.
        local cat=$dir/fleet.toml extra=""
        fleet_catalog "${targets[@]}" > "$cat"
        [ "$mode" = fleet-raised ] && extra=$KENSA_RAISED_ARGS
        measure "$mode" kensa "$ports" "$dir/kensa-run" "$dir" -- \
          "$KENSA" scan "$cat" --allow-private --json --no-db --out "$dir/kensa-run" $KENSA_ARGS $extra
      fi ;;
    cipherrun)
      if ! command -v cipherrun > /dev/null; then
        echo "{\"mode\":\"$mode\",\"tool\":\"cipherrun\",\"ports\":[$ports],\"wall_s\":null,\"syn_port\":\"-\",\"syn_total\":\"-\",\"status\":\"absent\"}" >> "$MEAS"
        echo "  $mode cipherrun: absent (cargo install cipherrun)" >&2
        return
      fi
      if [ "$mode" = single ]; then
        measure "$mode" cipherrun "$ports" "$dir/cipherrun.json" "$dir" -- \
          cipherrun $CIPHERRUN_ARGS --json "$dir/cipherrun.json" "${targets[0]}"
      else
        printf '%s\n' "${targets[@]}" > "$dir/targets.txt"
        measure "$mode" cipherrun "$ports" "$dir/cipherrun.json" "$dir" -- \
          cipherrun $CIPHERRUN_ARGS $CIPHERRUN_FLEET_ARGS --json "$dir/cipherrun.json" --file "$dir/targets.txt"
      fi ;;
    sslyze)
      measure "$mode" sslyze "$ports" "$dir/sslyze.json" "$dir" -- \
        "$PY_ABS" -m sslyze "${targets[@]}" --json_out="$dir/sslyze.json" ;;
    testssl|testssl-full)
      local args=($TESTSSL_ARGS)
      [ "$tool" = testssl-full ] && args=()
      rm -f "$dir/testssl.json"
      if [ "$mode" = single ]; then
        measure "$mode" "$tool" "$ports" "$dir/testssl.json" "$dir" -- \
          testssl --quiet --color 0 --nodns none --warnings off "${args[@]}" \
          --jsonfile "$dir/testssl.json" "${targets[0]}"
      else
        # --file forces "--warnings batch" (skip a target on any warning) before each line's own
        # options; "--warnings off" on the line keeps the same behaviour as single mode.
        printf -- '--warnings off %s\n' "${targets[@]}" > "$dir/targets.txt"
        measure "$mode" "$tool" "$ports" "$dir/testssl.json" "$dir" -- \
          testssl --quiet --color 0 --nodns none --warnings off "${args[@]}" --mode "$TESTSSL_FLEET" \
          --jsonfile "$dir/testssl.json" --file "$dir/targets.txt"
      fi ;;
    sslscan)
      if [ "$mode" = single ]; then
        measure "$mode" sslscan "$ports" "$dir/sslscan.xml" "$dir" -- \
          sslscan --no-colour --xml="$dir/sslscan.xml" "${targets[0]}"
      else
        printf '%s\n' "${targets[@]}" > "$dir/targets.txt"
        measure "$mode" sslscan "$ports" "$dir/sslscan.xml" "$dir" -- \
          sslscan --no-colour --xml="$dir/sslscan.xml" --targets="$dir/targets.txt"
      fi ;;
    nmap)
      # -Pn: no host discovery; -n: never resolve names
      measure "$mode" nmap "$ports" "$dir/nmap.xml" "$dir" -- \
        nmap -Pn -n --script ssl-enum-ciphers -p "$ports" -oX "$dir/nmap.xml" 127.0.0.1 ;;
  esac
}

# fleet_catalog TARGETS...: a catalog with one provider and an endpoint per target, each
# named ep-PORT.lab and pinned to its address.
fleet_catalog() {
  printf '[[provider]]\nid = "lab"\nname = "Peer lab"\ndeclared_country = "JP"\napplies_for = "kensa-level-1"\n'
  local t
  for t in "$@"; do
    printf '\n[[provider.endpoint]]\nhost = "ep-%s.lab"\nport = %s\naddresses = ["%s"]\n' "${t##*:}" "${t##*:}" "${t%:*}"
  done
}

TARGETS=()
for ((p = BASE_PORT; p <= LAST_PORT; p++)); do TARGETS+=("127.0.0.1:$p"); done
ALL_TOOLS=($TOOLS)
[ "${TESTSSL_FULL:-0}" = 1 ] && ALL_TOOLS+=(testssl-full)

echo "compare: $N endpoints, run dir $RUN" >&2
for mode in $MODES; do
  if [ "$mode" = single ]; then
    for t in "${TARGETS[@]}"; do
      port=${t##*:}
      echo "endpoint $t" >&2
      for tool in "${ALL_TOOLS[@]}"; do run_tool single "$tool" "$RUN/single/$port/$tool" "$t"; done
    done
  elif [ "$mode" = fleet ]; then
    echo "fleet: ${#TARGETS[@]} endpoints per invocation" >&2
    for tool in "${ALL_TOOLS[@]}"; do
      [ "$tool" = testssl-full ] && continue
      run_tool fleet "$tool" "$RUN/fleet/$tool" "${TARGETS[@]}"
    done
  elif [ "$mode" = fleet-raised ]; then
    echo "fleet-raised: kensa over ${#TARGETS[@]} endpoints with $KENSA_RAISED_ARGS" >&2
    run_tool fleet-raised kensa "$RUN/fleet-raised/kensa" "${TARGETS[@]}"
  elif [ "$mode" = limit ]; then
    # The machine's full-handshake rate: one openssl s_time client per core, a new session
    # every connection, LIMIT_SECS seconds.
    # One endpoint of each configuration (the first four), so the fleet's mix can be weighed.
    mkdir -p "$RUN/limit"
    for t in "${TARGETS[@]:0:4}"; do
      echo "limit: openssl s_time x$(nproc) for ${LIMIT_SECS}s against $t" >&2
      for ((c = 0; c < $(nproc); c++)); do
        # SECLEVEL=0: Debian's client refuses the 1024-bit DH endpoint otherwise
        in_ns openssl s_time -connect "$t" -new -time "$LIMIT_SECS" -cipher 'ALL:@SECLEVEL=0' \
          > "$RUN/limit/s_time-${t##*:}-$c.txt" 2>&1 &
      done
      wait
    done
    "$PY" "$HERE/peers.py" limit "$RUN/limit" >> "$MEAS"
  fi
done

"$PY" "$HERE/peers.py" report "$RUN" "$RUN/lab.json" | tee "$RUN/table.md"
cp "$RUN/summary.json" "$OUT/compare-latest.json"
ln -sfn "$(basename "$RUN")" "$OUT/latest"
echo "compare: wrote $RUN/table.md, $RUN/summary.json and $OUT/compare-latest.json" >&2

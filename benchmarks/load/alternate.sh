#!/usr/bin/env bash
# Keep-alive CPU per request of HAProxy, nginx and Sluice measured in alternating windows: all three
# run at once (each pinned to core 0, on its own port, in front of the same nginx backend on core
# 1), and wrk (core 1, 50 connections, 0 B bodies; BODY=1k for 1 KB) drives one of them at a time for WINDOW seconds,
# round after round, the order rotated each round. On a shared VM the speed of the machine moves in
# phases of tens of seconds (the same proxy measured 15.5 and 19 µs per request a minute apart);
# run.sh measures each proxy in its own minute, so a phase can favour one; here every round sees
# all three within ~35 s, and the medians over the rounds (and Sluice's ratio to the better peer
# within each round) are what to read.
#
#   benchmarks/load/alternate.sh                 # ROUNDS=10 WINDOW=10 SLUICE_WARMUP=30
#   OUT=benchmarks/results/alternate.md ROUNDS=12 benchmarks/load/alternate.sh
#   BODY=1k benchmarks/load/alternate.sh         # 1 KB bodies (the backend's /1k)
#   TLS=1 benchmarks/load/alternate.sh           # HTTPS to the proxies (HTTP/1.1, a P-256 certificate;
#                                                # each proxy's negotiated cipher is printed)
#
# Needs haproxy, nginx, wrk, taskset, curl, java. Ports 18190-18194 on 127.0.0.1. Wrap it in
# `flock /tmp/bench.lock` on a shared machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-10}
WINDOW=${WINDOW:-10}
BODY=${BODY:-0}
TLS=${TLS:-0}
[[ $TLS == 0 || $TLS == 1 ]] || { echo "TLS must be 0 or 1 (got '$TLS')" >&2; exit 2; }
SCHEME=http; ((TLS)) && SCHEME=https
case $BODY in
  0) URL_PATH=/; BODY_TEXT="0 B bodies" ;;
  1k) URL_PATH=/1k; BODY_TEXT="1 KB bodies" ;;
  *) echo "BODY must be 0 or 1k (got '$BODY')" >&2; exit 2 ;;
esac
SLUICE_WARMUP=${SLUICE_WARMUP:-30}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
SLUICE_JAVA=${SLUICE_JAVA:-java}
OUT=${OUT:-}
CLK_TCK=$(getconf CLK_TCK)
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $WINDOW =~ ^[1-9][0-9]*$ ]] \
  || { echo "ROUNDS and WINDOW must be whole numbers above 0 (got '$ROUNDS', '$WINDOW')" >&2; exit 2; }
[[ -f $SLUICE_JAR ]] || { echo "$SLUICE_JAR: no such file (build it: mvn -B -q package -DskipTests -pl app -am)" >&2; exit 2; }
for tool in haproxy nginx wrk taskset curl openssl "$SLUICE_JAVA"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=peers.sh
source "$(dirname "$0")/peers.sh"

declare -A PORT=([haproxy]=18191 [nginx]=18192 [sluice]=18193)
declare -A PID

start_backend

HAPROXY_TLS= NGINX_TLS= SLUICE_TLS=
if ((TLS)); then
  bench_cert
  HAPROXY_TLS=" ssl crt $WORK/bench.pem alpn http/1.1"
  NGINX_TLS=" ssl; ssl_protocols TLSv1.2 TLSv1.3; ssl_certificate $WORK/crt.pem; ssl_certificate_key $WORK/key.pem"
  SLUICE_TLS=" ssl crt $WORK/bench.pem alpn http/1.1"
fi

haproxy_cfg "$WORK/haproxy.cfg" 127.0.0.1:18190 "127.0.0.1:${PORT[haproxy]}${HAPROXY_TLS}"

nginx_cfg "$WORK/ng" 127.0.0.1:18190 "127.0.0.1:${PORT[nginx]}${NGINX_TLS}"

cat >"$WORK/sluice.cfg" <<EOF
frontend f
    bind 127.0.0.1:${PORT[sluice]}${SLUICE_TLS}
    default_backend b
backend b
    server s1 127.0.0.1:18190
EOF

wait_up() { # PORT: until a request through it answers 200
  local i
  for ((i = 0; i < 200; i++)); do
    [[ $(curl -sk -o /dev/null -w '%{http_code}' "$SCHEME://127.0.0.1:$1/" || true) == 200 ]] && return 0
    sleep 0.3
  done
  return 1
}

haproxy -c -q -f "$WORK/haproxy.cfg" || { echo "haproxy rejected its config" >&2; exit 1; }
taskset -c 0 haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
PID[haproxy]=$!; PIDS+=("${PID[haproxy]}")
taskset -c 0 nginx -p "$WORK/ng" -c "$WORK/ng/nginx.conf" &
nginx_master=$!; PIDS+=("$nginx_master")
# shellcheck disable=SC2086  # the options are meant to be split
taskset -c 0 "$SLUICE_JAVA" $SLUICE_JVM_OPTS -jar "$SLUICE_JAR" run -f "$WORK/sluice.cfg" \
  --admin-port 18194 --admin-bind 127.0.0.1 --state-dir "$WORK/state" --certs-dir "$WORK/certs" >"$WORK/sluice.log" 2>&1 &
PID[sluice]=$!; PIDS+=("${PID[sluice]}")
for p in haproxy nginx sluice; do
  wait_up "${PORT[$p]}" || { echo "$p did not answer on ${PORT[$p]}" >&2; tail -5 "$WORK"/*.log >&2 || true; exit 1; }
done
PID[nginx]=$(pgrep -P "$nginx_master" | head -1) # the worker does the work

echo "warming up: sluice ${SLUICE_WARMUP}s, haproxy and nginx 3s each" >&2
taskset -c 1 wrk -t1 -c50 -d"${SLUICE_WARMUP}s" "$SCHEME://127.0.0.1:${PORT[sluice]}${URL_PATH}" >/dev/null
for p in haproxy nginx; do taskset -c 1 wrk -t1 -c50 -d3s "$SCHEME://127.0.0.1:${PORT[$p]}${URL_PATH}" >/dev/null; done
CIPHERS=
if ((TLS)); then
  for p in haproxy nginx sluice; do
    c=$(openssl s_client -connect "127.0.0.1:${PORT[$p]}" -alpn http/1.1 </dev/null 2>/dev/null | awk '/^New, / {print $2, $NF}')
    CIPHERS+="${CIPHERS:+; }$p: $c"
  done
fi

# out_segs: TCP segments this host has sent (Tcp OutSegs in /proc/net/snmp; the idle proxies add
# next to nothing, so per request it counts the work of the one being driven: 4 with keep-alive,
# one each way on both of its connections, piggy-backed ACKs; more would mean pure ACKs or split writes)
out_segs() { awk '$1 == "Tcp:" { if (!h) { for (i = 1; i <= NF; i++) if ($i == "OutSegs") c = i; h = 1 } else print $c }' /proc/net/snmp; }

# window NAME ROUND: one measured window; appends "round name req/s cpu user sys segments" to $WORK/windows.
window() {
  local name=$1 round=$2 u0 s0 u1 s1 out n g0 g1
  read -r u0 s0 < <(user_sys_ticks "${PID[$name]}")
  g0=$(out_segs)
  out=$(taskset -c 1 wrk -t1 -c50 -d"${WINDOW}s" "$SCHEME://127.0.0.1:${PORT[$name]}${URL_PATH}")
  g1=$(out_segs)
  read -r u1 s1 < <(user_sys_ticks "${PID[$name]}")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "$name: errors in round $round:" >&2; grep "Non-2xx\|Socket errors" <<<"$out" >&2; fi
  awk -v r="$round" -v nm="$name" -v n="$n" -v w="$WINDOW" -v u=$((u1 - u0)) -v k=$((s1 - s0)) -v hz="$CLK_TCK" \
    -v g=$((g1 - g0)) 'BEGIN {printf "%d %s %.0f %.2f %.2f %.2f %.3f\n", r, nm, n / w, (u + k) / hz * 1e6 / n, u / hz * 1e6 / n, k / hz * 1e6 / n, g / n}' \
    | tee -a "$WORK/windows" >&2
}

order=(haproxy nginx sluice)
for ((round = 1; round <= ROUNDS; round++)); do
  for name in "${order[@]}"; do window "$name" "$round"; done
  order=("${order[@]:1}" "${order[0]}") # rotate: each proxy takes each position in turn
done

report() {
  echo "# Alternating windows: keep-alive CPU per request"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, kernel $(uname -r). HAProxy, nginx and Sluice all running, each"
  echo "pinned to core 0; wrk -t1 -c50 on core 1 drives one at a time for ${WINDOW}s, ${ROUNDS} rounds, the order"
  echo "rotated each round; ${BODY_TEXT} from the nginx backend on core 1. Sluice warmed ${SLUICE_WARMUP}s first."
  ((TLS)) && echo "HTTPS (HTTP/1.1) to the proxies, P-256 certificate; negotiated: $CIPHERS"
  echo "$(haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3); $(nginx -v 2>&1 | cut -d' ' -f3); Sluice on $("$SLUICE_JAVA" -version 2>&1 | head -1)"
  echo "Sluice JVM options: $SLUICE_JVM_OPTS"
  echo
  python3 - "$WORK/windows" <<'PY'
import sys, statistics, collections
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = collections.defaultdict(list)
rounds = collections.defaultdict(dict)
for r, name, rps, cpu, user, sys_, segs in rows:
    by[name].append((float(rps), float(cpu), float(user), float(sys_), float(segs)))
    rounds[int(r)][name] = float(cpu)
med = lambda xs: statistics.median(xs)
print("| proxy | median req/s | median CPU µs/req | min-max CPU µs/req | median user | median system | TCP segments sent per request |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name in ("haproxy", "nginx", "sluice"):
    v = by[name]
    cpu = [x[1] for x in v]
    print(f"| {name} | {med([x[0] for x in v]):.0f} | {med(cpu):.2f} | {min(cpu):.2f}-{max(cpu):.2f} "
          f"| {med([x[2] for x in v]):.2f} | {med([x[3] for x in v]):.2f} | {med([x[4] for x in v]):.3f} |")
ratios = [d["sluice"] / min(d["haproxy"], d["nginx"]) for d in rounds.values() if len(d) == 3]
print()
print(f"Sluice's CPU per request over the better peer's of the same round: median {med(ratios):.2f}x "
      f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)}); at or under it in {sum(x <= 1 for x in ratios)} of {len(ratios)} rounds.")
PY
}

if [[ -n $OUT ]]; then report | tee "$OUT"; else report; fi

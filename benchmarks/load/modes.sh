#!/usr/bin/env bash
# Sluice against HAProxy in the modes besides plain keep-alive: a new connection per request
# (Connection: close), TLS with keep-alive, and HTTP/2 over TLS (h2load). Each proxy is pinned to
# core 0 and measured alone; the client and the nginx backend share core 1. req/s and the proxy's
# CPU µs per request (utime + stime of all its threads over the measured run).
#
#   benchmarks/load/modes.sh                 # WARMUP=30 s (Sluice) / 5 s (HAProxy) per mode, DURATION=10 s
#   MODES=h2 PROXIES=sluice benchmarks/load/modes.sh   # some of the modes (close, tls, h2) or proxies
#
# Needs haproxy, nginx, wrk, h2load (nghttp2-client), openssl, taskset, curl.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-10}
H2_REQUESTS=${H2_REQUESTS:-300000}
MODES=${MODES:-"close tls h2"}
PROXIES=${PROXIES:-"haproxy sluice"}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
SLUICE_JAVA=${SLUICE_JAVA:-java} # the JVM that runs Sluice (the image runs Java 25)
CLK_TCK=$(getconf CLK_TCK)
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=peers.sh
source "$(dirname "$0")/peers.sh"

bench_cert

start_backend

# the same file for both: plain on 18191, TLS on 18192 (h2 and http/1.1 by ALPN)
haproxy_cfg "$WORK/proxy.cfg" 127.0.0.1:18190 127.0.0.1:18191 "127.0.0.1:18192 ssl crt $WORK/bench.pem alpn h2,http/1.1"

row() { # row PROXY MODE REQUESTS SECONDS TICKS
  awk -v p="$1" -v m="$2" -v r="$3" -v s="$4" -v t="$5" -v c="$CLK_TCK" \
    'BEGIN {printf "| %s | %s | %.0f | %.2f |\n", p, m, r / s, t / c * 1e6 / r}'
}

wrk_run() { # wrk_run PROXY MODE URL [wrk args...]
  local proxy=$1 mode=$2 url=$3 t0 t1 out total
  shift 3
  taskset -c 1 wrk -t1 -c50 -d"${WARM}s" "$@" "$url" >/dev/null
  t0=$(ticks "$PP")
  out=$(taskset -c 1 wrk -t1 -c50 -d"${DURATION}s" "$@" "$url")
  t1=$(ticks "$PP")
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  row "$proxy" "$mode" "$total" "$DURATION" $((t1 - t0))
}

h2_run() { # h2_run PROXY
  local proxy=$1 t0 t1 out total secs
  # bounded: one warm-up of 2 s against a cold Sluice stalled (the proxy stopped reading some h2
  # connections); a stall ends the row instead of the script
  timeout $((WARM + 60)) taskset -c 1 h2load -D "$WARM" -c 50 -m 10 "https://127.0.0.1:18192/" >/dev/null 2>&1 || true
  t0=$(ticks "$PP")
  out=$(timeout 300 taskset -c 1 h2load -n "$H2_REQUESTS" -c 50 -m 10 "https://127.0.0.1:18192/" 2>&1 || true)
  t1=$(ticks "$PP")
  total=$(awk '/^requests:/ {print $8}' <<<"$out")
  secs=$(awk '/^finished in/ {v = $3; sub(/s,?$/, "", v); if ($3 ~ /ms,?$/) {sub(/ms,?$/, "", $3); v = $3 / 1000}; print v}' <<<"$out")
  row "$proxy" "h2 (TLS, 50 conn x 10 streams)" "$total" "$secs" $((t1 - t0))
}

echo "| proxy | mode | req/s | proxy CPU µs/req |"
echo "|---|---|---:|---:|"
for proxy in $PROXIES; do
  if [[ $proxy == haproxy ]]; then
    taskset -c 0 haproxy -f "$WORK/proxy.cfg" >"$WORK/haproxy.log" 2>&1 &
    WARM=5
  else
    taskset -c 0 "$SLUICE_JAVA" $SLUICE_JVM_OPTS -jar "$SLUICE_JAR" run -f "$WORK/proxy.cfg" --admin-port 18193 \
      --state-dir "$WORK/state" --certs-dir "$WORK/certs" >"$WORK/sluice.log" 2>&1 &
    WARM=$WARMUP
  fi
  PP=$!
  PIDS+=("$PP")
  for _ in $(seq 1 300); do curl -s -o /dev/null http://127.0.0.1:18191/ && break; sleep 0.2; done
  # every mode is warmed as long as the first: the JIT compiles the TLS and h2 paths only once they run
  for mode in $MODES; do
    case $mode in
      close) wrk_run "$proxy" "new connection per request" http://127.0.0.1:18191/ -H "Connection: close" ;;
      tls) wrk_run "$proxy" "TLS keep-alive (HTTP/1.1)" https://127.0.0.1:18192/ ;;
      h2) h2_run "$proxy" ;;
      *) echo "modes.sh: unknown mode '$mode' (expected close, tls, h2)" >&2; exit 2 ;;
    esac
  done
  stop_pid "$PP"
done

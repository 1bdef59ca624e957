#!/usr/bin/env bash
# Sluice's throughput with many routes: the same keep-alive load (wrk, 50 connections, 0 B) through
# a frontend with ROUTES_A (10) and ROUTES_B (10000) services, each `acl svc_i path_beg /svc_i/`
# (even i) or `acl host_i hdr(host) -i svc_i.example.com` (odd i) + `use_backend`, as in
# RouteLookupBenchmark. Requests go to the last service (a host rule, last in order) and to the
# middle one (a path rule). Sluice pinned to core 0, wrk and the nginx backend to core 1.
#
#   benchmarks/load/routes.sh        # WARMUP=30 s before each measured DURATION=10 s run
#
# Needs nginx, wrk, taskset, curl. Ports 18190-18192 on 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUTES_A=${ROUTES_A:-10}
ROUTES_B=${ROUTES_B:-10000}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-10}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
SLUICE_JAVA=${SLUICE_JAVA:-java} # the JVM that runs Sluice (the image runs Java 25)
CLK_TCK=$(getconf CLK_TCK)
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

start_backend

# config N: a frontend with N services (one backend each, all on the same nginx)
config() {
  local n=$1 i
  {
    echo "frontend f"
    echo "    bind 127.0.0.1:18191"
    for ((i = 0; i < n; i++)); do
      if ((i % 2 == 0)); then
        echo "    acl svc_$i path_beg /svc_$i/"
        echo "    use_backend be_$i if svc_$i"
      else
        echo "    acl host_$i hdr(host) -i svc_$i.example.com"
        echo "    use_backend be_$i if host_$i"
      fi
    done
    for ((i = 0; i < n; i++)); do
      echo "backend be_$i"
      echo "    server s1 127.0.0.1:18190"
    done
  } >"$WORK/routes-$n.cfg"
}

# run N LABEL PATH [HOST]: req/s and CPU µs per request of Sluice with N services
run() {
  local n=$1 label=$2 path=$3 host=${4:-} t0 t1 out rps total
  local hdr=()
  [[ -n $host ]] && hdr=(-H "Host: $host")
  taskset -c 1 wrk -t1 -c50 -d"${WARMUP}s" "${hdr[@]}" "http://127.0.0.1:18191$path" >/dev/null
  t0=$(ticks "$SP")
  out=$(taskset -c 1 wrk -t1 -c50 -d"${DURATION}s" "${hdr[@]}" "http://127.0.0.1:18191$path")
  t1=$(ticks "$SP")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  printf "| %s | %s | %s | %.2f |\n" "$n" "$label" "$rps" \
    "$(awk -v t=$((t1 - t0)) -v c="$CLK_TCK" -v r="$total" 'BEGIN {print t / c * 1e6 / r}')"
}

echo "| services | request | req/s | Sluice CPU µs/req |"
echo "|---:|---|---:|---:|"
for n in "$ROUTES_A" "$ROUTES_B"; do
  config "$n"
  taskset -c 0 "$SLUICE_JAVA" $SLUICE_JVM_OPTS -jar "$SLUICE_JAR" run -f "$WORK/routes-$n.cfg" --admin-port 18192 \
    --state-dir "$WORK/state" >"$WORK/sluice-$n.log" 2>&1 &
  SP=$!
  PIDS+=("$SP")
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "http://127.0.0.1:18191/svc_0/" && break
    sleep 0.2
  done
  last=$((n - 1)); ((last % 2 == 0)) && last=$((n - 2))
  middle=$((n / 2)); ((middle % 2 == 1)) && middle=$((middle - 1))
  run "$n" "last (host rule)" "/" "svc_$last.example.com"
  run "$n" "middle (path rule)" "/svc_$middle/x"
  stop_pid "$SP"
done

#!/usr/bin/env bash
# Java 25's AOT cache (JEP 483/514/515: classes loaded and linked, and method profiles, from a
# training run) against a plain start. First a training run: Sluice with -XX:AOTCacheOutput on
# core 0 for TRAIN seconds of keep-alive traffic (wrk) and 20 changes per second (changer.py),
# then SIGTERM (the cache is written at exit). Then ROUNDS pairs, alternating: time from the start
# to the first answered ping, req/s of the first 5 s of traffic after one reconfigure, req/s and
# wrk's p99 of the next 5 s.
#
#   benchmarks/load/aot-cache.sh     # SLUICE_JAVA=temurin-25 TRAIN=60 ROUNDS=3
#
# Needs Java 25 (SLUICE_JAVA), nginx, wrk, curl, python3, taskset; build first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TRAIN=${TRAIN:-60}
ROUNDS=${ROUNDS:-3}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
SLUICE_JAVA=${SLUICE_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
OPTS="-Xms512m -Xmx512m -XX:+UseParallelGC"
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
start_backend

SLUICE_JVM_OPTS="$OPTS -XX:AOTCacheOutput=$WORK/sluice.aot" start_sluice
curl -sf -o /dev/null "$admin/reconfigure?serviceName=web&servicePath=/web&port=18190&outboundHostname=127.0.0.1"
for i in $(seq 1 75); do
  curl -sf -o /dev/null "$admin/reconfigure?serviceName=svc-$i&servicePath=/svc-$i&port=18190&outboundHostname=127.0.0.1"
done
taskset -c 1 python3 "$(dirname "$0")/changer.py" admin 127.0.0.1:18192 20 >/dev/null &
changer=$!
PIDS+=("$changer")
taskset -c 1 wrk -t1 -c50 -d"${TRAIN}s" http://127.0.0.1:18191/web/ >/dev/null
stop_pid "$changer"
stop_pid "$SLUICE_PID"
grep -q 'AOTCache creation is complete' "$WORK/sluice.log" || { echo "no AOT cache written:" >&2; cat "$WORK/sluice.log" >&2; exit 1; }
echo "AOT cache: $(stat -c %s "$WORK/sluice.aot") bytes after ${TRAIN}s of training"

echo "| start | ready ms | first 5 s req/s | next 5 s req/s | next 5 s p99 |"
echo "|---|---:|---:|---:|---:|"
for _ in $(seq 1 "$ROUNDS"); do
  for v in plain aot; do
    o=$OPTS
    [[ $v == aot ]] && o="$o -XX:AOTCache=$WORK/sluice.aot"
    rm -rf "$WORK/state"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086  # the options are meant to be split
    taskset -c 0 "$SLUICE_JAVA" $o -jar "$SLUICE_JAR" run --default-ports 18191 --admin-port 18192 \
      --admin-bind 127.0.0.1 --state-dir "$WORK/state" --certs-dir "$WORK/certs" >"$WORK/run.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    for _ in $(seq 1 1500); do curl -s -o /dev/null "$admin/ping" && break; sleep 0.02; done
    t1=$(date +%s%N)
    curl -sf -o /dev/null "$admin/reconfigure?serviceName=web&servicePath=/web&port=18190&outboundHostname=127.0.0.1"
    first=$(taskset -c 1 wrk -t1 -c50 -d5s http://127.0.0.1:18191/web/ | awk '/Requests\/sec/ {print $2}')
    next=$(taskset -c 1 wrk -t1 -c50 -d5s --latency http://127.0.0.1:18191/web/ | awk '/Requests\/sec/ {r = $2} $1 == "99%" {p = $2} END {print r " | " p}')
    echo "| $v | $(((t1 - t0) / 1000000)) | $first | $next |"
    stop_pid "$pid"
  done
done

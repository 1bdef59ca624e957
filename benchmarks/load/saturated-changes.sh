#!/usr/bin/env bash
# How long a reconfigure takes when Sluice's core is saturated: Sluice on core 0 (embedded
# configuration), nginx and wrk on core 1; WARMUP seconds of wrk traffic with a change every 0.5 s,
# then a busy loop on core 0 beside Sluice while CHANGES reconfigure calls are sent one after
# another, each timed, then 10 pings (the image's health check). Sluice inherits this script's environment: compare
#
#   benchmarks/load/saturated-changes.sh                          # CHANGES=20 WARMUP=60
#   CONTROL_PRIORITY=idle benchmarks/load/saturated-changes.sh    # the control plane in SCHED_IDLE
#
# Needs nginx, wrk, curl, taskset; build first (mvn -B -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHANGES=${CHANGES:-20}
WARMUP=${WARMUP:-60}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

start_backend
start_sluice
curl -sf -o /dev/null "$admin/reconfigure?serviceName=web&servicePath=/web&port=18190&outboundHostname=127.0.0.1"

taskset -c 1 wrk -t1 -c50 -d$((WARMUP + 900))s http://127.0.0.1:18191/web/ >"$WORK/wrk.txt" &
PIDS+=("$!")
for i in $(seq 1 $((WARMUP * 2))); do
  curl -s -o /dev/null "$admin/reconfigure?serviceName=warm-$i&servicePath=/warm-$i&port=18190&outboundHostname=127.0.0.1"
  sleep 0.5
done
taskset -c 0 sh -c 'while :; do :; done' &
PIDS+=("$!")
for i in $(seq 1 "$CHANGES"); do
  taskset -c 1 curl -s -o /dev/null --max-time 120 -w '%{http_code} %{time_total}\n' \
    "$admin/reconfigure?serviceName=m-$i&servicePath=/m-$i&port=18190&outboundHostname=127.0.0.1"
done >"$WORK/times.txt"
# the image's health check, on the same saturated core
for _ in $(seq 1 10); do
  taskset -c 1 curl -s -o /dev/null --max-time 120 -w '%{http_code} %{time_total}\n' "$admin/ping"
done >"$WORK/pings.txt"
echo "CONTROL_PRIORITY=${CONTROL_PRIORITY:-normal}: $CHANGES reconfigure calls on a saturated core"
sort -k2 -n "$WORK/times.txt" | awk '{ t[NR] = $2; c[$1]++ } END {
  printf "median %.3f s, max %.3f s; answers:", t[int((NR + 1) / 2)], t[NR]; for (k in c) printf " %s x%d", k, c[k]; print "" }'
sort -k2 -n "$WORK/pings.txt" | awk '{ t[NR] = $2 } END { printf "10 pings (the health check): median %.3f s, max %.3f s\n", t[int((NR + 1) / 2)], t[NR] }'
grep -c 'has been blocked' "$WORK/sluice.log" | sed 's/^/Vert.x blocked-thread warnings: /' || true

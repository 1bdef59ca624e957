#!/usr/bin/env bash
# What one change costs Sluice in CPU, by thread: Sluice alone on core 0 with 76 services, one
# keep-alive client (changer.py, core 1) sending RATE reconfigure / remove calls per second; after
# WARM seconds of that, the CPU each thread group used over MEASURE seconds, per change (threads
# summed by name with digits made N, as common.sh's thread_ticks: the JIT's C1 and C2 are one row). No proxy
# traffic: on one shared core, what the control plane spends here is what the event loops wait
# for under load (reconfigure.sh measures that wait).
#
#   benchmarks/load/change-cost.sh                   # RATE=20 WARM=120 MEASURE=60
#   SLUICE_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/load/change-cost.sh
#   ASYNC_PROFILER=/path/libasyncProfiler.so PROFILE_OUT=/tmp/p.txt benchmarks/load/change-cost.sh
# (the last also writes a CPU profile of the measured window, collapsed stacks per thread)
#
# Needs nginx, curl, python3, taskset; build first (mvn -B -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RATE=${RATE:-20}
WARM=${WARM:-120}
MEASURE=${MEASURE:-60}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
CLK_TCK=$(getconf CLK_TCK)
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

start_backend
start_sluice
for i in $(seq 1 75); do
  curl -sf -o /dev/null "$admin/reconfigure?serviceName=svc-$i&servicePath=/svc-$i&port=18190&outboundHostname=127.0.0.1"
done
taskset -c 1 python3 "$(dirname "$0")/changer.py" admin 127.0.0.1:18192 "$RATE" >"$WORK/changes.txt" &
PIDS+=("$!")
sleep "$WARM"
n0=$(wc -l <"$WORK/changes.txt")
thread_ticks "$SLUICE_PID" >"$WORK/t0"
if [[ -n ${ASYNC_PROFILER:-} ]]; then
  # the inner quotes keep jcmd from reading the agent's options as its own key=value arguments
  jcmd "$SLUICE_PID" JVMTI.agent_load "$ASYNC_PROFILER" \
    "\"start,event=cpu,interval=500us,threads,timeout=$MEASURE,collapsed,file=${PROFILE_OUT:?set PROFILE_OUT}\"" >/dev/null
fi
sleep "$MEASURE"
n1=$(wc -l <"$WORK/changes.txt")
thread_ticks "$SLUICE_PID" >"$WORK/t1"
changes=$((n1 - n0))
echo "changes: $changes in ${MEASURE}s after ${WARM}s (answers other than 200 in the whole run: $(grep -vc '^200$' "$WORK/changes.txt" || true))"
echo "| thread | CPU ms per change |"
echo "|---|---:|"
join -t$'\t' "$WORK/t0" "$WORK/t1" | awk -F'\t' -v n="$changes" -v c="$CLK_TCK" \
  '{ d = $3 - $2; if (d > 0) { printf "| %s | %.3f |\n", $1, d / c * 1000 / n; total += d } }
   END { printf "| all | %.3f |\n", total / c * 1000 / n }'
[[ -n ${ASYNC_PROFILER:-} ]] && sleep 2 # the profile is written when its timeout ends
exit 0

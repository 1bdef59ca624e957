#!/usr/bin/env bash
# A burst of changes, as when a stack of services is deployed: COUNT reconfigure calls from CLIENTS
# clients at once (burst.py), then COUNT remove calls, against Sluice on core 0 (embedded
# configuration, SERVICES services already there, no proxy traffic); the clients on core 1.
# WARM bursts first (the JIT), then ROUNDS measured ones; per round: calls per second, the calls'
# latency, and Sluice's CPU per change (from /proc: the writer, Vert.x, the JIT, the rest).
#
#   benchmarks/load/burst.sh        # COUNT=200 CLIENTS=8 SERVICES=70 WARM=10 ROUNDS=3
#
# Needs curl, python3, taskset; build first (mvn -B -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COUNT=${COUNT:-200}
CLIENTS=${CLIENTS:-8}
SERVICES=${SERVICES:-70}
WARM=${WARM:-10}
ROUNDS=${ROUNDS:-3}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
SLUICE_JAVA=${SLUICE_JAVA:-java}
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

start_sluice
sluice=$SLUICE_PID
for i in $(seq 1 "$SERVICES"); do
  curl -sf -o /dev/null "$admin/reconfigure?serviceName=svc-$i&servicePath=/svc-$i&port=18190&outboundHostname=127.0.0.1"
done
burst() { taskset -c 1 python3 "$(dirname "$0")/burst.py" 127.0.0.1:18192 "$COUNT" "$CLIENTS"; }
for _ in $(seq 1 "$WARM"); do burst >/dev/null; done
hz=$(getconf CLK_TCK)
echo "Sluice on $("$SLUICE_JAVA" -version 2>&1 | head -1); $SERVICES services, bursts of $COUNT calls from $CLIENTS clients"
# CPU ticks of the writer ("sluice-admin-wr": a thread name is cut at 15 characters), Vert.x, the
# JIT's compiler threads and the rest
cpu_split() {
  thread_ticks "$sluice" | awk -F'\t' '{ if ($1 ~ /^sluice-admin-wr/) w += $2; else if ($1 ~ /^vert\.x/) v += $2;
    else if ($1 ~ /CompilerThre/) j += $2; else o += $2 } END { printf "%d %d %d %d", w, v, j, o }'
}
for r in $(seq 1 "$ROUNDS"); do
  t0=$(cpu_split)
  out=$(burst)
  t1=$(cpu_split)
  echo "$out" | sed "s/^/round $r: /"
  awk -v a="$t0" -v b="$t1" -v n="$COUNT" -v hz="$hz" -v r="$r" 'BEGIN { split(a, x, " "); split(b, y, " ")
    for (i = 1; i <= 4; i++) { ms[i] = (y[i] - x[i]) * 1000 / hz / (2 * n); all += ms[i] }
    printf "round %d: Sluice CPU per change %.2f ms: writer %.2f, Vert.x %.2f, JIT %.2f, other %.2f\n", r, all, ms[1], ms[2], ms[3], ms[4] }'
  if grep -q 'not200=[1-9]' <<<"$out"; then failed=1; fi
done
stored=$(grep -c '"params"' "$WORK/state/services.json" || true) # one service per line
echo "services.json holds $stored services after the runs (expected $SERVICES)"
if [[ ${failed:-0} == 1 || $stored != "$SERVICES" ]]; then
  echo "INVALID: a call was not answered 200, or the saved services are not the expected ones" >&2
  exit 1
fi

#!/usr/bin/env bash
# Latency at a fixed rate while the routing changes: OpenLoop (benchmarks.jar) at RATE req/s to
# one service, DURATION seconds quiet, DURATION seconds while a keep-alive client (changer.py)
# sends CHANGES_PER_S calls per second to nginx (the control: the client's core pays the same,
# Sluice sees nothing), then DURATION seconds while the same client sends CHANGES_PER_S
# reconfigure / remove calls per second (other services, each a new routing table) to the admin API.
# Sluice on core 0 (embedded configuration, the services frontend), client and nginx on core 1.
# Besides the latency, it prints how long the event loops were runnable but off the core in each
# phase (schedstat): what the rest of Sluice (admin API, writer, JIT, GC) took from them, per change.
#
#   benchmarks/load/reconfigure.sh          # RATE=20000 DURATION=20 CHANGES_PER_S=10 WARMUP=30
#   CONTROL_PRIORITY=idle benchmarks/load/reconfigure.sh  # the control plane in SCHED_IDLE (README)
# (Sluice reads it from the environment, which it inherits from this script.)
#
# Needs nginx, wrk, curl, python3, taskset; build first (mvn -B -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RATE=${RATE:-20000}
DURATION=${DURATION:-20}
CHANGES_PER_S=${CHANGES_PER_S:-10}
WARMUP=${WARMUP:-30}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
BENCH_JAR=${BENCH_JAR:-$ROOT/benchmarks/target/benchmarks.jar}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
SLUICE_JAVA=${SLUICE_JAVA:-java} # the JVM that runs Sluice (the image runs Java 25)
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

start_backend
start_sluice
curl -sf -o /dev/null "$admin/reconfigure?serviceName=web&servicePath=/web&port=18190&outboundHostname=127.0.0.1"
for i in $(seq 1 20); do
  curl -sf -o /dev/null "$admin/reconfigure?serviceName=svc-$i&servicePath=/svc-$i&port=18190&outboundHostname=127.0.0.1"
done

openloop() {
  taskset -c 1 java -cp "$BENCH_JAR" dev.sluice.benchmarks.load.OpenLoop --url http://127.0.0.1:18191/web/ \
    --rate "$RATE" --connections 50 --duration "${DURATION}s" --warmup 5s | grep '^OPENLOOP'
}

# changer MODE: CHANGES_PER_S calls per second from one keep-alive client (changer.py) until
# killed. "admin": add and remove other services (each call a new routing table); "control": the
# same client at the same rate against nginx, which changes nothing in Sluice.
changer() {
  if [[ $1 == control ]]; then
    exec taskset -c 1 python3 "$(dirname "$0")/changer.py" control 127.0.0.1:18190 "$CHANGES_PER_S"
  fi
  exec taskset -c 1 python3 "$(dirname "$0")/changer.py" admin 127.0.0.1:18192 "$CHANGES_PER_S"
}

# The warm-up runs the changes too (WARM_CHANGES=1, the default): a JVM whose admin API never
# served a request compiles the shared Netty HTTP code for the proxy's traffic alone, and the
# first busy minute of admin calls then deoptimizes and recompiles it (measured: p99 2-15x for
# ~30 s). A running proxy sees both kinds of traffic; WARM_CHANGES=0 measures the cold case.
if [[ ${WARM_CHANGES:-1} == 1 ]]; then
  changer admin >/dev/null &
  pid=$!
  PIDS+=("$pid")
fi
taskset -c 1 wrk -t1 -c50 -d"${WARMUP}s" http://127.0.0.1:18191/web/ >/dev/null
if [[ ${WARM_CHANGES:-1} == 1 ]]; then kill "$pid" 2>/dev/null || true; fi
w0=$(loop_wait "${PIDS[0]}")
quiet=$(openloop)
w1=$(loop_wait "${PIDS[0]}")
changer control >"$WORK/control.txt" &
pid=$!
PIDS+=("$pid")
control=$(openloop)
kill "$pid" 2>/dev/null || true
w2=$(loop_wait "${PIDS[0]}")
# CPU of Sluice's threads by name (the event loops, the admin writer and Vert.x, the rest), in ticks
threads() {
  thread_ticks "${PIDS[0]}" | awk -F'\t' '{ if ($1 ~ /^sluice-proxy/) l += $2; else if ($1 ~ /^(sluice-admin|vert\.x)/) a += $2; else o += $2 }
    END { printf "%d %d %d", l, a, o }'
}
t0=$(threads)
changer admin >"$WORK/changes.txt" &
pid=$!
PIDS+=("$pid")
busy=$(openloop)
kill "$pid" 2>/dev/null || true
t1=$(threads)
w3=$(loop_wait "${PIDS[0]}")
changes=$(wc -l <"$WORK/changes.txt")
failed=$(grep -vc '^200$' "$WORK/changes.txt" || true)
generation=$(curl -s "$admin/ping" | sed 's/.*"Generation":\([0-9]*\).*/\1/')
hz=$(getconf CLK_TCK)
split=$(awk -v a="$t0" -v b="$t1" -v n="$changes" -v hz="$hz" 'BEGIN { split(a, x, " "); split(b, y, " ")
  printf "admin threads %.1f ms of CPU per change; event loops %.1f s, other threads %.1f s over the run",
    (y[2] - x[2]) * 1000 / hz / (n > 0 ? n : 1), (y[1] - x[1]) / hz, (y[3] - x[3]) / hz }')
field() { sed "s/.* $1=\([^ ]*\).*/\1/" <<<"$2"; }
echo "Fixed rate $RATE req/s to one service, ${DURATION}s each (OpenLoop, latency from the intended send time, ms)"
echo "| run | achieved | p50 | p99 | p99.9 | max | client lag p99 | errors | valid |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for run in quiet control busy; do
  line=${!run}
  echo "| $run | $(field achieved "$line") | $(field p50 "$line") | $(field p99 "$line") | $(field p999 "$line") | $(field max "$line") | $(field lag_p99 "$line") | $(field errors "$line") | $(field valid "$line") |"
done
echo "changes during the busy run: $changes calls ($failed not 200), routing generation now $generation; $split"
# the event loops' time runnable but off the core (they share it with everything else of Sluice)
awk -v q=$((w1 - w0)) -v c=$((w2 - w1)) -v b=$((w3 - w2)) -v n="$changes" 'BEGIN {
  printf "event loops waiting for the core: quiet %.1f ms, control %.1f ms, busy %.1f ms (%.3f ms more per change than control)\n",
    q / 1e6, c / 1e6, b / 1e6, (b - c) / 1e6 / (n > 0 ? n : 1) }'
awk -v q="$(field p99 "$quiet")" -v c="$(field p99 "$control")" -v b="$(field p99 "$busy")" \
  'BEGIN {printf "p99 busy / quiet: %.2fx; busy / control (the same client load, no change): %.2fx\n", b / q, b / c}'

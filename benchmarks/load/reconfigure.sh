#!/usr/bin/env bash
# Latency at a fixed rate while the routing changes: OpenLoop (benchmarks.jar) at RATE req/s to
# one service, in three kinds of window of DURATION seconds: quiet; control, while a keep-alive
# client (changer.py) sends CHANGES_PER_S calls per second to nginx (the client's core pays the
# same, Sluice sees nothing); busy, while the same client sends CHANGES_PER_S reconfigure / remove
# calls per second (other services, each a new routing table) to the admin API. ROUNDS rounds of
# the three, the order rotated each round: on a shared VM the machine's speed moves in phases of
# tens of seconds, and one window of each kind (ROUNDS=1) has put the control's p99 anywhere from
# 0.5x to 20x the quiet one's; the medians over the rounds and the ratios within each round are
# what to read. Sluice on core 0 (embedded configuration, the services frontend), client and nginx
# on core 1. Besides the latency, it prints how long the event loops were runnable but off the core
# in each window (schedstat): what the rest of Sluice (admin API, writer, JIT, GC) took from them,
# per change.
#
#   benchmarks/load/reconfigure.sh          # RATE=20000 DURATION=20 CHANGES_PER_S=10 WARMUP=30 ROUNDS=1
#   WARMUP=120 ROUNDS=6 DURATION=10 OUT=benchmarks/results/x.md benchmarks/load/reconfigure.sh
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
ROUNDS=${ROUNDS:-1}
OUT=${OUT:-}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a whole number above 0 (got '$ROUNDS')" >&2; exit 2; }
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
# CPU of Sluice's admin threads (the writer, Vert.x), in ticks
admin_ticks() {
  thread_ticks "${PIDS[0]}" | awk -F'\t' '$1 ~ /^(sluice-admin|vert\.x)/ { a += $2 } END { printf "%d", a }'
}

# window ROUND NAME: one window (NAME quiet, control or busy); appends "ROUND NAME achieved p50 p99
# p999 max lag_p99 errors valid wait_ns calls failed admin_ticks" to $WORK/windows. The changer
# runs through OpenLoop's own warm-up too, and the wait is counted over the whole window.
window() {
  local round=$1 name=$2 pid="" w0 w1 a0 a1 line calls=0 failed=0
  w0=$(loop_wait "${PIDS[0]}")
  a0=$(admin_ticks)
  if [[ $name != quiet ]]; then
    changer "$([[ $name == busy ]] && echo admin || echo control)" >"$WORK/calls.txt" &
    pid=$!
    PIDS+=("$pid")
  fi
  line=$(openloop)
  if [[ -n $pid ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    calls=$(wc -l <"$WORK/calls.txt")
    failed=$(grep -vc '^200$' "$WORK/calls.txt" || true)
  fi
  w1=$(loop_wait "${PIDS[0]}")
  a1=$(admin_ticks)
  echo "$round $name $(field achieved "$line") $(field p50 "$line") $(field p99 "$line") $(field p999 "$line")" \
    "$(field max "$line") $(field lag_p99 "$line") $(field errors "$line") $(field valid "$line")" \
    "$((w1 - w0)) $calls $failed $((a1 - a0))" | tee -a "$WORK/windows" >&2
}
field() { sed "s/.* $1=\([^ ]*\).*/\1/" <<<"$2"; }

order=(quiet control busy)
for ((round = 1; round <= ROUNDS; round++)); do
  for name in "${order[@]}"; do window "$round" "$name"; done
  order=("${order[@]:1}" "${order[0]}") # rotate: each kind takes each position in turn
done
generation=$(curl -s "$admin/ping" | sed 's/.*"Generation":\([0-9]*\).*/\1/')

report() {
  echo "Fixed rate $RATE req/s to one service, ${DURATION}s windows, $ROUNDS round(s) of quiet / control / busy"
  echo "(order rotated), $CHANGES_PER_S calls per second in control and busy windows; warm-up ${WARMUP}s"
  echo "$(date -u +%Y-%m-%dT%H:%MZ); Sluice on $("$SLUICE_JAVA" -version 2>&1 | head -1), $SLUICE_JVM_OPTS"
  echo "(OpenLoop, latency from the intended send time, ms; routing generation at the end $generation)"
  echo
  python3 - "$WORK/windows" "$(getconf CLK_TCK)" <<'PY'
import sys, statistics, collections
hz = int(sys.argv[2])
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print("| round | run | achieved | p50 | p99 | p99.9 | max | client lag p99 | errors | valid | loops waiting, ms | calls (not 200) |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
by = collections.defaultdict(dict)
for r in rows:
    rnd, name, ach, p50, p99, p999, mx, lag, err, valid, wait, calls, failed, admin = r
    by[int(rnd)][name] = dict(p50=float(p50), p99=float(p99), p999=float(p999), max=float(mx),
                              wait=int(wait) / 1e6, calls=int(calls), admin=int(admin))
    print(f"| {rnd} | {name} | {ach} | {p50} | {p99} | {p999} | {mx} | {lag} | {err} | {valid} "
          f"| {int(wait) / 1e6:.1f} | {calls} ({failed}) |")
med = statistics.median
full = [d for d in by.values() if len(d) == 3]
print()
print("| run | median p50 | median p99 | median p99.9 | median max |")
print("|---|---:|---:|---:|---:|")
for name in ("quiet", "control", "busy"):
    v = [d[name] for d in by.values() if name in d]
    print(f"| {name} | {med([x['p50'] for x in v]):.2f} | {med([x['p99'] for x in v]):.2f} "
          f"| {med([x['p999'] for x in v]):.2f} | {med([x['max'] for x in v]):.2f} |")
if full:
    bq = [d["busy"]["p99"] / d["quiet"]["p99"] for d in full]
    bc = [d["busy"]["p99"] / d["control"]["p99"] for d in full]
    cq = [d["control"]["p99"] / d["quiet"]["p99"] for d in full]
    per = [(d["busy"]["wait"] - d["control"]["wait"]) / max(d["busy"]["calls"], 1) for d in full]
    calls = sum(d["busy"]["calls"] for d in full)
    admin = sum(d["busy"]["admin"] for d in full) / hz * 1000 / max(calls, 1)
    f = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
    print()
    print(f"p99 busy / quiet within each round: median {med(bq):.2f}x ({f(bq)}); within 1.10x in "
          f"{sum(x <= 1.10 for x in bq)} of {len(bq)} rounds")
    print(f"p99 control / quiet (no change applied): median {med(cq):.2f}x ({f(cq)})")
    print(f"p99 busy / control: median {med(bc):.2f}x ({f(bc)})")
    print(f"event loops' wait for the core, busy minus control, per change: median {med(per):.3f} ms ({f(per)})")
    print(f"admin threads' CPU per change in the busy windows: {admin:.2f} ms ({calls} calls)")
PY
}
if [[ -n $OUT ]]; then report | tee "$OUT"; else report; fi

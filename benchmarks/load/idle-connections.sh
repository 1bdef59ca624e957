#!/usr/bin/env bash
# Sluice's memory per idle keep-alive client connection: N connections (default 10000) each send
# one request, read the answer, and stay open and idle; the heap (after a full GC), the JVM's
# native memory (NMT) and the process's RSS are read before and after.
#
#   benchmarks/load/idle-connections.sh            # N=10000
#   N=20000 benchmarks/load/idle-connections.sh
#
# Needs nginx (the backend), python3, jcmd (the JDK's), taskset, curl. Every process it starts is
# stopped on exit; ports 18190-18192 on 127.0.0.1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-10000}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC"}
SLUICE_JAVA=${SLUICE_JAVA:-java} # the JVM that runs Sluice (the image runs Java 25)
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

start_backend
cat >"$WORK/sluice.cfg" <<CFG
defaults
    timeout client 300s
    timeout http-keep-alive 300s
frontend f
    bind 127.0.0.1:18191
    default_backend b
backend b
    server s1 127.0.0.1:18190
CFG
# NMT: the JVM's own view of its native memory, direct buffers included (Other)
taskset -c 0 "$SLUICE_JAVA" $SLUICE_JVM_OPTS -XX:NativeMemoryTracking=summary -jar "$SLUICE_JAR" run -f "$WORK/sluice.cfg" \
  --admin-port 18192 --state-dir "$WORK/state" >"$WORK/sluice.log" 2>&1 &
sp=$!
PIDS+=("$sp")
for _ in $(seq 1 150); do curl -s -o /dev/null http://127.0.0.1:18191/empty && break; sleep 0.2; done

measure() {
  jcmd "$sp" GC.run >/dev/null
  sleep 1
  local heap nmt other rss
  heap=$(jcmd "$sp" GC.heap_info | awk '/total/ && /used/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?/, "", v); t += v}} END {print t}')
  nmt=$(jcmd "$sp" VM.native_memory summary | awk '/^Total:/ {sub(/committed=/, "", $3); sub(/KB/, "", $3); print $3}')
  other=$(jcmd "$sp" VM.native_memory summary | grep -A1 -- "- *Other" | grep -o "committed=[0-9]*KB" | head -1 | tr -dc 0-9)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$sp/status")
  echo "$heap ${other:-0} $nmt $rss"
}
read -r h0 o0 n0 r0 <<<"$(measure)"
python3 "$ROOT/benchmarks/load/idle_clients.py" 127.0.0.1 18191 "$N" 120 >"$WORK/clients.out" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 1200); do
  grep -q -e ready -e failed "$WORK/clients.out" && break
  sleep 0.2
done
if ! grep -q ready "$WORK/clients.out"; then
  echo "the clients did not all connect:"; cat "$WORK/clients.out"; exit 1
fi
read -r h1 o1 n1 r1 <<<"$(measure)"
per() { awk -v a="$1" -v b="$2" -v n="$N" 'BEGIN {printf "%.2f", (b - a) * 1024 / n / 1024}'; }
echo "$N idle keep-alive client connections (each served one request), Sluice JVM: $SLUICE_JVM_OPTS"
echo "| | before | with $N | per connection |"
echo "|---|---:|---:|---:|"
echo "| heap used after a full GC (KB) | $h0 | $h1 | $(per "$h0" "$h1") KB |"
echo "| direct memory, NMT Other (KB) | $o0 | $o1 | $(per "$o0" "$o1") KB |"
echo "| JVM native memory, NMT total committed (KB) | $n0 | $n1 | $(per "$n0" "$n1") KB |"
echo "| RSS (KB) | $r0 | $r1 | $(per "$r0" "$r1") KB |"
echo "open file descriptors: $(ls "/proc/$sp/fd" | wc -l)"

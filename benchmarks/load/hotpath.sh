#!/usr/bin/env bash
# Per-request cost of Sluice's keep-alive path, for comparing builds: CPU µs per request and bytes
# allocated per request on the event loop, 0 B body, wrk -t1 -c50 on core 1, Sluice on core 0,
# the nginx backend of common.sh (core 1). The jars are run interleaved (A, B, A, B, ...), each in
# a new JVM: warm-up, then a measured CPU run (utime + stime of the whole JVM over the run, divided
# by wrk's request count, and the user and system parts apart), then an allocation run under JFR (the event-loop threads' allocated
# bytes, jdk.ThreadAllocationStatistics at the start and end of the recording, divided by the
# requests; and the top allocation sites from jdk.ObjectAllocationSample).
#
#   benchmarks/load/hotpath.sh A.jar B.jar          # ROUNDS=2 WARMUP=30 DURATION=15
#   ALLOC=0 benchmarks/load/hotpath.sh "A.jar@-Dio.netty.allocator.type=pooled" A.jar
#                            # JAR@OPTIONS: that variant's JVM also gets OPTIONS (space-separated)
#
# Wrap it in `flock /tmp/bench.lock` on a shared machine. Needs nginx, wrk, taskset, java (jcmd, jfr).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-15}
ALLOC=${ALLOC:-1}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
SLUICE_JAVA=${SLUICE_JAVA:-java} # the JVM that runs Sluice (the image runs Java 25)
CLK_TCK=$(getconf CLK_TCK)
PORT=18191
(( $# > 0 )) || { echo "usage: $0 JAR[@JVM-OPTIONS] ... (expected: at least one sluice.jar)" >&2; exit 2; }
for variant in "$@"; do
  [[ -f ${variant%%@*} ]] || { echo "${variant%%@*}: no such file (expected a sluice.jar)" >&2; exit 2; }
done
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

start_backend

cat >"$WORK/sluice.cfg" <<CFG
defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
frontend f
    bind 127.0.0.1:$PORT
    default_backend b
backend b
    server s1 127.0.0.1:18190
CFG

cat >"$WORK/alloc.jfc" <<JFC
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="alloc">
  <event name="jdk.ObjectAllocationSample">
    <setting name="enabled">true</setting>
    <setting name="throttle">2000/s</setting>
    <setting name="stackTrace">true</setting>
  </event>
  <event name="jdk.ThreadAllocationStatistics">
    <setting name="enabled">true</setting>
    <setting name="period">everyChunk</setting>
  </event>
</configuration>
JFC

wait_port() {
  local i
  for ((i = 0; i < 300; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

requests() { awk '/requests in/ {print $1}'; }

# alloc_report JFR REQUESTS: bytes per request of the event-loop threads, then the top sites.
alloc_report() {
  jfr print --json --events jdk.ThreadAllocationStatistics "$1" >"$WORK/tas.json"
  jfr print --json --stack-depth 8 --events jdk.ObjectAllocationSample "$1" >"$WORK/oas.json"
  python3 - "$WORK/tas.json" "$WORK/oas.json" "$2" <<'PY'
import json, sys, collections
tas = json.load(open(sys.argv[1]))["recording"]["events"]
n = int(sys.argv[3])
per = collections.defaultdict(list)
for e in tas:
    t = e["values"]["thread"]
    if t and t["javaName"] and t["javaName"].startswith("sluice-proxy"):
        per[t["javaName"]].append(e["values"]["allocated"])
total = sum(max(v) - min(v) for v in per.values())
print(f"event-loop bytes/request: {total / n:.1f} ({total} bytes, {n} requests, threads {sorted(per)})")
oas = json.load(open(sys.argv[2]))["recording"]["events"]
# A sample is taken when an allocation starts a new TLAB (or goes outside one): the chance that a
# given allocation is sampled grows with its size, so sample counts rank sites by bytes.
sites = collections.Counter(); own = collections.Counter(); count = 0
for e in oas:
    v = e["values"]; t = v["eventThread"]
    if not (t and t["javaName"] and t["javaName"].startswith("sluice-proxy")):
        continue
    frames = v["stackTrace"]["frames"] if v["stackTrace"] else []
    name = lambda f: f'{f["method"]["type"]["name"].split("/")[-1]}.{f["method"]["name"]}:{f["lineNumber"]}'
    cls = v["objectClass"]["name"].split("/")[-1]
    sites[(cls, " < ".join(name(f) for f in frames[:3]))] += 1
    mine = next((f for f in frames if f["method"]["type"]["name"].startswith("dev/sluice")), None)
    own[(cls, name(mine) if mine else "-")] += 1
    count += 1
share = lambda c: f"{c * 100 / max(count, 1):5.1f} % ~{c * total / n / max(count, 1):6.1f} B/req"
print(f"top allocation sites ({count} samples on the event loop):")
for (cls, where), c in sites.most_common(20):
    print(f"  {share(c)}  {cls}  {where}")
print("by the Sluice frame under them:")
for (cls, where), c in own.most_common(20):
    print(f"  {share(c)}  {cls}  {where}")
PY
}

for ((round = 1; round <= ROUNDS; round++)); do
  for variant in "$@"; do
    jar=${variant%%@*}
    extra=""
    [[ $variant == *@* ]] && extra=${variant#*@}
    # shellcheck disable=SC2086  # the options are meant to be split
    taskset -c 0 "$SLUICE_JAVA" $SLUICE_JVM_OPTS $extra -jar "$jar" run -f "$WORK/sluice.cfg" >"$WORK/sluice.log" 2>&1 &
    PP=$!
    PIDS+=("$PP")
    wait_port || { echo "sluice did not start:" >&2; tail -20 "$WORK/sluice.log" >&2; exit 1; }
    taskset -c 1 wrk -t1 -c50 -d"${WARMUP}s" "http://127.0.0.1:$PORT/" >/dev/null
    read -r u0 s0 < <(user_sys_ticks "$PP")
    out=$(taskset -c 1 wrk -t1 -c50 -d"${DURATION}s" "http://127.0.0.1:$PORT/")
    read -r u1 s1 < <(user_sys_ticks "$PP")
    n=$(requests <<<"$out")
    # user and system apart: a change to Sluice's own code moves the user share; the system share
    # (the sockets, ~3/4 of the total) drifts more between JVMs and hides it in the sum.
    awk -v j="$variant" -v r="$round" -v n="$n" -v s="$DURATION" -v u=$((u1 - u0)) -v k=$((s1 - s0)) -v c="$CLK_TCK" \
      'BEGIN {printf "round %d %s: %.0f req/s, %.2f CPU µs/request (user %.2f, system %.2f)\n", r, j, n / s, (u + k) / c * 1e6 / n, u / c * 1e6 / n, k / c * 1e6 / n}'
    if [[ $ALLOC == 1 ]]; then
      jcmd "$PP" JFR.start name=alloc settings="$WORK/alloc.jfc" filename="$WORK/alloc.jfr" >/dev/null
      out=$(taskset -c 1 wrk -t1 -c50 -d"${DURATION}s" "http://127.0.0.1:$PORT/")
      jcmd "$PP" JFR.stop name=alloc >/dev/null
      alloc_report "$WORK/alloc.jfr" "$(requests <<<"$out")"
    fi
    stop_pid "$PP"
  done
done

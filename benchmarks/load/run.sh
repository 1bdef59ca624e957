#!/usr/bin/env bash
# Load harness: one fixed nginx backend, then Sluice, HAProxy and nginx as reverse proxies, one at
# a time, each pinned to one core, driven by wrk pinned to another core. Prints a Markdown table
# (req/s, p50, p99, proxy CPU per request, each as a ratio to HAProxy) and writes it to
# benchmarks/results/latest.md. With LATENCY=1, also latency at a fixed rate (open loop, a second
# table). See benchmarks/README.md for how to read them.
#
# Environment (all optional):
#   DURATION=10         seconds of each measured run
#   WARMUP=3            seconds of warm-up before each measured run (native proxies, baseline)
#   SLUICE_WARMUP=20    seconds of warm-up before Sluice's first run (JIT; its second run, same
#                       code paths, gets WARMUP)
#   CONNECTIONS=50      wrk connections (-c); wrk uses one thread (-t1)
#   PROXY_CPU=0 CLIENT_CPU=1 BACKEND_CPU=(2 if the machine has 3+ cores, else 1)
#   PROXIES="direct haproxy nginx sluice"   which rows to run
#   SLUICE_JAR=app/target/sluice.jar
#   SLUICE_JVM_OPTS="-Xms512m -Xmx512m -XX:+UseParallelGC ..."
#   SLUICE_JAVA=java    the JVM that runs Sluice, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
#   MAX_OTHER=10 RETRIES=1  repeat a run (at most RETRIES times) when other processes used more
#                       than MAX_OTHER % of the proxy core or of the client core (wrk + backend)
#                       during it; the least disturbed run is kept
#   QUIET_WAIT=5        before each measured run, wait up to this many seconds for both cores to
#                       be idle (under MAX_OTHER %)
#   PROFILE=1           record a JFR profile of Sluice during its 0 B run and print the top frames
#   LATENCY=1           also latency at a fixed rate: right after each proxy's closed-loop runs, in
#                       the same (warm) process, the open-loop client OpenLoop (benchmarks.jar) on
#                       the client core at half of HAProxy's 0 B req/s, 0 B body, for DURATION
#                       seconds; latency from the intended send time. HAProxy then runs first.
#   LATENCY_RATE=N      that fixed rate in req/s instead (HAProxy need not run)
#   LATENCY_WARMUP=5    seconds at the fixed rate before the measured window
#   BENCH_JAR=benchmarks/target/benchmarks.jar
#   OPENLOOP_JVM_OPTS="-Xms256m -Xmx256m -XX:+UseSerialGC -XX:+AlwaysPreTouch"
#   OUT=benchmarks/results/latest.md
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=peers.sh
source "$ROOT/benchmarks/load/peers.sh"
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
SLUICE_WARMUP=${SLUICE_WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-50}
PROXY_CPU=${PROXY_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
if [[ -z ${BACKEND_CPU:-} ]]; then
  if (( $(nproc) >= 3 )); then BACKEND_CPU=2; else BACKEND_CPU=1; fi
fi
PROXIES=${PROXIES:-"direct haproxy nginx sluice"}
SLUICE_JAR=${SLUICE_JAR:-$ROOT/app/target/sluice.jar}
SLUICE_JVM_OPTS=${SLUICE_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
SLUICE_JAVA=${SLUICE_JAVA:-java} # the JVM that runs Sluice (the image runs Java 25)
PROFILE=${PROFILE:-0}
LATENCY=${LATENCY:-0}
LATENCY_RATE=${LATENCY_RATE:-}
LATENCY_WARMUP=${LATENCY_WARMUP:-5}
BENCH_JAR=${BENCH_JAR:-$ROOT/benchmarks/target/benchmarks.jar}
# A fixed, pre-touched heap, as for Sluice: the client's own pauses would count as latency.
OPENLOOP_JVM_OPTS=${OPENLOOP_JVM_OPTS:-"-Xms256m -Xmx256m -XX:+UseSerialGC -XX:+AlwaysPreTouch"}
MAX_OTHER=${MAX_OTHER:-10}
RETRIES=${RETRIES:-1}
QUIET_WAIT=${QUIET_WAIT:-5}
OUT=${OUT:-$ROOT/benchmarks/results/latest.md}

# Fixed high ports on 127.0.0.1 (checked free before start).
BACKEND_PORT=${BACKEND_PORT:-18180}
SLUICE_PORT=${SLUICE_PORT:-18181}
HAPROXY_PORT=${HAPROXY_PORT:-18182}
NGINX_PORT=${NGINX_PORT:-18183}

CLK_TCK=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/sluice-load.XXXXXX)
STARTED=()   # pids of every process this script started

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
  local pid
  for pid in "${STARTED[@]:-}"; do
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED[@]:-}"; do
    [[ -n $pid ]] && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- preconditions -------------------------------------------------------------------------

missing=()
for tool in wrk nginx haproxy taskset curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [[ $PROXIES == *sluice* || $LATENCY == 1 ]] && ! command -v java >/dev/null 2>&1; then missing+=(java); fi
if (( ${#missing[@]} > 0 )); then
  echo "missing: ${missing[*]}. Install with: apt-get install -y haproxy nginx wrk curl util-linux" >&2
  exit 2
fi
if [[ $PROXIES == *sluice* ]] && ! command -v "$SLUICE_JAVA" >/dev/null 2>&1; then
  echo "SLUICE_JAVA=$SLUICE_JAVA: not found (expected a java executable, for example /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)" >&2
  exit 2
fi
if [[ $PROXIES == *sluice* && ! -f $SLUICE_JAR ]]; then
  echo "no $SLUICE_JAR: build it first with 'mvn -B -DskipTests package'" >&2
  exit 2
fi
if [[ $LATENCY == 1 && ! -f $BENCH_JAR ]]; then
  echo "no $BENCH_JAR (LATENCY=1 runs its OpenLoop client): build it first with 'mvn -B -DskipTests package'" >&2
  exit 2
fi
if [[ $LATENCY == 1 && -z $LATENCY_RATE && " $PROXIES " != *" haproxy "* ]]; then
  echo "LATENCY=1 runs at half of HAProxy's 0 B req/s: add haproxy to PROXIES or set LATENCY_RATE" >&2
  exit 2
fi
if [[ -n $LATENCY_RATE && ! $LATENCY_RATE =~ ^[0-9]+$ ]]; then
  echo "LATENCY_RATE=$LATENCY_RATE (expected: requests per second, a whole number)" >&2
  exit 2
fi
if (( $(nproc) < 2 )); then
  echo "needs at least 2 cores (proxy and client on separate cores); this machine has $(nproc)" >&2
  exit 2
fi
for port in "$BACKEND_PORT" "$SLUICE_PORT" "$HAPROXY_PORT" "$NGINX_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is in use; set the *_PORT variables to free ports" >&2
    exit 2
  fi
done

# ---- helpers --------------------------------------------------------------------------------

# wait_port PORT PID SECONDS: until something accepts on PORT; fails if PID dies or time runs out.
wait_port() {
  local port=$1 pid=$2 deadline=$((SECONDS + $3))
  while (( SECONDS < deadline )); do
    kill -0 "$pid" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

# stop PID: terminate one process this script started and wait for it (bounded).
stop() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# cpu_ticks PID...: utime+stime of the given processes (all their threads), in clock ticks.
cpu_ticks() {
  local total=0 pid fields
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    # Field 2 (comm) may contain spaces; cut everything up to the closing parenthesis.
    fields=$(sed 's/^.*) //' "/proc/$pid/stat")
    read -r -a f <<<"$fields"
    # After the cut, utime and stime (fields 14 and 15 of stat) are at index 11 and 12.
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# core_busy CPU: user+nice+system ticks of one core so far (irq/softirq excluded).
core_busy() {
  awk -v c="cpu$1" '$1 == c {print $2 + $3 + $4}' /proc/stat
}

# wait_quiet PID...: waits (QUIET_WAIT seconds at most) until the machine is idle enough for a
# measured run: other processes than PID... (the proxy, which may still be compiling) and the
# backend use less than MAX_OTHER % of the proxy core and of the client core over one second.
wait_quiet() {
  local deadline=$((SECONDS + QUIET_WAIT)) p0 k0 p1 k1 o0 o1 e0 e1 busy
  while :; do
    o0=$(cpu_ticks "$@" "${BACKEND_PIDS[@]}")
    p0=$(core_busy "$PROXY_CPU"); k0=$(core_busy "$CLIENT_CPU")
    e0=$(date +%s%N)
    sleep 1
    o1=$(cpu_ticks "$@" "${BACKEND_PIDS[@]}")
    p1=$(core_busy "$PROXY_CPU"); k1=$(core_busy "$CLIENT_CPU")
    e1=$(date +%s%N)
    # Ours may run on either core (the backend shares the client core); count them against both.
    busy=$(( ((p1 - p0 > k1 - k0 ? p1 - p0 : k1 - k0) - (o1 - o0)) * 100 * 1000000000 \
      / (CLK_TCK * (e1 - e0)) ))
    (( busy <= MAX_OTHER )) && return 0
    if (( SECONDS >= deadline )); then
      log "machine still busy (${busy}% of a core used by other processes); measuring anyway"
      return 0
    fi
  done
}

# to_ms VALUE: wrk's latency ("812.00us", "1.23ms", "1.01s") in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.3f", n }'
}

# check_route PORT PATH BYTES: one request through PORT must answer 200 with BYTES of body.
check_route() {
  local got
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' --max-time 5 "http://127.0.0.1:$1$2" || true)
  if [[ $got != "200 $3" ]]; then
    log "sanity check failed on :$1$2 (got '$got', expected '200 $3')"
    return 1
  fi
}

# profile_summary FILE.jfr: the hottest frames of a JFR recording, by self samples (the frame on
# top of the stack) and by inclusive samples (anywhere in the stack), for Java code.
profile_summary() {
  local frames
  frames=$(jfr print --events jdk.ExecutionSample --stack-depth 64 "$1" | awk '
    /stackTrace = \[/ { in_stack = 1; top = 1; delete seen; next }
    in_stack && /^ *\]/ { in_stack = 0; next }
    in_stack && /line:/ {
      f = $0; sub(/^ +/, "", f); sub(/ +line:.*/, "", f)
      if (top) { print "self\t" f; top = 0 }
      if (!(f in seen)) { print "incl\t" f; seen[f] = 1 }
    }')
  echo "JFR (settings=profile) of Sluice during the measured 0 B run: jdk.ExecutionSample only samples"
  echo "threads running Java code; time in system calls (epoll, read, write) is not in these counts."
  jfr summary "$1" | awk '/jdk.ExecutionSample|jdk.NativeMethodSample|jdk.GarbageCollection |jdk.ObjectAllocationSample/ {print "  " $1, $2}'
  echo
  echo "Top frames, self samples:"
  grep '^self' <<<"$frames" | cut -f2 | sort | uniq -c | sort -rn | head -30
  echo
  echo "Top frames, inclusive samples:"
  grep '^incl' <<<"$frames" | cut -f2 | sort | uniq -c | sort -rn | head -50
}

wrk_run() { # wrk_run SECONDS URL -> wrk output on stdout
  taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$1"s --timeout 5s --latency "$2"
}

declare -A RPS P50 P99 CPU ERR OTHER SPLIT

# measure NAME PORT PATH BYTES WARMUP_SECONDS PID...: warm up, then the measured run. When other
# processes took more than MAX_OTHER % of the proxy core, the run is repeated (RETRIES times at
# most) and the least disturbed run is kept.
measure() {
  local name=$1 port=$2 path=$3 bytes=$4 warm=$5
  shift 5
  local pids=("$@") key="$name/$path" attempt other op oc best=-1
  if ! check_route "$port" "$path" "$bytes"; then
    RPS[$key]=failed; return 0
  fi
  log "$name $path: warm-up ${warm}s"
  wrk_run "$warm" "http://127.0.0.1:$port$path" >/dev/null || true
  # nginx may have re-spawned workers; re-read its children just before measuring.
  if [[ $name == nginx ]]; then pids=("${pids[0]}" $(pgrep -P "${pids[0]}" || true)); fi
  for ((attempt = 0; attempt <= RETRIES; attempt++)); do
    wait_quiet "${pids[@]}"
    if [[ $PROFILE == 1 && $name == sluice && $path == /empty && $attempt == 0 ]]; then
      jcmd "${pids[0]}" JFR.start name=bench settings=profile duration="${DURATION}s" \
        filename="$WORK/sluice.jfr" >/dev/null || log "could not start JFR"
    fi
    one_run "$name" "$port" "$path" "${pids[@]}"
    read -r op oc <<<"$R_OTHER"
    other=$(( op > oc ? op : oc ))
    # The baseline does not run on the proxy core: only the client core matters for it.
    [[ $name == direct ]] && other=$oc
    if (( best < 0 || other < best )); then
      best=$other
      RPS[$key]=$R_RPS P50[$key]=$R_P50 P99[$key]=$R_P99 CPU[$key]=$R_CPU ERR[$key]=$R_ERR SPLIT[$key]=$R_SPLIT
      OTHER[$key]="$op% / $oc%"
    fi
    log "$name $path: $R_RPS req/s, p50 $R_P50 ms, p99 $R_P99 ms, cpu $R_CPU us/req, errors $R_ERR, other load $op% (proxy core) $oc% (client core)"
    (( other <= MAX_OTHER )) && break
    (( attempt < RETRIES )) && log "$name $path: proxy core disturbed by other processes, measuring again"
  done
  return 0
}

# jvm_ticks PID: a JVM's CPU time (utime + stime) by kind of thread, in clock ticks:
# "EVENT_LOOPS JIT GC OTHER" (Sluice's event loops are named sluice-proxy-*; C1/C2 compiler
# threads; GC workers and the VM thread, which runs ParallelGC's and SerialGC's pauses).
jvm_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done | awk -F'\t' '{
    if ($1 ~ /^sluice-proxy/) l += $2
    else if ($1 ~ /Compiler/) j += $2
    else if ($1 ~ /^(GC Thread|G1|VM Thread|Z|Shenandoah|GC )/) g += $2
    else o += $2
  } END { printf "%d %d %d %d", l, j, g, o }'
}

# counters_start PID...: CPU counters of the proxy (PID...), the backend and both cores, before a
# measured run.
counters_start() {
  C_T0=$(cpu_ticks "$@")
  C_B0=$(cpu_ticks "${BACKEND_PIDS[@]}")
  C_P0=$(core_busy "$PROXY_CPU")
  C_K0=$(core_busy "$CLIENT_CPU")
  C_E0=$(date +%s%N)
}

# counters_end NAME CLIENT_TICKS PID...: right after the run; CLIENT_TICKS is the CPU time of the
# client (wrk or OpenLoop). Sets R_PROXY_TICKS (0 for the direct baseline) and R_OTHER: the CPU
# time that processes other than ours took on the proxy core and on the client core (client +
# backend), in % of a core: other tenants of the machine, which make a run slower than the proxy is.
counters_end() {
  local name=$1 client_ticks=$2
  shift 2
  local t1 b1 c1 k1 e1
  t1=$(cpu_ticks "$@")
  b1=$(cpu_ticks "${BACKEND_PIDS[@]}")
  c1=$(core_busy "$PROXY_CPU")
  k1=$(core_busy "$CLIENT_CPU")
  e1=$(date +%s%N)
  R_PROXY_TICKS=$((t1 - C_T0))
  [[ $name == direct ]] && R_PROXY_TICKS=0
  R_OTHER=$(awk -v p=$((c1 - C_P0 - R_PROXY_TICKS)) -v k=$((k1 - C_K0 - (b1 - C_B0) - client_ticks)) \
    -v hz="$CLK_TCK" -v ns=$((e1 - C_E0)) 'BEGIN {
      s = hz * ns / 1e9; p = p / s * 100; k = k / s * 100
      if (p < 0) p = 0; if (k < 0) k = 0
      printf "%.0f %.0f", p, k }')
}

# child_ticks: the children's CPU time from the last line of bash's `times` output on stdin
# ("0m1.234s 0m0.567s"), in clock ticks.
child_ticks() {
  tail -1 | awk -v hz="$CLK_TCK" '{
    t = 0
    for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] }
    printf "%d", t * hz }'
}

# one_run NAME PORT PATH PID...: one measured wrk run; results in R_* globals.
one_run() {
  local name=$1 port=$2 path=$3
  shift 3
  local pids=("$@") out requests errors non2xx
  local j0="" j1=""
  [[ $name == sluice ]] && j0=$(jvm_ticks "${pids[0]}")
  counters_start "${pids[@]}"
  log "$name $path: measuring ${DURATION}s"
  # `times` in the substitution's subshell reports the CPU time of its child, wrk.
  out=$(wrk_run "$DURATION" "http://127.0.0.1:$port$path" || true; times)
  counters_end "$name" "$(child_ticks <<<"$out")" "${pids[@]}"
  R_SPLIT=""
  if [[ $name == sluice ]]; then
    j1=$(jvm_ticks "${pids[0]}")
    R_SPLIT=$(awk -v a="$j0" -v b="$j1" 'BEGIN {
      split(a, x, " "); split(b, y, " "); t = 0
      for (i = 1; i <= 4; i++) { d[i] = y[i] - x[i]; if (d[i] < 0) d[i] = 0; t += d[i] }
      if (t == 0) t = 1
      printf "event loops %.0f %%, JIT %.0f %%, GC %.0f %%, other %.0f %%", d[1] * 100 / t, d[2] * 100 / t, d[3] * 100 / t, d[4] * 100 / t }')
  fi
  echo "$out" >>"$WORK/wrk-${name}-${path#/}.txt"
  local proxy_ticks=$R_PROXY_TICKS
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  R_RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  R_P50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  R_P99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  R_ERR=$(( ${non2xx:-0} + ${errors:-0} ))
  R_CPU=-   # not measured for the direct baseline: the backend is not the system under test
  if [[ $name != direct ]] && (( ${requests:-0} > 0 )); then
    R_CPU=$(awk -v d=$proxy_ticks -v hz="$CLK_TCK" -v n="$requests" 'BEGIN {printf "%.2f", d / hz * 1e6 / n}')
  fi
}

# ---- latency at a fixed rate (LATENCY=1) -----------------------------------------------------

declare -A L_ACH L_VALID L_P50 L_P99 L_P999 L_MAX L_UNC L_LAG L_ERR L_CPU L_OTHER
L_USED_RATE=

# latency_rate: the open-loop rate, LATENCY_RATE or half of HAProxy's 0 B req/s of this run.
latency_rate() {
  if [[ -n $LATENCY_RATE ]]; then echo "$LATENCY_RATE"; return 0; fi
  local max=${RPS[haproxy//empty]:-}
  [[ $max =~ ^[0-9]+$ ]] || return 1
  echo $((max / 2))
}

# openloop_run PORT RATE: OpenLoop on the client core against PORT at RATE req/s, 0 B body.
openloop_run() {
  # shellcheck disable=SC2086  # the options are meant to be split
  taskset -c "$CLIENT_CPU" timeout $((LATENCY_WARMUP + DURATION + 40)) \
    java $OPENLOOP_JVM_OPTS -cp "$BENCH_JAR" dev.sluice.benchmarks.load.OpenLoop \
    --url "http://127.0.0.1:$1/empty" --rate "$2" --connections "$CONNECTIONS" \
    --warmup "${LATENCY_WARMUP}s" --duration "${DURATION}s"
}

# latency NAME PORT PID...: with LATENCY=1, the open-loop run against a proxy that has just had
# its closed-loop runs (same process: Sluice's JIT is warm). Repeated like measure() when other
# processes disturbed it; the least disturbed run is kept.
latency() {
  [[ $LATENCY == 1 ]] || return 0
  local name=$1 port=$2
  shift 2
  local pids=("$@") rate attempt out line other op oc best=-1 requests
  if ! rate=$(latency_rate); then
    log "$name: no open-loop run (HAProxy's 0 B run gave no rate)"
    L_ACH[$name]=failed; return 0
  fi
  L_USED_RATE=$rate
  if ! check_route "$port" /empty 0; then
    L_ACH[$name]=failed; return 0
  fi
  if [[ $name == nginx ]]; then pids=("${pids[0]}" $(pgrep -P "${pids[0]}" || true)); fi
  for ((attempt = 0; attempt <= RETRIES; attempt++)); do
    wait_quiet "${pids[@]}"
    log "$name: open loop at $rate req/s, ${LATENCY_WARMUP}s warm-up, ${DURATION}s measured"
    counters_start "${pids[@]}"
    out=$(openloop_run "$port" "$rate" || true; times)
    counters_end "$name" "$(child_ticks <<<"$out")" "${pids[@]}"
    echo "$out" >>"$WORK/openloop-$name.log"
    line=$(grep '^OPENLOOP ' <<<"$out" || true)
    if [[ -z $line ]]; then
      log "$name: OpenLoop failed:"; head -20 <<<"$out" >&2
      L_ACH[$name]=failed; return 0
    fi
    read -r op oc <<<"$R_OTHER"
    other=$(( op > oc ? op : oc ))
    [[ $name == direct ]] && other=$oc
    if (( best < 0 || other < best )); then
      best=$other
      L_ACH[$name]=$(field achieved "$line") L_VALID[$name]=$(field valid "$line")
      L_P50[$name]=$(field p50 "$line") L_P99[$name]=$(field p99 "$line")
      L_P999[$name]=$(field p999 "$line") L_MAX[$name]=$(field max "$line")
      L_UNC[$name]=$(field uncorrected_p99 "$line") L_LAG[$name]=$(field lag_p99 "$line")
      L_ERR[$name]=$(field errors "$line") L_OTHER[$name]="$op% / $oc%"
      requests=$(field count "$line")
      L_CPU[$name]=-
      if [[ $name != direct ]] && (( ${requests:-0} > 0 )); then
        # Over the whole client run (warm-up included): the rate is the same throughout.
        L_CPU[$name]=$(awk -v d="$R_PROXY_TICKS" -v hz="$CLK_TCK" -v n="$requests" \
          -v w="$LATENCY_WARMUP" -v m="$DURATION" 'BEGIN {printf "%.2f", d / hz * 1e6 / (n * (w + m) / m)}')
      fi
    fi
    log "$name: open loop $line, other load $op% (proxy core) $oc% (client core)"
    log "$name: worst latency per second, ms (warm-up | measured):$(sed -n '/^worst latency/{n;p;}' <<<"$out")"
    (( other <= MAX_OTHER )) && break
    (( attempt < RETRIES )) && log "$name: open loop disturbed by other processes, measuring again"
  done
  return 0
}

# field KEY LINE: the value of KEY=... in OpenLoop's summary line.
field() {
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

# ---- the fixed backend: nginx, one worker, on its own core --------------------------------

ONE_KB=$(head -c 1024 /dev/zero | tr '\0' 'x')
mkdir -p "$WORK/backend"
cat >"$WORK/backend/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $WORK/backend/nginx.pid;
error_log $WORK/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 300s;
  keepalive_requests 10000000;
  client_body_temp_path $WORK/backend/body;
  proxy_temp_path $WORK/backend/proxy;
  fastcgi_temp_path $WORK/backend/fastcgi;
  uwsgi_temp_path $WORK/backend/uwsgi;
  scgi_temp_path $WORK/backend/scgi;
  default_type text/plain;
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    location = /empty { return 200 ""; }
    location = /1k { return 200 "$ONE_KB"; }
  }
}
EOF
taskset -c "$BACKEND_CPU" nginx -p "$WORK/backend" -c "$WORK/backend/nginx.conf" &
BACKEND_PID=$!
STARTED+=("$BACKEND_PID")
wait_port "$BACKEND_PORT" "$BACKEND_PID" 10 || { echo "backend nginx did not start" >&2; cat "$WORK/backend/error.log" >&2; exit 1; }
check_route "$BACKEND_PORT" /empty 0 && check_route "$BACKEND_PORT" /1k 1024 || exit 1
# The master and its worker (the worker does the work).
BACKEND_PIDS=("$BACKEND_PID" $(pgrep -P "$BACKEND_PID" || true))

# ---- proxy configurations -------------------------------------------------------------------

cat >"$WORK/sluice.cfg" <<EOF
frontend f
    bind 127.0.0.1:$SLUICE_PORT
    default_backend b

backend b
    server s1 127.0.0.1:$BACKEND_PORT
EOF

haproxy_cfg "$WORK/haproxy.cfg" "127.0.0.1:$BACKEND_PORT" "127.0.0.1:$HAPROXY_PORT"

nginx_cfg "$WORK/nginx" "127.0.0.1:$BACKEND_PORT" "127.0.0.1:$NGINX_PORT"

# ---- runs, one proxy at a time ----------------------------------------------------------------

RUN_ORDER=$PROXIES
if [[ $LATENCY == 1 && -z $LATENCY_RATE ]]; then
  # The open-loop rate comes from HAProxy's 0 B run, and each open-loop run follows its proxy's
  # closed-loop runs in the same process (warm, started once): HAProxy has to go first.
  RUN_ORDER=haproxy
  for proxy in $PROXIES; do [[ $proxy == haproxy ]] || RUN_ORDER+=" $proxy"; done
fi

for proxy in $RUN_ORDER; do
  case $proxy in
    direct)
      measure direct "$BACKEND_PORT" /empty 0 "$WARMUP" "${BACKEND_PIDS[@]}"
      measure direct "$BACKEND_PORT" /1k 1024 "$WARMUP" "${BACKEND_PIDS[@]}"
      latency direct "$BACKEND_PORT" "${BACKEND_PIDS[@]}"
      ;;
    haproxy)
      haproxy -c -q -f "$WORK/haproxy.cfg" || { echo "haproxy rejected its config" >&2; exit 1; }
      taskset -c "$PROXY_CPU" haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
      pid=$!
      STARTED+=("$pid")
      if wait_port "$HAPROXY_PORT" "$pid" 10; then
        measure haproxy "$HAPROXY_PORT" /empty 0 "$WARMUP" "$pid"
        measure haproxy "$HAPROXY_PORT" /1k 1024 "$WARMUP" "$pid"
        latency haproxy "$HAPROXY_PORT" "$pid"
      else
        log "haproxy did not start:"; cat "$WORK/haproxy.log" >&2
      fi
      stop "$pid"
      ;;
    nginx)
      taskset -c "$PROXY_CPU" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
      pid=$!
      STARTED+=("$pid")
      if wait_port "$NGINX_PORT" "$pid" 10; then
        measure nginx "$NGINX_PORT" /empty 0 "$WARMUP" "$pid"
        measure nginx "$NGINX_PORT" /1k 1024 "$WARMUP" "$pid"
        latency nginx "$NGINX_PORT" "$pid"
      else
        log "nginx did not start:"; cat "$WORK/nginx/error.log" >&2
      fi
      stop "$pid"
      ;;
    sluice)
      # shellcheck disable=SC2086  # the options are meant to be split
      taskset -c "$PROXY_CPU" "$SLUICE_JAVA" $SLUICE_JVM_OPTS -jar "$SLUICE_JAR" run -f "$WORK/sluice.cfg" \
        >"$WORK/sluice.log" 2>&1 &
      pid=$!
      STARTED+=("$pid")
      if wait_port "$SLUICE_PORT" "$pid" 60; then
        measure sluice "$SLUICE_PORT" /empty 0 "$SLUICE_WARMUP" "$pid"
        measure sluice "$SLUICE_PORT" /1k 1024 "$WARMUP" "$pid"
        latency sluice "$SLUICE_PORT" "$pid"
        if [[ $PROFILE == 1 && -f $WORK/sluice.jfr ]]; then
          mkdir -p "$ROOT/benchmarks/results"
          profile_summary "$WORK/sluice.jfr" >"$ROOT/benchmarks/results/sluice-profile.txt" || true
          log "profile summary written to benchmarks/results/sluice-profile.txt"
        fi
      else
        log "sluice did not start:"; tail -20 "$WORK/sluice.log" >&2
      fi
      stop "$pid"
      ;;
    *) echo "unknown proxy '$proxy' (expected: direct haproxy nginx sluice)" >&2; exit 2 ;;
  esac
done

# ---- the table ------------------------------------------------------------------------------------

# ratio VALUE BASE: VALUE / BASE as "0.85x", or empty when either is missing.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf " (%.2fx)", a / b }'
}

{
  echo "# Load harness results"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), kernel $(uname -r)."
  echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s on core $CLIENT_CPU; proxy on core $PROXY_CPU; backend nginx on core $BACKEND_CPU."
  echo "Warm-up ${WARMUP}s before each measured run; ${SLUICE_WARMUP}s before Sluice's first (JIT)."
  echo "$(haproxy -v 2>/dev/null | head -1 | cut -d' ' -f1-3); $(nginx -v 2>&1 | cut -d' ' -f3); Sluice on $("$SLUICE_JAVA" -version 2>&1 | head -1)"
  echo "Sluice JVM options: $SLUICE_JVM_OPTS"
  echo
  echo "Ratios in parentheses are to HAProxy (req/s: higher is better; latency and CPU: lower is better)."
  echo
  echo "| proxy | body | req/s | p50 ms | p99 ms | proxy CPU µs/req | errors | other load: proxy / client core |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  for proxy in $PROXIES; do
    for path in /empty /1k; do
      key="$proxy/$path"
      base="haproxy/$path"
      body=$([[ $path == /empty ]] && echo "0 B" || echo "1 KB")
      if [[ ${RPS[$key]:-} == failed || -z ${RPS[$key]:-} ]]; then
        echo "| $proxy | $body | failed | | | | | |"
        continue
      fi
      echo "| $proxy | $body | ${RPS[$key]}$(ratio "${RPS[$key]}" "${RPS[$base]:-}")" \
        "| ${P50[$key]}$(ratio "${P50[$key]}" "${P50[$base]:-}")" \
        "| ${P99[$key]}$(ratio "${P99[$key]}" "${P99[$base]:-}")" \
        "| ${CPU[$key]}$(ratio "${CPU[$key]}" "${CPU[$base]:-}")" \
        "| ${ERR[$key]} | ${OTHER[$key]} |"
    done
  done
  if [[ -n ${SPLIT[sluice//empty]:-} ]]; then
    echo
    echo "Sluice's CPU in the measured runs, by thread: 0 B: ${SPLIT[sluice//empty]}; 1 KB: ${SPLIT[sluice//1k]:-?}."
  fi
  if [[ $LATENCY == 1 ]]; then
    echo
    echo "## Latency at a fixed rate (open loop)"
    echo
    if [[ -n $LATENCY_RATE ]]; then
      echo -n "${L_USED_RATE:-$LATENCY_RATE} req/s (LATENCY_RATE)"
    else
      echo -n "${L_USED_RATE:-?} req/s (half of HAProxy's 0 B req/s above)"
    fi
    echo ", 0 B body, from OpenLoop (benchmarks.jar) on core $CLIENT_CPU over $CONNECTIONS keep-alive connections:"
    if [[ -z $LATENCY_RATE ]] && awk -v o="${OTHER[haproxy//empty]:-}" -v m="$MAX_OTHER" \
        'BEGIN { split(o, a, "% / "); exit !(a[1] + 0 > m || a[2] + 0 > m) }'; then
      echo "**HAProxy's 0 B run was disturbed by other processes (${OTHER[haproxy//empty]}), so this rate is lower"
      echo "than its real maximum; rerun, or fix the rate with LATENCY_RATE.**"
    fi
    echo "${LATENCY_WARMUP}s at the rate, then ${DURATION}s measured, right after the proxy's closed-loop runs in the same process."
    echo "Latency from the intended send time of each request (no coordinated omission); uncorrected p99 is from the"
    echo "actual send, as a closed-loop client reports it; client lag p99 is the client's own delay in sending."
    echo "A row whose achieved rate is more than 1 % off the rate is invalid (below: the proxy could not keep up;"
    echo "above: the window began with a backlog from the warm-up)."
    echo
    echo "| proxy | achieved req/s | p50 ms | p99 ms | p99.9 ms | max ms | uncorrected p99 ms | client lag p99 ms | errors | proxy CPU µs/req | other load: proxy / client core |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for proxy in $PROXIES; do
      if [[ ${L_ACH[$proxy]:-} == failed || -z ${L_ACH[$proxy]:-} ]]; then
        echo "| $proxy | failed | | | | | | | | | |"
        continue
      fi
      achieved=${L_ACH[$proxy]}
      [[ ${L_VALID[$proxy]} == yes ]] || achieved="$achieved **invalid**"
      echo "| $proxy | $achieved" \
        "| ${L_P50[$proxy]}$(ratio "${L_P50[$proxy]}" "${L_P50[haproxy]:-}")" \
        "| ${L_P99[$proxy]}$(ratio "${L_P99[$proxy]}" "${L_P99[haproxy]:-}")" \
        "| ${L_P999[$proxy]}$(ratio "${L_P999[$proxy]}" "${L_P999[haproxy]:-}")" \
        "| ${L_MAX[$proxy]}$(ratio "${L_MAX[$proxy]}" "${L_MAX[haproxy]:-}")" \
        "| ${L_UNC[$proxy]} | ${L_LAG[$proxy]} | ${L_ERR[$proxy]}" \
        "| ${L_CPU[$proxy]}$(ratio "${L_CPU[$proxy]}" "${L_CPU[haproxy]:-}")" \
        "| ${L_OTHER[$proxy]} |"
    done
  fi
} >"$WORK/table.md"

mkdir -p "$(dirname "$OUT")"
cp "$WORK/table.md" "$OUT"
cat "$WORK/table.md"
log "written to $OUT"

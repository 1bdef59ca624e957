# Sourced by the smaller load scripts (modes, routes, idle-connections, reconfigure, burst): a temp
# directory, every process listed in PIDS stopped on exit, the nginx backend they share, and the
# CPU time of a process. (run.sh keeps its own: its backend serves two body sizes.)

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done
  [[ -f $WORK/nginx.pid ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_backend: nginx on 127.0.0.1:18190, one worker on core 1, keep-alive, every path 200 with
# an empty body but /1k (1,024 bytes).
start_backend() {
  cat >"$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
  server { listen 127.0.0.1:18190; location / { return 200; } location = /1k { return 200 "$(head -c 1024 /dev/zero | tr '\0' x)"; } }
}
NGINX
  taskset -c 1 nginx -c "$WORK/nginx.conf"
}

# bench_cert: a P-256 certificate for bench.test, valid two days: $WORK/crt.pem and $WORK/key.pem,
# and both in $WORK/bench.pem (HAProxy's and Sluice's crt).
bench_cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench.test \
    -addext subjectAltName=DNS:bench.test -keyout "$WORK/key.pem" -out "$WORK/crt.pem" 2>/dev/null
  cat "$WORK/crt.pem" "$WORK/key.pem" >"$WORK/bench.pem"
}

# ticks PID: utime + stime of PID (all its threads), in clock ticks.
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# user_sys_ticks PID: "utime stime" of PID (all its threads), in clock ticks.
user_sys_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12, $13}'; }

# thread_ticks PID: utime + stime of PID's threads in clock ticks, summed by thread name with its
# digits made N ("sluice-proxy-N-N", "CN CompilerThre"): one "name<TAB>ticks" line each, sorted.
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$t/comm")" "$(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}')"
  done | awk -F'\t' '{ n = $1; gsub(/[0-9]+/, "N", n); s[n] += $2 } END { for (k in s) print k "\t" s[k] }' | sort
}

# loop_wait PID: nanoseconds PID's event loops (threads "sluice-proxy-*") have spent runnable but
# waiting for a core (/proc/PID/task/TID/schedstat, second field), summed.
loop_wait() {
  local t sum=0 name fields
  for t in /proc/"$1"/task/*; do
    name=$(cat "$t/comm")
    [[ $name == sluice-proxy* ]] || continue
    read -ra fields <"$t/schedstat"
    sum=$((sum + fields[1]))
  done
  echo "$sum"
}

# start_sluice: Sluice on core 0 with its embedded configuration (the services frontend on 18191,
# the admin API on 127.0.0.1:18192), its state and certificates under $WORK; sets SLUICE_PID and
# admin (the admin API's base URL), adds the process to PIDS and returns once it answers ping (exits
# with its log if it does not within 30 s). Reads SLUICE_JAVA, SLUICE_JVM_OPTS and SLUICE_JAR.
start_sluice() {
  # shellcheck disable=SC2086  # the options are meant to be split
  taskset -c 0 "${SLUICE_JAVA:-java}" $SLUICE_JVM_OPTS -jar "$SLUICE_JAR" run --default-ports 18191 --admin-port 18192 \
    --admin-bind 127.0.0.1 --state-dir "$WORK/state" --certs-dir "$WORK/certs" >"$WORK/sluice.log" 2>&1 &
  SLUICE_PID=$!
  PIDS+=("$SLUICE_PID")
  admin=http://127.0.0.1:18192/v1/docker-flow-proxy
  for _ in $(seq 1 150); do curl -s -o /dev/null "$admin/ping" && break; sleep 0.2; done
  curl -sf -o /dev/null "$admin/ping" || { echo "Sluice did not start:" >&2; cat "$WORK/sluice.log" >&2; exit 1; }
}

# stop_pid PID: terminates one process started here and waits for it.
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

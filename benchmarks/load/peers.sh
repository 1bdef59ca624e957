# The peers' configurations for the comparisons (run.sh, alternate.sh, modes.sh): HAProxy and
# nginx as proxies in front of one backend, one thread or worker each, keep-alive to the client
# and to the backend. Sourced; defines functions only.

# haproxy_cfg FILE BACKEND LISTEN...: BACKEND is a host:port; each LISTEN a bind address with any
# bind options after it ("127.0.0.1:18195 ssl crt /tmp/x/bench.pem alpn http/1.1").
haproxy_cfg() {
  local file=$1 backend=$2 binds="" listen
  shift 2
  for listen in "$@"; do binds+="    bind $listen"$'\n'; done
  cat >"$file" <<EOF
global
    nbthread 1
    maxconn 4096

defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s

frontend f
${binds}    default_backend b

backend b
    server s1 $backend
EOF
}

# nginx_cfg DIR BACKEND LISTEN: writes DIR/nginx.conf (its pid, error log and temp files in DIR).
# BACKEND is a host:port, as for haproxy_cfg; LISTEN a listen address with any parameters and directives after it, up to the last ";"
# ("127.0.0.1:18196 ssl; ssl_certificate /tmp/x/crt.pem; ssl_certificate_key /tmp/x/key.pem").
nginx_cfg() {
  mkdir -p "$1"
  cat >"$1/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 60s;
  keepalive_requests 10000000;
  client_body_temp_path $1; proxy_temp_path $1; fastcgi_temp_path $1; uwsgi_temp_path $1; scgi_temp_path $1;
  upstream b { server $2; keepalive 64; keepalive_requests 10000000; }
  server {
    listen $3;
    location / { proxy_pass http://b; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
}

#!/usr/bin/env bash
# The cached article page from a Release build against nginx serving a saved copy of the same HTML,
# with the same wrk settings in one run, alternating. Prints requests/s of both and the ratio, then the app's
# start-up time and peak resident memory.
source "$(dirname "$0")/lib.sh"

ARTICLE=/articles/5-benefits-of-ketamine-assisted-psychotherapy
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-32} DURATION=${DURATION:-10s}

need_debian_package wrk wrk
need_debian_package nginx nginx
publish_app
app_port=$(free_port)
start_app "$app_port"
echo "start-up: first 200 after ${APP_READY_MS} ms"

# nginx serves the very bytes the app served, from a folder of its own, on loopback only.
static="$OUT_DIR/nginx"; rm -rf "$static"; mkdir -p "$static/html$ARTICLE" "$static/logs"
curl -s "http://127.0.0.1:$app_port$ARTICLE" -o "$static/html$ARTICLE/index.html"
nginx_port=$(free_port)
cat > "$static/nginx.conf" <<CONF
worker_processes 1;
pid $static/nginx.pid;
error_log $static/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$nginx_port;
    root $static/html;
    location / { try_files \$uri \$uri/index.html =404; }
  }
}
CONF
nginx -c "$static/nginx.conf" -p "$static"
stop_nginx() { [ -f "$static/nginx.pid" ] && kill "$(cat "$static/nginx.pid")" 2> /dev/null || true; }
trap 'stop_nginx; stop_app' EXIT

rps() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/Requests\/sec/ { print $2 }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
curl -s -o /dev/null "http://127.0.0.1:$app_port$ARTICLE"   # warm the output cache
# Steady state: let tiered compilation finish optimising the hot path before measuring.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-15s}" "http://127.0.0.1:$app_port$ARTICLE" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$nginx_port$ARTICLE" > /dev/null
# Alternate the two servers, ROUNDS times each, so a noisy moment on the machine hits both alike.
app_runs=(); nginx_runs=()
for round in $(seq 1 "${ROUNDS:-3}"); do
  app_runs+=("$(rps "http://127.0.0.1:$app_port$ARTICLE")")
  nginx_runs+=("$(rps "http://127.0.0.1:$nginx_port$ARTICLE")")
done
app_rps=$(median "${app_runs[@]}"); nginx_rps=$(median "${nginx_runs[@]}")
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, ${ROUNDS:-3} alternating rounds each, $(nproc) cores; medians:"
echo "app (output-cached article): $app_rps requests/s   (rounds: ${app_runs[*]})"
echo "nginx (same HTML, static):   $nginx_rps requests/s   (rounds: ${nginx_runs[*]})"
awk -v a="$app_rps" -v n="$nginx_rps" 'BEGIN { printf "ratio app/nginx: %.2f\n", a / n }'
echo "peak resident memory of the app: $(peak_rss_mb) MB"

#!/usr/bin/env bash
# The cached article page from a Release build against nginx (a worker per core, no access log) serving a saved copy of the same HTML,
# with the same wrk settings in one run, alternating. Prints requests/s of both and the ratio, then the same again as a
# browser asks, with "Accept-Encoding: gzip" (nginx sending the app's own gzip bytes with gzip_static), then the app's
# start-up time and its resident memory after the load.
source "$(dirname "$0")/lib.sh"

THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-32} DURATION=${DURATION:-10s}

need_debian_package wrk wrk
publish_app
app_port=$(free_port)
start_app "$app_port"
echo "start-up: first 200 after ${APP_READY_MS} ms"

# nginx serves the very bytes the app served, from a folder of its own, on loopback only.
static="$OUT_DIR/nginx"; rm -rf "$static"; mkdir -p "$static/html$ARTICLE"
curl -sf "http://127.0.0.1:$app_port$ARTICLE" -o "$static/html$ARTICLE/index.html" || { echo "the app did not serve $ARTICLE" >&2; exit 1; }
curl -sf -H "Accept-Encoding: gzip" "http://127.0.0.1:$app_port$ARTICLE" -o "$static/html$ARTICLE/index.html.gz"
gzip -t "$static/html$ARTICLE/index.html.gz" || { echo "the app did not send $ARTICLE gzipped when asked" >&2; exit 1; }
start_nginx "$static"
nginx_port=$NGINX_PORT
trap 'stop_nginx; stop_app' EXIT
for port in "$app_port" "$nginx_port"; do
  curl -s -o /dev/null -D - -H "Accept-Encoding: gzip" "http://127.0.0.1:$port$ARTICLE" | grep -qi '^content-encoding: gzip' \
    || { echo "127.0.0.1:$port did not answer gzipped when asked" >&2; exit 1; }
done

curl -s -o /dev/null "http://127.0.0.1:$app_port$ARTICLE"   # warm the output cache
# Steady state: let tiered compilation finish optimising the hot path before measuring.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-15s}" "http://127.0.0.1:$app_port$ARTICLE" > /dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$nginx_port$ARTICLE" > /dev/null
# Alternate the two servers, ROUNDS times each, so a noisy moment on the machine hits both alike.
app_runs=(); nginx_runs=(); app_gzip_runs=(); nginx_gzip_runs=()
for round in $(seq 1 "${ROUNDS:-3}"); do
  app_runs+=("$(wrk_rps "http://127.0.0.1:$app_port$ARTICLE")")
  nginx_runs+=("$(wrk_rps "http://127.0.0.1:$nginx_port$ARTICLE")")
  app_gzip_runs+=("$(wrk_rps "http://127.0.0.1:$app_port$ARTICLE" gzip)")
  nginx_gzip_runs+=("$(wrk_rps "http://127.0.0.1:$nginx_port$ARTICLE" gzip)")
done
app_rps=$(median "${app_runs[@]}"); nginx_rps=$(median "${nginx_runs[@]}")
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, ${ROUNDS:-3} alternating rounds each, $(nproc) cores; medians:"
echo "app (output-cached article): $app_rps requests/s   (rounds: ${app_runs[*]})"
echo "nginx (same HTML, static):   $nginx_rps requests/s   (rounds: ${nginx_runs[*]})"
awk -v a="$app_rps" -v n="$nginx_rps" 'BEGIN { printf "ratio app/nginx: %.2f\n", a / n }'
app_gzip_rps=$(median "${app_gzip_runs[@]}"); nginx_gzip_rps=$(median "${nginx_gzip_runs[@]}")
echo "app, gzip as a browser asks: $app_gzip_rps requests/s   (rounds: ${app_gzip_runs[*]})"
echo "nginx, the app's gzip bytes:  $nginx_gzip_rps requests/s   (rounds: ${nginx_gzip_runs[*]})"
awk -v a="$app_gzip_rps" -v n="$nginx_gzip_rps" 'BEGIN { printf "ratio app/nginx, gzip: %.2f\n", a / n }'
echo "resident memory of the app after the load: $(current_rss_mb) MB (peak $(peak_rss_mb) MB)"

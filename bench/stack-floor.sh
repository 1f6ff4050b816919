#!/usr/bin/env bash
# The stack the site is built on, with nothing of the site in it (bench/floor: the site's runtime settings and package
# versions, published as the site is), measured as bench/all.sh measures the site, so that each of the site's figures can
# be read against what the stack costs by itself on the same machine in the same run (docs/performance.md, "What the
# stack allows"). bench/floor/Program.cs says what each mode runs.
#   kestrel, outputcache, mvc, stack: STARTS (default 3) starts each, process start to the first 200 on /, resident
#     memory 5 s later (on a fresh data folder each time);
#   kestrel, outputcache, stack: the last start goes on to serve its page (the site's article, saved from a published build
#     of the site; the stack's in a view, output-cached) against nginx serving the same bytes, alternating, as
#     bench/article-vs-nginx.sh does (WARMUP, ROUNDS, THREADS, CONNECTIONS, DURATION), then its resident memory;
#   stack, started once more: POSTs of a 1 KB form at CONCURRENCY (16) connections (each validated, stored with 6 KB of
#     random bytes and committed durably, one writer at a time), timed for 15 s after WARMUP_ROUNDS (3) 10 s rounds of
#     the same, as bench/inquiry-post.sh's defaults, p50 and p99, resident memory after; then the disk's durable
#     commits/s (bench/sqlite_commits.py) and the ratio.
# The article's load is the plain half of bench/article-vs-nginx.sh's (no rounds asking for gzip; the floor compresses
# nothing). Each start's log is kept in bench/out/floor-logs.
# About 8 minutes on 2 cores, plus two publishes.
source "$(dirname "$0")/lib.sh"

STARTS=${STARTS:-3} ROUNDS=${ROUNDS:-3} CONCURRENCY=${CONCURRENCY:-16} WARMUP_ROUNDS=${WARMUP_ROUNDS:-3}
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-32} DURATION=${DURATION:-10s}
need_debian_package wrk wrk
floor_dir="$OUT_DIR/floor"
echo "publishing bench/floor..." >&2
rm -rf "$floor_dir"
dotnet publish "$BENCH_DIR/floor" -c Release -o "$floor_dir" --nologo -v quiet > /dev/null

# The page the floor serves: the site's article, as the site sends it.
publish_app
port=$(free_port)
start_app "$port"
article="$OUT_DIR/floor-article.html"
curl -sf "http://127.0.0.1:$port$ARTICLE" -o "$article" || { echo "the site did not serve $ARTICLE" >&2; exit 1; }
stop_app

FLOOR_PID="" floor_data=""
stop_floor() {
  if [ -n "$FLOOR_PID" ] && kill -0 "$FLOOR_PID" 2> /dev/null; then kill "$FLOOR_PID" 2> /dev/null || true; wait "$FLOOR_PID" 2> /dev/null || true; fi
  FLOOR_PID=""
  [ -z "$floor_data" ] || rm -rf "$floor_data"
  floor_data=""
}
static="$OUT_DIR/floor-nginx"; rm -rf "$static"; mkdir -p "$static/html"
logs="$OUT_DIR/floor-logs"; rm -rf "$logs"; mkdir -p "$logs"
start_nginx "$static"
trap 'stop_floor; stop_nginx' EXIT
# start_floor MODE PORT: starts the mode on a fresh data folder and sets FLOOR_READY_MS; its log goes to bench/out/floor-logs.
start_floor() {
  floor_data="$(mktemp -d /tmp/kappractice-floor.XXXXXX)"
  local log; log="$logs/$1-$(date +%H%M%S%N).log"
  local started; started=$(date +%s%N)
  (cd "$floor_dir" && exec env FLOOR_MODE="$1" FLOOR_BODY="$article" FLOOR_DATA="$floor_data" \
      ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$2" Logging__LogLevel__Default=Warning \
      Serilog__MinimumLevel__Default=Warning dotnet Floor.dll > "$log" 2>&1) &
  FLOOR_PID=$!
  FLOOR_READY_MS=$(ready_ms "$2" "$started") || { echo "$1 did not answer; its log:" >&2; cat "$log" >&2; return 1; }
}
# wrk_ms PERCENTILE: that line of wrk's --latency output, in ms (wrk prints us, ms or s).
wrk_ms() {
  awk -v p="$1" '$1 == p { v = $2; f = 1; if (v ~ /us$/) f = 0.001; else if (v ~ /ms$/) f = 1; else if (v ~ /s$/) f = 1000; sub(/[um]?s$/, "", v); printf "%.1f", v * f }'
}

for mode in kestrel outputcache mvc stack; do
  for start in $(seq 1 "$STARTS"); do
    port=$(free_port)
    start_floor "$mode" "$port"
    sleep 5
    echo "$mode, start $start: first 200 after $FLOOR_READY_MS ms; resident memory 5 s later $(current_rss_mb "$FLOOR_PID") MB"
    [ "$start" = "$STARTS" ] || stop_floor
  done
  if [ "$mode" != mvc ]; then
    # The page against nginx serving the very bytes this mode sends.
    curl -sf "http://127.0.0.1:$port/" -o "$static/html/$mode.html"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-15s}" "http://127.0.0.1:$port/" > /dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$NGINX_PORT/$mode.html" > /dev/null
    floor_runs=(); nginx_runs=()
    for _ in $(seq 1 "$ROUNDS"); do
      floor_runs+=("$(wrk_rps "http://127.0.0.1:$port/")")
      nginx_runs+=("$(wrk_rps "http://127.0.0.1:$NGINX_PORT/$mode.html")")
    done
    floor_rps=$(median "${floor_runs[@]}") nginx_rps=$(median "${nginx_runs[@]}")
    echo "$mode against nginx: $(awk -v a="$floor_rps" -v n="$nginx_rps" 'BEGIN { printf "%.2f", a / n }') ($mode $floor_rps, nginx $nginx_rps req/s; wrk -t$THREADS -c$CONNECTIONS -d$DURATION, medians of $ROUNDS alternating rounds: ${floor_runs[*]} against ${nginx_runs[*]})"
    echo "$mode, resident memory after the page's load: $(current_rss_mb "$FLOOR_PID") MB"
  fi
  stop_floor
done

# The stack's POSTs, on a start of their own as the site's are.
port=$(free_port)
start_floor stack "$port"
text=$(head -c 768 /dev/urandom | base64 -w0 | tr -d '+/=' | head -c 1000)
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\nwrk.body = "Text=%s"\n' "$text" > "$floor_data/post.lua"
[ "$(curl -s -o /dev/null -w '%{http_code}' --data "Text=$text" "http://127.0.0.1:$port/note")" = 303 ] || { echo "the stack did not store a note" >&2; exit 1; }
for _ in $(seq 1 "$WARMUP_ROUNDS"); do wrk -t2 -c"$CONCURRENCY" -d10s -s "$floor_data/post.lua" "http://127.0.0.1:$port/note" > /dev/null; done
out=$(wrk_checked -t2 -c"$CONCURRENCY" -d15s --latency -s "$floor_data/post.lua" "http://127.0.0.1:$port/note")
posts=$(awk '/Requests\/sec/ { print $2 }' <<< "$out")
echo "stack, POSTs at $CONCURRENCY connections: p99 $(wrk_ms 99% <<< "$out") ms (p50 $(wrk_ms 50% <<< "$out") ms), $posts posts/s"
echo "stack, resident memory after the POST load: $(current_rss_mb "$FLOOR_PID") MB"
stop_floor
reference_dir=$(mktemp -d /tmp/kappractice-bench-commits.XXXXXX)
commits=$(python3 "$BENCH_DIR/sqlite_commits.py" "$reference_dir" | sed -n 's/.*: \([0-9]*\)$/\1/p'); rm -rf "$reference_dir"
echo "stack, POSTs/s against durable commits/s: $(awk -v p="$posts" -v c="$commits" 'BEGIN { printf "%.2f", p / c }') ($posts posts/s, $commits commits/s)"

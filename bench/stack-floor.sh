#!/usr/bin/env bash
# The stack the site is built on, with nothing of the site in it (bench/floor: the site's runtime settings and package
# versions, published as the site is), measured as bench/all.sh measures the site, so that each of the site's figures can
# be read against what the stack costs by itself on the same machine in the same run:
#   kestrel, outputcache, mvc, stack: STARTS (default 3) starts each, process start to the first 200 on /, resident
#     memory 5 s later (the stack on a fresh data folder each time);
#   kestrel and outputcache: the site's article page (its bytes, saved from a published build of the site) against nginx
#     serving the same bytes, alternating, ROUNDS (default 3) rounds of wrk each, as bench/article-vs-nginx.sh;
#   stack: resident memory after 20 s of its page (a query and a Razor view), then POSTs of one 6 KB field at 16
#     connections (each validated, inserted and committed durably, one writer at a time) with their p50 and p99 and
#     resident memory after, and the disk's durable commits/s (bench/sqlite_commits.py) with the ratio.
# bench/floor/Program.cs says what each mode holds. About 6 minutes on 2 cores, plus two publishes.
source "$(dirname "$0")/lib.sh"

STARTS=${STARTS:-3} ROUNDS=${ROUNDS:-3}
THREADS=2 CONNECTIONS=32 DURATION=10s
ARTICLE=/articles/5-benefits-of-ketamine-assisted-psychotherapy
need_debian_package wrk wrk
floor_dir="$OUT_DIR/floor"
echo "publishing bench/floor..." >&2
rm -rf "$floor_dir"
dotnet publish "$BENCH_DIR/floor" -c Release -o "$floor_dir" --nologo -v quiet > /dev/null

# What the kestrel and outputcache modes serve, and nginx beside them: the site's article, as the site sends it.
publish_app
port=$(free_port)
start_app "$port"
static="$OUT_DIR/floor-nginx"; rm -rf "$static"; mkdir -p "$static/html"
curl -sf "http://127.0.0.1:$port$ARTICLE" -o "$static/html/index.html" || { echo "the site did not serve $ARTICLE" >&2; exit 1; }
stop_app

# wrk_ms PERCENTILE: that line of wrk's --latency output, in ms (wrk prints us, ms or s).
wrk_ms() {
  awk -v p="$1" '$1 == p { v = $2; f = 1; if (v ~ /us$/) f = 0.001; else if (v ~ /ms$/) f = 1; else if (v ~ /s$/) f = 1000; sub(/[um]?s$/, "", v); printf "%.1f", v * f }'
}

FLOOR_PID="" floor_data=""
stop_floor() {
  if [ -n "$FLOOR_PID" ] && kill -0 "$FLOOR_PID" 2> /dev/null; then kill "$FLOOR_PID"; wait "$FLOOR_PID" 2> /dev/null || true; fi
  FLOOR_PID=""
  [ -z "$floor_data" ] || rm -rf "$floor_data"
  floor_data=""
}
trap 'stop_floor; stop_nginx' EXIT
# start_floor MODE PORT: starts the mode on a fresh data folder and sets FLOOR_READY_MS.
start_floor() {
  floor_data="$(mktemp -d /tmp/kappractice-floor.XXXXXX)"
  local started; started=$(date +%s%N)
  (cd "$floor_dir" && exec env FLOOR_MODE="$1" FLOOR_BODY="$static/html/index.html" FLOOR_DATA="$floor_data" \
      ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$2" Logging__LogLevel__Default=Warning \
      Serilog__MinimumLevel__Default=Warning dotnet Floor.dll > "$floor_data/floor.log" 2>&1) &
  FLOOR_PID=$!
  FLOOR_READY_MS=$(ready_ms "$2" "$started") || { echo "$1 did not answer; its log:" >&2; cat "$floor_data/floor.log" >&2; return 1; }
}

for mode in kestrel outputcache mvc stack; do
  for start in $(seq 1 "$STARTS"); do
    port=$(free_port)
    start_floor "$mode" "$port"
    sleep 5
    echo "$mode, start $start: first 200 after $FLOOR_READY_MS ms; resident memory 5 s later $(current_rss_mb "$FLOOR_PID") MB"
    [ "$start" = "$STARTS" ] || stop_floor
  done
  # The last start goes on under load.
  case $mode in
    kestrel|outputcache)
      start_nginx "$static"
      wrk -t"$THREADS" -c"$CONNECTIONS" -d15s "http://127.0.0.1:$port/" > /dev/null
      wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$NGINX_PORT/" > /dev/null
      floor_runs=(); nginx_runs=()
      for _ in $(seq 1 "$ROUNDS"); do
        floor_runs+=("$(wrk_rps "http://127.0.0.1:$port/")")
        nginx_runs+=("$(wrk_rps "http://127.0.0.1:$NGINX_PORT/")")
      done
      stop_nginx
      floor_rps=$(median "${floor_runs[@]}") nginx_rps=$(median "${nginx_runs[@]}")
      echo "$mode against nginx: $(awk -v a="$floor_rps" -v n="$nginx_rps" 'BEGIN { printf "%.2f", a / n }') ($mode $floor_rps, nginx $nginx_rps req/s; wrk -t$THREADS -c$CONNECTIONS -d$DURATION, medians of $ROUNDS alternating rounds: ${floor_runs[*]} against ${nginx_runs[*]})"
      echo "$mode, resident memory after the load: $(current_rss_mb "$FLOOR_PID") MB" ;;
    stack)
      wrk -t"$THREADS" -c16 -d20s "http://127.0.0.1:$port/" > /dev/null
      echo "stack, resident memory after its page's load: $(current_rss_mb "$FLOOR_PID") MB"
      # One 6 KB field of random letters and digits, as much as a sealed inquiry stores.
      body=$(head -c 4500 /dev/urandom | base64 -w0 | tr -d '+/=' | head -c 6000)
      printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\nwrk.body = "Text=%s"\n' "$body" > "$floor_data/post.lua"
      curl -s -o /dev/null -w '%{http_code}' --data-urlencode "Text=$body" "http://127.0.0.1:$port/note" | grep -q 303 \
        || { echo "the stack did not store a note" >&2; exit 1; }
      wrk -t2 -c16 -d10s -s "$floor_data/post.lua" "http://127.0.0.1:$port/note" > /dev/null
      out=$(wrk -t2 -c16 -d15s --latency -s "$floor_data/post.lua" "http://127.0.0.1:$port/note")
      if grep -q -e 'Non-2xx or 3xx' -e 'Socket errors' <<< "$out"; then echo "wrk against /note: $out" >&2; exit 1; fi
      posts=$(awk '/Requests\/sec/ { print $2 }' <<< "$out")
      echo "stack, POSTs at 16 connections: p99 $(wrk_ms 99% <<< "$out") ms (p50 $(wrk_ms 50% <<< "$out") ms), $posts posts/s"
      echo "stack, resident memory after the POST load: $(current_rss_mb "$FLOOR_PID") MB"
      stop_floor
      reference_dir=$(mktemp -d /tmp/kappractice-bench-commits.XXXXXX)
      commits=$(python3 "$BENCH_DIR/sqlite_commits.py" "$reference_dir" | sed -n 's/.*: \([0-9]*\)$/\1/p'); rm -rf "$reference_dir"
      echo "stack, POSTs/s against durable commits/s: $(awk -v p="$posts" -v c="$commits" 'BEGIN { printf "%.2f", p / c }') ($posts posts/s, $commits commits/s)" ;;
  esac
  stop_floor
done

#!/usr/bin/env bash
# The limits the site is held to on a small machine, each measured from one Release build (ReadyToRun, as
# `dotnet publish -c Release` makes it) beside its limit and, where there is one, the reference measured in the same run.
# This script is the one place the limits are written; docs/performance.md shows what it printed. Prints one table at the
# end, every run's figure in its cell separated by " / "; each benchmark's own output is kept in bench/out/all-RUN-NAME.log.
#   start-up and idle memory: fresh starts, process start to the first 200 on /, resident memory 5 s later; then
#     one more start and as many restarts on its data folder, as after an update;
#   bench/article-vs-nginx.sh: the output-cached article against nginx serving the same bytes, plain and gzipped, memory
#     after that load;
#   bench/inquiry-post.sh: POSTs at 16 connections, p99, throughput against the disk's durable commits, memory after;
#   bench/admin-search.sh: the admin list with a search term at 10,000 inquiries, p95;
#   bench/stack-floor.sh: the same figures of the stack with nothing of the site in it, in a column of their own.
# Environment: REPEAT (default 1) runs of everything; STARTS (default 3) fresh starts and restarts a run; SKIP_ADMIN_SEARCH=1
# leaves out the admin list, which stores 10,000 inquiries through the form first; SKIP_FLOOR=1 leaves out the stack alone.
# On 2 cores a run takes about 6 minutes with neither, 11 with the admin list and 12–13 with both on the second
# machine (docs/performance.md), plus a publish. Settings of the scripts it runs (DURATION, ROUNDS…) pass through to all of
# them, so leave them unset here.
source "$(dirname "$0")/lib.sh"

REPEAT=${REPEAT:-1} STARTS=${STARTS:-3}
# A build of its own, whatever REUSE_PUBLISH says outside; the scripts it runs then reuse it.
REUSE_PUBLISH=0 publish_app
export REUSE_PUBLISH=1

declare -A figures
add() { # key value: appends this run's value to the row
  figures[$1]="${figures[$1]:+${figures[$1]} / }$2"
}
field() { # file sed-expression: the first match, or "?" when the benchmark printed nothing of the kind
  local value; value=$(sed -n "$2" "$1" | head -n 1)
  echo "${value:-?}"
}
all_of() { # file sed-expression: every match, comma-separated, or "?"
  local value; value=$(sed -n "$2" "$1" | paste -sd, -)
  echo "${value:-?}"
}

# timed_starts LOG start|restart: STARTS starts, one line each in LOG: the first 200's time and resident memory 5 s later.
# "start": each on fresh folders. "restart", as after an update that brings no migration: one more start first (not
# counted; given the same 5 s to seed its content and take its first backup), then each on the folders the one before left.
timed_starts() {
  local log=$1 kind=$2 keep="" first=1
  if [ "$kind" = restart ]; then keep=1 first=0; fi
  : > "$log"
  for start in $(seq "$first" "$STARTS"); do
    KEEP_FOLDERS=$keep start_app "$(free_port)"
    local ready=$APP_READY_MS
    sleep 5
    [ "$start" = 0 ] || echo "$kind $start: first 200 after $ready ms; resident memory 5 s later $(current_rss_mb) MB" >> "$log"
    KEEP_FOLDERS=$keep stop_app
  done
  remove_folders
}

for run in $(seq 1 "$REPEAT"); do
  echo "run $run of $REPEAT (load $(cut -d' ' -f1 /proc/loadavg))..." >&2
  log="$OUT_DIR/all-$run-startup.log"
  timed_starts "$log" start
  add startup "$(all_of "$log" 's/.*first 200 after \([0-9]*\) ms.*/\1/p') ms"
  add idle "$(all_of "$log" 's/.*5 s later \([0-9.]*\) MB/\1/p') MB"

  log="$OUT_DIR/all-$run-restart.log"
  timed_starts "$log" restart
  add restart "$(all_of "$log" 's/.*first 200 after \([0-9]*\) ms.*/\1/p') ms"

  log="$OUT_DIR/all-$run-article.log"
  bash "$BENCH_DIR/article-vs-nginx.sh" > "$log" 2>&1 || echo "bench/article-vs-nginx.sh failed: see $log" >&2
  add article_memory "$(field "$log" 's/^resident memory of the app after the load: \([0-9.]*\) MB.*/\1/p') MB"
  add article "$(field "$log" 's/^ratio app\/nginx: \(.*\)/\1/p') (app $(field "$log" 's/^app (output-cached article): \([0-9.]*\).*/\1/p'), nginx $(field "$log" 's/^nginx (same HTML, static): *\([0-9.]*\).*/\1/p') req/s)"
  add article_gzip "$(field "$log" 's/^ratio app\/nginx, gzip: \(.*\)/\1/p') (app $(field "$log" 's/^app, gzip as a browser asks: \([0-9.]*\).*/\1/p'), nginx $(field "$log" 's/^nginx, the app.s gzip bytes: *\([0-9.]*\).*/\1/p') req/s)"

  log="$OUT_DIR/all-$run-post.log"
  bash "$BENCH_DIR/inquiry-post.sh" > "$log" 2>&1 || echo "bench/inquiry-post.sh failed: see $log" >&2
  add post_memory "$(field "$log" 's/^resident memory after the load: \([0-9.]*\) MB.*/\1/p') MB"
  add post_latency "p99 $(field "$log" 's/.*p99 \([0-9.]*\),.*/\1/p') ms (p50 $(field "$log" 's/.*p50 \([0-9.]*\),.*/\1/p'))"
  add post_ratio "$(field "$log" 's/^inquiry posts\/s against durable commits\/s: \(.*\)/\1/p') ($(field "$log" 's/^requests\/s: \([0-9.]*\).*/\1/p') posts/s, $(field "$log" 's/^durable SQLite commits\/s.*: \([0-9]*\)$/\1/p') commits/s)"

  if [ "${SKIP_FLOOR:-}" = 1 ]; then
    for key in floor_startup floor_idle floor_article_memory floor_post_memory floor_post_latency floor_post_ratio floor_article; do add "$key" "not run"; done
  else
    log="$OUT_DIR/all-$run-floor.log"
    bash "$BENCH_DIR/stack-floor.sh" > "$log" 2>&1 || echo "bench/stack-floor.sh failed: see $log" >&2
    add floor_startup "$(all_of "$log" 's/^stack, start .*first 200 after \([0-9]*\) ms.*/\1/p') ms"
    add floor_idle "$(all_of "$log" 's/^stack, start .*5 s later \([0-9.]*\) MB/\1/p') MB (MVC alone $(all_of "$log" 's/^mvc, start .*5 s later \([0-9.]*\) MB/\1/p') MB)"
    add floor_article_memory "$(field "$log" 's/^stack, resident memory after the page.s load: \([0-9.]*\) MB/\1/p') MB"
    add floor_post_memory "$(field "$log" 's/^stack, resident memory after the POST load: \([0-9.]*\) MB/\1/p') MB"
    add floor_post_latency "p99 $(field "$log" 's/^stack, POSTs at [0-9]* connections: p99 \([0-9.]*\) ms.*/\1/p') ms (p50 $(field "$log" 's/^stack, POSTs at [0-9]* connections: .*(p50 \([0-9.]*\) ms).*/\1/p'))"
    add floor_post_ratio "$(field "$log" 's/^stack, POSTs\/s against durable commits\/s: \(.*\)/\1/p')"
    add floor_article "the stack $(field "$log" 's/^stack against nginx: \([0-9.]*\) .*/\1/p'), the output cache alone $(field "$log" 's/^outputcache against nginx: \([0-9.]*\) .*/\1/p'), Kestrel alone $(field "$log" 's/^kestrel against nginx: \([0-9.]*\) .*/\1/p')"
  fi

  if [ "${SKIP_ADMIN_SEARCH:-}" = 1 ]; then
    add search "not run"
  else
    log="$OUT_DIR/all-$run-search.log"
    bash "$BENCH_DIR/admin-search.sh" > "$log" 2>&1 || echo "bench/admin-search.sh failed: see $log" >&2
    add search "p95 $(field "$log" 's/^\/admin?q=[^ ]* (search): .*p95 \([0-9.]*\) ms.*/\1/p') ms"
  fi
done

cat <<TABLE

$(date -u +%F), $(nproc) cores, $(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App 10\.0\./ { v = $2 } END { print ".NET " v }') (the newest 10.0 runtime, which the app rolls forward to), load $(cut -d' ' -f1-3 /proc/loadavg) at the end; $REPEAT run(s), separated by /
| what | measured | limit | the stack alone (bench/stack-floor.sh, same run) |
|---|---|---|---|
| process start to the first 200 on / ($STARTS fresh starts a run) | ${figures[startup]} | at most 1,000 ms | ${figures[floor_startup]} |
| resident memory 5 s after a fresh start's first 200 | ${figures[idle]} | at most 100 MB | ${figures[floor_idle]} |
| process start to the first 200 on /, restarting on the previous start's data folder (no migration pending; $STARTS restarts a run) | ${figures[restart]} | at most 1,000 ms | |
| resident memory after the article load | ${figures[article_memory]} | at most 150 MB | ${figures[floor_article_memory]} |
| resident memory after the inquiry POST load | ${figures[post_memory]} | at most 150 MB | ${figures[floor_post_memory]} |
| inquiry POST latency, 16 connections | ${figures[post_latency]} | p99 at most 50 ms | ${figures[floor_post_latency]} |
| inquiry POSTs/s against the disk's durable commits/s of one inquiry-sized row (same run) | ${figures[post_ratio]} | at least 0.2 | ${figures[floor_post_ratio]} |
| output-cached article against nginx serving the same bytes (same run) | ${figures[article]} | at least 0.8 | ${figures[floor_article]} |
| the same, both asked for gzip as a browser asks (nginx sending the app's gzip bytes) | ${figures[article_gzip]} | (what browsers get; not a limit of its own) | |
| admin list with a search term at 10,000 inquiries | ${figures[search]} | p95 at most 100 ms | |
TABLE

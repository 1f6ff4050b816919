#!/usr/bin/env bash
# The inquiry POST under load from a Release build: PREPARED forms are loaded first, each by its own
# visitor (cookies, a fresh antiforgery token), then posted CONCURRENCY (16) at a time for up to
# DURATION seconds. Prints requests/s and p50/p95/p99 of the POSTs, the app's start-up time, its
# resident memory after the load, and then the disk's durable commit rate for one inquiry-sized row
# (bench/sqlite_commits.py) with the ratio of the two. The background dispatcher writes each inquiry's two emails to the
# pickup folder meanwhile, outside the request but on the same two cores.
source "$(dirname "$0")/lib.sh"

CONCURRENCY=${CONCURRENCY:-16} DURATION=${DURATION:-15} PREPARED=${PREPARED:-8000}
publish_app
port=$(free_port)
start_app "$port" "${UNTHROTTLED_POSTS[@]}"
echo "start-up: first 200 after ${APP_READY_MS} ms"
# Steady state: the same load for WARMUP_ROUNDS rounds first, until tiered compilation has finished
# optimising the hot paths (thousands of generic instantiations over the answer enums); then measure.
for _ in $(seq 1 "${WARMUP_ROUNDS:-3}"); do
  dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" "$CONCURRENCY" 10 "$PREPARED" > /dev/null
done
result=$(dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" "$CONCURRENCY" "$DURATION" "$PREPARED")
echo "$result"
echo "resident memory after the load: $(current_rss_mb) MB (peak $(peak_rss_mb) MB)"
stop_app
# The reference from the same run: what the same disk commits durably, one inquiry-sized row at a time, with the app
# stopped (a folder beside the app's data folder, on the same disk).
reference_dir=$(mktemp -d /tmp/kappractice-bench-commits.XXXXXX)
reference=$(python3 "$BENCH_DIR/sqlite_commits.py" "$reference_dir"); rm -rf "$reference_dir"
echo "$reference"
posts=$(sed -n 's/^requests\/s: \([0-9.]*\).*/\1/p' <<< "$result")
commits=$(sed -n 's/.*: \([0-9]*\)$/\1/p' <<< "$reference")
awk -v p="$posts" -v c="$commits" 'BEGIN { if (c > 0) printf "inquiry posts/s against durable commits/s: %.2f\n", p / c }'

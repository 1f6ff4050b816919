#!/usr/bin/env bash
# The inquiry POST under load from a Release build: PREPARED forms are loaded first, each by its own
# visitor (cookies, a fresh antiforgery token), then posted CONCURRENCY (16) at a time for up to
# DURATION seconds. Prints requests/s and p50/p95/p99 of the POSTs, the app's start-up time and its
# resident memory after the load. The background dispatcher writes each inquiry's two emails to the
# pickup folder meanwhile, outside the request but on the same two cores.
source "$(dirname "$0")/lib.sh"

CONCURRENCY=${CONCURRENCY:-16} DURATION=${DURATION:-15} PREPARED=${PREPARED:-8000}
publish_app
port=$(free_port)
start_app "$port" Spam__MinimumFillTime=00:00:00 RateLimiting__InquiryPermitLimit=1000000 RateLimiting__InquiryFloodLimit=1000000
echo "start-up: first 200 after ${APP_READY_MS} ms"
# Steady state: the same load for WARMUP_ROUNDS rounds first, until tiered compilation has finished
# optimising the hot paths (thousands of generic instantiations over the answer enums); then measure.
for _ in $(seq 1 "${WARMUP_ROUNDS:-3}"); do
  dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" "$CONCURRENCY" 10 "$PREPARED" > /dev/null
done
dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" "$CONCURRENCY" "$DURATION" "$PREPARED"
echo "resident memory after the load: $(current_rss_mb) MB (peak $(peak_rss_mb) MB)"

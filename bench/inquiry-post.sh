#!/usr/bin/env bash
# The inquiry POST under load from a Release build: CONCURRENCY (16) clients, each with a fresh
# antiforgery token per request, for DURATION seconds. Prints requests/s and p50/p95/p99, then the
# app's start-up time and its peak resident memory after the load. Email goes to the pickup folder
# from the background dispatcher, outside the request.
source "$(dirname "$0")/lib.sh"

CONCURRENCY=${CONCURRENCY:-16} DURATION=${DURATION:-20}
publish_app
port=$(free_port)
start_app "$port" Spam__MinimumFillTime=00:00:00 RateLimiting__InquiryPermitLimit=1000000 RateLimiting__InquiryFloodLimit=1000000
echo "start-up: first 200 after ${APP_READY_MS} ms"
# Warm up the JIT and the connection pool, then measure.
dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" 4 3 > /dev/null
dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" "$CONCURRENCY" "$DURATION"
echo "resident memory after the load: $(current_rss_mb) MB (peak $(peak_rss_mb) MB)"

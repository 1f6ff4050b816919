#!/usr/bin/env bash
# Publishes a Release build, starts it on 127.0.0.1 with a throwaway data folder, fires CLIENTS
# concurrent valid inquiries at it, prints "stored: N" and "non-2xx/3xx: N", then stops the app.
source "$(dirname "$0")/lib.sh"

CLIENTS="${CLIENTS:-200}"
publish_app
port=$(free_port)
# No fill-time minimum and no rate limit, so every post is a real store.
start_app "$port" "${UNTHROTTLED_POSTS[@]}"

status=0
python3 "$BENCH_DIR/inquiry_concurrency.py" --base "http://127.0.0.1:$port" --clients "$CLIENTS" --db "$APP_DATA/kappractice.db" || status=$?
if grep -qE "ERR|FTL|Exception" "$APP_DATA/app.log"; then
  echo "app log errors:"
  grep -E "ERR|FTL|Exception" "$APP_DATA/app.log" | head -n 20
fi
exit "$status"

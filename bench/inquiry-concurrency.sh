#!/usr/bin/env bash
# Publishes a Release build, starts it on 127.0.0.1 with a throwaway data folder, loads CLIENTS (default 200) forms, each
# as a visitor of its own, then posts them all at once as valid inquiries (bench/InquiryLoad.cs, CLIENTS in flight), and
# counts what the database holds: every post answered with the thank-you page's redirect, and every one stored with its
# two emails in the outbox, or the script exits 1. Prints InquiryLoad's lines, then "stored", "suspected spam" and
# "outbox rows", then stops the app.
source "$(dirname "$0")/lib.sh"

CLIENTS="${CLIENTS:-200}"
publish_app
port=$(free_port)
# No fill-time minimum and no rate limit, so every post is a real store.
start_app "$port" "${UNTHROTTLED_POSTS[@]}"

status=0
dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" "$CLIENTS" 300 "$CLIENTS" || status=$?
# The data folder is fresh: every row in it came from these posts. Names are sealed, so rows are counted, not matched.
counts=$(python3 - "$APP_DATA/kappractice.db" <<'PY'
import sqlite3, sys
with sqlite3.connect(sys.argv[1]) as db:
    print(*(db.execute(query).fetchone()[0] for query in (
        "SELECT COUNT(*) FROM Inquiries", "SELECT COUNT(*) FROM Inquiries WHERE IsSuspectedSpam = 1",
        "SELECT COUNT(*) FROM OutboxMessages")))
PY
)
read -r stored spam outbox <<< "$counts"
echo "stored: $stored of $CLIENTS"
echo "suspected spam: $spam"
echo "outbox rows: $outbox (two emails an inquiry: $((2 * CLIENTS)) expected)"
[ "$stored" = "$CLIENTS" ] && [ "$outbox" = "$((2 * CLIENTS))" ] || status=1
if grep -qE "ERR|FTL|Exception" "$APP_DATA/app.log"; then
  echo "app log errors:"
  grep -E "ERR|FTL|Exception" "$APP_DATA/app.log" | head -n 20
  status=1
fi
exit "$status"

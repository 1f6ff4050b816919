#!/usr/bin/env bash
# Publishes a Release build, starts it on 127.0.0.1 with a throwaway data folder, fires CLIENTS
# concurrent valid inquiries at it, prints "stored: N" and "non-2xx/3xx: N", then stops the app.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS="${CLIENTS:-200}"
PORT="${PORT:-$((20000 + RANDOM % 20000))}"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "publishing a Release build..."
dotnet publish src/KapPractice.Web -c Release -o "$work/app" -v q -nologo > "$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }

# Production-like, on its own data folder; no fill-time minimum and no rate limit, so every post is a real store.
ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$work/app/KapPractice.Web.dll" \
  --urls "http://127.0.0.1:$PORT" \
  --Data:Directory="$work/data" \
  --Spam:MinimumFillTime=00:00:00 \
  --RateLimiting:InquiryPermitLimit=1000000 \
  --RateLimiting:InquiryFloodLimit=1000000 \
  --Serilog:MinimumLevel:Default=Warning \
  > "$work/app.log" 2>&1 &
pid=$!

for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/inquiry" 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "the app stopped:"; cat "$work/app.log"; exit 1; }
  sleep 1
done

status=0
python3 bench/inquiry_concurrency.py --base "http://127.0.0.1:$PORT" --clients "$CLIENTS" --db "$work/data/kappractice.db" || status=$?
if grep -qE "ERR|FTL|Exception" "$work/app.log"; then
  echo "app log errors:"
  grep -E "ERR|FTL|Exception" "$work/app.log" | head -n 20
fi
exit "$status"

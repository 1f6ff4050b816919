#!/usr/bin/env bash
# The admin list at INQUIRIES (10,000) stored inquiries, with and without a search term. Stores them through
# the real form first (bench/InquiryLoad.cs, every MATCH_EVERY-th client named "$TERM n" so the search
# finds a few dozen), waits until the dispatcher has written their emails, signs in with the password
# alone, then loads /admin and /admin?q=TERM one after the other RUNS times (after WARMUP of each) and
# prints the median and p95 of each, as curl times them (one connection per request, loopback); the same for
# /admin?outcome=LikelyEligible (the outcome filter, which opens every inquiry's sealed outcome).
# REPO=PATH runs it on another checkout, e.g. a worktree of the commit before encryption at rest.
source "$(dirname "$0")/lib.sh"

INQUIRIES=${INQUIRIES:-10000} MATCH_EVERY=${MATCH_EVERY:-250} TERM_NAME=${TERM_NAME:-Marchetti}
RUNS=${RUNS:-40} WARMUP=${WARMUP:-15}
EMAIL=bench@example.org PASSWORD="a long passphrase for the bench"

publish_app
port=$(free_port)
# Password-only sign-in keeps the script simple (builds before two factors ignore the setting).
start_app "$port" "${UNTHROTTLED_POSTS[@]}" \
  Admin__RequireTwoFactor=false Admin__SignInPermitLimit=1000
echo "storing $INQUIRIES inquiries through the form ($((INQUIRIES / MATCH_EVERY)) named 'Rowan $TERM_NAME n')..."
MATCH_NAME="Rowan $TERM_NAME" MATCH_EVERY="$MATCH_EVERY" \
  dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" 16 100000 "$INQUIRIES" | sed 's/^/  /'

# The dispatcher writes two emails per inquiry after the response: wait until it has finished, so it
# does not share the cores with the timed requests.
previous=-1
for _ in $(seq 1 300); do
  written=$(find "$APP_DATA" \( -name '*.eml' -o -name '*.eml.sealed' \) | wc -l)   # .eml.sealed: sealed with the data key outside Development
  [ "$written" -ge $((2 * INQUIRIES)) ] || [ "$written" -eq "$previous" ] && break
  previous=$written
  sleep 2
done
echo "emails written by the dispatcher: $written"

printf '%s\n' "$PASSWORD" | app_env dotnet KapPractice.Web.dll create-admin --email "$EMAIL" > /dev/null
jar="$APP_DATA/cookies.txt"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/admin/sign-in" \
  | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
# The admin cookie is Secure in Production (curl keeps it out of its jar over http), so it is read from the header.
cookie=$(curl -s -D - -o /dev/null -b "$jar" "http://127.0.0.1:$port/admin/sign-in" \
  --data-urlencode "Email=$EMAIL" --data-urlencode "Password=$PASSWORD" --data-urlencode "__RequestVerificationToken=$token" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \(kap-admin=[^;]*\).*/\1/p' | tr -d '\r')
[ -n "$cookie" ] || { echo "sign-in failed; the app's log:" >&2; cat "$APP_DATA/app.log" >&2; exit 1; }

count_shown() { # PATH: the list's own count line, e.g. "10,000 inquiries" or "40 inquiries match"
  curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port$1" | grep -o '[0-9][0-9,]* inquir[a-z]*\( match[a-z]*\)\?' | head -1
}
echo "/admin shows: $(count_shown /admin); /admin?q=$TERM_NAME shows: $(count_shown "/admin?q=$TERM_NAME")"

time_ms() { # PATH: one request's total time in ms; fails unless 200
  local out
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Cookie: $cookie" "http://127.0.0.1:$port$1")
  [ "${out%% *}" = 200 ] || { echo "$1 answered ${out%% *}" >&2; return 1; }
  awk -v s="${out#* }" 'BEGIN { printf "%.2f\n", s * 1000 }'
}

summary() { # FILE of ms, one a line
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    p = int(0.95 * NR); if (p < 0.95 * NR) p++
    printf "median %.1f ms, p95 %.1f ms, min %.1f ms, max %.1f ms (%d requests)\n", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[p], v[1], v[NR], NR }'
}

# Steady state first (tiered compilation), then the two pages alternately, so drift hits both alike.
# The outcome filter matches every inquiry the load stores (all likely eligible), so it opens all 10,000 outcomes.
for _ in $(seq 1 "$WARMUP"); do time_ms /admin > /dev/null; time_ms "/admin?q=$TERM_NAME" > /dev/null; time_ms "/admin?outcome=LikelyEligible" > /dev/null; done
: > "$APP_DATA/plain.ms"; : > "$APP_DATA/search.ms"; : > "$APP_DATA/outcome.ms"
for _ in $(seq 1 "$RUNS"); do
  time_ms /admin >> "$APP_DATA/plain.ms"
  time_ms "/admin?q=$TERM_NAME" >> "$APP_DATA/search.ms"
  time_ms "/admin?outcome=LikelyEligible" >> "$APP_DATA/outcome.ms"
done
echo "load average while timing: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "/admin (first page, no term):    $(summary "$APP_DATA/plain.ms")"
echo "/admin?q=$TERM_NAME (search):  $(summary "$APP_DATA/search.ms")"
echo "/admin?outcome=LikelyEligible: $(summary "$APP_DATA/outcome.ms")"
echo "resident memory: $(current_rss_mb) MB (peak $(peak_rss_mb) MB)"

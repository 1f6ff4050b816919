#!/usr/bin/env bash
# What an admin page costs with the per-request session check (every signed-in admin request reads its
# session row; see AdminSessions in src/KapPractice.Web/Features/AdminShell). Signs in once, then loads the
# audit trail with that cookie: one connection for latency, then 16 for throughput. Prints both.
source "$(dirname "$0")/lib.sh"

PAGE=${PAGE:-/admin/audit} DURATION=${DURATION:-10s}
EMAIL=bench@example.org PASSWORD="a long passphrase for the bench"

need_debian_package wrk wrk
publish_app
port=$(free_port)
# Password-only sign-in keeps the script simple; the session check is the same with a second factor.
start_app "$port" Admin__RequireTwoFactor=false Admin__SignInPermitLimit=1000
printf '%s\n' "$PASSWORD" | app_env dotnet KapPractice.Web.dll create-admin --email "$EMAIL" > /dev/null

jar="$APP_DATA/cookies.txt"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/admin/sign-in" \
  | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
# The admin cookie is Secure (curl keeps it out of its jar over http), so it is read from the header.
cookie=$(curl -s -D - -o /dev/null -b "$jar" "http://127.0.0.1:$port/admin/sign-in" \
  --data-urlencode "Email=$EMAIL" --data-urlencode "Password=$PASSWORD" --data-urlencode "__RequestVerificationToken=$token" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \(kap-admin=[^;]*\).*/\1/p' | tr -d '\r')
[ -n "$cookie" ] || { echo "sign-in failed; the app's log:" >&2; cat "$APP_DATA/app.log" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$port$PAGE")" = 200 ] \
  || { echo "$PAGE did not answer 200 with the cookie" >&2; exit 1; }

# Steady state first (tiered compilation), then measure.
wrk -t1 -c4 -d"${WARMUP:-15s}" -H "Cookie: $cookie" "http://127.0.0.1:$port$PAGE" > /dev/null
echo "$PAGE signed in, 1 connection:"
wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$PAGE" | awk '/Requests\/sec|^ +50%|^ +99%/'
echo "$PAGE signed in, 16 connections:"
wrk -t2 -c16 -d"$DURATION" -H "Cookie: $cookie" "http://127.0.0.1:$port$PAGE" | awk '/Requests\/sec/'

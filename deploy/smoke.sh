#!/usr/bin/env bash
# deploy/smoke.sh: the deployment of deploy/Caddyfile, run for real on loopback. Caddy (Debian's package) with
# `tls internal` in front of Release builds of the site; prints a PASS or FAIL line per check, exits non-zero on any FAIL.
#   bash deploy/smoke.sh                      SQLite: TWO instances on one data folder (one file, one key ring), as during an update
#   PROVIDER=postgresql bash deploy/smoke.sh  PostgreSQL: TWO instances on one throwaway database, a data folder each
#   PUBLISHED=DIR uses a Release publish folder instead of publishing. Run as root (it starts PostgreSQL as the postgres user).
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PROVIDER=${PROVIDER:-sqlite}
failures=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

command -v caddy > /dev/null || { apt-get update -qq && apt-get install -y -qq caddy > /dev/null; } || { echo "FAIL could not install caddy"; exit 1; }
work=$(mktemp -d /tmp/kappractice-smoke.XXXXXX)
pids=()
pg_bin=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null; done
  wait 2> /dev/null
  [ -n "$pg_bin" ] && runuser -u postgres -- "$pg_bin/pg_ctl" stop -m immediate -D "$work/pg/data" > /dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${PUBLISHED:-}" ]; then
  cp -r "$PUBLISHED" "$work/app"   # a Release publish folder made beforehand
else
  # Without ReadyToRun: precompiling takes minutes on a small CI machine and changes nothing this checks.
  echo "Publishing a Release build..."
  dotnet publish src/KapPractice.Web -c Release -p:PublishReadyToRun=false -o "$work/app" > "$work/publish.log" 2>&1 || { cat "$work/publish.log"; echo "FAIL dotnet publish"; exit 1; }
fi

mkdir -p "$work/keys" && chmod 700 "$work/keys"
host=smoke.kappractice.test   # not "localhost": ASP.NET Core never sends HSTS to localhost
common=(ASPNETCORE_ENVIRONMENT=Production Encryption__KeyDirectory="$work/keys" Admin__RequireTwoFactor=false AllowedHosts="$host"
  RateLimiting__InquiryFloodLimit=6 Backup__Directory="$work/backups")
if [ "$PROVIDER" = postgresql ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ -x "$pg_bin/initdb" ] || { echo "FAIL no PostgreSQL binaries: apt-get install postgresql"; exit 1; }
  pg_port=$(free_port)
  chmod 711 "$work"   # the postgres user passes through to its own folder
  mkdir -p "$work/pg" && chown postgres:postgres "$work/pg"
  runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A trust --no-sync > /dev/null \
    && runuser -u postgres -- "$pg_bin/pg_ctl" start -w -D "$work/pg/data" -l "$work/pg/log" -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" > /dev/null \
    || { echo "FAIL PostgreSQL did not start"; exit 1; }
  common+=(Database__Provider=PostgreSql "ConnectionStrings__Default=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres")
  data_of() { echo "$work/data$1"; }   # nothing shared on disk: the key ring is in the database
else
  data_of() { echo "$work/data"; }      # one SQLite file and its key ring folder for both
fi
instances=2

ports=("$(free_port)" "$(free_port)")
start_instance() { # index
  local i=$1
  mkdir -p "$(data_of "$i")"
  (cd "$work/app" && exec env "${common[@]}" Data__Directory="$(data_of "$i")" ASPNETCORE_URLS="http://127.0.0.1:${ports[$i]}" \
    dotnet KapPractice.Web.dll > "$work/app$i.log" 2>&1) &
  pids[$i]=$!
}
wait_healthy() { # port
  for _ in $(seq 1 120); do curl -fsS -H "Host: $host" "http://127.0.0.1:$1/healthz" > /dev/null 2>&1 && return 0; sleep 1; done
  return 1
}
start_instance 0
wait_healthy "${ports[0]}" || { cat "$work/app0.log"; echo "FAIL instance 1 did not start"; exit 1; }
start_instance 1
wait_healthy "${ports[1]}" || { cat "$work/app1.log"; echo "FAIL instance 2 did not start"; exit 1; }

http_port=$(free_port); https_port=$(free_port)
export SITE_ADDRESS=$host TLS_MODE="tls internal" HTTP_PORT=$http_port HTTPS_PORT=$https_port
export CADDY_ADMIN="127.0.0.1:$(free_port)" ACCESS_LOG="$work/access.log" XDG_DATA_HOME="$work/caddy-data" XDG_CONFIG_HOME="$work/caddy-config"
export UPSTREAMS="127.0.0.1:${ports[0]} 127.0.0.1:${ports[1]}"
caddy run --config deploy/Caddyfile --adapter caddyfile > "$work/caddy.log" 2>&1 &
pids+=($!)
root="$work/caddy-data/caddy/pki/authorities/local/root.crt"
resolve=(--resolve "$host:$https_port:127.0.0.1" --resolve "$host:$http_port:127.0.0.1")
for _ in $(seq 1 60); do [ -f "$root" ] && curl -fsS "${resolve[@]}" --cacert "$root" "https://$host:$https_port/healthz" > /dev/null 2>&1 && break; sleep 1; done
site="https://$host:$https_port"
c() { curl -sS "${resolve[@]}" --cacert "$root" "$@"; }

check "HTTPS answers with a certificate from Caddy's CA" test "$(c -o /dev/null -w '%{http_code}' "$site/")" = 200
redirect=$(c -o /dev/null -w '%{http_code} %{redirect_url}' "http://$host:$http_port/inquiry")
check "HTTP is redirected to HTTPS ($redirect)" grep -qE "^30[18] https://$host(:$https_port)?/inquiry$" <<< "$redirect"   # Caddy 2.6 leaves out a non-default port
check "HSTS for a year" grep -qi '^strict-transport-security: max-age=31536000' <(c -D - -o /dev/null "$site/")
check "the form's antiforgery cookie is Secure" grep -qiE '^set-cookie: \.AspNetCore\.Antiforgery[^;]*;.*secure' <(c -D - -o /dev/null "$site/inquiry")

# The flood guard counts per client address: 127.0.0.2 spends it (whichever instance answers), 127.0.0.3 still gets through.
statuses=""
for _ in $(seq 1 $((6 * instances + 2))); do
  statuses+="$(c --interface 127.0.0.2 -o /dev/null -w '%{http_code} ' -X POST -H 'X-Forwarded-For: 198.51.100.7' -d x=1 "$site/inquiry")"
done
check "the rate limiter refuses the client that spent its posts (429), a forged X-Forwarded-For does not help" grep -q 429 <<< "$statuses"
check "the rate limiter sees each client's own address, not Caddy's (another client is not refused)" test "$(c --interface 127.0.0.3 -o /dev/null -w '%{http_code}' -X POST -d x=1 "$site/inquiry")" != 429
c -o /dev/null "$site/?secret-term=1"
sleep 1
check "the access log records requests without their query string" bash -c "grep -q '\"uri\"' '$ACCESS_LOG' && ! grep -q secret-term '$ACCESS_LOG'"

# An admin account, created with the published app's own command on the same data.
(cd "$work/app" && printf '%s\n' 'smoke-test-password-123' | env "${common[@]}" Data__Directory="$(data_of 0)" dotnet KapPractice.Web.dll create-admin --email smoke@example.org > "$work/create-admin.log" 2>&1) \
  || { cat "$work/create-admin.log"; fail "create-admin"; }
jar="$work/cookies"
page=$(c -c "$jar" -b "$jar" "$site/admin/sign-in")
token=$(sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' <<< "$page" | head -n 1)
signin=$(c -c "$jar" -b "$jar" -D - -o /dev/null --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "Email=smoke@example.org" --data-urlencode "Password=smoke-test-password-123" "$site/admin/sign-in")
check "signing in through Caddy sets a Secure admin cookie" grep -qiE '^set-cookie: kap-admin=[^;]*;.*secure' <<< "$signin"
cookie=$(grep -oiE '^set-cookie: kap-admin=[^;]*' <<< "$signin" | head -n 1 | cut -d' ' -f2-)
on_instance() { curl -sS -o /dev/null -w '%{http_code}' -H "Host: $host" -H "Cookie: $cookie" -H 'X-Forwarded-Proto: https' "http://127.0.0.1:${ports[$1]}/admin/audit"; }
check "the admin session works on instance 1" test "$(on_instance 0)" = 200
check "the same sign-in works on instance 2 (one key ring, sessions in the database)" test "$(on_instance 1)" = 200

# Sign-out through Caddy (whichever instance answers) ends the session on the server, so on both instances.
admin_page=$(c -c "$jar" -b "$jar" "$site/admin/audit")
token=$(sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' <<< "$admin_page" | head -n 1)
c -c "$jar" -b "$jar" -o /dev/null --data-urlencode "__RequestVerificationToken=$token" "$site/admin/sign-out"
check "after signing out, the old cookie is refused on instance 1 ($(on_instance 0))" test "$(on_instance 0)" != 200
check "after signing out, the old cookie is refused on instance 2 ($(on_instance 1))" test "$(on_instance 1)" != 200

# A booking link is a credential in the path: Caddy's access log keeps none of it, neither as the request's address
# nor as the next request's Referer nor in a redirect's Location; nor a search term of the admin list; nor whole addresses.
c -o /dev/null "$site/booking/smoke-secret-token"
c -o /dev/null -H "Referer: $site/booking/smoke-secret-referer" "$site/css/site.css"
c -o /dev/null -H "Referer: $site/admin?q=Smoke+Clientname" "$site/"
sleep 1
check "the access log keeps no booking link and no search term" bash -c "grep -q '\"/booking/\"' '$ACCESS_LOG' && ! grep -qE 'smoke-secret|Clientname' '$ACCESS_LOG'"
masked_addresses() { # every logged client address is a /16 network (x.y.0.0)
  python3 - "$ACCESS_LOG" << 'PY'
import json, sys
ips = [json.loads(line)["request"].get(k) for line in open(sys.argv[1]) if line.strip() for k in ("remote_ip", "client_ip")]
ips = [ip for ip in ips if ip]
sys.exit(0 if ips and all(ip.endswith(".0.0") for ip in ips) else 1)
PY
}
check "the access log keeps client addresses to their network (127.0.0.0)" masked_addresses

# Requests keep coming while instance 2 is stopped (as for an update): none may fail.
codes="$work/codes"
: > "$codes"
for n in $(seq 1 60); do
  c -o /dev/null -w '%{http_code}\n' "$site/" >> "$codes"
  [ "$n" = 20 ] && kill -TERM "${pids[1]}"
done
check "stopping one instance loses no request (60 of 60 answered 200)" test "$(grep -c '^200$' "$codes")" = 60

echo "smoke ($PROVIDER): $failures failed"
[ "$failures" -eq 0 ]

#!/usr/bin/env bash
# deploy/smoke.sh: the deployment of deploy/Caddyfile, run for real on loopback. Caddy (Debian's package) with
# `tls internal` in front of Release builds of the site; prints a PASS or FAIL line per check, exits non-zero on any FAIL.
#   bash deploy/smoke.sh                      SQLite: TWO instances on one data folder (one file, one key ring), as during an update
#   PROVIDER=postgresql bash deploy/smoke.sh  PostgreSQL: TWO instances on one throwaway database, a data folder each
#   PUBLISHED=DIR uses a Release publish folder instead of publishing. Run as root (it starts PostgreSQL as the postgres user).
# As deployed: the data key comes as a systemd credential ($CREDENTIALS_DIRECTORY/kappractice-key), the key folder stays
# empty, and the admin signs in with the second factor on (the code computed from the key she enrols, as her phone would).
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PROVIDER=${PROVIDER:-sqlite}
failures=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# totp BASE32_KEY STEPS_AHEAD: the six-digit code an authenticator app shows for the key (RFC 6238 as
# src/KapPractice.Web/Features/SignIn/Totp.cs computes it: HMAC-SHA1 over 30-second steps), STEPS_AHEAD steps from now.
totp() {
  python3 - "$1" "$2" << 'PY'
import base64, hashlib, hmac, struct, sys, time
key = sys.argv[1].replace(" ", "").upper()
key = base64.b32decode(key + "=" * (-len(key) % 8))
digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30 + int(sys.argv[2])), hashlib.sha1).digest()
offset = digest[-1] & 0x0F
print("%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}
token_of() { sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' <<< "$1" | head -n 1; }
# From response headers (curl -D -): the status and the Location header, e.g. "302 /admin/sign-in?signedOut=1".
status_location() { tr -d '\r' | awk 'NR == 1 { status = $2 } tolower($1) == "location:" { location = $2 } END { print status, location }'; }

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

# The unit's key folder (Encryption__KeyDirectory=/etc/kappractice/keys) is read-only to the service and stays empty: the
# key comes as the credential systemd decrypts into $CREDENTIALS_DIRECTORY (LoadCredentialEncrypted=kappractice-key:...).
mkdir -p "$work/keys" "$work/credentials" && chmod 500 "$work/keys" && chmod 700 "$work/credentials"
host=smoke.kappractice.test   # not "localhost": ASP.NET Core never sends HSTS to localhost
# No SMTP server here: the pickup folder is allowed on purpose (without it a Production start stops, checked below).
common=(ASPNETCORE_ENVIRONMENT=Production Encryption__KeyDirectory="$work/keys" CREDENTIALS_DIRECTORY="$work/credentials" AllowedHosts="$host"
  RateLimiting__InquiryFloodLimit=6 Backup__Directory="$work/backups" Email__AllowPickupFolder=true)
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

# The admin account and the data key, made with the published app's own command before the service first starts, as
# docs/deployment.md does: a run that may write a key folder makes the key, which then becomes
# the credential (systemd-creds encrypt ... kappractice-key.cred; here the file as systemd hands it to the service).
mkdir -p "$(data_of 0)"
(cd "$work/app" && printf '%s\n' 'smoke-test-password-123' | env "${common[@]}" Data__Directory="$(data_of 0)" Encryption__KeyDirectory="$work/keygen" \
  dotnet KapPractice.Web.dll create-admin --email smoke@example.org > "$work/create-admin.log" 2>&1) \
  || { cat "$work/create-admin.log"; echo "FAIL create-admin"; exit 1; }
install -m 400 "$work"/keygen/data-key-*.json "$work/credentials/kappractice-key" && chmod 500 "$work/credentials" && rm -rf "$work/keygen" \
  || { echo "FAIL the key-making run wrote no data-key-*.json"; exit 1; }

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
check "both instances read the data key from \$CREDENTIALS_DIRECTORY/kappractice-key (Encryption:KeyDirectory stays empty)" test -z "$(ls -A "$work/keys")"
# The same Release build without Email:Smtp:Host and without Email:AllowPickupFolder: refused at start, naming both. (The
# refusal is an unhandled exception, so the process aborts; the outer subshell keeps bash's "Aborted" notice quiet.)
( (cd "$work/app" && exec timeout 120 env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$(free_port)" Data__Directory="$work/refused/data" \
  Encryption__KeyDirectory="$work/refused/keys" Backup__Directory="$work/refused/backups" dotnet KapPractice.Web.dll > "$work/refused.log" 2>&1); exit $? ) 2> /dev/null
refused=$?
check "without Email:Smtp:Host a Production start stops (exit $refused) naming Email:Smtp:Host and Email:AllowPickupFolder" \
  bash -c "[ $refused -ne 0 ] && [ $refused -ne 124 ] && grep -q 'Email:Smtp:Host is not set' '$work/refused.log' && grep -q 'Email:AllowPickupFolder=true' '$work/refused.log'"
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

# Signing in as deployed: Admin:RequireTwoFactor is on (the default), so the first sign-in with the password opens only
# the authenticator set-up; the code is computed from the key the page shows, as her phone would.
jar="$work/cookies"
sign_in_with_password() { # the password step through Caddy; prints its status and Location
  local page
  page=$(c -c "$jar" -b "$jar" "$site/admin/sign-in")
  c -c "$jar" -b "$jar" -D - -o /dev/null --data-urlencode "__RequestVerificationToken=$(token_of "$page")" \
    --data-urlencode "Email=smoke@example.org" --data-urlencode "Password=smoke-test-password-123" "$site/admin/sign-in" | status_location
}
first=$(sign_in_with_password)
check "the first sign-in opens only the authenticator set-up ($first)" test "$first" = "302 /admin/security/authenticator"
enrol=$(c -c "$jar" -b "$jar" "$site/admin/security/authenticator")
key=$(sed -n 's/.*<code class="totp-key" id="key">\([^<]*\)<\/code>.*/\1/p' <<< "$enrol" | head -n 1)
enrolled=$(c -c "$jar" -b "$jar" -o "$work/recovery-codes.html" -w '%{http_code}' --data-urlencode "__RequestVerificationToken=$(token_of "$enrol")" \
  --data-urlencode "code=$(totp "$key" 0)" "$site/admin/security/authenticator")
check "a code computed from the key shown enrols the authenticator app ($enrolled, recovery codes shown)" \
  bash -c "[ '$enrolled' = 200 ] && grep -q 'Your authenticator app is set up' '$work/recovery-codes.html'"

# A fresh sign-in: the password, then the code page. The code is the next step's (a code is good once, and one step
# ahead is accepted for a clock a little off), so it never repeats the enrolment's code, whenever the step turns.
rm -f "$jar"
second=$(sign_in_with_password)
check "signing in again asks for the authenticator code after the password ($second)" test "$second" = "302 /admin/sign-in/code"
code_page=$(c -c "$jar" -b "$jar" "$site/admin/sign-in/code")
signin=$(c -c "$jar" -b "$jar" -D - -o /dev/null --data-urlencode "__RequestVerificationToken=$(token_of "$code_page")" \
  --data-urlencode "Code=$(totp "$key" 1)" "$site/admin/sign-in/code")
check "the code signs in ($(status_location <<< "$signin"))" test "$(status_location <<< "$signin")" = "302 /admin"
check "signing in through Caddy sets a Secure admin cookie" grep -qiE '^set-cookie: kap-admin=[^;]*;.*secure' <<< "$signin"
cookie=$(grep -oiE '^set-cookie: kap-admin=[^;]*' <<< "$signin" | head -n 1 | cut -d' ' -f2-)
on_instance() { # index: GET /admin/audit on that instance with the admin cookie; prints the status and Location
  curl -sS -o /dev/null -D - -H "Host: $host" -H "Cookie: $cookie" -H 'X-Forwarded-Proto: https' "http://127.0.0.1:${ports[$1]}/admin/audit" | status_location
}
check "the admin session works on instance 1" test "$(on_instance 0)" = "200 "
check "the same sign-in works on instance 2 (one key ring, sessions in the database)" test "$(on_instance 1)" = "200 "

# Sign-out through Caddy (whichever instance answers) ends the session on the server, so on both instances: the old
# cookie is sent to the sign-in page, exactly as a browser without a session is.
admin_page=$(c -c "$jar" -b "$jar" "$site/admin/audit")
signout=$(c -c "$jar" -b "$jar" -D - -o /dev/null --data-urlencode "__RequestVerificationToken=$(token_of "$admin_page")" "$site/admin/sign-out" | status_location)
check "signing out answers with the sign-in page ($signout)" test "$signout" = "302 /admin/sign-in?signedOut=1"
to_sign_in="302 https://$host/admin/sign-in?ReturnUrl=%2Fadmin%2Faudit"
check "after signing out, the old cookie is redirected to the sign-in page on instance 1 ($(on_instance 0))" test "$(on_instance 0)" = "$to_sign_in"
check "after signing out, the old cookie is redirected to the sign-in page on instance 2 ($(on_instance 1))" test "$(on_instance 1)" = "$to_sign_in"

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

# The create-admin run is the first start on the new database (it migrates it); the instances start after it. None may
# log an error or a warning of EF Core's (a migration that cannot run in its transaction, a model that needs one). grep
# answers 1 when it read every log and found none; 2 (a log missing) fails too.
check "no EF Core warning or error in the create-admin run or either instance's log" \
  bash -c "grep -hE '(WRN|ERR|FTL)\] Microsoft\.EntityFrameworkCore' '$work/create-admin.log' '$work'/app0.log '$work'/app1.log; [ \$? -eq 1 ]"

echo "smoke ($PROVIDER): $failures failed"
[ "$failures" -eq 0 ]

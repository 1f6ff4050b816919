# Shared by the bench scripts: build the app in Release, start it on loopback, wait, stop by PID.
# REPO=PATH builds and runs another checkout (e.g. a worktree of an older commit) with these scripts.
# shellcheck shell=bash
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "${REPO:-$BENCH_DIR/..}" && pwd)"
OUT_DIR="$BENCH_DIR/out"
APP_PID="" APP_DATA="" APP_KEYS="" APP_BACKUPS=""
# Settings for a load of inquiry posts (start_app "$port" "${UNTHROTTLED_POSTS[@]}"): no minimum fill time, and limits
# per address no load reaches, as every post comes from 127.0.0.1.
UNTHROTTLED_POSTS=(Spam__MinimumFillTime=00:00:00 RateLimiting__InquiryPermitLimit=1000000 RateLimiting__InquiryFloodLimit=1000000)
# The published article the page benchmarks load (bench/article-vs-nginx.sh, bench/stack-floor.sh, bench/lighthouse.sh).
ARTICLE=/articles/5-benefits-of-ketamine-assisted-psychotherapy
unset KEEP_FOLDERS # set per call only (bench/all.sh's restarts), never inherited

need_debian_package() { # command package
  command -v "$1" > /dev/null 2>&1 && return 0
  echo "installing $2 from Debian's packages..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" > /dev/null 2>&1 \
    || { apt-get update -qq > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" > /dev/null; }
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# REUSE_PUBLISH=1 keeps the Release build already in bench/out/app instead of publishing again: bench/all.sh publishes
# once and sets it for the scripts it runs. It does not check what that build was made from (another REPO, an older commit).
publish_app() {
  if [ "${REUSE_PUBLISH:-}" = 1 ] && [ -f "$OUT_DIR/app/KapPractice.Web.dll" ]; then return 0; fi
  echo "publishing a Release build of $REPO_DIR..." >&2
  # A clean folder, so nothing of another checkout's build is left beside this one.
  rm -rf "$OUT_DIR/app"
  dotnet publish "$REPO_DIR/src/KapPractice.Web" -c Release -o "$OUT_DIR/app" --nologo -v quiet > /dev/null
}

# start_app PORT [extra env assignments...]: starts the published app with a fresh data folder, and a fresh key folder
# (Encryption:KeyDirectory; older builds ignore it) and backup folder (Backup:Directory, whose default is beside the data
# folder: in /tmp, left behind) outside it. app_env passes them to a verb.
# Restarts (bench/all.sh): `KEEP_FOLDERS=1 stop_app` keeps both folders, and `KEEP_FOLDERS=1 start_app` starts on the
# ones kept instead of fresh ones; remove_folders removes them at the end. An exit on the way removes them too.
start_app() {
  local port=$1; shift
  if [ "${KEEP_FOLDERS:-}" != 1 ] || [ -z "${APP_DATA:-}" ]; then
    APP_DATA="$(mktemp -d /tmp/kappractice-bench.XXXXXX)"
    APP_KEYS="$(mktemp -d /tmp/kappractice-bench-keys.XXXXXX)"
    APP_BACKUPS="$(mktemp -d /tmp/kappractice-bench-backups.XXXXXX)"
  fi
  APP_START_NS=$(date +%s%N)
  # No SMTP server: the emails go to the pickup folder, which outside Development must be allowed (docs/operations.md).
  (cd "$OUT_DIR/app" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" Email__AllowPickupFolder=true \
      Data__Directory="$APP_DATA" Encryption__KeyDirectory="$APP_KEYS" Backup__Directory="$APP_BACKUPS" Serilog__MinimumLevel__Default=Warning "$@" \
      dotnet KapPractice.Web.dll > "$APP_DATA/app.log" 2>&1) &
  APP_PID=$!
  trap 'KEEP_FOLDERS="" stop_app' EXIT
  APP_READY_MS=$(ready_ms "$port" "$APP_START_NS") && return 0
  echo "the app did not answer on port $port; its log:" >&2; cat "$APP_DATA/app.log" >&2; return 1
}

# ready_ms PORT START_NS: waits (curl every 50 ms, 30 s at most) for a 200 on / and prints the ms since START_NS
# (date +%s%N taken just before the process started); fails if none came.
ready_ms() {
  for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/")" = "200" ]; then
      echo $(( ($(date +%s%N) - $2) / 1000000 ))
      return 0
    fi
    sleep 0.05
  done
  return 1
}

# app_env COMMAND...: runs a command in the published app's folder with the running app's data and key folders.
app_env() {
  (cd "$OUT_DIR/app" && env ASPNETCORE_ENVIRONMENT=Production Email__AllowPickupFolder=true Data__Directory="$APP_DATA" Encryption__KeyDirectory="$APP_KEYS" Backup__Directory="$APP_BACKUPS" \
    Serilog__MinimumLevel__Default=Warning "$@")
}

# Of the running app, or of the process PID given.
peak_rss_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/${1:-$APP_PID}/status"; }
current_rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/${1:-$APP_PID}/status"; }

stop_app() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2> /dev/null; then
    kill "$APP_PID" 2> /dev/null || true
    wait "$APP_PID" 2> /dev/null || true
  fi
  APP_PID=""
  [ "${KEEP_FOLDERS:-}" = 1 ] || remove_folders
  return 0
}

remove_folders() {
  [ -n "${APP_DATA:-}" ] && rm -rf "$APP_DATA"
  [ -n "${APP_KEYS:-}" ] && rm -rf "$APP_KEYS"
  [ -n "${APP_BACKUPS:-}" ] && rm -rf "$APP_BACKUPS"
  APP_DATA="" APP_KEYS="" APP_BACKUPS=""
  return 0
}

# start_nginx ROOT: nginx on a free loopback port (NGINX_PORT) serving the folder ROOT/html, a worker per core, no access
# log, files sent gzipped where a .gz copy lies beside them and the request asks for gzip; stop_nginx stops it.
start_nginx() {
  need_debian_package nginx nginx
  NGINX_ROOT=$1 NGINX_PORT=$(free_port)
  mkdir -p "$NGINX_ROOT/logs"
  cat > "$NGINX_ROOT/nginx.conf" <<CONF
worker_processes auto;
pid $NGINX_ROOT/nginx.pid;
error_log $NGINX_ROOT/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $NGINX_ROOT/html;
    gzip_static on;
    location / { try_files \$uri \$uri/index.html =404; }
  }
}
CONF
  nginx -c "$NGINX_ROOT/nginx.conf" -p "$NGINX_ROOT"
}
stop_nginx() { [ -f "${NGINX_ROOT:-}/nginx.pid" ] && kill "$(cat "$NGINX_ROOT/nginx.pid")" 2> /dev/null || true; }

# wrk_checked WRK-ARGUMENTS...: wrk's output; fails when wrk failed, any answer was not a 2xx or 3xx, a socket error
# occurred, or it printed no requests/s.
wrk_checked() {
  local out
  out=$(wrk "$@") || { echo "wrk $* failed: $out" >&2; return 1; }
  if grep -q -e 'Non-2xx or 3xx' -e 'Socket errors' <<< "$out" || ! grep -q 'Requests/sec' <<< "$out"; then
    echo "wrk $*: $out" >&2; return 1
  fi
  echo "$out"
}

# wrk_rps URL [ACCEPT-ENCODING]: requests/s under wrk (THREADS, CONNECTIONS, DURATION), checked as wrk_checked does.
wrk_rps() {
  local out
  out=$(wrk_checked -t"${THREADS:-2}" -c"${CONNECTIONS:-32}" -d"${DURATION:-10s}" ${2:+-H "Accept-Encoding: $2"} "$1") || return 1
  awk '/Requests\/sec/ { print $2 }' <<< "$out"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

#!/usr/bin/env bash
# Where start-up time and idle memory go (docs/performance.md), on the published Release build (ReadyToRun):
#  1. start-up: the app is started under dotnet-trace (sampled thread time) with a fresh data folder, and again on the
#     data folder that start left (a restart, as after an update); the time every thread spent in each phase is
#     summed (bench/startup_phases.py), from process start to the first 200 on /.
#  2. memory: 5 s after the first 200, resident memory split by what is mapped (JIT-compiled code, the GC heap and
#     other anonymous memory, each assembly and native library), with the GC heap's own size from dotnet-counters.
# Needs the .NET diagnostic tools: dotnet tool install -g dotnet-trace dotnet-counters (done here when missing).
source "$(dirname "$0")/lib.sh"
export PATH="$PATH:$HOME/.dotnet/tools"
for tool in dotnet-trace dotnet-counters; do
  command -v "$tool" > /dev/null || dotnet tool install -g "$tool" > /dev/null
done
publish_app

profile_dir="$OUT_DIR/startup-profile"; rm -rf "$profile_dir"; mkdir -p "$profile_dir"
data=$(mktemp -d /tmp/kappractice-bench.XXXXXX); keys=$(mktemp -d /tmp/kappractice-bench-keys.XXXXXX)
TRACER=""
stop_traced() { # the traced app (dotnet-trace's child) first, which ends the trace; then dotnet-trace, by PID only
  [ -n "$TRACER" ] || return 0
  kill -INT "$(pgrep -P "$TRACER")" 2> /dev/null || true
  wait "$TRACER" 2> /dev/null || true
  TRACER=""
}
cleanup() { stop_traced; stop_app; rm -rf "$data" "$keys"; }
trap cleanup EXIT

traced_start() { # name: starts the app under dotnet-trace until its first 200, then stops it
  local port; port=$(free_port)
  local started; started=$(date +%s%N)
  (cd "$OUT_DIR/app" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" Email__AllowPickupFolder=true \
      Data__Directory="$data" Encryption__KeyDirectory="$keys" Serilog__MinimumLevel__Default=Warning \
      dotnet-trace collect --profile dotnet-sampled-thread-time -o "$profile_dir/$1.nettrace" -- dotnet KapPractice.Web.dll \
      > "$profile_dir/$1.log" 2>&1) &
  TRACER=$!
  local ready=""
  for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = 200 ]; then ready=1; break; fi
    sleep 0.05
  done
  local ms=$(( ($(date +%s%N) - started) / 1000000 ))
  stop_traced
  if [ -z "$ready" ]; then
    echo "$1: the app did not answer on port $port; its log:" >&2; cat "$profile_dir/$1.log" >&2; return 1
  fi
  echo "$1: first 200 after $ms ms (traced, so slower than bench/startup.sh)"
  # dotnet-trace names the converted file NAME.speedscope.json.
  dotnet-trace convert --format speedscope "$profile_dir/$1.nettrace" -o "$profile_dir/$1" > /dev/null
  python3 "$BENCH_DIR/startup_phases.py" "$profile_dir/$1.speedscope.json"
}
traced_start first-start
traced_start restart

port=$(free_port)
start_app "$port"
trap cleanup EXIT # start_app set its own
sleep 5
echo
echo "memory 5 s after the first 200: resident $(current_rss_mb) MB"
dotnet-counters collect -p "$APP_PID" --refresh-interval 1 --format csv -o "$profile_dir/counters.csv" --counters System.Runtime --duration 00:00:00:03 > /dev/null 2>&1 || true
awk -F, '/gc.last_collection.memory.committed_size/ { v=$NF } END { if (v) printf "GC heap committed: %.1f MB\n", v / 1048576 }' "$profile_dir/counters.csv"
awk -F, '/dotnet.assembly.count/ { v=$NF } END { if (v) print "assemblies loaded: " v }' "$profile_dir/counters.csv"
python3 - "$APP_PID" <<'PY'
import collections, re, sys
groups = collections.Counter()
current = None
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    header = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$", line)
    if header:
        current = header.group(1).strip()
        continue
    if not line.startswith("Rss:"):
        continue
    kb = int(line.split()[1])
    if "doublemapper" in current:
        groups["JIT-compiled code and stubs (memfd:doublemapper)"] += kb
    elif current in ("", "[heap]") or current.startswith("[anon"):
        groups["anonymous: GC heap, native heaps, stacks"] += kb
    elif current.endswith(".dll"):
        groups["managed assemblies, mapped (" + ("app folder" if "/bench/out/app/" in current else "shared framework") + ")"] += kb
    elif ".so" in current:
        groups["native libraries (runtime, ICU, OpenSSL, SQLite, ...)"] += kb
    else:
        groups["other: " + current[-40:]] += kb
for name, kb in groups.most_common():
    print(f"  {kb / 1024:7.1f} MB  {name}")
PY
stop_app

#!/usr/bin/env bash
# Runtime settings against memory and the POST tail (docs/performance.md, "Memory: the GC's first generation and the
# JIT's profiling tier"): for each setting given, a fresh start of the published build with that environment added, its
# time to the first 200, resident memory 5 s later, then one round of the inquiry POST load as a warm-up and one timed
# round (16 in flight, DURATION s, 10 by default), and resident memory after it. One line per setting, with the load's
# own count of POSTs stored and refused. Each argument is a label, then environment assignments:
#   bash bench/runtime-settings.sh "as built" "gen0 4 MB DOTNET_GCgen0size=0x400000" "no ceiling DOTNET_GCHeapHardLimit=0"
# (words containing "=" are the assignments; the others make up the label). An environment variable overrides what the
# build's runtimeconfig.json says: "DOTNET_GCHeapHardLimit=0 DOTNET_TieredPGO=1" is the build as it was before both were
# set. PREPARED (3000) forms are loaded per round; a round ends early when they run out, which its posts/s then shows. A
# setting's line is one run: run the script again, alternating, to see the spread. A load that fails stops the script.
source "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-10} PREPARED=${PREPARED:-3000}
[ $# -gt 0 ] || set -- "as built"
publish_app
export REUSE_PUBLISH=1

for setting in "$@"; do
  label="" assignments=()
  read -ra words <<< "$setting"
  for word in "${words[@]}"; do
    if [[ $word == *=* ]]; then assignments+=("$word"); else label="${label:+$label }$word"; fi
  done
  port=$(free_port)
  start_app "$port" "${UNTHROTTLED_POSTS[@]}" "${assignments[@]}"
  ready=$APP_READY_MS
  sleep 5
  idle=$(current_rss_mb)
  dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" 16 "$DURATION" "$PREPARED" > /dev/null
  result=$(dotnet run --file "$BENCH_DIR/InquiryLoad.cs" -- "http://127.0.0.1:$port" 16 "$DURATION" "$PREPARED" \
    | sed -n -e 's/^stored.*/&/p' -e 's/^requests\/s: \([0-9.]*\).*/\1 posts\/s/p' -e 's/^latency ms: \(.*\)/\1 ms/p' | paste -sd ';' -)
  echo "${label:-?}: first 200 after $ready ms; resident $idle MB 5 s later, $(current_rss_mb) MB after the load; $result"
  stop_app
done

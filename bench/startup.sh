#!/usr/bin/env bash
# Start-up with and without ReadyToRun (docs/performance.md): for each build, ROUNDS (3) fresh starts, each timed from
# process start to the first 200 on /, then the first inquiry POST after start (cold: a load of the form and its post,
# before tiered compilation settles; the answers are bench/startup-form.txt, as bench/InquiryLoad.cs sends them), and
# resident memory after that POST. Prints one line per start.
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
publish_variant() { # name readytorun
  echo "publishing a Release build ($1)..." >&2
  rm -rf "$OUT_DIR/app-$1"
  dotnet publish "$REPO_DIR/src/KapPractice.Web" -c Release -p:PublishReadyToRun="$2" -o "$OUT_DIR/app-$1" --nologo -v quiet > /dev/null
}
publish_variant jit false
publish_variant r2r true

first_post_ms() { # port: loads the form, then times its post (curl's total time)
  local jar; jar=$(mktemp)
  local page token fill
  page=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$1/inquiry")
  token=$(sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' <<< "$page" | head -n 1)
  fill=$(sed -n 's/.*name="FillToken" value="\([^"]*\)".*/\1/p' <<< "$page" | head -n 1)
  curl -s -o /dev/null -w '%{http_code} %{time_total}' -c "$jar" -b "$jar" \
    --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "FillToken=$fill" \
    --data "$(cat "$BENCH_DIR/startup-form.txt")" "http://127.0.0.1:$1/inquiry" \
    | awk '{ printf "%s in %.0f ms", $1, $2 * 1000 }'
  rm -f "$jar"
}

for round in $(seq 1 "$ROUNDS"); do
  for variant in jit r2r; do
    rm -rf "$OUT_DIR/app" && cp -r "$OUT_DIR/app-$variant" "$OUT_DIR/app"
    port=$(free_port)
    start_app "$port" Spam__MinimumFillTime=00:00:00
    post=$(first_post_ms "$port")
    echo "round $round, $variant: first 200 after ${APP_READY_MS} ms; first POST $post; resident memory $(current_rss_mb) MB (load $(cut -d' ' -f1 /proc/loadavg))"
    stop_app
  done
done

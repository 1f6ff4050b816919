#!/usr/bin/env bash
# Lighthouse (pinned 12.2.3, mobile, Debian Chromium, headless) on the public pages of a Release build.
# Prints performance, accessibility, best practices and SEO scores and the bytes each page transfers,
# lists every audit that is not passed on stderr, and exits 1 if a page misses 100 or the byte budget.
# Each page is run RUNS times (default 3) and the median run by performance score is reported, as
# Lighthouse's own docs advise against single-run variance on a busy machine.
source "$(dirname "$0")/lib.sh"

BUDGET_KB=${BUDGET_KB:-30}
RUNS=${RUNS:-3}

[ -x /usr/bin/chromium ] || need_debian_package chromium chromium
need_debian_package node nodejs   # Debian 12 ships Node 18, enough for Lighthouse 12
need_debian_package npm npm
(cd "$BENCH_DIR/lighthouse" && npm ci --no-audit --no-fund --silent)
publish_app
port=$(free_port)
start_app "$port"

# The app listens on 127.0.0.1 only, so Chromium is pointed at that very address, not at "localhost".
base="http://127.0.0.1:$port"
report_dir="$OUT_DIR/lighthouse"; rm -rf "$report_dir"; mkdir -p "$report_dir"
pages=(/ "$ARTICLE" /about /fees /inquiry)
page_name() { local n="${1//\//_}"; n="${n#_}"; echo "${n:-home}"; }
for path in "${pages[@]}"; do
  curl -s -o /dev/null "$base$path"   # warm the JIT and the output cache: the steady state is measured
done
for run in $(seq 1 "$RUNS"); do
  for path in "${pages[@]}"; do
    name=$(page_name "$path").$run
    # A trace Chromium failed to record (NO_NAVSTART, now and then on a busy machine) is retried, twice at most.
    for attempt in 1 2 3; do
      # --no-sandbox: Chromium refuses to start its sandbox as root (CI containers).
      if CHROME_PATH=/usr/bin/chromium "$BENCH_DIR/lighthouse/node_modules/.bin/lighthouse" "$base$path" \
          --quiet --output=json --output-path="$report_dir/$name.json" \
          --only-categories=performance,accessibility,best-practices,seo \
          --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
          > "$report_dir/$name.log" 2>&1 \
        && node -e 'process.exit(require(process.argv[1]).runtimeError ? 1 : 0)' "$report_dir/$name.json"; then
        break
      fi
      echo "lighthouse failed on $path, run $run, attempt $attempt: $(tail -n 1 "$report_dir/$name.log")" >&2
    done
  done
done
stop_app

node - "$report_dir" "$BUDGET_KB" "$RUNS" "${pages[@]}" <<'JS'
const fs = require('fs'), path = require('path');
const [dir, budgetKb, runs, ...pages] = process.argv.slice(2);
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
const rows = [['page', ...categories, 'KB transferred']];
let missed = false;
for (const page of pages) {
  const name = page.replace(/\//g, '_').replace(/^_/, '') || 'home';
  const reports = [];
  for (let run = 1; run <= Number(runs); run++) {
    const file = path.join(dir, `${name}.${run}.json`);
    if (!fs.existsSync(file)) continue;
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (report.runtimeError) console.error(`  ${page}, run ${run}: ${report.runtimeError.code}: ${report.runtimeError.message}`);
    else reports.push(report);
  }
  if (reports.length === 0) { rows.push([page, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']); missed = true; continue; }
  reports.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
  const r = reports[Math.floor((reports.length - 1) / 2)];
  fs.writeFileSync(path.join(dir, name + '.json'), JSON.stringify(r));
  const score = k => r.categories[k] && r.categories[k].score !== null ? Math.round(r.categories[k].score * 100) : 'n/a';
  const kb = r.audits['total-byte-weight'].numericValue / 1024;
  rows.push([page, ...categories.map(score), kb.toFixed(1)]);
  if (categories.some(k => score(k) !== 100)) missed = true;
  if (kb > Number(budgetKb)) { console.error(`  ${page}: ${kb.toFixed(1)} KB transferred, over the ${budgetKb} KB budget`); missed = true; }
  // Every audit the four categories weigh or hint at that did not pass (insights included, not only binary audits).
  const ids = new Set(categories.flatMap(k => (r.categories[k]?.auditRefs ?? []).map(a => a.id)));
  for (const id of ids) {
    const a = r.audits[id];
    if (a && a.score !== null && a.score < 1 && !['manual', 'informative', 'notApplicable'].includes(a.scoreDisplayMode)) {
      console.error(`  ${page}: ${id} (${a.score}): ${a.title}${a.displayValue ? ' - ' + a.displayValue : ''}`);
    }
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map(r => String(r[i]).length)));
for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd());
console.log(`median of ${runs} Lighthouse runs per page (mobile, simulated throttling); reports in ${dir}`);
if (missed) { console.error(`not every page scores 100 in all four categories within ${budgetKb} KB`); process.exit(1); }
JS

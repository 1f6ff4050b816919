#!/usr/bin/env bash
# Lighthouse (pinned 12.2.3, mobile, Debian Chromium, headless) on the public pages of a Release build.
# Prints performance, accessibility, best practices and SEO scores and the bytes each page transfers.
source "$(dirname "$0")/lib.sh"

[ -x /usr/bin/chromium ] || need_debian_package chromium chromium
(cd "$BENCH_DIR/lighthouse" && npm ci --no-audit --no-fund --silent)
publish_app
port=$(free_port)
start_app "$port"

report_dir="$OUT_DIR/lighthouse"; rm -rf "$report_dir"; mkdir -p "$report_dir"
pages=(/ /articles/5-benefits-of-ketamine-assisted-psychotherapy /about /inquiry)
for path in "${pages[@]}"; do
  name=$(echo "$path" | tr '/' '_' | sed 's/^_$/home/; s/^_//')
  CHROME_PATH=/usr/bin/chromium "$BENCH_DIR/lighthouse/node_modules/.bin/lighthouse" "http://localhost:$port$path" \
    --quiet --output=json --output-path="$report_dir/$name.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
    > /dev/null 2>&1 || echo "lighthouse failed on $path" >&2
done
stop_app

node - "$report_dir" "${pages[@]}" <<'JS'
const fs = require('fs'), path = require('path');
const [dir, ...pages] = process.argv.slice(2);
const rows = [['page', 'performance', 'accessibility', 'best-practices', 'seo', 'KB transferred']];
for (const page of pages) {
  const name = page.replace(/\//g, '_').replace(/^_$/, 'home').replace(/^_/, '');
  const file = path.join(dir, name + '.json');
  if (!fs.existsSync(file)) { rows.push([page, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']); continue; }
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  const score = k => r.categories[k] ? Math.round(r.categories[k].score * 100) : 'n/a';
  const kb = (r.audits['total-byte-weight'].numericValue / 1024).toFixed(1);
  rows.push([page, score('performance'), score('accessibility'), score('best-practices'), score('seo'), kb]);
  for (const [id, a] of Object.entries(r.audits)) {
    if (a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary') console.error(`  ${page}: ${id}: ${a.title}`);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map(r => String(r[i]).length)));
for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join('  '));
JS

#!/usr/bin/env bash
# Writes a community report with `steward report` and has headless Chromium render its HTML page
# to a PNG, as a community manager's browser would show it (offline: the page loads nothing).
#   scripts/render-report.sh GUILD_ID 2026-W47 [OUT_DIR]     (or a month: 2026-11)
# Needs DATABASE_URL (or .env) and Debian's chromium package: apt-get install chromium
set -euo pipefail
guild="${1:?usage: $0 GUILD_ID PERIOD [OUT_DIR]}"
period="${2:?usage: $0 GUILD_ID PERIOD [OUT_DIR]}"
out="${3:-report-$guild-$period}"
case "$period" in
  *-W*|*-w*) flag=--week ;;
  *) flag=--month ;;
esac
cargo run --quiet --release -- report --guild "$guild" "$flag" "$period" --out "$out"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,2600 \
  --screenshot="$out/page.png" "file://$(realpath "$out")/report.html" 2>/dev/null
echo "$out/page.png"

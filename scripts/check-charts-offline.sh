#!/usr/bin/env bash
# Checks that the charts in rendered notebooks draw with no network. Each HTML file opens in headless Chromium inside
# a network namespace without interfaces (unshare -n, as root); every SparsityKit chart must then have been drawn by
# plotly.js (which marks its div "js-plotly-plot"). A screenshot of the page's top 6000 pixels goes beside each file.
# Needs Debian's chromium (apt-get install chromium); it is not part of the set-up.
# usage: scripts/check-charts-offline.sh [FILE.html ...]      default: artifacts/notebooks/*.html
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v chromium >/dev/null || { echo "error: chromium is needed (apt-get install chromium)." >&2; exit 1; }
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(artifacts/notebooks/*.html)

offline() { if [ "$(id -u)" -eq 0 ]; then unshare -n "$@"; else sudo unshare -n "$@"; fi; }
browse() { offline chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=20000 "$@" 2>/dev/null; }

bad=0
for file in "${files[@]}"; do
  [ -f "$file" ] || { echo "error: no file $file" >&2; bad=1; continue; }
  url="file://$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
  dom=$(browse --dump-dom "$url")
  charts=$(grep -o 'class="sparsitykit-chart[^"]*"' <<<"$dom" | wc -l)
  drawn=$(grep -o 'class="sparsitykit-chart[^"]*js-plotly-plot[^"]*"' <<<"$dom" | wc -l)
  browse --window-size=1100,6000 --screenshot="${file%.html}.png" "$url" >/dev/null
  echo "charts: $drawn of $charts drawn offline in $file (screenshot ${file%.html}.png)"
  [ "$drawn" -eq "$charts" ] || bad=1
done
exit "$bad"

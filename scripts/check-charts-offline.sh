#!/usr/bin/env bash
# Checks that the charts in rendered notebooks draw with no network. Each HTML file opens in headless Chromium inside
# a network namespace without interfaces (unshare -n, as root); every SparsityKit chart must then have been drawn by
# plotly.js (which marks its div "js-plotly-plot"), and no two tick labels of one axis may overlap (a script added to
# a copy of the page measures the drawn SVG labels). A screenshot of the page's top 6000 pixels goes beside each file.
# Needs Debian's chromium (scripts/setup.sh installs it). The notebook tests run this on the rendered notebooks.
# usage: scripts/check-charts-offline.sh [--no-screenshot] [FILE.html ...]      default: artifacts/notebooks/*.html
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v chromium >/dev/null || { echo "error: chromium is needed (apt-get install chromium)." >&2; exit 1; }
screenshots=1
if [ "${1:-}" = --no-screenshot ]; then screenshots=0; shift; fi
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(artifacts/notebooks/*.html)

offline() { if [ "$(id -u)" -eq 0 ]; then unshare -n "$@"; else sudo unshare -n "$@"; fi; }
browse() { offline chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=20000 "$@" 2>/dev/null; }

# Counts, once the charts have drawn, the pairs of tick labels of one axis whose boxes overlap, into a body attribute.
measure_ticks='<script>window.addEventListener("load", function () { setTimeout(function () {
  var found = [];
  document.querySelectorAll(".js-plotly-plot .xaxislayer-above, .js-plotly-plot .yaxislayer-above").forEach(function (axis) {
    var boxes = Array.prototype.map.call(axis.querySelectorAll("text"), function (t) { return [t.textContent, t.getBoundingClientRect()]; })
      .filter(function (b) { return b[0] && b[1].width > 0; });
    for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
      var a = boxes[i][1], b = boxes[j][1];
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) found.push(boxes[i][0] + "/" + boxes[j][0]);
    }
  });
  document.body.setAttribute("data-tick-overlaps", found.length + (found.length ? ": " + found.slice(0, 5).join(", ") : ""));
}, 4000); });</script>'

bad=0
for file in "${files[@]}"; do
  [ -f "$file" ] || { echo "error: no file $file" >&2; bad=1; continue; }
  folder=$(cd "$(dirname "$file")" && pwd)
  url="file://$folder/$(basename "$file")"
  probe="$folder/.ticks-$(basename "$file")"
  { cat "$file"; echo "$measure_ticks"; } >"$probe"
  dom=$(browse --dump-dom "file://$probe")
  rm -f "$probe"
  charts=$(grep -o 'class="sparsitykit-chart[^"]*"' <<<"$dom" | wc -l)
  drawn=$(grep -o 'class="sparsitykit-chart[^"]*js-plotly-plot[^"]*"' <<<"$dom" | wc -l)
  overlaps=$(grep -o 'data-tick-overlaps="[^"]*"' <<<"$dom" | sed 's/data-tick-overlaps="\(.*\)"/\1/')
  if [ "$charts" -gt 0 ] && [ "${overlaps%%:*}" != 0 ]; then
    echo "error: $file: overlapping tick labels: ${overlaps:-not measured}" >&2
    bad=1
  fi
  if [ "$screenshots" = 1 ]; then
    browse --window-size=1100,6000 --screenshot="${file%.html}.png" "$url" >/dev/null
    echo "charts: $drawn of $charts drawn offline in $file (screenshot ${file%.html}.png)"
  else
    echo "charts: $drawn of $charts drawn offline in $file"
  fi
  [ "$drawn" -eq "$charts" ] || bad=1
done
exit "$bad"

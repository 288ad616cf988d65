#!/usr/bin/env sh
# Screenshot a report.html in headless Chromium, to check how it reads on a screen, and
# optionally print it to PDF as a browser would (Letter landscape, per the page's @page rule).
# Needs chromium (Debian/Ubuntu: apt-get install -y chromium).
#
#   scripts/screenshot-report.sh [REPORT_HTML] [OUT_PNG] [WIDTHxHEIGHT] [OUT_PDF]
#
# Defaults: tipaudit-out/report.html, report.png, 1280x900. Use a tall height (1280x4000) to
# capture more of the page. With OUT_PDF, the page is also printed to that file.
set -eu
html=${1:-tipaudit-out/report.html}
png=${2:-report.png}
size=${3:-1280x900}
pdf=${4:-}
[ -f "$html" ] || { echo "no such file: $html" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium not found (apt-get install -y chromium)" >&2; exit 2; }
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# The network switches keep Chromium itself offline, so the shot also shows that the page
# needs nothing from the network.
set -- --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$profile"
"$browser" "$@" --screenshot="$png" --window-size="$(echo "$size" | tr x ,)" "file://$abs" 2>/dev/null
echo "wrote $png"
if [ -n "$pdf" ]; then
  "$browser" "$@" --no-pdf-header-footer --print-to-pdf="$pdf" "file://$abs" 2>/dev/null
  echo "wrote $pdf"
fi

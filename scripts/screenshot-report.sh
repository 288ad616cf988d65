#!/usr/bin/env sh
# Screenshot a report.html in headless Chromium, to check how it reads on a laptop screen.
# Not run by CI. Needs chromium (Debian/Ubuntu: apt-get install -y chromium).
#
#   scripts/screenshot-report.sh [REPORT_HTML] [OUT_PNG] [WIDTHxHEIGHT]
#
# Defaults: tipaudit-out/report.html, report.png, 1366x900 (a common laptop screen). Use a
# tall height (1366x4000) to capture the whole page.
set -eu
html=${1:-tipaudit-out/report.html}
png=${2:-report.png}
size=${3:-1366x900}
[ -f "$html" ] || { echo "no such file: $html" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium not found (apt-get install -y chromium)" >&2; exit 2; }
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# The network switches keep Chromium itself offline, so the shot also shows that the page
# needs nothing from the network.
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --screenshot="$png" \
  --window-size="$(echo "$size" | tr x ,)" "file://$abs" 2>/dev/null
echo "wrote $png"

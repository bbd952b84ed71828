#!/usr/bin/env bash
# make site: the pkgdown site of the installed fastnma, built in site/ with
# no pkgdown warning and every script, stylesheet and font in the site itself,
# screenshots of three pages taken in headless Chromium (site/screenshots/),
# and every local link of the built HTML checked, with no page loading a
# script or stylesheet from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=${SITE_DIR:-site}
case "$DEST" in /*) ;; *) DEST="$PWD/$DEST" ;; esac  # the browser needs absolute paths
ISOLATED="$PWD/tools/isolated"

# The site's own copies of its scripts, stylesheets and fonts (tools/site.R
# puts them in $DEST/deps/): the npm packages of tools/site-assets/package.json,
# installed by `make deps-site` (tools/install-deps.sh site).
if [ ! -f tools/site-assets/node_modules/.installed-package.json ]; then
  echo "the site's npm assets are not installed: run make deps-site"; exit 1
fi

"$ISOLATED" Rscript tools/site.R "$DEST"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
shots="$DEST/screenshots"
mkdir -p "$shots"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# --virtual-time-budget lets the page's scripts run (MathJax typesets the maths
# of nma(), the table of contents of Getting started fills) before the shot.
for page in index.html reference/nma.html articles/getting-started.html; do
  out="$shots/$(echo "$page" | sed 's#/#-#g; s#\.html$##').png"
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$profile" --window-size=1280,2000 --virtual-time-budget=15000 \
    --screenshot="$out" "file://$DEST/$page" >/dev/null 2>&1
  if [ ! -s "$out" ]; then echo "no screenshot of $page"; exit 1; fi
  echo "screenshot: $out"
done

"$ISOLATED" Rscript tools/site-links.R "$DEST"

# Every page in headless Chromium at 1280 and 390 px (a laptop and a phone):
# no page may scroll sideways, no <img> may lack a src or an alt
# (tools/site-browser.mjs; screenshots of three pages at both widths too).
# Node 20 needs --experimental-websocket for its WebSocket; later Nodes have it.
node_ws=()
if ! node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
  node_ws=(--experimental-websocket)
fi
CHROMIUM="$CHROMIUM" node --no-warnings "${node_ws[@]}" tools/site-browser.mjs "$DEST" "$shots"

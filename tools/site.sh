#!/usr/bin/env bash
# make site: the pkgdown site of the installed fastnma, built in site/ with
# no pkgdown warning, screenshots of three pages taken in headless Chromium
# (site/screenshots/), and every local link of the built HTML checked.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=${SITE_DIR:-site}
ISOLATED="$PWD/tools/isolated"

"$ISOLATED" Rscript tools/site.R "$DEST"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
shots="$DEST/screenshots"
mkdir -p "$shots"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for page in index.html reference/nma.html articles/getting-started.html; do
  out="$shots/$(echo "$page" | sed 's#/#-#g; s#\.html$##').png"
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$profile" --window-size=1280,2000 \
    --screenshot="$PWD/$out" "file://$PWD/$DEST/$page" >/dev/null 2>&1
  if [ ! -s "$out" ]; then echo "no screenshot of $page"; exit 1; fi
  echo "screenshot: $out"
done

"$ISOLATED" Rscript tools/site-links.R "$DEST"

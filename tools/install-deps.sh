#!/usr/bin/env bash
# Installs the environment pinned in tools/dependencies.tsv, and says what it
# installed. Usage: tools/install-deps.sh [check|site] [--dry-run] [--pins FILE]
#   check (default; make deps, check, test, demo): the rows marked "check";
#   site (make site): every row, also the browser and pkgdown, and the npm
#     packages of tools/site-assets/package.json.
# * rows with source "debian" or "system": Debian's binary packages with
#   apt-get (as root, or through sudo). tools/plan-deps.R decides the
#   versions: the pinned one where the archive still serves it, else the one
#   the release serves now (said in one line of the log); set-up stops only
#   below DESCRIPTION's minimum versions.
# * rows with source "cran" (packages Debian lacks, such as meta and
#   netmeta): the pinned version's source package from the repository R is
#   configured with (getOption("repos")), built into the project-local
#   library (tools/isolated: .Rlib/ unless FASTNMA_LIB says otherwise). A
#   repository keeps every released version in its archive, so these pins hold.
# --dry-run prints the plan of the Debian side and installs nothing.
# Safe to run again: what is already there at the planned version is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pins="$root/tools/dependencies.tsv"
target=check; dry=""
while [ $# -gt 0 ]; do
  case "$1" in
    check|site) target=$1 ;;
    --dry-run) dry=--dry-run ;;
    --pins) shift; pins=$1 ;;
    *) echo "usage: tools/install-deps.sh [check|site] [--dry-run] [--pins FILE]" >&2; exit 2 ;;
  esac
  shift
done

# --- Debian -----------------------------------------------------------------
plan=$(mktemp); trap 'rm -f "$plan"' EXIT
# base R only, before anything is installed: no site or user profile
Rscript --vanilla "$root/tools/plan-deps.R" "$pins" "$target" "$plan" $dry
if [ -n "$dry" ]; then exit 0; fi
if [ -s "$plan" ]; then
  mapfile -t todo < "$plan"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    --allow-downgrades "${todo[@]}"
fi

# --- CRAN, into the project-local library ------------------------------------
"$root/tools/isolated" Rscript "$root/tools/install-cran.R" "$pins" "$target"

# --- npm, for the site only ----------------------------------------------------
if [ "$target" = site ]; then
  ASSETS="$root/tools/site-assets"
  if ! cmp -s "$ASSETS/package.json" "$ASSETS/node_modules/.installed-package.json"; then
    (cd "$ASSETS" && npm install --no-package-lock --no-save --ignore-scripts \
      --no-audit --no-fund --loglevel=error)
    cp "$ASSETS/package.json" "$ASSETS/node_modules/.installed-package.json"
  fi
  echo "npm: site assets of tools/site-assets/package.json present."
fi

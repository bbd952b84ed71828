#!/usr/bin/env bash
# Installs exactly the environment pinned in tools/dependencies.tsv, and says
# what it installed:
# * rows with source "debian" or "system": Debian's binary packages at the
#   pinned versions, with apt-get (as root, or through sudo);
# * rows with source "cran" (packages Debian lacks, such as meta and
#   netmeta): the pinned version's source package from the repository R is
#   configured with (getOption("repos")), built into the project-local
#   library (tools/isolated: .Rlib/ unless FASTNMA_LIB says otherwise).
# Safe to run again: what is already there at the pinned version is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pins="$root/tools/dependencies.tsv"

# --- Debian -----------------------------------------------------------------
mapfile -t debs < <(awk -F'\t' '!/^#/ && $1 != "package" && ($3 == "debian" || $3 == "system") { print $4 "=" $5 }' "$pins")
missing=()
for pv in "${debs[@]}"; do
  p=${pv%%=*}; v=${pv#*=}
  have=$(dpkg-query -W -f='${Status} ${Version}' "$p" 2>/dev/null || true)
  [ "$have" = "install ok installed $v" ] || missing+=("$pv")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Debian: installing ${#missing[@]} pinned package(s): ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    --allow-downgrades "${missing[@]}"
else
  echo "Debian: all ${#debs[@]} pinned packages present at their pinned versions."
fi

# --- CRAN, into the project-local library ------------------------------------
"$root/tools/isolated" Rscript "$root/tools/install-cran.R" "$pins"

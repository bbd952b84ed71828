#!/usr/bin/env bash
# Installs everything fastnma needs to build, check, test and render its
# vignettes on a fresh Debian machine with R: Debian's r-cran-* binaries where
# they exist (fast, no compilation), CRAN for what Debian lacks (meta,
# netmeta). Safe to run again: it only installs what is missing.
set -euo pipefail

debs="r-cran-rcpp r-cran-rcppeigen r-cran-cli r-cran-rlang r-cran-generics
  r-cran-testthat r-cran-metafor r-cran-ggplot2 r-cran-ggrepel r-cran-vdiffr
  r-cran-knitr r-cran-rmarkdown r-cran-roxygen2 r-cran-magic r-cran-mathjaxr
  r-cran-xml2 r-cran-lme4 r-cran-scales r-cran-svglite r-cran-igraph
  r-cran-bench r-cran-mvtnorm r-cran-ragg pandoc qpdf tidy"

missing=""
for p in $debs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "Installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi

# meta and netmeta are not packaged by Debian: install the newest CRAN
# versions (CRAN builds them from source for this R).
Rscript -e '
repos <- c(CRAN = Sys.getenv("CRAN_MIRROR", "https://cloud.r-project.org"))
need <- c("meta", "netmeta")
need <- need[!vapply(need, requireNamespace, logical(1), quietly = TRUE)]
if (length(need)) {
  message("Installing from CRAN: ", paste(need, collapse = ", "))
  install.packages(need, repos = repos, Ncpus = 2L)
}
for (p in c("meta", "netmeta")) {
  if (!requireNamespace(p, quietly = TRUE)) stop("could not install ", p)
  message(p, " ", format(utils::packageVersion(p)))
}'

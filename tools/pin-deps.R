# Regenerates tools/dependencies.tsv, the one file that pins the environment
# fastnma is built, checked, tested and demonstrated against.
#
# Usage (maintainers, after changing DESCRIPTION or moving to a new Debian
# release): tools/isolated Rscript tools/pin-deps.R
#
# Every R package that fastnma needs (DESCRIPTION's Depends, Imports,
# LinkingTo and Suggests, the development tools listed in `extra` below, and
# all of their strong dependencies, recursively) gets one row:
#   package  version  source  deb_package  deb_version
# source "debian": Debian's r-cran-* binary of the running Debian release is
#   used, at the version Debian ships (the installed one, if it is installed,
#   else apt's candidate);
# source "cran": Debian does not package it; the exact version is taken from
#   the repository R is configured with (getOption("repos")), built from
#   source into the project-local library. Rows are in installation order.
# System tools (pandoc, qpdf, tidy; chromium for the screenshots of the
# documentation site) get rows with source "system".
# Packages of base R (Priority: base) are part of R itself and not listed.
options(warn = 1)
extra <- c("roxygen2", "bench", "callr", "dplyr", "tibble", "vctrs",
           "future", "future.apply", "pkgdown")
system_tools <- c("pandoc", "qpdf", "tidy", "chromium")

desc <- read.dcf("DESCRIPTION")
fields <- intersect(c("Depends", "Imports", "LinkingTo", "Suggests"), colnames(desc))
parse_deps <- function(x) {
  x <- unlist(strsplit(gsub("\n", " ", x), ","))
  x <- trimws(sub("\\(.*$", "", x))
  x[nzchar(x) & x != "R"]
}
roots <- unique(c(unlist(lapply(desc[1, fields], parse_deps)), extra))
base_pkgs <- rownames(utils::installed.packages(priority = "base"))

ap <- utils::available.packages()
deb_name <- function(p) paste0("r-cran-", tolower(p))
deb_version <- function(deb) {
  v <- suppressWarnings(system2("dpkg-query", c("-W", "-f='${Version}'", deb),
                                stdout = TRUE, stderr = FALSE))
  if (length(v) && nzchar(v[1])) return(gsub("'", "", v[1]))
  pol <- suppressWarnings(system2("apt-cache", c("policy", deb), stdout = TRUE, stderr = FALSE))
  cand <- sub("^\\s*Candidate:\\s*", "", grep("Candidate:", pol, value = TRUE))
  if (length(cand) && cand[1] != "(none)") cand[1] else NA_character_
}
# The R package version inside a Debian version: drop the epoch, the
# Debian revision ("-1", "-1+b1") and repackaging suffixes ("+dfsg").
deb_to_r <- function(v) {
  v <- sub("^[0-9]+:", "", v)
  v <- sub("-[0-9][0-9a-z.+~]*$", "", v)
  sub("\\+(dfsg|ds)[0-9.]*$", "", v)
}
pkg_deps <- function(p, src) {
  d <- if (src == "debian" && requireNamespace(p, quietly = TRUE)) {
    utils::packageDescription(p)
  } else {
    as.list(ap[p, ])
  }
  unique(unlist(lapply(d[intersect(c("Depends", "Imports", "LinkingTo"), names(d))],
                       function(f) if (is.na(f[1])) character() else parse_deps(f))))
}

rows <- list()
seen <- character()
visit <- function(p) {
  if (p %in% c(seen, base_pkgs)) return(invisible())
  seen <<- c(seen, p)
  deb <- deb_name(p)
  dv <- deb_version(deb)
  src <- if (!is.na(dv)) "debian" else "cran"
  if (src == "cran" && !p %in% rownames(ap)) stop("package ", p, " is neither in Debian nor in the repository")
  for (q in pkg_deps(p, src)) visit(q)
  rows[[length(rows) + 1L]] <<- data.frame(
    package = p,
    version = if (src != "debian") ap[p, "Version"] else if (nzchar(system.file(package = p)))
      utils::packageDescription(p)$Version else deb_to_r(dv),
    source = src,
    deb_package = if (src == "debian") deb else "-",
    deb_version = if (src == "debian") dv else "-",
    stringsAsFactors = FALSE)
}
for (p in roots) visit(p)
tab <- do.call(rbind, rows)
sys <- data.frame(package = system_tools, version = "-", source = "system",
                  deb_package = system_tools,
                  deb_version = vapply(system_tools, deb_version, ""),
                  stringsAsFactors = FALSE)
tab <- rbind(tab, sys)
# Needed only by make site: the browser and pkgdown with what only it uses.
site_only <- c("chromium", "pkgdown", "downlit", "whisker", "httr")
tab[["for"]] <- ifelse(tab$package %in% site_only, "site", "check")
if (anyNA(tab$deb_version)) stop("no Debian version for ", paste(tab$package[is.na(tab$deb_version)], collapse = ", "))
out <- "tools/dependencies.tsv"
con <- file(out, "w")
writeLines(c(
  "# The environment fastnma is checked against: one row per dependency, exact versions.",
  "# source debian: Debian's binary package deb_package at deb_version (apt-get, system library);",
  "# source cran: not packaged by Debian; this exact version from getOption(\"repos\"), built into",
  "#   the project-local library; source system: a command-line tool from Debian.",
  "# Installed by tools/install-deps.sh (make deps); checked by tools/env-report.R at the start",
  "# of every check. Regenerate with: tools/isolated Rscript tools/pin-deps.R",
  "# for: check (make deps/check/test/demo install it) or site (only make site needs it).",
  "# A Debian version no longer served is replaced by the served one (tools/plan-deps.R)."), con)
utils::write.table(tab, con, sep = "\t", quote = FALSE, row.names = FALSE)
close(con)
cat(sprintf("%s: %d rows (%d debian, %d cran, %d system)\n", out, nrow(tab),
            sum(tab$source == "debian"), sum(tab$source == "cran"), sum(tab$source == "system")))

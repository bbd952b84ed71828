# Says what a check runs against, and checks it against the pinned
# environment (tools/dependencies.tsv): the library paths, then R and the key
# dependencies with their versions and libraries. Stops if any pinned R
# package is missing, is at another version, or is found outside the library
# its source says (Debian's system library for "debian", the project-local
# library for "cran").
# Run by `make check`/`make test`/`make demo` (through tools/isolated) and at
# the start of the test run (tests/testthat.R sources it when
# FASTNMA_ENV_REPORT points here). Inside R CMD check --as-cran the test
# run sees only the packages DESCRIPTION declares (through a temporary
# library of links), so there every package found is compared, and the key
# ones must be found.
local({
  pins <- Sys.getenv("FASTNMA_DEPENDENCIES", "tools/dependencies.tsv")
  cat("fastnma check environment\n")
  cat("  library paths:\n", paste0("    ", .libPaths(), "\n"), sep = "")
  cat("  R: ", R.version$version.string, "\n", sep = "")
  key <- c("Rcpp", "RcppEigen", "ggplot2", "vdiffr", "netmeta", "meta", "metafor",
           "testthat", "cli", "rlang")
  where <- function(p) {
    f <- find.package(p, quiet = TRUE)
    if (length(f)) f[1] else NA_character_
  }
  ver <- function(p) {
    f <- where(p)
    if (is.na(f)) NA_character_ else read.dcf(file.path(f, "DESCRIPTION"), "Version")[1, 1]
  }
  for (p in key) cat(sprintf("  %-10s %-10s %s\n", p, ver(p), dirname(normalizePath(where(p)))))
  if (!file.exists(pins)) {
    cat("  (no pinned file at ", pins, ": versions not compared)\n", sep = "")
    return(invisible())
  }
  tab <- utils::read.delim(pins, comment.char = "#", colClasses = "character", check.names = FALSE)
  tab <- tab[tab$source %in% c("debian", "cran"), ]
  # rows needed only by the site are compared only when they are there
  if ("for" %in% names(tab)) tab <- tab[tab[["for"]] == "check" | !is.na(vapply(tab$package, where, "")), ]
  # DESCRIPTION's minimum versions: a Debian binary the archive no longer
  # serves is replaced by the served one (tools/plan-deps.R), never below these
  desc <- file.path(dirname(dirname(normalizePath(pins))), "DESCRIPTION")
  minimum <- character()
  if (file.exists(desc)) {
    d <- read.dcf(desc)
    x <- trimws(unlist(strsplit(gsub("\n", " ", paste(d[1, intersect(c("Depends", "Imports", "LinkingTo", "Suggests"), colnames(d))], collapse = ",")), ",")))
    x <- x[grepl(">=", x, fixed = TRUE)]
    minimum <- stats::setNames(trimws(sub(".*>=\\s*([^)]*)\\).*", "\\1", x)), trimws(sub("\\s*\\(.*$", "", x)))
  }
  snapshot_sensitive <- c("ggplot2", "svglite", "vdiffr", "Rcpp", "RcppEigen", "systemfonts",
                          "gdtools", "fontquiver", "fontBitstreamVera", "fontLiberation", "scales", "gtable")
  in_check <- nzchar(Sys.getenv("_R_CHECK_PACKAGE_NAME_"))
  if (in_check) tab <- tab[tab$package %in% key | !is.na(vapply(tab$package, where, "")), ]
  lib <- Sys.getenv("FASTNMA_LIB")
  # Debian's system libraries: R's own and the one apt-get installs into
  sys_lib <- normalizePath(file.path(R.home(), c("library", "site-library")), mustWork = FALSE)
  bad <- character(); subst <- character(); loud <- character()
  for (i in seq_len(nrow(tab))) {
    p <- tab$package[i]
    f <- where(p)
    if (is.na(f)) { bad <- c(bad, sprintf("%s: not installed (pinned %s)", p, tab$version[i])); next }
    v <- ver(p)
    if (package_version(v) != package_version(tab$version[i])) {
      if (tab$source[i] == "cran") {
        # the repository's archive keeps every version: a CRAN pin holds exactly
        bad <- c(bad, sprintf("%s: %s found, %s pinned", p, v, tab$version[i]))
      } else if (!is.na(minimum[p]) && package_version(v) < package_version(minimum[p])) {
        bad <- c(bad, sprintf("%s: %s found, below the minimum %s of DESCRIPTION", p, v, minimum[p]))
      } else {
        subst <- c(subst, sprintf("%s %s (pinned %s; the archive no longer serves it)", p, v, tab$version[i]))
        if (p %in% snapshot_sensitive) {
          loud <- c(loud, sprintf("*** %s %s is used instead of the pinned %s: the figure snapshots were made with %s, so a snapshot difference may come from this ***",
                                  p, v, tab$version[i], tab$version[i]))
        }
      }
    }
    d <- dirname(normalizePath(f))
    ok_lib <- if (tab$source[i] == "debian") d %in% sys_lib else nzchar(lib) && d == normalizePath(lib)
    if (!ok_lib) bad <- c(bad, sprintf("%s: loaded from %s, outside the %s library", p, d, tab$source[i]))
  }
  if (length(bad)) {
    stop("the environment differs from ", pins, ":\n  ", paste(bad, collapse = "\n  "),
         "\nRun `make deps` (tools/install-deps.sh) and check through tools/isolated.", call. = FALSE)
  }
  if (length(subst)) cat("  used instead of the pinned version:\n", paste0("    ", subst, "\n"), sep = "")
  if (length(loud)) cat(paste0("  ", loud, "\n"), sep = "")
  cat(sprintf("  all %d pinned R packages %sat their pinned versions%s (%s)\n", nrow(tab),
              if (in_check) "visible to the check " else "",
              if (length(subst)) sprintf(" or served substitutes (%d)", length(subst)) else "", pins))
})

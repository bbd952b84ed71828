# Part of tools/install-deps.sh: plans the Debian side of the set-up, in
# base R only (it runs before any package is installed).
#
# Usage: Rscript --vanilla tools/plan-deps.R PINS TARGET OUT [--dry-run]
#   PINS    the pin file (tools/dependencies.tsv)
#   TARGET  "check" (make check, test, demo: the rows marked check) or
#           "site" (every row: also the browser and pkgdown)
#   OUT     where to write the packages to install, one "name=version" a line
#
# Pins that cannot rot. A pinned Debian version is the tested, expected one.
# Debian's archive serves only the current version of a release (a security
# or point update replaces a binary and the old one is gone), so:
#   * installed at the pinned version: kept;
#   * the pinned version is served: installed;
#   * the pinned version is no longer served: the version the release serves
#     now is installed (or kept, when it is already there), and one line of
#     the log says so;
#   * set-up stops only when the version used falls below the minimum that
#     DESCRIPTION declares (>=), or when the archive serves no version at all.
# For the packages whose version changes figures or compiled results
# (ggplot2, svglite, vdiffr, Rcpp, RcppEigen and the font stack), a
# substitution is said loudly: the figure snapshots were made with the
# pinned versions. tools/env-report.R prints the versions actually used at
# the start of every check.
args <- commandArgs(TRUE)
dry_run <- "--dry-run" %in% args
args <- setdiff(args, "--dry-run")
if (length(args) != 3L) stop("usage: plan-deps.R PINS TARGET OUT [--dry-run]")
pins <- args[1]; target <- args[2]; out <- args[3]
if (!target %in% c("check", "site")) stop("TARGET must be \"check\" or \"site\"")

tab <- utils::read.delim(pins, comment.char = "#", colClasses = "character", check.names = FALSE)
if (!"for" %in% names(tab)) tab[["for"]] <- "check"
tab <- tab[tab$source %in% c("debian", "system"), ]
if (target == "check") tab <- tab[tab[["for"]] == "check", ]

snapshot_sensitive <- c("ggplot2", "svglite", "vdiffr", "Rcpp", "RcppEigen",
                        "systemfonts", "gdtools", "fontquiver", "fontBitstreamVera",
                        "fontLiberation", "scales", "gtable")

# DESCRIPTION's minimum versions (the versions fastnma was tested with).
root <- dirname(dirname(normalizePath(pins)))
desc_file <- file.path(root, "DESCRIPTION")
minimum <- character()
if (file.exists(desc_file)) {
  d <- read.dcf(desc_file)
  f <- intersect(c("Depends", "Imports", "LinkingTo", "Suggests"), colnames(d))
  x <- trimws(unlist(strsplit(gsub("\n", " ", paste(d[1, f], collapse = ",")), ",")))
  x <- x[grepl(">=", x, fixed = TRUE)]
  minimum <- stats::setNames(trimws(sub(".*>=\\s*([^)]*)\\).*", "\\1", x)),
                             trimws(sub("\\s*\\(.*$", "", x)))
}
# The R package version inside a Debian version: no epoch, no Debian
# revision, no repackaging suffix.
deb_to_r <- function(v) {
  v <- sub("^[0-9]+:", "", v)
  v <- sub("-[0-9][0-9a-z.+~]*$", "", v)
  sub("\\+(dfsg|ds)[0-9.]*$", "", v)
}
sh <- function(cmd, args) {
  suppressWarnings(system2(cmd, args, stdout = TRUE, stderr = FALSE))
}
dpkg_ge <- function(a, b) {
  identical(suppressWarnings(system2("dpkg", c("--compare-versions", shQuote(a), "ge", shQuote(b)),
                                     stdout = FALSE, stderr = FALSE)), 0L)
}

installed <- function(pkgs) {
  x <- sh("dpkg-query", c("-W", "-f='${Package}\\t${Status}\\t${Version}\\n'", pkgs))
  x <- strsplit(gsub("'", "", x), "\t")
  x <- Filter(function(r) length(r) == 3L && r[2] == "install ok installed", x)
  stats::setNames(vapply(x, `[`, "", 3), vapply(x, `[`, "", 1))
}
served <- function(pkgs) {
  x <- sh("apt-cache", c("madison", pkgs))
  x <- strsplit(x, "\\s*\\|\\s*")
  x <- Filter(function(r) length(r) >= 2L, x)
  split(trimws(vapply(x, `[`, "", 2)), trimws(vapply(x, `[`, "", 1)))
}
candidate <- function(p) {
  pol <- sh("apt-cache", c("policy", p))
  cand <- sub("^\\s*Candidate:\\s*", "", grep("Candidate:", pol, value = TRUE))
  if (length(cand) && cand[1] != "(none)") cand[1] else NA_character_
}

have <- installed(tab$deb_package)
pending <- tab$deb_package[is.na(have[tab$deb_package]) | have[tab$deb_package] != tab$deb_version]
if (!length(pending)) {
  cat(sprintf("Debian: all %d pinned packages present at their pinned versions.\n", nrow(tab)))
  writeLines(character(), out)
  quit(save = "no")
}

# Something is missing or at another version: ask the archive what it serves
# now (apt's lists are refreshed first, as apt-cache needs).
if (Sys.getenv("FASTNMA_APT_UPDATE", "true") == "true") {
  is_root <- identical(sh("id", "-u"), "0")
  upd <- system2(if (is_root) "apt-get" else "sudo", c(if (!is_root) "apt-get", "update", "-qq"),
                 stdout = FALSE, stderr = FALSE)
  if (!identical(upd, 0L)) cat("Debian: apt-get update failed; planning from apt's current lists.\n")
}
srv <- served(pending)

install <- character(); notes <- character(); loud <- character(); fail <- character()
for (i in which(tab$deb_package %in% pending)) {
  p <- tab$package[i]; deb <- tab$deb_package[i]; pin <- tab$deb_version[i]
  inst <- unname(have[deb]); avail <- srv[[deb]]
  if (pin %in% avail) {
    install <- c(install, paste0(deb, "=", pin))
    next
  }
  use <- if (length(avail)) candidate(deb) else NA_character_
  if (is.na(use) && length(avail)) use <- avail[1]
  if (is.na(use)) {
    if (!is.na(inst)) {
      use <- inst
    } else {
      fail <- c(fail, sprintf("%s: pinned %s is not served and the archive serves no version of it", deb, pin))
      next
    }
  }
  r_min <- minimum[p]
  if (tab$source[i] == "debian" && !is.na(r_min) &&
      package_version(deb_to_r(use)) < package_version(r_min)) {
    fail <- c(fail, sprintf("%s: the archive serves %s (R package %s %s), below the minimum %s that DESCRIPTION declares",
                            deb, use, p, deb_to_r(use), r_min))
    next
  }
  notes <- c(notes, sprintf("Debian: %s %s pinned, no longer served; using %s (served now)%s",
                            deb, pin, use, if (identical(inst, use)) ", already installed" else ""))
  if (!identical(inst, use)) install <- c(install, paste0(deb, "=", use))
  if (p %in% snapshot_sensitive) {
    loud <- c(loud, sprintf(paste0("NOTE: %s %s is used instead of the pinned %s: the figure ",
                                   "snapshots were made with %s; a snapshot difference may come from this."),
                            p, deb_to_r(use), deb_to_r(pin), deb_to_r(pin)))
  }
}
if (length(notes)) cat(notes, sep = "\n")
if (length(loud)) cat(paste0("*** ", loud), sep = "\n")
if (length(fail)) {
  cat("Debian: set-up cannot go on:\n", paste0("  ", fail, "\n"), sep = "")
  quit(save = "no", status = 1)
}
if (length(install)) {
  cat(sprintf("Debian: %s %d package(s): %s\n", if (dry_run) "would install" else "installing",
              length(install), paste(install, collapse = " ")))
}
writeLines(install, out)

# Part of tools/install-deps.sh: installs the rows of tools/dependencies.tsv
# with source "cran" into the project-local library, at their exact versions,
# from the repository R is configured with. Run through tools/isolated.
args <- commandArgs(TRUE)
pins <- args[1]
target <- if (length(args) > 1) args[2] else "check"
lib <- Sys.getenv("FASTNMA_LIB")
tab <- utils::read.delim(pins, comment.char = "#", colClasses = "character", check.names = FALSE)
if (!"for" %in% names(tab)) tab[["for"]] <- "check"
cran <- tab[tab$source == "cran", ]
# rows for the site only are kept when there but installed only for the site
keep <- cran$package
if (target == "check") cran <- cran[cran[["for"]] == "check", ]
repo <- getOption("repos")[["CRAN"]]
if (is.null(repo) || !nzchar(repo) || repo == "@CRAN@") {
  stop("getOption(\"repos\") names no CRAN repository; set one in R's site profile.")
}
have <- function(p) {
  f <- file.path(lib, p, "DESCRIPTION")
  if (file.exists(f)) unname(read.dcf(f, "Version")[1, 1]) else NA_character_
}
# Anything in the project library that the pinned file does not list goes.
extra <- setdiff(list.files(lib), c(keep, "fastnma"))
if (length(extra)) {
  message("Project library: removing unpinned ", paste(extra, collapse = ", "))
  unlink(file.path(lib, extra), recursive = TRUE)
}
installed <- character()
for (i in seq_len(nrow(cran))) {
  p <- cran$package[i]; v <- cran$version[i]
  if (identical(have(p), v)) next
  tarball <- sprintf("%s_%s.tar.gz", p, v)
  dest <- file.path(tempdir(), tarball)
  urls <- c(file.path(utils::contrib.url(repo, "source"), tarball),
            file.path(utils::contrib.url(repo, "source"), "Archive", p, tarball))
  ok <- FALSE
  for (u in urls) {
    ok <- tryCatch(utils::download.file(u, dest, quiet = TRUE, mode = "wb") == 0,
                   error = function(e) FALSE, warning = function(w) FALSE)
    if (ok) break
  }
  if (!ok) stop("could not download ", tarball, " from the configured repository")
  utils::install.packages(dest, lib = lib, repos = NULL, type = "source", quiet = TRUE)
  if (!identical(have(p), v)) stop("installing ", p, " ", v, " into ", lib, " failed")
  installed <- c(installed, paste(p, v))
}
if (length(installed)) {
  message("CRAN: installed into ", lib, ": ", paste(installed, collapse = ", "))
} else {
  message("CRAN: all ", nrow(cran), " pinned packages present in ", lib, ".")
}

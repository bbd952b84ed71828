library(testthat)
library(fastnma)

# Say what this run is checked against: the library paths and the versions of
# the key dependencies. Under `make check` the full report also compares
# every dependency with the pinned environment (tools/dependencies.tsv).
report <- Sys.getenv("FASTNMA_ENV_REPORT")
if (nzchar(report) && file.exists(report)) {
  source(report)
} else {
  cat("library paths:", .libPaths(), sep = "\n  ")
  for (p in c("Rcpp", "RcppEigen", "ggplot2", "vdiffr", "netmeta", "meta", "metafor")) {
    cat(sprintf("%-10s %s\n", p, tryCatch(format(utils::packageVersion(p)),
                                          error = function(e) "not installed")))
  }
}

# A clock per test file (tests/testthat/helper-clock.R): the ten slowest
# files are listed at the end of the log, so a test file that grows slow is
# seen. The files run in two processes (Config/testthat/parallel).
clock <- tempfile("test-clock-", fileext = ".tsv")
Sys.setenv(FASTNMA_TEST_CLOCK = clock)
list_slowest <- function() {
  if (!file.exists(clock)) return(invisible())
  t <- utils::read.delim(clock, header = FALSE, col.names = c("file", "seconds"))
  t <- t[order(-t$seconds), ]
  cat(sprintf("\nslowest test files (%d files, %.0f s of test-process time in all):\n",
              nrow(t), sum(t$seconds)))
  top <- utils::head(t, 10)
  cat(sprintf("  %6.1f s  %s\n", top$seconds, top$file), sep = "")
  cat("end of slowest test files\n")
}
tryCatch(test_check("fastnma"), finally = list_slowest())

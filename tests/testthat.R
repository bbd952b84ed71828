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

# The check reporter, and a clock per test file: the ten slowest files are
# listed at the end of the log, so a test file that grows slow is seen.
reporter <- check_reporter()
if (requireNamespace("R6", quietly = TRUE)) {
  FileClock <- R6::R6Class("FileClock", inherit = Reporter, public = list(
    seconds = numeric(), file = NULL, start = NULL,
    start_file = function(filename) {
      self$file <- filename
      self$start <- proc.time()[["elapsed"]]
    },
    end_file = function() {
      self$seconds[self$file] <- proc.time()[["elapsed"]] - self$start
    },
    end_reporter = function() {
      s <- sort(self$seconds, decreasing = TRUE)
      cat(sprintf("\nslowest test files (%d files, %.0f s in all):\n", length(s), sum(s)))
      top <- utils::head(s, 10)
      cat(sprintf("  %6.1f s  %s\n", top, names(top)), sep = "")
      cat("end of slowest test files\n")
    }
  ))
  reporter <- MultiReporter$new(list(reporter, FileClock$new()))
}
test_check("fastnma", reporter = reporter)

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

test_check("fastnma")

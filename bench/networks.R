# Random connected networks for the benchmarks: the generator of the test
# suite (tests/testthat/helper-networks.R), sourced rather than copied.
# Run the benchmark scripts from the package root, or set FASTNMA_ROOT.
local({
  root <- Sys.getenv("FASTNMA_ROOT", ".")
  helper <- file.path(root, "tests", "testthat", "helper-networks.R")
  if (!file.exists(helper)) {
    stop("Cannot find ", helper, ": run from the package root or set FASTNMA_ROOT.",
         call. = FALSE)
  }
  sys.source(helper, envir = globalenv())
})

# The clock behind the list of the ten slowest test files at the end of the
# test log (tests/testthat.R): every test process (two when the files run in
# parallel) appends each file's wall time to the file FASTNMA_TEST_CLOCK
# names. testthat has no per-file hook, so its internal test_one_file() is
# traced (base R's trace(), entry and exit), in test processes only.
local({
  out <- Sys.getenv("FASTNMA_TEST_CLOCK")
  if (nzchar(out) && !isTRUE(getOption("fastnma.test_clock"))) {
    options(fastnma.test_clock = TRUE)
    suppressMessages(trace(
      "test_one_file", where = asNamespace("testthat"), print = FALSE,
      tracer = quote(.clock_start <- proc.time()[["elapsed"]]),
      exit = quote(cat(basename(path), "\t", proc.time()[["elapsed"]] - .clock_start, "\n",
                       sep = "", file = Sys.getenv("FASTNMA_TEST_CLOCK"), append = TRUE))))
  }
})

# Run the adversarial battery (tests/testthat/helper-adversarial.R) against
# the installed package and count the outcomes for the reliability section
# of CONTRIBUTING.md. Each case runs in its own child process, so a crash is
# counted, not fatal. Usage: tools/isolated Rscript tools/adversarial.R
helper <- normalizePath("tests/testthat/helper-adversarial.R")
source(helper)
cases <- adversarial_cases()
run_one <- function(case) {
  tryCatch(callr::r(function(helper, case) {
    suppressPackageStartupMessages(library(fastnma))
    source(helper)
    env <- list2env(adversarial_data(), parent = asNamespace("fastnma"))
    env$with_value <- with_value
    env$finite_tidy <- finite_tidy
    suppressMessages(run_adversarial_case(case, env))
  }, args = list(helper = helper, case = case), libpath = .libPaths()),
  error = function(e) list(outcome = "crash", message = conditionMessage(e)))
}
res <- lapply(cases, run_one)
outcome <- vapply(res, `[[`, character(1), "outcome")
want <- ifelse(vapply(cases, `[[`, character(1), "expect") == "ok", "ok",
               paste0("classed:", vapply(cases, `[[`, character(1), "expect")))
cat(sprintf("cases run: %d\n", length(cases)))
cat(sprintf("as documented (classed error or documented handling): %d\n", sum(outcome == want)))
cat(sprintf("classed errors: %d; documented handling: %d\n",
            sum(startsWith(outcome, "classed:")), sum(outcome == "ok")))
cat(sprintf("crashes: %d\n", sum(outcome == "crash")))
cat(sprintf("silent NaN or wrong results: %d\n", sum(outcome %in% c("wrong", "no_error"))))
cat(sprintf("unclassed errors: %d\n", sum(outcome == "unclassed")))
bad <- outcome != want
if (any(bad)) {
  cat("\nNot as documented:\n")
  for (i in which(bad)) cat(sprintf("  %s: %s (expected %s) %s\n", cases[[i]]$name, outcome[i], want[i], res[[i]]$message))
  quit(status = 1)
}

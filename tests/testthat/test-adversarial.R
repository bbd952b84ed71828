# Every case of the adversarial battery (helper-adversarial.R) ends in its
# documented handling or its classed error. Cases that once crashed R run in
# a child process, so that a regression fails this test instead of killing
# the test run.

test_that("the adversarial battery: documented handling or a classed error, never a crash", {
  cases <- adversarial_cases()
  env <- list2env(adversarial_data(), parent = asNamespace("fastnma"))
  env$with_value <- with_value
  env$finite_tidy <- finite_tidy
  for (case in cases[!vapply(cases, `[[`, logical(1), "crash")]) {
    res <- run_adversarial_case(case, env)
    want <- if (case$expect == "ok") "ok" else paste0("classed:", case$expect)
    expect_identical(res$outcome, want, label = paste0(case$name, " (", res$message, ")"))
  }
})

test_that("inputs that once crashed R are classed errors in a child process", {
  skip_if_not_installed("callr")
  cases <- adversarial_cases()
  crash <- cases[vapply(cases, `[[`, logical(1), "crash")]
  helper <- test_path("helper-adversarial.R")
  out <- callr::r(function(helper, crash) {
    library(fastnma)
    source(helper)
    env <- list2env(adversarial_data(), parent = asNamespace("fastnma"))
    env$with_value <- with_value
    env$finite_tidy <- finite_tidy
    vapply(crash, function(case) run_adversarial_case(case, env)$outcome, character(1))
  }, args = list(helper = helper, crash = crash), libpath = .libPaths())
  want <- ifelse(vapply(crash, `[[`, character(1), "expect") == "ok", "ok",
                 paste0("classed:", vapply(crash, `[[`, character(1), "expect")))
  names(want) <- NULL
  expect_identical(unname(out), want)
})

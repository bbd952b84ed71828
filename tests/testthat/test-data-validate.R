# Checks of arguments and columns (R/data-validate.R).

test_that("check_arg_choice() reads the choices from the caller's signature", {
  pick <- function(type = c("bar", "rankogram", "cumulative")) {
    fastnma:::check_arg_choice(type)
  }
  expect_identical(pick(), "bar")
  expect_identical(pick("cumulative"), "cumulative")
  # matched regardless of case, as check_choice() does
  expect_identical(pick("Rankogram"), "rankogram")
  err <- expect_error(pick("rankgram"), class = "fastnma_error_choice")
  msg <- cli::ansi_strip(conditionMessage(err))
  expect_match(msg, "`type` must be one of", fixed = TRUE)
  expect_match(msg, "rankogram", fixed = TRUE)
  # the whole vector given explicitly is not one choice
  expect_error(pick(c("bar", "rankogram", "cumulative")), class = "fastnma_error_choice")
  # the error names the caller, not the checker
  expect_identical(deparse(err$call[[1]]), "pick")
  # the same through S3 dispatch, as methods use it
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study)
  expect_identical(unique(tidy(fit)$model), "random")
  expect_error(tidy(fit, model = "fixed"), class = "fastnma_error_choice")
})

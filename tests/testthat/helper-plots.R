# Shared fits for the figure tests.
senn_fit <- function() {
  nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
      reference = "plac")
}

smoking_fit <- function() {
  nma(suppressMessages(arm_contrasts(smokingcessation, measure = "OR")),
      reference = "A")
}

fit22 <- function() {
  nma(arm_contrasts(synthetic_network22(), measure = "MD"),
      reference = "Placebo")
}

# Build a plot and check it opened no graphics device.
expect_no_drawing <- function(expr) {
  before <- grDevices::dev.list()
  value <- force(expr)
  testthat::expect_identical(grDevices::dev.list(), before)
  testthat::expect_s3_class(value, "ggplot")
  invisible(value)
}

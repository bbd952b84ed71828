# With no degrees of freedom for Q, tau^2 is not identifiable: every
# estimator gives 0 with a message, in the fit and wherever it is re-estimated.

star <- function(n_treat) {
  set.seed(n_treat)
  others <- paste0("T", seq_len(n_treat - 1L))
  data.frame(study = paste0("s", seq_along(others)), treat1 = others, treat2 = "P",
             estimate = stats::rnorm(length(others), 0, 1),
             std.error = c(0.325, stats::runif(length(others) - 1L, 0.2, 0.5)))
}

test_that("a star with one study per edge gives tau^2 = 0 for every estimator", {
  d <- star(8)
  for (m in c("REML", "ML", "DL", "PM")) {
    expect_message(fit <- nma(d, tau2_method = m, reference = "P"),
                   class = "fastnma_message_tau2_not_identifiable")
    expect_identical(fit$tau2, 0)
    expect_false(fit$tau2_info$identifiable)
    expect_identical(fit$df, 0L)
    # the single study's own standard error, not an inflated one
    tt <- tidy(fit)
    expect_equal(tt$std.error[tt$treat1 == "T1"], 0.325, tolerance = 1e-12)
    expect_equal(coef(fit, model = "random"), coef(fit, model = "common"), tolerance = 1e-12)
  }
})

test_that("a single study and an 800-treatment star give tau^2 = 0", {
  one <- data.frame(study = "s1", treat1 = "A", treat2 = "B", estimate = 0.3,
                    std.error = 0.2)
  expect_message(f1 <- nma(one), class = "fastnma_message_tau2_not_identifiable")
  expect_identical(f1$tau2, 0)
  big <- star(800)
  expect_message(f2 <- nma(big, reference = "P"),
                 class = "fastnma_message_tau2_not_identifiable")
  expect_identical(f2$tau2, 0)
})

test_that("an identifiable network keeps its estimate and gives no message", {
  expect_no_message(fit <- nma(senn2013, TE, seTE, treat1, treat2, study))
  expect_true(fit$tau2_info$identifiable)
  expect_gt(fit$tau2, 0)
})

test_that("leave-one-out re-estimation uses the same rule on reduced networks", {
  # a triangle of three studies: removing any study leaves a tree (df = 0)
  d <- data.frame(study = c("s1", "s2", "s3"),
                  treat1 = c("B", "C", "C"), treat2 = c("A", "A", "B"),
                  estimate = c(0.5, 1.4, -0.6), std.error = c(0.2, 0.25, 0.3))
  fit <- nma(d, tau2_method = "REML")
  expect_identical(fit$df, 1L)
  loo <- leave_one_out(fit)
  tau2 <- loo$studies$tau2
  expect_true(all(is.finite(tau2)))
  expect_true(all(tau2 == 0))
})

# Cumulative, bound and subgroup forests at many comparisons: at most
# max_panels panels by default, chosen as documented, said in the caption.

test_that("cumulative, bind and subgroup figures show at most 12 comparisons by default", {
  arm <- random_arm_network(20, 30, seed = 20)
  fit <- nma(arm_contrasts(arm, measure = "MD"))
  step <- stats::setNames(rep(1:3, length.out = length(fit$studies)), fit$studies)
  cum <- cumulative_nma(fit, step)
  p <- autoplot(cum)
  expect_length(unique(p$data$term), 12L)
  expect_match(p$labels$caption, "12 of 19 comparisons shown: those estimated at the most steps")
  td <- as.data.frame(tidy(cum))
  n_est <- tapply(!is.na(td$estimate), td$term, sum)
  expect_true(all(n_est[unique(p$data$term)] >= sort(n_est, decreasing = TRUE)[12]))
  expect_length(unique(autoplot(cum, max_panels = Inf)$data$term), 19L)
  expect_setequal(unique(autoplot(cum, subset = c("T02", "T03"))$data$treat1), c("T02", "T03"))

  ce <- nma(arm_contrasts(arm, measure = "MD"), tau2 = 0)
  b <- autoplot(nma_bind(random = fit, common = ce))
  expect_length(unique(b$data$term), 12L)
  expect_match(b$labels$caption, "12 of 19 comparisons shown: those whose estimates differ most")
  bd <- as.data.frame(tidy(nma_bind(random = fit, common = ce)))
  spread <- tapply(bd$estimate, bd$term, function(x) diff(range(x)))
  expect_true(all(spread[unique(b$data$term)] >= sort(spread, decreasing = TRUE)[12] - 1e-12))
  expect_fits_device(b, label = "bound forests")
})

test_that("meta-regression figure shows at most 12 comparisons, those with the most studies", {
  arm <- random_arm_network(20, 40, seed = 21)
  fit <- nma(arm_contrasts(arm, measure = "MD"))
  cov <- stats::setNames(seq_along(fit$studies) / length(fit$studies), fit$studies)
  reg <- nma_regression(fit, cov)
  p <- autoplot(reg)
  shown <- levels(droplevels(p$data$term))
  expect_length(shown, 12L)
  expect_match(p$labels$caption, "12 of 19 comparisons shown: those with the most studies against")
  others <- setdiff(fit$treatments, fit$reference)
  n_pts <- table(factor(fastnma:::regression_points(reg, others)$term,
                        levels = paste(others, "vs", fit$reference)))
  expect_true(all(n_pts[shown] >= sort(as.vector(n_pts), decreasing = TRUE)[12]))
  expect_length(levels(droplevels(autoplot(reg, max_panels = Inf)$data$term)), 19L)
})

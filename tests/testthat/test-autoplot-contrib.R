test_that("contribution heat map draws tidy()'s contributions", {
  fit <- senn_fit()
  cb <- contributions(fit)
  p <- expect_no_drawing(autoplot(cb))
  td <- tidy(cb)
  expect_equal(p$data$percent,
               100 * td$contribution[match(paste(p$data$comparison, p$data$direct),
                                           paste(td$term, td$direct))])
  # rows sum to 100%
  expect_equal(as.vector(tapply(p$data$percent, p$data$comparison, sum)),
               rep(100, nrow(cb$weights)), tolerance = 1e-6)
  p2 <- autoplot(cb, rows = c("rosi vs plac", "metf vs acar"))
  expect_setequal(as.character(unique(p2$data$comparison)), c("rosi vs plac", "metf vs acar"))
  expect_error(autoplot(cb, rows = "rosi:plac"), class = "fastnma_error_comparison_selection")
  expect_error(autoplot(cb, rows = "x vs y"), class = "fastnma_error_comparison_selection")
})

test_that("on a large network the heat map shows 45 rows and 30 columns, the rest summed", {
  arm <- random_arm_network(60, 90, p_multi = 0.1, max_arms = 3, seed = 60)
  fit <- nma(arm_contrasts(arm, measure = "MD"))
  cb <- contributions(fit)
  p <- autoplot(cb)
  expect_length(unique(p$data$comparison), 45L)
  expect_length(unique(p$data$direct), 30L)
  expect_equal(as.vector(tapply(p$data$percent, p$data$comparison, sum)),
               rep(100, 45), tolerance = 1e-6)
  expect_match(p$labels$caption, sprintf("45 of %d network estimates shown", nrow(cb$weights)))
  expect_match(p$labels$caption, "the last column sums the other")
})

test_that("large networks show the comparisons with the reference", {
  f22 <- fit22()
  cb <- contributions(f22)
  p <- autoplot(cb, reference = "Placebo")
  shown <- as.character(unique(p$data$comparison))
  expect_length(shown, f22$n - 1)
  expect_true(all(grepl("Placebo", shown)))
})

test_that("snapshots: contributions", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  vdiffr::expect_doppelganger("contrib-senn", autoplot(contributions(senn_fit())))
  vdiffr::expect_doppelganger("contrib-22",
                              autoplot(contributions(fit22()), reference = "Placebo"))
})

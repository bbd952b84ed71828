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

bh_example <- function() {
  eff <- senn_fit()
  trt <- sort(unique(c(senn2013$treat1, senn2013$treat2)))
  g <- stats::setNames(sin(seq_along(trt)) / 4, trt)
  harm_data <- transform(senn2013, TE = -TE / 2 + g[treat1] - g[treat2])
  harm <- nma(harm_data, TE, seTE, treat1, treat2, study, reference = "plac")
  benefit_harm(eff, harm, efficacy_small_values = "desirable")
}

test_that("benefit-harm plot places treatments by benefit_harm()'s values", {
  bh <- bh_example()
  expect_s3_class(bh, "nma_benefit_harm")
  p <- expect_no_drawing(autoplot(bh))
  expect_equal(p$data$pscore_efficacy, bh$pscore_efficacy)
  pts <- ggplot2::layer_data(p, 4)
  expect_equal(pts$x, bh$pscore_efficacy)
  expect_equal(pts$y, bh$pscore_harm)
  p2 <- autoplot(bh, type = "estimate")
  pts2 <- ggplot2::layer_data(p2, 5)
  expect_equal(pts2$x, bh$efficacy)
  expect_equal(pts2$y, bh$harm)
})

test_that("ratio measures are drawn on the ratio scale", {
  eff <- smoking_fit()
  bh <- benefit_harm(eff, eff)
  p <- autoplot(bh, type = "estimate")
  expect_equal(p$data$efficacy, exp(bh$efficacy))
})

test_that("snapshots: benefit-harm", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  bh <- bh_example()
  vdiffr::expect_doppelganger("benefit-harm-pscore", autoplot(bh))
  vdiffr::expect_doppelganger("benefit-harm-estimate", autoplot(bh, type = "estimate"))
})

test_that("beyond 30 treatments only the 25 furthest treatments are labelled, said in the caption", {
  arm <- random_arm_network(40, 60, seed = 40)
  md <- nma(arm_contrasts(arm, measure = "MD"))
  or <- suppressMessages(nma(arm_contrasts(arm, measure = "OR")))
  bh <- benefit_harm(md, or, efficacy_small_values = "undesirable",
                     harm_small_values = "desirable")
  for (type in c("pscore", "estimate")) {
    p <- autoplot(bh, type = type)
    expect_identical(sum(nzchar(p$data$label)), 25L)
    expect_match(p$labels$caption, "40 treatments: the 25 furthest")
  }
  small <- autoplot(benefit_harm(senn_fit(), senn_fit(), efficacy_small_values = "desirable",
                                 harm_small_values = "desirable"))
  expect_true(all(nzchar(small$data$label)))
  expect_null(small$labels$caption)
})

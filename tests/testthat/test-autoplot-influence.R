test_that("leave-one-out plot draws tidy()'s estimates", {
  fit <- senn_fit()
  loo <- leave_one_out(fit)
  p <- expect_no_drawing(autoplot(loo))
  td <- tidy(loo)
  td <- td[td$model == "random", ]
  key <- function(x) paste(x$study, x$treat1)
  expect_equal(p$data$estimate, td$estimate[match(key(p$data), key(td))])
  lines <- ggplot2::layer_data(p, 1)
  expect_setequal(round(lines$xintercept, 10), round(unname(coef(fit)), 10))
  p2 <- autoplot(loo, model = "common", treatments = c("rosi", "metf"))
  expect_setequal(unique(p2$data$treat1), c("rosi", "metf"))
  expect_error(autoplot(loo, treatments = "plac"), class = "fastnma_error_treatment_selection")
})

test_that("leave-one-out statistics are the per-study table's", {
  loo <- leave_one_out(senn_fit())
  p <- autoplot(loo, type = "statistics")
  g <- loo$studies
  q <- p$data[p$data$statistic == "Q", ]
  expect_equal(q$value, g$Q[match(q$study, g$study)])
})

test_that("snapshots: influence", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  loo <- leave_one_out(senn_fit())
  vdiffr::expect_doppelganger("influence-senn", autoplot(loo))
  vdiffr::expect_doppelganger("influence-senn-statistics", autoplot(loo, type = "statistics"))
  loo22 <- leave_one_out(fit22())
  vdiffr::expect_doppelganger("influence-22",
                              autoplot(loo22, treatments = c("Alvoxetine 20 mg", "Brimelant 20 mg",
                                                             "Corvadil 20 mg", "Gavistat 5 mg")))
  vdiffr::expect_doppelganger("influence-22-statistics", autoplot(loo22, type = "statistics"))
})

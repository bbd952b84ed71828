test_that("leave-one-out plot draws tidy()'s estimates", {
  fit <- senn_fit()
  loo <- leave_one_out(fit)
  p <- expect_no_drawing(autoplot(loo))
  td <- tidy(loo)
  td <- td[td$model == "random", ]
  key <- function(x) paste(x$study, x$treat1)
  expect_equal(p$data$estimate, td$estimate[match(key(p$data), key(td))])
  # the full-network estimates of the comparisons drawn (at most
  # max_treatments panels, and as many as the open device holds: the lines
  # and the panels are read from one build)
  b <- ggplot2::ggplot_build(p)
  lines <- b$data[[1]]
  drawn <- unique(b$plot$data$treat1)
  expect_gte(length(drawn), 1L)
  expect_setequal(round(lines$xintercept, 10), round(unname(coef(fit)[drawn]), 10))
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

test_that("leave-one-out plot: the most influential comparisons and studies, said in the caption", {
  fit <- senn_fit()
  loo <- leave_one_out(fit)
  p <- autoplot(loo)
  td <- tidy(loo)
  td <- td[td$model == "random", ]
  shift <- abs(td$estimate - td$estimate_full) / td$std.error
  infl <- tapply(shift, td$treat1, max, na.rm = TRUE)
  top <- names(sort(infl, decreasing = TRUE))[1:6]
  expect_setequal(unique(p$data$treat1), top)
  expect_match(p$labels$caption, "6 of 9 comparisons shown")
  p <- autoplot(loo, max_treatments = Inf, max_studies = 5)
  expect_length(unique(p$data$treat1), 9L)
  expect_length(unique(p$data$study), 5L)
  expect_match(p$labels$caption, sprintf("5 of %d studies shown", length(fit$studies)))
  p <- autoplot(loo, treatments = "rosi", studies = fit$studies[1:3])
  expect_setequal(as.character(unique(p$data$study)), fit$studies[1:3])
  expect_null(p$labels$caption)
  expect_error(autoplot(loo, studies = "no such study"), class = "fastnma_error_study_values")
})

test_that("leave-one-out statistics show the 30 studies that change Q or tau2 most", {
  loo <- leave_one_out(fit22())
  s <- loo$studies
  p <- autoplot(loo, type = "statistics")
  shown <- unique(as.character(p$data$study))
  expect_length(shown, 30L)
  rel <- pmax(abs(s$Q - loo$Q) / loo$Q, abs(s$tau2 - loo$tau2) / max(loo$tau2, 1e-12))
  expect_true(all(rel[match(shown, s$study)] >= sort(rel, decreasing = TRUE)[30]))
  expect_match(p$labels$caption, sprintf("30 of %d studies shown", nrow(s)))
  p <- autoplot(loo, type = "statistics", studies = s$study[1:4])
  expect_setequal(unique(as.character(p$data$study)), s$study[1:4])
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

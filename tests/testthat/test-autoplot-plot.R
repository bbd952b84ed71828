# plot() draws the figure autoplot() makes and returns it invisibly.

expect_plot_method <- function(x, ...) {
  grDevices::pdf(NULL, width = 8, height = 6)
  on.exit(grDevices::dev.off())
  vis <- withVisible(plot(x, ...))
  testthat::expect_false(vis$visible)
  testthat::expect_s3_class(vis$value, "ggplot")
  # the same figure as autoplot(): the same layers on the same data
  ref <- ggplot2::autoplot(x, ...)
  testthat::expect_identical(vapply(vis$value$layers, function(l) class(l$geom)[1], ""),
                             vapply(ref$layers, function(l) class(l$geom)[1], ""))
  testthat::expect_equal(ggplot2::layer_data(vis$value, 1), ggplot2::layer_data(ref, 1))
  invisible(vis$value)
}

test_that("plot() draws the natural figure of every result class", {
  fit <- senn_fit()
  expect_plot_method(fit)
  expect_plot_method(fit, type = "network")
  expect_plot_method(fit$network)
  expect_plot_method(inconsistency(fit))
  expect_plot_method(node_split(fit))
  expect_plot_method(league_table(fit))
  expect_plot_method(leave_one_out(fit))
  expect_plot_method(contributions(fit))
  expect_plot_method(rank_treatments(fit))
  rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
                         fit$studies)
  expect_plot_method(confidence(fit, rob = rob, margin = 0.2))
  ce <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
             reference = "plac", tau2 = 0)
  expect_plot_method(nma_bind(random = fit, "tau2 = 0" = ce))
  year <- stats::setNames(seq_along(fit$studies), fit$studies)
  expect_plot_method(cumulative_nma(fit, year))
  grp <- stats::setNames(rep(c("a", "b"), length.out = length(fit$studies)), fit$studies)
  expect_plot_method(subgroup_nma(fit, grp))
  trt <- fit$treatments
  g <- stats::setNames(sin(seq_along(trt)) / 4, trt)
  harm <- nma(transform(senn2013, TE = -TE / 2 + g[treat1] - g[treat2]),
              TE, seTE, treat1, treat2, study, reference = "plac")
  expect_plot_method(benefit_harm(fit, harm, efficacy_small_values = "desirable"))
  sm <- nma_binary(smokingcessation, measure = "OR", method = "IV", reference = "A")
  expect_plot_method(nma_regression(sm, stats::setNames(rep(1:2, length.out = sm$k), sm$studies)))
  d <- data.frame(study = c("s1", "s2", "s3", "s4", "s5"),
                  treat1 = c("A", "B", "A + B", "A + B", "B"),
                  treat2 = c("P", "P", "P", "A", "A"),
                  estimate = c(-0.5, -0.3, -0.9, -0.35, 0.15),
                  std.error = c(0.2, 0.25, 0.3, 0.2, 0.3))
  expect_plot_method(suppressMessages(component_nma(d, inactive = "P", measure = "MD")))
})

test_that("plot() passes figure options on and refuses a y", {
  fit <- senn_fit()
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  p <- plot(fit, type = "netheat")
  expect_identical(p$labels$fill, ggplot2::autoplot(fit, type = "netheat")$labels$fill)
  expect_error(plot(fit, 1), class = "fastnma_error_dots")
  expect_error(plot(fit, colour = "red"), class = "fastnma_error")
})

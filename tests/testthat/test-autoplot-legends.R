# Every figure that explains an encoding in a legend must draw that legend
# with the ggplot2 this check runs against. A legend is not a drawn value, so
# the snapshot and data tests cannot see it go; these tests read the legends
# back from the rendered gtable (legend_titles() in helper-plots.R).

test_that("the network graph draws its node-size and edge-width legends", {
  fit <- senn_fit()
  for (layout in c("stress", "circle")) {
    expect_setequal(legend_titles(autoplot(fit, type = "network", layout = layout)),
                    c("Studies", "Studies per comparison"))
  }
  expect_setequal(legend_titles(autoplot(smoking_fit(), type = "network",
                                         edge_weight = "precision")),
                  c("Patients", "Inverse-variance weight"))
  expect_setequal(legend_titles(autoplot(fit22(), type = "network")),
                  c("Patients", "Studies per comparison"))
  # equal sizes and widths encode nothing, so there is nothing to explain
  expect_length(legend_titles(autoplot(fit, type = "network", node_size = "equal",
                                       edge_weight = "equal")), 0L)
})

test_that("the forest, funnel and net heat draw their legends", {
  fit <- senn_fit()
  # the intervals, and (Senn2013 has estimates from indirect evidence only)
  # the key to the open squares that mark them
  expect_length(legend_titles(autoplot(fit)), 2L)
  sm <- smoking_fit()
  expect_length(legend_titles(autoplot(sm)), 1L)
  expect_length(legend_titles(autoplot(sm, type = "funnel", order = sm$treatments)), 1L)
  expect_match(legend_titles(autoplot(fit, type = "netheat")), "Reduction in Q")
})

test_that("league, influence, contribution and benefit-harm figures draw their legends", {
  fit <- senn_fit()
  expect_identical(legend_titles(autoplot(league_table(fit))), "Mean difference")
  expect_identical(legend_titles(autoplot(leave_one_out(fit), type = "statistics")),
                   "Removal disconnects the network")
  expect_identical(legend_titles(autoplot(contributions(fit))), "Contribution (%)")
})

test_that("the net heat legend reads the way its colours and caption run", {
  fit <- smoking_fit()
  p <- autoplot(fit, type = "netheat")
  # positive values are red (the high end of the scale), and the caption
  # says red is a reduction: the legend names a reduction
  sc <- p$scales$get_scales("fill")
  expect_identical(toupper(sc$palette(1)), "#B2182B")
  expect_match(p$labels$caption, "Red: detaching the column design reduces")
  expect_match(legend_titles(p), "^Reduction in Q")
})

test_that("node area is proportional to the patients it shows, with a legend of real values", {
  fit <- smoking_fit()
  p <- autoplot(fit, type = "network")
  b <- ggplot2::ggplot_build(p)
  pts <- b$data[[geom_layer(p, "GeomPoint")[1]]]
  arm <- smokingcessation
  trt <- fit$treatments
  patients <- vapply(trt, function(t) sum(arm$n[arm$treatment == t]), numeric(1))
  expect_equal(pts$x, p$data$x)
  ratio <- pts$size^2 / patients[p$data$treatment]
  # area proportional to patients: the ratio is the same number for every
  # node, up to the rounding of ggplot2's scale arithmetic (1e-10, not looser)
  expect_equal(unname(ratio / ratio[1]), rep(1, length(ratio)), tolerance = 1e-10)
  # the legend's breaks are patients, within the observed range
  sc <- b$plot$scales$get_scales("size")
  br <- sc$get_breaks()
  br <- br[!is.na(br)]
  expect_true(length(br) >= 2)
  expect_true(all(br >= 0 & br <= max(patients)))
})

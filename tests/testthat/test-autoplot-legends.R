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
  expect_length(legend_titles(autoplot(fit)), 1L)
  sm <- smoking_fit()
  expect_length(legend_titles(autoplot(sm, type = "funnel", order = sm$treatments)), 1L)
  expect_match(legend_titles(autoplot(fit, type = "netheat")), "Change in Q")
})

test_that("league, influence, contribution and benefit-harm figures draw their legends", {
  fit <- senn_fit()
  expect_identical(legend_titles(autoplot(league_table(fit))), "Mean difference")
  expect_identical(legend_titles(autoplot(leave_one_out(fit), type = "statistics")),
                   "Removal disconnects the network")
  expect_identical(legend_titles(autoplot(contributions(fit))), "Contribution (%)")
})

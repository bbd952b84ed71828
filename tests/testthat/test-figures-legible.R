# Figures judged as figures for a paper at 8 x 6 in: every figure drawn on a
# ratio measure names the measure on its ratio-scale axis (or, for the
# forest, in its column header and axis), and no legend or fixed part of a
# figure is wider or taller than the device, from 3 to 100 treatments.
# tools/figures.R renders the same figures to PNG to look at them.

or_fit <- function(n_treat, n_studies, seed, ...) {
  arm <- random_arm_network(n_treat, n_studies, p_multi = 0.15, max_arms = 3,
                            tau = 0.25, seed = seed)
  suppressMessages(nma(arm_contrasts(arm, measure = "OR"), ...))
}

fits <- list(
  "3" = or_fit(3, 8, 1003),
  "22" = or_fit(22, 45, 1022),
  "100" = or_fit(100, 140, 1100)
)

# "Odds ratio", or "odds ratio" inside a title ("Study odds ratio relative
# to the network estimate"); not "log odds ratio", which is not the scale.
names_or <- function(p) {
  txt <- figure_text(p)
  any(grepl("odds ratio", txt, ignore.case = TRUE) & !grepl("log odds ratio", txt))
}

test_that("the forest names the measure in its header and axis, with a reference row and k", {
  for (n in names(fits)) {
    fit <- fits[[n]]
    p <- autoplot(fit)
    expect_match(axis_titles(p), "^Odds ratio vs ", all = FALSE)
    txt <- figure_text(p)
    expect_true("Odds ratio [95% CI]" %in% txt)
    expect_true("(reference)" %in% txt)
    # k always; the direct evidence proportion unless the rows are wrapped
    # into blocks (100 treatments)
    expect_true("k" %in% txt)
    if (n != "100") expect_true("Direct" %in% txt)
    expect_fits_device(p, label = paste("forest at", n))
  }
})

test_that("every figure on a ratio measure names it, and fits 8 x 6 in", {
  fit <- fits[["22"]]
  loo <- leave_one_out(fit)
  # the figures that refit the network many times: on the small network,
  # to keep the file fast (tools/figures.R draws them at 22 and 100 too)
  small <- fits[["3"]]
  year <- stats::setNames(2000L + seq_along(small$studies) %/% 2L, small$studies)
  grp <- stats::setNames(rep(c("a", "b"), length.out = length(small$studies)), small$studies)
  cov <- stats::setNames(seq_along(small$studies) / length(small$studies), small$studies)
  ce <- or_fit(3, 8, 1003, tau2 = 0)
  ratio_figures <- list(
    forest = autoplot(fit),
    funnel = autoplot(fit, type = "funnel"),
    league = autoplot(league_table(fit)),
    league_ci = autoplot(league_table(fit), ci = TRUE),
    split = autoplot(node_split(fit)),
    loo = autoplot(loo),
    bind = autoplot(nma_bind(random = small, common = ce)),
    cumulative = autoplot(cumulative_nma(small, year)),
    subgroup = autoplot(subgroup_nma(small, grp)),
    regression = autoplot(nma_regression(small, cov))
  )
  for (nm in names(ratio_figures)) {
    expect(names_or(ratio_figures[[nm]]), sprintf("%s does not name the odds ratio", nm))
    expect_fits_device(ratio_figures[[nm]], label = nm)
  }
  other <- list(
    network = autoplot(fit, type = "network"),
    circle = autoplot(fit, type = "network", layout = "circle"),
    netheat = autoplot(fit, type = "netheat"),
    loo_statistics = autoplot(loo, type = "statistics"),
    contributions = autoplot(contributions(fit)),
    ranks = autoplot(rank_treatments(fit)),
    network_data = autoplot(fit$network),
    inconsistency = autoplot(inconsistency(fit, heat = FALSE))
  )
  for (nm in names(other)) expect_fits_device(other[[nm]], label = nm)
})

test_that("the figures of 100 treatments fit 8 x 6 in and name the measure", {
  fit <- fits[["100"]]
  figs <- list(
    forest = autoplot(fit),
    league = autoplot(league_table(fit)),
    split = autoplot(node_split(fit)),
    network = autoplot(fit, type = "network", layout = "circle")
  )
  for (nm in c("forest", "league", "split")) {
    expect(names_or(figs[[nm]]), sprintf("%s does not name the odds ratio", nm))
  }
  for (nm in names(figs)) expect_fits_device(figs[[nm]], label = paste(nm, "at 100"))
  # the league table of 100 treatments is a heat map, and says so
  expect_match(figs$league$labels$caption, "values not written")
})

test_that("the circle network graph keeps both legends inside the device", {
  for (n in names(fits)) {
    p <- autoplot(fits[[n]], type = "network", layout = "circle")
    expect_setequal(legend_titles(p), c("Patients", "Studies per comparison"))
    expect_fits_device(p, label = paste("circle network at", n))
  }
})

test_that("a legend that cannot fit is caught by the check", {
  wide <- ggplot2::ggplot(data.frame(x = 1:30, g = strrep(letters[1:30 %% 26 + 1], 12)),
                          ggplot2::aes(.data$x, .data$x, colour = .data$g)) +
    ggplot2::geom_point() + ggplot2::theme(legend.position = "bottom") +
    ggplot2::guides(colour = ggplot2::guide_legend(nrow = 1))
  expect_lt(min(device_room(wide)), 0)
})

# The figure of the decomposition of Q by design.

test_that("the bars of each design add up to the Q within and between designs", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", tau2_method = "DL")
  inc <- inconsistency(fit)
  p <- expect_no_drawing(autoplot(inc))
  d <- ggplot2::layer_data(p, 1)
  # one bar piece per design and part
  expect_identical(nrow(d), 2L * nrow(inc$designs))
  expect_equal(sum(p$data$Q[p$data$part == "within design"]), inc$Q$Q[2])
  expect_equal(sum(p$data$Q[p$data$part == "between designs"]), inc$Q$Q[3])
  expect_equal(sum(inc$Q$Q[2:3]), inc$Q$Q[1])
  # each design's stacked bar ends at its total part of Q
  total <- stats::setNames(inc$designs$Q_within + inc$designs$Q_between, inc$designs$design)
  ends <- as.vector(tapply(d$xmax, d$y, max))
  lim <- rev(p$scales$get_scales("y")$limits)
  expect_equal(rev(ends), unname(total[lim]))
  # sorted: the largest part on top
  expect_identical(lim[1], names(which.max(total)))
  expect_false(is.unsorted(rev(total[lim])))
  # the subtitle gives both tests
  expect_match(p$labels$subtitle, sprintf("within designs %s \\(df %d", format_num(inc$Q$Q[2], 2),
                                          inc$Q$df[2]))
  expect_match(p$labels$subtitle, sprintf("between designs %s \\(df %d", format_num(inc$Q$Q[3], 2),
                                          inc$Q$df[3]))
})

test_that("designs = k shows the k designs with the largest part, and says so", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", tau2_method = "DL")
  inc <- inconsistency(fit, heat = FALSE)
  p <- autoplot(inc, designs = 3)
  expect_length(unique(p$data$design), 3L)
  expect_match(p$labels$caption, "3 of 15 designs shown")
  expect_error(autoplot(inc, designs = 0), class = "fastnma_error_choice")
  expect_error(autoplot(inc, designs = 1.5), class = "fastnma_error_choice")
  expect_error(autoplot(inc, colour = "red"), class = "fastnma_error")
})

test_that("a short device shows the designs its height holds, with a note", {
  skip_if_not_installed("svglite")
  skip_if_not_installed("xml2")
  fit <- nma(arm_contrasts(synthetic_network22(), measure = "MD"), reference = "Placebo")
  inc <- inconsistency(fit, heat = FALSE)
  p <- autoplot(inc)
  expect_legible(p, 3.5, 4, label = "inconsistency at 22 treatments, column")
  expect_legible(p, 7, 5, label = "inconsistency at 22 treatments, page")
  q <- fastnma:::fit_to_device(p, 3.5, 4)
  if (nrow(inc$designs) > length(unique(q$data$design))) {
    expect_match(q$labels$caption, sprintf("of %d designs shown", nrow(inc$designs)))
  }
})

test_that("snapshots: the decomposition of Q by design", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", tau2_method = "DL")
  vdiffr::expect_doppelganger("inconsistency-senn", autoplot(inconsistency(fit, heat = FALSE)))
})

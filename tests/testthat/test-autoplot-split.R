test_that("node-split plot draws tidy()'s direct, indirect and network rows", {
  fit <- senn_fit()
  ns <- node_split(fit)
  p <- expect_no_drawing(autoplot(ns))
  td <- tidy(ns)
  td <- td[td$evidence != "difference" & !is.na(td$estimate), ]
  key <- function(x) paste(x$treat1, x$treat2, x$evidence)
  hit <- match(key(td), key(p$data))
  expect_false(anyNA(hit))
  expect_equal(p$data$estimate[hit], td$estimate)
  expect_equal(p$data$conf.low[hit], td$conf.low)
  pts <- ggplot2::layer_data(p, 3)
  expect_equal(sort(pts$x), sort(td$estimate))
  # the columns at the right print k, the direct evidence proportion and
  # the p-value of every comparison
  txt <- figure_text(p)
  mixed <- ns$evidence == "mixed"
  expect_true(all(format.pval(ns$p.value[mixed], digits = 2, eps = 1e-4) %in% txt))
  expect_true(all(sprintf("%.0f%%", 100 * ns$prop_direct) %in% txt))
  expect_true(all(c("k", "Direct", "p") %in% txt))
})

test_that("node-split plot: subset, order, scale and the default selection", {
  fit <- fit22()
  ns <- node_split(fit)
  lab <- paste(ns$treat1, "vs", ns$treat2)
  rows <- function(p) {
    b <- ggplot2::ggplot_build(p)
    y <- b$layout$panel_params[[1]]$y
    br <- y$get_breaks()
    lab <- y$get_labels()
    lab[order(br[!is.na(br)], decreasing = TRUE)]  # top row first
  }
  # a subset, in the order asked for
  p <- autoplot(ns, comparisons = lab[c(3, 1)])
  expect_setequal(rows(p), lab[c(1, 3)])
  expect_error(autoplot(ns, comparisons = "X vs Y"),
               class = "fastnma_error_comparison_selection")
  # order by p-value: the top row has the smallest p-value
  p <- autoplot(ns, order = "p.value", max_rows = Inf)
  expect_identical(rows(p)[1], lab[which.min(ns$p.value)])
  p <- autoplot(ns, order = "k", max_rows = Inf)
  expect_identical(rows(p)[1], lab[which.max(ns$k)])
  # more comparisons than max_rows: the smallest p-values, said in the caption
  p <- autoplot(ns, max_rows = 5)
  keep <- lab[order(ns$p.value)][1:5]
  expect_setequal(rows(p), keep)
  expect_match(p$labels$caption, sprintf("5 of %d comparisons shown", nrow(ns)))
  p <- autoplot(ns, max_rows = 5, select = "k")
  expect_true(all(ns$k[match(rows(p), lab)] >= sort(ns$k, decreasing = TRUE)[5]))
  expect_match(p$labels$caption, "the most studies")
  # no caption when all are shown; no columns on request
  expect_no_match(autoplot(ns, max_rows = Inf)$labels$caption, "comparisons shown")
  expect_match(autoplot(ns)$labels$caption, sprintf("30 of %d comparisons", nrow(ns)))
  expect_false("Direct" %in% figure_text(autoplot(ns, columns = FALSE)))
  # the scale: ratio by default on a ratio measure, named on the axis
  sm <- node_split(smoking_fit())
  expect_identical(axis_titles(autoplot(sm))[1], "Odds ratio")
  expect_identical(axis_titles(autoplot(sm, exponentiate = FALSE))[1], "log odds ratio")
  expect_error(autoplot(ns, exponentiate = TRUE), class = "fastnma_error_exponentiate")
})

test_that("snapshots: node-splitting", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  vdiffr::expect_doppelganger("split-senn", autoplot(node_split(senn_fit())))
  vdiffr::expect_doppelganger("split-22", autoplot(node_split(fit22())))
})

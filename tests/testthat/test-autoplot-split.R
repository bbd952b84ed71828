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
  # p-values on the right axis are the printed ones
  b <- ggplot2::ggplot_build(p)
  right <- b$layout$panel_params[[1]]$y.sec$get_labels()
  mixed <- ns$evidence == "mixed"
  expect_true(all(paste0("p = ", format.pval(ns$p.value[mixed], digits = 2, eps = 1e-4)) %in% right))
})

test_that("snapshots: node-splitting", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  vdiffr::expect_doppelganger("split-senn", autoplot(node_split(senn_fit())))
  vdiffr::expect_doppelganger("split-22", autoplot(node_split(fit22())))
})

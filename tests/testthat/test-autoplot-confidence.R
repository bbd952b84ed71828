# The CINeMA traffic light: "not assessed" has its own level and colour,
# domain judgements and ratings have separate legends, many rows are paged
# with a caption that says how many are shown, and tile labels are drawn
# only where they fit the device.

cf22 <- function(...) {
  fit <- fit22()
  rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
                         fit$studies)
  confidence(fit, rob = rob, margin = 0.2, ...)
}

test_that("not assessed is grey, never the colour of no concerns", {
  cf <- cf22()
  p <- autoplot(cf, max_rows = 10)
  b <- ggplot2::ggplot_build(p)
  d <- b$data[[1]]
  na_cols <- p$data$domain %in% c("Reporting bias", "Indirectness")
  expect_true(all(p$data$judgement[na_cols] == "not assessed"))
  fills <- unique(d$fill[na_cols])
  expect_length(fills, 1L)
  no_fill <- unique(d$fill[p$data$judgement == "no concerns"])
  expect_length(no_fill, 1L)
  expect_false(identical(fills, no_fill))
  # with indirectness given, its tiles take the concern colours
  fit <- fit22()
  ind <- stats::setNames(rep("low", length(fit$studies)), fit$studies)
  q <- autoplot(cf22(indirectness = ind), max_rows = 10)
  expect_true(all(q$data$judgement[q$data$domain == "Indirectness"] == "no concerns"))
})

test_that("two legends: domain judgements (fill) and confidence ratings (colour)", {
  p <- autoplot(cf22(), max_rows = 10)
  g <- ggplot2::ggplotGrob(p)
  box <- g$grobs[[which(g$layout$name == "guide-box")]]
  labels <- function(x) {
    out <- if (inherits(x, "text")) as.character(x$label) else character()
    kids <- c(if (inherits(x, "gTree")) x$children, if (inherits(x, "gtable")) x$grobs)
    c(out, unlist(lapply(kids, labels)))
  }
  legends <- box$grobs[vapply(box$grobs, inherits, logical(1), "gtable")]
  expect_length(legends, 2L)
  titles <- vapply(legends, function(l) labels(l)[1], "")
  expect_setequal(titles, c("Domain judgement", "Confidence rating"))
})

test_that("many rows are paged, and the caption says how many are shown", {
  cf <- cf22()
  n <- nrow(cf)
  p1 <- autoplot(cf)
  expect_identical(length(unique(p1$data$term)), 30L)
  expect_match(p1$labels$caption, sprintf("30 of %d comparisons shown (page 1 of %d)", n,
                                          ceiling(n / 30)), fixed = TRUE)
  p2 <- autoplot(cf, page = 2)
  expect_match(p2$labels$caption, sprintf("31-60 of %d comparisons shown (page 2 of", n),
               fixed = TRUE)
  expect_length(intersect(unique(p1$data$term), unique(p2$data$term)), 0L)
  all_rows <- autoplot(cf, max_rows = Inf)
  expect_null(all_rows$labels$caption)
  expect_error(autoplot(cf, page = 100), class = "fastnma_error_choice")
  expect_error(autoplot(cf, page = 1.5), class = "fastnma_error_choice")
})

test_that("tile labels are drawn where they fit the device, never cut or over other text", {
  p <- autoplot(cf22(), order = "confidence", max_rows = 10)
  texts_drawn <- function(width) {
    f <- tempfile(fileext = ".svg")
    svglite::svglite(f, width = width, height = 5)
    print(p)
    grDevices::dev.off()
    svg <- paste(readLines(f, warn = FALSE), collapse = "\n")
    length(gregexpr(">(no|some|major|n/a)</text>", svg)[[1]])
  }
  skip_if_not_installed("svglite")
  expect_gt(texts_drawn(7), 50L)
  # in one journal column the figure's text is drawn smaller (it follows the
  # device) and a label only where it fits its tile: none is cut and none
  # runs into another text
  expect_legible(p, 3.5, 5, "confidence traffic light, 10 rows")
  expect_legible(autoplot(cf22(), order = "confidence", max_rows = 30), 3.5, 5,
                 "confidence traffic light, 30 rows")
})

test_that("snapshots: confidence traffic light at 10 and 45 rows, risk-of-bias bars", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  cf <- cf22()
  vdiffr::expect_doppelganger("confidence-traffic-10",
                              autoplot(cf, order = "confidence", max_rows = 10))
  vdiffr::expect_doppelganger("confidence-traffic-45",
                              autoplot(cf, order = "confidence", max_rows = 45))
  vdiffr::expect_doppelganger("confidence-rob-10", autoplot(cf, type = "rob", max_rows = 10))
})

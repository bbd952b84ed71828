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

test_that("a word has one colour in the traffic light and the risk-of-bias bars beside it", {
  cf <- cf22()
  legend_colours <- function(p) {
    b <- ggplot2::ggplot_build(p)
    out <- character()
    for (sc in b$plot$scales$scales) {
      if (!any(c("fill", "colour") %in% sc$aesthetics)) next
      br <- sc$get_breaks()
      br <- br[!is.na(br)]
      out <- c(out, stats::setNames(sc$map(br), sc$get_labels(br)))
    }
    out
  }
  traffic <- legend_colours(autoplot(cf, max_rows = 10))
  bars <- legend_colours(autoplot(cf, type = "rob", max_rows = 10))
  # every legend entry of each figure, with its colour
  expect_setequal(names(traffic), c("no concerns", "some concerns", "major concerns",
                                    "not assessed (n/a)", "high", "moderate", "low", "very low"))
  expect_setequal(names(bars), c("low risk of bias", "some concerns", "high risk of bias"))
  # a word shown in both figures has the same colour in both
  shared <- intersect(names(traffic), names(bars))
  expect_identical(shared, "some concerns")
  expect_identical(traffic[shared], bars[shared])
  # the risk-of-bias levels take the colours of the concern levels they match
  expect_identical(unname(bars["low risk of bias"]), unname(traffic["no concerns"]))
  expect_identical(unname(bars["high risk of bias"]), unname(traffic["major concerns"]))
  # the tiles drawn use the legend colours: the rating tile of a "low"
  # confidence is the colour of "low" in the legend
  p <- autoplot(cf, max_rows = 10)
  d <- ggplot2::layer_data(p, 2)
  low_rows <- which(p$layers[[2]]$data$rating == "low")
  skip_if(length(low_rows) == 0L, "no comparison rated low in this fixture")
  expect_true(all(d$fill[low_rows] == traffic[["low"]]))
  # and the same holds for indirectness
  fit <- fit22()
  ind <- stats::setNames(rep(c("low", "high"), length.out = length(fit$studies)), fit$studies)
  bars_ind <- legend_colours(autoplot(cf22(indirectness = ind), type = "rob",
                                      domain = "indirectness", max_rows = 10))
  expect_setequal(names(bars_ind), c("low indirectness", "some concerns", "high indirectness"))
  expect_identical(bars_ind[["some concerns"]], traffic[["some concerns"]])
})

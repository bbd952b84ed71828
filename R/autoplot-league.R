#' Plot a league table as a heat map
#'
#' Draws a [league_table()] as the square table `print()` shows: below the
#' diagonal the network estimate of the row treatment relative to the column
#' treatment, above it the direct estimate (or the second fit's network
#' estimate) of the column treatment relative to the row treatment (the
#' canonical orientation of [nma()] in the default order). Each cell holds
#' the text of the printed table (from `format()`), with confidence intervals
#' when there is room for them (`ci`). Cells are coloured by the estimate on
#' the analysis scale, so that a ratio and its inverse get opposite colours
#' of the same strength; for ratio measures on the ratio scale (the default)
#' the colour legend is labelled with ratios (legend title "Odds ratio",
#' say), on the log scale with log ratios ("log odds ratio").
#'
#' @param object An object of class `nma_league`.
#' @param digits Digits of the estimates in the cells.
#' @param ci Logical; print confidence intervals in the cells. Defaults to
#'   `TRUE` for up to 8 treatments.
#' @param text_size Size of the cell text (mm); by default the largest size
#'   (up to 10 pt) at which the text of every cell fits its cell, measured
#'   with the device's fonts when the figure is drawn; where that would be
#'   below 4.5 pt, the intervals and then the values are left out, and the
#'   caption says so. In one journal column the colour bar goes below the
#'   table.
#' @param values Logical; write the estimates in the cells. Defaults to
#'   `TRUE` for up to 30 treatments; larger tables are drawn as a heat map
#'   only (the caption says so; [export_table()] writes the numbers).
#' @param exponentiate `NULL` (default): the ratio scale for ratio measures,
#'   whatever the scale the table was computed on (and for a table computed
#'   with `exponentiate = TRUE`); `FALSE`: the log scale;
#'   `TRUE` for a difference measure is an error of class
#'   `fastnma_error_exponentiate`.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' autoplot(league_table(fit))
#' @method autoplot nma_league
#' @export
autoplot.nma_league <- function(object, digits = 2, ci = NULL, text_size = NULL,
                                exponentiate = NULL, values = NULL, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  measure <- attr(object, "measure")
  ratio <- league_scale(object, exponentiate)
  ord <- attr(object, "order")
  n <- length(ord)
  if (is.null(values)) values <- n <= 30L
  check_flag(values, "values")
  if (is.null(ci)) ci <- n <= 8L
  check_flag(ci, "ci")
  d <- league_cells(object, digits = digits, ci = ci, exponentiate = ratio)
  label_size <- if (n > 40) 5 else if (n > 12) 7 else 9
  user_size <- !is.null(text_size)
  ci_note <- NULL
  if (is.null(text_size)) {
    text_size <- league_text_size(d$label, n)
    # Intervals that would be written below 4.5 pt are left out, and the
    # caption says so: a cell must stay readable.
    if (ci && values && text_size * ggplot2::.pt < 4.5) {
      d <- league_cells(object, digits = digits, ci = FALSE, exponentiate = ratio)
      text_size <- league_text_size(d$label, n)
      ci_note <- sprintf("Confidence intervals left out: they do not fit the cells of %d treatments (`text_size` forces them; export_table() gives them).", n)
    }
  }
  # the estimates alone, for when the intervals do not fit the cells as drawn
  d$label_est <- if (ci && is.null(ci_note)) {
    league_cells(object, digits = digits, ci = FALSE, exponentiate = ratio)$label
  } else d$label
  d$fill <- if (ratio) log(d$estimate) else d$estimate
  lim <- max(abs(d$fill), na.rm = TRUE)
  caption <- c(league_orientation(object)[-1L],
               if (values) "Bold: confidence interval excludes no difference." else
                 sprintf("%d treatments: cells coloured by the estimate, values not written (`values = TRUE` writes them; export_table() gives the numbers).", n),
               ci_note)
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$column, y = .data$row)) +
    ggplot2::geom_tile(ggplot2::aes(fill = .data$fill), colour = "white",
                       linewidth = if (n > 40) 0.1 else 0.6)
  if (values) {
    p <- p + ggplot2::geom_text(ggplot2::aes(label = .data$label,
                                    fontface = ifelse(.data$significant, "bold", "plain")),
                       size = text_size, lineheight = 0.85, colour = "grey10")
  }
  p <- p +
    scale_fill_fastnma_diverging(
      name = measure_label(measure, ratio),
      limits = c(-lim, lim),
      labels = if (ratio) function(x) ratio_labels(signif(exp(x), 2)) else ggplot2::waiver()) +
    ggplot2::scale_x_discrete(limits = ord, position = "top") +
    ggplot2::scale_y_discrete(limits = rev(ord)) +
    ggplot2::coord_equal() +
    ggplot2::labs(x = NULL, y = NULL,
                  caption = wrap_caption(caption, width = 8, base_size = 8.5)) +
    theme_fastnma(grid = "none", base_size = if (n > 12) 9 else 11) +
    ggplot2::theme(
      axis.text.x.top = ggplot2::element_text(angle = 45, hjust = 0, vjust = 0,
                                              size = label_size),
      axis.text.y = ggplot2::element_text(size = label_size),
      plot.caption = ggplot2::element_text(size = 8.5),
      legend.position = "right",
      legend.key.height = ggplot2::unit(2, "lines"))
  # when drawn: treatment labels no larger than their cells, and the cells'
  # text measured against the cells
  attr(p, "fastnma_fit") <- league_fit(n, fit_text = values && !user_size)
  p
}

# The draw-time step of the league heat map on a device `width` x `height`
# inches: in a narrow device (one journal column) the colour bar goes below
# the table, where it does not take the table's width; the row and column
# labels no larger than their cells (square_labels_fit()); and, unless the
# user set `text_size`, the cells' text measured with the device's fonts:
# as large as the widest cell text fits its cell (up to 10 pt), the confidence
# intervals left out when that would take it below 4.5 pt, and the values
# left out when even the estimates alone would, each with a caption note.
league_fit <- function(n, fit_text) {
  labels_fit <- square_labels_fit(n)
  function(plot, width, height) {
    if (width < 5 && identical(plot$theme$legend.position, "right")) {
      plot <- plot +
        ggplot2::theme(legend.position = "bottom") +
        ggplot2::guides(fill = ggplot2::guide_colourbar(
          title.position = "top", title.hjust = 0.5,
          barwidth = ggplot2::unit(min(2, width * 0.45), "in"),
          barheight = ggplot2::unit(0.6, "lines")))
    }
    plot <- labels_fit(plot, width, height)
    if (fit_text) plot <- league_fit_cells(plot, n, width, height)
    plot
  }
}

league_fit_cells <- function(plot, n, width, height) {
  is_text <- vapply(plot$layers, function(l) inherits(l$geom, "GeomText"), logical(1))
  if (!any(is_text) || !"label_est" %in% names(plot$data)) return(plot)
  panel <- fixed_panel_in(plot, width, height)
  if (is.null(panel)) return(plot)
  side_pt <- min(panel) / n * 72
  # the largest size (pt) at which every text fits its cell: 85% of the
  # cell's width, 80% of its height (measured in bold, the wider face)
  fit_pt <- function(label) {
    label <- label[nzchar(label)]
    if (!length(label)) return(Inf)
    lines <- unique(unlist(strsplit(label, "\n")))
    widest <- max(text_inches(lines, 10, face = "bold")) * 72 / 10
    n_lines <- max(lengths(strsplit(label, "\n")))
    min(side_pt * 0.85 / widest, side_pt * 0.8 / (n_lines * 1.05))
  }
  i <- which(is_text)[1]
  l <- clone_layer(plot$layers[[i]])
  # as large as the cells allow, up to 10 pt (scaled with the figure's text)
  top_pt <- 10 * (attr(plot, "fastnma_text_scale") %||% 1)
  d <- plot$data
  pt <- min(top_pt, fit_pt(d$label))
  note <- NULL
  if (pt < 4.5 && !identical(d$label, d$label_est)) {
    d$label <- d$label_est
    pt <- min(top_pt, fit_pt(d$label))
    note <- "Confidence intervals left out: they do not fit the cells at this size (export_table() gives them)."
  }
  if (pt < 4.5) {
    plot$layers <- plot$layers[-i]
    plot$labels$caption <- gsub("\\n?Bold: confidence interval excludes no\\s+difference\\.", "",
                                plot$labels$caption)
    note <- sprintf("%d treatments: values not written, they do not fit the cells at this size (a larger figure or export_table() gives them).", n)
  } else {
    l$aes_params$size <- pt / ggplot2::.pt
    plot$layers[[i]] <- l
    plot$data <- d
  }
  if (!is.null(note)) {
    plot$labels$caption <- paste(c(plot$labels$caption, note), collapse = "\n")
  }
  plot
}

# The largest text size (mm) at which every cell's text fits its cell, for
# a table of n treatments drawn square in a figure of 8 x 6 in (the panel
# gets about 6 in less the room for labels, caption and margins).
league_text_size <- function(label, n) {
  label <- label[nzchar(label)]
  if (!length(label)) return(3)
  lines <- strsplit(label, "\n", fixed = TRUE)
  widest <- max(vapply(lines, function(l) max(nchar(l)), numeric(1)))
  n_lines <- max(lengths(lines))
  side_in <- min(6 - 2.2, 8 - 2.5) / n
  side_pt <- side_in * 72
  pt <- min(side_pt * 0.85 / (widest * 0.55), side_pt * 0.8 / (n_lines * 1.05), 10)
  max(pt, 1) / ggplot2::.pt
}

# One row per off-diagonal cell of the league table: position, the printed
# text (from format.nma_league(), the code path of print()) and the values.
league_cells <- function(object, digits = 2, ci = NULL, exponentiate = NULL) {
  ord <- attr(object, "order")
  n <- length(ord)
  if (is.null(ci)) ci <- n <= 8L
  exponentiate <- league_scale(object, exponentiate)
  txt <- format(object, digits = digits, ci = ci, exponentiate = exponentiate,
                layout = league_layout(object))
  if (ci) txt[] <- sub(" (", "\n(", txt, fixed = TRUE)
  stored <- isTRUE(attr(object, "exponentiate"))
  lower <- to_scale(strip_attributes(object), exponentiate, stored)
  upper <- to_scale(attr(object, "upper"), exponentiate, stored)
  cells <- expand.grid(r = seq_len(n), c = seq_len(n))
  cells <- cells[cells$r != cells$c, ]
  lo <- cells$r > cells$c
  # the comparison of each cell in the table's layout (league_cell_pairs())
  cp <- league_cell_pairs(ord, cells$r, cells$c, league_layout(object))
  t1 <- cp$treat1
  t2 <- cp$treat2
  src_low <- pair_match(t1, t2, lower$treat1, lower$treat2)
  src_up <- pair_match(t1, t2, upper$treat1, upper$treat2)
  pick <- function(col) ifelse(lo, lower[[col]][src_low], upper[[col]][src_up])
  out <- data.frame(
    row = factor(ord[cells$r], levels = ord),
    column = factor(ord[cells$c], levels = ord),
    triangle = ifelse(lo, "lower", "upper"),
    treat1 = t1, treat2 = t2,
    estimate = pick("estimate"), conf.low = pick("conf.low"),
    conf.high = pick("conf.high"),
    label = txt[cbind(cells$r, cells$c)],
    stringsAsFactors = FALSE)
  null <- if (exponentiate) 1 else 0
  out$significant <- !is.na(out$conf.low) &
    (out$conf.low > null | out$conf.high < null)
  out$label[out$label == "."] <- ""
  rownames(out) <- NULL
  out
}

#' Plot the contribution matrix
#'
#' Draws a [contributions()] result as a heat map: one row per network
#' estimate, one column per direct comparison, coloured by the percentage
#' contribution (the values of `tidy(object)`), printed in the cells when
#' there is room.
#'
#' @param object An object of class `nma_contrib`.
#' @param rows Network estimates to show: `"auto"` (default: all of them for
#'   up to 45 comparisons, else those against the reference treatment of the
#'   fit, which must then be given), `"all"` or a character vector of row
#'   labels (`"treat1 vs treat2"`).
#' @param reference For `rows = "auto"` with many comparisons: the treatment
#'   whose comparisons are shown.
#' @param values Logical; print percentages in the cells (default: when the
#'   matrix is small enough to read them).
#' @param max_rows,max_columns With `rows = "auto"`: the largest number of
#'   network estimates (rows, default 45: the first in the order of the
#'   table) and of direct comparisons (columns, default 30: those with the
#'   largest total contribution to the rows shown) drawn. The contributions
#'   of the other direct comparisons are summed in a last column, so that
#'   every row still adds up to 100%; the caption says how many of how many
#'   rows and columns are shown.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' autoplot(contributions(fit))
#' @method autoplot nma_contrib
#' @export
autoplot.nma_contrib <- function(object, rows = "auto", reference = NULL,
                                 values = NULL, max_rows = 45, max_columns = 30, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  w <- object$weights
  if (is.null(w)) {
    abort_fastnma(c("The contributions of the direct comparisons were not kept.",
                    "i" = "Use {.code contributions(fit, weights = TRUE)} (the default)."),
                  "not_computed")
  }
  all_rows <- rownames(w)
  auto <- identical(rows, "auto")
  if (auto) {
    if (length(all_rows) <= 45L || is.null(reference)) {
      rows <- all_rows
    } else {
      net <- object$comparisons
      rows <- all_rows[net$treat1 == reference | net$treat2 == reference]
    }
  } else if (identical(rows, "all")) {
    rows <- all_rows
  }
  check_selection(rows, all_rows, "{.arg rows} must name network comparisons of {.arg object}.",
                  "comparison_selection")
  caption <- character()
  n_rows_all <- length(rows)
  if (auto && length(rows) > max_rows) {
    rows <- rows[seq_len(max_rows)]
    caption <- c(caption, sprintf("%d of %d network estimates shown (rows; choose with `rows`).",
                                  length(rows), n_rows_all))
  }
  td <- tidy(object)
  td <- td[td$term %in% rows, , drop = FALSE]
  total <- colSums(as.matrix(w[rows, , drop = FALSE]))  # also when stored sparsely
  cols <- colnames(w)[total > 0]
  if (auto && length(cols) > max_columns) {
    keep <- names(sort(total[cols], decreasing = TRUE))[seq_len(max_columns - 1L)]
    other <- sprintf("%d other comparisons", length(cols) - length(keep))
    rest <- td[!td$direct %in% keep, , drop = FALSE]
    rest <- stats::aggregate(contribution ~ term, data = rest, FUN = sum)
    td <- td[td$direct %in% keep, c("term", "direct", "contribution"), drop = FALSE]
    td <- rbind(td, data.frame(term = rest$term, direct = other,
                               contribution = rest$contribution))
    caption <- c(caption, sprintf("%d of %d direct comparisons shown (columns): those contributing most; the last column sums the other %d.",
                                  length(keep), length(cols), length(cols) - length(keep)))
    cols <- c(cols[cols %in% keep], other)
  }
  nr <- length(rows)
  nc <- length(cols)
  if (is.null(values)) values <- nr <= 30 && nc <= 20
  td$percent <- 100 * td$contribution
  td$label <- ifelse(td$percent >= 0.5, formatC(td$percent, digits = 0, format = "f"), "")
  row_note <- if (auto && n_rows_all > max_rows) 1L else 0L
  first_caption <- if (length(caption)) wrap_caption(caption, base_size = 9)
  td$comparison <- factor(td$term, levels = rev(rows))
  td$direct <- factor(td$direct, levels = cols)
  p <- ggplot2::ggplot(td, ggplot2::aes(x = .data$direct, y = .data$comparison)) +
    ggplot2::geom_tile(ggplot2::aes(fill = .data$percent), colour = "white", linewidth = 0.3) +
    ggplot2::scale_fill_gradient("Contribution (%)", low = "#DEEBF7", high = "#08306B",
                                 limits = c(0, 100), oob = scales::squish) +
    ggplot2::scale_x_discrete(limits = cols, position = "top") +
    ggplot2::scale_y_discrete(limits = rev(rows)) +
    ggplot2::labs(x = "Direct comparison", y = "Network estimate",
                  caption = if (length(caption)) wrap_caption(caption, base_size = 9),
                  subtitle = sprintf("%s decomposition, %s-effects model",
                                     switch(object$method, shortestpath = "Shortest-path",
                                            randomwalk = "Random-walk",
                                            cinema = "CINeMA shortest-path"),
                                     object$model)) +
    theme_fastnma(grid = "none", base_size = if (nr > 30 || nc > 25) 8 else if (nr > 15 || nc > 15) 9 else 11) +
    ggplot2::theme(axis.text.x.top = ggplot2::element_text(angle = 90, hjust = 0, vjust = 0.5))
  if (values) {
    p <- p + ggplot2::geom_text(ggplot2::aes(label = .data$label,
                                             colour = .data$percent > 50),
                                size = 2.6, show.legend = FALSE) +
      ggplot2::scale_colour_manual(values = c(`FALSE` = "grey10", `TRUE` = "white"))
  }
  # when drawn: no more rows than the panel holds at the size of their
  # labels; the first ones kept, the caption saying how many
  attr(p, "fastnma_fit") <- function(plot, width, height) {
    pt <- element_pt(plot, "axis.text.y") %||% 8
    panel_h <- panel_height_in(plot, width, height)
    if (!is.finite(panel_h)) return(plot)
    fit_rows <- max(1L, floor(panel_h * 72 / (1.1 * pt)))
    if (fit_rows >= nr) return(plot)
    keep <- rows[seq_len(fit_rows)]
    plot$data <- plot$data[plot$data$term %in% keep, , drop = FALSE]
    plot$scales <- plot$scales$clone()
    sc <- plot$scales$get_scales("y")
    sc$limits <- rev(keep)
    if (identical(plot$labels$caption, first_caption)) {
      note <- sprintf("%d of %d network estimates shown (rows, as many as the height holds; choose with `rows`).",
                      fit_rows, n_rows_all)
      plot$labels$caption <- wrap_caption(c(note, caption[-seq_len(row_note)]))
    }
    plot
  }
  p
}

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
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' autoplot(contributions(fit))
#' @method autoplot nma_contrib
#' @export
autoplot.nma_contrib <- function(object, rows = "auto", reference = NULL,
                                 values = NULL, ...) {
  check_dots_used_plot(...)
  w <- object$weights
  all_rows <- rownames(w)
  if (identical(rows, "auto")) {
    if (length(all_rows) <= 45L || is.null(reference)) {
      rows <- all_rows
    } else {
      net <- object$comparisons
      rows <- all_rows[net$treat1 == reference | net$treat2 == reference]
    }
  } else if (identical(rows, "all")) {
    rows <- all_rows
  }
  bad <- setdiff(rows, all_rows)
  if (length(bad)) {
    abort_fastnma(c("{.arg rows} must name network comparisons of {.arg object}.",
                    "x" = "Not found: {.val {bad}}."), "comparison_selection")
  }
  td <- tidy(object)
  td <- td[td$term %in% rows, , drop = FALSE]
  cols <- colnames(w)[colSums(w[rows, , drop = FALSE]) > 0]
  nr <- length(rows)
  nc <- length(cols)
  if (is.null(values)) values <- nr <= 30 && nc <= 20
  td$percent <- 100 * td$contribution
  td$label <- ifelse(td$percent >= 0.5, formatC(td$percent, digits = 0, format = "f"), "")
  td$comparison <- factor(td$term, levels = rev(rows))
  td$direct <- factor(td$direct, levels = cols)
  p <- ggplot2::ggplot(td, ggplot2::aes(x = .data$direct, y = .data$comparison)) +
    ggplot2::geom_tile(ggplot2::aes(fill = .data$percent), colour = "white", linewidth = 0.3) +
    ggplot2::scale_fill_gradient("Contribution (%)", low = "#DEEBF7", high = "#08306B",
                                 limits = c(0, 100), oob = scales::squish) +
    ggplot2::scale_x_discrete(limits = cols, position = "top") +
    ggplot2::scale_y_discrete(limits = rev(rows)) +
    ggplot2::labs(x = "Direct comparison", y = "Network estimate",
                  subtitle = sprintf("%s decomposition, %s-effects model",
                                     if (object$method == "shortestpath") "Shortest-path" else "Random-walk",
                                     object$model)) +
    theme_fastnma(grid = "none", base_size = if (nr > 30 || nc > 25) 8 else 11) +
    ggplot2::theme(axis.text.x.top = ggplot2::element_text(angle = 90, hjust = 0, vjust = 0.5))
  if (values) {
    p <- p + ggplot2::geom_text(ggplot2::aes(label = .data$label,
                                             colour = .data$percent > 50),
                                size = 2.6, show.legend = FALSE) +
      ggplot2::scale_colour_manual(values = c(`FALSE` = "grey10", `TRUE` = "white"))
  }
  p
}

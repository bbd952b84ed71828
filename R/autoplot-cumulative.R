#' Plot a cumulative network meta-analysis
#'
#' Draws the estimate and confidence interval of every comparison with the
#' reference (or of the comparisons chosen) at each step of
#' [cumulative_nma()], one panel per comparison, with the estimate of the
#' last step (all studies) as a horizontal line. Ratio measures are drawn on
#' the ratio scale by default (a logarithmic axis labelled with ratios, the
#' line of no effect at 1). Steps at which a comparison is not estimable yet
#' have no point; the caption says so.
#'
#' @param object An object of class `nma_cumulative`.
#' @param model `"random"` (default) or `"common"`.
#' @param comparisons `"reference"` (default) or `"all"`.
#' @param subset `NULL` (all) or the comparisons to draw, as labels
#'   `"treat1 vs treat2"` or treatments (their comparisons with the
#'   reference); with many treatments this keeps the figure legible.
#' @param exponentiate `NULL` (default): the ratio scale for ratio measures;
#'   `FALSE`: the analysis scale; `TRUE` for a difference measure is an error
#'   of class `fastnma_error_exponentiate`.
#' @param max_panels With `subset = NULL`: the largest number of comparisons
#'   drawn (default 12). A network with more shows those estimated at the
#'   most steps, and the caption says how many of how many.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac",
#'            tau2_method = "DL")
#' studies <- unique(senn2013$study)
#' year <- setNames(as.integer(regmatches(studies, regexpr("[0-9]{4}", studies))), studies)
#' autoplot(cumulative_nma(fit, year), subset = c("rosi", "metf"))
#' @method autoplot nma_cumulative
#' @export
# the one method of the figures of collections of parts (collection_figure())
autoplot.nma_cumulative <- autoplot.nma_bind

# The steps of a cumulative analysis: the estimates of tidy() (`d`) at each
# step, one panel per comparison.
cumulative_figure <- function(object, d, ch, subset, max_panels, call) {
  model <- ch$model
  exponentiate <- ch$exponentiate
  d <- subset_comparison_rows(as.data.frame(d), subset, call = call)
  shown_note <- NULL
  terms <- unique(d$term)
  if (is.null(subset) && length(terms) > max_panels) {
    # the comparisons estimated at the most steps show the accumulation best
    n_est <- tapply(!is.na(d$estimate), factor(d$term, levels = terms), sum)
    keep <- terms[order(-n_est, seq_along(terms))][seq_len(max_panels)]
    keep <- terms[terms %in% keep]
    d <- d[d$term %in% keep, , drop = FALSE]
    shown_note <- sprintf("%d of %d comparisons shown: those estimated at the most steps (choose with `subset`, `max_panels`).",
                          length(keep), length(terms))
  }
  d$panel <- factor(d$term, levels = unique(d$term))
  last <- d[d$step == max(d$step), c("panel", "estimate"), drop = FALSE]
  numeric_order <- is.numeric(d$order_value)
  d$x <- if (numeric_order) d$order_value else d$step
  n_missing <- sum(is.na(d$estimate))
  n_panels <- nlevels(d$panel)
  null <- null_value(object$measure, exponentiate)
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$x, y = .data$estimate)) +
    ggplot2::geom_hline(yintercept = null, colour = fastnma_colours[["ref"]],
                        linetype = "dashed", linewidth = 0.4) +
    ggplot2::geom_hline(data = last, ggplot2::aes(yintercept = .data$estimate),
                        colour = fastnma_colours[["pred"]], linewidth = 0.5, na.rm = TRUE) +
    ggplot2::geom_linerange(ggplot2::aes(ymin = .data$conf.low, ymax = .data$conf.high),
                            colour = fastnma_colours[["ci"]], linewidth = 0.4, na.rm = TRUE) +
    ggplot2::geom_point(colour = fastnma_colours[["point"]], size = 1.4, na.rm = TRUE) +
    ggplot2::facet_wrap(~panel, scales = "free_y",
                        ncol = if (n_panels <= 3) n_panels else if (n_panels <= 8) 4 else 5)
  p <- p + if (isTRUE(exponentiate)) {
    ggplot2::scale_y_log10(measure_label(object$measure, exponentiate),
                           labels = ratio_labels)
  } else {
    ggplot2::scale_y_continuous(measure_label(object$measure, exponentiate))
  }
  if (!numeric_order) {
    s <- object$steps
    p <- p + ggplot2::scale_x_continuous(breaks = s$step, labels = format(s$order_value))
  }
  p +
    ggplot2::labs(
      x = if (numeric_order) object$order_name else paste("Step (", object$order_name, ")", sep = ""),
      subtitle = sprintf("%s; line: all studies", model_subtitle(model)),
      caption = wrap_caption(c(shown_note,
        if (n_missing) sprintf("%d step-comparison%s without an estimate (treatment not yet studied, or not connected to the reference) are left blank.",
                               n_missing, if (n_missing == 1) "" else "s")), base_size = 8)) +
    theme_fastnma(base_size = if (n_panels > 8) 8 else 10, grid = "y")
}

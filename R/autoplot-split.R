#' Plot direct, indirect and network estimates
#'
#' Draws a [node_split()] result: for every comparison, the direct, indirect
#' and network estimates with their confidence intervals (the rows of
#' `tidy(object)`), and on the right the p-value of the test of their
#' difference, as `print()` shows it.
#'
#' Ratio measures are drawn on the ratio scale by default: the estimates and
#' their limits exponentiated, on a logarithmic axis labelled with ratios and
#' the line of no difference at 1.
#'
#' @param object An object of class `nma_split`.
#' @param exponentiate `NULL` (default): the ratio scale for ratio measures,
#'   the analysis scale otherwise; `FALSE`: the log scale (line at 0);
#'   `TRUE` for a difference measure is an error of class
#'   `fastnma_error_exponentiate`.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' autoplot(node_split(fit))
#' @method autoplot nma_split
#' @export
autoplot.nma_split <- function(object, exponentiate = NULL, ...) {
  check_dots_used_plot(...)
  measure <- attr(object, "measure")
  exponentiate <- resolve_exponentiate(exponentiate, measure)
  td <- to_scale(tidy(object), exponentiate)
  td <- td[td$evidence != "difference", , drop = FALSE]
  df <- strip_attributes(object)
  comp <- paste(df$treat1, "vs", df$treat2)
  K <- length(comp)
  pos <- c(network = 0.25, direct = 0, indirect = -0.25)
  td$comparison <- paste(td$treat1, "vs", td$treat2)
  td$y <- (K - match(td$comparison, comp) + 1) + pos[td$evidence]
  td$evidence <- factor(td$evidence, levels = c("direct", "indirect", "network"))
  td <- td[!is.na(td$estimate), , drop = FALSE]
  pval <- ifelse(is.na(df$p.value), ".", format.pval(df$p.value, digits = 2, eps = 1e-4))
  right <- paste0("p = ", pval)
  right[is.na(df$p.value)] <- df$evidence[is.na(df$p.value)]
  cols <- c(direct = fastnma_colours[["direct"]], indirect = fastnma_colours[["indirect"]],
            network = fastnma_colours[["network"]])
  small <- K > 25
  ggplot2::ggplot(td, ggplot2::aes(x = .data$estimate, y = .data$y,
                                   colour = .data$evidence)) +
    ggplot2::geom_vline(xintercept = null_value(measure, exponentiate),
                        colour = fastnma_colours[["ref"]],
                        linetype = "dashed", linewidth = 0.4) +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                            linewidth = 0.6) +
    ggplot2::geom_point(ggplot2::aes(shape = .data$evidence), size = if (small) 1.4 else 2) +
    ggplot2::scale_colour_manual(NULL, values = cols, drop = FALSE) +
    ggplot2::scale_shape_manual(NULL, values = c(direct = 16, indirect = 17, network = 15),
                                drop = FALSE) +
    ggplot2::scale_y_continuous(
      NULL, breaks = rev(seq_len(K)), labels = comp, expand = ggplot2::expansion(add = 0.5),
      sec.axis = ggplot2::dup_axis(breaks = rev(seq_len(K)), labels = right)) +
    scale_x_effect(exponentiate) +
    ggplot2::labs(
      x = measure_label(measure, exponentiate),
      subtitle = sprintf("%s; %s-effects model; p: test of direct vs indirect",
                         if (attr(object, "method") == "separate") "Separate indirect evidence (SIDDE)" else "Back-calculation (SIDE)",
                         if (attr(object, "model") == "random") "random" else "common")) +
    theme_fastnma(base_size = if (small) 9 else 11) +
    ggplot2::theme(axis.ticks.y = ggplot2::element_blank(),
                   panel.grid.major.y = ggplot2::element_line(colour = "grey95", linewidth = 0.3))
}

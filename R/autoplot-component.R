#' Forest plot of a component network meta-analysis
#'
#' Draws the estimated effect of each component (and interaction term), or of
#' each combination (treatment) relative to no active component, with
#' confidence intervals, from [component_nma()]. Ratio measures are drawn on
#' the ratio scale by default, on a log axis with the null line at 1.
#'
#' @param object An `nma_component` object.
#' @param type `"components"` (default) or `"combinations"`.
#' @param model `"random"` (default) or `"common"`.
#' @param exponentiate `NULL` (ratio scale for ratio measures), `TRUE` or
#'   `FALSE`.
#' @param level Confidence level.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' d <- data.frame(
#'   study = c("s1", "s2", "s3", "s4", "s5"),
#'   treat1 = c("A", "B", "A + B", "A + B", "B"),
#'   treat2 = c("P", "P", "P", "A", "A"),
#'   estimate = c(-0.5, -0.3, -0.9, -0.35, 0.15),
#'   std.error = c(0.2, 0.25, 0.3, 0.2, 0.3)
#' )
#' cnma <- component_nma(d, inactive = "P", measure = "MD")
#' autoplot(cnma)
#' autoplot(cnma, type = "combinations")
#' @export
autoplot.nma_component <- function(object, type = c("components", "combinations"),
                                   model = c("random", "common"), exponentiate = NULL,
                                   level = object$level, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  type <- check_choice(if (missing(type)) NULL else type,
                       c("components", "combinations"), "type")
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  exponentiate <- resolve_exponentiate(exponentiate, object$measure)
  check_level(level)
  d <- component_rows(object, model, type, level)
  if (isTRUE(exponentiate)) d <- exponentiate_columns(d)
  d$label <- if (type == "components") d$component else d$treatment
  d$y <- rev(seq_len(nrow(d)))
  lev <- sprintf("%g%%", 100 * level)
  # text and marks sized to the rows of a 6 in high figure
  n_rows <- nrow(d)
  text_pt <- max(5.5, min(9.5, 0.8 * 380 / n_rows))
  what <- if (type == "components") "component" else "combination (vs no active component)"
  ggplot2::ggplot(d, ggplot2::aes(y = .data$y)) +
    ggplot2::geom_vline(xintercept = null_value(object$measure, exponentiate),
                        colour = fastnma_colours[["ref"]], linetype = "dashed",
                        linewidth = 0.4) +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                            colour = fastnma_colours[["ci"]],
                            linewidth = if (n_rows > 30) 0.45 else 0.7) +
    ggplot2::geom_point(ggplot2::aes(x = .data$estimate), shape = 15,
                        size = if (n_rows > 30) 1.4 else 2.6,
                        colour = fastnma_colours[["point"]]) +
    ggplot2::scale_y_continuous(NULL, breaks = d$y, labels = d$label,
                                expand = ggplot2::expansion(add = 0.6)) +
    ggplot2::labs(
      x = paste(measure_label(object$measure, exponentiate), "of each", what),
      subtitle = paste0(if (model == "random") "Random effects" else "Common effects",
                        ", ", if (length(object$interactions)) "interaction" else "additive",
                        " component model; ", lev, " confidence intervals")) +
    theme_fastnma() +
    ggplot2::theme(axis.ticks.y = ggplot2::element_blank(),
                   axis.text.y = ggplot2::element_text(size = text_pt)) +
    scale_x_effect(exponentiate)
}

#' Plot leave-one-study-out results
#'
#' Draws a [leave_one_out()] result. `type = "estimates"` (default): for each
#' treatment against the reference, the estimate and confidence interval
#' without each study (the rows of `tidy(object)`), with the estimate of the
#' full network as a vertical line; ratio measures on the ratio scale by
#' default, on a logarithmic axis labelled with ratios. `type =
#' "statistics"`: Q and \eqn{\tau^2} without each study, against their
#' values in the full network (from `glance(object)`).
#'
#' @param object An object of class `nma_influence`.
#' @param type `"estimates"` (default) or `"statistics"`.
#' @param model `"random"` (default) or `"common"`.
#' @param treatments For `type = "estimates"`: the treatments to show
#'   (default all but the reference).
#' @param level Confidence level of the intervals.
#' @param exponentiate For `type = "estimates"`: `NULL` (default) draws
#'   ratio measures on the ratio scale (estimates and limits exponentiated,
#'   logarithmic axis labelled with ratios), `FALSE` on the log scale of the
#'   analysis; `TRUE` for a difference measure is an error of class
#'   `fastnma_error_exponentiate`. Q and \eqn{\tau^2} (`type =
#'   "statistics"`) stay on the analysis scale.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' loo <- leave_one_out(fit)
#' autoplot(loo, treatments = c("rosi", "metf"))
#' autoplot(loo, type = "statistics")
#' @method autoplot nma_influence
#' @export
autoplot.nma_influence <- function(object, type = c("estimates", "statistics"),
                                   model = c("random", "common"),
                                   treatments = NULL, level = 0.95,
                                   exponentiate = NULL, ...) {
  check_dots_used_plot(...)
  type <- check_choice(if (missing(type)) NULL else type,
                       c("estimates", "statistics"), "type")
  measure <- object$measure %||% "generic"
  exponentiate <- resolve_exponentiate(exponentiate, measure)
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  check_level(level)
  if (type == "statistics") {
    s <- object$studies
    s$study <- factor(s$study, levels = rev(s$study))
    long <- rbind(
      data.frame(study = s$study, statistic = "Q", value = s$Q, full = object$Q),
      data.frame(study = s$study, statistic = "tau\u00b2", value = s$tau2, full = object$tau2))
    long$disconnects <- factor(ifelse(rep(s$disconnects, 2), "yes", "no"), levels = c("no", "yes"))
    return(
      ggplot2::ggplot(long, ggplot2::aes(x = .data$value, y = .data$study)) +
        ggplot2::geom_vline(ggplot2::aes(xintercept = .data$full),
                            colour = fastnma_colours[["pred"]], linewidth = 0.6) +
        ggplot2::geom_segment(ggplot2::aes(x = .data$full, xend = .data$value,
                                           yend = .data$study), colour = "grey70") +
        ggplot2::geom_point(ggplot2::aes(shape = .data$disconnects),
                            colour = fastnma_colours[["point"]], size = 2) +
        ggplot2::scale_shape_manual("Removal disconnects the network",
                                    values = c(no = 16, yes = 4), drop = FALSE) +
        ggplot2::facet_wrap(~statistic, scales = "free_x") +
        ggplot2::labs(x = "Value without the study (line: full network)", y = NULL) +
        theme_fastnma(base_size = if (nrow(s) > 30) 9 else 11)
    )
  }
  d <- tidy(object)
  d <- d[d$model == model, , drop = FALSE]
  all_trt <- unique(d$treat1)
  if (is.null(treatments)) treatments <- all_trt
  bad <- setdiff(treatments, all_trt)
  if (length(bad)) {
    abort_fastnma(c("{.arg treatments} must be treatments other than the reference.",
                    "x" = "Not available: {.val {bad}}."), "treatment_selection")
  }
  d <- d[d$treat1 %in% treatments, , drop = FALSE]
  z <- stats::qnorm(1 - (1 - level) / 2)
  d$conf.low <- d$estimate - z * d$std.error
  d$conf.high <- d$estimate + z * d$std.error
  d <- to_scale(d, exponentiate, cols = c("estimate", "conf.low", "conf.high", "estimate_full"))
  studies <- unique(d$study)
  d$study <- factor(d$study, levels = rev(studies))
  d$panel <- factor(comparison_label(d$treat1, d$treat2),
                    levels = comparison_label(treatments, d$treat2[1]))
  full <- unique(d[c("panel", "estimate_full")])
  n_panels <- length(treatments)
  ggplot2::ggplot(d, ggplot2::aes(x = .data$estimate, y = .data$study)) +
    ggplot2::geom_vline(data = full, ggplot2::aes(xintercept = .data$estimate_full),
                        colour = fastnma_colours[["pred"]], linewidth = 0.6) +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                            colour = fastnma_colours[["ci"]], linewidth = 0.4, na.rm = TRUE) +
    ggplot2::geom_point(colour = fastnma_colours[["point"]], size = 1.2, na.rm = TRUE) +
    ggplot2::facet_wrap(~panel, scales = "free_x",
                        ncol = if (n_panels <= 3) n_panels else if (n_panels <= 8) 4 else 5) +
    scale_x_effect(exponentiate) +
    ggplot2::labs(x = sprintf("%s without the study (line: full network)",
                              measure_label(measure, exponentiate)),
                  y = "Study left out",
                  subtitle = sprintf("%s-effects model", if (model == "random") "Random" else "Common")) +
    theme_fastnma(base_size = if (length(studies) > 30 || n_panels > 8) 8 else 10)
}

#' Plot a network meta-regression
#'
#' The effect of every treatment against the reference as a function of the
#' covariate: the fitted line with its confidence band (and, optionally, the
#' prediction band of the random-effects model), one panel per comparison,
#' and the studies that compare the treatment directly with the reference as
#' points (observed contrast, size by precision). Ratio measures are drawn
#' on the ratio scale by default (log10 axis labelled with the measure, null
#' line at 1).
#'
#' @param object An object of class `nma_regression`.
#' @param model `"random"` (default) or `"common"`.
#' @param treatments Treatments to show (default: all but the reference).
#' @param exponentiate `NULL` (default: ratio scale for ratio measures),
#'   `TRUE` or `FALSE`.
#' @param points Show the studies' direct contrasts with the reference.
#' @param prediction Add the prediction band (random-effects model).
#' @param n_grid Number of covariate values on which the lines are drawn.
#' @param max_panels With `treatments = NULL`: the largest number of
#'   comparisons drawn (default 12). A network with more shows the
#'   treatments with the most studies against the reference, and the
#'   caption says how many of how many.
#' @param ... Must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma_binary(smokingcessation, measure = "OR", method = "IV",
#'                   reference = "A")
#' rob <- stats::setNames(rep(1:2, length.out = fit$k), fit$studies)
#' autoplot(nma_regression(fit, rob))
#' @method autoplot nma_regression
#' @export
autoplot.nma_regression <- function(object, model = c("random", "common"),
                                    treatments = NULL, exponentiate = NULL,
                                    points = TRUE, prediction = FALSE,
                                    n_grid = 50L, max_panels = 12, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  a <- curve_arguments(if (missing(model)) NULL else model, exponentiate, object$measure,
                       points, prediction)
  model <- a$model
  exponentiate <- a$exponentiate
  others <- setdiff(object$treatments, object$reference)
  # the treatments with the most studies against the reference: the panels
  # whose points show the fit
  counts <- function() {
    as.vector(table(factor(regression_points(object, others)$term,
                           levels = comparison_label(others, object$reference))))
  }
  sel <- select_panels(treatments, others, counts, max_panels, object$reference,
                       arg = "treatments", what = c("treatments", "comparisons"))
  treatments <- sel$shown
  shown_note <- sel$note
  rng <- range(object$covariate)
  grid <- seq(rng[1], rng[2], length.out = max(2L, as.integer(n_grid)))
  pr <- regression_predict(object, model, grid, "reference", object$level)
  pr <- pr[pr$treat1 %in% treatments, , drop = FALSE]
  pr$term <- factor(comparison_label(pr$treat1, pr$treat2),
                    levels = comparison_label(treatments, object$reference))
  if (exponentiate) pr <- exponentiate_columns(pr)
  ylab <- measure_label(object$measure, exponentiate)
  p <- effect_curve(pr, "at", null_value(object$measure, exponentiate),
                    prediction && model == "random")
  if (points) {
    pts <- regression_points(object, treatments)
    if (nrow(pts)) {
      if (exponentiate) pts$estimate <- exp(pts$estimate)
      pts$term <- factor(pts$term, levels = levels(pr$term))
      p <- p + study_points(pts, "at") +
        ggplot2::scale_size_area("Precision (1/SE^2)", max_size = 4)
    }
  }
  p <- p + ggplot2::facet_wrap(ggplot2::vars(.data$term),
                               ncol = min(4L, length(treatments))) +
    ggplot2::labs(x = object$covariate_name, y = ylab,
                  caption = wrap_caption(shown_note, base_size = 9),
                  title = paste0("Network meta-regression on ", object$covariate_name),
                  subtitle = paste0(fit_model_label(object$fit, model), ", ",
                                    object$assumption,
                                    if (object$assumption == "common") " slope" else " slopes",
                                    "; band: ", round(100 * object$level), "% CI")) +
    theme_fastnma()
  if (exponentiate) {
    p <- p + ggplot2::scale_y_log10(labels = ratio_labels)
  }
  p
}

# The studies' own contrasts of each treatment against the reference (the
# rows of the fit's data that compare them directly), at the study's
# covariate value.
regression_points <- function(object, treatments) {
  d <- object$fit$data
  ref <- object$reference
  r <- against_reference(d, d$treat2 == ref & d$treat1 %in% treatments,
                         d$treat1 == ref & d$treat2 %in% treatments)
  data.frame(term = comparison_label(r$other(d$treat1, d$treat2), ref),
             study = r$rows$study, at = unname(object$covariate[r$rows$study]),
             r$rows[c("estimate", "weight")], stringsAsFactors = FALSE)
}

# The rows of contrast data `d` (columns study, estimate, std.error) that
# compare something directly with the reference: `fwd` marks rows of arm 1
# against it, `rev` rows of arm 2 against it. `rows`: study, the estimate
# against the reference and its weight (1 / SE^2); `other(x1, x2)`: the
# other arm's value of a pair of arm columns, in the same order.
against_reference <- function(d, fwd, rev) {
  both <- function(x1, x2) c(x1[fwd], x2[rev])
  list(rows = data.frame(study = both(d$study, d$study),
                         estimate = c(d$estimate[fwd], -d$estimate[rev]),
                         weight = 1 / both(d$std.error, d$std.error)^2,
                         stringsAsFactors = FALSE),
       other = both)
}

# The arguments every faceted curve figure checks: the model (NULL: random
# effects), the scale, whether to draw points and the prediction band.
curve_arguments <- function(model, exponentiate, measure, points, prediction,
                            call = rlang::caller_env()) {
  out <- list(model = check_choice(model, c("random", "common"), "model", call = call),
              exponentiate = resolve_exponentiate(exponentiate, measure, call = call))
  check_flag(points, "points", call = call)
  check_flag(prediction, "prediction", call = call)
  out
}

# The curve of a faceted figure of an effect against a covariate or dose
# (`x`, a column of `pr`): the line of no effect at `null`, the prediction
# band where `prediction` (and finite), the confidence band and the line.
effect_curve <- function(pr, x, null, prediction) {
  p <- ggplot2::ggplot(pr, ggplot2::aes(x = .data[[x]], y = .data$estimate)) +
    ggplot2::geom_hline(yintercept = null, linetype = 2, colour = "grey50")
  if (prediction && all(is.finite(pr$pred.low))) {
    p <- p + ggplot2::geom_ribbon(ggplot2::aes(ymin = .data$pred.low, ymax = .data$pred.high),
                                  fill = "grey85", alpha = 0.6)
  }
  p +
    ggplot2::geom_ribbon(ggplot2::aes(ymin = .data$conf.low, ymax = .data$conf.high),
                         fill = "steelblue", alpha = 0.3) +
    ggplot2::geom_line(colour = "steelblue4", linewidth = 0.8)
}

# The studies' own contrasts on such a figure: open circles at `x`, area by
# `weight` (the caller adds the size scale).
study_points <- function(pts, x) {
  ggplot2::geom_point(data = pts, ggplot2::aes(x = .data[[x]], y = .data$estimate,
                                               size = .data$weight),
                      shape = 21, fill = "white", colour = "grey30")
}

# The panels of a faceted figure: `chosen` (the argument `arg`, NULL for the
# default) among `others` (everything but the reference). By default all of
# them, or the `max_panels` with the most studies against the reference
# (`counts()`, in the order of `others`) with a caption note; a name not in
# `others` is an error of class `fastnma_error_treatment_selection`. `what`:
# what the argument names and what a panel shows ("treatments",
# "comparisons"; "agents", "agents").
select_panels <- function(chosen, others, counts, max_panels, reference, arg, what,
                          call = rlang::caller_env()) {
  note <- NULL
  if (is.null(chosen)) {
    chosen <- others
    if (length(others) > max_panels) {
      keep <- others[order(-counts(), seq_along(others))][seq_len(max_panels)]
      chosen <- others[others %in% keep]
      note <- sprintf("%d of %d %s shown: those with the most studies against %s (choose with `%s`, `max_panels`).",
                      length(chosen), length(others), what[2L], reference, arg)
    }
  }
  bad <- setdiff(chosen, others)
  if (length(bad) || !length(chosen)) {
    abort_fastnma(c(
      paste0("{.arg ", arg, "} must name ", what[1L], " other than the reference."),
      "x" = if (length(bad)) "Not in the fit: {.val {bad}}." else "None was given.",
      did_you_mean_many(bad, others),
      "i" = "Available: {.val {others}}."
    ), "treatment_selection", call = call)
  }
  list(shown = chosen, note = note)
}

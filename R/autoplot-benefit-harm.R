#' Benefit-harm plot
#'
#' Draws a [benefit_harm()] table: each treatment placed by its efficacy and
#' its harm. `type = "pscore"` (default) uses the P-scores of both outcomes
#' (higher is better on both axes, so the best balance is top right);
#' `type = "estimate"` uses the effects against the common reference with
#' their confidence intervals in both directions (ratio measures on the
#' ratio scale with logarithmic axes). Labels never overlap (ggrepel).
#' Beyond 30 treatments only the 25 treatments furthest from the centre of
#' the cloud are labelled (the caption says so) and the intervals are
#' drawn fainter.
#'
#' @param object An object of class `nma_benefit_harm`.
#' @param type `"pscore"` (default) or `"estimate"`.
#' @param labels Axis titles for the two outcomes.
#' @param exponentiate For `type = "estimate"`: `NULL` (default) draws each
#'   outcome with a ratio measure on the ratio scale (logarithmic axis
#'   labelled with ratios, line of no difference at 1) and a difference
#'   measure on its own scale; `FALSE` draws ratio measures on the log
#'   scale; `TRUE` needs ratio measures for both outcomes (otherwise an error
#'   of class `fastnma_error_exponentiate`).
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' eff <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' # an illustrative second outcome on the same network
#' trt <- sort(unique(c(senn2013$treat1, senn2013$treat2)))
#' g <- setNames(sin(seq_along(trt)) / 4, trt)
#' harm_data <- transform(senn2013, TE = -TE / 2 + g[treat1] - g[treat2])
#' harm <- nma(harm_data, TE, seTE, treat1, treat2, study, reference = "plac")
#' bh <- benefit_harm(eff, harm, efficacy_small_values = "desirable")
#' autoplot(bh)
#' autoplot(bh, type = "estimate")
#' @method autoplot nma_benefit_harm
#' @export
autoplot.nma_benefit_harm <- function(object, type = c("pscore", "estimate"),
                                      labels = c("Efficacy", "Harm"),
                                      exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  type <- check_choice(if (missing(type)) NULL else type, c("pscore", "estimate"), "type")
  d <- as.data.frame(unclass(object), stringsAsFactors = FALSE)
  d <- d[stats::complete.cases(d[c("efficacy", "harm")]) | d$treatment == d$reference, ,
         drop = FALSE]
  measures <- attr(object, "measures")
  ratio <- c(resolve_exponentiate(exponentiate, measures[["efficacy"]]),
             resolve_exponentiate(exponentiate, measures[["harm"]]))
  models <- attr(object, "models")
  sub <- sprintf("%s: %s-effects model; %s: %s-effects model", labels[1],
                 models[["efficacy"]], labels[2], models[["harm"]])
  # Beyond 30 treatments only the 25 furthest from the centre of the cloud
  # are labelled (the others would be a tangle of leader lines), the
  # intervals are fainter, and the caption says so.
  n_trt <- nrow(d)
  many <- n_trt > 30L
  label_note <- NULL
  d$label <- d$treatment
  if (many) {
    xy <- if (type == "pscore") cbind(d$pscore_efficacy, d$pscore_harm) else
      cbind(d$efficacy / stats::sd(d$efficacy, na.rm = TRUE),
            d$harm / stats::sd(d$harm, na.rm = TRUE))
    centre <- colMeans(xy, na.rm = TRUE)
    dist <- sqrt(rowSums(sweep(xy, 2, centre)^2))
    dist[is.na(dist)] <- -Inf
    lab_keep <- rank(-dist, ties.method = "first") <= 25L
    d$label[!lab_keep] <- ""
    label_note <- sprintf("%d treatments: the 25 furthest from the centre of the cloud are labelled.", n_trt)
  }
  repel <- function(p) {
    p + ggrepel::geom_text_repel(ggplot2::aes(label = .data$label),
                                 size = if (many) 2.8 else 3.3,
                                 seed = 1, max.overlaps = Inf, box.padding = 0.35,
                                 min.segment.length = 0.3, segment.colour = "grey60",
                                 max.time = 60, max.iter = 4000)
  }
  if (type == "pscore") {
    p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$pscore_efficacy, y = .data$pscore_harm)) +
      ggplot2::annotate("rect", xmin = 0.5, xmax = 1, ymin = 0.5, ymax = 1,
                        fill = "#009E73", alpha = 0.08) +
      ggplot2::geom_vline(xintercept = 0.5, colour = "grey70", linewidth = 0.3) +
      ggplot2::geom_hline(yintercept = 0.5, colour = "grey70", linewidth = 0.3) +
      ggplot2::geom_point(colour = fastnma_colours[["point"]], size = if (many) 1.6 else 2.4)
    return(repel(p) +
      ggplot2::scale_x_continuous(paste(labels[1], "P-score (higher is better)"),
                                  limits = c(0, 1)) +
      ggplot2::scale_y_continuous(paste(labels[2], "P-score (higher is safer)"),
                                  limits = c(0, 1)) +
      ggplot2::coord_equal() +
      ggplot2::labs(subtitle = sub, caption = label_note) + theme_fastnma(grid = "xy"))
  }
  tf <- function(v, r) if (r) exp(v) else v
  for (col in c("efficacy", "efficacy_lower", "efficacy_upper")) d[[col]] <- tf(d[[col]], ratio[1])
  for (col in c("harm", "harm_lower", "harm_upper")) d[[col]] <- tf(d[[col]], ratio[2])
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$efficacy, y = .data$harm)) +
    ggplot2::geom_vline(xintercept = if (ratio[1]) 1 else 0, colour = "grey60",
                        linetype = "dashed", linewidth = 0.3) +
    ggplot2::geom_hline(yintercept = if (ratio[2]) 1 else 0, colour = "grey60",
                        linetype = "dashed", linewidth = 0.3) +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$efficacy_lower, xmax = .data$efficacy_upper),
                            colour = if (many) "grey85" else "grey65",
                            linewidth = if (many) 0.25 else 0.4, na.rm = TRUE) +
    ggplot2::geom_linerange(ggplot2::aes(ymin = .data$harm_lower, ymax = .data$harm_upper),
                            colour = if (many) "grey85" else "grey65",
                            linewidth = if (many) 0.25 else 0.4, na.rm = TRUE) +
    ggplot2::geom_point(colour = fastnma_colours[["point"]], size = if (many) 1.6 else 2.4)
  p <- repel(p) +
    ggplot2::labs(x = paste(labels[1], "-", measure_label(measures[["efficacy"]], ratio[1]),
                            "vs", d$reference[1]),
                  y = paste(labels[2], "-", measure_label(measures[["harm"]], ratio[2]),
                            "vs", d$reference[1]),
                  subtitle = sub, caption = label_note) +
    theme_fastnma(grid = "xy")
  p <- p + scale_x_effect(ratio[1])
  if (ratio[2]) {
    p <- p + ggplot2::scale_y_log10(labels = ratio_labels)
  }
  p
}

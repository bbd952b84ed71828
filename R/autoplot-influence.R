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
#' @param studies The studies to show (default: all, or the `max_studies`
#'   most influential when there are more; for `type = "statistics"`, those
#'   whose removal changes Q or \eqn{\tau^2} most, relative to their
#'   full-network values).
#' @param max_treatments,max_studies With `treatments` (`studies`) not
#'   given: the largest number of panels (default 6, one row; `type =
#'   "estimates"`) and of rows (default 30) drawn. When the network
#'   has more, the treatments (studies) whose leave-one-out estimates move
#'   furthest from the full-network estimate, in standard errors of the
#'   estimate without the study, are shown, and the caption says how many
#'   of how many.
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
                                   exponentiate = NULL, studies = NULL,
                                   max_treatments = 6, max_studies = 30, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  type <- check_choice(if (missing(type)) NULL else type,
                       c("estimates", "statistics"), "type")
  measure <- object$measure %||% "generic"
  exponentiate <- resolve_exponentiate(exponentiate, measure)
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  check_level(level)
  if (type == "statistics") {
    s <- object$studies
    stat_note <- NULL
    if (!is.null(studies)) {
      check_selection(studies, s$study, "{.arg studies} must be studies of the network.",
                      "study_values")
      s <- s[s$study %in% studies, , drop = FALSE]
    } else if (nrow(s) > max_studies) {
      # the studies whose removal changes Q or tau2 most (relative change)
      rel <- pmax(abs(s$Q - object$Q) / max(object$Q, 1e-12),
                  abs(s$tau2 - object$tau2) / max(object$tau2, 1e-12), na.rm = TRUE)
      rel[is.na(rel)] <- -Inf
      keep <- s$study[order(-rel)][seq_len(max_studies)]
      stat_note <- sprintf("%d of %d studies shown: those whose removal changes Q or tau\u00b2 most (choose with `studies`, `max_studies`).",
                           max_studies, nrow(s))
      s <- s[s$study %in% keep, , drop = FALSE]
    }
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
        ggplot2::labs(x = "Value without the study (line: full network)", y = NULL,
                      caption = wrap_caption(stat_note, base_size = 9)) +
        theme_fastnma(base_size = if (nrow(s) > 30) 9 else 11)
    )
  }
  d <- tidy(object)
  d <- d[d$model == model, , drop = FALSE]
  all_trt <- unique(d$treat1)
  given_trt <- !is.null(treatments)
  if (is.null(treatments)) treatments <- all_trt
  check_selection(treatments, all_trt,
                  "{.arg treatments} must be treatments other than the reference.",
                  "treatment_selection", treatments = TRUE)
  # Influence of a study on a comparison: how far its removal moves the
  # estimate, in standard errors of the estimate without it.
  d$shift <- abs(d$estimate - d$estimate_full) / d$std.error
  caption <- character()
  n_asked <- length(treatments)
  if (given_trt) {
    trt_keep <- treatments
  } else {
    infl <- tapply(d$shift, d$treat1, max, na.rm = TRUE)
    infl <- infl[is.finite(infl)]
    trt_keep <- treatments
    if (length(treatments) > max_treatments) {
      trt_keep <- names(sort(infl, decreasing = TRUE))[seq_len(max_treatments)]
      trt_keep <- treatments[treatments %in% trt_keep]
      caption <- c(caption, sprintf("%d of %d comparisons shown: those whose estimate moves furthest when a study is left out (choose with `treatments`).",
                                    length(trt_keep), length(treatments)))
    }
  }
  treatments <- trt_keep
  d <- d[d$treat1 %in% treatments, , drop = FALSE]
  all_studies <- unique(d$study)
  study_note <- NULL
  if (!is.null(studies)) {
    check_selection(studies, all_studies, "{.arg studies} must be studies of the network.",
                    "study_values")
    d <- d[d$study %in% studies, , drop = FALSE]
  } else if (length(all_studies) > max_studies) {
    s_infl <- tapply(d$shift, d$study, function(v) suppressWarnings(max(v, na.rm = TRUE)))
    s_infl[!is.finite(s_infl)] <- Inf
    keep <- names(sort(s_infl, decreasing = TRUE))[seq_len(max_studies)]
    d <- d[d$study %in% keep, , drop = FALSE]
    study_note <- sprintf("%d of %d studies shown: the most influential, those whose removal moves an estimate furthest (choose with `studies`).",
                                  length(keep), length(all_studies))
    caption <- c(caption, study_note)
  }
  z <- stats::qnorm(1 - (1 - level) / 2)
  d$conf.low <- d$estimate - z * d$std.error
  d$conf.high <- d$estimate + z * d$std.error
  d <- to_scale(d, exponentiate, cols = c("estimate", "conf.low", "conf.high", "estimate_full"))
  studies <- unique(d$study)
  d$study <- factor(d$study, levels = rev(studies))
  # strip titles on two lines ("X" over "vs Y"), so that a panel's title is
  # as wide as its longer treatment, not the two together
  strip_label <- function(t1, t2) paste0(t1, "\nvs ", t2)
  d$panel <- factor(strip_label(d$treat1, d$treat2),
                    levels = strip_label(treatments, d$treat2[1]))
  full <- unique(d[c("panel", "estimate_full")])
  n_panels <- length(treatments)
  n_rows <- length(studies) * ceiling(n_panels / 6)
  p_caption <- if (length(caption)) wrap_caption(caption, base_size = 9)
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$estimate, y = .data$study)) +
    ggplot2::geom_vline(data = full, ggplot2::aes(xintercept = .data$estimate_full),
                        colour = fastnma_colours[["pred"]], linewidth = 0.6) +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                            colour = fastnma_colours[["ci"]], linewidth = 0.4, na.rm = TRUE) +
    ggplot2::geom_point(colour = fastnma_colours[["point"]], size = 1.2, na.rm = TRUE) +
    ggplot2::facet_wrap(~panel, scales = "free_x",
                        ncol = min(n_panels, 6L)) +
    scale_x_effect(exponentiate,
                   breaks = if (exponentiate) scales::breaks_log(n = 4) else scales::breaks_extended(n = 4)) +
    ggplot2::labs(x = sprintf("%s without the study (line: full network)",
                              measure_label(measure, exponentiate)),
                  y = "Study left out",
                  subtitle = sprintf("%s-effects model", if (model == "random") "Random" else "Common"),
                  caption = if (length(caption)) wrap_caption(caption, base_size = 9)) +
    theme_fastnma(base_size = if (n_rows > 60) 7 else if (length(studies) > 30 || n_panels > 8) 8 else 10) +
    ggplot2::theme(axis.text.x = ggplot2::element_text(size = ggplot2::rel(0.8)),
                   panel.spacing.x = ggplot2::unit(1.2, "lines"))
  # when drawn: as many panels side by side as the device holds, each with
  # its own strip title and axis labels apart from its neighbours'
  attr(p, "fastnma_fit") <- function(plot, width, height) {
    pt <- element_pt(plot, "axis.text.y") %||% 8
    lab_in <- max(text_inches(levels(d$study), pt)) + 0.45
    strip_in <- max(text_inches(unlist(strsplit(levels(d$panel), "\n", fixed = TRUE)),
                                element_pt(plot, "strip.text") %||% pt, "bold")) + 0.25
    per_panel <- max(1.1, strip_in)
    ncol <- max(1L, min(n_panels, 6L, floor((width - lab_in) / per_panel)))
    if (ncol < n_panels) {
      # one row of the most influential comparisons, said in the caption
      infl <- tapply(d$shift, d$panel, function(v) suppressWarnings(max(v, na.rm = TRUE)))
      infl[!is.finite(infl)] <- -Inf
      keep <- names(sort(infl, decreasing = TRUE))[seq_len(ncol)]
      plot$data <- plot$data[plot$data$panel %in% keep, , drop = FALSE]
      plot$layers <- lapply(plot$layers, function(l) {
        if (!is.data.frame(l$data) || !"panel" %in% names(l$data)) return(l)
        l <- clone_layer(l)
        l$data <- l$data[l$data$panel %in% keep, , drop = FALSE]
        l
      })
      if (identical(plot$labels$caption, p_caption)) {
        note <- sprintf("%d of %d comparisons shown (as many as the width holds): those whose estimate moves furthest when a study is left out (choose with `treatments`).",
                        ncol, n_asked)
        plot$labels$caption <- wrap_caption(c(note, study_note))
      }
    }
    plot$facet <- ggplot2::facet_wrap(~panel, scales = "free_x", ncol = ncol)
    plot
  }
  p
}

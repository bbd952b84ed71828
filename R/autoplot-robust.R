# Figures of threshold analysis, outlier measures and the forward search.

# Row labels on the y axis: as many rows as the device's height holds at
# the axis text size, the first levels of `priority` kept; the caption says
# how many of how many. `levels_of` gives the y factor of the data.
limit_rows_hook <- function(priority, note) {
  function(plot, width, height) {
    pt <- element_pt(plot, "axis.text.y") %||% 8
    row_in <- 1.5 * pt / 72
    n_fit <- max(3L, floor((height - 1.6) / row_in))
    if (length(priority) <= n_fit) return(plot)
    keep <- priority[seq_len(n_fit)]
    plot$data <- plot$data[as.character(plot$data$row) %in% keep, , drop = FALSE]
    plot$data$row <- droplevels(plot$data$row)
    plot$layers <- lapply(plot$layers, function(l) {
      if (!is.data.frame(l$data) || !"row" %in% names(l$data)) return(l)
      l <- clone_layer(l)
      l$data <- l$data[as.character(l$data$row) %in% keep, , drop = FALSE]
      l
    })
    plot$labels$caption <- wrap_caption(sprintf(note, n_fit, length(priority)))
    plot
  }
}

#' Plot a threshold analysis
#'
#' The threshold forest of Phillippo et al. (2019): for every data point
#' (study contrast or direct estimate) its estimate with its confidence
#' interval (thin line) and the invariant interval (thick band) within
#' which the decision does not change; an arrow where the interval is
#' unbounded. The treatments that take over at each limit are written at
#' the ends of the band. Differences are on the analysis scale (log scale
#' for ratio measures), as the thresholds are.
#'
#' @param object An object of class `nma_threshold`.
#' @param max_rows The largest number of data points drawn (default 30;
#'   fewer when the page is too short to hold them). The data points nearest
#'   to changing the decision (smallest threshold in standard errors) are
#'   kept, and the caption says how many of how many.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' autoplot(threshold(fit))
#' @method autoplot nma_threshold
#' @export
autoplot.nma_threshold <- function(object, max_rows = 30, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  a <- attributes(object)
  d <- as.data.frame(unclass(object), stringsAsFactors = FALSE)
  d$label <- make.unique(threshold_point_labels(object), sep = " #")
  z <- stats::qnorm(1 - (1 - a$conf.level) / 2)
  d$conf.low <- d$estimate - z * d$std.error
  d$conf.high <- d$estimate + z * d$std.error
  prio <- order(d$min_threshold_se, -abs(d$estimate))
  shown <- limit_figure_rows(d, prio, max_rows,
                             "data points shown: those nearest to changing the decision")
  d <- shown$data
  prio <- shown$prio
  caption <- shown$caption
  finite <- c(d$conf.low, d$conf.high, d$invariant_lower, d$invariant_upper)
  finite <- finite[is.finite(finite)]
  span <- diff(range(finite))
  if (!is.finite(span) || span == 0) span <- 1
  lim <- range(finite) + c(-0.08, 0.08) * span
  d$band.low <- pmax(d$invariant_lower, lim[1])
  d$band.high <- pmin(d$invariant_upper, lim[2])
  priority <- d$label[prio]
  d$row <- factor(d$label, levels = rev(d$label))
  open_low <- d[!is.finite(d$invariant_lower), , drop = FALSE]
  open_high <- d[!is.finite(d$invariant_upper), , drop = FALSE]
  what <- if (a$rank == 1L) "best treatment" else paste("rank", a$rank)
  p <- ggplot2::ggplot(d, ggplot2::aes(y = .data$row)) +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$band.low, xmax = .data$band.high),
                            colour = fastnma_colours[["pred"]], alpha = 0.45, linewidth = 2.6) +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                            colour = fastnma_colours[["ci"]], linewidth = 0.5) +
    ggplot2::geom_point(ggplot2::aes(x = .data$estimate), colour = fastnma_colours[["point"]],
                        size = 1.4)
  arrow <- grid::arrow(length = grid::unit(0.06, "inches"), type = "closed")
  if (nrow(open_low)) {
    p <- p + ggplot2::geom_segment(data = transform_band(open_low, lim, "low"),
                                   ggplot2::aes(x = .data$x, xend = .data$xend, yend = .data$row),
                                   colour = fastnma_colours[["pred"]], arrow = arrow)
  }
  if (nrow(open_high)) {
    p <- p + ggplot2::geom_segment(data = transform_band(open_high, lim, "high"),
                                   ggplot2::aes(x = .data$x, xend = .data$xend, yend = .data$row),
                                   colour = fastnma_colours[["pred"]], arrow = arrow)
  }
  p <- p +
    ggplot2::coord_cartesian(xlim = lim) +
    ggplot2::labs(
      x = measure_label(a$measure, FALSE), y = NULL,
      subtitle = sprintf("Decision: %s is the %s (%s level, %s)", a$chosen, what, a$level,
                         a$model_label),
      caption = wrap_caption(c("Band: invariant interval; line: confidence interval.", caption),
                             base_size = 9)) +
    theme_fastnma(base_size = if (nrow(d) > 30) 8 else 10)
  attr(p, "fastnma_fit") <- limit_rows_hook(
    priority, "%d of %d data points shown (as many as the height holds): those nearest to changing the decision.")
  p
}

transform_band <- function(x, lim, side) {
  span <- diff(lim)
  if (side == "low") {
    data.frame(row = x$row, x = pmax(lim[1] + 0.12 * span, pmin(x$band.high, x$estimate)),
               xend = lim[1])
  } else {
    data.frame(row = x$row, x = pmin(lim[2] - 0.12 * span, pmax(x$band.low, x$estimate)),
               xend = lim[2])
  }
}

#' Plot outlier and influence measures
#'
#' One panel per measure (studentized deleted residual, Cook's distance,
#' covariance ratio, leverage), one row per study; dashed lines at the
#' usual marks (\eqn{\pm 2} for the residual, 1 for the covariance ratio).
#'
#' @param object An object of class `nma_outliers`.
#' @param measures The columns of `object$studies` to draw.
#' @param max_rows The largest number of studies drawn (default 30; fewer
#'   when the page is too short): those with the largest absolute
#'   studentized deleted residual.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' autoplot(outliers(fit))
#' @method autoplot nma_outliers
#' @export
autoplot.nma_outliers <- function(object, measures = c("stud_residual_deleted", "cook_distance",
                                                       "cov_ratio", "leverage"),
                                  max_rows = 30, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  s <- object$studies
  bad <- setdiff(measures, names(s))
  if (length(bad) || !length(measures)) {
    abort_fastnma(c("{.arg measures} must name columns of the study table.",
                    "x" = "Not available: {.val {bad}}."), "choice")
  }
  # strip titles on two lines, each about as wide as a panel
  titles <- c(stud_residual_deleted = "Studentized\ndeleted residual",
              std_residual_deleted = "Standardized\ndeleted residual",
              std_residual = "Standardized\nresidual", stud_residual = "Studentized\nresidual",
              cook_distance = "Cook's\ndistance", cov_ratio = "Covariance\nratio",
              leverage = "Leverage", mahalanobis = "Mahalanobis\ndistance",
              raw_residual = "Raw\nresidual", R_tau2 = "Change of\ntau\u00b2 (%)",
              R_Q = "Change\nof Q (%)", tau2_deleted = "tau\u00b2 without\nthe study")
  key <- abs(s$stud_residual_deleted)
  key[!is.finite(key)] <- -Inf
  prio <- order(-key)
  shown <- limit_figure_rows(s, prio, max_rows,
                             "studies shown: the largest studentized deleted residuals")
  s <- shown$data
  prio <- shown$prio
  caption <- shown$caption
  priority <- s$study[prio]
  long <- do.call(rbind, lapply(measures, function(m) {
    data.frame(row = s$study, measure = unname(titles[m] %|NA|% m), value = s[[m]],
               stringsAsFactors = FALSE)
  }))
  long$row <- factor(long$row, levels = rev(s$study))
  long$measure <- factor(long$measure, levels = unique(long$measure))
  marks <- data.frame(measure = character(), x = numeric(), stringsAsFactors = FALSE)
  if ("stud_residual_deleted" %in% measures)
    marks <- rbind(marks, data.frame(measure = titles[["stud_residual_deleted"]], x = c(-2, 2)))
  if ("cov_ratio" %in% measures)
    marks <- rbind(marks, data.frame(measure = titles[["cov_ratio"]], x = 1))
  marks$measure <- factor(marks$measure, levels = levels(long$measure))
  p <- ggplot2::ggplot(long, ggplot2::aes(x = .data$value, y = .data$row)) +
    ggplot2::geom_vline(data = marks, ggplot2::aes(xintercept = .data$x),
                        linetype = "dashed", colour = "grey55") +
    ggplot2::geom_point(colour = fastnma_colours[["point"]], size = 1.4, na.rm = TRUE) +
    ggplot2::facet_wrap(~measure, scales = "free_x", nrow = 1) +
    ggplot2::scale_x_continuous(breaks = scales::breaks_extended(n = 3)) +
    ggplot2::labs(x = NULL, y = NULL, subtitle = sprintf("%s model", object$model_label),
                  caption = if (!is.null(caption)) wrap_caption(caption, base_size = 9)) +
    theme_fastnma(base_size = if (nrow(s) > 30) 8 else 10) +
    ggplot2::theme(axis.text.x = ggplot2::element_text(size = ggplot2::rel(0.8)),
                   panel.spacing.x = ggplot2::unit(1.6, "lines"))
  hook_rows <- limit_rows_hook(priority, "%d of %d studies shown (as many as the height holds): the largest studentized deleted residuals.")
  n_measures <- length(measures)
  attr(p, "fastnma_fit") <- function(plot, width, height) {
    plot <- hook_rows(plot, width, height)
    # panels side by side while each keeps an inch, else in rows of two
    pt <- element_pt(plot, "axis.text.y") %||% 8
    lab_in <- max(text_inches(priority, pt)) + 0.4
    ncol <- max(1L, min(n_measures, floor((width - lab_in) / 1.1)))
    plot$facet <- ggplot2::facet_wrap(~measure, scales = "free_x", ncol = ncol)
    plot
  }
  p
}

`%|NA|%` <- function(x, y) if (is.null(x) || is.na(x)) y else x

#' Plot the forward search
#'
#' The monitoring plots of the forward search: \eqn{\tau^2}, Q, Cook's
#' distance and the covariance ratio at each step (`type = "statistics"`,
#' default), the estimates against the reference with their confidence
#' limits (`type = "estimates"`), or the standardized residuals of the
#' studies in (`type = "residuals"`). The study that enters at a step is
#' the last one drawn for it; jumps point at outliers.
#'
#' @param object An object of class `nma_forward`.
#' @param type `"statistics"`, `"estimates"` or `"residuals"`.
#' @param max_treatments For `type = "estimates"`: the largest number of
#'   panels (default 6): the treatments whose estimate moves most over the
#'   search.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' fs <- forward_search(fit, seed = 1)
#' autoplot(fs)
#' autoplot(fs, type = "estimates")
#' @method autoplot nma_forward
#' @export
autoplot.nma_forward <- function(object, type = c("statistics", "estimates", "residuals"),
                                 max_treatments = 6, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  type <- check_arg_choice(type)
  s <- object$steps
  n0 <- length(object$initial)
  xlab <- "Studies in the basic set"
  if (type == "statistics") {
    long <- rbind(
      data.frame(x = s$n_studies, panel = "tau\u00b2", value = s$tau2),
      data.frame(x = s$n_studies, panel = "Q", value = s$Q),
      data.frame(x = s$n_studies, panel = "Cook's distance", value = s$cook_distance),
      data.frame(x = s$n_studies, panel = "Covariance ratio", value = s$cov_ratio))
    long$panel <- factor(long$panel, levels = unique(long$panel))
    p <- ggplot2::ggplot(long, ggplot2::aes(x = .data$x, y = .data$value)) +
      ggplot2::geom_line(colour = fastnma_colours[["ci"]], na.rm = TRUE) +
      ggplot2::geom_point(colour = fastnma_colours[["point"]], size = 0.9, na.rm = TRUE) +
      ggplot2::facet_wrap(~panel, scales = "free_y", ncol = 2) +
      ggplot2::scale_y_continuous(breaks = scales::breaks_extended(n = 3)) +
      ggplot2::labs(x = xlab, y = NULL)
  } else if (type == "estimates") {
    e <- object$estimates
    moves <- tapply(e$estimate, e$treat1, function(v) diff(range(v, na.rm = TRUE)))
    trt <- unique(e$treat1)
    caption <- NULL
    if (length(trt) > max_treatments) {
      keep <- names(sort(moves, decreasing = TRUE))[seq_len(max_treatments)]
      caption <- sprintf("%d of %d treatments shown: those whose estimate moves most over the search (choose with `max_treatments`).",
                         max_treatments, length(trt))
      trt <- trt[trt %in% keep]
    }
    e <- e[e$treat1 %in% trt, , drop = FALSE]
    e$x <- s$n_studies[e$step]
    e$panel <- factor(paste0(e$treat1, "\nvs ", e$treat2),
                      levels = paste0(trt, "\nvs ", object$reference))
    p <- ggplot2::ggplot(e, ggplot2::aes(x = .data$x, y = .data$estimate)) +
      ggplot2::geom_ribbon(ggplot2::aes(ymin = .data$conf.low, ymax = .data$conf.high),
                           fill = fastnma_colours[["ci"]], alpha = 0.15) +
      ggplot2::geom_line(colour = fastnma_colours[["point"]]) +
      ggplot2::facet_wrap(~panel, scales = "free_y", ncol = min(3L, length(trt))) +
      ggplot2::scale_y_continuous(breaks = scales::breaks_extended(n = 3)) +
      ggplot2::labs(x = xlab, y = measure_label(object$measure, FALSE),
                    caption = if (!is.null(caption)) wrap_caption(caption, base_size = 9))
    strips <- unlist(strsplit(levels(e$panel), "\n", fixed = TRUE))
    n_panels <- length(trt)
    attr(p, "fastnma_fit") <- function(plot, width, height) {
      # as many panels side by side as keep every strip title whole
      strip_in <- max(text_inches(strips, element_pt(plot, "strip.text") %||% 8, "bold")) + 0.3
      ncol <- max(1L, min(3L, n_panels, floor((width - 0.7) / strip_in)))
      plot$facet <- ggplot2::facet_wrap(~panel, scales = "free_y", ncol = ncol)
      plot
    }
  } else {
    r <- object$std_residuals
    long <- data.frame(x = rep(s$n_studies, each = nrow(r)), study = rownames(r),
                       value = as.vector(r), stringsAsFactors = FALSE)
    long <- long[!is.na(long$value), , drop = FALSE]
    p <- ggplot2::ggplot(long, ggplot2::aes(x = .data$x, y = .data$value, group = .data$study)) +
      ggplot2::geom_hline(yintercept = c(-2, 2), linetype = "dashed", colour = "grey55") +
      ggplot2::geom_line(colour = fastnma_colours[["ci"]], alpha = 0.6) +
      ggplot2::labs(x = xlab, y = "Standardized residual")
  }
  hook <- attr(p, "fastnma_fit")
  p <- p + ggplot2::labs(subtitle = sprintf("Forward search from %d studies", n0)) +
    theme_fastnma(base_size = 10)
  attr(p, "fastnma_fit") <- hook
  p
}

# The rows of a figure's table `d` that fit in `max_rows`: when there are
# more, the first `max_rows` in the priority order `prio`, and a caption
# "<shown> of <all> <what> (choose with `max_rows`)". `prio` is returned for
# the rows kept.
limit_figure_rows <- function(d, prio, max_rows, what) {
  if (nrow(d) <= max_rows) return(list(data = d, prio = prio, caption = NULL))
  list(data = d[prio[seq_len(max_rows)], , drop = FALSE], prio = seq_len(max_rows),
       caption = sprintf("%d of %d %s (choose with `max_rows`).", max_rows, nrow(d), what))
}

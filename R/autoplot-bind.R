#' Forests of several fits and of subgroups
#'
#' `autoplot()` of [nma_bind()] draws one panel per comparison and one row
#' per fit (estimate and confidence interval); `autoplot()` of
#' [subgroup_nma()] one row per subgroup with the estimate of all studies as
#' a diamond, and the test of difference between subgroups in the panel
#' title. Ratio measures are drawn on the ratio scale by default (a
#' logarithmic axis labelled with ratios, the line of no effect at 1). A fit
#' or subgroup that cannot estimate a comparison keeps its row, marked with a
#' cross on the line of no effect and explained in the caption.
#'
#' @param object An object of class `nma_bind` or `nma_subgroup`.
#' @param model `"random"` (default) or `"common"`.
#' @param comparisons `"reference"` (default) or `"all"`.
#' @param subset `NULL` (all) or the comparisons to draw: labels
#'   `"treat1 vs treat2"` or treatments (their comparisons with the
#'   reference). Unknown names are an error of class
#'   `fastnma_error_comparison_selection`.
#' @param exponentiate `NULL` (default): the ratio scale for ratio measures;
#'   `FALSE`: the analysis scale; `TRUE` for a difference measure is an error
#'   of class `fastnma_error_exponentiate`.
#' @param max_panels With `subset = NULL`: the largest number of
#'   comparisons drawn (default 12). A result with more shows the
#'   comparisons whose estimates differ most between the fits (subgroups),
#'   and the caption says how many of how many.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' re <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' ce <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac", tau2 = 0)
#' autoplot(nma_bind(random = re, "tau2 = 0" = ce), subset = c("rosi", "metf"))
#' @name autoplot-bind
NULL

#' @rdname autoplot-bind
#' @method autoplot nma_bind
#' @export
autoplot.nma_bind <- function(object, model = c("random", "common"),
                              comparisons = c("reference", "all"), subset = NULL,
                              exponentiate = NULL, max_panels = 12, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  collection_figure(object, model, comparisons, subset, exponentiate, max_panels)
}

#' @rdname autoplot-bind
#' @method autoplot nma_subgroup
#' @export
# the one method of the figures of collections of parts (collection_figure())
autoplot.nma_subgroup <- autoplot.nma_bind

# The forest of bound fits: one row per fit.
bind_forest_rows <- function(object, d, ch) {
  d$row <- d$fit
  d$kind <- "fit"
  list(d = d, rows = object$labels, y_lab = NULL,
       subtitle = paste0(model_subtitle(ch$model), bind_common_note(object, ch$model)))
}

# The rows of a subgroup forest: the subgroups' estimates, and the estimate
# of all studies under them as a diamond; the test of difference in the
# panel titles and the subtitle.
subgroup_forest_rows <- function(object, d, ch) {
  pairs <- frame_pairs(object, ch$comparisons)
  all <- part_rows(object$full, ch$model, pairs$treat1, pairs$treat2, object$level,
                   ch$exponentiate)
  all$term <- comparison_label(all$treat1, all$treat2)
  keep <- c("term", "treat1", "treat2", "estimate", "conf.low", "conf.high", "status")
  all_lab <- "All studies"
  d <- rbind(cbind(as.data.frame(d)[keep], row = d$subgroup, kind = "fit"),
             cbind(all[keep], row = all_lab, kind = "all"))
  test <- tidy(object, type = "test", model = ch$model, comparisons = "all")
  p <- test$p.value[match(d$term, test$term)]
  d$panel_label <- ifelse(is.na(p), d$term,
                          paste0(d$term, "\n(difference: ",
                                 format_pvalue(p, header = TRUE), ")"))
  g <- glance(object, model = ch$model)
  list(d = d, rows = c(object$subgroups$subgroup, all_lab), y_lab = object$by_name,
       subtitle = sprintf("%s; overall test of difference: Q = %s, df = %d, %s",
                          model_subtitle(ch$model), format_num(g$Q_subgroups, 2),
                          g$df_subgroups, format_pvalue(g$p.value, header = TRUE)))
}

model_subtitle <- function(model) {
  if (model == "random") "Random-effects model" else "Common-effect model"
}

# Keep the comparisons named in `subset` (terms, or treatments compared with
# the reference).
subset_comparison_rows <- function(d, subset, call = rlang::caller_env()) {
  if (is.null(subset)) return(d)
  if (!is.character(subset) || !length(subset) || anyNA(subset)) {
    abort_fastnma("{.arg subset} must be comparison labels or treatments.",
                  "comparison_selection", call = call)
  }
  hit <- subset %in% d$term | subset %in% d$treat1
  if (!all(hit)) {
    abort_fastnma(c(
      "{.arg subset} names comparisons that the result does not hold.",
      "x" = "Not found: {.val {subset[!hit]}}.",
      "i" = "Use labels such as {.val {d$term[1]}} or treatments such as {.val {d$treat1[1]}}."
    ), "comparison_selection", call = call)
  }
  d[d$term %in% subset | d$treat1 %in% subset, , drop = FALSE]
}

# A forest with one panel per comparison (`term`, or `panel_label`) and one
# row per `row` (in the order of `rows`, top down); rows of kind "all" are
# drawn as diamonds; rows without an estimate get a cross on the line of no
# effect and the caption says why.
forest_panels <- function(d, measure, exponentiate, rows, y_lab, subtitle,
                          max_panels = Inf) {
  d <- as.data.frame(d)
  terms <- unique(d$term)
  n_terms <- length(terms)
  shown_note <- NULL
  # the comparisons whose estimates differ most between the rows come first
  v <- if (isTRUE(exponentiate)) log(d$estimate) else d$estimate
  spread <- tapply(v, factor(d$term, levels = terms), function(x) {
    x <- x[is.finite(x)]
    if (length(x) < 2L) -Inf else diff(range(x))
  })
  by_spread <- terms[order(-spread, seq_along(terms))]
  if (length(terms) > max_panels) {
    keep <- by_spread[seq_len(max_panels)]
    keep <- terms[terms %in% keep]
    d <- d[d$term %in% keep, , drop = FALSE]
    shown_note <- sprintf("%d of %d comparisons shown: those whose estimates differ most between the rows (choose with `subset`, `max_panels`).",
                          length(keep), length(terms))
    terms <- keep
  }
  lab <- if (is.null(d$panel_label)) d$term else d$panel_label
  d$panel <- factor(lab, levels = unique(lab[match(terms, d$term)]))
  d$row <- factor(d$row, levels = rev(unique(rows)))
  null <- null_value(measure, exponentiate)
  miss <- d[is.na(d$estimate), , drop = FALSE]
  fits <- d[!is.na(d$estimate) & d$kind == "fit", , drop = FALSE]
  all <- d[!is.na(d$estimate) & d$kind == "all", , drop = FALSE]
  n_panels <- length(terms)
  p <- ggplot2::ggplot(d, ggplot2::aes(y = .data$row)) +
    ggplot2::geom_vline(xintercept = null, colour = fastnma_colours[["ref"]],
                        linetype = "dashed", linewidth = 0.4) +
    ggplot2::geom_linerange(data = fits, ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                            colour = fastnma_colours[["ci"]], linewidth = 0.5, na.rm = TRUE) +
    ggplot2::geom_point(data = fits, ggplot2::aes(x = .data$estimate),
                        colour = fastnma_colours[["point"]], shape = 15, size = 2)
  if (nrow(all)) {
    p <- p +
      ggplot2::geom_linerange(data = all, ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                              colour = fastnma_colours[["network"]], linewidth = 0.5) +
      ggplot2::geom_point(data = all, ggplot2::aes(x = .data$estimate),
                          colour = fastnma_colours[["network"]], shape = 18, size = 3.5)
  }
  if (nrow(miss)) {
    miss$x <- rep(null, nrow(miss))
    p <- p + ggplot2::geom_point(data = miss, ggplot2::aes(x = .data$x),
                                 colour = "grey45", shape = 4, size = 2.5)
  }
  miss_note <- if (nrow(miss)) paste0(
    "\u00d7 on the line of no effect: not estimated (",
    paste(sort(unique(miss$status)), collapse = " or "),
    "; a treatment without a study in that fit, or treatments in separate parts).")
  p <- p +
    ggplot2::facet_wrap(~panel, scales = "free_x",
                        ncol = if (n_panels <= 3) n_panels else 4,
                        # strip titles on two lines: "X" over "vs Y"
                        labeller = ggplot2::as_labeller(function(x) sub(" vs ", "\nvs ", x, fixed = TRUE))) +
    scale_x_effect(exponentiate, breaks = if (exponentiate) scales::breaks_log(n = 4) else
      scales::breaks_extended(n = 4)) +
    ggplot2::scale_y_discrete(drop = FALSE) +
    ggplot2::labs(x = measure_label(measure, exponentiate), y = y_lab, subtitle = subtitle,
                  caption = wrap_caption(c(shown_note, miss_note), base_size = 8)) +
    theme_fastnma(base_size = if (length(rows) > 20 || n_panels > 8) 8 else 10, grid = "x") +
    # neighbouring panels' axis labels kept apart
    ggplot2::theme(panel.spacing.x = ggplot2::unit(1.2, "lines"))
  order_shown <- by_spread[by_spread %in% terms]
  attr(p, "fastnma_fit") <- function(plot, width, height) {
    fit_forest_panels(plot, width, height, order_shown, n_terms, miss_note,
                      n_rows = length(unique(rows)))
  }
  p
}

# The draw-time step of a panel forest: as many columns of panels as the
# device's width holds with every strip title whole (measured with the
# device's fonts), and, when the panels' rows would then be too low for
# their rows, the comparisons that differ least between the rows left out,
# with a caption note. Narrow panels get fewer axis breaks.
fit_forest_panels <- function(plot, width, height, order_shown, n_terms, miss_note,
                              n_rows) {
  levs <- levels(plot$data$panel)
  n_p <- length(levs)
  if (n_p < 2L) return(plot)
  strip_pt <- element_pt(plot, "strip.text") %||% 8
  axis_pt <- element_pt(plot, "axis.text.y") %||% 8
  strip_lines <- unlist(strsplit(sub(" vs ", "\nvs ", levs, fixed = TRUE), "\n"))
  strip_in <- max(text_inches(strip_lines, strip_pt, face = "bold")) + 0.04
  set_ncol <- function(q, ncol) {
    facet <- q$facet
    params <- facet$params
    params$ncol <- ncol
    params$nrow <- NULL
    q$facet <- ggplot2::ggproto(NULL, facet, params = params)
    q
  }
  panel_in <- function(g, along = c("w", "h")) {
    room <- panel_room(g, if (match.arg(along) == "w") width else height, along)
    if (is.null(room)) NA_real_ else room$free / room$n_null
  }
  ncol <- plot$facet$params$ncol %||% min(n_p, 4L)
  shown <- levs
  changed <- FALSE
  repeat {
    q <- set_ncol(plot, ncol)
    g <- laid_out(q)
    if (is.null(g)) return(plot)
    w <- panel_in(g, "w")
    if (is.na(w) || w >= strip_in || ncol == 1L) break
    ncol <- ncol - 1L
    changed <- TRUE
  }
  # rows of panels: each panel at least a line and a half of its text a row
  need_h <- n_rows * axis_pt * 1.5 / 72
  repeat {
    h <- panel_in(g, "h")
    if (is.na(h) || h >= need_h || length(shown) <= ncol) break
    n_keep <- max(ncol, (ceiling(length(shown) / ncol) - 1L) * ncol)
    keep_terms <- order_shown[seq_len(n_keep)]
    shown <- levs[match(keep_terms, order_shown)]
    q <- drop_panels(set_ncol(plot, ncol), shown)
    note <- sprintf("%d of %d comparisons shown: those whose estimates differ most between the rows (a larger figure shows more; choose with `subset`).",
                    length(shown), n_terms)
    q$labels$caption <- wrap_caption(c(note, miss_note))
    g <- laid_out(q)
    if (is.null(g)) return(plot)
    changed <- TRUE
  }
  if (!changed) return(plot)
  plot <- if (length(shown) < n_p) q else set_ncol(plot, ncol)
  # narrow panels: three axis breaks, two below 0.85 in
  w <- panel_in(g, "w")
  if (!is.na(w) && w < 1.4) {
    sx <- plot$scales$get_scales("x")
    if (!is.null(sx)) {
      plot$scales <- plot$scales$clone()
      sx <- plot$scales$get_scales("x")
      n_br <- if (w < 0.85) 2 else 3
      sx$breaks <- if (inherits(sx$trans, "trans") && grepl("log", sx$trans$name)) {
        scales::breaks_log(n = n_br)
      } else scales::breaks_extended(n = n_br)
    }
  }
  plot
}

# A panel forest without the panels not in `shown` (its data and every
# layer's).
drop_panels <- function(plot, shown) {
  keep <- function(df) {
    if (!is.data.frame(df) || !"panel" %in% names(df)) return(df)
    df <- df[as.character(df$panel) %in% shown, , drop = FALSE]
    df$panel <- factor(as.character(df$panel), levels = shown)
    df
  }
  plot$data <- keep(plot$data)
  plot$layers <- lapply(plot$layers, function(l) {
    if (!is.data.frame(l$data)) return(l)
    l <- clone_layer(l)
    l$data <- keep(l$data)
    l
  })
  plot
}

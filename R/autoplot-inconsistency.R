# The decomposition of Q by design, drawn with ggplot2.

#' Figure of the decomposition of Q by design
#'
#' `autoplot()` of [inconsistency()] draws, for every design, its part of
#' the generalised Q statistic of the common-effect model as a bar in two
#' pieces: the heterogeneity within the design (`Q_within`, "within
#' design") and its contribution to the inconsistency between designs
#' (`Q_between`, "between designs"). The
#' pieces add up, over the designs, to the Q within designs and the Q between
#' designs of the print (Krahn, Binder & König 2013); the subtitle gives
#' both with their tests. Designs are sorted by their total part, the
#' largest on top; when the figure is drawn, as many designs are shown as
#' its height holds, and the caption says how many of how many.
#'
#' @param object An object of class `nma_inconsistency`.
#' @param designs `NULL` (default: every design, as many as fit the height
#'   when drawn) or the number of designs to show (those with the largest
#'   part of Q).
#' @param ... Must be empty.
#' @return A ggplot object.
#' @references
#' Krahn U, Binder H, König J (2013). A graphical tool for locating
#' inconsistency in network meta-analyses. *BMC Medical Research Methodology*
#' 13:35. \doi{10.1186/1471-2288-13-35}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' autoplot(inconsistency(fit, heat = FALSE))
#' @method autoplot nma_inconsistency
#' @export
autoplot.nma_inconsistency <- function(object, designs = NULL, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  if (!is.null(designs) && (!is_whole(designs) || designs < 1)) {
    abort_fastnma(c("{.arg designs} must be NULL or a positive whole number.",
                    "x" = "It is {.val {format(designs)}}."), "choice")
  }
  d <- object$designs
  q <- object$Q
  total <- d$Q_within + d$Q_between
  ord <- order(-total, d$design)
  n_all <- length(ord)
  user_n <- !is.null(designs)
  if (user_n) ord <- ord[seq_len(min(designs, n_all))]
  shown <- d$design[ord]
  parts <- c("within design", "between designs")
  td <- data.frame(
    design = rep(shown, 2L),
    part = factor(rep(parts, each = length(shown)), levels = rev(parts)),
    Q = c(d$Q_within[ord], d$Q_between[ord]),
    stringsAsFactors = FALSE)
  test_text <- function(i) {
    sprintf("%s %s (df %d, %s)", c("", "within designs", "between designs")[i],
            format_num(q$Q[i], 2), as.integer(q$df[i]), format_pvalue(q$p.value[i], header = TRUE))
  }
  subtitle <- sprintf("Q by design, common-effect model: %s; %s",
                      test_text(2L), test_text(3L))
  note <- function(k) {
    sprintf("%d of %d designs shown: those with the largest part of Q%s.", k, n_all,
            if (user_n) "" else " (as many as the height holds; choose with `designs`)")
  }
  caption <- if (length(shown) < n_all) note(length(shown))
  p <- ggplot2::ggplot(td, ggplot2::aes(x = .data$Q, y = .data$design, fill = .data$part)) +
    ggplot2::geom_col(width = 0.7, position = ggplot2::position_stack()) +
    ggplot2::scale_fill_manual(NULL, values = stats::setNames(
      c(fastnma_colours[["direct"]], fastnma_colours[["indirect"]]), parts),
      breaks = parts) +
    ggplot2::scale_y_discrete(limits = rev(shown)) +
    ggplot2::scale_x_continuous(expand = ggplot2::expansion(c(0, 0.05))) +
    ggplot2::labs(x = "Part of Q", y = "Design",
                  subtitle = subtitle,
                  caption = caption) +
    theme_fastnma(grid = "x", base_size = if (length(shown) > 30) 9 else 11) +
    ggplot2::theme(legend.position = "bottom", legend.direction = "horizontal")
  # when drawn: design labels wider than a third of the device wrapped at
  # their treatments; no more designs than the panel holds at the size (and
  # lines) of their labels, the largest ones kept, the caption saying how many
  attr(p, "fastnma_fit") <- function(plot, width, height) {
    pt <- element_pt(plot, "axis.text.y") %||% 8
    labels <- stats::setNames(shown, shown)
    room <- width / 3
    if (max(text_inches(shown, pt)) > room) {
      labels[] <- vapply(shown, wrap_design_label, character(1), pt = pt, room = room)
    }
    lines <- stats::setNames(lengths(strsplit(labels, "\n", fixed = TRUE)), shown)
    plot$scales <- plot$scales$clone()
    sc <- plot$scales$get_scales("y")
    sc$labels <- unname(labels[rev(shown)])
    if (user_n) return(plot)
    row_pt <- function(k) max(lines[seq_len(k)]) * 1.15 * pt + 0.4 * pt
    panel_h <- panel_height_in(plot, width, height)
    if (!is.finite(panel_h)) return(plot)
    fit_rows <- length(shown)
    while (fit_rows > 1L && fit_rows * row_pt(fit_rows) > panel_h * 72) fit_rows <- fit_rows - 1L
    if (fit_rows >= length(shown)) return(plot)
    # the caption note takes room too: measured again with it
    plot$labels$caption <- note(fit_rows)
    panel_h <- panel_height_in(plot, width, height)
    if (is.finite(panel_h)) {
      while (fit_rows > 1L && fit_rows * row_pt(fit_rows) > panel_h * 72) fit_rows <- fit_rows - 1L
    }
    keep <- shown[seq_len(fit_rows)]
    plot$data <- plot$data[plot$data$design %in% keep, , drop = FALSE]
    sc$limits <- rev(keep)
    sc$labels <- unname(labels[rev(keep)])
    plot$labels$caption <- note(fit_rows)
    plot
  }
  p
}

# A design label ("A:B:C") on as many lines as keep each within `room`
# inches at `pt` points, broken after a treatment's colon.
wrap_design_label <- function(label, pt, room) {
  parts <- strsplit(label, ":", fixed = TRUE)[[1]]
  lines <- parts[1L]
  for (part in parts[-1L]) {
    last <- length(lines)
    joined <- paste0(lines[last], ":", part)
    if (text_inches(joined, pt) <= room) {
      lines[last] <- joined
    } else {
      lines[last] <- paste0(lines[last], ":")
      lines <- c(lines, part)
    }
  }
  paste(lines, collapse = "\n")
}

#' The ggplot2 theme of fastnma figures
#'
#' Every figure of fastnma is drawn with this theme: a light, minimal theme
#' with horizontal text, a legend at the bottom and room for long treatment
#' labels. Add it to your own plots, or override any part of it with
#' `+ ggplot2::theme()`.
#'
#' A plot given this theme is laid out for the device it is drawn on: below
#' 7 in wide its text is scaled down (to 8 pt in a journal column of 3.5 in),
#' and its caption, title and subtitle are wrapped to the width of the
#' device, measured with the device's fonts.
#'
#' @param base_size Base font size, in points.
#' @param base_family Base font family.
#' @param grid Which major grid lines to draw: `"x"`, `"y"`, `"xy"` or
#'   `"none"`.
#' @return A ggplot2 theme.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' autoplot(fit) + theme_fastnma(base_size = 14)
#' @export
theme_fastnma <- function(base_size = 11, base_family = "",
                          grid = c("x", "y", "xy", "none")) {
  grid <- check_choice(if (missing(grid)) NULL else grid,
                       c("x", "y", "xy", "none"), "grid")
  line <- ggplot2::element_line(colour = "grey88", linewidth = 0.3)
  blank <- ggplot2::element_blank()
  th <- ggplot2::theme_minimal(base_size = base_size, base_family = base_family) +
    ggplot2::theme(
      panel.grid.minor = blank,
      panel.grid.major.x = if (grid %in% c("x", "xy")) line else blank,
      panel.grid.major.y = if (grid %in% c("y", "xy")) line else blank,
      axis.ticks = ggplot2::element_line(colour = "grey60", linewidth = 0.3),
      axis.text = ggplot2::element_text(colour = "grey20"),
      plot.title = ggplot2::element_text(face = "bold", hjust = 0),
      plot.title.position = "plot",
      plot.subtitle = ggplot2::element_text(colour = "grey30"),
      plot.caption = ggplot2::element_text(colour = "grey40", hjust = 0),
      plot.caption.position = "plot",
      legend.position = "bottom",
      strip.text = ggplot2::element_text(face = "bold", hjust = 0)
    )
  class(th) <- unique(c("fastnma_theme", class(th)))
  th
}

# Colours used across figures (colour-blind safe, Okabe-Ito).
fastnma_colours <- c(
  point = "#0F4C81", ci = "#0F4C81", pred = "#E69F00", ref = "grey45",
  direct = "#0072B2", indirect = "#D55E00", network = "grey15",
  edge = "#5B7DA8", node = "#0F4C81", polygon = "#E69F00"
)

# Diverging fill scale centred at `midpoint` for heat maps.
scale_fill_fastnma_diverging <- function(name, midpoint = 0, limits = NULL,
                                         ...) {
  ggplot2::scale_fill_gradient2(name = name, low = "#2166AC", mid = "white",
                                high = "#B2182B", midpoint = midpoint,
                                limits = limits, na.value = "grey92", ...)
}

# Axis label of an effect measure.
measure_label <- function(measure, exponentiate = FALSE) {
  known <- c(MD = "Mean difference", SMD = "Standardised mean difference",
             RR = "Risk ratio", OR = "Odds ratio", RD = "Risk difference",
             HR = "Hazard ratio", IRR = "Incidence rate ratio",
             ROM = "Ratio of means")
  lab <- if (measure %in% names(known)) known[[measure]] else
    if (identical(measure, "generic")) "Effect" else measure
  if (is_ratio(measure) && !isTRUE(exponentiate)) lab <- paste("log", tolower(lab))
  lab
}

# The value of "no difference" on the scale drawn.
null_value <- function(measure, exponentiate) {
  if (is_ratio(measure) && exponentiate) 1 else 0
}

# Input checks shared by the figures.
check_nma_object <- function(x, call = rlang::caller_env()) {
  if (inherits(x, "nma_batch")) abort_by_outcome(x, call = call)
  if (!inherits(x, "nma")) {
    abort_fastnma(c(
      "{.arg object} must be a network meta-analysis made by {.fn nma}.",
      "x" = "It is {.obj_type_friendly {x}}."
    ), "not_fit", call = call)
  }
  invisible(x)
}

check_dots_used_plot <- function(..., call = rlang::caller_env()) {
  check_dots_empty(..., what = " for this figure", call = call)
}

check_flag <- function(x, arg, call = rlang::caller_env()) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    abort_fastnma("{.arg {arg}} must be TRUE or FALSE.", "flag", call = call)
  }
  x
}

# Text columns at the right of an interval plot (forest, node-split), drawn
# inside the panel so that they use the theme's font at a readable size and
# keep their alignment (each column is left- or right-aligned on its own x),
# whatever the number of rows.
#
# `lo`, `hi`: the range of the intervals on the drawn scale (log scale for
# ratios drawn exponentiated). `columns`: a named list of character vectors
# (names are the headers), one value per row of `y`. The columns take
# `share` of the panel width, split by their widths in characters. Returns
# the layers, the x limits of the panel on the drawn scale and the breaks to
# keep on the axis (within the intervals' range). With `block` (the facet of
# each row, a column `block` of the plot's data), every facet gets the
# headers.
table_columns <- function(y, columns, header_y, lo, hi, exponentiate,
                          size = 3.3, share = NULL, block = NULL) {
  span <- hi - lo
  if (!is.finite(span) || span <= 0) span <- max(abs(hi), 1)
  chars <- column_chars(columns)
  if (is.null(share)) share <- min(0.55, max(0.3, sum(chars) / 90))
  per_char <- span * share / (1 - share) / sum(chars)
  start <- hi + 0.04 * span + c(0, cumsum(chars)[-length(chars)]) * per_char
  back <- function(x) if (exponentiate) exp(x) else x
  layers <- list()
  for (i in seq_along(columns)) {
    right <- !is.null(attr(columns[[i]], "align")) && attr(columns[[i]], "align") == "right"
    x <- start[i] + if (right) (chars[i] - 2) * per_char else 0
    blocks <- if (is.null(block)) 1L else sort(unique(block))
    cell <- data.frame(x = back(x), y = c(y, rep(header_y, length(blocks))),
                       label = c(columns[[i]], rep(names(columns)[i], length(blocks))),
                       header = c(rep(FALSE, length(y)), rep(TRUE, length(blocks))))
    if (!is.null(block)) cell$block <- c(block, blocks)
    layers[[length(layers) + 1L]] <- ggplot2::geom_text(
      data = cell, ggplot2::aes(x = .data$x, y = .data$y, label = .data$label,
                                fontface = ifelse(.data$header, "bold", "plain")),
      hjust = if (right) 1 else 0, size = size, colour = "grey10",
      inherit.aes = FALSE)
  }
  list(layers = layers,
       limits = back(c(lo - 0.04 * span, start[length(start)] + chars[length(chars)] * per_char)),
       range = back(c(lo, hi)))
}

# Axis breaks within the range of the intervals only (the text columns
# share the panel): the scale's own breaks, cut to `range`.
breaks_within <- function(range, exponentiate, n = 6) {
  force(range)
  force(n)
  function(limits) {
    b <- if (exponentiate) scales::breaks_log(n = n, base = 10)(range) else
      scales::breaks_extended(n = n)(range)
    if (exponentiate && length(b[b >= range[1] & b <= range[2]]) < 3L) {
      b <- scales::breaks_pretty(n = n - 1)(range)
      b <- b[b > 0]
    }
    b[b >= range[1] & b <= range[2]]
  }
}

# Right-aligned text column for table_columns().
align_right <- function(x) structure(x, align = "right")

# A caption of one or more paragraphs, one a line. It is wrapped when the
# figure is drawn, to the width of the device (see fit_to_device()); `width`
# and `base_size` are kept for the callers and no longer used.
wrap_caption <- function(x, width = 8, base_size = 11) {
  if (!length(x)) return(NULL)
  paste(x, collapse = "\n")
}

# Width of each text column in characters: its widest value or its header
# (bold, so counted 12% wider), plus two of spacing.
column_chars <- function(columns) {
  vapply(seq_along(columns), function(i) {
    max(nchar(columns[[i]], type = "width"),
        ceiling(1.12 * nchar(names(columns)[i], type = "width")), 1L)
  }, numeric(1)) + 2
}

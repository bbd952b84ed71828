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
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @return A ggplot2 theme.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' autoplot(fit) + theme_fastnma(base_size = 14)
#' @export
theme_fastnma <- function(base_size = 11, base_family = "",
                          grid = c("x", "y", "xy", "none"), ...) {
  netmeta_guard(dots_empty = TRUE)
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
  check_fit_object(x, "object", call = call)
}

# A selection made for a figure (comparisons, studies, treatments, rows)
# must name what the result holds: `header` says what must be true, the
# names not found follow (with the closest treatments, for `treatments`).
check_selection <- function(wanted, available, header, class, treatments = FALSE,
                            call = rlang::caller_env()) {
  bad <- setdiff(wanted, available)
  if (length(bad)) {
    abort_fastnma(c(header, "x" = "Not found: {.val {bad}}.",
                    if (treatments) did_you_mean_many(bad, available)), class, call = call)
  }
  invisible(wanted)
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
                       header = c(rep(FALSE, length(y)), rep(TRUE, length(blocks))),
                       .table_col = names(columns)[i])
    if (!is.null(block)) cell$block <- c(block, blocks)
    layers[[length(layers) + 1L]] <- ggplot2::geom_text(
      data = cell, ggplot2::aes(x = .data$x, y = .data$y, label = .data$label,
                                fontface = ifelse(.data$header, "bold", "plain")),
      hjust = if (right) 1 else 0, size = size, colour = "grey10",
      inherit.aes = FALSE)
  }
  list(layers = layers,
       limits = back(c(lo - 0.04 * span, start[length(start)] + chars[length(chars)] * per_char)),
       range = back(c(lo, hi)),
       spec = list(columns = columns, lo = lo, hi = hi, exponentiate = exponentiate))
}

# The draw-time step of a plot with text columns (table_columns()): the
# columns are measured with the device's fonts at the size they are drawn,
# and placed in the panel that the device leaves, the intervals getting the
# rest. Columns named in `drop` (in that order) are left out, one by one,
# while the columns would take more than `max_share` of the panel;
# `caption(kept)` gives the caption for the columns kept. `row_labels`: the
# texts at the left of the rows (the y axis, or with `n_blocks` > 1 a text
# layer marked by a column `.row_label` in each block).
table_fit <- function(spec, row_labels, n_blocks = 1L, drop = character(),
                      caption = NULL, max_share = 0.6) {
  force(spec); force(row_labels); force(n_blocks); force(drop); force(caption)
  function(plot, width, height) {
    fit_table_columns(plot, width, height, spec, row_labels, n_blocks, drop, caption, max_share)
  }
}

# The distance (points) between rows one unit apart on the y axis of a
# plot drawn on a device `width` x `height` inches: the plot (its labels
# wrapped for the device) is laid out once, the panel taking the height its
# fixed parts leave.
row_pitch_pt <- function(plot, width, height) {
  sc <- plot$scales$get_scales("y")
  lim <- if (is.null(sc)) NULL else sc$limits
  if (!is.numeric(lim) || length(lim) != 2L || any(!is.finite(lim))) return(Inf)
  panel_height_in(plot, width, height) * 72 / diff(lim)
}

# The height (inches) of a panel of a plot drawn on a device `width` x
# `height` inches (its labels wrapped for the device), laid out once.
panel_height_in <- function(plot, width, height) {
  g <- laid_out(wrap_labels(plot, width, height))
  room <- if (!is.null(g)) panel_room(g, height, "h")
  if (is.null(room)) return(Inf)
  panel_h <- room$free / room$n_null
  if (panel_h <= 0) return(Inf)
  panel_h
}

# The draw-time steps measure a figure as it is laid out: laid_out() is its
# gtable (without the draw-time step itself), or NULL when it cannot be laid
# out; panel_room() what a device `size` inches wide ("w") or high ("h")
# leaves to the panels once the fixed parts (axes, titles, legends, strips)
# are placed: `fixed` and `free` inches, the number of panel units `n_null`
# and the sum of their relative sizes `null_sum`; NULL without panels.
laid_out <- function(plot) {
  class(plot) <- setdiff(class(plot), "fastnma_figure")
  tryCatch(ggplot2::ggplotGrob(plot), error = function(e) NULL)
}

panel_room <- function(g, size, along = c("w", "h")) {
  along <- match.arg(along)
  u <- if (along == "w") g$widths else g$heights
  nul <- grid::unitType(u) == "null"
  if (!any(nul)) return(NULL)
  fixed <- sum(if (along == "w") grid::convertWidth(u[!nul], "in", valueOnly = TRUE) else
    grid::convertHeight(u[!nul], "in", valueOnly = TRUE))
  list(fixed = fixed, free = size - fixed, n_null = sum(nul),
       null_sum = sum(as.numeric(u[nul])))
}

# The scale of a figure of fixed aspect (a square table, a network graph)
# laid out as `g` on a `width` x `height` device: the inches of one relative
# panel unit, with the room of both directions; NULL when the aspect is not
# fixed or nothing is left to the panels.
fixed_aspect_scale <- function(g, width, height) {
  if (is.null(g) || !isTRUE(g$respect)) return(NULL)
  w <- panel_room(g, width, "w")
  h <- panel_room(g, height, "h")
  if (is.null(w) || is.null(h)) return(NULL)
  s <- min(w$free / w$null_sum, h$free / h$null_sum)
  if (!is.finite(s) || s <= 0) return(NULL)
  list(s = s, w = w, h = h)
}

# Width (inches) of each text at `pt` points on the open device.
text_inches <- function(x, pt, face = "plain") {
  gp <- grid::gpar(fontsize = pt, fontface = face)
  vapply(x, function(s) {
    if (is.na(s) || !nzchar(s)) return(0)
    grid::convertWidth(grid::grobWidth(grid::textGrob(s, gp = gp)), "in", valueOnly = TRUE)
  }, numeric(1), USE.NAMES = FALSE)
}

fit_table_columns <- function(plot, width, height, spec, row_labels, n_blocks, drop,
                              caption, max_share) {
  is_table <- vapply(plot$layers, function(l) {
    is.data.frame(l$data) && ".table_col" %in% names(l$data)
  }, logical(1))
  if (!any(is_table)) return(plot)
  # the size the columns are drawn at (after any scaling to the device),
  # no larger than the rows' pitch in the panel the device leaves
  first <- plot$layers[[which(is_table)[1]]]
  pt <- (first$aes_params$size %||% 3.88) * ggplot2::.pt
  label_pt <- if (n_blocks > 1L) pt else element_pt(plot, "axis.text.y") %||% pt
  if (width < 4.5) {
    # one key a line in a narrow figure
    plot <- plot + ggplot2::guides(colour = ggplot2::guide_legend(ncol = 1))
  }
  pitch <- row_pitch_pt(plot, width, height)
  if (is.finite(pitch) && max(pt, label_pt) > 0.85 * pitch) {
    new_pt <- max(3, 0.85 * pitch)
    label_pt <- min(label_pt, new_pt)
    pt <- min(pt, new_pt)
    for (i in which(is_table | vapply(plot$layers, function(l) {
      is.data.frame(l$data) && ".row_label" %in% names(l$data)
    }, logical(1)))) {
      l <- clone_layer(plot$layers[[i]])
      l$aes_params$size <- pt / ggplot2::.pt
      plot$layers[[i]] <- l
    }
    plot <- plot + ggplot2::theme(axis.text.y = ggplot2::element_text(size = label_pt))
  }
  lab_in <- max(text_inches(row_labels, label_pt), 0) + 0.1
  gap <- 0.7 * pt / 72
  col_in <- vapply(spec$columns, function(v) max(text_inches(v, pt)), numeric(1))
  head_in <- text_inches(names(spec$columns), pt, "bold")
  col_in <- pmax(col_in, head_in) + gap
  names(col_in) <- names(spec$columns)
  # the panel: the device less the plot margins, the row labels and (for
  # blocks side by side) their spacing
  margins <- 0.2
  panel_in <- if (n_blocks > 1L) (width - margins - n_blocks * lab_in) / n_blocks else
    width - margins - lab_in
  kept <- names(col_in)
  for (d in drop) {
    if (sum(col_in[kept]) <= max_share * panel_in) break
    kept <- setdiff(kept, d)
  }
  cols_in <- col_in[kept]
  span <- spec$hi - spec$lo
  if (!is.finite(span) || span <= 0) span <- max(abs(spec$hi), 1)
  interval_in <- max(panel_in - sum(cols_in), 0.25 * panel_in)
  u <- 1.08 * span / interval_in
  start <- spec$hi + 0.04 * span + c(0, cumsum(cols_in)[-length(cols_in)]) * u
  names(start) <- kept
  back <- function(x) if (spec$exponentiate) exp(x) else x
  # (a hair beyond the last column's right edge, so that its text is not
  # taken for out of bounds by rounding)
  limits <- c(spec$lo - 0.04 * span, spec$hi + 0.04 * span + sum(cols_in) * u + 1e-6 * span)
  layers <- list()
  for (i in seq_along(plot$layers)) {
    l <- plot$layers[[i]]
    if (is_table[i]) {
      nm <- l$data$.table_col[1]
      if (!nm %in% kept) next
      l <- clone_layer(l)
      right <- identical(l$aes_params$hjust, 1) || identical(l$geom_params$hjust, 1) ||
        isTRUE(attr(spec$columns[[nm]], "align") == "right")
      l$data$x <- back(if (right) start[[nm]] + cols_in[[nm]] * u else start[[nm]] + gap * u)
    } else if (is.data.frame(l$data) && ".row_label" %in% names(l$data)) {
      l <- clone_layer(l)
      l$data$x <- back(limits[1])
    }
    layers[[length(layers) + 1L]] <- l
  }
  plot$layers <- layers
  plot$scales <- plot$scales$clone()
  sc <- plot$scales$get_scales("x")
  if (!is.null(sc)) {
    sc$limits <- sc$trans$transform(back(limits))
    n_breaks <- max(2L, min(6L, floor(interval_in / 0.5)))
    sc$breaks <- breaks_within(back(c(spec$lo, spec$hi)), spec$exponentiate, n = n_breaks)
  }
  if (n_blocks > 1L) {
    room <- ggplot2::unit(lab_in * 72 + 4, "pt")
    plot <- plot + ggplot2::theme(panel.spacing.x = room,
                                  plot.margin = ggplot2::margin(5.5, 5.5, 5.5, lab_in * 72 + 4))
  }
  if (is.function(caption) && !identical(kept, names(col_in)) &&
      identical(plot$labels$caption, caption(names(col_in)))) {
    plot$labels$caption <- caption(kept)
  }
  plot
}

# Axis breaks within the range of the intervals only (the text columns
# share the panel): the scale's own breaks, cut to `range`.
breaks_within <- function(range, exponentiate, n = 6) {
  force(range)
  force(n)
  inside <- function(b) b[b >= range[1] & b <= range[2]]
  function(limits) {
    b <- inside(if (exponentiate) scales::breaks_log(n = n, base = 10)(range) else
      scales::breaks_extended(n = n)(range))
    if (exponentiate && length(b) < 3L) {
      # within a decade: plain numbers (0.5, 1, 1.5); wider: powers of 10
      p <- if (range[2] / range[1] < 10) scales::breaks_pretty(n = max(n - 1, 2))(range) else
        10^seq(floor(log10(range[1])), ceiling(log10(range[2])))
      p <- inside(p[p > 0])
      if (length(p) > length(b)) b <- p
    }
    # at least two breaks, asking for more where a narrow range has none
    m <- n
    while (length(b) < 2L && m < n + 6) {
      m <- m + 1
      more <- inside(if (exponentiate) scales::breaks_log(n = m, base = 10)(range) else
        scales::breaks_extended(n = m)(range))
      if (length(more) > length(b)) b <- more
    }
    b
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

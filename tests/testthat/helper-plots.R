# Shared fits for the figure tests.
senn_fit <- function() {
  nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
      reference = "plac")
}

smoking_fit <- function() {
  nma(suppressMessages(arm_contrasts(smokingcessation, measure = "OR")),
      reference = "A")
}

fit22 <- function() {
  nma(arm_contrasts(synthetic_network22(), measure = "MD"),
      reference = "Placebo")
}

# Build a plot and check it opened no graphics device.
expect_no_drawing <- function(expr) {
  before <- grDevices::dev.list()
  value <- force(expr)
  testthat::expect_identical(grDevices::dev.list(), before)
  testthat::expect_s3_class(value, "ggplot")
  invisible(value)
}

# The legends a figure draws, as the ggplot2 installed renders it: one entry
# per legend (its title, "" when it has none). Read from the built gtable, so
# a legend that a ggplot2 version drops (a guide merged away, a scale without
# a guide) is missing here too.
legend_titles <- function(p) {
  g <- ggplot2::ggplotGrob(p)
  boxes <- g$grobs[grepl("^guide-box", g$layout$name)]
  text_of <- function(x) {
    if (!is.null(x$label)) return(paste(as.character(x$label), collapse = " "))
    out <- character()
    for (ch in x$children) out <- c(out, text_of(ch))
    if (inherits(x, "gtable")) for (gr in x$grobs) out <- c(out, text_of(gr))
    paste(out, collapse = " ")
  }
  titles <- character()
  for (box in boxes) {
    if (!inherits(box, "gtable")) next
    for (i in seq_along(box$grobs)) {
      leg <- box$grobs[[i]]
      if (!inherits(leg, "gtable") || !any(grepl("^(key|bar)", leg$layout$name))) next
      t <- which(leg$layout$name == "title")
      titles <- c(titles, if (length(t)) trimws(text_of(leg$grobs[[t[1]]])) else "")
    }
  }
  titles
}

# The text of every grob in a gtable (titles, labels, legend text), in order.
grob_text <- function(x) {
  out <- character()
  if (!is.null(x$label)) out <- c(out, as.character(x$label))
  for (ch in x$children) out <- c(out, grob_text(ch))
  if (inherits(x, "gtable")) for (gr in x$grobs) out <- c(out, grob_text(gr))
  out
}

# The axis titles of a figure as rendered (bottom, top, left, right).
axis_titles <- function(p) {
  g <- ggplot2::ggplotGrob(p)
  keep <- grepl("^(xlab|ylab)", g$layout$name)
  unlist(lapply(g$grobs[keep], grob_text))
}

# The titles of the legends and of the axes, and the text layers: where a
# figure may name its measure (the forest names it in its column header).
figure_text <- function(p) {
  layers <- unlist(lapply(ggplot2::ggplot_build(p)$data, function(d) {
    if ("label" %in% names(d)) as.character(d$label)
  }))
  c(axis_titles(p), legend_titles(p), layers)
}

# Does the figure fit a device of width x height inches? The absolute
# widths and heights of its gtable (everything but the panels, which take
# what is left) must fit, and so must every legend box, so that no legend is
# clipped at the device edge. Returns the room left (inches), negative when
# something does not fit.
device_room <- function(p, width = 8, height = 6) {
  grDevices::pdf(NULL, width = width, height = height)
  on.exit(grDevices::dev.off())
  g <- ggplot2::ggplotGrob(p)
  w <- sum(grid::convertWidth(g$widths, "in", valueOnly = TRUE))
  h <- sum(grid::convertHeight(g$heights, "in", valueOnly = TRUE))
  boxes <- g$grobs[grepl("^guide-box", g$layout$name)]
  bw <- vapply(boxes, function(b) {
    if (inherits(b, "gtable")) grid::convertWidth(gtable::gtable_width(b), "in", valueOnly = TRUE) else 0
  }, numeric(1))
  bh <- vapply(boxes, function(b) {
    if (inherits(b, "gtable")) grid::convertHeight(gtable::gtable_height(b), "in", valueOnly = TRUE) else 0
  }, numeric(1))
  c(width = width - max(w, bw, 0), height = height - max(h, bh, 0))
}

expect_fits_device <- function(p, width = 8, height = 6, label = "figure") {
  room <- device_room(p, width, height)
  testthat::expect(all(room >= 0),
                   sprintf("%s does not fit %g x %g in: room left %s in.", label,
                           width, height, paste(format(round(room, 2)), collapse = " x ")))
  invisible(room)
}

# Positions of the layers of a geom ("GeomPoint") in a ggplot.
geom_layer <- function(p, geom) {
  which(vapply(p$layers, function(l) inherits(l$geom, geom), logical(1)))
}

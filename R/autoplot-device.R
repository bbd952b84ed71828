# Figures laid out for the device they are drawn on.
#
# A ggplot is built before it knows its page: the device's size is known
# only when it is drawn. Every fastnma figure (any plot given
# theme_fastnma()) is therefore a "fastnma_figure", whose build reads the size
# of the open device and fits the figure to it: text scaled down below 7 in
# wide (to 8 pt in one journal column of 3.5 in), and captions, titles and
# subtitles wrapped to the width available, measured with the device's
# fonts. A figure may carry its own step (attribute "fastnma_fit", a
# function of the plot, the width and the height in inches returning the
# plot) for what only it knows how to fit (its text columns, say).

#' @importFrom ggplot2 ggplot_add
#' @method ggplot_add fastnma_theme
#' @export
ggplot_add.fastnma_theme <- function(object, plot, object_name) {
  class(object) <- setdiff(class(object), "fastnma_theme")
  plot <- ggplot2::ggplot_add(object, plot, object_name)
  class(plot) <- unique(c("fastnma_figure", class(plot)))
  plot
}

#' @importFrom ggplot2 ggplot_build
#' @method ggplot_build fastnma_figure
#' @export
ggplot_build.fastnma_figure <- function(plot) {
  class(plot) <- setdiff(class(plot), "fastnma_figure")
  size <- device_size()
  if (!is.null(size)) plot <- fit_to_device(plot, size[[1]], size[[2]])
  ggplot2::ggplot_build(plot)
}

# The size (inches) of the open device, NULL when none is open (a figure
# built without a device, to read its layers, is left as it is).
device_size <- function() {
  if (grDevices::dev.cur() == 1L) return(NULL)
  s <- grDevices::dev.size("in")
  if (any(!is.finite(s)) || any(s <= 0)) return(NULL)
  s
}

# The scale of text at a device `width` inches wide: 1 from 7 in, down to
# 8/11 at 3.5 in (the 8 pt of a journal column).
text_scale <- function(width) {
  max(8 / 11, min(1, 8 / 11 + (width - 3.5) / 3.5 * (3 / 11)))
}

fit_to_device <- function(plot, width, height) {
  f <- text_scale(width)
  if (f < 1) plot <- scale_text(plot, f)
  own <- attr(plot, "fastnma_fit")
  if (is.function(own)) plot <- own(plot, width, height)
  plot <- wrap_labels(plot, width, height)
  plot
}

# Scale every text of a plot: the theme's absolute sizes and the size of
# its text layers.
scale_text <- function(plot, f) {
  th <- plot$theme
  for (nm in names(th)) {
    el <- th[[nm]]
    if (inherits(el, "element_text") && is.numeric(el$size) && !inherits(el$size, "rel")) {
      th[[nm]]$size <- el$size * f
    }
  }
  plot$theme <- th
  text_geoms <- c("GeomText", "GeomLabel", "GeomTextRepel", "GeomLabelRepel")
  for (i in seq_along(plot$layers)) {
    l <- plot$layers[[i]]
    if (!any(vapply(text_geoms, function(g) inherits(l$geom, g), logical(1)))) next
    if (!is.null(l$mapping$size)) next
    l <- clone_layer(l)
    size <- l$aes_params$size %||% l$geom$default_aes$size %||% 3.88
    l$aes_params$size <- size * f
    plot$layers[[i]] <- l
  }
  attr(plot, "fastnma_text_scale") <- f
  plot
}

# A copy of a layer (a ggproto environment), to change without changing the
# plot it came from.
clone_layer <- function(l) {
  e <- new.env(parent = parent.env(l))
  for (n in ls(l, all.names = TRUE)) assign(n, get(n, envir = l), envir = e)
  attributes(e) <- attributes(l)
  e
}

# The font size (points) of a theme element of a plot.
element_pt <- function(plot, name) {
  th <- ggplot2::theme_get()
  th <- th + plot$theme
  el <- ggplot2::calc_element(name, th)
  if (is.null(el) || inherits(el, "element_blank")) return(NULL)
  el$size
}

# Wrap text to `width_in` inches at `pt` points, measured with the open
# device's fonts; lines already broken stay broken.
wrap_to_width <- function(x, width_in, pt, face = "plain") {
  if (is.null(x) || !is.character(x) || !length(x) || !nzchar(x[1])) return(x)
  gp <- grid::gpar(fontsize = pt, fontface = face)
  measure <- function(s) {
    grid::convertWidth(grid::grobWidth(grid::textGrob(s, gp = gp)), "in",
                       valueOnly = TRUE)
  }
  lines <- unlist(strsplit(x[1], "\n", fixed = TRUE))
  out <- character()
  for (line in lines) {
    words <- strsplit(line, " ", fixed = TRUE)[[1]]
    cur <- ""
    for (w in words) {
      cand <- if (nzchar(cur)) paste(cur, w) else w
      if (nzchar(cur) && measure(cand) > width_in) {
        out <- c(out, cur)
        cur <- w
      } else {
        cur <- cand
      }
    }
    out <- c(out, cur)
  }
  paste(out, collapse = "\n")
}

# The width (inches) a plot's caption, title and subtitle get on a device of
# `width` x `height` inches: the device less the plot margins, or, for a
# plot of fixed aspect ratio (coord_equal(), a league table or a net heat
# plot), the width of the laid-out plot, which is centred and narrower than
# the device when the height limits it. The plot is laid out once with its
# current labels to find the fixed parts of its table; the panel takes what
# is left, at its aspect ratio.
label_room <- function(plot, width, height) {
  room <- width - 0.25
  if (plot$coordinates$is_free()) return(room)
  full <- room
  # twice: the labels wrapped narrower take more lines, and less height
  for (pass in 1:2) room <- fixed_aspect_room(plot, width, height, room, full)
  room
}

# The size (inches) of the panel of a fixed-aspect plot drawn on a device
# `width` x `height` inches (its labels wrapped for the device): c(w, h), or
# NULL when the plot has no fixed aspect.
fixed_panel_in <- function(plot, width, height) {
  if (plot$coordinates$is_free()) return(NULL)
  a <- fixed_aspect_scale(laid_out(wrap_labels(plot, width, height)), width, height)
  if (is.null(a)) return(NULL)
  c(a$s * a$w$null_sum, a$s * a$h$null_sum)
}

# The draw-time step of a square table of `n` rows and columns (league
# table, net heat plot): the row and column labels no larger than the
# cells they label (rotated column labels, 45 or 90 degrees, need their
# pitch across the rotation).
square_labels_fit <- function(n, rows = n, cols = n) {
  function(plot, width, height) {
    for (pass in 1:2) {
      panel <- fixed_panel_in(plot, width, height)
      if (is.null(panel)) return(plot)
      row_pt <- panel[2] * 72 / rows
      col_pt <- panel[1] * 72 / cols
      y_pt <- element_pt(plot, "axis.text.y") %||% 8
      x_pt <- element_pt(plot, "axis.text.x.top") %||% 8
      new_y <- min(y_pt, 0.8 * row_pt)
      new_x <- min(x_pt, 0.68 * col_pt)
      if (new_y >= y_pt && new_x >= x_pt) break
      plot <- plot + ggplot2::theme(
        axis.text.y = ggplot2::element_text(size = new_y),
        axis.text.x.top = ggplot2::element_text(size = new_x))
    }
    plot
  }
}

fixed_aspect_room <- function(plot, width, height, room, full) {
  q <- plot
  class(q) <- setdiff(class(q), "fastnma_figure")
  for (nm in c("caption", "title", "subtitle")) {
    pt <- element_pt(q, paste0("plot.", nm))
    if (is.character(q$labels[[nm]]) && !is.null(pt)) {
      q$labels[[nm]] <- wrap_to_width(q$labels[[nm]], room, pt,
                                      if (nm == "title") "bold" else "plain")
    }
  }
  a <- fixed_aspect_scale(laid_out(q), width, height)
  if (is.null(a)) return(room)
  max(1, min(full, a$w$fixed + a$s * a$w$null_sum - 0.25))
}

# Captions, titles, subtitles and the x axis title wrapped to the width
# they get (label_room()), measured with the device's fonts.
wrap_labels <- function(plot, width, height = width) {
  room <- label_room(plot, width, height)
  for (nm in c("caption", "title", "subtitle")) {
    lab <- plot$labels[[nm]]
    if (!is.character(lab) || !length(lab)) next
    el <- paste0("plot.", nm)
    pt <- element_pt(plot, el)
    if (is.null(pt)) next
    face <- if (nm == "title") "bold" else "plain"
    plot$labels[[nm]] <- wrap_to_width(lab, room, pt, face)
  }
  # the x axis title, to the width less room for the y axis
  lab <- plot$labels$x
  pt <- element_pt(plot, "axis.title.x")
  if (is.character(lab) && length(lab) && !is.null(pt)) {
    plot$labels$x <- wrap_to_width(lab, room - 0.6, pt)
  }
  plot
}

# Network graph of a fit, drawn with ggplot2 (see ?autoplot.nma), and of a
# network before any fit (autoplot.nma_network()).

#' Network graph of the data, before any fit
#'
#' `autoplot()` of a network made by [nma_network()] draws the graph of the
#' data before anything is fitted: one node per treatment, one edge per pair
#' of treatments compared directly, multi-arm designs shaded. It is the
#' figure of `autoplot(fit, type = "network")` (see [autoplot.nma()] for its
#' arguments) for the network alone; a network holds no arm sizes, so nodes
#' are sized by the number of studies unless `node_size = "equal"`.
#'
#' @param object An object of class `nma_network`.
#' @param ... Arguments of the network graph: `layout`, `node_size`
#'   (`"studies"` or `"equal"`), `edge_weight`, `multiarm`, `edge_labels`
#'   (see [autoplot.nma()]).
#' @return A ggplot object.
#' @examples
#' net <- nma_network(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
#' autoplot(net)
#' @method autoplot nma_network
#' @export
autoplot.nma_network <- function(object, ...) {
  netmeta_guard()
  draw_network(network_view(object), ...)
}

# What the network graph reads of a fit, from a network alone.
network_view <- function(net) {
  list(data = net$data, treatments = net$treatments, studies = net$studies,
       design_arms = net$design_arms, n_arms = net$n_arms, arms = NULL,
       n = length(net$treatments), k = length(net$studies),
       n_designs = length(net$design_arms))
}

plot_network <- function(object, ...) {
  check_nma_object(object)
  draw_network(object, ...)
}

draw_network <- function(object, layout = c("stress", "circle"),
                         node_size = c("auto", "patients", "studies", "equal"),
                         edge_weight = c("studies", "precision", "equal"),
                         multiarm = TRUE, edge_labels = NULL, ...) {
  check_dots_used_plot(...)
  layout <- check_choice(if (missing(layout)) NULL else layout,
                         c("stress", "circle"), "layout")
  node_size <- check_choice(if (missing(node_size)) NULL else node_size,
                            c("auto", "patients", "studies", "equal"), "node_size")
  edge_weight <- check_choice(if (missing(edge_weight)) NULL else edge_weight,
                              c("studies", "precision", "equal"), "edge_weight")
  check_flag(multiarm, "multiarm")
  if (node_size == "auto") node_size <- if (is.null(object$arms)) "studies" else "patients"
  if (node_size == "patients" && is.null(object$arms)) {
    abort_fastnma(c(
      "Node sizes by patients need arm-level sample sizes.",
      "i" = "Fit the network from {.fn arm_contrasts} output, or use {.code node_size = \"studies\"}."
    ), "node_size")
  }
  g <- network_graph(object)
  # by default, edge labels are left to the edge widths in one column
  edge_labels_auto <- is.null(edge_labels)
  if (edge_labels_auto) edge_labels <- nrow(g$edges) <= 40L
  check_flag(edge_labels, "edge_labels")

  pos <- switch(layout,
    stress = layout_stress(g$adjacency),
    circle = layout_circle(object$n)
  )
  nodes <- g$nodes
  nodes$x <- pos[, 1]
  nodes$y <- pos[, 2]
  nodes$value <- switch(node_size,
    patients = nodes$patients, studies = nodes$studies, equal = 1)
  # smaller nodes and labels as the network grows, so that labels stay apart
  size_range <- if (object$n > 40) c(1.5, 6) else if (object$n > 15) c(2.5, 9) else c(3, 11)
  if (node_size == "equal") size_range <- rep(mean(size_range) * 0.6, 2)
  label_size <- if (object$n > 60) 2.3 else if (object$n > 30) 2.8 else 3.6
  nodes$point_size <- area_size(nodes$value, size_range)

  e <- g$edges
  e$x <- nodes$x[e$from]
  e$y <- nodes$y[e$from]
  e$xend <- nodes$x[e$to]
  e$yend <- nodes$y[e$to]
  e$weight <- switch(edge_weight,
    studies = e$studies, precision = e$precision, equal = 1)
  e$xmid <- (e$x + e$xend) / 2
  e$ymid <- (e$y + e$yend) / 2

  # Treatment and edge labels: placed when the figure is drawn (see
  # place_network_labels()), measured with the device's fonts, beside their
  # node or on their edge, never over another label or node; until then at
  # their anchors. On a circle the treatment labels sit radially outside
  # their nodes instead (along the radius beyond 16 treatments).
  lab <- data.frame(x = nodes$x, y = nodes$y, label = nodes$treatment,
                    node = seq_len(nrow(nodes)), text_size = label_size,
                    colour = "grey5", kind = "treatment", stringsAsFactors = FALSE)
  radial <- NULL
  if (layout == "circle") {
    radial <- network_radial_labels(nodes, along = object$n > 16L)
    lab <- lab[0, , drop = FALSE]
    if (object$n > 16L) label_size <- min(label_size, 3)
    # edge labels kept inside the circle, away from the treatment labels
    e$xmid <- 0.85 * e$xmid
    e$ymid <- 0.85 * e$ymid
  }
  if (edge_labels) {
    lab <- rbind(lab, data.frame(x = e$xmid, y = e$ymid,
                                 label = as.character(e$studies),
                                 node = NA_integer_, text_size = 2.5,
                                 colour = "grey35", kind = "edge",
                                 stringsAsFactors = FALSE))
  }
  # the ends of each edge, for placing its label along it
  lab$x0 <- c(rep(NA_real_, sum(lab$kind == "treatment")), if (edge_labels) e$x)
  lab$y0 <- c(rep(NA_real_, sum(lab$kind == "treatment")), if (edge_labels) e$y)
  lab$x1 <- c(rep(NA_real_, sum(lab$kind == "treatment")), if (edge_labels) e$xend)
  lab$y1 <- c(rep(NA_real_, sum(lab$kind == "treatment")), if (edge_labels) e$yend)
  leaders <- data.frame(x = numeric(), y = numeric(), xend = numeric(), yend = numeric(),
                        .leader = logical())

  size_name <- switch(node_size, patients = "Patients", studies = "Studies",
                      equal = NULL)
  width_name <- switch(edge_weight, studies = "Studies per comparison",
                       precision = "Inverse-variance weight", equal = NULL)

  p <- ggplot2::ggplot(nodes, ggplot2::aes(x = .data$x, y = .data$y))
  poly <- if (multiarm) multiarm_polygons(object, nodes) else NULL
  if (!is.null(poly) && nrow(poly) > 0L) {
    p <- p + ggplot2::geom_polygon(
      data = poly, ggplot2::aes(x = .data$x, y = .data$y, group = .data$design),
      fill = fastnma_colours[["polygon"]], alpha = 0.18,
      colour = fastnma_colours[["polygon"]], linewidth = 0.3)
  }
  p <- p +
    ggplot2::geom_segment(
      data = e, ggplot2::aes(x = .data$x, y = .data$y, xend = .data$xend,
                             yend = .data$yend, linewidth = .data$weight),
      colour = fastnma_colours[["edge"]], alpha = 0.8, lineend = "round")
  p <- p +
    ggplot2::geom_point(ggplot2::aes(size = .data$value),
                        shape = 21, fill = fastnma_colours[["node"]],
                        colour = "white", stroke = 0.6) +
    (if (!is.null(radial)) {
      # moved out from the node's centre by its radius and a gap (set in
      # inches when drawn, see below)
      ggplot2::geom_text(
        data = shift_radially(radial, 0.12),
        ggplot2::aes(x = .data$x, y = .data$y, label = .data$label,
                     angle = .data$angle, hjust = .data$hjust, vjust = .data$vjust),
        size = label_size, colour = "grey5")
    }) +
    ggplot2::geom_segment(
      data = leaders, ggplot2::aes(x = .data$x, y = .data$y, xend = .data$xend,
                                   yend = .data$yend),
      colour = "grey55", linewidth = 0.3, inherit.aes = FALSE) +
    ggplot2::geom_label(
      data = lab, ggplot2::aes(x = .data$x, y = .data$y, label = .data$label),
      size = lab$text_size, colour = lab$colour,
      fill = grDevices::adjustcolor("white", alpha.f = 0.75),
      label.size = 0, label.padding = ggplot2::unit(label_pad_pt, "pt"),
      inherit.aes = FALSE) +
    (if (node_size == "equal") ggplot2::scale_size(size_name, range = size_range, guide = "none") else
      ggplot2::scale_size_area(size_name, max_size = size_range[2], guide = "legend")) +
    ggplot2::scale_linewidth(width_name, range = if (edge_weight == "equal") c(1, 1) else c(0.5, 4),
                             breaks = if (edge_weight == "studies") network_integer_breaks else ggplot2::waiver(),
                             guide = if (edge_weight == "equal") "none" else "legend") +
    ggplot2::scale_x_continuous(expand = ggplot2::expansion(0.15)) +
    ggplot2::scale_y_continuous(expand = ggplot2::expansion(0.1)) +
    ggplot2::coord_equal() +
    ggplot2::labs(
      x = NULL, y = NULL,
      subtitle = sprintf("%d treatments, %d studies, %d designs%s", object$n,
                         object$k, object$n_designs,
                         if (any(object$n_arms > 2L))
                           sprintf(" (multi-arm designs shaded)") else "")) +
    theme_fastnma(grid = "none") +
    ggplot2::theme(axis.text = ggplot2::element_blank(),
                   axis.ticks = ggplot2::element_blank(),
                   legend.position = "right", legend.box = "vertical",
                   legend.justification = "center")
  has_legend <- !(identical(node_size, "equal") && identical(edge_weight, "equal"))
  # the encodings, said in words when the legends give way (one column)
  encoding <- network_encoding_note(node_size, edge_weight, nodes$value, e$weight)
  attr(p, "fastnma_fit") <- function(plot, width, height) {
    network_fit_device(plot, width, height, nodes = nodes, radial = radial,
                label_size = label_size, has_legend = has_legend,
                encoding = encoding, edge_labels_auto = edge_labels_auto)
  }
  if (!multiarm || is.null(poly) || nrow(poly) == 0L) {
    p$labels$subtitle <- sprintf("%d treatments, %d studies, %d designs",
                                 object$n, object$k, object$n_designs)
  }
  p
}

# Padding (points) around a placed label's text.
label_pad_pt <- 1

# Whole-number breaks (studies per comparison), at most four.
network_integer_breaks <- function(limits) {
  lo <- ceiling(limits[1]); hi <- floor(limits[2])
  if (!is.finite(lo) || !is.finite(hi) || hi < lo) return(numeric())
  unique(round(seq(lo, hi, length.out = min(4L, hi - lo + 1L))))
}

# The node-size and edge-width encodings in words, for a caption.
network_encoding_note <- function(node_size, edge_weight, value, weight) {
  nice <- function(v) format(v, big.mark = ",", trim = TRUE, scientific = FALSE)
  parts <- c(
    switch(node_size,
           patients = sprintf("node area proportional to patients (largest %s)",
                              nice(max(value))),
           studies = sprintf("node area proportional to studies (largest %s)",
                             nice(max(value))),
           equal = NULL),
    switch(edge_weight,
           studies = sprintf("edge width by studies per comparison (%s to %s)",
                             nice(min(weight)), nice(max(weight))),
           precision = "edge width by inverse-variance weight",
           equal = NULL))
  if (!length(parts)) return(NULL)
  s <- paste(parts, collapse = "; ")
  paste0(toupper(substr(s, 1, 1)), substr(s, 2, nchar(s)), ".")
}

# Radial label positions on a circle layout: horizontal labels beside
# their nodes, or (`along`) along the radius, reading outwards.
network_radial_labels <- function(nodes, along) {
  ang <- atan2(nodes$y, nodes$x)
  right <- cos(ang) >= 0
  data.frame(
    x = nodes$x, y = nodes$y, label = nodes$treatment,
    angle = if (along) ifelse(right, ang, ang + pi) * 180 / pi else 0,
    hjust = if (along) ifelse(right, 0, 1) else
      ifelse(cos(ang) > 0.2, 0, ifelse(cos(ang) < -0.2, 1, 0.5)),
    vjust = if (along) 0.5 else
      ifelse(sin(ang) > 0.2, 0, ifelse(sin(ang) < -0.2, 1, 0.5)),
    cos = cos(ang), sin = sin(ang), point_size = nodes$point_size,
    stringsAsFactors = FALSE)
}

# The draw-time step of the network graph, on a device `width` x `height`
# inches:
# - in one journal column (under 5 in wide) the legends give way to a
#   sentence in the caption, so that the graph keeps the height;
# - treatment labels too long for the device are replaced: in a column by
#   numbers, with a key in the caption, on a page by abbreviations, with a
#   key;
# - on a circle, room around it for the labels, measured;
# - the labels placed (place_network_labels()); those that find no room
#   are not drawn, and the caption says which.
network_fit_device <- function(plot, width, height, nodes, radial, label_size, has_legend,
                               encoding, edge_labels_auto) {
  narrow <- width < 5
  scale <- attr(plot, "fastnma_text_scale") %||% 1
  # no network text smaller than 6 pt
  pt <- max(6, label_size * ggplot2::.pt * scale)
  if (narrow && has_legend && identical(plot$theme$legend.position, "right")) {
    plot <- plot + ggplot2::theme(legend.position = "none")
    plot$labels$caption <- paste(c(plot$labels$caption, encoding), collapse = "\n")
  }
  # labels too long for the device: numbers (column) or abbreviations (page)
  short <- network_abbreviations(nodes$treatment, pt, width)
  numbered <- narrow && !is.null(short)
  if (numbered) {
    short <- stats::setNames(as.character(seq_along(nodes$treatment)), nodes$treatment)
    key <- paste0("Treatments: ", paste(short, names(short), collapse = "; "), ".")
  } else if (!is.null(short)) {
    changed <- short[short != names(short)]
    key <- paste0("Abbreviations: ", paste(changed, names(changed), sep = " = ", collapse = "; "), ".")
  }
  if (!is.null(short)) {
    plot$labels$caption <- paste(c(plot$labels$caption, key), collapse = "\n")
    if (!is.null(radial)) {
      radial$label <- short[radial$label]
      if (numbered) {
        # numbers are short: beside their nodes, upright
        radial <- network_radial_labels(network_relabel(nodes, short), along = FALSE)
      }
    }
  }
  li <- network_label_layer(plot)
  pl <- plot$layers[[li]]$data
  if (!is.null(short) && nrow(pl)) {
    trt <- pl$kind == "treatment"
    pl$label[trt] <- short[pl$label[trt]]
  }
  # sizes (points) of the labels as drawn
  pl$pt <- pmax(6, pl$text_size * ggplot2::.pt * scale)
  if (narrow && edge_labels_auto) pl <- pl[pl$kind == "treatment", , drop = FALSE]

  if (!is.null(radial)) {
    plot <- network_fit_circle(plot, width, height, radial, pt, has_legend && !narrow)
    not_drawn <- attr(plot, "network_not_drawn")
    attr(plot, "network_not_drawn") <- NULL
  } else {
    xr <- range(nodes$x); yr <- range(nodes$y)
    dx <- max(diff(xr), 1e-6); dy <- max(diff(yr), 1e-6)
    plot <- network_set_limits(plot, xr + c(-1, 1) * 0.15 * dx, yr + c(-1, 1) * 0.1 * dy)
  }
  if (is.null(radial)) not_drawn <- character()
  base_caption <- plot$labels$caption
  note <- NULL
  for (pass in 1:3) {
    plot$labels$caption <- paste(c(base_caption, note$text), collapse = "\n")
    panel <- fixed_panel_in(plot, width, height)
    if (is.null(panel)) break
    lim_x <- plot$scales$get_scales("x")$limits
    lim_y <- plot$scales$get_scales("y")$limits
    per_in <- diff(lim_x) / panel[1]
    placed <- place_network_labels(pl, nodes, lim_x, lim_y, per_in, obstacles = network_radial_boxes(plot, radial, per_in))
    new_note <- network_dropped_note(
      c(not_drawn, placed$dropped$label[placed$dropped$kind == "treatment"]),
      sum(placed$dropped$kind == "edge"), nrow(nodes), sum(pl$kind == "edge"), numbered)
    if (identical(new_note$text, note$text)) break
    note <- new_note
  }
  if (!is.null(panel)) {
    l <- clone_layer(plot$layers[[li]])
    l$data <- placed$labels
    l$aes_params$size <- placed$labels$pt / ggplot2::.pt
    l$aes_params$colour <- placed$labels$colour
    plot$layers[[li]] <- l
    l <- clone_layer(plot$layers[[li - 1L]])
    l$data <- placed$leaders
    plot$layers[[li - 1L]] <- l
  }
  plot
}

# The position of the label layer (the geom_label) of a network graph.
network_label_layer <- function(plot) {
  which(vapply(plot$layers, function(l) inherits(l$geom, "GeomLabel"), logical(1)))[1]
}

network_relabel <- function(nodes, short) {
  nodes$treatment <- unname(short[nodes$treatment])
  nodes
}

# Fixed scale limits and no expansion (so that data units map to inches).
network_set_limits <- function(plot, xlim, ylim) {
  plot$scales <- plot$scales$clone()
  for (a in c("x", "y")) {
    sc <- plot$scales$get_scales(a)
    sc$limits <- if (a == "x") xlim else ylim
    sc$expand <- ggplot2::expansion(0)
  }
  plot
}

# A circle layout at this size: margins measured for the radial labels, and
# each label moved out by its node's radius and a gap.
network_fit_circle <- function(plot, width, height, radial, pt, legend_beside) {
  w_in <- max(text_inches(radial$label, pt)) + (max(radial$point_size) * 0.375 + 1.2) / 25.4
  legend_w <- if (legend_beside) 1.3 else 0
  cap <- plot$labels$caption
  cap_h <- if (is.character(cap) && length(cap)) {
    lines <- wrap_to_width(cap, width - 0.25, element_pt(plot, "plot.caption") %||% 8)
    (length(strsplit(lines, "\n", fixed = TRUE)[[1]]) * 1.25 *
       (element_pt(plot, "plot.caption") %||% 8)) / 72
  } else 0
  side <- max(0.5, min(width - legend_w - 0.3, height - cap_h - 0.7))
  # data units per inch with the circle (radius 1) and margin m on each
  # side: (2 + 2m) / side; the labels need m >= w * (2 + 2m) / side
  r <- w_in / side
  m <- if (r < 0.45) (2 * r + 0.05) / (1 - 2 * r) else 2
  plot <- network_set_limits(plot, c(-1 - m, 1 + m), c(-1 - m, 1 + m))
  per_in <- (2 + 2 * m) / side
  off <- ((radial$point_size * 0.375 + 0.6) / 25.4 + 0.03) * per_in
  # labels along the radius closer than their height at their inner end:
  # every k-th drawn, the others said in the caption
  n <- nrow(radial)
  keep <- rep(TRUE, n)
  if (n > 2L && any(radial$angle != 0)) {
    pitch <- 2 * pi * (1 + min(off)) / per_in / n
    k <- ceiling(1.15 * pt / 72 / pitch)
    if (k > 1L) {
      idx <- seq_len(n) - 1L
      keep <- idx %% k == 0L & idx <= n - k
    }
  }
  attr(plot, "network_not_drawn") <- radial$label[!keep]
  radial <- radial[keep, , drop = FALSE]
  off <- off[keep]
  i <- which(vapply(plot$layers, function(l) {
    is.data.frame(l$data) && all(c("cos", "sin", "angle") %in% names(l$data))
  }, logical(1)))
  for (k in i) {
    l <- clone_layer(plot$layers[[k]])
    d <- radial
    d$x <- radial$x + off * radial$cos
    d$y <- radial$y + off * radial$sin
    l$data <- d
    l$aes_params$size <- pt / ggplot2::.pt
    plot$layers[[k]] <- l
  }
  plot
}

# The boxes (data units: x0, x1, y0, y1) of the radial labels of a circle
# layout as drawn, for the placed labels to keep clear of (their bounding
# boxes; rotated labels are covered by the box around them).
network_radial_boxes <- function(plot, radial, per_in) {
  if (is.null(radial)) return(NULL)
  i <- which(vapply(plot$layers, function(l) {
    is.data.frame(l$data) && all(c("cos", "sin", "angle") %in% names(l$data))
  }, logical(1)))
  if (!length(i)) return(NULL)
  l <- plot$layers[[i[1]]]
  d <- l$data
  pt <- l$aes_params$size * ggplot2::.pt
  w <- text_inches(d$label, pt) * per_in
  h <- pt / 72 * per_in
  th <- d$angle * pi / 180
  # corners of the rotated box around the anchor
  u0 <- -d$hjust * w; u1 <- u0 + w
  v0 <- -d$vjust * h; v1 <- v0 + h
  cx <- cbind(u0, u1, u1, u0); cy <- cbind(v0, v0, v1, v1)
  X <- d$x + cx * cos(th) - cy * sin(th)
  Y <- d$y + cx * sin(th) + cy * cos(th)
  data.frame(x0 = apply(X, 1, min), x1 = apply(X, 1, max),
             y0 = apply(Y, 1, min), y1 = apply(Y, 1, max))
}

# Place the labels `lab` (treatment labels beside their nodes, edge labels
# along their edges) in a panel with limits `lim_x`, `lim_y`, `per_in` data
# units to the inch. Each label's box is measured with the open device's
# fonts (at `lab$pt` points, with its padding); in turn (treatments first,
# largest nodes first), a label takes the first position where its box
# lies inside the panel and clear of every node, of the boxes already
# placed and of `obstacles`; positions are tried close to the node first,
# in every direction, the direction away from the nearest nodes first, then
# further out (with a leader line). A label with no such position is not
# drawn. Returns the placed labels (centred), the leader lines and the
# labels dropped.
place_network_labels <- function(lab, nodes, lim_x, lim_y, per_in, obstacles = NULL) {
  n_lab <- nrow(lab)
  empty_leaders <- data.frame(x = numeric(), y = numeric(), xend = numeric(), yend = numeric())
  if (!n_lab) return(list(labels = lab, leaders = empty_leaders, dropped = lab))
  gap <- 0.5 / 72 * per_in                      # half a point between boxes
  pad <- label_pad_pt / 72 * per_in
  w <- text_inches(lab$label, 10) * lab$pt / 10 * per_in + 2 * pad
  h <- 1.2 * lab$pt / 72 * per_in + 2 * pad
  # node radii (size is ggplot2's point size: a circle of 0.75 size mm
  # across, with its white stroke)
  nr <- ((nodes$point_size * 0.375) + 0.4) / 25.4 * per_in
  bx0 <- numeric(); bx1 <- numeric(); by0 <- numeric(); by1 <- numeric()
  if (!is.null(obstacles) && nrow(obstacles)) {
    bx0 <- obstacles$x0; bx1 <- obstacles$x1; by0 <- obstacles$y0; by1 <- obstacles$y1
  }
  ok_at <- function(cx, cy, hw, hh) {
    ok <- cx - hw >= lim_x[1] + gap & cx + hw <= lim_x[2] - gap &
      cy - hh >= lim_y[1] + gap & cy + hh <= lim_y[2] - gap
    if (length(bx0)) {
      hit <- outer(cx - hw, bx1 + gap, "<") & outer(cx + hw, bx0 - gap, ">") &
        outer(cy - hh, by1 + gap, "<") & outer(cy + hh, by0 - gap, ">")
      ok <- ok & !apply(hit, 1, any)
    }
    # distance from each node centre to the box
    ddx <- pmax(abs(outer(cx, nodes$x, "-")) - hw, 0)
    ddy <- pmax(abs(outer(cy, nodes$y, "-")) - hh, 0)
    clear <- sqrt(ddx^2 + ddy^2) >= rep(nr, each = length(cx)) + gap
    ok & apply(clear, 1, all)
  }
  order_lab <- order(lab$kind != "treatment",
                     -ifelse(is.na(lab$node), 0, nodes$point_size[pmax(1, lab$node)]),
                     seq_len(n_lab))
  cx_out <- rep(NA_real_, n_lab); cy_out <- rep(NA_real_, n_lab)
  leaders <- empty_leaders
  ang <- seq(0, 2 * pi, length.out = 37)[-37]
  for (i in order_lab) {
    hw <- w[i] / 2; hh <- h[i] / 2
    if (lab$kind[i] == "treatment") {
      k <- lab$node[i]
      # the direction away from the nearest nodes first
      d2 <- (nodes$x - nodes$x[k])^2 + (nodes$y - nodes$y[k])^2
      near <- setdiff(order(d2), k)[seq_len(min(4L, nrow(nodes) - 1L))]
      away <- if (length(near)) {
        atan2(nodes$y[k] - mean(nodes$y[near]), nodes$x[k] - mean(nodes$x[near]))
      } else 0
      a <- ang[order(abs(((ang - away + pi) %% (2 * pi)) - pi))]
      found <- FALSE
      for (dist in c(0.02, 0.05, 0.09, 0.14, 0.2, 0.28, 0.38, 0.5, 0.65) * per_in) {
        ux <- cos(a); uy <- sin(a)
        # the box touches the point at the node's radius plus `dist`
        t <- pmin(hw / pmax(abs(ux), 1e-9), hh / pmax(abs(uy), 1e-9))
        px <- nodes$x[k] + (nr[k] + dist) * ux
        py <- nodes$y[k] + (nr[k] + dist) * uy
        cx <- px + t * ux; cy <- py + t * uy
        ok <- which(ok_at(cx, cy, hw, hh))
        if (length(ok)) {
          j <- ok[1]
          cx_out[i] <- cx[j]; cy_out[i] <- cy[j]
          if (dist > 0.05 * per_in) {
            leaders <- rbind(leaders, data.frame(
              x = nodes$x[k] + nr[k] * ux[j], y = nodes$y[k] + nr[k] * uy[j],
              xend = px[j], yend = py[j]))
          }
          found <- TRUE
          break
        }
      }
    } else {
      # along the edge from its middle, then to either side of it
      ex <- lab$x1[i] - lab$x0[i]; ey <- lab$y1[i] - lab$y0[i]
      len <- sqrt(ex^2 + ey^2)
      along <- c(0, 0.1, -0.1, 0.2, -0.2, 0.3, -0.3)
      side <- c(0, 1, -1) * (hh + hw) * 0.8
      grid_c <- expand.grid(s = side, a = along)
      nx <- if (len > 0) -ey / len else 0; ny <- if (len > 0) ex / len else 0
      cx <- lab$x[i] + grid_c$a * ex + grid_c$s * nx
      cy <- lab$y[i] + grid_c$a * ey + grid_c$s * ny
      ok <- which(ok_at(cx, cy, hw, hh))
      found <- length(ok) > 0
      if (found) { cx_out[i] <- cx[ok[1]]; cy_out[i] <- cy[ok[1]] }
    }
    if (found) {
      bx0 <- c(bx0, cx_out[i] - hw); bx1 <- c(bx1, cx_out[i] + hw)
      by0 <- c(by0, cy_out[i] - hh); by1 <- c(by1, cy_out[i] + hh)
    }
  }
  drawn <- !is.na(cx_out)
  out <- lab[drawn, , drop = FALSE]
  out$x <- cx_out[drawn]
  out$y <- cy_out[drawn]
  rownames(out) <- NULL
  list(labels = out, leaders = leaders, dropped = lab[!drawn, , drop = FALSE])
}

# The caption note for labels not drawn: how many, which (up to twelve),
# and how to see them.
network_dropped_note <- function(treatments, n_edges, of_treatments, of_edges, numbered) {
  if (!length(treatments) && !n_edges) return(NULL)
  parts <- character()
  if (length(treatments)) {
    shown <- utils::head(treatments, 12L)
    more <- length(treatments) - length(shown)
    parts <- c(parts, sprintf(
      "%d of %d treatment %s not drawn for lack of room (%s%s)",
      length(treatments), of_treatments, if (numbered) "numbers" else "labels",
      paste(shown, collapse = ", "), if (more > 0) sprintf(" and %d more", more) else ""))
  }
  if (n_edges) {
    parts <- c(parts, sprintf("%d of %d study counts on edges not drawn", n_edges, of_edges))
  }
  list(text = paste0(paste(parts, collapse = "; "),
                     "; draw the figure larger to show them."))
}

# Abbreviated treatment labels (named by the labels) when the longest label,
# at `pt` points in the device's fonts, is wider than a sixth of a device
# `width` inches wide (as netmeta's `nchar.trts`, but chosen when drawn):
# the shortest abbreviations of at least four characters that keep the
# labels apart and fit. NULL when the labels fit.
network_abbreviations <- function(labels, pt, width) {
  room <- width / 6
  if (max(text_inches(labels, pt)) <= room) return(NULL)
  for (k in 8:4) {
    short <- abbreviate(labels, minlength = k, named = FALSE)
    if (!anyDuplicated(short) && max(text_inches(short, pt)) <= room) break
  }
  stats::setNames(short, labels)
}

# Point sizes as ggplot2's scale_size_area() gives them: area proportional to
# the value (a node of twice the patients has twice the area), the largest
# at range[2]. Used so that labels can avoid the nodes.
area_size <- function(value, range) {
  top <- max(value)
  if (diff(range) == 0 || !is.finite(top) || top <= 0) return(rep(mean(range), length(value)))
  sqrt(pmax(value, 0) / top) * range[2]
}

# Nodes (treatments with studies and patients), edges (treatment pairs with
# direct evidence: studies and inverse-variance weight) and the adjacency.
network_graph <- function(object) {
  d <- object$data
  trt <- object$treatments
  n <- length(trt)
  a <- match(d$treat1, trt)
  b <- match(d$treat2, trt)
  from <- pmin(a, b)
  to <- pmax(a, b)
  key <- from + n * (to - 1L)
  first <- !duplicated(key)
  ukey <- key[first]
  s_idx <- match(d$study, object$studies)
  studies <- tabulate(match(key[!duplicated(cbind(key, s_idx))], ukey), length(ukey))
  precision <- as.vector(rowsum(1 / d$std.error^2, match(key, ukey), reorder = TRUE))
  edges <- data.frame(from = from[first], to = to[first],
                      treat1 = trt[from[first]], treat2 = trt[to[first]],
                      studies = studies, precision = precision,
                      stringsAsFactors = FALSE)
  edges <- edges[order(edges$from, edges$to), , drop = FALSE]
  rownames(edges) <- NULL
  arm_t <- c(a, b)
  arm_s <- c(s_idx, s_idx)
  keep <- !duplicated(cbind(arm_s, arm_t))
  node_studies <- tabulate(arm_t[keep], n)
  patients <- rep(NA_real_, n)
  if (!is.null(object$arms)) {
    patients <- as.vector(tapply(object$arms$n, factor(object$arms$treatment, trt), sum))
    patients[is.na(patients)] <- 0
  }
  adjacency <- matrix(0, n, n)
  adjacency[cbind(edges$from, edges$to)] <- 1
  adjacency[cbind(edges$to, edges$from)] <- 1
  list(nodes = data.frame(treatment = trt, studies = node_studies,
                          patients = patients, stringsAsFactors = FALSE),
       edges = edges, adjacency = adjacency)
}

# Convex polygons around the treatments of each multi-arm design.
multiarm_polygons <- function(object, nodes) {
  multi <- which(lengths(object$design_arms) > 2L)
  if (length(multi) == 0L) return(NULL)
  parts <- lapply(multi, function(dd) {
    idx <- object$design_arms[[dd]]
    xy <- cbind(nodes$x[idx], nodes$y[idx])
    hull <- idx[grDevices::chull(xy)]
    data.frame(design = dd, x = nodes$x[hull], y = nodes$y[hull])
  })
  do.call(rbind, parts)
}

# Treatments on a circle, clockwise from the top, in treatment order.
layout_circle <- function(n) {
  ang <- pi / 2 - 2 * pi * (seq_len(n) - 1) / n
  cbind(cos(ang), sin(ang))
}

# Stress majorization (Gansner, Koren & North 2004): place the nodes so that
# Euclidean distances approximate shortest-path distances, weighting pairs
# by d^-2, by iterating the Guttman transform (SMACOF) from classical
# scaling. Deterministic; the result is centred, rotated to its principal
# axes and scaled to unit radius.
layout_stress <- function(adjacency, max_iter = 500L, tol = 1e-7) {
  n <- nrow(adjacency)
  if (n == 1L) return(matrix(0, 1, 2))
  if (n == 2L) return(rbind(c(-1, 0), c(1, 0)))
  D <- graph_distances(adjacency)
  X <- stats::cmdscale(D, k = 2)
  if (ncol(X) < 2L) X <- cbind(X, 0)
  # break exact ties (symmetric graphs) deterministically
  X <- X + 1e-4 * cbind(cos(seq_len(n)), sin(seq_len(n)))
  W <- 1 / D^2
  diag(W) <- 0
  V <- -W
  diag(V) <- rowSums(W)
  J <- matrix(1 / n, n, n)
  Vp <- solve(V + J) - J
  stress_of <- function(E) sum(W * (E - D)^2) / 2
  E <- as.matrix(stats::dist(X))
  old <- stress_of(E)
  for (it in seq_len(max_iter)) {
    B <- ifelse(E > 0, -W * D / E, 0)
    diag(B) <- -rowSums(B)
    X <- Vp %*% B %*% X
    E <- as.matrix(stats::dist(X))
    new <- stress_of(E)
    if (old - new < tol * old) break
    old <- new
  }
  X <- sweep(X, 2, colMeans(X))
  rot <- svd(X)$v
  X <- X %*% rot
  # orientation: first treatment on the left, second above the axis
  if (X[1, 1] > 0) X[, 1] <- -X[, 1]
  if (X[2, 2] < 0) X[, 2] <- -X[, 2]
  X / max(sqrt(rowSums(X^2)))
}

# Shortest-path (hop) distances of a connected graph (Floyd-Warshall).
graph_distances <- function(adjacency) {
  n <- nrow(adjacency)
  D <- ifelse(adjacency > 0, 1, Inf)
  diag(D) <- 0
  for (k in seq_len(n)) {
    D <- pmin(D, outer(D[, k], D[k, ], "+"))
  }
  D
}

# Arm sizes (study, treatment, n) from an arm_contrasts() table, or NULL.
arm_sizes <- function(data, study, treat1, treat2) {
  if (!all(c("n1", "n2") %in% names(data)) ||
      !is.numeric(data$n1) || !is.numeric(data$n2) ||
      length(data$n1) != length(study)) {
    return(NULL)
  }
  arms <- data.frame(study = as.character(c(study, study)),
                     treatment = as.character(c(treat1, treat2)),
                     n = c(data$n1, data$n2), stringsAsFactors = FALSE)
  arms <- arms[!duplicated(arms[c("study", "treatment")]), , drop = FALSE]
  if (anyNA(arms$n)) return(NULL)
  rownames(arms) <- NULL
  arms
}

# Label positions moved out from the nodes' centres along their radii by
# `by` (in data units) on a circle layout.
shift_radially <- function(radial, by) {
  radial$x <- radial$x + by * radial$cos
  radial$y <- radial$y + by * radial$sin
  radial
}

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
  if (is.null(edge_labels)) edge_labels <- nrow(g$edges) <= 40L
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

  # One repelled layer for treatment and edge labels, so that none overlap;
  # the nodes are obstacles of their drawn size.
  lab <- data.frame(x = nodes$x, y = nodes$y, label = nodes$treatment,
                    point_size = nodes$point_size, text_size = label_size,
                    colour = "grey5", segment = "grey55", kind = "treatment",
                    stringsAsFactors = FALSE)
  # On a circle the treatment labels sit radially outside their nodes, never
  # on a neighbour (and are not repelled); many treatments: along the radius.
  radial <- NULL
  if (layout == "circle") {
    ang <- atan2(nodes$y, nodes$x)
    along <- object$n > 16L
    right <- cos(ang) >= 0
    radial <- data.frame(
      x = nodes$x, y = nodes$y, label = nodes$treatment,
      angle = if (along) ifelse(right, ang, ang + pi) * 180 / pi else 0,
      hjust = if (along) ifelse(right, 0, 1) else
        ifelse(cos(ang) > 0.2, 0, ifelse(cos(ang) < -0.2, 1, 0.5)),
      vjust = if (along) 0.5 else
        ifelse(sin(ang) > 0.2, 0, ifelse(sin(ang) < -0.2, 1, 0.5)),
      cos = cos(ang), sin = sin(ang), point_size = nodes$point_size,
      stringsAsFactors = FALSE)
    lab <- lab[0, , drop = FALSE]
    if (along) label_size <- min(label_size, 3)
    # edge labels kept inside the circle, away from the treatment labels
    e$xmid <- 0.85 * e$xmid
    e$ymid <- 0.85 * e$ymid
  }
  if (edge_labels) {
    lab <- rbind(lab, data.frame(x = e$xmid, y = e$ymid,
                                 label = as.character(e$studies),
                                 point_size = 0, text_size = 2.5,
                                 colour = "grey35", segment = NA_character_,
                                 kind = "edge", stringsAsFactors = FALSE))
  }

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
    ggrepel::geom_label_repel(
      data = lab,
      ggplot2::aes(x = .data$x, y = .data$y, label = .data$label,
                   point.size = .data$point_size),
      size = lab$text_size, colour = lab$colour, segment.colour = lab$segment,
      fill = grDevices::adjustcolor("white", alpha.f = 0.75),
      label.size = 0, label.padding = ggplot2::unit(0.12, "lines"),
      seed = 1, max.overlaps = Inf, box.padding = 0.2, point.padding = 0.05,
      min.segment.length = 0.3, segment.size = 0.3, force_pull = 2,
      max.time = 60, max.iter = 4000) +
    (if (node_size == "equal") ggplot2::scale_size(size_name, range = size_range, guide = "none") else
      ggplot2::scale_size_area(size_name, max_size = size_range[2], guide = "legend")) +
    ggplot2::scale_linewidth(width_name, range = if (edge_weight == "equal") c(1, 1) else c(0.5, 4),
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
  # when drawn: in a narrow device (one journal column) the legend goes below
  # the graph, where it has the full width, rather than beside a graph too
  # small to hold it (beside it, it would run into the subtitle); on a circle,
  # room around the circle for the labels, measured
  attr(p, "fastnma_fit") <- function(plot, width, height) {
    below <- has_legend && width < 5 && identical(plot$theme$legend.position, "right")
    if (below) {
      # each key's title above its keys, and three keys a row, so that a row
      # of the largest nodes fits the width
      plot <- plot + ggplot2::theme(legend.position = "bottom", legend.box = "vertical",
                                    legend.justification = "center")
      keyed <- c(size = node_size != "equal", linewidth = edge_weight != "equal")
      top <- function() ggplot2::guide_legend(title.position = "top", title.hjust = 0.5)
      plot <- plot + do.call(ggplot2::guides, lapply(keyed[keyed], function(k) top()))
      plot$scales <- plot$scales$clone()
      for (a in names(keyed)[keyed]) {
        sc <- plot$scales$get_scales(a)
        if (!is.null(sc) && inherits(sc$breaks, "waiver")) sc$n.breaks <- 3
      }
    }
    # labels too long for the device: abbreviated, with a key in the caption
    short <- if (width >= 5) {
      network_abbreviations(nodes$treatment, label_size * ggplot2::.pt *
                              (attr(plot, "fastnma_text_scale") %||% 1), width)
    }
    if (!is.null(short)) {
      plot$layers <- lapply(plot$layers, function(l) {
        if (!is.data.frame(l$data) || !"label" %in% names(l$data)) return(l)
        is_trt <- if ("kind" %in% names(l$data)) l$data$kind == "treatment" else
          rep("cos" %in% names(l$data), nrow(l$data))
        if (!any(is_trt)) return(l)
        l <- clone_layer(l)
        hit <- match(l$data$label[is_trt], names(short))
        l$data$label[is_trt][!is.na(hit)] <- short[hit[!is.na(hit)]]
        l
      })
      changed <- short[short != names(short)]
      key <- paste0("Abbreviations: ", paste(changed, names(changed), sep = " = ", collapse = "; "), ".")
      plot$labels$caption <- paste(c(plot$labels$caption, key), collapse = "\n")
      if (!is.null(radial)) radial$label <- short[radial$label]
    }
    if (is.null(radial)) return(plot)
    pt <- label_size * ggplot2::.pt * (attr(plot, "fastnma_text_scale") %||% 1)
    w_in <- max(text_inches(radial$label, pt)) + (max(radial$point_size) / 2 + 1.2) / 25.4
    legend_w <- if (has_legend && !below) 1.3 else 0
    legend_h <- if (below) 1.2 else 0
    side <- max(0.5, min(width - legend_w - 0.3, height - legend_h - 0.7))
    # data units per inch with the circle (radius 1) and margin m on each
    # side: (2 + 2m) / side; the labels need m >= w * (2 + 2m) / side
    r <- w_in / side
    m <- if (r < 0.45) (2 * r + 0.05) / (1 - 2 * r) else 2
    plot$scales <- plot$scales$clone()
    for (a in c("x", "y")) {
      sc <- plot$scales$get_scales(a)
      sc$limits <- c(-1 - m, 1 + m)
      sc$expand <- ggplot2::expansion(0)
    }
    # each label moved out by its node's radius (size is a diameter in
    # mm) and a gap, in data units at this size
    per_in <- (2 + 2 * m) / side
    off <- ((radial$point_size / 2 + 1) / 25.4 + 0.03) * per_in
    plot$layers <- lapply(plot$layers, function(l) {
      if (!is.data.frame(l$data) || !all(c("cos", "sin", "angle") %in% names(l$data))) return(l)
      l <- clone_layer(l)
      l$data$x <- radial$x + off * radial$cos
      l$data$y <- radial$y + off * radial$sin
      l
    })
    plot
  }
  if (!multiarm || is.null(poly) || nrow(poly) == 0L) {
    p$labels$subtitle <- sprintf("%d treatments, %d studies, %d designs",
                                 object$n, object$k, object$n_designs)
  }
  p
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

# Net heat plot (Krahn, Binder & König 2013), see ?autoplot.nma.

plot_netheat <- function(object, model = "common", min_contribution = 0,
                         max_designs = 40, ...) {
  check_nma_object(object)
  check_supports(object, "netheat")
  check_dots_used_plot(...)
  if (!is.numeric(min_contribution) || length(min_contribution) != 1L ||
      !is.finite(min_contribution) || min_contribution < 0 || min_contribution > 1) {
    abort_fastnma("{.arg min_contribution} must be a single number between 0 and 1.",
                  "min_contribution")
  }
  h <- netheat_data(object, model)
  if (is.null(h)) {
    abort_fastnma(c(
      "A net heat plot needs designs that form loops.",
      "x" = "The network has no inconsistency degrees of freedom (df between designs = {object$df_between})."
    ), "netheat")
  }
  d <- h$cells
  all_rows <- levels(d$row)
  shown_note <- NULL
  if (length(all_rows) > max_designs) {
    # the designs with the largest inconsistency contribution (the diagonal)
    diag_cells <- d[as.character(d$row) == as.character(d$column), , drop = FALSE]
    contrib <- abs(diag_cells$q_diff[match(all_rows, as.character(diag_cells$row))])
    contrib[is.na(contrib)] <- -Inf
    keep <- all_rows[sort(order(-contrib)[seq_len(max_designs)])]
    d <- d[as.character(d$row) %in% keep & as.character(d$column) %in% keep, , drop = FALSE]
    d$row <- factor(as.character(d$row), levels = keep)
    d$column <- factor(as.character(d$column), levels = keep)
    shown_note <- sprintf("%d of %d designs in loops shown: those contributing most to the inconsistency (the diagonal; choose the number with `max_designs`).",
                          length(keep), length(all_rows))
  }
  d$side <- sqrt(pmin(abs(d$contribution), 1))
  d$side[abs(d$contribution) < min_contribution] <- 0
  lim <- max(abs(d$q_diff), 1e-8)
  rows <- levels(d$row)
  n <- length(rows)
  # many designs: number them, full labels on the rows only
  numbered <- n > 12L
  y_labels <- if (numbered) paste0(rows, "  ", seq_len(n)) else rows
  x_labels <- if (numbered) as.character(seq_len(n)) else rows
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$column, y = .data$row)) +
    ggplot2::geom_tile(ggplot2::aes(fill = .data$q_diff), colour = "grey80",
                       linewidth = 0.2) +
    ggplot2::geom_tile(ggplot2::aes(width = .data$side, height = .data$side),
                       fill = "grey35", alpha = 0.55, colour = NA) +
    scale_fill_fastnma_diverging(
      name = "Reduction in Q of the row design\nwhen the column design is detached",
      limits = c(-lim, lim), oob = scales::squish,
      guide = ggplot2::guide_colourbar(barwidth = ggplot2::unit(10, "lines"),
                                       title.position = "top")) +
    ggplot2::scale_y_discrete(limits = rev(rows), labels = rev(y_labels)) +
    ggplot2::scale_x_discrete(limits = rows, labels = x_labels, position = "top") +
    ggplot2::coord_equal() +
    ggplot2::labs(
      x = "Detached design", y = "Design",
      subtitle = sprintf("%s; Q between designs = %s, df = %d",
                         if (model == "common") "Common-effect model" else
                           sprintf("Random-effects model (tau\u00b2 within designs = %s)", format_num(h$tau2, 4)),
                         format_num(h$Q_between, 2), h$df_between),
      caption = wrap_caption(c("Grey squares: contribution of the column design to the network estimate of the row design (area).",
                               "Red: detaching the column design reduces the inconsistency of the row design; blue: it increases it.",
                               shown_note), base_size = 8.5)) +
    theme_fastnma(grid = "none", base_size = if (n > 25) 9 else 11) +
    ggplot2::theme(
      axis.text.x.top = if (numbered) ggplot2::element_text(size = ggplot2::rel(0.8)) else
        ggplot2::element_text(angle = 90, hjust = 0, vjust = 0.5),
      panel.grid = ggplot2::element_blank())
  # when drawn: design labels no larger than their cells
  attr(p, "fastnma_fit") <- square_labels_fit(n)
  p
}

# Design-level quantities of the net heat plot, restricted to the designs
# that are part of a loop (NULL when fewer than two are). The colours come
# from inconsistency(): the change in each design's contribution to Q between
# designs when another design is detached. The squares are the hat matrix of
# the design-level direct estimates (contribution of the direct estimate of
# the column design to the network estimate of the row design; for a
# multi-arm design, summed over the column design's contrasts and averaged
# over the row design's contrasts), computed by the core with the loops the
# designs are part of. The random-effects version uses the within-design
# tau^2 of inconsistency(), as netmeta's netheat().
netheat_data <- function(object, model = "common") {
  if (object$df_between < 1 || object$n < 3L) return(NULL)
  object <- with_network_handle(object)
  inc <- inconsistency(object, heat = TRUE)
  heat <- if (model == "common") inc$heat else inc$heat_random
  tau2 <- if (model == "common") 0 else inc$tau2_within
  dh <- call_core(netheat_cpp, object, match(object$reference, object$treatments), tau2)
  Hd <- dh$H
  in_loop <- dh$in_loop
  keep <- which(in_loop)
  if (length(keep) < 2L) return(NULL)
  labels <- rownames(heat)
  q_diff <- heat[keep, keep, drop = FALSE]
  Hk <- Hd[keep, keep, drop = FALSE]
  dimnames(Hk) <- dimnames(q_diff)
  lab <- labels[keep]
  ord <- if (length(keep) > 2L) {
    dd <- stats::dist(q_diff, method = "manhattan") +
      stats::dist(t(q_diff), method = "manhattan")
    stats::hclust(dd)$order
  } else seq_along(keep)
  lev <- lab[ord]
  cells <- data.frame(
    row = factor(rep(lab, times = length(lab)), levels = lev),
    column = factor(rep(lab, each = length(lab)), levels = lev),
    q_diff = as.vector(q_diff),
    contribution = as.vector(Hk),
    stringsAsFactors = FALSE)
  q_row <- if (model == "common") "between designs" else "between designs (random)"
  list(cells = cells, Q_design = stats::setNames(diag(q_diff), lab),
       q_diff = q_diff, H = Hk,
       Q_between = inc$Q$Q[inc$Q$part == q_row],
       df_between = inc$Q$df[inc$Q$part == q_row], tau2 = tau2)
}

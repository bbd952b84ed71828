#' Plot treatment rankings
#'
#' Draws the result of [rank_treatments()]: P-scores or SUCRA values as
#' bars (`type = "bar"`), and, for SUCRA, the rankogram (`"rankogram"`, the
#' probability of each rank) or the cumulative ranking curves
#' (`"cumulative"`; the area under each curve is the SUCRA). The values drawn
#' are those of `tidy(object)` and `tidy(object, probabilities = TRUE)`.
#'
#' Sized to content: beyond 12 treatments the rankogram and the cumulative
#' curves are drawn as a heat map (one row per treatment, ordered by SUCRA,
#' one column per rank, coloured by the probability or the cumulative
#' probability); beyond 45 treatments the bars and the heat map are
#' wrapped into side-by-side blocks of at most 40 rows.
#'
#' @param object An object of class `nma_ranks`.
#' @param type `"bar"` (default), `"rankogram"` or `"cumulative"`.
#' @param digits Digits of the printed scores.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' autoplot(rank_treatments(fit))
#' r <- rank_treatments(fit, method = "sucra", n_sim = 2000, seed = 1)
#' autoplot(r, type = "rankogram")
#' autoplot(r, type = "cumulative")
#' @method autoplot nma_ranks
#' @export
autoplot.nma_ranks <- function(object, type = c("bar", "rankogram", "cumulative"),
                               digits = 3, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  type <- check_arg_choice(type)
  method <- attr(object, "method")
  score <- if (method == "pscore") "pscore" else "sucra"
  score_lab <- if (method == "pscore") "P-score" else "SUCRA"
  scores <- tidy(object)
  ord <- scores$treatment[order(-scores[[score]], scores$treatment)]
  sub <- sprintf("%s-effects model; small values %s%s",
                 if (attr(object, "model") == "random") "Random" else "Common",
                 attr(object, "small_values"),
                 if (method == "sucra") sprintf("; %d draws, seed %s", attr(object, "n_sim"),
                                                format(attr(object, "seed"))) else "")
  n <- length(ord)
  # Blocks of at most 40 rows side by side beyond 45 treatments; text sized
  # to the rows of a block in a 6 in high figure.
  n_blocks <- if (n > 45L) ceiling(n / 40) else 1L
  per_block <- ceiling(n / n_blocks)
  block_of <- function(trt) (match(trt, ord) - 1L) %/% per_block + 1L
  text_pt <- max(5, min(9.5, 0.72 * 330 / per_block))
  wrap <- if (n_blocks > 1L) {
    list(ggplot2::facet_wrap(~block, nrow = 1, scales = "free_y"),
         ggplot2::theme(strip.text = ggplot2::element_blank()))
  }
  if (type == "bar") {
    d <- scores
    d$score <- d[[score]]
    d$label <- formatC(d$score, digits = digits, format = "f")
    d$block <- block_of(d$treatment)
    d$treatment <- factor(d$treatment, levels = rev(ord))
    p <- (
      ggplot2::ggplot(d, ggplot2::aes(x = .data$score, y = .data$treatment)) +
        ggplot2::geom_col(fill = fastnma_colours[["point"]], width = 0.7) +
        ggplot2::geom_text(ggplot2::aes(label = .data$label), hjust = -0.15,
                           size = text_pt / ggplot2::.pt, colour = "grey15") +
        ggplot2::scale_x_continuous(score_lab, limits = c(0, if (n_blocks > 1L) 1.3 else 1.12),
                                    breaks = if (n_blocks > 1L) c(0, 0.5, 1) else seq(0, 1, 0.25),
                                    expand = ggplot2::expansion(c(0, 0))) +
        ggplot2::labs(y = NULL, subtitle = sub) +
        theme_fastnma(base_size = max(7, min(11, text_pt * 1.15))) +
        ggplot2::theme(axis.ticks.y = ggplot2::element_blank(),
                       axis.text.y = ggplot2::element_text(size = text_pt)) +
        wrap
    )
    # when drawn: room to the right of the longest bar for its value
    attr(p, "fastnma_fit") <- function(plot, width, height) {
      score_room_fit(plot, width, height, n_blocks, max(d$score, na.rm = TRUE), d$label)
    }
    return(p)
  }
  if (method != "sucra") {
    abort_fastnma(c(
      "A {type} needs rank probabilities.",
      "i" = "Use {.code rank_treatments(fit, method = \"sucra\")}."
    ), "method")
  }
  p <- tidy(object, probabilities = TRUE)
  if (n > 12L) {
    p <- p[order(p$treatment, p$rank), ]
    p$cumulative <- stats::ave(p$probability, p$treatment, FUN = cumsum)
    p$value <- if (type == "rankogram") p$probability else p$cumulative
    sc <- scores$sucra[match(ord, scores$treatment)]
    lab <- paste0(ord, " (", formatC(sc, digits = 2, format = "f"), ")")
    p$block <- block_of(p$treatment)
    p$row <- factor(lab[match(p$treatment, ord)], levels = rev(lab))
    return(
      ggplot2::ggplot(p, ggplot2::aes(x = .data$rank, y = .data$row, fill = .data$value)) +
        ggplot2::geom_tile() +
        ggplot2::scale_fill_gradient(
          if (type == "rankogram") "Probability of the rank" else "Probability of this rank or better",
          low = "#F7FBFF", high = "#08306B",
          limits = c(0, if (type == "rankogram") max(p$value) else 1)) +
        ggplot2::scale_x_continuous("Rank (1 = best)", expand = c(0, 0),
                                    breaks = unique(round(seq(1, n, length.out = min(n, 5))))) +
        ggplot2::labs(y = "Treatment (SUCRA)", subtitle = sub) +
        theme_fastnma(grid = "none", base_size = max(7, min(11, text_pt * 1.15))) +
        ggplot2::theme(axis.text.y = ggplot2::element_text(size = text_pt),
                       axis.ticks.y = ggplot2::element_blank(),
                       legend.key.width = ggplot2::unit(2.5, "lines"),
                       panel.spacing.x = ggplot2::unit(1.2, "lines")) +
        wrap
    )
  }
  strip <- paste0(ord, "\nSUCRA ", formatC(scores$sucra[match(ord, scores$treatment)],
                                          digits = digits, format = "f"))
  p$panel <- factor(strip[match(p$treatment, ord)], levels = strip)
  ncol <- if (n <= 4) n else if (n <= 12) 4 else 5
  base <- theme_fastnma(base_size = if (n > 12) 9 else 11, grid = "y") +
    ggplot2::theme(strip.text = ggplot2::element_text(size = ggplot2::rel(0.8),
                                                      face = "bold", hjust = 0))
  breaks <- unique(round(seq(1, n, length.out = min(n, 5))))
  # one panel per treatment: the probability of each rank as bars, or of
  # each rank or better as an area under a line
  marks <- if (type == "rankogram") {
    list(ggplot2::ggplot(p, ggplot2::aes(x = .data$rank, y = .data$probability)),
         ggplot2::geom_col(fill = fastnma_colours[["point"]], width = 0.8))
  } else {
    p <- p[order(p$treatment, p$rank), ]
    p$cumulative <- stats::ave(p$probability, p$treatment, FUN = cumsum)
    list(ggplot2::ggplot(p, ggplot2::aes(x = .data$rank, y = .data$cumulative)),
         ggplot2::geom_area(fill = fastnma_colours[["point"]], alpha = 0.2),
         ggplot2::geom_line(colour = fastnma_colours[["point"]], linewidth = 0.7))
  }
  Reduce(`+`, marks[-1L], marks[[1L]]) +
    ggplot2::facet_wrap(~panel, ncol = ncol) +
    ggplot2::scale_x_continuous("Rank (1 = best)", breaks = breaks) +
    ggplot2::scale_y_continuous(if (type == "rankogram") "Probability" else
      "Cumulative probability", limits = c(0, 1), breaks = c(0, 0.5, 1)) +
    ggplot2::labs(subtitle = sub) + base
}

# The x axis of a bar chart of scores (0 to 1, the value written after each
# bar) widened when drawn until the value of the longest bar fits in its
# panel: the panels' width measured in the laid-out figure, the value's
# width with the device's fonts.
score_room_fit <- function(plot, width, height, n_blocks, top, labels) {
  is_text <- vapply(plot$layers, function(l) inherits(l$geom, "GeomText"), logical(1))
  sc <- plot$scales$get_scales("x")
  if (!any(is_text) || is.null(sc) || is.null(sc$limits)) return(plot)
  g <- laid_out(plot)
  room <- if (!is.null(g)) panel_room(g, width, "w")
  if (is.null(room)) return(plot)
  panel_in <- room$free / n_blocks
  if (!is.finite(panel_in) || panel_in <= 0) return(plot)
  l <- plot$layers[[which(is_text)[1]]]
  pt <- (l$aes_params$size %||% 3.88) * ggplot2::.pt
  # the text, its offset (hjust = -0.15) and a margin, as a share of the panel
  share <- (max(text_inches(labels, pt)) * 1.15 + 0.03) / panel_in
  if (share >= 0.6) return(plot)
  upper <- top / (1 - share)
  if (upper <= sc$limits[2]) return(plot)
  plot$scales <- plot$scales$clone()
  sx <- plot$scales$get_scales("x")
  sx$limits <- c(sc$limits[1], upper)
  plot
}

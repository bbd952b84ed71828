#' Plot treatment rankings
#'
#' Draws the result of [rank_treatments()]: P-scores or SUCRA values as
#' bars (`type = "bar"`), and, for SUCRA, the rankogram (`"rankogram"`, the
#' probability of each rank) or the cumulative ranking curves
#' (`"cumulative"`; the area under each curve is the SUCRA). The values drawn
#' are those of `tidy(object)` and `tidy(object, probabilities = TRUE)`.
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
  check_dots_used_plot(...)
  type <- check_choice(if (missing(type)) NULL else type,
                       c("bar", "rankogram", "cumulative"), "type")
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
  if (type == "bar") {
    d <- scores
    d$score <- d[[score]]
    d$label <- formatC(d$score, digits = digits, format = "f")
    d$treatment <- factor(d$treatment, levels = rev(ord))
    return(
      ggplot2::ggplot(d, ggplot2::aes(x = .data$score, y = .data$treatment)) +
        ggplot2::geom_col(fill = fastnma_colours[["point"]], width = 0.7) +
        ggplot2::geom_text(ggplot2::aes(label = .data$label), hjust = -0.15,
                           size = 3.2, colour = "grey15") +
        ggplot2::scale_x_continuous(score_lab, limits = c(0, 1.12),
                                    breaks = seq(0, 1, 0.25),
                                    expand = ggplot2::expansion(c(0, 0))) +
        ggplot2::labs(y = NULL, subtitle = sub) +
        theme_fastnma() +
        ggplot2::theme(axis.ticks.y = ggplot2::element_blank())
    )
  }
  if (method != "sucra") {
    abort_fastnma(c(
      "A {type} needs rank probabilities.",
      "i" = "Use {.code rank_treatments(fit, method = \"sucra\")}."
    ), "method")
  }
  p <- tidy(object, probabilities = TRUE)
  n <- length(ord)
  strip <- paste0(ord, "\nSUCRA ", formatC(scores$sucra[match(ord, scores$treatment)],
                                          digits = digits, format = "f"))
  p$panel <- factor(strip[match(p$treatment, ord)], levels = strip)
  ncol <- if (n <= 4) n else if (n <= 12) 4 else 5
  base <- theme_fastnma(base_size = if (n > 12) 9 else 11, grid = "y") +
    ggplot2::theme(strip.text = ggplot2::element_text(size = ggplot2::rel(0.8),
                                                      face = "bold", hjust = 0))
  breaks <- unique(round(seq(1, n, length.out = min(n, 5))))
  if (type == "rankogram") {
    ggplot2::ggplot(p, ggplot2::aes(x = .data$rank, y = .data$probability)) +
      ggplot2::geom_col(fill = fastnma_colours[["point"]], width = 0.8) +
      ggplot2::facet_wrap(~panel, ncol = ncol) +
      ggplot2::scale_x_continuous("Rank (1 = best)", breaks = breaks) +
      ggplot2::scale_y_continuous("Probability", limits = c(0, 1),
                                  breaks = c(0, 0.5, 1)) +
      ggplot2::labs(subtitle = sub) + base
  } else {
    p <- p[order(p$treatment, p$rank), ]
    p$cumulative <- stats::ave(p$probability, p$treatment, FUN = cumsum)
    ggplot2::ggplot(p, ggplot2::aes(x = .data$rank, y = .data$cumulative)) +
      ggplot2::geom_area(fill = fastnma_colours[["point"]], alpha = 0.2) +
      ggplot2::geom_line(colour = fastnma_colours[["point"]], linewidth = 0.7) +
      ggplot2::facet_wrap(~panel, ncol = ncol) +
      ggplot2::scale_x_continuous("Rank (1 = best)", breaks = breaks) +
      ggplot2::scale_y_continuous("Cumulative probability", limits = c(0, 1),
                                  breaks = c(0, 0.5, 1)) +
      ggplot2::labs(subtitle = sub) + base
  }
}

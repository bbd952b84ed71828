#' Plot direct, indirect and network estimates
#'
#' Draws a [node_split()] result: for every comparison, the direct, indirect
#' and network estimates with their confidence intervals (the rows of
#' `tidy(object)`), and on the right the p-value of the test of their
#' difference, as `print()` shows it.
#'
#' Ratio measures are drawn on the ratio scale by default: the estimates and
#' their limits exponentiated, on a logarithmic axis labelled with ratios and
#' the line of no difference at 1.
#'
#' @section Many comparisons:
#' Networks of many treatments have many comparisons with direct evidence.
#' When there are more than `max_rows` of them and `comparisons` is not
#' given, the figure shows the `max_rows` comparisons selected by `select`:
#' the smallest p-values of the test of direct versus indirect evidence
#' (`"p.value"`, the default: where inconsistency is most likely), or the
#' comparisons with the most studies (`"k"`, the best-informed direct
#' estimates). The caption says how many of how many comparisons are shown
#' and how they were chosen.
#'
#' @param object An object of class `nma_split`.
#' @param exponentiate `NULL` (default): the ratio scale for ratio measures,
#'   the analysis scale otherwise; `FALSE`: the log scale (line at 0);
#'   `TRUE` for a difference measure is an error of class
#'   `fastnma_error_exponentiate`.
#' @param comparisons `NULL` (default: all, or a selection when there are
#'   more than `max_rows`) or the comparisons to draw, as labels
#'   `"treat1 vs treat2"` in the orientation of the table.
#' @param order Order of the rows: `"canonical"` (default; the order of the
#'   table), `"p.value"` (smallest first), `"k"` (most studies first) or
#'   `"prop_direct"` (largest direct evidence proportion first).
#' @param max_rows Largest number of comparisons drawn when `comparisons`
#'   is `NULL` (default 30; `Inf` for all).
#' @param select How the comparisons are chosen when there are more than
#'   `max_rows`: `"p.value"` (default) or `"k"`.
#' @param columns Logical; print the columns `k` (studies of the
#'   comparison), `Direct` (direct evidence proportion) and `p` (test of
#'   direct vs indirect) at the right. Default `TRUE`.
#' @param ... Unused; must be empty.
#' @return A ggplot object.
#' @references
#' Dias S, Welton NJ, Caldwell DM, Ades AE (2010). Checking consistency in
#' mixed treatment comparison meta-analysis. *Statistics in Medicine*
#' 29(7-8):932-944. \doi{10.1002/sim.3767}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' ns <- node_split(fit)
#' autoplot(ns)
#' autoplot(ns, order = "p.value", max_rows = 8)
#' autoplot(ns, comparisons = c("rosi vs plac", "metf vs plac"))
#' @method autoplot nma_split
#' @export
autoplot.nma_split <- function(object, exponentiate = NULL, comparisons = NULL,
                               order = c("canonical", "p.value", "k", "prop_direct"),
                               max_rows = 30, select = c("p.value", "k"),
                               columns = TRUE, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  order <- check_choice(if (missing(order)) NULL else order,
                        c("canonical", "p.value", "k", "prop_direct"), "order")
  select <- check_choice(if (missing(select)) NULL else select,
                         c("p.value", "k"), "select")
  check_flag(columns, "columns")
  if (!is.numeric(max_rows) || length(max_rows) != 1L || is.na(max_rows) || max_rows < 1) {
    abort_fastnma("{.arg max_rows} must be a number of at least 1.", "numeric")
  }
  measure <- attr(object, "measure")
  exponentiate <- resolve_exponentiate(exponentiate, measure)
  df <- strip_attributes(object)
  all_comp <- paste(df$treat1, "vs", df$treat2)
  n_all <- length(all_comp)
  caption <- NULL
  if (!is.null(comparisons)) {
    comparisons <- as.character(comparisons)
    check_selection(comparisons, all_comp,
                    "{.arg comparisons} must be comparisons of the node-split table, as {.val treat1 vs treat2}.",
                    "comparison_selection")
    keep <- all_comp %in% comparisons
  } else if (n_all > max_rows) {
    key <- if (select == "p.value") rank(df$p.value, na.last = TRUE, ties.method = "first") else
      rank(-df$k, ties.method = "first")
    keep <- key <= max_rows
    caption <- sprintf("%d of %d comparisons shown: %s (choose with `comparisons`, `max_rows`, `select`).",
                       sum(keep), n_all,
                       if (select == "p.value") "the smallest p-values of the test of direct vs indirect" else
                         "the most studies")
  } else {
    keep <- rep(TRUE, n_all)
  }
  df <- df[keep, , drop = FALSE]
  ord <- switch(order,
    canonical = seq_len(nrow(df)),
    p.value = order(df$p.value, na.last = TRUE),
    k = order(-df$k),
    prop_direct = order(-df$prop_direct))
  df <- df[ord, , drop = FALSE]
  comp <- paste(df$treat1, "vs", df$treat2)
  K <- length(comp)

  td <- to_scale(tidy(object), exponentiate)
  td <- td[td$evidence != "difference", , drop = FALSE]
  td$comparison <- paste(td$treat1, "vs", td$treat2)
  td <- td[td$comparison %in% comp, , drop = FALSE]
  pos <- c(network = 0.25, direct = 0, indirect = -0.25)
  td$y <- (K - match(td$comparison, comp) + 1) + pos[td$evidence]
  td$evidence <- factor(td$evidence, levels = c("direct", "indirect", "network"))
  td <- td[!is.na(td$estimate), , drop = FALSE]
  pval <- ifelse(is.na(df$p.value), df$evidence,
                 format_pvalue(df$p.value))
  cols <- c(direct = fastnma_colours[["direct"]], indirect = fastnma_colours[["indirect"]],
            network = fastnma_colours[["network"]])
  small <- K > 25
  base_size <- if (K > 40) 8 else if (small) 9 else 11
  text_size <- base_size * 0.8 / ggplot2::.pt * 0.92 / 0.8
  rows_y <- rev(seq_len(K))
  lim <- range(c(td$conf.low, td$conf.high, td$estimate), finite = TRUE)
  if (exponentiate) lim <- log(lim)
  null <- null_value(measure, exponentiate)
  lim <- range(lim, if (exponentiate) log(null) else null)
  tab <- NULL
  if (columns) {
    tab <- table_columns(
      rows_y,
      list(k = align_right(as.character(df$k)),
           Direct = align_right(ifelse(is.na(df$prop_direct), "",
                                       sprintf("%.0f%%", 100 * df$prop_direct))),
           p = align_right(pval)),
      header_y = K + 0.85, lo = lim[1], hi = lim[2], exponentiate = exponentiate,
      size = text_size)
  }
  p <- ggplot2::ggplot(td, ggplot2::aes(x = .data$estimate, y = .data$y,
                                   colour = .data$evidence)) +
    ggplot2::geom_vline(xintercept = null,
                        colour = fastnma_colours[["ref"]],
                        linetype = "dashed", linewidth = 0.4) +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high),
                            linewidth = 0.6) +
    ggplot2::geom_point(ggplot2::aes(shape = .data$evidence), size = if (small) 1.4 else 2) +
    ggplot2::scale_colour_manual(NULL, values = cols, drop = FALSE) +
    ggplot2::scale_shape_manual(NULL, values = c(direct = 16, indirect = 17, network = 15),
                                drop = FALSE) +
    ggplot2::scale_y_continuous(
      NULL, breaks = rows_y, labels = comp,
      limits = c(0.5, K + if (columns) 1.2 else 0.5), expand = c(0, 0))
  if (columns) {
    p <- p + tab$layers +
      scale_x_effect(exponentiate, limits = tab$limits,
                     breaks = breaks_within(tab$range, exponentiate),
                     expand = c(0, 0))
  } else {
    p <- p + scale_x_effect(exponentiate)
  }
  note_of <- function(kept) {
    paste0(c(if ("k" %in% kept) "k: studies of the comparison",
             if ("Direct" %in% kept) "Direct: direct evidence proportion",
             "p: test of direct vs indirect evidence"), collapse = "; ")
  }
  note <- paste0(note_of(if (columns) c("k", "Direct", "p") else "p"), ".")
  if (columns) {
    # when drawn: the columns measured and placed for the device, the direct
    # evidence proportion (then k) left out where they do not fit
    fit_step <- table_fit(tab$spec, comp, drop = c("Direct", "k"),
                          caption = function(kept) {
                            wrap_caption(c(paste0(note_of(kept), "."), caption))
                          })
  }
  p <- p + ggplot2::labs(
      x = measure_label(measure, exponentiate),
      caption = wrap_caption(c(note, caption), base_size = base_size * 0.8),
      subtitle = sprintf("%s; %s-effects model",
                         if (attr(object, "method") == "separate") "Separate indirect evidence (SIDDE)" else "Back-calculation (SIDE)",
                         if (attr(object, "model") == "random") "random" else "common")) +
    theme_fastnma(base_size = base_size) +
    ggplot2::theme(axis.ticks.y = ggplot2::element_blank(),
                   panel.grid.major.y = ggplot2::element_line(colour = "grey95", linewidth = 0.3))
  if (columns) attr(p, "fastnma_fit") <- fit_step
  p
}

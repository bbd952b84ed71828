#' Plot a CINeMA confidence assessment
#'
#' * `type = "traffic"` (default): the traffic-light table of CINeMA's report
#'   page, comparisons by domains, each tile coloured by its judgement (no,
#'   some, major concerns) and the last column by the confidence rating.
#' * `type = "rob"`: the bar chart CINeMA draws for within-study bias (or
#'   indirectness): for each comparison, the percentage contribution of
#'   studies at low, some and high risk of bias to the network estimate.
#'
#' Large networks have many comparisons: choose them with `comparisons`,
#' order them with `order` (by confidence, worst first, or in the canonical
#' order of [nma()]) and show the first `max_rows`.
#'
#' @param object An object of class `nma_confidence`.
#' @param type `"traffic"` or `"rob"`.
#' @param domain For `type = "rob"`: `"within_study_bias"` (default) or
#'   `"indirectness"`.
#' @param comparisons `NULL` (all) or labels `"treat1 vs treat2"` of the
#'   comparisons to show.
#' @param order `"canonical"` (default) or `"confidence"` (lowest rating
#'   first).
#' @param max_rows Maximum number of comparisons shown (default 60; `Inf`
#'   for all).
#' @param labels Logical; write the judgements in the tiles (default: when
#'   at most 40 comparisons are shown).
#' @param ... Must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' rob <- setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
#'                 fit$studies)
#' cf <- confidence(fit, rob = rob, margin = 0.2)
#' autoplot(cf, order = "confidence", max_rows = 15)
#' autoplot(cf, type = "rob", comparisons = c("acar vs plac", "metf vs plac"))
#' @method autoplot nma_confidence
#' @export
autoplot.nma_confidence <- function(object, type = c("traffic", "rob"),
                                    domain = c("within_study_bias", "indirectness"),
                                    comparisons = NULL, order = c("canonical", "confidence"),
                                    max_rows = 60, labels = NULL, ...) {
  netmeta_guard()
  check_dots_used_plot(...)
  type <- check_choice(if (missing(type)) NULL else type, c("traffic", "rob"), "type")
  domain <- check_choice(if (missing(domain)) NULL else domain,
                         c("within_study_bias", "indirectness"), "domain")
  order <- check_choice(if (missing(order)) NULL else order, c("canonical", "confidence"), "order")
  if (!is.numeric(max_rows) || length(max_rows) != 1L || is.na(max_rows) || max_rows < 1) {
    abort_fastnma("{.arg max_rows} must be a positive number (or {.code Inf}).", "choice")
  }
  df <- strip_attributes(object)
  df$term <- comparison_label(df$treat1, df$treat2)
  if (!is.null(comparisons)) {
    bad <- setdiff(comparisons, df$term)
    if (length(bad)) {
      abort_fastnma(c("{.arg comparisons} must name comparisons of {.arg object}.",
                      "x" = "Not found: {.val {bad}}."), "comparison_selection")
    }
    df <- df[df$term %in% comparisons, , drop = FALSE]
  }
  if (order == "confidence") {
    df <- df[order(-match(df$confidence, confidence_levels), seq_len(nrow(df))), , drop = FALSE]
  }
  shown_all <- nrow(df)
  df <- utils::head(df, max_rows)
  rows <- df$term
  if (is.null(labels)) labels <- length(rows) <= 40L
  labels <- check_flag(labels, "labels")
  cap <- if (shown_all > length(rows)) {
    sprintf("First %d of %d comparisons shown (arguments comparisons, order, max_rows).",
            length(rows), shown_all)
  } else NULL
  size <- if (length(rows) > 40L) 7 else 11
  if (type == "traffic") {
    doms <- confidence_domains
    titles <- c("Within-study\nbias", "Reporting\nbias", "Indirectness", "Imprecision",
                "Heterogeneity", "Incoherence", "Confidence")
    long <- data.frame(term = rep(rows, times = length(doms)),
                       domain = factor(rep(titles, each = length(rows)), levels = titles),
                       judgement = unlist(lapply(doms, function(d) df[[d]]), use.names = FALSE),
                       stringsAsFactors = FALSE)
    long$judgement <- factor(long$judgement, levels = c(concern_levels, confidence_levels))
    long$label <- c(`no concerns` = "no", `some concerns` = "some", `major concerns` = "major",
                    high = "high", moderate = "moderate", low = "low",
                    `very low` = "very low")[as.character(long$judgement)]
    fills <- c(`no concerns` = "#7CC9AE", `some concerns` = "#FBBC05",
               `major concerns` = "#E0685C", high = "#1A9850", moderate = "#91CF60",
               low = "#FC8D59", `very low` = "#D73027")
    p <- ggplot2::ggplot(long, ggplot2::aes(x = .data$domain, y = .data$term)) +
      ggplot2::geom_tile(ggplot2::aes(fill = .data$judgement), colour = "white", linewidth = 0.6) +
      ggplot2::scale_fill_manual(NULL, values = fills, drop = FALSE) +
      ggplot2::scale_x_discrete(position = "top") +
      ggplot2::scale_y_discrete(limits = rev(rows)) +
      ggplot2::labs(x = NULL, y = NULL, title = "Confidence in the evidence (CINeMA)",
                    subtitle = sprintf("Range of equivalence %s on the %s scale; %s effects",
                                       fmt_range(attr(object, "margin")),
                                       measure_abbrev(attr(object, "measure"), FALSE),
                                       attr(object, "model")),
                    caption = cap) +
      theme_fastnma(grid = "none", base_size = size)
    if (labels) p <- p + ggplot2::geom_text(ggplot2::aes(label = .data$label), size = 2.8, colour = "grey10")
    return(p)
  }
  sh <- attr(object, if (domain == "within_study_bias") "rob_shares" else "indirectness_shares")
  if (is.null(sh)) {
    abort_fastnma(c("No study-level indirectness judgements were given.",
                    "i" = "Give {.arg indirectness} to {.fn confidence} to draw their contributions."),
                  "not_computed")
  }
  sh <- sh[rows, , drop = FALSE]
  what <- if (domain == "within_study_bias") "risk of bias" else "indirectness"
  long <- data.frame(term = rep(rows, times = 3L),
                     level = factor(rep(c("low", "some concerns", "high"), each = length(rows)),
                                    levels = c("high", "some concerns", "low")),
                     percent = 100 * as.vector(sh), stringsAsFactors = FALSE)
  ggplot2::ggplot(long, ggplot2::aes(x = .data$percent, y = .data$term, fill = .data$level)) +
    ggplot2::geom_col(width = 0.75) +
    ggplot2::scale_fill_manual(paste0("Study ", what), values = c(low = "#7CC9AE",
                               `some concerns` = "#FBBC05", high = "#E0685C"),
                               breaks = c("low", "some concerns", "high")) +
    ggplot2::scale_y_discrete(limits = rev(rows)) +
    ggplot2::scale_x_continuous("Contribution to the network estimate (%)", limits = c(0, 100.0001),
                                expand = ggplot2::expansion(mult = c(0, 0.02))) +
    ggplot2::labs(y = NULL, title = sprintf("Contribution-weighted %s", what),
                  subtitle = sprintf("Study contributions (%s effects); judgement by the %s rule",
                                     attr(object, "model"),
                                     if (domain == "within_study_bias") attr(object, "rule") else attr(object, "indirectness_rule")),
                  caption = cap) +
    theme_fastnma(grid = "x", base_size = size)
}

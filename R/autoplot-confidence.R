#' Plot a CINeMA confidence assessment
#'
#' * `type = "traffic"` (default): the traffic-light table of CINeMA's report
#'   page, comparisons by domains, each tile coloured by its judgement (no,
#'   some, major concerns, or grey where the domain was not assessed, never
#'   the colour of "no concerns") and the last column by the confidence
#'   rating, with a legend of its own.
#' * `type = "rob"`: the bar chart CINeMA draws for within-study bias (or
#'   indirectness): for each comparison, the percentage contribution of
#'   studies at low, some and high risk of bias to the network estimate.
#'   Its levels are named "low risk of bias", "some concerns" and "high risk
#'   of bias" (or "... indirectness") and take the colours of no, some and
#'   major concerns of the traffic light, so that a word has one colour in
#'   both figures (a bare "low" or "high" is a confidence rating).
#'
#' Large networks have many comparisons: choose them with `comparisons`,
#' order them with `order` (by confidence, worst first, or in the canonical
#' order of [nma()]) and show `max_rows` of them per `page`; the caption says
#' how many of how many are shown.
#'
#' @param object An object of class `nma_confidence`.
#' @param type `"traffic"` or `"rob"`.
#' @param domain For `type = "rob"`: `"within_study_bias"` (default) or
#'   `"indirectness"`.
#' @param comparisons `NULL` (all) or labels `"treat1 vs treat2"` of the
#'   comparisons to show.
#' @param order `"canonical"` (default) or `"confidence"` (lowest rating
#'   first).
#' @param max_rows Maximum number of comparisons shown on a page (default
#'   30; `Inf` for all).
#' @param page Which page of `max_rows` comparisons to draw (default 1).
#' @param labels Logical; write the judgements in the tiles (default: when
#'   at most 30 comparisons are shown).
#' @param ... Must be empty.
#' @return A ggplot object.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' rob <- setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
#'                 fit$studies)
#' cf <- confidence(fit, rob = rob, margin = 0.2)
#' autoplot(cf, order = "confidence", max_rows = 15)
#' autoplot(cf, order = "confidence", max_rows = 15, page = 2)
#' autoplot(cf, type = "rob", comparisons = c("acar vs plac", "metf vs plac"))
#' @method autoplot nma_confidence
#' @export
autoplot.nma_confidence <- function(object, type = c("traffic", "rob"),
                                    domain = c("within_study_bias", "indirectness"),
                                    comparisons = NULL, order = c("canonical", "confidence"),
                                    max_rows = 30, page = 1, labels = NULL, ...) {
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
    check_selection(comparisons, df$term, "{.arg comparisons} must name comparisons of {.arg object}.",
                    "comparison_selection")
    df <- df[df$term %in% comparisons, , drop = FALSE]
  }
  if (order == "confidence") {
    df <- df[order(-match(df$confidence, confidence_levels), seq_len(nrow(df))), , drop = FALSE]
  }
  shown_all <- nrow(df)
  per_page <- min(max_rows, shown_all)
  pages <- max(1L, ceiling(shown_all / per_page))
  if (!is_whole(page) || length(page) != 1L || page < 1 || page > pages) {
    abort_fastnma(c("{.arg page} must be a whole number from 1 to {pages} ({shown_all} comparisons, {.arg max_rows} = {max_rows}).",
                    "x" = "It is {.val {format(page)}}."), "choice")
  }
  first <- (page - 1L) * per_page + 1L
  df <- df[seq.int(first, min(shown_all, first + per_page - 1L)), , drop = FALSE]
  rows <- df$term
  n_rows <- length(rows)
  if (is.null(labels)) labels <- n_rows <= 30L
  labels <- check_flag(labels, "labels")
  cap <- if (shown_all > n_rows) {
    range_txt <- if (first == 1L) sprintf("%d of %d", n_rows, shown_all) else
      sprintf("%d-%d of %d", first, first + n_rows - 1L, shown_all)
    paste0(range_txt, " comparisons shown",
           if (pages > 1L) sprintf(" (page %d of %d)", page, pages) else "",
           "\nchoose with comparisons, order, max_rows, page")
  } else NULL
  # text shrinks with the number of rows, so that many rows stay legible
  size <- if (n_rows > 30L) 7 else if (n_rows > 8L) 9 else 11
  sub_txt <- sprintf("Range of equivalence %s, %s scale\n%s effects",
                     fmt_range(attr(object, "margin")),
                     measure_abbrev(attr(object, "measure"), FALSE), attr(object, "model"))
  if (type == "traffic") {
    doms <- setdiff(confidence_domains, "confidence")
    titles <- c("Within-study bias", "Reporting bias", "Indirectness", "Imprecision",
                "Heterogeneity", "Incoherence", "Confidence")
    short <- c(`no concerns` = "no", `some concerns` = "some", `major concerns` = "major",
               `not assessed` = "n/a")
    # domain judgements (fill) and the overall rating (colour): two legends
    long <- data.frame(term = rep(rows, times = length(doms)),
                       domain = factor(rep(titles[seq_along(doms)], each = n_rows), levels = titles),
                       judgement = factor(unlist(lapply(doms, function(d) df[[d]]), use.names = FALSE),
                                          levels = judgement_levels),
                       stringsAsFactors = FALSE)
    long$label <- short[as.character(long$judgement)]
    rating <- data.frame(term = rows, domain = factor("Confidence", levels = titles),
                         rating = factor(df$confidence, levels = confidence_levels),
                         label = df$confidence, stringsAsFactors = FALSE)
    fills <- concern_fills
    rating_cols <- c(high = "#1A9850", moderate = "#91CF60", low = "#FC8D59",
                     `very low` = "#D73027")
    p <- ggplot2::ggplot(long, ggplot2::aes(x = .data$domain, y = .data$term)) +
      ggplot2::geom_tile(ggplot2::aes(fill = .data$judgement), colour = "white", linewidth = 0.6) +
      ggplot2::geom_tile(ggplot2::aes(colour = .data$rating,
                                      fill = ggplot2::after_scale(.data$colour)),
                         data = rating, linewidth = 0.6) +
      # white borders between the rating tiles, as between the domain tiles
      ggplot2::geom_tile(data = rating, fill = NA, colour = "white", linewidth = 0.6) +
      ggplot2::scale_fill_manual("Domain judgement", values = fills, drop = FALSE,
                                 labels = c("no concerns", "some concerns", "major concerns",
                                            "not assessed (n/a)"),
                                 guide = ggplot2::guide_legend(order = 1, ncol = 1,
                                                               title.position = "top")) +
      ggplot2::scale_colour_manual("Confidence rating", values = rating_cols, drop = FALSE,
                                   guide = ggplot2::guide_legend(order = 2, ncol = 1,
                                                                 title.position = "top")) +
      ggplot2::scale_x_discrete(position = "top", drop = FALSE) +
      ggplot2::scale_y_discrete(limits = rev(rows)) +
      ggplot2::labs(x = NULL, y = NULL, title = "Confidence (CINeMA)",
                    subtitle = sub_txt, caption = cap) +
      theme_fastnma(grid = "none", base_size = size) +
      ggplot2::theme(axis.text.x.top = ggplot2::element_text(angle = 90, hjust = 0, vjust = 0.5),
                     legend.position = "bottom", legend.box = "horizontal",
                     legend.key.size = ggplot2::unit(0.9, "lines"),
                     legend.justification = "right", legend.box.just = "top",
                     plot.title.position = "plot", plot.caption.position = "plot")
    if (labels) {
      tsize <- if (n_rows > 15L) 2.2 else 2.6
      # tile labels are drawn only where every one of them fits its tile on
      # the device (a journal column drops them, a page keeps them)
      p <- p + geom_tile_text(ggplot2::aes(label = .data$label), size = tsize,
                              colour = "grey10") +
        geom_tile_text(ggplot2::aes(label = .data$label), data = rating, size = tsize,
                       colour = "grey10")
    }
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
  # the levels are named with what they grade ("low risk of bias", as in
  # RoB 2): a bare "low" or "high" is a confidence rating in the traffic
  # light beside this figure, where it has another colour. The colours are
  # the traffic light's: "some concerns" has the same colour in both.
  lev <- c(paste("low", what), "some concerns", paste("high", what))
  long <- data.frame(term = rep(rows, times = 3L),
                     level = factor(rep(lev, each = length(rows)), levels = rev(lev)),
                     percent = 100 * as.vector(sh), stringsAsFactors = FALSE)
  ggplot2::ggplot(long, ggplot2::aes(x = .data$percent, y = .data$term, fill = .data$level)) +
    ggplot2::geom_col(width = 0.75) +
    ggplot2::scale_fill_manual(paste0("Study ", what),
                               values = stats::setNames(unname(concern_fills[1:3]), lev),
                               breaks = lev,
                               guide = ggplot2::guide_legend(title.position = "top")) +
    ggplot2::scale_y_discrete(limits = rev(rows)) +
    ggplot2::scale_x_continuous("Contribution (%)", limits = c(0, 100.0001),
                                expand = ggplot2::expansion(mult = c(0, 0.02))) +
    ggplot2::labs(y = NULL, title = sprintf("Weighted %s", what),
                  subtitle = sprintf("Study contributions, %s effects\n%s rule",
                                     attr(object, "model"),
                                     if (domain == "within_study_bias") attr(object, "rule") else attr(object, "indirectness_rule")),
                  caption = cap) +
    theme_fastnma(grid = "x", base_size = size) +
    ggplot2::theme(legend.justification = "right")
}

# The colours of the concern levels, shared by the traffic light (domain
# judgements) and the risk-of-bias bars (low risk, some concerns, high risk)
concern_fills <- c(`no concerns` = "#7CC9AE", `some concerns` = "#FBBC05",
                   `major concerns` = "#E0685C", `not assessed` = "#D9D9D9")

# Text in the tiles of a table-like figure, drawn only when every label of
# the layer fits inside its tile (width and height) on the device it is
# drawn on: measured at drawing time with the device's fonts.
geom_tile_text <- function(mapping = NULL, data = NULL, ...) {
  ggplot2::layer(geom = GeomTileText, mapping = mapping, data = data, stat = "identity",
                 position = "identity", show.legend = FALSE, inherit.aes = TRUE,
                 params = list(...))
}

GeomTileText <- ggplot2::ggproto("GeomTileText", ggplot2::GeomText,
  draw_panel = function(data, panel_params, coord, ...) {
    g <- ggplot2::GeomText$draw_panel(data, panel_params, coord, ...)
    # one data unit of the discrete axes, as a fraction of the panel
    tile_w <- 1 / diff(panel_params$x.range)
    tile_h <- 1 / diff(panel_params$y.range)
    grid::gTree(children = grid::gList(g), tile_w = tile_w, tile_h = tile_h,
                cl = "fastnma_tile_text")
  }
)

#' @exportS3Method grid::makeContent
makeContent.fastnma_tile_text <- function(x) {
  txt <- x$children[[1]]
  if (!inherits(txt, "text") || !length(txt$label)) return(x)
  avail_w <- grid::convertWidth(grid::unit(x$tile_w, "npc"), "inches", valueOnly = TRUE)
  avail_h <- grid::convertHeight(grid::unit(x$tile_h, "npc"), "inches", valueOnly = TRUE)
  gp <- txt$gp
  labs <- unique(as.character(txt$label))
  fs <- if (length(gp$fontsize)) max(gp$fontsize) else 10
  w <- vapply(labs, function(l) {
    grid::convertWidth(grid::grobWidth(grid::textGrob(l, gp = grid::gpar(fontsize = fs,
      fontfamily = gp$fontfamily %||% "", fontface = gp$fontface %||% 1))), "inches", valueOnly = TRUE)
  }, numeric(1))
  h <- grid::convertHeight(grid::unit(1, "strheight", "Xg"), "inches", valueOnly = TRUE) * fs /
    grid::get.gpar("fontsize")$fontsize
  if (max(w) > 0.9 * avail_w || h > 0.9 * avail_h) {
    x <- grid::setChildren(x, grid::gList())
  }
  x
}

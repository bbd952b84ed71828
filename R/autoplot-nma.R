#' Figures of a network meta-analysis
#'
#' `autoplot()` draws a fitted network meta-analysis with ggplot2 and returns
#' the plot; nothing is drawn until it is printed. Customise it as any ggplot
#' (`+ ggplot2::labs()`, `+ ggplot2::theme()`). The numbers drawn are the
#' numbers [tidy()] and `print()` report: every figure is built from the same
#' comparison rows.
#'
#' @section Forest plot (`type = "forest"`):
#' Every treatment against the reference with its confidence interval and,
#' for the random-effects model, its prediction interval. The right-hand
#' column prints the estimate and interval as `print()` does; with
#' `ranking = "pscore"` (or `"sucra"`) a column of P-scores (SUCRA) is added.
#' Rows are sorted by effect (`sort = "effect"`), by rank (`"rank"`) or kept
#' in treatment order (`"none"`). Ratio measures are drawn on the ratio scale
#' with a logarithmic axis unless `exponentiate = FALSE`. Estimates from
#' indirect evidence only (no study compares the treatment with the
#' reference) are drawn as open squares, with a key. The text columns are
#' measured with the device's fonts when the figure is drawn: where they do
#' not fit beside the intervals, the direct evidence proportion, then `k`
#' (and, for many treatments in side-by-side blocks, the estimates) are left
#' out and the caption says so. The subtitle names the random-effects model
#' only where \eqn{\tau^2} was estimated (or preset): a \eqn{\tau^2} set to
#' 0 because the data carry no information on it is reported as the
#' common-effect model.
#'
#' @section Network graph (`type = "network"`):
#' Treatments are nodes, direct comparisons edges. Nodes are sized by the
#' number of patients randomised to the treatment when the fit was made from
#' arm-level data (through [arm_contrasts()]), otherwise by the number of
#' studies; edges are as wide as the number of studies (`edge_weight =
#' "studies"`) or the inverse-variance weight of the direct evidence
#' (`"precision"`, the sum of \eqn{1/se^2} over the study contrasts) and are
#' labelled with the number of studies. Multi-arm designs are shaded
#' polygons. Layout `"stress"` (default) places the nodes by stress
#' majorization (Gansner, Koren and North 2004), so that distances on the
#' page follow path lengths in the network; `"circle"` places them on a
#' circle in treatment order. Labels are placed when the figure is drawn,
#' measured with the device's fonts: each treatment label beside its node
#' (further out with a leader line when crowded), each study count along
#' its edge, never over another label or a node; a label that finds no room
#' is not drawn, and the caption says how many and which (draw the figure
#' larger to see them). On a circle, treatment labels sit radially outside
#' their nodes (along the radius beyond 16 treatments, thinned with the same
#' note when they would touch), with room measured for them. Treatment
#' labels wider than a sixth of the device are abbreviated on a page or
#' larger (as netmeta's `nchar.trts`, chosen when drawn) and numbered in one
#' journal column (under 5 in wide), with a key in the caption; in a column
#' the legends are said in a sentence of the caption, and study counts on
#' the edges are left to the edge widths unless `edge_labels = TRUE`.
#'
#' @section Comparison-adjusted funnel plot (`type = "funnel"`):
#' Each study-specific contrast, oriented from the treatment that comes first
#' in `order` to the one that comes later ("later versus earlier", for
#' instance active versus placebo or newer versus older), minus the pooled
#' estimate of its comparison (the network estimate, or with `centre =
#' "direct"` the direct estimate, as netmeta's `funnel.netmeta()`), against
#' its standard error (Chaimani and Salanti 2012). Without small-study
#' effects the points scatter symmetrically around zero, within the
#' pseudo-confidence limits. Each comparison has its own colour-shape pair.
#' With `order` given, the tests of [funnel_test()] chosen by `method`
#' (default Egger's) are reported in the subtitle; without it the figure
#' uses the reference first, then the fit's treatment order, says so in
#' its caption and shows no test, since a test is only meaningful for an
#' order chosen for the question.
#'
#' For a ratio measure the difference is taken on the log scale, where the
#' analysis is done; on the ratio scale (the default) it is drawn as its
#' exponential, the ratio of the study's effect to the network estimate
#' (for instance the study's odds ratio divided by the network odds ratio),
#' on a logarithmic axis with the line of no difference at 1. The funnel
#' keeps its shape, and the standard errors on the vertical axis stay on the
#' log scale. `exponentiate = FALSE` draws the difference of log ratios.
#'
#' @section Net heat plot (`type = "netheat"`):
#' The net heat plot of Krahn, Binder and König (2013) locates inconsistency
#' between designs. Rows and columns are the designs that are part of a
#' loop. The grey squares show how much the direct estimate of the design in
#' the column contributes to the network estimate of the design in the row
#' (area proportional to the contribution). The colours show the change in
#' the inconsistency of the row design when the column design is detached
#' (allowed its own parameters): red, inconsistency decreases (the column
#' design may be a source of inconsistency for the row); blue, it increases.
#' The diagonal shows the inconsistency contribution of each design.
#'
#' @param object An object of class `nma`.
#' @param type `"forest"` (default), `"network"`, `"funnel"` or `"netheat"`.
#' @param model `"random"` (default) or `"common"`. The funnel plot and the
#'   net heat plot default to the common-effect model.
#' @param ... Options of the figure drawn: see the section Figure options.
#' @section Figure options:
#' Passed through `...`, by figure:
#' * `ranking`: Forest: `"none"` (default), `"pscore"` or `"sucra"`: add a
#'   column of P-scores or SUCRA values.
#' * `sort`: Forest: `"effect"` (default), `"rank"` or `"none"`.
#' * `small_values`: Forest ranking: `"desirable"` if small effects are
#'   beneficial, `"undesirable"` otherwise (see [rank_treatments()]).
#'   Defaults to the fit's own `small_values` (see [nma()]).
#' * `prediction`: Forest: draw prediction intervals (random-effects model
#'   only). Default `TRUE`.
#' * `exponentiate`: Forest, funnel: the scale of ratio measures (OR, RR,
#'   HR, IRR, ROM). `NULL` (default): the ratio scale, drawn on a
#'   logarithmic axis labelled with ratios and the line of no difference at
#'   1; `FALSE`: the log scale of the analysis, with the line at 0. `TRUE`
#'   for a difference measure (MD, SMD, RD) is an error of class
#'   `fastnma_error_exponentiate`.
#' * `digits`: Forest: digits of the printed estimates (as in `print()`).
#' * `level`: Forest, funnel: confidence level; defaults to the level of
#'   the fit (funnel: 0.95).
#' * `n_sim`, `seed`: Forest with `ranking = "sucra"`: simulations and seed.
#' * `title`: Forest: the title of the figure (default none).
#' * `truth`: Forest: the declared truth of a simulation, drawn as a cross
#'   on each row with its own legend entry: a data frame with columns
#'   `treat1`, `treat2` (a pair either way round) and `value`, on the
#'   natural scale of the measure (ratios for ratio measures). Give the
#'   truth of the fit's outcome only: a comparison no row draws is an error
#'   (class `fastnma_error_truth`), as is a ratio that is not positive.
#' * `order`: Funnel: treatments in the order that orients each comparison,
#'   see [funnel_test()]; needed for the tests in the subtitle.
#' * `centre`: Funnel: `"network"` (default) or `"direct"` estimates to
#'   centre the contrasts at, see [funnel_test()].
#' * `method`: Funnel: tests reported, one or more of `"Egger"` (default),
#'   `"Begg"`, `"Thompson"`, see [funnel_test()].
#' * `colour_by`: Funnel: `"auto"` (colour and shape by comparison when
#'   there are at most 10), `"comparison"` or `"none"`.
#' * `layout`: Network: `"stress"` (default) or `"circle"`.
#' * `node_size`: Network: `"auto"` (patients when known, else studies),
#'   `"patients"`, `"studies"` or `"equal"`.
#' * `edge_weight`: Network: `"studies"` (default), `"precision"` or
#'   `"equal"`.
#' * `multiarm`: Network: shade multi-arm designs. Default `TRUE`.
#' * `edge_labels`: Network: label edges with their number of studies.
#'   Default: for networks with at most 40 edges, on devices 5 in wide or
#'   more.
#' * `min_contribution`: Net heat: contributions below this share are not
#'   drawn as squares. Default 0.
#' * `max_designs`: Net heat: the largest number of designs drawn (default
#'   40). A network with more designs in loops shows those with the largest
#'   inconsistency contribution (the diagonal), and the caption says how
#'   many of how many.
#' @return A ggplot object.
#' @references
#' Chaimani A, Salanti G (2012). Using network meta-analysis to evaluate the
#' existence of small-study effects in a network of interventions. *Research
#' Synthesis Methods* 3(2):161-176. \doi{10.1002/jrsm.57}
#'
#' Rücker G, Schwarzer G (2015). Ranking treatments in frequentist network
#' meta-analysis works without resampling methods. *BMC Medical Research
#' Methodology* 15:58. \doi{10.1186/s12874-015-0060-8}
#'
#' Gansner ER, Koren Y, North S (2004). Graph drawing by stress
#' majorization. In *Graph Drawing*, LNCS 3383:239-250.
#' \doi{10.1007/978-3-540-31843-9_25}
#'
#' Krahn U, Binder H, König J (2013). A graphical tool for locating
#' inconsistency in network meta-analyses. *BMC Medical Research Methodology*
#' 13:35. \doi{10.1186/1471-2288-13-35}
#' @seealso [theme_fastnma()], [funnel_test()]
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study,
#'            measure = "MD", reference = "plac")
#' autoplot(fit)
#' autoplot(fit, ranking = "pscore", sort = "rank")
#' autoplot(fit, type = "network")
#' autoplot(fit, type = "funnel", order = c("plac", "sulf", "metf"))
#' autoplot(fit, type = "netheat")
#' @importFrom ggplot2 autoplot
#' @method autoplot nma
#' @export
autoplot.nma <- function(object, type = c("forest", "network", "funnel", "netheat"),
                         model = NULL, ...) {
  netmeta_guard()
  type <- check_choice(if (missing(type)) NULL else type,
                       c("forest", "network", "funnel", "netheat"), "type")
  check_nma_object(object)
  if (is.null(model) && type %in% c("funnel", "netheat")) model <- "common"
  model <- fit_model(object, model)
  switch(type,
    forest = plot_forest(object, model = model, ...),
    network = plot_network(object, ...),
    funnel = plot_funnel(object, model = model, ...),
    netheat = plot_netheat(object, model = model, ...)
  )
}

# Forest plot: every treatment against the reference.
plot_forest <- function(object, model = "random",
                        ranking = c("none", "pscore", "sucra"),
                        sort = c("effect", "rank", "none"),
                        small_values = NULL, prediction = TRUE,
                        exponentiate = NULL, digits = 3,
                        level = object$level, n_sim = 10000, seed = 1,
                        title = NULL, truth = NULL, ...) {
  check_nma_object(object)
  check_dots_used_plot(...)
  if (!is.null(title) && (!is.character(title) || length(title) != 1L || is.na(title))) {
    abort_fastnma("{.arg title} must be a single string or NULL.", "choice")
  }
  ranking <- check_choice(if (missing(ranking)) NULL else ranking,
                          c("none", "pscore", "sucra"), "ranking")
  sort <- check_choice(if (missing(sort)) NULL else sort,
                       c("effect", "rank", "none"), "sort")
  small_values <- check_small_values(small_values,
                                     default = object$small_values %||% "desirable")
  check_flag(prediction, "prediction")
  exponentiate <- resolve_exponentiate(exponentiate, object$measure)
  check_level(level)
  if (sort == "rank" && ranking == "none") ranking <- "pscore"

  d <- forest_data(object, model, ranking, sort, small_values, exponentiate,
                   digits, level, n_sim, seed)
  d$truth <- forest_truth(object, truth, d$treat1, exponentiate)
  show_truth <- !is.null(truth)
  truth_lab <- "Declared truth"
  n <- nrow(d)
  show_pred <- prediction && model == "random" && all(is.finite(d$pred.low))
  lev <- sprintf("%g%%", 100 * level)
  ci_lab <- paste(lev, "confidence interval")
  pi_lab <- paste(lev, "prediction interval")
  meas <- measure_label(object$measure, exponentiate)

  # Rows: the reference on top (no interval), then the comparisons. More
  # rows than a 6 in figure holds at a readable size are wrapped into
  # side-by-side blocks (each with its headers), the text columns reduced to
  # the estimate and k.
  n_rows <- n + 1L
  n_blocks <- if (n_rows > 45L) ceiling(n_rows / 40) else 1L
  per_block <- ceiling(n_rows / n_blocks)
  pos <- seq_len(n_rows)  # 1 = the reference, then d's rows top to bottom
  block <- (pos - 1L) %/% per_block + 1L
  y_all <- per_block - (pos - 1L) %% per_block
  d$y <- y_all[-1]
  d$block <- block[-1]
  ref_y <- y_all[1]
  header_y <- per_block + 1
  ev <- forest_evidence(object, d$treat1, model)
  null <- null_value(object$measure, exponentiate)
  if (n_blocks > 1L) {
    d$label <- paste0(format_num(d$estimate, 2), " [", format_num(d$conf.low, 2),
                      "; ", format_num(d$conf.high, 2), "]")
  }
  cols <- list(
    align_right(c("", as.character(ev$k))),
    align_right(c("", ifelse(is.na(ev$prop_direct), "",
                             sprintf("%.0f%%", 100 * ev$prop_direct)))),
    c("(reference)", d$label))
  names(cols) <- c("k", "Direct", paste0(meas, " [", lev, " CI]"))
  has_ev <- !all(is.na(ev$k))
  any_indirect <- has_ev && any(ev$k == 0L, na.rm = TRUE)
  # wrapped blocks are narrow: the estimate and k only (and the ranking
  # alone, without k, when one is asked for)
  if (!has_ev) cols <- cols[3] else if (n_blocks > 1L) {
    cols <- if (ranking != "none") cols[3] else cols[c(1, 3)]
  }
  if (ranking != "none") {
    cols[[if (ranking == "pscore") "P-score" else "SUCRA"]] <-
      align_right(c("", formatC(d$rank_value, digits = 2, format = "f")))
  }
  lims <- range(c(d$conf.low, d$conf.high, d$estimate, d$truth,
                  if (show_pred) c(d$pred.low, d$pred.high), null), finite = TRUE)
  if (exponentiate) lims <- log(lims)
  # Text sized to the rows that a 6 in high figure holds.
  per_row <- 330 / (per_block + 1)
  text_pt <- max(5, min(9.5, 0.72 * per_row))
  base_size <- max(6, min(11, text_pt * 1.15))
  # The columns get the share of each block's width that their text needs
  # in a figure 8 in wide (at about 0.55 em per character).
  lab_in <- max(nchar(c(object$reference, d$treat1))) * text_pt * 0.6 / 72 + 0.15
  block_in <- (8 - 0.3) / n_blocks - lab_in
  need_in <- sum(column_chars(cols)) * text_pt * 0.55 / 72
  share <- min(0.72, max(0.3, need_in / block_in))
  tab <- table_columns(y_all, cols, header_y = header_y,
                       lo = lims[1], hi = lims[2], exponentiate = exponentiate,
                       size = text_pt / ggplot2::.pt, share = share,
                       block = if (n_blocks > 1L) block)
  bar <- if (per_block > 30) 0.6 else 1
  trt_lab <- c(object$reference, d$treat1)

  p <- ggplot2::ggplot(d, ggplot2::aes(y = .data$y)) +
    ggplot2::geom_vline(xintercept = null,
                        colour = fastnma_colours[["ref"]], linetype = "dashed",
                        linewidth = 0.4)
  if (show_pred) {
    p <- p + ggplot2::geom_linerange(
      ggplot2::aes(xmin = .data$pred.low, xmax = .data$pred.high,
                   colour = pi_lab),
      linewidth = 2.2 * bar, alpha = 0.45)
  }
  p <- p +
    ggplot2::geom_linerange(
      ggplot2::aes(xmin = .data$conf.low, xmax = .data$conf.high, colour = ci_lab),
      linewidth = 0.7 * bar) +
    forest_points(d, ev, has_ev, size = if (per_block > 30) 1.4 else 2.6)
  if (show_truth) {
    # The declared truth of a simulation: a cross on each row that has one,
    # with its own legend entry.
    p <- p + ggplot2::geom_point(
      data = d[!is.na(d$truth), , drop = FALSE],
      ggplot2::aes(x = .data$truth, shape = truth_lab),
      size = if (per_block > 30) 1.6 else 3, stroke = 1,
      colour = fastnma_colours[["indirect"]])
  }
  # one shape scale for the marks that have a key: estimates from indirect
  # evidence only (open squares) and the declared truth (crosses)
  shapes <- c(if (any_indirect) forest_shapes, if (show_truth) stats::setNames(4, truth_lab))
  if (length(shapes)) {
    # each key in its own layer's colour (the keys are drawn by every layer
    # that maps shape), two rows when there are three keys
    key_colour <- unname(ifelse(names(shapes) == truth_lab, fastnma_colours[["indirect"]],
                                fastnma_colours[["point"]]))
    p <- p + ggplot2::scale_shape_manual(
      NULL, values = shapes, breaks = names(shapes),
      guide = ggplot2::guide_legend(nrow = if (length(shapes) > 2L) 2L else 1L,
                                    override.aes = list(colour = key_colour)))
  }
  p <- p +
    tab$layers +
    ggplot2::scale_colour_manual(
      NULL, values = stats::setNames(fastnma_colours[c("ci", "pred")], c(ci_lab, pi_lab)),
      breaks = c(ci_lab, if (show_pred) pi_lab))
  if (n_blocks > 1L) {
    # treatment labels drawn as text at the left of each block
    left <- data.frame(y = y_all, block = block, label = trt_lab, .row_label = TRUE)
    p <- p +
      ggplot2::geom_text(data = left, ggplot2::aes(x = tab$limits[1], y = .data$y,
                                                   label = .data$label),
                         hjust = 1, size = text_pt / ggplot2::.pt, colour = "grey20",
                         inherit.aes = FALSE) +
      ggplot2::facet_wrap(~block, nrow = 1) +
      ggplot2::coord_cartesian(clip = "off") +
      ggplot2::scale_y_continuous(NULL, breaks = NULL,
                                  limits = c(0.4, header_y + 0.6), expand = c(0, 0))
  } else {
    p <- p + ggplot2::scale_y_continuous(
      NULL, breaks = c(d$y, ref_y), labels = c(d$treat1, object$reference),
      limits = c(0.4, header_y + 0.6), expand = c(0, 0))
  }
  lab_w <- max(nchar(trt_lab))
  est_col <- paste0(meas, " [", lev, " CI]")
  caption_of <- function(kept) {
    c(if (has_ev && "k" %in% kept) {
      paste0("k: studies comparing the treatment directly with ", object$reference,
             if ("Direct" %in% kept) "; Direct: direct evidence proportion", ".")
    }, if (!est_col %in% kept) "Estimates and intervals in numbers: print() or tidy() of the fit.")
  }
  p <- p +
    ggplot2::labs(
      x = paste(meas, "vs", object$reference),
      subtitle = model_label(object, model),
      caption = wrap_caption(caption_of(names(cols)))) +
    theme_fastnma(base_size = base_size) +
    ggplot2::theme(
      axis.text.y = ggplot2::element_text(size = text_pt),
      axis.ticks.y = ggplot2::element_blank(),
      strip.text = ggplot2::element_blank(),
      panel.spacing.x = ggplot2::unit(if (n_blocks > 1L) lab_w * text_pt * 0.6 + 6 else 5.5, "pt"),
      plot.margin = ggplot2::margin(5.5, 5.5, 5.5,
                                    if (n_blocks > 1L) lab_w * text_pt * 0.6 + 6 else 5.5),
      legend.position = if (show_pred || any_indirect || show_truth) "bottom" else "none",
      legend.box = "vertical")
  if (!is.null(title)) p <- p + ggplot2::labs(title = title)
  p <- p + scale_x_effect(exponentiate, limits = tab$limits,
                          breaks = breaks_within(tab$range, exponentiate,
                                                 n = if (n_blocks > 1L) 4 else 6),
                          expand = c(0, 0))
  # when drawn: the text columns measured and placed for the device, the
  # direct evidence proportion (then k) left out where they do not fit
  # (and, for blocks side by side, the estimates in numbers)
  attr(p, "fastnma_fit") <- table_fit(tab$spec, trt_lab, n_blocks,
                                      drop = c("Direct", "k", if (n_blocks > 1L) est_col),
                                      caption = function(kept) wrap_caption(caption_of(kept)))
  p
}

# The estimates of a forest: filled squares, and open squares (with a key)
# for estimates from indirect evidence only (no study compares the
# treatment with the reference), as netmeta's forest of split evidence and
# CINeMA mark them.
forest_points <- function(d, ev, has_ev, size) {
  indirect <- has_ev & !is.na(ev$k) & ev$k == 0L
  if (!any(indirect)) {
    return(ggplot2::geom_point(ggplot2::aes(x = .data$estimate), shape = 15,
                               size = size, colour = fastnma_colours[["point"]]))
  }
  levs <- names(forest_shapes)
  d$evidence <- factor(levs[indirect + 1L], levels = levs)
  ggplot2::geom_point(data = d, ggplot2::aes(x = .data$estimate, shape = .data$evidence),
                      size = size, colour = fastnma_colours[["point"]], fill = "white",
                      stroke = 0.9)
}
forest_shapes <- c(`with direct evidence` = 15, `indirect evidence only` = 22)

# The declared truth of each forest row (`treatments` vs the reference) on
# the figure's scale: `truth` is a data frame of `treat1`, `treat2` and
# `value` (on the natural scale of the measure: ratios for ratio measures),
# a pair given either way round. NA where a row has none; an error when no
# row has one, or a ratio is not positive.
forest_truth <- function(object, truth, treatments, exponentiate,
                         call = rlang::caller_env()) {
  if (is.null(truth)) return(rep(NA_real_, length(treatments)))
  if (!is.data.frame(truth) || !all(c("treat1", "treat2", "value") %in% names(truth)) ||
      !is.numeric(truth$value)) {
    abort_fastnma(c(
      "{.arg truth} must be a data frame with columns {.field treat1}, {.field treat2} and a numeric {.field value}.",
      "i" = "For example {.code data.frame(treat1 = \"B\", treat2 = \"A\", value = -0.5)}."
    ), "truth", call = call)
  }
  ratio <- is_ratio(object$measure)
  t1 <- as.character(truth$treat1)
  t2 <- as.character(truth$treat2)
  v <- as.double(truth$value)
  bad <- !is.finite(v) | (ratio & v <= 0)
  if (any(bad)) {
    abort_fastnma(c(
      "Column {.field value} of {.arg truth} must hold {if (ratio) 'positive ratios' else 'finite values'} for a {object$measure} fit.",
      "x" = "Not so for {.val {paste(t1[bad], 'vs', t2[bad])}}: {.val {format(v[bad])}}.",
      "i" = "Give the truth of this outcome only, on the natural scale of {.val {object$measure}}."
    ), "truth", call = call)
  }
  # each drawn row is "treatment vs reference", the canonical direction: a
  # truth given the other way round changes sign
  at <- comparison_match(object, treatments, rep(object$reference, length(treatments)), t1, t2)
  log_v <- if (ratio) log(v) else v
  out <- ifelse(needs_flip(object, t1[at], t2[at]), -log_v[at], log_v[at])
  if (all(is.na(out))) {
    abort_fastnma(c(
      "{.arg truth} names no comparison that the forest plot draws.",
      "x" = "It gives {.val {paste(t1, 'vs', t2)}}.",
      "i" = "The forest plot draws every treatment vs {.val {object$reference}}."
    ), "truth", call = call)
  }
  if (ratio && exponentiate) exp(out) else out
}

# Direct evidence of each treatment against the reference: the number of
# studies (contrasts) that compare them and the direct evidence proportion,
# the network variance over the direct variance (as in node_split()).
forest_evidence <- function(object, treatments, model) {
  dir <- tryCatch(direct_estimates(object, model = model), error = function(e) NULL)
  k <- rep(0L, length(treatments))
  prop <- rep(0, length(treatments))
  if (is.null(dir)) return(list(k = rep(NA_integer_, length(treatments)),
                                prop_direct = rep(NA_real_, length(treatments))))
  i <- comparison_match(object, treatments, rep(object$reference, length(treatments)),
                        dir$treat1, dir$treat2)
  net <- nma_comparisons(object, model, "reference", object$level, FALSE)
  net_se <- net$std.error[match(treatments, net$treat1)]
  has <- !is.na(i)
  k[has] <- dir$k[i[has]]
  prop[has] <- pmin(1, net_se[has]^2 / dir$std.error[i[has]]^2)
  list(k = k, prop_direct = prop)
}

# The rows a forest plot draws: tidy() rows plus positions and labels.
forest_data <- function(object, model, ranking, sort, small_values,
                        exponentiate, digits, level, n_sim = 10000, seed = 1) {
  d <- nma_comparisons(object, model, "reference", level, exponentiate)
  d$rank_value <- NA_real_
  if (ranking != "none") {
    rk <- ranking_values(object, model, ranking, small_values, n_sim, seed)
    d$rank_value <- unname(rk[d$treat1])
  }
  ord <- switch(sort,
    effect = order(d$estimate, d$treat1),
    rank = order(-d$rank_value, d$treat1),
    none = seq_len(nrow(d))
  )
  d <- d[ord, , drop = FALSE]
  d$y <- rev(seq_len(nrow(d)))
  d$label <- paste0(format_num(d$estimate, digits), " [",
                    format_num(d$conf.low, digits), "; ",
                    format_num(d$conf.high, digits), "]")
  rownames(d) <- NULL
  d
}

# "Random-effects model (tau^2 REML = 0.100)" and similar.
model_label <- function(object, model) {
  if (model == "common") {
    name <- capabilities_of(object)$name
    if (!is.null(name)) return(sprintf("Common-effect model (%s)", name))
    return("Common-effect model")
  }
  # "random effects" only where tau^2 was estimated (or preset by the user):
  # a tau^2 fixed at 0 because the data carry no information on it gives
  # the common-effect model, and the figure says so
  if (identical(object$tau2_info$identifiable, FALSE)) {
    return("Common-effect model (tau\u00b2 not estimable, set to 0)")
  }
  if (identical(object$tau2_method, "preset")) {
    return(sprintf("Random-effects model (tau\u00b2 preset to %s%s)",
                   format_num(object$tau2, 4),
                   if (object$ci_method == "hk") ", Hartung-Knapp" else ""))
  }
  sprintf("Random-effects model (%s, tau\u00b2 = %s%s)", object$tau2_method,
          format_num(object$tau2, 4),
          if (object$ci_method == "hk") ", Hartung-Knapp" else "")
}

# Ranking values for figures, by treatment name: rank_treatments().
ranking_values <- function(object, model, method = "pscore",
                           small_values = NULL, n_sim = 10000, seed = 1) {
  r <- rank_treatments(object, method = method, model = model,
                       small_values = small_values, n_sim = n_sim, seed = seed)
  stats::setNames(r[[method]], r$treatment)
}

#' Tests for funnel plot asymmetry in a network
#'
#' Tests the comparison-adjusted funnel plot (Chaimani and Salanti 2012)
#' for asymmetry: every study-specific contrast, oriented as the treatment
#' that comes later in `order` versus the one that comes earlier, minus the
#' pooled estimate of its comparison, against its standard error. Evidence
#' of asymmetry suggests that small studies report systematically different
#' effects for the treatments that come later in `order`.
#'
#' * `"Egger"`: Egger's regression test (Egger et al. 1997), the intercept
#'   of the regression of the standardised effect on precision, with its
#'   t test on `k - 2` degrees of freedom (residual variance estimated,
#'   that is multiplicative residual heterogeneity).
#' * `"Begg"`: Begg and Mazumdar's (1994) rank correlation test, Kendall's
#'   score between the standardised deviations from the inverse-variance
#'   pooled mean and the variances, with its normal approximation
#'   (variance corrected for ties, no continuity correction).
#' * `"Thompson"`: the meta-regression test of Thompson and Sharp (1999),
#'   the slope of the effect on its standard error in a weighted regression
#'   with an additive residual between-study variance (\eqn{\tau^2},
#'   REML), t test on `k - 2` degrees of freedom.
#'
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @section The order:
#' The test has no meaning without an order chosen for the question asked
#' (Chaimani et al. 2013): oldest to newest if newer treatments are thought
#' to be favoured in small trials, placebo first if active treatments are,
#' and so on. `order` is therefore required; reversing it changes the sign
#' of every statistic, and other orders give other tests: on [senn2013],
#' Egger's test (network centring) gives p = 0.93 with placebo first and
#' the others alphabetical, p = 0.69 with the order `plac, benf, migl, acar,
#' sulf, metf, rosi, piog, sita, vild`.
#'
#' @section Centring:
#' `centre = "network"` (default) subtracts the network estimate of each
#' comparison, which uses all the evidence, direct and indirect;
#' `centre = "direct"` subtracts the direct (pairwise, inverse-variance)
#' estimate of the comparison, from its own studies only, as netmeta's
#' `funnel.netmeta()` and the original proposal do. The two coincide for a
#' comparison without indirect evidence; with inconsistency, the network
#' centring moves the points of a comparison away from zero as a group, and
#' the tests then pick up inconsistency as well as small-study effects.
#' With `centre = "direct"` and the same `order` the statistics equal those
#' of `netmeta::funnel(x, order = , method.bias = )` up to their sign:
#' netmeta orients the contrasts earlier versus later.
#'
#' @param fit An object of class `nma`.
#' @param order Treatments in the order that defines each comparison: a
#'   contrast is oriented as the treatment that comes later versus the one
#'   that comes earlier. Required (an error of class
#'   `fastnma_error_missing_argument` without it). Treatments not named
#'   follow in the fit's treatment order.
#' @param model Pooled estimates used to centre the contrasts: `"common"`
#'   (default) or `"random"`.
#' @param centre `"network"` (default) or `"direct"`, see Centring.
#' @param method One or more of `"Egger"` (default), `"Begg"`,
#'   `"Thompson"`.
#' @return A data frame with one row per test: `method`, `estimate` (Egger:
#'   the intercept; Begg: Kendall's score; Thompson: the slope on the
#'   standard error), `std.error`, `statistic` (t, or z for Begg), `df`
#'   (`NA` for Begg), `p.value`, `tau2` (Thompson's residual
#'   \eqn{\tau^2}, `NA` otherwise), `k` (contrasts used), `centre` and
#'   `order` (the full order used, as one string). A test needs at least
#'   three contrasts with different standard errors; otherwise its row has
#'   `NA` statistics.
#' @references
#' Begg CB, Mazumdar M (1994). Operating characteristics of a rank
#' correlation test for publication bias. *Biometrics* 50:1088-1101.
#' \doi{10.2307/2533446}
#'
#' Egger M, Davey Smith G, Schneider M, Minder C (1997). Bias in
#' meta-analysis detected by a simple, graphical test. *BMJ* 315:629-634.
#' \doi{10.1136/bmj.315.7109.629}
#'
#' Thompson SG, Sharp SJ (1999). Explaining heterogeneity in
#' meta-analysis: a comparison of methods. *Statistics in Medicine*
#' 18:2693-2708.
#' \doi{10.1002/(SICI)1097-0258(19991030)18:20<2693::AID-SIM235>3.0.CO;2-V}
#'
#' Chaimani A, Salanti G (2012). Using network meta-analysis to evaluate the
#' existence of small-study effects in a network of interventions. *Research
#' Synthesis Methods* 3(2):161-176. \doi{10.1002/jrsm.57}
#'
#' Chaimani A, Higgins JPT, Mavridis D, Spyridonos P, Salanti G (2013).
#' Graphical tools for network meta-analysis in STATA. *PLoS ONE*
#' 8(10):e76654. \doi{10.1371/journal.pone.0076654}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' # placebo first: active treatments versus placebo
#' funnel_test(fit, order = "plac")
#' funnel_test(fit, order = "plac", centre = "direct",
#'             method = c("Egger", "Begg", "Thompson"))
#' @export
funnel_test <- function(fit, order, model = c("common", "random"),
                        centre = c("network", "direct"), method = "Egger", ...) {
  netmeta_guard(dots_empty = TRUE)
  check_nma_object(fit)
  if (missing(order) || is.null(order)) abort_funnel_order(fit)
  model <- fit_model(fit, if (missing(model)) "common" else model)
  centre <- check_choice(if (missing(centre)) NULL else centre, c("network", "direct"), "centre")
  method <- check_funnel_methods(method)
  d <- funnel_data(fit, order, model, centre)
  out <- do.call(rbind, lapply(method, function(m) {
    switch(m, Egger = egger_test(d$centred, d$std.error),
           Begg = begg_test(d$centred, d$std.error),
           Thompson = thompson_test(d$centred, d$std.error, fit))
  }))
  out$centre <- centre
  out$order <- paste(attr(d, "order"), collapse = ", ")
  rownames(out) <- NULL
  out
}

abort_funnel_order <- function(fit, call = rlang::caller_env()) {
  abort_fastnma(c(
    "{.arg order} is required: a test of funnel asymmetry depends on the order of the treatments.",
    "i" = "Name the treatments in the order that defines each comparison (later versus earlier), e.g. {.code order = {deparse(fit$reference)}} for every treatment versus {fit$reference}, or oldest to newest."
  ), "missing_argument", call = call)
}

check_funnel_methods <- function(method, call = rlang::caller_env()) {
  allowed <- c("Egger", "Begg", "Thompson")
  if (!is.character(method) || length(method) < 1L || anyNA(method) ||
      !all(method %in% allowed) || anyDuplicated(method)) {
    abort_fastnma(c(
      "{.arg method} must be one or more of {.val {allowed}}.",
      "x" = "It is {.val {method}}."
    ), "choice", call = call)
  }
  method
}

funnel_na <- function(method, k, df) {
  data.frame(method = method, estimate = NA_real_, std.error = NA_real_,
             statistic = NA_real_, df = df, p.value = NA_real_, tau2 = NA_real_,
             k = k)
}

funnel_testable <- function(y, se) length(y) >= 3L && length(unique(se)) >= 2L

egger_test <- function(y, se) {
  k <- length(y)
  if (!funnel_testable(y, se)) return(funnel_na("Egger", k, k - 2L))
  e <- egger_regression(y, se)
  data.frame(method = "Egger", estimate = e$intercept, std.error = e$std.error,
             statistic = e$statistic, df = e$df, p.value = e$p.value, tau2 = NA_real_,
             k = k)
}

# Egger's regression test (Egger et al. 1997), the one routine of the
# package: ordinary least squares of y/se on 1/se, t-test of the intercept
# on k - 2 degrees of freedom, for every level of `group` at once (one test
# per direct comparison for confidence(); one group for the funnel tests).
# Groups of fewer than three contrasts, or of equal standard errors, give
# non-finite values.
egger_regression <- function(y, se, group = rep(1L, length(y))) {
  g <- factor(group, levels = unique(group))
  zz <- y / se
  x <- 1 / se
  k <- tabulate(g, nlevels(g))
  xbar <- rowsum(x, g)[, 1] / k
  zbar <- rowsum(zz, g)[, 1] / k
  Sxx <- rowsum(x^2, g)[, 1] - k * xbar^2
  Sxz <- rowsum(x * zz, g)[, 1] - k * xbar * zbar
  b1 <- Sxz / Sxx
  b0 <- zbar - b1 * xbar
  res <- zz - b0[g] - b1[g] * x
  df <- pmax(k - 2L, 1L)
  s2 <- rowsum(res^2, g)[, 1] / df
  se0 <- sqrt(s2 * (1 / k + xbar^2 / Sxx))
  tt <- b0 / se0
  data.frame(group = levels(g), k = k, intercept = unname(b0), std.error = unname(se0),
             statistic = unname(tt), df = as.integer(k - 2L),
             p.value = unname(2 * stats::pt(-abs(tt), df)), stringsAsFactors = FALSE)
}

# Begg and Mazumdar (1994): Kendall's score S between the standardised
# deviations from the common-effect mean, (y - mean) / sqrt(v - 1/sum(w)),
# and the variances v; S from tau-b (computed in C by stats::cor), its null
# variance with the usual correction for ties (Kendall 1970).
begg_test <- function(y, se) {
  k <- length(y)
  if (!funnel_testable(y, se)) return(funnel_na("Begg", k, NA_integer_))
  v <- se^2
  w <- 1 / v
  mu <- sum(w * y) / sum(w)
  ys <- (y - mu) / sqrt(v - 1 / sum(w))
  ties <- function(x) as.vector(table(x))
  tx <- ties(ys)
  tv <- ties(v)
  n0 <- k * (k - 1) / 2
  n1 <- sum(tx * (tx - 1)) / 2
  n2 <- sum(tv * (tv - 1)) / 2
  tau_b <- stats::cor(ys, v, method = "kendall")
  S <- round(tau_b * sqrt((n0 - n1) * (n0 - n2)))
  var_S <- (k * (k - 1) * (2 * k + 5) - sum(tx * (tx - 1) * (2 * tx + 5)) -
              sum(tv * (tv - 1) * (2 * tv + 5))) / 18 +
    sum(tx * (tx - 1)) * sum(tv * (tv - 1)) / (2 * k * (k - 1)) +
    sum(tx * (tx - 1) * (tx - 2)) * sum(tv * (tv - 1) * (tv - 2)) /
    (9 * k * (k - 1) * (k - 2))
  s <- sqrt(var_S)
  z <- S / s
  data.frame(method = "Begg", estimate = S, std.error = s, statistic = z,
             df = NA_integer_, p.value = 2 * stats::pnorm(-abs(z)), tau2 = NA_real_, k = k)
}

# Thompson and Sharp (1999): meta-regression of the effect on its standard
# error with an additive between-study variance (REML), fitted by the core
# as a two-treatment network meta-regression of one contrast per "study".
thompson_test <- function(y, se, fit) {
  k <- length(y)
  if (!funnel_testable(y, se)) return(funnel_na("Thompson", k, k - 2L))
  # one contrast of treatment 2 vs 1 per "study" (no handle: built for this call)
  pairs <- list(studies = seq_len(k), treatments = 1:2,
                codes = list(study = seq_len(k), treat1 = rep(2L, k), treat2 = rep(1L, k)),
                data = list(estimate = y, std.error = se), tol_multiarm = 1e-8)
  res <- nma_regression_cpp(pairs, se - mean(se), list(
    ref = 1L, common = TRUE, method = "REML",
    tol_tau2 = fit$control$tol_tau2 %||% 1e-10, tau2_preset = -1))
  res <- check_core_result(res, fit)
  b <- res$coef_random[2L]
  s <- sqrt(res$cov_random[2L, 2L])
  df <- k - 2L
  t <- b / s
  data.frame(method = "Thompson", estimate = b, std.error = s, statistic = t,
             df = df, p.value = 2 * stats::pt(-abs(t), df), tau2 = res$tau2, k = k)
}

# Study-specific contrasts oriented "later vs earlier in order", centred at
# the network (or direct) estimate of their comparison.
funnel_data <- function(fit, order = NULL, model = "common", centre = "network",
                        call = rlang::caller_env()) {
  trt <- fit$treatments
  if (is.null(order)) order <- c(fit$reference, setdiff(trt, fit$reference))
  order <- as.character(order)
  bad <- setdiff(order, trt)
  if (length(bad) > 0L || anyDuplicated(order)) {
    abort_fastnma(c(
      "{.arg order} must name distinct treatments of the network.",
      "x" = if (length(bad)) "Not in the network: {.val {bad}}." else "It has duplicates."
    ), "order", call = call)
  }
  order <- c(order, setdiff(trt, order))
  d <- fit$data
  pos1 <- match(d$treat1, order)
  pos2 <- match(d$treat2, order)
  flip <- pos1 < pos2
  later <- ifelse(flip, d$treat2, d$treat1)
  earlier <- ifelse(flip, d$treat1, d$treat2)
  y <- ifelse(flip, -d$estimate, d$estimate)
  if (centre == "direct") {
    dir <- direct_estimates(fit, model = model)
    # the direct table is in the canonical orientation: turn it where the
    # funnel's order runs the other way
    at <- comparison_match(fit, later, earlier, dir$treat1, dir$treat2)
    pooled <- ifelse(needs_flip(fit, later, earlier), -dir$estimate[at], dir$estimate[at])
  } else {
    pooled <- comparison_rows(fit, model, match(later, trt), match(earlier, trt))$estimate
  }
  out <- data.frame(study = d$study, treat1 = later, treat2 = earlier,
                    comparison = paste(later, "vs", earlier),
                    estimate = y, std.error = d$std.error,
                    pooled = pooled, centred = y - pooled,
                    stringsAsFactors = FALSE)
  names(out)[names(out) == "pooled"] <- centre
  ord_key <- order(match(out$treat2, order), match(out$treat1, order))
  out$comparison <- factor(out$comparison, levels = unique(out$comparison[ord_key]))
  attr(out, "order") <- order
  out
}

plot_funnel <- function(object, model = "common", order = NULL,
                        level = 0.95, colour_by = c("auto", "comparison", "none"),
                        exponentiate = NULL, centre = c("network", "direct"),
                        method = "Egger", ...) {
  check_nma_object(object)
  check_dots_used_plot(...)
  exponentiate <- resolve_exponentiate(exponentiate, object$measure)
  check_level(level)
  colour_by <- check_choice(if (missing(colour_by)) NULL else colour_by,
                            c("auto", "comparison", "none"), "colour_by")
  centre <- check_choice(if (missing(centre)) NULL else centre, c("network", "direct"), "centre")
  method <- check_funnel_methods(method)
  d <- funnel_data(object, order, model, centre)
  n_comp <- nlevels(d$comparison)
  if (colour_by == "auto") colour_by <- if (n_comp <= 10L) "comparison" else "none"

  z <- stats::qnorm(1 - (1 - level) / 2)
  se_max <- max(d$std.error) * 1.05
  limits <- data.frame(std.error = c(se_max, 0, se_max),
                       x = c(-z * se_max, 0, z * se_max))
  # The tests need an order chosen for the question (funnel_test()): without
  # one the figure says which order it drew and shows no test.
  caption <- NULL
  if (is.null(order)) {
    sub <- NULL
    used <- attr(d, "order")
    caption <- paste0("Contrasts oriented later vs earlier in the default order (",
                      if (length(used) <= 8L) paste(used, collapse = ", ") else
                        paste0(used[1], " first, then the fit's treatment order"),
                      "); give `order` to test for asymmetry.")
    caption <- paste(strwrap(caption, width = 100), collapse = "\n")
  } else {
    tests <- funnel_test(object, order = order, model = model, centre = centre,
                         method = method)
    sub <- paste(funnel_test_labels(tests), collapse = "\n")
  }
  # On the ratio scale the centred contrast is the ratio of the study's
  # effect to the network estimate: exp() of the difference on the log
  # scale, drawn on a log axis, so that the funnel keeps its symmetric shape.
  if (exponentiate) {
    d$centred <- exp(d$centred)
    limits$x <- exp(limits$x)
  }
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$centred, y = .data$std.error)) +
    ggplot2::geom_path(data = limits, ggplot2::aes(x = .data$x, y = .data$std.error),
                       linetype = "dashed", colour = "grey50", linewidth = 0.4) +
    ggplot2::geom_vline(xintercept = null_value(object$measure, exponentiate),
                        colour = "grey30", linewidth = 0.4)
  if (colour_by == "comparison") {
    p <- p + ggplot2::geom_point(ggplot2::aes(colour = .data$comparison,
                                              shape = .data$comparison),
                                 size = 2.2, alpha = 0.85) +
      ggplot2::scale_shape_manual(NULL, values = funnel_shapes(n_comp)) +
      ggplot2::scale_colour_manual(NULL, values = funnel_colours(n_comp)) +
      ggplot2::guides(colour = ggplot2::guide_legend(ncol = min(3L, n_comp)),
                      shape = ggplot2::guide_legend(ncol = min(3L, n_comp)))
  } else {
    p <- p + ggplot2::geom_point(colour = fastnma_colours[["point"]], size = 2,
                                 alpha = 0.7)
  }
  x_lab <- if (exponentiate) {
    sprintf("Study %s relative to the %s estimate (ratio of %ss)",
            tolower(measure_label(object$measure, TRUE)), centre,
            tolower(measure_label(object$measure, TRUE)))
  } else {
    sprintf("Contrast minus %s estimate (%s)", centre, measure_label(object$measure))
  }
  p + ggplot2::scale_y_reverse(limits = c(se_max, 0), expand = ggplot2::expansion(c(0, 0.02))) +
    scale_x_effect(exponentiate) +
    ggplot2::labs(
      x = x_lab,
      y = if (is_ratio(object$measure)) sprintf("Standard error (log %s)", object$measure) else
        "Standard error",
      subtitle = sub, caption = caption) +
    theme_fastnma(grid = "xy")
}

# One line per test for the funnel's subtitle.
funnel_test_labels <- function(tests) {
  name <- c(Egger = "Egger's test", Begg = "Begg's test", Thompson = "Thompson-Sharp test")
  vapply(seq_len(nrow(tests)), function(i) {
    t <- tests[i, ]
    if (is.na(t$p.value)) return(sprintf("%s: too few contrasts", name[[t$method]]))
    switch(t$method,
      Egger = sprintf("Egger's test: intercept %s (SE %s), t = %s, df = %d, %s",
                      format_num(t$estimate, 2), format_num(t$std.error, 2),
                      format_num(t$statistic, 2), t$df, format_pvalue(t$p.value, header = TRUE)),
      Begg = sprintf("Begg's test: Kendall's score %s (SE %s), z = %s, %s",
                     format_num(t$estimate, 0), format_num(t$std.error, 2),
                     format_num(t$statistic, 2), format_pvalue(t$p.value, header = TRUE)),
      Thompson = sprintf("Thompson-Sharp test: slope %s (SE %s), t = %s, df = %d, %s",
                         format_num(t$estimate, 2), format_num(t$std.error, 2),
                         format_num(t$statistic, 2), t$df, format_pvalue(t$p.value, header = TRUE)))
  }, character(1))
}

# Colours and shapes of the funnel's comparisons: ten colours and ten
# shapes, the shape shifted by one for every round of the colours, so that
# each of up to 100 comparisons has its own colour-shape pair.
funnel_palette <- c("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                    "#56B4E9", "#000000", "#F0E442", "#999999", "#882255")
funnel_shape_set <- c(16, 17, 15, 18, 1, 2, 0, 5, 6, 8)
funnel_colours <- function(n) {
  i <- seq_len(n) - 1L
  funnel_palette[i %% 10L + 1L]
}
funnel_shapes <- function(n) {
  i <- seq_len(n) - 1L
  funnel_shape_set[(i + i %/% 10L) %% 10L + 1L]
}

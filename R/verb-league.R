#' League table of all pairwise comparisons
#'
#' `league_table()` returns every ordered pair of treatments with its network
#' estimate, in tidy form. Its `format()` and `print()` methods lay it out as
#' the classic square league table, with treatments on the diagonal and a
#' printed statement of how to read each triangle:
#'
#' * lower triangle (below the diagonal): the network estimate of the
#'   treatment in the **row** relative to the treatment in the **column**,
#'   from `fit`;
#' * upper triangle (above the diagonal): the estimate of the treatment in
#'   the **column** relative to the treatment in the **row**, either the
#'   direct estimate (pairwise meta-analysis, `upper = "direct"`; empty
#'   where there is no direct evidence) or the network estimate of a second
#'   fit `second` (for instance harms next to benefits).
#'
#' Both triangles thus show the later treatment of the table relative to
#' the earlier one. In the default order (the canonical order of [nma()]:
#' the reference first, then the other treatments in sorted order) every
#' cell is a comparison in its canonical orientation, as `tidy()` and
#' [node_split()] report it: the first column holds every treatment against
#' the reference.
#'
#' @section netmeta's layout:
#' `netmeta::netleague()` reads the other way round in both triangles: its
#' lower triangle holds the network estimate of the **column** treatment
#' relative to the **row** treatment, its upper triangle the direct estimate
#' of the **row** treatment relative to the **column** treatment (the
#' earlier treatment relative to the later one), and its treatments are in
#' sorted order (its default `seq`). `layout = "netmeta"` lays the table
#' out that way, cell for cell the table of `netleague()`; the default
#' `layout = "fastnma"` is the canonical orientation above. `print()`,
#' [autoplot()][autoplot.nma_league] and [export_table()] state the layout
#' they use; `format()`, `print()` and `export_table()` take `layout` to
#' show the same table in the other one. The rows of the table (`tidy()`)
#' are the same in both layouts.
#'
#' @param fit An object of class `nma`.
#' @param model `"random"` (default) or `"common"`.
#' @param upper What the upper triangle shows: `"direct"` (default) or
#'   `"network"` (the network estimates of `second`).
#' @param second An optional second `nma` fit on the same treatments (used
#'   with `upper = "network"`).
#' @param order Treatments in the order of the table (default: the
#'   canonical order of [nma()], the reference first; with `layout =
#'   "netmeta"` the sorted treatments, netmeta's default `seq`).
#' @param layout `"fastnma"` (default: both triangles show the later
#'   treatment relative to the earlier one) or `"netmeta"` (the orientation
#'   of `netmeta::netleague()`: both triangles the other way round); see the
#'   section on netmeta's layout. `format()`, `print()`: `NULL` (default)
#'   the table's own layout.
#' @param level Confidence level.
#' @param exponentiate Logical; ratio measures on the ratio scale.
#' @return A data frame of class `nma_league` with one row per ordered pair
#'   (`treat1`, `treat2`, effect of `treat1` relative to `treat2`) and
#'   `estimate, std.error, conf.low, conf.high, statistic, p.value`. The
#'   first half of the rows are the comparisons in the canonical orientation
#'   of [nma()] (the reference first, then the other treatments in sorted
#'   order; `treat1` the later treatment), in the order of
#'   `tidy(fit, comparisons = "all")`; the second half the same pairs the
#'   other way round. The upper-triangle content (direct estimates in the
#'   canonical orientation and reversed) is kept as the attribute
#'   `"upper"`.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' lt <- league_table(fit)
#' head(lt)
#' print(lt, digits = 2)
#' # two outcomes in one table: the first fit below the diagonal, a second
#' # outcome on the same treatments above it (here an illustrative outcome
#' # made from the same trials, with other effects per treatment)
#' trt <- sort(unique(c(senn2013$treat1, senn2013$treat2)))
#' g <- setNames(sin(seq_along(trt)) / 4, trt)
#' other <- transform(senn2013, TE = -TE / 2 + g[treat1] - g[treat2])
#' second <- nma(other, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' print(league_table(fit, upper = "network", second = second), digits = 2)
#' @export
league_table <- function(fit, model = c("random", "common"),
                         upper = c("direct", "network"), second = NULL,
                         order = NULL, level = fit$level,
                         exponentiate = FALSE, layout = c("fastnma", "netmeta"), ...) {
  netmeta_guard(dots_empty = TRUE)
  check_nma(fit)
  model <- fit_model(fit, if (missing(model)) NULL else model)
  upper <- check_arg_choice(upper)
  layout <- check_arg_choice(layout)
  order <- order %||% if (layout == "netmeta") sort(fit$treatments) else treatment_order(fit)
  check_level(level)
  exponentiate <- resolve_exponentiate(exponentiate, fit$measure)
  if (!setequal(order, fit$treatments) || anyDuplicated(order)) {
    abort_fastnma(c("{.arg order} must list every treatment of the fit once.",
                    did_you_mean_many(setdiff(order, fit$treatments), fit$treatments),
                    "i" = "Treatments: {.val {fit$treatments}}."), "order")
  }
  if (upper == "network") {
    if (is.null(second)) {
      abort_fastnma("{.code upper = \"network\"} needs a second fit in {.arg second}.", "second")
    }
    check_nma(second)
    fit_model(second, model, call = rlang::current_env())
    if (!setequal(second$treatments, fit$treatments)) {
      abort_fastnma(c("{.arg second} must have the same treatments as {.arg fit}.",
                      "x" = "It has {.val {second$treatments}}."), "treatments")
    }
  }
  # every ordered pair: the canonical comparisons of `fit` first, then the
  # same pairs the other way round
  all_pairs <- function(x) {
    ij <- canonical_pairs(fit, "all")
    i <- match(fit$treatments[c(ij$i, ij$j)], x$treatments)
    j <- match(fit$treatments[c(ij$j, ij$i)], x$treatments)
    comparison_rows(x, model, i, j, level, exponentiate)
  }
  out <- all_pairs(fit)
  up <- if (upper == "direct") {
    d <- strip_attributes(league_direct(fit, model, level, exponentiate))
    flip <- d
    flip$treat1 <- d$treat2
    flip$treat2 <- d$treat1
    flip$estimate <- if (exponentiate) 1 / d$estimate else -d$estimate
    flip$conf.low <- if (exponentiate) 1 / d$conf.high else -d$conf.high
    flip$conf.high <- if (exponentiate) 1 / d$conf.low else -d$conf.low
    flip$statistic <- -d$statistic
    rbind(d, flip)
  } else {
    all_pairs(second)
  }
  new_fastnma_table(out, "nma_league", model = model,
            model_label = fit_model_label(fit, model),
            upper = up, upper_kind = upper,
            direct_method = if (upper == "direct") capabilities_of(fit)$method, order = order, level = level,
            measure = fit$measure, exponentiate = exponentiate, layout = layout)
}

# The layout of a league table: `layout` when given, else the table's own
# ("fastnma" for tables made before layouts existed).
league_layout <- function(x, layout = NULL, call = rlang::caller_env()) {
  if (is.null(layout)) return(attr(x, "layout") %||% "fastnma")
  check_choice(layout, c("fastnma", "netmeta"), "layout", call = call)
}

# The comparison (treat1 relative to treat2) shown in cell (r, c) of a
# square league table with treatments `ord`. fastnma: the later treatment
# relative to the earlier one in both triangles (lower: row vs column;
# upper: column vs row); netmeta: the other way round (lower: column vs
# row; upper: row vs column), as netleague() shows them.
league_cell_pairs <- function(ord, r, c, layout) {
  lower <- r > c
  later <- ifelse(lower, ord[r], ord[c])
  earlier <- ifelse(lower, ord[c], ord[r])
  if (identical(layout, "netmeta")) {
    list(treat1 = earlier, treat2 = later)
  } else {
    list(treat1 = later, treat2 = earlier)
  }
}

#' @rdname league_table
#' @param x An object of class `nma_league`.
#' @param digits Number of decimals.
#' @param ci Logical; show confidence intervals. `print()`: `NULL` (default)
#'   shows them when the table fits the console width.
#' @param exponentiate Scale of `format()`, `print()` and
#'   [autoplot()][autoplot.nma_league], whatever the scale the table was
#'   computed on: `NULL` (default) the ratio scale for ratio measures (and
#'   for a table computed with `exponentiate = TRUE`), the analysis scale
#'   otherwise; `FALSE` the log scale; `TRUE` the ratio scale
#'   (an error of class `fastnma_error_exponentiate` for a difference
#'   measure).
#' @param ... Must be empty.
#' @return `format()`: a character matrix, the square league table, in the
#'   table's layout or the one given as `layout`.
#' @export
format.nma_league <- function(x, digits = 2, ci = TRUE, exponentiate = NULL,
                              layout = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- league_scale(x, exponentiate)
  layout <- league_layout(x, layout)
  if (!league_complete(x)) {
    abort_fastnma("The square league table needs every ordered pair; this table has {nrow(x)} of them.",
                  "league_shape")
  }
  ord <- attr(x, "order")
  n <- length(ord)
  cell <- function(df) {
    txt <- format_num(df$estimate, digits)
    if (ci) {
      txt <- paste0(txt, " (", format_num(df$conf.low, digits),
                    " to ", format_num(df$conf.high, digits), ")")
    }
    txt
  }
  stored <- isTRUE(attr(x, "exponentiate"))
  low <- to_scale(strip_attributes(x), exponentiate, stored)
  up <- to_scale(attr(x, "upper"), exponentiate, stored)
  low_txt <- cell(low)
  up_txt <- cell(up)
  rc <- expand.grid(r = seq_len(n), c = seq_len(n))
  rc <- rc[rc$r != rc$c, , drop = FALSE]
  lower <- rc$r > rc$c
  # fastnma layout: lower triangle row vs column, upper triangle column vs
  # row (the later treatment of the table relative to the earlier one in
  # both); netmeta layout: the other way round in both
  cp <- league_cell_pairs(ord, rc$r, rc$c, layout)
  t1 <- cp$treat1
  t2 <- cp$treat2
  from_low <- pair_match(t1, t2, low$treat1, low$treat2)
  from_up <- pair_match(t1, t2, up$treat1, up$treat2)
  m <- matrix("", n, n, dimnames = list(ord, ord))
  diag(m) <- ord
  val <- ifelse(lower, low_txt[from_low], up_txt[from_up])
  val[is.na(val)] <- "."
  m[cbind(rc$r, rc$c)] <- val
  m
}

league_orientation <- function(x, layout = NULL) {
  layout <- league_layout(x, layout)
  kind <- attr(x, "upper_kind")
  lab <- attr(x, "model_label") %||% paste(attr(x, "model"), "effects")
  lab <- if (grepl("(", lab, fixed = TRUE)) paste0(", ", lab, ",") else paste0(" (", lab, ")")
  netmeta <- identical(layout, "netmeta")
  low <- if (netmeta) "column treatment relative to the row treatment" else
    "row treatment relative to the column treatment"
  up <- if (netmeta) "row treatment relative to the column treatment" else
    "column treatment relative to the row treatment"
  c(if (netmeta) "Layout \"netmeta\" (as netmeta's netleague()): the earlier treatment relative to the later one in both triangles." else
      "Layout \"fastnma\": the later treatment relative to the earlier one in both triangles (netleague() reads the other way round: layout = \"netmeta\").",
    sprintf("Lower triangle: network estimate%s of the %s.", lab, low),
    if (kind == "direct") {
      sprintf("Upper triangle: direct estimate (pairwise meta-analysis%s) of the %s; '.' = no direct evidence.",
              if (isTRUE(attr(x, "direct_method") %in% c("MH", "NCH"))) ", Mantel-Haenszel" else "", up)
    } else {
      sprintf("Upper triangle: network estimate from the second fit of the %s.", up)
    })
}

#' @rdname league_table
#' @details `print()` fits the square table to `getOption("width")`: when
#'   it is too wide, it leaves out the confidence intervals (unless `ci =
#'   TRUE` was asked for), then abbreviates the treatment labels (with a
#'   key), then shows the first treatments only, and says so each time.
#'   `format()` always gives the whole table, `tidy()` every pair.
#' @export
print.nma_league <- function(x, digits = 2, ci = NULL, exponentiate = NULL,
                             layout = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- league_scale(x, exponentiate)
  layout <- league_layout(x, layout)
  stored <- isTRUE(attr(x, "exponentiate"))
  if (!league_complete(x)) {
    # a subset of rows (e.g. head()) cannot fill the square: show the rows
    cli::cat_line(cli::style_bold("League table rows"), " (",
                  scale_header(attr(x, "measure"), exponentiate), ")")
    print(to_scale(strip_attributes(x), exponentiate, stored), digits = digits + 1L)
    return(invisible(x))
  }
  if (!is.null(ci)) check_flag(ci, "ci")
  width <- getOption("width", 80L)
  show_ci <- ci %||% TRUE
  m <- format(x, digits = digits, ci = show_ci, exponentiate = exponentiate, layout = layout)
  notes <- character()
  if (league_width(m) > width && is.null(ci)) {
    show_ci <- FALSE
    m <- format(x, digits = digits, ci = FALSE, exponentiate = exponentiate, layout = layout)
    notes <- c(notes, "Confidence intervals are left out to fit the console width: `print(x, ci = TRUE)` shows them, `format(x)` or `tidy(x)` gives them.")
  }
  ord <- attr(x, "order")
  short <- ord
  if (league_width(m) > width) {
    for (len in c(8L, 6L, 4L, 3L)) {
      short <- abbreviate(ord, minlength = len, named = FALSE)
      diag(m) <- short
      if (league_width(m) <= width) break
    }
  }
  if (league_width(m) > width) {
    n <- nrow(m)
    keep <- 1L
    while (keep < n && league_width(m[seq_len(keep + 1L), seq_len(keep + 1L), drop = FALSE]) <= width) {
      keep <- keep + 1L
    }
    keep <- max(keep, 2L)
    m <- m[seq_len(keep), seq_len(keep), drop = FALSE]
    notes <- c(notes, sprintf("Showing the first %d of %d treatments (a wider table does not fit getOption(\"width\") = %d): `format(x)` gives the whole table, `tidy(x)` every pair.",
                              keep, n, width))
  }
  shown <- seq_len(nrow(m))
  changed <- short[shown] != ord[shown]
  if (any(changed)) {
    notes <- c(notes, paste0("Abbreviated: ", paste(short[shown][changed], "=",
                                                     ord[shown][changed], collapse = ", "), "."))
  }
  cli::cat_line(cli::style_bold("League table"), " (",
                scale_header(attr(x, "measure"), exponentiate),
                if (show_ci) sprintf(", %g%% CI", 100 * attr(x, "level")), ")")
  for (l in league_orientation(x, layout)) cli::cat_line(strwrap(l, width = width))
  cli::cat_line()
  cli::cat_line(league_lines(m))
  if (length(notes)) {
    cli::cat_line()
    for (l in notes) cli::cat_line(strwrap(l, width = width))
  }
  invisible(x)
}

# The lines of a square league table as printed: each column right-aligned
# to its widest cell (decimal points line up), two spaces between columns.
league_lines <- function(m) {
  w <- apply(nchar(m, type = "width"), 2L, max)
  cells <- vapply(seq_len(ncol(m)), function(j) formatC(m[, j], width = w[j]),
                  character(nrow(m)))
  cells <- matrix(cells, nrow = nrow(m))
  sub("\\s+$", "", apply(cells, 1L, paste, collapse = "  "))
}

league_width <- function(m) max(nchar(league_lines(m), type = "width"))

#' @rdname league_table
#' @param conf.int Logical; include the confidence limits (default `TRUE`).
#' @return `tidy()`: the rows (network estimates of every ordered pair) as a
#'   tibble with `term` (`"treat1 vs treat2"`) and `model`.
#' @method tidy nma_league
#' @export
tidy.nma_league <- function(x, conf.int = TRUE, ...) {
  netmeta_guard()
  as_tidy(x, conf.int = conf.int, model = attr(x, "model"))
}

# The scale a league table is shown on: `exponentiate` resolved for its
# measure; a table computed on the ratio scale (`league_table(exponentiate =
# TRUE)`) is shown as computed unless the log scale is asked for.
league_scale <- function(x, exponentiate, call = rlang::caller_env()) {
  if (isTRUE(attr(x, "exponentiate")) && (is.null(exponentiate) || isTRUE(exponentiate))) {
    return(TRUE)
  }
  resolve_exponentiate(exponentiate, attr(x, "measure"), call = call)
}

# Does a league table still hold every ordered pair of its treatments?
league_complete <- function(x) {
  n <- length(attr(x, "order"))
  nrow(x) == n * (n - 1L)
}

# The direct estimates of the upper triangle: inverse-variance pooling of
# the study contrasts for an inverse-variance fit (direct_estimates()); for a
# Mantel-Haenszel fit, the Mantel-Haenszel estimate of each compared pair
# from the arms the fit used (pairwise_binary()), so that both triangles
# come from the same method; a non-central hypergeometric fit gets the same
# Mantel-Haenszel direct estimates, and its note says so.
league_direct <- function(fit, model, level, exponentiate) {
  if (isTRUE(capabilities_of(fit)$study_contrasts)) {
    return(direct_estimates(fit, model = model, level = level, exponentiate = exponentiate))
  }
  a <- fit$arm_data
  arms <- list(study = a$study, treatment = a$treatment, events = a$events, n = a$n)
  d <- pairwise_tables(arms, fit$measure, "MH", level, FALSE)
  d <- d[is.finite(d$estimate) & is.finite(d$std.error), , drop = FALSE]
  out <- d[c("treat1", "treat2", "k", "estimate", "std.error", "conf.low",
             "conf.high", "statistic", "p.value")]
  # pairwise tables come later vs earlier in sorted order
  out <- orient_comparisons(fit, out, negate = c("estimate", "statistic"),
                            limits = list(c("conf.low", "conf.high")))
  if (exponentiate) out <- exponentiate_columns(out)
  out
}

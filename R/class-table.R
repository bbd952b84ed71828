#' Table-shaped results: the `fastnma_table` base class
#'
#' The results that are tables, one row per comparison, treatment or study
#' ([node_split()], [rank_treatments()], [league_table()], [confidence()]
#' and its `summary()`, [direct_estimates()], [absolute_effects()],
#' [benefit_harm()], [zero_cell_audit()]), are data frames of their own
#' class with the base class `fastnma_table`. Their metadata (the model, the
#' measure, the level, the method, ...) are attributes, and they travel with
#' the table.
#'
#' @section Metadata that travels with the table:
#' The attributes are kept by
#' * base subsetting, `x[i, ]`, `x[, j]`, `x[j]`, [head()], [subset()];
#' * the dplyr verbs (`filter()`, `arrange()`, `slice()`, `mutate()`,
#'   `select()`, ...) through `dplyr_row_slice()`, `dplyr_col_modify()`
#'   and `dplyr_reconstruct()`, registered when dplyr is installed.
#'
#' A subset that keeps the columns a result's `print()` and figures read
#' keeps the result's class (`x[1:2, ]` is still a node-splitting table). A
#' subset without them (`x[, 1:3]`) keeps the metadata and the base class
#' `fastnma_table`, and prints as a plain table under the result's title.
#' [tidy()] of the full result gives every column as a tibble.
#'
#' @name fastnma_table
#' @seealso [node_split()], [rank_treatments()], [league_table()].
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
#' ns <- node_split(fit)
#' ns[1:2, ]
#' ns[, 1:3]
#' attr(ns[, 1:3], "model")
NULL

# Each table-shaped result class: its title (for the print of a subset of
# its columns), the columns its print and figures read (a character vector,
# or a function of the table when they depend on its metadata) and the
# attributes it always has.
table_classes <- list(
  nma_threshold = list(
    title = "Threshold analysis",
    columns = c("treat1", "treat2", "estimate", "std.error", "threshold_lower",
                "threshold_upper", "new_lower", "new_upper"),
    metadata = c("chosen", "level", "model", "rank", "measure")),
  nma_split = list(
    title = "Node-splitting",
    columns = c("treat1", "treat2", "k", "prop_direct", "direct", "direct_se",
                "indirect", "indirect_se", "diff", "diff_se", "statistic", "p.value",
                "network", "network_se", "evidence"),
    metadata = c("model", "method", "tau2", "level", "measure")),
  nma_ranks = list(
    title = "Treatment ranking",
    columns = function(x) {
      c("treatment", if (identical(attr(x, "method"), "sucra")) "sucra" else "pscore")
    },
    metadata = c("method", "model", "small_values")),
  nma_league = list(
    title = "League table",
    columns = c("treat1", "treat2", "estimate", "std.error", "conf.low", "conf.high"),
    metadata = c("model", "upper", "upper_kind", "order", "level", "measure",
                 "exponentiate")),
  nma_confidence = list(
    title = "Confidence in the evidence (CINeMA)",
    columns = c("treat1", "treat2", "within_study_bias", "reporting_bias", "indirectness",
                "imprecision", "heterogeneity", "incoherence", "confidence", "overridden"),
    metadata = c("model", "measure", "level", "margin", "rule", "indirectness_rule",
                 "assessed")),
  summary.nma_confidence = list(
    title = "Confidence in the evidence (CINeMA), by domain",
    columns = c("domain", "judgement", "comparisons"),
    metadata = character()),
  nma_direct = list(
    title = "Direct (pairwise) estimates",
    columns = c("treat1", "treat2", "k", "estimate", "std.error", "conf.low", "conf.high",
                "p.value", "Q", "df"),
    metadata = c("model", "level", "measure", "exponentiate")),
  nma_absolute = list(
    title = "Absolute effects",
    columns = c("treatment", "reference", "scenario", "baseline_risk", "relative",
                "relative_lower", "relative_upper", "risk", "risk_lower", "risk_upper",
                "difference", "difference_lower", "difference_upper", "per"),
    metadata = c("model", "measure", "relative")),
  nma_benefit_harm = list(
    title = "Benefit and harm",
    columns = c("treatment", "reference", "efficacy", "efficacy_lower", "efficacy_upper",
                "pscore_efficacy", "harm", "harm_lower", "harm_upper", "pscore_harm"),
    metadata = c("measures", "models")),
  nma_zero_cell_audit = list(
    title = "Zero-cell audit",
    # its print shows any subset of its columns
    columns = character(),
    metadata = character())
)

# The attributes of a table that are not its metadata.
table_structure_attributes <- c("names", "row.names", "class")

table_metadata <- function(x) {
  a <- attributes(x)
  a[setdiff(names(a), c(table_structure_attributes, "table_class"))]
}

table_required_columns <- function(x, class) {
  cols <- table_classes[[class]]$columns
  if (is.function(cols)) cols(x) else cols
}

# A table-shaped result: `x` (a data frame) with the class `class` over the
# base class, and the metadata in `...` as attributes; checked by
# validate_fastnma_table(). Every verb's result passes here, so it is built
# with primitives (no data-frame methods): its cost is a few microseconds.
new_fastnma_table <- function(x, class, ..., call = rlang::caller_env()) {
  if (!is.data.frame(x) || !is.character(class) || length(class) != 1L ||
      is.na(match(class, names(table_classes)))) {
    stop("internal error: new_fastnma_table() needs a data frame and a known table class")
  }
  meta <- list(...)
  # NULL entries are dropped (only entries of length 0 can be NULL)
  drop <- lengths(meta, use.names = FALSE) == 0L
  if (any(drop)) {
    drop[drop] <- vapply(meta[drop], is.null, NA)
    meta <- meta[!drop]
  }
  # only the names, the row names and the class of `x` are kept
  attributes(x) <- c(list(names = attr(x, "names", exact = TRUE),
                          row.names = .row_names_info(x, 0L),
                          class = c(class, "fastnma_table", "data.frame")),
                     meta)
  validate_fastnma_table(x, call = call)
}

# A data frame of the named columns in `...` (plain vectors of one length;
# their names are dropped), made with primitives: what data.frame(...,
# stringsAsFactors = FALSE) makes of such columns, without its conversions
# of each column (which cost more than many a compiled verb itself).
new_frame <- function(...) {
  x <- list(...)
  n <- length(x[[1L]])
  for (i in seq_along(x)) {
    if (length(x[[i]]) != n || !is.null(dim(x[[i]])) || is.list(x[[i]])) {
      stop("internal error: new_frame() needs plain columns of one length")
    }
    if (!is.null(names(x[[i]]))) names(x[[i]]) <- NULL
  }
  attr(x, "row.names") <- .set_row_names(n)
  class(x) <- "data.frame"
  x
}

# The contract of a table-shaped result: a data frame of a known class with
# the columns its print and figures read and the metadata it always has.
validate_fastnma_table <- function(x, call = rlang::caller_env()) {
  cls <- oldClass(x)
  class <- cls[1L]
  spec <- if (is.character(class) && !is.na(class)) .subset2(table_classes, class)
  if (is.null(spec) || !is.list(x) || !("data.frame" %in% cls) ||
      !("fastnma_table" %in% cls)) {
    abort_fastnma(c("A table-shaped result must be a data frame of a known result class.",
                    "x" = "It has class {.cls {class(x)}}."), "result_contract", call = call)
  }
  cols <- spec$columns
  if (is.function(cols)) cols <- cols(x)
  miss <- cols[is.na(match(cols, attr(x, "names", exact = TRUE)))]
  if (length(miss)) {
    abort_fastnma(c("A {.cls {class}} table must have the column{?s} {.field {miss}}.",
                    "x" = "It has {.field {names(x)}}."), "result_contract", call = call)
  }
  miss <- spec$metadata[is.na(match(spec$metadata, names(attributes(x))))]
  if (length(miss)) {
    abort_fastnma(c("A {.cls {class}} table must carry the metadata {.field {miss}}.",
                    "x" = "It has {.field {names(table_metadata(x))}}."),
                  "result_contract", call = call)
  }
  x
}

# `data` (a data frame made from the table `template` by subsetting or a
# dplyr verb) with the metadata of `template`; it keeps the class of
# `template` when it still has the columns that class needs, else it is a
# plain `fastnma_table` that remembers the class it came from.
table_reconstruct <- function(data, template) {
  class <- attr(template, "table_class", exact = TRUE) %||% class(template)[1L]
  meta <- table_metadata(template)
  keep <- attributes(data)[c("names", "row.names")]
  full <- all(table_required_columns(template, class) %in% keep$names)
  attributes(data) <- c(
    keep,
    list(class = c(if (full) class, "fastnma_table", "data.frame")),
    meta,
    if (!full) list(table_class = class))
  data
}

#' @export
`[.fastnma_table` <- subset_keeping_metadata(table_reconstruct)

# Registered in .onLoad() for dplyr's generics (dplyr is suggested only).
dplyr_reconstruct.fastnma_table <- table_reconstruct

dplyr_row_slice.fastnma_table <- function(data, i, ...) {
  table_reconstruct(vctrs::vec_slice(strip_attributes(data), i), data)
}

dplyr_col_modify.fastnma_table <- function(data, cols) {
  out <- NextMethod()
  table_reconstruct(strip_attributes(out), data)
}

#' @rdname fastnma_table
#' @param x A table-shaped result.
#' @param digits Decimals of the numbers printed.
#' @param ... Unused.
#' @export
print.fastnma_table <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  class <- attr(x, "table_class", exact = TRUE) %||% class(x)[1L]
  title <- table_classes[[class]]$title %||% "Table"
  meta <- table_metadata(x)
  scalar <- vapply(meta, function(v) is.atomic(v) && length(v) == 1L && is.null(names(v)),
                   logical(1))
  about <- vapply(names(meta)[scalar], function(n) {
    v <- meta[[n]]
    paste(n, if (is.numeric(v)) format(signif(v, 4)) else format(v))
  }, character(1))
  cat_wrapped(cli::style_bold(title), sprintf(": %d row%s, %d column%s",
                                              nrow(x), if (nrow(x) == 1L) "" else "s",
                                              ncol(x), if (ncol(x) == 1L) "" else "s"),
              if (length(about)) paste0(" (", paste(about, collapse = "; "), ")"))
  df <- strip_attributes(x)
  num <- vapply(df, is.numeric, logical(1))
  df[num] <- lapply(df[num], function(v) if (is.integer(v)) format(v) else format_num(v, digits))
  print_columns(df, left = names(df)[!num])
  cat_wrapped("A subset of the columns of the result; the whole result prints in its own layout.")
  invisible(x)
}

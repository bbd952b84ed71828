#' Glossary of result columns
#'
#' Every column that a `tidy()` or `glance()` method of the package returns,
#' with its meaning, read from the file `glossary.csv` installed with the
#' package (one file for the whole vocabulary). Names follow broom where
#' broom has one (`term`, `estimate`, `std.error`, `conf.low`, `conf.high`,
#' `statistic`, `p.value`); the others are snake_case.
#'
#' Comparisons are labelled `"treat1 vs treat2"` in the canonical
#' orientation described in [nma()] (section "Orientation").
#'
#' @param column Optional character vector of column names to look up; by
#'   default the whole glossary.
#' @param used_by Logical; add the column `used_by`: the tables that have
#'   the column (`"tidy(<nma>)"`, `"glance(<nma_confidence>)"`,
#'   `"node_split()"`, ...), separated by `"; "`.
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @section Grammar:
#' Beyond broom's names, p-values are `p_value_*`, the limits of an interval
#' `*_lower` and `*_upper`, standard errors `*_se`, and the degrees of
#' freedom of `Q` are `df` (those of `Q_*`, `df_*`). Columns renamed to
#' follow it (`p_additive`, `p_diff`, `equivalence_low`, `equivalence_high`,
#' `df_Q`) can still be read by their old names (`x$p_additive`) for one
#' release, with a deprecation warning of class `fastnma_warning_deprecated`
#' once per session.
#'
#' @return A tibble with columns `column` and `meaning` (and `used_by`), one row per column
#'   name (in the order asked for when `column` is given; a name not in the
#'   glossary is an error of class `fastnma_error_glossary`).
#' @examples
#' fastnma_glossary()
#' fastnma_glossary(c("term", "prop_direct"))
#' fastnma_glossary("p_value_diff", used_by = TRUE)
#' @export
fastnma_glossary <- function(column = NULL, used_by = FALSE, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_flag(used_by, "used_by")
  path <- system.file("glossary.csv", package = "fastnma", mustWork = TRUE)
  g <- utils::read.csv(path, stringsAsFactors = FALSE, encoding = "UTF-8")
  g <- tibble::as_tibble(g[c("column", "meaning", if (used_by) "used_by")])
  if (is.null(column)) return(g)
  if (!is.character(column)) {
    abort_fastnma("{.arg column} must be a character vector of column names.",
                  "glossary")
  }
  miss <- setdiff(column, g$column)
  if (length(miss)) {
    abort_fastnma(c("Every name in {.arg column} must be a column of a result.",
                    "x" = "Not in the glossary: {.val {miss}}."), "glossary")
  }
  g[match(column, g$column), , drop = FALSE]
}

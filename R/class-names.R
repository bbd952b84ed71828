# Column names follow one grammar: p-values `p.value` or `p_value_*`, limits
# `*_lower`/`*_upper` (broom's `conf.low`/`conf.high`, `pred.low`/`pred.high`
# for the interval of the estimate), standard errors `*_se`, degrees of
# freedom `df` beside `Q` and `df_*` beside `Q_*`. Columns renamed to it
# keep their old names for reading (`x$old`, `x[["old"]]`) for one release,
# with a deprecation warning once per session.

renamed_columns <- c(
  p_additive = "p_value_additive",
  p_diff = "p_value_diff",
  equivalence_low = "equivalence_lower",
  equivalence_high = "equivalence_upper",
  df_Q = "df"
)

# `x` (a data frame or tibble) readable by the old names of its renamed
# columns.
with_old_names <- function(x) {
  if (!any(renamed_columns %in% names(x))) return(x)
  class(x) <- unique(c("fastnma_renamed", class(x)))
  x
}

# The current name of column `name` of `x`: `name` itself unless it is the
# old name of a renamed column of `x` (then a deprecation warning, once per
# session and name).
current_column <- function(x, name) {
  if (!is.character(name) || length(name) != 1L || is.na(name)) return(name)
  cols <- names(x)
  if (name %in% cols || !name %in% names(renamed_columns)) return(name)
  new <- renamed_columns[[name]]
  if (!new %in% cols) return(name)
  rlang::warn(
    c(sprintf("Column `%s` was renamed `%s`; the old name will stop working in the next release.",
              name, new),
      "i" = "Column names follow one grammar: see `fastnma_glossary(used_by = TRUE)`."),
    class = c("fastnma_warning_deprecated", "fastnma_warning"),
    .frequency = "once", .frequency_id = paste0("fastnma_renamed_", name))
  new
}

#' @export
`$.fastnma_renamed` <- function(x, name) {
  name <- current_column(x, name)
  if (name %in% names(x)) return(.subset2(x, name))
  NextMethod()
}

#' @export
`[[.fastnma_renamed` <- function(x, i, ...) {
  i <- current_column(x, i)
  class(x) <- setdiff(class(x), "fastnma_renamed")
  x[[i, ...]]
}

# The names among `x` that break the grammar: a p-value that is neither
# `p.value` nor `p_value_*` (`p_best`, a probability, is not a p-value), a
# limit that is neither broom's `conf.low`/`conf.high`/`pred.low`/`pred.high`
# nor `*_lower`/`*_upper` (`n_low`, a count, is not a limit), a standard
# error that is neither `std.error` nor `*_se`, the degrees of freedom of `Q`
# not named `df`, and dots outside broom's names.
column_grammar_violations <- function(x) {
  broom <- c("std.error", "conf.low", "conf.high", "p.value", "pred.low", "pred.high")
  not_limits <- c("n_low", "n_very_low", "n_high")
  bad <- (grepl("^p_", x) & !grepl("^p_value_", x) & x != "p_best") |
    (grepl("(_|\\.)(low|high|lo|hi|lwr|upr|min|max)$", x) & !x %in% c(broom, not_limits)) |
    grepl("^(se|stderr)_|(_|\\.)(stderr|sem)$|^se$", x) |
    x == "df_Q" |
    (grepl(".", x, fixed = TRUE) & !x %in% broom)
  x[bad]
}

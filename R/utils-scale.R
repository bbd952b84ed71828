# The reporting scale of prints, summaries and figures.
#
# Ratio measures are analysed on the log scale. Every print(), summary() and
# figure takes `exponentiate = NULL` (see resolve_exponentiate()): NULL
# reports ratio measures on the ratio scale, FALSE on the log scale of the
# analysis. Estimates and their limits move between the scales; standard
# errors, test statistics and heterogeneity stay on the log scale and say so.

# Columns of effects (and their limits) that change with the scale.
effect_columns <- c("estimate", "conf.low", "conf.high", "pred.low", "pred.high")

# Move the effect columns of `df` from the scale they are stored on
# (`stored`: TRUE = ratio scale) to the scale asked for (`exponentiate`).
to_scale <- function(df, exponentiate, stored = FALSE, cols = effect_columns) {
  if (isTRUE(exponentiate) == isTRUE(stored)) return(df)
  f <- if (isTRUE(exponentiate)) exp else log
  for (col in intersect(cols, names(df))) df[[col]] <- f(df[[col]])
  df
}

# Short name of the measure on the scale shown: "OR", "log OR", "MD",
# "Effect" for a generic measure.
measure_abbrev <- function(measure, exponentiate) {
  if (identical(measure, "generic") || is.null(measure)) return("Effect")
  if (is_ratio(measure) && !isTRUE(exponentiate)) paste("log", measure) else measure
}

# Header text naming the scale: "Odds ratio, OR", "log odds ratio, log OR",
# "Mean difference, MD".
scale_header <- function(measure, exponentiate) {
  lab <- measure_label(measure, exponentiate)
  ab <- measure_abbrev(measure, exponentiate)
  if (identical(lab, ab)) lab else paste0(lab, ", ", ab)
}

# The note printed under heterogeneity statistics of a ratio measure.
log_scale_note <- function(measure, what = "Standard errors are") {
  if (!is_ratio(measure)) return(NULL)
  sprintf("%s on the log scale (log %s).", what, measure)
}

# Arguments of a print() method that it does not know: an error rather than
# silently ignored (a misspelt `exponentiate`, say).
check_dots_print <- function(..., call = rlang::caller_env()) {
  if (...length() > 0L) {
    nms <- names(list(...))
    nms <- if (is.null(nms)) rep("", ...length()) else nms
    nms[!nzchar(nms)] <- "..."
    abort_fastnma(c("Unknown argument{?s} {.arg {nms}}.",
                    "i" = "The scale of ratio measures is chosen with {.arg exponentiate}."),
                  "dots", call = call)
  }
}

# Labels of a ratio axis as plain numbers (0.01, 0.1, 1, 10, 100), each on
# its own: never 1e-02, and 1 is not written "1.00" for its neighbours' sake.
ratio_labels <- function(b) {
  vapply(b, function(v) {
    if (is.na(v)) return(NA_character_)
    format(signif(v, 6), scientific = FALSE, trim = TRUE, drop0trailing = TRUE)
  }, character(1))
}

# Axis of an effect on the scale drawn: a log10 axis with ratio labels for
# the ratio scale, a continuous axis otherwise.
scale_x_effect <- function(exponentiate, name = ggplot2::waiver(), ...) {
  if (isTRUE(exponentiate)) {
    ggplot2::scale_x_log10(name, labels = ratio_labels, ...)
  } else {
    ggplot2::scale_x_continuous(name, ...)
  }
}

# Names of effect measures: the known ones, matched regardless of case, and
# custom labels that must be declared with custom_measure().

# The effect measures fastnma knows (labels, scales, null values), and the
# neutral label of a plain data frame without a measure.
known_measures <- c("MD", "SMD", "RR", "OR", "RD", "HR", "IRR", "ROM")

#' Declare a custom effect measure
#'
#' [nma()] (and [nma_network()], [component_nma()]) accept the known effect
#' measures `"MD"`, `"SMD"`, `"RR"`, `"OR"`, `"RD"`, `"HR"`, `"IRR"` and
#' `"ROM"`, in any case (`"or"` is `"OR"`, as netmeta's `sm` is), and
#' `"generic"`, the neutral label. Any other label is refused with an error
#' of class `fastnma_error_unknown_measure`, so that a misspelt measure is
#' not silently taken as a label (`"0R"` for `"OR"` would otherwise analyse
#' log odds ratios as plain differences). A label of your own is declared
#' with `custom_measure()`:
#'
#' ```
#' nma(d, measure = custom_measure("log HR (adjusted)"))
#' ```
#'
#' A custom measure is analysed and reported on the scale of the data, as a
#' difference (no exponentiation, null value 0), and its label names the
#' effects in prints, tables and figures.
#'
#' @param label A single non-empty string that is not the name of a known
#'   measure (those are given as they are, e.g. `measure = "OR"`).
#' @param ... Must be empty: a netmeta argument name is an error that names
#'   the fastnma argument (see [netmeta_arguments]).
#' @return The label, of class `fastnma_custom_measure`, for the `measure`
#'   argument.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study,
#'            measure = custom_measure("HbA1c change"), reference = "plac")
#' fit$measure
#' @export
custom_measure <- function(label, ...) {
  netmeta_guard(dots_empty = TRUE)
  if (!is.character(label) || length(label) != 1L || is.na(label) || !nzchar(trimws(label))) {
    abort_fastnma("{.arg label} must be a single non-empty string.", "unknown_measure")
  }
  hit <- match(toupper(label), c(known_measures, "GENERIC"))
  if (!is.na(hit)) {
    known <- c(known_measures, "generic")[hit]
    abort_fastnma(c(
      "{.val {label}} is a known measure, not a custom one.",
      "i" = "Give it as {.code measure = \"{known}\"}."
    ), "unknown_measure")
  }
  structure(label, class = "fastnma_custom_measure")
}

#' @export
print.fastnma_custom_measure <- function(x, ...) {
  netmeta_guard()
  cat("<custom measure> ", unclass(x), "\n", sep = "")
  invisible(x)
}

# A `measure` argument as a plain label: NULL stays NULL; a known measure in
# any case becomes its canonical name; a declared custom measure its label;
# anything else an error naming the known measures and how to declare one.
check_measure <- function(measure, arg = "measure", call = rlang::caller_env()) {
  if (is.null(measure)) return(NULL)
  if (inherits(measure, "fastnma_custom_measure")) return(as.character(unclass(measure)))
  if (!is.character(measure) || length(measure) != 1L || is.na(measure) || !nzchar(measure)) {
    abort_fastnma("{.arg {arg}} must be a single string or NULL.", "measure", call = call)
  }
  known <- c(known_measures, "generic")
  hit <- match(tolower(measure), tolower(known))
  if (!is.na(hit)) return(known[hit])
  abort_fastnma(c(
    "{.arg {arg}} must be a known effect measure or a declared custom one.",
    "x" = "{.val {measure}} is not one of {.val {known}} (case does not matter).",
    did_you_mean(measure, known),
    "i" = "For a label of your own, declare it: {.code {arg} = custom_measure(\"{measure}\")} (analysed as a difference, not exponentiated)."
  ), "unknown_measure", call = call, measure = measure)
}

# The measure of a netmeta object (its `sm`): a known one in canonical case,
# or, since netmeta declared it, a custom label.
netmeta_measure <- function(sm) {
  if (!is.character(sm) || length(sm) != 1L || is.na(sm) || !nzchar(sm)) return("generic")
  known <- c(known_measures, "generic")
  hit <- match(tolower(sm), tolower(known))
  if (!is.na(hit)) known[hit] else custom_measure(sm)
}

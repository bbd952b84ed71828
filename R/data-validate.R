# Every input check and its classed error, in one place.
#
# Errors carry the class `fastnma_error` plus a specific class
# (`fastnma_error_<what>`), name the offending study and column, and say what
# must be true and what was found. The classes are listed in R/core-errors.R.

# Capture one column from `data`: a bare column name, a string naming a
# column, or an expression evaluated with the data as environment.
capture_column <- function(expr, data, env, arg, required = TRUE) {
  if (is.null(expr)) {
    if (required) {
      abort_fastnma("Argument {.arg {arg}} must name a column of {.arg data}.",
                    "column", call = env)
    }
    return(NULL)
  }
  name <- if (is.symbol(expr)) as.character(expr) else if (is.character(expr) && length(expr) == 1L) expr else NULL
  if (!is.null(name)) {
    if (!is.null(data[[name]])) return(data[[name]])
    # Columns are looked up in `data`. A bare name is taken from the calling
    # environment only when the user wrote it (not the argument's default,
    # which is its own name) and it names a vector there, never a function
    # such as base::mean.
    from_env <- !is.character(expr) && name != arg && exists(name, envir = env) &&
      is.atomic(get(name, envir = env)) && !is.null(get(name, envir = env))
    if (!from_env) {
      if (!required) return(NULL)
      abort_fastnma(c(
        "Column {.field {name}} (argument {.arg {arg}}) was not found in {.arg data}.",
        "i" = "Available columns: {.field {names(data)}}."
      ), "column", call = env)
    }
  }
  value <- abort_fastnma_on_error(eval(expr, data, env),
                                  "Could not evaluate argument {.arg {arg}}: {reason}",
                                  "column", call = env)
  if (!is.null(value) && length(value) != nrow(data)) {
    abort_fastnma(c(
      "Argument {.arg {arg}} must have one value per row of {.arg data}.",
      "x" = "It has {length(value)} value{?s}; {.arg data} has {nrow(data)} row{?s}."
    ), "column", call = env)
  }
  value
}

check_data_frame <- function(data, call = rlang::caller_env()) {
  if (!is.data.frame(data)) {
    abort_fastnma(c(
      "{.arg data} must be a data frame.",
      "x" = "It is {.obj_type_friendly {data}}."
    ), "data_frame", call = call)
  }
  if (nrow(data) == 0L) {
    abort_fastnma("{.arg data} has no rows.", "data_frame", call = call)
  }
}

# A grouped data frame (dplyr's grouped_df) is refused: a fit would pool its
# groups into one network. The hint shows the call with `by`.
check_not_grouped <- function(data, fun = "nma", call = rlang::caller_env()) {
  if (!inherits(data, "grouped_df")) return(invisible())
  groups <- setdiff(names(attr(data, "groups")), ".rows")
  by_hint <- if (length(groups) == 1L) {
    paste0("{.code ", fun, "(dplyr::ungroup(data), ..., by = ", groups, ")}")
  } else {
    paste0("one {.arg by} column combining the groups, e.g. {.code by = interaction(",
           paste(groups, collapse = ", "), ")}")
  }
  abort_fastnma(c(
    "{.arg data} is grouped (by {.field {groups}}): {.fn {fun}} would pool the groups into one network.",
    "i" = paste0("To fit one network per group use ", by_hint, "."),
    "i" = "To fit one network of all rows, {.code dplyr::ungroup(data)} first."
  ), "grouped", call = call, groups = groups)
}

check_choice <- function(x, choices, arg, call = rlang::caller_env()) {
  if (is.null(x)) return(choices[1L])
  if (is.character(x) && length(x) == 1L && !is.na(x)) {
    # Names of methods and measures are matched regardless of case
    # ("dl" is "DL", "Wald" is "wald"), as netmeta matches them.
    hit <- match(tolower(x), tolower(choices))
    if (!is.na(hit)) return(choices[hit])
  }
  shown <- if (is.character(x)) x else deparse(x)
  abort_fastnma(c(
    "{.arg {arg}} must be one of {.or {.val {choices}}}.",
    "x" = "It is {.val {shown}}.",
    did_you_mean(x, choices)
  ), "choice", call = call)
}

# The binary methods that estimate odds ratios only (`method` as messages
# name it): any other measure stops with an error of class
# `fastnma_error_measure`, with `hint` as the way out.
check_odds_ratio_only <- function(measure, method, hint, call = rlang::caller_env()) {
  if (measure != "OR") {
    abort_fastnma(c(
      paste0("The ", method, " estimates odds ratios only."),
      "x" = "{.arg measure} is {.val {measure}}.",
      "i" = hint
    ), "measure", call = call)
  }
  measure
}

# check_choice() of the argument `arg` of the calling function against the
# choices its default lists (`type = c("bar", "rankogram")`): the first of
# them when the argument is not given. The choices are written once, in the
# function's signature.
check_arg_choice <- function(arg) {
  name <- as.character(substitute(arg))
  env <- parent.frame()
  choices <- eval(formals(sys.function(sys.parent()))[[name]], env)
  given <- !eval(call("missing", as.name(name)), env)
  check_choice(if (given) arg else NULL, choices, name, call = env)
}

# The closest of `choices` to a misspelt `x`: equal but for case, or within
# a few edits (utils::adist, case ignored). NULL when nothing is close.
closest_choice <- function(x, choices) {
  if (!is.character(x) || length(x) != 1L || is.na(x) || !length(choices)) return(NULL)
  choices <- unique(as.character(choices))
  same_case <- choices[tolower(choices) == tolower(x)]
  if (length(same_case)) return(same_case[1L])
  d <- drop(utils::adist(tolower(x), tolower(choices)))
  # a near miss: at most 2 edits, and fewer than a third of the label
  ok <- d <= pmin(2, pmax(1, floor(nchar(x) / 3)))
  if (!any(ok)) return(NULL)
  choices[ok][which.min(d[ok])]
}

# A "did you mean" bullet for a message (nothing when no choice is close);
# choices equally close are all named (up to three).
did_you_mean <- function(x, choices) {
  best <- closest_choice(x, choices)
  if (is.null(best)) return(NULL)
  if (tolower(best) != tolower(x)) {
    choices <- unique(as.character(choices))
    d <- drop(utils::adist(tolower(x), tolower(choices)))
    best <- utils::head(choices[d == min(d)], 3L)
  }
  shown <- gsub("}", "}}", gsub("{", "{{", paste0("\"", best, "\""), fixed = TRUE), fixed = TRUE)
  c("i" = paste0("Did you mean ", paste(shown, collapse = " or "), "?",
                 if (tolower(best[1]) == tolower(x)) " (labels are case-sensitive)" else ""))
}

check_level <- function(level, call = rlang::caller_env()) {
  if (!is.numeric(level) || length(level) != 1L || !is.finite(level) ||
      level <= 0 || level >= 1) {
    abort_fastnma("{.arg level} must be a single number strictly between 0 and 1.",
                  "level", call = call)
  }
  level
}

# Studies of the rows where `bad` is TRUE, for `{.val}` in a message: every
# study, marked so that cli shows at most `max` of them (the first ones, an
# ellipsis and the last one, with one "and" before the last).
describe_rows <- function(study, bad, max = 5L) {
  cli::cli_vec(unique(as.character(study[bad])), style = list("vec-trunc" = max))
}

check_no_missing <- function(x, column, study, call = rlang::caller_env(),
                             hint = NULL) {
  bad <- is.na(x)
  abort_rows(bad, study, c(
    "Column {.field {column}} must not have missing values.",
    "x" = "Missing in {sum(bad)} row{?s}, {cli::qty(length(where))}stud{?y/ies} {.val {where}}.",
    "i" = hint
  ), "missing", column, call = call)
}

# Stop when the rows `bad` of a table (studies `study`) fail a check: the
# error names their studies (`where`, from describe_rows(), is at hand for
# the message, interpolated where abort_rows() is called) and `column`.
abort_rows <- function(bad, study, message, class, column, call = rlang::caller_env()) {
  bad <- bad %in% TRUE
  if (!any(bad)) return(invisible())
  env <- list2env(list(where = describe_rows(study, bad)), parent = parent.frame())
  abort_fastnma(message, class, call = call, .envir = env,
                study = unique(as.character(study[bad])), column = column)
}

# Checks on contrast-level input, vectorised; those that need the network
# (pairs, multi-arm consistency, connectivity) are made in the core.
check_contrasts <- function(study, treat1, treat2, estimate, std.error, cols,
                            call = rlang::caller_env()) {
  check_no_missing(study, cols$study, study, call)
  check_no_missing(treat1, cols$treat1, study, call)
  check_no_missing(treat2, cols$treat2, study, call)
  na_hint <- "Use {.code nma(..., na = \"drop\")} to leave these rows out (a warning lists them), as netmeta does."
  check_no_missing(estimate, cols$estimate, study, call, hint = na_hint)
  check_no_missing(std.error, cols$std.error, study, call, hint = na_hint)
  if (!is.numeric(estimate)) {
    abort_fastnma("Column {.field {cols$estimate}} must be numeric, not {.obj_type_friendly {estimate}}.",
                  "estimate", call = call, column = cols$estimate)
  }
  if (!is.numeric(std.error)) {
    abort_fastnma("Column {.field {cols$std.error}} must be numeric, not {.obj_type_friendly {std.error}}.",
                  "se", call = call, column = cols$std.error)
  }
  abort_rows(!is.finite(estimate), study, c(
    "Column {.field {cols$estimate}} must be finite.",
    "x" = "Infinite values in {cli::qty(length(where))}stud{?y/ies} {.val {where}}."
  ), "estimate", cols$estimate, call = call)
  bad <- !is.finite(std.error) | std.error <= 0
  abort_rows(bad, study, c(
    "Column {.field {cols$std.error}} must hold finite, positive standard errors.",
    "x" = "Found {.val {format(unique(std.error[bad]))}} in {cli::qty(length(where))}stud{?y/ies} {.val {where}}."
  ), "se", cols$std.error, call = call)
  abort_rows(as.character(treat1) == as.character(treat2), study, c(
    "A treatment cannot be compared with itself.",
    "x" = "{.field {cols$treat1}} equals {.field {cols$treat2}} in {cli::qty(length(where))}stud{?y/ies} {.val {where}}."
  ), "self_comparison", c(cols$treat1, cols$treat2), call = call)
  invisible(TRUE)
}

# "Did you mean" for several misspelt labels at once: one bullet naming the
# closest treatment for each label that has one (NULL when none has).
# The columns `need` must be columns of `data`: `header` says what must be
# true (interpolated where check_columns() is called, with `need` and the
# missing columns `miss` at hand), the missing columns follow, then `hint`.
check_columns <- function(data, need, header, class, hint = NULL,
                          call = rlang::caller_env()) {
  miss <- setdiff(need, names(data))
  if (length(miss)) {
    env <- list2env(list(miss = miss, need = need), parent = parent.frame())
    abort_fastnma(c(header, "x" = "Missing: {.field {miss}}.", "i" = hint), class,
                  call = call, .envir = env)
  }
  invisible(data)
}

did_you_mean_many <- function(bad, choices) {
  bad <- unique(as.character(bad))
  best <- vapply(bad, function(b) closest_choice(b, choices) %||% NA_character_, "")
  ok <- !is.na(best)
  if (!any(ok)) return(NULL)
  pairs <- paste0("\"", best[ok], "\" for \"", bad[ok], "\"")
  pairs <- gsub("}", "}}", gsub("{", "{{", pairs, fixed = TRUE), fixed = TRUE)
  c("i" = paste0("Did you mean ", paste(pairs, collapse = ", "), "? Treatment labels are case-sensitive."))
}

# Treatments named in a comparison label or pair that are not treatments of
# the network, with their closest match (for did_you_mean_many()).
unknown_treatments <- function(t1, t2, treatments) {
  x <- unique(c(as.character(t1), as.character(t2)))
  x[!is.na(x) & !x %in% treatments]
}

# The reference treatment: NULL (the first treatment) or one of them.
check_reference <- function(reference, treatments, call = rlang::caller_env(),
                            arg = "reference") {
  if (is.null(reference)) return(treatments[1L])
  if (!(is.character(reference) || is.factor(reference)) || length(reference) != 1L ||
      !(as.character(reference) %in% treatments)) {
    ref_shown <- if (length(reference)) as.character(reference)[1] else "NULL"
    best <- closest_choice(ref_shown, treatments)
    abort_fastnma(c(
      "{.arg {arg}} must be one of the treatments in the network.",
      "x" = "{.val {ref_shown}} is not among {.val {treatments}}.",
      did_you_mean(ref_shown, treatments)
    ), "reference", call = call, suggestion = best)
  }
  as.character(reference)
}

# Labels of studies and treatments: not empty, and no two labels that differ
# only by surrounding white space (a typo that would silently make two
# treatments, or two studies, of one). `study` names the rows for messages.
check_labels <- function(x, column, what, study, call = rlang::caller_env()) {
  x <- as.character(x)
  # each distinct label is trimmed once (a network has far fewer labels than rows)
  u <- unique(x)
  trimmed <- trimws(u)
  blank <- !nzchar(trimmed)
  if (any(blank)) {
    bad <- x %in% u[blank]
    where <- describe_rows(study, bad)
    abort_fastnma(c(
      "Column {.field {column}} must not hold empty {what} labels.",
      "x" = "Empty or blank labels in {cli::qty(length(where))}stud{?y/ies} {.val {where}}."
    ), "label", call = call, study = unique(as.character(study[bad])), column = column)
  }
  clash <- duplicated(trimmed) | duplicated(trimmed, fromLast = TRUE)
  if (any(clash)) {
    shown <- paste0("\"", u[clash], "\"")
    abort_fastnma(c(
      "Column {.field {column}} has {what} labels that differ only by surrounding white space.",
      "x" = "Found {.val {shown}}.",
      "i" = "Trim them (e.g. with {.fn trimws}) or make them distinct."
    ), "label", call = call, column = column)
  }
  invisible(x)
}

# Arm-level values that break a rule (`bad`): one classed error naming the
# column, the rule, the values found and the studies.
check_arm_values <- function(bad, values, must, column, study,
                             call = rlang::caller_env()) {
  bad <- bad %in% TRUE
  abort_rows(bad, study, c(
    "Column {.field {column}} must hold {must}.",
    "x" = "Found {.val {format(values[bad])}} in {cli::qty(length(where))}stud{?y/ies} {.val {where}}."
  ), "arm_data", column, call = call)
}

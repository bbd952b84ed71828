# Every input check and its classed error, in one place.
#
# Errors carry the class `fastnma_error` plus a specific class
# (`fastnma_error_<what>`), name the offending study and column, and say what
# must be true and what was found.

abort_fastnma <- function(message, class, ..., call = rlang::caller_env(),
                          .envir = parent.frame()) {
  cli::cli_abort(
    message,
    class = c(paste0("fastnma_error_", class), "fastnma_error"),
    ...,
    call = call,
    .envir = .envir
  )
}

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
    if (is.character(expr) || !exists(name, envir = env)) {
      if (!required) return(NULL)
      abort_fastnma(c(
        "Column {.field {name}} (argument {.arg {arg}}) was not found in {.arg data}.",
        "i" = "Available columns: {.field {names(data)}}."
      ), "column", call = env)
    }
  }
  value <- tryCatch(eval(expr, data, env), error = function(e) {
    abort_fastnma("Could not evaluate argument {.arg {arg}}: {conditionMessage(e)}",
                  "column", call = env)
  })
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
    ), "input", call = call)
  }
  if (nrow(data) == 0L) {
    abort_fastnma("{.arg data} has no rows.", "input", call = call)
  }
}

check_choice <- function(x, choices, arg, call = rlang::caller_env()) {
  if (is.null(x)) return(choices[1L])
  if (!is.character(x) || length(x) != 1L || is.na(x) || !(x %in% choices)) {
    shown <- if (is.character(x)) x else deparse(x)
    abort_fastnma(c(
      "{.arg {arg}} must be one of {.or {.val {choices}}}.",
      "x" = "It is {.val {shown}}."
    ), "method", call = call)
  }
  x
}

check_level <- function(level, call = rlang::caller_env()) {
  if (!is.numeric(level) || length(level) != 1L || !is.finite(level) ||
      level <= 0 || level >= 1) {
    abort_fastnma("{.arg level} must be a single number strictly between 0 and 1.",
                  "input", call = call)
  }
  level
}

# Rows where `bad` is TRUE, described by study (and the column name).
describe_rows <- function(study, bad, max = 5L) {
  s <- unique(as.character(study[bad]))
  if (length(s) > max) s <- c(s[seq_len(max)], paste0("and ", length(s) - max, " more"))
  s
}

check_no_missing <- function(x, column, study, call = rlang::caller_env()) {
  bad <- is.na(x)
  if (any(bad)) {
    where <- describe_rows(study, bad)
    abort_fastnma(c(
      "Column {.field {column}} must not have missing values.",
      "x" = "Missing in {sum(bad)} row{?s}, stud{?y/ies} {.val {where}}."
    ), "missing", call = call, study = unique(as.character(study[bad])),
    column = column)
  }
}

# Checks on contrast-level input, vectorised; those that need the network
# (pairs, multi-arm consistency, connectivity) are made in the core.
check_contrasts <- function(study, treat1, treat2, estimate, std.error, cols,
                            call = rlang::caller_env()) {
  check_no_missing(study, cols$study, study, call)
  check_no_missing(treat1, cols$treat1, study, call)
  check_no_missing(treat2, cols$treat2, study, call)
  check_no_missing(estimate, cols$estimate, study, call)
  check_no_missing(std.error, cols$std.error, study, call)
  if (!is.numeric(estimate)) {
    abort_fastnma("Column {.field {cols$estimate}} must be numeric, not {.obj_type_friendly {estimate}}.",
                  "input", call = call)
  }
  if (!is.numeric(std.error)) {
    abort_fastnma("Column {.field {cols$std.error}} must be numeric, not {.obj_type_friendly {std.error}}.",
                  "input", call = call)
  }
  bad <- !is.finite(estimate)
  if (any(bad)) {
    where <- describe_rows(study, bad)
    abort_fastnma(c(
      "Column {.field {cols$estimate}} must be finite.",
      "x" = "Infinite values in {cli::qty(length(where))}stud{?y/ies} {.val {where}}."
    ), "estimate", call = call, study = unique(as.character(study[bad])),
    column = cols$estimate)
  }
  bad <- !is.finite(std.error) | std.error <= 0
  if (any(bad)) {
    where <- describe_rows(study, bad)
    found <- unique(std.error[bad])
    abort_fastnma(c(
      "Column {.field {cols$std.error}} must hold finite, positive standard errors.",
      "x" = "Found {.val {format(found)}} in {cli::qty(length(where))}stud{?y/ies} {.val {where}}."
    ), "se", call = call, study = unique(as.character(study[bad])),
    column = cols$std.error)
  }
  bad <- as.character(treat1) == as.character(treat2)
  if (any(bad)) {
    where <- describe_rows(study, bad)
    abort_fastnma(c(
      "A treatment cannot be compared with itself.",
      "x" = "{.field {cols$treat1}} equals {.field {cols$treat2}} in {cli::qty(length(where))}stud{?y/ies} {.val {where}}."
    ), "self_comparison", call = call, study = unique(as.character(study[bad])),
    column = c(cols$treat1, cols$treat2))
  }
  invisible(TRUE)
}

# Translate a problem reported by the core into a classed error.
abort_core_status <- function(res, studies, treatments, cols, input,
                              call = rlang::caller_env()) {
  st <- if (!is.null(res$study) && res$study > 0) studies[res$study] else NA_character_
  switch(as.character(res$status),
    "2" = {
      rows <- c(res$row2, res$row)
      pair <- paste(input$treat1[rows[1]], "vs", input$treat2[rows[1]])
      abort_fastnma(c(
        "Each pair of treatments may appear once per study.",
        "x" = "Study {.val {st}} has the pair {.val {pair}} twice (rows {rows[1]} and {rows[2]} of {.arg data}, columns {.field {cols$treat1}}/{.field {cols$treat2}})."
      ), "duplicate_pair", call = call, study = st)
    },
    "3" = {
      miss <- paste(treatments[res$t_a], "vs", treatments[res$t_b])
      abort_fastnma(c(
        "A multi-arm study must give all of its pairwise contrasts.",
        "x" = "Study {.val {st}} has {res$value} arms, so {res$value * (res$value - 1) / 2} contrasts are needed; the contrast {.val {miss}} is missing.",
        "i" = "Give every pair (for example with {.fn arm_contrasts} from arm-level data)."
      ), "multiarm", call = call, study = st)
    },
    "4" = {
      bad <- paste(input$treat1[res$row], "vs", input$treat2[res$row])
      abort_fastnma(c(
        "The contrasts of a multi-arm study must be consistent (y_ab = y_ac - y_bc).",
        "x" = "In study {.val {st}} the contrast {.val {bad}} (row {res$row}, column {.field {cols$estimate}}) is off by {signif(res$value, 4)} from the other contrasts of the study."
      ), "multiarm", call = call, study = st)
    },
    "5" = {
      abort_fastnma(c(
        "The standard errors of a multi-arm study must be consistent with arm-level variances.",
        "x" = "In study {.val {st}} (column {.field {cols$std.error}}) they imply a negative variance ({signif(res$value, 4)}) for the arm {.val {treatments[res$t_a]}}."
      ), "multiarm", call = call, study = st)
    },
    "6" = abort_fastnma("Standard errors must be finite and positive (study {.val {st}}).",
                        "se", call = call, study = st),
    "1" = abort_fastnma("A treatment cannot be compared with itself (study {.val {st}}).",
                        "self_comparison", call = call, study = st),
    "7" = {
      comp <- split(treatments, res$components)
      parts <- vapply(comp, function(x) paste(x, collapse = ", "), character(1))
      parts <- gsub("}", "}}", gsub("{", "{{", parts, fixed = TRUE), fixed = TRUE)
      sizes <- lengths(comp)
      abort_fastnma(c(
        "The network must be connected.",
        "x" = "It has {length(comp)} separate parts:",
        stats::setNames(paste0("part ", seq_along(parts), " (", sizes, " treatments): ", parts),
                        rep("*", length(parts))),
        "i" = "Analyse one part at a time: subset {.arg data} to the studies of one part."
      ), "disconnected", call = call, components = comp)
    },
    abort_fastnma("The network could not be fitted (singular system).", "singular", call = call)
  )
}

# The reference treatment: NULL (the first treatment) or one of them.
check_reference <- function(reference, treatments, call = rlang::caller_env()) {
  if (is.null(reference)) return(treatments[1L])
  if (!(is.character(reference) || is.factor(reference)) || length(reference) != 1L ||
      !(as.character(reference) %in% treatments)) {
    ref_shown <- if (length(reference)) as.character(reference)[1] else "NULL"
    abort_fastnma(c(
      "{.arg reference} must be one of the treatments in the network.",
      "x" = "{.val {ref_shown}} is not among {.val {treatments}}."
    ), "reference", call = call)
  }
  as.character(reference)
}

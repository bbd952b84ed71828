# The error taxonomy: every class of error the package raises, in one table,
# and the one table that turns the status codes of the compiled core into
# classed errors.

# Every specific class, `fastnma_error_<name>`, with what it means. A class
# that is not listed here cannot be raised: abort_fastnma() refuses it.
error_classes <- c(
  # Data and columns
  data_frame = "`data` is not a data frame, or it has no rows.",
  column = "A column argument does not name (or evaluate to) a column of `data` with one value per row, or required columns are absent.",
  missing = "A column or summary that must be complete has missing values.",
  estimate = "The estimate column is not numeric or holds infinite values.",
  se = "The standard-error column is not numeric or holds values that are not finite and positive.",
  self_comparison = "A contrast compares a treatment with itself.",
  duplicate_pair = "A study gives the same pair of treatments twice.",
  label = "A study or treatment label is empty, or two labels differ only by surrounding white space.",
  multiarm = "The contrasts of a multi-arm study are incomplete or inconsistent with each other.",
  disconnected = "The network of treatments falls into separate parts.",
  treatments = "The network has too few treatments for the analysis, or two fits do not share their treatments.",
  reference = "The reference treatment (or class) is not in the network, or has no analysable data.",
  arm_data = "Arm-level events, sizes, means or standard deviations are impossible or of the wrong type.",
  duplicate_arm = "A study lists the same treatment (arm) twice.",
  singular = "The model could not be fitted: its linear system is singular.",
  numerical = "A fit overflowed double precision (Q, tau^2 or estimates not finite).",
  empty = "No treatment comparison can be estimated by the Mantel-Haenszel or the non-central hypergeometric method, or no study has information for the binomial-normal model.",
  not_estimable = "A treatment effect of the binomial-normal model (GLMM) is infinite: the treatment has no events (or only events) in every arm.",
  fit_data = "The contrasts stored in a fit no longer form the network that was fitted.",
  # Fits and what they support
  not_fit = "An argument that must be a network meta-analysis fit is something else.",
  by_outcome = "A collection of fits (one per outcome, step or subgroup, or fits side by side) was given where one fit is needed.",
  not_supported = "The function is not available for this kind of fit (a Mantel-Haenszel fit has no study-level model).",
  model = "The fit does not hold the requested model.",
  measure = "The fit's effect measure does not suit the analysis.",
  grouped = "A grouped data frame (dplyr's `group_by()`) was given to a fit, which would fit every group as one network; ungroup it, or fit one network per group with `by`.",
  unknown_measure = "A `measure` is not one of the known effect measures (in any case) and was not declared with `custom_measure()`.",
  conf_int = "`conf.int` is not TRUE or FALSE.",
  dots = "A print, format or summary method was given arguments it does not know.",
  glossary = "A column name asked of the glossary is not a column of any result.",
  metadata = "A contrast table lost (or contradicts) its measure, zero-cell audit or policy, or tables with different metadata were combined.",
  method = "The chosen method does not provide the requested result.",
  hk = "Hartung-Knapp intervals were requested for a network without degrees of freedom for Q.",
  netheat = "A net heat plot was requested for a network without loops of designs.",
  not_computed = "A result was requested that the object was created without.",
  result_contract = "A result object lacks the fields, columns or metadata of its class (it was built or altered outside its constructor).",
  # Arguments
  unknown_argument = "An argument was given that the function does not take.",
  netmeta_argument = "An argument was given under its netmeta name (e.g. `sm`, `studlab`, `reference.group`); the error names the fastnma argument to use (see `netmeta_arguments`).",
  netmeta_object = "A netmeta `pairwise` table or `netmeta` fit given to `nma()` lacks its columns, has no usable comparison, or holds a setting fastnma does not reproduce (see `netmeta_objects`).",
  export = "A table cannot be exported: the file type is not .xlsx, .docx or .csv, the package that writes it is not installed, or the object has no tidy() method.",
  missing_argument = "A required argument was not given.",
  choice = "An argument is not one of its allowed values.",
  tau2 = "A preset heterogeneity variance `tau2` is not a single finite non-negative number.",
  control = "`control` is not made by `nma_control()`, or a control value is invalid.",
  policy = "`zero_cells` is not made by `zero_cell_policy()`, or a policy value is invalid.",
  level = "A confidence level is not a single number strictly between 0 and 1.",
  flag = "An argument that must be `TRUE` or `FALSE` is not.",
  exponentiate = "`exponentiate` is not `TRUE`, `FALSE` or `NULL`, or asks for the ratio scale of a difference measure.",
  n_sim = "The number of simulations is not a positive whole number.",
  seed = "A random seed is not a single finite number.",
  risk = "A baseline or control risk is not a probability strictly between 0 and 1.",
  per = "The number of patients per which absolute effects are given is not a single positive number.",
  dose = "A dose is missing, negative or not numeric, an agent other than the reference is given only at dose zero, or a setting of the dose-response model (`param`, `knots`, `ed50`, `common_dose`, an agent or dose to predict at) is invalid.",
  dose_identifiable = "The dose-response model cannot estimate the effect of an agent: nothing links it to the reference (a disconnected network), or an Emax agent has one dose only and no fixed ED50.",
  truth = "A declared truth given to a figure is not a data frame of `treat1`, `treat2` and `value`, has values impossible on the measure's scale, or names no comparison the figure draws.",
  order = "A treatment order does not name distinct treatments of the network (or not all of them).",
  treatment_selection = "A selection of treatments names treatments that the result does not show.",
  comparison_selection = "A selection of comparisons names comparisons that the result does not hold.",
  node_size = "Node sizes by patients were requested for a fit without arm-level sample sizes.",
  min_contribution = "A minimum contribution is not a single number between 0 and 1.",
  second = "A second fit is needed (or is not usable) for the requested display.",
  league_shape = "A league table was asked for in square form without every ordered pair.",
  # Summary statistics (estimate_mean_sd())
  numeric = "An argument that must be numeric is not.",
  length = "Arguments have lengths that cannot be recycled together, or one is empty.",
  not_finite = "Summary statistics hold infinite values.",
  sample_size = "A sample size is not a whole number of at least 2.",
  summary_spread = "Summary statistics lack a spread (both quartiles or both extremes).",
  summary_order = "Summary statistics are out of order (min <= q1 <= median <= q3 <= max).",
  # The mesenchymal stem cell workflow
  file = "A file that was named does not exist.",
  msc_outcome = "An outcome is not in the extraction record, or does not suit the measure.",
  msc_data = "The extraction record has duplicated arms or no usable comparison.",
  effects = "Simulation effects are not a named numeric vector by class, or risk ratios are not positive.",
  dispersion = "A standard deviation or heterogeneity parameter of a simulation is not a single non-negative number.",
  # Confidence in the evidence (confidence())
  margin = "A range of equivalence is not a positive number or a range c(lower, upper) with lower <= 0 <= upper.",
  judgement = "A study-level or comparison-level judgement is missing, duplicated, not one of the allowed levels, or names a study that is not in the fit.",
  override = "An override of a confidence judgement is malformed: an unknown domain or judgement, no reason, or the same domain twice.",
  # Cumulative, subgroup and side-by-side analyses
  study_values = "A study-level order or subgroup variable does not give exactly one value per study of the fit (missing, differing within a study, or naming unknown studies).",
  subgroup = "A subgroup variable defines fewer than two subgroups.",
  bind = "Fits given to `nma_bind()` are not fits, share no effect measure, or have duplicated names.",
  # Collections (`by`)
  batch = "Networks of a collection fitted with `by` could not be fitted, or a verb given the collection failed on every network; the error lists each (its `by` value, error class, study and column) and holds the table of failures in `$errors`.",
  per_network = "An argument given with `per_network()` to a verb on a collection is not a list or vector with one element per network (in the collection's order or named by its `by` values).",
  # Component network meta-analysis
  component = "Treatment labels cannot be split into components, or an inactive component or interaction term does not name components of the treatments.",
  component_identifiable = "The component model is not identifiable: some component effects cannot be separated by the contrasts of the network.",
  # Network meta-regression
  rank = "A rank at stake in a threshold analysis is not a whole number from 1 to the number of treatments.",
  mcid = "A minimal clinically important difference is not one non-negative finite number.",
  initial_subset = "An initial subset of a forward search names unknown or duplicated studies, or does not connect every treatment.",
  covariate = "A meta-regression covariate is missing, not study-level, of the wrong type, or does not vary enough to identify the slopes."
)

#' Error classes raised by fastnma
#'
#' Every error that fastnma raises for bad input, or for a fit that cannot be
#' computed, is a condition of class `fastnma_error` with one more specific
#' class `fastnma_error_<name>` in front, so that code can catch exactly the
#' problem it can handle:
#'
#' ```
#' tryCatch(nma(data), fastnma_error_disconnected = function(e) e$components)
#' ```
#'
#' Errors name the offending argument or column and, where data are
#' involved, the study; many carry fields such as `study`, `column` or
#' `components`.
#'
#' Problems found by the compiled core (while building the network or fitting
#' it) are reported as status codes and mapped to the same classes.
#'
#' @section Classes:
#' `r error_classes_rd()`
#'
#' @name fastnma_errors
#' @aliases fastnma_error
NULL

# The class list of the help page.
error_classes_rd <- function() {
  paste0("\\describe{\n",
         paste0("  \\item{`fastnma_error_", names(error_classes), "`}{",
                error_classes, "}", collapse = "\n"),
         "\n}")
}

abort_fastnma <- function(message, class, ..., call = rlang::caller_env(),
                          .envir = parent.frame()) {
  if (!is.character(class) || length(class) != 1L || !(class %in% names(error_classes))) {
    cli::cli_abort("Unknown error class {.val {class}}: every class must be listed in {.code error_classes}.",
                   .internal = TRUE)
  }
  cli::cli_abort(
    message,
    class = c(paste0("fastnma_error_", class), "fastnma_error"),
    ...,
    call = call,
    .envir = .envir
  )
}

# abort_fastnma() when `offending` (the agents, studies or values at fault,
# which the message names) is not empty.
abort_fastnma_for <- function(offending, message, class, ..., call = rlang::caller_env(),
                              .envir = parent.frame()) {
  if (length(offending)) abort_fastnma(message, class, ..., call = call, .envir = .envir)
  invisible(NULL)
}

# The value of `expr`; when evaluating it fails, abort_fastnma() with
# `message`, in which `{reason}` stands for the failure's own message.
abort_fastnma_on_error <- function(expr, message, class, ..., call = rlang::caller_env(),
                                   .envir = parent.frame()) {
  force(call)
  force(.envir)
  tryCatch(expr, error = function(e) {
    env <- rlang::env(.envir, reason = conditionMessage(e))
    abort_fastnma(message, class, ..., call = call, .envir = env)
  })
}

# No unexpected arguments in `...`.
check_dots_empty <- function(..., what = NULL, call = rlang::caller_env()) {
  if (...length() > 0L) {
    nms <- ...names() %||% rep("", ...length())
    nms[is.na(nms)] <- ""
    shown <- ifelse(nzchar(nms), nms, paste0("..", seq_along(nms)))
    abort_fastnma(c(
      paste0("Unknown argument{?s} {.arg {shown}}", what, "."),
      "i" = if (any(!nzchar(nms))) "Unnamed arguments after the documented ones are not used."
    ), "unknown_argument", call = call)
  }
}

# The options a method of nma_binary() takes through `...`: only the names in
# `allowed`, every one named; any other stops with an error of class
# `fastnma_error_unknown_argument` naming `method` and what it `takes`.
check_method_dots <- function(dots, allowed, method, takes, call = rlang::caller_env()) {
  bad <- setdiff(names(dots) %||% rep("", length(dots)), allowed)
  if (length(bad) || (length(dots) && is.null(names(dots)))) {
    abort_fastnma(c(
      paste0("The ", method, " takes no argument{?s} {.arg {bad}}."),
      "i" = takes
    ), "unknown_argument", call = call)
  }
  invisible(dots)
}

# Status codes of the compiled core ------------------------------------------
#
# Every code of the `Status` enumeration of src/core/status.h, which the
# core reports in the field `status` of its result (test-core-errors.R checks this
# table against core_status_codes(), the enumeration as the core exports it).
# Each row gives the code's name in that enumeration (the number is read from
# the core, never written here), its class (from `error_classes`) and the
# message builder. A builder gets the core's result `res` and the context `ctx`
# (`studies`, `treatments`, `cols`, `input`, `source`: "nma", "mh" or "fit",
# and what the caller adds, e.g. `reference` or `model_columns`) and raises
# the error with `abort()`, which supplies the class and the call.
core_status <- function(name, class, build) {
  list(name = name, class = class, build = build)
}

# A status about one study of the input (`res$study`): `build` gets the
# study's label `st` and an abort() that attaches it to the error as the
# field `study`.
core_study_status <- function(code, class, build) {
  core_status(code, class, function(res, ctx, abort) {
    st <- status_study(res, ctx)
    build(res, ctx, st, function(message) abort(message, study = st, .envir = parent.frame()))
  })
}

# The pair of treatments of row `row` of the input, "a vs b".
input_pair <- function(ctx, row) {
  paste(ctx$input$treat1[row], "vs", ctx$input$treat2[row])
}

core_statuses <- list(
  core_study_status("self_comparison", "self_comparison", function(res, ctx, st, abort) {
    abort("A treatment cannot be compared with itself (study {.val {st}}).")
  }),
  core_study_status("duplicate_pair", "duplicate_pair", function(res, ctx, st, abort) {
    rows <- c(res$row2, res$row)
    pair <- input_pair(ctx, rows[1])
    abort(c(
      "Each pair of treatments may appear once per study.",
      "x" = "Study {.val {st}} has the pair {.val {pair}} twice (rows {rows[1]} and {rows[2]} of {.arg data}, columns {.field {ctx$cols$treat1}}/{.field {ctx$cols$treat2}})."
    ))
  }),
  core_study_status("incomplete_multiarm", "multiarm", function(res, ctx, st, abort) {
    miss <- paste(ctx$treatments[res$t_a], "vs", ctx$treatments[res$t_b])
    abort(c(
      "A multi-arm study must give all of its pairwise contrasts.",
      "x" = "Study {.val {st}} has {res$value} arms, so {res$value * (res$value - 1) / 2} contrasts are needed; the contrast {.val {miss}} is missing.",
      "i" = "Give every pair (for example with {.fn arm_contrasts} from arm-level data)."
    ))
  }),
  core_study_status("inconsistent_estimates", "multiarm", function(res, ctx, st, abort) {
    bad <- input_pair(ctx, res$row)
    abort(c(
      "The contrasts of a multi-arm study must be consistent (y_ab = y_ac - y_bc).",
      "x" = "In study {.val {st}} the contrast {.val {bad}} (row {res$row}, column {.field {ctx$cols$estimate}}) is off by {signif(res$value, 4)} from the other contrasts of the study."
    ))
  }),
  core_study_status("inconsistent_variances", "multiarm", function(res, ctx, st, abort) {
    abort(c(
      "The standard errors of a multi-arm study must be consistent with arm-level variances.",
      "x" = "In study {.val {st}} (column {.field {ctx$cols$std.error}}) they imply a negative variance ({signif(res$value, 4)}) for the arm {.val {ctx$treatments[res$t_a]}}."
    ))
  }),
  core_study_status("bad_se", "se", function(res, ctx, st, abort) {
    abort("Standard errors must be finite and positive (study {.val {st}}, column {.field {ctx$cols$std.error}}).")
  }),
  core_status("disconnected", "disconnected", function(res, ctx, abort) {
    present <- res$present %||% seq_along(ctx$treatments)
    comp <- split(ctx$treatments[present], res$components[present])
    parts <- vapply(comp, function(x) paste(x, collapse = ", "), character(1))
    parts <- gsub("}", "}}", gsub("{", "{{", parts, fixed = TRUE), fixed = TRUE)
    sizes <- lengths(comp)
    intro <- if (isTRUE(ctx$source %in% c("mh", "nch"))) {
      "After setting aside studies and arms without information (see the zero-cell audit) it has {length(comp)} separate parts:"
    } else {
      "It has {length(comp)} separate parts:"
    }
    abort(c(
      "The network must be connected.",
      "x" = intro,
      stats::setNames(paste0("part ", seq_along(parts), " (", sizes, " treatment",
                             ifelse(sizes == 1L, "", "s"), "): ", parts),
                      rep("*", length(parts))),
      "i" = "Analyse one part at a time: subset {.arg data} to the studies of one part."
    ), components = comp)
  }),
  core_status("singular", "singular", function(res, ctx, abort) {
    what <- switch(ctx$source %||% "nma",
                   mh = "The Mantel-Haenszel network",
                   nch = "The non-central hypergeometric network",
                   fit = "The network of {.arg fit}",
                   "The network")
    abort(paste(what, "could not be fitted (singular system)."))
  }),
  core_status("empty", "empty", function(res, ctx, abort) {
    method <- if (identical(ctx$source, "nch")) "non-central hypergeometric" else "Mantel-Haenszel"
    abort(c(
      paste0("No treatment comparison can be estimated by the ", method, " method."),
      "i" = "Studies and arms set aside are listed in the message above."
    ))
  }),
  core_study_status("rebuild", "fit_data", function(res, ctx, st, abort) {
    inner <- core_status_row(res$problem)
    why <- if (is.null(inner)) "a check" else paste0("the check of {.cls fastnma_error_", inner$class, "}")
    abort(c(
      "The network of {.arg fit} could not be rebuilt from {.code fit$network}.",
      "x" = paste0("The stored contrasts of study {.val {st}} fail ", why, "."),
      "i" = "Was {.code fit$network} changed after fitting? Fit the changed data again with {.fn nma}."
    ))
  }),
  core_status("not_finite", "numerical", function(res, ctx, abort) {
    abort(c(
      "The fit overflowed double precision.",
      "x" = "Q, tau^2 or the estimates are not finite: estimates and standard errors differ by too many orders of magnitude.",
      "i" = "Rescale the data (e.g. other units) so that estimate / standard error stays below about 1e150."
    ))
  }),
  core_status("bad_index", "fit_data", function(res, ctx, abort) {
    abort(c(
      "A study or treatment index given to the compiled core is out of range.",
      "i" = "The integer codes of a network are built by {.fn nma_network}; refit instead of editing them."
    ))
  }),
  core_status("no_reference", "reference", function(res, ctx, abort) {
    ref <- ctx$reference %||% NA_character_
    abort(c(
      "{.arg reference} must be one of the treatments in the network.",
      "x" = "{.val {ref}} is not among {.val {ctx$treatments}}."
    ))
  }),
  core_status("unidentified", "component_identifiable", function(res, ctx, abort) {
    bad <- ctx$model_columns[res$unidentified]
    abort(c(
      "The component model is not identifiable from these data.",
      "x" = "{cli::qty(length(bad))}The effect{?s} of {.val {bad}} cannot be separated from the others: no contrast of the network isolates {?it/them}.",
      "i" = "Declare an {.arg inactive} component, drop an interaction term, or add studies that compare {cli::qty(length(bad))}{?this component/these components}."
    ), components = bad)
  })
)

names(core_statuses) <- vapply(core_statuses, `[[`, "", "name")

core_status_row <- function(code) {
  if (is.null(code) || length(code) != 1L || is.na(code)) return(NULL)
  codes <- core_codes("status")
  name <- names(codes)[match(as.integer(code), codes)]
  if (is.na(name)) NULL else core_statuses[[name]]
}

# The codes of the core by name, read from src/core/status.h through the
# compiled code once per session: `set` "status" is the `Status` enumeration
# (errors, core_status_codes()), any other set one of its per-item
# enumerations (core_item_codes(): "twobytwo", "ratemean", "split",
# "mh_arm", "nch_study", "glmm_fit", "glmm_profile"). R never writes a
# non-zero code as a literal: core_code("glmm_fit", "not_finite").
core_codes_cache <- new.env(parent = emptyenv())

core_codes <- function(set = "status") {
  codes <- core_codes_cache[[set]]
  if (is.null(codes)) {
    list2env(c(list(status = core_status_codes()), core_item_codes()), core_codes_cache)
    codes <- core_codes_cache[[set]]
    if (is.null(codes)) {
      cli::cli_abort("The core has no codes {.val {set}}.", .internal = TRUE)
    }
  }
  codes
}

core_code <- function(set, name) {
  code <- core_codes(set)[name]
  if (anyNA(code)) {
    cli::cli_abort("The core has no code {.val {name}} in {.val {set}}.", .internal = TRUE)
  }
  unname(code)
}

status_study <- function(res, ctx) {
  if (!is.null(res$study) && length(res$study) == 1L && !is.na(res$study) &&
      res$study > 0 && res$study <= length(ctx$studies)) {
    as.character(ctx$studies[res$study])
  } else {
    NA_character_
  }
}

# Translate a status reported by the core into its classed error.
abort_core_status <- function(res, studies, treatments, cols, input,
                              call = rlang::caller_env(), source = "nma", ...) {
  row <- core_status_row(res$status)
  if (is.null(row)) {
    cli::cli_abort("The compiled core returned the unknown status {.val {res$status}}.",
                   .internal = TRUE)
  }
  ctx <- list(studies = studies, treatments = treatments, cols = cols,
              input = input, source = source, ...)
  abort <- function(message, ..., .envir = parent.frame()) {
    abort_fastnma(message, row$class, ..., call = call, .envir = .envir)
  }
  row$build(res, ctx, abort)
}

# The status of a routine of the core that takes a fit's network
# (src/diag-*.cpp, src/regression.cpp): 0 when the network was used (or
# rebuilt) and fitted. The diagnostic routines name the field `core_status`
# (their results have a per-comparison `status` of their own).
check_core_result <- function(r, fit, call = rlang::caller_env()) {
  field <- if (!is.null(r$core_status)) "core_status" else "status"
  status <- r[[field]]
  if (is.null(status)) return(r)
  if (status != 0L) {
    abort_core_status(list(status = status, study = r$study, problem = r$problem),
                      fit$studies, fit$treatments,
                      list(study = "study", treat1 = "treat1", treat2 = "treat2",
                           estimate = "estimate", std.error = "std.error"),
                      NULL, call = call, source = "fit")
  }
  r[[field]] <- NULL
  r
}

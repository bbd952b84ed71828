# What a fit supports, and the gates every verb passes before any compiled
# code is called.
#
# Every fit is built by new_nma(), which sets `capabilities`:
#   * `models`: the models the fit holds, the default first;
#   * `study_contrasts`: TRUE when the fitted model is the inverse-variance
#     model of the study-level contrasts in `fit$data` (so that verbs which
#     re-weight, split or drop study contrasts reproduce the fit);
#   * `label`: how prints name each model;
#   * `name`, `lacks` (fits without study-level contrasts): how messages
#     name the kind of fit and say what it lacks.
# A Mantel-Haenszel fit pools 2x2 tables within designs: it has the common
# effect model only, and its study-level contrasts are descriptive.

fit_capabilities <- function(method = c("IV", "MH", "GLMM", "NCH")) {
  method <- match.arg(method)
  switch(method,
    IV = list(
      method = "IV",
      models = c("random", "common"),
      study_contrasts = TRUE,
      label = c(random = "random effects", common = "common effects")
    ),
    MH = arm_level_capabilities(
      "MH", "Mantel-Haenszel",
      "pools the 2x2 tables of each design and has no study-level model",
      c(common = "common effect (Mantel-Haenszel)")
    ),
    GLMM = arm_level_capabilities(
      "GLMM", "binomial-normal (GLMM)",
      "models the arm-level binomial likelihood and has no study-level contrasts",
      c(random = "random effects (binomial-normal)", common = "common effect (logistic)")
    ),
    NCH = arm_level_capabilities(
      "NCH", "non-central hypergeometric",
      "conditions each study on its total number of events and has no study-level model",
      c(common = "common effect (non-central hypergeometric)")
    )
  )
}

# The capabilities of a fit of arm-level tables (no study-level contrasts):
# what it `lacks` for the verbs that split, re-weight, reduce or re-fit
# them, and its models, the names of `label`.
arm_level_capabilities <- function(method, name, lacks, label) {
  list(
    method = method,
    name = name,
    lacks = paste(lacks, "to split, re-weight, reduce or re-fit"),
    models = names(label),
    study_contrasts = FALSE,
    label = label
  )
}

capabilities_of <- function(fit) {
  fit$capabilities %||%
    fit_capabilities(if (isTRUE(fit$method %in% c("MH", "NCH"))) fit$method else "IV")
}

# The model a verb works on: the fit's default when `model` is NULL, else
# `model` checked against the models the fit holds.
fit_model <- function(fit, model = NULL, arg = "model", call = rlang::caller_env()) {
  cap <- capabilities_of(fit)
  if (is.null(model)) return(cap$models[1L])
  model <- check_choice(model, c("random", "common"), arg, call = call)
  if (!(model %in% cap$models)) {
    if (!is.null(cap$name)) {
      abort_fastnma(c(
        paste0("A ", cap$name, " network meta-analysis has no random-effects model."),
        "i" = "Use {.code model = \"common\"}, or fit {.code nma_binary(method = \"IV\")} for random effects."
      ), "model", call = call)
    }
    abort_fastnma(c(
      "This fit has no {model} model.",
      "i" = "It holds: {.val {cap$models}}."
    ), "model", call = call)
  }
  model
}

# How prints and figures name a model of a fit: "random effects",
# "common effects", "common effect (Mantel-Haenszel)".
fit_model_label <- function(fit, model) {
  cap <- capabilities_of(fit)
  unname(cap$label[[model]])
}

# Verbs that need the inverse-variance model of study-level contrasts: what
# they do (for the message) and, where it says more than "<what> needs a
# model fitted to study-level contrasts", why. Every such gate goes through
# check_supports().
study_contrast_verbs <- list(
  node_split = list(what = "node-splitting"),
  leave_one_out = list(what = "leave-one-out influence analysis"),
  inconsistency = list(what = "the decomposition of Q by design"),
  contributions = list(what = "the contribution matrix"),
  direct_estimates = list(what = "inverse-variance direct estimates"),
  netheat = list(what = "the net heat plot", shown = "autoplot(type = \"netheat\")"),
  confidence = list(
    what = "the CINeMA domains",
    why = "The CINeMA domains need the contribution matrix and node-splitting of a model fitted to study-level contrasts"),
  component_nma = list(
    what = "the component model",
    why = "The component model is fitted to study-level contrasts"),
  nma_regression = list(
    what = "meta-regression",
    why = "Meta-regression extends a model of study-level contrasts"),
  cumulative_nma = list(
    what = "cumulative network meta-analysis",
    why = "It re-fits subsets of the study-level contrasts"),
  subgroup_nma = list(
    what = "subgroup network meta-analysis",
    why = "It re-fits subsets of the study-level contrasts"),
  threshold = list(what = "threshold analysis"),
  outliers = list(what = "outlier and influence measures"),
  forward_search = list(what = "the forward search")
)

# The one capability gate: `verb` (a name of study_contrast_verbs) on `fit`
# stops with an error of class `fastnma_error_not_supported`, carrying the
# verb and the fit's method, when the fit has no model of study-level
# contrasts; before any compiled code is called.
check_supports <- function(fit, verb, call = rlang::caller_env()) {
  check_nma(fit, call = call)
  spec <- study_contrast_verbs[[verb]]
  if (is.null(spec)) {
    cli::cli_abort("Internal error: no capability entry for {.val {verb}}.", call = call)
  }
  cap <- capabilities_of(fit)
  if (!isTRUE(cap$study_contrasts)) {
    shown <- spec$shown %||% paste0(verb, "()")
    # what the fit is, from its capabilities ("Mantel-Haenszel")
    kind <- cap$name %||% cap$method
    why <- spec$why %||% paste(upper_first(spec$what), "needs a model fitted to study-level contrasts")
    abort_fastnma(c(
      paste0("{.code {shown}} is not available for a ", kind, " fit."),
      "x" = paste0(why, "; this ", kind, " fit ", cap$lacks, "."),
      "i" = "Fit the same data with {.code nma_binary(method = \"IV\")} (inverse variance, common and random effects) to use {.code {shown}}."
    ), "not_supported", call = call, verb = verb, fit_method = cap$method)
  }
  invisible(fit)
}

upper_first <- function(x) paste0(toupper(substr(x, 1L, 1L)), substring(x, 2L))

# What a fit supports, and the gates every verb passes before any compiled
# code is called.
#
# Every fit is built by new_nma(), which sets `capabilities`:
#   * `models`: the models the fit holds, the default first;
#   * `study_contrasts`: TRUE when the fitted model is the inverse-variance
#     model of the study-level contrasts in `fit$data` (so that verbs which
#     re-weight, split or drop study contrasts reproduce the fit);
#   * `label`: how prints name each model.
# A Mantel-Haenszel fit pools 2x2 tables within designs: it has the common
# effect model only, and its study-level contrasts are descriptive.

fit_capabilities <- function(method = c("IV", "MH")) {
  method <- match.arg(method)
  switch(method,
    IV = list(
      method = "IV",
      models = c("random", "common"),
      study_contrasts = TRUE,
      label = c(random = "random effects", common = "common effects")
    ),
    MH = list(
      method = "MH",
      models = "common",
      study_contrasts = FALSE,
      label = c(common = "common effect (Mantel-Haenszel)")
    )
  )
}

capabilities_of <- function(fit) {
  fit$capabilities %||% fit_capabilities(if (identical(fit$method, "MH")) "MH" else "IV")
}

# The model a verb works on: the fit's default when `model` is NULL, else
# `model` checked against the models the fit holds.
fit_model <- function(fit, model = NULL, arg = "model", call = rlang::caller_env()) {
  cap <- capabilities_of(fit)
  if (is.null(model)) return(cap$models[1L])
  model <- check_choice(model, c("random", "common"), arg, call = call)
  if (!(model %in% cap$models)) {
    if (identical(cap$method, "MH")) {
      abort_fastnma(c(
        "A Mantel-Haenszel network meta-analysis has no random-effects model.",
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

# Verbs that need the inverse-variance model of study-level contrasts, what
# they do (for the message) and what to use instead.
study_contrast_verbs <- c(
  node_split = "node-splitting",
  leave_one_out = "leave-one-out influence analysis",
  inconsistency = "the decomposition of Q by design",
  contributions = "the contribution matrix",
  direct_estimates = "inverse-variance direct estimates",
  netheat = "the net heat plot",
  threshold = "threshold analysis",
  outliers = "outlier and influence measures",
  forward_search = "the forward search"
)

check_supports <- function(fit, verb, call = rlang::caller_env()) {
  check_nma(fit, call = call)
  cap <- capabilities_of(fit)
  if (!isTRUE(cap$study_contrasts)) {
    what <- study_contrast_verbs[[verb]]
    shown <- if (verb == "netheat") "autoplot(type = \"netheat\")" else paste0(verb, "()")
    abort_fastnma(c(
      "{.code {shown}} is not available for a Mantel-Haenszel fit.",
      "x" = "{what} needs a model fitted to study-level contrasts; this Mantel-Haenszel fit pools the 2x2 tables of each design and has no study-level model to split, re-weight or reduce.",
      "i" = "Fit the same data with {.code nma_binary(method = \"IV\")} (inverse variance, common and random effects) to use {.code {shown}}."
    ), "not_supported", call = call, verb = verb, fit_method = cap$method)
  }
  invisible(fit)
}

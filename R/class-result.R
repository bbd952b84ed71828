# The contract of the list-shaped results: each class with the fields every
# method of it relies on, one constructor that builds the object and one
# validator that checks it. Table-shaped results have their own base class
# (R/class-table.R); fits are built by new_nma(), which checks its fields
# here too.

result_fields <- list(
  nma = c("measure", "method", "treatments", "reference", "studies", "data", "k",
          "m", "n", "n_designs", "design", "design_arms", "n_arms",
          "common", "random", "tau2", "tau2_method", "ci_method",
          "level", "Q", "df", "Q_within", "df_within", "Q_between",
          "df_between", "I2", "zero_cells"),
  nma_network = c("studies", "treatments", "data", "codes", "design", "design_arms",
                  "n_arms", "n_obs", "components", "measure", "zero_cells", "columns",
                  "tol_multiarm"),
  nma_inconsistency = c("Q", "designs", "tau2_within", "heat", "heat_random"),
  nma_influence = c("studies", "estimates", "impact", "Q", "df", "tau2", "tau2_method",
                    "comparisons", "reference", "level", "measure"),
  nma_contrib = c("weights", "study", "method", "model", "comparisons", "direct",
                  "n_pairs", "reference"),
  nma_component = c("measure", "treatments", "reference", "studies", "network",
                    "components", "combination", "common", "random", "tau2",
                    "tau2_method", "Q", "df", "level"),
  nma_regression = c("measure", "treatments", "reference", "studies", "covariate_name",
                     "assumption", "common", "random", "tau2", "tau2_method", "Q", "df",
                     "level"),
  nma_outliers = c("studies", "contrasts", "dfbetas", "tau2", "Q", "model", "tau2_method",
                   "reference", "measure"),
  nma_forward = c("entry", "steps", "estimates", "pscores", "initial", "reference",
                  "measure", "level", "tau2_method"),
  nma_dose = c("measure", "method", "reference", "agents", "treatments", "network",
               "common", "random", "tau2", "tau2_method", "Q", "df", "level"),
  nma_control = c("tol_multiarm", "tol_tau2", "hk_adhoc"),
  zero_cell_policy = c("method", "incr", "double_zero"),
  msc_analysis = c("outcome", "measure", "reference", "comparisons", "arms",
                   "zero_cells", "contrasts", "fit")
)

# A list-shaped result: `x` (a named list) with the class `class` (its
# first element names the contract in result_fields), checked by
# validate_fastnma_result().
new_fastnma_result <- function(x, class, call = rlang::caller_env()) {
  # (an internal check on every verb's result: plain if, cheaper than stopifnot())
  if (!is.list(x) || !is.character(class) || !(class[1L] %in% names(result_fields))) {
    stop("internal error: new_fastnma_result() needs a list and a known result class")
  }
  # (class<- rather than structure(): the same object, without structure()'s
  # argument handling on every verb's result)
  class(x) <- class
  validate_fastnma_result(x, call = call)
}

# The contract of a list-shaped result: a list of a known class with every
# field its methods rely on (a field may hold NULL, e.g. `heat = NULL`, but
# must be there).
validate_fastnma_result <- function(x, call = rlang::caller_env()) {
  # every result passes here: primitives only (match(), not intersect()/setdiff())
  i <- match(oldClass(x), names(result_fields))
  i <- i[!is.na(i)]
  if (!is.list(x) || !length(i)) {
    abort_fastnma(c("A result must be a list of a known result class.",
                    "x" = "It has class {.cls {class(x)}}."), "result_contract", call = call)
  }
  cls <- names(result_fields)[i[1L]]
  fields <- .subset2(result_fields, i[1L])
  miss <- fields[is.na(match(fields, names(x)))]
  if (length(miss)) {
    abort_fastnma(c("A {.cls {cls}} object must have the field{?s} {.field {miss}}.",
                    "x" = "It has {.field {names(x)}}."), "result_contract", call = call)
  }
  x
}

# The coefficients of one model of a fit, under one name across models:
# `theta` (named estimates) and `cov` (their covariance), as in the fits of
# nma(). Component and regression fits named them `beta` and `coef`; those
# names still read for one release, with a deprecation warning.
new_model_coefficients <- function(theta, cov) {
  x <- list(theta = theta, cov = cov)
  class(x) <- "fastnma_coefficients"
  x
}

renamed_fields <- c(beta = "theta", coef = "theta")

# coef() and vcov() of component and regression fits: the field `field`
# (`theta` or `cov`, see new_model_coefficients()) of the model chosen by
# `model`.
model_coefficients_method <- function(field) {
  force(field)
  function(object, model = c("random", "common"), ...) {
    netmeta_guard()
    model <- check_arg_choice(model)
    object[[model]][[field]]
  }
}
coef_of_model <- model_coefficients_method("theta")
vcov_of_model <- model_coefficients_method("cov")

#' @export
`$.fastnma_coefficients` <- function(x, name) {
  .subset2(x, current_field(x, name))
}

#' @export
`[[.fastnma_coefficients` <- function(x, i, ...) {
  .subset2(x, current_field(x, i), ...)
}

current_field <- function(x, name) {
  if (!is.character(name) || length(name) != 1L || name %in% names(x) ||
      !name %in% names(renamed_fields)) {
    return(name)
  }
  new <- renamed_fields[[name]]
  rlang::warn(
    c(sprintf("The coefficients of a model are `theta` in every fit; `$%s` will stop working in the next release.",
              name),
      "i" = sprintf("Use `fit$common$%s` (or `coef(fit)`).", new)),
    class = c("fastnma_warning_deprecated", "fastnma_warning"),
    .frequency = "once", .frequency_id = paste0("fastnma_renamed_field_", name))
  new
}

#' Network meta-regression on a study-level covariate
#'
#' `nma_regression()` extends the contrast-based model of a fit made by
#' [nma()] (or [nma_binary()] with `method = "IV"`) with
#' treatment-by-covariate interactions relative to the fit's reference
#' treatment: the effect of every treatment against the reference is allowed
#' to change linearly with a study-level covariate (dose, year, baseline
#' risk, a risk-of-bias indicator, ...). The common-effect and the
#' random-effects models are fitted by generalised least squares in the
#' compiled core, with \eqn{\tau^2} estimated by REML, ML, DerSimonian-Laird
#' (the generalised method of moments) or Paule-Mandel, using the same
#' estimators as [nma()].
#'
#' @section Model:
#' For a study with covariate value \eqn{x} and arms \eqn{a_0 < a_1 < \dots}
#' the basic contrasts follow
#' \deqn{d_j \sim N\{(\theta_{a_j} - \theta_{a_0}) + (x - c)(\beta_{a_j} -
#'   \beta_{a_0}),\; S + \tau^2 R\}, \quad R = (I + J)/2,}
#' with \eqn{\theta_{ref} = \beta_{ref} = 0} and \eqn{c} the centring value
#' (`center`). `assumption = "common"` sets one slope \eqn{\beta_t = b} for
#' every treatment other than the reference (Cooper et al. 2009, model
#' "exchangeable/common interaction"); `"independent"` gives every
#' treatment its own slope against the reference. The treatment effects
#' \eqn{\theta_t} are the effects at \eqn{x = c}. This is the model that
#' `metafor::rma.mv(yi, V, mods = cbind(X, interactions), random = ~ contrast
#' | study, struct = "CS", rho = 0.5)` fits (the canonical model of [nma()]
#' with the interactions as moderators) and that netmeta's `netmetareg()`
#' fits (consistency model). With `center = FALSE` (the default) the
#' covariate enters as given, as in `netmetareg()` and metafor, so the
#' coefficients are directly comparable; with `center = TRUE` it is centred
#' at its mean over studies, and a number centres it at that value.
#'
#' @section Agreement with netmeta and metafor:
#' Estimates, standard errors, \eqn{\tau^2} (REML and ML) and the residual Q
#' agree with `metafor::rma.mv()` fitting the model above. For arm-level data
#' they agree with `netmetareg()`. For multi-arm studies supplied as
#' contrasts only, `netmetareg()`, like `netmeta()` (see [nma()]), fits a
#' within-study covariance derived from netmeta's reduced weights rather than
#' from the back-solved arm variances of the exact likelihood, and its REML
#' estimates can differ slightly; fastnma fits the exact likelihood, as it
#' does in [nma()]. netmeta has no method-of-moments estimator for the
#' regression; `tau2_method = "DL"` is the generalised DerSimonian-Laird
#' estimator of Jackson, White and Riley (2012) for the regression design.
#'
#' @section Covariate:
#' `covariate` is one of
#' * a bare column name or a string naming a column of `data`; `data`
#'   defaults to the data the fit was made from (found, as [update()] finds
#'   it, by evaluating the `data` argument of the fit's call in the calling
#'   environment). `data` may have one row per contrast, per arm or per
#'   study; it must hold the study column of the fit (or a column `study`),
#'   and the covariate must take one value per study;
#' * a numeric vector named by study (every study of the fit must be named;
#'   extra names are not used);
#' * an unnamed vector with one value per contrast of the fit (`fit$data`).
#'
#' Logical covariates count `TRUE` as 1. A factor or character covariate
#' with two values is coded 1 for its second level (factor levels, or sorted
#' values) and 0 for the first; more values are an error. Missing values, a
#' value that differs within a study and a covariate that does not vary
#' enough to identify every slope are errors of class
#' `fastnma_error_covariate` naming the studies (or treatments) concerned.
#'
#' @param fit A fit made by [nma()] or by [nma_binary()] with
#'   `method = "IV"`. A Mantel-Haenszel fit has no study-level model to
#'   extend (error of class `fastnma_error_not_supported`).
#' @param covariate The study-level covariate (see the section Covariate).
#' @param assumption `"common"` (default): one slope for all treatments
#'   against the reference; `"independent"`: a slope per treatment.
#' @param data A data frame in which to look up `covariate`, or `NULL`
#'   (default: the data of the fit's call).
#' @param center `FALSE` (default, no centring), `TRUE` (centre at the mean
#'   over studies) or a number to subtract from the covariate.
#' @param tau2_method Estimator of \eqn{\tau^2}: `"REML"`, `"ML"`, `"DL"` or
#'   `"PM"`. `NULL` (default) uses the fit's estimator (`"REML"` for a fit
#'   with a preset \eqn{\tau^2}).
#' @param tau2 `NULL` (default) or a preset \eqn{\tau^2} for the
#'   random-effects model, as in [nma()].
#' @param level Confidence level; defaults to the fit's.
#' @param ... Must be empty.
#'
#' @return An object of class `nma_regression`: the coefficients (treatment
#'   effects at the centring value, then the slope or slopes) and their
#'   covariance for the common-effect (`$common`) and random-effects
#'   (`$random`) models (each with the coefficients `theta` and their
#'   covariance `cov`, as in every fit; `coef` still reads for one release), \eqn{\tau^2}, the residual Q and its degrees of
#'   freedom, the log-likelihoods, the covariate by study (`$covariate`) and
#'   the fit it extends (`$fit`). Read it with [tidy()][tidy.nma_regression],
#'   [glance()][glance.nma_regression], [predict()][predict.nma_regression],
#'   `coef()`, `vcov()` and [autoplot()][autoplot.nma_regression].
#'
#' @references
#' Cooper NJ, Sutton AJ, Morris D, Ades AE, Welton NJ (2009). Addressing
#' between-study heterogeneity and inconsistency in mixed treatment
#' comparisons: application to stroke prevention treatments in individuals
#' with non-rheumatic atrial fibrillation. *Statistics in Medicine*
#' 28(14):1861-1881. \doi{10.1002/sim.3594}
#'
#' Dias S, Sutton AJ, Welton NJ, Ades AE (2013). Evidence synthesis for
#' decision making 3: heterogeneity--subgroups, meta-regression, bias, and
#' bias-adjustment. *Medical Decision Making* 33(5):618-640.
#' \doi{10.1177/0272989X13485157}
#'
#' Jackson D, White IR, Riley RD (2012). Quantifying the impact of
#' between-study heterogeneity in multivariate meta-analyses. *Statistics in
#' Medicine* 31(29):3805-3820. \doi{10.1002/sim.5453}
#'
#' Viechtbauer W (2010). Conducting meta-analyses in R with the metafor
#' package. *Journal of Statistical Software* 36(3):1-48.
#' \doi{10.18637/jss.v036.i03}
#'
#' @examples
#' fit <- nma_binary(smokingcessation, measure = "OR", method = "IV",
#'                   reference = "A")
#' # a study-level covariate named by study (fictitious, for illustration)
#' rob <- stats::setNames(rep(1:2, length.out = fit$k), fit$studies)
#' reg <- nma_regression(fit, rob)
#' reg
#' tidy(reg)
#' glance(reg)
#' predict(reg, at = c(1, 2))
#' @export
nma_regression <- function(fit, covariate, assumption = c("common", "independent"),
                           data = NULL, center = FALSE, tau2_method = NULL,
                           tau2 = NULL, level = NULL, ...) {
  netmeta_guard()
  env <- parent.frame()
  check_dots_empty(...)
  check_supports(fit, "nma_regression")
  if (missing(covariate)) {
    abort_fastnma("Argument {.arg covariate} is missing: give a column of the fit's data or a vector named by study.",
                  "missing_argument")
  }
  assumption <- check_arg_choice(assumption)
  if (is.null(tau2_method)) {
    tau2_method <- if (fit$tau2_method %in% c("REML", "ML", "DL", "PM")) fit$tau2_method else "REML"
  }
  tau2_method <- check_choice(tau2_method, c("REML", "ML", "DL", "PM"), "tau2_method")
  check_tau2_preset(tau2)
  level <- level %||% fit$level
  check_level(level)

  cv <- regression_covariate(substitute(covariate), fit, data, env)
  x <- cv$x
  centre <- regression_center(center, x)
  net <- fit$network
  ref <- match(fit$reference, fit$treatments)
  res <- nma_regression_cpp(net, unname(x) - centre, list(
    ref = ref, common = assumption == "common", method = tau2_method,
    tol_tau2 = fit$control$tol_tau2 %||% 1e-10,
    tau2_preset = if (is.null(tau2)) -1 else as.double(tau2)))
  res <- check_core_result(res, fit)
  if (!isTRUE(res$estimable)) abort_not_estimable(fit, x, cv$name, assumption, res)
  announce_tau2(res, tau2_method, c(
    "i" = "tau^2 is set to 0: with {res$n_obs} independent contrast{?s} for {res$n_coef} coefficient{?s} the residual Q has no degrees of freedom."
  ))
  others <- setdiff(fit$treatments, fit$reference)
  slope_names <- if (assumption == "common") "slope" else paste0("slope:", others)
  nm <- c(others, slope_names)
  named <- function(b, V) {
    names(b) <- nm
    dimnames(V) <- list(nm, nm)
    new_model_coefficients(b, V)
  }
  new_fastnma_result(list(
    call = match.call(),
    fit = fit,
    covariate = x,
    covariate_name = cv$name,
    covariate_levels = cv$levels,
    center = centre,
    assumption = assumption,
    measure = fit$measure,
    treatments = fit$treatments,
    reference = fit$reference,
    studies = fit$studies,
    k = fit$k, m = fit$m, n = fit$n, n_obs = res$n_obs, n_coef = res$n_coef,
    common = named(res$coef_common, res$cov_common),
    random = named(res$coef_random, res$cov_random),
    tau2 = res$tau2,
    tau2_method = if (is.null(tau2)) tau2_method else "preset",
    tau2_info = list(iterations = res$tau2_iterations, converged = res$tau2_converged,
                     boundary = res$tau2_boundary, identifiable = res$tau2_identifiable),
    Q = res$Q, df = res$df, Q_random = res$Q_random,
    loglik = list(common = c(ML = res$loglik_ml_common, REML = res$loglik_reml_common),
                  random = c(ML = res$loglik_ml, REML = res$loglik_reml)),
    level = level
  ), "nma_regression")
}

# The covariate as one number per study of the fit (named by study), with
# the label used in output.
regression_covariate <- function(expr, fit, data, env, call = rlang::caller_env()) {
  label <- if (is.character(expr) && length(expr) == 1L) expr else
    paste(deparse(expr), collapse = "")
  is_name <- is.symbol(expr) || (is.character(expr) && length(expr) == 1L)
  name <- if (is_name) as.character(expr) else NULL
  if (!is.null(data)) {
    check_data_frame(data, call = call)
    return(covariate_from_table(expr, label, data, fit, env, call))
  }
  if (!is.null(name)) {
    d0 <- fit_call_data(fit, env)
    if (!is.null(d0) && !is.null(d0[[name]])) {
      return(covariate_from_table(expr, label, d0, fit, env, call))
    }
  }
  value <- abort_fastnma_on_error(eval(expr, env), c(
    "Could not find the covariate {.code {label}}.",
    "x" = "{reason}",
    "i" = "Give a column of {.arg data} (or of the data the fit was made from) or a vector named by study."
  ), "covariate", call = call)
  if (is.data.frame(value) || !is.atomic(value) || is.null(value)) {
    abort_fastnma(c(
      "{.arg covariate} must be a column name or a vector named by study.",
      "x" = "{.code {label}} is {.obj_type_friendly {value}}."
    ), "covariate", call = call)
  }
  coded <- code_covariate(value, label, call)
  if (!is.null(names(value))) {
    miss <- setdiff(fit$studies, names(value))
    if (length(miss)) {
      abort_fastnma(c(
        "{.arg covariate} must name every study of the fit.",
        "x" = "{length(miss)} stud{?y is/ies are} not named: {.val {utils::head(miss, 5)}}{if (length(miss) > 5) ', ...' else ''}."
      ), "covariate", call = call, study = miss)
    }
    x <- coded$x[match(fit$studies, names(value))]
    names(x) <- fit$studies
    check_covariate_values(x, fit$studies, label, call)
    return(list(x = x, name = label, levels = coded$levels))
  }
  if (length(value) == fit$m) {
    x <- by_study(coded$x, fit$data$study, fit$studies, label, call)
    return(list(x = x, name = label, levels = coded$levels))
  }
  abort_fastnma(c(
    "{.arg covariate} must be named by study or have one value per contrast of the fit.",
    "x" = "{.code {label}} is unnamed with {length(value)} value{?s}; the fit has {fit$k} studies and {fit$m} contrasts."
  ), "covariate", call = call)
}

# The data a fit was made from, as update() would find it; NULL if that
# cannot be done.
fit_call_data <- function(fit, env) {
  cl <- fit$call
  if (is.null(cl) || is.null(cl$data)) return(NULL)
  d <- tryCatch(eval(cl$data, env), error = function(e) NULL)
  if (!is.data.frame(d)) return(NULL)
  # A table found under the same name must still be the fit's contrasts.
  est <- fit$network$columns$estimate %||% "estimate"
  if (nrow(d) == fit$m && is.numeric(d[[est]]) &&
      !isTRUE(all.equal(as.numeric(d[[est]]), fit$data$estimate))) {
    return(NULL)
  }
  d
}

covariate_from_table <- function(expr, label, data, fit, env, call) {
  scol <- fit$network$columns$study %||% "study"
  if (is.null(data[[scol]])) scol <- "study"
  if (is.null(data[[scol]])) {
    abort_fastnma(c(
      "The table that holds the covariate must have the study column of the fit.",
      "x" = "{.arg data} has no column {.field {fit$network$columns$study %||% 'study'}} or {.field study}.",
      "i" = "Or give the covariate as a vector named by study."
    ), "column", call = call)
  }
  value <- capture_column(expr, data, env, "covariate")
  coded <- code_covariate(value, label, call)
  study <- as.character(data[[scol]])
  miss <- setdiff(fit$studies, study)
  if (length(miss)) {
    abort_fastnma(c(
      "The table that holds the covariate must have every study of the fit.",
      "x" = "Missing in column {.field {scol}}: {.val {utils::head(miss, 5)}}."
    ), "covariate", call = call, study = miss)
  }
  keep <- study %in% fit$studies
  x <- by_study(coded$x[keep], study[keep], fit$studies, label, call)
  list(x = x, name = label, levels = coded$levels)
}

# Numeric coding of a covariate: numbers and logicals as they are, two
# values of a factor or character vector as 0/1.
code_covariate <- function(value, label, call) {
  if (is.logical(value) || is.numeric(value)) {
    return(list(x = as.double(value), levels = NULL))
  }
  if (is.factor(value) || is.character(value)) {
    lev <- if (is.factor(value)) levels(droplevels(value)) else sort(unique(value[!is.na(value)]))
    if (length(lev) != 2L) {
      abort_fastnma(c(
        "A factor or character covariate must have exactly two values.",
        "x" = "{.code {label}} has {length(lev)}: {.val {utils::head(lev, 6)}}.",
        "i" = "Code it as a number, or as one indicator per level in separate analyses."
      ), "covariate", call = call)
    }
    x <- as.double(match(as.character(value), lev) - 1L)
    return(list(x = x, levels = lev))
  }
  abort_fastnma(c(
    "The covariate must be numeric, logical, or a factor with two levels.",
    "x" = "{.code {label}} is {.obj_type_friendly {value}}."
  ), "covariate", call = call)
}

# One value per study from per-row values: each study's rows must agree.
by_study <- function(v, study, studies, label, call) {
  missing_rows <- is.na(v)
  if (any(missing_rows)) {
    st <- unique(study[missing_rows])
    abort_fastnma(c(
      "The covariate must not have missing values.",
      "x" = "{.code {label}} is missing for stud{?y/ies} {.val {utils::head(st, 5)}}."
    ), "covariate", call = call, study = st)
  }
  lo <- tapply(v, study, min)
  hi <- tapply(v, study, max)
  varies <- names(lo)[abs(hi - lo) > 1e-10 * pmax(1, abs(hi))]
  abort_fastnma_for(varies, c(
    "The covariate must be study-level: one value per study.",
    "x" = "{.code {label}} differs between the rows of stud{?y/ies} {.val {utils::head(varies, 5)}}.",
    "i" = "Summarise it per study (e.g. the mean dose of the study's cell arms) first."
  ), "covariate", call = call, study = varies)
  x <- as.double(lo[studies])
  names(x) <- studies
  x
}

check_covariate_values <- function(x, studies, label, call) {
  bad <- !is.finite(x)
  if (any(bad)) {
    st <- studies[bad]
    abort_fastnma(c(
      "The covariate must be finite for every study.",
      "x" = "{.code {label}} is missing or infinite for stud{?y/ies} {.val {utils::head(st, 5)}}."
    ), "covariate", call = call, study = st)
  }
}

regression_center <- function(center, x, call = rlang::caller_env()) {
  check_covariate_values(x, names(x), "covariate", call)
  if (isFALSE(center)) return(0)
  if (isTRUE(center)) return(mean(x))
  if (is.numeric(center) && length(center) == 1L && is.finite(center)) return(as.double(center))
  abort_fastnma("{.arg center} must be TRUE, FALSE or a single finite number.", "covariate",
                call = call)
}

abort_not_estimable <- function(fit, x, label, assumption, res,
                                call = rlang::caller_env()) {
  if (length(unique(x)) < 2L) {
    abort_fastnma(c(
      "The covariate must vary between studies to estimate a slope.",
      "x" = "{.code {label}} is {signif(x[1], 4)} in every study."
    ), "covariate", call = call)
  }
  # Treatments whose studies all share one covariate value.
  d <- fit$data
  flat <- character()
  if (assumption == "independent") {
    for (t in setdiff(fit$treatments, fit$reference)) {
      st <- unique(d$study[d$treat1 == t | d$treat2 == t])
      if (length(unique(x[st])) < 2L) flat <- c(flat, t)
    }
  }
  abort_fastnma(c(
    "The covariate does not identify every coefficient of the {assumption}-slope model.",
    "x" = "The design has rank {res$rank} for {res$n_coef} coefficients ({res$n_obs} independent contrasts).",
    "i" = if (length(flat)) "The studies of {.val {flat}} all have the same value of {.code {label}}, so their slope{?s} cannot be estimated.",
    "i" = if (assumption == "independent") "Try {.code assumption = \"common\"}."
  ), "covariate", call = call, treatments = flat)
}

# Coefficient rows of one model: effects at the centring value, then slopes.
regression_rows <- function(x, model, level) {
  f <- x[[model]]
  b <- f$theta
  se <- sqrt(pmax(diag(f$cov), 0))
  q <- stats::qnorm(1 - (1 - level) / 2)
  others <- setdiff(x$treatments, x$reference)
  n1 <- length(others)
  common <- x$assumption == "common"
  treat1 <- c(others, if (common) NA_character_ else others)
  treat2 <- rep(x$reference, length(b))
  term <- c(comparison_label(others, x$reference),
            if (common) "slope: common" else paste("slope:", comparison_label(others, x$reference)))
  data.frame(term = term, parameter = rep(c("effect", "slope"), c(n1, length(b) - n1)),
             treat1 = treat1, treat2 = treat2, estimate = unname(b), std.error = unname(se),
             conf.low = unname(b - q * se), conf.high = unname(b + q * se),
             statistic = unname(b / se), p.value = unname(2 * stats::pnorm(-abs(b / se))),
             stringsAsFactors = FALSE)
}

# Wald test that every slope is 0.
slope_test <- function(x, model) {
  f <- x[[model]]
  i <- grep("^slope", names(f$theta))
  b <- f$theta[i]
  V <- f$cov[i, i, drop = FALSE]
  stat <- drop(crossprod(b, solve(V, b)))
  c(Q = stat, df = length(i), p = stats::pchisq(stat, length(i), lower.tail = FALSE))
}

#' Tidy, glance, predict and read a network meta-regression
#'
#' `tidy()` gives one row per coefficient: the effect of every treatment
#' against the reference at the centring value of the covariate
#' (`parameter = "effect"`) and the slope or slopes (`parameter = "slope"`;
#' the change of the effect against the reference per unit of the
#' covariate). `glance()` gives one row of fit statistics: the common slope
#' and its standard error (`NA` for treatment-specific slopes), the Wald test
#' that every slope is zero (`Q_slopes`, `df_slopes`, `p_value_slopes`),
#' \eqn{\tau^2} and \eqn{\tau}, the residual Q at \eqn{\tau^2 = 0} with its
#' degrees of freedom and p-value, and the log-likelihood (restricted for
#' REML, DL and PM, maximum for ML and the common-effect model).
#' `predict()` gives the effects at chosen covariate values.
#'
#' @param x,object An object of class `nma_regression`.
#' @param model `"random"` (default) or `"common"`.
#' @param conf.int Include confidence limits.
#' @param conf.level Confidence level (default: the level of the fit).
#' @param exponentiate Exponentiate estimates and limits (ratio measures;
#'   for slopes the ratio per unit of the covariate). `tidy()` and
#'   `predict()` default to `FALSE`, as broom does.
#' @param at Covariate values at which to estimate the effects; default:
#'   the centring value and the range of the covariate.
#' @param newdata Alternatively a data frame with a column named like the
#'   covariate (or `at`).
#' @param comparisons `"reference"` (every treatment against the
#'   reference) or `"all"` (every pair, in the canonical orientation).
#' @param level Confidence level of `predict()`.
#' @param ... Unused; must be empty.
#' @return A tibble (`tidy()`, `glance()`, `predict()`), a named vector
#'   (`coef()`) or a matrix (`vcov()`).
#' @examples
#' fit <- nma_binary(smokingcessation, measure = "OR", method = "IV",
#'                   reference = "A")
#' rob <- stats::setNames(rep(1:2, length.out = fit$k), fit$studies)
#' reg <- nma_regression(fit, rob, assumption = "independent")
#' tidy(reg)
#' glance(reg, model = "common")
#' predict(reg, at = 1.5, comparisons = "all", exponentiate = TRUE)
#' @name nma_regression-tidiers
NULL

#' @rdname nma_regression-tidiers
#' @method tidy nma_regression
#' @export
tidy.nma_regression <- function(x, model = c("random", "common"), conf.int = TRUE,
                                conf.level = x$level, exponentiate = FALSE, ...) {
  netmeta_guard()
  check_dots_empty(...)
  a <- tidy_arguments(if (missing(model)) NULL else model, conf.level, conf.int,
                      exponentiate, x$measure)
  out <- regression_rows(x, a$model, conf.level)
  model <- a$model
  if (a$exponentiate) out <- exponentiate_columns(out)
  as_tidy(out, conf.int = conf.int, model = model)
}

#' @rdname nma_regression-tidiers
#' @method glance nma_regression
#' @export
glance.nma_regression <- function(x, model = c("random", "common"), ...) {
  netmeta_guard()
  check_dots_empty(...)
  model <- check_arg_choice(model)
  f <- x[[model]]
  common <- x$assumption == "common"
  st <- slope_test(x, model)
  tau2 <- if (model == "common") 0 else x$tau2
  ll <- if (model == "random" && x$tau2_method != "ML") x$loglik[[model]][["REML"]] else
    x$loglik[[model]][["ML"]]
  as_glance(data.frame(
    model = model, assumption = x$assumption, covariate = x$covariate_name,
    center = x$center,
    slope = if (common) unname(f$theta[["slope"]]) else NA_real_,
    slope_se = if (common) sqrt(f$cov["slope", "slope"]) else NA_real_,
    Q_slopes = st[["Q"]], df_slopes = as.integer(st[["df"]]), p_value_slopes = st[["p"]],
    tau2 = tau2, tau = sqrt(tau2), tau2_method = if (model == "common") "none" else x$tau2_method,
    Q = x$Q, df = x$df, p.value = q_pvalue(x$Q, x$df),
    k = x$k, m = x$m, n_treatments = x$n, logLik = ll, nobs = x$m,
    stringsAsFactors = FALSE
  ))
}

#' @rdname nma_regression-tidiers
#' @importFrom stats predict
#' @export
predict.nma_regression <- function(object, newdata = NULL, at = NULL,
                                   model = c("random", "common"),
                                   comparisons = c("reference", "all"),
                                   level = object$level, exponentiate = FALSE, ...) {
  netmeta_guard()
  check_dots_empty(...)
  model <- check_arg_choice(model)
  comparisons <- check_arg_choice(comparisons)
  check_level(level)
  exponentiate <- resolve_exponentiate(exponentiate, object$measure)
  if (!is.null(newdata)) {
    check_data_frame(newdata)
    col <- intersect(c(object$covariate_name, "at"), names(newdata))
    if (!length(col)) {
      abort_fastnma(c(
        "{.arg newdata} must have a column {.field {object$covariate_name}} (or {.field at}).",
        "x" = "Its columns are {.field {names(newdata)}}."
      ), "column")
    }
    at <- newdata[[col[1]]]
  }
  if (is.null(at)) at <- sort(unique(c(min(object$covariate), object$center, max(object$covariate))))
  if (!is.numeric(at) || !length(at) || any(!is.finite(at))) {
    abort_fastnma("{.arg at} must be finite numbers (covariate values).", "covariate")
  }
  out <- regression_predict(object, model, at, comparisons, level)
  if (exponentiate) out <- exponentiate_columns(out)
  as_tidy(out, model = model)
}

# Effects of the canonical comparisons at covariate values `at`, with
# confidence (and, for the random model, prediction) intervals.
regression_predict <- function(x, model, at, comparisons = "reference",
                               level = x$level) {
  f <- x[[model]]
  ij <- canonical_pairs(x, comparisons)
  trt <- x$treatments
  others <- setdiff(trt, x$reference)
  n1 <- length(others)
  p <- length(f$theta)
  # Contrast vectors: effect of trt[i] vs trt[j] at covariate value a.
  unit <- function(t) {
    e <- numeric(n1)
    if (t != x$reference) e[match(t, others)] <- 1
    e
  }
  rows <- expand.grid(pair = seq_along(ij$i), at = at)
  L <- t(vapply(seq_len(nrow(rows)), function(r) {
    ti <- trt[ij$i[rows$pair[r]]]
    tj <- trt[ij$j[rows$pair[r]]]
    de <- unit(ti) - unit(tj)
    dx <- rows$at[r] - x$center
    sl <- if (x$assumption == "common") sum(de) * dx else de * dx
    c(de, sl)
  }, numeric(p)))
  est <- drop(L %*% f$theta)
  w <- wald_columns(est, level = level, L = L, V = f$cov)
  se <- w$std.error
  out <- data.frame(at = rows$at, treat1 = trt[ij$i[rows$pair]], treat2 = trt[ij$j[rows$pair]],
                    w, stringsAsFactors = FALSE)
  if (model == "random") {
    qp <- if (x$df >= 1) stats::qt(1 - (1 - level) / 2, x$df) else NA_real_
    sp <- sqrt(se^2 + x$tau2)
    out$pred.low <- est - qp * sp
    out$pred.high <- est + qp * sp
  }
  out
}

#' @rdname nma_regression-tidiers
#' @export
coef.nma_regression <- coef_of_model

#' @rdname nma_regression-tidiers
#' @export
vcov.nma_regression <- vcov_of_model

#' @export
nobs.nma_regression <- function(object, ...) {
  netmeta_guard()
  object$m
}

# The hint printed when the effects of a regression are reported at a
# covariate value far outside the data (an uncentred year, say): further
# from the range of the covariate than the range is wide. NULL otherwise.
center_hint <- function(x) {
  cv <- x$covariate
  if (!is.null(x$covariate_levels) || !is.numeric(cv) || !length(cv)) return(NULL)
  cv <- cv[is.finite(cv)]
  if (!length(cv)) return(NULL)
  rng <- range(cv)
  width <- diff(rng)
  at <- x$center
  gap <- max(rng[1] - at, at - rng[2], 0)
  if (gap == 0 || gap <= width) return(NULL)
  sprintf("Note: %s = %s is far outside the data (%s to %s): the effects above are extrapolations to it. Use center = TRUE to report them at the mean (%s), or center = <value> within the data.",
          x$covariate_name, format(signif(at, 6)), format(signif(rng[1], 6)),
          format(signif(rng[2], 6)), format(signif(mean(cv), 6)))
}

#' Print a network meta-regression
#'
#' Shows the coefficients of the random-effects and common-effect models
#' (treatment effects at the centring value and slopes), the test that the
#' slopes are zero, \eqn{\tau^2} and the residual heterogeneity. Ratio
#' measures are shown on the ratio scale by default (slopes as ratios per
#' unit of the covariate).
#'
#' When the value at which the effects are reported (the centring value,
#' 0 without centring) lies far outside the range of the covariate (further
#' from it than the range is wide, as `year = 0` for trials of 1990 to
#' 2020), the print says so and how to centre: those effects are
#' extrapolations.
#'
#' @param x An object of class `nma_regression`.
#' @param digits Number of decimals.
#' @param exponentiate `NULL` (default: the ratio scale for ratio measures),
#'   `TRUE` or `FALSE`.
#' @param ... Must be empty.
#' @return `x`, invisibly.
#' @export
print.nma_regression <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  cat("Network meta-regression on ", x$covariate_name, " (", x$assumption,
      if (x$assumption == "common") " slope" else " slopes", ")\n", sep = "")
  cat(sprintf("%d studies, %d contrasts, %d treatments; reference: %s\n",
              x$k, x$m, x$n, x$reference))
  if (!is.null(x$covariate_levels)) {
    cat(sprintf("Covariate coded 0 = %s, 1 = %s\n", x$covariate_levels[1],
                x$covariate_levels[2]))
  }
  cat(sprintf("Effects at %s = %s; %s\n", x$covariate_name, format_sig(x$center, 6),
              scale_header(x$measure, exponentiate)))
  hint <- center_hint(x)
  if (!is.null(hint)) cat(strwrap(hint, width = getOption("width", 80L)), sep = "\n")
  for (model in c("random", "common")) {
    rows <- regression_rows(x, model, x$level)
    if (exponentiate) rows <- exponentiate_columns(rows)
    cat("\n", if (model == "random") "Random-effects model" else "Common-effect model", ":\n",
        sep = "")
    tab <- data.frame(
      estimate = format_num(rows$estimate, digits),
      ci = format_ci(rows$conf.low, rows$conf.high, digits),
      z = format_num(rows$statistic, 2),
      p = format_pvalue(rows$p.value),
      stringsAsFactors = FALSE)
    names(tab) <- c("estimate", paste0(round(100 * x$level), "%-CI"), "z", "p.value")
    print_columns(cbind(term = rows$term, tab), left = "term")
    st <- slope_test(x, model)
    cat(sprintf("Test of slopes: Q = %s, df = %d, %s\n", format_num(st[["Q"]], 2), as.integer(st[["df"]]),
                format_pvalue(st[["p"]], header = TRUE)))
  }
  cat(sprintf("\ntau^2 = %s (%s), tau = %s", format_num(x$tau2, 4), x$tau2_method,
              format_num(sqrt(x$tau2), 4)))
  note <- log_scale_note(x$measure, "tau and slopes' standard errors are")
  cat(sprintf("\nResidual heterogeneity: Q = %s, df = %d, %s\n", format_num(x$Q, 2), x$df,
              format_pvalue(if (x$df > 0) q_pvalue(x$Q, x$df) else NA, header = TRUE)))
  if (!is.null(note)) cat(note, "\n")
  invisible(x)
}

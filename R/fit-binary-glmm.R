# nma_binary(method = "GLMM"): the one-stage binomial-normal model with fixed
# study effects, fitted by maximum likelihood in the core (src/core/glmm.h).
# Documented in the section "Binomial-normal model (GLMM)" of ?nma_binary.

glmm_default_agq <- 7L

# The options nma_binary() passes through `...` for method = "GLMM".
glmm_options <- function(dots, call = rlang::caller_env()) {
  check_method_dots(dots, "n_agq", "binomial-normal model (GLMM)",
                    "It takes {.arg n_agq}, the number of quadrature nodes per random effect.",
                    call = call)
  n_agq <- dots$n_agq %||% glmm_default_agq
  if (!is.numeric(n_agq) || length(n_agq) != 1L || !is.finite(n_agq) ||
      n_agq != round(n_agq) || n_agq < 1 || n_agq > 25) {
    abort_fastnma(c(
      "{.arg n_agq} must be a whole number from 1 (Laplace) to 25.",
      "x" = "It is {.val {format(n_agq)}}."
    ), "choice", call = call)
  }
  list(n_agq = as.integer(n_agq))
}

glmm_network <- function(arms, measure, reference, policy, level, dots, call,
                         err_call = rlang::caller_env(), small_values = "desirable") {
  check_odds_ratio_only(measure, "binomial-normal model (GLMM)",
                        "Use {.code measure = \"OR\"}.", call = err_call)
  if (!is.null(policy) && policy$method != "none") {
    abort_fastnma(c(
      "The binomial-normal model (GLMM) uses the binomial likelihood and corrects no zero cell.",
      "i" = "Leave {.arg zero_cells} unset (or {.code zero_cell_policy(\"none\")})."
    ), "policy", call = err_call)
  }
  policy <- zero_cell_policy("none")
  opts <- glmm_options(dots, call = err_call)
  treatments <- arms$order %||% sort(unique(arms$treatment))
  if (!is.null(reference)) reference <- check_reference(reference, treatments, call = err_call)
  # one value per arm
  st <- arms$study
  tr <- arms$treatment
  ev <- arms$events
  nn <- arms$n

  # Studies that carry no information in this model.
  n_arms_in <- as.vector(table(st)[st])
  none <- as.vector(tapply(ev == 0, st, all)[st])
  every <- as.vector(tapply(ev == nn, st, all)[st])
  single <- n_arms_in < 2L
  out <- single | none | every
  audit <- empty_audit()
  if (any(out)) {
    why <- ifelse(single, "only one arm: no contrast",
           ifelse(none, "no events in any arm", "events in every patient of every arm"))
    why[!single] <- paste0(why[!single], ": no information in the GLMM (its study effect is infinite)")
    first <- !duplicated(st) & out
    audit <- data.frame(study = st[first], action = "excluded", increment = NA_real_,
                        reason = why[first], stringsAsFactors = FALSE)
  }
  keep <- !out
  zc <- keep & as.vector(tapply(ev == 0 | ev == nn, st, any)[st])
  if (any(zc)) {
    audit <- rbind(audit, data.frame(
      study = unique(st[zc]), action = "kept", increment = NA_real_,
      reason = "zero cell, no correction (GLMM: binomial likelihood)",
      stringsAsFactors = FALSE))
  }
  if (!any(keep)) {
    abort_fastnma(c(
      "No study has information for the binomial-normal model (GLMM).",
      "i" = "Every study has one arm, no events or only events (see the zero-cell audit)."
    ), "empty", call = err_call)
  }
  if (any(audit$action == "excluded")) report_audit(audit)

  used <- treatments[treatments %in% tr[keep]]
  ref_used <- reference %||% used[1L]
  if (!ref_used %in% used) {
    abort_fastnma(c(
      "The reference treatment {.val {reference}} has no analysable data.",
      "i" = "All its studies were left out (see {.fn zero_cell_audit}); choose another reference."
    ), "reference", call = err_call)
  }
  # A treatment without events (or with only events) in every arm has an
  # infinite estimate: the likelihood increases without bound as its effect
  # goes to -Inf (+Inf).
  k_st <- st[keep]
  k_tr <- tr[keep]
  k_ev <- ev[keep]
  k_nn <- nn[keep]
  zero_t <- tapply(k_ev == 0, k_tr, all)
  full_t <- tapply(k_ev == k_nn, k_tr, all)
  bad <- names(which(zero_t | full_t))
  abort_fastnma_for(bad, c(
    "The binomial-normal model (GLMM) cannot estimate the effect of {.val {bad}}.",
    "x" = "{cli::qty(length(bad))}{?It has/They have} no events (or events in every patient) in every arm, so the maximum-likelihood estimate is infinite.",
    "i" = "Use {.code method = \"MH\"} or {.code method = \"IV\"} with a continuity correction, or leave {cli::qty(length(bad))}{?this treatment/these treatments} out."
  ), "not_estimable", call = err_call, treatments = bad)

  # The network of the study contrasts the fit keeps for display (and its
  # components: the model needs a connected network).
  data <- mh_study_contrasts(k_st, k_tr, k_ev, k_nn, "OR", policy)
  studies_used <- unique(k_st)
  net <- new_nma_network(data$study, data$treat1, data$treat2, data$estimate,
                         data$std.error, measure = "OR", zero_cells = audit,
                         studies = studies_used, treatments = used, call = err_call)
  if (length(unique(net$components)) > 1L) {
    abort_core_status(list(status = core_code("status", "disconnected"),
                           components = net$components), studies_used, used,
                      NULL, NULL, call = err_call, source = "mh")
  }

  # Arms by study, each study's baseline (first treatment in the order) first.
  s_idx <- match(k_st, studies_used)
  t_idx <- match(k_tr, used)
  o <- order(s_idx, t_idx)
  ref_idx <- match(ref_used, used)
  res <- glmm_fit_cpp(
    list(study = s_idx[o], treat = t_idx[o], events = k_ev[o], n = k_nn[o],
         n_treat = length(used), ref = ref_idx),
    list(n_agq = opts$n_agq, profile = TRUE, crit = stats::qchisq(level, 1)))
  glmm_check_status(res, used, err_call)

  model_part <- function(f) {
    theta <- stats::setNames(f$d, used)
    cov <- f$cov
    dimnames(cov) <- list(used, used)
    list(theta = theta, cov = cov)
  }
  common <- model_part(res$common)
  random <- model_part(res$random)
  tau2 <- res$random$tau^2
  n_arms <- as.vector(table(factor(k_st, studies_used)))
  design_lab <- vapply(split(t_idx, factor(s_idx, seq_along(studies_used))),
                       function(a) paste(sort(a), collapse = ":"), character(1))
  designs <- unique(design_lab)
  df <- sum(n_arms - 1L) - (length(used) - 1L)
  lr <- res$lr
  # the boundary: under tau = 0 the statistic is a 50:50 mixture of a point
  # mass at 0 and chi-square(1) (Self and Liang 1987)
  p_lr <- if (lr > 0) 0.5 * stats::pchisq(lr, 1, lower.tail = FALSE) else 1
  alpha <- data.frame(study = studies_used,
                      baseline = used[t_idx[o][!duplicated(s_idx[o])]],
                      estimate = res$random$alpha, std.error = res$random$se_alpha,
                      stringsAsFactors = FALSE)

  new_nma(list(
    method = "GLMM", measure = "OR", call = call,
    # the network: its treatments, studies, designs and display contrasts
    treatments = used, n = length(used), reference = ref_used,
    studies = studies_used, k = length(studies_used), n_arms = n_arms,
    m = sum(n_arms * (n_arms - 1L) / 2L), data = data, network = net,
    n_designs = length(designs), design = match(design_lab, designs),
    design_arms = lapply(strsplit(designs, ":", fixed = TRUE), as.integer),
    # the two models (Wald intervals; tau^2 by maximum likelihood)
    common = common, random = random, level = level, ci_method = "wald",
    tau2 = tau2, tau2_method = "ML", tau2_info = NULL,
    df = df,
    df_design = lengths(strsplit(designs, ":", fixed = TRUE)) - 1L,
    Q_design = rep(NA_real_, length(designs)),
    df_within = NA_integer_, df_between = NA_integer_,
    # no Q statistics, I^2 or Hartung-Knapp scale: the model has a likelihood
    Q = NA_real_, Q_within = NA_real_, Q_between = NA_real_, Q_random = NA_real_,
    hk_scale = NA_real_, I2 = NA_real_, I2_lower = NA_real_, I2_upper = NA_real_,
    loglik = c(ML = res$random$loglik, REML = NA_real_),
    n_obs = length(k_st),
    control = NULL,
    zero_cells = as_zero_cell_audit(audit),
    zero_cell_policy = policy,
    glmm = list(n_agq = opts$n_agq,
                loglik = c(common = res$common$loglik, random = res$random$loglik),
                tau2_lower = res$tau2_lower, tau2_upper = res$tau2_upper,
                lr = lr, p_value_lr = p_lr, study_effects = alpha,
                iterations = c(common = res$common$iterations,
                               random = res$random$iterations)),
    arm_data = data.frame(study = k_st, treatment = k_tr, events = k_ev, n = k_nn,
                          stringsAsFactors = FALSE)
  ), class = "nma_glmm", capabilities = fit_capabilities("GLMM"),
  small_values = small_values)
}

# Arm-level binary data drawn from the binomial-normal model (for the tests
# and the benchmark): `S` studies of `T` treatments ("T01", ...), the first
# T - 1 studies comparing each treatment with T01 and the others random
# pairs (a share `p3` of them three-arm), 30 to 150 patients per arm,
# baseline log odds N(-2, 0.7^2), treatment effects N(0, 0.5^2), random
# effects of standard deviation `tau` with the 0.5 correlation.
glmm_simulate <- function(S, T, tau, p3, seed) {
  set.seed(seed)
  d <- c(0, stats::rnorm(T - 1, 0, 0.5))
  one <- function(i) {
    tr <- sort(sample(T, if (stats::runif(1) < p3) 3L else 2L))
    if (i < T) tr <- c(1L, i + 1L)
    n <- sample(30:150, length(tr), TRUE)
    a <- length(tr) - 1L
    delta <- c(0, sqrt(tau^2 / 2) * (stats::rnorm(1) + stats::rnorm(a)))
    p <- stats::plogis(stats::rnorm(1, -2, 0.7) + d[tr] - d[tr[1]] + delta)
    data.frame(study = sprintf("s%03d", i), treatment = sprintf("T%02d", tr),
               events = stats::rbinom(length(tr), n, p), n = n)
  }
  do.call(rbind, lapply(seq_len(S), one))
}

# Status of the core's fit: non-finite likelihoods are errors, a fit that
# did not converge (or whose Hessian is not negative definite) a warning.
glmm_check_status <- function(res, treatments, call) {
  code <- core_codes("glmm_fit")
  if (any(c(res$status, res$common$status, res$random$status) == code[["not_finite"]])) {
    abort_fastnma(c(
      "The binomial-normal model (GLMM) could not be fitted: its likelihood is not finite.",
      "i" = "Look for treatments or studies whose arms have (almost) no events or only events."
    ), "numerical", call = call)
  }
  far <- abs(res$common$d) > 15
  if (any(far)) {
    abort_fastnma(c(
      "The binomial-normal model (GLMM) cannot estimate the effect of {.val {treatments[far]}}.",
      "x" = "The likelihood increases without bound as {cli::qty(sum(far))}{?this effect goes/these effects go} to infinity (separation: for instance a treatment compared only with arms without events).",
      "i" = "Use {.code method = \"MH\"} or {.code method = \"IV\"} with a continuity correction."
    ), "not_estimable", call = call, treatments = treatments[far])
  }
  if (res$common$status == code[["singular"]]) {
    abort_fastnma(c(
      "The binomial-normal model (GLMM) could not be fitted: its information matrix is singular.",
      "i" = "Some effects are not identified by the data (for instance a treatment compared only in studies without information)."
    ), "singular", call = call)
  }
  bad <- c(common = res$common$status, random = res$random$status)
  big <- max(abs(res$random$d)) > 15
  no_upper <- res$profile_status == core_code("glmm_profile", "no_upper")
  if (any(bad != code[["ok"]]) || big || no_upper) {
    what <- c(
      if (any(bad == code[["not_converged"]])) "the maximisation stopped before it converged",
      if (any(bad == code[["singular"]])) "the Hessian of the random-effects model is not negative definite (standard errors may be wrong)",
      if (big) "some log odds ratios of the random-effects model exceed 15 in absolute value: their maximum-likelihood estimates may be infinite (separation)",
      if (no_upper) "the upper limit of the profile-likelihood interval of tau^2 was not found (reported as Inf)"
    )
    cli::cli_warn(c("The binomial-normal model (GLMM) fit is not reliable:",
                    stats::setNames(what, rep("!", length(what)))),
                  class = c("fastnma_warning_convergence", "fastnma_warning"))
  }
  invisible(res)
}

# The arms of a GLMM fit, as the core takes them (each study's baseline arm
# first).
glmm_core_data <- function(fit) {
  a <- fit$arm_data
  s_idx <- match(a$study, fit$studies)
  t_idx <- match(a$treatment, fit$treatments)
  o <- order(s_idx, t_idx)
  list(study = s_idx[o], treat = t_idx[o], events = a$events[o], n = a$n[o],
       n_treat = length(fit$treatments), ref = match(fit$reference, fit$treatments))
}

# The profile log-likelihood of a GLMM fit at tau^2 = `tau2`: the
# log-likelihood maximised over the study effects and the treatment effects
# with tau held fixed (what the interval of tau^2 is made of).
glmm_profile <- function(fit, tau2) {
  vapply(tau2, function(t2) {
    res <- glmm_fit_cpp(glmm_core_data(fit),
                        list(n_agq = fit$glmm$n_agq, profile = FALSE,
                             crit = stats::qchisq(fit$level, 1), tau_fixed = sqrt(t2)))
    res$random$loglik
  }, numeric(1))
}

#' @rdname nma-tidiers
#' @method glance nma_glmm
#' @export
glance.nma_glmm <- function(x, ...) {
  netmeta_guard()
  g <- x$glmm
  as_glance(data.frame(
    k = x$k, m = x$m, n_treatments = x$n, n_designs = x$n_designs,
    tau2 = x$tau2, tau = sqrt(x$tau2),
    tau2_lower = g$tau2_lower, tau2_upper = g$tau2_upper,
    I2 = NA_real_, I2_lower = NA_real_, I2_upper = NA_real_,
    Q = NA_real_, df = x$df, p.value = NA_real_,
    Q_within = NA_real_, df_within = NA_integer_, p_value_within = NA_real_,
    Q_between = NA_real_, df_between = NA_integer_, p_value_between = NA_real_,
    statistic_lr = g$lr, p_value_lr = g$p_value_lr,
    tau2_method = "ML", logLik = g$loglik[["random"]],
    logLik_common = g$loglik[["common"]], n_agq = g$n_agq,
    nobs = nrow(x$arm_data), method = "GLMM", stringsAsFactors = FALSE
  ))
}

#' @export
print.nma_glmm <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  g <- x$glmm
  cat_title("Binomial-normal network meta-analysis (GLMM)", x$measure, exponentiate)
  cli::cat_line(sprintf("%d studies, %d arms, %d treatments, %d designs",
                        x$k, nrow(x$arm_data), x$n, x$n_designs))
  cli::cat_line(strwrap(paste0("Likelihood: ", if (g$n_agq == 1L) "Laplace approximation" else
    sprintf("adaptive Gauss-Hermite quadrature, %d nodes per random effect", g$n_agq)),
    width = getOption("width", 80L)))
  cli::cat_line(sprintf("Reference: %s", x$reference))
  for (m in c("common", "random")) {
    cli::cat_line()
    cli::cat_line(cli::style_bold(upper_first(fit_model_label(x, m))), " model")
    rows <- nma_comparisons(x, m, "reference", exponentiate = exponentiate)
    print_comparison_rows(rows, digits, x$level, measure_abbrev(x$measure, exponentiate))
  }
  cli::cat_line()
  cli::cat_line(strwrap(sprintf(
    "tau^2 = %s [%s; %s] (%g%% profile-likelihood interval), tau = %s (log odds ratio scale)",
    format_num(x$tau2, 4), format_num(g$tau2_lower, 4), format_num(g$tau2_upper, 4),
    100 * x$level, format_num(sqrt(x$tau2), 4)), width = getOption("width", 80L)))
  cli::cat_line(strwrap(sprintf(
    "LR test of tau = 0: %s = %s, %s (half chi-square(1), tau = 0 on the boundary)",
    "LR", format_num(g$lr, 2), format_pvalue(g$p_value_lr, header = TRUE)),
    width = getOption("width", 80L)))
  cli::cat_line(sprintf("log-likelihood: %s (common: %s)",
                        format_num(g$loglik[["random"]], 2), format_num(g$loglik[["common"]], 2)))
  audit <- x$zero_cells
  if (!is.null(audit) && nrow(audit) > 0) {
    cli::cat_line(strwrap(sprintf(
      "Zero cells: no correction; %d stud%s with zero cells kept, %d without information left out (see zero_cell_audit())",
      sum(audit$action == "kept"), if (sum(audit$action == "kept") == 1) "y" else "ies",
      sum(audit$action == "excluded")), width = getOption("width", 80L)))
  }
  invisible(x)
}

#' @export
summary.nma_glmm <- function(object, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  fit_summary(object, exponentiate, design_table(object)[c("design", "studies")])
}

#' @section Binomial-normal model (GLMM):
#' `method = "GLMM"` fits the one-stage binomial-normal model with fixed
#' study effects (Stijnen, Hamza and Özdemir 2010; the model with fixed
#' study intercepts and normally distributed treatment effects compared by
#' Jackson et al. 2018), odds ratios only, by maximum likelihood in the
#' compiled core. For study \eqn{i} with baseline arm \eqn{b} (its first
#' arm in the treatment order) and arms \eqn{k}:
#' \deqn{e_{ik} \sim \mathrm{Bin}(n_{ik}, p_{ik}), \quad
#'   \mathrm{logit}\, p_{ib} = \alpha_i, \quad
#'   \mathrm{logit}\, p_{ik} = \alpha_i + d_{t_{ik}} - d_{t_{ib}} + \delta_{ik}
#'   \ (k \ne b),}
#' \eqn{\delta_i \sim N(0, \tau^2 P)} with \eqn{P} having 1 on the diagonal
#' and 0.5 off it (the usual correlation of multi-arm studies),
#' \eqn{\alpha_i} fixed (one per study) and \eqn{d} = 0 for the reference.
#' The common-effect model is the same with \eqn{\tau = 0}: a logistic
#' regression with study fixed effects.
#'
#' The same model in lme4, for networks of two-arm studies, with `nb` the
#' indicator of the non-baseline arm, `study` a factor and `trt` the
#' treatment factor (treatment contrasts, the reference its first level):
#' \preformatted{glmer(cbind(events, n - events) ~ 0 + study + trt + (0 + nb | study),
#'       family = binomial, nAGQ = k)}
#' (the study effects are then \eqn{\alpha_i + d_{t_{ib}}}; the treatment
#' effects are the same). With multi-arm studies, \eqn{\delta_{ik} = v_i +
#' w_{ik}} with \eqn{v, w} independent \eqn{N(0, \tau^2/2)} gives exactly
#' \eqn{P}: one random-effect term whose variance is shared by a study
#' column and an arm column. With lme4's modular functions: `glFormula()`
#' with the term `(1 | arm)` (one level per arm), then `reTrms$Zt` set so
#' that each non-baseline arm loads \eqn{\sqrt{1/2}} on its study's column
#' and \eqn{\sqrt{1/2}} on its own, `mkGlmerDevfun()`, `optimizeGlmer()`
#' and `mkMerMod()`; lme4 allows only the Laplace approximation there. The
#' tests of the package refit the model in both ways. For two-treatment
#' networks the model is `metafor::rma.glmm(measure = "OR", model =
#' "UM.FS", coding = 1)`; rma.glmm's default `coding = 1/2` splits the
#' random effect symmetrically between the two arms, a different model.
#'
#' *Likelihood.* Each study's marginal likelihood, the integral over
#' \eqn{\delta_i} (\eqn{a_i - 1} dimensions for \eqn{a_i} arms), is
#' approximated by adaptive Gauss-Hermite quadrature around the conditional
#' mode of the random effects, found anew (by Newton's method) at every
#' evaluation, as `glmer()` does: the product rule of `n_agq` nodes per
#' dimension, rotated by the Cholesky factor of the curvature at the mode.
#' `n_agq` (given through `...`, a whole number from 1 to 25) sets the
#' nodes; `n_agq = 1` is the Laplace approximation, which over \eqn{\delta_i}
#' equals lme4's over \eqn{(v_i, w_i)} (the extra Gaussian direction
#' integrates exactly). The default, `n_agq = 7`, is rma.glmm's: with few
#' events per arm, as with adverse events, the Laplace approximation can be
#' poor, and seven nodes per dimension (49 for a three-arm study) cost
#' little. The log-likelihood includes the binomial coefficients, as
#' `logLik()` of `glmer()` with the Laplace approximation (with `nAGQ > 1`
#' glmer reports it less the saturated binomial log-likelihood).
#'
#' *Fit.* \eqn{(\alpha, d, \tau)} are found by Newton-Raphson with
#' Levenberg damping (the \eqn{\alpha_i} eliminated, as one-dimensional
#' problems, by their Schur complement; the derivatives of each study's
#' approximated log-likelihood by central differences), started from the
#' best point of a coarse profile over \eqn{\tau}: the profile likelihood
#' can have a local maximum at \eqn{\tau = 0} beside the global one. The
#' standard errors are those of the fixed-effects block of the inverse of
#' the negative Hessian of the approximated log-likelihood in \eqn{(\alpha,
#' d, \tau)}, as `vcov()` of a glmer fit (which uses the Hessian in
#' \eqn{(\theta, \beta)}); at \eqn{\hat\tau = 0} the Hessian in
#' \eqn{(\alpha, d)}. `fit$glmm` holds \eqn{\tau^2}'s profile-likelihood
#' interval (the values of \eqn{\tau^2} whose profile log-likelihood is
#' within `qchisq(level, 1) / 2` of the maximum), the likelihood-ratio
#' statistic against the common-effect model with its p-value from the
#' 50:50 mixture of a point mass at 0 and \eqn{\chi^2_1} (\eqn{\tau = 0}
#' is on the boundary of the parameter space; Self and Liang 1987), the
#' log-likelihoods of both models and the study effects \eqn{\hat\alpha_i}.
#' [glance()] reports them. Maximum likelihood underestimates \eqn{\tau^2}
#' with few studies and the Wald intervals may then be too narrow (Seide,
#' Röver and Friede 2019).
#'
#' *Zero cells.* The binomial likelihood needs no correction: zero cells
#' enter as they are, and the audit lists each study with one as `"kept"`.
#' A study without events in any arm (or with events in every patient) has
#' \eqn{\hat\alpha_i = -\infty} (\eqn{+\infty}), and its likelihood then
#' tends to 1 whatever \eqn{d} and \eqn{\tau}: it carries no information in
#' this model (not even on \eqn{\tau}) and is left out, with a line in the
#' audit. A treatment without events (or with only events) in all its arms
#' has an infinite estimate: an error of class
#' `fastnma_error_not_estimable`. Other patterns of separation can drive an
#' estimate far away; a warning of class `fastnma_warning_convergence`
#' then says so.
#'
#' The fit is of class `nma_glmm` (an `nma` with the `common` and `random`
#' parts). Verbs that work on study-level contrasts (node-splitting,
#' leave-one-out, contributions, ...) stop with an error of class
#' `fastnma_error_not_supported`.
#'
#' @references
#' Stijnen T, Hamza TH, Özdemir P (2010). Random effects meta-analysis of
#' event outcome in the framework of the generalized linear mixed model with
#' applications in sparse data. *Statistics in Medicine* 29(29):3046-3067.
#' \doi{10.1002/sim.4040}
#'
#' Jackson D, Law M, Stijnen T, Viechtbauer W, White IR (2018). A comparison
#' of seven random-effects models for meta-analyses that estimate the summary
#' odds ratio. *Statistics in Medicine* 37(7):1059-1085. \doi{10.1002/sim.7588}
#'
#' Seide SE, Röver C, Friede T (2019). Likelihood-based random-effects
#' meta-analysis with few studies: empirical and simulation studies. *BMC
#' Medical Research Methodology* 19:16. \doi{10.1186/s12874-018-0618-3}
#'
#' Self SG, Liang KY (1987). Asymptotic properties of maximum likelihood
#' estimators and likelihood ratio tests under nonstandard conditions.
#' *Journal of the American Statistical Association* 82(398):605-610.
#' \doi{10.1080/01621459.1987.10478472}
#' @name nma_binary
#' @md
NULL

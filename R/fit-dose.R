#' Dose-response network meta-analysis
#'
#' Fits a network meta-analysis in which every arm is an *agent* given at a
#' *dose*, and the effect of each agent relative to the reference agent
#' (placebo, say) is a function of its dose (Mawdsley et al. 2016; in the
#' frequentist, contrast-based form of Petropoulou et al. 2025). Trials of one
#' agent at different doses then inform one dose-response curve instead of
#' being lumped into one node (hiding the dose-response) or split into one
#' node per dose (thinning the network).
#'
#' @section Model:
#' The effect of agent \eqn{a} at dose \eqn{x} relative to the reference agent
#' is \eqn{f_a(x) = \beta_a' g(x)}, with \eqn{g} the dose transformation of
#' `method`:
#' * `"linear"`: \eqn{g(x) = x};
#' * `"exponential"`: \eqn{g(x) = 1 - e^{-x}};
#' * `"quadratic"`: \eqn{g(x) = (x, x^2)};
#' * `"rcs"`: restricted cubic spline, \eqn{x} and the \eqn{k - 2} nonlinear
#'   terms of Harrell's basis, each divided by \eqn{(t_k - t_1)^2}, with knots
#'   \eqn{t_1 < \dots < t_k} per agent (`knots`; by default at 10\%, 50\% and
#'   90\% of the agent's dose range, from its smallest to its largest
#'   positive dose: netdose's placement, which takes the quantiles of the
#'   doses from the smallest to the largest in steps of one dose unit, in
#'   the limit of fine steps, so that the knots do not depend on the dose
#'   unit; with `netdose = TRUE`, netdose's own steps). An agent whose knots
#'   are not distinct (one dose only, say) keeps the linear term alone;
#' * `"fp1"`, `"fp2"`: fractional polynomials of degree one and two,
#'   \eqn{x^p} (\eqn{\log x} for \eqn{p = 0}) and, for two equal powers,
#'   \eqn{x^p} and \eqn{x^p \log x}. `param` gives the power(s) (default
#'   \eqn{-0.5}, and \eqn{(-0.5, 1)}), or `param = "best"` chooses them by
#'   likelihood (the smallest common-effect \eqn{Q}) among
#'   \eqn{\{-2, -1, -0.5, 0, 0.5, 1, 2, 3\}};
#' * `"emax"`: \eqn{f_a(x) = E_{\max,a}\, x / (ED_{50,a} + x)}, nonlinear in
#'   \eqn{ED_{50}}: both parameters of every agent by maximum likelihood
#'   (\eqn{\log ED_{50}} is profiled with a quasi-Newton search, each step a
#'   compiled GLS fit; standard errors from the information of the
#'   linearised model at the optimum). `ed50` fixes \eqn{ED_{50}} of some or
#'   all agents (a named vector; `NA` = estimate); with every \eqn{ED_{50}}
#'   fixed the model is linear in \eqn{E_{\max}}. `ed50_class` makes agents
#'   of a class share one \eqn{ED_{50}}.
#'
#' A dose of zero means no agent: \eqn{f_a(0) = 0} for every function. A
#' comparison of agent \eqn{a} at dose \eqn{x} with agent \eqn{b} at dose
#' \eqn{z} in a study has mean \eqn{f_a(x) - f_b(z)}: the model is the
#' contrast-based GLS model of [nma()] (basic contrasts of every study with
#' their within-study covariance, heterogeneity \eqn{\tau^2} with
#' correlation 1/2 between the contrasts of a study), whose design rows are
#' differences of dose transformations, fitted by the same compiled routine
#' as [nma()], [component_nma()] and [nma_regression()]. For multi-arm
#' studies this is netmeta's (and netdose's) reduced-weights analysis of all
#' their contrasts (Rücker and Schwarzer 2014). The estimate is the
#' minimum-norm solution \eqn{(X'WX)^{+} X'Wy}, with the pseudo-inverse
#' dropping eigenvalues below \eqn{\sqrt{\epsilon}} times the largest (as
#' `MASS::ginv()`) of \eqn{X'WX} with its columns scaled to a unit
#' diagonal, so that transformations of very different magnitudes (the
#' square of doses in the hundreds next to doses in micrograms) are all
#' fitted. Where an agent was given at one dose only, the columns of a
#' two-parameter function are aliased and only the effect at that dose is
#' determined: the coefficients are the shortest (scaled) pair that gives
#' it; `fit$single_dose` lists those agents, and [print()] says so.
#'
#' @section Heterogeneity:
#' `tau2_method` chooses the estimator of \eqn{\tau^2}, the estimators of
#' [nma()]: `"DL"` (the default) is the generalised method of moments
#' (Jackson, White and Riley 2012), \eqn{\hat\tau^2 = (Q - df) /
#' \mathrm{tr}((I - H) R W)} with \eqn{R} the covariance structure of the
#' random effects; `"REML"` and `"ML"` maximise the (restricted) likelihood
#' of the model; `"PM"` (Paule-Mandel) sets the generalised \eqn{Q} at
#' \eqn{\tau^2} equal to its degrees of freedom. `tau2` fixes \eqn{\tau^2}.
#' For `"emax"`, \eqn{\tau^2} is estimated on the model linearised at the
#' common-effect optimum.
#'
#' @section Reproducing netdose:
#' `netdose = TRUE` reproduces netdose 0.7-5 to the last digits (checked on
#' its anaesthesia data for every function). It differs from the default
#' in three places. (1) Its moment estimator puts \eqn{X X' / 2} (the dose
#' design) in place of \eqn{R}, so its \eqn{\tau^2}, and with it every
#' random-effects estimate, changes with the unit of the dose (the same data
#' in milligrams and in micrograms give different \eqn{\tau^2}). (2) Its
#' pseudo-inverse is of the unscaled \eqn{X'WX}: where transformations
#' differ by many orders of magnitude it drops directions the data
#' determine and sets them to zero (on its anaesthesia data, the quadratic
#' model gives buspirone no effect at all); a warning of class
#' `fastnma_warning_dose_scale` says when that happens. (3) Its default
#' knots of `"rcs"` are quantiles of the doses from the smallest to the
#' largest in steps of one dose unit, which change with the unit (its
#' palonosetron, given at 0.007 to 0.075 mg, gets three coinciding knots and
#' a linear curve).
#'
#' @section Tests of the dose-response model:
#' `glance()` gives \eqn{Q} of the dose-response model, of the *split* model
#' (every agent-dose its own node: the standard NMA) and of the *lumped*
#' model (one node per agent, doses ignored), with their degrees of freedom;
#' `Q_vs_split = Q - Q_split` on `df_vs_split = df - df_split` degrees of
#' freedom tests the
#' dose-response model against the standard NMA in which it is nested.
#'
#' @param data A data frame of contrasts, one row per comparison (every pair
#'   of arms of a multi-arm study), with the agent and dose of both arms.
#' @param agent1,dose1,agent2,dose2 Columns (bare names or strings) with the
#'   agent and dose of the two arms; the estimate is arm 1 relative to arm 2.
#' @param estimate,std.error,study Columns of the contrast estimate, its
#'   standard error and the study label.
#' @param method The dose-response function: `"linear"`, `"exponential"`,
#'   `"quadratic"`, `"rcs"`, `"fp1"`, `"fp2"` or `"emax"`.
#' @param param Powers of a fractional polynomial (one for `"fp1"`, two for
#'   `"fp2"`), or `"best"`.
#' @param knots Knots of `"rcs"`: a named list (one numeric vector of at
#'   least three knots per agent), or one vector of probabilities at which
#'   knots are placed in each agent's dose range (default `c(0.1, 0.5, 0.9)`;
#'   see `"rcs"` above).
#' @param ed50 For `"emax"`: a named vector of fixed \eqn{ED_{50}} values
#'   (`NA` for agents whose \eqn{ED_{50}} is estimated), or `NULL`.
#' @param ed50_class For `"emax"`: a named vector giving a class to agents
#'   (e.g. `c(A = "statins", B = "statins")`); agents of one class share one
#'   \eqn{ED_{50}} (estimated once), each keeping its own \eqn{E_{\max}}.
#'   Agents not named are their own class.
#' @param common_dose Named vector of the dose of each agent at which agents
#'   are compared by default (netdose's `common.dose`); agents not named get
#'   the median of their doses over the comparisons (rows of `data`) that
#'   include them, netdose's default.
#' @param reference The reference agent (its effect is zero at every dose).
#'   Default: the one agent given only at dose zero.
#' @param tau2_method Estimator of \eqn{\tau^2}: `"DL"` (default), `"REML"`,
#'   `"ML"` or `"PM"` (see Heterogeneity). Not with `netdose = TRUE`, which
#'   uses netdose's own estimator.
#' @param netdose `TRUE` to reproduce netdose 0.7-5 (see Reproducing
#'   netdose).
#' @param tau2 `NULL`, or a fixed \eqn{\tau^2}.
#' @param measure Effect measure (as in [nma()]); ratio measures are on the
#'   log scale.
#' @param level Confidence level.
#' @param sep For contrasts made from arm-level data by [arm_contrasts()]
#'   with treatment labels `"agent<sep>dose"` (e.g. `treatment =
#'   paste0(agent, "@", dose)` and `sep = "@"`): the agent and dose of each
#'   arm are read from `treat1` and `treat2`, and the `agent1` ... `dose2`
#'   arguments are not used.
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use.
#' @return An object of class `nma_dose`: `coefficients` (per agent and
#'   parameter, both models), `common`/`random` (`coef`, `cov`), `tau2`, `Q`,
#'   `df`, `Q_split`, `df_split`, `Q_lump`, `df_lump`, `common_dose`, the
#'   agents, nodes and data. Methods: [print()], [tidy()] (`type =
#'   "coefficients"`, `"reference"` or `"pairs"`), [glance()], [predict()] at
#'   any dose with confidence and prediction intervals, `coef()`, `vcov()`,
#'   and [autoplot()] (the dose-response curves).
#' @references
#' Mawdsley D, Bennetts M, Dias S, Boucher M, Welton NJ (2016). Model-based
#' network meta-analysis: a framework for evidence synthesis of clinical
#' trial data. *CPT: Pharmacometrics & Systems Pharmacology* 5(8):393-401.
#' \doi{10.1002/psp4.12091}
#'
#' Petropoulou M, Efthimiou O, Rücker G, Schwarzer G, Furukawa TA, Pompoli A,
#' Koek HL, Del Giovane C, Rücker G, Mavridis D (2025). A dose-effect network
#' meta-analysis model with application in antidepressants using restricted
#' cubic splines. *Statistical Methods in Medical Research*.
#' \doi{10.1177/09622802211070256}
#'
#' Rücker G, Schwarzer G (2014). Reduce dimension or reduce weights?
#' Comparing two approaches to multi-arm studies in network meta-analysis.
#' *Statistics in Medicine* 33:4353-4369. \doi{10.1002/sim.6236}
#' @seealso [simulate_dose_nma()] for data from a declared dose-response.
#' @examples
#' d <- simulate_dose_nma(seed = 1, n_studies = 40)
#' fit <- dose_nma(d, method = "emax")
#' fit
#' tidy(fit)
#' glance(fit)
#' predict(fit, agent = "A", dose = c(1, 5, 20))
#' @export
dose_nma <- function(data, agent1 = agent1, dose1 = dose1, agent2 = agent2,
                     dose2 = dose2, estimate = estimate, std.error = std.error,
                     study = study,
                     method = c("linear", "exponential", "quadratic", "rcs",
                                "fp1", "fp2", "emax"),
                     param = NULL, knots = NULL, ed50 = NULL, ed50_class = NULL,
                     common_dose = NULL, reference = NULL,
                     tau2_method = c("DL", "REML", "ML", "PM"), tau2 = NULL,
                     netdose = FALSE, measure = NULL, level = 0.95, sep = NULL, ...) {
  netmeta_guard(dots_empty = TRUE)
  call <- match.call()
  env <- parent.frame()
  check_data_frame(data)
  check_not_grouped(data, "dose_nma")
  method <- check_choice(if (missing(method)) NULL else method,
                         c("linear", "exponential", "quadratic", "rcs", "fp1", "fp2", "emax"),
                         "method")
  if (!is.logical(netdose) || length(netdose) != 1L || is.na(netdose)) {
    abort_fastnma("{.arg netdose} must be TRUE or FALSE.", "flag")
  }
  if (netdose && !missing(tau2_method)) {
    abort_fastnma(c("{.arg tau2_method} cannot be combined with {.code netdose = TRUE}.",
                    "i" = "{.code netdose = TRUE} uses netdose's own moment estimator of tau^2."),
                  "choice")
  }
  tau2_method <- if (netdose) "netdose" else
    check_choice(if (missing(tau2_method)) NULL else tau2_method, c("DL", "REML", "ML", "PM"),
                 "tau2_method")
  check_tau2_preset(tau2)
  check_level(level)
  exprs <- list(agent1 = substitute(agent1), dose1 = substitute(dose1),
                agent2 = substitute(agent2), dose2 = substitute(dose2),
                estimate = substitute(estimate), std.error = substitute(std.error),
                study = substitute(study))
  if (!is.null(sep)) {
    # Treatment labels "agent<sep>dose" (arm_contrasts() of arm-level data).
    if (!is.character(sep) || length(sep) != 1L || is.na(sep) || !nzchar(sep)) {
      abort_fastnma("{.arg sep} must be a single non-empty string.", "dose")
    }
    data <- dose_from_labels(data, sep)
    exprs[c("agent1", "dose1", "agent2", "dose2")] <- lapply(c("agent1", "dose1", "agent2", "dose2"), as.name)
  }
  cols <- lapply(exprs, column_label)
  v <- Map(function(expr, arg) capture_column(expr, data, env, arg), exprs, names(exprs))
  st <- v$study
  check_no_missing(st, cols$study, rep("?", length(st)))
  st <- as.character(st)
  for (a in c("agent1", "agent2")) {
    check_no_missing(v[[a]], cols[[a]], st)
    v[[a]] <- as.character(v[[a]])
    check_labels(v[[a]], cols[[a]], "agent", st)
  }
  for (a in c("dose1", "dose2")) check_doses(v[[a]], cols[[a]], st)
  measure <- data_measure(data, measure)

  dose_fit(study = st, agent1 = v$agent1, dose1 = as.double(v$dose1),
           agent2 = v$agent2, dose2 = as.double(v$dose2),
           estimate = v$estimate, std.error = v$std.error, cols = cols,
           method = method, param = param, knots = knots, ed50 = ed50,
           ed50_class = ed50_class,
           common_dose = common_dose, reference = reference,
           tau2_method = tau2_method, tau2 = tau2, measure = measure,
           level = level, call = call)
}

# Agent and dose of each arm from treatment labels "agent<sep>dose" in
# columns treat1 and treat2.
dose_from_labels <- function(data, sep, call = rlang::caller_env()) {
  if (!all(c("treat1", "treat2") %in% names(data))) {
    abort_fastnma(c("With {.arg sep}, {.arg data} must have columns {.field treat1} and {.field treat2}.",
                    "x" = "Its columns are {.field {names(data)}}."), "column", call = call)
  }
  split_one <- function(x, side) {
    x <- as.character(x)
    pos <- vapply(gregexpr(sep, x, fixed = TRUE), function(g) max(g), numeric(1))
    ok <- pos > 0
    dose <- suppressWarnings(as.numeric(ifelse(ok, substring(x, pos + nchar(sep)), NA)))
    bad <- which(!ok | is.na(dose))
    if (length(bad)) {
      abort_fastnma(c(
        "Treatment labels must read {.val agent{sep}dose} when {.arg sep} is given.",
        "x" = "Column {.field {side}}: {.val {unique(x[bad])}} ha{?s/ve} no numeric dose after {.val {sep}}."
      ), "dose", call = call, column = side)
    }
    list(agent = substr(x, 1L, pos - 1L), dose = dose)
  }
  a <- split_one(data$treat1, "treat1")
  b <- split_one(data$treat2, "treat2")
  data <- as.data.frame(data)
  data$agent1 <- a$agent
  data$dose1 <- a$dose
  data$agent2 <- b$agent
  data$dose2 <- b$dose
  data
}

check_doses <- function(x, column, study, call = rlang::caller_env()) {
  if (!is.numeric(x)) {
    abort_fastnma(c("Column {.field {column}} must hold numeric doses.",
                    "x" = "It is {.obj_type_friendly {x}}."), "dose", call = call,
                  column = column)
  }
  check_no_missing(x, column, study, call = call)
  bad <- which(!is.finite(x) | x < 0)
  if (length(bad)) {
    abort_fastnma(c(
      "Doses (column {.field {column}}) must be finite and not negative.",
      "x" = "Study {.val {unique(study[bad])}} ha{?s/ve} {.val {x[bad]}}."
    ), "dose", call = call, column = column, study = unique(study[bad]))
  }
}

# Node labels: an agent at a dose.
dose_node <- function(agent, dose) paste0(agent, "@", as.character(dose))

# The engine: validated vectors in, an `nma_dose` fit out.
dose_fit <- function(study, agent1, dose1, agent2, dose2, estimate, std.error, cols,
                     method, param, knots, ed50, ed50_class, common_dose, reference,
                     tau2_method, tau2, measure, level, call,
                     err_call = rlang::caller_env()) {
  node1 <- dose_node(agent1, dose1)
  node2 <- dose_node(agent2, dose2)
  net_cols <- list(estimate = cols$estimate, std.error = cols$std.error,
                   treat1 = paste0(cols$agent1, "/", cols$dose1),
                   treat2 = paste0(cols$agent2, "/", cols$dose2), study = cols$study)
  net <- new_nma_network(study, node1, node2, as.double(estimate), as.double(std.error),
                         measure = measure, tol_multiarm = 1e-3, cols = net_cols,
                         call = err_call)
  arms <- unique(data.frame(study = c(study, study), agent = c(agent1, agent2),
                            dose = c(dose1, dose2), stringsAsFactors = FALSE))
  agents_all <- sort(unique(arms$agent))
  reference <- dose_reference(reference, arms, agents_all, err_call)
  agents <- setdiff(agents_all, reference)
  zero_only <- agents[vapply(agents, function(a) all(arms$dose[arms$agent == a] == 0), logical(1))]
  abort_fastnma_for(zero_only, c(
    "Every agent other than the reference must be given at a positive dose.",
    "x" = "{.val {zero_only}} {cli::qty(length(zero_only))}{?is/are} given only at dose 0, the same as no agent: {?it has/they have} no dose-response.",
    "i" = "Recode {?it/them} as the reference agent {.val {reference}}, or leave {?its/their} arms out."
  ), "dose", call = err_call, agents = zero_only)
  nodes <- net$treatments
  node_agent <- sub("@[^@]*$", "", nodes)
  node_dose <- as.double(sub("^.*@", "", nodes))
  adoses <- lapply(stats::setNames(agents, agents), function(a) arms$dose[arms$agent == a])
  pos <- lapply(adoses, function(x) sort(unique(x[x > 0])))
  single <- agents[lengths(pos) == 1L]
  row_doses <- split(c(dose1, dose2), c(agent1, agent2))[agents]
  cd <- dose_common(common_dose, row_doses, agents, reference, err_call)
  spec <- dose_spec(method, param, knots, ed50, adoses, agents, err_call, ed50_class,
                    netdose = tau2_method == "netdose")

  lump <- outer(node_agent, agents, "==") * 1
  split <- diag(length(nodes))[, node_agent != reference & node_dose > 0, drop = FALSE]
  fit_A <- function(A, tau2_method, tau2 = NULL, others = FALSE) {
    res <- dose_fit_cpp(net, A, list(
      tau2_method = tau2_method, tol_tau2 = 1e-10,
      tau2_preset = if (is.null(tau2)) -1 else as.double(tau2),
      A_lump = lump, A_split = split, others = others))
    check_core_result(res, net, call = err_call)
  }
  basis <- function(ag, x, theta = spec$theta) dose_basis(spec, ag, x, agents, theta)
  if (spec$method == "fp_best") {
    spec <- dose_fp_best(spec, node_agent, node_dose, agents, fit_A, basis)
  }
  if (spec$method == "emax") {
    est <- dose_emax(spec, node_agent, node_dose, agents, fit_A, tau2_method, tau2, err_call,
                     net$codes$treat1, net$codes$treat2, net$data$estimate)
    spec <- est$spec
    res <- est$res
  } else {
    A <- basis(node_agent, node_dose)
    dose_identified(A, net, node_agent, agents, err_call)
    res <- fit_A(A, tau2_method, tau2, others = TRUE)
  }
  if (is.null(tau2) && tau2_method != "netdose") {
    announce_tau2(res, tau2_method, c(
      "i" = "tau^2 is set to 0: the dose-response model has no degrees of freedom for Q."
    ), hint = "Consider {.code tau2_method = \"DL\"}.")
  }
  if (res$rank_pinv < res$rank) {
    n_drop <- res$rank - res$rank_pinv
    cli::cli_warn(c(
      "The pseudo-inverse of the {spec$label} model dropped {n_drop} direction{?s} that the design determines.",
      "i" = "The dose transformations differ by many orders of magnitude; estimates along {cli::qty(n_drop)}{?that direction/those directions} are set to zero{if (tau2_method == 'netdose') ', as netdose does' else ''}.",
      "i" = "{if (tau2_method == 'netdose') 'With the default netdose = FALSE the columns are scaled first and every direction is fitted.' else 'Rescale the doses (e.g. to other units).'}"
    ), class = c("fastnma_warning_dose_scale", "fastnma_warning"))
  }
  pnames <- spec$pnames
  named <- function(b, V) {
    names(b) <- pnames
    dimnames(V) <- list(pnames, pnames)
    list(coef = b, cov = V)
  }
  common <- named(res$beta_common, res$cov_common)
  random <- named(res$beta_random, res$cov_random)
  if (spec$method == "emax") {
    common$coef <- est$coef_common
    random$coef <- est$coef_random
  }
  i2 <- i2_interval(res$Q, res$df, level)
  fit <- new_fastnma_result(list(
    call = call, measure = measure, method = spec$method, label = spec$label,
    spec = spec, reference = reference, agents = agents,
    treatments = c(reference, agents),
    nodes = nodes, node_agent = node_agent, node_dose = node_dose,
    doses = adoses, single_dose = single, common_dose = cd,
    network = net, arms = arms,
    data = data.frame(study = study, agent1 = agent1, dose1 = dose1,
                      agent2 = agent2, dose2 = dose2, estimate = estimate,
                      std.error = std.error, stringsAsFactors = FALSE),
    common = common, random = random,
    tau2 = res$tau2, tau2_method = if (is.null(tau2)) tau2_method else "preset",
    Q = res$Q, df = res$df, Q_random = res$Q_random,
    Q_split = res$Q_split, df_split = res$df_split,
    Q_lump = res$Q_lump, df_lump = res$df_lump,
    I2 = i2[["I2"]], rank = res$rank, n_obs = res$n_obs,
    k = length(net$studies), m = length(study), level = level,
    weights = list(common = res$w_common, random = res$w_random)
  ), "nma_dose")
  fit
}

dose_reference <- function(reference, arms, agents, call) {
  if (is.null(reference)) {
    zero <- agents[vapply(agents, function(a) all(arms$dose[arms$agent == a] == 0), logical(1))]
    if (length(zero) != 1L) {
      abort_fastnma(c(
        "{.arg reference} must name the reference agent.",
        "x" = if (length(zero)) "Several agents are given only at dose 0: {.val {zero}}." else
          "No agent is given only at dose 0 (a placebo or control)."
      ), "reference", call = call)
    }
    return(zero)
  }
  if (!is.character(reference) || length(reference) != 1L || !reference %in% agents) {
    abort_fastnma(c("{.arg reference} must be one agent of the data.",
                    "x" = "It is {.val {reference}}; the agents are {.val {agents}}."),
                  "reference", call = call)
  }
  reference
}

# The dose of each agent at which agents are compared: given, or the
# median of its doses over the comparisons (rows) that include it, as
# netdose's default `common.dose`.
dose_common <- function(common_dose, adoses, agents, reference, call) {
  cd <- vapply(adoses, stats::median, numeric(1))
  if (!is.null(common_dose)) {
    if (!is.numeric(common_dose) || is.null(names(common_dose)) ||
        any(!names(common_dose) %in% c(agents, reference)) ||
        any(!is.finite(common_dose) | common_dose < 0)) {
      abort_fastnma(c(
        "{.arg common_dose} must be a named vector of non-negative doses of agents of the data.",
        "i" = "The agents are {.val {agents}}."
      ), "dose", call = call)
    }
    given <- intersect(names(common_dose), agents)
    cd[given] <- common_dose[given]
  }
  c(stats::setNames(0, reference), cd)
}

# What the dose transformation of each agent is: method, parameters,
# knots, parameter names.
dose_spec <- function(method, param, knots, ed50, adoses, agents, call, ed50_class = NULL,
                      netdose = FALSE) {
  fp_set <- c(-2, -1, -0.5, 0, 0.5, 1, 2, 3)
  spec <- list(method = method, label = method, k = 1L, param = NULL, knots = NULL,
               theta = NULL)
  if (method %in% c("fp1", "fp2")) {
    deg <- if (method == "fp1") 1L else 2L
    if (identical(param, "best")) {
      spec$method <- "fp_best"
      spec$degree <- deg
      spec$k <- deg
      spec$param <- if (deg == 1L) -0.5 else c(-0.5, 1)
      spec$candidates <- if (deg == 1L) as.list(fp_set) else
        lapply(seq_len(36L), function(i) {
          ij <- which(upper.tri(diag(8), diag = TRUE), arr.ind = TRUE)[i, ]
          fp_set[sort(ij)]
        })
    } else {
      param <- param %||% (if (deg == 1L) -0.5 else c(-0.5, 1))
      if (!is.numeric(param) || length(param) != deg || any(!is.finite(param))) {
        abort_fastnma(c("{.arg param} must be {deg} finite power{?s} for {.val {method}}, or {.val best}.",
                        "x" = "It is {.obj_type_friendly {param}}."), "dose", call = call)
      }
      spec$param <- sort(param)
      spec$k <- deg
    }
    spec$label <- method
  } else if (method == "quadratic") {
    spec$k <- 2L
  } else if (method == "rcs") {
    probs <- c(0.1, 0.5, 0.9)
    if (is.null(knots) || (is.numeric(knots) && !is.list(knots))) {
      probs <- knots %||% probs
      if (!is.numeric(probs) || length(probs) < 3L || any(!is.finite(probs)) ||
          any(probs < 0 | probs > 1) || is.unsorted(probs, strictly = TRUE)) {
        abort_fastnma("{.arg knots} as probabilities must be at least three increasing numbers in [0, 1].",
                      "dose", call = call)
      }
      kn <- dose_knots(adoses, probs, netdose)
    } else {
      if (!is.list(knots) || is.null(names(knots)) || any(!agents %in% names(knots)) ||
          any(!vapply(knots[agents], function(k) is.numeric(k) && length(k) >= 3L &&
                                                   all(is.finite(k)), logical(1)))) {
        abort_fastnma(c("{.arg knots} must name every agent with at least three finite knots.",
                        "i" = "The agents are {.val {agents}}."), "dose", call = call)
      }
      if (length(unique(lengths(knots[agents]))) != 1L) {
        abort_fastnma("Every agent must have the same number of knots.", "dose", call = call)
      }
      kn <- lapply(knots[agents], function(k) sort(unname(k)))
    }
    spec$knots <- kn
    spec$k <- length(kn[[1]]) - 1L
  } else if (method == "emax") {
    spec$k <- 2L
    fixed <- stats::setNames(rep(NA_real_, length(agents)), agents)
    if (!is.null(ed50)) {
      if (!is.numeric(ed50) || is.null(names(ed50)) || any(!names(ed50) %in% agents) ||
          any(!is.na(ed50) & !(is.finite(ed50) & ed50 > 0))) {
        abort_fastnma(c("{.arg ed50} must be a named vector of positive ED50 values (or NA) of agents.",
                        "i" = "The agents are {.val {agents}}."), "dose", call = call)
      }
      fixed[names(ed50)] <- ed50
    }
    cls <- stats::setNames(agents, agents)
    if (!is.null(ed50_class)) {
      if (is.null(names(ed50_class)) || any(!names(ed50_class) %in% agents) ||
          anyNA(ed50_class)) {
        abort_fastnma(c("{.arg ed50_class} must be a named vector giving the class of agents.",
                        "i" = "The agents are {.val {agents}}."), "dose", call = call)
      }
      cls[names(ed50_class)] <- paste0("class:", as.character(ed50_class))
    }
    group <- match(cls, unique(cls))
    mixed <- vapply(split(fixed, group), function(f) length(unique(f)) > 1L, logical(1))
    if (any(mixed)) {
      abort_fastnma("Agents of one {.arg ed50_class} must share their fixed {.arg ed50} (or all be estimated).",
                    "dose", call = call)
    }
    gpos <- vapply(split(adoses, group), function(xs) {
      x <- unlist(xs)
      length(unique(x[x > 0]))
    }, integer(1))
    npos <- gpos[group]
    bad <- agents[is.na(fixed) & npos < 2L]
    abort_fastnma_for(bad, c(
      "The Emax model needs at least two positive doses of an agent to estimate its ED50.",
      "x" = "{.val {bad}} {cli::qty(length(bad))}{?is/are} given at one dose only.",
      "i" = "{cli::qty(length(bad))}Fix {?its/their} ED50 with {.arg ed50}, or use a one-parameter function (e.g. {.code method = \"linear\"})."
    ), "dose_identifiable", call = call, agents = bad)
    spec$ed50_fixed <- fixed
    spec$group <- group
    spec$theta <- log(ifelse(is.na(fixed),
                             vapply(adoses, function(x) stats::median(x[x > 0]), numeric(1)),
                             fixed))
  }
  spec$pnames <- dose_pnames(spec, agents)
  spec
}

# Knots of the spline of each agent at probabilities `probs` of its dose
# range, from its smallest to its largest positive dose: netdose 0.7-5 takes
# the quantiles of the grid of doses from the smallest to the largest in
# steps of one dose unit (so that its knots depend on the unit: doses below
# one unit apart give coinciding knots); the default takes the quantiles of
# the range itself, the limit of that grid as the steps shrink, which do
# not.
dose_knots <- function(adoses, probs, netdose = FALSE) {
  lapply(adoses, function(x) {
    x <- x[x > 0]
    lo <- min(x)
    hi <- max(x)
    if (netdose) unname(stats::quantile(seq(lo, hi, by = 1), probs)) else lo + probs * (hi - lo)
  })
}

dose_pnames <- function(spec, agents) {
  suffix <- switch(spec$method,
    linear = , exponential = "",
    quadratic = c(":dose", ":dose^2"),
    rcs = c(":dose", paste0(":rcs", seq_len(spec$k - 1L))),
    emax = c(":emax", ":log_ed50"),
    paste0(":fp", seq_len(spec$k))
  )
  if (spec$k == 1L) return(agents)
  as.vector(t(outer(agents, suffix, paste0)))
}

# Design rows (nodes x agents * k) of agent `ag` at dose `x`; for "emax" the
# rows of the model linearised at log ED50 = theta (columns E_max and
# log ED50, the latter scaled by E_max = 1: see dose_emax()).
dose_basis <- function(spec, ag, x, agents, theta = spec$theta, emax = NULL) {
  k <- spec$k
  n <- length(x)
  A <- matrix(0, n, k * length(agents))
  j <- match(ag, agents)
  ok <- !is.na(j) & x > 0
  if (!any(ok)) return(A)
  xx <- x[ok]
  G <- switch(spec$method,
    linear = cbind(xx),
    exponential = cbind(1 - exp(-xx)),
    quadratic = cbind(xx, xx^2),
    fp1 = , fp2 = , fp_best = fp_terms(xx, spec$param),
    rcs = rcs_terms(xx, spec$knots[ag[ok]]),
    emax = {
      e <- exp(theta[j[ok]])
      em <- if (is.null(emax)) rep(1, length(xx)) else emax[j[ok]]
      cbind(xx / (e + xx), -em * xx * e / (e + xx)^2)
    }
  )
  rows <- which(ok)
  for (c in seq_len(k)) A[cbind(rows, (j[ok] - 1L) * k + c)] <- G[, c]
  A
}

fp_terms <- function(x, p) {
  pw <- function(x, p) if (p == 0) log(x) else x^p
  if (length(p) == 1L) return(cbind(pw(x, p)))
  if (p[1] == p[2]) return(cbind(pw(x, p[1]), pw(x, p[1]) * log(x)))
  cbind(pw(x, p[1]), pw(x, p[2]))
}

# Harrell's restricted cubic spline basis, nonlinear terms divided by
# (t_k - t_1)^2; agents whose knots are not distinct keep x alone.
rcs_terms <- function(x, knots) {
  nk <- length(knots[[1]])
  out <- matrix(0, length(x), nk - 1L)
  out[, 1] <- x
  for (i in seq_along(x)) {
    t <- knots[[i]]
    if (any(diff(t) <= 0)) next
    tk <- t[nk]
    tk1 <- t[nk - 1L]
    for (j in seq_len(nk - 2L)) {
      pp <- function(z) max(z, 0)^3
      out[i, j + 1L] <- (pp(x[i] - t[j]) - pp(x[i] - tk1) * (tk - t[j]) / (tk - tk1) +
                           pp(x[i] - tk) * (tk1 - t[j]) / (tk - tk1)) / (tk - t[1])^2
    }
  }
  out
}

# The effect of an agent at its observed doses must be determined by the
# design: nodes whose design row has a component in the null space of X'X
# (columns scaled to unit length) are not.
dose_identified <- function(A, net, node_agent, agents, call) {
  X <- A[net$codes$treat1, , drop = FALSE] - A[net$codes$treat2, , drop = FALSE]
  s <- sqrt(colSums(X^2))
  keep <- s > 0
  if (!any(keep)) {
    abort_fastnma("No comparison of the data informs a dose-response coefficient.",
                  "dose_identifiable", call = call, agents = agents)
  }
  Xs <- sweep(X[, keep, drop = FALSE], 2, s[keep], "/")
  es <- eigen(crossprod(Xs), symmetric = TRUE)
  null <- es$vectors[, es$values < 1e-10 * max(es$values), drop = FALSE]
  if (!ncol(null)) return(invisible(TRUE))
  As <- sweep(A[, keep, drop = FALSE], 2, s[keep], "/")
  scale <- pmax(sqrt(rowSums(As^2)), 1e-300)
  bad_nodes <- which(apply(abs(As %*% null), 1, max) / scale > 1e-6)
  bad <- unique(node_agent[bad_nodes])
  abort_fastnma_for(bad, c(
    "The dose-response model is not identifiable from these data.",
    "x" = "{cli::qty(length(bad))}The effect{?s} of {.val {bad}} relative to the reference cannot be estimated: no chain of comparisons (or of doses) links {?it/them} to the reference.",
    "i" = "The network may be disconnected; fit its parts separately or add studies that link them."
  ), "dose_identifiable", call = call, agents = bad)
  invisible(TRUE)
}

# FP powers chosen by the smallest common-effect Q.
dose_fp_best <- function(spec, node_agent, node_dose, agents, fit_A, basis) {
  Qs <- vapply(spec$candidates, function(p) {
    s <- spec
    s$param <- p
    fit_A(dose_basis(s, node_agent, node_dose, agents), "DL", 0)$Q
  }, numeric(1))
  spec$param <- spec$candidates[[which.min(Qs)]]
  spec$method <- if (spec$degree == 1L) "fp1" else "fp2"
  spec$label <- paste0(spec$method, " (best powers)")
  spec$candidate_Q <- Qs
  spec$pnames <- dose_pnames(spec, agents)
  spec
}

# Emax by maximum likelihood: log ED50 profiled (the model is linear in
# E_max given ED50), first with common effects, then, tau^2 estimated from
# the model linearised at that optimum, again with tau^2 fixed.
dose_emax <- function(spec, node_agent, node_dose, agents, fit_A, tau2_method, tau2, call,
                      codes1, codes2, yy) {
  group <- spec$group
  free_g <- unique(group[is.na(spec$ed50_fixed)])
  free <- which(group %in% free_g)
  # one log ED50 per class: the first agent of each class carries it
  first_of <- match(seq_len(max(group)), group)
  expand <- function(theta, par) {
    theta[group %in% free_g] <- par[match(group[group %in% free_g], free_g)]
    theta
  }
  fold <- function(A) {
    for (g in unique(group[duplicated(group)])) {
      m <- which(group == g)
      A[, 2L * m[1]] <- rowSums(A[, 2L * m, drop = FALSE])
      A[, 2L * m[-1]] <- 0
    }
    A
  }
  unfold_cov <- function(V) {
    for (g in unique(group[duplicated(group)])) {
      m <- which(group == g)
      for (j in m[-1]) {
        V[2L * j, ] <- V[2L * m[1], ]
        V[, 2L * j] <- V[, 2L * m[1]]
      }
    }
    V
  }
  design_emax <- function(theta) {
    A <- dose_basis(spec, node_agent, node_dose, agents, theta)
    A[, seq(1L, ncol(A), by = 2L), drop = FALSE]
  }
  rng <- vapply(free_g, function(g) {
    x <- node_dose[node_agent %in% agents[group == g] & node_dose > 0]
    c(log(min(x)) - log(1e3), log(max(x)) + log(1e3))
  }, numeric(2))
  optimise_theta <- function(theta, t2) {
    if (!length(free)) return(theta)
    # Profile Q over log ED50 (E_max at its GLS value given ED50); its
    # gradient is the partial derivative at that E_max (envelope theorem):
    # -2 r'W dX/dlogED50.
    cache <- new.env()
    eval_at <- function(par) {
      if (!is.null(cache$par) && identical(cache$par, par)) return(cache)
      th <- expand(theta, par)
      A <- design_emax(th)
      r <- fit_A(A, "DL", t2)
      b <- if (t2 > 0) r$beta_random else r$beta_common
      w <- if (t2 > 0) r$w_random else r$w_common
      J <- dose_basis(spec, node_agent, node_dose, agents, th, emax = b)
      Jt <- J[, 2L * seq_along(agents), drop = FALSE]
      X <- A[codes1, , drop = FALSE] - A[codes2, , drop = FALSE]
      Xt <- Jt[codes1, , drop = FALSE] - Jt[codes2, , drop = FALSE]
      res <- yy - as.vector(X %*% b)
      cache$par <- par
      cache$Q <- if (t2 > 0) r$Q_random else r$Q
      ga <- -2 * colSums(w * res * Xt)
      cache$grad <- as.vector(tapply(ga[free], factor(group[free], levels = free_g), sum))
      cache
    }
    o <- stats::optim(theta[first_of[free_g]], function(p) eval_at(p)$Q,
                      function(p) eval_at(p)$grad,
                      method = "L-BFGS-B", lower = rng[1, ], upper = rng[2, ],
                      control = list(factr = 1e3, pgtol = 1e-10, maxit = 500))
    expand(theta, o$par)
  }
  theta0 <- optimise_theta(expand(spec$theta, spec$theta[first_of[free_g]]), 0)
  # `common`: E_max of the common-effect model (tau^2 = 0), whatever `t2`,
  # which here only sets the tau^2 of the fit of the linearised model.
  lin_fit <- function(theta, t2, others = FALSE, common = FALSE) {
    r0 <- fit_A(design_emax(theta), "DL", if (is.null(t2) || common) 0 else t2)
    E <- if (common || is.null(t2) || t2 == 0) r0$beta_common else r0$beta_random
    A <- dose_basis(spec, node_agent, node_dose, agents, theta, emax = E)
    # Fixed ED50: its column is left out of the information.
    drop <- 2L * (seq_along(agents)[!is.na(spec$ed50_fixed)])
    if (length(drop)) A[, drop] <- 0
    res <- fit_A(fold(A), tau2_method, t2, others)
    res$cov_common <- unfold_cov(res$cov_common)
    res$cov_random <- unfold_cov(res$cov_random)
    list(E = E, res = res)
  }
  first <- lin_fit(theta0, tau2, common = TRUE)
  t2 <- if (is.null(tau2)) first$res$tau2 else tau2
  theta1 <- if (t2 > 0) optimise_theta(theta0, t2) else theta0
  second <- lin_fit(theta1, t2, others = TRUE)
  res <- second$res
  res$tau2 <- t2
  res[c("tau2_converged", "tau2_identifiable", "tau2_iterations")] <-
    first$res[c("tau2_converged", "tau2_identifiable", "tau2_iterations")]
  # The common model's numbers at the common-effect optimum.
  res$beta_common <- first$res$beta_common
  res$cov_common <- first$res$cov_common
  res$Q <- first$res$Q
  res$w_common <- first$res$w_common
  coef_of <- function(E, theta) as.vector(rbind(E, theta))
  spec$theta_common <- theta0
  spec$theta_random <- theta1
  spec$emax_common <- first$E
  spec$emax_random <- second$E
  list(spec = spec, res = res,
       coef_common = stats::setNames(coef_of(first$E, theta0), spec$pnames),
       coef_random = stats::setNames(coef_of(second$E, theta1), spec$pnames))
}

# Results --------------------------------------------------------------------

# Effects of agents `agent` at doses `dose` relative to the reference, in
# model `model`: estimates and the rows L (gradients in the coefficients)
# whose L V L' is their covariance.
dose_effects <- function(x, model, agent, dose) {
  spec <- x$spec
  if (x$method == "emax") {
    theta <- spec[[paste0("theta_", model)]]
    E <- spec[[paste0("emax_", model)]]
    L <- dose_basis(spec, agent, dose, x$agents, theta, emax = E)
    drop <- 2L * (seq_along(x$agents)[!is.na(spec$ed50_fixed)])
    if (length(drop)) L[, drop] <- 0
    j <- match(agent, x$agents)
    est <- ifelse(is.na(j) | dose <= 0, 0, E[j] * dose / (exp(theta[j]) + dose))
  } else {
    L <- dose_basis(spec, agent, dose, x$agents)
    est <- as.vector(L %*% x[[model]]$coef)
  }
  list(estimate = est, L = L)
}

# Comparison rows: agent1 at dose1 relative to agent2 at dose2.
dose_contrast_rows <- function(x, model, agent1, dose1, agent2, dose2, level,
                               prediction = FALSE) {
  e1 <- dose_effects(x, model, agent1, dose1)
  e2 <- dose_effects(x, model, agent2, dose2)
  est <- e1$estimate - e2$estimate
  w <- wald_columns(est, level = level, L = e1$L - e2$L, V = x[[model]]$cov)
  se <- w$std.error
  out <- data.frame(treat1 = agent1, dose1 = dose1, treat2 = agent2, dose2 = dose2, w,
                    stringsAsFactors = FALSE)
  if (prediction && model == "random") {
    df <- x$df
    q <- if (df > 1) stats::qt(1 - (1 - level) / 2, df - 1) else NA_real_
    s <- sqrt(se^2 + x$tau2)
    out$pred.low <- est - q * s
    out$pred.high <- est + q * s
  }
  out
}

# Every pair of agents at their common doses, canonical orientation
# (the later agent in the order reference, others sorted, relative to the
# earlier one).
dose_pairs <- function(x, model, level, comparisons = "all") {
  trt <- x$treatments
  ij <- if (comparisons == "reference") cbind(seq_along(trt)[-1], 1L) else
    which(lower.tri(diag(length(trt))), arr.ind = TRUE)
  ij <- ij[order(ij[, 2], ij[, 1]), , drop = FALSE]
  a1 <- trt[ij[, 1]]
  a2 <- trt[ij[, 2]]
  cd <- x$common_dose
  dose_contrast_rows(x, model, a1, unname(cd[a1]), a2, unname(cd[a2]), level,
                     prediction = TRUE)
}

dose_coef_rows <- function(x, model, level) {
  f <- x[[model]]
  k <- x$spec$k
  par <- if (k == 1L) rep(x$method, length(x$agents)) else
    rep(sub("^:", "", switch(x$method,
      quadratic = c(":dose", ":dose^2"),
      rcs = c(":dose", paste0(":rcs", seq_len(k - 1L))),
      emax = c(":emax", ":log_ed50"),
      paste0(":fp", seq_len(k)))), length(x$agents))
  data.frame(term = names(f$coef), agent = rep(x$agents, each = k), parameter = par,
             wald_columns(unname(f$coef), sqrt(pmax(unname(diag(f$cov)), 0)), level),
             stringsAsFactors = FALSE)
}

#' Tidy, glance and predict a dose-response network meta-analysis
#'
#' @inheritParams nma-tidiers
#' @param x,object A fit made by [dose_nma()].
#' @param type For `tidy()`: `"coefficients"` (the dose-response parameters
#'   of every agent; for Emax, `emax` and `log_ed50`), `"reference"` (every
#'   agent at its common dose relative to the reference) or `"pairs"` (every
#'   pair of agents at their common doses).
#' @param exponentiate Whether to report ratio measures on the ratio scale
#'   (not for `type = "coefficients"`).
#' @param agent,dose For `predict()`: agents and doses (recycled) at which the
#'   effect relative to the reference is wanted; by default every agent on a
#'   grid of 50 doses from 0 to its largest dose. `newdata`: a data frame with
#'   columns `agent` and `dose` instead.
#' @param newdata See `agent`.
#' @param level Confidence level of `predict()`.
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument`.
#' @return Tibbles. `predict()` has `agent, dose, estimate, std.error,
#'   conf.low, conf.high` and, for the random model, `pred.low, pred.high`.
#' @name nma_dose-tidiers
NULL

#' @rdname nma_dose-tidiers
#' @method tidy nma_dose
#' @export
tidy.nma_dose <- tidy_by_type(
  c("coefficients", "reference", "pairs"),
  function(x, model, type, level, exponentiate, call) {
    if (type == "coefficients") {
      if (exponentiate) {
        abort_fastnma("{.arg exponentiate} applies to effects, not to dose-response coefficients.",
                      "exponentiate", call = call)
      }
      return(dose_coef_rows(x, model, level))
    }
    out <- dose_pairs(x, model, level, if (type == "pairs") "all" else "reference")
    if (exponentiate) exponentiate_columns(out) else out
  })

#' @rdname nma_dose-tidiers
#' @method glance nma_dose
#' @export
glance.nma_dose <- function(x, model = c("random", "common"), ...) {
  netmeta_guard()
  check_dots_empty(...)
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  tau2 <- if (model == "common") 0 else x$tau2
  as_glance(data.frame(
    model = model, dose_method = x$label, reference = x$reference,
    tau2 = tau2, tau = sqrt(tau2),
    tau2_method = if (model == "common") "none" else x$tau2_method,
    I2 = x$I2, Q = x$Q, df = x$df, p.value = q_pvalue(x$Q, x$df),
    Q_split = x$Q_split, df_split = x$df_split,
    Q_vs_split = x$Q - x$Q_split, df_vs_split = x$df - x$df_split,
    p_value_vs_split = q_pvalue(x$Q - x$Q_split, x$df - x$df_split),
    Q_lump = x$Q_lump, df_lump = x$df_lump,
    k = x$k, m = x$m, n_agents = length(x$treatments), n_nodes = length(x$nodes),
    nobs = x$m, stringsAsFactors = FALSE
  ))
}

#' @rdname nma_dose-tidiers
#' @export
predict.nma_dose <- function(object, newdata = NULL, agent = NULL, dose = NULL,
                             model = c("random", "common"), level = object$level,
                             exponentiate = FALSE, ...) {
  netmeta_guard()
  check_dots_empty(...)
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  check_level(level)
  exponentiate <- resolve_exponentiate(exponentiate, object$measure)
  if (!is.null(newdata)) {
    check_data_frame(newdata)
    if (!all(c("agent", "dose") %in% names(newdata))) {
      abort_fastnma(c("{.arg newdata} must have columns {.field agent} and {.field dose}.",
                      "x" = "Its columns are {.field {names(newdata)}}."), "column")
    }
    agent <- newdata$agent
    dose <- newdata$dose
  }
  if (is.null(agent) && is.null(dose)) {
    g <- dose_grid(object)
    agent <- g$agent
    dose <- g$dose
  }
  agent <- as.character(agent %||% object$agents)
  if (is.null(dose)) dose <- unname(object$common_dose[agent])
  bad <- setdiff(agent, object$treatments)
  if (length(bad)) {
    abort_fastnma(c("{.arg agent} must name agents of the fit.",
                    "x" = "Not in the fit: {.val {bad}}.",
                    "i" = "The agents are {.val {object$treatments}}."), "dose")
  }
  if (!is.numeric(dose) || any(!is.finite(dose) | dose < 0)) {
    abort_fastnma("{.arg dose} must be finite non-negative numbers.", "dose")
  }
  n <- max(length(agent), length(dose))
  agent <- rep_len(agent, n)
  dose <- rep_len(as.double(dose), n)
  out <- dose_contrast_rows(object, model, agent, dose, rep(object$reference, n),
                            rep(0, n), level, prediction = TRUE)
  out <- data.frame(agent = agent, dose = dose,
                    out[setdiff(names(out), c("treat1", "dose1", "treat2", "dose2",
                                              "statistic", "p.value"))],
                    stringsAsFactors = FALSE)
  if (exponentiate) out <- exponentiate_columns(out)
  as_tidy(out, model = model)
}

dose_grid <- function(x, n = 50L) {
  g <- lapply(x$agents, function(a) {
    top <- max(x$doses[[a]])
    data.frame(agent = a, dose = seq(0, top, length.out = n), stringsAsFactors = FALSE)
  })
  do.call(rbind, g)
}

#' @export
coef.nma_dose <- function(object, model = c("random", "common"), ...) {
  netmeta_guard()
  check_dots_empty(...)
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  object[[model]]$coef
}

#' @export
vcov.nma_dose <- function(object, model = c("random", "common"), ...) {
  netmeta_guard()
  check_dots_empty(...)
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  object[[model]]$cov
}

#' @export
nobs.nma_dose <- function(object, ...) {
  netmeta_guard()
  object$m
}

#' @export
print.nma_dose <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_empty(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  width <- getOption("width", 80L)
  cat(strwrap(sprintf("Dose-response network meta-analysis (%s): %d studies, %d comparisons, %d agents at %d agent-dose nodes; reference %s.",
                      x$label, x$k, x$m, length(x$treatments), length(x$nodes), x$reference),
              width = width), sep = "\n")
  fmt <- function(v) formatC(v, digits = digits, format = "fg")
  cat(strwrap(sprintf("Random effects: tau^2 = %s (%s), tau = %s. Q = %s on %d df (%s).",
                      fmt(x$tau2), x$tau2_method, fmt(sqrt(x$tau2)), format_num(x$Q, 2),
                      as.integer(x$df), format_pvalue(q_pvalue(x$Q, x$df), header = TRUE)),
              width = width), sep = "\n")
  if (!is.na(x$Q_split) && x$df - x$df_split > 0) {
    cat(strwrap(sprintf("Against the standard NMA (every agent-dose a node): Q = %s on %d df (%s).",
                        format_num(x$Q - x$Q_split, 2), as.integer(x$df - x$df_split),
                        format_pvalue(q_pvalue(x$Q - x$Q_split, x$df - x$df_split),
                                      header = TRUE)),
                width = width), sep = "\n")
  }
  cat("\n")
  rows <- dose_pairs(x, "random", x$level, "reference")
  lab <- if (exponentiate) paste0(x$measure, " (", format(100 * x$level), "% CI)") else
    paste0("Estimate (", format(100 * x$level), "% CI)")
  f <- function(v) if (exponentiate) exp(v) else v
  ci <- paste0(formatC(f(rows$estimate), digits = digits, format = "fg", flag = "#"),
               " (", formatC(f(rows$conf.low), digits = digits, format = "fg", flag = "#"),
               ", ", formatC(f(rows$conf.high), digits = digits, format = "fg", flag = "#"), ")")
  tab <- data.frame(Agent = rows$treat1,
                    Dose = formatC(rows$dose1, digits = 4, format = "fg"),
                    Effect = ci, stringsAsFactors = FALSE)
  names(tab)[3] <- lab
  cat(strwrap(sprintf("Each agent at its common dose vs %s (random effects):", x$reference),
              width = width), sep = "\n")
  tab$Agent <- abbreviate_to(tab$Agent, max(8L, width - 2L - max(nchar(tab$Dose)) - max(nchar(ci), nchar(lab)) - 4L))
  print(tab, row.names = FALSE, right = FALSE)
  if (length(x$single_dose) && x$spec$k > 1L) {
    cat("\n")
    cat(strwrap(sprintf("Given at one dose only (the curve is determined at that dose alone): %s.",
                        paste(x$single_dose, collapse = ", ")), width = width), sep = "\n")
  }
  invisible(x)
}

abbreviate_to <- function(x, n) {
  n <- max(4L, n)
  long <- nchar(x) > n
  x[long] <- paste0(substr(x[long], 1L, n - 1L), "~")
  x
}

#' Simulate a dose-response network from declared Emax curves
#'
#' Simulates studies comparing placebo (dose 0) with agents at several doses,
#' in which the effect of agent \eqn{a} at dose \eqn{x} relative to placebo
#' is \eqn{E_{\max,a} x / (ED_{50,a} + x)}. **Every value is simulated**: the
#' result carries `attr(, "simulated") = TRUE` and the declared truth
#' (`attr(, "truth")`). Use it to check that [dose_nma()] recovers a declared
#' dose-response; never as evidence about any agent.
#'
#' Each study has a placebo arm and one or two arms of agents, each at a dose
#' drawn from the agent's dose set (`doses`, by default the declared
#' \eqn{ED_{50}} times 0.25, 0.5, 1, 2, 4 and 8). Arm means are drawn as
#' \eqn{\bar y_{sj} \sim N(\mu_s + f_{a_j}(x_j) + b_{sj}, \sigma^2 / n_{sj})}
#' with \eqn{b_{sj} \sim N(0, \tau^2 / 2)} for every arm (so every contrast
#' has between-study variance \eqn{\tau^2}, two contrasts of one study
#' sharing an arm covariance \eqn{\tau^2 / 2}), arm sizes uniform on
#' `n_range`; the result has every pairwise contrast of every
#' study with its standard error \eqn{\sigma \sqrt{1/n_1 + 1/n_2}}.
#'
#' @param seed Random seed (the global random state is left as it was).
#' @param n_studies Number of studies.
#' @param emax,ed50 Named vectors of the declared \eqn{E_{\max}} and
#'   \eqn{ED_{50}} of each agent (same names).
#' @param doses Named list of the doses each agent is given at, or `NULL`.
#' @param tau Between-study SD of the contrasts.
#' @param sigma Within-arm SD.
#' @param n_range Range of arm sizes.
#' @param p_three Probability that a study has two agent arms (three arms).
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @return A data frame of contrasts: `study, agent1, dose1, agent2, dose2,
#'   estimate, std.error`, with attributes `simulated` and `truth` (a data
#'   frame `agent, emax, ed50`).
#' @seealso [dose_nma()].
#' @examples
#' d <- simulate_dose_nma(seed = 2, n_studies = 30)
#' head(d)
#' attr(d, "truth")
#' @export
simulate_dose_nma <- function(seed, n_studies = 200L,
                              emax = c(A = -1.5, B = -1.0, C = -2.0),
                              ed50 = c(A = 2, B = 10, C = 50), doses = NULL,
                              tau = 0, sigma = 2, n_range = c(30L, 120L),
                              p_three = 0.2, ...) {
  netmeta_guard(dots_empty = TRUE)
  if (missing(seed) || !is.numeric(seed) || length(seed) != 1L || !is.finite(seed)) {
    abort_fastnma("{.arg seed} must be a single finite number.", "seed")
  }
  if (!is.numeric(emax) || !is.numeric(ed50) || is.null(names(emax)) ||
      !setequal(names(emax), names(ed50)) || any(!is.finite(emax)) ||
      any(!(is.finite(ed50) & ed50 > 0))) {
    abort_fastnma("{.arg emax} and {.arg ed50} must be named numeric vectors with the same agents (ED50 positive).",
                  "dose")
  }
  ed50 <- ed50[names(emax)]
  agents <- names(emax)
  doses <- doses %||% lapply(stats::setNames(ed50, agents), function(e) e * c(0.25, 0.5, 1, 2, 4, 8))
  f <- function(a, x) ifelse(a == "plac", 0, emax[a] * x / (ed50[a] + x))
  out <- vector("list", n_studies)
  with_seed(seed, for (s in seq_len(n_studies)) {
    n_act <- if (stats::runif(1) < p_three) 2L else 1L
    ag <- c("plac", sample(agents, n_act, replace = n_act > length(agents)))
    x <- c(0, vapply(ag[-1], function(a) doses[[a]][sample.int(length(doses[[a]]), 1L)], numeric(1)))
    dup <- duplicated(paste(ag, x))
    ag <- ag[!dup]
    x <- x[!dup]
    n <- sample(seq(n_range[1], n_range[2]), length(ag), replace = TRUE)
    y <- stats::rnorm(1) + f(ag, x) + stats::rnorm(length(ag), 0, tau / sqrt(2)) +
      stats::rnorm(length(ag), 0, sigma / sqrt(n))
    pr <- utils::combn(length(ag), 2L)
    out[[s]] <- data.frame(study = sprintf("S%03d", s), agent1 = ag[pr[2, ]], dose1 = x[pr[2, ]],
                           agent2 = ag[pr[1, ]], dose2 = x[pr[1, ]],
                           estimate = y[pr[2, ]] - y[pr[1, ]],
                           std.error = sigma * sqrt(1 / n[pr[2, ]] + 1 / n[pr[1, ]]),
                           stringsAsFactors = FALSE)
  })
  d <- do.call(rbind, out)
  rownames(d) <- NULL
  structure(d, simulated = TRUE,
            truth = data.frame(agent = agents, emax = unname(emax), ed50 = unname(ed50),
                               stringsAsFactors = FALSE))
}

#' Fit a contrast-based network meta-analysis
#'
#' Fits the common-effect and the random-effects network meta-analysis models
#' of Rücker (2012) to contrast-level data. Multi-arm studies are given as all
#' of their pairwise contrasts; their within-study covariance is reconstructed
#' from the pair variances (back-solved arm variances, the reduced-weights
#' construction of Rücker & Schwarzer 2014). All computation happens in a
#' compiled core: the Laplacian of the network is assembled study by study,
#' grounded at the reference treatment and solved with one Cholesky
#' factorisation per value of \eqn{\tau^2}.
#'
#' @section Model:
#' For a study with arms \eqn{a_0 < a_1 < \dots < a_{p-1}} (in treatment
#' order) the basic contrasts \eqn{d_j = y_{a_j} - y_{a_0}} follow
#' \deqn{d \sim N(C\theta, S + \tau^2 R), \quad R = (I + J)/2,}
#' a common heterogeneity variance with correlation 1/2 between the contrasts
#' of one study. `S` holds the within-study covariance.
#'
#' @section Heterogeneity estimators:
#' * `"DL"`: the generalised method-of-moments estimator of Jackson, White and
#'   Riley (2012), \eqn{\hat\tau^2 = \max\{0, (Q - df) / (\mathrm{tr}(WR) -
#'   \mathrm{tr}(L^{-1}C'WRWC))\}}; the estimator netmeta reports.
#' * `"REML"`, `"ML"`: (restricted) maximum likelihood for the model above,
#'   the fit of `metafor::rma.mv(yi, V, mods, random = ~ contrast | study,
#'   struct = "CS", rho = 0.5)`. The optimum is found on a grid of the
#'   log-likelihood (including the boundary \eqn{\tau^2 = 0}) and refined as
#'   the root of the score with Brent's method.
#' * `"PM"`: Paule-Mandel, the \eqn{\tau^2} at which the generalised Q equals
#'   its degrees of freedom.
#'
#' For arm-level data (through [arm_contrasts()]) the REML and ML estimates
#' agree with netmeta's. For multi-arm studies supplied as contrasts, netmeta
#' fits REML/ML to a reduced-weights approximation of this likelihood and its
#' estimates can differ slightly (for the Senn et al. (2013) network netmeta
#' reports a REML \eqn{\tau^2} of 0.1011; the exact likelihood, and
#' `metafor::rma.mv`, give 0.0999). fastnma fits the exact likelihood.
#'
#' The REML log-likelihood reported by [logLik()] includes, as metafor's
#' does, the constant \eqn{\frac12 \log|X'X|} of the design of basic
#' contrasts. For multi-arm studies it depends on which arm is the base of
#' the study's contrasts (the first in sorted treatment order), so renaming
#' treatments can shift the REML log-likelihood by a constant; the estimates,
#' \eqn{\tau^2} and the ML log-likelihood do not change.
#'
#' When Q has no degrees of freedom (a single study, a tree of studies, a
#' star with one study per edge) the data carry no information on
#' \eqn{\tau^2}: the likelihood is flat and the moment estimators are
#' undefined. Every estimator then gives \eqn{\tau^2 = 0}, as netmeta does,
#' with a message (class `fastnma_message_tau2_not_identifiable`), and
#' `fit$tau2_info$identifiable` is `FALSE`; the same rule applies wherever
#' \eqn{\tau^2} is re-estimated on a reduced network ([leave_one_out()],
#' [node_split()] with `method = "separate"`).
#'
#' @section Intervals and tests:
#' Wald intervals use the normal quantile. Hartung-Knapp intervals
#' (`ci_method = "hk"`) multiply the random-effects variances by
#' \eqn{Q(\hat\tau^2)/df}, the generalised Q at the estimate over its degrees
#' of freedom, and use the t distribution with \eqn{df} degrees of freedom
#' (with `nma_control(hk_adhoc = TRUE)` the factor is not allowed below 1).
#' Prediction intervals are \eqn{\hat\theta \pm t_{df}
#' \sqrt{se^2 + \hat\tau^2}}, with \eqn{df} the degrees of freedom of Q, as in
#' netmeta. \eqn{I^2 = (Q - df)/Q} with the interval of Higgins and Thompson
#' (2002) based on \eqn{H = \sqrt{Q/df}}. Q is split into heterogeneity within
#' designs and inconsistency between designs (Krahn, Binder and König 2013).
#'
#' @section Orientation:
#' Every comparison has one canonical direction, used by every verb, print
#' and figure. Treatments are ordered with the reference first, then the
#' others in the fit's treatment order: `order` when given, else the levels
#' of factor treatment columns, else sorted labels. For a pair of treatments the
#' canonical comparison is the later one relative to the earlier one, so
#' every comparison with the reference reads "X vs reference". `treat1` is
#' always the treatment whose effect is reported relative to `treat2`, and a
#' comparison is labelled `"treat1 vs treat2"` (the `term` of [tidy()]).
#' Rows of all pairs are ordered by `treat2`, then `treat1`, in canonical
#' order. [node_split()], [direct_estimates()], [league_table()],
#' [contributions()] and [leave_one_out()] follow the same rule; the column
#' names of every result are listed in [fastnma_glossary()].
#'
#' @param data A data frame of contrasts, one row per pair of arms of a study
#'   (all pairs of a multi-arm study), for instance from [arm_contrasts()];
#'   or a network made by [nma_network()] (then its columns and measure are
#'   used and the column arguments are ignored); or netmeta's `pairwise`
#'   table or `netmeta` fit (their contrasts and settings, see
#'   [netmeta_objects]).
#' @param estimate,std.error,treat1,treat2,study Columns of `data` (bare names
#'   or strings): the effect of `treat1` relative to `treat2` (log scale for
#'   ratio measures), its standard error, the two treatments and the study
#'   label. The defaults match the columns of an `nma_contrasts` table.
#' @param measure The effect measure: `"MD"`, `"SMD"`, `"RR"`, `"OR"`, `"RD"`,
#'   `"IRR"`, `"ROM"` or `"HR"`, in any case (`"or"` is `"OR"`), or a label
#'   of your own declared with [custom_measure()]; any other string is an
#'   error of class `fastnma_error_unknown_measure` that says how to declare
#'   it. Taken from `data` when it is an `nma_contrasts` table
#'   (see [nma_contrasts]); giving a different one is an error of class
#'   `fastnma_error_metadata`, as is a contrast table that has lost its
#'   measure when `measure` is not given. For a plain data frame without a
#'   `measure` attribute the default is the neutral label `"generic"`.
#'   Ratio measures (OR, RR, HR, IRR, ROM) are analysed on the log scale.
#' @param reference The reference treatment. Defaults to the first treatment
#'   in the treatment order (see `order`). Treatment labels are case-sensitive: a label that is
#'   not in the network is an error of class `fastnma_error_reference`,
#'   which suggests the closest label ("did you mean") when one differs
#'   only by case or by a typo (`e$suggestion`).
#' @param tau2_method Estimator of the heterogeneity variance: `"REML"`
#'   (default), `"DL"`, `"ML"` or `"PM"`, in any case (`"dl"` is `"DL"`;
#'   netmeta's default is `"DL"`). Ignored when `tau2` is given.
#' @param tau2 `NULL` (default: estimate \eqn{\tau^2} with `tau2_method`) or
#'   a single finite non-negative number: a preset heterogeneity variance. The
#'   random-effects model is then evaluated at this value without estimation,
#'   and the fit reports `tau2_method = "preset"`. netmeta's `tau.preset`
#'   takes \eqn{\tau} (the square root), so `tau2 = v` matches
#'   `netmeta(..., tau.preset = sqrt(v))`. Diagnostics of a preset fit
#'   ([node_split()], [leave_one_out()]) keep the preset value rather than
#'   re-estimate it. A negative, missing or infinite value is an error of
#'   class `fastnma_error_tau2`.
#' @param ci_method `"wald"` (default) or `"hk"` (Hartung-Knapp) for the
#'   random-effects model, in any case.
#' @param level Confidence level of intervals.
#' @param control Options of the fit, see [nma_control()].
#' @param small_values `"desirable"` (default; small effects are good, as for
#'   a harmful outcome or a reduction of symptoms) or `"undesirable"` (large
#'   effects are good, as for a response or cessation). Stored in the fit
#'   (`fit$small_values`) and used by default by [rank_treatments()], the
#'   ranking column of the forest plot ([autoplot.nma()]) and
#'   [benefit_harm()]; each can override it per call.
#' @param order The treatment order (a character vector naming every
#'   treatment once), which sets the canonical direction of every comparison
#'   (see Orientation): the reference first (the first of `order` unless
#'   `reference` names another), then the others in this order, each
#'   comparison reading "later vs earlier". Without it, factor treatment
#'   columns set the order by their levels, and otherwise labels are sorted.
#'   netmeta's `seq` is this argument.
#' @param treat netmeta's name for the treatment columns, never used: giving
#'   it is an error of class `fastnma_error_netmeta_argument` that names
#'   `treat1` and `treat2`. (It is an argument only so that R does not take
#'   `treat =`, by partial matching, for `treat1` or `treat2`.)
#' @param by Optional column of `data` (bare name or string) that splits it
#'   into separate networks, for instance the replicates of a simulation
#'   study: all of them are fitted in one compiled call and the result is a
#'   collection of class `nma_batch` (see [nma_batch]). The default `NULL`
#'   fits one network.
#' @param batch Options of the batch path, made by [batch_control()] (lean
#'   results, rankings computed with the fits, what to do with networks that
#'   cannot be fitted, parallel runs through the future framework). Used
#'   only with `by`.
#' @param na `"fail"` (default) or `"drop"`: what to do with contrast rows
#'   whose estimate or standard error is missing. `"fail"` stops with an
#'   error of class `fastnma_error_missing` naming the column and the
#'   studies; `"drop"` leaves those rows out with a warning (class
#'   `fastnma_warning_na_dropped`) that lists them, as netmeta does with
#'   rows of missing `TE` or `seTE`. A multi-arm study that loses some of its
#'   contrasts is then incomplete: an error of class
#'   `fastnma_error_multiarm`.
#' @param ... Unused; must be empty. netmeta's argument names (`TE`,
#'   `seTE`, `studlab`, `sm`, `reference.group`, `method.tau`, ...) get an
#'   error of class `fastnma_error_netmeta_argument` naming the argument to
#'   use (see [netmeta_arguments]).
#'
#' @return An object of class `nma`: treatment effects against the reference
#'   and their covariance for the common-effect and random-effects models,
#'   \eqn{\tau^2}, Q and its decomposition, \eqn{I^2}. Use [tidy()],
#'   [glance()], [coef()], [vcov()], [confint()] and `summary()` to read it.
#'
#' @references
#' Rücker G (2012). Network meta-analysis, electrical networks and graph
#' theory. *Research Synthesis Methods* 3(4):312-324. \doi{10.1002/jrsm.1058}
#'
#' Rücker G, Schwarzer G (2014). Reduce dimension or reduce weights?
#' Comparing two approaches to multi-arm studies in network meta-analysis.
#' *Statistics in Medicine* 33(25):4353-4369. \doi{10.1002/sim.6236}
#'
#' Jackson D, White IR, Riley RD (2012). Quantifying the impact of
#' between-study heterogeneity in multivariate meta-analyses. *Statistics in
#' Medicine* 31(29):3805-3820. \doi{10.1002/sim.5453}
#'
#' Krahn U, Binder H, König J (2013). A graphical tool for locating
#' inconsistency in network meta-analyses. *BMC Medical Research Methodology*
#' 13:35. \doi{10.1186/1471-2288-13-35}
#'
#' Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a
#' meta-analysis. *Statistics in Medicine* 21(11):1539-1558.
#' \doi{10.1002/sim.1186}
#'
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study,
#'            measure = "MD", reference = "plac")
#' fit
#' tidy(fit)
#' glance(fit)
#' @export
nma <- function(data, estimate = estimate, std.error = std.error,
                treat1 = treat1, treat2 = treat2, study = study,
                measure = NULL, reference = NULL,
                tau2_method = c("REML", "DL", "ML", "PM"), tau2 = NULL,
                ci_method = c("wald", "hk"), level = 0.95,
                control = nma_control(),
                small_values = c("desirable", "undesirable"), ...,
                order = NULL, by = NULL, batch = batch_control(), na = c("fail", "drop"), treat) {
  check_netmeta_arguments(sys.call(), sys.function())
  call <- match.call()
  env <- parent.frame()
  if (inherits(data, c("pairwise", "netmeta"))) {
    return(nma_netmeta_object(data, call, env))
  }
  if (...length() > 0L) {
    check_dots_empty(...)
  }
  check_not_grouped(data, "nma")
  tau2_method <- check_choice(if (missing(tau2_method)) NULL else tau2_method,
                              c("REML", "DL", "ML", "PM"), "tau2_method")
  check_tau2_preset(tau2)
  ci_method <- check_choice(if (missing(ci_method)) NULL else ci_method,
                            c("wald", "hk"), "ci_method")
  check_level(level)
  if (!inherits(control, "nma_control")) {
    abort_fastnma("{.arg control} must be made by {.fn nma_control}.", "control")
  }

  small_values <- check_choice(if (missing(small_values)) NULL else small_values,
                               c("desirable", "undesirable"), "small_values")
  na <- check_choice(if (missing(na)) NULL else na, c("fail", "drop"), "na")
  if (na == "drop" && !inherits(data, "nma_network")) {
    data <- drop_missing_contrasts(data, list(estimate = substitute(estimate),
                                              std.error = substitute(std.error),
                                              study = substitute(study),
                                              treat1 = substitute(treat1),
                                              treat2 = substitute(treat2)), env)
  }
  by_expr <- substitute(by)
  if (!is.null(by_expr)) {
    # Many networks, one compiled call (R/fit-batch.R).
    return(nma_by(data, list(estimate = substitute(estimate), std.error = substitute(std.error),
                             treat1 = substitute(treat1), treat2 = substitute(treat2),
                             study = substitute(study)),
                  by_expr, env, measure = measure, reference = reference,
                  tau2_method = tau2_method, tau2 = tau2, ci_method = ci_method,
                  level = level, control = control, small_values = small_values,
                  batch = batch, order = order, call = call))
  }
  if (inherits(data, "nma_network")) {
    net <- data
    measure <- if (identical(as.vector(unclass(measure)), net$measure)) net$measure else
      check_measure(measure)
    if (!is.null(measure) && !identical(measure, net$measure)) {
      abort_fastnma(c(
        "{.arg measure} must agree with the network.",
        "x" = "The network was built for {.val {net$measure}}; {.arg measure} is {.val {measure}}."
      ), "measure")
    }
    if (!identical(net$tol_multiarm, control$tol_multiarm) ||
        (!is.null(order) && !identical(as.character(order), net$treatments))) {
      d <- net$data
      trt <- if (is.null(order)) net$treatments else
        check_treatment_order(order, net$treatments, call = environment())
      net <- new_nma_network(d$study, d$treat1, d$treat2, d$estimate, d$std.error,
                             measure = net$measure, tol_multiarm = control$tol_multiarm,
                             cols = net$columns, zero_cells = net$zero_cells,
                             treatments = trt, call = environment())
    }
    arms <- NULL
  } else {
    check_no_contrasts_left(data)
    exprs <- list(estimate = substitute(estimate), std.error = substitute(std.error),
                  treat1 = substitute(treat1), treat2 = substitute(treat2),
                  study = substitute(study))
    net <- network_from_data(data, exprs, env, measure, control$tol_multiarm,
                             order = order, call = environment())
    arms <- arm_sizes(data, net$data$study, net$data$treat1, net$data$treat2)
  }
  fit <- fit_contrasts(net, reference = reference, tau2_method = tau2_method,
                       ci_method = ci_method, level = level, control = control,
                       call = call, err_call = environment(),
                       small_values = small_values, tau2 = tau2)
  fit$arms <- arms
  fit
}

# The measure of a fit: the `measure` attribute of a contrast table, or the
# `measure` argument, never a silent fallback for a contrast table that lost
# its metadata. Plain data frames without either are "generic".
data_measure <- function(data, measure, call = rlang::caller_env()) {
  recorded <- attr(data, "measure", exact = TRUE)
  # the measure recorded in a contrast table (even a custom one) may be
  # repeated as it is; any other is checked
  measure <- if (!is.null(recorded) && identical(as.vector(unclass(measure)), recorded)) recorded else
    check_measure(measure, call = call)
  if (inherits(data, "nma_contrasts") && is.null(recorded) && is.null(measure)) {
    abort_fastnma(c(
      "{.arg data} is a contrast table ({.cls nma_contrasts}) that has lost its effect measure.",
      "x" = "Its {.field measure} attribute is missing, so the effects cannot be labelled or put on their natural scale.",
      "i" = "Give the measure, e.g. {.code nma(data, measure = \"OR\")}, or keep the table as {.fn arm_contrasts} made it: base subsetting, dplyr verbs and {.fn rbind} keep the measure."
    ), "metadata", call = call)
  }
  if (!is.null(recorded) && !is.null(measure) && !identical(recorded, measure)) {
    abort_fastnma(c(
      "{.arg measure} contradicts the measure recorded in {.arg data}.",
      "x" = "{.arg data} holds {.val {recorded}} effects; {.arg measure} is {.val {measure}}.",
      "i" = "Leave {.arg measure} out to use {.val {recorded}}, or rebuild the contrasts with {.code arm_contrasts(measure = \"{measure}\")}."
    ), "metadata", call = call)
  }
  recorded %||% measure %||% "generic"
}

# Rows of contrast data without an estimate or a standard error left out
# (nma(na = "drop")), with a warning that lists each (row, study and pair).
drop_missing_contrasts <- function(data, exprs, env, call = rlang::caller_env()) {
  check_data_frame(data, call = call)
  v <- Map(function(expr, arg) capture_column(expr, data, env, arg), exprs, names(exprs))
  bad <- is.na(v$estimate) | is.na(v$std.error)
  if (!any(bad)) return(data)
  cols <- lapply(exprs, column_label)
  rows <- which(bad)
  what <- paste0("row ", rows, ": study ", encodeString(as.character(v$study[rows]), quote = "\""),
                 ", ", v$treat1[rows], " vs ", v$treat2[rows])
  what <- gsub("}", "}}", gsub("{", "{{", what, fixed = TRUE), fixed = TRUE)
  shown <- utils::head(what, 10L)
  if (length(what) > 10L) shown <- c(shown, sprintf("... and %d more", length(what) - 10L))
  cli::cli_warn(c(
    "Left out {length(rows)} contrast row{?s} with a missing {.field {cols$estimate}} or {.field {cols$std.error}} ({.code na = \"drop\"}):",
    stats::setNames(shown, rep("*", length(shown)))
  ), class = c("fastnma_warning_na_dropped", "fastnma_warning"),
  rows = rows, studies = unique(as.character(v$study[rows])), call = call)
  if (all(bad)) {
    abort_fastnma(c(
      "No contrast row is left to analyse.",
      "x" = "Every row has a missing {.field {cols$estimate}} or {.field {cols$std.error}}."
    ), "missing", call = call, column = c(cols$estimate, cols$std.error))
  }
  data[!bad, , drop = FALSE]
}

# `small_values` of a fit or a call: "desirable" (small effects are good) or
# "undesirable"; NULL gives `default`.
check_small_values <- function(x, default = "desirable", arg = "small_values",
                               call = rlang::caller_env()) {
  if (is.null(x)) return(default)
  check_choice(x, c("desirable", "undesirable"), arg, call = call)
}

# A contrast table from which the zero-cell policy removed every study says
# so, with the reasons, instead of "`data` has no rows".
check_no_contrasts_left <- function(data, call = rlang::caller_env()) {
  if (!inherits(data, "nma_contrasts") || nrow(data) > 0L) return(invisible())
  audit <- attr(data, "zero_cells")
  gone <- if (is.data.frame(audit) && nrow(audit)) {
    paste0(audit$study, ": ", audit$reason)
  } else {
    character()
  }
  abort_fastnma(c(
    "No study contrast is left to analyse.",
    "x" = if (length(gone)) "Every study was left out when the contrasts were made:" else
      "The contrast table has no rows.",
    stats::setNames(utils::head(gone, 10L), rep("*", min(10L, length(gone)))),
    "i" = "See {.fn zero_cell_audit}; a {.fn zero_cell_policy} that corrects instead of excluding (e.g. {.code zero_cell_policy(double_zero = \"keep\")}) may keep them, or use {.fn nma_binary} (Mantel-Haenszel)."
  ), "empty", call = call)
}

column_label <- function(expr) {
  if (is.character(expr)) expr else paste(deparse(expr), collapse = "")
}

#' Options for fitting a network meta-analysis
#'
#' @param tol_multiarm Absolute tolerance for the consistency of the
#'   contrasts of a multi-arm study (\eqn{y_{ab} = y_{ac} - y_{bc}}).
#' @param tol_tau2 Relative convergence tolerance of the iterative
#'   \eqn{\tau^2} estimators.
#' @param hk_adhoc Logical; for Hartung-Knapp intervals, never let the
#'   variance factor fall below 1 (the ad hoc modification of Knapp and
#'   Hartung 2003).
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @return A list of class `nma_control`.
#' @examples
#' nma_control(tol_multiarm = 1e-4)
#' @export
nma_control <- function(tol_multiarm = 1e-3, tol_tau2 = 1e-10,
                        hk_adhoc = FALSE, ...) {
  netmeta_guard(dots_empty = TRUE)
  for (a in c("tol_multiarm", "tol_tau2")) {
    v <- get(a)
    if (!is.numeric(v) || length(v) != 1L || !is.finite(v) || v <= 0) {
      abort_fastnma("{.arg {a}} must be a single positive number.", "control")
    }
  }
  if (!is.logical(hk_adhoc) || length(hk_adhoc) != 1L || is.na(hk_adhoc)) {
    abort_fastnma("{.arg hk_adhoc} must be TRUE or FALSE.", "control")
  }
  new_fastnma_result(list(tol_multiarm = tol_multiarm, tol_tau2 = tol_tau2,
                          hk_adhoc = hk_adhoc), "nma_control")
}

# A preset tau^2: NULL, or one finite non-negative number.
check_tau2_preset <- function(tau2, call = rlang::caller_env()) {
  if (is.null(tau2)) return(invisible(NULL))
  if (!is.numeric(tau2) || length(tau2) != 1L || is.na(tau2) || !is.finite(tau2) ||
      tau2 < 0) {
    abort_fastnma(c(
      "{.arg tau2} must be {.code NULL} or a single finite non-negative number.",
      "x" = "It is {.obj_type_friendly {tau2}}{if (is.numeric(tau2) && length(tau2) == 1L) paste0(' (', tau2, ')') else ''}."
    ), "tau2", call = call)
  }
  invisible(NULL)
}

# The engine behind nma(): a validated network in, an `nma` object out.
fit_contrasts <- function(net, reference, tau2_method, ci_method, level,
                          control, call, err_call, small_values = "desirable",
                          tau2 = NULL, core = NULL) {
  # A preset tau^2 replaces the estimator; the fit says so in tau2_method.
  if (!is.null(tau2)) tau2_method <- "preset"
  treatments <- net$treatments
  studies <- net$studies
  cols <- net$columns
  reference <- check_reference(reference, treatments, call = err_call)
  d <- net$data
  # `core`: the result of this network's fit in a batch (R/fit-batch.R). A
  # network without a live compiled handle (read back with readRDS()) is
  # rebuilt here, once, and the fit keeps the rebuilt one.
  if (is.null(core)) net <- network_handle(net)
  res <- core %||% nma_fit_cpp(net, list(
    ref = match(reference, treatments), method = tau2_method,
    tol_tau2 = control$tol_tau2, tau2_preset = if (is.null(tau2)) -1 else as.double(tau2)))
  if (res$status != 0L) {
    abort_core_status(res, studies, treatments, cols,
                      list(treat1 = d$treat1, treat2 = d$treat2), call = err_call)
  }
  n <- length(treatments)
  name_fit <- function(theta, cov) {
    names(theta) <- treatments
    dimnames(cov) <- list(treatments, treatments)
    list(theta = theta, cov = cov)
  }
  df <- res$df
  Q <- res$Q
  if (ci_method == "hk" && df < 1) {
    abort_fastnma(c(
      "Hartung-Knapp intervals need at least one degree of freedom for Q.",
      "x" = "This network has {res$n_obs} independent contrasts for {length(treatments) - 1} parameters (df = {df}).",
      "i" = "Use {.code ci_method = \"wald\"}."
    ), "hk", call = err_call)
  }
  announce_tau2(res, tau2_method, c(
    "i" = "tau^2 is set to 0: with {res$n_obs} independent contrast{?s} for {length(treatments) - 1} parameter{?s} Q has no degrees of freedom, so the data carry no information on heterogeneity.",
    " " = "The random-effects model equals the common-effect model; prediction intervals are not available."
  ), hint = "The likelihood may increase without bound; consider {.code tau2_method = \"DL\"}.")
  i2 <- i2_interval(Q, df, level)
  hk_scale <- if (df > 0) res$Q_random / df else NA_real_
  if (isTRUE(control$hk_adhoc) && !is.na(hk_scale)) hk_scale <- max(1, hk_scale)
  new_nma(list(
    call = call,
    measure = net$measure,
    method = "IV",
    treatments = treatments,
    reference = reference,
    studies = studies,
    data = d,
    network = net,
    k = length(studies),
    m = length(d$study),
    n = n,
    n_designs = length(res$design_arms),
    design = res$design,
    design_arms = res$design_arms,
    n_arms = res$n_arms,
    common = name_fit(res$theta_common, res$cov_common),
    random = name_fit(res$theta_random, res$cov_random),
    tau2 = res$tau2,
    tau2_method = tau2_method,
    tau2_info = list(iterations = res$tau2_iterations,
                     converged = res$tau2_converged,
                     boundary = res$tau2_boundary,
                     identifiable = res$tau2_identifiable),
    ci_method = ci_method,
    level = level,
    Q = Q, df = df,
    Q_within = res$Q_within, df_within = res$df_within,
    Q_between = Q - res$Q_within, df_between = df - res$df_within,
    Q_design = res$Q_design, df_design = res$df_design,
    Q_random = res$Q_random,
    hk_scale = hk_scale,
    I2 = i2[["I2"]], I2_lower = i2[["lower"]], I2_upper = i2[["upper"]],
    loglik = c(ML = res$loglik_ml, REML = res$loglik_reml),
    n_obs = res$n_obs,
    control = control,
    zero_cells = net$zero_cells
  ), capabilities = fit_capabilities("IV"), small_values = small_values)
}

# I^2 with the interval of Higgins & Thompson (2002) built on H = sqrt(Q/df),
# the lower limit of H truncated at 1.
i2_interval <- function(Q, df, level) {
  if (df < 1) return(c(I2 = NA_real_, lower = NA_real_, upper = NA_real_))
  z <- stats::qnorm(1 - (1 - level) / 2)
  H <- sqrt(Q / df)
  se_log_h <- if (Q > df + 1) {
    0.5 * (log(Q) - log(df)) / (sqrt(2 * Q) - sqrt(2 * df - 1))
  } else if (df > 1) {
    sqrt(1 / (2 * (df - 1)) * (1 - 1 / (3 * (df - 1)^2)))
  } else {
    NA_real_
  }
  log_h <- log(max(H, 1))
  h_lo <- max(1, exp(log_h - z * se_log_h))
  h_hi <- max(1, exp(log_h + z * se_log_h))
  to_i2 <- function(h) (h^2 - 1) / h^2
  c(I2 = max(0, (Q - df) / Q), lower = to_i2(h_lo), upper = to_i2(h_hi))
}

# The one constructor of fits (inverse-variance fits of nma() and
# nma_binary(method = "IV"), Mantel-Haenszel fits of nma_binary()): checks
# that the fields every method relies on are present, sets the fit's
# `capabilities` (see R/class-capabilities.R) and `small_values`, and the class
# (`class` adds subclasses, e.g. "nma_mh" for the Mantel-Haenszel fit).
new_nma <- function(x, class = character(), capabilities = fit_capabilities("IV"),
                    small_values = x$small_values %||% "desirable") {
  validate_fastnma_result(structure(x, class = "nma"))
  if (!identical(x$method, capabilities$method)) {
    stop("internal error: the capabilities of a fit must match its method", call. = FALSE)
  }
  if (is.null(x$network)) {
    # Fits made from arm-level tables (Mantel-Haenszel) get the network of
    # their study contrasts, coded by the fit's own studies and treatments.
    d <- x$data
    x$network <- new_nma_network(d$study, d$treat1, d$treat2, d$estimate,
                                 d$std.error, measure = x$measure,
                                 tol_multiarm = x$control$tol_multiarm %||% 1e-3,
                                 zero_cells = x$zero_cells,
                                 studies = x$studies, treatments = x$treatments)
  }
  x$capabilities <- capabilities
  x$small_values <- small_values
  structure(x, class = c(class, "nma"))
}

# After a fit of the core (`res`): a message when tau^2 was set to 0 because
# Q has no degrees of freedom (`why`, interpolated where announce_tau2() is
# called), or a warning when its estimate did not converge (with `hint`).
announce_tau2 <- function(res, tau2_method, why, hint = NULL, .envir = parent.frame()) {
  if (!isTRUE(res$tau2_identifiable)) {
    inform_fastnma(why, "tau2_not_identifiable", .envir = .envir)
  } else if (!isTRUE(res$tau2_converged)) {
    cli::cli_warn(c(
      "The {tau2_method} estimate of tau^2 did not converge; it is reported as {signif(res$tau2, 4)}.",
      "i" = hint
    ), class = c("fastnma_warning_convergence", "fastnma_warning"))
  }
  invisible(res)
}

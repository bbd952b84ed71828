#' Network meta-analysis of binary outcomes (Mantel-Haenszel, non-central hypergeometric or inverse variance)
#'
#' Fits a network meta-analysis to arm-level binary data (events out of `n`
#' per study arm), either with the Mantel-Haenszel method for networks of
#' Efthimiou et al. (2019) (`method = "MH"`, a common-effect model that needs
#' no continuity correction and suits rare events such as adverse events) or
#' through study-level contrasts and [nma()] (`method = "IV"`, common-effect
#' and random-effects models).
#'
#' @section Mantel-Haenszel network meta-analysis:
#' Studies are grouped by design (the set of treatments they compare). Within
#' a design, every pair of treatments gets a Mantel-Haenszel estimate pooled
#' over the design's studies, each study a stratum weighted by its total
#' number of patients. The pairwise estimates are made consistent by least
#' squares and the designs are combined by generalised least squares, with the
#' covariance of the design contrasts from the dually consistent variance
#' estimators: Robins, Breslow and Greenland (1986) and the multi-arm
#' covariance of Efthimiou et al. (2019) for the odds ratio; Greenland and
#' Robins (1985) for the risk ratio; Sato, Greenland and Robins (1989) for the
#' risk difference. For multi-arm designs with the risk ratio or the risk
#' difference, the covariance of two estimates that share an arm \eqn{x} is
#' the linearisation \eqn{\sum_s \widehat{Cov}(U_{xy,s}, U_{xz,s}) / (D_{xy}
#' D_{xz})}, with \eqn{e_x (n_x - e_x)/n_x} estimating \eqn{n_x p_x (1 -
#' p_x)} in each study, so that a single multi-arm study gets the covariance
#' of its arm proportions (an extension: Efthimiou et al. treat the odds
#' ratio).
#'
#' For the odds ratio the results equal those of netmeta's
#' `netmetabin(method = "MH")` (which implements the odds ratio only), with
#' the same studies and arms set aside:
#' * studies without any events, or with events in every patient (in every
#'   arm), carry no information and are left out (`double_zero = "drop"`, the
#'   default for OR and RR; for RD they are kept, as they inform a risk
#'   difference);
#' * a treatment arm with no events in any study of its design (OR, RR), or
#'   with only events (OR), makes the design's estimates infinite: that arm
#'   is removed from every study of the design;
#' * designs left with a single arm are then left out, as are designs whose
#'   estimates are still not finite.
#' Every study and arm set aside is listed in the zero-cell audit
#' ([zero_cell_audit()], shown by `summary()`) and announced in a message.
#'
#' The MH model has common effects only. The fit fills the `common` part of
#' the `nma` object; its `random` part is a copy of `common` and `tau2` is
#' `NA` (`tau2_method = "none"`). `tidy()` and `glance()` report the
#' common-effect model; asking for `model = "random"` is an error of class
#' `fastnma_error_model`. `Q` is the generalised Q of the design contrasts
#' around the network estimates (between-design inconsistency, netmetabin's
#' `Q.inconsistency`), with \eqn{\sum_d (p_d - 1) - (n - 1)} degrees of
#' freedom; heterogeneity within designs is not estimated.
#'
#' @section Non-central hypergeometric network meta-analysis:
#' `method = "NCH"` fits the common-effect model of the odds ratio by the
#' conditional likelihood of Stijnen, Hamza and Özdemir (2010). Study
#' \eqn{s} with arms \eqn{k = 1, \dots, p_s} (\eqn{x_{sk}} events of
#' \eqn{n_{sk}}, treatment \eqn{t_{sk}}) enters through the distribution of
#' its events given their total \eqn{S_s = \sum_k x_{sk}}:
#' \deqn{P(x_{s1}, \dots, x_{sp} \mid S_s) = \frac{\prod_k \binom{n_{sk}}{x_{sk}}
#'   e^{x_{sk} \theta_{t_{sk}}}}{\sum_{v} \prod_k \binom{n_{sk}}{v_k} e^{v_k
#'   \theta_{t_{sk}}}},}
#' the sum running over all \eqn{v} with \eqn{\sum_k v_k = S_s} and
#' \eqn{0 \le v_k \le n_{sk}}: Fisher's non-central hypergeometric
#' distribution for two arms and its multivariate form for multi-arm
#' studies. \eqn{\theta_t} is the log odds of treatment \eqn{t} relative to
#' the reference (\eqn{\theta_{ref} = 0}); the study's baseline risk cancels,
#' so no study parameter is estimated. The log-likelihood is maximised by
#' Newton-Raphson (the score is observed minus conditional expected events,
#' the information their conditional covariance, both summed exactly over
#' the support in log space); standard errors come from the information at
#' the maximum, and every pairwise log odds ratio with its variance from
#' \eqn{\theta} and its covariance.
#'
#' `likelihood = "binomial"` (given in `...`) replaces the NCH by its
#' approximation for rare events, \eqn{x_s \mid S_s} multinomial with
#' probabilities proportional to \eqn{n_{sk} e^{\theta_{t_{sk}}}} (the
#' Poisson model with study fixed effects and offsets \eqn{\log n_{sk}}).
#' This is the likelihood netmeta's `netmetabin(method = "NCH")` maximises:
#' the two agree to the precision of netmetabin's search (its estimates reach
#' the maximum to within 1e-4 of the log-likelihood, and differ from it by
#' up to about 1e-3 on flat likelihoods); `glm(events ~ factor(study) +
#' treatment + offset(log(n)), family = poisson)` reproduces the binomial fit
#' exactly. The default, `likelihood = "exact"`, is the model of Stijnen et
#' al.; the two differ when events are not rare.
#'
#' Studies and arms are screened as for `method = "MH"` (and as netmetabin
#' does): an arm without events (or with only events) in every study of its
#' design is set aside, then designs left with a single arm. Studies whose
#' arms have no events, or only events, have a constant conditional
#' likelihood: they carry no information, contribute nothing and are listed
#' in the zero-cell audit with the action `"no information"`. No continuity
#' correction is ever applied (`zero_cells` must be `NULL` or
#' `zero_cell_policy("none")`). When the events separate treatments so that
#' the likelihood has no finite maximum, the fit stops with an error of class
#' `fastnma_error_numerical`. The fit has the class `nma_nch`, a common
#' effect only (`model = "random"` is an error of class `fastnma_error_model`),
#' no Q (its `glance()` reports the conditional log-likelihood as `logLik`),
#' and verbs that need study-level contrasts stop with an error of class
#' `fastnma_error_not_supported`.
#'
#' @section Zero cells:
#' `zero_cells` is a [zero_cell_policy()]. For `method = "MH"` the default
#' is `zero_cell_policy("none")`: Mantel-Haenszel estimates need no
#' correction. A policy with a correction can still be given; the corrected
#' cells then enter the Mantel-Haenszel sums. For `method = "IV"` the default
#' is [zero_cell_policy()], netmeta's choice: 0.5 added to every cell of a
#' study with a zero cell, studies without events dropped for OR and RR.
#'
#' The study-level contrasts an MH fit stores (`fit$data`, shown by the
#' funnel plot and used by verbs that look at study data) are those of
#' [arm_contrasts()] on the arms the fit used, with the fit's policy or,
#' under the default `"none"`, with [arm_contrasts()]'s default.
#'
#' @param data A data frame with one row per study arm.
#' @param study,treatment,events,n Columns of `data` (bare names or strings):
#'   study label, treatment, number of patients with an event and number of
#'   patients in the arm.
#' @param measure `"RR"` (default), `"OR"` or `"RD"`, in any case; for
#'   `method = "NCH"` the odds ratio (the default there, and the only choice),
#'   for `method = "GLMM"` the default is `"OR"`.
#' @param method `"MH"` (default), `"IV"`, `"NCH"` (non-central
#'   hypergeometric, see its section) or `"GLMM"` (the binomial-normal
#'   model, see its section), in any case.
#' @param reference The reference treatment; defaults to the first treatment
#'   (in the treatment order, see `order`) with data.
#' @param order The treatment order: a character vector naming every
#'   treatment once. Without it a factor `treatment` column sets the order by
#'   its levels, and otherwise labels are sorted. It sets the direction of
#'   every comparison, as in [nma()] (see its section Orientation).
#' @param zero_cells A [zero_cell_policy()], or `NULL` for the method's
#'   default (see the section Zero cells).
#' @param by Optional column (bare name or string) that splits `data` into
#'   outcomes (for instance several adverse events per trial in long format);
#'   one network is fitted per value. The result is then an `nma_binary_by`
#'   collection (which extends [nma_batch]): `x[["outcome"]]` is one fit,
#'   and [tidy()] and [glance()] return one table whose first column is
#'   named after `by`. A failed outcome stops the call with an error of
#'   class `fastnma_error_batch` listing the failures, or, with
#'   `batch = batch_control(errors = "keep")`, is listed by
#'   [batch_errors()]; `batch_control(parallel = TRUE)` fits the outcomes
#'   through the future framework.
#' @param batch Options of the collection made with `by`, see
#'   [batch_control()] (`errors` and `parallel` apply; the ranking and
#'   `lean` options are for [nma()] with `by`).
#' @param level Confidence level.
#' @param small_values `"desirable"` (default) or `"undesirable"`: whether
#'   small effects are good (as for an adverse event) or bad (as for a
#'   response). Stored in the fit and used by default by every ranking, see
#'   [nma()].
#' @param ... Further arguments for [nma()] when `method = "IV"`
#'   (`tau2_method`, `ci_method`, `control`); for `method = "NCH"`,
#'   `likelihood = "exact"` (default) or `"binomial"`. netmeta's argument names
#'   (`sm`, `event`, `treat`, `studlab`, ...) get an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]).
#'
#' @return An object of class `nma` (for `method = "MH"` also of class
#'   `nma_mh`, for `method = "NCH"` of class `nma_nch`, for `method = "GLMM"` of class `nma_glmm`), or an
#'   `nma_binary_by` list with `by`.
#'
#' @references
#' Efthimiou O, Rücker G, Schwarzer G, Higgins JPT, Egger M, Salanti G (2019).
#' Network meta-analysis of rare events using the Mantel-Haenszel method.
#' *Statistics in Medicine* 38(16):2992-3012. \doi{10.1002/sim.8158}
#'
#' Greenland S, Robins JM (1985). Estimation of a common effect parameter
#' from sparse follow-up data. *Biometrics* 41(1):55-68. \doi{10.2307/2530643}
#'
#' Robins J, Breslow N, Greenland S (1986). Estimators of the Mantel-Haenszel
#' variance consistent in both sparse data and large-strata limiting models.
#' *Biometrics* 42(2):311-323. \doi{10.2307/2531052}
#'
#' Stijnen T, Hamza TH, Özdemir P (2010). Random effects meta-analysis of
#' event outcome in the framework of the generalized linear mixed model with
#' applications in sparse data. *Statistics in Medicine* 29(29):3046-3067.
#' \doi{10.1002/sim.3959}
#'
#' Sato T, Greenland S, Robins JM (1989). On the variance estimator for the
#' Mantel-Haenszel risk difference. *Biometrics* 45(4):1323-1324.
#'
#' @examples
#' fit <- nma_binary(dong2013, study, treatment, events, n, measure = "OR")
#' fit
#' tidy(fit, exponentiate = TRUE)
#' zero_cell_audit(fit)
#'
#' # the conditional (non-central hypergeometric) likelihood
#' nch <- nma_binary(dong2013, method = "NCH")
#' tidy(nch, exponentiate = TRUE)
#'
#' # the inverse-variance route, with random effects
#' iv <- nma_binary(smokingcessation, measure = "RR", method = "IV")
#' glance(iv)
#' @export
nma_binary <- function(data, study = study, treatment = treatment,
                       events = events, n = n,
                       measure = c("RR", "OR", "RD"), method = c("MH", "IV", "GLMM"),
                       reference = NULL, zero_cells = NULL, by = NULL,
                       level = 0.95,
                       small_values = c("desirable", "undesirable"),
                       batch = batch_control(), order = NULL, ...) {
  check_netmeta_arguments(sys.call(), sys.function())
  call <- match.call()
  env <- parent.frame()
  check_data_frame(data)
  check_not_grouped(data, "nma_binary")
  if (!inherits(batch, "nma_batch_control")) {
    abort_fastnma("{.arg batch} must be made by {.fn batch_control}.", "control")
  }
  measure_given <- !missing(measure)
  method <- check_choice(if (missing(method)) NULL else method,
                         c("MH", "IV", "NCH", "GLMM"), "method")
  # the conditional likelihood is that of the odds ratio
  measure <- if (method == "NCH") check_nch_measure(if (missing(measure)) NULL else measure)
             else check_choice(if (missing(measure)) NULL else measure,
                               c("RR", "OR", "RD"), "measure")
  if (method == "GLMM" && !measure_given) measure <- "OR"
  check_level(level)
  small_values <- check_choice(if (missing(small_values)) NULL else small_values,
                               c("desirable", "undesirable"), "small_values")
  if (!is.null(zero_cells) && !inherits(zero_cells, "zero_cell_policy")) {
    abort_fastnma("{.arg zero_cells} must be made by {.fn zero_cell_policy}.", "policy")
  }
  dots <- list(...)
  if (method == "NCH") {
    nch_options(dots)
    check_nch_policy(zero_cells)
  }
  if (method == "MH" && length(dots)) {
    abort_fastnma(c(
      "The Mantel-Haenszel method takes no argument{?s} {.arg {names(dots)}}.",
      "i" = "Only {.code method = \"IV\"} passes further arguments to {.fn nma}."
    ), "unknown_argument")
  }
  by_expr <- substitute(by)
  grp <- if (!is.null(by_expr)) capture_column(by_expr, data, env, "by")
  arms <- capture_binary_arms(data, substitute(study), substitute(treatment),
                              substitute(events), substitute(n), env, group = grp,
                              order = order)
  if (!is.null(by_expr)) {
    check_no_missing(grp, column_label(by_expr), arms$study)
    # A collection of the batch contract, one fit per outcome (R/fit-batch.R).
    return(binary_by(arms, grp, column_label(by_expr), measure, method, reference,
                     zero_cells, level, dots, call, small_values, batch))
  }
  fit_binary(arms, measure, method, reference, zero_cells, level, dots, call,
             small_values)
}

# Capture and check arm-level binary data: one row per study arm.
capture_binary_arms <- function(data, study, treatment, events, n, env,
                                group = NULL, order = NULL, call = rlang::caller_env()) {
  cols <- list(study = column_label(study), treatment = column_label(treatment),
               events = column_label(events), n = column_label(n))
  st <- capture_column(study, data, env, "study")
  tr <- capture_column(treatment, data, env, "treatment")
  ev <- capture_column(events, data, env, "events")
  nn <- capture_column(n, data, env, "n")
  check_no_missing(st, cols$study, st, call)
  check_no_missing(tr, cols$treatment, st, call)
  check_no_missing(ev, cols$events, st, call)
  check_no_missing(nn, cols$n, st, call)
  trt_order <- treatment_order_of(tr, NULL, order, call = call)
  st <- as.character(st)
  tr <- as.character(tr)
  check_arm_numeric(ev, cols$events, st, call)
  check_arm_numeric(nn, cols$n, st, call)
  bad <- nn < 1 | nn != round(nn)
  if (any(bad)) {
    abort_fastnma(c(
      "Column {.field {cols$n}} must hold whole numbers of at least 1.",
      "x" = "Found {.val {format(nn[bad])}} in {cli::qty(length(describe_rows(st, bad)))}stud{?y/ies} {.val {describe_rows(st, bad)}}."
    ), "arm_data", study = unique(st[bad]), column = cols$n, call = call)
  }
  bad <- ev < 0 | ev != round(ev) | ev > nn
  if (any(bad)) {
    abort_fastnma(c(
      "Column {.field {cols$events}} must hold whole numbers between 0 and {.field {cols$n}}.",
      "x" = "Found events {.val {format(ev[bad])}} of n {.val {format(nn[bad])}} in {cli::qty(length(describe_rows(st, bad)))}stud{?y/ies} {.val {describe_rows(st, bad)}}."
    ), "arm_data", study = unique(st[bad]), column = cols$events, call = call)
  }
  dup <- duplicated(paste(st, tr, if (!is.null(group)) as.character(group), sep = "\r"))
  if (any(dup)) {
    abort_fastnma(c(
      if (is.null(group)) "Each treatment may appear once per study." else
        "Each treatment may appear once per study and outcome.",
      "x" = "Treatment {.val {unique(tr[dup])}} is listed twice (column {.field {cols$treatment}}) in {cli::qty(length(describe_rows(st, dup)))}stud{?y/ies} {.val {describe_rows(st, dup)}}.",
      "i" = "Combine arms of the same treatment before analysis."
    ), "duplicate_arm", study = unique(st[dup]), column = cols$treatment, call = call)
  }
  list(study = st, treatment = tr, events = as.double(ev), n = as.double(nn),
       cols = cols, order = trt_order)
}

subset_arms <- function(arms, keep) {
  out <- lapply(arms[c("study", "treatment", "events", "n")], `[`, keep)
  out$cols <- arms$cols
  out$order <- arms$order[arms$order %in% out$treatment]
  out
}

# The one dispatch of nma_binary() by method: each method's fit from the
# checked arms (methods are added here).
fit_binary <- function(arms, measure, method, reference, zero_cells, level,
                       dots, call, small_values = "desirable") {
  switch(method,
    IV = iv_binary(arms, measure, reference, zero_cells, level, dots, call, small_values),
    MH = mh_network(arms, measure, reference, zero_cells %||% zero_cell_policy("none"),
                    level, call, small_values = small_values),
    NCH = nch_network(arms, reference, level, call, likelihood = nch_options(dots),
                      small_values = small_values),
    GLMM = glmm_network(arms, measure, reference, zero_cells, level, dots, call,
                        small_values = small_values)
  )
}

iv_binary <- function(arms, measure, reference, zero_cells, level, dots, call,
                      small_values) {
  df <- data.frame(study = arms$study, treatment = arms$treatment,
                   events = arms$events, n = arms$n, stringsAsFactors = FALSE)
  ac <- arm_contrasts(df, "study", "treatment", n = "n", events = "events",
                      measure = measure,
                      zero_cells = zero_cells %||% zero_cell_policy())
  ord <- arms$order[arms$order %in% c(ac$treat1, ac$treat2)]
  fit <- do.call(nma, c(list(ac, reference = reference, level = level,
                             small_values = small_values, order = ord), dots))
  fit$call <- call
  fit$method <- "IV"
  fit
}

mh_status_reason <- c(
  "no events in this arm in any study of the design",
  "events in every patient of this arm in every study of the design",
  "design left with a single arm",
  "Mantel-Haenszel estimates of the design not finite",
  "only one arm: no contrast"
)

mh_network <- function(arms, measure, reference, policy, level, call,
                       err_call = rlang::caller_env(), small_values = "desirable") {
  st <- arms$study
  tr <- arms$treatment
  ev <- arms$events
  nn <- arms$n
  ix <- arm_index(arms, reference, err_call)
  s_idx <- ix$s_idx
  single <- ix$n_arms_in[s_idx] < 2L
  audit <- empty_audit()
  if (any(single)) {
    audit <- data.frame(study = unique(st[single]), action = "excluded",
                        increment = NA_real_, reason = "only one arm: no contrast",
                        stringsAsFactors = FALSE)
  }
  zc <- apply_zero_cells(st, ev, nn, measure, policy, !single, drop_all_events = TRUE)
  audit <- rbind(audit, zc$audit)
  keep <- zc$keep & !single
  e_used <- ev + zc$incr
  n_used <- nn + 2 * zc$incr

  res <- mh_fit_cpp(
    list(study = s_idx[keep], treatment = ix$t_idx[keep], events = e_used[keep],
         n = n_used[keep], n_study = length(ix$studies_all), n_treat = length(ix$treatments)),
    list(reference = ix$ref_idx, measure = match(measure, c("OR", "RR", "RD")) - 1L))

  # Arms and designs set aside by the method.
  arm_status <- integer(length(st))
  arm_status[keep] <- res$arm_status
  aside <- arm_status > 0L & arm_status != core_code("mh_arm", "study_one_arm")
  if (any(aside)) {
    audit <- rbind(audit, aside_audit(res, arms, ix, aside, arm_status[aside],
                                      mh_status_reason, "Mantel-Haenszel"))
  }
  if (nrow(audit) > 0L) report_audit(audit)

  if (res$status != 0L) {
    abort_core_status(res, ix$studies_all, ix$treatments, NULL, NULL, call = err_call, source = "mh")
  }

  common <- arm_fit_common(res, ix$treatments, ix$reference, err_call)
  used <- names(common$theta)

  # Studies, arms and designs used.
  fit_studies <- unlist(res$fit_studies)
  n_per_fit <- lengths(res$fit_studies)
  design_of_study <- rep(seq_along(res$fit_studies), n_per_fit)
  o <- order(fit_studies)
  design_arms <- lapply(res$fit_arms, function(a) match(ix$treatments[a], used))
  used_arm <- arm_status == core_code("mh_arm", "used") & keep
  used_arm[used_arm] <- s_idx[used_arm] %in% fit_studies
  n_arms <- tabulate(s_idx[used_arm], length(ix$studies_all))[fit_studies[o]]

  # Design-level Mantel-Haenszel contrasts (what the network combines).
  d_lab <- vapply(design_arms, function(a) paste(used[a], collapse = ":"), character(1))
  p1 <- lengths(res$fit_d)
  mh_rows <- new_frame(
    design = rep(d_lab, p1),
    treat1 = used[unlist(lapply(design_arms, `[`, -1L))],
    treat2 = rep(used[vapply(design_arms, `[`, integer(1), 1L)], p1),
    estimate = unlist(res$fit_d),
    std.error = sqrt(unlist(lapply(res$fit_V, diag))),
    studies = rep(n_per_fit, p1)
  )

  new_arm_fit(
    list(call = call, measure = measure, method = "MH"),
    arms, used_arm, res, ix, common, policy, audit, level,
    designs = list(studies = ix$studies_all[fit_studies[o]], design = design_of_study[o],
                   design_arms = design_arms, n_arms = n_arms),
    Q = res$Q, df = res$df, extra = list(mh = mh_rows),
    class = "nma_mh", small_values = small_values)
}

# The index of the arms of a fit of arm-level tables by the core
# (Mantel-Haenszel, non-central hypergeometric): the treatments (in the
# order asked for) and the reference checked against them, the studies, and
# each arm's study and treatment as integer codes.
arm_index <- function(arms, reference, err_call) {
  treatments <- arms$order %||% sort(unique(arms$treatment))
  if (!is.null(reference)) reference <- check_reference(reference, treatments, call = err_call)
  studies_all <- unique(arms$study)
  s_idx <- match(arms$study, studies_all)
  list(treatments = treatments, reference = reference, studies_all = studies_all,
       s_idx = s_idx, n_arms_in = tabulate(s_idx, length(studies_all)),
       t_idx = match(arms$treatment, treatments),
       ref_idx = if (is.null(reference)) 1L else match(reference, treatments))
}

# The zero-cell audit rows of the arms the core set aside (`aside`, with
# their status codes `code`, explained by `reasons`): one row per study,
# "excluded" when all its arms went, else "arm excluded", its reasons joined
# after the name of the `method`. A study with one arm has no design.
aside_audit <- function(res, arms, ix, aside, code, reasons, method) {
  a_st <- arms$study[aside]
  first <- unique(a_st)
  design_label <- vapply(res$designs, function(a) paste(ix$treatments[a], collapse = ":"),
                         character(1))
  dsg <- design_label[res$study_design[ix$s_idx[aside]]]
  one_arm <- core_code("mh_arm", "study_one_arm")
  why <- ifelse(code == one_arm, reasons[one_arm],
                paste0("arm ", arms$treatment[aside], " set aside: ", reasons[code],
                       " (design ", dsg, ")"))
  whole <- tabulate(match(a_st, first)) == ix$n_arms_in[match(first, ix$studies_all)]
  data.frame(
    study = first,
    action = ifelse(whole, "excluded", "arm excluded"),
    increment = NA_real_,
    reason = paste0(method, ": ",
                    vapply(split(why, factor(a_st, first)), paste,
                           character(1), collapse = "; ")),
    stringsAsFactors = FALSE)
}

# A fit of arm-level tables with the common-effect model only
# (Mantel-Haenszel, non-central hypergeometric), from the core's result
# `res`: `head` (call, measure, method and the method's settings), the
# studies and designs used (`designs`: studies, design, design_arms,
# n_arms), the heterogeneity between designs the method tests (`Q`, `df`;
# NA where it has none) and the method's own fields (`extra`).
new_arm_fit <- function(head, arms, used_arm, res, ix, common, policy, audit, level,
                        designs, Q, df, extra, class, small_values) {
  design_arms <- designs$design_arms
  n_arms <- designs$n_arms
  used_arms <- new_frame(study = arms$study[used_arm], treatment = arms$treatment[used_arm],
                         events = arms$events[used_arm], n = arms$n[used_arm])
  new_nma(c(head, designs, list(
    treatments = names(common$theta),
    reference = ix$treatments[res$ref],
    data = mh_study_contrasts(used_arms$study, used_arms$treatment, used_arms$events,
                              used_arms$n, head$measure, policy),
    k = length(designs$studies),
    m = sum(n_arms * (n_arms - 1L) / 2L),
    n = length(common$theta),
    n_designs = length(design_arms),
    common = common,
    random = common,
    tau2 = NA_real_,
    tau2_method = "none",
    tau2_info = NULL,
    ci_method = "wald",
    level = level,
    Q = Q, df = df,
    Q_within = NA_real_, df_within = NA_integer_,
    Q_between = Q, df_between = df,
    Q_design = rep(NA_real_, length(design_arms)),
    df_design = lengths(design_arms) - 1L,
    Q_random = NA_real_,
    hk_scale = NA_real_,
    I2 = NA_real_, I2_lower = NA_real_, I2_upper = NA_real_,
    loglik = c(ML = NA_real_, REML = NA_real_)), extra, list(
    n_obs = res$n_obs,
    control = NULL,
    zero_cells = as_zero_cell_audit(audit),
    zero_cell_policy = policy,
    arm_data = used_arms
  )), class = class, capabilities = fit_capabilities(head$method),
  small_values = small_values)
}

# The common-effect model of a fit of arm-level tables by the core
# (Mantel-Haenszel, non-central hypergeometric): the estimates and
# covariance of the treatments with data (`res$present`), named; an error
# when the reference asked for has none.
arm_fit_common <- function(res, treatments, reference, err_call) {
  used <- treatments[res$present]
  if (!is.null(reference) && !identical(reference, treatments[res$ref])) {
    abort_fastnma(c(
      "The reference treatment {.val {reference}} has no analysable data.",
      "i" = "All its arms were set aside or carry no information (see {.fn zero_cell_audit}); choose another reference."
    ), "reference", call = err_call)
  }
  theta <- res$theta[res$present]
  cov <- res$cov[res$present, res$present, drop = FALSE]
  names(theta) <- used
  dimnames(cov) <- list(used, used)
  list(theta = theta, cov = cov)
}

# Study-level contrasts of the arms a Mantel-Haenszel fit used (all pairs,
# arms in data order), for display and for the verbs that look at study data
# (funnel, ...): the 2x2 routine and zero-cell rules of arm_contrasts(), so
# that they equal arm_contrasts() on the same arms and policy. Under the MH
# default policy "none" (no correction in the MH sums) the contrasts use
# arm_contrasts()'s default, netmeta's pairwise() convention: 0.5 added to
# every cell of a study with a zero cell.
mh_study_contrasts <- function(st, tr, ev, nn, measure, policy) {
  if (policy$method == "none") policy <- zero_cell_policy(double_zero = policy$double_zero)
  ord <- order(match(st, unique(st)), seq_along(st))
  binary_contrasts(st[ord], tr[ord], ev[ord], nn[ord], measure, policy)$contrasts
}

#' @rdname nma-tidiers
#' @method tidy nma_mh
#' @export
tidy.nma_mh <- function(x, model = c("common", "random"),
                        comparisons = c("reference", "all"), conf.int = TRUE,
                        conf.level = x$level, exponentiate = FALSE, ...) {
  netmeta_guard()
  tidy_common_only(x, if (missing(model)) NULL else model,
                   if (missing(comparisons)) NULL else comparisons,
                   conf.int, conf.level, exponentiate)
}

# The non-central hypergeometric fit has the common-effect model only, as
# the Mantel-Haenszel fit: one tidy() serves both.
#' @rdname nma-tidiers
#' @method tidy nma_nch
#' @export
tidy.nma_nch <- tidy.nma_mh

# tidy() of the fits with a common-effect model only (Mantel-Haenszel,
# non-central hypergeometric): `model = "random"` is an error of class
# `fastnma_error_model` saying why.
tidy_common_only <- function(x, model, comparisons, conf.int, conf.level, exponentiate,
                             call = rlang::caller_env()) {
  model <- check_choice(model, c("common", "random"), "model", call = call)
  fit_model(x, model, call = call)
  comparisons <- check_choice(comparisons, c("reference", "all"), "comparisons", call = call)
  check_level(conf.level)
  check_conf_int(conf.int)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  as_tidy(nma_comparisons(x, "common", comparisons, conf.level, exponentiate),
          conf.int = conf.int, model = "common")
}

#' @rdname nma-tidiers
#' @method glance nma_mh
#' @export
glance.nma_mh <- function(x, ...) {
  netmeta_guard()
  glance_common_only(x, logLik = NA_real_, nobs = x$m)
}

# glance() of the fits with a common-effect model only (Mantel-Haenszel,
# non-central hypergeometric): no tau^2 and no I^2; Q between designs where
# the method tests it (NA otherwise); the log-likelihood and the number of
# observations as the method counts them.
glance_common_only <- function(x, logLik, nobs) {
  as_glance(data.frame(
    k = x$k, m = x$m, n_treatments = x$n, n_designs = x$n_designs,
    tau2 = NA_real_, tau = NA_real_,
    I2 = NA_real_, I2_lower = NA_real_, I2_upper = NA_real_,
    Q = x$Q, df = x$df, p.value = q_pvalue(x$Q, x$df),
    Q_within = NA_real_, df_within = NA_integer_, p_value_within = NA_real_,
    Q_between = x$Q_between, df_between = x$df_between,
    p_value_between = q_pvalue(x$Q_between, x$df_between),
    tau2_method = "none", logLik = logLik, nobs = nobs,
    method = x$method, stringsAsFactors = FALSE
  ))
}

# The body of the print of a fit with the common-effect model only
# (Mantel-Haenszel, non-central hypergeometric): its size, its reference and
# the estimates against the reference, with a blank line either side of them.
print_common_only <- function(x, digits, exponentiate) {
  cli::cat_line(sprintf("%d studies, %d pairwise comparisons, %d treatments, %d designs",
                        x$k, x$m, x$n, x$n_designs))
  cli::cat_line(sprintf("Reference: %s", x$reference))
  cli::cat_line()
  rows <- nma_comparisons(x, "common", "reference", exponentiate = exponentiate)
  print_comparison_rows(rows, digits, x$level, measure_abbrev(x$measure, exponentiate))
  cli::cat_line()
}

#' @export
print.nma_mh <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  cli::cat_line(cli::style_bold("Mantel-Haenszel network meta-analysis"), " (",
                scale_header(x$measure, exponentiate),
                "; common-effect model)")
  print_common_only(x, digits, exponentiate)
  cli::cat_line(sprintf("Inconsistency between designs: Q = %s, df = %d, %s",
                        format_num(x$Q, 2), x$df,
                        format_pvalue(q_pvalue(x$Q, x$df), header = TRUE)))
  audit <- x$zero_cells
  if (!is.null(audit) && nrow(audit) > 0) {
    cli::cat_line(strwrap(sprintf("Zero cells: %d stud%s excluded, %d with arms set aside, %d corrected (see zero_cell_audit())",
                          sum(audit$action == "excluded"),
                          if (sum(audit$action == "excluded") == 1) "y" else "ies",
                          length(unique(audit$study[audit$action == "arm excluded"])),
                          sum(audit$action == "corrected")), width = getOption("width", 80L)))
  }
  invisible(x)
}

#' @export
summary.nma_mh <- function(object, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  # the designs without a within-design Q (the 2x2 tables are pooled)
  fit_summary(object, exponentiate, design_table(object)[c("design", "studies")],
              contrasts = object$mh)
}

#' @method tidy nma_binary_by
#' @export
tidy.nma_binary_by <- function(x, ...) {
  netmeta_guard()
  tibble::as_tibble(collection_members_table(x, batch_fitted(x), function(f) tidy(f, ...)))
}

#' @method glance nma_binary_by
#' @export
glance.nma_binary_by <- function(x, ...) {
  netmeta_guard()
  tibble::as_tibble(collection_members_table(x, batch_fitted(x), function(f) {
    t <- as.data.frame(glance(f, ...), stringsAsFactors = FALSE)
    t[setdiff(names(t), "method")]
  }))
}

#' @export
print.nma_binary_by <- function(x, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  measure <- x[[batch_fitted(x)[1L]]]$measure
  exponentiate <- resolve_exponentiate(exponentiate, measure)
  cli::cat_line(cli::style_bold("Network meta-analyses by "), attr(x, "by"), ": ",
                paste(names(x), collapse = ", "), " (", scale_header(measure, exponentiate), ")")
  td <- as.data.frame(tidy(x, exponentiate = exponentiate), stringsAsFactors = FALSE)
  by <- names(td)[1L]
  shown <- data.frame(td[[by]], td$term, format_num(td$estimate, 3),
                      format_ci(td$conf.low, td$conf.high, 3),
                      format_pvalue(td$p.value), stringsAsFactors = FALSE)
  names(shown) <- c(by, "comparison", measure_abbrev(measure, exponentiate),
                    sprintf("%g%%-CI", 100 * x[[batch_fitted(x)[1L]]]$level), "p.value")
  print_columns(shown, left = c(by, "comparison"))
  note <- log_scale_note(measure, "Standard errors and statistics are")
  if (exponentiate && !is.null(note)) cli::cat_line(note)
  invisible(x)
}

#' @export
summary.nma_binary_by <- function(object, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  structure(lapply(as.list(object)[batch_fitted(object)], summary,
                   exponentiate = exponentiate),
            class = "summary.nma_binary_by",
            by = attr(object, "by"))
}

#' @export
print.summary.nma_binary_by <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  for (g in names(x)) {
    cli::cat_line(cli::style_bold(paste0(attr(x, "by") %||% "outcome", ": ", g)))
    print(x[[g]], digits = digits)
    cli::cat_line()
  }
  invisible(x)
}

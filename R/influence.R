#' Leave-one-study-out influence
#'
#' `leave_one_out()` removes each study in turn and reports the network
#' estimates (every treatment against the reference, under both models), Q,
#' its degrees of freedom, \eqn{I^2} and \eqn{\tau^2} without it, and the
#' impact of the study on the precision of every comparison,
#' \eqn{1 - v / v_{(-s)}} (the share of the variance reduction owed to the
#' study; netmeta's `netimpact()`).
#'
#' All of it comes from one factorisation of the full fit: removing a study
#' with \eqn{p} arms is a rank-\eqn{(p-1)} downdate (block
#' Sherman-Morrison-Woodbury). A study whose removal cuts treatments off the
#' network is fitted directly on what remains; its `disconnects` flag is
#' set, comparisons that are no longer estimable get `NA` estimates and an
#' impact of 1.
#'
#' In the random-effects model the estimates without a study use the fit's
#' \eqn{\tau^2} (as `netimpact()`); the column `tau2` of `studies` gives
#' \eqn{\tau^2} re-estimated without the study by the fit's estimator.
#'
#' @param fit An object of class `nma`.
#' @param reestimate_tau2 Logical; re-estimate \eqn{\tau^2} without each
#'   study (a fit of the reduced network per study).
#' @return An object of class `nma_influence`: a list with
#'   * `studies`: one row per study: `study`, `Q`, `df`, `p.value`, `I2`,
#'     `tau2`, `disconnects`, and `max_impact` (largest impact over the
#'     comparisons, random-effects model);
#'   * `estimates`: long data frame `study, model, treat1, treat2, estimate,
#'     std.error` (treat1 against the reference `treat2`), with the estimate
#'     of the full fit in `estimate_full`;
#'   * `impact`: list of two study x comparison matrices (`common`,
#'     `random`), comparisons labelled `"treat1:treat2"` as in
#'     [tidy.nma()] with `comparisons = "all"`.
#' @references
#' Rücker G, Nikolakopoulou A, Papakonstantinou T, Salanti G, Riley RD,
#' Schwarzer G (2020). The statistical importance of a study for a network
#' meta-analysis estimate. *BMC Medical Research Methodology* 20:190.
#' \doi{10.1186/s12874-020-01075-y}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' loo <- leave_one_out(fit)
#' loo
#' head(tidy(loo))
#' @export
leave_one_out <- function(fit, reestimate_tau2 = TRUE) {
  check_supports(fit, "leave_one_out")
  trt <- fit$treatments
  n <- length(trt)
  ref <- match(fit$reference, trt)
  r <- call_core(loo_cpp, fit, ref, fit$tau2, fit$tau2_method, fit$control$tol_tau2,
                 isTRUE(reestimate_tau2))
  k <- length(fit$studies)
  I2 <- ifelse(r$df > 0, pmax(0, (r$Q - r$df) / r$Q), NA_real_)
  ij <- which(lower.tri(matrix(0, n, n)), arr.ind = TRUE)
  pair_lab <- paste(trt[ij[, 1]], trt[ij[, 2]], sep = ":")
  name_impact <- function(m) {
    dimnames(m) <- list(study = fit$studies, comparison = pair_lab)
    m
  }
  impact <- list(common = name_impact(r$impact_common), random = name_impact(r$impact_random))
  studies <- data.frame(
    study = fit$studies, Q = r$Q, df = r$df,
    p.value = mapply(q_pvalue, r$Q, r$df), I2 = I2,
    tau2 = if (isTRUE(reestimate_tau2)) r$tau2 else NA_real_,
    disconnects = r$disconnects,
    max_impact = if (n > 1) apply(impact$random, 1, max) else NA_real_,
    stringsAsFactors = FALSE)
  others <- setdiff(seq_len(n), ref)
  long <- function(est, se, model) {
    data.frame(study = rep(fit$studies, times = length(others)), model = model,
               treat1 = rep(trt[others], each = k), treat2 = fit$reference,
               estimate = as.vector(est[, others, drop = FALSE]),
               std.error = as.vector(se[, others, drop = FALSE]),
               estimate_full = rep(unname(fit[[model]]$theta[others]), each = k),
               stringsAsFactors = FALSE)
  }
  estimates <- rbind(long(r$est_common, r$se_common, "common"),
                     long(r$est_random, r$se_random, "random"))
  structure(list(studies = studies, estimates = estimates, impact = impact,
                 Q = fit$Q, df = fit$df, tau2 = fit$tau2, tau2_method = fit$tau2_method,
                 reference = fit$reference, measure = fit$measure),
            class = "nma_influence")
}

#' @export
print.nma_influence <- function(x, digits = 3, ...) {
  check_dots_print(...)
  cli::cat_line(cli::style_bold("Leave-one-study-out"),
                sprintf(" (full network: Q = %s, df = %d, tau^2 = %s [%s])",
                        format_num(x$Q, 2), x$df, format_num(x$tau2, 4), x$tau2_method))
  s <- x$studies
  shown <- data.frame(study = s$study, Q = format_num(s$Q, 2), df = s$df,
                      I2 = paste0(format_num(100 * s$I2, 1), "%"),
                      tau2 = format_num(s$tau2, 4),
                      max_impact = format_num(s$max_impact, 3),
                      disconnects = ifelse(s$disconnects, "yes", ""),
                      stringsAsFactors = FALSE)
  print(shown, row.names = FALSE, right = FALSE)
  invisible(x)
}

#' @rdname leave_one_out
#' @param x An object of class `nma_influence`.
#' @param ... Unused.
#' @return `tidy()`: the long table of estimates without each study.
#'   `glance()`: the per-study table.
#' @method tidy nma_influence
#' @export
tidy.nma_influence <- function(x, ...) x$estimates

#' @rdname leave_one_out
#' @method glance nma_influence
#' @export
glance.nma_influence <- function(x, ...) x$studies

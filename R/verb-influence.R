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
#'   study. A fit with a preset \eqn{\tau^2} (`nma(..., tau2 = )`) keeps
#'   it: no re-estimation, and the column `tau2` repeats the preset value.
#'   On small networks (studies x treatments^3 up to
#'   `getOption("fastnma.loo_exact_budget", 2e9)`) and for the PM estimator
#'   each reduced network is refitted. On larger networks the estimate
#'   comes from the full fit by low-rank updates: DL exactly (Q, its degrees
#'   of freedom and the DL denominator of the reduced network), REML and ML
#'   from the reduced network's exact score and second derivative at the
#'   full-network estimate and at 1 +- 2.5% of it: a Newton step when it is
#'   below 1e-4 of \eqn{\tau^2}, otherwise the root of the cubic Hermite
#'   interpolant of the score (a refit if the root lies further away).
#' @param impact Logical or `NULL`; keep the study x comparison impact
#'   matrices. They hold \eqn{k \cdot n(n-1)/2} numbers per model (2.7
#'   GB for 300 treatments and 3,000 studies), so `NULL` (the default)
#'   keeps them only up to `getOption("fastnma.impact_max", 1e7)` numbers
#'   and says so otherwise; the largest impact per study (`max_impact`) is
#'   always reported.
#' @param parallel Logical; split the studies into chunks (one per worker
#'   of the current [future::plan()]) and run them through
#'   [future.apply::future_lapply()]. The numbers are identical to the
#'   sequential run (each chunk starts from the same full fit; no random
#'   numbers are used). Any plan works: `future::plan(future::multisession,
#'   workers = 2)` on one machine, `future::plan(future::cluster, workers =
#'   c("node1", "node2"))` over SSH, or a scheduler through
#'   `future.batchtools`. Needs the future.apply package.
#' @return An object of class `nma_influence`: a list with
#'   * `studies`: one row per study: `study`, `Q`, `df`, `p.value`, `I2`,
#'     `tau2`, `disconnects`, and `max_impact` (largest impact over the
#'     comparisons, random-effects model);
#'   * `estimates`: long data frame `study, model, treat1, treat2, estimate,
#'     std.error` (treat1 against the reference `treat2`), with the estimate
#'     of the full fit in `estimate_full`;
#'   * `impact`: list of two study x comparison matrices (`common`,
#'     `random`), comparisons labelled `"treat1 vs treat2"` in the
#'     canonical orientation and order of [tidy.nma()] with
#'     `comparisons = "all"`; `comparisons` holds their `treat1, treat2`
#'     (`NULL` when not kept, see `impact`).
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
leave_one_out <- function(fit, reestimate_tau2 = TRUE, impact = NULL,
                          parallel = FALSE, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_supports(fit, "leave_one_out")
  if (!is.null(impact)) check_flag(impact, "impact")
  check_flag(parallel, "parallel")
  trt <- fit$treatments
  n <- length(trt)
  ref <- match(fit$reference, trt)
  k <- length(fit$studies)
  n_pairs <- n * (n - 1) / 2
  if (is.null(impact)) {
    impact <- k * n_pairs <= getOption("fastnma.impact_max", 1e7)
    if (!impact) {
      inform_fastnma(c(
        "i" = "The impact matrices ({k} studies x {n_pairs} comparisons per model) are not kept; {.field max_impact} per study is.",
        " " = "Use {.code impact = TRUE} to keep them."
      ), "impact_not_kept")
    }
  }
  # a preset tau^2 is kept in every leave-one-out fit
  preset <- identical(fit$tau2_method, "preset")
  if (preset) reestimate_tau2 <- FALSE
  budget <- as.double(getOption("fastnma.loo_exact_budget", 2e9))
  core <- function(first, last) {
    call_core(loo_cpp, fit, list(
      ref = ref, tau2 = fit$tau2, tau2_method = fit$tau2_method,
      tol_tau2 = fit$control$tol_tau2, reestimate = isTRUE(reestimate_tau2),
      store_impact = isTRUE(impact), exact_budget = budget, first = first, last = last))
  }
  # the core reports its progress every 16 studies
  r <- if (parallel && k > 1L) loo_parallel(core, k) else
    with_progress(core(1L, k), k, 16, "Leaving out each study")
  I2 <- ifelse(r$df > 0, pmax(0, (r$Q - r$df) / r$Q), NA_real_)
  # the core's columns are the pairs later vs earlier in sorted order:
  # report them in the canonical orientation and order (an impact has no
  # direction)
  ij <- which(lower.tri(matrix(0, n, n)), arr.ind = TRUE)
  cp <- canonical_pairs(fit, "all")
  col_idx <- pair_match(pmax(cp$i, cp$j), pmin(cp$i, cp$j), ij[, 1], ij[, 2])
  pair_lab <- pair_labels(fit, cp$i, cp$j)
  name_impact <- function(m) {
    m <- m[, col_idx, drop = FALSE]
    dimnames(m) <- list(study = fit$studies, comparison = pair_lab)
    m
  }
  impact <- if (isTRUE(impact)) {
    list(common = name_impact(r$impact_common), random = name_impact(r$impact_random))
  }
  studies <- data.frame(
    study = fit$studies, Q = r$Q, df = r$df,
    p.value = mapply(q_pvalue, r$Q, r$df), I2 = I2,
    tau2 = if (isTRUE(reestimate_tau2)) r$tau2 else if (preset) fit$tau2 else NA_real_,
    disconnects = r$disconnects,
    max_impact = if (n > 1) r$max_impact_random else NA_real_,
    stringsAsFactors = FALSE)
  others <- setdiff(seq_len(n), ref)
  long <- function(est, se, model) {
    # comparisons the core could not estimate without the study (it
    # disconnects them) are missing, not NaN
    est[is.nan(est)] <- NA_real_
    se[is.nan(se)] <- NA_real_
    data.frame(study = rep(fit$studies, times = length(others)), model = model,
               treat1 = rep(trt[others], each = k), treat2 = fit$reference,
               estimate = as.vector(est[, others, drop = FALSE]),
               std.error = as.vector(se[, others, drop = FALSE]),
               estimate_full = rep(unname(fit[[model]]$theta[others]), each = k),
               stringsAsFactors = FALSE)
  }
  estimates <- rbind(long(r$est_common, r$se_common, "common"),
                     long(r$est_random, r$se_random, "random"))
  new_fastnma_result(list(studies = studies, estimates = estimates, impact = impact,
                 Q = fit$Q, df = fit$df, tau2 = fit$tau2, tau2_method = fit$tau2_method,
                 comparisons = data.frame(treat1 = trt[cp$i], treat2 = trt[cp$j],
                                          stringsAsFactors = FALSE),
                 reference = fit$reference, level = fit$level, measure = fit$measure),
            "nma_influence")
}

# Leave-one-out in chunks of studies through the future framework: each
# chunk fills its rows of the core's result, the rows are put together.
loo_parallel <- function(core, k) {
  rlang::check_installed("future.apply", reason = "for `parallel = TRUE`.")
  n_chunks <- max(1L, min(k, as.integer(future::nbrOfWorkers())))
  chunks <- split(seq_len(k), cut(seq_len(k), n_chunks, labels = FALSE))
  parts <- future.apply::future_lapply(chunks, function(ch) {
    list(rows = ch, r = core(ch[1L], ch[length(ch)]))
  }, future.seed = NULL)  # no random numbers are drawn (loading packages may touch the RNG)
  out <- parts[[1L]]$r
  for (p in parts[-1L]) {
    for (nm in names(out)) {
      x <- out[[nm]]
      if (is.matrix(x)) {
        x[p$rows, ] <- p$r[[nm]][p$rows, , drop = FALSE]
      } else if (length(x) == k) {
        x[p$rows] <- p$r[[nm]][p$rows]
      }
      out[[nm]] <- x
    }
  }
  out
}

#' @export
print.nma_influence <- function(x, digits = 3, ...) {
  netmeta_guard()
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
  print_columns(shown, left = c("study", "disconnects"))
  cat_note(
    "Q, df, I2, tau2: the network without the study.",
    "max_impact: the largest share of the variance of a random-effects comparison",
    "owed to the study, 1 - v / v(without the study), over all comparisons",
    "(0: no comparison relies on it; 1: a comparison cannot be estimated without it).")
  invisible(x)
}

#' @rdname leave_one_out
#' @param x An object of class `nma_influence`.
#' @param conf.int Logical; include Wald confidence limits `conf.low,
#'   conf.high` (default `TRUE`).
#' @param conf.level Confidence level; defaults to the level of the fit.
#' @param exponentiate Logical; estimates and limits of ratio measures on
#'   the ratio scale (default `FALSE`); an error for difference measures.
#' @param ... Unused.
#' @return `tidy()`: a tibble, the long table of estimates without each
#'   study: `term` (`"treat1 vs treat2"`, every treatment against the
#'   reference), `study`, `model`, `treat1, treat2, estimate, std.error,
#'   conf.low, conf.high, statistic, p.value` and `estimate_full`.
#'   `glance()`: one row on the full network and the studies: `k` (studies),
#'   `Q`, `df`, `tau2`, `tau2_method`, `n_disconnecting` (studies whose
#'   removal disconnects the network), `max_impact` (largest impact of a
#'   study on a comparison, random-effects model) and `max_impact_study`.
#'   The per-study table is `x$studies`.
#' @method tidy nma_influence
#' @export
tidy.nma_influence <- function(x, conf.int = TRUE, conf.level = x$level %||% 0.95,
                               exponentiate = FALSE, ...) {
  netmeta_guard()
  check_level(conf.level)
  check_conf_int(conf.int)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure %||% "generic")
  d <- x$estimates
  z <- stats::qnorm(1 - (1 - conf.level) / 2)
  stat <- d$estimate / d$std.error
  out <- data.frame(study = d$study, model = d$model, treat1 = d$treat1,
                    treat2 = d$treat2, estimate = d$estimate,
                    std.error = d$std.error,
                    conf.low = d$estimate - z * d$std.error,
                    conf.high = d$estimate + z * d$std.error,
                    statistic = stat, p.value = 2 * stats::pnorm(-abs(stat)),
                    estimate_full = d$estimate_full, stringsAsFactors = FALSE)
  if (exponentiate) {
    out <- exponentiate_columns(out, c("estimate", "conf.low", "conf.high", "estimate_full"))
  }
  as_tidy(out, conf.int = conf.int)
}

#' @rdname leave_one_out
#' @method glance nma_influence
#' @export
glance.nma_influence <- function(x, ...) {
  netmeta_guard()
  s <- x$studies
  top <- if (all(is.na(s$max_impact))) NA_integer_ else which.max(s$max_impact)
  as_glance(data.frame(
    k = nrow(s), Q = x$Q, df = x$df, tau2 = x$tau2, tau2_method = x$tau2_method,
    n_disconnecting = sum(s$disconnects),
    max_impact = if (is.na(top)) NA_real_ else s$max_impact[top],
    max_impact_study = if (is.na(top)) NA_character_ else as.character(s$study[top]),
    stringsAsFactors = FALSE))
}

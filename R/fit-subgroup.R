#' Subgroup network meta-analysis
#'
#' `subgroup_nma()` fits a separate network to the studies of every level of
#' a study-level variable (each with its own \eqn{\tau^2}, by the fit's
#' estimator and settings, from the compiled core) and tests whether the
#' network estimates differ between subgroups.
#'
#' @section Test of difference between subgroups:
#' For a comparison estimated in \eqn{G \ge 2} subgroups with estimates
#' \eqn{\hat\theta_g} and variances \eqn{v_g} (of the chosen model),
#' \deqn{Q_{sub} = \sum_g w_g (\hat\theta_g - \bar\theta)^2, \quad
#' w_g = 1/v_g, \quad \bar\theta = \sum_g w_g\hat\theta_g / \sum_g w_g,}
#' compared with \eqn{\chi^2_{G-1}}: the test of subgroup differences of
#' pairwise meta-analysis (Borenstein et al. 2009, ch. 19; `Q.b.common` and
#' `Q.b.random` of meta, with a separate \eqn{\tau^2} per subgroup), applied
#' to the network estimates.
#'
#' The overall test compares the subgroups' vectors of basic parameters
#' jointly: subgroup \eqn{g} estimates the effects \eqn{d_g} of its
#' treatments against its own reference, with covariance \eqn{V_g}, and
#' \eqn{d_g = A_g\theta} under the hypothesis of one set of effects
#' \eqn{\theta} (against the fit's reference) for all subgroups;
#' \deqn{Q_{sub} = \sum_g (d_g - A_g\hat\theta)' V_g^{-1} (d_g - A_g\hat\theta),
#' \quad \hat\theta = (\textstyle\sum_g A_g'V_g^{-1}A_g)^{-}
#' \sum_g A_g'V_g^{-1}d_g,}
#' with \eqn{\sum_g \dim(d_g) - \mathrm{rank}(\sum_g A_g'V_g^{-1}A_g)}
#' degrees of freedom. For the common-effect model it is the part of the
#' full network's Q that lies between subgroups (Q of the full network minus
#' the sum of the subgroups' Q). For two treatments it is the pairwise test
#' above. The tests use the model's (Wald) variances, also when the fit uses
#' Hartung-Knapp intervals.
#'
#' A subgroup whose studies form separate parts is fitted on the part with
#' the reference (or its largest part), as the steps of [cumulative_nma()];
#' the studies set aside are listed in `x$subgroups$set_aside`, and
#' comparisons a subgroup cannot estimate have `status` `"not in network"`
#' or `"disconnected"` and take no part in the tests.
#'
#' @inheritParams cumulative_nma
#' @param by The study-level subgroup variable: a column of `data` (bare name
#'   or string, one value per study) or a vector named by study (every study
#'   of the fit, no missing values). At least two subgroups.
#' @return An object of class `nma_subgroup`: a list with `subgroups` (one
#'   row per subgroup: `subgroup`, `k`, `k_fitted`, `n_treatments`,
#'   `connected`, `tau2`, `Q`, `df`, `I2`, `tau2_identifiable`, `set_aside`,
#'   `note`), `fits` (the fit of each subgroup), `full` (the fit of all
#'   studies), `by_name` and the fit's `treatments`, `reference`, `measure`,
#'   `level`, `tau2_method`.
#' @references
#' Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009). *Introduction
#' to Meta-Analysis*, chapter 19: Subgroup analyses. Wiley.
#' \doi{10.1002/9780470743386}
#'
#' Rücker G (2012). Network meta-analysis, electrical networks and graph
#' theory. *Research Synthesis Methods* 3(4):312-324. \doi{10.1002/jrsm.1058}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac",
#'            tau2_method = "DL")
#' studies <- unique(senn2013$study)
#' year <- as.integer(regmatches(studies, regexpr("[0-9]{4}", studies)))
#' era <- ifelse(year < 2005, "before 2005", "2005 on")
#' sg <- subgroup_nma(fit, setNames(era, studies))
#' sg
#' tidy(sg, type = "test")
#' glance(sg)
#' @export
subgroup_nma <- function(fit, by, data = NULL, ...) {
  netmeta_guard()
  check_dots_empty(...)
  quo <- rlang::enquo(by)
  v <- refit_study_values(fit, "subgroup_nma", quo, data, "by", env = parent.frame())
  groups <- if (is.factor(v)) levels(droplevels(v)) else as.character(sort(unique(v)))
  key <- match(as.character(v), groups)
  if (length(groups) < 2L) {
    abort_fastnma(c(
      "{.arg by} must define at least two subgroups.",
      "x" = "Every study has the value {.val {groups}}."
    ), "subgroup")
  }
  parts <- lapply(seq_along(groups), function(g) subset_fit(fit, fit$studies[key == g]))
  names(parts) <- groups
  tab <- steps_table(parts, groups, lapply(seq_along(groups), function(g) character()))
  warned <- groups[vapply(parts, function(p) length(p$warnings) > 0L, logical(1))]
  if (length(warned)) {
    cli::cli_warn(c(
      "The {fit$tau2_method} estimate of tau^2 did not converge in subgroup{?s} {.val {warned}}."
    ), class = c("fastnma_warning_convergence", "fastnma_warning"))
  }
  tab <- cbind(data.frame(subgroup = groups, stringsAsFactors = FALSE),
               tab[setdiff(names(tab), c("step", "order_value", "studies_added"))])
  rownames(tab) <- NULL
  full <- whole_part(fit)
  full$identifiable <- isTRUE(fit$tau2_info$identifiable %||% TRUE)
  new_collection(list(subgroups = tab, fits = lapply(parts, `[[`, "fit"), parts = parts,
                      full = full, by_name = rlang::as_label(quo),
                      treatments = fit$treatments, reference = fit$reference,
                      measure = fit$measure, level = fit$level,
                      tau2_method = fit$tau2_method, ci_method = fit$ci_method,
                      k = length(fit$studies)),
                 "nma_subgroup")
}

# Tests of difference between subgroups: per comparison (all canonical
# pairs of the fit) and overall.
subgroup_tests <- function(x, model) {
  pairs <- frame_pairs(x, "all")
  n_pairs <- length(pairs$treat1)
  sw <- swy <- swyy <- numeric(n_pairs)
  ng <- integer(n_pairs)
  non_ref <- setdiff(x$treatments, x$reference)
  p <- length(non_ref)
  M <- matrix(0, p, p)
  b <- numeric(p)
  pieces <- list()
  for (part in x$parts) {
    f <- part$fit
    th <- f[[model]]$theta
    C <- f[[model]]$cov
    i <- match(pairs$treat1, f$treatments)
    j <- match(pairs$treat2, f$treatments)
    ok <- !is.na(i) & !is.na(j)
    est <- th[i[ok]] - th[j[ok]]
    v <- C[cbind(i[ok], i[ok])] + C[cbind(j[ok], j[ok])] - 2 * C[cbind(i[ok], j[ok])]
    w <- 1 / v
    sw[ok] <- sw[ok] + w
    swy[ok] <- swy[ok] + w * est
    swyy[ok] <- swyy[ok] + w * est^2
    ng[ok] <- ng[ok] + 1L
    # overall: effects against the part's own reference
    r <- match(f$reference, f$treatments)
    o <- setdiff(seq_along(f$treatments), r)
    d <- unname(th[o] - th[r])
    no <- length(o)
    V <- C[o, o, drop = FALSE] - matrix(C[o, r], no, no) -
      matrix(C[r, o], no, no, byrow = TRUE) + C[r, r]
    A <- matrix(0, length(o), p)
    col_t <- match(f$treatments[o], non_ref)
    A[cbind(which(!is.na(col_t)), col_t[!is.na(col_t)])] <- 1
    col_r <- match(f$reference, non_ref)
    if (!is.na(col_r)) A[, col_r] <- A[, col_r] - 1
    Vi <- solve(V)
    M <- M + crossprod(A, Vi %*% A)
    b <- b + drop(crossprod(A, Vi %*% d))
    pieces[[length(pieces) + 1L]] <- list(d = d, A = A, Vi = Vi)
  }
  Qc <- ifelse(ng >= 2L, swyy - swy^2 / sw, NA_real_)
  Qc[!is.na(Qc) & Qc < 0] <- 0
  dfc <- ifelse(ng >= 2L, ng - 1L, NA_integer_)
  per <- data.frame(treat1 = pairs$treat1, treat2 = pairs$treat2, n_subgroups = ng,
                    Q_subgroups = Qc, df_subgroups = as.integer(dfc),
                    p.value = ifelse(ng >= 2L, stats::pchisq(Qc, pmax(dfc, 1L),
                                                             lower.tail = FALSE), NA_real_),
                    stringsAsFactors = FALSE)
  e <- eigen(M, symmetric = TRUE)
  keep <- e$values > max(e$values, 0) * 1e-10
  rank <- sum(keep)
  theta <- drop(e$vectors[, keep, drop = FALSE] %*%
                  (crossprod(e$vectors[, keep, drop = FALSE], b) / e$values[keep]))
  Q <- sum(vapply(pieces, function(pc) {
    res <- pc$d - drop(pc$A %*% theta)
    sum(res * drop(pc$Vi %*% res))
  }, double(1)))
  df <- sum(vapply(pieces, function(pc) length(pc$d), integer(1))) - rank
  overall <- list(Q = if (df > 0) max(Q, 0) else NA_real_, df = as.integer(df),
                  p.value = if (df > 0) stats::pchisq(max(Q, 0), df, lower.tail = FALSE) else NA_real_)
  list(per = per, overall = overall)
}

#' @export
print.nma_subgroup <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  s <- x$subgroups
  cat_title("Subgroup network meta-analysis", x$measure, exponentiate,
            paste0(" by ", x$by_name))
  cat_wrapped(sprintf("%d subgroups, %d studies, %d treatments; reference: %s; tau^2 %s (per subgroup)",
                        nrow(s), x$k, length(x$treatments), x$reference, x$tau2_method))
  print_columns(data.frame(subgroup = s$subgroup, k = s$k, treatments = s$n_treatments,
                           tau2 = format_num(s$tau2, 4), note = s$note,
                           stringsAsFactors = FALSE), left = c("subgroup", "note"))
  cli::cat_line()
  wide <- side_by_side(tidy(x, exponentiate = exponentiate), "term", "subgroup", digits)
  test <- tidy(x, type = "test", comparisons = "reference")
  wide$p_difference <- format_pvalue(test$p.value[match(wide$term, test$term)])
  cat_wrapped(cli::style_bold("Random-effects estimates against the reference"),
                sprintf(" (%g%%-CI; -: not estimable)", 100 * x$level))
  print_columns(wide, left = "term")
  g <- glance(x)
  cat_wrapped(sprintf("Test of difference between subgroups (all comparisons): Q = %s, df = %d, %s",
                        format_num(g$Q_subgroups, 2), g$df_subgroups,
                        format_pvalue(g$p.value, header = TRUE)))
  invisible(x)
}

#' @rdname subgroup_nma
#' @param x An object of class `nma_subgroup`.
#' @param type `"estimates"` (default): one row per subgroup and comparison;
#'   `"test"`: one row per comparison with the test of difference between
#'   subgroups.
#' @inheritParams tidy.nma_cumulative
#' @return `tidy()`: for `type = "estimates"` a tibble with `subgroup`, `k`
#'   (studies of the subgroup), the columns of `tidy(<nma>)` and `status`;
#'   for `type = "test"`: `term, treat1, treat2, model, n_subgroups`
#'   (subgroups that estimate the comparison), `Q_subgroups`,
#'   `df_subgroups` and `p.value` (`NA` where fewer than two subgroups
#'   estimate it). `glance()`: one row: `n_subgroups`, `k`, `n_treatments`,
#'   `model`, `Q_subgroups`, `df_subgroups`, `p.value` (the overall test)
#'   and `tau2_method`.
#' @method tidy nma_subgroup
#' @export
tidy.nma_subgroup <- tidy_parts

# tidy(x, type = "test"): the test of difference between subgroups per
# comparison.
subgroup_test_table <- function(x, model, comparisons, call = rlang::caller_env()) {
  ch <- collection_choices(model, comparisons, FALSE, x$measure, call = call)
  per <- subgroup_tests(x, ch$model)$per
  if (ch$comparisons == "reference") per <- per[per$treat2 == x$reference, , drop = FALSE]
  as_tidy(per, model = ch$model)
}

#' @rdname subgroup_nma
#' @method glance nma_subgroup
#' @export
glance.nma_subgroup <- function(x, model = c("random", "common"), ...) {
  netmeta_guard()
  check_dots_empty(...)
  model <- check_arg_choice(model)
  o <- subgroup_tests(x, model)$overall
  as_glance(data.frame(
    n_subgroups = nrow(x$subgroups), k = x$k, n_treatments = length(x$treatments),
    model = model, Q_subgroups = o$Q, df_subgroups = o$df, p.value = o$p.value,
    tau2_method = x$tau2_method, stringsAsFactors = FALSE))
}

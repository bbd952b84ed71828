#' Pairwise meta-analysis of binary outcomes, one per comparison
#'
#' For every pair of treatments compared directly in `data`, pools the
#' studies that compare them with the Mantel-Haenszel method (odds ratio, risk
#' ratio or risk difference) or with Peto's method (odds ratio). A multi-arm
#' study contributes one 2x2 table to each of its comparisons. Suited to
#' adverse events: neither method needs a continuity correction. With `by`,
#' several outcomes (for instance any adverse event, serious adverse events,
#' joint-related adverse events) in long format are analysed in one call.
#'
#' @section Methods:
#' For a 2x2 table with \eqn{a} events out of \eqn{n_1} on `treat1`, \eqn{c}
#' out of \eqn{n_2} on `treat2`, \eqn{b = n_1 - a}, \eqn{d = n_2 - c} and
#' \eqn{N = n_1 + n_2}:
#' * MH odds ratio \eqn{\sum (ad/N) / \sum (bc/N)} with the variance of
#'   Robins, Breslow and Greenland (1986);
#' * MH risk ratio \eqn{\sum (a n_2/N) / \sum (c n_1/N)} with the variance of
#'   Greenland and Robins (1985);
#' * MH risk difference \eqn{\sum (a n_2 - c n_1)/N / \sum n_1 n_2/N} with the
#'   variance of Sato, Greenland and Robins (1989);
#' * Peto odds ratio \eqn{\exp(\sum (O - E) / \sum V)}, variance \eqn{1/\sum
#'   V}, \eqn{O - E = a - n_1 (a + c)/N}, \eqn{V = n_1 n_2 (a + c)(b + d) /
#'   (N^2 (N - 1))} (Yusuf et al. 1985).
#'
#' Heterogeneity: for the MH methods, Cochran's Q of the study estimates
#' around the MH estimate with inverse-variance weights, the study estimates
#' computed with 0.5 added to every cell of a table with a zero cell and
#' tables with no events (or only events) in both arms left out of Q, as
#' `metafor::rma.mh()` does by default; for Peto's method
#' \eqn{\sum (O - E)^2 / V - (\sum (O - E))^2 / \sum V}. `df` is the number of
#' tables contributing to Q minus 1. Tables without events (or with only
#' events) in both arms carry no information on a ratio and are listed in the
#' zero-cell audit (attribute `zero_cells`, see [zero_cell_audit()]); they
#' count in `k` and, for the risk difference, in the estimate.
#'
#' When a comparison has no events on one side in every study, the exact MH
#' odds ratio or risk ratio is 0 or infinite: 0.5 is then added to every cell
#' of that comparison's tables with a zero cell and the MH formulas are
#' applied to the corrected tables, as `meta::metabin()` does; a comparison
#' with no events (or only events) in every study has no estimate (`NA`).
#' Both are announced in a message and listed in the audit.
#'
#' @inheritParams nma_binary
#' @param measure `"RR"` (default), `"OR"` or `"RD"`.
#' @param method `"MH"` (default) or `"Peto"` (odds ratio only).
#' @param by Optional column (bare name or string) naming the outcome of each
#'   row; one set of comparisons per outcome, stacked in one table with the
#'   outcome as first column.
#' @param exponentiate Logical; report ratio measures on the ratio scale.
#'   Standard errors stay on the log scale.
#' @return A data frame with one row per comparison (and outcome): `treat1,
#'   treat2` (`treat1` later in sorted order), `measure`, `method`, `k`
#'   (studies), `events1, n1, events2, n2` (totals), `estimate, std.error,
#'   conf.low, conf.high, statistic, p.value` (log scale for OR and RR unless
#'   `exponentiate`), `Q, df, p_value_Q` (`df` was `df_Q`: the old name
#'   still reads, with a deprecation warning, for one release). Attribute
#'   `zero_cells`: the audit.
#' @references
#' Mantel N, Haenszel W (1959). Statistical aspects of the analysis of data
#' from retrospective studies of disease. *Journal of the National Cancer
#' Institute* 22(4):719-748.
#'
#' Greenland S, Robins JM (1985). Estimation of a common effect parameter
#' from sparse follow-up data. *Biometrics* 41(1):55-68. \doi{10.2307/2530643}
#'
#' Robins J, Breslow N, Greenland S (1986). Estimators of the Mantel-Haenszel
#' variance consistent in both sparse data and large-strata limiting models.
#' *Biometrics* 42(2):311-323. \doi{10.2307/2531052}
#'
#' Sato T, Greenland S, Robins JM (1989). On the variance estimator for the
#' Mantel-Haenszel risk difference. *Biometrics* 45(4):1323-1324.
#'
#' Yusuf S, Peto R, Lewis J, Collins R, Sleight P (1985). Beta blockade during
#' and after myocardial infarction: an overview of the randomized trials.
#' *Progress in Cardiovascular Diseases* 27(5):335-371.
#' @examples
#' pairwise_binary(dong2013, study, treatment, events, n, measure = "OR")
#' pairwise_binary(dong2013, measure = "OR", method = "Peto",
#'                 exponentiate = TRUE)
#' @export
pairwise_binary <- function(data, study = study, treatment = treatment,
                            events = events, n = n,
                            measure = c("RR", "OR", "RD"),
                            method = c("MH", "Peto"), by = NULL,
                            level = 0.95, exponentiate = FALSE, ...) {
  netmeta_guard(dots_empty = TRUE)
  env <- parent.frame()
  check_data_frame(data)
  measure <- check_choice(if (missing(measure)) NULL else measure,
                          c("RR", "OR", "RD"), "measure")
  method <- check_choice(if (missing(method)) NULL else method, c("MH", "Peto"), "method")
  if (method == "Peto" && measure != "OR") {
    abort_fastnma(c(
      "Peto's method estimates odds ratios only.",
      "x" = "{.arg measure} is {.val {measure}}; use {.code measure = \"OR\"}."
    ), "method")
  }
  check_level(level)
  by_expr <- substitute(by)
  grp <- if (!is.null(by_expr)) capture_column(by_expr, data, env, "by")
  arms <- capture_binary_arms(data, substitute(study), substitute(treatment),
                              substitute(events), substitute(n), env, group = grp)
  if (is.null(by_expr)) {
    return(with_old_names(pairwise_tables(arms, measure, method, level, exponentiate)))
  }
  check_no_missing(grp, column_label(by_expr), arms$study)
  grp <- as.character(grp)
  groups <- unique(grp)
  parts <- lapply(groups, function(g) {
    keep <- grp == g
    out <- pairwise_tables(subset_arms(arms, keep), measure, method, level, exponentiate)
    audit <- attr(out, "zero_cells")
    out <- cbind(outcome = rep(g, nrow(out)), out, stringsAsFactors = FALSE)
    attr(out, "zero_cells") <- if (nrow(audit)) cbind(outcome = g, audit, stringsAsFactors = FALSE) else NULL
    out
  })
  audit <- do.call(rbind, lapply(parts, attr, "zero_cells"))
  out <- do.call(rbind, parts)
  names(out)[1] <- column_label(by_expr)
  rownames(out) <- NULL
  attr(out, "zero_cells") <- audit %||% empty_audit()
  with_old_names(out)
}

# All 2x2 tables (pairs of arms within a study), treat1 later in sorted order.
arm_pairs <- function(st, tr, ev, nn) {
  u <- unique(st)
  sid <- match(st, u)
  ord <- order(sid, tr)
  st <- st[ord]; tr <- tr[ord]; ev <- ev[ord]; nn <- nn[ord]; sid <- sid[ord]
  p <- tabulate(sid)[sid]
  pos <- stats::ave(seq_along(st), sid, FUN = seq_along)
  times <- p - pos
  i2 <- rep(seq_along(st), times = times)      # earlier treatment
  i1 <- i2 + sequence(times[times > 0])        # later treatment
  data.frame(study = st[i1], treat1 = tr[i1], treat2 = tr[i2],
             a = ev[i1], n1 = nn[i1], c = ev[i2], n2 = nn[i2],
             stringsAsFactors = FALSE)
}

pairwise_tables <- function(arms, measure, method, level, exponentiate) {
  tb <- arm_pairs(arms$study, arms$treatment, arms$events, arms$n)
  # Comparisons as integer codes of their labels (no pasted label keys, so
  # labels may hold any character).
  lv <- unique(c(tb$treat1, tb$treat2))
  key <- match(tb$treat1, lv) * (length(lv) + 1L) + match(tb$treat2, lv)
  o <- order(tb$treat2, tb$treat1)
  first <- o[!duplicated(key[o])]
  comps <- key[first]
  g <- match(key, comps)
  a <- tb$a; c <- tb$c; n1 <- tb$n1; n2 <- tb$n2
  b <- n1 - a; d <- n2 - c; N <- n1 + n2
  raw <- list(a = a, c = c, n1 = n1, n2 = n2)
  sum_g <- function(x) as.vector(rowsum(as.double(x), g, reorder = TRUE))
  k <- tabulate(g)
  double <- (a == 0 & c == 0) | (b == 0 & d == 0)

  if (method == "Peto") {
    oe <- a - n1 * (a + c) / N
    v <- n1 * n2 * (a + c) * (b + d) / (N^2 * (N - 1))
    v[!is.finite(v)] <- 0
    OE <- sum_g(oe); V <- sum_g(v)
    est <- OE / V
    var <- 1 / V
    Q <- sum_g(ifelse(v > 0, oe^2 / v, 0)) - OE^2 / V
    df <- sum_g(v > 0) - 1
  } else {
    # Where the exact MH ratio is 0 or infinite (no events on one side of a
    # comparison in any study), 0.5 is added to every cell of the tables
    # with a zero cell and the MH formulas are applied to the corrected
    # tables, as meta::metabin() does; such comparisons are reported.
    if (measure %in% c("OR", "RR")) {
      side1 <- if (measure == "OR") a * d else a * n2
      side2 <- if (measure == "OR") b * c else c * n1
      degenerate <- (sum_g(side1) == 0 | sum_g(side2) == 0) &
        sum_g(a + c) > 0 & sum_g(b + d) > 0
      fix <- degenerate[g] & (a == 0 | b == 0 | c == 0 | d == 0)
      corrected <- which(degenerate)
      if (any(fix)) {
        a <- a + 0.5 * fix; b <- b + 0.5 * fix; c <- c + 0.5 * fix; d <- d + 0.5 * fix
        n1 <- a + b; n2 <- c + d; N <- n1 + n2
      }
    } else {
      corrected <- integer()
    }
    if (measure == "OR") {
      R <- a * d / N; S <- b * c / N
      P <- (a + d) / N; Qc <- (b + c) / N
      Rs <- sum_g(R); Ss <- sum_g(S)
      est <- log(Rs / Ss)
      var <- sum_g(P * R) / (2 * Rs^2) + sum_g(P * S + Qc * R) / (2 * Rs * Ss) +
        sum_g(Qc * S) / (2 * Ss^2)
    } else if (measure == "RR") {
      Rs <- sum_g(a * n2 / N); Ss <- sum_g(c * n1 / N)
      est <- log(Rs / Ss)
      var <- sum_g((n1 * n2 * (a + c) - a * c * N) / N^2) / (Rs * Ss)
    } else {
      W <- sum_g(n1 * n2 / N)
      est <- sum_g((a * n2 - c * n1) / N) / W
      P <- (n1^2 * c - n2^2 * a + n1 * n2 * (n2 - n1) / 2) / N^2
      Qs <- (a * (n2 - c) + c * (n1 - a)) / (2 * N)
      var <- (est * sum_g(P) + sum_g(Qs)) / W^2
    }
    # Cochran's Q around the MH estimate, from the study estimates of the
    # 2x2 routine with metafor's convention (0.5 added to every cell of a
    # table with a zero cell, every quantity from the corrected table);
    # tables with no events, or only events, in both arms left out.
    inc <- ifelse(a == 0 | b == 0 | c == 0 | d == 0, 0.5, 0)
    eff <- twobytwo(a, n1, inc, c, n2, inc, measure, convention = "cells",
                    drop_no_events = TRUE, drop_all_events = TRUE)
    use <- eff$status == 0L
    yi <- eff$estimate
    vi <- eff$std.error^2
    Q <- sum_g(ifelse(use, (yi - est[g])^2 / vi, 0))
    df <- sum_g(use) - 1
  }
  if (method == "Peto") corrected <- integer()
  se <- sqrt(var)
  # No events (or only events) in every study of a comparison: no ratio.
  none <- !is.finite(est) | !is.finite(se)
  est[none] <- NA_real_
  se[none] <- NA_real_
  z <- stats::qnorm(1 - (1 - level) / 2)
  out <- data.frame(
    treat1 = tb$treat1[first],
    treat2 = tb$treat2[first],
    measure = measure, method = method, k = k,
    events1 = sum_g(raw$a), n1 = sum_g(raw$n1), events2 = sum_g(raw$c), n2 = sum_g(raw$n2),
    estimate = est, std.error = se,
    conf.low = est - z * se, conf.high = est + z * se,
    statistic = est / se, p.value = 2 * stats::pnorm(-abs(est / se)),
    Q = ifelse(df >= 0, Q, NA_real_), df = pmax(df, 0),
    p_value_Q = ifelse(df > 0, stats::pchisq(Q, pmax(df, 1), lower.tail = FALSE), NA_real_),
    stringsAsFactors = FALSE
  )
  if (exponentiate && measure != "RD") {
    for (col in c("estimate", "conf.low", "conf.high")) out[[col]] <- exp(out[[col]])
  }
  audit <- empty_audit()
  if (any(double)) {
    audit <- data.frame(
      study = tb$study[double], action = "no information", increment = NA_real_,
      reason = paste0(tb$treat1[double], " vs ", tb$treat2[double], ": ",
                      ifelse(raw$a[double] == 0, "no events", "only events"),
                      " in both arms", if (measure == "RD") "" else
                        " (no information on a ratio; left out of Q)"),
      stringsAsFactors = FALSE)
  }
  if (length(corrected)) {
    hit <- g %in% corrected & fix
    audit <- rbind(audit, data.frame(
      study = tb$study[hit], action = "corrected", increment = 0.5,
      reason = paste0(tb$treat1[hit], " vs ", tb$treat2[hit],
                      ": the exact Mantel-Haenszel ratio is not estimable (no events on one side in any study); 0.5 added to every cell of the tables with a zero cell"),
      stringsAsFactors = FALSE))
  }
  if (any(none)) {
    audit <- rbind(audit, data.frame(
      study = tb$study[g %in% which(none)], action = "not estimable", increment = NA_real_,
      reason = paste0(tb$treat1[g %in% which(none)], " vs ", tb$treat2[g %in% which(none)],
                      ": no events (or only events) in every study of the comparison"),
      stringsAsFactors = FALSE))
  }
  if (length(corrected) || any(none)) {
    lab <- paste(out$treat1, "vs", out$treat2)
    inform_fastnma(c(
      "i" = if (length(corrected)) "Continuity correction 0.5 (exact Mantel-Haenszel ratio not estimable): {.val {lab[corrected]}}.",
      "i" = if (any(none)) "Not estimable (no events, or only events, in every study): {.val {lab[none]}}.",
      " " = "See {.fn zero_cell_audit}."
    ), "zero_cells")
  }
  attr(out, "zero_cells") <- audit
  out
}

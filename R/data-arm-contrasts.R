#' Arm-level data to contrasts
#'
#' Turns arm-level data (one row per study arm) into contrast-level data (one
#' row per pair of arms; all \eqn{p(p-1)/2} pairs of a \eqn{p}-arm study), the
#' input of [nma()]. Pairs follow the order of the arms in `data`: `treat1` is
#' the arm that comes first.
#'
#' @section Measures:
#' * `"MD"`: difference of means, standard error
#'   \eqn{\sqrt{s_1^2/n_1 + s_2^2/n_2}}.
#' * `"SMD"`: standardised mean difference as netmeta's `pairwise()`
#'   computes it (its default, labelled Hedges' g): the difference of means
#'   over the standard deviation pooled across *all* arms of the study,
#'   \eqn{d = (\bar x_1 - \bar x_2)/s_p}, with variance \eqn{1/n_1 + 1/n_2 +
#'   d^2 / (2 N)}, \eqn{N} the study's total sample size. With
#'   `smd = "hedges"` the small-sample correction of Hedges (1981) is applied
#'   instead per pair (exact gamma-function factor \eqn{J}, pooled SD of the
#'   pair, variance \eqn{1/n_1 + 1/n_2 + g^2 (1 - (df - 2)/(df J^2))}, as
#'   `meta::metacont()` computes it).
#' * `"OR"`, `"RR"`, `"RD"`: log odds ratio, log risk ratio and risk
#'   difference, with the conventions of netmeta's `pairwise()` (computed by
#'   one routine of the C++ core, also used for the study contrasts of a
#'   Mantel-Haenszel fit, [nma_binary()]). With \eqn{e_k} events of \eqn{n_k}
#'   and increment \eqn{c_k} in arm \eqn{k}:
#'   - OR: \eqn{\log\frac{(e_1 + c_1)(n_2 - e_2 + c_2)}{(n_1 - e_1 + c_1)(e_2
#'     + c_2)}}, variance \eqn{\sum_k 1/(e_k + c_k) + 1/(n_k - e_k + c_k)};
#'   - RR: the increment is added to the events and once to the arm size,
#'     \eqn{\log\frac{e_1 + c_1}{n_1 + c_1} - \log\frac{e_2 + c_2}{n_2 +
#'     c_2}}, variance \eqn{\sum_k 1/(e_k + c_k) - 1/(n_k + c_k)}; for a pair
#'     with events in every patient of both arms that variance is zero and
#'     \eqn{\sum_k 1/n_k - 1/(n_k + c_k)} is used, as `pairwise()` does;
#'   - RD: difference of the uncorrected proportions; the variance uses the
#'     corrected cells, \eqn{\sum_k (e_k + c_k)(n_k - e_k + c_k)/(n_k +
#'     2c_k)^3}.
#'
#' * `"IRR"`: log incidence rate ratio from events \eqn{e_k} in person-time
#'   \eqn{t_k} (`events` and `time`; `n` is optional), as netmeta's
#'   `pairwise(sm = "IRR")`: \eqn{\log\frac{(e_1 + c_1)/t_1}{(e_2 +
#'   c_2)/t_2}}, variance \eqn{1/(e_1 + c_1) + 1/(e_2 + c_2)}, the increment
#'   \eqn{c_k} added to the events of every arm of a study with an arm
#'   without events (zero-cell policy, see below; `method = "tacc"` does
#'   not apply to rates). Studies without events in any arm are kept with
#'   the increment, as `pairwise(sm = "IRR")` keeps them; `double_zero =
#'   "drop"` leaves them out.
#' * `"ROM"`: log ratio of means, \eqn{\log(\bar x_1/\bar x_2)}, variance
#'   \eqn{s_1^2/(n_1 \bar x_1^2) + s_2^2/(n_2 \bar x_2^2)}, as
#'   `pairwise(sm = "ROM")`; every mean must be positive.
#'
#' The IRR and ROM formulas, like the 2x2 ones, are computed by the C++ core.
#'
#' @section Missing values:
#' With `na = "fail"` (default) a missing outcome value (`events`, `n`,
#' `time`, `mean` or `sd`) is an error of class `fastnma_error_missing`
#' naming the column and the studies. With `na = "drop"` each arm with a
#' missing outcome value is set aside, as netmeta's `pairwise()` drops the
#' comparisons it cannot compute: every dropped arm is listed in the
#' zero-cell audit ([zero_cell_audit()]) with action `"dropped: missing"`
#' and a reason naming its treatment and column(s), a study left with fewer
#' than two arms is listed as `"excluded"`, and the drop is announced in a
#' message. Missing study or treatment labels are always an error.
#'
#' @section Zero cells:
#' Binary outcomes follow `zero_cells` (see [zero_cell_policy()]). By
#' default, as in netmeta's `pairwise()`, 0.5 is added to every arm of a
#' study with a zero cell (an arm with no events or with events in every
#' patient). Studies with no events in any arm are left out for RR and OR;
#' studies with events in every patient of every arm are left out for OR
#' and kept, with the increment, for RR (their risk ratio is estimable); RD
#' keeps both. Every such decision is announced in a message and listed in
#' the table's zero-cell audit ([zero_cell_audit()]).
#'
#' A multi-arm study that is kept can hold a pair of arms with no events in
#' either (or, for OR, events in every patient of both). `pairwise()` gives
#' such a pair an NA estimate (unless `allstudies = TRUE`), and netmeta's
#' `netmeta()` then cannot use the study. Here the pair keeps the study's
#' increment and gets the values `pairwise(allstudies = TRUE)` gives: its
#' contrast is the difference of the study's contrasts of its two arms with
#' a third arm, so it adds no information of its own and completes the
#' study's set of contrasts, which lets the study enter [nma()] whole. The
#' audit lists these studies with action `"pair kept"` and names the pairs.
#' A pair that is not estimable at all (a zero cell without correction,
#' policy `"none"` or a zero increment) leaves its whole study out, with the
#' reason in the audit.
#'
#' @param data A data frame with one row per study arm.
#' @param study,treatment Columns (bare names or strings): study label and
#'   treatment.
#' @param n Column: number of patients in the arm.
#' @param mean,sd Columns for continuous outcomes (MD, SMD): arm mean and
#'   standard deviation.
#' @param events Column for binary outcomes (RR, OR, RD): patients with an
#'   event; for rates (IRR): the number of events.
#' @param measure `"MD"`, `"SMD"`, `"RR"`, `"OR"`, `"RD"`, `"IRR"` or
#'   `"ROM"`, in any case (`"or"` is `"OR"`).
#' @param zero_cells A [zero_cell_policy()] for binary outcomes.
#' @param smd `"netmeta"` (default) or `"hedges"`, see the section Measures.
#' @param ... Unused; must be empty. netmeta's argument names (`sm`,
#'   `studlab`, `treat`, `event`, ...) get an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]).
#' @param time Column for rates (IRR): person-time of the arm.
#' @param na `"fail"` (default) or `"drop"`: what to do with arms whose
#'   outcome is missing, see the section Missing values.
#' @return A data frame of class `nma_contrasts` with columns `study, treat1,
#'   treat2, estimate, std.error` (log scale for RR and OR) followed by the arm
#'   data of both arms (`n1, n2` and `mean1, mean2, sd1, sd2` or `events1,
#'   events2, incr1, incr2`; for IRR `events1, events2, time1, time2, incr1,
#'   incr2`, with `n1, n2` when `n` is given). Attributes: `measure`, `zero_cells` (the
#'   audit) and, for binary outcomes, `zero_cell_policy`; they are kept by
#'   subsetting, dplyr verbs and row binding (see [nma_contrasts]).
#' @references
#' Hedges LV (1981). Distribution theory for Glass's estimator of effect size
#' and related estimators. *Journal of Educational Statistics* 6(2):107-128.
#' @examples
#' ac <- arm_contrasts(franchini2012, study, treatment, n = n, mean = mean,
#'                     sd = sd, measure = "MD")
#' head(ac)
#' fit <- nma(ac)
#' @export
arm_contrasts <- function(data, study = study, treatment = treatment, n = n,
                          mean = mean, sd = sd, events = events,
                          measure = c("MD", "SMD", "RR", "OR", "RD", "IRR", "ROM"),
                          zero_cells = zero_cell_policy(),
                          smd = c("netmeta", "hedges"), ..., time = time,
                          na = c("fail", "drop")) {
  env <- parent.frame()
  check_netmeta_arguments(sys.call(), sys.function())
  if (...length() > 0L) {
    check_dots_empty(...)
  }
  check_data_frame(data)
  measure_given <- !missing(measure)
  measure <- check_choice(if (missing(measure)) NULL else measure,
                          c("MD", "SMD", "RR", "OR", "RD", "IRR", "ROM"), "measure")
  smd <- check_choice(if (missing(smd)) NULL else smd, c("netmeta", "hedges"), "smd")
  na <- check_choice(if (missing(na)) NULL else na, c("fail", "drop"), "na")
  if (!inherits(zero_cells, "zero_cell_policy")) {
    abort_fastnma("{.arg zero_cells} must be made by {.fn zero_cell_policy}.", "policy")
  }
  binary <- measure %in% c("RR", "OR", "RD")
  rate <- measure == "IRR"
  if (rate && zero_cells$method == "tacc") {
    abort_fastnma(c(
      "The treatment-arm continuity correction ({.code method = \"tacc\"}) is defined for 2x2 tables, not for incidence rates.",
      "i" = "Use {.code zero_cell_policy(method = \"constant\")} (the default), {.code \"all\"} or {.code \"none\"}."
    ), "policy")
  }
  cols <- list(study = column_label(substitute(study)),
               treatment = column_label(substitute(treatment)),
               n = column_label(substitute(n)),
               mean = column_label(substitute(mean)),
               sd = column_label(substitute(sd)),
               events = column_label(substitute(events)),
               time = column_label(substitute(time)))
  if (!measure_given && is.null(data[[cols$mean]]) && !is.null(data[[cols$events]])) {
    abort_fastnma(c(
      "{.arg measure} is needed: the default {.val MD} needs a column {.field {cols$mean}}.",
      "i" = "{.arg data} has a column {.field {cols$events}}: for a binary outcome give {.code measure = \"OR\"}, {.code \"RR\"} or {.code \"RD\"}."
    ), "measure")
  }
  st <- capture_column(substitute(study), data, env, "study")
  tr <- capture_column(substitute(treatment), data, env, "treatment")
  # Person-time replaces the arm size for rates; the size is then optional.
  nn <- capture_column(substitute(n), data, env, "n", required = !rate)
  ev <- mu <- s <- tm <- NULL
  if (binary || rate) {
    ev <- capture_column(substitute(events), data, env, "events")
  } else {
    mu <- capture_column(substitute(mean), data, env, "mean")
    s <- capture_column(substitute(sd), data, env, "sd")
  }
  if (rate) {
    tm <- capture_column(substitute(time), data, env, "time")
  }

  # Arm-level checks, each naming study and column.
  check_no_missing(st, cols$study, st)
  check_no_missing(tr, cols$treatment, st)
  na_hint <- "Use {.code na = \"drop\"} to set aside arms with a missing outcome value (each is listed in {.fn zero_cell_audit})."
  dropped <- empty_audit()
  if (na == "drop") {
    # Arms with a missing outcome value are set aside, each one listed.
    outcome <- list(n = nn, events = ev, time = tm, mean = mu, sd = s)
    outcome <- outcome[!vapply(outcome, is.null, logical(1))]
    miss <- vapply(outcome, is.na, logical(length(st)))
    if (!is.matrix(miss)) miss <- matrix(miss, nrow = length(st))
    gone <- rowSums(miss) > 0
    if (any(gone)) {
      which_cols <- apply(miss[gone, , drop = FALSE], 1L, function(m) {
        paste0("\"", unlist(cols[names(outcome)[m]]), "\"", collapse = ", ")
      })
      dropped <- data.frame(
        study = as.character(st[gone]), action = "dropped: missing",
        increment = NA_real_,
        reason = paste0("treatment \"", as.character(tr[gone]), "\": missing value in column ",
                        which_cols, " (na = \"drop\")"),
        stringsAsFactors = FALSE)
      if (all(gone)) {
        abort_fastnma(c(
          "Every arm has a missing outcome value: nothing is left to compare.",
          "x" = "Columns checked: {.field {unlist(cols[names(outcome)])}}."
        ), "missing", column = unname(unlist(cols[names(outcome)])))
      }
      keep <- !gone
      st <- st[keep]; tr <- tr[keep]
      if (!is.null(nn)) nn <- nn[keep]
      if (!is.null(ev)) ev <- ev[keep]
      if (!is.null(tm)) tm <- tm[keep]
      if (!is.null(mu)) { mu <- mu[keep]; s <- s[keep] }
    }
  }
  st <- as.character(st)
  tr_levels <- if (is.factor(tr)) levels(tr)
  tr <- as.character(tr)
  if (!is.null(nn)) {
  check_no_missing(nn, cols$n, st, hint = na_hint)
  check_arm_numeric(nn, cols$n, st)
  check_arm_values(!is.finite(nn) | nn < 1 | nn != round(nn), nn, "finite whole numbers of at least 1", cols$n, st)
  }
  check_labels(st, cols$study, "study", st)
  check_labels(tr, cols$treatment, "treatment", st)
  dup <- duplicated(data.frame(st, tr, stringsAsFactors = FALSE))
  if (any(dup)) {
    abort_fastnma(c(
      "Each treatment may appear once per study.",
      "x" = "Treatment {.val {unique(tr[dup])}} is listed twice (column {.field {cols$treatment}}) in {cli::qty(length(describe_rows(st, dup)))}stud{?y/ies} {.val {describe_rows(st, dup)}}.",
      "i" = "Combine arms of the same treatment before analysis."
    ), "duplicate_arm", study = unique(st[dup]), column = cols$treatment)
  }
  if (rate) {
    check_no_missing(ev, cols$events, st, hint = na_hint)
    check_no_missing(tm, cols$time, st, hint = na_hint)
    check_arm_numeric(ev, cols$events, st)
    check_arm_numeric(tm, cols$time, st)
    check_arm_values(!is.finite(ev) | ev < 0 | ev != round(ev), ev, "finite whole numbers of at least 0", cols$events, st)
    check_arm_values(!is.finite(tm) | tm <= 0, tm, "positive, finite person-time", cols$time, st)
  } else if (binary) {
    check_no_missing(ev, cols$events, st, hint = na_hint)
    check_arm_numeric(ev, cols$events, st)
    bad <- ev < 0 | ev != round(ev) | ev > nn
    if (any(bad)) {
      abort_fastnma(c(
        "Column {.field {cols$events}} must hold whole numbers between 0 and {.field {cols$n}}.",
        "x" = "Found events {.val {format(ev[bad])}} of n {.val {format(nn[bad])}} in {cli::qty(length(describe_rows(st, bad)))}stud{?y/ies} {.val {describe_rows(st, bad)}}."
      ), "arm_data", study = unique(st[bad]), column = cols$events)
    }
  } else {
    check_no_missing(mu, cols$mean, st, hint = na_hint)
    check_no_missing(s, cols$sd, st, hint = na_hint)
    check_arm_numeric(mu, cols$mean, st)
    check_arm_numeric(s, cols$sd, st)
    bad <- !is.finite(mu)
    if (any(bad)) {
      abort_fastnma("Column {.field {cols$mean}} must be finite (stud{?y/ies} {.val {describe_rows(st, bad)}}).",
                    "arm_data", study = unique(st[bad]), column = cols$mean)
    }
    check_arm_values(!is.finite(s) | s <= 0, s, "positive standard deviations", cols$sd, st)
    bad <- mu <= 0
    if (measure == "ROM") abort_rows(bad, st, c(
      "A ratio of means needs positive means in every arm.",
      "x" = "Column {.field {cols$mean}} holds {.val {format(mu[bad])}} in {cli::qty(length(where))}stud{?y/ies} {.val {where}}.",
      "i" = "Use {.code measure = \"MD\"} for outcomes that can be zero or negative."
    ), "arm_data", cols$mean)
    if (measure == "SMD") abort_rows(nn < 2, st, c(
      "A standardised mean difference needs at least 2 patients in every arm.",
      "x" = "Arms of {cli::qty(length(where))}stud{?y/ies} {.val {where}} have {.field {cols$n}} = 1: their standard deviation (column {.field {cols$sd}}) is undefined and so is the pooled one.",
      "i" = "Use {.code measure = \"MD\"}, or leave such studies out."
    ), "arm_data", cols$n)
  }

  # Arms grouped by study, in order of first appearance, arm order kept.
  ord <- order(match(st, unique(st)), seq_along(st))
  st <- st[ord]; tr <- tr[ord]
  if (!is.null(nn)) nn <- as.double(nn[ord])
  if (binary || rate) ev <- as.double(ev[ord]) else { mu <- as.double(mu[ord]); s <- as.double(s[ord]) }
  if (rate) tm <- as.double(tm[ord])
  p <- as.vector(table(factor(st, levels = unique(st)))[st])

  audit <- dropped
  keep_arm <- rep(TRUE, length(st))
  single <- p < 2
  if (any(single)) {
    lone <- unique(st[single])
    audit <- rbind(audit, data.frame(
      study = lone, action = "excluded", increment = NA_real_,
      reason = ifelse(lone %in% dropped$study,
                      "fewer than two arms with complete outcome data (na = \"drop\"): no contrast",
                      "only one arm: no contrast"),
      stringsAsFactors = FALSE))
    keep_arm <- keep_arm & !single
  }
  # Studies whose every arm was dropped.
  gone <- setdiff(unique(dropped$study), st)
  if (length(gone)) {
    audit <- rbind(audit, data.frame(
      study = gone, action = "excluded", increment = NA_real_,
      reason = "no arm with complete outcome data (na = \"drop\"): no contrast",
      stringsAsFactors = FALSE))
  }

  if (rate) {
    rc <- rate_contrasts(st, tr, ev, tm, nn, zero_cells, keep_arm)
    out <- rc$contrasts
    audit <- rbind(audit, rc$audit)
  } else if (binary) {
    bc <- binary_contrasts(st, tr, ev, nn, measure, zero_cells, keep_arm)
    out <- bc$contrasts
    audit <- rbind(audit, bc$audit)
  } else {
    # All pairs (i < j) within each study.
    ix <- arm_pair_index(st, keep_arm)
    i1 <- ix$i1; i2 <- ix$i2
    out <- data.frame(study = st[i1], treat1 = tr[i1], treat2 = tr[i2],
                      stringsAsFactors = FALSE)
    n1 <- nn[i1]; n2 <- nn[i2]
    if (measure == "MD") {
      out$estimate <- mu[i1] - mu[i2]
      out$std.error <- sqrt(s[i1]^2 / n1 + s[i2]^2 / n2)
    } else if (measure == "ROM") {
      eff <- ratemean("ROM", mu[i1], s[i1], n1, mu[i2], s[i2], n2)
      out$estimate <- eff$estimate
      out$std.error <- eff$std.error
    } else if (smd == "netmeta") {
      ss <- tapply((nn - 1) * s^2, st, sum)[st]
      dfs <- tapply(nn - 1, st, sum)[st]
      ntot <- tapply(nn, st, sum)[st]
      sp <- sqrt(as.vector(ss / dfs))[i1]
      d <- (mu[i1] - mu[i2]) / sp
      out$estimate <- d
      out$std.error <- sqrt(1 / n1 + 1 / n2 + d^2 / (2 * as.vector(ntot)[i1]))
    } else {
      dfp <- n1 + n2 - 2
      sp <- sqrt(((n1 - 1) * s[i1]^2 + (n2 - 1) * s[i2]^2) / dfp)
      J <- exp(lgamma(dfp / 2) - log(sqrt(dfp / 2)) - lgamma((dfp - 1) / 2))
      g <- J * (mu[i1] - mu[i2]) / sp
      out$estimate <- g
      out$std.error <- sqrt(1 / n1 + 1 / n2 + g^2 * (1 - (dfp - 2) / (dfp * J^2)))
    }
    out$n1 <- n1
    out$n2 <- n2
    out$mean1 <- mu[i1]; out$mean2 <- mu[i2]
    out$sd1 <- s[i1]; out$sd2 <- s[i2]
  }
  if (nrow(audit) > 0L) {
    report_audit(audit)
  }
  if (!is.null(tr_levels)) {
    # A factor treatment column keeps its levels: they set the treatment
    # order of nma() (see its section Orientation).
    lev <- tr_levels[tr_levels %in% c(out$treat1, out$treat2)]
    out$treat1 <- factor(out$treat1, levels = lev)
    out$treat2 <- factor(out$treat2, levels = lev)
  }
  new_nma_contrasts(out, measure = measure, zero_cells = audit,
                    zero_cell_policy = if (binary || rate) zero_cells else NULL)
}

# Incidence-rate-ratio contrasts of arms grouped by study (arm order kept)
# under a zero-cell policy: as netmeta's pairwise(sm = "IRR"), the
# increment is added to the events of every arm of a study with an arm
# without events, and studies without events in any arm are kept with it
# (double_zero = "keep", the default for IRR, as pairwise() keeps them). Formulas in src/core/ratemean.h.
rate_contrasts <- function(st, tr, ev, tm, nn, policy, keep_arm) {
  # An arm is a zero cell when it has no events (person-time has no upper
  # bound, so "events in every patient" does not arise).
  zc <- apply_zero_cells(st, ev, rep(Inf, length(ev)), "IRR", policy, keep_arm,
                         drop_all_events = FALSE)
  audit <- zc$audit
  keep <- keep_arm & zc$keep
  ix <- arm_pair_index(st, keep)
  i1 <- ix$i1; i2 <- ix$i2
  incr <- zc$incr
  eff <- ratemean("IRR", ev[i1], tm[i1], incr[i1], ev[i2], tm[i2], incr[i2])
  out <- data.frame(study = st[i1], treat1 = tr[i1], treat2 = tr[i2],
                    estimate = eff$estimate, std.error = eff$std.error,
                    stringsAsFactors = FALSE)
  if (!is.null(nn)) {
    out$n1 <- nn[i1]; out$n2 <- nn[i2]
  }
  out$events1 <- ev[i1]; out$events2 <- ev[i2]
  out$time1 <- tm[i1]; out$time2 <- tm[i2]
  out$incr1 <- incr[i1]; out$incr2 <- incr[i2]
  bad <- eff$status > 0L
  if (any(bad)) {
    # Not estimable (no events in an arm and no increment): the study
    # enters whole or not at all.
    gone <- unique(out$study[bad])
    audit <- rbind(audit, data.frame(study = gone, action = "excluded", increment = 0,
                                     reason = "no events in an arm and no increment: rate ratio not estimable",
                                     stringsAsFactors = FALSE))
    out <- out[!(out$study %in% gone), , drop = FALSE]
  }
  pairs <- data.frame(study = out$study, treat1 = out$treat1, treat2 = out$treat2,
                      events1 = out$events1, events2 = out$events2, n1 = Inf, n2 = Inf,
                      incr1 = out$incr1, incr2 = out$incr2, stringsAsFactors = FALSE)
  audit <- rbind(audit, audit_double_pairs(pairs, "IRR", policy))
  rownames(out) <- NULL
  list(contrasts = out, audit = audit)
}

# Log incidence rate ratios ("IRR": arguments events, time, increment per
# arm) or log ratios of means ("ROM": mean, sd, n per arm) of arm 1 against
# arm 2, computed by the core (src/core/ratemean.h).
ratemean <- function(measure, a1, b1, c1, a2, b2, c2) {
  res <- ratemean_cpp(
    list(a1 = as.double(a1), b1 = as.double(b1), c1 = as.double(c1),
         a2 = as.double(a2), b2 = as.double(b2), c2 = as.double(c2)),
    list(measure = match(measure, c("IRR", "ROM")) - 1L))
  list(estimate = res$estimate, std.error = sqrt(res$variance), status = res$status)
}

# Binary contrasts of arms grouped by study (arm order kept) under a
# zero-cell policy: increments, studies left out, all pairs through the 2x2
# routine (R/data-twobytwo.R), studies with a pair that is not estimable left out
# whole, kept pairs without information audited. Shared by arm_contrasts()
# and the stored study contrasts of a Mantel-Haenszel fit.
binary_contrasts <- function(st, tr, ev, nn, measure, policy,
                             keep_arm = rep(TRUE, length(st))) {
  zc <- apply_zero_cells(st, ev, nn, measure, policy, keep_arm)
  audit <- zc$audit
  out <- binary_pair_contrasts(st, tr, ev, nn, zc$incr, measure, keep_arm & zc$keep)
  bad <- out$status > 0L
  if (any(bad)) {
    # Not estimable (only without a correction: policy "none" or a zero
    # increment): a study enters whole or not at all.
    gone <- unique(out$study[bad])
    first <- match(gone, out$study[bad])
    why <- vapply(gone, function(s) paste(unique(out$reason[bad & out$study == s]),
                                          collapse = "; "), character(1))
    audit <- rbind(audit, data.frame(study = gone, action = "excluded",
                                     increment = pmax(out$incr1, out$incr2)[bad][first],
                                     reason = unname(why), stringsAsFactors = FALSE))
    out <- out[!(out$study %in% gone), , drop = FALSE]
  }
  audit <- rbind(audit, audit_double_pairs(out, measure, policy))
  out$status <- NULL
  out$reason <- NULL
  rownames(out) <- NULL
  list(contrasts = out, audit = audit)
}

check_arm_numeric <- function(x, column, study, call = rlang::caller_env()) {
  if (!is.numeric(x)) {
    abort_fastnma("Column {.field {column}} must be numeric, not {.obj_type_friendly {x}}.",
                  "arm_data", call = call, column = column)
  }
}

# Increments per arm and the studies kept under a zero-cell policy.
# `drop_all_events`: whether a study with events in every patient of every
# arm is left out under double_zero = "drop". netmeta's pairwise() keeps
# such studies for the risk ratio (they are estimable with the increment),
# so arm_contrasts() drops them for OR and RD only; the Mantel-Haenszel fit
# drops them for every measure.
apply_zero_cells <- function(st, ev, nn, measure, policy, keep_arm,
                             drop_all_events = measure != "RR") {
  zero_arm <- ev == 0 | ev == nn
  any_zero <- as.vector(tapply(zero_arm, st, any)[st])
  none <- as.vector(tapply(ev == 0, st, all)[st])
  all_ev <- as.vector(tapply(ev == nn, st, all)[st])
  double <- none | (all_ev & drop_all_events)
  dz <- policy$double_zero %||% if (measure %in% c("RD", "IRR")) "keep" else "drop"
  keep <- rep(TRUE, length(st))
  audit <- empty_audit()
  if (dz == "drop" && any(double & keep_arm)) {
    gone <- unique(st[double & keep_arm])
    why <- ifelse(tapply(none, st, all)[gone], "no events in any arm", "events in every patient of every arm")
    audit <- rbind(audit, data.frame(study = gone, action = "excluded", increment = NA_real_,
                                     reason = paste0(unname(why), " (double_zero = \"drop\")"),
                                     stringsAsFactors = FALSE))
    keep <- !double
  }
  c0 <- policy$incr
  hit <- switch(policy$method,
    constant = any_zero,
    tacc = any_zero,
    all = rep(TRUE, length(st)),
    none = rep(FALSE, length(st))
  ) & keep & keep_arm
  incr <- ifelse(hit, c0, 0)
  if (policy$method == "tacc") {
    inv <- 1 / nn
    p <- as.vector(table(st)[st])
    incr <- ifelse(hit, c0 * p * inv / as.vector(tapply(inv, st, sum)[st]), 0)
  }
  if (any(hit) && c0 > 0) {
    studies <- unique(st[hit])
    first <- match(studies, st)
    reason <- if (policy$method == "all") "increment added to every study (method = \"all\")" else
      ifelse(none[first], "no events in any arm; kept with the increment",
             ifelse(all_ev[first], "events in every patient of every arm; kept with the increment",
                    "zero cell (no events or only events) in at least one arm"))
    audit <- rbind(audit, data.frame(
      study = studies, action = "corrected",
      increment = if (policy$method == "tacc") NA_real_ else c0,
      reason = paste0(reason, if (policy$method == "tacc") "; treatment-arm continuity correction" else ""),
      stringsAsFactors = FALSE))
  }
  list(incr = incr, keep = keep, audit = audit)
}

# Pairs of arms inside a kept multi-arm study that have no events in either
# arm (RR, OR) or events in every patient of both arms (OR). netmeta's
# pairwise() gives such a pair an NA estimate unless allstudies = TRUE, and
# netmeta() then refuses the study ("wrong number of comparisons"). Here the
# pair keeps the study's increment, as allstudies = TRUE computes it: its
# contrast is then the difference of the study's contrasts of its two arms
# with any third arm, adds no information of its own and completes the
# study's set of contrasts, so the study enters nma() whole. One audit row
# per study (action "pair kept") names the pairs. Only under double_zero =
# "drop": with "keep" every such table is computed by design.
audit_double_pairs <- function(out, measure, policy) {
  dz <- policy$double_zero %||% if (measure %in% c("RD", "IRR")) "keep" else "drop"
  if (measure == "RD" || dz != "drop" || nrow(out) == 0L) return(empty_audit())
  no_ev <- out$events1 == 0 & out$events2 == 0
  all_ev <- out$events1 == out$n1 & out$events2 == out$n2
  hit <- no_ev | (all_ev & measure == "OR")
  if (!any(hit)) return(empty_audit())
  what <- paste0(out$treat1, " vs ", out$treat2)
  kind <- ifelse(no_ev, "no events in either arm", "events in every patient of both arms")
  studies <- unique(out$study[hit])
  pairs <- vapply(studies, function(s) {
    h <- hit & out$study == s
    paste(vapply(unique(kind[h]), function(k) {
      paste0(paste(what[h & kind == k], collapse = ", "), " (", k, ")")
    }, character(1)), collapse = "; ")
  }, character(1))
  data.frame(
    study = studies, action = "pair kept",
    increment = vapply(studies, function(s) max(c(out$incr1, out$incr2)[c(out$study, out$study) == s]),
                       numeric(1)),
    reason = paste0(unname(pairs), ": kept with the study's increment (NA in netmeta's ",
                    "pairwise()); equals the difference of the study's other contrasts"),
    stringsAsFactors = FALSE, row.names = NULL)
}

# Announce what the zero-cell policy did, as a message of class
# "fastnma_zero_cells". Built with plain string operations: this runs on
# every fit and must cost microseconds, not the milliseconds of cli
# formatting.
report_audit <- function(audit) {
  corrected <- audit$study[audit$action == "corrected"]
  excluded <- audit$study[audit$action == "excluded"]
  arms <- audit$study[audit$action == "arm excluded"]
  pairs <- audit$study[audit$action == "pair kept"]
  missing_arms <- audit$study[audit$action == "dropped: missing"]
  quote <- function(x, max = 8L) {
    shown <- paste0("\"", utils::head(x, max), "\"", collapse = ", ")
    if (length(x) > max) paste0(shown, ", ...") else shown
  }
  plural <- function(k) if (k == 1L) "study" else "studies"
  msg <- character()
  if (length(missing_arms)) {
    k <- length(unique(missing_arms))
    msg <- c(msg, sprintf("! Dropped %d arm%s with missing outcome values (na = \"drop\") in %d %s: %s.",
                          length(missing_arms), if (length(missing_arms) == 1L) "" else "s",
                          k, plural(k), quote(unique(missing_arms))))
  }
  if (length(corrected)) {
    msg <- c(msg, sprintf("i Continuity correction in %d %s: %s.", length(corrected),
                          plural(length(corrected)), quote(corrected)))
  }
  if (length(excluded)) {
    why <- unique(audit$reason[audit$action == "excluded"])
    msg <- c(msg, sprintf("! Left out %d %s: %s (%s).", length(excluded),
                          plural(length(excluded)), quote(excluded),
                          paste(why, collapse = "; ")))
  }
  if (length(arms)) {
    msg <- c(msg, sprintf("! Arms set aside in %d %s: %s.", length(arms),
                          plural(length(arms)), quote(arms)))
  }
  none <- audit$study[audit$action == "no information"]
  if (length(none)) {
    msg <- c(msg, sprintf("i No information (no events, or only events) in %d %s, no correction applied: %s.",
                          length(none), plural(length(none)), quote(none)))
  }
  if (length(pairs)) {
    msg <- c(msg, sprintf("i Pairs with no events (or only events) in both arms kept with the increment in %d multi-arm %s: %s.",
                          length(pairs), plural(length(pairs)), quote(pairs)))
  }
  msg <- c(msg, "  See zero_cell_audit() for the full list.")
  if (isTRUE(getOption("fastnma.quiet", FALSE))) return(invisible(NULL))
  # the bullets of cli's messages, as in every other message of fastnma
  bullet <- substr(msg, 1L, 1L)
  msg <- paste0(ifelse(bullet == "!", cli::col_yellow("!"),
                       ifelse(bullet == "i", cli::col_cyan(cli::symbol$info), " ")),
                substring(msg, 2L))
  cnd <- structure(class = c("fastnma_zero_cells", "fastnma_message", "message", "condition"),
                   list(message = paste0(paste(msg, collapse = "\n"), "\n"), call = NULL))
  message(cnd)
}

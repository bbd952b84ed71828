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
#' * `"OR"`, `"RR"`: log odds ratio and log risk ratio. For the risk ratio
#'   the increment is added to the events and the arm size
#'   (\eqn{\log((e_1 + c)/(n_1 + c)) - \log((e_2 + c)/(n_2 + c))}), as
#'   netmeta's `pairwise()` does.
#' * `"RD"`: risk difference of the uncorrected proportions; the variance uses
#'   the corrected cells, \eqn{\sum (e+c)(n-e+c)/(n+2c)^3}.
#'
#' @section Zero cells:
#' Binary outcomes follow `zero_cells` (see [zero_cell_policy()]). By
#' default, as in netmeta, 0.5 is added to every cell of every arm of a
#' study with a zero cell, and studies with no events (or only events) in
#' every arm are left out for RR and OR. Every such decision is announced in
#' a message and listed in the table's zero-cell audit ([zero_cell_audit()]).
#'
#' @param data A data frame with one row per study arm.
#' @param study,treatment Columns (bare names or strings): study label and
#'   treatment.
#' @param n Column: number of patients in the arm.
#' @param mean,sd Columns for continuous outcomes (MD, SMD): arm mean and
#'   standard deviation.
#' @param events Column for binary outcomes (RR, OR, RD): patients with an
#'   event.
#' @param measure `"MD"`, `"SMD"`, `"RR"`, `"OR"` or `"RD"`.
#' @param zero_cells A [zero_cell_policy()] for binary outcomes.
#' @param smd `"netmeta"` (default) or `"hedges"`, see the section Measures.
#' @param ... Unused; must be empty.
#' @return A data frame of class `nma_contrasts` with columns `study, treat1,
#'   treat2, estimate, std.error` (log scale for RR and OR) followed by the arm
#'   data of both arms (`n1, n2` and `mean1, mean2, sd1, sd2` or `events1,
#'   events2, incr1, incr2`). Attributes: `measure`, `zero_cells` (the
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
                          measure = c("MD", "SMD", "RR", "OR", "RD"),
                          zero_cells = zero_cell_policy(),
                          smd = c("netmeta", "hedges"), ...) {
  env <- parent.frame()
  if (...length() > 0L) {
    abort_fastnma("Unknown argument{?s} {.arg {names(list(...))}}.", "input")
  }
  check_data_frame(data)
  measure <- check_choice(if (missing(measure)) NULL else measure,
                          c("MD", "SMD", "RR", "OR", "RD"), "measure")
  smd <- check_choice(if (missing(smd)) NULL else smd, c("netmeta", "hedges"), "smd")
  if (!inherits(zero_cells, "zero_cell_policy")) {
    abort_fastnma("{.arg zero_cells} must be made by {.fn zero_cell_policy}.", "input")
  }
  binary <- measure %in% c("RR", "OR", "RD")
  cols <- list(study = column_label(substitute(study)),
               treatment = column_label(substitute(treatment)),
               n = column_label(substitute(n)),
               mean = column_label(substitute(mean)),
               sd = column_label(substitute(sd)),
               events = column_label(substitute(events)))
  st <- capture_column(substitute(study), data, env, "study")
  tr <- capture_column(substitute(treatment), data, env, "treatment")
  nn <- capture_column(substitute(n), data, env, "n")
  if (binary) {
    ev <- capture_column(substitute(events), data, env, "events")
  } else {
    mu <- capture_column(substitute(mean), data, env, "mean")
    s <- capture_column(substitute(sd), data, env, "sd")
  }

  # Arm-level checks, each naming study and column.
  check_no_missing(st, cols$study, st)
  check_no_missing(tr, cols$treatment, st)
  check_no_missing(nn, cols$n, st)
  st <- as.character(st)
  tr <- as.character(tr)
  check_arm_numeric(nn, cols$n, st)
  bad <- nn < 1 | nn != round(nn)
  if (any(bad)) {
    abort_fastnma(c(
      "Column {.field {cols$n}} must hold whole numbers of at least 1.",
      "x" = "Found {.val {format(nn[bad])}} in {cli::qty(length(describe_rows(st, bad)))}stud{?y/ies} {.val {describe_rows(st, bad)}}."
    ), "arm_data", study = unique(st[bad]), column = cols$n)
  }
  dup <- duplicated(paste(st, tr, sep = "\r"))
  if (any(dup)) {
    abort_fastnma(c(
      "Each treatment may appear once per study.",
      "x" = "Treatment {.val {unique(tr[dup])}} is listed twice (column {.field {cols$treatment}}) in {cli::qty(length(describe_rows(st, dup)))}stud{?y/ies} {.val {describe_rows(st, dup)}}.",
      "i" = "Combine arms of the same treatment before analysis."
    ), "duplicate_arm", study = unique(st[dup]), column = cols$treatment)
  }
  if (binary) {
    check_no_missing(ev, cols$events, st)
    check_arm_numeric(ev, cols$events, st)
    bad <- ev < 0 | ev != round(ev) | ev > nn
    if (any(bad)) {
      abort_fastnma(c(
        "Column {.field {cols$events}} must hold whole numbers between 0 and {.field {cols$n}}.",
        "x" = "Found events {.val {format(ev[bad])}} of n {.val {format(nn[bad])}} in {cli::qty(length(describe_rows(st, bad)))}stud{?y/ies} {.val {describe_rows(st, bad)}}."
      ), "arm_data", study = unique(st[bad]), column = cols$events)
    }
  } else {
    check_no_missing(mu, cols$mean, st)
    check_no_missing(s, cols$sd, st)
    check_arm_numeric(mu, cols$mean, st)
    check_arm_numeric(s, cols$sd, st)
    bad <- !is.finite(mu)
    if (any(bad)) {
      abort_fastnma("Column {.field {cols$mean}} must be finite (stud{?y/ies} {.val {describe_rows(st, bad)}}).",
                    "arm_data", study = unique(st[bad]), column = cols$mean)
    }
    bad <- !is.finite(s) | s <= 0
    if (any(bad)) {
      abort_fastnma(c(
        "Column {.field {cols$sd}} must hold positive standard deviations.",
        "x" = "Found {.val {format(s[bad])}} in {cli::qty(length(describe_rows(st, bad)))}stud{?y/ies} {.val {describe_rows(st, bad)}}."
      ), "arm_data", study = unique(st[bad]), column = cols$sd)
    }
  }

  # Arms grouped by study, in order of first appearance, arm order kept.
  ord <- order(match(st, unique(st)), seq_along(st))
  st <- st[ord]; tr <- tr[ord]; nn <- as.double(nn[ord])
  if (binary) ev <- as.double(ev[ord]) else { mu <- as.double(mu[ord]); s <- as.double(s[ord]) }
  p <- as.vector(table(factor(st, levels = unique(st)))[st])
  pos <- stats::ave(seq_along(st), st, FUN = seq_along)

  audit <- empty_audit()
  keep_arm <- rep(TRUE, length(st))
  single <- p < 2
  if (any(single)) {
    audit <- rbind(audit, data.frame(study = unique(st[single]), action = "excluded",
                                     increment = NA_real_, reason = "only one arm: no contrast",
                                     stringsAsFactors = FALSE))
    keep_arm <- keep_arm & !single
  }

  incr <- rep(0, length(st))
  if (binary) {
    zc <- apply_zero_cells(st, ev, nn, measure, zero_cells, keep_arm)
    incr <- zc$incr
    keep_arm <- keep_arm & zc$keep
    audit <- rbind(audit, zc$audit)
  }

  # All pairs (i < j) within each study.
  times <- ifelse(keep_arm, p - pos, 0L)
  i1 <- rep(seq_along(st), times = times)
  i2 <- i1 + sequence(times[times > 0])

  out <- data.frame(study = st[i1], treat1 = tr[i1], treat2 = tr[i2],
                    stringsAsFactors = FALSE)
  n1 <- nn[i1]; n2 <- nn[i2]
  if (measure == "MD") {
    out$estimate <- mu[i1] - mu[i2]
    out$std.error <- sqrt(s[i1]^2 / n1 + s[i2]^2 / n2)
  } else if (measure == "SMD") {
    if (smd == "netmeta") {
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
  } else {
    e1 <- ev[i1]; e2 <- ev[i2]; c1 <- incr[i1]; c2 <- incr[i2]
    if (measure == "OR") {
      out$estimate <- log((e1 + c1) * (n2 - e2 + c2) / ((n1 - e1 + c1) * (e2 + c2)))
      out$std.error <- sqrt(1 / (e1 + c1) + 1 / (n1 - e1 + c1) + 1 / (e2 + c2) + 1 / (n2 - e2 + c2))
    } else if (measure == "RR") {
      out$estimate <- log((e1 + c1) / (n1 + c1)) - log((e2 + c2) / (n2 + c2))
      out$std.error <- sqrt(1 / (e1 + c1) - 1 / (n1 + c1) + 1 / (e2 + c2) - 1 / (n2 + c2))
    } else {
      out$estimate <- e1 / n1 - e2 / n2
      out$std.error <- sqrt((e1 + c1) * (n1 - e1 + c1) / (n1 + 2 * c1)^3 +
                              (e2 + c2) * (n2 - e2 + c2) / (n2 + 2 * c2)^3)
    }
  }
  out$n1 <- n1
  out$n2 <- n2
  if (binary) {
    out$events1 <- ev[i1]; out$events2 <- ev[i2]
    out$incr1 <- incr[i1]; out$incr2 <- incr[i2]
  } else {
    out$mean1 <- mu[i1]; out$mean2 <- mu[i2]
    out$sd1 <- s[i1]; out$sd2 <- s[i2]
  }
  bad <- !is.finite(out$estimate) | !is.finite(out$std.error) | out$std.error <= 0
  if (any(bad)) {
    # Only reachable without a correction (policy "none") or with a zero
    # increment: such studies are not estimable by inverse variance.
    gone <- unique(out$study[bad])
    audit <- rbind(audit, data.frame(study = gone, action = "excluded", increment = 0,
                                     reason = "zero cell without correction: effect not estimable",
                                     stringsAsFactors = FALSE))
    out <- out[!(out$study %in% gone), , drop = FALSE]
    rownames(out) <- NULL
  }
  if (nrow(audit) > 0L) {
    report_audit(audit)
  }
  new_nma_contrasts(out, measure = measure, zero_cells = audit,
                    zero_cell_policy = if (binary) zero_cells else NULL)
}

check_arm_numeric <- function(x, column, study, call = rlang::caller_env()) {
  if (!is.numeric(x)) {
    abort_fastnma("Column {.field {column}} must be numeric, not {.obj_type_friendly {x}}.",
                  "arm_data", call = call, column = column)
  }
}

# Increments per arm and the studies kept under a zero-cell policy.
apply_zero_cells <- function(st, ev, nn, measure, policy, keep_arm) {
  zero_arm <- ev == 0 | ev == nn
  any_zero <- as.vector(tapply(zero_arm, st, any)[st])
  none <- as.vector(tapply(ev == 0, st, all)[st])
  all_ev <- as.vector(tapply(ev == nn, st, all)[st])
  double <- none | all_ev
  dz <- policy$double_zero %||% if (measure == "RD") "keep" else "drop"
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
      ifelse(double[first], "no events (or only events) in every arm",
             "zero cell (no events or only events) in at least one arm")
    audit <- rbind(audit, data.frame(
      study = studies, action = "corrected",
      increment = if (policy$method == "tacc") NA_real_ else c0,
      reason = paste0(reason, if (policy$method == "tacc") "; treatment-arm continuity correction" else ""),
      stringsAsFactors = FALSE))
  }
  list(incr = incr, keep = keep, audit = audit)
}

# Announce what the zero-cell policy did, as a message of class
# "fastnma_zero_cells". Built with plain string operations: this runs on
# every fit and must cost microseconds, not the milliseconds of cli
# formatting.
report_audit <- function(audit) {
  corrected <- audit$study[audit$action == "corrected"]
  excluded <- audit$study[audit$action == "excluded"]
  arms <- audit$study[audit$action == "arm excluded"]
  quote <- function(x, max = 8L) {
    shown <- paste0("\"", utils::head(x, max), "\"", collapse = ", ")
    if (length(x) > max) paste0(shown, ", ...") else shown
  }
  plural <- function(k) if (k == 1L) "study" else "studies"
  msg <- character()
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
  msg <- c(msg, "  See zero_cell_audit() for the full list.")
  cnd <- structure(class = c("fastnma_zero_cells", "message", "condition"),
                   list(message = paste0(paste(msg, collapse = "\n"), "\n"), call = NULL))
  message(cnd)
}

# The MSC knee-osteoarthritis case study: the sourced record in the
# extraction-template format, one-call analysis of an extraction sheet, and a
# declared-truth simulation on the real register.

# Columns of inst/extdata/msc_extraction_template.csv, in order.
msc_template_columns <- c(
  "study", "treatment", "class", "n", "mean", "sd", "median", "q1", "q3",
  "min", "max", "events", "outcome", "timepoint_months", "source"
)

#' The sourced MSC record in the extraction-template format
#'
#' Joins [msc_outcomes] to the arms of [msc_trials] and returns one row per
#' arm x outcome x time point in the format of the package's extraction
#' template (`system.file("extdata", "msc_extraction_template.csv", package =
#' "fastnma")`), ready for [analyse_msc()].
#'
#' Every value is copied from [msc_outcomes]; nothing is imputed. The one
#' analysis choice is the arm size `n` of rows whose source gives no
#' denominator (for instance the median tables of Lamo-Espinosa 2016): it is
#' then taken from the register, the analysed number if recorded, else the
#' number randomised, and column `n_from` says which. Rows whose arm has no
#' class in the register (Cheng 2019, Hou 2016 have no outcome rows) keep
#' an empty `class`, which [analyse_msc()] reports and sets aside.
#'
#' @param outcome Optional character vector: keep only these outcomes
#'   (e.g. `"ae_serious"`). `NULL` (default) keeps all.
#' @param trials,outcomes The register and its outcome values; default
#'   [msc_trials] and [msc_outcomes].
#' @return A data frame with the template's columns (`study` is the
#'   register's `trial_id`, `treatment` its `arm` label, `source` the URL the
#'   value was read from), followed by `measure` (endpoint or change),
#'   `scale`, `n_from` and `note`.
#' @seealso [analyse_msc()], [msc_trials], [msc_outcomes].
#' @examples
#' sae <- msc_extraction("ae_serious")
#' sae[, c("study", "treatment", "class", "n", "events", "timepoint_months")]
#' @export
msc_extraction <- function(outcome = NULL, trials = fastnma::msc_trials,
                           outcomes = fastnma::msc_outcomes) {
  check_data_frame(trials)
  check_data_frame(outcomes)
  if (!is.null(outcome)) {
    if (!is.character(outcome) || !all(outcome %in% outcomes$outcome)) {
      abort_fastnma(c(
        "{.arg outcome} must name outcomes of the record.",
        "x" = "Not found: {.val {setdiff(outcome, outcomes$outcome)}}.",
        "i" = "Available: {.val {sort(unique(outcomes$outcome))}}."
      ), "msc_outcome")
    }
    outcomes <- outcomes[outcomes$outcome %in% outcome, , drop = FALSE]
  }
  key_t <- paste(trials$trial_id, trials$arm, sep = "\r")
  idx <- match(paste(outcomes$trial_id, outcomes$arm, sep = "\r"), key_t)
  n <- outcomes$n
  n_from <- ifelse(is.na(n), NA_character_, "outcome row")
  fill_a <- is.na(n) & !is.na(trials$n_analysed[idx])
  n[fill_a] <- trials$n_analysed[idx][fill_a]
  n_from[fill_a] <- "register: n_analysed"
  fill_r <- is.na(n) & !is.na(trials$n_randomized[idx])
  n[fill_r] <- trials$n_randomized[idx][fill_r]
  n_from[fill_r] <- "register: n_randomized"
  out <- data.frame(
    study = outcomes$trial_id,
    treatment = outcomes$arm,
    class = trials$class[idx],
    n = as.integer(n),
    mean = outcomes$mean, sd = outcomes$sd,
    median = outcomes$median, q1 = outcomes$q1, q3 = outcomes$q3,
    min = NA_real_, max = NA_real_,
    events = outcomes$events,
    outcome = outcomes$outcome,
    timepoint_months = outcomes$timepoint_months,
    source = outcomes$source,
    measure = outcomes$measure,
    scale = outcomes$scale,
    n_from = n_from,
    note = outcomes$note,
    stringsAsFactors = FALSE
  )
  rownames(out) <- NULL
  out
}

#' Analyse an MSC extraction sheet in one call
#'
#' Runs the whole class-level network meta-analysis of one outcome of an
#' arm-level extraction sheet in the format of the package's template
#' (`system.file("extdata", "msc_extraction_template.csv", package =
#' "fastnma")`): selection of time points, conversion of medians, collapsing
#' of arms to treatment classes, contrasts with an explicit zero-cell policy,
#' the network meta-analysis, and the diagnostics. Every row that is not
#' analysed is listed with the reason in the `set_aside` table: nothing is
#' dropped silently.
#'
#' @section Rules:
#' 1. **Outcome**: rows of `outcome` only.
#' 2. **Class**: rows with an empty `class` are set aside.
#' 3. **Time point**: baseline rows (`timepoint_months == 0`) are never
#'    analysed. Of the follow-up rows of an arm, `timepoint = "latest"`
#'    (default) keeps the last, `"earliest"` the first, a number keeps that
#'    time point. An empty `timepoint_months` counts as one time point.
#' 4. **Binary outcomes** (the sheet has `events`): arms need `events` and
#'    `n`. **Continuous outcomes**: arms need `mean`, `sd` and `n`; an arm
#'    reporting a median with quartiles and/or range instead is converted
#'    with [estimate_mean_sd()] (`method = mean_sd_method`) and listed in
#'    the `conversions` table. Other arms are set aside.
#' 5. **Collapsing**: arms of the same class in one study are combined into
#'    one class-level arm: events and `n` are summed; means are weighted by
#'    `n` and SDs pooled with the between-arm spread (Cochrane Handbook,
#'    section 6.5.2.10: \eqn{s^2 = (\sum (n_j - 1) s_j^2 + \sum n_j (m_j -
#'    m)^2) / (N - 1)}). The `collapsed` table lists every such merge.
#' 6. Studies left with one class are set aside (no contrast).
#' 7. If the network falls into separate parts, the part holding
#'    `reference` is analysed and every comparison across parts is reported
#'    as not estimable.
#'
#' @param data A data frame in the template's format, or the path of a CSV
#'   file in that format. Required columns: `study`, `treatment`, `class`,
#'   `n`, `outcome`, and `mean`/`sd`, `median` (with `q1`/`q3` and/or
#'   `min`/`max`) or `events`; `timepoint_months` and `source` are used when
#'   present. Further columns are ignored.
#' @param outcome The outcome to analyse (a value of column `outcome`).
#' @param measure Effect measure: `"MD"` or `"SMD"` for continuous outcomes,
#'   `"RR"`, `"OR"` or `"RD"` for binary ones. Default: `"RR"` when the rows
#'   of `outcome` carry events, `"MD"` otherwise.
#' @param timepoint `"latest"` (default), `"earliest"` or a number of months
#'   (see Rules).
#' @param reference Reference class (default `"Control"`).
#' @param tau2_method,ci_method,level Passed to [nma()].
#' @param zero_cells A [zero_cell_policy()] for binary outcomes.
#' @param mean_sd_method Method of [estimate_mean_sd()] for medians.
#' @param small_values Are small effects `"desirable"` (default: pain
#'   scores, adverse events) or `"undesirable"`? Stored in the fits (see
#'   [nma()]), so the ranking and any later [rank_treatments()] or forest
#'   plot of `fit` use it.
#' @param ... Unused; must be empty.
#' @return An object of class `msc_analysis`, a list of tidy tables:
#'   * `comparisons`: every pair of classes (random-effects model), with the
#'     number of studies comparing them directly and the kind of evidence
#'     (`"direct"`, `"mixed"`, `"indirect only"`, `"not estimable"`);
#'     ratio measures on the ratio scale (`std.error` on the log scale);
#'   * `heterogeneity`: [glance()] of the fit;
#'   * `arms`: the class-level arm data analysed; `collapsed`, `conversions`,
#'     `set_aside`, `zero_cells`: what was merged, converted, left out and
#'     corrected;
#'   * `contrasts`, `fit`: the [arm_contrasts()] table and the [nma()] fit;
#'   * `league`, `ranking`, `node_split`, `inconsistency`: the diagnostics
#'     [league_table()], [rank_treatments()] (P-scores), [node_split()] and
#'     [inconsistency()] of the random-effects fit; one the network cannot
#'     support (e.g. node-splitting without a loop) is `NULL` and
#'     `diagnostic_notes` says why;
#'   * `mh`: for binary outcomes, the Mantel-Haenszel fit
#'     of [nma_binary()] (`mh`: `fit`, `comparisons`, `zero_cells`; or
#'     `error`, the reason and the studies and arms the method set aside,
#'     when it can estimate nothing);
#'   * `rules`: the rules applied, in words.
#'
#'   Use `print()` for a summary (the studies analysed out of those with
#'   class-level arms, the comparisons, tau^2 or that it was set to 0;
#'   ratio measures on the ratio scale;
#'   `print(x, exponentiate = FALSE)` for the log scale) and `tidy()` for
#'   `comparisons`.
#' @seealso [msc_extraction()] for the sourced record in this format,
#'   [simulate_msc_extraction()] for a simulated sheet.
#' @examples
#' sim <- simulate_msc_extraction(seed = 1)
#' res <- analyse_msc(sim, outcome = "womac_pain")
#' res
#' res$comparisons
#'
#' # the sourced serious adverse events, with their zero-cell audit
#' sae <- analyse_msc(msc_extraction("ae_serious"), outcome = "ae_serious",
#'                    timepoint = "earliest")
#' sae$zero_cells
#' @export
analyse_msc <- function(data, outcome, measure = NULL, timepoint = "latest",
                        reference = "Control", tau2_method = "REML",
                        ci_method = "wald", level = 0.95,
                        zero_cells = zero_cell_policy(),
                        mean_sd_method = "luo_wan",
                        small_values = c("desirable", "undesirable"), ...) {
  if (...length() > 0L) {
    check_dots_empty(...)
  }
  small_values <- check_choice(if (missing(small_values)) NULL else small_values,
                               c("desirable", "undesirable"), "small_values")
  data <- read_msc_sheet(data)
  if (!is.character(outcome) || length(outcome) != 1L || is.na(outcome)) {
    abort_fastnma("{.arg outcome} must be a single string.", "msc_outcome")
  }
  rows <- data[!is.na(data$outcome) & data$outcome == outcome, , drop = FALSE]
  if (nrow(rows) == 0L) {
    abort_fastnma(c(
      "No rows of outcome {.val {outcome}}.",
      "i" = "Outcomes in {.arg data}: {.val {sort(unique(stats::na.omit(data$outcome)))}}."
    ), "msc_outcome")
  }
  binary_data <- any(!is.na(rows$events))
  if (is.null(measure)) measure <- if (binary_data) "RR" else "MD"
  measure <- check_choice(measure, c("MD", "SMD", "RR", "OR", "RD"), "measure")
  binary <- measure %in% c("RR", "OR", "RD")
  if (binary != binary_data) {
    abort_fastnma(c(
      "{.arg measure} {.val {measure}} does not fit outcome {.val {outcome}}.",
      "x" = if (binary) "Its rows have no {.field events}." else
        "Its rows carry {.field events}: use {.val RR}, {.val OR} or {.val RD}."
    ), "msc_outcome")
  }
  if (!is.character(reference) || length(reference) != 1L) {
    abort_fastnma("{.arg reference} must be a single class label.", "reference")
  }

  set_aside <- data.frame(study = character(), treatment = character(),
                          class = character(), reason = character(),
                          stringsAsFactors = FALSE)
  drop_rows <- function(rows, bad, reason) {
    if (any(bad)) {
      set_aside <<- rbind(set_aside, data.frame(
        study = rows$study[bad], treatment = rows$treatment[bad],
        class = rows$class[bad], reason = reason, stringsAsFactors = FALSE))
    }
    rows[!bad, , drop = FALSE]
  }

  # Rule 2: class.
  rows <- drop_rows(rows, is.na(rows$class) | !nzchar(trimws(rows$class)),
                    "class not stated (allogeneic or autologous unknown)")

  # Rule 3: time point, per arm.
  tp <- rows$timepoint_months
  arm <- paste(rows$study, rows$treatment, sep = "\r")
  base <- !is.na(tp) & tp == 0
  has_fu <- as.vector(tapply(!base, arm, any)[arm])
  rows <- drop_rows(rows, base & !has_fu, "baseline value only")
  rows <- rows[!(!is.na(rows$timepoint_months) & rows$timepoint_months == 0), , drop = FALSE]
  arm <- paste(rows$study, rows$treatment, sep = "\r")
  tp <- rows$timepoint_months
  if (is.numeric(timepoint) && length(timepoint) == 1L && !is.na(timepoint)) {
    rows <- drop_rows(rows, is.na(tp) | tp != timepoint,
                      sprintf("not at the chosen time point (%g months)", timepoint))
  } else {
    timepoint <- check_choice(timepoint, c("latest", "earliest"), "timepoint")
    key <- ifelse(is.na(tp), -Inf, tp)
    pick <- if (timepoint == "latest") stats::ave(key, arm, FUN = max) else
      stats::ave(key, arm, FUN = min)
    rows <- drop_rows(rows, key != pick,
                      sprintf("other time point of the arm (%s kept)", timepoint))
  }
  arm <- paste(rows$study, rows$treatment, sep = "\r")
  if (anyDuplicated(arm)) {
    d <- unique(rows$study[duplicated(arm)])
    abort_fastnma(c(
      "Each arm may have one row per outcome and time point.",
      "x" = "Duplicated arms of outcome {.val {outcome}} in stud{?y/ies} {.val {d}}."
    ), "msc_data", study = d)
  }

  # Rule 4: usable values.
  conversions <- NULL
  rows <- drop_rows(rows, is.na(rows$n) | rows$n < 1, "no arm size (n)")
  if (binary) {
    rows <- drop_rows(rows, is.na(rows$events), "no event count")
  } else {
    need <- is.na(rows$mean) | is.na(rows$sd)
    conv <- need & !is.na(rows$median) &
      ((!is.na(rows$q1) & !is.na(rows$q3)) | (!is.na(rows$min) & !is.na(rows$max))) &
      rows$n >= 2
    if (any(conv)) {
      msc_env <- environment()
      est <- tryCatch(
        estimate_mean_sd(median = rows$median[conv], q1 = rows$q1[conv],
                         q3 = rows$q3[conv], min = rows$min[conv],
                         max = rows$max[conv], n = rows$n[conv],
                         method = mean_sd_method),
        fastnma_error = function(e) {
          # name the arms, not rows of the internal subset
          arm <- paste0(rows$study[conv], " (", rows$treatment[conv], ")")
          abort_fastnma(c(
            "Medians could not be converted to means and SDs for outcome {.val {outcome}}.",
            "i" = "The rows below are the arms, in order: {.val {arm}}."
          ), "msc_data", call = msc_env, parent = e)
        })
      conversions <- data.frame(
        study = rows$study[conv], treatment = rows$treatment[conv],
        class = rows$class[conv], n = rows$n[conv],
        median = rows$median[conv], q1 = rows$q1[conv], q3 = rows$q3[conv],
        min = rows$min[conv], max = rows$max[conv],
        mean = est$mean, sd = est$sd, scenario = est$scenario,
        method = mean_sd_method, stringsAsFactors = FALSE)
      rows$mean[conv] <- est$mean
      rows$sd[conv] <- est$sd
    }
    rows <- drop_rows(rows, is.na(rows$mean) | is.na(rows$sd) | rows$sd <= 0,
                      "no mean and SD, and no median with quartiles or range")
  }

  # Rule 5: collapse arms of one class within a study.
  sc <- paste(rows$study, rows$class, sep = "\r")
  grp <- match(sc, unique(sc))
  first <- !duplicated(grp)
  n_tot <- as.vector(tapply(rows$n, grp, sum))
  arms <- data.frame(study = rows$study[first], class = rows$class[first],
                     n = n_tot, stringsAsFactors = FALSE)
  if (binary) {
    arms$events <- as.vector(tapply(rows$events, grp, sum))
  } else {
    m <- as.vector(tapply(rows$n * rows$mean, grp, sum)) / n_tot
    ss <- as.vector(tapply((rows$n - 1) * rows$sd^2 + rows$n * (rows$mean - m[grp])^2,
                           grp, sum))
    arms$mean <- m
    arms$sd <- sqrt(ss / (n_tot - 1))
  }
  n_arms <- tabulate(grp)
  collapsed <- if (any(n_arms > 1L)) {
    multi <- which(n_arms > 1L)
    data.frame(study = arms$study[multi], class = arms$class[multi],
               arms = as.vector(tapply(rows$treatment, grp, paste, collapse = " + "))[multi],
               n = arms$n[multi], stringsAsFactors = FALSE)
  } else {
    data.frame(study = character(), class = character(), arms = character(),
               n = numeric(), stringsAsFactors = FALSE)
  }

  # Rule 6: studies with one class.
  n_cls <- as.vector(table(arms$study)[arms$study])
  lone <- n_cls < 2L
  if (any(lone)) {
    rows <- drop_rows(rows, rows$study %in% arms$study[lone],
                      "only one class with usable data in the study: no contrast")
    arms <- arms[!lone, , drop = FALSE]
  }
  rownames(arms) <- NULL
  rules <- msc_rules(outcome, measure, timepoint, mean_sd_method, zero_cells, binary)
  if (nrow(arms) == 0L) {
    abort_fastnma(c(
      "No study of outcome {.val {outcome}} has usable data in two classes.",
      "i" = "{nrow(set_aside)} row{?s} set aside: see the reasons with {.code analyse_msc()}'s rules."
    ), "msc_data", set_aside = set_aside)
  }

  # Classes of the sheet (any outcome): pairs without data are reported as
  # not estimable rather than left out of the table.
  classes <- unique(data$class[!is.na(data$class) & nzchar(trimws(data$class))])
  classes <- c(sort(setdiff(classes, reference)), reference)
  # The fits read every comparison in the question's direction, as the
  # table of classes does: each class vs the reference, an earlier class of
  # `classes` vs a later one (Allo vs Auto). Their treatment order is the
  # reverse of `classes`, whose comparisons read "later vs earlier".
  fit_order <- function(present) {
    o <- rev(classes)
    c(o[o %in% present], sort(setdiff(present, o)))
  }

  ac <- if (binary) {
    arm_contrasts(arms, "study", "class", n = "n", events = "events", measure = measure,
                  zero_cells = zero_cells)
  } else {
    arm_contrasts(arms, "study", "class", n = "n", mean = "mean", sd = "sd", measure = measure)
  }
  audit <- zero_cell_audit(ac)

  # Rule 7: fit the part of the network that holds the reference.
  fit <- NULL
  parts <- NULL
  if (nrow(ac) > 0L) {
    fit <- tryCatch(
      nma(ac, reference = if (reference %in% c(ac$treat1, ac$treat2)) reference else NULL,
          order = fit_order(unique(c(ac$treat1, ac$treat2))), tau2_method = tau2_method, ci_method = ci_method, level = level,
          small_values = small_values),
      fastnma_error_disconnected = function(e) {
        parts <<- e$components
        NULL
      })
    if (is.null(fit) && !is.null(parts)) {
      part <- Filter(function(p) reference %in% p, parts)
      part <- if (length(part)) part[[1]] else parts[[which.max(lengths(parts))]]
      sub <- ac[ac$treat1 %in% part & ac$treat2 %in% part, , drop = FALSE]
      set_aside <- rbind(set_aside, data.frame(
        study = unique(ac$study[!(ac$treat1 %in% part)]), treatment = NA_character_,
        class = NA_character_,
        reason = "not connected to the reference class: analysed in no network",
        stringsAsFactors = FALSE))
      if (length(part) >= 2L && nrow(sub) > 0L) {
        fit <- nma(sub, measure = measure,
                   reference = if (reference %in% part) reference else NULL,
                   order = fit_order(unique(c(sub$treat1, sub$treat2))),
                   tau2_method = tau2_method, ci_method = ci_method, level = level,
                   small_values = small_values)
      }
    }
  }

  comparisons <- msc_comparisons(fit, classes, ac, level)
  out <- list(
    outcome = outcome, measure = measure, reference = reference,
    comparisons = comparisons,
    heterogeneity = if (!is.null(fit)) glance(fit) else NULL,
    arms = arms, collapsed = collapsed, conversions = conversions,
    set_aside = set_aside, zero_cells = audit, contrasts = ac, fit = fit,
    league = NULL, ranking = NULL, node_split = NULL, inconsistency = NULL,
    mh = NULL, diagnostic_notes = character(), rules = rules
  )
  if (!is.null(fit)) out <- c_diagnostics(out, fit)
  if (binary && !is.null(fit)) {
    out$mh <- msc_mh(arms, measure, reference, fit, classes, level, small_values,
                     order = fit_order(unique(arms$class)))
  }
  new_fastnma_result(out, "msc_analysis")
}

# The diagnostics of a fit: league table, P-scores, node-splitting and the
# decomposition of Q. A diagnostic that the network cannot support (too few
# treatments, no loop) is NULL, with the reason in `diagnostic_notes`.
c_diagnostics <- function(out, fit) {
  notes <- character()
  attempt <- function(what, expr) {
    tryCatch(expr, fastnma_error = function(e) {
      notes[[what]] <<- cli::ansi_strip(conditionMessage(e))
      NULL
    })
  }
  out$league <- attempt("league", league_table(fit, exponentiate = is_ratio(fit$measure)))
  out$ranking <- attempt("ranking", rank_treatments(fit, method = "pscore"))
  out$node_split <- attempt("node_split", node_split(fit))
  out$inconsistency <- attempt("inconsistency", inconsistency(fit))
  out$diagnostic_notes <- notes
  out
}

# Mantel-Haenszel network meta-analysis of the class-level arms (common
# effect; no continuity correction).
msc_mh <- function(arms, measure, reference, fit, classes, level,
                   small_values = "desirable", order = NULL) {
  # the messages of nma_binary() (what it set aside) are kept, not shown:
  # a failure then says itself what was set aside
  said <- character()
  mh <- tryCatch(
    withCallingHandlers(
      nma_binary(arms, "study", "class", events = "events", n = "n",
                 measure = measure, method = "MH",
                 reference = if (reference %in% arms$class) reference else NULL,
                 order = order, level = level, small_values = small_values),
      message = function(m) {
        said <<- c(said, cli::ansi_strip(conditionMessage(m)))
        invokeRestart("muffleMessage")
      }),
    error = function(e) {
      lines <- strsplit(cli::ansi_strip(conditionMessage(e)), "\n")[[1]]
      lines <- lines[!grepl("listed in the message above", lines, fixed = TRUE)]
      set_aside <- unlist(strsplit(said, "\n"), use.names = FALSE)
      set_aside <- trimws(sub("^[!i\u2139] ", "", set_aside))
      set_aside <- set_aside[nzchar(set_aside) & !grepl("^See zero_cell_audit", set_aside)]
      structure(list(error = paste(c(lines, if (length(set_aside))
        c("Set aside by the Mantel-Haenszel method:", set_aside)), collapse = "\n")),
        class = "msc_failed")
    })
  if (inherits(mh, "msc_failed")) return(mh)
  cmp <- msc_comparisons(mh, classes, NULL, level, model = "common")
  cmp$pred.low <- NULL
  cmp$pred.high <- NULL
  cmp$evidence[cmp$evidence == "estimated"] <- "Mantel-Haenszel (common effect)"
  list(fit = mh, comparisons = cmp, zero_cells = zero_cell_audit(mh))
}

# Every pair of classes with the kind of evidence behind it.
msc_comparisons <- function(fit, classes, ac, level, model = "random") {
  ij <- utils::combn(length(classes), 2L)
  t1 <- classes[ij[1, ]]
  t2 <- classes[ij[2, ]]
  direct <- if (is.null(ac)) rep(NA_integer_, length(t1)) else
    vapply(seq_along(t1), function(k) {
      length(unique(ac$study[(ac$treat1 == t1[k] & ac$treat2 == t2[k]) |
                               (ac$treat1 == t2[k] & ac$treat2 == t1[k])]))
    }, integer(1))
  out <- data.frame(treat1 = t1, treat2 = t2, estimate = NA_real_,
                    std.error = NA_real_, conf.low = NA_real_,
                    conf.high = NA_real_, p.value = NA_real_,
                    pred.low = NA_real_, pred.high = NA_real_,
                    k_direct = direct, evidence = "not estimable",
                    stringsAsFactors = FALSE)
  if (is.null(fit)) return(out)
  ok <- t1 %in% fit$treatments & t2 %in% fit$treatments
  if (any(ok)) {
    rows <- comparison_rows(fit, model, match(t1[ok], fit$treatments),
                            match(t2[ok], fit$treatments), level,
                            exponentiate = is_ratio(fit$measure))
    for (col in intersect(c("estimate", "std.error", "conf.low", "conf.high", "p.value",
                            "pred.low", "pred.high"), names(rows))) {
      out[[col]][ok] <- rows[[col]]
    }
    out$evidence[ok] <- if (is.null(ac)) "estimated" else
      ifelse(direct[ok] == 0L, "indirect only",
             ifelse(fit$n > 2L & fit$m > direct[ok], "mixed", "direct"))
  }
  if (!is.null(ac)) {
    # Mixed needs both a direct and an indirect path for the pair.
    for (k in which(out$evidence == "mixed")) {
      other <- ac[!((ac$treat1 == t1[k] & ac$treat2 == t2[k]) |
                      (ac$treat1 == t2[k] & ac$treat2 == t1[k])), , drop = FALSE]
      if (!pair_connected(t1[k], t2[k], other)) out$evidence[k] <- "direct"
    }
  }
  out
}

# Are a and b joined by a path of contrasts in `ac`?
pair_connected <- function(a, b, ac) {
  reach <- a
  repeat {
    nxt <- unique(c(reach, ac$treat2[ac$treat1 %in% reach], ac$treat1[ac$treat2 %in% reach]))
    if (length(nxt) == length(reach)) break
    reach <- nxt
  }
  b %in% reach
}

msc_rules <- function(outcome, measure, timepoint, mean_sd_method, zero_cells, binary) {
  c(
    outcome = sprintf("Outcome %s, measure %s, random-effects network meta-analysis at class level (where the data carry no information on tau^2, it is set to 0: the common-effect model).",
                      outcome, measure),
    class = "Rows without a class are set aside.",
    timepoint = if (is.numeric(timepoint))
      sprintf("Baseline rows are not analysed; only rows at %g months are kept.", timepoint) else
      sprintf("Baseline rows are not analysed; the %s follow-up time point of each arm is kept.", timepoint),
    values = if (binary) "Arms need events and n." else
      sprintf("Arms need mean, SD and n; medians with quartiles and/or range are converted by estimate_mean_sd(method = \"%s\").",
              mean_sd_method),
    collapse = if (binary)
      "Arms of the same class in one study are combined: events and n summed." else
      "Arms of the same class in one study are combined: n summed, means weighted by n, SDs pooled with the between-arm spread (Cochrane Handbook 6.5.2.10).",
    zero_cells = if (binary) paste0("Zero cells: ", zero_cells$method, " correction, increment ",
                                    zero_cells$incr, msc_increment_where(measure, zero_cells),
                                    "; double-zero studies: ",
                                    zero_cells$double_zero %||% if (measure == "RD") "keep" else "drop",
                                    ".") else NULL,
    single = "Studies with one class left are set aside (no contrast)."
  )
}

# Where the increment goes, as arm_contrasts() computes it (?arm_contrasts):
# for RR to the events and once to the arm size, for OR to every cell
# (events and non-events), for RD the variance only.
msc_increment_where <- function(measure, zero_cells) {
  if (identical(zero_cells$method, "none")) return("")
  studies <- if (identical(zero_cells$method, "all")) "of every study" else
    "of every arm of a study with a zero cell"
  switch(measure,
         RR = paste(" added to the events and to n", studies),
         OR = paste(" added to every cell (events and non-events)", studies),
         RD = paste(" added to the cells", studies, "for the variance only"),
         "")
}

# Read a sheet (data frame or CSV path), check and type its columns.
read_msc_sheet <- function(data, call = rlang::caller_env()) {
  if (is.character(data) && length(data) == 1L) {
    if (!file.exists(data)) {
      abort_fastnma("File {.file {data}} does not exist.", "file", call = call)
    }
    path <- data
    data <- abort_fastnma_on_error(
      utils::read.csv(path, stringsAsFactors = FALSE, na.strings = c("", "NA"),
                      check.names = FALSE, encoding = "UTF-8"),
      c("File {.file {path}} could not be read as a CSV extraction sheet.",
        "x" = "{reason}",
        "i" = "Start from {.code system.file(\"extdata\", \"msc_extraction_template.csv\", package = \"fastnma\")}."
      ), "file", call = call)
  }
  check_data_frame(data, call = call)
  check_columns(data, c("study", "treatment", "class", "n", "outcome"),
                "{.arg data} must have the columns of the extraction template.", "column",
                hint = "See {.code system.file(\"extdata\", \"msc_extraction_template.csv\", package = \"fastnma\")}.",
                call = call)
  data <- as.data.frame(data, stringsAsFactors = FALSE)
  for (col in setdiff(msc_template_columns, names(data))) data[[col]] <- NA
  for (col in c("study", "treatment", "class", "outcome", "source")) {
    data[[col]] <- as.character(data[[col]])
  }
  for (col in c("n", "mean", "sd", "median", "q1", "q3", "min", "max", "events",
                "timepoint_months")) {
    v <- data[[col]]
    if (is.logical(v)) v <- as.numeric(v)
    if (!is.numeric(v)) {
      abort_fastnma("Column {.field {col}} must be numeric, not {.obj_type_friendly {v}}.",
                    "column", call = call, column = col)
    }
    data[[col]] <- as.numeric(v)
  }
  bad <- !is.na(data$events) & !is.na(data$n) &
    (data$events < 0 | data$events > data$n)
  if (any(bad)) {
    abort_fastnma("Column {.field events} must lie between 0 and {.field n} (stud{?y/ies} {.val {unique(data$study[bad])}}).",
                  "arm_data", call = call, study = unique(data$study[bad]))
  }
  data
}

#' @export
print.msc_analysis <- function(x, digits = 3, exponentiate = NULL, ...) {
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  cat_wrapped(cli::style_bold("MSC network meta-analysis"), ": ", x$outcome, " (",
              scale_header(x$measure, exponentiate), "; reference ",
              x$reference, ")")
  k <- length(unique(x$arms$study))
  # the studies the fit used: the zero-cell rule (double-zero studies) can
  # leave out studies that have class-level arms
  fitted <- if (is.null(x$fit)) character() else intersect(unique(x$arms$study), x$fit$studies)
  gone <- k - length(fitted)
  studies_txt <- if (gone > 0L) {
    sprintf("%d of %d studies analysed (%d left out, see zero_cells), %d of %d class-level arms",
            length(fitted), k, gone, sum(x$arms$study %in% fitted), nrow(x$arms))
  } else {
    sprintf("%d stud%s analysed, %d class-level arms", k, if (k == 1) "y" else "ies", nrow(x$arms))
  }
  cat_wrapped(sprintf("%s; %d row%s set aside; %d arm merge%s; %d median conversion%s",
                        studies_txt,
                        nrow(x$set_aside), if (nrow(x$set_aside) == 1) "" else "s",
                        nrow(x$collapsed), if (nrow(x$collapsed) == 1) "" else "s",
                        NROW(x$conversions), if (NROW(x$conversions) == 1) "" else "s"))
  cli::cat_line()
  # the comparisons are stored on the ratio scale for ratio measures
  cmp <- to_scale(x$comparisons, exponentiate, stored = is_ratio(x$measure))
  shown <- data.frame(
    comparison = paste(cmp$treat1, "vs", cmp$treat2),
    estimate = ifelse(is.na(cmp$estimate), "-", format_num(cmp$estimate, digits)),
    ci = ifelse(is.na(cmp$estimate), "not estimable",
                format_ci(cmp$conf.low, cmp$conf.high, digits)),
    k_direct = cmp$k_direct,
    evidence = cmp$evidence,
    stringsAsFactors = FALSE
  )
  names(shown)[2:3] <- c(measure_abbrev(x$measure, exponentiate), "95%-CI")
  print_columns(shown, left = c("comparison", "evidence"))
  if (!is.null(x$heterogeneity)) {
    g <- x$heterogeneity
    cli::cat_line()
    # a tau^2 fixed at 0 because the data carry no information on it is not
    # an estimate: the print says so, as the forest of the fit does
    how <- if (identical(x$fit$tau2_info$identifiable, FALSE))
      "not estimable, set to 0: common-effect model" else g$tau2_method
    cli::cat_line(sprintf("tau^2 = %s (%s); Q = %s, df = %d", format_num(g$tau2, 4),
                          how, format_num(g$Q, 2), g$df))
    note <- log_scale_note(x$measure, "tau^2 is")
    if (!is.null(note)) cli::cat_line(note)
  }
  if (nrow(x$zero_cells) > 0L) {
    gone <- x$zero_cells$study[x$zero_cells$action == "excluded"]
    cli::cat_line(sprintf("Zero-cell audit: %d corrected, %d excluded%s",
                          sum(x$zero_cells$action == "corrected"), length(gone),
                          if (length(gone)) paste0(" (", paste(gone, collapse = ", "), ")") else ""))
  }
  if (!is.null(x$mh$error)) {
    cli::cat_line("Mantel-Haenszel: not estimable (", strsplit(x$mh$error, "\n")[[1]][1], ")")
  }
  avail <- c(league = !is.null(x$league), ranking = !is.null(x$ranking),
             node_split = !is.null(x$node_split),
             inconsistency = !is.null(x$inconsistency), mh = !is.null(x$mh))
  if (any(avail)) cli::cat_line("Also in the result: ", paste(names(avail)[avail], collapse = ", "))
  invisible(x)
}

#' @export
tidy.msc_analysis <- function(x, ...) as_tidy(x$comparisons)

#' Simulate an MSC extraction sheet on the real register
#'
#' Draws arm-level data for every analysable arm of the register
#' ([msc_trials]: the real trials, arms and arm sizes) from declared true
#' effects, and returns them in the format of the package's extraction
#' template. **The values are simulated**: every row says so in its `source`
#' column (`"SIMULATED: ..."`). Use it to see how [analyse_msc()] and the
#' network meta-analysis behave on a network of this shape, and to check that
#' they recover a known truth; never as evidence about MSCs.
#'
#' @section Model:
#' Arms of the register without a class or without an arm size
#' (`n_randomized`, else `n_analysed`) are left out, and so are trials left
#' with one class; they are listed in `attr(, "left_out")`. For study
#' \eqn{i} and class \eqn{c} (all arms of one class in a trial share their
#' true effect) the efficacy outcome's arm mean is drawn as
#' \deqn{\bar y_{ia} \sim N(\mu_i + d_c + b_{ic}, \sigma^2 / n_a), \quad
#' \mu_i \sim N(\mu_0, 1), \quad b_{ic} \sim N(0, \tau^2/2),}
#' with \eqn{d_{Control} = 0}, so that every contrast of two classes in a
#' study varies with variance \eqn{\tau^2} around its true value and
#' contrasts of a multi-arm study are correlated 1/2, the random-effects
#' model of [nma()]. The arm SD is drawn as \eqn{\sigma
#' \sqrt{\chi^2_{n_a - 1}/(n_a - 1)}}. Means and SDs are rounded to two
#' decimals, as printed in trial reports. The harm outcome's events are
#' binomial with risk \eqn{\min(0.95, p_0 \cdot RR_c \cdot
#' e^{g_{ic}})}, \eqn{g_{ic} \sim N(0, \tau_h^2/2)}.
#'
#' @param seed Random seed (the global random state is left as it was).
#' @param effects Named vector: the true mean differences of the efficacy
#'   outcome versus Control (default `c(Allo = -1.5, Auto = -1.0)`, WOMAC
#'   pain points, negative = less pain; so Allo vs Auto is -0.5).
#' @param tau Between-study SD of the efficacy contrasts (default 0.3).
#' @param sd Within-arm SD of the efficacy outcome (default 4).
#' @param control_mean Mean of the study-level outcome in Control arms,
#'   \eqn{\mu_0} (default 8).
#' @param harm_rr Named vector: true risk ratios of the harm outcome versus
#'   Control (default `c(Allo = 1.2, Auto = 2.0)`; so Allo vs Auto is 0.6).
#'   `NULL` for no harm outcome.
#' @param control_risk Risk of the harm outcome in Control arms (default
#'   0.15).
#' @param tau_harm Between-study SD of the log risk ratios (default 0).
#' @param outcome,harm_outcome Labels of the two outcomes (default
#'   `"womac_pain"` and `"ae_joint"`).
#' @param timepoint_months Time point written to the sheet (default 12).
#' @param trials The register (default [msc_trials]).
#' @return A data frame with the template's columns, one row per arm and
#'   outcome. Attributes: `truth` (the declared comparisons of every pair of
#'   classes, on the scale of the analysis: mean differences and risk
#'   ratios) and `left_out` (trials of the register not simulated, with the
#'   reason).
#' @seealso [analyse_msc()].
#' @examples
#' sim <- simulate_msc_extraction(seed = 2025)
#' head(sim)
#' attr(sim, "truth")
#' @export
simulate_msc_extraction <- function(seed, effects = c(Allo = -1.5, Auto = -1.0),
                                    tau = 0.3, sd = 4, control_mean = 8,
                                    harm_rr = c(Allo = 1.2, Auto = 2.0),
                                    control_risk = 0.15, tau_harm = 0,
                                    outcome = "womac_pain",
                                    harm_outcome = "ae_joint",
                                    timepoint_months = 12,
                                    trials = fastnma::msc_trials) {
  if (missing(seed) || !is.numeric(seed) || length(seed) != 1L || is.na(seed)) {
    abort_fastnma("{.arg seed} must be a single number.", "seed")
  }
  check_named_effects(effects, "effects")
  if (!is.null(harm_rr)) {
    check_named_effects(harm_rr, "harm_rr")
    if (any(harm_rr <= 0)) abort_fastnma("{.arg harm_rr} must be positive risk ratios.", "effects")
  }
  for (a in c("tau", "sd", "tau_harm")) {
    v <- get(a)
    if (!is.numeric(v) || length(v) != 1L || !is.finite(v) || v < 0 || (a == "sd" && v == 0)) {
      abort_fastnma("{.arg {a}} must be a single non-negative number{if (a == 'sd') ' above 0' else ''}.",
                    "dispersion")
    }
  }
  if (!is.numeric(control_risk) || length(control_risk) != 1L ||
      !(control_risk > 0 && control_risk < 1)) {
    abort_fastnma("{.arg control_risk} must be a probability strictly between 0 and 1.", "risk")
  }
  classes <- c("Control", names(effects))
  if (!is.null(harm_rr) && !setequal(names(harm_rr), names(effects))) {
    abort_fastnma("{.arg harm_rr} must name the same classes as {.arg effects}.", "effects")
  }

  # The register's analysable arms.
  n <- ifelse(is.na(trials$n_randomized), trials$n_analysed, trials$n_randomized)
  left_out <- data.frame(study = character(), reason = character(), stringsAsFactors = FALSE)
  no_class <- is.na(trials$class) | !(trials$class %in% classes)
  no_n <- is.na(n)
  arms <- data.frame(study = trials$trial_id, treatment = trials$arm,
                     class = trials$class, n = n, stringsAsFactors = FALSE)
  if (any(no_class)) {
    left_out <- rbind(left_out, data.frame(
      study = unique(arms$study[no_class]),
      reason = "an arm without class (allogeneic or autologous unknown)",
      stringsAsFactors = FALSE))
  }
  if (any(no_n & !no_class)) {
    left_out <- rbind(left_out, data.frame(
      study = setdiff(unique(arms$study[no_n & !no_class]), left_out$study),
      reason = "arm sizes not read", stringsAsFactors = FALSE))
  }
  arms <- arms[!(arms$study %in% left_out$study) & !no_n & !no_class, , drop = FALSE]
  n_cls <- tapply(arms$class, arms$study, function(k) length(unique(k)))
  lone <- names(n_cls)[n_cls < 2L]
  if (length(lone)) {
    left_out <- rbind(left_out, data.frame(
      study = lone, reason = "one class left with an arm size", stringsAsFactors = FALSE))
    arms <- arms[!(arms$study %in% lone), , drop = FALSE]
  }
  rownames(arms) <- NULL

  with_seed(seed, {
    studies <- unique(arms$study)
    s <- match(arms$study, studies)
    sc <- paste(arms$study, arms$class, sep = "\r")
    g <- match(sc, unique(sc))
    mu <- stats::rnorm(length(studies), control_mean, 1)
    b <- stats::rnorm(max(g), 0, tau / sqrt(2))
    d <- c(Control = 0, effects)[arms$class]
    true_mean <- mu[s] + d + b[g]
    y <- stats::rnorm(nrow(arms), true_mean, sd / sqrt(arms$n))
    s_arm <- sd * sqrt(stats::rchisq(nrow(arms), arms$n - 1) / (arms$n - 1))
    if (!is.null(harm_rr)) {
      gh <- stats::rnorm(max(g), 0, tau_harm / sqrt(2))
      rr <- c(Control = 1, harm_rr)[arms$class]
      p <- pmin(0.95, control_risk * rr * exp(gh[g]))
      ev <- stats::rbinom(nrow(arms), arms$n, p)
    }
  })

  src <- sprintf("SIMULATED: simulate_msc_extraction(seed = %s); real arm and n from msc_trials; not data", format(seed))
  eff <- data.frame(study = arms$study, treatment = arms$treatment, class = arms$class,
                    n = as.integer(arms$n), mean = round(y, 2), sd = round(s_arm, 2),
                    median = NA_real_, q1 = NA_real_, q3 = NA_real_, min = NA_real_,
                    max = NA_real_, events = NA_integer_, outcome = outcome,
                    timepoint_months = timepoint_months, source = src,
                    stringsAsFactors = FALSE)
  out <- eff
  if (!is.null(harm_rr)) {
    harm <- eff
    harm$mean <- NA_real_
    harm$sd <- NA_real_
    harm$events <- as.integer(ev)
    harm$outcome <- harm_outcome
    out <- rbind(eff, harm)
  }
  # Declared truth for every pair of classes.
  cl <- c(sort(names(effects)), "Control")
  ij <- utils::combn(length(cl), 2L)
  dd <- c(Control = 0, effects)
  truth <- data.frame(outcome = outcome, measure = "MD", treat1 = cl[ij[1, ]],
                      treat2 = cl[ij[2, ]],
                      value = unname(dd[cl[ij[1, ]]] - dd[cl[ij[2, ]]]),
                      stringsAsFactors = FALSE)
  if (!is.null(harm_rr)) {
    rr <- c(Control = 1, harm_rr)
    truth <- rbind(truth, data.frame(outcome = harm_outcome, measure = "RR",
                                     treat1 = cl[ij[1, ]], treat2 = cl[ij[2, ]],
                                     value = unname(rr[cl[ij[1, ]]] / rr[cl[ij[2, ]]]),
                                     stringsAsFactors = FALSE))
  }
  rownames(out) <- NULL
  structure(out, truth = truth, left_out = left_out)
}

check_named_effects <- function(x, arg, call = rlang::caller_env()) {
  if (!is.numeric(x) || !length(x) || is.null(names(x)) || anyNA(x) ||
      any(!nzchar(names(x))) || anyDuplicated(names(x)) || "Control" %in% names(x)) {
    abort_fastnma(c(
      "{.arg {arg}} must be a named numeric vector of effects versus Control.",
      "i" = "For example {.code c(Allo = -1.5, Auto = -1.0)}."
    ), "effects", call = call)
  }
}


#' Cumulative network meta-analysis
#'
#' `cumulative_nma()` re-fits the network as its studies accrue in a given
#' order (publication year, say): step \eqn{s} is the network of every study
#' whose order value is at most the \eqn{s}-th distinct value. Studies with
#' the same value (the same year) enter at the same step. Every step is a
#' full fit of the compiled core on that subset of the fit's study
#' contrasts, with the fit's settings (reference, `tau2_method` or preset
#' \eqn{\tau^2}, `ci_method`, `level`, `small_values`, `control`), so a step
#' equals `nma()` on the same studies; the last step is the full fit.
#'
#' @section Incomplete steps:
#' Early in a cumulative analysis a treatment may not have been studied yet,
#' or the studies so far may form separate parts of the network. Such steps
#' are fitted and reported, never dropped:
#' * the step is fitted on the connected part that holds the reference (or,
#'   while the reference has no study yet, the largest part; its reference is
#'   then the first treatment of the part in the fit's canonical order);
#'   studies of the other parts are listed in `x$steps$set_aside`;
#' * comparisons the step cannot estimate have `NA` estimates and a
#'   `status` of `"not in network"` (a treatment has no study yet) or
#'   `"disconnected"` (both treatments have studies, in separate parts);
#' * while Q has no degrees of freedom, \eqn{\tau^2} is not identifiable and
#'   set to 0, as in [nma()] (the message is collected, not repeated per
#'   step: see `tau2_identifiable` in `tidy(x, type = "steps")`); with
#'   Hartung-Knapp intervals the random-effects intervals of such steps are
#'   `NA`.
#' Warnings of a step (a \eqn{\tau^2} estimate that did not converge) are
#' collected into one warning that names the steps.
#'
#' @param fit An object of class `nma` (inverse-variance model of study
#'   contrasts; a Mantel-Haenszel fit is an error of class
#'   `fastnma_error_not_supported`).
#' @param order The order in which studies accrue: a column of `data`
#'   (bare name or string; one value per study, e.g. `year`), or a vector
#'   named by study (every study of the fit, no missing values). Numbers,
#'   dates, strings (sorted) or factors (in the order of their levels).
#' @param data The data frame that holds the `order` column, with the study
#'   column the fit was made with. By default the data of the fit's call
#'   (found as [stats::update()] finds it).
#' @param ... Unused; must be empty.
#' @return An object of class `nma_cumulative`: a list with `steps` (one row
#'   per step: `step`, `order_value`, `studies_added`, `k` studies so far,
#'   `k_fitted` studies in the fitted part, `n_treatments` of the fitted
#'   part, `connected`, `tau2`, `Q`, `df`, `I2`, `tau2_identifiable`,
#'   `set_aside`, `note`), `fits` (the fit of every step, class `nma`, or
#'   `NULL`), the fit's `treatments`, `reference`, `measure`, `level`,
#'   `tau2_method` and `ci_method`, and `order_name`.
#' @references
#' Lau J, Antman EM, Jimenez-Silva J, Kupelnick B, Mosteller F, Chalmers TC
#' (1992). Cumulative meta-analysis of therapeutic trials for myocardial
#' infarction. *New England Journal of Medicine* 327(4):248-254.
#' \doi{10.1056/NEJM199207233270406}
#'
#' Créquit P, Trinquart L, Yavchitz A, Ravaud P (2016). Wasted research
#' when systematic reviews fail to provide a complete and up-to-date
#' evidence synthesis: the example of lung cancer. *BMC Medicine* 14:8.
#' \doi{10.1186/s12916-016-0555-0}
#'
#' Rücker G (2012). Network meta-analysis, electrical networks and graph
#' theory. *Research Synthesis Methods* 3(4):312-324. \doi{10.1002/jrsm.1058}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac",
#'            tau2_method = "DL")
#' studies <- unique(senn2013$study)
#' year <- setNames(as.integer(regmatches(studies, regexpr("[0-9]{4}", studies))),
#'                  studies)
#' cum <- cumulative_nma(fit, year)
#' cum
#' head(tidy(cum))
#' tidy(cum, type = "steps")
#' glance(cum)
#' @export
cumulative_nma <- function(fit, order, data = NULL, ...) {
  netmeta_guard()
  check_dots_empty(...)
  quo <- rlang::enquo(order)
  v <- refit_study_values(fit, "cumulative_nma", quo, data, "order", env = parent.frame())
  order_name <- rlang::as_label(quo)
  if (is.factor(v)) {
    lev <- levels(droplevels(v))
    key <- match(as.character(v), lev)
    values <- factor(lev, levels = levels(v))
  } else {
    values <- sort(unique(v))
    key <- match(v, values)
  }
  n_steps <- length(values)
  studies <- fit$studies
  fits <- vector("list", n_steps)
  warned <- character()
  for (s in seq_len(n_steps)) {
    sf <- subset_fit(fit, studies[key <= s])
    fits[[s]] <- sf
    if (length(sf$warnings)) warned <- c(warned, s)
  }
  steps <- steps_table(fits, values, lapply(seq_len(n_steps), function(s) studies[key == s]))
  if (length(warned)) {
    cli::cli_warn(c(
      "The {fit$tau2_method} estimate of tau^2 did not converge at step{?s} {warned}.",
      "i" = "See {.code tidy(x, type = \"steps\")}; consider {.code tau2_method = \"DL\"}."
    ), class = c("fastnma_warning_convergence", "fastnma_warning"))
  }
  new_collection(list(steps = steps, fits = lapply(fits, `[[`, "fit"), parts = fits,
                      treatments = fit$treatments, reference = fit$reference,
                      measure = fit$measure, level = fit$level,
                      tau2_method = fit$tau2_method, ci_method = fit$ci_method,
                      order_name = order_name, k = length(studies)),
                 "nma_cumulative")
}

# A per-step (or per-subgroup) summary of subset fits.
steps_table <- function(parts, values, added) {
  num <- function(f, what) vapply(parts, function(p) {
    x <- p$fit[[what]]
    if (is.null(x)) NA_real_ else as.double(x)
  }, double(1))
  data.frame(
    step = seq_along(parts),
    order_value = values,
    studies_added = vapply(added, paste, character(1), collapse = ", "),
    k = vapply(parts, function(p) length(p$studies), integer(1)),
    k_fitted = vapply(parts, function(p) length(p$fitted), integer(1)),
    n_treatments = vapply(parts, function(p) length(p$treatments_fitted), integer(1)),
    connected = vapply(parts, `[[`, logical(1), "connected"),
    tau2 = num(parts, "tau2"), Q = num(parts, "Q"), df = num(parts, "df"),
    I2 = num(parts, "I2"),
    tau2_identifiable = vapply(parts, `[[`, logical(1), "identifiable"),
    set_aside = vapply(parts, function(p) paste(p$set_aside, collapse = ", "), character(1)),
    note = vapply(parts, function(p) paste(c(p$notes, p$warnings), collapse = "; "),
                  character(1)),
    stringsAsFactors = FALSE)
}

# What the verbs that re-fit study subsets (cumulative_nma(),
# subgroup_nma()) check first: the fit must have the inverse-variance model
# of study contrasts (check_supports()), and their study-level argument
# `arg` (the quosure `quo`) must give one value per study, returned named by
# study (study_values()).
refit_study_values <- function(fit, verb, quo, data, arg, env, call = rlang::caller_env()) {
  check_supports(fit, verb, call = call)
  study_values(fit, quo, data, arg, env = env, call = call)
}

# The data a fit was made from, re-evaluated as update() does; NULL when it
# cannot be found.
fit_source_data <- function(fit, env) {
  expr <- fit$call$data
  if (is.null(expr)) return(NULL)
  d <- tryCatch(suppressMessages(suppressWarnings(eval(expr, env))),
                error = function(e) NULL)
  if (inherits(d, "nma_network")) d <- NULL
  if (is.data.frame(d)) d else NULL
}

# One value per study of the fit, named by study, from a column of `data`
# (one value per study, constant within study) or a vector named by study.
study_values <- function(fit, quo, data, arg, env, call = rlang::caller_env()) {
  if (rlang::quo_is_missing(quo)) {
    abort_fastnma("{.arg {arg}} must be given: a column of the data or a vector named by study.",
                  "missing_argument", call = call)
  }
  expr <- rlang::quo_get_expr(quo)
  studies <- fit$studies
  is_name <- is.symbol(expr) || (is.character(expr) && length(expr) == 1L)
  if (is_name && is.null(data)) data <- fit_source_data(fit, env)
  if (is_name && is.data.frame(data) && as.character(expr) %in% names(data)) {
    col <- as.character(expr)
    scol <- fit$network$columns$study %||% "study"
    if (!scol %in% names(data)) {
      abort_fastnma(c(
        "{.arg data} must hold the study column {.field {scol}} of the fit.",
        "x" = "Its columns are {.field {names(data)}}."
      ), "column", call = call)
    }
    s <- as.character(data[[scol]])
    v <- data[[col]]
    first <- match(studies, s)
    absent <- studies[is.na(first)]
    if (length(absent)) {
      abort_fastnma(c(
        "Column {.field {col}} must give a value for every study of the fit.",
        "x" = "{cli::qty(length(absent))}Stud{?y/ies} {.val {utils::head(absent, 10)}} {?is/are} not in {.arg data}."
      ), "study_values", call = call, study = absent, column = col)
    }
    rows <- s %in% studies
    own <- v[first][match(s[rows], studies)]
    differs <- !(v[rows] == own) | xor(is.na(v[rows]), is.na(own))
    differs[is.na(differs)] <- FALSE
    if (any(differs)) {
      bad <- unique(s[rows][differs])
      abort_fastnma(c(
        "Column {.field {col}} must hold one value per study.",
        "x" = "It differs between the rows of {cli::qty(length(bad))}stud{?y/ies} {.val {utils::head(bad, 10)}}."
      ), "study_values", call = call, study = bad, column = col)
    }
    out <- v[first]
    what <- paste0("Column {.field ", col, "}")
  } else {
    v <- abort_fastnma_on_error(rlang::eval_tidy(quo, data), c(
      "{.arg {arg}} must be a column of the data or a vector named by study.",
      "x" = "{.code {rlang::as_label(quo)}} is neither: {reason}",
      "i" = "Give the data with {.arg data}, or a vector named by study."
    ), "column", call = call)
    nms <- names(v)
    if (!is.atomic(v) || is.null(nms) || is.null(v)) {
      abort_fastnma(c(
        "{.arg {arg}} must be a column of the data or a vector named by study.",
        "x" = "It is {.obj_type_friendly {v}} without study names."
      ), "study_values", call = call)
    }
    unknown <- setdiff(nms, studies)
    absent <- setdiff(studies, nms)
    dup <- unique(nms[duplicated(nms)])
    if (length(unknown) || length(absent) || length(dup)) {
      abort_fastnma(c(
        "{.arg {arg}} must name every study of the fit once.",
        "x" = if (length(absent)) "Not named: {.val {utils::head(absent, 10)}}.",
        "x" = if (length(unknown)) "Not studies of the fit: {.val {utils::head(unknown, 10)}}.",
        "x" = if (length(dup)) "Named twice: {.val {utils::head(dup, 10)}}."
      ), "study_values", call = call, study = c(absent, unknown, dup))
    }
    out <- v[match(studies, nms)]
    what <- paste0("{.arg ", arg, "}")
  }
  if (anyNA(out)) {
    bad <- studies[is.na(out)]
    abort_fastnma(c(
      paste(what, "must not be missing for a study."),
      "x" = "Missing for {cli::qty(length(bad))}stud{?y/ies} {.val {utils::head(bad, 10)}}.",
      "i" = "Give every study a value; no study is left out silently."
    ), "study_values", call = call, study = bad)
  }
  names(out) <- studies
  out
}

# The fit of a subset of the fit's studies, with the fit's settings, from the
# compiled core. A subset whose network falls apart is fitted on the part
# that holds the reference (or the largest part while the reference has no
# study); everything else is recorded, not dropped.
subset_fit <- function(fit, studies) {
  net <- fit$network
  sub <- subset_network(net, net$data$study %in% studies)
  trt <- sub$treatments
  comp <- sub$components
  rank <- treatment_rank(fit, trt)
  connected <- length(unique(comp)) == 1L
  notes <- character()
  if (fit$reference %in% trt) {
    part <- comp[match(fit$reference, trt)]
  } else {
    sizes <- tabulate(comp)
    first <- tapply(rank, comp, min)
    cand <- which(sizes == max(sizes))
    part <- cand[which.min(first[cand])]
    notes <- c(notes, sprintf("reference %s has no study yet", fit$reference))
  }
  in_part <- trt[comp == part]
  ref <- in_part[which.min(rank[comp == part])]
  if (!connected) {
    sub <- subset_network(sub, sub$data$treat1 %in% in_part)
    notes <- c(notes, sprintf("network not connected: %d parts", length(unique(comp))))
  }
  fitted <- sub$studies
  preset <- identical(fit$tau2_method, "preset")
  df <- sub$n_obs - (length(in_part) - 1L)
  hk_off <- fit$ci_method == "hk" && df < 1
  if (hk_off) notes <- c(notes, "Hartung-Knapp intervals not available (df = 0)")
  identifiable <- TRUE
  warnings <- character()
  f <- withCallingHandlers(
    fit_contrasts(sub, reference = ref,
                  tau2_method = if (preset) "REML" else fit$tau2_method,
                  ci_method = if (hk_off) "wald" else fit$ci_method,
                  level = fit$level, control = fit$control %||% nma_control(),
                  call = fit$call, err_call = environment(),
                  small_values = fit$small_values %||% "desirable",
                  tau2 = if (preset) fit$tau2 else NULL),
    fastnma_message_tau2_not_identifiable = function(m) {
      identifiable <<- FALSE
      tryInvokeRestart("muffleMessage")
    },
    fastnma_warning_convergence = function(w) {
      warnings <<- c(warnings, "tau^2 did not converge")
      tryInvokeRestart("muffleWarning")
    })
  if (hk_off) {
    f$ci_method <- "hk"
    f$hk_scale <- NA_real_
  }
  list(fit = f, studies = studies, fitted = fitted,
       set_aside = setdiff(studies, fitted), treatments_present = trt,
       treatments_fitted = in_part, connected = connected,
       identifiable = identifiable, hk_off = hk_off, notes = notes, warnings = warnings)
}

# The network of the contrasts `rows` (whole studies) of a validated
# network: the rows were checked when `net` was built, so only the structure
# (codes, designs, connected parts) is rebuilt, by the compiled core.
subset_network <- function(net, rows) {
  d <- net$data
  study <- d$study[rows]
  t1 <- d$treat1[rows]
  t2 <- d$treat2[rows]
  y <- d$estimate[rows]
  se <- d$std.error[rows]
  studies <- unique(study)
  treatments <- net$treatments[net$treatments %in% c(t1, t2)]
  codes <- list(study = match(study, studies), treat1 = match(t1, treatments),
                treat2 = match(t2, treatments))
  res <- network_build_cpp(list(studies = studies, treatments = treatments, codes = codes,
                                data = list(estimate = y, std.error = se),
                                tol_multiarm = net$tol_multiarm))
  if (res$status != 0L) {
    abort_core_status(res, studies, treatments, net$columns,
                      list(treat1 = t1, treat2 = t2))
  }
  structure(list(
    studies = studies, treatments = treatments,
    data = structure(list(study = study, treat1 = t1, treat2 = t2, estimate = y,
                          std.error = se),
                     class = "data.frame", row.names = c(NA, -length(study))),
    codes = codes, design = res$design, design_arms = res$design_arms,
    n_arms = res$n_arms, n_obs = res$n_obs, components = res$components,
    measure = net$measure, zero_cells = NULL, columns = net$columns,
    tol_multiarm = net$tol_multiarm, handle = res$handle
  ), class = "nma_network")
}

# Comparison rows `treat1` vs `treat2` (labels, in the orientation given)
# from the fit of a part (subset_fit()), NA where the part cannot estimate
# them, with their `status`.
part_rows <- function(part, model, treat1, treat2, level, exponentiate = FALSE) {
  f <- part$fit
  i <- match(treat1, f$treatments)
  j <- match(treat2, f$treatments)
  ok <- !is.na(i) & !is.na(j)
  present <- part$treatments_present
  status <- ifelse(ok, "estimated",
                   ifelse(treat1 %in% present & treat2 %in% present, "disconnected",
                          "not in network"))
  cols <- c("estimate", "std.error", "conf.low", "conf.high", "statistic", "p.value",
            if (model == "random") c("pred.low", "pred.high"))
  out <- data.frame(treat1 = treat1, treat2 = treat2, stringsAsFactors = FALSE)
  for (cl in cols) out[[cl]] <- rep(NA_real_, length(treat1))
  # Hartung-Knapp intervals of a part whose Q has no degrees of freedom do
  # not exist: the estimate is kept, its interval and test are NA
  hk_off <- model == "random" && isTRUE(part$hk_off)
  if (hk_off) f$ci_method <- "wald"
  if (any(ok)) {
    r <- comparison_rows(f, model, i[ok], j[ok], level, FALSE)
    for (cl in cols) out[[cl]][ok] <- r[[cl]]
  }
  if (hk_off) {
    for (cl in c("std.error", "conf.low", "conf.high", "statistic", "p.value")) {
      out[[cl]] <- rep(NA_real_, length(treat1))
    }
  }
  for (cl in cols) out[[cl]][is.nan(out[[cl]])] <- NA_real_
  if (exponentiate) out <- exponentiate_columns(out)
  out$status <- status
  out
}

# The canonical comparisons of a frame (a list with `treatments` and
# `reference`) as labels.
frame_pairs <- function(frame, comparisons) {
  ij <- canonical_pairs(frame, comparisons)
  list(treat1 = frame$treatments[ij$i], treat2 = frame$treatments[ij$j])
}

#' @rdname cumulative_nma
#' @param digits Decimals printed (default 3).
#' @param blocks The print shows the comparisons in blocks of columns that
#'   fit the console, each starting with step, order, k and tau^2; at most
#'   `blocks` of them (default 3; `Inf` for all). The columns left out are
#'   counted; `tidy()` has them all.
#' @export
print.nma_cumulative <- function(x, digits = 3, exponentiate = NULL, blocks = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  s <- x$steps
  cat_wrapped(cli::style_bold("Cumulative network meta-analysis"), " (",
                scale_header(x$measure, exponentiate), ") by ", x$order_name)
  cat_wrapped(sprintf("%d steps, %d studies, %d treatments; reference: %s; tau^2 %s",
                        nrow(s), x$k, length(x$treatments), x$reference, x$tau2_method))
  wide <- side_by_side(tidy(x, exponentiate = exponentiate), "step", "term", digits,
                       ci = FALSE)
  shown <- data.frame(step = s$step, order = format(s$order_value), k = s$k,
                      tau2 = format_num(s$tau2, 4), stringsAsFactors = FALSE)
  shown <- cbind(shown, wide[match(s$step, wide$step), -1L, drop = FALSE])
  cat_wrapped(cli::style_bold("Random-effects estimates against the reference by step"),
                " (-: not estimable yet)")
  # step, order value, k and tau^2 start every block of comparisons
  print_columns(shown, key = c("step", "order", "k", "tau2"), max_blocks = blocks,
                more = paste("... %d more comparison(s) not shown: print(x, blocks = Inf)",
                             "shows them all, tidy(x) has them with their intervals"))
  incomplete <- sum(s$note != "")
  if (incomplete) {
    cli::cat_line(sprintf("%d step%s with notes (see tidy(x, type = \"steps\")).",
                          incomplete, if (incomplete == 1) "" else "s"))
  }
  invisible(x)
}

#' @rdname cumulative_nma
#' @param x An object of class `nma_cumulative`.
#' @param type `"estimates"` (default): one row per step and comparison;
#'   `"steps"`: one row per step (the table `x$steps`).
#' @param model `"random"` (default) or `"common"`.
#' @param comparisons `"reference"` (default) or `"all"`, as in [tidy.nma()].
#' @param conf.int Logical; include `conf.low, conf.high`.
#' @param conf.level Confidence level; defaults to the level of the fit.
#' @param exponentiate Logical; ratio measures on the ratio scale (default
#'   `FALSE`); an error for difference measures.
#' @return `tidy()`: a tibble with `step`, `order_value`, `studies_added`,
#'   `k` (studies so far), then the columns of `tidy(<nma>)` (`term,
#'   treat1, treat2, model, estimate, std.error, conf.low, conf.high,
#'   statistic, p.value`, `pred.low, pred.high` for the random model) and
#'   `status` (`"estimated"`, `"not in network"`, `"disconnected"`); every
#'   comparison of the full fit appears at every step, in the canonical
#'   orientation of the full fit. `glance()`: one row: `n_steps`, `k`,
#'   `n_treatments`, `first_complete_step` (first step at which every
#'   comparison with the reference is estimable), `n_incomplete_steps` and
#'   `tau2_method`.
#' @method tidy nma_cumulative
#' @export
tidy.nma_cumulative <- tidy_parts

#' @rdname cumulative_nma
#' @method glance nma_cumulative
#' @export
glance.nma_cumulative <- function(x, ...) {
  netmeta_guard()
  s <- x$steps
  complete <- s$n_treatments == length(x$treatments)
  as_glance(data.frame(
    n_steps = nrow(s), k = x$k, n_treatments = length(x$treatments),
    first_complete_step = if (any(complete)) s$step[which(complete)[1L]] else NA_integer_,
    n_incomplete_steps = sum(!complete), tau2_method = x$tau2_method,
    stringsAsFactors = FALSE))
}

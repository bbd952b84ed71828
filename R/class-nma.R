#' Tidy and glance methods for network meta-analyses
#'
#' `tidy()` returns one row per comparison: by default every treatment
#' against the reference, or every pair of treatments with
#' `comparisons = "all"`, in the canonical orientation (see the section
#' "Orientation" of [nma()]). `glance()` returns one row of model statistics.
#'
#' @param x An object of class `nma`.
#' @param model `"random"` (default) or `"common"`.
#' @param comparisons `"reference"` (default) or `"all"`.
#' @param conf.int Logical; include the confidence limits `conf.low`,
#'   `conf.high` (default `TRUE`).
#' @param conf.level Confidence level; defaults to the level of the fit.
#' @param exponentiate Logical; report ratio measures (OR, RR, ...) on the
#'   ratio scale instead of the log scale (default `FALSE`). Standard errors
#'   and statistics stay on the log scale. `TRUE` for a difference measure
#'   (MD, SMD, RD, generic) is an error of class
#'   `fastnma_error_exponentiate`.
#' @param ... Unused.
#' @return A tibble. `tidy()`: `term` (`"treat1 vs treat2"`), `treat1,
#'   treat2` (effect of `treat1` relative to `treat2`), `model`, `estimate,
#'   std.error, conf.low, conf.high, statistic, p.value`, plus `pred.low,
#'   pred.high` for the random-effects model (prediction intervals use the t
#'   distribution with the degrees of freedom of Q and are `NA` when the
#'   network has none, e.g. a tree of single studies). `glance()`: `k`
#'   studies, `m` pairwise comparisons, `n_treatments`, `n_designs`, `tau2`,
#'   `tau`, `I2` with its interval `I2_lower, I2_upper`, `Q`, `df`,
#'   `p.value`, `Q_within`, `df_within`, `p_value_within`, `Q_between`,
#'   `df_between`, `p_value_between`, `tau2_method`, `logLik`, `nobs`. Every
#'   column is described in [fastnma_glossary()].
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' tidy(fit, model = "common")
#' tidy(fit, comparisons = "all", conf.int = FALSE)
#' glance(fit)
#' @name nma-tidiers
NULL

#' @rdname nma-tidiers
#' @method tidy nma
#' @export
tidy.nma <- function(x, model = c("random", "common"),
                     comparisons = c("reference", "all"), conf.int = TRUE,
                     conf.level = x$level, exponentiate = FALSE, ...) {
  netmeta_guard()
  model <- check_arg_choice(model)
  comparisons <- check_arg_choice(comparisons)
  check_level(conf.level)
  check_conf_int(conf.int)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  as_tidy(nma_comparisons(x, model, comparisons, conf.level, exponentiate),
          conf.int = conf.int, model = model)
}

#' @rdname nma-tidiers
#' @method glance nma
#' @export
glance.nma <- function(x, ...) {
  netmeta_guard()
  as_glance(data.frame(
    k = x$k, m = x$m, n_treatments = x$n, n_designs = x$n_designs,
    tau2 = x$tau2, tau = sqrt(x$tau2),
    I2 = x$I2, I2_lower = x$I2_lower, I2_upper = x$I2_upper,
    Q = x$Q, df = x$df, p.value = q_pvalue(x$Q, x$df),
    Q_within = x$Q_within, df_within = x$df_within,
    p_value_within = q_pvalue(x$Q_within, x$df_within),
    Q_between = x$Q_between, df_between = x$df_between,
    p_value_between = q_pvalue(x$Q_between, x$df_between),
    tau2_method = x$tau2_method,
    logLik = if (x$tau2_method %in% c("REML", "ML")) x$loglik[[x$tau2_method]] else NA_real_,
    nobs = x$m, stringsAsFactors = FALSE
  ))
}

# The p-value of Q on df degrees of freedom: NA without degrees of freedom
# (none, or not defined for the method).
q_pvalue <- function(Q, df) {
  if (isTRUE(df > 0)) stats::pchisq(Q, df, lower.tail = FALSE) else NA_real_
}

is_ratio <- function(measure) measure %in% c("RR", "OR", "HR", "IRR", "ROM")

# The one code path from a fit to comparison rows: tidy(), print(),
# league tables and figures all use it.
nma_comparisons <- function(x, model = "random", comparisons = "reference",
                            level = x$level, exponentiate = FALSE) {
  ij <- canonical_pairs(x, comparisons)
  comparison_rows(x, model, ij$i, ij$j, level, exponentiate)
}

# Rows for treatment index pairs (i, j): effect of trt[i] vs trt[j].
comparison_rows <- function(x, model, i, j, level = x$level,
                            exponentiate = FALSE) {
  fit <- x[[model]]
  trt <- x$treatments
  C <- fit$cov
  est <- unname(fit$theta[i] - fit$theta[j])
  v <- C[cbind(i, i)] + C[cbind(j, j)] - 2 * C[cbind(i, j)]
  v[v < 0] <- 0
  hk <- model == "random" && x$ci_method == "hk"
  if (hk) v <- v * x$hk_scale
  se <- sqrt(v)
  if (hk) {
    q <- stats::qt(1 - (1 - level) / 2, x$df)
    p <- 2 * stats::pt(-abs(est / se), x$df)
  } else {
    q <- stats::qnorm(1 - (1 - level) / 2)
    p <- 2 * stats::pnorm(-abs(est / se))
  }
  out <- list(
    treat1 = unname(trt[i]), treat2 = unname(trt[j]), estimate = est, std.error = se,
    conf.low = est - q * se, conf.high = est + q * se,
    statistic = est / se, p.value = p
  )
  if (model == "random") {
    se_pred <- sqrt(se^2 + x$tau2)
    qp <- if (x$df >= 1) stats::qt(1 - (1 - level) / 2, x$df) else NA_real_
    out$pred.low <- est - qp * se_pred
    out$pred.high <- est + qp * se_pred
  }
  # the columns as a data frame without data.frame()'s checks (this runs
  # once per verb call on every pair of treatments)
  out <- structure(out, class = "data.frame", row.names = .set_row_names(length(est)))
  if (exponentiate) out <- exponentiate_columns(out)
  out
}

#' Print a network meta-analysis
#'
#' Shows the effects of every treatment against the reference under the
#' common-effect and the random-effects model, and the heterogeneity
#' statistics. Ratio measures (OR, RR, HR, IRR, ROM) are analysed on the log
#' scale and shown on the ratio scale by default: estimates and confidence
#' limits are exponentiated, while \eqn{\tau^2} and \eqn{\tau} stay on the
#' log scale (the print says so). `exponentiate = FALSE` shows the log
#' scale.
#'
#' @param x An object of class `nma`.
#' @param digits Number of decimals of the estimates.
#' @param exponentiate `NULL` (default): the ratio scale for ratio measures,
#'   the analysis scale otherwise; `TRUE`: the ratio scale (an error of
#'   class `fastnma_error_exponentiate` for a difference measure such as MD,
#'   SMD or RD); `FALSE`: the analysis (log) scale.
#' @param ... Must be empty: unknown arguments are an error of class
#'   `fastnma_error_dots`.
#' @return `x`, invisibly.
#' @examples
#' fit <- nma(arm_contrasts(dong2013, study, treatment, n = n, events = events,
#'                          measure = "OR"), reference = "Placebo")
#' print(fit)                       # odds ratios
#' print(fit, exponentiate = FALSE) # log odds ratios
#' @export
print.nma <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  cat_title("Network meta-analysis", x$measure, exponentiate)
  cli::cat_line(sprintf("%d studies, %d pairwise comparisons, %d treatments, %d designs",
                        x$k, x$m, x$n, x$n_designs))
  multi <- sum(x$n_arms > 2L)
  if (multi > 0) cli::cat_line(sprintf("%d multi-arm stud%s", multi, if (multi == 1) "y" else "ies"))
  cli::cat_line(sprintf("Reference: %s", x$reference))
  cli::cat_line()
  for (model in c("common", "random")) {
    rows <- nma_comparisons(x, model, "reference", exponentiate = exponentiate)
    lab <- if (model == "common") "Common-effect model" else
      sprintf("Random-effects model (tau^2 %s%s)", x$tau2_method,
              if (x$ci_method == "hk") ", Hartung-Knapp" else "")
    cli::cat_line(cli::style_bold(lab))
    print_comparison_rows(rows, digits, x$level, measure_abbrev(x$measure, exponentiate))
    cli::cat_line()
  }
  cli::cat_line(sprintf("tau^2 = %s, tau = %s; I^2 = %s",
                        format_num(x$tau2, 4), format_num(sqrt(x$tau2), 4),
                        format_i2(x$I2, x$I2_lower, x$I2_upper)))
  cli::cat_line(sprintf("Q = %s, df = %d, %s", format_num(x$Q, 2), x$df,
                        format_pvalue(q_pvalue(x$Q, x$df), header = TRUE)))
  cli::cat_line(sprintf("  within designs:  Q = %s, df = %d", format_num(x$Q_within, 2),
                        x$df_within))
  cli::cat_line(sprintf("  between designs: Q = %s, df = %d, %s", format_num(x$Q_between, 2),
                        x$df_between,
                        format_pvalue(q_pvalue(x$Q_between, x$df_between), header = TRUE)))
  note <- log_scale_note(x$measure, "tau^2 and tau are")
  if (!is.null(note)) cli::cat_line(note)
  invisible(x)
}

# Comparison rows (from nma_comparisons()) as printed by print() methods;
# `effect` names the estimate column ("OR", "log OR", "MD").
print_comparison_rows <- function(rows, digits, level, effect = "estimate") {
  shown <- data.frame(
    comparison = comparison_label(rows$treat1, rows$treat2),
    estimate = format_num(rows$estimate, digits),
    ci = format_ci(rows$conf.low, rows$conf.high, digits),
    p.value = format_pvalue(rows$p.value),
    stringsAsFactors = FALSE
  )
  names(shown)[2:3] <- c(effect, sprintf("%g%%-CI", 100 * level))
  print_columns(shown, left = "comparison")
}

#' Summarise a network meta-analysis
#'
#' @param object An object of class `nma`.
#' @param exponentiate Scale of the effects, as in [print.nma()]: `NULL`
#'   (default) the ratio scale for ratio measures, `FALSE` the log scale.
#' @param ... Must be empty.
#' @return An object of class `summary.nma`: the fit's comparisons with the
#'   reference under both models, the all-pairs table (effects on the scale
#'   chosen, element `exponentiate`), model statistics and the zero-cell
#'   audit where there is one.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' summary(fit)
#' @export
summary.nma <- function(object, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  fit_summary(object, exponentiate, design_table(object))
}

# The summary of a fit: the comparisons with the reference under each model
# the fit holds, all pairs under the random-effects model (or the one model
# of a Mantel-Haenszel fit), glance(), the `designs` table, the zero-cell
# audit and what else `...` adds.
fit_summary <- function(object, exponentiate, designs, ..., call = rlang::caller_env()) {
  exponentiate <- resolve_exponentiate(exponentiate, object$measure, call = call)
  random <- "random" %in% capabilities_of(object)$models
  structure(list(
    fit = object,
    common = nma_comparisons(object, "common", "reference", exponentiate = exponentiate),
    random = if (random) nma_comparisons(object, "random", "reference", exponentiate = exponentiate),
    all = nma_comparisons(object, if (random) "random" else "common", "all",
                          exponentiate = exponentiate),
    glance = glance(object),
    designs = designs,
    zero_cells = object$zero_cells,
    exponentiate = exponentiate,
    ...
  ), class = "summary.nma")
}

#' @rdname summary.nma
#' @param x An object of class `summary.nma`.
#' @param digits Number of decimals of the estimates.
#' @export
print.summary.nma <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  print(x$fit, digits = digits, exponentiate = x$exponentiate)
  cli::cat_line()
  cli::cat_line(cli::style_bold("Designs"))
  d <- x$designs
  shown <- data.frame(design = d$design, studies = d$studies, stringsAsFactors = FALSE)
  # Q within a design: zero (to the digits shown) when its studies agree
  if (!is.null(d$Q)) shown$Q <- format_num(d$Q, 2)
  if (!is.null(d$df)) shown$df <- d$df
  print_columns(shown, left = "design")
  if (!is.null(x$zero_cells) && nrow(x$zero_cells) > 0) {
    cli::cat_line()
    cli::cat_line(cli::style_bold("Zero-cell audit"))
    print_zero_cells(x$zero_cells)
  }
  invisible(x)
}

# The zero-cell audit, one entry per study and action, the reason wrapped
# to the console width.
print_zero_cells <- function(z) {
  z <- as.data.frame(z, stringsAsFactors = FALSE)
  inc <- if (is.null(z$increment)) rep(NA_real_, nrow(z)) else z$increment
  what <- paste0(z$study, ": ", z$action,
                 ifelse(is.na(inc), "", paste0(" (increment ", format(inc, trim = TRUE), ")")))
  width <- getOption("width", 80L)
  for (i in seq_len(nrow(z))) {
    cli::cat_line(strwrap(paste0(what[i], " - ", z$reason[i]), width = width, exdent = 4L))
  }
}

# Designs with their number of studies and within-design Q.
design_table <- function(x) {
  lab <- vapply(x$design_arms, function(a) paste(x$treatments[a], collapse = ":"),
                character(1))
  data.frame(design = lab,
             studies = tabulate(x$design, nbins = length(lab)),
             Q = x$Q_design, df = x$df_design,
             stringsAsFactors = FALSE)
}

#' Extract estimates from a network meta-analysis
#'
#' `coef()` gives the effects of every treatment against the reference,
#' `vcov()` their covariance, `confint()` their confidence intervals.
#'
#' @param object An object of class `nma`.
#' @param model `"random"` (default) or `"common"`.
#' @param parm Treatments to return (default all but the reference).
#' @param level Confidence level.
#' @param ... Unused.
#' @return A named vector, a matrix, or a two-column matrix.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' coef(fit)
#' vcov(fit, model = "common")
#' confint(fit)
#' @name nma-extractors
NULL

#' @rdname nma-extractors
#' @export
coef.nma <- function(object, model = c("random", "common"), ...) {
  netmeta_guard()
  model <- fit_model(object, if (missing(model)) NULL else model)
  keep <- object$treatments != object$reference
  object[[model]]$theta[keep]
}

#' @rdname nma-extractors
#' @export
vcov.nma <- function(object, model = c("random", "common"), ...) {
  netmeta_guard()
  model <- fit_model(object, if (missing(model)) NULL else model)
  keep <- object$treatments != object$reference
  v <- object[[model]]$cov[keep, keep, drop = FALSE]
  if (model == "random" && object$ci_method == "hk") v <- v * object$hk_scale
  v
}

#' @rdname nma-extractors
#' @export
confint.nma <- function(object, parm, level = object$level,
                        model = c("random", "common"), ...) {
  netmeta_guard()
  model <- fit_model(object, if (missing(model)) NULL else model)
  rows <- nma_comparisons(object, model, "reference", level)
  out <- cbind(rows$conf.low, rows$conf.high)
  dimnames(out) <- list(rows$treat1, paste0(format(100 * c((1 - level) / 2, 1 - (1 - level) / 2)), " %"))
  if (!missing(parm)) out <- out[parm, , drop = FALSE]
  out
}

#' @export
as.data.frame.nma <- function(x, row.names = NULL, optional = FALSE,
                              model = NULL, ..., format = c("fastnma", "netmeta")) {
  netmeta_guard()
  format <- check_arg_choice(format)
  # "netmeta": the fitted contrasts in the columns of netmeta's pairwise()
  if (identical(format, "netmeta")) return(nma_as_netmeta(x))
  nma_comparisons(x, fit_model(x, model), "all")
}

#' @export
nobs.nma <- function(object, ...) {
  netmeta_guard()
  object$m
}

#' @export
logLik.nma <- function(object, ...) {
  netmeta_guard()
  if (!object$tau2_method %in% c("REML", "ML")) {
    abort_fastnma("The log-likelihood is defined for {.val REML} and {.val ML} fits only.",
                  "method")
  }
  structure(object$loglik[[object$tau2_method]], df = object$n,
            nobs = object$n_obs, class = "logLik")
}

#' Absolute effects from a network meta-analysis of a binary outcome
#'
#' Turns relative effects against the reference into absolute risks, as in a
#' GRADE summary-of-findings table: given the risk of the outcome on the
#' reference treatment (the baseline risk, assumed known), the risk on each
#' treatment and the risk difference per `per` patients (e.g. per 1,000),
#' with confidence intervals obtained by transforming the interval of the
#' relative effect.
#'
#' For a risk ratio \eqn{RR} the risk is \eqn{p_0 RR} (capped at 1), for an
#' odds ratio \eqn{OR} it is \eqn{p_0 OR / (1 - p_0 + p_0 OR)}, for a risk
#' difference \eqn{RD} it is \eqn{p_0 + RD} (kept within 0 and 1).
#'
#' @param fit An `nma` fit of a binary outcome (measure `"RR"`, `"OR"` or
#'   `"RD"`), e.g. from [nma_binary()].
#' @param baseline_risk One or more risks on the reference treatment, in
#'   (0, 1). A named vector labels the scenarios (e.g.
#'   `c(low = 0.01, high = 0.05)`).
#' @param per Patients per which differences are expressed (default 1000).
#' @param model `"common"` or `"random"`; defaults to the random-effects model,
#'   or the common-effect model for Mantel-Haenszel fits.
#' @param level Confidence level.
#' @return A data frame, one row per treatment (other than the reference)
#'   and baseline risk, of class `nma_absolute`: `treatment, reference,
#'   scenario, baseline_risk, relative, relative_lower, relative_upper`
#'   (ratio scale for RR and OR), `risk, risk_lower, risk_upper, difference,
#'   difference_lower, difference_upper` (per `per` patients) and `per`.
#'   `tidy()` adds the relative effect of `treatment` (`treat1`) against the
#'   reference (`treat2`) as `term, estimate, std.error, conf.low,
#'   conf.high, statistic, p.value` (analysis scale unless
#'   `exponentiate = TRUE`).
#' @references
#' Guyatt GH, Oxman AD, Santesso N, et al. (2013). GRADE guidelines: 12.
#' Preparing summary of findings tables - binary outcomes. *Journal of
#' Clinical Epidemiology* 66(2):158-172. \doi{10.1016/j.jclinepi.2012.01.012}
#' @examples
#' fit <- nma_binary(dong2013, measure = "RR", reference = "Placebo")
#' absolute_effects(fit, baseline_risk = c(low = 0.01, high = 0.04))
#' @export
absolute_effects <- function(fit, baseline_risk, per = 1000, model = NULL,
                             level = fit$level, ...) {
  netmeta_guard(dots_empty = TRUE)
  if (inherits(fit, "nma_collection")) abort_collection(fit)
  if (!inherits(fit, "nma")) {
    abort_fastnma("{.arg fit} must be an {.cls nma} fit, not {.obj_type_friendly {fit}}.", "not_fit")
  }
  if (!fit$measure %in% c("RR", "OR", "RD")) {
    abort_fastnma(c(
      "Absolute effects need a binary outcome (measure RR, OR or RD).",
      "x" = "The fit's measure is {.val {fit$measure}}."
    ), "measure")
  }
  if (!is.numeric(baseline_risk) || length(baseline_risk) < 1L ||
      anyNA(baseline_risk) || any(baseline_risk <= 0 | baseline_risk >= 1)) {
    abort_fastnma(c(
      "{.arg baseline_risk} must hold risks strictly between 0 and 1.",
      "x" = "It is {.val {format(baseline_risk)}}."
    ), "risk")
  }
  if (!is.numeric(per) || length(per) != 1L || !is.finite(per) || per <= 0) {
    abort_fastnma("{.arg per} must be a single positive number.", "per")
  }
  model <- fit_model(fit, model)
  check_level(level)
  rows <- nma_comparisons(fit, model, "reference", level)
  scen <- names(baseline_risk) %||% format(baseline_risk)
  ns <- length(baseline_risk)
  nr <- nrow(rows)
  p0 <- rep(as.double(baseline_risk), each = nr)
  r <- rows[rep(seq_len(nr), ns), , drop = FALSE]
  to_risk <- function(eff) {
    switch(fit$measure,
      RR = pmin(1, p0 * exp(eff)),
      OR = p0 * exp(eff) / (1 - p0 + p0 * exp(eff)),
      RD = pmin(1, pmax(0, p0 + eff)))
  }
  risk <- to_risk(r$estimate)
  lo <- to_risk(r$conf.low)
  hi <- to_risk(r$conf.high)
  ratio <- fit$measure != "RD"
  tr <- if (ratio) exp else identity
  out <- data.frame(
    treatment = r$treat1, reference = fit$reference,
    scenario = rep(scen, each = nr), baseline_risk = p0,
    relative = tr(r$estimate), relative_lower = tr(r$conf.low),
    relative_upper = tr(r$conf.high),
    risk = risk, risk_lower = lo, risk_upper = hi,
    difference = per * (risk - p0), difference_lower = per * (lo - p0),
    difference_upper = per * (hi - p0),
    per = per, stringsAsFactors = FALSE
  )
  rownames(r) <- NULL
  new_fastnma_table(out, "nma_absolute", model = model,
            measure = fit$measure, relative = r)
}

#' @rdname absolute_effects
#' @param x An object of class `nma_absolute`.
#' @param conf.int Logical; include the confidence limits (default `TRUE`).
#' @param exponentiate Logical; relative effects of ratio measures on the
#'   ratio scale (default `FALSE`); an error for the risk difference.
#' @param ... Unused.
#' @method tidy nma_absolute
#' @export
tidy.nma_absolute <- function(x, conf.int = TRUE, exponentiate = FALSE, ...) {
  netmeta_guard()
  check_conf_int(conf.int)
  exponentiate <- resolve_exponentiate(exponentiate, attr(x, "measure"))
  r <- attr(x, "relative")
  if (exponentiate) r <- exponentiate_columns(r)
  df <- strip_attributes(x)
  out <- data.frame(treat1 = r$treat1, treat2 = r$treat2,
                    scenario = df$scenario, baseline_risk = df$baseline_risk,
                    estimate = r$estimate, std.error = r$std.error,
                    conf.low = r$conf.low, conf.high = r$conf.high,
                    statistic = r$statistic, p.value = r$p.value,
                    df[c("risk", "risk_lower", "risk_upper", "difference",
                         "difference_lower", "difference_upper", "per")],
                    stringsAsFactors = FALSE)
  as_tidy(out, conf.int = conf.int, model = attr(x, "model"))
}

#' @export
print.nma_absolute <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  df <- strip_attributes(x)
  measure <- attr(x, "measure")
  per <- df$per[1L]
  cli::cat_line(cli::style_bold("Absolute effects"), " (", attr(x, "model"),
                " effects model; reference: ", df$reference[1L], ")")
  shown <- data.frame(treatment = df$treatment, scenario = df$scenario,
                      baseline = format_num(df$baseline_risk, digits),
                      relative = paste(format_num_aligned(df$relative, digits),
                                       format_ci(df$relative_lower, df$relative_upper, digits)),
                      risk = paste(format_num_aligned(df$risk, digits),
                                   format_ci(df$risk_lower, df$risk_upper, digits)),
                      difference = paste(format_num_aligned(df$difference, 1),
                                         format_ci(df$difference_lower, df$difference_upper, 1)),
                      stringsAsFactors = FALSE)
  names(shown)[4] <- measure
  per_col <- sprintf("per %s", format(per, big.mark = ",", scientific = FALSE))
  names(shown)[6] <- per_col
  # the risk difference per 1,000 is the answer: it stays beside the row label
  shown <- shown[c("treatment", "scenario", per_col, "risk", "baseline", measure)]
  print_columns(shown, left = c("treatment", "scenario"),
                key = c("treatment", "scenario", per_col))
  cat_wrapped(sprintf("baseline: risk with %s; risk: with the treatment; per %s: risk difference per %s patients [CI].",
                        df$reference[1L], format(per, big.mark = ",", scientific = FALSE),
                        format(per, big.mark = ",", scientific = FALSE)))
  invisible(x)
}

# The model to report: the fit's default (random effects unless the fit has
# none), or `model` checked against what the fit holds.
default_model <- function(fit, model, call = rlang::caller_env()) {
  fit_model(fit, model, call = call)
}

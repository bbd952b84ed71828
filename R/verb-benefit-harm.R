#' Benefit and harm side by side
#'
#' Combines a network meta-analysis of an efficacy outcome and one of a harm
#' outcome (e.g. an adverse event) into one tidy table, one row per
#' treatment: the effect of each treatment against a common reference on both
#' outcomes with confidence intervals, and the P-score of each treatment on
#' each outcome (Rücker & Schwarzer 2015), ready for a benefit-harm plot.
#'
#' The P-score of treatment \eqn{i} is the mean over the other treatments
#' \eqn{j} of \eqn{\Phi((\hat\theta_j - \hat\theta_i)/se_{ij})} when small
#' values are desirable, and of \eqn{\Phi((\hat\theta_i -
#' \hat\theta_j)/se_{ij})} when large values are desirable: the mean certainty
#' that \eqn{i} is better than another treatment.
#'
#' @param efficacy,harm `nma` fits (for instance from [nma()] or
#'   [nma_binary()]) on the two outcomes.
#' @param reference The common reference treatment; it must be in both
#'   networks. Defaults to the efficacy fit's reference.
#' @param efficacy_small_values,harm_small_values `"desirable"` or
#'   `"undesirable"`: whether small effects are good on each outcome. The
#'   default `NULL` takes each from its fit (the `small_values` given to
#'   [nma()] or [nma_binary()]); a value here overrides the fit's.
#' @param model `"random"` or `"common"`; defaults to the random-effects
#'   model, or the common-effect model for Mantel-Haenszel fits (chosen per
#'   fit).
#' @param level Confidence level.
#' @return A data frame with one row per treatment in either network:
#'   `treatment, reference, efficacy, efficacy_lower, efficacy_upper,
#'   pscore_efficacy, harm, harm_lower, harm_upper, pscore_harm` (effects on the
#'   analysis scale, i.e. log scale for ratio measures), `NA` where a
#'   treatment is not in a network; attributes `measures` and `models`. Its
#'   class `nma_benefit_harm` (a data frame) has an [autoplot()] method.
#' @references
#' Rücker G, Schwarzer G (2015). Ranking treatments in frequentist network
#' meta-analysis works without resampling methods. *BMC Medical Research
#' Methodology* 15:58. \doi{10.1186/s12874-015-0060-8}
#' @examples
#' # cessation is a benefit: large odds ratios are good
#' eff <- nma_binary(smokingcessation, measure = "OR", method = "IV",
#'                   small_values = "undesirable")
#' harm <- nma_binary(smokingcessation, measure = "OR")  # stands in for a harm
#' benefit_harm(eff, harm)
#' @export
benefit_harm <- function(efficacy, harm, reference = efficacy$reference,
                         efficacy_small_values = NULL,
                         harm_small_values = NULL,
                         model = NULL, level = 0.95, ...) {
  netmeta_guard(dots_empty = TRUE)
  for (a in c("efficacy", "harm")) {
    if (inherits(get(a), "nma_collection")) abort_collection(get(a))
    if (!inherits(get(a), "nma")) {
      abort_fastnma("{.arg {a}} must be an {.cls nma} fit.", "not_fit")
    }
  }
  efficacy_small_values <- check_small_values(
    efficacy_small_values, default = efficacy$small_values %||% "desirable",
    arg = "efficacy_small_values")
  harm_small_values <- check_small_values(
    harm_small_values, default = harm$small_values %||% "desirable",
    arg = "harm_small_values")
  check_level(level)
  if (!is.character(reference) || length(reference) != 1L ||
      !reference %in% efficacy$treatments || !reference %in% harm$treatments) {
    abort_fastnma(c(
      "{.arg reference} must be a treatment of both networks.",
      "x" = "{.val {as.character(reference)[1]}} is not in both.",
      did_you_mean(as.character(reference)[1], intersect(efficacy$treatments, harm$treatments)),
      "i" = "Treatments in both: {.val {intersect(efficacy$treatments, harm$treatments)}}."
    ), "reference")
  }
  m_eff <- default_model(efficacy, model)
  m_harm <- default_model(harm, model)
  trt <- union(efficacy$treatments, harm$treatments)
  trt <- c(reference, sort(setdiff(trt, reference)))
  side <- function(fit, m, small) {
    i <- match(trt, fit$treatments)
    j <- match(reference, fit$treatments)
    ok <- !is.na(i)
    rows <- comparison_rows(fit, m, i[ok], rep(j, sum(ok)), level)
    ps <- pscores(fit, m, small)
    out <- data.frame(estimate = rep(NA_real_, length(trt)), low = NA_real_,
                      high = NA_real_, pscore = NA_real_)
    out$estimate[ok] <- rows$estimate
    out$low[ok] <- rows$conf.low
    out$high[ok] <- rows$conf.high
    out$pscore[ok] <- ps[i[ok]]
    out
  }
  e <- side(efficacy, m_eff, efficacy_small_values)
  h <- side(harm, m_harm, harm_small_values)
  new_fastnma_table(data.frame(
    treatment = trt, reference = reference,
    efficacy = e$estimate, efficacy_lower = e$low, efficacy_upper = e$high,
    pscore_efficacy = e$pscore,
    harm = h$estimate, harm_lower = h$low, harm_upper = h$high,
    pscore_harm = h$pscore, stringsAsFactors = FALSE
  ), "nma_benefit_harm",
  measures = c(efficacy = efficacy$measure, harm = harm$measure),
  models = c(efficacy = m_eff, harm = m_harm))
}

#' @rdname benefit_harm
#' @param x An object of class `nma_benefit_harm`.
#' @param digits Decimals printed (default 3).
#' @param ... Unused.
#' @export
print.nma_benefit_harm <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  ms <- attr(x, "measures")
  md <- attr(x, "models")
  cat_wrapped(cli::style_bold("Benefit and harm"), sprintf(" relative to %s", df$reference[1L]))
  cat_wrapped(sprintf("efficacy: %s (%s effects); harm: %s (%s effects); estimates on the analysis scale [CI]",
                      measure_abbrev(ms[["efficacy"]], FALSE), md[["efficacy"]],
                      measure_abbrev(ms[["harm"]], FALSE), md[["harm"]]))
  cell <- function(e, lo, hi) {
    ifelse(is.na(e), "-", paste(format_num_aligned(e, digits), format_ci(lo, hi, digits)))
  }
  shown <- data.frame(treatment = df$treatment,
                      efficacy = cell(df$efficacy, df$efficacy_lower, df$efficacy_upper),
                      P_eff = format_num(df$pscore_efficacy, 2),
                      harm = cell(df$harm, df$harm_lower, df$harm_upper),
                      P_harm = format_num(df$pscore_harm, 2), stringsAsFactors = FALSE)
  print_columns(shown, left = "treatment")
  cat_wrapped("P_eff, P_harm: P-scores (1 = best: most effective, least harmful). tidy() has the table.")
  invisible(x)
}

#' @rdname benefit_harm
#' @return `tidy()`: the same table as a tibble, one row per treatment.
#' @method tidy nma_benefit_harm
#' @export
tidy.nma_benefit_harm <- function(x, ...) {
  netmeta_guard()
  as_tidy(x)
}

# P-scores of every treatment of a fit, in the order of fit$treatments:
# the closed form of rank_treatments() (one code path for every P-score).
pscores <- function(fit, model, small_values = NULL) {
  r <- rank_treatments(fit, method = "pscore", model = model,
                       small_values = small_values)
  stats::setNames(r$pscore[match(fit$treatments, r$treatment)], fit$treatments)
}

# The rules of the CINeMA software (web application v2.0.0), used by
# confidence(rules = "cinema"). Each function returns list(judgement, reason)
# with one element per comparison, as the rules of R/verb-confidence.R do. The
# rules are stated, with their sources, in the "Rules" section of
# ?confidence.

# The version of the CINeMA software whose rules these are.
cinema_version <- "2.0.0"

# Within-study bias and indirectness. majority: the level with the largest
# contribution, a tie going to the lower level (the first maximum over the
# levels in ascending order); highest: the highest judgement among the
# studies of every direct comparison of the contribution row, studies that
# contribute 0% included (the software lists every study of the network in
# the row: `highest`, the highest judgement of each row's network, 1 to 3);
# average: as the earlier rules.
judge_contributions_cinema <- function(shares, rule, what, highest) {
  share_text <- share_text(shares)
  lev <- switch(rule,
    majority = top_level(shares, shares >= pmax.int(shares[, 1], shares[, 2], shares[, 3]) - 1e-12, FALSE),
    highest = as.integer(highest),
    average = {
      m <- as.vector(shares %*% (1:3))
      pmin(3L, pmax(1L, floor(m + 0.5 + 1e-12)))
    })
  why <- switch(rule,
    majority = sprintf("majority rule (CINeMA %s): %s %s has the largest contribution (a tie goes to the lower level)",
                       cinema_version, what, study_levels[lev]),
    highest = sprintf("highest rule (CINeMA %s): the highest %s among the studies of the contribution row, those contributing 0%% included, is %s",
                      cinema_version, what, study_levels[lev]),
    average = sprintf("average rule (CINeMA %s): weighted mean score %s (1 low, 2 some, 3 high) rounds to %s",
                      cinema_version, formatC(as.vector(shares %*% (1:3)), digits = 2, format = "f"),
                      study_levels[lev]))
  list(judgement = concern_levels[lev], reason = paste0(why, "; ", share_text))
}

# Interval limits as the software compares them: rounded to three decimals
# on the analysis scale, and for ratio measures exponentiated and rounded to
# three decimals again. The clinically important values are rounded to three
# decimals on the reported scale.
cinema_limits <- function(x, ratio) {
  x <- round(x, 3)
  if (ratio) round(exp(x), 3) else x
}

cinema_scale <- function(range, measure) {
  ratio <- is_ratio(measure)
  list(ratio = ratio, null = if (ratio) 1 else 0,
       bounds = if (ratio) round(exp(range), 3) else round(range, 3))
}

# The software's count of the boundaries of the zone (zl, zh) that an
# interval (lo, hi) crosses: 0 when the interval lies beyond the zone or
# inside it, 1 when it contains one boundary, 2 when it contains both; an
# interval limit equal to a boundary counts as reaching it.
cinema_crossings <- function(lo, hi, zl, zh) {
  outside <- hi < zl | lo > zh
  one <- (lo < zl & hi < zh) | (lo > zl & hi > zh)
  inside <- !one & hi < zh
  ifelse(outside | inside, 0L, ifelse(one, 1L, 2L))
}

# The zone of the imprecision and heterogeneity rules: from the null effect
# to the clinically important value on the side opposite the point estimate;
# the whole range of equivalence when the confidence interval lies inside
# it (or the estimate is the null effect).
cinema_zone <- function(estimate, lo, hi, sc) {
  inside <- lo > sc$bounds[1] & hi < sc$bounds[2]
  zl <- ifelse(!inside & estimate > 0, sc$bounds[1], ifelse(!inside & estimate < 0, sc$null, sc$bounds[1]))
  zh <- ifelse(!inside & estimate > 0, sc$null, ifelse(!inside & estimate < 0, sc$bounds[2], sc$bounds[2]))
  list(zl = zl, zh = zh, inside = inside)
}

fmt_interval <- function(lo, hi) sprintf("(%s, %s)", format(lo, nsmall = 3), format(hi, nsmall = 3))

# fmt_interval() of the intervals of each network on its own (format()
# writes a vector's numbers with common digits): `network` the network of
# each interval.
fmt_interval_by <- function(lo, hi, network) {
  if (!length(network) || all(network == network[1L])) return(fmt_interval(lo, hi))
  out <- character(length(lo))
  for (g in split(seq_along(lo), network)) out[g] <- fmt_interval(lo[g], hi[g])
  out
}

judge_imprecision_cinema <- function(out, range, measure, network) {
  sc <- cinema_scale(range, measure)
  lo <- cinema_limits(out$conf.low, sc$ratio)
  hi <- cinema_limits(out$conf.high, sc$ratio)
  zone <- cinema_zone(out$estimate, lo, hi, sc)
  k <- cinema_crossings(lo, hi, zone$zl, zone$zh)
  where <- ifelse(zone$inside, "the confidence interval lies inside the range of equivalence",
                  sprintf("zone %s from the null to the clinically important value opposite the estimate",
                          fmt_interval_by(zone$zl, zone$zh, network)))
  what <- c("the confidence interval does not reach into the zone",
            "the confidence interval crosses one boundary of the zone",
            "the confidence interval crosses both boundaries of the zone")
  list(judgement = concern_levels[k + 1L],
       reason = sprintf("CINeMA %s: %s; %s: CI %s",
                        cinema_version, what[k + 1L], where, fmt_interval_by(lo, hi, network)))
}

judge_heterogeneity_cinema <- function(ran, range, measure, network) {
  sc <- cinema_scale(range, measure)
  lo <- cinema_limits(ran$conf.low, sc$ratio)
  hi <- cinema_limits(ran$conf.high, sc$ratio)
  plo <- cinema_limits(ran$pred.low, sc$ratio)
  phi <- cinema_limits(ran$pred.high, sc$ratio)
  zone <- cinema_zone(ran$estimate, lo, hi, sc)
  k_ci <- ifelse(zone$inside, 0L, cinema_crossings(lo, hi, zone$zl, zone$zh))
  k_pi <- cinema_crossings(plo, phi, zone$zl, zone$zh)
  lev <- pmin(pmax(1L + k_pi - k_ci, 1L), 3L)
  na <- is.na(lev)
  lev[na] <- 2L
  why <- sprintf("CINeMA %s: over the zone %s (%s), the prediction interval %s crosses %d boundar%s, the confidence interval %s %d",
                 cinema_version, fmt_interval_by(zone$zl, zone$zh, network),
                 ifelse(zone$inside, "the range of equivalence, which contains the confidence interval",
                        "from the null to the clinically important value opposite the estimate"),
                 fmt_interval_by(plo, phi, network), k_pi, ifelse(k_pi == 1, "y", "ies"),
                 fmt_interval_by(lo, hi, network), k_ci)
  why[na] <- "prediction interval not available (no degrees of freedom for tau^2): heterogeneity cannot be judged from the data"
  list(judgement = concern_levels[lev], reason = why)
}

# Incoherence: p-values rounded to three decimals before they are compared.
# Mixed evidence: SIDE p >= 0.10 no concerns, otherwise the areas rule of
# the earlier rules. Direct-only or indirect-only evidence: the
# design-by-treatment test, p <= 0.05 major, 0.05 < p <= 0.10 some, above
# no concerns.
judge_incoherence_cinema <- function(ns, dbt, range, z, network = rep(1L, length(ns$evidence))) {
  p_dbt <- round(dbt$p.value, 3)
  glob <- judge_by_design_test(dbt)
  tested <- !(is.na(p_dbt) | dbt$df < 1L)
  lev <- ifelse(p_dbt > 0.10, 1L, ifelse(p_dbt > 0.05, 2L, 3L))
  glob$judgement[tested] <- concern_levels[lev[tested]]
  glob$reason[tested] <- sprintf("design-by-treatment interaction test p = %s (rounded to three decimals; CINeMA %s: <= 0.05 major, <= 0.10 some concerns; Q = %s, df = %d)",
                                 formatC(p_dbt, digits = 3, format = "f"), cinema_version,
                                 format_num(dbt$Q, 2), dbt$df)[tested]
  glob <- lapply(glob, `[`, network)
  incoherence_judgements(ns, glob, range, z, function(p, agree) {
    p <- round(p, 3)
    pv <- formatC(p, digits = 3, format = "f")
    list(level = ifelse(p >= 0.10, 1L, areas_level(agree)),
         reason = ifelse(p >= 0.10,
                         sprintf("SIDE test p = %s >= 0.10 (rounded to three decimals, CINeMA %s)", pv, cinema_version),
                         sprintf("SIDE test p = %s < 0.10 (rounded to three decimals, CINeMA %s); direct and indirect confidence intervals agree in %d of the 3 areas (below, within, above the range of equivalence)",
                                 pv, cinema_version, agree)))
  })
}

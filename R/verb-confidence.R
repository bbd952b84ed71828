#' Confidence in the results of a network meta-analysis (CINeMA)
#'
#' `confidence()` grades every comparison of a network meta-analysis in the
#' six domains of the CINeMA framework (Nikolakopoulou et al. 2020) -
#' within-study bias, reporting bias, indirectness, imprecision,
#' heterogeneity and incoherence - each as `"no concerns"`, `"some
#' concerns"` or `"major concerns"`, and summarises them into a confidence
#' rating (`"high"`, `"moderate"`, `"low"`, `"very low"`). Every judgement
#' keeps the reason that produced it, and any judgement can be overridden
#' with a recorded reason.
#'
#' The judgements are computed from the fit: the study contributions of
#' [contributions()] (shortest-path decomposition, Papakonstantinou et al.
#' 2018; with `rules = "cinema"` of the aggregated hat matrix, as the CINeMA
#' software computes them), the confidence and prediction
#' intervals of [tidy.nma()], node-splitting by back-calculation (SIDE,
#' [node_split()]) and the random-effects design-by-treatment interaction
#' test of [inconsistency()].
#'
#' @section Rules:
#' Sources: Nikolakopoulou et al. (2020), the CINeMA framework; Papakonstantinou
#' et al. (2020), the CINeMA software, whose documentation and change log
#' (frontend version 1.7.0) give the numerical rules that prepopulate its
#' judgements. A range of equivalence \eqn{(\delta_L, \delta_U)} on the
#' analysis scale (log scale for ratio measures) is given by `margin`; its
#' two limits are the "boundaries" below.
#'
#' **Within-study bias and indirectness** (Nikolakopoulou et al. 2020,
#' section "Within-study bias"; CINeMA documentation, "Within-study bias").
#' Each study is judged `"low"`, `"some"` or `"high"` (risk of bias, or
#' indirectness). The percentage contribution of each study to each network
#' estimate weights these judgements; the rule (`rule`) turns them into a
#' level, mapped to no / some / major concerns:
#' * `"majority"`: the level with the largest total contribution (ties go to
#'   the higher level);
#' * `"highest"`: the highest level among the studies that contribute;
#' * `"average"`: the contribution-weighted mean of the scores 1 (low),
#'   2 (some), 3 (high), rounded to the nearest level (halves round up).
#'
#' **Reporting bias** (Nikolakopoulou et al. 2020, "Reporting bias";
#' CINeMA documentation, "Across-studies bias"): a judgement per comparison
#' given by the user ("undetected" = no concerns, "suspected" = some
#' concerns). With `reporting_bias = "egger"` fastnma derives it instead:
#' Egger's regression test (Egger et al. 1997) for every direct comparison
#' with at least `min_studies_egger` studies (10, following Sterne et al.
#' 2011); a network estimate gets "some concerns" when direct comparisons
#' whose test gives p < 0.10 contribute more than half of it. This
#' derivation is fastnma's, not CINeMA's. Without any input (or where no
#' contributing direct comparison is testable) the domain is `"not
#' assessed"`.
#'
#' **Not assessed.** A domain without input (reporting bias, indirectness)
#' is judged `"not assessed"`, its own level, never `"no concerns"`: in
#' `tidy()`, `print()` (`n/a`) and the figure (grey tiles). It does not move
#' the rating, and the rating's reason names the domains it does not cover.
#'
#' **Imprecision** (Nikolakopoulou et al. 2020, "Imprecision" and its
#' figure; CINeMA documentation, "Imprecision"): the number of boundaries of
#' the range of equivalence that lie inside the confidence interval: 0 -
#' no concerns (the interval lies beyond the range, or within it), 1 - some
#' concerns, 2 - major concerns (the interval spans the whole range).
#' (The change log of the CINeMA software, version 1.5.0, describes a later
#' variant in which the zone is bounded by the null effect and the
#' clinically important value farther from the point estimate; these rules
#' use the two limits of the declared range, as the documentation's figure
#' does; `rules = "cinema"` applies the software's zone, see below.)
#'
#' **Heterogeneity** (Nikolakopoulou et al. 2020, "Heterogeneity"; CINeMA
#' documentation, table "Prediction interval crossings"): the boundaries
#' inside the random-effects prediction interval minus those inside the
#' random-effects confidence interval: 0 - no concerns, 1 - some concerns,
#' 2 - major concerns. Where the prediction interval is not available (no
#' degrees of freedom for \eqn{\tau^2}) the domain is "some concerns" and
#' says why.
#'
#' **Incoherence** (Nikolakopoulou et al. 2020, "Incoherence"; CINeMA
#' documentation, "Incoherence", and change log 1.5-1.7):
#' * a comparison with only direct or only indirect evidence is judged by the
#'   p-value of the random-effects design-by-treatment interaction test:
#'   p > 0.10 no concerns, 0.05 <= p <= 0.10 some concerns, p < 0.05 major
#'   concerns; a network without a closed loop (no test; "star networks")
#'   gets major concerns, as in CINeMA;
#' * a comparison with direct and indirect evidence: SIDE p-value > 0.10 -
#'   no concerns; otherwise the direct and indirect confidence intervals are
#'   placed in the three areas below, within and above the range of
#'   equivalence and the areas where they agree (both reach it, or neither)
#'   are counted: 3 - no concerns, 2 - some concerns, 0 or 1 - major
#'   concerns.
#'
#' **Confidence rating** (Nikolakopoulou et al. 2020, "Summarizing
#' judgments across the 6 domains"): start at "high" and go down one level
#' for each domain with some concerns and two levels for each domain with
#' major concerns, to no lower than "very low". The papers leave the final
#' call to the reviewers, who may judge that concerns in related domains
#' (imprecision, heterogeneity, incoherence) should not count twice: use
#' `override` for that, with a reason. The rating is a suggestion under
#' either set of rules: the CINeMA software leaves it to the user.
#'
#' @section The CINeMA software's rules (`rules = "cinema"`):
#' The rules above (`rules = "framework"`, the default) follow the framework
#' paper and the documentation's figures. The CINeMA web application
#' (version 2.0.0, the rules of its PureScript and JavaScript files, fed the
#' numbers of its R backend: netmeta) prepopulates some judgements
#' differently; `rules = "cinema"` reproduces them (Papakonstantinou et al.
#' 2020, the software paper, and the application's change log):
#' * **Contributions**: [contributions()] with `method = "cinema"`, the hat
#'   matrix of the aggregated direct estimates (netmeta's
#'   `netcontrib(hatmatrix.F1000 = TRUE)`; Papakonstantinou et al. 2018),
#'   studies weighted by \eqn{1/(se_{adj}^2 + \tau^2)} within a direct
#'   comparison.
#' * **Within-study bias and indirectness**: majority - a tie goes to the
#'   *lower* level (the first largest share over the levels in ascending
#'   order); highest - the highest judgement among the studies of every
#'   direct comparison of the contribution row, studies that contribute 0%
#'   included (the software lists every study of the network in the row, so
#'   this is the highest judgement of the network); average - as above.
#' * **Numbers as the software compares them**: interval limits rounded to
#'   three decimals on the analysis scale and, for ratio measures,
#'   exponentiated and rounded to three decimals again; the clinically
#'   important values (the limits of `margin`, on the reported scale) and
#'   p-values rounded to three decimals.
#' * **Imprecision** (software paper: "'No concerns' is assigned to
#'   confidence intervals that only include the clinically important value
#'   that favors the same intervention as the point estimate"; change log
#'   1.5.0): the zone runs from the null effect to the clinically important
#'   value on the side *opposite* the point estimate (the whole range of
#'   equivalence when the confidence interval lies inside it). No concerns
#'   when the confidence interval does not reach into the zone (or lies
#'   inside it), some concerns when it crosses one boundary of the zone,
#'   major concerns when it crosses both; a limit equal to a boundary reaches
#'   it.
#' * **Heterogeneity**: the boundaries of the same zone crossed by the
#'   prediction interval and by the confidence interval (the full range of
#'   equivalence, and no crossing for the confidence interval, when the
#'   confidence interval lies inside it); the level is one plus the
#'   prediction interval's crossings minus the confidence interval's: 1 no,
#'   2 some, 3 major concerns.
#' * **Incoherence**: mixed evidence - SIDE p >= 0.10 no concerns, otherwise
#'   the areas rule above; direct-only or indirect-only evidence - the
#'   design-by-treatment test: p <= 0.05 major concerns, 0.05 < p <= 0.10
#'   some concerns, p > 0.10 no concerns.
#' * **Reporting bias**: CINeMA 2.0's labels (`"low risk"`, `"some
#'   concerns"`, `"high risk"`) are accepted beside 1.x's (`"undetected"`,
#'   `"suspected"`), under either set of rules.
#'
#' @section Robustness:
#' With `robustness = TRUE`, two columns answer the question that follows a
#' rating: how much would the evidence have to change before the decision
#' changes, and is one study driving it. They are additions to CINeMA's six
#' domains, not part of them: no domain and not the rating uses them.
#' Both are computed once, on the same fit and the same `model`.
#' * `threshold_se`: the contrast-level threshold analysis of Phillippo et
#'   al. (2018), [threshold()] with `level = "contrast"` (decision: the best
#'   treatment, no minimal clinically important difference). Its data
#'   points are the direct (pairwise pooled) estimates; a comparison's
#'   `threshold_se` is `min_threshold_se` of its own direct estimate, the
#'   smaller absolute threshold (the change of the direct estimate, every
#'   other direct estimate held fixed, at which the best treatment changes)
#'   divided by the standard error of that direct estimate. `NA` where the
#'   comparison has no direct evidence; `Inf` where no change of its direct
#'   estimate changes the decision. Small values (below about 2) mark a
#'   decision that a plausible bias in that comparison's trials could
#'   overturn.
#' * `outlying_studies`: the studies with direct evidence on the comparison
#'   (holding both of its treatments) whose absolute studentized deleted
#'   residual, `stud_residual_deleted` of [outliers()] (Petropoulou et al.
#'   2021; a multi-arm study's value is the mean over its contrasts),
#'   exceeds 2, comma-separated in the order of the fit's studies; `""`
#'   when there is none (or no direct evidence). The forward search
#'   ([forward_search()]) is not run here: it starts from random subsets
#'   and refits the network at every step; run it on the fit to see the
#'   order in which the studies enter.
#'
#' @param fit An object of class `nma` fitted to study-level contrasts (not
#'   a Mantel-Haenszel fit).
#' @param rob Study-level risk-of-bias judgements: a character vector named
#'   by study, or a data frame with columns `study` and `rob`. Values
#'   `"low"`, `"some"`, `"high"` (also accepted: `"moderate"`, `"unclear"`,
#'   `"some concerns"`, `"L"`, `"M"`, `"U"`, `"H"`, `1`, `2`, `3`). Every
#'   study of the fit needs one.
#' @param indirectness Study-level indirectness judgements, in the same form
#'   (a data frame with columns `study` and `indirectness`); `NULL`
#'   (default): not assessed, judged `"not assessed"`.
#' @param reporting_bias `NULL` (default, not assessed), `"egger"`, a
#'   character vector of judgements named by comparison (`"treat1 vs
#'   treat2"`, either order), or a data frame with `treat1`, `treat2` and
#'   `judgement` (and optionally `reason`). Judgements `"no concerns"`,
#'   `"some concerns"`, `"major concerns"`, CINeMA 1.x's `"undetected"`,
#'   `"suspected"` and CINeMA 2.0's `"low risk"`, `"high risk"` (major
#'   concerns).
#' @param margin The range of equivalence on the analysis scale: a positive
#'   number \eqn{\delta} for \eqn{(-\delta, \delta)}, or two numbers
#'   `c(lower, upper)` with `lower <= 0 <= upper`, `lower < upper`.
#' @param rule Rule for within-study bias: `"majority"` (default),
#'   `"highest"` or `"average"`.
#' @param indirectness_rule Rule for indirectness (default: `rule`).
#' @param model `"random"` (default) or `"common"`: the model whose
#'   estimates, contributions and node-splitting are assessed. Heterogeneity
#'   always uses the random-effects intervals.
#' @param comparisons `NULL` (default: every pair of treatments), or the
#'   comparisons to report: labels `"treat1 vs treat2"` (either order) or a
#'   data frame with `treat1` and `treat2`.
#' @param override `NULL` or a data frame with `treat1`, `treat2`, `domain`
#'   (one of the six domains or `"confidence"`), `judgement` and `reason`
#'   (not empty): the judgements that replace the rules' ones. The rules'
#'   judgement is kept in the reason.
#' @param min_studies_egger Minimum number of studies of a direct comparison
#'   for Egger's test (default 10).
#' @param rules `"framework"` (default): the rules of the framework paper and
#'   the documentation, described in the Rules section; `"cinema"`: the rules
#'   of the CINeMA software (web application version 2.0.0), described in
#'   the section "The CINeMA software's rules", with the contributions of
#'   `contributions(method = "cinema")`.
#' @param robustness `FALSE` (default) or `TRUE`: add two robustness columns
#'   to each comparison, described in the section "Robustness". They are
#'   additions to CINeMA's six domains, not part of them, and do not enter
#'   the rating.
#' @param ... Must be empty.
#' @return An object of class `nma_confidence`: a data frame with one row per
#'   comparison in the canonical orientation of [nma()], with `treat1,
#'   treat2`, the network estimate (`estimate, std.error, conf.low,
#'   conf.high, p.value`, `pred.low, pred.high`), the six domains, the
#'   `confidence` rating, one `*_reason` column per domain and for the
#'   rating, and `overridden` (the domains set by `override`); with
#'   `robustness = TRUE` also `threshold_se` and `outlying_studies` (section
#'   "Robustness"). Attributes hold
#'   the contribution-weighted shares of each study-level judgement
#'   (`rob_shares`, `indirectness_shares`), the range of equivalence, the
#'   rules and the design-by-treatment test.
#' @references
#' Nikolakopoulou A, Higgins JPT, Papakonstantinou T, Chaimani A, Del
#' Giovane C, Egger M, Salanti G (2020). CINeMA: an approach for assessing
#' confidence in the results of a network meta-analysis. *PLoS Medicine*
#' 17(4):e1003082. \doi{10.1371/journal.pmed.1003082}
#'
#' Papakonstantinou T, Nikolakopoulou A, Higgins JPT, Egger M, Salanti G
#' (2020). CINeMA: software for semiautomated assessment of the confidence
#' in the results of network meta-analysis. *Campbell Systematic Reviews*
#' 16(1):e1080. \doi{10.1002/cl2.1080}
#'
#' Papakonstantinou T, Nikolakopoulou A, Rücker G, Chaimani A, Schwarzer G,
#' Egger M, Salanti G (2018). Estimating the contribution of studies in
#' network meta-analysis: paths, flows and streams. *F1000Research* 7:610.
#' \doi{10.12688/f1000research.14770.3}
#'
#' Egger M, Davey Smith G, Schneider M, Minder C (1997). Bias in
#' meta-analysis detected by a simple, graphical test. *BMJ*
#' 315(7109):629-634. \doi{10.1136/bmj.315.7109.629}
#'
#' Phillippo DM, Dias S, Ades AE, Didelez V, Welton NJ (2018). Sensitivity of
#' treatment recommendations to bias in network meta-analysis. *Journal of
#' the Royal Statistical Society A* 181(3):843-867.
#' \doi{10.1111/rssa.12341}
#'
#' Petropoulou M, Salanti G, Rücker G, Schwarzer G, Moustaki I, Mavridis D
#' (2021). A forward search algorithm for detecting extreme study effects in
#' network meta-analysis. *Statistics in Medicine* 40(25):5642-5656.
#' \doi{10.1002/sim.9145}
#'
#' Sterne JAC, Sutton AJ, Ioannidis JPA, et al. (2011). Recommendations for
#' examining and interpreting funnel plot asymmetry in meta-analyses of
#' randomised controlled trials. *BMJ* 343:d4002. \doi{10.1136/bmj.d4002}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL",
#'            reference = "plac")
#' # a declared, illustrative risk-of-bias judgement per study
#' rob <- setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
#'                 fit$studies)
#' cf <- confidence(fit, rob = rob, margin = 0.2)
#' cf
#' # the judgements the CINeMA software (v2.0.0) would prepopulate
#' confidence(fit, rob = rob, margin = 0.2, rules = "cinema")
#' head(tidy(cf))
#' # how far from changing the decision, and which studies are outlying
#' confidence(fit, rob = rob, margin = 0.2, robustness = TRUE)
#' autoplot(cf)
#' autoplot(cf, type = "rob")
#' @export
confidence <- function(fit, rob, indirectness = NULL, reporting_bias = NULL,
                       margin, rule = c("majority", "highest", "average"),
                       indirectness_rule = rule, model = c("random", "common"),
                       comparisons = NULL, override = NULL,
                       min_studies_egger = 10, rules = c("framework", "cinema"),
                       robustness = FALSE, ...) {
  netmeta_guard()
  check_dots_empty(...)
  check_supports(fit, "confidence")
  if (missing(rob)) {
    abort_fastnma(c("{.arg rob} is required: one risk-of-bias judgement per study.",
                    "i" = "For example {.code setNames(c(\"low\", \"high\"), c(\"study1\", \"study2\"))}."),
                  "missing_argument")
  }
  if (missing(margin)) {
    abort_fastnma(c("{.arg margin} is required: the range of equivalence on the analysis scale.",
                    "i" = "A positive number {.code d} for (-d, d), or {.code c(lower, upper)}."),
                  "missing_argument")
  }
  rule <- check_arg_choice(rule)
  indirectness_rule <- check_choice(indirectness_rule, c("majority", "highest", "average"),
                                    "indirectness_rule")
  model <- check_arg_choice(model)
  rules <- check_arg_choice(rules)
  if (!is_whole(min_studies_egger) || min_studies_egger < 3) {
    abort_fastnma("{.arg min_studies_egger} must be a whole number of at least 3.", "choice")
  }
  if (!is.logical(robustness) || length(robustness) != 1L || is.na(robustness)) {
    abort_fastnma("{.arg robustness} must be {.code TRUE} or {.code FALSE}.", "choice")
  }
  range <- check_margin(margin)
  rob_j <- study_judgements(rob, fit$studies, "rob")
  ind_j <- if (is.null(indirectness)) NULL else
    study_judgements(indirectness, fit$studies, "indirectness")
  settings <- list(model = model, measure = fit$measure, level = fit$level, range = range,
                   rule = rule, rules = rules,
                   indirectness_rule = if (is.null(ind_j)) NA_character_ else indirectness_rule,
                   assessed = c(indirectness = !is.null(ind_j),
                                reporting_bias = !is.null(reporting_bias)),
                   robustness = robustness)
  ing <- confidence_ingredients(fit, rob_j, ind_j, reporting_bias, comparisons, override,
                                min_studies_egger, settings)
  # on a collection (nma(by = )) the ingredients of every network are
  # judged together (R/verb-batch.R)
  if (isTRUE(attr(fit, "fastnma_batch_rows"))) return(ing)
  confidence_result(ing)
}

# (a) The numbers the rules read, for the comparisons of one fit: `rows`, a
# data frame with one row per comparison (the network estimate and its
# intervals, the random-effects intervals, the contribution-weighted shares
# of the study-level judgements, the node-splitting and design-by-treatment
# tests, the reporting-bias judgement); the shares as matrices, the
# design-by-treatment test, the checked overrides (rows into `rows`), the
# robustness columns and the `settings` the rules apply.
confidence_ingredients <- function(fit, rob_j, ind_j, reporting_bias, comparisons, override,
                                   min_k, settings, call = rlang::caller_env()) {
  model <- settings$model
  cinema <- settings$rules == "cinema"
  # the domains call three compiled verbs: one live network for all three,
  # checked against the fit once
  fit <- with_network_handle(fit)
  net <- fit_network(fit)
  # the network estimates, every pair in canonical order
  est <- nma_comparisons(fit, model, "all")
  ran <- if (model == "random") est else nma_comparisons(fit, "random", "all")
  keep <- confidence_comparisons(fit, est, comparisons, call = call)
  pick <- function(d, cols) lapply(unclass(d)[cols], `[`, keep)
  out <- pick(est, c("treat1", "treat2", "estimate", "std.error", "conf.low", "conf.high",
                     "p.value"))
  ran <- pick(ran, c("estimate", "conf.low", "conf.high", "pred.low", "pred.high"))
  out$pred.low <- ran$pred.low
  out$pred.high <- ran$pred.high
  out <- structure(out, class = "data.frame", row.names = .set_row_names(length(keep)))
  W <- W_key <- NULL
  if (cinema || identical(reporting_bias, "egger")) {
    cb <- contributions(fit, method = if (cinema) "cinema" else "shortestpath",
                        model = model, study = TRUE,
                        comparisons = out[c("treat1", "treat2")])
    S <- cb$study
    W <- cb$weights
    W_key <- comparison_key(fit, cb$direct$treat1, cb$direct$treat2)
  } else {
    S <- study_contributions(fit, model, out$treat1, out$treat2, net)
  }
  rob_shares <- judgement_shares(S, rob_j)
  ind_shares <- if (is.null(ind_j)) NULL else judgement_shares(S, ind_j)
  rep_b <- judge_reporting(reporting_bias, fit, out, W, W_key, min_k, call = call)
  dbt <- design_test(fit, net)
  ns <- split_columns(fit, model, out$treat1, out$treat2, net)
  ov <- check_override(override, fit, out, call = call)
  rows <- c(unclass(out), list(ran_estimate = ran$estimate, ran_conf.low = ran$conf.low,
                               ran_conf.high = ran$conf.high))
  for (l in 1:3) rows[[paste0("rob_", l)]] <- unname(rob_shares[, l])
  if (!is.null(ind_shares)) for (l in 1:3) rows[[paste0("ind_", l)]] <- unname(ind_shares[, l])
  for (col in names(ns)) rows[[paste0("split_", col)]] <- ns[[col]]
  rows$reporting_bias <- rep_b$judgement
  rows$reporting_bias_reason <- rep_b$reason
  if (settings$robustness) {
    rb <- confidence_robustness(fit, model, out$treat1, out$treat2)
    rows$threshold_se <- rb$threshold_se
    rows$outlying_studies <- rb$outlying_studies
  }
  rows <- structure(rows, class = "data.frame", row.names = .set_row_names(length(keep)))
  label <- comparison_label(out$treat1, out$treat2)
  rownames(rob_shares) <- label
  if (!is.null(ind_shares)) rownames(ind_shares) <- label
  list(rows = rows, rob_shares = rob_shares, indirectness_shares = ind_shares,
       design_test = dbt, override = ov, settings = settings,
       highest_rob = max(match(rob_j, study_levels)),
       highest_ind = if (is.null(ind_j)) NA_integer_ else max(match(ind_j, study_levels)))
}

# The ingredients of a network of a collection after the first (`first`,
# its ingredients): the arguments of the call (`args`, evaluated, with the
# network's own per_network() elements) were checked on the first network,
# so only what is the network's own is checked here (its study-level
# judgements, comparisons, reporting-bias judgements and overrides). A
# network whose settings may differ from the first one's (an argument of
# the settings given per network, `own`; indirectness or reporting bias
# assessed where the first network's is not, or the other way round) gets
# the checks of confidence().
confidence_rest <- function(fit, args, first, call, own = character()) {
  s <- first$settings
  rob <- args[["rob"]]
  ind <- args[["indirectness"]]
  rep_b <- args[["reporting_bias"]]
  shared <- c("margin", "rule", "indirectness_rule", "model", "rules", "robustness",
              "min_studies_egger")
  if (any(own %in% shared) ||
      !identical(s$assessed, c(indirectness = !is.null(ind), reporting_bias = !is.null(rep_b)))) {
    attr(fit, "fastnma_batch_rows") <- TRUE
    return(rlang::exec(confidence, fit, !!!args))
  }
  rob_j <- study_judgements(rob, fit$studies, "rob", call = call)
  ind_j <- if (is.null(ind)) NULL else study_judgements(ind, fit$studies, "indirectness", call = call)
  confidence_ingredients(fit, rob_j, ind_j, rep_b, args[["comparisons"]], args[["override"]],
                         args[["min_studies_egger"]] %||% 10, s, call = call)
}

# (b) The six domains and the rating of the rows of one or more networks
# (`rows`, stacked; `network` the position of each row's network among
# `ing`, the ingredients of those networks, which share `settings`): the
# rules work on columns, once for all rows. The overrides of each network
# apply to its rows. Returns the columns of the result.
confidence_judge <- function(rows, network, ing) {
  s <- ing[[1L]]$settings
  cinema <- s$rules == "cinema"
  range <- s$range
  z <- stats::qnorm(1 - (1 - s$level) / 2)
  n <- nrow(rows)
  # a number of each network, on each of its rows
  per_network <- function(name) vapply(ing, `[[`, 0L, name)[network]
  shares <- function(prefix) cbind(rows[[paste0(prefix, "_1")]], rows[[paste0(prefix, "_2")]],
                                   rows[[paste0(prefix, "_3")]])
  wsb <- if (cinema) judge_contributions_cinema(shares("rob"), s$rule, "risk of bias", per_network("highest_rob")) else
    judge_contributions(shares("rob"), s$rule, "risk of bias")
  if (!s$assessed[["indirectness"]]) {
    ind <- list(judgement = rep(not_assessed, n),
                reason = rep("not assessed: no study-level indirectness judgements given", n))
  } else {
    ind <- if (cinema) judge_contributions_cinema(shares("ind"), s$indirectness_rule, "indirectness", per_network("highest_ind")) else
      judge_contributions(shares("ind"), s$indirectness_rule, "indirectness")
  }
  rep_b <- list(judgement = rows$reporting_bias, reason = rows$reporting_bias_reason)
  ran <- list(estimate = rows$ran_estimate, conf.low = rows$ran_conf.low,
              conf.high = rows$ran_conf.high, pred.low = rows$pred.low, pred.high = rows$pred.high)
  if (cinema) {
    imp <- judge_imprecision_cinema(rows, range, s$measure, network)
    het <- judge_heterogeneity_cinema(ran, range, s$measure, network)
  } else {
    imp <- judge_imprecision(crossings(rows$conf.low, rows$conf.high, range), rows, range)
    het <- judge_heterogeneity(crossings(ran$conf.low, ran$conf.high, range),
                               crossings(ran$pred.low, ran$pred.high, range))
  }
  ns <- list(evidence = rows$split_evidence, p.value = rows$split_p.value,
             direct = rows$split_direct, direct_se = rows$split_direct_se,
             indirect = rows$split_indirect, indirect_se = rows$split_indirect_se)
  dbt <- lapply(ing, `[[`, "design_test")
  dbt <- list(Q = vapply(dbt, `[[`, 0, "Q"), df = vapply(dbt, `[[`, 0L, "df"),
              p.value = vapply(dbt, `[[`, 0, "p.value"))
  inc <- if (cinema) judge_incoherence_cinema(ns, dbt, range, z, network) else
    judge_incoherence(ns, dbt, range, z, network)
  domains <- list(within_study_bias = wsb, reporting_bias = rep_b, indirectness = ind,
                  imprecision = imp, heterogeneity = het, incoherence = inc)
  out <- list(treat1 = rows$treat1, treat2 = rows$treat2, estimate = rows$estimate,
              std.error = rows$std.error, conf.low = rows$conf.low,
              conf.high = rows$conf.high, p.value = rows$p.value,
              pred.low = rows$pred.low, pred.high = rows$pred.high)
  for (d in names(domains)) out[[d]] <- domains[[d]]$judgement
  for (d in names(domains)) out[[paste0(d, "_reason")]] <- domains[[d]]$reason
  out$overridden <- rep("", n)
  # the overrides of each network, their rows into the stacked rows
  start <- match(seq_along(ing), network) - 1L
  ov <- lapply(seq_along(ing), function(g) {
    o <- ing[[g]]$override
    if (!is.null(o)) o$row <- o$row + start[g]
    o
  })
  ov <- if (any(lengths(ov) > 0L)) do.call(rbind, ov) else NULL
  out <- apply_override(out, ov, setdiff(confidence_domains, "confidence"))
  rating <- overall_confidence(out[names(domains)])
  out$confidence <- rating$judgement
  out$confidence_reason <- rating$reason
  out <- apply_override(out, ov, "confidence")
  cols <- c("treat1", "treat2", "estimate", "std.error", "conf.low", "conf.high",
            "p.value", "pred.low", "pred.high", names(domains), "confidence",
            paste0(c(names(domains), "confidence"), "_reason"), "overridden")
  out <- out[cols]
  if (s$robustness) {
    out$threshold_se <- rows$threshold_se
    out$outlying_studies <- rows$outlying_studies
  }
  out
}

# (c) The result for one fit: the judged columns with the metadata.
confidence_result <- function(ing) {
  s <- ing$settings
  out <- confidence_judge(ing$rows, rep(1L, nrow(ing$rows)), list(ing))
  out <- structure(out, class = "data.frame", row.names = .set_row_names(nrow(ing$rows)))
  new_fastnma_table(out, "nma_confidence", model = s$model,
            measure = s$measure, level = s$level, margin = s$range, rule = s$rule,
            rules = s$rules, indirectness_rule = s$indirectness_rule,
            rob_shares = ing$rob_shares, indirectness_shares = ing$indirectness_shares,
            design_test = ing$design_test, assessed = s$assessed)
}

# The tidy table of confidence() on a collection: the ingredients of its
# networks (`ing`, whose `by` values are `by`) judged together, networks
# with the same settings at once, in the order of the networks.
confidence_batch_table <- function(ing, by) {
  # networks with the same settings (the usual case: all of them)
  settings <- list()
  key <- integer(length(ing))
  for (g in seq_along(ing)) {
    k <- Position(function(s) identical(s, ing[[g]]$settings), settings)
    if (is.na(k)) {
      settings[[length(settings) + 1L]] <- ing[[g]]$settings
      k <- length(settings)
    }
    key[g] <- k
  }
  n <- vapply(ing, function(i) nrow(i$rows), 0L)
  parts <- lapply(seq_along(settings), function(k) {
    gs <- which(key == k)
    rows <- vctrs::vec_rbind(!!!lapply(ing[gs], `[[`, "rows"))
    out <- confidence_judge(rows, rep(seq_along(gs), n[gs]), ing[gs])
    structure(out, class = "data.frame", row.names = .set_row_names(sum(n[gs])))
  })
  out <- if (length(parts) == 1L) parts[[1L]] else {
    # back to the order of the networks
    stacked <- order(rep(key, n), rep(seq_along(ing), n))
    vctrs::vec_rbind(!!!parts)[order(stacked), , drop = FALSE]
  }
  cbind(data.frame(by = rep(by, n), stringsAsFactors = FALSE),
        strip_attributes(as.data.frame(as_tidy(out), stringsAsFactors = FALSE)))
}

# The robustness columns of confidence(robustness = TRUE), beside the six
# domains: per comparison, the contrast-level threshold of its direct
# estimate in standard errors (threshold(level = "contrast")), and the
# studies with direct evidence on it whose absolute studentized deleted
# residual (outliers()) exceeds 2.
confidence_robustness <- function(fit, model, treat1, treat2) {
  th <- strip_attributes(threshold(fit, level = "contrast", model = model))
  row <- comparison_match(fit, treat1, treat2, th$treat1, th$treat2)
  threshold_se <- unname(th$min_threshold_se[row])
  st <- outliers(fit, model = model)$studies
  flagged <- !is.na(st$stud_residual_deleted) & abs(st$stud_residual_deleted) > 2
  rd <- outlier_rows(fit)
  row_key <- comparison_key_index(fit, rd$i, rd$j)
  want <- comparison_key(fit, treat1, treat2)
  outlying <- vapply(want, function(k) {
    s <- sort(unique(rd$s[row_key == k]))
    paste(fit$studies[s[flagged[s]]], collapse = ", ")
  }, character(1), USE.NAMES = FALSE)
  list(threshold_se = threshold_se, outlying_studies = outlying)
}

# The study contributions of the comparisons `treat1` vs `treat2` (rows)
# by study (columns): the matrix `study` of contributions(study = TRUE)
# (shortest paths) from its compiled routine.
study_contributions <- function(fit, model, treat1, treat2, net = fit_network(fit)) {
  trt <- fit$treatments
  i <- match(treat1, trt)
  j <- match(treat2, trt)
  r <- check_core_result(contrib_cpp(net, list(
    ref = match(fit$reference, trt), tau2 = model_tau2(fit, model), randomwalk = FALSE,
    by_study = TRUE, weights = FALSE, threads = contrib_threads(),
    min_parallel = getOption("fastnma.contrib_min_parallel", 2e5),
    group = matrix(0, length(fit$studies), 0),
    row_src = as.integer(pmin(i, j)), row_dst = as.integer(pmax(i, j)),
    threshold = 0, col_rank = integer())), fit)
  S <- r$study
  dimnames(S) <- list(comparison = comparison_label(treat1, treat2), study = fit$studies)
  S
}

# What the incoherence rules read of node_split(comparisons = "all")
# (back-calculation) for the comparisons `treat1` vs `treat2` (canonical
# orientation): `evidence` and, for mixed evidence, the SIDE p-value and the
# direct and indirect estimates with their standard errors, from the
# compiled routine of node_split() with the same arithmetic.
split_columns <- function(fit, model, treat1, treat2, net = fit_network(fit)) {
  trt <- fit$treatments
  r <- check_core_result(split_cpp(net, list(
    ref = match(fit$reference, trt), tau2 = model_tau2(fit, model), method = "back",
    reestimate = FALSE, tau2_method = fit$tau2_method, tol_tau2 = fit$control$tol_tau2,
    tol_direct = 5e-4, exact_budget = split_exact_budget())), fit)
  direct_se <- sqrt(r$direct_var)
  indirect_se <- sqrt(r$indirect_var)
  statistic <- (r$direct - r$indirect) / sqrt(r$direct_var + r$indirect_var)
  no_indirect <- r$status != 0L
  indirect <- replace(r$indirect, no_indirect, NA_real_)
  indirect_se[no_indirect] <- NA_real_
  statistic[no_indirect] <- NA_real_
  # the core reports later vs earlier in sorted order (treat1 = trt[b])
  rk <- index_rank(fit)
  flip <- rk[r$b] < rk[r$a]
  direct <- r$direct
  direct[flip] <- -direct[flip]
  indirect[flip] <- -indirect[flip]
  at <- match(comparison_key(fit, treat1, treat2), comparison_key_index(fit, r$b, r$a))
  list(evidence = ifelse(is.na(at), "indirect only",
                         c("mixed", "direct only", "no indirect path")[r$status[at] + 1L]),
       p.value = 2 * stats::pnorm(-abs(statistic[at])), direct = direct[at],
       direct_se = direct_se[at], indirect = indirect[at], indirect_se = indirect_se[at])
}

# The six domains (and the rating) in CINeMA's order.
confidence_domains <- c("within_study_bias", "reporting_bias", "indirectness",
                        "imprecision", "heterogeneity", "incoherence", "confidence")
concern_levels <- c("no concerns", "some concerns", "major concerns")
# A domain without input (reporting bias, indirectness) is its own level,
# never "no concerns"; it does not move the rating.
not_assessed <- "not assessed"
judgement_levels <- c(concern_levels, not_assessed)
confidence_levels <- c("high", "moderate", "low", "very low")
study_levels <- c("low", "some", "high")

check_margin <- function(margin, call = rlang::caller_env()) {
  ok <- is.numeric(margin) && length(margin) %in% 1:2 && all(is.finite(margin))
  if (ok && length(margin) == 1L) {
    ok <- margin > 0
    range <- c(-margin, margin)
  } else if (ok) {
    range <- as.numeric(margin)
    ok <- range[1] < range[2] && range[1] <= 0 && range[2] >= 0
  }
  if (!ok) {
    abort_fastnma(c(
      "{.arg margin} must be a positive number or a range {.code c(lower, upper)} with lower <= 0 <= upper and lower < upper (the analysis scale).",
      "x" = "It is {.val {format(margin)}}."
    ), "margin", call = call)
  }
  unname(range)
}

# Normalise study-level judgements to "low" / "some" / "high", one per study
# of the fit, in the order of `studies`.
study_judgements <- function(x, studies, what, call = rlang::caller_env()) {
  arg <- what
  if (is.data.frame(x)) {
    if (!all(c("study", what) %in% names(x))) {
      abort_fastnma(c("A data frame given as {.arg {arg}} needs columns {.field study} and {.field {what}}.",
                      "x" = "It has {.field {names(x)}}."), "column", call = call)
    }
    vals <- x[[what]]
    nms <- as.character(x$study)
  } else {
    vals <- x
    nms <- names(x)
    if (is.null(nms) || (is.factor(x) && is.null(nms))) {
      abort_fastnma(c("{.arg {arg}} must be named by study (or be a data frame with {.field study} and {.field {what}}).",
                      "x" = "It has no names."), "judgement", call = call)
    }
  }
  if (!(is.character(vals) || is.factor(vals) || is.numeric(vals))) {
    abort_fastnma("{.arg {arg}} must hold judgements {.val {study_levels}}.", "judgement", call = call)
  }
  dup <- unique(nms[duplicated(nms)])
  if (length(dup)) {
    abort_fastnma(c("{.arg {arg}} gives more than one judgement for a study.",
                    "x" = "Studies: {.val {dup}}."), "judgement", call = call, study = dup)
  }
  norm <- normalise_study_level(vals)
  bad <- is.na(norm) & !is.na(vals)
  if (any(bad)) {
    abort_fastnma(c("{.arg {arg}} must hold the judgements {.val {study_levels}}.",
                    "x" = "Study {.val {nms[bad][1]}} has {.val {as.character(vals[bad][1])}} (column {.field {what}}){if (sum(bad) > 1) paste0(', and ', sum(bad) - 1, ' more') else ''}."),
                  "judgement", call = call, study = nms[bad])
  }
  extra <- setdiff(nms, studies)
  if (length(extra)) {
    abort_fastnma(c("{.arg {arg}} names studies that are not in the fit.",
                    "x" = "Not in the fit: {.val {extra}}.",
                    "i" = "Give one judgement for each study of {.code fit$studies}."),
                  "judgement", call = call, study = extra)
  }
  out <- norm[match(studies, nms)]
  miss <- studies[is.na(out)]
  if (length(miss)) {
    abort_fastnma(c("Every study of the fit needs a judgement in {.arg {arg}} (column {.field {what}}).",
                    "x" = "Missing for stud{?y/ies} {.val {miss}}."),
                  "judgement", call = call, study = miss)
  }
  stats::setNames(out, studies)
}

normalise_study_level <- function(v) {
  v <- tolower(trimws(as.character(v)))
  map <- c(low = "low", l = "low", `1` = "low", `low risk` = "low",
           some = "some", `some concerns` = "some", moderate = "some", m = "some",
           unclear = "some", u = "some", `2` = "some",
           high = "high", h = "high", `3` = "high", `high risk` = "high")
  unname(map[v])
}

normalise_concern <- function(v) {
  v <- tolower(trimws(as.character(v)))
  # CINeMA 1.x reporting-bias labels ("undetected", "suspected") and
  # CINeMA 2.0's ("low risk", "some concerns", "high risk")
  map <- c(`no concerns` = "no concerns", `no` = "no concerns", undetected = "no concerns",
           `low risk` = "no concerns",
           `not assessed` = not_assessed,
           `some concerns` = "some concerns", some = "some concerns", suspected = "some concerns",
           `major concerns` = "major concerns", major = "major concerns",
           `high risk` = "major concerns")
  unname(map[v])
}

# Contribution-weighted share of each study level: comparisons x 3.
judgement_shares <- function(S, judgement) {
  j <- judgement[colnames(S)]
  ind <- matrix(as.numeric(c(j == study_levels[1L], j == study_levels[2L], j == study_levels[3L])),
                ncol = 3L, dimnames = list(NULL, study_levels))
  sh <- S %*% ind
  sh <- sh / pmax(rowSums(sh), .Machine$double.xmin)
  colnames(sh) <- study_levels
  sh
}

judge_contributions <- function(shares, rule, what) {
  share_text <- share_text(shares)
  lev <- switch(rule,
    # largest share; ties to the higher level
    majority = top_level(shares, shares >= pmax.int(shares[, 1], shares[, 2], shares[, 3]) - 1e-12, TRUE),
    highest = top_level(shares, shares > 1e-10, TRUE),
    average = {
      m <- as.vector(shares %*% (1:3))
      pmin(3L, pmax(1L, floor(m + 0.5 + 1e-12)))
    })
  why <- switch(rule,
    majority = sprintf("majority rule: %s %s has the largest contribution", what, study_levels[lev]),
    highest = sprintf("highest rule: the highest %s among contributing studies is %s", what, study_levels[lev]),
    average = sprintf("average rule: weighted mean score %s (1 low, 2 some, 3 high) rounds to %s",
                      formatC(as.vector(shares %*% (1:3)), digits = 2, format = "f"), study_levels[lev]))
  list(judgement = concern_levels[lev], reason = paste0(why, "; ", share_text))
}

# Number of boundaries of the range strictly inside each interval.
crossings <- function(lo, hi, range) {
  (lo < range[1] & range[1] < hi) + (lo < range[2] & range[2] < hi)
}

fmt_range <- function(range) sprintf("(%s, %s)", format_sig(range[1], 4), format_sig(range[2], 4))

judge_imprecision <- function(k, out, range) {
  why <- c("the confidence interval contains no boundary of the range of equivalence",
           "the confidence interval crosses one boundary of the range of equivalence",
           "the confidence interval spans the whole range of equivalence")
  ci <- sprintf("CI (%s, %s) vs range %s", format_sig(out$conf.low, 4, scale = 1),
                format_sig(out$conf.high, 4, scale = 1), fmt_range(range))
  list(judgement = concern_levels[k + 1L], reason = paste0(why[k + 1L], ": ", ci))
}

# Proportions as whole percentages ("12%"), as formatC(100 * x, digits = 0,
# format = "f") writes them, in one sprintf().
pct_text <- function(x) {
  out <- sprintf("%.0f%%", 100 * x)
  out[is.na(x) & !is.nan(x)] <- " NA%"
  out
}

# The text of the shares of the three study levels of each row.
share_text <- function(shares) {
  paste0("contributions: low ", pct_text(shares[, 1]), ", some ", pct_text(shares[, 2]),
         ", high ", pct_text(shares[, 3]))
}

# The level (1 low, 2 some, 3 high) of each row of `shares` picked by the
# logical matrix `hit`: the highest level hit (`last`) or the lowest; NA
# where none is.
top_level <- function(shares, hit, last) {
  hit <- matrix(hit, ncol = 3L)
  if (last) {
    ifelse(hit[, 3L], 3L, ifelse(hit[, 2L], 2L, ifelse(hit[, 1L], 1L, NA_integer_)))
  } else {
    ifelse(hit[, 1L], 1L, ifelse(hit[, 2L], 2L, ifelse(hit[, 3L], 3L, NA_integer_)))
  }
}

judge_heterogeneity <- function(k_ci, k_pi) {
  d <- k_pi - k_ci
  na <- is.na(d)
  d[na] <- 1L
  d <- pmin(pmax(d, 0L), 2L)
  why <- sprintf("the prediction interval crosses %d boundar%s of the range of equivalence, the confidence interval %d",
                 k_pi, ifelse(k_pi == 1, "y", "ies"), k_ci)
  why[na] <- "prediction interval not available (no degrees of freedom for tau^2): heterogeneity cannot be judged from the data"
  list(judgement = concern_levels[d + 1L], reason = why)
}

# The random-effects design-by-treatment interaction test (Q between
# designs of inconsistency(), without the rest of its decomposition).
design_test <- function(fit, net = fit_network(fit)) {
  if (length(fit$treatments) < 3L) {
    return(list(Q = NA_real_, df = 0L, p.value = NA_real_))
  }
  r <- check_core_result(design_test_cpp(net, match(fit$reference, fit$treatments)), fit)
  list(Q = r$Q_between, df = as.integer(r$df_between),
       p.value = if (r$df_between > 0) q_pvalue(r$Q_between, r$df_between) else NA_real_)
}

# The judgement of the design-by-treatment test of each network (`dbt`:
# vectors Q, df, p.value, one element per network).
judge_by_design_test <- function(dbt) {
  p <- dbt$p.value
  none <- is.na(p) | dbt$df < 1L
  lev <- ifelse(p > 0.10, 1L, ifelse(p >= 0.05, 2L, 3L))
  lev[none] <- 3L
  reason <- sprintf("design-by-treatment interaction test %s (Q = %s, df = %d)",
                    format_pvalue(p, header = TRUE), format_num(dbt$Q, 2), dbt$df)
  reason[none] <- "no closed loop in the network: the design-by-treatment test is not available and incoherence cannot be assessed (CINeMA judges such networks 'major concerns')"
  list(judgement = concern_levels[lev], reason = reason)
}

# Area membership (below, within, above the range) of intervals.
areas <- function(lo, hi, range) {
  cbind(lo < range[1], hi > range[1] & lo < range[2], hi > range[2])
}

judge_incoherence <- function(ns, dbt, range, z, network = rep(1L, length(ns$evidence))) {
  glob <- lapply(judge_by_design_test(dbt), `[`, network)
  incoherence_judgements(ns, glob, range, z, function(p, agree) {
    pv <- format_pvalue(p, header = TRUE)
    list(level = ifelse(p > 0.10, 1L, areas_level(agree)),
         reason = ifelse(p > 0.10,
                         sprintf("SIDE test %s > 0.10", pv),
                         sprintf("SIDE test %s <= 0.10; direct and indirect confidence intervals agree in %d of the 3 areas (below, within, above the range of equivalence)",
                                 pv, agree)))
  })
}

# The incoherence domain, for both sets of rules: every comparison gets the
# judgement of the design-by-treatment test of its network (`glob`, one
# judgement and reason per comparison), except those with
# mixed evidence and a SIDE test, which `side_rule(p, agree)` judges from
# the SIDE p-values and the number of areas (of 3) in which the direct and
# indirect confidence intervals agree (a level 1-3 and a reason each).
incoherence_judgements <- function(ns, glob, range, z, side_rule) {
  judgement <- glob$judgement
  kind <- ifelse(ns$evidence == "mixed", "mixed",
                 ifelse(ns$evidence == "indirect only", "indirect only", "direct only"))
  reason <- paste0(kind, " evidence: ", glob$reason)
  mixed <- kind == "mixed" & !is.na(ns$p.value)
  if (any(mixed)) {
    a_d <- areas(ns$direct[mixed] - z * ns$direct_se[mixed], ns$direct[mixed] + z * ns$direct_se[mixed], range)
    a_i <- areas(ns$indirect[mixed] - z * ns$indirect_se[mixed], ns$indirect[mixed] + z * ns$indirect_se[mixed], range)
    side <- side_rule(ns$p.value[mixed], rowSums(a_d == a_i))
    judgement[mixed] <- concern_levels[side$level]
    reason[mixed] <- paste0("mixed evidence: ", side$reason)
  }
  list(judgement = judgement, reason = reason)
}

# The areas rule: intervals that agree in all 3 areas no concerns, in 2
# some concerns, otherwise major concerns.
areas_level <- function(agree) {
  ifelse(agree == 3L, 1L, ifelse(agree == 2L, 2L, 3L))
}

judge_reporting <- function(x, fit, out, W, W_key, min_k, call = rlang::caller_env()) {
  n <- nrow(out)
  if (is.null(x)) {
    return(list(judgement = rep(not_assessed, n),
                reason = rep("not assessed: no reporting-bias judgement given", n)))
  }
  if (is.character(x) && length(x) == 1L && identical(x, "egger")) {
    return(judge_egger(fit, out, W, W_key, min_k))
  }
  if (is.data.frame(x)) {
    if (!all(c("treat1", "treat2", "judgement") %in% names(x))) {
      abort_fastnma(c("A data frame given as {.arg reporting_bias} needs columns {.field treat1}, {.field treat2} and {.field judgement}.",
                      "x" = "It has {.field {names(x)}}."), "column", call = call)
    }
    t1 <- as.character(x$treat1)
    t2 <- as.character(x$treat2)
    vals <- x$judgement
    given_reason <- if ("reason" %in% names(x)) as.character(x$reason) else rep(NA_character_, nrow(x))
  } else if (is.character(x) && !is.null(names(x))) {
    parts <- strsplit(names(x), " vs ", fixed = TRUE)
    if (any(lengths(parts) != 2L)) {
      bad <- names(x)[lengths(parts) != 2L]
      abort_fastnma(c("Names of {.arg reporting_bias} must be comparisons {.val treat1 vs treat2}.",
                      "x" = "Not a comparison: {.val {bad}}."), "comparison_selection", call = call)
    }
    t1 <- vapply(parts, `[`, "", 1L)
    t2 <- vapply(parts, `[`, "", 2L)
    vals <- unname(x)
    given_reason <- rep(NA_character_, length(x))
  } else {
    abort_fastnma(c("{.arg reporting_bias} must be NULL, {.val egger}, a character vector named by comparison or a data frame.",
                    "x" = "It is {.obj_type_friendly {x}}."), "judgement", call = call)
  }
  norm <- normalise_concern(vals)
  if (anyNA(norm)) {
    i <- which(is.na(norm))[1]
    abort_fastnma(c("{.arg reporting_bias} must hold {.val {concern_levels}} (or CINeMA's {.val undetected}, {.val suspected}, {.val low risk}, {.val high risk}).",
                    "x" = "Comparison {.val {comparison_label(t1[i], t2[i])}} has {.val {as.character(vals[i])}}."),
                  "judgement", call = call)
  }
  at <- comparison_match(fit, t1, t2, out$treat1, out$treat2)
  if (anyNA(at)) {
    bad <- comparison_label(t1, t2)[is.na(at)]
    trts <- unique(c(out$treat1, out$treat2))
    abort_fastnma(c("{.arg reporting_bias} names comparisons that are not assessed.",
                    "x" = "Not found: {.val {bad}}.",
                    did_you_mean_many(unknown_treatments(t1, t2, trts), trts)),
                  "comparison_selection", call = call)
  }
  judgement <- rep(not_assessed, n)
  reason <- rep("not assessed: no reporting-bias judgement given for this comparison", n)
  judgement[at] <- norm
  reason[at] <- ifelse(is.na(given_reason) | !nzchar(given_reason %||% ""),
                       "judgement given by the user", paste0("user: ", given_reason))
  list(judgement = judgement, reason = reason)
}

# Egger's test (egger_regression()) per direct comparison in the canonical
# orientation, the comparison given by its comparison_key().
egger_tests <- function(fit) {
  d <- fit$data
  y <- ifelse(needs_flip(fit, d$treat1, d$treat2), -d$estimate, d$estimate)
  e <- egger_regression(y, d$std.error, comparison_key(fit, d$treat1, d$treat2))
  data.frame(key = as.integer(e$group), k = e$k, intercept = e$intercept,
             std.error = e$std.error, statistic = e$statistic, p.value = e$p.value,
             stringsAsFactors = FALSE)
}

# The reporting-bias domain by Egger's test: the share of each comparison's
# evidence (the contribution matrix `W`, its columns the direct comparisons
# with keys `W_key`) from direct comparisons whose test has p < 0.10.
judge_egger <- function(fit, out, W, W_key, min_k) {
  eg <- egger_tests(fit)
  testable <- eg$k >= min_k & is.finite(eg$p.value)
  flagged <- W_key %in% eg$key[testable & eg$p.value < 0.10]
  tested <- W_key %in% eg$key[testable]
  share_flag <- rowSums(W[, flagged, drop = FALSE])
  share_test <- rowSums(W[, tested, drop = FALSE])
  pct <- pct_text
  judgement <- ifelse(share_test <= 0, not_assessed,
                      ifelse(share_flag > 0.5, "some concerns", "no concerns"))
  reason <- ifelse(share_test <= 0,
                   sprintf("not assessed: no contributing direct comparison has %d or more studies for Egger's test (small-study effects not testable)", min_k),
                   sprintf("Egger's test: direct comparisons with p < 0.10 contribute %s (tested direct comparisons contribute %s)",
                           pct(share_flag), pct(share_test)))
  list(judgement = unname(judgement), reason = unname(reason))
}

confidence_comparisons <- function(fit, est, comparisons, call = rlang::caller_env()) {
  n <- nrow(est)
  if (is.null(comparisons)) return(seq_len(n))
  pairs <- comparison_pairs(comparisons, call = call)
  t1 <- pairs$treat1
  t2 <- pairs$treat2
  at <- comparison_match(fit, t1, t2, est$treat1, est$treat2)
  if (anyNA(at)) {
    abort_fastnma(c("{.arg comparisons} names comparisons that are not in the network.",
                    "x" = "Not found: {.val {comparison_label(t1, t2)[is.na(at)]}}.",
                    did_you_mean_many(unknown_treatments(t1, t2, fit$treatments), fit$treatments)),
                  "comparison_selection", call = call)
  }
  sort(unique(at))
}

check_override <- function(override, fit, out, call = rlang::caller_env()) {
  if (is.null(override)) return(NULL)
  need <- c("treat1", "treat2", "domain", "judgement", "reason")
  if (!is.data.frame(override) || !all(need %in% names(override))) {
    abort_fastnma(c("{.arg override} must be a data frame with columns {.field {need}}.",
                    "x" = if (is.data.frame(override)) "It has {.field {names(override)}}." else "It is {.obj_type_friendly {override}}."),
                  "override", call = call)
  }
  ov <- data.frame(treat1 = as.character(override$treat1), treat2 = as.character(override$treat2),
                   domain = as.character(override$domain), judgement = as.character(override$judgement),
                   reason = as.character(override$reason), stringsAsFactors = FALSE)
  bad_dom <- !(ov$domain %in% confidence_domains)
  if (any(bad_dom)) {
    abort_fastnma(c("{.field domain} of {.arg override} must be one of {.val {confidence_domains}}.",
                    "x" = "It has {.val {unique(ov$domain[bad_dom])}}."), "override", call = call)
  }
  no_reason <- is.na(ov$reason) | !nzchar(trimws(ov$reason))
  if (any(no_reason)) {
    abort_fastnma(c("Every override needs a reason (column {.field reason}).",
                    "x" = "Missing for {.val {comparison_label(ov$treat1, ov$treat2)[no_reason]}} ({ov$domain[no_reason]})."),
                  "override", call = call)
  }
  is_conf <- ov$domain == "confidence"
  j <- ov$judgement
  j[!is_conf] <- normalise_concern(j[!is_conf])
  j[is_conf] <- ifelse(tolower(trimws(j[is_conf])) %in% confidence_levels, tolower(trimws(j[is_conf])), NA)
  if (anyNA(j)) {
    i <- which(is.na(j))[1]
    abort_fastnma(c("{.field judgement} of {.arg override} must be {.val {concern_levels}} for a domain, {.val {confidence_levels}} for {.val confidence}.",
                    "x" = "Row {i} has {.val {ov$judgement[i]}} for {.val {ov$domain[i]}}."), "override", call = call)
  }
  ov$judgement <- j
  at <- comparison_match(fit, ov$treat1, ov$treat2, out$treat1, out$treat2)
  if (anyNA(at)) {
    trts <- unique(c(out$treat1, out$treat2))
    abort_fastnma(c("{.arg override} names comparisons that are not assessed.",
                    "x" = "Not found: {.val {comparison_label(ov$treat1, ov$treat2)[is.na(at)]}}.",
                    did_you_mean_many(unknown_treatments(ov$treat1, ov$treat2, trts), trts)),
                  "comparison_selection", call = call)
  }
  key <- paste(at, ov$domain)
  if (anyDuplicated(key)) {
    abort_fastnma("{.arg override} sets the same domain of a comparison twice.", "override", call = call)
  }
  ov$row <- at
  ov
}

apply_override <- function(out, ov, domains) {
  if (is.null(ov)) return(out)
  ov <- ov[ov$domain %in% domains, , drop = FALSE]
  for (r in seq_len(nrow(ov))) {
    i <- ov$row[r]
    d <- ov$domain[r]
    rc <- paste0(d, "_reason")
    out[[rc]][i] <- sprintf("override: %s (the rules gave '%s': %s)", ov$reason[r], out[[d]][i], out[[rc]][i])
    out[[d]][i] <- ov$judgement[r]
    out$overridden[i] <- paste(c(if (nzchar(out$overridden[i])) out$overridden[i], d), collapse = ", ")
  }
  out
}

overall_confidence <- function(dom) {
  count <- function(level) Reduce(`+`, lapply(dom, function(d) d == level))
  some <- count("some concerns")
  major <- count("major concerns")
  down <- pmin(some + 2L * major, 3L)
  reason <- ifelse(some + major == 0, "no concerns in any assessed domain",
                   sprintf("from high, down one level per domain with some concerns (%d) and two per domain with major concerns (%d)",
                           some, major))
  # say which domains were not assessed: the rating does not cover them
  na_dom <- rep("", length(some))
  for (d in names(dom)) {
    na <- dom[[d]] == not_assessed
    lab <- gsub("_", " ", d)
    na_dom[na] <- ifelse(nzchar(na_dom[na]), paste0(na_dom[na], ", ", lab), lab)
  }
  reason <- ifelse(nzchar(na_dom), paste0(reason, "; not assessed (not counted): ", na_dom), reason)
  list(judgement = confidence_levels[down + 1L], reason = reason)
}

#' @rdname confidence
#' @param x An object of class `nma_confidence`.
#' @param n Number of comparisons printed (default 20; `Inf` for all); the
#'   print says how many of how many are shown.
#' @export
print.nma_confidence <- function(x, n = 20L, ...) {
  netmeta_guard()
  check_dots_print(...)
  r <- attr(x, "margin")
  measure <- attr(x, "measure")
  df <- strip_attributes(x)
  cat_wrapped(cli::style_bold("Confidence in the evidence (CINeMA)"), " - ",
              nrow(x), " comparison", if (nrow(x) == 1) "" else "s", ", ",
              attr(x, "model"), " effects model")
  cat_wrapped(sprintf("Range of equivalence %s on the %s scale; within-study bias: %s rule; indirectness: %s",
                      fmt_range(r), measure_abbrev(measure, FALSE), attr(x, "rule"),
                      if (isTRUE(attr(x, "assessed")[["indirectness"]])) paste(attr(x, "indirectness_rule"), "rule") else "not assessed"))
  cat_wrapped(if (identical(attr(x, "rules"), "cinema"))
                sprintf("Rules of the CINeMA software (v%s; contributions as netcontrib(hatmatrix.F1000 = TRUE)).", cinema_version) else
                "Rules of the CINeMA framework paper and documentation (rules = \"cinema\" for the CINeMA software's).")
  short <- c(`no concerns` = "no", `some concerns` = "some", `major concerns` = "major",
             `not assessed` = "n/a")
  # the rating stays beside the comparison; the domains follow
  shown <- data.frame(comparison = comparison_label(df$treat1, df$treat2),
                      confidence = ifelse(nzchar(df$overridden), paste0(df$confidence, " *"), df$confidence),
                      bias = short[df$within_study_bias], report = short[df$reporting_bias],
                      indir = short[df$indirectness], imprec = short[df$imprecision],
                      heter = short[df$heterogeneity], incoh = short[df$incoherence],
                      stringsAsFactors = FALSE)
  robust <- all(c("threshold_se", "outlying_studies") %in% names(df))
  if (robust) {
    shown$thresh_se <- ifelse(is.na(df$threshold_se), "-", formatC(df$threshold_se, digits = 2, format = "f"))
    shown$outlying <- ifelse(nzchar(df$outlying_studies), df$outlying_studies, "-")
  }
  n <- if (is.numeric(n) && length(n) == 1L && !is.na(n) && n >= 0) min(n, nrow(shown)) else 20L
  print_columns(utils::head(shown, n), left = setdiff(names(shown), "thresh_se"),
                key = c("comparison", "confidence"))
  if (nrow(shown) > n) {
    cat_wrapped(sprintf("%d of %d comparisons shown (print(x, n = Inf) for all; tidy() has all, with reasons).",
                        n, nrow(shown)))
  }
  cat_wrapped("Domains: bias = within-study bias, report = reporting bias, indir = indirectness, ",
              "imprec = imprecision, heter = heterogeneity, incoh = incoherence; ",
              "no / some / major concerns; n/a = not assessed.")
  if (robust) {
    cat_wrapped("Robustness (beside the six domains, not part of the rating): thresh_se = the ",
                "threshold of the direct estimate in standard errors (- without direct evidence); ",
                "outlying = studies of the direct evidence with |studentized deleted residual| > 2.")
  }
  tab <- table(factor(df$confidence, levels = confidence_levels))
  cat_wrapped("Confidence: ", paste(names(tab), tab, sep = " ", collapse = ", "),
              " (a suggestion: one level down per domain with some concerns, two per major concerns; ",
              "the CINeMA software leaves the rating to the reviewers, see override)")
  doms <- c(reporting_bias = "Reporting bias", indirectness = "Indirectness")
  for (d in names(doms)) {
    k <- sum(df[[d]] == not_assessed)
    if (k == nrow(df) && k > 0) {
      cat_wrapped(doms[[d]], " not assessed (n/a): not counted in the rating.")
    } else if (k > 0) {
      cat_wrapped(doms[[d]], sprintf(" not assessed for %d comparison%s (n/a): not counted in the rating.",
                                    k, if (k == 1) "" else "s"))
    }
  }
  if (any(nzchar(df$overridden))) cat_wrapped("* a judgement was overridden (see the *_reason columns of tidy()).")
  invisible(x)
}

#' @rdname confidence
#' @param conf.int Logical; include the confidence limits (default `TRUE`).
#' @return `tidy()`: a tibble, one row per comparison, with `term` and the
#'   columns above. `glance()`: one row with `n_comparisons`, the number of
#'   comparisons at each level (`n_high, n_moderate, n_low, n_very_low`),
#'   the range of equivalence (`equivalence_lower, equivalence_upper`, which
#'   were `equivalence_low, equivalence_high`: the old names still read, with
#'   a deprecation warning, for one release) and the
#'   p-value of the design-by-treatment test (`p_value_design`).
#' @method tidy nma_confidence
#' @export
tidy.nma_confidence <- function(x, conf.int = TRUE, ...) {
  netmeta_guard()
  as_tidy(strip_attributes(x), conf.int = conf.int)
}

#' @rdname confidence
#' @method glance nma_confidence
#' @export
glance.nma_confidence <- function(x, ...) {
  netmeta_guard()
  tab <- table(factor(x$confidence, levels = confidence_levels))
  r <- attr(x, "margin")
  with_old_names(as_glance(data.frame(
    n_comparisons = nrow(x), n_high = tab[[1]], n_moderate = tab[[2]],
    n_low = tab[[3]], n_very_low = tab[[4]], equivalence_lower = r[1],
    equivalence_upper = r[2], p_value_design = attr(x, "design_test")$p.value)))
}

#' @rdname confidence
#' @export
as.data.frame.nma_confidence <- function(x, ...) {
  netmeta_guard()
  strip_attributes(x)
}

#' @rdname confidence
#' @param object An object of class `nma_confidence`.
#' @export
summary.nma_confidence <- function(object, ...) {
  netmeta_guard()
  check_dots_print(...)
  dom <- strip_attributes(object)[confidence_domains]
  tabs <- lapply(confidence_domains, function(d) {
    as.vector(table(factor(dom[[d]], levels = summary_levels(d))))
  })
  out <- data.frame(domain = rep(confidence_domains, lengths(tabs)),
                    judgement = unlist(lapply(confidence_domains, summary_levels)),
                    comparisons = unlist(tabs), stringsAsFactors = FALSE)
  new_fastnma_table(out, "summary.nma_confidence")
}

# The levels a domain can take in summary(): the rating's four, the three
# concern levels, and "not assessed" for the domains that need input.
summary_levels <- function(d) {
  if (d == "confidence") return(confidence_levels)
  if (d %in% c("reporting_bias", "indirectness")) judgement_levels else concern_levels
}

#' @export
print.summary.nma_confidence <- function(x, ...) {
  netmeta_guard()
  cli::cat_line(cli::style_bold("Judgements by domain"), " (number of comparisons)")
  print_columns(strip_attributes(x), left = c("domain", "judgement"), key = c("domain", "judgement"))
  invisible(x)
}

#' A declared risk-of-bias column for the simulated MSC extraction
#'
#' The sourced MSC register records no risk-of-bias assessment, so a
#' confidence grading of the simulated extraction ([simulate_msc_extraction()])
#' needs a declared one. `msc_simulated_rob()` gives it: a **SIMULATED,
#' illustrative** judgement per study, not an appraisal of the trials. The
#' rule is fixed and stated: trials whose comparator was not read (known
#' only from another meta-analysis's table, tier D of the register) are
#' `"high"`; trials whose control arm is not a placebo or saline (open
#' comparators: hyaluronic acid, corticosteroid, PRP, conservative care)
#' are `"some"` (patients and assessors could not be blinded to a cell
#' injection against these); placebo- or saline-controlled trials are
#' `"low"`.
#'
#' @param data A simulated extraction sheet (from
#'   [simulate_msc_extraction()]) or any data frame with a `study` column.
#' @param trials The register (default [msc_trials]).
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @return A character vector of `"low"`, `"some"`, `"high"` named by study,
#'   with attribute `rule` (the rule above, as text).
#' @seealso [confidence()]
#' @examples
#' sim <- simulate_msc_extraction(seed = 42)
#' table(msc_simulated_rob(sim))
#' @export
msc_simulated_rob <- function(data, trials = fastnma::msc_trials, ...) {
  netmeta_guard(dots_empty = TRUE)
  if (!is.data.frame(data) || !"study" %in% names(data)) {
    abort_fastnma("{.arg data} must be a data frame with a {.field study} column.", "data_frame")
  }
  studies <- unique(as.character(data$study))
  tr <- trials[trials$trial_id %in% studies, , drop = FALSE]
  ctrl <- tr[tr$class %in% "Control", , drop = FALSE]
  blinded <- tapply(tolower(ctrl$cell_product) %in% c("placebo", "saline"), ctrl$trial_id, any)
  secondary <- tapply(tolower(ctrl$cell_product) %in% "not read", ctrl$trial_id, any)
  out <- ifelse(studies %in% names(secondary)[secondary], "high",
                ifelse(studies %in% names(blinded)[blinded], "low", "some"))
  structure(stats::setNames(out, studies),
            rule = "SIMULATED, illustrative: high = comparator not read (trial known only from another meta-analysis's table); low = placebo or saline control; some = open comparator (HA, corticosteroid, PRP, conservative care)")
}

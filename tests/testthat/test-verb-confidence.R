# confidence(): each CINeMA rule on a constructed network where the right
# judgement follows from the rule (the rule is cited in each test; see the
# "Rules" section of ?confidence for the sources).

# Two treatments, one direct comparison: study contributions are the
# inverse-variance weights (no heterogeneity: equal estimates).
pair_net <- function(estimate, se, study = paste0("s", seq_along(se))) {
  data.frame(study = study, treat1 = "B", treat2 = "A", estimate = estimate,
             std.error = se, stringsAsFactors = FALSE)
}
all_rob <- function(fit, level) stats::setNames(rep(level, length(fit$studies)), fit$studies)

test_that("within-study bias: all low is no concerns, all high major concerns (CINeMA within-study bias rules)", {
  fit <- nma(pair_net(rep(0.3, 3), c(0.2, 0.3, 0.25)), tau2_method = "DL")
  for (rule in c("majority", "highest", "average")) {
    expect_identical(confidence(fit, all_rob(fit, "low"), margin = 0.1, rule = rule)$within_study_bias,
                     "no concerns")
    expect_identical(confidence(fit, all_rob(fit, "some"), margin = 0.1, rule = rule)$within_study_bias,
                     "some concerns")
    expect_identical(confidence(fit, all_rob(fit, "high"), margin = 0.1, rule = rule)$within_study_bias,
                     "major concerns")
  }
})

test_that("a mix follows the chosen rule by contribution weight (majority, highest, average)", {
  # weights 2 : 1 : 1 (variances 1/2, 1, 1): shares 50%, 25%, 25%
  fit <- nma(pair_net(rep(0.3, 3), sqrt(c(0.5, 1, 1))), tau2_method = "DL")
  rob <- c(s1 = "low", s2 = "some", s3 = "high")
  cf <- function(rule) confidence(fit, rob, margin = 0.1, rule = rule)
  sh <- attr(cf("majority"), "rob_shares")
  expect_equal(unname(sh[1, ]), c(0.5, 0.25, 0.25), tolerance = 1e-6)
  # majority: low has the largest share (50%)
  expect_identical(cf("majority")$within_study_bias, "no concerns")
  # highest: a contributing study is at high risk
  expect_identical(cf("highest")$within_study_bias, "major concerns")
  # average: 0.5 * 1 + 0.25 * 2 + 0.25 * 3 = 1.75, rounds to 2 (some)
  expect_identical(cf("average")$within_study_bias, "some concerns")
  expect_match(cf("average")$within_study_bias_reason, "1.75", fixed = TRUE)
  # weights 1 : 1 : 2: high has 50%, average 2.25 -> some
  fit2 <- nma(pair_net(rep(0.3, 3), sqrt(c(1, 1, 0.5))), tau2_method = "DL")
  expect_identical(confidence(fit2, rob, margin = 0.1)$within_study_bias, "major concerns")
  expect_identical(confidence(fit2, rob, margin = 0.1, rule = "average")$within_study_bias,
                   "some concerns")
  # a tie in the majority rule goes to the higher level: 50% low, 50% high
  fit3 <- nma(pair_net(c(0.3, 0.3), c(0.2, 0.2)), tau2_method = "DL")
  expect_identical(confidence(fit3, c(s1 = "low", s2 = "high"), margin = 0.1)$within_study_bias,
                   "major concerns")
  # indirectness is judged the same way, with its own rule
  ind <- confidence(fit, rob, indirectness = c(s1 = "high", s2 = "low", s3 = "low"),
                    margin = 0.1, indirectness_rule = "majority")
  expect_identical(ind$indirectness, "major concerns")  # high 50% is the largest share
  expect_identical(confidence(fit, rob, margin = 0.1)$indirectness, "not assessed")
  expect_match(confidence(fit, rob, margin = 0.1)$indirectness_reason, "not assessed")
})

test_that("the study shares come from contributions(), which matches netmeta's netcontrib()", {
  # one study per direct comparison: study and comparison contributions coincide
  d <- data.frame(study = c("ab", "bc", "ac", "ad", "cd"),
                  treat1 = c("B", "C", "C", "D", "D"), treat2 = c("A", "B", "A", "A", "C"),
                  estimate = c(0.5, 0.2, 0.6, 1.0, 0.3), std.error = c(0.2, 0.25, 0.3, 0.2, 0.35))
  fit <- nma(d, tau2_method = "DL", reference = "A")
  rob <- c(ab = "low", bc = "some", ac = "high", ad = "low", cd = "some")
  cf <- confidence(fit, rob, margin = 0.2)
  cb <- contributions(fit, study = TRUE)
  ind <- sapply(c("low", "some", "high"), function(l) as.numeric(rob[colnames(cb$study)] == l))
  expect_equal(unname(attr(cf, "rob_shares")), unname(cb$study %*% ind), tolerance = 1e-6)
  nm <- suppressWarnings(netmeta::netmeta(estimate, std.error, treat1, treat2, study, data = d,
                                          method.tau = "DL", reference.group = "A"))
  nc <- netmeta::netcontrib(nm, method = "shortestpath")$random
  nc <- nc / rowSums(nc)
  key <- function(lab, sep) vapply(strsplit(lab, sep, fixed = TRUE),
                                   function(p) paste(sort(p), collapse = ":"), "")
  row_map <- match(key(rownames(cb$weights), " vs "), key(rownames(nc), ":"))
  col_map <- match(key(colnames(cb$weights), " vs "), key(colnames(nc), ":"))
  # study of each direct comparison
  dc <- key(fastnma:::comparison_label(d$treat1, d$treat2), " vs ")
  study_of_col <- d$study[match(key(colnames(cb$weights), " vs "), dc)]
  lev <- rob[study_of_col]
  ref_shares <- sapply(c("low", "some", "high"), function(l) {
    rowSums(nc[row_map, col_map, drop = FALSE][, lev == l, drop = FALSE])
  })
  expect_equal(unname(attr(cf, "rob_shares")), unname(ref_shares), tolerance = 1e-6)
})

test_that("imprecision counts the boundaries of the range inside the CI (CINeMA imprecision rule)", {
  # two equal studies: estimate 1, CI 1 +/- 1.96 * 0.1
  fit <- nma(pair_net(c(1, 1), c(sqrt(0.02), sqrt(0.02))), tau2_method = "DL")
  ci <- unlist(tidy(fit)[, c("conf.low", "conf.high")])
  expect_equal(unname(ci), 1 + c(-1, 1) * stats::qnorm(0.975) * 0.1, tolerance = 1e-6)
  imp <- function(m) confidence(fit, c(s1 = "low", s2 = "low"), margin = m)$imprecision
  # CI entirely beyond the range of equivalence: no concerns
  expect_identical(imp(0.5), "no concerns")
  # CI crosses one boundary (1 is inside (0.80, 1.20)): some concerns
  expect_identical(imp(1), "some concerns")
  # CI spans the whole range: both boundaries inside: major concerns
  expect_identical(imp(c(-0.1, 0.9)), "some concerns")
  expect_identical(imp(c(0, 0.9)), "some concerns")
  fit0 <- nma(pair_net(c(0, 0), c(sqrt(0.02), sqrt(0.02))), tau2_method = "DL")
  imp0 <- function(m) confidence(fit0, c(s1 = "low", s2 = "low"), margin = m)$imprecision
  expect_identical(imp0(0.1), "major concerns")
  expect_identical(imp0(c(-0.1, 0.15)), "major concerns")
  # CI entirely within the range: no boundary inside: no concerns
  expect_identical(imp0(0.5), "no concerns")
  expect_match(confidence(fit0, c(s1 = "low", s2 = "low"), margin = 0.1)$imprecision_reason,
               "spans the whole range")
})

test_that("heterogeneity compares the boundaries inside the PI and the CI (CINeMA heterogeneity table)", {
  d <- pair_net(c(-1, 1, -0.8, 0.8, -0.6, 0.6), rep(0.1, 6))
  fit <- nma(d, tau2_method = "DL")
  expect_gt(fit$tau2, 0.3)
  r <- tidy(fit)
  a <- r$conf.low; b <- r$conf.high; c0 <- r$pred.low; d0 <- r$pred.high
  expect_true(c0 < a && a < 0 && 0 < b && b < d0)
  het <- function(m) confidence(fit, all_rob(fit, "low"), margin = m)$heterogeneity
  hi <- (b + d0) / 2
  # CI crosses 0, PI crosses 2 boundaries: major concerns
  expect_identical(het(c(-hi, hi)), "major concerns")
  # CI crosses 1 (the lower boundary a / 2), PI crosses 2: some concerns
  expect_identical(het(c(a / 2, hi)), "some concerns")
  # both cross the same boundaries (none): no concerns
  expect_identical(het(2 * d0), "no concerns")
  # both cross both boundaries: no concerns
  expect_identical(het(c(a / 2, b / 2)), "no concerns")
})

test_that("without a prediction interval heterogeneity has some concerns and says why; a network without loops has major concerns for incoherence (CINeMA change log 1.7.0)", {
  tree <- data.frame(study = c("s1", "s2"), treat1 = c("B", "C"), treat2 = c("A", "B"),
                     estimate = c(0.1, 0.2), std.error = c(0.1, 0.2))
  fit <- suppressMessages(nma(tree, tau2_method = "DL"))
  cf <- confidence(fit, c(s1 = "low", s2 = "low"), margin = 0.5)
  expect_true(all(is.na(cf$pred.low)))
  expect_identical(unique(cf$heterogeneity), "some concerns")
  expect_match(cf$heterogeneity_reason[1], "prediction interval not available")
  expect_identical(unique(cf$incoherence), "major concerns")
  expect_match(cf$incoherence_reason[1], "no closed loop")
})

# A triangle with two studies per design (so that the within-design tau^2 is
# 0): direct C vs A = `direct`, indirect through B = 0 + 0.
triangle <- function(direct, se = 0.05, extra = FALSE) {
  d <- data.frame(study = paste0("s", 1:6),
                  treat1 = c("B", "B", "C", "C", "C", "C"),
                  treat2 = c("A", "A", "B", "B", "A", "A"),
                  estimate = c(0, 0, 0, 0, direct, direct), std.error = se)
  if (extra) {
    d <- rbind(d, data.frame(study = c("s7", "s8"), treat1 = "D", treat2 = "A",
                             estimate = 0.2, std.error = se))
  }
  d
}

test_that("incoherence of mixed evidence: SIDE p > 0.10 is no concerns; otherwise CI areas decide (CINeMA incoherence rules)", {
  rob8 <- function(fit) all_rob(fit, "low")
  ok <- nma(triangle(0.01), tau2_method = "DL", reference = "A")
  cf <- confidence(ok, rob8(ok), margin = 0.5, model = "common")
  ns <- node_split(ok, model = "common")
  expect_true(all(ns$p.value > 0.10))
  expect_identical(unique(cf$incoherence), "no concerns")
  expect_match(cf$incoherence_reason[1], "SIDE test p")

  bad <- nma(triangle(1), tau2_method = "DL", reference = "A")
  ns <- node_split(bad, model = "common")
  row <- ns[ns$treat1 == "C" & ns$treat2 == "A", ]
  expect_lt(row$p.value, 0.01)
  z <- stats::qnorm(0.975)
  dci <- row$direct + c(-1, 1) * z * row$direct_se
  ici <- row$indirect + c(-1, 1) * z * row$indirect_se
  expect_true(ici[2] < dci[1])
  inc <- function(m) {
    x <- confidence(bad, rob8(bad), margin = m, model = "common")
    x$incoherence[x$treat1 == "C" & x$treat2 == "A"]
  }
  # direct above the range, indirect within it: agree in 1 area -> major
  hi <- (ici[2] + dci[1]) / 2
  expect_identical(inc(c(min(-hi, ici[1] - 0.1), hi)), "major concerns")
  # upper boundary inside the direct CI only: agree in 2 areas -> some
  lo <- min(ici[1], -0.1) - 0.1
  expect_identical(inc(c(lo, mean(dci))), "some concerns")
  # both intervals within a wide range: agree in all 3 areas -> no concerns
  # although the SIDE test is significant
  expect_identical(inc(c(lo, dci[2] + 1)), "no concerns")
})

test_that("incoherence of direct-only and indirect-only comparisons follows the design-by-treatment test (CINeMA change log 1.7.0)", {
  bad <- nma(triangle(1, extra = TRUE), tau2_method = "DL", reference = "A")
  p <- inconsistency(bad)$Q$p.value[4]
  expect_lt(p, 0.05)
  cf <- confidence(bad, all_rob(bad, "low"), margin = 0.5)
  ns <- node_split(bad, comparisons = "all")
  only <- ns$evidence %in% c("direct only", "indirect only")
  key <- paste(cf$treat1, cf$treat2)
  got <- cf$incoherence[match(paste(ns$treat1, ns$treat2)[only], key)]
  expect_true(length(got) >= 2L)
  expect_identical(unique(got), "major concerns")
  expect_equal(glance(cf)$p_value_design, p, tolerance = 1e-6)
  ok <- nma(triangle(0.01, extra = TRUE), tau2_method = "DL", reference = "A")
  expect_gt(inconsistency(ok)$Q$p.value[4], 0.10)
  cf <- confidence(ok, all_rob(ok, "low"), margin = 0.5)
  expect_identical(cf$incoherence[cf$treat1 == "D" & cf$treat2 == "B"], "no concerns")
  expect_match(cf$incoherence_reason[cf$treat1 == "D" & cf$treat2 == "B"], "indirect only")
  # the design-by-treatment p-value agrees with netmeta's decomp.design()
  nm <- suppressWarnings(netmeta::netmeta(estimate, std.error, treat1, treat2, study,
                                          data = triangle(1, extra = TRUE), method.tau = "DL"))
  dd <- netmeta::decomp.design(nm)
  expect_equal(p, dd$Q.inc.random$pval, tolerance = 1e-6)
})

test_that("the rating starts at high and drops one level per some and two per major concerns (Nikolakopoulou et al. 2020)", {
  fit <- nma(pair_net(c(1, 1, 1), c(0.1, 0.1, 0.1)), tau2_method = "DL")
  rob <- c(s1 = "low", s2 = "low", s3 = "low")
  base <- confidence(fit, rob, margin = 0.2)
  expect_false(is.na(base$pred.low))
  dom <- c("within_study_bias", "imprecision", "heterogeneity")
  expect_identical(unlist(base[dom], use.names = FALSE), rep("no concerns", 3))
  # without input, reporting bias and indirectness are not assessed (not
  # "no concerns"), and the rating's reason says it does not cover them
  expect_identical(c(base$reporting_bias, base$indirectness), rep("not assessed", 2))
  expect_match(base$confidence_reason, "not assessed (not counted): reporting bias, indirectness",
               fixed = TRUE)
  # incoherence: two treatments, no loop -> major concerns -> low
  expect_identical(base$incoherence, "major concerns")
  expect_identical(base$confidence, "low")
  ov <- function(domain, judgement, reason = "reviewers' judgement") {
    data.frame(treat1 = "B", treat2 = "A", domain = domain, judgement = judgement, reason = reason)
  }
  rate <- function(...) confidence(fit, rob, margin = 0.2, override = rbind(...))$confidence
  inc_no <- ov("incoherence", "no concerns", "a pairwise comparison has no loop")
  expect_identical(rate(inc_no), "high")
  expect_identical(rate(inc_no, ov("reporting_bias", "some concerns")), "moderate")
  expect_identical(rate(inc_no, ov("imprecision", "major concerns")), "low")
  expect_identical(rate(inc_no, ov("imprecision", "some concerns"), ov("heterogeneity", "some concerns")), "low")
  expect_identical(rate(inc_no, ov("imprecision", "some concerns"), ov("heterogeneity", "major concerns")), "very low")
  expect_identical(rate(inc_no, ov("imprecision", "major concerns"), ov("heterogeneity", "major concerns")), "very low")
  # the final call: the rating itself, with a reason kept next to the rule's
  x <- confidence(fit, rob, margin = 0.2,
                  override = rbind(inc_no, ov("confidence", "moderate", "related domains counted once")))
  expect_identical(x$confidence, "moderate")
  expect_match(x$confidence_reason, "related domains counted once", fixed = TRUE)
  expect_match(x$confidence_reason, "the rules gave 'high'", fixed = TRUE)
  expect_match(x$incoherence_reason, "the rules gave 'major concerns'", fixed = TRUE)
  expect_identical(x$overridden, "incoherence, confidence")
  # either orientation names the comparison
  y <- confidence(fit, rob, margin = 0.2,
                  override = data.frame(treat1 = "A", treat2 = "B", domain = "incoherence",
                                        judgement = "no concerns", reason = "no loop"))
  expect_identical(y$incoherence, "no concerns")
})

test_that("reporting bias: user judgements, or Egger's test where asked (matches metafor's regtest)", {
  set.seed(11)
  k <- 14
  se <- seq(0.08, 0.6, length.out = k)
  y <- 0.2 + 1.2 * se + stats::rnorm(k, 0, se)   # small-study effect
  d <- pair_net(y, se)
  fit <- nma(d, tau2_method = "DL")
  eg <- fastnma:::egger_tests(fit)
  ma <- metafor::rma(yi = y, sei = se, method = "FE")
  rt <- metafor::regtest(ma, model = "lm", predictor = "sei")
  expect_equal(eg$p.value, rt$pval, tolerance = 1e-6)
  expect_equal(eg$statistic, rt$zval, tolerance = 1e-6)
  expect_lt(eg$p.value, 0.10)
  rob <- all_rob(fit, "low")
  cf <- confidence(fit, rob, margin = 0.2, reporting_bias = "egger")
  expect_identical(cf$reporting_bias, "some concerns")
  expect_match(cf$reporting_bias_reason, "Egger")
  # too few studies: not testable, said so
  few <- nma(d[1:5, ], tau2_method = "DL")
  cf <- confidence(few, all_rob(few, "low"), margin = 0.2, reporting_bias = "egger")
  expect_identical(cf$reporting_bias, "not assessed")
  expect_match(cf$reporting_bias_reason, "not testable")
  # user judgements by comparison label, either orientation
  cf <- confidence(fit, rob, margin = 0.2, reporting_bias = c(`A vs B` = "suspected"))
  expect_identical(cf$reporting_bias, "some concerns")
  cf <- confidence(fit, rob, margin = 0.2,
                   reporting_bias = data.frame(treat1 = "B", treat2 = "A",
                                               judgement = "major concerns", reason = "unpublished trials"))
  expect_identical(cf$reporting_bias, "major concerns")
  expect_match(cf$reporting_bias_reason, "unpublished trials")
})

test_that("tidy(), glance(), print(), summary() and the figures follow the result contract", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL", reference = "plac")
  rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)), fit$studies)
  cf <- confidence(fit, rob, margin = 0.2)
  td <- tidy(cf)
  n <- length(fit$treatments)
  expect_identical(nrow(td), as.integer(n * (n - 1) / 2))
  expect_identical(td$term, paste(td$treat1, "vs", td$treat2))
  all <- tidy(fit, comparisons = "all")
  expect_identical(td$term, all$term)
  expect_equal(td$estimate, all$estimate)
  expect_equal(td$pred.low, all$pred.low)
  expect_true(all(unlist(td[fastnma:::confidence_domains[c(1, 4:6)]]) %in% fastnma:::concern_levels))
  expect_identical(unique(c(td$reporting_bias, td$indirectness)), "not assessed")
  expect_true(all(td$confidence %in% c("high", "moderate", "low", "very low")))
  expect_false(anyNA(td$imprecision_reason))
  expect_false(any(c("conf.low", "conf.high") %in% names(tidy(cf, conf.int = FALSE))))
  g <- glance(cf)
  expect_identical(nrow(g), 1L)
  expect_identical(g$n_high + g$n_moderate + g$n_low + g$n_very_low, nrow(td))
  expect_output(print(cf), "CINeMA")
  expect_output(print(summary(cf)), "Judgements by domain")
  expect_error(print(cf, digitz = 1), class = "fastnma_error_dots")
  expect_s3_class(as.data.frame(cf), "data.frame")
  # a subset of comparisons
  sub <- confidence(fit, rob, margin = 0.2, comparisons = c("acar vs plac", "plac vs metf"))
  expect_identical(paste(sub$treat1, sub$treat2), c("acar plac", "metf plac"))
  # traffic-light table: comparisons x 7 columns, fill = judgement
  p <- autoplot(cf, order = "confidence", max_rows = 10)
  expect_s3_class(p, "ggplot")
  b <- ggplot2::ggplot_build(p)
  # six domain columns (fill: the judgement) and the rating column (colour:
  # the rating), each with its own legend
  expect_identical(nrow(b$data[[1]]), 60L)
  expect_identical(nrow(b$data[[2]]), 10L)
  rating <- p$layers[[2]]$data
  expect_identical(as.character(rating$rating[1]), "very low")
  expect_setequal(levels(p$data$judgement), c(fastnma:::concern_levels, "not assessed"))
  expect_identical(p$scales$get_scales("fill")$name, "Domain judgement")
  expect_identical(p$scales$get_scales("colour")$name, "Confidence rating")
  expect_match(p$labels$caption, "10 of 45 comparisons shown (page 1 of 5)", fixed = TRUE)
  # risk-of-bias bars: shares of each comparison sum to 100%
  q <- autoplot(cf, type = "rob", comparisons = c("acar vs plac", "metf vs plac"))
  sums <- tapply(q$data$percent, q$data$term, sum)
  expect_equal(as.vector(sums), c(100, 100), tolerance = 1e-6)
  expect_error(autoplot(cf, type = "rob", domain = "indirectness"), class = "fastnma_error_not_computed")
  expect_error(autoplot(cf, comparisons = "x vs y"), class = "fastnma_error_comparison_selection")
})

test_that("bad input stops with classed errors naming the study or comparison", {
  fit <- nma(pair_net(c(1, 1), c(0.1, 0.1)), tau2_method = "DL")
  rob <- c(s1 = "low", s2 = "high")
  expect_error(confidence(fit, rob), class = "fastnma_error_missing_argument")
  expect_error(confidence(fit, margin = 0.1), class = "fastnma_error_missing_argument")
  for (m in list(-1, 0, c(0.2, 0.1), c(0.1, 0.3), NA, "a")) {
    expect_error(confidence(fit, rob, margin = m), class = "fastnma_error_margin")
  }
  err <- expect_error(confidence(fit, c(s1 = "low"), margin = 0.1), class = "fastnma_error_judgement")
  expect_match(conditionMessage(err), "s2")
  err <- expect_error(confidence(fit, c(s1 = "low", s2 = "awful"), margin = 0.1),
                      class = "fastnma_error_judgement")
  expect_match(conditionMessage(err), "s2")
  expect_error(confidence(fit, c(s1 = "low", s2 = "low", s9 = "low"), margin = 0.1),
               class = "fastnma_error_judgement")
  expect_error(confidence(fit, c("low", "low"), margin = 0.1), class = "fastnma_error_judgement")
  # a data frame of judgements works the same way
  expect_identical(confidence(fit, data.frame(study = c("s1", "s2"), rob = c("L", "H")),
                              margin = 0.1)$within_study_bias, "major concerns")
  expect_error(confidence(fit, rob, margin = 0.1,
                          override = data.frame(treat1 = "B", treat2 = "A", domain = "imprecision",
                                                judgement = "no concerns", reason = "")),
               class = "fastnma_error_override")
  expect_error(confidence(fit, rob, margin = 0.1,
                          override = data.frame(treat1 = "B", treat2 = "A", domain = "bias",
                                                judgement = "no concerns", reason = "x")),
               class = "fastnma_error_override")
  expect_error(confidence(fit, rob, margin = 0.1, comparisons = "B vs Z"),
               class = "fastnma_error_comparison_selection")
  expect_error(confidence(fit, rob, margin = 0.1, rule = "mean"), class = "fastnma_error_choice")
  expect_error(confidence(fit, rob, margin = 0.1, foo = 1), class = "fastnma_error_unknown_argument")
  mh <- suppressMessages(nma_binary(dong2013, measure = "OR"))
  expect_error(confidence(mh, all_rob(mh, "low"), margin = 0.1), class = "fastnma_error_not_supported")
})

test_that("the simulated MSC risk-of-bias column is declared and complete", {
  sim <- simulate_msc_extraction(seed = 42)
  rob <- msc_simulated_rob(sim)
  expect_setequal(names(rob), unique(sim$study))
  expect_true(all(rob %in% c("low", "some", "high")))
  expect_match(attr(rob, "rule"), "SIMULATED")
  # placebo-controlled Kuah 2018 is low; Vangsness 2014 (comparator not read) high
  expect_identical(unname(rob[c("kuah2018", "vangsness2014", "vega2015")]), c("low", "high", "some"))
  res <- suppressMessages(analyse_msc(sim, outcome = "womac_pain"))
  cf <- confidence(res$fit, rob[res$fit$studies], margin = 1)
  expect_identical(nrow(cf), 3L)
})

test_that("the design-by-treatment bands: p > 0.10 no, 0.05-0.10 some, < 0.05 major concerns (CINeMA change log 1.7.0)", {
  band <- function(p) fastnma:::judge_by_design_test(list(Q = 3, df = 2L, p.value = p))$judgement
  expect_identical(band(0.5), "no concerns")
  expect_identical(band(0.1000001), "no concerns")
  expect_identical(band(0.10), "some concerns")
  expect_identical(band(0.07), "some concerns")
  expect_identical(band(0.05), "some concerns")
  expect_identical(band(0.0499), "major concerns")
  expect_identical(fastnma:::judge_by_design_test(list(Q = NA, df = 0L, p.value = NA))$judgement,
                   "major concerns")
})

# A triangle of two-arm studies (s4, B vs A, shifted far from the others),
# with a pair (D vs C) that has direct evidence only through one study.
robust_net <- function() {
  d <- data.frame(study = paste0("s", 1:12), treat1 = rep(c("B", "C", "C"), 4),
                  treat2 = rep(c("A", "A", "B"), 4),
                  TE = c(0.31, 0.94, 0.55, 5.27, 1.04, 0.51, 0.52, 1.22, 0.26, 0.75, 0.85, 0.27),
                  seTE = 1, stringsAsFactors = FALSE)
  rbind(d, data.frame(study = "s13", treat1 = "D", treat2 = "C", TE = -0.2, seTE = 0.8))
}

test_that("robustness = TRUE adds the threshold of threshold(level = \"contrast\") and the outlying studies of outliers(); the default is unchanged", {
  d <- robust_net()
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  rob <- stats::setNames(rep(c("low", "some", "high"), length.out = 13), fit$studies)
  for (m in c("random", "common")) {
    base <- confidence(fit, rob, margin = 0.2, model = m)
    expect_identical(confidence(fit, rob, margin = 0.2, model = m, robustness = FALSE), base)
    expect_false(any(c("threshold_se", "outlying_studies") %in% names(base)))
    cf <- confidence(fit, rob, margin = 0.2, model = m, robustness = TRUE)
    expect_identical(names(cf), c(names(base), "threshold_se", "outlying_studies"))
    # the six domains, the rating and the estimates are the same
    expect_identical(as.data.frame(cf)[names(base)], as.data.frame(base))
    # threshold_se: min_threshold_se of the comparison's direct estimate
    th <- as.data.frame(threshold(fit, level = "contrast", model = m))
    key <- function(a, b) paste(pmin(a, b), pmax(a, b))
    want <- th$min_threshold_se[match(key(cf$treat1, cf$treat2), key(th$treat1, th$treat2))]
    expect_equal(cf$threshold_se, want, tolerance = 1e-12)
    direct <- key(cf$treat1, cf$treat2) %in% key(d$treat1, d$treat2)
    expect_identical(is.na(cf$threshold_se), !direct)
    expect_true(all(cf$threshold_se[direct] > 0))
    # outlying_studies: studies of the pair with |studentized deleted residual| > 2
    st <- outliers(fit, model = m)$studies
    flagged <- st$study[which(abs(st$stud_residual_deleted) > 2)]
    expect_identical(flagged, "s4")
    want_out <- vapply(key(cf$treat1, cf$treat2), function(p) {
      s <- d$study[key(d$treat1, d$treat2) == p]
      paste(fit$studies[fit$studies %in% intersect(s, flagged)], collapse = ", ")
    }, character(1), USE.NAMES = FALSE)
    expect_identical(cf$outlying_studies, want_out)
    expect_identical(cf$outlying_studies[cf$treat1 == "B" & cf$treat2 == "A"], "s4")
    # tidy() keeps them
    expect_identical(tidy(cf)$threshold_se, cf$threshold_se)
    expect_identical(tidy(cf)$outlying_studies, cf$outlying_studies)
  }
  # print() shows them only when present
  withr::local_options(width = 80)
  out <- capture.output(print(confidence(fit, rob, margin = 0.2, robustness = TRUE)))
  expect_true(any(grepl("thresh_se", out)))
  expect_true(any(grepl("s4", out)))
  expect_true(all(nchar(out) <= 80))
  expect_false(any(grepl("thresh_se|Robustness", capture.output(print(confidence(fit, rob, margin = 0.2))))))
  expect_error(confidence(fit, rob, margin = 0.2, robustness = NA), class = "fastnma_error_choice")
  expect_error(confidence(fit, rob, margin = 0.2, robustness = "yes"), class = "fastnma_error_choice")
})

test_that("Egger's test is joined to each comparison's direct evidence in a network of three treatments", {
  set.seed(7)
  k <- 14
  se <- seq(0.08, 0.6, length.out = k)
  ab <- data.frame(study = paste0("ab", 1:k), treat1 = "B", treat2 = "A",
                   estimate = 0.2 + 1.2 * se + stats::rnorm(k, 0, se), std.error = se)
  # the A-C studies are given the other way round (A vs C): the join must not
  # depend on the direction in which a comparison is written
  ac <- data.frame(study = paste0("ac", 1:k), treat1 = "A", treat2 = "C",
                   estimate = stats::rnorm(k, 0.1, 0.02), std.error = rev(se))
  bc <- data.frame(study = paste0("bc", 1:3), treat1 = "C", treat2 = "B",
                   estimate = c(0.1, 0.2, 0.15), std.error = c(0.2, 0.25, 0.3))
  fit <- nma(rbind(ab, ac, bc), reference = "A", tau2_method = "DL")
  eg <- fastnma:::egger_tests(fit)
  key <- function(t1, t2) fastnma:::comparison_key(fit, t1, t2)
  p <- stats::setNames(eg$p.value, eg$key)
  expect_lt(p[[as.character(key("B", "A"))]], 0.10)
  expect_gt(p[[as.character(key("C", "A"))]], 0.10)
  cf <- confidence(fit, all_rob(fit, "low"), margin = 0.2, reporting_bias = "egger",
                   min_studies_egger = 10)
  cb <- contributions(fit, method = "shortestpath", model = "random")
  w <- cb$weights[paste(cf$treat1, "vs", cf$treat2), , drop = FALSE]
  flagged <- w[, "B vs A"]
  tested <- flagged + w[, "C vs A"]
  pct <- function(x) paste0(formatC(100 * x, digits = 0, format = "f"), "%")
  expect_identical(cf$reporting_bias, ifelse(flagged > 0.5, "some concerns", "no concerns"),
                   ignore_attr = TRUE)
  expect_identical(cf$reporting_bias_reason,
                   sprintf("Egger's test: direct comparisons with p < 0.10 contribute %s (tested direct comparisons contribute %s)",
                           pct(flagged), pct(tested)), ignore_attr = TRUE)
  expect_identical(cf$reporting_bias[cf$treat1 == "B" & cf$treat2 == "A"], "some concerns")
})

# confidence(rules = "cinema"): the rules of the CINeMA software (v2.0.0) on
# its own demo network, checked against the paper's stated results and
# against a plain re-implementation of the rules (written here from their
# descriptions, fed netmeta's numbers, as the web application is fed its R
# backend's), and each rule detail at its boundary.

elliott <- function() {
  e <- utils::read.csv(test_path("fixtures", "Elliott_2007.csv"), stringsAsFactors = FALSE)
  e$study <- trimws(e$study)
  e
}
elliott_fit <- function(e = elliott()) {
  ac <- arm_contrasts(e, study = study, treatment = t, events = r, n = n, measure = "OR")
  nma(ac, tau2_method = "DL", reference = "Placebo")
}
elliott_rob <- function(e = elliott()) {
  rob <- e$rob[!duplicated(e$study)]
  stats::setNames(rob, e$study[!duplicated(e$study)])
}
# netmeta's DL fit of the network, fitted once per test process
.elliott_nm <- new.env()
elliott_netmeta <- function() {
  if (is.null(.elliott_nm$fit)) {
    p <- meta::pairwise(treat = t, event = r, n = n, studlab = study, data = elliott(), sm = "OR")
    .elliott_nm$fit <- suppressWarnings(netmeta::netmeta(p, method.tau = "DL", reference.group = "Placebo"))
  }
  .elliott_nm$fit
}
# "B vs A" or "A vs B" -> "A:B" with the labels sorted
pair_key <- function(lab, sep) {
  vapply(strsplit(lab, sep, fixed = TRUE), function(p) paste(sort(p), collapse = ":"), "")
}

test_that("Elliott 2007: the software paper's contributions and worked examples are reproduced", {
  fit <- elliott_fit()
  rob <- elliott_rob()
  # Appendix Table 1: contributions to BBlocker vs ACE (%)
  cb <- contributions(fit, method = "cinema", comparisons = "BBlocker vs ACE")
  w <- 100 * cb$weights["BBlocker vs ACE", ]
  expect_identical(round(unname(w["BBlocker vs ACE"]), 2), 43.35)
  expect_identical(round(unname(w["CCB vs ACE"]), 2), 10.79)
  # the paper gives 7.2182%; netmeta 3.7.0 (checked live below) gives
  # 7.2224%: they agree to the first decimal
  expect_identical(round(unname(w["ACE vs Placebo"]), 1), 7.2)

  cf <- confidence(fit, rob = rob, margin = log(1.2), rules = "cinema")
  get <- function(term) cf[paste(cf$treat1, "vs", cf$treat2) == term, ]
  # Diuretic vs Placebo, CI 1.12 to 1.57: imprecision "no concerns"
  dp <- get("Diuretic vs Placebo")
  expect_identical(round(exp(c(dp$conf.low, dp$conf.high)), 2), c(1.12, 1.57))
  expect_identical(dp$imprecision, "no concerns")
  # the earlier two-limit rule says "some concerns" (it crosses 1.2)
  old <- confidence(fit, rob = rob, margin = log(1.2))
  expect_identical(old$imprecision[paste(old$treat1, "vs", old$treat2) == "Diuretic vs Placebo"],
                   "some concerns")
  # BBlocker vs Placebo, CI 1.05 to 1.46, PI 0.90 to 1.70: heterogeneity "some concerns"
  bp <- get("BBlocker vs Placebo")
  expect_identical(round(exp(c(bp$conf.low, bp$conf.high, bp$pred.low, bp$pred.high)), 2),
                   c(1.05, 1.46, 0.90, 1.70))
  expect_identical(bp$heterogeneity, "some concerns")
  expect_identical(old$heterogeneity[paste(old$treat1, "vs", old$treat2) == "BBlocker vs Placebo"],
                   "no concerns")
  expect_identical(attr(cf, "rules"), "cinema")
  # the contribution row equals netmeta's, live
  skip_if_not_installed("netmeta")
  nm <- elliott_netmeta()
  nc <- netmeta::netcontrib(nm, hatmatrix.F1000 = TRUE)$random
  row <- match("ACE:BBlocker", pair_key(rownames(nc), ":"))
  col <- match(pair_key(names(w), " vs "), pair_key(colnames(nc), ":"))
  expect_lt(max(abs(w - 100 * nc[row, col])), 1e-8)
})

# The software's rules, written out from their descriptions (?confidence,
# section "The CINeMA software's rules"), fed netmeta's numbers: the
# judgements of one comparison `a` vs `b` under the within-study bias rule
# `rule`. `delta`: the clinically important value on the analysis scale;
# `ref`: netmeta's node-splitting, design-by-treatment p-value and
# contributions (netmeta_numbers()).
netmeta_numbers <- function(nm) {
  list(ns = netmeta::netsplit(nm), p_dbt = netmeta::decomp.design(nm)$Q.inc.random$pval,
       cw = netmeta::netcontrib(nm, hatmatrix.F1000 = TRUE)$random)
}
cinema_by_hand <- function(nm, ref, rob, a, b, delta, ratio, rule) {
  levels <- c("no concerns", "some concerns", "major concerns")
  # the clinically important values, rounded to three decimals; the null
  null <- if (ratio) 1 else 0
  ci_values <- round(if (ratio) exp(c(-delta, delta)) else c(-delta, delta), 3)
  # interval limits as the software shows them: three decimals on the
  # analysis scale, then (ratio measures) exponentiated, three decimals
  shown <- function(x) if (ratio) round(exp(round(x, 3)), 3) else round(x, 3)
  # boundaries of `zone` the interval reaches (a limit on a boundary
  # reaches it)
  n_inside <- function(lo, hi, zone) sum(lo <= zone & zone <= hi)
  te <- nm$TE.random[a, b]
  lo <- shown(nm$lower.random[a, b])
  hi <- shown(nm$upper.random[a, b])
  plo <- shown(nm$lower.predict[a, b])
  phi <- shown(nm$upper.predict[a, b])
  inside <- lo > ci_values[1] && hi < ci_values[2]
  zone <- if (inside) ci_values else if (te > 0) c(ci_values[1], null) else c(null, ci_values[2])
  # imprecision: no / one / both boundaries of the zone crossed
  imp <- if (inside) 1 else 1 + n_inside(lo, hi, zone)
  # heterogeneity: one plus the PI's crossings minus the CI's
  n_ci <- if (inside) 0 else n_inside(lo, hi, zone)
  het <- min(max(1 + n_inside(plo, phi, zone) - n_ci, 1), 3)
  # incoherence: SIDE for mixed evidence, else the design-by-treatment test
  ns <- ref$ns
  key <- paste(sort(c(a, b)), collapse = ":")
  i <- match(key, pair_key(ns$comparison, ":"))
  p_side <- ns$compare.random$p[i]
  if (!is.na(p_side)) {
    area <- function(l, u) c(l < -delta, u > -delta & l < delta, u > delta)
    agree <- sum(area(ns$direct.random$lower[i], ns$direct.random$upper[i]) ==
                   area(ns$indirect.random$lower[i], ns$indirect.random$upper[i]))
    inc <- if (round(p_side, 3) >= 0.1 || agree == 3) 1 else if (agree == 2) 2 else 3
  } else {
    p3 <- round(ref$p_dbt, 3)
    inc <- if (p3 <= 0.05) 3 else if (p3 <= 0.10) 2 else 1
  }
  # within-study bias: netmeta's comparison contributions, split among a
  # comparison's studies by 1 / (seTE.adj^2 + tau^2) (netmeta's own study
  # table matches studies to a comparison only in the orientation of its
  # label, and drops those labelled the other way round)
  cw <- ref$cw
  st_key <- pair_key(paste(nm$treat1, nm$treat2, sep = ":"), ":")
  w_adj <- 1 / (nm$seTE.adj^2 + nm$tau2)
  row <- cw[match(key, pair_key(rownames(cw), ":")), ]
  per <- row[match(st_key, pair_key(names(row), ":"))] * w_adj / ave(w_adj, st_key, FUN = sum)
  contrib <- tapply(per, nm$studlab, sum)
  lev <- rob[names(contrib)]
  shares <- vapply(1:3, function(l) sum(contrib[lev == l]), 0)
  wsb <- switch(rule,
                majority = which(shares >= max(shares) - 1e-12)[1],
                highest = max(lev),
                # halves round up (a half is a half up to rounding error)
                average = floor(sum(shares * 1:3) / sum(shares) + 0.5 + 1e-9))
  list(imprecision = levels[imp], heterogeneity = levels[het], incoherence = levels[inc],
       within_study_bias = levels[wsb], contrib_sum = sum(contrib))
}

# Every judgement of confidence(rules = "cinema") against cinema_by_hand().
expect_cinema_by_hand <- function(fit, nm, rob, delta, ratio) {
  rob_num <- stats::setNames(match(rob, c("low", "some", "high")), names(rob))
  ref <- netmeta_numbers(nm)
  for (rule in c("majority", "highest", "average")) {
    cf <- confidence(fit, rob = rob, margin = delta, rule = rule, rules = "cinema")
    for (r in seq_len(nrow(cf))) {
      a <- cf$treat1[r]
      b <- cf$treat2[r]
      hand <- cinema_by_hand(nm, ref, rob_num, a, b, delta, ratio, rule)
      expect_equal(hand$contrib_sum, 1, tolerance = 1e-10)
      for (d in c("imprecision", "heterogeneity", "incoherence", "within_study_bias")) {
        expect_identical(cf[[d]][r], hand[[d]], label = paste(a, "vs", b, d, rule))
      }
    }
  }
}

test_that("Elliott 2007: every judgement equals the software's rules re-implemented here on netmeta's numbers", {
  skip_if_not_installed("netmeta")
  e <- elliott()
  nm <- elliott_netmeta()
  rob <- c("low", "some", "high")[elliott_rob(e)]
  names(rob) <- names(elliott_rob(e))
  expect_cinema_by_hand(elliott_fit(e), nm, rob, log(1.2), ratio = TRUE)
})

test_that("two more networks with multi-arm studies: every judgement equals the re-implemented rules", {
  skip_if_not_installed("netmeta")
  for (case in list(list(file = "Senn2013_input.csv", delta = 0.2, ratio = FALSE),
                    list(file = "Dong2013_OR_contrasts.csv", delta = log(1.25), ratio = TRUE))) {
    d <- diag_read(case$file)
    fit <- diag_fit(case$file)
    expect_gt(max(fit$n_arms), 2)
    nm <- netmeta_fit(d)
    # a declared judgement per study, cycling through the levels
    rob <- stats::setNames(rep(c("low", "some", "high", "low"), length.out = length(fit$studies)),
                           fit$studies)
    expect_cinema_by_hand(fit, nm, rob, case$delta, case$ratio)
  }
})

test_that("the majority rule gives a tie to the lower level under the software's rules", {
  d <- data.frame(study = c("s1", "s2"), treat1 = "B", treat2 = "A", estimate = c(0.3, 0.3),
                  std.error = c(0.2, 0.2))
  fit <- nma(d, tau2_method = "DL")
  rob <- c(s1 = "low", s2 = "high")
  expect_identical(confidence(fit, rob, margin = 0.1, rules = "cinema")$within_study_bias, "no concerns")
  expect_identical(confidence(fit, rob, margin = 0.1)$within_study_bias, "major concerns")
  # no tie: the larger share wins under both
  fit2 <- nma(transform(d, std.error = c(0.2, 0.19)), tau2_method = "DL")
  expect_identical(confidence(fit2, rob, margin = 0.1, rules = "cinema")$within_study_bias, "major concerns")
})

test_that("the highest rule counts a study with 0% contribution under the software's rules", {
  # a tree: C vs B takes nothing from the A-D study, which is at high risk
  d <- data.frame(study = c("ab", "bc", "ad"), treat1 = c("B", "C", "D"), treat2 = c("A", "B", "A"),
                  estimate = c(0.2, 0.3, 0.1), std.error = c(0.2, 0.2, 0.2))
  # (no loop: tau^2 is set to 0, with a message)
  fit <- suppressMessages(nma(d, tau2_method = "DL", reference = "A"))
  rob <- c(ab = "low", bc = "low", ad = "high")
  cf <- confidence(fit, rob, margin = 0.1, rule = "highest", rules = "cinema",
                   comparisons = "C vs B")
  expect_equal(unname(attr(cf, "rob_shares")[1, ]), c(1, 0, 0))
  expect_identical(cf$within_study_bias, "major concerns")
  old <- confidence(fit, rob, margin = 0.1, rule = "highest", comparisons = "C vs B")
  expect_identical(old$within_study_bias, "no concerns")
})

test_that("p-values are rounded to three decimals: 0.0502 is 'major', a SIDE p of 0.0997 'no concerns'", {
  range <- c(-0.1, 0.1)
  z <- stats::qnorm(0.975)
  indirect_only <- data.frame(evidence = "indirect only", p.value = NA_real_, direct = NA_real_,
                              direct_se = NA_real_, indirect = 0.5, indirect_se = 0.1)
  dbt <- function(p) list(Q = 10, df = 4L, p.value = p)
  judge <- fastnma:::judge_incoherence_cinema
  judge_old <- fastnma:::judge_incoherence
  expect_identical(judge(indirect_only, dbt(0.0502), range, z)$judgement, "major concerns")
  expect_identical(judge_old(indirect_only, dbt(0.0502), range, z)$judgement, "some concerns")
  expect_identical(judge(indirect_only, dbt(0.0506), range, z)$judgement, "some concerns")
  expect_identical(judge(indirect_only, dbt(0.1004), range, z)$judgement, "some concerns")
  expect_identical(judge(indirect_only, dbt(0.1006), range, z)$judgement, "no concerns")
  # mixed evidence whose direct and indirect intervals disagree in every area
  mixed <- data.frame(evidence = "mixed", p.value = 0.0997, direct = -1, direct_se = 0.1,
                      indirect = 1, indirect_se = 0.1)
  expect_identical(judge(mixed, dbt(0.5), range, z)$judgement, "no concerns")
  expect_identical(judge_old(mixed, dbt(0.5), range, z)$judgement, "major concerns")
  mixed$p.value <- 0.0994
  expect_identical(judge(mixed, dbt(0.5), range, z)$judgement, "major concerns")
})

test_that("CINeMA 2.0's reporting-bias labels are accepted beside 1.x's", {
  fit <- elliott_fit()
  rob <- elliott_rob()
  rb <- c(`ACE vs Placebo` = "High risk", `ARB vs Placebo` = "Low risk",
          `CCB vs Placebo` = "Some concerns", `BBlocker vs Placebo` = "suspected",
          `Diuretic vs Placebo` = "undetected")
  for (rules in c("framework", "cinema")) {
    cf <- confidence(fit, rob, margin = log(1.2), reporting_bias = rb, rules = rules,
                     comparisons = names(rb))
    expect_identical(cf$reporting_bias[match(names(rb), paste(cf$treat1, "vs", cf$treat2))],
                     c("major concerns", "no concerns", "some concerns", "some concerns", "no concerns"))
  }
  expect_error(confidence(fit, rob, margin = log(1.2), reporting_bias = c(`ACE vs Placebo` = "dreadful")),
               class = "fastnma_error_judgement")
})

test_that("the earlier rules stay the default; the print names the rules and calls the rating a suggestion", {
  fit <- elliott_fit()
  rob <- elliott_rob()
  a <- confidence(fit, rob, margin = log(1.2))
  b <- confidence(fit, rob, margin = log(1.2), rules = "framework")
  expect_identical(as.data.frame(a), as.data.frame(b))
  expect_identical(attr(a, "rules"), "framework")
  cf <- confidence(fit, rob, margin = log(1.2), rules = "cinema")
  # the two rule sets disagree on this network
  expect_gt(sum(cf$imprecision != a$imprecision), 0)
  expect_gt(sum(cf$heterogeneity != a$heterogeneity), 0)
  old <- options(width = 80)
  on.exit(options(old))
  out <- capture.output(print(cf))
  expect_true(any(grepl("CINeMA software (v2.0.0", out, fixed = TRUE)))
  expect_true(any(grepl("suggestion", out, fixed = TRUE)))
  expect_true(all(nchar(out) <= 80))
  expect_match(cf$imprecision_reason[1], "CINeMA 2.0.0")
  expect_error(confidence(fit, rob, margin = log(1.2), rules = "web"), class = "fastnma_error_choice")
})

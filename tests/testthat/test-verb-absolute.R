test_that("absolute effects follow the relative effects (RR, OR, RD)", {
  for (sm in c("RR", "OR", "RD")) {
    fit <- suppressMessages(nma_binary(dong2013, measure = sm, reference = "Placebo"))
    ae <- absolute_effects(fit, baseline_risk = c(low = 0.02, high = 0.1), per = 1000)
    td <- tidy(fit)
    expect_identical(nrow(ae), 2L * nrow(td))
    p0 <- ae$baseline_risk
    est <- rep(td$estimate, 2)
    hi <- rep(td$conf.high, 2)
    risk <- switch(sm, RR = p0 * exp(est),
                   OR = p0 * exp(est) / (1 - p0 + p0 * exp(est)), RD = p0 + est)
    expect_equal(ae$risk, risk)
    expect_equal(ae$difference, 1000 * (risk - p0))
    risk_hi <- switch(sm, RR = p0 * exp(hi),
                      OR = p0 * exp(hi) / (1 - p0 + p0 * exp(hi)), RD = p0 + hi)
    expect_equal(ae$difference_upper, 1000 * (risk_hi - p0))
    expect_identical(unique(ae$scenario), c("low", "high"))
  }
  iv <- suppressMessages(nma_binary(dong2013, measure = "RR", method = "IV"))
  expect_equal(absolute_effects(iv, 0.05)$relative, exp(tidy(iv)$estimate))
  expect_error(absolute_effects(iv, 1.2), class = "fastnma_error_risk")
  expect_error(absolute_effects(fit, 0.1, model = "random"), class = "fastnma_error_model")
})

test_that("benefit_harm: effects vs a common reference and P-scores (netmeta's)", {
  ps <- fixture("smokingcessation_OR_pscores.csv")
  eff <- suppressMessages(nma_binary(smokingcessation, measure = "OR", method = "IV",
                                     tau2_method = "DL"))
  harm <- suppressMessages(nma_binary(smokingcessation, measure = "OR"))
  bh <- benefit_harm(eff, harm, reference = "B", efficacy_small_values = "desirable")
  expect_identical(bh$treatment, c("B", "A", "C", "D"))
  expect_equal(bh$pscore_efficacy, ps$pscore_random[match(bh$treatment, ps$treatment)],
               tolerance = 1e-6)
  expect_equal(bh$efficacy[bh$treatment == "C"],
               unname(eff$random$theta["C"] - eff$random$theta["B"]))
  expect_equal(bh$harm[bh$treatment == "D"],
               unname(harm$common$theta["D"] - harm$common$theta["B"]))
  # large values desirable: P-scores mirror
  bh2 <- benefit_harm(eff, harm, reference = "B", efficacy_small_values = "undesirable")
  expect_equal(bh2$pscore_efficacy, 1 - bh$pscore_efficacy)
  expect_error(benefit_harm(eff, harm, reference = "Z"), class = "fastnma_error_reference")
})

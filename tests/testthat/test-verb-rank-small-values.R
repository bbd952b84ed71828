# small_values is part of the fit: rankings, the forest's ranking column and
# benefit_harm() use it without repeating it, and each call can override it.

smoking_fits <- function(...) {
  ac <- suppressMessages(arm_contrasts(smokingcessation, measure = "OR"))
  list(down = nma(ac, tau2_method = "DL", ...),
       up = nma(ac, tau2_method = "DL", small_values = "undesirable", ...))
}

test_that("nma() and nma_binary() store small_values (default \"desirable\")", {
  f <- smoking_fits()
  expect_identical(f$down$small_values, "desirable")
  expect_identical(f$up$small_values, "undesirable")
  iv <- suppressMessages(nma_binary(smokingcessation, measure = "OR", method = "IV",
                                    small_values = "undesirable"))
  expect_identical(iv$small_values, "undesirable")
  mh <- suppressMessages(nma_binary(smokingcessation, measure = "OR",
                                    small_values = "undesirable"))
  expect_identical(mh$small_values, "undesirable")
  expect_identical(suppressMessages(nma_binary(dong2013, measure = "OR"))$small_values,
                   "desirable")
  by <- suppressMessages(nma_binary(transform(smokingcessation, outcome = "x"),
                                    measure = "OR", by = outcome,
                                    small_values = "undesirable"))
  expect_identical(by[["x"]]$small_values, "undesirable")
})

test_that("invalid small_values are classed errors", {
  ac <- suppressMessages(arm_contrasts(smokingcessation, measure = "OR"))
  expect_error(nma(ac, small_values = "good"), class = "fastnma_error_choice")
  expect_error(nma(ac, small_values = c("desirable", "x")), class = "fastnma_error_choice")
  expect_error(nma(ac, small_values = NA_character_), class = "fastnma_error_choice")
  expect_error(nma_binary(smokingcessation, small_values = "high"),
               class = "fastnma_error_choice")
  fit <- nma(ac)
  expect_error(rank_treatments(fit, small_values = "bad"), class = "fastnma_error_choice")
  expect_error(benefit_harm(fit, fit, harm_small_values = 1), class = "fastnma_error_choice")
})

test_that("rank_treatments() ranks the largest effect best for small_values = \"undesirable\"", {
  ps <- fixture("smokingcessation_OR_pscores.csv")  # netmeta, small values desirable
  f <- smoking_fits()
  r <- rank_treatments(f$up)
  expect_identical(attr(r, "small_values"), "undesirable")
  # the treatment with the largest effect against every other is ranked first
  theta <- f$up$random$theta
  expect_identical(r$treatment[which.max(r$pscore)], names(which.max(theta)))
  expect_equal(r$pscore, 1 - ps$pscore_random[match(r$treatment, ps$treatment)],
               tolerance = 1e-6)
  expect_equal(rank_treatments(f$down)$pscore,
               ps$pscore_random[match(r$treatment, ps$treatment)], tolerance = 1e-6)
  # SUCRA follows the fit too
  s_up <- rank_treatments(f$up, method = "sucra", n_sim = 4000, seed = 2)
  s_down <- rank_treatments(f$up, method = "sucra", n_sim = 4000, seed = 2,
                            small_values = "desirable")
  expect_identical(s_up$treatment[which.max(s_up$sucra)], names(which.max(theta)))
  expect_identical(s_down$treatment[which.max(s_down$sucra)], names(which.min(theta)))
})

test_that("a per-call small_values overrides the fit's", {
  f <- smoking_fits()
  expect_equal(rank_treatments(f$up, small_values = "desirable")$pscore,
               rank_treatments(f$down)$pscore, tolerance = 1e-14)
  expect_equal(rank_treatments(f$down, small_values = "undesirable")$pscore,
               rank_treatments(f$up)$pscore, tolerance = 1e-14)
  expect_identical(attr(rank_treatments(f$up, small_values = "desirable"), "small_values"),
                   "desirable")
})

test_that("the forest's P-score column uses the fit's small_values", {
  f <- smoking_fits()
  p <- expect_no_drawing(autoplot(f$up, ranking = "pscore", sort = "rank"))
  r <- rank_treatments(f$up)
  expect_equal(p$data$rank_value, r$pscore[match(p$data$treat1, r$treatment)])
  # sorted by rank, the treatment with the largest odds ratio leads
  lead <- p$data$treat1[which.max(p$data$y)]
  theta <- f$up$random$theta[setdiff(names(f$up$random$theta), f$up$reference)]
  expect_identical(lead, names(which.max(theta)))
  # override per call
  p2 <- autoplot(f$up, ranking = "pscore", small_values = "desirable")
  r2 <- rank_treatments(f$down)
  expect_equal(p2$data$rank_value, r2$pscore[match(p2$data$treat1, r2$treatment)])
  expect_equal(p2$data$rank_value, 1 - p$data$rank_value[match(p2$data$treat1, p$data$treat1)])
})

test_that("benefit_harm() takes each side's small_values from its fit", {
  f <- smoking_fits()
  harm <- f$down
  bh <- benefit_harm(f$up, harm)
  ps_up <- rank_treatments(f$up)
  ps_down <- rank_treatments(harm)
  expect_equal(bh$pscore_efficacy, ps_up$pscore[match(bh$treatment, ps_up$treatment)])
  expect_equal(bh$pscore_harm, ps_down$pscore[match(bh$treatment, ps_down$treatment)])
  # per-call override of one side
  bh2 <- benefit_harm(f$up, harm, efficacy_small_values = "desirable")
  expect_equal(bh2$pscore_efficacy, 1 - bh$pscore_efficacy)
  expect_equal(bh2$pscore_harm, bh$pscore_harm)
  bh3 <- benefit_harm(f$up, harm, harm_small_values = "undesirable")
  expect_equal(bh3$pscore_harm, 1 - bh$pscore_harm)
})

test_that("analyse_msc() stores small_values in its fit", {
  sim <- simulate_msc_extraction(seed = 1)
  res <- analyse_msc(sim, outcome = "womac_pain", small_values = "undesirable")
  expect_identical(res$fit$small_values, "undesirable")
  expect_identical(attr(res$ranking, "small_values"), "undesirable")
  expect_equal(res$ranking$pscore, rank_treatments(res$fit)$pscore)
})

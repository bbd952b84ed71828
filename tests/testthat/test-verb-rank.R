test_that("P-scores agree with netmeta on the reference networks", {
  for (i in seq_len(nrow(diag_networks()))) {
    nw <- diag_networks()[i, ]
    fit <- diag_fit(nw$input)
    ref <- diag_read(paste0(nw$name, "_pscores.csv"))
    for (model in c("common", "random")) {
      ps <- rank_treatments(fit, model = model)
      idx <- match(ref$treatment, ps$treatment)
      expect_false(anyNA(idx))
      expect_rel(ps$pscore[idx], ref[[paste0("pscore_", model)]], 1e-6)
    }
  }
})

test_that("P-scores flip with small_values and average 1/2", {
  fit <- diag_fit("Senn2013_input.csv")
  good <- rank_treatments(fit, small_values = "desirable")
  bad <- rank_treatments(fit, small_values = "undesirable")
  expect_equal(good$pscore + bad$pscore, rep(1, nrow(good)), tolerance = 1e-12)
  expect_equal(mean(good$pscore), 0.5, tolerance = 1e-12)
  expect_s3_class(good, "nma_ranks")
  expect_named(tidy(good), c("treatment", "pscore"))
})

test_that("SUCRA agrees with netmeta's rankogram within Monte Carlo error", {
  skip_if_not_installed("netmeta")
  d <- diag_read("Senn2013_input.csv")
  fit <- diag_fit("Senn2013_input.csv")
  nm <- netmeta_fit(d)
  set.seed(42)
  rg <- netmeta::rankogram(nm, nsim = 20000)
  for (model in c("common", "random")) {
    s <- rank_treatments(fit, method = "sucra", model = model, n_sim = 20000, seed = 7)
    ref <- rg[[paste0("ranking.", model)]][s$treatment]
    # SUCRA's Monte Carlo standard error is at most 0.5 / sqrt(20000) = 0.0035
    # per run; 0.015 is four standard errors of the difference of two runs.
    expect_lt(max(abs(s$sucra - ref)), 0.015)
    # and the P-scores are the SUCRAs' expectation
    ps <- rank_treatments(fit, model = model)
    expect_lt(max(abs(s$sucra - ps$pscore)), 0.015)
  }
})

test_that("rank probabilities match an independent multivariate normal sampler", {
  fit <- diag_fit("Senn2013_input.csv")
  s <- rank_treatments(fit, method = "sucra", model = "common", n_sim = 20000, seed = 3)
  keep <- fit$treatments != fit$reference
  L <- t(chol(fit$common$cov[keep, keep]))
  set.seed(11)
  draws <- matrix(0, length(keep), 20000)
  draws[keep, ] <- fit$common$theta[keep] + L %*% matrix(rnorm(sum(keep) * 20000), sum(keep))
  rk <- apply(draws, 2, rank)
  p_ref <- t(vapply(seq_along(keep), function(i) tabulate(rk[i, ], length(keep)) / 20000,
                    numeric(length(keep))))
  # Monte Carlo standard error of a difference of two estimates of a
  # probability from 20000 draws each is at most 0.005.
  expect_lt(max(abs(attr(s, "probabilities") - p_ref)), 0.02)
})

test_that("SUCRA sampling is reproducible and consistent", {
  fit <- diag_fit("smokingcessation_OR_contrasts.csv")
  a <- rank_treatments(fit, method = "sucra", n_sim = 2000, seed = 123)
  b <- rank_treatments(fit, method = "sucra", n_sim = 2000, seed = 123)
  c <- rank_treatments(fit, method = "sucra", n_sim = 2000, seed = 124)
  expect_identical(a$sucra, b$sucra)
  expect_false(identical(a$sucra, c$sucra))
  set.seed(5); d1 <- rank_treatments(fit, method = "sucra", n_sim = 500)
  set.seed(5); d2 <- rank_treatments(fit, method = "sucra", n_sim = 500)
  expect_identical(d1$sucra, d2$sucra)
  p <- attr(a, "probabilities")
  expect_equal(unname(rowSums(p)), rep(1, nrow(p)), tolerance = 1e-12)
  expect_equal(unname(colSums(p)), rep(1, ncol(p)), tolerance = 1e-12)
  expect_equal(a$sucra, (nrow(p) - a$mean_rank) / (nrow(p) - 1), tolerance = 1e-12)
  long <- tidy(a, probabilities = TRUE)
  expect_equal(nrow(long), nrow(p)^2)
  expect_error(tidy(rank_treatments(fit), probabilities = TRUE), class = "fastnma_error_method")
  expect_output(print(a), "SUCRA")
})

test_that("two-treatment networks rank by the one comparison", {
  d <- data.frame(study = c("s1", "s2"), treat1 = "B", treat2 = "A",
                  TE = c(-0.5, -0.3), seTE = c(0.2, 0.3))
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  ps <- rank_treatments(fit, model = "common")
  z <- unname(fit$common$theta["B"] / sqrt(fit$common$cov["B", "B"]))
  expect_equal(ps$pscore[ps$treatment == "B"], pnorm(-z), tolerance = 1e-12)
})

test_that("rank_treatments() checks its input", {
  fit <- diag_fit("Franchini2012_MD_contrasts.csv")
  expect_error(rank_treatments(fit, method = "best"), class = "fastnma_error_choice")
  expect_error(rank_treatments(list()), class = "fastnma_error_not_fit")
  expect_error(rank_treatments(fit, method = "sucra", n_sim = 0), class = "fastnma_error_n_sim")
})

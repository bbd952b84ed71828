# nma() against stored reference results (fixtures/, see fixtures/README.md):
# netmeta 3.3.1 for the common-effect model, the random-effects model with
# the DerSimonian-Laird estimator, prediction intervals and the Q
# decomposition; metafor::rma.mv fits of the canonical model for REML and ML.
#
# Input: Senn2013 is contrast-level; for the arm-level sets the contrasts
# are netmeta's own pairwise() conversion (X_SM_contrasts.csv), so that these
# checks do not depend on fastnma's arm-level conversion.
#
# Tolerances: 1e-6 relative throughout, except for quantities that come out
# of an iterative optimiser in the reference (REML/ML: metafor's optimiser,
# which netmeta calls too), where 1e-5 is used. expect_equal() switches to an
# absolute difference when the target is below the tolerance, which is the
# right comparison for tau^2 at or near the boundary 0.

reference_sets <- c("Senn2013_MD", "Stowe2010_MD", "Stowe2010_SMD",
                    "Franchini2012_MD", "Franchini2012_SMD",
                    "smokingcessation_OR", "smokingcessation_RR",
                    "Dong2013_OR", "Dong2013_RR")

reference_input <- function(set) {
  if (set == "Senn2013_MD") read_fixture("Senn2013_input.csv") else
    read_fixture(paste0(set, "_contrasts.csv"))
}

fit_reference <- function(set, method) {
  cf <- reference_input(set)
  nma(cf, TE, seTE, treat1, treat2, study, measure = sub(".*_", "", set),
      tau2_method = method)
}

test_that("common-effect and DL random-effects estimates of all pairs match netmeta", {
  for (set in reference_sets) {
    fit <- fit_reference(set, "DL")
    ref <- read_fixture(paste0(set, "_netmeta.csv"))
    key <- function(r) paste(r$treat1, r$treat2, sep = ":")
    n <- length(fit$treatments)

    common <- ref[ref$model == "common", ]
    ours <- all_ordered_pairs(fit, "common")[key(common), ]
    expect_equal(nrow(common), n * (n - 1), info = set)
    expect_equal(ours$estimate, common$TE, tolerance = 1e-6, info = set)
    expect_equal(ours$std.error, common$seTE, tolerance = 1e-6, info = set)
    expect_equal(ours$conf.low, common$lower, tolerance = 1e-6, info = set)
    expect_equal(ours$conf.high, common$upper, tolerance = 1e-6, info = set)

    random <- ref[ref$model == "random" & ref$tau_method == "DL", ]
    ours <- all_ordered_pairs(fit, "random")[key(random), ]
    expect_equal(nrow(random), n * (n - 1), info = set)
    expect_equal(ours$estimate, random$TE, tolerance = 1e-6, info = set)
    expect_equal(ours$std.error, random$seTE, tolerance = 1e-6, info = set)
    expect_equal(ours$conf.low, random$lower, tolerance = 1e-6, info = set)
    expect_equal(ours$conf.high, random$upper, tolerance = 1e-6, info = set)

    pred <- ref[ref$model == "predict", ]
    ours <- all_ordered_pairs(fit, "random")[key(pred), ]
    expect_equal(nrow(pred), n * (n - 1), info = set)
    expect_equal(ours$estimate, pred$TE, tolerance = 1e-6, info = set)
    expect_equal(sqrt(ours$std.error^2 + fit$tau2), pred$seTE,
                 tolerance = 1e-6, info = set)
    expect_equal(ours$pred.low, pred$lower, tolerance = 1e-6, info = set)
    expect_equal(ours$pred.high, pred$upper, tolerance = 1e-6, info = set)
  }
})

test_that("DL tau2, Q and its decomposition, I2 and counts match netmeta", {
  for (set in reference_sets) {
    g <- glance(fit_reference(set, "DL"))
    s <- read_fixture(paste0(set, "_summary.csv"))
    s <- s[s$tau_method == "DL", ]
    expect_identical(c(g$k, g$m, g$n_treatments, g$n_designs),
                     as.integer(c(s$k, s$m, s$n, s$d)), info = set)
    expect_identical(as.integer(c(g$df, g$df_within, g$df_between)),
                     as.integer(c(s$df_Q, s$df_within, s$df_between)), info = set)
    expect_equal(g$tau2, s$tau2, tolerance = 1e-6, info = set)
    expect_equal(g$tau, s$tau, tolerance = 1e-6, info = set)
    expect_equal(g$Q, s$Q, tolerance = 1e-6, info = set)
    expect_equal(g$Q_within, s$Q_within, tolerance = 1e-6, info = set)
    expect_equal(g$Q_between, s$Q_between, tolerance = 1e-6, info = set)
    expect_equal(g$I2, s$I2, tolerance = 1e-6, info = set)
    expect_equal(g$I2_lower, s$I2_lower, tolerance = 1e-6, info = set)
    expect_equal(g$I2_upper, s$I2_upper, tolerance = 1e-6, info = set)
  }
})

test_that("REML and ML fits report the same Q, decomposition and I2 as netmeta", {
  for (set in reference_sets) {
    s <- read_fixture(paste0(set, "_summary.csv"))
    for (method in c("REML", "ML")) {
      g <- glance(fit_reference(set, method))
      r <- s[s$tau_method == method, ]
      expect_identical(c(g$k, g$m, g$n_treatments, g$n_designs),
                       as.integer(c(r$k, r$m, r$n, r$d)), info = set)
      expect_equal(c(g$Q, g$Q_within, g$Q_between),
                   c(r$Q, r$Q_within, r$Q_between), tolerance = 1e-6,
                   info = paste(set, method))
      expect_equal(c(g$I2, g$I2_lower, g$I2_upper),
                   c(r$I2, r$I2_lower, r$I2_upper), tolerance = 1e-6,
                   info = paste(set, method))
    }
  }
})

# Where metafor's optimiser (which works on a log scale of tau^2 and stops
# on a relative criterion) ends measurably short of the optimum of the
# canonical likelihood; checked separately below.
rmamv_short <- list(
  Franchini2012_SMD = c("REML", "ML"),  # optimum at 0; rma.mv ~7e-7
  Dong2013_OR = c("REML", "ML"),        # REML 1.03e-5 relative off; ML at 0
  Dong2013_RR = "ML"                    # optimum at 0; rma.mv 5e-7
)
is_rmamv_short <- function(set, method) method %in% rmamv_short[[set]]

rmamv_rows <- function(set, method) {
  rm <- read_fixture(paste0(set, "_rmamv.csv"))
  rm[rm$tau_method == method, ]
}

# Effects vs the first treatment, their SEs, from a fit.
versus_first <- function(fit, treat1) {
  base <- fit$treatments[1]
  C <- fit$random$cov
  list(TE = unname(fit$random$theta[treat1] - fit$random$theta[base]),
       seTE = unname(sqrt(diag(C)[treat1] + C[base, base] - 2 * C[treat1, base])))
}

test_that("REML and ML fits match metafor::rma.mv on the canonical model", {
  for (set in reference_sets) {
    for (method in c("REML", "ML")) {
      fit <- fit_reference(set, method)
      r <- rmamv_rows(set, method)
      what <- paste(set, method)
      expect_identical(unique(r$treat2), fit$treatments[1], info = what)
      # Never a worse fit than the reference.
      expect_gte(as.numeric(logLik(fit)), r$logLik[1] - 1e-9)
      if (is_rmamv_short(set, method)) next
      ours <- versus_first(fit, r$treat1)
      expect_equal(fit$tau2, r$tau2[1], tolerance = 1e-5, info = what)
      expect_equal(ours$TE, r$TE, tolerance = 1e-5, info = what)
      expect_equal(ours$seTE, r$seTE, tolerance = 1e-5, info = what)
      expect_equal(as.numeric(logLik(fit)), r$logLik[1], tolerance = 1e-5,
                   info = what)
    }
  }
})

test_that("where rma.mv stops short of the optimum, fastnma reaches it", {
  for (set in names(rmamv_short)) {
    cm <- canonical_model(reference_input(set), "TE", "seTE")
    for (method in rmamv_short[[set]]) {
      what <- paste(set, method)
      reml <- method == "REML"
      fit <- fit_reference(set, method)
      r <- rmamv_rows(set, method)
      ll <- function(t) canonical_loglik(cm, t, reml)
      # The reference is the canonical model evaluated at its own tau2: the
      # gap comes from where its optimiser stopped, nothing else.
      at_ref <- canonical_fit(cm, r$tau2[1])
      expect_equal(unname(at_ref$beta[r$treat1]), r$TE, tolerance = 1e-6, info = what)
      expect_equal(unname(sqrt(diag(at_ref$cov))[r$treat1]), r$seTE,
                   tolerance = 1e-6, info = what)
      expect_equal(ll(r$tau2[1]), r$logLik[1], tolerance = 1e-6, info = what)
      # Ours is the canonical model at the true optimum.
      at_ours <- canonical_fit(cm, fit$tau2)
      ours <- versus_first(fit, r$treat1)
      expect_equal(ours$TE, unname(at_ours$beta[r$treat1]), tolerance = 1e-6, info = what)
      expect_equal(ours$seTE, unname(sqrt(diag(at_ours$cov))[r$treat1]),
                   tolerance = 1e-6, info = what)
      expect_equal(as.numeric(logLik(fit)), ll(fit$tau2), tolerance = 1e-8, info = what)
      best <- stats::optimize(ll, c(0, 0.1), maximum = TRUE, tol = 1e-13)$maximum
      expect_equal(fit$tau2, best, tolerance = 1e-6, info = what)
      if (fit$tau2 == 0) {
        expect_true(fit$tau2_info$boundary, info = what)
        expect_gt(ll(0), ll(r$tau2[1]))
        expect_gt(ll(0), ll(1e-8))
      } else {
        expect_gt(abs(r$tau2[1] / best - 1), 1e-5)
      }
    }
  }
})

test_that("REML and ML tau2 match netmeta for arm-level input", {
  # For arm-level data netmeta fits the canonical model (through
  # metafor::rma.mv), so its REML/ML tau2 is comparable with ours to the
  # accuracy of that optimiser. Stowe2010 SMD under ML is the exception
  # tested separately below.
  for (set in setdiff(reference_sets, "Senn2013_MD")) {
    s <- read_fixture(paste0(set, "_summary.csv"))
    for (method in c("REML", "ML")) {
      if (set == "Stowe2010_SMD" && method == "ML") next
      fit <- fit_reference(set, method)
      expect_equal(fit$tau2, s$tau2[s$tau_method == method], tolerance = 1e-5,
                   info = paste(set, method))
      expect_equal(sqrt(fit$tau2), s$tau[s$tau_method == method], tolerance = 1e-5,
                   info = paste(set, method))
    }
  }
})

test_that("netmeta's ML tau2 for Stowe2010 SMD is short of the maximum", {
  # netmeta reports 0.00863325; rma.mv with a tight tolerance and fastnma
  # give 0.00863284 (4.8e-5 relative below). The likelihood is higher at
  # fastnma's value, and it is a local maximum.
  fit <- fit_reference("Stowe2010_SMD", "ML")
  s <- read_fixture("Stowe2010_SMD_summary.csv")
  rm <- read_fixture("Stowe2010_SMD_rmamv.csv")
  nm <- s$tau2[s$tau_method == "ML"]
  expect_equal(fit$tau2, rm$tau2[rm$tau_method == "ML"][1], tolerance = 1e-6)
  expect_gt(abs(fit$tau2 / nm - 1), 1e-5)
  cm <- canonical_model(reference_input("Stowe2010_SMD"), "TE", "seTE")
  ll <- function(t) canonical_loglik(cm, t, reml = FALSE)
  expect_equal(ll(fit$tau2), as.numeric(logLik(fit)), tolerance = 1e-10)
  expect_gt(ll(fit$tau2), ll(nm))
  expect_gt(ll(fit$tau2), ll(fit$tau2 * (1 + 1e-4)))
  expect_gt(ll(fit$tau2), ll(fit$tau2 * (1 - 1e-4)))
})

test_that("REML/ML for Senn2013 follow the exact likelihood, not netmeta", {
  # Senn2013 gives its multi-arm study as contrasts; netmeta fits REML/ML to
  # a reduced-weights approximation of the likelihood and reports 0.1011
  # (REML) and 0.0568 (ML). fastnma fits the exact likelihood, as rma.mv does.
  s <- read_fixture("Senn2013_MD_summary.csv")
  cm <- canonical_model(read_fixture("Senn2013_input.csv"), "TE", "seTE")
  for (method in c("REML", "ML")) {
    fit <- fit_reference("Senn2013_MD", method)
    nm <- s$tau2[s$tau_method == method]
    expect_gt(abs(fit$tau2 / nm - 1), 1e-3)
    ll <- function(t) canonical_loglik(cm, t, reml = method == "REML")
    expect_gt(ll(fit$tau2), ll(nm))
  }
  expect_equal(fit_reference("Senn2013_MD", "REML")$tau2, 0.0999175,
               tolerance = 1e-6)
  expect_equal(s$tau2[s$tau_method == "REML"], 0.1011171, tolerance = 1e-6)
})

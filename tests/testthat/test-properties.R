# Properties that must hold on any connected network with multi-arm studies:
# invariance to row order, pair orientation, study and treatment labels and
# the reference; a two-treatment network is a pairwise meta-analysis; the
# common-effect model is the random-effects model at tau^2 = 0; the tau^2
# estimators are what their definitions say (dense R implementation of the
# canonical model in helper-canonical.R, metafor where it fits the same
# model).

methods <- c("DL", "REML", "ML", "PM")

prop_networks <- list(
  a = random_network(8, 30, p_multi = 0.25, max_arms = 4, tau = 0.3, seed = 1),
  b = random_network(12, 40, p_multi = 0.2, max_arms = 3, tau = 0.2, seed = 2),
  c = random_network(5, 15, p_multi = 0.4, max_arms = 4, tau = 0.5, seed = 3)
)

test_that("the random networks are connected and have multi-arm studies", {
  for (d in prop_networks) {
    arms <- tapply(c(d$treat1, d$treat2), c(d$study, d$study),
                   function(x) length(unique(x)))
    expect_true(any(arms >= 3))
    expect_equal(as.vector(table(d$study)[names(arms)]),
                 as.vector(arms * (arms - 1) / 2))
    expect_s3_class(nma(d), "nma")  # a disconnected network would error
  }
})

# Everything about a fit that does not depend on labels or order. The
# restricted log-likelihood carries metafor's constant log|X'X|, which
# depends on which arm of a multi-arm study is its base arm (the first in
# sorted treatment order), so it changes when treatments are renamed: it is
# left out where labels change and checked on its own below.
fit_numbers <- function(fit, reml_loglik = TRUE) {
  list(tau2 = fit$tau2, Q = fit$Q, df = fit$df, Q_within = fit$Q_within,
       df_within = fit$df_within, Q_random = fit$Q_random, I2 = fit$I2,
       I2_lower = fit$I2_lower, I2_upper = fit$I2_upper,
       loglik = if (reml_loglik) fit$loglik else fit$loglik[["ML"]],
       k = fit$k, m = fit$m, n_designs = fit$n_designs)
}

# metafor's constant in the restricted log-likelihood: 0.5 log|X'X| for the
# design of the basic contrasts (each against the study's base arm).
reml_constant <- function(d) {
  X <- canonical_model(d)$X
  0.5 * as.numeric(determinant(crossprod(X), logarithm = TRUE)$modulus)
}

# Effects and covariances re-indexed by (possibly renamed) treatments.
expect_same_effects <- function(fit, ref_fit, rename = identity) {
  for (model in c("common", "random")) {
    trt <- ref_fit$treatments
    expect_equal(unname(fit[[model]]$theta[rename(trt)]),
                 unname(ref_fit[[model]]$theta[trt]), tolerance = 1e-6)
    expect_equal(unname(fit[[model]]$cov[rename(trt), rename(trt)]),
                 unname(ref_fit[[model]]$cov[trt, trt]), tolerance = 1e-6)
  }
}

test_that("results do not depend on row order, pair orientation or study labels", {
  for (nm in names(prop_networks)) {
    d <- prop_networks[[nm]]
    set.seed(10)
    e <- d[sample.int(nrow(d)), ]
    flip <- stats::runif(nrow(e)) < 0.5
    e[flip, c("treat1", "treat2")] <- e[flip, c("treat2", "treat1")]
    e$estimate[flip] <- -e$estimate[flip]
    e$study <- paste0("trial-", match(e$study, rev(unique(e$study))))
    expect_false(identical(e$treat1, d$treat1))
    for (method in methods) {
      f1 <- nma(d, tau2_method = method)
      f2 <- nma(e, tau2_method = method)
      expect_equal(fit_numbers(f2), fit_numbers(f1), tolerance = 1e-6,
                   info = paste(nm, method))
      expect_same_effects(f2, f1)
    }
  }
})

test_that("renaming treatments changes nothing but the names", {
  for (nm in names(prop_networks)) {
    d <- prop_networks[[nm]]
    old <- sort(unique(c(d$treat1, d$treat2)))
    set.seed(20)
    # new labels in a different sorted order
    new <- paste0(sample(c(letters, LETTERS), length(old)), "_drug")
    rename <- function(x) new[match(x, old)]
    e <- d
    e$treat1 <- rename(d$treat1)
    e$treat2 <- rename(d$treat2)
    expect_false(identical(order(new), seq_along(new)))
    for (method in methods) {
      f1 <- nma(d, tau2_method = method, reference = old[2])
      f2 <- nma(e, tau2_method = method, reference = rename(old[2]))
      expect_equal(fit_numbers(f2, FALSE), fit_numbers(f1, FALSE),
                   tolerance = 1e-6, info = paste(nm, method))
      # REML log-likelihood: equal up to metafor's constant
      expect_equal(f2$loglik[["REML"]] - reml_constant(e),
                   f1$loglik[["REML"]] - reml_constant(d), tolerance = 1e-6)
      expect_same_effects(f2, f1, rename)
      t1 <- tidy(f1, comparisons = "all")
      t2 <- all_ordered_pairs(f2, "random")[paste(rename(t1$treat1), rename(t1$treat2), sep = ":"), ]
      expect_equal(t2$estimate, t1$estimate, tolerance = 1e-6)
      expect_equal(t2$std.error, t1$std.error, tolerance = 1e-6)
      expect_equal(t2$p.value, t1$p.value, tolerance = 1e-6)
    }
    # The constant does change here (multi-arm studies get other base arms),
    # so the check above is not vacuous.
    expect_gt(abs(reml_constant(e) - reml_constant(d)), 1e-3)
    # The default reference follows the (renamed) sort order.
    expect_identical(nma(e, tau2_method = "DL")$reference, sort(new)[1])
  }
})

test_that("the choice of reference changes nothing but the parametrisation", {
  for (nm in names(prop_networks)) {
    d <- prop_networks[[nm]]
    trt <- sort(unique(c(d$treat1, d$treat2)))
    for (method in methods) {
      f1 <- nma(d, tau2_method = method, reference = trt[1])
      f2 <- nma(d, tau2_method = method, reference = trt[length(trt)])
      expect_equal(fit_numbers(f2), fit_numbers(f1), tolerance = 1e-6,
                   info = paste(nm, method))
      for (model in c("common", "random")) {
        a <- tidy(f1, model = model, comparisons = "all")
        b <- tidy(f2, model = model, comparisons = "all")
        # the same pairs; a pair's direction follows the reference (the
        # reference first, then sorted), so pairs with the new reference
        # read "X vs reference" and are the old ones reversed
        expect_equal(nrow(b), nrow(a))
        expect_false(any(b$treat1 == trt[length(trt)]))
        fwd <- match(paste(b$treat1, b$treat2), paste(a$treat1, a$treat2))
        rev <- match(paste(b$treat1, b$treat2), paste(a$treat2, a$treat1))
        same <- !is.na(fwd)
        expect_true(all(same | !is.na(rev)))
        expect_identical(!same, b$treat2 == trt[length(trt)])
        k <- ifelse(same, fwd, rev)
        sgn <- ifelse(same, 1, -1)
        expect_equal(b$estimate, sgn * a$estimate[k], tolerance = 1e-6)
        expect_equal(b$std.error, a$std.error[k], tolerance = 1e-6)
        expect_equal(b$statistic, sgn * a$statistic[k], tolerance = 1e-6)
        expect_equal(b$p.value, a$p.value[k], tolerance = 1e-6)
        expect_equal(b$conf.low, ifelse(same, a$conf.low[k], -a$conf.high[k]), tolerance = 1e-6)
        # theta against the new reference is the old theta shifted
        th <- f1[[model]]$theta
        expect_equal(f2[[model]]$theta, th - th[[trt[length(trt)]]],
                     tolerance = 1e-6)
        expect_equal(f2[[model]]$theta[[trt[length(trt)]]], 0)
        expect_equal(unname(diag(f2[[model]]$cov)[trt[length(trt)]]), 0)
      }
      expect_identical(names(coef(f2)), trt[-length(trt)])
    }
  }
})

# Two treatments: contrasts in both orientations, as a pairwise
# meta-analysis of B versus A.
pairwise_data <- function(seed, tau = 0.3, k = 12) {
  d <- random_network(2, k, p_multi = 0, tau = tau, seed = seed)
  yi <- ifelse(d$treat1 == "T2", d$estimate, -d$estimate)
  list(d = d, yi = yi, sei = d$std.error)
}

rma_uni <- function(p, method, test = "z") {
  metafor::rma.uni(p$yi, sei = p$sei, method = method, test = test,
                   control = list(threshold = 1e-12, maxiter = 10000,
                                  tol = 1e-12))
}

test_that("a two-treatment network is a pairwise meta-analysis", {
  skip_if_not_installed("metafor")
  for (seed in c(31, 32, 33)) {
    p <- pairwise_data(seed)
    expect_true(any(p$d$treat1 == "T1") && any(p$d$treat1 == "T2"))
    fe <- rma_uni(p, "FE")
    for (method in methods) {
      fit <- nma(p$d, tau2_method = method)
      common <- tidy(fit, model = "common")
      expect_equal(common$estimate, as.numeric(fe$beta), tolerance = 1e-6)
      expect_equal(common$std.error, fe$se, tolerance = 1e-6)
      expect_equal(common$conf.low, fe$ci.lb, tolerance = 1e-6)
      expect_equal(fit$Q, fe$QE, tolerance = 1e-6)
      expect_equal(fit$I2, max(0, fe$QE - (fe$k - 1)) / fe$QE, tolerance = 1e-6)

      re <- rma_uni(p, method)
      random <- tidy(fit, model = "random")
      info <- paste(seed, method)
      expect_equal(fit$tau2, re$tau2, tolerance = 1e-6, info = info)
      expect_equal(random$estimate, as.numeric(re$beta), tolerance = 1e-6, info = info)
      expect_equal(random$std.error, re$se, tolerance = 1e-6, info = info)
      expect_equal(c(random$conf.low, random$conf.high), c(re$ci.lb, re$ci.ub),
                   tolerance = 1e-6, info = info)
      expect_equal(random$p.value, re$pval, tolerance = 1e-6, info = info)
      if (method %in% c("REML", "ML")) {
        expect_equal(as.numeric(logLik(fit)), as.numeric(logLik(re)),
                     tolerance = 1e-6, info = info)
      }

      hk <- nma(p$d, tau2_method = method, ci_method = "hk")
      kh <- rma_uni(p, method, test = "knha")
      random <- tidy(hk, model = "random")
      expect_equal(random$std.error, kh$se, tolerance = 1e-6, info = info)
      expect_equal(c(random$conf.low, random$conf.high), c(kh$ci.lb, kh$ci.ub),
                   tolerance = 1e-6, info = info)
      expect_equal(random$p.value, kh$pval, tolerance = 1e-6, info = info)
      expect_equal(random$statistic, kh$zval, tolerance = 1e-6, info = info)
    }
  }
})

test_that("the ad hoc Hartung-Knapp variant never shrinks the variance", {
  skip_if_not_installed("metafor")
  # Near-homogeneous data: the Hartung-Knapp factor falls below 1.
  p <- pairwise_data(34, tau = 0)
  fit <- nma(p$d, tau2_method = "DL", ci_method = "hk")
  expect_lt(fit$hk_scale, 1)
  adhoc <- nma(p$d, tau2_method = "DL", ci_method = "hk",
               control = nma_control(hk_adhoc = TRUE))
  expect_equal(adhoc$hk_scale, 1)
  ref <- rma_uni(p, "DL", test = "adhoc")
  random <- tidy(adhoc, model = "random")
  expect_equal(random$std.error, ref$se, tolerance = 1e-6)
  expect_equal(c(random$conf.low, random$conf.high), c(ref$ci.lb, ref$ci.ub),
               tolerance = 1e-6)
})

# Estimates pulled 90% of the way to the common-effect fit: consistent in
# every multi-arm study, and far less heterogeneous than by chance alone.
homogeneous <- function(d) {
  f <- nma(d, tau2_method = "DL")
  fitted <- f$common$theta[d$treat1] - f$common$theta[d$treat2]
  d$estimate <- unname(fitted + 0.1 * (d$estimate - fitted))
  d
}

test_that("the random-effects model is the common-effect model at tau2 = 0", {
  for (nm in names(prop_networks)) {
    d <- homogeneous(prop_networks[[nm]])
    for (method in methods) {
      fit <- nma(d, tau2_method = method)
      info <- paste(nm, method)
      expect_lt(fit$Q, fit$df)
      expect_identical(fit$tau2, 0)
      expect_true(fit$tau2_info$boundary, info = info)
      expect_equal(fit$random$theta, fit$common$theta, tolerance = 1e-12, info = info)
      expect_equal(fit$random$cov, fit$common$cov, tolerance = 1e-12, info = info)
      expect_equal(fit$Q_random, fit$Q, tolerance = 1e-12, info = info)
      a <- tidy(fit, model = "random", comparisons = "all")
      b <- tidy(fit, model = "common", comparisons = "all")
      expect_identical(a$model, rep("random", nrow(a)))
      expect_identical(b$model, rep("common", nrow(b)))
      cols <- setdiff(names(b), "model")
      expect_equal(a[cols], b[cols], tolerance = 1e-12, info = info)
    }
  }
})

test_that("the core reproduces the dense canonical model at the estimated tau2", {
  for (nm in names(prop_networks)) {
    d <- prop_networks[[nm]]
    cm <- canonical_model(d)
    for (method in methods) {
      fit <- nma(d, tau2_method = method)
      info <- paste(nm, method)
      for (model in c("common", "random")) {
        dense <- canonical_fit(cm, if (model == "common") 0 else fit$tau2)
        th <- fit[[model]]$theta
        trt <- fit$treatments
        expect_equal(unname(th[trt[-1]] - th[trt[1]]), unname(dense$beta),
                     tolerance = 1e-6, info = info)
        C <- fit[[model]]$cov
        G <- C[trt[-1], trt[-1]] - outer(C[trt[-1], trt[1]], C[trt[1], trt[-1]], "+") +
          C[trt[1], trt[1]]
        expect_equal(unname(G), unname(dense$cov), tolerance = 1e-6, info = info)
        expect_equal(if (model == "common") fit$Q else fit$Q_random, dense$Q,
                     tolerance = 1e-6, info = info)
      }
      expect_equal(unname(fit$loglik[["ML"]]), canonical_loglik(cm, fit$tau2, FALSE),
                   tolerance = 1e-6, info = info)
      expect_equal(unname(fit$loglik[["REML"]]), canonical_loglik(cm, fit$tau2, TRUE),
                   tolerance = 1e-6, info = info)
    }
  }
})

test_that("each tau2 estimator is what its definition says", {
  for (nm in names(prop_networks)) {
    d <- prop_networks[[nm]]
    cm <- canonical_model(d)
    # DL: the generalised method of moments, by its formula.
    dl <- nma(d, tau2_method = "DL")
    expect_gt(dl$tau2, 0)
    expect_equal(dl$tau2, canonical_dl(cm), tolerance = 1e-6, info = nm)
    # PM: the generalised Q at the estimate equals its degrees of freedom.
    pm <- nma(d, tau2_method = "PM")
    expect_gt(pm$tau2, 0)
    expect_equal(pm$Q_random, pm$df, tolerance = 1e-6, info = nm)
    # REML, ML: the maximum of the (restricted) likelihood.
    for (method in c("REML", "ML")) {
      fit <- nma(d, tau2_method = method)
      ll <- function(t) canonical_loglik(cm, t, reml = method == "REML")
      best <- stats::optimize(ll, c(0, 4 * max(fit$tau2, 0.1)), maximum = TRUE,
                              tol = 1e-12)$maximum
      expect_equal(fit$tau2, best, tolerance = 1e-6, info = paste(nm, method))
      expect_gte(ll(fit$tau2), ll(best) - 1e-10)
    }
  }
})

test_that("REML and ML agree with metafor::rma.mv on a random network", {
  skip_if_not_installed("metafor")
  d <- prop_networks$a
  cm <- canonical_model(d)
  for (method in c("REML", "ML")) {
    fit <- nma(d, tau2_method = method)
    r <- rma_mv_canonical(cm, method)
    trt <- fit$treatments
    th <- fit$random$theta
    expect_equal(fit$tau2, r$tau2, tolerance = 1e-5)
    expect_equal(unname(th[trt[-1]] - th[trt[1]]), unname(coef(r)), tolerance = 1e-5)
    expect_equal(as.numeric(logLik(fit)), as.numeric(logLik(r)), tolerance = 1e-5)
  }
})

# Live comparison with netmeta (common effect, DerSimonian-Laird random
# effects, prediction intervals, Q and its decomposition, I2) and with
# metafor::rma.mv on the canonical contrast-based model (REML and ML), on the
# reference networks and on random networks with multi-arm studies.
#
# rma.mv runs with metafor's default optimiser; its REML/ML estimates are
# compared to 1e-5 (the accuracy of that optimiser). With tau^2 fixed at
# fastnma's estimate, rma.mv must reproduce fastnma's effects, SEs and
# log-likelihood to 1e-6: that checks the model itself, free of optimisers.

skip_if_not_installed("netmeta")
skip_if_not_installed("metafor")

# One summary measure per reference network (the fixtures cover the others;
# netmeta takes seconds per fit, so the live set is kept small).
live_sets <- c("Senn2013_MD", "Stowe2010_SMD", "Franchini2012_SMD",
               "smokingcessation_OR", "Dong2013_OR")

live_input <- function(set) {
  cf <- if (set == "Senn2013_MD") read_fixture("Senn2013_input.csv") else
    read_fixture(paste0(set, "_contrasts.csv"))
  names(cf)[names(cf) == "TE"] <- "estimate"
  names(cf)[names(cf) == "seTE"] <- "std.error"
  cf
}

live_random <- list(
  random_network(5, 12, p_multi = 0.3, max_arms = 3, tau = 0.3, seed = 101),
  random_network(7, 15, p_multi = 0.2, max_arms = 4, tau = 0.3, seed = 202),
  random_network(6, 14, p_multi = 0.3, max_arms = 4, tau = 0.5, seed = 404)
)

live_networks <- c(stats::setNames(lapply(live_sets, live_input), live_sets),
                   stats::setNames(live_random, paste0("random", 1:3)))

# All-pairs matrix of effects (row vs column) and SEs from a fit.
pair_matrices <- function(fit, model, order) {
  th <- fit[[model]]$theta[order]
  C <- fit[[model]]$cov[order, order]
  v <- outer(diag(C), diag(C), "+") - 2 * C
  list(TE = outer(th, th, "-"), seTE = sqrt(pmax(v, 0)))
}

test_that("DL fits agree with a live netmeta()", {
  for (what in names(live_networks)) {
    d <- live_networks[[what]]
    multi <- any(duplicated(d$study))
    expect_true(multi, info = what)  # every network has a multi-arm study
    fit <- nma(d, tau2_method = "DL")
    nm <- suppressWarnings(netmeta::netmeta(
      estimate, std.error, treat1, treat2, study, data = d, sm = "MD",
      common = TRUE, random = TRUE, method.tau = "DL"))
    trt <- rownames(nm$TE.common)
    expect_setequal(trt, fit$treatments)
    off <- row(nm$TE.common) != col(nm$TE.common)
    for (model in c("common", "random")) {
      ours <- pair_matrices(fit, model, trt)
      expect_equal(unname(ours$TE[off]), unname(nm[[paste0("TE.", model)]][off]),
                   tolerance = 1e-6, info = paste(what, model))
      expect_equal(unname(ours$seTE[off]), unname(nm[[paste0("seTE.", model)]][off]),
                   tolerance = 1e-6, info = paste(what, model))
    }
    ours <- pair_matrices(fit, "random", trt)
    expect_equal(unname(sqrt(ours$seTE^2 + fit$tau2)[off]),
                 unname(nm$seTE.predict[off]), tolerance = 1e-6, info = what)
    tab <- all_ordered_pairs(fit, "random")
    key <- paste(trt[row(nm$TE.common)[off]], trt[col(nm$TE.common)[off]], sep = ":")
    expect_equal(tab[key, "pred.low"], unname(nm$lower.predict[off]),
                 tolerance = 1e-6, info = what)
    expect_equal(tab[key, "pred.high"], unname(nm$upper.predict[off]),
                 tolerance = 1e-6, info = what)
    g <- glance(fit)
    expect_equal(g$tau2, nm$tau2, tolerance = 1e-6, info = what)
    expect_equal(c(g$Q, g$Q_within, g$Q_between),
                 c(nm$Q, nm$Q.heterogeneity, nm$Q.inconsistency),
                 tolerance = 1e-6, info = what)
    expect_identical(c(g$df, g$df_within, g$df_between),
                     as.integer(c(nm$df.Q, nm$df.Q.heterogeneity, nm$df.Q.inconsistency)),
                     info = what)
    expect_equal(c(g$I2, g$I2_lower, g$I2_upper),
                 c(nm$I2, nm$lower.I2, nm$upper.I2), tolerance = 1e-6, info = what)
    expect_identical(c(g$k, g$m, g$n_treatments, g$n_designs),
                     as.integer(c(nm$k, nm$m, nm$n, nm$d)), info = what)
  }
})

test_that("REML and ML fits agree with a live metafor::rma.mv()", {
  for (what in names(live_networks)) {
    d <- live_networks[[what]]
    cm <- canonical_model(d)
    for (method in c("REML", "ML")) {
      info <- paste(what, method)
      fit <- nma(d, tau2_method = method)
      base <- fit$treatments[1]
      oth <- fit$treatments[-1]
      C <- fit$random$cov
      te <- unname(fit$random$theta[oth] - fit$random$theta[base])
      se <- unname(sqrt(diag(C)[oth] + C[base, base] - 2 * C[oth, base]))
      ll <- as.numeric(logLik(fit))

      # The model: rma.mv at fastnma's tau2.
      fixed <- rma_mv_canonical(cm, method, tau2 = fit$tau2)
      expect_equal(te, unname(coef(fixed)), tolerance = 1e-6, info = info)
      expect_equal(se, unname(fixed$se), tolerance = 1e-6, info = info)
      expect_equal(ll, as.numeric(logLik(fixed)), tolerance = 1e-6, info = info)

      # The estimate: rma.mv's own optimum.
      r <- rma_mv_canonical(cm, method)
      expect_equal(fit$tau2, r$tau2, tolerance = 1e-5, info = info)
      expect_equal(te, unname(coef(r)), tolerance = 1e-5, info = info)
      expect_equal(se, unname(r$se), tolerance = 1e-5, info = info)
      expect_equal(ll, as.numeric(logLik(r)), tolerance = 1e-5, info = info)
      expect_gte(ll, as.numeric(logLik(r)) - 1e-9)
    }
  }
})

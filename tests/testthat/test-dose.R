# Dose-response network meta-analysis (R/dose.R, src/dose.cpp).
#
# Reference: netdose 0.7-5 on its anaesthesia data (fixtures/netdose/,
# VERSIONS.txt says how they were made): every dose-response function,
# common and random effects.

netdose_fixture <- function(name) fixture(file.path("netdose", paste0("anesthesia_", name, ".csv")))

netdose_input <- function() netdose_fixture("input")

# netdose's knots of the spline model, as listed in its glance output.
netdose_knots <- function(agents) {
  g <- netdose_fixture("rcs_glance")
  kn <- eval(parse(text = paste0("list(", gsub(") c(", "), c(", g$knots, fixed = TRUE), ")")))
  kn <- lapply(kn, unname)
  names(kn) <- netdose_fixture("common_dose")$agent
  kn[agents]
}

fit_netdose <- function(method, ...) {
  d <- netdose_input()
  args <- list(d, estimate = quote(TE), std.error = quote(seTE), study = quote(studlab),
               method = method, tau2_method = "netdose", measure = "RR", ...)
  if (method == "rcs") args$knots <- netdose_knots(setdiff(unique(c(d$agent1, d$agent2)), "plac"))
  do.call(dose_nma, args)
}

# Elementwise: |a - b| <= tol |b| + tiny.
expect_close <- function(a, b, tol = 1e-6, tiny = 1e-12) {
  a <- unname(a)
  b <- unname(b)
  expect_equal(length(a), length(b))
  worst <- max(abs(a - b) - (tol * abs(b) + tiny))
  expect_lte(worst, 0)
}

# Coefficients range from 1e-7 (a quadratic term in dose^2 of doses up to
# 150) to 10, and some are zero by construction (a spline term whose knots
# coincide), which netdose reports as round-off (+-1e-11). Beyond the 1e-6
# relative agreement, a coefficient may differ by what changes its
# contribution to the effect, at the agent's largest dose, by at most 1e-9
# (the quadratic design's condition number exceeds 1/eps, so no two
# implementations agree on its smallest coefficients to more digits).
coef_floor <- function(fit, idx) {
  A <- fastnma:::dose_basis(fit$spec, fit$node_agent, fit$node_dose, fit$agents)
  g <- apply(abs(A), 2, max)[idx]
  ifelse(g > 0, 1e-9 / pmax(g, 1), 1e-9)
}

dose_methods <- c("linear", "exponential", "quadratic", "rcs", "fp1", "fp2")

test_that("coefficients and standard errors equal netdose (every method, both models)", {
  for (m in dose_methods) {
    fit <- if (m == "quadratic") suppressWarnings(fit_netdose(m)) else fit_netdose(m)
    ref <- netdose_fixture(paste0(m, "_coef"))
    ref <- ref[ref$param != "plac", ]
    k <- fit$spec$k
    idx <- (match(ref$param, fit$agents) - 1L) * k + ref$coef_index
    expect_false(anyNA(idx))
    for (model in c("common", "random")) {
      f <- fit[[model]]
      tiny <- coef_floor(fit, idx)
      expect_close(f$coef[idx], ref[[paste0("coef.", model)]], tiny = tiny)
      expect_close(sqrt(diag(f$cov))[idx], ref[[paste0("se.", model)]], tiny = tiny)
    }
  }
})

test_that("tau, Q and its df, and the lumped model's Q equal netdose", {
  for (m in dose_methods) {
    fit <- if (m == "quadratic") suppressWarnings(fit_netdose(m)) else fit_netdose(m)
    ref <- netdose_fixture(paste0(m, "_glance"))
    expect_close(sqrt(fit$tau2), ref$tau)
    expect_close(fit$Q, ref$Q)
    expect_identical(as.integer(fit$df), as.integer(ref$df.Q))
    expect_close(fit$Q_lump, ref$Q.lump)
    expect_identical(as.integer(fit$df_lump), as.integer(ref$df.Q.lump))
    expect_identical(c(fit$k, fit$m), c(ref$k, ref$m))
    g <- glance(fit)
    expect_close(g$tau, ref$tau)
    expect_close(g$Q, ref$Q)
  }
})

test_that("the default common dose is netdose's", {
  fit <- fit_netdose("linear")
  ref <- netdose_fixture("common_dose")
  expect_equal(unname(fit$common_dose[ref$agent]), ref$common_dose)
})

# The pairs file holds netdose's comparisons of agent-dose nodes (its first
# 351 entries), not the agent pairs its labels name: each common-effect
# estimate matches exactly one pair of nodes of the fit. For that pair the
# other three numbers (common SE, random estimate and SE) must agree too.
test_that("netdose's comparisons of agent-dose nodes are reproduced", {
  for (m in dose_methods) {
    fit <- if (m == "quadratic") suppressWarnings(fit_netdose(m)) else fit_netdose(m)
    ref <- netdose_fixture(paste0(m, "_pairs"))
    ag <- fit$node_agent
    x <- fit$node_dose
    ec <- fastnma:::dose_effects(fit, "common", ag, x)
    er <- fastnma:::dose_effects(fit, "random", ag, x)
    Dc <- outer(ec$estimate, ec$estimate, "-")
    diag(Dc) <- NA
    hits <- lapply(ref$TE.common, function(v) {
      which(abs(Dc - v) <= 1e-8 * max(1, abs(v)), arr.ind = TRUE)
    })
    found <- vapply(hits, nrow, integer(1)) >= 1L
    expect_true(all(found), label = paste(m, "every netdose comparison found"))
    pair <- t(vapply(hits[found], function(h) h[1, ], integer(2)))
    se_of <- function(e, model) {
      L <- e$L[pair[, 1], , drop = FALSE] - e$L[pair[, 2], , drop = FALSE]
      sqrt(rowSums((L %*% fit[[model]]$cov) * L))
    }
    expect_close(se_of(ec, "common"), ref$seTE.common[found], tiny = 1e-9)
    expect_close(er$estimate[pair[, 1]] - er$estimate[pair[, 2]], ref$TE.random[found],
                 tiny = 1e-9)
    expect_close(se_of(er, "random"), ref$seTE.random[found], tiny = 1e-9)
  }
})

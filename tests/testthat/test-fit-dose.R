# Dose-response network meta-analysis (R/fit-dose.R, src/dose.cpp).
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
               method = method, netdose = TRUE, measure = "RR", ...)
  if (method == "rcs") args$knots <- netdose_knots(setdiff(unique(c(d$agent1, d$agent2)), "plac"))
  do.call(dose_nma, args)
}

# netdose's pseudo-inverse drops directions of the quadratic model (see the
# test "netdose's pseudo-inverse ..." below); that warning is expected there.
fit_netdose_quiet <- function(method) {
  withCallingHandlers(fit_netdose(method),
                      fastnma_warning_dose_scale = function(w) {
                        if (method == "quadratic") invokeRestart("muffleWarning")
                      })
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
    fit <- fit_netdose_quiet(m)
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
    fit <- fit_netdose_quiet(m)
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
    fit <- fit_netdose_quiet(m)
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

test_that("the default tau^2 does not depend on the dose unit; netdose's does", {
  d <- netdose_input()
  d_ug <- transform(d, dose1 = dose1 * 1000, dose2 = dose2 * 1000)
  fit <- function(data, how) {
    dose_nma(data, estimate = TE, std.error = seTE, study = studlab,
             netdose = how == "netdose", measure = "RR")
  }
  mg <- fit(d, "DL")
  ug <- fit(d_ug, "DL")
  expect_equal(ug$tau2, mg$tau2, tolerance = 1e-8)
  expect_equal(ug$random$coef * 1000, mg$random$coef, tolerance = 1e-8)
  # Q does not depend on the dose unit; 1e-10: rounding of the rescaled solve
  expect_equal(ug$Q, mg$Q, tolerance = 1e-10)
  # netdose's estimator: the same data in micrograms give another tau^2.
  expect_gt(abs(fit(d_ug, "netdose")$tau2 / fit(d, "netdose")$tau2 - 1), 0.5)
  # The default equals the model's own moment estimator, that of component_nma().
  expect_gt(mg$tau2, 0)
})

test_that("netdose's pseudo-inverse drops the quadratic term of buspirone; the default fits it", {
  expect_warning(q_nd <- fit_netdose("quadratic"), class = "fastnma_warning_dose_scale")
  expect_equal(unname(q_nd$common$coef[c("busp:dose", "busp:dose^2")]), c(0, 0))
  d <- netdose_input()
  q <- expect_no_warning(dose_nma(d, estimate = TE, std.error = seTE, study = studlab,
                                  method = "quadratic", measure = "RR"))
  expect_identical(q$rank, q_nd$rank)
  # Buspirone is given at 0.3 only: under the default its effect at 0.3 is
  # that of the linear model's buspirone effect up to the other agents' fit,
  # and not zero.
  b <- predict(q, agent = "busp", dose = 0.3, model = "common")
  expect_gt(abs(b$estimate), 0.01)
  expect_lt(q$Q, q_nd$Q)
  # The default is the weighted least-squares fit: the fitted contrasts and Q
  # equal those of a QR solution (stats::lm.wfit) with the same weights.
  A <- fastnma:::dose_basis(q$spec, q$node_agent, q$node_dose, q$agents)
  X <- A[q$network$codes$treat1, ] - A[q$network$codes$treat2, ]
  y <- q$network$data$estimate
  w <- q$weights$common
  ls <- stats::lm.wfit(X, y, w)
  expect_identical(ls$rank, q$rank)
  expect_equal(as.vector(X %*% q$common$coef), unname(ls$fitted.values), tolerance = 1e-8)
  expect_equal(q$Q, sum(w * ls$residuals^2), tolerance = 1e-8)
})

test_that("rcs without knots places them as netdose does by default", {
  d <- netdose_input()
  fit <- suppressWarnings(dose_nma(d, estimate = TE, std.error = seTE, study = studlab,
                                   method = "rcs", netdose = TRUE, measure = "RR"))
  # netdose's knots (its glance output) for every agent, none given here;
  # the test's quantiles and the package's are computed separately, so
  # equal up to rounding (1e-12), not bit for bit
  expect_equal(fit$spec$knots, netdose_knots(fit$agents), tolerance = 1e-12)
  ref <- netdose_fixture("rcs_glance")
  expect_close(sqrt(fit$tau2), ref$tau)
  expect_close(fit$Q, ref$Q)
  cf <- netdose_fixture("rcs_coef")
  cf <- cf[cf$param != "plac", ]
  idx <- (match(cf$param, fit$agents) - 1L) * fit$spec$k + cf$coef_index
  for (model in c("common", "random")) {
    expect_close(fit[[model]]$coef[idx], cf[[paste0("coef.", model)]],
                 tiny = coef_floor(fit, idx))
  }
  # The default takes the same probabilities of each agent's dose range
  # without netdose's unit steps: the same knots where the range is a whole
  # number of units from its smallest dose, others where it is not (doses
  # below one unit apart no longer give coinciding knots) ...
  def <- dose_nma(d, estimate = TE, std.error = seTE, study = studlab, method = "rcs",
                  measure = "RR")
  rng <- lapply(def$doses, function(x) range(x[x > 0]))
  expect_equal(def$spec$knots, lapply(rng, function(r) r[1] + c(0.1, 0.5, 0.9) * diff(r)))
  expect_identical(def$spec$knots[["amis"]], fit$spec$knots[["amis"]])
  expect_identical(fit$spec$knots[["palo"]], rep(0.007, 3))
  expect_false(any(duplicated(def$spec$knots[["palo"]])))
  # ... so that the fit does not depend on the dose unit.
  ug <- dose_nma(transform(d, dose1 = dose1 * 1000, dose2 = dose2 * 1000), estimate = TE,
                 std.error = seTE, study = studlab, method = "rcs", measure = "RR")
  expect_equal(ug$spec$knots, lapply(def$spec$knots, `*`, 1000))
  expect_equal(ug$Q, def$Q, tolerance = 1e-8)
  expect_equal(ug$tau2, def$tau2, tolerance = 1e-8)
  p_mg <- predict(def, agent = "onda", dose = c(4, 8, 50))
  p_ug <- predict(ug, agent = "onda", dose = c(4, 8, 50) * 1000)
  expect_equal(p_ug$estimate, p_mg$estimate, tolerance = 1e-8)
  # Probabilities given: placed by the same rule.
  q <- dose_nma(d, estimate = TE, std.error = seTE, study = studlab, method = "rcs",
                measure = "RR", knots = c(0.25, 0.5, 0.75))
  expect_equal(q$spec$knots, lapply(rng, function(r) r[1] + c(0.25, 0.5, 0.75) * diff(r)))
})

# The tau^2 estimators of nma() ---------------------------------------------

# The dose design of a fit on the canonical model's basic contrasts
# (helper-canonical.R): node incidence (every node, reference included)
# times the dose transformation of each node.
dose_canonical <- function(fit, d) {
  cm <- canonical_model(transform(d, treat1 = paste0(agent1, "@", dose1),
                                  treat2 = paste0(agent2, "@", dose2)))
  A <- fastnma:::dose_basis(fit$spec, sub("@.*", "", cm$treatments),
                            as.numeric(sub(".*@", "", cm$treatments)), fit$agents)
  cm$X <- cbind(-rowSums(cm$X), cm$X) %*% A
  cm
}

test_that("every tau^2 estimator of nma(): REML and ML equal metafor::rma.mv with the dose design", {
  skip_if_not_installed("metafor")
  d <- simulate_dose_nma(seed = 4, n_studies = 60, tau = 0.4, p_three = 0.3)
  for (m in c("REML", "ML")) {
    fit <- dose_nma(d, method = "quadratic", tau2_method = m)
    expect_identical(fit$tau2_method, m)
    cm <- dose_canonical(fit, d)
    r <- rma_mv_canonical(cm, m)
    # metafor's optimiser stops at its own relative tolerance (1e-8 on the
    # likelihood), which moves tau^2 in about the sixth digit
    expect_equal(fit$tau2, r$tau2, tolerance = 1e-6)
    expect_equal(unname(fit$random$coef), as.vector(r$beta), tolerance = 1e-6)
    expect_equal(unname(fit$random$cov), unname(r$vb), tolerance = 1e-6)
    # and the compiled fit at metafor's tau^2 is metafor's GLS fit (two
    # implementations of the same solve: equal up to rounding, 1e-10)
    at <- dose_nma(d, method = "quadratic", tau2 = r$tau2)
    expect_equal(unname(at$random$coef), as.vector(r$beta), tolerance = 1e-10)
  }
  # DL: the generalised moment estimator by its formula (written in R in the
  # test, so equal up to the order of the sums: 1e-10); PM: Q at the
  # estimate equals its degrees of freedom.
  dl <- dose_nma(d, method = "quadratic", tau2_method = "DL")
  expect_equal(dl$tau2, canonical_dl(dose_canonical(dl, d)), tolerance = 1e-10)
  pm <- dose_nma(d, method = "quadratic", tau2_method = "PM")
  expect_equal(pm$Q_random, pm$df, tolerance = 1e-8)
  expect_gt(pm$tau2, 0)
  # the four estimates are not one number under four names
  expect_gt(length(unique(signif(c(dl$tau2, pm$tau2,
                                   dose_nma(d, method = "quadratic", tau2_method = "REML")$tau2,
                                   dose_nma(d, method = "quadratic", tau2_method = "ML")$tau2),
                                 6))), 3L)
})

test_that("one dose per agent: the linear model is the lumped nma() under every estimator", {
  d <- simulate_dose_nma(seed = 6, n_studies = 50, tau = 0.4, p_three = 0.3,
                         doses = list(A = 2, B = 10, C = 50))
  lumped <- transform(d, treat1 = agent1, treat2 = agent2)
  for (m in c("DL", "REML", "ML", "PM")) {
    fit <- dose_nma(d, method = "linear", tau2_method = m)
    ref <- nma(lumped, reference = "plac", tau2_method = m)
    expect_equal(fit$tau2, ref$tau2, tolerance = 1e-8)
    expect_equal(fit$Q, ref$Q, tolerance = 1e-10)
    p <- predict(fit, agent = c("A", "B", "C"), dose = c(2, 10, 50))
    tb <- tidy(ref)
    i <- match(c("A vs plac", "B vs plac", "C vs plac"), tb$term)
    expect_equal(p$estimate, tb$estimate[i], tolerance = 1e-8)
    expect_equal(p$std.error, tb$std.error[i], tolerance = 1e-8)
  }
  expect_error(dose_nma(d, netdose = TRUE, tau2_method = "REML"),
               class = "fastnma_error_choice")
  expect_error(dose_nma(d, tau2_method = "SJ"), class = "fastnma_error_choice")
})

# Emax -----------------------------------------------------------------------

test_that("Emax with every ED50 fixed equals the linear fit of the transformed dose", {
  d <- simulate_dose_nma(seed = 3, n_studies = 120, tau = 0.3)
  ed <- c(A = 1.5, B = 12, C = 40)
  em <- dose_nma(d, method = "emax", ed50 = ed)
  tr <- d
  tr$dose1 <- ifelse(d$agent1 == "plac", 0, d$dose1 / (ed[d$agent1] + d$dose1))
  tr$dose2 <- ifelse(d$agent2 == "plac", 0, d$dose2 / (ed[d$agent2] + d$dose2))
  lin <- dose_nma(tr, method = "linear")
  for (model in c("common", "random")) {
    e <- em[[model]]
    i <- grep(":emax$", names(e$coef))
    expect_equal(unname(e$coef[i]), unname(lin[[model]]$coef), tolerance = 1e-8)
    expect_equal(unname(sqrt(diag(e$cov))[i]), unname(sqrt(diag(lin[[model]]$cov))),
                 tolerance = 1e-8)
    # The fixed log ED50 is reported as given, with no uncertainty.
    # (1e-12: only the log/exp round trip of the fixed value)
    expect_equal(unname(e$coef[-i]), unname(log(ed)), tolerance = 1e-12)
    expect_equal(unname(diag(e$cov)[-i]), c(0, 0, 0))
  }
  expect_equal(em$tau2, lin$tau2, tolerance = 1e-8)
  expect_equal(em$Q, lin$Q, tolerance = 1e-8)
  expect_identical(em$df, lin$df)
})

test_that("Emax recovers a declared curve: intervals cover the truth near nominally", {
  truth <- attr(simulate_dose_nma(seed = 1, n_studies = 2), "truth")
  target <- c(rbind(truth$emax, log(truth$ed50)))
  reps <- 120
  cover <- matrix(NA, reps, 6)
  est <- matrix(NA, reps, 6)
  for (r in seq_len(reps)) {
    d <- simulate_dose_nma(seed = 1000 + r, n_studies = 200)
    fit <- dose_nma(d, method = "emax", tau2 = 0)
    tb <- tidy(fit, model = "common")
    est[r, ] <- tb$estimate
    cover[r, ] <- tb$conf.low <= target & target <= tb$conf.high
  }
  expect_identical(tb$term, c("A:emax", "A:log_ed50", "B:emax", "B:log_ed50",
                              "C:emax", "C:log_ed50"))
  # 720 intervals at 95%: binomial SE about 0.008 (more with the correlation
  # of the six parameters within a replicate).
  expect_gt(mean(cover), 0.92)
  expect_lt(mean(cover), 0.98)
  expect_true(all(colMeans(cover) > 0.85))
  # No bias beyond simulation error.
  z <- (colMeans(est) - target) / (apply(est, 2, stats::sd) / sqrt(reps))
  expect_true(all(abs(z) < 4))
})

test_that("Emax with random effects recovers the curve and tau", {
  d <- simulate_dose_nma(seed = 21, n_studies = 400, tau = 0.3)
  fit <- dose_nma(d, method = "emax")
  truth <- attr(d, "truth")
  tb <- tidy(fit)
  target <- c(rbind(truth$emax, log(truth$ed50)))
  expect_true(all(abs(tb$estimate - target) < 3.5 * tb$std.error))
  # One simulated draw, not an identity: tau-hat carries sampling error, so this
  # is a recovery band (tau within 25% of 0.3); the exact checks of tau are
  # the comparisons with netdose above.
  expect_equal(sqrt(fit$tau2), 0.3, tolerance = 0.25)
  # The curve at a dose: predict() agrees with the coefficients.
  p <- predict(fit, agent = "B", dose = 10)
  e <- fit$random$coef
  expect_equal(p$estimate, unname(e[["B:emax"]] * 10 / (exp(e[["B:log_ed50"]]) + 10)))
  expect_true(p$pred.low < p$conf.low && p$conf.high < p$pred.high)
})

# Adversarial inputs ---------------------------------------------------------

adversarial_dose <- function() {
  data.frame(study = c("s1", "s2", "s3", "s4", "s5"),
             agent1 = c("A", "A", "B", "B", "A"), dose1 = c(1, 2, 5, 10, 4),
             agent2 = "P", dose2 = 0, estimate = c(-0.2, -0.5, -0.3, -0.4, -0.6),
             std.error = c(0.2, 0.25, 0.2, 0.3, 0.2), stringsAsFactors = FALSE)
}

test_that("one dose per agent: the linear model is the lumped NMA", {
  d <- adversarial_dose()
  d <- d[c(1, 3, 5), ]
  d$dose1 <- c(2, 5, 2)
  d <- rbind(d, data.frame(study = "s6", agent1 = "B", dose1 = 5, agent2 = "A", dose2 = 2,
                           estimate = 0.1, std.error = 0.3))
  fit <- dose_nma(d, method = "linear")
  lump <- nma(transform(d, treat1 = agent1, treat2 = agent2), reference = "P",
              tau2_method = "DL")
  expect_equal(fit$Q, fit$Q_lump, tolerance = 1e-10)
  expect_equal(fit$Q, lump$Q, tolerance = 1e-10)
  p <- predict(fit, agent = c("A", "B"), dose = c(2, 5), model = "common")
  ref <- tidy(lump, model = "common")
  expect_equal(p$estimate, ref$estimate[match(c("A vs P", "B vs P"), ref$term)],
               tolerance = 1e-10)
  expect_identical(fit$single_dose, c("A", "B"))
})

test_that("an agent given only at dose 0 is a classed error", {
  d <- adversarial_dose()
  d$dose1[d$agent1 == "B"] <- 0
  expect_error(dose_nma(d, reference = "P"), class = "fastnma_error_dose")
})

test_that("no agent at dose 0 only, and no reference given: classed error", {
  d <- adversarial_dose()
  d$dose2 <- 1
  expect_error(dose_nma(d), class = "fastnma_error_reference")
})

test_that("a disconnected network is a classed error naming the agents", {
  d <- adversarial_dose()
  d <- rbind(d, data.frame(study = "s7", agent1 = "C", dose1 = 1, agent2 = "D", dose2 = 1,
                           estimate = 0.1, std.error = 0.3))
  err <- tryCatch(dose_nma(d), fastnma_error_dose_identifiable = function(e) e)
  expect_s3_class(err, "fastnma_error_dose_identifiable")
  expect_setequal(err$agents, c("C", "D"))
})

test_that("an agent without dose variation: documented treatment and classed errors", {
  d <- adversarial_dose()
  d$dose1[d$agent1 == "B"] <- 5
  d$study[4] <- "s4"
  # Quadratic: the agent's curve is determined at its one dose only.
  fit <- dose_nma(d, method = "quadratic")
  expect_identical(fit$single_dose, "B")
  lin <- dose_nma(d, method = "linear")
  out <- utils::capture.output(print(fit))
  expect_true(any(grepl("one dose only", out)))
  # Emax cannot estimate its ED50 ...
  expect_error(dose_nma(d, method = "emax"), class = "fastnma_error_dose_identifiable")
  # ... unless it is fixed.
  fx <- dose_nma(d, method = "emax", ed50 = c(B = 3))
  expect_equal(unname(fx$common$coef[["B:log_ed50"]]), log(3))
})

test_that("bad doses and settings are classed errors naming the column", {
  d <- adversarial_dose()
  d$dose1[2] <- -1
  err <- tryCatch(dose_nma(d), fastnma_error_dose = function(e) e)
  expect_s3_class(err, "fastnma_error_dose")
  expect_identical(err$column, "dose1")
  expect_identical(err$study, "s2")
  d <- adversarial_dose()
  d$dose1 <- as.character(d$dose1)
  expect_error(dose_nma(d), class = "fastnma_error_dose")
  d <- adversarial_dose()
  d$dose1[1] <- NA
  expect_error(dose_nma(d), class = "fastnma_error_missing")
  d <- adversarial_dose()
  expect_error(dose_nma(d, method = "fp1", param = c(1, 2)), class = "fastnma_error_dose")
  expect_error(dose_nma(d, method = "rcs", knots = c(0.5, 0.1, 0.9)), class = "fastnma_error_dose")
  expect_error(dose_nma(d, method = "cubic"), class = "fastnma_error_choice")
  expect_error(dose_nma(d, common_dose = c(Z = 1)), class = "fastnma_error_dose")
  fit <- dose_nma(d)
  expect_error(predict(fit, agent = "Z", dose = 1), class = "fastnma_error_dose")
  expect_error(dose_nma(d, sm = "MD"), class = "fastnma_error_netmeta_argument")
})

test_that("FP powers chosen by likelihood are the best of the usual set", {
  d <- simulate_dose_nma(seed = 5, n_studies = 80)
  best <- dose_nma(d, method = "fp1", param = "best")
  Qs <- vapply(c(-2, -1, -0.5, 0, 0.5, 1, 2, 3), function(p)
    dose_nma(d, method = "fp1", param = p)$Q, numeric(1))
  expect_equal(best$Q, min(Qs))
  expect_equal(best$spec$param, c(-2, -1, -0.5, 0, 0.5, 1, 2, 3)[which.min(Qs)])
  best2 <- dose_nma(d, method = "fp2", param = "best")
  expect_lte(best2$Q, dose_nma(d, method = "fp2")$Q)
})

test_that("results: tidy pairs, glance, predict and the split-model test", {
  fit <- fit_netdose("linear")
  pr <- tidy(fit, type = "pairs")
  n <- length(fit$treatments)
  expect_identical(nrow(pr), as.integer(n * (n - 1) / 2))
  ref <- tidy(fit, type = "reference")
  expect_true(all(ref$treat2 == "plac"))
  p <- predict(fit, agent = ref$treat1, dose = ref$dose1)
  expect_equal(p$estimate, ref$estimate)
  expect_equal(p$std.error, ref$std.error)
  g <- glance(fit)
  expect_equal(g$Q_vs_split, fit$Q - fit$Q_split)
  expect_identical(g$df_vs_split, fit$df - fit$df_split)
  # Split model: one effect per agent-dose node (the standard NMA, here with
  # a disconnected part), fitted within its connected parts.
  expect_gt(g$df_vs_split, 0)
  expect_equal(tidy(fit, type = "pairs", exponentiate = TRUE)$estimate, exp(pr$estimate))
  expect_error(tidy(fit, exponentiate = TRUE), class = "fastnma_error_exponentiate")
})

# Fuzz: random networks, doses and functions give a fit or a classed error,
# never another error, and the fit does not depend on the order of the rows
# or on which arm of a comparison comes first.
test_that("random inputs give a fit or a classed error; row order and orientation do not matter", {
  set.seed(99)
  methods <- c("linear", "exponential", "quadratic", "rcs", "fp1", "fp2", "emax")
  outcomes <- character()
  for (i in 1:40) {
    n_ag <- sample(1:4, 1)
    emax <- stats::setNames(stats::runif(n_ag, -2, 0.5), LETTERS[seq_len(n_ag)])
    ed50 <- stats::setNames(stats::runif(n_ag, 0.5, 20), names(emax))
    d <- simulate_dose_nma(seed = i, n_studies = sample(3:25, 1), emax = emax, ed50 = ed50,
                           tau = stats::runif(1, 0, 0.5), p_three = stats::runif(1))
    if (stats::runif(1) < 0.2) d$dose1[sample(nrow(d), 1)] <- sample(c(0, -1, NA), 1)
    m <- sample(methods, 1)
    res <- tryCatch(suppressWarnings(dose_nma(d, method = m)),
                    fastnma_error = function(e) class(e)[1],
                    error = function(e) paste("OTHER:", conditionMessage(e)))
    if (is.character(res)) {
      outcomes <- c(outcomes, res)
      next
    }
    outcomes <- c(outcomes, "ok")
    if (m == "emax") next  # a local optimum search: order changes its last digits
    perm <- d[sample(nrow(d)), ]
    flip <- stats::runif(nrow(perm)) < 0.5
    perm[flip, c("agent1", "dose1", "agent2", "dose2")] <- perm[flip, c("agent2", "dose2", "agent1", "dose1")]
    perm$estimate[flip] <- -perm$estimate[flip]
    res2 <- suppressWarnings(dose_nma(perm, method = m))
    expect_equal(res2$Q, res$Q, tolerance = 1e-8)
    expect_equal(res2$tau2, res$tau2, tolerance = 1e-6)
    e1 <- predict(res, agent = res$agents, dose = unname(res$common_dose[res$agents]))
    e2 <- predict(res2, agent = res$agents, dose = unname(res$common_dose[res$agents]))
    expect_equal(e2$estimate, e1$estimate, tolerance = 1e-6)
    expect_equal(e2$std.error, e1$std.error, tolerance = 1e-6)
  }
  expect_false(any(grepl("^OTHER", outcomes)), label = paste(unique(outcomes), collapse = ", "))
  expect_gt(mean(outcomes == "ok"), 0.5)
})

test_that("the dose-response figure", {
  skip_if_not_installed("vdiffr")
  fit <- dose_nma(simulate_dose_nma(seed = 1, n_studies = 40), method = "emax")
  p <- autoplot(fit, prediction = TRUE)
  b <- ggplot2::ggplot_build(p)
  expect_identical(nlevels(b$plot$data$agent), 3L)
  vdiffr::expect_doppelganger("dose-emax-simulated", p)
  d <- netdose_input()
  rr <- dose_nma(d, estimate = TE, std.error = seTE, study = studlab, measure = "RR",
                 method = "rcs")
  q <- autoplot(rr, agents = c("onda", "drop", "dexa"))
  # ratio measure: log axis on the risk-ratio scale
  expect_true(any(vapply(q$scales$scales, function(s) identical(s$trans$name, "log-10"),
                         logical(1))))
  vdiffr::expect_doppelganger("dose-rcs-anaesthesia", q)
  expect_error(autoplot(rr, agents = "nope"), class = "fastnma_error_treatment_selection")
})

test_that("arm-level data through arm_contrasts(), agent and dose in the treatment label", {
  arms <- data.frame(
    study = rep(c("s1", "s2", "s3", "s4", "s5"), c(2, 3, 2, 2, 2)),
    agent = c("P", "A", "P", "A", "B", "P", "B", "A", "B", "P", "A"),
    dose = c(0, 10, 0, 5, 20, 0, 40, 20, 10, 0, 2.5),
    events = c(20, 12, 30, 20, 14, 25, 10, 9, 11, 18, 15),
    n = c(100, 100, 120, 118, 121, 90, 92, 80, 82, 60, 61))
  ac <- arm_contrasts(arms, study, paste0(agent, "@", dose), events = events, n = n,
                      measure = "OR")
  fit <- dose_nma(ac, sep = "@")
  expect_identical(fit$reference, "P")
  expect_identical(fit$agents, c("A", "B"))
  expect_identical(fit$measure, "OR")
  d <- as.data.frame(ac)
  manual <- data.frame(study = d$study, agent1 = sub("@.*", "", d$treat1),
                       dose1 = as.numeric(sub(".*@", "", d$treat1)),
                       agent2 = sub("@.*", "", d$treat2),
                       dose2 = as.numeric(sub(".*@", "", d$treat2)),
                       estimate = d$estimate, std.error = d$std.error)
  ref <- dose_nma(manual, measure = "OR")
  expect_equal(fit$random$coef, ref$random$coef)
  expect_equal(fit$tau2, ref$tau2)
  bad <- transform(d, treat1 = sub("@", "#", treat1))
  expect_error(dose_nma(bad, sep = "@", measure = "OR"), class = "fastnma_error_dose")
})

test_that("Emax with a preset tau^2: the common model is fitted without it", {
  d <- simulate_dose_nma(seed = 8, n_studies = 150, tau = 0.3)
  a <- dose_nma(d, method = "emax", tau2 = 0.09)
  b <- dose_nma(d, method = "emax", tau2 = 0)
  expect_equal(a$common$coef, b$common$coef, tolerance = 1e-6)
  expect_equal(a$common$cov, b$common$cov, tolerance = 1e-6)
  expect_equal(a$Q, b$Q, tolerance = 1e-8)
  expect_identical(a$tau2, 0.09)
  # the random model differs: its weights carry tau^2
  expect_gt(max(abs(a$random$coef - b$random$coef)), 1e-4)
})

test_that("Emax with a common ED50 across a class", {
  d <- simulate_dose_nma(seed = 12, n_studies = 250, ed50 = c(A = 10, B = 10, C = 50))
  sep <- dose_nma(d, method = "emax")
  cls <- dose_nma(d, method = "emax", ed50_class = c(A = "one", B = "one"))
  cf <- cls$common$coef
  expect_equal(cf[["A:log_ed50"]], cf[["B:log_ed50"]])
  V <- cls$common$cov
  expect_equal(V["A:log_ed50", "A:log_ed50"], V["B:log_ed50", "B:log_ed50"])
  expect_identical(cls$df, sep$df + 1L)
  expect_gte(cls$Q, sep$Q - 1e-8)
  expect_lt(abs(cf[["A:log_ed50"]] - log(10)), 3.5 * sqrt(V["A:log_ed50", "A:log_ed50"]))
  # The class optimum is the minimum of Q over one shared ED50 (a 1-D search
  # over fits with ED50 fixed).
  q_at <- function(t) dose_nma(d, method = "emax", ed50 = c(A = exp(t), B = exp(t)),
                               tau2 = 0)$Q
  shared <- cls$spec$theta_common[["A"]]
  opt <- stats::optimize(q_at, shared + c(-0.5, 0.5), tol = 1e-8)
  expect_equal(cls$Q, opt$objective, tolerance = 1e-6)
  expect_equal(shared, opt$minimum, tolerance = 1e-3)
  expect_error(dose_nma(d, method = "emax", ed50_class = c(Z = "x")),
               class = "fastnma_error_dose")
})

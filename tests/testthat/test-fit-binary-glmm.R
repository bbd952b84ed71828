# nma_binary(method = "GLMM"): the binomial-normal model with fixed study
# effects, checked against lme4::glmer() fitting the formulation stated in
# ?nma_binary and against metafor::rma.glmm(model = "UM.FS", coding = 1).

quiet <- function(x) suppressWarnings(suppressMessages(x))

# A network of arm-level binary data with multi-arm studies, zero cells and
# heterogeneity.
glmm_sim <- function(S = 25, T = 5, tau = 0.6, seed = 4, p3 = 0.25) {
  out <- glmm_simulate(S, T, tau, p3, seed)
  out$events[c(2, 7, 11)] <- 0
  out
}

# lme4's fit of the stated model. Two-arm networks: the formula of the help
# page. Multi-arm studies: one random-effect term whose variance is shared
# by a study column and an arm column (each loading sqrt(1/2), so that the
# variance of an arm's random effect is tau^2 and the covariance of two arms
# of a study tau^2 / 2), set in reTrms$Zt of lme4's modular functions.
# tolPwrss is tightened so that glmer's conditional modes are converged as
# tightly as the core's (its default, 1e-7, moves estimates by ~1e-4).
glmer_nma <- function(x, treatments, n_agq = 1L) {
  withr::local_package("lme4")
  x <- x[order(match(x$study, unique(x$study)), match(x$treatment, treatments)), ]
  x$fs <- factor(x$study, levels = unique(x$study))
  x$trt <- factor(x$treatment, levels = treatments)
  base <- !duplicated(x$study)
  N <- nrow(x)
  ctrl <- lme4::glmerControl(tolPwrss = 1e-12, optimizer = "bobyqa",
                             optCtrl = list(rhoend = 1e-10, maxfun = 1e5),
                             check.nobs.vs.nlev = "ignore", check.nobs.vs.nRE = "ignore",
                             check.nlev.gtr.1 = "ignore")
  if (all(table(x$study) == 2L)) {
    x$nb <- as.numeric(!base)
    g <- lme4::glmer(cbind(events, n - events) ~ 0 + fs + trt + (0 + nb | fs), data = x,
                     family = stats::binomial, nAGQ = n_agq, control = ctrl)
  } else {
    stopifnot(n_agq == 1L)
    x$lev <- factor(seq_len(N))
    lf <- lme4::glFormula(cbind(events, n - events) ~ 0 + fs + trt + (1 | lev), data = x,
                          family = stats::binomial, control = ctrl)
    si <- match(x$study, unique(x$study))
    nb <- which(!base)
    lf$reTrms$Zt <- Matrix::sparseMatrix(
      i = c(si[nb], length(unique(x$study)) + seq_along(nb)), j = c(nb, nb),
      x = rep(sqrt(0.5), 2 * length(nb)), dims = c(N, N))
    devfun <- do.call(lme4::mkGlmerDevfun, c(lf, list(nAGQ = 0L, control = ctrl)))
    opt <- lme4::optimizeGlmer(devfun, stage = 1,
                               control = list(rhoend = 1e-10, maxfun = 1e5))
    devfun <- lme4::updateGlmerDevfun(devfun, lf$reTrms, nAGQ = 1L)
    opt <- lme4::optimizeGlmer(devfun, optimizer = "bobyqa", stage = 2,
                               control = list(rhoend = 1e-10, maxfun = 1e5))
    g <- lme4::mkMerMod(environment(devfun), opt, lf$reTrms, fr = lf$fr)
  }
  fe <- lme4::fixef(g)
  v <- as.matrix(stats::vcov(g))
  keep <- grep("^trt", names(fe))
  glm_fit <- stats::glm(cbind(events, n - events) ~ 0 + fs + trt, data = x,
                        family = stats::binomial,
                        control = stats::glm.control(epsilon = 1e-14, maxit = 100))
  gv <- stats::vcov(glm_fit)
  list(d = unname(fe[keep]), se = unname(sqrt(diag(v)[keep])),
       tau = unname(lme4::getME(g, "theta")), loglik = as.numeric(stats::logLik(g)),
       common_d = unname(stats::coef(glm_fit)[keep]),
       common_se = unname(sqrt(diag(gv)[keep])),
       common_loglik = as.numeric(stats::logLik(glm_fit)))
}

expect_glmer_equal <- function(fit, ref, loglik = TRUE) {
  expect_equal(unname(fit$random$theta[-1]), ref$d, tolerance = 1e-4)
  expect_equal(unname(sqrt(diag(fit$random$cov))[-1]), ref$se, tolerance = 1e-4)
  expect_equal(sqrt(fit$tau2), ref$tau, tolerance = 1e-4)
  if (loglik) expect_equal(fit$glmm$loglik[["random"]], ref$loglik, tolerance = 1e-6)
  expect_equal(unname(fit$common$theta[-1]), ref$common_d, tolerance = 1e-6)
  expect_equal(unname(sqrt(diag(fit$common$cov))[-1]), ref$common_se, tolerance = 1e-6)
  expect_equal(fit$glmm$loglik[["common"]], ref$common_loglik, tolerance = 1e-8)
}

test_that("the Laplace fit equals glmer() on networks with multi-arm studies and zero cells", {
  skip_on_cran()
  sim <- glmm_sim()
  dong <- dong2013[!dong2013$study %in% c("study5", "study25", "study37"), ]
  smoke <- smokingcessation
  smoke$events[c(3, 10)] <- 0
  nets <- list(sim = sim, dong = dong, smoke = smoke)
  for (nm in names(nets)) {
    x <- nets[[nm]]
    expect_true(any(table(x$study) > 2L))
    expect_true(any(x$events == 0))
    fit <- quiet(nma_binary(x, method = "GLMM", n_agq = 1))
    ref <- glmer_nma(x, fit$treatments)
    expect_glmer_equal(fit, ref)
    # likelihood-ratio statistic against the common-effect (logistic) model
    expect_equal(fit$glmm$lr, max(0, 2 * (ref$loglik - ref$common_loglik)), tolerance = 1e-5)
  }
  # the heterogeneous networks have tau > 0 (not a boundary fit)
  expect_gt(quiet(nma_binary(sim, method = "GLMM", n_agq = 1))$tau2, 0.1)
})

test_that("adaptive Gauss-Hermite quadrature equals glmer(nAGQ = k) on two-arm networks", {
  skip_on_cran()
  x <- glmm_sim(S = 20, T = 4, tau = 0.8, seed = 11, p3 = 0)
  for (k in c(5L, 7L, 11L)) {
    fit <- quiet(nma_binary(x, method = "GLMM", n_agq = k))
    ref <- glmer_nma(x, fit$treatments, n_agq = k)
    # glmer's logLik() with nAGQ > 1 omits a constant (a known lme4 limitation):
    # the saturated binomial log-likelihood of the data
    expect_glmer_equal(fit, ref, loglik = FALSE)
    sat <- sum(stats::dbinom(x$events, x$n, x$events / x$n, log = TRUE))
    expect_equal(fit$glmm$loglik[["random"]] - sat, ref$loglik, tolerance = 1e-6)
  }
})

test_that("two-treatment networks equal metafor::rma.glmm(model = 'UM.FS', coding = 1)", {
  skip_on_cran()
  tau2 <- numeric(3)
  for (seed in 1:3) {
    set.seed(seed)
    k <- 14
    n1 <- sample(20:90, k, TRUE)
    n0 <- sample(20:90, k, TRUE)
    e0 <- stats::rbinom(k, n0, 0.08)
    e1 <- stats::rbinom(k, n1, stats::plogis(stats::qlogis(0.08) + 0.6 + stats::rnorm(k, 0, 0.9)))
    e0[1] <- 0
    x <- data.frame(study = rep(seq_len(k), 2), treatment = rep(c("B", "A"), each = k),
                    events = c(e1, e0), n = c(n1, n0))
    # rma.glmm's default quadrature is nAGQ = 7, the default of nma_binary()
    r <- metafor::rma.glmm(measure = "OR", ai = e1, n1i = n1, ci = e0, n2i = n0,
                           model = "UM.FS", coding = 1)
    fit <- quiet(nma_binary(x, method = "GLMM"))
    expect_identical(fit$glmm$n_agq, 7L)
    expect_equal(unname(fit$random$theta[["B"]]), as.numeric(r$beta), tolerance = 1e-4)
    expect_equal(unname(sqrt(fit$random$cov["B", "B"])), r$se, tolerance = 1e-4)
    expect_equal(fit$tau2, r$tau2, tolerance = 1e-4)
    tau2[seed] <- fit$tau2
    # (rma.glmm()'s log-likelihood with nAGQ > 1 is its own correction of
    # glmer's, the saturated log-likelihood minus half glmer's deviance; the
    # log-likelihood is checked against glmer() above)
  }
  # one of the networks is heterogeneous (and its profile likelihood has a
  # local maximum at tau = 0 beside the global one at tau = 0.84)
  expect_gt(max(tau2), 0.5)
})

test_that("the profile-likelihood interval of tau^2 brackets the estimate and the LR test treats the boundary", {
  x <- glmm_sim()
  fit <- quiet(nma_binary(x, method = "GLMM", n_agq = 1))
  g <- fit$glmm
  expect_lt(g$tau2_lower, fit$tau2)
  expect_gt(g$tau2_upper, fit$tau2)
  # the interval's ends are where the profile log-likelihood is
  # qchisq(0.95, 1) / 2 below its maximum: refit at tau fixed by the core
  prof <- function(t2) glmm_profile(fit, t2)
  crit <- stats::qchisq(0.95, 1) / 2
  expect_equal(g$loglik[["random"]] - prof(g$tau2_upper), crit, tolerance = 1e-5)
  if (g$tau2_lower > 0) {
    expect_equal(g$loglik[["random"]] - prof(g$tau2_lower), crit, tolerance = 1e-5)
  }
  expect_equal(g$p_value_lr, 0.5 * stats::pchisq(g$lr, 1, lower.tail = FALSE))
  # a boundary fit: tau^2 = 0, LR = 0, p = 1, random model = common model
  y <- glmm_sim(tau = 0, seed = 2)
  b <- quiet(nma_binary(y, method = "GLMM"))
  if (b$tau2 == 0) {
    expect_identical(b$glmm$lr, 0)
    expect_identical(b$glmm$p_value_lr, 1)
    expect_equal(b$random$theta, b$common$theta)
  }
})

test_that("studies without events (or with only events) are audited and change nothing", {
  x <- glmm_sim(S = 12, T = 3, seed = 5)
  base <- quiet(nma_binary(x, method = "GLMM"))
  extra <- rbind(x, data.frame(study = c("z0", "z0", "z1", "z1"),
                               treatment = c("T01", "T02", "T01", "T03"),
                               events = c(0, 0, 40, 30), n = c(40, 30, 40, 30)))
  expect_message(fit <- nma_binary(extra, method = "GLMM"), "Left out 2 studies")
  # two separate optimiser runs on data indexed differently (the audited
  # studies are dropped first): equal up to rounding, 1e-10 far inside the
  # optimiser's own convergence tolerance
  expect_equal(fit$random$theta, base$random$theta, tolerance = 1e-10)
  expect_equal(fit$tau2, base$tau2, tolerance = 1e-10)
  audit <- zero_cell_audit(fit)
  expect_setequal(audit$study[audit$action == "excluded"], c("z0", "z1"))
  # zero cells are kept without correction, and the audit says so
  kept <- audit[audit$action == "kept", ]
  expect_true(all(x$study[x$events == 0] %in% kept$study))
  expect_true(all(is.na(kept$increment)))
  expect_match(kept$reason, "no correction")
})

test_that("bad input and non-estimable effects get classed errors", {
  x <- glmm_sim(S = 12, T = 3, seed = 5)
  expect_error(nma_binary(x, measure = "RR", method = "GLMM"), class = "fastnma_error_measure")
  expect_error(nma_binary(x, method = "GLMM", n_agq = 0), class = "fastnma_error_choice")
  expect_error(nma_binary(x, method = "GLMM", n_agq = 2.5), class = "fastnma_error_choice")
  expect_error(nma_binary(x, method = "GLMM", nodes = 3), class = "fastnma_error_unknown_argument")
  expect_error(nma_binary(x, method = "GLMM", zero_cells = zero_cell_policy()),
               class = "fastnma_error_policy")
  # a treatment without events in any arm: its estimate is -Inf
  y <- x
  y$events[y$treatment == "T03"] <- 0
  err <- expect_error(nma_binary(y, method = "GLMM"), class = "fastnma_error_not_estimable")
  expect_identical(err$treatments, "T03")
  # ... or with events in every patient
  y <- x
  y$events[y$treatment == "T02"] <- y$n[y$treatment == "T02"]
  expect_error(nma_binary(y, method = "GLMM"), class = "fastnma_error_not_estimable")
  # separation: a treatment compared once, with an arm without events
  sep <- data.frame(study = rep(c("a", "b", "c"), each = 2),
                    treatment = c("A", "B", "A", "B", "A", "X"),
                    events = c(3, 6, 4, 7, 0, 5), n = rep(40, 6))
  err <- expect_error(quiet(nma_binary(sep, method = "GLMM")),
                      class = "fastnma_error_not_estimable")
  expect_identical(err$treatments, "X")
  # a disconnected network
  d <- data.frame(study = rep(c("a1", "a2", "u1", "u2"), each = 2),
                  treatment = c("A", "B", "A", "B", "C", "D", "C", "D"),
                  events = c(3, 6, 2, 5, 3, 5, 4, 6), n = rep(c(50, 60), each = 4))
  expect_error(quiet(nma_binary(d, method = "GLMM")), class = "fastnma_error_disconnected")
})

test_that("one study and sparse networks give finite results or a classed condition", {
  one <- data.frame(study = "s", treatment = c("A", "B", "C"), events = c(2, 1, 5),
                    n = c(30, 30, 30))
  fit <- quiet(nma_binary(one, method = "GLMM"))
  expect_true(all(is.finite(fit$common$theta)))
  expect_true(all(is.finite(fit$random$cov)))
  expect_true(is.finite(fit$tau2))
  one$events[2] <- 0
  expect_error(nma_binary(one, method = "GLMM"), class = "fastnma_error_not_estimable")
  # quasi-separation: every conceivable outcome is finite or warned about
  sparse <- data.frame(study = rep(c("a", "b", "c"), each = 2),
                       treatment = rep(c("A", "B"), 3),
                       events = c(0, 3, 0, 2, 1, 4), n = rep(20, 6))
  res <- tryCatch(nma_binary(sparse, method = "GLMM"),
                  fastnma_warning_convergence = function(w) w)
  if (!inherits(res, "fastnma_warning_convergence")) {
    expect_true(all(is.finite(tidy(res)$estimate)))
    expect_true(all(is.finite(tidy(res)$std.error)))
  }
})

test_that("the fit works with the verbs that make sense and gates the others", {
  fit <- quiet(nma_binary(glmm_sim(), method = "GLMM"))
  expect_s3_class(fit, c("nma_glmm", "nma"))
  expect_identical(fit$method, "GLMM")
  for (m in c("random", "common")) {
    td <- tidy(fit, model = m, comparisons = "all")
    expect_equal(nrow(td), choose(fit$n, 2))
    expect_true(all(is.finite(td$std.error)))
  }
  gl <- glance(fit)
  expect_equal(gl$tau2, fit$tau2)
  expect_equal(gl$logLik, fit$glmm$loglik[["random"]])
  expect_equal(gl$tau2_lower, fit$glmm$tau2_lower)
  expect_equal(gl$statistic_lr, fit$glmm$lr)
  lt <- league_table(fit)
  expect_equal(nrow(lt), fit$n * (fit$n - 1))
  rk <- rank_treatments(fit)
  expect_equal(nrow(rk), fit$n)
  ab <- absolute_effects(fit, baseline_risk = 0.1)
  expect_true(all(is.finite(ab$risk)))
  expect_s3_class(benefit_harm(fit, fit), "data.frame")
  expect_s3_class(ggplot2::autoplot(fit), "ggplot")
  err <- expect_error(node_split(fit), class = "fastnma_error_not_supported")
  expect_identical(err$fit_method, "GLMM")
  expect_output(print(fit), "Binomial-normal")
  expect_output(print(summary(fit)), "tau")
})

test_that("a 20-treatment, 100-study network is fitted in well under a second", {
  skip_on_cran()
  set.seed(20)
  x <- glmm_sim(S = 100, T = 20, tau = 0.3, seed = 20, p3 = 0.2)
  t <- system.time(fit <- quiet(nma_binary(x, method = "GLMM", n_agq = 1)))
  expect_equal(fit$n, 20L)
  # CPU time of this process: the load of a shared machine does not enter
  cpu <- t[["user.self"]] + t[["sys.self"]]
  expect_lt(cpu, 1)
})

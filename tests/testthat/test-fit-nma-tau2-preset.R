# A preset tau^2: the random-effects model evaluated at a given value, checked
# live against netmeta's tau.preset (which takes tau, the square root).

preset_pairs <- function(fit, order) {
  th <- fit$random$theta[order]
  C <- fit$random$cov[order, order]
  v <- outer(diag(C), diag(C), "+") - 2 * C
  list(TE = outer(th, th, "-"), seTE = sqrt(pmax(v, 0)))
}

check_preset_live <- function(d, tau2, info) {
  fit <- nma(d, estimate, std.error, treat1, treat2, study, tau2 = tau2)
  expect_identical(fit$tau2_method, "preset", info = info)
  expect_equal(fit$tau2, tau2, info = info)
  nm <- suppressWarnings(netmeta::netmeta(
    estimate, std.error, treat1, treat2, study, data = d, sm = "MD",
    common = TRUE, random = TRUE, tau.preset = sqrt(tau2)))
  trt <- rownames(nm$TE.random)
  off <- row(nm$TE.random) != col(nm$TE.random)
  ours <- preset_pairs(fit, trt)
  expect_equal(unname(ours$TE[off]), unname(nm$TE.random[off]), tolerance = 1e-6, info = info)
  expect_equal(unname(ours$seTE[off]), unname(nm$seTE.random[off]), tolerance = 1e-6, info = info)
  tab <- as.data.frame(tidy(fit, model = "random"))
  i <- match(paste(tab$treat1, tab$treat2), paste(trt[row(nm$TE.random)], trt[col(nm$TE.random)]))
  expect_equal(tab$estimate, unname(nm$TE.random[i]), tolerance = 1e-6, info = info)
  expect_equal(tab$std.error, unname(nm$seTE.random[i]), tolerance = 1e-6, info = info)
  expect_equal(tab$pred.low, unname(nm$lower.predict[i]), tolerance = 1e-6, info = info)
  expect_equal(tab$pred.high, unname(nm$upper.predict[i]), tolerance = 1e-6, info = info)
  expect_equal(glance(fit)$tau2, nm$tau2, tolerance = 1e-6, info = info)
  # the common-effect model is untouched by the preset
  est <- nma(d, estimate, std.error, treat1, treat2, study, tau2_method = "DL")
  expect_equal(fit$common, est$common)
  fit
}

test_that("a preset tau^2 reproduces netmeta(tau.preset = sqrt(tau2)) live", {
  skip_if_not_installed("netmeta")
  senn <- get(utils::data("Senn2013", package = "netmeta", envir = environment()))
  senn <- data.frame(study = senn$studlab, treat1 = senn$treat1, treat2 = senn$treat2,
                     estimate = senn$TE, std.error = senn$seTE)
  for (t2 in c(0, 0.05, 0.4)) check_preset_live(senn, t2, paste("Senn2013", t2))
  rn <- random_network(6, 14, p_multi = 0.3, max_arms = 4, tau = 0.5, seed = 404)
  for (t2 in c(0.01, 0.3)) check_preset_live(rn, t2, paste("random", t2))
})

test_that("a preset tau^2 equal to the estimate gives the estimated fit", {
  est <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "REML")
  pre <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2 = est$tau2)
  expect_equal(pre$random, est$random, tolerance = 1e-12)
  expect_identical(glance(pre)$tau2_method, "preset")
  expect_true(is.na(glance(pre)$logLik))
  expect_output(print(pre), "preset")
  other <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2 = 2 * est$tau2)
  expect_false(isTRUE(all.equal(other$random$cov, est$random$cov)))
})

test_that("diagnostics of a preset fit keep the preset tau^2", {
  pre <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2 = 0.2)
  fixed <- node_split(pre, method = "separate", tau2 = "fixed")
  re <- node_split(pre, method = "separate")
  expect_equal(tidy(re), tidy(fixed))
  expect_false("tau2_indirect" %in% names(tidy(re)))
  loo <- leave_one_out(pre)
  expect_equal(loo$studies$tau2, rep(0.2, length(pre$studies)))
  keep <- setdiff(names(loo$studies), "tau2")
  expect_equal(loo$studies[keep], leave_one_out(pre, reestimate_tau2 = FALSE)$studies[keep])
})

test_that("a preset tau^2 must be one finite non-negative number", {
  for (bad in list(-0.1, NA_real_, Inf, NaN, c(0.1, 0.2), "0.1", numeric(0))) {
    expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, tau2 = bad),
                 class = "fastnma_error_tau2")
  }
})

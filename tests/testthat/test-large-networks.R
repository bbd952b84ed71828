# The paths that make large networks fast, checked on networks small enough
# to refit: the Newton REML/ML search beyond the grid threshold, the
# low-rank re-estimation of tau^2 in leave_one_out() and node_split(), the
# impact matrices on request, and leave_one_out() through the future
# framework.

withr_options <- function(opts, code) {
  old <- options(opts)
  on.exit(options(old))
  code
}

test_that("REML and ML without the grid scan reach the maximum of the likelihood", {
  # more treatments than the grid threshold of the core (150)
  d <- random_network(160, 400, seed = 11)
  cm <- canonical_model(d)
  for (method in c("REML", "ML")) {
    fit <- nma(d, tau2_method = method)
    ll <- function(t) canonical_loglik(cm, t, reml = method == "REML")
    best <- stats::optimize(ll, c(0, 4 * max(fit$tau2, 0.1)), maximum = TRUE,
                            tol = 1e-12)$maximum
    expect_gt(fit$tau2, 0)
    expect_equal(fit$tau2, best, tolerance = 1e-6, info = method)
    expect_gte(ll(fit$tau2), ll(best) - 1e-10)
    expect_true(fit$tau2_info$converged)
  }
})

test_that("low-rank tau2 re-estimation in leave_one_out() equals refits", {
  d <- random_network(12, 60, seed = 5)
  for (method in c("DL", "REML", "ML")) {
    fit <- nma(d, tau2_method = method)
    lo <- withr_options(list(fastnma.loo_exact_budget = 0), leave_one_out(fit))
    ex <- withr_options(list(fastnma.loo_exact_budget = Inf), leave_one_out(fit))
    refit <- vapply(fit$studies, function(s) {
      nma(d[d$study != s, ], tau2_method = method, reference = fit$reference)$tau2
    }, numeric(1))
    keep <- !lo$studies$disconnects
    expect_equal(ex$studies$tau2[keep], unname(refit[keep]), tolerance = 1e-8,
                 info = method)
    tol <- if (method == "DL") 1e-10 else 1e-6
    expect_equal(lo$studies$tau2[keep], unname(refit[keep]), tolerance = tol,
                 info = method)
    expect_equal(lo$estimates, ex$estimates)
  }
})

test_that("impact matrices are kept on request, max_impact always", {
  fit <- nma(random_network(8, 30, seed = 2), tau2_method = "DL")
  full <- leave_one_out(fit, impact = TRUE)
  lean <- leave_one_out(fit, impact = FALSE)
  expect_null(lean$impact)
  expect_equal(lean$studies, full$studies)
  expect_equal(full$studies$max_impact, unname(apply(full$impact$random, 1, max)))
  expect_message(
    withr_options(list(fastnma.impact_max = 10), leave_one_out(fit)),
    class = "fastnma_message_impact_not_kept")
  expect_error(leave_one_out(fit, impact = "yes"), class = "fastnma_error_flag")
  expect_error(leave_one_out(fit, parallel = NA), class = "fastnma_error_flag")
})

test_that("leave_one_out() through future gives the sequential numbers", {
  skip_if_not_installed("future.apply")
  fit <- nma(random_network(10, 40, seed = 3), tau2_method = "REML")
  seq_run <- leave_one_out(fit, impact = TRUE)
  old <- future::plan(future::multisession, workers = 2)
  on.exit(future::plan(old), add = TRUE)
  par_run <- leave_one_out(fit, impact = TRUE, parallel = TRUE)
  expect_identical(par_run$studies, seq_run$studies)
  expect_identical(par_run$estimates, seq_run$estimates)
  expect_identical(par_run$impact, seq_run$impact)
})

test_that("low-rank tau2 re-estimation in node_split(separate) equals refits", {
  d <- random_network(20, 300, seed = 7)
  for (method in c("DL", "REML", "ML")) {
    fit <- nma(d, tau2_method = method)
    lr <- withr_options(list(fastnma.split_exact_budget = 0),
                        node_split(fit, method = "separate"))
    ex <- withr_options(list(fastnma.split_exact_budget = Inf),
                        node_split(fit, method = "separate"))
    expect_identical(lr[c("treat1", "treat2", "k", "evidence")],
                     ex[c("treat1", "treat2", "k", "evidence")])
    mixed <- ex$evidence == "mixed"
    expect_gt(sum(mixed), 100)
    # the exact path is a refit without the comparison's studies
    for (i in which(mixed)[c(1, 50, 100)]) {
      a <- ex$treat1[i]
      b <- ex$treat2[i]
      drop <- unique(d$study[(d$treat1 == a & d$treat2 == b) | (d$treat1 == b & d$treat2 == a)])
      refit <- nma(d[!d$study %in% drop, ], tau2_method = method, reference = fit$reference)
      tb <- tidy(refit, comparisons = "all")
      j <- which(tb$treat1 == a & tb$treat2 == b)
      expect_equal(ex$tau2_indirect[i], refit$tau2, tolerance = 1e-8, info = method)
      expect_equal(ex$indirect[i], tb$estimate[j], tolerance = 1e-8, info = method)
      expect_equal(ex$indirect_se[i], tb$std.error[j], tolerance = 1e-8, info = method)
    }
    # most comparisons take the low-rank path (tau^2 within 2.5% of the fit's)
    expect_gt(mean(lr$tau2_indirect[mixed] != ex$tau2_indirect[mixed]), 0.5)
    # the accuracy stated in ?node_split
    tol_tau2 <- if (method == "DL") 1e-12 else 1e-7
    expect_lt(max(abs(lr$tau2_indirect[mixed] / ex$tau2_indirect[mixed] - 1)), tol_tau2)
    expect_lt(max(abs(lr$indirect[mixed] - ex$indirect[mixed]) / ex$indirect_se[mixed]), 1e-7)
    expect_lt(max(abs(lr$indirect_se[mixed] / ex$indirect_se[mixed] - 1)), 1e-7)
    expect_equal(lr$direct, ex$direct)
    expect_equal(lr$network, ex$network)
  }
  # without heterogeneity: tau^2 at the boundary, kept there or moved by a
  # refit
  d0 <- random_network(20, 300, tau = 0, seed = 3)
  for (method in c("DL", "REML")) {
    fit <- nma(d0, tau2_method = method)
    lr <- withr_options(list(fastnma.split_exact_budget = 0),
                        node_split(fit, method = "separate"))
    ex <- withr_options(list(fastnma.split_exact_budget = Inf),
                        node_split(fit, method = "separate"))
    mixed <- ex$evidence == "mixed"
    expect_identical(lr$evidence, ex$evidence)
    expect_lt(max(abs(lr$tau2_indirect[mixed] - ex$tau2_indirect[mixed])), 1e-7 * max(fit$tau2, 1e-3))
    expect_lt(max(abs(lr$indirect[mixed] - ex$indirect[mixed]) / ex$indirect_se[mixed]), 1e-7)
    expect_lt(max(abs(lr$indirect_se[mixed] / ex$indirect_se[mixed] - 1)), 1e-7)
  }
})

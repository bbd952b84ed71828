# How often the core builds a network (build_network(): the multi-arm
# back-solve, the designs), counted by the core itself: once per nma() fit,
# never again by a verb on that fit, and at most once per call when the
# compiled network has to be rebuilt (after readRDS(), or for data edited in
# the object).

builds <- function(expr) {
  network_builds_cpp(TRUE)
  force(expr)
  network_builds_cpp(FALSE)
}

builds_fixture <- function() {
  arm <- random_arm_network(8, 16, p_multi = 0.3, max_arms = 4, seed = 25)
  d <- arm_contrasts(arm, measure = "MD")
  list(d = d, fit = nma(d))
}

compiled_verbs <- list(
  node_split = function(f) node_split(f),
  node_split_backcalc = function(f) node_split(f, method = "back-calculation"),
  direct_estimates = function(f) direct_estimates(f),
  inconsistency = function(f) inconsistency(f),
  contributions = function(f) contributions(f),
  contributions_study = function(f) contributions(f, study = TRUE),
  leave_one_out = function(f) suppressMessages(leave_one_out(f)),
  league_table = function(f) league_table(f),
  rank_treatments = function(f) rank_treatments(f),
  netheat = function(f) netheat_data(f, "common"),
  nma_regression = function(f) {
    cov <- stats::setNames(seq_along(f$studies) / length(f$studies), f$studies)
    suppressMessages(nma_regression(f, cov))
  },
  confidence = function(f) {
    rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(f$studies)),
                           f$studies)
    confidence(f, rob, margin = 0.2)
  }
)

test_that("nma() builds the network once per fit, nma_network() once", {
  fx <- builds_fixture()
  expect_identical(builds(nma(fx$d)), 1)
  expect_identical(builds(net <- nma_network(fx$d)), 1)
  expect_identical(builds(fit <- nma(net)), 0)
  expect_identical(fit$network, net)
  expect_identical(builds(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")), 1)
})

test_that("every compiled verb reuses the fit's network (no build)", {
  fit <- builds_fixture()$fit
  for (v in names(compiled_verbs)) {
    n <- builds(compiled_verbs[[v]](fit))
    expect_identical(n, 0, label = paste(v, "builds"))
  }
})

test_that("after serialization each verb rebuilds the network at most once", {
  fit <- builds_fixture()$fit
  back <- unserialize(serialize(fit, NULL))
  expect_false(network_handle_ok_cpp(back$network))
  for (v in names(compiled_verbs)) {
    n <- builds(r <- compiled_verbs[[v]](back))
    expect_lte(n, 1, label = paste(v, "builds after unserialize()"))
    expect_equal(r, compiled_verbs[[v]](fit), label = paste(v, "after unserialize()"))
  }
  # refitting a network read back builds it once, and the fit keeps it live
  expect_identical(builds(refit <- nma(back$network)), 1)
  expect_true(network_handle_ok_cpp(refit$network))
  expect_identical(builds(node_split(refit)), 0)
})

test_that("a network whose stored data were edited is rebuilt from them, not used stale", {
  fit <- builds_fixture()$fit
  edited <- fit
  edited$network$data$estimate <- 2 * edited$network$data$estimate
  expect_false(network_handle_ok_cpp(edited$network))
  expect_true(network_handle_ok_cpp(fit$network))
  # every contrast doubled (multi-arm studies stay consistent): the direct
  # estimates follow the stored data
  de <- direct_estimates(edited, model = "common")
  d0 <- direct_estimates(fit, model = "common")
  # doubling is exact in arithmetic; 1e-12 leaves room only for the rounding
  # of the rebuilt network's weighted sums
  expect_equal(de$estimate, 2 * d0$estimate, tolerance = 1e-12)
})

test_that("component_nma() reuses the network of its fit", {
  arm <- random_arm_network(4, 12, p_multi = 0.3, seed = 7)
  arm$treatment <- c(T1 = "P", T2 = "A", T3 = "B", T4 = "A+B")[arm$treatment]
  fit <- nma(arm_contrasts(arm, measure = "MD"))
  expect_identical(builds(cn <- suppressMessages(component_nma(fit, inactive = "P"))), 0)
  back <- unserialize(serialize(fit, NULL))
  expect_identical(builds(cb <- suppressMessages(component_nma(back, inactive = "P"))), 1)
  # the same data and arithmetic on a rebuilt network: equal up to rounding
  expect_equal(coef(cb), coef(cn), tolerance = 1e-12)
})

test_that("the subnetworks of cumulative_nma() are built once per step", {
  fit <- builds_fixture()$fit
  step <- stats::setNames(rep(1:3, length.out = length(fit$studies)), fit$studies)
  expect_identical(builds(suppressMessages(cumulative_nma(fit, step))), 3)
})

test_that("networks equal in data compare equal whatever compiled handle they hold", {
  fx <- builds_fixture()
  expect_equal(nma_network(fx$d), nma_network(fx$d))
  expect_equal(nma(fx$d), nma(fx$d))
})

test_that("compiled verbs take the network object and a list of options, not its rows", {
  ns <- asNamespace("fastnma")
  exports <- Filter(function(f) is.function(get(f, ns)), ls(ns, pattern = "^[a-z].*_cpp$"))
  takes_network <- Filter(function(f) "network" %in% names(formals(get(f, ns))), exports)
  expect_setequal(takes_network, c(
    "network_build_cpp", "network_handle_ok_cpp", "nma_fit_cpp", "direct_cpp",
    "split_cpp", "loo_cpp", "inconsistency_cpp", "netheat_cpp", "contrib_cpp", "component_fit_cpp",
    "nma_regression_cpp", "dose_fit_cpp", "design_test_cpp"))
  for (f in takes_network) {
    expect_lte(length(formals(get(f, ns))), 3L, label = paste(f, "arguments"))
  }
  # no export takes a network as edge-list vectors
  rows <- Filter(function(f) all(c("t1", "t2", "y", "se") %in% names(formals(get(f, ns)))),
                 exports)
  expect_identical(rows, character())
})

test_that("no compiled routine takes more than three arguments", {
  # the routines registered by the shared library: every Rcpp export (and
  # the C++ test runner), with the number of arguments .Call() passes
  routines <- getDLLRegisteredRoutines("fastnma")$.Call
  n_args <- vapply(routines, function(r) as.integer(r$numParameters), integer(1))
  names(n_args) <- vapply(routines, function(r) r$name, character(1))
  expect_true(all(c("_fastnma_nma_fit_cpp", "_fastnma_mh_fit_cpp", "_fastnma_twobytwo_cpp",
                    "_fastnma_rank_sim_cpp") %in% names(n_args)))
  expect_identical(names(n_args)[n_args > 3L], character())
  # and their R wrappers
  ns <- asNamespace("fastnma")
  exports <- Filter(function(f) is.function(get(f, ns)), ls(ns, pattern = "_cpp$"))
  n_formals <- vapply(exports, function(f) length(formals(get(f, ns))), integer(1))
  expect_identical(names(n_formals)[n_formals > 3L], character())
})

# component_nma() against live netmeta::netcomb() and netmeta::discomb(), and
# the recovery of a declared cell effect in the SIMULATED MSC trials.

library(netmeta)

rel_diff <- function(a, b) max(abs(a - b) / pmax(abs(b), 1))

linde <- function() {
  data("Linde2016", package = "netmeta", envir = environment())
  Linde2016
}

linde_contrasts <- function(d) {
  data.frame(study = d$id, treat1 = d$treat1, treat2 = d$treat2,
             estimate = d$lnOR, std.error = d$selnOR, stringsAsFactors = FALSE)
}

# Every number netcomb()/discomb() reports for the additive model.
expect_matches_netcomb <- function(cn, nc, tol = 1e-6, disconnected = FALSE) {
  cc <- nc$comps
  trt <- nc$trts
  expect_setequal(cn$components, cc)
  for (m in c("common", "random")) {
    expect_lt(rel_diff(cn[[m]]$beta[cc], nc[[paste0("Comp.", m)]]), tol)
    expect_lt(rel_diff(sqrt(diag(cn[[m]]$cov))[cc], nc[[paste0("seComp.", m)]]), tol)
    expect_lt(rel_diff(cn[[paste0("comb_", m)]]$beta[trt], nc[[paste0("Comb.", m)]]), tol)
    expect_lt(rel_diff(sqrt(diag(cn[[paste0("comb_", m)]]$cov))[trt],
                       nc[[paste0("seComb.", m)]]), tol)
    td <- tidy(cn, model = m)
    i <- match(cc, td$component)
    expect_lt(rel_diff(td$conf.low[i], nc[[paste0("lower.Comp.", m)]]), tol)
    expect_lt(rel_diff(td$p.value[i], nc[[paste0("pval.Comp.", m)]]), tol)
  }
  g <- glance(cn)
  expect_lt(rel_diff(g$tau, nc$tau), tol)
  expect_lt(rel_diff(g$Q_additive, nc$Q.additive), tol)
  expect_equal(g$df_additive, nc$df.Q.additive)
  expect_lt(rel_diff(g$p_additive, nc$pval.Q.additive), tol)
  expect_lt(rel_diff(g$I2, nc$I2), tol)
  if (!disconnected) {
    expect_lt(rel_diff(g$Q_standard, nc$Q.standard), tol)
    expect_equal(g$df_standard, nc$df.Q.standard)
    expect_lt(abs(g$Q_diff - nc$Q.diff), tol * max(1, nc$Q.diff))
    expect_equal(g$df_diff, nc$df.Q.diff)
    expect_lt(rel_diff(g$p_diff, nc$pval.Q.diff), tol)
  }
}

test_that("the additive model equals netcomb() on Linde2016 (common and random)", {
  d <- linde()
  net <- netmeta(lnOR, selnOR, treat1, treat2, id, data = d, sm = "OR",
                 reference.group = "Placebo")
  fit <- nma(linde_contrasts(d), measure = "OR", reference = "Placebo")
  for (ina in list(NULL, "Placebo")) {
    nc <- netcomb(net, inactive = ina)
    cn <- component_nma(fit, inactive = ina)
    expect_s3_class(cn, "nma_component")
    expect_matches_netcomb(cn, nc)
  }
})

# A constructed network with combinations and a three-arm study, mean
# differences; the standard NMA has degrees of freedom to spare.
combo_network <- function() {
  data.frame(
    study = c("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s7", "s7", "s8", "s9", "s10", "s11"),
    treat1 = c("A", "A", "B", "A + B", "A + B", "C", "A + C", "A + C", "A", "B + C",
               "C", "A + B", "B"),
    treat2 = c("P", "P", "P", "P", "A", "P", "P", "A", "P", "B", "A", "B", "A"),
    estimate = c(-0.92, 0.11, -0.28, -0.95, 0.32, -0.15, -0.58, -0.21, -0.37, -0.58,
                 0.69, -0.61, 0.52),
    std.error = c(0.21, 0.18, 0.25, 0.3, 0.22, 0.2, 0.24, 0.26, 0.23, 0.27, 0.19, 0.28, 0.2),
    stringsAsFactors = FALSE
  )
}

test_that("the additive model equals netcomb() on a constructed network with a three-arm study", {
  d <- combo_network()
  # The three-arm study s7 must be internally consistent.
  d$estimate[d$study == "s7" & d$treat1 == "A + C" & d$treat2 == "A"] <-
    d$estimate[d$study == "s7" & d$treat1 == "A + C" & d$treat2 == "P"] -
    d$estimate[d$study == "s7" & d$treat1 == "A" & d$treat2 == "P"]
  net <- netmeta(estimate, std.error, treat1, treat2, study, data = d, sm = "MD",
                 reference.group = "P")
  fit <- nma(d, measure = "MD", reference = "P")
  nc <- netcomb(net, inactive = "P")
  cn <- component_nma(fit, inactive = "P")
  expect_gt(cn$tau2, 0)
  expect_matches_netcomb(cn, nc)
  # A preset tau^2 is netcomb's tau.preset squared.
  ncp <- netcomb(net, inactive = "P", tau.preset = sqrt(0.04))
  cnp <- component_nma(fit, inactive = "P", tau2 = 0.04)
  expect_lt(rel_diff(cnp$random$beta[ncp$comps], ncp$Comp.random), 1e-6)
  expect_lt(rel_diff(sqrt(diag(cnp$random$cov))[ncp$comps], ncp$seComp.random), 1e-6)
  expect_identical(cnp$tau2_method, "preset")
  # Contrast data give the same fit as the nma() fit.
  cn2 <- component_nma(d, inactive = "P", measure = "MD")
  expect_equal(cn2$random$beta, cn$random$beta, tolerance = 1e-12)

  # An interaction term: netcomb with the combination matrix that holds it.
  cn_ia <- component_nma(fit, inactive = "P", interactions = "A*B")
  C <- cn_ia$combination
  # The row of the inactive treatment P is all zero.
  nc_ia <- netcomb(net, C.matrix = C)
  expect_true("A*B" %in% cn_ia$components)
  for (m in c("common", "random")) {
    cc <- intersect(nc_ia$comps, cn_ia$components)
    expect_length(cc, 4L)
    expect_lt(rel_diff(cn_ia[[m]]$beta[cc], nc_ia[[paste0("Comp.", m)]][match(cc, nc_ia$comps)]), 1e-6)
  }
  expect_lt(rel_diff(cn_ia$Q, nc_ia$Q.additive), 1e-6)
  expect_lt(rel_diff(sqrt(cn_ia$tau2), nc_ia$tau), 1e-6)
})

test_that("REML and ML for the component model equal metafor::rma.mv on two-arm data", {
  d <- combo_network()
  d <- d[d$study != "s7", ]
  d$id <- seq_len(nrow(d))
  cn <- component_nma(d, inactive = "P", measure = "MD", tau2_method = "REML")
  expect_gt(cn$tau2, 0)
  X <- cn$combination[d$treat1, , drop = FALSE] - cn$combination[d$treat2, , drop = FALSE]
  rm <- metafor::rma.mv(d$estimate, d$std.error^2, mods = X, intercept = FALSE,
                        random = ~ 1 | id, data = d, method = "REML")
  expect_lt(abs(cn$tau2 - rm$sigma2), 1e-6)
  expect_lt(rel_diff(unname(cn$random$beta), unname(drop(rm$beta))), 1e-6)
  expect_lt(rel_diff(unname(sqrt(diag(cn$random$cov))), unname(rm$se)), 1e-5)
  expect_lt(abs(cn$loglik[["REML"]] - as.numeric(logLik(rm))), 1e-6)
  cnm <- component_nma(d, inactive = "P", measure = "MD", tau2_method = "ML")
  rmm <- metafor::rma.mv(d$estimate, d$std.error^2, mods = X, intercept = FALSE,
                         random = ~ 1 | id, data = d, method = "ML")
  expect_lt(abs(cnm$tau2 - rmm$sigma2), 1e-6)
  expect_lt(abs(cnm$loglik[["ML"]] - as.numeric(logLik(rmm))), 1e-6)
})

test_that("on a disconnected network the model equals discomb()", {
  d <- linde()
  uc <- unique(d$id[d$treat1 == "UC" | d$treat2 == "UC"])
  sub <- d[!(d$id %in% uc), ]
  con <- linde_contrasts(sub)
  expect_gt(length(unique(nma_network(con, measure = "OR")$components)), 1L)
  expect_error(nma(con, measure = "OR"), class = "fastnma_error_disconnected")
  dc <- discomb(lnOR, selnOR, treat1, treat2, id, data = sub, sm = "OR", inactive = "Placebo")
  cn <- component_nma(con, measure = "OR", inactive = "Placebo")
  expect_equal(cn$n_parts, 2L)
  expect_matches_netcomb(cn, dc, disconnected = TRUE)

  # A small constructed network in two parts joined by shared components.
  dd <- data.frame(
    study = paste0("s", 1:10),
    treat1 = c("A + B", "A + B", "A + B", "A + B", "B", "B", "B + C", "B + C", "B + C", "B + C"),
    treat2 = c("A", "A", "C", "C", "P", "P", "P", "P", "B", "P"),
    estimate = c(-0.49, -0.25, -0.55, 0.18, -0.2, -0.55, -0.15, -0.08, -0.13, -0.39),
    std.error = c(0.38, 0.2, 0.31, 0.18, 0.22, 0.25, 0.15, 0.25, 0.37, 0.24),
    stringsAsFactors = FALSE)
  dc2 <- discomb(estimate, std.error, treat1, treat2, study, data = dd, sm = "MD",
                 inactive = "P")
  cn2 <- component_nma(dd, measure = "MD", inactive = "P")
  expect_equal(cn2$n_parts, 2L)
  expect_matches_netcomb(cn2, dc2, disconnected = TRUE)
})

test_that("with every treatment its own component the model is the standard NMA", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
             reference = "plac", tau2_method = "DL")
  cn <- component_nma(fit, inactive = "plac")
  expect_equal(cn$Q, fit$Q, tolerance = 1e-10)
  expect_equal(cn$Q_diff, 0, tolerance = 1e-8)
  expect_equal(cn$df_diff, 0L)
  expect_equal(cn$tau2, fit$tau2, tolerance = 1e-10)
  tp <- tidy(cn, type = "comparisons")
  tf <- tidy(fit)
  expect_equal(tp$estimate[match(tf$term, tp$term)], tf$estimate, tolerance = 1e-10)
  expect_equal(tp$std.error[match(tf$term, tp$term)], tf$std.error, tolerance = 1e-10)
  reml <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", reference = "plac")
  expect_equal(component_nma(reml, inactive = "plac", tau2_method = "REML")$tau2, reml$tau2,
               tolerance = 1e-7)
})

test_that("tidy(), glance() and autoplot() follow the result contract", {
  d <- linde_contrasts(linde())
  fit <- nma(d, measure = "OR", reference = "Placebo")
  cn <- component_nma(fit, inactive = "Placebo")
  td <- tidy(cn)
  expect_named(td, c("component", "model", "estimate", "std.error", "conf.low",
                     "conf.high", "statistic", "p.value"))
  expect_equal(nrow(td), length(cn$components))
  tc <- tidy(cn, type = "combinations", exponentiate = TRUE)
  expect_equal(tc$estimate, exp(unname(cn$comb_random$beta)), tolerance = 1e-12)
  tp <- tidy(cn, type = "comparisons")
  expect_true(all(tp$treat2 == "Placebo"))
  expect_equal(tp$term, paste(tp$treat1, "vs", tp$treat2))
  expect_equal(tp$estimate, unname(cn$comb_random$beta[tp$treat1] - cn$comb_random$beta["Placebo"]),
               tolerance = 1e-12)
  expect_false("conf.low" %in% names(tidy(cn, conf.int = FALSE)))
  g <- glance(cn)
  expect_equal(nrow(g), 1L)
  expect_equal(g$n_components, 18L)
  expect_output(print(cn), "Component network meta-analysis")

  p <- autoplot(cn)
  expect_s3_class(p, "ggplot")
  ld <- ggplot2::layer_data(p, 3L)
  # The ratio axis is log10: layer data are on that scale.
  expect_equal(sort(ld$x), sort(unname(cn$random$beta)) / log(10), tolerance = 1e-10)
  expect_equal(ggplot2::layer_data(p, 1L)$xintercept, 0)
  expect_s3_class(p$scales$get_scales("x")$trans, "trans")
  expect_identical(p$scales$get_scales("x")$trans$name, "log-10")
  expect_match(p$labels$x, "Odds ratio")
  p2 <- autoplot(cn, type = "combinations", exponentiate = FALSE, model = "common")
  expect_equal(nrow(ggplot2::layer_data(p2, 3L)), length(cn$treatments))
  expect_equal(ggplot2::layer_data(p2, 1L)$xintercept, 0)
})

test_that("bad input gets classed errors", {
  d <- combo_network()
  d <- d[d$study != "s7", ]
  expect_error(component_nma(d, measure = "MD", inactive = "Z"),
               class = "fastnma_error_component")
  expect_error(component_nma(d, measure = "MD", inactive = "P", interactions = "A*Z"),
               class = "fastnma_error_component")
  expect_error(component_nma(d, measure = "MD", sep = ""), class = "fastnma_error_component")
  # Components that always appear together cannot be separated.
  bad <- data.frame(study = c("a", "b"), treat1 = c("X + Y", "X + Y"), treat2 = c("P", "P"),
                    estimate = c(0.1, 0.2), std.error = c(0.1, 0.1))
  err <- expect_error(component_nma(bad, measure = "MD", inactive = "P"),
                      class = "fastnma_error_component_identifiable")
  expect_setequal(err$components, c("X", "Y"))
  expect_error(component_nma(list(1)), class = "fastnma_error_not_fit")
  expect_error(component_nma(d, measure = "MD", tau2_method = "PM"), class = "fastnma_error_choice")
  expect_error(component_nma(d, measure = "MD", tau2 = -1), class = "fastnma_error_tau2")
  arms <- data.frame(study = rep(c("a", "b", "c"), each = 2),
                     treatment = c("A", "P", "A + B", "P", "B", "A"),
                     events = c(5, 8, 4, 9, 6, 5), n = rep(50, 6))
  mh <- nma_binary(arms, study, treatment, events, n, measure = "OR", method = "MH")
  expect_error(component_nma(mh), class = "fastnma_error_not_supported")
})

test_that("the SIMULATED MSC trials recover the declared cell effect on top of HA or PRP", {
  sim <- simulate_msc_components(seed = 1)
  expect_true(all(grepl("^SIMULATED", sim$source)))
  expect_true(all(c("Auto + HA", "HA", "Auto + PRP", "PRP", "Allo + HA") %in% sim$treatment))
  truth <- attr(sim, "truth")
  ac <- arm_contrasts(sim, study, treatment, n, mean, sd, measure = "MD")
  cn <- component_nma(ac, inactive = "Control")
  td <- tidy(cn)
  td <- td[match(truth$component, td$component), ]
  expect_true(all(td$conf.low <= truth$value & truth$value <= td$conf.high))
  # Precise data (small within-arm SD, no heterogeneity): the estimates sit
  # on the declared values.
  sharp <- simulate_msc_components(seed = 1, tau = 0, sd = 0.25)
  cs <- component_nma(arm_contrasts(sharp, study, treatment, n, mean, sd, measure = "MD"),
                      inactive = "Control")
  b <- coef(cs, model = "common")[truth$component]
  expect_lt(max(abs(b - truth$value)), 0.1)
  # The cell effect on top of HA: "Auto + HA" vs "HA" is the Auto component.
  tp <- tidy(cs, type = "combinations", model = "common")
  est <- tp$estimate[tp$treatment == "Auto + HA"] - tp$estimate[tp$treatment == "HA"]
  expect_equal(est, unname(b["Auto"]), tolerance = 1e-10)
  expect_error(simulate_msc_components(seed = 1, effects = c(Allo = 1)),
               class = "fastnma_error_effects")
})

test_that("the kept combination matrix is the one its labels and settings give", {
  trt <- c("A", "A + B", "B", "P")
  fresh <- function(...) build_combination_matrix(..., call = NULL)
  first <- combination_matrix(trt, "+", "P", NULL)
  expect_identical(first, fresh(trt, "+", "P", NULL))
  # the same arguments again: the kept matrix, identical to a fresh one
  expect_identical(combination_matrix(trt, "+", "P", NULL), first)
  # any other argument builds anew
  expect_identical(combination_matrix(trt, "+", NULL, NULL), fresh(trt, "+", NULL, NULL))
  expect_identical(colnames(combination_matrix(trt, "+", NULL, NULL)), c("A", "B", "P"))
  expect_identical(combination_matrix(trt, "+", "P", "A*B"), fresh(trt, "+", "P", "A*B"))
  expect_identical(ncol(combination_matrix(trt, "+", "P", "A*B")), 3L)
  trt2 <- c("A", "A + C", "C", "P")
  expect_identical(colnames(combination_matrix(trt2, "+", "P", NULL)), c("A", "C"))
  # a kept matrix never hides an error of other settings for the same labels
  combination_matrix(trt, "+", "P", NULL)
  expect_error(combination_matrix(trt, "+", "Q", NULL), class = "fastnma_error_component")
  expect_error(combination_matrix(trt, "+", "P", "A*Q"), class = "fastnma_error_component")
  expect_identical(combination_matrix(trt, "+", "P", NULL), first)
})

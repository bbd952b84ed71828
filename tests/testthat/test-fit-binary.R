# Mantel-Haenszel network meta-analysis (nma_binary(method = "MH")) and the
# inverse-variance route.

mh_fit <- function(data, ...) suppressMessages(nma_binary(data, ...))

# Relative difference of every ordered pair of a fit from a netmeta table.
pair_table <- function(fit) {
  td <- tidy(fit, model = "common", comparisons = "all")
  rbind(td, transform(td, treat1 = treat2, treat2 = treat1, estimate = -estimate,
                      conf.low = -conf.high, conf.high = -conf.low))
}
match_pairs <- function(fit, ref) {
  td <- pair_table(fit)
  td[match(paste(ref$treat1, ref$treat2), paste(td$treat1, td$treat2)), ]
}
max_rel <- function(x, y) max(abs(x / y - 1))

test_that("MH odds ratios reproduce netmetabin(method = 'MH') (fixtures)", {
  for (ds in c("Dong2013", "smokingcessation")) {
    ref <- fixture(paste0(ds, "_MH.csv"))
    ref <- ref[ref$sm == "OR", ]
    arm <- fixture(paste0(ds, "_input.csv"))
    fit <- mh_fit(arm, study, treatment, events, n, measure = "OR")
    got <- match_pairs(fit, ref)
    expect_false(anyNA(got$estimate))
    expect_lt(max_rel(got$estimate, ref$TE), 1e-6)
    expect_lt(max_rel(got$std.error, ref$seTE), 1e-6)
    expect_lt(max_rel(got$conf.low, ref$lower), 1e-6)
    expect_lt(max_rel(got$conf.high, ref$upper), 1e-6)
  }
})

test_that("the RR rows of the MH fixtures are netmetabin's odds ratios", {
  # netmetabin(method = "MH") implements the odds ratio only and sets
  # sm = "OR" whatever is asked: its 'RR' results are the OR results.
  for (ds in c("Dong2013", "smokingcessation")) {
    ref <- fixture(paste0(ds, "_MH.csv"))
    expect_identical(ref$TE[ref$sm == "RR"], ref$TE[ref$sm == "OR"])
    rr <- ref[ref$sm == "RR", ]
    fit <- mh_fit(fixture(paste0(ds, "_input.csv")), measure = "OR")
    got <- match_pairs(fit, rr)
    expect_lt(max_rel(got$estimate, rr$TE), 1e-6)
    expect_lt(max_rel(got$std.error, rr$seTE), 1e-6)
    # a genuine MH risk ratio differs from them
    fit_rr <- mh_fit(fixture(paste0(ds, "_input.csv")), measure = "RR")
    expect_gt(max_rel(match_pairs(fit_rr, rr)$estimate, rr$TE), 1e-3)
  }
})

test_that("Dong2013: the studies, arms and designs netmetabin sets aside are audited", {
  fit <- mh_fit(dong2013, measure = "OR")
  expect_s3_class(fit, c("nma_mh", "nma"))
  expect_identical(fit$k, 37L)
  expect_identical(fit$m, 73)
  expect_identical(fit$n_designs, 10L)
  # netmetabin's Q.inconsistency and its degrees of freedom
  expect_equal(fit$Q, 8.348837, tolerance = 1e-6)
  expect_identical(fit$df, 9L)
  audit <- zero_cell_audit(fit)
  expect_setequal(audit$study, c("study5", "study25", "study37", "study34"))
  expect_true(all(audit$action == "excluded"))
  expect_match(audit$reason[audit$study == "study34"], "arm Placebo set aside: no events")
  expect_match(audit$reason[audit$study == "study34"], "LABA-ICS:Placebo")
  expect_message(nma_binary(dong2013, measure = "OR"), class = "fastnma_zero_cells")
})

test_that("live: nma_binary(method = 'MH') equals netmetabin() (OR)", {
  skip_if_not_installed("netmeta")
  skip_if_not_installed("meta")
  arm <- fixture("smokingcessation_input.csv")
  p <- suppressWarnings(meta::pairwise(treat = treatment, event = events, n = n,
                                          studlab = study, data = arm, sm = "OR"))
  nb <- suppressWarnings(netmeta::netmetabin(p, method = "MH"))
  fit <- mh_fit(arm, measure = "OR")
  trt <- fit$treatments
  te <- outer(fit$common$theta, fit$common$theta, "-")
  C <- fit$common$cov
  se <- sqrt(outer(diag(C), diag(C), "+") - 2 * C)
  off <- row(te) != col(te)
  expect_lt(max_rel(te[off], nb$TE.common[trt, trt][off]), 1e-6)
  expect_lt(max_rel(se[off], nb$seTE.common[trt, trt][off]), 1e-6)
  expect_equal(fit$Q, nb$Q.inconsistency, tolerance = 1e-8)
  expect_identical(fit$df, as.integer(nb$df.Q.inconsistency))
  expect_identical(fit$k, as.integer(nb$k))
  expect_identical(fit$n_designs, as.integer(nb$d))
  expect_setequal(zero_cell_audit(fit)$study, "study15")
})

test_that("live: the IV route equals netmetabin(method = 'Inverse') (RD)", {
  # netmetabin() offers the risk difference only by inverse variance.
  skip_if_not_installed("netmeta")
  skip_if_not_installed("meta")
  arm <- fixture("smokingcessation_input.csv")
  for (sm in "RD") {
    p <- suppressWarnings(meta::pairwise(treat = treatment, event = events, n = n,
                                            studlab = study, data = arm, sm = sm))
    nb <- suppressWarnings(netmeta::netmetabin(p, method = "Inverse", sm = sm))
    fit <- suppressMessages(nma_binary(arm, measure = sm, method = "IV",
                                       tau2_method = "DL"))
    expect_identical(fit$method, "IV")
    for (model in c("common", "random")) {
      th <- fit[[model]]$theta
      nbm <- nb[[paste0("TE.", model)]][fit$treatments, fit$reference]
      expect_lt(max(abs(th[-1] / nbm[-1] - 1)), 1e-6)
      se <- sqrt(diag(fit[[model]]$cov))[-1]
      expect_lt(max(abs(se / nb[[paste0("seTE.", model)]][fit$treatments, fit$reference][-1] - 1)), 1e-6)
    }
    expect_equal(fit$tau2, nb$tau^2, tolerance = 1e-6)
  }
})

test_that("a two-treatment network is the pairwise MH meta-analysis (OR, RR, RD)", {
  skip_if_not_installed("metafor")
  two <- dong2013[dong2013$study %in% dong2013$study[dong2013$treatment == "TIO-HH"] &
                    !(dong2013$study %in% dong2013$study[!dong2013$treatment %in% c("TIO-HH", "Placebo")]), ]
  wide <- data.frame(
    a = two$events[two$treatment == "TIO-HH"], n1 = two$n[two$treatment == "TIO-HH"],
    c = two$events[two$treatment == "Placebo"], n2 = two$n[two$treatment == "Placebo"])
  expect_gt(nrow(wide), 5)
  for (sm in c("OR", "RR", "RD")) {
    fit <- mh_fit(two, measure = sm, reference = "Placebo")
    mh <- suppressWarnings(metafor::rma.mh(ai = a, n1i = n1, ci = c, n2i = n2, data = wide, measure = sm))
    expect_equal(unname(fit$common$theta["TIO-HH"]), as.numeric(mh$beta), tolerance = 1e-10)
    expect_equal(sqrt(fit$common$cov["TIO-HH", "TIO-HH"]), mh$se, tolerance = 1e-10)
  }
})

test_that("two-arm designs: MH RR/RD network = GLS of per-design MH estimates", {
  skip_if_not_installed("metafor")
  multi <- names(which(table(dong2013$study) > 2))
  two <- dong2013[!dong2013$study %in% multi, ]
  for (sm in c("RR", "RD")) {
    fit <- mh_fit(two, measure = sm, reference = "Placebo")
    kept <- two[two$study %in% fit$studies, ]
    tr <- tapply(kept$treatment, kept$study, function(x) paste(sort(x), collapse = ":"))
    per <- do.call(rbind, lapply(unique(tr), function(dsg) {
      arms <- strsplit(dsg, ":", fixed = TRUE)[[1]]
      s <- kept[kept$study %in% names(tr)[tr == dsg], ]
      a <- s[s$treatment == arms[2], ]; b <- s[s$treatment == arms[1], ]
      b <- b[match(a$study, b$study), ]
      m <- suppressWarnings(metafor::rma.mh(ai = a$events, n1i = a$n, ci = b$events,
                                            n2i = b$n, measure = sm))
      data.frame(study = dsg, treat1 = arms[2], treat2 = arms[1],
                 estimate = as.numeric(m$beta), std.error = m$se)
    }))
    ref <- nma(per, reference = "Placebo", tau2_method = "DL")
    expect_equal(fit$common$theta, ref$common$theta[names(fit$common$theta)], tolerance = 1e-8)
    expect_equal(fit$common$cov, ref$common$cov[fit$treatments, fit$treatments], tolerance = 1e-8)
    expect_equal(fit$Q, ref$Q, tolerance = 1e-8)
  }
})

test_that("multi-arm RR and RD: covariance through the shared arm", {
  one <- data.frame(study = "s", treatment = c("A", "B", "C"),
                    events = c(12, 20, 7), n = c(100, 110, 90))
  rr <- mh_fit(one, measure = "RR")
  e <- one$events; n <- one$n; f <- n - e
  expect_equal(unname(rr$common$theta[2:3]), log(e[2:3] / n[2:3]) - log(e[1] / n[1]))
  # variance of a log RR: the inverse-variance one
  expect_equal(rr$common$cov["B", "B"], 1 / e[1] - 1 / n[1] + 1 / e[2] - 1 / n[2])
  # covariance: that of the arm proportions, Var(log p_A)
  expect_equal(rr$common$cov["B", "C"], f[1] / (e[1] * n[1]))
  rd <- mh_fit(one, measure = "RD")
  expect_equal(unname(rd$common$theta[2:3]), e[2:3] / n[2:3] - e[1] / n[1])
  expect_equal(rd$common$cov["B", "C"], e[1] * f[1] / n[1]^3)
  expect_equal(rd$common$cov["B", "B"], e[1] * f[1] / n[1]^3 + e[2] * f[2] / n[2]^3)
  # OR: the covariance of Efthimiou et al. reduces to Var(logit p_A)
  or <- mh_fit(one, measure = "OR")
  expect_equal(or$common$cov["B", "C"], 1 / e[1] + 1 / f[1])
})

test_that("MH fits work with tidy/glance/print/summary; no random-effects model", {
  fit <- mh_fit(dong2013, measure = "RR", reference = "Placebo")
  td <- tidy(fit)
  expect_identical(td$treat2, rep("Placebo", 5))
  expect_equal(td$estimate, unname(fit$common$theta[td$treat1]))
  expect_error(tidy(fit, model = "random"), class = "fastnma_error_model")
  g <- glance(fit)
  expect_identical(g$method, "MH")
  expect_true(is.na(g$tau2))
  expect_equal(fit$random, fit$common)
  expect_output(print(fit), "Mantel-Haenszel network meta-analysis")
  expect_output(print(summary(fit)), "Zero-cell audit")
  expect_equal(tidy(fit, exponentiate = TRUE)$estimate, exp(td$estimate))
  expect_identical(nrow(fit$mh), sum(lengths(fit$design_arms) - 1L))
})

test_that("several outcomes in one call with by", {
  long <- rbind(cbind(dong2013, outcome = "death"),
                cbind(transform(dong2013, events = pmin(n, events * 2 + 1)), outcome = "any AE"))
  fits <- suppressMessages(nma_binary(long, measure = "OR", by = outcome))
  expect_s3_class(fits, "nma_binary_by")
  expect_identical(names(fits), c("death", "any AE"))
  td <- tidy(fits)
  expect_identical(names(td)[1], "outcome")
  expect_identical(nrow(td), 10L)
  expect_equal(td$estimate[td$outcome == "death"],
               tidy(mh_fit(dong2013, measure = "OR"))$estimate)
  expect_identical(nrow(glance(fits)), 2L)
})

test_that("inputs are checked and failures are classed", {
  expect_error(nma_binary(dong2013, measure = "HR"), class = "fastnma_error_choice")
  bad <- dong2013
  bad$events[1] <- bad$n[1] + 1
  expect_error(nma_binary(bad), class = "fastnma_error_arm_data")
  expect_error(nma_binary(dong2013, tau2_method = "DL"), class = "fastnma_error_unknown_argument")
  expect_error(mh_fit(dong2013, reference = "nothing"), class = "fastnma_error_reference")
  # a reference whose only arm is set aside
  d <- rbind(dong2013, data.frame(study = c("x1", "x1"), treatment = c("New", "ICS"),
                                  events = c(0, 3), n = c(50, 50)))
  expect_error(mh_fit(d, measure = "OR", reference = "New"), class = "fastnma_error_reference")
  expect_false("New" %in% mh_fit(d, measure = "OR")$treatments)
  # disconnected after setting aside
  d2 <- rbind(d, data.frame(study = c("y1", "y1"), treatment = c("P", "Q"),
                            events = c(1, 2), n = c(20, 20)))
  expect_error(mh_fit(d2, measure = "OR"), class = "fastnma_error_disconnected")
})

test_that("the MH fit's stored study contrasts are arm_contrasts() of the arms it used", {
  ref <- fixture("Dong2013_RR_contrasts.csv")
  for (sm in c("OR", "RR", "RD")) {
    for (policy in list(NULL, zero_cell_policy("constant"), zero_cell_policy("tacc"))) {
      fit <- mh_fit(dong2013, measure = sm, zero_cells = policy)
      # MH's default "none" needs no correction in its sums; the stored
      # contrasts then follow arm_contrasts()'s default
      ac_policy <- if (is.null(policy)) zero_cell_policy() else policy
      ac <- suppressMessages(arm_contrasts(fit$arm_data, study, treatment, events = events,
                                           n = n, measure = sm, zero_cells = ac_policy))
      expect_identical(fit$data, as.data.frame(unclass(ac))[names(fit$data)],
                       ignore_attr = TRUE)
      expect_false(anyNA(fit$data$std.error))
    }
  }
  # Dong 2013 study 9 (1 of 55 vs 0 of 53): the increment once in the arm
  # size, as pairwise() does
  fit <- mh_fit(dong2013, measure = "RR")
  s9 <- fit$data[fit$data$study == "study9", ]
  expect_equal(s9$estimate, log(1.5 / 55.5) - log(0.5 / 53.5))
  expect_equal(s9$estimate, ref$TE[ref$study == "study9"], tolerance = 1e-10)
  expect_equal(s9$std.error, ref$seTE[ref$study == "study9"], tolerance = 1e-10)
})

# nma() on netmeta's objects: a contradicting measure is an error, and the
# estimator used for a pairwise table is said, with netmeta's.

skip_if_not_installed("meta")
skip_if_not_installed("netmeta")

smoking_pairwise <- function() {
  data("smokingcessation", package = "netmeta", envir = environment())
  suppressWarnings(meta::pairwise(list(treat1, treat2, treat3),
                                  event = list(event1, event2, event3),
                                  n = list(n1, n2, n3), data = smokingcessation, sm = "OR"))
}

test_that("a measure that contradicts the object's sm is a classed error", {
  p <- smoking_pairwise()
  err <- expect_error(nma(p, measure = "RR", tau2_method = "DL"), class = "fastnma_error_metadata")
  msg <- cli::ansi_strip(conditionMessage(err))
  expect_match(msg, "\"OR\"", fixed = TRUE)
  expect_match(msg, "\"RR\"", fixed = TRUE)
  # the same as for a contrast table that records its measure
  d <- suppressMessages(arm_contrasts(dong2013, study, treatment, events = events, n = n,
                                      measure = "OR"))
  expect_error(nma(d, measure = "RR"), class = "fastnma_error_metadata")
  # a netmeta fit too
  nm <- suppressWarnings(netmeta::netmeta(p, method.tau = "DL"))
  expect_error(suppressMessages(nma(nm, measure = "RR")), class = "fastnma_error_metadata")
  # agreeing measures are fine, and the effects are the object's
  fit <- nma(p, measure = "OR", tau2_method = "DL")
  expect_identical(fit$measure, "OR")
  expect_equal(unname(fit$tau2), nm$tau2, tolerance = 1e-8)
})

test_that("nma() of a pairwise table says which estimator it used and how to get netmeta's", {
  p <- smoking_pairwise()
  msgs <- character()
  fit <- withCallingHandlers(nma(p), fastnma_message_netmeta_estimator = function(m) {
    msgs <<- c(msgs, conditionMessage(m))
    invokeRestart("muffleMessage")
  })
  expect_length(msgs, 1L)
  expect_match(msgs, "REML", fixed = TRUE)
  expect_match(msgs, "tau2_method = \"DL\"", fixed = TRUE)
  expect_identical(fit$tau2_method, "REML")
  # following the message gives netmeta's tau^2 and no message
  nm <- suppressWarnings(netmeta::netmeta(p))
  expect_silent(fit_dl <- nma(p, tau2_method = "DL"))
  expect_equal(unname(fit_dl$tau2), nm$tau2, tolerance = 1e-8)
  # REML is not DL: the two estimates differ by more than 0.1% (relative), so
  # the message is needed (a negative check: a tighter tolerance would be weaker)
  expect_false(isTRUE(all.equal(unname(fit$tau2), nm$tau2, tolerance = 1e-3)))
  # a netmeta fit carries its own estimator, without the message
  msgs <- character()
  withCallingHandlers(suppressWarnings(nma(nm)), fastnma_message_netmeta_estimator = function(m) {
    msgs <<- c(msgs, conditionMessage(m))
    invokeRestart("muffleMessage")
  })
  expect_length(msgs, 0L)
})

test_that("forest() of meta and metafor draws fastnma's forest for a fit", {
  skip_if_not_installed("metafor")
  skip_if_not_installed("vdiffr")
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", reference = "plac")
  withr::local_package("metafor")
  path <- withr::local_tempfile(fileext = ".pdf")
  grDevices::pdf(path)
  on.exit(grDevices::dev.off(), add = TRUE)
  p <- metafor::forest(fit)
  expect_s3_class(p, "ggplot")
  expect_equal(p$data, ggplot2::autoplot(fit)$data)
  # node-split forest, as netmeta's forest.netsplit
  ns <- node_split(fit)
  expect_s3_class(metafor::forest(ns), "ggplot")
  # meta's generic (which netmeta users call) too
  p2 <- meta::forest(fit)
  expect_equal(p2$data, p$data)
  # netmeta's argument names stop with the classed error
  expect_error(metafor::forest(fit, common = TRUE), class = "fastnma_error_netmeta_argument")
})

test_that("arm_data_wide() reads the columns as c() or, as pairwise() does, list()", {
  wide <- data.frame(id = c("s1", "s2"), t1 = c("A", "A"), t2 = c("B", "C"),
                     t3 = c("C", NA), e1 = c(3, 5), e2 = c(6, 9), e3 = c(4, NA),
                     n1 = c(20, 30), n2 = c(21, 30), n3 = c(19, NA))
  a <- arm_data_wide(wide, treatment = c(t1, t2, t3), study = id,
                     events = c(e1, e2, e3), n = c(n1, n2, n3))
  b <- arm_data_wide(wide, treatment = list(t1, t2, t3), study = id,
                     events = list(e1, e2, e3), n = list(n1, n2, n3))
  expect_identical(b, a)
  expect_identical(nrow(a), 5L)
  expect_error(arm_data_wide(wide, treatment = list(t1, t9), study = id),
               class = "fastnma_error_column")
})

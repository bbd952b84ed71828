# The network object: built once, held by the fit, reused by every verb.

test_that("nma_network() validates once and nma() reuses it unchanged", {
  net <- nma_network(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  expect_s3_class(net, "nma_network")
  expect_identical(net$treatments, sort(unique(c(senn2013$treat1, senn2013$treat2))))
  expect_identical(net$studies, unique(senn2013$study))
  expect_identical(net$treatments[net$codes$treat1], senn2013$treat1)
  expect_identical(net$studies[net$codes$study], senn2013$study)
  expect_length(net$design, length(net$studies))
  expect_identical(sum(net$n_arms > 2L), 1L)
  expect_identical(net$n_obs, length(net$studies) + sum(net$n_arms - 2L))
  expect_identical(unique(net$components), 1L)

  fit <- nma(net, reference = "plac")
  expect_identical(fit$network, net)
  direct <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                reference = "plac")
  expect_identical(direct$network$codes, net$codes)
  expect_equal(coef(fit), coef(direct), tolerance = 1e-12)
  expect_equal(fit$tau2, direct$tau2, tolerance = 1e-12)
  expect_equal(node_split(fit)$p.value, node_split(direct)$p.value, tolerance = 1e-12)
  expect_output(print(net), "26 studies, 28 pairwise comparisons, 10 treatments")
  expect_error(nma(net, measure = "SMD"), class = "fastnma_error_measure")
})

test_that("a disconnected network is a valid network that nma() refuses to fit", {
  d <- data.frame(study = c("s1", "s2"), treat1 = c("A", "C"), treat2 = c("B", "D"),
                  estimate = c(0.1, 0.2), std.error = c(0.1, 0.2))
  net <- nma_network(d)
  expect_identical(sort(unique(net$components)), 1:2)
  expect_output(print(net), "Not connected: 2 separate parts")
  expect_error(nma(net), class = "fastnma_error_disconnected")
})

test_that("network problems are found when the network is built", {
  d <- data.frame(study = c("s1", "s1"), treat1 = c("A", "A"), treat2 = c("B", "B"),
                  estimate = c(0.1, 0.2), std.error = c(0.1, 0.2))
  expect_error(nma_network(d), class = "fastnma_error_duplicate_pair")
})

test_that("Mantel-Haenszel fits hold the network of their study contrasts", {
  b <- suppressMessages(nma_binary(dong2013, study, treatment, events, n, measure = "OR"))
  expect_s3_class(b$network, "nma_network")
  expect_identical(b$network$treatments, b$treatments)
  expect_identical(b$network$studies, b$studies)
})

test_that("an edited fit is refused before its codes reach compiled code", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
  f <- fit
  f$studies <- f$studies[1:3]
  expect_error(node_split(f), class = "fastnma_error_fit_data")
  f <- fit
  f$treatments <- f$treatments[-1]
  expect_error(direct_estimates(f), class = "fastnma_error_fit_data")
  f <- fit
  f$random$cov <- f$random$cov[1:2, 1:2]
  expect_error(rank_treatments(f), class = "fastnma_error_fit_data")
  f <- fit
  f$network$codes$treat1[1] <- 99L
  expect_error(leave_one_out(f), class = "fastnma_error_fit_data")
  f <- fit
  f$network$codes$study <- f$network$codes$study[-1]
  expect_error(inconsistency(f), class = "fastnma_error_fit_data")
})

test_that("finite values whose squares overflow are refused, naming the study", {
  d <- data.frame(study = c("s1", "s2", "s3"), treat1 = c("B", "C", "C"),
                  treat2 = c("A", "A", "B"), estimate = c(0.5, 1.4, -0.6),
                  std.error = c(0.2, 0.25, 0.3))
  for (se in c(1e-200, 1e200)) {
    x <- d
    x$std.error[2] <- se
    err <- expect_error(nma(x), class = "fastnma_error_se")
    expect_match(conditionMessage(err), "s2", fixed = TRUE)
  }
  for (y in c(1e300, -1e300)) {
    x <- d
    x$estimate[3] <- y
    for (m in c("DL", "REML")) {
      err <- expect_error(nma(x, tau2_method = m), class = "fastnma_error_estimate")
      expect_match(conditionMessage(err), "s3", fixed = TRUE)
    }
  }
  # the edges of the accepted range still fit, with finite results
  x <- d
  x$std.error <- x$std.error * 1e-40
  fit <- nma(x, tau2_method = "DL")
  expect_true(all(is.finite(unlist(tidy(fit)[c("estimate", "std.error")]))))
  expect_true(is.finite(fit$Q))
})

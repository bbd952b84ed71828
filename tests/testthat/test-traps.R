# What a netmeta user types should not give plausible but wrong output:
# names of measures and methods in any case, declared custom measures,
# "did you mean" for misspelt treatments, netmeta's league layout, dropped
# rows with missing values, grouped tables, exports on the printed scale.

test_that("measure names are matched regardless of case", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "md")
  expect_identical(fit$measure, "MD")
  ac <- suppressMessages(suppressWarnings(
    arm_contrasts(dong2013, study, treatment, events = events, n = n, measure = "or")))
  expect_identical(attr(ac, "measure"), "OR")
  # a contrast table made for "OR" agrees with measure = "or"
  expect_identical(nma(ac, measure = "or")$measure, "OR")
  mh <- suppressMessages(nma_binary(dong2013, measure = "rr", method = "mh"))
  expect_identical(mh$measure, "RR")
  # log odds ratios are exponentiated in the print, as for "OR"
  d <- data.frame(study = c("s1", "s2", "s3"), treat1 = c("B", "C", "C"),
                  treat2 = c("A", "A", "B"), estimate = log(c(2, 3, 1.4)),
                  std.error = 0.2)
  lower <- nma(d, measure = "or", tau2_method = "dl")
  expect_identical(lower$measure, "OR")
  expect_equal(tidy(lower, exponentiate = TRUE)$estimate,
               tidy(nma(d, measure = "OR", tau2_method = "DL"), exponentiate = TRUE)$estimate)
})

test_that("an unknown measure must be declared with custom_measure()", {
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "0R"),
                      class = "fastnma_error_unknown_measure")
  expect_match(conditionMessage(err), "custom_measure(\"0R\")", fixed = TRUE)
  expect_identical(err$measure, "0R")
  expect_error(nma_network(senn2013, TE, seTE, treat1, treat2, study, measure = "logHR"),
               class = "fastnma_error_unknown_measure")
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study,
             measure = custom_measure("logHR"))
  expect_identical(fit$measure, "logHR")
  # a custom measure is a difference: not exponentiated
  md <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  expect_equal(tidy(fit)$estimate, tidy(md)$estimate)
  # a known measure is not a custom one
  expect_error(custom_measure("or"), class = "fastnma_error_unknown_measure")
})

test_that("estimator and method names are matched regardless of case", {
  dl <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "dl",
            ci_method = "HK")
  ref <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL",
             ci_method = "hk")
  expect_identical(dl$tau2_method, "DL")
  expect_identical(dl$ci_method, "hk")
  expect_equal(dl$tau2, ref$tau2)
  expect_identical(nma(senn2013, TE, seTE, treat1, treat2, study,
                       tau2_method = "reml")$tau2_method, "REML")
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DLL"),
                      class = "fastnma_error_choice")
  expect_match(conditionMessage(err), "Did you mean \"DL\"", fixed = TRUE)
})

test_that("a misspelt treatment gets a \"did you mean\"", {
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, reference = "Plac"),
                      class = "fastnma_error_reference")
  expect_identical(err$suggestion, "plac")
  expect_match(conditionMessage(err), "Did you mean \"plac\"", fixed = TRUE)
  # a near miss, not only case
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plc"),
                      class = "fastnma_error_reference")
  expect_identical(err$suggestion, "plac")
  # nothing close: no suggestion
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, reference = "insulin"),
                      class = "fastnma_error_reference")
  expect_null(err$suggestion)
  expect_no_match(conditionMessage(err), "Did you mean")
  # treatments named in other arguments
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
  err <- expect_error(contributions(fit, comparisons = "Metf vs plac"),
                      class = "fastnma_error_comparison_selection")
  expect_match(conditionMessage(err), "\"metf\" for \"Metf\"", fixed = TRUE)
  ord <- replace(fit$treatments, 1, "Acar")
  err <- expect_error(league_table(fit, order = ord), class = "fastnma_error_order")
  expect_match(conditionMessage(err), "\"acar\" for \"Acar\"", fixed = TRUE)
})

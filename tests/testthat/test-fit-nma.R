test_that("nma() reproduces netmeta on Senn2013 (common and DL random)", {
  d <- fixture("Senn2013_input.csv")
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  expect_s3_class(fit, "nma")
  expect_equal(fit$tau2, 0.108716923142419, tolerance = 1e-6)
  expect_equal(fit$Q, 96.9855530052601, tolerance = 1e-6)
  expect_equal(fit$Q_within, 74.4552817355127, tolerance = 1e-6)
  expect_identical(c(fit$k, fit$m, fit$n, fit$n_designs), c(26L, 28L, 10L, 15L))
  g <- glance(fit)
  expect_s3_class(g, "tbl_df")
  expect_equal(nrow(g), 1L)
  expect_named(g, c("k", "m", "n_treatments", "n_designs", "tau2", "tau", "I2",
                    "I2_lower", "I2_upper", "Q", "df", "p.value", "Q_within",
                    "df_within", "p_value_within", "Q_between", "df_between",
                    "p_value_between", "tau2_method", "logLik", "nobs"))
  expect_equal(c(g$I2, g$I2_lower, g$I2_upper),
               c(0.814405347577657, 0.719772010582545, 0.877080890173118),
               tolerance = 1e-6)
})

test_that("tidy() has the documented columns and agrees with coef/vcov/confint", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
  td <- tidy(fit)
  expect_s3_class(td, "tbl_df")
  expect_named(td, c("term", "treat1", "treat2", "model", "estimate", "std.error",
                     "conf.low", "conf.high", "statistic", "p.value", "pred.low",
                     "pred.high"))
  expect_identical(td$term, paste(td$treat1, "vs", td$treat2))
  expect_identical(unique(td$model), "random")
  expect_identical(unique(tidy(fit, model = "common")$model), "common")
  expect_identical(unique(td$treat2), "plac")
  # conf.int = FALSE drops the limits; conf.level changes them
  expect_named(tidy(fit, conf.int = FALSE),
               c("term", "treat1", "treat2", "model", "estimate", "std.error",
                 "statistic", "p.value", "pred.low", "pred.high"))
  t90 <- tidy(fit, conf.level = 0.9)
  expect_equal(t90$conf.high - t90$estimate, stats::qnorm(0.95) * td$std.error)
  expect_error(tidy(fit, conf.int = NA), class = "fastnma_error_conf_int")
  # exponentiating a mean difference is an error, not a silent exp()
  expect_error(tidy(fit, exponentiate = TRUE), class = "fastnma_error_exponentiate")
  expect_error(tidy(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")),
               NA)
  expect_error(tidy(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD"),
                    exponentiate = TRUE), class = "fastnma_error_exponentiate")
  expect_equal(td$estimate, unname(coef(fit)))
  expect_equal(td$std.error, unname(sqrt(diag(vcov(fit)))))
  expect_equal(unname(confint(fit)[, 1]), td$conf.low)
  tc <- tidy(fit, model = "common", comparisons = "all")
  expect_identical(nrow(tc), 45L)
  expect_false("pred.low" %in% names(tc))
  expect_equal(nrow(as.data.frame(fit)), 45L)
})

test_that("Hartung-Knapp intervals scale by Q(tau2)/df with t quantiles", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  hk <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL",
            ci_method = "hk")
  a <- tidy(fit); b <- tidy(hk)
  expect_equal(b$estimate, a$estimate)
  expect_equal(b$std.error, a$std.error * sqrt(hk$Q_random / hk$df))
  expect_equal(b$conf.high - b$estimate, stats::qt(0.975, hk$df) * b$std.error)
})

test_that("print and summary show the fit", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
  out <- capture.output(print(fit))
  expect_true(any(grepl("26 studies, 28 pairwise comparisons, 10 treatments", out)))
  out <- capture.output(print(summary(fit)))
  expect_true(any(grepl("Designs", out)))
  expect_true(any(grepl("acar:metf:plac", out, fixed = TRUE)))
})

test_that("logLik is available for likelihood fits only", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "REML")
  expect_equal(as.numeric(logLik(fit)), -7.53646298482125, tolerance = 1e-6)
  dl <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  expect_error(logLik(dl), class = "fastnma_error_method")
})

# Every class of bad input stops with a classed error naming study and column.

contrasts3 <- function() {
  data.frame(
    study = c("s1", "s2", "s3", "s3", "s3"),
    treat1 = c("A", "B", "A", "A", "B"),
    treat2 = c("B", "C", "B", "C", "C"),
    estimate = c(0.1, 0.2, 0.3, 0.5, 0.2),
    std.error = c(0.1, 0.2, 0.2, 0.25, 0.3)
  )
}

expect_fastnma_error <- function(expr, class, study = NULL) {
  err <- expect_error(expr, class = paste0("fastnma_error_", class))
  expect_s3_class(err, "fastnma_error")
  if (!is.null(study)) expect_true(any(grepl(study, conditionMessage(err), fixed = TRUE)))
  invisible(err)
}

test_that("standard errors must be present, finite and positive", {
  for (bad in list(NA, Inf, 0, -0.2)) {
    d <- contrasts3()
    d$std.error[2] <- bad
    err <- expect_fastnma_error(nma(d),
                                if (is.na(bad)) "missing" else "se", study = "s2")
    expect_true(grepl("std.error", conditionMessage(err), fixed = TRUE))
  }
})

test_that("estimates must be present and finite", {
  d <- contrasts3(); d$estimate[1] <- NA
  expect_fastnma_error(nma(d), "missing", "s1")
  d <- contrasts3(); d$estimate[1] <- -Inf
  expect_fastnma_error(nma(d), "estimate", "s1")
})

test_that("a treatment compared with itself is refused", {
  d <- contrasts3(); d$treat2[1] <- "A"
  expect_fastnma_error(nma(d), "self_comparison", "s1")
})

test_that("a pair repeated within a study is refused", {
  d <- rbind(contrasts3(), data.frame(study = "s1", treat1 = "B", treat2 = "A",
                                      estimate = -0.1, std.error = 0.1))
  err <- expect_fastnma_error(nma(d), "duplicate_pair", "s1")
  expect_identical(err$study, "s1")
})

test_that("an incomplete multi-arm study names the missing contrast", {
  d <- contrasts3()[-5, ]
  err <- expect_fastnma_error(nma(d), "multiarm", "s3")
  expect_true(grepl("B vs C", conditionMessage(err), fixed = TRUE))
})

test_that("inconsistent multi-arm contrasts name the contrast that breaks them", {
  d <- contrasts3(); d$estimate[5] <- 0.9
  err <- expect_fastnma_error(nma(d), "multiarm", "s3")
  expect_true(grepl("B vs C", conditionMessage(err), fixed = TRUE))
  d <- contrasts3(); d$std.error[3:5] <- c(0.1, 0.1, 1)
  expect_fastnma_error(nma(d), "multiarm", "s3")
})

test_that("a disconnected network lists its parts", {
  d <- rbind(contrasts3(), data.frame(study = "s4", treat1 = "D", treat2 = "E",
                                      estimate = 0, std.error = 0.3))
  err <- expect_fastnma_error(nma(d), "disconnected")
  expect_length(err$components, 2)
  expect_identical(err$components[[2]], c("D", "E"))
  expect_true(grepl("D, E", conditionMessage(err), fixed = TRUE))
})

test_that("fewer than two treatments, unknown reference and methods are refused", {
  d <- contrasts3()
  expect_fastnma_error(nma(d, reference = "Z"), "reference")
  expect_fastnma_error(nma(d, tau2_method = "EB"), "method")
  expect_fastnma_error(nma(d, ci_method = "t"), "method")
  expect_fastnma_error(nma(d, treat1 = nope), "column")
  expect_fastnma_error(nma(list(a = 1)), "input")
  one <- data.frame(study = "s1", treat1 = "A", treat2 = "A", estimate = 0, std.error = 1)
  expect_fastnma_error(nma(one), "self_comparison")
  expect_fastnma_error(fastnma:::new_nma_network("s", "A", "A", 0, 1, "MD",
                                                 cols = list(treat1 = "t1", treat2 = "t2")),
                       "treatments")
})

arms <- function() {
  data.frame(study = c("a", "a", "b", "b"), treatment = c("T", "C", "T", "C"),
             events = c(1, 2, 3, 4), n = c(10, 10, 20, 20),
             mean = c(1, 2, 3, 4), sd = c(1, 1, 2, 2))
}

test_that("arm-level data are checked with the study and column named", {
  d <- arms(); d$events[3] <- -1
  err <- expect_fastnma_error(arm_contrasts(d, events = events, measure = "OR"), "arm_data", "b")
  expect_identical(err$column, "events")
  d <- arms(); d$events[1] <- 1.5
  expect_fastnma_error(arm_contrasts(d, events = events, measure = "OR"), "arm_data", "a")
  d <- arms(); d$events[1] <- 11
  expect_fastnma_error(arm_contrasts(d, events = events, measure = "RR"), "arm_data", "a")
  d <- arms(); d$n[4] <- 0
  err <- expect_fastnma_error(arm_contrasts(d, events = events, measure = "RD"), "arm_data", "b")
  expect_identical(err$column, "n")
  d <- arms(); d$sd[2] <- 0
  err <- expect_fastnma_error(arm_contrasts(d, mean = mean, sd = sd, measure = "MD"), "arm_data", "a")
  expect_identical(err$column, "sd")
  d <- arms(); d$treatment[2] <- "T"
  expect_fastnma_error(arm_contrasts(d, mean = mean, sd = sd, measure = "MD"), "duplicate_arm", "a")
  d <- arms(); d$mean[1] <- NA
  expect_fastnma_error(arm_contrasts(d, mean = mean, sd = sd, measure = "SMD"), "missing", "a")
  expect_fastnma_error(arm_contrasts(arms(), mean = mean, sd = sd, measure = "HR"), "method")
})

test_that("no input crashes R or returns NaN silently", {
  # extreme but valid: tiny and huge standard errors
  d <- contrasts3(); d$std.error <- c(1e-8, 1e4, 1e-3, 1e-3, 1e-3)
  d$estimate[3:5] <- c(0.3, 0.5, 0.2)
  fit <- nma(d, tau2_method = "REML")
  expect_false(anyNA(tidy(fit)$estimate))
  expect_false(anyNA(glance(fit)$tau2))
})

test_that("Hartung-Knapp intervals need degrees of freedom", {
  tree <- data.frame(study = c("s1", "s2"), treat1 = c("A", "B"), treat2 = c("B", "C"),
                     estimate = c(0.1, 0.2), std.error = c(0.1, 0.2))
  expect_fastnma_error(nma(tree, ci_method = "hk"), "hk")
  fit <- nma(tree, tau2_method = "DL")
  expect_identical(fit$df, 0L)
  expect_true(all(is.na(tidy(fit)$pred.low)))
  expect_false(anyNA(tidy(fit)$conf.low))
})

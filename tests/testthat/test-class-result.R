# Every result class has one constructor and one validator: the objects the
# verbs return pass it, and an object without one of its fields fails it.

test_that("every list-shaped result passes its validator and fails without a field", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", reference = "plac")
  d <- data.frame(study = c("s1", "s2", "s3", "s4", "s5"),
                  treat1 = c("A", "B", "A + B", "A + B", "B"),
                  treat2 = c("P", "P", "P", "A", "A"),
                  estimate = c(-0.5, -0.3, -0.9, -0.35, 0.15),
                  std.error = c(0.2, 0.25, 0.3, 0.2, 0.3))
  objs <- list(
    nma = fit,
    nma_network = fit$network,
    nma_inconsistency = inconsistency(fit),
    nma_influence = leave_one_out(fit),
    nma_contrib = contributions(fit),
    nma_component = component_nma(nma(d, measure = "MD", reference = "P"), inactive = "P"),
    nma_regression = nma_regression(fit, stats::setNames(seq_along(fit$studies), fit$studies)),
    nma_outliers = outliers(fit),
    nma_forward = forward_search(fit, n_candidates = 5, seed = 1),
    nma_dose = dose_nma(simulate_dose_nma(seed = 4, n_studies = 40), method = "linear"),
    nma_control = nma_control(),
    zero_cell_policy = zero_cell_policy(),
    msc_analysis = suppressMessages(analyse_msc(simulate_msc_extraction(seed = 1),
                                                outcome = "womac_pain"))
  )
  expect_setequal(names(objs), names(result_fields))
  for (cls in names(objs)) {
    x <- objs[[cls]]
    expect_s3_class(x, cls)
    expect_identical(validate_fastnma_result(x), x)
    for (f in result_fields[[cls]]) {
      y <- x
      y[f] <- NULL
      expect_error(validate_fastnma_result(y), class = "fastnma_error_result_contract",
                   label = paste(cls, "without", f))
    }
  }
  expect_error(validate_fastnma_result(list(a = 1)), class = "fastnma_error_result_contract")
  expect_error(new_fastnma_result(list(Q = 1), "nma_inconsistency"),
               class = "fastnma_error_result_contract")
})

test_that("every fit keeps its coefficients under one name, theta; beta and coef still read", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", reference = "plac")
  d <- data.frame(study = c("s1", "s2", "s3", "s4", "s5"),
                  treat1 = c("A", "B", "A + B", "A + B", "B"),
                  treat2 = c("P", "P", "P", "A", "A"),
                  estimate = c(-0.5, -0.3, -0.9, -0.35, 0.15),
                  std.error = c(0.2, 0.25, 0.3, 0.2, 0.3))
  cn <- component_nma(nma(d, measure = "MD", reference = "P"), inactive = "P")
  reg <- nma_regression(fit, stats::setNames(seq_along(fit$studies), fit$studies))
  for (f in list(fit, cn, reg)) {
    for (m in c("common", "random")) {
      expect_true(all(c("theta", "cov") %in% names(f[[m]])))
      expect_identical(dim(f[[m]]$cov), rep(length(f[[m]]$theta), 2L))
    }
  }
  expect_identical(coef(cn), cn$random$theta)
  expect_identical(coef(reg), reg$random$theta)
  rlang::reset_warning_verbosity("fastnma_renamed_field_beta")
  expect_warning(b <- cn$random$beta, class = "fastnma_warning_deprecated")
  expect_identical(b, cn$random$theta)
  expect_identical(suppressWarnings(cn$comb_common[["beta"]]), cn$comb_common$theta)
  expect_identical(suppressWarnings(reg$common$coef), reg$common$theta)
  expect_null(cn$random$no_such_field)
})

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

# Every capability gate goes through check_supports(): one classed error that
# names the verb and the fit's method, before any compiled code is called.

test_that("every gated verb stops a Mantel-Haenszel fit through the one gate", {
  mh <- suppressWarnings(suppressMessages(nma_binary(dong2013, measure = "OR", method = "MH")))
  rob <- stats::setNames(rep("low", length(mh$studies)), mh$studies)
  calls <- list(
    node_split = function() node_split(mh),
    leave_one_out = function() leave_one_out(mh),
    inconsistency = function() inconsistency(mh),
    contributions = function() contributions(mh),
    direct_estimates = function() direct_estimates(mh),
    netheat = function() autoplot(mh, type = "netheat"),
    confidence = function() confidence(mh, rob, margin = 0.1),
    component_nma = function() component_nma(mh, inactive = mh$reference),
    nma_regression = function() nma_regression(mh, stats::setNames(seq_along(mh$studies), mh$studies)),
    cumulative_nma = function() cumulative_nma(mh, stats::setNames(seq_along(mh$studies), mh$studies)),
    subgroup_nma = function() subgroup_nma(mh, stats::setNames(rep(c("a", "b"), length.out = length(mh$studies)), mh$studies)),
    threshold = function() threshold(mh),
    outliers = function() outliers(mh),
    forward_search = function() forward_search(mh)
  )
  expect_setequal(names(calls), names(study_contrast_verbs))
  for (verb in names(calls)) {
    err <- expect_error(calls[[verb]](), class = "fastnma_error_not_supported")
    expect_identical(err$verb, verb)
    expect_identical(err$fit_method, "MH")
    expect_match(conditionMessage(err), "is not available for a Mantel-Haenszel fit", fixed = TRUE)
    expect_match(conditionMessage(err), "nma_binary(method = \"IV\")", fixed = TRUE)
  }
  # an inverse-variance fit passes every gate
  iv <- suppressWarnings(suppressMessages(nma_binary(dong2013, measure = "OR", method = "IV")))
  for (verb in names(study_contrast_verbs)) {
    expect_identical(check_supports(iv, verb), iv)
  }
})

test_that("a verb without a capability entry is an internal error", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  expect_error(check_supports(fit, "no_such_verb"), "no capability entry")
})

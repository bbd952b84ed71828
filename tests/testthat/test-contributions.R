contrib_check <- function(input, methods) {
  d <- diag_read(input)
  fit <- diag_fit(input)
  nm <- netmeta_fit(d)
  for (method in methods) {
    ref <- netmeta::netcontrib(nm, method = method)
    for (model in c("common", "random")) {
      cb <- contributions(fit, method = method, model = model)
      w <- cb$weights
      R <- ref[[model]]
      # rows and columns in the canonical orientation, labelled "treat1 vs treat2"
      expect_identical(rownames(w), paste(cb$comparisons$treat1, "vs", cb$comparisons$treat2))
      expect_identical(colnames(w), paste(cb$direct$treat1, "vs", cb$direct$treat2))
      rm <- match_labels(cb$comparisons$treat1, cb$comparisons$treat2, rownames(R))
      expect_false(anyNA(rm$index))
      cm <- match_labels(cb$direct$treat1, cb$direct$treat2, colnames(R))
      expect_false(anyNA(cm$index))
      expect_rel(as.vector(w), as.vector(R[rm$index, cm$index]), tol = 1e-6, floor = 1e-4)
    }
  }
}

test_that("contributions agree with netmeta's netcontrib", {
  skip_if_not_installed("netmeta")
  contrib_check("Senn2013_input.csv", "shortestpath")
  contrib_check("smokingcessation_OR_contrasts.csv", c("shortestpath", "randomwalk"))
})

test_that("contributions are proportions and study shares add up", {
  fit <- diag_fit("Dong2013_OR_contrasts.csv")
  for (method in c("shortestpath", "randomwalk")) {
    cb <- contributions(fit, method = method, model = "common", study = TRUE)
    expect_true(all(cb$weights >= 0))
    expect_equal(unname(rowSums(cb$weights)), rep(1, nrow(cb$weights)), tolerance = 1e-10)
    expect_equal(unname(rowSums(cb$study)), rep(1, nrow(cb$study)), tolerance = 1e-10)
    td <- tidy(cb)
    expect_s3_class(td, "tbl_df")
    expect_named(td, c("term", "treat1", "treat2", "direct", "contribution"))
    expect_identical(td$term, paste(td$treat1, "vs", td$treat2))
    expect_true(all(td$contribution > 0))
  }
  # a comparison with only direct evidence takes all from itself
  fit <- diag_fit("Senn2013_input.csv")
  cb <- contributions(fit)
  expect_equal(cb$weights["vild vs plac", "vild vs plac"], 1)
  expect_output(print(cb), "Contributions")
  expect_error(tidy(cb, study = TRUE), class = "fastnma_error_not_computed")
})

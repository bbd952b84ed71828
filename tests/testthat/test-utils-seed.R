# Random numbers with a seed (R/utils-seed.R).

test_that("with_seed() is reproducible and leaves the global random state as it was", {
  set.seed(99)
  before <- .Random.seed
  a <- fastnma:::with_seed(1, stats::runif(3))
  expect_identical(.Random.seed, before)
  b <- fastnma:::with_seed(1, stats::runif(3))
  expect_identical(a, b)
  expect_false(identical(a, fastnma:::with_seed(2, stats::runif(3))))
  # the expression sees the caller's variables
  n <- 4L
  expect_length(fastnma:::with_seed(1, stats::rnorm(n)), 4L)
  # no random state before: none after
  rm(".Random.seed", envir = globalenv())
  fastnma:::with_seed(1, stats::runif(1))
  expect_false(exists(".Random.seed", envir = globalenv(), inherits = FALSE))
  # and restored when the expression fails
  set.seed(5)
  before <- .Random.seed
  expect_error(fastnma:::with_seed(1, stop("boom")), "boom")
  expect_identical(.Random.seed, before)
})

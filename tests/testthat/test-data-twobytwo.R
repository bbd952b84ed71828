# The 2x2 routine of the C++ core (src/core/twobytwo.h), through its wrapper:
# edge cases, statuses, and no NaN or infinity without a status.

tbt <- function(e1, n1, c1, e2, n2, c2, measure, convention = 0L,
                drop_no = FALSE, drop_all = FALSE) {
  fastnma:::twobytwo_cpp(
    list(events1 = e1, n1 = n1, incr1 = c1, events2 = e2, n2 = n2, incr2 = c2),
    list(measure = measure, convention = convention, drop_no_events = drop_no,
         drop_all_events = drop_all))
}
OR <- 0L; RR <- 1L; RD <- 2L

test_that("ordinary tables give the textbook formulas", {
  r <- tbt(3, 30, 0, 4, 31, 0, OR)
  expect_identical(r$status, 0L)
  expect_equal(r$estimate, log(3 * 27 / (27 * 4)))
  expect_equal(r$variance, 1 / 3 + 1 / 27 + 1 / 4 + 1 / 27)
  r <- tbt(3, 30, 0, 4, 31, 0, RR)
  expect_equal(r$estimate, log(3 / 30) - log(4 / 31))
  expect_equal(r$variance, 1 / 3 - 1 / 30 + 1 / 4 - 1 / 31)
  r <- tbt(3, 30, 0, 4, 31, 0, RD)
  expect_equal(r$estimate, 3 / 30 - 4 / 31)
  expect_equal(r$variance, 3 * 27 / 30^3 + 4 * 27 / 31^3)
})

test_that("zero events in one arm: corrected, or not estimable without increment", {
  r <- tbt(0, 20, 0.5, 5, 22, 0.5, OR)
  expect_equal(r$estimate, log(0.5 * 17.5 / (20.5 * 5.5)))
  r <- tbt(0, 20, 0.5, 5, 22, 0.5, RR)
  # pairwise convention: the increment once in the arm size
  expect_equal(r$estimate, log(0.5 / 20.5) - log(5.5 / 22.5))
  expect_equal(r$variance, 1 / 0.5 - 1 / 20.5 + 1 / 5.5 - 1 / 22.5)
  # cells convention (metafor): twice
  r <- tbt(0, 20, 0.5, 5, 22, 0.5, RR, convention = 1L)
  expect_equal(r$estimate, log(0.5 / 21) - log(5.5 / 23))
  r <- tbt(0, 20, 0.5, 5, 22, 0.5, RD)
  expect_equal(r$estimate, 0 - 5 / 22)
  expect_equal(r$variance, 0.5 * 20.5 / 21^3 + 5.5 * 17.5 / 23^3)
  for (m in c(OR, RR)) {
    r <- tbt(0, 20, 0, 5, 22, 0, m)
    expect_identical(r$status, 3L)
    expect_true(is.na(r$estimate) && !is.nan(r$estimate))
    expect_true(is.na(r$variance) && !is.nan(r$variance))
  }
  # RD needs no correction when the other arm has a variance
  expect_identical(tbt(0, 20, 0, 5, 22, 0, RD)$status, 0L)
})

test_that("events in every patient: RR kept with the increment, OR needs it", {
  r <- tbt(20, 20, 0.5, 22, 22, 0.5, RR)
  expect_identical(r$status, 0L)
  expect_equal(r$estimate, 0)
  expect_equal(r$variance, 1 / 20 - 1 / 20.5 + 1 / 22 - 1 / 22.5)
  # without an increment the variance is zero: not estimable
  r <- tbt(20, 20, 0, 22, 22, 0, RR)
  expect_identical(r$status, 4L)
  expect_true(is.na(r$variance) && !is.nan(r$variance))
  # n = events in one arm only: the other arm carries the variance
  r <- tbt(20, 20, 0, 10, 22, 0, RR)
  expect_identical(r$status, 0L)
  expect_equal(r$variance, 1 / 10 - 1 / 22)
  expect_identical(tbt(20, 20, 0, 10, 22, 0, OR)$status, 3L)
  r <- tbt(20, 20, 0.5, 22, 22, 0.5, OR)
  expect_equal(r$estimate, log(20.5 * 0.5 / (0.5 * 22.5)))
  expect_identical(tbt(20, 20, 0.5, 22, 22, 0.5, OR, drop_all = TRUE)$status, 2L)
})

test_that("double zeros: dropped on request, corrected otherwise, RD variance needs the increment", {
  expect_identical(tbt(0, 10, 0.5, 0, 12, 0.5, RR, drop_no = TRUE)$status, 1L)
  r <- tbt(0, 10, 0.5, 0, 12, 0.5, RR)
  expect_equal(r$estimate, log(0.5 / 10.5) - log(0.5 / 12.5))
  r <- tbt(0, 10, 0.5, 0, 12, 0.5, RD)
  expect_equal(r$estimate, 0)
  expect_equal(r$variance, 0.5 * 10.5 / 11^3 + 0.5 * 12.5 / 13^3)
  expect_identical(tbt(0, 10, 0, 0, 12, 0, RD)$status, 4L)
})

test_that("invalid arms get a status, vectors are handled element-wise, nothing is NaN", {
  e1 <- c(1, 5, -1, 3, NA, 2, 0)
  n1 <- c(0, 4, 10, 10, 10, 10, 10)
  c1 <- c(0, 0, 0, -0.5, 0, Inf, 0.5)
  for (m in c(OR, RR, RD)) for (conv in 0:1) {
    r <- tbt(e1, n1, c1, rep(2, 7), rep(10, 7), rep(0.5, 7), m, conv)
    expect_identical(r$status, c(rep(5L, 6), 0L))
    expect_false(any(is.nan(r$estimate)) || any(is.nan(r$variance)))
    expect_true(all(is.finite(r$estimate[r$status == 0L])))
    expect_true(all(r$variance[r$status == 0L] > 0))
    expect_true(all(is.na(r$estimate[r$status > 0L])))
  }
  expect_identical(length(tbt(numeric(), numeric(), numeric(), numeric(), numeric(),
                              numeric(), OR)$status), 0L)
})

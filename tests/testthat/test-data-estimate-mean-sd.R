# Tests for estimate_mean_sd().
#
# Neither Wan et al. (2014) nor Luo et al. (2018) prints a worked example
# whose inputs and outputs could be copied here, so (1) the closed-form
# xi(n) is checked against the exact values that Wan et al. publish in their
# Table 1, and (2) every estimator is checked against the published formulas
# evaluated by hand below, with the arithmetic written out independently of
# the implementation. Inputs are arbitrary illustration values, not data.

# Wan et al. (2014), BMC Med Res Methodol 14:135, Table 1: expected range of
# a standard normal sample of size n ("Values of xi(n) ... for n <= 50").
wan_table1 <- c(`10` = 3.078, `20` = 3.735, `30` = 4.086, `40` = 4.322,
                `50` = 4.498)

test_that("the range divisor agrees with Wan et al. (2014) Table 1", {
  n <- as.numeric(names(wan_table1))
  # With min = 0, max = 1 the S1 SD is 1 / xi(n).
  res <- estimate_mean_sd(median = 0.5, min = 0, max = 1, n = n)
  expect_equal(1 / res$sd, unname(wan_table1), tolerance = 0.005)
})

test_that("scenario S1 (median, min, max) follows Luo (mean) and Wan (SD)", {
  # n = 30, min 1, median 5, max 10
  n <- 30
  w <- 4 / (4 + 30^0.75) # Luo et al. (2018), S1 weight
  mean_hand <- w * (1 + 10) / 2 + (1 - w) * 5
  xi <- 2 * qnorm((30 - 0.375) / (30 + 0.25))
  sd_hand <- (10 - 1) / xi
  res <- estimate_mean_sd(median = 5, min = 1, max = 10, n = n)
  expect_s3_class(res, "data.frame")
  expect_named(res, c("mean", "sd", "scenario"))
  expect_equal(res$mean, mean_hand, tolerance = 1e-12)
  expect_equal(res$sd, sd_hand, tolerance = 1e-12)
  expect_identical(res$scenario, "S1")
  # regression values of the formulas above, rounded to 7 significant digits
  # (30^0.75 = 12.8190, w = 0.237839, xi(30) = 4.08056)
  expect_equal(res$mean, 5.118916, tolerance = 1e-6)
  expect_equal(res$sd, 2.205578, tolerance = 1e-6)
})

test_that("scenario S2 (median, q1, q3) follows Luo (mean) and Wan (SD)", {
  n <- 25
  w <- 0.7 + 0.39 / 25 # = 0.7156
  mean_hand <- w * (2 + 7) / 2 + (1 - w) * 4
  eta <- 2 * qnorm((0.75 * 25 - 0.125) / (25 + 0.25))
  sd_hand <- (7 - 2) / eta
  res <- estimate_mean_sd(median = 4, q1 = 2, q3 = 7, n = n)
  expect_equal(res$mean, mean_hand, tolerance = 1e-12)
  expect_equal(res$mean, 0.7156 * 4.5 + 0.2844 * 4, tolerance = 1e-12)
  expect_equal(res$sd, sd_hand, tolerance = 1e-12)
  expect_identical(res$scenario, "S2")
  # For large n, eta(n) tends to 2 * qnorm(0.75) = 1.34898 (the normal IQR).
  big <- estimate_mean_sd(median = 0, q1 = -1, q3 = 1, n = 1e6)
  expect_equal(big$sd, 2 / (2 * qnorm(0.75)), tolerance = 1e-5)
})

test_that("scenario S3 (five-number summary) follows Luo (mean) and Wan (SD)", {
  n <- 30
  w1 <- 2.2 / (2.2 + 30^0.75)
  w2 <- 0.7 - 0.72 / 30^0.55
  mean_hand <- w1 * (1 + 10) / 2 + w2 * (3 + 7) / 2 + (1 - w1 - w2) * 5
  xi <- 2 * qnorm((30 - 0.375) / (30 + 0.25))
  eta <- 2 * qnorm((0.75 * 30 - 0.125) / (30 + 0.25))
  sd_hand <- (10 - 1) / (2 * xi) + (7 - 3) / (2 * eta) # Wan et al. eq. (15)
  res <- estimate_mean_sd(median = 5, q1 = 3, q3 = 7, min = 1, max = 10, n = n)
  expect_equal(res$mean, mean_hand, tolerance = 1e-12)
  expect_equal(res$sd, sd_hand, tolerance = 1e-12)
  expect_identical(res$scenario, "S3")
})

test_that("method = 'luo_shi' uses the Shi et al. (2020) SD in S3 only", {
  n <- 30
  # Shi et al. (2020) shortcut formula written with theta1(n), theta2(n):
  # SD = (b - a) / theta1(n) + (q3 - q1) / theta2(n),
  # theta1(n) = (2 + 0.14 n^0.6) qnorm((n - 0.375) / (n + 0.25)),
  # theta2(n) = (2 + 2 / (0.07 n^0.6)) qnorm((0.75 n - 0.125) / (n + 0.25)).
  theta1 <- (2 + 0.14 * 30^0.6) * qnorm((30 - 0.375) / (30 + 0.25))
  theta2 <- (2 + 2 / (0.07 * 30^0.6)) * qnorm((0.75 * 30 - 0.125) / (30 + 0.25))
  sd_shi <- (10 - 1) / theta1 + (7 - 3) / theta2
  res <- estimate_mean_sd(median = 5, q1 = 3, q3 = 7, min = 1, max = 10, n = n,
                          method = "luo_shi")
  expect_equal(res$sd, sd_shi, tolerance = 1e-12)
  # the mean is Luo's in both methods
  ref <- estimate_mean_sd(median = 5, q1 = 3, q3 = 7, min = 1, max = 10, n = n)
  expect_equal(res$mean, ref$mean)
  # S1 and S2 are unchanged
  expect_equal(
    estimate_mean_sd(median = 5, min = 1, max = 10, n = 30, method = "luo_shi"),
    estimate_mean_sd(median = 5, min = 1, max = 10, n = 30)
  )
  expect_equal(
    estimate_mean_sd(median = 4, q1 = 2, q3 = 7, n = 25, method = "luo_shi"),
    estimate_mean_sd(median = 4, q1 = 2, q3 = 7, n = 25)
  )
})

test_that("method = 'wan' uses the Wan et al. (2014) means", {
  s1 <- estimate_mean_sd(median = 5, min = 1, max = 10, n = 30, method = "wan")
  expect_equal(s1$mean, (1 + 2 * 5 + 10) / 4)
  s2 <- estimate_mean_sd(median = 4, q1 = 2, q3 = 7, n = 25, method = "wan")
  expect_equal(s2$mean, (2 + 4 + 7) / 3)
  s3 <- estimate_mean_sd(median = 5, q1 = 3, q3 = 7, min = 1, max = 10, n = 30,
                         method = "wan")
  expect_equal(s3$mean, (1 + 2 * 3 + 2 * 5 + 2 * 7 + 10) / 8)
  # SDs are Wan's in every scenario
  expect_equal(
    s3$sd,
    estimate_mean_sd(median = 5, q1 = 3, q3 = 7, min = 1, max = 10, n = 30)$sd
  )
})

test_that("symmetric summaries give mean = median for every method", {
  for (m in c("luo_wan", "luo_shi", "wan")) {
    res <- estimate_mean_sd(median = c(5, 5, 5), q1 = c(NA, 3, 3),
                            q3 = c(NA, 7, 7), min = c(1, NA, 1),
                            max = c(9, NA, 9), n = 40, method = m)
    expect_equal(res$mean, c(5, 5, 5), tolerance = 1e-12)
    expect_true(all(res$sd > 0))
  }
})

test_that("it is vectorised over rows, choosing the scenario per row", {
  res <- estimate_mean_sd(
    median = c(5, 4, 5),
    q1 = c(NA, 2, 3),
    q3 = c(NA, 7, 7),
    min = c(1, NA, 1),
    max = c(10, NA, 10),
    n = c(30, 25, 30)
  )
  expect_identical(res$scenario, c("S1", "S2", "S3"))
  one_by_one <- rbind(
    estimate_mean_sd(median = 5, min = 1, max = 10, n = 30),
    estimate_mean_sd(median = 4, q1 = 2, q3 = 7, n = 25),
    estimate_mean_sd(median = 5, q1 = 3, q3 = 7, min = 1, max = 10, n = 30)
  )
  expect_equal(res, one_by_one)
  # length-one inputs are recycled
  rec <- estimate_mean_sd(median = c(4, 5), q1 = 2, q3 = 7, n = 25)
  expect_equal(nrow(rec), 2L)
  expect_equal(rec$sd[1], rec$sd[2])
  # q1/q3 given as NULL behave like all-NA columns
  expect_equal(
    estimate_mean_sd(median = 5, min = 1, max = 10, n = 30),
    estimate_mean_sd(median = 5, q1 = NA, q3 = NA, min = 1, max = 10, n = 30)
  )
})

test_that("bad inputs raise classed errors naming the row", {
  cls <- function(x) paste0("fastnma_error_", x)
  expect_error(estimate_mean_sd(median = c(5, 2), q1 = 3, q3 = 7, n = 10),
               class = cls("summary_order"))
  expect_error(estimate_mean_sd(median = c(5, 2), q1 = 3, q3 = 7, n = 10),
               class = "fastnma_error")
  expect_error(estimate_mean_sd(median = c(5, 2), q1 = 3, q3 = 7, n = 10),
               "row 2")
  # median > q3
  expect_error(estimate_mean_sd(median = c(5, 8), q1 = 3, q3 = 7, n = 10),
               class = cls("summary_order"))
  expect_error(estimate_mean_sd(median = c(5, 8), q1 = 3, q3 = 7, n = 10),
               "row 2")
  # median outside the range; extremes inside the quartiles
  expect_error(estimate_mean_sd(median = 11, min = 1, max = 10, n = 10),
               class = cls("summary_order"))
  expect_error(estimate_mean_sd(median = 0, min = 1, max = 10, n = 10),
               class = cls("summary_order"))
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = 7, min = 4, max = 10,
                                n = 10), class = cls("summary_order"))
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = 7, min = 1, max = 6,
                                n = 10), class = cls("summary_order"))
  # n < 1 (and n = 1, where no SD can be estimated), non-integer n
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = 7, n = 0),
               class = cls("sample_size"))
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = 7, n = c(10, -3)),
               "row 2")
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = 7, n = 1),
               class = cls("sample_size"))
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = 7, n = 10.5),
               class = cls("sample_size"))
  # missing inputs
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = 7), class = cls("missing_argument"))
  expect_error(estimate_mean_sd(q1 = 3, q3 = 7, n = 10), class = cls("missing_argument"))
  expect_error(estimate_mean_sd(median = c(5, NA), q1 = 3, q3 = 7, n = 10),
               "row 2")
  expect_error(estimate_mean_sd(median = c(5, NA), q1 = 3, q3 = 7, n = 10),
               class = cls("missing"))
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = 7, n = c(10, NA)),
               class = cls("missing"))
  expect_error(estimate_mean_sd(median = 5, n = 10), class = cls("summary_spread"))
  expect_error(estimate_mean_sd(median = c(5, 5), q1 = c(3, NA),
                                q3 = c(7, NA), n = 10), "row 2")
  # only one member of a pair
  expect_error(estimate_mean_sd(median = 5, q1 = 3, n = 10), class = cls("summary_spread"))
  expect_error(estimate_mean_sd(median = 5, min = 1, q1 = 3, q3 = 7, n = 10),
               class = cls("summary_spread"))
  # wrong types, lengths and methods
  expect_error(estimate_mean_sd(median = "5", q1 = 3, q3 = 7, n = 10),
               class = cls("numeric"))
  expect_error(estimate_mean_sd(median = 1:3, q1 = c(0, 0), q3 = 7, n = 10),
               class = cls("length"))
  expect_error(estimate_mean_sd(median = numeric(), q1 = 3, q3 = 7, n = 10),
               class = cls("length"))
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = 7, n = 10,
                                method = "hozo"), class = cls("choice"))
  expect_error(estimate_mean_sd(median = 5, q1 = 3, q3 = Inf, n = 10),
               class = cls("not_finite"))
})

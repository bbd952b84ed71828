test_that("league_table() holds every ordered pair with network estimates", {
  fit <- diag_fit("Senn2013_input.csv")
  lt <- league_table(fit)
  n <- length(fit$treatments)
  expect_s3_class(lt, "nma_league")
  expect_equal(nrow(lt), n * (n - 1))
  key <- paste(lt$treat1, lt$treat2)
  expect_equal(anyDuplicated(key), 0L)
  rev <- match(paste(lt$treat2, lt$treat1), key)
  expect_equal(lt$estimate, -lt$estimate[rev], tolerance = 1e-12)
  expect_equal(lt$std.error, lt$std.error[rev], tolerance = 1e-12)
  all <- tidy(fit, comparisons = "all")
  i <- match(paste(all$treat1, all$treat2), key)
  expect_equal(lt$estimate[i], all$estimate, tolerance = 1e-12)
  expect_equal(lt$conf.low[i], all$conf.low, tolerance = 1e-12)
})

test_that("format() lays out the square table with its orientation", {
  fit <- diag_fit("Senn2013_input.csv")
  lt <- league_table(fit, model = "common")
  m <- format(lt, digits = 3, ci = FALSE)
  trt <- fit$treatments
  expect_equal(unname(diag(m)), trt)
  # lower triangle: column vs row
  r <- match("sulf", trt); c <- match("acar", trt)
  est <- fit$common$theta[["acar"]] - fit$common$theta[["sulf"]]
  expect_equal(m[r, c], formatC(est, digits = 3, format = "f"))
  # upper triangle: direct estimate, row vs column
  d <- direct_estimates(fit, model = "common")
  dr <- d[d$treat1 == "sulf" & d$treat2 == "acar", ]
  expect_equal(m[c, r], formatC(-dr$estimate, digits = 3, format = "f"))
  # no direct evidence
  expect_equal(m[match("benf", trt), match("vild", trt)], ".")
  expect_output(print(lt), "Lower triangle: network estimate .* of the column treatment relative to the row treatment")
  expect_output(print(lt), "Upper triangle: direct estimate")
})

test_that("two fits share one table", {
  fit <- diag_fit("smokingcessation_OR_contrasts.csv")
  harm <- diag_fit("smokingcessation_RR_contrasts.csv")
  lt <- league_table(fit, upper = "network", second = harm, exponentiate = TRUE)
  m <- format(lt, digits = 4, ci = FALSE)
  trt <- fit$treatments
  up <- exp(harm$random$theta[["A"]] - harm$random$theta[["D"]])  # row A vs column D
  expect_equal(m[match("A", trt), match("D", trt)], formatC(up, digits = 4, format = "f"))
  expect_output(print(lt), "second fit of the row treatment relative to the column treatment")
  ord <- rev(trt)
  m2 <- format(league_table(fit, order = ord), ci = FALSE)
  expect_equal(unname(diag(m2)), ord)
  expect_error(league_table(fit, upper = "network"), class = "fastnma_error_second")
  expect_error(league_table(fit, order = trt[-1]), class = "fastnma_error_order")
  expect_error(league_table(fit, upper = "network", second = diag_fit("Senn2013_input.csv")),
               class = "fastnma_error_treatments")
})

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
  # the first half: the canonical comparisons, in the order of tidy()
  half <- seq_len(nrow(all))
  expect_identical(lt$treat1[half], all$treat1)
  expect_identical(lt$treat2[half], all$treat2)
  tl <- tidy(lt)
  expect_s3_class(tl, "tbl_df")
  expect_identical(tl$term, paste(lt$treat1, "vs", lt$treat2))
  expect_false("conf.low" %in% names(tidy(lt, conf.int = FALSE)))
})

test_that("format() lays out the square table with its orientation", {
  fit <- diag_fit("Senn2013_input.csv")
  lt <- league_table(fit, model = "common")
  m <- format(lt, digits = 3, ci = FALSE)
  trt <- fit$treatments
  expect_equal(unname(diag(m)), trt)
  # lower triangle: row vs column
  r <- match("sulf", trt); c <- match("acar", trt)
  est <- fit$common$theta[["sulf"]] - fit$common$theta[["acar"]]
  expect_equal(m[r, c], formatC(est, digits = 3, format = "f"))
  # upper triangle: direct estimate, column vs row
  d <- direct_estimates(fit, model = "common")
  dr <- d[d$treat1 == "sulf" & d$treat2 == "acar", ]
  expect_equal(m[c, r], formatC(dr$estimate, digits = 3, format = "f"))
  # no direct evidence
  expect_equal(m[match("benf", trt), match("vild", trt)], ".")
  # the explanation is wrapped to the console width
  shown <- paste(utils::capture.output(print(lt)), collapse = " ")
  expect_match(shown, "Lower triangle: network estimate .* of the row treatment relative to the column treatment")
  expect_match(shown, "Upper triangle: direct estimate")
})

test_that("two fits share one table", {
  fit <- nma(diag_read("smokingcessation_OR_contrasts.csv"), TE, seTE, treat1, treat2,
             study, measure = "OR", tau2_method = "DL")
  harm <- nma(diag_read("smokingcessation_RR_contrasts.csv"), TE, seTE, treat1, treat2,
              study, measure = "RR", tau2_method = "DL")
  expect_error(league_table(diag_fit("smokingcessation_OR_contrasts.csv"), exponentiate = TRUE),
               class = "fastnma_error_exponentiate")
  lt <- league_table(fit, upper = "network", second = harm, exponentiate = TRUE)
  m <- format(lt, digits = 4, ci = FALSE)
  trt <- fit$treatments
  up <- exp(harm$random$theta[["D"]] - harm$random$theta[["A"]])  # column D vs row A
  expect_equal(m[match("A", trt), match("D", trt)], formatC(up, digits = 4, format = "f"))
  expect_match(paste(utils::capture.output(print(lt)), collapse = " "),
               "second fit of the column treatment relative to the row treatment")
  ord <- rev(trt)
  m2 <- format(league_table(fit, order = ord), ci = FALSE)
  expect_equal(unname(diag(m2)), ord)
  expect_error(league_table(fit, upper = "network"), class = "fastnma_error_second")
  expect_error(league_table(fit, order = trt[-1]), class = "fastnma_error_order")
  expect_error(league_table(fit, upper = "network", second = diag_fit("Senn2013_input.csv")),
               class = "fastnma_error_treatments")
})

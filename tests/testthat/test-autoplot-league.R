test_that("league heat map shows the cells of the printed table", {
  fit <- senn_fit()
  lt <- league_table(fit)
  p <- expect_no_drawing(autoplot(lt))
  d <- p$data
  n <- fit$n
  expect_equal(nrow(d), n * (n - 1))
  m <- format(lt, digits = 2, ci = FALSE)
  expect_identical(d$label[d$row == "rosi" & d$column == "plac"],
                   m["rosi", "plac"])
  # lower triangle: row vs column, the values of tidy()
  td <- tidy(lt)
  low <- d[d$triangle == "lower", ]
  hit <- match(paste(low$treat1, low$treat2), paste(td$treat1, td$treat2))
  expect_equal(low$estimate, td$estimate[hit])
  expect_equal(low$conf.low, td$conf.low[hit])
  # upper triangle: direct estimates, blank without direct evidence
  up <- d[d$triangle == "upper", ]
  de <- direct_estimates(fit)
  cell <- up$treat1 == "metf" & up$treat2 == "plac"
  hit <- de$treat1 == "metf" & de$treat2 == "plac"
  if (!any(hit)) {
    hit <- de$treat1 == "plac" & de$treat2 == "metf"
    expect_equal(up$estimate[cell], -de$estimate[hit])
  } else {
    expect_equal(up$estimate[cell], de$estimate[hit])
  }
  # upper triangle: column vs row (sita, later in canonical order, vs benf)
  expect_identical(up$label[up$treat1 == "sita" & up$treat2 == "benf"], "")
  expect_false(any(up$treat1 == "benf" & up$treat2 == "sita"))
  ld <- ggplot2::layer_data(p, 2)
  expect_setequal(ld$label, d$label)
})

test_that("league cells carry confidence intervals for small networks", {
  fit <- smoking_fit()
  lt <- league_table(fit, exponentiate = TRUE)
  p <- autoplot(lt)
  expect_true(all(grepl("\n(", p$data$label[p$data$triangle == "lower"], fixed = TRUE)))
  m <- format(lt, digits = 2)
  expect_identical(sub("\n", " ", p$data$label[p$data$row == "D" & p$data$column == "A"]),
                   m["D", "A"])
})

test_that("snapshots: league tables", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  vdiffr::expect_doppelganger("league-senn", autoplot(league_table(senn_fit())))
  vdiffr::expect_doppelganger("league-smoking-or",
                              autoplot(league_table(smoking_fit(), exponentiate = TRUE)))
  vdiffr::expect_doppelganger("league-22", autoplot(league_table(fit22())))
})

# What a netmeta user types should not give plausible but wrong output:
# names of measures and methods in any case, declared custom measures,
# "did you mean" for misspelt treatments, netmeta's league layout, dropped
# rows with missing values, grouped tables, exports on the printed scale.

test_that("measure names are matched regardless of case", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "md")
  expect_identical(fit$measure, "MD")
  ac <- suppressMessages(suppressWarnings(
    arm_contrasts(dong2013, study, treatment, events = events, n = n, measure = "or")))
  expect_identical(attr(ac, "measure"), "OR")
  # a contrast table made for "OR" agrees with measure = "or"
  expect_identical(nma(ac, measure = "or")$measure, "OR")
  mh <- suppressMessages(nma_binary(dong2013, measure = "rr", method = "mh"))
  expect_identical(mh$measure, "RR")
  # log odds ratios are exponentiated in the print, as for "OR"
  d <- data.frame(study = c("s1", "s2", "s3"), treat1 = c("B", "C", "C"),
                  treat2 = c("A", "A", "B"), estimate = log(c(2, 3, 1.4)),
                  std.error = 0.2)
  lower <- nma(d, measure = "or", tau2_method = "dl")
  expect_identical(lower$measure, "OR")
  expect_equal(tidy(lower, exponentiate = TRUE)$estimate,
               tidy(nma(d, measure = "OR", tau2_method = "DL"), exponentiate = TRUE)$estimate)
})

test_that("an unknown measure must be declared with custom_measure()", {
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "0R"),
                      class = "fastnma_error_unknown_measure")
  expect_match(conditionMessage(err), "custom_measure(\"0R\")", fixed = TRUE)
  expect_identical(err$measure, "0R")
  expect_error(nma_network(senn2013, TE, seTE, treat1, treat2, study, measure = "logHR"),
               class = "fastnma_error_unknown_measure")
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study,
             measure = custom_measure("logHR"))
  expect_identical(fit$measure, "logHR")
  # a custom measure is a difference: not exponentiated
  md <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  expect_equal(tidy(fit)$estimate, tidy(md)$estimate)
  # a known measure is not a custom one
  expect_error(custom_measure("or"), class = "fastnma_error_unknown_measure")
})

test_that("estimator and method names are matched regardless of case", {
  dl <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "dl",
            ci_method = "HK")
  ref <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL",
             ci_method = "hk")
  expect_identical(dl$tau2_method, "DL")
  expect_identical(dl$ci_method, "hk")
  expect_equal(dl$tau2, ref$tau2)
  expect_identical(nma(senn2013, TE, seTE, treat1, treat2, study,
                       tau2_method = "reml")$tau2_method, "REML")
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DLL"),
                      class = "fastnma_error_choice")
  expect_match(conditionMessage(err), "Did you mean \"DL\"", fixed = TRUE)
})

test_that("a misspelt treatment gets a \"did you mean\"", {
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, reference = "Plac"),
                      class = "fastnma_error_reference")
  expect_identical(err$suggestion, "plac")
  expect_match(conditionMessage(err), "Did you mean \"plac\"", fixed = TRUE)
  # a near miss, not only case
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plc"),
                      class = "fastnma_error_reference")
  expect_identical(err$suggestion, "plac")
  # nothing close: no suggestion
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, reference = "insulin"),
                      class = "fastnma_error_reference")
  expect_null(err$suggestion)
  expect_no_match(conditionMessage(err), "Did you mean")
  # treatments named in other arguments
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
  err <- expect_error(contributions(fit, comparisons = "Metf vs plac"),
                      class = "fastnma_error_comparison_selection")
  expect_match(conditionMessage(err), "\"metf\" for \"Metf\"", fixed = TRUE)
  rob <- stats::setNames(rep("low", length(fit$studies)), fit$studies)
  err <- expect_error(confidence(fit, rob, margin = 0.1, comparisons = "rosi vs Plac"),
                      class = "fastnma_error_comparison_selection")
  expect_match(conditionMessage(err), "\"plac\" for \"Plac\"", fixed = TRUE)
  ord <- replace(fit$treatments, 1, "Acar")
  err <- expect_error(league_table(fit, order = ord), class = "fastnma_error_order")
  expect_match(conditionMessage(err), "\"acar\" for \"Acar\"", fixed = TRUE)
})

# The numbers of a square league table (first number of each cell; NA on
# the diagonal and in empty cells).
league_numbers <- function(m) {
  m <- as.matrix(m)
  out <- suppressWarnings(matrix(as.numeric(sub("^\\s*(-?[0-9.]+).*$", "\\1", m)),
                                 nrow(m), dimnames = dimnames(m)))
  diag(out) <- NA
  out
}

test_that("league_table(layout = \"netmeta\") is netleague() in both triangles", {
  skip_if_not_installed("netmeta")
  senn <- read_fixture("Senn2013_input.csv")
  smoke <- read_fixture("smokingcessation_OR_contrasts.csv")
  nets <- list(list(d = senn, sm = "MD"), list(d = smoke, sm = "OR"))
  for (net in nets) {
    d <- net$d
    nm <- suppressWarnings(netmeta::netmeta(d$TE, d$seTE, d$treat1, d$treat2, d$study,
                                            sm = net$sm))
    fit <- nma(d, TE, seTE, treat1, treat2, study, measure = net$sm, tau2_method = "DL")
    for (model in c("common", "random")) {
      nl <- netmeta::netleague(nm, digits = 8, common = model == "common",
                               random = model == "random")
      want <- league_numbers(nl[[model]])
      lt <- league_table(fit, model = model, layout = "netmeta")
      expect_identical(attr(lt, "order"), nm$seq)
      got <- league_numbers(format(lt, digits = 8, ci = FALSE))
      lower <- lower.tri(want)
      upper <- upper.tri(want)
      expect_equal(got[lower], want[lower], tolerance = 1e-6, info = paste(net$sm, model))
      expect_identical(is.na(got[upper]), is.na(want[upper]))
      expect_equal(got[upper], want[upper], tolerance = 1e-6, info = paste(net$sm, model))
      # the default layout is the other way round in both triangles
      dflt <- league_numbers(format(league_table(fit, model = model, order = nm$seq),
                                    digits = 8, ci = FALSE))
      flip <- if (net$sm == "OR") 1 / got else -got
      expect_equal(dflt[lower | upper], flip[lower | upper], tolerance = 1e-6)
    }
  }
  # print and export say which layout they show; export writes either
  fit <- nma(senn, TE, seTE, treat1, treat2, study, measure = "MD", tau2_method = "DL")
  lt <- league_table(fit, layout = "netmeta")
  out <- capture.output(print(lt))
  expect_true(any(grepl("Layout \"netmeta\"", out, fixed = TRUE)))
  expect_true(any(grepl("Layout \"fastnma\"", capture.output(print(league_table(fit))),
                        fixed = TRUE)))
  f <- withr::local_tempfile(fileext = ".csv")
  export_table(lt, f, digits = 8, ci = FALSE)
  back <- league_numbers(utils::read.csv(f, check.names = FALSE))
  expect_equal(unname(back), unname(league_numbers(format(lt, digits = 8, ci = FALSE))))
  f2 <- withr::local_tempfile(fileext = ".csv")
  export_table(lt, f2, digits = 8, ci = FALSE, layout = "fastnma")
  back2 <- league_numbers(utils::read.csv(f2, check.names = FALSE))
  expect_equal(back2[lower.tri(back2)], -back[lower.tri(back)])
  if (requireNamespace("openxlsx", quietly = TRUE)) {
    x <- withr::local_tempfile(fileext = ".xlsx")
    export_table(lt, x)
    cap <- openxlsx::read.xlsx(x, colNames = FALSE, rows = 1:4)[[1]]
    expect_true(any(grepl("Layout \"netmeta\"", cap, fixed = TRUE)))
  }
})

test_that("nma(na = \"drop\") leaves out rows with missing values, as netmeta does", {
  skip_if_not_installed("netmeta")
  d <- read_fixture("Senn2013_input.csv")
  # two-arm studies: one without an estimate, one without a standard error
  two_arm <- names(which(table(d$study) == 1L))
  hit <- match(two_arm[c(2, 5)], d$study)
  d$TE[hit[1]] <- NA
  d$seTE[hit[2]] <- NA
  err <- expect_error(nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL"),
                      class = "fastnma_error_missing")
  expect_match(conditionMessage(err), "na = \"drop\"", fixed = TRUE)
  w <- expect_warning(fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL",
                                 na = "drop"),
                      class = "fastnma_warning_na_dropped")
  expect_identical(w$rows, sort(hit))
  expect_identical(w$studies, d$study[sort(hit)])
  expect_match(conditionMessage(w), d$study[hit[1]], fixed = TRUE)
  expect_identical(fit$k, length(unique(d$study)) - 2L)
  kept <- d[-hit, ]
  nm <- netmeta::netmeta(kept$TE, kept$seTE, kept$treat1, kept$treat2, kept$study,
                         sm = "MD", reference.group = "plac")
  expect_equal(fit$tau2, nm$tau^2, tolerance = 1e-8)
  for (model in c("common", "random")) {
    th <- fit[[model]]$theta - fit[[model]]$theta[["plac"]]
    want <- nm[[paste0("TE.", model)]][names(th), "plac"]
    expect_equal(unname(th), unname(want), tolerance = 1e-8, info = model)
    se <- sqrt(diag(fit[[model]]$cov)[names(th)] + fit[[model]]$cov["plac", "plac"] -
                 2 * fit[[model]]$cov[names(th), "plac"])
    want_se <- nm[[paste0("seTE.", model)]][names(th), "plac"]
    keep <- names(th) != "plac"
    expect_equal(unname(se[keep]), unname(want_se[keep]), tolerance = 1e-8, info = model)
  }
  # without missing values na = "drop" changes nothing
  full <- read_fixture("Senn2013_input.csv")
  expect_no_warning(a <- nma(full, TE, seTE, treat1, treat2, study, na = "drop"))
  expect_identical(a$random$theta, nma(full, TE, seTE, treat1, treat2, study)$random$theta)
})

test_that("a grouped data frame is refused with a hint to use by =", {
  skip_if_not_installed("dplyr")
  d <- read_fixture("Senn2013_input.csv")
  d$half <- ifelse(seq_len(nrow(d)) %% 2 == 0, "even", "odd")
  g <- dplyr::group_by(d, half)
  err <- expect_error(nma(g, TE, seTE, treat1, treat2, study),
                      class = "fastnma_error_grouped")
  expect_identical(err$groups, "half")
  expect_match(conditionMessage(err), "by = half", fixed = TRUE)
  arms <- dplyr::group_by(smokingcessation, study)
  expect_error(nma_binary(arms, measure = "OR"), class = "fastnma_error_grouped")
  # ungrouped, the same table fits
  expect_s3_class(nma(dplyr::ungroup(g), TE, seTE, treat1, treat2, study), "nma")
})

test_that("export_table(fit) writes what print(fit) shows: natural scale, rounded", {
  fit <- suppressMessages(nma_binary(smokingcessation, measure = "OR", method = "IV"))
  f <- withr::local_tempfile(fileext = ".csv")
  export_table(fit, f)
  back <- utils::read.csv(f, check.names = FALSE, stringsAsFactors = FALSE)
  expect_identical(names(back), c("comparison", "model", "OR", "95% CI lower",
                                  "95% CI upper", "p.value"))
  for (model in c("common", "random")) {
    td <- tidy(fit, model = model, exponentiate = TRUE)
    rows <- back[back$model == model, ]
    expect_identical(rows$comparison, td$term)
    expect_identical(rows$OR, round(td$estimate, 3))
    expect_identical(rows[["95% CI lower"]], round(td$conf.low, 3))
    expect_identical(rows[["95% CI upper"]], round(td$conf.high, 3))
  }
  # the odds ratios, not the log odds ratios
  expect_true(all(back$OR > 0))
  expect_equal(back$OR[1], exp(fit$common$theta[["B"]] - fit$common$theta[["A"]]),
               tolerance = 5e-4 / back$OR[1])
  # the numbers printed are the numbers written
  out <- capture.output(print(fit))
  expect_true(any(grepl(format(back$OR[back$model == "random"][3], nsmall = 3), out, fixed = TRUE)))
  # log scale on request, with a header that says so
  f2 <- withr::local_tempfile(fileext = ".csv")
  export_table(fit, f2, exponentiate = FALSE, model = "random", digits = 4)
  back2 <- utils::read.csv(f2, check.names = FALSE)
  expect_identical(names(back2)[3], "log OR")
  expect_identical(back2[["log OR"]], round(tidy(fit)$estimate, 4))
  # Excel: the caption names the measure and the scale
  x <- withr::local_tempfile(fileext = ".xlsx")
  export_table(fit, x)
  cap <- openxlsx::read.xlsx(x, colNames = FALSE, rows = 1:2)[[1]]
  expect_match(cap[1], "Odds ratio, OR", fixed = TRUE)
  expect_match(cap[1], "ratio scale", fixed = TRUE)
  body <- openxlsx::read.xlsx(x, startRow = length(cap) + 2L, check.names = FALSE)
  expect_equal(body$OR, back$OR)
})

test_that("an uncentred covariate far from the data gets a hint in the print", {
  fit <- suppressMessages(nma_binary(smokingcessation, measure = "OR", method = "IV",
                                     reference = "A"))
  year <- stats::setNames(1990 + seq_len(fit$k), fit$studies)
  reg <- nma_regression(fit, year)
  expect_identical(reg$center, 0)
  out <- capture.output(print(reg))
  expect_true(any(grepl("far outside the data", out, fixed = TRUE)))
  expect_true(any(grepl("center = TRUE", out, fixed = TRUE)))
  # the hint is wrapped to the width
  at <- grep("^Note: year = 0", out)
  expect_length(at, 1L)
  expect_true(all(nchar(out[at + 0:2]) <= 80L))
  # centred, or a covariate whose range covers 0: no hint
  centred <- capture.output(print(nma_regression(fit, year, center = TRUE)))
  expect_false(any(grepl("far outside the data", centred, fixed = TRUE)))
  near <- stats::setNames(seq(0.5, 3, length.out = fit$k), fit$studies)
  expect_false(any(grepl("far outside", capture.output(print(nma_regression(fit, near))),
                         fixed = TRUE)))
})

test_that("a declared custom measure travels with its contrasts", {
  net <- nma_network(senn2013, TE, seTE, treat1, treat2, study,
                     measure = custom_measure("HbA1c change"))
  expect_identical(net$measure, "HbA1c change")
  # repeating the recorded label is not a new declaration
  expect_identical(nma(net, measure = "HbA1c change")$measure, "HbA1c change")
  expect_error(nma(net, measure = "MD"), class = "fastnma_error_measure")
})

test_that("the league figure follows the table's layout", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", tau2_method = "DL")
  nl <- league_table(fit, layout = "netmeta")
  cells <- fastnma:::league_cells(nl, ci = FALSE)
  low <- cells[cells$triangle == "lower", ]
  # lower triangle: the column treatment relative to the row treatment
  expect_identical(low$treat1, as.character(low$column))
  expect_identical(low$treat2, as.character(low$row))
  up <- cells[cells$triangle == "upper", ]
  expect_identical(up$treat1, as.character(up$row))
  fl <- fastnma:::league_cells(league_table(fit), ci = FALSE)
  fl_low <- fl[fl$triangle == "lower", ]
  expect_identical(fl_low$treat1, as.character(fl_low$row))
  p <- autoplot(nl)
  expect_match(paste(p$labels$caption, collapse = " "), "column treatment relative to the row",
               fixed = TRUE)
})

test_that("na = \"drop\" also applies before a split with by =", {
  d <- read_fixture("Senn2013_input.csv")
  two <- rbind(transform(d, rep = 1L), transform(d, rep = 2L))
  two$TE[1] <- NA
  w <- expect_warning(fits <- nma(two, TE, seTE, treat1, treat2, study, by = rep,
                                  na = "drop"),
                      class = "fastnma_warning_na_dropped")
  expect_identical(w$rows, 1L)
  expect_s3_class(fits, "nma_batch")
  expect_error(nma(two, TE, seTE, treat1, treat2, study, by = rep),
               class = "fastnma_error")
})

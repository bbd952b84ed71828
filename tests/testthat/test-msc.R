# The MSC case study: the simulated extraction, analyse_msc() on the template
# format, and the sourced adverse-event analysis.

test_that("simulated sheet has the template's columns and says SIMULATED in every row", {
  sim <- simulate_msc_extraction(seed = 42)
  template <- utils::read.csv(
    system.file("extdata", "msc_extraction_template.csv", package = "fastnma"),
    stringsAsFactors = FALSE)
  expect_identical(names(sim), names(template))
  expect_true(all(startsWith(sim$source, "SIMULATED: ")))
  # real arms and real sizes from the register
  key <- paste(msc_trials$trial_id, msc_trials$arm, sep = "\r")
  idx <- match(paste(sim$study, sim$treatment, sep = "\r"), key)
  expect_false(anyNA(idx))
  n_reg <- ifelse(is.na(msc_trials$n_randomized), msc_trials$n_analysed,
                  msc_trials$n_randomized)[idx]
  expect_equal(sim$n, as.integer(n_reg))
  expect_identical(sim$class, msc_trials$class[idx])
  # MILES is simulated with its Allo, Auto and Control arms
  expect_setequal(sim$class[sim$study == "mautner2023"], c("Allo", "Auto", "Control"))
  # trials that cannot be simulated are listed, with a reason
  lo <- attr(sim, "left_out")
  expect_true(all(c("cheng2019", "hou2016", "kim2023") %in% lo$study))
  expect_false(any(lo$study %in% sim$study))
  # the global random state is left alone
  set.seed(1); a <- stats::runif(1)
  set.seed(1); invisible(simulate_msc_extraction(seed = 5)); b <- stats::runif(1)
  expect_identical(a, b)
  # same seed, same sheet; other seed, other sheet
  expect_identical(simulate_msc_extraction(seed = 42), sim)
  expect_false(identical(simulate_msc_extraction(seed = 43)$mean, sim$mean))
})

test_that("the simulated analysis recovers its declared effects (seed 42)", {
  sim <- simulate_msc_extraction(seed = 42)
  truth <- attr(sim, "truth")
  expect_equal(truth$value, c(-0.5, -1.5, -1.0, 0.6, 1.2, 2.0))
  pain <- analyse_msc(sim, outcome = "womac_pain")
  harm <- suppressMessages(analyse_msc(sim, outcome = "ae_joint"))
  res <- rbind(pain$comparisons, harm$comparisons)
  expect_identical(paste(res$treat1, res$treat2), paste(truth$treat1, truth$treat2))
  expect_true(all(res$conf.low <= truth$value & truth$value <= res$conf.high))
  # and the intervals are informative, not trivially wide
  expect_true(all(pain$comparisons$conf.high - pain$comparisons$conf.low < 2))
  expect_true(all(res$evidence == "mixed"))
  # the diagnostics are computed on the simulated network (one loop: MILES)
  expect_s3_class(pain$league, "nma_league")
  expect_setequal(pain$ranking$treatment, c("Allo", "Auto", "Control"))
  # rows in the fit's order (the question's direction: Control, Auto, Allo),
  # Control ranked last
  expect_identical(pain$ranking$treatment, c("Control", "Auto", "Allo"))
  expect_identical(pain$ranking$treatment[which.min(pain$ranking$pscore)], "Control")
  # every verb reads Allo vs Auto and each class vs Control
  for (x in list(pain$node_split, tidy(pain$fit, comparisons = "all"))) {
    expect_setequal(paste(x$treat1, "vs", x$treat2),
                    c("Allo vs Auto", "Allo vs Control", "Auto vs Control"))
  }
  expect_identical(nrow(pain$node_split), 3L)
  expect_false(is.null(pain$inconsistency))
  expect_length(pain$diagnostic_notes, 0L)
  # the Mantel-Haenszel fit of the simulated harm recovers its truth as well
  mh <- harm$mh$comparisons
  expect_true(all(mh$conf.low <= truth$value[4:6] & truth$value[4:6] <= mh$conf.high))
  # a different declared truth moves the estimates with it
  sim2 <- simulate_msc_extraction(seed = 42, effects = c(Allo = -4, Auto = 1))
  p2 <- analyse_msc(sim2, outcome = "womac_pain")$comparisons
  expect_true(p2$conf.low[1] <= -5 && -5 <= p2$conf.high[1])
  expect_true(p2$conf.high[1] < -3)
})

test_that("analyse_msc() runs on the template format, from a file", {
  sim <- simulate_msc_extraction(seed = 42, harm_rr = NULL)
  path <- tempfile(fileext = ".csv")
  on.exit(unlink(path))
  utils::write.csv(sim, path, row.names = FALSE, na = "")
  res <- analyse_msc(path, outcome = "womac_pain")
  expect_s3_class(res, "msc_analysis")
  expect_identical(res$comparisons, analyse_msc(sim, outcome = "womac_pain")$comparisons)
  expect_named(tidy(res), c("term", "treat1", "treat2", "estimate", "std.error", "conf.low",
                            "conf.high", "p.value", "pred.low", "pred.high",
                            "k_direct", "evidence"))
  expect_output(print(res), "womac_pain")
  # arms of one class in a trial are merged, and the merge is listed
  expect_true("chen2021" %in% res$collapsed$study)
  expect_identical(sum(res$arms$study == "chen2021"), 2L)
  expect_identical(res$arms$n[res$arms$study == "chen2021" & res$arms$class == "Allo"], 49)

  # the blank template itself: nothing to analyse, and a classed error says so
  template <- system.file("extdata", "msc_extraction_template.csv", package = "fastnma")
  expect_error(analyse_msc(template, outcome = "womac_pain"), class = "fastnma_error_msc_data")
  expect_error(analyse_msc(template, outcome = "koos_total"), class = "fastnma_error_msc_outcome")
  expect_error(analyse_msc(sim[, -4], outcome = "womac_pain"), class = "fastnma_error_column")
  expect_error(analyse_msc(sim, outcome = "womac_pain", measure = "RR"),
               class = "fastnma_error_msc_outcome")
})

test_that("analyse_msc() pools arms of one class with the stated rule", {
  d <- data.frame(study = c("s1", "s1", "s1", "s2", "s2"),
                  treatment = c("low", "high", "ctrl", "cells", "ctrl"),
                  class = c("Auto", "Auto", "Control", "Auto", "Control"),
                  n = c(10, 20, 15, 12, 12), mean = c(4, 7, 8, 5, 6),
                  sd = c(2, 3, 3, 2, 2), outcome = "womac_pain")
  res <- analyse_msc(d, outcome = "womac_pain")
  a <- res$arms[res$arms$study == "s1" & res$arms$class == "Auto", ]
  m <- (10 * 4 + 20 * 7) / 30
  s <- sqrt((9 * 4 + 19 * 9 + 10 * (4 - m)^2 + 20 * (7 - m)^2) / 29)
  expect_equal(a$mean, m)
  expect_equal(a$sd, s)
  expect_identical(res$collapsed$arms, "low + high")
  # medians are converted and the conversion is listed
  d2 <- d
  d2$mean[1] <- NA; d2$sd[1] <- NA
  d2$median <- c(4, NA, NA, NA, NA); d2$q1 <- c(3, NA, NA, NA, NA); d2$q3 <- c(6, NA, NA, NA, NA)
  res2 <- analyse_msc(d2, outcome = "womac_pain")
  conv <- estimate_mean_sd(median = 4, q1 = 3, q3 = 6, n = 10)
  expect_equal(res2$conversions$mean, conv$mean)
  expect_equal(res2$conversions$sd, conv$sd)
  # an arm without class is set aside and reported, never dropped silently
  d3 <- d
  d3$class[4] <- NA
  res3 <- analyse_msc(d3, outcome = "womac_pain")
  expect_true(any(res3$set_aside$study == "s2" & grepl("class", res3$set_aside$reason)))
  expect_true(any(res3$set_aside$study == "s2" & grepl("one class", res3$set_aside$reason)))
  expect_false("s2" %in% res3$arms$study)
})

test_that("sourced serious-AE analysis audits the double-zero trials", {
  sae <- msc_extraction("ae_serious")
  expect_true(all(grepl("^https?://", sae$source)))
  expect_setequal(unique(sae$study[sae$class == "Allo"]), c("chen2021", "kuah2018", "matas2019"))
  expect_setequal(unique(sae$study[sae$class == "Auto"]), c("lee2019", "lu2019", "centeno2018"))
  expect_message(analyse_msc(sae, outcome = "ae_serious", timepoint = "earliest"),
                 class = "fastnma_zero_cells")
  res <- suppressMessages(analyse_msc(sae, outcome = "ae_serious", timepoint = "earliest"))
  audit <- res$zero_cells
  expect_setequal(audit$study[audit$action == "excluded"],
                  c("kuah2018", "matas2019", "lee2019", "centeno2018"))
  expect_true(all(grepl("no events", audit$reason[audit$action == "excluded"])))
  expect_setequal(audit$study[audit$action == "corrected"], c("chen2021", "lu2019"))
  # Chen 2021: three allogeneic arms summed, weeks 0-24 window
  chen <- res$arms[res$arms$study == "chen2021" & res$arms$class == "Allo", ]
  expect_identical(c(chen$events, chen$n), c(1, 49))
  cmp <- res$comparisons
  expect_identical(cmp$evidence, c("indirect only", "direct", "direct"))
  expect_true(all(is.finite(cmp$estimate)))
  # Mantel-Haenszel sets every arm aside here and says so
  expect_match(res$mh$error, "Mantel-Haenszel")
  # Allo vs Auto is the indirect ratio of the two direct ones
  expect_equal(log(cmp$estimate[1]), log(cmp$estimate[2]) - log(cmp$estimate[3]))
})

test_that("the serious-AE report says what was analysed, how zero cells were corrected and why MH failed", {
  sae <- msc_extraction("ae_serious")
  res <- suppressMessages(analyse_msc(sae, outcome = "ae_serious", timepoint = "earliest"))
  # the print counts the studies the fit used, not those with class-level arms
  out <- cli::ansi_strip(capture.output(print(res)))
  expect_true(any(grepl("2 of 6 studies analysed (4 left out", out, fixed = TRUE)))
  expect_false(any(grepl("^6 studies analysed", out)))
  # the rule states the correction arm_contrasts() applies to a risk ratio:
  # 0.5 added to the events and to n (not to every cell of the 2x2 table)
  expect_match(res$rules[["zero_cells"]], "0.5 added to the events and to n", fixed = TRUE)
  chen <- res$arms[res$arms$study == "chen2021", ]
  e <- chen$events[match(c("Allo", "Control"), chen$class)]
  n <- chen$n[match(c("Allo", "Control"), chen$class)]
  rr_events_n <- ((e[1] + 0.5) / (n[1] + 0.5)) / ((e[2] + 0.5) / (n[2] + 0.5))
  rr_every_cell <- ((e[1] + 0.5) / (n[1] + 1)) / ((e[2] + 0.5) / (n[2] + 1))
  cmp <- res$comparisons
  est <- cmp$estimate[cmp$treat1 == "Allo" & cmp$treat2 == "Control"]
  # the same formula computed twice (floating-point rounding only); the other
  # rule differs by more than 1e-3 (next line), so the two cannot be confused
  expect_equal(est, rr_events_n, tolerance = 1e-12)
  expect_gt(abs(est - rr_every_cell), 1e-3)
  # the random-effects rule says what happens when tau^2 is not estimable
  expect_match(res$rules[["outcome"]], "set to 0", fixed = TRUE)
  expect_false(res$fit$tau2_info$identifiable)
  expect_true(any(grepl("tau^2 = 0.0000 (not estimable, set to 0", out, fixed = TRUE)))
  expect_match(autoplot(res$fit)$labels$subtitle, "Common-effect model", fixed = TRUE)
  # the Mantel-Haenszel failure lists what it set aside itself, and does
  # not point to a message that analyse_msc() does not show
  expect_false(grepl("message above", res$mh$error, fixed = TRUE))
  expect_match(res$mh$error, "Set aside by the Mantel-Haenszel method", fixed = TRUE)
  expect_match(res$mh$error, "arm Auto set aside", fixed = TRUE)
})

test_that("sourced efficacy: function is not estimable for Allo", {
  eff <- msc_extraction(c("womac_pain", "womac_function"))
  fun <- analyse_msc(eff, outcome = "womac_function", timepoint = 12)
  cmp <- fun$comparisons
  expect_identical(cmp$evidence[cmp$treat1 == "Allo"], c("not estimable", "not estimable"))
  expect_true(all(is.na(cmp$estimate[cmp$treat1 == "Allo"])))
  # Lamo-Espinosa 2016 medians are converted, n taken from the register
  expect_setequal(fun$conversions$study, "lamoespinosa2016")
  expect_true(all(eff$n_from[eff$study == "lamoespinosa2016"] == "register: n_randomized"))
  # pain: Allo vs Auto only through Matas 2019
  pain <- analyse_msc(eff[eff$study != "matas2019", ], outcome = "womac_pain", timepoint = 12)
  expect_identical(pain$comparisons$evidence[1], "not estimable")
  expect_true(any(pain$set_aside$study == "kuah2018" &
                    pain$set_aside$reason == "baseline value only"))
})

test_that("MSC helpers reject bad input with classed errors", {
  expect_error(simulate_msc_extraction(), class = "fastnma_error_seed")
  expect_error(simulate_msc_extraction(1, effects = c(-1, 2)), class = "fastnma_error_effects")
  expect_error(simulate_msc_extraction(1, tau = -1), class = "fastnma_error_dispersion")
  expect_error(simulate_msc_extraction(1, control_risk = 1), class = "fastnma_error_risk")
  expect_error(msc_extraction("nope"), class = "fastnma_error_msc_outcome")
  expect_error(analyse_msc(tempfile(), outcome = "x"), class = "fastnma_error_file")
})

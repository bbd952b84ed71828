# simulate_msc_dose_nma(): the register's trials and sourced cell doses with
# outcomes simulated from declared Emax curves, recovered by dose_nma().

test_that("simulate_msc_dose_nma() uses the register's doses and says SIMULATED", {
  sim <- simulate_msc_dose_nma(seed = 2026)
  expect_true(isTRUE(attr(sim, "simulated")))
  expect_true(all(sim$simulated))
  expect_true(all(startsWith(sim$source, "SIMULATED: ")))
  # every dose marked "register" is a cell arm's single-number dose_cells of
  # that trial and class, in millions of cells
  reg <- msc_trials
  single <- grepl("^[0-9]+(\\.[0-9]+)?(e[0-9]+)?$", trimws(reg$dose_cells))
  sourced <- unique(data.frame(study = reg$trial_id[single], class = reg$class[single],
                               dose = as.numeric(reg$dose_cells[single]) / 1e6,
                               stringsAsFactors = FALSE))
  from_reg <- sim[sim$dose_from == "register", c("study", "class", "dose")]
  expect_gt(nrow(from_reg), 8)
  key <- function(d) paste(d$study, d$class, d$dose)
  expect_true(all(key(from_reg) %in% key(sourced)))
  # and every sourced dose of a simulated trial is used (none replaced by a draw)
  in_sim <- sourced$study %in% sim$study
  expect_true(all(key(sourced[in_sim, ]) %in% key(from_reg)))
  # specific values read from the register
  expect_setequal(sim$dose[sim$study == "lamoespinosa2016" & sim$class == "Auto"], c(10, 100))
  expect_setequal(sim$dose[sim$study == "chen2021" & sim$class == "Allo"], c(16, 32, 64))
  expect_setequal(sim$dose[sim$study == "kuah2018" & sim$class == "Allo"], c(3.9, 6.7))
  expect_equal(sim$dose[sim$study == "lee2019" & sim$class == "Auto"], 100)
  # repeated injections are not a single dose per injection: drawn, and labelled so
  expect_true(all(sim$dose_from[sim$study %in% c("matas2019", "lu2019") &
                                  sim$class != "Control"] == "simulated"))
  expect_true(all(sim$dose[sim$class == "Control"] == 0))
  expect_true(all(sim$dose_from[sim$class == "Control"] == "control"))
  # real arm sizes: each simulated trial's total equals the register's arms kept
  n_reg <- ifelse(is.na(reg$n_randomized), reg$n_analysed, reg$n_randomized)
  tot <- tapply(n_reg[reg$trial_id %in% sim$study], reg$trial_id[reg$trial_id %in% sim$study], sum)
  expect_equal(as.numeric(tapply(sim$n, sim$study, sum)[names(tot)]), as.numeric(tot))
  expect_identical(attr(sim, "truth")$agent, c("Allo", "Auto"))
  # same seed, same data; global random state untouched
  set.seed(1); before <- stats::runif(1); set.seed(1)
  again <- simulate_msc_dose_nma(seed = 2026)
  expect_identical(stats::runif(1), before)
  expect_identical(again, sim)
})

test_that("dose_nma() recovers the declared Emax curves on the register's network (fixed seed)", {
  emax <- c(Allo = -3, Auto = -2)
  sim <- simulate_msc_dose_nma(seed = 2026, emax = emax, ed50 = c(Allo = 20, Auto = 20))
  ct <- arm_contrasts(sim, study, treatment, n, mean, sd, measure = "MD")
  fit <- dose_nma(ct, sep = "@", method = "emax", reference = "Control",
                  ed50_class = c(Allo = "cells", Auto = "cells"))
  td <- tidy(fit)
  e <- td[td$parameter == "emax", ]
  expect_equal(e$agent, c("Allo", "Auto"))
  expect_true(all(e$conf.low <= emax[e$agent] & emax[e$agent] <= e$conf.high))
  l <- td[td$parameter == "log_ed50", ][1, ]
  expect_true(l$conf.low <= log(20) && log(20) <= l$conf.high)
  # the curves: the declared effect at 10, 50 and 100 million cells lies in the band
  p <- predict(fit, agent = rep(c("Allo", "Auto"), each = 3), dose = rep(c(10, 50, 100), 2))
  truth <- emax[p$agent] * p$dose / (20 + p$dose)
  expect_true(all(p$conf.low <= truth & truth <= p$conf.high))
  # a different truth is not covered everywhere: the check can fail
  expect_false(all(p$conf.low <= 0 & 0 <= p$conf.high))
})

test_that("simulate_msc_dose_nma() rejects bad input with classed errors", {
  expect_error(simulate_msc_dose_nma(), class = "fastnma_error_seed")
  expect_error(simulate_msc_dose_nma(1, emax = c(Allo = -1)), class = "fastnma_error_effects")
  expect_error(simulate_msc_dose_nma(1, ed50 = c(Allo = 0, Auto = 1)), class = "fastnma_error_effects")
  expect_error(simulate_msc_dose_nma(1, sd = 0), class = "fastnma_error_dispersion")
  expect_error(simulate_msc_dose_nma(1, dose_range = c(8, 7)), class = "fastnma_error_effects")
  expect_error(simulate_msc_dose_nma(1, studlab = "x"), class = "fastnma_error_netmeta_argument")
})

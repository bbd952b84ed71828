test_that("continuous contrasts reproduce netmeta's pairwise() (MD, SMD)", {
  for (ds in c("Stowe2010", "Franchini2012")) {
    arm <- fixture(paste0(ds, "_input.csv"))
    for (sm in c("MD", "SMD")) {
      ref <- fixture(paste0(ds, "_", sm, "_contrasts.csv"))
      ac <- arm_contrasts(arm, study, treatment, n = n, mean = mean, sd = sd,
                          measure = sm)
      expect_s3_class(ac, "nma_contrasts")
      expect_identical(attr(ac, "measure"), sm)
      expect_identical(nrow(ac), nrow(ref))
      got <- align_contrasts(ac, ref)
      expect_false(anyNA(got$estimate))
      expect_equal(got$estimate, ref$TE, tolerance = 1e-6)
      expect_equal(got$std.error, ref$seTE, tolerance = 1e-6)
    }
  }
})

test_that("binary contrasts reproduce netmeta's pairwise() (OR, RR) with zero cells", {
  for (ds in c("smokingcessation", "Dong2013")) {
    arm <- fixture(paste0(ds, "_input.csv"))
    for (sm in c("OR", "RR")) {
      ref <- fixture(paste0(ds, "_", sm, "_contrasts.csv"))
      # The reference kept studies without events (see Dong2013_NOTE.txt).
      ac <- suppressMessages(arm_contrasts(
        arm, study, treatment, n = n, events = events, measure = sm,
        zero_cells = zero_cell_policy(double_zero = "keep")))
      expect_identical(nrow(ac), nrow(ref))
      got <- align_contrasts(ac, ref)
      expect_equal(got$estimate, ref$TE, tolerance = 1e-6)
      expect_equal(got$std.error, ref$seTE, tolerance = 1e-6)
    }
  }
})

test_that("multi-arm studies give all pairs in arm order", {
  arm <- data.frame(study = c("s1", "s1", "s1", "s2", "s2"),
                    treatment = c("C", "A", "B", "A", "B"),
                    n = c(10, 12, 11, 20, 21), mean = c(1, 2, 3, 4, 5),
                    sd = c(1, 1, 1, 2, 2))
  ac <- arm_contrasts(arm, measure = "MD")
  expect_identical(ac$treat1, c("C", "C", "A", "A"))
  expect_identical(ac$treat2, c("A", "B", "B", "B"))
  expect_equal(ac$estimate, c(-1, -2, -1, -1))
  expect_equal(ac$std.error[1], sqrt(1 / 10 + 1 / 12))
})

test_that("zero cells are corrected and reported; double zeros dropped by default", {
  arm <- data.frame(study = rep(c("a", "b", "c"), each = 2),
                    treatment = rep(c("T", "C"), 3),
                    events = c(0, 5, 3, 4, 0, 0), n = c(20, 22, 30, 31, 15, 16))
  expect_message(
    ac <- arm_contrasts(arm, events = events, measure = "OR"),
    class = "fastnma_zero_cells"
  )
  audit <- zero_cell_audit(ac)
  expect_identical(audit$study, c("c", "a"))
  expect_identical(audit$action, c("excluded", "corrected"))
  expect_identical(sort(unique(ac$study)), c("a", "b"))
  expect_equal(ac$estimate[ac$study == "a"], log(0.5 * 17.5 / (20.5 * 5.5)))
  expect_identical(ac$incr1[ac$study == "b"], 0)

  # RD keeps double-zero studies (uncorrected proportions, corrected variance)
  rd <- suppressMessages(arm_contrasts(arm, events = events, measure = "RD"))
  expect_identical(unique(rd$study), c("a", "b", "c"))
  expect_equal(rd$estimate[rd$study == "a"], 0 / 20 - 5 / 22)
  expect_equal(rd$std.error[rd$study == "c"],
               sqrt(0.5 * 15.5 / 16^3 + 0.5 * 16.5 / 17^3))

  # RR adds the increment to events and arm size
  rr <- suppressMessages(arm_contrasts(arm, events = events, measure = "RR"))
  expect_equal(rr$estimate[rr$study == "a"], log((0.5 / 20.5) / (5.5 / 22.5)))

  # no correction: studies with a zero cell are not estimable and reported
  none <- suppressMessages(arm_contrasts(arm, events = events, measure = "OR",
                                         zero_cells = zero_cell_policy("none")))
  expect_identical(unique(none$study), "b")
  expect_true("a" %in% zero_cell_audit(none)$study)
})

test_that("the treatment-arm correction is inversely proportional to arm size", {
  arm <- data.frame(study = c("a", "a"), treatment = c("T", "C"),
                    events = c(0, 4), n = c(10, 30))
  ac <- suppressMessages(arm_contrasts(arm, events = events, measure = "OR",
                                       zero_cells = zero_cell_policy("tacc")))
  expect_equal(c(ac$incr1, ac$incr2), c(2 * 0.5 * 30 / 40, 2 * 0.5 * 10 / 40))
})

test_that("the SMD with the Hedges correction matches the exact formula", {
  arm <- data.frame(study = c("a", "a"), treatment = c("T", "C"),
                    n = c(152, 76), mean = c(-1.9, -0.3), sd = c(4.3, 4.4))
  ac <- arm_contrasts(arm, measure = "SMD", smd = "hedges")
  df <- 152 + 76 - 2
  sp <- sqrt((151 * 4.3^2 + 75 * 4.4^2) / df)
  J <- gamma(df / 2) / (sqrt(df / 2) * gamma((df - 1) / 2))
  expect_equal(ac$estimate, J * (-1.6) / sp)
  skip_if_not_installed("meta")
  m <- meta::metacont(152, -1.9, 4.3, 76, -0.3, 4.4, sm = "SMD", method.smd = "Hedges", exact.smd = TRUE)
  expect_equal(ac$estimate, m$TE, tolerance = 1e-10)
  expect_equal(ac$std.error, m$seTE, tolerance = 1e-10)
})

test_that("arm_contrasts() output feeds nma() directly", {
  ac <- arm_contrasts(franchini2012, study, treatment, n = n, mean = mean, sd = sd,
                      measure = "MD")
  fit <- nma(ac, tau2_method = "DL")
  ref <- fixture("Franchini2012_MD_contrasts.csv")
  fit2 <- nma(ref, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  expect_identical(fit$measure, "MD")
  expect_equal(fit$common$theta, fit2$common$theta, tolerance = 1e-10)
})

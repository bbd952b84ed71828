# Three studies of T vs C: one with a single zero cell, one with zero events
# in both arms, one without zeros; and a reference study to connect.
zc_data <- data.frame(
  study = rep(c("single", "double", "plain", "more"), each = 2),
  treatment = rep(c("T", "C"), 4),
  events = c(0, 6, 0, 0, 4, 9, 3, 7),
  n = c(40, 60, 30, 35, 50, 52, 45, 44)
)

test_that("constant: 0.5 to every cell of studies with a zero cell; double zeros dropped", {
  ac <- suppressMessages(arm_contrasts(zc_data, events = events, measure = "OR"))
  a <- zero_cell_audit(ac)
  expect_identical(a$study[a$action == "excluded"], "double")
  expect_identical(a$study[a$action == "corrected"], "single")
  expect_equal(ac$estimate[ac$study == "single"], log(0.5 * 54.5 / (40.5 * 6.5)))
  fit <- suppressMessages(nma_binary(zc_data, measure = "OR", method = "IV"))
  expect_identical(zero_cell_audit(fit), a)
  expect_false("double" %in% fit$studies)
})

test_that("all: increment to every study", {
  ac <- suppressMessages(arm_contrasts(zc_data, events = events, measure = "OR",
                                       zero_cells = zero_cell_policy("all")))
  a <- zero_cell_audit(ac)
  expect_setequal(a$study[a$action == "corrected"], c("single", "plain", "more"))
  expect_equal(ac$estimate[ac$study == "plain"], log(4.5 * 43.5 / (46.5 * 9.5)))
})

test_that("tacc: treatment-arm continuity correction (Sweeting et al. 2004)", {
  ac <- suppressMessages(arm_contrasts(zc_data, events = events, measure = "OR",
                                       zero_cells = zero_cell_policy("tacc")))
  s <- ac[ac$study == "single", ]
  # increments 2 * 0.5 * n_other / (n1 + n2)
  expect_equal(c(s$incr1, s$incr2), c(60, 40) / 100)
  expect_equal(s$estimate, log(0.6 * (54 + 0.4) / ((40 + 0.6) * (6 + 0.4))))
  expect_match(zero_cell_audit(ac)$reason[zero_cell_audit(ac)$study == "single"],
               "treatment-arm")
})

test_that("none: studies with a zero cell are not estimable by IV and are reported", {
  ac <- suppressMessages(arm_contrasts(zc_data, events = events, measure = "OR",
                                       zero_cells = zero_cell_policy("none")))
  a <- zero_cell_audit(ac)
  expect_setequal(a$study, c("double", "single"))
  expect_setequal(unique(ac$study), c("plain", "more"))
})

test_that("keep double zeros: corrected under IV, informative for RD", {
  ac <- suppressMessages(arm_contrasts(zc_data, events = events, measure = "OR",
                                       zero_cells = zero_cell_policy(double_zero = "keep")))
  a <- zero_cell_audit(ac)
  expect_setequal(a$study[a$action == "corrected"], c("single", "double"))
  expect_equal(ac$estimate[ac$study == "double"], log(0.5 * 35.5 / (30.5 * 0.5)))
})

test_that("MH: no correction by default; double zeros audited; policies applied when asked", {
  expect_message(fit <- nma_binary(zc_data, measure = "OR"), class = "fastnma_zero_cells")
  a <- zero_cell_audit(fit)
  expect_identical(a$study, "double")
  expect_identical(a$action, "excluded")
  expect_false("double" %in% fit$studies)
  # keeping the double-zero study changes nothing for the MH odds ratio ...
  keep <- suppressMessages(nma_binary(zc_data, measure = "OR",
                                      zero_cells = zero_cell_policy("none", double_zero = "keep")))
  expect_equal(keep$common$theta, fit$common$theta)
  expect_true("double" %in% keep$studies)
  expect_identical(nrow(zero_cell_audit(keep)), 0L)
  # ... but informs the MH risk difference (kept by default for RD)
  rd <- suppressMessages(nma_binary(zc_data, measure = "RD"))
  rd_drop <- suppressMessages(nma_binary(zc_data, measure = "RD",
                                         zero_cells = zero_cell_policy("none", double_zero = "drop")))
  expect_true("double" %in% rd$studies)
  expect_false(isTRUE(all.equal(rd$common$theta, rd_drop$common$theta)))
  # a correction, if asked for, enters the MH sums and is audited
  cc <- suppressMessages(nma_binary(zc_data, measure = "OR",
                                    zero_cells = zero_cell_policy("constant")))
  expect_identical(zero_cell_audit(cc)$study[zero_cell_audit(cc)$action == "corrected"], "single")
  expect_false(isTRUE(all.equal(cc$common$theta, fit$common$theta)))
})

test_that("MH sets aside an arm without events across its design, and says so", {
  d <- rbind(zc_data, data.frame(study = c("z1", "z1", "z1", "z2", "z2", "z2"),
                                 treatment = rep(c("T", "C", "U"), 2),
                                 events = c(2, 3, 0, 1, 4, 0), n = rep(30, 6)))
  d <- rbind(d, data.frame(study = c("u1", "u1"), treatment = c("U", "C"),
                           events = c(2, 5), n = c(40, 40)))
  fit <- suppressMessages(nma_binary(d, measure = "OR"))
  a <- zero_cell_audit(fit)
  expect_setequal(a$study[a$action == "arm excluded"], c("z1", "z2"))
  expect_match(a$reason[a$study == "z1"], "arm U set aside")
  expect_true(all(c("z1", "z2") %in% fit$studies))
  expect_identical(fit$n_arms[match(c("z1", "z2"), fit$studies)], c(2L, 2L))
  # the design keeps its identity: z1 and z2 are not pooled with the T:C studies
  expect_identical(fit$n_designs, 3L)
})

test_that("the audit prints any selection of its rows and columns", {
  ac <- suppressMessages(arm_contrasts(zc_data, events = events, measure = "OR"))
  a <- zero_cell_audit(ac)
  out <- capture.output(print(a[, c("study", "reason")]))
  expect_match(out[1], "Zero-cell audit: 2 rows", fixed = TRUE)
  expect_true(any(grepl("double", out, fixed = TRUE)))
  out <- capture.output(print(subset(a, action == "excluded")[, c("study", "action")]))
  expect_match(out[1], "Zero-cell audit: 1 row", fixed = TRUE)
  expect_false(any(grepl("single", out, fixed = TRUE)))
})

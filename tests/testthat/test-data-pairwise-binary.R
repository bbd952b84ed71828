test_that("pairwise MH (OR, RR, RD) and Peto reproduce metafor on every Dong2013 comparison", {
  skip_if_not_installed("metafor")
  tb <- fastnma:::arm_pairs(dong2013$study, dong2013$treatment, dong2013$events, dong2013$n)
  for (cfg in list(c("OR", "MH"), c("RR", "MH"), c("RD", "MH"), c("OR", "Peto"))) {
    pw <- pairwise_binary(dong2013, study, treatment, events, n,
                          measure = cfg[1], method = cfg[2])
    expect_identical(nrow(pw), nrow(unique(tb[, c("treat1", "treat2")])))
    for (r in seq_len(nrow(pw))) {
      s <- tb[tb$treat1 == pw$treat1[r] & tb$treat2 == pw$treat2[r], ]
      m <- suppressWarnings(if (cfg[2] == "MH") {
        metafor::rma.mh(ai = a, n1i = n1, ci = c, n2i = n2, data = s, measure = cfg[1])
      } else {
        metafor::rma.peto(ai = a, n1i = n1, ci = c, n2i = n2, data = s)
      })
      expect_identical(pw$k[r], nrow(s))
      expect_equal(pw$estimate[r], as.numeric(m$beta), tolerance = 1e-8)
      expect_equal(pw$std.error[r], m$se, tolerance = 1e-8)
      expect_equal(pw$conf.low[r], m$ci.lb, tolerance = 1e-8)
      expect_equal(pw$p.value[r], m$pval, tolerance = 1e-8)
      if (!is.na(m$QE)) expect_equal(pw$Q[r], m$QE, tolerance = 1e-8)
    }
  }
})

test_that("pairwise_binary: audit of double zeros, exponentiate, by outcome, errors", {
  pw <- pairwise_binary(dong2013, measure = "OR")
  audit <- zero_cell_audit(pw)
  # the all-zero studies, and pairs of zero-event arms within multi-arm studies
  expect_true(all(c("study5", "study25", "study37") %in% audit$study))
  tb <- fastnma:::arm_pairs(dong2013$study, dong2013$treatment, dong2013$events, dong2013$n)
  expect_identical(nrow(audit), sum(tb$a == 0 & tb$c == 0))
  expect_equal(pairwise_binary(dong2013, measure = "OR", exponentiate = TRUE)$estimate,
               exp(pw$estimate))
  long <- rbind(cbind(dong2013, outcome = "death"),
                cbind(transform(dong2013, events = pmin(n, events + 2)), outcome = "SAE"))
  byo <- pairwise_binary(long, measure = "RR", by = outcome)
  expect_identical(names(byo)[1], "outcome")
  expect_identical(nrow(byo), 2L * nrow(pw))
  expect_equal(byo$estimate[byo$outcome == "death"],
               pairwise_binary(dong2013, measure = "RR")$estimate)
  expect_error(pairwise_binary(dong2013, measure = "RR", method = "Peto"),
               class = "fastnma_error_method")
})

test_that("pairwise MH matches metafor with tables that have events in every patient", {
  skip_if_not_installed("metafor")
  # the complement of Dong 2013: its double-zero tables become all-events
  comp <- transform(dong2013, events = n - events)
  tb <- fastnma:::arm_pairs(comp$study, comp$treatment, comp$events, comp$n)
  expect_true(any(tb$a == tb$n1 & tb$c == tb$n2))
  for (sm in c("OR", "RR", "RD")) {
    pw <- pairwise_binary(comp, measure = sm)
    for (r in seq_len(nrow(pw))) {
      s <- tb[tb$treat1 == pw$treat1[r] & tb$treat2 == pw$treat2[r], ]
      m <- suppressWarnings(metafor::rma.mh(ai = a, n1i = n1, ci = c, n2i = n2, data = s,
                                            measure = sm))
      expect_equal(pw$estimate[r], as.numeric(m$beta), tolerance = 1e-8)
      expect_equal(pw$std.error[r], m$se, tolerance = 1e-8)
      if (!is.na(m$QE)) expect_equal(pw$Q[r], m$QE, tolerance = 1e-8)
    }
  }
})

test_that("a comparison without events on one side is corrected as meta::metabin() does", {
  skip_if_not_installed("meta")
  arms <- data.frame(study = rep(paste0("s", 1:4), each = 2), treatment = rep(c("A", "B"), 4),
                     events = c(0, 3, 0, 5, 0, 2, 0, 4), n = rep(50, 8))
  for (sm in c("RR", "OR")) {
    expect_message(r <- pairwise_binary(arms, study, treatment, events, n, measure = sm),
                   class = "fastnma_message_zero_cells")
    m <- meta::metabin(c(3, 5, 2, 4), rep(50, 4), c(0, 0, 0, 0), rep(50, 4), sm = sm,
                       method = "MH", common = TRUE, random = FALSE)
    expect_equal(r$estimate, m$TE.common, tolerance = 1e-10)
    expect_equal(r$std.error, m$seTE.common, tolerance = 1e-10)
    expect_identical(r$events2, 0)
    audit <- zero_cell_audit(r)
    expect_setequal(audit$study[audit$action == "corrected"], paste0("s", 1:4))
  }
  none <- transform(arms, events = 0)
  expect_message(r0 <- pairwise_binary(none, study, treatment, events, n, measure = "RR"),
                 "Not estimable")
  expect_true(is.na(r0$estimate))
  expect_true(is.na(r0$std.error))
})

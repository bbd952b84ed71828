test_that("leave_one_out() equals refits without each study", {
  d <- diag_read("smokingcessation_OR_contrasts.csv")
  fit <- diag_fit("smokingcessation_OR_contrasts.csv")
  lo <- leave_one_out(fit)
  for (s in fit$studies) {
    refit <- nma(d[d$study != s, ], TE, seTE, treat1, treat2, study,
                 tau2_method = "DL", reference = fit$reference)
    row <- lo$studies[lo$studies$study == s, ]
    expect_equal(row$Q, refit$Q, tolerance = 1e-10)
    expect_equal(row$df, refit$df)
    expect_equal(row$tau2, refit$tau2, tolerance = 1e-10)
    e <- lo$estimates[lo$estimates$study == s & lo$estimates$model == "common", ]
    tb <- tidy(refit, model = "common")
    i <- match(e$treat1, tb$treat1)
    expect_equal(e$estimate, tb$estimate[i], tolerance = 1e-10)
    expect_equal(e$std.error, tb$std.error[i], tolerance = 1e-10)
  }
})

test_that("leave_one_out() impact agrees with netmeta's netimpact", {
  skip_if_not_installed("netmeta")
  d <- diag_read("Franchini2012_MD_contrasts.csv")
  fit <- diag_fit("Franchini2012_MD_contrasts.csv")
  nm <- netmeta_fit(d)
  # netimpact approximates the removal of a study by giving its contrasts a
  # standard error of 1000 times the largest one (larger values make
  # netmeta's multi-arm routine fail); that approximation, not the
  # computation, limits the agreement here to about 1e-6 absolute.
  ni <- netmeta::netimpact(nm)
  lo <- leave_one_out(fit)
  for (model in c("common", "random")) {
    ref <- ni[[paste0("impact.", model)]][fit$studies, , drop = FALSE]
    ours <- lo$impact[[model]]
    # columns in the canonical orientation: the reference first, then sorted
    expect_identical(colnames(ours), paste(lo$comparisons$treat1, "vs", lo$comparisons$treat2))
    m <- match_labels(lo$comparisons$treat1, lo$comparisons$treat2, colnames(ref))
    expect_false(anyNA(m$index))
    expect_lt(max(abs(as.vector(ours) - as.vector(ref[, m$index]))), 2e-6)
  }
})

test_that("a study whose removal disconnects the network", {
  fit <- diag_fit("Senn2013_input.csv")
  lo <- leave_one_out(fit)
  row <- lo$studies[lo$studies$study == "Garber2008", ]  # the only vild study
  expect_true(row$disconnects)
  expect_equal(row$Q, fit$Q, tolerance = 1e-10)  # a leaf adds nothing to Q
  expect_equal(row$df, fit$df)
  e <- lo$estimates[lo$estimates$study == "Garber2008", ]
  expect_true(all(is.na(e$estimate[e$treat1 == "vild"])))
  expect_false(anyNA(e$estimate[e$treat1 != "vild"]))
  expect_true(all(lo$impact$common["Garber2008", grepl("vild", colnames(lo$impact$common))] == 1))
  # a bridge between two parts of a network
  d <- data.frame(study = c("a1", "a2", "a3", "br", "b1", "b2", "b3"),
                  treat1 = c("B", "C", "C", "D", "E", "F", "F"),
                  treat2 = c("A", "A", "B", "C", "D", "D", "E"),
                  TE = c(0.2, 0.5, 0.4, 0.1, -0.3, 0.2, 0.6),
                  seTE = c(0.2, 0.25, 0.3, 0.2, 0.2, 0.3, 0.25))
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  lo <- leave_one_out(fit)
  row <- lo$studies[lo$studies$study == "br", ]
  expect_true(row$disconnects)
  # the two triangles keep their loops: 6 contrasts, 6 treatments in 2 parts
  expect_equal(row$df, 2L)
  parts <- list(d[1:3, ], d[5:7, ])
  q <- sum(vapply(parts, function(p) nma(p, TE, seTE, treat1, treat2, study, tau2_method = "DL")$Q, 0))
  expect_equal(row$Q, q, tolerance = 1e-10)
  e <- lo$estimates[lo$estimates$study == "br" & lo$estimates$model == "common", ]
  expect_true(all(is.na(e$estimate[e$treat1 %in% c("D", "E", "F")])))
  expect_false(anyNA(e$estimate[e$treat1 %in% c("B", "C")]))
  expect_output(print(lo), "disconnects")
  expect_equal(nrow(lo$studies), 7L)
  g <- glance(lo)
  expect_equal(nrow(g), 1L)
  expect_equal(g$n_disconnecting, sum(lo$studies$disconnects))
  expect_equal(g$k, 7L)
})

# A contrast table keeps its measure, zero-cell audit and policy through base
# subsetting, dplyr verbs and row binding, or fails loudly; nma() never falls
# back to "generic" for a contrast table.

dong_or <- function() {
  suppressMessages(arm_contrasts(dong2013, study, treatment, events = events,
                                 n = n, measure = "OR"))
}

# Two small binary networks with zero cells in different studies.
zero_arms <- function(prefix) {
  data.frame(study = rep(paste0(prefix, 1:3), each = 2),
             treatment = rep(c("T", "C"), 3),
             events = c(0, 5, 3, 4, 6, 2), n = c(20, 22, 30, 31, 25, 26))
}
zero_or <- function(prefix) {
  suppressMessages(arm_contrasts(zero_arms(prefix), measure = "OR"))
}

expect_metadata_of <- function(x, template) {
  expect_s3_class(x, "nma_contrasts")
  expect_identical(attr(x, "measure"), attr(template, "measure"))
  expect_identical(zero_cell_audit(x), zero_cell_audit(template))
  expect_identical(attr(x, "zero_cell_policy"), attr(template, "zero_cell_policy"))
}

test_that("the contrast table carries its measure, audit and policy", {
  ac <- dong_or()
  expect_identical(attr(ac, "measure"), "OR")
  expect_gt(nrow(zero_cell_audit(ac)), 0L)
  expect_s3_class(attr(ac, "zero_cell_policy"), "zero_cell_policy")
  fit <- nma(ac)
  expect_identical(fit$measure, "OR")
  expect_identical(fit$zero_cells, zero_cell_audit(ac))
})

test_that("mutate() keeps measure and audit; nma() fits the table's measure", {
  skip_if_not_installed("dplyr")
  ac <- dong_or()
  m <- dplyr::mutate(ac, weight = 1 / std.error^2, estimate = estimate + 0)
  expect_metadata_of(m, ac)
  expect_true("weight" %in% names(m))
  fit <- nma(m)
  expect_identical(fit$measure, "OR")
  expect_identical(fit$zero_cells, zero_cell_audit(ac))
  expect_equal(coef(fit), coef(nma(ac)))
  t <- dplyr::transmute(ac, study, treat1, treat2, estimate, std.error)
  expect_metadata_of(t, ac)
  expect_identical(nma(t)$measure, "OR")
})

test_that("select() keeps measure and audit, also for a subset of columns", {
  skip_if_not_installed("dplyr")
  ac <- dong_or()
  s <- dplyr::select(ac, study, treat1, treat2, estimate, std.error)
  expect_metadata_of(s, ac)
  expect_named(s, c("study", "treat1", "treat2", "estimate", "std.error"))
  expect_identical(nma(s)$measure, "OR")
  # dropping columns nma() needs keeps the measure; nma() names the missing column
  s2 <- dplyr::select(ac, study, estimate)
  expect_metadata_of(s2, ac)
  expect_output(print(s2), "Contrasts \\(OR, log scale\\): 74 pairwise comparisons from 38 studies")
  expect_error(nma(s2), class = "fastnma_error_column")
  # renamed in select(), still fitted with its measure
  s3 <- dplyr::select(ac, study, treat1, treat2, TE = estimate, seTE = std.error)
  expect_identical(nma(s3, TE, seTE)$measure, "OR")
})

test_that("filter() keeps measure and audit", {
  skip_if_not_installed("dplyr")
  ac <- dong_or()
  f <- dplyr::filter(ac, treat1 != "ICS", treat2 != "ICS")
  expect_metadata_of(f, ac)
  expect_lt(nrow(f), nrow(ac))
  fit <- nma(f)
  expect_identical(fit$measure, "OR")
  expect_false("ICS" %in% fit$treatments)
})

test_that("arrange(), rename() and slice() keep measure and audit", {
  skip_if_not_installed("dplyr")
  ac <- dong_or()
  a <- dplyr::arrange(ac, dplyr::desc(estimate))
  expect_metadata_of(a, ac)
  expect_identical(a$estimate, sort(ac$estimate, decreasing = TRUE))
  fit <- nma(a)
  expect_identical(fit$measure, "OR")
  expect_equal(coef(fit), coef(nma(ac)), tolerance = 1e-10)

  r <- dplyr::rename(ac, TE = estimate, seTE = std.error)
  expect_metadata_of(r, ac)
  expect_identical(nma(r, TE, seTE)$measure, "OR")

  sl <- dplyr::slice(ac, seq_len(11))  # two-arm studies only
  expect_metadata_of(sl, ac)
  expect_identical(nrow(sl), 11L)
  expect_identical(nma(sl)$measure, "OR")
})

test_that("bind_rows() of one measure keeps measure and audit", {
  skip_if_not_installed("dplyr")
  ac <- dong_or()
  first <- unique(ac$study)[1:10]
  parts <- split(ac, ac$study %in% first)
  expect_metadata_of(parts[[1]], ac)
  b <- dplyr::bind_rows(parts[["TRUE"]], parts[["FALSE"]])
  expect_metadata_of(b, ac)
  expect_identical(nrow(b), nrow(ac))
  fit <- nma(b)
  expect_identical(fit$measure, "OR")
  expect_equal(coef(fit), coef(nma(ac)), tolerance = 1e-10)

  # a later table without zero cells adds nothing to the audit
  md <- arm_contrasts(franchini2012, study, treatment, n = n, mean = mean,
                      sd = sd, measure = "MD")
  half <- md[md$study %in% unique(md$study)[1:3], ]
  expect_metadata_of(dplyr::bind_rows(md, half), md)

  # a later table with audit entries of its own would lose them: refused
  x <- zero_or("a")
  y <- zero_or("b")
  expect_error(dplyr::bind_rows(x, y), class = "fastnma_error_metadata")
  expect_error(vctrs::vec_rbind(x, y), class = "fastnma_error_metadata")
  # a plain data frame after the contrast table takes its metadata; before it
  # the metadata would be lost: refused
  plain <- as.data.frame(unclass(half))[names(half)]
  expect_metadata_of(dplyr::bind_rows(half, plain), half)
  expect_error(dplyr::bind_rows(plain, half), class = "fastnma_error_metadata")
  expect_error(dplyr::bind_rows(tibble::as_tibble(plain), half),
               class = "fastnma_error_metadata")
})

test_that("bind_rows() and rbind() of different measures fail with a classed error", {
  skip_if_not_installed("dplyr")
  or <- dong_or()
  rr <- suppressMessages(arm_contrasts(dong2013, study, treatment, events = events,
                                       n = n, measure = "RR"))
  expect_error(dplyr::bind_rows(or, rr), class = "fastnma_error_metadata")
  expect_error(rbind(or, rr), class = "fastnma_error_metadata")
  # the same measure under different zero-cell policies
  kept <- suppressMessages(arm_contrasts(dong2013, study, treatment, events = events,
                                         n = n, measure = "OR",
                                         zero_cells = zero_cell_policy(double_zero = "keep")))
  expect_error(dplyr::bind_rows(or, kept), class = "fastnma_error_metadata")
  expect_error(rbind(or, kept), class = "fastnma_error_metadata")
})

test_that("rbind() keeps the measure and combines the audits", {
  x <- zero_or("a")
  y <- zero_or("b")
  b <- rbind(x, y)
  expect_s3_class(b, "nma_contrasts")
  expect_identical(attr(b, "measure"), "OR")
  expect_identical(attr(b, "zero_cell_policy"), attr(x, "zero_cell_policy"))
  audit <- zero_cell_audit(b)
  expect_setequal(audit$study, c("a1", "b1"))
  expect_identical(nrow(audit), nrow(zero_cell_audit(x)) + nrow(zero_cell_audit(y)))
  expect_identical(nrow(b), nrow(x) + nrow(y))
  fit <- nma(b)
  expect_identical(fit$measure, "OR")
  expect_identical(fit$zero_cells, audit)
  # the same table twice: the audit is not duplicated
  expect_identical(zero_cell_audit(rbind(x, x)), zero_cell_audit(x))
})

test_that("[ keeps measure and audit for rows and columns", {
  ac <- dong_or()
  rows <- ac[ac$study %in% unique(ac$study)[1:20], ]
  expect_metadata_of(rows, ac)
  expect_lt(nrow(rows), nrow(ac))
  expect_identical(nma(rows)$measure, "OR")
  cols <- ac[, c("study", "treat1", "treat2", "estimate", "std.error")]
  expect_metadata_of(cols, ac)
  expect_identical(nma(cols)$measure, "OR")
  expect_metadata_of(ac[c("study", "estimate")], ac)
  expect_metadata_of(head(ac), ac)
  expect_metadata_of(subset(ac, std.error < 1), ac)
  # a single column is a vector, as for any data frame
  expect_identical(ac[, "estimate"], ac$estimate)
  # column assignment keeps the metadata too
  ac$weight <- 1 / ac$std.error^2
  expect_metadata_of(ac, dong_or())
})

test_that("printing any column subset works", {
  ac <- dong_or()
  expect_output(print(ac[, c("study", "estimate")]), "Contrasts \\(OR, log scale\\)")
  out <- capture.output(print(ac[, "estimate", drop = FALSE]))
  expect_match(out[1], "^Contrasts \\(OR, log scale\\): 74 pairwise comparisons$")
  expect_output(print(ac[1, c("treat1", "treat2")]), "1 pairwise comparison")
  expect_output(print(ac[0, ]), "0 pairwise comparisons")
  expect_output(print(ac[, 0]), "74 pairwise comparisons")
  if (requireNamespace("dplyr", quietly = TRUE)) {
    expect_output(print(dplyr::select(ac, std.error)), "Zero-cell audit")
  }
})

test_that("nma() refuses a contrast table that lost its measure", {
  ac <- dong_or()
  lost <- ac
  attr(lost, "measure") <- NULL
  expect_error(nma(lost), class = "fastnma_error_metadata")
  expect_error(nma(lost), "measure")
  # the fix the error names: give the measure
  expect_identical(nma(lost, measure = "OR")$measure, "OR")
  # a measure that contradicts the table's
  expect_error(nma(ac, measure = "RR"), class = "fastnma_error_metadata")
  expect_identical(nma(ac, measure = "OR")$measure, "OR")
})

test_that("plain data frames without a measure are 'generic' unless told", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study)
  expect_identical(fit$measure, "generic")
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  expect_identical(fit$measure, "MD")
  # as.data.frame() keeps the measure attribute, so the fit keeps its measure
  expect_identical(nma(as.data.frame(dong_or()))$measure, "OR")
})

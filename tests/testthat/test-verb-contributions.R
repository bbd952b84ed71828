contrib_check <- function(input, methods) {
  d <- diag_read(input)
  fit <- diag_fit(input)
  nm <- netmeta_fit(d)
  for (method in methods) {
    ref <- netmeta::netcontrib(nm, method = method)
    for (model in c("common", "random")) {
      cb <- contributions(fit, method = method, model = model)
      w <- cb$weights
      R <- ref[[model]]
      # rows and columns in the canonical orientation, labelled "treat1 vs treat2"
      expect_identical(rownames(w), paste(cb$comparisons$treat1, "vs", cb$comparisons$treat2))
      expect_identical(colnames(w), paste(cb$direct$treat1, "vs", cb$direct$treat2))
      rm <- match_labels(cb$comparisons$treat1, cb$comparisons$treat2, rownames(R))
      expect_false(anyNA(rm$index))
      cm <- match_labels(cb$direct$treat1, cb$direct$treat2, colnames(R))
      expect_false(anyNA(cm$index))
      expect_rel(as.vector(w), as.vector(R[rm$index, cm$index]), tol = 1e-6, floor = 1e-4)
    }
  }
}

test_that("contributions agree with netmeta's netcontrib", {
  skip_if_not_installed("netmeta")
  contrib_check("Senn2013_input.csv", "shortestpath")
  contrib_check("smokingcessation_OR_contrasts.csv", c("shortestpath", "randomwalk"))
})

test_that("contributions are proportions and study shares add up", {
  fit <- diag_fit("Dong2013_OR_contrasts.csv")
  for (method in c("shortestpath", "randomwalk")) {
    cb <- contributions(fit, method = method, model = "common", study = TRUE)
    expect_true(all(cb$weights >= 0))
    expect_equal(unname(rowSums(cb$weights)), rep(1, nrow(cb$weights)), tolerance = 1e-10)
    expect_equal(unname(rowSums(cb$study)), rep(1, nrow(cb$study)), tolerance = 1e-10)
    td <- tidy(cb)
    expect_s3_class(td, "tbl_df")
    expect_named(td, c("term", "treat1", "treat2", "direct", "contribution"))
    expect_identical(td$term, paste(td$treat1, "vs", td$treat2))
    expect_true(all(td$contribution > 0))
  }
  # a comparison with only direct evidence takes all from itself
  fit <- diag_fit("Senn2013_input.csv")
  cb <- contributions(fit)
  expect_equal(cb$weights["vild vs plac", "vild vs plac"], 1)
  expect_output(print(cb), "Contributions")
  expect_error(tidy(cb, study = TRUE), class = "fastnma_error_not_computed")
})

test_that("contributions of chosen comparisons are the rows of all of them", {
  fit <- diag_fit("smokingcessation_OR_contrasts.csv")
  all <- contributions(fit, comparisons = "all", study = TRUE)
  n <- length(fit$treatments)
  expect_identical(all$n_pairs, n * (n - 1) / 2)
  ref <- contributions(fit, comparisons = "reference", study = TRUE)
  expect_identical(nrow(ref$weights), n - 1L)
  expect_identical(ref$weights, all$weights[rownames(ref$weights), , drop = FALSE])
  expect_identical(ref$study, all$study[rownames(ref$study), , drop = FALSE])
  # labels in either orientation and a data frame name the same rows, in the
  # order asked for, in the canonical orientation
  lab <- rownames(all$weights)[c(5, 2)]
  parts <- strsplit(lab, " vs ", fixed = TRUE)
  flipped <- vapply(parts, function(p) paste(p[2], "vs", p[1]), "")
  one <- contributions(fit, comparisons = flipped, method = "randomwalk")
  expect_identical(rownames(one$weights), lab)
  rw <- contributions(fit, method = "randomwalk")
  expect_identical(one$weights, rw$weights[lab, , drop = FALSE])
  df <- data.frame(treat1 = vapply(parts, `[`, "", 1), treat2 = vapply(parts, `[`, "", 2))
  expect_identical(contributions(fit, comparisons = df)$weights, all$weights[lab, , drop = FALSE])
  expect_output(print(one), "2 of 6 network estimates")
  expect_error(contributions(fit, comparisons = "A vs Z"), class = "fastnma_error_comparison_selection")
  expect_error(contributions(fit, comparisons = "A versus B"), class = "fastnma_error_comparison_selection")
  expect_error(contributions(fit, comparisons = 3), class = "fastnma_error_comparison_selection")
  expect_error(contributions(fit, comparisons = data.frame(a = 1)), class = "fastnma_error_column")
})

test_that("on large networks the default decomposes the comparisons with the reference, and says so", {
  fit <- diag_fit("smokingcessation_OR_contrasts.csv")
  old <- options(fastnma.contrib_max_rows = 5, fastnma.quiet = FALSE)
  on.exit(options(old))
  expect_message(cb <- contributions(fit), "3 comparisons with the reference",
                 class = "fastnma_message_contrib_rows")
  expect_identical(rownames(cb$weights),
                   rownames(contributions(fit, comparisons = "reference")$weights))
  options(fastnma.quiet = TRUE)
  expect_silent(cb2 <- contributions(fit))
  expect_identical(cb2$weights, cb$weights)
})

test_that("method = 'cinema' equals netmeta's netcontrib(hatmatrix.F1000 = TRUE), studies included, on networks with multi-arm studies", {
  skip_if_not_installed("netmeta")
  inputs <- c("Dong2013_OR_contrasts.csv", "smokingcessation_OR_contrasts.csv",
              "Franchini2012_MD_contrasts.csv", "Senn2013_input.csv")
  for (input in inputs) {
    d <- diag_read(input)
    fit <- diag_fit(input)
    # every network here has a study with three or more arms
    expect_gt(max(fit$n_arms), 2)
    nm <- netmeta_fit(d)
    ref <- suppressWarnings(netmeta::netcontrib(nm, hatmatrix.F1000 = TRUE, study = TRUE))
    for (model in c("common", "random")) {
      cb <- contributions(fit, method = "cinema", model = model, study = TRUE)
      expect_identical(cb$method, "cinema")
      R <- ref[[model]]
      rm <- match_labels(cb$comparisons$treat1, cb$comparisons$treat2, rownames(R))
      cm <- match_labels(cb$direct$treat1, cb$direct$treat2, colnames(R))
      expect_false(anyNA(c(rm$index, cm$index)))
      expect_lt(max(abs(cb$weights - R[rm$index, cm$index])), 1e-10)
      # study contributions: netmeta's long table, labelled "a:b" either way
      S <- ref[[paste0("study.", model)]]
      parts <- strsplit(S$comparison, ":", fixed = TRUE)
      fwd <- match(vapply(parts, function(p) paste(p[1], "vs", p[2]), ""), rownames(cb$study))
      rev <- match(vapply(parts, function(p) paste(p[2], "vs", p[1]), ""), rownames(cb$study))
      row <- ifelse(is.na(fwd), rev, fwd)
      col <- match(S$study, colnames(cb$study))
      expect_false(anyNA(c(row, col)))
      expect_lt(max(abs(cb$study[cbind(row, col)] - S$contribution)), 1e-10)
      expect_equal(unname(rowSums(cb$study)), rep(1, nrow(cb$study)), tolerance = 1e-10)
    }
  }
})

test_that("method = 'cinema' differs from the default only through multi-arm studies", {
  # no multi-arm study: the aggregated hat matrix is the fitted model's
  two_arm <- data.frame(study = paste0("s", 1:6), treat1 = c("B", "C", "C", "D", "D", "C"),
                        treat2 = c("A", "A", "B", "A", "B", "D"),
                        estimate = c(0.2, 0.5, 0.1, 0.4, 0.3, -0.1),
                        std.error = c(0.1, 0.2, 0.15, 0.3, 0.2, 0.25))
  fit <- nma(two_arm, tau2_method = "DL")
  expect_equal(contributions(fit, method = "cinema", study = TRUE)$study,
               contributions(fit, study = TRUE)$study, tolerance = 1e-12)
  # with one: they differ
  fit3 <- diag_fit("Senn2013_input.csv")
  expect_gt(max(abs(contributions(fit3, method = "cinema")$weights - contributions(fit3)$weights)), 0.01)
  # chosen rows are rows of all of them
  all <- contributions(fit3, method = "cinema")
  ref <- contributions(fit3, method = "cinema", comparisons = "reference")
  expect_identical(ref$weights, all$weights[rownames(ref$weights), , drop = FALSE])
})

test_that("a threshold keeps the entries of at least it, sparsely, equal to the dense ones", {
  fit <- diag_fit("Dong2013_OR_contrasts.csv")
  keep_above <- function(m, threshold) {
    m[m < threshold] <- 0
    m
  }
  for (method in c("shortestpath", "randomwalk", "cinema")) {
    dense <- contributions(fit, method = method, study = TRUE)
    for (chunk in list(NULL, 64)) {
      # pieces of 64 rows (and for "cinema" of 1 row): the rows are joined in order
      old <- options(fastnma.contrib_chunk = chunk)
      sp <- contributions(fit, method = method, study = TRUE, threshold = 0.02)
      options(old)
      expect_s4_class(sp$weights, "sparseMatrix")
      expect_s4_class(sp$study, "sparseMatrix")
      expect_identical(dimnames(as.matrix(sp$weights)), dimnames(dense$weights))
      expect_identical(dimnames(as.matrix(sp$study)), dimnames(dense$study))
      expect_equal(as.matrix(sp$weights), keep_above(dense$weights, 0.02), tolerance = 1e-12)
      expect_equal(as.matrix(sp$study), keep_above(dense$study, 0.02), tolerance = 1e-12)
      expect_gt(sum(dense$weights > 0 & dense$weights < 0.02), 0)
      expect_true(all(sp$weights@x >= 0.02))
      td <- tidy(sp)
      want <- tidy(dense)
      want <- want[want$contribution >= 0.02, ]
      expect_equal(as.data.frame(td), as.data.frame(want), tolerance = 1e-12, ignore_attr = TRUE)
      expect_equal(as.data.frame(tidy(sp, study = TRUE)),
                   as.data.frame(tidy(dense, study = TRUE)[tidy(dense, study = TRUE)$contribution >= 0.02, ]),
                   tolerance = 1e-12, ignore_attr = TRUE)
    }
  }
  # the print shows the same rows
  sp <- contributions(fit, threshold = 1e-12)
  expect_identical(capture.output(print(sp)), capture.output(print(contributions(fit))))
  expect_s3_class(autoplot(sp), "ggplot")
})

test_that("threshold must be a proportion", {
  fit <- diag_fit("Senn2013_input.csv")
  for (bad in list(-0.1, 1, NA_real_, c(0.1, 0.2), "0.1")) {
    expect_error(contributions(fit, threshold = bad), class = "fastnma_error_choice")
  }
})

test_that("rows are the same on one thread and on two", {
  fit <- diag_fit("smokingcessation_OR_contrasts.csv")
  fit22 <- nma(arm_contrasts(synthetic_network22(), measure = "MD"), reference = "Placebo", tau2_method = "DL")
  for (f in list(fit, fit22)) {
    for (method in c("shortestpath", "randomwalk", "cinema")) {
      one <- withr::with_options(list(fastnma.threads = 1L),
                                 contributions(f, method = method, comparisons = "all", study = TRUE))
      two <- withr::with_options(list(fastnma.threads = 2L, fastnma.contrib_min_parallel = 0),
                                 contributions(f, method = method, comparisons = "all", study = TRUE))
      expect_identical(two$weights, one$weights)
      expect_identical(two$study, one$study)
      sp1 <- withr::with_options(list(fastnma.threads = 1L),
                                 contributions(f, method = method, comparisons = "all", threshold = 0.01))
      sp2 <- withr::with_options(list(fastnma.threads = 2L, fastnma.contrib_min_parallel = 0),
                                 contributions(f, method = method, comparisons = "all", threshold = 0.01))
      expect_identical(sp2$weights, sp1$weights)
    }
  }
  expect_error(withr::with_options(list(fastnma.threads = 0), contributions(fit)),
               class = "fastnma_error_choice")
})

test_that("streamed blocks are the rows of the one-piece result, in order", {
  fit <- nma(arm_contrasts(synthetic_network22(), measure = "MD"), reference = "Placebo", tau2_method = "DL")
  for (method in c("shortestpath", "randomwalk", "cinema")) {
    whole <- contributions(fit, method = method, comparisons = "all", study = TRUE)
    blocks <- contributions(fit, method = method, comparisons = "all", study = TRUE,
                            each = function(block) block, block_size = 50)
    expect_length(blocks, ceiling(nrow(whole$weights) / 50))
    expect_true(all(vapply(blocks, inherits, logical(1), "nma_contrib")))
    expect_identical(unlist(lapply(blocks, function(b) rownames(b$weights))), rownames(whole$weights))
    for (b in blocks) {
      expect_identical(b$weights, whole$weights[rownames(b$weights), , drop = FALSE])
      expect_identical(b$study, whole$study[rownames(b$study), , drop = FALSE])
      expect_identical(b$n_pairs, whole$n_pairs)
    }
  }
  # a reduction: column sums of each block add up to those of the whole
  whole <- contributions(fit, comparisons = "all")
  sums <- contributions(fit, comparisons = "all", each = ~ colSums(.x$weights), block_size = 64)
  expect_equal(Reduce(`+`, sums), colSums(whole$weights), tolerance = 1e-12)
  # blocks written to disk and read back
  dir <- withr::local_tempdir()
  files <- character()
  out <- contributions(fit, comparisons = "all", block_size = 100, each = function(block) {
    file <- file.path(dir, sprintf("block-%03d.rds", length(files) + 1L))
    saveRDS(tidy(block), file)
    files <<- c(files, file)
    NULL
  })
  expect_invisible(contributions(fit, comparisons = "reference", each = function(block) NULL))
  expect_true(all(vapply(out, is.null, logical(1))))
  back <- as.data.frame(do.call(rbind, lapply(files, readRDS)))
  want <- as.data.frame(tidy(whole))
  # (the long form of each block runs down its own columns)
  key <- function(d) order(d$direct, match(d$term, rownames(whole$weights)))
  expect_equal(back[key(back), ], want[key(want), ], ignore_attr = TRUE)
  # blocks with a threshold and by group
  thr <- contributions(fit, comparisons = "all", threshold = 0.01, block_size = 100,
                       each = function(b) b$weights)
  expect_identical(as.matrix(do.call(rbind, thr)),
                   as.matrix(contributions(fit, comparisons = "all", threshold = 0.01)$weights),
                   ignore_attr = TRUE)
  expect_error(contributions(fit, each = identity, block_size = 0), class = "fastnma_error_choice")
  expect_error(contributions(fit, each = identity, block_size = 2.5), class = "fastnma_error_choice")
  expect_error(contributions(fit, block_size = 10), class = "fastnma_error_choice")
})

test_that("contributions by a grouping of studies are the study contributions summed by group", {
  fit <- diag_fit("Dong2013_OR_contrasts.csv")
  set.seed(3)
  rob <- factor(sample(c("low", "some", "high"), length(fit$studies), replace = TRUE),
                levels = c("low", "some", "high", "unclear"))
  names(rob) <- fit$studies
  for (method in c("shortestpath", "randomwalk", "cinema")) {
    for (model in c("common", "random")) {
      dense <- contributions(fit, method = method, model = model, study = TRUE)
      g <- contributions(fit, method = method, model = model, by = rob)
      want <- sapply(levels(rob), function(l) rowSums(dense$study[, rob[colnames(dense$study)] == l, drop = FALSE]))
      expect_identical(colnames(g$by), levels(rob))  # unused levels kept
      expect_identical(rownames(g$by), rownames(dense$weights))
      expect_equal(unname(g$by), unname(want), tolerance = 1e-12)
      expect_equal(unname(rowSums(g$by)), rep(1, nrow(g$by)), tolerance = 1e-10)
      expect_identical(g$weights, dense$weights)
      # without the weights, and with a threshold on the kept matrices
      lean <- contributions(fit, method = method, model = model, by = rob, weights = FALSE)
      expect_null(lean$weights)
      expect_identical(lean$by, g$by)
      thr <- contributions(fit, method = method, model = model, by = rob, threshold = 0.05)
      expect_identical(thr$by, g$by)
    }
  }
  lean <- contributions(fit, by = rob, weights = FALSE)
  expect_output(print(lean), "Contributions by group of studies")
  td <- tidy(lean, by = TRUE)
  expect_named(td, c("term", "treat1", "treat2", "group", "contribution"))
  expect_error(tidy(lean), class = "fastnma_error_not_computed")
  expect_error(autoplot(lean), class = "fastnma_error_not_computed")
  expect_error(tidy(contributions(fit)), NA)
  expect_error(tidy(contributions(fit), by = TRUE), class = "fastnma_error_not_computed")
  # a character grouping: the sorted values
  chr <- setNames(as.character(rob), names(rob))
  expect_identical(colnames(contributions(fit, by = chr)$by), sort(unique(chr)))
  # bad groupings name the studies
  expect_error(contributions(fit, by = rob[-1]), class = "fastnma_error_study_values")
  expect_error(contributions(fit, by = unname(rob)), class = "fastnma_error_study_values")
  bad <- rob
  bad[2] <- NA
  expect_error(contributions(fit, by = bad), class = "fastnma_error_study_values")
  expect_error(contributions(fit, weights = FALSE), class = "fastnma_error_choice")
  expect_error(contributions(fit, weights = NA), class = "fastnma_error_flag")
})

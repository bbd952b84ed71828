# Every table-shaped result keeps its metadata through `[`, head(), subset()
# and dplyr verbs, and prints after any of them.

quiet_tab <- function(x) suppressWarnings(suppressMessages(x))

# Every table-shaped result of a network with three-arm studies
# (smokingcessation), from an inverse-variance fit and, where the verb
# supports it, from a Mantel-Haenszel fit.
table_results <- function() {
  ac <- quiet_tab(arm_contrasts(smokingcessation, study, treatment, events = events,
                                n = n, measure = "OR"))
  iv <- quiet_tab(nma(ac))
  mh <- quiet_tab(nma_binary(smokingcessation, measure = "OR", method = "MH"))
  rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(iv$studies)),
                         iv$studies)
  conf <- confidence(iv, rob, margin = 0.2)
  list(
    node_split = node_split(iv),
    node_split_separate = node_split(iv, method = "separate"),
    pscore = rank_treatments(iv),
    sucra = rank_treatments(iv, method = "sucra", n_sim = 200, seed = 1),
    pscore_mh = rank_treatments(mh),
    league = league_table(iv),
    league_mh = league_table(mh),
    confidence = conf,
    confidence_summary = summary(conf),
    direct = direct_estimates(iv),
    absolute = absolute_effects(iv, baseline_risk = 0.1),
    absolute_mh = absolute_effects(mh, baseline_risk = 0.1),
    benefit_harm = benefit_harm(iv, iv),
    benefit_harm_mh = benefit_harm(mh, mh),
    zero_cells = zero_cell_audit(ac),
    threshold = threshold(iv)
  )
}

test_that("the loop covers every table-shaped result class", {
  res <- table_results()
  classes <- unique(vapply(res, function(x) class(x)[1L], character(1)))
  expect_setequal(classes, names(table_classes))
  for (nm in names(res)) {
    expect_s3_class(res[[nm]], "fastnma_table")
    expect_identical(class(res[[nm]])[-1L], c("fastnma_table", "data.frame"))
  }
})

test_that("x[, 1:3], x[1:2, ], head(), subset() and dplyr verbs keep the metadata and print", {
  res <- table_results()
  for (nm in names(res)) {
    x <- res[[nm]]
    meta <- table_metadata(x)
    expect_gt(nrow(x), 1L)
    j <- seq_len(min(3L, ncol(x)))  # P-score tables have two columns
    subsets <- list(cols = x[, j], rows = x[1:2, ], head = utils::head(x, 2),
                    subset = subset(x, rep(c(TRUE, FALSE), length.out = nrow(x))),
                    one = x[1])
    for (s in names(subsets)) {
      y <- subsets[[s]]
      expect_s3_class(y, "fastnma_table")
      expect_identical(table_metadata(y), meta, label = paste(nm, s, "metadata"))
      out <- utils::capture.output(print(y))
      expect_gt(length(out), 1L)
    }
    # rows only: the class of the result and its own print
    expect_identical(class(x[1:2, ]), class(x), label = paste(nm, "class of x[1:2, ]"))
    expect_identical(nrow(x[1:2, ]), 2L)
    expect_identical(
      utils::capture.output(print(x[1:2, ]))[1L],
      utils::capture.output(print(x[c(1, 2), ]))[1L])
    # a subset without the columns its print reads: the base class, the title
    y <- x[, j]
    if (all(table_required_columns(x, class(x)[1L]) %in% names(y))) {
      expect_identical(class(y), class(x))
    } else {
      expect_identical(class(y), c("fastnma_table", "data.frame"))
      expect_identical(attr(y, "table_class"), class(x)[1L])
      out <- utils::capture.output(print(y))
      expect_match(out[1L], table_classes[[class(x)[1L]]]$title, fixed = TRUE)
      # the printed columns are the three kept
      expect_match(paste(out, collapse = "\n"), paste(names(y), collapse = " +"))
    }
  }
})

test_that("dplyr::filter() and friends keep the class and the metadata", {
  skip_if_not_installed("dplyr")
  res <- table_results()
  for (nm in names(res)) {
    x <- res[[nm]]
    meta <- table_metadata(x)
    f <- dplyr::filter(x, dplyr::row_number() <= 2)
    expect_identical(class(f), class(x), label = paste(nm, "filter class"))
    expect_identical(table_metadata(f), meta, label = paste(nm, "filter metadata"))
    expect_identical(nrow(f), 2L)
    expect_identical(strip_attributes(f), strip_attributes(x[1:2, ]))
    expect_gt(length(utils::capture.output(print(f))), 1L)

    a <- dplyr::arrange(x, dplyr::desc(dplyr::row_number()))
    expect_identical(class(a), class(x))
    expect_identical(table_metadata(a), meta)
    expect_identical(a[[1]], rev(x[[1]]))

    sl <- dplyr::slice(x, 1L)
    expect_identical(class(sl), class(x))
    expect_identical(table_metadata(sl), meta)

    m <- dplyr::mutate(x, extra = seq_len(dplyr::n()))
    expect_identical(class(m), class(x))
    expect_identical(table_metadata(m), meta)
    expect_identical(m$extra, seq_len(nrow(x)))

    s <- dplyr::select(x, 1:2)
    expect_s3_class(s, "fastnma_table")
    expect_identical(table_metadata(s), meta)
    expect_gt(length(utils::capture.output(print(s))), 1L)
  }
})

test_that("node_split and rank_treatments subsets print (they used to stop)", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  ns <- node_split(fit)
  expect_output(print(ns[, 1:5]), "Node-splitting: 15 rows, 5 columns")
  expect_output(print(ns[, 1:5]), "model random")
  rk <- rank_treatments(fit)
  out <- utils::capture.output(print(rk[1:3, 1:2]))
  expect_match(out[1L], "^P-scores")
  expect_length(out, 5L)
})

test_that("the constructor checks the columns and metadata of a table", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  ns <- node_split(fit)
  expect_identical(validate_fastnma_table(ns), ns)
  expect_error(new_fastnma_table(strip_attributes(ns)[, 1:3], "nma_split", model = "random",
                                 method = "x", tau2 = 0, level = 0.95, measure = "MD"),
               class = "fastnma_error_result_contract")
  expect_error(new_fastnma_table(strip_attributes(ns), "nma_split", model = "random"),
               class = "fastnma_error_result_contract")
  expect_error(validate_fastnma_table(strip_attributes(ns)),
               class = "fastnma_error_result_contract")
})

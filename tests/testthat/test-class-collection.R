# Every set of fits is a collection of the one parent class "nma_collection",
# its own class first, and what collections share behaves the same on all.

collections <- function() {
  q <- function(x) suppressWarnings(suppressMessages(x))
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac",
             tau2_method = "DL")
  studies <- fit$studies
  year <- stats::setNames(as.integer(regmatches(studies, regexpr("[0-9]{4}", studies))),
                          studies)
  era <- stats::setNames(ifelse(year < 2005, "before 2005", "2005 on"), studies)
  by_data <- rbind(cbind(dong2013, outcome = "death"),
                   cbind(transform(dong2013, events = pmin(n, events * 2 + 1)),
                         outcome = "any AE"))
  list(
    nma_batch = nma(rbind(cbind(senn2013, copy = 1), cbind(senn2013, copy = 2)),
                    TE, seTE, treat1, treat2, study, by = copy),
    nma_binary_by = q(nma_binary(by_data, measure = "OR", by = outcome)),
    nma_bind = nma_bind(a = fit, b = fit),
    nma_cumulative = q(cumulative_nma(fit, year)),
    nma_subgroup = q(subgroup_nma(fit, era))
  )
}

test_that("every collection keeps its own class first under the one parent", {
  cols <- collections()
  for (cl in names(cols)) {
    x <- cols[[cl]]
    expect_identical(class(x)[1L], cl)
    expect_identical(utils::tail(class(x), 1L), "nma_collection")
  }
  expect_identical(class(cols$nma_binary_by),
                   c("nma_binary_by", "nma_batch", "nma_collection"))
  # a smaller batch stays a collection
  expect_identical(class(cols$nma_batch[2]), c("nma_batch", "nma_collection"))
})

test_that("coef(), vcov(), confint() and the verbs for one fit refuse every collection alike", {
  cols <- collections()
  for (cl in names(cols)) {
    x <- cols[[cl]]
    # a collection made by nma(by = ) takes the verbs a simulation study
    # runs (test-verb-batch.R), not coef(), vcov() or confint()
    verbs <- if (cl == "nma_batch") list(coef, vcov, confint) else
      list(coef, vcov, confint, node_split, league_table, rank_treatments)
    for (verb in verbs) {
      err <- expect_error(verb(x), class = "fastnma_error_by_outcome")
      # the message says how to reach one fit, and that code does reach one
      expect_match(conditionMessage(err), "not one fit", fixed = TRUE)
    }
  }
  for (verb in list(node_split, league_table, rank_treatments)) {
    expect_identical(names(verb(cols$nma_batch))[1L], attr(cols$nma_batch, "by"))
  }
  # the code shown reaches a fit
  x <- cols$nma_cumulative
  expect_s3_class(x$fits[[1]], "nma")
  err <- expect_error(coef(cols$nma_bind), class = "fastnma_error_by_outcome")
  expect_match(conditionMessage(err), "x$parts[[\"a\"]]$fit", fixed = TRUE)
  expect_s3_class(cols$nma_bind$parts[["a"]]$fit, "nma")
  err <- expect_error(vcov(cols$nma_subgroup), class = "fastnma_error_by_outcome")
  expect_match(conditionMessage(err), "x$fits[[\"2005 on\"]]", fixed = TRUE)
  expect_s3_class(cols$nma_subgroup$fits[["2005 on"]], "nma")
  # collections by outcome keep their message
  err <- expect_error(confint(cols$nma_binary_by), class = "fastnma_error_by_outcome")
  expect_match(conditionMessage(err), "fit[[\"death\"]]", fixed = TRUE)
  # collections without a figure of their own refuse autoplot(); the others draw
  expect_error(autoplot(cols$nma_batch), class = "fastnma_error_by_outcome")
  expect_error(autoplot(cols$nma_binary_by), class = "fastnma_error_by_outcome")
  for (cl in c("nma_bind", "nma_cumulative", "nma_subgroup")) {
    expect_s3_class(autoplot(cols[[cl]]), "ggplot")
  }
})

test_that("the estimates of a collection of parts are one table with the part's columns first", {
  cols <- collections()
  lead <- list(nma_bind = "fit", nma_cumulative = c("step", "order_value", "studies_added", "k"),
               nma_subgroup = c("subgroup", "k"))
  tail_cols <- c("term", "treat1", "treat2", "model", "estimate", "std.error", "conf.low",
                 "conf.high", "statistic", "p.value", "pred.low", "pred.high", "status")
  for (cl in names(lead)) {
    x <- cols[[cl]]
    t <- tidy(x)
    expect_identical(names(t), c(lead[[cl]], tail_cols), info = cl)
    expect_identical(nrow(t), length(x$parts) * (length(x$treatments) - 1L), info = cl)
    # each part's rows are that part's fit
    p <- x$parts[[length(x$parts)]]
    last <- t[t[[lead[[cl]][1]]] == t[[lead[[cl]][1]]][nrow(t)] & t$status == "estimated", ]
    ref <- tidy(p$fit)
    expect_equal(last$estimate, ref$estimate[match(last$term, ref$term)], info = cl)
    tc <- tidy(x, model = "common", comparisons = "all", conf.int = FALSE)
    expect_false(any(c("conf.low", "pred.low") %in% names(tc)), info = cl)
    expect_identical(unique(tc$model), "common", info = cl)
    expect_error(tidy(x, model = "fixed"), class = "fastnma_error_choice")
    expect_error(tidy(x, exponentiate = TRUE), class = "fastnma_error_exponentiate")
  }
})

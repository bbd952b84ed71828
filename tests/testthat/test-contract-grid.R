# Every verb on every class of fit returns a result or stops with a classed
# fastnma error, never another error (capability gates, issue 10).

quiet <- function(x) suppressWarnings(suppressMessages(x))

grid_fits <- function() {
  by_data <- rbind(cbind(dong2013, outcome = "death"),
                   cbind(transform(dong2013, events = pmin(n, events * 2 + 1)),
                         outcome = "any AE"))
  list(
    common_iv = quiet(nma(arm_contrasts(dong2013, study, treatment, events = events,
                                        n = n, measure = "OR"), tau2_method = "DL")),
    random_reml = nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD"),
    random_dl = nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                    tau2_method = "DL"),
    mh_or = quiet(nma_binary(dong2013, measure = "OR", method = "MH")),
    mh_rr = quiet(nma_binary(dong2013, measure = "RR", method = "MH")),
    nch = quiet(nma_binary(dong2013, method = "NCH")),
    binary_iv = quiet(nma_binary(smokingcessation, measure = "RR", method = "IV")),
    glmm = quiet(nma_binary(smokingcessation, method = "GLMM", n_agq = 1)),
    by_outcome = quiet(nma_binary(by_data, measure = "OR", by = outcome)),
    by_batch = nma(rbind(cbind(senn2013, copy = 1), cbind(senn2013, copy = 2)),
                   TE, seTE, treat1, treat2, study, by = copy)
  )
}

build <- function(p) {
  stopifnot(inherits(p, "ggplot"))
  ggplot2::ggplot_build(p)
}

grid_verbs <- list(
  print = function(f) utils::capture.output(print(f)),
  summary = function(f) utils::capture.output(print(summary(f))),
  tidy = function(f) tidy(f),
  glance = function(f) glance(f),
  coef = function(f) coef(f),
  vcov = function(f) vcov(f),
  confint = function(f) confint(f),
  autoplot_forest = function(f) build(autoplot(f)),
  autoplot_forest_pscore = function(f) build(autoplot(f, ranking = "pscore")),
  autoplot_network = function(f) build(autoplot(f, type = "network")),
  autoplot_funnel = function(f) build(autoplot(f, type = "funnel")),
  autoplot_netheat = function(f) build(autoplot(f, type = "netheat")),
  rank_pscore = function(f) rank_treatments(f),
  rank_sucra = function(f) rank_treatments(f, method = "sucra", n_sim = 500, seed = 1),
  league_table = function(f) utils::capture.output(print(league_table(f))),
  node_split_back = function(f) node_split(f),
  node_split_separate = function(f) node_split(f, method = "separate"),
  inconsistency = function(f) inconsistency(f),
  leave_one_out = function(f) leave_one_out(f),
  contributions = function(f) contributions(f),
  direct_estimates = function(f) direct_estimates(f),
  absolute_effects = function(f) absolute_effects(f, baseline_risk = 0.1),
  benefit_harm = function(f) benefit_harm(f, f),
  confidence = function(f) {
    st <- if (inherits(f, "nma_batch")) f[[1]]$studies else f$studies
    confidence(f, stats::setNames(rep("low", length(st)), st), margin = 0.2)
  },
  cumulative_nma = function(f) {
    cum <- cumulative_nma(f, stats::setNames(seq_along(f$studies) %/% 3, f$studies))
    list(tidy(cum), glance(cum), utils::capture.output(print(cum)), build(autoplot(cum)))
  },
  subgroup_nma = function(f) {
    sg <- subgroup_nma(f, stats::setNames(rep(c("a", "b"), length.out = length(f$studies)),
                                          f$studies))
    list(tidy(sg), tidy(sg, type = "test"), glance(sg), utils::capture.output(print(sg)),
         build(autoplot(sg)))
  },
  nma_bind = function(f) {
    b <- nma_bind(a = f, b = f)
    list(tidy(b), glance(b), utils::capture.output(print(b)), build(autoplot(b)))
  },
  export_table = function(f) {
    path <- tempfile(fileext = ".csv")
    on.exit(unlink(path))
    export_table(f, path)
  },
  component_nma = function(f) {
    component_nma(f, inactive = if (inherits(f, "nma_batch")) f[[1]]$reference else f$reference)
  },
  threshold = function(f) {
    th <- threshold(f)
    list(tidy(th), glance(th), utils::capture.output(print(th)), build(autoplot(th)),
         tidy(threshold(f, level = "contrast")))
  },
  outliers = function(f) {
    o <- outliers(f)
    list(tidy(o), glance(o), utils::capture.output(print(o)), build(autoplot(o)))
  },
  forward_search = function(f) {
    fs <- forward_search(f, n_candidates = 5, seed = 1)
    list(tidy(fs), glance(fs), utils::capture.output(print(fs)), build(autoplot(fs)),
         build(autoplot(fs, type = "estimates")))
  }
)

run_cell <- function(verb, fit) {
  tryCatch({
    out <- quiet(verb(fit))
    if (is.null(out)) "NULL" else "ok"
  },
  fastnma_error = function(e) sub("^fastnma_error_", "", class(e)[1]),
  error = function(e) paste("OTHER ERROR:", conditionMessage(e)))
}

test_that("every verb x fit class gives a result or a classed fastnma error", {
  fits <- grid_fits()
  expect_identical(fits$common_iv$tau2, 0)
  expect_gt(fits$random_reml$tau2, 0)
  got <- vapply(fits, function(f) vapply(grid_verbs, run_cell, character(1), fit = f),
                character(length(grid_verbs)))

  # No cell may end in anything but a result or a classed fastnma error.
  bad <- grepl("^OTHER ERROR|^NULL$", got)
  cells <- paste(rownames(got)[row(got)], colnames(got)[col(got)], got)
  expect_identical(cells[bad], character())

  # And each cell is the one intended.
  want <- got
  want[] <- "ok"
  study_level <- c("autoplot_netheat", "node_split_back", "node_split_separate",
                   "inconsistency", "leave_one_out", "contributions", "direct_estimates",
                   "confidence")
  want[study_level, c("mh_or", "mh_rr", "glmm", "nch")] <- "not_supported"
  want[setdiff(names(grid_verbs), c("print", "summary", "tidy", "glance", "export_table")),
       c("by_outcome", "by_batch")] <- "by_outcome"
  # a collection made by nma(by = ) takes the verbs of a simulation study
  # (R/verb-batch.R), each giving one table keyed by the batch id
  want[c("rank_pscore", "rank_sucra", "league_table", "node_split_back", "node_split_separate",
         "inconsistency", "leave_one_out", "contributions", "direct_estimates", "confidence",
         "component_nma"), "by_batch"] <- "ok"
  want["absolute_effects", c("random_reml", "random_dl")] <- "measure"
  # re-fits of study subsets need study-level contrasts; binding takes any fit
  # or collection
  want[c("cumulative_nma", "subgroup_nma"), c("mh_or", "mh_rr", "glmm", "nch")] <- "not_supported"
  want["nma_bind", c("by_outcome", "by_batch")] <- "ok"
  want["component_nma", c("mh_or", "mh_rr", "glmm", "nch")] <- "not_supported"
  # threshold analysis and outlier detection move study-level contrasts
  want[c("threshold", "outliers", "forward_search"), c("mh_or", "mh_rr", "glmm", "nch")] <- "not_supported"
  expect_identical(got, want)
  # the grid: 32 verbs x 10 classes
  expect_identical(dim(got), c(32L, 10L))
})

test_that("fits carry their capabilities from the one constructor", {
  fits <- grid_fits()
  for (f in fits[c("common_iv", "random_reml", "random_dl", "binary_iv")]) {
    expect_identical(f$capabilities$models, c("random", "common"))
    expect_true(f$capabilities$study_contrasts)
    expect_identical(f$method, "IV")
  }
  mh <- fits$mh_or
  expect_identical(mh$capabilities$models, "common")
  expect_false(mh$capabilities$study_contrasts)
  expect_identical(mh$method, "MH")
})

test_that("capability errors say why and what to do instead, before any core call", {
  mh <- quiet(nma_binary(dong2013, measure = "OR"))
  for (verb in list(node_split, leave_one_out, inconsistency, contributions,
                    direct_estimates)) {
    err <- expect_error(verb(mh), class = "fastnma_error_not_supported")
    expect_match(conditionMessage(err), "Mantel-Haenszel")
    expect_match(conditionMessage(err), "method = \"IV\"", fixed = TRUE)
  }
  expect_error(autoplot(mh, type = "netheat"), class = "fastnma_error_not_supported")
  # a model the fit does not have
  for (verb in list(rank_treatments, league_table, coef, vcov, confint)) {
    expect_error(verb(mh, model = "random"), class = "fastnma_error_model")
  }
  expect_error(autoplot(mh, model = "random"), class = "fastnma_error_model")
  by <- quiet(nma_binary(rbind(cbind(dong2013, o = "a"), cbind(dong2013, o = "b")),
                         measure = "OR", by = o))
  err <- expect_error(node_split(by), class = "fastnma_error_by_outcome")
  expect_match(conditionMessage(err), "fit[[\"a\"]]", fixed = TRUE)
})

test_that("rankings and league tables of an MH fit use and name the common MH model", {
  mh <- quiet(nma_binary(dong2013, measure = "OR"))
  r <- rank_treatments(mh)
  expect_identical(attr(r, "model"), "common")
  expect_output(print(r), "common effect (Mantel-Haenszel) model", fixed = TRUE)
  expect_equal(r$pscore,
               unname(fastnma:::pscores(mh, "common")[r$treatment]))
  expect_no_match <- function(x, pattern) expect_false(any(grepl(pattern, x)))
  expect_no_match(utils::capture.output(print(r)), "random")
  lt <- league_table(mh)
  expect_identical(attr(lt, "model"), "common")
  out <- utils::capture.output(print(lt))
  expect_true(any(grepl("network estimate, common effect (Mantel-Haenszel), of", out, fixed = TRUE)))
  expect_true(any(grepl("pairwise meta-analysis, Mantel-Haenszel", out, fixed = TRUE)))
  expect_no_match(out, "random")
  # lower triangle: the MH network estimates
  td <- tidy(mh, comparisons = "all")
  key <- paste(lt$treat1, lt$treat2)
  expect_equal(lt$estimate[match(paste(td$treat1, td$treat2), key)], td$estimate)
  # upper triangle: the MH pairwise estimates of the arms the fit used
  up <- attr(lt, "upper")
  pw <- pairwise_binary(mh$arm_data, measure = "OR")
  both <- merge(up, pw, by = c("treat1", "treat2"), suffixes = c("", ".pw"))
  expect_identical(nrow(both), nrow(pw))
  expect_equal(both$estimate, both$estimate.pw)
  expect_equal(both$std.error, both$std.error.pw)
  # the forest names the model
  p <- autoplot(mh)
  expect_identical(p$labels$subtitle, "Common-effect model (Mantel-Haenszel)")
})

test_that("nma_regression() gives a result or a classed error on every fit class", {
  fits <- grid_fits()
  by_study <- function(f) {
    st <- if (inherits(f, "nma_batch")) f[[1]]$studies else f$studies %||% names(f)
    stats::setNames(seq_along(st) %% 3, st)
  }
  verbs <- list(
    nma_regression = function(f) nma_regression(f, by_study(f)),
    tidy = function(f) tidy(nma_regression(f, by_study(f))),
    glance = function(f) glance(nma_regression(f, by_study(f))),
    autoplot = function(f) build(autoplot(nma_regression(f, by_study(f))))
  )
  one_fit <- setdiff(names(fits), "by_batch")
  got <- vapply(fits[one_fit], function(f) vapply(verbs, run_cell, character(1), fit = f),
                character(length(verbs)))
  want <- got
  want[] <- "ok"
  want[, c("mh_or", "mh_rr", "glmm", "nch")] <- "not_supported"
  want[, "by_outcome"] <- "by_outcome"
  expect_identical(got, want)
  # a collection made by nma(by = ) gives the tidy table of the regression
  # of every network (R/verb-batch.R)
  b <- fits$by_batch
  expect_identical(run_cell(verbs$nma_regression, b), "ok")
  reg <- quiet(nma_regression(b, by_study(b)))
  expect_identical(names(reg)[1], "copy")
  expect_identical(nrow(batch_errors(reg)), 0L)
  attr(reg, "errors") <- NULL
  expect_identical(as.data.frame(reg[reg$copy == 1, -1]),
                   as.data.frame(tidy(quiet(nma_regression(b[[1]], by_study(b))))))
})

test_that("a dose-response fit answers every verb with a result or a classed error", {
  fit <- dose_nma(simulate_dose_nma(seed = 1, n_studies = 30))
  got <- vapply(grid_verbs, run_cell, character(1), fit = fit)
  want <- stats::setNames(rep("not_fit", length(grid_verbs)), names(grid_verbs))
  # its own methods, and the generic ones that use coef() and vcov()
  want[c("print", "summary", "tidy", "glance", "coef", "vcov", "confint", "autoplot_forest",
         "export_table")] <- "ok"
  # the forest's arguments of an nma fit are not those of the dose-response figure
  want[c("autoplot_forest_pscore", "autoplot_network", "autoplot_funnel",
         "autoplot_netheat")] <- "unknown_argument"
  want["nma_bind"] <- "bind"
  expect_identical(got, want)
  # and the verbs of its own class
  dose_verbs <- list(
    tidy_pairs = function(f) tidy(f, type = "pairs"),
    predict = function(f) predict(f, agent = "A", dose = 2),
    autoplot_prediction = function(f) build(autoplot(f, prediction = TRUE, model = "common"))
  )
  got <- vapply(dose_verbs, run_cell, character(1), fit = fit)
  expect_identical(unname(got), rep("ok", 3))
})

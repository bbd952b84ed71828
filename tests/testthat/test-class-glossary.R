# One vocabulary: every column of every tidy() and glance() output is in the
# glossary (inst/glossary.csv), and tidy() outputs whose rows are
# comparisons have broom's columns.

glossary_fits <- function() {
  list(
    iv_md = nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                reference = "plac", tau2_method = "DL"),
    iv_common_hk = nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                       ci_method = "hk"),
    iv_or = suppressMessages(nma_binary(smokingcessation, measure = "OR", method = "IV")),
    iv_rd = suppressMessages(nma_binary(smokingcessation, measure = "RD", method = "IV")),
    mh_or = suppressMessages(nma_binary(dong2013, measure = "OR", reference = "Placebo")),
    mh_rr = suppressMessages(nma_binary(dong2013, measure = "RR", reference = "Placebo")),
    glmm = suppressMessages(nma_binary(smokingcessation, method = "GLMM", n_agq = 1))
  )
}

# Every result of every verb that applies to a fit, with the tidy() and
# glance() outputs (and the variants of their arguments).
glossary_outputs <- function(fit, name) {
  out <- list()
  add <- function(label, expr) {
    val <- tryCatch(expr, fastnma_error = function(e) NULL)
    if (!is.null(val)) out[[paste(name, label)]] <<- val
  }
  mh <- inherits(fit, c("nma_mh", "nma_glmm"))
  models <- if (inherits(fit, "nma_mh")) "common" else c("common", "random")
  for (model in models) {
    add(paste("tidy", model), tidy(fit, model = model))
    add(paste("tidy all", model), tidy(fit, model = model, comparisons = "all"))
  }
  add("glance", glance(fit))
  add("tidy league", tidy(league_table(fit)))
  add("tidy ranks", tidy(rank_treatments(fit, model = models[1])))
  add("tidy ranks sucra", tidy(rank_treatments(fit, method = "sucra", model = models[1],
                                               n_sim = 200, seed = 1)))
  add("tidy rank probabilities",
      tidy(rank_treatments(fit, method = "sucra", model = models[1], n_sim = 200, seed = 1),
           probabilities = TRUE))
  if (!mh) {
    for (model in models) {
      add(paste("tidy node_split", model), tidy(node_split(fit, model = model)))
      add(paste("tidy node_split separate", model),
          tidy(node_split(fit, model = model, method = "separate", comparisons = "all")))
      add(paste("tidy direct", model), tidy(direct_estimates(fit, model = model)))
    }
    cb <- contributions(fit, study = TRUE)
    add("tidy contributions", tidy(cb))
    add("tidy contributions study", tidy(cb, study = TRUE))
    loo <- leave_one_out(fit)
    add("tidy leave_one_out", tidy(loo))
    add("glance leave_one_out", glance(loo))
    th <- threshold(fit)
    add("tidy threshold", tidy(th))
    add("glance threshold", glance(th))
    add("tidy threshold contrast", tidy(threshold(fit, level = "contrast")))
    out_m <- outliers(fit)
    add("tidy outliers", tidy(out_m))
    add("glance outliers", glance(out_m))
    fs <- forward_search(fit, n_candidates = 5, seed = 1)
    add("tidy forward_search", tidy(fs))
    add("glance forward_search", glance(fs))
    inc <- inconsistency(fit)
    add("tidy inconsistency", tidy(inc))
    add("glance inconsistency", glance(inc))
    rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
                           fit$studies)
    cf <- confidence(fit, rob, margin = 0.2, reporting_bias = "egger")
    add("tidy confidence", tidy(cf))
    add("glance confidence", glance(cf))
    halves <- stats::setNames(rep(c("a", "b"), length.out = fit$k), fit$studies)
    cum <- suppressMessages(cumulative_nma(fit, stats::setNames(seq_len(fit$k) %/% 4,
                                                                fit$studies)))
    add("tidy cumulative", tidy(cum))
    add("tidy cumulative common all", tidy(cum, model = "common", comparisons = "all"))
    add("glance cumulative", glance(cum))
    sg <- suppressMessages(subgroup_nma(fit, halves))
    add("tidy subgroup", tidy(sg))
    add("glance subgroup", glance(sg))
  }
  bind <- nma_bind(a = fit, b = fit)
  add("tidy bind", tidy(bind))
  add("glance bind", glance(bind))
  if (fit$measure %in% c("OR", "RR", "RD")) {
    add("tidy absolute", tidy(absolute_effects(fit, c(low = 0.02, high = 0.1))))
  }
  out
}

test_that("fastnma_glossary() reads one table of unique column names", {
  g <- fastnma_glossary()
  expect_s3_class(g, "tbl_df")
  expect_named(g, c("column", "meaning"))
  expect_equal(anyDuplicated(g$column), 0L)
  expect_true(all(nzchar(g$meaning)))
  expect_identical(fastnma_glossary(c("term", "I2_lower"))$column, c("term", "I2_lower"))
  expect_error(fastnma_glossary("I2.low"), class = "fastnma_error_glossary")
  # broom's names and the names fixed by the API contract are all there
  fixed <- c("term", "treat1", "treat2", "estimate", "std.error", "conf.low", "conf.high",
             "statistic", "p.value", "pred.low", "pred.high", "k", "m", "n_treatments",
             "n_designs", "tau2", "tau", "I2", "Q", "df", "Q_within", "Q_between",
             "prop_direct", "direct", "direct_se", "indirect", "indirect_se", "diff",
             "diff_se", "model")
  expect_true(all(fixed %in% g$column))
})

test_that("every tidy() and glance() column is in the glossary", {
  g <- fastnma_glossary()
  fits <- glossary_fits()
  outputs <- list()
  for (nm in names(fits)) outputs <- c(outputs, glossary_outputs(fits[[nm]], nm))
  eff <- fits$iv_or
  harm <- suppressMessages(nma_binary(smokingcessation, measure = "OR"))
  outputs[["benefit_harm"]] <- tidy(benefit_harm(eff, harm))
  by <- suppressMessages(nma_binary(rbind(cbind(dong2013, outcome = "a"),
                                          cbind(dong2013, outcome = "b")),
                                    measure = "OR", by = outcome, reference = "Placebo"))
  outputs[["by tidy"]] <- tidy(by)
  outputs[["by glance"]] <- glance(by)
  # tables of collections that are not comparison rows
  md <- fits$iv_md
  halves <- stats::setNames(rep(c("a", "b"), length.out = md$k), md$studies)
  outputs[["cumulative steps"]] <- tidy(cumulative_nma(md, stats::setNames(seq_len(md$k),
                                                                          md$studies)),
                                        type = "steps")
  outputs[["subgroup test"]] <- tidy(subgroup_nma(md, halves), type = "test")
  batch <- nma(rbind(cbind(senn2013, outcome = "a"), cbind(senn2013, outcome = "b")),
               TE, seTE, treat1, treat2, study, by = outcome,
               batch = batch_control(rank = "sucra", n_sim = 100, seed = 1))
  outputs[["batch tidy"]] <- tidy(batch)
  outputs[["batch tidy all common"]] <- tidy(batch, model = "common", comparisons = "all")
  outputs[["batch tidy ranks"]] <- tidy(batch, ranks = TRUE)
  outputs[["batch glance"]] <- glance(batch)
  cnma <- component_nma(fits$iv_md, inactive = "plac")
  outputs[["component tidy"]] <- tidy(cnma)
  outputs[["component tidy combinations"]] <- tidy(cnma, type = "combinations")
  outputs[["component tidy comparisons"]] <- tidy(cnma, type = "comparisons", model = "common")
  outputs[["component glance"]] <- glance(cnma)
  dose <- dose_nma(simulate_dose_nma(seed = 4, n_studies = 40), method = "emax")
  for (type in c("coefficients", "reference", "pairs")) {
    outputs[[paste("dose tidy", type)]] <- tidy(dose, type = type)
  }
  outputs[["dose glance"]] <- glance(dose)
  outputs[["dose glance common"]] <- glance(dose, model = "common")
  outputs[["dose predict"]] <- predict(dose, agent = "A", dose = 1:3)
  # every verb ran on the fits it applies to
  expect_gt(length(outputs), 60L)
  for (nm in names(outputs)) {
    x <- outputs[[nm]]
    expect_s3_class(x, "tbl_df")
    missing <- setdiff(names(x), g$column)
    expect_identical(missing, character(), info = nm)
    # style: broom's dotted names or snake_case, nothing else
    odd <- setdiff(names(x), c("std.error", "conf.low", "conf.high", "p.value",
                               "pred.low", "pred.high"))
    expect_false(any(grepl(".", odd, fixed = TRUE)), info = nm)
  }
})

test_that("tidy() of comparisons has broom's columns; glance() is one row", {
  fits <- glossary_fits()
  broom_cols <- c("term", "estimate", "std.error", "conf.low", "conf.high", "p.value")
  n_tidy <- 0L
  n_glance <- 0L
  for (nm in names(fits)) {
    outputs <- glossary_outputs(fits[[nm]], nm)
    for (o in names(outputs)) {
      x <- outputs[[o]]
      if (grepl("glance", o, fixed = TRUE)) {
        expect_equal(nrow(x), 1L, info = o)
        n_glance <- n_glance + 1L
      } else if (all(c("treat1", "treat2") %in% names(x)) && !grepl("contributions", o)) {
        expect_true(all(broom_cols %in% names(x)), info = o)
        expect_identical(x$term, paste(x$treat1, "vs", x$treat2), info = o)
        n_tidy <- n_tidy + 1L
      }
    }
  }
  expect_gt(n_tidy, 30L)
  expect_gt(n_glance, 10L)
})

test_that("tidy() honours conf.int, conf.level and exponentiate", {
  fits <- glossary_fits()
  md <- fits$iv_md
  or <- fits$iv_or
  mh <- fits$mh_or
  for (x in list(md, mh, node_split(md), direct_estimates(md), league_table(md),
                 leave_one_out(md), absolute_effects(mh, 0.05))) {
    full <- tidy(x)
    short <- tidy(x, conf.int = FALSE)
    expect_true(all(c("conf.low", "conf.high") %in% names(full)))
    expect_identical(names(short), setdiff(names(full), c("conf.low", "conf.high")))
    expect_error(tidy(x, conf.int = "yes"), class = "fastnma_error_conf_int")
  }
  # conf.level
  for (x in list(md, mh, node_split(md), leave_one_out(md))) {
    a <- tidy(x)
    b <- tidy(x, conf.level = 0.8)
    ok <- is.finite(a$std.error) & a$std.error > 0
    expect_true(all((b$conf.high - b$conf.low)[ok] < (a$conf.high - a$conf.low)[ok]))
  }
  # exponentiate: ratio scale for ratio measures, an error for differences
  a <- tidy(or)
  b <- tidy(or, exponentiate = TRUE)
  expect_equal(b$estimate, exp(a$estimate))
  expect_equal(b$conf.low, exp(a$conf.low))
  expect_equal(b$std.error, a$std.error)
  expect_equal(tidy(mh, exponentiate = TRUE)$estimate, exp(tidy(mh)$estimate))
  expect_equal(tidy(node_split(or), exponentiate = TRUE)$estimate,
               exp(tidy(node_split(or))$estimate))
  for (x in list(md, fits$iv_rd, node_split(md), leave_one_out(md))) {
    expect_error(tidy(x, exponentiate = TRUE), class = "fastnma_error_exponentiate")
  }
  expect_error(direct_estimates(md, exponentiate = TRUE), class = "fastnma_error_exponentiate")
  expect_error(league_table(md, exponentiate = TRUE), class = "fastnma_error_exponentiate")
  expect_error(tidy(absolute_effects(fits$iv_rd, 0.1), exponentiate = TRUE),
               class = "fastnma_error_exponentiate")
})

test_that("every column of every table follows the grammar and is in the glossary", {
  outputs <- glossary_labelled_outputs()
  g <- fastnma_glossary(used_by = TRUE)
  expect_named(g, c("column", "meaning", "used_by"))
  for (o in outputs) {
    cols <- names(o$value)
    expect_identical(column_grammar_violations(cols), character(), info = o$label)
    expect_identical(setdiff(cols, g$column), character(), info = o$label)
  }
  expect_identical(column_grammar_violations(g$column), character())
  # the grammar finds the names it forbids
  expect_identical(column_grammar_violations(c("p_diff", "p_value_diff", "p.value", "p_best",
                                               "equivalence_low", "risk_lower", "conf.low",
                                               "se_slope", "slope_se", "df_Q", "df_within",
                                               "n_low", "I2.low")),
                   c("p_diff", "equivalence_low", "se_slope", "df_Q", "I2.low"))
})

test_that("the glossary says which tables use each column", {
  g <- fastnma_glossary(used_by = TRUE)
  used <- glossary_used_by()
  # every column of a table is listed with exactly the tables that have it
  expect_identical(unname(g$used_by[match(names(used), g$column)]), unname(used))
  # and every glossary column is used by some table
  expect_true(all(nzchar(g$used_by)))
  expect_identical(fastnma_glossary("p_value_diff", used_by = TRUE)$used_by,
                   "glance(<nma_component>)")
})

test_that("renamed columns still read by their old names, with a deprecation warning", {
  cnma <- component_nma(nma(senn2013, TE, seTE, treat1, treat2, study), inactive = "plac")
  gl <- glance(cnma)
  expect_s3_class(gl, "tbl_df")
  expect_false("p_additive" %in% names(gl))
  rlang::reset_warning_verbosity("fastnma_renamed_p_additive")
  expect_warning(old <- gl$p_additive, class = "fastnma_warning_deprecated")
  expect_identical(old, gl$p_value_additive)
  # once per session
  expect_no_warning(gl$p_additive)
  expect_identical(suppressWarnings(gl[["p_diff"]]), gl$p_value_diff)
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study)
  cf <- glance(confidence(fit, stats::setNames(rep("low", fit$k), fit$studies), margin = 0.3))
  expect_identical(suppressWarnings(c(cf$equivalence_low, cf$equivalence_high)), c(-0.3, 0.3))
  expect_identical(c(cf$equivalence_lower, cf$equivalence_upper), c(-0.3, 0.3))
  pw <- suppressMessages(pairwise_binary(dong2013, measure = "OR"))
  expect_identical(suppressWarnings(pw$df_Q), pw$df)
  # an unknown name is still unknown
  expect_null(suppressWarnings(pw$no_such_column))
})

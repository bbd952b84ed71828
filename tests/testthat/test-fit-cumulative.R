# cumulative_nma(): every step is nma() on the studies so far; the last step
# is the full fit; incomplete steps are reported, not dropped.

senn_year <- function() {
  st <- unique(senn2013$study)
  stats::setNames(as.integer(regmatches(st, regexpr("[0-9]{4}", st))), st)
}

# tidy() rows of one step, matched to the rows of a direct fit.
step_rows <- function(cum, step, model, ref_fit) {
  a <- tidy(cum, model = model, comparisons = "all")
  a <- a[a$step == step, ]
  b <- tidy(ref_fit, model = model, comparisons = "all")
  key_a <- paste(a$treat1, a$treat2)
  flip <- !paste(b$treat1, b$treat2) %in% key_a
  est <- ifelse(flip, -b$estimate, b$estimate)
  i <- match(ifelse(flip, paste(b$treat2, b$treat1), paste(b$treat1, b$treat2)), key_a)
  list(ours = a[i, ], est = est, se = b$std.error, others = a[-i, ])
}

expect_step_equals_nma <- function(cum, step, direct) {
  for (model in c("common", "random")) {
    r <- step_rows(cum, step, model, direct)
    expect_rel(r$ours$estimate, r$est)
    expect_rel(r$ours$std.error, r$se)
    expect_true(all(r$ours$status == "estimated"))
    # comparisons the direct fit does not have are missing, with a reason
    expect_true(all(is.na(r$others$estimate)))
    expect_true(all(r$others$status %in% c("not in network", "disconnected")))
  }
  s <- cum$steps[step, ]
  expect_rel(s$tau2, direct$tau2, floor = 1e-12)
  expect_rel(s$Q, direct$Q, floor = 1e-8)
  expect_identical(as.integer(s$df), as.integer(direct$df))
}

test_that("every step equals nma() on that subset; the last step is the full fit", {
  year <- senn_year()
  for (method in c("REML", "DL")) {
    fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac",
               tau2_method = method)
    cum <- cumulative_nma(fit, year)
    expect_s3_class(cum, "nma_cumulative")
    values <- sort(unique(year))
    expect_identical(cum$steps$order_value, values)
    expect_identical(cum$steps$k, vapply(values, function(v) sum(year <= v), integer(1)))
    for (s in seq_along(values)) {
      sub <- senn2013[senn2013$study %in% names(year)[year <= values[s]], ]
      direct <- suppressMessages(nma(sub, TE, seTE, treat1, treat2, study,
                                     reference = "plac", tau2_method = method))
      expect_step_equals_nma(cum, s, direct)
    }
    last <- tidy(cum)
    last <- last[last$step == max(last$step), ]
    full <- tidy(fit)
    cols <- setdiff(names(full), "model")
    expect_equal(as.data.frame(last[cols]), as.data.frame(full[cols]), tolerance = 1e-10)
    last_common <- tidy(cum, model = "common")
    last_common <- last_common[last_common$step == max(last_common$step), ]
    expect_equal(last_common$estimate, tidy(fit, model = "common")$estimate,
                 tolerance = 1e-10)
    expect_equal(last_common$std.error, tidy(fit, model = "common")$std.error,
                 tolerance = 1e-10)
  }
})

test_that("studies with the same order value enter together, in order", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  year <- senn_year()
  cum <- cumulative_nma(fit, year)
  s <- cum$steps
  added <- strsplit(s$studies_added, ", ", fixed = TRUE)
  expect_setequal(unlist(added), names(year))
  for (i in seq_len(nrow(s))) {
    expect_true(all(year[added[[i]]] == s$order_value[i]))
  }
  # character and factor orders: sorted strings, factor levels in order
  lab <- stats::setNames(ifelse(year < 2003, "b-early", "a-late"), names(year))
  expect_identical(cumulative_nma(fit, lab)$steps$order_value, c("a-late", "b-early"))
  fac <- factor(lab, levels = c("b-early", "a-late"))
  names(fac) <- names(lab)
  cf <- cumulative_nma(fit, fac)
  expect_identical(as.character(cf$steps$order_value), c("b-early", "a-late"))
  expect_identical(cf$steps$k, c(sum(year < 2003), length(year)))
})

test_that("the order can be a column of the fit's data or of `data`", {
  d <- senn2013
  d$year <- as.integer(regmatches(d$study, regexpr("[0-9]{4}", d$study)))
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  a <- cumulative_nma(fit, year)
  b <- cumulative_nma(fit, "year", data = d)
  c2 <- cumulative_nma(fit, senn_year())
  expect_identical(tidy(a), tidy(b))
  expect_identical(tidy(a), tidy(c2))
  expect_identical(a$order_name, "year")
  # a column that differs within a study is refused, naming the study
  bad <- d
  bad$year[bad$study == "Willms1999"][1] <- 2000L
  err <- expect_error(cumulative_nma(fit, year, data = bad),
                      class = "fastnma_error_study_values")
  expect_match(conditionMessage(err), "Willms1999")
  # missing values are refused, never dropped
  bad <- d
  bad$year[bad$study == "Kim2007"] <- NA
  err <- expect_error(cumulative_nma(fit, year, data = bad),
                      class = "fastnma_error_study_values")
  expect_match(conditionMessage(err), "Kim2007")
  # a vector must name every study once
  y <- senn_year()
  expect_error(cumulative_nma(fit, y[-1]), class = "fastnma_error_study_values")
  expect_error(cumulative_nma(fit, c(y, nope = 1L)), class = "fastnma_error_study_values")
  expect_error(cumulative_nma(fit, unname(y)), class = "fastnma_error_study_values")
  expect_error(cumulative_nma(fit), class = "fastnma_error_missing_argument")
  expect_error(cumulative_nma(fit, no_such_column, data = d), class = "fastnma_error_column")
  expect_error(cumulative_nma(fit, y, foo = 1), class = "fastnma_error_unknown_argument")
})

# A network whose first studies form separate parts and lack the reference.
parted <- function() {
  data.frame(
    study = c("s1", "s2", "s3", "s4", "s5", "s5", "s5"),
    treat1 = c("C", "B", "C", "D", "B", "B", "C"),
    treat2 = c("D", "A", "B", "A", "A", "C", "A"),
    estimate = c(0.3, 0.5, 0.2, 0.9, 0.4, -0.1, 0.5),
    std.error = c(0.2, 0.25, 0.3, 0.2, 0.2, 0.25, 0.22))
}

test_that("steps without the reference or with separate parts are fitted and reported", {
  d <- parted()
  fit <- nma(d, reference = "A", tau2_method = "DL", measure = "MD")
  ord <- c(s1 = 1, s2 = 2, s3 = 3, s4 = 4, s5 = 5)
  cum <- suppressMessages(cumulative_nma(fit, ord))
  s <- cum$steps
  # step 1: only C vs D, the reference has no study: fitted with reference C
  expect_identical(s$k_fitted[1], 1L)
  expect_match(s$note[1], "reference A has no study yet")
  t1 <- tidy(cum, comparisons = "all")
  st1 <- t1[t1$step == 1, ]
  expect_true(all(is.na(st1$estimate[st1$treat2 == "A"])))
  expect_true(all(st1$status[st1$treat2 == "A"] == "not in network"))
  dc <- st1[st1$treat1 == "D" & st1$treat2 == "C", ]
  expect_equal(dc$estimate, -0.3)
  expect_equal(dc$std.error, 0.2)
  # step 2: A-B and C-D are separate parts: the part with A is fitted, s1 set aside
  expect_false(s$connected[2])
  expect_identical(s$set_aside[2], "s1")
  expect_identical(s$k_fitted[2], 1L)
  st2 <- t1[t1$step == 2, ]
  expect_identical(st2$status[st2$treat1 == "C" & st2$treat2 == "A"], "disconnected")
  expect_identical(st2$status[st2$treat1 == "D" & st2$treat2 == "C"], "disconnected")
  expect_error(nma(d[d$study %in% c("s1", "s2"), ], reference = "A"),
               class = "fastnma_error_disconnected")
  direct2 <- suppressMessages(nma(d[d$study == "s2", ], reference = "A", tau2_method = "DL"))
  expect_step_equals_nma(cum, 2, direct2)
  # from step 3 on the network is connected and complete
  expect_true(all(s$connected[3:5]))
  expect_identical(glance(cum)$first_complete_step, 3L)
  expect_identical(glance(cum)$n_incomplete_steps, 2L)
  for (i in 3:5) {
    direct <- suppressMessages(nma(d[d$study %in% names(ord)[ord <= i], ], reference = "A",
                                   tau2_method = "DL"))
    expect_step_equals_nma(cum, i, direct)
  }
  # tau^2 is not identifiable while Q has no degrees of freedom: recorded once
  expect_identical(s$tau2_identifiable, s$df > 0)
  expect_no_message(cumulative_nma(fit, ord))
  # the print says which steps are incomplete
  expect_output(print(cum), "steps with notes")
})

test_that("the fit's settings carry into every step", {
  year <- senn_year()
  sub_of <- function(v) senn2013[senn2013$study %in% names(year)[year <= v], ]
  # a preset tau^2 stays at every step
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2 = 0.05, level = 0.9)
  cum <- cumulative_nma(fit, year)
  expect_true(all(cum$steps$tau2 == 0.05))
  direct <- nma(sub_of(2003), TE, seTE, treat1, treat2, study, tau2 = 0.05, level = 0.9)
  r <- step_rows(cum, 9, "random", direct)
  expect_identical(cum$steps$order_value[9], 2003L)
  expect_rel(r$ours$estimate, r$est)
  tr <- tidy(cum)
  td <- tidy(direct)
  i <- match(td$term, tr$term[tr$step == 9])
  expect_rel(tr$conf.low[tr$step == 9][i], td$conf.low)
  expect_rel(tr$pred.high[tr$step == 9][i], td$pred.high)
  # Hartung-Knapp: steps whose Q has no degrees of freedom have no intervals
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, ci_method = "hk", tau2_method = "ML")
  cum <- cumulative_nma(fit, year)
  s <- cum$steps
  zero <- s$df == 0
  expect_true(any(zero))
  expect_true(all(grepl("Hartung-Knapp", s$note[zero])))
  tr <- tidy(cum)
  expect_true(all(is.na(tr$conf.low[tr$step %in% s$step[zero]])))
  expect_true(all(is.na(tr$std.error[tr$step %in% s$step[zero]])))
  expect_false(anyNA(tr$estimate[tr$step %in% s$step[zero] & tr$status == "estimated"]))
  k <- which(!zero)[2]
  direct <- nma(sub_of(s$order_value[k]), TE, seTE, treat1, treat2, study,
                ci_method = "hk", tau2_method = "ML")
  td <- tidy(direct)
  i <- match(td$term, tr$term[tr$step == k])
  expect_rel(tr$conf.high[tr$step == k][i], td$conf.high)
  expect_rel(tr$p.value[tr$step == k][i], td$p.value)
})

test_that("ratio measures: tidy() exponentiates on request, the figure uses the ratio scale", {
  con <- suppressMessages(arm_contrasts(dong2013, study, treatment, n = n, events = events,
                                        measure = "OR"))
  fit <- suppressMessages(nma(con, tau2_method = "DL", reference = "Placebo"))
  ord <- stats::setNames(seq_along(fit$studies), fit$studies)
  cum <- suppressMessages(cumulative_nma(fit, ord))
  a <- tidy(cum)
  b <- tidy(cum, exponentiate = TRUE)
  expect_equal(b$estimate, exp(a$estimate))
  expect_equal(b$conf.high, exp(a$conf.high))
  expect_equal(b$std.error, a$std.error)
  expect_named(tidy(cum, conf.int = FALSE), setdiff(names(a), c("conf.low", "conf.high")))
  p <- autoplot(cum, subset = fit$treatments[fit$treatments != "Placebo"][1:2])
  expect_s3_class(p, "ggplot")
  built <- ggplot2::ggplot_build(p)
  expect_identical(nlevels(built$data[[1]]$PANEL), 2L)
  expect_identical(built$layout$panel_scales_y[[1]]$trans$name, "log-10")
  expect_equal(unique(built$data[[1]]$yintercept), 0) # log10(1): the null line at 1
  pts <- built$data[[4]]
  shown <- b[b$treat1 %in% fit$treatments[fit$treatments != "Placebo"][1:2] & !is.na(b$estimate), ]
  expect_equal(sort(10^pts$y), sort(shown$estimate))
  expect_error(autoplot(cum, subset = "nope"), class = "fastnma_error_comparison_selection")
  expect_error(tidy(cum, type = "nope"), class = "fastnma_error_choice")
  md <- cumulative_nma(nma(senn2013, TE, seTE, treat1, treat2, study), senn_year())
  expect_error(tidy(md, exponentiate = TRUE), class = "fastnma_error_exponentiate")
  expect_error(autoplot(md, exponentiate = TRUE), class = "fastnma_error_exponentiate")
  pm <- ggplot2::ggplot_build(autoplot(md, model = "common"))
  expect_identical(pm$layout$panel_scales_y[[1]]$trans$name, "identity")
})

test_that("Mantel-Haenszel fits and collections get classed errors", {
  mh <- suppressMessages(nma_binary(dong2013, measure = "OR"))
  ord <- stats::setNames(seq_along(mh$studies), mh$studies)
  err <- expect_error(cumulative_nma(mh, ord), class = "fastnma_error_not_supported")
  expect_match(conditionMessage(err), "method = \"IV\"", fixed = TRUE)
  by <- suppressMessages(nma_binary(rbind(cbind(dong2013, o = "a"), cbind(dong2013, o = "b")),
                                    measure = "OR", by = o))
  expect_error(cumulative_nma(by, ord), class = "fastnma_error_by_outcome")
  expect_error(cumulative_nma(data.frame(), ord), class = "fastnma_error_not_fit")
})

test_that("glance() is one row; the steps table is tidy(type = 'steps')", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  cum <- cumulative_nma(fit, senn_year())
  g <- glance(cum)
  expect_identical(nrow(g), 1L)
  expect_identical(g$n_steps, nrow(cum$steps))
  expect_identical(g$k, 26L)
  st <- tidy(cum, type = "steps")
  expect_s3_class(st, "tbl_df")
  expect_identical(st$step, seq_len(nrow(st)))
  expect_identical(nrow(tidy(cum)), nrow(st) * (length(fit$treatments) - 1L))
  expect_identical(nrow(tidy(cum, comparisons = "all")),
                   nrow(st) * as.integer(choose(length(fit$treatments), 2)))
})

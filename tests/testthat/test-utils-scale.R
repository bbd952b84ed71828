# The reporting scale: ratio measures are analysed on the log scale and
# printed, summarised and drawn on the ratio scale unless
# `exponentiate = FALSE`.

or_fit <- function() {
  nma(suppressMessages(arm_contrasts(dong2013, study, treatment, n = n,
                                     events = events, measure = "OR")),
      reference = "Placebo")
}

md_fit <- function() {
  nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
      reference = "plac")
}

# Printed output, wide enough that no table wraps.
printed <- function(x, ...) {
  old <- options(width = 250)
  on.exit(options(old))
  utils::capture.output(print(x, ...))
}

num <- "(-?[0-9]+\\.[0-9]+)"

# The comparison rows of print.nma() below the line `header`: label,
# estimate and limits, as numbers.
printed_rows <- function(out, header) {
  start <- grep(header, out, fixed = TRUE)[1]
  expect_false(is.na(start))
  rows <- out[-seq_len(start + 1L)]
  rows <- rows[cumsum(nzchar(trimws(rows))) > 0]   # leading blank lines
  rows <- rows[seq_len(match(TRUE, !nzchar(trimws(rows)), nomatch = length(rows) + 1L) - 1L)]
  # limits are right-aligned in their fields: "[ 0.52; 1.88]", "[-0.87;  0.04]"
  m <- regmatches(rows, regexec(paste0("^ (.+ vs \\S+)\\s+", num, "\\s+\\[\\s*", num, ";\\s+", num, "\\]"), rows))
  m <- do.call(rbind, m)
  data.frame(term = trimws(m[, 2]), estimate = as.numeric(m[, 3]),
             conf.low = as.numeric(m[, 4]), conf.high = as.numeric(m[, 5]),
             stringsAsFactors = FALSE)
}

# `shown` equals `value` to the printed number of decimals.
expect_rounded <- function(shown, value, digits) {
  expect_length(shown, length(value))
  expect_true(all(abs(shown - value) <= 0.5 * 10^-digits + 1e-9),
              info = paste(format(shown), format(value), collapse = "; "))
}

x_transform <- function(p) {
  b <- ggplot2::ggplot_build(p)
  sc <- b$layout$panel_scales_x[[1]]
  tr <- if (is.function(sc$get_transformation)) sc$get_transformation() else sc$trans
  tr$name
}

# The labels of the x axis are the ratios at its (log10) breaks.
expect_ratio_labels <- function(p, panel = 1L) {
  b <- ggplot2::ggplot_build(p)
  pp <- b$layout$panel_params[[panel]]$x
  br <- pp$get_breaks()
  lab <- pp$get_labels()
  ok <- !is.na(br)
  expect_true(sum(ok) >= 2L)
  expect_equal(as.numeric(lab[ok]), 10^br[ok], tolerance = 1e-6)
}

# The raw (untransformed) xintercept of the dashed reference line.
null_line <- function(p) {
  is_null <- vapply(p$layers, function(l) {
    inherits(l$geom, "GeomVline") && identical(l$aes_params$linetype, "dashed")
  }, logical(1))
  expect_true(any(is_null))
  p$layers[[which(is_null)[1]]]$data$xintercept
}

test_that("print() of an OR fit shows odds ratios, exp() of tidy()", {
  fit <- or_fit()
  out <- printed(fit)
  expect_match(out[1], "(Odds ratio, OR)", fixed = TRUE)
  expect_no_match(out[1], "log", fixed = TRUE)
  expect_true(any(grepl("^ comparison\\s+OR\\s+95%-CI", out)))
  expect_true(any(grepl("tau^2 and tau are on the log scale (log OR)", out, fixed = TRUE)))
  for (model in c("common", "random")) {
    td <- tidy(fit, model = model)
    rows <- printed_rows(out, if (model == "common") "Common-effect model" else "Random-effects model")
    hit <- match(paste(td$treat1, "vs", td$treat2), rows$term)
    expect_false(anyNA(hit))
    expect_rounded(rows$estimate[hit], exp(td$estimate), 3)
    expect_rounded(rows$conf.low[hit], exp(td$conf.low), 3)
    expect_rounded(rows$conf.high[hit], exp(td$conf.high), 3)
  }
  # netmeta's OR of TIO-SMI vs Placebo is above 1 on the ratio scale
  rows <- printed_rows(out, "Common-effect model")
  expect_true(all(rows$estimate > 0))
})

test_that("print(exponentiate = FALSE) shows the log scale", {
  fit <- or_fit()
  out <- printed(fit, exponentiate = FALSE)
  expect_match(out[1], "(log odds ratio, log OR)", fixed = TRUE)
  expect_true(any(grepl("^ comparison\\s+log OR\\s+95%-CI", out)))
  td <- tidy(fit, model = "common")
  rows <- printed_rows(out, "Common-effect model")
  hit <- match(paste(td$treat1, "vs", td$treat2), rows$term)
  expect_rounded(rows$estimate[hit], td$estimate, 3)
  expect_rounded(rows$conf.high[hit], td$conf.high, 3)
  expect_true(any(rows$estimate < 0))
  expect_identical(printed(fit, exponentiate = TRUE), printed(fit))
})

test_that("summary() reports the ratio scale too", {
  fit <- or_fit()
  s <- summary(fit)
  expect_true(s$exponentiate)
  expect_equal(s$random$estimate, exp(tidy(fit)$estimate))
  expect_equal(s$all$conf.low, exp(tidy(fit, comparisons = "all")$conf.low))
  out <- printed(s)
  rows <- printed_rows(out, "Random-effects model")
  td <- tidy(fit)
  expect_rounded(rows$estimate[match(paste(td$treat1, "vs", td$treat2), rows$term)],
                 exp(td$estimate), 3)
  s_log <- summary(fit, exponentiate = FALSE)
  expect_equal(s_log$common$estimate, tidy(fit, model = "common")$estimate)
  rows <- printed_rows(printed(s_log), "Common-effect model")
  expect_rounded(rows$estimate[match(paste(td$treat1, "vs", td$treat2), rows$term)],
                 tidy(fit, model = "common")$estimate, 3)
})

test_that("print() of a Mantel-Haenszel OR fit shows odds ratios", {
  mh <- suppressMessages(nma_binary(dong2013, measure = "OR", reference = "Placebo"))
  out <- printed(mh)
  expect_match(out[1], "(Odds ratio, OR; common-effect model)", fixed = TRUE)
  td <- tidy(mh)
  rows <- printed_rows(out, "Reference: Placebo")
  hit <- match(paste(td$treat1, "vs", td$treat2), rows$term)
  expect_false(anyNA(hit))
  expect_rounded(rows$estimate[hit], exp(td$estimate), 3)
  expect_rounded(rows$conf.low[hit], exp(td$conf.low), 3)
  s <- summary(mh)
  expect_equal(s$common$estimate, exp(td$estimate))
  rows <- printed_rows(printed(s), "Reference: Placebo")
  expect_rounded(rows$estimate[hit], exp(td$estimate), 3)
  rows <- printed_rows(printed(mh, exponentiate = FALSE), "Reference: Placebo")
  expect_rounded(rows$estimate[hit], td$estimate, 3)
})

test_that("print() of node-splitting shows ratios of the log estimates", {
  fit <- or_fit()
  ns <- node_split(fit)
  out <- printed(ns)
  expect_match(out[1], "Odds ratio, OR", fixed = TRUE)
  expect_true(any(grepl("ratio = direct / indirect", out, fixed = TRUE)))
  hdr <- grep("^ comparison", out)
  expect_match(out[hdr], "network\\s+direct\\s+indirect\\s+ratio\\s+z")
  rows <- out[(hdr + 1L):length(out)]
  rows <- rows[grepl(" vs ", rows, fixed = TRUE)]
  pat <- paste0("^ (\\S+ vs \\S+)\\s+[0-9]+\\s+[0-9.]+\\s+", num, "\\s+", num, "\\s+", num,
                "\\s+", num, "\\s")
  m <- do.call(rbind, regmatches(rows, regexec(pat, rows)))
  mixed <- ns$evidence == "mixed"
  expect_identical(nrow(m), sum(mixed))
  hit <- match(paste(ns$treat1, "vs", ns$treat2)[mixed], m[, 2])
  expect_false(anyNA(hit))
  expect_rounded(as.numeric(m[hit, 3]), exp(ns$network[mixed]), 3)
  expect_rounded(as.numeric(m[hit, 4]), exp(ns$direct[mixed]), 3)
  expect_rounded(as.numeric(m[hit, 5]), exp(ns$indirect[mixed]), 3)
  expect_rounded(as.numeric(m[hit, 6]), exp(ns$diff[mixed]), 3)
  # log scale on request: diff = direct - indirect
  out_log <- printed(ns, exponentiate = FALSE)
  expect_match(out_log[1], "log odds ratio, log OR", fixed = TRUE)
  expect_match(out_log[grep("^ comparison", out_log)], "indirect\\s+diff\\s+z")
})

test_that("print() and format() of a league table show odds ratios", {
  fit <- or_fit()
  lt <- league_table(fit)            # computed on the log scale
  lt_exp <- league_table(fit, exponentiate = TRUE)
  m <- format(lt, digits = 2)
  expect_identical(m, format(lt_exp, digits = 2))
  cell <- function(txt) {
    v <- regmatches(txt, regexec(paste0("^", num, " \\(", num, " to ", num, "\\)$"), txt))[[1]]
    as.numeric(v[-1])
  }
  ord <- attr(lt, "order")
  # lower triangle: row treatment relative to the column treatment
  for (r in 2:length(ord)) {
    for (c in seq_len(r - 1L)) {
      row <- lt[lt$treat1 == ord[r] & lt$treat2 == ord[c], ]
      expect_rounded(cell(m[r, c]), exp(c(row$estimate, row$conf.low, row$conf.high)), 2)
    }
  }
  out <- printed(lt)
  expect_match(out[1], "(Odds ratio, OR, 95% CI)", fixed = TRUE)
  expect_true(any(grepl(m["Placebo", "ICS"], out, fixed = TRUE)))
  # the log scale on request, whatever the scale the table was computed on
  m_log <- format(lt_exp, digits = 2, exponentiate = FALSE)
  row <- lt[lt$treat1 == "ICS" & lt$treat2 == "Placebo", ]
  expect_rounded(cell(m_log["ICS", "Placebo"]), c(row$estimate, row$conf.low, row$conf.high), 2)
  expect_match(printed(lt_exp, exponentiate = FALSE)[1], "log odds ratio, log OR", fixed = TRUE)
})

test_that("forest plot: odds ratios on a log10 axis, null line at 1", {
  fit <- or_fit()
  td <- tidy(fit)
  p <- autoplot(fit)
  expect_identical(x_transform(p), "log-10")
  expect_equal(p$data$estimate[match(td$treat1, p$data$treat1)], exp(td$estimate))
  pts <- ggplot2::layer_data(p, geom_layer(p, "GeomPoint"))  # the points
  expect_equal(sort(pts$x), sort(log10(exp(td$estimate))))
  expect_equal(null_line(p), 1)
  expect_ratio_labels(p)
  expect_identical(p$labels$x, "Odds ratio vs Placebo")
  p_log <- autoplot(fit, exponentiate = FALSE)
  expect_identical(x_transform(p_log), "identity")
  expect_equal(null_line(p_log), 0)
  expect_identical(p_log$labels$x, "log odds ratio vs Placebo")
})

test_that("node-split figure: ratios on a log10 axis, null line at 1", {
  ns <- node_split(or_fit())
  td <- tidy(ns)
  td <- td[td$evidence != "difference" & !is.na(td$estimate), ]
  p <- autoplot(ns)
  expect_identical(x_transform(p), "log-10")
  key <- function(x) paste(x$treat1, x$treat2, x$evidence)
  hit <- match(key(td), key(p$data))
  expect_false(anyNA(hit))
  expect_equal(p$data$estimate[hit], exp(td$estimate))
  expect_equal(p$data$conf.high[hit], exp(td$conf.high))
  pts <- ggplot2::layer_data(p, 3)
  expect_equal(sort(pts$x), sort(td$estimate / log(10)))
  expect_equal(null_line(p), 1)
  expect_ratio_labels(p)
  expect_identical(p$labels$x, "Odds ratio")
  p_log <- autoplot(ns, exponentiate = FALSE)
  expect_identical(x_transform(p_log), "identity")
  expect_equal(sort(ggplot2::layer_data(p_log, 3)$x), sort(td$estimate))
  expect_equal(null_line(p_log), 0)
  expect_identical(p_log$labels$x, "log odds ratio")
})

test_that("leave-one-out figure: ratios on a log10 axis", {
  fit <- or_fit()
  loo <- leave_one_out(fit)
  td <- tidy(loo)
  td <- td[td$model == "random", ]
  p <- autoplot(loo)
  expect_identical(x_transform(p), "log-10")
  key <- function(x) paste(x$study, x$treat1)
  expect_equal(p$data$estimate, exp(td$estimate[match(key(p$data), key(td))]))
  full <- ggplot2::layer_data(p, 1)
  expect_setequal(round(full$xintercept, 10), round(log10(exp(unname(coef(fit)))), 10))
  expect_setequal(round(p$layers[[1]]$data$estimate_full, 10), round(exp(unname(coef(fit))), 10))
  expect_ratio_labels(p)
  expect_match(p$labels$x, "^Odds ratio without the study")
  p_log <- autoplot(loo, exponentiate = FALSE)
  expect_identical(x_transform(p_log), "identity")
  expect_equal(p_log$data$estimate, td$estimate[match(key(p_log$data), key(td))])
  expect_match(p_log$labels$x, "^log odds ratio without the study")
})

test_that("league heat map: legend 'Odds ratio' with ratio labels; log on request", {
  fit <- or_fit()
  lt <- league_table(fit)
  p <- autoplot(lt)
  fill <- p$scales$get_scales("fill")
  expect_identical(fill$name, "Odds ratio")
  low <- p$data[p$data$triangle == "lower", ]
  hit <- match(paste(low$treat1, low$treat2), paste(lt$treat1, lt$treat2))
  expect_equal(low$estimate, exp(lt$estimate[hit]))
  # colours on the log scale, legend labels on the ratio scale
  expect_equal(low$fill, lt$estimate[hit])
  br <- fill$get_breaks()
  br <- br[!is.na(br)]
  expect_equal(as.numeric(fill$get_labels(br)), signif(exp(br), 2))
  expect_equal(autoplot(league_table(fit, exponentiate = TRUE))$data, p$data)
  p_log <- autoplot(lt, exponentiate = FALSE)
  expect_identical(p_log$scales$get_scales("fill")$name, "log odds ratio")
  expect_equal(p_log$data$estimate[p_log$data$triangle == "lower"], lt$estimate[hit])
  expect_true(any(legend_titles(p) == "Odds ratio"))
})

test_that("funnel plot: ratio of study to network OR on a log10 axis", {
  fit <- or_fit()
  d <- fastnma:::funnel_data(fit, NULL, "common")
  p <- autoplot(fit, type = "funnel")
  expect_identical(x_transform(p), "log-10")
  expect_equal(p$data$centred, exp(d$centred))
  pts <- ggplot2::layer_data(p, 3)
  expect_equal(sort(pts$x), sort(d$centred / log(10)))
  vl <- ggplot2::layer_data(p, 2)
  expect_equal(vl$xintercept, 0)               # log10(1)
  expect_equal(p$layers[[2]]$data$xintercept, 1)
  expect_ratio_labels(p)
  expect_match(p$labels$x, "ratio of odds ratios", fixed = TRUE)
  expect_identical(p$labels$y, "Standard error (log OR)")
  # the pseudo-confidence limits are symmetric on the log scale
  lim <- ggplot2::layer_data(p, 1)
  expect_equal(lim$x[1], -lim$x[3])
  p_log <- autoplot(fit, type = "funnel", exponentiate = FALSE)
  expect_identical(x_transform(p_log), "identity")
  expect_equal(p_log$data$centred, d$centred)
  expect_equal(ggplot2::layer_data(p_log, 2)$xintercept, 0)
})

test_that("benefit-harm estimates: ratio axes by default, log on request", {
  fit <- or_fit()
  bh <- benefit_harm(fit, fit, efficacy_small_values = "desirable")
  p <- autoplot(bh, type = "estimate")
  expect_identical(x_transform(p), "log-10")
  d <- as.data.frame(unclass(bh))
  hit <- match(p$data$treatment, d$treatment)
  expect_equal(p$data$efficacy, exp(d$efficacy[hit]))
  p_log <- autoplot(bh, type = "estimate", exponentiate = FALSE)
  expect_identical(x_transform(p_log), "identity")
  expect_equal(p_log$data$harm, d$harm[match(p_log$data$treatment, d$treatment)])
})

test_that("print() of an MSC analysis of a risk ratio shows risk ratios", {
  harm <- suppressMessages(analyse_msc(simulate_msc_extraction(seed = 42), outcome = "ae_joint"))
  cmp <- harm$comparisons                     # stored on the ratio scale
  fit_td <- tidy(harm$fit, comparisons = "all")
  key <- match(paste(cmp$treat1, cmp$treat2), paste(fit_td$treat1, fit_td$treat2))
  flip <- is.na(key)
  key[flip] <- match(paste(cmp$treat2, cmp$treat1)[flip], paste(fit_td$treat1, fit_td$treat2))
  log_est <- ifelse(flip, -fit_td$estimate[key], fit_td$estimate[key])
  out <- printed(harm)
  expect_match(out[1], "(Risk ratio, RR; reference", fixed = TRUE)
  rows <- printed_rows(out, "ae_joint")
  hit <- match(paste(cmp$treat1, "vs", cmp$treat2), rows$term)
  expect_false(anyNA(hit))
  expect_rounded(rows$estimate[hit], exp(log_est), 3)
  out_log <- printed(harm, exponentiate = FALSE)
  expect_match(out_log[1], "(log risk ratio, log RR; reference", fixed = TRUE)
  rows <- printed_rows(out_log, "ae_joint")
  expect_rounded(rows$estimate[match(paste(cmp$treat1, "vs", cmp$treat2), rows$term)], log_est, 3)
})

test_that("difference measures: no ratio scale, and exponentiate = TRUE is an error", {
  fit <- md_fit()
  expect_identical(printed(fit), printed(fit, exponentiate = FALSE))
  expect_match(printed(fit)[1], "(Mean difference, MD)", fixed = TRUE)
  expect_true(any(grepl("^ comparison\\s+MD\\s+95%-CI", printed(fit))))
  expect_false(any(grepl("log scale", printed(fit))))
  expect_identical(x_transform(autoplot(fit)), "identity")
  err <- "fastnma_error_exponentiate"
  expect_error(print(fit, exponentiate = TRUE), class = err)
  expect_error(summary(fit, exponentiate = TRUE), class = err)
  expect_error(autoplot(fit, exponentiate = TRUE), class = err)
  expect_error(autoplot(fit, type = "funnel", exponentiate = TRUE), class = err)
  ns <- node_split(fit)
  expect_error(print(ns, exponentiate = TRUE), class = err)
  expect_error(autoplot(ns, exponentiate = TRUE), class = err)
  lt <- league_table(fit)
  expect_error(print(lt, exponentiate = TRUE), class = err)
  expect_error(format(lt, exponentiate = TRUE), class = err)
  expect_error(autoplot(lt, exponentiate = TRUE), class = err)
  expect_error(autoplot(leave_one_out(fit), exponentiate = TRUE), class = err)
  expect_error(print(or_fit(), exponentiate = NA), class = err)
  expect_error(print(or_fit(), exponentiate = "yes"), class = err)
})

test_that("print() does not swallow unknown arguments", {
  fit <- or_fit()
  expect_error(print(fit, exponent_ate = TRUE), class = "fastnma_error_dots")
  expect_error(print(summary(fit), log = TRUE), class = "fastnma_error_dots")
  expect_error(print(node_split(fit), backtransf = FALSE), class = "fastnma_error_dots")
  expect_error(print(league_table(fit), scale = "log"), class = "fastnma_error_dots")
  expect_error(summary(fit, backtransf = FALSE), class = "fastnma_error_dots")
})

test_that("snapshots: figures of an OR fit on the ratio scale", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  fit <- or_fit()
  vdiffr::expect_doppelganger("split-dong-or", autoplot(node_split(fit)))
  vdiffr::expect_doppelganger("funnel-dong-or", autoplot(fit, type = "funnel"))
  vdiffr::expect_doppelganger("influence-dong-or",
                              autoplot(leave_one_out(fit), treatments = c("ICS", "TIO-SMI")))
  vdiffr::expect_doppelganger("league-dong-or", autoplot(league_table(fit)))
})

test_that("prints without effects refuse unknown arguments too", {
  fit <- md_fit()
  expect_error(print(leave_one_out(fit), exponentiate = FALSE), class = "fastnma_error_dots")
  expect_error(print(rank_treatments(fit), digts = 2), class = "fastnma_error_dots")
  expect_error(print(contributions(fit), exponentiate = TRUE), class = "fastnma_error_dots")
  expect_error(print(inconsistency(fit), model = "common"), class = "fastnma_error_dots")
  expect_output(print(leave_one_out(fit), digits = 2), "Leave-one-study-out")
})

test_that("forest plot draws the rows of tidy()", {
  fit <- senn_fit()
  for (model in c("random", "common")) {
    p <- expect_no_drawing(autoplot(fit, model = model))
    td <- tidy(fit, model = model)
    d <- p$data[match(td$treat1, p$data$treat1), ]
    cols <- intersect(names(td), c("estimate", "std.error", "conf.low",
                                   "conf.high", "pred.low", "pred.high"))
    expect_equal(d[cols], td[cols], ignore_attr = TRUE)
    # and the geoms carry exactly those values
    ld <- ggplot2::layer_data(p, geom_layer(p, "GeomPoint"))   # the points
    expect_equal(sort(ld$x), sort(td$estimate))
    ci <- ggplot2::layer_data(p, max(geom_layer(p, "GeomLinerange")))
    expect_equal(sort(ci$xmin), sort(td$conf.low))
    expect_equal(sort(ci$xmax), sort(td$conf.high))
  }
})

test_that("forest plot prints the numbers print() prints", {
  fit <- senn_fit()
  p <- autoplot(fit, model = "common")
  printed <- paste(utils::capture.output(print(fit)), collapse = "\n")
  ci <- sub("^[^[]*", "", p$data$label)
  est <- sub(" \\[.*$", "", p$data$label)
  for (i in seq_along(ci)) {
    line <- paste(p$data$treat1[i], "vs plac", est[i])
    expect_true(grepl(line, printed, fixed = TRUE), info = line)
    expect_true(grepl(ci[i], printed, fixed = TRUE), info = ci[i])
  }
  # the column of estimates prints the same text, under a header naming
  # the measure, with a row for the reference
  txt <- figure_text(p)
  expect_true(all(p$data$label %in% txt))
  expect_true("Mean difference [95% CI]" %in% txt)
  expect_true("(reference)" %in% txt)
  # k: the studies comparing each treatment directly with the reference
  dir <- direct_estimates(fit, model = "common")
  k_rosi <- dir$k[dir$treat1 == "rosi" & dir$treat2 == "plac"]
  col_k <- ggplot2::layer_data(p, geom_layer(p, "GeomText")[1])
  rosi_y <- p$data$y[p$data$treat1 == "rosi"]
  expect_identical(col_k$label[col_k$y == rosi_y], as.character(k_rosi))
})

test_that("forest plot: prediction intervals only for the random model", {
  fit <- senn_fit()
  p_r <- autoplot(fit)
  p_c <- autoplot(fit, model = "common")
  expect_length(p_r$layers, length(p_c$layers) + 1L)
  pred <- ggplot2::layer_data(p_r, 2)
  td <- tidy(fit)
  expect_equal(sort(pred$xmin), sort(td$pred.low))
  expect_length(autoplot(fit, prediction = FALSE)$layers, length(p_c$layers))
})

test_that("forest plot sorts by effect or by P-score", {
  fit <- senn_fit()
  p <- autoplot(fit, sort = "effect")
  top_to_bottom <- p$data$treat1[order(-p$data$y)]
  td <- tidy(fit)
  expect_identical(top_to_bottom, td$treat1[order(td$estimate)])

  p <- autoplot(fit, ranking = "pscore", sort = "rank")
  ps <- fastnma:::ranking_values(fit, "random", "pscore", "desirable")
  expect_equal(p$data$rank_value, unname(ps[p$data$treat1]))
  expect_true(all(diff(p$data$rank_value[order(-p$data$y)]) <= 0))
  # the best treatment (largest reduction in HbA1c) leads
  expect_identical(p$data$treat1[which.max(p$data$y)], "rosi")
})

test_that("forest plot SUCRA column is rank_treatments()'s", {
  fit <- senn_fit()
  p <- autoplot(fit, ranking = "sucra", n_sim = 2000, seed = 3)
  r <- rank_treatments(fit, method = "sucra", n_sim = 2000, seed = 3)
  expect_equal(p$data$rank_value, r$sucra[match(p$data$treat1, r$treatment)])
})

test_that("P-scores agree with netmeta", {
  fit <- senn_fit()
  ref <- fixture("Senn2013_MD_pscores.csv")
  ps <- fastnma:::ranking_values(fit, "common", "pscore", "desirable")
  expect_equal(unname(ps[ref$treatment]), ref$pscore_common, tolerance = 1e-6)
})

test_that("forest plot of a ratio measure uses the ratio scale", {
  fit <- smoking_fit()
  p <- autoplot(fit)
  td <- tidy(fit, exponentiate = TRUE)
  expect_equal(p$data$estimate[match(td$treat1, p$data$treat1)], td$estimate)
  expect_true(any(vapply(p$scales$scales, function(s) identical(s$trans$name, "log-10"),
                         logical(1))))
  ld <- ggplot2::layer_data(p, geom_layer(p, "GeomPoint"))
  expect_equal(sort(ld$x), sort(log10(td$estimate)))
  p_log <- autoplot(fit, exponentiate = FALSE)
  expect_equal(sort(p_log$data$estimate), sort(tidy(fit)$estimate))
})

test_that("figures accept ggplot2 customisation", {
  fit <- senn_fit()
  p <- autoplot(fit) + ggplot2::labs(title = "HbA1c") +
    ggplot2::theme(legend.position = "none")
  expect_identical(p$labels$title, "HbA1c")
  expect_identical(p$theme$legend.position, "none")
})

test_that("bad arguments give classed errors", {
  fit <- senn_fit()
  expect_error(autoplot(fit, type = "pie"), class = "fastnma_error_choice")
  expect_error(autoplot(fit, sort = "alphabet"), class = "fastnma_error_choice")
  expect_error(autoplot(fit, colour = "red"), class = "fastnma_error_unknown_argument")
  expect_error(autoplot(fit, type = "funnel", order = c("plac", "xyz")),
               class = "fastnma_error_order")
  expect_error(autoplot(fit, small_values = "good"), class = "fastnma_error_choice")
  expect_error(funnel_test(senn2013), class = "fastnma_error_not_fit")
})

test_that("funnel plot centres each contrast at its network estimate", {
  fit <- senn_fit()
  p <- expect_no_drawing(autoplot(fit, type = "funnel"))
  d <- p$data
  expect_equal(nrow(d), fit$m)
  all_pairs <- tidy(fit, model = "common", comparisons = "all")
  # network estimate of "later vs earlier", from tidy()'s all-pairs rows
  fwd <- match(paste(d$treat1, d$treat2), paste(all_pairs$treat1, all_pairs$treat2))
  rev <- match(paste(d$treat2, d$treat1), paste(all_pairs$treat1, all_pairs$treat2))
  net <- ifelse(is.na(fwd), -all_pairs$estimate[rev], all_pairs$estimate[fwd])
  expect_equal(d$network, net)
  expect_equal(d$centred, d$estimate - net)
  # plac comes first: every contrast with placebo is "drug vs plac"
  expect_true(all(d$treat2[d$treat1 == "plac" | d$treat2 == "plac"] == "plac"))
  ld <- ggplot2::layer_data(p, 3)
  expect_equal(sort(ld$x), sort(d$centred))
})

test_that("funnel_test() is Egger's test and appears in the subtitle", {
  fit <- senn_fit()
  ft <- funnel_test(fit, order = "plac")
  expect_named(ft, c("method", "estimate", "std.error", "statistic", "df",
                     "p.value", "tau2", "k", "centre", "order"))
  expect_identical(ft$k, fit$m)
  d <- fastnma:::funnel_data(fit)
  lmfit <- stats::lm(I(centred / std.error) ~ I(1 / std.error), data = d)
  expect_equal(ft$estimate, unname(coef(lmfit)[1]))
  expect_equal(ft$p.value, summary(lmfit)$coefficients[1, 4])
  p <- autoplot(fit, type = "funnel", order = "plac")
  expect_match(p$labels$subtitle, sprintf("t = %.2f, df = %d", ft$statistic, ft$df),
               fixed = TRUE)
  skip_if_not_installed("meta")
  mb <- meta::metabias(meta::metagen(d$centred, d$std.error),
                       method.bias = "Egger", k.min = 3)
  expect_equal(ft$statistic, unname(mb$statistic), tolerance = 1e-8)
})

test_that("funnel orientation follows `order`", {
  fit <- senn_fit()
  a <- funnel_test(fit, order = c("plac", "rosi"))
  b <- fastnma:::funnel_data(fit, order = c("rosi", "plac"))
  expect_true(all(b$treat2[b$treat1 == "plac" | b$treat2 == "plac"] %in% c("rosi", "plac")))
  expect_true(is.finite(a$p.value))
})

test_that("net heat plot draws inconsistency() and netmeta's decomposition", {
  fit <- senn_fit()
  h <- fastnma:::netheat_data(fit, "common")
  inc <- inconsistency(fit)
  expect_equal(h$Q_between, fit$Q_between, tolerance = 1e-8)
  expect_equal(sum(h$Q_design), fit$Q_between, tolerance = 1e-8)
  expect_equal(h$q_diff, inc$heat[rownames(h$q_diff), colnames(h$q_diff)])
  # designs outside loops (benf:plac, migl:plac, ...) are left out
  expect_false(any(c("benf:plac", "migl:plac", "plac:sita", "plac:vild") %in% rownames(h$q_diff)))
  p <- expect_no_drawing(autoplot(fit, type = "netheat"))
  expect_equal(p$data$q_diff, as.vector(h$q_diff))
  cell <- p$data$row == "metf:sulf" & p$data$column == "rosi:sulf"
  expect_equal(p$data$q_diff[cell], inc$heat["metf:sulf", "rosi:sulf"])
  skip_if_not_installed("netmeta")
  data("Senn2013", package = "netmeta", envir = environment())
  net <- netmeta::netmeta(TE, seTE, treat1, treat2, studlab, data = Senn2013,
                          sm = "MD", common = TRUE, random = FALSE)
  dd <- netmeta::decomp.design(net)
  two <- c("metf:sulf", "rosi:sulf", "plac:rosi", "metf:piog")
  expect_equal(unname(h$Q_design[two]), unname(dd$Q.inc.design[two]), tolerance = 1e-6)
  krahn <- netmeta:::nma_krahn(net)
  expect_equal(unname(h$H[two, two]), unname(abs(krahn$H[two, two])), tolerance = 1e-6)
})

test_that("random-effects net heat uses the within-design tau^2", {
  fit <- senn_fit()
  h <- fastnma:::netheat_data(fit, "random")
  inc <- inconsistency(fit)
  expect_equal(h$tau2, inc$tau2_within)
  expect_equal(h$q_diff, inc$heat_random[rownames(h$q_diff), colnames(h$q_diff)])
})

test_that("net heat plot needs loops", {
  star <- data.frame(study = c("s1", "s2", "s3"), treat1 = c("B", "C", "D"),
                     treat2 = "A", estimate = c(0.1, 0.2, 0.3), std.error = 0.1)
  fit <- nma(star)
  expect_error(autoplot(fit, type = "netheat"), class = "fastnma_error_netheat")
})

test_that("snapshots: forest, funnel, net heat", {
  skip_if_not_installed("vdiffr")
  skip_on_cran()
  fit <- senn_fit()
  vdiffr::expect_doppelganger("forest-senn-random", autoplot(fit))
  vdiffr::expect_doppelganger("forest-senn-common-pscore",
                              autoplot(fit, model = "common", ranking = "pscore",
                                       sort = "rank"))
  vdiffr::expect_doppelganger("forest-smoking-or", autoplot(smoking_fit()))
  vdiffr::expect_doppelganger("funnel-senn", autoplot(fit, type = "funnel", order = "plac"))
  vdiffr::expect_doppelganger("netheat-senn", autoplot(fit, type = "netheat"))
  vdiffr::expect_doppelganger("netheat-senn-random",
                              autoplot(fit, type = "netheat", model = "random"))
  f22 <- fit22()
  vdiffr::expect_doppelganger("forest-22", autoplot(f22, ranking = "pscore"))
  vdiffr::expect_doppelganger("funnel-22", autoplot(f22, type = "funnel"))
  vdiffr::expect_doppelganger("netheat-22", autoplot(f22, type = "netheat"))
})

test_that("net heat plot of many designs keeps those contributing most to inconsistency", {
  fit <- fit22()
  full <- autoplot(fit, type = "netheat", max_designs = Inf)
  designs <- levels(full$data$row)
  p <- autoplot(fit, type = "netheat", max_designs = 5)
  kept <- levels(p$data$row)
  expect_length(kept, 5L)
  diag_q <- full$data$q_diff[as.character(full$data$row) == as.character(full$data$column)]
  names(diag_q) <- as.character(full$data$row)[as.character(full$data$row) == as.character(full$data$column)]
  expect_true(all(abs(diag_q[kept]) >= sort(abs(diag_q), decreasing = TRUE)[5]))
  expect_match(p$labels$caption, sprintf("5 of %d designs in loops shown", length(designs)))
  expect_no_match(full$labels$caption, "designs in loops shown")
})

# The layer of the declared truth: its points sit at x = truth.
is_truth_layer <- function(l) {
  !is.null(l$mapping$x) && identical(rlang::as_label(l$mapping$x), "truth")
}

test_that("the forest draws a declared truth for each outcome, and a title", {
  sim <- simulate_msc_extraction(seed = 42)
  truth <- attr(sim, "truth")
  for (o in unique(truth$outcome)) {
    res <- suppressMessages(analyse_msc(sim, outcome = o))
    tr <- truth[truth$outcome == o, ]
    title <- paste("SIMULATED data:", o)
    p <- autoplot(res$fit, title = title, truth = tr)
    b <- ggplot2::ggplot_build(p)
    expect_identical(p$labels$title, title)
    is_truth <- vapply(p$layers, is_truth_layer, logical(1))
    expect_equal(sum(is_truth), 1L)
    layer <- p$layers[[which(is_truth)]]$data
    # every class against Control has its declared value, on the ratio scale
    # for the risk ratio
    expect_setequal(layer$treat1, c("Allo", "Auto"))
    expect_equal(layer$truth, tr$value[match(paste(layer$treat1, "Control"),
                                             paste(tr$treat1, tr$treat2))])
    drawn <- b$data[[which(is_truth)]]
    expect_equal(nrow(drawn), 2L)
    expect_true(all(is.finite(drawn$x)))
    expect_true("Declared truth" %in% unlist(lapply(b$plot$scales$scales, function(s)
      if ("shape" %in% s$aesthetics) s$get_labels())))
  }
  # the truth of another outcome (differences on a ratio axis) is refused,
  # not dropped
  harm <- suppressMessages(analyse_msc(sim, outcome = "ae_joint"))
  expect_error(autoplot(harm$fit, truth = truth[truth$outcome == "womac_pain", ]),
               class = "fastnma_error_truth")
  expect_error(autoplot(harm$fit, truth = data.frame(treat1 = "x", treat2 = "y", value = 1)),
               class = "fastnma_error_truth")
  expect_error(autoplot(harm$fit, title = 1), class = "fastnma_error")
})

test_that("a truth given either way round is drawn in the forest's direction", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD", reference = "plac")
  p <- autoplot(fit, truth = data.frame(treat1 = c("plac", "rosi"), treat2 = c("metf", "plac"),
                                        value = c(1, -1.2)))
  layer <- p$layers[[which(vapply(p$layers, is_truth_layer, logical(1)))]]$data
  expect_equal(layer$truth[match(c("metf", "rosi"), layer$treat1)], c(-1, -1.2))
})

test_that("a forest marks the estimates from indirect evidence only", {
  d <- data.frame(study = c("s1", "s2", "s3"), treat1 = c("B", "C", "C"),
                  treat2 = c("A", "B", "B"), estimate = c(0.1, 0.2, 0.3),
                  std.error = 0.1)
  fit <- nma(d, reference = "A")
  p <- autoplot(fit)
  pts <- p$layers[vapply(p$layers, function(l) inherits(l$geom, "GeomPoint"), logical(1))]
  expect_length(pts, 1L)
  ev <- pts[[1]]$data
  expect_identical(as.character(ev$evidence[ev$treat1 == "C"]), "indirect evidence only")
  expect_identical(as.character(ev$evidence[ev$treat1 == "B"]), "with direct evidence")
  shapes <- ggplot2::ggplot_build(p)$data[[which(vapply(p$layers, function(l)
    inherits(l$geom, "GeomPoint"), logical(1)))]]
  expect_setequal(unique(shapes$shape), c(15, 22))
  # a network where every estimate has direct evidence keeps one shape
  p2 <- autoplot(smoking_fit())
  pts2 <- p2$layers[vapply(p2$layers, function(l) inherits(l$geom, "GeomPoint"), logical(1))]
  expect_null(pts2[[1]]$mapping$shape)
})

test_that("a forest says random effects only where tau^2 was estimated", {
  star <- data.frame(study = c("s1", "s2", "s3"), treat1 = c("B", "C", "D"),
                     treat2 = "A", estimate = c(0.1, 0.2, 0.3), std.error = 0.1)
  fit <- suppressMessages(nma(star))
  expect_false(fit$tau2_info$identifiable)
  sub <- autoplot(fit)$labels$subtitle
  expect_match(sub, "^Common-effect model")
  expect_match(sub, "not estimable")
  expect_no_match(sub, "Random")
  expect_match(autoplot(senn_fit())$labels$subtitle, "^Random-effects model \\(REML")
  preset <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac", tau2 = 0.1)
  expect_match(autoplot(preset)$labels$subtitle, "tau\u00b2 preset to 0.1")
})

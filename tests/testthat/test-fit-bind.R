# nma_bind(): several fits side by side, the same comparisons in the same
# orientation, comparisons a fit lacks kept as missing rows.

test_that("each fit's rows equal tidy() of that fit", {
  re <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
  dl <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac", tau2_method = "DL")
  b <- nma_bind(REML = re, DL = dl)
  expect_s3_class(b, "nma_bind")
  for (model in c("random", "common")) {
    for (comparisons in c("reference", "all")) {
      t <- tidy(b, model = model, comparisons = comparisons)
      for (nm in c("REML", "DL")) {
        f <- list(REML = re, DL = dl)[[nm]]
        ours <- as.data.frame(t[t$fit == nm, ])
        ref <- as.data.frame(tidy(f, model = model, comparisons = comparisons))
        expect_identical(ours$term, ref$term)
        for (cl in setdiff(names(ref), c("term", "treat1", "treat2", "model"))) {
          expect_equal(ours[[cl]], ref[[cl]], tolerance = 1e-12, info = cl)
        }
        expect_true(all(ours$status == "estimated"))
      }
    }
  }
  expect_identical(names(tidy(b))[1:5], c("fit", "term", "treat1", "treat2", "model"))
  g <- glance(b)
  expect_identical(nrow(g), 1L)
  expect_identical(g$n_fits, 2L)
  expect_identical(g$n_not_estimated, 0L)
  # unnamed arguments are named after their expressions; a named list works
  expect_identical(nma_bind(re, dl)$labels, c("re", "dl"))
  expect_identical(nma_bind(list(a = re, b = dl))$labels, c("a", "b"))
  expect_output(print(b), "side by side")
})

test_that("fits with other treatments or references: one orientation, missing rows kept", {
  full <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac", tau2_method = "DL")
  keep <- !senn2013$treat1 %in% c("vild", "sita") & !senn2013$treat2 %in% c("vild", "sita")
  part <- nma(senn2013[keep, ], TE, seTE, treat1, treat2, study, reference = "metf",
              tau2_method = "DL")
  b <- nma_bind(full = full, part = part)
  expect_identical(b$reference, "plac")
  t <- tidy(b, comparisons = "all")
  n_pairs <- choose(length(full$treatments), 2)
  expect_identical(nrow(t), as.integer(2 * n_pairs))
  # the reduced fit: its comparisons in the orientation of the bind
  tp <- t[t$fit == "part", ]
  miss <- tp[is.na(tp$estimate), ]
  expect_true(all(miss$treat1 %in% c("vild", "sita") | miss$treat2 %in% c("vild", "sita")))
  expect_true(all(miss$status == "not in network"))
  expect_identical(nrow(miss), as.integer(n_pairs - choose(length(part$treatments), 2)))
  own <- tidy(part, comparisons = "all")
  hit <- tp[!is.na(tp$estimate), ]
  same <- match(paste(hit$treat1, hit$treat2), paste(own$treat1, own$treat2))
  rev <- match(paste(hit$treat1, hit$treat2), paste(own$treat2, own$treat1))
  expect_false(anyNA(ifelse(is.na(same), rev, same)))
  want <- ifelse(is.na(same), -own$estimate[rev], own$estimate[same])
  expect_equal(hit$estimate, want, tolerance = 1e-12)
  want_low <- ifelse(is.na(same), -own$conf.high[rev], own$conf.low[same])
  expect_equal(hit$conf.low, want_low, tolerance = 1e-12)
  want_se <- ifelse(is.na(same), own$std.error[rev], own$std.error[same])
  expect_equal(hit$std.error, want_se, tolerance = 1e-12)
  expect_identical(glance(b)$n_not_estimated, sum(is.na(tidy(b)$estimate)))
  expect_identical(glance(b)$n_not_estimated, 2L)
  # another reference for the bind
  b2 <- nma_bind(full = full, part = part, reference = "metf")
  t2 <- tidy(b2)
  expect_true(all(t2$treat2 == "metf"))
  expect_error(nma_bind(full, part, reference = "nope"), class = "fastnma_error_reference")
})

test_that("collections expand into their members", {
  by <- suppressMessages(nma_binary(rbind(cbind(dong2013, outcome = "death"),
                                          cbind(dong2013, outcome = "again")),
                                    measure = "OR", by = outcome, reference = "Placebo",
                                    method = "IV"))
  b <- nma_bind(by)
  expect_identical(b$labels, c("by: death", "by: again"))
  t <- tidy(b)
  expect_equal(t$estimate[t$fit == "by: death"], tidy(by[["death"]])$estimate,
               tolerance = 1e-12)
  fit <- suppressMessages(nma_binary(smokingcessation, measure = "OR", method = "IV"))
  g <- stats::setNames(rep(c("odd", "even"), length.out = length(fit$studies)), fit$studies)
  sg <- subgroup_nma(fit, g)
  cum <- cumulative_nma(fit, stats::setNames(seq_along(fit$studies) %/% 12, fit$studies))
  b <- nma_bind(all = fit, sg = sg, cum = cum)
  expect_identical(b$labels, c("all", "sg: even", "sg: odd", "cum: step 1 (0)",
                               "cum: step 2 (1)", "cum: step 3 (2)"))
  t <- tidy(b)
  s <- tidy(sg)
  expect_equal(t$estimate[t$fit == "sg: odd"], s$estimate[s$subgroup == "odd"],
               tolerance = 1e-12)
  ct <- tidy(cum)
  expect_equal(t$estimate[t$fit == "cum: step 2 (1)"], ct$estimate[ct$step == 2],
               tolerance = 1e-12)
  # a Mantel-Haenszel fit gives its common-effect model, and says so
  mh <- suppressMessages(nma_binary(dong2013, measure = "OR", reference = "Placebo"))
  iv <- suppressMessages(nma_binary(dong2013, measure = "OR", reference = "Placebo",
                                    method = "IV"))
  t <- tidy(nma_bind(MH = mh, IV = iv))
  expect_identical(unique(t$model[t$fit == "MH"]), "common")
  expect_identical(unique(t$model[t$fit == "IV"]), "random")
  expect_equal(t$estimate[t$fit == "MH"], tidy(mh)$estimate, tolerance = 1e-12)
  expect_true(all(is.na(t$pred.low[t$fit == "MH"])))
})

test_that("MH, IV and NCH fits of one outcome side by side: rows and labels by method", {
  q <- function(x) suppressMessages(x)
  mh <- q(nma_binary(dong2013, measure = "OR", reference = "Placebo"))
  iv <- q(nma_binary(dong2013, measure = "OR", reference = "Placebo", method = "IV"))
  nch <- q(nma_binary(dong2013, method = "NCH", reference = "Placebo"))
  b <- nma_bind(`Mantel-Haenszel` = mh, `Inverse variance` = iv, NCH = nch)
  t <- tidy(b)
  expect_identical(unique(t$fit), c("Mantel-Haenszel", "Inverse variance", "NCH"))
  expect_identical(unique(t$model[t$fit == "NCH"]), "common")
  expect_equal(t$estimate[t$fit == "NCH"], tidy(nch)$estimate, tolerance = 1e-12)
  expect_equal(t$std.error[t$fit == "NCH"], tidy(nch)$std.error, tolerance = 1e-12)
  # the print and the forest say which fits give their common effect
  out <- utils::capture.output(print(b))
  expect_true(any(grepl("common effect: Mantel-Haenszel, NCH", out, fixed = TRUE)))
  p <- autoplot(b)
  expect_match(p$labels$subtitle, "common effect: Mantel-Haenszel, NCH", fixed = TRUE)
  built <- ggplot2::ggplot_build(p)
  expect_setequal(as.character(unique(built$plot$data$row)),
                  c("Mantel-Haenszel", "Inverse variance", "NCH"))
  # the common model of every fit: no note
  expect_false(grepl("common effect:", autoplot(b, model = "common")$labels$subtitle))
})

test_that("incompatible inputs get classed errors", {
  md <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
  or <- suppressMessages(nma_binary(dong2013, measure = "OR"))
  expect_error(nma_bind(md = md, or = or), class = "fastnma_error_bind")
  expect_error(nma_bind(a = md, b = data.frame()), class = "fastnma_error_bind")
  expect_error(nma_bind(a = md, a = md), class = "fastnma_error_bind")
  expect_error(nma_bind(), class = "fastnma_error_bind")
  expect_error(tidy(nma_bind(a = md), exponentiate = TRUE), class = "fastnma_error_exponentiate")
  expect_error(tidy(nma_bind(a = md), nope = 1), class = "fastnma_error_unknown_argument")
})

test_that("the forest: a panel per comparison, a row per fit, missing rows marked", {
  full <- suppressMessages(nma_binary(smokingcessation, measure = "OR", method = "IV"))
  sub <- smokingcessation[smokingcessation$treatment != "D", ]
  sub <- sub[sub$study %in% names(which(table(sub$study) >= 2)), ]
  part <- suppressMessages(nma_binary(sub, measure = "OR", method = "IV"))
  b <- nma_bind(full = full, "without D" = part)
  p <- autoplot(b)
  expect_s3_class(p, "ggplot")
  built <- ggplot2::ggplot_build(p)
  expect_identical(levels(built$layout$layout$panel), c("B vs A", "C vs A", "D vs A"))
  expect_identical(built$layout$panel_scales_x[[1]]$trans$name, "log-10")
  expect_equal(built$data[[1]]$xintercept[1], 0) # log10(1)
  t <- tidy(b, exponentiate = TRUE)
  pts <- built$data[[3]]
  expect_equal(sort(10^pts$x), sort(t$estimate[!is.na(t$estimate)]))
  # the missing comparison (D vs A without D) is a cross on the null line
  cross <- built$data[[4]]
  expect_identical(nrow(cross), 1L)
  expect_identical(cross$shape, 4)
  expect_equal(cross$x, 0)
  expect_match(p$labels$caption, "not estimated")
  # rows: the fits, top down
  expect_identical(levels(p$data$row), rev(c("full", "without D")))
  # the analysis scale
  lin <- ggplot2::ggplot_build(autoplot(b, exponentiate = FALSE, subset = "B vs A"))
  expect_identical(lin$layout$panel_scales_x[[1]]$trans$name, "identity")
  expect_identical(levels(lin$layout$layout$panel), "B vs A")
  expect_error(autoplot(b, subset = "Z vs A"), class = "fastnma_error_comparison_selection")
})

test_that("a fit may be labelled with a netmeta argument name; a netmeta setting is answered", {
  re <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
  dl <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac", tau2_method = "DL")
  b <- nma_bind(random = re, common = dl)
  expect_identical(b$labels, c("random", "common"))
  expect_error(nma_bind(re, dl, common = TRUE), class = "fastnma_error_netmeta_argument")
})

# Comparison-adjusted funnel: the order, the two centrings and the three
# tests, against netmeta's funnel.netmeta() and meta's metabias().

senn_order <- c("plac", "benf", "migl", "acar", "sulf", "metf", "rosi", "piog",
                "sita", "vild")

test_that("funnel_test() needs an explicit order; the figure says which it used", {
  fit <- senn_fit()
  expect_error(funnel_test(fit), class = "fastnma_error_missing_argument")
  expect_error(funnel_test(fit), "order")
  expect_error(funnel_test(fit, order = NULL), class = "fastnma_error_missing_argument")
  expect_error(funnel_test(fit, order = "plac", method = "Harbord"),
               class = "fastnma_error_choice")
  expect_error(funnel_test(fit, order = "plac", centre = "median"),
               class = "fastnma_error_choice")
  p <- expect_no_drawing(autoplot(fit, type = "funnel"))
  expect_null(p$labels$subtitle)
  expect_match(p$labels$caption, "default order (plac first", fixed = TRUE)
  expect_match(p$labels$caption, "give `order`", fixed = TRUE)
  p <- autoplot(fit, type = "funnel", order = senn_order, method = c("Egger", "Begg", "Thompson"))
  expect_null(p$labels$caption)
  sub <- strsplit(p$labels$subtitle, "\n", fixed = TRUE)[[1]]
  expect_length(sub, 3L)
  expect_match(sub[1], "^Egger's test")
  expect_match(sub[2], "^Begg's test")
  expect_match(sub[3], "^Thompson-Sharp test")
})

test_that("the order is reported and reversing it flips the sign of every test", {
  fit <- senn_fit()
  a <- funnel_test(fit, order = senn_order, method = c("Egger", "Begg", "Thompson"))
  b <- funnel_test(fit, order = rev(senn_order), method = c("Egger", "Begg", "Thompson"))
  expect_identical(a$order[1], paste(senn_order, collapse = ", "))
  expect_equal(a$statistic, -b$statistic, tolerance = 1e-8)
  expect_equal(a$p.value, b$p.value, tolerance = 1e-8)
  # a partial order is completed in treatment order
  d <- fastnma:::funnel_data(fit, "plac")
  expect_identical(attr(d, "order"), c("plac", setdiff(fit$treatments, "plac")))
})

test_that("direct centring subtracts the direct estimate of each comparison", {
  fit <- senn_fit()
  d <- fastnma:::funnel_data(fit, senn_order, "common", "direct")
  dir <- direct_estimates(fit, model = "common")
  i <- match(paste(d$treat1, d$treat2), paste(dir$treat1, dir$treat2))
  j <- match(paste(d$treat1, d$treat2), paste(dir$treat2, dir$treat1))
  expect_equal(d$direct, ifelse(is.na(i), -dir$estimate[j], dir$estimate[i]))
  expect_equal(d$centred, d$estimate - d$direct)
  # comparisons with one study sit at zero under direct centring
  single <- table(d$comparison)[as.character(d$comparison)] == 1
  expect_true(any(single))
  expect_equal(d$centred[single], rep(0, sum(single)))
})

test_that("the tests equal meta::metabias() on the centred contrasts", {
  skip_if_not_installed("meta")
  fit <- smoking_fit()
  ord <- fit$treatments
  for (centre in c("network", "direct")) {
    d <- fastnma:::funnel_data(fit, ord, "random", centre)
    ft <- funnel_test(fit, order = ord, model = "random", centre = centre,
                      method = c("Egger", "Begg", "Thompson"))
    for (m in c("Egger", "Begg", "Thompson")) {
      mb <- meta::metabias(d$centred, d$std.error, method.bias = m, k.min = 3,
                           control = list(threshold = 1e-12, maxiter = 1000))
      row <- ft[ft$method == m, ]
      expect_equal(row$statistic, unname(mb$statistic), tolerance = 1e-6)
      expect_equal(row$p.value, mb$pval, tolerance = 1e-6)
      expect_equal(row$estimate, unname(mb$estimate[1]), tolerance = 1e-6)
      expect_equal(row$std.error, unname(mb$estimate[2]), tolerance = 1e-6)
    }
  }
})

test_that("Begg's test corrects its variance for ties as Kendall's test does", {
  y <- c(0.1, 0.3, -0.2, 0.3, 0.5, 0.1, -0.4, 0.2, 0.0, 0.6)
  se <- c(0.1, 0.2, 0.2, 0.3, 0.3, 0.1, 0.4, 0.2, 0.1, 0.4)
  b <- fastnma:::begg_test(y, se)
  w <- 1 / se^2
  ys <- (y - sum(w * y) / sum(w)) / sqrt(se^2 - 1 / sum(w))
  ct <- suppressWarnings(stats::cor.test(ys, se^2, method = "kendall", exact = FALSE))
  # the same statistic by two implementations: 1e-10 leaves room for
  # floating-point rounding only
  expect_equal(b$statistic, unname(ct$statistic), tolerance = 1e-10)
  expect_equal(b$p.value, ct$p.value, tolerance = 1e-10)
})

test_that("with direct centring the tests are netmeta's (up to the orientation)", {
  skip_if_not_installed("netmeta")
  data("Senn2013", package = "netmeta", envir = environment())
  nm <- netmeta::netmeta(TE, seTE, treat1, treat2, studlab, data = Senn2013,
                         sm = "MD", common = TRUE, random = TRUE, method.tau = "DL")
  fit <- nma(Senn2013, TE, seTE, treat1, treat2, studlab, measure = "MD",
             reference = "plac", tau2_method = "DL")
  for (pooled in c("common", "random")) {
    grDevices::pdf(NULL)
    f <- meta::funnel(nm, order = senn_order, pooled = pooled)
    grDevices::dev.off()
    ft <- funnel_test(fit, order = senn_order, model = pooled, centre = "direct",
                      method = c("Egger", "Begg", "Thompson"))
    d <- fastnma:::funnel_data(fit, senn_order, pooled, "direct")
    # netmeta orients earlier vs later: its adjusted effects are ours negated
    key_ours <- paste(d$study, d$treat1, d$treat2)
    key_nm <- paste(f$studlab, f$treat2, f$treat1)
    expect_setequal(key_ours, key_nm)
    i <- match(key_ours, key_nm)
    expect_equal(d$centred, -f$TE.adj[i], tolerance = 1e-8)
    for (m in c("Egger", "Begg", "Thompson")) {
      # REML of the Thompson-Sharp regression converged tightly, as ours
      mb <- meta::metabias(f$TE.adj, f$seTE, method.bias = m, k.min = 3,
                           control = list(threshold = 1e-12, maxiter = 1000))
      row <- ft[ft$method == m, ]
      expect_equal(row$statistic, -unname(mb$statistic), tolerance = 1e-6)
      expect_equal(row$p.value, mb$pval, tolerance = 1e-6)
    }
  }
})

test_that("each comparison of the funnel has its own colour-shape pair", {
  pairs <- paste(fastnma:::funnel_colours(100), fastnma:::funnel_shapes(100))
  expect_false(anyDuplicated(pairs) > 0)
  fit <- senn_fit()
  p <- autoplot(fit, type = "funnel", order = senn_order, colour_by = "comparison")
  ld <- ggplot2::layer_data(p, 3)
  by_comp <- unique(data.frame(comp = p$data$comparison, colour = ld$colour, shape = ld$shape))
  expect_equal(nrow(by_comp), nlevels(p$data$comparison))
  expect_false(anyDuplicated(paste(by_comp$colour, by_comp$shape)) > 0)
})

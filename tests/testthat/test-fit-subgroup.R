# subgroup_nma(): separate networks per subgroup (each equal to nma() on its
# studies) and the test of difference between them, checked against
# metafor and meta for two treatments and against rma.mv for a network.

# The BCG vaccine trials (Colditz et al. 1994), as in metafor's dat.bcg.
bcg_contrasts <- function() {
  bcg <- data.frame(
    study = paste0("trial", 1:13),
    tpos = c(4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27),
    tneg = c(119, 300, 228, 13536, 5036, 1361, 2537, 87886, 7470, 1699, 50448, 2493, 16886),
    cpos = c(11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29),
    cneg = c(128, 274, 209, 12619, 5761, 1079, 619, 87892, 7232, 1600, 27197, 2338, 17825),
    alloc = c("random", "random", "random", "random", "alternate", "alternate", "random",
              "random", "random", "systematic", "systematic", "systematic", "systematic"))
  dat <- metafor::escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg,
                         data = bcg)
  data.frame(study = dat$study, treat1 = "BCG", treat2 = "control",
             estimate = as.numeric(dat$yi), std.error = sqrt(as.numeric(dat$vi)),
             alloc = dat$alloc, stringsAsFactors = FALSE)
}

smoking_fit <- function(method = "REML") {
  suppressMessages(nma_binary(smokingcessation, measure = "OR", method = "IV",
                              tau2_method = method))
}

alternate <- function(fit) {
  stats::setNames(rep(c("odd", "even"), length.out = length(fit$studies)), fit$studies)
}

test_that("two treatments: subgroup estimates and tests equal metafor and meta", {
  d <- bcg_contrasts()
  for (method in c("REML", "DL")) {
    fit <- nma(d, measure = "RR", reference = "control", tau2_method = method)
    sg <- subgroup_nma(fit, alloc)
    expect_identical(sg$subgroups$subgroup, sort(unique(d$alloc)))
    by_group <- split(d, d$alloc)
    # metafor's REML iterations run to convergence (its default threshold
    # stops at a change of 1e-5 in tau^2)
    ma <- lapply(by_group, function(x) metafor::rma(x$estimate, sei = x$std.error,
                                                    method = method,
                                                    control = list(threshold = 1e-12,
                                                                   maxiter = 1000)))
    est <- tidy(sg)
    expect_rel(est$estimate, vapply(ma, function(m) as.numeric(m$b), double(1)))
    expect_rel(est$std.error, vapply(ma, function(m) m$se, double(1)))
    expect_rel(sg$subgroups$tau2, vapply(ma, function(m) m$tau2, double(1)), floor = 1e-12)
    # Q between subgroups, random effects (separate tau^2): a common-effect
    # meta-analysis of the subgroup estimates
    qb <- metafor::rma(vapply(ma, function(m) as.numeric(m$b), double(1)),
                       sei = vapply(ma, function(m) m$se, double(1)), method = "FE")
    g <- glance(sg)
    expect_rel(g$Q_subgroups, qb$QE)
    expect_identical(g$df_subgroups, 2L)
    expect_rel(g$p.value, qb$QEp)
    test <- tidy(sg, type = "test")
    expect_rel(test$Q_subgroups, qb$QE)
    # common effect: the moderator test of a meta-regression on the subgroup
    fe <- metafor::rma(estimate, sei = std.error, mods = ~ alloc, data = d, method = "FE")
    gc <- glance(sg, model = "common")
    expect_rel(gc$Q_subgroups, fe$QM)
    expect_rel(gc$p.value, fe$QMp)
    # meta's tests of subgroup differences
    mg <- meta::metagen(estimate, std.error, data = d, subgroup = alloc, sm = "RR",
                        method.tau = method)
    expect_rel(g$Q_subgroups, mg$Q.b.random)
    expect_rel(gc$Q_subgroups, mg$Q.b.common)
  }
})

test_that("every subgroup equals nma() on its studies", {
  fit <- smoking_fit()
  g <- alternate(fit)
  sg <- subgroup_nma(fit, g)
  con <- fit$data
  for (lev in c("even", "odd")) {
    direct <- nma(con[con$study %in% names(g)[g == lev], ], measure = "OR",
                  reference = fit$reference)
    for (model in c("common", "random")) {
      a <- tidy(sg, model = model, comparisons = "all")
      a <- a[a$subgroup == lev, ]
      b <- tidy(direct, model = model, comparisons = "all")
      expect_identical(a$term, b$term)
      expect_rel(a$estimate, b$estimate)
      expect_rel(a$std.error, b$std.error)
      expect_rel(a$conf.low, b$conf.low)
    }
    expect_rel(sg$subgroups$tau2[sg$subgroups$subgroup == lev], direct$tau2)
    expect_rel(sg$subgroups$Q[sg$subgroups$subgroup == lev], direct$Q)
  }
})

test_that("the per-comparison test is Q between the separate fits' estimates", {
  fit <- smoking_fit("DL")
  g <- alternate(fit)
  sg <- subgroup_nma(fit, g)
  con <- fit$data
  fits <- lapply(c("even", "odd"), function(lev)
    nma(con[con$study %in% names(g)[g == lev], ], measure = "OR", tau2_method = "DL",
        reference = fit$reference))
  for (model in c("common", "random")) {
    rows <- lapply(fits, tidy, model = model, comparisons = "all")
    e <- sapply(rows, `[[`, "estimate")
    w <- 1 / sapply(rows, `[[`, "std.error")^2
    q <- rowSums(w * (e - rowSums(w * e) / rowSums(w))^2)
    test <- tidy(sg, type = "test", model = model, comparisons = "all")
    expect_identical(test$term, rows[[1]]$term)
    expect_rel(test$Q_subgroups, q)
    expect_identical(test$df_subgroups, rep(1L, length(q)))
    expect_rel(test$p.value, stats::pchisq(q, 1, lower.tail = FALSE))
    expect_identical(tidy(sg, type = "test", model = model)$term,
                     rows[[1]]$term[rows[[1]]$treat2 == fit$reference])
  }
})

test_that("the overall test equals rma.mv on the subgroups' effects; common effect splits Q", {
  fit <- smoking_fit()
  g <- alternate(fit)
  sg <- subgroup_nma(fit, g)
  expect_true(all(sg$subgroups$connected))
  for (model in c("common", "random")) {
    yi <- numeric()
    V <- list()
    param <- character()
    for (f in sg$fits) {
      o <- setdiff(f$treatments, f$reference)
      yi <- c(yi, f[[model]]$theta[o])
      V[[length(V) + 1L]] <- f[[model]]$cov[o, o]
      param <- c(param, o)
    }
    sizes <- vapply(V, nrow, integer(1))
    Vb <- matrix(0, sum(sizes), sum(sizes))
    at <- cumsum(c(0L, sizes))
    for (b in seq_along(V)) {
      idx <- at[b] + seq_len(sizes[b])
      Vb[idx, idx] <- V[[b]]
    }
    mv <- metafor::rma.mv(yi, Vb, mods = ~ 0 + factor(param), method = "FE")
    gl <- glance(sg, model = model)
    expect_rel(gl$Q_subgroups, mv$QE)
    expect_identical(gl$df_subgroups, as.integer(mv$k - mv$p))
    expect_rel(gl$p.value, mv$QEp)
  }
  # common effect: Q of all studies = sum of the subgroups' Q + Q between
  gc <- glance(sg, model = "common")
  expect_rel(gc$Q_subgroups, fit$Q - sum(sg$subgroups$Q))
})

test_that("subgroups with separate parts or missing treatments are reported", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac", tau2_method = "DL")
  st <- fit$studies
  year <- as.integer(regmatches(st, regexpr("[0-9]{4}", st)))
  era <- stats::setNames(ifelse(year < 2005, "early", "late"), st)
  sg <- subgroup_nma(fit, era)
  s <- sg$subgroups
  expect_identical(s$k, c(sum(year < 2005), sum(year >= 2005)))
  expect_false(s$connected[2])
  expect_identical(s$set_aside[2], paste(setdiff(st[era == "late"], sg$fits$late$studies),
                                         collapse = ", "))
  est <- tidy(sg)
  expect_identical(nrow(est), 2L * 9L)
  miss <- est[is.na(est$estimate), ]
  expect_true(all(miss$status %in% c("not in network", "disconnected")))
  expect_true(any(miss$status == "disconnected"))
  # comparisons estimated in one subgroup only have no test
  test <- tidy(sg, type = "test")
  one <- test$n_subgroups < 2
  expect_true(any(one))
  expect_true(all(is.na(test$Q_subgroups[one]) & is.na(test$p.value[one])))
  expect_false(anyNA(test$p.value[!one]))
  # each subgroup fit equals nma() on the studies it used
  late <- senn2013[senn2013$study %in% sg$fits$late$studies, ]
  direct <- nma(late, TE, seTE, treat1, treat2, study, reference = "plac", tau2_method = "DL")
  a <- est[est$subgroup == "late" & est$status == "estimated", ]
  b <- tidy(direct)
  expect_rel(a$estimate, b$estimate[match(a$term, b$term)])
  expect_output(print(sg), "Test of difference between subgroups")
})

test_that("bad subgroup variables get classed errors", {
  fit <- smoking_fit("DL")
  g <- alternate(fit)
  expect_error(subgroup_nma(fit, g[-1]), class = "fastnma_error_study_values")
  one <- g
  one[] <- "a"
  expect_error(subgroup_nma(fit, one), class = "fastnma_error_subgroup")
  na <- g
  na[3] <- NA
  err <- expect_error(subgroup_nma(fit, na), class = "fastnma_error_study_values")
  expect_match(conditionMessage(err), names(g)[3])
  expect_error(subgroup_nma(fit), class = "fastnma_error_missing_argument")
  mh <- suppressMessages(nma_binary(dong2013, measure = "OR"))
  expect_error(subgroup_nma(mh, stats::setNames(rep(1:2, length.out = length(mh$studies)),
                                                mh$studies)),
               class = "fastnma_error_not_supported")
  expect_error(tidy(subgroup_nma(fit, g), type = "x"), class = "fastnma_error_choice")
})

test_that("the forest has one row per subgroup and all studies, and the tests", {
  fit <- smoking_fit()
  sg <- subgroup_nma(fit, alternate(fit))
  p <- autoplot(sg)
  expect_s3_class(p, "ggplot")
  b <- ggplot2::ggplot_build(p)
  expect_identical(b$layout$panel_scales_x[[1]]$trans$name, "log-10")
  expect_equal(b$data[[1]]$xintercept[1], 0) # log10(1)
  pts <- b$data[[3]]
  est <- tidy(sg, exponentiate = TRUE)
  expect_equal(sort(10^pts$x), sort(est$estimate))
  diamonds <- b$data[[5]]
  expect_equal(sort(10^diamonds$x), sort(tidy(fit, exponentiate = TRUE)$estimate))
  test <- tidy(sg, type = "test")
  strips <- levels(b$layout$layout$panel)
  expect_true(all(grepl("difference: p =", strips)))
  expect_match(p$labels$subtitle, "overall test of difference")
  expect_identical(nlevels(ggplot2::ggplot_build(autoplot(sg, subset = "B"))$layout$layout$panel), 1L)
  expect_error(autoplot(sg, subset = "Z"), class = "fastnma_error_comparison_selection")
  expect_error(autoplot(sg, nope = 1), class = "fastnma_error_unknown_argument")
})

# Network meta-regression: nma_regression() against metafor::rma.mv fitting
# the canonical model of nma() with the covariate interactions as
# moderators, and against netmeta::netmetareg() on arm-level data.

quiet <- function(x) suppressWarnings(suppressMessages(x))

netmeta_data <- function(name) {
  e <- new.env()
  utils::data(list = name, package = "netmeta", envir = e)
  e[[name]]
}

# Design of the canonical model with `ref` as reference and the
# interactions of the chosen assumption as extra columns.
regression_canonical <- function(data, x, ref, assumption, ...) {
  cm <- canonical_model(data, ...)
  Xf <- cbind(-rowSums(cm$X), cm$X)
  colnames(Xf) <- cm$treatments
  X <- Xf[, colnames(Xf) != ref, drop = FALSE]
  xs <- as.numeric(x[cm$study])
  cm$X <- if (assumption == "common") cbind(X, slope = xs * rowSums(X)) else cbind(X, X * xs)
  cm
}

# netmetareg() names coefficients "B", "B:cv" (or "nonref:cv"); ours are
# "B", "slope:B" (or "slope"). Match them after dropping punctuation.
netmetareg_coef <- function(nr, reg) {
  key <- function(v) gsub("[^A-Za-z0-9]", "", v)
  ours <- sub("^slope:(.*)$", "\\1:cv", names(coef(reg)))
  ours[ours == "slope"] <- "nonref:cv"
  i <- match(key(ours), key(names(coef(nr))))
  stopifnot(!anyNA(i))
  list(coef = unname(coef(nr)[i]), se = unname(nr$se[i]))
}

# Arm-level networks with a study-level covariate, as contrasts from
# meta::pairwise() (so that fastnma and netmeta analyse the same numbers).
smoking_pw <- function() {
  d <- netmeta_data("smokingcessation")
  d$rob <- rep(1:2, 12)  # netmetareg()'s own (fictitious) example
  quiet(meta::pairwise(list(treat1, treat2, treat3),
                          event = list(event1, event2, event3),
                          n = list(n1, n2, n3), data = d, sm = "OR"))
}

baker_pw <- function() {
  d <- netmeta_data("Baker2009")
  pw <- quiet(meta::pairwise(treatment, exac, total, studlab = study, data = d, sm = "OR"))
  pw$year <- d$year[match(pw$studlab, d$study)] - 2000
  # DalNegro 2003 has no events in any arm: no contrast (netmeta drops it too).
  pw[!is.na(pw$TE), ]
}

dogliotti_pw <- function() {
  d <- netmeta_data("Dogliotti2014")
  d$year <- as.numeric(regmatches(d$study, regexpr("[0-9]{4}", d$study))) - 1990
  pw <- quiet(meta::pairwise(treatment, stroke, total, studlab = study, data = d, sm = "OR"))
  pw$year <- d$year[match(pw$studlab, d$study)]
  pw[!is.na(pw$TE), ]
}

study_values <- function(pw, col) {
  tapply(pw[[col]], pw$studlab, function(v) v[1])
}

# The pairwise tables are read as plain data frames with their columns named,
# so that the covariate columns are found in the data of the fit's call.
as_plain <- function(pw) {
  class(pw) <- "data.frame"
  pw
}
fit_pw <- function(pw, ref) {
  nma(as_plain(pw), TE, seTE, treat1, treat2, studlab, measure = "OR", reference = ref)
}

cases <- list(
  list(name = "smoking", pw = smoking_pw, cov = "rob", ref = "A",
       assumptions = c("common", "independent")),
  list(name = "Baker2009", pw = baker_pw, cov = "year", ref = "Budesonide",
       assumptions = c("common", "independent")),
  list(name = "Dogliotti2014", pw = dogliotti_pw, cov = "year", ref = "Placebo/Control",
       assumptions = "common")
)

test_that("nma_regression() equals rma.mv on the canonical model with interactions (REML, ML)", {
  for (cs in cases) {
    pw <- cs$pw()
    x <- study_values(pw, cs$cov)
    fit <- fit_pw(pw, cs$ref)
    for (a in cs$assumptions) for (meth in c("REML", "ML")) {
      info <- paste(cs$name, a, meth)
      reg <- nma_regression(fit, x, assumption = a, tau2_method = meth)
      cm <- regression_canonical(pw, x, cs$ref, a, estimate = "TE", std.error = "seTE",
                                 study = "studlab")
      r <- rma_mv_canonical(cm, meth)
      expect_lt(max_rel_diff(coef(reg), coef(r)), 1e-5, label = info)
      expect_lt(max_rel_diff(sqrt(diag(vcov(reg))), r$se), 1e-5, label = info)
      expect_lt(max_rel_diff(reg$loglik$random[[meth]], as.numeric(logLik(r))), 1e-5,
                label = info)
      if (r$tau2 > 1e-3) {
        expect_lt(max_rel_diff(reg$tau2, r$tau2), 1e-5, label = info)
      } else {
        # Near the boundary metafor's optimiser stops a little inside it;
        # the likelihood at fastnma's estimate is at least as high.
        expect_lt(abs(reg$tau2 - r$tau2), 1e-4, label = info)
        expect_gte(reg$loglik$random[[meth]], as.numeric(logLik(r)) - 1e-8, label = info)
      }
      # residual heterogeneity: metafor's QE
      expect_lt(max_rel_diff(reg$Q, r$QE), 1e-6, label = info)
    }
  }
})

test_that("nma_regression() equals netmetareg() on arm-level data", {
  for (cs in cases) {
    pw <- cs$pw()
    x <- study_values(pw, cs$cov)
    fit <- fit_pw(pw, cs$ref)
    nm <- netmeta::netmeta(pw, reference.group = cs$ref)
    nm$data$cv <- as.numeric(x[nm$data$studlab])
    for (a in cs$assumptions) for (meth in c("REML", "ML")) {
      info <- paste(cs$name, a, meth)
      reg <- nma_regression(fit, x, assumption = a, tau2_method = meth)
      nr <- quiet(netmeta::netmetareg(nm, cv, assumption = a, method.tau = meth))
      nc <- netmetareg_coef(nr, reg)
      expect_lt(max_rel_diff(coef(reg), nc$coef), 1e-5, label = info)
      expect_lt(max_rel_diff(sqrt(diag(vcov(reg))), nc$se), 1e-5, label = info)
      if (nr$tau2 > 1e-3) {
        expect_lt(max_rel_diff(reg$tau2, nr$tau2), 1e-5, label = info)
      } else {
        expect_lt(abs(reg$tau2 - nr$tau2), 1e-6, label = info)
      }
      expect_lt(max_rel_diff(reg$Q, nr$QE), 1e-6, label = info)
    }
  }
})

test_that("the smoking network with its interior tau^2 matches netmetareg() to 1e-6", {
  pw <- smoking_pw()
  x <- study_values(pw, "rob")
  fit <- fit_pw(pw, "A")
  nm <- netmeta::netmeta(pw, reference.group = "A", common = FALSE)
  nm$data$cv <- as.numeric(x[nm$data$studlab])
  for (a in c("common", "independent")) {
    reg <- nma_regression(fit, x, assumption = a)
    nr <- quiet(netmeta::netmetareg(nm, cv, assumption = a))
    nc <- netmetareg_coef(nr, reg)
    expect_gt(reg$tau2, 0.3)
    expect_lt(max_rel_diff(coef(reg), nc$coef), 1e-6)
    expect_lt(max_rel_diff(sqrt(diag(vcov(reg))), nc$se), 1e-6)
    expect_lt(max_rel_diff(reg$tau2, nr$tau2), 1e-6)
    g <- glance(reg)
    if (a == "common") {
      expect_equal(g$slope, nc$coef[length(nc$coef)], tolerance = 1e-6)
      expect_equal(g$slope_se, nc$se[length(nc$se)], tolerance = 1e-6)
    } else {
      expect_true(is.na(g$slope))
      # Wald test of the slopes: metafor's QM for the interaction terms
      r2 <- anova(nr, btt = grep(":", names(coef(nr))))
      expect_equal(g$Q_slopes, r2$QM, tolerance = 1e-6)
    }
  }
})

test_that("multi-arm contrasts: the exact likelihood (rma.mv), not netmeta's reduced weights", {
  # Senn et al. (2013) given as contrasts, one three-arm study; a fictitious
  # covariate. fastnma fits the exact likelihood, as rma.mv does; netmeta's
  # netmetareg() starts from its reduced-weights covariance and differs
  # slightly (documented in ?nma_regression).
  d <- senn2013
  st <- unique(d$study)
  x <- stats::setNames(seq_along(st) %% 3, st)
  fit <- nma(d, TE, seTE, treat1, treat2, study, measure = "MD", reference = "plac")
  for (meth in c("REML", "ML")) {
    reg <- nma_regression(fit, x, tau2_method = meth)
    cm <- regression_canonical(d, x, "plac", "common", estimate = "TE", std.error = "seTE")
    r <- rma_mv_canonical(cm, meth)
    expect_lt(max_rel_diff(coef(reg), coef(r)), 1e-5)
    expect_lt(max_rel_diff(sqrt(diag(vcov(reg))), r$se), 1e-5)
    expect_lt(max_rel_diff(reg$tau2, r$tau2), 1e-5)
  }
})

test_that("DL and PM: the generalised moment estimators for the regression design", {
  pw <- smoking_pw()
  x <- study_values(pw, "rob")
  fit <- fit_pw(pw, "A")
  for (a in c("common", "independent")) {
    cm <- regression_canonical(pw, x, "A", a, estimate = "TE", std.error = "seTE",
                               study = "studlab")
    reg <- nma_regression(fit, x, assumption = a, tau2_method = "DL")
    expect_equal(reg$tau2, canonical_dl(cm), tolerance = 1e-10)
    f <- canonical_fit(cm, reg$tau2)
    expect_equal(unname(coef(reg)), unname(f$beta), tolerance = 1e-8)
    expect_equal(unname(vcov(reg)), unname(f$cov), tolerance = 1e-8)
    pm <- nma_regression(fit, x, assumption = a, tau2_method = "PM")
    expect_equal(canonical_fit(cm, pm$tau2)$Q, length(cm$y) - ncol(cm$X), tolerance = 1e-8)
  }
})

test_that("centring moves the effects, not the slopes or tau^2; preset tau^2 = 0 is the common model", {
  pw <- smoking_pw()
  x <- study_values(pw, "rob")
  fit <- fit_pw(pw, "A")
  for (a in c("common", "independent")) {
    r0 <- nma_regression(fit, x, assumption = a)
    r1 <- nma_regression(fit, x, assumption = a, center = TRUE)
    r2 <- nma_regression(fit, x, assumption = a, center = 1.25)
    expect_equal(r1$center, mean(x))
    expect_equal(r1$tau2, r0$tau2, tolerance = 1e-8)
    sl <- grep("^slope", names(coef(r0)))
    expect_equal(coef(r1)[sl], coef(r0)[sl], tolerance = 1e-8)
    at <- predict(r0, at = 1.25)
    expect_equal(unname(coef(r2)[-sl]), at$estimate, tolerance = 1e-8)
    expect_equal(sqrt(diag(vcov(r2)))[-sl], at$std.error, tolerance = 1e-8, ignore_attr = TRUE)
    p0 <- nma_regression(fit, x, assumption = a, tau2 = 0)
    expect_equal(p0$random, p0$common)
    expect_identical(p0$tau2_method, "preset")
  }
})

test_that("predict() equals metafor's predictions at new covariate values", {
  pw <- baker_pw()
  x <- study_values(pw, "year")
  fit <- fit_pw(pw, "Budesonide")
  reg <- nma_regression(fit, x, assumption = "independent")
  cm <- regression_canonical(pw, x, "Budesonide", "independent", estimate = "TE",
                             std.error = "seTE", study = "studlab")
  r <- rma_mv_canonical(cm, "REML")
  p <- predict(reg, at = c(-3, 5))
  ntr <- ncol(cm$X) / 2
  newX <- do.call(rbind, lapply(c(-3, 5), function(a) {
    E <- diag(ntr)
    cbind(E, E * a)
  }))
  mp <- predict(r, newmods = newX)
  expect_lt(max_rel_diff(p$estimate, mp$pred), 1e-5)
  expect_lt(max_rel_diff(p$std.error, mp$se), 1e-5)
  expect_identical(p$treat1, rep(setdiff(fit$treatments, "Budesonide"), 2))
  expect_true(all(p$treat2 == "Budesonide"))
  # every pair, canonical orientation
  pa <- predict(reg, at = 0, comparisons = "all")
  expect_identical(nrow(pa), as.integer(choose(fit$n, 2)))
  i <- which(pa$treat1 == "Placebo" & pa$treat2 == "Fluticasone")
  b <- coef(reg)
  expect_equal(pa$estimate[i], unname(b["Placebo"] - b["Fluticasone"]), tolerance = 1e-10)
  expect_equal(predict(reg, newdata = data.frame(x = c(-3, 5)))$estimate, p$estimate)
})

test_that("the covariate is found as a column of the fit's data, of `data`, or by study", {
  pw <- smoking_pw()
  x <- study_values(pw, "rob")
  fit <- fit_pw(pw, "A")
  ref <- nma_regression(fit, x)
  expect_equal(coef(nma_regression(fit, rob)), coef(ref))
  expect_equal(coef(nma_regression(fit, "rob")), coef(ref))
  tab <- data.frame(studlab = names(x), dose = as.numeric(x))
  r <- nma_regression(fit, dose, data = tab)
  expect_equal(coef(r)[1:3], coef(ref)[1:3])
  expect_identical(r$covariate_name, "dose")
  # one value per contrast of the fit
  expect_equal(coef(nma_regression(fit, as.numeric(x[fit$data$study]))), coef(ref),
               ignore_attr = TRUE)
  # a two-level factor is coded 0/1 for its second level
  lv <- factor(ifelse(x == 2, "high", "low"), levels = c("low", "high"))
  names(lv) <- names(x)
  rf <- nma_regression(fit, lv)
  expect_identical(rf$covariate_levels, c("low", "high"))
  expect_equal(unname(coef(rf)["slope"]), unname(coef(ref)["slope"]), tolerance = 1e-8)
  # fits from arm-level data: the column of the arm table
  arms <- transform(smokingcessation, rob = as.integer(factor(study)) %% 2)
  fb <- quiet(nma_binary(arms, measure = "OR", method = "IV", reference = "A"))
  rb <- nma_regression(fb, rob, data = arms)
  expect_s3_class(rb, "nma_regression")
})

test_that("bad covariates and unsuitable fits are classed errors naming the study", {
  pw <- smoking_pw()
  x <- study_values(pw, "rob")
  fit <- fit_pw(pw, "A")
  err <- expect_error(nma_regression(fit, x[-1]), class = "fastnma_error_covariate")
  expect_match(conditionMessage(err), names(x)[1])
  xv <- x; xv[3] <- NA
  expect_error(nma_regression(fit, xv), class = "fastnma_error_covariate")
  pw2 <- pw
  pw2$rob[1] <- 7  # differs within study 1's rows
  fit2 <- nma(as_plain(pw2), TE, seTE, treat1, treat2, studlab, measure = "OR",
              reference = "A")
  err <- expect_error(nma_regression(fit2, rob), class = "fastnma_error_covariate")
  expect_match(conditionMessage(err), "study-level")
  expect_error(nma_regression(fit, stats::setNames(rep(1, length(x)), names(x))),
               class = "fastnma_error_covariate")
  expect_error(nma_regression(fit, stats::setNames(letters[seq_along(x)], names(x))),
               class = "fastnma_error_covariate")
  expect_error(nma_regression(fit, 1:3), class = "fastnma_error_covariate")
  expect_error(nma_regression(fit, no_such_thing), class = "fastnma_error_covariate")
  expect_error(nma_regression(fit, x, center = "a"), class = "fastnma_error_covariate")
  # a treatment seen at one covariate value only: its slope is not identified
  d <- dogliotti_pw()
  fd <- fit_pw(d, "Placebo/Control")
  err <- expect_error(nma_regression(fd, study_values(d, "year"), assumption = "independent"),
                      class = "fastnma_error_covariate")
  expect_match(conditionMessage(err), "common")
  expect_error(nma_regression(fit, x, assumption = "both"), class = "fastnma_error_choice")
  expect_error(nma_regression(fit, x, tau2_method = "EB"), class = "fastnma_error_choice")
  expect_error(nma_regression(fit, x, foo = 1), class = "fastnma_error_unknown_argument")
  expect_error(nma_regression(fit), class = "fastnma_error_missing_argument")
  mh <- quiet(nma_binary(dong2013, measure = "OR"))
  expect_error(nma_regression(mh, stats::setNames(seq_along(mh$studies), mh$studies)),
               class = "fastnma_error_not_supported")
  expect_error(nma_regression(data.frame(), 1), class = "fastnma_error_not_fit")
})

test_that("tidy(), glance() and print() follow the result contract", {
  pw <- smoking_pw()
  x <- study_values(pw, "rob")
  fit <- fit_pw(pw, "A")
  reg <- nma_regression(fit, x, assumption = "independent")
  td <- tidy(reg)
  expect_s3_class(td, "tbl_df")
  expect_identical(names(td)[1:5], c("term", "parameter", "treat1", "treat2", "model"))
  expect_true(all(c("estimate", "std.error", "conf.low", "conf.high", "statistic",
                    "p.value") %in% names(td)))
  expect_identical(td$term[1:3], c("B vs A", "C vs A", "D vs A"))
  expect_identical(td$parameter, rep(c("effect", "slope"), each = 3))
  expect_equal(td$estimate, unname(coef(reg)))
  te <- tidy(reg, model = "common", exponentiate = TRUE)
  expect_equal(te$estimate, exp(unname(coef(reg, model = "common"))))
  expect_error(tidy(nma_regression(nma(senn2013, TE, seTE, treat1, treat2, study,
                                       measure = "MD"),
                                   stats::setNames(seq_along(unique(senn2013$study)) %% 2,
                                                   unique(senn2013$study))),
                    exponentiate = TRUE), class = "fastnma_error_exponentiate")
  g <- glance(reg, model = "common")
  expect_identical(nrow(g), 1L)
  expect_identical(g$tau2, 0)
  expect_identical(g$df, fit$n_obs - 6L)
  expect_equal(g$logLik, reg$loglik$common[["ML"]])
  out <- utils::capture.output(print(reg))
  expect_true(any(grepl("Odds ratio", out)))
  expect_true(any(grepl("slope: B vs A", out, fixed = TRUE)))
  expect_true(all(fastnma_glossary()$column %in% fastnma_glossary()$column))
  cols <- unique(c(names(td), names(g), names(glance(reg)), names(predict(reg))))
  expect_silent(fastnma_glossary(cols))
})

test_that("autoplot() draws effect against covariate with bands and study points", {
  pw <- smoking_pw()
  x <- study_values(pw, "rob")
  fit <- fit_pw(pw, "A")
  reg <- nma_regression(fit, x, assumption = "independent")
  p <- autoplot(reg)
  expect_s3_class(p, "ggplot")
  b <- ggplot2::ggplot_build(p)
  # null line at 1 on the ratio scale (log10 axis: 0)
  expect_equal(unique(b$data[[1]]$yintercept), 0)
  expect_identical(p$labels$y, "Odds ratio")
  pr <- predict(reg, at = range(x), exponentiate = TRUE)
  line <- b$data[[3]]
  ends <- line[line$x %in% range(x), ]
  expect_equal(sort(10^ends$y), sort(pr$estimate), tolerance = 1e-8)
  pts <- b$data[[4]]
  direct <- sum(pw$treat1 == "A" | pw$treat2 == "A")
  expect_identical(nrow(pts), direct)
  pl <- autoplot(reg, exponentiate = FALSE, prediction = TRUE, treatments = "C")
  bl <- ggplot2::ggplot_build(pl)
  expect_equal(unique(bl$data[[1]]$yintercept), 0)
  expect_identical(length(unique(bl$data[[3]]$PANEL)), 1L)
  expect_error(autoplot(reg, treatments = "A"), class = "fastnma_error_treatment_selection")
  expect_error(autoplot(reg, foo = 1), class = "fastnma_error_unknown_argument")
})

test_that("simulate_msc_dose(): the common dose slope is recovered (fixed seed)", {
  slope <- -0.5
  sim <- simulate_msc_dose(seed = 2026, slope = slope, tau = 0, sd = 0.5)
  expect_true(isTRUE(attr(sim, "simulated")))
  expect_true(all(sim$simulated))
  expect_true(all(grepl("^SIMULATED", sim$source)))
  # sourced single-number doses are used: Lee 2019 injected 1e8 cells
  expect_equal(unique(sim$dose[sim$study == "lee2019"]), 8)
  expect_identical(unique(sim$dose_from[sim$study == "lee2019"]), "register")
  # geometric mean of 10e6 and 100e6 for Lamo-Espinosa 2016
  expect_equal(unique(sim$dose[sim$study == "lamoespinosa2016"]), 7.5)
  expect_identical(unique(sim$dose_from[sim$study == "matas2019"]), "simulated")
  expect_true(all(tapply(sim$dose, sim$study, function(v) length(unique(v))) == 1L))
  fit <- nma(arm_contrasts(sim, study, treatment, n, mean, sd, measure = "MD"),
             reference = "Control")
  reg <- nma_regression(fit, dose, data = sim, assumption = "common", center = 7)
  td <- tidy(reg, model = "common")
  s <- td[td$parameter == "slope", ]
  expect_lte(s$conf.low, slope)
  expect_gte(s$conf.high, slope)
  # tau = 0, within-arm SD 0.5: the slope's SE is about 0.05; within 0.15
  expect_lt(abs(s$estimate - slope), 0.15)
  eff <- td[td$parameter == "effect", ]
  expect_lt(max(abs(eff$estimate - c(Allo = -1.5, Auto = -1.0)[eff$treat1])), 0.15)
  # the random-effects slope (tau estimated) covers it too
  tr <- tidy(reg)
  sr <- tr[tr$parameter == "slope", ]
  expect_true(sr$conf.low <= slope && slope <= sr$conf.high)
  # same seed, same data; global random state untouched
  set.seed(1); before <- stats::runif(1); set.seed(1)
  again <- simulate_msc_dose(seed = 2026, slope = slope, tau = 0, sd = 0.5)
  expect_identical(stats::runif(1), before)
  expect_identical(again, sim)
  expect_error(simulate_msc_dose(), class = "fastnma_error_seed")
  expect_error(simulate_msc_dose(1, effects = c(Allo = -1)), class = "fastnma_error_effects")
  expect_error(simulate_msc_dose(1, sd = 0), class = "fastnma_error_dispersion")
  expect_error(simulate_msc_dose(1, dose_range = c(8, 7)), class = "fastnma_error_effects")
})

# Property test of the core entry points: many random networks, valid and
# invalid, generated with a fixed seed. For each network every verb either
# returns finite numbers (NA only where documented) or stops with a classed
# `fastnma_error`. The verbs run in a child R process, so that a crash fails
# this test instead of ending the test run.

# One contrast-level data frame from arms (a list of treatment-index vectors,
# one per study), with consistent multi-arm contrasts built from arm means.
fuzz_contrasts <- function(arms, labels, se_range = c(0.05, 0.5),
                           study_labels = NULL) {
  n_treat <- length(labels)
  d <- c(0, stats::rnorm(n_treat - 1, sd = 0.5))
  rows <- list()
  for (s in seq_along(arms)) {
    a <- arms[[s]]
    mu <- stats::rnorm(1)
    m <- mu + d[a] + stats::rnorm(length(a), sd = 0.1)
    v <- exp(stats::runif(length(a), log(se_range[1]^2 / 2), log(se_range[2]^2 / 2)))
    cmb <- utils::combn(length(a), 2)
    for (k in seq_len(ncol(cmb))) {
      i <- cmb[1, k]
      j <- cmb[2, k]
      if (stats::runif(1) < 0.5) {
        tmp <- i; i <- j; j <- tmp
      }
      rows[[length(rows) + 1L]] <- data.frame(
        study = if (is.null(study_labels)) paste0("S", s) else study_labels[s],
        treat1 = labels[a[i]], treat2 = labels[a[j]],
        estimate = m[i] - m[j], std.error = sqrt(v[i] + v[j]),
        stringsAsFactors = FALSE
      )
    }
  }
  do.call(rbind, rows)
}

fuzz_labels <- function(n) sprintf("T%02d", seq_len(n))

# Arms of the valid shapes.
fuzz_arms <- function(shape, n) {
  switch(shape,
    star = lapply(2:n, function(t) c(1L, t)),
    tree = lapply(2:n, function(t) c(t, sample.int(t - 1L, 1L))),
    single = list(seq_len(n)),
    triangle = list(c(1L, 2L), c(2L, 3L), c(1L, 3L)),
    multiarm = c(
      lapply(2:n, function(t) c(t, sample.int(t - 1L, 1L))),
      replicate(sample(1:4, 1), sample.int(n, 2L + sample.int(min(n, 5) - 2L, 1)), simplify = FALSE)
    ),
    random = c(
      lapply(2:n, function(t) c(t, sample.int(t - 1L, 1L))),
      replicate(sample(1:(2 * n), 1), sample.int(n, 2L), simplify = FALSE),
      if (n >= 3) replicate(sample(0:2, 1), sample.int(n, 3L), simplify = FALSE)
    )
  )
}

fuzz_valid <- function(shape) {
  n <- switch(shape, triangle = 3L, single = sample(2:5, 1),
              sample(2:30, 1))
  if (shape %in% c("multiarm") && n < 3) n <- 3L
  arms <- fuzz_arms(shape, n)
  list(name = paste0(shape, "-", n), data = fuzz_contrasts(arms, fuzz_labels(n)),
       valid = TRUE)
}

# Invalid or degenerate networks: derived from a valid one.
fuzz_invalid <- function(kind) {
  base <- fuzz_contrasts(fuzz_arms("random", sample(3:12, 1)),
                         fuzz_labels(12))
  d <- base
  r <- sample.int(nrow(d), 1)
  valid <- FALSE
  switch(kind,
    disconnected = {
      other <- fuzz_contrasts(list(c(1L, 2L), c(2L, 3L)), c("X1", "X2", "X3"))
      other$study <- paste0("X", other$study)
      d <- rbind(d, other)
    },
    duplicate_pair = d <- rbind(d, d[r, ]),
    inconsistent_multiarm = {
      m <- fuzz_contrasts(list(c(1L, 2L, 3L)), fuzz_labels(3))
      m$study <- "M"
      m$estimate[1] <- m$estimate[1] + 1
      d <- rbind(d, m)
    },
    tiny_se = {
      d$std.error <- d$std.error * 1e-90
      valid <- TRUE
    },
    huge_se = {
      d$std.error <- d$std.error * 1e90
      d$estimate <- d$estimate * 1e90
      valid <- TRUE
    },
    mixed_se = {
      d$std.error[r] <- 1e-99
      d$std.error[-r] <- d$std.error[-r] * 1e50
      # weights 1e100 apart: numerically singular, refused or fitted
      valid <- NA
    },
    huge_estimate = {
      d$estimate[r] <- 9e99
      valid <- TRUE
    },
    na_estimate = d$estimate[r] <- NA,
    inf_estimate = d$estimate[r] <- Inf,
    nan_se = d$std.error[r] <- NaN,
    negative_se = d$std.error[r] <- -abs(d$std.error[r]),
    zero_se = d$std.error[r] <- 0,
    inf_se = d$std.error[r] <- Inf,
    na_label = d$treat1[r] <- NA,
    # accepted or refused, but never a crash or a wrong number
    empty_label = {
      d$treat2[r] <- ""
      valid <- NA
    },
    empty_study = {
      d$study[r] <- ""
      valid <- NA
    },
    space_label = {
      d$treat1[d$treat1 == d$treat1[r]] <- paste0(" ", d$treat1[r], " ")
      valid <- NA
    },
    colon_label = {
      d$treat1 <- sub("T0", "T:", d$treat1)
      d$treat2 <- sub("T0", "T:", d$treat2)
      valid <- NA
    },
    cr_label = {
      d$treat1 <- sub("T0", "T\r", d$treat1)
      d$treat2 <- sub("T0", "T\r", d$treat2)
      valid <- NA
    },
    vs_label = {
      d$treat1 <- sub("T0", "A vs T", d$treat1)
      d$treat2 <- sub("T0", "A vs T", d$treat2)
      valid <- NA
    },
    self = d$treat2[r] <- d$treat1[r]
  )
  list(name = kind, data = d, valid = valid)
}

# Runs every verb on one network, in the calling process, and returns a
# list of findings: "ok", "classed" (with the class) or a problem.
fuzz_run_case <- function(case, n_sim = 100L) {
  suppressPackageStartupMessages(library(fastnma))
  out <- character()
  note <- function(what, result) out[[what]] <<- result
  nonfinite <- function(df, allow = character()) {
    df <- as.data.frame(df)
    num <- vapply(df, is.double, logical(1))
    bad <- character()
    for (col in names(df)[num]) {
      x <- df[[col]]
      if (any(is.nan(x) | is.infinite(x))) bad <- c(bad, paste0(col, ":NaN/Inf"))
      if (!(col %in% allow) && anyNA(x)) bad <- c(bad, paste0(col, ":NA"))
    }
    bad
  }
  run <- function(what, expr, check = NULL) {
    res <- tryCatch(
      withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"),
                          message = function(m) invokeRestart("muffleMessage")),
      fastnma_error = function(e) structure(list(class = class(e)[1]), class = "fuzz_classed"),
      error = function(e) structure(list(msg = conditionMessage(e)), class = "fuzz_unclassed")
    )
    if (inherits(res, "fuzz_classed")) {
      note(what, paste("classed", res$class))
      return(NULL)
    }
    if (inherits(res, "fuzz_unclassed")) {
      note(what, paste("UNCLASSED:", res$msg))
      return(NULL)
    }
    bad <- if (is.null(check)) character() else check(res)
    note(what, if (length(bad)) paste("NONFINITE:", paste(bad, collapse = ", ")) else "ok")
    res
  }
  printed <- function(x) {
    utils::capture.output(print(x))
    character()
  }
  for (method in c("REML", "DL", "ML", "PM")) {
    f <- run(paste0("nma/", method), nma(case$data, tau2_method = method))
    if (is.null(f)) next
    g <- glance(f)
    df0 <- g$df == 0
    allow_g <- c(if (df0) c("I2", "I2_lower", "I2_upper", "p.value"),
                 # one degree of freedom and Q <= 2: the interval of I2 is
                 # undefined
                 if (g$df == 1 && g$Q <= 2) c("I2_lower", "I2_upper"),
                 if (g$df_within == 0) "p_value_within",
                 if (g$df_between == 0) "p_value_between",
                 # the log-likelihood belongs to the likelihood estimators
                 if (method %in% c("DL", "PM")) "logLik")
    m <- function(v) paste0(v, "/", method)
    run(m("glance"), g, function(x) nonfinite(x, allow_g))
    run(m("tidy"), tidy(f), function(x) nonfinite(x, if (df0) c("pred.low", "pred.high")))
    run(m("tidy_common"), tidy(f, model = "common"),
        function(x) nonfinite(x, c("pred.low", "pred.high")))
    run(m("print"), f, printed)
    ns <- run(m("node_split"), node_split(f), function(x) {
      t <- tidy(x)
      # no indirect evidence: indirect and difference rows are NA
      c(nonfinite(t, c("estimate", "std.error", "conf.low", "conf.high",
                       "statistic", "p.value")),
        nonfinite(t[t$evidence == "network", ], c("statistic", "p.value")),
        printed(x))
    })
    run(m("league"), league_table(f),
        function(x) c(nonfinite(tidy(x), if (df0) c("pred.low", "pred.high")), printed(x)))
    run(m("pscore"), rank_treatments(f, "pscore"),
        function(x) c(nonfinite(tidy(x)), printed(x)))
    run(m("sucra"), rank_treatments(f, "sucra", n_sim = n_sim, seed = 1),
        function(x) c(nonfinite(tidy(x)), nonfinite(tidy(x, probabilities = TRUE)),
                      printed(x)))
    run(m("inconsistency"), inconsistency(f), function(x) {
      allow <- if (any(tidy(x)$df == 0)) "p.value" else character()
      c(nonfinite(tidy(x), allow), nonfinite(glance(x), c("p.value", "p_value_random")),
        printed(x))
    })
    run(m("leave_one_out"), leave_one_out(f), function(x) {
      # comparisons that a left-out study disconnects are NA
      c(nonfinite(tidy(x), c("estimate", "std.error", "conf.low", "conf.high",
                            "statistic", "p.value")),
        nonfinite(glance(x), c("max_impact")), printed(x))
    })
    run(m("threshold"), threshold(f), function(x) {
      # unbounded invariant intervals are infinite by design: the limits
      # must lie on either side of zero
      t <- tidy(x)
      c(nonfinite(t[c("estimate", "std.error")]),
        if (!all(t$threshold_lower < 0 & t$threshold_upper > 0)) "lower/upper:not around 0",
        nonfinite(tidy(threshold(f, level = "contrast"))[c("estimate", "std.error")]),
        printed(x))
    })
    run(m("outliers"), outliers(f), function(x) {
      # studies whose removal disconnects the network (or contrasts of
      # leverage 1) have no deletion (studentized) measures
      c(nonfinite(tidy(x), c("stud_residual", "raw_residual_deleted", "std_residual_deleted",
                             "stud_residual_deleted", "weight_deleted", "leverage_deleted",
                             "cook_distance", "cov_ratio", "R_Q", "R_tau2", "tau2_deleted")),
        printed(x))
    })
    run(m("forward_search"), forward_search(f, n_candidates = 3, seed = 1), function(x) {
      c(nonfinite(tidy(x), c("cook_distance", "cov_ratio")), printed(x))
    })
    run(m("contributions"), contributions(f),
        function(x) c(nonfinite(tidy(x)), printed(x)))
    run(m("direct"), direct_estimates(f), function(x) {
      t <- tidy(x)
      c(nonfinite(t, if (any(t$df == 0)) c("Q", "p.value") else character()),
        printed(x))
    })
  }
  out
}

fuzz_cases <- function(seed = 20261202L) {
  set.seed(seed)
  valid <- rep(c("star", "tree", "single", "triangle", "multiarm", "random"),
               c(6, 6, 4, 2, 6, 8))
  invalid <- c("disconnected", "duplicate_pair", "inconsistent_multiarm",
               "tiny_se", "huge_se", "mixed_se", "huge_estimate", "na_estimate",
               "inf_estimate", "nan_se", "negative_se", "zero_se", "inf_se",
               "na_label", "empty_label", "empty_study", "space_label",
               "colon_label", "cr_label", "vs_label", "self")
  c(lapply(valid, fuzz_valid), lapply(invalid, fuzz_invalid))
}

test_that("every verb gives finite results or a classed error on random networks", {
  skip_on_cran()
  skip_if_not_installed("callr")
  cases <- fuzz_cases()
  progress <- tempfile()
  on.exit(unlink(progress), add = TRUE)
  results <- tryCatch(
    callr::r(function(cases, run_case, progress) {
      lapply(seq_along(cases), function(i) {
        cat(cases[[i]]$name, "\n", file = progress)
        run_case(cases[[i]])
      })
    }, args = list(cases = cases, run_case = fuzz_run_case, progress = progress),
    libpath = .libPaths()),
    error = function(e) {
      last <- if (file.exists(progress)) readLines(progress) else "(none)"
      fail(paste0("The child process failed (a crash?) at case ", last, ": ",
                  conditionMessage(e)))
      NULL
    }
  )
  if (is.null(results)) return(invisible())
  expect_length(results, length(cases))
  # one report of every problem, so a failure lists all cases at once
  problems <- character()
  for (i in seq_along(cases)) {
    r <- results[[i]]
    name <- cases[[i]]$name
    bad <- r[grepl("^(UNCLASSED|NONFINITE)", r)]
    if (length(bad)) {
      problems <- c(problems, paste0(name, ": ", names(bad), " -> ", bad))
    }
    # valid networks fit with every estimator
    fits <- r[paste0("nma/", c("REML", "DL", "ML", "PM"))]
    if (isTRUE(cases[[i]]$valid) && !all(fits == "ok")) {
      problems <- c(problems, paste0(name, " did not fit: ", paste(fits, collapse = "; ")))
    }
    # invalid networks are refused with a classed error
    if (identical(cases[[i]]$valid, FALSE) && !grepl("^classed", r[["nma/REML"]])) {
      problems <- c(problems, paste0(name, " was not refused: ", r[["nma/REML"]]))
    }
  }
  expect(length(problems) == 0L, paste(problems, collapse = "\n"))
  # the battery really ran: every case reached nma(), and most fits ran
  # every verb
  n_verbs <- sum(vapply(results, function(r) sum(r == "ok"), numeric(1)))
  expect_gt(n_verbs, 1000)
})

# Regressions found by the fuzz battery ---------------------------------------

fuzz_loop <- data.frame(
  study = c("S1", "S2", "S3", "S4"), treat1 = c("B", "C", "C", "B"),
  treat2 = c("A", "A", "B", "A"), estimate = c(0.1, 0.2, 0.3, 0.15),
  std.error = c(0.3, 0.2, 0.25, 0.4)
)

test_that("back-calculated node splitting is scale-equivariant up to huge accepted scales", {
  # the indirect variance used to be formed as a product of two variances,
  # which overflows to Inf once they pass ~1e154 (standard errors ~1e77)
  scaled <- transform(fuzz_loop, estimate = estimate * 1e90, std.error = std.error * 1e90)
  for (method in c("DL", "REML")) {
    small <- node_split(suppressMessages(nma(fuzz_loop, tau2_method = method)), model = "common")
    big <- node_split(suppressMessages(nma(scaled, tau2_method = method)), model = "common")
    expect_true(all(is.finite(big$indirect_se)))
    expect_equal(big$indirect_se / 1e90, small$indirect_se, tolerance = 1e-10)
    expect_equal(big$diff_se / 1e90, small$diff_se, tolerance = 1e-10)
    expect_equal(big$statistic, small$statistic, tolerance = 1e-10)
  }
})

test_that("comparisons without indirect evidence are NA, not NaN, in node_split()", {
  star <- data.frame(study = c("S1", "S2", "S3"), treat1 = c("B", "C", "D"),
                     treat2 = "A", estimate = c(0.1, 0.2, 0.3), std.error = 0.3)
  ns <- node_split(suppressMessages(nma(star)))
  expect_true(all(ns$evidence == "direct only"))
  for (col in c("indirect", "indirect_se", "diff", "diff_se", "statistic", "p.value")) {
    expect_true(all(is.na(ns[[col]])), info = col)
    expect_false(any(is.nan(ns[[col]])), info = col)
  }
  t <- tidy(ns)
  expect_false(any(vapply(t, function(x) is.double(x) && any(is.nan(x)), logical(1))))
  # the direct and network rows are still numbers
  expect_equal(ns$direct, c(0.1, 0.2, 0.3))
})

test_that("leave_one_out() reports comparisons it cuts off as NA, not NaN", {
  star <- data.frame(study = c("S1", "S2", "S3"), treat1 = c("B", "C", "D"),
                     treat2 = "A", estimate = c(0.1, 0.2, 0.3), std.error = 0.3)
  l <- leave_one_out(suppressMessages(nma(star)))
  est <- l$estimates
  cut <- est$study == "S1" & est$treat1 == "B"
  expect_true(all(is.na(est$estimate[cut])) && all(is.na(est$std.error[cut])))
  expect_false(any(is.nan(est$estimate)) || any(is.nan(est$std.error)))
  expect_equal(est$estimate[!cut & est$study == "S1" & est$treat1 == "C"], c(0.2, 0.2))
  t <- tidy(l)
  expect_false(any(vapply(t, function(x) is.double(x) && any(is.nan(x)), logical(1))))
})

test_that("labels holding separators give the same numbers as plain labels", {
  # ":" " vs " "\r" and surrounding text must never be read as part of an
  # internal key: every verb's numbers follow the treatments, not the labels
  set.seed(20261203L)
  d <- fuzz_contrasts(fuzz_arms("random", 6L), fuzz_labels(6))
  plain <- suppressMessages(nma(d, reference = "T01"))
  for (odd in c("a:b", "a vs b", "a\rb", "a\r", "vs", " vs ", ":")) {
    map <- stats::setNames(paste0(odd, seq_len(6)), fuzz_labels(6))
    e <- transform(d, treat1 = map[treat1], treat2 = map[treat2])
    f <- suppressMessages(nma(e, reference = map[["T01"]]))
    back <- function(x) names(map)[match(x, map)]
    lt <- as.data.frame(tidy(league_table(f)))
    lp <- as.data.frame(tidy(league_table(plain)))
    lt <- lt[order(back(lt$treat1), back(lt$treat2)), ]
    lp <- lp[order(lp$treat1, lp$treat2), ]
    expect_equal(back(lt$treat1), lp$treat1, info = odd)
    expect_equal(lt$estimate, lp$estimate, info = odd)
    rt <- tidy(rank_treatments(f))
    rp <- tidy(rank_treatments(plain))
    expect_equal(rt$pscore[match(rp$treatment, back(rt$treatment))], rp$pscore, info = odd)
    dt <- as.data.frame(tidy(direct_estimates(f)))
    dp <- as.data.frame(tidy(direct_estimates(plain)))
    dt <- dt[order(back(dt$treat1), back(dt$treat2)), ]
    dp <- dp[order(dp$treat1, dp$treat2), ]
    expect_equal(dt$estimate, dp$estimate, info = odd)
    ct <- tidy(contributions(f))
    cp <- tidy(contributions(plain))
    expect_equal(sort(ct$contribution), sort(cp$contribution), info = odd)
  }
})

# The conditional-likelihood (NCH) fits on random sparse binary networks ----

test_that("NCH fits of random sparse networks: finite results or classed errors, never NaN", {
  skip_on_cran()
  q <- function(x) suppressWarnings(suppressMessages(x))
  outcomes <- character()
  for (i in 1:16) {
    arm <- random_arm_network(3 + i %% 6, 6 + 2 * i, p_multi = 0.2, max_arms = 4,
                              seed = 5000L + i)
    # rare events: many zero arms, some double-zero studies
    arm$events <- stats::rbinom(nrow(arm), arm$n, c(0.005, 0.02, 0.05)[1 + i %% 3])
    if (i %% 5 == 0) arm$events[arm$study == arm$study[1]] <- arm$n[arm$study == arm$study[1]]
    for (lik in c("exact", "binomial")) {
      res <- tryCatch(q(nma_binary(arm, method = "NCH", likelihood = lik)),
                      fastnma_error = function(e) e)
      if (inherits(res, "fastnma_error")) {
        outcomes <- c(outcomes, class(res)[1])
        next
      }
      outcomes <- c(outcomes, "ok")
      label <- sprintf("network %d, %s", i, lik)
      td <- tidy(res, comparisons = "all")
      expect_true(all(is.finite(td$estimate)) && all(is.finite(td$std.error)), label = label)
      expect_true(all(td$std.error > 0), label = label)
      g <- glance(res)
      expect_true(is.finite(g$logLik), label = label)
      expect_true(all(is.finite(rank_treatments(res)$pscore)), label = label)
      lt <- q(league_table(res))
      expect_false(any(is.nan(lt$estimate)), label = label)
      ae <- q(absolute_effects(res, baseline_risk = 0.05))
      expect_false(any(is.nan(as.data.frame(ae)$estimate)), label = label)
      expect_silent(utils::capture.output(print(res), print(summary(res))))
      expect_s3_class(ggplot2::ggplot_build(autoplot(res)), "ggplot_built")
      # every study given is used, set aside or audited as without information
      audit <- zero_cell_audit(res)
      expect_true(all(unique(arm$study) %in% c(res$studies, audit$study)), label = label)
    }
  }
  # only the documented failures of sparse data, and most networks fit
  expect_true(all(outcomes %in% c("ok", "fastnma_error_disconnected", "fastnma_error_empty",
                                  "fastnma_error_numerical")),
              label = paste(unique(outcomes), collapse = ", "))
  expect_gt(mean(outcomes == "ok"), 0.5)
})

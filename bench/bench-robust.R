# Threshold analysis, outlier measures and the forward search: fastnma
# against NMAoutlier, measured in one process.
#
#   Rscript bench/bench-robust.R              (from the package root)
#   FASTNMA_BENCH_PART=large Rscript bench/bench-robust.R   (fastnma only)
#
# Part "reference": smoking cessation (netmeta's smokingcessation, odds
# ratios; 4 treatments, 24 studies, two three-arm), tau^2 by DL: outliers() against NMAoutlier.measures() (simple and deletion measures)
# and forward_search() from a given initial subset against NMAoutlier() with
# the same subset (one run each: NMAoutlier refits netmeta at every step and
# takes minutes).
# Part "large": a synthetic network of 100 treatments and 1,000 studies
# (about 10% three-arm): threshold() at both levels, outliers() (every
# measure for every study) and the whole forward_search().
# Not part of the test suite.

suppressMessages({
  lib <- Sys.getenv("FASTNMA_BENCH_LIB")
  if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
  library(fastnma)
})
part <- Sys.getenv("FASTNMA_BENCH_PART", "all")

synthetic_network <- function(n_treat, n_study, seed) {
  set.seed(seed)
  trt <- sprintf("T%03d", seq_len(n_treat))
  mu <- c(0, rnorm(n_treat - 1, 0, 0.5))
  designs <- vector("list", n_study)
  perm <- sample(n_treat)
  for (i in 2:n_treat) designs[[i - 1]] <- c(perm[i], perm[sample.int(i - 1, 1)])
  for (s in n_treat:n_study) designs[[s]] <- sample(n_treat, if (runif(1) < 0.1) 3 else 2)
  rows <- lapply(seq_len(n_study), function(s) {
    a <- designs[[s]]
    v <- runif(length(a), 0.02, 0.2)
    y <- mu[a] + rnorm(length(a), 0, sqrt(v)) + rnorm(length(a), 0, 0.1)
    pr <- utils::combn(length(a), 2)
    data.frame(study = sprintf("S%04d", s), treat1 = trt[a[pr[1, ]]],
               treat2 = trt[a[pr[2, ]]], TE = y[pr[1, ]] - y[pr[2, ]],
               seTE = sqrt(v[pr[1, ]] + v[pr[2, ]]), stringsAsFactors = FALSE)
  })
  do.call(rbind, rows)
}

elapsed <- function(expr) {
  t0 <- proc.time()[["elapsed"]]
  force(expr)
  proc.time()[["elapsed"]] - t0
}

rows <- list()
add <- function(task, other, fast) {
  rows[[length(rows) + 1L]] <<- data.frame(task = task, NMAoutlier = other, fastnma = fast,
                                           ratio = other / fast)
  cat(sprintf("%-60s %10.3f s %10.3f s %10.0fx\n", task, other, fast, other / fast))
}

if (part %in% c("all", "reference")) {
  suppressMessages(library(NMAoutlier))
  d <- utils::read.csv("tests/testthat/fixtures/smokingcessation_OR_contrasts.csv")
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  t_fast <- elapsed(o <- outliers(fit))
  t_simple <- elapsed(suppressWarnings(NMAoutlier.measures(TE, seTE, treat1, treat2, study,
                                                           data = d, method.tau = "DL")))
  t_del <- elapsed(suppressWarnings(NMAoutlier.measures(TE, seTE, treat1, treat2, study,
                                                        data = d, method.tau = "DL",
                                                        measure = "deletion")))
  add("Smoking cessation: every outlier measure (simple + deletion)", t_simple + t_del, t_fast)
  initial <- forward_search(fit, seed = 1)$initial
  t_fs <- elapsed(forward_search(fit, initial = initial))
  isub <- match(initial, sort(unique(d$study)))
  t_nmao <- elapsed(suppressWarnings(NMAoutlier(TE, seTE, treat1, treat2, study, data = d,
                                                method.tau = "DL", Isub = isub, n_cores = 1)))
  add("Smoking cessation: forward search from a given initial subset", t_nmao, t_fs)
}

if (part %in% c("all", "large")) {
  big <- synthetic_network(100, 1000, seed = 29)
  fit <- nma(big, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  cat(sprintf("100 treatments, %d studies, %d contrasts\n", length(fit$studies), nrow(big)))
  t_th <- elapsed(threshold(fit))
  t_thc <- elapsed(threshold(fit, level = "contrast"))
  t_out <- elapsed(outliers(fit))
  t_fs <- elapsed(fs <- forward_search(fit, n_candidates = 20, seed = 1))
  cat(sprintf("threshold(), study level:   %8.2f s\n", t_th))
  cat(sprintf("threshold(), contrast level: %8.2f s\n", t_thc))
  cat(sprintf("outliers(), every measure:  %8.2f s\n", t_out))
  cat(sprintf("forward_search(), %d steps, 20 candidate subsets: %8.2f s\n",
              nrow(fs$steps), t_fs))
}

if (length(rows)) print(do.call(rbind, rows), digits = 4)

# Benchmark: nma_binary(method = "GLMM"), the binomial-normal model with
# fixed study effects, against lme4::glmer() fitting the same model, and
# against metafor::rma.glmm(model = "UM.FS", coding = 1) on a two-treatment
# network, in one R process.
#
#   Rscript bench/bench-binary-glmm.R        (from the package root)
#
# Environment variables:
#   FASTNMA_BENCH_LIB  library holding the fastnma build to time (prepended
#                 to .libPaths())
#   BENCH_REPEATS timed rounds of fastnma (default 5; medians); glmer and
#                 rma.glmm are timed once (they take seconds to minutes)
#   BENCH_STUDIES, BENCH_TREATMENTS  size of the networks (default 100 and 20)
#   BENCH_OUT     where to write the results table
#                 (default bench/RESULTS-binary-glmm.md)
#
# Networks: 20 treatments, 100 studies by default (n 30 to 150 per arm, baseline risk
# about 12%, tau = 0.3), every treatment compared with the first in one
# study and the other studies between random pairs; 20% three-arm studies
# in the multi-arm network. glmer() runs with its default controls, as a
# user would call it: the two-arm formula of ?nma_binary with nAGQ = 7, and
# for multi-arm studies the modular construction of ?nma_binary (Laplace,
# the only approximation lme4 allows there). Its estimates are compared
# with fastnma's (largest absolute difference of the log odds ratios).
# Times are CPU seconds of this process (user + system), so that the load of
# a shared machine does not enter the ratios. glmer's second stage optimises
# all fixed effects (one per study and treatment) by Nelder-Mead, which is
# what makes it slow on networks of many studies.

if (nzchar(Sys.getenv("FASTNMA_BENCH_LIB"))) .libPaths(c(Sys.getenv("FASTNMA_BENCH_LIB"), .libPaths()))
suppressPackageStartupMessages({
  library(fastnma)
  library(lme4)
})
repeats <- as.integer(Sys.getenv("BENCH_REPEATS", "5"))
out_file <- Sys.getenv("BENCH_OUT", file.path("bench", "RESULTS-binary-glmm.md"))
n_studies <- as.integer(Sys.getenv("BENCH_STUDIES", "100"))
n_treat <- as.integer(Sys.getenv("BENCH_TREATMENTS", "20"))
cpu <- function() {
  t <- proc.time()
  t[["user.self"]] + t[["sys.self"]]
}

sim_binary <- fastnma:::glmm_simulate

# glmer() of the model stated in ?nma_binary, default controls
glmer_fit <- function(x, n_agq) {
  trts <- sort(unique(x$treatment))
  x <- x[order(x$study, match(x$treatment, trts)), ]
  x$fs <- factor(x$study)
  x$trt <- factor(x$treatment, levels = trts)
  base <- !duplicated(x$study)
  if (all(table(x$study) == 2L)) {
    x$nb <- as.numeric(!base)
    g <- glmer(cbind(events, n - events) ~ 0 + fs + trt + (0 + nb | fs), data = x,
               family = binomial, nAGQ = n_agq)
  } else {
    N <- nrow(x)
    x$lev <- factor(seq_len(N))
    ctrl <- glmerControl(check.nobs.vs.nlev = "ignore", check.nobs.vs.nRE = "ignore")
    lf <- glFormula(cbind(events, n - events) ~ 0 + fs + trt + (1 | lev), data = x,
                    family = binomial, control = ctrl)
    si <- as.integer(x$fs)
    nb <- which(!base)
    lf$reTrms$Zt <- Matrix::sparseMatrix(i = c(si[nb], nlevels(x$fs) + seq_along(nb)),
                                         j = c(nb, nb), x = rep(sqrt(0.5), 2 * length(nb)),
                                         dims = c(N, N))
    devfun <- do.call(mkGlmerDevfun, c(lf, list(nAGQ = 0L, control = ctrl)))
    opt <- optimizeGlmer(devfun, stage = 1)
    devfun <- updateGlmerDevfun(devfun, lf$reTrms, nAGQ = 1L)
    opt <- optimizeGlmer(devfun, stage = 2)
    g <- mkMerMod(environment(devfun), opt, lf$reTrms, fr = lf$fr)
  }
  fe <- fixef(g)
  list(d = unname(fe[grep("^trt", names(fe))]), se = sqrt(diag(as.matrix(vcov(g))))[grep("^trt", names(fe))])
}

timed <- function(expr, n) {
  e <- substitute(expr)
  env <- parent.frame()
  t <- vapply(seq_len(n), function(i) {
    gc()
    t0 <- cpu()
    eval(e, env)
    cpu() - t0
  }, numeric(1))
  stats::median(t)
}

rows <- list()
add <- function(task, ref, t_ref, t_fast, diff) {
  rows[[length(rows) + 1L]] <<- data.frame(
    task = task, reference = ref, reference_s = signif(t_ref, 3),
    fastnma_s = signif(t_fast, 3), ratio = round(t_ref / t_fast),
    max_abs_diff_logOR = signif(diff, 2), stringsAsFactors = FALSE)
}

# 1. Multi-arm network, Laplace -------------------------------------------
multi <- sim_binary(n_studies, n_treat, 0.3, 0.2, seed = 1)
fit1 <- suppressMessages(nma_binary(multi, method = "GLMM", n_agq = 1))
t_fast1 <- timed(suppressMessages(nma_binary(multi, method = "GLMM", n_agq = 1)), repeats)
t_fast7 <- timed(suppressMessages(nma_binary(multi, method = "GLMM")), repeats)
t0 <- cpu()
g1 <- glmer_fit(multi, 1L)
t_glmer1 <- cpu() - t0
add(sprintf("%d treatments, %d studies (20%% three-arm), Laplace", n_treat, n_studies), "glmer (modular)", t_glmer1,
    t_fast1, max(abs(fit1$random$theta[-1] - g1$d)))
add("same network, fastnma with 7 nodes (default) vs glmer Laplace", "glmer (modular)",
    t_glmer1, t_fast7, NA_real_)

# 2. Two-arm network, nAGQ = 7 -------------------------------------------
two <- sim_binary(n_studies, n_treat, 0.3, 0, seed = 2)
fit2 <- suppressMessages(nma_binary(two, method = "GLMM", n_agq = 7))
t_fast2 <- timed(suppressMessages(nma_binary(two, method = "GLMM", n_agq = 7)), repeats)
t0 <- cpu()
g2 <- glmer_fit(two, 7L)
t_glmer2 <- cpu() - t0
add(sprintf("%d treatments, %d two-arm studies, 7 quadrature nodes", n_treat, n_studies), "glmer(nAGQ = 7)", t_glmer2,
    t_fast2, max(abs(fit2$random$theta[-1] - g2$d)))

# 3. Two-treatment network: rma.glmm -------------------------------------
set.seed(3)
k <- 40
n1 <- sample(30:150, k, TRUE)
n0 <- sample(30:150, k, TRUE)
e0 <- stats::rbinom(k, n0, 0.06)
e1 <- stats::rbinom(k, n1, stats::plogis(stats::qlogis(0.06) + 0.5 + stats::rnorm(k, 0, 0.4)))
pair <- data.frame(study = rep(seq_len(k), 2), treatment = rep(c("B", "A"), each = k),
                   events = c(e1, e0), n = c(n1, n0))
fit3 <- suppressMessages(nma_binary(pair, method = "GLMM"))
t_fast3 <- timed(suppressMessages(nma_binary(pair, method = "GLMM")), repeats)
t0 <- cpu()
r3 <- metafor::rma.glmm(measure = "OR", ai = e1, n1i = n1, ci = e0, n2i = n0,
                        model = "UM.FS", coding = 1)
t_rma <- cpu() - t0
add("2 treatments, 40 studies, 7 nodes", "rma.glmm(UM.FS, coding = 1)", t_rma, t_fast3,
    abs(fit3$random$theta[["B"]] - as.numeric(r3$beta)))

res <- do.call(rbind, rows)
print(res)
lines <- c(
  "# GLMM (binomial-normal model) against glmer() and rma.glmm()",
  "",
  sprintf("Written by `bench/bench-binary-glmm.R` on %s: R %s, lme4 %s, metafor %s, fastnma %s, %d cores.",
          format(Sys.Date()), getRversion(), utils::packageVersion("lme4"),
          utils::packageVersion("metafor"), utils::packageVersion("fastnma"),
          parallel::detectCores()),
  "CPU seconds; fastnma the median of its runs (the fit includes the profile-likelihood",
  "interval of tau^2 and the common-effect model), the references one run with default controls.",
  "",
  "| task | reference | reference (s) | fastnma (s) | ratio | max abs diff, log OR |",
  "| --- | --- | --- | --- | --- | --- |",
  sprintf("| %s | %s | %s | %s | %sx | %s |", res$task, res$reference, res$reference_s,
          res$fastnma_s, format(res$ratio, big.mark = ","), ifelse(is.na(res$max_abs_diff_logOR), "-", format(res$max_abs_diff_logOR)))
)
writeLines(lines, out_file)

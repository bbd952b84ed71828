# Network meta-regression: fastnma::nma_regression() against
# netmeta::netmetareg() and metafor::rma.mv() (the canonical model with the
# interactions as moderators) on the same data, in one process. Prints the
# median times and the ratios; results in bench/RESULTS-regression.md.
#
# Run: Rscript bench/bench-regression.R
suppressPackageStartupMessages({
  library(fastnma)
  library(netmeta)
  library(metafor)
})
reps <- as.integer(Sys.getenv("BENCH_REPS", "5"))
inner <- 10L
# Median over `reps` runs of the time of one evaluation (each run evaluates
# `expr` `inner` times).
timeit <- function(expr, n = reps) {
  e <- substitute(expr)
  pf <- parent.frame()
  median(vapply(seq_len(n), function(i) {
    t0 <- proc.time()[["elapsed"]]
    for (j in seq_len(inner)) eval(e, pf)
    (proc.time()[["elapsed"]] - t0) / inner
  }, numeric(1)))
}
e <- new.env()
data(smokingcessation, Baker2009, package = "netmeta", envir = e)
nets <- list()
d <- e$smokingcessation
d$rob <- rep(1:2, 12)
nets$smokingcessation <- list(
  pw = suppressWarnings(meta::pairwise(list(treat1, treat2, treat3),
                                       event = list(event1, event2, event3),
                                       n = list(n1, n2, n3), data = d, sm = "OR")),
  cov = "rob", ref = "A")
b <- e$Baker2009
pw <- suppressWarnings(meta::pairwise(treatment, exac, total, studlab = study, data = b, sm = "OR"))
pw$year <- b$year[match(pw$studlab, b$study)] - 2000
nets$Baker2009 <- list(pw = pw[!is.na(pw$TE), ], cov = "year", ref = "Budesonide")

rows <- list()
for (nm in names(nets)) {
  pw <- nets[[nm]]$pw
  x <- tapply(pw[[nets[[nm]]$cov]], pw$studlab, function(v) v[1])
  fit <- nma(pw, TE, seTE, treat1, treat2, studlab, measure = "OR",
             reference = nets[[nm]]$ref)
  nmf <- suppressWarnings(netmeta(pw, reference.group = nets[[nm]]$ref))
  nmf$data$cv <- as.numeric(x[nmf$data$studlab])
  for (a in c("common", "independent")) {
    t_fast <- timeit(nma_regression(fit, x, assumption = a))
    t_nmr <- timeit(suppressWarnings(netmetareg(nmf, cv, assumption = a)))
    # rma.mv on the canonical model (design built once, outside the timing)
    cm <- local({
      source("tests/testthat/helper-canonical.R", local = TRUE)
      cm <- canonical_model(pw, "TE", "seTE", "treat1", "treat2", "studlab")
      Xf <- cbind(-rowSums(cm$X), cm$X)
      colnames(Xf) <- cm$treatments
      X <- Xf[, colnames(Xf) != nets[[nm]]$ref, drop = FALSE]
      xs <- as.numeric(x[cm$study])
      cm$X <- if (a == "common") cbind(X, slope = xs * rowSums(X)) else cbind(X, X * xs)
      cm$dat <- data.frame(yi = cm$y, study = cm$study, comp = cm$comparison)
      cm
    })
    t_rma <- timeit(rma.mv(yi, cm$V, mods = cm$X, intercept = FALSE,
                           random = ~ comp | study, struct = "CS", rho = 0.5,
                           data = cm$dat, method = "REML"))
    rows[[length(rows) + 1]] <- data.frame(
      network = nm, assumption = a, studies = fit$k,
      fastnma_s = t_fast, netmetareg_s = t_nmr, rma_mv_s = t_rma,
      ratio_netmetareg = t_nmr / t_fast, ratio_rma_mv = t_rma / t_fast)
  }
}
res <- do.call(rbind, rows)
print(res, digits = 3)
cat(sprintf("\nR %s, netmeta %s, metafor %s, fastnma %s; median of %d runs (REML).\n",
            getRversion(), packageVersion("netmeta"), packageVersion("metafor"),
            packageVersion("fastnma"), reps))

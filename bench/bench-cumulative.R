# Cumulative network meta-analysis: fastnma against netmeta, one process.
#
#   Rscript bench/bench-cumulative.R            (from the package root)
#
# netmeta has no cumulative function; its user re-fits netmeta() on the
# studies so far, one call per step. fastnma's cumulative_nma() re-fits
# every step through the compiled core from the fit's network. Both use the
# DerSimonian-Laird estimator (where netmeta and fastnma agree for
# contrast-level multi-arm data) and one step per study, in an order in
# which every step is connected (the synthetic networks start with a
# spanning tree). Agreement: largest relative difference, over all steps and
# all comparisons with the reference, of the random-effects estimates and
# standard errors. Not part of the test suite.

suppressMessages({
  library(fastnma)
  library(netmeta)
})
source(file.path(Sys.getenv("FASTNMA_ROOT", "."), "bench", "networks.R"))

median_time <- function(expr, reps = 3L) {
  env <- parent.frame()
  one <- function() {
    n <- 0L
    t0 <- proc.time()[["elapsed"]]
    repeat {
      eval(expr, env)
      n <- n + 1L
      el <- proc.time()[["elapsed"]] - t0
      if (el >= 0.2) return(el / n)
    }
  }
  stats::median(vapply(seq_len(reps), function(i) one(), double(1)))
}

netmeta_steps <- function(d, studies, ref) {
  lapply(seq_along(studies), function(s) {
    sub <- d[d$study %in% studies[seq_len(s)], ]
    suppressWarnings(netmeta(TE = sub$estimate, seTE = sub$std.error, treat1 = sub$treat1,
                             treat2 = sub$treat2, studlab = sub$study, sm = "MD",
                             method.tau = "DL", reference.group = ref, common = TRUE,
                             random = TRUE))
  })
}

agreement <- function(cum, nm, ref) {
  t <- tidy(cum)
  worst <- c(estimate = 0, std.error = 0)
  for (s in seq_along(nm)) {
    m <- nm[[s]]
    ts <- t[t$step == s & t$status == "estimated", ]
    te <- m$TE.random[ts$treat1, ref]
    se <- m$seTE.random[ts$treat1, ref]
    worst <- pmax(worst, c(max(abs(ts$estimate - te) / pmax(abs(te), 1e-10)),
                           max(abs(ts$std.error - se) / pmax(abs(se), 1e-10))))
  }
  worst
}

run <- function(label, d, ref) {
  studies <- unique(d$study)
  fit <- nma(d, measure = "MD", reference = ref, tau2_method = "DL")
  ord <- stats::setNames(seq_along(studies), studies)
  cum <- suppressMessages(cumulative_nma(fit, ord))
  # the netmeta loop is timed once (it is the slow side); fastnma by the
  # median of three timings of repeated calls
  t_net <- system.time(nm <- netmeta_steps(d, studies, ref))[["elapsed"]]
  agree <- agreement(cum, nm, ref)
  t_fast <- median_time(quote(suppressMessages(cumulative_nma(fit, ord))))
  data.frame(network = label, studies = length(studies), treatments = length(fit$treatments),
             steps = nrow(cum$steps), netmeta_s = t_net, fastnma_ms = 1000 * t_fast,
             speedup = t_net / t_fast, max_rel_TE = agree[["estimate"]],
             max_rel_seTE = agree[["std.error"]])
}

# netmeta() takes seconds per fit on a loaded 2-core machine, so the
# default is Senn et al. (2013) with one step per study (26 netmeta fits);
# FASTNMA_BENCH_SYNTHETIC=true adds a synthetic network (10 treatments, 40
# studies).
senn <- transform(senn2013, estimate = TE, std.error = seTE)
res <- run("Senn 2013", senn[c("study", "treat1", "treat2", "estimate", "std.error")], "plac")
if (identical(Sys.getenv("FASTNMA_BENCH_SYNTHETIC"), "true")) {
  res <- rbind(res, run("synthetic", random_network(10, 40, p_multi = 0.1, seed = 20261203),
                        "T01"))
}
cat(sprintf("# cumulative_nma() vs a loop of netmeta() (netmeta %s, %s)\n\n",
            utils::packageVersion("netmeta"), R.version.string))
cat("| network | studies | treatments | steps | netmeta loop (s) | cumulative_nma (ms) | speed-up | max rel. diff TE | max rel. diff seTE |\n")
cat("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
for (i in seq_len(nrow(res))) {
  r <- res[i, ]
  cat(sprintf("| %s | %d | %d | %d | %.2f | %.1f | %.0fx | %.1e | %.1e |\n", r$network,
              r$studies, r$treatments, r$steps, r$netmeta_s, r$fastnma_ms, r$speedup,
              r$max_rel_TE, r$max_rel_seTE))
}

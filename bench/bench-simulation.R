# Benchmark: a small simulation study run end to end, once as a loop over
# single fits and verbs and once through the batch path (nma(by = ) and the
# verbs on the collection), in one R process; checks that both give
# identical results and reports both times and their ratio.
#
#   Rscript bench/bench-simulation.R          (from the package root)
#
# The study: replicate networks of 10 treatments and 26 studies (about one
# three-arm study in 25, as senn2013) drawn under consistency with
# heterogeneity tau = 0.2 by the generator of the test suite. For every
# replicate: the REML fit, the node-splitting test of every directly
# compared pair (back-calculation, random effects), P-scores, and the
# CINeMA-style confidence rating of every pair of treatments
# given risk-of-bias judgements drawn per study. Summaries: the rejection
# rate of the node-split test at the 5% level (its size under consistency),
# the coverage of the 95% confidence intervals of the treatment effects
# against the reference, the mean P-score of the best true treatment, and
# the distribution of the confidence ratings.
#
# Environment variables:
#   FASTNMA_LIB         library holding the fastnma build to time (prepended
#                       to .libPaths())
#   BENCH_REPLICATES    number of replicate networks (default 1000)
#   BENCH_REPEATS       timed rounds of each arm (default 3; medians)
#   BENCH_OUT           where to write the results table
#                       (default bench/RESULTS-simulation.md)

n_rep <- as.integer(Sys.getenv("BENCH_REPLICATES", "1000"))
repeats <- as.integer(Sys.getenv("BENCH_REPEATS", "3"))
out_file <- Sys.getenv("BENCH_OUT", file.path("bench", "RESULTS-simulation.md"))
if (nzchar(Sys.getenv("FASTNMA_LIB"))) .libPaths(c(Sys.getenv("FASTNMA_LIB"), .libPaths()))
suppressPackageStartupMessages(library(fastnma))
for (f in c("networks.R", "rounds.R")) source(file.path("bench", f))

# The replicates, their true effects and the risk-of-bias judgements.
reps <- lapply(seq_len(n_rep), function(r) random_network(10, 26, p_multi = 0.04, seed = r))
truth <- lapply(reps, function(d) attr(d, "effects"))
long <- do.call(rbind, lapply(seq_len(n_rep), function(r) cbind(reps[[r]], replicate = r)))
rob <- lapply(seq_len(n_rep), function(r) {
  st <- unique(reps[[r]]$study)
  set.seed(10000 + r)
  stats::setNames(sample(c("low", "some", "high"), length(st), replace = TRUE,
                         prob = c(0.5, 0.3, 0.2)), st)
})
margin <- 0.2

# The tables of one replicate's analyses under the `replicate` column.
keyed <- function(r, x) cbind(data.frame(replicate = rep(r, nrow(x))), as.data.frame(x))
stack <- function(l) {
  out <- do.call(rbind, l)
  rownames(out) <- NULL
  out
}

# A loop over single fits and verbs, as a simulation study is written
# without the batch path (`rate`: with the confidence ratings).
loop_study <- function(rate) function() {
  res <- lapply(seq_len(n_rep), function(r) {
    fit <- nma(reps[[r]])
    out <- list(tidy = keyed(r, tidy(fit)),
                split = keyed(r, tidy(node_split(fit))),
                ranks = keyed(r, tidy(rank_treatments(fit))))
    if (rate) out$confidence <- keyed(r, tidy(confidence(fit, rob[[r]], margin = margin)))
    out
  })
  lapply(stats::setNames(nm = names(res[[1]])), function(k) stack(lapply(res, `[[`, k)))
}
# The batch path: one fit of all replicates, each verb on the collection.
batch_study <- function(rate) function() {
  b <- nma(long, by = replicate, batch = batch_control(rank = "pscore"))
  out <- list(tidy = tidy(b), split = node_split(b), ranks = tidy(b, ranks = TRUE))
  if (rate) out$confidence <- confidence(b, per_network(rob), margin = margin)
  out
}
arms <- list(loop = loop_study(TRUE), batch = batch_study(TRUE),
             loop_core = loop_study(FALSE), batch_core = batch_study(FALSE))

rounds <- run_rounds(arms, repeats)
loop <- summarise_arm(rounds, "loop")
batch <- summarise_arm(rounds, "batch")
loop_core <- summarise_arm(rounds, "loop_core")
batch_core <- summarise_arm(rounds, "batch_core", against = "loop_core")
rm(rounds)

# Identical results: every column of every table, no tolerance.
plain <- function(x) {
  x <- as.data.frame(x)
  attr(x, "errors") <- NULL
  as.list(x)
}
for (k in names(loop$value)) {
  if (!identical(plain(loop$value[[k]]), plain(batch$value[[k]]))) {
    stop("The loop and the batch path differ in the table `", k, "`.")
  }
}
for (k in names(loop_core$value)) {
  if (!identical(plain(loop_core$value[[k]]), plain(batch_core$value[[k]])) ||
      !identical(plain(loop_core$value[[k]]), plain(loop$value[[k]]))) {
    stop("The runs without confidence ratings differ in the table `", k, "`.")
  }
}

# The study's summaries.
s <- batch$value
tested <- s$split[!is.na(s$split$p.value), ]
size <- mean(tested$p.value < 0.05)
te <- s$tidy
true_effect <- mapply(function(r, a, b) truth[[r]][[a]] - truth[[r]][[b]],
                      te$replicate, te$treat1, te$treat2)
coverage <- mean(te$conf.low <= true_effect & true_effect <= te$conf.high)
best <- vapply(truth, function(e) names(e)[which.min(e)], character(1))
rk <- s$ranks
p_best <- mean(rk$pscore[rk$treatment == best[rk$replicate]])
conf <- s$confidence
ratings <- table(factor(conf$confidence, c("high", "moderate", "low", "very low")))

load_avg <- tryCatch(paste(strsplit(readLines("/proc/loadavg"), " ")[[1]][1:3], collapse = " "),
                     error = function(e) "unknown", warning = function(w) "unknown")

fmt <- function(x) sprintf("%.2f s", x)
lines <- c(
  "# A simulation study: loop over single fits against the batch path",
  "",
  sprintf("%d replicate networks (10 treatments, 26 studies, tau = 0.2, consistency), REML, in one R process; medians of %d rounds. CPU = user + system time of this process. R %s, %s; %d cores; load average at the end %s.",
          n_rep, repeats, getRversion(), R.version$platform, parallel::detectCores(), load_avg),
  "",
  "Per replicate: the fit, node-splitting of every direct comparison (back-calculation, random effects), P-scores, and the confidence rating of every pair of treatments given risk-of-bias judgements per study (`margin = 0.2`).",
  "",
  "| run | CPU | elapsed | ratio (loop / run, CPU; elapsed) |",
  "|---|---|---|---|",
  sprintf("| loop: `nma()`, `node_split()`, `rank_treatments()`, `confidence()` per replicate | %s | %s | 1.0x |",
          fmt(loop$cpu), fmt(loop$elapsed)),
  sprintf("| batch: `nma(by = replicate, batch = batch_control(rank = \"pscore\"))`, `node_split()`, `confidence(per_network(rob))` on the collection | %s | %s | %.1fx; %.1fx |",
          fmt(batch$cpu), fmt(batch$elapsed), batch$ratio, batch$ratio_elapsed),
  sprintf("| the study without confidence ratings, loop: `nma()`, `node_split()`, `rank_treatments()` | %s | %s | 1.0x |",
          fmt(loop_core$cpu), fmt(loop_core$elapsed)),
  sprintf("| the study without confidence ratings, batch: `nma(by = )`, `node_split()` on the collection | %s | %s | %.1fx; %.1fx |",
          fmt(batch_core$cpu), fmt(batch_core$elapsed), batch_core$ratio,
          batch_core$ratio_elapsed),
  "",
  "Results identical (`identical()`, no tolerance): every column of the estimates, the node-splitting tables, the P-scores and the confidence ratings of every replicate.",
  "",
  "## What the study finds",
  "",
  sprintf("- Size of the node-split test at the 5%% level under consistency: %.3f (%d tests).",
          size, nrow(tested)),
  sprintf("- Coverage of the 95%% confidence intervals of the effects against the reference: %.3f (%d intervals).",
          coverage, nrow(te)),
  sprintf("- Mean P-score of the truly best treatment: %.3f.", p_best),
  sprintf("- Confidence ratings of the comparisons: %s.",
          paste(sprintf("%s %d", names(ratings), as.integer(ratings)), collapse = ", "))
)
writeLines(lines, out_file)
cat(lines, sep = "\n")

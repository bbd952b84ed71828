# Benchmark: the batch path of nma(by = ) for simulation studies, in one R
# process, against a loop over nma() and rank_treatments(); and the batch
# path under future::plan(multisession, workers = 2) against the
# sequential run.
#
#   Rscript bench/bench-batch.R            (from the package root)
#
# Environment variables:
#   FASTNMA_LIB         library holding the fastnma build to time (prepended
#                       to .libPaths())
#   BENCH_REPLICATES    number of replicate networks (default 1000)
#   BENCH_REPEATS       timed rounds of each arm (default 5; medians; at most
#                       3 for the parallel comparison)
#   BENCH_SUCRA_DRAWS   SUCRA draws per network in the parallel comparison
#                       (default 2000)
#   BENCH_OUT           where to write the results table
#                       (default bench/RESULTS-batch.md)
#
# Replicates: Senn-sized networks (10 treatments, 26 studies, about one
# three-arm study in 25, as senn2013), each drawn by the generator of the
# test suite with its own seed. Times are CPU seconds of this process
# (user + system) and elapsed seconds; for the parallel comparison only
# elapsed time means anything (the work happens in the workers).

if (nzchar(Sys.getenv("FASTNMA_LIB"))) .libPaths(c(Sys.getenv("FASTNMA_LIB"), .libPaths()))
suppressPackageStartupMessages(library(fastnma))
source(file.path("bench", "networks.R"))
source(file.path("bench", "rounds.R"))

n_rep <- as.integer(Sys.getenv("BENCH_REPLICATES", "1000"))
repeats <- as.integer(Sys.getenv("BENCH_REPEATS", "5"))
n_draws <- as.integer(Sys.getenv("BENCH_SUCRA_DRAWS", "2000"))
out_file <- Sys.getenv("BENCH_OUT", file.path("bench", "RESULTS-batch.md"))

reps <- lapply(seq_len(n_rep), function(r) {
  cbind(random_network(10, 26, p_multi = 0.04, seed = r), replicate = r)
})
long <- do.call(rbind, reps)

timed <- function(expr) {
  env <- parent.frame()
  e <- substitute(expr)
  runs <- lapply(seq_len(min(3L, repeats)), function(i) time_arm(function() eval(e, env)))
  list(cpu = stats::median(vapply(runs, `[[`, numeric(1), "cpu")),
       elapsed = stats::median(vapply(runs, `[[`, numeric(1), "elapsed")),
       value = runs[[1]]$value)
}

# 1. A loop over nma() + rank_treatments() against the batch path -----------
arms <- list(
  loop = function() lapply(reps, function(d) {
    fit <- nma(d)
    list(fit = fit, ranks = rank_treatments(fit))
  }),
  full = function() {
    b <- nma(long, by = replicate, batch = batch_control(rank = "pscore"))
    list(b = b, tidy = tidy(b), glance = glance(b), ranks = tidy(b, ranks = TRUE))
  },
  lean = function() {
    b <- nma(long, by = replicate, batch = batch_control(lean = TRUE, rank = "pscore"))
    list(b = b, tidy = tidy(b), glance = glance(b), ranks = tidy(b, ranks = TRUE))
  }
)
rounds <- run_rounds(arms, repeats)
loop <- summarise_arm(rounds, "loop")
batch_full <- summarise_arm(rounds, "full")
batch_lean <- summarise_arm(rounds, "lean")
rm(rounds)

# Identical results: every number of tidy() and glance(), and the P-scores.
ref_tidy <- do.call(rbind, lapply(seq_along(loop$value), function(r) {
  cbind(replicate = r, as.data.frame(tidy(loop$value[[r]]$fit)))
}))
ref_glance <- do.call(rbind, lapply(seq_along(loop$value), function(r) {
  cbind(replicate = r, as.data.frame(glance(loop$value[[r]]$fit)))
}))
ref_pscore <- unlist(lapply(loop$value, function(x) x$ranks$pscore))
same <- function(a, b) identical(as.list(as.data.frame(a)), as.list(as.data.frame(b)))
for (v in list(batch_full$value, batch_lean$value)) {
  stopifnot(
    same(v$tidy, ref_tidy),
    same(v$glance, ref_glance),
    identical(v$ranks$pscore, ref_pscore)
  )
}
stopifnot(isTRUE(all.equal(batch_full$value$b[[n_rep]]$random,
                           loop$value[[n_rep]]$fit$random, tolerance = 0)))

# 2. future::plan(multisession, workers = 2) against the sequential run ------
sucra <- batch_control(lean = TRUE, rank = "sucra", n_sim = n_draws, seed = 2024)
sequential <- timed(tidy(nma(long, by = replicate, batch = sucra), ranks = TRUE))
old_plan <- future::plan(future::multisession, workers = 2)
invisible(nma(long[long$replicate <= 2, ], by = replicate,   # start the workers
              batch = batch_control(parallel = TRUE)))
par_sucra <- batch_control(lean = TRUE, rank = "sucra", n_sim = n_draws, seed = 2024,
                           parallel = TRUE)
parallel <- timed(tidy(nma(long, by = replicate, batch = par_sucra), ranks = TRUE))
par_pscore <- timed(tidy(nma(long, by = replicate,
                             batch = batch_control(lean = TRUE, rank = "pscore",
                                                   parallel = TRUE))))
future::plan(old_plan)
stopifnot(identical(parallel$value, sequential$value),
          same(par_pscore$value, ref_tidy))
# the SUCRA of replicate r is rank_treatments(seed = 2024 + r - 1) of its fit
r_check <- c(1L, n_rep)
for (r in r_check) {
  one <- rank_treatments(loop$value[[r]]$fit, method = "sucra", n_sim = n_draws,
                         seed = 2024 + r - 1)
  stopifnot(identical(one$sucra, sequential$value$sucra[sequential$value$replicate == r]))
}

load_avg <- tryCatch(paste(strsplit(readLines("/proc/loadavg"), " ")[[1]][1:3], collapse = " "),
                     error = function(e) "unknown", warning = function(w) "unknown")
autogroup <- tryCatch(if (readLines("/proc/sys/kernel/sched_autogroup_enabled") == "1") "on" else "off",
                      error = function(e) "unknown", warning = function(w) "unknown")

# Report -----------------------------------------------------------------------
fmt <- function(x) sprintf("%.3f s", x)
ratio <- function(a, b) sprintf("%.1fx", a / b)
lines <- c(
  "# Batch path: simulation studies and parallel runs",
  "",
  sprintf("%d Senn-sized replicate networks (10 treatments, 26 studies), REML, in one R process; medians of %d runs. CPU = user + system time of this process. R %s, %s; %d cores.",
          n_rep, repeats, getRversion(), R.version$platform, parallel::detectCores()),
  "",
  "## REML + P-scores: loop over `nma()` + `rank_treatments()` against `nma(by = )`",
  "",
  "| run | CPU | elapsed | CPU ratio (loop / run, median over rounds) |",
  "|---|---|---|---|",
  sprintf("| loop: `nma()` + `rank_treatments()` per replicate | %s | %s | 1.0x |",
          fmt(loop$cpu), fmt(loop$elapsed)),
  sprintf("| `nma(by = replicate, batch = batch_control(rank = \"pscore\"))` + `tidy()`, `glance()` | %s | %s | %s |",
          fmt(batch_full$cpu), fmt(batch_full$elapsed), sprintf("%.1fx", batch_full$ratio)),
  sprintf("| the same with `lean = TRUE` | %s | %s | %s |",
          fmt(batch_lean$cpu), fmt(batch_lean$elapsed), sprintf("%.1fx", batch_lean$ratio)),
  "",
  "Results identical (`identical()`, no tolerance): every column of `tidy()` and `glance()` of each replicate, and the P-scores.",
  "",
  sprintf("## `future::plan(multisession, workers = 2)` against the sequential run (lean, SUCRA with %d draws per network)", n_draws),
  "",
  "| run | elapsed | speed-up |",
  "|---|---|---|",
  sprintf("| sequential (`parallel = FALSE`) | %s | 1.0x |", fmt(sequential$elapsed)),
  sprintf("| `parallel = TRUE`, multisession, 2 workers | %s | %s |", fmt(parallel$elapsed),
          ratio(sequential$elapsed, parallel$elapsed)),
  sprintf("| P-scores only, `parallel = TRUE`, 2 workers (sequential lean: %s) | %s | %s |",
          fmt(batch_lean$elapsed), fmt(par_pscore$elapsed),
          ratio(batch_lean$elapsed, par_pscore$elapsed)),
  "",
  "Results identical to the sequential run (`identical()`), SUCRA included: the draws of replicate r use the seed `seed + r - 1`, fixed before the work is split, and equal `rank_treatments(method = \"sucra\", seed = seed + r - 1)` of its fit.",
  sprintf("During the sequential run this process got %.0f%% of one core (CPU / elapsed); load average %s; kernel autogroup scheduling %s.",
          100 * sequential$cpu / sequential$elapsed, load_avg, autogroup),
  "With autogroup scheduling the processes of one session (this R process and its multisession workers) share one fair share of the CPUs: on a machine loaded by other sessions two workers split that share instead of adding a core, so elapsed time cannot drop; on an idle machine each worker gets a core. The speed-up column is only meaningful on an otherwise idle machine."
)
writeLines(lines, out_file)
cat(lines, sep = "\n")

# The corridor between R and the core: every compiled verb, timed on the
# same networks by two builds of fastnma in one run.
#
#   Rscript bench/corridor.R OLD_LIB NEW_LIB [ROUNDS]     (from the package root)
#
# OLD_LIB and NEW_LIB are library directories holding an installed fastnma
# (both required: e.g. a library with the previous release installed, and
# one with this source installed by `R CMD INSTALL -l`). Each build runs in
# its own R process (callr), the two alternating network by network,
# ROUNDS times over (default 5; old first in odd rounds, new first in even
# ones), so both see the same machine load. Networks: 22 treatments (60
# studies) and 300 treatments (420 studies), about 15% three-arm studies
# (the generator of the test suite, bench/networks.R). Each verb runs on an
# existing fit (nma() itself on the data; the binary verbs on the arm-level
# data), repeated until it has taken at least 0.2 s of CPU time (the core is
# single-threaded; on a shared machine the elapsed time also counts the
# waits for a free core); a round's time per call is the median of `reps`
# such batches. Reported: the median over the rounds of each build (ms per
# call), their ratio new / old (below 1: the new build is faster), the range
# of the ratios within a round, and the load average of the machine. Not
# part of the test suite.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript bench/corridor.R OLD_LIB NEW_LIB [ROUNDS]")
old_lib <- args[[1]]
new_lib <- args[[2]]
rounds <- if (length(args) >= 3) as.integer(args[[3]]) else 5L
root <- normalizePath(Sys.getenv("FASTNMA_ROOT", "."))

sizes <- list(list(n_treat = 22, n_study = 60, reps = 5),
              list(n_treat = 300, n_study = 420, reps = 3))

load_average <- function() {
  if (!file.exists("/proc/loadavg")) return(NA_real_)
  as.numeric(strsplit(readLines("/proc/loadavg", n = 1L), " ")[[1]][1])
}

time_build <- function(lib, root, n_treat, n_study, reps) {
  .libPaths(c(lib, .libPaths()))
  suppressMessages(library(fastnma, lib.loc = lib))
  Sys.setenv(FASTNMA_ROOT = root)
  source(file.path(root, "bench", "networks.R"))
  arm <- random_arm_network(n_treat, n_study, p_multi = 0.15, max_arms = 3, seed = 25)
  d <- arm_contrasts(arm, measure = "MD")
  fit <- nma(d)
  cov <- stats::setNames(seq_along(fit$studies) / length(fit$studies), fit$studies)
  rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
                         fit$studies)
  ref_pairs <- paste(setdiff(fit$treatments, fit$reference), "vs", fit$reference)
  netheat <- get("netheat_data", asNamespace("fastnma"))
  verbs <- list(
    nma = function() nma(d),
    nma_network = function() nma_network(d),
    node_split = function() node_split(fit),
    node_split_separate = function() node_split(fit, method = "separate"),
    direct_estimates = function() direct_estimates(fit),
    inconsistency = function() inconsistency(fit),
    netheat = function() netheat(fit, "common"),
    contributions = function() contributions(fit, comparisons = ref_pairs),
    leave_one_out = function() leave_one_out(fit, impact = FALSE),
    league_table = function() league_table(fit),
    rank_treatments = function() rank_treatments(fit),
    rank_sucra = function() rank_treatments(fit, method = "sucra", n_sim = 1000, seed = 1),
    arm_contrasts_or = function() arm_contrasts(arm, measure = "OR"),
    nma_binary_mh = function() nma_binary(arm, measure = "OR", method = "MH"),
    nma_regression = function() nma_regression(fit, cov),
    confidence = function() confidence(fit, rob, margin = 0.2, comparisons = ref_pairs)
  )
  if (n_treat > 100) verbs$node_split_separate <- NULL
  # CPU time of this process (the core is single-threaded): on a shared
  # machine the elapsed time also counts the waits for a free core
  cpu_time <- function() sum(proc.time()[c("user.self", "sys.self")])
  vapply(verbs, function(f) {
    ok <- tryCatch({ suppressMessages(suppressWarnings(f())); TRUE },
                   error = function(e) FALSE)
    if (!ok) return(NA_real_)
    t <- vapply(seq_len(reps), function(i) {
      gc(FALSE)
      n <- 0L
      start <- cpu_time()
      repeat {
        suppressMessages(suppressWarnings(f()))
        n <- n + 1L
        used <- cpu_time() - start
        if (used >= 0.2) break
      }
      used / n
    }, 0)
    stats::median(t)
  }, 0)
}

rows <- list()
loads <- numeric()
for (s in sizes) {
  old <- new <- list()
  for (round in seq_len(rounds)) {
    loads <- c(loads, load_average())
    run <- function(lib) callr::r(time_build, list(lib, root, s$n_treat, s$n_study, s$reps))
    if (round %% 2L == 1L) {
      old[[round]] <- run(old_lib)
      new[[round]] <- run(new_lib)
    } else {
      new[[round]] <- run(new_lib)
      old[[round]] <- run(old_lib)
    }
  }
  loads <- c(loads, load_average())
  verbs <- names(new[[1]])
  old_m <- do.call(cbind, lapply(old, function(o) o[verbs]))
  new_m <- do.call(cbind, lapply(new, function(n) n[verbs]))
  paired <- new_m / old_m
  med <- function(m) apply(m, 1, stats::median)
  rows[[length(rows) + 1L]] <- data.frame(
    treatments = s$n_treat, verb = verbs,
    old_ms = signif(1000 * med(old_m), 3), new_ms = signif(1000 * med(new_m), 3),
    ratio = round(med(new_m) / med(old_m), 2),
    round_ratios = sprintf("%.2f-%.2f", apply(paired, 1, min), apply(paired, 1, max)))
}
res <- do.call(rbind, rows)
cat(sprintf("old: %s\nnew: %s\nrounds: %d; load average (1 min) from %.1f to %.1f, median %.1f\n",
            old_lib, new_lib, rounds, min(loads), max(loads), stats::median(loads)))
print(res, row.names = FALSE)

# The corridor between R and the core: every compiled verb, timed on the
# same networks by two builds of fastnma in one run.
#
#   Rscript bench/corridor.R OLD_LIB NEW_LIB      (from the package root)
#
# OLD_LIB and NEW_LIB are library directories holding an installed fastnma
# (both required: e.g. a library with the previous release installed, and
# one with this source installed by `R CMD INSTALL -l`).
# Each build runs in its own R process (callr), the two alternating network
# by network and twice over, so both see the same machine load. Networks:
# 22 treatments (60 studies) and 300 treatments (420 studies), about 15%
# three-arm studies (the generator of the test suite, bench/networks.R).
# Each verb runs on an existing fit (nma() itself on the data), repeated
# until it has taken at least 0.2 s; the time per call is the median of
# `reps` such batches, the better of the two rounds. Reported with the
# ratio new / old (below 1: the new build is faster). Not part of the test
# suite.

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript bench/corridor.R OLD_LIB NEW_LIB")
old_lib <- args[[1]]
new_lib <- args[[2]]
root <- normalizePath(Sys.getenv("FASTNMA_ROOT", "."))

sizes <- list(list(n_treat = 22, n_study = 60, reps = 5),
              list(n_treat = 300, n_study = 420, reps = 1))

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
    nma_regression = function() nma_regression(fit, cov),
    confidence = function() confidence(fit, rob, margin = 0.2, comparisons = ref_pairs)
  )
  if (n_treat > 100) verbs$node_split_separate <- NULL
  vapply(verbs, function(f) {
    ok <- tryCatch({ suppressMessages(suppressWarnings(f())); TRUE },
                   error = function(e) FALSE)
    if (!ok) return(NA_real_)
    t <- vapply(seq_len(reps), function(i) {
      gc(FALSE)
      n <- 0L
      start <- proc.time()[["elapsed"]]
      repeat {
        suppressMessages(suppressWarnings(f()))
        n <- n + 1L
        used <- proc.time()[["elapsed"]] - start
        if (used >= 0.2) break
      }
      used / n
    }, 0)
    stats::median(t)
  }, 0)
}

rows <- list()
for (s in sizes) {
  old <- new <- NULL
  for (round in 1:2) {
    o <- callr::r(time_build, list(old_lib, root, s$n_treat, s$n_study, s$reps))
    n <- callr::r(time_build, list(new_lib, root, s$n_treat, s$n_study, s$reps))
    old <- if (is.null(old)) o else pmin(old, o)
    new <- if (is.null(new)) n else pmin(new, n)
  }
  rows[[length(rows) + 1L]] <- data.frame(
    treatments = s$n_treat, verb = names(new), old_s = unname(old[names(new)]),
    new_s = unname(new), ratio = unname(new / old[names(new)]))
}
res <- do.call(rbind, rows)
res$old_s <- signif(res$old_s, 3)
res$new_s <- signif(res$new_s, 3)
res$ratio <- round(res$ratio, 2)
cat(sprintf("old: %s\nnew: %s\n", old_lib, new_lib))
print(res, row.names = FALSE)

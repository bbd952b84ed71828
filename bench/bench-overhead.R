# Per-verb overhead on Linde2016 (22 treatments, 93 studies, 3-arm studies),
# netmeta and fastnma timed in one R process:
#   node_split(fit)                          vs netsplit(nm)       (back-calculation)
#   component_nma(fit, inactive = "Placebo") vs netcomb(nm, inactive = "Placebo")
# and, for each fastnma verb, its compiled core called alone on the same
# network, so that the R-side share of the time (argument checks, result
# assembly, orientation, labels) can be read off.
#
#   Rscript bench/bench-overhead.R [fastnma library] [results.rds]
#   (from the package root)
#
# The library (or FASTNMA_BENCH_LIB) holds the fastnma build to time, so that
# two builds can be run one after the other. Times are medians of
# bench::mark() runs of at least 2 s each. With a file `results.rds`, the
# results of the verbs (node-splitting both ways and both models, all
# comparisons, component NMA with DL and REML, a meta-regression and a
# dose-response fit, which share the compiled model) are saved there when it
# does not exist, and otherwise checked to be identical() to the saved ones:
# run the previous build first, then this one. Not part of the test suite.

lib <- commandArgs(TRUE)[1]
results_file <- commandArgs(TRUE)[2]
if (is.na(lib)) lib <- Sys.getenv("FASTNMA_BENCH_LIB", "")
if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
suppressPackageStartupMessages({
  library(fastnma)
  library(netmeta)
})
ns <- asNamespace("fastnma")

data("Linde2016", package = "netmeta")
d <- Linde2016
con <- data.frame(study = d$id, treat1 = d$treat1, treat2 = d$treat2,
                  estimate = d$lnOR, std.error = d$selnOR, stringsAsFactors = FALSE)
nm <- netmeta(lnOR, selnOR, treat1, treat2, id, data = d, sm = "OR",
              reference.group = "Placebo", method.tau = "DL")
fit <- nma(con, measure = "OR", reference = "Placebo", tau2_method = "DL")

# agreement (numbers are not changed by this benchmark's subject)
sp <- netsplit(nm)
ns_fit <- node_split(fit)
cn <- component_nma(fit, inactive = "Placebo")
nc <- netcomb(nm, inactive = "Placebo")
comps <- nc$comps
agree_comp <- max(abs(cn$random$theta[comps] - nc$Comp.random),
                  abs(cn$common$theta[comps] - nc$Comp.common))

time_of <- function(expr) {
  m <- bench::mark(exprs = list(substitute(expr)), env = parent.frame(), min_time = 2,
                   min_iterations = 5, check = FALSE, memory = FALSE, filter_gc = FALSE)
  as.numeric(m$median)
}

# the compiled cores alone, with the options the verbs pass
net <- ns$fit_network(fit)
split_opts <- list(ref = match(fit$reference, fit$treatments), tau2 = fit$tau2, method = "back",
                   reestimate = FALSE, tau2_method = fit$tau2_method,
                   tol_tau2 = fit$control$tol_tau2, tol_direct = 5e-4, exact_budget = 1e8)

t_netsplit <- time_of(netsplit(nm))
t_split <- time_of(node_split(fit))
t_split_core <- time_of(ns$split_cpp(net, split_opts))
t_netcomb <- time_of(netcomb(nm, inactive = "Placebo"))
t_comp <- time_of(component_nma(fit, inactive = "Placebo"))

# The ratio in paired rounds: each round times the reference call once and
# the fastnma call `reps` times back to back, so that both meet the same load
# (on a shared machine the load moves between the two medians above); the
# median over rounds of the ratio of the two.
paired_ratio <- function(ref, fast, rounds = 15, reps = 200) {
  r <- numeric(rounds)
  for (i in seq_len(rounds)) {
    t0 <- bench::hires_time()
    ref()
    t1 <- bench::hires_time()
    for (j in seq_len(reps)) fast()
    t2 <- bench::hires_time()
    r[i] <- (t1 - t0) / ((t2 - t1) / reps)
  }
  stats::median(r)
}
p_split <- paired_ratio(function() netsplit(nm), function() node_split(fit))
p_comp <- paired_ratio(function() netcomb(nm, inactive = "Placebo"),
                       function() component_nma(fit, inactive = "Placebo"))

fmt <- function(x) if (x < 1e-3) sprintf("%.0f us", 1e6 * x) else sprintf("%.2f ms", 1e3 * x)
cat(sprintf("fastnma %s from %s; netmeta %s; R %s\n", packageVersion("fastnma"),
            dirname(system.file(package = "fastnma")), packageVersion("netmeta"),
            getRversion()))
cat("| task | netmeta | fastnma | ratio | fastnma's core alone |\n| --- | ---: | ---: | ---: | ---: |\n")
cat(sprintf("| node-splitting (back-calculation), `netsplit()` vs `node_split()` | %s | %s | %sx | %s |\n",
            fmt(t_netsplit), fmt(t_split), format(round(t_netsplit / t_split), big.mark = ","),
            fmt(t_split_core)))
cat(sprintf("| component NMA on a fit, `netcomb()` vs `component_nma()` | %s | %s | %sx | |\n",
            fmt(t_netcomb), fmt(t_comp), format(round(t_netcomb / t_comp), big.mark = ",")))
cat(sprintf("paired rounds (median ratio): node-splitting %sx, component NMA %sx\n",
            format(round(p_split), big.mark = ","), format(round(p_comp), big.mark = ",")))
cat(sprintf("component estimates: max |difference| from netcomb() %.1e\n", agree_comp))

# identical() results across builds (the compiled network handle, an
# external pointer, is left out: its address differs between processes)
if (!is.na(results_file)) {
  drop_handles <- function(x) {
    if (inherits(x, "nma_network")) return(x[setdiff(names(x), "handle")])
    if (is.list(x) && !is.data.frame(x)) {
      a <- attributes(x)
      x <- lapply(x, drop_handles)
      attributes(x) <- a
    }
    x
  }
  set.seed(1)
  sm <- nma_binary(smokingcessation, measure = "OR", method = "IV", reference = "A")
  rob <- stats::setNames(rep(1:2, length.out = sm$k), sm$studies)
  dose <- dose_nma(simulate_dose_nma(seed = 1, n_studies = 40), method = "emax")
  results <- drop_handles(list(
    split_back = ns_fit, split_common = node_split(fit, model = "common"),
    split_separate = node_split(fit, method = "separate"),
    split_all = node_split(fit, comparisons = "all"),
    component = cn[setdiff(names(cn), "call")],
    component_reml = component_nma(fit, inactive = "Placebo", tau2_method = "REML")[
      setdiff(names(cn), "call")],
    component_tidy = tidy(cn, type = "combinations"),
    regression = nma_regression(sm, rob)[c("common", "random", "tau2", "Q")],
    dose = dose[c("common", "random", "tau2", "Q")]))
  if (file.exists(results_file)) {
    saved <- readRDS(results_file)
    same <- vapply(names(saved), function(k) identical(saved[[k]], results[[k]]), logical(1))
    cat(sprintf("results identical() to %s: %s\n", basename(results_file),
                if (all(same)) "all" else paste("NOT", paste(names(saved)[!same], collapse = ", "))))
  } else {
    saveRDS(results, results_file)
    cat(sprintf("results saved to %s\n", results_file))
  }
}

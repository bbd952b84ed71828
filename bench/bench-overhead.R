# Per-verb overhead on Linde2016 (22 treatments, 93 studies, 3-arm studies),
# netmeta and fastnma timed in one R process:
#   node_split(fit)                          vs netsplit(nm)       (back-calculation)
#   component_nma(fit, inactive = "Placebo") vs netcomb(nm, inactive = "Placebo")
# and, for each fastnma verb, its compiled core called alone on the same
# network, so that the R-side share of the time (argument checks, result
# assembly, orientation, labels) can be read off.
#
#   Rscript bench/bench-overhead.R [fastnma library]   (from the package root)
#
# The library (or FASTNMA_BENCH_LIB) holds the fastnma build to time, so that
# two builds can be run one after the other. Times are medians of
# bench::mark() runs of at least 2 s each. Not part of the test suite.

lib <- commandArgs(TRUE)[1]
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
agree_comp <- max(abs(cn$random$beta[comps] - nc$Comp.random),
                  abs(cn$common$beta[comps] - nc$Comp.common))

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
cat(sprintf("component estimates: max |difference| from netcomb() %.1e\n", agree_comp))

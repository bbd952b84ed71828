# contributions() vs netmeta::netcontrib() on the synthetic 100-treatment,
# 300-study network of bench-diagnostics.R, with a long netmeta budget.
#   Rscript bench/bench-contrib-large.R      (from the package root)
# BENCH_BUDGET: seconds netmeta gets (default 1800, fit included).
suppressMessages(library(fastnma))
exprs <- parse(file.path("bench", "bench-diagnostics.R"))
for (e in exprs) {
  if (is.call(e) && identical(e[[1]], as.name("<-")) &&
      identical(e[[2]], as.name("synthetic_network"))) eval(e)
}
d <- synthetic_network(100, 300, 100)
fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
tf <- stats::median(replicate(3, system.time(contributions(fit, method = "shortestpath"))[["elapsed"]]))
cat("fastnma contributions:", tf, "s\n")
budget <- as.numeric(Sys.getenv("BENCH_BUDGET", "1800"))
job <- function(data) {
  suppressMessages(library(netmeta))
  nm <- suppressWarnings(netmeta(TE, seTE, treat1, treat2, study, data = data, method.tau = "DL"))
  t0 <- proc.time()[["elapsed"]]
  netcontrib(nm, method = "shortestpath")
  proc.time()[["elapsed"]] - t0
}
t0 <- proc.time()[["elapsed"]]
out <- tryCatch(callr::r(job, args = list(data = d), timeout = budget), error = function(e) e)
el <- proc.time()[["elapsed"]] - t0
if (inherits(out, "error")) {
  cat("netcontrib: did not finish; stopped after", round(el), "s (including the netmeta fit). ratio >", round(el / tf), "\n")
} else {
  cat("netcontrib:", out, "s; ratio", round(out / tf), "\n")
}

# confidence() on the synthetic 100-treatment, 300-study network of
# bench-diagnostics.R: the whole CINeMA assessment of all 4,950 comparisons,
# and of the 99 comparisons with the reference, with the time of each step.
#   Rscript bench/bench-confidence.R      (from the package root)
# There is no netmeta counterpart (CINeMA is a web application), so this
# reports absolute times; netcontrib() alone did not finish on this network
# within 1800 s (bench/RESULTS-diagnostics.md).
suppressMessages(library(fastnma))
exprs <- parse(file.path("bench", "bench-diagnostics.R"))
for (e in exprs) {
  if (is.call(e) && identical(e[[1]], as.name("<-")) &&
      identical(e[[2]], as.name("synthetic_network"))) eval(e)
}
d <- synthetic_network(100, 300, 100)
fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
                       fit$studies)
ind <- stats::setNames(rev(rob), fit$studies)
time <- function(expr) system.time(expr)[["elapsed"]]
steps <- c(
  contributions_study = time(contributions(fit, study = TRUE)),
  node_split_all = time(node_split(fit, comparisons = "all")),
  inconsistency = time(inconsistency(fit, heat = FALSE)),
  confidence_all = time(cf <- confidence(fit, rob, indirectness = ind, margin = 0.2,
                                         reporting_bias = "egger")),
  confidence_reference = time(confidence(fit, rob, margin = 0.2,
                                         comparisons = paste(setdiff(fit$treatments, fit$reference),
                                                             "vs", fit$reference))),
  traffic_plot_build = time(ggplot2::ggplot_build(autoplot(cf, order = "confidence")))
)
cat(sprintf("network: %d treatments, %d studies, %d comparisons assessed\n",
            length(fit$treatments), length(fit$studies), nrow(cf)))
print(round(steps, 2))
print(table(cf$confidence))

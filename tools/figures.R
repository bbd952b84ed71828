# Render every figure type of fastnma at 3, 22 and 100 treatments, as PNG
# files of 8 x 6 in, to look at them as figures for a paper.
#
# Usage, from the package root (fastnma installed):
#   tools/isolated Rscript tools/figures.R [out_dir] [sizes]
# out_dir defaults to figures-out/ (git-ignored); sizes to "3,22,100".
# A figure that fails is reported and the script goes on; the exit status
# is 1 when any failed.

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1L) args[[1]] else "figures-out"
sizes <- if (length(args) >= 2L) as.integer(strsplit(args[[2]], ",")[[1]]) else c(3L, 22L, 100L)
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

suppressPackageStartupMessages({
  library(fastnma)
  library(ggplot2)
})
sys.source(file.path("tests", "testthat", "helper-networks.R"), envir = globalenv())

failed <- character()
save_fig <- function(name, expr) {
  file <- file.path(out_dir, paste0(name, ".png"))
  t0 <- proc.time()[["elapsed"]]
  res <- tryCatch({
    p <- force(expr)
    ggplot2::ggsave(file, p, width = 8, height = 6, units = "in", dpi = 110,
                    bg = "white")
    NULL
  }, error = function(e) conditionMessage(e))
  dt <- proc.time()[["elapsed"]] - t0
  if (is.null(res)) {
    cat(sprintf("%-40s %6.1f s\n", name, dt))
  } else {
    cat(sprintf("%-40s FAILED: %s\n", name, gsub("\n", " ", res)))
    failed <<- c(failed, name)
  }
}

# A network of n treatments with arm-level binary (odds ratio) and
# continuous (mean difference) outcomes on the same studies.
make_networks <- function(n) {
  n_studies <- switch(as.character(n), "3" = 8L, "22" = 45L, max(n + 40L, 2L * n))
  arm <- random_arm_network(n, n_studies, p_multi = 0.15, max_arms = 3,
                            tau = 0.25, seed = 1000L + n)
  or <- suppressMessages(nma(arm_contrasts(arm, measure = "OR")))
  list(arm = arm, or = or,
       md = nma(arm_contrasts(arm, measure = "MD")))
}

for (n in sizes) {
  cat("--- ", n, " treatments\n", sep = "")
  nets <- make_networks(n)
  fit <- nets$or
  md <- nets$md
  tag <- function(x) sprintf("%03d-%s", n, x)

  for (type in c("forest", "network", "funnel", "netheat")) {
    save_fig(tag(paste0("nma-", type)), autoplot(fit, type = type))
  }
  save_fig(tag("nma-forest-pscore"), autoplot(fit, ranking = "pscore", sort = "rank"))
  save_fig(tag("nma-network-circle"), autoplot(fit, type = "network", layout = "circle"))
  save_fig(tag("nma-forest-md"), autoplot(md))

  lt <- league_table(fit)
  save_fig(tag("league"), autoplot(lt))
  save_fig(tag("league-ci"), autoplot(lt, ci = TRUE))

  ns <- node_split(fit)
  save_fig(tag("node-split"), autoplot(ns))

  loo <- leave_one_out(fit)
  save_fig(tag("loo-estimates"), autoplot(loo))
  save_fig(tag("loo-statistics"), autoplot(loo, type = "statistics"))

  save_fig(tag("contributions"), autoplot(contributions(fit)))

  rk <- rank_treatments(fit, method = "sucra", n_sim = 2000, seed = 1)
  for (type in c("bar", "rankogram", "cumulative")) {
    save_fig(tag(paste0("ranks-", type)), autoplot(rk, type = type))
  }
  save_fig(tag("ranks-pscore"), autoplot(rank_treatments(fit)))

  rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(fit$studies)),
                         fit$studies)
  cf <- tryCatch(confidence(fit, rob = rob, margin = 0.2), error = function(e) e)
  if (inherits(cf, "error")) {
    save_fig(tag("confidence-traffic"), stop(cf))
  } else {
    save_fig(tag("confidence-traffic"), autoplot(cf))
    save_fig(tag("confidence-rob"), autoplot(cf, type = "rob"))
  }

  year <- stats::setNames(2000L + seq_along(fit$studies) %/% 3L, fit$studies)
  save_fig(tag("cumulative"), autoplot(cumulative_nma(fit, year)))

  ce <- suppressMessages(nma(arm_contrasts(nets$arm, measure = "OR"), tau2 = 0))
  save_fig(tag("bind"), autoplot(nma_bind(random = fit, "tau2 = 0" = ce)))
  grp <- stats::setNames(rep(c("low risk", "high risk"), length.out = length(fit$studies)),
                         fit$studies)
  save_fig(tag("subgroup"), autoplot(subgroup_nma(fit, grp)))

  cov <- stats::setNames(seq_along(fit$studies) / length(fit$studies), fit$studies)
  save_fig(tag("regression"), autoplot(nma_regression(fit, cov)))

  save_fig(tag("benefit-harm-pscore"),
           autoplot(benefit_harm(md, fit, efficacy_small_values = "undesirable",
                                 harm_small_values = "desirable")))
  save_fig(tag("benefit-harm-estimate"),
           autoplot(benefit_harm(md, fit, efficacy_small_values = "undesirable",
                                 harm_small_values = "desirable"), type = "estimate"))

  # Component NMA: treatments renamed as components and their combinations
  # (the first ceiling(n / 2) + 1 single components, the rest pairs).
  trt <- sort(unique(nets$arm$treatment))
  m <- max(2L, ceiling(n / 2))
  comp <- paste0("C", seq_len(m))
  pairs <- utils::combn(comp, 2, paste, collapse = " + ")
  labels <- c("Placebo", comp, pairs)[seq_along(trt)]
  carm <- nets$arm
  carm$treatment <- labels[match(carm$treatment, trt)]
  cc <- suppressMessages(arm_contrasts(carm, measure = "OR"))
  cn <- tryCatch(component_nma(cc, inactive = "Placebo"), error = function(e) e)
  if (inherits(cn, "error")) {
    save_fig(tag("component"), stop(cn))
  } else {
    save_fig(tag("component"), autoplot(cn))
    save_fig(tag("component-combinations"), autoplot(cn, type = "combinations"))
  }
}

if (length(failed)) {
  cat("\nFailed:", paste(failed, collapse = ", "), "\n")
  quit(status = 1)
}

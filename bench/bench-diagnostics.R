# Evidence diagnostics: fastnma against netmeta, measured in one run.
#
#   Rscript bench/bench-diagnostics.R            (from the package root)
#
# Networks: Senn et al. (2013; 10 treatments, 26 studies), a synthetic
# network with 22 treatments and about 100 studies, and a synthetic network
# with 100 treatments. Pairs of functions (both given an existing fit):
#   node_split()                       vs netsplit()              (back-calculation)
#   node_split(method = "separate")    vs netsplit(method = "SIDDE")
#   leave_one_out()                    vs netimpact()
#   contributions()                    vs netcontrib()            (shortest path)
# netmeta runs in a separate R process (callr) with a time budget; when it
# fails or exceeds the budget, that is printed and the ratio is a lower bound.
# Not part of the test suite.

suppressMessages({
  lib <- Sys.getenv("FASTNMA_BENCH_LIB")
  if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
  library(fastnma)
  library(netmeta)
})

budget <- as.numeric(Sys.getenv("FASTNMA_BENCH_BUDGET", "120"))

# A connected synthetic network: a random spanning tree, then random pairs;
# about 10% three-arm studies. Arm-level estimates, so the contrasts of a
# multi-arm study are consistent.
synthetic_network <- function(n_treat, n_study, seed) {
  set.seed(seed)
  trt <- sprintf("T%03d", seq_len(n_treat))
  mu <- c(0, rnorm(n_treat - 1, 0, 0.5))
  designs <- vector("list", n_study)
  perm <- sample(n_treat)
  for (i in 2:n_treat) designs[[i - 1]] <- c(perm[i], perm[sample.int(i - 1, 1)])
  for (s in n_treat:n_study) {
    p <- if (runif(1) < 0.1) 3 else 2
    designs[[s]] <- sample(n_treat, p)
  }
  rows <- lapply(seq_len(n_study), function(s) {
    a <- designs[[s]]
    v <- runif(length(a), 0.02, 0.2)
    y <- mu[a] + rnorm(length(a), 0, sqrt(v)) + rnorm(length(a), 0, 0.1)
    pr <- utils::combn(length(a), 2)
    data.frame(study = sprintf("S%04d", s), treat1 = trt[a[pr[1, ]]],
               treat2 = trt[a[pr[2, ]]], TE = y[pr[1, ]] - y[pr[2, ]],
               seTE = sqrt(v[pr[1, ]] + v[pr[2, ]]), stringsAsFactors = FALSE)
  })
  do.call(rbind, rows)
}

# Seconds per call: the median of three timings, each repeating the call
# until at least 0.2 s have passed (so that millisecond calls are resolved).
median_time <- function(expr, reps = 3L) {
  env <- parent.frame()
  one <- function() {
    n <- 0L
    t0 <- proc.time()[["elapsed"]]
    repeat {
      eval(expr, env)
      n <- n + 1L
      el <- proc.time()[["elapsed"]] - t0
      if (el >= 0.2) break
    }
    el / n
  }
  stats::median(vapply(seq_len(reps), function(i) one(), numeric(1)))
}

# netmeta in a fresh process: fit, then time `what` on the fit.
netmeta_time <- function(data, what) {
  job <- function(data, what) {
    suppressMessages(library(netmeta))
    nm <- suppressWarnings(netmeta(TE, seTE, treat1, treat2, study, data = data,
                                   method.tau = "DL"))
    t0 <- proc.time()[["elapsed"]]
    switch(what,
      netsplit = netsplit(nm),
      sidde = suppressWarnings(netsplit(nm, method = "SIDDE", verbose = FALSE)),
      netimpact = netimpact(nm),
      netcontrib = netcontrib(nm, method = "shortestpath"))
    proc.time()[["elapsed"]] - t0
  }
  out <- tryCatch(
    callr::r(job, args = list(data = data, what = what), timeout = budget + 60),
    error = function(e) e)
  if (inherits(out, "error")) {
    msg <- conditionMessage(out)
    if (inherits(out, "callr_timeout_error") || grepl("timeout|timed out|time limit", msg, ignore.case = TRUE)) {
      return(list(time = NA_real_, note = sprintf("exceeded the %g s budget", budget)))
    }
    return(list(time = NA_real_, note = paste("failed:", substr(gsub("\\s+", " ", msg), 1, 120))))
  }
  if (out > budget) return(list(time = out, note = sprintf("took %.0f s (over budget)", out)))
  list(time = out, note = "")
}

networks <- list(
  "Senn2013 (10 trt, 26 studies)" = {
    d <- read.csv(system.file("extdata", "Senn2013_input.csv", package = "fastnma"))
    d
  },
  "synthetic (22 trt, 100 studies)" = synthetic_network(22, 100, 2022),
  "synthetic (100 trt, 300 studies)" = synthetic_network(100, 300, 100)
)

pairs <- list(
  list(label = "node_split vs netsplit", nm = "netsplit",
       fast = quote(node_split(fit))),
  list(label = "node_split(separate) vs netsplit(SIDDE)", nm = "sidde",
       fast = quote(node_split(fit, method = "separate"))),
  list(label = "leave_one_out vs netimpact", nm = "netimpact",
       fast = quote(leave_one_out(fit))),
  list(label = "contributions vs netcontrib", nm = "netcontrib",
       fast = quote(contributions(fit, method = "shortestpath")))
)

results <- list()
for (net in names(networks)) {
  d <- networks[[net]]
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  cat(sprintf("\n== %s: %d contrasts, %d designs ==\n", net, nrow(d), fit$n_designs))
  for (p in pairs) {
    tf <- median_time(p$fast)
    nmres <- netmeta_time(d, p$nm)
    ratio <- if (is.na(nmres$time)) budget / tf else nmres$time / tf
    shown_ratio <- if (is.na(nmres$time) || nzchar(nmres$note)) sprintf(">%s", format(round(ratio), big.mark = ",")) else format(round(ratio), big.mark = ",")
    cat(sprintf("%-42s fastnma %9.5f s   netmeta %9s s   ratio %s %s\n", p$label, tf,
                if (is.na(nmres$time)) "-" else sprintf("%.3f", nmres$time), shown_ratio,
                nmres$note))
    results[[length(results) + 1L]] <- data.frame(
      network = net, task = p$label, fastnma_s = signif(tf, 3),
      netmeta_s = if (is.na(nmres$time)) NA_real_ else signif(nmres$time, 3),
      ratio = shown_ratio, note = nmres$note, stringsAsFactors = FALSE)
  }
}

tab <- do.call(rbind, results)
cat("\n")
cat("| network | task | fastnma (s) | netmeta (s) | ratio | note |\n")
cat("| --- | --- | ---: | ---: | ---: | --- |\n")
for (i in seq_len(nrow(tab))) {
  cat(sprintf("| %s | %s | %s | %s | %s | %s |\n", tab$network[i], tab$task[i],
              format(tab$fastnma_s[i]), if (is.na(tab$netmeta_s[i])) "-" else format(tab$netmeta_s[i]),
              tab$ratio[i], tab$note[i]))
}
cat(sprintf("\nnetmeta %s, fastnma %s, R %s, %s; budget %g s per netmeta call\n",
            packageVersion("netmeta"), packageVersion("fastnma"), getRversion(),
            R.version$platform, budget))

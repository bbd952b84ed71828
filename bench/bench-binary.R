# Mantel-Haenszel network meta-analysis: fastnma::nma_binary() against
# netmeta::netmetabin(method = "MH"), in one R process. Run by hand:
#   Rscript bench/bench-binary.R
# Writes the table to bench/RESULTS-binary.md.
suppressPackageStartupMessages({
  library(fastnma)
  library(netmeta)
})
set.seed(20240601)

# A sparse network of 50 treatments and 1,000 studies with rare events:
# mostly two-arm studies, 10% three-arm; treatment t is connected to t + 1
# by construction so the network is connected.
synthetic_network <- function(n_treat = 50, n_study = 1000, p_three = 0.1) {
  trt <- sprintf("T%02d", seq_len(n_treat))
  rows <- vector("list", n_study)
  base_risk <- 0.03
  logor <- stats::rnorm(n_treat, 0, 0.4)
  for (s in seq_len(n_study)) {
    a <- ((s - 1) %% (n_treat - 1)) + 1
    arms <- c(a, a + 1)
    if (s > n_treat) arms <- sample(n_treat, 2)
    if (stats::runif(1) < p_three) arms <- unique(c(arms, sample(setdiff(seq_len(n_treat), arms), 1)))
    n <- sample(40:250, length(arms), replace = TRUE)
    p <- stats::plogis(stats::qlogis(base_risk) + logor[arms] + stats::rnorm(1, 0, 0.3))
    rows[[s]] <- data.frame(study = sprintf("s%04d", s), treatment = trt[arms],
                            events = stats::rbinom(length(arms), n, p), n = n)
  }
  do.call(rbind, rows)
}

run_netmetabin <- function(d) {
  p <- suppressWarnings(pairwise(treat = treatment, event = events, n = n,
                                 studlab = study, data = d, sm = "OR"))
  suppressWarnings(netmetabin(p, method = "MH", sm = "OR"))
}
run_fastnma <- function(d) suppressMessages(nma_binary(d, measure = "OR", method = "MH"))

# netmetabin() is given at most `limit` seconds per run (best effort:
# setTimeLimit() only acts at R-level interrupt checks); if it does not
# finish, its time is reported as "> limit" and the speed-up as a lower bound.
compare <- function(name, d, netmeta_reps, limit = Inf) {
  nb_times <- numeric(netmeta_reps)
  nb <- NULL
  for (r in seq_len(netmeta_reps)) {
    t0 <- proc.time()[["elapsed"]]
    setTimeLimit(elapsed = limit, transient = TRUE)
    nb <- tryCatch(run_netmetabin(d), error = function(e) NULL)
    setTimeLimit(elapsed = Inf)
    nb_times[r] <- proc.time()[["elapsed"]] - t0
    if (is.null(nb)) break
  }
  nb_times <- nb_times[nb_times > 0]
  bm <- bench::mark(run_fastnma(d), min_iterations = 20, check = FALSE,
                    filter_gc = FALSE)
  fit <- run_fastnma(d)
  # agreement: every pair, effect and SE
  trt <- fit$treatments
  te <- outer(fit$common$theta, fit$common$theta, "-")
  C <- fit$common$cov
  se <- sqrt(pmax(outer(diag(C), diag(C), "+") - 2 * C, 0))
  off <- row(te) != col(te)
  if (!is.null(nb)) {
    nb_te <- nb$TE.common[trt, trt]
    nb_se <- nb$seTE.common[trt, trt]
  } else {
    nb_te <- nb_se <- te * NA
  }
  data.frame(
    network = name, studies = length(unique(d$study)), treatments = length(unique(d$treatment)),
    finished = !is.null(nb),
    netmetabin_s = stats::median(nb_times),
    fastnma_ms = 1000 * as.numeric(bm$median),
    speedup = stats::median(nb_times) / as.numeric(bm$median),
    max_rel_diff_TE = max(abs(te[off] / nb_te[off] - 1)),
    max_rel_diff_seTE = max(abs(se[off] / nb_se[off] - 1))
  )
}

res <- rbind(
  compare("Dong2013", dong2013, netmeta_reps = 3),
  compare("synthetic, small", synthetic_network(n_treat = 10, n_study = 60), netmeta_reps = 1),
  compare("synthetic sparse", synthetic_network(), netmeta_reps = 1, limit = 600)
)
print(res)

fmt <- function(x, d) formatC(x, digits = d, format = "g")
lines <- c(
  "# Mantel-Haenszel NMA: fastnma vs netmeta",
  "",
  sprintf("`nma_binary(method = \"MH\", measure = \"OR\")` against `netmetabin(method = \"MH\")` (netmeta %s), same R process (R %s), %s.",
          utils::packageVersion("netmeta"), getRversion(), format(Sys.Date())),
  "netmetabin: median elapsed time of 3 runs (Dong2013) or 1 run (synthetic), from `pairwise()` output,",
  "stopped after 600 s on the large network (then '>' marks a lower bound);",
  "fastnma: median of `bench::mark()` (>= 20 iterations), from arm-level data (including",
  "validation, zero-cell audit and messages). Agreement: largest relative difference over all",
  "pairs of treatments of the log odds ratio and its standard error.",
  "Synthetic networks: 10 treatments and 60 studies, and 50 treatments and 1,000 studies (10% three-arm), event risk about 3%,",
  "40-250 patients per arm (`synthetic_network()` in bench/bench-binary.R, seed 20240601).",
  "The machine (2 cores) was shared with other jobs while this ran; elapsed times of both",
  "packages are inflated by the load, netmetabin's more, as it runs far longer.",
  "",
  "| network | studies | treatments | netmetabin (s) | fastnma (ms) | speed-up | max rel. diff TE | max rel. diff seTE |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  sprintf("| %s | %d | %d | %s%s | %s | %s%sx | %s | %s |", res$network, res$studies, res$treatments,
          ifelse(res$finished, "", "> "), fmt(res$netmetabin_s, 3), fmt(res$fastnma_ms, 3),
          ifelse(res$finished, "", "> "), formatC(round(res$speedup), format = "d", big.mark = ","),
          fmt(res$max_rel_diff_TE, 2), fmt(res$max_rel_diff_seTE, 2))
)
writeLines(lines, file.path("bench", "RESULTS-binary.md"))
cat(lines, sep = "\n")

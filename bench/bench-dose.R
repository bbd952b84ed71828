# Benchmark: fastnma::dose_nma() on netdose's anaesthesia data and on large
# simulated dose-response networks.
#
#   Rscript bench/bench-dose.R            (from the package root)
#
# Environment variables:
#   FASTNMA_LIB   library holding the fastnma build to time (prepended to
#                 .libPaths())
#   BENCH_OUT     where to write the results table
#                 (default bench/RESULTS-dose.md)
#
# netdose (0.7-5, pure R) is not installable here (its release needs a newer
# R than 4.2.2), so it cannot be timed in this process. As the nearest
# stand-in, each row also times a dense R implementation of the same
# estimator (written for this benchmark from the model, not netdose's code):
# the m x m weight and hat matrices of all pairwise comparisons, the
# pseudo-inverse with MASS::ginv(), the moment estimator of tau^2 as netdose
# computes it. Its ratio is NOT a ratio against netdose; netdose also forms
# such m x m matrices, so it indicates the order of magnitude. Agreement of
# the two (coefficients, both models) is printed with each row.

if (nzchar(Sys.getenv("FASTNMA_LIB"))) .libPaths(c(Sys.getenv("FASTNMA_LIB"), .libPaths()))
suppressPackageStartupMessages(library(fastnma))

out_file <- Sys.getenv("BENCH_OUT", file.path("bench", "RESULTS-dose.md"))

time_med <- function(expr, reps = 5L) {
  m <- bench::mark(exprs = list(substitute(expr)), env = parent.frame(),
                   min_iterations = reps, min_time = if (reps > 1L) 0.5 else 0,
                   check = FALSE, memory = FALSE, filter_gc = FALSE)
  as.numeric(m$median)
}
fmt_s <- function(x) ifelse(x < 1, sprintf("%.1f ms", 1e3 * x), sprintf("%.2f s", x))

# The dense estimator: every matrix m x m (m = number of comparisons).
dense_dose <- function(d, A, nodes) {
  n1 <- match(paste0(d$agent1, "@", d$dose1), nodes)
  n2 <- match(paste0(d$agent2, "@", d$dose2), nodes)
  st <- match(d$study, unique(d$study))
  X <- A[n1, , drop = FALSE] - A[n2, , drop = FALSE]
  weights <- function(tau2) {
    w <- numeric(nrow(d))
    for (s in unique(st)) {
      ix <- which(st == s)
      if (length(ix) == 1L) {
        w[ix] <- 1 / (d$std.error[ix]^2 + tau2)
        next
      }
      arms <- unique(c(n1[ix], n2[ix]))
      p <- length(arms)
      V <- matrix(0, p, p)
      a <- match(n1[ix], arms)
      b <- match(n2[ix], arms)
      V[cbind(a, b)] <- V[cbind(b, a)] <- d$std.error[ix]^2 + tau2
      P <- diag(p) - 1 / p
      L <- MASS::ginv(-0.5 * P %*% V %*% P)
      w[ix] <- -L[cbind(a, b)]
    }
    w
  }
  fit <- function(tau2) {
    W <- diag(weights(tau2))
    G <- MASS::ginv(t(X) %*% W %*% X)
    b <- G %*% t(X) %*% W %*% d$estimate
    list(b = b, W = W, G = G, Q = as.numeric(t(d$estimate - X %*% b) %*% W %*% (d$estimate - X %*% b)))
  }
  f0 <- fit(0)
  H <- X %*% f0$G %*% t(X) %*% f0$W
  E <- outer(st, st, "==") * 1
  df <- sum(tapply(c(n1, n2), c(st, st), function(z) length(unique(z))) - 1) - qr(X)$rank
  tau2 <- max(0, (f0$Q - df) / sum(diag((diag(nrow(d)) - H) %*% ((X %*% t(X) * E) / 2) %*% f0$W)))
  f1 <- fit(tau2)
  list(common = as.vector(f0$b), random = as.vector(f1$b), tau2 = tau2)
}

rows <- list()
add_row <- function(network, call, fast_s, dense_s, agree) {
  ratio <- if (is.na(dense_s)) "" else sprintf("%.0fx", dense_s / fast_s)
  rows[[length(rows) + 1L]] <<- data.frame(
    network = network, call = call, fastnma = fmt_s(fast_s),
    dense_R = if (is.na(dense_s)) "not run" else fmt_s(dense_s), ratio = ratio,
    max_abs_diff = if (is.na(agree)) "" else sprintf("%.1e", agree), stringsAsFactors = FALSE)
  cat(sprintf("%-44s %-34s fastnma %-9s dense R %-9s %s\n", network, call, fmt_s(fast_s),
              if (is.na(dense_s)) "-" else fmt_s(dense_s), ratio))
}

compare <- function(label, d, method, dense = TRUE, reps = 5L, ...) {
  fast <- time_med(dose_nma(d, method = method, netdose = TRUE, ...), reps)
  fit <- dose_nma(d, method = method, netdose = TRUE, ...)
  if (dense) {
    A <- fastnma:::dose_basis(fit$spec, fit$node_agent, fit$node_dose, fit$agents)
    ref <- NULL
    dense_s <- time_med(ref <- dense_dose(d, A, fit$nodes), 1L)
    agree <- max(abs(ref$common - fit$common$coef), abs(ref$random - fit$random$coef))
  } else {
    dense_s <- NA_real_
    agree <- NA_real_
  }
  add_row(label, sprintf("dose_nma(method = \"%s\")", method), fast, dense_s, agree)
}

# --- netdose's anaesthesia data (199 studies, 310 comparisons, 27 agents) ---
anes <- utils::read.csv(file.path("tests", "testthat", "fixtures", "netdose",
                                  "anesthesia_input.csv"), stringsAsFactors = FALSE)
names(anes)[names(anes) == "studlab"] <- "study"
names(anes)[names(anes) == "TE"] <- "estimate"
names(anes)[names(anes) == "seTE"] <- "std.error"
for (m in c("linear", "exponential", "fp1", "fp2")) {
  compare("anaesthesia (netdose's data)", anes, m, measure = "RR")
}
compare("anaesthesia (netdose's data)", anes, "quadratic", measure = "RR")

# --- simulated: Emax curves -------------------------------------------------
sim <- simulate_dose_nma(seed = 1, n_studies = 300, tau = 0.2)
fast <- time_med(dose_nma(sim, method = "emax"))
add_row("simulated, 3 agents, 300 studies", "dose_nma(method = \"emax\")", fast, NA, NA)
agents <- sprintf("A%02d", 1:20)
big <- simulate_dose_nma(seed = 2, n_studies = 1000, tau = 0.2,
                         emax = stats::setNames(-seq(0.5, 2, length.out = 20), agents),
                         ed50 = stats::setNames(seq(1, 40, length.out = 20), agents))
compare("simulated, 20 agents, 1,000 studies", big, "linear", dense = TRUE, reps = 3L)
fast <- time_med(dose_nma(big, method = "emax"), 3L)
add_row("simulated, 20 agents, 1,000 studies", "dose_nma(method = \"emax\")", fast, NA, NA)

tab <- do.call(rbind, rows)
lines <- c(
  "# dose_nma() timings",
  "",
  sprintf("Run of `bench/bench-dose.R`: fastnma %s, %s, %s.",
          as.character(utils::packageVersion("fastnma")), R.version.string, format(Sys.Date())),
  "netdose is not installable here (its release needs a newer R), so no ratio against",
  "netdose is measured. `dense_R` times a dense R implementation of the same estimator",
  "(m x m matrices of all comparisons, MASS::ginv(), written for this benchmark from the",
  "model, not netdose's code) in the same process; `ratio` = dense_R / fastnma, a stand-in",
  "for the order of magnitude only. max_abs_diff: largest difference of the coefficients",
  "(common and random) between the two. Medians of repeated runs in one R process (bench::mark).",
  sprintf("Load average during the run: %s (a 2-core machine shared with other jobs; absolute times are inflated accordingly).",
          tryCatch(paste(utils::head(strsplit(readLines("/proc/loadavg"), " ")[[1]], 3), collapse = ", "),
                   error = function(e) "unknown")),
  "",
  paste("|", paste(names(tab), collapse = " | "), "|"),
  paste("|", paste(rep("---", ncol(tab)), collapse = " | "), "|"),
  apply(tab, 1, function(r) paste("|", paste(r, collapse = " | "), "|"))
)
writeLines(lines, out_file)
cat("\nWritten to", out_file, "\n")

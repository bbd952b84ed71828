# Scale: every verb at 300 treatments / 3,000 studies (10% three-arm), and
# nma() REML at 1,000 treatments / 10,000 studies, before and after the
# changes of this release, measured in one run.
#
#   FASTNMA_BEFORE=/path/to/lib Rscript bench/bench-scale.R   (from the package root)
#
# FASTNMA_BEFORE is a library holding the previous build of fastnma (for
# example `R CMD INSTALL -l /tmp/lib-before .` on the previous commit); the
# current build is the one on the library path. Each (build, verb) pair runs
# in a fresh R process (callr): the network is simulated and fitted there,
# then the verb is timed (CPU = user + system of the process, and elapsed)
# and the peak resident memory of the process (VmHWM from /proc/self/status,
# which includes R itself and the data) is read after it. A run over
# FASTNMA_BENCH_BUDGET seconds (default 30) is stopped and reported as such.
# Numbers (tau^2, estimates) of the two builds are compared where both
# finished. Not part of the test suite.

suppressMessages(library(callr))
source(file.path("bench", "networks.R"))

budget <- as.numeric(Sys.getenv("FASTNMA_BENCH_BUDGET", "30"))
before <- Sys.getenv("FASTNMA_BEFORE", "")
n_treat <- as.integer(Sys.getenv("FASTNMA_BENCH_N", "300"))
big_n <- as.integer(Sys.getenv("FASTNMA_BENCH_BIG", "1000"))
root <- normalizePath(".")

verbs <- list(
  "nma REML" = quote(nma(d, tau2_method = "REML")),
  "node_split (back-calculation)" = quote(node_split(fit)),
  "node_split (separate)" = quote(node_split(fit, method = "separate")),
  "node_split (separate, tau2 fixed)" = quote(node_split(fit, method = "separate", tau2 = "fixed")),
  "rank_treatments SUCRA 1e4" = quote(rank_treatments(fit, method = "sucra", n_sim = 1e4, seed = 1)),
  "inconsistency" = quote(inconsistency(fit)),
  "contributions" = quote(contributions(fit)),
  "leave_one_out" = quote(leave_one_out(fit))
)

job <- function(lib, root, n, expr) {
  if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
  suppressMessages(library(fastnma))
  Sys.setenv(FASTNMA_ROOT = root)
  source(file.path(root, "bench", "networks.R"))
  d <- random_network(n, 10 * n, p_multi = 0.1, max_arms = 3, tau = 0.2, seed = 1)
  fit <- nma(d, tau2_method = "REML")
  hwm <- function() {
    x <- grep("^VmHWM", readLines("/proc/self/status"), value = TRUE)
    as.numeric(gsub("[^0-9]", "", x)) / 1024
  }
  gc()
  mem0 <- hwm()
  t0 <- proc.time()
  res <- suppressMessages(eval(expr))
  t1 <- proc.time() - t0
  num <- if (inherits(res, "nma")) c(res$tau2, res$random$theta) else NULL
  list(cpu = t1[["user.self"]] + t1[["sys.self"]], elapsed = t1[["elapsed"]],
       mem = hwm(), mem0 = mem0, num = num, version = as.character(packageVersion("fastnma")))
}

run <- function(lib, n, expr) {
  out <- tryCatch(callr::r(job, args = list(lib = lib, root = root, n = n, expr = expr),
                           timeout = budget + 30),
                  error = function(e) e)
  if (inherits(out, "error")) {
    note <- if (inherits(out, "callr_timeout_error")) sprintf("> %g s (stopped)", budget + 30)
            else paste("failed:", substr(gsub("\\s+", " ", conditionMessage(out)), 1, 80))
    return(list(cpu = NA_real_, elapsed = NA_real_, mem = NA_real_, note = note))
  }
  out$note <- ""
  out
}

fmt_t <- function(r) if (is.na(r$cpu)) r$note else sprintf("%.3f s (%.3f s)", r$cpu, r$elapsed)
fmt_m <- function(r) if (is.na(r$mem)) "--" else sprintf("%.0f MB", r$mem)

only <- Sys.getenv("FASTNMA_BENCH_VERBS", "")  # a regular expression, to run some verbs
rows <- list()
cases <- c(lapply(names(verbs), function(v) list(label = v, n = n_treat, expr = verbs[[v]])),
           list(list(label = "nma REML", n = big_n, expr = verbs[["nma REML"]])))
if (nzchar(only)) cases <- Filter(function(cs) grepl(only, cs$label), cases)
for (cs in cases) {
  a <- run("", cs$n, cs$expr)
  b <- if (nzchar(before)) run(before, cs$n, cs$expr) else list(cpu = NA_real_, elapsed = NA_real_, mem = NA_real_, note = "not run")
  ratio <- if (!is.na(a$cpu) && !is.na(b$cpu)) sprintf("%.1fx", b$cpu / a$cpu)
           else if (!is.na(a$cpu) && grepl("stopped", b$note)) sprintf("> %.0fx", (budget + 30) / a$cpu)
           else "--"
  agree <- if (!is.null(a$num) && !is.null(b$num)) sprintf("%.1e", max(abs(a$num - b$num))) else ""
  lab <- sprintf("%s (%d treatments, %d studies)", cs$label, cs$n, 10L * cs$n)
  cat(sprintf("%-60s after %-24s %8s   before %-24s %8s   ratio %s %s\n", lab, fmt_t(a), fmt_m(a),
              fmt_t(b), fmt_m(b), ratio, agree))
  rows[[length(rows) + 1L]] <- c(lab, fmt_t(b), fmt_m(b), fmt_t(a), fmt_m(a), ratio, agree)
}

cat("\n| verb | before: CPU (elapsed) | before: peak memory | after: CPU (elapsed) | after: peak memory | CPU ratio | max abs. difference (tau2, estimates) |\n")
cat("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
for (r in rows) cat("|", paste(r, collapse = " | "), "|\n")

# leave_one_out() through the future framework: sequential and
# plan(multisession, workers = 2) in one process, same fit.
par_job <- function(root, n) {
  suppressMessages(library(fastnma))
  Sys.setenv(FASTNMA_ROOT = root)
  source(file.path(root, "bench", "networks.R"))
  d <- random_network(n, 10 * n, p_multi = 0.1, max_arms = 3, tau = 0.2, seed = 1)
  fit <- nma(d, tau2_method = "REML")
  t_seq <- system.time(a <- leave_one_out(fit, impact = FALSE))[["elapsed"]]
  future::plan(future::multisession, workers = 2)
  invisible(leave_one_out(nma(senn2013, TE, seTE, treat1, treat2, study), parallel = TRUE))  # start the workers
  t_par <- system.time(b <- leave_one_out(fit, impact = FALSE, parallel = TRUE))[["elapsed"]]
  future::plan(future::sequential)
  list(seq = t_seq, par = t_par, identical = identical(a$studies, b$studies) &&
         identical(a$estimates, b$estimates))
}
if (requireNamespace("future.apply", quietly = TRUE) &&
    (!nzchar(only) || grepl(only, "leave_one_out"))) {
  p <- callr::r(par_job, args = list(root = root, n = n_treat))
  cat(sprintf("\nleave_one_out (%d treatments, %d studies), elapsed: sequential %.2f s, plan(multisession, workers = 2) %.2f s, speed-up %.2fx, identical: %s\n",
              n_treat, 10L * n_treat, p$seq, p$par, p$seq / p$par, p$identical))
}

# Benchmark: fastnma::nma() against netmeta::netmeta() in one R process.
#
#   Rscript bench/bench-nma.R            (from the package root)
#
# Environment variables:
#   FASTNMA_LIB             library holding the fastnma build to time (prepended
#                           to .libPaths())
#   BENCH_NETMETA_BUDGET    seconds netmeta gets per synthetic network (300)
#   BENCH_SIZES             synthetic networks as "treatments/studies,..."
#                           (default "50/500,200/2000,300/3000")
#   BENCH_OUT               where to write the results table
#                           (default bench/RESULTS-nma.md)
#
# Times are medians of repeated runs (bench::mark); netmeta on the synthetic
# networks runs once, in a child process (callr) that is killed when it
# exceeds its budget. Peak memory of a fastnma REML fit is measured in a fresh
# Rscript child: VmHWM of the process after the fit, and before it (R,
# fastnma and the data loaded), from /proc/self/status; bench::mark reports
# the R-level allocations of the fit.

if (nzchar(Sys.getenv("FASTNMA_LIB"))) .libPaths(c(Sys.getenv("FASTNMA_LIB"), .libPaths()))
suppressPackageStartupMessages({
  library(fastnma)
  library(netmeta)
})
source(file.path("bench", "networks.R"))

budget <- as.numeric(Sys.getenv("BENCH_NETMETA_BUDGET", "300"))
sizes <- strsplit(strsplit(Sys.getenv("BENCH_SIZES", "50/500,200/2000,300/3000"), ",")[[1]], "/")
out_file <- Sys.getenv("BENCH_OUT", file.path("bench", "RESULTS-nma.md"))

med <- function(expr_time) as.numeric(stats::median(expr_time))
time_mark <- function(expr, min_iterations, min_time = 2) {
  m <- bench::mark(exprs = list(substitute(expr)), env = parent.frame(),
                   min_iterations = min_iterations, min_time = min_time,
                   check = FALSE, memory = FALSE, filter_gc = FALSE)
  list(median = as.numeric(m$median), n = m$n_itr)
}
fmt_s <- function(x) ifelse(is.na(x), "--", ifelse(x < 1e-3, sprintf("%.3f ms", 1e3 * x),
                                             ifelse(x < 1, sprintf("%.1f ms", 1e3 * x), sprintf("%.2f s", x))))

rows <- list()
# `at_least`: netmeta did not finish within that many seconds.
add_row <- function(network, method, netmeta_s, fastnma_s, note = "",
                    at_least = NA_real_) {
  ratio <- if (!is.na(netmeta_s)) sprintf("%.0fx", netmeta_s / fastnma_s) else
    if (!is.na(at_least)) sprintf("> %.0fx", at_least / fastnma_s) else "--"
  shown <- if (!is.na(at_least)) sprintf("> %g s", at_least) else fmt_s(netmeta_s)
  rows[[length(rows) + 1L]] <<- data.frame(
    network = network, method = method, netmeta = shown,
    fastnma = fmt_s(fastnma_s), ratio = ratio, note = note,
    stringsAsFactors = FALSE)
  cat(sprintf("%-42s %-5s netmeta %-10s fastnma %-10s ratio %-8s %s\n", network, method,
              shown, fmt_s(fastnma_s), ratio, note))
}

# --- Senn2013 -------------------------------------------------------------
senn <- fastnma::senn2013
for (method in c("DL", "REML")) {
  nm <- time_mark(suppressWarnings(netmeta(TE, seTE, treat1, treat2, studlab = study, data = senn,
                                           sm = "MD", common = TRUE, random = TRUE,
                                           method.tau = method)),
                  min_iterations = 5, min_time = 5)
  fa <- time_mark(nma(senn, TE, seTE, treat1, treat2, study, measure = "MD",
                      tau2_method = method), min_iterations = 200)
  add_row("Senn2013 (10 treatments, 26 studies)", method, nm$median, fa$median,
          sprintf("medians of %d / %d runs", nm$n, fa$n))
}

# --- Synthetic networks ---------------------------------------------------
netmeta_child <- function(d, budget) {
  t0 <- Sys.time()
  res <- tryCatch(
    callr::r(function(d) {
      suppressPackageStartupMessages(library(netmeta))
      t <- system.time(suppressWarnings(netmeta::netmeta(
        estimate, std.error, treat1, treat2, studlab = study, data = d, sm = "MD",
        common = TRUE, random = TRUE, method.tau = "DL")))
      t[["elapsed"]]
    }, args = list(d = d), timeout = budget),
    error = function(e) e)
  if (inherits(res, "error")) {
    if (inherits(res, "callr_timeout_error") ||
        as.numeric(difftime(Sys.time(), t0, units = "secs")) >= budget) {
      cat(sprintf("netmeta: did not finish in %g s\n", budget))
      return(list(time = NA_real_, at_least = budget,
                  note = sprintf("netmeta did not finish in %g s", budget)))
    }
    msg <- conditionMessage(res)
    if (!is.null(res$parent)) msg <- conditionMessage(res$parent)
    cat("netmeta: error:", msg, "\n")
    return(list(time = NA_real_, at_least = NA_real_,
                note = paste("netmeta error:", gsub("[\r\n|]+", " ", msg))))
  }
  list(time = res, at_least = NA_real_, note = "netmeta: one run")
}

for (sz in sizes) {
  n_treat <- as.integer(sz[1]); n_studies <- as.integer(sz[2])
  d <- random_network(n_treat, n_studies, p_multi = 0.1, max_arms = 3, tau = 0.2, seed = 1)
  n3 <- sum(table(d$study) == 3)
  label <- sprintf("%d treatments, %d studies (%d three-arm)", n_treat, n_studies, n3)
  cat("\n", label, "\n", sep = "")
  nm <- netmeta_child(d, budget)
  fa <- time_mark(nma(d, tau2_method = "DL"), min_iterations = 5)
  add_row(label, "DL", nm$time, fa$median, nm$note, at_least = nm$at_least)
  fa <- time_mark(nma(d, tau2_method = "REML"), min_iterations = 5)
  add_row(label, "REML", NA_real_, fa$median, sprintf("fastnma only; median of %d runs", fa$n))
}

# --- Peak memory of a REML fit, 300 treatments / 3,000 studies --------------
mem_child <- function() {
  callr::rscript(
    script = local({
      f <- tempfile(fileext = ".R")
      writeLines(c(
        sprintf(".libPaths(c(%s))", paste(deparse(.libPaths()), collapse = "")),
        "suppressPackageStartupMessages(library(fastnma))",
        sprintf("sys.source(%s, envir = globalenv())",
                deparse(normalizePath(file.path("tests", "testthat", "helper-networks.R")))),
        "hwm <- function() as.numeric(sub('[^0-9]*([0-9]+).*', '\\\\1', grep('VmHWM', readLines('/proc/self/status'), value = TRUE))) / 1024",
        "d <- random_network(300, 3000, p_multi = 0.1, max_arms = 3, tau = 0.2, seed = 1)",
        "before <- hwm()",
        "t <- system.time(fit <- nma(d, tau2_method = 'REML'))[['elapsed']]",
        "after <- hwm()",
        "alloc <- as.numeric(bench::mark(nma(d, tau2_method = 'REML'), iterations = 1, check = FALSE, memory = TRUE)$mem_alloc) / 1024^2",
        "cat(sprintf('MEM %.1f %.1f %.3f %.1f\\n', before, after, t, alloc))"
      ), f)
      f
    }), show = FALSE)
}
mem <- mem_child()
vals <- as.numeric(strsplit(sub(".*MEM ", "", grep("MEM", mem$stdout, value = TRUE)), " ")[[1]])
cat(sprintf("\nREML, 300 treatments / 3,000 studies, fresh process: %.2f s; peak RSS (VmHWM) %.0f MB (before the fit %.0f MB); R allocations of the fit %.1f MB\n",
            vals[3], vals[2], vals[1], vals[4]))

# --- Results table -----------------------------------------------------------
tab <- do.call(rbind, rows)
md <- c(
  "# fastnma vs netmeta: timings",
  "",
  sprintf("Measured %s on %s (%s; R %s; netmeta %s; fastnma %s); `bench/bench-nma.R`.",
          format(Sys.Date()), Sys.info()[["nodename"]],
          sub("^\\s+", "", system("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2", intern = TRUE)),
          getRversion(), packageVersion("netmeta"), packageVersion("fastnma")),
  "Medians of repeated runs (bench::mark) unless noted; ratio = netmeta / fastnma.",
  sprintf("Synthetic networks: `random_network(n, k, p_multi = 0.1, max_arms = 3, tau = 0.2, seed = 1)`; netmeta (DL) runs once in a child process with a %g s budget.", budget),
  "",
  "| network | tau2 | netmeta | fastnma | ratio | note |",
  "| --- | --- | --- | --- | --- | --- |",
  sprintf("| %s | %s | %s | %s | %s | %s |", tab$network, tab$method, tab$netmeta,
          tab$fastnma, tab$ratio, tab$note),
  "",
  "Peak memory, REML fit of 300 treatments / 3,000 studies (10% three-arm) in a fresh `Rscript`:",
  "",
  "| time of the fit | VmHWM after the fit | VmHWM before the fit | R allocations (bench) |",
  "| --- | --- | --- | --- |",
  sprintf("| %.2f s | %.0f MB | %.0f MB | %.1f MB |", vals[3], vals[2], vals[1], vals[4]),
  ""
)
writeLines(md, out_file)
cat("\nWritten to", out_file, "\n")

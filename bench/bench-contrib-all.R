# Every contribution row of a 300-treatment / 3,000-study network, before and
# after the incremental shortest-path decomposition, measured in one run.
#
#   FASTNMA_BEFORE=/path/to/lib Rscript bench/bench-contrib-all.R   (from the package root)
#
# FASTNMA_BEFORE is a library holding the previous build of fastnma; the
# current build is the one on the library path (or FASTNMA_BENCH_LIB). Each
# case runs in a fresh R process (callr): the network
# random_network(300, 3000, p_multi = 0.1, max_arms = 3, tau = 0.2, seed = 1)
# is simulated and fitted (REML) there, then contributions() is timed (CPU =
# user + system of the process, and elapsed) and the peak resident memory of
# the process (VmHWM, R and the data included) read after it. Rows of the two
# builds are compared where both run: a random sample of 500 of the 44,850
# rows at 300 treatments, and all rows of a 40-treatment network for the
# three methods. FASTNMA_BENCH_THRESHOLD (default 1e-3) is the threshold of
# the all-rows run (a second run takes a tenth of it); FASTNMA_BENCH_DENSE=1
# adds all rows without a threshold (dense, over 2 GB). Not part of the test
# suite.

suppressMessages(library(callr))
suppressMessages(library(Matrix))
source(file.path("bench", "networks.R"))

before <- Sys.getenv("FASTNMA_BEFORE", "")
after <- Sys.getenv("FASTNMA_BENCH_LIB", "")
threshold <- as.numeric(Sys.getenv("FASTNMA_BENCH_THRESHOLD", "1e-3"))
dense_all <- nzchar(Sys.getenv("FASTNMA_BENCH_DENSE", ""))  # also all rows dense (over 2 GB)
root <- normalizePath(".")
out_dir <- tempfile("contrib-all-")
dir.create(out_dir)

job <- function(lib, root, n, expr, save) {
  if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
  suppressMessages(library(fastnma))
  source(file.path(root, "bench", "networks.R"))
  d <- random_network(n, 10 * n, p_multi = 0.1, max_arms = 3, tau = 0.2, seed = 1)
  fit <- nma(d, tau2_method = "REML")
  trt <- fit$treatments
  set.seed(2)
  pairs <- t(utils::combn(length(trt), 2))
  sample_rows <- pairs[sort(sample(nrow(pairs), min(500, nrow(pairs)))), , drop = FALSE]
  sample_cmp <- data.frame(treat1 = trt[sample_rows[, 2]], treat2 = trt[sample_rows[, 1]])
  peak_mb <- function() {  # VmHWM, the peak resident memory of this process
    status <- readLines("/proc/self/status")
    as.numeric(strsplit(status[startsWith(status, "VmHWM")], "[[:space:]]+")[[1]][2]) / 1024
  }
  invisible(gc())
  mem0 <- peak_mb()
  tm <- system.time(res <- suppressMessages(eval(expr)))
  mem <- peak_mb()
  if (nzchar(save)) saveRDS(res, save)
  w <- res$weights
  list(cpu = tm[["user.self"]] + tm[["sys.self"]], elapsed = tm[["elapsed"]],
       mem = mem, mem0 = mem0, rows = nrow(w), cols = ncol(w),
       nnz = if (inherits(w, "sparseMatrix")) length(w@x) else sum(w != 0),
       size = as.numeric(utils::object.size(w)) / 2^20)
}

run <- function(lib, n, expr, save = "") {
  callr::r(job, args = list(lib = lib, root = root, n = n, expr = expr, save = save))
}

cases <- list(
  list(label = sprintf("all 44,850 rows, threshold = %g", threshold), lib = after, n = 300,
       expr = bquote(contributions(fit, comparisons = "all", threshold = .(threshold))),
       save = "all-sparse"),
  list(label = "500 sampled rows (dense)", lib = after, n = 300,
       expr = quote(contributions(fit, comparisons = sample_cmp)), save = "sample-after"),
  list(label = sprintf("all 44,850 rows, threshold = %g", threshold / 10), lib = after, n = 300,
       expr = bquote(contributions(fit, comparisons = "all", threshold = .(threshold / 10))),
       save = ""),
  list(label = "299 reference rows (default)", lib = after, n = 300,
       expr = quote(contributions(fit)), save = "")
)
if (dense_all) {
  cases <- c(cases, list(list(label = "all 44,850 rows, dense", lib = after, n = 300,
                              expr = quote(contributions(fit, comparisons = "all")), save = "")))
}
if (nzchar(before)) {
  cases <- c(cases, list(
    list(label = "before: 500 sampled rows (dense)", lib = before, n = 300,
         expr = quote(contributions(fit, comparisons = sample_cmp)), save = "sample-before"),
    list(label = "before: 299 reference rows (default)", lib = before, n = 300,
         expr = quote(contributions(fit)), save = "")
  ))
}
for (m in c("shortestpath", "randomwalk", "cinema")) {
  ex <- bquote(contributions(fit, method = .(m), comparisons = "all", study = TRUE))
  cases <- c(cases, list(list(label = paste("40 treatments, all rows,", m), lib = after, n = 40,
                              expr = ex, save = paste0("small-after-", m))))
  if (nzchar(before)) {
    cases <- c(cases, list(list(label = paste("before: 40 treatments, all rows,", m), lib = before,
                                n = 40, expr = ex, save = paste0("small-before-", m))))
  }
}

cat(sprintf("%-45s %10s %10s %9s %12s %9s\n", "case", "CPU s", "elapsed s", "peak MB", "entries", "size MB"))
for (cs in cases) {
  save <- if (nzchar(cs$save)) file.path(out_dir, paste0(cs$save, ".rds")) else ""
  r <- run(cs$lib, cs$n, cs$expr, save)
  cat(sprintf("%-45s %10.2f %10.2f %9.0f %12.0f %9.1f\n", cs$label, r$cpu, r$elapsed, r$mem,
              r$nnz, r$size))
}

rd <- function(x) readRDS(file.path(out_dir, paste0(x, ".rds")))
as_dense <- function(m) as.matrix(m)
a <- rd("sample-after")
full <- rd("all-sparse")
sp <- as_dense(full$weights[rownames(a$weights), , drop = FALSE])
dense <- a$weights
kept <- dense >= threshold
cat("\nall rows with a threshold against dense rows (500 sampled rows):\n")
cat("  max |difference| of the kept entries:", max(abs(sp[kept] - dense[kept])), "\n")
cat("  largest dropped entry:", max(c(0, dense[!kept])), "\n")
cat("  largest row total dropped:", max(rowSums(dense * !kept)), "\n")
if (nzchar(before)) {
  b <- rd("sample-before")
  cat("\nbefore vs after, 500 sampled rows at 300 treatments: identical",
      identical(unname(a$weights), unname(b$weights)), "; max |difference|",
      max(abs(a$weights - b$weights)), "\n")
  for (m in c("shortestpath", "randomwalk", "cinema")) {
    x <- rd(paste0("small-after-", m))
    y <- rd(paste0("small-before-", m))
    cat(sprintf("before vs after, all rows at 40 treatments, %s: weights %g, study %g (max |difference|)\n",
                m, max(abs(x$weights - y$weights)), max(abs(x$study - y$study))))
  }
}

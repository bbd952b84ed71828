# Every contribution row of a 300-treatment / 3,000-study network: time and
# peak memory of each way of getting them, and equality to the dense rows of
# the previous build.
#
#   FASTNMA_BEFORE=/path/to/lib Rscript bench/bench-contrib-all.R   (from the package root)
#
# The current build is the one on the library path (or FASTNMA_BENCH_LIB);
# FASTNMA_BEFORE (optional) a library holding the previous build, whose dense
# rows are the reference of the equality checks (without it the current
# build's dense rows are). Each case runs in its own `Rscript` process under
# `/usr/bin/time -v`: its CPU (user + system), elapsed time and maximum
# resident set size are those of the whole process (R, the simulation of the
# network and the fit included); the time of the contributions() call alone
# is measured inside. The network is
# random_network(300, 3000, p_multi = 0.1, max_arms = 3, tau = 0.2, seed = 1)
# fitted with REML (3,476 direct comparisons), and a risk-of-bias judgement
# (low / some / high) is drawn for every study (seed 3).
#
# Equality: 500 rows sampled from the 44,850 (seed 2), taken out of the
# streamed blocks, against the same rows computed densely in one piece by the
# reference build (weights, and for the grouping the study contributions
# summed by group); and all rows of a 40-treatment network for each method.
# Threads: getOption("fastnma.threads") of the cases is FASTNMA_BENCH_THREADS
# (default 2); one case also runs on one thread. Not part of the test suite.

before <- Sys.getenv("FASTNMA_BEFORE", "")
after <- Sys.getenv("FASTNMA_BENCH_LIB", "")
threads <- as.integer(Sys.getenv("FASTNMA_BENCH_THREADS", "2"))
n_big <- as.integer(Sys.getenv("FASTNMA_BENCH_N", "300"))  # (smaller for a trial run)
root <- normalizePath(".")
out_dir <- tempfile("contrib-all-")
dir.create(out_dir)
reference_lib <- if (nzchar(before)) before else after

# The script of one case: simulate and fit, then time `expr` (which may use
# `fit`, `rob`, `sample_cmp`, `sample_rows`, `out_dir`), save what it keeps.
case_script <- function(lib, n, expr, save, threads, check = NULL, keep = FALSE) {
  c(
    if (nzchar(lib)) sprintf(".libPaths(c(%s, .libPaths()))", deparse(lib)),
    "suppressMessages(library(fastnma))",
    "suppressMessages(library(Matrix))",
    sprintf("source(file.path(%s, 'bench', 'networks.R'))", deparse(root)),
    sprintf("options(fastnma.threads = %dL, fastnma.quiet = TRUE)", threads),
    sprintf("d <- random_network(%d, %d, p_multi = 0.1, max_arms = 3, tau = 0.2, seed = 1)", n, 10L * n),
    "fit <- nma(d, tau2_method = 'REML')",
    "trt <- fit$treatments",
    "set.seed(2)",
    "pairs <- t(utils::combn(length(trt), 2))",
    "sample_rows <- pairs[sort(sample(nrow(pairs), min(500, nrow(pairs)))), , drop = FALSE]",
    "sample_cmp <- data.frame(treat1 = trt[sample_rows[, 2]], treat2 = trt[sample_rows[, 1]])",
    "set.seed(3)",
    "rob <- factor(sample(c('low', 'some', 'high'), length(fit$studies), replace = TRUE), levels = c('low', 'some', 'high'))",
    "names(rob) <- fit$studies",
    sprintf("out_dir <- %s", deparse(out_dir)),
    "invisible(gc())",
    sprintf("tm <- system.time(res <- %s)", paste(deparse(expr), collapse = "\n")),
    "status <- readLines('/proc/self/status')",
    "hwm <- as.numeric(strsplit(status[startsWith(status, 'VmHWM')], '[[:space:]]+')[[1]][2]) / 1024",
    "size <- as.numeric(utils::object.size(res)) / 2^20",
    sprintf("checked <- %s", paste(deparse(check), collapse = "\n")),
    "w <- if (inherits(res, 'nma_contrib')) res$weights",
    "nnz <- if (inherits(w, 'sparseMatrix')) length(w@x) else if (is.matrix(w)) sum(w != 0) else NA",
    sprintf("saveRDS(list(cpu = tm[['user.self']] + tm[['sys.self']], elapsed = tm[['elapsed']], nnz = nnz, size = size, hwm = hwm, checked = checked, keep = if (%s) res), %s)",
            if (keep) "TRUE" else "FALSE", deparse(file.path(out_dir, paste0(save, "-result.rds"))))
  )
}

# Runs a case under /usr/bin/time -v; returns the process's CPU, elapsed
# and peak memory with the call's own times.
run_case <- function(label, lib, n, expr, save = "", threads = 2L, check = NULL, keep = FALSE) {
  if (!nzchar(save)) save <- gsub("[^a-z0-9]+", "-", tolower(label))
  script <- file.path(out_dir, paste0(save, ".R"))
  writeLines(case_script(lib, n, expr, save, threads, check, keep), script)
  log <- file.path(out_dir, paste0(save, ".time"))
  status <- system2("/usr/bin/time", c("-v", file.path(R.home("bin"), "Rscript"), script),
                    stdout = "", stderr = log)
  tv <- readLines(log)
  field <- function(name) {
    line <- tv[grepl(name, tv, fixed = TRUE)][1]
    trimws(sub(".*: ", "", line))
  }
  secs <- function(x) {  # h:mm:ss or m:ss.ss
    p <- as.numeric(strsplit(x, ":")[[1]])
    sum(p * 60^(rev(seq_along(p)) - 1))
  }
  if (status != 0) {
    cat(tv, sep = "\n")
    stop("case failed: ", label)
  }
  r <- readRDS(file.path(out_dir, paste0(save, "-result.rds")))
  row <- data.frame(case = label, threads = threads,
                    process_cpu = as.numeric(field("User time")) + as.numeric(field("System time")),
                    process_elapsed = secs(field("Elapsed (wall clock)")),
                    max_rss_mb = as.numeric(field("Maximum resident set size")) / 1024,
                    rss_after_call_mb = r$hwm,
                    call_cpu = r$cpu, call_elapsed = r$elapsed, entries = r$nnz,
                    result_mb = r$size)
  print(row, row.names = FALSE)
  flush.console()
  invisible(list(row = row, keep = r$keep, checked = r$checked))
}

results <- list()
add <- function(x) results[[length(results) + 1L]] <<- x

# --- 300 treatments -------------------------------------------------------
# all rows streamed: each block's weights written to disk with writeBin (the
# 500 sampled rows are kept for the check), then deleted
stream <- quote({
  con <- file(file.path(out_dir, "weights.bin"), "wb")
  key <- paste(sample_cmp$treat1, "vs", sample_cmp$treat2)
  kept <- contributions(fit, comparisons = "all", each = function(block) {
    writeBin(as.vector(block$weights), con)
    hit <- rownames(block$weights) %in% key
    if (any(hit)) block$weights[hit, , drop = FALSE]
  })
  close(con)
  bytes <- file.size(file.path(out_dir, "weights.bin"))
  unlink(file.path(out_dir, "weights.bin"))
  list(sample = do.call(rbind, kept), bytes = bytes)
})
s <- run_case("all 44,850 rows streamed (each = writeBin)", after, n_big, stream, "stream", threads,
              keep = TRUE)
add(s$row)
streamed <- s$keep
cat("  written:", format(streamed$bytes / 2^20, big.mark = ","), "MB\n")
add(run_case("all 44,850 rows streamed (each = writeBin)", after, n_big, stream, "stream1", 1L)$row)

sums <- quote(Reduce(`+`, contributions(fit, comparisons = "all",
                                        each = function(block) colSums(block$weights))))
add(run_case("all 44,850 rows streamed (each = colSums)", after, n_big, sums, "sums", threads)$row)

grouped <- quote(contributions(fit, comparisons = "all", by = rob, weights = FALSE))
g <- run_case("all 44,850 rows by risk of bias (by = rob, weights = FALSE)", after, n_big, grouped,
              "grouped", threads, keep = TRUE)
add(g$row)

# the reference: the 500 sampled rows, dense, with their study contributions
ref <- run_case("reference build: 500 sampled rows, dense, study = TRUE", reference_lib, n_big,
                quote(contributions(fit, comparisons = sample_cmp, study = TRUE)), "reference", 1L,
                keep = TRUE)
add(ref$row)
ref <- ref$keep
saveRDS(ref$weights, file.path(out_dir, "reference-weights.rds"))

# with a threshold: the kept entries of the sampled rows against the reference
thr_checks <- list()
for (thr in c(1e-4, 1e-3)) {
  check <- bquote({
    dense <- readRDS(file.path(out_dir, "reference-weights.rds"))
    # the sampled rows from the slots (no conversion of the whole matrix)
    sw <- res$weights
    rows <- match(rownames(dense), rownames(sw))
    cols <- match(colnames(sw), colnames(dense))
    w <- matrix(0, nrow(dense), ncol(dense))
    for (r in seq_along(rows)) {
      q <- if (sw@p[rows[r] + 1] > sw@p[rows[r]]) seq(sw@p[rows[r]] + 1, sw@p[rows[r] + 1]) else integer()
      w[r, cols[sw@j[q] + 1]] <- sw@x[q]
    }
    kept <- dense >= .(thr)
    list(kept = max(abs(w[kept] - dense[kept])), dropped = max(c(0, dense[!kept])),
         row_dropped = max(rowSums(dense * !kept)), zero_elsewhere = all(w[!kept] == 0))
  })
  x <- run_case(sprintf("all 44,850 rows, threshold = %g", thr), after, n_big,
                bquote(contributions(fit, comparisons = "all", threshold = .(thr))),
                paste0("threshold-", thr), threads, check = check)
  add(x$row)
  thr_checks[[format(thr)]] <- x$checked
}
add(run_case("299 reference rows (the default)", after, n_big, quote(contributions(fit)), "", threads)$row)

# --- 40 treatments, every method ----------------------------------------
small <- list()
for (m in c("shortestpath", "randomwalk", "cinema")) {
  new <- bquote({
    blocks <- contributions(fit, method = .(m), comparisons = "all", by = rob, study = TRUE,
                            block_size = 100, each = function(block) block)
    list(weights = do.call(rbind, lapply(blocks, `[[`, "weights")),
         study = do.call(rbind, lapply(blocks, `[[`, "study")),
         by = do.call(rbind, lapply(blocks, `[[`, "by")), rob = rob)
  })
  old <- bquote(contributions(fit, method = .(m), comparisons = "all", study = TRUE))
  x <- run_case(paste("40 treatments, all rows streamed,", m), after, 40, new,
                paste0("small-new-", m), threads, keep = TRUE)
  y <- run_case(paste("40 treatments, reference build, dense,", m), reference_lib, 40, old,
                paste0("small-old-", m), 1L, keep = TRUE)
  add(x$row)
  add(y$row)
  small[[m]] <- list(new = x$keep, old = y$keep)
}

cat("\n")
tab <- do.call(rbind, results)
print(tab, row.names = FALSE, digits = 4)

# --- equality ------------------------------------------------------------
by_group <- function(S, rob) {
  sapply(levels(rob), function(l) rowSums(S[, rob[colnames(S)] == l, drop = FALSE]))
}
rob_of <- function(studies) {  # as in the cases
  set.seed(3)
  r <- factor(sample(c("low", "some", "high"), length(studies), replace = TRUE),
              levels = c("low", "some", "high"))
  names(r) <- studies
  r
}
maxdiff <- function(x, y) max(abs(unname(as.matrix(x)) - unname(as.matrix(y))))
cat("\nEquality to the reference build's dense rows (max |difference|):\n")
b <- ref$weights
a <- streamed$sample[rownames(b), colnames(b)]
cat(sprintf("  300 treatments, 500 sampled rows, streamed weights: %g (identical: %s)\n",
            maxdiff(a, b), identical(unname(a), unname(b))))
rob300 <- rob_of(colnames(ref$study))
cat(sprintf("  300 treatments, 500 sampled rows, shares by risk of bias: %g\n",
            maxdiff(g$keep$by[rownames(b), ], by_group(ref$study, rob300))))
for (thr in names(thr_checks)) {
  ck <- thr_checks[[thr]]
  cat(sprintf("  300 treatments, 500 sampled rows, threshold %s: kept entries %g, largest dropped %g, largest row total dropped %g\n",
              thr, ck$kept, ck$dropped, ck$row_dropped))
}
for (m in names(small)) {
  x <- small[[m]]$new
  y <- small[[m]]$old
  rows <- rownames(y$weights)
  cat(sprintf("  40 treatments, all rows, %s: weights %g, study %g, by group %g (identical weights: %s)\n",
              m, maxdiff(x$weights[rows, colnames(y$weights)], y$weights),
              maxdiff(x$study[rows, colnames(y$study)], y$study),
              maxdiff(x$by[rows, ], by_group(y$study, x$rob)),
              identical(unname(x$weights[rows, colnames(y$weights)]), unname(y$weights))))
}

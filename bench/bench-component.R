# Benchmark: fastnma::component_nma() against netmeta::netcomb() and
# netmeta::discomb() in one R process.
#
#   Rscript bench/bench-component.R            (from the package root)
#
# Environment variables:
#   FASTNMA_LIB        library holding the fastnma build to time (prepended to
#                      .libPaths())
#   BENCH_COMPONENTS   synthetic networks as "components/studies,..."
#                      (default "10/100"; larger ones take netmeta minutes)
#   BENCH_OUT          where to write the results table
#                      (default bench/RESULTS-component.md)
#
# Times are medians of repeated runs (bench::mark). netcomb() is timed on a
# netmeta fit made beforehand, component_nma() on an nma() fit made
# beforehand, so both columns time the component model alone (common and
# random effects, the test against the standard model). discomb() and
# component_nma() on contrast data include building the network. Agreement
# of the component estimates is printed with each row.

if (nzchar(Sys.getenv("FASTNMA_LIB"))) .libPaths(c(Sys.getenv("FASTNMA_LIB"), .libPaths()))
suppressPackageStartupMessages({
  library(fastnma)
  library(netmeta)
})

sizes <- strsplit(strsplit(Sys.getenv("BENCH_COMPONENTS", "10/100"), ",")[[1]], "/")
out_file <- Sys.getenv("BENCH_OUT", file.path("bench", "RESULTS-component.md"))

time_mark <- function(expr, min_iterations = 3, min_time = 1) {
  m <- bench::mark(exprs = list(substitute(expr)), env = parent.frame(),
                   min_iterations = min_iterations, min_time = min_time,
                   check = FALSE, memory = FALSE, filter_gc = FALSE)
  as.numeric(m$median)
}
fmt_s <- function(x) ifelse(x < 1, sprintf("%.1f ms", 1e3 * x), sprintf("%.2f s", x))

rows <- list()
add_row <- function(network, call, netmeta_s, fastnma_s, agree) {
  ratio <- sprintf("%.0fx", netmeta_s / fastnma_s)
  rows[[length(rows) + 1L]] <<- data.frame(network = network, call = call,
                                           netmeta = fmt_s(netmeta_s),
                                           fastnma = fmt_s(fastnma_s), ratio = ratio,
                                           max_abs_diff = sprintf("%.1e", agree),
                                           stringsAsFactors = FALSE)
  cat(sprintf("%-40s %-28s netmeta %-10s fastnma %-10s ratio %-7s diff %.1e\n", network,
              call, fmt_s(netmeta_s), fmt_s(fastnma_s), ratio, agree))
}
max_diff <- function(cn, nc) {
  cc <- nc$comps
  max(abs(cn$random$beta[cc] - nc$Comp.random), abs(cn$common$beta[cc] - nc$Comp.common))
}

# --- Linde2016 (22 treatments, 19 components, 3-arm studies) ----------------
data("Linde2016", package = "netmeta")
d <- Linde2016
con <- data.frame(study = d$id, treat1 = d$treat1, treat2 = d$treat2,
                  estimate = d$lnOR, std.error = d$selnOR, stringsAsFactors = FALSE)
net <- netmeta(lnOR, selnOR, treat1, treat2, id, data = d, sm = "OR", reference.group = "Placebo")
fit <- nma(con, measure = "OR", reference = "Placebo")
nc <- netcomb(net, inactive = "Placebo")
cn <- component_nma(fit, inactive = "Placebo")
add_row("Linde2016 (22 treatments, 93 studies)", "netcomb / component_nma",
        time_mark(netcomb(net, inactive = "Placebo")),
        time_mark(component_nma(fit, inactive = "Placebo"), min_iterations = 20),
        max_diff(cn, nc))

# --- Linde2016 without the UC studies: two separate parts -------------------
uc <- unique(d$id[d$treat1 == "UC" | d$treat2 == "UC"])
sub <- d[!(d$id %in% uc), ]
csub <- con[!(con$study %in% uc), ]
dc <- discomb(lnOR, selnOR, treat1, treat2, id, data = sub, sm = "OR", inactive = "Placebo")
cn <- component_nma(csub, measure = "OR", inactive = "Placebo")
add_row("Linde2016 without UC (disconnected)", "discomb / component_nma",
        time_mark(discomb(lnOR, selnOR, treat1, treat2, id, data = sub, sm = "OR",
                          inactive = "Placebo")),
        time_mark(component_nma(csub, measure = "OR", inactive = "Placebo"), min_iterations = 20),
        max_diff(cn, dc))

# --- Synthetic: single components and pairs, two-arm studies ---------------
synthetic <- function(n_comp, n_study, seed = 1) {
  set.seed(seed)
  comps <- sprintf("C%02d", seq_len(n_comp))
  beta <- stats::rnorm(n_comp, -0.3, 0.2)
  names(beta) <- comps
  pairs <- utils::combn(comps, 2L)
  pairs <- pairs[, sample(ncol(pairs), min(ncol(pairs), 2L * n_comp)), drop = FALSE]
  trts <- c("P", comps, apply(pairs, 2L, paste, collapse = " + "))
  eff <- stats::setNames(c(0, beta, apply(pairs, 2L, function(p) sum(beta[p]))), trts)
  t1 <- sample(trts[-1L], n_study, replace = TRUE)
  t2 <- ifelse(stats::runif(n_study) < 0.5, "P",
               sample(trts, n_study, replace = TRUE))
  same <- t1 == t2
  t2[same] <- "P"
  se <- stats::runif(n_study, 0.1, 0.4)
  y <- stats::rnorm(n_study, eff[t1] - eff[t2], sqrt(se^2 + 0.01))
  data.frame(study = sprintf("s%04d", seq_len(n_study)), treat1 = t1, treat2 = t2,
             estimate = y, std.error = se, stringsAsFactors = FALSE)
}
for (s in sizes) {
  nc_comp <- as.integer(s[1])
  ns <- as.integer(s[2])
  syn <- synthetic(nc_comp, ns)
  label <- sprintf("synthetic, %d components, %d studies", nc_comp, ns)
  net_s <- netmeta(estimate, std.error, treat1, treat2, study, data = syn, sm = "MD",
                   reference.group = "P")
  fit_s <- nma(syn, measure = "MD", reference = "P")
  nc <- netcomb(net_s, inactive = "P")
  cn <- component_nma(fit_s, inactive = "P")
  add_row(label, "netcomb / component_nma",
          time_mark(netcomb(net_s, inactive = "P")),
          time_mark(component_nma(fit_s, inactive = "P"), min_iterations = 10),
          max_diff(cn, nc))
}

res <- do.call(rbind, rows)
header <- c(
  "# component_nma() vs netcomb() / discomb()",
  "",
  sprintf("Run of `bench/bench-component.R`: netmeta %s, fastnma %s, %s, %s.",
          utils::packageVersion("netmeta"), utils::packageVersion("fastnma"),
          R.version.string, format(Sys.Date())),
  "Medians of repeated runs in one R process; ratio = netmeta time / fastnma time;",
  "max_abs_diff = largest absolute difference of the component estimates (common and random).",
  "",
  "| network | call | netmeta | fastnma | ratio | max_abs_diff |",
  "| --- | --- | --- | --- | --- | --- |"
)
body <- sprintf("| %s | %s | %s | %s | %s | %s |", res$network, res$call, res$netmeta,
                res$fastnma, res$ratio, res$max_abs_diff)
writeLines(c(header, body), out_file)
cat("written to", out_file, "\n")

# make demo: run the package's showcase analyses and write their outputs.
# Usage: Rscript tools/demo.R OUTPUT_DIR
#
# Writes to OUTPUT_DIR (default demo-output/):
#   msc-knee-oa.html, getting-started.html,  every vignette, rendered
#   graphics.html
#   msc_*.png, senn2013_*.png                figures
#   msc_*.csv, senn2013_comparisons.csv      the key tables
# and prints the key tables to the console.
# Warnings are errors: a dropped layer, a NaN or a conversion the showcase
# did not mean stops the run (and every vignette it renders) instead of
# passing as a line at the end of the log.
options(warn = 2)
args <- commandArgs(TRUE)
out <- normalizePath(if (length(args)) args[1] else "demo-output", mustWork = FALSE)
dir.create(out, showWarnings = FALSE, recursive = TRUE)
suppressPackageStartupMessages(library(fastnma))
has_autoplot <- requireNamespace("ggplot2", quietly = TRUE)

section <- function(title) cat("\n", strrep("=", 72), "\n", title, "\n", strrep("=", 72), "\n", sep = "")
save_csv <- function(x, name) {
  f <- file.path(out, name)
  utils::write.csv(x, f, row.names = FALSE)
  cat("Table: ", f, "\n", sep = "")
}
save_png <- function(p, name, height = 3.5) {
  f <- file.path(out, name)
  ggplot2::ggsave(f, p, width = 7, height = height, dpi = 150)
  cat("Figure:", f, "\n")
}

# ---------------------------------------------------------------------------
section("Reports")
for (v in list.files("vignettes", pattern = "\\.Rmd$")) {
  t0 <- Sys.time()
  work <- file.path(tempdir(), sub("\\.Rmd$", "", v))
  dir.create(work, showWarnings = FALSE)
  file.copy(file.path("vignettes", v), work, overwrite = TRUE)
  rmarkdown::render(file.path(work, v), output_dir = out, intermediates_dir = work,
                    quiet = TRUE, envir = new.env(), clean = FALSE)
  cat(sprintf("Report: %s (%.1f s)\n", file.path(out, sub("Rmd$", "html", v)),
              as.numeric(Sys.time() - t0, units = "secs")))
  # the report's own figures, as PNG files
  files <- file.path(c(work, out), paste0(sub("\\.Rmd$", "", v), "_files"))
  figs <- list.files(file.path(files, "figure-html"), pattern = "\\.png$", full.names = TRUE)
  for (f in figs) {
    to <- file.path(out, paste0(sub("\\.Rmd$", "", v), "_", basename(f)))
    file.copy(f, to, overwrite = TRUE)
    cat("Figure:", to, "\n")
  }
  unlink(files, recursive = TRUE)
}

# ---------------------------------------------------------------------------
section("MSC knee OA, sourced data: serious adverse events (risk ratios)")
sae <- suppressMessages(analyse_msc(msc_extraction("ae_serious"), outcome = "ae_serious",
                                    timepoint = "earliest"))
print(sae)
cat("\nZero-cell audit:\n")
print(sae$zero_cells, row.names = FALSE)
save_csv(sae$comparisons, "msc_sourced_ae_serious.csv")

section("MSC knee OA, sourced data: WOMAC pain and function at 12 months (MD)")
eff <- msc_extraction(c("womac_pain", "womac_function"))
pain <- analyse_msc(eff, outcome = "womac_pain", timepoint = 12)
fun <- analyse_msc(eff, outcome = "womac_function", timepoint = 12)
print(pain)
cat("\nMedian -> mean/SD conversions (estimate_mean_sd, luo_wan):\n")
print(pain$conversions[, c("study", "treatment", "n", "median", "q1", "q3", "mean", "sd")],
      row.names = FALSE, digits = 3)
cat("\n")
print(fun)
save_csv(rbind(cbind(outcome = "womac_pain", pain$comparisons),
               cbind(outcome = "womac_function", fun$comparisons)),
         "msc_sourced_efficacy.csv")

section("MSC knee OA, SIMULATED extraction on the real register (seed 42)")
sim <- simulate_msc_extraction(seed = 42)
truth <- attr(sim, "truth")
sim_pain <- analyse_msc(sim, outcome = "womac_pain")
sim_harm <- suppressMessages(analyse_msc(sim, outcome = "ae_joint"))
print(sim_pain)
cat("\n")
print(sim_harm)
rec <- rbind(sim_pain$comparisons, sim_harm$comparisons)[, c("treat1", "treat2", "estimate",
                                                             "conf.low", "conf.high")]
rec <- cbind(outcome = truth$outcome, rec, declared = truth$value,
             covered = rec$conf.low <= truth$value & truth$value <= rec$conf.high)
cat("\nSIMULATED: recovery of the declared effects\n")
print(rec, row.names = FALSE, digits = 3)
save_csv(rec, "msc_simulated_recovery.csv")
for (nm in c("league", "ranking", "node_split", "inconsistency")) {
  x <- sim_pain[[nm]]
  if (!is.null(x)) {
    cat("\nSIMULATED: ", nm, "\n", sep = "")
    print(x)
  }
}

if (has_autoplot) {
  section("Figures")
  # The package's own figures; every figure of simulated data says so in its
  # title, and the simulated forests carry the declared truth of their own
  # outcome.
  truth_of <- function(outcome) truth[truth$outcome == outcome, , drop = FALSE]
  save_png(ggplot2::autoplot(sim_pain$fit, type = "network") +
             ggplot2::ggtitle("SIMULATED data: network of the register"),
           "msc_simulated_network.png", height = 5)
  save_png(ggplot2::autoplot(sim_pain$fit, title = "SIMULATED data: WOMAC pain vs Control",
                             truth = truth_of("womac_pain")),
           "msc_simulated_pain_forest.png", 3.5)
  save_png(ggplot2::autoplot(sim_harm$fit,
                             title = "SIMULATED data: joint-related adverse events vs Control",
                             truth = truth_of("ae_joint")),
           "msc_simulated_harm_forest.png", 3.5)
  save_png(ggplot2::autoplot(pain$fit, title = sprintf("Sourced data: WOMAC pain at 12 months (%d trials)",
                                                        length(pain$fit$studies))),
           "msc_sourced_pain_forest.png", 3)
  # the trials analysed, not those with arms: double-zero trials are left out
  sae_out <- sum(sae$zero_cells$action == "excluded")
  save_png(ggplot2::autoplot(sae$fit, title = sprintf(
             "Sourced data: serious adverse events (%d trials; %d without events left out)",
             length(sae$fit$studies), sae_out)),
           "msc_sourced_ae_serious_forest.png", 3)
}

# ---------------------------------------------------------------------------
section("Classic network: Senn et al. 2013 (HbA1c, mean difference)")
fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
           reference = "plac")
print(fit)
cat("\nAll comparisons (random effects):\n")
print(tidy(fit, comparisons = "all"), digits = 3)
save_csv(tidy(fit, comparisons = "all"), "senn2013_comparisons.csv")
if (has_autoplot) {
  for (type in c("forest", "network")) {
    save_png(ggplot2::autoplot(fit, type = type), paste0("senn2013_", type, ".png"), 5)
  }
}
cat("\nOutputs written to", out, "\n")

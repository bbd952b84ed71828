# make demo: run the package's main analysis and write its outputs.
# Usage: Rscript tools/demo.R OUTPUT_DIR
args <- commandArgs(TRUE)
out <- normalizePath(if (length(args)) args[1] else "demo-output", mustWork = FALSE)
dir.create(out, showWarnings = FALSE, recursive = TRUE)
suppressPackageStartupMessages(library(fastnma))

vignettes <- c("getting-started.Rmd")
for (v in vignettes) {
  src <- file.path("vignettes", v)
  rmarkdown::render(src, output_dir = out, intermediates_dir = tempdir(),
                    quiet = TRUE, envir = new.env())
  cat("Report:", file.path(out, sub("Rmd$", "html", v)), "\n")
}

fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
           reference = "plac")
print(fit)
cat("\nAll comparisons (random effects):\n")
print(tidy(fit, comparisons = "all"), digits = 3)
utils::write.csv(tidy(fit, comparisons = "all"), file.path(out, "senn2013_comparisons.csv"),
                 row.names = FALSE)

if (requireNamespace("ggplot2", quietly = TRUE) && exists("autoplot.nma", asNamespace("fastnma"))) {
  for (type in c("forest", "network")) {
    p <- ggplot2::autoplot(fit, type = type)
    f <- file.path(out, paste0("senn2013_", type, ".png"))
    ggplot2::ggsave(f, p, width = 7, height = 5, dpi = 150)
    cat("Figure:", f, "\n")
  }
}
cat("\nOutputs written to", out, "\n")

# Reference values of NMAoutlier 0.2.1 (with netmeta, tau^2 by DL) for the
# outlier measures and the forward search, written to
# tests/testthat/fixtures/NMAoutlier_*.rds. NMAoutlier refits netmeta tens of
# times per network (minutes per network), too slow for the test suite, so
# the tests read these files; rerun this script to refresh them:
#   Rscript data-raw/nmaoutlier_fixtures.R
# The data are sorted by study label (as NMAoutlier numbers them) and, within
# a study, by pair of treatments: NMAoutlier's weight helper sorts its rows
# that way before its weights meet the residuals, so on other orders the two
# are misaligned.
pkgload::load_all(".", compile = FALSE, quiet = TRUE)
suppressPackageStartupMessages(library(NMAoutlier))
out_dir <- file.path("tests", "testthat", "fixtures")
# (Senn 2013 is not used: two of its studies are the only ones of their
# treatment, and NMAoutlier.measures(measure = "deletion") stops when a
# study's removal takes a treatment out of the network.)
nets <- list(
  smokingcessation_OR = utils::read.csv(file.path(out_dir, "smokingcessation_OR_contrasts.csv")),
  Stowe2010_MD = utils::read.csv(file.path(out_dir, "Stowe2010_MD_contrasts.csv"))
)
only <- Sys.getenv("FASTNMA_FIXTURES", "")
if (nzchar(only)) nets <- nets[strsplit(only, ",")[[1]]]
for (nm in names(nets)) {
  d <- nets[[nm]][, c("study", "treat1", "treat2", "TE", "seTE")]
  flip <- d$treat1 > d$treat2
  tmp <- d$treat1[flip]
  d$treat1[flip] <- d$treat2[flip]
  d$treat2[flip] <- tmp
  d$TE[flip] <- -d$TE[flip]
  d <- d[order(as.numeric(as.factor(d$study)), d$treat1, d$treat2), ]
  rownames(d) <- NULL
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  initial <- forward_search(fit, seed = 1)$initial
  simple <- suppressWarnings(NMAoutlier.measures(TE, seTE, treat1, treat2, study, data = d,
                                                 method.tau = "DL"))
  deletion <- suppressWarnings(NMAoutlier.measures(TE, seTE, treat1, treat2, study, data = d,
                                                   method.tau = "DL", measure = "deletion"))
  isub <- match(initial, sort(unique(d$study)))
  fs <- suppressWarnings(NMAoutlier(TE, seTE, treat1, treat2, study, data = d,
                                    method.tau = "DL", Isub = isub, n_cores = 1))
  saveRDS(list(data = d, labels = sort(unique(d$study)), initial = initial,
               simple = unclass(simple)[c("stud_id", "eraw", "estand", "estud",
                                          "Mahalanobis.distance", "leverage")],
               deletion = unclass(deletion)[c("stud_id", "eraw.deleted", "estand.deleted",
                                              "estud.deleted", "Cooks.distance", "Covratio",
                                              "w.leaveoneout", "H.leaveoneout",
                                              "heterog.leaveoneout", "Rheterogeneity",
                                              "Restimates", "RQtotal", "DFbetas")],
               forward = unclass(fs)[c("length.initial", "basic", "taub", "Qb", "Qhb",
                                       "estb", "lb", "ub", "Ratio", "cook_d", "p.score",
                                       "estand")],
               versions = c(NMAoutlier = as.character(utils::packageVersion("NMAoutlier")),
                            netmeta = as.character(utils::packageVersion("netmeta")))),
          file.path(out_dir, paste0("NMAoutlier_", nm, ".rds")), version = 2)
  message("written ", nm)
}

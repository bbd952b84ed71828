# Helpers for the evidence-diagnostics tests.
.diag_fixture_dir <- function() test_path("fixtures")

# The reference networks with their contrast-level input: (name, file).
diag_networks <- function() {
  data.frame(
    name = c("Senn2013_MD", "smokingcessation_OR", "smokingcessation_RR",
             "Dong2013_OR", "Dong2013_RR", "Stowe2010_MD", "Stowe2010_SMD",
             "Franchini2012_MD", "Franchini2012_SMD"),
    input = c("Senn2013_input.csv", "smokingcessation_OR_contrasts.csv",
              "smokingcessation_RR_contrasts.csv", "Dong2013_OR_contrasts.csv",
              "Dong2013_RR_contrasts.csv", "Stowe2010_MD_contrasts.csv",
              "Stowe2010_SMD_contrasts.csv", "Franchini2012_MD_contrasts.csv",
              "Franchini2012_SMD_contrasts.csv"),
    stringsAsFactors = FALSE)
}

diag_read <- function(file) {
  utils::read.csv(file.path(.diag_fixture_dir(), file), stringsAsFactors = FALSE)
}

# nma() on a reference network (DL, as netmeta's default).
diag_fit <- function(input, tau2_method = "DL") {
  nma(diag_read(input), TE, seTE, treat1, treat2, study, tau2_method = tau2_method)
}

# Largest relative difference (denominator floored at `floor`).
max_rel <- function(x, ref, floor = 1e-10) {
  ok <- !(is.na(x) & is.na(ref))
  if (any(is.na(x[ok]) | is.na(ref[ok]))) return(Inf)
  if (!any(ok)) return(0)
  max(abs(x[ok] - ref[ok]) / pmax(abs(ref[ok]), floor))
}

expect_rel <- function(x, ref, tol = 1e-6, floor = 1e-10) {
  d <- max_rel(x, ref, floor)
  expect(d <= tol, sprintf("max relative difference %g > %g", d, tol))
  invisible(d)
}

# Index of netmeta comparison labels "a:b" for our (treat1, treat2) pairs,
# with the sign (+1 when netmeta's label is treat1:treat2, -1 when reversed).
match_labels <- function(treat1, treat2, labels, sep = ":") {
  fwd <- match(paste(treat1, treat2, sep = sep), labels)
  rev <- match(paste(treat2, treat1, sep = sep), labels)
  list(index = ifelse(is.na(fwd), rev, fwd), sign = ifelse(is.na(fwd), -1, 1))
}

# netmeta()'s DL fit of a reference network, fitted once per test process:
# the node-split, decomposition, contribution and influence tests compare
# against the same fits, and one netmeta() call costs seconds.
.netmeta_fits <- new.env(parent = emptyenv())
netmeta_fit <- function(data) {
  key <- rlang::hash(data)
  if (is.null(.netmeta_fits[[key]])) {
    .netmeta_fits[[key]] <- suppressWarnings(netmeta::netmeta(
      TE, seTE, treat1, treat2, study, data = data, method.tau = "DL"))
  }
  .netmeta_fits[[key]]
}

# Every print method fits getOption("width") on networks of 22 and 100
# treatments with long treatment labels, and a row's label stays on the
# line with its key columns (rating, risk difference, step, ...).

# Long labels for the random 100-treatment network ("Compound 017 20 mg bid").
long_treatment_labels <- function(x) {
  lev <- sort(unique(x))
  doses <- rep(c("10 mg", "20 mg bid", "extended release"), length.out = length(lev))
  map <- stats::setNames(sprintf("Compound %s %s", sub("^T", "", lev), doses), lev)
  unname(map[x])
}

# One object of every printed class, built on an arm-level network with
# continuous (mean, sd) and binary (events) outcomes.
print_objects <- function(arm, ref) {
  ac <- arm_contrasts(arm, study, treatment, n = n, mean = mean, sd = sd, measure = "MD")
  fit <- suppressMessages(nma(ac, reference = ref))
  arm_b <- arm
  arm_b$events[seq(1, nrow(arm_b), by = 7)] <- 0L  # zero cells to audit
  acb <- suppressMessages(arm_contrasts(arm_b, study, treatment, events = events, n = n,
                                        measure = "OR"))
  fitb <- suppressMessages(nma(acb, reference = ref))
  studies <- fit$studies
  year <- stats::setNames(1990 + seq_along(studies) %% 30, studies)
  era <- stats::setNames(ifelse(year < 2005, "before 2005", "2005 on"), studies)
  rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(studies)), studies)
  acd <- as.data.frame(ac)[c("study", "treat1", "treat2", "estimate", "std.error")]
  two <- rbind(cbind(acd, outcome = "efficacy"), cbind(acd, outcome = "tolerability"))
  two_arm <- rbind(cbind(arm_b, outcome = "death"), cbind(arm_b, outcome = "any adverse event"))
  by_bin <- suppressMessages(nma_binary(two_arm, measure = "OR", by = outcome, reference = ref))
  cf <- confidence(fit, rob = rob, margin = 0.2)
  # the binomial-normal model (without zero cells: a treatment studied once,
  # against an arm without events, has an infinite maximum-likelihood effect)
  arm_g <- arm
  arm_g$events <- pmin(pmax(arm_g$events, 1L), arm_g$n - 1L)
  glmm <- suppressWarnings(suppressMessages(
    nma_binary(arm_g, method = "GLMM", n_agq = 1, reference = ref)))
  nch <- suppressMessages(nma_binary(arm_b, method = "NCH", reference = ref))
  # Every treatment an agent, given at one to three doses across studies.
  dose_of <- function(st, t) ifelse(t == ref, 0, 1 + match(st, studies) %% 3)
  dose <- dose_nma(transform(acd, agent1 = treat1, agent2 = treat2,
                             dose1 = dose_of(study, treat1), dose2 = dose_of(study, treat2)),
                   reference = ref)
  list(
    fit, summary(fit), fit$network, ac, league_table(fit), rank_treatments(fit),
    node_split(fit), node_split(fit)[, 1:3], inconsistency(fit), leave_one_out(fit), direct_estimates(fit),
    contributions(fit), contributions(fit, by = rob, weights = FALSE),
    contributions(fit, by = rob, threshold = 0.01), cf, summary(cf), cumulative_nma(fit, year), subgroup_nma(fit, era),
    nma_bind(`REML random effects` = fit,
             `DerSimonian-Laird` = nma(ac, reference = ref, tau2_method = "DL")),
    nma_regression(fit, year, center = TRUE),
    suppressMessages(nma(two, measure = "MD", by = outcome, reference = ref)),
    suppressMessages(nma_binary(arm_b, measure = "OR", reference = ref)),
    fitb, summary(fitb), by_bin, summary(by_bin), glmm, summary(glmm), nch, summary(nch),
    absolute_effects(fitb, baseline_risk = c(low = 0.01, high = 0.04)),
    benefit_harm(fit, fitb), zero_cell_audit(acb), zero_cell_policy(),
    threshold(fit), outliers(fit), forward_search(fit, n_candidates = 5, seed = 1), dose,
    confidence(fit, rob = rob, margin = 0.2, robustness = TRUE)
  )
}

# Objects whose size does not grow with the network.
fixed_objects <- function() {
  d <- data.frame(study = c("s1", "s2", "s3", "s4", "s5"),
                  treat1 = c("A", "B", "A + B", "A + B", "B"),
                  treat2 = c("P", "P", "P", "A", "A"),
                  estimate = c(-0.5, -0.3, -0.9, -0.35, 0.15),
                  std.error = c(0.2, 0.25, 0.3, 0.2, 0.3))
  cnma <- component_nma(nma(d, measure = "MD", reference = "P"), inactive = "P")
  msc <- suppressMessages(analyse_msc(simulate_msc_extraction(seed = 1), outcome = "womac_pain"))
  list(cnma, msc, custom_measure("log hazard ratio"))
}

print_lines <- function(x) utils::capture.output(print(x))

networks <- local({
  arm22 <- synthetic_network22()
  arm22$events <- with_network_seed(22, stats::rbinom(nrow(arm22), arm22$n, 0.3))
  arm100 <- random_arm_network(100, 220, p_multi = 0.05, seed = 11)
  arm100$treatment <- long_treatment_labels(arm100$treatment)
  list(`22` = list(arm = arm22, ref = "Placebo"),
       `100` = list(arm = arm100, ref = sort(unique(arm100$treatment))[1]))
})

objects <- lapply(networks, function(nw) print_objects(nw$arm, nw$ref))

test_that("every print method of the package is exercised here", {
  s3 <- getNamespaceInfo(asNamespace("fastnma"), "S3methods")
  printed <- s3[s3[, 1] == "print", 2]
  built <- unique(unlist(lapply(c(objects[[1]], fixed_objects()), class)))
  expect_true(length(printed) >= 25L)
  missing <- setdiff(printed, built)
  expect_identical(missing, character(), label = "print classes without an object in this test")
})

test_that("no printed line is wider than 80 characters, 22 and 100 treatments", {
  withr::local_options(list(width = 80))
  for (n in names(objects)) {
    for (o in c(objects[[n]], fixed_objects())) {
      txt <- print_lines(o)
      w <- nchar(txt, type = "width")
      expect_true(all(w <= 80),
                  label = sprintf("%s at %s treatments: widest line %d: %s", class(o)[1], n,
                                  max(w), txt[which.max(w)]))
      # no scientific notation or "NA%" where a number or a statement is meant
      expect_false(any(grepl("[0-9]e[-+][0-9]|NA%", txt)),
                   label = sprintf("%s at %s treatments", class(o)[1], n))
    }
  }
})

test_that("narrower and wider consoles are respected too", {
  o <- objects[["22"]]
  cls <- vapply(o, function(x) class(x)[1], "")
  # the tables that wrap into blocks and the prints that wrap their prose
  blocks <- c("nma_confidence", "summary.nma_confidence", "nma_absolute", "nma_bind",
              "nma_cumulative", "nma_subgroup", "nma_contrib", "nma_zero_cell_audit",
              "nma_benefit_harm", "zero_cell_policy")
  for (w in c(60, 120)) {
    withr::local_options(list(width = w))
    for (x in if (w < 80) o[cls %in% blocks] else o) {
      txt <- print_lines(x)
      expect_true(all(nchar(txt, type = "width") <= w),
                  label = sprintf("%s at width %d", class(x)[1], w))
    }
  }
})

# Lines of a print that start with one of `labels` (after the leading space).
lines_of <- function(txt, labels) {
  txt[vapply(txt, function(l) any(startsWith(l, paste0(" ", labels, " "))), logical(1))]
}

test_that("row labels stay on the line with their key columns", {
  withr::local_options(list(width = 80))
  for (n in names(objects)) {
    o <- objects[[n]]
    cls <- vapply(o, function(x) class(x)[1], "")
    # confidence(): the rating beside the comparison, in every block (with
    # and without the robustness columns)
    expect_length(which(cls == "nma_confidence"), 2L)
    for (cf in o[cls == "nma_confidence"]) {
      txt <- print_lines(cf)
      terms <- head(paste(cf$treat1, "vs", cf$treat2), 20)
      header <- grep("^ comparison", txt, value = TRUE)
      expect_true(all(grepl("^ comparison +confidence ", header)), label = n)
      rows <- lines_of(txt, terms)
      expect_length(rows, length(terms) * length(header))
      expect_true(all(grepl(" (high|moderate|low|very low)( \\*)? ", rows)), label = n)
      expect_true(any(grepl(sprintf("20 of %d comparisons shown", nrow(cf)), txt, fixed = TRUE)))
      expect_identical(any(grepl("thresh_se", txt)), "threshold_se" %in% names(cf), label = n)
    }
    # absolute_effects(): "per 1,000" beside treatment and scenario
    ab <- o[[which(cls == "nma_absolute")]]
    txt <- print_lines(ab)
    header <- grep("^ treatment", txt, value = TRUE)
    expect_true(all(grepl("scenario +per 1,000", header)), label = n)
    # (a treatment label too long for the width ends in "...", the row keeps it)
    rows <- grep("^ \\S.* (low|high) +-?[0-9]+\\.[0-9] \\[ *-?[0-9.]+; +-?[0-9.]+\\]", txt)
    expect_length(rows, nrow(ab) * length(header))
    # nma_bind(): the comparison labels its row, the fits are the columns
    b <- o[[which(cls == "nma_bind")]]
    txt <- print_lines(b)
    header <- grep("^ term ", txt, value = TRUE)
    expect_true(all(grepl("^ term +(REML random effects|DerSimonian-Laird)", header)), label = n)
    expect_true(any(grepl("DerSimonian-Laird", header)))
    fit <- o[[1]]
    terms <- setdiff(paste(fit$treatments, "vs", fit$reference), paste(fit$reference, "vs", fit$reference))
    rows <- lines_of(txt, terms)
    expect_length(rows, length(terms) * length(header))
    expect_true(all(grepl(" -?[0-9.]+ \\[ *-?[0-9.]+; +-?[0-9.]+\\]$", rows)), label = n)
    # cumulative_nma(): every block of comparisons starts with step, order, k, tau2
    cum <- o[[which(cls == "nma_cumulative")]]
    txt <- print_lines(cum)
    blocks <- grep(" vs ", txt, value = TRUE)
    expect_gte(length(blocks), 2L)
    expect_true(all(grepl("^ step order +k +tau2 ", blocks)), label = n)
    expect_true(any(grepl("more comparison(s) not shown", txt, fixed = TRUE)))
    # the zero-cell audit: the reason left-aligned and wrapped beside study and action
    za <- o[[which(cls == "nma_zero_cell_audit")]]
    txt <- print_lines(za)
    expect_true(nrow(za) > 0)
    header <- grep("^ study", txt)
    expect_true(all(grepl("^ study +action ", txt[header])), label = n)
    rows <- lines_of(txt, unique(za$study))
    expect_length(rows, nrow(za) * length(header))
    # the block with the reason: each row's reason starts in the reason column
    # (left-aligned), and continuation lines (wrapped reasons) are blank before it
    r <- header[grepl("reason", txt[header])]
    expect_length(r, 1L)
    start <- regexpr("reason", txt[r])
    end <- c(header, length(txt) + 1L)
    body <- txt[seq(r + 1L, min(end[end > r]) - 1L)]
    body <- body[nchar(body) > start]
    first <- startsWith(body, paste0(" ", za$study[1])) | vapply(body, function(l)
      any(startsWith(l, paste0(" ", unique(za$study), " "))), logical(1))
    expect_true(all(substr(body[first], start, start) != " "), label = n)
    expect_true(all(trimws(substr(body[!first], 1, start - 1)) == ""), label = n)
  }
})

test_that("I^2 without an interval says so instead of printing NA%", {
  d <- data.frame(study = c("s1", "s2", "s3"), treat1 = c("B", "B", "C"),
                  treat2 = c("A", "A", "B"), estimate = c(0.2, 0.5, 0.1),
                  std.error = c(0.1, 0.15, 0.2))
  fit <- nma(d, measure = "MD", reference = "A")
  # an interval that is not defined (as for a network without heterogeneity
  # degrees of freedom) is said to be so
  fit$I2_lower <- NA_real_
  fit$I2_upper <- NA_real_
  txt <- print_lines(fit)
  expect_false(any(grepl("NA%", txt, fixed = TRUE)))
  expect_true(any(grepl("I\\^2 = [0-9.]+% \\(no interval", txt)))
  expect_identical(fastnma:::format_i2(0.814, 0.72, 0.877), "81.4% [72.0%; 87.7%]")
  expect_identical(fastnma:::format_sig(c(3.6e-31, -0.25), 4, scale = 1), c("0", "-0.25"))
})

test_that("benefit_harm() prints a formatted table, not a raw data frame", {
  bh <- objects[["22"]][[which(vapply(objects[["22"]], function(x) class(x)[1], "") ==
                                 "nma_benefit_harm")]]
  txt <- print_lines(bh)
  expect_match(txt[1], "Benefit and harm")
  expect_false(any(grepl("efficacy_lower|pscore_harm", txt)))
  expect_true(any(grepl("^ Placebo +0\\.000 \\[ *0\\.000; +0\\.000\\]", txt)))
})

test_that("back-calculation agrees with netmeta's netsplit on the reference networks", {
  for (i in seq_len(nrow(diag_networks()))) {
    nw <- diag_networks()[i, ]
    fit <- diag_fit(nw$input)
    ref <- diag_read(paste0(nw$name, "_netsplit.csv"))
    for (model in c("common", "random")) {
      ns <- node_split(fit, model = model, comparisons = "all")
      r <- ref[ref$model == model, ]
      m <- match_labels(ns$treat1, ns$treat2, r$comparison)
      expect_false(anyNA(m$index))
      expect_equal(nrow(ns), nrow(r))
      r <- r[m$index, ]
      expect_equal(ns$k, r$k)
      expect_rel(ns$prop_direct, r$prop_direct)
      expect_rel(ns$direct, m$sign * r$direct_TE)
      expect_rel(ns$direct_se, r$direct_seTE)
      expect_rel(ns$indirect, m$sign * r$indirect_TE)
      expect_rel(ns$indirect_se, r$indirect_seTE)
      expect_rel(ns$diff, m$sign * r$diff_TE)
      expect_rel(ns$diff_se, r$diff_seTE)
      expect_rel(ns$statistic, m$sign * r$z)
      expect_rel(ns$p.value, r$p)
    }
  }
})

test_that("direct_estimates() are the pairwise meta-analyses", {
  nw <- diag_networks()[4, ]  # Dong2013, many multi-arm studies
  fit <- diag_fit(nw$input)
  ref <- diag_read(paste0(nw$name, "_netsplit.csv"))
  for (model in c("common", "random")) {
    d <- direct_estimates(fit, model = model)
    r <- ref[ref$model == model & ref$k > 0, ]
    m <- match_labels(d$treat1, d$treat2, r$comparison)
    expect_rel(d$estimate, m$sign * r$direct_TE[m$index])
    expect_rel(d$std.error, r$direct_seTE[m$index])
  }
  # by hand for one comparison of Senn2013
  fit <- diag_fit("Senn2013_input.csv")
  s <- diag_read("Senn2013_input.csv")
  s <- s[s$treat1 == "metf" & s$treat2 == "plac", ]
  w <- 1 / (s$seTE^2 + fit$tau2)
  d <- direct_estimates(fit)
  row <- d[d$treat1 == "plac" & d$treat2 == "metf", ]
  expect_equal(row$estimate, -sum(w * s$TE) / sum(w), tolerance = 1e-12)
  expect_equal(row$Q, sum(w * (s$TE - sum(w * s$TE) / sum(w))^2), tolerance = 1e-10)
})

sidde_check <- function(input) {
  d <- diag_read(input)
  fit <- diag_fit(input)
  nm <- netmeta_fit(d)
  ref <- suppressWarnings(netmeta::netsplit(nm, method = "SIDDE", verbose = FALSE))
  for (model in c("common", "random")) {
    ns <- node_split(fit, model = model, method = "separate")
    ind <- ref[[paste0("indirect.", model)]]
    m <- match_labels(ns$treat1, ns$treat2, ind$comparison)
    expect_false(anyNA(m$index))
    expect_rel(ns$indirect, m$sign * ind$TE[m$index])
    expect_rel(ns$indirect_se, ind$seTE[m$index])
    dir <- ref[[paste0("direct.", model)]]
    expect_rel(ns$direct, m$sign * dir$TE[m$index])
  }
}

test_that("separate indirect evidence agrees with netmeta's SIDDE", {
  skip_if_not_installed("netmeta")
  sidde_check("smokingcessation_OR_contrasts.csv")
})

test_that("the low-rank downdate equals a refit without the comparison's studies", {
  d <- diag_read("smokingcessation_OR_contrasts.csv")
  fit <- diag_fit("smokingcessation_OR_contrasts.csv")
  ns <- node_split(fit, model = "common", method = "separate")
  for (i in seq_len(nrow(ns))) {
    a <- ns$treat1[i]; b <- ns$treat2[i]
    drop <- unique(d$study[(d$treat1 == a & d$treat2 == b) | (d$treat1 == b & d$treat2 == a)])
    sub <- d[!d$study %in% drop, ]
    if (ns$evidence[i] != "mixed") next
    refit <- nma(sub, TE, seTE, treat1, treat2, study, tau2_method = "DL")
    tb <- tidy(refit, model = "common", comparisons = "all")
    j <- which(tb$treat1 == a & tb$treat2 == b)
    expect_equal(ns$indirect[i], tb$estimate[j], tolerance = 1e-10)
    expect_equal(ns$indirect_se[i], tb$std.error[j], tolerance = 1e-10)
  }
  # and the random model with tau^2 re-estimated
  nr <- node_split(fit, method = "separate")
  i <- which(nr$treat1 == "C" & nr$treat2 == "A")
  sub <- d[!d$study %in% unique(d$study[(d$treat1 == "A" & d$treat2 == "C") | (d$treat1 == "C" & d$treat2 == "A")]), ]
  refit <- nma(sub, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  expect_equal(nr$tau2_indirect[i], refit$tau2, tolerance = 1e-10)
  tb <- tidy(refit, comparisons = "all")
  expect_equal(nr$indirect[i], tb$estimate[tb$treat1 == "C" & tb$treat2 == "A"], tolerance = 1e-10)
})

test_that("comparisons without indirect evidence say so", {
  fit <- diag_fit("Senn2013_input.csv")
  ns <- node_split(fit)
  leaf <- ns[ns$treat1 == "vild" & ns$treat2 == "plac", ]
  expect_equal(leaf$evidence, "direct only")
  expect_equal(leaf$prop_direct, 1, tolerance = 1e-12)
  expect_true(is.na(leaf$indirect) && is.na(leaf$p.value))
  sep <- node_split(fit, method = "separate")
  leaf <- sep[sep$treat1 == "vild" & sep$treat2 == "plac", ]
  expect_equal(leaf$evidence, "no indirect path")
  expect_true(is.na(leaf$indirect))
  all <- node_split(fit, comparisons = "all")
  only <- all[all$k == 0, ]
  expect_true(all(only$evidence == "indirect only"))
  expect_equal(only$indirect, only$network)
  expect_output(print(ns), "direct only")
  expect_equal(nrow(tidy(ns)), 4 * nrow(ns))
})

test_that("two-treatment networks have direct evidence only", {
  d <- data.frame(study = c("s1", "s2", "s3"), treat1 = "B", treat2 = "A",
                  TE = c(-0.5, -0.3, 0.1), seTE = c(0.2, 0.3, 0.25))
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  for (method in c("back-calculation", "separate")) {
    ns <- node_split(fit, method = method)
    expect_equal(nrow(ns), 1L)
    expect_equal(ns$k, 3L)
    expect_true(ns$evidence %in% c("direct only", "no indirect path"))
    expect_equal(ns$direct, ns$network, tolerance = 1e-12)
  }
})

test_that("loops formed only by multi-arm studies", {
  # two three-arm studies and a two-arm study: every loop runs through
  # a multi-arm study
  d <- data.frame(
    study = c("m1", "m1", "m1", "m2", "m2", "m2", "s3"),
    treat1 = c("B", "C", "C", "B", "C", "C", "B"),
    treat2 = c("A", "A", "B", "A", "A", "B", "A"),
    TE = c(0.3, 0.5, 0.2, 0.1, 0.6, 0.5, 0.4),
    seTE = c(0.2, 0.25, 0.22, 0.3, 0.28, 0.26, 0.15))
  fit <- nma(d, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  ns <- node_split(fit, model = "common")
  expect_equal(nrow(ns), 3L)
  # C vs B and C vs A are informed only by the multi-arm studies
  expect_true(all(ns$prop_direct > 0 & ns$prop_direct <= 1 + 1e-12))
  sep <- node_split(fit, model = "common", method = "separate")
  # removing the studies with C leaves no path to C
  expect_equal(sep$evidence[sep$treat1 == "C"], c("no indirect path", "no indirect path"))
  # B vs A: removing all studies with A and B removes everything
  expect_equal(sep$evidence[sep$treat1 == "B"], "no indirect path")
})

test_that("node_split() checks its input", {
  fit <- diag_fit("Franchini2012_MD_contrasts.csv")
  expect_error(node_split(fit, method = "SIDE"), class = "fastnma_error_choice")
  expect_error(node_split(fit, model = "fixed"), class = "fastnma_error_choice")
  expect_error(node_split(data.frame()), class = "fastnma_error_not_fit")
})

test_that("the rows of node-splitting are ordered by treat2, then treat1, on any network size", {
  # the core's rows "later vs earlier" in the fit's treatment order, in a
  # scrambled order, with the reference in the middle of the treatments
  rows_of <- function(n, pairs, ref) {
    trt <- sprintf("t%03d", seq_len(n))
    m <- nrow(pairs)
    r <- list(a = pairs[, 1], b = pairs[, 2], k = seq_len(m), prop = rep(0.5, m),
              status = rep(0L, m), direct = seq_len(m) / 10, indirect = rep(0, m),
              network = seq_len(m) / 20, direct_var = rep(1, m),
              indirect_var = rep(1, m), network_var = rep(0.5, m))
    out <- split_rows(list(treatments = trt, reference = trt[ref]), r, FALSE)
    rank <- match(c(trt[ref], trt[-ref]), trt)
    rank <- order(rank)
    list(out = out, trt = trt, rank = rank)
  }
  set.seed(7)
  for (n in c(6L, 301L)) {
    pairs <- t(utils::combn(n, 2L))[, 2:1]
    pairs <- pairs[sample(nrow(pairs), min(nrow(pairs), 40L)), , drop = FALSE]
    # a pair given twice keeps both rows, in the core's order
    pairs <- rbind(pairs, pairs[1L, ])
    x <- rows_of(n, pairs, ref = 3L)
    r1 <- x$rank[match(x$out$treat1, x$trt)]
    r2 <- x$rank[match(x$out$treat2, x$trt)]
    expect_equal(nrow(x$out), nrow(pairs))
    expect_identical(order(r2, r1), seq_len(nrow(pairs)))
    expect_true(all(r1 > r2))
    key <- paste(x$out$treat1, x$out$treat2)
    dup <- which(key == key[duplicated(key)])
    expect_length(dup, 2L)
    expect_lt(x$out$k[dup[1]], x$out$k[dup[2]])
  }
})

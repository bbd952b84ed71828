# The treatment order chosen by the user (`order =`, or the levels of a
# factor treatment column) sets the canonical direction of every verb:
# comparisons read "later vs earlier" in that order, rows come in that order,
# and the numbers equal those of the default (sorted) order up to sign.

quiet <- function(x) suppressWarnings(suppressMessages(x))

senn_order <- c("plac", "vild", "sulf", "acar", "rosi", "metf", "benf", "sita",
                "migl", "piog")
dong_order <- c("Placebo", "TIO-SMI", "TIO-HH", "LABA-ICS", "LABA", "ICS")

senn_factor <- function() {
  d <- senn2013
  d$treat1 <- factor(d$treat1, levels = senn_order)
  d$treat2 <- factor(d$treat2, levels = senn_order)
  d
}

dong_factor <- function() {
  d <- dong2013
  d$treatment <- factor(d$treatment, levels = dong_order)
  d
}

# Fits in the default order and in the user's order (argument and factor).
order_fits <- function() {
  dong_ac <- quiet(arm_contrasts(dong2013, study, treatment, events = events, n = n,
                                 measure = "OR"))
  dong_ac_f <- quiet(arm_contrasts(dong_factor(), study, treatment, events = events,
                                   n = n, measure = "OR"))
  list(
    senn = list(
      order = senn_order,
      default = nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                    reference = "plac"),
      argument = nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                     order = senn_order),
      factor = nma(senn_factor(), TE, seTE, treat1, treat2, study, measure = "MD")),
    senn_dl = list(
      order = senn_order,
      default = nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                    reference = "plac", tau2_method = "DL"),
      argument = nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                     order = senn_order, tau2_method = "DL"),
      factor = nma(senn_factor(), TE, seTE, treat1, treat2, study, measure = "MD",
                   tau2_method = "DL")),
    dong_iv = list(
      order = dong_order,
      default = quiet(nma(dong_ac, reference = "Placebo")),
      argument = quiet(nma(dong_ac, order = dong_order)),
      factor = quiet(nma(dong_ac_f))),
    dong_mh = list(
      order = dong_order,
      default = quiet(nma_binary(dong2013, measure = "OR", method = "MH",
                                 reference = "Placebo")),
      argument = quiet(nma_binary(dong2013, measure = "OR", method = "MH",
                                  order = dong_order)),
      factor = quiet(nma_binary(dong_factor(), measure = "OR", method = "MH")))
  )
}

# Every row reads "later vs earlier" in `ord`; rows of all pairs come ordered
# by treat2, then treat1, in `ord`.
expect_oriented <- function(df, ord, sorted = TRUE) {
  r1 <- match(df$treat1, ord)
  r2 <- match(df$treat2, ord)
  expect_false(anyNA(r1) || anyNA(r2))
  expect_true(all(r1 > r2))
  if (sorted) expect_false(is.unsorted(r2 * (length(ord) + 1) + r1))
}

pair_key <- function(a, b) ifelse(a < b, paste(a, b, sep = "\r"), paste(b, a, sep = "\r"))

# `u` (user's order) equals `d` (default order) row by row after matching
# pairs: columns in `negate` change sign where the pair is flipped, each
# pair of limits swaps and changes sign, columns in `same` are equal.
expect_same_up_to_sign <- function(u, d, negate = character(), limits = list(),
                                   same = character(), by = character()) {
  u <- as.data.frame(u)
  d <- as.data.frame(d)
  key_u <- paste(pair_key(u$treat1, u$treat2), do.call(paste, c(list(""), u[by])))
  key_d <- paste(pair_key(d$treat1, d$treat2), do.call(paste, c(list(""), d[by])))
  expect_setequal(key_u, key_d)
  m <- match(key_u, key_d)
  d <- d[m, , drop = FALSE]
  flip <- u$treat1 != d$treat1
  expect_true(all(u$treat1 == ifelse(flip, d$treat2, d$treat1)))
  for (col in negate) {
    expect_equal(u[[col]], ifelse(flip, -d[[col]], d[[col]]), info = col)
  }
  for (lim in limits) {
    expect_equal(u[[lim[1]]], ifelse(flip, -d[[lim[2]]], d[[lim[1]]]), info = lim[1])
    expect_equal(u[[lim[2]]], ifelse(flip, -d[[lim[1]]], d[[lim[2]]]), info = lim[2])
  }
  for (col in same) expect_equal(u[[col]], d[[col]], info = col)
  invisible(flip)
}

ci <- list(c("conf.low", "conf.high"))

test_that("the user's order is the fit's treatment order, the reference first", {
  for (net in order_fits()) {
    for (f in net[c("argument", "factor")]) {
      expect_identical(f$treatments, net$order)
      expect_identical(f$reference, net$order[1])
      expect_identical(treatment_order(f), net$order)
    }
    expect_identical(net$default$treatments, sort(net$order))
  }
})

test_that("the factor's levels and the argument give the same fit", {
  for (net in order_fits()) {
    a <- net$argument
    f <- net$factor
    expect_identical(tidy(a, comparisons = "all"), tidy(f, comparisons = "all"))
    expect_identical(glance(a), glance(f))
  }
})

test_that("tidy, coef and the fit's estimates follow the order, equal up to sign", {
  for (net in order_fits()) {
    for (f in net[c("argument", "factor")]) {
      for (model in capabilities_of(f)$models) {
        u <- tidy(f, model = model, comparisons = "all")
        d <- tidy(net$default, model = model, comparisons = "all")
        expect_oriented(u, net$order)
        expect_identical(u$term, paste(u$treat1, "vs", u$treat2))
        expect_same_up_to_sign(u, d, negate = c("estimate", "statistic"),
                               limits = c(ci, if ("pred.low" %in% names(u))
                                 list(c("pred.low", "pred.high"))),
                               same = c("std.error", "p.value"))
        ref <- tidy(f, model = model)
        expect_identical(ref$treat1, net$order[-1])
        expect_true(all(ref$treat2 == net$order[1]))
      }
      expect_equal(glance(f)$tau2, glance(net$default)$tau2)
      expect_equal(glance(f)$Q, glance(net$default)$Q)
    }
  }
})

test_that("league_table follows the order, equal up to sign", {
  for (net in order_fits()) {
    f <- net$argument
    u <- as.data.frame(league_table(f))
    d <- as.data.frame(league_table(net$default))
    expect_identical(attr(league_table(f), "order"), net$order)
    canon <- u[match(u$treat1, net$order) > match(u$treat2, net$order), ]
    expect_oriented(canon, net$order)
    expect_same_up_to_sign(u, d, negate = c("estimate", "statistic"), limits = ci,
                           same = c("std.error", "p.value"), by = character())
  }
})

test_that("node_split and direct_estimates follow the order, equal up to sign", {
  for (net in order_fits()) {
    f <- net$argument
    if (!capabilities_of(f)$study_contrasts) {
      expect_error(node_split(f), class = "fastnma_error")
      next
    }
    for (method in c("back-calculation", "separate")) {
      u <- quiet(node_split(f, method = method))
      d <- quiet(node_split(net$default, method = method))
      expect_oriented(u, net$order)
      expect_same_up_to_sign(u, d,
                             negate = c("direct", "indirect", "diff", "statistic", "network"),
                             same = c("k", "prop_direct", "direct_se", "indirect_se",
                                      "diff_se", "p.value", "network_se", "evidence"))
    }
    u <- direct_estimates(f)
    d <- direct_estimates(net$default)
    expect_oriented(u, net$order)
    expect_same_up_to_sign(u, d, negate = c("estimate", "statistic"), limits = ci,
                           same = c("k", "std.error", "p.value", "Q", "df"))
  }
})

test_that("rank_treatments lists treatments in the order, with the same P-scores", {
  for (net in order_fits()) {
    f <- net$argument
    u <- rank_treatments(f)
    d <- rank_treatments(net$default)
    expect_identical(u$treatment, net$order)
    expect_equal(u$pscore, d$pscore[match(u$treatment, d$treatment)])
    s <- rank_treatments(f, method = "sucra", n_sim = 200, seed = 1)
    expect_identical(s$treatment, net$order)
  }
})

test_that("inconsistency labels designs in the order, with the same Q", {
  for (net in order_fits()[c("senn", "dong_iv")]) {
    f <- net$argument
    u <- inconsistency(f)
    d <- inconsistency(net$default)
    expect_equal(tidy(u)[names(tidy(u)) != "term"], tidy(d)[names(tidy(d)) != "term"],
                 ignore_attr = TRUE)
    arms <- strsplit(u$designs$design, ":", fixed = TRUE)
    expect_true(all(vapply(arms, function(a) !is.unsorted(match(a, net$order)), logical(1))))
    key <- function(x) vapply(strsplit(x, ":", fixed = TRUE),
                              function(a) paste(sort(a), collapse = ":"), "")
    m <- match(key(u$designs$design), key(d$designs$design))
    expect_false(anyNA(m))
    expect_equal(u$designs$Q_within, d$designs$Q_within[m])
    expect_equal(u$designs$Q_between, d$designs$Q_between[m])
  }
})

test_that("contributions follow the order, with the same contributions", {
  for (net in order_fits()[c("senn", "dong_iv")]) {
    f <- net$argument
    u <- contributions(f)
    d <- contributions(net$default)
    expect_oriented(u$comparisons, net$order)
    expect_oriented(tidy(u), net$order, sorted = FALSE)
    # The shortest-path decomposition is not unique (paths of equal length
    # are taken in treatment order); the random-walk one is.
    u <- contributions(f, method = "randomwalk")
    d <- contributions(net$default, method = "randomwalk")
    expect_oriented(u$comparisons, net$order)
    tu <- tidy(u)
    td <- tidy(d)
    expect_oriented(tu, net$order, sorted = FALSE)
    direct_key <- function(x) {
      p <- strsplit(x, " vs ", fixed = TRUE)
      pair_key(vapply(p, `[`, "", 1L), vapply(p, `[`, "", 2L))
    }
    tu$direct <- direct_key(tu$direct)
    td$direct <- direct_key(td$direct)
    expect_same_up_to_sign(tu, td, same = "contribution", by = "direct")
  }
})

test_that("leave_one_out follows the order, equal up to sign", {
  for (net in order_fits()[c("senn", "dong_iv")]) {
    f <- net$argument
    u <- quiet(leave_one_out(f))
    d <- quiet(leave_one_out(net$default))
    expect_oriented(u$comparisons, net$order)
    tu <- tidy(u)
    td <- tidy(d)
    expect_oriented(tu, net$order, sorted = FALSE)
    expect_same_up_to_sign(tu, td, negate = c("estimate", "statistic", "estimate_full"),
                           limits = ci, same = c("std.error", "p.value"),
                           by = c("study", "model"))
  }
})

test_that("confidence follows the order, with the same ratings", {
  for (net in order_fits()[c("senn", "dong_iv")]) {
    f <- net$argument
    rob <- stats::setNames(rep(c("low", "some", "high"), length.out = length(f$studies)),
                           f$studies)
    u <- quiet(confidence(f, rob, margin = 0.2))
    d <- quiet(confidence(net$default, rob, margin = 0.2))
    expect_oriented(u, net$order)
    tu <- tidy(u)
    expect_identical(tu$term, paste(tu$treat1, "vs", tu$treat2))
    expect_same_up_to_sign(u, d, negate = "estimate",
                           limits = c(ci, list(c("pred.low", "pred.high"))),
                           same = c("std.error", "p.value", "within_study_bias",
                                    "imprecision", "heterogeneity", "incoherence",
                                    "confidence"))
  }
})

test_that("prints and figures show the comparisons in the order", {
  f <- order_fits()$senn$argument
  out <- utils::capture.output(print(f))
  rows <- grep(" vs ", out, value = TRUE)
  expect_true(length(rows) > 0L)
  expect_false(any(grepl("vs vild|vs sulf", rows) & grepl("^\\s*plac vs", rows)))
  p <- autoplot(f)
  lab <- as.character(ggplot2::ggplot_build(p)$layout$panel_params[[1]]$y$get_labels())
  expect_true(all(senn_order[-1] %in% lab))
})

test_that("an order that is not every treatment once is a classed error", {
  expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                   order = senn_order[-2]), class = "fastnma_error_order")
  expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                   order = c(senn_order, "plac")), class = "fastnma_error_order")
  expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                   order = c(senn_order, "PLAC")), class = "fastnma_error_order")
  expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                   order = 1:10), class = "fastnma_error_order")
  expect_error(nma_binary(dong2013, measure = "OR", order = dong_order[-1]),
               class = "fastnma_error_order")
})

test_that("netmeta's seq = points to order =", {
  err <- expect_error(nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                          seq = senn_order), class = "fastnma_error_netmeta_argument")
  expect_identical(err$use, "order")
})

test_that("a reference other than the first of the order comes first", {
  f <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
           order = senn_order, reference = "acar")
  expect_identical(treatment_order(f), c("acar", setdiff(senn_order, "acar")))
  expect_true(all(tidy(f)$treat2 == "acar"))
})

test_that("a network keeps its order, and nma(order =) reorders a network", {
  net <- nma_network(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
                     order = senn_order)
  expect_identical(net$treatments, senn_order)
  expect_identical(nma(net)$treatments, senn_order)
  rev_order <- rev(senn_order)
  f <- nma(net, order = rev_order)
  expect_identical(f$treatments, rev_order)
  expect_identical(f$reference, "piog")
  same_ref <- nma(net, reference = "piog")
  expect_equal(f$random$theta[senn_order], same_ref$random$theta[senn_order])
  expect_equal(f$random$cov[senn_order, senn_order], same_ref$random$cov[senn_order, senn_order])
})

test_that("collections (by =) take one order for every network", {
  d <- rbind(cbind(senn2013, copy = 1), cbind(senn2013, copy = 2))
  b <- nma(d, TE, seTE, treat1, treat2, study, by = copy, order = senn_order)
  expect_identical(b[[1]]$treatments, senn_order)
  u <- tidy(b[[2]], comparisons = "all")
  expect_oriented(u, senn_order)
  bf <- nma(transform(d, treat1 = factor(treat1, senn_order),
                      treat2 = factor(treat2, senn_order)),
            TE, seTE, treat1, treat2, study, by = copy)
  expect_identical(bf[[2]]$treatments, senn_order)
  mh <- quiet(nma_binary(rbind(cbind(dong_factor(), outcome = "a"),
                               cbind(dong_factor(), outcome = "b")),
                         measure = "OR", by = outcome))
  expect_identical(mh[[1]]$treatments, dong_order)
})

# One orientation everywhere: treatments ordered with the reference first,
# then the others in sorted order; every comparison is "later vs earlier"
# (treat1 relative to treat2, labelled "treat1 vs treat2"). The fits below
# have a reference that sorts after other treatments, so that a verb that
# reports the core's sorted direction instead would reverse some pairs.

orientation_fits <- function() {
  list(
    senn = nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
               reference = "plac"),
    dong = suppressMessages(nma_binary(dong2013, measure = "OR", method = "IV",
                                       reference = "Placebo"))
  )
}

# Position of the pairs (t1, t2) among the pairs of `d` (NA where absent).
pair_index <- function(t1, t2, d) {
  match(paste(t1, t2, sep = "\r"), paste(d$treat1, d$treat2, sep = "\r"))
}

# A figure may draw on the analysis or the ratio scale; either way the
# direction must be the canonical one (a reversed pair gives -x or 1/x).
expect_same_effect <- function(x, est, info = NULL) {
  same <- isTRUE(all.equal(x, est, tolerance = 1e-10)) ||
    isTRUE(all.equal(x, exp(est), tolerance = 1e-10))
  expect_true(same, info = info)
}

test_that("the fits exercise the rule: the reference does not sort first", {
  for (fit in orientation_fits()) {
    expect_false(identical(fit$reference, sort(fit$treatments)[1]))
    expect_identical(fastnma:::treatment_order(fit),
                     c(fit$reference, setdiff(fit$treatments, fit$reference)))
  }
})

test_that("tidy() follows the rule: later vs earlier, ordered by treat2 then treat1", {
  for (fit in orientation_fits()) {
    ord <- c(fit$reference, setdiff(fit$treatments, fit$reference))
    for (model in c("common", "random")) {
      all <- tidy(fit, model = model, comparisons = "all")
      n <- fit$n
      expect_equal(nrow(all), n * (n - 1) / 2)
      r1 <- match(all$treat1, ord)
      r2 <- match(all$treat2, ord)
      expect_true(all(r1 > r2))
      expect_identical(order(r2, r1), seq_len(nrow(all)))
      expect_identical(all$term, paste(all$treat1, "vs", all$treat2))
      ref <- tidy(fit, model = model)
      expect_identical(ref$treat2, rep(fit$reference, n - 1))
      expect_identical(ref$treat1, ord[-1])
      expect_identical(ref$term, all$term[seq_len(n - 1)])
      expect_equal(ref$estimate, all$estimate[seq_len(n - 1)])
      # the estimate is theta[treat1] - theta[treat2]
      th <- fit[[model]]$theta
      expect_equal(all$estimate, unname(th[all$treat1] - th[all$treat2]))
    }
  }
})

test_that("print() shows the comparisons of tidy() in the same direction", {
  for (fit in orientation_fits()) {
    out <- capture.output(print(fit))
    td <- tidy(fit, model = "random")
    for (k in seq_len(nrow(td))) {
      line <- grep(paste0("^\\s*", td$term[k], "\\s"), out, value = TRUE)
      expect_length(line, 2L)  # common and random sections
      shown <- c(formatC(td$estimate[k], digits = 3, format = "f"),
                 formatC(exp(td$estimate[k]), digits = 3, format = "f"))
      expect_true(any(vapply(shown, function(s) any(grepl(s, line[2], fixed = TRUE)),
                             logical(1))), info = td$term[k])
      expect_false(any(grepl(paste(fit$reference, "vs", td$treat1[k]), out, fixed = TRUE)))
    }
  }
})

test_that("node_split() and direct_estimates() report the pairs of tidy()", {
  for (fit in orientation_fits()) {
    for (model in c("common", "random")) {
      all <- tidy(fit, model = model, comparisons = "all")
      ns <- node_split(fit, model = model)
      i <- pair_index(ns$treat1, ns$treat2, all)
      expect_false(anyNA(i))
      expect_true(all(diff(i) > 0))  # in the order of tidy()
      expect_equal(ns$network, all$estimate[i], tolerance = 1e-10)
      # flipping a pair would negate its direct estimate: compare with the
      # study contrasts, turned to the canonical direction by hand
      d <- direct_estimates(fit, model = model, level = fit$level)
      j <- pair_index(d$treat1, d$treat2, all)
      expect_false(anyNA(j))
      expect_true(all(diff(j) > 0))
      expect_identical(d$treat1 == fit$reference, rep(FALSE, nrow(d)))
      k <- pair_index(ns$treat1, ns$treat2, d)
      expect_equal(ns$direct, d$estimate[k], tolerance = 1e-10)
      nsa <- node_split(fit, model = model, comparisons = "all")
      expect_identical(nsa$treat1, all$treat1)
      expect_identical(nsa$treat2, all$treat2)
      expect_equal(nsa$network, all$estimate, tolerance = 1e-10)
      td <- tidy(ns)
      expect_identical(td$term, paste(td$treat1, "vs", td$treat2))
      net <- td[td$evidence == "network", ]
      expect_equal(net$estimate, all$estimate[pair_index(net$treat1, net$treat2, all)],
                   tolerance = 1e-10)
    }
    # one pair by hand: the direct estimate of a comparison with the
    # reference from its two-arm studies, in the canonical direction
    s <- fit$data
    other <- setdiff(fit$treatments, fit$reference)
    for (x in other) {
      rows <- (s$treat1 == x & s$treat2 == fit$reference) |
        (s$treat2 == x & s$treat1 == fit$reference)
      if (!any(rows) || any(fit$n_arms[match(s$study[rows], fit$studies)] > 2L)) next
      y <- ifelse(s$treat1[rows] == x, s$estimate[rows], -s$estimate[rows])
      w <- 1 / s$std.error[rows]^2
      d <- direct_estimates(fit, model = "common")
      expect_equal(d$estimate[d$treat1 == x & d$treat2 == fit$reference],
                   sum(w * y) / sum(w), tolerance = 1e-10)
      break
    }
  }
})

test_that("league_table() cells and data carry the direction of tidy()", {
  for (fit in orientation_fits()) {
    all <- tidy(fit, comparisons = "all")
    lt <- league_table(fit)
    expect_identical(attr(lt, "order"), c(fit$reference, setdiff(fit$treatments, fit$reference)))
    half <- seq_len(nrow(all))
    expect_identical(lt$treat1[half], all$treat1)
    expect_identical(lt$treat2[half], all$treat2)
    expect_equal(lt$estimate[half], all$estimate, tolerance = 1e-12)
    tl <- tidy(lt)
    expect_identical(tl$term[half], all$term)
    # lower triangle: row (treat1) vs column (treat2)
    m <- format(lt, digits = 4, ci = FALSE, exponentiate = FALSE)
    expect_identical(unname(m[cbind(match(all$treat1, rownames(m)), match(all$treat2, colnames(m)))]),
                     formatC(all$estimate, digits = 4, format = "f"))
    # upper triangle: direct estimate of the column (treat1) vs the row (treat2)
    d <- direct_estimates(fit)
    expect_identical(unname(m[cbind(match(d$treat2, rownames(m)), match(d$treat1, colnames(m)))]),
                     formatC(d$estimate, digits = 4, format = "f"))
    # the figure's data
    p <- autoplot(lt)
    pd <- p$data
    low <- pd[pd$triangle == "lower", ]
    i <- pair_index(low$treat1, low$treat2, all)
    expect_false(anyNA(i))
    expect_same_effect(low$estimate, all$estimate[i])
    up <- pd[pd$triangle == "upper" & !is.na(pd$estimate), ]
    j <- pair_index(up$treat1, up$treat2, d)
    expect_false(anyNA(j))
    expect_equal(nrow(up), nrow(d))
    expect_same_effect(up$estimate, d$estimate[j])
  }
})

test_that("contributions() and leave_one_out() label the pairs as tidy() does", {
  for (fit in orientation_fits()) {
    all <- tidy(fit, comparisons = "all")
    cb <- contributions(fit)
    expect_identical(rownames(cb$weights), all$term)
    d <- direct_estimates(fit)
    expect_identical(colnames(cb$weights), paste(d$treat1, "vs", d$treat2))
    expect_true(all(colnames(cb$weights) %in% all$term))
    tc <- tidy(cb)
    expect_true(all(tc$term %in% all$term))
    expect_true(all(tc$direct %in% colnames(cb$weights)))
    expect_false(any(grepl(":", rownames(cb$weights), fixed = TRUE)))
    loo <- leave_one_out(fit)
    expect_identical(colnames(loo$impact$random), all$term)
    tl <- tidy(loo)
    expect_identical(unique(tl$treat2), fit$reference)
    for (model in c("common", "random")) {
      ref <- tidy(fit, model = model)
      sub <- tl[tl$model == model, ]
      i <- match(sub$term, ref$term)
      expect_false(anyNA(i))
      expect_equal(sub$estimate_full, ref$estimate[i], tolerance = 1e-10)
    }
  }
})

test_that("figures draw the comparisons of tidy() in the same direction", {
  for (fit in orientation_fits()) {
    ref <- tidy(fit)
    p <- autoplot(fit)
    pd <- p$data
    i <- pair_index(pd$treat1, pd$treat2, ref)
    expect_false(anyNA(i))
    expect_same_effect(pd$estimate, ref$estimate[i])
    all <- tidy(fit, comparisons = "all")
    ps <- autoplot(node_split(fit))
    sd <- ps$data
    expect_true(all(sd$comparison %in% all$term))
    net <- sd[sd$evidence == "network", ]
    expect_same_effect(net$estimate, all$estimate[match(net$comparison, all$term)])
  }
})

test_that("comparisons are combined by the treatment indices of the canonical pair", {
  for (fit in orientation_fits()) {
    trt <- fit$treatments
    pairs <- fastnma:::canonical_pairs(fit, "all")
    key <- fastnma:::comparison_key_index(fit, pairs$i, pairs$j)
    # one key a comparison, the same in either direction, the canonical
    # indices (later, earlier) read back from it
    expect_false(anyDuplicated(key) > 0)
    expect_identical(fastnma:::comparison_key_index(fit, pairs$j, pairs$i), key)
    n <- length(trt)
    expect_identical(as.integer((key - 1L) %/% n + 1L), as.integer(pairs$i))
    expect_identical(as.integer((key - 1L) %% n + 1L), as.integer(pairs$j))
    expect_identical(fastnma:::comparison_key(fit, trt[pairs$j], trt[pairs$i]), key)
    # matching ignores the direction; a label that is not a treatment matches nothing
    rev <- rev(seq_along(key))
    expect_identical(fastnma:::comparison_match(fit, trt[pairs$j[rev]], trt[pairs$i[rev]],
                                                trt[pairs$i], trt[pairs$j]), rev)
    expect_identical(fastnma:::comparison_match(fit, c("no such", trt[1]), c(trt[2], trt[1]),
                                                trt[pairs$i], trt[pairs$j]),
                     c(NA_integer_, NA_integer_))
  }
})

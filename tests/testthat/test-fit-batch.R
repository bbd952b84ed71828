# The batch path: nma(by = ) fits many networks in one compiled call, with
# the numbers of nma() on each network alone.

quiet <- function(x) suppressWarnings(suppressMessages(x))

batch_data <- function(n = 4, n_treat = 6, n_studies = 14) {
  do.call(rbind, lapply(seq_len(n), function(r) {
    cbind(random_network(n_treat, n_studies, p_multi = 0.2, seed = 100 + r), rep = r)
  }))
}

expect_same_table <- function(a, b, tol = 1e-12) {
  a <- as.data.frame(a)
  b <- as.data.frame(b)
  expect_identical(names(a), names(b))
  expect_identical(nrow(a), nrow(b))
  for (col in names(a)) {
    if (is.numeric(a[[col]])) {
      expect_equal(a[[col]], b[[col]], tolerance = tol, info = col)
    } else {
      expect_identical(a[[col]], b[[col]], info = col)
    }
  }
}

test_that("every tidy() and glance() number equals nma() on each network", {
  d <- batch_data()
  settings <- list(
    list(tau2_method = "REML"), list(tau2_method = "DL", reference = "T3"),
    list(tau2_method = "ML", ci_method = "hk"), list(tau2_method = "PM", level = 0.9),
    list(tau2 = 0.05)
  )
  for (s in settings) {
    b <- do.call(nma, c(list(d, by = quote(rep)), s))
    expect_s3_class(b, "nma_batch")
    expect_identical(names(b), as.character(1:4))
    for (r in 1:4) {
      one <- do.call(nma, c(list(d[d$rep == r, ]), s))
      for (model in c("random", "common")) {
        bt <- tidy(b, model = model)
        expect_same_table(bt[bt$rep == r, -1], tidy(one, model = model))
        ba <- tidy(b, model = model, comparisons = "all")
        expect_same_table(ba[ba$rep == r, -1], tidy(one, model = model, comparisons = "all"))
      }
      expect_same_table(glance(b)[r, -1], glance(one))
      # x[[i]] is an ordinary fit with the numbers of nma()
      fit <- b[[r]]
      expect_s3_class(fit, "nma")
      expect_equal(fit$random, one$random, tolerance = 1e-12)
      expect_equal(fit$common, one$common, tolerance = 1e-12)
      expect_same_table(glance(fit), glance(one))
      expect_same_table(tidy(node_split(fit)), tidy(node_split(one)))
    }
    expect_identical(names(glance(b))[1], "rep")
    expect_identical(names(tidy(b))[1:2], c("rep", "term"))
  }
})

test_that("the batch agrees with live netmeta on every network", {
  two <- rbind(cbind(senn2013, copy = "a"),
               cbind(transform(senn2013, TE = TE * 1.5), copy = "b"))
  b <- nma(two, TE, seTE, treat1, treat2, study, measure = "MD", tau2_method = "DL",
           reference = "plac", by = copy)
  for (cp in c("a", "b")) {
    s <- two[two$copy == cp, ]
    nm <- suppressWarnings(netmeta::netmeta(TE, seTE, treat1, treat2, study, data = s,
                                            sm = "MD", reference.group = "plac",
                                            method.tau = "DL"))
    td <- tidy(b)
    td <- td[td$copy == cp, ]
    expect_equal(td$estimate, unname(nm$TE.random[td$treat1, "plac"]), tolerance = 1e-6)
    expect_equal(td$std.error, unname(nm$seTE.random[td$treat1, "plac"]), tolerance = 1e-6)
    tc <- tidy(b, model = "common")
    tc <- tc[tc$copy == cp, ]
    expect_equal(tc$estimate, unname(nm$TE.common[tc$treat1, "plac"]), tolerance = 1e-6)
    g <- glance(b)[glance(b)$copy == cp, ]
    expect_equal(g$tau2, nm$tau2, tolerance = 1e-6)
    expect_equal(g$Q, nm$Q, tolerance = 1e-6)
  }
})

test_that("rankings in the same call equal rank_treatments() on each fit", {
  d <- batch_data(3)
  b <- nma(d, by = rep, batch = batch_control(rank = "pscore"))
  rk <- tidy(b, ranks = TRUE)
  expect_identical(names(rk), c("rep", "treatment", "pscore"))
  for (r in 1:3) {
    expect_equal(rk$pscore[rk$rep == r], rank_treatments(nma(d[d$rep == r, ]))$pscore,
                 tolerance = 1e-12)
  }
  # SUCRA: network i draws with seed + i - 1
  s <- nma(d, by = rep, small_values = "undesirable",
           batch = batch_control(rank = "sucra", n_sim = 500, seed = 11))
  rk <- tidy(s, ranks = TRUE)
  for (r in 1:3) {
    one <- rank_treatments(nma(d[d$rep == r, ], small_values = "undesirable"),
                           method = "sucra", n_sim = 500, seed = 11 + r - 1)
    expect_identical(rk$sucra[rk$rep == r], one$sucra)
    expect_identical(rk$mean_rank[rk$rep == r], one$mean_rank)
    expect_identical(rk$p_best[rk$rep == r], one$p_best)
  }
  # without a seed, set.seed() makes the batch reproducible
  set.seed(3)
  a1 <- tidy(nma(d, by = rep, batch = batch_control(rank = "sucra", n_sim = 200)), ranks = TRUE)
  set.seed(3)
  a2 <- tidy(nma(d, by = rep, batch = batch_control(rank = "sucra", n_sim = 200)), ranks = TRUE)
  expect_identical(a1, a2)
  expect_error(tidy(nma(d, by = rep), ranks = TRUE), class = "fastnma_error_not_computed")
})

test_that("lean collections keep estimates, SEs, tau2 and Q only", {
  d <- batch_data(3)
  full <- nma(d, by = rep)
  lean <- nma(d, by = rep, batch = batch_control(lean = TRUE, rank = "pscore"))
  expect_same_table(tidy(lean), tidy(full), tol = 0)
  expect_same_table(tidy(lean, model = "common"), tidy(full, model = "common"), tol = 0)
  expect_same_table(glance(lean), glance(full), tol = 0)
  expect_null(attr(lean, "data"))
  expect_error(lean[[1]], class = "fastnma_error_not_computed")
  expect_error(tidy(lean, comparisons = "all"), class = "fastnma_error_not_computed")
  expect_output(print(lean), "lean")
  expect_lt(as.numeric(utils::object.size(lean)), as.numeric(utils::object.size(full)))
})

test_that("x[i] is a smaller collection, by position or by value", {
  d <- batch_data(4)
  b <- nma(d, by = rep, batch = batch_control(rank = "pscore"))
  s <- b[c(3, 1)]
  expect_s3_class(s, "nma_batch")
  expect_identical(names(s), c("3", "1"))
  expect_identical(glance(s)$rep, c(3L, 1L))
  expect_same_table(glance(s)[1, ], glance(b)[3, ], tol = 0)
  expect_identical(unique(tidy(s)$rep), c(3L, 1L))
  expect_identical(unique(tidy(s, ranks = TRUE)$rep), c(3L, 1L))
  expect_equal(b[["2"]]$random, b[[2]]$random)
  expect_equal(b$`2`$random, b[[2]]$random)
  expect_error(b[[9]], class = "fastnma_error_comparison_selection")
  expect_error(b[c("1", "nope")], class = "fastnma_error_comparison_selection")
  fits <- lapply(b, glance)
  expect_length(fits, 4L)
  expect_same_table(fits[[4]], glance(b)[4, -1])
})

test_that("a network that cannot be fitted is reported, by value, study and column", {
  d <- batch_data(4)
  bad <- d
  bad$std.error[bad$rep == 2][3] <- -1
  # rep 4: a study's pair twice
  r4 <- which(bad$rep == 4)
  bad[r4[2], c("study", "treat1", "treat2")] <- bad[r4[1], c("study", "treat1", "treat2")]
  err <- expect_error(nma(bad, by = rep), class = "fastnma_error_batch")
  expect_identical(err$errors$rep, c(2L, 4L))
  expect_identical(err$errors$class, c("fastnma_error_se", "fastnma_error_duplicate_pair"))
  expect_identical(err$errors$study[1], bad$study[bad$rep == 2][3])
  expect_identical(err$errors$column[1], "std.error")
  expect_s3_class(err$parent, "fastnma_error_se")
  expect_match(conditionMessage(err), "rep = 2", fixed = TRUE)
  expect_match(conditionMessage(err), "rep = 4", fixed = TRUE)
  # keep going: the others are fitted, the failures listed
  kept <- NULL
  expect_warning(kept <- nma(bad, by = rep, batch = batch_control(errors = "keep")),
                 class = "fastnma_warning_batch")
  expect_identical(glance(kept)$rep, c(1L, 3L))
  expect_identical(batch_errors(kept)$rep, c(2L, 4L))
  expect_error(kept[[2]], class = "fastnma_error_se")
  expect_error(kept[["4"]], class = "fastnma_error_duplicate_pair")
  expect_same_table(glance(kept)[2, -1], glance(nma(d[d$rep == 3, ])), tol = 1e-12)
  expect_output(print(kept), "Failures")
  # failures found by the core: a disconnected network, a reference absent
  dis <- rbind(d[d$rep == 1, ],
               data.frame(study = c("x1", "x2"), treat1 = c("A", "C"), treat2 = c("B", "D"),
                          estimate = 0.1, std.error = 0.2, rep = 9L))
  err <- expect_error(nma(dis, by = rep), class = "fastnma_error_batch")
  expect_identical(err$errors$class, "fastnma_error_disconnected")
  err <- expect_error(nma(dis, by = rep, reference = "T1"), class = "fastnma_error_batch")
  expect_identical(err$errors$class, "fastnma_error_reference")
  # a missing value of the by column stops the whole batch
  nab <- d
  nab$rep[2] <- NA
  expect_error(nma(nab, by = rep), class = "fastnma_error_missing")
  expect_error(nma(d, by = nope), class = "fastnma_error_column")
  expect_error(nma(d, by = rep, batch = list()), class = "fastnma_error_control")
  expect_error(batch_control(rank = "x"), class = "fastnma_error_choice")
  expect_error(batch_control(seed = -1), class = "fastnma_error_seed")
  expect_error(batch_control(lean = NA), class = "fastnma_error_flag")
})

test_that("tau2 messages of the batch name the networks", {
  tree <- data.frame(study = c("s1", "s2"), treat1 = c("A", "B"), treat2 = c("B", "C"),
                     estimate = c(0.1, 0.2), std.error = c(0.1, 0.2))
  d <- rbind(cbind(tree, g = "tree"),
             cbind(senn2013[c("study", "treat1", "treat2")], estimate = senn2013$TE,
                   std.error = senn2013$seTE, g = "senn"))
  expect_message(b <- nma(d, by = g), class = "fastnma_message_tau2_not_identifiable")
  expect_identical(glance(b)$tau2[1], 0)
})

test_that("parallel runs through future give the sequential numbers", {
  d <- batch_data(6)
  ctl <- function(parallel) batch_control(rank = "sucra", n_sim = 300, seed = 5,
                                          parallel = parallel, chunk_size = 2)
  seq_run <- nma(d, by = rep, batch = ctl(FALSE))
  old <- future::plan(future::multisession, workers = 2)
  on.exit(future::plan(old), add = TRUE)
  par_run <- nma(d, by = rep, batch = ctl(TRUE))
  expect_identical(tidy(par_run), tidy(seq_run))
  expect_identical(glance(par_run), glance(seq_run))
  expect_identical(tidy(par_run, ranks = TRUE), tidy(seq_run, ranks = TRUE))
  expect_identical(par_run[[5]]$random, seq_run[[5]]$random)
  # nma_binary(by = ) through the workers
  long <- rbind(cbind(dong2013, outcome = "death"),
                cbind(transform(dong2013, events = pmin(n, events * 2 + 1)), outcome = "any AE"))
  b1 <- quiet(nma_binary(long, measure = "OR", by = outcome))
  b2 <- quiet(nma_binary(long, measure = "OR", by = outcome,
                         batch = batch_control(parallel = TRUE)))
  expect_identical(tidy(b2), tidy(b1))
})

test_that("nma_binary(by = ) is a collection of the same contract", {
  long <- rbind(cbind(dong2013, outcome = "death"),
                cbind(transform(dong2013, events = pmin(n, events * 2 + 1)), outcome = "any AE"))
  fits <- quiet(nma_binary(long, measure = "OR", by = outcome))
  expect_s3_class(fits, c("nma_binary_by", "nma_batch"))
  expect_identical(names(fits), c("death", "any AE"))
  expect_s3_class(fits[["death"]], "nma_mh")
  one <- quiet(nma_binary(dong2013, measure = "OR"))
  expect_same_table(tidy(fits)[tidy(fits)$outcome == "death", -1], tidy(one))
  expect_identical(nrow(batch_errors(fits)), 0L)
  expect_error(node_split(fits), class = "fastnma_error_by_outcome")
  # a failed outcome: stop, or keep the others
  bad <- rbind(long, data.frame(study = c("y1", "y1"), treatment = c("P", "Q"),
                                events = c(1, 2), n = c(20, 20), outcome = "death"))
  err <- expect_error(quiet(nma_binary(bad, measure = "OR", by = outcome)),
                      class = "fastnma_error_batch")
  expect_identical(err$errors$class, "fastnma_error_disconnected")
  kept <- quiet(nma_binary(bad, measure = "OR", by = outcome,
                           batch = batch_control(errors = "keep")))
  expect_identical(batch_errors(kept)$outcome, "death")
  expect_identical(unique(tidy(kept)$outcome), "any AE")
  expect_identical(glance(kept)$outcome, "any AE")
  expect_error(kept[["death"]], class = "fastnma_error_disconnected")
  # the inverse-variance route
  iv <- quiet(nma_binary(long, measure = "OR", method = "IV", by = outcome))
  one_iv <- quiet(nma_binary(dong2013, measure = "OR", method = "IV"))
  expect_same_table(glance(iv)[1, -1], glance(one_iv))
})

# Verbs on a collection made by nma(by = ) (R/verb-batch.R): one table keyed
# by the batch id, each network built once, the numbers of the loop over
# single fits, failures per network collected.

quiet <- function(x) suppressWarnings(suppressMessages(x))

verb_batch_data <- function(n = 4, n_treat = 5, n_studies = 12, seed = 300) {
  do.call(rbind, lapply(seq_len(n), function(r) {
    cbind(random_network(n_treat, n_studies, p_multi = 0.2, seed = seed + r), rep = r)
  }))
}

# The loop a simulation study would write: nma() on each network's rows, the
# verb on the fit, its table under the `rep` column.
loop_table <- function(d, verb) {
  out <- lapply(unique(d$rep), function(r) {
    t <- as.data.frame(verb(nma(d[d$rep == r, setdiff(names(d), "rep")]), r))
    cbind(data.frame(rep = rep(r, nrow(t))), t)
  })
  out <- do.call(rbind, out)
  rownames(out) <- NULL
  out
}

# The batch table without its attribute of failures, as a data frame.
batch_table <- function(x) {
  attr(x, "errors") <- NULL
  as.data.frame(x)
}

# Each network is fitted by the same code on the same numbers in both
# paths, so the tables are identical, not merely close.
expect_loop_identical <- function(batch, d, verb) {
  expect_identical(batch_table(batch), loop_table(d, verb))
}

test_that("each verb on a collection gives the loop over single fits, keyed by the batch id", {
  d <- verb_batch_data()
  b <- nma(d, by = rep)
  st <- unique(d$study)
  rob <- lapply(1:4, function(r) {
    stats::setNames(rep(c("low", "some", "high"), length.out = length(st))[(seq_along(st) + r) %%
                                                                        length(st) + 1], st)
  })
  ns <- node_split(b)
  expect_identical(names(ns)[1], "rep")
  expect_identical(unique(ns$rep), 1:4)
  expect_loop_identical(ns, d, function(f, r) tidy(node_split(f)))
  expect_loop_identical(node_split(b, method = "separate", model = "common"), d,
                        function(f, r) tidy(node_split(f, method = "separate", model = "common")))
  expect_loop_identical(inconsistency(b), d, function(f, r) tidy(inconsistency(f)))
  expect_loop_identical(leave_one_out(b), d,
                        function(f, r) quiet(leave_one_out(f))$studies)
  expect_loop_identical(contributions(b, comparisons = "T2 vs T1"), d,
                        function(f, r) tidy(contributions(f, comparisons = "T2 vs T1")))
  expect_loop_identical(confidence(b, per_network(rob), margin = 0.2), d,
                        function(f, r) tidy(confidence(f, rob[[r]], margin = 0.2)))
  # named by the by values, in another order: the same
  expect_identical(confidence(b, per_network(rev(stats::setNames(rob, 1:4))), margin = 0.2),
                   confidence(b, per_network(rob), margin = 0.2))
  expect_loop_identical(rank_treatments(b, method = "sucra", n_sim = 200, seed = 3), d,
                        function(f, r) tidy(rank_treatments(f, method = "sucra", n_sim = 200,
                                                            seed = 3)))
  expect_loop_identical(direct_estimates(b, model = "common"), d,
                        function(f, r) direct_estimates(f, model = "common"))
  expect_loop_identical(league_table(b), d, function(f, r) tidy(league_table(f)))
})

test_that("confidence() on a collection judges the rows of all networks at once, as the loop does", {
  d <- verb_batch_data(5)
  b <- nma(d, by = rep)
  st <- unique(d$study)
  judged <- function(levels, r) {
    stats::setNames(rep(levels, length.out = length(st))[(seq_along(st) * r) %% length(st) + 1], st)
  }
  rob <- lapply(1:5, function(r) judged(c("low", "some", "high", "low"), r))
  ind <- lapply(1:5, function(r) judged(c("high", "low"), r + 1))
  # the rules of the CINeMA software (numbers written per network), with
  # indirectness, under each rule
  for (rule in c("majority", "highest", "average")) {
    expect_loop_identical(
      confidence(b, per_network(rob), indirectness = per_network(ind), margin = c(-0.1, 0.3),
                 rule = rule, rules = "cinema"), d,
      function(f, r) tidy(confidence(f, rob[[r]], indirectness = ind[[r]], margin = c(-0.1, 0.3),
                                     rule = rule, rules = "cinema")))
  }
  expect_loop_identical(
    confidence(b, per_network(rob), margin = 0.3, model = "common", rule = "highest",
               reporting_bias = "egger", min_studies_egger = 3, robustness = TRUE), d,
    function(f, r) tidy(confidence(f, rob[[r]], margin = 0.3, model = "common", rule = "highest",
                                   reporting_bias = "egger", min_studies_egger = 3,
                                   robustness = TRUE)))
  # settings that differ between networks (the margin), overrides and
  # reporting-bias judgements of some networks only, chosen comparisons
  margins <- c(0.1, 0.5, 0.1, 0.2, 0.5)
  ov <- data.frame(treat1 = "T3", treat2 = "T1", domain = c("imprecision", "confidence"),
                   judgement = c("major concerns", "very low"), reason = "a reviewer's call")
  ovs <- list(NULL, ov, NULL, ov, NULL)
  reps <- list(NULL, NULL, c(`T2 vs T1` = "suspected"), NULL, c(`T1 vs T3` = "undetected"))
  cmp <- c("T2 vs T1", "T3 vs T1", "T4 vs T3")
  cf <- confidence(b, per_network(rob), margin = per_network(margins), override = per_network(ovs),
                   reporting_bias = per_network(reps), comparisons = cmp)
  expect_loop_identical(cf, d, function(f, r) {
    tidy(confidence(f, rob[[r]], margin = margins[r], override = ovs[[r]],
                    reporting_bias = reps[[r]], comparisons = cmp))
  })
  expect_identical(cf$overridden[cf$rep == 2 & cf$term == "T3 vs T1"], "imprecision, confidence")
  # indirectness assessed for some networks only (not the first)
  some_ind <- list(NULL, ind[[2]], NULL, ind[[4]], ind[[5]])
  expect_loop_identical(confidence(b, per_network(rob), indirectness = per_network(some_ind),
                                   margin = 0.2, rule = "average"), d,
                        function(f, r) tidy(confidence(f, rob[[r]], indirectness = some_ind[[r]],
                                                       margin = 0.2, rule = "average")))
  # read back (the networks rebuilt for the call): the same table
  back <- unserialize(serialize(b, NULL))
  expect_identical(confidence(back, per_network(rob), margin = 0.2),
                   confidence(b, per_network(rob), margin = 0.2))
})

test_that("confidence() on a collection keeps the networks whose judgements are wrong out, and says why", {
  d <- verb_batch_data(4)
  b <- nma(d, by = rep)
  st <- unique(d$study)
  rob <- lapply(1:4, function(r) stats::setNames(rep(c("low", "high"), length.out = length(st)), st))
  rob[[3]] <- rob[[3]][-1]
  rob[[2]][2] <- "dubious"
  expect_warning(cf <- confidence(b, per_network(rob), margin = 0.2),
                 class = "fastnma_warning_batch")
  expect_identical(unique(cf$rep), c(1L, 4L))
  errs <- batch_errors(cf)
  expect_identical(errs$rep, 2:3)
  expect_identical(errs$class, rep("fastnma_error_judgement", 2))
  ok <- d[d$rep %in% c(1, 4), ]
  expect_identical(batch_table(cf), loop_table(ok, function(f, r) {
    tidy(confidence(f, rob[[r]], margin = 0.2))
  }))
  # the first network failing: the others are still rated, as in the loop
  rob1 <- rob[c(2, 1, 4, 3)]
  rob1[[2]] <- rob1[[3]]
  expect_warning(cf1 <- confidence(b, per_network(rob1), margin = 0.2),
                 class = "fastnma_warning_batch")
  expect_identical(batch_errors(cf1)$rep, c(1L, 4L))
  expect_identical(batch_table(cf1), loop_table(d[d$rep %in% 2:3, ], function(f, r) {
    tidy(confidence(f, rob1[[r]], margin = 0.2))
  }))
  # every network failing is one error listing them
  err <- expect_error(confidence(b[2:3], per_network(rob[2:3]), margin = 0.2),
                      class = "fastnma_error_batch")
  expect_identical(err$errors$class, rep("fastnma_error_judgement", 2))
  expect_error(confidence(b, margin = 0.2), class = "fastnma_error_batch")
})

test_that("component NMA and meta-regression run on a collection where the data carry them", {
  d <- do.call(rbind, lapply(1:3, function(r) {
    arm <- random_arm_network(4, 12, p_multi = 0.3, seed = 40 + r)
    arm$treatment <- c(T1 = "P", T2 = "A", T3 = "B", T4 = "A+B")[arm$treatment]
    cbind(as.data.frame(arm_contrasts(arm, measure = "MD")), rep = r)
  }))
  d$year <- match(d$study, unique(d$study)) %% 5
  b <- nma(d, by = rep, measure = "MD")
  cn <- quiet(component_nma(b, inactive = "P"))
  expect_identical(names(cn)[1], "rep")
  expect_loop_identical(cn, d, function(f, r) tidy(quiet(component_nma(f, inactive = "P"))))
  # the covariate as a column of the data: each network takes its own rows
  reg <- quiet(nma_regression(b, year))
  expect_loop_identical(reg, d, function(f, r) tidy(quiet(nma_regression(f, year))))
})

test_that("the networks of a collection are built once, by the core, and not again by its verbs", {
  builds <- function(expr) {
    network_builds_cpp(TRUE)
    force(expr)
    network_builds_cpp(FALSE)
  }
  d <- verb_batch_data(5)
  expect_identical(builds(b <- nma(d, by = rep)), 5)
  expect_identical(builds(b[[2]]), 0)
  expect_identical(builds(node_split(b)), 0)
  expect_identical(builds(inconsistency(b)), 0)
  st <- unique(d$study)
  expect_identical(builds(confidence(b, stats::setNames(rep("low", length(st)), st),
                                     margin = 0.2)), 0)
  # a member's network holds the structure the core built
  one <- nma(d[d$rep == 2, setdiff(names(d), "rep")])
  expect_equal(b[[2]]$network, one$network)
  # read back, each network is rebuilt once for the call, with the same table
  back <- unserialize(serialize(b, NULL))
  expect_identical(builds(ns_back <- node_split(back)), 5)
  expect_identical(ns_back, node_split(b))
})

test_that("a verb that fails on some networks keeps the others and lists the failures", {
  # network 2 has two treatments only: no decomposition of Q there
  two <- data.frame(study = c("a", "b", "c"), treat1 = "T2", treat2 = "T1",
                    estimate = c(0.1, 0.3, 0.2), std.error = c(0.2, 0.25, 0.3))
  d <- rbind(cbind(random_network(5, 10, seed = 9), rep = 1), cbind(two, rep = 2),
             cbind(random_network(5, 10, seed = 10), rep = 3))
  b <- quiet(nma(d, by = rep))
  expect_warning(inc <- inconsistency(b), class = "fastnma_warning_batch")
  expect_identical(unique(inc$rep), c(1, 3))
  errs <- batch_errors(inc)
  expect_identical(errs$rep, 2)
  expect_identical(errs$class, "fastnma_error_treatments")
  expect_identical(batch_errors(node_split(b)), batch_errors(b))
  # failing on every network is an error that lists them
  err <- expect_error(inconsistency(b[2]), class = "fastnma_error_batch")
  expect_identical(err$errors$class, "fastnma_error_treatments")
  expect_s3_class(err$parent, "fastnma_error_treatments")
})

test_that("per_network() must give one value per network; lean collections keep no fits", {
  d <- verb_batch_data(3)
  b <- nma(d, by = rep)
  st <- unique(d$study)
  rob <- stats::setNames(rep("low", length(st)), st)
  expect_error(confidence(b, per_network(list(rob, rob)), margin = 0.2),
               class = "fastnma_error_per_network")
  expect_error(confidence(b, per_network(list(`1` = rob, `7` = rob, `3` = rob)), margin = 0.2),
               class = "fastnma_error_per_network")
  expect_error(per_network(NULL), class = "fastnma_error_per_network")
  lean <- nma(d, by = rep, batch = batch_control(lean = TRUE))
  expect_error(node_split(lean), class = "fastnma_error_not_computed")
  # the collections of outcomes of nma_binary(by = ) still refuse the verbs
  by <- quiet(nma_binary(rbind(cbind(dong2013, o = "a"), cbind(dong2013, o = "b")),
                         measure = "OR", by = o))
  expect_error(node_split(by), class = "fastnma_error_by_outcome")
  # verbs for one fit that a collection does not take still refuse it
  expect_error(threshold(b), class = "fastnma_error_by_outcome")
})

test_that("verbs on a collection fitted in parallel give the sequential tables", {
  skip_on_cran()
  d <- verb_batch_data(4)
  st <- unique(d$study)
  rob <- per_network(lapply(1:4, function(r) stats::setNames(rep(c("low", "high"), length.out = length(st)), st)))
  seq_b <- nma(d, by = rep)
  seq_ns <- node_split(seq_b)
  seq_cf <- confidence(seq_b, rob, margin = 0.2)
  old <- future::plan(future::multisession, workers = 2)
  on.exit(future::plan(old), add = TRUE)
  par_b <- nma(d, by = rep, batch = batch_control(parallel = TRUE))
  expect_identical(node_split(par_b), seq_ns)
  expect_identical(confidence(par_b, rob, margin = 0.2), seq_cf)
  # the rules of the CINeMA software, and a network whose judgements are wrong
  expect_identical(confidence(par_b, rob, margin = 0.2, rules = "cinema", rule = "highest"),
                   confidence(seq_b, rob, margin = 0.2, rules = "cinema", rule = "highest"))
  bad <- rob
  bad$values[[3]] <- bad$values[[3]][-1]
  expect_warning(seq_bad <- confidence(seq_b, bad, margin = 0.2), class = "fastnma_warning_batch")
  expect_warning(par_bad <- confidence(par_b, bad, margin = 0.2), class = "fastnma_warning_batch")
  expect_identical(par_bad, seq_bad)
  expect_identical(batch_errors(par_bad)$rep, 3L)
})

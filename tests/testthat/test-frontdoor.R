# The front door for netmeta users: missing outcomes (na = "drop"),
# netmeta's argument names, and the IRR and ROM measures, against a live
# meta::pairwise() on the same data.

quiet <- function(expr) suppressMessages(expr)

# Contrasts of `ours` (fastnma) and `theirs` (pairwise()) matched by study
# and unordered pair of treatments, `theirs` turned to our orientation.
match_pairs <- function(ours, theirs) {
  theirs <- as.data.frame(theirs)
  key <- function(s, a, b) paste(s, pmin(a, b), pmax(a, b), sep = "\r")
  k_ours <- key(ours$study, ours$treat1, ours$treat2)
  k_theirs <- key(as.character(theirs$studlab), theirs$treat1, theirs$treat2)
  m <- match(k_ours, k_theirs)
  flip <- ifelse(theirs$treat1[m] == ours$treat1, 1, -1)
  list(ours = ours, theirs = theirs, m = m, flip = flip,
       k_ours = k_ours, k_theirs = k_theirs)
}

# Linde2015 (netmeta) from wide to one row per arm.
linde_long <- function() {
  data(Linde2015, package = "netmeta", envir = environment())
  w <- Linde2015
  arms <- lapply(1:3, function(k) {
    data.frame(study = as.character(w$id), arm = k,
               treatment = as.character(w[[paste0("treatment", k)]]),
               n = w[[paste0("n", k)]], resp = w[[paste0("resp", k)]],
               stringsAsFactors = FALSE)
  })
  long <- do.call(rbind, arms)
  long <- long[!is.na(long$treatment) & nzchar(long$treatment), ]
  long[order(match(long$study, unique(w$id)), long$arm), ]
}

test_that("na = \"drop\" on Linde2015 reproduces pairwise() and lists every dropped arm", {
  skip_if_not_installed("netmeta")
  skip_if_not_installed("meta")
  long <- linde_long()
  miss <- is.na(long$resp)
  expect_gt(sum(miss), 0)
  # The default fails, with one "and" before the last study.
  err <- expect_error(arm_contrasts(long, study, treatment, events = resp, n = n,
                                    measure = "OR"),
                      class = "fastnma_error_missing")
  msg <- cli::ansi_strip(conditionMessage(err))
  expect_false(grepl("and \"and", msg, fixed = TRUE))
  expect_false(grepl("more\"", msg, fixed = TRUE))
  expect_match(msg, "na = \"drop\"", fixed = TRUE)

  expect_message(ac <- arm_contrasts(long, study, treatment, events = resp, n = n,
                                     measure = "OR", na = "drop"),
                 sprintf("Dropped %d arms with missing outcome values", sum(miss)))
  au <- zero_cell_audit(ac)
  dr <- au[au$action == "dropped: missing", ]
  # Every dropped arm is listed, with its treatment and column.
  expect_equal(nrow(dr), sum(miss))
  expect_setequal(paste(dr$study, sub("^treatment \"([^\"]+)\".*", "\\1", dr$reason)),
                  paste(long$study[miss], long$treatment[miss]))
  expect_true(all(grepl("column \"resp\"", dr$reason, fixed = TRUE)))
  # Studies left with fewer than two arms are excluded.
  arms_left <- table(long$study[!miss])
  short <- union(names(arms_left)[arms_left < 2], setdiff(unique(long$study), names(arms_left)))
  expect_setequal(au$study[au$action == "excluded"], short)
  expect_false(any(ac$study %in% short))

  data(Linde2015, package = "netmeta", envir = environment())
  pw <- suppressWarnings(meta::pairwise(
    treat = list(treatment1, treatment2, treatment3),
    event = list(resp1, resp2, resp3), n = list(n1, n2, n3),
    studlab = id, data = Linde2015, sm = "OR"))
  mp <- match_pairs(ac, pw)
  kept <- !is.na(mp$theirs$TE)
  # The contrasts that both keep are the same set, and agree.
  expect_setequal(mp$k_ours, mp$k_theirs[kept])
  expect_equal(ac$estimate, mp$flip * mp$theirs$TE[mp$m], tolerance = 1e-10)
  expect_equal(ac$std.error, mp$theirs$seTE[mp$m], tolerance = 1e-10)

  # And the network meta-analysis of what is left matches netmeta().
  fit <- nma(ac, tau2_method = "DL")
  # netmeta() prints the comparisons it leaves out (the NA rows).
  utils::capture.output(nm <- suppressWarnings(netmeta::netmeta(
    pw, common = TRUE, random = TRUE, method.tau = "DL")))
  trt <- rownames(nm$TE.random)
  th <- fit$random$theta[trt]
  expect_equal(unname(outer(th, th, "-")), unname(nm$TE.random), tolerance = 1e-6)
  expect_equal(fit$tau2, nm$tau^2, tolerance = 1e-6)
})

test_that("na = \"drop\" on continuous outcomes drops arms with any missing column", {
  d <- data.frame(study = c("a", "a", "a", "b", "b", "c", "c"),
                  treatment = c("A", "B", "C", "A", "B", "A", "C"),
                  n = c(10, 12, 11, 20, 21, 15, 16),
                  mean = c(1, 2, NA, 3, 4, 5, 6), sd = c(1, 1, 1, NA, 1, 1, 1))
  expect_error(arm_contrasts(d), class = "fastnma_error_missing")
  expect_message(ac <- arm_contrasts(d, na = "drop"), "Dropped 2 arms", class = "fastnma_zero_cells")
  au <- zero_cell_audit(ac)
  expect_equal(au$action, c("dropped: missing", "dropped: missing", "excluded"))
  expect_match(au$reason[1], "treatment \"C\": missing value in column \"mean\"", fixed = TRUE)
  expect_match(au$reason[2], "treatment \"A\": missing value in column \"sd\"", fixed = TRUE)
  expect_identical(au$study[3], "b")
  expect_identical(paste(ac$study, ac$treat1, ac$treat2), c("a A B", "c A C"))
  expect_equal(ac$estimate, c(-1, -1))
  # Every arm missing: a classed error, not an empty table.
  d$mean <- NA_real_
  expect_error(arm_contrasts(d, na = "drop"), class = "fastnma_error_missing")
  expect_error(arm_contrasts(d, na = "maybe"), class = "fastnma_error_choice")
})

test_that("netmeta's argument names get a classed error naming the fastnma argument", {
  b <- dong2013
  d <- quiet(arm_contrasts(dong2013, study, treatment, events = events, n = n, measure = "OR"))
  fit <- nma(d)
  cases <- list(
    list(quote(arm_contrasts(b, study, treatment, events = events, n = n, sm = "OR")), "sm", "measure"),
    list(quote(arm_contrasts(b, studlab = study, treatment = treatment, events = events, n = n, measure = "OR")), "studlab", "study"),
    list(quote(arm_contrasts(b, study, treat = treatment, events = events, n = n, measure = "OR")), "treat", "treatment"),
    list(quote(arm_contrasts(b, study, treatment, event = events, n = n, measure = "OR")), "event", "events"),
    list(quote(arm_contrasts(b, study, treatment, events = events, n = n, measure = "OR", incr = 0.1)), "incr", "zero_cells"),
    list(quote(nma(d, TE = estimate)), "TE", "estimate"),
    list(quote(nma(d, seTE = std.error)), "seTE", "std.error"),
    list(quote(nma(d, sm = "OR")), "sm", "measure"),
    list(quote(nma(d, reference.group = "Placebo")), "reference.group", "reference"),
    list(quote(nma(d, method.tau = "DL")), "method.tau", "tau2_method"),
    list(quote(nma(d, small.values = "undesirable")), "small.values", "small_values"),
    list(quote(nma(d, common = TRUE)), "common", "model"),
    list(quote(nma(d, random = FALSE)), "random", "model"),
    list(quote(nma(d, level.ma = 0.9)), "level.ma", "level"),
    list(quote(nma(d, studlab = study)), "studlab", "study"),
    list(quote(nma_binary(b, sm = "OR")), "sm", "measure"),
    list(quote(nma_binary(b, event = events)), "event", "events"),
    list(quote(nma_binary(b, treat = treatment)), "treat", "treatment"),
    list(quote(nma_binary(b, studlab = study)), "studlab", "study"),
    list(quote(rank_treatments(fit, small.values = "undesirable")), "small.values", "small_values"),
    list(quote(rank_treatments(fit, sm = "OR")), "sm", "measure"),
    list(quote(rank_treatments(fit, nsim = 100)), "nsim", "n_sim"),
    list(quote(rank_treatments(fit, common = TRUE)), "common", "model")
  )
  for (cs in cases) {
    err <- expect_error(eval(cs[[1]]), class = "fastnma_error_netmeta_argument",
                        info = deparse(cs[[1]]))
    expect_identical(err$argument, cs[[2]], info = deparse(cs[[1]]))
    expect_identical(err$use, cs[[3]], info = deparse(cs[[1]]))
    msg <- cli::ansi_strip(conditionMessage(err))
    expect_match(msg, paste0("`", cs[[3]], "`"), fixed = TRUE, info = deparse(cs[[1]]))
  }
  # One table, every name mapped to an argument the package has.
  tab <- fastnma:::netmeta_arguments
  expect_false(anyDuplicated(tab$netmeta) > 0)
  own <- unique(c(names(formals(nma)), names(formals(arm_contrasts)),
                  names(formals(nma_binary)), names(formals(rank_treatments))))
  expect_true(all(tab$fastnma %in% own))
  # Existing positional calls and fastnma names still work.
  ac2 <- quiet(arm_contrasts(b, study, treatment, n, events = events, measure = "OR"))
  expect_equal(ac2$estimate, d$estimate)
  expect_s3_class(rank_treatments(fit, "pscore", "common"), "data.frame")
})

test_that("forgetting measure with binary columns is a classed error", {
  err <- expect_error(arm_contrasts(dong2013, study, treatment, events = events, n = n),
                      class = "fastnma_error_measure")
  expect_match(conditionMessage(err), "measure = \"OR\"", fixed = TRUE)
})

# Rates: zero-event arms, a multi-arm study with a pair without events and a
# two-arm study without events.
rate_data <- data.frame(
  study = c("a", "a", "b", "b", "c", "c", "c", "d", "d", "e", "e", "e"),
  treatment = c("A", "B", "A", "C", "A", "B", "C", "B", "C", "C", "A", "B"),
  events = c(0, 3, 2, 5, 0, 0, 4, 0, 0, 7, 9, 12),
  time = c(100, 120, 50, 60, 30, 40, 50, 80, 90, 210.5, 190, 200.25),
  n = c(10, 12, 15, 14, 20, 20, 20, 30, 31, 40, 41, 42)
)

test_that("IRR contrasts equal pairwise(sm = \"IRR\") for every row", {
  skip_if_not_installed("netmeta")
  expect_message(ac <- arm_contrasts(rate_data, study, treatment, events = events,
                                     time = time, measure = "IRR"),
                 class = "fastnma_zero_cells")
  expect_identical(attr(ac, "measure"), "IRR")
  pw <- suppressWarnings(meta::pairwise(treat = treatment, event = events,
                                           time = time, studlab = study,
                                           data = rate_data, sm = "IRR"))
  mp <- match_pairs(ac, pw)
  kept <- !is.na(mp$theirs$TE)
  expect_setequal(mp$k_ours, mp$k_theirs[kept])
  expect_true(any(ac$events1 == 0 | ac$events2 == 0))
  expect_equal(ac$estimate, mp$flip * mp$theirs$TE[mp$m], tolerance = 1e-10)
  expect_equal(ac$std.error, mp$theirs$seTE[mp$m], tolerance = 1e-10)
  expect_equal(ac$time1, rate_data$time[match(paste(ac$study, ac$treat1),
                                              paste(rate_data$study, rate_data$treatment))])
  au <- zero_cell_audit(ac)
  # As pairwise(), studies without events in any arm are kept with the
  # increment; double_zero = "drop" leaves them out.
  expect_setequal(au$study[au$action == "corrected"], c("a", "c", "d"))
  expect_false(any(au$action == "excluded"))
  expect_true("d" %in% ac$study)
  ac_drop <- quiet(arm_contrasts(rate_data, measure = "IRR",
                                 zero_cells = zero_cell_policy(double_zero = "drop")))
  au_drop <- zero_cell_audit(ac_drop)
  expect_identical(au_drop$study[au_drop$action == "excluded"], "d")
  expect_identical(au_drop$study[au_drop$action == "pair kept"], "c")
  expect_false("d" %in% ac_drop$study)
  # An increment of its own, as pairwise(incr = ) does.
  ac2 <- quiet(arm_contrasts(rate_data, study, treatment, events = events, time = time,
                             measure = "IRR", zero_cells = zero_cell_policy(incr = 0.25)))
  pw2 <- suppressWarnings(meta::pairwise(treat = treatment, event = events,
                                            time = time, studlab = study,
                                            data = rate_data, sm = "IRR", incr = 0.25))
  mp2 <- match_pairs(ac2, pw2)
  expect_equal(ac2$estimate, mp2$flip * mp2$theirs$TE[mp2$m], tolerance = 1e-10)
  expect_equal(ac2$std.error, mp2$theirs$seTE[mp2$m], tolerance = 1e-10)

  # nma() fits the rate ratio as a ratio measure, as netmeta() does.
  fit <- nma(ac, tau2_method = "DL")
  expect_identical(fit$measure, "IRR")
  nm <- suppressWarnings(netmeta::netmeta(pw, common = TRUE, random = TRUE,
                                          method.tau = "DL"))
  trt <- rownames(nm$TE.common)
  th <- fit$common$theta[trt]
  expect_equal(unname(outer(th, th, "-")), unname(nm$TE.common), tolerance = 1e-6)
  td <- tidy(fit, exponentiate = TRUE)
  expect_true(all(td$estimate > 0))
})

test_that("IRR needs events and person-time that make sense", {
  d <- rate_data
  d$time[2] <- 0
  expect_error(arm_contrasts(d, measure = "IRR"), class = "fastnma_error_arm_data")
  d <- rate_data
  d$events[2] <- 2.5
  expect_error(arm_contrasts(d, measure = "IRR"), class = "fastnma_error_arm_data")
  expect_error(arm_contrasts(rate_data, measure = "IRR", time = nope), class = "fastnma_error_column")
  expect_error(arm_contrasts(rate_data, measure = "IRR",
                             zero_cells = zero_cell_policy(method = "tacc")),
               class = "fastnma_error_policy")
  # Without a correction a zero-event arm is not estimable: its study is left out.
  ac <- quiet(arm_contrasts(rate_data, measure = "IRR",
                            zero_cells = zero_cell_policy(method = "none")))
  expect_false(any(ac$study %in% c("a", "c", "d")))
  expect_true(all(is.finite(ac$estimate)))
  d <- rate_data
  d$time[3] <- NA
  expect_error(arm_contrasts(d, measure = "IRR"), class = "fastnma_error_missing")
  ac <- quiet(arm_contrasts(d, measure = "IRR", na = "drop"))
  expect_false("b" %in% ac$study)
})

rom_data <- data.frame(
  study = c("s1", "s1", "s2", "s2", "s2", "s3", "s3", "s4", "s4"),
  treatment = c("A", "B", "A", "B", "C", "C", "A", "B", "C"),
  n = c(20, 22, 30, 31, 29, 15, 16, 40, 38),
  mean = c(10.2, 8.1, 12.5, 9.9, 7.3, 6.6, 11.8, 9.1, 7.7),
  sd = c(2.1, 1.9, 3.2, 2.8, 2.2, 1.7, 2.9, 2.4, 2.0)
)

test_that("ROM contrasts equal pairwise(sm = \"ROM\") for every row", {
  skip_if_not_installed("netmeta")
  ac <- arm_contrasts(rom_data, measure = "ROM")
  pw <- suppressWarnings(meta::pairwise(treat = treatment, mean = mean, sd = sd,
                                           n = n, studlab = study, data = rom_data,
                                           sm = "ROM"))
  mp <- match_pairs(ac, pw)
  expect_equal(nrow(ac), nrow(mp$theirs))
  expect_false(anyNA(mp$m))
  expect_equal(ac$estimate, mp$flip * mp$theirs$TE[mp$m], tolerance = 1e-10)
  expect_equal(ac$std.error, mp$theirs$seTE[mp$m], tolerance = 1e-10)
  fit <- nma(ac, tau2_method = "DL")
  expect_identical(fit$measure, "ROM")
  nm <- suppressWarnings(netmeta::netmeta(pw, common = TRUE, random = TRUE,
                                          method.tau = "DL"))
  trt <- rownames(nm$TE.random)
  th <- fit$random$theta[trt]
  expect_equal(unname(outer(th, th, "-")), unname(nm$TE.random), tolerance = 1e-6)
})

test_that("ROM needs positive means", {
  d <- rom_data
  d$mean[4] <- -1
  err <- expect_error(arm_contrasts(d, measure = "ROM"), class = "fastnma_error_arm_data")
  expect_identical(err$study, "s2")
  d$mean[4] <- 0
  expect_error(arm_contrasts(d, measure = "ROM"), class = "fastnma_error_arm_data")
})

test_that("the core's rate and mean routines report what they cannot estimate", {
  r <- fastnma:::ratemean("IRR", c(0, 1, -1), c(10, 10, 10), c(0, 0, 0),
                          c(1, 1, 1), c(10, 0, 10), c(0, 0, 0))
  expect_identical(r$status, c(1L, 3L, 3L))
  expect_true(all(is.na(r$estimate)))
  r <- fastnma:::ratemean("ROM", c(2, -1), c(1, 1), c(10, 10), c(1, 1), c(1, 1), c(10, 10))
  expect_identical(r$status, c(0L, 2L))
  expect_equal(r$estimate[1], log(2))
  expect_equal(r$std.error[1], sqrt(1 / (10 * 4) + 1 / 10))
})

# netmeta's objects as input, and the way back out -------------------------

linde_pairwise <- function() {
  data(Linde2015, package = "netmeta", envir = environment())
  suppressWarnings(meta::pairwise(
    treat = list(treatment1, treatment2, treatment3),
    event = list(resp1, resp2, resp3), n = list(n1, n2, n3),
    studlab = id, data = Linde2015, sm = "OR"))
}

quiet_netmeta <- function(...) {
  utils::capture.output(nm <- suppressWarnings(netmeta::netmeta(...)))
  nm
}

# All-pairs effects and standard errors of `fit` in netmeta's treatment order.
expect_matches_netmeta <- function(fit, nm, tolerance = 1e-6) {
  trt <- rownames(nm$TE.common)
  for (model in c("common", "random")) {
    th <- fit[[model]]$theta[trt]
    V <- fit[[model]]$cov[trt, trt]
    se <- sqrt(outer(diag(V), diag(V), "+") - 2 * V)
    expect_equal(unname(outer(th, th, "-")), unname(nm[[paste0("TE.", model)]]),
                 tolerance = tolerance, info = model)
    expect_equal(unname(se[upper.tri(se)]),
                 unname(nm[[paste0("seTE.", model)]][upper.tri(se)]),
                 tolerance = tolerance, info = model)
  }
  expect_equal(fit$tau2, nm$tau^2, tolerance = tolerance)
  expect_equal(fit$Q, nm$Q, tolerance = tolerance)
}

test_that("nma() reads a pairwise table with the NA rows of pairwise(), as netmeta() does", {
  pw <- linde_pairwise()
  na_rows <- sum(is.na(pw$TE))
  expect_gt(na_rows, 0)
  w <- expect_warning(fit <- nma(pw, tau2_method = "DL"),
                      class = "fastnma_warning_netmeta_dropped")
  # every left-out row is named
  expect_length(w$studies, na_rows)
  expect_setequal(w$studies, as.character(pw$studlab[is.na(pw$TE)]))
  expect_identical(fit$measure, "OR")
  expect_identical(fit$reference, attr(pw, "reference.group"))
  nm <- quiet_netmeta(pw, method.tau = "DL")
  expect_identical(nm$reference.group, fit$reference)
  expect_matches_netmeta(fit, nm)
  # arguments of the call take precedence over the table's settings
  fit2 <- suppressWarnings(nma(pw, reference = "Placebo", tau2_method = "DL"))
  expect_identical(fit2$reference, "Placebo")
  expect_error(suppressWarnings(nma(pw, estimate = TE)), class = "fastnma_error_netmeta_object")
})

test_that("nma() on a netmeta fit uses its contrasts and settings and gives its numbers", {
  pw <- linde_pairwise()
  for (mt in c("DL", "REML", "ML")) {
    nm <- quiet_netmeta(pw, method.tau = mt, reference.group = "Placebo", level.ma = 0.9)
    fit <- suppressWarnings(nma(nm))
    expect_identical(fit$reference, "Placebo", info = mt)
    expect_identical(fit$tau2_method, mt, info = mt)
    expect_identical(fit$level, 0.9, info = mt)
    expect_matches_netmeta(fit, nm)
    td <- tidy(fit, model = "common", comparisons = "all")
    i <- match("TCA", rownames(nm$TE.common))
    j <- match("Placebo", rownames(nm$TE.common))
    row <- td[td$treat1 == "TCA" & td$treat2 == "Placebo", ]
    expect_equal(row$conf.low, nm$lower.common[i, j], tolerance = 1e-6, info = mt)
  }
  # a preset tau, one model shown
  nm <- quiet_netmeta(pw, tau.preset = 0.3, common = FALSE)
  expect_message(fit <- suppressWarnings(nma(nm)), class = "fastnma_message_netmeta")
  expect_identical(fit$tau2_method, "preset")
  expect_equal(fit$tau2, 0.09)
  trt <- rownames(nm$TE.random)
  td <- tidy(fit, model = "random", comparisons = "all")
  i <- match(td$treat1, trt)
  j <- match(td$treat2, trt)
  expect_equal(td$estimate, nm$TE.random[cbind(i, j)], tolerance = 1e-6)
  expect_equal(td$std.error, nm$seTE.random[cbind(i, j)], tolerance = 1e-6)
  expect_equal(td$conf.low, nm$lower.random[cbind(i, j)], tolerance = 1e-6)
  expect_equal(td$conf.high, nm$upper.random[cbind(i, j)], tolerance = 1e-6)
  # small.values travels
  nm <- quiet_netmeta(pw, small.values = "undesirable")
  expect_identical(suppressWarnings(nma(nm))$small_values, "undesirable")
  # a setting fastnma does not reproduce is a classed error that names it
  nm <- quiet_netmeta(pw, method.random.ci = "t-dist")
  err <- expect_error(suppressWarnings(nma(nm)), class = "fastnma_error_netmeta_object")
  expect_match(paste(err$settings), "t-dist", fixed = TRUE)
})

test_that("as.data.frame(format = \"netmeta\") round-trips through netmeta()", {
  skip_if_not_installed("netmeta")
  # a fit from our own contrasts
  ac <- quiet(arm_contrasts(dong2013, study, treatment, events = events, n = n,
                            measure = "OR"))
  fit <- nma(ac, tau2_method = "DL", reference = "Placebo")
  nmd <- as.data.frame(fit, format = "netmeta")
  expect_s3_class(nmd, "pairwise")
  expect_true(all(c("studlab", "treat1", "treat2", "TE", "seTE", "n1", "n2") %in% names(nmd)))
  expect_identical(attr(nmd, "sm"), "OR")
  nm <- quiet_netmeta(nmd, method.tau = "DL")
  expect_identical(nm$reference.group, "Placebo")
  expect_matches_netmeta(fit, nm)
  # a contrast table, arm data in netmeta's names
  cd <- as.data.frame(ac, format = "netmeta")
  expect_true(all(c("event1", "event2", "n1", "n2") %in% names(cd)))
  expect_equal(cd$TE, ac$estimate)
  expect_equal(cd$event1, ac$events1)
  nm2 <- quiet_netmeta(cd, method.tau = "DL", reference.group = "Placebo")
  expect_matches_netmeta(fit, nm2)
  # and back in again
  expect_matches_netmeta(nma(nm2), nm2)
  # the default keeps the table as it was
  expect_identical(attr(as.data.frame(ac), "measure"), "OR")
  expect_error(as.data.frame(ac, format = "stata"), class = "fastnma_error_choice")
})

test_that("wide arm-level data (netmeta's layout) give the contrasts of pairwise()", {
  data(Linde2015, package = "netmeta", envir = environment())
  arms <- arm_data_wide(Linde2015, treatment = c(treatment1, treatment2, treatment3),
                        study = id, n = c(n1, n2, n3), events = c(resp1, resp2, resp3))
  long <- linde_long()
  expect_identical(arms$study, long$study)
  expect_identical(arms$treatment, long$treatment)
  expect_identical(arms$events, long$resp)
  ac <- quiet(arm_contrasts(arms, measure = "OR", na = "drop"))
  pw <- linde_pairwise()
  mp <- match_pairs(ac, pw)
  expect_setequal(mp$k_ours, mp$k_theirs[!is.na(pw$TE)])
  expect_equal(ac$estimate, mp$flip * mp$theirs$TE[mp$m], tolerance = 1e-10)
  expect_equal(ac$std.error, mp$theirs$seTE[mp$m], tolerance = 1e-10)
  # strings work as well as names; mistakes are classed
  arms2 <- arm_data_wide(Linde2015, treatment = c("treatment1", "treatment2", "treatment3"),
                         study = "id", n = c("n1", "n2", "n3"))
  expect_identical(arms2$n, arms$n)
  expect_error(arm_data_wide(Linde2015, treatment = c(treatment1, treatment2),
                             study = id, n = c(n1, n2, n3)), class = "fastnma_error_column")
  expect_error(arm_data_wide(Linde2015, treatment = c(treatment1, nope), study = id),
               class = "fastnma_error_column")
  expect_error(arm_data_wide(Linde2015, treatment = c(treatment1, treatment2), study = id,
                             c(n1, n2)), class = "fastnma_error_column")
})

test_that("each netmeta habit of the issue gets a classed error naming the fastnma argument", {
  # the issue's list: forgetting measure with binary columns, sm = "OR",
  # event =, studlab =, reference.group, method.tau, small.values
  d <- quiet(arm_contrasts(dong2013, study, treatment, events = events, n = n, measure = "OR"))
  expect_error(arm_contrasts(dong2013, study, treatment, events = events, n = n),
               class = "fastnma_error_measure")
  habits <- list(
    sm = quote(arm_contrasts(dong2013, study, treatment, events = events, n = n, sm = "OR")),
    event = quote(arm_contrasts(dong2013, study, treatment, event = events, n = n, measure = "OR")),
    studlab = quote(arm_contrasts(dong2013, studlab = study, treatment = treatment, events = events, n = n, measure = "OR")),
    reference.group = quote(nma(d, reference.group = "Placebo")),
    method.tau = quote(nma(d, method.tau = "DL")),
    small.values = quote(nma(d, small.values = "undesirable"))
  )
  use <- c(sm = "measure", event = "events", studlab = "study", reference.group = "reference",
           method.tau = "tau2_method", small.values = "small_values")
  for (h in names(habits)) {
    err <- expect_error(eval(habits[[h]]), class = "fastnma_error_netmeta_argument", info = h)
    expect_identical(err$use, use[[h]], info = h)
    expect_match(cli::ansi_strip(conditionMessage(err)), use[[h]], fixed = TRUE, info = h)
  }
})

test_that("a pairwise table with the NA rows of double-zero studies is read, reported and fitted as netmeta does", {
  pw <- suppressWarnings(meta::pairwise(treat = treatment, event = events, n = n,
                                        studlab = study, data = dong2013, sm = "OR"))
  na <- is.na(pw$TE)
  expect_gt(sum(na), 0)
  # each NA row is a pair without events in either arm
  expect_true(all(pw$event1[na] == 0 & pw$event2[na] == 0))
  # multi-arm studies that lose some pairs: netmeta stops, and so does nma(),
  # with a classed error naming them
  expect_error(suppressWarnings(netmeta::netmeta(pw, method.tau = "DL")))
  err <- expect_error(suppressWarnings(nma(pw, tau2_method = "DL")),
                      class = "fastnma_error_netmeta_object")
  expect_true(all(err$studies %in% pw$studlab[na]))
  expect_match(conditionMessage(err), "allstudies = TRUE", fixed = TRUE)
  # without them: the NA rows of two-arm and wholly double-zero studies are
  # left out, listed, and the fit is netmeta's
  pw2 <- pw[!pw$studlab %in% err$studies, ]
  w <- expect_warning(fit <- nma(pw2, tau2_method = "DL", reference = "Placebo"),
                      class = "fastnma_warning_netmeta_dropped")
  expect_setequal(w$studies, as.character(pw2$studlab[is.na(pw2$TE)]))
  nm <- quiet_netmeta(pw2, method.tau = "DL", reference.group = "Placebo")
  expect_matches_netmeta(fit, nm)
})

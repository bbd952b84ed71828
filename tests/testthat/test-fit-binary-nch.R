# Non-central hypergeometric network meta-analysis (nma_binary(method = "NCH")).

nch_fit <- function(data, ...) suppressMessages(nma_binary(data, method = "NCH", ...))

# A network with a three-arm study, a zero arm inside a study with events,
# and a study without any event (no information).
nch_toy <- function() {
  data.frame(study = rep(c("s1", "s2", "s3", "s4", "s5"), c(3, 3, 2, 2, 2)),
             treatment = c("A", "B", "C", "A", "B", "C", "A", "B", "B", "C", "A", "C"),
             events = c(2, 5, 0, 1, 0, 3, 4, 6, 0, 0, 3, 8),
             n = c(50, 50, 50, 40, 40, 40, 30, 30, 20, 20, 25, 27))
}

# The exact conditional log-likelihood by enumerating every study's support
# (small studies only), for checking the compiled sums.
brute_loglik <- function(d, theta) {
  sum(vapply(split(d, d$study), function(s) {
    grid <- as.matrix(expand.grid(lapply(s$n, function(n) 0:n)))
    grid <- grid[rowSums(grid) == sum(s$events), , drop = FALSE]
    th <- theta[s$treatment]
    lw <- function(v) sum(lchoose(s$n, v) + v * th)
    lw(s$events) - log(sum(exp(apply(grid, 1, lw))))
  }, numeric(1)))
}

test_that("exact NCH: the estimates maximise the enumerated conditional likelihood", {
  d <- data.frame(study = rep(c("a", "b", "c", "d"), c(4, 3, 2, 2)),
                  treatment = c("A", "B", "C", "D", "A", "B", "C", "A", "B", "C", "D"),
                  events = c(2, 4, 1, 3, 1, 1, 3, 4, 6, 2, 5),
                  n = c(6, 7, 6, 5, 8, 7, 8, 9, 9, 10, 9))
  fit <- nch_fit(d)
  expect_s3_class(fit, c("nma_nch", "nma"))
  th <- c(A = 0, fit$common$theta[-1])
  ll <- function(p) brute_loglik(d, c(A = 0, p))
  p0 <- th[-1]
  expect_equal(fit$loglik_conditional, ll(p0), tolerance = 1e-10)
  # the score is zero and the information is minus the Hessian (central
  # differences, step 1e-4: truncation and rounding errors near 1e-8)
  h <- 1e-4
  q <- length(p0)
  e <- diag(h, q)
  grad <- vapply(seq_len(q), function(j) (ll(p0 + e[j, ]) - ll(p0 - e[j, ])) / (2 * h), 0)
  expect_lt(max(abs(grad)), 1e-6)
  hess <- matrix(0, q, q)
  for (j in seq_len(q)) for (k in seq_len(q)) {
    hess[j, k] <- (ll(p0 + e[j, ] + e[k, ]) - ll(p0 + e[j, ] - e[k, ]) -
                     ll(p0 - e[j, ] + e[k, ]) + ll(p0 - e[j, ] - e[k, ])) / (4 * h^2)
  }
  expect_equal(unname(fit$common$cov[-1, -1]), solve(-hess), tolerance = 1e-5)
})

test_that("exact NCH of one 2x2 table is the conditional MLE of fisher.test()", {
  d <- data.frame(study = "s", treatment = c("A", "B"), events = c(10, 30), n = c(40, 40))
  fit <- nch_fit(d)
  ft <- stats::fisher.test(matrix(c(30, 10, 10, 30), 2))
  # fisher.test() finds its estimate by uniroot() with its default
  # tolerance (about 1e-4 on the odds ratio), so it is as close as that
  expect_equal(unname(exp(fit$common$theta[["B"]])), unname(ft$estimate), tolerance = 5e-4)
  # the binomial approximation gives the log ratio of the event counts
  fb <- nch_fit(d, likelihood = "binomial")
  expect_equal(unname(fb$common$theta[["B"]]), log(3), tolerance = 1e-10)
  expect_equal(sqrt(fb$common$cov[["B", "B"]]), sqrt(1 / 10 + 1 / 30), tolerance = 1e-10)
})

nb_nch <- function(d, ref) {
  p <- meta::pairwise(treatment, events, n, studlab = study, data = d, sm = "OR")
  suppressWarnings(netmeta::netmetabin(p, method = "NCH", reference.group = ref))
}

test_that("live: likelihood = 'binomial' is the likelihood netmetabin(method = 'NCH') maximises, with the same studies", {
  skip_if_not_installed("netmeta")
  skip_if_not_installed("meta")
  env <- new.env()
  utils::data("Gurusamy2011", "Dogliotti2014", package = "netmeta", envir = env)
  two_arm <- data.frame(study = rep(c("t1", "t2", "t3", "t4", "t5"), each = 2),
                        treatment = c("A", "B", "B", "C", "A", "C", "A", "B", "A", "C"),
                        events = c(3, 7, 0, 4, 2, 9, 0, 0, 5, 0),
                        n = c(60, 60, 45, 45, 30, 32, 20, 20, 50, 51))
  nets <- list(
    list(d = nch_toy(), ref = "A"),
    list(d = two_arm, ref = "A"),
    list(d = dong2013, ref = "Placebo"),
    list(d = smokingcessation, ref = "A"),
    list(d = transform(env$Gurusamy2011, events = death)[c("study", "treatment", "events", "n")],
         ref = "Control/Placebo"),
    list(d = transform(env$Dogliotti2014, events = stroke, n = total)[
      c("study", "treatment", "events", "n")], ref = "Placebo/Control"))
  for (net in nets) {
    d <- net$d
    ref <- net$ref
    nb <- nb_nch(d, ref)
    fit <- nch_fit(d, likelihood = "binomial", reference = ref)
    td <- tidy(fit)
    expect_identical(fit$k, nb$k)
    expect_setequal(fit$treatments, rownames(nb$TE.common))
    # The same likelihood is a Poisson model with study fixed effects and
    # log(n) offsets: glm() run to full precision gives the same maximum.
    a <- fit$arm_data
    a$treatment <- stats::relevel(factor(a$treatment), ref)
    g <- stats::glm(events ~ factor(study) + treatment + offset(log(n)),
                    family = stats::poisson, data = a,
                    control = stats::glm.control(epsilon = 1e-14, maxit = 100))
    cg <- stats::coef(g)[paste0("treatment", td$treat1)]
    expect_equal(td$estimate, unname(cg), tolerance = 1e-8)
    se_g <- sqrt(diag(stats::vcov(g)))[paste0("treatment", td$treat1)]
    expect_equal(td$std.error, unname(se_g), tolerance = 1e-6)
    # netmetabin() stops its search short of this maximum: its estimates
    # have a lower log-likelihood, by less than 1e-4 on these networks (its
    # estimates then differ from the maximum by 1e-7 to 1e-3, largest along
    # the flat directions of Dogliotti2014), and its standard errors,
    # computed there, differ by less than 1e-4 (relative).
    ll <- function(th) {
      t <- c(stats::setNames(0, ref), th)[as.character(a$treatment)]
      lw <- log(a$n) + t
      sum(a$events * lw) - sum(vapply(split(seq_len(nrow(a)), a$study), function(i)
        sum(a$events[i]) * log(sum(exp(lw[i]))), 0))
    }
    ours <- ll(stats::setNames(td$estimate, td$treat1))
    theirs <- ll(nb$TE.common[td$treat1, ref])
    expect_gte(ours, theirs)
    expect_lt(ours - theirs, 1e-4)
    expect_equal(ours, fit$loglik_conditional, tolerance = 1e-10)
    expect_equal(td$std.error, unname(nb$seTE.common[td$treat1, ref]), tolerance = 1e-4)
  }
  # the double-zero studies carry no information
  audit <- zero_cell_audit(nch_fit(two_arm))
  expect_identical(audit$study[audit$action == "no information"], "t4")
  expect_match(audit$reason[audit$action == "no information"], "no correction applied")
})

test_that("the zero-cell audit lists studies without information and sets no correction", {
  expect_message(fit <- nma_binary(dong2013, method = "NCH"), "No information")
  audit <- zero_cell_audit(fit)
  expect_setequal(audit$study[audit$action == "no information"],
                  c("study5", "study25", "study37"))
  expect_identical(audit$study[audit$action == "excluded"], "study34")
  expect_false(any(audit$action == "corrected"))
  expect_identical(fit$k, 37L)
  expect_identical(fit$measure, "OR")
  expect_identical(fit$zero_cell_policy$method, "none")
})

test_that("NCH fits: common model only, odds ratio only, no correction, known options", {
  fit <- nch_fit(nch_toy())
  expect_error(tidy(fit, model = "random"), class = "fastnma_error_model")
  expect_error(nma_binary(nch_toy(), method = "NCH", measure = "RR"),
               class = "fastnma_error_measure")
  expect_error(nma_binary(nch_toy(), method = "NCH", zero_cells = zero_cell_policy()),
               class = "fastnma_error_policy")
  expect_error(nma_binary(nch_toy(), method = "NCH", tau2_method = "DL"),
               class = "fastnma_error_unknown_argument")
  expect_error(nma_binary(nch_toy(), method = "NCH", likelihood = "approx"),
               class = "fastnma_error_choice")
  expect_error(node_split(fit), class = "fastnma_error_not_supported")
  g <- glance(fit)
  expect_identical(g$method, "NCH")
  expect_equal(g$logLik, fit$loglik_conditional)
})

test_that("NCH: reference, order and row order do not change the fit", {
  d <- nch_toy()
  f1 <- nch_fit(d)
  f2 <- nch_fit(d[rev(seq_len(nrow(d))), ], reference = "C")
  t1 <- tidy(f1, comparisons = "all")
  t2 <- tidy(f2, comparisons = "all")
  key <- function(t) paste(pmin(t$treat1, t$treat2), pmax(t$treat1, t$treat2))
  sgn <- function(t) ifelse(t$treat1 > t$treat2, 1, -1)
  m <- match(key(t1), key(t2))
  expect_equal(t1$estimate * sgn(t1), t2$estimate[m] * sgn(t2)[m], tolerance = 1e-8)
  expect_equal(t1$std.error, t2$std.error[m], tolerance = 1e-8)
})

test_that("NCH: separated events, no information anywhere and disconnected networks are classed errors", {
  # B has the most events its study allows in both studies (none in A in s1,
  # every patient in s2): the conditional likelihood grows without bound
  sep <- data.frame(study = rep(c("s1", "s2"), each = 2), treatment = c("A", "B"),
                    events = c(0, 4, 5, 20), n = 20)
  expect_error(nch_fit(sep), class = "fastnma_error_numerical")
  # with no events in A at all, the design screen sets A aside first
  sep0 <- data.frame(study = rep(c("s1", "s2"), each = 2), treatment = c("A", "B"),
                     events = c(0, 4, 0, 3), n = 20)
  expect_error(nch_fit(sep0), class = "fastnma_error_empty")
  none <- data.frame(study = rep(c("s1", "s2"), each = 2), treatment = c("A", "B"),
                     events = 0, n = 20)
  expect_error(nch_fit(none), class = "fastnma_error_empty")
  disc <- data.frame(study = rep(c("s1", "s2"), each = 2), treatment = c("A", "B", "C", "D"),
                     events = c(1, 3, 2, 5), n = 20)
  expect_error(nch_fit(disc), class = "fastnma_error_disconnected")
})

# nmathresh::nma_thresh() fed with a fit's own estimates and covariances.
thresh_reference <- function(fit, level, model, rank = 1, mcid = 0) {
  th <- threshold(fit, level = level, model = model, rank = rank, mcid = mcid)
  trt <- fit$treatments
  ref <- match(fit$reference, trt)
  others <- setdiff(seq_along(trt), ref)
  code <- c(ref, others)
  tau2 <- if (model == "common") 0 else fit$tau2
  dp <- if (level == "study") fastnma:::threshold_study_points(fit, 0) else
    fastnma:::threshold_contrast_points(fit, model)
  N <- nrow(dp$points)
  # the data covariance: the likelihood of nmathresh (without tau^2)
  V <- diag(dp$points$std.error^2, N)
  for (b in dp$blocks) V[b$rows, b$rows] <- b$cov
  X <- matrix(0, N, length(others))
  for (r in seq_len(N)) {
    if (dp$points$i[r] != ref) X[r, match(dp$points$i[r], others)] <- 1
    if (dp$points$j[r] != ref) X[r, match(dp$points$j[r], others)] <- -1
  }
  Sigma <- fit[[model]]$cov[others, others]
  d <- unname(fit[[model]]$theta[others])
  opt_max <- identical(fit$small_values, "undesirable")
  args <- list(mean.dk = d, opt.max = opt_max, trt.rank = rank, trt.code = code,
               mcid = mcid, mcid.type = "change")
  if (level == "study" && model == "random" && tau2 > 0) {
    # the joint covariance of (d, delta) given tau^2 and a flat prior on d:
    # y ~ N(delta, V), delta ~ N(X d, tau^2 P)
    P <- diag(N)
    for (b in dp$blocks) P[b$rows, b$rows] <- (diag(length(b$rows)) + 1) / 2
    Ti <- solve(tau2 * P)
    prec <- rbind(cbind(t(X) %*% Ti %*% X, -t(X) %*% Ti),
                  cbind(-Ti %*% X, solve(V) + Ti))
    post <- solve(prec)
    # the estimates' block of the joint covariance is the fit's covariance
    expect_equal(post[seq_along(others), seq_along(others)], Sigma,
                 tolerance = 1e-8, ignore_attr = TRUE)
    args <- c(args, list(lhood = V, post = post, nmatype = "random"))
  } else {
    if (level == "contrast" && model == "random") diag(V) <- dp$points$std.error^2
    args <- c(args, list(lhood = V, post = Sigma, nmatype = "fixed", X = X))
  }
  nt <- suppressMessages(do.call(nmathresh::nma_thresh, args))
  list(ours = th, theirs = nt, code = code)
}

expect_same_thresholds <- function(r, fit) {
  th <- r$ours
  ref_t <- r$theirs$thresholds
  trt <- fit$treatments
  # nmathresh reports 1e15-size thresholds where a data point moves two
  # treatments alike up to rounding; fastnma reports no threshold there
  big <- function(x) ifelse(abs(x) > 1e8, sign(x) * Inf, x)
  expect_equal(th$threshold_lower, big(ref_t$lo), tolerance = 1e-8)
  expect_equal(th$threshold_upper, big(ref_t$hi), tolerance = 1e-8)
  new_lo <- ifelse(is.infinite(big(ref_t$lo)), NA, trt[suppressWarnings(as.integer(ref_t$lo.newkstar))])
  new_hi <- ifelse(is.infinite(big(ref_t$hi)), NA, trt[suppressWarnings(as.integer(ref_t$hi.newkstar))])
  expect_identical(th$new_lower, new_lo)
  expect_identical(th$new_upper, new_hi)
  expect_identical(attr(th, "chosen"), trt[r$theirs$kstar])
  expect_equal(unname(attr(th, "influence")[r$code[-1], ]), unname(r$theirs$H),
               tolerance = 1e-8)
  expect_equal(th$invariant_lower, th$estimate + th$threshold_lower)
}

test_that("threshold() equals nmathresh::nma_thresh() on Senn 2013 and smoking cessation", {
  skip_if_not_installed("nmathresh")
  fits <- list(
    senn = nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL"),
    smoke = nma(suppressMessages(arm_contrasts(smokingcessation, measure = "OR")),
                tau2_method = "REML", small_values = "undesirable"),
    franchini = diag_fit("Franchini2012_MD_contrasts.csv"))
  for (nm in names(fits)) for (level in c("study", "contrast")) for (model in c("common", "random")) {
    fit <- fits[[nm]]
    r <- thresh_reference(fit, level, model)
    expect_same_thresholds(r, fit)
    # the influence matrix reproduces the estimates from the data points
    if (level == "study") {
      H <- attr(r$ours, "influence")
      expect_equal(as.vector(H %*% r$ours$estimate), unname(fit[[model]]$theta),
                   tolerance = 1e-10)
    }
  }
  # another rank, and a minimal clinically important difference
  r <- thresh_reference(fits$smoke, "study", "random", rank = 2)
  expect_same_thresholds(r, fits$smoke)
  r <- thresh_reference(fits$senn, "contrast", "common", mcid = 0.1)
  expect_same_thresholds(r, fits$senn)
  r <- thresh_reference(fits$franchini, "study", "random", mcid = 0.5)
  expect_same_thresholds(r, fits$franchini)
})

test_that("threshold(): moving a data point to its threshold changes the decision", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  th <- threshold(fit, model = "common")
  i <- which(is.finite(th$threshold_upper))[1]
  d <- senn2013
  # the data point is a two-arm study: its single row, oriented as in th
  row <- which(d$study == th$study[i])
  sgn <- if (d$treat1[row] == th$treat1[i]) 1 else -1
  for (eps in c(-1e-6, 1e-6)) {
    d2 <- d
    d2$TE[row] <- d2$TE[row] + sgn * (th$threshold_upper[i] + eps)
    f2 <- nma(d2, TE, seTE, treat1, treat2, study, tau2_method = "DL", tau2 = fit$tau2)
    best <- names(which.min(f2$common$theta))
    expect_identical(best, if (eps < 0) attr(th, "chosen") else th$new_upper[i])
  }
})

test_that("threshold() checks its arguments and its fit", {
  fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
  expect_error(threshold(fit, rank = 0), class = "fastnma_error_rank")
  expect_error(threshold(fit, rank = 11), class = "fastnma_error_rank")
  expect_error(threshold(fit, mcid = -1), class = "fastnma_error_mcid")
  expect_error(threshold(fit, level = "arm"), class = "fastnma_error_choice")
  expect_error(threshold(senn2013), class = "fastnma_error_not_fit")
  g <- glance(threshold(fit))
  expect_identical(g$chosen, "rosi")
  expect_true(g$min_threshold > 0)
  tt <- tidy(threshold(fit, level = "contrast"))
  expect_identical(tt$term, paste(tt$treat1, "vs", tt$treat2))
})

test_that("the threshold rule reproduces nmathresh's worked thrombolytics example", {
  skip_if_not_installed("nmathresh")
  # the contrast-level example of nmathresh's vignette: posterior summaries
  # and covariance shipped with nmathresh, the likelihood reconstructed by
  # nmathresh::recon_vcov()
  K <- 6
  X <- matrix(ncol = K - 1, byrow = TRUE,
              c(1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0,
                0, -1, 1, 0, 0, 0, -1, 0, 1, 0, 0, -1, 0, 0, 1))
  post <- nmathresh::Thrombo.post.cov
  lik <- suppressMessages(nmathresh::recon_vcov(post, prior.prec = .0001, X = X))
  d <- nmathresh::Thrombo.post.summary$statistics[1:(K - 1), "Mean"]
  nt <- suppressMessages(nmathresh::nma_thresh(mean.dk = d, lhood = lik, post = post,
                                               nmatype = "fixed", X = X, opt.max = FALSE))
  H <- rbind(0, post %*% crossprod(X, solve(lik)))
  u <- fastnma:::threshold_limits(c(0, unname(d)), H, rank = 1, mcid = 0,
                                  small_values = "desirable")
  expect_identical(u$chosen, nt$kstar)
  expect_equal(u$threshold_lower, nt$thresholds$lo, tolerance = 1e-8)
  expect_equal(u$threshold_upper, nt$thresholds$hi, tolerance = 1e-8)
  expect_identical(as.character(u$new_lower), nt$thresholds$lo.newkstar)
  expect_identical(as.character(ifelse(is.na(u$new_upper), "NA", u$new_upper)),
                   nt$thresholds$hi.newkstar)
})

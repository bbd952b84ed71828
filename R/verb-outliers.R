#' Outlier and influence measures for every study
#'
#' `outliers()` computes, for every study of a network meta-analysis, the
#' outlier and influence measures of Petropoulou (2020) and Petropoulou et
#' al. (2021), the measures of `NMAoutlier::NMAoutlier.measures()`:
#'
#' * simple measures, from the fit itself: raw residuals \eqn{r = y -
#'   \hat y}, standardized residuals \eqn{\sqrt{w}\, r} (\eqn{w} the
#'   random-effects weight of the contrast, Rücker and Schwarzer's reduced
#'   weight in a multi-arm study), studentized residuals \eqn{\sqrt{w}\, r /
#'   \sqrt{1 - h}} (\eqn{h} the leverage, the diagonal of the hat matrix), the
#'   Mahalanobis distance (the contrast's part of the common-effect Q,
#'   \eqn{w_c (y - \hat y_c)^2}) and the leverage;
#' * deletion measures, from the network without the study, with
#'   \eqn{\tau^2} re-estimated by the fit's estimator (`tau2_deleted`, from
#'   [leave_one_out()]): the deleted raw residual \eqn{y - \hat y_{(-j)}},
#'   its standardized form \eqn{\sqrt{w^*} (y - \hat y_{(-j)})} with \eqn{w^* =
#'   1/(s^2 + \tau^2_{(-j)})}, the studentized deleted residual \eqn{(y -
#'   \hat y_{(-j)}) / \sqrt{s^2 + \tau^2 + h^* w^*}} (\eqn{h^*} the leverage
#'   of the study in its own weighted projection, `leverage_deleted`),
#'   Cook's distance \eqn{(d - d_{(-j)})^\top \Sigma^{-1} (d - d_{(-j)})},
#'   the covariance ratio \eqn{\det \Sigma_{(-j)} / \det \Sigma}, the
#'   relative change of \eqn{\tau^2} and of Q (`R_tau2`, `R_Q`, in percent)
#'   and DFBETAS per treatment, \eqn{(d - d_{(-j)}) \sqrt{\bar w^*}}.
#'
#' A multi-arm study's values are the means over its contrasts (the
#' convention of NMAoutlier); the contrast-level values are in
#' `contrasts`. Residuals are in the canonical orientation of the fit
#' (later vs earlier treatment).
#'
#' The simple measures come from one factorisation of the network's
#' Laplacian. The deletion measures change \eqn{\tau^2} with each study, so
#' the weights of every contrast change: for each study the reduced network
#' is solved again at its own \eqn{\tau^2} (the Laplacian is assembled from
#' the edges, O(contrasts + treatments^3) per study); \eqn{\tau^2} without
#' each study comes from [leave_one_out()] (exact refits on small networks
#' and for DL, low-rank updates otherwise).
#'
#' @param fit An object of class `nma`.
#' @param model `"random"` (the measures of NMAoutlier) or `"common"`
#'   (\eqn{\tau^2 = 0} throughout); the fit's default model when `NULL`.
#' @param ... Not used.
#' @return An object of class `nma_outliers`: a list with `studies` (one row
#'   per study: `study, raw_residual, std_residual, stud_residual,
#'   mahalanobis, leverage, tau2_deleted, raw_residual_deleted,
#'   std_residual_deleted, stud_residual_deleted, weight_deleted,
#'   leverage_deleted, cook_distance, cov_ratio, R_tau2, R_Q, disconnects`),
#'   `contrasts` (the same simple measures per contrast), `dfbetas` and
#'   `R_estimates` (study x treatment matrices, the treatments other than
#'   the reference) and the fit's `tau2`, `Q`, `model`, `reference`.
#' @references
#' Petropoulou M, Salanti G, Rücker G, Schwarzer G, Moustaki I, Mavridis D
#' (2021). A forward search algorithm for detecting extreme study effects in
#' network meta-analysis. *Statistics in Medicine* 40(25):5642-5656.
#' \doi{10.1002/sim.9145}
#' @seealso [forward_search()], [leave_one_out()]
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' out <- outliers(fit)
#' out
#' head(tidy(out))
#' @export
outliers <- function(fit, model = NULL, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_supports(fit, "outliers")
  model <- fit_model(fit, model)
  rd <- outlier_rows(fit)
  n <- length(fit$treatments)
  k <- length(fit$studies)
  tau2 <- model_tau2(fit, model)
  ref <- match(fit$reference, fit$treatments)
  others <- setdiff(seq_len(n), ref)
  # simple measures
  w_c <- reduced_weights(rd, 0)
  w <- if (tau2 > 0) reduced_weights(rd, tau2) else w_c
  fr <- network_solve(rd, w, n, ref)
  fc <- if (tau2 > 0) network_solve(rd, w_c, n, ref) else fr
  r <- rd$y - (fr$theta[rd$i] - fr$theta[rd$j])
  std <- sqrt(w) * r
  lev <- w * edge_var(fr$Lplus, rd$i, rd$j)
  # a contrast with leverage 1 (a bridge only it spans) has no studentized residual
  stud <- ifelse(lev < 1 - 1e-10, std / sqrt(pmax(1 - lev, 1e-300)), NA_real_)
  mah <- w_c * (rd$y - (fc$theta[rd$i] - fc$theta[rd$j]))^2
  by_study <- function(x) as.vector(rowsum(x, rd$s, reorder = TRUE)) / tabulate(rd$s, k)
  # deletion measures
  loo <- leave_one_out(fit, impact = FALSE, reestimate_tau2 = model == "random")
  tau2_del <- if (model == "random") loo$studies$tau2 else rep(0, k)
  Q_del <- loo$studies$Q
  # a study whose removal cuts the network has no deletion measures
  gone <- loo$studies$disconnects | is.nan(tau2_del)
  tau2_del[gone] <- NA_real_
  Q_del[gone] <- NA_real_
  disc <- loo$studies$disconnects
  Sigma <- fr$Lplus[others, others] - outer(fr$Lplus[others, ref], rep(1, length(others))) -
    outer(rep(1, length(others)), fr$Lplus[ref, others]) + fr$Lplus[ref, ref]
  Sigma_inv <- solve_or_abort(Sigma)
  det_full <- determinant(Sigma, logarithm = TRUE)$modulus
  b <- fr$theta[others]
  Q_full <- sum(mah)
  cols <- c("raw_residual_deleted", "std_residual_deleted", "stud_residual_deleted",
            "weight_deleted", "leverage_deleted", "cook_distance", "cov_ratio", "R_Q")
  del <- matrix(NA_real_, k, length(cols), dimnames = list(NULL, cols))
  dfb <- matrix(NA_real_, k, length(others))
  rest <- matrix(NA_real_, k, length(others))
  rows_of <- split(seq_along(rd$s), rd$s)
  w_cache <- new.env(parent = emptyenv())
  weights_at <- function(t2) {
    key <- format(t2, digits = 17)
    if (is.null(w_cache[[key]])) w_cache[[key]] <- reduced_weights(rd, t2)
    w_cache[[key]]
  }
  for (j in seq_len(k)) {
    if (disc[j] || is.na(tau2_del[j])) next
    rows <- rows_of[[j]]
    keep <- rep(TRUE, length(rd$s))
    keep[rows] <- FALSE
    wj <- weights_at(tau2_del[j])
    fj <- network_solve(rd, wj, n, ref, keep = keep)
    Qj <- Q_del[j]
    raw <- rd$y[rows] - (fj$theta[rd$i[rows]] - fj$theta[rd$j[rows]])
    wl <- 1 / (rd$v[rows] + tau2_del[j])
    Bi <- matrix(0, length(rows), n)
    Bi[cbind(seq_along(rows), rd$i[rows])] <- 1
    Bi[cbind(seq_along(rows), rd$j[rows])] <- -1
    # one contrast: the projection on its own design is the identity
    hii <- if (length(rows) == 1L) 1 else
      diag(Bi %*% pinv(crossprod(Bi * wl, Bi)) %*% t(Bi * wl))
    dj <- fj$theta[others]
    Sj <- fj$Lplus[others, others] - outer(fj$Lplus[others, ref], rep(1, length(others))) -
      outer(rep(1, length(others)), fj$Lplus[ref, others]) + fj$Lplus[ref, ref]
    diff <- b - dj
    del[j, ] <- c(mean(raw), mean(sqrt(wl) * raw),
                  mean(raw / sqrt(rd$v[rows] + tau2 + hii * wl)),
                  mean(wl), mean(hii),
                  sum(diff * (Sigma_inv %*% diff)),
                  exp(determinant(Sj, logarithm = TRUE)$modulus - det_full),
                  if (Q_full > 0) 100 * (Q_full - Qj) / Q_full else NA_real_)
    dfb[j, ] <- diff * sqrt(mean(wl))
    rest[j, ] <- 100 * diff / b
  }
  studies <- data.frame(
    study = fit$studies,
    raw_residual = by_study(r), std_residual = by_study(std), stud_residual = by_study(stud),
    mahalanobis = by_study(mah), leverage = by_study(lev),
    tau2_deleted = if (model == "random") tau2_del else 0,
    del,
    R_tau2 = if (model == "random" && tau2 > 0) 100 * (tau2 - tau2_del) / tau2 else NA_real_,
    disconnects = disc,
    stringsAsFactors = FALSE)
  trt <- fit$treatments
  contrasts <- data.frame(
    study = fit$studies[rd$s], treat1 = trt[rd$i], treat2 = trt[rd$j],
    estimate = rd$y, std.error = sqrt(rd$v), fitted = fr$theta[rd$i] - fr$theta[rd$j],
    raw_residual = r, std_residual = std, stud_residual = stud, mahalanobis = mah,
    leverage = lev, stringsAsFactors = FALSE)
  dimnames(dfb) <- dimnames(rest) <- list(fit$studies, trt[others])
  new_fastnma_result(list(studies = studies, contrasts = contrasts, dfbetas = dfb,
                          R_estimates = rest, tau2 = tau2, Q = Q_full, model = model,
                          tau2_method = fit$tau2_method, reference = fit$reference,
                          measure = fit$measure, model_label = fit_model_label(fit, model)),
                     "nma_outliers")
}

# The contrasts of a fit as integer-coded rows in the canonical orientation
# (later vs earlier treatment): study s, treatments i (later), j (earlier),
# estimate y, variance v.
outlier_rows <- function(fit, call = rlang::caller_env()) {
  net <- fit_network(fit, call = call)
  rank_of <- index_rank(fit)
  a <- net$codes$treat1
  b <- net$codes$treat2
  y <- net$data$estimate
  flip <- rank_of[a] < rank_of[b]
  y[flip] <- -y[flip]
  rd <- list(s = net$codes$study, i = ifelse(flip, b, a), j = ifelse(flip, a, b), y = y,
             v = net$data$std.error^2, n_rows = tabulate(net$codes$study, length(net$studies)))
  rd$plan <- weight_plan(rd)
  rd
}

# Inverse-variance weights of the contrasts at tau^2: 1 / (v + tau^2) for a
# two-arm study; in a multi-arm study the reduced weights of Rücker and
# Schwarzer (2014): minus the off-diagonal of the pseudoinverse of
# -P R P / 2, R the study's matrix of pair variances (+ tau^2), P the
# centring projection.
reduced_weights <- function(rd, tau2) {
  w <- 1 / (rd$v + tau2)
  plan <- rd$plan %||% weight_plan(rd)
  if (length(plan$m3)) {
    # three arms: the arm variances solve the three pair variances exactly,
    # and the weights are those of the star-mesh transform,
    # w_ab = (1 / s_a^2)(1 / s_b^2) / sum_c (1 / s_c^2) = s_c^2 / (s_a^2 s_b^2 + ...)
    v <- matrix(rd$v[plan$m3], nrow = 3L) + tau2
    # plan$opp[r, ]: the pair opposite the arm not in pair r (1..3): the arm
    # variance s_c of pair r's third arm is (v_ac + v_bc - v_ab) / 2
    vr <- function(r) v[cbind(plan$idx[r, ], seq_len(ncol(v)))]
    v1 <- vr(1L); v2 <- vr(2L); v3 <- vr(3L)
    # arm variances opposite each pair: s_(not in pair r)
    o1 <- (v2 + v3 - v1) / 2; o2 <- (v1 + v3 - v2) / 2; o3 <- (v1 + v2 - v3) / 2
    den <- o1 * o2 + o1 * o3 + o2 * o3
    w[plan$m3[cbind(plan$row[1L, ], seq_len(ncol(v)))]] <- o1 / den
    w[plan$m3[cbind(plan$row[2L, ], seq_len(ncol(v)))]] <- o2 / den
    w[plan$m3[cbind(plan$row[3L, ], seq_len(ncol(v)))]] <- o3 / den
  }
  multi <- plan$other
  for (st in multi) {
    rows <- which(rd$s == st)
    arms <- unique(c(rd$i[rows], rd$j[rows]))
    p <- length(arms)
    ia <- match(rd$i[rows], arms)
    ja <- match(rd$j[rows], arms)
    R <- matrix(0, p, p)
    R[cbind(ia, ja)] <- R[cbind(ja, ia)] <- rd$v[rows] + tau2
    P <- diag(p) - 1 / p
    Lp <- -P %*% R %*% P / 2
    L <- solve(Lp + 1 / p) - 1 / p
    w[rows] <- -L[cbind(ia, ja)]
  }
  w
}

# Solve the network with edge weights `w` (rows in `keep`): the Laplacian's
# pseudoinverse and the estimates with the reference at 0.
network_solve <- function(rd, w, n, ref, keep = NULL) {
  i <- rd$i
  j <- rd$j
  y <- rd$y
  if (!is.null(keep)) {
    w <- w[keep]; i <- i[keep]; j <- j[keep]; y <- y[keep]
  }
  L <- matrix(0, n, n)
  idx <- c(i + (i - 1) * n, j + (j - 1) * n, i + (j - 1) * n, j + (i - 1) * n)
  agg <- rowsum(c(w, w, -w, -w), idx, reorder = TRUE)
  L[sort(unique(idx))] <- agg
  Lplus <- abort_fastnma_on_error(solve(L + 1 / n) - 1 / n, c(
    "The network's linear system could not be solved.",
    "x" = "{reason}"
  ), "singular", call = NULL)
  g <- as.vector(rowsum(c(w * y, -w * y), c(i, j), reorder = TRUE))
  gv <- numeric(n)
  gv[sort(unique(c(i, j)))] <- g
  theta <- as.vector(Lplus %*% gv)
  list(theta = theta - theta[ref], Lplus = Lplus)
}

solve_or_abort <- function(a, b) {
  abort_fastnma_on_error(if (missing(b)) solve(a) else solve(a, b), c(
    "The covariance of the network estimates could not be inverted.",
    "x" = "{reason}"
  ), "singular", call = NULL)
}

# Var(theta_i - theta_j) from the Laplacian's pseudoinverse.
edge_var <- function(Lplus, i, j) {
  Lplus[cbind(i, i)] + Lplus[cbind(j, j)] - 2 * Lplus[cbind(i, j)]
}

pinv <- function(A, tol = 1e-10) {
  s <- svd(A)
  keep <- s$d > tol * max(s$d)
  s$v[, keep, drop = FALSE] %*% (t(s$u[, keep, drop = FALSE]) / s$d[keep])
}

#' @export
print.nma_outliers <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  cli::cat_line(cli::style_bold("Outlier and influence measures"),
                sprintf(" (%s; tau^2 = %s [%s])", x$model_label, format_num(x$tau2, 4),
                        x$tau2_method))
  s <- x$studies
  shown <- data.frame(
    study = s$study,
    std_res = format_num(s$std_residual, 2), stud_res = format_num(s$stud_residual, 2),
    leverage = format_num(s$leverage, 2), mahalanobis = format_num(s$mahalanobis, 2),
    stud_del = format_num(s$stud_residual_deleted, 2),
    cook = format_num(s$cook_distance, 2), cov_ratio = format_num(s$cov_ratio, 2),
    flag = ifelse(!is.na(s$stud_residual_deleted) & abs(s$stud_residual_deleted) > 2, "*", ""),
    stringsAsFactors = FALSE)
  print_columns(shown, left = c("study", "flag"))
  cat_note(
    "std_res, stud_res: standardized and studentized residuals; stud_del: studentized",
    "residual against the network without the study; cook: Cook's distance; cov_ratio:",
    "det(cov without the study) / det(cov). *: |stud_del| > 2.",
    "Multi-arm studies: means over their contrasts.")
  invisible(x)
}

#' @rdname outliers
#' @param x An object of class `nma_outliers`.
#' @return `tidy()`: the `studies` table as a tibble.
#' @method tidy nma_outliers
#' @export
tidy.nma_outliers <- function(x, ...) {
  netmeta_guard()
  tibble::as_tibble(x$studies)
}

#' @rdname outliers
#' @return `glance()`: one row: `k, tau2, Q, model`, the number of studies
#'   with an absolute studentized deleted residual above 2 (`n_outlying`)
#'   and the study with the largest Cook's distance (`max_cook_study`,
#'   `max_cook`).
#' @method glance nma_outliers
#' @export
glance.nma_outliers <- function(x, ...) {
  netmeta_guard()
  s <- x$studies
  mc <- largest_cook(s$cook_distance, s$study)
  tibble::tibble(k = nrow(s), tau2 = x$tau2, Q = x$Q, model = x$model,
                 n_outlying = sum(abs(s$stud_residual_deleted) > 2, na.rm = TRUE),
                 max_cook_study = mc$study, max_cook = mc$cook)
}

# The largest finite Cook's distance and the study it belongs to (NAs when
# none is finite).
largest_cook <- function(cook, study) {
  if (!any(is.finite(cook))) return(list(cook = NA_real_, study = NA_character_))
  i <- which.max(cook)
  list(cook = cook[i], study = study[i])
}

#' Forward search for outlying studies
#'
#' `forward_search()` runs the forward search of Petropoulou et al. (2021),
#' the algorithm of `NMAoutlier::NMAoutlier()`: it starts from an initial
#' subset of studies that is as free of outliers as can be found, and adds
#' the remaining studies one at a time, each time the study closest to the
#' random-effects network fitted to the studies already in (the smallest
#' absolute standardized residual, a multi-arm study by the mean over its
#' contrasts). Studies that enter last, and sharp changes of the monitored
#' statistics when they enter, point at outliers.
#'
#' The initial subset is `initial` when given; otherwise `n_candidates`
#' random subsets of `n_initial` studies (by default the larger of 20% of
#' the studies and the number of treatments), each holding every treatment
#' and connected, are fitted, and the one with the smallest median absolute
#' standardized residual is taken. The candidates are uniform draws of
#' `n_initial` studies kept when connected (as NMAoutlier); when 50 draws in
#' a row fail (large sparse networks), each candidate is instead built from
#' the studies in random order that join parts of the network, filled up at
#' random to `n_initial` (more when the network needs more to connect).
#'
#' Each step refits the network of the studies in (with \eqn{\tau^2}
#' re-estimated by the fit's estimator, so the weights of every contrast
#' change and no low-rank update applies): one call of the compiled fit per
#' step, on the integer codes of the fit's network, without re-validating
#' the data.
#'
#' Monitored at every step: \eqn{\tau^2}, Q (common effect) and its part
#' within designs, the random-effects estimates of every treatment against
#' the reference with their confidence limits, P-scores, the standardized
#' residuals of the studies in, Cook's distance between consecutive steps
#' \eqn{(d_j - d_{j-1})^\top \Sigma_j^{-1} (d_j - d_{j-1})} and the ratio of
#' the determinants of consecutive covariances.
#'
#' @param fit An object of class `nma`.
#' @param initial Study labels of the initial subset, or `NULL` to search
#'   for it.
#' @param n_initial The size of the initial subset searched for.
#' @param n_candidates The number of random candidate subsets.
#' @param seed A seed for the candidate subsets (`NULL`: R's random number
#'   generator as it stands; with a seed, R's generator is left as it was).
#' @param ... Not used.
#' @return An object of class `nma_forward`: a list with `entry` (one row per
#'   study: `study`, `step` at which it entered, 1 for the initial subset,
#'   and `order`, its position in the order of entry), `steps` (one row per
#'   step: `step, n_studies, entered, tau2, Q, Q_within, cook_distance,
#'   cov_ratio`), `estimates` (long: `step, treat1, treat2, estimate,
#'   conf.low, conf.high`), `pscores` (treatments x steps), `std_residuals`
#'   (studies x steps, `NA` for studies not yet in), and `initial`.
#' @references
#' Petropoulou M, Salanti G, Rücker G, Schwarzer G, Moustaki I, Mavridis D
#' (2021). A forward search algorithm for detecting extreme study effects in
#' network meta-analysis. *Statistics in Medicine* 40(25):5642-5656.
#' \doi{10.1002/sim.9145}
#' @seealso [outliers()]
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' fs <- forward_search(fit, seed = 1)
#' fs
#' @export
forward_search <- function(fit, initial = NULL, n_initial = NULL, n_candidates = 100,
                           seed = NULL, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_supports(fit, "forward_search")
  forward_search_run(fit, initial, n_initial, n_candidates, seed)
}

# The search itself. `candidate_tau2` maps the basic set's tau^2 to the one
# in the weights of the candidates' standardized residuals: the identity
# here; NMAoutlier 0.2.1 squares it (its weight helper takes tau and is
# given tau^2), which the tests emulate to show that everything else agrees.
forward_search_run <- function(fit, initial, n_initial, n_candidates, seed,
                               candidate_tau2 = identity) {
  rd <- outlier_rows(fit)
  n <- length(fit$treatments)
  k <- length(fit$studies)
  ref <- match(fit$reference, fit$treatments)
  others <- setdiff(seq_len(n), ref)
  z <- stats::qnorm(1 - (1 - fit$level) / 2)
  step_fit <- function(in_study) {
    keep <- in_study[rd$s]
    r <- fs_subset_fit(fit, keep)
    w <- reduced_weights(subset_rows(rd, keep), r$tau2)
    list(fit = r, keep = keep, w = w)
  }
  std_res_of <- function(theta, rows, w) {
    res <- sqrt(w) * (rd$y[rows] - (theta[rd$i[rows]] - theta[rd$j[rows]]))
    s <- rd$s[rows]
    as.vector(rowsum(res, s, reorder = TRUE)) / as.vector(table(s))
  }
  if (is.null(initial)) {
    if (is.null(n_initial)) n_initial <- max(round(0.2 * k), n)
    if (!is_whole(n_initial) || n_initial < n || n_initial > k) {
      abort_fastnma(c(
        "{.arg n_initial} must be a whole number from the number of treatments ({n}) to the number of studies ({k}).",
        "x" = "It is {.val {n_initial}}."
      ), "initial_subset")
    }
    if (!is_whole(n_candidates) || n_candidates < 1) {
      abort_fastnma("{.arg n_candidates} must be a positive whole number.", "initial_subset")
    }
    draw <- function() forward_initial(fit, rd, n, k, n_initial, n_candidates, step_fit, std_res_of)
    if (!is.null(seed) && (!is.numeric(seed) || length(seed) != 1L || !is.finite(seed))) {
      abort_fastnma("{.arg seed} must be a single finite number.", "seed")
    }
    init <- if (is.null(seed)) draw() else with_seed(seed, draw())
  } else {
    init <- match(as.character(initial), fit$studies)
    if (anyNA(init) || anyDuplicated(init)) {
      abort_fastnma(c(
        "{.arg initial} must name distinct studies of the fit.",
        "x" = "Not studies of the fit (or repeated): {.val {unique(as.character(initial)[is.na(init) | duplicated(init)])}}."
      ), "initial_subset")
    }
    in0 <- seq_len(k) %in% init
    if (!subset_connected(rd, in0, n)) {
      abort_fastnma(c(
        "The initial subset must hold every treatment in one connected network.",
        "x" = "Studies {.val {as.character(initial)}} do not."
      ), "initial_subset")
    }
  }
  in_study <- seq_len(k) %in% init
  n_steps <- k - length(init) + 1L
  entered <- integer(n_steps)
  entry_step <- rep(NA_integer_, k)
  entry_step[init] <- 1L
  order_in <- init
  tau2 <- Q <- Qw <- cook <- ratio <- rep(NA_real_, n_steps)
  est <- lo <- hi <- matrix(NA_real_, length(others), n_steps)
  ps <- matrix(NA_real_, n, n_steps)
  stdres <- matrix(NA_real_, k, n_steps)
  prev <- NULL
  # the order in which candidates are compared (ties go to the first):
  # multi-arm studies first, then the others, each in the order of the data
  cand_order <- order(rd$n_rows == 1L, seq_len(k))
  good_small <- identical(fit$small_values %||% "desirable", "desirable")
  for (step in seq_len(n_steps)) {
    sf <- step_fit(in_study)
    r <- sf$fit
    rows <- which(sf$keep)
    theta <- r$theta_random - r$theta_random[ref]
    cov <- r$cov_random
    Sigma <- cov[others, others] - outer(cov[others, ref], rep(1, length(others))) -
      outer(rep(1, length(others)), cov[ref, others]) + cov[ref, ref]
    se <- sqrt(diag(Sigma))
    tau2[step] <- r$tau2
    Q[step] <- r$Q
    Qw[step] <- r$Q_within
    est[, step] <- theta[others]
    lo[, step] <- theta[others] - z * se
    hi[, step] <- theta[others] + z * se
    ps[, step] <- pscore_cpp(list(theta = theta, cov = cov), list(small_good = good_small))
    stdres[which(in_study), step] <- std_res_of(theta, rows, sf$w)
    if (!is.null(prev)) {
      dlt <- theta[others] - prev$theta
      cook[step] <- sum(dlt * solve_or_abort(Sigma, dlt))
      ratio[step] <- exp(determinant(Sigma)$modulus - determinant(prev$Sigma)$modulus)
    }
    prev <- list(theta = theta[others], Sigma = Sigma)
    if (step == n_steps) break
    out_rows <- which(!in_study[rd$s])
    w_out <- reduced_weights(subset_rows(rd, !in_study[rd$s]), candidate_tau2(r$tau2))
    res_out <- std_res_of(theta, out_rows, w_out)
    cand <- sort(unique(rd$s[out_rows]))
    pick <- cand_order[cand_order %in% cand]
    crit <- abs(res_out[match(pick, cand)])
    if (!any(is.finite(crit))) {
      abort_fastnma(c(
        "The standardized residuals of the studies not yet in the forward search are not finite.",
        "x" = "Step {step}: the network of the studies in has weights that overflow."
      ), "numerical", call = NULL)
    }
    crit[!is.finite(crit)] <- Inf
    pick <- pick[which.min(crit)]
    in_study[pick] <- TRUE
    entered[step + 1L] <- pick
    entry_step[pick] <- step + 1L
    order_in <- c(order_in, pick)
  }
  trt <- fit$treatments
  steps <- data.frame(step = seq_len(n_steps), n_studies = length(init) + seq_len(n_steps) - 1L,
                      entered = c(NA_character_, fit$studies[entered[-1L]]),
                      tau2 = tau2, Q = Q, Q_within = Qw, cook_distance = cook, cov_ratio = ratio,
                      stringsAsFactors = FALSE)
  estimates <- data.frame(step = rep(seq_len(n_steps), each = length(others)),
                          treat1 = trt[others], treat2 = fit$reference,
                          estimate = as.vector(est), conf.low = as.vector(lo),
                          conf.high = as.vector(hi), stringsAsFactors = FALSE)
  dimnames(ps) <- list(trt, NULL)
  dimnames(stdres) <- list(fit$studies, NULL)
  entry <- data.frame(study = fit$studies, step = entry_step,
                      order = match(seq_len(k), order_in), stringsAsFactors = FALSE)
  new_fastnma_result(list(entry = entry, steps = steps, estimates = estimates, pscores = ps,
                          std_residuals = stdres, initial = fit$studies[init],
                          reference = fit$reference, measure = fit$measure, level = fit$level,
                          tau2_method = fit$tau2_method),
                     "nma_forward")
}

# Which rows are the pairs of each three-arm study (columns of m3), computed
# once per network: the three pairs of a study are its three rows in any
# order; idx (= row) lists them, and the weight of pair r uses the arm
# variance of the arm outside pair r.
weight_plan <- function(rd) {
  multi <- which(rd$n_rows > 1L)
  three <- multi[rd$n_rows[multi] == 3L]
  m3 <- integer()
  idx <- row <- matrix(integer(), 3L, 0L)
  if (length(three)) {
    rows <- which(rd$s %in% three)
    rows <- rows[order(rd$s[rows])]
    m3 <- matrix(rows, nrow = 3L)
    idx <- row <- matrix(rep(1:3, ncol(m3)), nrow = 3L)
  }
  list(m3 = m3, idx = idx, row = row, other = setdiff(multi, three))
}

subset_rows <- function(rd, keep) {
  s <- rd$s[keep]
  list(s = s, i = rd$i[keep], j = rd$j[keep], y = rd$y[keep], v = rd$v[keep],
       n_rows = tabulate(s, max(rd$s)))  # no plan: made for the subset when needed
}

# The compiled fit of the contrasts in `keep` (every treatment present), on
# the integer codes of the fit's network.
fs_subset_fit <- function(fit, keep) {
  net <- fit$network
  s <- net$codes$study[keep]
  su <- sort(unique(s))
  # the subset as a network without a compiled handle: built for this call
  sub <- list(studies = su, treatments = net$treatments,
              codes = list(study = match(s, su), treat1 = net$codes$treat1[keep],
                           treat2 = net$codes$treat2[keep]),
              data = list(estimate = net$data$estimate[keep],
                          std.error = net$data$std.error[keep]),
              tol_multiarm = net$tol_multiarm)
  r <- nma_fit_cpp(sub, list(
    ref = match(fit$reference, net$treatments), method = fit$tau2_method,
    tol_tau2 = fit$control$tol_tau2,
    tau2_preset = if (identical(fit$tau2_method, "preset")) fit$tau2 else -1))
  if (r$status != 0L) {
    abort_fastnma("The network of a subset of studies could not be fitted.", "singular")
  }
  r
}

random_spanning_subset <- function(rd, n, k, size) {
  parent <- seq_len(n)
  find <- function(x) {
    while (parent[x] != x) x <- parent[x]
    x
  }
  rows_of <- split(seq_along(rd$s), rd$s)
  chosen <- rep(FALSE, k)
  for (st in sample.int(k)) {
    joins <- FALSE
    for (r in rows_of[[st]]) {
      a <- find(rd$i[r]); b <- find(rd$j[r])
      if (a != b) {
        parent[a] <- b
        joins <- TRUE
      }
    }
    chosen[st] <- joins
  }
  rest <- which(!chosen)
  extra <- size - sum(chosen)
  if (extra > 0L) chosen[rest[sample.int(length(rest), min(extra, length(rest)))]] <- TRUE
  chosen
}

subset_connected <- function(rd, in_study, n) {
  keep <- in_study[rd$s]
  if (!all(seq_len(n) %in% c(rd$i[keep], rd$j[keep]))) return(FALSE)
  parent <- seq_len(n)
  find <- function(x) {
    while (parent[x] != x) x <- parent[x]
    x
  }
  for (r in which(keep)) {
    a <- find(rd$i[r]); b <- find(rd$j[r])
    if (a != b) parent[a] <- b
  }
  length(unique(vapply(seq_len(n), find, integer(1)))) == 1L
}

forward_initial <- function(fit, rd, n, k, size, n_candidates, step_fit, std_res_of) {
  best <- NULL
  best_crit <- Inf
  uniform <- TRUE
  for (cnd in seq_len(n_candidates)) {
    in_study <- NULL
    # a uniform draw when such draws connect the network often enough ...
    for (try in seq_len(if (uniform) 50L else 0L)) {
      pick <- sample.int(k, size)
      cand <- seq_len(k) %in% pick
      if (subset_connected(rd, cand, n)) {
        in_study <- cand
        break
      }
    }
    # ... otherwise studies in random order that join parts of the network
    # (a random spanning set), filled up at random
    if (is.null(in_study)) {
      uniform <- FALSE
      in_study <- random_spanning_subset(rd, n, k, size)
    }
    pick <- which(in_study)
    sf <- step_fit(in_study)
    ref <- match(fit$reference, fit$treatments)
    theta <- sf$fit$theta_random - sf$fit$theta_random[ref]
    crit <- stats::median(abs(std_res_of(theta, which(sf$keep), sf$w)))
    if (is.finite(crit) && crit < best_crit) {
      best_crit <- crit
      best <- pick
    }
  }
  if (is.null(best)) {
    abort_fastnma(c(
      "No candidate initial subset has finite standardized residuals.",
      "i" = "Give the initial subset in {.arg initial}."
    ), "numerical", call = NULL)
  }
  best
}

#' @export
print.nma_forward <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  s <- x$steps
  cli::cat_line(cli::style_bold("Forward search"),
                sprintf(" (%d studies, %d in the initial subset; tau^2 by %s)",
                        nrow(x$entry), length(x$initial), x$tau2_method))
  last <- utils::tail(s[!is.na(s$entered), ], 10L)
  shown <- data.frame(step = last$step, entered = last$entered,
                      tau2 = format_num(last$tau2, 4), Q = format_num(last$Q, 2),
                      cook = format_num(last$cook_distance, 3),
                      cov_ratio = format_num(last$cov_ratio, 3),
                      stringsAsFactors = FALSE)
  if (nrow(shown)) {
    cli::cat_line("The last studies to enter:")
    print_columns(shown, left = "entered")
  }
  cat_note(
    "Studies that enter last, with jumps of tau^2, Q or Cook's distance as they enter,",
    "are candidate outliers. autoplot() draws the monitoring plots.")
  invisible(x)
}

#' @rdname forward_search
#' @param x An object of class `nma_forward`.
#' @return `tidy()`: the `steps` table as a tibble.
#' @method tidy nma_forward
#' @export
tidy.nma_forward <- function(x, ...) {
  netmeta_guard()
  tibble::as_tibble(x$steps)
}

#' @rdname forward_search
#' @return `glance()`: one row: `k`, `n_initial`, `n_steps`, the last study
#'   to enter (`last_entered`) and the largest Cook's distance of a step
#'   (`max_cook`) with the study that entered there (`max_cook_study`).
#' @method glance nma_forward
#' @export
glance.nma_forward <- function(x, ...) {
  netmeta_guard()
  s <- x$steps
  mc <- largest_cook(s$cook_distance, s$entered)
  tibble::tibble(k = nrow(x$entry), n_initial = length(x$initial), n_steps = nrow(s),
                 last_entered = if (nrow(s) > 1L) s$entered[nrow(s)] else NA_character_,
                 max_cook = mc$cook, max_cook_study = mc$study)
}

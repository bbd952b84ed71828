#' Threshold analysis: how much the evidence must change to change the decision
#'
#' `threshold()` asks, for every data point of a network meta-analysis, how
#' far its estimate could move (every other data point held fixed) before the
#' decision changes: the best treatment (or the treatment at rank `rank`)
#' is no longer the one the network picks. It is the threshold analysis of
#' Phillippo et al. (2018, 2019) computed from the frequentist fit.
#'
#' The network estimates \eqn{d} (each treatment against the reference) are
#' linear in the data \eqn{y}: \eqn{d = H y} with the influence matrix
#' \eqn{H = \Sigma X^\top W}, \eqn{\Sigma} the covariance of \eqn{d},
#' \eqn{X} the design and \eqn{W} the inverse covariance of the data
#' (\eqn{V} for the common-effect model, \eqn{V + \tau^2 P} for the random
#' effects model, \eqn{\tau^2} held at the fit's value). Moving data point
#' \eqn{m} by \eqn{u} moves the difference between the chosen treatment
#' \eqn{k^*} and treatment \eqn{k} by \eqn{u (h_{km} - h_{k^*m})}; the
#' threshold for the pair is the \eqn{u} at which that difference reaches
#' zero (or, with `mcid > 0`, reaches the minimal clinically important
#' difference in favour of \eqn{k}). The upper threshold of the data point is
#' the smallest positive of these over \eqn{k}, the lower threshold the
#' largest negative one; the treatment that takes over at each limit is
#' reported. The invariant interval is the estimate plus the two thresholds:
#' within it the decision does not change.
#'
#' * `level = "study"`: the data points are the study contrasts, each study
#'   with \eqn{p} arms giving \eqn{p - 1} contrasts against its first arm in
#'   the fit's treatment order (their covariance from the variances of all
#'   pairs of the study, \eqn{\mathrm{cov}(y_{ab}, y_{ac}) = (v_{ab} +
#'   v_{ac} - v_{bc})/2}).
#' * `level = "contrast"`: the data points are the direct (pairwise pooled)
#'   estimates of each compared pair, [direct_estimates()], with their
#'   variances, as in the contrast-level analysis of Phillippo et al.
#'   (2018): \eqn{H = \Sigma X_c^\top D^{-1}} with \eqn{D} diagonal. In a
#'   network of two-arm studies this is exact (it is the effect of a bias
#'   shared by every study of the pair); with multi-arm studies the direct
#'   estimates are correlated and it is the approximation of the paper.
#'
#' The numbers equal those of `nmathresh::nma_thresh()` fed with the fit's
#' estimates, covariance and data covariance (tested).
#'
#' @param fit An object of class `nma`.
#' @param level `"study"` (default) or `"contrast"`.
#' @param model `"random"` or `"common"`; the fit's default model when
#'   `NULL`.
#' @param rank The rank of the treatment whose position is at stake: 1
#'   (default) for the best treatment.
#' @param mcid A minimal clinically important difference (on the analysis
#'   scale, so log scale for ratio measures): the decision changes only when
#'   another treatment becomes better than the chosen one by at least `mcid`
#'   (`mcid.type = "change"` of nmathresh).
#' @param small_values `"desirable"` or `"undesirable"`: which end of the
#'   scale is best; the fit's `small_values` by default.
#' @param ... Not used.
#' @return An object of class `nma_threshold`: a data frame with one row per
#'   data point: `study` (`NA` at the contrast level), `treat1, treat2`
#'   (the data point is the effect of `treat1` relative to `treat2`),
#'   `estimate, std.error`, the thresholds `threshold_lower, threshold_upper` (changes of the
#'   estimate; `-Inf`/`Inf` when no change in that direction alters the
#'   decision), the treatments `new_lower, new_upper` that take the place of
#'   the chosen treatment at each limit, and the invariant interval
#'   `invariant_lower, invariant_upper`. `min_threshold_se` is the smaller
#'   absolute threshold in standard errors of the data point (how close the
#'   data point is to changing the decision). Attributes: `chosen` (the
#'   treatment at stake), `influence` (the matrix \eqn{H}, treatments x data
#'   points), `estimates` (the network estimates), `level`, `model`, `rank`,
#'   `mcid`, `small_values`, `measure`, `conf.level`.
#' @references
#' Phillippo DM, Dias S, Ades AE, Didelez V, Welton NJ (2018). Sensitivity of
#' treatment recommendations to bias in network meta-analysis. *Journal of
#' the Royal Statistical Society A* 181(3):843-867.
#' \doi{10.1111/rssa.12341}
#'
#' Phillippo DM, Dias S, Welton NJ, Caldwell DM, Taske N, Ades AE (2019).
#' Threshold analysis as an alternative to GRADE for assessing confidence in
#' guideline recommendations based on network meta-analyses. *Annals of
#' Internal Medicine* 170(8):538-546. \doi{10.7326/M18-3542}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' th <- threshold(fit)
#' th
#' threshold(fit, level = "contrast", model = "common")
#' @export
threshold <- function(fit, level = c("study", "contrast"), model = NULL, rank = 1,
                      mcid = 0, small_values = NULL, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_supports(fit, "threshold")
  level <- check_choice(if (missing(level)) "study" else level, c("study", "contrast"), "level")
  model <- fit_model(fit, model)
  n <- length(fit$treatments)
  if (!is.numeric(rank) || length(rank) != 1L || is.na(rank) || rank != round(rank) ||
      rank < 1 || rank > n) {
    abort_fastnma(c(
      "{.arg rank} must be a whole number from 1 to the number of treatments ({n}).",
      "x" = "It is {.val {rank}}."
    ), "rank")
  }
  if (!is.numeric(mcid) || length(mcid) != 1L || is.na(mcid) || mcid < 0 || !is.finite(mcid)) {
    abort_fastnma(c(
      "{.arg mcid} must be one non-negative number (on the analysis scale).",
      "x" = "It is {.val {mcid}}."
    ), "mcid")
  }
  small_values <- check_small_values(small_values, default = fit$small_values %||% "desirable")
  tau2 <- model_tau2(fit, model)
  trt <- fit$treatments
  ref <- match(fit$reference, trt)
  others <- setdiff(seq_len(n), ref)
  est <- fit[[model]]$theta
  Sigma <- fit[[model]]$cov[others, others, drop = FALSE]
  dp <- if (level == "study") threshold_study_points(fit, tau2) else
    threshold_contrast_points(fit, model)
  # X: data points x basic parameters (treatments other than the reference)
  N <- nrow(dp$points)
  pos <- match(seq_len(n), others)
  X <- matrix(0, N, length(others))
  i1 <- pos[dp$points$i]
  i2 <- pos[dp$points$j]
  X[cbind(seq_len(N), i1)[!is.na(i1), , drop = FALSE]] <- 1
  X[cbind(seq_len(N), i2)[!is.na(i2), , drop = FALSE]] <- -1
  # W X, block by block (the inverse covariance of the data is block diagonal)
  WX <- X * dp$weight
  for (b in dp$blocks) {
    WX[b$rows, ] <- solve(b$cov, X[b$rows, , drop = FALSE])
  }
  H <- Sigma %*% t(WX)
  # every treatment, the reference a row of zeros
  Hall <- matrix(0, n, N)
  Hall[others, ] <- H
  d <- unname(est)
  u <- threshold_limits(d, Hall, rank, mcid, small_values)
  pts <- dp$points
  se <- pts$std.error
  min_se <- pmin(abs(u$threshold_lower), abs(u$threshold_upper)) / se
  out <- data.frame(
    study = pts$study, treat1 = trt[pts$i], treat2 = trt[pts$j],
    estimate = pts$estimate, std.error = se,
    threshold_lower = u$threshold_lower, threshold_upper = u$threshold_upper,
    new_lower = trt[u$new_lower], new_upper = trt[u$new_upper],
    invariant_lower = pts$estimate + u$threshold_lower, invariant_upper = pts$estimate + u$threshold_upper,
    min_threshold_se = min_se,
    stringsAsFactors = FALSE)
  dimnames(Hall) <- list(trt, threshold_point_labels(out))
  new_fastnma_table(out, "nma_threshold",
            chosen = trt[u$chosen], influence = Hall, estimates = est,
            level = level, model = model, rank = as.integer(rank), mcid = mcid,
            small_values = small_values, measure = fit$measure, conf.level = fit$level,
            reference = fit$reference, model_label = fit_model_label(fit, model),
            tau2 = tau2)
}

threshold_point_labels <- function(x) {
  lab <- paste(x$treat1, "vs", x$treat2)
  if (all(is.na(x$study))) lab else paste0(x$study, ": ", lab)
}

# Thresholds of every data point from the estimates `d` (all treatments, the
# reference 0) and the influence `H` (treatments x data points).
threshold_limits <- function(d, H, rank, mcid, small_values) {
  n <- length(d)
  # which end is best: the chosen treatment is the one at `rank`
  ord <- order(d, decreasing = small_values == "undesirable")
  ks <- ord[rank]
  alt <- setdiff(seq_len(n), ks)
  cdiff <- d[alt] - d[ks]
  # u at which d_k - d_k* (+ u (h_k - h_k*)) reaches -sign(c) * mcid
  # (the other treatment overtakes by mcid)
  dh <- H[alt, , drop = FALSE] - matrix(H[ks, ], length(alt), ncol(H), byrow = TRUE)
  # a data point that moves both treatments alike (up to rounding) cannot
  # change their order: no threshold rather than one of 1e15
  dh[abs(dh) < 1e-10 * max(abs(H), 1)] <- 0
  U <- -(cdiff + sign(cdiff) * mcid) / dh
  U[!is.finite(U)] <- NA_real_
  pos <- U
  pos[!(pos > 0)] <- NA_real_
  neg <- U
  neg[!(neg < 0)] <- NA_real_
  pick <- function(M, fn) {
    ok <- colSums(!is.na(M)) > 0
    idx <- rep(NA_integer_, ncol(M))
    val <- rep(NA_real_, ncol(M))
    if (any(ok)) {
      idx[ok] <- apply(M[, ok, drop = FALSE], 2L, fn)
      val[ok] <- M[cbind(idx[ok], which(ok))]
    }
    list(idx = idx, val = val)
  }
  hi <- pick(pos, function(x) which.min(x))
  lo <- pick(neg, function(x) which.max(x))
  list(chosen = ks,
       threshold_upper = ifelse(is.na(hi$val), Inf, hi$val),
       threshold_lower = ifelse(is.na(lo$val), -Inf, lo$val),
       new_upper = alt[hi$idx], new_lower = alt[lo$idx])
}

# Study-level data points: each study's contrasts against its first arm in the
# fit's treatment order (reference first), with their covariance.
threshold_study_points <- function(fit, tau2, call = rlang::caller_env()) {
  net <- fit_network(fit, call = call)
  trt <- fit$treatments
  ref <- match(fit$reference, trt)
  rank_of <- order(c(ref, setdiff(seq_along(trt), ref)))  # position in canonical order
  s <- net$codes$study
  a <- net$codes$treat1
  b <- net$codes$treat2
  y <- net$data$estimate
  v <- net$data$std.error^2
  # orient every row as later vs earlier
  flip <- rank_of[a] < rank_of[b]
  y[flip] <- -y[flip]
  hi <- ifelse(flip, b, a)
  lo <- ifelse(flip, a, b)
  n_rows <- tabulate(s, length(net$studies))  # one row: a two-arm study
  two <- n_rows[s] == 1L
  rows2 <- which(two)
  pts <- data.frame(study = net$studies[s[rows2]], i = hi[rows2], j = lo[rows2],
                    estimate = y[rows2], std.error = sqrt(v[rows2]),
                    stringsAsFactors = FALSE)
  weight <- 1 / (v[rows2] + tau2)
  blocks <- list()
  multi <- which(n_rows > 1L)
  for (st in multi) {
    rr <- which(s == st)
    arms <- unique(c(hi[rr], lo[rr]))
    base <- arms[which.min(rank_of[arms])]
    rest <- arms[arms != base]
    rest <- rest[order(rank_of[rest])]
    pair_row <- function(p, q) {
      w <- rr[(hi[rr] == p & lo[rr] == q) | (hi[rr] == q & lo[rr] == p)]
      if (length(w) != 1L) {
        abort_fastnma(c(
          "Threshold analysis needs every pair of a multi-arm study.",
          "x" = "Study {.val {net$studies[st]}} has no single contrast of {.val {trt[p]}} and {.val {trt[q]}}."
        ), "multiarm", call = call)
      }
      w
    }
    r0 <- vapply(rest, function(k) pair_row(k, base), integer(1))
    yk <- ifelse(hi[r0] == rest, y[r0], -y[r0])
    vk <- v[r0]
    p <- length(rest)
    V <- diag(vk, p)
    if (p > 1L) {
      for (x1 in seq_len(p - 1L)) for (x2 in (x1 + 1L):p) {
        vkl <- v[pair_row(rest[x1], rest[x2])]
        V[x1, x2] <- V[x2, x1] <- (vk[x1] + vk[x2] - vkl) / 2
      }
    }
    V <- V + tau2 * (diag(p) + 1) / 2
    first <- nrow(pts) + 1L
    pts <- rbind(pts, data.frame(study = net$studies[st], i = rest, j = base,
                                 estimate = yk, std.error = sqrt(vk),
                                 stringsAsFactors = FALSE))
    weight <- c(weight, rep(NA_real_, p))
    blocks[[length(blocks) + 1L]] <- list(rows = first:(first + p - 1L), cov = V)
  }
  # back in the order of the studies
  o <- order(match(pts$study, net$studies), rank_of[pts$i])
  new_pos <- match(seq_along(o), o)
  blocks <- lapply(blocks, function(b) list(rows = new_pos[b$rows], cov = b$cov))
  list(points = pts[o, , drop = FALSE], weight = weight[o], blocks = blocks)
}

# Contrast-level data points: the direct estimates of the compared pairs.
threshold_contrast_points <- function(fit, model) {
  de <- direct_estimates(fit, model = model)
  trt <- fit$treatments
  pts <- data.frame(study = NA_character_, i = match(de$treat1, trt), j = match(de$treat2, trt),
                    estimate = de$estimate, std.error = de$std.error,
                    stringsAsFactors = FALSE)
  list(points = pts, weight = 1 / de$std.error^2, blocks = list())
}

#' @export
print.nma_threshold <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  a <- attributes(x)
  what <- if (a$rank == 1L) "best treatment" else paste0("treatment at rank ", a$rank)
  cli::cat_line(cli::style_bold("Threshold analysis"),
                sprintf(" (%s level, %s)", a$level, a$model_label))
  cli::cat_line(strwrap(sprintf("The decision at stake: %s is the %s.", a$chosen, what),
                        width = getOption("width", 80L)))
  lab <- if (a$level == "study") x$study else rep("", nrow(x))
  shown <- data.frame(
    study = lab,
    comparison = paste(x$treat1, "vs", x$treat2),
    estimate = format_num(x$estimate, digits),
    lower = format_num(x$threshold_lower, digits), upper = format_num(x$threshold_upper, digits),
    new = paste0(ifelse(is.na(x$new_lower), "-", x$new_lower), " / ",
                 ifelse(is.na(x$new_upper), "-", x$new_upper)),
    interval = paste0("[", format_num(x$invariant_lower, digits), ", ",
                      format_num(x$invariant_upper, digits), "]"),
    stringsAsFactors = FALSE)
  if (a$level != "study") shown$study <- NULL
  print_columns(shown, left = intersect(c("study", "comparison", "new"), names(shown)))
  note <- paste0(
    "lower, upper: the change of the data point (", if (a$measure %in% c("OR", "RR", "HR")) "log scale, " else "",
    "others held fixed) at which the ", what, " changes; new: the treatment that takes its place ",
    "(below / above); interval: the invariant interval of the estimate.",
    if (a$mcid > 0) paste0(" A change counts when another treatment is better by at least ", format_num(a$mcid, digits), ".") else "")
  cat_note(note)
  invisible(x)
}

#' @rdname threshold
#' @param x An object of class `nma_threshold`.
#' @return `tidy()`: a tibble, one row per data point, with `term`
#'   (`"treat1 vs treat2"`), the columns above, and the data point's Wald
#'   `conf.low, conf.high, statistic, p.value` at the fit's level.
#' @method tidy nma_threshold
#' @export
tidy.nma_threshold <- function(x, ...) {
  netmeta_guard()
  out <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  z <- stats::qnorm(1 - (1 - attr(x, "conf.level")) / 2)
  stat <- out$estimate / out$std.error
  out <- data.frame(term = paste(x$treat1, "vs", x$treat2), out[c("study", "treat1", "treat2",
                                                                   "estimate", "std.error")],
                    conf.low = out$estimate - z * out$std.error,
                    conf.high = out$estimate + z * out$std.error,
                    statistic = stat, p.value = 2 * stats::pnorm(-abs(stat)),
                    out[setdiff(names(out), c("study", "treat1", "treat2", "estimate",
                                              "std.error"))],
                    stringsAsFactors = FALSE)
  tibble::as_tibble(out)
}

#' @rdname threshold
#' @return `glance()`: one row: `chosen, data_level, model, rank, mcid,
#'   n_points`, the smallest absolute threshold `min_threshold` and the
#'   data point it belongs to (`min_term`), and `min_threshold_se`, the
#'   smallest over the data points of the nearer threshold in standard
#'   errors.
#' @method glance nma_threshold
#' @export
glance.nma_threshold <- function(x, ...) {
  netmeta_guard()
  a <- attributes(x)
  near <- pmin(abs(x$threshold_lower), abs(x$threshold_upper))
  i <- if (any(is.finite(near))) which.min(near) else NA_integer_
  tibble::tibble(chosen = a$chosen, data_level = a$level, model = a$model, rank = a$rank,
                 mcid = a$mcid, n_points = nrow(x),
                 min_threshold = if (is.na(i)) Inf else near[i],
                 min_term = if (is.na(i)) NA_character_ else threshold_point_labels(x)[i],
                 min_threshold_se = suppressWarnings(min(x$min_threshold_se, na.rm = TRUE)))
}

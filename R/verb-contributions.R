#' Contribution of each direct comparison to each network estimate
#'
#' `contributions()` gives, for every network estimate, the percentage
#' contribution of each direct comparison (and optionally of each study).
#' A row of the aggregate hat matrix is a flow of evidence through the network
#' of direct comparisons (König, Krahn & Binder 2013); it is decomposed into
#' paths:
#'
#' * `"shortestpath"`: the algorithm of Papakonstantinou et al. (2018),
#'   repeatedly removing the flow of a shortest path (ties broken in the same
#'   order as netmeta's `netcontrib()`);
#' * `"randomwalk"`: the random-walk decomposition of Davies et al. (2022),
#'   computed exactly without enumerating paths (path generating functions on
#'   the acyclic flow network, integrated by Gauss-Legendre quadrature);
#' * `"cinema"`: the contributions of the CINeMA software (Papakonstantinou
#'   et al. 2020), equal to netmeta's `netcontrib(hatmatrix.F1000 = TRUE)`.
#'   The hat matrix is the one of the aggregated direct estimates (Krahn,
#'   Binder & König 2013; the hat matrix of the F1000Research paper of
#'   Papakonstantinou et al. 2018): each direct comparison is summarised by
#'   the inverse-variance (common-effect) pooled estimate of all its study
#'   contrasts, each with variance \eqn{se^2 + \tau^2} (\eqn{\tau^2 = 0} for
#'   the common-effects model; the contrasts of a multi-arm study enter with
#'   their own, unadjusted, standard errors), and the network estimates are
#'   the weighted least-squares combination of these direct estimates. Its
#'   rows are then decomposed by shortest paths as above. Without multi-arm
#'   studies this is the `"shortestpath"` result; with them the two differ
#'   (the hat matrix of `"shortestpath"` aggregates the study-level hat
#'   matrix of the fitted model, multi-arm covariances included).
#'
#' Study contributions split each comparison's contribution among its
#' studies in proportion to their (reduced) inverse-variance weights. With
#' `"cinema"` the weights are those of the CINeMA software and of netmeta's
#' `netcontrib(study = TRUE)`: \eqn{1 / (se_{adj}^2 + \tau^2)}, with
#' \eqn{se_{adj}} the standard error of a contrast after the reduction of
#' multi-arm weights of the common-effects model (Rücker & Schwarzer 2014).
#'
#' The decomposition is made one network estimate at a time. Each path of
#' the shortest-path decomposition is found from the previous one (the
#' distances to the target repaired as edges run dry, instead of a new
#' breadth-first search), so a row costs about \eqn{O(E)} per path for
#' \eqn{E} direct comparisons: about 1.2 ms at 300 treatments and 3,500
#' direct comparisons. All \eqn{n(n-1)/2} estimates of such a network (44,850
#' rows) take under a minute, and a dense result of about 1.2 GB unless a
#' `threshold` keeps it sparse, so `comparisons` says which estimates to
#' decompose. By default all of them up to
#' `getOption("fastnma.contrib_max_rows", 5000)` pairs (100 treatments), and
#' beyond that the comparisons with the reference, with a message.
#'
#' @param fit An object of class `nma`.
#' @param method `"shortestpath"` (default), `"randomwalk"` or `"cinema"`
#'   (the hat matrix of the aggregated direct estimates, decomposed by
#'   shortest paths, as the CINeMA software does). The shortest-path
#'   decomposition is not unique: of several paths of equal length the first
#'   in treatment order is taken, so another treatment order (see `order` in
#'   [nma()]) can give other, equally valid, contributions. The random-walk
#'   decomposition does not depend on the order.
#' @param model `"random"` (default) or `"common"`.
#' @param study Logical; also compute the contribution of each study.
#' @param comparisons The network estimates to decompose: `"all"` (every
#'   pair), `"reference"` (every treatment against the reference), labels
#'   `"A vs B"` (either orientation), or a data frame with columns `treat1`
#'   and `treat2`. `NULL` (default): `"all"` for networks of up to
#'   `getOption("fastnma.contrib_max_rows", 5000)` pairs, `"reference"`
#'   beyond (with a message of class `fastnma_message_contrib_rows`).
#' @param threshold Contributions below `threshold` (a proportion) are dropped
#'   and the matrices are stored sparsely (a sparse matrix of the Matrix
#'   package), computed in pieces so that no dense matrix of all rows is
#'   formed: all 44,850 rows of a 300-treatment network with 3,500 direct
#'   comparisons take about 1.2 GB dense, 55 MB with `threshold = 1e-3`
#'   (0.1%). On a network whose flow spreads over every edge the dropped
#'   entries can add up to a sizeable share of a row: the kept entries
#'   locate the main sources of an estimate; shares that must add up need
#'   the rows without a threshold. Default `0`: dense matrices, nothing
#'   dropped.
#' @return An object of class `nma_contrib`: a list with `weights`, a matrix
#'   with one row per requested network comparison (`"treat1 vs treat2"` in
#'   the canonical orientation of [nma()]; with `comparisons = "all"` in the
#'   order of [tidy.nma()] with `comparisons = "all"`, otherwise in the order
#'   asked for) and one column per direct comparison (same labelling and
#'   orientation), rows summing to 1; `study` (if requested), comparisons by
#'   studies; `comparisons` and `direct`, the `treat1, treat2` of the rows
#'   and columns; `n_pairs`, the number of network comparisons of the fit;
#'   and `method`, `model`, `reference`.
#' @references
#' Papakonstantinou T, Nikolakopoulou A, Rücker G, Chaimani A, Schwarzer G,
#' Egger M, Salanti G (2018). Estimating the contribution of studies in
#' network meta-analysis: paths, flows and streams. *F1000Research* 7:610.
#' \doi{10.12688/f1000research.14770.3}
#'
#' Davies AL, Papakonstantinou T, Nikolakopoulou A, Rücker G, Galla T (2022).
#' Network meta-analysis and random walks. *Statistics in Medicine*
#' 41(12):2091-2114. \doi{10.1002/sim.9346}
#'
#' König J, Krahn U, Binder H (2013). Visualizing the flow of evidence in
#' network meta-analysis and characterizing mixed treatment comparisons.
#' *Statistics in Medicine* 32(30):5414-5429. \doi{10.1002/sim.6001}
#'
#' Krahn U, Binder H, König J (2013). A graphical tool for locating
#' inconsistency in network meta-analyses. *BMC Medical Research
#' Methodology* 13:35. \doi{10.1186/1471-2288-13-35}
#'
#' Papakonstantinou T, Nikolakopoulou A, Higgins JPT, Egger M, Salanti G
#' (2020). CINeMA: software for semiautomated assessment of the confidence
#' in the results of network meta-analysis. *Campbell Systematic Reviews*
#' 16(1):e1080. \doi{10.1002/cl2.1080}
#'
#' Rücker G, Schwarzer G (2014). Reduce dimension or reduce weights?
#' Comparing two approaches to multi-arm studies in network meta-analysis.
#' *Statistics in Medicine* 33(25):4353-4369. \doi{10.1002/sim.6236}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' cb <- contributions(fit)
#' cb
#' round(cb$weights[1:3, ], 3)
#' head(tidy(contributions(fit, method = "randomwalk", study = TRUE), study = TRUE))
#' # as the CINeMA software computes them
#' contributions(fit, method = "cinema", comparisons = "reference")
#' @export
contributions <- function(fit, method = c("shortestpath", "randomwalk", "cinema"),
                          model = c("random", "common"), study = FALSE,
                          comparisons = NULL, threshold = 0, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_supports(fit, "contributions")
  method <- check_choice(if (missing(method)) NULL else method,
                         c("shortestpath", "randomwalk", "cinema"), "method")
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  threshold <- check_contrib_threshold(threshold)
  trt <- fit$treatments
  n <- length(trt)
  cp <- contrib_rows(fit, comparisons)
  if (method == "cinema") return(contributions_cinema(fit, model, isTRUE(study), cp, threshold))
  opts <- list(ref = match(fit$reference, trt), tau2 = model_tau2(fit, model),
               randomwalk = method == "randomwalk", by_study = isTRUE(study))
  lab <- contrib_run(fit, function(o) call_core(contrib_cpp, fit, c(opts, o)), cp, threshold)
  net <- lab$net
  dc <- lab$dc
  rows <- lab$rows
  w <- lab$weights
  st <- NULL
  if (isTRUE(study)) {
    st <- lab$study
    dimnames(st) <- list(comparison = rows, study = fit$studies)
  }
  dc$column <- NULL
  new_fastnma_result(list(weights = w, study = st, method = method, model = model,
                          comparisons = net, direct = dc, n_pairs = n * (n - 1) / 2,
                          reference = fit$reference),
                     "nma_contrib")
}

# contributions(method = "cinema"): the hat matrix of the aggregated direct
# estimates (netmeta's hatmatrix.F1000), decomposed by the core's shortest
# paths. The core is given one pseudo-contrast per direct comparison, the
# pooled estimate with its pooled variance 1 / sum(1 / (se^2 + tau2)), and
# fits it with tau2 = 0: the hat matrix of that network is the aggregated
# one. Study shares within a direct comparison: 1 / (se_adj^2 + tau2).
contributions_cinema <- function(fit, model, study, cp, threshold = 0) {
  nw <- fit_network(fit)
  a <- list(study = nw$codes$study, t1 = nw$codes$treat1, t2 = nw$codes$treat2, y = nw$data$estimate,
            se = nw$data$std.error, n_treat = length(nw$treatments), tol = nw$tol_multiarm)
  tau2 <- model_tau2(fit, model)
  lo <- pmin(a$t1, a$t2)
  hi <- pmax(a$t1, a$t2)
  edge <- factor(paste(lo, hi), levels = unique(paste(lo, hi)))
  w <- 1 / (a$se^2 + tau2)
  w_edge <- rowsum(w, edge, reorder = FALSE)[, 1]
  y_edge <- rowsum(w * ifelse(a$t1 == lo, a$y, -a$y), edge, reorder = FALSE)[, 1] / w_edge
  first <- !duplicated(edge)
  trt <- fit$treatments
  # one pseudo-study per direct comparison (no compiled handle: built for this call)
  pseudo <- list(studies = seq_along(w_edge), treatments = seq_len(a$n_treat),
                 codes = list(study = seq_along(w_edge), treat1 = lo[first], treat2 = hi[first]),
                 data = list(estimate = unname(y_edge), std.error = unname(1 / sqrt(w_edge))),
                 tol_multiarm = a$tol)
  opts <- list(ref = match(fit$reference, trt), tau2 = 0, randomwalk = FALSE, by_study = FALSE)
  # the study contributions: the weights times each contrast's share of its
  # direct comparison (a study has one contrast per direct comparison)
  study_map <- function(r, dc) {
    col <- match(paste(pmin(a$t1, a$t2), pmax(a$t1, a$t2)),
                 paste(pmin(r$a, r$b), pmax(r$a, r$b)))
    col <- match(col, dc$column)
    wa <- 1 / (reduced_std_error(a)^2 + tau2)
    share <- wa / rowsum(wa, col)[, 1][as.character(col)]
    M <- matrix(0, nrow(dc), length(fit$studies))
    M[cbind(col, a$study)] <- share
    M
  }
  lab <- contrib_run(fit, function(o) check_core_result(contrib_cpp(pseudo, c(opts, o)), fit),
                     cp, threshold, if (study) study_map)
  net <- lab$net
  dc <- lab$dc
  rows <- lab$rows
  wt <- lab$weights
  st <- lab$study
  if (study) {
    if (is.null(st)) st <- wt %*% study_map(lab$core, dc)
    dimnames(st) <- list(comparison = rows, study = fit$studies)
  }
  dc$column <- NULL
  new_fastnma_result(list(weights = wt, study = st, method = "cinema", model = model,
                          comparisons = net, direct = dc,
                          n_pairs = length(trt) * (length(trt) - 1) / 2,
                          reference = fit$reference),
                     "nma_contrib")
}

# Standard errors of the contrasts after the reduction of multi-arm weights
# (common-effects model; Rücker & Schwarzer 2014): for a p-arm study with
# contrast variances V, the pseudo-inverse Laplacian is -P V P / 2 (P the
# centring matrix), its inverse L gives the reduced weights -L[i, j].
reduced_std_error <- function(a) {
  out <- a$se
  rows_by_study <- split(seq_along(a$study), a$study)
  for (rows in rows_by_study[lengths(rows_by_study) > 1L]) {
    tr <- sort(unique(c(a$t1[rows], a$t2[rows])))
    p <- length(tr)
    i <- match(a$t1[rows], tr)
    j <- match(a$t2[rows], tr)
    V <- matrix(0, p, p)
    V[cbind(i, j)] <- a$se[rows]^2
    V[cbind(j, i)] <- a$se[rows]^2
    P <- diag(p) - 1 / p
    L <- solve(-0.5 * P %*% V %*% P + 1 / p) - 1 / p
    out[rows] <- 1 / sqrt(-L[cbind(i, j)])
  }
  out
}

# The rows of contributions(): index pairs (into fit$treatments) in the
# canonical orientation, `i` the later treatment in canonical order.
contrib_rows <- function(fit, comparisons, call = rlang::caller_env()) {
  trt <- fit$treatments
  n <- length(trt)
  n_pairs <- n * (n - 1) / 2
  if (is.null(comparisons)) {
    max_rows <- getOption("fastnma.contrib_max_rows", 5000)
    if (n_pairs <= max_rows) return(canonical_pairs(fit, "all"))
    inform_fastnma(c(
      "i" = "Contributions are decomposed for the {n - 1} comparisons with the reference ({.val {fit$reference}}), not all {format(n_pairs, big.mark = ',')} pairs.",
      " " = "Use {.arg comparisons} to choose others (e.g. {.code comparisons = \"all\"})."
    ), "contrib_rows")
    return(canonical_pairs(fit, "reference"))
  }
  if (is.character(comparisons) && length(comparisons) == 1L &&
      comparisons %in% c("all", "reference")) {
    return(canonical_pairs(fit, comparisons))
  }
  pairs <- comparison_pairs(comparisons, call = call)
  t1 <- pairs$treat1
  t2 <- pairs$treat2
  lab <- comparison_label(t1, t2)
  i <- match(t1, trt)
  j <- match(t2, trt)
  bad <- is.na(i) | is.na(j) | i == j
  bad[is.na(bad)] <- TRUE
  if (any(bad)) {
    abort_fastnma(c(
      "{.arg comparisons} must name two different treatments of the network.",
      "x" = "Not a comparison of the network: {.val {lab[bad]}}.",
      did_you_mean_many(unknown_treatments(t1, t2, trt), trt)
    ), "comparison_selection", call = call)
  }
  # canonical orientation: `i` the later treatment in canonical order
  flip <- treatment_rank(fit, trt[i]) < treatment_rank(fit, trt[j])
  ii <- ifelse(flip, j, i)
  jj <- ifelse(flip, i, j)
  dup <- duplicated(paste(ii, jj))
  list(i = ii[!dup], j = jj[!dup])
}

#' @export
print.nma_contrib <- function(x, digits = 1, ...) {
  netmeta_guard()
  check_dots_print(...)
  n_rows <- nrow(x$weights)
  # the rows shown (dense, also when stored sparsely)
  w <- as.matrix(x$weights[seq_len(min(n_rows, 20L)), , drop = FALSE])
  cat_wrapped(cli::style_bold("Contributions of direct comparisons"), " (",
                x$method, ", ", x$model, " effects model)")
  n_pairs <- x$n_pairs %||% n_rows
  cat_wrapped(sprintf("%s x %d direct comparisons; rows in %%, largest three shown",
                        if (n_rows < n_pairs)
                          sprintf("%d of %s network estimates", n_rows,
                                  format(n_pairs, big.mark = ",")) else
                          sprintf("%d network estimates", n_rows),
                        ncol(w)))
  top <- apply(w, 1, function(v) {
    o <- order(-v)[seq_len(min(3L, length(v)))]
    o <- o[v[o] > 0]
    paste0(colnames(w)[o], " ", formatC(100 * v[o], digits = digits, format = "f"), "%",
           collapse = ", ")
  })
  direct_share <- vapply(seq_len(nrow(w)), function(i) {
    j <- match(rownames(w)[i], colnames(w))
    if (is.na(j)) 0 else w[i, j]
  }, numeric(1))
  shown <- data.frame(comparison = rownames(w),
                      direct = paste0(formatC(100 * direct_share, digits = digits, format = "f"), "%"),
                      largest = top, stringsAsFactors = FALSE)
  print_columns(shown, left = c("comparison", "largest"))
  if (n_rows > 20L) cli::cat_line(sprintf("... %d more rows", n_rows - 20L))
  invisible(x)
}

#' @rdname contributions
#' @param x An object of class `nma_contrib`.
#' @param ... Unused.
#' @return `tidy()`: a tibble in long form, one row per network comparison
#'   (`term`, `treat1`, `treat2`) and direct comparison (`direct`, labelled
#'   the same way) or `study`, with its `contribution` (a proportion); zero
#'   contributions dropped.
#' @method tidy nma_contrib
#' @export
tidy.nma_contrib <- function(x, study = FALSE, ...) {
  netmeta_guard()
  m <- if (isTRUE(study)) x$study else x$weights
  if (is.null(m)) {
    abort_fastnma("Study contributions were not computed; use {.code contributions(fit, study = TRUE)}.",
                  "not_computed")
  }
  net <- x$comparisons
  if (inherits(m, "sparseMatrix")) {
    # stored sparsely (a threshold): the entries kept, in the same order
    tr <- Matrix::summary(m)
    tr <- tr[order(tr$j, tr$i), , drop = FALSE]
    out <- data.frame(term = rownames(m)[tr$i], treat1 = net$treat1[tr$i],
                      treat2 = net$treat2[tr$i], source = colnames(m)[tr$j],
                      contribution = tr$x, stringsAsFactors = FALSE)
    names(out)[4] <- if (isTRUE(study)) "study" else "direct"
    return(as_tidy(out[out$contribution > 0, , drop = FALSE]))
  }
  out <- data.frame(term = rep(rownames(m), times = ncol(m)),
                    treat1 = rep(net$treat1, times = ncol(m)),
                    treat2 = rep(net$treat2, times = ncol(m)),
                    source = rep(colnames(m), each = nrow(m)),
                    contribution = as.vector(m), stringsAsFactors = FALSE)
  names(out)[4] <- if (isTRUE(study)) "study" else "direct"
  out <- out[out$contribution > 0, , drop = FALSE]
  as_tidy(out)
}

# The rows (asked-for comparisons `cp`) and columns (direct comparisons of
# the core's result `r`, in the canonical orientation) of a contribution
# matrix, with the weights labelled by them (if the core gave them dense).
contrib_labels <- function(fit, r, cp) {
  trt <- fit$treatments
  net <- data.frame(treat1 = trt[cp$i], treat2 = trt[cp$j], stringsAsFactors = FALSE)
  dc <- orient_comparisons(fit, data.frame(treat1 = trt[r$b], treat2 = trt[r$a],
                                           column = seq_along(r$a),
                                           stringsAsFactors = FALSE))
  rows <- comparison_label(net$treat1, net$treat2)
  cols <- comparison_label(dc$treat1, dc$treat2)
  w <- NULL
  if (!is.null(r$weights)) {
    w <- r$weights[, dc$column, drop = FALSE]
    dimnames(w) <- list(comparison = rows, direct = cols)
  }
  list(net = net, dc = dc, rows = rows, cols = cols, weights = w)
}

# Runs the core (`run(opts)`, given the rows and the storage options) for the
# rows `cp`: with threshold 0 one call giving dense matrices; with a threshold
# calls of about `fastnma.contrib_chunk` (1e7) entries each, whose compressed
# rows (the entries of at least `threshold`) are joined into sparse matrices
# of the Matrix package, so that no dense matrix of all rows is formed. Returns contrib_labels() with `weights`, `study` and the
# core's result `core`.
contrib_run <- function(fit, run, cp, threshold, study_map = NULL) {
  # the core's flow runs from the earlier to the later treatment in sorted
  # order (netmeta's row "j:i"), its columns are the direct comparisons the
  # same way: both are reported in the canonical orientation
  src <- as.integer(pmin(cp$i, cp$j))
  dst <- as.integer(pmax(cp$i, cp$j))
  if (threshold == 0) {
    # the core reports its progress every 64 rows
    r <- with_progress(run(list(row_src = src, row_dst = dst, threshold = 0, col_rank = integer())),
                       length(src), 64, "Decomposing the evidence flow")
    lab <- contrib_labels(fit, r, cp)
    return(c(lab, list(study = r$study, core = r)))
  }
  # the direct comparisons first (no rows): the core writes the columns in
  # their reported order
  r <- run(list(row_src = integer(), row_dst = integer(), threshold = threshold,
                col_rank = integer()))
  lab <- contrib_labels(fit, r, cp)
  if (!is.null(study_map)) {
    # study contributions from the weights in R (the CINeMA method): dense
    # pieces, each made sparse
    M <- study_map(r, lab$dc)
    size <- max(1, getOption("fastnma.contrib_chunk", 1e7) %/% (length(r$a) + ncol(M)))
    chunks <- split(seq_along(src), ceiling(seq_along(src) / size))
    parts <- lapply(chunks, function(k) {
      w <- run(list(row_src = src[k], row_dst = dst[k], threshold = 0,
                    col_rank = integer()))$weights[, lab$dc$column, drop = FALSE]
      list(w = sparse_above(w, threshold), s = sparse_above(w %*% M, threshold))
    })
    lab$weights <- do.call(rbind, lapply(parts, `[[`, "w"))
    lab$study <- do.call(rbind, lapply(parts, `[[`, "s"))
    dimnames(lab$weights) <- list(comparison = lab$rows, direct = lab$cols)
    return(c(lab, list(core = r)))
  }
  rank <- match(seq_along(r$a), lab$dc$column)
  size <- 64 * max(1, (getOption("fastnma.contrib_chunk", 1e7) / length(r$a)) %/% 64)
  chunks <- split(seq_along(src), ceiling(seq_along(src) / size))
  parts <- with_progress(lapply(chunks, function(k) {
    run(list(row_src = src[k], row_dst = dst[k], threshold = threshold, col_rank = rank))
  }), length(src), 64, "Decomposing the evidence flow")
  lab$weights <- join_sparse_rows(parts, "", lab$rows, lab$cols)
  names(dimnames(lab$weights)) <- c("comparison", "direct")
  if (!is.null(r$study_p)) lab$study <- join_sparse_rows(parts, "study_", lab$rows, fit$studies)
  c(lab, list(core = r))
}

# The compressed rows of the core's calls `parts` (fields `p`, `j`, `x`,
# with a prefix) as one sparse matrix.
join_sparse_rows <- function(parts, prefix, rows, cols) {
  field <- function(name) lapply(parts, `[[`, paste0(prefix, name))
  p <- field("p")
  ends <- vapply(p, function(x) x[length(x)], integer(1))
  offset <- cumsum(c(0L, ends))[seq_along(p)]
  pp <- c(0L, unlist(Map(function(x, o) x[-1L] + o, p, offset), use.names = FALSE))
  # the slots directly (the core gives sorted columns): no further copies
  cls <- methods::getClass("dgRMatrix", where = asNamespace("Matrix"))
  methods::new(cls, p = as.integer(pp), j = as.integer(unlist(field("j"), use.names = FALSE)),
               x = as.double(unlist(field("x"), use.names = FALSE)),
               Dim = c(length(rows), length(cols)), Dimnames = list(rows, cols))
}

# A dense matrix as a sparse one without its entries below `threshold`.
sparse_above <- function(m, threshold) {
  m[m < threshold] <- 0
  Matrix::Matrix(m, sparse = TRUE)
}

check_contrib_threshold <- function(threshold, call = rlang::caller_env()) {
  if (!is.numeric(threshold) || length(threshold) != 1L || !is.finite(threshold) ||
      threshold < 0 || threshold >= 1) {
    abort_fastnma(c("{.arg threshold} must be one number from 0 (inclusive) to 1 (exclusive).",
                    "x" = "It is {.val {format(threshold)}}."), "choice", call = call)
  }
  as.double(threshold)
}

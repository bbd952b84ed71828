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
#'   the acyclic flow network, integrated by Gauss-Legendre quadrature).
#'
#' Study contributions split each comparison's contribution among its
#' studies in proportion to their (reduced) inverse-variance weights.
#'
#' @param fit An object of class `nma`.
#' @param method `"shortestpath"` (default) or `"randomwalk"`.
#' @param model `"random"` (default) or `"common"`.
#' @param study Logical; also compute the contribution of each study.
#' @return An object of class `nma_contrib`: a list with `weights`, a matrix
#'   with one row per network comparison (`"treat1 vs treat2"` in the
#'   canonical orientation of [nma()], in the order of [tidy.nma()] with
#'   `comparisons = "all"`) and one column per direct comparison (same
#'   labelling and orientation), rows summing to 1; `study` (if requested),
#'   comparisons by studies; `comparisons` and `direct`, the `treat1,
#'   treat2` of the rows and columns; and `method`, `model`, `reference`.
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
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' cb <- contributions(fit)
#' cb
#' round(cb$weights[1:3, ], 3)
#' head(tidy(contributions(fit, method = "randomwalk", study = TRUE), study = TRUE))
#' @export
contributions <- function(fit, method = c("shortestpath", "randomwalk"),
                          model = c("random", "common"), study = FALSE) {
  check_supports(fit, "contributions")
  method <- check_choice(if (missing(method)) NULL else method,
                         c("shortestpath", "randomwalk"), "method")
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  trt <- fit$treatments
  n <- length(trt)
  r <- call_core(contrib_cpp, fit, match(fit$reference, trt), model_tau2(fit, model),
                 method == "randomwalk", isTRUE(study))
  # the core's rows are the pairs later vs earlier in sorted order and its
  # columns the direct comparisons the same way: report both in the
  # canonical orientation and order
  ij <- which(lower.tri(matrix(0, n, n)), arr.ind = TRUE)
  cp <- canonical_pairs(fit, "all")
  row_idx <- pair_match(pmax(cp$i, cp$j), pmin(cp$i, cp$j), ij[, 1], ij[, 2])
  net <- data.frame(treat1 = trt[cp$i], treat2 = trt[cp$j], stringsAsFactors = FALSE)
  dc <- orient_comparisons(fit, data.frame(treat1 = trt[r$b], treat2 = trt[r$a],
                                           column = seq_along(r$a),
                                           stringsAsFactors = FALSE))
  rows <- comparison_label(net$treat1, net$treat2)
  cols <- comparison_label(dc$treat1, dc$treat2)
  w <- r$weights[row_idx, dc$column, drop = FALSE]
  dimnames(w) <- list(comparison = rows, direct = cols)
  st <- NULL
  if (isTRUE(study)) {
    st <- r$study[row_idx, , drop = FALSE]
    dimnames(st) <- list(comparison = rows, study = fit$studies)
  }
  dc$column <- NULL
  structure(list(weights = w, study = st, method = method, model = model,
                 comparisons = net, direct = dc, reference = fit$reference),
            class = "nma_contrib")
}

#' @export
print.nma_contrib <- function(x, digits = 1, ...) {
  check_dots_print(...)
  w <- x$weights
  cli::cat_line(cli::style_bold("Contributions of direct comparisons"), " (",
                x$method, ", ", x$model, " effects model)")
  cli::cat_line(sprintf("%d network estimates x %d direct comparisons; rows in %%, largest three shown",
                        nrow(w), ncol(w)))
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
  print_columns(utils::head(shown, 20L), left = c("comparison", "largest"))
  if (nrow(shown) > 20L) cli::cat_line(sprintf("... %d more rows", nrow(shown) - 20L))
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
  m <- if (isTRUE(study)) x$study else x$weights
  if (is.null(m)) {
    abort_fastnma("Study contributions were not computed; use {.code contributions(fit, study = TRUE)}.",
                  "not_computed")
  }
  net <- x$comparisons
  out <- data.frame(term = rep(rownames(m), times = ncol(m)),
                    treat1 = rep(net$treat1, times = ncol(m)),
                    treat2 = rep(net$treat2, times = ncol(m)),
                    source = rep(colnames(m), each = nrow(m)),
                    contribution = as.vector(m), stringsAsFactors = FALSE)
  names(out)[4] <- if (isTRUE(study)) "study" else "direct"
  out <- out[out$contribution > 0, , drop = FALSE]
  as_tidy(out)
}

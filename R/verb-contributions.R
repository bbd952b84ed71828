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
#' direct comparisons. The rows are independent and are shared among
#' `getOption("fastnma.threads", 2)` threads (at most the machine's cores;
#' the results do not depend on the number). All \eqn{n(n-1)/2} estimates
#' of such a network (44,850 rows) take under a minute of CPU, but a dense
#' result of all of them is 1.2 GB, so `comparisons` says which estimates to
#' decompose. By default all of them up to
#' `getOption("fastnma.contrib_max_rows", 5000)` pairs (100 treatments), and
#' beyond that the comparisons with the reference, with a message.
#'
#' For every row of a large network at full precision: `each` hands the rows
#' over in blocks (write them to disk, or reduce them, as they come), and
#' `by` sums the study contributions of each row by a study-level grouping
#' (say, risk of bias) as the rows are made, so that with `weights = FALSE`
#' only the shares of the groups are kept (about 1 MB for 44,850 rows and
#' three groups).
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
#' @param study Logical; also compute the contribution of each study (in
#'   `tidy()`: `TRUE` for their long form).
#' @param comparisons The network estimates to decompose: `"all"` (every
#'   pair), `"reference"` (every treatment against the reference), labels
#'   `"A vs B"` (either orientation), or a data frame with columns `treat1`
#'   and `treat2`. `NULL` (default): `"all"` for networks of up to
#'   `getOption("fastnma.contrib_max_rows", 5000)` pairs, `"reference"`
#'   beyond (with a message of class `fastnma_message_contrib_rows`).
#' @param threshold Contributions below `threshold` (a proportion) are dropped
#'   and the matrices are stored sparsely (a sparse matrix of the Matrix
#'   package), made row by row so that no dense matrix of all rows is
#'   formed: all 44,850 rows of a 300-treatment network with 3,500 direct
#'   comparisons take about 1.2 GB dense, 540 MB with `threshold = 1e-4` and
#'   55 MB with `threshold = 1e-3` (0.1%). On a network whose flow spreads
#'   over every edge the dropped entries can add up to a sizeable share of a
#'   row: the kept entries locate the main sources of an estimate; shares
#'   that must add up need the rows without a threshold (in blocks with
#'   `each`, or summed by group with `by`). Default `0`: dense matrices,
#'   nothing dropped.
#' @param by A study-level grouping (for example each study's risk of bias):
#'   a column of the fit's data (bare name or string, one value per study) or
#'   a vector named by study, every study of the fit with a value. The
#'   study contributions of each row are summed by group as the row is made
#'   (`by` of the result: one column per group, the levels of a factor, all
#'   of them, else the sorted values; rows summing to 1), without forming the
#'   matrix of study contributions. `NULL` (default): no grouping. In
#'   `tidy()`: `TRUE` for the long form of these shares (column `group`).
#' @param weights Logical; keep the contributions of the direct comparisons
#'   (`weights` of the result; default `TRUE`). `FALSE`, with `by` or
#'   `study = TRUE`, keeps only those: all rows of a large network in little
#'   memory.
#' @param each `NULL` (default), or a function (or a formula, as in
#'   [rlang::as_function()]) called on each block of rows, in order, with the
#'   block as an `nma_contrib` result of those rows (so `tidy(block)`,
#'   `block$weights`, `block$by` work as usual). `contributions()` then
#'   keeps no block and returns the list of what `each` returned, one
#'   element per block (invisibly when every element is `NULL`). The peak
#'   memory is that of one block.
#' @param block_size With `each`: the number of rows in a block. Default
#'   `NULL`: as many as make about 10 million entries of the weights (80 MB
#'   dense), in multiples of 64.
#' @return An object of class `nma_contrib`: a list with `weights`, a matrix
#'   with one row per requested network comparison (`"treat1 vs treat2"` in
#'   the canonical orientation of [nma()]; with `comparisons = "all"` in the
#'   order of [tidy.nma()] with `comparisons = "all"`, otherwise in the order
#'   asked for) and one column per direct comparison (same labelling and
#'   orientation), rows summing to 1; `study` (if requested), comparisons by
#'   studies; `comparisons` and `direct`, the `treat1, treat2` of the rows
#'   and columns; `n_pairs`, the number of network comparisons of the fit;
#'   `by`, with `by`, comparisons by groups of studies, and `by_name`, the
#'   label of the grouping; and `method`, `model`, `reference`. With `each`,
#'   the list of what `each` returned for the blocks.
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
#'
#' # every row in blocks, each written to disk as it comes (a tidy table)
#' dir <- tempfile("contrib-")
#' dir.create(dir)
#' files <- contributions(fit, comparisons = "all", block_size = 20, each = function(block) {
#'   file <- tempfile("block-", tmpdir = dir, fileext = ".rds")
#'   saveRDS(tidy(block), file)
#'   file
#' })
#' unlist(files)
#' head(readRDS(files[[1]]))
#'
#' # or reduced as they come: the total contribution of each direct comparison
#' totals <- contributions(fit, comparisons = "all", block_size = 20,
#'                         each = function(block) colSums(block$weights))
#' round(Reduce(`+`, totals), 2)
#'
#' # the shares of studies at low, some and high risk of bias in every
#' # estimate, without keeping the weights
#' rob <- factor(c("low", "some", "high")[(seq_along(fit$studies) %% 3) + 1],
#'               levels = c("low", "some", "high"))
#' names(rob) <- fit$studies
#' shares <- contributions(fit, comparisons = "all", by = rob, weights = FALSE)
#' head(shares$by)
#' head(tidy(shares, by = TRUE))
#' @export
contributions <- function(fit, method = c("shortestpath", "randomwalk", "cinema"),
                          model = c("random", "common"), study = FALSE,
                          comparisons = NULL, threshold = 0, by = NULL, weights = TRUE,
                          each = NULL, block_size = NULL, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_supports(fit, "contributions")
  method <- check_choice(if (missing(method)) NULL else method,
                         c("shortestpath", "randomwalk", "cinema"), "method")
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  threshold <- check_contrib_threshold(threshold)
  check_flag(study, "study")
  check_flag(weights, "weights")
  by_quo <- rlang::enquo(by)
  grouping <- if (rlang::quo_is_null(by_quo)) NULL else
    contrib_grouping(fit, by_quo, env = parent.frame())
  if (!weights && !study && is.null(grouping)) {
    abort_fastnma(c("With {.code weights = FALSE} there must be something else to keep.",
                    "i" = "Give {.arg by} (a study-level grouping) or {.code study = TRUE}."),
                  "choice")
  }
  cp <- contrib_rows(fit, comparisons)
  spec <- list(method = method, model = model, study = study, threshold = threshold,
               grouping = grouping, weights = weights, threads = contrib_threads(),
               # (rows x direct comparisons below which one thread works)
               min_parallel = getOption("fastnma.contrib_min_parallel", 2e5))
  if (is.null(each)) {
    if (!is.null(block_size)) {
      abort_fastnma(c("{.arg block_size} sets the blocks of rows handed to {.arg each}.",
                      "i" = "Give {.arg each} too, or leave {.arg block_size} out."), "choice")
    }
    return(contrib_compute(fit, spec, cp))
  }
  contrib_blocks(fit, spec, cp, each, block_size)
}

# The rows `cp` of contributions() as one nma_contrib.
contrib_compute <- function(fit, spec, cp) {
  trt <- fit$treatments
  n <- length(trt)
  if (spec$method == "cinema") {
    lab <- contributions_cinema(fit, spec, cp)
  } else {
    opts <- list(ref = match(fit$reference, trt), tau2 = model_tau2(fit, spec$model),
                 randomwalk = spec$method == "randomwalk", by_study = spec$study,
                 weights = spec$weights, threads = spec$threads, min_parallel = spec$min_parallel,
                 group = spec$grouping$matrix %||% matrix(0, length(fit$studies), 0))
    codes <- fit_network(fit)$codes
    lab <- contrib_run(fit, function(o) call_core(contrib_cpp, fit, c(opts, o)), cp,
                       spec$threshold, contrib_edges(codes$treat1, codes$treat2))
  }
  st <- NULL
  if (spec$study) {
    st <- lab$study
    # (the compressed rows of the core come labelled: no copy of their slots)
    want <- list(comparison = lab$rows, study = fit$studies)
    if (!identical(dimnames(st), want)) dimnames(st) <- want
  }
  grouped <- NULL
  if (!is.null(spec$grouping)) {
    grouped <- lab$group
    dimnames(grouped) <- list(comparison = lab$rows, group = spec$grouping$levels)
  }
  dc <- lab$dc
  dc$column <- NULL
  new_fastnma_result(list(weights = if (spec$weights) lab$weights, study = st, by = grouped,
                          by_name = spec$grouping$name, method = spec$method,
                          model = spec$model, comparisons = lab$net, direct = dc,
                          n_pairs = n * (n - 1) / 2, reference = fit$reference),
                     "nma_contrib")
}

# contributions(each = ): the rows `cp` in blocks of `block_size`, each an
# nma_contrib handed to `each` in order; the list of what it returned
# (invisibly when it returned nothing).
contrib_blocks <- function(fit, spec, cp, each, block_size, call = rlang::caller_env()) {
  each <- rlang::as_function(each, call = call)
  n_rows <- length(cp$i)
  if (is.null(block_size)) {
    codes <- fit_network(fit)$codes
    n_edges <- length(contrib_edges(codes$treat1, codes$treat2)$a)
    block_size <- max(64, 64 * ((getOption("fastnma.contrib_chunk", 1e7) / n_edges) %/% 64))
  }
  if (!is_whole(block_size) || length(block_size) != 1L || block_size < 1) {
    abort_fastnma(c("{.arg block_size} must be one whole number of rows, at least 1.",
                    "x" = "It is {.val {format(block_size)}}."), "choice", call = call)
  }
  blocks <- split(seq_len(n_rows), ceiling(seq_len(n_rows) / block_size))
  out <- vector("list", length(blocks))
  bar <- NULL
  if (show_progress() && length(blocks) > 1L) {
    bar <- cli::cli_progress_bar("Decomposing the evidence flow", total = n_rows, clear = TRUE)
    # one bar over the blocks, none for each block
    old <- options(fastnma.progress = FALSE)
    on.exit(options(old), add = TRUE)
  }
  for (b in seq_along(blocks)) {
    k <- blocks[[b]]
    block <- contrib_compute(fit, spec, list(i = cp$i[k], j = cp$j[k]))
    value <- each(block)
    if (!is.null(value)) out[[b]] <- value
    rm(block)
    if (!is.null(bar)) cli::cli_progress_update(id = bar, set = k[length(k)])
  }
  if (all(vapply(out, is.null, logical(1)))) invisible(out) else out
}

# The thread count of the compiled decomposition: the option
# `fastnma.threads` (default 2; the core uses no more than the machine's
# cores).
contrib_threads <- function(call = rlang::caller_env()) {
  threads <- getOption("fastnma.threads", 2L)
  if (!is_whole(threads) || length(threads) != 1L || threads < 1) {
    abort_fastnma(c("Option {.code fastnma.threads} must be one whole number, at least 1.",
                    "x" = "It is {.val {format(threads)}}."), "choice", call = call)
  }
  as.integer(threads)
}

# `by` of contributions(): one group per study of the fit (a column of the
# fit's data or a vector named by study), as an indicator matrix (studies x
# groups; the levels of a factor, all of them, else the sorted values).
contrib_grouping <- function(fit, quo, env, call = rlang::caller_env()) {
  v <- study_values(fit, quo, NULL, "by", env = env, call = call)
  lev <- if (is.factor(v)) levels(v) else as.character(sort(unique(v)))
  code <- match(as.character(v), lev)
  m <- matrix(0, length(v), length(lev))
  m[cbind(seq_along(v), code)] <- 1
  list(matrix = m, levels = lev, name = rlang::as_label(quo))
}

# contributions(method = "cinema"): the hat matrix of the aggregated direct
# estimates (netmeta's hatmatrix.F1000), decomposed by the core's shortest
# paths. The core is given one pseudo-contrast per direct comparison, the
# pooled estimate with its pooled variance 1 / sum(1 / (se^2 + tau2)), and
# fits it with tau2 = 0: the hat matrix of that network is the aggregated
# one. Study shares within a direct comparison: 1 / (se_adj^2 + tau2).
contributions_cinema <- function(fit, spec, cp) {
  nw <- fit_network(fit)
  a <- list(study = nw$codes$study, t1 = nw$codes$treat1, t2 = nw$codes$treat2, y = nw$data$estimate,
            se = nw$data$std.error, n_treat = length(nw$treatments), tol = nw$tol_multiarm)
  tau2 <- model_tau2(fit, spec$model)
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
  wa <- 1 / (reduced_std_error(a)^2 + tau2)
  # the groups of the pseudo-studies (direct comparisons): the shares of
  # their studies' groups
  group <- matrix(0, length(w_edge), 0)
  if (!is.null(spec$grouping)) {
    G <- spec$grouping$matrix
    group <- rowsum(wa * G[a$study, , drop = FALSE], edge, reorder = FALSE) /
      rowsum(wa, edge, reorder = FALSE)[, 1]
    dimnames(group) <- NULL
  }
  # the weights are needed for the study contributions, made here
  opts <- list(ref = match(fit$reference, trt), tau2 = 0, randomwalk = FALSE, by_study = FALSE,
               weights = spec$weights || spec$study, threads = spec$threads,
               min_parallel = spec$min_parallel, group = group)
  # the study contributions: the weights times each contrast's share of its
  # direct comparison (a study has one contrast per direct comparison)
  study_map <- function(r, dc) {
    col <- match(paste(pmin(a$t1, a$t2), pmax(a$t1, a$t2)),
                 paste(pmin(r$a, r$b), pmax(r$a, r$b)))
    col <- match(col, dc$column)
    share <- wa / rowsum(wa, col)[, 1][as.character(col)]
    M <- matrix(0, nrow(dc), length(fit$studies))
    M[cbind(col, a$study)] <- share
    M
  }
  lab <- contrib_run(fit, function(o) check_core_result(contrib_cpp(pseudo, c(opts, o)), fit),
                     cp, spec$threshold, contrib_edges(lo[first], hi[first]),
                     if (spec$study) study_map)
  if (spec$study && is.null(lab$study)) lab$study <- lab$weights %*% study_map(lab$core, lab$dc)
  lab
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
  # the matrix shown: the direct comparisons, else the groups, else the studies
  m <- x$weights %||% x$by %||% x$study
  of <- if (!is.null(x$weights)) "direct comparisons" else if (!is.null(x$by))
    paste0("groups of ", x$by_name %||% "by") else "studies"
  n_rows <- nrow(m)
  # the rows shown (dense, also when stored sparsely)
  w <- as.matrix(m[seq_len(min(n_rows, 20L)), , drop = FALSE])
  cat_wrapped(cli::style_bold(if (is.null(x$weights) && !is.null(x$by))
                "Contributions by group of studies" else
                  paste("Contributions of", of)),
              " (", x$method, ", ", x$model, " effects model)")
  n_pairs <- x$n_pairs %||% n_rows
  cat_wrapped(sprintf("%s x %d %s; rows in %%, largest three shown",
                        if (n_rows < n_pairs)
                          sprintf("%d of %s network estimates", n_rows,
                                  format(n_pairs, big.mark = ",")) else
                          sprintf("%d network estimates", n_rows),
                        ncol(w), of))
  top <- apply(w, 1, function(v) {
    o <- order(-v)[seq_len(min(3L, length(v)))]
    o <- o[v[o] > 0]
    paste0(colnames(w)[o], " ", formatC(100 * v[o], digits = digits, format = "f"), "%",
           collapse = ", ")
  })
  shown <- data.frame(comparison = rownames(w), stringsAsFactors = FALSE)
  if (!is.null(x$weights)) {
    direct_share <- vapply(seq_len(nrow(w)), function(i) {
      j <- match(rownames(w)[i], colnames(w))
      if (is.na(j)) 0 else w[i, j]
    }, numeric(1))
    shown$direct <- paste0(formatC(100 * direct_share, digits = digits, format = "f"), "%")
  }
  shown$largest <- top
  print_columns(shown, left = c("comparison", "largest"))
  if (n_rows > 20L) cli::cat_line(sprintf("... %d more rows", n_rows - 20L))
  if (!is.null(x$weights) && !is.null(x$by)) {
    cat_wrapped(sprintf("Shares of the groups of %s (%s) in `x$by`.",
                        x$by_name %||% "group", paste(colnames(x$by), collapse = ", ")))
  }
  invisible(x)
}

#' @rdname contributions
#' @param x An object of class `nma_contrib`.
#' @param ... Unused.
#' @return `tidy()`: a tibble in long form, one row per network comparison
#'   (`term`, `treat1`, `treat2`) and direct comparison (`direct`, labelled
#'   the same way), `study` (with `study = TRUE`) or group of studies
#'   (`group`, with `by = TRUE`), with its `contribution` (a proportion);
#'   zero contributions dropped.
#' @method tidy nma_contrib
#' @export
tidy.nma_contrib <- function(x, study = FALSE, by = FALSE, ...) {
  netmeta_guard()
  what <- if (isTRUE(by)) "by" else if (isTRUE(study)) "study" else "weights"
  m <- x[[what]]
  if (is.null(m)) {
    abort_fastnma(switch(what,
      by = "Contributions by group were not computed; use {.code contributions(fit, by = ...)}.",
      study = "Study contributions were not computed; use {.code contributions(fit, study = TRUE)}.",
      weights = "The contributions of the direct comparisons were not kept; use {.code contributions(fit, weights = TRUE)}."),
      "not_computed")
  }
  source <- c(by = "group", study = "study", weights = "direct")[[what]]
  net <- x$comparisons
  if (inherits(m, "sparseMatrix")) {
    # stored sparsely (a threshold): the entries kept, in the same order
    tr <- Matrix::summary(m)
    tr <- tr[order(tr$j, tr$i), , drop = FALSE]
    out <- data.frame(term = rownames(m)[tr$i], treat1 = net$treat1[tr$i],
                      treat2 = net$treat2[tr$i], source = colnames(m)[tr$j],
                      contribution = tr$x, stringsAsFactors = FALSE)
    names(out)[4] <- source
    return(as_tidy(out[out$contribution > 0, , drop = FALSE]))
  }
  out <- data.frame(term = rep(rownames(m), times = ncol(m)),
                    treat1 = rep(net$treat1, times = ncol(m)),
                    treat2 = rep(net$treat2, times = ncol(m)),
                    source = rep(colnames(m), each = nrow(m)),
                    contribution = as.vector(m), stringsAsFactors = FALSE)
  names(out)[4] <- source
  out <- out[out$contribution > 0, , drop = FALSE]
  as_tidy(out)
}

# The rows (asked-for comparisons `cp`) and columns (direct comparisons of
# the core's result `r`, in the canonical orientation) of a contribution
# matrix; `column` of `dc` is each reported column's place among the core's
# direct comparisons.
contrib_labels <- function(fit, r, cp) {
  trt <- fit$treatments
  net <- data.frame(treat1 = trt[cp$i], treat2 = trt[cp$j], stringsAsFactors = FALSE)
  dc <- orient_comparisons(fit, data.frame(treat1 = trt[r$b], treat2 = trt[r$a],
                                           column = seq_along(r$a),
                                           stringsAsFactors = FALSE))
  rows <- comparison_label(net$treat1, net$treat2)
  cols <- comparison_label(dc$treat1, dc$treat2)
  list(net = net, dc = dc, rows = rows, cols = cols, weights = NULL)
}

# Runs the core (`run(opts)`, given the rows and the storage options) for the
# rows `cp`: with threshold 0 one call giving dense matrices; with a
# threshold one call giving the compressed rows (the entries of at least
# `threshold`) moved into the slots of sparse matrices of the Matrix
# package, so that no dense matrix of all rows is formed and the entries are
# held about once. For "cinema" with study contributions (`study_map`, made
# from the dense weights in R) the rows go in pieces of about
# `fastnma.contrib_chunk` (1e7) entries, each made sparse. Returns
# contrib_labels() with `weights`, `study`, `group` and the core's result
# `core`.
contrib_run <- function(fit, run, cp, threshold, edges, study_map = NULL) {
  # the core's flow runs from the earlier to the later treatment in sorted
  # order (netmeta's row "j:i"), its columns are the direct comparisons the
  # same way: both are reported in the canonical orientation
  src <- as.integer(pmin(cp$i, cp$j))
  dst <- as.integer(pmax(cp$i, cp$j))
  # the core reports its progress every 64 rows
  progress <- function(expr) with_progress(expr, length(src), 64, "Decomposing the evidence flow")
  # the core writes the columns (its direct comparisons `edges`, checked
  # there) in their reported order, the dense matrices labelled
  r <- edges
  lab <- contrib_labels(fit, r, cp)
  rank <- match(seq_along(r$a), lab$dc$column)
  run_rows <- function(o) run(c(o, list(edge_a = r$a, edge_b = r$b)))
  if (threshold == 0) {
    all <- progress(run_rows(list(row_src = src, row_dst = dst, threshold = 0, col_rank = rank,
                             weights_dimnames = list(comparison = lab$rows, direct = lab$cols),
                             study_dimnames = list(comparison = lab$rows, study = fit$studies))))
    lab$weights <- all$weights
    return(c(lab, list(study = all$study, group = all$group, core = r)))
  }
  if (!is.null(study_map)) {
    # study contributions from the weights in R (the CINeMA method): dense
    # pieces, each made sparse
    M <- study_map(r, lab$dc)
    size <- max(1, getOption("fastnma.contrib_chunk", 1e7) %/% (length(r$a) + ncol(M)))
    chunks <- split(seq_along(src), ceiling(seq_along(src) / size))
    parts <- lapply(chunks, function(k) {
      rk <- run_rows(list(row_src = src[k], row_dst = dst[k], threshold = 0, col_rank = rank))
      w <- rk$weights
      list(w = sparse_above(w, threshold), s = sparse_above(w %*% M, threshold), g = rk$group)
    })
    lab$weights <- do.call(rbind, lapply(parts, `[[`, "w"))
    lab$study <- do.call(rbind, lapply(parts, `[[`, "s"))
    lab$group <- do.call(rbind, lapply(parts, `[[`, "g"))
    dimnames(lab$weights) <- list(comparison = lab$rows, direct = lab$cols)
    return(c(lab, list(core = r)))
  }
  all <- progress(run_rows(list(row_src = src, row_dst = dst, threshold = threshold, col_rank = rank)))
  if (!is.null(all$p)) {
    lab$weights <- sparse_rows(all, "", list(comparison = lab$rows, direct = lab$cols))
  }
  if (!is.null(all$study_p)) {
    lab$study <- sparse_rows(all, "study_", list(comparison = lab$rows, study = fit$studies))
  }
  lab$group <- all$group
  c(lab, list(core = r))
}

# The direct comparisons of the core (src/core/evidence.h, direct_edges()):
# the pairs of treatment codes of the contrasts, `a` < `b`, sorted by `a`
# then `b` (every pair of arms of a multi-arm study is a contrast of the
# network).
contrib_edges <- function(t1, t2) {
  lo <- pmin(t1, t2)
  hi <- pmax(t1, t2)
  first <- !duplicated(as.double(lo) * (max(hi, 0) + 1) + hi)
  a <- lo[first]
  b <- hi[first]
  o <- order(a, b)
  list(a = as.integer(a[o]), b = as.integer(b[o]))
}

# The compressed rows of the core's result `r` (fields `p`, `j`, `x`, with a
# prefix) as a sparse matrix: the core's vectors become its slots (sorted
# columns; no copies).
sparse_rows <- function(r, prefix, dimnames) {
  cls <- methods::getClass("dgRMatrix", where = asNamespace("Matrix"))
  methods::new(cls, p = r[[paste0(prefix, "p")]], j = r[[paste0(prefix, "j")]],
               x = r[[paste0(prefix, "x")]],
               Dim = c(length(dimnames[[1]]), length(dimnames[[2]])), Dimnames = dimnames)
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

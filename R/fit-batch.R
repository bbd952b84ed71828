#' Options of the batch path
#'
#' `batch_control()` sets how [nma()] with `by` (and [nma_binary()] with
#' `by`) fits a collection of networks: what is kept of each fit, whether
#' treatments are ranked in the same compiled call, what happens to a
#' network that cannot be fitted, and whether the work is spread over the
#' workers of a [future::plan()].
#'
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @section Lean results:
#' With `lean = TRUE` only what a simulation study needs is kept: for every
#' network the estimates of every treatment against the reference and their
#' standard errors (both models), \eqn{\tau^2}, Q and the rest of [glance()],
#' and the rankings asked for. Covariance matrices and the per-network fits
#' are not kept, so `x[[i]]` and `tidy(x, comparisons = "all")` are errors
#' of class `fastnma_error_not_computed`.
#'
#' @section Errors:
#' A network that cannot be fitted (a missing value, a disconnected network,
#' a reference it does not contain, ...) gets the classed error that [nma()]
#' gives for that network alone. With `errors = "stop"` (the default) the
#' batch stops with one error of class `fastnma_error_batch` that lists every
#' failed network (its `by` value and the message naming the study and the
#' column); the condition holds the table of failures (`$errors`) and the
#' first failure is its parent. With `errors = "keep"` the other networks are
#' fitted, a warning of class `fastnma_warning_batch` says how many failed,
#' and [batch_errors()] lists the failures; `x[[i]]` of a failed network
#' raises its error again.
#'
#' @section Parallel runs:
#' With `parallel = TRUE` the networks are split into contiguous chunks
#' (`chunk_size` networks each; by default one chunk per worker of the
#' current plan) and each chunk is one compiled call run by
#' [future.apply::future_lapply()] under whatever [future::plan()] the user
#' has set: `multisession` or `multicore` on one machine, `cluster` over
#' several machines, or a scheduler through `future.batchtools` (for
#' instance `future::plan(future.batchtools::batchtools_slurm)`). The
#' results are identical to the sequential run: every network is fitted by
#' the same deterministic code, and the SUCRA draws of network `i` use the
#' seed `seed + i - 1` (modulo \eqn{2^{31}}), fixed before the work is split,
#' so they do not depend on the plan, the number of workers or the chunks
#' (`rank_treatments(x[[i]], method = "sucra", seed = seed + i - 1)` gives
#' the same values). The future framework (packages `future` and
#' `future.apply`) is needed only for `parallel = TRUE`.
#'
#' @param lean Logical; keep only estimates, standard errors, \eqn{\tau^2}
#'   and Q (see the section Lean results).
#' @param rank `"none"` (default), `"pscore"` or `"sucra"`: rank the
#'   treatments of every network in the same compiled call, under the
#'   random-effects model (the default model of [rank_treatments()]) and
#'   the fit's `small_values`.
#' @param n_sim Number of draws for `rank = "sucra"`, a whole number from 1
#'   to 1e8.
#' @param seed Seed of the SUCRA draws of the first network (a whole number
#'   from 0 to `.Machine$integer.max`), or `NULL` to take one from R's
#'   random number generator (so [set.seed()] makes the batch reproducible).
#' @param errors `"stop"` (default) or `"keep"` (see the section Errors).
#' @param parallel Logical; run the batch through the future framework (see
#'   the section Parallel runs). Default `FALSE`.
#' @param chunk_size Number of networks per compiled call when `parallel =
#'   TRUE`; `NULL` (default) gives one chunk per worker.
#' @return A list of class `nma_batch_control`.
#' @seealso [nma_batch], [nma()]
#' @examples
#' batch_control(lean = TRUE, rank = "pscore")
#' @export
batch_control <- function(lean = FALSE, rank = c("none", "pscore", "sucra"),
                          n_sim = 10000L, seed = NULL, errors = c("stop", "keep"),
                          parallel = FALSE, chunk_size = NULL, ...) {
  netmeta_guard(dots_empty = TRUE)
  for (a in c("lean", "parallel")) {
    v <- get(a)
    if (!is.logical(v) || length(v) != 1L || is.na(v)) {
      abort_fastnma("{.arg {a}} must be TRUE or FALSE.", "flag")
    }
  }
  rank <- check_choice(if (missing(rank)) NULL else rank, c("none", "pscore", "sucra"), "rank")
  errors <- check_choice(if (missing(errors)) NULL else errors, c("stop", "keep"), "errors")
  if (!is_whole(n_sim) || n_sim < 1 || n_sim > max_n_sim) {
    abort_fastnma(c(
      "{.arg n_sim} must be a whole number from 1 to {format(max_n_sim, big.mark = ',', scientific = FALSE)}.",
      "x" = "It is {.val {format(n_sim)}}."
    ), "n_sim")
  }
  if (!is.null(seed) && (!is_whole(seed) || seed < 0 || seed > .Machine$integer.max)) {
    abort_fastnma(c(
      "{.arg seed} must be NULL or a whole number from 0 to {format(.Machine$integer.max, big.mark = ',')}.",
      "x" = "It is {.val {format(seed)}}."
    ), "seed")
  }
  if (!is.null(chunk_size) && (!is_whole(chunk_size) || chunk_size < 1)) {
    abort_fastnma("{.arg chunk_size} must be NULL or a whole number of at least 1.", "control")
  }
  structure(list(lean = lean, rank = rank, n_sim = as.integer(n_sim), seed = seed,
                 errors = errors, parallel = parallel, chunk_size = chunk_size),
            class = "nma_batch_control")
}

#' Collections of network meta-analyses: the batch path
#'
#' `nma(data, ..., by = column)` fits one network per value of `column` (the
#' replicates of a simulation study, the outcomes of a trial set, ...) in
#' one call of the compiled core, which loops over the networks with the
#' routines of the single fit. The result is a collection of class
#' `nma_batch`:
#'
#' * [tidy()] and [glance()] give one table over all networks, with the
#'   `by` column first (named after it): `tidy()` the comparisons with the
#'   reference (or all pairs, `comparisons = "all"`), `glance()` one row per
#'   network; `tidy(x, ranks = TRUE)` the rankings computed with
#'   `batch_control(rank = )`.
#' * `x[[i]]` (a position or a `by` value) is the network's fit, an ordinary
#'   `nma` object with the numbers of [nma()] on that network alone;
#'   `x[i]` is a smaller collection; `names(x)` the `by` values.
#' * [batch_errors()] lists the networks that could not be fitted (and,
#'   given the table of a verb on the collection, the networks the verb
#'   failed on).
#'
#' The verbs a simulation study runs ([node_split()], [inconsistency()],
#' [leave_one_out()], [contributions()], [confidence()], [component_nma()],
#' [nma_regression()], [rank_treatments()], [direct_estimates()],
#' [league_table()]) accept the collection and return one table keyed by
#' the `by` column (see [batch_verbs]). Other verbs and figures apply to
#' `x[[i]]`; given the collection they stop with an error of class
#' `fastnma_error_by_outcome`. Networks whose \eqn{\tau^2} is not
#' identifiable, or whose estimator did not converge, are announced in one
#' message (or warning) naming their `by` values.
#'
#' [nma_binary()] with `by` returns a collection of the same contract (class
#' `nma_binary_by`, which extends `nma_batch`), one fit per outcome.
#'
#' @param x An `nma_batch` collection.
#' @param i Position(s) or `by` value(s) of networks.
#' @param model `"random"` (default) or `"common"`.
#' @param comparisons `"reference"` (default) or `"all"` (not for lean
#'   collections).
#' @param conf.int,conf.level,exponentiate As for [tidy.nma()].
#' @param ranks Logical; return the rankings (`treatment` and `pscore`, or
#'   `sucra`, `mean_rank`, `p_best`) instead of the comparisons.
#' @param ... Unused.
#' @return `tidy()`, `glance()`, `batch_errors()`: tibbles.
#' @references
#' Morris TP, White IR, Crowther MJ (2019). Using simulation studies to
#' evaluate statistical methods. *Statistics in Medicine* 38(11):2074-2102.
#' \doi{10.1002/sim.8086}
#'
#' Bengtsson H (2021). A unifying framework for parallel and distributed
#' processing in R using futures. *The R Journal* 13(2):208-227.
#' \doi{10.32614/RJ-2021-048}
#' @examples
#' two <- rbind(cbind(senn2013, copy = 1), cbind(senn2013, copy = 2))
#' fits <- nma(two, TE, seTE, treat1, treat2, study, measure = "MD",
#'             by = copy, batch = batch_control(rank = "pscore"))
#' fits
#' glance(fits)
#' tidy(fits, ranks = TRUE)
#' fits[[2]]
#' @name nma_batch
NULL

# The batch engine behind nma(by = ).
nma_by <- function(data, exprs, by_expr, env, measure, reference, tau2_method, tau2,
                   ci_method, level, control, small_values, batch, call,
                   order = NULL, err_call = rlang::caller_env()) {
  if (!inherits(batch, "nma_batch_control")) {
    abort_fastnma("{.arg batch} must be made by {.fn batch_control}.", "control",
                  call = err_call)
  }
  if (inherits(data, "nma_network")) {
    abort_fastnma(c(
      "{.arg by} needs a data frame of contrasts, not a network.",
      "i" = "Give the contrast table with its {.arg by} column."
    ), "column", call = err_call)
  }
  check_data_frame(data, call = err_call)
  check_no_contrasts_left(data, call = err_call)
  cols <- lapply(exprs, column_label)
  by_label <- column_label(by_expr)
  v <- Map(function(expr, arg) capture_column(expr, data, env, arg), exprs, names(exprs))
  grp <- capture_column(by_expr, data, env, "by")
  check_no_missing(grp, by_label, v$study, call = err_call)
  if (!is.numeric(v$estimate)) {
    abort_fastnma("Column {.field {cols$estimate}} must be numeric, not {.obj_type_friendly {v$estimate}}.",
                  "estimate", call = err_call, column = cols$estimate)
  }
  if (!is.numeric(v$std.error)) {
    abort_fastnma("Column {.field {cols$std.error}} must be numeric, not {.obj_type_friendly {v$std.error}}.",
                  "se", call = err_call, column = cols$std.error)
  }
  if (!is.null(reference) &&
      (!(is.character(reference) || is.factor(reference)) || length(reference) != 1L ||
       is.na(reference))) {
    check_reference(reference, character(), call = err_call)
  }
  measure <- data_measure(data, measure, call = err_call)
  tau2_label <- if (is.null(tau2)) tau2_method else "preset"

  values <- grp[!duplicated(grp)]
  if (is.factor(values)) values <- droplevels(values)
  keys <- as.character(values)
  G <- length(values)
  net_of <- match(grp, values)
  rows <- split(seq_along(net_of), factor(net_of, seq_len(G)))
  names(rows) <- NULL

  st <- as.character(v$study)
  t1 <- as.character(v$treat1)
  t2 <- as.character(v$treat2)
  est <- as.double(v$estimate)
  se <- as.double(v$std.error)
  # One treatment order across the batch; each network takes its own
  # treatments in that order.
  trt_all <- treatment_order_of(v$treat1, v$treat2, order, call = err_call)
  order_of_rows <- function(r) trt_all[trt_all %in% c(t1[r], t2[r])]

  # Networks that fail a check of the single fit are fitted by nma() on
  # their own (for the same classed error); those that pass rejoin the batch.
  single <- function(g) {
    args <- c(list(data = data[rows[[g]], , drop = FALSE]), exprs,
              list(measure = measure, reference = reference, tau2_method = tau2_method,
                   tau2 = tau2, ci_method = ci_method, level = level, control = control,
                   small_values = small_values, order = order_of_rows(rows[[g]])))
    tryCatch(suppressWarnings(suppressMessages(do.call(nma, args, envir = env))),
             fastnma_error = function(e) {
               e$call <- call
               e
             })
  }
  failed <- vector("list", G)
  suspect <- batch_screen(st, t1, t2, est, se)
  for (g in unique(net_of[suspect])) {
    r <- single(g)
    if (inherits(r, "fastnma_error")) failed[[g]] <- r
  }
  ok <- which(vapply(failed, is.null, logical(1)))

  # One edge list, grouped by network; studies coded within their network,
  # treatments across the batch (their order, `trt_all`, is each network's).
  o <- unlist(rows[ok], use.names = FALSE)
  if (is.null(o)) o <- integer()
  net_o <- net_of[o]
  su <- unique(st[o])
  skey <- as.double(net_o) * (length(su) + 1) + match(st[o], su)
  ukey <- unique(skey)
  snet <- net_o[!duplicated(skey)]
  n_study <- tabulate(match(snet, ok), length(ok))
  first <- c(0L, cumsum(n_study))[match(net_o, ok)]
  s_local <- match(skey, ukey) - first
  trt <- order_of_rows(o)
  ref_code <- if (is.null(reference)) 0L else {
    r <- match(as.character(reference), trt)
    if (is.na(r)) length(trt) + 1L else r
  }
  offset <- c(0L, cumsum(lengths(rows[ok])))
  rank_code <- match(batch$rank, c("none", "pscore", "sucra")) - 1L
  seed0 <- if (batch$rank == "sucra") batch$seed %||% sample.int(.Machine$integer.max, 1L) else 0
  seeds <- (seed0 + ok - 1) %% (.Machine$integer.max + 1)
  core_in <- list(study = as.integer(s_local), t1 = match(t1[o], trt), t2 = match(t2[o], trt),
                  y = est[o], se = se[o], offset = as.integer(offset), n_study = n_study,
                  n_treat = length(trt), ref = as.integer(ref_code),
                  method = tau2_method, tol_multiarm = control$tol_multiarm,
                  tol_tau2 = control$tol_tau2,
                  tau2_preset = if (is.null(tau2)) -1 else as.double(tau2),
                  lean = batch$lean, rank = rank_code,
                  small_good = small_values == "desirable", n_sim = batch$n_sim,
                  seeds = as.double(seeds))
  res <- batch_run(core_in, batch)

  # Networks the core could not fit, and Hartung-Knapp intervals without
  # degrees of freedom: the error of nma() on the network alone.
  bad_core <- res$status != 0L | (ci_method == "hk" & res$df < 1L)
  for (j in which(bad_core)) {
    r <- single(ok[j])
    failed[[ok[j]]] <- if (inherits(r, "fastnma_error")) r else
      rlang::catch_cnd(abort_fastnma("The network could not be fitted.", "singular"))
  }
  keep <- !bad_core
  fitted <- ok[keep]

  errs <- batch_error_table(failed, values, by_label)
  if (nrow(errs) && batch$errors == "stop") abort_batch(errs, failed, by_label, err_call)

  # Per-network summaries and effects of the fitted networks.
  nt <- res$n_treat
  tstart <- c(0L, cumsum(nt))
  idx <- unlist(lapply(which(keep), function(j) tstart[j] + seq_len(nt[j])), use.names = FALSE)
  if (is.null(idx)) idx <- integer()
  nets <- data.frame(
    network = fitted, k = n_study[keep], m = lengths(rows[fitted]),
    n_treatments = nt[keep], n_designs = res$n_designs[keep],
    reference = trt[res$treatments[tstart[which(keep)] + res$ref[keep]]],
    tau2 = res$tau2[keep], Q = res$Q[keep], df = res$df[keep],
    Q_within = res$Q_within[keep], df_within = res$df_within[keep],
    Q_random = res$Q_random[keep],
    loglik_ml = res$loglik_ml[keep], loglik_reml = res$loglik_reml[keep],
    n_obs = res$n_obs[keep],
    converged = res$tau2_converged[keep], identifiable = res$tau2_identifiable[keep],
    stringsAsFactors = FALSE)
  nets$hk_scale <- ifelse(nets$df > 0, nets$Q_random / nets$df, NA_real_)
  if (isTRUE(control$hk_adhoc)) nets$hk_scale <- ifelse(is.na(nets$hk_scale), NA_real_,
                                                        pmax(1, nets$hk_scale))
  effects <- data.frame(
    network = rep(fitted, nt[keep]),
    treatment = trt[res$treatments[idx]],
    theta_random = res$theta_random[idx], var_random = res$var_random[idx],
    theta_common = res$theta_common[idx], var_common = res$var_common[idx],
    stringsAsFactors = FALSE)
  ranks <- if (rank_code > 0L) {
    r <- data.frame(network = effects$network, treatment = effects$treatment,
                    stringsAsFactors = FALSE)
    if (rank_code == 1L) {
      r$pscore <- res$score[idx]
    } else {
      r$sucra <- res$score[idx]
      r$mean_rank <- res$mean_rank[idx]
      r$p_best <- res$p_best[idx]
    }
    r
  }
  batch_messages(nets, keys, tau2_label)

  elements <- vector("list", G)
  names(elements) <- keys
  for (g in which(!vapply(failed, is.null, logical(1)))) elements[g] <- list(failed[[g]])
  if (!batch$lean) {
    fits <- res$fits[keep]
    for (j in seq_along(fitted)) {
      elements[[fitted[j]]] <- structure(list(core = fits[[j]]$fit, network = fits[[j]]$network,
                                              rows = rows[[fitted[j]]]),
                                         class = "nma_batch_core")
    }
  } else {
    for (g in fitted) elements[[g]] <- structure(list(), class = "nma_batch_lean")
  }
  if (nrow(errs)) {
    cli::cli_warn(c(
      "{nrow(errs)} of {G} network{?s} could not be fitted ({by_label} {.val {errs[[1]]}}).",
      "i" = "See {.code batch_errors()} for the reasons."
    ), class = c("fastnma_warning_batch", "fastnma_warning"))
  }
  new_collection(elements, "nma_batch", by = by_label, values = values,
            networks = nets, effects = effects, ranks = ranks, errors = errs,
            settings = list(measure = measure, reference = reference,
                            tau2_method = tau2_label, tau2 = tau2,
                            ci_method = ci_method, level = level, control = control,
                            small_values = small_values, cols = cols, lean = batch$lean,
                            rank = batch$rank, n_sim = batch$n_sim,
                            parallel = batch$parallel, chunk_size = batch$chunk_size,
                            seed = if (batch$rank == "sucra") seed0, call = call,
                            order = trt_all),
            data = if (!batch$lean) data, columns = if (!batch$lean) v)
}

# Rows that would fail a check of the single fit (a superset: their
# networks are fitted alone to find out).
batch_screen <- function(st, t1, t2, est, se) {
  bad <- is.na(st) | is.na(t1) | is.na(t2) | is.na(est) | is.na(se) |
    !is.finite(est) | !is.finite(se) | se <= 0 | se < 1 / magnitude_limit |
    se > magnitude_limit | abs(est) > magnitude_limit
  bad <- bad | (t1 == t2) %in% TRUE
  blank <- function(x) {
    u <- unique(x)
    x %in% u[nzchar(trimws(u)) %in% FALSE]
  }
  bad <- bad | blank(st) | blank(t1) | blank(t2)
  clash <- function(x) {
    u <- unique(x[!is.na(x)])
    tw <- trimws(u)
    x %in% u[duplicated(tw) | duplicated(tw, fromLast = TRUE)]
  }
  tc <- clash(c(t1, t2))
  bad | clash(st) | tc[seq_along(t1)] | tc[length(t1) + seq_along(t1)]
}

# The compiled call, in one piece or in chunks through the future framework.
batch_run <- function(a, batch) {
  G <- length(a$n_study)
  if (!batch$parallel || G < 2L) return(nma_batch_cpp(a))
  for (pkg in c("future", "future.apply")) {
    if (!requireNamespace(pkg, quietly = TRUE)) {
      abort_fastnma(c(
        "{.code parallel = TRUE} needs the package {.pkg {pkg}}.",
        "i" = "Install it, or use {.code parallel = FALSE}."
      ), "not_supported")
    }
  }
  size <- batch$chunk_size %||% ceiling(G / max(1L, future::nbrOfWorkers()))
  chunk <- split(seq_len(G), ceiling(seq_len(G) / size))
  pieces <- lapply(chunk, function(gs) {
    r <- (a$offset[min(gs)] + 1L):a$offset[max(gs) + 1L]
    b <- a
    for (f in c("study", "t1", "t2", "y", "se")) b[[f]] <- a[[f]][r]
    b$offset <- a$offset[c(gs, max(gs) + 1L)] - a$offset[min(gs)]
    b$n_study <- a$n_study[gs]
    b$seeds <- a$seeds[gs]
    b
  })
  out <- future.apply::future_lapply(pieces, batch_chunk, future.seed = NULL,
                                     future.packages = "fastnma")
  batch_combine(out)
}

# One chunk of a parallel batch (run by a future worker).
batch_chunk <- function(a) {
  nma_batch_cpp(a)
}

batch_combine <- function(parts) {
  out <- lapply(names(parts[[1L]]), function(f) {
    do.call(c, unname(lapply(parts, `[[`, f)))
  })
  names(out) <- names(parts[[1L]])
  out
}

# The failures of a batch as a table: by value, error class, message, study
# and column where the error names them.
batch_error_table <- function(failed, values, by_label) {
  g <- which(!vapply(failed, is.null, logical(1)))
  flat <- function(x) if (is.null(x)) NA_character_ else paste(x, collapse = ", ")
  out <- data.frame(
    by = values[g],
    class = vapply(failed[g], function(e) class(e)[1L], character(1)),
    message = vapply(failed[g], function(e) cli::ansi_strip(conditionMessage(e)), character(1)),
    study = vapply(failed[g], function(e) flat(e$study), character(1)),
    column = vapply(failed[g], function(e) flat(e$column), character(1)),
    stringsAsFactors = FALSE)
  names(out)[1L] <- by_label
  rownames(out) <- NULL
  tibble::as_tibble(out)
}

abort_batch <- function(errs, failed, by_label, call) {
  first_line <- function(m) sub("\n.*$", "", m)
  shown <- utils::head(seq_len(nrow(errs)), 10L)
  lines <- paste0(by_label, " = ", errs[[1L]][shown], ": ", errs$class[shown],
                  ifelse(is.na(errs$study[shown]), "", paste0(" (study ", errs$study[shown], ")")),
                  ": ", first_line(errs$message[shown]))
  lines <- gsub("}", "}}", gsub("{", "{{", lines, fixed = TRUE), fixed = TRUE)
  parent <- failed[[which(!vapply(failed, is.null, logical(1)))[1L]]]
  abort_fastnma(c(
    "{nrow(errs)} network{?s} of the batch could not be fitted.",
    stats::setNames(lines, rep("x", length(lines))),
    if (nrow(errs) > 10L) c("x" = "... and {nrow(errs) - 10L} more."),
    "i" = "Fix the data of these networks, or use {.code batch_control(errors = \"keep\")} to fit the others and list the failures with {.fn batch_errors}."
  ), "batch", errors = errs, parent = parent, call = call)
}

# One message for the networks without information on tau^2, one warning
# for those whose estimator did not converge.
batch_messages <- function(nets, keys, tau2_method) {
  ni <- keys[nets$network[!nets$identifiable]]
  if (length(ni)) {
    inform_fastnma(c(
      "i" = "tau^2 is set to 0 in {length(ni)} network{?s} ({.val {ni}}): Q has no degrees of freedom there, so the data carry no information on heterogeneity."
    ), "tau2_not_identifiable")
  }
  nc <- keys[nets$network[nets$identifiable & !nets$converged]]
  if (length(nc)) {
    cli::cli_warn(c(
      "The {tau2_method} estimate of tau^2 did not converge in {length(nc)} network{?s} ({.val {nc}}).",
      "i" = "The likelihood may increase without bound; consider {.code tau2_method = \"DL\"}."
    ), class = c("fastnma_warning_convergence", "fastnma_warning"))
  }
}

#' @rdname nma_batch
#' @export
batch_errors <- function(x, ...) {
  netmeta_guard(dots_empty = TRUE)
  if (!inherits(x, "nma_batch") && !inherits(attr(x, "errors"), "data.frame")) {
    abort_fastnma("{.arg x} must be a collection made with {.arg by}, or the table of a verb given one.",
                  "not_fit")
  }
  attr(x, "errors") %||% tibble::tibble()
}

# Element g of a collection as an `nma` object.
batch_element <- function(x, g) {
  el <- .subset2(x, g)
  if (inherits(el, "nma")) return(el)
  if (inherits(el, "condition")) stop(el)
  key <- names(x)[g]
  if (inherits(el, "nma_batch_lean")) {
    abort_fastnma(c(
      "The collection was made with {.code batch_control(lean = TRUE)}: it keeps no fits.",
      "i" = "Refit without {.arg lean}, or fit network {.val {key}} with {.fn nma}."
    ), "not_computed")
  }
  s <- attr(x, "settings")
  v <- attr(x, "columns")
  r <- el$rows
  data <- attr(x, "data")
  # the network the core built for this member (its structure and compiled
  # handle), not built again
  net <- new_nma_network(as.character(v$study[r]), as.character(v$treat1[r]),
                         as.character(v$treat2[r]), as.double(v$estimate[r]),
                         as.double(v$std.error[r]), measure = s$measure,
                         tol_multiarm = s$control$tol_multiarm, cols = s$cols,
                         zero_cells = attr(data, "zero_cells"),
                         treatments = if (!is.null(s$order)) {
                           s$order[s$order %in% c(v$treat1[r], v$treat2[r])]
                         }, built = el$network)
  fit <- suppressMessages(suppressWarnings(fit_contrasts(
    net, reference = s$reference, tau2_method = s$tau2_method,
    ci_method = s$ci_method, level = s$level, control = s$control, call = s$call,
    err_call = rlang::caller_env(), small_values = s$small_values, tau2 = s$tau2,
    core = el$core)))
  # (the arm sizes are read from the columns n1 and n2 of the member's rows:
  # those columns alone, not the rows of the whole data frame)
  sizes <- lapply(unclass(data)[intersect(c("n1", "n2"), names(data))], `[`, r)
  fit$arms <- arm_sizes(sizes, net$data$study, net$data$treat1, net$data$treat2)
  fit
}

batch_index <- function(x, i, call = rlang::caller_env()) {
  keys <- names(x)
  g <- if (is.character(i)) match(i, keys) else if (is.numeric(i)) {
    ifelse(i >= 1 & i <= length(keys) & i == round(i), i, NA)
  } else {
    match(as.character(i), keys)
  }
  if (anyNA(g) || length(g) == 0L) {
    abort_fastnma(c(
      "Networks must be given by position or by {.field {attr(x, 'by')}} value.",
      "x" = "{.val {format(i[is.na(g)])}} {?is/are} not in the collection."
    ), "comparison_selection", call = call)
  }
  as.integer(g)
}

#' @rdname nma_batch
#' @param exact Unused.
#' @export
`[[.nma_batch` <- function(x, i, exact = TRUE) {
  if (length(i) != 1L) {
    abort_fastnma("{.code [[} takes one network; use {.code [} for several.",
                  "comparison_selection")
  }
  batch_element(x, batch_index(x, i))
}

#' @export
`$.nma_batch` <- function(x, name) x[[name]]

#' @rdname nma_batch
#' @export
`[.nma_batch` <- function(x, i) {
  g <- batch_index(x, i)
  at <- attributes(x)
  keep <- function(tab) if (is.null(tab)) NULL else {
    tab <- tab[tab$network %in% g, , drop = FALSE]
    tab$network <- match(tab$network, g)
    rownames(tab) <- NULL
    tab
  }
  out <- unclass(x)[g]
  errs <- at$errors
  if (!is.null(errs) && nrow(errs)) errs <- errs[errs[[1L]] %in% at$values[g], , drop = FALSE]
  nets <- at$networks
  if (!is.null(nets)) {
    ord <- order(match(nets$network[nets$network %in% g], g))
    nets <- keep(nets)[ord, , drop = FALSE]
    rownames(nets) <- NULL
  }
  effects <- keep(at$effects)
  if (!is.null(effects)) effects <- effects[order(effects$network), , drop = FALSE]
  ranks <- keep(at$ranks)
  if (!is.null(ranks)) ranks <- ranks[order(ranks$network), , drop = FALSE]
  at$names <- names(x)[g]
  at$values <- at$values[g]
  at$networks <- nets
  at$effects <- effects
  at$ranks <- ranks
  at$errors <- errs
  attributes(out) <- at
  out
}

#' @export
as.list.nma_batch <- function(x, ...) {
  netmeta_guard()
  out <- lapply(seq_along(x), function(g) {
    tryCatch(batch_element(x, g), fastnma_error = function(e) e)
  })
  names(out) <- names(x)
  out
}

# The fits of the collection that were fitted.
batch_fitted <- function(x) {
  nets <- attr(x, "networks")
  if (!is.null(nets)) return(nets$network)
  which(vapply(unclass(x), inherits, logical(1), "nma"))
}

#' @rdname nma_batch
#' @method tidy nma_batch
#' @export
tidy.nma_batch <- function(x, model = c("random", "common"),
                           comparisons = c("reference", "all"), conf.int = TRUE,
                           conf.level = NULL, exponentiate = FALSE, ranks = FALSE, ...) {
  netmeta_guard()
  check_dots_empty(...)
  s <- attr(x, "settings")
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  comparisons <- check_choice(if (missing(comparisons)) NULL else comparisons,
                              c("reference", "all"), "comparisons")
  conf.level <- conf.level %||% s$level
  check_level(conf.level)
  check_conf_int(conf.int)
  exponentiate <- resolve_exponentiate(exponentiate, s$measure)
  by_col <- function(df, network) {
    out <- cbind(data.frame(by = attr(x, "values")[network], stringsAsFactors = FALSE), df)
    names(out)[1L] <- attr(x, "by")
    out
  }
  if (isTRUE(ranks)) {
    r <- attr(x, "ranks")
    if (is.null(r)) {
      abort_fastnma(c(
        "The collection holds no rankings.",
        "i" = "Fit it with {.code batch_control(rank = \"pscore\")} or {.code \"sucra\"}."
      ), "not_computed")
    }
    return(as_tidy(by_col(r[setdiff(names(r), "network")], r$network)))
  }
  if (comparisons == "all") {
    if (isTRUE(s$lean)) {
      abort_fastnma(c(
        "A lean collection keeps no covariances, so it has no comparisons between all pairs.",
        "i" = "Refit without {.code lean = TRUE}."
      ), "not_computed")
    }
    out <- collection_members_table(x, batch_fitted(x), function(f) {
      tidy(f, model = model, comparisons = "all", conf.int = TRUE, conf.level = conf.level,
           exponentiate = exponentiate)
    })
    return(as_tidy(out, conf.int = conf.int))
  }
  nets <- attr(x, "networks")
  e <- attr(x, "effects")
  j <- match(e$network, nets$network)
  ref <- nets$reference[j]
  e <- e[e$treatment != ref, , drop = FALSE]
  j <- match(e$network, nets$network)
  # The arithmetic of comparison_rows() on the reference comparisons.
  est <- e[[paste0("theta_", model)]] - 0
  v <- e[[paste0("var_", model)]] + 0 - 2 * 0
  v[v < 0] <- 0
  hk <- model == "random" && s$ci_method == "hk"
  df <- nets$df[j]
  if (hk) v <- v * nets$hk_scale[j]
  se <- sqrt(v)
  if (hk) {
    q <- stats::qt(1 - (1 - conf.level) / 2, df)
    p <- 2 * stats::pt(-abs(est / se), df)
  } else {
    q <- stats::qnorm(1 - (1 - conf.level) / 2)
    p <- 2 * stats::pnorm(-abs(est / se))
  }
  out <- data.frame(treat1 = e$treatment, treat2 = nets$reference[j], estimate = est,
                    std.error = se, conf.low = est - q * se, conf.high = est + q * se,
                    statistic = est / se, p.value = p, stringsAsFactors = FALSE)
  if (model == "random") {
    se_pred <- sqrt(se^2 + nets$tau2[j])
    qp <- ifelse(df >= 1, stats::qt(1 - (1 - conf.level) / 2, pmax(df, 1)), NA_real_)
    out$pred.low <- est - qp * se_pred
    out$pred.high <- est + qp * se_pred
  }
  if (exponentiate) out <- exponentiate_columns(out)
  out <- cbind(data.frame(term = comparison_label(out$treat1, out$treat2),
                          stringsAsFactors = FALSE), out)
  as_tidy(by_col(out, e$network), conf.int = conf.int, model = model)
}

#' @rdname nma_batch
#' @method glance nma_batch
#' @export
glance.nma_batch <- function(x, ...) {
  netmeta_guard()
  check_dots_empty(...)
  s <- attr(x, "settings")
  n <- attr(x, "networks")
  i2 <- vapply(seq_len(nrow(n)), function(r) i2_interval(n$Q[r], n$df[r], s$level),
               numeric(3))
  pv <- function(Q, df) ifelse(df > 0, stats::pchisq(Q, pmax(df, 1), lower.tail = FALSE),
                               NA_real_)
  Q_between <- n$Q - n$Q_within
  df_between <- n$df - n$df_within
  ll <- switch(s$tau2_method, REML = n$loglik_reml, ML = n$loglik_ml, rep(NA_real_, nrow(n)))
  out <- data.frame(
    by = attr(x, "values")[n$network],
    k = n$k, m = n$m, n_treatments = n$n_treatments, n_designs = n$n_designs,
    tau2 = n$tau2, tau = sqrt(n$tau2),
    I2 = i2[1L, ], I2_lower = i2[2L, ], I2_upper = i2[3L, ],
    Q = n$Q, df = n$df, p.value = pv(n$Q, n$df),
    Q_within = n$Q_within, df_within = n$df_within,
    p_value_within = pv(n$Q_within, n$df_within),
    Q_between = Q_between, df_between = df_between,
    p_value_between = pv(Q_between, df_between),
    tau2_method = rep(s$tau2_method, nrow(n)), logLik = ll, nobs = n$m,
    stringsAsFactors = FALSE)
  names(out)[1L] <- attr(x, "by")
  rownames(out) <- NULL
  tibble::as_tibble(out)
}

#' @export
print.nma_batch <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  s <- attr(x, "settings")
  n <- attr(x, "networks")
  errs <- attr(x, "errors")
  cli::cat_line(cli::style_bold("Network meta-analyses by "), attr(x, "by"), " (",
                length(x), " network", if (length(x) == 1L) "" else "s", ", ",
                s$measure, "; tau^2 ", s$tau2_method,
                if (isTRUE(s$lean)) "; lean" else "", ")")
  cli::cat_line(sprintf("Fitted: %d; failed: %d", nrow(n), nrow(errs)))
  if (nrow(n)) {
    q <- stats::quantile(n$tau2, c(0, 0.5, 1), names = FALSE)
    cli::cat_line(sprintf("tau^2: median %s (range %s to %s); treatments per network: %s",
                          format_num(q[2], 4), format_num(q[1], 4), format_num(q[3], 4),
                          paste(unique(range(n$n_treatments)), collapse = " to ")))
  }
  if (!identical(s$rank, "none")) cli::cat_line("Rankings: ", s$rank, " (tidy(x, ranks = TRUE))")
  if (nrow(errs)) {
    cli::cat_line("Failures (batch_errors()):")
    shown <- utils::head(errs, 5L)
    for (r in seq_len(nrow(shown))) {
      cli::cat_line("  ", attr(x, "by"), " = ", format(shown[[1L]][r]), ": ",
                    shown$class[r])
    }
  }
  cli::cat_line("Use tidy(), glance(), or x[[i]] for one fit.")
  invisible(x)
}

#' @export
summary.nma_batch <- function(object, ...) {
  netmeta_guard()
  check_dots_print(...)
  glance(object)
}

# nma_binary(by = ): one fit per outcome, collected under the batch
# contract (failures classed and listed, optional future workers). The
# Mantel-Haenszel core fits one network per call, so each outcome is one
# call of its own.
binary_by <- function(arms, grp, by_label, measure, method, reference, zero_cells,
                      level, dots, call, small_values, batch,
                      err_call = rlang::caller_env()) {
  grp <- as.character(grp)
  groups <- unique(grp)
  one <- function(g) {
    tryCatch(fit_binary(subset_arms(arms, grp == g), measure, method, reference,
                        zero_cells, level, dots, call, small_values),
             fastnma_error = function(e) e)
  }
  fits <- if (batch$parallel && length(groups) > 1L) {
    for (pkg in c("future", "future.apply")) {
      if (!requireNamespace(pkg, quietly = TRUE)) {
        abort_fastnma("{.code parallel = TRUE} needs the package {.pkg {pkg}}.",
                      "not_supported", call = err_call)
      }
    }
    future.apply::future_lapply(groups, one, future.seed = NULL,
                                future.packages = "fastnma")
  } else {
    lapply(groups, one)
  }
  names(fits) <- groups
  failed <- lapply(fits, function(f) if (inherits(f, "fastnma_error")) f)
  errs <- batch_error_table(unname(failed), groups, by_label)
  if (nrow(errs)) {
    if (batch$errors == "stop") abort_batch(errs, unname(failed), by_label, err_call)
    cli::cli_warn(c(
      "{nrow(errs)} of {length(groups)} outcome{?s} could not be fitted ({by_label} {.val {errs[[1]]}}).",
      "i" = "See {.code batch_errors()} for the reasons."
    ), class = c("fastnma_warning_batch", "fastnma_warning"))
  }
  new_collection(fits, c("nma_binary_by", "nma_batch"), by = by_label,
            values = groups, errors = errs,
            settings = list(measure = measure, level = level, lean = FALSE,
                            rank = "none", call = call))
}

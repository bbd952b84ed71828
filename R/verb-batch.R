#' Verbs on a collection made by `nma(by = )`
#'
#' The verbs a simulation study runs on every replicate network accept a
#' collection made by [nma()] with `by` (class [nma_batch]) as well as one
#' fit: [node_split()], [inconsistency()], [leave_one_out()],
#' [contributions()], [confidence()], [component_nma()] and
#' [nma_regression()] (where the data carry the components or the
#' covariate), [rank_treatments()], [direct_estimates()] and
#' [league_table()]. Given a collection, the verb is applied to every fitted
#' network with the arguments of the call, and the results come back as
#' one tidy table keyed by the batch id: its first column is named after
#' `by`, and the other columns are those of the result for one network:
#'
#' | verb | table of each network |
#' | --- | --- |
#' | `node_split()`, `inconsistency()`, `contributions()`, `confidence()`, `component_nma()`, `nma_regression()`, `rank_treatments()`, `league_table()` | its [tidy()] |
#' | `leave_one_out()` | the summary per study (`x$studies`) |
#' | `direct_estimates()` | the table itself |
#'
#' @section The same numbers as a loop:
#' Each network is the one the core built when the collection was fitted:
#' no network is built again (with `batch_control(parallel = TRUE)` the
#' workers rebuild each network of their chunk once, as for a collection
#' read back with [readRDS()]). The verb runs on the fit of the network,
#' `x[[i]]`, which holds the numbers of [nma()] on that network alone, so
#' the rows of network `i` are those of `tidy(verb(x[[i]], ...))`.
#' [confidence()] computes for each network only the numbers its rules read
#' (the estimates and intervals, the study contributions, node-splitting and
#' the design-by-treatment test, from the compiled routines) and checks the
#' arguments the networks share once; the rules, written on columns, judge
#' the rows of all networks together and write their reasons at once: the
#' same rules as for one fit, so the same table.
#'
#' @section Arguments that differ between networks:
#' An argument is evaluated for each network as it would be for one fit
#' (a covariate given as a column of the data is the column of that
#' network's rows). An argument that differs between networks (the
#' risk-of-bias judgements of the studies of each replicate, say) is given
#' as `per_network(values)`: a list with one element per network, in the
#' order of the collection or named by its `by` values; network `i` gets
#' element `i` (or the element named by its `by` value).
#'
#' @section Errors:
#' A network on which the verb stops (with an error of class
#' `fastnma_error`) does not stop the others: its rows are left out, a
#' warning of class `fastnma_warning_batch` names the networks that failed,
#' and [batch_errors()] of the table lists them (the `by` value, the error
#' class and message, and the study and column the error names). Messages
#' of the verb on each network are not shown; the warnings are collected
#' into one warning of class `fastnma_warning_batch` naming the networks.
#' Networks the collection could not fit are not given to the verb (see
#' [batch_errors()] of the collection). A lean collection
#' (`batch_control(lean = TRUE)`) keeps no fits, so its verbs stop with an
#' error of class `fastnma_error_not_computed`.
#'
#' @section Parallel runs:
#' A collection fitted with `batch_control(parallel = TRUE)` runs its verbs
#' through the future framework too: the networks are split into the same
#' chunks, each chunk runs on a worker of the current [future::plan()], and
#' the table is identical to the sequential run. The arguments are
#' evaluated in the calling session and sent to the workers.
#'
#' @param values A list (or vector) with one element per network of the
#'   collection, in its order or named by its `by` values.
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` (see [netmeta_arguments]), other names
#'   with `fastnma_error_unknown_argument`.
#' @return `per_network()`: `values`, marked for the verbs on a collection.
#'   The verbs: a tibble with the `by` column first.
#' @seealso [nma_batch], [batch_control()], [batch_errors()]
#' @examples
#' two <- rbind(cbind(senn2013, copy = 1), cbind(senn2013, copy = 2))
#' fits <- nma(two, TE, seTE, treat1, treat2, study, measure = "MD", by = copy)
#' node_split(fits)
#' rank_treatments(fits)
#' # the judgements of the studies of each network
#' st <- unique(senn2013$study)
#' rob <- per_network(list(
#'   `1` = setNames(rep("low", length(st)), st),
#'   `2` = setNames(rep(c("low", "high"), length.out = length(st)), st)))
#' confidence(fits, rob, margin = 0.5)
#' @name batch_verbs
NULL

#' @rdname batch_verbs
#' @export
per_network <- function(values, ...) {
  netmeta_guard(dots_empty = TRUE)
  if (!is.list(values) && !is.atomic(values) || is.null(values)) {
    abort_fastnma(c(
      "{.arg values} must be a list or a vector with one element per network.",
      "x" = "It is {.obj_type_friendly {values}}."
    ), "per_network")
  }
  structure(list(values = values), class = "fastnma_per_network")
}

# What each verb on a collection gives for one network: its tidy() unless
# said otherwise. The names are the verbs a collection accepts. "stack":
# the verb's result is a table whose tidy() turns each row into the same
# number of consecutive rows, in the order of the rows, from attributes the
# networks share (the model, the level, the measure); the results of all
# networks are stacked and tidied once (tidy() of node-splitting costs more
# than the split itself). A function of two arguments: the verb gives, for
# a network marked with the attribute `fastnma_batch_rows`, the numbers its
# rules read, and the function turns those of all networks (and their `by`
# values) into the table at once (the judgements of confidence()).
batch_verb_tables <- list(
  node_split = "stack",
  inconsistency = function(r) tidy(r),
  leave_one_out = function(r) r$studies,
  contributions = function(r) tidy(r),
  confidence = function(ing, by) confidence_batch_table(ing, by),
  component_nma = function(r) tidy(r),
  nma_regression = function(r) tidy(r),
  rank_treatments = function(r) tidy(r),
  direct_estimates = function(r) r,
  league_table = function(r) tidy(r)
)

# The verb whose frame is `frame`, when it is one a collection accepts: its
# name, function, call and the environment it was called from.
batch_verb_frame <- function(frame) {
  frames <- sys.frames()
  n <- which(vapply(frames, identical, logical(1), frame))
  if (length(n) != 1L) return(NULL)
  fun <- sys.function(n)
  ns <- asNamespace("fastnma")
  verb <- Filter(function(v) identical(fun, get(v, ns)), names(batch_verb_tables))
  if (length(verb) != 1L) return(NULL)
  list(verb = verb, fun = fun, call = sys.call(n), env = sys.frame(sys.parents()[n]))
}

# A collection by `by` given to one of the verbs above (found through the
# gate every verb passes, check_fit_object()): the verb is applied to each
# fitted network and `frame` returns the table.
batch_apply <- function(x, frame) {
  v <- batch_verb_frame(frame)
  if (is.null(v)) return(invisible(NULL))
  g <- batch_fitted(x)
  if (isTRUE(attr(x, "settings")$lean) && length(g)) batch_element(x, g[1L])
  out <- batch_verb_table(x, v)
  # the verb's own frame returns the table (eval_bare() makes no context of
  # its own, so return() leaves the verb, not this function)
  rlang::eval_bare(call("return", out), frame)
}

# The table of a verb over the fitted networks of `x`.
batch_verb_table <- function(x, v) {
  mc <- match.call(v$fun, v$call, expand.dots = TRUE, envir = v$env)
  args <- as.list(mc)[-1L]
  args[[1L]] <- quote(.fastnma_member)
  # arguments given per network are evaluated once, here
  pn <- list()
  for (a in seq_along(args)[-1L]) {
    # (an argument that does not evaluate here, a bare column name, say, is
    # left to the verb; an error of the package's own stops here)
    val <- tryCatch(eval(args[[a]], v$env), error = function(e) {
      if (inherits(e, "fastnma_error")) stop(e)
      NULL
    })
    if (inherits(val, "fastnma_per_network")) {
      nm <- paste0(".fastnma_arg", a)
      pn[[nm]] <- per_network_values(val$values, x, names(args)[a])
      args[[a]] <- as.name(nm)
    }
  }
  one_call <- as.call(c(as.name(v$verb), args))
  g <- batch_fitted(x)
  s <- attr(x, "settings")
  parallel <- isTRUE(s$parallel) && length(g) > 1L
  runs <- if (parallel) {
    batch_verb_parallel(x, g, one_call, pn, v, s$chunk_size)
  } else {
    batch_verb_rows(x, g, one_call, pn, v) %||% batch_verb_run(x, g, one_call, pn, v$env, v$verb)
  }
  batch_verb_collect(x, g, runs, v$verb)
}

# The element of a per_network() argument for each network of `x`.
per_network_values <- function(values, x, arg, call = rlang::caller_env()) {
  keys <- names(x)
  nm <- names(values)
  if (!is.null(nm) && all(keys %in% nm)) return(as.list(values)[keys])
  if (length(values) == length(keys) && is.null(nm)) {
    return(stats::setNames(as.list(values), keys))
  }
  abort_fastnma(c(
    "{.code per_network()} for {.arg {arg}} must have one element per network ({length(keys)}), in the order of the collection or named by its {.field {attr(x, 'by')}} values.",
    "x" = if (is.null(nm)) "It has {length(values)}." else
      "Networks without an element: {.val {utils::head(setdiff(keys, nm), 5)}}."
  ), "per_network", call = call)
}

# The verb on networks `g` of `x` (the call `one_call` with the network as
# `.fastnma_member` and the per_network() elements bound), evaluated in an
# environment whose parent is `env`: each network's result, or its
# fastnma_error, and the warnings it gave.
batch_verb_run <- function(x, g, one_call, pn, env, verb) {
  keys <- names(x)
  lapply(g, function(i) {
    e <- new.env(parent = env)
    for (nm in names(pn)) assign(nm, pn[[nm]][[keys[i]]], envir = e)
    warned <- character()
    value <- withCallingHandlers(
      tryCatch({
        member <- batch_element(x, i)
        table <- batch_verb_tables[[verb]]
        if (batch_rows_verb(verb)) attr(member, "fastnma_batch_rows") <- TRUE
        assign(".fastnma_member", member, envir = e)
        if (is.function(table) && !batch_rows_verb(verb)) table(eval(one_call, e)) else eval(one_call, e)
      }, fastnma_error = function(err) err),
      message = function(m) invokeRestart("muffleMessage"),
      warning = function(w) {
        warned <<- c(warned, conditionMessage(w))
        invokeRestart("muffleWarning")
      })
    list(value = value, warnings = warned)
  })
}

# A verb whose results are judged for all networks at once (a function of
# two arguments in batch_verb_tables) with a routine for the networks after
# the first (batch_verb_rest, below): the verb runs on the first network as
# usual, which checks the arguments the networks share; the others go to
# the routine with those arguments evaluated once and their own
# per_network() elements, without the verb's checks of the shared arguments
# for each network. NULL when the first network fails (the verb then runs on
# every network, for the errors it gives each).
batch_verb_rows <- function(x, g, one_call, pn, v) {
  rest <- batch_verb_rest[[v$verb]]
  if (is.null(rest) || length(g) < 2L) return(NULL)
  first <- batch_verb_run(x, g[1L], one_call, pn, v$env, v$verb)
  if (inherits(first[[1L]]$value, "condition")) return(NULL)
  args <- as.list(one_call)[-(1:2)]
  # the arguments given per network are the variables of `pn`
  own <- vapply(args, function(a) is.name(a) && as.character(a) %in% names(pn), logical(1))
  shared <- lapply(args[!own], eval, envir = v$env)
  keys <- names(x)
  c(first, lapply(g[-1L], function(i) {
    given <- shared
    for (a in names(args)[own]) given[a] <- list(pn[[as.character(args[[a]])]][[keys[i]]])
    warned <- character()
    value <- withCallingHandlers(
      tryCatch(rest(batch_element(x, i), given, first[[1L]]$value, v$call, names(args)[own]),
               fastnma_error = function(err) err),
      message = function(m) invokeRestart("muffleMessage"),
      warning = function(w) {
        warned <<- c(warned, conditionMessage(w))
        invokeRestart("muffleWarning")
      })
    list(value = value, warnings = warned)
  }))
}

# The routines of batch_verb_rows(): function(fit, args, first, call, own),
# `args` the evaluated arguments of the call, `first` the verb's result on
# the first network, `own` the names of the arguments given per network.
batch_verb_rest <- list(
  confidence = function(fit, args, first, call, own) confidence_rest(fit, args, first, call, own)
)

# The same through the future framework, in the chunks of the fit: the
# variables the call's arguments name travel with it.
batch_verb_parallel <- function(x, g, one_call, pn, v, chunk_size) {
  for (pkg in c("future", "future.apply")) {
    if (!requireNamespace(pkg, quietly = TRUE)) {
      abort_fastnma("{.code parallel = TRUE} needs the package {.pkg {pkg}}.", "not_supported")
    }
  }
  size <- chunk_size %||% ceiling(length(g) / max(1L, future::nbrOfWorkers()))
  chunks <- unname(split(g, ceiling(seq_along(g) / size)))
  vars <- Filter(function(n) exists(n, envir = v$env), all.vars(one_call))
  shipped <- mget(vars, envir = v$env, inherits = TRUE)
  # the call travels inside each chunk (as an argument of its own it would
  # be evaluated on the way)
  work <- lapply(chunks, function(gs) {
    list(x = x[gs], pn = lapply(pn, function(p) p[names(x)[gs]]), call = one_call,
         shipped = shipped, verb = v$verb)
  })
  parts <- future.apply::future_lapply(work, batch_verb_chunk, future.seed = NULL,
                                       future.packages = "fastnma")
  do.call(c, parts)
}

# One chunk of a parallel run of a verb (run by a future worker).
batch_verb_chunk <- function(chunk) {
  env <- list2env(chunk$shipped, parent = globalenv())
  batch_verb_run(chunk$x, seq_along(chunk$x), chunk$call, chunk$pn, env, chunk$verb)
}

# TRUE for a verb whose results are judged for all networks at once (a
# function of two arguments in batch_verb_tables).
batch_rows_verb <- function(verb) {
  table <- batch_verb_tables[[verb]]
  is.function(table) && length(formals(table)) == 2L
}

# One table keyed by the `by` column, the failures as its `errors`
# attribute (batch_errors()), and one warning for the failures and one for
# the warnings of the verb.
batch_verb_collect <- function(x, g, runs, verb) {
  by_label <- attr(x, "by")
  values <- attr(x, "values")
  failed <- vector("list", length(g))
  tabs <- vector("list", length(g))
  for (j in seq_along(g)) {
    val <- runs[[j]]$value
    if (inherits(val, "condition")) {
      failed[[j]] <- val
    } else if (identical(batch_verb_tables[[verb]], "stack") || batch_rows_verb(verb)) {
      tabs[[j]] <- val
    } else {
      t <- as.data.frame(val, stringsAsFactors = FALSE)
      tabs[[j]] <- cbind(data.frame(by = rep(values[g[j]], nrow(t)), stringsAsFactors = FALSE),
                         strip_attributes(t))
    }
  }
  tabs <- tabs[!vapply(tabs, is.null, logical(1))]
  out <- if (!length(tabs)) {
    data.frame(by = values[0], stringsAsFactors = FALSE)
  } else if (identical(batch_verb_tables[[verb]], "stack")) {
    ok <- vapply(failed, is.null, logical(1))
    batch_stack_tidy(lapply(runs[ok], `[[`, "value"), values[g][ok])
  } else if (batch_rows_verb(verb)) {
    ok <- vapply(failed, is.null, logical(1))
    batch_verb_tables[[verb]](lapply(runs[ok], `[[`, "value"), values[g][ok])
  } else {
    # vec_rbind(): the rows of rbind(), without its cost per table
    vctrs::vec_rbind(!!!tabs)
  }
  names(out)[1L] <- by_label
  rownames(out) <- NULL
  out <- tibble::as_tibble(out)
  errs <- batch_error_table(failed, values[g], by_label)
  warned <- values[g][lengths(lapply(runs, `[[`, "warnings")) > 0L]
  if (length(warned)) {
    first <- unlist(lapply(runs, `[[`, "warnings"))[1L]
    cli::cli_warn(c(
      "{.fn {verb}} gave warnings on {length(warned)} network{?s} ({by_label} {.val {utils::head(warned, 10)}}).",
      "i" = "The first: {first}"
    ), class = c("fastnma_warning_batch", "fastnma_warning"))
  }
  if (nrow(errs) && !length(tabs)) {
    lines <- paste0(by_label, " = ", utils::head(errs[[1L]], 5L), ": ",
                    utils::head(errs$class, 5L))
    abort_fastnma(c(
      "{.fn {verb}} failed on every network of the collection ({nrow(errs)}).",
      stats::setNames(gsub("{", "{{", gsub("}", "}}", lines, fixed = TRUE), fixed = TRUE),
                      rep("x", length(lines))),
      "i" = "The first failure is the parent of this error; {.code $errors} lists them all."
    ), "batch", errors = errs, parent = failed[[1L]], call = NULL)
  }
  if (nrow(errs)) {
    cli::cli_warn(c(
      "{.fn {verb}} failed on {nrow(errs)} of {length(g)} network{?s} ({by_label} {.val {utils::head(errs[[1]], 10)}}).",
      "i" = "Their rows are left out; see {.code batch_errors()} of the table for the reasons."
    ), class = c("fastnma_warning_batch", "fastnma_warning"))
  }
  attr(out, "errors") <- errs
  out
}

# The results of a "stack" verb on several networks (`raw`, whose `by`
# values are `by`) tidied at once: the rows stacked under the attributes of
# the first result, one tidy(), and the `by` value of each network repeated
# over the rows its own rows became.
batch_stack_tidy <- function(raw, by) {
  n <- vapply(raw, nrow, integer(1))
  stacked <- vctrs::vec_rbind(!!!lapply(raw, strip_attributes))
  at <- attributes(raw[[1L]])
  attributes(stacked) <- c(attributes(stacked)[c("names", "row.names")],
                           at[setdiff(names(at), c("names", "row.names"))])
  t <- strip_attributes(as.data.frame(tidy(stacked), stringsAsFactors = FALSE))
  each <- if (sum(n)) nrow(t) / sum(n) else 0
  cbind(data.frame(by = rep(by, n * each), stringsAsFactors = FALSE), t)
}

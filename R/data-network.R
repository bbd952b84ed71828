#' The network of a network meta-analysis
#'
#' `nma_network()` builds, once, the validated structure every fit and every
#' verb stands on: studies, treatments and designs as integer codes, the
#' study contrasts, the number of arms of every study, the designs and the
#' connected parts of the network. [nma()] builds it (or takes one made by
#' `nma_network()`), the fit keeps it (`fit$network`), and the diagnostics
#' ([node_split()], [leave_one_out()], [contributions()], ...) pass its codes
#' straight to the compiled core without rebuilding or re-validating
#' anything.
#'
#' The checks are those of [nma()]: no missing values, finite estimates,
#' finite positive standard errors, no treatment compared with itself, no
#' pair twice in a study, multi-arm studies with all their pairwise contrasts,
#' consistent estimates (\eqn{y_{ab} = y_{ac} - y_{bc}}, within
#' `control$tol_multiarm`) and variances that arm-level variances can
#' explain (Rücker and Schwarzer 2014). A network with several separate
#' parts is a valid network (print it to see the parts); [nma()] refuses to
#' fit it.
#'
#' @inheritParams nma
#' @return An object of class `nma_network`: a list with `studies` and
#'   `treatments` (labels, in the network's treatment order: `order`, the
#'   levels of factor treatment columns, or sorted labels), `data` (the contrasts:
#'   `study, treat1, treat2, estimate, std.error` as labels and numbers),
#'   `codes` (the same rows as integer codes into `studies` and
#'   `treatments`), `design` (the design of every study, an index into
#'   `design_arms`, the treatment codes of each design), `n_arms` (per
#'   study), `n_obs` (independent contrasts), `components` (the connected
#'   part of every treatment), `measure`, `zero_cells` (the zero-cell audit
#'   of [arm_contrasts()] where there is one), `columns` (the column names it
#'   was built from), `tol_multiarm` and `handle` (the compiled network the
#'   verbs use; after [readRDS()] it is rebuilt from the stored data).
#' @references
#' Rücker G, Schwarzer G (2014). Reduce dimension or reduce weights?
#' Comparing two approaches to multi-arm studies in network meta-analysis.
#' *Statistics in Medicine* 33(25):4353-4369.
#' @examples
#' net <- nma_network(senn2013, TE, seTE, treat1, treat2, study, measure = "MD")
#' net
#' fit <- nma(net, reference = "plac")
#' identical(fit$network, net)
#' @export
nma_network <- function(data, estimate = estimate, std.error = std.error,
                        treat1 = treat1, treat2 = treat2, study = study,
                        measure = NULL, control = nma_control(), order = NULL, ..., treat) {
  netmeta_guard(dots_empty = TRUE)
  exprs <- list(estimate = substitute(estimate), std.error = substitute(std.error),
                treat1 = substitute(treat1), treat2 = substitute(treat2),
                study = substitute(study))
  network_from_data(data, exprs, parent.frame(), measure, control$tol_multiarm,
                    order = order, call = environment())
}

# Columns of `data` (expressions `exprs`, evaluated as capture_column() does)
# to a validated network: the one path of nma_network() and nma().
network_from_data <- function(data, exprs, env, measure, tol_multiarm,
                              order = NULL, call = rlang::caller_env()) {
  check_data_frame(data, call = call)
  cols <- lapply(exprs, column_label)
  v <- Map(function(expr, arg) capture_column(expr, data, env, arg), exprs, names(exprs))
  check_contrasts(v$study, v$treat1, v$treat2, v$estimate, v$std.error, cols, call = call)
  measure <- data_measure(data, measure, call = call)
  treatments <- treatment_order_of(v$treat1, v$treat2, order, call = call)
  new_nma_network(as.character(v$study), as.character(v$treat1), as.character(v$treat2),
                  as.double(v$estimate), as.double(v$std.error), measure = measure,
                  tol_multiarm = tol_multiarm, cols = cols,
                  zero_cells = attr(data, "zero_cells"), treatments = treatments,
                  call = call)
}

# The treatment order of a network, from one place: `order` when given
# (every treatment of the data once), else the levels of factor treatment
# columns (those of `treat1`, then those of `treat2` not among them; levels
# without data are dropped), else the labels sorted.
treatment_order_of <- function(treat1, treat2 = NULL, order = NULL,
                               call = rlang::caller_env()) {
  present <- unique(c(as.character(treat1), as.character(treat2)))
  present <- present[!is.na(present)]
  if (!is.null(order)) return(check_treatment_order(order, present, call = call))
  lev <- unique(c(if (is.factor(treat1)) levels(treat1), if (is.factor(treat2)) levels(treat2)))
  lev <- lev[lev %in% present]
  c(lev, sort(setdiff(present, lev)))
}

# A user's treatment order: distinct labels naming every treatment of the
# network (`present`) and nothing else.
check_treatment_order <- function(order, present, call = rlang::caller_env()) {
  if (is.factor(order)) order <- as.character(order)
  if (!is.character(order) || anyNA(order) || length(order) == 0L) {
    abort_fastnma(c(
      "{.arg order} must be a character vector of treatment labels.",
      "x" = "It is {.obj_type_friendly {order}}."
    ), "order", call = call)
  }
  dup <- unique(order[duplicated(order)])
  unknown <- setdiff(order, present)
  absent <- setdiff(present, order)
  if (length(dup) || length(unknown) || length(absent)) {
    abort_fastnma(c(
      "{.arg order} must list every treatment of the network once.",
      "x" = if (length(dup)) "Listed more than once: {.val {dup}}.",
      "x" = if (length(unknown)) "Not a treatment of the network: {.val {unknown}}.",
      "x" = if (length(absent)) "Missing from {.arg order}: {.val {absent}}.",
      "i" = "Treatments: {.val {sort(present)}}."
    ), "order", call = call, treatment = c(dup, unknown, absent))
  }
  order
}

# The one constructor of networks: labelled contrasts in (already checked
# column by column), a validated `nma_network` out. Structural problems
# (multi-arm studies, duplicates, self-comparisons) are found by the core
# and reported through abort_core_status().
new_nma_network <- function(study, treat1, treat2, estimate, std.error,
                            measure = "generic", tol_multiarm = 1e-3,
                            cols = default_columns(), zero_cells = NULL,
                            studies = NULL, treatments = NULL, built = NULL,
                            call = rlang::caller_env()) {
  treatments <- treatments %||% sort(unique(c(treat1, treat2)))
  if (length(treatments) < 2L) {
    abort_fastnma(c(
      "A network needs at least two treatments.",
      "x" = "Columns {.field {cols$treat1}}/{.field {cols$treat2}} name only {.val {treatments}}."
    ), "treatments", call = call)
  }
  # rows the core has built were checked before (the batch's screen, or
  # nma() on the network alone)
  if (is.null(built)) {
    check_magnitudes(study, estimate, std.error, cols, call = call)
    check_labels(study, cols$study, "study", study, call = call)
    check_labels(c(treat1, treat2), paste0(cols$treat1, "/", cols$treat2), "treatment",
                 c(study, study), call = call)
  }
  studies <- studies %||% unique(study)
  codes <- list(study = match(study, studies),
                treat1 = match(treat1, treatments),
                treat2 = match(treat2, treatments))
  data <- structure(list(study = study, treat1 = treat1, treat2 = treat2,
                         estimate = estimate, std.error = std.error),
                    class = "data.frame", row.names = c(NA, -length(study)))
  # `built`: what network_build_cpp() returns, when the core has built
  # these rows already (the members of a batch, R/fit-batch.R)
  res <- built %||% network_build_cpp(list(studies = studies, treatments = treatments,
                                           codes = codes, data = data,
                                           tol_multiarm = tol_multiarm))
  if (res$status != 0L) {
    abort_core_status(res, studies, treatments, cols,
                      list(treat1 = treat1, treat2 = treat2), call = call)
  }
  new_fastnma_result(c(
    list(
      studies = studies,
      treatments = treatments,
      data = data,
      codes = codes
    ),
    # the structure the core derived, as it returns it
    res[c("design", "design_arms", "n_arms", "n_obs", "components")],
    list(
      measure = measure,
      zero_cells = as_zero_cell_audit(zero_cells),
      columns = cols,
      tol_multiarm = tol_multiarm,
      handle = res$handle
    )
  ), "nma_network", call = call)
}

# Internal: the network with a live compiled handle. A network read back
# with readRDS() (its handle is nil), made before handles existed, or whose
# stored data were edited, is rebuilt from its stored data, once; a live
# handle is kept as it is. Verbs that call several compiled verbs refresh
# the handle of their fit first (with_network_handle()), so that each of
# those calls uses it without rebuilding.
network_handle <- function(net) {
  if (network_handle_ok_cpp(net)) return(net)
  res <- network_build_cpp(net)
  if (res$status != 0L) return(net)  # the verbs report it (status "rebuild")
  net$handle <- res$handle
  net
}

with_network_handle <- function(fit) {
  if (inherits(fit$network, "nma_network")) fit$network <- network_handle(fit$network)
  fit
}

# The compiled handle is a pointer: two networks built from the same data
# are equal, whichever handle they hold (waldo's compare(), which testthat's
# expect_equal() uses; registered in .onLoad()).
compare_proxy.nma_network <- function(x, path) {
  netmeta_guard()
  x$handle <- NULL
  list(object = x, path = path)
}

# Finite values whose squares or inverse squares overflow or underflow in
# double precision (weights 1/se^2, Q parts y^2/se^2) would turn into
# Inf/NaN inside the core. Such values are refused, naming the study.
magnitude_limit <- 1e100

check_magnitudes <- function(study, estimate, std.error, cols,
                             call = rlang::caller_env()) {
  checks <- list(
    se = list(bad = std.error < 1 / magnitude_limit | std.error > magnitude_limit,
              values = std.error, column = cols$std.error,
              must = "standard errors between 1e-100 and 1e100"),
    estimate = list(bad = abs(estimate) > magnitude_limit, values = estimate,
                    column = cols$estimate, must = "estimates between -1e100 and 1e100"))
  for (cl in names(checks)) {
    ck <- checks[[cl]]
    if (!any(ck$bad)) next
    where <- describe_rows(study, ck$bad)
    msg <- c(
      "Column {.field {ck$column}} must hold {ck$must}.",
      "x" = "Found {.val {format(unique(ck$values[ck$bad]))}} in {cli::qty(length(where))}stud{?y/ies} {.val {where}}.",
      "i" = "Their squares are not representable in double precision; check the scale of the data."
    )
    study_bad <- unique(as.character(study[ck$bad]))
    if (cl == "se") {
      abort_fastnma(msg, "se", call = call, study = study_bad, column = ck$column)
    }
    abort_fastnma(msg, "estimate", call = call, study = study_bad, column = ck$column)
  }
  invisible()
}

default_columns <- function() {
  list(estimate = "estimate", std.error = "std.error", treat1 = "treat1",
       treat2 = "treat2", study = "study")
}

#' @export
print.nma_network <- function(x, ...) {
  netmeta_guard()
  cli::cat_line(cli::style_bold("Network"), " (", x$measure, ")")
  cli::cat_line(sprintf("%d studies, %d pairwise comparisons, %d treatments, %d designs",
                        length(x$studies), length(x$data$study), length(x$treatments),
                        length(x$design_arms)))
  multi <- sum(x$n_arms > 2L)
  if (multi > 0) cli::cat_line(sprintf("%d multi-arm stud%s", multi, if (multi == 1) "y" else "ies"))
  parts <- split(x$treatments, x$components)
  if (length(parts) > 1L) {
    cli::cat_line(sprintf("Not connected: %d separate parts", length(parts)))
    for (p in seq_along(parts)) {
      cli::cat_line(sprintf("  part %d: %s", p, paste(parts[[p]], collapse = ", ")))
    }
  } else {
    cli::cat_line("Connected")
  }
  cli::cat_line(strwrap(paste0("Treatments: ", paste(x$treatments, collapse = ", ")),
                        width = getOption("width", 80L), exdent = 2L))
  invisible(x)
}

# TRUE when every code is from 1 to n (none missing).
codes_within <- function(x, n) {
  length(x) == 0L || (!anyNA(x) && min(x) >= 1L && max(x) <= n)
}

# Internal: the network a fit stands on, checked against the fit before its
# codes reach compiled code. A fit whose fields were edited so that they no
# longer describe its network is refused (class `fastnma_error_fit_data`)
# instead of passing out-of-range indices or mismatched dimensions on.
fit_network <- function(fit, call = rlang::caller_env()) {
  net <- fit$network
  # the network's fields read without method dispatch (an `nma_network` is
  # a plain list underneath); the fit's through its class
  ok <- inherits(net, "nma_network")
  if (ok) {
    codes <- .subset2(net, "codes")
    data <- .subset2(net, "data")
    treatments <- .subset2(net, "treatments")
    studies <- .subset2(net, "studies")
    k <- length(data$estimate)
    ok <- identical(treatments, fit$treatments) &&
      identical(studies, fit$studies) &&
      length(codes$study) == k && length(codes$treat1) == k && length(codes$treat2) == k &&
      length(data$std.error) == k &&
      codes_within(codes$study, length(studies)) &&
      codes_within(c(codes$treat1, codes$treat2), length(treatments))
  }
  n <- length(fit$treatments)
  for (model in capabilities_of(fit)$models) {
    m <- fit[[model]]
    ok <- ok && is.list(m) && length(m$theta) == n && is.matrix(m$cov) &&
      identical(dim(m$cov), c(n, n))
  }
  if (!ok) {
    abort_fastnma(c(
      "This fit is not consistent with its network.",
      "x" = "Its treatments, studies, network or estimates were changed after fitting.",
      "i" = "Refit with {.fn nma} or {.fn nma_binary} instead of editing a fit."
    ), "fit_data", call = call)
  }
  net
}

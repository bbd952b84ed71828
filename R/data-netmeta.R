# The way in from netmeta and the way back out: nma() on a `pairwise` table
# or a `netmeta` fit (their contrasts and settings), arm-level data in the
# wide layout of pairwise(treat = list(...)), and contrast tables written in
# the columns netmeta reads.

#' Network meta-analysis of netmeta's objects
#'
#' [nma()] accepts, as `data`, the two objects a netmeta analysis is made of:
#'
#' * a `pairwise` table (from `meta::pairwise()` or `netmeta::pairwise()`):
#'   its columns `TE`, `seTE`, `treat1`, `treat2` and `studlab` are the
#'   contrasts, its `sm` attribute the measure, and its `reference.group`
#'   attribute the default reference (as `netmeta::netmeta()` takes them).
#'   Rows without an estimate or a standard error (pairwise() keeps them for
#'   studies without events in any arm, and for missing outcomes) are left
#'   out, as netmeta does, with a warning of class
#'   `fastnma_warning_netmeta_dropped` that lists each of them.
#' * a `netmeta` fit: the contrasts it analysed and its settings, translated
#'   to fastnma's arguments:
#'
#'   | netmeta | fastnma |
#'   |---|---|
#'   | `sm` | `measure` |
#'   | `reference.group` | `reference` |
#'   | `method.tau` (`"DL"`, `"REML"`, `"ML"`, `"PM"`) | `tau2_method` |
#'   | `tau.preset` (\eqn{\tau}) | `tau2` (\eqn{\tau^2}) |
#'   | `level.ma` | `level` |
#'   | `method.random.ci = "classic"` | `ci_method = "wald"` |
#'   | `tol.multiarm` | `nma_control(tol_multiarm = )` |
#'   | `small.values` | `small_values` |
#'
#'   A fastnma fit always holds both models; when the netmeta fit showed only
#'   one (`common = FALSE` or `random = FALSE`) a message of class
#'   `fastnma_message_netmeta` says which to choose with `model =`. Settings
#'   fastnma cannot reproduce (another `method.tau`; `method.random.ci =
#'   "t-dist"`, t quantiles without the Hartung-Knapp variance, for which
#'   fastnma's nearest is `ci_method = "hk"`) are an error of class
#'   `fastnma_error_netmeta_object` that names them.
#'
#' Arguments given to [nma()] in the same call (`reference`, `tau2_method`,
#' `level`, ...) take precedence over the settings of the object; the column
#' arguments cannot be given, as the columns are netmeta's. A `measure` that
#' contradicts the object's `sm` is an error of class `fastnma_error_metadata`
#' (the object's effects are on the scale of `sm`; a label cannot change
#' them).
#'
#' For a `pairwise` table the default `tau2_method` stays fastnma's `"REML"`,
#' while `netmeta::netmeta()` uses `"DL"`: `nma()` says so in a message of
#' class `fastnma_message_netmeta_estimator`, and `nma(p, tau2_method =
#' "DL")` reproduces netmeta's random-effects results. (A `netmeta` fit
#' carries its own `method.tau`, which is used.)
#'
#' The way back is [as.data.frame()] with `format = "netmeta"` on a contrast
#' table ([arm_contrasts()]) or a fit: a `pairwise` table that
#' `netmeta::netmeta()` reads as it stands.
#'
#' @name netmeta_objects
#' @seealso [netmeta_arguments] for netmeta's argument names,
#'   [arm_data_wide()] for arm-level data in netmeta's wide layout.
#' @references
#' Rücker G (2012). Network meta-analysis, electrical networks and graph
#' theory. *Research Synthesis Methods* 3(4):312-324. \doi{10.1002/jrsm.1058}
#' @examples
#' if (requireNamespace("netmeta", quietly = TRUE)) {
#'   data(smokingcessation, package = "netmeta")
#'   p <- meta::pairwise(list(treat1, treat2, treat3),
#'                       event = list(event1, event2, event3),
#'                       n = list(n1, n2, n3), data = smokingcessation, sm = "OR")
#'   fit <- nma(p, reference = "A")
#'   fit$measure
#'   # a netmeta fit is read the same way, with its settings:
#'   # nma(netmeta::netmeta(p, reference.group = "A"))
#'   # and back: the contrasts in the columns netmeta reads
#'   head(as.data.frame(fit, format = "netmeta"))
#' }
NULL

# nma() on a `pairwise` table or a `netmeta` fit: the object's contrasts and
# settings, overridden by what the call gives, fitted by nma() itself.
nma_netmeta_object <- function(data, call, env) {
  given <- as.list(call)[-1L]
  given <- given[names(given) != "data" & nzchar(names(given))]
  cols <- intersect(names(given), c("estimate", "std.error", "treat1", "treat2", "study"))
  abort_fastnma_for(cols, c(
    "The columns of a {.cls {class(data)[1]}} object are netmeta's.",
    "x" = "{.arg {cols}} {?was/were} given.",
    "i" = "Leave the column arguments out: {.code TE}, {.code seTE}, {.code treat1}, {.code treat2} and {.code studlab} are used."
  ), "netmeta_object", call = env)
  conv <- if (inherits(data, "netmeta")) netmeta_fit_input(data, env) else
    pairwise_input(data, env)
  values <- lapply(given, eval, envir = env)
  recorded <- conv$settings$measure
  if (!is.null(values$measure) && !identical(recorded, "generic") &&
      !identical(values$measure, recorded)) {
    abort_fastnma(c(
      "{.arg measure} contradicts the measure recorded in {.arg data}.",
      "x" = "The {.cls {class(data)[1]}} object holds {.val {recorded}} effects ({.field sm}); {.arg measure} is {.val {values$measure}}.",
      "i" = "Leave {.arg measure} out to use {.val {recorded}}, or rebuild the contrasts with {.code sm = \"{values$measure}\"}."
    ), "metadata", call = env)
  }
  if (!inherits(data, "netmeta") && is.null(values$tau2_method) && is.null(values$tau2)) {
    # netmeta(<pairwise>) estimates tau^2 by DerSimonian-Laird; fastnma's
    # default is REML. Said once per call, with the way to netmeta's numbers.
    inform_fastnma(c(
      "i" = "tau^2 estimated by REML, fastnma's default; {.code netmeta(<pairwise>)} uses DerSimonian-Laird.",
      " " = "{.code nma(<pairwise>, tau2_method = \"DL\")} reproduces netmeta's random-effects results."
    ), "netmeta_estimator")
  }
  settings <- conv$settings[setdiff(names(conv$settings), names(values))]
  # nma() called on the contrasts under readable names, so that its errors
  # show `nma(data, measure = measure, ...)`, not the data themselves
  args <- c(settings, values)
  ev <- list2env(c(list(data = conv$data), args), parent = asNamespace("fastnma"))
  cl <- as.call(c(list(as.name("nma"), as.name("data")),
                  stats::setNames(lapply(names(args), as.name), names(args))))
  fit <- eval(cl, ev)
  fit$call <- call
  fit$netmeta_source <- list(class = class(data)[1L], settings = conv$settings)
  fit
}

# Contrasts of a `pairwise` table, the rows without an estimate left out and
# listed; its measure and reference.
pairwise_input <- function(x, env) {
  check_columns(x, c("TE", "seTE", "treat1", "treat2", "studlab"),
                "A {.cls pairwise} table needs the columns {.field {need}}.",
                "netmeta_object", call = env)
  d <- data.frame(study = as.character(x$studlab), treat1 = as.character(x$treat1),
                  treat2 = as.character(x$treat2), estimate = as.numeric(x$TE),
                  std.error = as.numeric(x$seTE), stringsAsFactors = FALSE)
  for (v in c("n1", "n2")) if (is.numeric(x[[v]])) d[[v]] <- x[[v]]
  d <- drop_netmeta_na(d, env)
  ref <- attr(x, "reference.group", exact = TRUE)
  trts <- unique(c(d$treat1, d$treat2))
  settings <- list(measure = netmeta_measure(attr(x, "sm", exact = TRUE)))
  if (is.character(ref) && length(ref) == 1L && !is.na(ref) && ref %in% trts) {
    settings$reference <- ref
  }
  list(data = d, settings = settings)
}

drop_netmeta_na <- function(d, env) {
  bad <- is.na(d$estimate) | is.na(d$std.error)
  if (!any(bad)) return(d)
  rows <- paste0("study ", encodeString(d$study[bad], quote = "\""), ": ",
                 d$treat1[bad], " vs ", d$treat2[bad])
  cli::cli_warn(c(
    "Left out {sum(bad)} comparison{?s} without an estimate or standard error (column {.field TE} or {.field seTE} missing), as netmeta does:",
    stats::setNames(rows, rep("*", length(rows))),
    "i" = "pairwise() keeps such rows for studies without events in any arm and for missing outcomes; {.fn arm_contrasts} with {.code zero_cells} and {.code na = \"drop\"} makes the choice explicit."
  ), class = c("fastnma_warning_netmeta_dropped", "fastnma_warning"),
  studies = d$study[bad], call = env)
  if (all(bad)) {
    abort_fastnma("No comparison of the {.cls pairwise} table has an estimate.",
                  "netmeta_object", call = env)
  }
  kept <- d[!bad, , drop = FALSE]
  # a multi-arm study that lost some of its comparisons has no complete set
  # of contrasts left (netmeta stops on it too)
  hit <- intersect(unique(d$study[bad]), kept$study)
  broken <- hit[vapply(hit, function(s) {
    r <- kept$study == s
    p <- length(unique(c(kept$treat1[r], kept$treat2[r])))
    sum(r) != p * (p - 1) / 2
  }, logical(1))]
  abort_fastnma_for(broken, c(
    "Multi-arm {cli::qty(length(broken))}stud{?y/ies} {.val {broken}} {?has/have} lost some of {?its/their} comparisons.",
    "x" = "Without them the remaining contrasts of the study are not all its pairs, so its within-study covariance is unknown.",
    "i" = "Make the contrasts with {.code pairwise(..., allstudies = TRUE)}, or from the arms with {.code arm_contrasts(zero_cells = zero_cell_policy(double_zero = \"keep\"))}, or use {.fn nma_binary}."
  ), "netmeta_object", call = env, studies = broken)
  kept
}

# The contrasts a `netmeta` fit analysed and its settings as nma() arguments.
netmeta_fit_input <- function(x, env) {
  d <- data.frame(study = as.character(x$studlab), treat1 = as.character(x$treat1),
                  treat2 = as.character(x$treat2), estimate = as.numeric(x$TE),
                  std.error = as.numeric(x$seTE), stringsAsFactors = FALSE)
  for (v in c("n1", "n2")) {
    if (is.numeric(x[[v]]) && length(x[[v]]) == nrow(d)) d[[v]] <- x[[v]]
  }
  d <- drop_netmeta_na(d, env)
  unsupported <- character()
  settings <- list(measure = netmeta_measure(x$sm))
  if (is.character(x$reference.group) && length(x$reference.group) == 1L &&
      nzchar(x$reference.group)) {
    settings$reference <- x$reference.group
  }
  mt <- x$method.tau %||% "DL"
  if (mt %in% c("DL", "REML", "ML", "PM")) {
    settings$tau2_method <- mt
  } else {
    unsupported <- c(unsupported, paste0("method.tau = \"", mt, "\""))
  }
  if (!is.null(x$tau.preset)) settings$tau2 <- as.numeric(x$tau.preset)^2
  if (is.numeric(x$level.ma)) settings$level <- x$level.ma
  ci <- x$method.random.ci %||% "classic"
  if (!identical(ci, "classic")) {
    unsupported <- c(unsupported, paste0("method.random.ci = \"", ci, "\""))
  }
  tol <- if (is.numeric(x$tol.multiarm)) x$tol.multiarm else 1e-3
  settings$control <- nma_control(tol_multiarm = tol)
  sv <- x$small.values
  if (is.character(sv) && length(sv) == 1L) {
    settings$small_values <- switch(sv, good = "desirable", bad = "undesirable", sv)
  }
  abort_fastnma_for(unsupported, c(
    "The {.cls netmeta} fit uses {cli::qty(length(unsupported))}{?a setting/settings} fastnma does not reproduce.",
    "x" = "{.code {unsupported}}.",
    "i" = "Refit in netmeta with the settings listed in {.topic fastnma::netmeta_objects}, or call {.fn nma} on {.code as.data.frame(<fit>, format = \"netmeta\")}-style contrasts with fastnma's arguments."
  ), "netmeta_object", call = env, settings = unsupported)
  shown <- c(common = !isFALSE(x$common), random = !isFALSE(x$random))
  if (!all(shown)) {
    only <- names(shown)[shown]
    if (length(only)) {
      inform_fastnma(c(
        "i" = "The netmeta fit showed the {only} effects model only; the fastnma fit holds both.",
        " " = "Choose it where results are taken, e.g. {.code tidy(fit, model = \"{only}\")}."
      ), "netmeta")
    }
  }
  list(data = d, settings = settings)
}

#' Arm-level data from the wide layout
#'
#' netmeta users keep arm-level data one row per study, with the arms side
#' by side (`treatment1, treatment2, treatment3`, `n1, n2, n3`, ...), and
#' give them to `pairwise(treat = list(...), ...)`. `arm_data_wide()` turns
#' such a table into the one row per arm that [arm_contrasts()] reads. Arm
#' slots without a treatment (`NA` or `""`, the unused third arm of a
#' two-arm study) are not arms and are skipped; missing outcomes of real
#' arms are kept as `NA`, for `arm_contrasts(na = )` to handle.
#'
#' @param data A data frame with one row per study.
#' @param treatment The treatment columns, one per arm slot, as
#'   `c(treatment1, treatment2, ...)` or, as in netmeta's `pairwise()`,
#'   `list(treatment1, treatment2, ...)` (bare names or strings; the same for
#'   the groups in `...`).
#' @param ... The arm-level columns, each named by the column it becomes and
#'   given as one column per arm slot, in the order of `treatment`: for
#'   example `n = c(n1, n2, n3), events = c(resp1, resp2, resp3)`, or
#'   `mean = c(...), sd = c(...)`, `time = c(...)`.
#' @param study The study label column (default `study`).
#' @return A data frame with one row per arm: `study`, `arm` (the slot),
#'   `treatment` and the columns named in `...`, ready for [arm_contrasts()].
#' @seealso [netmeta_objects] for netmeta's `pairwise` and `netmeta` objects.
#' @examples
#' wide <- data.frame(id = c("s1", "s2"), t1 = c("A", "A"), t2 = c("B", "C"),
#'                    t3 = c("C", NA), e1 = c(3, 5), e2 = c(6, 9), e3 = c(4, NA),
#'                    n1 = c(20, 30), n2 = c(21, 30), n3 = c(19, NA))
#' arms <- arm_data_wide(wide, treatment = c(t1, t2, t3), study = id,
#'                       events = c(e1, e2, e3), n = c(n1, n2, n3))
#' arms
#' arm_contrasts(arms, measure = "OR")
#' @export
arm_data_wide <- function(data, treatment, ..., study = study) {
  netmeta_guard()
  call <- rlang::current_env()
  check_data_frame(data, call = call)
  slots <- wide_columns(substitute(treatment), data, "treatment", call)
  groups <- as.list(substitute(list(...)))[-1L]
  if (length(groups) && (is.null(names(groups)) || any(!nzchar(names(groups))))) {
    abort_fastnma(c(
      "Every arm-level column group in {.arg ...} must be named.",
      "i" = "For example {.code n = c(n1, n2, n3), events = c(resp1, resp2, resp3)}."
    ), "column", call = call)
  }
  reserved <- intersect(names(groups), c("study", "arm", "treatment"))
  if (length(reserved) || anyDuplicated(names(groups))) {
    abort_fastnma("The column groups in {.arg ...} need distinct names other than {.field study}, {.field arm} and {.field treatment}.",
                  "column", call = call)
  }
  cols <- lapply(names(groups), function(g) {
    cc <- wide_columns(groups[[g]], data, g, call)
    if (length(cc) != length(slots)) {
      abort_fastnma(c(
        "{.arg {g}} must name one column per arm slot.",
        "x" = "{.arg treatment} has {length(slots)} column{?s}; {.arg {g}} has {length(cc)}."
      ), "column", call = call)
    }
    cc
  })
  names(cols) <- names(groups)
  st <- capture_column(substitute(study), data, parent.frame(), "study")
  k <- length(slots)
  out <- data.frame(study = rep(as.character(st), times = k),
                    arm = rep(seq_len(k), each = nrow(data)),
                    treatment = unlist(lapply(slots, function(s) as.character(data[[s]])),
                                       use.names = FALSE),
                    stringsAsFactors = FALSE)
  for (g in names(cols)) {
    out[[g]] <- unlist(lapply(cols[[g]], function(s) data[[s]]), use.names = FALSE)
  }
  keep <- !is.na(out$treatment) & nzchar(trimws(out$treatment))
  out <- out[keep, , drop = FALSE]
  out <- out[order(match(out$study, unique(as.character(st))), out$arm), , drop = FALSE]
  rownames(out) <- NULL
  out
}

# The column names of a group written as c(a, b, c), "a", or c("a", "b").
wide_columns <- function(expr, data, arg, call) {
  # c(a, b, c) or, as netmeta's pairwise() takes them, list(a, b, c)
  parts <- if (is.call(expr) && (identical(expr[[1L]], as.name("c")) ||
                                 identical(expr[[1L]], as.name("list")))) {
    as.list(expr)[-1L]
  } else {
    list(expr)
  }
  nm <- vapply(parts, function(p) {
    if (is.name(p)) as.character(p) else if (is.character(p) && length(p) == 1L) p else NA_character_
  }, character(1))
  if (!length(nm) || anyNA(nm)) {
    abort_fastnma(c(
      "{.arg {arg}} must list columns of {.arg data}, as {.code c(col1, col2, ...)}.",
      "x" = "It is {.code {paste(deparse(expr), collapse = '')}}."
    ), "column", call = call)
  }
  check_columns(data, nm, "{.arg {arg}} names columns that {.arg data} does not have.",
                "column", call = call)
  nm
}

# The columns netmeta's pairwise() gives arm-level data.
netmeta_arm_names <- c(events1 = "event1", events2 = "event2")

# A contrast table in netmeta's columns, with the attributes that make
# netmeta::netmeta() read it as a pairwise() table.
as_netmeta_pairwise <- function(d, measure, reference) {
  out <- data.frame(studlab = as.character(d$study), treat1 = as.character(d$treat1),
                    treat2 = as.character(d$treat2), TE = d$estimate,
                    seTE = d$std.error, stringsAsFactors = FALSE)
  arm <- setdiff(names(d), c("study", "treat1", "treat2", "estimate", "std.error"))
  for (v in arm) {
    to <- if (v %in% names(netmeta_arm_names)) netmeta_arm_names[[v]] else v
    out[[to]] <- d[[v]]
  }
  rownames(out) <- NULL
  structure(out, class = c("pairwise", "data.frame"), sm = measure,
            pairwise = TRUE, reference.group = reference)
}

#' @rdname nma_contrasts
#' @param x A contrast table.
#' @param row.names,optional,... Passed on to the data frame method.
#' @param format `"fastnma"` (default: the table as a data frame, its
#'   metadata kept) or `"netmeta"`: the columns of netmeta's `pairwise()`
#'   (`studlab, treat1, treat2, TE, seTE`, then the arm-level columns, with
#'   `event1`/`event2` for events) and its attributes, so that
#'   `netmeta::netmeta()` reads the table as it stands.
#' @export
as.data.frame.nma_contrasts <- function(x, row.names = NULL, optional = FALSE, ...,
                                        format = c("fastnma", "netmeta")) {
  netmeta_guard()
  format <- check_choice(if (missing(format)) NULL else format,
                         c("fastnma", "netmeta"), "format")
  if (identical(format, "fastnma")) return(NextMethod())
  trts <- sort(unique(c(as.character(x$treat1), as.character(x$treat2))))
  as_netmeta_pairwise(as.data.frame(unclass(x), stringsAsFactors = FALSE),
                      attr(x, "measure") %||% "generic", trts[1L])
}

# The contrasts of a fit in netmeta's columns (with the arm sizes where the
# fit has them).
nma_as_netmeta <- function(x) {
  d <- x$data[c("study", "treat1", "treat2", "estimate", "std.error")]
  if (is.data.frame(x$arms)) {
    key <- paste(x$arms$study, x$arms$treatment, sep = "\r")
    d$n1 <- x$arms$n[match(paste(d$study, d$treat1, sep = "\r"), key)]
    d$n2 <- x$arms$n[match(paste(d$study, d$treat2, sep = "\r"), key)]
  }
  as_netmeta_pairwise(d, x$measure, x$reference)
}

#' Zero-cell policy for binary outcomes
#'
#' Describes what is done with studies that have a zero cell (no events, or
#' only events, in an arm) and with studies that have no events at all (or
#' only events) in every arm. The same policy object is used by
#' [arm_contrasts()]; every study it touches is listed in the audit returned
#' by [zero_cell_audit()] and announced in a message.
#'
#' @param method What to add to the cells of a 2x2 table:
#'   * `"constant"` (default, as netmeta's `pairwise()`): `incr` is added to
#'     every cell of every arm of a study that has a zero cell in any arm;
#'   * `"all"`: `incr` is added to every cell of every study;
#'   * `"tacc"`: the treatment-arm continuity correction of Sweeting, Sutton
#'     and Lambert (2004) for studies with a zero cell: each arm's increment
#'     is inversely proportional to its size, scaled so that the increments
#'     of a study average `incr` (for two arms of sizes \eqn{n_1, n_2}: \eqn{2
#'     \cdot incr \cdot n_2/(n_1+n_2)} for arm 1), which keeps the contrasts
#'     of a multi-arm study consistent;
#'   * `"none"`: nothing is added (log ratios of studies with a zero cell
#'     are then not estimable, and such studies are reported and left out).
#' @param incr The increment (default 0.5).
#' @param double_zero What to do with studies with zero events (or only
#'   events) in every arm: `"drop"` them (netmeta's default for RR and OR,
#'   `allstudies = FALSE`) or `"keep"` them with the correction
#'   (`allstudies = TRUE`). Defaults to `"drop"` for RR and OR and `"keep"`
#'   for RD, where such studies are informative, and for IRR, as netmeta's
#'   `pairwise(sm = "IRR")` keeps them. Under `"drop"`,
#'   [arm_contrasts()] keeps studies with events in every patient of every
#'   arm for RR, as `pairwise()` does (their risk ratio is estimable with the
#'   increment); the Mantel-Haenszel fit of [nma_binary()] leaves them out
#'   for every measure.
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @return A list of class `zero_cell_policy`.
#' @references
#' Sweeting MJ, Sutton AJ, Lambert PC (2004). What to add to nothing? Use and
#' avoidance of continuity corrections in meta-analysis of sparse data.
#' *Statistics in Medicine* 23(9):1351-1375. \doi{10.1002/sim.1761}
#' @examples
#' zero_cell_policy()
#' zero_cell_policy(method = "tacc", double_zero = "keep")
#' @export
zero_cell_policy <- function(method = c("constant", "all", "tacc", "none"),
                             incr = 0.5, double_zero = NULL, ...) {
  netmeta_guard(dots_empty = TRUE)
  method <- check_choice(if (missing(method)) NULL else method,
                         c("constant", "all", "tacc", "none"), "method")
  if (!is.numeric(incr) || length(incr) != 1L || !is.finite(incr) || incr < 0) {
    abort_fastnma("{.arg incr} must be a single non-negative number.", "policy")
  }
  if (!is.null(double_zero)) {
    double_zero <- check_choice(double_zero, c("drop", "keep"), "double_zero")
  }
  new_fastnma_result(list(method = method, incr = incr, double_zero = double_zero),
                     "zero_cell_policy")
}

#' @export
print.zero_cell_policy <- function(x, ...) {
  netmeta_guard()
  dz <- x$double_zero %||% "drop (RR, OR) / keep (RD, IRR)"
  cat_wrapped("Zero-cell policy: ", x$method, ", increment ", x$incr,
              "; studies without events in any arm: ", dz)
  invisible(x)
}

#' The zero-cell audit of a contrast table or a fit
#'
#' Every study whose cells were corrected, or that was left out because of
#' zero cells, with what was done and why.
#'
#' @param x An `nma_contrasts` table from [arm_contrasts()] or an `nma` fit.
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @return A data frame with columns `study`, `action`, `increment` and
#'   `reason`; no rows when nothing was done. `action` is `"corrected"`
#'   (increment added), `"excluded"` (study left out), `"arm excluded"`
#'   (arms set aside by a Mantel-Haenszel fit), `"pair kept"` (a pair of
#'   arms without events in either, inside a kept multi-arm study, computed
#'   with the study's increment; see [arm_contrasts()]) or, for
#'   [pairwise_binary()], `"no information"`.
#' @examples
#' ac <- arm_contrasts(dong2013, study, treatment, events = events, n = n,
#'                     measure = "OR")
#' head(zero_cell_audit(ac))
#' @export
zero_cell_audit <- function(x, ...) {
  netmeta_guard(dots_empty = TRUE)
  audit <- if (inherits(x, "nma")) x$zero_cells else attr(x, "zero_cells")
  as_zero_cell_audit(audit %||% empty_audit())
}

# The audit as a classed data frame (its print left-aligns and wraps the
# reason); NULL stays NULL.
as_zero_cell_audit <- function(x) {
  if (is.null(x)) return(NULL)
  new_fastnma_table(x, "nma_zero_cell_audit")
}

#' @export
print.nma_zero_cell_audit <- function(x, ...) {
  netmeta_guard()
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  if (!nrow(df)) {
    cli::cat_line("Zero-cell audit: no study corrected or left out.")
    return(invisible(x))
  }
  cli::cat_line(cli::style_bold("Zero-cell audit"), sprintf(": %d row%s", nrow(df),
                                                            if (nrow(df) == 1) "" else "s"))
  shown <- df
  # a subset of the columns (x[, c("study", "reason")]) prints too
  if ("increment" %in% names(df)) {
    shown$increment <- ifelse(is.na(df$increment), "-", format(df$increment, trim = TRUE))
  }
  # the reason is prose: left-aligned, wrapped beside the study and action
  print_columns(shown, left = intersect(c("study", "action", "reason"), names(shown)),
                key = intersect(c("study", "action"), names(shown)))
  invisible(x)
}

empty_audit <- function() {
  data.frame(study = character(), action = character(), increment = numeric(),
             reason = character(), stringsAsFactors = FALSE)
}

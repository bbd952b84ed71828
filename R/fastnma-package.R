#' fastnma: fast frequentist network meta-analysis
#'
#' Contrast-based network meta-analysis with a compiled (C++/Eigen) core.
#' Start with [arm_contrasts()] (arm-level data to contrasts) and [nma()]
#' (the fit); read results with [tidy()], [glance()] and `summary()`.
#'
#' @section Options:
#' * `fastnma.quiet`: `TRUE` silences fastnma's informational messages
#'   (class `fastnma_message`; warnings and errors are kept) and its
#'   progress bars. Default `FALSE`.
#' * `fastnma.progress`: `FALSE` turns off the progress bars of long work
#'   (SUCRA sampling in [rank_treatments()], [leave_one_out()],
#'   [node_split()] and [contributions()] on large networks). Default `TRUE`:
#'   a cli progress bar appears once the work has taken two seconds (cli's
#'   option `cli.progress_show_after`), in interactive sessions only (not in
#'   scripts, `R CMD check` or knitr).
#' * `fastnma.contrib_max_rows`: the number of pairs up to which
#'   [contributions()] decomposes all network estimates by default (5000).
#' * `fastnma.threads`: the number of threads of [contributions()] (its rows
#'   are independent); default 2, and never more than the machine's cores.
#'   The results are the same whatever the number.
#' * `fastnma.impact_max`, `fastnma.loo_exact_budget`: see [leave_one_out()].
#'
#' @keywords internal
#' @useDynLib fastnma, .registration = TRUE
#' @importFrom Rcpp sourceCpp
#' @importFrom rlang %||% .data
#' @importFrom stats coef vcov confint nobs logLik
"_PACKAGE"

#' @importFrom generics tidy
#' @export
generics::tidy

#' @importFrom generics glance
#' @export
generics::glance

#' @importFrom ggplot2 autoplot
#' @export
ggplot2::autoplot

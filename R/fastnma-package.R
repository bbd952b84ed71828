#' fastnma: fast frequentist network meta-analysis
#'
#' Contrast-based network meta-analysis with a compiled (C++/Eigen) core.
#' Start with [arm_contrasts()] (arm-level data to contrasts) and [nma()]
#' (the fit); read results with [tidy()], [glance()] and `summary()`.
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

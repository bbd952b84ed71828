#' Design-by-treatment inconsistency and the decomposition of Q
#'
#' `inconsistency()` splits the generalised Q statistic of the common-effect
#' model into heterogeneity within designs and inconsistency between designs
#' (Krahn, Binder & König 2013), reports each design's share of both, the
#' between-design Q after detaching each design (giving it its own
#' parameters), and the design-by-treatment interaction test under a
#' random-effects model (Higgins et al. 2012).
#'
#' For the random-effects test, \eqn{\tau^2} is estimated by the generalised
#' DerSimonian-Laird method in the full design-by-treatment interaction model
#' (every design with its own parameters, so that \eqn{\tau^2} reflects
#' heterogeneity within designs only); the between-design Q is then
#' recomputed with that \eqn{\tau^2} added to the within-study variances.
#' These are the conventions of netmeta's `decomp.design()`.
#'
#' The matrix `heat` holds what a net heat plot shows (Krahn et al. 2013):
#' entry \eqn{(d, e)} is the change in design \eqn{d}'s contribution to the
#' between-design Q when design \eqn{e} is detached (positive: detaching
#' \eqn{e} reduces the inconsistency at \eqn{d}); the diagonal holds each
#' design's own contribution.
#'
#' @param fit An object of class `nma`.
#' @param heat Logical; compute the net heat matrices (designs x designs).
#' @return An object of class `nma_inconsistency`: a list with
#'   * `Q`: data frame `part` (total, within designs, between designs,
#'     between designs (random)), `Q`, `df`, `p.value`, `tau2`;
#'   * `designs`: one row per design: `design`, `studies`, `Q_within`,
#'     `df_within`, `Q_between` (contribution to the between-design Q),
#'     `Q_detached`, `df_detached`, `p_value_detached` and the same for the
#'     random-effects version (`*_random`);
#'   * `tau2_within`: the within-design \eqn{\tau^2};
#'   * `heat`, `heat_random`: the net heat matrices.
#' @references
#' Krahn U, Binder H, König J (2013). A graphical tool for locating
#' inconsistency in network meta-analyses. *BMC Medical Research Methodology*
#' 13:35. \doi{10.1186/1471-2288-13-35}
#'
#' Higgins JPT, Jackson D, Barrett JK, Lu G, Ades AE, White IR (2012).
#' Consistency and inconsistency in network meta-analysis: concepts and
#' models for multi-arm studies. *Research Synthesis Methods* 3(2):98-110.
#' \doi{10.1002/jrsm.1044}
#'
#' Jackson D, White IR, Riley RD (2012). Quantifying the impact of
#' between-study heterogeneity in multivariate meta-analyses. *Statistics in
#' Medicine* 31(29):3805-3820. \doi{10.1002/sim.5453}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' inc <- inconsistency(fit)
#' inc
#' tidy(inc)
#' inc$designs
#' @export
inconsistency <- function(fit, heat = TRUE, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_supports(fit, "inconsistency")
  if (length(fit$treatments) < 3L) {
    abort_fastnma(c("The decomposition of Q needs at least three treatments.",
                    "x" = "The network has {length(fit$treatments)}."), "treatments")
  }
  r <- call_core(inconsistency_cpp, fit, match(fit$reference, fit$treatments), isTRUE(heat))
  lab <- vapply(fit$design_arms, function(a) paste(fit$treatments[a], collapse = ":"),
                character(1))
  c0 <- r$common
  c1 <- r$random
  Q <- new_frame(
    part = c("total", "within designs", "between designs", "between designs (random)"),
    Q = c(c0$Q_total, c0$Q_within, c0$Q_between, c1$Q_between),
    df = c(c0$df_total, c0$df_within, c0$df_between, c1$df_between),
    tau2 = c(0, 0, 0, r$tau2_within))
  Q$p.value <- mapply(q_pvalue, Q$Q, Q$df)
  designs <- new_frame(
    design = lab,
    studies = tabulate(fit$design, nbins = length(lab)),
    Q_within = c0$Q_within_design, df_within = c0$df_within_design,
    Q_between = c0$Q_between_design,
    Q_detached = c0$Q_detach, df_detached = c0$df_detach,
    p_value_detached = mapply(q_pvalue, c0$Q_detach, c0$df_detach),
    Q_between_random = c1$Q_between_design,
    Q_detached_random = c1$Q_detach,
    p_value_detached_random = mapply(q_pvalue, c1$Q_detach, c1$df_detach))
  name_heat <- function(h) {
    if (is.null(h)) return(NULL)
    dimnames(h) <- list(design = lab, detached = lab)
    h
  }
  new_fastnma_result(list(Q = Q, designs = designs, tau2_within = r$tau2_within,
                          heat = name_heat(c0$heat), heat_random = name_heat(c1$heat)),
                     "nma_inconsistency")
}

#' @export
print.nma_inconsistency <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  cli::cat_line(cli::style_bold("Decomposition of Q"), " (common-effect model)")
  q <- x$Q
  shown <- data.frame(part = q$part, Q = format_num(q$Q, digits), df = q$df,
                      p.value = format_pvalue(q$p.value), stringsAsFactors = FALSE)
  print_columns(shown[1:3, ], left = "part")
  cli::cat_line()
  cli::cat_line(cli::style_bold("Design-by-treatment interaction, random effects"))
  cli::cat_line(sprintf("Q = %s, df = %d, %s (tau^2 within designs = %s, tau = %s)",
                        format_num(q$Q[4], digits), q$df[4],
                        format_pvalue(q$p.value[4], header = TRUE),
                        format_num(x$tau2_within, 4), format_num(sqrt(x$tau2_within), 4)))
  cli::cat_line()
  cli::cat_line(cli::style_bold("Between-design Q after detaching each design"))
  d <- x$designs
  shown <- data.frame(design = d$design, studies = d$studies,
                      Q_within = format_num(d$Q_within, 2),
                      Q_detached = format_num(d$Q_detached, 2), df = d$df_detached,
                      p.value = format_pvalue(d$p_value_detached), stringsAsFactors = FALSE)
  print_columns(shown, left = "design")
  invisible(x)
}

#' @rdname inconsistency
#' @param x An object of class `nma_inconsistency`.
#' @param ... Unused.
#' @return `tidy()`: the table `Q` as a tibble (`part, Q, df, tau2,
#'   p.value`). `glance()`: a one-row tibble with the between-design Q
#'   (`Q_between, df_between, p.value`), its random-effects version
#'   (`Q_between_random, p_value_random`) and `tau2_within`.
#' @method tidy nma_inconsistency
#' @export
tidy.nma_inconsistency <- function(x, ...) {
  netmeta_guard()
  as_tidy(x$Q)
}

#' @rdname inconsistency
#' @method glance nma_inconsistency
#' @export
glance.nma_inconsistency <- function(x, ...) {
  netmeta_guard()
  q <- x$Q
  as_glance(data.frame(Q_between = q$Q[3], df_between = q$df[3], p.value = q$p.value[3],
                       Q_between_random = q$Q[4], p_value_random = q$p.value[4],
                       tau2_within = x$tau2_within))
}

#' @export
summary.nma_inconsistency <- function(object, ...) {
  netmeta_guard()
  object
}

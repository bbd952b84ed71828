# Internal: a compiled verb `fun` called on the fit's network (checked
# against the fit first, see fit_network()): the network object itself is
# what the core takes, its compiled handle used as built (see
# network_handle()), with the verb's options after it.
call_core <- function(fun, x, ..., call = rlang::caller_env()) {
  net <- fit_network(x, call = call)
  r <- fun(net, ...)
  check_core_result(r, x, call = call)
}

check_nma <- function(x, call = rlang::caller_env()) {
  check_fit_object(x, "fit", call = call)
  fit_network(x, call = call)
  invisible(x)
}

model_tau2 <- function(x, model) if (model == "common") 0 else x$tau2

#' Direct (pairwise) meta-analyses of every compared pair
#'
#' `direct_estimates()` pools, for every pair of treatments compared in at
#' least one study, the study contrasts by inverse variance (the model's
#' \eqn{\tau^2} added to each variance for `model = "random"`). Every pair of
#' a multi-arm study enters with its own variance. These are the direct
#' estimates of [node_split()] and of the upper triangle of
#' [league_table()].
#'
#' @param fit An object of class `nma`.
#' @param model `"random"` (default; the fit's \eqn{\tau^2}) or `"common"`.
#' @param level Confidence level.
#' @param exponentiate Logical; ratio measures on the ratio scale.
#' @return A data frame of class `nma_direct`, one row per compared pair in
#'   the canonical orientation of [nma()]: `treat1, treat2`
#'   (effect of `treat1`, the later treatment, relative to `treat2`), `k`
#'   (contrasts), `estimate, std.error, conf.low, conf.high, statistic,
#'   p.value`, and the heterogeneity statistic `Q` with `df = k - 1` of the
#'   pairwise contrasts around the pooled estimate.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' direct_estimates(fit, model = "common")
#' @export
direct_estimates <- function(fit, model = c("random", "common"), level = fit$level,
                             exponentiate = FALSE, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_supports(fit, "direct_estimates")
  model <- check_choice(if (missing(model)) NULL else model, c("random", "common"), "model")
  check_level(level)
  exponentiate <- resolve_exponentiate(exponentiate, fit$measure)
  r <- call_core(direct_cpp, fit, model_tau2(fit, model))
  trt <- fit$treatments
  est <- r$estimate
  se <- sqrt(r$var)
  z <- stats::qnorm(1 - (1 - level) / 2)
  s <- r$studies
  Q <- as.vector(rowsum(s$weight * (s$estimate - est[s$edge])^2, s$edge, reorder = TRUE))
  out <- data.frame(treat1 = trt[r$b], treat2 = trt[r$a], k = r$k,
                    estimate = est, std.error = se,
                    conf.low = est - z * se, conf.high = est + z * se,
                    statistic = est / se, p.value = 2 * stats::pnorm(-abs(est / se)),
                    Q = Q, df = r$k - 1L, stringsAsFactors = FALSE)
  # the core reports later vs earlier in sorted order: turn to the
  # canonical direction before any change of scale
  out <- orient_comparisons(fit, out, negate = c("estimate", "statistic"),
                            limits = list(c("conf.low", "conf.high")))
  if (exponentiate) out <- exponentiate_columns(out)
  new_fastnma_table(out, "nma_direct", model = model,
            level = level, measure = fit$measure, exponentiate = exponentiate)
}

#' @rdname direct_estimates
#' @param x An object of class `nma_direct`.
#' @param conf.int Logical; include the confidence limits (default `TRUE`).
#' @param ... Unused.
#' @return `tidy()`: the same rows as a tibble with `term`
#'   (`"treat1 vs treat2"`) and `model`.
#' @method tidy nma_direct
#' @export
tidy.nma_direct <- function(x, conf.int = TRUE, ...) {
  netmeta_guard()
  as_tidy(x, conf.int = conf.int, model = attr(x, "model"))
}

#' @export
print.nma_direct <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  measure <- attr(x, "measure")
  exponentiate <- isTRUE(attr(x, "exponentiate"))
  cli::cat_line(cli::style_bold("Direct (pairwise) estimates"), " (",
                attr(x, "model"), " effects model; ", scale_header(measure, exponentiate), ")")
  df <- strip_attributes(x)
  shown <- data.frame(comparison = comparison_label(df$treat1, df$treat2), k = df$k,
                      estimate = format_num(df$estimate, digits),
                      ci = format_ci(df$conf.low, df$conf.high, digits),
                      p.value = format_pvalue(df$p.value),
                      Q = format_num(df$Q, 2), df = df$df, stringsAsFactors = FALSE)
  names(shown)[3:4] <- c(measure_abbrev(measure, exponentiate),
                         sprintf("%g%%-CI", 100 * attr(x, "level")))
  print_columns(shown, left = "comparison")
  cli::cat_line("Q, df: heterogeneity of the comparison's contrasts around its pooled estimate.")
  invisible(x)
}

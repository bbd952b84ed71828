#' Node-splitting: direct versus indirect evidence
#'
#' For every comparison with direct evidence, `node_split()` contrasts the
#' direct estimate with the indirect estimate from the rest of the network and
#' tests their difference (a z-test).
#'
#' * `method = "back-calculation"` (SIDE; Dias et al. 2010, König, Krahn &
#'   Binder 2013): the direct estimate is the inverse-variance pairwise
#'   meta-analysis of the comparison's contrasts (with the model's
#'   \eqn{\tau^2} added to their variances in the random-effects model; every
#'   pair of a multi-arm study enters with its own variance). The direct
#'   evidence proportion is \eqn{p = v_{net} / v_{dir}}; the indirect
#'   estimate is back-calculated as \eqn{(\hat\theta_{net} - p\,
#'   \hat\theta_{dir}) / (1 - p)} with variance \eqn{v_{net} v_{dir} /
#'   (v_{dir} - v_{net})}. These are netmeta's `netsplit()` conventions.
#' * `method = "separate"` (SIDDE; Efthimiou et al. 2019): the indirect
#'   estimate is the network estimate without the studies that compare the
#'   two treatments, obtained from the full fit by a low-rank downdate of its
#'   factorisation. In the random-effects model \eqn{\tau^2} of the indirect
#'   network is re-estimated with the fit's estimator (`tau2 = "reestimate"`,
#'   as netmeta's SIDDE) or kept at the fit's value (`tau2 = "fixed"`). A
#'   fit with a preset \eqn{\tau^2} (`nma(..., tau2 = )`) always keeps it.
#'
#' **Re-estimating \eqn{\tau^2} on large networks.** With `tau2 =
#' "reestimate"`, each indirect network (the network without the studies of
#' one comparison) is refitted when (comparisons) x (treatments)^3 is at most
#' `getOption("fastnma.split_exact_budget", 1e8)` (every network of up to
#' about 50 treatments), for the PM estimator, and
#' for a comparison whose removal drops a treatment. On larger networks the
#' indirect network's \eqn{\tau^2} comes from the full fit by low-rank
#' updates, as in [leave_one_out()] with the comparison's studies as the
#' removed set: DL exactly, REML and ML from the indirect network's exact
#' score and second derivative at the full-network \eqn{\tau^2} and at
#' 1 +- 2.5% of it (a Newton step when it is below 1e-4 of \eqn{\tau^2},
#' otherwise the root of the cubic Hermite interpolant of the score). The
#' indirect estimate and its variance at that \eqn{\tau^2} are the quartic
#' interpolation of exact downdates of five full fits, at \eqn{\tau^2} and
#' at 1 +- 0.5% and 1 +- 2.5% of it. A comparison whose \eqn{\tau^2} lies
#' further away is refitted. On simulated networks of 12 to 300 treatments
#' (5 to 17 studies per treatment, \eqn{\tau = 0.2}; every comparison
#' against its refit) the low-rank results differ from refits by at most
#' 2e-8 (relative) in the REML and ML \eqn{\tau^2} (DL: 1e-14), 6e-9
#' (relative) in the indirect standard error and 8e-9 standard errors in
#' the indirect estimate (DL: 1e-10); at 300 treatments and 3,000 studies
#' (REML) the separate method takes about 1 s of CPU instead of about 2
#' minutes.
#'
#' A comparison whose direct evidence proportion is 1 (up to `tol_direct`),
#' such as a treatment linked to the network by a single comparison, has no
#' indirect evidence: its indirect estimate is `NA` and its `evidence` column
#' says `"direct only"`. With the separate method, a comparison whose studies
#' are the only link between parts of the network has `evidence`
#' `"no indirect path"`.
#'
#' @param fit An object of class `nma`.
#' @param model `"random"` (default) or `"common"`.
#' @param method `"back-calculation"` (default) or `"separate"`.
#' @param tau2 For `method = "separate"` and the random-effects model:
#'   `"reestimate"` (default) or `"fixed"`.
#' @param comparisons `"direct"` (default): comparisons with direct evidence;
#'   `"all"`: every pair, those without direct evidence with `k = 0`,
#'   `prop_direct = 0` and the network estimate as indirect estimate.
#' @param level Confidence level of the intervals of [tidy()].
#' @param tol_direct Tolerance below which \eqn{1 - p} counts as no indirect
#'   evidence.
#' @return A data frame of class `nma_split`, one row per comparison in the
#'   canonical orientation of [nma()] (treatments ordered with the reference
#'   first, then the others in sorted order; `treat1` the later, `treat2` the
#'   earlier treatment, so comparisons with the reference read "X vs
#'   reference"; rows ordered by `treat2`, then `treat1`), with
#'   `treat1, treat2` (effect of `treat1` relative to `treat2`), `k` (studies), `prop_direct`,
#'   `direct, direct_se, indirect, indirect_se, diff` (direct minus
#'   indirect), `diff_se, statistic, p.value`, the network estimate
#'   `network, network_se`, and `evidence` (`"mixed"`, `"direct only"`,
#'   `"indirect only"`, `"no indirect path"`).
#' @references
#' Dias S, Welton NJ, Caldwell DM, Ades AE (2010). Checking consistency in
#' mixed treatment comparison meta-analysis. *Statistics in Medicine*
#' 29(7-8):932-944. \doi{10.1002/sim.3767}
#'
#' König J, Krahn U, Binder H (2013). Visualizing the flow of evidence in
#' network meta-analysis and characterizing mixed treatment comparisons.
#' *Statistics in Medicine* 32(30):5414-5429. \doi{10.1002/sim.6001}
#'
#' Efthimiou O, Rücker G, Schwarzer G, Higgins JPT, Egger M, Salanti G
#' (2019). Network meta-analysis of rare events using the Mantel-Haenszel
#' method. *Statistics in Medicine* 38(16):2992-3012. \doi{10.1002/sim.8158}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, tau2_method = "DL")
#' node_split(fit)
#' node_split(fit, model = "common", method = "separate")
#' @export
node_split <- function(fit, model = c("random", "common"),
                       method = c("back-calculation", "separate"),
                       tau2 = c("reestimate", "fixed"),
                       comparisons = c("direct", "all"),
                       level = fit$level, tol_direct = 5e-4, ...) {
  netmeta_guard(dots_empty = TRUE)
  check_supports(fit, "node_split")
  # an argument not given is its default, the first choice (no check needed)
  model <- if (missing(model)) "random" else check_choice(model, c("random", "common"), "model")
  method <- if (missing(method)) "back-calculation" else
    check_choice(method, c("back-calculation", "separate"), "method")
  tau2 <- if (missing(tau2)) "reestimate" else
    check_choice(tau2, c("reestimate", "fixed"), "tau2")
  comparisons <- if (missing(comparisons)) "direct" else
    check_choice(comparisons, c("direct", "all"), "comparisons")
  check_level(level)
  t2 <- model_tau2(fit, model)
  # a preset tau^2 is kept: there is no estimator to re-run
  reestimate <- method == "separate" && model == "random" && tau2 == "reestimate" &&
    !identical(fit$tau2_method, "preset")
  # the core reports its progress every 32 direct comparisons;
  # check_supports() has checked the fit against its network
  r <- with_progress(
    check_core_result(split_cpp(fit$network, list(
      ref = match(fit$reference, fit$treatments), tau2 = t2,
      method = if (method == "separate") "separate" else "back",
      reestimate = reestimate, tau2_method = fit$tau2_method,
      tol_tau2 = fit$control$tol_tau2, tol_direct = tol_direct,
      exact_budget = split_exact_budget())), fit),
    if (method == "separate") n_direct_comparisons(fit) else 0, 32,
    "Splitting each comparison")
  out <- split_rows(fit, r, reestimate)
  if (comparisons == "all") {
    trt <- fit$treatments
    ij <- canonical_pairs(fit, "all")
    trt_i <- trt[ij$i]
    trt_j <- trt[ij$j]
    have <- pair_match(trt_i, trt_j, out$treat1, out$treat2)
    miss <- is.na(have)
    if (any(miss)) {
      i <- ij$i[miss]
      j <- ij$j[miss]
      rows <- comparison_rows(fit, model, i, j)
      C <- fit[[model]]$cov
      se_net <- sqrt(C[cbind(i, i)] + C[cbind(j, j)] - 2 * C[cbind(i, j)])
      extra <- out[rep(NA_integer_, sum(miss)), , drop = FALSE]
      extra$treat1 <- rows$treat1
      extra$treat2 <- rows$treat2
      extra$k <- 0L
      extra$prop_direct <- 0
      extra$indirect <- rows$estimate
      extra$indirect_se <- se_net
      extra$network <- rows$estimate
      extra$network_se <- se_net
      extra$evidence <- "indirect only"
      out <- orient_comparisons(fit, rbind(out, extra))
    }
  }
  new_fastnma_table(out, "nma_split", model = model,
            method = method, tau2 = if (model == "random") fit$tau2 else 0,
            level = level, measure = fit$measure)
}

# The rows of node_split() from the core's result `r`, whose rows are
# "later vs earlier" in the fit's treatment order: in the canonical direction
# and order of orient_comparisons() (a row whose later treatment is the
# reference is turned round: labels swapped, estimates negated; rows ordered
# by the canonical rank of treat2, then treat1), built once from the plain
# vectors.
split_rows <- function(fit, r, reestimate) {
  trt <- fit$treatments
  n <- length(trt)
  ref <- match(fit$reference, trt)
  rank <- integer(n)
  rank[ref] <- 1L
  rank[-ref] <- seq_len(n - 1L) + 1L
  i1 <- r$b
  i2 <- r$a
  flip <- rank[i1] < rank[i2]
  t1 <- i1
  i1[flip] <- i2[flip]
  i2[flip] <- t1[flip]
  # by treat2, then treat1, as order(rank[i2], rank[i1]) (which costs more
  # than the rest of this function): one integer key per pair; on networks
  # of up to 300 treatments the pairs, which are distinct, are placed by a
  # counting sort, otherwise (or when keys repeat) by order()
  key <- rank[i2] * (n + 1L) + rank[i1]
  o <- NULL
  if (n <= 300L) {
    slot <- integer((n + 1L) * (n + 1L))
    slot[key] <- seq_along(key)
    o <- slot[slot > 0L]
  }
  if (length(o) != length(key)) o <- order(key, method = "radix")
  flip <- flip[o]
  # no indirect evidence (status 1 or 2): the core's indirect parts are not
  # numbers; they are reported as missing, as documented
  none <- r$status[o] != 0L
  direct <- r$direct[o]
  indirect <- r$indirect[o]
  network <- r$network[o]
  direct_var <- r$direct_var[o]
  indirect_var <- r$indirect_var[o]
  diff <- direct - indirect
  diff_se <- sqrt(direct_var + indirect_var)
  statistic <- diff / diff_se
  indirect_se <- sqrt(indirect_var)
  if (any(none)) {
    indirect[none] <- NA_real_
    indirect_se[none] <- NA_real_
    diff[none] <- NA_real_
    diff_se[none] <- NA_real_
    statistic[none] <- NA_real_
  }
  p <- 2 * stats::pnorm(-abs(statistic))
  if (any(flip)) {
    direct[flip] <- -direct[flip]
    indirect[flip] <- -indirect[flip]
    diff[flip] <- -diff[flip]
    statistic[flip] <- -statistic[flip]
    network[flip] <- -network[flip]
  }
  cols <- list(treat1 = trt[i1[o]], treat2 = trt[i2[o]], k = r$k[o],
               prop_direct = r$prop[o], direct = direct, direct_se = sqrt(direct_var),
               indirect = indirect, indirect_se = indirect_se, diff = diff,
               diff_se = diff_se, statistic = statistic, p.value = p,
               network = network, network_se = sqrt(r$network_var[o]),
               evidence = c("mixed", "direct only", "no indirect path")[r$status[o] + 1L])
  if (reestimate) cols$tau2_indirect <- r$tau2_indirect[o]
  attr(cols, "row.names") <- .set_row_names(length(o))
  class(cols) <- "data.frame"
  cols
}

# Refits of the indirect networks when (comparisons) x n^3 is at most this
# (option `fastnma.split_exact_budget`, 1e8: every network of the
# agreement tests with netmeta is refitted, a network of 100 treatments and
# 1,000 studies, about 1e9, is not: its refits take half a minute).
split_exact_budget <- function() {
  as.double(getOption("fastnma.split_exact_budget", 1e8))
}

# The number of directly compared pairs of treatments of a fit.
n_direct_comparisons <- function(fit) {
  net <- fit_network(fit)
  a <- pmin(net$codes$treat1, net$codes$treat2)
  b <- pmax(net$codes$treat1, net$codes$treat2)
  length(unique(a * (length(net$treatments) + 1) + b))
}

#' @rdname node_split
#' @param digits Number of decimals of the estimates.
#' @param exponentiate Scale of `print()` and [autoplot()][autoplot.nma_split]:
#'   `NULL` (default) the ratio scale for ratio measures (network, direct and
#'   indirect estimates exponentiated, and the difference shown as the ratio
#'   of the direct to the indirect estimate), `FALSE` the log scale of the
#'   analysis, `TRUE` the ratio scale (an error of class
#'   `fastnma_error_exponentiate` for a difference measure). The z statistic
#'   and the p-value do not depend on the scale.
#' @export
print.nma_split <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  measure <- attr(x, "measure")
  exponentiate <- resolve_exponentiate(exponentiate, measure)
  cli::cat_line(strwrap(paste0(
    cli::style_bold("Node-splitting"), " (", attr(x, "method"), ", ", attr(x, "model"),
    " effects model",
    if (attr(x, "model") == "random") sprintf(", tau^2 = %s", format_num(attr(x, "tau2"), 4)) else "",
    "; ", scale_header(measure, exponentiate), ")"), width = getOption("width", 80L)))
  cli::cat_line(if (exponentiate) {
    "Effect of treat1 relative to treat2; ratio = direct / indirect"
  } else {
    "Effect of treat1 relative to treat2; diff = direct - indirect"
  })
  df <- strip_attributes(x)
  df <- to_scale(df, exponentiate, cols = c("network", "direct", "indirect", "diff"))
  shown <- data.frame(
    comparison = comparison_label(df$treat1, df$treat2), k = df$k,
    prop = format_num(df$prop_direct, 2),
    network = format_num(df$network, digits),
    direct = format_num(df$direct, digits),
    indirect = format_num(df$indirect, digits),
    diff = format_num(df$diff, digits),
    z = format_num(df$statistic, 2),
    p.value = format_pvalue(df$p.value),
    evidence = df$evidence, stringsAsFactors = FALSE)
  shown[is.na(df$direct), "direct"] <- "."
  shown[is.na(df$indirect), "indirect"] <- "."
  shown[is.na(df$diff), c("diff", "z", "p.value")] <- "."
  if (exponentiate) names(shown)[names(shown) == "diff"] <- "ratio"
  print_columns(shown, left = c("comparison", "evidence"))
  if (attr(x, "model") == "random" && is_ratio(measure)) {
    cli::cat_line(log_scale_note(measure, "tau^2 is"))
  }
  invisible(x)
}

#' @rdname node_split
#' @param x An object of class `nma_split`.
#' @param conf.int Logical; include the confidence limits (default `TRUE`).
#' @param conf.level Confidence level of the intervals.
#' @param exponentiate Logical; estimates and limits of ratio measures on
#'   the ratio scale (default `FALSE`); an error for difference measures.
#' @param ... Unused.
#' @return `tidy()`: a tibble with the comparisons in long form, one row per
#'   comparison and source of evidence (`evidence`: `network`, `direct`,
#'   `indirect`, `difference`) with `term` (`"treat1 vs treat2"`), `treat1,
#'   treat2, estimate, std.error, conf.low, conf.high`, and the test in the
#'   `difference` rows (the difference of two ratio-scale estimates is their
#'   ratio).
#' @method tidy nma_split
#' @export
tidy.nma_split <- function(x, conf.int = TRUE, conf.level = attr(x, "level"),
                           exponentiate = FALSE, ...) {
  netmeta_guard()
  check_level(conf.level)
  check_conf_int(conf.int)
  exponentiate <- resolve_exponentiate(exponentiate, attr(x, "measure"))
  df <- strip_attributes(x)
  z <- stats::qnorm(1 - (1 - conf.level) / 2)
  part <- function(name, est, se, stat = NA_real_, p = NA_real_) {
    data.frame(treat1 = df$treat1, treat2 = df$treat2, evidence = name,
               estimate = est, std.error = se, conf.low = est - z * se,
               conf.high = est + z * se, statistic = stat, p.value = p,
               stringsAsFactors = FALSE)
  }
  out <- rbind(part("network", df$network, df$network_se),
               part("direct", df$direct, df$direct_se),
               part("indirect", df$indirect, df$indirect_se),
               part("difference", df$diff, df$diff_se, df$statistic, df$p.value))
  n <- nrow(df)
  out <- out[order(rep(seq_len(n), 4)), , drop = FALSE]
  if (exponentiate) out <- exponentiate_columns(out)
  as_tidy(out, conf.int = conf.int, model = attr(x, "model"))
}

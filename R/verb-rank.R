#' Rank treatments: P-scores, SUCRA and rank probabilities
#'
#' `rank_treatments()` ranks the treatments of a network meta-analysis.
#'
#' * `method = "pscore"`: P-scores (Rücker & Schwarzer 2015), in closed form:
#'   the P-score of treatment \eqn{i} is the mean over the other treatments
#'   \eqn{j} of \eqn{\Phi((\hat\theta_j - \hat\theta_i) / se_{ij})} when small
#'   values are desirable (of \eqn{\Phi((\hat\theta_i - \hat\theta_j) /
#'   se_{ij})} when they are not), the frequentist analogue of SUCRA.
#' * `method = "sucra"`: SUCRA, mean ranks and rank probabilities (the
#'   rankogram; Salanti, Ades & Ioannidis 2011) from `n_sim` draws of the
#'   multivariate normal distribution of the estimates, drawn in the compiled
#'   core with its own portable generator. The same `seed` gives the same
#'   draws on every platform; with `seed = NULL` a seed is taken from R's
#'   random number generator, so [set.seed()] makes results reproducible.
#'
#' Ranks use the covariance of the chosen model without the Hartung-Knapp
#' factor.
#'
#' @param fit An object of class `nma`.
#' @param method `"pscore"` (default) or `"sucra"`.
#' @param model `"random"` (default) or `"common"`.
#' @param small_values `"desirable"` (small effects are good, as for a
#'   harmful outcome or a mean reduction) or `"undesirable"` (large effects
#'   are good). The default `NULL` uses the fit's own choice, the
#'   `small_values` given to [nma()] or [nma_binary()] (`"desirable"` unless
#'   stated); a value here overrides it for this call.
#' @param n_sim Number of draws for `method = "sucra"`: a whole number from
#'   1 to 1e8.
#' @param ... Unused; must be empty (netmeta's names, such as `nsim` or
#'   `small.values`, get an error naming the argument to use, see
#'   [netmeta_arguments]).
#' @param seed A seed for the draws (a whole number from 0 to
#'   `.Machine$integer.max`), or `NULL`.
#' @return A data frame of class `nma_ranks`, one row per treatment in the
#'   order of the fit: `treatment` and `pscore`, or `treatment`, `sucra`,
#'   `mean_rank` and `p_best`. For SUCRA the matrix of rank probabilities
#'   (treatments by ranks, rank 1 the best) is the attribute `"probabilities"`
#'   (also `tidy(x, probabilities = TRUE)`).
#' @references
#' Rücker G, Schwarzer G (2015). Ranking treatments in frequentist network
#' meta-analysis works without resampling methods. *BMC Medical Research
#' Methodology* 15:58. \doi{10.1186/s12874-015-0060-8}
#'
#' Salanti G, Ades AE, Ioannidis JPA (2011). Graphical methods and numerical
#' summaries for presenting results from multiple-treatment meta-analysis: an
#' overview and tutorial. *Journal of Clinical Epidemiology* 64(2):163-171.
#' \doi{10.1016/j.jclinepi.2010.03.016}
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac",
#'            tau2_method = "DL")
#' rank_treatments(fit)
#' r <- rank_treatments(fit, method = "sucra", n_sim = 5000, seed = 1)
#' r
#' head(tidy(r, probabilities = TRUE))
#' @export
rank_treatments <- function(fit, method = c("pscore", "sucra"),
                            model = c("random", "common"),
                            small_values = NULL,
                            n_sim = 10000L, seed = NULL, ...) {
  check_netmeta_arguments(sys.call(), sys.function())
  check_dots_empty(...)
  check_nma(fit)
  method <- check_choice(if (missing(method)) NULL else method, c("pscore", "sucra"), "method")
  model <- fit_model(fit, if (missing(model)) NULL else model)
  small_values <- check_small_values(small_values, default = fit$small_values %||% "desirable")
  good_small <- small_values == "desirable"
  est <- fit[[model]]
  estimates <- list(theta = unname(est$theta), cov = unname(est$cov))
  if (method == "pscore") {
    out <- new_frame(treatment = fit$treatments,
                     pscore = pscore_cpp(estimates, list(small_good = good_small)))
    probs <- NULL
  } else {
    if (!is_whole(n_sim) || n_sim < 1 || n_sim > max_n_sim) {
      abort_fastnma(c(
        "{.arg n_sim} must be a whole number from 1 to {format(max_n_sim, big.mark = ',', scientific = FALSE)}.",
        "x" = "It is {.val {format(n_sim)}}."
      ), "n_sim")
    }
    if (is.null(seed)) {
      seed <- sample.int(.Machine$integer.max, 1L)
    } else if (!is_whole(seed) || seed < 0 || seed > .Machine$integer.max) {
      abort_fastnma(c(
        "{.arg seed} must be NULL or a whole number from 0 to {format(.Machine$integer.max, big.mark = ',')}.",
        "x" = "It is {.val {format(seed)}}."
      ), "seed")
    }
    # the core reports its progress every 1024 draws
    sim <- with_progress(rank_sim_cpp(estimates,
                                      list(ref = match(fit$reference, fit$treatments),
                                           small_good = good_small, n_sim = as.integer(n_sim),
                                           seed = as.double(seed))),
                         n_sim, 1024, "Drawing ranks")
    probs <- sim$prob
    dimnames(probs) <- list(treatment = fit$treatments, rank = seq_len(ncol(probs)))
    out <- new_frame(treatment = fit$treatments, sucra = sim$sucra,
                     mean_rank = sim$mean_rank, p_best = probs[, 1])
  }
  new_fastnma_table(out, "nma_ranks", method = method,
            model = model, model_label = fit_model_label(fit, model),
            small_values = small_values,
            n_sim = if (method == "sucra") as.integer(n_sim) else NULL,
            seed = if (method == "sucra") seed else NULL,
            probabilities = probs)
}

#' @export
print.nma_ranks <- function(x, digits = 3, ...) {
  netmeta_guard()
  check_dots_print(...)
  method <- attr(x, "method")
  score <- if (method == "pscore") "pscore" else "sucra"
  cli::cat_line(cli::style_bold(if (method == "pscore") "P-scores" else "SUCRA"),
                " (", attr(x, "model_label") %||% paste(attr(x, "model"), "effects"),
                " model; small values ",
                attr(x, "small_values"), ")")
  if (method == "sucra") {
    cli::cat_line(sprintf("%d draws, seed %s", attr(x, "n_sim"), format(attr(x, "seed"))))
  }
  df <- strip_attributes(x)
  df <- df[order(-df[[score]]), , drop = FALSE]
  num <- vapply(df, is.numeric, logical(1))
  df[num] <- lapply(df[num], function(v) format_num(v, digits))
  print_columns(df, left = names(df)[!num])
  invisible(x)
}

#' @rdname rank_treatments
#' @param x An object of class `nma_ranks`.
#' @param probabilities Logical; return the rank probabilities in long form
#'   (`treatment, rank, probability`) instead of the scores.
#' @param ... Unused.
#' @method tidy nma_ranks
#' @export
tidy.nma_ranks <- function(x, probabilities = FALSE, ...) {
  netmeta_guard()
  if (isTRUE(probabilities)) {
    p <- attr(x, "probabilities")
    if (is.null(p)) {
      abort_fastnma("Rank probabilities are computed for {.code method = \"sucra\"} only.",
                    "method")
    }
    return(as_tidy(data.frame(treatment = rep(rownames(p), times = ncol(p)),
                              rank = rep(seq_len(ncol(p)), each = nrow(p)),
                              probability = as.vector(p), stringsAsFactors = FALSE)))
  }
  as_tidy(x)
}

# A plain data frame from a classed one, without the extra attributes.
strip_attributes <- function(x) {
  keep <- attributes(x)[c("names", "row.names")]
  attributes(x) <- NULL
  attributes(x) <- c(keep, list(class = "data.frame"))
  x
}

# Upper limit of the number of draws (each draw is one vector of effects; at
# 1e8 draws a 10-treatment network already takes minutes).
max_n_sim <- 1e8

is_whole <- function(x) {
  is.numeric(x) && length(x) == 1L && !is.na(x) && is.finite(x) && x == round(x)
}

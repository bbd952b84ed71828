#' Estimate a sample mean and SD from the median and quartiles and/or range
#'
#' @description
#' Trials often report a continuous outcome as a median with its interquartile
#' range (IQR) and/or its range instead of a mean and standard deviation (SD).
#' `estimate_mean_sd()` converts such summaries to an approximate mean and SD
#' under a normality assumption, row by row, for one of three scenarios
#' (Wan et al. 2014):
#'
#' * **S1**: median, minimum and maximum (`median`, `min`, `max`, `n`);
#' * **S2**: median and quartiles (`median`, `q1`, `q3`, `n`);
#' * **S3**: the five-number summary (`median`, `q1`, `q3`, `min`, `max`, `n`).
#'
#' The scenario is chosen per row from the values that are present (not `NA`),
#' so a single call can mix studies reporting different summaries.
#'
#' @details
#' Write \eqn{a}, \eqn{q_1}, \eqn{m}, \eqn{q_3}, \eqn{b} for the minimum, first
#' quartile, median, third quartile and maximum, \eqn{n} for the sample size
#' and \eqn{\Phi^{-1}} for the standard normal quantile function
#' ([stats::qnorm()]). Let
#' \deqn{\xi(n) = 2\,\Phi^{-1}\!\left(\frac{n - 0.375}{n + 0.25}\right), \qquad
#'       \eta(n) = 2\,\Phi^{-1}\!\left(\frac{0.75\,n - 0.125}{n + 0.25}\right).}{
#'       xi(n) = 2 qnorm((n - 0.375) / (n + 0.25)),
#'       eta(n) = 2 qnorm((0.75 n - 0.125) / (n + 0.25)).}
#'
#' **Means.** With `method = "luo_wan"` (default) or `"luo_shi"`, the
#' optimally weighted estimators of Luo et al. (2018):
#' * S1: \eqn{w (a + b)/2 + (1 - w) m} with \eqn{w = 4 / (4 + n^{0.75})};
#' * S2: \eqn{w (q_1 + q_3)/2 + (1 - w) m} with \eqn{w = 0.7 + 0.39 / n};
#' * S3: \eqn{w_1 (a + b)/2 + w_2 (q_1 + q_3)/2 + (1 - w_1 - w_2) m} with
#'   \eqn{w_1 = 2.2 / (2.2 + n^{0.75})} and \eqn{w_2 = 0.7 - 0.72 / n^{0.55}}.
#'
#' With `method = "wan"`, the estimators recommended by Wan et al. (2014):
#' \eqn{(a + 2m + b)/4} (S1, from Hozo et al. 2005), \eqn{(q_1 + m + q_3)/3}
#' (S2) and \eqn{(a + 2 q_1 + 2 m + 2 q_3 + b)/8} (S3).
#'
#' **SDs.** Wan et al. (2014) for every method in S1 and S2:
#' \eqn{(b - a)/\xi(n)} (S1) and \eqn{(q_3 - q_1)/\eta(n)} (S2). In S3,
#' `"luo_wan"` and `"wan"` use Wan's equal-weight combination
#' \eqn{\frac{1}{2}(b - a)/\xi(n) + \frac{1}{2}(q_3 - q_1)/\eta(n)}, and
#' `"luo_shi"` uses the smoothly weighted estimator of Shi et al. (2020,
#' their shortcut formula)
#' \eqn{w (b - a)/\xi(n) + (1 - w)(q_3 - q_1)/\eta(n)} with
#' \eqn{w = 1 / (1 + 0.07\,n^{0.6})}, which Shi et al. show to be more accurate
#' than Wan's for normal data.
#'
#' The closed forms \eqn{\xi(n)} and \eqn{\eta(n)} are used for every \eqn{n}.
#' For small samples Wan et al. (2014, Tables 1 and 2) also tabulate the exact
#' expected values of the standardised range and IQR, which differ slightly
#' from the closed forms (for example \eqn{\xi(10)} is 3.078 in their Table 1
#' and 3.093 by the formula); some software (e.g. the \pkg{meta} package) uses
#' the tables instead, so results can differ in the third decimal for small
#' \eqn{n}.
#'
#' These conversions assume approximately normal data. For skewed outcomes
#' (where the median is far from the middle of the IQR or range) they can be
#' badly biased, and the choice to convert at all is an analysis decision that
#' should be reported and checked in a sensitivity analysis.
#'
#' @param median Numeric vector of sample medians (no missing values).
#' @param q1,q3 Numeric vectors of first and third quartiles, or `NULL` when
#'   no row reports them. Use `NA` in rows that do not report them.
#' @param min,max Numeric vectors of sample minima and maxima, or `NULL` when
#'   no row reports them. Use `NA` in rows that do not report them.
#' @param n Sample sizes (whole numbers, at least 2).
#' @param method Which estimators to use: `"luo_wan"` (default; means of Luo
#'   et al. 2018, SDs of Wan et al. 2014), `"luo_shi"` (as `"luo_wan"` but the
#'   SD in scenario S3 from Shi et al. 2020) or `"wan"` (means and SDs of Wan
#'   et al. 2014).
#'
#' All of `median`, `q1`, `q3`, `min`, `max` and `n` that are not `NULL` must
#' have the same length or length one (recycled).
#'
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @return A data frame with one row per input row and columns `mean`, `sd`
#'   (the estimates) and `scenario` (`"S1"`, `"S2"` or `"S3"`: which summary
#'   was used).
#'
#' @section Errors:
#' Bad inputs raise classed errors (all of class `fastnma_error`; see
#' [fastnma_errors]) that name the offending rows: a missing median or `n`
#' (`fastnma_error_missing`, or `fastnma_error_missing_argument` when the
#' argument is not given); no usable spread (neither both quartiles nor both
#' extremes) or only one of a pair (`q1` without `q3`, `min` without `max`)
#' (`fastnma_error_summary_spread`); `q1 > median`, `median > q3`,
#' `min > q1`, `q3 > max`, `min > median` or `median > max`
#' (`fastnma_error_summary_order`); `n` smaller than 2 or not a whole number
#' (`fastnma_error_sample_size`); infinite values
#' (`fastnma_error_not_finite`); inputs that are not numeric
#' (`fastnma_error_numeric`) or of lengths that do not recycle
#' (`fastnma_error_length`).
#'
#' @references
#' Wan X, Wang W, Liu J, Tong T (2014). Estimating the sample mean and
#' standard deviation from the sample size, median, range and/or
#' interquartile range. *BMC Medical Research Methodology*, 14, 135.
#' \doi{10.1186/1471-2288-14-135}
#'
#' Luo D, Wan X, Liu J, Tong T (2018). Optimally estimating the sample mean
#' from the sample size, median, mid-range, and/or mid-quartile range.
#' *Statistical Methods in Medical Research*, 27(6), 1785--1805.
#' \doi{10.1177/0962280216669183}
#'
#' Shi J, Luo D, Weng H, Zeng X-T, Lin L, Chu H, Tong T (2020). Optimally
#' estimating the sample standard deviation from the five-number summary.
#' *Research Synthesis Methods*, 11(5), 641--654. \doi{10.1002/jrsm.1429}
#'
#' Hozo SP, Djulbegovic B, Hozo I (2005). Estimating the mean and variance
#' from the median, range, and the size of a sample. *BMC Medical Research
#' Methodology*, 5, 13. \doi{10.1186/1471-2288-5-13}
#'
#' @examples
#' # One study per scenario (made-up summaries, for illustration only)
#' estimate_mean_sd(
#'   median = c(5, 5, 5),
#'   q1     = c(NA, 3, 3),
#'   q3     = c(NA, 7, 7),
#'   min    = c(1, NA, 1),
#'   max    = c(10, NA, 10),
#'   n      = c(30, 30, 30)
#' )
#'
#' # Median (IQR) only
#' estimate_mean_sd(median = 4, q1 = 2, q3 = 7, n = 25)
#'
#' # Shi et al. (2020) SD for the five-number summary
#' estimate_mean_sd(median = 5, q1 = 3, q3 = 7, min = 1, max = 10, n = 30,
#'                  method = "luo_shi")
#' @export
estimate_mean_sd <- function(median, q1 = NULL, q3 = NULL, min = NULL,
                             max = NULL, n, method = c("luo_wan", "luo_shi", "wan"), ...) {
  netmeta_guard(dots_empty = TRUE)
  call <- rlang::current_env()

  if (!is.character(method) || length(method) < 1L || anyNA(method) ||
      !all(method %in% c("luo_wan", "luo_shi", "wan"))) {
    shown <- if (is.character(method)) method else deparse(method)
    abort_fastnma(c(
      "{.arg method} must be one of {.or {.val {c('luo_wan', 'luo_shi', 'wan')}}}.",
      "x" = "It is {.val {shown}}."
    ), "choice", call = call)
  }
  method <- method[1L]

  if (missing(median)) {
    abort_fastnma("{.arg median} is missing, with no default.", "missing_argument", call = call)
  }
  if (missing(n)) {
    abort_fastnma("{.arg n} is missing, with no default.", "missing_argument", call = call)
  }

  # ---- types and lengths ----------------------------------------------------
  args <- list(median = median, q1 = q1, q3 = q3, min = min, max = max, n = n)
  given <- !vapply(args, is.null, logical(1))
  for (nm in names(args)[given]) {
    x <- args[[nm]]
    if (!(is.numeric(x) || (is.logical(x) && all(is.na(x))))) {
      abort_fastnma(c(
        "{.arg {nm}} must be a numeric vector.",
        "x" = "It is {.obj_type_friendly {x}}."
      ), "numeric", call = call)
    }
  }
  lens <- lengths(args[given])
  k <- base::max(lens)
  if (any(lens == 0L)) {
    empty <- names(lens)[lens == 0L]
    abort_fastnma("{.arg {empty}} must not be empty.", "length", call = call)
  }
  bad_len <- names(lens)[!(lens %in% c(1L, k))]
  if (length(bad_len)) {
    abort_fastnma(c(
      "All inputs must have the same length (or length 1).",
      "x" = "{.arg {bad_len}} ha{?s/ve} length {lens[bad_len]}; the longest input has length {k}."
    ), "length", call = call)
  }
  fill <- function(x) if (is.null(x)) rep(NA_real_, k) else rep_len(as.numeric(x), k)
  m <- fill(median)
  lo <- fill(q1)
  hi <- fill(q3)
  a <- fill(min)
  b <- fill(max)
  nn <- fill(n)

  row_list <- function(rows) {
    rows <- which(rows)
    if (length(rows) > 10L) c(as.character(rows[1:10]), "...") else as.character(rows)
  }
  fail_rows <- function(bad, what, class, detail = NULL) {
    bad <- bad %in% TRUE
    if (any(bad)) {
      rows <- row_list(bad)
      found <- if (is.null(detail)) character() else {
        d <- sprintf("Row %d: %s.", which(bad), detail[bad])
        if (length(d) > 5L) d <- c(d[1:5], sprintf("... and %d more row(s).", length(d) - 5L))
        stats::setNames(d, rep("x", length(d)))
      }
      abort_fastnma(c(what, "x" = "Problem in row{?s} {rows}.", found), class, call = call)
    }
  }
  shown <- function(...) {
    vals <- list(...)
    parts <- mapply(function(nm, v) paste(nm, "=", vapply(v, format, character(1), digits = 15)),
                    names(vals), vals, SIMPLIFY = FALSE)
    do.call(paste, c(parts, sep = ", "))
  }

  # ---- missing and non-finite values -------------------------------------------
  fail_rows(is.na(m), "{.arg median} must not be missing.", "missing")
  fail_rows(is.na(nn), "{.arg n} must not be missing.", "missing")
  all_vals <- cbind(m, lo, hi, a, b, nn)
  fail_rows(rowSums(is.infinite(all_vals)) > 0, "All summaries and {.arg n} must be finite.",
            "not_finite")
  fail_rows(nn < 2, "{.arg n} must be at least 2 (an SD needs two observations).",
            "sample_size", shown(n = nn))
  fail_rows(abs(nn - round(nn)) > 1e-8, "{.arg n} must be a whole number.",
            "sample_size", shown(n = nn))

  has_iqr <- !is.na(lo) & !is.na(hi)
  has_rng <- !is.na(a) & !is.na(b)
  fail_rows(xor(is.na(lo), is.na(hi)),
            "{.arg q1} and {.arg q3} must be given together (both or neither).", "summary_spread")
  fail_rows(xor(is.na(a), is.na(b)),
            "{.arg min} and {.arg max} must be given together (both or neither).", "summary_spread")
  fail_rows(!has_iqr & !has_rng, c(
    "Each row needs a spread: both quartiles ({.arg q1}, {.arg q3}), both extremes ({.arg min}, {.arg max}), or all four.",
    "i" = "A median alone does not determine an SD."
  ), "summary_spread")

  # ---- ordering -------------------------------------------------------------------
  fail_rows(has_iqr & lo > m, "{.arg q1} must not exceed {.arg median}.",
            "summary_order", shown(q1 = lo, median = m))
  fail_rows(has_iqr & m > hi, "{.arg median} must not exceed {.arg q3}.",
            "summary_order", shown(median = m, q3 = hi))
  fail_rows(has_rng & a > m, "{.arg min} must not exceed {.arg median}.",
            "summary_order", shown(min = a, median = m))
  fail_rows(has_rng & m > b, "{.arg median} must not exceed {.arg max}.",
            "summary_order", shown(median = m, max = b))
  fail_rows(has_iqr & has_rng & a > lo, "{.arg min} must not exceed {.arg q1}.",
            "summary_order", shown(min = a, q1 = lo))
  fail_rows(has_iqr & has_rng & hi > b, "{.arg q3} must not exceed {.arg max}.",
            "summary_order", shown(q3 = hi, max = b))

  # ---- estimates ----------------------------------------------------------------
  scenario <- ifelse(has_iqr & has_rng, "S3", ifelse(has_rng, "S1", "S2"))
  s1 <- scenario == "S1"
  s2 <- scenario == "S2"
  s3 <- scenario == "S3"

  xi <- 2 * stats::qnorm((nn - 0.375) / (nn + 0.25))
  eta <- 2 * stats::qnorm((0.75 * nn - 0.125) / (nn + 0.25))

  est_mean <- rep(NA_real_, k)
  est_sd <- rep(NA_real_, k)

  if (method == "wan") {
    est_mean[s1] <- ((a + 2 * m + b) / 4)[s1]
    est_mean[s2] <- ((lo + m + hi) / 3)[s2]
    est_mean[s3] <- ((a + 2 * lo + 2 * m + 2 * hi + b) / 8)[s3]
  } else {
    w1 <- 4 / (4 + nn^0.75)
    est_mean[s1] <- (w1 * (a + b) / 2 + (1 - w1) * m)[s1]
    w2 <- 0.7 + 0.39 / nn
    est_mean[s2] <- (w2 * (lo + hi) / 2 + (1 - w2) * m)[s2]
    w31 <- 2.2 / (2.2 + nn^0.75)
    w32 <- 0.7 - 0.72 / nn^0.55
    est_mean[s3] <- (w31 * (a + b) / 2 + w32 * (lo + hi) / 2 + (1 - w31 - w32) * m)[s3]
  }

  est_sd[s1] <- ((b - a) / xi)[s1]
  est_sd[s2] <- ((hi - lo) / eta)[s2]
  w_sd <- if (method == "luo_shi") 1 / (1 + 0.07 * nn^0.6) else rep(0.5, k)
  est_sd[s3] <- (w_sd * (b - a) / xi + (1 - w_sd) * (hi - lo) / eta)[s3]

  data.frame(mean = est_mean, sd = est_sd, scenario = scenario,
             stringsAsFactors = FALSE)
}

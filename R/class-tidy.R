# broom conventions shared by every tidy() and glance() method: a tibble,
# a `term` column ("treat1 vs treat2", see R/core-orientation.R) where rows are
# comparisons, a `model` column where a fit has two models, and the
# interval columns only when `conf.int = TRUE`.

# A data frame as a tidy tibble. `model`, when given, becomes a column
# after `treat2`.
as_tidy <- function(df, conf.int = TRUE, model = NULL,
                    call = rlang::caller_env()) {
  check_conf_int(conf.int, call = call)
  df <- strip_attributes(as.data.frame(df, stringsAsFactors = FALSE))
  if (all(c("treat1", "treat2") %in% names(df)) && !"term" %in% names(df)) {
    df <- cbind(data.frame(term = comparison_label(df$treat1, df$treat2),
                           stringsAsFactors = FALSE), df)
  }
  if (!is.null(model) && !"model" %in% names(df)) {
    df$model <- rep(model, nrow(df))
    after <- match("treat2", names(df), nomatch = 1L)
    df <- df[append(setdiff(names(df), "model"), "model", after = after)]
  }
  if (!conf.int) {
    df <- df[setdiff(names(df), c("conf.low", "conf.high"))]
  }
  rownames(df) <- NULL
  tibble::as_tibble(df)
}

check_conf_int <- function(conf.int, call = rlang::caller_env()) {
  if (!is.logical(conf.int) || length(conf.int) != 1L || is.na(conf.int)) {
    abort_fastnma(c("{.arg conf.int} must be TRUE or FALSE.",
                    "x" = "It is {.obj_type_friendly {conf.int}}."),
                  "conf_int", call = call)
  }
  invisible(conf.int)
}

# The arguments of the tidy() method of a fit with two models: `model`
# (NULL: random effects), the confidence level, `conf.int`, and the scale
# (`exponentiate` resolved for the fit's `measure`).
tidy_arguments <- function(model, conf.level, conf.int, exponentiate, measure,
                           call = rlang::caller_env()) {
  model <- check_choice(model, c("random", "common"), "model", call = call)
  check_level(conf.level, call = call)
  check_conf_int(conf.int, call = call)
  list(model = model, exponentiate = resolve_exponentiate(exponentiate, measure, call = call))
}

# The tidy() method of a fit whose rows come in kinds: `types` (the first the
# default, shown in the usage as a literal vector) and
# `rows(x, model, type, level, exponentiate, call)`, the rows of one kind on
# the reporting scale. One signature and one set of argument checks for the
# component and dose-response fits.
tidy_by_type <- function(types, rows) {
  force(rows)
  method <- function(x, model = c("random", "common"), type, conf.int = TRUE,
                     conf.level = x$level, exponentiate = FALSE, ...) {
    netmeta_guard()
    check_dots_empty(...)
    a <- tidy_arguments(if (missing(model)) NULL else model, conf.level, conf.int,
                        exponentiate, x$measure)
    type <- check_choice(if (missing(type)) NULL else type, types, "type")
    out <- rows(x, a$model, type, conf.level, a$exponentiate, environment())
    as_tidy(out, conf.int = conf.int, model = a$model)
  }
  formals(method)$type <- as.call(c(as.name("c"), as.list(types)))
  method
}

# Estimates with their Wald intervals and tests: estimate, std.error,
# conf.low, conf.high (at `level`), statistic, p.value. `L` and `V` given:
# the estimates are linear combinations L theta with covariance V, and the
# standard errors are those of the rows of L.
wald_columns <- function(est, se = NULL, level, L = NULL, V = NULL) {
  if (is.null(se)) se <- sqrt(pmax(rowSums((L %*% V) * L), 0))
  z <- stats::qnorm(1 - (1 - level) / 2)
  data.frame(estimate = est, std.error = se, conf.low = est - z * se,
             conf.high = est + z * se, statistic = est / se,
             p.value = 2 * stats::pnorm(-abs(est / se)))
}

# Exponentiate the estimate-scale columns of `df` (not standard errors or
# statistics).
exponentiate_columns <- function(df, cols = c("estimate", "conf.low", "conf.high",
                                              "pred.low", "pred.high")) {
  for (col in intersect(cols, names(df))) df[[col]] <- exp(df[[col]])
  df
}

# A one-row glance tibble.
as_glance <- function(df) {
  df <- strip_attributes(as.data.frame(df, stringsAsFactors = FALSE))
  stopifnot(nrow(df) == 1L)
  rownames(df) <- NULL
  tibble::as_tibble(df)
}

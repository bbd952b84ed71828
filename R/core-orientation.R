# One orientation and one scale for every verb, print and figure.
#
# Orientation. Treatments are ordered with the reference first, then the
# others in the fit's treatment order (`fit$treatments`, sorted). For a pair
# of treatments the canonical comparison is "later vs earlier" in that order,
# so every comparison with the reference reads "X vs reference". `treat1` is
# the treatment whose effect is reported relative to `treat2`, and the label
# of a comparison is "treat1 vs treat2" (the `term` of `tidy()`).
#
# Scale. Ratio measures are analysed on the log scale. The argument
# `exponentiate` chooses the reporting scale everywhere: `tidy()` defaults to
# FALSE (broom's convention), `print()`, `summary()` and figures to the ratio
# scale for ratio measures. Asking to exponentiate a difference measure is
# an error of class `fastnma_error_exponentiate`.

# Treatments in canonical order: the reference first.
treatment_order <- function(fit) {
  c(fit$reference, setdiff(fit$treatments, fit$reference))
}

# Canonical position of each treatment label (1 = the reference).
treatment_rank <- function(fit, treatment) {
  match(treatment, treatment_order(fit))
}

# Index pairs (into `fit$treatments`) of canonical comparisons: every
# treatment against the reference (`"reference"`), or every pair (`"all"`),
# `i` the later and `j` the earlier treatment in canonical order. Rows are
# ordered by `j`, then `i`, in canonical order.
canonical_pairs <- function(fit, comparisons = c("all", "reference")) {
  comparisons <- match.arg(comparisons)
  ord <- match(treatment_order(fit), fit$treatments)
  n <- length(ord)
  if (comparisons == "reference") {
    return(list(i = ord[-1L], j = rep(ord[1L], n - 1L)))
  }
  ij <- which(lower.tri(matrix(0, n, n)), arr.ind = TRUE)
  list(i = ord[ij[, 1L]], j = ord[ij[, 2L]])
}

# TRUE where the comparison `t1` vs `t2` (labels) runs against the canonical
# direction and must be flipped (estimate negated, limits swapped).
needs_flip <- function(fit, t1, t2) {
  treatment_rank(fit, t1) < treatment_rank(fit, t2)
}

# The label of a comparison.
comparison_label <- function(treat1, treat2) {
  paste(treat1, "vs", treat2)
}

# Resolve the `exponentiate` argument of a print, summary or figure: NULL
# means the ratio scale for ratio measures, the analysis scale otherwise.
# TRUE for a difference measure is an error.
resolve_exponentiate <- function(exponentiate, measure, arg = "exponentiate",
                                 call = rlang::caller_env()) {
  if (is.null(exponentiate)) return(is_ratio(measure))
  if (!is.logical(exponentiate) || length(exponentiate) != 1L || is.na(exponentiate)) {
    abort_fastnma("{.arg {arg}} must be TRUE, FALSE or NULL.", "exponentiate", call = call)
  }
  if (exponentiate && !is_ratio(measure)) {
    abort_fastnma(c(
      "{.arg {arg}} = TRUE needs a ratio measure.",
      "x" = "This fit's measure is {.val {measure}}, a difference measure with no ratio scale.",
      "i" = "Ratio measures are {.val {c('OR', 'RR', 'HR', 'IRR', 'ROM')}}."
    ), "exponentiate", call = call)
  }
  exponentiate
}

# Put comparison rows (a data frame with `treat1`, `treat2`) in the
# canonical direction and order. Where `treat1` comes before `treat2` in
# canonical order the row is flipped: the labels swap, the columns named in
# `negate` change sign, and each pair of limits in `limits` (lower, upper)
# swaps and changes sign. Rows are then ordered by `treat2`, then `treat1`,
# in canonical order, as canonical_pairs() orders them.
orient_comparisons <- function(fit, df, negate = character(),
                               limits = list(), reorder = TRUE) {
  ord <- treatment_order(fit)
  r1 <- match(df$treat1, ord)
  r2 <- match(df$treat2, ord)
  flip <- r1 < r2
  flip[is.na(flip)] <- FALSE
  if (identical(class(df), "data.frame") && length(attributes(df)) == 3L) {
    # a plain data frame: the same on its list of columns (the data frame
    # methods of `[`, `[[<-` and `$<-` cost more than the verbs' arithmetic)
    return(orient_columns(df, flip, r1, r2, negate, limits, reorder))
  }
  if (any(flip)) df <- flip_comparisons(df, flip, negate, limits)
  if (reorder && nrow(df) > 1L) {
    o <- order(treatment_rank(fit, df$treat2), treatment_rank(fit, df$treat1))
    df <- df[o, , drop = FALSE]
  }
  rownames(df) <- NULL
  df
}

# The rows `flip` of comparison columns (a data frame or a list of columns)
# turned round: labels swapped, `negate` columns negated, `limits` swapped
# and negated.
flip_comparisons <- function(x, flip, negate, limits) {
  t1 <- x$treat1
  x$treat1[flip] <- x$treat2[flip]
  x$treat2[flip] <- t1[flip]
  for (col in intersect(negate, names(x))) x[[col]][flip] <- -x[[col]][flip]
  for (lim in limits) {
    if (!all(lim %in% names(x))) next
    lo <- x[[lim[1L]]]
    x[[lim[1L]]][flip] <- -x[[lim[2L]]][flip]
    x[[lim[2L]]][flip] <- -lo[flip]
  }
  x
}

# orient_comparisons() of a plain data frame, given the canonical ranks `r1`,
# `r2` of its treat1 and treat2 and the rows to `flip`.
orient_columns <- function(df, flip, r1, r2, negate, limits, reorder) {
  n <- .row_names_info(df, 2L)
  x <- unclass(df)
  attr(x, "row.names") <- NULL
  if (any(flip)) {
    x <- flip_comparisons(x, flip, negate, limits)
    r <- r1
    r1[flip] <- r2[flip]
    r2[flip] <- r[flip]
  }
  if (reorder && n > 1L) {
    o <- order(r2, r1)
    x[] <- lapply(x, function(v) if (is.null(dim(v))) v[o] else v[o, , drop = FALSE])
  }
  structure(x, row.names = .set_row_names(n), class = "data.frame")
}

# Labels of the canonical comparisons of index pairs (i, j) into
# `fit$treatments`.
pair_labels <- function(fit, i, j) {
  comparison_label(fit$treatments[i], fit$treatments[j])
}

# Canonical rank (1 = the reference) of each treatment index into
# `fit$treatments`.
index_rank <- function(fit) {
  match(fit$treatments, treatment_order(fit))
}

# Integer key of the comparison of treatment indices (i, j) into
# `fit$treatments`, whatever its direction: the indices in canonical
# orientation (later, earlier), combined as (later - 1) * n + earlier.
# Results of different verbs are combined by these keys, not by labels.
comparison_key_index <- function(fit, i, j) {
  r <- index_rank(fit)
  flip <- r[i] < r[j]
  later <- ifelse(flip, j, i)
  earlier <- ifelse(flip, i, j)
  (later - 1L) * length(fit$treatments) + earlier
}

# The same key for comparisons given by treatment labels; NA where a label
# is not a treatment of the fit.
comparison_key <- function(fit, treat1, treat2) {
  comparison_key_index(fit, match(treat1, fit$treatments), match(treat2, fit$treatments))
}

# Position of each comparison (a1[k] vs a2[k], labels) among the
# comparisons (b1, b2), in either direction, by their comparison keys. NA
# where a comparison is absent or names a treatment not in the fit.
comparison_match <- function(fit, a1, a2, b1, b2) {
  match(comparison_key(fit, a1, a2), comparison_key(fit, b1, b2), incomparables = NA)
}

# Position of each pair (a1[k], a2[k]) among the pairs (b1, b2), by integer
# codes of the labels (no pasted keys, so labels with any characters cannot
# collide). NA where a pair is absent.
pair_match <- function(a1, a2, b1, b2) {
  lev <- unique(c(a1, a2, b1, b2))
  n <- length(lev)
  key <- function(x, y) (match(x, lev) - 1) * n + match(y, lev)
  match(key(a1, a2), key(b1, b2))
}

# The treatment pairs named by a `comparisons` argument: labels
# "treat1 vs treat2" or a data frame with columns treat1 and treat2.
comparison_pairs <- function(comparisons, call = rlang::caller_env()) {
  if (is.data.frame(comparisons)) {
    if (!all(c("treat1", "treat2") %in% names(comparisons))) {
      abort_fastnma("A data frame given as {.arg comparisons} needs columns {.field treat1} and {.field treat2}.",
                    "column", call = call)
    }
    return(list(treat1 = as.character(comparisons$treat1),
                treat2 = as.character(comparisons$treat2)))
  }
  if (!is.character(comparisons) || anyNA(comparisons)) {
    abort_fastnma("{.arg comparisons} must be NULL, labels {.val treat1 vs treat2} or a data frame.",
                  "comparison_selection", call = call)
  }
  parts <- strsplit(comparisons, " vs ", fixed = TRUE)
  ok <- lengths(parts) == 2L
  if (!all(ok)) {
    abort_fastnma(c("{.arg comparisons} must be labels {.val treat1 vs treat2}.",
                    "x" = "Not a comparison: {.val {comparisons[!ok]}}."),
                  "comparison_selection", call = call)
  }
  list(treat1 = vapply(parts, `[`, "", 1L), treat2 = vapply(parts, `[`, "", 2L))
}

#' Several network meta-analyses in one table and one forest
#'
#' `nma_bind()` collects fits of the same effect measure (outcomes, models,
#' subgroups, sensitivity analyses) so that the same comparisons can be read
#' side by side: [tidy()] gives one row per fit and comparison with a `fit`
#' column, [autoplot()] a forest with one panel per comparison and one row
#' per fit (netmeta's `netbind()`).
#'
#' Comparisons are those of the union of the fits' treatments, in the
#' canonical orientation of that union (the reference first, then the other
#' treatments in sorted order), so every fit reports a comparison in the
#' same direction. A comparison that a fit cannot estimate (a treatment it
#' does not have, or a model it does not hold, as the random-effects model
#' of a Mantel-Haenszel fit) is kept as a row with `NA` estimates and a
#' `status` that says why, and is marked in the forest, never dropped.
#'
#' @param ... Fits (class `nma`) given as `name = fit`, or one named list of
#'   fits. Collections are expanded into their members, named
#'   `"name: member"`: a fit by outcome (`nma_binary(by = )`), the subgroups
#'   of [subgroup_nma()] and the steps of [cumulative_nma()]. Unnamed
#'   arguments are named after their expressions.
#' @param reference The reference treatment of the comparisons; by default
#'   the reference of the first fit.
#' @return An object of class `nma_bind`: a list with `parts` (one entry
#'   per fit), `labels`, `treatments`, `reference`, `measure` and `level`.
#'   Fits of different measures are an error of class `fastnma_error_bind`.
#' @references
#' Schwarzer G, Carpenter JR, Rücker G (2015). *Meta-Analysis with R*,
#' chapter 8. Springer. \doi{10.1007/978-3-319-21416-0}
#' @examples
#' re <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac")
#' dl <- nma(senn2013, TE, seTE, treat1, treat2, study, reference = "plac",
#'           tau2_method = "DL")
#' b <- nma_bind(REML = re, DL = dl)
#' head(tidy(b))
#' autoplot(b)
#' @export
nma_bind <- function(..., reference = NULL) {
  quos <- rlang::enquos(...)
  args <- list(...)
  # the names of `...` label the fits, and a fit may well be labelled
  # "random"; a netmeta name given a setting (not a fit) is answered
  if (any(names(args) %in% netmeta_arguments$netmeta & vapply(args, is.atomic, NA))) {
    netmeta_guard()
  }
  if (!length(args)) {
    abort_fastnma("{.fn nma_bind} needs at least one fit.", "bind")
  }
  nms <- names(quos) %||% rep("", length(args))
  auto <- vapply(quos, rlang::as_label, character(1))
  if (length(args) == 1L && is.list(args[[1L]]) && !is.object(args[[1L]])) {
    args <- args[[1L]]
    nms <- names(args) %||% rep("", length(args))
    auto <- paste0("fit ", seq_along(args))
  }
  nms[is.na(nms) | !nzchar(nms)] <- auto[is.na(nms) | !nzchar(nms)]
  parts <- list()
  labels <- character()
  add <- function(part, label) {
    parts[[length(parts) + 1L]] <<- part
    labels[length(labels) + 1L] <<- label
  }
  for (a in seq_along(args)) {
    x <- args[[a]]
    nm <- nms[a]
    if (inherits(x, "nma_binary_by")) {
      for (g in names(x)) add(whole_part(x[[g]]), paste0(nm, ": ", g))
    } else if (inherits(x, "nma_batch")) {
      fits <- as.list(x)
      for (g in names(fits)) add(whole_part(fits[[g]]), paste0(nm, ": ", g))
    } else if (inherits(x, "nma_subgroup")) {
      for (g in names(x$parts)) add(x$parts[[g]], paste0(nm, ": ", g))
    } else if (inherits(x, "nma_cumulative")) {
      s <- x$steps
      for (i in seq_along(x$parts)) {
        add(x$parts[[i]], sprintf("%s: step %d (%s)", nm, s$step[i], format(s$order_value[i])))
      }
    } else if (inherits(x, "nma")) {
      add(whole_part(x), nm)
    } else {
      abort_fastnma(c(
        "Every argument of {.fn nma_bind} must be a fit made by {.fn nma} or {.fn nma_binary}, or a collection of fits.",
        "x" = "Argument {.val {nm}} is {.obj_type_friendly {x}}."
      ), "bind")
    }
  }
  dup <- unique(labels[duplicated(labels)])
  if (length(dup)) {
    abort_fastnma(c("The fits given to {.fn nma_bind} must have distinct names.",
                    "x" = "Named more than once: {.val {dup}}."), "bind")
  }
  measures <- vapply(parts, function(p) p$fit$measure, character(1))
  if (length(unique(measures)) > 1L) {
    abort_fastnma(c(
      "The fits given to {.fn nma_bind} must share their effect measure.",
      "x" = "Measures: {paste0(labels, ' (', measures, ')', collapse = ', ')}."
    ), "bind")
  }
  treatments <- sort(unique(unlist(lapply(parts, function(p) p$fit$treatments))))
  reference <- reference %||% parts[[1L]]$fit$reference
  if (!is.character(reference) || length(reference) != 1L || !reference %in% treatments) {
    abort_fastnma(c(
      "{.arg reference} must be one treatment of the fits.",
      "x" = "{.val {reference}} is not among {.val {treatments}}.",
      did_you_mean(as.character(reference)[1], treatments)
    ), "reference")
  }
  names(parts) <- labels
  new_collection(list(parts = parts, labels = labels, treatments = treatments,
                      reference = reference, measure = measures[[1L]],
                      level = parts[[1L]]$fit$level),
                 "nma_bind")
}

# " (common effect: fit names)" for the bound fits that hold no random-effects
# model (Mantel-Haenszel, non-central hypergeometric), which report their
# common effect under model = "random"; "" when there are none.
bind_common_note <- function(x, model) {
  if (model != "random") return("")
  common_only <- vapply(x$parts, function(p) !"random" %in% capabilities_of(p$fit)$models,
                        logical(1))
  if (!any(common_only)) return("")
  paste0(" (common effect: ", paste(x$labels[common_only], collapse = ", "), ")")
}

# A whole fit as a part (see subset_fit()).
whole_part <- function(fit) {
  list(fit = fit, studies = fit$studies, fitted = fit$studies, set_aside = character(),
       treatments_present = fit$treatments, treatments_fitted = fit$treatments,
       connected = TRUE, identifiable = TRUE)
}

#' @export
print.nma_bind <- function(x, digits = 3, exponentiate = NULL, ...) {
  netmeta_guard()
  check_dots_print(...)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure)
  cat_wrapped(cli::style_bold("Network meta-analyses side by side"), " (",
              scale_header(x$measure, exponentiate), "): ", length(x$parts),
              " fits; reference: ", x$reference)
  wide <- side_by_side(tidy(x, exponentiate = exponentiate), "term", "fit", digits)
  cat_wrapped(sprintf("Random-effects estimates%s, %g%%-CI; -: not estimated",
                      bind_common_note(x, "random"), 100 * x$level))
  # one row per comparison, one column per fit: the comparison labels every
  # row, and many fits wrap into blocks that repeat it
  print_columns(wide, left = "term", key = "term")
  invisible(x)
}

#' @rdname nma_bind
#' @param x An object of class `nma_bind`.
#' @param model `"random"` (default) or `"common"`. A fit that does not hold
#'   the model (a Mantel-Haenszel fit has only the common-effect model) gives
#'   its common-effect estimates for `"random"`, with `model` saying so.
#' @param comparisons `"reference"` (default) or `"all"`.
#' @param conf.int,conf.level,exponentiate As in [tidy.nma()].
#' @return `tidy()`: a tibble with `fit` (the name of the fit), then the
#'   columns of `tidy(<nma>)` and `status` (`"estimated"`, `"not in
#'   network"` or `"disconnected"`): every comparison for every fit.
#'   `glance()`: one row: `n_fits`, `n_treatments`, `n_comparisons` and
#'   `n_not_estimated` (rows of `tidy(x)`, every treatment against the
#'   reference, without an estimate).
#' @method tidy nma_bind
#' @export
tidy.nma_bind <- function(x, model = c("random", "common"),
                          comparisons = c("reference", "all"), conf.int = TRUE,
                          conf.level = x$level, exponentiate = FALSE, ...) {
  netmeta_guard()
  check_dots_empty(...)
  collection_estimates(x, data.frame(fit = x$labels, stringsAsFactors = FALSE),
                       model, comparisons, conf.int, conf.level, exponentiate)
}

#' @rdname nma_bind
#' @method glance nma_bind
#' @export
glance.nma_bind <- function(x, ...) {
  netmeta_guard()
  check_dots_empty(...)
  t <- tidy(x)
  as_glance(data.frame(n_fits = length(x$parts), n_treatments = length(x$treatments),
                       n_comparisons = length(unique(t$term)),
                       n_not_estimated = sum(is.na(t$estimate))))
}

# Collections of fits: one parent class.
#
# Every set of fits the package returns is a collection of class
# `nma_collection`, with its own class first:
#   c("nma_batch", "nma_collection")                     nma(by = )
#   c("nma_binary_by", "nma_batch", "nma_collection")    nma_binary(by = )
#   c("nma_bind", "nma_collection")                      nma_bind()
#   c("nma_cumulative", "nma_collection")                cumulative_nma()
#   c("nma_subgroup", "nma_collection")                  subgroup_nma()
# What every collection does the same way is written here, once:
#   * coef(), vcov() and confint() refuse (a collection has no one set of
#     coefficients), and so does autoplot() where the subclass has no figure,
#     with an error of class fastnma_error_by_outcome that says how to reach
#     one fit; the verbs for one fit refuse every collection the same way
#     (check_fit_object()), except the verbs a collection made by nma(by = )
#     accepts, which are applied to each of its networks (R/verb-batch.R);
#   * the choices of tidy() and autoplot() (model, comparisons, scale);
#   * the estimates of the collections of parts (nma_bind(), cumulative and
#     subgroup analyses): every comparison for every part, one table, each
#     subclass giving only the columns that lead its rows; one tidy() method
#     for those that hold a second table (tidy_parts()) and one autoplot()
#     method for all three (collection_figure());
#   * the members of a collection by outcome tidied (or glanced) one by one
#     under the `by` column;
#   * the print of estimates side by side (one row per comparison or step,
#     one column per member).
# What is left to a subclass is what differs: how it is made, what its
# print's header says, its glance() and the marks of its figure.

new_collection <- function(x, class, ...) {
  structure(x, ..., class = c(class, "nma_collection"))
}

# How to reach one fit of a collection, for the messages that refuse it.
collection_members <- function(x) {
  switch(class(x)[1L],
    nma_bind = list(what = "side by side", names = x$labels,
                    first = sprintf("x$parts[[\"%s\"]]$fit", x$labels[1L])),
    nma_cumulative = list(what = "one per step", names = as.character(x$steps$step),
                          first = "x$fits[[1]]"),
    nma_subgroup = list(what = "one per subgroup", names = names(x$fits),
                        first = sprintf("x$fits[[\"%s\"]]", names(x$fits)[1L])),
    list(what = "one per member", names = names(x), first = "x[[1]]"))
}

# A collection given where one fit is needed.
abort_collection <- function(x, call = rlang::caller_env()) {
  if (inherits(x, "nma_batch")) {
    # the verbs a collection made by nma(by = ) accepts return their table
    # from here (R/verb-batch.R); the others, and the collections of
    # outcomes of nma_binary(by = ), refuse it
    if (!inherits(x, "nma_binary_by")) batch_apply(x, call)
    abort_by_outcome(x, call = call)
  }
  m <- collection_members(x)
  abort_fastnma(c(
    "This is a collection of {length(m$names)} network meta-analyses ({m$what}), not one fit.",
    "i" = "Apply the function to one fit, e.g. {.code {m$first}}; {.fn tidy}, {.fn glance} and {.fn autoplot} work on the whole collection."
  ), "by_outcome", call = call)
}

# A collection of fits by outcome is not one network: verbs apply to each.
abort_by_outcome <- function(x, call = rlang::caller_env()) {
  first <- names(x)[1L]
  abort_fastnma(c(
    "This is a collection of network meta-analyses, one per outcome ({.val {names(x)}}), not one fit.",
    "i" = "Apply the function to one outcome, e.g. {.code fit[[\"{first}\"]]}, or to each with {.code lapply(fit, ...)}; {.fn tidy} and {.fn glance} work on the whole collection."
  ), "by_outcome", call = call)
}

# One fit (class `nma`) where the verbs and figures for one fit need it; a
# collection is refused as coef() refuses it.
check_fit_object <- function(x, arg, call = rlang::caller_env()) {
  if (inherits(x, "nma_collection")) abort_collection(x, call = call)
  if (!inherits(x, "nma")) {
    abort_fastnma(c(
      "{.arg {arg}} must be a network meta-analysis made by {.fn nma}.",
      "x" = "It is {.obj_type_friendly {x}}."
    ), "not_fit", call = call)
  }
  invisible(x)
}

#' @export
coef.nma_collection <- function(object, ...) {
  netmeta_guard()
  abort_collection(object)
}

#' @export
vcov.nma_collection <- function(object, ...) {
  netmeta_guard()
  abort_collection(object)
}

#' @export
confint.nma_collection <- function(object, parm, level = 0.95, ...) {
  netmeta_guard()
  abort_collection(object)
}

# The collections by outcome have no figure of their own (each member has);
# nma_bind(), cumulative and subgroup analyses draw theirs.
#' @method autoplot nma_collection
#' @export
autoplot.nma_collection <- function(object, ...) {
  netmeta_guard()
  abort_collection(object)
}

# The figure of a collection of parts: the choices and estimates of every
# such figure, then the steps of a cumulative analysis, or a forest of the
# bound fits or of the subgroups (forest_panels()) with the rows each makes.
collection_figure <- function(object, model, comparisons, subset, exponentiate, max_panels,
                              call = rlang::caller_env()) {
  ch <- collection_choices(model, comparisons, exponentiate, object$measure, call = call)
  d <- tidy(object, model = ch$model, comparisons = ch$comparisons,
            exponentiate = ch$exponentiate)
  if (inherits(object, "nma_cumulative")) {
    return(cumulative_figure(object, d, ch, subset, max_panels, call))
  }
  r <- if (inherits(object, "nma_subgroup")) subgroup_forest_rows(object, d, ch) else
    bind_forest_rows(object, d, ch)
  forest_panels(subset_comparison_rows(r$d, subset, call = call), object$measure,
                ch$exponentiate, rows = r$rows, y_lab = r$y_lab, subtitle = r$subtitle,
                max_panels = if (is.null(subset)) max_panels else Inf)
}

# The choices of tidy() and autoplot() of a collection: the model, the
# comparisons and the scale (`exponentiate`, resolved against `measure`).
# The defaults of the methods' signatures (both choices) mean the first.
collection_choices <- function(model, comparisons, exponentiate, measure,
                               call = rlang::caller_env()) {
  first_if_default <- function(x, choices) if (identical(x, choices)) NULL else x
  list(model = check_choice(first_if_default(model, c("random", "common")),
                            c("random", "common"), "model", call = call),
       comparisons = check_choice(first_if_default(comparisons, c("reference", "all")),
                                  c("reference", "all"), "comparisons", call = call),
       exponentiate = resolve_exponentiate(exponentiate, measure, call = call))
}

# tidy() of the collections of parts that hold a table besides their
# estimates (`type`): the steps of a cumulative analysis, the tests of
# difference between subgroups; the estimates lead by the columns of a step
# or a subgroup.
tidy_parts <- function(x, type = "estimates", model = c("random", "common"),
                       comparisons = c("reference", "all"), conf.int = TRUE,
                       conf.level = x$level, exponentiate = FALSE, ...) {
  netmeta_guard()
  check_dots_empty(...)
  cumulative <- inherits(x, "nma_cumulative")
  type <- check_choice(type, c("estimates", if (cumulative) "steps" else "test"), "type")
  if (type == "steps") return(tibble::as_tibble(x$steps))
  if (type == "test") return(subgroup_test_table(x, model, comparisons))
  lead <- if (cumulative) x$steps[c("step", "order_value", "studies_added", "k")] else
    x$subgroups[c("subgroup", "k")]
  collection_estimates(x, lead, model, comparisons, conf.int, conf.level, exponentiate)
}

# The estimates of a collection of parts (see subset_fit()): every canonical
# comparison of the collection's treatments for every part, `NA` with a
# `status` where a part cannot estimate it. Row `i` of the table `lead`
# leads the rows of part `i`. A part whose fit does not hold the
# model (a Mantel-Haenszel fit has only the common-effect model) gives its
# common-effect rows, with `model` saying so.
collection_estimates <- function(x, lead, model, comparisons, conf.int, conf.level,
                                 exponentiate, call = rlang::caller_env()) {
  ch <- collection_choices(model, comparisons, exponentiate, x$measure, call = call)
  check_level(conf.level, call = call)
  check_conf_int(conf.int, call = call)
  pairs <- frame_pairs(x, ch$comparisons)
  out <- lapply(seq_along(x$parts), function(i) {
    p <- x$parts[[i]]
    m <- if (ch$model %in% capabilities_of(p$fit)$models) ch$model else "common"
    r <- part_rows(p, m, pairs$treat1, pairs$treat2, conf.level, ch$exponentiate)
    if (ch$model == "random" && m == "common") {
      r$pred.low <- NA_real_
      r$pred.high <- NA_real_
      r <- r[c(setdiff(names(r), "status"), "status")]
    }
    n <- nrow(r)
    first <- lead[rep(i, n), , drop = FALSE]
    rownames(first) <- NULL
    cbind(first,
          data.frame(term = comparison_label(r$treat1, r$treat2), stringsAsFactors = FALSE),
          r[c("treat1", "treat2")], data.frame(model = rep(m, n), stringsAsFactors = FALSE),
          r[setdiff(names(r), c("treat1", "treat2"))])
  })
  as_tidy(do.call(rbind, out), conf.int = conf.int, call = call)
}

# The fitted members `g` of a collection by outcome, each given to `fun`
# (tidy() or glance()), in one table under the `by` column.
collection_members_table <- function(x, g, fun) {
  out <- lapply(g, function(i) {
    t <- as.data.frame(fun(batch_element(x, i)), stringsAsFactors = FALSE)
    cbind(data.frame(by = rep(attr(x, "values")[i], nrow(t)), stringsAsFactors = FALSE), t)
  })
  out <- do.call(rbind, out)
  names(out)[1L] <- attr(x, "by") %||% "outcome"
  rownames(out) <- NULL
  out
}

# Estimates side by side for a print: one row per `id`, one column per
# `across`, each cell the estimate (with its interval when `ci`), "-" where
# there is none.
side_by_side <- function(est, id, across, digits, ci = TRUE) {
  cell <- if (ci) {
    paste(format_num_aligned(est$estimate, digits),
          format_ci(est$conf.low, est$conf.high, digits))
  } else {
    format_num(est$estimate, digits)
  }
  d <- data.frame(est[[id]], est[[across]], ifelse(is.na(est$estimate), "-", cell),
                  stringsAsFactors = FALSE)
  names(d) <- c(id, across, "cell")
  wide <- stats::reshape(d, idvar = id, timevar = across, direction = "wide")
  names(wide) <- sub("^cell\\.", "", names(wide))
  wide
}

#' Contrast tables: the `nma_contrasts` class
#'
#' [arm_contrasts()] returns a data frame of class `nma_contrasts`: one row
#' per pair of arms, with the effect measure, the zero-cell audit and (for
#' binary outcomes) the zero-cell policy attached as attributes. [nma()]
#' reads the measure and the audit from the table, so they must travel with
#' it.
#'
#' @section Metadata that travels with the table:
#' The attributes `measure`, `zero_cells` (the audit, see
#' [zero_cell_audit()]) and `zero_cell_policy` are kept by
#' * base subsetting, `x[i, ]`, `x[, j]`, `x[j]`, [head()], [subset()], and
#'   assignment of columns (`x$new <- ...`);
#' * the dplyr verbs `mutate()`, `transmute()`, `select()`, `filter()`,
#'   `arrange()`, `rename()`, `slice()`, `distinct()` and the others that
#'   rebuild a data frame through dplyr's `dplyr_reconstruct()` (registered
#'   when dplyr is installed);
#' * row binding: [rbind()], `dplyr::bind_rows()` and `vctrs::vec_rbind()`.
#'
#' A table keeps its class and metadata even when columns are dropped or
#' renamed (e.g. `dplyr::select(x, study, estimate)`): the measure is a
#' property of the numbers, whichever columns are shown, and renamed columns
#' can still be passed to [nma()] by name (`nma(x, estimate = TE)`). Such a
#' table prints like any other; [nma()] stops with an error of class
#' `fastnma_error_column` when a column it needs is not there.
#'
#' @section Binding tables:
#' Tables can be bound only if they share one measure and one zero-cell
#' policy; otherwise binding stops with an error of class
#' `fastnma_error_metadata`. [rbind()] combines the zero-cell audits.
#' `dplyr::bind_rows()` rebuilds its result from its first table, so it can
#' keep only the first table's audit: binding with it (or with
#' `vctrs::vec_rbind()`) works when the later tables add nothing to that
#' audit (the same table split and recombined, or later tables without zero
#' cells), and otherwise stops with an error of class
#' `fastnma_error_metadata` rather than lose part of the audit; use
#' [rbind()] for such tables. A plain data frame or tibble bound after a
#' contrast table takes the table's metadata; bound before it, the result
#' would be rebuilt from the plain table without the metadata, so
#' `dplyr::bind_rows()` stops with an error of class `fastnma_error_metadata`
#' (put the contrast table first; base [rbind()] cannot be intercepted in
#' that order and returns a plain data frame).
#'
#' @section When the metadata is lost:
#' Functions that build a new data frame or tibble from scratch (for
#' instance [merge()], `tibble::as_tibble()`, `dplyr::group_by()`, which
#' returns a grouped tibble, or packages other than dplyr) return a table
#' without the measure; [as.data.frame()] keeps it. [nma()] fits a
#' plain data frame with the measure given in `measure =` or, without it,
#' with the neutral label `"generic"`. A table that still has the class
#' `nma_contrasts` but whose `measure` attribute was removed is refused by
#' [nma()] with an error of class `fastnma_error_metadata`, unless
#' `measure =` is given.
#'
#' @name nma_contrasts
#' @seealso [arm_contrasts()], [zero_cell_audit()], [nma()].
#' @examples
#' ac <- arm_contrasts(franchini2012, study, treatment, n = n, mean = mean,
#'                     sd = sd, measure = "MD")
#' attr(ac[1:5, c("study", "estimate")], "measure")
#' if (requireNamespace("dplyr", quietly = TRUE)) {
#'   small <- dplyr::filter(ac, std.error < 1)
#'   attr(small, "measure")
#' }
NULL

# The attributes that make up a contrast table's metadata.
contrasts_metadata <- c("measure", "zero_cells", "zero_cell_policy")

# A contrast table: `x` (a data frame) with the class and the metadata.
new_nma_contrasts <- function(x, measure, zero_cells = empty_audit(),
                              zero_cell_policy = NULL) {
  x <- strip_attributes(x)
  structure(x, class = c("nma_contrasts", "data.frame"), measure = measure,
            zero_cells = zero_cells, zero_cell_policy = zero_cell_policy)
}

# `data` (a data frame) rebuilt as a contrast table with the metadata of
# `template`.
restore_contrasts <- function(data, template) {
  new_nma_contrasts(data, measure = attr(template, "measure"),
                    zero_cells = attr(template, "zero_cells"),
                    zero_cell_policy = attr(template, "zero_cell_policy"))
}

# The `[` method of a data-frame class that keeps its metadata (contrast
# tables here, table-shaped results in class-table.R): the base subset,
# rebuilt by `restore(data, template)` while it is still a data frame.
subset_keeping_metadata <- function(restore) {
  force(restore)
  function(x, ...) {
    out <- NextMethod()
    if (is.data.frame(out)) out <- restore(out, x)
    out
  }
}

#' @export
`[.nma_contrasts` <- subset_keeping_metadata(restore_contrasts)

# Registered in .onLoad() for dplyr's generic (dplyr is suggested only):
# every dplyr verb that rebuilds a data frame (mutate, select, filter,
# arrange, slice, bind_rows, ...) keeps the table's metadata.
dplyr_reconstruct.nma_contrasts <- restore_contrasts

# Metadata of two contrast tables (or a contrast table and a plain data
# frame, NULL) combined for binding: one measure, one policy, the audits
# joined. `strict_audit` refuses a `y` that adds entries to the audit of `x`
# (dplyr::bind_rows() keeps the audit of its first table only).
combine_contrasts_metadata <- function(x, y, strict_audit = FALSE,
                                       call = rlang::caller_env()) {
  if (is.null(x)) return(y)
  if (is.null(y)) return(x)
  mx <- x$measure
  my <- y$measure
  if (!identical(mx, my)) {
    abort_fastnma(c(
      "Contrast tables with different measures cannot be bound together.",
      "x" = "One table holds {.val {mx %||% 'no measure'}}, another {.val {my %||% 'no measure'}}.",
      "i" = "Bind tables of one measure, or analyse each measure with its own {.fn nma}."
    ), "metadata", call = call)
  }
  if (!identical(x$zero_cell_policy, y$zero_cell_policy)) {
    abort_fastnma(c(
      "Contrast tables made with different zero-cell policies cannot be bound together.",
      "i" = "Rebuild them with one {.fn zero_cell_policy} in {.fn arm_contrasts}."
    ), "metadata", call = call)
  }
  ax <- x$zero_cells %||% empty_audit()
  ay <- y$zero_cells %||% empty_audit()
  audit <- unique(rbind(ax, ay))
  rownames(audit) <- NULL
  if (strict_audit && nrow(audit) > nrow(unique(ax))) {
    abort_fastnma(c(
      "{.fn dplyr::bind_rows} would keep the zero-cell audit of the first table only.",
      "x" = "A later table has audit entries for {cli::qty(length(setdiff(ay$study, ax$study)))}stud{?y/ies} {.val {describe_rows(setdiff(ay$study, ax$study), TRUE)}} that the first lacks.",
      "i" = "Use {.fn rbind}, which combines the audits."
    ), "metadata", call = call)
  }
  list(measure = mx, zero_cells = audit, zero_cell_policy = x$zero_cell_policy)
}

contrasts_metadata_of <- function(x) {
  if (!inherits(x, "nma_contrasts")) return(NULL)
  stats::setNames(lapply(contrasts_metadata, function(a) attr(x, a, exact = TRUE)),
                  contrasts_metadata)
}

#' @export
rbind.nma_contrasts <- function(..., deparse.level = 1) {
  dots <- Filter(Negate(is.null), list(...))
  meta <- NULL
  for (d in dots) {
    meta <- combine_contrasts_metadata(meta, contrasts_metadata_of(d))
  }
  plain <- lapply(dots, function(d) if (is.data.frame(d)) strip_attributes(d) else d)
  out <- do.call(rbind, c(plain, list(deparse.level = deparse.level)))
  new_nma_contrasts(out, meta$measure, meta$zero_cells %||% empty_audit(),
                    meta$zero_cell_policy)
}

# vctrs methods (vec_rbind(), dplyr::bind_rows()): the common type of two
# contrast tables is a contrast table with their metadata; a plain data
# frame or tibble bound to a contrast table takes the table's metadata.
# dplyr::bind_rows() rebuilds its result from its first table
# (dplyr_reconstruct()), so a later table may not add entries to the audit:
# that would lose them without a word.

#' @importFrom vctrs vec_ptype2 vec_cast
NULL

ptype2_contrasts <- function(x, y, ...) {
  meta <- combine_contrasts_metadata(contrasts_metadata_of(x), contrasts_metadata_of(y),
                                     strict_audit = TRUE)
  new_nma_contrasts(vctrs::df_ptype2(x, y, ...), meta$measure,
                    meta$zero_cells %||% empty_audit(), meta$zero_cell_policy)
}

# A plain data frame or tibble first, a contrast table after it: dplyr and
# base R rebuild the result from the first table, which has no measure.
ptype2_plain_first <- function(x, y, ...) {
  abort_fastnma(c(
    "A contrast table ({.cls nma_contrasts}) bound after a plain data frame would lose its measure and zero-cell audit.",
    "i" = "Put the contrast table first, e.g. {.code dplyr::bind_rows(contrasts, other)}."
  ), "metadata", call = NULL)
}

cast_contrasts <- function(x, to, ...) {
  out <- vctrs::df_cast(x, to, ...)
  restore_contrasts(out, to)
}

#' @method vec_ptype2 nma_contrasts.nma_contrasts
#' @export
vec_ptype2.nma_contrasts.nma_contrasts <- function(x, y, ...) ptype2_contrasts(x, y, ...)
#' @method vec_ptype2 nma_contrasts.data.frame
#' @export
vec_ptype2.nma_contrasts.data.frame <- function(x, y, ...) ptype2_contrasts(x, y, ...)
#' @method vec_ptype2 data.frame.nma_contrasts
#' @export
vec_ptype2.data.frame.nma_contrasts <- function(x, y, ...) ptype2_plain_first(x, y, ...)
#' @method vec_ptype2 nma_contrasts.tbl_df
#' @export
vec_ptype2.nma_contrasts.tbl_df <- function(x, y, ...) ptype2_contrasts(x, y, ...)
#' @method vec_ptype2 tbl_df.nma_contrasts
#' @export
vec_ptype2.tbl_df.nma_contrasts <- function(x, y, ...) ptype2_plain_first(x, y, ...)

#' @method vec_cast nma_contrasts.nma_contrasts
#' @export
vec_cast.nma_contrasts.nma_contrasts <- function(x, to, ...) cast_contrasts(x, to, ...)
#' @method vec_cast nma_contrasts.data.frame
#' @export
vec_cast.nma_contrasts.data.frame <- function(x, to, ...) cast_contrasts(x, to, ...)
#' @method vec_cast data.frame.nma_contrasts
#' @export
vec_cast.data.frame.nma_contrasts <- function(x, to, ...) vctrs::df_cast(x, to, ...)
#' @method vec_cast nma_contrasts.tbl_df
#' @export
vec_cast.nma_contrasts.tbl_df <- function(x, to, ...) cast_contrasts(x, to, ...)
#' @method vec_cast tbl_df.nma_contrasts
#' @export
vec_cast.tbl_df.nma_contrasts <- function(x, to, ...) vctrs::tib_cast(x, to, ...)

#' @export
print.nma_contrasts <- function(x, ...) {
  netmeta_guard()
  measure <- attr(x, "measure")
  audit <- attr(x, "zero_cells")
  n_studies <- if ("study" %in% names(x)) length(unique(x[["study"]])) else NA_integer_
  cli::cat_line(
    "Contrasts (", measure %||% "measure not recorded",
    if (identical(measure, "RR") || identical(measure, "OR")) ", log scale" else "",
    "): ", nrow(x), " pairwise comparison", if (nrow(x) == 1L) "" else "s",
    if (!is.na(n_studies)) paste0(" from ", n_studies, " stud",
                                  if (n_studies == 1L) "y" else "ies") else "")
  if (!is.null(audit) && nrow(audit) > 0) {
    cli::cat_line("Zero-cell audit: ", sum(audit$action == "corrected"), " corrected, ",
                  sum(audit$action == "excluded"), " excluded (see zero_cell_audit())")
  }
  print(strip_attributes(x), ...)
  invisible(x)
}

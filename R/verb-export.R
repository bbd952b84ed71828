#' Write a result table to Excel, Word or CSV
#'
#' Writes a league table, or any result that has a [tidy()] method (a fit, a
#' ranking, a node-splitting table, ...), or a data frame, to a file whose
#' type is read from the extension of `path`:
#'
#' * `.xlsx`: an Excel workbook (one sheet), written with the openxlsx
#'   package;
#' * `.docx`: a Word document holding the table (and its caption), written
#'   with the officer and flextable packages;
#' * `.csv`: a comma-separated file (base R).
#'
#' A league table ([league_table()]) is written as the square table of
#' `format()` (treatments on the diagonal; `digits`, `ci` and
#' `exponentiate` passed on through `...`) with a caption that names the
#' scale and how the triangles read, as netmeta's `netleague(path = )` users
#' expect; `layout = "netmeta"` writes it in the orientation of
#' `netmeta::netleague()` (see [league_table()]), and the caption says which
#' layout the file holds.
#'
#' A fit of [nma()] or [nma_binary()] is written as `print(fit)` shows it:
#' one row per comparison with the reference for each model (`model =
#' "common"` or `"random"` for one), the estimate on the natural scale
#' (odds ratios, not log odds ratios, for a ratio measure; `exponentiate =
#' FALSE` for the log scale), rounded to `digits` decimals (default 3),
#' with the column of estimates named after the measure and its scale
#' (`"OR"`, `"log OR"`, `"MD"`), the confidence limits and the p-value as
#' printed; the caption names the measure, the scale and the models.
#' `comparisons = "all"` writes every pair. For full precision, export
#' `tidy(fit)` instead: a data frame is written as it is.
#'
#' Other results are written as `tidy(x, ...)`.
#'
#' openxlsx, officer and flextable are suggested, not required: when the one
#' a file type needs is not installed the call stops with an error of class
#' `fastnma_error_export`, as it does for an unknown extension or an object
#' without a [tidy()] method.
#'
#' @param x A league table, a result with a [tidy()] method, or a data
#'   frame.
#' @param path The file to write; its extension (`.xlsx`, `.docx` or
#'   `.csv`) chooses the format.
#' @param ... Passed to `format()` for a league table (`digits`, `ci`,
#'   `exponentiate`, `layout`); for a fit `digits`, `exponentiate`, `model`
#'   and `comparisons`; to [tidy()] otherwise (e.g. `model = "common"`,
#'   `exponentiate = TRUE`).
#' @param caption A caption (title) for the table: written above the table
#'   in Word and Excel, and not in CSV files. The default for a league
#'   table describes its scale and triangles; `NULL` for none.
#' @param overwrite Replace an existing file? (default `FALSE`: an existing
#'   file is an error of class `fastnma_error_export`).
#' @return `path`, invisibly.
#' @examples
#' fit <- nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
#'            reference = "plac")
#' f <- tempfile(fileext = ".csv")
#' export_table(fit, f)
#' read.csv(f, check.names = FALSE)
#' if (requireNamespace("openxlsx", quietly = TRUE)) {
#'   xl <- tempfile(fileext = ".xlsx")
#'   export_table(league_table(fit), xl, digits = 1)
#' }
#' @export
export_table <- function(x, path, ..., caption = default_caption(x, ...),
                         overwrite = FALSE) {
  netmeta_guard()
  call <- rlang::current_env()
  if (!is.character(path) || length(path) != 1L || is.na(path) || !nzchar(path)) {
    abort_fastnma("{.arg path} must be a single file name.", "export", call = call)
  }
  check_flag(overwrite, "overwrite", call = call)
  ext <- tolower(if (grepl(".", basename(path), fixed = TRUE)) sub(".*\\.", "", basename(path)) else "")
  if (!ext %in% c("xlsx", "docx", "csv")) {
    abort_fastnma(c(
      "{.arg path} must end in {.file .xlsx}, {.file .docx} or {.file .csv}.",
      "x" = "It is {.file {path}}."
    ), "export", call = call)
  }
  needs <- switch(ext, xlsx = "openxlsx", docx = c("officer", "flextable"), csv = character())
  absent <- needs[!vapply(needs, has_package, logical(1))]
  if (length(absent)) {
    abort_fastnma(c(
      "Writing a {.file .{ext}} file needs the {.pkg {absent}} package{?s}.",
      "i" = "Install {.pkg {absent}}, or write a {.file .csv} file."
    ), "export", call = call)
  }
  if (file.exists(path) && !overwrite) {
    abort_fastnma(c(
      "{.file {path}} exists.",
      "i" = "Use {.code overwrite = TRUE} to replace it."
    ), "export", call = call)
  }
  tab <- export_frame(x, ..., call = call)
  if (!is.null(caption) && (!is.character(caption) || anyNA(caption))) {
    abort_fastnma("{.arg caption} must be a character vector or NULL.", "export", call = call)
  }
  switch(ext,
    csv = utils::write.csv(tab, path, row.names = FALSE, na = ""),
    xlsx = write_xlsx_table(tab, path, caption),
    docx = write_docx_table(tab, path, caption)
  )
  invisible(path)
}

# The table written: the square league table, a data frame as it is, or
# tidy() of a result, with plain columns (no list columns).
export_frame <- function(x, ..., call) {
  if (inherits(x, "nma_league") && league_complete(x)) {
    m <- format(x, ...)
    out <- as.data.frame(unclass(m), stringsAsFactors = FALSE)
    names(out) <- colnames(m)
    rownames(out) <- NULL
    return(out)
  }
  if (inherits(x, "nma")) return(export_fit_frame(x, ..., call = call))
  if (is.data.frame(x) && !has_tidy_method(x)) {
    tab <- x
  } else if (has_tidy_method(x)) {
    tab <- generics::tidy(x, ...)
  } else {
    abort_fastnma(c(
      "{.arg x} must be a league table, a result with a {.fn tidy} method, or a data frame.",
      "x" = "It is {.obj_type_friendly {x}}."
    ), "export", call = call)
  }
  tab <- as.data.frame(strip_attributes(as.data.frame(tab, stringsAsFactors = FALSE)),
                       stringsAsFactors = FALSE)
  is_list <- vapply(tab, is.list, logical(1))
  tab[is_list] <- lapply(tab[is_list], function(v) vapply(v, function(e) paste(format(e), collapse = ", "), character(1)))
  rownames(tab) <- NULL
  tab
}

has_tidy_method <- function(x) {
  any(vapply(class(x), function(cl) !is.null(utils::getS3method("tidy", cl, optional = TRUE,
                                                                   envir = asNamespace("fastnma"))),
             logical(1)))
}

# A fit as print() shows it: the comparisons with the reference of each
# model, on the natural scale, rounded, the estimate column named after the
# measure and scale.
export_fit_frame <- function(x, digits = 3, exponentiate = NULL, model = NULL,
                             comparisons = "reference", ..., call) {
  check_dots_empty(..., what = " for a fit (export_table() takes `digits`, `exponentiate`, `model`, `comparisons`)",
                   call = call)
  exponentiate <- resolve_exponentiate(exponentiate, x$measure, call = call)
  models <- export_fit_models(x, model, call)
  comparisons <- check_choice(comparisons, c("reference", "all"), "comparisons", call = call)
  if (!is.numeric(digits) || length(digits) != 1L || is.na(digits) || digits < 0) {
    abort_fastnma("{.arg digits} must be a single non-negative number.", "export", call = call)
  }
  parts <- lapply(models, function(m) {
    rows <- nma_comparisons(x, m, comparisons, exponentiate = exponentiate)
    data.frame(comparison = comparison_label(rows$treat1, rows$treat2),
               model = m,
               estimate = round(rows$estimate, digits),
               conf.low = round(rows$conf.low, digits),
               conf.high = round(rows$conf.high, digits),
               p.value = format_pvalue(rows$p.value),
               stringsAsFactors = FALSE)
  })
  out <- do.call(rbind, parts)
  level <- sprintf("%g%%", 100 * x$level)
  names(out)[3:5] <- c(measure_abbrev(x$measure, exponentiate),
                       paste(level, "CI lower"), paste(level, "CI upper"))
  rownames(out) <- NULL
  out
}

export_fit_models <- function(x, model, call) {
  if (is.null(model)) return(intersect(c("common", "random"), capabilities_of(x)$models))
  fit_model(x, model, call = call)
}

# The caption of a league table: its scale, layout and how its triangles
# read; of a fit: its measure, scale and models.
default_caption <- function(x, ...) {
  if (inherits(x, "nma")) return(fit_caption(x, ...))
  if (!inherits(x, "nma_league") || !league_complete(x)) return(NULL)
  dots <- list(...)
  ex <- league_scale(x, dots$exponentiate)
  c(paste0("League table (", scale_header(attr(x, "measure"), ex),
           sprintf(", %g%% CI", 100 * attr(x, "level")), ")"),
    league_orientation(x, dots$layout))
}

fit_caption <- function(x, exponentiate = NULL, model = NULL, ...) {
  ex <- tryCatch(resolve_exponentiate(exponentiate, x$measure), error = function(e) FALSE)
  scale <- if (is_ratio(x$measure)) {
    if (ex) "ratio scale" else paste0("log scale (log ", x$measure, ")")
  } else {
    "scale of the analysis"
  }
  c(paste0("Network meta-analysis (", scale_header(x$measure, ex), "): estimates on the ",
           scale, ", rounded, with ", sprintf("%g%%", 100 * x$level),
           " confidence intervals; reference ", x$reference, "."),
    if ("random" %in% capabilities_of(x)$models && !identical(model, "common")) {
      paste0("Random effects: tau^2 (", x$tau2_method, ") = ", format_num(x$tau2, 4),
             if (is_ratio(x$measure)) paste0(" on the log scale (log ", x$measure, ")") else "", ".")
    })
}

write_xlsx_table <- function(tab, path, caption) {
  wb <- openxlsx::createWorkbook()
  openxlsx::addWorksheet(wb, "table")
  start <- 1L
  if (length(caption)) {
    openxlsx::writeData(wb, "table", data.frame(caption = caption), colNames = FALSE,
                        startRow = 1L)
    start <- length(caption) + 2L
  }
  openxlsx::writeData(wb, "table", tab, startRow = start,
                      headerStyle = openxlsx::createStyle(textDecoration = "bold"))
  openxlsx::setColWidths(wb, "table", cols = seq_along(tab), widths = "auto")
  openxlsx::saveWorkbook(wb, path, overwrite = TRUE)
}

write_docx_table <- function(tab, path, caption) {
  num <- vapply(tab, is.numeric, logical(1))
  tab[num] <- lapply(tab[num], function(v) ifelse(is.na(v), "", format(signif(v, 4), trim = TRUE)))
  ft <- flextable::flextable(tab)
  ft <- flextable::autofit(ft)
  doc <- officer::read_docx()
  for (line in caption) doc <- officer::body_add_par(doc, line)
  doc <- flextable::body_add_flextable(doc, ft)
  print(doc, target = path)
}

# Whether a suggested package can be loaded (one place, so tests can
# pretend it is absent).
has_package <- function(package) requireNamespace(package, quietly = TRUE)

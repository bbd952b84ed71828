# Number formatting shared by every print() method, header line and figure
# caption, so that one result looks like the next: fixed decimals, no
# scientific notation, "-0.000" never shown, one p-value style.

# Fixed decimals. A value that rounds to zero at `digits` decimals (Q of a
# design whose studies agree exactly, say 1.9e-32) prints as zero with its
# digits ("0.00"), never in scientific notation and never as "-0.00".
format_num <- function(x, digits) {
  x <- as.double(x)
  r <- round(x, digits)
  x[!is.na(r) & r == 0] <- 0
  out <- formatC(x, digits = digits, format = "f")
  out[is.na(x)] <- "NA"
  out
}

#' Format p-values the way fastnma prints them
#'
#' One style for every print, header line and figure caption: two
#' significant digits without scientific notation (`"0.012"`, `"0.76"`,
#' `"0.040"`),
#' `"< 0.0001"` below `eps`, and `"NA"` where no test is possible.
#'
#' @param p Numeric vector of p-values.
#' @param digits Significant digits (default 2).
#' @param eps Smallest p-value shown as a number (default `1e-4`).
#' @param header Logical; `TRUE` gives the form of a header line,
#'   `"p = 0.012"` and `"p < 0.0001"`.
#' @param ... Not used. netmeta's argument names stop with an error of class
#'   `fastnma_error_netmeta_argument` naming the argument to use (see
#'   [netmeta_arguments]), other names with `fastnma_error_unknown_argument`.
#' @return A character vector as long as `p`.
#' @examples
#' format_pvalue(c(0.5, 0.0123, 3e-7, NA))
#' format_pvalue(0.0123, header = TRUE)
#' format_pvalue(3e-7, header = TRUE)
#' @export
format_pvalue <- function(p, digits = 2, eps = 1e-4, header = FALSE, ...) {
  netmeta_guard(dots_empty = TRUE)
  p <- as.double(p)
  eps_txt <- trimws(formatC(eps, format = "fg", digits = 15))
  out <- trimws(formatC(signif(p, digits), format = "fg", digits = digits, flag = "#"))
  # "1.0" for p = 1, and no trailing decimal point ("1.")
  out <- sub("\\.$", "", out)
  small <- !is.na(p) & p < eps
  out[small] <- paste("<", eps_txt)
  out[is.na(p)] <- "NA"
  if (header) out <- ifelse(small, paste("p", out), paste("p =", out))
  out
}

# Confidence limits "[lower; upper]" with each limit right-aligned in its
# own field, so that the decimal points of a column line up.
format_ci <- function(lower, upper, digits) {
  lo <- format_num(lower, digits)
  hi <- format_num(upper, digits)
  paste0("[", formatC(lo, width = max(nchar(lo), 0L)), "; ",
         formatC(hi, width = max(nchar(hi), 0L)), "]")
}

# Print a data frame of already formatted (character) columns: label
# columns (`left`) left-aligned, every other column right-aligned, so that
# fixed-decimal numbers align on their decimal point. Headers follow their
# column's alignment. Wide tables wrap at getOption("width") as
# print.data.frame() does.
print_columns <- function(df, left = character()) {
  df <- as.data.frame(df, stringsAsFactors = FALSE)
  for (j in seq_along(df)) {
    v <- as.character(df[[j]])
    v[is.na(v)] <- "NA"
    if (names(df)[j] %in% left) {
      w <- max(nchar(c(v, names(df)[j]), type = "width"))
      v <- formatC(v, width = -w)
      names(df)[j] <- formatC(names(df)[j], width = -w)
    }
    df[[j]] <- v
  }
  print(df, row.names = FALSE, right = TRUE)
  invisible(df)
}

# format_num() padded to a common width: numbers pasted into a longer cell
# ("1.23 [0.80; 1.66]") keep their decimal points aligned.
format_num_aligned <- function(x, digits) {
  s <- format_num(x, digits)
  formatC(s, width = max(nchar(s), 0L))
}

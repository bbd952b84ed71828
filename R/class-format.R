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
# column's alignment.
#
# The table fits `width` (getOption("width")): a table wider than that is
# split into blocks of columns, and every block repeats the `key` columns
# (the row label and the columns that must stay with it, by default the
# first column), so that no row loses its label. A left-aligned text column
# too wide for the space beside the key columns is wrapped onto
# continuation lines within its cell; key columns too wide for the width are
# truncated with "...". At most `max_blocks` blocks are printed; the columns
# left out are counted in a closing line (`more`, a sprintf() template of
# that count).
print_columns <- function(df, left = character(), key = names(df)[1L],
                          width = getOption("width", 80L), max_blocks = Inf,
                          more = "... %d more column(s) not shown (tidy() has all)") {
  df <- as.data.frame(df, stringsAsFactors = FALSE)
  if (!nrow(df) || !ncol(df)) {
    print(df, row.names = FALSE)
    return(invisible(df))
  }
  cells <- lapply(df, function(v) {
    v <- as.character(v)
    v[is.na(v)] <- "NA"
    v
  })
  heads <- names(df)
  is_left <- heads %in% left
  key <- intersect(key, heads)
  is_key <- heads %in% key
  w_of <- function(j) max(nchar(c(cells[[j]], heads[j]), type = "width"))
  widths <- vapply(seq_along(cells), w_of, numeric(1))
  width <- max(as.integer(width), 20L)
  # key columns: truncate the widest left-aligned key text until they leave
  # room for at least one more column (or fit, if they are all there is)
  key_room <- function() sum(widths[is_key] + 1L)
  # room for the widest number column beside the key (text columns can wrap)
  need_other <- if (any(!is_key)) max(widths[!is_key & !is_left], pmin(widths[!is_key & is_left], 20L)) + 1L else 0L
  budget <- max(width - need_other, width %/% 2L)
  while (key_room() > budget && any(is_key & is_left & widths > 8L)) {
    j <- which(is_key & is_left)[which.max(widths[is_key & is_left])]
    target <- max(8L, widths[j] - (key_room() - budget))
    cells[[j]] <- truncate_text(cells[[j]], target)
    heads[j] <- truncate_text(heads[j], target)
    widths[j] <- w_of(j)
  }
  avail <- width - key_room()
  # other columns wider than the room left: wrap left-aligned text, truncate the rest
  wrapped <- list()
  for (j in which(!is_key & widths + 1L > avail)) {
    room <- max(avail - 1L, 8L)
    if (is_left[j]) {
      wrapped[[as.character(j)]] <- TRUE
      cells[[j]] <- lapply(cells[[j]], function(v) {
        out <- strwrap(v, width = room + 1L)
        if (!length(out)) out <- ""
        truncate_text(out, room)
      })
      heads[j] <- truncate_text(heads[j], room)
      widths[j] <- max(nchar(c(unlist(cells[[j]]), heads[j]), type = "width"))
    } else {
      cells[[j]] <- truncate_text(cells[[j]], room)
      heads[j] <- truncate_text(heads[j], room)
      widths[j] <- w_of(j)
    }
  }
  # blocks of the other columns, greedily, each beside the key columns
  others <- which(!is_key)
  blocks <- list()
  cur <- integer()
  used <- key_room()
  for (j in others) {
    if (length(cur) && used + widths[j] + 1L > width) {
      blocks[[length(blocks) + 1L]] <- cur
      cur <- integer()
      used <- key_room()
    }
    cur <- c(cur, j)
    used <- used + widths[j] + 1L
  }
  if (length(cur) || !length(blocks)) blocks[[length(blocks) + 1L]] <- cur
  dropped <- 0L
  if (length(blocks) > max_blocks) {
    dropped <- length(unlist(blocks[-seq_len(max_blocks)]))
    blocks <- blocks[seq_len(max_blocks)]
  }
  pad <- function(x, w, left) formatC(x, width = if (left) -w else w)
  for (b in blocks) {
    # one block: the columns in their own order; several: key columns first
    cols <- if (length(blocks) == 1L && dropped == 0L) sort(c(which(is_key), b)) else c(which(is_key), b)
    header <- paste0(" ", paste(vapply(cols, function(j) pad(heads[j], widths[j], is_left[j]), ""),
                                collapse = " "))
    lines <- header
    for (i in seq_len(nrow(df))) {
      parts <- lapply(cols, function(j) {
        v <- if (is.list(cells[[j]])) cells[[j]][[i]] else cells[[j]][i]
        pad(v, widths[j], is_left[j])
      })
      h <- max(lengths(parts))
      parts <- lapply(seq_along(parts), function(m) {
        x <- parts[[m]]
        c(x, rep(strrep(" ", widths[cols[m]]), h - length(x)))
      })
      lines <- c(lines, paste0(" ", do.call(paste, c(parts, sep = " "))))
    }
    cat(paste0(lines, "\n"), sep = "")
  }
  if (dropped > 0L) cat_wrapped(sprintf(more, dropped), width = width)
  invisible(df)
}

# Shorten strings to `w` display characters, ending in "..." when cut.
truncate_text <- function(x, w) {
  w <- max(as.integer(w), 4L)
  long <- nchar(x, type = "width") > w
  x[long] <- paste0(substr(x[long], 1L, w - 3L), "...")
  x
}

# Write text lines wrapped at the console width (continuation lines
# indented by `indent` spaces).
cat_wrapped <- function(..., indent = 2L, width = getOption("width", 80L)) {
  txt <- paste0(...)
  for (line in txt) {
    cli::cat_line(cli::ansi_strwrap(line, width = width - 1L, exdent = indent))
  }
  invisible()
}

# The first line of a fit's print: its title in bold and the scale of its
# estimates in parentheses, then `more`.
cat_title <- function(title, measure, exponentiate, more = NULL) {
  cli::cat_line(cli::style_bold(title), " (", scale_header(measure, exponentiate), ")", more)
}

# A note under a printed table: the pieces joined by spaces, wrapped at
# the console width.
cat_note <- function(...) {
  cli::cat_line(strwrap(paste(...), width = getOption("width", 80L)))
}

# Significant digits for numbers written into prose (reasons, header lines):
# no scientific notation, and a value that is zero to the precision shown
# relative to the data's scale (3.6e-31 from arithmetic) is written as 0.
format_sig <- function(x, digits = 4, scale = max(abs(x[is.finite(x)]), 1)) {
  x <- as.double(x)
  x[!is.na(x) & abs(x) < scale * 10^(-(digits + 6))] <- 0
  # each number on its own, as format(v, digits = digits, scientific =
  # FALSE) writes it, in one call for the whole vector
  v <- signif(x, digits)
  out <- trimws(formatC(v, digits = digits, format = "fg"))
  out[is.na(v)] <- "NA"
  out
}

# I^2 as a percentage with its interval, "81.4% [72.0%; 87.7%]"; where the
# interval is not defined (df < 2) it says so instead of printing "NA%",
# and an I^2 that cannot be computed (no df) is "not defined".
format_i2 <- function(i2, lower = NA_real_, upper = NA_real_) {
  if (length(i2) != 1L || is.na(i2)) return("not defined (no degrees of freedom)")
  pct <- function(v) paste0(format_num(100 * v, 1), "%")
  if (is.na(lower) || is.na(upper)) {
    return(paste0(pct(i2), " (no interval: too few degrees of freedom)"))
  }
  sprintf("%s [%s; %s]", pct(i2), pct(lower), pct(upper))
}

# format_num() padded to a common width: numbers pasted into a longer cell
# ("1.23 [0.80; 1.66]") keep their decimal points aligned.
format_num_aligned <- function(x, digits) {
  s <- format_num(x, digits)
  formatC(s, width = max(nchar(s), 0L))
}

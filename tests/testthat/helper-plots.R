# Shared fits for the figure tests.
senn_fit <- function() {
  nma(senn2013, TE, seTE, treat1, treat2, study, measure = "MD",
      reference = "plac")
}

smoking_fit <- function() {
  nma(suppressMessages(arm_contrasts(smokingcessation, measure = "OR")),
      reference = "A")
}

fit22 <- function() {
  nma(arm_contrasts(synthetic_network22(), measure = "MD"),
      reference = "Placebo")
}

# Build a plot and check it opened no graphics device.
expect_no_drawing <- function(expr) {
  before <- grDevices::dev.list()
  value <- force(expr)
  testthat::expect_identical(grDevices::dev.list(), before)
  testthat::expect_s3_class(value, "ggplot")
  invisible(value)
}

# The legends a figure draws, as the ggplot2 installed renders it: one entry
# per legend (its title, "" when it has none). Read from the built gtable, so
# a legend that a ggplot2 version drops (a guide merged away, a scale without
# a guide) is missing here too.
legend_titles <- function(p) {
  g <- ggplot2::ggplotGrob(p)
  boxes <- g$grobs[grepl("^guide-box", g$layout$name)]
  text_of <- function(x) {
    if (!is.null(x$label)) return(paste(as.character(x$label), collapse = " "))
    out <- character()
    for (ch in x$children) out <- c(out, text_of(ch))
    if (inherits(x, "gtable")) for (gr in x$grobs) out <- c(out, text_of(gr))
    paste(out, collapse = " ")
  }
  titles <- character()
  for (box in boxes) {
    if (!inherits(box, "gtable")) next
    for (i in seq_along(box$grobs)) {
      leg <- box$grobs[[i]]
      if (!inherits(leg, "gtable") || !any(grepl("^(key|bar)", leg$layout$name))) next
      t <- which(leg$layout$name == "title")
      titles <- c(titles, if (length(t)) trimws(text_of(leg$grobs[[t[1]]])) else "")
    }
  }
  titles
}

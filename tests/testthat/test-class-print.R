# Print formatting: one p-value style, aligned numeric columns, tables that
# fit the console, no scientific notation for numbers that round to zero.

test_that("format_pvalue() has one style, in tables and in header lines", {
  expect_identical(format_pvalue(c(0.5, 0.04, 0.0123, 0.00012, 3e-7, NA, 1)),
                   c("0.50", "0.040", "0.012", "0.00012", "< 0.0001", "NA", "1.0"))
  expect_identical(format_pvalue(c(0.0123, 3e-7), header = TRUE),
                   c("p = 0.012", "p < 0.0001"))
  expect_identical(format_pvalue(0.5, digits = 3), "0.500")
  expect_identical(format_pvalue(0.0004, eps = 0.001), "< 0.001")
})

test_that("numbers that round to zero print as zero, never in e-notation", {
  expect_identical(fastnma:::format_num(c(1.938775e-32, -1e-12, -0.0004, 2.5, NA), 2),
                   c("0.00", "0.00", "0.00", "2.50", "NA"))
})

# p-values written any other way than format_pvalue()'s
bad_pvalue <- "<1e|< 1e|p = <|e-0[0-9]"

print_lines <- function(x, ...) utils::capture.output(print(x, ...))

test_that("every print of a Senn fit uses one p-value style and no e-notation", {
  fit <- senn_fit()
  outs <- list(fit, summary(fit), league_table(fit), leave_one_out(fit),
               node_split(fit), inconsistency(fit), rank_treatments(fit),
               direct_estimates(fit), contributions(fit), fit$network)
  for (o in outs) {
    txt <- print_lines(o)
    expect_false(any(grepl(bad_pvalue, txt)), label = class(o)[1])
    expect_true(all(nchar(txt) <= getOption("width")), label = class(o)[1])
  }
  txt <- print_lines(fit)
  expect_true(any(grepl("Q = 96.99, df = 18, p < 0.0001", txt, fixed = TRUE)))
})

test_that("binary, Mantel-Haenszel and by-outcome prints follow the same style", {
  mh <- suppressMessages(nma_binary(dong2013, measure = "OR"))
  long <- rbind(cbind(dong2013, outcome = "death"),
                cbind(transform(dong2013, events = pmin(n, events * 2 + 1)), outcome = "any AE"))
  by <- suppressMessages(nma_binary(long, measure = "OR", by = outcome))
  iv <- suppressMessages(nma_binary(dong2013, measure = "OR", method = "IV"))
  for (o in list(mh, summary(mh), by, iv, summary(iv))) {
    txt <- print_lines(o)
    expect_false(any(grepl(bad_pvalue, txt)), label = class(o)[1])
    expect_true(all(nchar(txt) <= getOption("width")), label = class(o)[1])
  }
  txt <- print_lines(by)
  expect_true(any(grepl("< 0.0001", txt, fixed = TRUE)))
})

# column at which the first "." of each line sits
decimal_column <- function(lines) regexpr(".", lines, fixed = TRUE)

test_that("estimates are right-aligned: decimal points in one column", {
  fit <- senn_fit()
  txt <- print_lines(fit)
  rows <- grep(" vs plac ", txt, value = TRUE)
  expect_length(rows, 18L)
  # the first "." is the estimate's decimal point (labels have no dots)
  expect_length(unique(decimal_column(rows)), 1L)
  # and the p-values end in one column
  expect_length(unique(nchar(rows)), 1L)
  ns <- grep(" vs ", print_lines(node_split(fit)), value = TRUE)
  expect_length(unique(decimal_column(ns)), 1L)
  loo <- print_lines(leave_one_out(fit))
  body <- loo[grepl("^ [A-Z]", loo) & grepl("%", loo)]
  expect_length(unique(decimal_column(body)), 1L)
})

test_that("the design table prints Q of agreeing studies as 0.00, not e-notation", {
  d <- data.frame(study = c("s1", "s2", "s3", "s4"),
                  treat1 = c("B", "B", "C", "C"), treat2 = "A",
                  estimate = c(0.3, 0.3, 0.5, 0.1), std.error = c(0.1, 0.1, 0.2, 0.2))
  fit <- nma(d, measure = "MD", reference = "A")
  txt <- print_lines(summary(fit))
  expect_false(any(grepl("e-", txt, fixed = TRUE)))
  designs <- txt[seq(grep("^Designs", txt) + 1L, length(txt))]
  expect_true(any(grepl("^ A:B +2 +0.00 +1$", designs)))
  expect_true(any(grepl("^ A:C +2 +2.00 +1$", designs)))
})

test_that("the league table never prints wider than getOption('width')", {
  fit <- senn_fit()
  lt <- league_table(fit)
  for (w in c(40, 60, 80, 120, 260)) {
    txt <- withr::with_options(list(width = w), print_lines(lt))
    expect_true(all(nchar(txt) <= w), label = paste("width", w))
  }
  txt80 <- withr::with_options(list(width = 80), print_lines(lt))
  expect_true(any(grepl("Confidence intervals are left out", txt80, fixed = TRUE)))
  txt260 <- withr::with_options(list(width = 260), print_lines(lt, ci = TRUE))
  expect_false(any(grepl("left out|Showing the first", txt260)))
  # asking for the intervals in a narrow console shows fewer treatments, and says so
  txt <- withr::with_options(list(width = 80), print_lines(lt, ci = TRUE))
  expect_true(any(grepl("Showing the first", txt, fixed = TRUE)))
  expect_true(all(nchar(txt) <= 80))
})

test_that("a 100-treatment network prints within the width", {
  net <- random_network(100, 220, p_multi = 0.05, seed = 11)
  fit <- suppressMessages(nma(net, measure = "MD"))
  withr::local_options(list(width = 80))
  txt <- print_lines(league_table(fit))
  expect_true(all(nchar(txt) <= 80))
  expect_true(any(grepl("Showing the first [0-9]+ of 100 treatments", paste(txt, collapse = " "))))
  txt <- print_lines(fit$network)
  expect_true(all(nchar(txt) <= 80))
  txt <- print_lines(fit)
  expect_false(any(grepl(bad_pvalue, txt)))
})

test_that("leave_one_out() explains max_impact", {
  txt <- print_lines(leave_one_out(senn_fit()))
  expect_true(any(grepl("max_impact: the largest share of the variance", paste(txt, collapse = " "),
                        fixed = TRUE)))
})

test_that("snapshots of deterministic prints", {
  local_reproducible_output(width = 80)
  fit <- senn_fit()
  expect_snapshot(print(fit))
  expect_snapshot(print(league_table(fit)))
  expect_snapshot(print(inconsistency(fit)))
})
